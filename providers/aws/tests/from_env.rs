//! `AwsProvider::from_env` against moto: the standard credential chain
//! (environment variables here), `AWS_ENDPOINT_URL` honoured by aws-config,
//! and the stack's region winning over `AWS_REGION`. Its own test binary,
//! as it sets process environment variables.

mod support;

use berth_aws::AwsProvider;
use berth_provider::{Address, Kind, Provider, Resource, Value};
use support::Moto;

#[tokio::test]
async fn from_env_uses_the_standard_chain_and_aws_endpoint_url() {
    let Some(moto) = Moto::start() else { return };
    // SAFETY: the only test of this binary; nothing else reads the
    // environment concurrently.
    unsafe {
        std::env::set_var("AWS_ENDPOINT_URL", &moto.endpoint);
        std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
        std::env::set_var("AWS_REGION", "eu-west-1");
        std::env::remove_var("AWS_PROFILE");
    }
    let p = AwsProvider::from_env("us-east-1").await.expect("from_env");
    assert_eq!(p.region(), "us-east-1", "the stack's region wins over AWS_REGION");
    let vpc = Resource {
        address: Address::new(Kind::Vpc, "main"),
        attrs: [("cidr".to_owned(), Value::from("10.1.0.0/16"))].into(),
        created: None,
    };
    let created = p
        .create("env", &vpc)
        .await
        .expect("CreateVpc through AWS_ENDPOINT_URL");
    let arn = created.attrs["arn"].as_str().unwrap_or_default().to_owned();
    assert!(arn.starts_with("arn:aws:ec2:us-east-1:"), "{arn}");
    assert_eq!(p.read_all("env").await.expect("read_all"), vec![created]);

    let fallback = AwsProvider::from_env("")
        .await
        .expect("from_env without a region");
    assert_eq!(
        fallback.region(),
        "eu-west-1",
        "AWS_REGION when the stack has none"
    );
    assert!(
        fallback.read_all("env").await.expect("read_all").is_empty(),
        "another region"
    );

    assert!(AwsProvider::from_env("Not A Region").await.is_err());
}
