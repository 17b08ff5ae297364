use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::{Deserialize, Serialize};

/// Attributes of one resource (or of one nested block), by name.
///
/// Nested blocks are stored as a [`Value::List`] of [`Value::Map`]s under the
/// block's name; a labelled block (`container app { }`) carries its label
/// under the key `name`.
pub type Attrs = BTreeMap<String, Value>;

/// An attribute value, as written in a stack or as read from the cloud.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction (`70.5`). A whole number is always an
    /// [`Value::Int`]: build numbers with [`Value::number`] so that `70.0`
    /// and `70` are one value.
    Decimal(Decimal),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    /// A value only the cloud can tell, once the resource it comes from exists
    /// (an id, an ARN): rendered as `(known after apply)`.
    Unknown,
}

impl Value {
    /// Short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Decimal(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Unknown => "unknown",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// A number as the `f64` the AWS APIs take (a threshold, a target
    /// value); `None` for anything else.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Decimal(d) => d.to_f64(),
            _ => None,
        }
    }

    /// The number `d`: an [`Value::Int`] when it is whole and fits, a
    /// [`Value::Decimal`] with no trailing zeros otherwise.
    pub fn number(d: Decimal) -> Value {
        let d = d.normalize();
        match d.is_integer().then(|| d.to_i64()).flatten() {
            Some(i) => Value::Int(i),
            None => Value::Decimal(d),
        }
    }

    /// A number AWS answered as an `f64`, by its shortest decimal spelling
    /// (what was sent as `0.1` comes back as the `f64` nearest 0.1, which
    /// reads as `0.1` again); `None` for NaN and infinities.
    pub fn from_f64(f: f64) -> Option<Value> {
        if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
            return Some(Value::Int(f as i64));
        }
        let d = Decimal::from_str_exact(&f.to_string())
            .ok()
            .or_else(|| Decimal::from_f64(f))?;
        Some(Value::number(d))
    }

    /// The value as plain JSON: numbers as numbers, unknown parts as `null`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null | Value::Unknown => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Decimal(_) => self
                .as_f64()
                .and_then(serde_json::Number::from_f64)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// Plain JSON as a value: a number without a fraction as an
    /// [`Value::Int`] (when it fits), any other as a [`Value::Decimal`].
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Value::Int)
                .or_else(|| n.as_f64().and_then(Value::from_f64))
                .unwrap_or(Value::Null),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// True if this value, or anything inside it, is [`Value::Unknown`].
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(l) => l.iter().any(Value::has_unknown),
            Value::Map(m) => m.values().any(Value::has_unknown),
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// Renders the value the way the language writes it: `"text"`, `80`,
/// `["a", "b"]`, `{ K = "v" }`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{}", d.normalize()),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(map) => {
                if map.is_empty() {
                    return f.write_str("{}");
                }
                f.write_str("{ ")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str(" }")
            }
            Value::Unknown => f.write_str("(known after apply)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_the_language() {
        let v = Value::List(vec!["a".into(), Value::Int(3), Value::Bool(true)]);
        assert_eq!(v.to_string(), r#"["a", 3, true]"#);
        let m = Value::Map([("K".to_owned(), Value::from("v"))].into());
        assert_eq!(m.to_string(), r#"{ K = "v" }"#);
        assert_eq!(Value::Map(Default::default()).to_string(), "{}");
    }

    #[test]
    fn whole_numbers_are_ints_and_fractions_keep_their_digits() {
        let parse = |s: &str| Value::number(s.parse().unwrap());
        assert_eq!(parse("70.0"), Value::Int(70));
        assert_eq!(parse("-0.50").to_string(), "-0.5");
        assert_eq!(parse("70.25").as_f64(), Some(70.25));
        assert_eq!(
            Value::from_f64(0.1).map(|v| v.to_string()).as_deref(),
            Some("0.1")
        );
        assert_eq!(Value::from_f64(75.0), Some(Value::Int(75)));
        assert_eq!(Value::from_f64(-12.5), Some(parse("-12.5")));
        assert_eq!(Value::from_f64(f64::NAN), None);
    }

    #[test]
    fn finds_nested_unknowns() {
        let v = Value::Map([("a".to_owned(), Value::List(vec![Value::Unknown]))].into());
        assert!(v.has_unknown());
        assert!(!Value::from("x").has_unknown());
    }
}
