//! A minimal Server-Sent Events reader over reqwest: enough to check what a browser's
//! `EventSource` would receive.

use std::time::Duration;

/// One parsed block: an event (with its name and joined data lines) or a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Event { name: String, data: String },
    Comment(String),
}

pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
    pub status: u16,
    pub content_type: String,
    pub cache_control: String,
}

impl EventStream {
    /// `GET {server_url}/api/orders/{path}/events?token=…` (`path` may carry `?provider=`).
    pub async fn open(server_url: &str, id: &str, token: &str) -> EventStream {
        let url = format!("{server_url}/api/orders/{id}/events?token={token}");
        Self::open_url(&url).await
    }

    pub async fn open_url(url: &str) -> EventStream {
        Self::open_request(super::client().get(url)).await
    }

    /// Opens the stream `request` asks for (e.g. from another address, with headers).
    pub async fn open_request(request: reqwest::RequestBuilder) -> EventStream {
        let response = request
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("the proxy answers");
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        EventStream {
            content_type: header("content-type"),
            cache_control: header("cache-control"),
            response,
            buffer: String::new(),
            status,
        }
    }

    /// The whole body of a refused stream.
    pub async fn text(self) -> String {
        self.response.text().await.unwrap_or_default()
    }

    /// The next block, None when the stream ended, panics after `within`.
    pub async fn next_block(&mut self, within: Duration) -> Option<Block> {
        tokio::time::timeout(within, self.read_block())
            .await
            .expect("a block in time")
    }

    /// The next `order` event's data (skipping comments), None when the stream ended.
    pub async fn next_order(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_block(left).await? {
                Block::Event { name, data } if name == "order" => return Some(data),
                _ => continue,
            }
        }
    }

    async fn read_block(&mut self) -> Option<Block> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let raw: String = self.buffer.drain(..end + 2).collect();
                if let Some(block) = parse(&raw) {
                    return Some(block);
                }
                continue;
            }
            match self.response.chunk().await {
                Ok(Some(chunk)) => self.buffer.push_str(&String::from_utf8_lossy(&chunk)),
                _ => return None,
            }
        }
    }
}

fn parse(raw: &str) -> Option<Block> {
    let mut name = String::from("message");
    let mut data: Vec<&str> = Vec::new();
    let mut comment = None;
    for line in raw.lines().filter(|line| !line.is_empty()) {
        if let Some(text) = line.strip_prefix(':') {
            comment = Some(text.trim().to_owned());
        } else if let Some(value) = line.strip_prefix("event:") {
            name = value.trim_start().to_owned();
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push(value.strip_prefix(' ').unwrap_or(value));
        }
    }
    if data.is_empty() {
        return comment.map(Block::Comment);
    }
    Some(Block::Event {
        name,
        data: data.join("\n"),
    })
}
