//! Terraform's resources berth folds by their text into another block
//! (scaling targets, policies and scheduled actions into their service's
//! `autoscaling` block, `desugar/autoscaling.rs`): the fold reads one
//! block per resource and settings written as values. A module writes
//! them counted (`count = local.enable_autoscaling ? 1 : 0`), repeated
//! over a variable (`for_each = { for k, v in var.autoscaling_policies :
//! k => v if local.enable_autoscaling }`) and with settings read from
//! variables (`predefined_metric_type = each.value.metric`). What the
//! variables decide of them is written out here, as if written so: one
//! counted to one is the block itself, one repeated is one block per
//! element (`NAME_KEY`, its `each.key` and `each.value` the element's),
//! and each setting the variables decide is its value. Inline role
//! policies and ECR lifecycle policies are folded by their text too (a
//! policy's `name`, the label of the role's block; a lifecycle policy's
//! JSON, read into rules). A service's `deployment_controller { type }`,
//! checked before evaluation against what berth does, is settled too.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::Value;

use super::instances::pairs;
use super::{Element, Key, bind, key, literal, named};
use crate::analyze::Options;
use crate::check::declare::{self, DEPENDS_ON, LOCALS};
use crate::check::terraform_names::without_aws;
use crate::desugar::{each_child, each_expr};
use crate::source::{FileId, Sources};
use crate::syntax::ast::{
    Attribute, Block, Expr, ExprKind, File, Ident, Item, Label, MapEntry, MapKey, Step, Traversal,
};

/// Whether a block of `kind` is folded by its text.
pub(super) fn is_folded(kind: &str) -> bool {
    crate::desugar::folded_by_text(kind)
}

/// The `for_each` the variables decide of folded blocks, by key.
pub(super) type Expanded = BTreeMap<Key, Elements>;

/// What a folded block is written out over: the elements of its `for_each`
/// the variables decide, or only their keys, the elements holding values
/// known after apply (totallymoney's services map carries each service's
/// VPC and listener ids): each element is then read as the `for_each`
/// indexed by its key (`local.services["web"].min`), its known fields
/// evaluated as the block's settings are.
pub(super) enum Elements {
    Known(Value),
    Keyed(Vec<String>, Expr),
}

impl Elements {
    /// The keys, in order; None when Terraform repeats over no such value.
    fn keys(&self) -> Option<Vec<String>> {
        match self {
            Elements::Known(v) => pairs(v).map(|p| p.into_iter().map(|(k, _)| k).collect()),
            Elements::Keyed(keys, _) => Some(keys.clone()),
        }
    }
}

/// The attachments folded by their text (an inline role policy, an ECR
/// lifecycle policy) that repeat as the block they name by `[each.key]`
/// does, its `for_each` written alike (`for_each = aws_ecr_repository.this`
/// reads so, `desugar/whole_resources.rs`): not written out, each is
/// folded into every instance of that block as one setting of it.
pub(super) fn repeated_alike<'a>(
    blocks: impl Iterator<Item = &'a Block> + Clone,
    sources: &Sources,
) -> BTreeSet<Key> {
    let for_each = |b: &'a Block| {
        b.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == "for_each" => Some(sources.text(a.value.span)),
            _ => None,
        })
    };
    let repeated: BTreeMap<Key, &str> = blocks
        .clone()
        .filter_map(|b| {
            let (kind, name) = key(b)?;
            Some(((without_aws(&kind).to_owned(), name), for_each(b)?))
        })
        .collect();
    blocks
        .filter(|b| crate::desugar::is_attachment(&b.kind.name))
        .filter_map(|b| {
            let own = for_each(b)?;
            // Its parent, not another block it reads (oozou's policy for
            // each container reads that container's secret).
            let alike = b.body.iter().any(|item| match item {
                Item::Attribute(a) if crate::desugar::names_its_parent(&b.kind.name, &a.name.name) => {
                    reads_each_key(&mut a.value.clone(), &|(kind, name)| {
                        repeated.get(&(without_aws(kind).to_owned(), name.to_owned())) == Some(&own)
                    })
                }
                _ => false,
            });
            alike.then(|| key(b)).flatten()
        })
        .collect()
}

/// Whether `b` is an attachment naming its parent's instance by what its
/// own element says (terraform-aws-modules/alb's listener certificates,
/// repeated over `"LISTENER/INDEX"` keys, each naming
/// `aws_lb_listener.this[each.value.listener_key]`): written out per
/// element, each names one instance, as if written so.
pub(super) fn names_parent_by_element(b: &Block) -> bool {
    crate::desugar::is_attachment(&b.kind.name)
        && b.body.iter().any(|item| match item {
            Item::Attribute(a) if crate::desugar::names_its_parent(&b.kind.name, &a.name.name) => {
                indexed_by_each(&a.value)
            }
            _ => false,
        })
}

/// Whether `e` is a reference whose index reads `each`.
fn indexed_by_each(e: &Expr) -> bool {
    match &e.unwrapped().kind {
        ExprKind::Traversal(t) => t.steps.iter().any(|s| match s {
            Step::Index(i) => crate::desugar::reads(&mut (**i).clone(), "each"),
            _ => false,
        }),
        _ => false,
    }
}

/// Whether `e`, or an expression in it, reads `KIND.NAME[each.key]` of a
/// block `of` takes.
fn reads_each_key(e: &mut Expr, of: &dyn Fn((&str, &str)) -> bool) -> bool {
    if let Some(((kind, name), rest)) = named(e)
        && let Some(Step::Index(index)) = rest.first()
        && crate::desugar::is_path(index, "each", "key")
        && of((&kind, &name))
    {
        return true;
    }
    let mut found = false;
    each_child(e, &mut |child| found |= reads_each_key(child, of));
    found
}

/// Each block of `files` in `expanded` written out, one per element,
/// and what reads an instance (`KIND.NAME["KEY"]`, `depends_on` on
/// `KIND.NAME`) reading the block written for it.
pub(super) fn expand(files: &mut [(FileId, File)], expanded: &Expanded) {
    for (_, file) in files.iter_mut() {
        file.blocks = std::mem::take(&mut file.blocks)
            .into_iter()
            .flat_map(|b| match key(&b).and_then(|k| expanded.get(&k)) {
                Some(for_each) => instances(b, for_each),
                None => vec![b],
            })
            .collect();
        for block in &mut file.blocks {
            instance_dependencies(block, expanded);
            each_expr(block, &mut |e| read_instance(e, expanded));
        }
    }
}

/// The name of the block written for `key` of the block `name`: `NAME_KEY`,
/// each character a name cannot hold an `_`.
fn instance_name(name: &str, key: &str) -> String {
    let key: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{name}_{key}")
}

/// `block` written out for each element of `for_each`, without it; the
/// block itself when `for_each` is not one Terraform repeats over (the
/// checks name it).
fn instances(block: Block, for_each: &Elements) -> Vec<Block> {
    let (Some(Label::Ident(name)), Some(keys)) = (&block.label, for_each.keys()) else {
        return vec![block];
    };
    let name = name.clone();
    let known = match for_each {
        Elements::Known(v) => pairs(v).unwrap_or_default().into_iter().collect(),
        Elements::Keyed(..) => BTreeMap::new(),
    };
    keys.into_iter()
        .map(|k| {
            let mut made = block.clone();
            made.body
                .retain(|item| !matches!(item, Item::Attribute(a) if a.name.name == "for_each"));
            made.label = Some(Label::Ident(Ident {
                name: instance_name(&name.name, &k),
                span: name.span,
            }));
            let indexed = match for_each {
                Elements::Keyed(_, e) => Some(Expr {
                    kind: ExprKind::Postfix(
                        Box::new(e.clone()),
                        vec![Step::Index(Box::new(literal(&Value::String(k.clone()), e.span)))],
                    ),
                    span: e.span,
                }),
                Elements::Known(_) => None,
            };
            let element = match (&indexed, known.get(&k)) {
                (Some(e), _) => Element::Expr(e),
                (None, Some(v)) => Element::Value(v),
                (None, None) => return made,
            };
            let key = Value::String(k);
            each_expr(&mut made, &mut |e| bind(e, "each", (&key, element)));
            made
        })
        .collect()
}

/// `KIND.NAME["KEY"]...` of an expanded block read as `KIND.NAME_KEY...`;
/// read by a key known only where it is read (an alarm repeated as the
/// scaling policies it triggers, `aws_appautoscaling_policy.up[each.key]`),
/// as `{ KEY = KIND.NAME_KEY... }[each.key]` over every block written.
fn read_instance(e: &mut Expr, expanded: &Expanded) {
    if let Some(((kind, name), rest)) = named(e)
        && let Some(for_each) = expanded.get(&(kind.clone(), name.clone()))
        && let Some((Step::Index(index), rest)) = rest.split_first()
    {
        let instance = |k: &str, span| {
            let steps = std::iter::once(Step::Attr(Ident {
                name: instance_name(&name, k),
                span,
            }))
            .chain(rest.iter().cloned())
            .collect();
            ExprKind::Traversal(Traversal {
                root: Ident {
                    name: kind.clone(),
                    span,
                },
                steps,
            })
        };
        if let Some(k) = crate::desugar::literal(index) {
            e.kind = instance(k, index.span);
            return;
        }
        if let Some(keys) = for_each.keys() {
            let span = e.span;
            let entries = keys
                .into_iter()
                .map(|k| MapEntry {
                    value: Expr {
                        kind: instance(&k, span),
                        span,
                    },
                    key: MapKey {
                        name: k,
                        quoted: true,
                        span,
                        computed: None,
                    },
                })
                .collect();
            let index = (**index).clone();
            e.kind = ExprKind::Postfix(
                Box::new(Expr {
                    kind: ExprKind::Map(entries),
                    span,
                }),
                vec![Step::Index(Box::new(index))],
            );
            return;
        }
    }
    each_child(e, &mut |child| read_instance(child, expanded));
}

/// `depends_on` entries naming an expanded block name each block written
/// for it.
fn instance_dependencies(block: &mut Block, expanded: &Expanded) {
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        if a.name.name != DEPENDS_ON {
            continue;
        }
        let ExprKind::List(items) = &mut a.value.kind else {
            continue;
        };
        *items = std::mem::take(items)
            .into_iter()
            .flat_map(|e| {
                let written = named(&e)
                    .filter(|(_, rest)| rest.is_empty())
                    .and_then(|(k, _)| Some((expanded.get(&k)?, k)))
                    .and_then(|(for_each, (kind, name))| {
                        let keys = for_each.keys()?;
                        Some(
                            keys.into_iter()
                                .map(|k| reference(&kind, &instance_name(&name, &k), &e))
                                .collect::<Vec<_>>(),
                        )
                    });
                written.unwrap_or_else(|| vec![e])
            })
            .collect();
    }
}

/// `KIND.NAME` at `at`'s span.
fn reference(kind: &str, name: &str, at: &Expr) -> Expr {
    Expr {
        kind: ExprKind::Traversal(Traversal::path(&[kind, name], at.span)),
        span: at.span,
    }
}

/// Every setting of a scaling resource, and the one setting of others
/// read by their text, that the variables and locals decide (and that
/// reads nothing sensitive) written as its value.
pub(super) fn settle(files: &mut [(FileId, File)], sources: &Sources, options: &Options) {
    let values = {
        let mut attrs = Vec::new();
        for b in files.iter().flat_map(|(_, f)| &f.blocks) {
            match settled(b) {
                Some(Settled::All) => settings(b, &mut attrs),
                Some(Settled::Some(paths)) => {
                    for path in paths {
                        attrs.extend(settings_at(b, path).into_iter().map(|(_, a)| a));
                    }
                }
                None => {}
            }
        }
        if attrs.is_empty() {
            return;
        }
        let names = written_names(files);
        // A scaling resource's `resource_id` only names its service: a
        // cluster looked up by stack and address (a CloudFormation port's
        // imported cluster) may be any there, the service's own.
        let mut ids = names.clone();
        ids.extend(looked_up_clusters(files, &names));
        let exprs: Vec<Expr> = attrs
            .into_iter()
            .map(|a| match a.name.name.as_str() {
                "resource_id" => with_written_names(&a.value, &ids),
                _ => with_written_names(&a.value, &names),
            })
            .collect();
        let exprs: Vec<&Expr> = exprs.iter().collect();
        // Locals read the names written too (`cluster = aws_ecs_cluster.x.name`
        // in a local a `resource_id` reads).
        let known: Vec<Block> = files
            .iter()
            .flat_map(|(_, f)| &f.blocks)
            .filter(|b| matches!(b.kind.name.as_str(), "variable" | "stack" | LOCALS))
            .map(|b| {
                let mut b = b.clone();
                if b.kind.name == LOCALS {
                    each_expr(&mut b, &mut |e| *e = with_written_names(e, &names));
                }
                b
            })
            .collect();
        let module = declare::collect(&known, &mut Vec::new());
        crate::eval::from_variables(&module, options, sources, &exprs)
    };
    let mut values = values.into_iter();
    for b in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        match settled(b) {
            Some(Settled::All) => settle_block(b, &mut values),
            Some(Settled::Some(paths)) => {
                for path in paths {
                    let places: Vec<Vec<usize>> =
                        settings_at(b, path).into_iter().map(|(at, _)| at).collect();
                    for at in places {
                        if let Some(Item::Attribute(a)) = item_at(b, &at) {
                            settle_attribute(a, &mut values);
                        }
                    }
                }
            }
            None => {}
        }
    }
}

/// The lookup kind whose name is known from its arguments, and the
/// names of the argument and of what reads it: a looked-up cluster's
/// (`data.aws_ecs_cluster.this.cluster_name`, a CloudFormation port's
/// imported cluster).
const LOOKED_UP_NAME: (&str, [&str; 2]) = ("ecs_cluster", ["cluster_name", "name"]);

/// The `name` each labelled block is written with, by its kind (without
/// Terraform's `aws_`; `data.KIND` for a lookup: the name it looks up)
/// and label.
fn written_names(files: &[(FileId, File)]) -> BTreeMap<(String, String), Expr> {
    files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter_map(|b| {
            let Some(Label::Ident(label)) = &b.label else {
                return None;
            };
            let (kind, names): (String, &[&str]) = if b.kind.name == crate::syntax::DATA {
                let kind = without_aws(&b.subkind.as_ref()?.name);
                let (looked_up, names) = &LOOKED_UP_NAME;
                (kind == *looked_up).then(|| (format!("data.{kind}"), &names[..]))?
            } else {
                (without_aws(&b.kind.name).to_owned(), &["name"])
            };
            let name = b.body.iter().find_map(|item| match item {
                Item::Attribute(a) if names.contains(&a.name.name.as_str()) => Some(a.value.clone()),
                _ => None,
            })?;
            Some(((kind, label.name.clone()), name))
        })
        .collect()
}

/// The cluster lookups that name no cluster (by stack and address: not in
/// `named`, the [`written_names`]), each by its key there, as the name
/// `*`: any.
fn looked_up_clusters(
    files: &[(FileId, File)],
    named: &BTreeMap<(String, String), Expr>,
) -> Vec<((String, String), Expr)> {
    let (kind, _) = LOOKED_UP_NAME;
    files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == crate::syntax::DATA)
        .filter(|b| b.subkind.as_ref().is_some_and(|k| without_aws(&k.name) == kind))
        .filter_map(|b| match &b.label {
            Some(Label::Ident(label)) => Some((format!("data.{kind}"), label.name.clone())),
            _ => None,
        })
        .filter(|key| !named.contains_key(key))
        .map(|key| {
            let any = Expr {
                kind: ExprKind::String(vec![crate::syntax::ast::StrPart::Lit("*".into())]),
                span: crate::source::Span::default(),
            };
            (key, any)
        })
        .collect()
}

/// `e` with each read of a block's `name` (`aws_iam_role.exec[0].name`)
/// written as the name the block is written with, so that a policy named
/// after its role (`"${aws_iam_role.exec[0].name}-policy"`, trussworks'
/// ecs-service) is known when the role's name is; and a looked-up
/// cluster's name (`data.aws_ecs_cluster.this.cluster_name`) as the name
/// it looks up.
fn with_written_names(e: &Expr, names: &BTreeMap<(String, String), Expr>) -> Expr {
    fn visit(e: &mut Expr, names: &BTreeMap<(String, String), Expr>) {
        if let ExprKind::Traversal(t) = &e.kind
            && let Some(key) = name_read(t)
            && let Some(name) = names.get(&key)
        {
            *e = name.clone();
            return;
        }
        each_child(e, &mut |child| visit(child, names));
    }
    let mut e = e.clone();
    visit(&mut e, names);
    e
}

/// What of a block [`settle`] writes as its value.
enum Settled {
    /// Every setting: a scaling resource, folded by its text.
    All,
    /// The settings read as written, by their paths through nested blocks
    /// (an inline policy's `name`, a lifecycle policy's `policy`, a
    /// service's `deployment_controller { type }`, each volume's `name`).
    Some(&'static [&'static [&'static str]]),
}

fn settled(b: &Block) -> Option<Settled> {
    let (kind, _) = key(b)?;
    match crate::desugar::read_by_text(&kind) {
        [] => is_folded(&kind).then_some(Settled::All),
        paths => Some(Settled::Some(paths)),
    }
}

/// Every setting at `path` in `b` (through each of its nested blocks of
/// those names: a task definition's every `volume`), when [`settles`]
/// takes it, with where it is: the index of each item on the way.
fn settings_at<'b>(b: &'b Block, path: &[&str]) -> Vec<(Vec<usize>, &'b Attribute)> {
    let Some((first, rest)) = path.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in b.body.iter().enumerate() {
        match item {
            Item::Attribute(a) if rest.is_empty() && a.name.name == *first && settles(a) => {
                out.push((vec![i], a))
            }
            Item::Block(n) if !rest.is_empty() && n.kind.name == *first && n.label.is_none() => {
                out.extend(settings_at(n, rest).into_iter().map(|(mut at, a)| {
                    at.insert(0, i);
                    (at, a)
                }));
            }
            _ => {}
        }
    }
    out
}

/// The item of `b` at `at` (see [`settings_at`]).
fn item_at<'b>(b: &'b mut Block, at: &[usize]) -> Option<&'b mut Item> {
    let (last, blocks) = at.split_last()?;
    let mut b = b;
    for &i in blocks {
        let Some(Item::Block(n)) = b.body.get_mut(i) else {
            return None;
        };
        b = n;
    }
    b.body.get_mut(*last)
}

/// `a` written as the next of `values`, where known.
fn settle_attribute(a: &mut Attribute, values: &mut impl Iterator<Item = Option<Value>>) {
    if let Some(v) = values.next().flatten().filter(|v| !v.has_unknown()) {
        a.value = literal(&v, a.value.span);
    }
}

/// Whether the fold may read `a` as its value: not what repeats the block
/// or orders it, nor a `resource_id` naming what it scales by reference
/// (one of variables alone is its text, matched to the service's name).
fn settles(a: &Attribute) -> bool {
    let by_reference = a.name.name == "resource_id" && !reads_names_only(&a.value);
    !by_reference
        && !matches!(a.name.name.as_str(), "count" | "for_each" | DEPENDS_ON)
        && !matches!(
            a.value.kind,
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Decimal(_)
        )
        && crate::desugar::literal(&a.value).is_none()
}

/// The block whose written name `t` reads (`aws_iam_role.exec[0].name`,
/// `data.aws_ecs_cluster.this.cluster_name`), by its key in
/// [`written_names`].
fn name_read(t: &Traversal) -> Option<(String, String)> {
    let named = t.named()?;
    let ([Step::Index(_), Step::Attr(attr)] | [Step::Attr(attr)]) = named.rest else {
        return None;
    };
    let kind = without_aws(named.kind);
    let kind = match named.data {
        false => (attr.name == "name").then(|| kind.to_owned()),
        true => (kind == LOOKED_UP_NAME.0 && LOOKED_UP_NAME.1.contains(&attr.name.as_str()))
            .then(|| format!("data.{kind}")),
    }?;
    Some((kind, named.name.to_owned()))
}

/// Whether `e` reads variables, locals and blocks' `name`s only (what
/// [`with_written_names`] and the variables may decide).
fn reads_names_only(e: &Expr) -> bool {
    let mut only = true;
    crate::desugar::each_traversal(&mut e.clone(), &mut |t| {
        only &= name_read(t).is_some() || matches!(t.root.name.as_str(), "var" | crate::check::locals::LOCAL);
    });
    only
}

/// The settings of `b` (and of its blocks) [`settle`] evaluates, in order.
fn settings<'a>(b: &'a Block, out: &mut Vec<&'a Attribute>) {
    for item in &b.body {
        match item {
            Item::Attribute(a) if settles(a) => out.push(a),
            Item::Attribute(_) => {}
            Item::Block(nested) => settings(nested, out),
        }
    }
}

/// `b`'s settings, in [`settings`]' order, written as `values` where known.
fn settle_block(b: &mut Block, values: &mut impl Iterator<Item = Option<Value>>) {
    for item in &mut b.body {
        match item {
            Item::Attribute(a) if settles(a) => settle_attribute(a, values),
            Item::Attribute(_) => {}
            Item::Block(nested) => settle_block(nested, values),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{Shape, messages, resources};

    const BASE: &str = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
"#;

    /// `role.app` of a stack of `preamble`, a role and a Terraform inline
    /// policy on it named `name`, and of berth's spelling of that role
    /// with the policy `label`: the two, to compare.
    fn inline_policy_named(preamble: &str, name: &str, label: &str) -> (Shape, Shape) {
        let document = r#"jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })"#;
        let mut terraform = resources(&format!(
            "{preamble}\nrole app {{ assume = \"ecs-tasks.amazonaws.com\" }}\n\
             iam_role_policy app {{\n  name   = {name}\n  role   = role.app.id\n  policy = {document}\n}}\n"
        ));
        let mut berth = resources(&format!(
            "role app {{\n  assume = \"ecs-tasks.amazonaws.com\"\n  policy {label} {{ document = {document} }}\n}}\n"
        ));
        let take =
            |all: &mut std::collections::BTreeMap<String, Shape>| all.remove("role.app").expect("role.app");
        (take(&mut terraform), take(&mut berth))
    }

    /// An inline policy named from variables, as ported stacks name them
    /// (`"${var.app}-${var.environment}"`): E0211 before, as the fold
    /// reads the name as written.
    #[test]
    fn an_inline_policys_name_from_variables_is_its_value() {
        let (terraform, berth) = inline_policy_named(
            r#"variable "app" { default = "myapp" }"#,
            r#""${var.app}-read""#,
            "myapp-read",
        );
        assert_eq!(terraform, berth);
    }

    /// An inline policy named after its counted role's name, itself built
    /// from variables (trussworks' `"${aws_iam_role.exec[0].name}-policy"`):
    /// E0211 before, as the role's name is an attribute of a resource.
    #[test]
    fn an_inline_policy_named_after_its_roles_written_name_is_that_name() {
        let document = r#"jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })"#;
        let terraform = resources(&format!(
            r#"
variable "name" {{ default = "app" }}
iam_role exec {{
  count  = 1
  name   = "exec-${{var.name}}"
  assume = "ecs-tasks.amazonaws.com"
}}
iam_role_policy exec {{
  count  = 1
  name   = "${{iam_role.exec[0].name}}-policy"
  role   = iam_role.exec[0].name
  policy = {document}
}}
"#
        ));
        let berth = resources(&format!(
            r#"
role exec {{
  count  = 1
  name   = "exec-app"
  assume = "ecs-tasks.amazonaws.com"
  policy exec-app-policy {{ document = {document} }}
}}
"#
        ));
        let address = r#"role.exec["0"]"#;
        assert!(berth.contains_key(address), "{:?}", berth.keys());
        assert_eq!(terraform.get(address), berth.get(address));
    }

    /// An inline policy named from a local map whose other entry is a
    /// lookup's id (a `terraform_remote_state` ported as lookups,
    /// hmahajangit/ECS): the lookup made the whole map unknown, E0211.
    #[test]
    fn a_name_from_a_local_map_beside_a_lookup_is_its_value() {
        let (terraform, berth) = inline_policy_named(
            "data vpc core { default = true }\nlocals {\n  core = {\n    prefix = \"core\"\n    vpc_id = data.vpc.core.id\n  }\n}",
            r#""${local.core.prefix}-read""#,
            "core-read",
        );
        assert_eq!(terraform, berth);
    }

    /// A lifecycle policy built in a local (`jsonencode(local.policy)`):
    /// E0211 before, as the fold reads the JSON as written.
    #[test]
    fn a_lifecycle_policy_from_a_local_is_its_value() {
        let policy = r#"{ rules = [{ rulePriority = 1, description = "keep 10", selection = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 10 }, action = { type = "expire" } }] }"#;
        let repository = |written: &str| {
            resources(&format!(
                "locals {{\n  policy = {policy}\n}}\necr_repository app {{ name = \"app\" }}\n\
                 ecr_lifecycle_policy app {{\n  repository = ecr_repository.app.name\n  policy = {written}\n}}\n"
            ))
            .remove("ecr_repository.app")
            .expect("the repository")
        };
        assert_eq!(
            repository("jsonencode(local.policy)").attrs,
            repository(&format!("jsonencode({policy})")).attrs
        );
    }

    /// An alarm on the service's CPU, without its actions.
    const ALARM: &str = r#"metric_alarm high {
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 2
  threshold           = 85
  comparison_operator = "GreaterThanOrEqualToThreshold"
"#;

    /// A module's `deployment_controller { type = var.deployment_controller_type }`
    /// defaulting to ECS: E0211 before, as the check reads it as written;
    /// another controller from the variables is still refused.
    #[test]
    fn a_deployment_controller_from_a_variable_is_checked_as_its_value() {
        let service = |controller: &str| {
            format!(
                "variable \"controller\" {{ default = \"{controller}\" }}\n{BASE}\n\
                 service app {{\n  cluster = cluster.main\n  task_definition = task_definition.app\n  \
                 subnets = [subnet.a]\n  deployment_controller {{ type = var.controller }}\n}}\n"
            )
        };
        assert!(messages(&service("ECS"), "E0211").is_empty());
        assert_eq!(
            messages(&service("CODE_DEPLOY"), "E0211"),
            ["`type` other than `ECS` is not written"]
        );
    }

    /// AWS provider 2's `condition { field = var.x  values = [...] }`, the
    /// field a module's variable (2018-era modules): E0211 "no `values`
    /// form" before, as the condition was read as written.
    #[test]
    fn a_listener_rule_conditions_field_from_a_variable_is_its_value() {
        let rule = |field: &str| {
            format!(
                "variable \"field\" {{ default = \"path-pattern\" }}\n\
                 resource \"aws_lb_listener_rule\" \"api\" {{\n  \
                 listener_arn = \"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1234567890abcdef/1234567890abcdef\"\n  \
                 priority = 10\n  action {{\n    type = \"fixed-response\"\n    fixed_response {{\n      content_type = \"text/plain\"\n      status_code = \"200\"\n    }}\n  }}\n  \
                 condition {{\n    field = {field}\n    values = [\"/api/*\"]\n  }}\n}}\n"
            )
        };
        assert_eq!(
            resources(&rule("var.field")),
            resources(&rule("\"path-pattern\""))
        );
    }

    /// terraform-aws-modules/ecs's scaling, as its service module writes
    /// it: counted target, policies over a variable's map, settings read
    /// through nested `dynamic` blocks, an alarm naming one instance.
    /// They were E0211: a target counted, a policy repeated, a name not
    /// written as text.
    #[test]
    fn scaling_a_module_counts_and_repeats_is_written_out_as_the_variables_decide() {
        let module = resources(&format!(
            r#"{BASE}
variable "enable" {{ default = true }}
variable "policies" {{
  default = {{
    up   = {{ name = null, step = 1 }}
    down = {{ name = "scale-down", step = -1 }}
  }}
}}
variable "region" {{ default = null }}
service this {{
  count           = var.enable ? 1 : 0
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
}}
service twin {{
  count           = var.enable ? 0 : 1
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
}}
appautoscaling_target this {{
  count        = var.enable ? 1 : 0
  region       = var.region
  min_capacity = min(2, 1)
  max_capacity = 4
  resource_id  = "service/main/${{try(service.this[0].name, service.twin[0].name)}}"
  tags         = {{}}
}}
appautoscaling_policy this {{
  for_each    = {{ for k, v in var.policies : k => v if var.enable }}
  name        = coalesce(each.value.name, each.key)
  resource_id = appautoscaling_target.this[0].resource_id
  dynamic "step_scaling_policy_configuration" {{
    for_each = [each.value]
    content {{
      adjustment_type = "ChangeInCapacity"
      dynamic "step_adjustment" {{
        for_each = [step_scaling_policy_configuration.value.step]
        content {{
          metric_interval_lower_bound = 0
          scaling_adjustment          = step_adjustment.value
        }}
      }}
    }}
  }}
  depends_on = [appautoscaling_target.this]
}}
{ALARM}  alarm_actions       = [appautoscaling_policy.this["down"].arn]
}}
"#
        ));
        let berth = resources(&format!(
            r#"{BASE}
service this {{
  count           = 1
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
  autoscaling {{
    min_capacity = 1
    max_capacity = 4
    step_scaling scale-down {{
      adjustment_type = "ChangeInCapacity"
      step {{
        lower      = 0
        adjustment = -1
      }}
    }}
    step_scaling up {{
      adjustment_type = "ChangeInCapacity"
      step {{
        lower      = 0
        adjustment = 1
      }}
    }}
  }}
}}
{ALARM}  scaling_policy {{
    service = service.this[0]
    policy  = "scale-down"
  }}
}}
"#
        ));
        assert_eq!(module, berth);
    }

    /// oozou's module writes one inline policy per container on its one
    /// execution role, each reading its container's secret by
    /// `[each.key]`: as that secret repeats alike, the policy was taken
    /// for one repeating as its role, and refused (E0211).
    #[test]
    fn policies_repeated_on_one_role_reading_other_repeated_blocks_are_written_out() {
        let stack = resources(
            r#"
variable "container" {
  default = {
    main_container = { name = "api" }
    side_container = { name = "nginx" }
  }
}
resource "aws_iam_role" "exec" {
  name               = "exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_secretsmanager_secret" "this" {
  for_each = var.container
  name     = "${each.value.name}/ab12c"
}
resource "aws_iam_role_policy" "secrets" {
  for_each = var.container
  name     = "${each.value.name}-secrets"
  role     = aws_iam_role.exec.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = aws_secretsmanager_secret.this[each.key].arn }]
  })
}
"#,
        );
        let policies = stack["role.exec"].blocks.get("policy").map_or(0, Vec::len);
        assert_eq!(policies, 2, "{:?}", stack["role.exec"]);
    }

    /// terraform-aws-modules/alb's extra certificates: one
    /// `aws_lb_listener_certificate` per `"LISTENER/INDEX"`, naming
    /// `aws_lb_listener.this[each.value.listener_key]` (E0211, "repeats as
    /// it does", before): each is its listener's.
    #[test]
    fn attachments_naming_their_parents_instance_by_element_are_each_that_instances() {
        let stack = resources(
            r#"
variable "listeners" {
  default = {
    https = { port = 443, extra = ["arn:aws:acm:us-east-1:123456789012:certificate/0e1b2c3d-aaaa-bbbb-cccc-444455556666"] }
    admin = { port = 8443, extra = [] }
  }
}
locals {
  additional_certs = merge([for key, l in var.listeners : { for idx, arn in l.extra : "${key}/${idx}" => { listener_key = key, certificate_arn = arn } }]...)
}
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
load_balancer web {
  internal = true
  subnets  = [subnet.a, subnet.b]
}
resource "aws_lb_listener" "this" {
  for_each          = var.listeners
  load_balancer_arn = load_balancer.web.arn
  port              = each.value.port
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:123456789012:certificate/0e1b2c3d-aaaa-bbbb-cccc-111122223333"
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}
resource "aws_lb_listener_certificate" "this" {
  for_each        = local.additional_certs
  listener_arn    = aws_lb_listener.this[each.value.listener_key].arn
  certificate_arn = each.value.certificate_arn
}
"#,
        );
        let certificates = |key: &str| match stack[&format!("listener.this[\"{key}\"]")]
            .attrs
            .get("certificates")
        {
            Some(crate::stack::DesiredValue::Known(berth_provider::Value::List(l))) => l.len(),
            _ => 0,
        };
        assert_eq!(
            certificates("https"),
            1,
            "{:?}",
            stack[r#"listener.this["https"]"#]
        );
        assert_eq!(certificates("admin"), 0);
    }
}
