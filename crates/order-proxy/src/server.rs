//! Assembles the proxy (routes, layers, mock vendors, shared state) and runs it until shut down.

use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response};
use axum::middleware;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::app::{AppState, Targets, UpstreamLatency, ORDER_TOKEN_HEADER};
use crate::auth::replays::Replays;
use crate::codes::audit::Audit;
use crate::codes::refs::{RefKey, RefKeys};
use crate::codes::Presenter;
use crate::error::ProxyError;
use crate::handlers;
use crate::handlers::demo;
use crate::mock::{self, MockHandle};
use crate::net::client;
use crate::net::slots::ConnectionSlots;
use crate::net::{deadlines, listener};
use crate::orders::cache::Ttls;
use crate::orders::fanout::Hub;
use crate::orders::schedule::Schedules;
use crate::orders::upstream::{Target, Upstream};
use crate::orders::Orders;
use crate::rate_limits::RateLimits;
use crate::redis::Shared;
use crate::settings::{Config, UpstreamConfig};

/// A running proxy.
pub struct Server {
    pub addr: SocketAddr,
    mock: Option<MockHandle>,
    hub: Arc<Hub>,
    connections: Arc<ConnectionSlots>,
    schedules: Arc<Schedules>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    background: Vec<JoinHandle<()>>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The mock vendors (mock mode only), e.g. for their hit counter.
    pub fn mock(&self) -> Option<&MockHandle> {
        self.mock.as_ref()
    }

    /// Event streams open on this instance.
    pub fn open_streams(&self) -> usize {
        self.hub.open_streams()
    }

    /// Client connections open on this instance.
    pub fn open_connections(&self) -> usize {
        self.connections.open()
    }

    /// Live orders whose vendor schedule runs on this instance (holding its lease or not).
    pub fn schedules(&self) -> usize {
        self.schedules.running()
    }

    /// Stops accepting, ends the event streams, lets in-flight requests finish, then returns.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.hub.close_all();
        let _ = self.shutdown.send(());
        let result = self
            .task
            .await
            .unwrap_or_else(|error| Err(std::io::Error::other(error)));
        for task in &self.background {
            task.abort();
        }
        if let Some(mock) = &self.mock {
            mock.stop();
        }
        result
    }
}

pub async fn serve(config: Config) -> std::io::Result<Server> {
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (targets, mock) = match &config.upstream {
        UpstreamConfig::Vendor { vendor, base_url } => (
            Targets::Single(Target {
                vendor: *vendor,
                base_url: base_url.clone(),
            }),
            None,
        ),
        UpstreamConfig::Mock => {
            let mock = mock::start(
                mock::Credentials {
                    api_key: config.api_key.clone(),
                    api_secret: config.api_secret.clone(),
                },
                config
                    .webhook_secret
                    .clone()
                    .filter(|_| config.mock_webhooks)
                    .map(|secret| mock::Notify {
                        url: format!("http://{addr}/hooks/order"),
                        secret,
                    }),
                config.mock_speed,
            )
            .await?;
            (Targets::Mock(mock.targets()), Some(mock))
        }
    };
    let presenter = Presenter {
        codes: config.codes,
        normalize: config.normalize,
        refs: RefKey::derive(config.token_secret.expose()),
    };
    let upstream = Upstream::new(
        config.upstream_timeout,
        config.api_key.clone(),
        config.api_secret.clone(),
        presenter,
    )
    .map_err(std::io::Error::other)?;
    let shared = config
        .redis
        .as_ref()
        .map(|redis| Shared::new(redis, config.limits))
        .transpose()
        .map_err(std::io::Error::other)?;
    let ttls = Ttls {
        terminal: config.terminal_ttl,
        live: config.live_ttl,
    };
    let hub = Hub::new(config.streams);
    let orders = Orders::new(
        upstream,
        ttls,
        Arc::new(RateLimits::new(&config.limits)),
        hub.clone(),
        shared.clone(),
        config.upstream_timeout,
    );
    let schedules = Schedules::new(&config.schedule, &config.limits, orders.clone());
    let state = Arc::new(AppState {
        targets,
        orders,
        schedules: schedules.clone(),
        token_secret: config.token_secret.clone(),
        token_secret_previous: config.token_secret_previous.clone(),
        token_audience: config.token_audience.clone(),
        token_rules: config.token_rules,
        webhook_secret: config.webhook_secret.clone(),
        replays: Replays::new(),
        refs: RefKeys {
            current: RefKey::derive(config.token_secret.expose()),
            previous: config
                .token_secret_previous
                .as_ref()
                .map(|previous| RefKey::derive(previous.expose())),
        },
        audit: Audit::new(config.token_secret.expose()),
    });
    let mut background = vec![spawn_limiter_housekeeping(Arc::downgrade(&state))];
    if let Some(shared) = &shared {
        let (updates, tasks) = shared.start();
        background.extend(tasks);
        background.push(spawn_shared_updates(Arc::downgrade(&state), updates));
    }

    let mut app = handlers::router(state.clone(), config.connections.body_timeout)
        .merge(demo::static_routes(&config.assets));
    if config.is_mock() {
        app = app.merge(demo::mock_routes(state));
    }
    let app = with_layers(app.fallback(|| async { ProxyError::NotFound }), &config)?;

    let connections = Arc::new(ConnectionSlots::new(
        listener::connection_cap(config.connections.max_connections),
        config.connections.max_connections_per_ip,
        Arc::new(config.trusted_proxies.clone()),
    ));
    let (shutdown, shutdown_signal) = oneshot::channel::<()>();
    let task = tokio::spawn(listener::run(
        listener,
        app,
        config.connections,
        connections.clone(),
        async {
            let _ = shutdown_signal.await;
        },
    ));
    Ok(Server {
        addr,
        mock,
        hub,
        connections,
        schedules,
        shutdown,
        task,
        background,
    })
}

fn with_layers(app: Router, config: &Config) -> std::io::Result<Router> {
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            demo::CONTENT_SECURITY_POLICY,
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    // Innermost, so that a timeout's answer carries the headers below too.
    let mut app = app
        .layer(middleware::from_fn_with_state(
            config.connections.request_timeout,
            deadlines::respond_within,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            client::identify,
        ));
    if let Some(origin) = &config.allow_origin {
        let origin = HeaderValue::from_str(origin)
            .map_err(|_| std::io::Error::other("--allow-origin is not a valid header value"))?;
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::exact(origin))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([HeaderName::from_static(ORDER_TOKEN_HEADER)])
                .expose_headers([header::RETRY_AFTER])
                .max_age(Duration::from_secs(600)),
        );
    }
    for (name, value) in fixed {
        app = app.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    // Only the widget's files and the demo page choose their caching (static_files,
    // demo): everything else, the orders above all, is never stored.
    app = app.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ));
    Ok(app.layer(
        TraceLayer::new_for_http()
            .make_span_with(access_span)
            .on_request(())
            .on_response(access_line)
            .on_body_chunk(())
            .on_eos(())
            .on_failure(()),
    ))
}

/// The access log's span: method and path (never the query: the demo page carries
/// tokens there).
fn access_span(request: &Request<Body>) -> Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

/// One line per request: status, latency, and the upstream latency when the vendor was called.
fn access_line(response: &Response<Body>, latency: Duration, _span: &Span) {
    let upstream_ms = response
        .extensions()
        .get::<UpstreamLatency>()
        .map(|UpstreamLatency(latency)| latency.as_millis() as u64);
    tracing::info!(
        status = response.status().as_u16(),
        latency_ms = latency.as_millis() as u64,
        upstream_latency_ms = upstream_ms,
        "access"
    );
}

fn spawn_limiter_housekeeping(state: Weak<AppState>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let Some(state) = state.upgrade() else { break };
            state.orders.limits.forget_idle_keys();
        }
    })
}

/// Answers fetched by any instance (through Redis) reach this one's cache and streams.
fn spawn_shared_updates(
    state: Weak<AppState>,
    mut updates: tokio::sync::mpsc::Receiver<(String, crate::orders::cache::Fetched)>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some((key, fetched)) = updates.recv().await {
            let Some(state) = state.upgrade() else { break };
            state.orders.accept_shared(key, fetched).await;
        }
    })
}
