//! Terraform's names of berth's attributes and blocks, for the help of an
//! unknown one: a ported stack's `cidr_block` is told it is `cidr`, not
//! left to a "did you mean" that finds nothing close.

use berth_provider::schema::Block as BlockSchema;

/// What berth writes for another tool's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Berth {
    /// An attribute or block of the same body.
    Name(&'static str),
    /// Written another way, said in a sentence.
    Note(&'static str),
}

/// What `name_prefix` (Terraform's way to replace create-before-destroy)
/// is in berth.
const NAME_PREFIX: &str = "leave it out: berth names the resource from the stack and the block (with a random suffix where a replacement needs a new name), or set `name`";

/// (block or kind, Terraform's name, berth's). Names that only lose
/// Terraform's `_id`/`_arn` (`vpc_id`) or turn `_ids`/`_arns` into a plural
/// (`subnet_ids`) are found by that rule and not listed.
const NAMES: &[(&str, &str, Berth)] = &[
    ("vpc", "cidr_block", Berth::Name("cidr")),
    ("vpc", "enable_dns_hostnames", Berth::Name("dns_hostnames")),
    ("vpc", "enable_dns_support", Berth::Name("dns_support")),
    ("subnet", "cidr_block", Berth::Name("cidr")),
    ("subnet", "availability_zone", Berth::Name("zone")),
    ("subnet", "map_public_ip_on_launch", Berth::Name("public")),
    ("route", "cidr_block", Berth::Name("cidr")),
    // A network ACL entry's range, IPv4 or IPv6.
    ("ingress", "cidr_block", Berth::Name("cidr")),
    ("egress", "cidr_block", Berth::Name("cidr")),
    ("ingress", "ipv6_cidr_block", Berth::Name("cidr")),
    ("egress", "ipv6_cidr_block", Berth::Name("cidr")),
    ("route", "destination_cidr_block", Berth::Name("cidr")),
    (
        "route",
        "vpc_peering_connection_id",
        Berth::Name("peering_connection"),
    ),
    (
        "route_table",
        "route_table_association",
        Berth::Note("a route table's subnets are its `subnets` list"),
    ),
    (
        "security_group_rule",
        "source_security_group_id",
        Berth::Name("from"),
    ),
    ("load_balancer", "load_balancer_type", Berth::Name("type")),
    // CloudFormation's `!GetAtt EIP.AllocationId`, Terraform's
    // `aws_eip.X.allocation_id`: what a NAT gateway names it by.
    ("elastic_ip", "allocation_id", Berth::Name("id")),
    (
        "target_group",
        "load_balancing_algorithm_type",
        Berth::Name("algorithm"),
    ),
    ("ecr_repository", "repository_url", Berth::Name("url")),
    // Terraform's zone has both; `zone_id` is the one modules read.
    ("hosted_zone", "zone_id", Berth::Name("id")),
    ("alias", "evaluate_target_health", Berth::Name("evaluate_health")),
    ("service", "service_registries", Berth::Name("service_registry")),
    (
        "service",
        "service_connect_configuration",
        Berth::Name("service_connect"),
    ),
    // The Service Connect proxy's logs, as Terraform writes them.
    ("service_connect", "log_configuration", Berth::Name("log")),
    (
        "service_connect",
        "access_log_configuration",
        Berth::Name("access_log"),
    ),
    ("log", "log_driver", Berth::Name("driver")),
    (
        "load_balancer",
        "enable_cross_zone_load_balancing",
        Berth::Name("cross_zone"),
    ),
    (
        "load_balancer",
        "enable_deletion_protection",
        Berth::Name("deletion_protection"),
    ),
    ("load_balancer", "enable_http2", Berth::Name("http2")),
    (
        "load_balancer",
        "enable_waf_fail_open",
        Berth::Name("waf_fail_open"),
    ),
    (
        "load_balancer",
        "xff_header_processing_mode",
        Berth::Name("xff_header_processing"),
    ),
    ("load_balancer", "container_name", Berth::Name("container")),
    ("load_balancer", "container_port", Berth::Name("port")),
    ("service_registry", "container_name", Berth::Name("container")),
    ("service_registry", "container_port", Berth::Name("port")),
    ("listener", "certificate_arn", Berth::Name("certificate")),
    ("log_group", "retention_in_days", Berth::Name("retention_days")),
    ("log_group", "kms_key_id", Berth::Name("kms_key")),
    ("log_group", "log_group_class", Berth::Name("class")),
    ("role", "assume_role_policy", Berth::Name("assume_policy")),
    ("role", "managed_policy_arns", Berth::Name("policies")),
    ("managed_policy", "policy", Berth::Name("document")),
    (
        "task_definition",
        "execution_role_arn",
        Berth::Name("execution_role"),
    ),
    ("task_definition", "task_role_arn", Berth::Name("task_role")),
    (
        "task_definition",
        "enable_fault_injection",
        Berth::Name("fault_injection"),
    ),
    ("service", "assign_public_ip", Berth::Name("public_ip")),
    (
        "service",
        "deployment_minimum_healthy_percent",
        Berth::Name("min_healthy_percent"),
    ),
    (
        "service",
        "deployment_maximum_percent",
        Berth::Name("max_percent"),
    ),
    (
        "service",
        "health_check_grace_period_seconds",
        Berth::Name("health_check_grace_period"),
    ),
    (
        "service",
        "deployment_circuit_breaker",
        Berth::Name("circuit_breaker"),
    ),
    (
        "ecr_repository",
        "image_tag_mutability",
        Berth::Name("tag_mutability"),
    ),
    ("ssm_parameter", "key_id", Berth::Name("kms_key")),
    ("secret", "kms_key_id", Berth::Name("kms_key")),
    (
        "secret",
        "recovery_window_in_days",
        Berth::Name("recovery_window_days"),
    ),
    ("secret", "secret_string", Berth::Name("value")),
    ("metric_alarm", "alarm_name", Berth::Name("name")),
    ("metric_alarm", "alarm_description", Berth::Name("description")),
    ("nat_gateway", "allocation_id", Berth::Name("elastic_ip")),
    ("vpc_endpoint", "service_name", Berth::Name("service")),
    ("vpc_endpoint", "vpc_endpoint_type", Berth::Name("type")),
    ("vpc_endpoint", "private_dns_enabled", Berth::Name("private_dns")),
    (
        "kms_key",
        "deletion_window_in_days",
        Berth::Name("deletion_window_days"),
    ),
    ("kms_key", "enable_key_rotation", Berth::Name("rotation")),
    ("kms_key", "key_usage", Berth::Name("usage")),
    ("kms_key", "customer_master_key_spec", Berth::Name("spec")),
    ("kms_key", "key_spec", Berth::Name("spec")),
    ("kms_key", "is_enabled", Berth::Name("enabled")),
    // CloudFormation's `KeyPolicy` and `PendingWindowInDays`, in snake case.
    ("kms_key", "key_policy", Berth::Name("policy")),
    ("sns_topic", "fifo_topic", Berth::Name("fifo")),
    ("sns_topic", "kms_master_key_id", Berth::Name("kms_key")),
    ("sns_topic", "name_prefix", Berth::Note(NAME_PREFIX)),
    (
        "efs_file_system",
        "availability_zone_name",
        Berth::Name("availability_zone"),
    ),
    (
        "efs_file_system",
        "provisioned_throughput_in_mibps",
        Berth::Name("provisioned_throughput"),
    ),
    (
        "efs_file_system",
        "protection",
        Berth::Note("not written yet: berth's file systems are not replication targets"),
    ),
    ("sqs_queue", "fifo_queue", Berth::Name("fifo")),
    (
        "sqs_queue",
        "visibility_timeout_seconds",
        Berth::Name("visibility_timeout"),
    ),
    (
        "sqs_queue",
        "message_retention_seconds",
        Berth::Name("message_retention"),
    ),
    ("sqs_queue", "delay_seconds", Berth::Name("delay")),
    (
        "sqs_queue",
        "receive_wait_time_seconds",
        Berth::Name("receive_wait_time"),
    ),
    ("sqs_queue", "kms_master_key_id", Berth::Name("kms_key")),
    (
        "sqs_queue",
        "kms_data_key_reuse_period_seconds",
        Berth::Name("kms_data_key_reuse"),
    ),
    (
        "sqs_queue",
        "sqs_managed_sse_enabled",
        Berth::Name("sqs_managed_sse"),
    ),
    ("sqs_queue", "name_prefix", Berth::Note(NAME_PREFIX)),
    (
        "sqs_queue",
        "redrive_allow_policy",
        Berth::Note(
            "not written yet: SQS lets every queue of the account use a queue as its dead-letter queue (`allowAll`); leave it out",
        ),
    ),
    ("event_rule", "schedule_expression", Berth::Name("schedule")),
    ("event_rule", "name_prefix", Berth::Note(NAME_PREFIX)),
    (
        "event_rule",
        "role_arn",
        Berth::Note(
            "a rule's own role sends events to another bus, which berth does not write; a target's `role` is its own",
        ),
    ),
    (
        "target",
        "input_transformer",
        Berth::Note("not written yet: send `input` (fixed JSON) or `input_path`"),
    ),
    ("s3_bucket", "bucket", Berth::Name("name")),
    ("s3_bucket", "bucket_prefix", Berth::Note(NAME_PREFIX)),
    ("s3_bucket", "bucket_domain_name", Berth::Name("domain_name")),
    (
        "s3_bucket",
        "bucket_regional_domain_name",
        Berth::Name("regional_domain_name"),
    ),
    (
        "s3_bucket",
        "logging",
        Berth::Note("not written yet: server access logging of a bucket"),
    ),
    (
        "s3_bucket",
        "website",
        Berth::Note("not written yet: static website hosting"),
    ),
    (
        "s3_bucket",
        "cors_rule",
        Berth::Note("not written yet: CORS rules"),
    ),
    (
        "s3_bucket",
        "replication_configuration",
        Berth::Note("not written yet: replication"),
    ),
    ("flow_log", "log_destination", Berth::Name("destination")),
    (
        "flow_log",
        "log_destination_type",
        Berth::Name("destination_type"),
    ),
    ("flow_log", "log_group_name", Berth::Name("log_group")),
    (
        "flow_log",
        "eni_id",
        Berth::Note("not written yet: a flow log of a VPC (`vpc`) or a subnet (`subnet`)"),
    ),
    (
        "flow_log",
        "transit_gateway_id",
        Berth::Note("not written yet: a flow log of a VPC (`vpc`) or a subnet (`subnet`)"),
    ),
    (
        "flow_log",
        "destination_options",
        Berth::Note("not written yet: an S3 flow log is written as plain text, by day"),
    ),
    (
        "kms_key",
        "pending_window_in_days",
        Berth::Name("deletion_window_days"),
    ),
    (
        "kms_key",
        "rotation_period_in_days",
        Berth::Note("not written yet: a rotating key turns every 365 days, KMS's default"),
    ),
];

/// Terraform's resource types (without `aws_`) whose berth kind is named
/// otherwise, or that berth writes another way.
const KINDS: &[(&str, Berth)] = &[
    (
        "import",
        Berth::Note(
            "`berth import ADDRESS ID` adopts a live resource as the block at ADDRESS (`berth import load_balancer.web arn:...`), which the next plan reads",
        ),
    ),
    (
        "removed",
        Berth::Note(
            "berth has no `removed` block: a block taken out of the stack is deleted by the next apply; to keep the resource in AWS, take its `berth:stack` and `berth:address` tags off first (what a stack owns is what carries them)",
        ),
    ),
    (
        "module",
        Berth::Note(
            "modules are not written: put the module's resources in the stack's files, `for_each` where it was repeated",
        ),
    ),
    // CodeDeploy's blue/green deployments of ECS services.
    (
        "codedeploy_app",
        Berth::Note(
            "CodeDeploy is not written: berth deploys a service with ECS's rolling deployments (`berth deploy`, a `circuit_breaker` to roll back); a blue/green CodeDeploy setup can stay in Terraform beside the stack",
        ),
    ),
    (
        "codedeploy_deployment_group",
        Berth::Note(
            "CodeDeploy is not written: berth deploys a service with ECS's rolling deployments (`berth deploy`, a `circuit_breaker` to roll back); a blue/green CodeDeploy setup can stay in Terraform beside the stack",
        ),
    ),
    ("lb", Berth::Name("load_balancer")),
    ("alb", Berth::Name("load_balancer")),
    ("lb_target_group", Berth::Name("target_group")),
    ("alb_target_group", Berth::Name("target_group")),
    ("lb_listener", Berth::Name("listener")),
    ("alb_listener", Berth::Name("listener")),
    ("lb_listener_rule", Berth::Name("listener_rule")),
    ("alb_listener_rule", Berth::Name("listener_rule")),
    ("ecs_cluster", Berth::Name("cluster")),
    ("ecs_service", Berth::Name("service")),
    ("ecs_task_definition", Berth::Name("task_definition")),
    ("cloudwatch_log_group", Berth::Name("log_group")),
    ("cloudwatch_metric_alarm", Berth::Name("metric_alarm")),
    ("iam_role", Berth::Name("role")),
    ("iam_policy", Berth::Name("managed_policy")),
    ("eip", Berth::Name("elastic_ip")),
    (
        "service_discovery_private_dns_namespace",
        Berth::Name("dns_namespace"),
    ),
    ("service_discovery_http_namespace", Berth::Name("dns_namespace")),
    ("service_discovery_service", Berth::Name("discovery_service")),
    ("route53_zone", Berth::Name("hosted_zone")),
    ("route53_record", Berth::Name("dns_record")),
    ("secretsmanager_secret", Berth::Name("secret")),
    ("acm_certificate", Berth::Name("certificate")),
    ("cloudwatch_event_rule", Berth::Name("event_rule")),
    (
        "scheduler_schedule",
        Berth::Note(
            "an EventBridge Scheduler schedule is written as an `event_rule` with a `schedule` and a `target` (`cron(...)`, `rate(...)`; `at(...)` one-off schedules are not written)",
        ),
    ),
    (
        "cloudwatch_event_bus",
        Berth::Note(
            "berth writes rules on the account's default event bus; a custom bus can stay in Terraform",
        ),
    ),
    (
        "efs_backup_policy",
        Berth::Note(
            "not written yet: EFS's automatic backups are off for file systems made through its API (AWS Backup plans can still take them)",
        ),
    ),
    (
        "efs_replication_configuration",
        Berth::Note("not written yet: the file system can stay in Terraform and be named by its id"),
    ),
    (
        "lb_target_group_attachment",
        Berth::Note(
            "an ECS service registers its tasks in the target group its `load_balancer { }` block names; leave it out",
        ),
    ),
    (
        "acm_certificate_validation",
        Berth::Note(
            "a `certificate` with `validation_zone` writes its validation records and waits for them itself: berth takes a validation whose `certificate_arn` is a certificate of the stack, with the `route53_record`s made from its `domain_validation_options`",
        ),
    ),
    (
        "cloudwatch_log_stream",
        Berth::Note("ECS makes each task's log stream in the container's log group; leave it out"),
    ),
    // hashicorp/random's resources, for name suffixes and passwords.
    (
        "random_string",
        Berth::Note(
            "hashicorp/random is not written: for a unique name leave `name` out (berth derives one, with a random suffix where a replacement needs a new name) or use `name_prefix`; a password is a `secret` written outside the configuration",
        ),
    ),
    (
        "random_id",
        Berth::Note(
            "hashicorp/random is not written: for a unique name leave `name` out (berth derives one, with a random suffix where a replacement needs a new name) or use `name_prefix`",
        ),
    ),
    (
        "random_password",
        Berth::Note(
            "hashicorp/random is not written: a password is a `secret` (or an SSM `SecureString`) set outside the configuration, read by its ARN",
        ),
    ),
    (
        "random_pet",
        Berth::Note(
            "hashicorp/random is not written: for a unique name leave `name` out (berth derives one) or use `name_prefix`",
        ),
    ),
];

/// berth's kind for Terraform's resource type `name` written without
/// `aws_` (`lb` is `load_balancer`), where the two differ.
pub fn berth_kind(name: &str) -> Option<&'static str> {
    KINDS.iter().find_map(|(tf, b)| match b {
        Berth::Name(kind) if *tf == name => Some(*kind),
        _ => None,
    })
}

/// An address as another stack's Terraform text names its block
/// (`aws_vpc.main[0]`, `aws_ecs_cluster.this`, `vpc.main[0]`) in berth's
/// form, as its `berth:address` tag holds it (`vpc.main["0"]`); None when
/// it is not one.
pub(crate) fn berth_address(text: &str) -> Option<String> {
    let (kind, rest) = text.split_once('.')?;
    let bare = without_aws(kind);
    let kind: berth_provider::Kind = berth_kind(bare).unwrap_or(bare).parse().ok()?;
    let address = match rest.split_once('[') {
        None => berth_provider::Address::new(kind, rest),
        Some((name, key)) => {
            let key = key.strip_suffix(']')?;
            let key = key
                .strip_prefix('"')
                .and_then(|k| k.strip_suffix('"'))
                .unwrap_or(key);
            berth_provider::Address::with_key(kind, name, key)
        }
    };
    Some(address.to_string())
}

/// Terraform's type `name` without its `aws_` (`aws_lb` is `lb`; any
/// other word as it is).
pub(crate) fn without_aws(name: &str) -> &str {
    name.strip_prefix("aws_").unwrap_or(name)
}

/// The help line for the unknown kind `name`, if it is a Terraform
/// resource type: berth's kind, or how berth writes it. `known`: whether
/// berth takes a kind so named.
pub fn kind_help(name: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    let bare = without_aws(name);
    match KINDS.iter().find(|(tf, _)| *tf == bare).map(|(_, b)| *b) {
        Some(Berth::Name(kind)) => Some(format!("`{name}` is Terraform's name; did you mean `{kind}`?")),
        Some(Berth::Note(note)) => Some(format!("Terraform's `{name}`: {note}")),
        None if bare != name && known(bare) => {
            Some(format!("`{name}` is Terraform's name; did you mean `{bare}`?"))
        }
        None => None,
    }
}

/// What berth writes for `name`, another tool's name of something
/// `schema` holds; a name only when `schema` has it.
pub fn berth_name(schema: &BlockSchema, name: &str) -> Option<Berth> {
    let has = |n: &str| schema.attr(n).is_some() || schema.block(n).is_some();
    let listed = NAMES
        .iter()
        .find(|(block, other, _)| *block == schema.name && *other == name)
        .map(|(_, _, berth)| *berth);
    match listed {
        Some(Berth::Name(n)) if has(n) => return Some(Berth::Name(n)),
        Some(Berth::Note(note)) => return Some(Berth::Note(note)),
        _ => {}
    }
    let single = ["_id", "_arn"].iter().find_map(|s| name.strip_suffix(s));
    let plural = ["_ids", "_arns"].iter().find_map(|s| name.strip_suffix(s));
    let candidate = match (single, plural) {
        (Some(base), _) => base.to_string(),
        (None, Some(base)) => format!("{base}s"),
        (None, None) => return None,
    };
    let found = schema
        .attrs
        .iter()
        .map(|a| a.name)
        .chain(schema.blocks.iter().map(|b| b.name))
        .find(|n| *n == candidate)?;
    Some(Berth::Name(found))
}

/// The help line for `name`, if another tool calls it so.
pub fn help(schema: &BlockSchema, name: &str) -> Option<String> {
    berth_name(schema, name).map(|b| match b {
        Berth::Name(n) => format!("`{name}` is Terraform's name; did you mean `{n}`?"),
        Berth::Note(note) => format!("Terraform's `{name}`: {note}"),
    })
}

#[cfg(test)]
mod tests {
    /// Copilot's environment ported with its Conditions as counts: the
    /// service stack looked its VPC up as `aws_vpc.VPC[0]` and found
    /// nothing (E0596); the tag holds `vpc.VPC["0"]`.
    #[test]
    fn terraforms_addresses_are_berths() {
        use super::berth_address;
        assert_eq!(berth_address("aws_vpc.VPC[0]").as_deref(), Some("vpc.VPC[\"0\"]"));
        assert_eq!(berth_address("vpc.VPC[0]").as_deref(), Some("vpc.VPC[\"0\"]"));
        assert_eq!(
            berth_address("aws_ecs_cluster.Cluster").as_deref(),
            Some("cluster.Cluster")
        );
        assert_eq!(
            berth_address("aws_subnet.public[\"a\"]").as_deref(),
            Some("subnet.public[\"a\"]")
        );
        assert_eq!(berth_address("not an address"), None);
    }

    use berth_provider::Kind;
    use berth_provider::schema::Block as BlockSchema;

    use super::*;

    fn every_block() -> Vec<BlockSchema> {
        fn walk(b: BlockSchema, out: &mut Vec<BlockSchema>) {
            out.push(b);
            for nested in b.blocks {
                walk(*nested, out);
            }
        }
        let mut out = Vec::new();
        for kind in Kind::ALL {
            walk(kind.schema().as_block(), &mut out);
        }
        out
    }

    /// A listed name that no schema has would never be suggested: the table
    /// must follow renames.
    #[test]
    fn every_listed_name_is_in_a_schema_of_its_block() {
        let blocks = every_block();
        for (block, other, berth) in NAMES {
            let schemas: Vec<_> = blocks.iter().filter(|b| b.name == *block).collect();
            assert!(!schemas.is_empty(), "no block or kind `{block}`");
            if let Berth::Name(n) = berth {
                assert!(
                    schemas
                        .iter()
                        .any(|s| s.attr(n).is_some() || s.block(n).is_some()),
                    "`{block}` has no `{n}` (for Terraform's `{other}`)"
                );
                assert_ne!(n, other, "`{block}.{other}` needs no entry");
            }
        }
    }

    #[test]
    fn terraform_resource_types_name_berths_kinds() {
        for (tf, berth) in KINDS {
            if let Berth::Name(kind) = berth {
                assert!(
                    kind.parse::<Kind>().is_ok(),
                    "`{kind}` (for `aws_{tf}`) is no kind"
                );
            }
        }
        let known = |k: &str| k.parse::<Kind>().is_ok() || crate::desugar::takes_kind(k);
        assert_eq!(
            kind_help("aws_lb", known).as_deref(),
            Some("`aws_lb` is Terraform's name; did you mean `load_balancer`?")
        );
        assert_eq!(
            kind_help("aws_route_table_association", known).as_deref(),
            Some(
                "`aws_route_table_association` is Terraform's name; did you mean `route_table_association`?"
            )
        );
        assert_eq!(
            kind_help("aws_vpc", known).as_deref(),
            Some("`aws_vpc` is Terraform's name; did you mean `vpc`?")
        );
        assert_eq!(
            kind_help("aws_appautoscaling_target", known).as_deref(),
            Some("`aws_appautoscaling_target` is Terraform's name; did you mean `appautoscaling_target`?")
        );
        assert!(
            kind_help("aws_lb_target_group_attachment", known).is_some_and(|h| h.contains("leave it out"))
        );
        assert!(
            kind_help("acm_certificate_validation", known).is_some_and(|h| h.contains("validation_zone"))
        );
        // Its help only listed berth's kinds.
        assert!(kind_help("random_string", known).is_some_and(|h| h.contains("leave `name` out")));
        assert_eq!(kind_help("aws_nothing", known), None);
        assert_eq!(kind_help("vpcc", known), None);
    }

    #[test]
    fn suffixes_of_ids_and_arns_are_dropped() {
        let subnet = Kind::Subnet.schema().as_block();
        assert_eq!(berth_name(&subnet, "vpc_id"), Some(Berth::Name("vpc")));
        assert_eq!(berth_name(&subnet, "cidr_block"), Some(Berth::Name("cidr")));
        assert_eq!(berth_name(&subnet, "owner_id"), None);
        let endpoint = Kind::VpcEndpoint.schema().as_block();
        assert_eq!(berth_name(&endpoint, "subnet_ids"), Some(Berth::Name("subnets")));
        assert_eq!(
            berth_name(&endpoint, "route_table_ids"),
            Some(Berth::Name("route_tables"))
        );
    }
}
