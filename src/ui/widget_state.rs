//! What the widget shows, as a pure reducer: keeps the last good order, puts an error
//! notice beside it, and works out which events a transition produces.
//!
//! An answer equal to what is shown produces no new state at all, so Yew does not
//! re-render and the DOM is not touched.

use std::rc::Rc;

use yew::Reducible;

use order_core::error::FetchError;
use order_core::host_events::HostEvent;
use order_core::model::{Order, Status};
use order_core::schedule::{Outcome, StopReason};

#[derive(Clone, Debug, PartialEq)]
pub struct WidgetState {
    /// The last good order, kept through later errors.
    pub order: Option<Rc<Order>>,
    /// The last check failed (shown beside the order, or alone before the first order).
    pub error: Option<FetchError>,
    /// A check the customer can see is running: the first one, or one they asked for.
    pub checking: bool,
    /// The events of the last transition that produced any.
    pub outbox: Outbox,
    /// Polling stopped for a reason the customer should see (`MaxWait`, `NotFound`, …),
    /// with the wall-clock time of the last check.
    pub stopped: Option<Stopped>,
    /// "Check again" was clicked outside the request budget: the next check runs after
    /// this many milliseconds.
    pub deferred_ms: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub reason: StopReason,
    pub last_checked_unix_ms: Option<u64>,
}

/// Events to send to the host page. `batch` grows with every new set, so the widget
/// sends each set exactly once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    pub batch: u32,
    pub events: Vec<HostEvent>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A check starts; `visible` when the customer should see it (first load, "Check again").
    Checking {
        visible: bool,
    },
    Loaded(Rc<Order>),
    Failed(FetchError),
    /// Polling stopped.
    Stopped(Stopped),
    /// A manual check must wait this long (budget or `Retry-After`).
    Deferred {
        wait_ms: u64,
    },
}

impl Default for WidgetState {
    fn default() -> Self {
        WidgetState {
            order: None,
            error: None,
            checking: true,
            outbox: Outbox::default(),
            stopped: None,
            deferred_ms: None,
        }
    }
}

impl WidgetState {
    /// The next state, or `None` when nothing changes.
    pub fn apply(&self, action: Action) -> Option<WidgetState> {
        match action {
            Action::Checking { visible } => {
                let changes = (visible && !self.checking) || self.stopped.is_some();
                changes.then(|| WidgetState {
                    checking: self.checking || visible,
                    stopped: None,
                    deferred_ms: None,
                    ..self.clone()
                })
            }
            Action::Loaded(order) => self.loaded(order),
            Action::Failed(error) => Some(WidgetState {
                outbox: self
                    .outbox
                    .next(vec![HostEvent::Error { kind: error.kind }]),
                error: Some(error),
                checking: false,
                deferred_ms: None,
                ..self.clone()
            }),
            // A terminal order explains itself; only other stops are shown.
            Action::Stopped(Stopped {
                reason: StopReason::Terminal,
                ..
            }) => None,
            Action::Stopped(stopped) => (self.stopped != Some(stopped)).then(|| WidgetState {
                stopped: Some(stopped),
                checking: false,
                ..self.clone()
            }),
            Action::Deferred { wait_ms } => Some(WidgetState {
                deferred_ms: Some(wait_ms),
                ..self.clone()
            }),
        }
    }

    fn loaded(&self, order: Rc<Order>) -> Option<WidgetState> {
        let previous = self.order.as_deref();
        if previous == Some(&*order) {
            if self.error.is_none() && !self.checking && self.deferred_ms.is_none() {
                return None;
            }
            return Some(WidgetState {
                error: None,
                checking: false,
                deferred_ms: None,
                ..self.clone()
            });
        }
        let events = events_for(previous, &order);
        Some(WidgetState {
            order: Some(order),
            error: None,
            checking: false,
            outbox: if events.is_empty() {
                self.outbox.clone()
            } else {
                self.outbox.next(events)
            },
            stopped: None,
            deferred_ms: None,
        })
    }
}

impl Outbox {
    fn next(&self, events: Vec<HostEvent>) -> Outbox {
        Outbox {
            batch: self.batch.wrapping_add(1),
            events,
        }
    }
}

/// What a fetched order means for the poll schedule.
pub fn outcome(previous: Option<&Order>, order: &Order) -> Outcome {
    if order.status.is_terminal() {
        Outcome::Terminal
    } else if previous == Some(order) {
        Outcome::Unchanged
    } else {
        Outcome::Changed {
            status: order.status,
        }
    }
}

/// `ready` for the first order, `status` for each change, `delivered` on reaching it.
fn events_for(previous: Option<&Order>, order: &Order) -> Vec<HostEvent> {
    let mut events = Vec::new();
    let previous_status = previous.map(|p| p.status);
    match previous_status {
        None => events.push(HostEvent::Ready {
            status: order.status,
        }),
        Some(before) if before != order.status => events.push(HostEvent::Status {
            status: order.status,
            previous: Some(before),
        }),
        Some(_) => {}
    }
    if order.status == Status::Delivered && previous_status != Some(Status::Delivered) {
        events.push(HostEvent::Delivered {
            codes: order.vouchers.len(),
        });
    }
    events
}

impl Reducible for WidgetState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            // Same `Rc`: Yew skips the render.
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::error::ErrorKind;
    use order_core::model::{Vendor, Voucher, VoucherKind};

    fn order(status: Status) -> Order {
        Order::new(Vendor::Shop, "7".into(), "A-7".into(), status)
    }

    fn voucher(code: &str) -> Voucher {
        Voucher::new(code, VoucherKind::Code)
    }

    fn network_error() -> FetchError {
        FetchError::new(ErrorKind::Network, "offline")
    }

    fn loaded(state: &WidgetState, order: Order) -> WidgetState {
        state
            .apply(Action::Loaded(Rc::new(order)))
            .expect("a change")
    }

    #[test]
    fn starts_checking_without_an_order() {
        let state = WidgetState::default();
        assert!(state.checking);
        assert!(state.order.is_none() && state.error.is_none());
    }

    #[test]
    fn the_first_order_is_ready() {
        let state = loaded(&WidgetState::default(), order(Status::Processing));
        assert!(!state.checking);
        assert_eq!(
            state.order.as_ref().map(|order| order.status),
            Some(Status::Processing)
        );
        assert_eq!(
            state.outbox,
            Outbox {
                batch: 1,
                events: vec![HostEvent::Ready {
                    status: Status::Processing
                }]
            }
        );
    }

    #[test]
    fn an_order_delivered_at_first_sight_is_ready_and_delivered() {
        let mut delivered = order(Status::Delivered);
        delivered.vouchers = vec![voucher("SECRET-1"), voucher("SECRET-2")];
        let state = loaded(&WidgetState::default(), delivered);
        assert_eq!(
            state.outbox.events,
            [
                HostEvent::Ready {
                    status: Status::Delivered
                },
                HostEvent::Delivered { codes: 2 }
            ]
        );
    }

    #[test]
    fn an_equal_order_changes_nothing() {
        let state = loaded(&WidgetState::default(), order(Status::Pending));
        assert_eq!(
            state.apply(Action::Loaded(Rc::new(order(Status::Pending)))),
            None
        );
        assert_eq!(state.apply(Action::Checking { visible: false }), None);
    }

    #[test]
    fn a_status_change_fires_once() {
        let pending = loaded(&WidgetState::default(), order(Status::Pending));
        let processing = loaded(&pending, order(Status::Processing));
        assert_eq!(processing.outbox.batch, 2);
        assert_eq!(
            processing.outbox.events,
            [HostEvent::Status {
                status: Status::Processing,
                previous: Some(Status::Pending)
            }]
        );
        let delivered = loaded(&processing, order(Status::Delivered));
        assert_eq!(
            delivered.outbox.events,
            [
                HostEvent::Status {
                    status: Status::Delivered,
                    previous: Some(Status::Processing)
                },
                HostEvent::Delivered { codes: 0 }
            ]
        );
        assert_eq!(
            delivered.apply(Action::Loaded(Rc::new(order(Status::Delivered)))),
            None
        );
    }

    #[test]
    fn a_change_without_a_new_status_keeps_the_outbox() {
        let pending = loaded(&WidgetState::default(), order(Status::PartiallyDelivered));
        let mut more = order(Status::PartiallyDelivered);
        more.vouchers.push(voucher("NEW-CODE"));
        let next = loaded(&pending, more);
        assert_eq!(next.outbox, pending.outbox);
        assert_eq!(next.order.map(|o| o.vouchers.len()), Some(1));
    }

    #[test]
    fn an_error_keeps_the_last_good_order() {
        let good = loaded(&WidgetState::default(), order(Status::Processing));
        let failed = good.apply(Action::Failed(network_error())).unwrap();
        assert_eq!(failed.order, good.order);
        assert_eq!(failed.error, Some(network_error()));
        assert_eq!(
            failed.outbox.events,
            [HostEvent::Error {
                kind: ErrorKind::Network
            }]
        );
        // Every failed check is reported, even the same error twice.
        let again = failed.apply(Action::Failed(network_error())).unwrap();
        assert_eq!(again.outbox.batch, failed.outbox.batch + 1);
        // The same order after the error clears the notice without new events.
        let recovered = loaded(&again, order(Status::Processing));
        assert_eq!(recovered.error, None);
        assert_eq!(recovered.outbox, again.outbox);
        assert!(Rc::ptr_eq(
            recovered.order.as_ref().unwrap(),
            good.order.as_ref().unwrap()
        ));
    }

    #[test]
    fn an_error_before_any_order_is_shown_alone() {
        let failed = WidgetState::default()
            .apply(Action::Failed(network_error()))
            .unwrap();
        assert!(failed.order.is_none() && !failed.checking);
        assert!(failed.error.is_some());
    }

    #[test]
    fn poll_outcomes() {
        let pending = order(Status::Pending);
        assert_eq!(
            outcome(None, &pending),
            Outcome::Changed {
                status: Status::Pending
            }
        );
        assert_eq!(outcome(Some(&pending), &pending), Outcome::Unchanged);
        let mut more = order(Status::Pending);
        more.vouchers.push(voucher("C"));
        assert_eq!(
            outcome(Some(&pending), &more),
            Outcome::Changed {
                status: Status::Pending
            }
        );
        assert_eq!(
            outcome(Some(&pending), &order(Status::Delivered)),
            Outcome::Terminal
        );
    }

    #[test]
    fn a_stop_is_shown_until_the_next_check() {
        let good = loaded(&WidgetState::default(), order(Status::Processing));
        let terminal = Stopped {
            reason: StopReason::Terminal,
            last_checked_unix_ms: Some(5),
        };
        assert_eq!(good.apply(Action::Stopped(terminal)), None);
        let waited = Stopped {
            reason: StopReason::MaxWait,
            last_checked_unix_ms: Some(5),
        };
        let stopped = good.apply(Action::Stopped(waited)).unwrap();
        assert_eq!(stopped.stopped, Some(waited));
        assert_eq!(stopped.apply(Action::Stopped(waited)), None);
        let again = stopped.apply(Action::Checking { visible: true }).unwrap();
        assert_eq!(again.stopped, None);
        assert!(again.checking);
    }

    #[test]
    fn a_deferred_check_is_shown_until_answered() {
        let good = loaded(&WidgetState::default(), order(Status::Processing));
        let deferred = good.apply(Action::Deferred { wait_ms: 4000 }).unwrap();
        assert_eq!(deferred.deferred_ms, Some(4000));
        let answered = deferred
            .apply(Action::Loaded(Rc::new(order(Status::Processing))))
            .unwrap();
        assert_eq!(answered.deferred_ms, None);
    }

    #[test]
    fn a_visible_check_shows_until_answered() {
        let good = loaded(&WidgetState::default(), order(Status::Pending));
        let checking = good.apply(Action::Checking { visible: true }).unwrap();
        assert!(checking.checking);
        assert_eq!(checking.apply(Action::Checking { visible: true }), None);
        let answered = checking
            .apply(Action::Loaded(Rc::new(order(Status::Pending))))
            .unwrap();
        assert!(!answered.checking);
        assert_eq!(answered.outbox, good.outbox);
    }
}
