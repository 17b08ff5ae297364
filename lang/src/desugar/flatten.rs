//! Terraform's blocks that group settings berth writes on the resource
//! itself: a service's `network_configuration`, a load balancer's
//! `access_logs` and `connection_logs`, a task definition's
//! `runtime_platform`, `ephemeral_storage` and `proxy_configuration` (a
//! `proxy` block), a repository's
//! `image_scanning_configuration` and `encryption_configuration`, a Cloud
//! Map service's `dns_config` and `health_check_custom_config`, a
//! target group's `stickiness`, a cluster's `containerInsights` `setting`,
//! `configuration` (its `execute_command { }` block) and
//! `service_connect_defaults`,
//! a file system's `lifecycle_policy`, an access point's `posix_user` and
//! `root_directory`, a load balancer's `subnet_mapping` blocks (its
//! `subnets`),
//! a role's `inline_policy`, a queue's `redrive_policy`, an event target's
//! `ecs_target` (with its `network_configuration`), `dead_letter_config`,
//! `retry_policy` and `sqs_target`, a rule's `is_enabled`, a hosted
//! zone's `vpc` blocks (its `vpcs`);
//! and a health check's `enabled = true` (berth's target groups always
//! check health).

use super::{CODE, literal, renamed, stray};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Attribute, Block, Expr, ExprKind, Ident, Item, Step, StrPart};

/// A block of Terraform's whose settings are berth's attributes of the
/// resource: (kind, block, [(Terraform's setting, berth's attribute)]); a
/// block inside such a block is named by its path (`dns_config.dns_records`).
type Flat = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const FLAT: &[Flat] = &[
    (
        "service",
        "network_configuration",
        &[
            ("subnets", "subnets"),
            ("security_groups", "security_groups"),
            ("assign_public_ip", "public_ip"),
        ],
    ),
    (
        "load_balancer",
        "access_logs",
        &[
            ("bucket", "access_logs_bucket"),
            ("prefix", "access_logs_prefix"),
            ("enabled", "access_logs"),
        ],
    ),
    (
        "load_balancer",
        "connection_logs",
        &[
            ("bucket", "connection_logs_bucket"),
            ("prefix", "connection_logs_prefix"),
            ("enabled", "connection_logs"),
        ],
    ),
    (
        "cluster",
        "service_connect_defaults",
        &[("namespace", "service_connect_namespace")],
    ),
    (
        "task_definition",
        "runtime_platform",
        &[
            ("operating_system_family", "os_family"),
            ("cpu_architecture", "cpu_architecture"),
        ],
    ),
    (
        "task_definition",
        "ephemeral_storage",
        &[("size_in_gib", "ephemeral_storage")],
    ),
    (
        "discovery_service",
        "dns_config",
        &[
            ("namespace_id", "namespace"),
            ("routing_policy", "routing_policy"),
        ],
    ),
    (
        "discovery_service",
        "dns_config.dns_records",
        &[("ttl", "dns_ttl"), ("type", "dns_type")],
    ),
    (
        "discovery_service",
        "health_check_custom_config",
        &[("failure_threshold", "health_check_failure_threshold")],
    ),
    (
        "ecr_repository",
        "image_scanning_configuration",
        &[("scan_on_push", "scan_on_push")],
    ),
    (
        "ecr_repository",
        "encryption_configuration",
        &[("encryption_type", "encryption"), ("kms_key", "kms_key")],
    ),
    (
        "s3_bucket_versioning",
        "versioning_configuration",
        &[("status", "versioning")],
    ),
    (
        "s3_bucket_server_side_encryption_configuration",
        "rule",
        &[("bucket_key_enabled", "bucket_key")],
    ),
    (
        "s3_bucket_server_side_encryption_configuration",
        "rule.apply_server_side_encryption_by_default",
        SSE_DEFAULT,
    ),
    // Version 3 of Terraform's AWS provider wrote it on the bucket.
    ("s3_bucket", "server_side_encryption_configuration", &[]),
    (
        "s3_bucket",
        "server_side_encryption_configuration.rule",
        &[("bucket_key_enabled", "bucket_key")],
    ),
    (
        "s3_bucket",
        "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default",
        SSE_DEFAULT,
    ),
    (
        "efs_file_system",
        "lifecycle_policy",
        &[
            ("transition_to_ia", "transition_to_ia"),
            ("transition_to_archive", "transition_to_archive"),
            (
                "transition_to_primary_storage_class",
                "transition_to_primary_storage_class",
            ),
        ],
    ),
    (
        "efs_access_point",
        "posix_user",
        &[
            ("uid", "posix_uid"),
            ("gid", "posix_gid"),
            ("secondary_gids", "posix_secondary_gids"),
        ],
    ),
    (
        "efs_access_point",
        "root_directory",
        &[("path", "root_directory")],
    ),
    (
        "efs_access_point",
        "root_directory.creation_info",
        &[
            ("owner_uid", "owner_uid"),
            ("owner_gid", "owner_gid"),
            ("permissions", "permissions"),
        ],
    ),
    (
        "s3_bucket_ownership_controls",
        "rule",
        &[("object_ownership", "object_ownership")],
    ),
    (
        "cloudwatch_event_target",
        "ecs_target",
        &[
            ("task_definition_arn", "task_definition"),
            ("task_count", "task_count"),
            ("launch_type", "launch_type"),
            ("platform_version", "platform_version"),
            ("propagate_tags", "propagate_tags"),
            ("enable_ecs_managed_tags", "enable_ecs_managed_tags"),
            ("enable_execute_command", "enable_execute_command"),
            ("group", "group"),
        ],
    ),
    (
        "cloudwatch_event_target",
        "ecs_target.network_configuration",
        &[
            ("subnets", "subnets"),
            ("security_groups", "security_groups"),
            ("assign_public_ip", "public_ip"),
        ],
    ),
    (
        "cloudwatch_event_target",
        "dead_letter_config",
        &[("arn", "dead_letter_queue")],
    ),
    (
        "cloudwatch_event_target",
        "retry_policy",
        &[
            ("maximum_event_age_in_seconds", "maximum_event_age"),
            ("maximum_retry_attempts", "maximum_retry_attempts"),
        ],
    ),
    (
        "cloudwatch_event_target",
        "sqs_target",
        &[("message_group_id", "message_group_id")],
    ),
];

/// An S3 encryption rule's `apply_server_side_encryption_by_default`.
const SSE_DEFAULT: &[(&str, &str)] = &[("sse_algorithm", "encryption"), ("kms_master_key_id", "kms_key")];

/// Every such block of the resource `block`.
/// The attributes of a resource of `kind` that Terraform's block `block`
/// is written as (a service's `network_configuration`: `subnets`,
/// `security_groups`, `public_ip`); none for a block berth keeps.
pub(crate) fn flattened(kind: &str, block: &str) -> Vec<&'static str> {
    FLAT.iter()
        .filter(|(k, b, _)| *k == kind && *b == block)
        .flat_map(|(_, _, settings)| settings.iter().map(|(_, berth)| *berth))
        .collect()
}

pub(super) fn resource(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    match block.kind.name.as_str() {
        "hosted_zone" => return zone_vpcs(block, diags),
        "discovery_service" => namespace_once(block, diags),
        "load_balancer" => subnet_mappings(block, diags),
        _ => {}
    }
    let kind = block.kind.name.as_str();
    let flat: Vec<&Flat> = FLAT
        .iter()
        .filter(|(k, path, _)| *k == kind && !path.contains('.'))
        .collect();
    let special = matches!(
        kind,
        "target_group"
            | "cluster"
            | "role"
            | "s3_bucket"
            | "s3_bucket_lifecycle_configuration"
            | "sqs_queue"
            | "event_rule"
    );
    if flat.is_empty() && !special {
        return;
    }
    let kind = kind.to_owned();
    for item in std::mem::take(&mut block.body) {
        match item {
            Item::Block(b) => match flat.iter().find(|(_, name, _)| b.kind.name == *name) {
                Some((_, path, renames)) => block.body.extend(settings(&kind, path, b, renames, diags)),
                None => block.body.extend(special_block(&kind, b, diags)),
            },
            Item::Attribute(a) if kind == "sqs_queue" && a.name.name == "redrive_policy" => {
                block.body.extend(super::sqs::redrive_policy(a.value, diags));
            }
            Item::Attribute(a) if kind == "event_rule" && a.name.name == "is_enabled" => {
                block.body.push(is_enabled(a));
            }
            other => block.body.push(other),
        }
    }
}

/// The settings of `b`, at `path` in a resource of `kind`, and of the
/// blocks in it, named as berth names them.
fn settings(
    kind: &str,
    path: &str,
    b: Block,
    renames: &[(&str, &str)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Item> {
    let inner = |name: &str| format!("{path}.{name}");
    let nested: Vec<&Flat> = FLAT
        .iter()
        .filter(|(k, p, _)| *k == kind && p.strip_prefix(path).is_some_and(|rest| rest.starts_with('.')))
        .collect();
    let article = match b.kind.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => "an",
        false => "a",
    };
    let what = format!("{article} `{}` block", b.kind.name);
    let takes = super::listed(
        renames
            .iter()
            .map(|(tf, _)| *tf)
            .chain(nested.iter().filter_map(|(_, p, _)| p.rsplit('.').next())),
    );
    let mut seen = std::collections::BTreeSet::new();
    let mut blocks = |b: Block, diags: &mut Vec<Diagnostic>| match nested
        .iter()
        .find(|(_, p, _)| *p == inner(&b.kind.name))
    {
        // Its settings are attributes of the resource: one value each (a
        // Cloud Map service's second `dns_records`, Copilot's A and SRV).
        Some(_) if !seen.insert(b.kind.name.clone()) => {
            diags.push(
                Diagnostic::error(
                    super::CODE,
                    format!("a second `{}` block", b.kind.name),
                    b.kind.span,
                )
                .label("berth writes one")
                .help(format!(
                    "its settings are the {kind}'s own attributes, one value each: keep one `{}` block",
                    b.kind.name
                )),
            );
            Ok(Vec::new())
        }
        Some((_, p, renames)) => Ok(settings(kind, p, b, renames, diags)),
        None => Err(b),
    };
    let mut body = b.body;
    body.retain(|item| match item {
        Item::Attribute(a) => match NOT_WRITTEN
            .iter()
            .find(|(k, p, setting, _)| *k == kind && *p == path && *setting == a.name.name)
        {
            Some((.., instead)) => {
                diags.push(
                    Diagnostic::error(
                        super::CODE,
                        format!("`{}` is not written yet", a.name.name),
                        a.name.span,
                    )
                    .label(format!("in {what}"))
                    .help(*instead),
                );
                false
            }
            None => true,
        },
        Item::Block(_) => true,
    });
    super::renamed_settings(body, renames, (&what, &takes), &mut blocks, diags)
}

/// Settings of the flattened blocks berth does not write yet: (kind, path,
/// setting, what to write instead).
const NOT_WRITTEN: &[(&str, &str, &str, &str)] = &[(
    "cloudwatch_event_target",
    "ecs_target",
    "tags",
    "the tasks take the task definition's tags with `propagate_tags = \"TASK_DEFINITION\"` (CDK's `TagList` is not written)",
)];

/// A block of a target group, cluster, role or task definition that
/// Terraform writes its own way, else `b` as it is.
fn special_block(kind: &str, mut b: Block, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    match (kind, b.kind.name.as_str()) {
        ("target_group", "stickiness") => stickiness(b, diags).into_iter().collect(),
        ("cluster", "setting") => setting(b, diags).into_iter().collect(),
        ("cluster", "configuration") => configuration(b, diags),
        ("role", "inline_policy") => super::attach::policy(b, diags)
            .map(Item::Block)
            .into_iter()
            .collect(),
        ("task_definition", "volume") if b.label.is_none() => volume(b, diags).into_iter().collect(),
        // Terraform's App Mesh proxy: berth's `proxy` names its container.
        ("task_definition", "proxy_configuration") => {
            vec![super::block("proxy", b, &[("container_name", "container")])]
        }
        // berth's own `lifecycle_rule` carries a label.
        ("s3_bucket", "lifecycle_rule") if b.label.is_none() => {
            super::s3::lifecycle_rule(b, diags).into_iter().collect()
        }
        ("s3_bucket_lifecycle_configuration", "rule") => {
            super::s3::lifecycle_rule(b, diags).into_iter().collect()
        }
        ("s3_bucket", "versioning") => super::s3::versioning(b, diags).into_iter().collect(),
        ("target_group", "health_check") => {
            b.body.retain(|item| {
                !matches!(item, Item::Attribute(a)
                    if a.name.name == "enabled" && a.value.kind == ExprKind::Bool(true))
            });
            vec![Item::Block(b)]
        }
        _ => vec![Item::Block(b)],
    }
}

/// A Cloud Map service's namespace written both on the service and in its
/// `dns_config` (CloudFormation's `NamespaceId` and `DnsConfig.NamespaceId`,
/// Terraform's `namespace_id` in both places): one, when they name the
/// same; E0211 when they differ.
fn namespace_once(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let is_namespace = |i: &Item| matches!(i, Item::Attribute(a) if matches!(a.name.name.as_str(), "namespace_id" | "namespace"));
    let in_config = block.body.iter().find_map(|i| match i {
        Item::Block(b) if b.kind.name == "dns_config" => b.body.iter().find_map(|i| match i {
            Item::Attribute(a) if a.name.name == "namespace_id" => Some(a.clone()),
            _ => None,
        }),
        _ => None,
    });
    let Some(in_config) = in_config else { return };
    let Some(at) = block.body.iter().position(is_namespace) else {
        return;
    };
    let Item::Attribute(top) = block.body.remove(at) else {
        return;
    };
    let text = |e: &Expr| reference_text(e.unwrapped()).or_else(|| literal(e).map(str::to_owned));
    if text(&top.value).is_none() || text(&top.value) != text(&in_config.value) {
        diags.push(
            Diagnostic::error(
                CODE,
                "the namespace is written twice, differently",
                top.value.span,
            )
            .label("on the service")
            .also(in_config.value.span, "in `dns_config`")
            .help("a Cloud Map service is in one namespace: keep the `namespace_id` of `dns_config`"),
        );
    }
}

/// The text of a reference, an instance's index included (tfstack's
/// counted namespace, `aws_service_discovery_private_dns_namespace.ns[0].id`
/// on the service and in `dns_config`: "written twice, differently"
/// before); `None` for anything else.
fn reference_text(e: &Expr) -> Option<String> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    let mut text = t.root.name.clone();
    for step in &t.steps {
        match step {
            Step::Attr(a) => {
                text.push('.');
                text.push_str(&a.name);
            }
            Step::Index(i) => {
                let key = match &i.kind {
                    ExprKind::Int(n) => n.to_string(),
                    _ => literal(i)
                        .map(|k| format!("{k:?}"))
                        .or_else(|| reference_text(i))?,
                };
                text.push('[');
                text.push_str(&key);
                text.push(']');
            }
            Step::Splat(_) => return None,
        }
    }
    Some(text)
}

/// A hosted zone's `vpc { vpc_id  vpc_region }` blocks (Terraform's
/// private zone, CloudFormation's `VPCs`): berth's `vpcs`, one element per
/// block. `vpc_region` is left out: a zone's VPCs are in the stack's
/// region, and one of another region is not found by its id.
fn zone_vpcs(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let mut vpcs: Vec<Expr> = Vec::new();
    let mut first = None;
    for item in std::mem::take(&mut block.body) {
        match item {
            Item::Block(b) if b.kind.name == "vpc" => {
                first.get_or_insert(b.kind.span);
                for inner in b.body {
                    match inner {
                        Item::Attribute(a) if a.name.name == "vpc_id" => vpcs.push(a.value),
                        Item::Attribute(a) if a.name.name == "vpc_region" => {}
                        other => diags.push(stray(
                            &other,
                            "a hosted zone's `vpc` block",
                            "`vpc_id` and `vpc_region`",
                        )),
                    }
                }
            }
            other => block.body.push(other),
        }
    }
    if let Some(span) = first {
        block.body.push(Item::Attribute(Attribute {
            name: Ident {
                name: "vpcs".into(),
                span,
            },
            value: Expr {
                kind: ExprKind::List(vpcs),
                span,
            },
            span,
        }));
    }
}

/// A load balancer's `subnet_mapping { subnet_id }` blocks (gadget-app's
/// terraformer output), which without Elastic IPs or fixed addresses say
/// what `subnets` says: its `subnets`.
fn subnet_mappings(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let mut subnets: Vec<Expr> = Vec::new();
    let mut first = None;
    for item in std::mem::take(&mut block.body) {
        match item {
            Item::Block(b) if b.kind.name == "subnet_mapping" => {
                first.get_or_insert(b.kind.span);
                for inner in b.body {
                    match inner {
                        Item::Attribute(a) if a.name.name == "subnet_id" => subnets.push(a.value),
                        other => diags.push(stray(
                            &other,
                            "a load balancer's `subnet_mapping` block",
                            "`subnet_id` (Elastic IPs and fixed addresses are not written yet)",
                        )),
                    }
                }
            }
            other => block.body.push(other),
        }
    }
    let Some(span) = first else { return };
    let call = |name: &str, args: Vec<Expr>| super::call_at(name, args, span);
    let mapped = Expr {
        kind: ExprKind::List(subnets),
        span,
    };
    // Terraformer writes both, the same subnets: one list of them.
    if let Some(a) = block.body.iter_mut().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "subnets" => Some(a),
        _ => None,
    }) {
        let written = std::mem::replace(&mut a.value, mapped.clone());
        a.value = call("distinct", vec![call("concat", vec![written, mapped])]);
        return;
    }
    block.body.push(Item::Attribute(Attribute {
        name: Ident {
            name: "subnets".into(),
            span,
        },
        value: mapped,
        span,
    }));
}

/// A cluster's `configuration { execute_command_configuration { kms_key_id
/// logging  log_configuration { ... } } }`: berth's `execute_command { }`
/// block, flat.
fn configuration(b: Block, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    const EXECUTE_COMMAND: &[(&str, &str)] = &[("kms_key_id", "kms_key"), ("logging", "logging")];
    const LOG: &[(&str, &str)] = &[
        ("cloud_watch_log_group_name", "log_group"),
        ("cloud_watch_encryption_enabled", "log_group_encryption"),
        ("s3_bucket_name", "s3_bucket"),
        ("s3_key_prefix", "s3_key_prefix"),
        ("s3_bucket_encryption_enabled", "s3_encryption"),
    ];
    let names = |renames: &[(&'static str, &str)]| super::listed(renames.iter().map(|(tf, _)| *tf));
    let mut log = |l: Block, diags: &mut Vec<Diagnostic>| {
        if l.kind.name != "log_configuration" {
            return Err(l);
        }
        let what = ("a `log_configuration` block", names(LOG));
        Ok(super::renamed_settings(
            l.body,
            LOG,
            (what.0, &what.1),
            &mut super::no_blocks,
            diags,
        ))
    };
    let mut execute_command = |e: Block, diags: &mut Vec<Diagnostic>| {
        if e.kind.name != "execute_command_configuration" {
            return Err(e);
        }
        let takes = format!("{}, `log_configuration`", names(EXECUTE_COMMAND));
        let what = ("an `execute_command_configuration` block", takes.as_str());
        let body = super::renamed_settings(e.body, EXECUTE_COMMAND, what, &mut log, diags);
        Ok(vec![Item::Block(Block {
            kind: Ident {
                name: "execute_command".to_owned(),
                span: e.kind.span,
            },
            subkind: None,
            label: None,
            body,
            span: e.span,
        })])
    };
    let what = (
        "a cluster's `configuration` block",
        "`execute_command_configuration`",
    );
    super::renamed_settings(b.body, &[], what, &mut execute_command, diags)
}

/// A task definition's `volume { name  efs_volume_configuration { ...
/// authorization_config { } } }`: berth's `volume NAME { efs { } }`, or a
/// bind mount without a configuration block.
fn volume(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    const EFS: &[(&str, &str)] = &[
        ("file_system_id", "file_system_id"),
        ("root_directory", "root_directory"),
        ("transit_encryption", "transit_encryption"),
        ("transit_encryption_port", "transit_encryption_port"),
    ];
    const AUTHORIZATION: &[(&str, &str)] = &[("access_point_id", "access_point"), ("iam", "iam")];
    let mut name = None;
    let mut body = Vec::new();
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a.value),
            // What Fargate's bind mounts leave out, as terraform-aws-modules/ecs
            // writes it on every volume: no host path, not configured at launch.
            Item::Attribute(a)
                if matches!(
                    (a.name.name.as_str(), &a.value.kind),
                    ("host_path", ExprKind::Null)
                        | ("configure_at_launch", ExprKind::Null | ExprKind::Bool(false))
                ) => {}
            Item::Block(efs) if efs.kind.name == "efs_volume_configuration" => {
                let mut authorization = |inner: Block, diags: &mut Vec<Diagnostic>| {
                    if inner.kind.name != "authorization_config" {
                        return Err(inner);
                    }
                    let takes = super::listed(AUTHORIZATION.iter().map(|(tf, _)| *tf));
                    Ok(super::renamed_settings(
                        inner.body,
                        AUTHORIZATION,
                        ("an `authorization_config` block", &takes),
                        &mut super::no_blocks,
                        diags,
                    ))
                };
                let takes = super::listed(EFS.iter().map(|(tf, _)| *tf).chain(["authorization_config"]));
                let mut settings = super::renamed_settings(
                    efs.body,
                    EFS,
                    ("an `efs_volume_configuration` block", &takes),
                    &mut authorization,
                    diags,
                );
                // AWS's provider ignores `root_directory` beside an access
                // point (its docs say so; bridgecrew's Grafana repeats the
                // access point's path there), and ECS refuses it.
                let access_point = settings
                    .iter()
                    .any(|i| matches!(i, Item::Attribute(a) if a.name.name == "access_point"));
                if access_point {
                    settings.retain(|i| !matches!(i, Item::Attribute(a) if a.name.name == "root_directory"));
                }
                body.push(Item::Block(Block {
                    kind: Ident {
                        name: "efs".into(),
                        span: efs.kind.span,
                    },
                    body: settings,
                    ..efs
                }));
            }
            Item::Block(s3) if s3.kind.name == "s3files_volume_configuration" => diags.push(
                Diagnostic::error(CODE, "S3 Files volumes are not written yet", s3.kind.span)
                    .label("an S3 Files volume")
                    .help("a Fargate volume is a bind mount or an `efs_volume_configuration` (docs/porting.md, \"Not written yet\")"),
            ),
            other => diags.push(stray(
                &other,
                "a task definition's `volume`",
                "`name` and an `efs_volume_configuration` block (Fargate's other volumes are bind mounts, which take neither Docker's nor FSx's configuration)",
            )),
        }
    }
    let label = super::name_label(name, None, ("a volume", "volumes"), diags)?;
    Some(Item::Block(Block {
        label: Some(label),
        body,
        ..b
    }))
}

/// A rule's `is_enabled` (version 4 of Terraform's AWS provider; a bool,
/// `"true"` or `"false"`, or what a variable holds): berth's `state`.
fn is_enabled(a: Attribute) -> Item {
    let span = a.value.span;
    let text = |state: &str| Expr {
        kind: ExprKind::String(vec![StrPart::Lit(state.into())]),
        span,
    };
    let value = match (&a.value.kind, literal(&a.value)) {
        (ExprKind::Bool(true), _) | (_, Some("true")) => text("ENABLED"),
        (ExprKind::Bool(false), _) | (_, Some("false")) => text("DISABLED"),
        // A variable's (tmknom's scheduled task module): decided once
        // evaluated, as a condition is (`"true"` too).
        _ => Expr {
            kind: ExprKind::Conditional(
                Box::new(a.value.clone()),
                Box::new(text("ENABLED")),
                Box::new(text("DISABLED")),
            ),
            span,
        },
    };
    Item::Attribute(renamed(Attribute { value, ..a }, "state"))
}

/// A target group's `stickiness { type = "lb_cookie"  cookie_duration
/// enabled }`: berth's `stickiness`, the duration (Terraform's default a
/// day), when enabled.
fn stickiness(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let (mut enabled, mut duration, mut kind) = (None, None, None);
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "enabled" => enabled = Some(a.value),
            Item::Attribute(a) if a.name.name == "cookie_duration" => duration = Some(a.value),
            Item::Attribute(a) if a.name.name == "type" => kind = Some(a.value),
            // An application cookie's name, empty for a load balancer's
            // cookie (USSBA's module writes its variable's `""`).
            Item::Attribute(a) if a.name.name == "cookie_name" && literal(&a.value) == Some("") => {}
            other => diags.push(stray(
                &other,
                "a target group's `stickiness` block",
                "`type = \"lb_cookie\"`, `cookie_duration` and `enabled`",
            )),
        }
    }
    if let Some(k) = &kind
        && literal(k) != Some("lb_cookie")
    {
        diags.push(
            Diagnostic::error(CODE, "berth writes load balancer cookie stickiness only", k.span)
                .label("not `\"lb_cookie\"`")
                .help("application cookies and a Network Load Balancer's source IP stickiness are not written yet"),
        );
        return None;
    }
    let duration = duration.unwrap_or(Expr {
        kind: ExprKind::Int(86_400),
        span: b.kind.span,
    });
    let value = match enabled {
        Some(Expr {
            kind: ExprKind::Bool(false),
            ..
        }) => return None,
        None
        | Some(Expr {
            kind: ExprKind::Bool(true),
            ..
        }) => duration,
        // Known once evaluated: the duration, or no stickiness.
        Some(cond) => Expr {
            span: cond.span.to(duration.span),
            kind: ExprKind::Conditional(
                Box::new(cond),
                Box::new(duration.clone()),
                Box::new(Expr {
                    kind: ExprKind::Null,
                    span: duration.span,
                }),
            ),
        },
    };
    Some(Item::Attribute(Attribute {
        name: Ident {
            name: "stickiness".into(),
            span: b.kind.span,
        },
        value,
        span: b.span,
    }))
}

/// A cluster's `setting { name = "containerInsights"  value }`: berth's
/// `container_insights` (`"enabled"`, `"disabled"` or `"enhanced"`).
fn setting(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let (mut name, mut value) = (None, None);
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a.value),
            Item::Attribute(a) if a.name.name == "value" => value = Some(a),
            other => diags.push(stray(&other, "a cluster's `setting` block", "`name` and `value`")),
        }
    }
    match (name.as_ref().and_then(literal), value) {
        (Some("containerInsights"), Some(value)) => {
            Some(Item::Attribute(renamed(value, "container_insights")))
        }
        (Some("containerInsights"), None) => {
            diags.push(
                Diagnostic::error(CODE, "a `setting` needs its `value`", b.kind.span)
                    .label("no `value`")
                    .help("add `value = \"enabled\"`"),
            );
            None
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    CODE,
                    "a cluster's one setting is `containerInsights`",
                    name.map_or(b.kind.span, |n| n.span),
                )
                .label("not `\"containerInsights\"`")
                .help("write `name = \"containerInsights\"`, or `container_insights` on the cluster"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// tfstack's Cloud Map module counts its namespace and names
    /// `ns[0].id` on the service and in `dns_config`: "written twice,
    /// differently" (E0211), where the uncounted text was taken.
    #[test]
    fn a_counted_namespace_named_twice_alike_is_one() {
        let service = |top: &str| {
            resources(&format!(
                "resource \"aws_vpc\" \"v\" {{ cidr_block = \"10.0.0.0/16\" }}\n\
                 resource \"aws_service_discovery_private_dns_namespace\" \"ns\" {{\n  count = 1\n  name = \"internal.example\"\n  vpc = aws_vpc.v.id\n}}\n\
                 resource \"aws_service_discovery_service\" \"svc\" {{\n  name = \"worker\"\n{top}  dns_config {{\n    namespace_id = aws_service_discovery_private_dns_namespace.ns[0].id\n    dns_records {{\n      ttl = 10\n      type = \"A\"\n    }}\n  }}\n}}\n"
            ))
            .remove("discovery_service.svc")
            .expect("the service")
        };
        assert_eq!(
            service("  namespace_id = aws_service_discovery_private_dns_namespace.ns[0].id\n"),
            service("")
        );
    }

    const NETWORK: &str = "vpc main { cidr = \"10.0.0.0/16\" }\n\
        subnet a {\n  vpc = vpc.main\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}\n\
        subnet b {\n  vpc = vpc.main\n  cidr = \"10.0.2.0/24\"\n  zone = \"us-east-1b\"\n}\n";

    /// gadget-app's terraformer output: `subnet_mapping { subnet_id }`
    /// blocks without Elastic IPs were E0205 (and E0204: no `subnets`).
    #[test]
    fn subnet_mappings_are_the_load_balancers_subnets() {
        let lb = |subnets: &str| {
            resources(&format!(
                "{NETWORK}resource \"aws_lb\" \"web\" {{\n  name = \"web\"\n  internal = true\n{subnets}}}\n"
            ))
            .remove("load_balancer.web")
            .expect("the load balancer")
        };
        let mapped =
            "  subnet_mapping { subnet_id = subnet.a.id }\n  subnet_mapping { subnet_id = subnet.b.id }\n";
        let listed = "  subnets = [subnet.a.id, subnet.b.id]\n";
        assert_eq!(lb(mapped), lb(listed));
        assert_eq!(lb(&format!("{listed}{mapped}")), lb(listed));
    }
}
