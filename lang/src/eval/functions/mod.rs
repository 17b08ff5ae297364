//! Built-in functions, with Terraform's names, argument order and results
//! so that stacks ported from Terraform keep their expressions.
//! `availability_zones` reads the cloud and is answered by the evaluator
//! (`zones.rs`), as `file`, `fileexists` and `templatefile` read files
//! (`files.rs`) and `templatestring` renders a template; every other
//! function is a pure function of its arguments, grouped by what it works
//! on:
//!
//! - `collections`: lists, maps and sets (`concat`, `merge`, `lookup`,
//!   `setunion`, ...);
//! - `conversion`: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`,
//!   `tomap`;
//! - `encoding`: JSON, base64 and hashes (`md5`, `sha256`, ...);
//! - `network`: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`;
//! - `numbers`: `min`, `max`, `range`, `parseint`, ...;
//! - `text`: strings (`format`, `split`, `replace`, `regex`, ...).

mod collections;
mod conversion;
mod encoding;
mod format;
mod network;
mod numbers;
mod text;

use berth_provider::{Decimal, Value};

/// Functions that turn a value into text (or text into text), computed
/// at apply in a resource's setting when an argument is known only then:
/// a container's `env = { TOPICS = jsonencode({ events = sns_topic.events.arn }) }`.
/// Others need their arguments at plan time (outputs wait for any).
pub const AT_APPLY: &[&str] = &[
    "base64encode",
    "jsonencode",
    "lower",
    "replace",
    "substr",
    "tostring",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "upper",
    "urlencode",
];

/// Every function the language knows, sorted: it drives the unknown-function
/// error (E0307) and editor completions.
pub const NAMES: &[&str] = &[
    "abs",
    "alltrue",
    "anytrue",
    "availability_zones",
    "base64decode",
    "base64encode",
    "base64sha256",
    "can",
    "ceil",
    "chomp",
    "chunklist",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "distinct",
    "element",
    "endswith",
    "file",
    "filebase64",
    "fileexists",
    "flatten",
    "floor",
    "format",
    "formatlist",
    "indent",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "matchkeys",
    "max",
    "md5",
    "merge",
    "min",
    "nonsensitive",
    "one",
    "parseint",
    "plantimestamp",
    "pow",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "sensitive",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "sha1",
    "sha256",
    "signum",
    "slice",
    "sort",
    "split",
    "startswith",
    "strcontains",
    "strrev",
    "substr",
    "sum",
    "templatefile",
    "templatestring",
    "timestamp",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "upper",
    "urlencode",
    "values",
    "zipmap",
];

/// Functions that only move values around without reading them: an
/// unknown element passes through them (`concat([id], ["x"])` is a list of
/// two whose first is unknown). Any other function that meets an unknown
/// anywhere in its arguments answers unknown, as Terraform's do: its result
/// depends on what the unknown turns out to be.
const PASS_UNKNOWNS: &[&str] = &[
    "chunklist",
    "coalescelist",
    "concat",
    "element",
    "keys",
    "length",
    "lookup",
    "merge",
    "nonsensitive",
    "one",
    "reverse",
    "slice",
    "values",
];

/// Calls a function; the error explains the misuse. Arguments are known
/// (the callers answer unknown for an unknown argument), but may hold
/// unknowns inside: see `PASS_UNKNOWNS`.
pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    let as_written = call_exact(name, args);
    if as_written.is_ok() {
        return as_written;
    }
    // Terraform converts a number or bool given where a function takes a
    // string (`replace(cidr, "x", count.index)`), and a string of a number
    // where it takes a number (`cidrsubnet(prefix, "8", 1)`).
    for converted in [as_text(args), as_numbers(args)].into_iter().flatten() {
        if let Ok(v) = call_exact(name, &converted) {
            return Ok(v);
        }
    }
    as_written
}

/// `args` with each number and bool as its text; `None` when none is.
fn as_text(args: &[Value]) -> Option<Vec<Value>> {
    let scalar = |v: &Value| matches!(v, Value::Int(_) | Value::Decimal(_) | Value::Bool(_));
    args.iter().any(scalar).then(|| {
        args.iter()
            .map(|v| scalar_text(v).map_or_else(|| v.clone(), Value::String))
            .collect()
    })
}

/// `args` with each string of a whole number as that number; `None` when
/// none is.
fn as_numbers(args: &[Value]) -> Option<Vec<Value>> {
    let number = |v: &Value| match v {
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    args.iter().any(|v| number(v).is_some()).then(|| {
        args.iter()
            .map(|v| number(v).map_or_else(|| v.clone(), Value::Int))
            .collect()
    })
}

/// `name(args)` with the arguments as they are.
fn call_exact(name: &str, args: &[Value]) -> Result<Value, String> {
    if !PASS_UNKNOWNS.contains(&name) && args.iter().any(Value::has_unknown) {
        return Ok(Value::Unknown);
    }
    match name {
        "abs" => numbers::abs(args),
        "alltrue" => collections::alltrue(args),
        "anytrue" => collections::anytrue(args),
        "base64decode" => encoding::base64decode(args),
        "base64encode" => encoding::base64encode(args),
        "base64sha256" => encoding::base64sha256(args),
        "ceil" => numbers::ceil(args),
        "chomp" => text::chomp(args),
        "chunklist" => collections::chunklist(args),
        "cidrhost" => network::cidrhost(args),
        "cidrnetmask" => network::cidrnetmask(args),
        "cidrsubnet" => network::cidrsubnet(args),
        "cidrsubnets" => network::cidrsubnets(args),
        "coalesce" => collections::coalesce(args),
        "coalescelist" => collections::coalescelist(args),
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
        "indent" => text::indent(args),
        "index" => collections::index(args),
        "join" => text::join(args),
        "jsondecode" => encoding::jsondecode(args),
        "jsonencode" => encoding::jsonencode(args),
        "keys" => collections::keys(args),
        "length" => collections::length(args),
        "lookup" => collections::lookup(args),
        "lower" => text::lower(args),
        "matchkeys" => collections::matchkeys(args),
        "max" => numbers::max(args),
        "md5" => encoding::md5(args),
        "merge" => collections::merge(args),
        // Terraform's way to show a value marked sensitive; berth keeps the
        // mark (what a secret reaches stays masked), so only the value.
        "nonsensitive" => match args {
            [v] => Ok(v.clone()),
            _ => Err("`nonsensitive(value)` takes one value".into()),
        },
        "min" => numbers::min(args),
        "one" => collections::one(args),
        "parseint" => numbers::parseint(args),
        "pow" => numbers::pow(args),
        "range" => numbers::range(args),
        "regex" => text::regex(args),
        "regexall" => text::regexall(args),
        "replace" => text::replace(args),
        "reverse" => collections::reverse(args),
        "setintersection" => collections::setintersection(args),
        "setproduct" => collections::setproduct(args),
        "setsubtract" => collections::setsubtract(args),
        "setunion" => collections::setunion(args),
        "sha1" => encoding::sha1(args),
        "sha256" => encoding::sha256(args),
        "signum" => numbers::signum(args),
        "slice" => collections::slice(args),
        "sort" => collections::sort(args),
        "split" => text::split(args),
        "startswith" => text::startswith(args),
        "strcontains" => text::strcontains(args),
        "strrev" => text::strrev(args),
        "substr" => text::substr(args),
        "sum" => numbers::sum(args),
        "title" => text::title(args),
        "tobool" => conversion::tobool(args),
        "tolist" => conversion::tolist(args),
        "tomap" => conversion::tomap(args),
        "tonumber" => conversion::tonumber(args),
        "toset" => conversion::toset(args),
        "tostring" => conversion::tostring(args),
        "transpose" => collections::transpose(args),
        "trim" => text::trim(args),
        "trimprefix" => text::trimprefix(args),
        "trimspace" => text::trimspace(args),
        "trimsuffix" => text::trimsuffix(args),
        "upper" => text::upper(args),
        "urlencode" => text::urlencode(args),
        "values" => collections::values(args),
        "zipmap" => collections::zipmap(args),
        // Their arguments are tried one by one where they are written.
        "can" | "try" | "sensitive" | "file" | "filebase64" | "fileexists" | "templatefile"
        | "templatestring" => Err(format!("`{name}` is evaluated where it is written")),
        // Known, so that a branch the variables leave off may hold them
        // (cloudposse's `redeploy_on_apply ? { t = timestamp() } : {}`).
        "timestamp" | "plantimestamp" => Err(format!(
            "`{name}` is not written: a plan is a function of the configuration and the cloud, \
             and a time would change every resource that reads it on every run (`berth deploy` ships a new revision)"
        )),
        _ => Err(format!("unknown function `{name}`")),
    }
}

/// A string, number or boolean as text (`3`, `1.5`, `true`); `None` for
/// null, lists and maps, which have no one spelling.
pub(super) fn scalar_text(v: &Value) -> Option<String> {
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

    /// cloudposse's `redeploy_on_apply ? { redeployment = timestamp() } :
    /// {}`, off by default: E0307 ("unknown function") before, though the
    /// branch is not taken.
    #[test]
    fn a_time_is_refused_only_where_it_is_evaluated() {
        let stack = |on: bool| {
            format!(
                "variable \"redeploy\" {{ default = {on} }}\n\
                 locals {{\n  trigger = var.redeploy ? {{ redeployment = timestamp() }} : {{}}\n}}\n\
                 log_group app {{ tags = local.trigger }}\n"
            )
        };
        let problems = |on: bool| {
            ["E0307", "E0316"]
                .iter()
                .flat_map(|code| crate::test_support::messages(&stack(on), code))
                .collect::<Vec<_>>()
        };
        assert_eq!(problems(false), Vec::<String>::new());
        assert_eq!(problems(true), ["`timestamp` failed"]);
    }

    #[test]
    fn functions_computed_at_apply_are_known_functions() {
        for name in AT_APPLY {
            assert!(NAMES.contains(name), "{name}");
        }
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
        assert_eq!(call("element", &[partly.clone(), Value::Int(1)]), Ok(s("b")));
        assert_eq!(
            call("coalescelist", &[strs(&[]), partly.clone()]),
            Ok(partly.clone())
        );
        assert_eq!(
            call("chunklist", &[partly.clone(), Value::Int(1)]),
            Ok(list(&[list(&[Value::Unknown]), strs(&["b"])]))
        );
        assert_eq!(call("sort", &[partly]), Ok(Value::Unknown));
    }

    /// Terraform converts a number or bool where a function takes a
    /// string, and a string of a number where it takes a number; each
    /// function's own typing (its module's tests) stays strict.
    #[test]
    fn arguments_are_converted_as_terraform_converts_them() {
        assert_eq!(
            call("replace", &[s("10.0.x.0/24"), s("x"), Value::Int(1)]),
            Ok(s("10.0.1.0/24"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.0/16"), s("8"), Value::Int(2)]),
            Ok(s("10.0.2.0/24"))
        );
        assert_eq!(call("element", &[strs(&["a", "b"]), s("1")]), Ok(s("b")));
        assert_eq!(call("upper", &[Value::Bool(true)]), Ok(s("TRUE")));
        // What converts to nothing the function takes keeps its own error.
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), s("eight"), Value::Int(2)]).is_err());
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

    /// `f(list...)`: the list's elements are the arguments, as HCL expands
    /// them (terraform-aws-modules' `merge([for ... : {...}]...)`).
    #[test]
    fn an_expanded_list_is_the_arguments() {
        use crate::test_support::resources;
        let tags = |value: &str| {
            let text = format!("log_group app {{\n  tags = {value}\n}}\n");
            resources(&text).remove("log_group.app").map(|r| r.attrs)
        };
        assert_eq!(
            tags(r#"merge([{ a = "1" }, { b = "2" }]...)"#),
            tags(r#"{ a = "1", b = "2" }"#)
        );
        assert_eq!(
            tags(r#"merge({ c = "3" }, [for k in ["a", "b"] : { for x in [k] : x => x }]...)"#),
            tags(r#"{ a = "a", b = "b", c = "3" }"#)
        );
    }

    /// HCL's computed map keys, `(expression) = value` and a string with
    /// `${...}`, were syntax errors (E0001, E0005).
    #[test]
    fn map_keys_may_be_computed() {
        use crate::test_support::resources;
        let tags = |value: &str| {
            let text =
                format!("variable env {{ default = \"dev\" }}\nlog_group app {{\n  tags = {value}\n}}\n");
            resources(&text).remove("log_group.app").map(|r| r.attrs)
        };
        assert_eq!(
            tags(r#"merge([for k in ["a", "b"] : { (k) = upper(k) }]...)"#),
            tags(r#"{ a = "A", b = "B" }"#)
        );
        assert_eq!(
            tags(r#"{ "${var.env}-team" = "web", (var.env) = "yes" }"#),
            tags(r#"{ dev-team = "web", dev = "yes" }"#)
        );
        // A key's references are resolved as a value's: an unknown one was
        // a map silently left empty.
        let unknown =
            crate::test_support::messages("log_group app {\n  tags = { (var.nope) = \"x\" }\n}\n", "E0301");
        assert_eq!(unknown, ["unknown variable `nope`"]);
    }
}
