//! VPC flow logs as CreateFlowLogs takes them: one VPC or subnet, a
//! destination of the destination type (a log group with a role VPC Flow
//! Logs may assume, or an S3 bucket's ARN without one), and EC2's values
//! for the traffic type and aggregation interval.

use berth_provider::{Kind, Value};

use super::domain::{string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

const CODE: &str = "E0641";

/// The service a flow log's role must trust.
const SERVICE: &str = "vpc-flow-logs.amazonaws.com";

pub(super) fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    resource(r, diags);
    for (attr, values) in [
        ("traffic_type", &["ALL", "ACCEPT", "REJECT"][..]),
        ("destination_type", &["cloud-watch-logs", "s3"][..]),
    ] {
        diags.extend(unknown_value(&r.body, attr, attr, values));
    }
    if let (Some(interval), Some(span)) = (
        r.body.known("max_aggregation_interval").and_then(|v| v.as_int()),
        r.body.span("max_aggregation_interval"),
    ) && ![60, 600].contains(&interval)
    {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("an aggregation interval of {interval} seconds"),
                span,
            )
            .label("EC2 takes 60 or 600")
            .help("write 60 (one-minute records) or leave it out (600)"),
        );
    }
    destination(stack, r, diags);
}

/// Exactly one of `vpc` and `subnet`.
fn resource(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    match (r.body.span("vpc"), r.body.span("subnet")) {
        (Some(_), Some(subnet)) => diags.push(
            Diagnostic::error(CODE, "a flow log of both a VPC and a subnet", subnet)
                .label("one resource per flow log")
                .help("keep `vpc` (its subnets' traffic is in it) or write a flow log per subnet"),
        ),
        (None, None) => diags.push(
            Diagnostic::error(CODE, "a flow log of nothing", r.span)
                .label("no `vpc` or `subnet`")
                .help("name the VPC whose traffic it logs: `vpc = vpc.main`"),
        ),
        _ => {}
    }
}

/// A destination that fits its type, and a role only where one is needed.
fn destination(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let s3 = string(&r.body, "destination_type").is_some_and(|(t, _)| t.eq_ignore_ascii_case("s3"));
    let given = |a: &str| {
        r.body
            .value(a)
            .is_some_and(|v| *v != DesiredValue::Known(Value::Null))
    };
    if s3 {
        if given("log_group") || given("iam_role") {
            let attr = if given("log_group") {
                "log_group"
            } else {
                "iam_role"
            };
            if let Some(span) = r.body.span(attr) {
                diags.push(
                    Diagnostic::error(CODE, format!("an S3 flow log with `{attr}`"), span)
                        .label("S3 takes neither a log group nor a role")
                        .help("write the bucket's ARN as `destination`, or leave `destination_type` out for a log group"),
                );
            }
        }
        match string(&r.body, "destination") {
            Some((arn, span)) if !is_bucket_arn(arn) => diags.push(
                Diagnostic::error(CODE, "an S3 flow log's destination is not a bucket's ARN", span)
                    .label("not `arn:aws:s3:::BUCKET`")
                    .help("write `arn:aws:s3:::BUCKET` or `arn:aws:s3:::BUCKET/PREFIX`"),
            ),
            None if !given("destination") => diags.push(
                Diagnostic::error(CODE, "an S3 flow log without its bucket", r.span)
                    .label("no `destination`")
                    .help("write the bucket's ARN: `destination = \"arn:aws:s3:::BUCKET\"`"),
            ),
            _ => {}
        }
        return;
    }
    if let Some((arn, span)) = string(&r.body, "destination")
        && arn.ends_with(":*")
    {
        diags.push(
            Diagnostic::error(CODE, "a log group's ARN ending in `:*`", span)
                .label("VPC Flow Logs takes the group's ARN without it (delivery fails)")
                .help(format!(
                    "write `{}`, or `log_group = log_group.NAME`",
                    arn.trim_end_matches(":*")
                )),
        );
    }
    if !given("log_group") && !given("destination") {
        diags.push(
            Diagnostic::error(
                CODE,
                "a flow log to CloudWatch Logs without its log group",
                r.span,
            )
            .label("no `log_group` or `destination`")
            .help("name the log group: `log_group = log_group.flow`"),
        );
    }
    let Some(span) = r.body.span("iam_role") else {
        diags.push(
            Diagnostic::error(CODE, "a flow log to CloudWatch Logs without a role", r.span)
                .label("no `iam_role`")
                .help(format!(
                    "give a role that trusts `{SERVICE}` and may write to the log group"
                )),
        );
        return;
    };
    if let Some(DesiredValue::Ref(to)) = r.body.value("iam_role")
        && to.address.kind == Kind::Role
        && let Some(role) = stack.resource(&to.address)
        && let Some((assume, _)) = string(&role.body, "assume")
        && assume != SERVICE
    {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("{} trusts `{assume}`, not VPC Flow Logs", to.address),
                span,
            )
            .label("VPC Flow Logs cannot assume it")
            .help(format!("give the role `assume = \"{SERVICE}\"`")),
        );
    }
}

/// Whether `arn` is an S3 bucket's (`arn:PARTITION:s3:::BUCKET[/PREFIX]`).
fn is_bucket_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    parts.next() == Some("arn")
        && parts.next().is_some()
        && parts.next() == Some("s3")
        && parts.next() == Some("")
        && parts.next() == Some("")
        && parts.next().is_some_and(|bucket| !bucket.is_empty())
}
