//! The only code that touches the network: the GET of the order through the shop's proxy
//! (and the reveal endpoints' POSTs, described in [`super::reveal`]).
//!
//! A [`Transport`] sends the request and hands back the raw answer; [`classify`] (pure,
//! tested natively) turns an order's answer into an [`Order`] or a [`FetchError`]. The browser's
//! transport is [`FetchTransport`]; tests give the widget their own to serve bodies
//! without a server.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::config::{Config, Credentials};
use order_core::error::{ErrorKind, FetchError};
use order_core::model::Order;
use order_core::providers::{self, ParseError, Provider};
use order_core::schedule::parse_retry_after;

/// The request methods the widget sends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// The order.
    #[default]
    Get,
    /// A reveal: it has an effect (an audit line), so it is never a GET.
    Post,
}

/// One request, fully described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Includes `X-Order-Token`: never log a request.
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    pub timeout: Duration,
}

impl Request {
    pub fn for_config(config: &Config) -> Request {
        Request {
            method: Method::Get,
            url: config.url.clone(),
            headers: config.headers.clone(),
            credentials: config.credentials,
            timeout: config.timeout,
        }
    }
}

/// An HTTP answer as the classification needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

impl Response {
    /// A `200 application/json` answer.
    pub fn json(body: impl Into<String>) -> Response {
        Response {
            status: 200,
            content_type: Some("application/json".to_owned()),
            retry_after: None,
            body: body.into(),
        }
    }
}

pub type PendingResponse = Pin<Box<dyn Future<Output = Result<Response, FetchError>>>>;

/// Sends a request. Errors are only those without an answer (network, timeout);
/// every HTTP answer, whatever its status, is a `Response`. Dropping the future
/// must abandon the request.
pub trait Transport {
    fn send(&self, request: Request) -> PendingResponse;
}

const HTML_PAGE: &str = "The order service answered with a web page instead of order details. \
                         The shop's order proxy may be misconfigured or down.";

/// Turns an HTTP answer into the order or a classified error. Body content never reaches
/// an error message except the vendor's own error message.
pub fn classify(
    response: Response,
    provider: Provider,
    now_unix_ms: u64,
) -> Result<Order, FetchError> {
    let html = looks_like_html(&response);
    if (200..300).contains(&response.status) {
        if html {
            return Err(FetchError::new(ErrorKind::BadResponse, HTML_PAGE));
        }
        return providers::parse(&response.body, provider)
            .map_err(|error| FetchError::new(ErrorKind::BadResponse, error.to_string()));
    }

    let retry_after = response
        .retry_after
        .as_deref()
        .and_then(|value| parse_retry_after(value, now_unix_ms));
    let kind = match ErrorKind::from_http_status(response.status) {
        ErrorKind::Server if response.status == 503 && retry_after.is_some() => {
            ErrorKind::RateLimit
        }
        kind => kind,
    };
    let message = if html {
        with_status(HTML_PAGE, response.status)
    } else {
        match providers::parse(&response.body, provider) {
            Err(error @ ParseError::Vendor { .. }) => error.to_string(),
            _ => with_status(default_message(kind), response.status),
        }
    };
    Err(FetchError {
        kind,
        retry_after,
        message,
    })
}

/// `message (HTTP status)`.
fn with_status(message: &str, status: u16) -> String {
    format!("{message} (HTTP {status})")
}

fn looks_like_html(response: &Response) -> bool {
    let declared = response.content_type.as_deref().is_some_and(|t| {
        t.as_bytes()
            .windows(4)
            .any(|word| word.eq_ignore_ascii_case(b"html"))
    });
    declared || response.body.trim_start().starts_with('<')
}

/// A plain message for each kind, used when the server says nothing better.
pub fn default_message(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Network => "The order service could not be reached.",
        ErrorKind::Timeout => "The order service did not answer in time.",
        ErrorKind::NotAllowed => "Not allowed to see this order.",
        ErrorKind::NotFound => "The order was not found.",
        ErrorKind::RateLimit => "Too many checks in a short time.",
        ErrorKind::Server => "The order service had a problem.",
        ErrorKind::BadResponse => "The order service sent an answer that is not an order.",
    }
}

/// Lets the widget abandon a request: after [`Cancel::cancel`] the wrapped future
/// resolves to `None` at once and drops the request (which aborts it).
#[derive(Clone, Default)]
pub struct Cancel(Rc<CancelState>);

#[derive(Default)]
struct CancelState {
    cancelled: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Cancel {
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        if let Some(waker) = self.0.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    /// `future`, unless cancelled first.
    pub fn wrap<F: Future>(&self, future: F) -> Cancellable<F> {
        Cancellable {
            future: Some(Box::pin(future)),
            cancel: self.clone(),
        }
    }
}

impl PartialEq for Cancel {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

pub struct Cancellable<F> {
    future: Option<Pin<Box<F>>>,
    cancel: Cancel,
}

impl<F: Future> Future for Cancellable<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.cancel.is_cancelled() {
            self.future = None;
            return Poll::Ready(None);
        }
        *self.cancel.0.waker.borrow_mut() = Some(cx.waker().clone());
        match self.future.as_mut() {
            None => Poll::Ready(None),
            Some(future) => match future.as_mut().poll(cx) {
                Poll::Ready(output) => {
                    self.future = None;
                    Poll::Ready(Some(output))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

pub use browser::FetchTransport;

mod browser {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use gloo_net::http::{Headers, Method as HttpMethod, RequestBuilder};
    use gloo_timers::callback::Timeout;
    use js_sys::Promise;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{AbortController, RequestCache, RequestCredentials};

    use super::{default_message, Method, PendingResponse, Request, Response, Transport};
    use crate::config::Credentials;
    use order_core::error::{ErrorKind, FetchError};

    /// The browser's `fetch` through gloo-net, aborted after the request's timeout and when
    /// the future is dropped (the widget was destroyed).
    #[derive(Debug, Default)]
    pub struct FetchTransport {
        /// The page's head start (`embed.js` sends the first request while the wasm loads):
        /// a `Promise<Response>` for the same request, answered once instead of a fetch.
        first_response: RefCell<Option<Promise>>,
    }

    impl FetchTransport {
        /// A transport whose first `send` reads `started` instead of fetching. When it
        /// rejects or does not resolve to a readable `Response`, that `send` fetches after all.
        pub fn with_first_response(started: Promise) -> FetchTransport {
            FetchTransport {
                first_response: RefCell::new(Some(started)),
            }
        }
    }

    impl Transport for FetchTransport {
        fn send(&self, request: Request) -> PendingResponse {
            // The head start is the order's GET: a reveal never reads it.
            let started = match request.method {
                Method::Get => self.first_response.take(),
                Method::Post => None,
            };
            match started {
                Some(started) => Box::pin(async move {
                    match answer_of(started).await {
                        Some(response) => Ok(response),
                        None => fetch(request).await,
                    }
                }),
                None => Box::pin(fetch(request)),
            }
        }
    }

    /// The `Response` a started request resolves to, read whole; `None` when it failed.
    async fn answer_of(started: Promise) -> Option<Response> {
        let answer = JsFuture::from(started).await.ok()?;
        let answer = answer.dyn_into::<web_sys::Response>().ok()?;
        read(gloo_net::http::Response::from(answer)).await.ok()
    }

    /// Status, the headers the classification needs, and the whole body.
    async fn read(answer: gloo_net::http::Response) -> Result<Response, gloo_net::Error> {
        let headers = answer.headers();
        Ok(Response {
            status: answer.status(),
            content_type: headers.get("Content-Type"),
            retry_after: headers.get("Retry-After"),
            body: answer.text().await?,
        })
    }

    /// Aborts the request when the future is dropped before it finished.
    struct AbortOnDrop(Option<AbortController>);

    impl AbortOnDrop {
        fn finished(mut self) {
            self.0 = None;
        }
    }

    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            if let Some(controller) = self.0.take() {
                controller.abort();
            }
        }
    }

    fn network(message: &str) -> FetchError {
        FetchError::new(ErrorKind::Network, message)
    }

    /// The request's headers. Built on `web_sys::Headers` because the browser may refuse a
    /// value (gloo-net's `Headers::append` would throw where this returns an error).
    fn headers(request: &Request) -> Result<Headers, FetchError> {
        let unreachable = || network(default_message(ErrorKind::Network));
        let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
        for (name, value) in &request.headers {
            headers
                .append(name, value)
                .map_err(|_| network("A configured request header was refused."))?;
        }
        Ok(Headers::from_raw(headers))
    }

    async fn fetch(request: Request) -> Result<Response, FetchError> {
        let unreachable = || network(default_message(ErrorKind::Network));
        let controller = AbortController::new().map_err(|_| unreachable())?;
        let abort = AbortOnDrop(Some(controller.clone()));
        let credentials = match request.credentials {
            Credentials::SameOrigin => RequestCredentials::SameOrigin,
            Credentials::Include => RequestCredentials::Include,
        };
        let method = match request.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
        };
        let built = RequestBuilder::new(&request.url)
            .method(method)
            .headers(headers(&request)?)
            .cache(RequestCache::NoStore)
            .credentials(credentials)
            .abort_signal(Some(&controller.signal()))
            .build()
            .map_err(|_| unreachable())?;

        let timed_out = Rc::new(Cell::new(false));
        let millis = u32::try_from(request.timeout.as_millis()).unwrap_or(u32::MAX);
        let timer = {
            let timed_out = Rc::clone(&timed_out);
            let controller = controller.clone();
            Timeout::new(millis, move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let failed = || {
            if timed_out.get() {
                FetchError::new(ErrorKind::Timeout, default_message(ErrorKind::Timeout))
            } else if !is_online() {
                network("The device is offline.")
            } else {
                unreachable()
            }
        };

        let answer = built.send().await.map_err(|_| failed())?;
        let response = read(answer).await.map_err(|_| failed())?;

        drop(timer);
        abort.finished();
        Ok(response)
    }

    fn is_online() -> bool {
        web_sys::window().is_none_or(|window| window.navigator().on_line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::Status;

    const CANONICAL: &str = r#"{"vendor":"shop","id":"7","number":"7","status":"processing",
        "terminal":false,"status_label":null,"status_message":null,"status_colors":null,
        "total":null,"created_at":null,"is_service":false,"items":[],"vouchers":[]}"#;

    fn answer(status: u16, content_type: &str, body: &str) -> Response {
        Response {
            status,
            content_type: Some(content_type.to_owned()),
            retry_after: None,
            body: body.to_owned(),
        }
    }

    #[test]
    fn a_good_answer_is_parsed() {
        let order = classify(Response::json(CANONICAL), Provider::Canonical, 0).unwrap();
        assert_eq!(order.status, Status::Processing);
    }

    #[test]
    fn statuses_are_classified() {
        for (status, kind) in [
            (401, ErrorKind::NotAllowed),
            (403, ErrorKind::NotAllowed),
            (404, ErrorKind::NotFound),
            (429, ErrorKind::RateLimit),
            (500, ErrorKind::Server),
            (502, ErrorKind::Server),
            (503, ErrorKind::Server),
            (400, ErrorKind::BadResponse),
        ] {
            let error = classify(answer(status, "text/plain", ""), Provider::Auto, 0).unwrap_err();
            assert_eq!(error.kind, kind, "{status}");
            assert!(error.message.contains(&status.to_string()));
        }
    }

    #[test]
    fn retry_after_is_kept_in_seconds_or_as_a_date() {
        let mut limited = answer(429, "application/json", "{}");
        limited.retry_after = Some("2".to_owned());
        let error = classify(limited, Provider::Auto, 0).unwrap_err();
        assert_eq!(error.retry_after, Some(Duration::from_secs(2)));

        let mut unavailable = answer(503, "text/plain", "busy");
        unavailable.retry_after = Some("Thu, 01 Jan 1970 00:01:40 GMT".to_owned());
        let error = classify(unavailable, Provider::Auto, 40_000).unwrap_err();
        assert_eq!(error.kind, ErrorKind::RateLimit);
        assert_eq!(error.retry_after, Some(Duration::from_secs(60)));
    }

    #[test]
    fn an_html_page_gets_a_clear_message_without_its_content() {
        let page = "<!doctype html><title>502 Bad Gateway</title><p>nginx SECRET-1234</p>";
        let ok = classify(answer(200, "text/html", page), Provider::Auto, 0).unwrap_err();
        assert_eq!(ok.kind, ErrorKind::BadResponse);
        assert!(ok.message.contains("web page"));
        let gateway = classify(answer(502, "text/html", page), Provider::Auto, 0).unwrap_err();
        assert_eq!(gateway.kind, ErrorKind::Server);
        for error in [ok, gateway] {
            assert!(!error.message.contains("SECRET") && !error.message.contains("nginx"));
        }
        // Served as JSON but still a page.
        let sniffed = classify(Response::json(page), Provider::Auto, 0).unwrap_err();
        assert!(sniffed.message.contains("web page"));
    }

    #[test]
    fn unparseable_bodies_never_leak_into_the_message() {
        let body = r#"{"unexpected": "SECRET-CODE-9999"}"#;
        let error = classify(Response::json(body), Provider::Auto, 0).unwrap_err();
        assert_eq!(error.kind, ErrorKind::BadResponse);
        assert!(!error.message.contains("SECRET"));
        let error = classify(answer(404, "application/json", body), Provider::Auto, 0).unwrap_err();
        assert_eq!(error.kind, ErrorKind::NotFound);
        assert!(!error.message.contains("SECRET"));
    }

    #[test]
    fn a_vendor_error_envelope_keeps_the_vendor_message() {
        let body = r#"{"error": "not_found", "message": "Order not found"}"#;
        let error = classify(
            answer(404, "application/json", body),
            Provider::Vendor(order_core::model::Vendor::VoucherApi),
            0,
        )
        .unwrap_err();
        assert_eq!(error.kind, ErrorKind::NotFound);
        assert!(
            error.message.contains("Order not found"),
            "{}",
            error.message
        );
    }

    #[test]
    fn cancel_resolves_to_none() {
        let cancel = Cancel::default();
        let waker = Waker::noop();
        let mut context = Context::from_waker(waker);
        let mut pending = Box::pin(cancel.wrap(std::future::pending::<u8>()));
        assert!(pending.as_mut().poll(&mut context).is_pending());
        cancel.cancel();
        assert_eq!(pending.as_mut().poll(&mut context), Poll::Ready(None));

        let mut ready = Box::pin(Cancel::default().wrap(std::future::ready(7)));
        assert_eq!(ready.as_mut().poll(&mut context), Poll::Ready(Some(7)));
    }
}
