//! Chrome DevTools Protocol commands through chromedriver's
//! `POST /session/{id}/goog/cdp/execute` (Chromium only): network and CPU
//! throttling, the cache switch, scripts that run before the page's own, response
//! bodies; and the Network domain's events, which chromedriver keeps in the session's
//! performance log.

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

/// chromedriver's `POST /session/{id}/se/log`: the entries of a log since the last read.
#[derive(Debug)]
struct ReadLog {
    kind: &'static str,
}

impl WebDriverCompatibleCommand for ReadLog {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "type": self.kind }).to_string()))
    }
}

/// The DevTools events chromedriver logged since the last call (the session's
/// `goog:loggingPrefs` turn the performance log on; `perfLoggingPrefs` keep only the
/// Network domain): `{method, params}` each.
pub async fn events(client: &Client) -> Result<Vec<Value>> {
    let entries = client
        .issue_cmd(ReadLog {
            kind: "performance",
        })
        .await
        .map_err(|e| format!("cannot read the performance log: {e}"))?;
    Ok(entries
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["message"].as_str())
        .filter_map(|message| serde_json::from_str::<Value>(message).ok())
        .map(|message| message["message"].clone())
        .collect())
}

/// What the page received over the network since the last call, from the Network
/// domain's events: every response's URL, the body of every text response (`Network.
/// getResponseBody`), and the data of every event-stream message.
pub async fn received(client: &Client) -> Result<Vec<String>> {
    let mut received = Vec::new();
    let mut texts = std::collections::BTreeSet::new();
    for event in events(client).await? {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Network.responseReceived" => {
                let response = &params["response"];
                received.push(response["url"].as_str().unwrap_or_default().to_owned());
                let mime = response["mimeType"].as_str().unwrap_or_default();
                if ["json", "text/", "csv"]
                    .iter()
                    .any(|kind| mime.contains(kind))
                {
                    texts.insert(params["requestId"].as_str().unwrap_or_default().to_owned());
                }
            }
            "Network.loadingFinished" => {
                let id = params["requestId"].as_str().unwrap_or_default();
                if !texts.contains(id) {
                    continue;
                }
                // Gone when the page navigated meanwhile: then it was not this page's.
                if let Ok(body) = execute(
                    client,
                    "Network.getResponseBody",
                    json!({ "requestId": id }),
                )
                .await
                {
                    received.push(body["body"].as_str().unwrap_or_default().to_owned());
                }
            }
            "Network.eventSourceMessageReceived" => {
                received.push(params["data"].as_str().unwrap_or_default().to_owned());
            }
            _ => {}
        }
    }
    Ok(received)
}
