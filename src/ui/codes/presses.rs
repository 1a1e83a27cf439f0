//! What the codes list's buttons do. A secret in memory (an order with codes inline, or
//! one revealed and still shown) is used at once; a withheld one is fetched from the
//! proxy's reveal endpoints first, the button saying so ("Revealing…", "Copying…") and,
//! when the fetch fails, nothing shown and a "Try again". Copies start inside the click
//! (`clipboard`), downloads are made in memory (`csv_file`, `download`). Every answer
//! goes to the reveal state's reducer, which forgets revealed secrets with the re-mask.

use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use super::code_row::{failure_label, for_the_counter, CopyRequest, Reveal};
use super::csv_file::{codes_csv, file_name, MIME};
use super::reveal_state::{
    copy_all_text, known, Button, Press, RevealAction, RevealState, RowSecret, Target,
};
use crate::platform::clipboard::{self, FetchedCopy};
use crate::platform::clock::SharedClock;
use crate::platform::download::save_text;
use crate::platform::fetch::Cancel;
use crate::platform::reveal::{Purpose, RevealClient};
use order_core::error::ErrorKind;
use order_core::host_events::HostEvent;
use order_core::labels::Labels;
use order_core::model::{Order, VoucherKind};
use order_core::secret::Revealed;

/// Revealed secrets by the key of their row.
type ByKey = Vec<(AttrValue, Rc<Revealed>)>;

/// Everything a press needs; stable across the list's renders, so rows given callbacks
/// that use it do not re-render for them.
#[derive(Clone, PartialEq)]
pub struct Presses {
    pub client: RevealClient,
    pub dispatcher: UseReducerDispatcher<RevealState>,
    pub clock: SharedClock,
    /// How long a reveal shows a code.
    pub reveal_ms: u32,
    pub on_event: Callback<HostEvent>,
    pub announce: Callback<AttrValue>,
    pub labels: Rc<Labels>,
    /// Cancelled when the list unmounts: no answer acts after that.
    pub alive: Cancel,
}

impl Presses {
    /// Reveal or hide one code or PIN.
    pub fn reveal(&self, reveal: Reveal) {
        let Reveal {
            key,
            secret,
            shown,
            fetch,
            qr,
        } = reveal;
        let target = Target::One(key.clone(), secret);
        if !shown {
            self.dispatch(show(target, false, 0.0));
            return;
        }
        let Some(secret_ref) = fetch else {
            self.dispatch(show(target, true, self.until()));
            self.shown(&[key], qr);
            return;
        };
        let button = Button::new(Press::Reveal, target);
        self.dispatch(RevealAction::Fetching {
            button: button.clone(),
        });
        let answer = self.client.one(&secret_ref, Purpose::Reveal);
        let this = self.clone();
        self.spawn(async move {
            match answer.await {
                Ok(revealed) => {
                    this.dispatch(RevealAction::Fetched {
                        button,
                        revealed: vec![(key.clone(), Rc::new(revealed))],
                        until: this.until(),
                    });
                    this.shown(&[key], qr);
                }
                Err(kind) => this.failed(button, kind),
            }
        });
    }

    /// Reveal every code: at once when all are in memory, else after one bulk fetch.
    pub fn reveal_all(&self, order: &Order, keys: Rc<[AttrValue]>, state: &RevealState) {
        let counter: Vec<AttrValue> = order
            .vouchers
            .iter()
            .zip(keys.iter())
            .filter(|(voucher, _)| for_the_counter(voucher.kind))
            .map(|(_, key)| key.clone())
            .collect();
        if all_known(order, &keys, state) {
            self.dispatch(RevealAction::All {
                keys,
                until: self.until(),
            });
            self.shown_all(order.vouchers.len(), &counter);
            return;
        }
        let button = Button::new(Press::Reveal, Target::All(keys.clone()));
        self.dispatch(RevealAction::Fetching {
            button: button.clone(),
        });
        let answer = self.client.all(Purpose::Reveal);
        let refs = refs_to_keys(order, &keys);
        let count = order.vouchers.len();
        let this = self.clone();
        self.spawn(async move {
            match answer.await {
                Ok(all) => {
                    this.dispatch(RevealAction::Fetched {
                        button,
                        revealed: by_key(all, &refs),
                        until: this.until(),
                    });
                    this.shown_all(count, &counter);
                }
                Err(kind) => this.failed(button, kind),
            }
        });
    }

    /// Show or hide a shown code's QR code.
    pub fn qr(&self, key: AttrValue, shown: bool) {
        self.dispatch(RevealAction::Qr { key, shown });
    }

    /// Copy one code or PIN (call inside the click).
    pub fn copy(&self, request: CopyRequest) {
        let CopyRequest {
            key,
            secret,
            kind,
            text,
            fetch,
            near,
        } = request;
        let source = Target::One(key.clone(), secret);
        let copy = Copy {
            source,
            kind,
            count: 1,
        };
        match (text, fetch) {
            (Some(text), _) => self.copy_now(copy, text.to_string(), near),
            (None, Some(secret_ref)) => {
                let answer = self.client.one(&secret_ref, Purpose::Copy);
                let fetch = async move {
                    let revealed = answer.await?;
                    let text = match secret {
                        RowSecret::Code => revealed.code.clone(),
                        RowSecret::Pin => revealed.pin.clone().ok_or(ErrorKind::BadResponse)?,
                    };
                    Ok((text, vec![(key, Rc::new(revealed))]))
                };
                self.copy_fetched(copy, fetch, near);
            }
            // Withheld without a reference: nothing can be copied.
            (None, None) => self.copied(copy, false, Vec::new()),
        }
    }

    /// Copy every code, one per line (call inside the click).
    pub fn copy_all(
        &self,
        order: &Order,
        keys: Rc<[AttrValue]>,
        state: &RevealState,
        near: web_sys::Element,
    ) {
        let pin_label = self.labels.get("pin").to_owned();
        let copy = Copy {
            source: Target::All(keys.clone()),
            kind: order
                .vouchers
                .first()
                .map_or(VoucherKind::Code, |voucher| voucher.kind),
            count: order.vouchers.len(),
        };
        let in_memory = copy_all_text(
            order
                .vouchers
                .iter()
                .zip(keys.iter())
                .map(|(voucher, key)| known(voucher, state.revealed(key).map(Rc::as_ref))),
            &pin_label,
        );
        if let Some(text) = in_memory {
            self.copy_now(copy, text, near);
            return;
        }
        let answer = self.client.all(Purpose::Copy);
        let order = order.clone();
        let refs = refs_to_keys(&order, &keys);
        let fetch = async move {
            let all = answer.await?;
            let revealed = by_key(all, &refs);
            let memory: BTreeMap<&AttrValue, &Revealed> =
                revealed.iter().map(|(key, r)| (key, r.as_ref())).collect();
            let text = copy_all_text(
                order
                    .vouchers
                    .iter()
                    .zip(keys.iter())
                    .map(|(voucher, key)| known(voucher, memory.get(key).copied())),
                &pin_label,
            )
            .ok_or(ErrorKind::BadResponse)?;
            Ok((text, revealed))
        };
        self.copy_fetched(copy, fetch, near);
    }

    /// Save every code as `order-<number>-codes.csv` (the order number the card shows):
    /// at once when the codes are inline,
    /// else after one bulk fetch (`?purpose=download`). The answer is not kept.
    pub fn download(&self, order: Rc<Order>, keys: Rc<[AttrValue]>, near: web_sys::Element) {
        let button = Button::new(Press::Download, Target::All(keys));
        let inline = order
            .vouchers
            .iter()
            .all(|voucher| voucher.code.value().is_some());
        let labels = self.labels.clone();
        let save = move |revealed: &[Revealed]| {
            let csv = codes_csv(&order, revealed, &labels).ok_or(ErrorKind::BadResponse)?;
            save_text(&file_name(&order.number), MIME, &csv, &near)
                .then_some(())
                .ok_or(ErrorKind::BadResponse)
        };
        self.dispatch(RevealAction::Fetching {
            button: button.clone(),
        });
        if inline {
            match save(&[]) {
                Ok(()) => self.done(button),
                Err(kind) => self.failed(button, kind),
            }
            return;
        }
        let answer = self.client.all(Purpose::Download);
        let this = self.clone();
        self.spawn(async move {
            match answer.await.and_then(|all| save(&all)) {
                Ok(()) => this.done(button),
                Err(kind) => this.failed(button, kind),
            }
        });
    }

    fn copy_now(&self, copy: Copy, text: String, near: web_sys::Element) {
        let copying = clipboard::copy(text, near);
        let this = self.clone();
        self.spawn(async move {
            let ok = copying.await.ok();
            this.copied(copy, ok, Vec::new());
        });
    }

    fn copy_fetched(
        &self,
        copy: Copy,
        fetch: impl Future<Output = Result<(String, ByKey), ErrorKind>> + 'static,
        near: web_sys::Element,
    ) {
        let button = Button::new(Press::Copy, copy.source.clone());
        self.dispatch(RevealAction::Fetching {
            button: button.clone(),
        });
        let copying = clipboard::copy_when_fetched(fetch, near);
        let this = self.clone();
        self.spawn(async move {
            match copying.await {
                FetchedCopy::Copied(_) => this.copied(copy, true, Vec::new()),
                FetchedCopy::Failed(revealed) => this.copied(copy, false, revealed),
                FetchedCopy::NotFetched(kind) => {
                    this.on_event.emit(HostEvent::Copy {
                        kind: copy.kind,
                        count: copy.count,
                        ok: false,
                    });
                    this.failed(button, kind);
                }
            }
        });
    }

    /// A copy ended: the page is told, the screen reader too, and the button says so.
    fn copied(&self, copy: Copy, ok: bool, revealed: ByKey) {
        let Copy {
            source,
            kind,
            count,
        } = copy;
        self.on_event.emit(HostEvent::Copy { kind, count, ok });
        let said = if ok {
            "copied_announcement"
        } else {
            "copy_failed"
        };
        self.announce
            .emit(AttrValue::from(self.labels.get(said).to_owned()));
        self.dispatch(RevealAction::Copied {
            source,
            ok,
            until: self.until(),
            revealed,
        });
    }

    /// `button`'s fetch ended and its work is done (a download: nothing to show).
    fn done(&self, button: Button) {
        self.dispatch(RevealAction::Fetched {
            button,
            revealed: Vec::new(),
            until: 0.0,
        });
    }

    fn failed(&self, button: Button, kind: ErrorKind) {
        self.announce.emit(AttrValue::from(
            self.labels.get(failure_label(kind)).to_owned(),
        ));
        self.dispatch(RevealAction::FetchFailed { button, kind });
    }

    /// Codes were revealed: their QR codes too where they are for a counter; the page is told.
    fn shown(&self, keys: &[AttrValue], qr: bool) {
        if qr {
            for key in keys {
                self.qr(key.clone(), true);
            }
        }
        self.on_event.emit(HostEvent::Reveal { count: keys.len() });
    }

    fn shown_all(&self, count: usize, counter: &[AttrValue]) {
        for key in counter {
            self.qr(key.clone(), true);
        }
        self.on_event.emit(HostEvent::Reveal { count });
    }

    fn until(&self) -> f64 {
        self.clock.unix_ms() + f64::from(self.reveal_ms)
    }

    fn dispatch(&self, action: RevealAction) {
        if !self.alive.is_cancelled() {
            self.dispatcher.dispatch(action);
        }
    }

    /// Runs `task` until it ends or the list unmounts.
    fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        let task = self.alive.wrap(task);
        wasm_bindgen_futures::spawn_local(async move {
            task.await;
        });
    }
}

/// A copy's source and what the page is told about it.
struct Copy {
    source: Target,
    kind: VoucherKind,
    count: usize,
}

/// Show or hide one code or PIN until `until`.
fn show(target: Target, shown: bool, until: f64) -> RevealAction {
    match target {
        Target::All(keys) => RevealAction::All { keys, until },
        Target::One(key, RowSecret::Code) => RevealAction::Code { key, shown, until },
        Target::One(key, RowSecret::Pin) => RevealAction::Pin { key, shown, until },
    }
}

/// Whether every code of `order` is in memory (inline, or revealed and shown).
fn all_known(order: &Order, keys: &[AttrValue], state: &RevealState) -> bool {
    order
        .vouchers
        .iter()
        .zip(keys)
        .all(|(voucher, key)| known(voucher, state.revealed(key).map(Rc::as_ref)).is_some())
}

/// Each voucher's `ref` and the key of its row.
fn refs_to_keys(order: &Order, keys: &[AttrValue]) -> BTreeMap<String, AttrValue> {
    order
        .vouchers
        .iter()
        .zip(keys)
        .filter_map(|(voucher, key)| Some((voucher.secret_ref.clone()?, key.clone())))
        .collect()
}

/// The bulk answer by row key; answers for a `ref` the order does not list are dropped.
fn by_key(all: Vec<Revealed>, refs: &BTreeMap<String, AttrValue>) -> ByKey {
    all.into_iter()
        .filter_map(|revealed| {
            let key = refs.get(&revealed.secret_ref)?.clone();
            Some((key, Rc::new(revealed)))
        })
        .collect()
}
