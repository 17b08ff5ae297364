//! Spellings other tools write (Terraform, CloudFormation, the JSON of
//! DescribeTaskDefinition) that AWS stores in one form of its own. Each case
//! in `tests/spellings/` (on top of `base.berth`) must apply and then plan
//! no change, on the local cloud and through the SDK against moto: a plan
//! that is not true after apply redeploys on every apply.

mod common;

use std::path::Path;

use common::Cloud;

/// A stack directory holding `base.berth` and the case's file.
fn stack(case: &str) -> tempfile::TempDir {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spellings");
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["base.berth", &format!("{case}.berth")] {
        std::fs::copy(cases.join(file), dir.path().join(file)).expect("case file");
    }
    dir
}

/// Replaces the first `from` of the case's file in `dir` with `to`.
fn edit_case(dir: &Path, case: &str, from: &str, to: &str) {
    let file = dir.join(format!("{case}.berth"));
    let text = std::fs::read_to_string(&file).expect("read the case");
    assert!(text.contains(from), "{case} holds {from}");
    std::fs::write(&file, text.replacen(from, to, 1)).expect("write the case");
}

fn converges(case: &str, cloud: Cloud) {
    let dir = stack(case);
    let dir = dir.path();
    cloud.berth(dir, &["validate"]).expect_code(0);
    cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
    let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
    assert_eq!(
        plan.code,
        Some(0),
        "{case} does not re-plan clean:\n{}",
        plan.all()
    );
    cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
}

macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        mod local {
            $(#[test]
            fn $case() {
                super::converges(stringify!($case), super::Cloud::Local);
            })*
        }

        mod aws {
            $(#[test]
            fn $case() {
                let Some(moto) = berth_test_support::Moto::start() else { return };
                super::converges(stringify!($case), super::Cloud::Aws(moto));
            })*
        }
    };
}

cases!(
    vpc_endpoint_service_lookup,
    grace_period_for_container_health_checks,
    container_json_in_a_local,
    log_metric_filters,
    dynamic_blocks_keyed_by_arns,
    cluster_default_strategy_without_weight,
    terraform_lookup_list_index,
    terraform_secret_name_prefix,
    terraform_vpc_endpoint_route_table_association,
    cloudformation_service_connect_namespace_by_made_name,
    terraform_tag_values_of_other_types,
    cloudformation_all_traffic_to_port_only,
    environment_value_left_null,
    terraform_empty_descriptions,
    terraform_repeated_ecr_lifecycle_reads_its_element,
    terraform_autoscaling_per_service_instance,
    request_count_of_counted_groups,
    terraformer_generated,
    task_definition_for_ec2_and_fargate,
    secrets_encoded_into_container_json,
    setunion_of_group_ids,
    terraform_main_route_table_associations,
    terraform_listener_module_actions,
    terraform_optional_block_over_instances,
    terraform_private_zone,
    terraform_null_nested_settings,
    terraform_policy_named_after_its_role,
    terraform_counted_certificate_validation,
    terraform_alb_module_dynamic_blocks,
    terraform_module_inputs_left_empty,
    terraform_cross_zone_settings,
    cloudformation_refarch_service,
    terraform_security_group_module,
    terraform_vpc_rules_map,
    terraform_rules_map_with_lookups,
    terraform_inline_policy_named_by_variables,
    cloudformation_string_flags,
    cloudformation_alias_targets,
    alias_to_a_name_and_zone,
    terraform_directives_in_quoted_strings,
    terraform_for_each_over_resources,
    terraform_blocks_named_by_variables,
    terraform_queue_policy_without_resource,
    terraform_interpolation_only_lists,
    terraform_proxy_configuration,
    cloudformation_namespace_by_name,
    cloudformation_egress_to_group,
    terraform_latest_task_revision,
    terraform_counted_cidr_rules,
    terraform_default_vpc,
    terraform_whole_resources,
    terraform_certificate_validation,
    terraform_default_egress,
    terraform_default_security_group,
    terraform_vpc_part_ids,
    terraform_vpc_module_defaults,
    terraform_network_acl,
    terraform_vpc_module_features_off,
    terraform_ecs_module_cluster,
    terraform_ecs_module_autoscaling,
    cloudformation_srv_registry_port,
    terraform_tutorial_spellings,
    terraform_service_task_family,
    terraform_alb_module_settings,
    terraform_rule_null_sources,
    terraform_ecs_module_service_blocks,
    terraform_rules_map_of_ids,
    terraform_alias_to_own_load_balancer,
    terraform_cloudposse_references,
    cloudformation_long_logical_ids,
    terraform_name_prefix,
    rule_ports_and_protocols,
    port_mapping_blocks,
    container_cpu_zero,
    health_check_as_defaults,
    role_policies_any_order,
    grace_period_zero,
    awslogs_block_as_terraform_writes_it,
    efs_volume_as_aws_reports_it,
    cloudformation_trust_policy,
    terraform_policy_document,
    log_group_retention_zero,
    grace_period_with_load_balancer,
    target_group_attributes,
    load_balancer_attributes,
    host_port_as_terraform_writes_it,
    ipv6_rules_as_terraform_writes_them,
    log_group_kms_key,
    grpc_target_groups,
    container_insights_modes,
    cloudformation_task_sizes,
    terraform_group_without_egress,
    terraform_listener_actions,
    terraform_container_definitions,
    terraform_network_configuration,
    terraform_rule_lists,
    terraform_setting_blocks,
    terraform_attachments,
    terraform_vpc_rules,
    terraform_autoscaling,
    terraform_custom_metric_autoscaling,
    terraform_attribute_rules,
    terraform_policy_documents,
    terraform_heredocs,
    terraform_module_settings,
    terraform_registry_and_discovery,
    terraform_fargate_service,
    terraform_module_variables,
    terraform_kms_key,
    terraform_flow_log,
    terraform_sns_topic,
    terraform_s3_bucket,
    terraform_sqs_queue,
    terraform_event_rule,
    terraform_efs_file_system,
    copilot_file_system_policy,
    terraform_resource_headers,
    terraform_http_namespace,
    terraform_all_egress_rule_ipv6,
);

/// ICMP entries of a network ACL converge where the cloud keeps their type
/// and code, as AWS does.
#[test]
fn icmp_acl_entries_converge_on_the_local_cloud() {
    converges("terraform_network_acl_icmp", Cloud::Local);
}

/// moto reads an entry's ICMP type and code under another name than the
/// one the SDK sends (`Icmp.Type` for `IcmpTypeCode`) and drops them, so
/// every plan would set them again (a moto gap, docs/aws.md; the stubbed
/// `an_icmp_entry_is_sent_with_its_type_and_code` checks the request). A
/// moto that keeps them fails this test: the case then joins `cases!`.
#[test]
fn icmp_acl_entries_lose_their_type_and_code_on_moto_alone() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    let cloud = Cloud::Aws(moto);
    let dir = stack("terraform_network_acl_icmp");
    let dir = dir.path();
    cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
    let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, Some(2), "moto kept them:\n{}", plan.all());
    // Read back without them, the entries hold Terraform's 0 and 0: the
    // outbound entry written so is no change.
    for line in [
        "+ icmp_type = 8",
        "+ icmp_code = -1",
        "Plan: 0 to add, 1 to change",
    ] {
        assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
    }
    cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
}

/// CloudFormation's inline `PolicyDocument` without `Version`
/// (nathanpeck/aws-cloudformation-fargate's task execution role): IAM's
/// PutRolePolicy takes it, so the local cloud must converge.
#[test]
fn inline_policy_without_version_converges_on_the_local_cloud() {
    converges("inline_policy_without_version", Cloud::Local);
}

/// moto holds every policy to `"Version": "2012-10-17"`, where AWS does so
/// for managed policies only (a moto gap, docs/aws.md): the role's apply
/// fails there at PutRolePolicy, named with moto's answer, and destroy
/// still clears what was made. A moto that takes it fails this test.
#[test]
fn inline_policy_without_version_is_refused_by_moto_alone() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    let cloud = Cloud::Aws(moto);
    let dir = stack("inline_policy_without_version");
    let dir = dir.path();
    cloud.berth(dir, &["validate"]).expect_code(0);
    let apply = cloud.berth(dir, &["apply", "--auto-approve"]);
    let out = apply.all();
    assert_ne!(apply.code, Some(0), "moto took it:\n{out}");
    assert!(
        out.contains("PutRolePolicy") && out.contains("2012-10-17 or greater"),
        "{out}"
    );
    cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
}

/// A gRPC group's matcher changes in place (ModifyTargetGroup with
/// Matcher.GrpcCode), its protocol version only by a new group (AWS cannot
/// change it). moto reads only Matcher.HttpCode in ModifyTargetGroup, so
/// there only the replacement is checked.
#[test]
fn a_grpc_matcher_changes_in_place_and_a_protocol_version_replaces() {
    for cloud in Cloud::both() {
        let dir = stack("grpc_target_groups");
        let dir = dir.path();
        let edit = |from: &str, to: &str| edit_case(dir, "grpc_target_groups", from, to);
        cloud.converges(dir, "gRPC target groups");
        if let Cloud::Local = cloud {
            edit("matcher = \"0-99\"", "matcher = \"0,12\"");
            cloud.plans_one_update(dir, "target_group.grpc");
            cloud.converges(dir, "a new gRPC matcher");
        }
        edit(
            "protocol_version = \"http2\"",
            "protocol_version = \"GRPC\"\n  health_check { matcher = \"0\" }",
        );
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        assert!(
            plan.stdout.contains("# target_group.h2 must be replaced")
                && plan
                    .stdout
                    .contains("protocol_version = \"HTTP2\" -> \"GRPC\" # forces replacement"),
            "{}",
            plan.stdout
        );
        cloud.converges(dir, "HTTP2 to gRPC");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Container Insights moves between its modes in place (UpdateCluster with
/// the containerInsights setting): on to enhanced, enhanced to off, and
/// reads back each time as written, on both clouds; moto is checked from
/// outside.
#[test]
fn container_insights_changes_mode_in_place() {
    for cloud in Cloud::both() {
        let dir = stack("container_insights_modes");
        let dir = dir.path();
        cloud.converges(dir, "three modes");
        // The settings of the clusters `disabled`, `enabled`, `enhanced`.
        for (from, to, want) in [
            ("\"ENABLED\"", "\"enhanced\"", "disabled enhanced enhanced"),
            (
                "\"enhanced\" }\n\ncluster enabled",
                "false }\n\ncluster enabled",
                "disabled enhanced disabled",
            ),
        ] {
            edit_case(dir, "container_insights_modes", from, to);
            let plan = cloud.berth(dir, &["plan"]);
            assert!(plan.stdout.contains("1 to change"), "{}", plan.all());
            cloud.converges(dir, &format!("insights {to}"));
            if let Cloud::Aws(moto) = &cloud {
                let seen = moto.python(
                    "import boto3\necs=boto3.client('ecs')\n\
                     cs=ecs.describe_clusters(clusters=ecs.list_clusters()['clusterArns'],include=['SETTINGS'])['clusters']\n\
                     by={c['clusterName'].split('-')[-1]:[s['value'] for s in c['settings'] if s['name']=='containerInsights'][0] for c in cs}\n\
                     print(' '.join(by[n] for n in ('disabled','enabled','enhanced')))\n",
                );
                assert_eq!(seen.trim(), want);
            }
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Terraform's `log_group_class`: on the local cloud an infrequent-access
/// group re-plans clean and another class replaces it (AWS cannot change
/// it); moto's CreateLogGroup drops the class (docs/aws.md), so there the
/// plan after apply is exactly that group's replacement, pinned here so a
/// moto that keeps it shows up. `STANDARD` written out is no class on both.
#[test]
fn a_log_group_class_is_kept_and_replaces_when_changed() {
    const GROUPS: &str = "stack \"classes\" { region = \"us-east-1\" }\n\
                          log_group cheap { class = \"infrequent_access\" }\n\
                          log_group standard { class = \"STANDARD\" }\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        std::fs::write(dir.join("main.berth"), GROUPS).expect("write");
        cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        match cloud {
            Cloud::Local => {
                assert_eq!(plan.code, Some(0), "{}", plan.all());
                std::fs::write(
                    dir.join("main.berth"),
                    GROUPS.replace("infrequent_access", "DELIVERY"),
                )
                .expect("write");
                let plan = cloud.berth(dir, &["plan"]);
                assert!(
                    plan.stdout.contains("# log_group.cheap must be replaced")
                        && plan.stdout.contains("Plan: 1 to add, 0 to change, 1 to destroy."),
                    "{}",
                    plan.stdout
                );
                cloud.converges(dir, "a new class");
            }
            Cloud::Aws(_) => {
                assert_eq!(plan.code, Some(2), "{}", plan.all());
                assert!(
                    plan.stdout.contains("# log_group.cheap must be replaced")
                        && plan.stdout.contains("Plan: 1 to add, 0 to change, 1 to destroy."),
                    "moto's gap is the class alone:\n{}",
                    plan.stdout
                );
            }
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Terraform's `availability_zone_rebalancing = "DISABLED"`: on the local
/// cloud it re-plans clean, turning it on (`true`) changes the service in
/// place and leaving it out keeps ECS's setting. moto drops the setting
/// (docs/aws.md; the request is checked against stubbed clients in
/// berth-aws's tests), so there the plan after apply is exactly the
/// service's update, pinned here so a moto that keeps it shows up.
#[test]
fn availability_zone_rebalancing_is_kept_and_changes_in_place() {
    const CASE: &str = "availability_zone_rebalancing";
    for cloud in Cloud::both() {
        let dir = stack(CASE);
        let dir = dir.path();
        cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        match cloud {
            Cloud::Local => {
                let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
                assert_eq!(plan.code, Some(0), "{}", plan.all());
                edit_case(dir, CASE, "\"DISABLED\"", "true");
                cloud.plans_one_update(dir, "service.app");
                cloud.converges(dir, "rebalancing turned on");
                edit_case(dir, CASE, "  availability_zone_rebalancing = true\n", "");
                let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
                assert_eq!(
                    plan.code,
                    Some(0),
                    "left out, ECS's setting stays:\n{}",
                    plan.all()
                );
            }
            Cloud::Aws(_) => cloud.plans_one_update(dir, "service.app"),
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// A group's egress as AWS holds it is what the next plan compares: the
/// default rule revoked outside berth (EC2 RevokeSecurityGroupEgress with
/// boto3 on moto, the account file's attribute on the local cloud) plans as
/// an update that puts it back, and one revoked on purpose
/// (`default_egress = false`) holds no rule at all. Before, both read as
/// "no egress", so the revocation was invisible.
/// An awslogs block shipping to another region than the stack's is sent
/// as written (ecspresso's test definition ships to ap-northeast-1): it
/// was read as the `logs` shorthand, which sends the stack's region, and
/// re-planned clean, so the change was silent.
#[test]
fn awslogs_to_another_region_keeps_its_region() {
    const REGIONS: &str = "import boto3,json\n\
        ecs=boto3.client('ecs')\n\
        td=ecs.describe_task_definition(taskDefinition='spellings-logs')['taskDefinition']\n\
        print(json.dumps({c['name']:c['logConfiguration']['options']['awslogs-region'] for c in td['containerDefinitions']},sort_keys=True))\n";
    for cloud in Cloud::both() {
        let dir = stack("awslogs_in_another_region");
        let dir = dir.path();
        cloud.converges(dir, "containers logging to two regions");
        match &cloud {
            Cloud::Aws(moto) => {
                let held: serde_json::Value =
                    serde_json::from_str(moto.python(REGIONS).trim()).expect("json");
                assert_eq!(
                    held,
                    serde_json::json!({"local": "us-east-1", "tokyo": "ap-northeast-1"})
                );
            }
            Cloud::Local => {
                let file = common::read_cloud(&dir.join(".berth/local-cloud.json"));
                let td = file["resources"]
                    .as_object()
                    .expect("resources")
                    .values()
                    .find(|r| r["tags"]["berth:address"] == "task_definition.app")
                    .expect("the task definition");
                let containers = td["attrs"]["container"].as_array().expect("containers");
                let tokyo = containers.iter().find(|c| c["name"] == "tokyo").expect("tokyo");
                assert_eq!(
                    tokyo["log"][0]["options"]["awslogs-region"], "ap-northeast-1",
                    "{tokyo:#}"
                );
                let local = containers.iter().find(|c| c["name"] == "local").expect("local");
                assert_eq!(local["logs"], "spellings-local", "{local:#}");
            }
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

#[test]
fn a_revoked_default_egress_rule_is_drift_and_comes_back() {
    const RULES: &str = "import boto3,json\n\
        ec2=boto3.client('ec2')\n\
        gs=ec2.describe_security_groups(Filters=[{'Name':'tag:berth:stack','Values':['spellings']}])['SecurityGroups']\n\
        print(json.dumps({[t['Value'] for t in g['Tags'] if t['Key']=='berth:address'][0]:len(g['IpPermissionsEgress']) for g in gs},sort_keys=True))\n";
    for cloud in Cloud::both() {
        let dir = stack("terraform_group_without_egress");
        let dir = dir.path();
        cloud.converges(dir, "groups with and without egress");
        match &cloud {
            Cloud::Aws(moto) => {
                let held: serde_json::Value = serde_json::from_str(moto.python(RULES).trim()).expect("json");
                assert_eq!(
                    held,
                    serde_json::json!({"security_group.closed": 0, "security_group.open": 1, "security_group.own_rules": 1})
                );
                moto.python(
                    "import boto3\nec2=boto3.client('ec2')\n\
                     g=[g for g in ec2.describe_security_groups(Filters=[{'Name':'tag:berth:address','Values':['security_group.open']}])['SecurityGroups']][0]\n\
                     ec2.revoke_security_group_egress(GroupId=g['GroupId'],IpPermissions=g['IpPermissionsEgress'])\n",
                );
            }
            Cloud::Local => {
                let state = dir.join(".berth/local-cloud.json");
                let mut file = common::read_cloud(&state);
                let groups = file["resources"].as_object_mut().expect("resources");
                let open = groups
                    .values_mut()
                    .find(|r| r["tags"]["berth:address"] == "security_group.open")
                    .expect("the open group");
                open["attrs"]["default_egress"] = serde_json::Value::Bool(false);
                common::write_cloud(&state, &file);
            }
        }
        cloud.plans_one_update(dir, "security_group.open");
        cloud.converges(dir, "the default rule put back");
        if let Cloud::Aws(moto) = &cloud {
            let held: serde_json::Value = serde_json::from_str(moto.python(RULES).trim()).expect("json");
            assert_eq!(held["security_group.open"], 1, "{held}");
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Values read from AWS's answers, on both clouds: `arn_suffix` is the
/// ARN's part CloudWatch names a load balancer or target group by (in an
/// output, and sent as written in an alarm's dimensions), and a text
/// function over a topic's ARN is computed at apply into a container's
/// environment; a record's `fqdn` is its name without the root's dot, a
/// task definition's `arn_without_revision` its ARN without the revision.
/// E0305 and E0315 at validate before.
#[test]
fn values_known_at_apply_are_computed_at_apply_on_both_clouds() {
    for cloud in Cloud::both() {
        let case = "terraform_values_known_at_apply";
        let dir = stack(case);
        let dir = dir.path();
        cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{case}:\n{}", plan.all());
        let out = cloud.berth(dir, &["output", "--format", "json"]);
        let outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("outputs");
        let text = |name: &str| {
            outputs["outputs"][name]["value"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        assert!(text("lb_suffix").starts_with("app/spellings-web-"), "{outputs}");
        assert!(
            text("tg_suffix").starts_with("targetgroup/spellings-web-"),
            "{outputs}"
        );
        assert_eq!(text("url"), "https://www.spellings.example.com", "{outputs}");
        assert!(
            text("family_arn").starts_with("arn:aws:ecs:")
                && text("family_arn").ends_with(":task-definition/spellings-app"),
            "{outputs}"
        );
        if let Cloud::Aws(moto) = &cloud {
            let seen = moto.python(
                "import boto3,json\n\
                 ecs=boto3.client('ecs')\n\
                 c=ecs.describe_task_definition(taskDefinition='spellings-app')['taskDefinition']['containerDefinitions'][0]\n\
                 a=boto3.client('cloudwatch').describe_alarms(AlarmNames=['spellings-5xx'])['MetricAlarms'][0]\n\
                 print(json.dumps({'env':{e['name']:e['value'] for e in c['environment']},\
                 'dims':{d['Name']:d['Value'] for d in a['Dimensions']}}))\n",
            );
            let seen: serde_json::Value = serde_json::from_str(seen.trim()).expect("json");
            let topics: serde_json::Value =
                serde_json::from_str(seen["env"]["TOPICS"].as_str().unwrap_or_default())
                    .expect("TOPICS is JSON");
            assert!(
                topics["events"]
                    .as_str()
                    .is_some_and(|arn| arn.starts_with("arn:aws:sns:")),
                "{seen}"
            );
            assert_eq!(seen["env"]["TOPIC_NAME"], "SPELLINGS-EVENTS", "{seen}");
            assert_eq!(seen["dims"]["LoadBalancer"], text("lb_suffix").as_str(), "{seen}");
            assert_eq!(seen["dims"]["TargetGroup"], text("tg_suffix").as_str(), "{seen}");
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
