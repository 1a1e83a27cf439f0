//! `cargo xtask poll-report`: simulate our polling schedule against a fixed 5 s interval
//! and an uncapped doubling backoff, and ten pages on one order holding a schedule each
//! against order-proxy holding one for all; print the table, write it into README.md
//! between the `poll-report` markers, and plot detection delay in `docs/poll-delay.svg`.

mod pages;
mod plot;
mod table;

use std::path::{Path, PathBuf};
use std::time::Duration;

use order_core::schedule::simulate::{
    simulation_config, worst_case, worst_over_seeds, Run, Strategy, DELIVERY_TIMES,
};

/// Our schedule is run with this many jitter seeds; the report shows the worst of each measure.
const SEEDS: u64 = 20;
const START_MARKER: &str = "<!-- poll-report:start -->";
const END_MARKER: &str = "<!-- poll-report:end -->";

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

    let root = repo_root();
    let readme = root.join("README.md");
    let text = std::fs::read_to_string(&readme)
        .map_err(|e| format!("reading {}: {e}", readme.display()))?;
    let updated = replace_between_markers(&text, &markdown)?;
    std::fs::write(&readme, updated).map_err(|e| format!("writing {}: {e}", readme.display()))?;

    let svg = root.join("docs").join("poll-delay.svg");
    std::fs::create_dir_all(root.join("docs")).map_err(|e| format!("creating docs/: {e}"))?;
    plot::draw(&measurements, &svg)?;
    println!("wrote {} and {}", readme.display(), svg.display());
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

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn replace_between_markers(text: &str, content: &str) -> Result<String, String> {
    let missing = || format!("README.md needs the markers {START_MARKER} and {END_MARKER}");
    let start = text.find(START_MARKER).ok_or_else(missing)? + START_MARKER.len();
    let end = text
        .get(start..)
        .and_then(|rest| rest.find(END_MARKER))
        .ok_or_else(missing)?
        + start;
    let before = text.get(..start).ok_or_else(missing)?;
    let after = text.get(end..).ok_or_else(missing)?;
    Ok(format!("{before}\n{}\n{after}", content.trim_end()))
}
