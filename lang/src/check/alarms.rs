//! CloudWatch metric alarms as PutMetricAlarm takes them (it answers
//! `ValidationError`, and only at apply): CloudWatch's case-sensitive
//! spellings, one statistic, a period it evaluates, an evaluation range
//! within its limits, and scaling policies the stack declares.

use berth_provider::alarm::{DAY, MISSING_DATA, OPERATORS, STATISTICS, evaluation_limit, valid_period};
use berth_provider::{Kind, Value};

use super::domain::{self, CaseSensitive, string};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBlock, DesiredResource, DesiredValue, Stack};

const CODE: &str = "E0635";
/// Operators of anomaly-detection alarms: they compare with a band a
/// metric math expression draws (`ThresholdMetricId`), which berth does
/// not write.
const BAND_OPERATORS: [&str; 3] = [
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];
pub(super) fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    operator(r, diags);
    spelled(r, "statistic", "statistic", &STATISTICS, diags);
    spelled(
        r,
        "treat_missing_data",
        "missing-data treatment",
        &MISSING_DATA,
        diags,
    );
    statistic(r, diags);
    period(r, diags);
    for block in r.body.blocks("scaling_policy") {
        scaling_policy(stack, block, diags);
    }
}

/// E0521 for a value outside `allowed`; E0635 for one of them in another
/// case.
fn spelled(r: &DesiredResource, name: &str, what: &str, allowed: &[&str], diags: &mut Vec<Diagnostic>) {
    let spelling = CaseSensitive {
        service: "CloudWatch",
        code: CODE,
        allowed,
    };
    domain::spelled(&r.body, name, what, &spelling, diags);
}

fn operator(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let Some((op, span)) = string(&r.body, "comparison_operator")
        && BAND_OPERATORS.iter().any(|b| b.eq_ignore_ascii_case(op))
    {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("`{op}` compares with an anomaly detection band"),
                span,
            )
            .label("needs a metric math band berth does not write")
            .help(format!("compare with a threshold: {}", OPERATORS.join(", "))),
        );
        return;
    }
    spelled(r, "comparison_operator", "comparison operator", &OPERATORS, diags);
}

/// Exactly one of `statistic` and `extended_statistic`; an extended one
/// that is a plain statistic is a slip.
fn statistic(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    match (r.body.span("statistic"), string(&r.body, "extended_statistic")) {
        (None, None) if r.body.value("extended_statistic").is_none() => diags.push(
            Diagnostic::error(CODE, "an alarm with no statistic", r.span)
                .label("neither `statistic` nor `extended_statistic`")
                .help("add `statistic = \"Average\"` (or Sum, Minimum, Maximum, SampleCount), or `extended_statistic = \"p99\"`"),
        ),
        (Some(span), Some(_)) => diags.push(
            Diagnostic::error(CODE, "both `statistic` and `extended_statistic`", span)
                .label("CloudWatch takes one of them")
                .help("keep one"),
        ),
        (None, Some((ext, span))) if STATISTICS.iter().any(|s| s.eq_ignore_ascii_case(ext)) => {
            let right = STATISTICS.iter().find(|s| s.eq_ignore_ascii_case(ext)).copied().unwrap_or(ext);
            diags.push(
                Diagnostic::error(CODE, format!("`{ext}` is a statistic, not an extended one"), span)
                    .label("extended statistics are percentiles and trimmed means: p99, tm90, ...")
                    .help(format!("write `statistic = \"{right}\"`")),
            );
        }
        _ => {}
    }
}

/// A period CloudWatch evaluates, an evaluation range within its limits,
/// and no more breaching datapoints than periods.
fn period(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let int = |name: &str| r.body.known(name).and_then(Value::as_int);
    let period = int("period");
    if let (Some(p), Some(span)) = (period, r.body.span("period"))
        && !valid_period(p)
    {
        diags.push(
            Diagnostic::error(CODE, format!("a period of {p} seconds"), span)
                .label("CloudWatch evaluates 10, 20, 30 or a multiple of 60")
                .help(format!("e.g. `period = {}`", (p / 60).max(1) * 60)),
        );
    }
    let periods = int("evaluation_periods");
    if let (Some(p), Some(n), Some(span)) = (period, periods, r.body.span("evaluation_periods")) {
        let limit = evaluation_limit(p);
        if p.saturating_mul(n) > limit {
            let what = if limit == DAY {
                "a day, with a period under an hour"
            } else {
                "a week"
            };
            diags.push(
                Diagnostic::error(CODE, format!("{n} periods of {p} seconds"), span)
                    .label(format!("{} seconds, more than {what}", p.saturating_mul(n)))
                    .help(
                        "CloudWatch evaluates at most a day of periods under an hour, a week of longer ones",
                    ),
            );
        }
    }
    if let (Some(m), Some(n), Some(span)) = (
        int("datapoints_to_alarm"),
        periods,
        r.body.span("datapoints_to_alarm"),
    ) && m > n
    {
        diags.push(
            Diagnostic::error(CODE, format!("{m} datapoints to alarm out of {n} periods"), span)
                .label("more than `evaluation_periods`")
                .help(format!("at most {n}, or raise `evaluation_periods`")),
        );
    }
}

/// The service named is declared with a step-scaling policy of that label
/// (a target-tracking policy makes and owns its alarms).
fn scaling_policy(stack: &Stack, block: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let Some(DesiredValue::Ref(service)) = block.body.value("service") else {
        return;
    };
    let (Some(service), Some((policy, span))) = (
        (service.address.kind == Kind::Service)
            .then(|| stack.resource(&service.address))
            .flatten(),
        string(&block.body, "policy"),
    ) else {
        return;
    };
    let steps: Vec<&str> = service
        .body
        .blocks("autoscaling")
        .iter()
        .flat_map(|a| a.body.blocks("step_scaling"))
        .filter_map(|p| p.label.as_ref().map(|l| l.node.as_str()))
        .collect();
    if steps.contains(&policy) {
        return;
    }
    let tracking = service
        .body
        .blocks("autoscaling")
        .iter()
        .flat_map(|a| a.body.blocks("target_tracking"))
        .any(|p| p.label.as_ref().is_some_and(|l| l.node == policy));
    let d = Diagnostic::error(
        CODE,
        format!("`{}` has no step-scaling policy `{policy}`", service.address),
        span,
    );
    diags.push(if tracking {
        d.label("a target-tracking policy")
            .help("a target-tracking policy makes and owns its own alarms; name a `step_scaling` policy")
    } else if steps.is_empty() {
        d.label("no such policy")
            .help("add `autoscaling { step_scaling NAME { step { ... } } }` to the service")
    } else {
        d.label("no such policy")
            .help(format!("its step-scaling policies: {}", steps.join(", ")))
    });
}
