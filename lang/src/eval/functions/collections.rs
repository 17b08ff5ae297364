//! Functions of lists, maps and sets. Maps are kept sorted by key, so
//! functions that walk a map (`keys`, `values`) answer in key order, as
//! Terraform's. Sets are lists without repeats (what `toset` makes): the
//! set functions answer them in `toset`'s order.

use std::collections::BTreeMap;

use berth_provider::Value;

use super::conversion::{set_of, unify};
use super::{scalar_text, whole};

/// The most combinations `setproduct` makes: the list is built in memory,
/// and a product past this is a mistake rather than a plan.
const PRODUCT_MAX: usize = 65_536;

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

/// `sort(list)`: the strings in lexical order (of their UTF-8 bytes, as
/// Go's); numbers and booleans sort as their text, as Terraform converts
/// them (`sort([10, 9])` = `["10", "9"]`).
pub(super) fn sort(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`sort(list)` takes one list of strings".into());
    };
    let mut texts = items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Null => Err(format!(
                "`sort`: element {i} is null; a null string cannot be sorted"
            )),
            _ => scalar_text(item).ok_or_else(|| {
                format!(
                    "`sort` takes a list of strings; element {i} is a {}",
                    item.type_name()
                )
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    texts.sort_unstable();
    Ok(Value::List(texts.into_iter().map(Value::String).collect()))
}

/// The lists a set function takes, each with its elements converted to
/// the one type of all of them (`setunion(["a"], [1])` = `["1", "a"]`, as
/// Terraform converts its sets to one element type first).
fn sets(args: &[Value], name: &str, usage: &str) -> Result<Vec<Vec<Value>>, String> {
    let mut all = Vec::new();
    let mut lengths = Vec::with_capacity(args.len());
    for a in args {
        let Value::List(items) = a else {
            return Err(format!("{usage}, not a {}", a.type_name()));
        };
        lengths.push(items.len());
        all.extend(items.iter().cloned());
    }
    let mut all = unify(&all, name)?.into_iter();
    Ok(lengths
        .into_iter()
        .map(|n| all.by_ref().take(n).collect())
        .collect())
}

/// `setunion(sets...)`: the elements of any of the sets.
pub(super) fn setunion(args: &[Value]) -> Result<Value, String> {
    let usage = "`setunion(sets...)` takes one or more lists or sets";
    if args.is_empty() {
        return Err(usage.into());
    }
    let all: Vec<Value> = sets(args, "setunion", usage)?.concat();
    Ok(Value::List(set_of(&all)))
}

/// `setintersection(sets...)`: the elements of every one of the sets.
pub(super) fn setintersection(args: &[Value]) -> Result<Value, String> {
    let usage = "`setintersection(sets...)` takes one or more lists or sets";
    let sets = sets(args, "setintersection", usage)?;
    let Some((first, rest)) = sets.split_first() else {
        return Err(usage.into());
    };
    let common: Vec<Value> = first
        .iter()
        .filter(|e| rest.iter().all(|s| s.contains(e)))
        .cloned()
        .collect();
    Ok(Value::List(set_of(&common)))
}

/// `setsubtract(a, b)`: the elements of `a` that are not in `b`.
pub(super) fn setsubtract(args: &[Value]) -> Result<Value, String> {
    let usage = "`setsubtract(a, b)` takes two lists or sets";
    if args.len() != 2 {
        return Err(usage.into());
    }
    let Ok([a, b]) = <[Vec<Value>; 2]>::try_from(sets(args, "setsubtract", usage)?) else {
        return Err(usage.into());
    };
    let left: Vec<Value> = a.into_iter().filter(|e| !b.contains(e)).collect();
    Ok(Value::List(set_of(&left)))
}

/// `setproduct(sets...)`: every combination of one element of each
/// argument, as a list, the last argument varying fastest
/// (`setproduct(["a", "b"], [1, 2])` = `[["a", 1], ["a", 2], ["b", 1],
/// ["b", 2]]`); empty when any argument is.
pub(super) fn setproduct(args: &[Value]) -> Result<Value, String> {
    let usage = "`setproduct(sets...)` takes two or more lists or sets";
    if args.len() < 2 {
        return Err(usage.into());
    }
    let mut sets = Vec::with_capacity(args.len());
    for a in args {
        let Value::List(items) = a else {
            return Err(format!("{usage}, not a {}", a.type_name()));
        };
        // Each argument's elements are of one type; the arguments may
        // differ.
        sets.push(unify(items, "setproduct")?);
    }
    if sets.iter().any(Vec::is_empty) {
        return Ok(Value::List(Vec::new()));
    }
    let mut combinations: Vec<Vec<Value>> = vec![Vec::new()];
    for set in &sets {
        if combinations.len().saturating_mul(set.len()) > PRODUCT_MAX {
            return Err(format!(
                "`setproduct` would make more than {PRODUCT_MAX} combinations"
            ));
        }
        combinations = combinations
            .iter()
            .flat_map(|c| {
                set.iter().map(move |e| {
                    let mut c = c.clone();
                    c.push(e.clone());
                    c
                })
            })
            .collect();
    }
    Ok(Value::List(combinations.into_iter().map(Value::List).collect()))
}

/// `coalescelist(lists...)`: the first list that is not empty.
pub(super) fn coalescelist(args: &[Value]) -> Result<Value, String> {
    let usage = "`coalescelist(lists...)` takes one or more lists";
    if args.is_empty() {
        return Err(usage.into());
    }
    if let Some(a) = args.iter().find(|a| !matches!(a, Value::List(_))) {
        return Err(format!("{usage}, not a {}", a.type_name()));
    }
    args.iter()
        .find(|a| matches!(a, Value::List(items) if !items.is_empty()))
        .cloned()
        .ok_or_else(|| "`coalescelist` found only empty lists".into())
}

/// The booleans of a list for `alltrue` and `anytrue`, `None` for a null;
/// `"true"` and `"false"` convert, as in Terraform.
fn booleans(args: &[Value], name: &str) -> Result<Vec<Option<bool>>, String> {
    let [Value::List(items)] = args else {
        return Err(format!("`{name}(list)` takes one list of booleans"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(t) if t == "true" => Ok(Some(true)),
            Value::String(t) if t == "false" => Ok(Some(false)),
            other => Err(format!(
                "`{name}` takes a list of booleans; element {i} is {}",
                match other {
                    Value::String(t) => format!("\"{t}\""),
                    _ => format!("a {}", other.type_name()),
                }
            )),
        })
        .collect()
}

/// `alltrue(list)`: whether every element is `true` (a null is not);
/// `true` for an empty list.
pub(super) fn alltrue(args: &[Value]) -> Result<Value, String> {
    let bools = booleans(args, "alltrue")?;
    Ok(Value::Bool(bools.iter().all(|b| *b == Some(true))))
}

/// `anytrue(list)`: whether any element is `true` (nulls are skipped);
/// `false` for an empty list.
pub(super) fn anytrue(args: &[Value]) -> Result<Value, String> {
    let bools = booleans(args, "anytrue")?;
    Ok(Value::Bool(bools.contains(&Some(true))))
}

/// `chunklist(list, size)`: the list cut into lists of `size` elements,
/// the last one shorter if need be; a size of 0 makes one chunk of all.
pub(super) fn chunklist(args: &[Value]) -> Result<Value, String> {
    let usage = "`chunklist(list, size)` takes a list and a whole number";
    let [Value::List(items), size @ (Value::Int(_) | Value::Decimal(_))] = args else {
        return Err(usage.into());
    };
    // An empty list is answered before the size is read, as Terraform's.
    if items.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    let size = whole(size).ok_or(usage)?;
    if size < 0 {
        return Err(format!("`chunklist` size must not be negative, not {size}"));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.clone())]));
    }
    // Past `usize` is past any list's length: one chunk.
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::List(
        items.chunks(size).map(|c| Value::List(c.to_vec())).collect(),
    ))
}

/// `transpose(map)`: of a map of lists of strings, the map of each string
/// to the sorted keys whose lists hold it (`transpose({ a = ["x"], b = ["x",
/// "y"] })` = `{ x = ["a", "b"], y = ["b"] }`).
pub(super) fn transpose(args: &[Value]) -> Result<Value, String> {
    let usage = "`transpose(map)` takes one map of lists of strings";
    let [Value::Map(m)] = args else {
        return Err(usage.into());
    };
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    // The map is walked in key order: each list comes out sorted.
    for (key, list) in m {
        let Value::List(items) = list else {
            return Err(format!("{usage}; \"{key}\" is a {}", list.type_name()));
        };
        for item in items {
            let text = match item {
                Value::Null => None,
                _ => scalar_text(item),
            }
            .ok_or_else(|| format!("{usage}; \"{key}\" holds a {}", item.type_name()))?;
            out.entry(text).or_default().push(Value::String(key.clone()));
        }
    }
    Ok(Value::Map(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}

/// `matchkeys(values, keys, searchset)`: the elements of `values` whose
/// element at the same position in `keys` is in `searchset`, in order.
pub(super) fn matchkeys(args: &[Value]) -> Result<Value, String> {
    let [Value::List(values), Value::List(keys), Value::List(search)] = args else {
        return Err("`matchkeys(values, keys, searchset)` takes three lists".into());
    };
    if values.len() != keys.len() {
        return Err(format!(
            "`matchkeys` has {} values but {} keys: they pair up one by one",
            values.len(),
            keys.len()
        ));
    }
    // Keys and the search set compare as one type (`1` matches `"1"`).
    let both: Vec<Value> = keys.iter().chain(search).cloned().collect();
    let both = unify(&both, "matchkeys")
        .map_err(|_| "`matchkeys` keys and searchset must be of one type".to_owned())?;
    let (keys, search) = both.split_at(keys.len());
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.contains(k))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::call_exact as call;
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

    #[test]
    fn sort_is_lexical_over_text() {
        assert_eq!(
            call("sort", &[strs(&["e", "d", "a", "x", "B"])]),
            Ok(strs(&["B", "a", "d", "e", "x"]))
        );
        assert_eq!(
            call("sort", &[list(&[Value::Int(10), Value::Int(9), num("1.5")])]),
            Ok(strs(&["1.5", "10", "9"]))
        );
        assert_eq!(call("sort", &[strs(&[])]), Ok(strs(&[])));
        assert!(call("sort", &[list(&[s("a"), Value::Null])]).is_err());
        assert!(call("sort", &[list(&[strs(&["a"])])]).is_err());
        assert!(call("sort", &[s("a")]).is_err());
    }

    #[test]
    fn set_operations_answer_sets() {
        assert_eq!(
            call("setunion", &[strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])]),
            Ok(strs(&["a", "b", "c", "d"]))
        );
        assert_eq!(
            call("setunion", &[strs(&["a"]), list(&[Value::Int(1)])]),
            Ok(strs(&["1", "a"]))
        );
        assert_eq!(call("setunion", &[strs(&["b", "a", "b"])]), Ok(strs(&["a", "b"])));
        assert!(call("setunion", &[]).is_err());
        assert!(call("setunion", &[strs(&["a"]), s("b")]).is_err());
        assert_eq!(
            call(
                "setintersection",
                &[strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])]
            ),
            Ok(strs(&["b"]))
        );
        assert_eq!(
            call("setintersection", &[strs(&["1", "2"]), list(&[Value::Int(2)])]),
            Ok(strs(&["2"]))
        );
        assert_eq!(call("setintersection", &[strs(&["a"]), strs(&[])]), Ok(strs(&[])));
        assert!(call("setintersection", &[]).is_err());
        assert_eq!(
            call("setsubtract", &[strs(&["a", "b", "c"]), strs(&["a", "c"])]),
            Ok(strs(&["b"]))
        );
        assert_eq!(call("setsubtract", &[strs(&[]), strs(&["a"])]), Ok(strs(&[])));
        assert!(call("setsubtract", &[strs(&["a"])]).is_err());
        assert!(call("setsubtract", &[strs(&["a"]), strs(&["a"]), strs(&["a"])]).is_err());
        assert!(
            call(
                "setsubtract",
                &[strs(&["a"]), list(&[Value::Bool(true), strs(&["a"])])]
            )
            .is_err()
        );
    }

    #[test]
    fn setproduct_combines_in_order() {
        assert_eq!(
            call(
                "setproduct",
                &[strs(&["development", "staging"]), strs(&["app1", "app2"])]
            ),
            Ok(list(&[
                strs(&["development", "app1"]),
                strs(&["development", "app2"]),
                strs(&["staging", "app1"]),
                strs(&["staging", "app2"]),
            ]))
        );
        assert_eq!(
            call(
                "setproduct",
                &[strs(&["a"]), list(&[Value::Int(1), Value::Int(2)]), strs(&["x"])]
            ),
            Ok(list(&[
                list(&[s("a"), Value::Int(1), s("x")]),
                list(&[s("a"), Value::Int(2), s("x")]),
            ]))
        );
        assert_eq!(call("setproduct", &[strs(&["a", "b"]), strs(&[])]), Ok(list(&[])));
        let big = list(&vec![Value::Int(1); 1000]);
        assert_eq!(
            call("setproduct", &[big.clone(), big.clone(), big.clone(), strs(&[])]),
            Ok(list(&[]))
        );
        assert!(call("setproduct", &[big.clone(), big.clone(), big]).is_err());
        assert!(call("setproduct", &[strs(&["a"])]).is_err());
        assert!(call("setproduct", &[strs(&["a"]), s("b")]).is_err());
        assert!(call("setproduct", &[list(&[s("a"), strs(&["b"])]), strs(&["c"])]).is_err());
    }

    #[test]
    fn coalescelist_alltrue_anytrue() {
        assert_eq!(
            call("coalescelist", &[strs(&["a", "b"]), strs(&["c", "d"])]),
            Ok(strs(&["a", "b"]))
        );
        assert_eq!(
            call("coalescelist", &[strs(&[]), strs(&["c", "d"])]),
            Ok(strs(&["c", "d"]))
        );
        assert!(call("coalescelist", &[strs(&[]), strs(&[])]).is_err());
        assert!(call("coalescelist", &[strs(&["a"]), s("b")]).is_err());
        assert!(call("coalescelist", &[]).is_err());
        let bools = |items: &[Value]| list(items);
        let (t, f) = (Value::Bool(true), Value::Bool(false));
        assert_eq!(call("alltrue", &[bools(&[s("true"), t.clone()])]), Ok(t.clone()));
        assert_eq!(call("alltrue", &[bools(&[t.clone(), f.clone()])]), Ok(f.clone()));
        assert_eq!(
            call("alltrue", &[bools(&[t.clone(), Value::Null])]),
            Ok(f.clone())
        );
        assert_eq!(call("alltrue", &[bools(&[])]), Ok(t.clone()));
        assert_eq!(call("anytrue", &[bools(&[f.clone(), s("true")])]), Ok(t.clone()));
        assert_eq!(
            call("anytrue", &[bools(&[Value::Null, f.clone()])]),
            Ok(f.clone())
        );
        assert_eq!(call("anytrue", &[bools(&[])]), Ok(f));
        assert!(call("alltrue", &[bools(&[t.clone(), s("yes")])]).is_err());
        assert!(call("anytrue", &[bools(&[t, Value::Int(1)])]).is_err());
        assert!(call("anytrue", &[s("true")]).is_err());
    }

    #[test]
    fn chunklist_cuts_into_lists() {
        let l = strs(&["a", "b", "c", "d", "e"]);
        let chunks = |size: Value| call("chunklist", &[l.clone(), size]);
        let whole = Ok(Value::List(vec![l.clone()]));
        assert_eq!(
            chunks(Value::Int(2)),
            Ok(list(&[strs(&["a", "b"]), strs(&["c", "d"]), strs(&["e"])]))
        );
        assert_eq!(chunks(Value::Int(5)), whole);
        assert_eq!(chunks(Value::Int(i64::MAX)), whole);
        assert_eq!(chunks(Value::Int(0)), whole);
        assert!(chunks(Value::Int(-1)).is_err());
        assert!(chunks(num("1.5")).is_err());
        assert!(chunks(s("2")).is_err());
        assert_eq!(call("chunklist", &[strs(&[]), Value::Int(-1)]), Ok(list(&[])));
    }

    #[test]
    fn transpose_swaps_keys_and_values() {
        assert_eq!(
            call(
                "transpose",
                &[map(&[
                    ("b", strs(&["2", "3"])),
                    ("a", strs(&["1", "2"])),
                    ("c", strs(&[])),
                ])]
            ),
            Ok(map(&[
                ("1", strs(&["a"])),
                ("2", strs(&["a", "b"])),
                ("3", strs(&["b"])),
            ]))
        );
        assert_eq!(call("transpose", &[map(&[])]), Ok(map(&[])));
        assert!(call("transpose", &[map(&[("a", s("1"))])]).is_err());
        assert!(call("transpose", &[map(&[("a", list(&[Value::Null]))])]).is_err());
        assert!(call("transpose", &[strs(&["a"])]).is_err());
    }

    #[test]
    fn matchkeys_picks_by_key() {
        assert_eq!(
            call(
                "matchkeys",
                &[
                    strs(&["i-123", "i-abc", "i-def"]),
                    strs(&["us-west", "us-east", "us-east"]),
                    strs(&["us-east"]),
                ]
            ),
            Ok(strs(&["i-abc", "i-def"]))
        );
        assert_eq!(
            call(
                "matchkeys",
                &[
                    strs(&["a", "b"]),
                    list(&[Value::Int(1), Value::Int(2)]),
                    strs(&["2"])
                ]
            ),
            Ok(strs(&["b"]))
        );
        assert_eq!(
            call("matchkeys", &[strs(&["a"]), strs(&["k"]), strs(&[])]),
            Ok(strs(&[]))
        );
        assert!(call("matchkeys", &[strs(&["a", "b"]), strs(&["k"]), strs(&["k"])]).is_err());
        assert!(call("matchkeys", &[strs(&["a"]), strs(&["k"]), list(&[strs(&["k"])])]).is_err());
        assert!(call("matchkeys", &[strs(&["a"]), strs(&["k"])]).is_err());
    }
}
