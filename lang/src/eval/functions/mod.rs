//! Built-in functions, with Terraform's names, argument order and results
//! so that stacks ported from Terraform keep their expressions.
//! `availability_zones` reads the cloud and is answered by the evaluator
//! (`zones.rs`), as `file`, `fileexists` and `templatefile` read files
//! (`files.rs`) and `templatestring` renders a template; every other
//! function is a pure function of its arguments, grouped by what it works
//! on:
//!
//! - `collections`: lists and maps (`concat`, `merge`, `lookup`, ...);
//! - `conversion`: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`;
//! - `encoding`: JSON and base64;
//! - `network`: `cidrsubnet`;
//! - `numbers`: `min`, `max`, `range`, ...;
//! - `text`: strings (`format`, `split`, `replace`, ...).

mod collections;
mod conversion;
mod encoding;
mod network;
mod numbers;
mod text;

use berth_provider::{Decimal, Value};

/// Every function the language knows, sorted: it drives the unknown-function
/// error (E0307) and editor completions.
pub const NAMES: &[&str] = &[
    "abs",
    "availability_zones",
    "base64decode",
    "base64encode",
    "can",
    "ceil",
    "cidrsubnet",
    "coalesce",
    "compact",
    "concat",
    "contains",
    "distinct",
    "element",
    "endswith",
    "file",
    "fileexists",
    "flatten",
    "floor",
    "format",
    "formatlist",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "max",
    "merge",
    "min",
    "one",
    "range",
    "replace",
    "reverse",
    "sensitive",
    "slice",
    "split",
    "startswith",
    "strcontains",
    "substr",
    "sum",
    "templatefile",
    "templatestring",
    "title",
    "tobool",
    "tolist",
    "tonumber",
    "toset",
    "tostring",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "upper",
    "values",
    "zipmap",
];

/// Functions that only move values around without reading them: an
/// unknown element passes through them (`concat([id], ["x"])` is a list of
/// two whose first is unknown). Any other function that meets an unknown
/// anywhere in its arguments answers unknown, as Terraform's do: its result
/// depends on what the unknown turns out to be.
const PASS_UNKNOWNS: &[&str] = &[
    "concat", "element", "keys", "length", "lookup", "merge", "one", "reverse", "slice", "values",
];

/// Calls a function; the error explains the misuse. Arguments are known
/// (the callers answer unknown for an unknown argument), but may hold
/// unknowns inside: see `PASS_UNKNOWNS`.
pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    if !PASS_UNKNOWNS.contains(&name) && args.iter().any(Value::has_unknown) {
        return Ok(Value::Unknown);
    }
    match name {
        "abs" => numbers::abs(args),
        "base64decode" => encoding::base64decode(args),
        "base64encode" => encoding::base64encode(args),
        "ceil" => numbers::ceil(args),
        "cidrsubnet" => network::cidrsubnet(args),
        "coalesce" => collections::coalesce(args),
        "compact" => collections::compact(args),
        "concat" => collections::concat(args),
        "contains" => collections::contains(args),
        "distinct" => collections::distinct(args),
        "element" => collections::element(args),
        "endswith" => text::endswith(args),
        "flatten" => collections::flatten(args),
        "floor" => numbers::floor(args),
        "format" => text::format(args),
        "formatlist" => text::formatlist(args),
        "index" => collections::index(args),
        "join" => text::join(args),
        "jsondecode" => encoding::jsondecode(args),
        "jsonencode" => encoding::jsonencode(args),
        "keys" => collections::keys(args),
        "length" => collections::length(args),
        "lookup" => collections::lookup(args),
        "lower" => text::lower(args),
        "max" => numbers::max(args),
        "merge" => collections::merge(args),
        "min" => numbers::min(args),
        "one" => collections::one(args),
        "range" => numbers::range(args),
        "replace" => text::replace(args),
        "reverse" => collections::reverse(args),
        "slice" => collections::slice(args),
        "split" => text::split(args),
        "startswith" => text::startswith(args),
        "strcontains" => text::strcontains(args),
        "substr" => text::substr(args),
        "sum" => numbers::sum(args),
        "title" => text::title(args),
        "tobool" => conversion::tobool(args),
        "tolist" => conversion::tolist(args),
        "tonumber" => conversion::tonumber(args),
        "toset" => conversion::toset(args),
        "tostring" => conversion::tostring(args),
        "trimprefix" => text::trimprefix(args),
        "trimspace" => text::trimspace(args),
        "trimsuffix" => text::trimsuffix(args),
        "upper" => text::upper(args),
        "values" => collections::values(args),
        "zipmap" => collections::zipmap(args),
        // Their arguments are tried one by one where they are written.
        "can" | "try" | "sensitive" | "file" | "fileexists" | "templatefile" | "templatestring" => {
            Err(format!("`{name}` is evaluated where it is written"))
        }
        _ => Err(format!("unknown function `{name}`")),
    }
}

/// A string, number or boolean as text (`3`, `1.5`, `true`); `None` for
/// null, lists and maps, which have no one spelling.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Int(_) | Value::Decimal(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    }
}

/// A number as an exact decimal; `None` for anything else.
fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// A whole number (an index, a count); `None` for fractions and non-numbers.
fn whole(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        // Whole numbers are normally `Int` already; a `Decimal` one only
        // comes from code that did not build it with `Value::number`.
        Value::Decimal(d) if d.fract().is_zero() => i64::try_from(*d).ok(),
        _ => None,
    }
}

/// The string arguments of a call of `name` taking exactly `N` strings;
/// the error spells the call as `usage`.
fn strings<'a, const N: usize>(args: &'a [Value], usage: &str) -> Result<[&'a str; N], String> {
    let wrong = || format!("`{usage}` takes {}", plural(N, "string"));
    let args: &[Value; N] = args.try_into().map_err(|_| wrong())?;
    let mut out = [""; N];
    for (o, a) in out.iter_mut().zip(args) {
        *o = a.as_str().ok_or_else(wrong)?;
    }
    Ok(out)
}

/// `one string`, `two strings`, ... for the usage errors.
fn plural(n: usize, what: &str) -> String {
    let count = match n {
        1 => "one",
        2 => "two",
        3 => "three",
        _ => return format!("{n} {what}s"),
    };
    if n == 1 {
        format!("{count} {what}")
    } else {
        format!("{count} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test shorthands shared by the modules' tests.
    pub(super) fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    pub(super) fn list(items: &[Value]) -> Value {
        Value::List(items.to_vec())
    }

    pub(super) fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|i| s(i)).collect())
    }

    pub(super) fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    pub(super) fn num(text: &str) -> Value {
        Value::number(text.parse().expect("a test number"))
    }

    #[test]
    fn names_are_sorted_and_all_dispatch() {
        let mut sorted = NAMES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, NAMES, "NAMES is sorted, without duplicates");
        for name in NAMES.iter().filter(|n| **n != "availability_zones") {
            // Wrong arguments reach the function's own usage error, never
            // the unknown-function one.
            if let Err(err) = call(name, &vec![Value::Map(Default::default()); 4]) {
                assert!(!err.starts_with("unknown function"), "{name}: {err}");
            }
        }
        assert_eq!(call("nope", &[]), Err("unknown function `nope`".into()));
    }

    #[test]
    fn an_unknown_inside_an_argument_makes_the_result_unknown() {
        let partly = list(&[Value::Unknown, s("b")]);
        assert_eq!(call("contains", &[partly.clone(), s("b")]), Ok(Value::Unknown));
        assert_eq!(
            call("jsonencode", std::slice::from_ref(&partly)),
            Ok(Value::Unknown)
        );
        assert_eq!(call("join", &[s(","), partly.clone()]), Ok(Value::Unknown));
        // Functions that only move elements keep the known ones.
        assert_eq!(
            call("concat", &[partly.clone(), strs(&["c"])]),
            Ok(list(&[Value::Unknown, s("b"), s("c")]))
        );
        assert_eq!(call("length", std::slice::from_ref(&partly)), Ok(Value::Int(2)));
        assert_eq!(call("element", &[partly, Value::Int(1)]), Ok(s("b")));
    }

    #[test]
    fn usage_errors_name_the_arguments() {
        assert_eq!(strings::<2>(&[s("a"), s("b")], "f(a, b)"), Ok(["a", "b"]));
        assert_eq!(
            strings::<2>(&[s("a")], "f(a, b)"),
            Err("`f(a, b)` takes two strings".into())
        );
        assert_eq!(
            strings::<1>(&[Value::Int(1)], "f(a)"),
            Err("`f(a)` takes one string".into())
        );
    }
}
