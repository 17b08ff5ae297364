//! The blog stack through the real SDK against moto: create every kind,
//! check it with raw SDK calls, read it back unchanged, delete it all.

#[path = "lifecycle/efs.rs"]
mod efs;
#[path = "lifecycle/events.rs"]
mod events;
#[path = "lifecycle/flow_log.rs"]
mod flow_log;
#[path = "lifecycle/kms.rs"]
mod kms;
#[path = "lifecycle/s3.rs"]
mod s3;
#[path = "lifecycle/sns.rs"]
mod sns;
#[path = "lifecycle/sqs.rs"]
mod sqs;
mod support;

use aws_sdk_ec2::types::Filter;
use berth_provider::{ADDRESS_TAG, Kind, STACK_TAG};
use support::raw::{inspect, shown};
use support::*;

#[tokio::test]
async fn blog_stack_creates_reads_back_and_deletes() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "blog-dev";
    let created = apply_blog(p, stack).await;
    let kinds: std::collections::BTreeSet<Kind> = created.values().map(|r| r.address.kind).collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "the stack covers every kind");

    // Raw SDK: each resource exists, carries both berth tags (set at create)
    // and the attributes berth says it has.
    for r in created.values() {
        let (tags, attrs) = inspect(&env.raw, r).await;
        assert_eq!(
            tags.get(STACK_TAG).map(String::as_str),
            Some(stack),
            "{}",
            r.address
        );
        assert_eq!(
            tags.get(ADDRESS_TAG).cloned(),
            Some(r.address.to_string()),
            "{}",
            r.address
        );
        let expect: &[(&str, &str)] = match r.address.kind {
            Kind::Vpc => &[("cidr", "cidr")],
            Kind::Subnet => &[("zone", "zone"), ("public", "public")],
            Kind::InternetGateway => &[("vpc", "vpc")],
            Kind::TargetGroup => &[],
            Kind::Service => &[("desired_count", "desired_count")],
            _ => &[],
        };
        for (raw_name, berth_name) in expect {
            assert_eq!(
                attrs.get(raw_name).cloned(),
                Some(shown(r, berth_name)),
                "{}.{raw_name}",
                r.address
            );
        }
        match r.address.kind {
            Kind::RouteTable => {
                let n = if r.address.name == "public" { "2" } else { "1" };
                assert_eq!(attrs["associations"], n, "{}", r.address);
            }
            Kind::NatGateway => assert!(attrs["state"].contains("Available"), "{attrs:?}"),
            Kind::ElasticIp => assert!(attrs["domain"].contains("Vpc"), "{attrs:?}"),
            Kind::Cluster => assert_eq!(attrs["container_insights"], "enabled"),
            Kind::TargetGroup => assert_eq!(attrs["health_check_path"], "/health"),
            Kind::Role => assert_eq!(attrs["path"], "/berth/"),
            Kind::LogGroup => assert_eq!(attrs["retention"], "Some(14)"),
            Kind::EcrRepository => assert!(attrs["mutability"].contains("Immutable"), "{attrs:?}"),
            Kind::Secret => assert_eq!(attrs["value"], r#"{"user":"blog","password":"hunter2"}"#),
            Kind::KmsKey => {
                assert_eq!(attrs["description"], "the blog's logs");
                assert_eq!(attrs["rotation"], "true");
                assert_eq!(attrs["enabled"], "true");
                assert_eq!(attrs["state"], "Enabled");
                assert_eq!(attrs["aliases"], format!("alias/{stack}-logs"));
                assert_eq!(tags.get("berth:deletion_window").map(String::as_str), Some("7"));
                assert_eq!(tags.get("team").map(String::as_str), Some("web"));
            }
            // The blog VPC's rejected traffic, every minute, to the login
            // log group through the flow-logs role.
            Kind::FlowLog => {
                assert_eq!(attrs["resource"], text(&created["vpc.main"], "id"));
                assert_eq!(attrs["traffic"], "REJECT");
                assert_eq!(attrs["log_group"], text(&created["log_group.login"], "name"));
                assert_eq!(attrs["role"], text(&created["role.flow_logs"], "arn"));
                assert_eq!(attrs["interval"], "60");
                assert_eq!(tags.get("team").map(String::as_str), Some("web"));
            }
            // Issued before its create returned: the HTTPS listener took it.
            Kind::Certificate => assert_eq!(attrs["status"], "ISSUED"),
            Kind::MetricAlarm => {
                assert_eq!(attrs["threshold"], "Some(85.5)", "sent as the nearest double");
                assert_eq!(attrs["operator"], "GreaterThanOrEqualToThreshold");
            }
            // One HTTPS subscription, confirmed at once by moto, with raw
            // delivery.
            Kind::SnsTopic => {
                assert_eq!(attrs["display_name"], "Blog alerts");
                assert_eq!(attrs["endpoints"], "https://hooks.example.com/sns");
                assert_eq!(attrs["raw_message_delivery"], "true");
                assert_eq!(tags.get("team").map(String::as_str), Some("web"));
            }
            // Versioned, objects owned by the bucket owner preferred, one
            // lifecycle rule with a transition; force_destroy in a tag.
            Kind::S3Bucket => {
                assert_eq!(attrs["versioning"], "Enabled");
                assert_eq!(attrs["ownership"], "BucketOwnerPreferred");
                assert_eq!(attrs["encryption"], "AES256");
                assert_eq!(
                    attrs["lifecycle"],
                    "expire Enabled AWSLogs/ exp=Some(90) noncurrent=Some(30) transitions=30:STANDARD_IA"
                );
                assert_eq!(tags.get("berth:force_destroy").map(String::as_str), Some("true"));
                assert_eq!(tags.get("team").map(String::as_str), Some("web"));
            }
            // Both FIFO; the jobs queue with content-based deduplication,
            // a long visibility timeout and long polling, redriven to the
            // dead letters queue after 5 receives; 14 days' retention for
            // the dead letters.
            Kind::SqsQueue => {
                assert_eq!(attrs["fifo"], "true");
                assert_eq!(attrs["arn"], text(r, "arn"));
                assert!(
                    text(r, "url").ends_with(&format!("/{}", text(r, "name"))),
                    "{r:?}"
                );
                if r.address.name == "jobs" {
                    assert_eq!(attrs["content_based_deduplication"], "true");
                    assert_eq!(attrs["visibility_timeout"], "120");
                    assert_eq!(attrs["receive_wait_time"], "20");
                    let redrive: serde_json::Value =
                        serde_json::from_str(&attrs["redrive_policy"]).expect("RedrivePolicy JSON");
                    assert_eq!(
                        redrive["deadLetterTargetArn"],
                        text(&created["sqs_queue.dead_letters"], "arn").as_str()
                    );
                    assert_eq!(redrive["maxReceiveCount"], 5);
                    assert_eq!(tags.get("team").map(String::as_str), Some("web"));
                } else {
                    assert_eq!(attrs["message_retention"], "1209600");
                    assert!(!attrs.contains_key("redrive_policy"), "{attrs:?}");
                }
            }
            // Encrypted with EFS's own key (recorded as such), 30 days to
            // Infrequent Access, a mount target in each public subnet
            // behind the app group.
            Kind::EfsFileSystem => {
                assert_eq!(attrs["encrypted"], "Some(true)");
                assert_eq!(attrs["state"], "available");
                assert_eq!(attrs["throughput_mode"], "bursting");
                assert_eq!(attrs["lifecycle"], "ia=AFTER_30_DAYS");
                let app = text(&created["security_group.app"], "id");
                let mut targets = [
                    format!("{}:{app}", text(&created["subnet.public_a"], "id")),
                    format!("{}:{app}", text(&created["subnet.public_b"], "id")),
                ];
                targets.sort();
                assert_eq!(attrs["mount_targets"], targets.join(" "));
                assert_eq!(tags.get("berth:kms_key").map(String::as_str), Some(""));
                assert_eq!(tags.get("team").map(String::as_str), Some("web"));
                assert_eq!(
                    text(r, "dns_name"),
                    format!("{}.efs.us-east-1.amazonaws.com", text(r, "id"))
                );
            }
            // uid and gid 1000 under /uploads, made 0755 for them.
            Kind::EfsAccessPoint => {
                assert_eq!(
                    attrs["file_system"],
                    text(&created["efs_file_system.files"], "id")
                );
                assert_eq!(attrs["posix_user"], "Some(1000):Some(1000)");
                assert_eq!(attrs["root"], "/uploads");
                assert_eq!(attrs["creation_info"], "1000:1000:0755");
            }
            // The nightly report: the login task definition on Fargate at
            // 3 every morning, and a notice to the alerts topic; the
            // stopped tasks' details to the dead letters queue, disabled.
            Kind::EventRule => {
                assert_eq!(attrs["arn"], text(r, "arn"));
                if r.address.name == "nightly" {
                    assert_eq!(attrs["schedule"], "cron(0 3 * * ? *)");
                    assert_eq!(attrs["state"], "ENABLED");
                    assert_eq!(attrs["description"], "the nightly report");
                    assert_eq!(
                        attrs["targets"],
                        format!(
                            "notify={} report={}",
                            text(&created["sns_topic.alerts"], "arn"),
                            text(&created["cluster.blog"], "arn")
                        )
                    );
                    assert_eq!(
                        attrs["task_definitions"],
                        text(&created["task_definition.login"], "arn")
                    );
                    assert_eq!(tags.get("team").map(String::as_str), Some("web"));
                } else {
                    assert_eq!(attrs["state"], "DISABLED");
                    assert_eq!(attrs["schedule"], "");
                    assert!(attrs["pattern"].contains("ECS Task State Change"), "{attrs:?}");
                    assert_eq!(
                        attrs["targets"],
                        format!("keep={}", text(&created["sqs_queue.dead_letters"], "arn"))
                    );
                }
            }
            Kind::SsmParameter => {
                assert_eq!(attrs["type"], "SecureString");
                assert_eq!(attrs["value"], "correct horse battery staple");
            }
            Kind::TaskDefinition => {
                assert_eq!(attrs["cpu"], "256");
                assert!(attrs["compatibilities"].contains("Fargate"), "{attrs:?}");
            }
            _ => {}
        }
        if r.address.to_string() == "vpc.main" || r.address.to_string() == "role.task_exec" {
            assert_eq!(tags.get("team").map(String::as_str), Some("web"));
        }
    }

    // read_all returns exactly what create returned.
    let live = read(p, stack).await;
    assert_same(&live, &created);

    // Delete in reverse order: nothing tagged with the stack is left.
    destroy(p, stack, &in_order(&created)).await;
    assert!(read(p, stack).await.is_empty());
    // Raw SDK, by tag (moto's DescribeTags keeps tags of deleted resources,
    // so each type is described instead).
    let f = || {
        Filter::builder()
            .name(format!("tag:{STACK_TAG}"))
            .values(stack)
            .build()
    };
    let ec2 = &env.raw.ec2;
    let left = [
        ec2.describe_vpcs()
            .filters(f())
            .send()
            .await
            .expect("DescribeVpcs")
            .vpcs()
            .len(),
        ec2.describe_subnets()
            .filters(f())
            .send()
            .await
            .expect("DescribeSubnets")
            .subnets()
            .len(),
        ec2.describe_internet_gateways()
            .filters(f())
            .send()
            .await
            .expect("DescribeInternetGateways")
            .internet_gateways()
            .len(),
        ec2.describe_route_tables()
            .filters(f())
            .send()
            .await
            .expect("DescribeRouteTables")
            .route_tables()
            .len(),
        ec2.describe_security_groups()
            .filters(f())
            .send()
            .await
            .expect("DescribeSecurityGroups")
            .security_groups()
            .len(),
        ec2.describe_addresses()
            .filters(f())
            .send()
            .await
            .expect("DescribeAddresses")
            .addresses()
            .len(),
        ec2.describe_flow_logs()
            .filter(f())
            .send()
            .await
            .expect("DescribeFlowLogs")
            .flow_logs()
            .len(),
    ];
    assert_eq!(left, [0; 7], "EC2 resources left (Elastic IPs released)");
    // NAT gateways linger as `deleted`; none is anything else.
    let nats = ec2
        .describe_nat_gateways()
        .filter(f())
        .send()
        .await
        .expect("DescribeNatGateways");
    assert!(
        nats.nat_gateways()
            .iter()
            .all(|n| n.state() == Some(&aws_sdk_ec2::types::NatGatewayState::Deleted)),
        "{nats:?}"
    );
    let lbs = env
        .raw
        .elb
        .describe_load_balancers()
        .send()
        .await
        .expect("DescribeLoadBalancers");
    assert!(lbs.load_balancers().is_empty());
    let tgs = env
        .raw
        .elb
        .describe_target_groups()
        .send()
        .await
        .expect("DescribeTargetGroups");
    assert!(tgs.target_groups().is_empty());
    let tds = env
        .raw
        .ecs
        .list_task_definitions()
        .family_prefix("blog-dev-login")
        .send()
        .await
        .expect("ListTaskDefinitions");
    assert!(tds.task_definition_arns().is_empty(), "{tds:?}");
    // The key is scheduled for deletion (its window), its alias gone.
    let key = text(&created["kms_key.logs"], "key_id");
    let out = env
        .raw
        .kms
        .describe_key()
        .key_id(&key)
        .send()
        .await
        .expect("DescribeKey");
    assert_eq!(
        out.key_metadata().and_then(|m| m.key_state()),
        Some(&aws_sdk_kms::types::KeyState::PendingDeletion)
    );
    let aliases = env
        .raw
        .kms
        .list_aliases()
        .key_id(&key)
        .send()
        .await
        .expect("ListAliases");
    assert!(aliases.aliases().is_empty(), "{aliases:?}");
    // The topic is gone, its subscription with it.
    let topics = env.raw.sns.list_topics().send().await.expect("ListTopics");
    assert!(topics.topics().is_empty(), "{topics:?}");
    let subs = env
        .raw
        .sns
        .list_subscriptions()
        .send()
        .await
        .expect("ListSubscriptions");
    assert!(subs.subscriptions().is_empty(), "{subs:?}");

    // The bucket is gone.
    let buckets = env.raw.s3.list_buckets().send().await.expect("ListBuckets");
    assert!(buckets.buckets().is_empty(), "{buckets:?}");

    // The queues are gone.
    let queues = env.raw.sqs.list_queues().send().await.expect("ListQueues");
    assert!(queues.queue_urls().is_empty(), "{queues:?}");

    // The rules are gone, their targets with them.
    let rules = env.raw.events.list_rules().send().await.expect("ListRules");
    assert!(rules.rules().is_empty(), "{rules:?}");

    // The file system and its access point are gone, the mount targets'
    // network interfaces with them.
    let efs = &env.raw.efs;
    let file_systems = efs
        .describe_file_systems()
        .send()
        .await
        .expect("DescribeFileSystems");
    assert!(file_systems.file_systems().is_empty(), "{file_systems:?}");
    let access_points = efs
        .describe_access_points()
        .send()
        .await
        .expect("DescribeAccessPoints");
    assert!(access_points.access_points().is_empty(), "{access_points:?}");
    let addresses: Vec<&str> = created["efs_file_system.files"].attrs["mount_target"]
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.as_map()?.get("ip_address")?.as_str())
        .collect();
    assert_eq!(addresses.len(), 2, "{created:?}");
    let interfaces = ec2
        .describe_network_interfaces()
        .send()
        .await
        .expect("DescribeNetworkInterfaces");
    let left: Vec<_> = interfaces
        .network_interfaces()
        .iter()
        .filter(|i| i.private_ip_address().is_some_and(|ip| addresses.contains(&ip)))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Deleting what is already gone succeeds (a re-run after a crash).
    destroy(p, stack, &in_order(&created)[..5]).await;

    let stats = berth_provider::Provider::stats(p);
    assert_eq!(stats["ec2:CreateVpc"].calls, 1, "{stats:?}");
    assert!(stats["elbv2:DescribeTags"].calls >= 1, "{stats:?}");
}

/// Every kind, and values AWS normalises, written in spellings picked at
/// random (three seeds), read back through the SDK with no difference.
#[tokio::test]
async fn respelled_stacks_read_back_unchanged() {
    let Some(env) = env().await else { return };
    for seed in 1..=3 {
        respelled_stack_reads_back_unchanged(&env.provider, &format!("spelled-{seed}"), seed).await;
    }
}

/// Port mappings reach RegisterTaskDefinition in the order written: the
/// first one is the one ECS and load balancers default to.
#[tokio::test]
async fn port_mappings_keep_their_order() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let blog = apply_blog(p, "ports").await;
    let mut rng = fastrand::Rng::with_seed(7);
    let td = variety(&blog, &mut rng)
        .into_iter()
        .find(|r| r.address.kind == Kind::TaskDefinition)
        .expect("a task definition");
    let created = create(p, "ports", td).await;
    let out = env
        .raw
        .ecs
        .describe_task_definition()
        .task_definition(text(&created, "arn"))
        .send()
        .await
        .expect("DescribeTaskDefinition");
    let dns = out
        .task_definition()
        .map(|t| t.container_definitions())
        .unwrap_or_default()
        .iter()
        .find(|c| c.name() == Some("dns"))
        .expect("the dns container");
    let ports: Vec<(Option<i32>, String)> = dns
        .port_mappings()
        .iter()
        .map(|m| {
            (
                m.container_port(),
                m.protocol().map_or("", |p| p.as_str()).to_owned(),
            )
        })
        .collect();
    assert_eq!(
        ports,
        [
            (Some(53), "udp".to_owned()),
            (Some(9153), "tcp".to_owned()),
            (Some(8081), "tcp".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_vpcs_default_parts_have_one_owner() {
    let Some(env) = env().await else { return };
    berth_test_support::taken_over::parts_have_one_owner(&env.provider, "parts", "other-parts").await;
}

#[tokio::test]
async fn named_resources_keep_their_names() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    berth_test_support::named::named_resources_keep_their_names(p, "named-dev").await;
    assert!(read(p, "named-dev").await.is_empty());
}
