//! Application Auto Scaling's rules that both validate and the local cloud
//! apply to a service's `autoscaling` block.

/// The metrics a target-tracking policy of an ECS service tracks, as
/// written: CPU, memory, and ALB requests per target.
pub const METRICS: &[&str] = &["cpu", "memory", "requests"];

/// AWS's names of [`METRICS`], as Terraform and CloudFormation spell them.
pub const AWS_METRICS: &[(&str, &str)] = &[
    ("ECSServiceAverageCPUUtilization", "cpu"),
    ("ECSServiceAverageMemoryUtilization", "memory"),
    ("ALBRequestCountPerTarget", "requests"),
];

/// berth's name of the metric written `written` (berth's or AWS's, any
/// case); `None` for none of them.
pub fn berths_metric(written: &str) -> Option<&'static str> {
    METRICS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(written))
        .copied()
        .or_else(|| {
            AWS_METRICS
                .iter()
                .find(|(aws, _)| aws.eq_ignore_ascii_case(written))
                .map(|(_, m)| *m)
        })
}

/// A step policy's adjustment types.
pub const ADJUSTMENT_TYPES: [&str; 3] = ["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"];

/// How a step policy aggregates its alarm's metric.
pub const METRIC_AGGREGATIONS: [&str; 3] = ["Average", "Minimum", "Maximum"];

/// Whether `schedule` has one of AWS's three forms: `at(...)`, `rate(...)`
/// or `cron(...)`, with something inside.
pub fn valid_schedule(schedule: &str) -> bool {
    ["at(", "rate(", "cron("].iter().any(|form| {
        schedule
            .strip_prefix(form)
            .and_then(|rest| rest.strip_suffix(')'))
            .is_some_and(|inside| !inside.trim().is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::valid_schedule;

    #[test]
    fn schedules_take_aws_forms() {
        assert!(valid_schedule("cron(0 8 * * ? *)"));
        assert!(valid_schedule("rate(5 minutes)"));
        assert!(valid_schedule("at(2026-12-24T18:00:00)"));
        assert!(!valid_schedule("0 8 * * *"));
        assert!(!valid_schedule("cron()"));
        assert!(!valid_schedule("rate(5 minutes"));
    }
}
