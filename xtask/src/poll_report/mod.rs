//! `cargo xtask poll-report`: simulate our polling schedule against a fixed 5 s interval
//! and an uncapped doubling backoff, and ten pages on one order holding a schedule each
//! against order-proxy holding one for all; print the table, write it into
//! docs/push-and-polling.md between the `poll-report` markers, and plot detection delay in
//! `docs/poll-delay.svg`.

mod pages;
mod plot;
mod table;

use std::time::Duration;

use order_core::schedule::simulate::{
    simulation_config, worst_case, worst_over_seeds, Run, Strategy, DELIVERY_TIMES,
};

/// Our schedule is run with this many jitter seeds; the report shows the worst of each measure.
const SEEDS: u64 = 20;
/// The page the table is written into.
const PAGE: &str = "docs/push-and-polling.md";

/// The strategies compared, in table and legend order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ours,
    Fixed,
    Doubling,
    /// [`pages::PAGES`] pages on the order, each with our schedule (the widget holds it).
    PagesOwnSchedules,
    /// The same pages, with order-proxy keeping one schedule and pushing each change.
    PagesProxySchedule,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Ours,
        Kind::Fixed,
        Kind::Doubling,
        Kind::PagesOwnSchedules,
        Kind::PagesProxySchedule,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Ours => "our schedule",
            Kind::Fixed => "fixed 5 s interval",
            Kind::Doubling => "doubling 1, 2, 4 … s (uncapped)",
            Kind::PagesOwnSchedules => "10 pages, a schedule each (widget-held)",
            Kind::PagesProxySchedule => "10 pages, one schedule in order-proxy (pushed)",
        }
    }
}

/// One measured cell of the comparison.
pub struct Measurement {
    pub delivery: Duration,
    pub kind: Kind,
    pub run: Run,
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("poll-report takes no arguments, got {arg:?}"));
    }
    let measurements = measure();
    let markdown = table::markdown(&measurements);
    println!("{markdown}");

    crate::docs::write_section(PAGE, "poll-report", &markdown)?;
    let svg = crate::cmd::root().join("docs").join("poll-delay.svg");
    plot::draw(&measurements, &svg)?;
    println!("wrote {PAGE} and {}", svg.display());
    Ok(())
}

fn measure() -> Vec<Measurement> {
    let fixed = Strategy::Fixed {
        interval: Duration::from_secs(5),
    };
    let doubling = Strategy::Doubling {
        first: Duration::from_secs(1),
    };
    let mut measurements = Vec::new();
    for delivery in DELIVERY_TIMES {
        for kind in Kind::ALL {
            let run = match kind {
                Kind::Ours => worst_over_seeds(simulation_config(), 0..SEEDS, delivery),
                Kind::Fixed => worst_case(&fixed, delivery),
                Kind::Doubling => worst_case(&doubling, delivery),
                Kind::PagesOwnSchedules => {
                    pages::own_schedules(simulation_config(), 0..SEEDS, delivery)
                }
                // One schedule, whatever the number of pages: our schedule's row again.
                Kind::PagesProxySchedule => {
                    worst_over_seeds(simulation_config(), 0..SEEDS, delivery)
                }
            };
            measurements.push(Measurement {
                delivery,
                kind,
                run,
            });
        }
    }
    measurements
}
