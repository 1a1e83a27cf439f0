//! Whether Redis answers. One warning when it stops answering, one line when it is back:
//! never one per request.

use std::sync::atomic::{AtomicU8, Ordering};

const UNKNOWN: u8 = 0;
const UP: u8 = 1;
const DOWN: u8 = 2;

pub struct Health(AtomicU8);

impl Health {
    pub fn new() -> Self {
        Health(AtomicU8::new(UNKNOWN))
    }

    pub fn is_up(&self) -> bool {
        self.0.load(Ordering::Acquire) == UP
    }

    pub fn mark_up(&self) {
        if self.0.swap(UP, Ordering::AcqRel) != UP {
            tracing::info!(
                "redis answers: sharing limits, cache and updates with the other instances"
            );
        }
    }

    /// `kind` is the redis error's category (never its text, which may quote a URL).
    pub fn mark_down(&self, kind: &str) {
        if self.0.swap(DOWN, Ordering::AcqRel) != DOWN {
            tracing::warn!(
                kind,
                "redis is unreachable: answering with this instance's own limits and cache until it is back"
            );
        }
    }
}

impl Default for Health {
    fn default() -> Self {
        Health::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        let health = Health::new();
        assert!(!health.is_up(), "unknown until the first answer");
        health.mark_up();
        assert!(health.is_up());
        health.mark_down("io");
        health.mark_down("io");
        assert!(!health.is_up());
        health.mark_up();
        assert!(health.is_up());
    }
}
