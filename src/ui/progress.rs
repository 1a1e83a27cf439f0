//! The progress track: placed → paid → processing → delivered. A failed, cancelled or
//! refunded order ends the track visibly with its status.

use std::rc::Rc;

use yew::prelude::*;

use super::status_badge::label_key;
use order_core::labels::Labels;
use order_core::model::Status;

const STEPS: [&str; 4] = [
    "step_placed",
    "step_paid",
    "step_processing",
    "step_delivered",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Track {
    /// The first `done` steps are complete; the next one (if any) is current.
    Running { done: usize, problem: bool },
    /// The order ended early after the first step.
    Ended,
}

pub fn track(status: Status) -> Track {
    let running = |done, problem| Track::Running { done, problem };
    match status {
        Status::Initiated | Status::Authorized | Status::Unknown => running(1, false),
        Status::Pending | Status::Processing => running(2, false),
        Status::NeedsAttention => running(2, true),
        Status::PartiallyDelivered => running(3, false),
        Status::Delivered => running(4, false),
        Status::Failed | Status::Cancelled | Status::Refunded => Track::Ended,
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ProgressProps {
    pub status: Status,
    pub labels: Rc<Labels>,
}

#[component]
pub fn Progress(props: &ProgressProps) -> Html {
    let ProgressProps { status, labels } = props;
    let status = *status;
    let step = |index: usize, key: &str, state: &'static str| {
        let current = state == "current" || state == "problem";
        html! {
            <li
                key={index}
                class="ow-step"
                data-state={state}
                aria-current={current.then_some("step")}
            >
                <span class="ow-step-dot" aria-hidden="true"></span>
                <span class="ow-step-label">{ labels.get(key) }</span>
                if state == "done" {
                    <span class="ow-visually-hidden">{ format!(" ({})", labels.get("step_done")) }</span>
                }
            </li>
        }
    };
    let steps: Html = match track(status) {
        Track::Running { done, problem } => STEPS
            .iter()
            .enumerate()
            .map(|(index, key)| {
                let state = if index < done {
                    "done"
                } else if index == done && problem {
                    "problem"
                } else if index == done {
                    "current"
                } else {
                    "todo"
                };
                step(index, key, state)
            })
            .collect(),
        Track::Ended => html! {
            <>
                { step(0, STEPS[0], "done") }
                { step(1, &label_key(status), "ended") }
            </>
        },
    };
    html! {
        <ol class="ow-progress" part="progress" aria-label={labels.get("progress_label").to_owned()}>
            { steps }
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_track_follows_the_order() {
        assert_eq!(
            track(Status::Initiated),
            Track::Running {
                done: 1,
                problem: false
            }
        );
        assert_eq!(
            track(Status::Processing),
            Track::Running {
                done: 2,
                problem: false
            }
        );
        assert_eq!(
            track(Status::NeedsAttention),
            Track::Running {
                done: 2,
                problem: true
            }
        );
        assert_eq!(
            track(Status::Delivered),
            Track::Running {
                done: 4,
                problem: false
            }
        );
        for ended in [Status::Failed, Status::Cancelled, Status::Refunded] {
            assert_eq!(track(ended), Track::Ended);
        }
    }
}
