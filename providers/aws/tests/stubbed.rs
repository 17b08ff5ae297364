//! The adapters against stubbed SDK clients (aws-smithy-mocks), no moto
//! needed: retries (the first calls of an operation are throttled, and the
//! provider's call still succeeds, with the retries counted), and request
//! fields moto ignores.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudwatchlogs::operation::associate_kms_key::AssociateKmsKeyOutput;
use aws_sdk_cloudwatchlogs::operation::create_log_group::CreateLogGroupOutput;
use aws_sdk_cloudwatchlogs::operation::disassociate_kms_key::DisassociateKmsKeyOutput;
use aws_sdk_ec2::error::ErrorMetadata;
use aws_sdk_ec2::operation::create_vpc::{CreateVpcError, CreateVpcOutput};
use aws_sdk_ec2::types::Vpc;
use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use berth_aws::{AwsProvider, Clients, RetryPolicy};
use berth_provider::{Address, ErrorClass, Kind, Provider, Resource, Value};

#[path = "stubbed/efs.rs"]
mod efs;
#[path = "stubbed/events.rs"]
mod events;
#[path = "stubbed/kms.rs"]
mod kms;
#[path = "stubbed/network_acl.rs"]
mod network_acl;
#[path = "stubbed/s3.rs"]
mod s3;
#[path = "stubbed/sqs.rs"]
mod sqs;

/// A provider whose clients `stub` replaces; the others are never called.
fn provider(stub: impl FnOnce(&mut Clients)) -> AwsProvider {
    provider_in("us-east-1", stub)
}

/// [`provider`] in `region`.
fn provider_in(region: &str, stub: impl FnOnce(&mut Clients)) -> AwsProvider {
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .build();
    let mut clients = Clients::from_sdk_config(&config);
    stub(&mut clients);
    AwsProvider::from_clients(clients, region).with_retry_policy(RetryPolicy {
        deadline: Duration::from_secs(10),
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    })
}

fn vpc() -> Resource {
    Resource {
        address: Address::new(Kind::Vpc, "main"),
        attrs: [("cidr".to_owned(), Value::from("10.0.0.0/16"))].into(),
        created: None,
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
    let p = provider(|c| c.ec2 = ec2);
    let r = p.create("s", &vpc()).await.expect("succeeds after 3 throttles");
    assert_eq!(r.attrs["id"], Value::from("vpc-0123456789abcdef0"));
    assert_eq!(
        r.attrs["arn"],
        Value::from("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0")
    );
    assert_eq!(rule.num_calls(), 4);
    let stats = p.stats()["ec2:CreateVpc"];
    assert_eq!((stats.calls, stats.retries, stats.throttles), (4, 3, 3));
}

/// A 5xx answering CreateVpc leaves open whether the VPC was made: the
/// create is not sent again but fails as indeterminate, for the executor
/// to look for it by its tags. Permanent errors are never retried.
#[tokio::test]
async fn server_errors_on_a_create_are_indeterminate_and_permanent_ones_final() {
    let rule = mock!(aws_sdk_ec2::Client::create_vpc)
        .sequence()
        .http_status(503, None)
        .output(created)
        .build();
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled()));
    let p = provider(|c| c.ec2 = ec2);
    let err = p.create("s", &vpc()).await.expect_err("a 503 says nothing");
    assert_eq!(err.class, ErrorClass::Indeterminate, "{err}");
    assert_eq!(err.code, "HTTP503");
    assert_eq!(rule.num_calls(), 1, "not sent again");

    let rule = mock!(aws_sdk_ec2::Client::create_vpc)
        .sequence()
        .error(|| error("InvalidVpc.Range"))
        .output(created)
        .build();
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled()));
    let p = provider(|c| c.ec2 = ec2);
    let err = p.create("s", &vpc()).await.expect_err("permanent");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("CreateVpc", "InvalidVpc.Range")
    );
    assert_eq!(err.class, ErrorClass::Permanent);
    assert_eq!(rule.num_calls(), 1, "never retried");
    assert!(p.stats().values().all(|s| s.retries == 0));
}

/// A DescribeServices that fails through its retries while a wait polls
/// (a 503 here; a network cut, a stalled endpoint): the deployment goes on,
/// and so does the wait, to the steady state. Regression: one failed read
/// ended `apply --wait` with an error, minutes before its time was up.
#[tokio::test]
async fn a_wait_outlasts_a_failed_read() {
    use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
    use aws_sdk_ecs::types::{Deployment, Service};
    let steady = || {
        DescribeServicesOutput::builder()
            .services(
                Service::builder()
                    .status("ACTIVE")
                    .desired_count(1)
                    .running_count(1)
                    .deployments(
                        Deployment::builder()
                            .status("PRIMARY")
                            .task_definition("arn:td:1")
                            .build(),
                    )
                    .build(),
            )
            .build()
    };
    let rule = mock!(aws_sdk_ecs::Client::describe_services)
        .sequence()
        .http_status(503, None)
        .output(steady)
        .build();
    let ecs = mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ecs::config::retry::RetryConfig::disabled()));
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    let mut clients = Clients::from_sdk_config(&config);
    clients.ecs = ecs;
    // No retries: the first read fails as a call given up does.
    let p = AwsProvider::from_clients(clients, "us-east-1").with_retry_policy(RetryPolicy {
        deadline: Duration::ZERO,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(5),
    });
    p.wait_until_ready(&service(&[]), Duration::from_secs(60), &|_, _| {})
        .await
        .expect("steady after a failed read");
    assert_eq!(rule.num_calls(), 2);
}

/// A live service `web` in cluster `c`, with `extra` attributes.
fn service(extra: &[(&str, Value)]) -> Resource {
    let mut attrs: berth_provider::Attrs = [
        (
            "arn".to_owned(),
            Value::from("arn:aws:ecs:us-east-1:123456789012:service/c/web"),
        ),
        ("cluster".to_owned(), Value::from("arn:cluster")),
        ("task_definition".to_owned(), Value::from("arn:td:1")),
        ("subnets".to_owned(), Value::List(vec!["subnet-1".into()])),
    ]
    .into();
    attrs.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    Resource {
        address: Address::new(Kind::Service, "web"),
        attrs,
        created: None,
    }
}

/// A service whose grace period is removed from the stack gets 0 (AWS's
/// "none"): UpdateService keeps a value it is not sent, which left the old
/// grace period in place and the plan never converged.
#[tokio::test]
async fn removing_the_health_check_grace_period_resets_it() {
    let rule = mock!(aws_sdk_ecs::Client::update_service)
        .match_requests(|r| r.health_check_grace_period_seconds() == Some(0))
        .then_output(|| UpdateServiceOutput::builder().build());
    let ecs = mock_client!(aws_sdk_ecs, [&rule]);
    let p = provider(|c| c.ecs = ecs);
    let lb = Value::Map(
        [
            ("target_group".to_owned(), Value::from("arn:tg")),
            ("container".to_owned(), Value::from("app")),
            ("port".to_owned(), Value::Int(80)),
        ]
        .into(),
    );
    let service = |grace: Value| {
        service(&[
            ("load_balancer", Value::List(vec![lb.clone()])),
            ("health_check_grace_period", grace),
        ])
    };
    p.update("s", &service(Value::Int(60)), &service(Value::Null))
        .await
        .expect("UpdateService is sent a grace period of 0");
    assert_eq!(rule.num_calls(), 1);
}

/// A registry's `port` without a `container` is ECS's `port` (the SRV
/// records' own, as CloudFormation's `ServiceRegistries: [{ RegistryArn,
/// Port }]` writes it), with one the container's `containerPort`; moto
/// keeps either without checking which.
#[tokio::test]
async fn a_registry_port_alone_is_the_records_port() {
    let alone = mock!(aws_sdk_ecs::Client::update_service)
        .match_requests(|r| {
            r.service_registries().first().is_some_and(|g| {
                g.port() == Some(8080) && g.container_port().is_none() && g.container_name().is_none()
            })
        })
        .then_output(|| UpdateServiceOutput::builder().build());
    let of_container = mock!(aws_sdk_ecs::Client::update_service)
        .match_requests(|r| {
            r.service_registries().first().is_some_and(|g| {
                g.port().is_none() && g.container_port() == Some(8080) && g.container_name() == Some("app")
            })
        })
        .then_output(|| UpdateServiceOutput::builder().build());
    let ecs = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&alone, &of_container]);
    let p = provider(|c| c.ecs = ecs);
    let registry = |container: Option<&str>| {
        let mut r: berth_provider::Attrs = [
            (
                "registry".to_owned(),
                Value::from("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1"),
            ),
            ("port".to_owned(), Value::Int(8080)),
        ]
        .into();
        if let Some(c) = container {
            r.insert("container".to_owned(), Value::from(c));
        }
        service(&[("service_registry", Value::List(vec![Value::Map(r)]))])
    };
    p.update("s", &service(&[]), &registry(None))
        .await
        .expect("port alone");
    p.update("s", &service(&[]), &registry(Some("app")))
        .await
        .expect("the container's port");
    assert_eq!((alone.num_calls(), of_container.num_calls()), (1, 1));
}

/// `availability_zone_rebalancing`, which moto drops: UpdateService sends
/// ECS's `DISABLED` when it is turned off, and leaves the field out (ECS
/// keeps its setting) when another attribute changes and it is left out.
#[tokio::test]
async fn availability_zone_rebalancing_is_sent_only_when_it_changes() {
    use aws_sdk_ecs::types::AvailabilityZoneRebalancing;
    let off = mock!(aws_sdk_ecs::Client::update_service)
        .match_requests(|r| r.availability_zone_rebalancing() == Some(&AvailabilityZoneRebalancing::Disabled))
        .then_output(|| UpdateServiceOutput::builder().build());
    let kept = mock!(aws_sdk_ecs::Client::update_service)
        .match_requests(|r| r.availability_zone_rebalancing().is_none() && r.desired_count() == Some(2))
        .then_output(|| UpdateServiceOutput::builder().build());
    let ecs = mock_client!(aws_sdk_ecs, [&off, &kept]);
    let p = provider(|c| c.ecs = ecs);
    let service = |rebalancing: Value, count: i64| {
        service(&[
            ("desired_count", Value::Int(count)),
            ("availability_zone_rebalancing", rebalancing),
        ])
    };
    p.update(
        "s",
        &service(Value::Bool(true), 1),
        &service(Value::Bool(false), 1),
    )
    .await
    .expect("turned off");
    assert_eq!(off.num_calls(), 1);
    p.update("s", &service(Value::Bool(true), 1), &service(Value::Null, 2))
        .await
        .expect("left out, with another change");
    assert_eq!(kept.num_calls(), 1);
}

/// A SecureString whose key the configuration leaves out keeps the key it
/// has when its value changes: PutParameter is sent that key, not none
/// (which would encrypt the new version with AWS's default key).
#[tokio::test]
async fn a_secure_parameters_key_left_out_stays_when_its_value_changes() {
    use aws_sdk_ssm::operation::put_parameter::PutParameterOutput;
    let put = mock!(aws_sdk_ssm::Client::put_parameter)
        .match_requests(|r| r.key_id() == Some("alias/team") && r.value() == Some("new"))
        .then_output(|| PutParameterOutput::builder().version(2).build());
    let ssm = mock_client!(aws_sdk_ssm, [&put]);
    let p = provider(|c| c.ssm = ssm);
    let parameter = |value: &str, key: Value| Resource {
        address: Address::new(Kind::SsmParameter, "db"),
        attrs: [
            ("name".to_owned(), Value::from("/app/db")),
            (
                "arn".to_owned(),
                Value::from("arn:aws:ssm:us-east-1:123456789012:parameter/app/db"),
            ),
            ("type".to_owned(), Value::from("SecureString")),
            ("value".to_owned(), Value::from(value)),
            ("kms_key".to_owned(), key),
        ]
        .into(),
        created: None,
    };
    let done = p
        .update(
            "s",
            &parameter("old", Value::from("alias/team")),
            &parameter("new", Value::Null),
        )
        .await
        .expect("PutParameter keeps the key");
    assert_eq!(put.num_calls(), 1);
    assert_eq!(done.attrs["kms_key"], Value::from("alias/team"));
}

/// Expired credentials are said as such, in one line.
#[tokio::test]
async fn expired_credentials_are_said_as_such() {
    let rule = mock!(aws_sdk_ec2::Client::create_vpc).then_error(|| error("RequestExpired"));
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule], |c| c
        .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled()));
    let p = provider(|c| c.ec2 = ec2);
    let err = p.create("s", &vpc()).await.expect_err("expired");
    assert_eq!(err.code, "RequestExpired");
    assert!(
        err.message
            .starts_with("the AWS credentials have expired: refresh them"),
        "{err}"
    );
}

/// A log group's ARN names the caller's partition and account (CreateLogGroup
/// answers nothing; the ARN once lacked the account, and in China named
/// `aws`), and STS is asked once however many are made.
#[tokio::test]
async fn log_group_arns_name_the_callers_partition_and_account_asked_once() {
    let identity = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .output(|| {
            GetCallerIdentityOutput::builder()
                .account("111122223333")
                .arn("arn:aws-cn:iam::111122223333:user/ci")
                .build()
        })
        .repeatedly()
        .build();
    let create = mock!(aws_sdk_cloudwatchlogs::Client::create_log_group)
        .sequence()
        .output(|| CreateLogGroupOutput::builder().build())
        .repeatedly()
        .build();
    let sts = mock_client!(aws_sdk_sts, [&identity]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, [&create]);
    let p = provider_in("cn-north-1", |c| {
        c.sts = sts;
        c.logs = logs;
    });
    for name in ["api", "web"] {
        let desired = Resource {
            address: Address::new(Kind::LogGroup, name),
            attrs: Default::default(),
            created: None,
        };
        let made = p.create("shop", &desired).await.expect("created");
        assert_eq!(
            made.attrs["arn"],
            Value::from(format!(
                "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/ecs/shop/{name}"
            ))
        );
    }
    assert_eq!(create.num_calls(), 2);
    assert_eq!(identity.num_calls(), 1);
    assert_eq!(p.account().await.ok().flatten().as_deref(), Some("111122223333"));
    assert_eq!(identity.num_calls(), 1);
}

/// A VPC's ARN, which CreateVpc does not answer, names the caller's
/// partition (it said `aws` in China and GovCloud), and `aws` when STS
/// cannot be asked: an ARN is not worth failing a create.
#[tokio::test]
async fn ec2_arns_aws_does_not_answer_name_the_callers_partition() {
    let identity = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("123456789012")
            .arn("arn:aws-us-gov:iam::123456789012:user/ci")
            .build()
    });
    let create = mock!(aws_sdk_ec2::Client::create_vpc)
        .sequence()
        .output(created)
        .repeatedly()
        .build();
    let sts = mock_client!(aws_sdk_sts, [&identity]);
    let ec2 = mock_client!(aws_sdk_ec2, [&create]);
    let p = provider_in("us-gov-west-1", |c| {
        c.sts = sts;
        c.ec2 = ec2;
    });
    let made = p.create("shop", &vpc()).await.expect("created");
    assert_eq!(
        made.attrs["arn"],
        Value::from("arn:aws-us-gov:ec2:us-gov-west-1:123456789012:vpc/vpc-0123456789abcdef0")
    );

    // Without credentials STS cannot be asked: the ARN keeps `aws`.
    let ec2 = mock_client!(aws_sdk_ec2, [&create]);
    let p = provider(|c| c.ec2 = ec2);
    let made = p.create("shop", &vpc()).await.expect("created");
    assert_eq!(
        made.attrs["arn"],
        Value::from("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0")
    );
}

/// A log group's KMS key changes in place: AssociateKmsKey for a new key,
/// DisassociateKmsKey when the key goes (never a new log group, whose
/// events would be lost).
#[tokio::test]
async fn a_log_groups_kms_key_changes_in_place() {
    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let associate = mock!(aws_sdk_cloudwatchlogs::Client::associate_kms_key)
        .match_requests(|r| r.log_group_name() == Some("/ecs/shop/app") && r.kms_key_id() == Some(KEY))
        .then_output(|| AssociateKmsKeyOutput::builder().build());
    let disassociate = mock!(aws_sdk_cloudwatchlogs::Client::disassociate_kms_key)
        .match_requests(|r| r.log_group_name() == Some("/ecs/shop/app"))
        .then_output(|| DisassociateKmsKeyOutput::builder().build());
    let logs = mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::MatchAny,
        [&associate, &disassociate]
    );
    let p = provider(|c| c.logs = logs);
    let group = |key: Option<&str>| Resource {
        address: Address::new(Kind::LogGroup, "app"),
        attrs: [
            ("name".to_owned(), Value::from("/ecs/shop/app")),
            (
                "arn".to_owned(),
                Value::from("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/shop/app"),
            ),
            ("kms_key".to_owned(), key.map_or(Value::Null, Value::from)),
            ("retention_days".to_owned(), Value::Null),
            ("tags".to_owned(), Value::Map(Default::default())),
        ]
        .into(),
        created: None,
    };
    let keyed = p
        .update("shop", &group(None), &group(Some(KEY)))
        .await
        .expect("associated");
    assert_eq!(keyed.attrs["kms_key"], Value::from(KEY));
    p.update("shop", &group(Some(KEY)), &group(None))
        .await
        .expect("disassociated");
    assert_eq!((associate.num_calls(), disassociate.num_calls()), (1, 1));
}

/// A `listener_rule` without a priority (Terraform's optional one) takes
/// one past the listener's highest; when another rule took that one
/// meanwhile (PriorityInUse), it reads the rules again and takes the next.
#[tokio::test]
async fn a_rule_without_a_priority_takes_the_next_free_one() {
    use aws_sdk_elasticloadbalancingv2::error::ErrorMetadata as ElbErrorMetadata;
    use aws_sdk_elasticloadbalancingv2::operation::create_rule::{CreateRuleError, CreateRuleOutput};
    use aws_sdk_elasticloadbalancingv2::operation::describe_rules::DescribeRulesOutput;
    use aws_sdk_elasticloadbalancingv2::types::Rule;
    const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2";
    let rules = |priorities: &[&str]| {
        let mut out = DescribeRulesOutput::builder()
            .rules(Rule::builder().priority("default").is_default(true).build());
        for p in priorities {
            out = out.rules(Rule::builder().priority(*p).is_default(false).build());
        }
        out.build()
    };
    let describe = mock!(aws_sdk_elasticloadbalancingv2::Client::describe_rules)
        .sequence()
        .output(move || rules(&["10", "3"]))
        .output(move || rules(&["10", "3", "11"]))
        .build();
    let taken = mock!(aws_sdk_elasticloadbalancingv2::Client::create_rule)
        .match_requests(|r| r.priority() == Some(11))
        .then_error(|| {
            CreateRuleError::generic(
                ElbErrorMetadata::builder()
                    .code("PriorityInUse")
                    .message("stubbed")
                    .build(),
            )
        });
    let free = mock!(aws_sdk_elasticloadbalancingv2::Client::create_rule)
        .match_requests(|r| r.priority() == Some(12) && r.listener_arn() == Some(LISTENER))
        .then_output(|| {
            CreateRuleOutput::builder()
                .rules(Rule::builder().rule_arn("arn:rule/12").priority("12").build())
                .build()
        });
    let elb = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        [&describe, &taken, &free]
    );
    let p = provider(|c| c.elb = elb);
    let rule = Resource {
        address: Address::new(Kind::ListenerRule, "a"),
        attrs: [
            ("listener".to_owned(), Value::from(LISTENER)),
            ("path".to_owned(), Value::from("/a/*")),
            ("forward".to_owned(), Value::from("arn:tg")),
        ]
        .into(),
        created: None,
    };
    let made = p.create("s", &rule).await.expect("the second free priority");
    assert_eq!(made.attrs["priority"], Value::Int(12));
    assert_eq!(made.attrs["arn"], Value::from("arn:rule/12"));
    assert_eq!(
        (describe.num_calls(), taken.num_calls(), free.num_calls()),
        (2, 1, 1)
    );
}
