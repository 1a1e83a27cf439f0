//! The reveal endpoints: a redacted order withholds its codes, and the widget asks for
//! them when the customer does. `POST <codes>/{ref}` answers one voucher's secrets
//! ([`Revealed`]), `POST <codes>` every voucher's ([`RevealedAll`]); `?purpose=` tells the
//! proxy's audit line why. The order token and the configured headers and credentials go
//! with them, as with the order's GET.
//!
//! [`RevealClient`] sends them through the widget's [`Transport`]; [`reveal_url`] and the
//! readers of the answers are pure and tested natively. An answer's secrets never reach
//! an error: a failure is only its [`ErrorKind`].

use std::future::Future;
use std::rc::Rc;

use crate::config::{encode_path_segment, Config, Credentials};
use crate::platform::fetch::{Method, Request, Response, Transport};
use order_core::error::ErrorKind;
use order_core::providers::checks::http_url;
use order_core::providers::json::document::Document;
use order_core::secret::{Revealed, RevealedAll};

/// Why the customer asked, for the proxy's audit line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reveal,
    Copy,
    Qr,
    Download,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reveal => "reveal",
            Purpose::Copy => "copy",
            Purpose::Qr => "qr",
            Purpose::Download => "download",
        }
    }
}

/// Asks the shop's proxy for withheld secrets.
#[derive(Clone)]
pub struct RevealClient {
    transport: Rc<dyn Transport>,
    /// The reveal endpoints' URL with the order id in place.
    codes: String,
    /// The order token among them: never log a request.
    headers: Vec<(String, String)>,
    credentials: Credentials,
    timeout: std::time::Duration,
}

impl PartialEq for RevealClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.transport, &other.transport)
            && self.codes == other.codes
            && self.headers == other.headers
            && self.credentials == other.credentials
            && self.timeout == other.timeout
    }
}

impl RevealClient {
    pub fn new(config: &Config, transport: Rc<dyn Transport>) -> RevealClient {
        RevealClient {
            transport,
            codes: config.codes.clone(),
            headers: config.headers.clone(),
            credentials: config.credentials,
            timeout: config.timeout,
        }
    }

    /// The secrets of the voucher known as `secret_ref`.
    pub fn one(
        &self,
        secret_ref: &str,
        purpose: Purpose,
    ) -> impl Future<Output = Result<Revealed, ErrorKind>> + 'static {
        let answer = self.send(reveal_url(&self.codes, Some(secret_ref), purpose));
        let secret_ref = secret_ref.to_owned();
        async move { read_revealed(answer.await?, &secret_ref) }
    }

    /// Every voucher's secrets, in one request.
    pub fn all(
        &self,
        purpose: Purpose,
    ) -> impl Future<Output = Result<Vec<Revealed>, ErrorKind>> + 'static {
        let answer = self.send(reveal_url(&self.codes, None, purpose));
        async move { read_revealed_all(answer.await?) }
    }

    fn send(&self, url: String) -> impl Future<Output = Result<Response, ErrorKind>> + 'static {
        let pending = self.transport.send(Request {
            method: Method::Post,
            url,
            headers: self.headers.clone(),
            credentials: self.credentials,
            timeout: self.timeout,
        });
        async move { pending.await.map_err(|error| error.kind) }
    }
}

/// `codes` with `/{ref}` (encoded as one path segment) inserted before its query, and
/// `purpose` added to the query.
pub fn reveal_url(codes: &str, secret_ref: Option<&str>, purpose: Purpose) -> String {
    let (path, rest) = codes.split_at(codes.find(['?', '#']).unwrap_or(codes.len()));
    let (query, fragment) = rest.split_at(rest.find('#').unwrap_or(rest.len()));
    let mut url = path.trim_end_matches('/').to_owned();
    if let Some(segment) = secret_ref.and_then(encode_path_segment) {
        url.push('/');
        url.push_str(&segment);
    }
    url.push_str(query);
    url.push(if query.is_empty() { '?' } else { '&' });
    url.push_str("purpose=");
    url.push_str(purpose.as_str());
    url.push_str(fragment);
    url
}

/// One voucher's answer: its secrets, if the answer is a 2xx `Revealed` for `secret_ref`.
pub fn read_revealed(response: Response, secret_ref: &str) -> Result<Revealed, ErrorKind> {
    let revealed: Revealed = read_answer(response)?;
    if revealed.secret_ref != secret_ref {
        return Err(ErrorKind::BadResponse);
    }
    Ok(checked(revealed))
}

/// The bulk answer: every voucher's secrets, if the answer is a 2xx `RevealedAll`.
pub fn read_revealed_all(response: Response) -> Result<Vec<Revealed>, ErrorKind> {
    let all: RevealedAll = read_answer(response)?;
    Ok(all.codes.into_iter().map(checked).collect())
}

fn read_answer<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ErrorKind> {
    if !(200..300).contains(&response.status) {
        return Err(ErrorKind::from_http_status(response.status));
    }
    Document::parse(&response.body)
        .ok()
        .and_then(|document| document.read())
        .ok_or(ErrorKind::BadResponse)
}

/// The claim URL passes the same check as a vendor's (it becomes a link).
fn checked(mut revealed: Revealed) -> Revealed {
    revealed.claim_url = http_url(revealed.claim_url.take());
    revealed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Response {
        Response {
            status,
            body: body.to_owned(),
            ..Response::json("")
        }
    }

    #[test]
    fn urls_insert_the_ref_before_the_query_and_add_the_purpose() {
        assert_eq!(
            reveal_url("/api/orders/7/codes", Some("r1"), Purpose::Reveal),
            "/api/orders/7/codes/r1?purpose=reveal"
        );
        assert_eq!(
            reveal_url("/api/orders/7/codes", None, Purpose::Download),
            "/api/orders/7/codes?purpose=download"
        );
        assert_eq!(
            reveal_url("https://x.example/c/7/?v=2#f", Some("a/b?"), Purpose::Copy),
            "https://x.example/c/7/a%2Fb%3F?v=2&purpose=copy#f"
        );
        assert_eq!(
            reveal_url("/c/7", Some(".."), Purpose::Qr),
            "/c/7?purpose=qr",
            "a ref that is a path step is never sent as one"
        );
    }

    #[test]
    fn one_answer_is_read_and_its_claim_url_checked() {
        let body = r#"{"ref":"r1","code":"GIFT-0001","pin":"1234",
                       "claim_url":"javascript:alert(1)"}"#;
        let revealed = read_revealed(answer(200, body), "r1").unwrap();
        assert_eq!(revealed.code, "GIFT-0001");
        assert_eq!(revealed.pin.as_deref(), Some("1234"));
        assert_eq!(revealed.claim_url, None);
        let minimal = read_revealed(answer(200, r#"{"ref":"r1","code":"X"}"#), "r1").unwrap();
        assert_eq!((minimal.pin, minimal.claim_url), (None, None));
    }

    #[test]
    fn another_ref_or_an_unreadable_body_is_a_bad_response() {
        let body = r#"{"ref":"r2","code":"GIFT-0002"}"#;
        assert_eq!(
            read_revealed(answer(200, body), "r1"),
            Err(ErrorKind::BadResponse)
        );
        for body in [
            "",
            "<html>",
            r#"{"ref":"r1"}"#,
            r#"{"ref":"r1","code":7}"#,
            "[]",
        ] {
            assert_eq!(
                read_revealed(answer(200, body), "r1"),
                Err(ErrorKind::BadResponse),
                "{body}"
            );
        }
    }

    #[test]
    fn refusals_keep_their_kind() {
        for (status, kind) in [
            (401, ErrorKind::NotAllowed),
            (403, ErrorKind::NotAllowed),
            (404, ErrorKind::NotFound),
            (429, ErrorKind::RateLimit),
            (503, ErrorKind::Server),
        ] {
            let body = r#"{"ref":"r1","code":"SECRET"}"#;
            assert_eq!(read_revealed(answer(status, body), "r1"), Err(kind));
            assert_eq!(read_revealed_all(answer(status, body)), Err(kind));
        }
    }

    #[test]
    fn the_bulk_answer_lists_every_code() {
        let body = r#"{"codes":[{"ref":"a","code":"A-1","pin":null,"claim_url":null},
                                {"ref":"b","code":"B-2","claim_url":"https://r.example/B-2"}]}"#;
        let all = read_revealed_all(answer(200, body)).unwrap();
        let codes: Vec<(&str, &str)> = all
            .iter()
            .map(|revealed| (revealed.secret_ref.as_str(), revealed.code.as_str()))
            .collect();
        assert_eq!(codes, [("a", "A-1"), ("b", "B-2")]);
        assert_eq!(all[1].claim_url.as_deref(), Some("https://r.example/B-2"));
        assert_eq!(
            read_revealed_all(answer(200, r#"{"codes":{}}"#)),
            Err(ErrorKind::BadResponse)
        );
    }
}
