//! Terraform's resources that only attach one thing to another
//! (`aws_internet_gateway_attachment`, `aws_route_table_association`, `aws_route`,
//! `aws_iam_role_policy_attachment`, `aws_iam_role_policy`,
//! `aws_ecs_cluster_capacity_providers`, `aws_ecr_repository_policy`,
//! `aws_ecr_lifecycle_policy`, `aws_kms_alias`, `aws_sns_topic_subscription`,
//! `aws_network_acl_rule`, `aws_network_acl_association`,
//! `aws_sns_topic_policy`, `aws_s3_bucket_policy` and the bucket's
//! versioning, encryption, public access block, ownership controls and
//! lifecycle configuration, `aws_sqs_queue_policy` and
//! `aws_sqs_queue_redrive_policy`, `aws_efs_mount_target` and
//! `aws_efs_file_system_policy`, `aws_lb_listener_certificate`,
//! `aws_route53_zone_association`, `aws_iam_role_policy_attachments_exclusive`,
//! `aws_iam_policy_attachment`, `aws_cloudwatch_log_metric_filter`): berth
//! writes each as a setting of the resource it attaches to, so such a
//! block is folded into that resource, wherever in the stack's files it
//! is declared. A repeated
//! attachment (`count`, `for_each`) folds into a list built by a `for`
//! expression or a `dynamic` block, or, when it repeats as its parent
//! does and names `[count.index]` (`[each.key]`) of it, into each
//! instance of the parent; one naming another instance (`[0]`) goes to
//! the instance it names.

use std::collections::BTreeMap;

use super::{CODE, is_path, renamed, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span};
use crate::syntax::ast::{
    Attribute, Block, Call, Expr, ExprKind, File, ForExpr, ForResult, Ident, Item, Label, Step, StrPart,
    Traversal,
};

/// What an attachment becomes on the resource it names.
enum Into {
    /// An element of the parent's list attribute `list`: the value of the
    /// attachment's first setting named in `value`.
    Element {
        list: &'static str,
        value: &'static [&'static str],
    },
    /// A nested block of the parent, its settings renamed; `own_name`: the
    /// setting that takes the attachment's own name when it is left out.
    Block {
        block: &'static str,
        renames: &'static [(&'static str, &'static str)],
        own_name: Option<&'static str>,
        /// Nested blocks taken as written (a metric filter's
        /// `metric_transformation`).
        blocks: &'static [&'static str],
        /// The setting that, written `true`, makes it this other block
        /// (a `network_acl_rule`'s `egress`).
        or: Option<(&'static str, &'static str)>,
    },
    /// An inline `policy NAME { document }` of a role, named by `name`
    /// (else the attachment's own name).
    Policy,
    /// What the attachment's setting `from` says, read into the parent's
    /// own settings or blocks by `read`.
    Read {
        from: &'static str,
        read: fn(Expr, &mut Vec<Diagnostic>) -> Vec<Item>,
    },
    /// Every element of the list the attachment's setting `value` holds,
    /// added to the parent's list attribute `list` (a role's exclusive
    /// policy attachments: its `policies`, beside the ones attached one by
    /// one, which Terraform's docs list in both).
    Elements {
        list: &'static str,
        value: &'static [&'static str],
    },
    /// What the parent does without it: taken, and nothing added (a
    /// subnet associated with the VPC's main table, which every subnet no
    /// table names uses); `value` is the setting it must hold.
    Implied { value: &'static [&'static str] },
    /// Settings and blocks of the parent itself, named as berth does.
    Settings {
        renames: &'static [(&'static str, &'static str)],
        blocks: &'static [&'static str],
        /// Settings left out are `false`: the attachment's default, not
        /// the parent's (an `s3_bucket_public_access_block`'s flags).
        left_out_false: bool,
    },
}

/// A kind of attachment: its names (Terraform's without `aws_`, and
/// berth's shorter one), the kind it attaches to, the settings naming
/// that resource, and what it becomes there.
struct Attachment {
    kinds: &'static [&'static str],
    parent: &'static str,
    by: &'static [&'static str],
    into: Into,
}

const ROUTE_TABLE: &[&str] = &["route_table_id", "route_table"];
const BUCKET: &[&str] = &["bucket"];
/// Terraform's name of the queue an SQS attachment names (its URL).
const QUEUE: &[&str] = &["queue_url", "queue"];
/// Terraform's name of the file system an EFS attachment names.
const FILE_SYSTEM: &[&str] = &["file_system_id", "file_system"];

/// Terraform's `aws_route` as a `route` block of its table.
const ROUTE: Into = Into::Block {
    own_name: None,
    blocks: &[],
    or: None,
    block: "route",
    renames: &[
        ("destination_cidr_block", "cidr"),
        ("cidr", "cidr"),
        ("gateway_id", "gateway"),
        ("gateway", "gateway"),
        ("nat_gateway_id", "nat_gateway"),
        ("nat_gateway", "nat_gateway"),
        ("transit_gateway_id", "transit_gateway"),
        ("transit_gateway", "transit_gateway"),
        ("vpc_peering_connection_id", "peering_connection"),
        ("peering_connection", "peering_connection"),
    ],
};

/// Terraform's name of the ACL an ACL attachment names.
const NETWORK_ACL: &[&str] = &["network_acl_id", "network_acl"];

/// Terraform's `aws_network_acl_rule` as an `ingress` block of its ACL, or
/// an `egress` one with `egress = true`.
const ACL_ENTRY: Into = Into::Block {
    own_name: None,
    blocks: &[],
    or: Some(("egress", "egress")),
    block: "ingress",
    renames: &[
        ("rule_number", "rule_no"),
        ("rule_no", "rule_no"),
        ("rule_action", "action"),
        ("action", "action"),
        ("protocol", "protocol"),
        ("cidr_block", "cidr"),
        ("ipv6_cidr_block", "cidr"),
        ("cidr", "cidr"),
        ("from_port", "from_port"),
        ("to_port", "to_port"),
        ("icmp_type", "icmp_type"),
        ("icmp_code", "icmp_code"),
    ],
};

const ATTACHMENTS: &[Attachment] = &[
    // Terraform's (and CloudFormation's `VPCGatewayAttachment`, every CDK
    // VPC's): the gateway's `vpc`.
    Attachment {
        kinds: &["internet_gateway_attachment"],
        parent: "internet_gateway",
        by: &["internet_gateway_id", "internet_gateway"],
        into: Into::Settings {
            renames: &[("vpc_id", "vpc"), ("vpc", "vpc")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["network_acl_association"],
        parent: "network_acl",
        by: NETWORK_ACL,
        into: Into::Element {
            list: "subnets",
            value: &["subnet_id", "subnet"],
        },
    },
    Attachment {
        kinds: &["network_acl_rule"],
        parent: "network_acl",
        by: NETWORK_ACL,
        into: ACL_ENTRY,
    },
    // A rule on the VPC's default ACL (`aws_default_network_acl.NAME.id`,
    // or `aws_vpc.NAME.default_network_acl_id` read as that block).
    Attachment {
        kinds: &["network_acl_rule"],
        parent: "default_network_acl",
        by: NETWORK_ACL,
        into: ACL_ENTRY,
    },
    // A private zone's other VPCs (Terraform's, beside the zone's own
    // `vpc` block, which `lifecycle { ignore_changes = [vpc] }` leaves to
    // it).
    Attachment {
        kinds: &["route53_zone_association"],
        parent: "hosted_zone",
        by: &["zone_id"],
        into: Into::Element {
            list: "vpcs",
            value: &["vpc_id"],
        },
    },
    Attachment {
        kinds: &["route_table_association"],
        parent: "route_table",
        by: ROUTE_TABLE,
        into: Into::Element {
            list: "subnets",
            value: &["subnet_id", "subnet"],
        },
    },
    Attachment {
        kinds: &["route"],
        parent: "route_table",
        by: ROUTE_TABLE,
        into: ROUTE,
    },
    // GeoMatch's S3 gateway endpoint, its route tables added one by one.
    Attachment {
        kinds: &["vpc_endpoint_route_table_association"],
        parent: "vpc_endpoint",
        by: &["vpc_endpoint_id"],
        into: Into::Element {
            list: "route_tables",
            value: &["route_table_id"],
        },
    },
    Attachment {
        kinds: &["vpc_endpoint_subnet_association"],
        parent: "vpc_endpoint",
        by: &["vpc_endpoint_id"],
        into: Into::Element {
            list: "subnets",
            value: &["subnet_id"],
        },
    },
    Attachment {
        kinds: &["vpc_endpoint_security_group_association"],
        parent: "vpc_endpoint",
        by: &["vpc_endpoint_id"],
        into: Into::Element {
            list: "security_groups",
            value: &["security_group_id"],
        },
    },
    // A subnet associated with the VPC's main table (tutorials' routes on
    // `aws_vpc.NAME.main_route_table_id`, each subnet associated with it):
    // the table a subnet no other table names uses anyway.
    Attachment {
        kinds: &["route_table_association"],
        parent: "default_route_table",
        by: ROUTE_TABLE,
        into: Into::Implied {
            value: &["subnet_id", "subnet"],
        },
    },
    // A route on the VPC's main table (`aws_vpc.NAME.main_route_table_id`,
    // read as the block taking it over).
    Attachment {
        kinds: &["route"],
        parent: "default_route_table",
        by: ROUTE_TABLE,
        into: ROUTE,
    },
    Attachment {
        kinds: &["iam_role_policy_attachment", "role_policy_attachment"],
        parent: "role",
        by: &["role"],
        into: Into::Element {
            list: "policies",
            value: &["policy_arn", "policy"],
        },
    },
    // AWS provider 5.73's exact set of a role's managed policies: berth's
    // `policies` are that set already (others are detached).
    Attachment {
        kinds: &["iam_role_policy_attachments_exclusive"],
        parent: "role",
        by: &["role_name"],
        into: Into::Elements {
            list: "policies",
            value: &["policy_arns"],
        },
    },
    // Terraform's older exclusive attachment of one policy to roles (and
    // users and groups, which berth does not write): once per role
    // (`unrolled`).
    Attachment {
        kinds: &["iam_policy_attachment"],
        parent: "role",
        by: &["roles"],
        into: Into::Element {
            list: "policies",
            value: &["policy_arn"],
        },
    },
    Attachment {
        kinds: &["iam_role_policy", "role_policy"],
        parent: "role",
        by: &["role"],
        into: Into::Policy,
    },
    Attachment {
        kinds: &["ecs_cluster_capacity_providers", "cluster_capacity_providers"],
        parent: "cluster",
        by: &["cluster_name", "cluster"],
        into: Into::Settings {
            renames: &[("capacity_providers", "capacity_providers")],
            blocks: &["default_capacity_provider_strategy"],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["ecr_repository_policy", "repository_policy"],
        parent: "ecr_repository",
        by: &["repository"],
        into: Into::Settings {
            renames: &[("policy", "policy")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["ecr_lifecycle_policy", "lifecycle_policy"],
        parent: "ecr_repository",
        by: &["repository"],
        into: Into::Read {
            from: "policy",
            read: super::ecr_lifecycle::rules,
        },
    },
    Attachment {
        kinds: &["sns_topic_subscription", "topic_subscription"],
        parent: "sns_topic",
        by: &["topic_arn", "topic"],
        into: Into::Block {
            own_name: None,
            blocks: &[],
            or: None,
            block: "subscription",
            renames: &[
                ("protocol", "protocol"),
                ("endpoint", "endpoint"),
                ("raw_message_delivery", "raw_message_delivery"),
                ("filter_policy", "filter_policy"),
                ("subscription_role_arn", "subscription_role"),
                ("subscription_role", "subscription_role"),
            ],
        },
    },
    Attachment {
        kinds: &["sns_topic_policy", "topic_policy"],
        parent: "sns_topic",
        by: &["arn"],
        into: Into::Settings {
            renames: &[("policy", "policy")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["s3_bucket_policy", "bucket_policy"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[("policy", "policy")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["s3_bucket_acl", "bucket_acl"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[("acl", "acl")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["secretsmanager_secret_version", "secret_version"],
        parent: "secret",
        by: &["secret_id", "secret"],
        into: Into::Settings {
            renames: &[("secret_string", "value")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["s3_bucket_versioning"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[("versioning", "versioning")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["s3_bucket_server_side_encryption_configuration"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[
                ("encryption", "encryption"),
                ("kms_key", "kms_key"),
                ("bucket_key", "bucket_key"),
            ],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["s3_bucket_public_access_block"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[
                ("block_public_acls", "block_public_acls"),
                ("block_public_policy", "block_public_policy"),
                ("ignore_public_acls", "ignore_public_acls"),
                ("restrict_public_buckets", "restrict_public_buckets"),
            ],
            blocks: &[],
            left_out_false: true,
        },
    },
    Attachment {
        kinds: &["s3_bucket_ownership_controls"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[("object_ownership", "object_ownership")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["s3_bucket_lifecycle_configuration"],
        parent: "s3_bucket",
        by: BUCKET,
        into: Into::Settings {
            renames: &[],
            blocks: &["lifecycle_rule"],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["sqs_queue_policy", "queue_policy"],
        parent: "sqs_queue",
        by: QUEUE,
        into: Into::Settings {
            renames: &[("policy", "policy")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["sqs_queue_redrive_policy"],
        parent: "sqs_queue",
        by: QUEUE,
        into: Into::Read {
            from: "redrive_policy",
            read: super::sqs::redrive_policy,
        },
    },
    Attachment {
        kinds: &["efs_mount_target", "mount_target"],
        parent: "efs_file_system",
        by: FILE_SYSTEM,
        into: Into::Block {
            own_name: None,
            blocks: &[],
            or: None,
            block: "mount_target",
            renames: &[
                ("subnet_id", "subnet"),
                ("subnet", "subnet"),
                ("security_groups", "security_groups"),
                ("ip_address", "ip_address"),
            ],
        },
    },
    Attachment {
        kinds: &["efs_file_system_policy"],
        parent: "efs_file_system",
        by: FILE_SYSTEM,
        into: Into::Settings {
            renames: &[("policy", "policy")],
            blocks: &[],
            left_out_false: false,
        },
    },
    Attachment {
        kinds: &["cloudwatch_log_metric_filter", "log_metric_filter"],
        parent: "log_group",
        by: &["log_group_name", "log_group"],
        into: Into::Block {
            block: "metric_filter",
            own_name: Some("name"),
            or: None,
            blocks: &["metric_transformation"],
            renames: &[("name", "name"), ("pattern", "pattern")],
        },
    },
    Attachment {
        kinds: &["cloudwatch_event_target", "event_target"],
        parent: "event_rule",
        by: &["rule"],
        into: Into::Block {
            block: "target",
            own_name: Some("id"),
            blocks: &[],
            or: None,
            // `ecs_target`, `dead_letter_config`, `retry_policy` and
            // `sqs_target` are flattened already (`flatten`).
            renames: &[
                ("target_id", "id"),
                ("id", "id"),
                ("arn", "arn"),
                ("role_arn", "role"),
                ("role", "role"),
                ("input", "input"),
                ("input_path", "input_path"),
                ("task_definition", "task_definition"),
                ("task_count", "task_count"),
                ("launch_type", "launch_type"),
                ("platform_version", "platform_version"),
                ("subnets", "subnets"),
                ("security_groups", "security_groups"),
                ("public_ip", "public_ip"),
                ("propagate_tags", "propagate_tags"),
                ("enable_ecs_managed_tags", "enable_ecs_managed_tags"),
                ("enable_execute_command", "enable_execute_command"),
                ("group", "group"),
                ("dead_letter_queue", "dead_letter_queue"),
                ("maximum_event_age", "maximum_event_age"),
                ("maximum_retry_attempts", "maximum_retry_attempts"),
                ("message_group_id", "message_group_id"),
            ],
        },
    },
    Attachment {
        kinds: &["kms_alias"],
        parent: "kms_key",
        by: &["target_key_id", "target_key"],
        into: Into::Element {
            list: "aliases",
            value: &["name"],
        },
    },
    Attachment {
        kinds: &["lb_listener_certificate", "listener_certificate"],
        parent: "listener",
        by: &["listener_arn", "listener"],
        into: Into::Element {
            list: "certificates",
            value: &["certificate_arn", "certificate"],
        },
    },
];

/// Meta-settings of an attachment: how it repeats (which repeats its
/// folding), and `depends_on`, whose order its parent's own references
/// keep once it is a setting of that parent.
const META: [&str; 3] = ["count", "for_each", crate::check::declare::DEPENDS_ON];

/// AWS provider 6's per-resource region.
const REGION: &str = "region";

/// The names a `for` expression made here binds.
const COUNT_INDEX: &str = "count_index";
const EACH_VALUE: &str = "each_value";
const EACH_KEY: &str = "each_key";

/// Whether `kind` names an attachment folded into its parent.
pub(crate) fn is_attachment(kind: &str) -> bool {
    ATTACHMENTS.iter().any(|a| a.kinds.contains(&kind))
}

/// Whether `setting` of an attachment of `kind` may name its parent.
pub(crate) fn names_its_parent(kind: &str, setting: &str) -> bool {
    ATTACHMENTS
        .iter()
        .any(|a| a.kinds.contains(&kind) && a.by.contains(&setting))
}

/// How an attachment repeats.
#[derive(Clone)]
enum Repeat {
    Count(Expr),
    ForEach(Expr),
}

impl Repeat {
    fn meta(&self) -> &'static str {
        match self {
            Repeat::Count(_) => "count",
            Repeat::ForEach(_) => "for_each",
        }
    }

    fn expr(&self) -> &Expr {
        match self {
            Repeat::Count(e) | Repeat::ForEach(e) => e,
        }
    }
}

/// A resource an attachment names: `KIND.NAME`, with the instance's key
/// when it is repeated.
pub(super) struct Parent {
    pub(super) name: String,
    index: Option<Expr>,
}

/// An attachment taken out of its file.
struct Taken {
    spec: &'static Attachment,
    block: Block,
    repeat: Option<Repeat>,
    parent: Parent,
    /// The setting that named the parent.
    by: Attribute,
    /// AWS provider 6's `region`: an attachment is in its parent's.
    region: Option<Attribute>,
}

/// What is added to one parent.
#[derive(Default)]
struct Additions {
    /// Elements of the parent's list attributes, by attribute.
    elements: BTreeMap<&'static str, Vec<Expr>>,
    items: Vec<Item>,
    /// An attachment's `region`, for a parent that does not say its own.
    region: Option<Attribute>,
}

/// Folds every attachment of `files` into the resource it names, and
/// returns each one's parent by kind and name; what
/// cannot be folded is an E0211 in `diags` and is left out. `complete`:
/// every file of the stack parsed, so a parent not found is not there.
pub(super) fn fold(
    files: &mut [(FileId, File)],
    sources: &Sources,
    complete: bool,
    diags: &mut Vec<Diagnostic>,
) -> super::Folded {
    let mut folded = super::Folded::new();
    let parents = declared(files);
    let mut taken = Vec::new();
    for (_, file) in files.iter_mut() {
        for block in std::mem::take(&mut file.blocks) {
            match spec_of(&block) {
                Some(spec) => {
                    for block in unrolled(spec, block) {
                        if let Some(t) = take(spec, block, &parents, complete, diags) {
                            taken.push(t);
                        }
                    }
                }
                None => file.blocks.push(block),
            }
        }
    }
    let mut additions: BTreeMap<(String, String), Additions> = BTreeMap::new();
    for mut t in taken {
        let key = (t.spec.parent.to_owned(), t.parent.name.clone());
        if let Some(Label::Ident(name)) = &t.block.label {
            folded.insert((t.block.kind.name.clone(), name.name.clone()), key.clone());
        }
        let Some(repeat) = placement(&mut t, &parents, sources, diags) else {
            continue;
        };
        let add = additions.entry(key).or_default();
        if add.region.is_none() {
            add.region = t.region.take();
        }
        contribute(t, repeat, add, diags);
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            if let Some(Label::Ident(name)) = &block.label
                && let Some(add) = additions.remove(&(block.kind.name.clone(), name.name.clone()))
            {
                apply(block, add, diags);
            }
        }
    }
    folded
}

/// The attachment `block` is: of its kind, the one whose parent its
/// setting naming the parent names (a route's table or main table), else
/// the first.
fn spec_of(block: &Block) -> Option<&'static Attachment> {
    let mut specs = ATTACHMENTS
        .iter()
        .filter(|a| a.kinds.contains(&block.kind.name.as_str()))
        .peekable();
    let first = *specs.peek()?;
    Some(specs.find(|s| names_parent(s, block)).unwrap_or(first))
}

/// Whether `block` names a parent of `spec`'s kind in one of its settings
/// naming the parent.
fn names_parent(spec: &Attachment, block: &Block) -> bool {
    block.body.iter().any(|item| {
        matches!(item, Item::Attribute(a)
            if spec.by.contains(&a.name.name.as_str()) && parent_of(spec.parent, &a.value).is_some())
    })
}

/// An `iam_policy_attachment` written once per role of its `roles` list:
/// its own `name` left out (it names nothing AWS keeps), and its `users`
/// and `groups` when they list none.
fn per_role(mut block: Block) -> Vec<Block> {
    block.body.retain(|item| match item {
        Item::Attribute(a) => match a.name.name.as_str() {
            "name" => false,
            "users" | "groups" => {
                !matches!(&a.value.kind, ExprKind::List(l) if l.is_empty()) && a.value.kind != ExprKind::Null
            }
            _ => true,
        },
        Item::Block(_) => true,
    });
    let roles = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "roles" => match &a.value.kind {
            ExprKind::List(items) => Some(items.clone()),
            _ => None,
        },
        _ => None,
    });
    let Some(roles) = roles else {
        return vec![block];
    };
    roles
        .into_iter()
        .map(|role| {
            let mut one = block.clone();
            for item in &mut one.body {
                if let Item::Attribute(a) = item
                    && a.name.name == "roles"
                {
                    a.value = role.clone();
                }
            }
            one
        })
        .collect()
}

/// The attachment `block` written once per element of its `for_each`
/// when that is a map or set written out whose elements name its
/// parents (`for_each = { exec = aws_iam_role.exec.name, task = ... }`
/// with `role = each.value`): each attachment on its own parent, as if
/// written so. Otherwise `block` itself.
fn unrolled(spec: &Attachment, block: Block) -> Vec<Block> {
    if block.kind.name == "iam_policy_attachment" {
        return per_role(block);
    }
    let by = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if spec.by.contains(&a.name.name.as_str()) => Some(&a.value),
        _ => None,
    });
    let reads_each = by.is_some_and(|by| {
        parent_of(spec.parent, by).is_none() && (uses(by, "each", "value") || uses(by, "each", "key"))
    });
    let elements = match repeat(&block.body) {
        Some(Repeat::ForEach(e)) if reads_each => elements(&e),
        _ => None,
    };
    let Some(elements) = elements else {
        return vec![block];
    };
    let made: Vec<Block> = elements
        .into_iter()
        .map(|(key, value)| {
            let mut made = block.clone();
            made.body
                .retain(|item| !matches!(item, Item::Attribute(a) if a.name.name == "for_each"));
            super::each_expr(&mut made, &mut |e| bind_each(e, &key, &value));
            made
        })
        .collect();
    match made.iter().all(|b| names_parent(spec, b)) {
        true => made,
        false => vec![block],
    }
}

/// The (`each.key`, `each.value`) of each element of a `for_each` written
/// out: a map's entries with keys written as names or strings, or a
/// list's or `toset`'s elements (each its own key).
fn elements(for_each: &Expr) -> Option<Vec<(Expr, Expr)>> {
    match &for_each.kind {
        ExprKind::Map(entries) => entries
            .iter()
            .map(|m| match m.key.computed {
                None => Some((Expr::text(&m.key.name, m.key.span), m.value.clone())),
                Some(_) => None,
            })
            .collect(),
        ExprKind::List(items) => Some(items.iter().map(|i| (i.clone(), i.clone())).collect()),
        ExprKind::Call(c) if c.name.name == "toset" && !c.expand => match c.args.as_slice() {
            [list] => elements(list).filter(|_| matches!(list.kind, ExprKind::List(_))),
            _ => None,
        },
        _ => None,
    }
}

/// `e` with each `each.key...` and `each.value...` in it read from `key`
/// and `value`.
fn bind_each(e: &mut Expr, key: &Expr, value: &Expr) {
    if let ExprKind::Traversal(t) = &e.kind
        && t.root.name == "each"
        && let Some((Step::Attr(which), rest)) = t.steps.split_first()
        && let Some(bound) = match which.name.as_str() {
            "key" => Some(key),
            "value" => Some(value),
            _ => None,
        }
    {
        let mut bound = bound.clone();
        if !rest.is_empty() {
            match &mut bound.kind {
                ExprKind::Traversal(b) => b.steps.extend(rest.iter().cloned()),
                _ => {
                    bound = Expr {
                        span: e.span,
                        kind: ExprKind::Postfix(Box::new(bound), rest.to_vec()),
                    }
                }
            }
        }
        *e = bound;
        return;
    }
    super::each_child(e, &mut |child| bind_each(child, key, value));
}

/// Every resource of `files` that may be a parent, by kind and name: its
/// `count` or `for_each`.
fn declared(files: &[(FileId, File)]) -> BTreeMap<(String, String), Option<Repeat>> {
    let mut out = BTreeMap::new();
    for (_, file) in files {
        for block in &file.blocks {
            if !ATTACHMENTS.iter().any(|a| a.parent == block.kind.name) {
                continue;
            }
            if let Some(Label::Ident(name)) = &block.label {
                out.insert((block.kind.name.clone(), name.name.clone()), repeat(&block.body));
            }
        }
    }
    out
}

fn repeat(body: &[Item]) -> Option<Repeat> {
    body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "count" => Some(Repeat::Count(a.value.clone())),
        Item::Attribute(a) if a.name.name == "for_each" => Some(Repeat::ForEach(a.value.clone())),
        _ => None,
    })
}

/// The attachment `block`, its meta-settings and the setting naming its
/// parent taken out of its body; E0211 when it names no parent of the
/// stack.
fn take(
    spec: &'static Attachment,
    mut block: Block,
    parents: &BTreeMap<(String, String), Option<Repeat>>,
    complete: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Taken> {
    let repeated = repeat(&block.body);
    let mut by = None;
    let mut region = None;
    block.body.retain(|item| match item {
        Item::Attribute(a) if META.contains(&a.name.name.as_str()) => false,
        Item::Attribute(a) if a.name.name == REGION => {
            region = Some(a.clone());
            false
        }
        Item::Attribute(a) if by.is_none() && spec.by.contains(&a.name.name.as_str()) => {
            by = Some(a.clone());
            false
        }
        _ => true,
    });
    let kind = &block.kind.name;
    let Some(by) = by else {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("a `{kind}` names its `{}`", spec.parent),
                block.kind.span,
            )
            .label(format!("no `{}`", spec.by[0]))
            .help(format!(
                "berth writes it on the `{0}` it belongs to: add `{1} = {0}.NAME`",
                spec.parent, spec.by[0]
            )),
        );
        return None;
    };
    let parent = parent_of(spec.parent, &by.value)
        .filter(|p| !complete || parents.contains_key(&(spec.parent.to_owned(), p.name.clone())));
    let Some(parent) = parent else {
        // Left out by an earlier rewrite that said why (a VPC's part no
        // block takes over).
        if matches!(by.value.kind, ExprKind::Null) {
            return None;
        }
        if complete {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("a `{kind}` is folded into a `{}` of this stack", spec.parent),
                    by.value.span,
                )
                .label(format!("not one of the stack's `{}` blocks", spec.parent))
                .help(format!(
                    "berth writes a `{kind}` as a setting of the `{0}` it names (`{0}.NAME`); \
                     one of another stack or tool is changed there",
                    spec.parent
                )),
            );
        }
        return None;
    };
    Some(Taken {
        spec,
        block,
        repeat: repeated,
        parent,
        by,
        region,
    })
}

/// `KIND.NAME`, `KIND.NAME.ATTR`, `KIND.NAME[KEY].ATTR`,
/// `element(KIND.NAME[*].ATTR, KEY)` (or of a `coalescelist` of such
/// lists), `one(KIND.NAME[*].ATTR)` or `"${...}"` of one of them.
pub(super) fn parent_of(kind: &str, e: &Expr) -> Option<Parent> {
    match &e.kind {
        ExprKind::Traversal(t) if t.root.name == kind => {
            let mut steps = t.steps.iter();
            let Some(Step::Attr(name)) = steps.next() else {
                return None;
            };
            let mut index = None;
            for step in steps {
                match step {
                    Step::Index(i) if index.is_none() => index = Some((**i).clone()),
                    Step::Attr(a) if matches!(a.name.as_str(), "id" | "name" | "arn" | "key_id" | "url") => {}
                    _ => return None,
                }
            }
            Some(Parent {
                name: name.name.clone(),
                index,
            })
        }
        ExprKind::Call(Call { name, args, .. }) if name.name == "element" && args.len() == 2 => {
            Some(Parent {
                name: listed_parent(kind, &args[0])?,
                index: Some(args[1].clone()),
            })
        }
        // cloudposse's `one(aws_iam_role.x[*].id)` of a parent counted to
        // one or none: its one instance (a list of it once the variables
        // count it to one, `inert/`).
        ExprKind::Call(Call { name, args, .. }) if name.name == "one" && args.len() == 1 => {
            match &args[0].kind {
                ExprKind::List(items) if items.len() == 1 => parent_of(kind, &items[0]),
                _ => Some(Parent {
                    name: listed_parent(kind, &args[0])?,
                    index: Some(Expr {
                        kind: ExprKind::Int(0),
                        span: args[0].span,
                    }),
                }),
            }
        }
        ExprKind::String(_) if !std::ptr::eq(e.unwrapped(), e) => parent_of(kind, e.unwrapped()),
        _ => None,
    }
}

/// The parent whose instances `e` lists: `KIND.NAME[*]` or
/// `KIND.NAME[*].ATTR`, or of `coalescelist(...)` the first list not
/// written empty (terraform-aws-modules/vpc's
/// `coalescelist(aws_route_table.database[*].id,
/// aws_route_table.private[*].id)`: a table counted to nothing reads as
/// `[]`, `inert/`).
fn listed_parent(kind: &str, e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Traversal(t) if t.root.name == kind => match t.steps.as_slice() {
            [Step::Attr(n), Step::Splat(_)] | [Step::Attr(n), Step::Splat(_), Step::Attr(_)] => {
                Some(n.name.clone())
            }
            _ => None,
        },
        ExprKind::Call(Call { name, args, .. }) if name.name == "coalescelist" => {
            let first = args
                .iter()
                .find(|a| !matches!(&a.kind, ExprKind::List(items) if items.is_empty()))?;
            listed_parent(kind, first)
        }
        _ => None,
    }
}

/// Where the attachment `t` goes: into the parent once, or once per its
/// repetition (the `Repeat` returned); E0211 when one instance of a
/// repeated parent cannot be told.
fn placement(
    t: &mut Taken,
    parents: &BTreeMap<(String, String), Option<Repeat>>,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<Repeat>> {
    let kind = &t.block.kind.name;
    let parent_repeat = parents
        .get(&(t.spec.parent.to_owned(), t.parent.name.clone()))
        .and_then(Option::as_ref);
    let Some(index) = &t.parent.index else {
        if parent_repeat.is_some() {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("which `{}` is this `{kind}` on?", t.spec.parent),
                    t.by.value.span,
                )
                .label(format!("`{}.{}` is repeated", t.spec.parent, t.parent.name))
                .help("name one instance, `[count.index]` or `[each.key]` as the parent repeats"),
            );
            return None;
        }
        return Some(t.repeat.clone());
    };
    // One instance of a repeated parent: the attachment repeats as the
    // parent does, and each of its instances goes to the parent's with
    // the same key.
    // A setting of the parent (not a block of it) is made once: counted
    // as the parent is, an attachment naming `[0]` is on the one instance
    // (terraform-aws-modules/ecs's `ecs_cluster_capacity_providers` with
    // `count = var.create ? 1 : 0` on `aws_ecs_cluster.this[0]`).
    let first = !matches!(t.spec.into, Into::Block { .. }) && matches!(index.kind, ExprKind::Int(0));
    // A parent the variables count to one (its `count` written out as `1`,
    // `inert/`): its instance `[0]` is all of it (cloudposse's role policy
    // on `one(aws_iam_role.exec[*].id)`).
    let counted_one = matches!(parent_repeat, Some(Repeat::Count(p)) if matches!(p.kind, ExprKind::Int(1)));
    if counted_one && t.repeat.is_none() && matches!(index.kind, ExprKind::Int(0)) {
        return Some(None);
    }
    let same = match (parent_repeat, &t.repeat) {
        (Some(Repeat::Count(p)), Some(Repeat::Count(a))) => {
            sources.text(p.span) == sources.text(a.span) && (first || is_path(index, "count", "index"))
        }
        (Some(Repeat::ForEach(p)), Some(Repeat::ForEach(a))) => {
            sources.text(p.span) == sources.text(a.span) && is_path(index, "each", "key")
        }
        _ => false,
    };
    if !same {
        // Another key, or another repetition: into the instances whose key
        // is the one named (terraform-aws-modules/vpc's
        // `route_table_id = aws_route_table.public[0].id`).
        if let Some(parent) = parent_repeat {
            let (parent, index) = (parent.clone(), index.clone());
            return keyed(t, &parent, index).map(Some).or_else(|| {
                diags.push(repeats_as_it_does(t, Some(&parent)));
                None
            });
        }
        diags.push(repeats_as_it_does(t, parent_repeat));
        return None;
    }
    Some(None)
}

/// Takes the setting `name` out of `items`: whether it is written `true`
/// (left out: false); None, with an E0211, when it is not a literal.
fn side(items: &mut Vec<Item>, name: &str, diags: &mut Vec<Diagnostic>) -> Option<bool> {
    let Some(at) = items
        .iter()
        .position(|i| matches!(i, Item::Attribute(a) if a.name.name == name))
    else {
        return Some(false);
    };
    let Item::Attribute(a) = items.remove(at) else {
        return None;
    };
    match a.value.kind {
        ExprKind::Bool(b) => Some(b),
        _ => {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("`{name}` is written `true` or `false`"),
                    a.value.span,
                )
                .label("not a literal")
                .help(format!(
                    "it decides which of the parent's blocks this is: write `{name} = true` or leave it out"
                )),
            );
            None
        }
    }
}

/// E0211: the attachment `t` names one instance of a parent (repeated as
/// `parent`) that cannot be told.
fn repeats_as_it_does(t: &Taken, parent: Option<&Repeat>) -> Diagnostic {
    let kind = &t.block.kind.name;
    let at = t.parent.index.as_ref().map_or(t.by.value.span, |i| i.span);
    let meta = parent.map_or("count", Repeat::meta);
    Diagnostic::error(
        CODE,
        format!("a `{kind}` on one instance of `{}.{}` repeats as it does", t.spec.parent, t.parent.name),
        at,
    )
    .label("not the instance of this one")
    .help(format!(
        "give the `{kind}` the parent's `{meta}` and name its instance with `[{}]`, or write the setting on the `{}`",
        if meta == "count" { "count.index" } else { "each.key" },
        t.spec.parent
    ))
}

/// The attachment `t`, naming the instance `index` of a parent repeated as
/// `parent`, as a repetition in every instance of the parent that keeps
/// only the instances whose key (`count.index`, `each.key`) is `index`:
/// `PARENT_KEY == index ? [0] : []` for one attachment, `[for i in
/// range(N) : i if PARENT_KEY == index]` for a counted one (its
/// `count.index` read as `each.value` of that list), `PARENT_KEY == index
/// ? FOR_EACH : []` for one with `for_each` whose key is not in `index`.
/// None when it is (which instance cannot be told).
fn keyed(t: &mut Taken, parent: &Repeat, index: Expr) -> Option<Repeat> {
    let span = index.span;
    let path = |root: &str, attr: &str| Expr {
        kind: ExprKind::Traversal(Traversal {
            root: Ident {
                name: root.into(),
                span,
            },
            steps: vec![Step::Attr(Ident {
                name: attr.into(),
                span,
            })],
        }),
        span,
    };
    let parent_key = match parent {
        Repeat::Count(_) => path("count", "index"),
        Repeat::ForEach(_) => path("each", "key"),
    };
    let expr = |kind: ExprKind| Expr { kind, span };
    let is = |index: Expr| {
        expr(ExprKind::Binary(
            crate::syntax::ast::BinaryOp::Eq,
            Box::new(parent_key.clone()),
            Box::new(index),
        ))
    };
    let only = |when: Expr, then: Expr| {
        expr(ExprKind::Conditional(
            Box::new(when),
            Box::new(then),
            Box::new(expr(ExprKind::List(Vec::new()))),
        ))
    };
    match t.repeat.clone() {
        None if !uses(&index, "count", "index") && !uses(&index, "each", "key") => Some(Repeat::ForEach(
            only(is(index), expr(ExprKind::List(vec![expr(ExprKind::Int(0))]))),
        )),
        Some(Repeat::Count(n)) => {
            let r = Repeat::Count(n.clone());
            super::each_expr(&mut t.block, &mut |e| {
                *e = substitute(e.clone(), &r, &["each", "value"])
            });
            let index = substitute(index, &r, &[COUNT_INDEX]);
            Some(Repeat::ForEach(expr(ExprKind::For(Box::new(ForExpr {
                key: None,
                value: Ident {
                    name: COUNT_INDEX.into(),
                    span,
                },
                collection: call("range", n),
                result: ForResult::List(expr(ExprKind::Traversal(Traversal {
                    root: Ident {
                        name: COUNT_INDEX.into(),
                        span,
                    },
                    steps: Vec::new(),
                }))),
                cond: Some(is(index)),
            })))))
        }
        Some(Repeat::ForEach(c)) if !uses(&index, "each", "key") && !uses(&index, "each", "value") => {
            Some(Repeat::ForEach(only(is(index), c)))
        }
        _ => None,
    }
}

/// What the attachment `t` adds to its parent, once or for each of
/// `repeat`.
fn contribute(t: Taken, repeat: Option<Repeat>, add: &mut Additions, diags: &mut Vec<Diagnostic>) {
    let kind = t.block.kind.name.clone();
    let what = format!("a `{kind}`");
    match &t.spec.into {
        Into::Element { list, value } => {
            let Some(element) = attached(t.block, value, (&what, t.spec.by[0]), "...", diags) else {
                return;
            };
            let element = match repeat {
                None => element,
                Some(r) => each_element(element, &r),
            };
            add.elements.entry(list).or_default().push(element);
        }
        Into::Block {
            block,
            renames,
            own_name,
            or,
            blocks,
        } => {
            let mut items = t.block.body;
            let block = match or {
                Some((setting, other)) => match side(&mut items, setting, diags) {
                    Some(true) => other,
                    Some(false) => block,
                    None => return,
                },
                None => block,
            };
            // Terraform's names of one setting written together (a rule's
            // `cidr_block` and `ipv6_cidr_block`) are one.
            super::names::one_setting(&mut items, |name| {
                renames
                    .iter()
                    .find(|(tf, berth)| *tf == name && tf != berth)
                    .map(|(_, berth)| *berth)
            });
            let takes = super::listed(renames.iter().map(|(tf, _)| *tf).chain(blocks.iter().copied()));
            let mut kept = |b: Block, _: &mut Vec<Diagnostic>| match blocks.contains(&b.kind.name.as_str()) {
                true => Ok(vec![Item::Block(b)]),
                false => Err(b),
            };
            let mut body = super::renamed_settings(items, renames, (&what, &takes), &mut kept, diags);
            if let Some(setting) = own_name
                && !body
                    .iter()
                    .any(|i| matches!(i, Item::Attribute(a) if a.name.name == *setting))
            {
                match (&repeat, &t.block.label) {
                    (None, Some(Label::Ident(own))) => body.push(Item::Attribute(Attribute {
                        name: Ident {
                            name: (*setting).into(),
                            span: own.span,
                        },
                        value: Expr {
                            kind: ExprKind::String(vec![StrPart::Lit(own.name.clone())]),
                            span: own.span,
                        },
                        span: own.span,
                    })),
                    // Repeated, its instances would share the name.
                    _ => {
                        diags.push(
                            Diagnostic::error(CODE, format!("{what} needs its own `{setting}`"), t.block.kind.span)
                                .label(format!("no `{setting}`"))
                                .help(format!(
                                    "give each instance one (`{setting} = \"run-${{count.index}}\"`); berth names a lone `{kind}` by its label"
                                )),
                        );
                        return;
                    }
                }
            }
            let made = Block {
                kind: Ident {
                    name: (*block).into(),
                    span: t.block.kind.span,
                },
                subkind: None,
                label: None,
                body,
                span: t.block.span,
            };
            let made = match repeat {
                None => made,
                Some(r) => dynamic(made, &r),
            };
            add.items.push(Item::Block(made));
        }
        Into::Policy => {
            // Not repeated itself: it names one instance of a repeated role.
            if repeat.is_some() && t.repeat.is_none() {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("a `{kind}` on one instance of a repeated `role` cannot name its policy"),
                        t.by.value.span,
                    )
                    .label(format!("`role.{}` is repeated", t.parent.name))
                    .help("repeat it as the role is (the role's `count`, and `[count.index]` here), or write a `policy NAME { document = ... }` block on the role"),
                );
                return;
            }
            if let Some(r) = repeat {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("a repeated `{kind}` cannot name its policies"),
                        r.expr().span,
                    )
                    .label(format!("`{}` here", r.meta()))
                    .help("write one `policy NAME { document = ... }` block on the role for each"),
                );
                return;
            }
            if let Some(policy) = policy(t.block, diags) {
                add.items.push(Item::Block(policy));
            }
        }
        Into::Elements { list, value } => {
            if let Some(r) = repeat {
                diags.push(not_repeated(&kind, t.spec.parent, &r));
                return;
            }
            let Some(listed) = attached(t.block, value, (&what, t.spec.by[0]), "[...]", diags) else {
                return;
            };
            // A `for` over it is concatenated with the parent's list.
            let span = listed.span;
            let each = Ident {
                name: "element".into(),
                span,
            };
            let element = Expr {
                kind: ExprKind::Traversal(Traversal {
                    root: each.clone(),
                    steps: Vec::new(),
                }),
                span,
            };
            add.elements.entry(list).or_default().push(Expr {
                kind: ExprKind::For(Box::new(ForExpr {
                    key: None,
                    value: each,
                    collection: listed,
                    result: ForResult::List(element),
                    cond: None,
                })),
                span,
            });
        }
        Into::Implied { value } => {
            attached(t.block, value, (&what, t.spec.by[0]), "...", diags);
        }
        Into::Read { from, read } => {
            if let Some(r) = repeat {
                diags.push(not_repeated(&kind, t.spec.parent, &r));
                return;
            }
            match one_setting(t.block.body, &[from], (&what, t.spec.by[0]), diags) {
                Some(value) => add.items.extend(read(value, diags)),
                None => diags.push(
                    Diagnostic::error(CODE, format!("{what} needs its `{from}`"), t.block.kind.span)
                        .label(format!("no `{from}`"))
                        .help(format!("add `{from} = ...`")),
                ),
            }
        }
        Into::Settings {
            renames,
            blocks,
            left_out_false,
        } => {
            if let Some(r) = repeat {
                diags.push(not_repeated(&kind, t.spec.parent, &r));
                return;
            }
            let span = t.block.kind.span;
            let takes = super::listed(renames.iter().map(|(tf, _)| *tf).chain(blocks.iter().copied()));
            let mut nested = |b: Block, _: &mut Vec<Diagnostic>| {
                if blocks.contains(&b.kind.name.as_str()) {
                    Ok(vec![Item::Block(b)])
                } else {
                    Err(b)
                }
            };
            let made = super::renamed_settings(t.block.body, renames, (&what, &takes), &mut nested, diags);
            if *left_out_false {
                let written = |name: &str| {
                    made.iter()
                        .any(|i| matches!(i, Item::Attribute(a) if a.name.name == name))
                };
                let left_out: Vec<Item> = renames
                    .iter()
                    .filter(|(_, berth)| !written(berth))
                    .map(|(_, berth)| {
                        Item::Attribute(Attribute {
                            name: Ident {
                                name: (*berth).to_owned(),
                                span,
                            },
                            value: Expr {
                                kind: ExprKind::Bool(false),
                                span,
                            },
                            span,
                        })
                    })
                    .collect();
                add.items.extend(left_out);
            }
            add.items.extend(made);
        }
    }
}

/// The value of the first of `body`'s settings named one of `names`; the
/// others are E0211 (`what` takes the setting `by` naming its parent and
/// `names[0]`).
fn one_setting(
    body: Vec<Item>,
    names: &[&str],
    (what, by): (&str, &str),
    diags: &mut Vec<Diagnostic>,
) -> Option<Expr> {
    let mut found = None;
    for item in body {
        match item {
            Item::Attribute(a) if found.is_none() && names.contains(&a.name.name.as_str()) => {
                found = Some(a.value)
            }
            other => diags.push(stray(&other, what, &format!("`{by}` and `{}`", names[0]))),
        }
    }
    found
}

/// [`one_setting`] of the attachment `block`; none is E0211 saying what
/// to add (`value[0] = shape`).
fn attached(
    block: Block,
    value: &[&str],
    (what, by): (&str, &str),
    shape: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expr> {
    let span = block.kind.span;
    let found = one_setting(block.body, value, (what, by), diags);
    if found.is_none() {
        diags.push(
            Diagnostic::error(CODE, format!("{what} names what it attaches"), span)
                .label(format!("no `{}`", value[0]))
                .help(format!("add `{} = {shape}`", value[0])),
        );
    }
    found
}

/// E0211 for an attachment of `kind` repeated by `r`, where its parent
/// takes one.
fn not_repeated(kind: &str, parent: &str, r: &Repeat) -> Diagnostic {
    Diagnostic::error(CODE, format!("a `{kind}` is not repeated"), r.expr().span)
        .label(format!("`{}` here", r.meta()))
        .help(format!("write its settings on the `{parent}`"))
}

/// A role's `policy NAME { document }` from Terraform's
/// `aws_iam_role_policy { name  policy }` (named by its own label when
/// `name` is left out) or an `aws_iam_role`'s `inline_policy { name
/// policy }`.
pub(super) fn policy(block: Block, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let mut name = None;
    let mut body = Vec::new();
    for item in block.body {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a.value),
            Item::Attribute(a) if a.name.name == "policy" || a.name.name == "document" => {
                body.push(Item::Attribute(renamed(a, "document")));
            }
            other => diags.push(stray(&other, "a role's inline policy", "`name` and `policy`")),
        }
    }
    let named = name.is_some();
    let what = ("an inline policy", "a role's inline policies");
    let label = match super::name_label(name, block.label, what, diags) {
        Some(Label::Ident(i)) => i,
        // A `name` that is not a bare name: said already.
        _ if named => return None,
        _ => {
            diags.push(
                Diagnostic::error(CODE, "an inline policy needs its `name`", block.kind.span)
                    .label("no `name`")
                    .help("add `name = \"...\"`: berth names a role's inline policies"),
            );
            return None;
        }
    };
    Some(Block {
        kind: Ident {
            name: "policy".into(),
            span: block.kind.span,
        },
        subkind: None,
        label: Some(Label::Ident(label)),
        body,
        span: block.span,
    })
}

/// `[for ... : element]` over the repetition `r` (its instances' list),
/// `count.index`, `each.value` and `each.key` read from the element (the
/// key of a map bound beside it).
fn each_element(element: Expr, r: &Repeat) -> Expr {
    let span = element.span;
    let (name, collection) = match r {
        Repeat::Count(n) => (COUNT_INDEX, call("range", n.clone())),
        Repeat::ForEach(c) => (EACH_VALUE, c.clone()),
    };
    let value = substitute(element, r, &[name]);
    let key = uses(&value, "each", "key").then(|| Ident {
        name: EACH_KEY.into(),
        span,
    });
    let value = substitute_key(value, &[EACH_KEY]);
    Expr {
        kind: ExprKind::For(Box::new(ForExpr {
            key,
            value: Ident {
                name: name.into(),
                span,
            },
            collection,
            result: ForResult::List(value),
            cond: None,
        })),
        span,
    }
}

/// A `dynamic` block making `made` for each instance of `r`.
/// `body` (and the blocks nested in it: a metric filter's
/// `metric_transformation`) reading `iterator`'s element where it read
/// the attachment's own `count.index` or `each`.
fn read_as_element(body: Vec<Item>, r: &Repeat, iterator: &str) -> Vec<Item> {
    body.into_iter()
        .map(|item| match item {
            Item::Attribute(a) => {
                let value = substitute(a.value, r, &[iterator, "value"]);
                Item::Attribute(Attribute {
                    value: substitute_key(value, &[iterator, "key"]),
                    ..a
                })
            }
            Item::Block(b) => Item::Block(Block {
                body: read_as_element(b.body, r, iterator),
                ..b
            }),
        })
        .collect()
}

fn dynamic(made: Block, r: &Repeat) -> Block {
    let span = made.kind.span;
    let iterator = made.kind.name.clone();
    let mut content = made.clone();
    content.kind.name = crate::check::dynamic::CONTENT.into();
    content.body = read_as_element(content.body, r, &iterator);
    let for_each = match r {
        Repeat::Count(n) => call("range", n.clone()),
        Repeat::ForEach(c) => c.clone(),
    };
    Block {
        kind: Ident {
            name: crate::check::dynamic::DYNAMIC.into(),
            span,
        },
        subkind: None,
        label: Some(Label::Ident(Ident { name: iterator, span })),
        body: vec![
            Item::Attribute(Attribute {
                name: Ident {
                    name: "for_each".into(),
                    span,
                },
                span: for_each.span,
                value: for_each,
            }),
            Item::Block(content),
        ],
        span: made.span,
    }
}

/// `e` with each `each.key` left in it (of a map: `substitute` read a
/// set's) read from the path `to`.
fn substitute_key(mut e: Expr, to: &[&str]) -> Expr {
    super::each_traversal(&mut e, &mut |t| {
        if t.root.name == "each" && matches!(t.steps.first(), Some(Step::Attr(a)) if a.name == "key") {
            let rest = t.steps.split_off(1);
            *t = Traversal::path(to, t.root.span);
            t.steps.extend(rest);
        }
    });
    e
}

/// Whether a `for_each` is a set or list, whose keys are its elements.
fn is_set(r: &Repeat) -> bool {
    match r {
        Repeat::ForEach(e) => {
            matches!(&e.kind, ExprKind::List(_))
                || matches!(&e.kind, ExprKind::Call(c) if c.name.name == "toset")
        }
        Repeat::Count(_) => false,
    }
}

fn call(name: &str, arg: Expr) -> Expr {
    let span = arg.span;
    Expr {
        kind: ExprKind::Call(Call {
            name: Ident {
                name: name.into(),
                span,
            },
            args: vec![arg],
            expand: false,
        }),
        span,
    }
}

/// `e` with what names an instance of `r` (`count.index`, `each.value`,
/// and `each.key` where it is the value) read from the path `to`.
fn substitute(mut e: Expr, r: &Repeat, to: &[&str]) -> Expr {
    let key_is_value = is_set(r);
    super::each_traversal(&mut e, &mut |t| {
        let instance = match (t.root.name.as_str(), t.steps.first(), r) {
            ("count", Some(Step::Attr(a)), Repeat::Count(_)) => a.name == "index",
            ("each", Some(Step::Attr(a)), Repeat::ForEach(_)) => {
                a.name == "value" || (a.name == "key" && key_is_value)
            }
            _ => false,
        };
        if !instance {
            return;
        }
        let span = t.root.span;
        let ident = |name: &str| Ident {
            name: name.into(),
            span,
        };
        let rest = t.steps.split_off(1);
        t.root = ident(to[0]);
        t.steps = to[1..].iter().map(|n| Step::Attr(ident(n))).chain(rest).collect();
    });
    e
}

/// Whether `e` reads `ROOT.ATTR`.
fn uses(e: &Expr, root: &str, attr: &str) -> bool {
    let mut found = false;
    super::each_traversal(&mut e.clone(), &mut |t| {
        found |= t.root.name == root && matches!(t.steps.first(), Some(Step::Attr(a)) if a.name == attr);
    });
    found
}

/// The parent `block` with what its attachments add.
fn apply(block: &mut Block, add: Additions, diags: &mut Vec<Diagnostic>) {
    for (list, elements) in add.elements {
        add_elements(block, list, elements);
    }
    // Checked once evaluated, as the parent's own would be
    // (`check/restated.rs`); the parent's own says it for both.
    if let Some(region) = add.region
        && !block
            .body
            .iter()
            .any(|i| matches!(i, Item::Attribute(a) if a.name.name == REGION))
    {
        block.body.push(Item::Attribute(region));
    }
    for item in add.items {
        if let Item::Attribute(a) = &item
            && block
                .body
                .iter()
                .any(|i| matches!(i, Item::Attribute(b) if b.name.name == a.name.name))
        {
            diags.push(
                Diagnostic::error(CODE, format!("`{}` is set twice", a.name.name), a.name.span)
                    .label(format!("also set on `{}`", block.kind.name))
                    .help("keep one of them"),
            );
            continue;
        }
        block.body.push(item);
    }
}

/// `elements` added to the parent `block`'s list attribute `list`: literal
/// elements join a written list, lists made by `for` are concatenated
/// with it.
fn add_elements(block: &mut Block, list: &str, elements: Vec<Expr>) {
    let (single, made): (Vec<Expr>, Vec<Expr>) = elements
        .into_iter()
        .partition(|e| !matches!(e.kind, ExprKind::For(_)));
    let written = block
        .body
        .iter()
        .position(|item| matches!(item, Item::Attribute(a) if a.name.name == list))
        .and_then(|i| match block.body.remove(i) {
            Item::Attribute(a) => Some(a),
            Item::Block(_) => None,
        });
    let (name, span) = match &written {
        Some(a) => (a.name.clone(), a.value.span),
        None => (
            Ident {
                name: list.into(),
                span: block.kind.span,
            },
            block.kind.span,
        ),
    };
    let mut parts = Vec::new();
    match written.map(|a| a.value) {
        Some(Expr {
            kind: ExprKind::List(mut items),
            span,
        }) => {
            items.extend(single);
            parts.push(Expr {
                kind: ExprKind::List(items),
                span,
            });
        }
        other => {
            parts.extend(other);
            if !single.is_empty() {
                parts.push(Expr {
                    kind: ExprKind::List(single),
                    span,
                });
            }
        }
    }
    parts.extend(made);
    block.body.push(Item::Attribute(Attribute {
        span: name.span.to(span),
        name,
        value: concat(parts, span),
    }));
}

/// `parts` joined: the one list, or `concat(...)` of them.
fn concat(mut parts: Vec<Expr>, span: Span) -> Expr {
    if parts.len() == 1 {
        return parts.remove(0);
    }
    Expr {
        kind: ExprKind::Call(Call {
            name: Ident {
                name: "concat".into(),
                span,
            },
            args: parts,
            expand: false,
        }),
        span,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::test_support::Shape;

    const BASE: &str = r#"
variable zones { default = ["us-east-1a", "us-east-1b"] }
variable policies { default = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }
vpc main { cidr = "10.0.0.0/16" }
internet_gateway gw { vpc = vpc.main }
subnet public {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = var.zones[count.index]
}
subnet private {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
  zone  = var.zones[count.index]
}
role app { assume = "ecs-tasks.amazonaws.com" }
cluster main {}
"#;

    fn resources(text: &str) -> BTreeMap<String, Shape> {
        crate::test_support::resources(&format!("{BASE}{text}"))
    }

    /// The E0211 messages of the stack `text` (after [`BASE`]).
    fn errors(text: &str) -> Vec<String> {
        crate::test_support::messages(&format!("{BASE}{text}"), super::CODE)
    }

    /// An attachment repeated over a map or set written out whose
    /// elements name its parents: E0211 before, as `each.value` named no
    /// block of the stack.
    #[test]
    fn an_attachment_repeated_over_its_parents_folds_into_each() {
        let terraform = resources(
            r#"
role task { assume = "ecs-tasks.amazonaws.com" }
role_policy_attachment ssm {
  for_each = { app = role.app.name, task = role.task.name }
  role       = each.value
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"
}
role_policy_attachment logs {
  for_each   = toset([role.app.name, role.task.name])
  role       = each.key
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
}
"#,
        );
        let berth = resources(
            r#"
role task {
  assume   = "ecs-tasks.amazonaws.com"
  policies = ["arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"]
}
"#,
        );
        assert_eq!(terraform["role.task"], berth["role.task"]);
        assert_eq!(
            terraform["role.app"].attrs["policies"],
            berth["role.task"].attrs["policies"]
        );
        // One element naming no block of the stack: nothing is unrolled,
        // and the attachment says what it should name.
        assert_eq!(
            errors(
                r#"
role_policy_attachment x {
  for_each   = { app = role.app.name, other = "someone-elses" }
  role       = each.value
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
"#
            ),
            ["a `role_policy_attachment` is folded into a `role` of this stack"]
        );
    }

    #[test]
    fn attachments_are_settings_of_what_they_name() {
        let terraform = resources(
            r#"
route_table public { vpc = vpc.main }
route public_internet {
  route_table_id         = route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = internet_gateway.gw.id
}
route_table_association a {
  subnet_id      = subnet.public[0].id
  route_table_id = route_table.public.id
}
route_table_association b {
  subnet_id      = subnet.public[1].id
  route_table_id = "${route_table.public.id}"
}
iam_role_policy_attachment read {
  role       = role.app.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
iam_role_policy logs {
  name = "logs-access"
  role = role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }]
  })
}
ecs_cluster_capacity_providers main {
  cluster_name       = cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}
"#,
        );
        let berth = resources(
            r#"
route_table public {
  vpc     = vpc.main
  subnets = [subnet.public[0], subnet.public[1]]
  route {
    cidr    = "0.0.0.0/0"
    gateway = internet_gateway.gw
  }
}
"#,
        );
        assert_eq!(terraform["route_table.public"], berth["route_table.public"]);
        let role = resources(
            r#"
role with {
  assume   = "ecs-tasks.amazonaws.com"
  policies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  policy logs-access {
    document = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }]
    })
  }
}
cluster with {
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}
"#,
        );
        let without_names = |s: &Shape| {
            s.attrs
                .iter()
                .filter(|(k, _)| k.as_str() != "name")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(
            without_names(&terraform["role.app"]),
            without_names(&role["role.with"])
        );
        assert_eq!(terraform["role.app"].blocks, role["role.with"].blocks);
        assert_eq!(
            without_names(&terraform["cluster.main"]),
            without_names(&role["cluster.with"])
        );
        assert_eq!(terraform["cluster.main"].blocks, role["cluster.with"].blocks);
        assert!(!terraform.keys().any(|k| k.starts_with("route_table_association")));
    }

    #[test]
    fn kms_aliases_are_names_of_the_key_they_target() {
        let terraform = resources(
            r#"
kms_key logs {
  description             = "logs"
  deletion_window_in_days = 7
  enable_key_rotation     = true
}
kms_alias logs {
  name          = "alias/app-logs"
  target_key_id = kms_key.logs.key_id
}
kms_alias logs_by_id {
  name          = "alias/app-logs-2"
  target_key_id = kms_key.logs.id
}
"#,
        );
        let berth = resources(
            r#"
kms_key logs {
  description          = "logs"
  deletion_window_days = 7
  rotation             = true
  aliases              = ["alias/app-logs", "alias/app-logs-2"]
}
"#,
        );
        assert_eq!(terraform["kms_key.logs"], berth["kms_key.logs"]);
        assert!(!terraform.contains_key("kms_alias.logs"));
    }

    #[test]
    fn sns_subscriptions_and_policies_are_blocks_and_settings_of_their_topic() {
        let terraform = resources(
            r#"
sns_topic alerts { name = "alerts" }
sns_topic_subscription ops {
  topic_arn = sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}
sns_topic_policy alerts {
  arn    = sns_topic.alerts.arn
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
"#,
        );
        let berth = resources(
            r#"
sns_topic alerts {
  name   = "alerts"
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
  subscription {
    protocol = "email"
    endpoint = "ops@example.com"
  }
}
"#,
        );
        assert_eq!(terraform["sns_topic.alerts"], berth["sns_topic.alerts"]);
    }

    #[test]
    fn a_file_systems_mount_targets_and_policy_are_its_blocks_and_settings() {
        let terraform = resources(
            r#"
efs_file_system files {
  creation_token = "files"
  encrypted      = true
  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }
  lifecycle_policy {
    transition_to_primary_storage_class = "AFTER_1_ACCESS"
  }
}
efs_mount_target files {
  count           = 2
  file_system_id  = efs_file_system.files.id
  subnet_id       = subnet.private[count.index].id
  security_groups = []
}
efs_file_system_policy files {
  file_system_id                     = efs_file_system.files.id
  bypass_policy_lockout_safety_check = false
  policy                             = jsonencode({ Version = "2012-10-17", Statement = [] })
}
efs_access_point uploads {
  file_system_id = efs_file_system.files.id
  posix_user {
    uid = 1000
    gid = 1000
  }
  root_directory {
    path = "/uploads"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0755"
    }
  }
}
"#,
        );
        let berth = resources(
            r#"
efs_file_system files {
  creation_token                      = "files"
  encrypted                           = true
  transition_to_ia                    = "AFTER_30_DAYS"
  transition_to_primary_storage_class = "AFTER_1_ACCESS"
  policy                              = jsonencode({ Version = "2012-10-17", Statement = [] })
  dynamic "mount_target" {
    for_each = [0, 1]
    content {
      subnet          = subnet.private[mount_target.value].id
      security_groups = []
    }
  }
}
efs_access_point uploads {
  file_system    = efs_file_system.files
  posix_uid      = 1000
  posix_gid      = 1000
  root_directory = "/uploads"
  owner_uid      = 1000
  owner_gid      = 1000
  permissions    = "0755"
}
"#,
        );
        for address in ["efs_file_system.files", "efs_access_point.uploads"] {
            assert_eq!(terraform[address], berth[address], "{address}");
        }
    }

    #[test]
    fn event_targets_are_target_blocks_of_their_rule_named_by_their_own_name() {
        let terraform = resources(
            r#"
cluster jobs {}
role events { assume = "events.amazonaws.com" }
task_definition report {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
cloudwatch_event_rule nightly {
  schedule_expression = "rate(1 day)"
  is_enabled          = false
}
cloudwatch_event_target report {
  rule     = cloudwatch_event_rule.nightly.name
  arn      = cluster.jobs.arn
  role_arn = role.events.arn
  ecs_target {
    task_definition_arn = task_definition.report.arn
    launch_type         = "FARGATE"
    network_configuration {
      subnets          = [subnet.public[0].id]
      assign_public_ip = true
    }
  }
  retry_policy {
    maximum_retry_attempts = 2
  }
  dead_letter_config {
    arn = "arn:aws:sqs:us-east-1:123456789012:dlq"
  }
}
cloudwatch_event_target notify {
  rule      = cloudwatch_event_rule.nightly.id
  target_id = "ops"
  arn       = "arn:aws:sns:us-east-1:123456789012:ops"
}
"#,
        );
        let berth = resources(
            r#"
cluster jobs {}
role events { assume = "events.amazonaws.com" }
task_definition report {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
event_rule nightly {
  schedule = "rate(1 day)"
  state    = "DISABLED"
  target {
    id                     = "report"
    arn                    = cluster.jobs.arn
    role                   = role.events.arn
    task_definition        = task_definition.report.arn
    launch_type            = "FARGATE"
    subnets                = [subnet.public[0].id]
    public_ip              = true
    maximum_retry_attempts = 2
    dead_letter_queue      = "arn:aws:sqs:us-east-1:123456789012:dlq"
  }
  target {
    id  = "ops"
    arn = "arn:aws:sns:us-east-1:123456789012:ops"
  }
}
"#,
        );
        assert_eq!(terraform["event_rule.nightly"], berth["event_rule.nightly"]);
        let repeated = errors(
            r#"
cloudwatch_event_rule nightly { schedule_expression = "rate(1 day)" }
cloudwatch_event_target notify {
  count = 2
  rule  = cloudwatch_event_rule.nightly.name
  arn   = "arn:aws:sns:us-east-1:123456789012:ops"
}
"#,
        );
        assert_eq!(repeated, ["a `cloudwatch_event_target` needs its own `id`"]);
    }

    #[test]
    fn a_queues_policy_and_redrive_policy_in_each_of_terraforms_shapes_are_its_settings() {
        let terraform = resources(
            r#"
sqs_queue dlq {
  name = "jobs-dlq"
}
sqs_queue jobs {
  name           = "jobs"
  redrive_policy = jsonencode({ deadLetterTargetArn = sqs_queue.dlq.arn, maxReceiveCount = 4 })
}
sqs_queue_policy jobs {
  queue_url = sqs_queue.jobs.id
  policy    = jsonencode({ Version = "2012-10-17", Statement = [] })
}
sqs_queue legacy {
  name           = "legacy"
  redrive_policy = "{\"deadLetterTargetArn\":\"${sqs_queue.dlq.arn}\",\"maxReceiveCount\":4}"
}
sqs_queue later {
  name = "later"
}
sqs_queue_redrive_policy later {
  queue_url = sqs_queue.later.url
  redrive_policy = jsonencode({
    deadLetterTargetArn = sqs_queue.dlq.arn
    maxReceiveCount     = 4
  })
}
"#,
        );
        let berth = resources(
            r#"
sqs_queue dlq {
  name = "jobs-dlq"
}
sqs_queue jobs {
  name              = "jobs"
  dead_letter_queue = sqs_queue.dlq.arn
  max_receive_count = 4
  policy            = jsonencode({ Version = "2012-10-17", Statement = [] })
}
sqs_queue legacy {
  name              = "legacy"
  dead_letter_queue = sqs_queue.dlq.arn
  max_receive_count = 4
}
sqs_queue later {
  name              = "later"
  dead_letter_queue = sqs_queue.dlq.arn
  max_receive_count = 4
}
"#,
        );
        for queue in ["sqs_queue.jobs", "sqs_queue.legacy", "sqs_queue.later"] {
            assert_eq!(terraform[queue], berth[queue], "{queue}");
        }
        assert_eq!(
            errors("sqs_queue q {\n  redrive_policy = local.redrive\n}\nlocals {\n  redrive = \"\"\n}\n"),
            ["a redrive policy is read as it is written"]
        );
    }

    #[test]
    fn a_buckets_terraform_resources_are_its_settings_and_rules() {
        let terraform = resources(
            r#"
s3_bucket logs {
  bucket        = "app-logs-0123"
  force_destroy = true
  acl           = "private"
}
s3_bucket_versioning logs {
  bucket = s3_bucket.logs.id
  versioning_configuration { status = "Enabled" }
}
s3_bucket_server_side_encryption_configuration logs {
  bucket = s3_bucket.logs.bucket
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    bucket_key_enabled = true
  }
}
s3_bucket_public_access_block logs {
  bucket                  = s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
s3_bucket_ownership_controls logs {
  bucket = s3_bucket.logs.id
  rule { object_ownership = "BucketOwnerPreferred" }
}
s3_bucket_lifecycle_configuration logs {
  bucket = s3_bucket.logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter { prefix = "AWSLogs/" }
    expiration { days = 90 }
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
  }
  rule {
    id     = "abort uploads"
    status = "Disabled"
    filter {}
    abort_incomplete_multipart_upload { days_after_initiation = 7 }
  }
}
s3_bucket_policy logs {
  bucket = s3_bucket.logs.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "${s3_bucket.logs.arn}/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
}
"#,
        );
        let berth = resources(
            r#"
s3_bucket logs {
  name                = "app-logs-0123"
  force_destroy       = true
  versioning          = "Enabled"
  encryption          = "AES256"
  bucket_key          = true
  block_public_acls   = true
  block_public_policy = false
  ignore_public_acls  = true
  restrict_public_buckets = true
  object_ownership    = "BucketOwnerPreferred"
  policy              = jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "${s3_bucket.logs.arn}/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }] })
  lifecycle_rule expire {
    enabled         = true
    prefix          = "AWSLogs/"
    expiration_days = 90
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
  }
  lifecycle_rule "abort uploads" {
    enabled                      = false
    abort_incomplete_upload_days = 7
  }
}
"#,
        );
        assert_eq!(terraform["s3_bucket.logs"], berth["s3_bucket.logs"]);
    }

    /// Terraform writes a secret's value only as a version of its own,
    /// and provider 4's bucket ACL as a resource of its own: they were
    /// E0101.
    #[test]
    fn a_secrets_version_and_a_buckets_acl_are_their_settings() {
        let terraform = resources(
            r#"
secretsmanager_secret key { name = "app/key" }
secretsmanager_secret_version key {
  secret_id     = secretsmanager_secret.key.id
  secret_string = "s3cret"
}
s3_bucket logs { bucket = "logs-0123" }
s3_bucket_acl logs {
  bucket = s3_bucket.logs.id
  acl    = "private"
}
ssm_parameter key {
  name  = "/app/key"
  type  = "String"
  value = format("%s:%s::", secretsmanager_secret_version.key.arn, "KEY")
}
"#,
        );
        let berth = resources(
            r#"
secret key {
  name  = "app/key"
  value = "s3cret"
}
s3_bucket logs { name = "logs-0123" }
ssm_parameter key {
  name  = "/app/key"
  type  = "String"
  value = format("%s:%s::", secret.key.arn, "KEY")
}
"#,
        );
        // A version's `arn` is its secret's (oozou's container secrets):
        // E0306 before.
        assert_eq!(terraform, berth);
    }

    /// shajalahamedcse's secrets module outputs the counted versions'
    /// ARNs as a splat, which its ECS module's policy reads: E0306 "no
    /// address to read" (an indexed version was taken).
    #[test]
    fn counted_secret_versions_read_by_a_splat_are_their_secrets() {
        let read = |arns: &str| {
            resources(&format!(
                r#"
variable "secrets" {{ default = {{ A = "a", B = "b" }} }}
resource "aws_secretsmanager_secret" "app" {{
  count = length(var.secrets)
  name  = "app-${{element(keys(var.secrets), count.index)}}"
}}
resource "aws_secretsmanager_secret_version" "app" {{
  count         = length(var.secrets)
  secret_id     = element(aws_secretsmanager_secret.app.*.id, count.index)
  secret_string = element(values(var.secrets), count.index)
}}
ssm_parameter arns {{
  name  = "/app/arns"
  type  = "StringList"
  value = join(",", {arns})
}}
"#
            ))
            .remove("ssm_parameter.arns")
            .expect("the parameter")
        };
        let secrets = read("aws_secretsmanager_secret.app.*.arn");
        assert_eq!(read("aws_secretsmanager_secret_version.app.*.arn"), secrets);
        assert_eq!(read("aws_secretsmanager_secret_version.app[*].arn"), secrets);
    }

    /// Terraform's public access block leaves a flag it is not given
    /// `false`; folded into the bucket, it took berth's default (`true`),
    /// so a bucket Terraform left open to a public policy was closed.
    #[test]
    fn a_public_access_blocks_flags_left_out_are_false() {
        let terraform = resources(
            r#"
s3_bucket site { bucket = "site-0123" }
s3_bucket_public_access_block site {
  bucket              = s3_bucket.site.id
  block_public_acls   = false
  block_public_policy = false
}
"#,
        );
        let berth = resources(
            r#"
s3_bucket site {
  name                    = "site-0123"
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}
"#,
        );
        assert_eq!(terraform["s3_bucket.site"], berth["s3_bucket.site"]);
    }

    #[test]
    fn a_version_3_bucket_writes_its_settings_inline() {
        let terraform = resources(
            r#"
s3_bucket logs {
  bucket = "app-logs-0123"
  versioning { enabled = true }
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = "alias/aws/s3"
      }
    }
  }
  lifecycle_rule {
    id                                     = "expire"
    enabled                                = true
    prefix                                 = "logs/"
    abort_incomplete_multipart_upload_days = 3
    expiration { days = 30 }
    noncurrent_version_expiration { days = 7 }
  }
}
"#,
        );
        let berth = resources(
            r#"
s3_bucket logs {
  name       = "app-logs-0123"
  versioning = "Enabled"
  encryption = "aws:kms"
  kms_key    = "alias/aws/s3"
  lifecycle_rule expire {
    enabled                      = true
    prefix                       = "logs/"
    abort_incomplete_upload_days = 3
    expiration_days              = 30
    noncurrent_expiration_days   = 7
  }
}
"#,
        );
        assert_eq!(terraform["s3_bucket.logs"], berth["s3_bucket.logs"]);
    }

    #[test]
    fn repeated_attachments_fold_once_per_instance() {
        let terraform = resources(
            r#"
route_table public {
  vpc     = vpc.main
  subnets = []
}
route_table_association public {
  count          = 2
  subnet_id      = subnet.public[count.index].id
  route_table_id = route_table.public.id
}
route_table private {
  count = 2
  vpc   = vpc.main
}
route_table_association private {
  count          = 2
  subnet_id      = element(subnet.private[*].id, count.index)
  route_table_id = element(route_table.private[*].id, count.index)
}
route private_peer {
  count                     = 2
  route_table_id            = route_table.private[count.index].id
  destination_cidr_block    = "10.9.0.0/16"
  vpc_peering_connection_id = "pcx-0123456789abcdef0"
}
route spread {
  for_each       = toset(["10.7.0.0/16", "10.8.0.0/16"])
  route_table_id = route_table.public.id
  destination_cidr_block = each.key
  transit_gateway_id     = "tgw-0123456789abcdef0"
}
role_policy_attachment each {
  for_each   = toset(var.policies)
  role       = role.app.name
  policy_arn = each.value
}
"#,
        );
        let berth = resources(
            r#"
route_table public {
  vpc     = vpc.main
  subnets = [subnet.public[0], subnet.public[1]]
  route {
    cidr            = "10.7.0.0/16"
    transit_gateway = "tgw-0123456789abcdef0"
  }
  route {
    cidr            = "10.8.0.0/16"
    transit_gateway = "tgw-0123456789abcdef0"
  }
}
route_table private {
  count   = 2
  vpc     = vpc.main
  subnets = [subnet.private[count.index]]
  route {
    cidr               = "10.9.0.0/16"
    peering_connection = "pcx-0123456789abcdef0"
  }
}
role with {
  assume   = "ecs-tasks.amazonaws.com"
  policies = var.policies
}
"#,
        );
        for address in [
            "route_table.public",
            "route_table.private[\"0\"]",
            "route_table.private[\"1\"]",
        ] {
            assert_eq!(terraform[address], berth[address], "{address}");
        }
        assert_eq!(
            terraform["role.app"].attrs.get("policies"),
            berth["role.with"].attrs.get("policies")
        );
    }

    /// terraform-aws-modules/vpc names one instance of a parent it
    /// repeats with `count = CONDITION ? 1 : 0` (`aws_route_table.public[0].id`),
    /// and repeats its NAT routes by another count than their tables': it
    /// was "repeats as it does" (E0211).
    #[test]
    fn an_attachment_on_one_instance_of_its_parent_folds_into_that_instance() {
        let terraform = resources(
            r#"
route_table public {
  count = 1
  vpc   = vpc.main
}
route public_gateway {
  count                  = 1
  route_table_id         = route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  transit_gateway_id     = "tgw-0123456789abcdef0"
}
route_table private {
  count = 2
  vpc   = vpc.main
}
route private_nat {
  count                  = 1 + 1
  route_table_id         = element(route_table.private[*].id, count.index)
  destination_cidr_block = "10.${count.index}.0.0/16"
  transit_gateway_id     = "tgw-0123456789abcdef0"
}
network_acl public {
  count = 1
  vpc   = vpc.main
}
network_acl_association a {
  network_acl_id = network_acl.public[0].id
  subnet_id      = subnet.public[0].id
}
network_acl_rule in {
  count          = 2
  network_acl_id = network_acl.public[0].id
  rule_number    = 100 + count.index
  rule_action    = "allow"
  protocol       = "-1"
  cidr_block     = "10.${count.index}.0.0/16"
}
"#,
        );
        let berth = resources(
            r#"
route_table public {
  count = 1
  vpc   = vpc.main
  route {
    cidr            = "0.0.0.0/0"
    transit_gateway = "tgw-0123456789abcdef0"
  }
}
route_table private {
  count = 2
  vpc   = vpc.main
  route {
    cidr            = "10.${count.index}.0.0/16"
    transit_gateway = "tgw-0123456789abcdef0"
  }
}
network_acl public {
  count   = 1
  vpc     = vpc.main
  subnets = [subnet.public[0]]
  ingress {
    rule_no  = 100
    action   = "allow"
    protocol = "-1"
    cidr     = "10.0.0.0/16"
  }
  ingress {
    rule_no  = 101
    action   = "allow"
    protocol = "-1"
    cidr     = "10.1.0.0/16"
  }
}
"#,
        );
        for address in [
            "route_table.public[\"0\"]",
            "route_table.private[\"0\"]",
            "route_table.private[\"1\"]",
            "network_acl.public[\"0\"]",
        ] {
            assert_eq!(terraform[address], berth[address], "{address}");
        }
    }

    /// terraform-aws-modules/vpc associates its database subnets with
    /// `coalescelist(aws_route_table.database[*].id,
    /// aws_route_table.private[*].id)`: the database table when the
    /// variables make one, else the private one. It was "not one of the
    /// stack's `route_table` blocks" (E0211).
    #[test]
    fn an_attachment_names_the_first_of_a_coalescelist_that_makes_instances() {
        let module = |database: u8| {
            resources(&format!(
                r#"
variable "database_table" {{ default = {database} }}
route_table database {{
  count = var.database_table
  vpc   = vpc.main
}}
route_table private {{
  count = 1
  vpc   = vpc.main
}}
route_table_association database {{
  count          = 1
  subnet_id      = subnet.public[0].id
  route_table_id = element(coalescelist(route_table.database[*].id, route_table.private[*].id), count.index)
}}
"#
            ))
        };
        let subnets = |r: &BTreeMap<String, crate::test_support::Shape>, address: &str| {
            r[address].attrs.get("subnets").cloned()
        };
        let made = module(1);
        assert!(subnets(&made, "route_table.database[\"0\"]").is_some());
        assert_eq!(subnets(&made, "route_table.private[\"0\"]"), None);
        let none = module(0);
        assert!(!none.contains_key("route_table.database[\"0\"]"));
        assert_eq!(
            subnets(&none, "route_table.private[\"0\"]"),
            subnets(&made, "route_table.database[\"0\"]")
        );
    }

    #[test]
    fn an_attachment_folds_into_a_parent_of_another_file() {
        let mut sources = crate::Sources::new();
        let mut diags = Vec::new();
        for (path, text) in [
            ("network.berth", format!("{BASE}route_table public {{ vpc = vpc.main }}\n")),
            (
                "associations.berth",
                "route_table_association a {\n  subnet_id = subnet.public[0].id\n  route_table_id = route_table.public.id\n}\n".into(),
            ),
        ] {
            crate::load::add_bytes(&mut sources, &mut diags, std::path::Path::new(path), text.as_bytes());
        }
        let analysis = crate::analyze(sources, diags, &crate::Options::default());
        assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
        let stack = analysis.stack.expect("a stack");
        let table = stack
            .resources
            .iter()
            .find(|r| r.address.to_string() == "route_table.public")
            .expect("the route table");
        assert!(matches!(
            table.body.attrs.get("subnets").map(|v| &v.node),
            Some(crate::stack::DesiredValue::List(items)) if items.len() == 1
        ));
    }

    #[test]
    fn a_route_on_the_vpcs_main_table_is_one_of_the_block_taking_it_over() {
        let route = "route r {\n  route_table_id = vpc.main.main_route_table_id\n  destination_cidr_block = \"0.0.0.0/0\"\n  gateway_id = internet_gateway.gw.id\n}\n";
        assert_eq!(
            errors(route),
            ["`vpc.main.main_route_table_id` is read from a `default_route_table` block"]
        );
        let taken = format!("default_route_table main {{ vpc = vpc.main }}\n{route}");
        assert_eq!(errors(&taken), Vec::<String>::new());
        let folded = resources(&taken);
        assert_eq!(
            folded["default_route_table.main"],
            resources(
                "default_route_table main {\n  vpc = vpc.main\n  route {\n    cidr = \"0.0.0.0/0\"\n    gateway = internet_gateway.gw.id\n  }\n}\n"
            )["default_route_table.main"]
        );
    }

    #[test]
    fn acl_rules_are_entries_of_the_acl_they_name_outbound_ones_egress() {
        let rules = "network_acl_rule ssh {\n  network_acl_id = vpc.main.default_network_acl_id\n  rule_number = 50\n  rule_action = \"deny\"\n  protocol = \"tcp\"\n  from_port = 22\n  to_port = 22\n  cidr_block = \"0.0.0.0/0\"\n}\n\
                     network_acl_rule out {\n  network_acl_id = default_network_acl.main.id\n  egress = true\n  rule_number = 100\n  rule_action = \"allow\"\n  protocol = \"-1\"\n  ipv6_cidr_block = \"::/0\"\n  cidr_block = null\n}\n";
        let taken = format!("default_network_acl main {{ vpc = vpc.main }}\n{rules}");
        assert_eq!(
            resources(&taken)["default_network_acl.main"],
            resources(
                "default_network_acl main {\n  vpc = vpc.main\n  ingress {\n    rule_no = 50\n    action = \"deny\"\n    protocol = \"tcp\"\n    from_port = 22\n    to_port = 22\n    cidr = \"0.0.0.0/0\"\n  }\n  egress {\n    rule_no = 100\n    action = \"allow\"\n    protocol = \"-1\"\n    cidr = \"::/0\"\n  }\n}\n"
            )["default_network_acl.main"]
        );
    }

    /// `each.key` of a map read by a repeated attachment: E0211 before
    /// (Terraform's `for_each = aws_subnet.public` reads its keys so).
    #[test]
    fn a_repeated_attachment_reads_the_keys_of_a_map() {
        let terraform = resources(
            "variable arns { default = { \"arn:aws:iam::aws:policy/ReadOnlyAccess\" = \"read\" } }\n\
             iam_role_policy_attachment x {\n  for_each = var.arns\n  role = role.app.name\n  policy_arn = \"${each.key}\"\n}\n",
        );
        let berth = resources(
            "role app2 {\n  assume = \"ecs-tasks.amazonaws.com\"\n  policies = [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]\n}\n",
        );
        assert_eq!(
            terraform["role.app"].attrs["policies"],
            berth["role.app2"].attrs["policies"]
        );
    }

    #[test]
    fn what_cannot_be_folded_is_named() {
        assert_eq!(
            errors(
                "route_table_association a {\n  subnet_id = subnet.public[0].id\n  route_table_id = \"rtb-0123\"\n}\n"
            ),
            ["a `route_table_association` is folded into a `route_table` of this stack"]
        );
        assert_eq!(
            errors(
                "route_table private {\n  count = 2\n  vpc = vpc.main\n}\n\
                 route_table_association a {\n  subnet_id = subnet.public[0].id\n  route_table_id = route_table.private.id\n}\n"
            ),
            ["which `route_table` is this `route_table_association` on?"]
        );
        // Repeated over what the variables decide, each names one instance
        // (`inert/folded.rs`); over what they do not, it must repeat as
        // its parent does.
        assert_eq!(
            errors(
                "route_table private {\n  count = 2\n  vpc = vpc.main\n}\n\
                 route_table_association a {\n  for_each = toset([\"0\"])\n  subnet_id = subnet.public[0].id\n  route_table_id = route_table.private[each.key].id\n}\n"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            errors(
                "route_table private {\n  count = 2\n  vpc = vpc.main\n}\n\
                 route_table_association a {\n  for_each = toset([subnet.public[0].id])\n  subnet_id = each.key\n  route_table_id = route_table.private[each.key].id\n}\n"
            ),
            ["a `route_table_association` on one instance of `route_table.private` repeats as it does"]
        );
        assert_eq!(
            errors(
                "iam_role_policy_attachment x {\n  policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n}\n"
            ),
            ["a `iam_role_policy_attachment` names its `role`"]
        );
    }

    /// dceoy's `aws_iam_role_policy_attachments_exclusive` (AWS provider
    /// 5.73) is the role's `policies` (E0101 before), with those attached
    /// one by one.
    #[test]
    fn exclusive_policy_attachments_are_the_roles_policies() {
        let role = |rest: &str| {
            crate::test_support::resources(&format!(
                "resource \"aws_iam_role\" \"execution\" {{\n  name = \"execution\"\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = [\"sts:AssumeRole\"], Principal = {{ Service = \"ecs-tasks.amazonaws.com\" }} }}]\n  }})\n{rest}}}\n"
            ))
        };
        let exclusive = role(
            "}\nresource \"aws_iam_role_policy_attachments_exclusive\" \"execution\" {\n  role_name   = aws_iam_role.execution.name\n  policy_arns = [\"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"]\n",
        );
        let listed = role(
            "  managed_policy_arns = [\"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"]\n",
        );
        assert_eq!(exclusive, listed);
        // Beside an attachment of its own, which the provider's docs list
        // in both (E0211 "set twice" before).
        let both = role(
            "}\nresource \"aws_iam_role_policy_attachment\" \"read\" {\n  role       = aws_iam_role.execution.name\n  policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n}\nresource \"aws_iam_role_policy_attachments_exclusive\" \"execution\" {\n  role_name   = aws_iam_role.execution.name\n  policy_arns = [\"arn:aws:iam::aws:policy/ReadOnlyAccess\", \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"]\n",
        );
        // A set: the policy listed twice is attached once.
        let policies = |shape: &BTreeMap<String, Shape>| -> std::collections::BTreeSet<String> {
            match &shape["role.execution"].attrs["policies"] {
                crate::stack::DesiredValue::Known(berth_provider::Value::List(arns)) => arns
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_owned))
                    .collect(),
                other => panic!("{other:?}"),
            }
        };
        let expected: std::collections::BTreeSet<String> = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned(),
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy".to_owned(),
        ]
        .into();
        assert_eq!(policies(&both), expected);
    }

    /// taytay's `aws_iam_policy_attachment` of one policy to roles (E0101
    /// before): each role's `policies`.
    #[test]
    fn a_policy_attachment_to_roles_is_each_roles_policy() {
        let roles = |rest: &str| {
            crate::test_support::resources(&format!(
                "resource \"aws_iam_role\" \"a\" {{\n  assume_role_policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ Service = \"ecs-tasks.amazonaws.com\" }} }}] }})\n{rest}}}\n\
                 resource \"aws_iam_role\" \"b\" {{\n  assume_role_policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ Service = \"ecs-tasks.amazonaws.com\" }} }}] }})\n{rest}}}\n"
            ))
        };
        let attached = crate::test_support::resources(
            "resource \"aws_iam_role\" \"a\" {\n  assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { Service = \"ecs-tasks.amazonaws.com\" } }] })\n}\n\
             resource \"aws_iam_role\" \"b\" {\n  assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { Service = \"ecs-tasks.amazonaws.com\" } }] })\n}\n\
             resource \"aws_iam_policy_attachment\" \"read\" {\n  name       = \"read\"\n  roles      = [aws_iam_role.a.name, aws_iam_role.b.name]\n  users      = []\n  policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n}\n",
        );
        let listed = roles("  managed_policy_arns = [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]\n");
        assert_eq!(attached, listed);
    }
}
