//! Retries against a stubbed EC2 (aws-smithy-mocks): the first calls of an
//! operation are throttled, and the provider's call still succeeds, with
//! the retries counted. No moto needed.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::error::ErrorMetadata;
use aws_sdk_ec2::operation::create_vpc::{CreateVpcError, CreateVpcOutput};
use aws_sdk_ec2::types::Vpc;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use berth_aws::{AwsProvider, Clients, RetryPolicy};
use berth_provider::{Address, ErrorClass, Kind, Provider, Resource, Value};

fn provider(ec2: aws_sdk_ec2::Client) -> AwsProvider {
    // The other services are never called here.
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    let mut clients = Clients::from_sdk_config(&config);
    clients.ec2 = ec2;
    AwsProvider::from_clients(clients, "us-east-1").with_retry_policy(RetryPolicy {
        deadline: Duration::from_secs(10),
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    })
}

fn vpc() -> Resource {
    Resource {
        address: Address::new(Kind::Vpc, "main"),
        attrs: [("cidr".to_owned(), Value::from("10.0.0.0/16"))].into(),
    }
}

fn error(code: &str) -> CreateVpcError {
    CreateVpcError::generic(ErrorMetadata::builder().code(code).message("stubbed").build())
}

fn created() -> CreateVpcOutput {
    CreateVpcOutput::builder()
        .vpc(
            Vpc::builder()
                .vpc_id("vpc-0123456789abcdef0")
                .owner_id("123456789012")
                .build(),
        )
        .build()
}

#[tokio::test]
async fn throttled_calls_are_retried_and_counted() {
    let rule = mock!(aws_sdk_ec2::Client::create_vpc)
        .sequence()
        .error(|| error("RequestLimitExceeded"))
        .times(3)
        .output(created)
        .build();
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled()));
    let p = provider(ec2);
    let r = p.create("s", &vpc()).await.expect("succeeds after 3 throttles");
    assert_eq!(r.attrs["id"], Value::from("vpc-0123456789abcdef0"));
    assert_eq!(
        r.attrs["arn"],
        Value::from("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0")
    );
    assert_eq!(rule.num_calls(), 4);
    assert_eq!(p.stats().get("ec2:CreateVpc"), Some(&4));
    assert_eq!(p.retries().get("ec2:CreateVpc"), Some(&3));
}

#[tokio::test]
async fn server_errors_are_retried_and_permanent_ones_are_not() {
    let rule = mock!(aws_sdk_ec2::Client::create_vpc)
        .sequence()
        .http_status(503, None)
        .output(created)
        .build();
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled()));
    let p = provider(ec2);
    p.create("s", &vpc()).await.expect("a 503 is transient");
    assert_eq!(p.retries().get("ec2:CreateVpc"), Some(&1));

    let rule = mock!(aws_sdk_ec2::Client::create_vpc)
        .sequence()
        .error(|| error("InvalidVpc.Range"))
        .output(created)
        .build();
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled()));
    let p = provider(ec2);
    let err = p.create("s", &vpc()).await.expect_err("permanent");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("CreateVpc", "InvalidVpc.Range")
    );
    assert_eq!(err.class, ErrorClass::Permanent);
    assert_eq!(rule.num_calls(), 1, "never retried");
    assert!(p.retries().is_empty());
}
