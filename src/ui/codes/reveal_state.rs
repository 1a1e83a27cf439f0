//! The codes list's state and its pure logic: stable keys, grouping by item, the "Copy
//! all" text, which codes and PINs are revealed until when (the reveal state and its
//! reducer), and what the copy buttons say after a copy. Tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::{AttrValue, Reducible};

use order_core::model::{Order, Secret, Voucher};

/// One key per voucher: its reference in a redacted order, else its kind and code (never
/// its position, so a poll that adds codes keeps every revealed code revealed). Keys stay
/// in memory: Yew does not render them to the DOM.
pub fn voucher_keys(vouchers: &[Voucher]) -> Vec<AttrValue> {
    let identities: Vec<String> = vouchers
        .iter()
        .enumerate()
        .map(|(index, voucher)| {
            let kind = voucher.kind.as_str();
            match (&voucher.secret_ref, voucher.code.value()) {
                (Some(secret_ref), _) => format!("ref:{secret_ref}"),
                (None, Some(code)) => format!("{kind}:{code}"),
                (None, None) => format!("{kind}:#{index}"),
            }
        })
        .collect();
    identities
        .iter()
        .enumerate()
        .map(|(index, identity)| {
            let count = identities[..index]
                .iter()
                .filter(|earlier| *earlier == identity)
                .count()
                + 1;
            AttrValue::from(if count == 1 {
                identity.clone()
            } else {
                format!("{identity}#{count}")
            })
        })
        .collect()
}

/// What a group of codes is headed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heading {
    /// One list without sub-headings (the order has at most one item).
    None,
    /// `Order::items[index]`.
    Item(usize),
    /// Codes the vendor did not tie to an item.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub heading: Heading,
    /// Indexes into `Order::vouchers`, in the vendor's order.
    pub vouchers: Vec<usize>,
}

/// The vouchers grouped by item, in item order, with codes of no (or an unknown) item
/// last under "Other codes". An order with at most one item gets one plain list.
pub fn groups(order: &Order) -> Vec<Group> {
    let all: Vec<usize> = (0..order.vouchers.len()).collect();
    if order.items.len() <= 1 {
        return vec![Group {
            heading: Heading::None,
            vouchers: all,
        }];
    }
    let items = order.items.len();
    let indexes_where = |belongs: &dyn Fn(Option<usize>) -> bool| -> Vec<usize> {
        let vouchers = order.vouchers.iter().enumerate();
        vouchers
            .filter(|(_, voucher)| belongs(voucher.item))
            .map(|(index, _)| index)
            .collect()
    };
    let mut groups: Vec<Group> = (0..items)
        .filter_map(|item| {
            let vouchers = indexes_where(&|of| of == Some(item));
            (!vouchers.is_empty()).then_some(Group {
                heading: Heading::Item(item),
                vouchers,
            })
        })
        .collect();
    let other = indexes_where(&|of| of.is_none_or(|item| item >= items));
    if !other.is_empty() {
        groups.push(Group {
            heading: Heading::Other,
            vouchers: other,
        });
    }
    groups
}

/// Every code, one per line, each with its PIN (`CODE  PIN: 1234`); credentials as they are.
pub fn copy_all_text(vouchers: &[Voucher], pin_label: &str) -> String {
    vouchers
        .iter()
        .filter_map(|voucher| {
            let code = voucher.code.value()?;
            Some(match voucher.pin.as_ref().and_then(Secret::value) {
                Some(pin) => format!("{code}  {pin_label}: {pin}"),
                None => code.to_owned(),
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Until when each revealed code (or PIN) stays shown, by key (ms since the epoch).
type Deadlines = BTreeMap<AttrValue, f64>;

/// The two secrets of a code row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowSecret {
    Code,
    Pin,
}

/// Which "Copy" button a copy came from.
#[derive(Clone, Debug, PartialEq)]
pub enum CopySource {
    /// "Copy all", with the key of every voucher (to show them all if it fails).
    All(Rc<[AttrValue]>),
    /// One voucher's code or PIN, by key.
    One(AttrValue, RowSecret),
}

/// What the button of the last copy says until its timer runs out: "Copied" when the
/// copy worked, "Press Ctrl+C" (with the text shown selected) when it did not.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyFeedback {
    pub source: CopySource,
    pub ok: bool,
    /// Counts copies, so a second click on the same button restarts its timer.
    pub serial: u32,
}

/// Which codes and PINs are shown, each until a deadline (ms since the epoch), and the
/// last copy's feedback.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RevealState {
    codes: Deadlines,
    pins: Deadlines,
    /// "Copy all" failed: show every code in a selectable box until hidden again.
    pub copy_all_box: bool,
    pub feedback: Option<CopyFeedback>,
    copies: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RevealAction {
    /// Show or hide one code; shown codes stay until `until`.
    Code {
        key: AttrValue,
        shown: bool,
        until: f64,
    },
    /// Show or hide one PIN.
    Pin {
        key: AttrValue,
        shown: bool,
        until: f64,
    },
    /// Show every code and PIN.
    All {
        keys: Rc<[AttrValue]>,
        until: f64,
    },
    /// Show every code, PIN and the "Copy all" box.
    CopyAllBox {
        keys: Rc<[AttrValue]>,
        until: f64,
    },
    HideAll,
    /// Hide what was due at `deadline` (the timer that was set for it fired).
    Expire {
        deadline: f64,
    },
    /// A copy ended. A failed one shows what it tried to copy until `until`, so the
    /// customer can select it and press Ctrl+C.
    Copied {
        source: CopySource,
        ok: bool,
        until: f64,
    },
    /// The feedback of copy number `serial` has been shown long enough.
    FeedbackOver {
        serial: u32,
    },
}

impl RevealState {
    pub fn code_shown(&self, key: &AttrValue) -> bool {
        self.codes.contains_key(key)
    }

    pub fn pin_shown(&self, key: &AttrValue) -> bool {
        self.pins.contains_key(key)
    }

    pub fn all_codes_shown<'a>(&self, mut keys: impl Iterator<Item = &'a AttrValue>) -> bool {
        !self.codes.is_empty() && keys.all(|key| self.codes.contains_key(key))
    }

    /// What the copy button of `source` says now: `Some(true)` "Copied", `Some(false)`
    /// "Press Ctrl+C", `None` its label.
    pub fn feedback_for(&self, source: &CopySource) -> Option<bool> {
        let feedback = self.feedback.as_ref()?;
        let same = match (&feedback.source, source) {
            (CopySource::All(_), CopySource::All(_)) => true,
            (one, other) => one == other,
        };
        same.then_some(feedback.ok)
    }

    /// Whether `secret` of `key` is the text a failed copy left shown for selecting.
    pub fn to_select(&self, key: &AttrValue, secret: RowSecret) -> bool {
        self.feedback.as_ref().is_some_and(|feedback| {
            !feedback.ok && feedback.source == CopySource::One(key.clone(), secret)
        })
    }

    /// When the next re-mask is due.
    pub fn next_deadline(&self) -> Option<f64> {
        self.codes
            .values()
            .chain(self.pins.values())
            .copied()
            .reduce(f64::min)
    }

    fn apply(mut self, action: RevealAction) -> Self {
        fn set(map: &mut Deadlines, key: AttrValue, shown: bool, until: f64) {
            if shown {
                map.insert(key, until);
            } else {
                map.remove(&key);
            }
        }
        match action {
            RevealAction::Code { key, shown, until } => set(&mut self.codes, key, shown, until),
            RevealAction::Pin { key, shown, until } => set(&mut self.pins, key, shown, until),
            RevealAction::All { keys, until } => {
                for key in keys.iter() {
                    self.codes.insert(key.clone(), until);
                    self.pins.insert(key.clone(), until);
                }
            }
            RevealAction::CopyAllBox { keys, until } => {
                self = self.apply(RevealAction::All { keys, until });
                self.copy_all_box = true;
            }
            RevealAction::Copied { source, ok, until } => {
                if !ok {
                    self = self.apply(match source.clone() {
                        CopySource::All(keys) => RevealAction::CopyAllBox { keys, until },
                        CopySource::One(key, RowSecret::Code) => RevealAction::Code {
                            key,
                            shown: true,
                            until,
                        },
                        CopySource::One(key, RowSecret::Pin) => RevealAction::Pin {
                            key,
                            shown: true,
                            until,
                        },
                    });
                }
                self.copies = self.copies.wrapping_add(1);
                self.feedback = Some(CopyFeedback {
                    source,
                    ok,
                    serial: self.copies,
                });
            }
            RevealAction::FeedbackOver { serial } => {
                if self.feedback.as_ref().is_some_and(|f| f.serial == serial) {
                    self.feedback = None;
                }
            }
            RevealAction::HideAll => {
                let copies = self.copies;
                self = RevealState {
                    copies,
                    ..RevealState::default()
                };
            }
            RevealAction::Expire { deadline } => {
                self.codes.retain(|_, until| *until > deadline);
                self.pins.retain(|_, until| *until > deadline);
                if self.codes.is_empty() {
                    self.copy_all_box = false;
                }
            }
        }
        self
    }
}

impl Reducible for RevealState {
    type Action = RevealAction;

    fn reduce(self: Rc<Self>, action: RevealAction) -> Rc<Self> {
        let next = (*self).clone().apply(action);
        // The same Rc tells Yew nothing changed: no re-render.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_core::model::VoucherKind;
    use order_core::model::{Item, Status, Vendor};

    fn voucher(code: &str, item: Option<usize>) -> Voucher {
        Voucher {
            item,
            ..Voucher::new(code, VoucherKind::Code)
        }
    }

    fn item(name: &str) -> Item {
        Item {
            id: None,
            name: Some(name.into()),
            quantity: Some(1),
            unit_price: None,
            fulfilled: None,
            fulfillment_status: None,
        }
    }

    fn order(items: usize, vouchers: Vec<Voucher>) -> Order {
        let mut order = Order::new(Vendor::Shop, "1".into(), "1".into(), Status::Delivered);
        order.items = (0..items).map(|i| item(&format!("item {i}"))).collect();
        order.vouchers = vouchers;
        order
    }

    #[test]
    fn keys_are_unique_and_independent_of_position() {
        let mut credential = voucher("A", None);
        credential.kind = VoucherKind::Credential;
        let keys = voucher_keys(&[
            voucher("A", None),
            voucher("B", None),
            voucher("A", None),
            credential,
        ]);
        assert_eq!(keys, ["code:A", "code:B", "code:A#2", "credential:A"]);
        let shifted = voucher_keys(&[voucher("Z", None), voucher("B", None)]);
        assert_eq!(shifted.get(1), keys.get(1));
    }

    #[test]
    fn groups_by_item_with_other_codes_last() {
        let order = order(
            2,
            vec![
                voucher("a", Some(1)),
                voucher("b", None),
                voucher("c", Some(0)),
                voucher("d", Some(7)),
                voucher("e", Some(1)),
            ],
        );
        assert_eq!(
            groups(&order),
            [
                Group {
                    heading: Heading::Item(0),
                    vouchers: vec![2]
                },
                Group {
                    heading: Heading::Item(1),
                    vouchers: vec![0, 4]
                },
                Group {
                    heading: Heading::Other,
                    vouchers: vec![1, 3]
                },
            ]
        );
    }

    #[test]
    fn one_item_or_none_means_one_plain_list() {
        for items in [0, 1] {
            let order = order(items, vec![voucher("a", Some(0)), voucher("b", None)]);
            assert_eq!(
                groups(&order),
                [Group {
                    heading: Heading::None,
                    vouchers: vec![0, 1]
                }]
            );
        }
    }

    #[test]
    fn copy_all_puts_one_code_per_line_with_its_pin() {
        let mut with_pin = voucher("1111-2222-3333", None);
        with_pin.pin = Some("1234".into());
        let mut credential = voucher("me@example.com:hunter22", None);
        credential.kind = VoucherKind::Credential;
        assert_eq!(
            copy_all_text(&[with_pin, voucher("ABCD", None), credential], "PIN"),
            "1111-2222-3333  PIN: 1234\nABCD\nme@example.com:hunter22"
        );
    }

    fn key(text: &'static str) -> AttrValue {
        AttrValue::Static(text)
    }

    #[test]
    fn reveals_and_hides_codes_and_pins_separately() {
        let state = Rc::new(RevealState::default());
        let state = state.reduce(RevealAction::Code {
            key: key("a"),
            shown: true,
            until: 100.0,
        });
        assert!(state.code_shown(&key("a")));
        assert!(!state.pin_shown(&key("a")));
        let state = state.reduce(RevealAction::Pin {
            key: key("a"),
            shown: true,
            until: 150.0,
        });
        assert!(state.pin_shown(&key("a")));
        assert_eq!(state.next_deadline(), Some(100.0));
        let state = state.reduce(RevealAction::Code {
            key: key("a"),
            shown: false,
            until: 0.0,
        });
        assert!(!state.code_shown(&key("a")));
        assert!(state.pin_shown(&key("a")));
        let state = state.reduce(RevealAction::HideAll);
        assert!(!state.code_shown(&key("a")) && !state.pin_shown(&key("a")));
        assert_eq!(state.next_deadline(), None);
    }

    #[test]
    fn expiry_hides_only_what_was_due() {
        let keys: Rc<[AttrValue]> = Rc::from(vec![key("a"), key("b")]);
        let state = Rc::new(RevealState::default())
            .reduce(RevealAction::All {
                keys: keys.clone(),
                until: 100.0,
            })
            .reduce(RevealAction::Code {
                key: key("b"),
                shown: true,
                until: 200.0,
            });
        assert!(state.all_codes_shown(keys.iter()));
        let state = state.reduce(RevealAction::Expire { deadline: 100.0 });
        assert!(!state.code_shown(&key("a")));
        assert!(!state.pin_shown(&key("b")));
        assert!(state.code_shown(&key("b")));
        assert!(!state.all_codes_shown(keys.iter()));
        assert_eq!(state.next_deadline(), Some(200.0));
    }

    #[test]
    fn the_copy_all_box_goes_with_the_codes() {
        let keys: Rc<[AttrValue]> = Rc::from(vec![key("a")]);
        let state =
            Rc::new(RevealState::default()).reduce(RevealAction::CopyAllBox { keys, until: 100.0 });
        assert!(state.copy_all_box && state.code_shown(&key("a")));
        assert!(!state.clone().reduce(RevealAction::HideAll).copy_all_box);
        assert!(
            !state
                .reduce(RevealAction::Expire { deadline: 100.0 })
                .copy_all_box
        );
    }

    #[test]
    fn a_copy_says_copied_only_on_its_own_button_until_its_time_is_over() {
        let pin = CopySource::One(key("a"), RowSecret::Pin);
        let state = Rc::new(RevealState::default()).reduce(RevealAction::Copied {
            source: pin.clone(),
            ok: true,
            until: 100.0,
        });
        assert_eq!(state.feedback_for(&pin), Some(true));
        assert_eq!(
            state.feedback_for(&CopySource::One(key("a"), RowSecret::Code)),
            None
        );
        assert!(
            !state.pin_shown(&key("a")),
            "a copy that worked reveals nothing"
        );
        let first = state
            .feedback
            .as_ref()
            .map(|f| f.serial)
            .unwrap_or_default();
        let again = state.clone().reduce(RevealAction::Copied {
            source: pin.clone(),
            ok: true,
            until: 100.0,
        });
        // The old timer is stale: it must not end the new copy's "Copied".
        let again = again.reduce(RevealAction::FeedbackOver { serial: first });
        assert_eq!(again.feedback_for(&pin), Some(true));
        let over = state.reduce(RevealAction::FeedbackOver { serial: first });
        assert_eq!(over.feedback_for(&pin), None);
    }

    #[test]
    fn a_failed_copy_shows_its_text_for_selecting() {
        let code = CopySource::One(key("a"), RowSecret::Code);
        let state = Rc::new(RevealState::default()).reduce(RevealAction::Copied {
            source: code.clone(),
            ok: false,
            until: 100.0,
        });
        assert!(state.code_shown(&key("a")) && !state.pin_shown(&key("a")));
        assert_eq!(state.feedback_for(&code), Some(false));
        assert!(state.to_select(&key("a"), RowSecret::Code));
        assert!(!state.to_select(&key("a"), RowSecret::Pin));

        let keys: Rc<[AttrValue]> = Rc::from(vec![key("a"), key("b")]);
        let all = Rc::new(RevealState::default()).reduce(RevealAction::Copied {
            source: CopySource::All(keys.clone()),
            ok: false,
            until: 100.0,
        });
        assert!(all.copy_all_box && all.all_codes_shown(keys.iter()));
        assert_eq!(all.feedback_for(&CopySource::All(keys)), Some(false));
    }

    #[test]
    fn an_action_that_changes_nothing_keeps_the_same_state() {
        let state = Rc::new(RevealState::default());
        let same = state.clone().reduce(RevealAction::HideAll);
        assert!(Rc::ptr_eq(&state, &same));
    }
}
