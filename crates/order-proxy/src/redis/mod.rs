//! State shared by every instance through Redis (`--redis`): the vendor budgets and blocks
//! (`Retry-After`), the encrypted order cache, single flight, the schedule leases, webhook
//! replays and order updates (pub/sub). Per-order keys are named by
//! [`Shared::per_order_key`], which hides the order id.
//!
//! Every call has a short timeout. A failure marks Redis down (one warning) and the caller
//! answers with this instance's own limits and cache; a background ping notices when Redis
//! is back and sharing resumes by itself.

pub mod budget;
pub mod health;
pub mod lease;
pub mod names;
pub mod pubsub;
pub mod seal;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use order_core::model::{Order, Status};
use redis::aio::ConnectionManager;
use redis::{Client, RedisError, Script, TlsCertificates};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::orders::cache::{Fetched, LAST_GOOD_KEPT};
use crate::redis::seal::Sealer;
use crate::settings::{Limits, RedisConfig};
use budget::Spend;
use health::Health;
use lease::Taking;
use names::KeyNames;

const PREFIX: &str = "order-proxy:";
/// Longest wait for one Redis call before answering without it.
const CALL_TIMEOUT: Duration = Duration::from_millis(500);
const PING_EVERY: Duration = Duration::from_secs(1);
/// How long an accepted webhook signature is remembered: twice the timestamp tolerance.
const REPLAY_MEMORY: Duration =
    Duration::from_secs(2 * crate::auth::webhook_signature::TOLERANCE_SECS);

/// Redis could not be used for this call; it is marked down and the caller goes on alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

pub struct Shared {
    client: Client,
    connection: ConnectionManager,
    sealer: Sealer,
    names: KeyNames,
    limits: Limits,
    pub health: Health,
    /// Random per process: makes lock owners and budget entries unique across instances.
    instance: String,
    counter: AtomicU64,
    budget: Script,
    block: Script,
    release: Script,
    take_lease: Script,
    renew_lease: Script,
}

/// An order answer as sealed in Redis: the body served and the order kept for reveals
/// (secrets included: this is why everything stored is sealed). An envelope stored by a
/// version without `order` does not open, and counts as nothing cached.
#[derive(Serialize, Deserialize)]
pub struct Envelope {
    body: String,
    order: Order,
    terminal: bool,
    /// Absent in what an older version stored.
    #[serde(default = "unknown")]
    status: Status,
    asked_at_ms: u64,
}

fn unknown() -> Status {
    Status::Unknown
}

impl From<&Fetched> for Envelope {
    fn from(fetched: &Fetched) -> Envelope {
        Envelope {
            body: fetched.body.to_string(),
            order: Order::clone(&fetched.order),
            terminal: fetched.terminal,
            status: fetched.status,
            asked_at_ms: fetched.asked_at_ms,
        }
    }
}

impl From<Envelope> for Fetched {
    fn from(envelope: Envelope) -> Fetched {
        Fetched {
            body: envelope.body.into(),
            order: Arc::new(envelope.order),
            terminal: envelope.terminal,
            status: envelope.status,
            upstream_latency: Duration::ZERO,
            asked_at_ms: envelope.asked_at_ms,
        }
    }
}

/// A held single-flight lock; give it back with [`Shared::unlock`].
pub struct Lock {
    key: String,
    owner: String,
}

impl Shared {
    /// Connects lazily: the proxy starts (degraded) even while Redis is down.
    pub fn new(config: &RedisConfig, limits: Limits) -> Result<Arc<Self>, String> {
        let client = client(config)?;
        let connection = ConnectionManager::new_lazy_with_config(
            client.clone(),
            redis::aio::ConnectionManagerConfig::new()
                .set_connection_timeout(Some(CALL_TIMEOUT))
                .set_response_timeout(Some(CALL_TIMEOUT))
                .set_number_of_retries(1)
                .set_max_delay(Duration::from_secs(1)),
        )
        .map_err(|_| "cannot set up the redis connection".to_owned())?;
        let mut instance = [0u8; 8];
        getrandom::fill(&mut instance).map_err(|error| error.to_string())?;
        Ok(Arc::new(Shared {
            client,
            connection,
            sealer: Sealer::new(config.cache_key.expose()),
            names: KeyNames::new(config.cache_key.expose()),
            limits,
            health: Health::new(),
            instance: hex::encode(instance),
            counter: AtomicU64::new(0),
            budget: Script::new(budget::SCRIPT),
            block: Script::new(budget::BLOCK_SCRIPT),
            release: Script::new(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
            ),
            take_lease: Script::new(lease::TAKE),
            renew_lease: Script::new(lease::RENEW),
        }))
    }

    /// Starts the health ping and the update subscriber; updates from every instance
    /// (this one included) arrive on the returned channel.
    pub fn start(
        self: &Arc<Self>,
    ) -> (
        mpsc::Receiver<(String, Fetched)>,
        Vec<tokio::task::JoinHandle<()>>,
    ) {
        let (sender, receiver) = mpsc::channel(256);
        let pinger = {
            let shared = Arc::downgrade(self);
            tokio::spawn(async move {
                let mut every = tokio::time::interval(PING_EVERY);
                loop {
                    every.tick().await;
                    let Some(shared) = shared.upgrade() else {
                        return;
                    };
                    let pong: Result<String, Unavailable> = shared.call(&redis::cmd("PING")).await;
                    if pong.is_ok() {
                        shared.health.mark_up();
                    }
                }
            })
        };
        let subscriber = tokio::spawn(pubsub::run(self.clone(), sender));
        (receiver, vec![pinger, subscriber])
    }

    pub fn is_up(&self) -> bool {
        self.health.is_up()
    }

    /// The Redis key of `kind` (`order`, `flight`, …) for the order `order_key`
    /// (`<vendor>:<id>`), which names no order: every per-order key is spelled here.
    pub fn per_order_key(&self, kind: &str, order_key: &str) -> String {
        self.names.per_order(PREFIX, kind, order_key)
    }

    /// The cached answer for `order_key`, if another instance (or this one) fetched it.
    pub async fn cached(&self, order_key: &str) -> Result<Option<Fetched>, Unavailable> {
        let key = self.per_order_key("order", order_key);
        let sealed: Option<Vec<u8>> = self.call(redis::cmd("GET").arg(&key)).await?;
        Ok(sealed
            .and_then(|sealed| self.open::<Envelope>(&key, &sealed))
            .map(Fetched::from))
    }

    /// Keeps `fetched` for every instance: served as current for `ttl` (readers check its
    /// age), and as the last good answer for [`LAST_GOOD_KEPT`] or `ttl` if longer.
    pub async fn store(
        &self,
        order_key: &str,
        fetched: &Fetched,
        ttl: Duration,
    ) -> Result<(), Unavailable> {
        let key = self.per_order_key("order", order_key);
        let sealed = self.seal(&key, &Envelope::from(fetched))?;
        let millis = ttl.max(LAST_GOOD_KEPT).as_millis() as u64;
        self.call::<()>(
            redis::cmd("SET")
                .arg(&key)
                .arg(sealed)
                .arg("PX")
                .arg(millis),
        )
        .await
    }

    /// Tells every instance's subscribers about `fetched`; the order is named only inside
    /// the sealed message.
    pub async fn publish(&self, order_key: &str, fetched: &Fetched) -> Result<(), Unavailable> {
        let announcement = pubsub::Announcement {
            order_key: order_key.to_owned(),
            answer: Envelope::from(fetched),
        };
        let sealed = self.seal(pubsub::CHANNEL, &announcement)?;
        self.call::<i64>(redis::cmd("PUBLISH").arg(pubsub::CHANNEL).arg(sealed))
            .await
            .map(|_| ())
    }

    /// Takes the order's single-flight lock if nobody holds it.
    pub async fn lock(&self, order_key: &str, hold: Duration) -> Result<Option<Lock>, Unavailable> {
        let lock = Lock {
            key: self.per_order_key("flight", order_key),
            owner: self.unique(),
        };
        let taken: Option<String> = self
            .call(
                redis::cmd("SET")
                    .arg(&lock.key)
                    .arg(&lock.owner)
                    .arg("NX")
                    .arg("PX")
                    .arg(hold.as_millis() as u64),
            )
            .await?;
        Ok(taken.map(|_| lock))
    }

    /// Gives the lock back, unless it expired and someone else holds it now.
    pub async fn unlock(&self, lock: Lock) {
        self.give_back(&lock.key, &lock.owner).await;
    }

    /// Unless the vendor asked us to wait for `order_key`, spends one call from every
    /// vendor window for it; otherwise says how long to wait, and why.
    pub async fn spend_budget(&self, order_key: &str) -> Result<Spend, Unavailable> {
        let per_order = self.per_order_key("budget:order", order_key);
        let windows = budget::windows(PREFIX, per_order, &self.limits);
        let mut invocation = self.budget.prepare_invoke();
        invocation
            .key(self.per_order_key("block", order_key))
            .arg(self.unique());
        for window in &windows {
            invocation
                .key(&window.key)
                .arg(window.limit)
                .arg(window.length.as_millis() as u64);
        }
        self.invoke(&invocation).await.map(Spend::from_reply)
    }

    /// The vendor asked us to wait `wait` before calling it for `order_key` again: no
    /// instance does.
    pub async fn block(&self, order_key: &str, wait: Duration) -> Result<(), Unavailable> {
        let mut invocation = self.block.prepare_invoke();
        invocation
            .key(self.per_order_key("block", order_key))
            .arg(wait.as_millis().max(1) as u64);
        self.invoke::<i64>(&invocation).await.map(drop)
    }

    /// A new owner name for a lease, unique across instances.
    pub fn lease_owner(&self) -> String {
        self.unique()
    }

    /// Takes the schedule lease of `order_key` for `length`, unless another owner holds it.
    pub async fn take_lease(
        &self,
        order_key: &str,
        owner: &str,
        length: Duration,
    ) -> Result<Taking, Unavailable> {
        let mut invocation = self.take_lease.prepare_invoke();
        invocation
            .key(self.per_order_key("lease", order_key))
            .arg(owner)
            .arg(length.as_millis() as u64);
        self.invoke(&invocation).await.map(Taking::from_reply)
    }

    /// Extends the lease `owner` holds by `length` from now; false if it is not `owner`'s.
    pub async fn renew_lease(
        &self,
        order_key: &str,
        owner: &str,
        length: Duration,
    ) -> Result<bool, Unavailable> {
        let mut invocation = self.renew_lease.prepare_invoke();
        invocation
            .key(self.per_order_key("lease", order_key))
            .arg(owner)
            .arg(length.as_millis() as u64);
        self.invoke::<i64>(&invocation)
            .await
            .map(|renewed| renewed == 1)
    }

    /// Gives the lease back, if `owner` still holds it.
    pub async fn release_lease(&self, order_key: &str, owner: &str) {
        self.give_back(&self.per_order_key("lease", order_key), owner)
            .await;
    }

    /// Deletes `key` if it holds `owner` (a lock or a lease that may have passed to another).
    async fn give_back(&self, key: &str, owner: &str) {
        let mut invocation = self.release.prepare_invoke();
        invocation.key(key).arg(owner);
        let _ = self.invoke::<i64>(&invocation).await;
    }

    async fn invoke<T: redis::FromRedisValue>(
        &self,
        invocation: &redis::ScriptInvocation<'_>,
    ) -> Result<T, Unavailable> {
        let mut connection = self.connection.clone();
        match tokio::time::timeout(CALL_TIMEOUT, invocation.invoke_async::<T>(&mut connection))
            .await
        {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(self.failed(&error)),
            Err(_) => Err(self.timed_out()),
        }
    }

    /// Records an accepted webhook signature; false if some instance already accepted it.
    pub async fn first_sighting(&self, replay_key: &str) -> Result<bool, Unavailable> {
        let stored: Option<String> = self
            .call(
                redis::cmd("SET")
                    .arg(format!("{PREFIX}replay:{replay_key}"))
                    .arg(1)
                    .arg("NX")
                    .arg("EX")
                    .arg(REPLAY_MEMORY.as_secs()),
            )
            .await?;
        Ok(stored.is_some())
    }

    async fn call<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, Unavailable> {
        let mut connection = self.connection.clone();
        match tokio::time::timeout(CALL_TIMEOUT, command.query_async::<T>(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(self.failed(&error)),
            Err(_) => Err(self.timed_out()),
        }
    }

    fn failed(&self, error: &RedisError) -> Unavailable {
        self.health.mark_down(error.category());
        Unavailable
    }

    fn timed_out(&self) -> Unavailable {
        self.health.mark_down("timeout");
        Unavailable
    }

    fn seal<T: Serialize>(&self, context: &str, value: &T) -> Result<Vec<u8>, Unavailable> {
        let plain = serde_json::to_vec(value).map_err(|_| Unavailable)?;
        self.sealer
            .seal(context.as_bytes(), &plain)
            .map_err(|_| Unavailable)
    }

    fn open<T: serde::de::DeserializeOwned>(&self, context: &str, sealed: &[u8]) -> Option<T> {
        let plain = self.sealer.open(context.as_bytes(), sealed)?;
        serde_json::from_slice(&plain).ok()
    }

    fn unique(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.instance)
    }
}

/// How many PEM certificates `pem` holds (the redis crate would take none as "trust
/// nobody" and only fail at each connection).
fn certificates_in(pem: &[u8]) -> usize {
    CertificateDer::pem_slice_iter(pem)
        .take_while(Result::is_ok)
        .count()
}

/// `rediss://` with `ca_certificates` trusts only that CA; any other URL the crate's
/// defaults (for `rediss://`, the public web roots of `webpki-roots`).
fn client(config: &RedisConfig) -> Result<Client, String> {
    // The URL may hold a password: never quoted in an error.
    let invalid = |_| "--redis is not a valid redis:// or rediss:// URL".to_owned();
    match &config.ca_certificates {
        Some(pem) if certificates_in(pem) == 0 => {
            Err("the Redis CA file holds no PEM certificate".to_owned())
        }
        Some(pem) => Client::build_with_tls(
            config.url.expose(),
            TlsCertificates {
                client_tls: None,
                root_cert: Some(pem.clone()),
            },
        )
        .map_err(|_| {
            "--redis with a CA file: not a rediss:// URL, or an unreadable PEM certificate"
                .to_owned()
        }),
        None => Client::open(config.url.expose()).map_err(invalid),
    }
}
