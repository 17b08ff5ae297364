//! EventBridge rules as PutRule and PutTargets take them: a schedule
//! expression EventBridge reads, a pattern that is a JSON object, known
//! states; and each target's id (once per rule), one kind of input, and an
//! ECS target's cluster, role and network.

use berth_provider::events::{
    Fault, LAUNCH_TYPES, PROPAGATE_TAGS, STATES, repeated_ids, rule_faults, target_faults,
};

use super::domain::{given, string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBody, DesiredResource};

const CODE: &str = "E0646";

pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    diags.extend(unknown_value(&r.body, "state", "rule state", &STATES));
    report(&r.body, r.span, rule_faults(given(&r.body)), diags);
    let targets = r.body.blocks("target");
    for target in targets {
        for (attr, what, allowed) in [
            ("launch_type", "launch type", &LAUNCH_TYPES[..]),
            ("propagate_tags", "tag propagation", &PROPAGATE_TAGS[..]),
        ] {
            diags.extend(unknown_value(&target.body, attr, what, allowed));
        }
        report(
            &target.body,
            target.span,
            target_faults(given(&target.body)),
            diags,
        );
    }
    let ids: Vec<(&str, _)> = targets.iter().filter_map(|t| string(&t.body, "id")).collect();
    for id in repeated_ids(ids.iter().map(|(id, _)| *id)) {
        let Some((_, span)) = ids.iter().rfind(|(i, _)| *i == id) else {
            continue;
        };
        diags.push(
            Diagnostic::error(CODE, format!("two targets with the id `{id}`"), *span)
                .label("a rule's targets are known by their ids")
                .help("give each target its own `id`"),
        );
    }
}

/// Each of `faults` at its setting's span; a fault of a setting left out
/// (an ECS target's `role`) at the setting that makes it one, else at
/// `whole`, the rule or target.
fn report(body: &DesiredBody, whole: Span, faults: Vec<Fault>, diags: &mut Vec<Diagnostic>) {
    for fault in faults {
        let span = body
            .span(fault.attr)
            .or_else(|| body.span("task_definition"))
            .unwrap_or(whole);
        diags.push(
            Diagnostic::error(
                CODE,
                format!("EventBridge refuses `{}` ({})", fault.attr, fault.code),
                span,
            )
            .label(fault.message)
            .help(help(fault.attr)),
        );
    }
}

/// What to write instead of a setting EventBridge refuses.
fn help(attr: &str) -> &'static str {
    match attr {
        "schedule" => {
            "write `schedule = \"rate(5 minutes)\"` or `\"cron(0 3 * * ? *)\"` (UTC), or an `event_pattern`"
        }
        "event_pattern" => "write the pattern as `jsonencode({ source = [\"aws.ecs\"] })`",
        "role" => {
            "give `role = role.NAME.arn`, a role that trusts `events.amazonaws.com` and may `ecs:RunTask` and `iam:PassRole`"
        }
        "subnets" => "give the tasks' `subnets` (and `security_groups`), as a service's",
        "arn" => {
            "an ECS target's `arn` is `cluster.NAME.arn`; others name a topic, queue or log group by its ARN"
        }
        "message_group_id" => "give `message_group_id = \"...\"`",
        "input" => "write it as `jsonencode({ ... })`",
        "input_path" => "send `input` (JSON) or `input_path`, not both",
        "description" => "shorten the description",
        "id" => "name the target with letters, digits, `.`, `-` and `_`",
        _ => "give `task_definition` for an ECS target, or leave the ECS settings out",
    }
}
