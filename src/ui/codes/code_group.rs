//! The codes of one item (or the whole list when the order has one item), under the
//! item's name.

use std::rc::Rc;

use yew::prelude::*;

use super::code_row::{CodeRow, CopyRequest, Reveal, RowFetches};
use super::reveal_state::{Button, Press, RevealState, RowSecret, Target};
use order_core::labels::Labels;
use order_core::model::Order;

#[derive(Properties, PartialEq, Clone)]
pub struct CodeGroupProps {
    /// The item's name; `None` for the one list of an order with a single item.
    pub heading: Option<AttrValue>,
    pub order: Rc<Order>,
    /// Which of `order.vouchers` this group lists.
    pub vouchers: Rc<[usize]>,
    /// Every voucher's key, by index.
    pub keys: Rc<[AttrValue]>,
    pub reveal: UseReducerHandle<RevealState>,
    pub select: NodeRef,
    pub labels: Rc<Labels>,
    pub locale: AttrValue,
    pub now_minute: i64,
    pub on_reveal: Callback<Reveal>,
    pub on_copy: Callback<CopyRequest>,
    pub on_qr: Callback<(AttrValue, bool)>,
}

#[component]
pub fn CodeGroup(props: &CodeGroupProps) -> Html {
    let reveal = &props.reveal;
    let rows = props.vouchers.iter().filter_map(|&index| {
        let key = props.keys.get(index)?.clone();
        let one = |secret| Target::One(key.clone(), secret);
        let fetch = |press, secret| reveal.fetch_of(&Button::new(press, one(secret)));
        let fetches = RowFetches {
            reveal_code: fetch(Press::Reveal, RowSecret::Code),
            reveal_pin: fetch(Press::Reveal, RowSecret::Pin),
            copy_code: fetch(Press::Copy, RowSecret::Code),
            copy_pin: fetch(Press::Copy, RowSecret::Pin),
        };
        let selected = [RowSecret::Code, RowSecret::Pin]
            .into_iter()
            .find(|&secret| reveal.to_select(&key, secret));
        Some(html! {
            <CodeRow
                key={key.as_str()}
                order={props.order.clone()}
                {index}
                code_shown={reveal.code_shown(&key)}
                pin_shown={reveal.pin_shown(&key)}
                revealed={reveal.revealed(&key).cloned()}
                qr_shown={reveal.qr_shown(&key)}
                {fetches}
                code_feedback={reveal.feedback_for(&one(RowSecret::Code))}
                pin_feedback={reveal.feedback_for(&one(RowSecret::Pin))}
                {selected}
                select={props.select.clone()}
                labels={props.labels.clone()}
                locale={props.locale.clone()}
                now_minute={props.now_minute}
                on_reveal={props.on_reveal.clone()}
                on_copy={props.on_copy.clone()}
                on_qr={props.on_qr.clone()}
                row_key={key.clone()}
            />
        })
    });
    let list = html! { <ul class="ow-code-list" part="code-list">{ for rows }</ul> };
    match &props.heading {
        None => html! { <div class="ow-code-group">{ list }</div> },
        Some(heading) => html! {
            <div class="ow-code-group" part="code-group">
                <h4 class="ow-code-group-heading">{ heading.clone() }</h4>
                { list }
            </div>
        },
    }
}
