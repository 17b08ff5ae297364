//! The `tags` every kind takes, against AWS's tagging rules: the limits
//! are the same across EC2, ELB, ECS, IAM and CloudWatch Logs, but only EC2
//! takes any character.

use std::collections::BTreeMap;

use berth_provider::{Kind, Value};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredResource, DesiredValue};

/// Tags AWS allows on one resource.
const AWS_MAX_TAGS: usize = 50;
/// Tags berth adds to every resource (`berth:stack`, `berth:address`).
const BERTH_TAGS: usize = 2;
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 256;

/// Checks the resource's `tags`, when written.
pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let Some(span) = r.body.span("tags") else { return };
    // Values known only at apply are still checked by key.
    let tags: Vec<(&str, Option<&str>)> = match r.body.value("tags") {
        Some(DesiredValue::Known(Value::Map(m))) => m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        Some(DesiredValue::Map(m)) => m
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    DesiredValue::Known(Value::String(s)) => Some(s.as_str()),
                    _ => None,
                };
                (k.as_str(), v)
            })
            .collect(),
        _ => return,
    };
    if tags.len() > AWS_MAX_TAGS - BERTH_TAGS {
        diags.push(
            Diagnostic::error("E0525", format!("{} has {} tags", r.address, tags.len()), span)
                .label(format!("more than {}", AWS_MAX_TAGS - BERTH_TAGS))
                .help(format!(
                    "AWS allows {AWS_MAX_TAGS} tags on a resource and berth adds {BERTH_TAGS} of its own"
                )),
        );
    }
    let restricted = !matches!(
        r.kind(),
        Kind::Vpc
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::DefaultRouteTable
            | Kind::SecurityGroup
            | Kind::DefaultSecurityGroup
            | Kind::DefaultNetworkAcl
    );
    for (key, value) in tags {
        if let Some(d) = key_problem(key, restricted, span) {
            diags.push(d);
        }
        if let Some(value) = value
            && let Some(d) = value_problem(key, value, restricted, span)
        {
            diags.push(d);
        }
    }
}

/// Checks the stack block's `tags` once, as every kind would take them
/// (ELB's characters); `false` when they have a problem.
pub fn check_stack(tags: &BTreeMap<String, Value>, span: Span, diags: &mut Vec<Diagnostic>) -> bool {
    let before = diags.len();
    for (key, value) in tags {
        diags.extend(key_problem(key, true, span));
        if let Some(value) = value.as_str() {
            diags.extend(value_problem(key, value, true, span));
        }
    }
    diags.len() == before
}

/// Characters ELB, ECS, IAM and CloudWatch Logs take in tags: letters,
/// digits, spaces and `_.:/=+-@`. EC2 takes any.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c)
}

/// A key short enough to quote in a message.
fn shown(key: &str) -> String {
    match key.char_indices().nth(32) {
        Some((i, _)) => format!("{}...", &key[..i]),
        None => key.to_owned(),
    }
}

fn key_problem(key: &str, restricted: bool, span: Span) -> Option<Diagnostic> {
    let d = |message: String, label: &str| {
        Some(Diagnostic::error("E0525", message, span).label(label.to_owned()))
    };
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("berth:") {
        return d(format!("tag `{key}` is reserved for berth"), "a `berth:` tag").map(|d| {
            d.help(
                "berth finds the resources of a stack by its `berth:stack` and `berth:address` tags; \
                 a user tag with that prefix would move the resource into another stack or address",
            )
        });
    }
    if lower.starts_with("aws:") {
        return d(format!("tag `{key}` is reserved for AWS"), "an `aws:` tag")
            .map(|d| d.help("AWS refuses tag keys starting with `aws:`"));
    }
    let len = key.chars().count();
    if len == 0 || len > MAX_KEY {
        return d(
            format!("tag key `{}` has {len} characters", shown(key)),
            "not 1 to 128 characters",
        )
        .map(|d| d.help("AWS takes tag keys of 1 to 128 characters"));
    }
    if restricted && !key.chars().all(tag_char) {
        return d(
            format!("tag key {key:?} has a character AWS refuses"),
            "only letters, digits, spaces and _.:/=+-@",
        );
    }
    None
}

fn value_problem(key: &str, value: &str, restricted: bool, span: Span) -> Option<Diagnostic> {
    let len = value.chars().count();
    if len > MAX_VALUE {
        return Some(
            Diagnostic::error(
                "E0525",
                format!("the value of tag `{}` has {len} characters", shown(key)),
                span,
            )
            .label("more than 256 characters")
            .help("AWS takes tag values of up to 256 characters"),
        );
    }
    if restricted && !value.chars().all(tag_char) {
        return Some(
            Diagnostic::error(
                "E0525",
                format!("the value of tag `{}` has a character AWS refuses", shown(key)),
                span,
            )
            .label("only letters, digits, spaces and _.:/=+-@"),
        );
    }
    None
}
