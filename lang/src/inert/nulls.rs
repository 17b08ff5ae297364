//! Settings of nested blocks that the variables and locals alone make
//! null: Terraform takes a null argument as not written, and modules pass
//! every optional one so (`host_path = lookup(volume.value, "host_path",
//! null)` in a written-out `dynamic "volume"`, `target_group_arn =
//! try(var.action.target_group_arn, null)` in a fixed-response action).
//! They are left out before the rewrites of other tools' nested blocks
//! see them, which would refuse a setting their block does not take. A
//! resource's own settings are left out later, once evaluated
//! (`check/schema.rs`' `Pending`). A setting they make `true` or `false`
//! is written so (`enabled = try(var.x.enabled, true)`), as the checks
//! of a block turned off (`enabled = false`) read it.

use berth_provider::Value;

use crate::analyze::Options;
use crate::check::declare::{self, LIFECYCLE, LOCALS};
use crate::check::dynamic::DYNAMIC;
use crate::source::{FileId, Sources};
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item};

/// Leaves out each nested block's setting of `files`' resources and
/// lookups that the variables and locals make null.
pub(super) fn leave_out(files: &mut [(FileId, File)], sources: &Sources, options: &Options) {
    let mut exprs = Vec::new();
    for block in files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| super::key(b).is_some())
    {
        nested(block, &mut |e| exprs.push(e.clone()));
    }
    if exprs.is_empty() {
        return;
    }
    let known = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| matches!(b.kind.name.as_str(), "variable" | "stack" | LOCALS));
    let module = declare::collect(known, &mut Vec::new());
    let refs: Vec<&Expr> = exprs.iter().collect();
    let mut values = crate::eval::from_variables(&module, options, sources, &refs).into_iter();
    for block in files
        .iter_mut()
        .flat_map(|(_, f)| &mut f.blocks)
        .filter(|b| super::key(b).is_some())
    {
        nested_mut(block, &mut values);
    }
}

/// Whether the settings of the nested block `b` are weighed: not a
/// `dynamic` one's (its iterator is known only when written out) nor
/// `lifecycle`'s.
fn weighed(b: &Block) -> bool {
    b.kind.name != DYNAMIC && b.kind.name != LIFECYCLE
}

/// Calls `f` with each setting of the blocks nested in `block` that could
/// turn out null, in the order [`nested_mut`] walks them.
fn nested(block: &Block, f: &mut impl FnMut(&Expr)) {
    let inners = block.body.iter().filter_map(|item| match item {
        Item::Block(b) if weighed(b) => Some(b),
        _ => None,
    });
    for inner in inners {
        for item in &inner.body {
            if let Item::Attribute(a) = item
                && may_be_null(&a.value)
            {
                f(&a.value);
            }
        }
        nested(inner, f);
    }
}

/// [`nested`]'s walk, leaving out each setting `values` says is null and
/// writing those it says are a bool as that bool.
fn nested_mut(block: &mut Block, values: &mut impl Iterator<Item = Option<Value>>) {
    for item in &mut block.body {
        let Item::Block(inner) = item else { continue };
        if !weighed(inner) {
            continue;
        }
        inner.body.retain_mut(|item| match item {
            Item::Attribute(a) if may_be_null(&a.value) => match values.next().flatten() {
                Some(Value::Null) => false,
                Some(Value::Bool(b)) => {
                    a.value.kind = ExprKind::Bool(b);
                    true
                }
                _ => true,
            },
            _ => true,
        });
        nested_mut(inner, values);
    }
}

/// Whether `e` is written so that it may evaluate to null: not a literal
/// (a written `null` is left out by the rewrites themselves).
fn may_be_null(e: &Expr) -> bool {
    matches!(
        e.unwrapped().kind,
        ExprKind::Traversal(_)
            | ExprKind::Call(_)
            | ExprKind::Conditional(..)
            | ExprKind::Paren(_)
            | ExprKind::Postfix(..)
    )
}
