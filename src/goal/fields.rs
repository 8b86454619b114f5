//! A goal request's fields, as validating newtypes: once you hold one, it is valid.
//!
//! - [`GoalName`]: 1–64 characters of ASCII letters, digits, space, `_ . : -`.
//! - [`Cents`]: a JSON number ≥ 0 and ≤ 1,000,000,000 with at most 2 decimals, kept as an integer
//!   count of hundredths so sums are exact (no float ever reaches a counter).
//! - [`Currency`]: ISO 4217's shape, three capital letters.
//! - [`Amount`]: a value with its currency; [`Amount::parse`] applies the pairing rule (a value
//!   needs a currency, a currency needs a value).
//!
//! Why the decimals are checked on the number's text: `19.999` parses to the double nearest it,
//! and multiplying by 100 and rounding would quietly accept it as 20.00. Rust prints an `f64` as
//! the shortest decimal that reads back to the same double (never in exponent form), so the
//! printed text has at most 2 decimals exactly when the JSON number was, up to the double's own
//! precision, a value with at most 2 decimals. The cents are then read from that text, not
//! computed by a float multiplication.

use crate::{Error, Result};

/// Longest goal name.
pub const MAX_NAME: usize = 64;
/// Largest value one goal event may carry, in whole currency units.
pub const MAX_VALUE_UNITS: i64 = 1_000_000_000;

/// A goal's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoalName(String);

impl GoalName {
    /// # Errors
    /// `bad_field` (`name`) when empty, longer than 64 characters, or holding any other character.
    pub fn parse(raw: &str) -> Result<GoalName> {
        if raw.is_empty() || raw.chars().count() > MAX_NAME {
            return Err(Error::field("name", format!("a goal name has 1 to {MAX_NAME} characters")));
        }
        if let Some(bad) = raw.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | ':' | '-'))) {
            return Err(Error::field("name", format!("{bad:?} is not allowed: use letters, digits, space and _ . : -")));
        }
        Ok(GoalName(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A non-negative amount in hundredths of a currency unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    /// The cents of a JSON number.
    ///
    /// # Errors
    /// `bad_field` (`value`) when it is not a number, negative, above 1,000,000,000, or has more
    /// than 2 decimals.
    pub fn parse(raw: &serde_json::Value) -> Result<Cents> {
        let number = raw.as_f64().ok_or_else(|| Error::field("value", "value must be a JSON number"))?;
        Cents::of_f64(number)
    }

    /// The cents of a double (see the module header for why through its text).
    ///
    /// # Errors
    /// As [`Cents::parse`].
    pub fn of_f64(number: f64) -> Result<Cents> {
        if !number.is_finite() || number < 0.0 {
            return Err(Error::field("value", "value must be a number >= 0"));
        }
        if number > MAX_VALUE_UNITS as f64 {
            return Err(Error::field("value", format!("value must be at most {MAX_VALUE_UNITS}")));
        }
        let text = format!("{number}");
        let (whole, decimals) = text.split_once('.').unwrap_or((&text, ""));
        if decimals.len() > 2 {
            return Err(Error::field("value", "value has at most 2 decimals"));
        }
        let units: i64 = whole.parse().map_err(|_| Error::field("value", "value must be a plain number"))?;
        let hundredths: i64 = format!("{decimals:0<2}").parse().map_err(|_| Error::field("value", "value must be a plain number"))?;
        Ok(Cents(units * 100 + hundredths))
    }

    /// The amount as a JSON number with at most 2 decimals (`5990` → 59.9).
    pub fn as_f64(self) -> f64 {
        // Exact for every sum a report can hold (below 2^53 hundredths); the division rounds to
        // the double nearest the decimal, which prints as that decimal.
        self.0 as f64 / 100.0
    }
}

/// An ISO 4217 currency code's shape: three capital ASCII letters (`EUR`, `USD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(String);

impl Currency {
    /// # Errors
    /// `bad_field` (`currency`) for anything but three capital letters.
    pub fn parse(raw: &str) -> Result<Currency> {
        if raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Currency(raw.to_owned()))
        } else {
            Err(Error::field("currency", "currency must be an ISO 4217 code: three capital letters, like EUR"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A goal event's value with its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub cents: Cents,
    pub currency: Currency,
}

impl Amount {
    /// The pair of optional body fields: both absent → `None`; both present and valid → the amount.
    ///
    /// # Errors
    /// `bad_field`: a value without a currency (`currency`), a currency without a value (`value`),
    /// or either one invalid. A JSON `null` counts as absent.
    pub fn parse(value: Option<&serde_json::Value>, currency: Option<&str>) -> Result<Option<Amount>> {
        let value = value.filter(|v| !v.is_null());
        match (value, currency) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(Error::field("currency", "a value needs its currency (ISO 4217, e.g. \"EUR\")")),
            (None, Some(_)) => Err(Error::field("value", "a currency is only accepted with a value")),
            (Some(value), Some(currency)) => {
                // The currency first: "value without currency" and "bad currency" read alike.
                let currency = Currency::parse(currency)?;
                Ok(Some(Amount { cents: Cents::parse(value)?, currency }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code_and_field(result: Result<impl std::fmt::Debug>) -> (String, String) {
        match result.unwrap_err() {
            Error::BadField { field, reason } => (field.to_owned(), reason),
            other => panic!("not a bad_field: {other:?}"),
        }
    }

    #[test]
    fn a_name_takes_letters_digits_space_and_five_marks() {
        for ok in ["signup", "Sign up: step 2", "a", "checkout.done_v-2", &"x".repeat(64)] {
            assert_eq!(GoalName::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn a_name_refuses_empty_long_and_other_characters() {
        for bad in ["", &"x".repeat(65), "sign/up", "café", "a\tb", "<script>", "name\n", "emoji🎉"] {
            let (field, _) = code_and_field(GoalName::parse(bad));
            assert_eq!(field, "name", "{bad:?}");
        }
    }

    #[test]
    fn a_value_becomes_exact_cents() {
        let cases = [(json!(0), 0), (json!(59.9), 5990), (json!(19.99), 1999), (json!(1e9), 100_000_000_000), (json!(0.01), 1), (json!(1.10), 110), (json!(1e2), 10000), (json!(0.07), 7)];
        for (value, cents) in cases {
            assert_eq!(Cents::parse(&value).unwrap(), Cents(cents), "{value}");
        }
    }

    #[test]
    fn a_value_refuses_negatives_three_decimals_huge_and_non_numbers() {
        for bad in [json!(-1), json!(-0.01), json!(19.999), json!(0.001), json!(1.005), json!(1e9 + 0.01), json!(1e12), json!("9.99"), json!(true), json!([1])] {
            let (field, _) = code_and_field(Cents::parse(&bad));
            assert_eq!(field, "value", "{bad}");
        }
    }

    #[test]
    fn cents_print_back_as_the_decimal() {
        assert_eq!(Cents(5990).as_f64(), 59.9);
        assert_eq!(Cents(1).as_f64().to_string(), "0.01");
        assert_eq!(Cents(1999 * 3).as_f64().to_string(), "59.97");
    }

    #[test]
    fn a_currency_is_three_capital_letters() {
        assert_eq!(Currency::parse("EUR").unwrap().as_str(), "EUR");
        for bad in ["eur", "EURO", "E1R", "", "€"] {
            let (field, _) = code_and_field(Currency::parse(bad));
            assert_eq!(field, "currency", "{bad:?}");
        }
    }

    #[test]
    fn value_and_currency_come_together_or_not_at_all() {
        assert_eq!(Amount::parse(None, None).unwrap(), None);
        assert_eq!(Amount::parse(Some(&json!(null)), None).unwrap(), None);
        let amount = Amount::parse(Some(&json!(12.5)), Some("USD")).unwrap().unwrap();
        assert_eq!((amount.cents, amount.currency.as_str()), (Cents(1250), "USD"));
        assert_eq!(code_and_field(Amount::parse(Some(&json!(10)), None)).0, "currency");
        assert_eq!(code_and_field(Amount::parse(None, Some("EUR"))).0, "value");
        assert_eq!(code_and_field(Amount::parse(Some(&json!(1.234)), Some("EUR"))).0, "value");
        assert_eq!(code_and_field(Amount::parse(Some(&json!(1)), Some("eur"))).0, "currency");
    }
}
