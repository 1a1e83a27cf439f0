//! The widget's files over HTTP. `cargo xtask dist` writes a Brotli and a gzip
//! sibling of each, so a file is only ever picked by `Accept-Encoding`, never
//! compressed on the fly; content-hashed names are cached forever, every other
//! file is revalidated (`Last-Modified` / `If-Modified-Since`) on each use.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// For files whose name changes with their content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For files served under a fixed name: cache, but ask the server before each use.
pub const REVALIDATE: &str = "no-cache";

/// Serves `dir`, choosing a `.br` or `.gz` sibling when the client accepts it.
pub fn files(dir: &Path) -> Router {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    // The route names the template the request counter labels with (`/www/{*file}`);
    // the fallback serves what it cannot match (`/www/` itself) as before.
    Router::new()
        .route_service("/{*file}", files.clone())
        .fallback_service(files)
        .layer(middleware::from_fn(cache_policy))
}

/// Whether the last path segment carries a content hash as `dist` writes it:
/// `<stem>-<16 lowercase hex digits>.<extension>`.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split_once('.').map_or("", |(stem, _)| stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let policy = if is_content_hashed(request.uri().path()) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        // The same URL has a Brotli, a gzip and a plain body: caches must key on it.
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn content_hashed_names_are_recognised() {
        assert!(is_content_hashed("/order_widget_bg-0123456789abcdef.wasm"));
        assert!(is_content_hashed("/pkg/order-widget-fedcba9876543210.css"));
        assert!(!is_content_hashed("/pkg/embed.js"));
        assert!(!is_content_hashed("/pkg/labels/bn.json"));
        assert!(!is_content_hashed("/pkg/order_widget-0123456789ABCDEF.js"));
        assert!(!is_content_hashed("/pkg/order_widget-0123456789abcde.js"));
        assert!(!is_content_hashed("/pkg-0123456789abcdef/embed.js"));
    }
}
