//! The markdown table of the poll report.

use std::fmt::Write;
use std::time::Duration;

use order_core::schedule::simulate::{simulation_config, target_delay};

use super::pages::{LIVE_TTL, OPENED_EVERY, PAGES};
use super::{Kind, Measurement};

pub fn markdown(measurements: &[Measurement]) -> String {
    let config = simulation_config();
    let mut out = String::new();
    out.push_str(
        "Measured by `cargo xtask poll-report` on a simulated clock: the first request is at \
         0, a request at t sees the order delivered iff t ≥ the delivery instant, answers are \
         instant. Each delivery time D is tried at 50 instants, every 100 ms over (D − 5 s, D], \
         and every row shows the worst of each measure (so no strategy is lucky to poll exactly \
         at D). Our schedule runs with the default configuration and a one-hour maximum wait \
         (no round ends before the 30-minute delivery), over 20 jitter seeds. The doubling \
         baseline is uncapped. Budget: ",
    );
    let _ = write!(
        out,
        "{} requests per rolling hour, {} per rolling 10 s. \
         Target: detection delay ≤ max(3 s, 10 % of the delivery time). \
         The last column is our detection delay divided by that strategy's (below 1: ours notices sooner).\n\n",
        config.budget_per_hour, config.burst_per_10s
    );
    let _ = write!(
        out,
        "The two page rows put {PAGES} pages on one order, opening {} apart. Widget-held: \
         each page polls on our schedule (its own jitter seed) through order-proxy's {} live \
         cache, so a poll within {} of the last vendor call is answered from that call; the \
         detection delay is the worst page's, counted from the delivery or from when the \
         page opened if later. Proxy-held: order-proxy keeps one schedule for the order (the \
         same configuration: the proxy's is the default with a one-hour maximum wait) and \
         pushes each change to every page's event stream, so its requests and delay are one \
         schedule's whatever the number of pages; the push itself is not simulated \
         (`crates/order-proxy/tests/schedule.rs` and `schedule_redis.rs` measure it on loopback). Requests \
         over the budget are counted as made: order-proxy would refuse them (429) and the \
         pages would back off, which is not simulated either.\n\n",
        duration(OPENED_EVERY),
        duration(LIVE_TTL),
        duration(LIVE_TTL),
    );
    out.push_str(
        "| Delivery | Strategy | Requests | Detection delay | Max / hour | Max / 10 s | Our delay vs this |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|\n");
    for m in measurements {
        let ours = measurements
            .iter()
            .find(|o| o.kind == Kind::Ours && o.delivery == m.delivery)
            .and_then(|o| o.run.detection_delay);
        let ratio = match (m.kind, ours, m.run.detection_delay) {
            (Kind::Ours, _, _) => "—".to_owned(),
            (_, Some(ours), Some(theirs)) if !theirs.is_zero() => {
                format!("{:.2}×", ours.as_secs_f64() / theirs.as_secs_f64())
            }
            _ => "n/a".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} (target ≤ {}) | {} | {} | {} | {} | {} | {} |",
            duration(m.delivery),
            duration(target_delay(m.delivery)),
            m.kind.label(),
            m.run.requests,
            m.run
                .detection_delay
                .map_or_else(|| "not seen".to_owned(), duration),
            over(m.run.max_per_hour, config.budget_per_hour),
            over(m.run.max_per_10s, config.burst_per_10s),
            ratio,
        );
    }
    out
}

fn over(count: u32, limit: u32) -> String {
    if count > limit {
        format!("**{count}** (over {limit})")
    } else {
        count.to_string()
    }
}

pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 && d.as_millis() % 60_000 == 0 {
        format!("{} min", d.as_secs() / 60)
    } else {
        format!("{secs:.1} s")
    }
}
