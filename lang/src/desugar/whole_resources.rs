//! Terraform's values that are whole resources, read as the resources'
//! attributes: `values(aws_lb_target_group.this)[0].arn` and
//! `values(aws_x.y)[*].arn` (the instances of a `for_each` resource, as
//! modules output them), `keys(aws_x.y)`, a local that is a resource
//! (`ecs_cluster = aws_ecs_cluster.main`, then `local.ecs_cluster.name`),
//! and a block repeated over a `for_each` resource (`for_each =
//! aws_ecr_repository.this`, then `repository = each.value.name`).
//! berth's values hold one attribute of a resource, not a whole one, so
//! each is written as the reads it stands for: `[for v in KIND.NAME :
//! v.arn][0]`, `KIND.NAME.name`; the chained block repeats over the
//! resource's own `for_each` (the same keys) and reads
//! `KIND.NAME[each.key].name`.

use std::collections::{BTreeMap, BTreeSet};

use super::{each_child, each_expr};
use crate::FileId;
use crate::check::declare::LOCALS;
use crate::source::Span;
use crate::syntax::ast::{
    Attribute, Block, Expr, ExprKind, File, ForExpr, ForResult, Ident, Item, Label, Step, Traversal,
};

/// The root of a reference to a local.
const LOCAL: &str = "local";
const FOR_EACH: &str = "for_each";
/// The names the `for` expressions written here bind.
const INSTANCE: &str = "instance";
const KEY: &str = "key";
/// `each.value`, as Terraform's repeated blocks read their element.
const EACH: &str = "each";
const VALUE: &str = "value";

/// What the stack declares that these reads name.
struct Declared {
    /// Each block repeated by `for_each`, by `(kind, name)`: its
    /// `for_each`.
    repeated: BTreeMap<(String, String), Expr>,
    /// Each local that is a reference to a whole resource (or one
    /// instance), as that reference.
    locals: BTreeMap<String, Traversal>,
}

/// Rewrites, in every expression of `files`, the reads of whole resources
/// into reads of their attributes.
pub(super) fn rewrite(files: &mut [(FileId, File)]) {
    let declared = declared(files);
    if declared.repeated.is_empty() && declared.locals.is_empty() {
        return;
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            chained(block, &declared);
            each_expr(block, &mut |e| read(e, &declared));
        }
    }
}

fn declared(files: &[(FileId, File)]) -> Declared {
    let blocks: Vec<&Block> = files.iter().flat_map(|(_, f)| &f.blocks).collect();
    let resources: BTreeSet<(String, String)> = blocks
        .iter()
        .filter_map(|b| match &b.label {
            Some(Label::Ident(name)) => Some((kind(&b.kind.name), name.name.clone())),
            _ => None,
        })
        .collect();
    let repeated = blocks
        .iter()
        .filter_map(|b| match (&b.label, for_each(b)) {
            (Some(Label::Ident(name)), Some(for_each)) => {
                Some(((kind(&b.kind.name), name.name.clone()), for_each.value.clone()))
            }
            _ => None,
        })
        .collect();
    let whole = |t: &Traversal| match t.steps.as_slice() {
        [Step::Attr(name)] | [Step::Attr(name), Step::Index(_)] => {
            resources.contains(&(kind(&t.root.name), name.name.clone()))
        }
        _ => false,
    };
    let locals = blocks
        .iter()
        .filter(|b| b.kind.name == LOCALS)
        .flat_map(|b| &b.body)
        .filter_map(|item| match item {
            Item::Attribute(a) => match &a.value.kind {
                ExprKind::Traversal(t) if whole(t) => Some((a.name.name.clone(), t.clone())),
                _ => None,
            },
            Item::Block(_) => None,
        })
        .collect();
    Declared { repeated, locals }
}

/// `block`'s `for_each`.
fn for_each(block: &Block) -> Option<&Attribute> {
    block.body.iter().find_map(|i| match i {
        Item::Attribute(a) if a.name.name == FOR_EACH => Some(a),
        _ => None,
    })
}

/// `block`, repeated over a `for_each` resource `R` (Terraform's map of
/// its instances by key), as repeated over `R`'s own `for_each` (written
/// where `R`'s is, so a fold sees the two repeat alike), each
/// `each.value` in it read as `R[each.key]`. A resource chained so to
/// another chained one reads the first's keys in turn.
fn chained(block: &mut Block, declared: &Declared) {
    let mut seen = BTreeSet::new();
    loop {
        let Some(attr) = block.body.iter_mut().find_map(|i| match i {
            Item::Attribute(a) if a.name.name == FOR_EACH => Some(a),
            _ => None,
        }) else {
            return;
        };
        let ExprKind::Traversal(resource) = &attr.value.kind else {
            return;
        };
        let [Step::Attr(name)] = resource.steps.as_slice() else {
            return;
        };
        let key = (kind(&resource.root.name), name.name.clone());
        let Some(keys) = declared.repeated.get(&key) else {
            return;
        };
        if !seen.insert(key) {
            return;
        }
        let resource = resource.clone();
        attr.value = keys.clone();
        each_expr(block, &mut |e| each_value_as(e, &resource));
    }
}

/// `e` with each `each.value...` in it read as `resource[each.key]...`.
fn each_value_as(e: &mut Expr, resource: &Traversal) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == EACH
        && let Some(Step::Attr(value)) = t.steps.first()
        && value.name == VALUE
    {
        let at = t.root.span;
        let key = Traversal::path(&[EACH, KEY], at);
        let mut steps = resource.steps.clone();
        steps.push(Step::Index(Box::new(Expr {
            kind: ExprKind::Traversal(key),
            span: at,
        })));
        steps.extend(t.steps.drain(1..));
        *t = Traversal {
            root: Ident {
                name: resource.root.name.clone(),
                span: at,
            },
            steps,
        };
        return;
    }
    each_child(e, &mut |child| each_value_as(child, resource));
}

/// A block's kind or a reference's root without Terraform's `aws_`: this
/// runs before references are written as berth's (`names::kinds`).
fn kind(word: &str) -> String {
    crate::check::terraform_names::without_aws(word).to_owned()
}

/// `e`, and every expression in it, with its reads of whole resources
/// written as reads of their attributes.
fn read(e: &mut Expr, declared: &Declared) {
    if let Some(rewritten) = through_local(e, declared).or_else(|| instances(e, declared)) {
        *e = rewritten;
    }
    if let ExprKind::For(f) = &mut e.kind
        && f.key.is_none()
        && let Some(resource) = values_of(&f.collection, declared)
    {
        // Iterating a `for_each` resource binds its instances already.
        f.collection = resource;
    }
    each_child(e, &mut |child| read(child, declared));
}

/// `local.NAME.ATTR...` of a local that is a resource, as
/// `KIND.NAME.ATTR...`.
fn through_local(e: &Expr, declared: &Declared) -> Option<Expr> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    let [Step::Attr(name), rest @ ..] = t.steps.as_slice() else {
        return None;
    };
    if t.root.name != LOCAL || rest.is_empty() {
        return None;
    }
    let mut resource = declared.locals.get(&name.name)?.clone();
    resource.steps.extend(rest.iter().cloned());
    Some(Expr {
        kind: ExprKind::Traversal(resource),
        span: e.span,
    })
}

/// The repeated resource `values(KIND.NAME)` reads the instances of.
fn values_of(e: &Expr, declared: &Declared) -> Option<Expr> {
    let ExprKind::Call(call) = &e.kind else {
        return None;
    };
    let [resource] = call.args.as_slice() else {
        return None;
    };
    (call.name.name == "values" && !call.expand && repeated(resource, declared)).then(|| resource.clone())
}

/// Whether `e` names a resource repeated by `for_each`, whole.
fn repeated(e: &Expr, declared: &Declared) -> bool {
    matches!(&e.kind, ExprKind::Traversal(t)
        if matches!(t.steps.as_slice(), [Step::Attr(name)]
            if declared.repeated.contains_key(&(kind(&t.root.name), name.name.clone()))))
}

/// `values(R)`, `values(R)[N].ATTR...`, `values(R)[*].ATTR...` and
/// `keys(R)` of a `for_each` resource `R`, as `for` expressions over its
/// instances.
fn instances(e: &Expr, declared: &Declared) -> Option<Expr> {
    let (call, steps) = match &e.kind {
        ExprKind::Postfix(inner, steps) => (inner.as_ref(), steps.as_slice()),
        _ => (e, &[][..]),
    };
    let span = e.span;
    if let ExprKind::Call(c) = &call.kind
        && c.name.name == "keys"
        && let [resource] = c.args.as_slice()
        && !c.expand
        && repeated(resource, declared)
    {
        let key = ident(KEY, span);
        let keys = for_list(resource.clone(), Some(key.clone()), path(&key, &[]), span);
        return Some(postfix(keys, steps.to_vec(), span));
    }
    let resource = values_of(call, declared)?;
    let element = ident(INSTANCE, span);
    let (each, picked) = match steps {
        [Step::Index(_) | Step::Splat(_), Step::Attr(_), ..] => {
            let picked = match &steps[0] {
                Step::Index(i) => vec![Step::Index(i.clone())],
                _ => Vec::new(),
            };
            (&steps[1..], picked)
        }
        _ => (&[][..], steps.to_vec()),
    };
    let list = for_list(resource, None, path(&element, each), span);
    Some(postfix(list, picked, span))
}

/// `[for KEY, instance in collection : result]`.
fn for_list(collection: Expr, key: Option<Ident>, result: Expr, span: Span) -> Expr {
    Expr {
        kind: ExprKind::For(Box::new(ForExpr {
            key,
            value: ident(INSTANCE, span),
            collection,
            result: ForResult::List(result),
            cond: None,
        })),
        span,
    }
}

/// `base` with `steps` read after it (`base` itself without any).
fn postfix(base: Expr, steps: Vec<Step>, span: Span) -> Expr {
    match steps.is_empty() {
        true => base,
        false => Expr {
            kind: ExprKind::Postfix(Box::new(base), steps),
            span,
        },
    }
}

/// `root.STEPS...`.
fn path(root: &Ident, steps: &[Step]) -> Expr {
    Expr {
        kind: ExprKind::Traversal(Traversal {
            root: root.clone(),
            steps: steps.to_vec(),
        }),
        span: root.span,
    }
}

fn ident(name: &str, span: Span) -> Ident {
    Ident {
        name: name.to_owned(),
        span,
    }
}
