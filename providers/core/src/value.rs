use std::collections::BTreeMap;
use std::fmt;

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
            Value::Int(_) => "number",
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
    fn finds_nested_unknowns() {
        let v = Value::Map([("a".to_owned(), Value::List(vec![Value::Unknown]))].into());
        assert!(v.has_unknown());
        assert!(!Value::from("x").has_unknown());
    }
}
