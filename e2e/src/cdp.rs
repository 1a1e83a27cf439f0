//! Chrome DevTools Protocol commands through chromedriver's
//! `POST /session/{id}/goog/cdp/execute` (Chromium only): network and CPU
//! throttling, the cache switch, scripts that run before the page's own.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use http::Method;
use serde_json::{json, Value};
use url::{ParseError, Url};

use crate::Result;

#[derive(Debug)]
struct Execute {
    method: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Execute {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (Method::POST, Some(body.to_string()))
    }
}

/// Runs one CDP command in the session's current tab and returns its result.
pub async fn execute(client: &Client, method: &str, params: Value) -> Result<Value> {
    client
        .issue_cmd(Execute {
            method: method.to_owned(),
            params,
        })
        .await
        .map_err(|e| format!("CDP {method} failed: {e}"))
}
