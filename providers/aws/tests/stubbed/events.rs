//! `event_rule` against stubbed EventBridge clients (aws-smithy-mocks):
//! answers AWS gives and moto does not (targets failed in a PutTargets or
//! RemoveTargets answer, concurrent changes refused), so the moto tests
//! cannot reach them.

use aws_sdk_eventbridge::error::ErrorMetadata;
use aws_sdk_eventbridge::operation::delete_rule::{DeleteRuleError, DeleteRuleOutput};
use aws_sdk_eventbridge::operation::describe_rule::DescribeRuleError;
use aws_sdk_eventbridge::operation::list_targets_by_rule::{ListTargetsByRuleError, ListTargetsByRuleOutput};
use aws_sdk_eventbridge::operation::put_rule::{PutRuleError, PutRuleOutput};
use aws_sdk_eventbridge::operation::put_targets::PutTargetsOutput;
use aws_sdk_eventbridge::operation::remove_targets::RemoveTargetsOutput;
use aws_sdk_eventbridge::types::{PutTargetsResultEntry, RemoveTargetsResultEntry, RuleState, Target};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use berth_aws::AwsProvider;
use berth_provider::schema::complete;
use berth_provider::{ADDRESS_TAG, Address, ErrorClass, Kind, Provider, Resource, STACK_TAG, Value};

const NAME: &str = "shop-nightly";
const ARN: &str = "arn:aws:events:us-east-1:123456789012:rule/shop-nightly";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:jobs";

fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message("stubbed").build()
}

/// A provider whose EventBridge client answers by `rules`; the other
/// clients are never called.
fn provider(rules: &[&Rule]) -> AwsProvider {
    let events = mock_client!(aws_sdk_eventbridge, RuleMode::MatchAny, rules, |c| c
        .retry_config(aws_sdk_eventbridge::config::retry::RetryConfig::disabled()));
    super::provider(|clients| clients.events = events)
}

/// A target block with its retry policy given (no read after PutTargets).
fn target(id: &str, arn: &str) -> Value {
    Value::Map(
        [
            ("id".to_owned(), Value::from(id)),
            ("arn".to_owned(), Value::from(arn)),
            ("maximum_event_age".to_owned(), Value::Int(3600)),
            ("maximum_retry_attempts".to_owned(), Value::Int(3)),
        ]
        .into(),
    )
}

/// `event_rule.nightly` on a schedule with `targets`.
fn nightly(targets: Vec<Value>) -> Resource {
    Resource {
        address: Address::new(Kind::EventRule, "nightly"),
        attrs: [
            ("schedule".to_owned(), Value::from("rate(1 day)")),
            ("target".to_owned(), Value::List(targets)),
        ]
        .into(),
        created: None,
    }
}

/// No rule of that name yet.
fn none_yet() -> Rule {
    mock!(aws_sdk_eventbridge::Client::describe_rule)
        .match_requests(|r| r.name() == Some(NAME))
        .then_error(|| DescribeRuleError::generic(meta("ResourceNotFoundException")))
}

/// PutRule of the new rule, with berth's tags.
fn put_rule() -> Rule {
    mock!(aws_sdk_eventbridge::Client::put_rule)
        .match_requests(|r| {
            let tag = |k: &str| {
                r.tags()
                    .iter()
                    .find(|t| t.key() == k)
                    .map(|t| t.value().to_owned())
            };
            r.name() == Some(NAME)
                && r.schedule_expression() == Some("rate(1 day)")
                && r.state() == Some(&RuleState::Enabled)
                && tag(STACK_TAG).as_deref() == Some("shop")
                && tag(ADDRESS_TAG).as_deref() == Some("event_rule.nightly")
        })
        .then_output(|| PutRuleOutput::builder().rule_arn(ARN).build())
}

/// PutTargets answers a target it failed in its answer, not as an error:
/// the create fails naming the target, EventBridge's code and message,
/// and a permanent failure is not sent again.
#[tokio::test]
async fn a_target_put_targets_fails_is_an_error_naming_it() {
    let lookup = none_yet();
    let rule = put_rule();
    let targets = mock!(aws_sdk_eventbridge::Client::put_targets)
        .match_requests(|r| r.rule() == Some(NAME) && r.targets().len() == 2)
        .then_output(|| {
            PutTargetsOutput::builder()
                .failed_entry_count(1)
                .failed_entries(
                    PutTargetsResultEntry::builder()
                        .target_id("notify")
                        .error_code("ValidationException")
                        .error_message("Parameter(s) SqsParameters must be specified for target: notify.")
                        .build(),
                )
                .build()
        });
    let p = provider(&[&lookup, &rule, &targets]);
    let err = p
        .create(
            "shop",
            &nightly(vec![target("keep", QUEUE), target("notify", TOPIC)]),
        )
        .await
        .expect_err("a target failed");
    assert_eq!(err.call, "PutTargets");
    assert_eq!(err.code, "ValidationException");
    assert_eq!(err.class, ErrorClass::Permanent);
    assert!(
        err.message.contains("target `notify` of the rule shop-nightly"),
        "{err}"
    );
    assert!(err.message.contains("SqsParameters must be specified"), "{err}");
    assert_eq!(targets.num_calls(), 1, "not sent again");
}

/// A target failed as another change of the rule was under way
/// (ConcurrentModificationException in the answer) is sent again, alone,
/// until it goes through.
#[tokio::test]
async fn a_target_failed_by_a_concurrent_change_is_sent_again_alone() {
    let lookup = none_yet();
    let rule = put_rule();
    let both = mock!(aws_sdk_eventbridge::Client::put_targets)
        .match_requests(|r| r.targets().len() == 2)
        .then_output(|| {
            PutTargetsOutput::builder()
                .failed_entry_count(1)
                .failed_entries(
                    PutTargetsResultEntry::builder()
                        .target_id("notify")
                        .error_code("ConcurrentModificationException")
                        .error_message("busy")
                        .build(),
                )
                .build()
        });
    let again = mock!(aws_sdk_eventbridge::Client::put_targets)
        .match_requests(|r| r.targets().len() == 1 && r.targets()[0].id() == "notify")
        .then_output(|| PutTargetsOutput::builder().failed_entry_count(0).build());
    let p = provider(&[&lookup, &rule, &both, &again]);
    let made = p
        .create(
            "shop",
            &nightly(vec![target("keep", QUEUE), target("notify", TOPIC)]),
        )
        .await
        .expect("created once the target went through");
    assert_eq!(made.attrs["arn"], Value::from(ARN));
    assert_eq!(made.attrs["name"], Value::from(NAME));
    assert_eq!((both.num_calls(), again.num_calls()), (1, 1));
    let stats = p.stats()["events:PutTargets"];
    assert_eq!((stats.calls, stats.retries), (2, 1));
}

/// ConcurrentModificationException refusing PutRule (another change of
/// the rule under way) is transient: PutRule is sent again.
#[tokio::test]
async fn put_rule_refused_by_a_concurrent_change_is_sent_again() {
    let lookup = none_yet();
    let rule = mock!(aws_sdk_eventbridge::Client::put_rule)
        .sequence()
        .error(|| PutRuleError::generic(meta("ConcurrentModificationException")))
        .times(2)
        .output(|| PutRuleOutput::builder().rule_arn(ARN).build())
        .build();
    let p = provider(&[&lookup, &rule]);
    let made = p.create("shop", &nightly(Vec::new())).await.expect("created");
    assert_eq!(made.attrs["arn"], Value::from(ARN));
    assert_eq!(made.attrs["target"], Value::List(Vec::new()));
    assert_eq!(rule.num_calls(), 3);
    let stats = p.stats()["events:PutRule"];
    assert_eq!((stats.calls, stats.retries), (3, 2));

    // A limit reached is no such thing.
    let lookup = none_yet();
    let rule = mock!(aws_sdk_eventbridge::Client::put_rule)
        .then_error(|| PutRuleError::generic(meta("LimitExceededException")));
    let p = provider(&[&lookup, &rule]);
    let err = p.create("shop", &nightly(Vec::new())).await.expect_err("refused");
    assert_eq!(
        (err.code.as_str(), err.class),
        ("LimitExceededException", ErrorClass::Permanent)
    );
    assert_eq!(rule.num_calls(), 1);
}

/// The rule as berth holds it, with one target.
fn live() -> Resource {
    let mut r = nightly(vec![target("keep", QUEUE)]);
    r.attrs = complete(Kind::EventRule, &r.attrs);
    r.attrs.insert("name".to_owned(), Value::from(NAME));
    r.attrs.insert("arn".to_owned(), Value::from(ARN));
    r
}

/// Delete: the targets EventBridge holds removed first (a target it
/// reports already gone is removed), then the rule; a rule already gone
/// is deleted.
#[tokio::test]
async fn a_delete_removes_the_targets_then_the_rule() {
    let listed = mock!(aws_sdk_eventbridge::Client::list_targets_by_rule)
        .match_requests(|r| r.rule() == Some(NAME))
        .then_output(|| {
            ListTargetsByRuleOutput::builder()
                .targets(Target::builder().id("keep").arn(QUEUE).build().expect("target"))
                .targets(Target::builder().id("drift").arn(TOPIC).build().expect("target"))
                .build()
        });
    let removed = mock!(aws_sdk_eventbridge::Client::remove_targets)
        .match_requests(|r| r.rule() == Some(NAME) && r.ids() == ["keep", "drift"])
        .then_output(|| {
            RemoveTargetsOutput::builder()
                .failed_entry_count(1)
                .failed_entries(
                    RemoveTargetsResultEntry::builder()
                        .target_id("drift")
                        .error_code("ResourceNotFoundException")
                        .error_message("gone")
                        .build(),
                )
                .build()
        });
    let deleted = mock!(aws_sdk_eventbridge::Client::delete_rule)
        .match_requests(|r| r.name() == Some(NAME))
        .sequence()
        .output(|| DeleteRuleOutput::builder().build())
        .error(|| DeleteRuleError::generic(meta("ResourceNotFoundException")))
        .build();
    let p = provider(&[&listed, &removed, &deleted]);
    p.delete("shop", &live()).await.expect("deleted");
    p.delete("shop", &live()).await.expect("deleted again");
    assert_eq!(
        (listed.num_calls(), removed.num_calls(), deleted.num_calls()),
        (2, 2, 2)
    );

    // The rule gone before: nothing more is sent.
    let gone = mock!(aws_sdk_eventbridge::Client::list_targets_by_rule)
        .then_error(|| ListTargetsByRuleError::generic(meta("ResourceNotFoundException")));
    let p = provider(&[&gone]);
    p.delete("shop", &live()).await.expect("deleted");
    assert_eq!(gone.num_calls(), 1);
}
