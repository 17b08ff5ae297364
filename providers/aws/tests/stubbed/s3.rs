//! `s3_bucket` against stubbed S3 clients (aws-smithy-mocks): what AWS
//! does and moto does not, so the moto tests cannot reach it. The clients
//! take the rules in order (`RuleMode::Sequential`): a call out of order
//! fails the test.

use aws_sdk_s3::error::ErrorMetadata;
use aws_sdk_s3::operation::create_bucket::CreateBucketOutput;
use aws_sdk_s3::operation::delete_bucket_policy::DeleteBucketPolicyOutput;
use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use aws_sdk_s3::operation::put_bucket_encryption::PutBucketEncryptionOutput;
use aws_sdk_s3::operation::put_bucket_ownership_controls::PutBucketOwnershipControlsOutput;
use aws_sdk_s3::operation::put_bucket_policy::PutBucketPolicyOutput;
use aws_sdk_s3::operation::put_bucket_tagging::{PutBucketTaggingError, PutBucketTaggingOutput};
use aws_sdk_s3::operation::put_public_access_block::PutPublicAccessBlockOutput;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use berth_aws::AwsProvider;
use berth_provider::schema::{canonical, complete};
use berth_provider::{Address, Attrs, Kind, Provider, Resource, Value};

const NAME: &str = "blog-assets-a1b2c3";

/// A provider whose S3 client takes `rules` in order; the other clients
/// are never called (STS aside: without credentials, the ARN's partition
/// is `aws`).
fn provider(rules: &[&Rule]) -> AwsProvider {
    let s3 = mock_client!(aws_sdk_s3, RuleMode::Sequential, rules);
    super::provider(|clients| clients.s3 = s3)
}

/// `s3_bucket.assets` with `pairs` set, in canonical form: as the planner
/// hands it over, or (with its computed attributes) as berth holds it.
fn bucket(pairs: &[(&str, Value)]) -> Resource {
    let given: Attrs = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    let mut attrs = canonical(
        &complete(Kind::S3Bucket, &given),
        &Kind::S3Bucket.schema().as_block(),
    );
    for (key, value) in [
        ("name", NAME.to_owned()),
        ("id", NAME.to_owned()),
        ("arn", format!("arn:aws:s3:::{NAME}")),
        ("domain_name", format!("{NAME}.s3.amazonaws.com")),
        (
            "regional_domain_name",
            format!("{NAME}.s3.us-east-1.amazonaws.com"),
        ),
    ] {
        attrs.insert(key.to_owned(), Value::String(value));
    }
    Resource {
        address: Address::new(Kind::S3Bucket, "assets"),
        attrs,
        created: None,
    }
}

fn public_read() -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{NAME}/*"),
        }],
    }))
}

fn block_rule(policy_blocked: bool) -> Rule {
    mock!(aws_sdk_s3::Client::put_public_access_block)
        .match_requests(move |r| {
            r.bucket() == Some(NAME)
                && r.public_access_block_configuration()
                    .and_then(|c| c.block_public_policy())
                    == Some(policy_blocked)
        })
        .then_output(|| PutPublicAccessBlockOutput::builder().build())
}

/// S3 refuses a public policy while the block refuses public policies: a
/// block relaxed goes before the policy, one tightened after the policy
/// is taken off.
#[tokio::test]
async fn the_public_access_block_is_relaxed_before_a_policy_and_tightened_after() {
    let closed = bucket(&[]);
    let open = bucket(&[
        ("block_public_policy", Value::Bool(false)),
        ("restrict_public_buckets", Value::Bool(false)),
        ("policy", public_read()),
    ]);

    let relax = block_rule(false);
    let policy = mock!(aws_sdk_s3::Client::put_bucket_policy)
        .match_requests(|r| r.policy().is_some_and(|p| p.contains(r#""Principal":"*""#)))
        .then_output(|| PutBucketPolicyOutput::builder().build());
    let p = provider(&[&relax, &policy]);
    let opened = p.update("s", &closed, &open).await.expect("relaxed");
    assert_eq!(opened.attrs, open.attrs);
    assert_eq!((relax.num_calls(), policy.num_calls()), (1, 1));

    let unpolicy = mock!(aws_sdk_s3::Client::delete_bucket_policy)
        .then_output(|| DeleteBucketPolicyOutput::builder().build());
    let tighten = block_rule(true);
    let p = provider(&[&unpolicy, &tighten]);
    let shut = p.update("s", &open, &closed).await.expect("tightened");
    assert_eq!(shut.attrs, closed.attrs);
    assert_eq!((unpolicy.num_calls(), tighten.num_calls()), (1, 1));
}

/// Right after CreateBucket, S3 may not know the bucket yet
/// (NoSuchBucket): the configuration calls are sent again until it does.
#[tokio::test]
async fn calls_after_create_bucket_wait_for_the_new_bucket() {
    // A given name: the account's buckets of that name are listed first
    // (none here), so that another stack's is not taken over.
    let listed = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|r| r.prefix() == Some(NAME))
        .then_output(|| ListBucketsOutput::builder().build());
    let create = mock!(aws_sdk_s3::Client::create_bucket)
        .match_requests(|r| r.bucket() == Some(NAME) && r.create_bucket_configuration().is_none())
        .then_output(|| CreateBucketOutput::builder().build());
    let tagging = mock!(aws_sdk_s3::Client::put_bucket_tagging)
        .sequence()
        .error(|| {
            PutBucketTaggingError::generic(
                ErrorMetadata::builder()
                    .code("NoSuchBucket")
                    .message("The specified bucket does not exist")
                    .build(),
            )
        })
        .output(|| PutBucketTaggingOutput::builder().build())
        .build();
    let block = block_rule(true);
    let ownership = mock!(aws_sdk_s3::Client::put_bucket_ownership_controls)
        .then_output(|| PutBucketOwnershipControlsOutput::builder().build());
    let encryption = mock!(aws_sdk_s3::Client::put_bucket_encryption)
        .then_output(|| PutBucketEncryptionOutput::builder().build());
    let p = provider(&[&listed, &create, &tagging, &block, &ownership, &encryption]);
    let want = bucket(&[("name", Value::from(NAME))]);
    let made = p.create("s", &want).await.expect("created");
    assert_eq!(made.attrs, want.attrs);
    assert_eq!(tagging.num_calls(), 2, "sent again");
    assert_eq!(encryption.num_calls(), 1);
    let stats = p.stats();
    assert_eq!(stats["s3:PutBucketTagging"].calls, 2, "{stats:?}");
}
