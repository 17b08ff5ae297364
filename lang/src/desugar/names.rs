//! Terraform's names of berth's settings, taken as written: an attribute
//! or nested block the schema does not hold whose Terraform name stands
//! for one it does (`vpc_id` for `vpc`, `cidr_block` for `cidr`,
//! `deployment_circuit_breaker` for `circuit_breaker`: the table and the
//! `_id`/`_arn` rule of [`crate::check::terraform_names`]) is that one;
//! and `KIND.NAME.id` of a kind whose identity is its ARN or name (a load
//! balancer's, a role's) reads what Terraform's `id` is. Across files,
//! Terraform's resource types berth names otherwise (`lb`) are its kinds.

use std::collections::BTreeSet;

use berth_provider::Kind;
use berth_provider::schema::Block as BlockSchema;

use crate::FileId;
use crate::check::terraform_names::{Berth, berth_kind, berth_name};
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item, Label, Step};

/// What Terraform's `id` of a kind without one is: (kind, berth's
/// attribute). A kind here has no `id` of its own (a test holds it so).
const IDS: &[(Kind, &str)] = &[
    (Kind::LoadBalancer, "arn"),
    (Kind::TargetGroup, "arn"),
    (Kind::Listener, "arn"),
    (Kind::ListenerRule, "arn"),
    (Kind::Cluster, "arn"),
    (Kind::Service, "arn"),
    (Kind::ManagedPolicy, "arn"),
    (Kind::Secret, "arn"),
    (Kind::Certificate, "arn"),
    // The provider's id of a task definition is its family.
    (Kind::TaskDefinition, "family"),
    (Kind::Role, "name"),
    (Kind::LogGroup, "name"),
    (Kind::EcrRepository, "name"),
    (Kind::SsmParameter, "name"),
    (Kind::MetricAlarm, "name"),
    (Kind::KmsKey, "key_id"),
    (Kind::SqsQueue, "url"),
    (Kind::EventRule, "name"),
];

/// Terraform's resource types written without `aws_` that berth names
/// otherwise (`lb`, `ecs_service`, `cloudwatch_log_group`): the blocks
/// declared so are berth's kind, and so is every reference to one of
/// them (`lb.this.arn`), in any of `files`.
pub(super) fn kinds(files: &mut [(FileId, File)]) {
    let written: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .map(|b| b.kind.name.clone())
        .collect();
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            super::each_expr(block, &mut |e| without_aws_prefix(e, &written));
        }
    }
    let mut declared: BTreeSet<(String, String)> = BTreeSet::new();
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            if let (Some(kind), Some(Label::Ident(name))) = (berth_kind(&block.kind.name), &block.label)
                && block.kind.name.parse::<Kind>().is_err()
            {
                declared.insert((block.kind.name.clone(), name.name.clone()));
                if block.kind.name == HTTP_NAMESPACE {
                    http_namespace(block);
                }
                block.kind.name = kind.into();
            }
        }
    }
    if declared.is_empty() {
        return;
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            super::each_expr(block, &mut |e| references(e, &declared));
        }
    }
}

/// Terraform's type of an HTTP namespace (and of its lookup): a
/// `dns_namespace` of type `HTTP`.
pub(super) const HTTP_NAMESPACE: &str = "service_discovery_http_namespace";

/// The namespace `block`, written as Terraform's HTTP namespace, with
/// `type = "HTTP"` (unless written).
pub(super) fn http_namespace(block: &mut Block) {
    if block.body.iter().any(|i| super::item_name(i).0 == "type") {
        return;
    }
    let at = block.kind.span;
    let http = Expr {
        kind: ExprKind::String(vec![crate::syntax::ast::StrPart::Lit("HTTP".into())]),
        span: at,
    };
    block.body.push(super::attribute("type", http, at));
}

/// `e`, and every expression in it, with Terraform's resource types
/// written as berth writes them: `aws_vpc.main.id` is `vpc.main.id` and
/// `data.aws_vpc.main.id` is `data.vpc.main.id`, as the blocks of
/// Terraform's headers (`resource "aws_vpc" "main"`) are `vpc main`;
/// `written`: the kinds of the stack's blocks, so that a reference to one
/// berth folds away (`aws_acm_certificate_validation`) names it too.
fn without_aws_prefix(e: &mut Expr, written: &BTreeSet<String>) {
    if let ExprKind::Traversal(t) = &mut e.kind {
        // Every `data.aws_...` is one of Terraform's AWS lookups; a root
        // is a resource type when berth knows it under either name.
        let (word, known) = if t.root.name == crate::syntax::DATA {
            match t.steps.first_mut() {
                Some(Step::Attr(kind)) => (Some(&mut kind.name), true),
                _ => (None, false),
            }
        } else {
            let known = t.root.name.strip_prefix("aws_").is_some_and(|kind| {
                kind.parse::<Kind>().is_ok() || berth_kind(kind).is_some() || written.contains(kind)
            });
            (Some(&mut t.root.name), known)
        };
        if let Some(word) = word
            && known
            && let Some(kind) = word.strip_prefix("aws_")
            && !kind.is_empty()
        {
            *word = kind.to_owned();
        }
    }
    super::each_child(e, &mut |child| without_aws_prefix(child, written));
}

/// `e`, and every expression in it, with references to a block
/// `declared` under Terraform's type naming it by berth's kind.
fn references(e: &mut Expr, declared: &BTreeSet<(String, String)>) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && let Some(Step::Attr(name)) = t.steps.first()
        && declared.contains(&(t.root.name.clone(), name.name.clone()))
        && let Some(kind) = berth_kind(&t.root.name)
    {
        t.root.name = kind.into();
    }
    super::each_child(e, &mut |child| references(child, declared));
}

/// Renames Terraform's names in the resource `block` of `kind`, and in
/// every expression of it.
pub(super) fn resource(block: &mut Block) {
    if let Ok(kind) = block.kind.name.parse::<Kind>() {
        settings(block, &kind.schema().as_block());
    }
    super::each_expr(block, &mut ids);
}

/// Renames the settings of `block`, whose schema is `schema`, that are
/// Terraform's names of others it holds, unless those are written too.
fn settings(block: &mut Block, schema: &BlockSchema) {
    let names = |block: &Block| -> Vec<String> {
        block
            .body
            .iter()
            .map(|item| super::item_name(item).0.to_owned())
            .collect()
    };
    alternatives(block, schema, &names(block));
    let written = names(block);
    for item in &mut block.body {
        match item {
            Item::Attribute(a) if schema.attr(&a.name.name).is_none() => {
                if let Some(Berth::Name(n)) = berth_name(schema, &a.name.name)
                    && schema.attr(n).is_some()
                    && !written.iter().any(|w| w == n)
                {
                    a.name.name = n.into();
                }
            }
            Item::Block(b) => {
                if schema.block(&b.kind.name).is_none()
                    && let Some(Berth::Name(n)) = berth_name(schema, &b.kind.name)
                    && schema.block(n).is_some()
                    && !written.iter().any(|w| w == n)
                {
                    b.kind.name = n.into();
                }
                if b.kind.name == crate::check::dynamic::DYNAMIC {
                    dynamic_label(b, schema);
                }
                let inner = if b.kind.name == crate::check::dynamic::DYNAMIC {
                    dynamic_schema(b, schema)
                } else {
                    schema.block(&b.kind.name).copied()
                };
                if let Some(inner) = inner {
                    if b.kind.name == crate::check::dynamic::DYNAMIC {
                        for content in b.body.iter_mut().filter_map(|i| match i {
                            Item::Block(c) if c.kind.name == crate::check::dynamic::CONTENT => Some(c),
                            _ => None,
                        }) {
                            settings(content, &inner);
                        }
                    } else {
                        settings(b, &inner);
                    }
                }
            }
            Item::Attribute(_) => {}
        }
    }
}

/// Terraform's names of one of berth's attributes written together in
/// `block` (an ACL entry's `cidr_block` and `ipv6_cidr_block`, as
/// terraform-aws-modules/vpc writes both, one of them
/// `lookup(rule, "ipv6_cidr_block", null)`), or with berth's name that is
/// also Terraform's (a service registry's `port` and `container_port`, as
/// terraform-aws-modules/ecs writes both, `try(..., null)`), become one
/// setting. `written`: the names `block` writes.
fn alternatives(block: &mut Block, schema: &BlockSchema, written: &[String]) {
    let berths = |name: &str| match berth_name(schema, name) {
        Some(Berth::Name(n)) if schema.attr(name).is_none() && schema.attr(n).is_some() => Some(n),
        _ => None,
    };
    let value = |name: &str| {
        block.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == name => Some(&a.value),
            _ => None,
        })
    };
    // Berth's name beside Terraform's is one setting where either may be
    // null; two values are two settings, an error.
    let named: Vec<&str> = written
        .iter()
        .filter_map(|w| Some((w, berths(w)?)))
        .filter(|(w, n)| {
            !written.iter().any(|x| x == n) || [value(w), value(n)].into_iter().flatten().any(maybe_null)
        })
        .map(|(_, n)| n)
        .collect();
    let alias_of_named = |name: &str| berths(name).filter(|n| named.contains(n));
    one_setting(&mut block.body, |name| match alias_of_named(name) {
        Some(n) => Some(n),
        None => named.iter().find(|n| **n == name).copied(),
    });
}

/// Whether `e` is written to be null when what it reads is not there:
/// `null`, `try(..., null)`, `lookup(..., null)`.
fn maybe_null(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Null => true,
        ExprKind::Call(c) if matches!(c.name.name.as_str(), "try" | "lookup") => c
            .args
            .last()
            .is_some_and(|last| matches!(last.kind, ExprKind::Null)),
        _ => false,
    }
}

/// `first != null ? first : (second != null ? second : ...)`: the first
/// of the values that is not null, or null (where `coalesce` fails).
fn first_not_null(first: Expr, rest: Vec<Expr>) -> Expr {
    let mut rest = rest.into_iter();
    let Some(second) = rest.next() else {
        return first;
    };
    let span = first.span;
    let is_set = Expr {
        kind: ExprKind::Binary(
            crate::syntax::ast::BinaryOp::NotEq,
            Box::new(first.clone()),
            Box::new(Expr {
                kind: ExprKind::Null,
                span,
            }),
        ),
        span,
    };
    Expr {
        kind: ExprKind::Conditional(
            Box::new(is_set),
            Box::new(first),
            Box::new(first_not_null(second, rest.collect())),
        ),
        span,
    }
}

/// Attributes of `body` that stand for one setting (`berth` of their
/// names: the same one) become one under the first name: the first of
/// their values that is not null (EC2 takes one range an entry, the
/// other is null).
pub(super) fn one_setting<'b>(body: &mut Vec<Item>, berth: impl Fn(&str) -> Option<&'b str>) {
    let names: Vec<Option<&str>> = body
        .iter()
        .map(|item| match item {
            Item::Attribute(a) => berth(&a.name.name),
            Item::Block(_) => None,
        })
        .collect();
    let mut merged: Vec<(usize, Vec<Expr>)> = Vec::new();
    let mut gone = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let Some(name) = name else { continue };
        let Some(first) = names[..i].iter().position(|n| n.as_ref() == Some(name)) else {
            continue;
        };
        if let Item::Attribute(a) = &body[i] {
            match merged.iter_mut().find(|(f, _)| *f == first) {
                Some((_, values)) => values.push(a.value.clone()),
                None => merged.push((first, vec![a.value.clone()])),
            }
        }
        gone.push(i);
    }
    for (first, rest) in merged {
        if let Item::Attribute(a) = &mut body[first] {
            a.value = first_not_null(a.value.clone(), rest);
        }
    }
    for i in gone.into_iter().rev() {
        body.remove(i);
    }
}

/// The schema of the blocks a `dynamic` block makes.
/// A `dynamic` block of a block under Terraform's name
/// (`dynamic "service_registries"`): of berth's block, its content still
/// calling the element by the name written (`iterator`).
fn dynamic_label(d: &mut Block, schema: &BlockSchema) {
    let Some(label) = &d.label else { return };
    let (name, span) = match label {
        crate::syntax::ast::Label::Ident(i) => (i.name.clone(), i.span),
        crate::syntax::ast::Label::String(e) => match super::literal(e) {
            Some(n) => (n.to_owned(), e.span),
            None => return,
        },
    };
    let Some(Berth::Name(berth)) = berth_name(schema, &name) else {
        return;
    };
    if schema.block(&name).is_some() || schema.block(berth).is_none() {
        return;
    }
    let names_iterator = d
        .body
        .iter()
        .any(|i| matches!(i, Item::Attribute(a) if a.name.name == "iterator"));
    if !names_iterator {
        let ident = |n: &str| crate::syntax::ast::Ident { name: n.into(), span };
        d.body.push(Item::Attribute(crate::syntax::ast::Attribute {
            name: ident("iterator"),
            value: Expr {
                kind: ExprKind::Traversal(crate::syntax::ast::Traversal {
                    root: ident(&name),
                    steps: Vec::new(),
                }),
                span,
            },
            span,
        }));
    }
    d.label = Some(crate::syntax::ast::Label::Ident(crate::syntax::ast::Ident {
        name: berth.into(),
        span,
    }));
}

fn dynamic_schema(d: &Block, schema: &BlockSchema) -> Option<BlockSchema> {
    let name = match &d.label {
        Some(crate::syntax::ast::Label::Ident(i)) => i.name.as_str(),
        Some(crate::syntax::ast::Label::String(e)) => super::literal(e)?,
        None => return None,
    };
    schema.block(name).copied()
}

/// Terraform's attributes of what berth does not write (IPv6 networks):
/// none, so they read as `null` (terraform-aws-modules/vpc's subnets read
/// `aws_vpc.this[0].ipv6_cidr_block` where IPv6 is off).
const NONE: &[(Kind, &str)] = &[
    (Kind::Vpc, "ipv6_cidr_block"),
    (Kind::Vpc, "ipv6_association_id"),
    (Kind::Subnet, "ipv6_cidr_block"),
    (Kind::Subnet, "ipv6_cidr_block_association_id"),
];

/// `e`, and every expression in it, with `KIND.NAME.id` of a kind without
/// an `id` reading Terraform's `id`, `KIND.NAME.ATTR` under Terraform's
/// name of one of berth's attributes (`vpc.main.cidr_block`) reading that
/// one, and one of [`NONE`] read as `null`.
fn ids(e: &mut Expr) {
    // `[for s in aws_subnet.x : s.cidr_block]`: the element is an instance
    // of that kind, read under berth's names too.
    if let ExprKind::For(f) = &mut e.kind
        && let Some(kind) = instances_of(&f.collection)
    {
        let element = f.value.name.clone();
        let rename = |e: &mut Expr| element_reads(e, &element, kind);
        match &mut f.result {
            crate::syntax::ast::ForResult::List(v) => rename(v),
            crate::syntax::ast::ForResult::Map { key, value, .. } => {
                rename(key);
                rename(value);
            }
        }
        if let Some(cond) = &mut f.cond {
            rename(cond);
        }
    }
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == crate::syntax::DATA
        && let [Step::Attr(kind), Step::Attr(_), Step::Attr(attr)] = t.steps.as_mut_slice()
        && attr.name == "id"
        && let Some(id) = lookup_id(&kind.name)
    {
        attr.name = id.into();
    }
    if let ExprKind::Traversal(t) = &mut e.kind
        && let Ok(kind) = t.root.name.parse::<Kind>()
    {
        // `KIND.NAME.ATTR`, `KIND.NAME[KEY].ATTR`, `KIND.NAME[*].ATTR`.
        let at = match t.steps.get(1) {
            Some(Step::Index(_) | Step::Splat(_)) => 2,
            _ => 1,
        };
        let one = !matches!(t.steps.get(1), Some(Step::Splat(_)));
        if one
            && t.steps.len() == at + 1
            && matches!(t.steps.get(at), Some(Step::Attr(a)) if NONE.contains(&(kind, a.name.as_str())))
        {
            e.kind = ExprKind::Null;
            return;
        }
        // A bare `KIND` (`ignore_changes = [task_definition]` names an
        // attribute, not a block) reads nothing.
        if let Some(renamed) = t.steps.get(at..).and_then(|rest| nested_read(kind, rest)) {
            t.steps.truncate(at + 1);
            if let Some(Step::Attr(a)) = t.steps.get_mut(at) {
                a.name = renamed.into();
            }
        } else if let Some(Step::Attr(a)) = t.steps.get_mut(at) {
            let schema = kind.schema().as_block();
            if let Some(renamed) = read_as(kind, &schema, &a.name) {
                a.name = renamed.into();
            }
        }
    }
    super::each_child(e, &mut ids);
}

/// What Terraform's `id` of a lookup of `kind` (without one of its own)
/// is: the role's name (`data.aws_iam_role.x.id`), else the ARN
/// (`data.aws_ecs_cluster.x.id`, a load balancer's, a task definition's).
fn lookup_id(kind: &str) -> Option<&'static str> {
    let data = kind.parse::<berth_provider::lookup::DataKind>().ok()?;
    if data.attr("id").is_some() {
        return None;
    }
    let id = match data {
        berth_provider::lookup::DataKind::Role => "name",
        _ => "arn",
    };
    data.attr(id).map(|a| a.name)
}

/// The kind whose instances `collection` is: a repeated resource read
/// whole (`aws_subnet.private`, `values(aws_subnet.private)`).
fn instances_of(collection: &Expr) -> Option<Kind> {
    match &collection.kind {
        ExprKind::Traversal(t) if t.steps.len() == 1 => t.root.name.parse().ok(),
        ExprKind::Call(c) if c.name.name == "values" && c.args.len() == 1 => instances_of(&c.args[0]),
        _ => None,
    }
}

/// `e` with each `ELEMENT.ATTR` under Terraform's name of one of `kind`'s
/// attributes reading berth's.
fn element_reads(e: &mut Expr, element: &str, kind: Kind) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == element
        && let Some(Step::Attr(a)) = t.steps.first_mut()
    {
        if let Some(renamed) = read_as(kind, &kind.schema().as_block(), &a.name) {
            a.name = renamed.into();
        }
        return;
    }
    super::each_child(e, &mut |child| element_reads(child, element, kind));
}

/// Settings Terraform keeps in a nested block that berth writes on the
/// resource: (kind, Terraform's block, its setting, berth's attribute).
const NESTED_READS: &[(Kind, &str, &str, &str)] = &[(
    Kind::Cluster,
    "service_connect_defaults",
    "namespace",
    "service_connect_namespace",
)];

/// Berth's attribute a read of Terraform's nested block, `steps`
/// (`service_connect_defaults[0].namespace`), stands for.
fn nested_read(kind: Kind, steps: &[Step]) -> Option<&'static str> {
    let [Step::Attr(block), Step::Index(_), Step::Attr(setting)] = steps else {
        return None;
    };
    NESTED_READS
        .iter()
        .find(|(k, b, s, _)| *k == kind && block.name == *b && setting.name == *s)
        .map(|(_, _, _, berth)| *berth)
}

/// The attribute of `kind` (whose schema is `schema`) a reference to its
/// `attr` reads, when `attr` is Terraform's name and not berth's.
fn read_as(kind: Kind, schema: &BlockSchema, attr: &str) -> Option<&'static str> {
    if schema.attr(attr).is_some() {
        return None;
    }
    if attr == "id" {
        return IDS.iter().find(|(k, _)| *k == kind).map(|(_, a)| *a);
    }
    match berth_name(schema, attr)? {
        Berth::Name(n) if schema.attr(n).is_some() => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::test_support::Shape;

    const BASE: &str = r#"
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port  = 80
  }
}
"#;

    fn resources(text: &str) -> BTreeMap<String, Shape> {
        crate::test_support::resources(&format!("{BASE}{text}"))
    }

    /// TracecatHQ/tracecat's services: the Service Connect proxy's
    /// `log_configuration` (and a CDK integ's `access_log_configuration`), and the namespace read from the cluster's
    /// `service_connect_defaults` block (E0205 and E0305 before).
    #[test]
    fn service_connect_as_terraform_writes_it_is_berths() {
        let service = |namespace: &str, log: &str| {
            resources(&format!(
                r#"
dns_namespace ns {{
  name = "app.local"
  type = "HTTP"
}}
cluster other {{ service_connect_namespace = dns_namespace.ns.arn }}
service app {{
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = ["subnet-0123456789abcdef0"]
  service_connect {{
    enabled   = true
    namespace = {namespace}
    {log}
  }}
}}
"#
            ))
            .remove("service.app")
            .expect("service.app is evaluated")
        };
        assert_eq!(
            service(
                "cluster.other.service_connect_defaults[0].namespace",
                r#"log_configuration {
      log_driver = "awslogs"
      options    = { "awslogs-group" = "/ecs/proxy" }
    }
    access_log_configuration {
      format                   = "JSON"
      include_query_parameters = "ENABLED"
    }"#
            ),
            service(
                "cluster.other.service_connect_namespace",
                r#"log {
      driver  = "awslogs"
      options = { "awslogs-group" = "/ecs/proxy" }
    }
    access_log {
      format                   = "JSON"
      include_query_parameters = "ENABLED"
    }"#
            ),
        );
    }

    #[test]
    fn terraforms_names_are_berths() {
        let terraform = resources(
            r#"
vpc main { cidr_block = "10.0.0.0/16" }
subnet a {
  vpc_id            = vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
target_group web {
  vpc_id      = vpc.main.id
  port        = 80
  target_type = "ip"
}
log_group app { retention_in_days = 7 }
service app {
  cluster         = cluster.main.id
  task_definition = task_definition.app.arn
  subnets         = [subnet.a.id]
  load_balancer {
    target_group_arn = target_group.web.id
    container_name   = "app"
    container_port   = 80
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
"#,
        );
        let berth = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main.id
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
target_group web {
  vpc         = vpc.main.id
  port        = 80
  target_type = "ip"
}
log_group app { retention_days = 7 }
service app {
  cluster         = cluster.main.arn
  task_definition = task_definition.app.arn
  subnets         = [subnet.a.id]
  load_balancer {
    target_group = target_group.web.arn
    container    = "app"
    port         = 80
  }
  circuit_breaker {
    enable   = true
    rollback = true
  }
}
"#,
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn terraforms_types_are_berths_kinds_and_so_are_references_to_them() {
        let stack = crate::test_support::resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
subnet b {
  vpc  = vpc.main
  cidr = "10.0.2.0/24"
  zone = "us-east-1b"
}
lb this {
  internal = true
  subnets  = [subnet.a.id, subnet.b.id]
}
lb_target_group app {
  vpc_id      = vpc.main.id
  port        = 80
  target_type = "ip"
}
lb_listener http {
  load_balancer_arn = lb.this.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = lb_target_group.app.arn
  }
}
"#,
        );
        let addresses: Vec<&str> = stack.keys().map(String::as_str).collect();
        assert_eq!(
            addresses,
            [
                "listener.http",
                "load_balancer.this",
                "subnet.a",
                "subnet.b",
                "target_group.app",
                "vpc.main"
            ]
        );
        assert!(matches!(
            stack["listener.http"].attrs.get("load_balancer"),
            Some(crate::stack::DesiredValue::Ref(r)) if r.address.to_string() == "load_balancer.this"
        ));
    }

    #[test]
    fn references_under_terraforms_attribute_names_read_berths() {
        let terraform = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = cidrsubnet(vpc.main.cidr_block, 8, 1)
  zone = "us-east-1a"
}
subnet b {
  vpc  = vpc.main
  cidr = cidrsubnet(vpc.main.cidr_block, 8, 2)
  zone = subnet.a.availability_zone
}
hosted_zone site { name = "example.com" }
dns_record www {
  zone    = hosted_zone.site.zone_id
  name    = "www.example.com"
  type    = "CNAME"
  records = ["example.org"]
  ttl     = 300
}
"#,
        );
        let berth = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = cidrsubnet(vpc.main.cidr, 8, 1)
  zone = "us-east-1a"
}
subnet b {
  vpc  = vpc.main
  cidr = cidrsubnet(vpc.main.cidr, 8, 2)
  zone = subnet.a.zone
}
hosted_zone site { name = "example.com" }
dns_record www {
  zone    = hosted_zone.site.id
  name    = "www.example.com"
  type    = "CNAME"
  records = ["example.org"]
  ttl     = 300
}
"#,
        );
        assert_eq!(terraform, berth);
    }

    /// terraform-aws-modules/vpc writes both ranges of an ACL entry, the
    /// one it does not use `lookup(rule, "ipv6_cidr_block", null)`: it was
    /// `cidr` set twice (E0203).
    #[test]
    fn an_acl_entrys_two_ranges_written_as_terraform_writes_them_are_one() {
        let terraform = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
locals {
  rules = [
    { rule_no = 100, cidr_block = "10.0.0.0/8" },
    { rule_no = 101, ipv6_cidr_block = "::/0" },
  ]
}
default_network_acl this {
  vpc = vpc.main
  dynamic "ingress" {
    for_each = local.rules
    content {
      rule_no         = ingress.value.rule_no
      action          = "allow"
      protocol        = "-1"
      cidr_block      = lookup(ingress.value, "cidr_block", null)
      ipv6_cidr_block = lookup(ingress.value, "ipv6_cidr_block", null)
    }
  }
}
"#,
        );
        let berth = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
default_network_acl this {
  vpc = vpc.main
  ingress {
    rule_no  = 100
    action   = "allow"
    protocol = "-1"
    cidr     = "10.0.0.0/8"
  }
  ingress {
    rule_no  = 101
    action   = "allow"
    protocol = "-1"
    cidr     = "::/0"
  }
}
"#,
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn kinds_whose_id_is_read_as_another_attribute_have_none_of_their_own() {
        for (kind, attr) in super::IDS {
            let schema = kind.schema().as_block();
            assert!(schema.attr("id").is_none(), "{kind} has an `id`");
            assert!(schema.attr(attr).is_some(), "{kind} has no `{attr}`");
        }
    }

    #[test]
    fn a_name_written_beside_berths_stays_an_error() {
        let mut sources = crate::Sources::new();
        sources.add(
            "main.berth",
            "vpc main {\n  cidr = \"10.0.0.0/16\"\n  cidr_block = \"10.1.0.0/16\"\n}\n",
        );
        let analysis = crate::analyze(sources, Vec::new(), &crate::Options::default());
        let codes: Vec<_> = analysis.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0201"]);
    }

    /// Spacelift's stack reads its subnets' CIDRs through a `for`'s
    /// element (`[for s in aws_subnet.x : s.cidr_block]`): E0305 before,
    /// as `aws_subnet.x[0].cidr_block` was not.
    /// Terraform lookups' `id` (CDK's imports written as Terraform: 3 of
    /// 10 public uses of `data.aws_ecs_cluster` read `.id`): the ARN, and
    /// a role's name. E0593 before.
    #[test]
    fn a_lookups_terraform_id_is_its_arn_or_a_roles_name() {
        let service = |cluster: &str, role: &str| {
            crate::test_support::resources(&format!(
                "data \"aws_ecs_cluster\" \"main\" {{ cluster_name = \"shared\" }}\n\
                 data \"aws_iam_role\" \"exec\" {{ name = \"exec\" }}\n\
                 resource \"aws_cloudwatch_log_group\" \"a\" {{\n  name = \"a\"\n  tags = {{ cluster = {cluster}, role = {role} }}\n}}\n"
            ))
        };
        assert_eq!(
            service("data.aws_ecs_cluster.main.id", "data.aws_iam_role.exec.id"),
            service("data.aws_ecs_cluster.main.arn", "data.aws_iam_role.exec.name"),
        );
    }

    #[test]
    fn a_for_elements_attributes_are_read_under_berths_names() {
        let group = |cidrs: &str| {
            crate::test_support::resources(&format!(
                "vpc main {{ cidr = \"10.0.0.0/16\" }}\n\
                 resource \"aws_subnet\" \"x\" {{\n  count = 2\n  vpc_id = vpc.main.id\n  \
                 cidr_block = \"10.0.${{count.index + 1}}.0/24\"\n  availability_zone = \"us-east-1a\"\n}}\n\
                 security_group efs {{\n  vpc = vpc.main\n  dynamic \"ingress\" {{\n    for_each = {cidrs}\n    \
                 content {{\n      port = 2049\n      cidr = ingress.value\n    }}\n  }}\n}}\n"
            ))
            .remove("security_group.efs")
        };
        assert_eq!(
            group("[for s in aws_subnet.x : s.cidr_block]"),
            group("[for s in subnet.x : s.cidr]")
        );
    }
}
