//! Building the SDK clients from aws-config: the standard credential chain
//! (environment, shared profiles and SSO, web identity, container and
//! instance metadata), the region, and `AWS_ENDPOINT_URL` /
//! `AWS_ENDPOINT_URL_<SERVICE>`, which aws-config reads by itself.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::AwsProvider;
use crate::errors::AwsError;
use crate::pace::{Limits, Pacing};
use berth_provider::{CallStats, RetryPolicy};

use crate::token::Tokens;

/// The SDK clients the provider drives (SSM for the stack's lock, STS to
/// name the account). Public so that callers (and
/// tests) can build them themselves, e.g. against a mock.
#[derive(Clone, Debug)]
pub struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub iam: aws_sdk_iam::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    pub sts: aws_sdk_sts::Client,
    pub autoscaling: aws_sdk_applicationautoscaling::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub discovery: aws_sdk_servicediscovery::Client,
    pub acm: aws_sdk_acm::Client,
    pub kms: aws_sdk_kms::Client,
    pub route53: aws_sdk_route53::Client,
    pub sns: aws_sdk_sns::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub efs: aws_sdk_efs::Client,
    /// EventBridge: rules on the default event bus and their targets.
    pub events: aws_sdk_eventbridge::Client,
    /// S3, path-style when an endpoint is configured ([`s3_client`]).
    pub s3: aws_sdk_s3::Client,
    /// The Resource Groups Tagging API: a stack's resources by tag.
    pub tagging: aws_sdk_resourcegroupstagging::Client,
}

impl Clients {
    /// One client per service, all from `config`.
    pub fn from_sdk_config(config: &SdkConfig) -> Clients {
        Clients {
            ec2: aws_sdk_ec2::Client::new(config),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(config),
            ecs: aws_sdk_ecs::Client::new(config),
            logs: aws_sdk_cloudwatchlogs::Client::new(config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            ssm: aws_sdk_ssm::Client::new(config),
            secrets: aws_sdk_secretsmanager::Client::new(config),
            sts: aws_sdk_sts::Client::new(config),
            autoscaling: aws_sdk_applicationautoscaling::Client::new(config),
            ecr: aws_sdk_ecr::Client::new(config),
            discovery: aws_sdk_servicediscovery::Client::new(config),
            acm: aws_sdk_acm::Client::new(config),
            kms: aws_sdk_kms::Client::new(config),
            route53: aws_sdk_route53::Client::new(config),
            sns: aws_sdk_sns::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            efs: aws_sdk_efs::Client::new(config),
            events: aws_sdk_eventbridge::Client::new(config),
            s3: s3_client(config),
            tagging: aws_sdk_resourcegroupstagging::Client::new(config),
        }
    }
}

/// The S3 client of `config`. With an endpoint configured (moto on
/// 127.0.0.1, or another S3-compatible server), bucket names go in the
/// path: the virtual-hosted name `BUCKET.127.0.0.1` resolves nowhere. On
/// AWS, the SDK's default (virtual-hosted) stands.
fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let own_endpoint = std::env::var_os("AWS_ENDPOINT_URL_S3").is_some_and(|v| !v.is_empty());
    let s3 = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(config.endpoint_url().is_some() || own_endpoint)
        .build();
    aws_sdk_s3::Client::from_conf(s3)
}

/// How long connecting to an endpoint may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one attempt of a call may take, answer included. AWS answers
/// in well under a second; three attempts of a stalled endpoint stay under
/// a minute.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

fn valid_region(region: &str) -> bool {
    region.contains('-')
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl AwsProvider {
    /// The provider for `region` (the stack's `region`), with credentials
    /// from the standard chain.
    ///
    /// The stack's region wins over `AWS_REGION` and the profile's region: a
    /// stack pins its region, and a shell's `AWS_REGION` must not send it
    /// elsewhere (where it would be created a second time). Pass `""` to use
    /// the default chain's region (`AWS_REGION`, then the profile).
    ///
    /// `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_EC2`, `..._ECS`, ...) points
    /// every client at another endpoint, such as a local moto server.
    ///
    /// The SDK's own retries are turned off: every call goes through berth's
    /// retry helper ([`RetryPolicy`]), which counts them.
    ///
    /// Every attempt is bounded ([`CONNECT_TIMEOUT`], [`ATTEMPT_TIMEOUT`]):
    /// an endpoint that accepts connections and never answers fails the
    /// call after a few tries instead of hanging.
    pub async fn from_env(region: &str) -> Result<AwsProvider, AwsError> {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .operation_attempt_timeout(ATTEMPT_TIMEOUT)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::disabled())
            .timeout_config(timeouts);
        if !region.is_empty() {
            if !valid_region(region) {
                return Err(AwsError::BadRegion(region.to_owned()));
            }
            loader = loader.region(Region::new(region.to_owned()));
        }
        let config = loader.load().await;
        AwsProvider::from_sdk_config(&config)
    }

    /// The provider for an already loaded SDK configuration (its region).
    pub fn from_sdk_config(config: &SdkConfig) -> Result<AwsProvider, AwsError> {
        let region = config.region().ok_or(AwsError::NoRegion)?.to_string();
        if !valid_region(&region) {
            return Err(AwsError::BadRegion(region));
        }
        let mut provider = AwsProvider::from_clients(Clients::from_sdk_config(config), &region);
        provider.endpoint = config.endpoint_url().map(str::to_owned);
        provider.profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
        Ok(provider)
    }

    /// The provider over clients built by the caller; `region` is the one
    /// they talk to (written into awslogs configurations and ARNs).
    pub fn from_clients(clients: Clients, region: &str) -> AwsProvider {
        AwsProvider {
            region: region.to_owned(),
            endpoint: None,
            profile: None,
            verbose: false,
            clients,
            stats: CallStats::default(),
            retry: RetryPolicy::default(),
            pacing: Pacing::new(Limits::default()),
            tokens: Tokens::new(),
            dns_changes: tokio::sync::Mutex::new(()),
            records: tokio::sync::Mutex::new(()),
            caller: tokio::sync::OnceCell::new(),
        }
    }

    /// Replaces the pacing limits (default: 64 calls in flight, no cap on
    /// calls per second).
    pub fn with_limits(mut self, limits: Limits) -> AwsProvider {
        self.pacing = Pacing::new(limits);
        self
    }

    /// Errors keep the SDK's full account of what failed (credential
    /// chains), not only berth's one-line summary.
    pub fn verbose(mut self, verbose: bool) -> AwsProvider {
        self.verbose = verbose;
        self
    }

    /// Replaces the retry policy (default: 2-minute deadline per call).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> AwsProvider {
        self.retry = policy;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert!(valid_region("us-east-1") && valid_region("ap-southeast-2"));
        assert!(!valid_region("US-EAST-1") && !valid_region("east") && !valid_region(""));
    }
}
