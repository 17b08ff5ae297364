//! A listener rule as ELB takes it: exactly one action (`forward`,
//! `redirect` or `fixed_response`); at most five condition values in
//! all; methods in ELB's characters; header
//! names up to 40 characters and values up to 128.

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};
use crate::stack::{DesiredBlock, DesiredResource, DesiredValue};

/// Most condition values one rule may hold, all conditions together.
const MAX_VALUES: usize = 5;

/// Checks every rule of a listener.
pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for rule in r.body.blocks("rule") {
        one(rule, diags);
    }
}

/// Checks a `listener_rule` as a listener's `rule` block is checked.
pub fn standalone(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let rule = as_block(r);
    one(&rule, diags);
}

/// A rule of its own (`listener_rule`, `security_group_rule`) seen as its
/// owner's nested block labelled with its name, for the checks and
/// messages the two share.
pub fn as_block(r: &DesiredResource) -> DesiredBlock {
    DesiredBlock {
        label: Some(Spanned::new(r.address.name.clone(), r.span)),
        body: r.body.clone(),
        span: r.span,
    }
}

fn one(rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    action(rule, diags);
    needs_condition(rule, diags);
    conditions(rule, diags);
    super::actions::blocks(&rule.body, diags);
}

fn needs_condition(rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let conditions = ["path", "paths", "host", "hosts", "methods", "source_ips"]
        .iter()
        .any(|c| rule.body.value(c).is_some())
        || ["header", "query"]
            .iter()
            .any(|b| !rule.body.blocks(b).is_empty());
    if !conditions {
        diags.push(
            Diagnostic::error("E0514", "a listener rule needs a condition", rule.span)
                .label("no `path`, `host`, `header`, `methods`, `query` or `source_ips`")
                .help("add `path = \"/api/*\"` or `host = \"api.example.com\"`"),
        );
    }
}

fn label(rule: &DesiredBlock) -> &str {
    rule.label.as_ref().map_or("", |l| l.node.as_str())
}

fn written(v: Option<&DesiredValue>) -> bool {
    v.is_some_and(|v| *v != DesiredValue::Known(Value::Null))
}

fn action(rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let redirects = rule.body.blocks("redirect");
    let fixed = rule.body.blocks("fixed_response");
    let weighted = !rule.body.blocks("weighted_forward").is_empty();
    let count = usize::from(written(rule.body.value("forward")))
        + usize::from(weighted)
        + redirects.len()
        + fixed.len();
    let name = label(rule);
    if count == 0 {
        diags.push(
            Diagnostic::error("E0584", format!("rule `{name}` has no action"), rule.span)
                .label("no `forward`, `weighted_forward`, `redirect` or `fixed_response`")
                .help("set `forward = target_group.NAME`, or add a `weighted_forward { }`, `redirect { }` or `fixed_response { }` block"),
        );
    } else if count > 1 {
        let span = redirects
            .first()
            .or(fixed.first())
            .or(rule.body.blocks("weighted_forward").first())
            .map_or(rule.span, |b| b.span);
        diags.push(
            Diagnostic::error("E0584", format!("rule `{name}` has more than one action"), span)
                .label("another action")
                .help("a rule takes one of `forward`, `weighted_forward`, `redirect` and `fixed_response`"),
        );
    }
}

/// The known strings of a list attribute.
fn strings(v: Option<&DesiredValue>) -> Vec<String> {
    match v {
        Some(DesiredValue::Known(Value::List(items))) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(DesiredValue::List(items)) => items.iter().map(|_| String::new()).collect(),
        _ => Vec::new(),
    }
}

fn conditions(rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let body = &rule.body;
    // (value, where it is written), for the count and the length limits.
    let mut values: Vec<(String, Span)> = Vec::new();
    let mut add = |name: &str, body: &crate::stack::DesiredBody, list: bool| {
        let Some(span) = body.span(name) else { return };
        if list {
            values.extend(strings(body.value(name)).into_iter().map(|v| (v, span)));
        } else if written(body.value(name)) {
            let text = body.known(name).and_then(Value::as_str).unwrap_or_default();
            values.push((text.to_owned(), span));
        }
    };
    add("path", body, false);
    add("host", body, false);
    for list in ["paths", "hosts", "methods", "source_ips"] {
        add(list, body, true);
    }
    for header in body.blocks("header") {
        add("values", &header.body, true);
        if let Some(DesiredValue::Known(Value::String(name))) = header.body.value("name")
            && (name.is_empty() || name.chars().count() > 40)
            && let Some(span) = header.body.span("name")
        {
            diags.push(
                Diagnostic::error("E0585", "a header name ELB refuses", span)
                    .label(format!("{} characters, not 1 to 40", name.chars().count()))
                    .help("ELB matches header names of up to 40 characters"),
            );
        }
    }
    for query in body.blocks("query") {
        add("value", &query.body, false);
    }
    let name = label(rule);
    if values.len() > MAX_VALUES {
        diags.push(
            Diagnostic::error(
                "E0585",
                format!("rule `{name}` has {} condition values", values.len()),
                rule.span,
            )
            .label(format!("more than {MAX_VALUES}"))
            .help("ELB takes at most 5 condition values per rule, all conditions together; split it into several rules"),
        );
    }
    for (value, span) in &values {
        if value.chars().count() > 128 {
            diags.push(
                Diagnostic::error("E0585", "a condition value over 128 characters", *span)
                    .label("too long")
                    .help("ELB matches values of up to 128 characters"),
            );
        }
    }
    if let Some(span) = body.span("methods") {
        for method in strings(body.value("methods")) {
            if method.is_empty()
                || !method
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_')
            {
                diags.push(
                    Diagnostic::error("E0585", format!("`{method}` is not a method ELB matches"), span)
                        .label("not upper-case letters, `-` and `_`")
                        .help(format!(
                            "write it in upper case: \"{}\"",
                            method.to_ascii_uppercase()
                        )),
                );
            }
        }
    }
}
