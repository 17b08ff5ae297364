//! SSM parameters as PutParameter takes them (ValidationException): the
//! type, tier and data type in SSM's own spelling (it is case-sensitive),
//! a KMS key only for a `SecureString`, and a value SSM can hold. No
//! message quotes the value: it is sensitive.

use berth_provider::Value;

use super::domain::{self, CaseSensitive, string};
use crate::diagnostic::Diagnostic;
use crate::stack::DesiredResource;

const CODE: &str = "E0633";
const TYPES: [&str; 3] = ["String", "StringList", "SecureString"];
const TIERS: [&str; 2] = ["Standard", "Advanced"];
const DATA_TYPES: [&str; 3] = ["text", "aws:ec2:image", "aws:ssm:integration"];

/// E0521 for a type, tier or data type SSM lacks; E0633 for the rest.
pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    spelled(r, "type", "parameter type", &TYPES, diags);
    tier(r, diags);
    spelled(r, "data_type", "data type", &DATA_TYPES, diags);
    let ty = string(&r.body, "type").map_or("String", |(t, _)| t);
    if let Some(span) = r.body.span("kms_key")
        && ty != "SecureString"
    {
        diags.push(
            Diagnostic::error(CODE, format!("a `kms_key` on a `{ty}` parameter"), span)
                .label("only a SecureString is encrypted")
                .help("set `type = \"SecureString\"` or remove `kms_key`"),
        );
    }
    if let Some((data_type, span)) = string(&r.body, "data_type")
        && data_type != "text"
        && ty != "String"
    {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("data type `{data_type}` on a `{ty}` parameter"),
                span,
            )
            .label("SSM checks this data type on `String` parameters only")
            .help("set `type = \"String\"` or leave `data_type` out"),
        );
    }
    value_size(r, diags);
    if let Some((description, span)) = string(&r.body, "description")
        && description.chars().count() > 1024
    {
        diags.push(
            Diagnostic::error(CODE, "a description longer than 1024 characters", span)
                .label("SSM keeps at most 1024"),
        );
    }
}

/// E0521 for a value outside `allowed`; E0633 for one of them in another
/// case.
fn spelled(r: &DesiredResource, name: &str, what: &str, allowed: &[&str], diags: &mut Vec<Diagnostic>) {
    let spelling = CaseSensitive {
        service: "SSM",
        code: CODE,
        allowed,
    };
    domain::spelled(&r.body, name, what, &spelling, diags);
}

/// The tiers berth can keep: `Intelligent-Tiering` lets SSM pick one per
/// value and reads back the one it picked, which would plan as a change.
fn tier(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    match string(&r.body, "tier") {
        Some((t, span)) if t.eq_ignore_ascii_case("Intelligent-Tiering") => diags.push(
            Diagnostic::error(CODE, "tier `Intelligent-Tiering` is not one berth keeps", span)
                .label("SSM answers with the tier it picked")
                .help("write `Standard` (values up to 4 KB) or `Advanced` (up to 8 KB)"),
        ),
        _ => spelled(r, "tier", "tier", &TIERS, diags),
    }
}

/// SSM's limits on a value: not empty, at most 4 KB (8 KB advanced).
fn value_size(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let (Some(Value::String(value)), Some(span)) = (r.body.known("value"), r.body.span("value")) else {
        return;
    };
    let advanced = string(&r.body, "tier").is_some_and(|(t, _)| t == "Advanced");
    let max = if advanced { 8192 } else { 4096 };
    if value.is_empty() {
        diags.push(
            Diagnostic::error(CODE, "an empty parameter value", span)
                .label("SSM keeps no empty value")
                .help("give it a value, or leave the parameter out"),
        );
    } else if value.len() > max {
        diags.push(
            Diagnostic::error(CODE, format!("a parameter value of {} bytes", value.len()), span)
                .label(format!(
                    "the {} tier holds at most {max}",
                    if advanced { "Advanced" } else { "Standard" }
                ))
                .help(if advanced {
                    "store it elsewhere (S3) and keep its location in the parameter"
                } else {
                    "set `tier = \"Advanced\"` (up to 8 KB)"
                }),
        );
    }
}
