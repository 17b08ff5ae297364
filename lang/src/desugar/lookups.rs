//! Terraform's data sources as berth's lookups: the types berth names
//! otherwise (`data "aws_route53_zone"`, written `data route53_zone`, is
//! `data hosted_zone`), their arguments and attributes under Terraform's
//! names (`private_zone`, `zone_id`), EC2's `filter { name  values }`
//! blocks (`vpc-id`, `tag:KEY`, ...), and arguments that restate what
//! berth's lookups do (`most_recent = true`); every reference to such a
//! lookup (`data.route53_zone.main.zone_id`) reads berth's
//! (`data.hosted_zone.main.id`).

use std::collections::BTreeMap;

use berth_provider::lookup::DataKind;

use super::names::HTTP_NAMESPACE;
use super::{CODE, literal, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::syntax::DATA;
use crate::syntax::ast::{
    Attribute, Block, Expr, ExprKind, File, Ident, Item, Label, MapEntry, MapKey, Step,
};

/// Terraform's data source types (without `aws_`) that berth names
/// otherwise.
const KINDS: &[(&str, DataKind)] = &[
    ("route53_zone", DataKind::HostedZone),
    ("acm_certificate", DataKind::Certificate),
    ("ec2_managed_prefix_list", DataKind::PrefixList),
    ("ecs_cluster", DataKind::Cluster),
    ("iam_role", DataKind::Role),
    ("lb", DataKind::LoadBalancer),
    ("alb", DataKind::LoadBalancer),
    ("lb_target_group", DataKind::TargetGroup),
    ("alb_target_group", DataKind::TargetGroup),
    ("lb_listener", DataKind::Listener),
    ("alb_listener", DataKind::Listener),
    ("iam_policy", DataKind::ManagedPolicy),
    ("secretsmanager_secret", DataKind::Secret),
    // A version is read for its secret's ARN (a container's `secrets`);
    // berth never reads a secret's value.
    ("secretsmanager_secret_version", DataKind::Secret),
    ("ecs_task_definition", DataKind::TaskDefinition),
    // Removed in AWS provider 5, still in many examples: its `ids`.
    ("subnet_ids", DataKind::Subnets),
    ("service_discovery_dns_namespace", DataKind::DnsNamespace),
    // Its type is HTTP: written as a filter where the block is rewritten.
    (HTTP_NAMESPACE, DataKind::DnsNamespace),
];

/// The lookup Terraform's data source type `name` is, written with or
/// without `aws_` (`aws_route53_zone`, `route53_zone`, `aws_vpc`).
pub(crate) fn terraform_data_kind(name: &str) -> Option<DataKind> {
    let bare = crate::check::terraform_names::without_aws(name);
    KINDS
        .iter()
        .find(|(tf, _)| *tf == bare)
        .map(|(_, kind)| *kind)
        .or_else(|| bare.parse().ok())
}

/// Terraform's names of a lookup's arguments and attributes: (lookup,
/// Terraform's, berth's).
const NAMES: &[(DataKind, &str, &str)] = &[
    (DataKind::HostedZone, "zone_id", "id"),
    (DataKind::HostedZone, "private_zone", "private"),
    (DataKind::Vpc, "cidr_block", "cidr"),
    (DataKind::Subnet, "cidr_block", "cidr"),
    (DataKind::Subnet, "availability_zone", "zone"),
    (DataKind::Subnet, "vpc_id", "vpc"),
    (DataKind::Subnet, "default_for_az", "default"),
    (DataKind::Subnets, "vpc_id", "vpc"),
    (DataKind::SecurityGroup, "vpc_id", "vpc"),
    (DataKind::Cluster, "cluster_name", "name"),
    (DataKind::Listener, "load_balancer_arn", "load_balancer"),
    (DataKind::EcrRepository, "repository_url", "url"),
    (DataKind::TaskDefinition, "task_definition", "family"),
    (DataKind::KmsKey, "key_id", "id"),
    (DataKind::Secret, "secret_id", "id"),
    // Terraform's `id` of a secret (read, not a filter) is its ARN.
    (DataKind::Secret, "id", "arn"),
    (DataKind::KmsKey, "key_usage", "usage"),
    (DataKind::KmsKey, "customer_master_key_spec", "spec"),
    (DataKind::KmsKey, "key_spec", "spec"),
    (DataKind::KmsKey, "key_manager", "manager"),
    (DataKind::KmsKey, "key_state", "state"),
];

/// Arguments that restate what berth's lookup does: (lookup, argument,
/// the value that is berth's behaviour, what berth does instead).
const RESTATED: &[(DataKind, &str, &str, &str)] = &[
    (
        DataKind::Certificate,
        "most_recent",
        "true",
        "berth's lookup takes the newest issued certificate",
    ),
    (
        DataKind::Secret,
        "version_stage",
        "AWSCURRENT",
        "a secret is read for its ARN, which names its current version",
    ),
    (
        DataKind::SsmParameter,
        "with_decryption",
        "true",
        "berth reads a SecureString's value decrypted (and keeps it sensitive)",
    ),
];

/// EC2's filter names berth's lookups take as their own filters: (the
/// lookups, EC2's name, berth's filter).
const EC2_FILTERS: &[(&[DataKind], &str, &str)] = &[
    (&[DataKind::Vpc], "vpc-id", "id"),
    (
        &[DataKind::Subnet, DataKind::Subnets, DataKind::SecurityGroup],
        "vpc-id",
        "vpc",
    ),
    (
        &[DataKind::Subnet, DataKind::Subnets],
        "availability-zone",
        "zone",
    ),
    (&[DataKind::Subnet, DataKind::Subnets], "subnet-id", "id"),
    (
        &[DataKind::Subnet, DataKind::Subnets],
        "default-for-az",
        "default",
    ),
    (
        &[DataKind::Subnet, DataKind::Subnets],
        "map-public-ip-on-launch",
        "public",
    ),
    (&[DataKind::SecurityGroup], "group-id", "id"),
    (&[DataKind::SecurityGroup], "group-name", "name"),
];

/// Rewrites every `data` block of `files` written with Terraform's names,
/// and every reference to one, into berth's lookups.
pub(super) fn rewrite(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    secret_versions(files, diags);
    kms_aliases(files, diags);
    let mut renamed: BTreeMap<(String, String), DataKind> = BTreeMap::new();
    let mut any = false;
    for (_, file) in files.iter_mut() {
        for block in file.blocks.iter_mut().filter(|b| b.kind.name == DATA) {
            any = true;
            let Some(word) = block.subkind.as_ref().map(|w| w.name.clone()) else {
                continue;
            };
            if let Some((_, kind)) = KINDS.iter().find(|(tf, _)| *tf == word) {
                if let Some(Label::Ident(name)) = &block.label {
                    renamed.insert((word.clone(), name.name.clone()), *kind);
                }
                if word == HTTP_NAMESPACE {
                    super::names::http_namespace(block);
                }
                if let Some(w) = &mut block.subkind {
                    w.name = kind.keyword().into();
                }
            }
            if let Some(kind) = block
                .subkind
                .as_ref()
                .and_then(|w| w.name.parse::<DataKind>().ok())
            {
                arguments(kind, block, diags);
            }
        }
    }
    // Without a lookup there is no reference to rewrite: no second walk
    // of every expression.
    if !any {
        return;
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            super::each_expr(block, &mut |e| references(e, &renamed));
        }
    }
}

/// Terraform's type of a secret's version lookup.
const SECRET_VERSION: &str = "secretsmanager_secret_version";

/// Takes out each `data secretsmanager_secret_version` whose `secret_id`
/// reads a secret (a lookup's or the stack's, `.id` or `.arn`: both its
/// ARN); what reads the version reads that secret, whose ARN is the
/// version's. They are often named as their secret (`key`, `key`), which
/// two lookups of one kind cannot be.
fn secret_versions(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let mut secrets: BTreeMap<String, Expr> = BTreeMap::new();
    for (_, file) in files.iter_mut() {
        file.blocks.retain(|block| {
            let secret = (block.kind.name == DATA
                && block.subkind.as_ref().is_some_and(|k| k.name == SECRET_VERSION))
            .then(|| secret_read(block))
            .flatten();
            match (secret, &block.label) {
                (Some(secret), Some(Label::Ident(name))) => {
                    secrets.insert(name.name.clone(), secret);
                    false
                }
                _ => true,
            }
        });
    }
    if secrets.is_empty() {
        return;
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            super::each_expr(block, &mut |e| through_version(e, &secrets, diags));
        }
    }
}

/// Terraform's lookup of a KMS key by one of its aliases.
const KMS_ALIAS: &str = "kms_alias";

/// Each `data kms_alias` as the `kms_key` lookup of its `name` (berth's
/// takes `alias/...`), and each read of it under Terraform's names: the
/// key's `target_key_arn` and `target_key_id`; the alias's `name` and `id`,
/// the name written. The alias's own `arn` is refused where it is read:
/// IAM policies grant on the key's. A key lookup of the same name beside
/// it (Terraform's types keep names apart) leaves the alias's as
/// `NAME_alias`.
fn kms_aliases(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let data = |b: &&mut Block, kind: &str| {
        b.kind.name == DATA && b.subkind.as_ref().is_some_and(|k| k.name == kind)
    };
    let keys: Vec<String> = files
        .iter_mut()
        .flat_map(|(_, f)| f.blocks.iter_mut())
        .filter(|b| data(b, DataKind::KmsKey.keyword()))
        .filter_map(|b| match &b.label {
            Some(Label::Ident(label)) => Some(label.name.clone()),
            _ => None,
        })
        .collect();
    // Each alias lookup's name: (what it is read as, the alias written).
    let mut aliases: BTreeMap<String, (String, Expr)> = BTreeMap::new();
    for (_, file) in files.iter_mut() {
        for block in file.blocks.iter_mut().filter(|b| data(b, KMS_ALIAS)) {
            let (Some(kind), Some(Label::Ident(label))) = (&mut block.subkind, &mut block.label) else {
                continue;
            };
            kind.name = DataKind::KmsKey.keyword().into();
            let written = label.name.clone();
            if keys.contains(&written) {
                label.name = format!("{written}_alias");
            }
            for item in &mut block.body {
                if let Item::Attribute(a) = item
                    && a.name.name == "name"
                {
                    a.name.name = "id".into();
                    aliases.insert(written.clone(), (label.name.clone(), a.value.clone()));
                }
            }
        }
    }
    if aliases.is_empty() {
        return;
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            super::each_expr(block, &mut |e| through_alias(e, &aliases, diags));
        }
    }
}

/// `e` with each read of a folded alias lookup read from its key lookup,
/// or as the alias name written.
fn through_alias(e: &mut Expr, aliases: &BTreeMap<String, (String, Expr)>, diags: &mut Vec<Diagnostic>) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && let Some(named) = t.named().filter(|n| n.data && n.kind == KMS_ALIAS)
        && let Some((label, alias)) = aliases.get(named.name)
    {
        let attr = match named.rest {
            [Step::Attr(attr), ..] => attr.clone(),
            _ => return,
        };
        let read = match attr.name.as_str() {
            "name" | "id" if named.rest.len() == 1 => {
                e.kind = alias.kind.clone();
                return;
            }
            "target_key_arn" => "arn",
            "target_key_id" => "id",
            "arn" => {
                diags.push(
                    Diagnostic::error(CODE, "the alias's own ARN is not read", attr.span)
                        .label("berth looks the key up by its alias")
                        .help(format!(
                            "IAM policies grant on the key: read `data.aws_kms_alias.{}.target_key_arn`",
                            named.name
                        )),
                );
                "arn"
            }
            _ => return,
        };
        if let [Step::Attr(kind), Step::Attr(name), Step::Attr(attr), ..] = t.steps.as_mut_slice() {
            kind.name = DataKind::KmsKey.keyword().into();
            name.name.clone_from(label);
            attr.name = read.into();
        }
        return;
    }
    super::each_child(e, &mut |child| through_alias(child, aliases, diags));
}

/// The secret a version lookup's `secret_id` reads, as a reference to
/// that secret (without the attribute).
fn secret_read(block: &Block) -> Option<Expr> {
    // Besides `secret_id`, only what names a version (the secret's ARN is
    // every version's: Tracecat reads its own version back by
    // `version_id`) or orders the read.
    let mut id = None;
    for item in &block.body {
        match item {
            Item::Attribute(a) if a.name.name == "secret_id" => id = Some(a),
            Item::Attribute(a) if matches!(a.name.name.as_str(), "version_stage" | "version_id") => {}
            Item::Attribute(a) if a.name.name == crate::check::declare::DEPENDS_ON => {}
            _ => return None,
        }
    }
    let a = id?;
    let ExprKind::Traversal(t) = &a.value.unwrapped().kind else {
        return None;
    };
    let named = t.named()?;
    let secret = crate::check::terraform_names::without_aws(named.kind);
    let reads_arn = matches!(named.rest, [Step::Attr(attr)] if attr.name == "id" || attr.name == "arn");
    if !reads_arn || !matches!(secret, "secretsmanager_secret" | "secret") {
        return None;
    }
    let mut t = t.clone();
    t.steps.pop();
    Some(Expr {
        kind: ExprKind::Traversal(t),
        span: a.value.span,
    })
}

/// `e` with each read of a folded version's `arn` or `id` read from its
/// secret (its ARN); a read of its value is E0211 (berth never reads one).
fn through_version(e: &mut Expr, secrets: &BTreeMap<String, Expr>, diags: &mut Vec<Diagnostic>) {
    if let ExprKind::Traversal(t) = &e.kind
        && let Some(named) = t.named().filter(|n| n.data && n.kind == SECRET_VERSION)
        && secrets.contains_key(named.name)
        && let [Step::Attr(attr), ..] = named.rest
        && matches!(attr.name.as_str(), "secret_string" | "secret_binary")
    {
        diags.push(
            Diagnostic::error(CODE, "a secret's value is not read", attr.span)
                .label("berth never reads a secret's value")
                .help("give the container the secret's ARN (`secrets = { NAME = ...arn }`): ECS reads the value when the task starts"),
        );
        e.kind = ExprKind::Null;
        return;
    }
    if let ExprKind::Traversal(t) = &e.kind
        && let Some(named) = t.named().filter(|n| n.data && n.kind == SECRET_VERSION)
        && let Some(secret) = secrets.get(named.name)
        && let [Step::Attr(attr)] = named.rest
        && (attr.name == "arn" || attr.name == "id")
    {
        let ExprKind::Traversal(mut read) = secret.kind.clone() else {
            return;
        };
        read.steps.push(Step::Attr(Ident {
            name: "arn".to_owned(),
            span: attr.span,
        }));
        e.kind = ExprKind::Traversal(read);
        return;
    }
    super::each_child(e, &mut |child| through_version(child, secrets, diags));
}

/// The arguments of the lookup `block` of `kind`, named and filtered as
/// berth's.
fn arguments(kind: DataKind, block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let mut tags: Vec<MapEntry> = Vec::new();
    for item in std::mem::take(&mut block.body) {
        match item {
            Item::Attribute(mut a) => {
                if let Some((_, _, default, instead)) = RESTATED
                    .iter()
                    .find(|(k, name, ..)| *k == kind && *name == a.name.name)
                {
                    super::defaults::check(
                        &a.value,
                        (&a.name.name, default),
                        instead,
                        &format!("`{}`", a.name.name),
                        diags,
                    );
                    continue;
                }
                if kind.filter(&a.name.name).is_none()
                    && let Some(berth) = berth_name(kind, &a.name.name)
                {
                    a.name.name = berth.into();
                }
                block.body.push(Item::Attribute(a));
            }
            Item::Block(b) if b.kind.name == "filter" && kind.filter("tags").is_some() => {
                if let Some(made) = ec2_filter(kind, b, &mut tags, diags) {
                    block.body.push(Item::Attribute(made));
                }
            }
            other => block.body.push(other),
        }
    }
    if !tags.is_empty() {
        add_tags(block, tags);
    }
}

/// One of EC2's `filter { name  values }` blocks as berth's filter; a
/// `tag:KEY` filter is an entry of the lookup's `tags`, added to `tags`.
fn ec2_filter(
    kind: DataKind,
    b: Block,
    tags: &mut Vec<MapEntry>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Attribute> {
    let span = b.kind.span;
    let (mut name, mut values) = (None, None);
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a.value),
            Item::Attribute(a) if a.name.name == "values" => values = Some(a.value),
            other => diags.push(stray(&other, "a `filter` block", "`name` and `values`")),
        }
    }
    let ours = || EC2_FILTERS.iter().filter(|(kinds, ..)| kinds.contains(&kind));
    let takes = format!("`tag:KEY`, {}", super::listed(ours().map(|(_, ec2, _)| *ec2)));
    let Some(filter) = name.as_ref().and_then(literal).map(str::to_owned) else {
        diags.push(
            Diagnostic::error(
                CODE,
                "a `filter` names what it filters on",
                name.map_or(span, |n| n.span),
            )
            .label("not a name written out")
            .help(format!("berth's lookups take {takes}")),
        );
        return None;
    };
    let value = match values.map(|v| (v.span, v.kind)) {
        Some((_, ExprKind::List(mut items))) if items.len() == 1 => items.pop()?,
        other => {
            diags.push(
                Diagnostic::error(
                    CODE,
                    "a `filter` has one value here",
                    other.map_or(span, |(s, _)| s),
                )
                .label("not a list of one value")
                .help("berth's filters match one value each (tags take EC2's `*` and `?` wildcards)"),
            );
            return None;
        }
    };
    if let Some(key) = filter.strip_prefix("tag:") {
        tags.push(MapEntry {
            key: MapKey {
                name: key.to_owned(),
                quoted: true,
                span,
                computed: None,
            },
            value,
        });
        return None;
    }
    match ours().find(|(_, ec2, _)| *ec2 == filter) {
        Some((_, _, berth)) => Some(Attribute {
            name: Ident {
                name: (*berth).into(),
                span,
            },
            value,
            span,
        }),
        None => {
            diags.push(
                Diagnostic::error(CODE, format!("EC2's filter `{filter}` is not written"), span)
                    .label("in this `filter` block")
                    .help(format!("berth's lookups take {takes}")),
            );
            None
        }
    }
}

/// `entries` added to the lookup's `tags` map (made when it has none).
fn add_tags(block: &mut Block, entries: Vec<MapEntry>) {
    let existing = block.body.iter_mut().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "tags" => match &mut a.value.kind {
            ExprKind::Map(m) => Some(m),
            _ => None,
        },
        _ => None,
    });
    match existing {
        Some(map) => map.extend(entries),
        None => {
            let span = entries[0].key.span;
            block.body.push(Item::Attribute(Attribute {
                name: Ident {
                    name: "tags".into(),
                    span,
                },
                value: Expr {
                    kind: ExprKind::Map(entries),
                    span,
                },
                span,
            }));
        }
    }
}

/// berth's name of the lookup's argument or attribute `name`, when
/// `name` is Terraform's.
fn berth_name(kind: DataKind, name: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(k, tf, _)| *k == kind && *tf == name)
        .map(|(_, _, berth)| *berth)
}

/// `e`, and every expression in it, with references to a lookup written
/// under Terraform's type or attribute names reading berth's.
fn references(e: &mut Expr, renamed: &BTreeMap<(String, String), DataKind>) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == DATA
        && let [Step::Attr(kind), Step::Attr(name), rest @ ..] = t.steps.as_mut_slice()
    {
        if let Some(berth) = renamed.get(&(kind.name.clone(), name.name.clone())) {
            kind.name = berth.keyword().into();
        }
        if let Ok(kind) = kind.name.parse::<DataKind>()
            && let Some(Step::Attr(attr)) = rest.first_mut()
            && kind.attr(&attr.name).is_none()
            && let Some(berth) = berth_name(kind, &attr.name)
        {
            attr.name = berth.into();
        }
    }
    super::each_child(e, &mut |child| references(child, renamed));
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// lookcard's task role reads a key by its alias for a policy
    /// (`data.aws_kms_alias.gen.target_key_arn`): E0590, then an E0593 per
    /// read, before.
    #[test]
    fn an_alias_lookup_is_the_key_lookup_of_the_alias() {
        let stack = |lookup: &str, arn: &str, id: &str, name: &str| {
            resources(&format!(
                "{lookup}\n\
                 resource \"aws_ssm_parameter\" \"arn\" {{\n  name = \"arn\"\n  type = \"String\"\n  value = {arn}\n}}\n\
                 resource \"aws_ssm_parameter\" \"id\" {{\n  name = \"id\"\n  type = \"String\"\n  value = {id}\n}}\n\
                 resource \"aws_ssm_parameter\" \"name\" {{\n  name = \"name\"\n  type = \"String\"\n  value = {name}\n}}\n"
            ))
        };
        assert_eq!(
            stack(
                "data \"aws_kms_alias\" \"gen\" { name = \"alias/aws/ssm\" }",
                "data.aws_kms_alias.gen.target_key_arn",
                "data.aws_kms_alias.gen.target_key_id",
                "data.aws_kms_alias.gen.name",
            ),
            stack(
                "data kms_key gen { id = \"alias/aws/ssm\" }",
                "data.kms_key.gen.arn",
                "data.kms_key.gen.id",
                "\"alias/aws/ssm\"",
            )
        );
    }

    /// Tracecat reads its own secret back by the version it wrote
    /// (`version_id = aws_secretsmanager_secret_version.X.version_id`) for
    /// the ARN: the secret's, as without it. E0595, E0591 and E0306
    /// before.
    #[test]
    fn a_version_lookup_of_the_stacks_secret_by_version_id_is_the_secret() {
        let stack = |lookup: &str| {
            resources(&format!(
                "resource \"aws_secretsmanager_secret\" \"pwd\" {{ name = \"pwd\" }}\n\
                 resource \"aws_secretsmanager_secret_version\" \"pwd\" {{\n  secret_id = aws_secretsmanager_secret.pwd.id\n  secret_string = \"x\"\n}}\n\
                 data \"aws_secretsmanager_secret_version\" \"pwd\" {{\n  secret_id = aws_secretsmanager_secret.pwd.id\n{lookup}}}\n\
                 resource \"aws_ssm_parameter\" \"arn\" {{\n  name = \"arn\"\n  type = \"String\"\n  value = data.aws_secretsmanager_secret_version.pwd.arn\n}}\n"
            ))
        };
        assert_eq!(
            stack("  version_id = aws_secretsmanager_secret_version.pwd.version_id\n"),
            stack("")
        );
    }
}
