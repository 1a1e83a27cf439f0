//! The codes of one item (or the whole list when the order has one item), under the
//! item's name.

use std::rc::Rc;

use yew::prelude::*;

use super::code_row::{CodeRow, Reveal};
use super::copy_button::Copied;
use super::reveal_state::{CopySource, RevealState, RowSecret};
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
    pub on_copied: Callback<Copied>,
}

#[component]
pub fn CodeGroup(props: &CodeGroupProps) -> Html {
    let reveal = &props.reveal;
    let rows = props.vouchers.iter().filter_map(|&index| {
        let key = props.keys.get(index)?.clone();
        let one = |secret| CopySource::One(key.clone(), secret);
        let selected = [RowSecret::Code, RowSecret::Pin]
            .into_iter()
            .find(|&secret| reveal.to_select(&key, secret));
        let code_shown = reveal.code_shown(&key);
        let pin_shown = reveal.pin_shown(&key);
        Some(html! {
            <CodeRow
                key={key.as_str()}
                order={props.order.clone()}
                {index}
                {code_shown}
                {pin_shown}
                code_feedback={reveal.feedback_for(&one(RowSecret::Code))}
                pin_feedback={reveal.feedback_for(&one(RowSecret::Pin))}
                {selected}
                select={props.select.clone()}
                labels={props.labels.clone()}
                locale={props.locale.clone()}
                now_minute={props.now_minute}
                on_reveal={props.on_reveal.clone()}
                on_copied={props.on_copied.clone()}
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
