//! `kms_key` against stubbed KMS clients (aws-smithy-mocks): answers AWS
//! gives and moto does not, so the moto tests cannot reach them.

use aws_sdk_kms::error::ErrorMetadata;
use aws_sdk_kms::operation::describe_key::DescribeKeyOutput;
use aws_sdk_kms::operation::list_aliases::ListAliasesOutput;
use aws_sdk_kms::operation::put_key_policy::{PutKeyPolicyError, PutKeyPolicyOutput};
use aws_sdk_kms::operation::schedule_key_deletion::{ScheduleKeyDeletionError, ScheduleKeyDeletionOutput};
use aws_sdk_kms::types::{KeyMetadata, KeyState};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use berth_aws::AwsProvider;
use berth_provider::schema::complete;
use berth_provider::{Address, Kind, Provider, Resource, Value};

const KEY: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

/// A provider whose KMS client is `kms`; the other clients are never
/// called.
fn provider(kms: aws_sdk_kms::Client) -> AwsProvider {
    super::provider(|clients| clients.kms = kms)
}

/// The key `kms_key.logs` as berth holds it, with `pairs` set.
fn key(pairs: &[(&str, Value)]) -> Resource {
    let given: berth_provider::Attrs = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    // Computed: what the key's create returned.
    let mut attrs = complete(Kind::KmsKey, &given);
    attrs.insert("key_id".to_owned(), Value::from(KEY));
    attrs.insert(
        "arn".to_owned(),
        Value::from(format!("arn:aws:kms:us-east-1:123456789012:key/{KEY}")),
    );
    Resource {
        address: Address::new(Kind::KmsKey, "logs"),
        attrs,
        created: None,
    }
}

fn described(state: KeyState) -> DescribeKeyOutput {
    let meta = KeyMetadata::builder()
        .key_id(KEY)
        .key_state(state)
        .build()
        .expect("metadata");
    DescribeKeyOutput::builder().key_metadata(meta).build()
}

/// ScheduleKeyDeletion of a key already pending deletion (a delete sent
/// again after a lost answer) is refused by KMS with
/// KMSInvalidStateException, where moto schedules it again: berth
/// describes the key and takes a key pending deletion as deleted. The
/// same refusal for a key in any other state stays an error.
#[tokio::test]
async fn a_delete_of_a_key_already_pending_deletion_is_done() {
    let delete = |state: KeyState| {
        let aliases = mock!(aws_sdk_kms::Client::list_aliases)
            .match_requests(|r| r.key_id() == Some(KEY))
            .then_output(|| ListAliasesOutput::builder().build());
        let schedule = mock!(aws_sdk_kms::Client::schedule_key_deletion)
            .match_requests(|r| r.key_id() == Some(KEY) && r.pending_window_in_days() == Some(7))
            .then_error(|| {
                ScheduleKeyDeletionError::generic(
                    ErrorMetadata::builder()
                        .code("KMSInvalidStateException")
                        .message("stubbed")
                        .build(),
                )
            });
        let describe = mock!(aws_sdk_kms::Client::describe_key)
            .match_requests(|r| r.key_id() == Some(KEY))
            .then_output(move || described(state.clone()));
        let kms = mock_client!(aws_sdk_kms, RuleMode::MatchAny, [&aliases, &schedule, &describe]);
        async move {
            provider(kms)
                .delete("s", &key(&[("deletion_window_days", Value::Int(7))]))
                .await
        }
    };
    delete(KeyState::PendingDeletion)
        .await
        .expect("already pending deletion: done");
    let err = delete(KeyState::Enabled)
        .await
        .expect_err("refused for another reason");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("ScheduleKeyDeletion", "KMSInvalidStateException")
    );

    // Scheduled: one call, no describe.
    let aliases =
        mock!(aws_sdk_kms::Client::list_aliases).then_output(|| ListAliasesOutput::builder().build());
    let schedule = mock!(aws_sdk_kms::Client::schedule_key_deletion)
        .match_requests(|r| r.pending_window_in_days() == Some(30))
        .then_output(|| ScheduleKeyDeletionOutput::builder().key_id(KEY).build());
    let kms = mock_client!(aws_sdk_kms, RuleMode::MatchAny, [&aliases, &schedule]);
    provider(kms).delete("s", &key(&[])).await.expect("scheduled");
    assert_eq!(schedule.num_calls(), 1);
}

/// A key policy naming a role IAM does not show KMS yet (made seconds
/// before) is refused as malformed ("invalid principals"): the refusal
/// means nothing was done, so PutKeyPolicy is sent again until KMS sees
/// the role.
#[tokio::test(start_paused = true)]
async fn a_policy_naming_a_role_kms_does_not_see_yet_is_sent_again() {
    let put = mock!(aws_sdk_kms::Client::put_key_policy)
        .sequence()
        .error(|| {
            PutKeyPolicyError::generic(
                ErrorMetadata::builder()
                    .code("MalformedPolicyDocumentException")
                    .message("Policy contains a statement with one or more invalid principals.")
                    .build(),
            )
        })
        .times(2)
        .output(|| PutKeyPolicyOutput::builder().build())
        .build();
    let kms = mock_client!(aws_sdk_kms, RuleMode::Sequential, [&put]);
    let p = provider(kms);
    let doc = |sid: &str| {
        Value::from_json(&serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:role/berth/app"},
                "Action": "kms:Decrypt",
                "Resource": "*",
            }],
        }))
    };
    let live = key(&[("policy", doc("Old"))]);
    let updated = p
        .update("s", &live, &key(&[("policy", doc("New"))]))
        .await
        .expect("sent again until KMS sees the role");
    assert_eq!(
        updated.attrs["policy"],
        berth_provider::policy::canonical(&doc("New"))
    );
    assert_eq!(put.num_calls(), 3);
}

/// An alias found free after CreateAlias was refused (its holder deleted
/// in between, or given up by the key a replacement replaces) is created
/// again; when that answer is lost and the SDK sends it again, KMS answers
/// AlreadyExistsException for the alias the lost sending made: the key
/// holds it, done. The apply failed there, and the next one finished it.
#[tokio::test]
async fn an_alias_whose_create_answer_was_lost_is_found_on_the_key() {
    use aws_sdk_kms::operation::create_alias::CreateAliasError;
    use aws_sdk_kms::operation::describe_key::DescribeKeyError;
    use aws_sdk_kms::operation::list_resource_tags::ListResourceTagsOutput;
    let exists = || {
        CreateAliasError::generic(
            ErrorMetadata::builder()
                .code("AlreadyExistsException")
                .message("stubbed")
                .build(),
        )
    };
    let create = mock!(aws_sdk_kms::Client::create_alias)
        .match_requests(|r| r.alias_name() == Some("alias/logs") && r.target_key_id() == Some(KEY))
        .sequence()
        .error(exists)
        .times(2)
        .build();
    let describe = mock!(aws_sdk_kms::Client::describe_key)
        .match_requests(|r| r.key_id() == Some("alias/logs"))
        .sequence()
        .error(|| {
            DescribeKeyError::generic(
                ErrorMetadata::builder()
                    .code("NotFoundException")
                    .message("stubbed")
                    .build(),
            )
        })
        .output(|| described(KeyState::Enabled))
        .build();
    let tags = mock!(aws_sdk_kms::Client::list_resource_tags)
        .then_output(|| ListResourceTagsOutput::builder().build());
    let kms = mock_client!(aws_sdk_kms, RuleMode::MatchAny, [&create, &describe, &tags]);
    let aliases = |names: &[&str]| Value::List(names.iter().map(|n| Value::from(*n)).collect());
    provider(kms)
        .update(
            "s",
            &key(&[("aliases", aliases(&[]))]),
            &key(&[("aliases", aliases(&["alias/logs"]))]),
        )
        .await
        .expect("the alias is on the key: done");
    assert_eq!(create.num_calls(), 2);
}
