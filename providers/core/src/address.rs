use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::kind::{Kind, UnknownKind};

/// Where a resource is declared in its stack: `subnet.public` or, for one
/// instance of a `for_each` resource, `subnet.public["us-east-1a"]`.
///
/// Stored in the `berth:address` tag, so it must round-trip through its text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Address {
    pub kind: Kind,
    pub name: String,
    pub key: Option<String>,
}

/// Text that is not a resource address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressParseError {
    #[error("`{0}` is not an address of the form KIND.NAME or KIND.NAME[\"KEY\"]")]
    Malformed(String),
    #[error(transparent)]
    Kind(#[from] UnknownKind),
}

impl Address {
    pub fn new(kind: Kind, name: impl Into<String>) -> Self {
        Address {
            kind,
            name: name.into(),
            key: None,
        }
    }

    pub fn with_key(kind: Kind, name: impl Into<String>, key: impl Into<String>) -> Self {
        Address {
            kind,
            name: name.into(),
            key: Some(key.into()),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.kind, self.name)?;
        if let Some(key) = &self.key {
            write!(f, "[{key:?}]")?;
        }
        Ok(())
    }
}

impl FromStr for Address {
    type Err = AddressParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let malformed = || AddressParseError::Malformed(s.to_owned());
        let (kind, rest) = s.split_once('.').ok_or_else(malformed)?;
        let kind: Kind = kind.parse()?;
        let (name, key) = match rest.split_once('[') {
            None => (rest, None),
            Some((name, key)) => {
                let key = key
                    .strip_suffix("\"]")
                    .and_then(|k| k.strip_prefix('"'))
                    .ok_or_else(malformed)?;
                (name, Some(key.replace("\\\"", "\"").replace("\\\\", "\\")))
            }
        };
        if name.is_empty() {
            return Err(malformed());
        }
        Ok(Address {
            kind,
            name: name.to_owned(),
            key,
        })
    }
}

impl TryFrom<String> for Address {
    type Error = AddressParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Address> for String {
    fn from(a: Address) -> Self {
        a.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for text in [
            "service.login",
            r#"subnet.public["us-east-1a"]"#,
            r#"vpc.a["q\"x"]"#,
        ] {
            let addr: Address = text.parse().unwrap();
            assert_eq!(addr.to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_text() {
        assert!("service".parse::<Address>().is_err());
        assert!("nope.x".parse::<Address>().is_err());
        assert!("vpc.".parse::<Address>().is_err());
        assert!(r#"vpc.a["x"#.parse::<Address>().is_err());
    }
}
