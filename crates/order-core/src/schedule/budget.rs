//! The rolling-window request log behind the hard budget.

use std::collections::VecDeque;

use super::Millis;

/// The times of the most recent requests, oldest first. Only as many as the largest
/// limit are kept: the N-th most recent request alone decides whether one more fits.
#[derive(Clone, Debug)]
pub struct RequestLog {
    times: VecDeque<Millis>,
    keep: usize,
}

impl RequestLog {
    pub fn new(keep: u32) -> Self {
        let keep = usize::try_from(keep.max(1)).unwrap_or(usize::MAX);
        RequestLog {
            times: VecDeque::new(),
            keep,
        }
    }

    pub fn record(&mut self, at: Millis) {
        // The clock is monotonic, but keep the log sorted even if a caller is not.
        let position = self
            .times
            .iter()
            .rposition(|&t| t <= at)
            .map_or(0, |i| i + 1);
        self.times.insert(position, at);
        while self.times.len() > self.keep {
            self.times.pop_front();
        }
    }

    /// The earliest instant a new request keeps at most `limit` requests in every
    /// half-open window `[t, t + window)`.
    pub fn earliest_allowed(&self, limit: u32, window: Millis) -> Millis {
        let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
        match self.times.len().checked_sub(limit) {
            Some(index) => self
                .times
                .get(index)
                .map_or(0, |&t| t.saturating_add(window)),
            None => 0,
        }
    }
}
