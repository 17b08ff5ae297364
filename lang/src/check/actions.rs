//! A listener's default action as ELB takes it: exactly one of `default`
//! (forward), `redirect` and `fixed_response`; a redirect's status code
//! `HTTP_301` or `HTTP_302`; a fixed response's body at most 1024
//! characters.

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBody, DesiredResource, DesiredValue};

/// Checks the default action of a listener.
pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let forward = r
        .body
        .value("default")
        .is_some_and(|v| *v != DesiredValue::Known(Value::Null));
    let redirects = r.body.blocks("redirect");
    let fixed = r.body.blocks("fixed_response");
    let count = usize::from(forward) + redirects.len() + fixed.len();
    if count == 0 {
        diags.push(
            Diagnostic::error("E0536", format!("{} has no default action", r.address), r.span)
                .label("no `default`, `redirect` or `fixed_response`")
                .help("set `default = target_group.NAME`, or add a `redirect { }` or `fixed_response { }` block"),
        );
    } else if count > 1 {
        let span = redirects.first().or(fixed.first()).map_or(r.span, |b| b.span);
        diags.push(
            Diagnostic::error(
                "E0536",
                format!("{} has more than one default action", r.address),
                span,
            )
            .label("another default action")
            .help("a listener takes one of `default`, `redirect` and `fixed_response`; rules route the rest"),
        );
    }
    blocks(&r.body, diags);
}

/// The `redirect` and `fixed_response` blocks of a listener or a rule:
/// a redirect status ELB takes, a body ELB sends.
pub(super) fn blocks(body: &DesiredBody, diags: &mut Vec<Diagnostic>) {
    for redirect in body.blocks("redirect") {
        if let Some(DesiredValue::Known(Value::String(code))) = redirect.body.value("status_code")
            && !matches!(code.to_ascii_uppercase().as_str(), "HTTP_301" | "HTTP_302")
            && let Some(span) = redirect.body.span("status_code")
        {
            diags.push(
                Diagnostic::error("E0536", format!("no redirect status `{code}`"), span)
                    .label("not a redirect status ELB takes")
                    .help("`HTTP_301` (permanent) or `HTTP_302` (temporary)"),
            );
        }
    }
    for f in body.blocks("fixed_response") {
        if let Some(DesiredValue::Known(Value::String(body))) = f.body.value("body")
            && body.chars().count() > 1024
            && let Some(span) = f.body.span("body")
        {
            diags.push(
                Diagnostic::error("E0536", "a fixed response body over 1024 characters", span)
                    .label("too long")
                    .help("ELB sends at most 1024 characters; serve longer pages from a target"),
            );
        }
    }
}
