use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Parser;
use order_proxy::auth::order_token;
use order_proxy::cli::{self, Cli, Command, NormalizeArgs, ServeArgs, TokenArgs};
use order_proxy::codes::refs::RefKey;
use order_proxy::normalize::{normalize, Outcome, Show};
use order_proxy::orders::ids;
use order_proxy::serve;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve(args) => run_serve(*args),
        Command::Token(args) => run_token(args),
        Command::Normalize(args) => run_normalize(args),
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    init_logging();
    let mut notes = Vec::new();
    let config = match args.into_config(&mut notes) {
        Ok(config) => config,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::from(1);
        }
    };
    for note in notes {
        tracing::warn!("{note}");
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "cannot start the runtime");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async move {
        let mock = config.is_mock();
        let server = match serve(config).await {
            Ok(server) => server,
            Err(error) => {
                tracing::error!(%error, "cannot start the server");
                return ExitCode::from(1);
            }
        };
        tracing::info!(addr = %server.addr, mock, "listening");
        println!("order-proxy listening on {}/", server.url());
        if let Some(metrics) = server.metrics_addr {
            tracing::info!(addr = %metrics, "serving /metrics");
            println!("order-proxy metrics on http://{metrics}/metrics");
        }
        shutdown_signal().await;
        tracing::info!("shutting down");
        match server.shutdown().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(%error, "server error");
                ExitCode::from(1)
            }
        }
    })
}

fn run_token(args: TokenArgs) -> ExitCode {
    if !ids::is_shop_id(&args.order) {
        eprintln!("error: --order must match [A-Za-z0-9_-]{{1,64}}");
        return ExitCode::from(2);
    }
    let (audience, ttl) = match args.audience_and_ttl() {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match cli::token_secret_from_env() {
        Ok(secret) => {
            let claims = order_token::Claims {
                audience: &audience,
                order_id: &args.order,
            };
            println!(
                "{}",
                order_token::mint(secret.expose().as_bytes(), claims, ttl)
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run_normalize(args: NormalizeArgs) -> ExitCode {
    let mut input = Vec::new();
    if let Err(error) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("error: cannot read stdin: {error}");
        return ExitCode::from(2);
    }
    let show = if args.with_refs || args.redacted {
        let key = match cli::token_secret_from_env() {
            Ok(secret) => RefKey::derive(secret.expose()),
            Err(message) => {
                eprintln!("error: {message} (refs are made with it)");
                return ExitCode::from(1);
            }
        };
        if args.redacted {
            Show::Redacted(key)
        } else {
            Show::CodesWithRefs(key)
        }
    } else {
        Show::Codes
    };
    let outcome = normalize(&input, args.provider.into(), &show);
    let code = outcome.exit_code();
    match outcome {
        Outcome::Order(json) => {
            let mut stdout = std::io::stdout().lock();
            if writeln!(stdout, "{json}").is_err() {
                return ExitCode::from(1);
            }
        }
        Outcome::VendorError(line) | Outcome::Unparseable(line) => eprintln!("{line}"),
    }
    ExitCode::from(code)
}

/// JSON lines on stderr; `RUST_LOG` overrides the default `info` level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_current_span(true)
        .with_span_list(false)
        .init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
