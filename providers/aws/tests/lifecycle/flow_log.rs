//! `flow_log` through the real SDK against moto: a subnet's flow log to a
//! log group given by ARN and a VPC's to an S3 bucket read back as they
//! were made, a network interface's is not berth's, tags change in place,
//! deletes converge; an S3 bucket that does not exist is named in the
//! error; moto refuses a second flow log to one destination; a lost
//! answer makes one flow log; import by id and adoption.

use std::collections::BTreeMap;

use crate::support::*;
use aws_sdk_ec2::types::{FlowLogsResourceType, ResourceType, Tag, TagSpecification, TrafficType};
use berth_aws::AwsProvider;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};
use berth_test_support::proxy::{FaultProxy, Faults};

/// Makes the S3 bucket `name` with the raw client.
async fn bucket(env: &Env, name: &str) {
    env.raw
        .s3
        .create_bucket()
        .bucket(name)
        .send()
        .await
        .expect("CreateBucket");
}

/// The flow logs EC2 holds, by id, with their tags.
async fn held(env: &Env) -> BTreeMap<String, BTreeMap<String, String>> {
    let out = env
        .raw
        .ec2
        .describe_flow_logs()
        .send()
        .await
        .expect("DescribeFlowLogs");
    out.flow_logs()
        .iter()
        .map(|f| {
            let tags = f
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
                .collect();
            (f.flow_log_id().unwrap_or_default().to_owned(), tags)
        })
        .collect()
}

fn by_address(resources: &[&Resource]) -> BTreeMap<String, Resource> {
    resources
        .iter()
        .map(|r| (r.address.to_string(), (*r).clone()))
        .collect()
}

/// A VPC and a subnet of it in `stack`.
async fn network(p: &dyn Provider, stack: &str) -> (Resource, Resource) {
    let vpc = create(
        p,
        stack,
        desired(Kind::Vpc, "main", &[("cidr", s("10.0.0.0/16"))]),
    )
    .await;
    let subnet = create(
        p,
        stack,
        desired(
            Kind::Subnet,
            "a",
            &[
                ("vpc", id(&vpc)),
                ("cidr", s("10.0.1.0/24")),
                ("zone", s(&format!("{REGION}a"))),
            ],
        ),
    )
    .await;
    (vpc, subnet)
}

#[tokio::test]
async fn flow_logs_to_s3_and_to_a_log_group_by_arn_read_back_and_change_tags_in_place() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "flows";
    let (vpc, subnet) = network(p, stack).await;
    let group = create(p, stack, desired(Kind::LogGroup, "flows", &[])).await;
    let role = create(
        p,
        stack,
        desired(
            Kind::Role,
            "flows",
            &[("assume", s("vpc-flow-logs.amazonaws.com"))],
        ),
    )
    .await;
    bucket(&env, "berth-flows").await;

    let to_s3 = desired(
        Kind::FlowLog,
        "s3",
        &[
            ("vpc", id(&vpc)),
            ("destination_type", s("s3")),
            ("destination", s("arn:aws:s3:::berth-flows")),
            ("tags", tags(&[("team", "web")])),
        ],
    );
    let s3 = create(p, stack, to_s3.clone()).await;
    assert_eq!(s3.attrs["log_group"], Value::Null, "S3 has no log group");
    assert!(
        text(&s3, "log_format").starts_with("${version} ${account-id}"),
        "AWS's default format, read back: {s3:?}"
    );
    let format = "${srcaddr} ${dstaddr} ${action}";
    let by_arn = create(
        p,
        stack,
        desired(
            Kind::FlowLog,
            "subnet",
            &[
                ("subnet", id(&subnet)),
                ("traffic_type", s("accept")),
                ("destination", Value::from(text(&group, "arn"))),
                ("iam_role", id(&role)),
                ("log_format", s(format)),
            ],
        ),
    )
    .await;
    assert_eq!(by_arn.attrs["traffic_type"], s("ACCEPT"));
    assert_eq!(by_arn.attrs["vpc"], Value::Null);
    assert_eq!(text(&by_arn, "log_format"), format);

    // A network interface's flow log is not a kind berth makes: not read,
    // even tagged as the stack's.
    let ec2 = &env.raw.ec2;
    let eni = ec2
        .create_network_interface()
        .subnet_id(text(&subnet, "id"))
        .send()
        .await
        .expect("CreateNetworkInterface");
    let eni = eni
        .network_interface()
        .and_then(|n| n.network_interface_id())
        .expect("an ENI id");
    let berth_tags = TagSpecification::builder()
        .resource_type(ResourceType::VpcFlowLog)
        .tags(Tag::builder().key(STACK_TAG).value(stack).build())
        .tags(Tag::builder().key(ADDRESS_TAG).value("flow_log.eni").build())
        .build();
    ec2.create_flow_logs()
        .resource_type(FlowLogsResourceType::NetworkInterface)
        .resource_ids(eni)
        .traffic_type(TrafficType::All)
        .log_destination_type(aws_sdk_ec2::types::LogDestinationType::S3)
        .log_destination("arn:aws:s3:::berth-flows")
        .tag_specifications(berth_tags)
        .send()
        .await
        .expect("CreateFlowLogs");
    let all = [&vpc, &subnet, &group, &role, &s3, &by_arn];
    assert_same(&read(p, stack).await, &by_address(&all));

    // Tags change in place; what AWS chose stays though the configuration
    // leaves it out.
    let retagged = with(to_s3, "tags", tags(&[("team", "data"), ("env", "dev")]));
    let s3 = p.update(stack, &s3, &retagged).await.expect("update tags");
    assert!(text(&s3, "log_format").starts_with("${version}"), "kept: {s3:?}");
    let on_aws = &held(&env).await[&text(&s3, "id")];
    assert_eq!(on_aws.get("team").map(String::as_str), Some("data"));
    assert_eq!(on_aws.get("env").map(String::as_str), Some("dev"));
    assert_eq!(on_aws.get(STACK_TAG).map(String::as_str), Some(stack));
    let all = [&vpc, &subnet, &group, &role, &s3, &by_arn];
    assert_same(&read(p, stack).await, &by_address(&all));

    // Deleted, then deleted again (a re-run after a crash): done.
    for r in [&s3, &by_arn] {
        p.delete(stack, r).await.expect("delete");
        p.delete(stack, r).await.expect("delete again");
    }
    assert_eq!(held(&env).await.len(), 1, "the ENI's flow log alone is left");
    let all = [&vpc, &subnet, &group, &role];
    assert_same(&read(p, stack).await, &by_address(&all));
}

#[tokio::test]
async fn an_s3_bucket_that_does_not_exist_is_named_in_the_error() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "flows-nowhere";
    let (vpc, _) = network(p, stack).await;
    let err = p
        .create(
            stack,
            &desired(
                Kind::FlowLog,
                "s3",
                &[
                    ("vpc", id(&vpc)),
                    ("destination_type", s("s3")),
                    ("destination", s("arn:aws:s3:::no-such-bucket")),
                ],
            ),
        )
        .await
        .expect_err("no bucket");
    assert_eq!(err.call, "CreateFlowLogs", "{err}");
    assert!(
        err.message.contains("no-such-bucket") && err.message.contains(&text(&vpc, "id")),
        "names the bucket and the VPC: {err}"
    );
    assert!(held(&env).await.is_empty(), "no flow log made");
}

/// moto refuses a second flow log of one resource to one destination,
/// whatever else differs: a replacement with a new traffic type alone,
/// which berth makes before the old one goes, fails there. The error says
/// so.
#[tokio::test]
async fn a_second_flow_log_to_one_destination_is_refused_by_moto() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "flows-twice";
    let (vpc, _) = network(p, stack).await;
    bucket(&env, "berth-flows-twice").await;
    let flow = |traffic: &str| {
        desired(
            Kind::FlowLog,
            "s3",
            &[
                ("vpc", id(&vpc)),
                ("traffic_type", s(traffic)),
                ("destination_type", s("s3")),
                ("destination", s("arn:aws:s3:::berth-flows-twice")),
            ],
        )
    };
    let first = create(p, stack, flow("REJECT")).await;
    let err = p.create(stack, &flow("ALL")).await.expect_err("moto refuses it");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("CreateFlowLogs", "FlowLogAlreadyExists"),
        "{err}"
    );
    let ids: Vec<String> = held(&env).await.into_keys().collect();
    assert_eq!(ids, [text(&first, "id")]);
}

/// With the first answer of CreateFlowLogs and DeleteFlowLogs lost after
/// they took effect, the create is sent again and gives the flow log the
/// first sending made (moto refuses the copy, and berth finds it by its
/// tags), and the delete sent again is done.
#[tokio::test]
async fn a_lost_answer_makes_one_flow_log() {
    let Some(env) = env().await else { return };
    let stack = "flows-lost";
    let (vpc, subnet) = network(&env.provider, stack).await;
    bucket(&env, "berth-flows-lost").await;
    let faults = Faults {
        lose_first: true,
        only: vec!["CreateFlowLogs".to_owned(), "DeleteFlowLogs".to_owned()],
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lossy = AwsProvider::from_sdk_config(&sdk_config(&proxy.endpoint).await).expect("provider");
    let made = create(
        &lossy,
        stack,
        desired(
            Kind::FlowLog,
            "s3",
            &[
                ("vpc", id(&vpc)),
                ("destination_type", s("s3")),
                ("destination", s("arn:aws:s3:::berth-flows-lost")),
            ],
        ),
    )
    .await;
    assert_eq!(proxy.stats().lost, 1, "{:?}", proxy.stats());
    let stats = lossy.stats();
    assert_eq!(stats["ec2:CreateFlowLogs"].calls, 2, "sent again: {stats:?}");
    let ids: Vec<String> = held(&env).await.into_keys().collect();
    assert_eq!(ids, [text(&made, "id")], "one flow log, the one returned");
    assert_same(
        &read(&env.provider, stack).await,
        &by_address(&[&vpc, &subnet, &made]),
    );

    lossy.delete(stack, &made).await.expect("delete");
    assert_eq!(proxy.stats().lost, 2, "{:?}", proxy.stats());
    assert!(held(&env).await.is_empty());
}

#[tokio::test]
async fn a_flow_log_made_elsewhere_is_imported_by_id_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "flows-import";
    let (vpc, subnet) = network(p, stack).await;
    bucket(&env, "berth-flows-import").await;
    let out = env
        .raw
        .ec2
        .create_flow_logs()
        .resource_type(FlowLogsResourceType::Vpc)
        .resource_ids(text(&vpc, "id"))
        .traffic_type(TrafficType::Reject)
        .log_destination_type(aws_sdk_ec2::types::LogDestinationType::S3)
        .log_destination("arn:aws:s3:::berth-flows-import")
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::VpcFlowLog)
                .tags(Tag::builder().key("team").value("ops").build())
                .build(),
        )
        .send()
        .await
        .expect("CreateFlowLogs");
    let fl = out.flow_log_ids()[0].clone();

    let address = Address::new(Kind::FlowLog, "imported");
    let found = p
        .read_one(&address, &fl)
        .await
        .expect("read_one")
        .expect("the flow log");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(r.address, address);
    assert_eq!(text(r, "id"), fl);
    assert_eq!(r.attrs["vpc"], id(&vpc));
    assert_eq!(r.attrs["traffic_type"], s("REJECT"));
    assert_eq!(r.attrs["destination_type"], s("s3"));
    assert_eq!(r.attrs["destination"], s("arn:aws:s3:::berth-flows-import"));
    assert_eq!(r.attrs["max_aggregation_interval"], Value::Int(600));
    assert_eq!(r.attrs["tags"], tags(&[("team", "ops")]));
    assert!(
        p.read_one(&address, "fl-0123456789abcdef0")
            .await
            .expect("read_one")
            .is_none(),
        "an id no flow log has"
    );

    p.adopt(stack, r).await.expect("adopt");
    let on_aws = &held(&env).await[&fl];
    assert_eq!(on_aws.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_eq!(
        on_aws.get(ADDRESS_TAG).map(String::as_str),
        Some("flow_log.imported")
    );
    assert_same(&read(p, stack).await, &by_address(&[&vpc, &subnet, r]));
}
