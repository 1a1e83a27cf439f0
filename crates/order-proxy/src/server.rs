//! Assembles the proxy (routes, layers, mock vendors, shared state) and runs it until shut down.

use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response};
use axum::middleware;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceBuilder;
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
use crate::metrics::endpoint;
use crate::metrics::live::Live;
use crate::metrics::Metrics;
use crate::mock::{self, MockHandle};
use crate::net::client;
use crate::net::slots::ConnectionSlots;
use crate::net::{deadlines, listener};
use crate::orders::cache::Ttls;
use crate::orders::fanout::Fanout;
use crate::orders::schedule::Schedules;
use crate::orders::upstream::{Target, Upstream};
use crate::orders::Orders;
use crate::rate_limits::RateLimits;
use crate::redis::Shared;
use crate::settings::{Config, UpstreamConfig};

/// Connections the metrics listener holds at once (a scraper needs one or two).
const METRICS_CONNECTIONS: usize = 16;

/// A running proxy.
pub struct Server {
    pub addr: SocketAddr,
    /// Where `GET /metrics` is served (`--metrics-listen`).
    pub metrics_addr: Option<SocketAddr>,
    mock: Option<MockHandle>,
    fanout: Arc<Fanout>,
    connections: Arc<ConnectionSlots>,
    schedules: Arc<Schedules>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
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
        self.fanout.open_streams()
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
        self.fanout.close_all();
        let _ = self.shutdown.send(true);
        let mut result = Ok(());
        for task in self.tasks {
            let ended = task
                .await
                .unwrap_or_else(|error| Err(std::io::Error::other(error)));
            result = result.and(ended);
        }
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
    let metrics_listener = match config.metrics_listen {
        Some(metrics_addr) => Some(TcpListener::bind(metrics_addr).await?),
        None => None,
    };
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
    let shared = config
        .redis
        .as_ref()
        .map(|redis| Shared::new(redis, config.limits))
        .transpose()
        .map_err(std::io::Error::other)?;
    let fanout = Fanout::new(config.streams);
    let connections = Arc::new(ConnectionSlots::new(
        listener::connection_cap(config.connections.max_connections),
        config.connections.max_connections_per_ip,
        Arc::new(config.trusted_proxies.clone()),
    ));
    let metrics = Metrics::new(live_readings(&fanout, &connections, shared.as_ref()));
    let upstream = Upstream::new(
        config.upstream_timeout,
        config.api_key.clone(),
        config.api_secret.clone(),
        presenter,
        metrics.clone(),
    )
    .map_err(std::io::Error::other)?;
    let ttls = Ttls {
        terminal: config.terminal_ttl,
        live: config.live_ttl,
    };
    let orders = Orders::new(
        upstream,
        ttls,
        Arc::new(RateLimits::new(&config.limits, metrics.clone())),
        fanout.clone(),
        shared.clone(),
        config.upstream_timeout,
        metrics.clone(),
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
        metrics: metrics.clone(),
        assets: config.assets.clone(),
    });
    let mut background = vec![spawn_limiter_housekeeping(Arc::downgrade(&state))];
    if let Some(shared) = &shared {
        let (updates, tasks) = shared.start();
        background.extend(tasks);
        background.push(spawn_shared_updates(Arc::downgrade(&state), updates));
    }

    let mut app = handlers::router(state.clone(), config.connections.body_timeout).merge(
        demo::static_routes(&config.assets, config.is_mock().then(|| state.clone())),
    );
    if config.is_mock() {
        app = app.merge(demo::mock_routes(state));
    }
    let app = with_layers(
        app.fallback(|| async { ProxyError::NotFound }),
        &config,
        &metrics,
    )?;

    let (shutdown, shutdown_signal) = watch::channel(false);
    let shut_down = move || {
        let mut signal = shutdown_signal.clone();
        async move {
            let _ = signal.wait_for(|stop| *stop).await;
        }
    };
    let mut tasks = vec![tokio::spawn(listener::run(
        listener,
        app,
        config.connections,
        connections.clone(),
        Some(metrics.clone()),
        shut_down(),
    ))];
    let mut metrics_addr = None;
    if let Some(metrics_listener) = metrics_listener {
        metrics_addr = Some(metrics_listener.local_addr()?);
        let slots = ConnectionSlots::new(METRICS_CONNECTIONS, METRICS_CONNECTIONS, Arc::default());
        tasks.push(tokio::spawn(listener::run(
            metrics_listener,
            metrics_app(metrics, config.connections.request_timeout),
            config.connections,
            Arc::new(slots),
            None,
            shut_down(),
        )));
    }
    Ok(Server {
        addr,
        metrics_addr,
        mock,
        fanout,
        connections,
        schedules,
        shutdown,
        tasks,
        background,
    })
}

/// What the gauges of [`Live`] read: open streams, open connections, Redis's health.
fn live_readings(
    fanout: &Arc<Fanout>,
    connections: &Arc<ConnectionSlots>,
    shared: Option<&Arc<Shared>>,
) -> Live {
    let (fanout, connections) = (fanout.clone(), connections.clone());
    Live {
        event_streams_open: Some(Box::new(move || fanout.open_streams())),
        connections_open: Some(Box::new(move || connections.open())),
        redis_up: shared
            .cloned()
            .map(|shared| Box::new(move || shared.is_up()) as Box<dyn Fn() -> bool + Send + Sync>),
    }
}

/// The metrics listener's one route, under the same deadlines as the public one.
fn metrics_app(metrics: Arc<Metrics>, request_timeout: Duration) -> Router {
    Router::new()
        .route(endpoint::PATH, get(endpoint::metrics))
        .with_state(metrics)
        .fallback(|| async { ProxyError::NotFound })
        .layer(middleware::from_fn_with_state(
            request_timeout,
            deadlines::respond_within,
        ))
}

fn with_layers(app: Router, config: &Config, metrics: &Arc<Metrics>) -> std::io::Result<Router> {
    // Innermost, so that a timeout's answer carries the headers below too, and is counted.
    // These two stay on the router's routes: counting needs the route's template
    // (`MatchedPath`), which only exists inside the router.
    let routes = app
        .layer(middleware::from_fn_with_state(
            config.connections.request_timeout,
            deadlines::respond_within,
        ))
        .layer(middleware::from_fn_with_state(
            metrics.clone(),
            endpoint::count_requests,
        ));
    let cors = match &config.allow_origin {
        Some(origin) => {
            let origin = HeaderValue::from_str(origin)
                .map_err(|_| std::io::Error::other("--allow-origin is not a valid header value"))?;
            Some(
                CorsLayer::new()
                    .allow_origin(AllowOrigin::exact(origin))
                    .allow_methods([Method::GET, Method::POST])
                    .allow_headers([HeaderName::from_static(ORDER_TOKEN_HEADER)])
                    .expose_headers([header::RETRY_AFTER])
                    .max_age(Duration::from_secs(600)),
            )
        }
        None => None,
    };
    // The layers that need no route wrap the router once, as one service. `Router::layer`
    // would wrap every route in each of them, and the router clones a route's whole stack
    // (a boxed service per layer) for every request: measured with callgrind on the
    // cached `GET /api/orders/{id}`, those clones and drops were about a sixth of the
    // instructions per request.
    let around = ServiceBuilder::new()
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(access_span)
                .on_request(())
                .on_response(access_line)
                .on_body_chunk(())
                .on_eos(())
                .on_failure(()),
        )
        // Only the widget's files and the demo page choose their caching (static_files,
        // demo): everything else, the orders above all, is never stored.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(demo::CONTENT_SECURITY_POLICY),
        ))
        .option_layer(cors)
        .layer(middleware::from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            client::identify,
        ))
        .service(routes);
    Ok(Router::new().fallback_service(around))
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
