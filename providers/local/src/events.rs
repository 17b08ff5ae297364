//! EventBridge rules on the default event bus, with their targets, and
//! PutRule's and PutTargets' rules, each answering with EventBridge's
//! error code: a rule's name (`berth_provider::events::name_fault`,
//! ValidationException), its state, schedule expression, pattern
//! (InvalidEventPatternException) and description
//! (`berth_provider::events::rule_faults`), and each target's id, input,
//! ECS settings and FIFO queue's message group
//! (`berth_provider::events::target_faults`), with the values
//! EventBridge does not know (`unknown_values`) and the numbers' ranges;
//! at most 5 targets a rule (LimitExceededException), each id once, and
//! a dead-letter queue that is an SQS queue's ARN.
//!
//! A rule's name is the account's in its region; its key in the file is
//! its ARN (`arn:aws:events:REGION:ACCOUNT:rule/NAME`), its name its
//! identity. PutRule itself is an upsert: of a name that exists it
//! changes that rule. berth's AWS adapter asks DescribeRule first and
//! refuses to take over a rule that is there, so a create here refuses a
//! name taken, whoever holds it (ResourceAlreadyExistsException).
//!
//! Targets are kept in the rule's attributes, known by their id: an
//! update puts the new and changed ones in one PutTargets, after one
//! RemoveTargets for those gone, and sends PutRule only when a setting of
//! the rule changes. A delete removes the targets, then the rule (AWS
//! deletes no rule that still has targets); DeleteRule of a rule that is
//! not there succeeds, as on AWS (`cloud.rs`).
//!
//! Not checked, as PutTargets does not check them: that a target, its
//! role, an ECS target's task definition, subnets and groups, or a
//! dead-letter queue exist (delivery fails later, or the task does not
//! run). A retry policy left out is not reported: EventBridge's own (a
//! day, 185 attempts) applies, and nothing is stored for it.

use std::collections::BTreeMap;

use berth_provider::attrs::{blocks_of, int_of, str_of};
use berth_provider::events::{
    Fault, VALIDATION, name_fault, repeated_ids, rule_faults, target_faults, unknown_values,
};
use berth_provider::schema::Block;
use berth_provider::{Address, Attrs, Kind, ProviderError, arn, naming};

use crate::api::fail;
use crate::attrs::{canonical_of, value};
use crate::sim::Sim;

const PUT_RULE: &str = "PutRule";
const PUT_TARGETS: &str = "PutTargets";
const REMOVE_TARGETS: &str = "RemoveTargets";
const DELETE_RULE: &str = "DeleteRule";

/// The rule's settings PutRule takes (all at once: it is an upsert).
const SETTINGS: [&str; 4] = ["schedule", "event_pattern", "description", "state"];

/// The most targets a rule has at once.
const TARGETS_MAX: usize = 5;

/// The most targets one PutTargets takes.
const ENTRIES_MAX: usize = 10;

/// EventBridge's answer to a rule's name already taken (berth's AWS
/// adapter refuses it after DescribeRule: PutRule would change that rule).
const TAKEN: &str = "ResourceAlreadyExistsException";

/// PutRule, named `{stack}-{name}` unless the configuration names it,
/// then PutTargets with its targets; returns its key (ARN). A name the
/// account has in the region is refused.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(PUT_RULE);
    let attrs = canonical_of(Kind::EventRule, &attrs);
    let name =
        naming::given(&attrs, "name").map_or_else(|| naming::event_rule(stack, address), str::to_owned);
    if let Some(why) = name_fault(&name) {
        return Err(fail(
            PUT_RULE,
            VALIDATION,
            format!(
                "1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ ({why})"
            ),
        ));
    }
    let arn = sim.arn("events", &format!("rule/{name}"));
    if sim.rec(&arn).is_some() {
        return Err(fail(
            PUT_RULE,
            TAKEN,
            format!("Rule {name} already exists on EventBus default."),
        ));
    }
    check_rule(&attrs)?;
    let targets = blocks_of(&attrs, "target");
    if !targets.is_empty() {
        sim.call(PUT_TARGETS);
        check_targets(&targets, &targets)?;
    }
    Ok(sim.insert_named(Kind::EventRule, arn, name, tags, attrs, false))
}

/// PutRule when a setting of the rule changes; then the targets by id:
/// RemoveTargets for those gone, PutTargets for the new and changed ones,
/// one call each (tags: `cloud.rs`).
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    let old = canonical_of(Kind::EventRule, old);
    *new = canonical_of(Kind::EventRule, new);
    if SETTINGS.iter().any(|s| value(&old, s) != value(new, s)) {
        sim.call(PUT_RULE);
        check_rule(new)?;
    }
    let had = blocks_of(&old, "target");
    let want = blocks_of(new, "target");
    let id = |t: &Attrs| str_of(t, "id").map(str::to_owned);
    let kept: Vec<Option<String>> = want.iter().map(|t| id(t)).collect();
    if had.iter().any(|t| !kept.contains(&id(t))) {
        sim.call(REMOVE_TARGETS);
    }
    let put: Vec<&Attrs> = want.iter().copied().filter(|t| !had.contains(t)).collect();
    // More targets than the rule keeps with none new: one given twice.
    if !put.is_empty() || want.len() > had.len() {
        sim.call(PUT_TARGETS);
        check_targets(&want, &put)?;
    }
    Ok(())
}

/// RemoveTargets for the rule's targets, then DeleteRule: the rule goes,
/// its targets with it.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let has_targets = sim
        .rec(key)
        .is_some_and(|r| !blocks_of(&r.attrs, "target").is_empty());
    if has_targets {
        sim.call(REMOVE_TARGETS);
    }
    sim.call(DELETE_RULE);
    sim.remove(key);
    Ok(())
}

/// PutRule's rules: a state EventBridge knows, then a schedule or a
/// pattern, each well formed, and a description within its length.
fn check_rule(attrs: &Attrs) -> Result<(), ProviderError> {
    let get = |a: &str| attrs.get(a);
    match unknown_values(false, get)
        .into_iter()
        .chain(rule_faults(get))
        .next()
    {
        Some(fault) => Err(refused(PUT_RULE, &fault, rule_aws(fault.attr))),
        None => Ok(()),
    }
}

/// PutTargets' rules for `sent` of the rule's targets `all` (as the rule
/// holds them after the call): at most 5 (LimitExceededException), each
/// id once; then each target sent, in order.
fn check_targets(all: &[&Attrs], sent: &[&Attrs]) -> Result<(), ProviderError> {
    if sent.len() > ENTRIES_MAX {
        return Err(fail(
            PUT_TARGETS,
            VALIDATION,
            format!(
                "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to {ENTRIES_MAX}"
            ),
        ));
    }
    if all.len() > TARGETS_MAX {
        return Err(fail(
            PUT_TARGETS,
            "LimitExceededException",
            format!(
                "The requested resource exceeds the maximum number allowed: a rule has at most {TARGETS_MAX} targets, not {}.",
                all.len()
            ),
        ));
    }
    if let Some(id) = repeated_ids(all.iter().filter_map(|t| str_of(t, "id"))).first() {
        return Err(fail(
            PUT_TARGETS,
            VALIDATION,
            format!("Parameter Targets is not valid. Reason: the target id `{id}` is given more than once."),
        ));
    }
    for (i, target) in sent.iter().enumerate() {
        check_target(i + 1, target)?;
    }
    Ok(())
}

/// One target's rules, `n` its place in the request: the values
/// EventBridge knows, the settings it refuses, the numbers' ranges, and
/// a dead-letter queue that is an SQS queue's ARN.
fn check_target(n: usize, target: &Attrs) -> Result<(), ProviderError> {
    let get = |a: &str| target.get(a);
    let id = str_of(target, "id").unwrap_or_default();
    if let Some(fault) = unknown_values(true, get)
        .into_iter()
        .chain(target_faults(get))
        .next()
    {
        let mut err = refused(PUT_TARGETS, &fault, target_aws(fault.attr));
        err.message = format!("{} (target `{id}`)", err.message);
        return Err(err);
    }
    for attr in target_schema().attrs {
        if let (Some((lo, hi)), Some(v)) = (attr.range, int_of(target, attr.name))
            && !(lo..=hi).contains(&v)
        {
            let bound = if v < lo {
                format!("greater than or equal to {lo}")
            } else {
                format!("less than or equal to {hi}")
            };
            return Err(fail(
                PUT_TARGETS,
                VALIDATION,
                format!(
                    "1 validation error detected: Value '{v}' at 'targets.{n}.member.{}' failed to satisfy constraint: Member must have value {bound}",
                    member_path(attr.aws)
                ),
            ));
        }
    }
    if let Some(dlq) = str_of(target, "dead_letter_queue")
        && !arn::is_of(dlq, "sqs")
    {
        return Err(fail(
            PUT_TARGETS,
            VALIDATION,
            format!(
                "Parameter DeadLetterConfig.Arn is not valid. Reason: `{dlq}` is not an SQS queue's ARN (target `{id}`)"
            ),
        ));
    }
    Ok(())
}

/// EventBridge's answer to a fault of `attr` (EventBridge's name `aws`).
fn refused(call: &str, fault: &Fault, aws: &str) -> ProviderError {
    let message = if fault.attr == "event_pattern" {
        format!("Event pattern is not valid. Reason: {}", fault.message)
    } else {
        format!("Parameter {aws} is not valid. Reason: {}", fault.message)
    };
    fail(call, fault.code, message)
}

/// The schema's `target` block.
fn target_schema() -> &'static Block {
    Kind::EventRule
        .schema()
        .block("target")
        .expect("the event_rule schema has its target block")
}

/// EventBridge's name of the rule's setting `attr`.
fn rule_aws(attr: &str) -> &'static str {
    Kind::EventRule.schema().attr(attr).map_or("Rule", |a| a.aws)
}

/// EventBridge's name of a target's setting `attr`.
fn target_aws(attr: &str) -> &'static str {
    target_schema().attr(attr).map_or("Targets", |a| a.aws)
}

/// A field's path in a request as EventBridge's validation messages
/// spell it: `RetryPolicy.MaximumRetryAttempts` is
/// `retryPolicy.maximumRetryAttempts`.
fn member_path(aws: &str) -> String {
    aws.split('.')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Value;

    #[test]
    fn member_paths_are_lower_camel_case() {
        assert_eq!(
            member_path("RetryPolicy.MaximumEventAgeInSeconds"),
            "retryPolicy.maximumEventAgeInSeconds"
        );
        assert_eq!(member_path("EcsParameters.TaskCount"), "ecsParameters.taskCount");
    }

    #[test]
    fn the_target_block_names_its_settings_as_eventbridge_does() {
        assert_eq!(target_aws("role"), "RoleArn");
        assert_eq!(target_aws("dead_letter_queue"), "DeadLetterConfig.Arn");
        assert_eq!(rule_aws("schedule"), "ScheduleExpression");
    }

    #[test]
    fn a_dead_letter_queue_is_an_sqs_queue() {
        let target: Attrs = [
            ("id".to_owned(), Value::from("t")),
            (
                "arn".to_owned(),
                Value::from("arn:aws:sns:us-east-1:123456789012:t"),
            ),
            (
                "dead_letter_queue".to_owned(),
                Value::from("arn:aws:sns:us-east-1:123456789012:t"),
            ),
        ]
        .into();
        let err = check_target(1, &target).unwrap_err();
        assert_eq!((err.call.as_str(), err.code.as_str()), (PUT_TARGETS, VALIDATION));
        assert!(err.message.contains("DeadLetterConfig.Arn"), "{err}");
    }
}
