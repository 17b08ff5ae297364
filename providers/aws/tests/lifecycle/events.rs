//! `event_rule` through the real SDK against moto: a scheduled rule running
//! an ECS task (and notifying a topic) and a pattern rule sending to a
//! queue, read back as created; the scheduled one changed in place (to a
//! pattern, disabled, described anew, a target's input changed, one target
//! added and one removed, tags changed); a rule with a given name; a rule
//! of the same name that is not the stack's refused and left alone; a
//! create sent again after a lost answer; a rule imported by name or ARN
//! and adopted; deletes (targets first) sent twice.

use std::collections::BTreeMap;

use crate::support::raw::event_targets;
use crate::support::*;
use aws_sdk_eventbridge::types::{AssignPublicIp, LaunchType, RuleState, Target};
use berth_aws::AwsProvider;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};
use berth_test_support::proxy::{FaultProxy, Faults};

const ACCOUNT: &str = "123456789012";
const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/jobs";
const ROLE: &str = "arn:aws:iam::123456789012:role/berth/events";
const TASK: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/report:3";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:stopped";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:undelivered";

fn rule(name: &str, pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::EventRule, name, pairs)
}

fn many(rs: &[&Resource]) -> BTreeMap<String, Resource> {
    rs.iter().map(|r| (r.address.to_string(), (*r).clone())).collect()
}

/// The nightly report's ECS target: a Fargate task in two subnets with a
/// public IP, its command overridden.
fn report(command: &str) -> Value {
    block(&[
        ("id", s("report")),
        ("arn", s(CLUSTER)),
        ("role", s(ROLE)),
        ("task_definition", s(TASK)),
        ("launch_type", s("FARGATE")),
        ("platform_version", s("1.4.0")),
        ("subnets", list(vec![s("subnet-0b"), s("subnet-0a")])),
        ("security_groups", list(vec![s("sg-0a")])),
        ("public_ip", Value::Bool(true)),
        ("propagate_tags", s("TASK_DEFINITION")),
        ("enable_ecs_managed_tags", Value::Bool(true)),
        ("group", s("reports")),
        (
            "input",
            s(&format!(
                r#"{{ "containerOverrides": [{{ "name": "app", "command": ["{command}"] }}] }}"#
            )),
        ),
    ])
}

fn notify() -> Value {
    block(&[("id", s("notify")), ("arn", s(TOPIC))])
}

fn nightly(targets: Vec<Value>) -> Resource {
    rule(
        "nightly",
        &[
            ("schedule", s("cron(0 3 * * ? *)")),
            ("description", s("the nightly report")),
            ("tags", tags(&[("team", "web"), ("tier", "1")])),
            ("target", list(targets)),
        ],
    )
}

/// The queue target of the stopped tasks: their details, retried 3 times
/// for an hour, then to a dead-letter queue.
fn stopped() -> Resource {
    rule(
        "stopped",
        &[
            (
                "event_pattern",
                s(
                    r#"{"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"], "detail": {"lastStatus": ["STOPPED"]}}"#,
                ),
            ),
            (
                "target",
                list(vec![block(&[
                    ("id", s("keep")),
                    ("arn", s(QUEUE)),
                    ("input_path", s("$.detail")),
                    ("dead_letter_queue", s(DLQ)),
                    ("maximum_retry_attempts", Value::Int(3)),
                    ("maximum_event_age", Value::Int(3600)),
                ])]),
            ),
        ],
    )
}

/// The rule's targets as EventBridge holds them, by id.
async fn targets(env: &Env, name: &str) -> BTreeMap<String, Target> {
    event_targets(&env.raw.events, name)
        .await
        .into_iter()
        .map(|t| (t.id().to_owned(), t))
        .collect()
}

/// The rule's tags as EventBridge holds them.
async fn raw_tags(env: &Env, arn: &str) -> BTreeMap<String, String> {
    let out = env
        .raw
        .events
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("ListTagsForResource");
    out.tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

/// The names of every rule of the default bus.
async fn rule_names(env: &Env) -> Vec<String> {
    let out = env.raw.events.list_rules().send().await.expect("ListRules");
    out.rules()
        .iter()
        .filter_map(|r| r.name().map(str::to_owned))
        .collect()
}

/// The JSON of `text`, to compare JSON texts by value.
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("JSON")
}

fn calls(p: &AwsProvider, op: &str) -> u64 {
    p.stats().get(&format!("events:{op}")).map_or(0, |s| s.calls)
}

#[tokio::test]
async fn a_scheduled_and_a_pattern_rule_read_back_and_change_in_place() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "ev-life";
    let live = create(p, stack, nightly(vec![report("report"), notify()])).await;
    let name = text(&live, "name");
    let arn = text(&live, "arn");
    assert_eq!(name, "ev-life-nightly", "berth's name");
    assert_eq!(
        arn,
        format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/ev-life-nightly")
    );
    let pattern = create(p, stack, stopped()).await;
    assert_eq!(
        text(&pattern, "event_pattern"),
        r#"{"detail":{"lastStatus":["STOPPED"]},"detail-type":["ECS Task State Change"],"source":["aws.ecs"]}"#,
        "compact, keys sorted"
    );
    assert_eq!(pattern.attrs["state"], s("ENABLED"), "the default");
    assert_same(&read(p, stack).await, &many(&[&live, &pattern]));

    // As EventBridge holds them.
    let out = env
        .raw
        .events
        .describe_rule()
        .name(&name)
        .send()
        .await
        .expect("DescribeRule");
    assert_eq!(out.schedule_expression(), Some("cron(0 3 * * ? *)"));
    assert_eq!(out.description(), Some("the nightly report"));
    assert_eq!(out.state(), Some(&RuleState::Enabled));
    let held = raw_tags(&env, &arn).await;
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("event_rule.nightly")
    );
    assert_eq!(held.get("tier").map(String::as_str), Some("1"));
    let held = targets(&env, &name).await;
    assert_eq!(held.keys().collect::<Vec<_>>(), ["notify", "report"]);
    let run = &held["report"];
    assert_eq!(run.arn(), CLUSTER);
    assert_eq!(run.role_arn(), Some(ROLE));
    assert_eq!(
        json(run.input().unwrap_or_default()),
        serde_json::json!({"containerOverrides": [{"name": "app", "command": ["report"]}]})
    );
    let ecs = run.ecs_parameters().expect("ECS parameters");
    assert_eq!(ecs.task_definition_arn(), TASK);
    assert_eq!(ecs.task_count(), Some(1));
    assert_eq!(ecs.launch_type(), Some(&LaunchType::Fargate));
    assert_eq!(ecs.platform_version(), Some("1.4.0"));
    assert_eq!(ecs.group(), Some("reports"));
    assert!(ecs.enable_ecs_managed_tags() && !ecs.enable_execute_command());
    let vpc = ecs
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .expect("awsvpc");
    let mut subnets = vpc.subnets().to_vec();
    subnets.sort();
    assert_eq!(subnets, ["subnet-0a", "subnet-0b"]);
    assert_eq!(vpc.security_groups(), ["sg-0a"]);
    assert_eq!(vpc.assign_public_ip(), Some(&AssignPublicIp::Enabled));
    assert!(held["notify"].ecs_parameters().is_none(), "{held:?}");
    let keep = &targets(&env, &text(&pattern, "name")).await["keep"];
    assert_eq!(keep.input_path(), Some("$.detail"));
    assert_eq!(keep.dead_letter_config().and_then(|d| d.arn()), Some(DLQ));
    let retry = keep.retry_policy().expect("retry policy");
    assert_eq!(
        (
            retry.maximum_retry_attempts(),
            retry.maximum_event_age_in_seconds()
        ),
        (Some(3), Some(3600))
    );

    // Nothing changed: nothing sent.
    let before = p.stats();
    let same = p
        .update(stack, &live, &nightly(vec![report("report"), notify()]))
        .await
        .expect("update");
    assert_eq!(same, live);
    let after = p.stats();
    assert_eq!(
        after
            .keys()
            .filter(|k| k.starts_with("events:"))
            .map(|k| after[k].calls)
            .sum::<u64>(),
        before
            .keys()
            .filter(|k| k.starts_with("events:"))
            .map(|k| before[k].calls)
            .sum::<u64>(),
        "{after:?}"
    );

    // A pattern instead of the schedule, disabled, described anew; the
    // report's command changed, the notice removed, an audit target added;
    // a tag changed, one removed.
    let audit = block(&[
        ("id", s("audit")),
        ("arn", s(QUEUE)),
        ("input", s(r#"{"audit": true}"#)),
    ]);
    let changed = rule(
        "nightly",
        &[
            ("event_pattern", s(r#"{"source": ["aws.ecs"]}"#)),
            ("state", s("disabled")),
            ("description", s("the report, on demand")),
            ("tags", tags(&[("team", "data")])),
            ("target", list(vec![report("rebuild"), audit])),
        ],
    );
    let (puts, removes) = (calls(p, "PutTargets"), calls(p, "RemoveTargets"));
    let updated = p.update(stack, &live, &changed).await.expect("update");
    assert_eq!(text(&updated, "arn"), arn, "the same rule");
    assert_eq!(updated.attrs["schedule"], Value::Null);
    assert_eq!(updated.attrs["state"], s("DISABLED"));
    assert_eq!(calls(p, "PutTargets"), puts + 1, "one PutTargets");
    assert_eq!(calls(p, "RemoveTargets"), removes + 1, "one RemoveTargets");
    let out = env
        .raw
        .events
        .describe_rule()
        .name(&name)
        .send()
        .await
        .expect("DescribeRule");
    assert_eq!(out.schedule_expression(), None, "PutRule replaces every setting");
    assert_eq!(
        json(out.event_pattern().unwrap_or_default()),
        serde_json::json!({"source": ["aws.ecs"]})
    );
    assert_eq!(out.state(), Some(&RuleState::Disabled));
    assert_eq!(out.description(), Some("the report, on demand"));
    let held = targets(&env, &name).await;
    assert_eq!(held.keys().collect::<Vec<_>>(), ["audit", "report"]);
    assert_eq!(
        json(held["report"].input().unwrap_or_default()),
        serde_json::json!({"containerOverrides": [{"name": "app", "command": ["rebuild"]}]})
    );
    assert_eq!(held["audit"].input(), Some(r#"{"audit":true}"#));
    let tags_held = raw_tags(&env, &arn).await;
    assert_eq!(tags_held.get("team").map(String::as_str), Some("data"));
    assert!(!tags_held.contains_key("tier"), "{tags_held:?}");
    assert_eq!(tags_held.get(STACK_TAG).map(String::as_str), Some(stack), "kept");
    assert_same(&read(p, stack).await, &many(&[&updated, &pattern]));

    // Back to a schedule, the description left out: gone.
    let back = rule(
        "nightly",
        &[
            ("schedule", s("rate(1 day)")),
            ("tags", tags(&[("team", "data")])),
            ("target", list(vec![report("rebuild")])),
        ],
    );
    let again = p.update(stack, &updated, &back).await.expect("update");
    let out = env
        .raw
        .events
        .describe_rule()
        .name(&name)
        .send()
        .await
        .expect("DescribeRule");
    assert_eq!(out.schedule_expression(), Some("rate(1 day)"));
    assert_eq!(out.event_pattern(), None);
    assert_eq!(out.description(), None);
    assert_eq!(out.state(), Some(&RuleState::Enabled));
    assert_same(&read(p, stack).await, &many(&[&again, &pattern]));

    // Deleted, targets first; a delete sent again is done.
    for r in [&again, &pattern] {
        p.delete(stack, r).await.expect("delete");
        p.delete(stack, r).await.expect("delete again");
    }
    assert!(read(p, stack).await.is_empty());
    assert!(rule_names(&env).await.is_empty());
}

/// A rule given a name outside berth's prefix is read back, through
/// ListTagsForResource (moto's tagging API lists no rules); another
/// stack's rule and a rule without berth's tags are not the stack's.
#[tokio::test]
async fn a_rule_with_a_given_name_is_read_back() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "ev-named";
    let named = create(
        p,
        stack,
        rule(
            "report",
            &[
                ("name", s("nightly_report.v2")),
                ("schedule", s("rate(12 hours)")),
                ("target", list(vec![notify()])),
            ],
        ),
    )
    .await;
    assert_eq!(text(&named, "name"), "nightly_report.v2", "as given");
    create(p, "ev-named-other", rule("x", &[("schedule", s("rate(1 day)"))])).await;
    env.raw
        .events
        .put_rule()
        .name("ev-named-handmade")
        .schedule_expression("rate(1 day)")
        .send()
        .await
        .expect("PutRule");
    assert_same(&read(p, stack).await, &many(&[&named]));
    assert_eq!(calls(p, "ListTagsForResource"), 3, "one per rule listed");
    // One after the create (for the retry policy EventBridge chose), one
    // for the stack's rule only.
    assert_eq!(calls(p, "ListTargetsByRule"), 2);
}

/// PutRule would take over a rule of the name berth gives: one that is not
/// the stack's (no berth tags, or another address's) is refused before
/// anything is sent, and left as it was.
#[tokio::test]
async fn a_rule_of_the_same_name_that_is_not_the_stacks_is_refused() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "ev-foreign";
    let events = &env.raw.events;
    events
        .put_rule()
        .name("ev-foreign-nightly")
        .schedule_expression("rate(7 days)")
        .tags(
            aws_sdk_eventbridge::types::Tag::builder()
                .key("team")
                .value("other")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("PutRule");
    events
        .put_targets()
        .rule("ev-foreign-nightly")
        .targets(Target::builder().id("theirs").arn(TOPIC).build().expect("target"))
        .send()
        .await
        .expect("PutTargets");
    let err = p
        .create(stack, &nightly(vec![report("report")]))
        .await
        .expect_err("not the stack's");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("PutRule", "ResourceAlreadyExistsException")
    );
    assert!(
        err.message.contains("the rule ev-foreign-nightly exists already"),
        "{err}"
    );
    assert!(
        err.message
            .contains("`berth import event_rule.nightly ev-foreign-nightly`"),
        "{err}"
    );
    assert_eq!(calls(p, "PutRule"), 0, "nothing sent");
    let out = events
        .describe_rule()
        .name("ev-foreign-nightly")
        .send()
        .await
        .expect("DescribeRule");
    assert_eq!(out.schedule_expression(), Some("rate(7 days)"), "left alone");
    let arn = out.arn().unwrap_or_default().to_owned();
    assert_eq!(
        raw_tags(&env, &arn).await,
        BTreeMap::from([("team".to_owned(), "other".to_owned())])
    );
    assert_eq!(
        targets(&env, "ev-foreign-nightly")
            .await
            .keys()
            .collect::<Vec<_>>(),
        ["theirs"]
    );

    // The stack's rule at another address: refused too.
    let other = create(
        p,
        stack,
        rule(
            "other",
            &[("name", s("ev-foreign-shared")), ("schedule", s("rate(1 day)"))],
        ),
    )
    .await;
    let err = p
        .create(
            stack,
            &rule(
                "shared",
                &[("name", s("ev-foreign-shared")), ("schedule", s("rate(2 days)"))],
            ),
        )
        .await
        .expect_err("another address's");
    assert_eq!(err.code, "ResourceAlreadyExistsException", "{err}");
    assert_same(&read(p, stack).await, &many(&[&other]));
}

/// PutRule is an upsert: sent again after an answer lost, it sets the same
/// rule; a create sent again (the executor's, after an unanswered one) takes
/// the rule its earlier sending made, as the stack's at that address, with
/// the targets desired now.
#[tokio::test]
async fn a_create_whose_answer_is_lost_makes_one_rule() {
    let Some(env) = env().await else { return };
    let stack = "ev-lost";
    let faults = Faults {
        lose_first: true,
        only: vec!["PutRule".to_owned(), "PutTargets".to_owned()],
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lossy = provider_of(&sdk_config(&proxy.endpoint).await);
    let made = create(&lossy, stack, nightly(vec![report("report"), notify()])).await;
    let stats = lossy.stats();
    assert_eq!(stats["events:PutRule"].calls, 2, "sent again: {stats:?}");
    assert_eq!(stats["events:PutTargets"].calls, 2, "sent again: {stats:?}");
    assert_eq!(rule_names(&env).await, ["ev-lost-nightly"], "one rule");
    assert_same(&read(&lossy, stack).await, &many(&[&made]));

    // The whole create again, one target fewer, other tags.
    let p = &env.provider;
    let fewer = with(nightly(vec![report("report")]), "tags", tags(&[("team", "ops")]));
    let again = create(p, stack, fewer).await;
    assert_eq!(text(&again, "arn"), text(&made, "arn"));
    assert_eq!(rule_names(&env).await, ["ev-lost-nightly"], "still one rule");
    assert_eq!(
        targets(&env, "ev-lost-nightly").await.keys().collect::<Vec<_>>(),
        ["report"],
        "the earlier create's other target removed"
    );
    let held = raw_tags(&env, &text(&again, "arn")).await;
    assert_eq!(held.get("team").map(String::as_str), Some("ops"));
    assert!(!held.contains_key("tier"), "{held:?}");
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_same(&read(p, stack).await, &many(&[&again]));
}

#[tokio::test]
async fn a_rule_is_imported_by_name_or_arn_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "ev-import";
    let events = &env.raw.events;
    let out = events
        .put_rule()
        .name("legacy-cleanup")
        .schedule_expression("rate(1 hour)")
        .description("cleans up")
        .tags(
            aws_sdk_eventbridge::types::Tag::builder()
                .key("team")
                .value("ops")
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("PutRule");
    let arn = out.rule_arn().expect("ARN").to_owned();
    events
        .put_targets()
        .rule("legacy-cleanup")
        .targets(
            Target::builder()
                .id("q")
                .arn(QUEUE)
                .input(r#"{"b": 2, "a": 1}"#)
                .build()
                .expect("target"),
        )
        .send()
        .await
        .expect("PutTargets");

    let address = Address::new(Kind::EventRule, "cleanup");
    let found = p
        .read_one(&address, "legacy-cleanup")
        .await
        .expect("read_one")
        .expect("the rule");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(text(r, "name"), "legacy-cleanup");
    assert_eq!(text(r, "arn"), arn);
    assert_eq!(r.attrs["description"], s("cleans up"));
    assert_eq!(r.attrs["tags"], tags(&[("team", "ops")]));
    let targets = r.attrs["target"].as_list().expect("targets");
    assert_eq!(targets.len(), 1);
    assert_eq!(
        targets[0].as_map().map(|t| t["input"].clone()),
        Some(s(r#"{"a":1,"b":2}"#)),
        "JSON in one spelling"
    );
    let again = p
        .read_one(&address, &arn)
        .await
        .expect("read_one")
        .expect("the rule");
    assert_eq!(again.resource, found.resource, "by ARN");
    assert!(
        p.read_one(&address, "nothing").await.expect("read_one").is_none(),
        "no such rule"
    );

    p.adopt(stack, r).await.expect("adopt");
    let held = raw_tags(&env, &arn).await;
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("event_rule.cleanup")
    );
    assert_eq!(held.get("team").map(String::as_str), Some("ops"));
    assert_same(&read(p, stack).await, &many(&[r]));
}
