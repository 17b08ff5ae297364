//! A listener's default action as ELB takes it: exactly one of `default`
//! (forward), `weighted_forward`, `redirect` and `fixed_response`; a
//! redirect's status code `HTTP_301` or `HTTP_302`; a fixed response's body
//! at most 1024 characters; a weighted forward naming each target group
//! once, with some weight; a forward's stickiness within ELB's range, on
//! an action that forwards.

use berth_provider::Value;

use super::domain::int;
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
    let weighted = r.body.blocks("weighted_forward");
    let count = usize::from(forward) + usize::from(!weighted.is_empty()) + redirects.len() + fixed.len();
    if count == 0 {
        diags.push(
            Diagnostic::error("E0536", format!("{} has no default action", r.address), r.span)
                .label("no `default`, `weighted_forward`, `redirect` or `fixed_response`")
                .help("set `default = target_group.NAME`, or add a `weighted_forward { }`, `redirect { }` or `fixed_response { }` block"),
        );
    } else if count > 1 {
        let span = redirects
            .first()
            .or(fixed.first())
            .or(weighted.first())
            .map_or(r.span, |b| b.span);
        diags.push(
            Diagnostic::error(
                "E0536",
                format!("{} has more than one default action", r.address),
                span,
            )
            .label("another default action")
            .help("a listener takes one of `default`, `weighted_forward`, `redirect` and `fixed_response`; rules route the rest"),
        );
    }
    blocks(&r.body, diags);
}

/// The `redirect`, `fixed_response` and `weighted_forward` blocks of a
/// listener or a rule: a redirect status ELB takes, a body ELB sends, each
/// target group once and a weight above 0 somewhere.
pub(super) fn blocks(body: &DesiredBody, diags: &mut Vec<Diagnostic>) {
    let weighted = body.blocks("weighted_forward");
    let mut groups: Vec<String> = Vec::new();
    for w in weighted {
        let Some(group) = w.body.value("target_group").map(|v| format!("{v:?}")) else {
            continue;
        };
        if groups.contains(&group) {
            diags.push(
                Diagnostic::error("E0536", "a weighted forward names one target group twice", w.span)
                    .label("this target group is already in the forward")
                    .help("give each target group one block and one weight"),
            );
        }
        groups.push(group);
    }
    let weightless = weighted.len() > 1
        && weighted
            .iter()
            .all(|w| matches!(w.body.value("weight"), Some(DesiredValue::Known(Value::Int(0)))));
    if weightless {
        diags.push(
            Diagnostic::error(
                "E0536",
                "every target group of the weighted forward has weight 0",
                weighted[0].span,
            )
            .label("no request would be forwarded")
            .help("give at least one target group a weight above 0"),
        );
    }
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
    stickiness(body, diags);
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

/// A forward's stickiness as ELB takes it: 1 to 604800 seconds, on an
/// action that forwards.
fn stickiness(body: &DesiredBody, diags: &mut Vec<Diagnostic>) {
    let Some((seconds, span)) = int(body, "forward_stickiness") else {
        return;
    };
    if !(1..=604_800).contains(&seconds) {
        diags.push(
            Diagnostic::error("E0613", format!("a forward stickiness of {seconds} seconds"), span)
                .label("not between 1 and 604800")
                .help("ELB keeps a client on its target group for 1 second to 7 days (604800 seconds); leave it out for none"),
        );
    }
    let other = ["redirect", "fixed_response"]
        .into_iter()
        .find(|name| !body.blocks(name).is_empty());
    if let Some(action) = other {
        diags.push(
            Diagnostic::error(
                "E0614",
                "a forward stickiness on an action that does not forward",
                span,
            )
            .label("sticks clients to a target group")
            .help(format!(
                "the `{action}` block sends nobody to a target group: remove `forward_stickiness`"
            )),
        );
    }
}
