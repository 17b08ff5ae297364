//! Functions of lists and maps. Maps are kept sorted by key, so functions
//! that walk a map (`keys`, `values`) answer in key order, as Terraform's.

use std::collections::BTreeMap;

use berth_provider::Value;

use super::{scalar_text, whole};

/// `index(list, value)`: the position of the first element equal to
/// `value`.
pub(super) fn index(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items), needle] = args else {
        return Err("`index(list, value)` takes a list and a value".into());
    };
    items
        .iter()
        .position(|i| i == needle)
        .map(|p| Value::Int(p as i64))
        .ok_or_else(|| format!("{needle} is not in the list"))
}

/// `length(x)`: elements of a list or map, characters of a string.
pub(super) fn length(args: &[Value]) -> Result<Value, String> {
    let n = match args {
        [Value::List(l)] => l.len(),
        [Value::Map(m)] => m.len(),
        [Value::String(s)] => s.chars().count(),
        _ => return Err("`length(x)` takes one list, map or string".into()),
    };
    Ok(Value::Int(n as i64))
}

/// `concat(lists...)`: the lists one after the other.
pub(super) fn concat(args: &[Value]) -> Result<Value, String> {
    let usage = "`concat(lists...)` takes one or more lists";
    if args.is_empty() {
        return Err(usage.into());
    }
    let mut out = Vec::new();
    for a in args {
        let Value::List(items) = a else {
            return Err(format!("{usage}, not a {}", a.type_name()));
        };
        out.extend(items.iter().cloned());
    }
    Ok(Value::List(out))
}

/// `merge(maps...)`: one map with the keys of all; of a key in several,
/// the last map's value wins. Null arguments are skipped, and only nulls
/// merge to null; no argument at all merges to an empty map.
pub(super) fn merge(args: &[Value]) -> Result<Value, String> {
    let mut out = BTreeMap::new();
    for a in args {
        match a {
            Value::Null => {}
            Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            _ => {
                return Err(format!("`merge(maps...)` takes maps, not a {}", a.type_name()));
            }
        }
    }
    if !args.is_empty() && args.iter().all(|a| *a == Value::Null) {
        return Ok(Value::Null);
    }
    Ok(Value::Map(out))
}

/// `lookup(map, key, default)`: the value of `key`, or `default` when the
/// map has no such key. Without a default a missing key is an error.
pub(super) fn lookup(args: &[Value]) -> Result<Value, String> {
    let (Value::Map(m), Value::String(key), default) = (match args {
        [m, k] => (m, k, None),
        [m, k, d] => (m, k, Some(d)),
        _ => return Err("`lookup(map, key, default)` takes a map, a key and a default".into()),
    }) else {
        return Err("`lookup(map, key, default)` takes a map, a string key and a default".into());
    };
    match (m.get(key), default) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => Err(format!(
            "the map has no key \"{key}\" (give a default as the third argument)"
        )),
    }
}

/// `element(list, index)`: the element at `index`, wrapping around past
/// the end (`element(["a", "b"], 3)` = `"b"`).
pub(super) fn element(args: &[Value]) -> Result<Value, String> {
    let usage = "`element(list, index)` takes a list and a whole number";
    let [Value::List(items), i] = args else {
        return Err(usage.into());
    };
    let i = whole(i).ok_or(usage)?;
    if i < 0 {
        return Err("`element` cannot take a negative index".into());
    }
    if items.is_empty() {
        return Err("`element` cannot take an element of an empty list".into());
    }
    // `i` is not negative and the length is positive: the remainder is an
    // index in the list.
    let at = i % items.len() as i64;
    Ok(items[at as usize].clone())
}

/// `keys(map)`: the keys, sorted.
pub(super) fn keys(args: &[Value]) -> Result<Value, String> {
    let [Value::Map(m)] = args else {
        return Err("`keys(map)` takes one map".into());
    };
    Ok(Value::List(m.keys().map(|k| Value::String(k.clone())).collect()))
}

/// `values(map)`: the values, in the order of their sorted keys.
pub(super) fn values(args: &[Value]) -> Result<Value, String> {
    let [Value::Map(m)] = args else {
        return Err("`values(map)` takes one map".into());
    };
    Ok(Value::List(m.values().cloned().collect()))
}

/// `contains(list, value)`: whether an element equals `value`.
pub(super) fn contains(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items), v] = args else {
        return Err("`contains(list, value)` takes a list and a value".into());
    };
    Ok(Value::Bool(items.contains(v)))
}

/// `coalesce(values...)`: the first argument that is neither null nor an
/// empty string.
pub(super) fn coalesce(args: &[Value]) -> Result<Value, String> {
    if args.is_empty() {
        return Err("`coalesce(values...)` takes at least one value".into());
    }
    args.iter()
        .find(|a| !matches!(a, Value::Null) && a.as_str() != Some(""))
        .cloned()
        .ok_or_else(|| "`coalesce` found only nulls and empty strings".into())
}

/// `distinct(list)`: the list without repeated elements, each kept where
/// it first appears.
pub(super) fn distinct(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`distinct(list)` takes one list".into());
    };
    Ok(Value::List(first_occurrences(items)))
}

/// The elements without repeats, each kept where it first appears.
pub(super) fn first_occurrences(items: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

/// `flatten(list)`: the elements of nested lists, at any depth, in order,
/// in one list (`flatten([["a"], [], ["b", ["c"]]])` = `["a", "b", "c"]`).
pub(super) fn flatten(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`flatten(list)` takes one list".into());
    };
    let mut out = Vec::new();
    flatten_into(items, &mut out);
    Ok(Value::List(out))
}

/// Recursion is bounded: values are no deeper than the parser's nesting
/// limit or `jsondecode`'s.
fn flatten_into(items: &[Value], out: &mut Vec<Value>) {
    for i in items {
        match i {
            Value::List(inner) => flatten_into(inner, out),
            other => out.push(other.clone()),
        }
    }
}

/// `slice(list, start, end)`: the elements from `start` up to, not
/// including, `end`.
pub(super) fn slice(args: &[Value]) -> Result<Value, String> {
    let usage = "`slice(list, start, end)` takes a list and two whole numbers";
    let [Value::List(items), start, end] = args else {
        return Err(usage.into());
    };
    let (Some(start), Some(end)) = (whole(start), whole(end)) else {
        return Err(usage.into());
    };
    let len = items.len() as i64;
    if start < 0 || end < 0 {
        return Err("`slice` indexes must not be negative".into());
    }
    if start > len || end > len {
        return Err(format!(
            "`slice` indexes must not be greater than the length of the list ({len})"
        ));
    }
    if start > end {
        return Err(format!(
            "`slice` start index {start} is greater than its end index {end}"
        ));
    }
    // Checked above: 0 <= start <= end <= len.
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

/// `zipmap(keys, values)`: the map of each key to the value at the same
/// position; a repeated key takes its last value.
pub(super) fn zipmap(args: &[Value]) -> Result<Value, String> {
    let [Value::List(keys), Value::List(values)] = args else {
        return Err("`zipmap(keys, values)` takes two lists".into());
    };
    if keys.len() != values.len() {
        return Err(format!(
            "`zipmap` has {} keys but {} values",
            keys.len(),
            values.len()
        ));
    }
    let mut out = BTreeMap::new();
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        // Numbers and booleans convert to keys as Terraform converts
        // them to strings; null and collections cannot.
        let k = scalar_text(k)
            .ok_or_else(|| format!("`zipmap` keys are strings; key {i} is a {}", k.type_name()))?;
        out.insert(k, v.clone());
    }
    Ok(Value::Map(out))
}

/// `one(list)`: null for an empty list, the element of a list of one; a
/// longer list is an error.
pub(super) fn one(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`one(list)` takes one list".into());
    };
    match items.as_slice() {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        more => Err(format!(
            "`one` takes a list of zero or one elements, not {}",
            more.len()
        )),
    }
}

/// `compact(list)`: the list of strings without nulls and empty strings.
pub(super) fn compact(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`compact(list)` takes one list of strings".into());
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if *item == Value::Null {
            continue;
        }
        // A list of strings, as in Terraform: numbers and booleans become
        // their text.
        let text = scalar_text(item).ok_or_else(|| {
            format!(
                "`compact` takes a list of strings; element {i} is a {}",
                item.type_name()
            )
        })?;
        if !text.is_empty() {
            out.push(Value::String(text));
        }
    }
    Ok(Value::List(out))
}

/// `reverse(list)`: the elements in reverse order.
pub(super) fn reverse(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`reverse(list)` takes one list".into());
    };
    Ok(Value::List(items.iter().rev().cloned().collect()))
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::super::tests::{list, map, num, s, strs};
    use berth_provider::Value;

    #[test]
    fn index_and_length() {
        let l = strs(&["a", "b"]);
        assert_eq!(call("index", &[l.clone(), s("b")]), Ok(Value::Int(1)));
        assert!(call("index", &[l.clone(), s("c")]).is_err());
        assert_eq!(call("length", std::slice::from_ref(&l)), Ok(Value::Int(2)));
        assert_eq!(call("length", &[s("héllo")]), Ok(Value::Int(5)));
        assert_eq!(call("length", &[map(&[("a", Value::Int(1))])]), Ok(Value::Int(1)));
        assert!(call("length", &[Value::Null]).is_err());
    }

    #[test]
    fn concat_and_merge() {
        assert_eq!(
            call("concat", &[strs(&["a", ""]), strs(&[]), strs(&["b"])]),
            Ok(strs(&["a", "", "b"]))
        );
        assert!(call("concat", &[]).is_err());
        assert!(call("concat", &[strs(&["a"]), s("b")]).is_err());
        assert_eq!(
            call(
                "merge",
                &[
                    map(&[("a", s("b")), ("c", s("d"))]),
                    Value::Null,
                    map(&[("e", s("f")), ("c", s("z"))]),
                ]
            ),
            Ok(map(&[("a", s("b")), ("c", s("z")), ("e", s("f"))]))
        );
        assert_eq!(call("merge", &[]), Ok(map(&[])));
        assert_eq!(call("merge", &[Value::Null]), Ok(Value::Null));
        assert!(call("merge", &[strs(&["a"])]).is_err());
    }

    #[test]
    fn lookup_takes_a_default_or_fails() {
        let m = map(&[("a", s("ay")), ("b", s("bee"))]);
        assert_eq!(call("lookup", &[m.clone(), s("a"), s("what?")]), Ok(s("ay")));
        assert_eq!(call("lookup", &[m.clone(), s("c"), s("what?")]), Ok(s("what?")));
        assert_eq!(call("lookup", &[m.clone(), s("b")]), Ok(s("bee")));
        let err = call("lookup", &[m.clone(), s("c")]).expect_err("missing key");
        assert!(err.contains("no key \"c\""), "{err}");
        assert!(call("lookup", &[m, Value::Int(1), s("x")]).is_err());
        assert!(call("lookup", &[strs(&["a"]), s("a"), s("x")]).is_err());
    }

    #[test]
    fn element_wraps_around() {
        let l = strs(&["a", "b", "c"]);
        assert_eq!(call("element", &[l.clone(), Value::Int(1)]), Ok(s("b")));
        assert_eq!(call("element", &[l.clone(), Value::Int(3)]), Ok(s("a")));
        assert_eq!(call("element", &[strs(&["a", "b"]), Value::Int(3)]), Ok(s("b")));
        assert_eq!(call("element", &[l.clone(), Value::Int(i64::MAX)]), Ok(s("b")));
        assert!(call("element", &[l.clone(), Value::Int(-1)]).is_err());
        assert!(call("element", &[l, num("1.5")]).is_err());
        assert!(call("element", &[strs(&[]), Value::Int(0)]).is_err());
    }

    #[test]
    fn keys_and_values_in_key_order() {
        let m = map(&[("b", Value::Int(2)), ("a", Value::Int(1)), ("c", Value::Int(3))]);
        assert_eq!(call("keys", std::slice::from_ref(&m)), Ok(strs(&["a", "b", "c"])));
        assert_eq!(
            call("values", &[m]),
            Ok(list(&[Value::Int(1), Value::Int(2), Value::Int(3)]))
        );
        assert!(call("keys", &[strs(&["a"])]).is_err());
        assert!(call("values", &[Value::Null]).is_err());
    }

    #[test]
    fn contains_coalesce_distinct() {
        let l = strs(&["a", "b", "c"]);
        assert_eq!(call("contains", &[l.clone(), s("a")]), Ok(Value::Bool(true)));
        assert_eq!(call("contains", &[l.clone(), s("d")]), Ok(Value::Bool(false)));
        assert_eq!(
            call("contains", &[list(&[num("1.50")]), num("1.5")]),
            Ok(Value::Bool(true))
        );
        assert!(call("contains", &[s("abc"), s("a")]).is_err());
        assert_eq!(call("coalesce", &[s("a"), s("b")]), Ok(s("a")));
        assert_eq!(call("coalesce", &[s(""), Value::Null, s("b")]), Ok(s("b")));
        assert_eq!(
            call("coalesce", &[Value::Int(1), Value::Int(2)]),
            Ok(Value::Int(1))
        );
        assert!(call("coalesce", &[Value::Null, s("")]).is_err());
        assert!(call("coalesce", &[]).is_err());
        assert_eq!(
            call("distinct", &[strs(&["b", "a", "c", "a", "b"])]),
            Ok(strs(&["b", "a", "c"]))
        );
    }

    #[test]
    fn flatten_slice_reverse() {
        let nested = list(&[strs(&["a", "b"]), strs(&[]), list(&[s("c"), strs(&["d"])])]);
        assert_eq!(call("flatten", &[nested]), Ok(strs(&["a", "b", "c", "d"])));
        let maps = list(&[list(&[map(&[("a", Value::Int(1))])]), Value::Null]);
        assert_eq!(
            call("flatten", &[maps]),
            Ok(list(&[map(&[("a", Value::Int(1))]), Value::Null]))
        );
        let l = strs(&["a", "b", "c", "d"]);
        let sl = |a: i64, b: i64| call("slice", &[l.clone(), Value::Int(a), Value::Int(b)]);
        assert_eq!(sl(1, 3), Ok(strs(&["b", "c"])));
        assert_eq!(sl(4, 4), Ok(strs(&[])));
        assert!(sl(3, 1).is_err());
        assert!(sl(0, 5).is_err());
        assert!(sl(-1, 2).is_err());
        assert!(sl(i64::MIN, i64::MAX).is_err());
        assert_eq!(call("reverse", &[l]), Ok(strs(&["d", "c", "b", "a"])));
    }

    #[test]
    fn zipmap_one_compact() {
        assert_eq!(
            call(
                "zipmap",
                &[strs(&["a", "b"]), list(&[Value::Int(1), Value::Int(2)])]
            ),
            Ok(map(&[("a", Value::Int(1)), ("b", Value::Int(2))]))
        );
        assert_eq!(
            call("zipmap", &[strs(&["a", "a"]), strs(&["x", "y"])]),
            Ok(map(&[("a", s("y"))]))
        );
        assert!(call("zipmap", &[strs(&["a"]), strs(&[])]).is_err());
        assert!(call("zipmap", &[list(&[Value::Null]), strs(&["x"])]).is_err());
        assert_eq!(call("one", &[strs(&[])]), Ok(Value::Null));
        assert_eq!(call("one", &[strs(&["hello"])]), Ok(s("hello")));
        assert!(call("one", &[strs(&["a", "b"])]).is_err());
        assert_eq!(
            call(
                "compact",
                &[list(&[s("a"), s(""), Value::Null, s("b"), Value::Int(1)])]
            ),
            Ok(strs(&["a", "b", "1"]))
        );
        assert!(call("compact", &[list(&[strs(&["a"])])]).is_err());
    }
}
