//! The gauges of what is open right now, read at scrape time from where it is kept (the
//! stream fanout, the connection slots, Redis's health) rather than counted up and down
//! beside it, so they cannot drift.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::gauge::ConstGauge;

type Reading<T> = Box<dyn Fn() -> T + Send + Sync>;

/// How to read each gauge; a reading left out is not exported.
#[derive(Default)]
pub struct Live {
    pub event_streams_open: Option<Reading<usize>>,
    pub connections_open: Option<Reading<usize>>,
    /// Only with `--redis`.
    pub redis_up: Option<Reading<bool>>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Live").finish_non_exhaustive()
    }
}

impl Collector for Live {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let count = |reading: &Reading<usize>| i64::try_from(reading()).unwrap_or(i64::MAX);
        let gauges = [
            (
                "event_streams_open",
                "Event streams open on this instance",
                self.event_streams_open.as_ref().map(count),
            ),
            (
                "connections_open",
                "Client connections open on the public listener",
                self.connections_open.as_ref().map(count),
            ),
            (
                "redis_up",
                "1 while Redis answers, 0 while it does not (only with --redis)",
                self.redis_up.as_ref().map(|up| i64::from(up())),
            ),
        ];
        for (name, help, value) in gauges {
            let Some(value) = value else { continue };
            let gauge = ConstGauge::new(value);
            let metric = encoder.encode_descriptor(name, help, None, gauge.metric_type())?;
            gauge.encode(metric)?;
        }
        Ok(())
    }
}
