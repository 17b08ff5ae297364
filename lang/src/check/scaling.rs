//! A service's `autoscaling` block as Application Auto Scaling takes it.
//! AWS answers `ValidationException` to each mistake, and only at apply,
//! once the service exists.

use berth_provider::Value;
use berth_provider::alarm::STATISTICS;
use berth_provider::scaling::{ADJUSTMENT_TYPES, METRIC_AGGREGATIONS, berths_metric, valid_schedule};

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBlock, DesiredResource};

const CODE: &str = "E0564";

pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for block in r.body.blocks("autoscaling") {
        bounds(block, diags);
        for policy in block.body.blocks("target_tracking") {
            tracking(policy, diags);
        }
        for policy in block.body.blocks("step_scaling") {
            step(policy, diags);
        }
        for action in block.body.blocks("scheduled") {
            scheduled(action, diags);
        }
    }
}

fn int(block: &DesiredBlock, name: &str) -> Option<i64> {
    match block.body.known(name) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

fn bounds(block: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    if let (Some(min), Some(max), Some(span)) = (
        int(block, "min_capacity"),
        int(block, "max_capacity"),
        block.body.span("min_capacity"),
    ) && min > max
    {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("min_capacity {min} is above max_capacity {max}"),
                span,
            )
            .label("the scaler could never satisfy both")
            .help("make min_capacity at most max_capacity"),
        );
    }
}

fn tracking(policy: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    // AWS takes any double above zero (8.5e-109 up): a fraction is fine.
    if let (Some(target), Some(span)) = (policy.body.known("target"), policy.body.span("target"))
        && target.as_f64().is_some_and(|t| t <= 0.0)
    {
        diags.push(
            Diagnostic::error("E0515", format!("`target` = {target} is out of range"), span)
                .label("not above 0")
                .help("AWS's `TargetValue` takes a number above 0"),
        );
    }
    let custom = policy.body.blocks("custom_metric").first();
    match (policy.body.span("metric"), custom) {
        (Some(span), Some(_)) => {
            diags.push(
                Diagnostic::error(
                    CODE,
                    "a policy tracks `metric` or a `custom_metric`, not both",
                    span,
                )
                .label("and a `custom_metric` block")
                .help("remove `metric`, or the `custom_metric` block"),
            );
            return;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(CODE, "a target-tracking policy without a metric", policy.span)
                    .label("no `metric` or `custom_metric`")
                    .help("add `metric = \"cpu\"` (or `memory`, `requests`), or a `custom_metric { metric_name  namespace  statistic }` block"),
            );
            return;
        }
        (None, Some(custom)) => {
            custom_metric(custom, diags);
            if let Some(tg) = policy.body.span("target_group") {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        "a `target_group` only goes with `metric = \"requests\"`",
                        tg,
                    )
                    .label("a custom metric has no resource label")
                    .help("name the target group among the custom metric's `dimensions`"),
                );
            }
            return;
        }
        (Some(_), None) => {}
    }
    let Some(Value::String(written)) = policy.body.known("metric") else {
        return;
    };
    let span = policy.body.span("metric").unwrap_or(policy.span);
    // AWS's names (CloudFormation's `PredefinedMetricType`) are taken too.
    let Some(metric) = berths_metric(written) else {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("`{written}` is not a metric an ECS service scales on"),
                span,
            )
            .label("unknown metric")
            .help("write \"cpu\", \"memory\" or \"requests\" (or AWS's names of them)"),
        );
        return;
    };
    match (metric, policy.body.span("target_group")) {
        ("requests", None) => diags.push(
            Diagnostic::error(CODE, "tracking `requests` needs a `target_group`", span)
                .label("requests of which target group?")
                .help("add `target_group = target_group.NAME`, the target group the service registers in"),
        ),
        ("requests", Some(_)) | (_, None) => {}
        (_, Some(tg)) => diags.push(
            Diagnostic::error(
                CODE,
                format!("a `target_group` only goes with `requests`, not `{metric}`"),
                tg,
            )
            .label("AWS refuses a resource label here")
            .help("remove `target_group`"),
        ),
    }
}

/// A custom metric's statistic, one of CloudWatch's plain five (no
/// percentiles: target tracking has no `extended_statistic`).
fn custom_metric(metric: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    if let (Some(Value::String(v)), Some(span)) =
        (metric.body.known("statistic"), metric.body.span("statistic"))
        && !STATISTICS.contains(&v.as_str())
    {
        diags.push(
            Diagnostic::error(CODE, format!("statistic `{v}` is not one AWS takes"), span)
                .label("invalid value")
                .help(format!("write one of: {}", STATISTICS.join(", "))),
        );
    }
}

fn step(policy: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let allowed: [(&str, &[&str]); 2] = [
        ("adjustment_type", &ADJUSTMENT_TYPES),
        ("metric_aggregation", &METRIC_AGGREGATIONS),
    ];
    for (name, values) in allowed {
        if let (Some(Value::String(v)), Some(span)) = (policy.body.known(name), policy.body.span(name))
            && !values.contains(&v.as_str())
        {
            diags.push(
                Diagnostic::error(CODE, format!("{name} `{v}` is not one AWS takes"), span)
                    .label("invalid value")
                    .help(format!("write one of: {}", values.join(", "))),
            );
        }
    }
}

fn scheduled(action: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    if let (Some(Value::String(schedule)), Some(span)) =
        (action.body.known("schedule"), action.body.span("schedule"))
        && !valid_schedule(schedule)
    {
        diags.push(
            Diagnostic::error(CODE, format!("`{schedule}` is not a schedule AWS reads"), span)
                .label("expected at(...), rate(...) or cron(...)")
                .help("e.g. \"cron(0 8 ? * MON-FRI *)\" or \"rate(1 hour)\""),
        );
    }
    if action.body.span("min_capacity").is_none() && action.body.span("max_capacity").is_none() {
        diags.push(
            Diagnostic::error(CODE, "a scheduled action that changes nothing", action.span)
                .label("no min_capacity or max_capacity")
                .help("set min_capacity, max_capacity or both"),
        );
    }
}
