//! What both `intl`s (the browser's and the server's stand-in) start a price from: the
//! amount and the currency it is shown in, and the plain text when it cannot be formatted.

use order_core::model::Money;

/// The trimmed amount and its currency: the vendor's own, else the shop's default (`None`
/// when neither is set).
pub fn amount_and_currency<'a>(
    money: &'a Money,
    default_currency: Option<&'a str>,
) -> (&'a str, Option<&'a str>) {
    let currency = money
        .currency
        .as_deref()
        .or(default_currency)
        .map(str::trim)
        .filter(|c| !c.is_empty());
    (money.amount.trim(), currency)
}

/// `amount` as written, followed by its currency code when there is one: "25.00 USD".
pub fn plain_money(amount: &str, currency: Option<&str>) -> String {
    match currency {
        Some(currency) => format!("{amount} {currency}"),
        None => amount.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: &str, currency: Option<&str>) -> Money {
        Money {
            amount: amount.to_owned(),
            currency: currency.map(str::to_owned),
        }
    }

    #[test]
    fn the_vendors_currency_wins_over_the_shops_default() {
        let price = money(" 25.00 ", Some("USD"));
        assert_eq!(
            amount_and_currency(&price, Some("EUR")),
            ("25.00", Some("USD"))
        );
        let price = money("25.00", None);
        assert_eq!(
            amount_and_currency(&price, Some("EUR")),
            ("25.00", Some("EUR"))
        );
        assert_eq!(amount_and_currency(&price, None), ("25.00", None));
        // A blank currency is none: the amount is shown as a number.
        let price = money("25.00", Some("  "));
        assert_eq!(amount_and_currency(&price, Some("EUR")), ("25.00", None));
    }

    #[test]
    fn plain_text_names_the_currency_after_the_amount() {
        assert_eq!(plain_money("25.00", Some("USD")), "25.00 USD");
        assert_eq!(plain_money("about 25", None), "about 25");
    }
}
