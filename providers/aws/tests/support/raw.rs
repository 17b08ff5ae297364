//! Checks made with raw SDK calls, independent of berth's read: a
//! resource's tags as AWS holds them, and a few attributes per kind.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use aws_sdk_ecs::types::{ClusterField, ServiceField, TaskDefinitionField};
use aws_sdk_route53::types::{RrType, TagResourceType};
use berth_aws::Clients;
use berth_provider::{Kind, Resource, Value};

use super::text;

type Tags = BTreeMap<String, String>;

fn collect<'a>(it: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>) -> Tags {
    it.filter_map(|(k, v)| Some((k?.to_owned(), v.unwrap_or_default().to_owned())))
        .collect()
}

/// The tags AWS holds for `r`, and a few attributes as AWS reports them
/// (name to rendered value), read with the service's own Describe call.
pub async fn inspect(raw: &Clients, r: &Resource) -> (Tags, BTreeMap<&'static str, String>) {
    let mut attrs = BTreeMap::new();
    let tags = match r.address.kind {
        Kind::Vpc => {
            let out = raw
                .ec2
                .describe_vpcs()
                .vpc_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeVpcs");
            let v = &out.vpcs()[0];
            attrs.insert("cidr", v.cidr_block().unwrap_or_default().to_owned());
            collect(v.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::Subnet => {
            let out = raw
                .ec2
                .describe_subnets()
                .subnet_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeSubnets");
            let s = &out.subnets()[0];
            attrs.insert("zone", s.availability_zone().unwrap_or_default().to_owned());
            attrs.insert(
                "public",
                format!("{}", s.map_public_ip_on_launch().unwrap_or(false)),
            );
            collect(s.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::ElasticIp => {
            let out = raw
                .ec2
                .describe_addresses()
                .allocation_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeAddresses");
            let e = &out.addresses()[0];
            attrs.insert("domain", format!("{:?}", e.domain()));
            collect(e.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::VpcEndpoint => {
            let out = raw
                .ec2
                .describe_vpc_endpoints()
                .vpc_endpoint_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeVpcEndpoints");
            let e = &out.vpc_endpoints()[0];
            attrs.insert("service", e.service_name().unwrap_or_default().to_owned());
            attrs.insert("type", format!("{:?}", e.vpc_endpoint_type()));
            collect(e.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::NatGateway => {
            let out = raw
                .ec2
                .describe_nat_gateways()
                .nat_gateway_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeNatGateways");
            let n = &out.nat_gateways()[0];
            attrs.insert("subnet", n.subnet_id().unwrap_or_default().to_owned());
            attrs.insert("state", format!("{:?}", n.state()));
            collect(n.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::FlowLog => {
            let out = raw
                .ec2
                .describe_flow_logs()
                .flow_log_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeFlowLogs");
            let f = &out.flow_logs()[0];
            attrs.insert("resource", f.resource_id().unwrap_or_default().to_owned());
            attrs.insert(
                "traffic",
                f.traffic_type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
            );
            attrs.insert("log_group", f.log_group_name().unwrap_or_default().to_owned());
            attrs.insert(
                "role",
                f.deliver_logs_permission_arn().unwrap_or_default().to_owned(),
            );
            attrs.insert(
                "interval",
                f.max_aggregation_interval()
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
            );
            collect(f.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::InternetGateway => {
            let out = raw
                .ec2
                .describe_internet_gateways()
                .internet_gateway_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeInternetGateways");
            let g = &out.internet_gateways()[0];
            let vpc = g
                .attachments()
                .first()
                .and_then(|a| a.vpc_id())
                .unwrap_or_default();
            attrs.insert("vpc", vpc.to_owned());
            collect(g.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::RouteTable | Kind::DefaultRouteTable => {
            let out = raw
                .ec2
                .describe_route_tables()
                .filters(
                    Filter::builder()
                        .name("route-table-id")
                        .values(text(r, "id"))
                        .build(),
                )
                .send()
                .await
                .expect("DescribeRouteTables");
            let t = &out.route_tables()[0];
            attrs.insert("associations", t.associations().len().to_string());
            attrs.insert("routes", t.routes().len().to_string());
            collect(t.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::DefaultNetworkAcl | Kind::NetworkAcl => {
            let out = raw
                .ec2
                .describe_network_acls()
                .network_acl_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeNetworkAcls");
            let acl = &out.network_acls()[0];
            attrs.insert("entries", acl.entries().len().to_string());
            attrs.insert("default", format!("{}", acl.is_default().unwrap_or(false)));
            attrs.insert("associations", acl.associations().len().to_string());
            collect(acl.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::SecurityGroup | Kind::DefaultSecurityGroup => {
            let out = raw
                .ec2
                .describe_security_groups()
                .group_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeSecurityGroups");
            let g = &out.security_groups()[0];
            attrs.insert("ingress", g.ip_permissions().len().to_string());
            attrs.insert("egress", g.ip_permissions_egress().len().to_string());
            attrs.insert("name", g.group_name().unwrap_or_default().to_owned());
            collect(g.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::SecurityGroupRule => {
            let out = raw
                .ec2
                .describe_security_group_rules()
                .security_group_rule_ids(text(r, "id"))
                .send()
                .await
                .expect("DescribeSecurityGroupRules");
            let rule = &out.security_group_rules()[0];
            attrs.insert("group", rule.group_id().unwrap_or_default().to_owned());
            collect(rule.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
            if r.address.kind == Kind::ListenerRule {
                let out = raw
                    .elb
                    .describe_rules()
                    .rule_arns(text(r, "arn"))
                    .send()
                    .await
                    .expect("DescribeRules");
                let rule = &out.rules()[0];
                attrs.insert("priority", rule.priority().unwrap_or_default().to_owned());
            }
            if r.address.kind == Kind::TargetGroup {
                let out = raw
                    .elb
                    .describe_target_groups()
                    .target_group_arns(text(r, "arn"))
                    .send()
                    .await
                    .expect("DescribeTargetGroups");
                let tg = &out.target_groups()[0];
                attrs.insert(
                    "health_check_path",
                    tg.health_check_path().unwrap_or_default().to_owned(),
                );
            }
            let out = raw
                .elb
                .describe_tags()
                .resource_arns(text(r, "arn"))
                .send()
                .await
                .expect("DescribeTags");
            let d = &out.tag_descriptions()[0];
            collect(d.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::Cluster => {
            let out = raw
                .ecs
                .describe_clusters()
                .clusters(text(r, "arn"))
                .include(ClusterField::Tags)
                .include(ClusterField::Settings)
                .send()
                .await
                .expect("DescribeClusters");
            let c = &out.clusters()[0];
            let insights = c.settings().first().and_then(|s| s.value()).unwrap_or_default();
            attrs.insert("container_insights", insights.to_owned());
            collect(c.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::TaskDefinition => {
            let out = raw
                .ecs
                .describe_task_definition()
                .task_definition(text(r, "arn"))
                .include(TaskDefinitionField::Tags)
                .send()
                .await
                .expect("DescribeTaskDefinition");
            let td = out.task_definition().expect("task definition");
            attrs.insert("cpu", td.cpu().unwrap_or_default().to_owned());
            attrs.insert("compatibilities", format!("{:?}", td.requires_compatibilities()));
            collect(out.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::Service => {
            let out = raw
                .ecs
                .describe_services()
                .cluster(text(r, "cluster"))
                .services(text(r, "arn"))
                .include(ServiceField::Tags)
                .send()
                .await
                .expect("DescribeServices");
            let s = &out.services()[0];
            attrs.insert("desired_count", s.desired_count().to_string());
            collect(s.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::EcrRepository => {
            let out = raw
                .ecr
                .describe_repositories()
                .repository_names(text(r, "name"))
                .send()
                .await
                .expect("DescribeRepositories");
            let repo = &out.repositories()[0];
            attrs.insert("mutability", format!("{:?}", repo.image_tag_mutability()));
            let out = raw
                .ecr
                .list_tags_for_resource()
                .resource_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListTagsForResource");
            collect(out.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::DnsNamespace | Kind::DiscoveryService => {
            let out = raw
                .discovery
                .list_tags_for_resource()
                .resource_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListTagsForResource");
            collect(out.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::HostedZone => {
            let out = raw
                .route53
                .list_tags_for_resource()
                .resource_type(TagResourceType::Hostedzone)
                .resource_id(text(r, "id"))
                .send()
                .await
                .expect("ListTagsForResource");
            let set = out.resource_tag_set().expect("tag set");
            collect(set.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::DnsRecord => {
            // Records take no tags: their owner is in berth's TXT marker.
            let out = raw
                .route53
                .list_resource_record_sets()
                .hosted_zone_id(text(r, "zone"))
                .send()
                .await
                .expect("ListResourceRecordSets");
            let name = text(r, "name");
            let kind = text(r, "type");
            let sets = out.resource_record_sets();
            let set = sets
                .iter()
                .find(|s| s.name().trim_end_matches('.') == name && s.r#type().as_str() == kind)
                .expect("the record");
            if let Some(alias) = set.alias_target() {
                attrs.insert("alias", alias.dns_name().to_owned());
            }
            let marker = berth_provider::dns::marker_name(&name, &kind);
            let owner = sets
                .iter()
                .filter(|s| s.name().trim_end_matches('.') == marker && *s.r#type() == RrType::Txt)
                .flat_map(|s| s.resource_records())
                .find_map(|v| berth_provider::dns::marker_owner(v.value()));
            owner
                .into_iter()
                .flat_map(|(stack, address)| {
                    [
                        (berth_provider::STACK_TAG.to_owned(), stack),
                        (berth_provider::ADDRESS_TAG.to_owned(), address),
                    ]
                })
                .collect()
        }
        Kind::Certificate => {
            let out = raw
                .acm
                .describe_certificate()
                .certificate_arn(text(r, "arn"))
                .send()
                .await
                .expect("DescribeCertificate");
            let status = out
                .certificate()
                .and_then(|c| c.status())
                .map(|s| s.as_str().to_owned());
            attrs.insert("status", status.unwrap_or_default());
            let out = raw
                .acm
                .list_tags_for_certificate()
                .certificate_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListTagsForCertificate");
            collect(out.tags().iter().map(|t| (Some(t.key()), t.value())))
        }
        Kind::KmsKey => {
            let key = text(r, "key_id");
            let out = raw
                .kms
                .describe_key()
                .key_id(&key)
                .send()
                .await
                .expect("DescribeKey");
            let meta = out.key_metadata().expect("the key's metadata");
            attrs.insert("description", meta.description().unwrap_or_default().to_owned());
            attrs.insert("enabled", meta.enabled().to_string());
            attrs.insert(
                "state",
                meta.key_state()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
            );
            let out = raw
                .kms
                .get_key_rotation_status()
                .key_id(&key)
                .send()
                .await
                .expect("GetKeyRotationStatus");
            attrs.insert("rotation", out.key_rotation_enabled().to_string());
            // The aliases KMS says name the key, account wide.
            let out = raw.kms.list_aliases().send().await.expect("ListAliases");
            let mut names: Vec<&str> = out
                .aliases()
                .iter()
                .filter(|a| a.target_key_id() == Some(key.as_str()))
                .filter_map(|a| a.alias_name())
                .collect();
            names.sort_unstable();
            attrs.insert("aliases", names.join(","));
            let out = raw
                .kms
                .list_resource_tags()
                .key_id(&key)
                .send()
                .await
                .expect("ListResourceTags");
            collect(
                out.tags()
                    .iter()
                    .map(|t| (Some(t.tag_key()), Some(t.tag_value()))),
            )
        }
        Kind::SnsTopic => {
            let sns = &raw.sns;
            let arn = text(r, "arn");
            let out = sns
                .get_topic_attributes()
                .topic_arn(&arn)
                .send()
                .await
                .expect("GetTopicAttributes");
            let held = out.attributes().cloned().unwrap_or_default();
            attrs.insert(
                "display_name",
                held.get("DisplayName").cloned().unwrap_or_default(),
            );
            // The subscriptions' endpoints, and each one's raw delivery, in
            // endpoint order.
            let out = sns
                .list_subscriptions_by_topic()
                .topic_arn(&arn)
                .send()
                .await
                .expect("ListSubscriptionsByTopic");
            let mut subs: Vec<(String, String)> = Vec::new();
            for sub in out.subscriptions() {
                let out = sns
                    .get_subscription_attributes()
                    .subscription_arn(sub.subscription_arn().unwrap_or_default())
                    .send()
                    .await
                    .expect("GetSubscriptionAttributes");
                let raw_delivery = out
                    .attributes()
                    .and_then(|a| a.get("RawMessageDelivery").cloned())
                    .unwrap_or_default();
                subs.push((sub.endpoint().unwrap_or_default().to_owned(), raw_delivery));
            }
            subs.sort();
            let (endpoints, raw_delivery): (Vec<String>, Vec<String>) = subs.into_iter().unzip();
            attrs.insert("endpoints", endpoints.join(","));
            attrs.insert("raw_message_delivery", raw_delivery.join(","));
            let out = sns
                .list_tags_for_resource()
                .resource_arn(&arn)
                .send()
                .await
                .expect("ListTagsForResource");
            collect(out.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::SqsQueue => {
            let sqs = &raw.sqs;
            let url = text(r, "url");
            let out = sqs
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                .send()
                .await
                .expect("GetQueueAttributes");
            for (name, value) in out.attributes().cloned().unwrap_or_default() {
                let key = match name.as_str() {
                    "FifoQueue" => "fifo",
                    "ContentBasedDeduplication" => "content_based_deduplication",
                    "VisibilityTimeout" => "visibility_timeout",
                    "MessageRetentionPeriod" => "message_retention",
                    "ReceiveMessageWaitTimeSeconds" => "receive_wait_time",
                    "RedrivePolicy" => "redrive_policy",
                    "QueueArn" => "arn",
                    _ => continue,
                };
                attrs.insert(key, value);
            }
            let out = sqs
                .list_queue_tags()
                .queue_url(&url)
                .send()
                .await
                .expect("ListQueueTags");
            out.tags().cloned().unwrap_or_default().into_iter().collect()
        }
        Kind::Secret => {
            let out = raw
                .secrets
                .get_secret_value()
                .secret_id(text(r, "arn"))
                .send()
                .await
                .expect("GetSecretValue");
            attrs.insert("value", out.secret_string().unwrap_or_default().to_owned());
            let out = raw
                .secrets
                .describe_secret()
                .secret_id(text(r, "arn"))
                .send()
                .await
                .expect("DescribeSecret");
            collect(out.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::MetricAlarm => {
            let out = raw
                .cloudwatch
                .describe_alarms()
                .alarm_names(text(r, "name"))
                .send()
                .await
                .expect("DescribeAlarms");
            let alarm = out.metric_alarms().first().expect("the alarm");
            attrs.insert("threshold", format!("{:?}", alarm.threshold()));
            attrs.insert(
                "operator",
                alarm
                    .comparison_operator()
                    .map(|o| o.as_str().to_owned())
                    .unwrap_or_default(),
            );
            let out = raw
                .cloudwatch
                .list_tags_for_resource()
                .resource_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListTagsForResource");
            collect(out.tags().iter().map(|t| (t.key(), t.value())))
        }
        Kind::SsmParameter => {
            let out = raw
                .ssm
                .get_parameter()
                .name(text(r, "name"))
                .with_decryption(true)
                .send()
                .await
                .expect("GetParameter");
            let param = out.parameter().expect("the parameter");
            attrs.insert(
                "type",
                param.r#type().map(|t| t.as_str().to_owned()).unwrap_or_default(),
            );
            attrs.insert("value", param.value().unwrap_or_default().to_owned());
            let out = raw
                .ssm
                .list_tags_for_resource()
                .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
                .resource_id(text(r, "name"))
                .send()
                .await
                .expect("ListTagsForResource");
            collect(out.tag_list().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::LogGroup => {
            let out = raw
                .logs
                .describe_log_groups()
                .log_group_name_prefix(text(r, "name"))
                .send()
                .await
                .expect("DescribeLogGroups");
            let g = &out.log_groups()[0];
            attrs.insert("retention", format!("{:?}", g.retention_in_days()));
            let out = raw
                .logs
                .list_tags_for_resource()
                .resource_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListTagsForResource");
            out.tags().cloned().unwrap_or_default().into_iter().collect()
        }
        Kind::ManagedPolicy => {
            let out = raw
                .iam
                .list_policy_tags()
                .policy_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListPolicyTags");
            out.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect()
        }
        Kind::S3Bucket => {
            let s3 = &raw.s3;
            let name = text(r, "name");
            let out = s3
                .get_bucket_versioning()
                .bucket(&name)
                .send()
                .await
                .expect("GetBucketVersioning");
            attrs.insert(
                "versioning",
                out.status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            );
            let out = s3
                .get_bucket_ownership_controls()
                .bucket(&name)
                .send()
                .await
                .expect("GetBucketOwnershipControls");
            let ownership = out
                .ownership_controls()
                .and_then(|c| c.rules().first())
                .map(|r| r.object_ownership().as_str().to_owned());
            attrs.insert("ownership", ownership.unwrap_or_default());
            let out = s3
                .get_bucket_encryption()
                .bucket(&name)
                .send()
                .await
                .expect("GetBucketEncryption");
            let algorithm = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default())
                .map(|d| d.sse_algorithm().as_str().to_owned());
            attrs.insert("encryption", algorithm.unwrap_or_default());
            let out = s3
                .get_bucket_lifecycle_configuration()
                .bucket(&name)
                .send()
                .await
                .expect("GetBucketLifecycleConfiguration");
            let rules: Vec<String> = out
                .rules()
                .iter()
                .map(|r| {
                    let transitions: Vec<String> = r
                        .transitions()
                        .iter()
                        .map(|t| {
                            let class = t.storage_class().map_or("", |c| c.as_str());
                            format!("{}:{class}", t.days().unwrap_or_default())
                        })
                        .collect();
                    format!(
                        "{} {} {} exp={:?} noncurrent={:?} transitions={}",
                        r.id().unwrap_or_default(),
                        r.status().as_str(),
                        r.filter().and_then(|f| f.prefix()).unwrap_or_default(),
                        r.expiration().and_then(|e| e.days()),
                        r.noncurrent_version_expiration()
                            .and_then(|e| e.noncurrent_days()),
                        transitions.join(",")
                    )
                })
                .collect();
            attrs.insert("lifecycle", rules.join("; "));
            let out = s3
                .get_bucket_tagging()
                .bucket(&name)
                .send()
                .await
                .expect("GetBucketTagging");
            collect(out.tag_set().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::EfsFileSystem => {
            let efs = &raw.efs;
            let id = text(r, "id");
            let out = efs
                .describe_file_systems()
                .file_system_id(&id)
                .send()
                .await
                .expect("DescribeFileSystems");
            let fs = &out.file_systems()[0];
            attrs.insert("encrypted", format!("{:?}", fs.encrypted()));
            attrs.insert("state", fs.life_cycle_state().as_str().to_owned());
            attrs.insert(
                "throughput_mode",
                fs.throughput_mode().map_or("", |m| m.as_str()).to_owned(),
            );
            let transitions = efs_transitions(efs, &id).await;
            attrs.insert("lifecycle", transitions.join("; "));
            // Each mount target as `subnet:groups`, in subnet order.
            let out = efs
                .describe_mount_targets()
                .file_system_id(&id)
                .send()
                .await
                .expect("DescribeMountTargets");
            let mut targets = Vec::new();
            for t in out.mount_targets() {
                let groups = efs
                    .describe_mount_target_security_groups()
                    .mount_target_id(t.mount_target_id())
                    .send()
                    .await
                    .expect("DescribeMountTargetSecurityGroups");
                targets.push(format!(
                    "{}:{}",
                    t.subnet_id(),
                    groups.security_groups().join(",")
                ));
            }
            targets.sort();
            attrs.insert("mount_targets", targets.join(" "));
            collect(fs.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::EfsAccessPoint => {
            let out = raw
                .efs
                .describe_access_points()
                .access_point_id(text(r, "id"))
                .send()
                .await
                .expect("DescribeAccessPoints");
            let ap = &out.access_points()[0];
            attrs.insert("file_system", ap.file_system_id().unwrap_or_default().to_owned());
            let user = ap.posix_user();
            attrs.insert(
                "posix_user",
                format!("{:?}:{:?}", user.map(|u| u.uid()), user.map(|u| u.gid())),
            );
            let root = ap.root_directory();
            attrs.insert("root", root.and_then(|r| r.path()).unwrap_or_default().to_owned());
            let info = root.and_then(|r| r.creation_info());
            attrs.insert(
                "creation_info",
                info.map(|i| format!("{}:{}:{}", i.owner_uid(), i.owner_gid(), i.permissions()))
                    .unwrap_or_default(),
            );
            collect(ap.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::EventRule => {
            let events = &raw.events;
            let name = text(r, "name");
            let out = events
                .describe_rule()
                .name(&name)
                .send()
                .await
                .expect("DescribeRule");
            attrs.insert("arn", out.arn().unwrap_or_default().to_owned());
            attrs.insert(
                "schedule",
                out.schedule_expression().unwrap_or_default().to_owned(),
            );
            attrs.insert("pattern", out.event_pattern().unwrap_or_default().to_owned());
            attrs.insert(
                "state",
                out.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            );
            attrs.insert("description", out.description().unwrap_or_default().to_owned());
            // The targets, in id order: `ID=ARN`, and the ECS ones'
            // task definitions.
            let mut targets = event_targets(events, &name).await;
            targets.sort_by(|a, b| a.id().cmp(b.id()));
            let listed: Vec<String> = targets
                .iter()
                .map(|t| format!("{}={}", t.id(), t.arn()))
                .collect();
            attrs.insert("targets", listed.join(" "));
            let tasks: Vec<String> = targets
                .iter()
                .filter_map(|t| t.ecs_parameters())
                .map(|e| e.task_definition_arn().to_owned())
                .collect();
            attrs.insert("task_definitions", tasks.join(" "));
            let out = events
                .list_tags_for_resource()
                .resource_arn(text(r, "arn"))
                .send()
                .await
                .expect("ListTagsForResource");
            collect(out.tags().iter().map(|t| (Some(t.key()), Some(t.value()))))
        }
        Kind::Role => {
            let out = raw
                .iam
                .get_role()
                .role_name(text(r, "name"))
                .send()
                .await
                .expect("GetRole");
            let role = out.role().expect("role");
            attrs.insert("path", role.path().to_owned());
            role.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect()
        }
    };
    (tags, attrs)
}

/// The rendered value of attribute `name` of `r`, as berth holds it.
pub fn shown(r: &Resource, name: &str) -> String {
    match r.attrs.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// A file system's transitions as EFS holds them (`ia=AFTER_30_DAYS`).
pub async fn efs_transitions(efs: &aws_sdk_efs::Client, fs: &str) -> Vec<String> {
    let out = efs
        .describe_lifecycle_configuration()
        .file_system_id(fs)
        .send()
        .await
        .expect("DescribeLifecycleConfiguration");
    out.lifecycle_policies()
        .iter()
        .flat_map(|l| {
            [
                l.transition_to_ia().map(|t| format!("ia={}", t.as_str())),
                l.transition_to_archive()
                    .map(|t| format!("archive={}", t.as_str())),
                l.transition_to_primary_storage_class()
                    .map(|t| format!("primary={}", t.as_str())),
            ]
        })
        .flatten()
        .collect()
}

/// The targets EventBridge holds for the rule `rule` (ListTargetsByRule).
pub async fn event_targets(
    events: &aws_sdk_eventbridge::Client,
    rule: &str,
) -> Vec<aws_sdk_eventbridge::types::Target> {
    let out = events
        .list_targets_by_rule()
        .rule(rule)
        .send()
        .await
        .expect("ListTargetsByRule");
    out.targets().to_vec()
}
