//! The codes list's state and its pure logic: stable keys, grouping by item, the "Copy
//! all" text, which codes and PINs are revealed until when and the secrets revealed for
//! them (the reveal state and its reducer), the fetches of withheld secrets, which QR codes
//! are shown, and what the copy buttons say after a copy. Tested natively.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::{AttrValue, Reducible};

use order_core::error::ErrorKind;
use order_core::model::{Order, Secret, Voucher};
use order_core::secret::Revealed;

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

/// A voucher's secrets as far as they are known: its own values (an order with codes
/// inline), else what the proxy revealed of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known<'a> {
    pub code: &'a str,
    pub pin: Option<&'a str>,
    /// The claim URL, which a redacted order leaves out when it carries the code or PIN.
    pub claim_url: Option<&'a str>,
}

/// `voucher`'s secrets, from the voucher or `revealed`; `None` while they are withheld.
pub fn known<'a>(voucher: &'a Voucher, revealed: Option<&'a Revealed>) -> Option<Known<'a>> {
    match (voucher.code.value(), revealed) {
        (Some(code), _) => Some(Known {
            code,
            pin: voucher.pin.as_ref().and_then(Secret::value),
            claim_url: voucher.claim_url.as_deref(),
        }),
        (None, Some(revealed)) => Some(Known {
            code: &revealed.code,
            pin: revealed.pin.as_deref(),
            claim_url: revealed
                .claim_url
                .as_deref()
                .or(voucher.claim_url.as_deref()),
        }),
        (None, None) => None,
    }
}

/// Every code, one per line, each with its PIN (`CODE  PIN: 1234`); credentials as they
/// are. `None` while any of them is withheld.
pub fn copy_all_text<'a>(
    codes: impl IntoIterator<Item = Option<Known<'a>>>,
    pin_label: &str,
) -> Option<String> {
    let lines = codes
        .into_iter()
        .map(|known| {
            let known = known?;
            Some(match known.pin {
                Some(pin) => format!("{}  {pin_label}: {pin}", known.code),
                None => known.code.to_owned(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(lines.join("\n"))
}

/// Until when each revealed code (or PIN) stays shown, by key (ms since the epoch).
type Deadlines = BTreeMap<AttrValue, f64>;

/// The two secrets of a code row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowSecret {
    Code,
    Pin,
}

/// What a button acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Every code ("Reveal all", "Copy all", "Download CSV"), with the key of every
    /// voucher (to show them all when a copy fails).
    All(Rc<[AttrValue]>),
    /// One voucher's code or PIN, by key.
    One(AttrValue, RowSecret),
}

/// What a press asks for, when it has to fetch withheld secrets first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Press {
    Reveal,
    Copy,
    Download,
}

/// A button whose press is fetching (or failed to fetch) withheld secrets.
#[derive(Clone, Debug, PartialEq)]
pub struct Button {
    pub press: Press,
    pub target: Target,
}

impl Button {
    pub fn new(press: Press, target: Target) -> Button {
        Button { press, target }
    }

    fn same(&self, other: &Button) -> bool {
        self.press == other.press
            && match (&self.target, &other.target) {
                (Target::All(_), Target::All(_)) => true,
                (one, other) => one == other,
            }
    }
}

/// Where a button's fetch is: on its way ("Revealing…"), or failed, and why ("Try again").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
    Pending,
    Failed(ErrorKind),
}

/// What the button of the last copy says until its timer runs out: "Copied" when the
/// copy worked, "Press Ctrl+C" (with the text shown selected) when it did not.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyFeedback {
    pub source: Target,
    pub ok: bool,
    /// Counts copies, so a second click on the same button restarts its timer.
    pub serial: u32,
}

/// Which codes and PINs are shown, each until a deadline (ms since the epoch), the
/// secrets revealed for them, the fetches under way, which QR codes are shown, and the
/// last copy's feedback.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RevealState {
    codes: Deadlines,
    pins: Deadlines,
    /// Withheld secrets the proxy revealed, by key: kept only while their code or PIN is
    /// shown, forgotten with the re-mask.
    revealed: BTreeMap<AttrValue, Rc<Revealed>>,
    /// Buttons whose fetch is on its way or failed.
    fetches: Vec<(Button, Fetch)>,
    /// The codes whose QR code is shown (only while the code is).
    qr: BTreeSet<AttrValue>,
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
    /// Show or hide a shown code's QR code.
    Qr {
        key: AttrValue,
        shown: bool,
    },
    HideAll,
    /// Hide what was due at `deadline` (the timer that was set for it fired).
    Expire {
        deadline: f64,
    },
    /// `button` started fetching withheld secrets.
    Fetching {
        button: Button,
    },
    /// `button`'s fetch answered: a reveal shows what it revealed until `until`. An
    /// answer for a button no longer fetching (the page was hidden meanwhile) is dropped.
    Fetched {
        button: Button,
        revealed: Vec<(AttrValue, Rc<Revealed>)>,
        until: f64,
    },
    /// `button`'s fetch failed: nothing is shown, the button offers to try again.
    FetchFailed {
        button: Button,
        kind: ErrorKind,
    },
    /// A copy ended. A failed one shows what it tried to copy until `until`, so the
    /// customer can select it and press Ctrl+C; `revealed` is what it fetched to copy
    /// (kept only when the failure shows it).
    Copied {
        source: Target,
        ok: bool,
        until: f64,
        revealed: Vec<(AttrValue, Rc<Revealed>)>,
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

    /// What the proxy revealed of `key`, while it is shown.
    pub fn revealed(&self, key: &AttrValue) -> Option<&Rc<Revealed>> {
        self.revealed.get(key)
    }

    pub fn qr_shown(&self, key: &AttrValue) -> bool {
        self.qr.contains(key)
    }

    /// Where `button`'s fetch is, if it has one.
    pub fn fetch_of(&self, button: &Button) -> Option<Fetch> {
        self.fetches
            .iter()
            .find(|(fetching, _)| fetching.same(button))
            .map(|(_, fetch)| *fetch)
    }

    /// What the copy button of `source` says now: `Some(true)` "Copied", `Some(false)`
    /// "Press Ctrl+C", `None` its label.
    pub fn feedback_for(&self, source: &Target) -> Option<bool> {
        let feedback = self.feedback.as_ref()?;
        let same = match (&feedback.source, source) {
            (Target::All(_), Target::All(_)) => true,
            (one, other) => one == other,
        };
        same.then_some(feedback.ok)
    }

    /// Whether `secret` of `key` is the text a failed copy left shown for selecting.
    pub fn to_select(&self, key: &AttrValue, secret: RowSecret) -> bool {
        self.feedback.as_ref().is_some_and(|feedback| {
            !feedback.ok && feedback.source == Target::One(key.clone(), secret)
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
            RevealAction::Qr { key, shown } => {
                if shown {
                    self.qr.insert(key);
                } else {
                    self.qr.remove(&key);
                }
            }
            RevealAction::Fetching { button } => {
                self.fetches.retain(|(fetching, _)| !fetching.same(&button));
                self.fetches.push((button, Fetch::Pending));
            }
            RevealAction::Fetched {
                button,
                revealed,
                until,
            } => {
                if self.fetch_of(&button) != Some(Fetch::Pending) {
                    return self;
                }
                self.fetches.retain(|(fetching, _)| !fetching.same(&button));
                if button.press == Press::Reveal {
                    self.revealed.extend(revealed);
                    self = self.apply(match button.target {
                        Target::All(keys) => RevealAction::All { keys, until },
                        Target::One(key, RowSecret::Code) => RevealAction::Code {
                            key,
                            shown: true,
                            until,
                        },
                        Target::One(key, RowSecret::Pin) => RevealAction::Pin {
                            key,
                            shown: true,
                            until,
                        },
                    });
                }
            }
            RevealAction::FetchFailed { button, kind } => {
                if self.fetch_of(&button) == Some(Fetch::Pending) {
                    self.fetches.retain(|(fetching, _)| !fetching.same(&button));
                    self.fetches.push((button, Fetch::Failed(kind)));
                }
            }
            RevealAction::Copied {
                source,
                ok,
                until,
                revealed,
            } => {
                let button = Button::new(Press::Copy, source.clone());
                self.fetches.retain(|(fetching, _)| !fetching.same(&button));
                if !ok {
                    self.revealed.extend(revealed);
                    self = self.apply(match source.clone() {
                        Target::All(keys) => RevealAction::CopyAllBox { keys, until },
                        Target::One(key, RowSecret::Code) => RevealAction::Code {
                            key,
                            shown: true,
                            until,
                        },
                        Target::One(key, RowSecret::Pin) => RevealAction::Pin {
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
        self.forget_what_is_hidden();
        self
    }

    /// A secret stays in memory only while its code or PIN is shown, a QR code only
    /// while its code is.
    fn forget_what_is_hidden(&mut self) {
        let (codes, pins) = (&self.codes, &self.pins);
        self.revealed
            .retain(|key, _| codes.contains_key(key) || pins.contains_key(key));
        self.qr.retain(|key| codes.contains_key(key));
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
        let vouchers = [with_pin, voucher("ABCD", None), credential];
        assert_eq!(
            copy_all_text(vouchers.iter().map(|v| known(v, None)), "PIN").as_deref(),
            Some("1111-2222-3333  PIN: 1234\nABCD\nme@example.com:hunter22")
        );
    }

    fn withheld(secret_ref: &str, code: &str, pin: Option<&str>) -> (Voucher, Revealed) {
        let mut voucher = voucher(code, None);
        voucher.pin = pin.map(Into::into);
        voucher.claim_url = Some(format!("https://r.example/?c={code}"));
        let revealed = voucher.revealed(secret_ref).unwrap();
        (voucher.redacted(secret_ref.to_owned()), revealed)
    }

    #[test]
    fn withheld_secrets_are_known_once_revealed() {
        let (redacted, revealed) = withheld("r1", "WITHHELD-0001", Some("4321"));
        assert_eq!(known(&redacted, None), None);
        assert_eq!(
            known(&redacted, Some(&revealed)),
            Some(Known {
                code: "WITHHELD-0001",
                pin: Some("4321"),
                claim_url: Some("https://r.example/?c=WITHHELD-0001"),
            })
        );
        let inline = voucher("INLINE-0002", None);
        assert_eq!(
            known(&inline, Some(&revealed)).map(|k| k.code),
            Some("INLINE-0002")
        );
        let copied = copy_all_text([known(&redacted, Some(&revealed))], "PIN");
        assert_eq!(copied.as_deref(), Some("WITHHELD-0001  PIN: 4321"));
        assert_eq!(
            copy_all_text([known(&inline, None), known(&redacted, None)], "PIN"),
            None,
            "a withheld code leaves nothing to copy"
        );
    }

    fn revealed_as(key_text: &'static str, code: &str) -> (AttrValue, Rc<Revealed>) {
        let (_, revealed) = withheld("r", code, None);
        (key(key_text), Rc::new(revealed))
    }

    #[test]
    fn a_fetched_secret_is_shown_and_forgotten_with_the_re_mask() {
        let button = Button::new(Press::Reveal, Target::One(key("a"), RowSecret::Code));
        let state = Rc::new(RevealState::default()).reduce(RevealAction::Fetching {
            button: button.clone(),
        });
        assert_eq!(state.fetch_of(&button), Some(Fetch::Pending));
        assert!(!state.code_shown(&key("a")));
        let state = state.reduce(RevealAction::Fetched {
            button: button.clone(),
            revealed: vec![revealed_as("a", "FETCHED-0001")],
            until: 100.0,
        });
        assert_eq!(state.fetch_of(&button), None);
        assert!(state.code_shown(&key("a")));
        assert_eq!(
            state.revealed(&key("a")).map(|r| r.code.as_str()),
            Some("FETCHED-0001")
        );
        let state = state.reduce(RevealAction::Expire { deadline: 100.0 });
        assert!(!state.code_shown(&key("a")));
        assert_eq!(
            state.revealed(&key("a")),
            None,
            "the re-mask forgets the secret"
        );
    }

    #[test]
    fn hiding_forgets_unless_the_pin_is_still_shown() {
        let button = Button::new(Press::Reveal, Target::One(key("a"), RowSecret::Pin));
        let state = Rc::new(RevealState::default())
            .reduce(RevealAction::Fetching {
                button: button.clone(),
            })
            .reduce(RevealAction::Fetched {
                button,
                revealed: vec![revealed_as("a", "FETCHED-0002")],
                until: 100.0,
            })
            .reduce(RevealAction::Code {
                key: key("a"),
                shown: true,
                until: 100.0,
            })
            .reduce(RevealAction::Code {
                key: key("a"),
                shown: false,
                until: 0.0,
            });
        assert!(state.pin_shown(&key("a")));
        assert!(state.revealed(&key("a")).is_some());
        let state = state.reduce(RevealAction::Pin {
            key: key("a"),
            shown: false,
            until: 0.0,
        });
        assert_eq!(state.revealed(&key("a")), None);
        let again = Rc::new(RevealState::default())
            .reduce(RevealAction::All {
                keys: Rc::from(vec![key("a")]),
                until: 1.0,
            })
            .reduce(RevealAction::HideAll);
        assert_eq!(
            *again,
            RevealState {
                copies: 0,
                ..RevealState::default()
            }
        );
    }

    #[test]
    fn an_answer_after_the_page_was_hidden_is_dropped() {
        let button = Button::new(Press::Reveal, Target::One(key("a"), RowSecret::Code));
        let state = Rc::new(RevealState::default())
            .reduce(RevealAction::Fetching {
                button: button.clone(),
            })
            .reduce(RevealAction::HideAll)
            .reduce(RevealAction::Fetched {
                button: button.clone(),
                revealed: vec![revealed_as("a", "LATE-0003")],
                until: 100.0,
            });
        assert!(!state.code_shown(&key("a")));
        assert_eq!(state.revealed(&key("a")), None);
        let failed = state.reduce(RevealAction::FetchFailed {
            button: button.clone(),
            kind: ErrorKind::Server,
        });
        assert_eq!(failed.fetch_of(&button), None, "no fetch was under way");
    }

    #[test]
    fn a_failed_fetch_shows_nothing_and_offers_to_try_again() {
        let button = Button::new(Press::Reveal, Target::All(Rc::from(vec![key("a")])));
        let state = Rc::new(RevealState::default())
            .reduce(RevealAction::Fetching {
                button: button.clone(),
            })
            .reduce(RevealAction::FetchFailed {
                button: button.clone(),
                kind: ErrorKind::RateLimit,
            });
        assert_eq!(
            state.fetch_of(&button),
            Some(Fetch::Failed(ErrorKind::RateLimit))
        );
        assert!(!state.code_shown(&key("a")));
        let state = state.reduce(RevealAction::Fetching {
            button: button.clone(),
        });
        assert_eq!(state.fetch_of(&button), Some(Fetch::Pending));
    }

    #[test]
    fn a_copy_keeps_what_it_fetched_only_when_it_failed_and_shows_it() {
        let source = Target::One(key("a"), RowSecret::Code);
        let button = Button::new(Press::Copy, source.clone());
        let fetching = Rc::new(RevealState::default()).reduce(RevealAction::Fetching {
            button: button.clone(),
        });
        let copied = fetching.clone().reduce(RevealAction::Copied {
            source: source.clone(),
            ok: true,
            until: 100.0,
            revealed: vec![revealed_as("a", "COPIED-0004")],
        });
        assert_eq!(copied.fetch_of(&button), None);
        assert_eq!(copied.revealed(&key("a")), None);
        assert!(!copied.code_shown(&key("a")));
        let failed = fetching.reduce(RevealAction::Copied {
            source,
            ok: false,
            until: 100.0,
            revealed: vec![revealed_as("a", "COPIED-0004")],
        });
        assert!(failed.code_shown(&key("a")));
        assert_eq!(
            failed.revealed(&key("a")).map(|r| r.code.as_str()),
            Some("COPIED-0004")
        );
    }

    #[test]
    fn a_qr_code_goes_with_its_code() {
        let state = Rc::new(RevealState::default())
            .reduce(RevealAction::Code {
                key: key("a"),
                shown: true,
                until: 100.0,
            })
            .reduce(RevealAction::Qr {
                key: key("a"),
                shown: true,
            });
        assert!(state.qr_shown(&key("a")));
        let hidden_code = Rc::new(RevealState::default()).reduce(RevealAction::Qr {
            key: key("b"),
            shown: true,
        });
        assert!(
            !hidden_code.qr_shown(&key("b")),
            "no QR code of a masked code"
        );
        let state = state.reduce(RevealAction::Expire { deadline: 100.0 });
        assert!(!state.qr_shown(&key("a")));
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
        let pin = Target::One(key("a"), RowSecret::Pin);
        let state = Rc::new(RevealState::default()).reduce(RevealAction::Copied {
            source: pin.clone(),
            ok: true,
            until: 100.0,
            revealed: Vec::new(),
        });
        assert_eq!(state.feedback_for(&pin), Some(true));
        assert_eq!(
            state.feedback_for(&Target::One(key("a"), RowSecret::Code)),
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
            revealed: Vec::new(),
        });
        // The old timer is stale: it must not end the new copy's "Copied".
        let again = again.reduce(RevealAction::FeedbackOver { serial: first });
        assert_eq!(again.feedback_for(&pin), Some(true));
        let over = state.reduce(RevealAction::FeedbackOver { serial: first });
        assert_eq!(over.feedback_for(&pin), None);
    }

    #[test]
    fn a_failed_copy_shows_its_text_for_selecting() {
        let code = Target::One(key("a"), RowSecret::Code);
        let state = Rc::new(RevealState::default()).reduce(RevealAction::Copied {
            source: code.clone(),
            ok: false,
            until: 100.0,
            revealed: Vec::new(),
        });
        assert!(state.code_shown(&key("a")) && !state.pin_shown(&key("a")));
        assert_eq!(state.feedback_for(&code), Some(false));
        assert!(state.to_select(&key("a"), RowSecret::Code));
        assert!(!state.to_select(&key("a"), RowSecret::Pin));

        let keys: Rc<[AttrValue]> = Rc::from(vec![key("a"), key("b")]);
        let all = Rc::new(RevealState::default()).reduce(RevealAction::Copied {
            source: Target::All(keys.clone()),
            ok: false,
            until: 100.0,
            revealed: Vec::new(),
        });
        assert!(all.copy_all_box && all.all_codes_shown(keys.iter()));
        assert_eq!(all.feedback_for(&Target::All(keys)), Some(false));
    }

    #[test]
    fn an_action_that_changes_nothing_keeps_the_same_state() {
        let state = Rc::new(RevealState::default());
        let same = state.clone().reduce(RevealAction::HideAll);
        assert!(Rc::ptr_eq(&state, &same));
    }
}
