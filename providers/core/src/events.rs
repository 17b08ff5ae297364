//! EventBridge's rules that both validate and the local cloud apply to an
//! `event_rule` and its targets, as PutRule and PutTargets refuse them: a
//! rule's name and schedule expression, its pattern, and a target's id,
//! input and ECS settings.

use crate::Value;
use crate::naming::{EVENT_RULE_MAX, event_rule_char};

/// EventBridge's error code for a setting it refuses.
pub const VALIDATION: &str = "ValidationException";

/// A rule's states.
pub const STATES: [&str; 3] = [
    "ENABLED",
    "DISABLED",
    "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
];

/// An ECS target's launch types.
pub const LAUNCH_TYPES: [&str; 3] = ["FARGATE", "EC2", "EXTERNAL"];

/// What an ECS target's tasks may take their tags from.
pub const PROPAGATE_TAGS: [&str; 1] = ["TASK_DEFINITION"];

/// A target's settings only an ECS target (one with `task_definition`)
/// has, and the value each has when left out.
pub const ECS_ONLY: [(&str, Value); 9] = [
    ("task_count", Value::Int(1)),
    ("launch_type", Value::Null),
    ("platform_version", Value::Null),
    ("subnets", Value::List(Vec::new())),
    ("security_groups", Value::List(Vec::new())),
    ("public_ip", Value::Bool(false)),
    ("propagate_tags", Value::Null),
    ("enable_ecs_managed_tags", Value::Bool(false)),
    ("enable_execute_command", Value::Bool(false)),
];

/// The most subnets and security groups an ECS target's tasks take.
const SUBNETS_MAX: usize = 16;
const SECURITY_GROUPS_MAX: usize = 5;

/// The longest description a rule takes.
pub const DESCRIPTION_MAX: usize = 512;

pub use crate::fault::Fault;

/// What is wrong with `name` as a rule's name or a target's id: 1 to 64
/// letters, digits, `.`, `-` and `_`.
pub fn name_fault(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > EVENT_RULE_MAX {
        return Some(format!("1 to {EVENT_RULE_MAX} characters"));
    }
    name.chars()
        .find(|c| !event_rule_char(*c))
        .map(|c| format!("`{c}`: letters, digits, `.`, `-` and `_` only"))
}

/// The settings of a rule (`target` false) or of one of its targets whose
/// value EventBridge does not know (validate tells them with the values it
/// takes).
pub fn unknown_values<'v>(target: bool, get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let allowed: &[(&'static str, &[&str])] = if target {
        &[
            ("launch_type", &LAUNCH_TYPES),
            ("propagate_tags", &PROPAGATE_TAGS),
        ]
    } else {
        &[("state", &STATES)]
    };
    allowed
        .iter()
        .filter_map(|(attr, values)| {
            let v = get(attr).and_then(Value::as_str)?;
            (!values.iter().any(|a| a.eq_ignore_ascii_case(v))).then(|| {
                Fault::new(
                    attr,
                    VALIDATION,
                    format!("`{v}` is not one of {}", values.join(", ")),
                )
            })
        })
        .collect()
}

/// The settings of one rule PutRule refuses ([`unknown_values`] apart),
/// `get` reading a setting's value (`None` when left out,
/// [`Value::Unknown`] when given but not known yet).
pub fn rule_faults<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let given = |attr: &str| get(attr).is_some_and(|v| *v != Value::Null);
    if !given("schedule") && !given("event_pattern") {
        out.push(Fault::new(
            "schedule",
            VALIDATION,
            "a rule needs a `schedule` or an `event_pattern`",
        ));
    }
    if let Some(Value::String(s)) = get("schedule")
        && let Some(why) = schedule_fault(s)
    {
        out.push(Fault::new("schedule", VALIDATION, format!("`{s}`: {why}")));
    }
    if let Some(Value::String(p)) = get("event_pattern")
        && let Some(why) = pattern_fault(p)
    {
        out.push(Fault::new("event_pattern", "InvalidEventPatternException", why));
    }
    if let Some(Value::String(d)) = get("description")
        && d.chars().count() > DESCRIPTION_MAX
    {
        out.push(Fault::new(
            "description",
            VALIDATION,
            format!("at most {DESCRIPTION_MAX} characters"),
        ));
    }
    out
}

/// The settings of one target PutTargets refuses ([`unknown_values`]
/// apart); `get` as for [`rule_faults`].
pub fn target_faults<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let given = |attr: &str| get(attr).is_some_and(|v| *v != Value::Null);
    let text = |attr: &str| get(attr).and_then(Value::as_str);
    if let Some(id) = text("id")
        && let Some(why) = name_fault(id)
    {
        out.push(Fault::new("id", VALIDATION, format!("a target's id: {why}")));
    }
    if given("input") && given("input_path") {
        out.push(Fault::new(
            "input_path",
            VALIDATION,
            "one of `input` and `input_path`, not both",
        ));
    }
    if let Some(input) = text("input")
        && serde_json::from_str::<serde_json::Value>(input).is_err()
    {
        out.push(Fault::new("input", VALIDATION, "`input` is not JSON"));
    }
    let arn = text("arn");
    if arn.is_some_and(|a| !a.starts_with("arn:")) {
        out.push(Fault::new("arn", VALIDATION, "a target is named by its ARN"));
    }
    if arn.is_some_and(|a| a.contains(":sqs:") && a.ends_with(".fifo")) && !given("message_group_id") {
        out.push(Fault::new(
            "message_group_id",
            VALIDATION,
            "a FIFO queue target needs its `message_group_id`",
        ));
    }
    if given("task_definition") {
        out.extend(ecs_faults(&get, arn));
    } else {
        for (attr, unset) in &ECS_ONLY {
            if get(attr).is_some_and(|v| !matches!(v, Value::Null | Value::Unknown) && v != unset) {
                out.push(Fault::new(
                    attr,
                    VALIDATION,
                    "an ECS target's setting, on a target without `task_definition`",
                ));
            }
        }
    }
    out
}

/// An ECS target's faults: a cluster's ARN, a role, and a network for
/// Fargate.
fn ecs_faults<'v>(get: &impl Fn(&str) -> Option<&'v Value>, arn: Option<&str>) -> Vec<Fault> {
    let mut out = Vec::new();
    let count = |attr: &str| get(attr).and_then(Value::as_list).map_or(0, <[Value]>::len);
    if arn.is_some_and(|a| !a.contains(":cluster/")) {
        out.push(Fault::new(
            "arn",
            VALIDATION,
            "an ECS target's `arn` is its cluster's (`cluster.NAME.arn`)",
        ));
    }
    if get("role").is_none_or(|v| *v == Value::Null) {
        out.push(Fault::new(
            "role",
            VALIDATION,
            "an ECS target needs a `role` EventBridge assumes to run the task",
        ));
    }
    let fargate = get("launch_type")
        .and_then(Value::as_str)
        .is_some_and(|l| l.eq_ignore_ascii_case("FARGATE"));
    // Given but not known yet (references to subnets) is given.
    let no_subnets = match get("subnets") {
        Some(Value::Unknown) => false,
        _ => count("subnets") == 0,
    };
    if fargate && no_subnets {
        out.push(Fault::new(
            "subnets",
            VALIDATION,
            "a Fargate task needs its `subnets` (ECS refuses to run it without them)",
        ));
    }
    if count("subnets") > SUBNETS_MAX {
        out.push(Fault::new(
            "subnets",
            VALIDATION,
            format!("at most {SUBNETS_MAX} subnets"),
        ));
    }
    if count("security_groups") > SECURITY_GROUPS_MAX {
        out.push(Fault::new(
            "security_groups",
            VALIDATION,
            format!("at most {SECURITY_GROUPS_MAX} security groups"),
        ));
    }
    out
}

/// Ids given to more than one of a rule's targets.
pub fn repeated_ids<'v>(ids: impl IntoIterator<Item = &'v str>) -> Vec<&'v str> {
    let mut seen = std::collections::BTreeSet::new();
    let mut repeated: Vec<&str> = ids.into_iter().filter(|id| !seen.insert(*id)).collect();
    repeated.dedup();
    repeated
}

/// What is wrong with `pattern` as an event pattern: JSON, an object.
pub fn pattern_fault(pattern: &str) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(pattern) {
        Ok(serde_json::Value::Object(m)) if !m.is_empty() => None,
        Ok(_) => Some("an event pattern is a JSON object of the fields it matches".into()),
        Err(e) => Some(format!("an event pattern is JSON: {e}")),
    }
}

/// What is wrong with `expr` as a schedule expression: `rate(N UNIT)` or
/// `cron(...)` with six fields.
pub fn schedule_fault(expr: &str) -> Option<String> {
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        return rate_fault(inner);
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        return cron_fault(inner);
    }
    Some("a schedule is `rate(N minutes|hours|days)` or `cron(MIN HOUR DAY MONTH WEEKDAY YEAR)`".into())
}

fn rate_fault(inner: &str) -> Option<String> {
    let Some((n, unit)) = inner.split_once(' ') else {
        return Some("a rate is a number and a unit: `rate(5 minutes)`".into());
    };
    let Ok(n) = n.parse::<u32>() else {
        return Some(format!("`{n}` is not a whole number"));
    };
    if n == 0 {
        return Some("a rate of at least 1".into());
    }
    let singular = ["minute", "hour", "day"];
    let (want, other) = if n == 1 {
        (singular, "s")
    } else {
        (["minutes", "hours", "days"], "")
    };
    if want.contains(&unit) {
        return None;
    }
    if singular.iter().any(|s| unit == format!("{s}s") || unit == *s) {
        let fixed = if n == 1 {
            unit.trim_end_matches('s').to_owned()
        } else {
            format!("{unit}{other}s")
        };
        return Some(format!(
            "`rate({n} {fixed})`: the unit is singular for 1 and plural otherwise"
        ));
    }
    Some(format!("`{unit}` is not `minutes`, `hours` or `days`"))
}

/// The six fields of a cron expression: name, characters besides digits,
/// and the range of plain numbers.
const CRON_FIELDS: [(&str, &str, u32, u32); 6] = [
    ("minutes", ",-*/", 0, 59),
    ("hours", ",-*/", 0, 23),
    ("day-of-month", ",-*?/LW", 1, 31),
    ("month", ",-*/", 1, 12),
    ("day-of-week", ",-*?L#", 1, 7),
    ("year", ",-*/", 1970, 2199),
];

fn cron_fault(inner: &str) -> Option<String> {
    let fields: Vec<&str> = inner.split_whitespace().collect();
    if fields.len() != CRON_FIELDS.len() {
        return Some(format!(
            "a cron expression has six fields (minutes, hours, day-of-month, month, day-of-week, year), not {}",
            fields.len()
        ));
    }
    for (field, (name, extra, lo, hi)) in fields.iter().zip(CRON_FIELDS) {
        // Month and weekday names (`JAN`, `MON-FRI`) are letters.
        let named = matches!(name, "month" | "day-of-week");
        if let Some(c) = field
            .chars()
            .find(|c| !(c.is_ascii_digit() || extra.contains(*c) || (named && c.is_ascii_alphabetic())))
        {
            return Some(format!("`{c}` in the {name} field `{field}`"));
        }
        // Numbers before a `/` (an increment's is not a value of the field).
        let out_of_range = field
            .split(',')
            .filter_map(|item| item.split('/').next())
            .flat_map(|item| item.split(['-', '#']))
            .filter_map(|n| n.parse::<u32>().ok())
            .any(|n| !(lo..=hi).contains(&n));
        if out_of_range {
            return Some(format!("the {name} field `{field}` is outside {lo} to {hi}"));
        }
    }
    match (fields[2] == "?", fields[4] == "?") {
        (false, false) => Some("one of day-of-month and day-of-week is `?` (`cron(0 12 * * ? *)`)".into()),
        (true, true) => Some("only one of day-of-month and day-of-week is `?`".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_rates_or_six_field_crons() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 day)",
            "rate(12 hours)",
            "cron(0 12 * * ? *)",
            "cron(15 10 ? * MON-FRI *)",
            "cron(0/15 * * * ? *)",
            "cron(0 8 1 * ? *)",
            "cron(0 18 ? * 6L 2026-2030)",
        ] {
            assert_eq!(schedule_fault(ok), None, "{ok}");
        }
        for bad in [
            "rate(5 minute)",
            "rate(1 hours)",
            "rate(0 days)",
            "rate(five minutes)",
            "rate(5 weeks)",
            "cron(0 12 * * *)",
            "cron(0 12 * * * *)",
            "cron(0 12 ? * ? *)",
            "cron(61 12 * * ? *)",
            "every day",
        ] {
            assert!(schedule_fault(bad).is_some(), "{bad}");
        }
        assert_eq!(
            schedule_fault("rate(5 minute)").as_deref(),
            Some("`rate(5 minutes)`: the unit is singular for 1 and plural otherwise")
        );
    }

    #[test]
    fn ecs_targets_need_a_cluster_a_role_and_a_network_for_fargate() {
        let attrs: std::collections::BTreeMap<&str, Value> = [
            ("id", Value::from("run")),
            ("arn", Value::from("arn:aws:sns:us-east-1:1:topic")),
            (
                "task_definition",
                Value::from("arn:aws:ecs:us-east-1:1:task-definition/t:1"),
            ),
            ("launch_type", Value::from("FARGATE")),
        ]
        .into();
        let faults = target_faults(|a| attrs.get(a));
        let attrs: Vec<&str> = faults.iter().map(|f| f.attr).collect();
        assert_eq!(attrs, ["arn", "role", "subnets"]);
    }

    #[test]
    fn settings_of_ecs_targets_on_other_targets_are_refused() {
        let attrs: std::collections::BTreeMap<&str, Value> = [
            ("id", Value::from("bad id")),
            ("arn", Value::from("arn:aws:sqs:us-east-1:1:q.fifo")),
            ("task_count", Value::Int(2)),
            ("public_ip", Value::Bool(false)),
        ]
        .into();
        let faults = target_faults(|a| attrs.get(a));
        let attrs: Vec<&str> = faults.iter().map(|f| f.attr).collect();
        assert_eq!(attrs, ["id", "message_group_id", "task_count"]);
    }

    #[test]
    fn a_rule_needs_a_schedule_or_a_pattern_object() {
        let none = rule_faults(|_| None);
        assert_eq!(none[0].attr, "schedule");
        let pattern = Value::from("[1]");
        assert_eq!(
            rule_faults(|a| (a == "event_pattern").then_some(&pattern))[0].code,
            "InvalidEventPatternException"
        );
        assert_eq!(repeated_ids(["a", "b", "a", "a"]), ["a"]);
    }
}
