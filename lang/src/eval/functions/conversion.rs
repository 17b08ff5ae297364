//! Type conversions: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`,
//! `tomap`.
//! Each takes null to null, as Terraform's do, so that an optional value
//! can be converted without a test first.

use std::cmp::Ordering;

use berth_provider::{Decimal, Value};

use super::collections::first_occurrences;
use super::scalar_text;

/// `tostring(value)`: a string, number or boolean as a string.
pub(super) fn tostring(args: &[Value]) -> Result<Value, String> {
    match args {
        [Value::Null] => Ok(Value::Null),
        [v] => scalar_text(v)
            .map(Value::String)
            .ok_or_else(|| format!("`tostring` cannot convert a {} to a string", v.type_name())),
        _ => Err("`tostring(value)` takes one value".into()),
    }
}

/// `tonumber(value)`: a number, or a string spelling one (`"1.5"`,
/// `"-2e3"`), as a number.
pub(super) fn tonumber(args: &[Value]) -> Result<Value, String> {
    match args {
        [v @ (Value::Null | Value::Int(_) | Value::Decimal(_))] => Ok(v.clone()),
        [Value::String(s)] => parse_number(s)
            .map(Value::number)
            .ok_or_else(|| format!("`tonumber` cannot convert \"{s}\" to a number")),
        [v] => Err(format!(
            "`tonumber` cannot convert a {} to a number",
            v.type_name()
        )),
        _ => Err("`tonumber(value)` takes one value".into()),
    }
}

/// A number as Terraform reads one from a string: an optional sign,
/// digits with an optional fraction, an optional exponent. No spaces, no
/// digit separators, nothing past the decimal range.
fn parse_number(s: &str) -> Option<Decimal> {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(at) => (&s[..at], Some(&s[at + 1..])),
        None => (s, None),
    };
    let unsigned = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    // The decimal parsers want a digit on each side of the point.
    let plain = format!(
        "{}{}.{}",
        if mantissa.starts_with('-') { "-" } else { "" },
        if int.is_empty() { "0" } else { int },
        if frac.is_empty() { "0" } else { frac }
    );
    match exponent {
        None => Decimal::from_str_exact(&plain).ok(),
        Some(e) => {
            let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
            if unsigned.is_empty() || !digits(unsigned) {
                return None;
            }
            Decimal::from_scientific(&format!("{plain}e{e}")).ok()
        }
    }
}

/// `tobool(value)`: a boolean, or `"true"` / `"false"`, as a boolean.
pub(super) fn tobool(args: &[Value]) -> Result<Value, String> {
    match args {
        [v @ (Value::Null | Value::Bool(_))] => Ok(v.clone()),
        [Value::String(s)] if s == "true" => Ok(Value::Bool(true)),
        [Value::String(s)] if s == "false" => Ok(Value::Bool(false)),
        [Value::String(s)] => Err(format!(
            "`tobool` converts only \"true\" and \"false\", not \"{s}\""
        )),
        [v] => Err(format!(
            "`tobool` cannot convert a {} to a boolean",
            v.type_name()
        )),
        _ => Err("`tobool(value)` takes one value".into()),
    }
}

/// `tolist(list)`: the list with elements of one type; strings mixed with
/// numbers or booleans make all of them strings (`tolist(["a", 1])` =
/// `["a", "1"]`), as in Terraform.
pub(super) fn tolist(args: &[Value]) -> Result<Value, String> {
    match args {
        [Value::Null] => Ok(Value::Null),
        [Value::List(items)] => unify(items, "tolist").map(Value::List),
        [v] => Err(format!("`tolist` cannot convert a {} to a list", v.type_name())),
        _ => Err("`tolist(list)` takes one list".into()),
    }
}

/// `toset(list)`: the distinct elements, converted as by `tolist`. Sets of
/// strings, numbers or booleans come in Terraform's order (strings sorted
/// as text, numbers by value, `false` first); other sets keep the order of
/// first occurrences.
pub(super) fn toset(args: &[Value]) -> Result<Value, String> {
    let items = match args {
        [Value::Null] => return Ok(Value::Null),
        [Value::List(items)] => unify(items, "toset")?,
        [v] => return Err(format!("`toset` cannot convert a {} to a set", v.type_name())),
        _ => return Err("`toset(list)` takes one list".into()),
    };
    Ok(Value::List(set_of(&items)))
}

/// The distinct elements in Terraform's order of a set's: strings sorted
/// as text, numbers by value, `false` first; other elements keep the order
/// of their first occurrences.
pub(super) fn set_of(items: &[Value]) -> Vec<Value> {
    let mut set = first_occurrences(items);
    // Stable: nulls and values of types with no order keep their places
    // relative to each other.
    set.sort_by(set_order);
    set
}

/// `tomap(map)`: the map with values of one type, converted as `tolist`
/// converts a list's elements (`tomap({ a = 1, b = "x" })` =
/// `{ a = "1", b = "x" }`).
pub(super) fn tomap(args: &[Value]) -> Result<Value, String> {
    match args {
        [Value::Null] => Ok(Value::Null),
        [Value::Map(m)] => {
            let values: Vec<Value> = m.values().cloned().collect();
            let values = unify(&values, "tomap")?;
            Ok(Value::Map(m.keys().cloned().zip(values).collect()))
        }
        [v] => Err(format!("`tomap` cannot convert a {} to a map", v.type_name())),
        _ => Err("`tomap(map)` takes one map".into()),
    }
}

/// Terraform's order of set elements of one primitive type; other pairs
/// compare equal and keep their places.
fn set_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        _ => match (super::decimal(a), super::decimal(b)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => Ordering::Equal,
        },
    }
}

/// The elements converted to one type, as Terraform unifies a list's
/// elements: nulls fit any type; strings with numbers or booleans make
/// strings; other mixes are errors.
pub(super) fn unify(items: &[Value], name: &str) -> Result<Vec<Value>, String> {
    let mut kinds: Vec<&str> = items
        .iter()
        .filter(|i| **i != Value::Null)
        .map(Value::type_name)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let scalar = |k: &&str| matches!(*k, "string" | "number" | "bool");
    match kinds.as_slice() {
        [] | [_] => Ok(items.to_vec()),
        ks if ks.contains(&"string") && ks.iter().all(scalar) => Ok(items
            .iter()
            .map(|i| scalar_text(i).map_or(Value::Null, Value::String))
            .collect()),
        ks => Err(format!(
            "`{name}` needs elements of one type, not a mix of {}",
            ks.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::call_exact as call;
    use super::super::tests::{list, map, num, s, strs};
    use berth_provider::Value;

    #[test]
    fn tostring_and_tobool() {
        assert_eq!(call("tostring", &[s("hello")]), Ok(s("hello")));
        assert_eq!(call("tostring", &[num("1.50")]), Ok(s("1.5")));
        assert_eq!(call("tostring", &[Value::Bool(true)]), Ok(s("true")));
        assert_eq!(call("tostring", &[Value::Null]), Ok(Value::Null));
        assert!(call("tostring", &[strs(&["a"])]).is_err());
        assert_eq!(call("tobool", &[s("true")]), Ok(Value::Bool(true)));
        assert_eq!(call("tobool", &[Value::Bool(false)]), Ok(Value::Bool(false)));
        assert_eq!(call("tobool", &[Value::Null]), Ok(Value::Null));
        assert!(call("tobool", &[s("no")]).is_err());
        assert!(call("tobool", &[Value::Int(1)]).is_err());
    }

    #[test]
    fn tonumber_parses_numbers_only() {
        assert_eq!(call("tonumber", &[s("1")]), Ok(Value::Int(1)));
        assert_eq!(call("tonumber", &[Value::Int(3)]), Ok(Value::Int(3)));
        assert_eq!(call("tonumber", &[Value::Null]), Ok(Value::Null));
        for (text, n) in [
            ("-1.50", "-1.5"),
            ("+2", "2"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1e3", "1000"),
            ("2.5E-1", "0.25"),
            ("1e+2", "100"),
        ] {
            assert_eq!(call("tonumber", &[s(text)]), Ok(num(n)), "{text}");
        }
        for bad in [
            "no", "", " 1", "1_000", "0x10", ".", "-", "1e", "1e1.5", "1e99", "inf", "1.2.3",
        ] {
            assert!(call("tonumber", &[s(bad)]).is_err(), "{bad:?}");
        }
        assert!(call("tonumber", &[Value::Bool(true)]).is_err());
    }

    #[test]
    fn tolist_unifies_scalars() {
        assert_eq!(
            call("tolist", &[list(&[s("a"), s("b"), Value::Int(3)])]),
            Ok(strs(&["a", "b", "3"]))
        );
        assert_eq!(
            call("tolist", &[list(&[Value::Int(1), Value::Null])]),
            Ok(list(&[Value::Int(1), Value::Null]))
        );
        assert!(call("tolist", &[list(&[Value::Int(1), Value::Bool(true)])]).is_err());
        assert!(call("tolist", &[list(&[s("a"), strs(&["b"])])]).is_err());
        assert!(call("tolist", &[map(&[])]).is_err());
        assert_eq!(call("tolist", &[Value::Null]), Ok(Value::Null));
    }

    #[test]
    fn toset_dedupes_and_orders_like_terraform() {
        assert_eq!(
            call("toset", &[strs(&["c", "b", "b", "a"])]),
            Ok(strs(&["a", "b", "c"]))
        );
        assert_eq!(
            call("toset", &[list(&[s("a"), s("b"), Value::Int(3)])]),
            Ok(strs(&["3", "a", "b"]))
        );
        assert_eq!(
            call("toset", &[list(&[Value::Int(10), num("2.5"), Value::Int(10)])]),
            Ok(list(&[num("2.5"), Value::Int(10)]))
        );
        let maps = list(&[map(&[("b", Value::Int(1))]), map(&[("a", Value::Int(1))])]);
        assert_eq!(call("toset", std::slice::from_ref(&maps)), Ok(maps));
    }

    #[test]
    fn tomap_unifies_values() {
        assert_eq!(
            call("tomap", &[map(&[("a", Value::Int(1)), ("b", s("x"))])]),
            Ok(map(&[("a", s("1")), ("b", s("x"))]))
        );
        let m = map(&[("a", strs(&["x"])), ("b", Value::Null)]);
        assert_eq!(call("tomap", std::slice::from_ref(&m)), Ok(m));
        assert_eq!(call("tomap", &[map(&[])]), Ok(map(&[])));
        assert_eq!(call("tomap", &[Value::Null]), Ok(Value::Null));
        assert!(call("tomap", &[map(&[("a", Value::Int(1)), ("b", Value::Bool(true))])]).is_err());
        assert!(call("tomap", &[strs(&["a"])]).is_err());
        assert!(call("tomap", &[]).is_err());
    }
}
