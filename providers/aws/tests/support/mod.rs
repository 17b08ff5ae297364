//! Helpers shared by the moto tests: a provider and raw SDK clients pointed
//! at a per-test moto server; desired resources, the contract-checking
//! `create` and the blog stack come from berth-test-support's kit.
#![allow(dead_code)]

pub mod raw;

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use berth_aws::{AwsProvider, Clients, RetryPolicy};
use berth_provider::{Resource, Value};

pub use berth_test_support::Moto;
pub use berth_test_support::stack::*;

/// SDK configuration for the moto server at `endpoint`.
pub async fn sdk_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "berth-tests"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

/// A moto server, the provider and raw clients on it; `None` when
/// `BERTH_SKIP_MOTO=1`.
pub struct Env {
    pub moto: Moto,
    pub provider: AwsProvider,
    pub raw: Clients,
}

pub async fn env() -> Option<Env> {
    let moto = Moto::start()?;
    let config = sdk_config(&moto.endpoint).await;
    let provider = provider_of(&config);
    let raw = Clients::from_sdk_config(&config);
    Some(Env { moto, provider, raw })
}

/// A provider for `config` with the tests' short retries (a 20 s deadline).
pub fn provider_of(config: &SdkConfig) -> AwsProvider {
    AwsProvider::from_sdk_config(config)
        .expect("provider")
        .with_retry_policy(RetryPolicy {
            deadline: Duration::from_secs(20),
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(2),
        })
}

/// The string attribute `attr` of `r`, or empty.
pub fn text(r: &Resource, attr: &str) -> String {
    r.attrs
        .get(attr)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
