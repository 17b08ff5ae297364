//! A cluster's `execute_command` block as ECS takes it
//! (InvalidParameterException at CreateCluster/UpdateCluster): a logging
//! mode ECS has (E0521), and log destinations exactly with `OVERRIDE`
//! (E0634).

use berth_provider::Value;

use super::domain::{string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBody, DesiredResource};

const CODE: &str = "E0634";
const MODES: [&str; 3] = ["DEFAULT", "NONE", "OVERRIDE"];

/// Checks the cluster `r`'s `execute_command` block, if any.
pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let Some(block) = r.body.blocks("execute_command").first() else {
        return;
    };
    let body = &block.body;
    if let Some(d) = unknown_value(body, "logging", "ECS Exec logging", &MODES) {
        diags.push(d);
        return;
    }
    let over = string(body, "logging").is_some_and(|(m, _)| m.eq_ignore_ascii_case("OVERRIDE"));
    let destinations = [
        "log_group",
        "log_group_encryption",
        "s3_bucket",
        "s3_key_prefix",
        "s3_encryption",
    ];
    let given: Vec<&str> = destinations.into_iter().filter(|a| written(body, a)).collect();
    if !over {
        for attr in &given {
            if let Some(span) = body.span(attr) {
                diags.push(
                    Diagnostic::error(CODE, format!("`{attr}` without `logging = \"OVERRIDE\"`"), span)
                        .label("ECS logs sessions here only when told to override")
                        .help("set `logging = \"OVERRIDE\"`, or remove it"),
                );
            }
        }
        return;
    }
    let span = body.span("logging").unwrap_or(block.span);
    if !given.contains(&"log_group") && !given.contains(&"s3_bucket") {
        diags.push(
            Diagnostic::error(CODE, "ECS Exec logging `OVERRIDE` with nowhere to log", span)
                .label("ECS needs a log configuration with OVERRIDE")
                .help("add `log_group = log_group.NAME` or `s3_bucket = \"BUCKET\"`"),
        );
    }
    for (attr, needs) in [
        ("log_group_encryption", "log_group"),
        ("s3_key_prefix", "s3_bucket"),
        ("s3_encryption", "s3_bucket"),
    ] {
        if given.contains(&attr)
            && !given.contains(&needs)
            && let Some(at) = body.span(attr)
        {
            diags.push(
                Diagnostic::error(CODE, format!("`{attr}` without `{needs}`"), at)
                    .label(format!("it is about `{needs}`"))
                    .help(format!("add `{needs}`, or remove `{attr}`")),
            );
        }
    }
}

/// Whether `attr` is written with a value that does something (a flag
/// set to `false` does not).
fn written(body: &DesiredBody, attr: &str) -> bool {
    body.span(attr).is_some() && !matches!(body.known(attr), Some(Value::Null | Value::Bool(false)))
}
