//! `sqs_queue` against a stubbed SQS client (aws-smithy-mocks): what AWS
//! does and moto does not, so the moto tests cannot reach it.

use aws_sdk_sqs::error::ErrorMetadata;
use aws_sdk_sqs::operation::create_queue::{CreateQueueError, CreateQueueOutput};
use aws_sdk_sqs::operation::get_queue_attributes::{GetQueueAttributesError, GetQueueAttributesOutput};
use aws_sdk_sqs::operation::get_queue_url::GetQueueUrlError;
use aws_sdk_sqs::types::QueueAttributeName;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};

const URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/shop-jobs";
const ARN: &str = "arn:aws:sqs:us-east-1:123456789012:shop-jobs";

fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message("stubbed").build()
}

/// A queue deleted less than 60 seconds ago holds its name: CreateQueue
/// is sent again until SQS frees it, and the read after it again while
/// SQS does not know the new queue yet. GetQueueUrl's JSON-protocol code
/// (`QueueDoesNotExist`) and the query-compatible one
/// (`AWS.SimpleQueueService.NonExistentQueue`) both say there is none.
#[tokio::test(start_paused = true)]
async fn a_name_deleted_a_moment_ago_is_taken_once_sqs_frees_it() {
    let lookup = mock!(aws_sdk_sqs::Client::get_queue_url)
        .match_requests(|r| r.queue_name() == Some("shop-jobs"))
        .then_error(|| GetQueueUrlError::generic(meta("QueueDoesNotExist")));
    let create = mock!(aws_sdk_sqs::Client::create_queue)
        .match_requests(|r| {
            let attributes = r.attributes().cloned().unwrap_or_default();
            let tags = r.tags().cloned().unwrap_or_default();
            r.queue_name() == Some("shop-jobs")
                && attributes
                    .get(&QueueAttributeName::KmsMasterKeyId)
                    .map(String::as_str)
                    == Some("alias/jobs")
                && attributes
                    .get(&QueueAttributeName::SqsManagedSseEnabled)
                    .map(String::as_str)
                    == Some("false")
                && !attributes.contains_key(&QueueAttributeName::FifoQueue)
                && tags.get(STACK_TAG).map(String::as_str) == Some("shop")
                && tags.get(ADDRESS_TAG).map(String::as_str) == Some("sqs_queue.jobs")
        })
        .sequence()
        .error(|| CreateQueueError::generic(meta("AWS.SimpleQueueService.QueueDeletedRecently")))
        .times(2)
        .output(|| CreateQueueOutput::builder().queue_url(URL).build())
        .build();
    let read = mock!(aws_sdk_sqs::Client::get_queue_attributes)
        .match_requests(|r| r.queue_url() == Some(URL))
        .sequence()
        .error(|| GetQueueAttributesError::generic(meta("AWS.SimpleQueueService.NonExistentQueue")))
        .output(|| {
            GetQueueAttributesOutput::builder()
                .attributes(QueueAttributeName::QueueArn, ARN)
                .attributes(QueueAttributeName::KmsMasterKeyId, "alias/jobs")
                .attributes(QueueAttributeName::SqsManagedSseEnabled, "false")
                .build()
        })
        .build();
    let sqs = mock_client!(aws_sdk_sqs, RuleMode::MatchAny, [&lookup, &create, &read]);
    let p = super::provider(|c| c.sqs = sqs);
    let desired = Resource {
        address: Address::new(Kind::SqsQueue, "jobs"),
        attrs: [("kms_key".to_owned(), Value::from("alias/jobs"))].into(),
        created: None,
    };
    let made = p
        .create("shop", &desired)
        .await
        .expect("created once the name is free");
    assert_eq!(made.attrs["url"], Value::from(URL));
    assert_eq!(made.attrs["arn"], Value::from(ARN));
    assert_eq!(made.attrs["name"], Value::from("shop-jobs"));
    assert_eq!(made.attrs["sqs_managed_sse"], Value::Bool(false));
    assert_eq!(
        (lookup.num_calls(), create.num_calls(), read.num_calls()),
        (1, 3, 2)
    );
}
