//! CloudWatch's PutMetricAlarm rules that both validate and the local
//! cloud apply to a `metric_alarm`.

/// The comparisons of an alarm on a threshold.
pub const OPERATORS: [&str; 4] = [
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
];

/// The plain statistics (`extended_statistic` holds the others: `p99`, ...).
pub const STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/// How an alarm treats missing data points.
pub const MISSING_DATA: [&str; 4] = ["missing", "ignore", "breaching", "notBreaching"];

/// Seconds in a day and in a week: the longest an alarm evaluates with a
/// period under an hour, and with any period.
pub const DAY: i64 = 86_400;
pub const WEEK: i64 = 604_800;

/// Whether CloudWatch evaluates a period of `seconds`: 10, 20, 30 or a
/// multiple of 60.
pub fn valid_period(seconds: i64) -> bool {
    matches!(seconds, 10 | 20 | 30) || (seconds > 0 && seconds % 60 == 0)
}

/// The longest evaluation (period × periods) CloudWatch takes with a
/// period of `seconds`: a day under an hour, a week otherwise.
pub fn evaluation_limit(seconds: i64) -> i64 {
    if seconds < 3_600 { DAY } else { WEEK }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_their_evaluation_limits() {
        assert!([10, 20, 30, 60, 300, 86_400].into_iter().all(valid_period));
        assert!(![0, 5, 45, 90, -60].into_iter().any(valid_period));
        assert_eq!(evaluation_limit(60), DAY);
        assert_eq!(evaluation_limit(3_600), WEEK);
    }
}
