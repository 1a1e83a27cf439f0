//! What the list's buttons do: reveal or hide a code, and copy one (or all).

use std::rc::Rc;

use yew::prelude::*;

use super::state::{CopySource, RevealAction, RevealState, Secret};
use crate::clock::SharedClock;
use crate::events::WidgetEvent;
use crate::labels::Labels;
use crate::model::VoucherKind;
use crate::ui::copy_button::copy_on_click;

/// The callbacks of the list's buttons.
#[derive(Clone)]
pub struct Actions {
    pub dispatcher: UseReducerDispatcher<RevealState>,
    /// Where `reveal` and `copy` events go.
    pub on_event: Callback<WidgetEvent>,
    /// The live region's text.
    pub announce: Callback<AttrValue>,
    pub labels: Rc<Labels>,
    pub clock: SharedClock,
    /// How long a revealed code stays shown.
    pub timeout_ms: u32,
}

impl Actions {
    /// When what is revealed now is masked again.
    fn until(&self) -> f64 {
        self.clock.unix_ms() + f64::from(self.timeout_ms)
    }

    /// Shows (`shown`) or hides one code or PIN.
    pub fn reveal(&self, key: AttrValue, secret: Secret, shown: bool) -> Callback<MouseEvent> {
        let actions = self.clone();
        Callback::from(move |_: MouseEvent| {
            let key = key.clone();
            let until = actions.until();
            actions.dispatcher.dispatch(match secret {
                Secret::Code => RevealAction::Code { key, shown, until },
                Secret::Pin => RevealAction::Pin { key, shown, until },
            });
            if shown {
                actions.on_event.emit(WidgetEvent::Reveal { count: 1 });
            }
        })
    }

    /// "Reveal all" (`shown`: every code and PIN) or "Hide all".
    pub fn reveal_all(&self, keys: Rc<[AttrValue]>, shown: bool) -> Callback<MouseEvent> {
        let actions = self.clone();
        Callback::from(move |_: MouseEvent| {
            if !shown {
                actions.dispatcher.dispatch(RevealAction::HideAll);
                return;
            }
            let until = actions.until();
            actions.dispatcher.dispatch(RevealAction::All {
                keys: keys.clone(),
                until,
            });
            actions
                .on_event
                .emit(WidgetEvent::Reveal { count: keys.len() });
        })
    }

    /// Copies `text` (never rendered) and reports how that went.
    pub fn copy(
        &self,
        source: CopySource,
        text: AttrValue,
        kind: VoucherKind,
        count: usize,
    ) -> Callback<MouseEvent> {
        let actions = self.clone();
        Callback::from(move |event: MouseEvent| {
            let actions = actions.clone();
            let source = source.clone();
            copy_on_click(&event, &text, move |outcome| {
                let ok = outcome.ok();
                actions.on_event.emit(WidgetEvent::Copy { kind, count, ok });
                let said = if ok {
                    "copied_announcement"
                } else {
                    "copy_failed"
                };
                actions
                    .announce
                    .emit(AttrValue::from(actions.labels.get(said).to_owned()));
                let until = actions.until();
                actions
                    .dispatcher
                    .dispatch(RevealAction::Copied { source, ok, until });
            });
        })
    }
}
