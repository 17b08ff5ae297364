//! A service naming the stack's task definition by family, as Terraform
//! stacks write it: `task_definition = aws_ecs_task_definition.app.family`
//! (ECS runs the family's latest revision) or
//! `"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"`.
//! Either is the revision the stack registers, so it is read as the task
//! definition itself: the service moves to each new revision, and reads
//! back as its ARN, not as a name that would differ on every plan.

use crate::syntax::ast::{Block, Expr, ExprKind, Ident, Item, Step, StrPart};

const TASK_DEFINITION: &str = "task_definition";

/// Rewrites the service `block`'s `task_definition` when it names a task
/// definition of the stack by family (and revision).
pub(super) fn service(block: &mut Block) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == TASK_DEFINITION
            && let Some(named) = by_family(&a.value)
        {
            a.value = named;
        }
    }
}

/// The task definition `e` names by family, as a reference to its ARN.
fn by_family(e: &Expr) -> Option<Expr> {
    match &e.kind {
        ExprKind::Paren(inner) => by_family(inner),
        ExprKind::Traversal(_) => attribute_of(e, "family"),
        ExprKind::String(parts) => match parts.as_slice() {
            [
                StrPart::Interp(family),
                StrPart::Lit(colon),
                StrPart::Interp(revision),
            ] if colon == ":" => {
                let (family, revision) = (
                    attribute_of(family, "family")?,
                    attribute_of(revision, "revision")?,
                );
                match (&family.kind, &revision.kind) {
                    (ExprKind::Traversal(f), ExprKind::Traversal(r)) if super::same_block(f, r) => {
                        Some(family)
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// `task_definition.NAME.ATTR` (or `task_definition.NAME[KEY].ATTR`) of
/// `e` read as the same task definition's `arn`, spans kept.
fn attribute_of(e: &Expr, attr: &str) -> Option<Expr> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    if t.root.name != TASK_DEFINITION {
        return None;
    }
    let (last, path) = t.steps.split_last()?;
    let named = matches!(path, [Step::Attr(_)] | [Step::Attr(_), Step::Index(_)]);
    match last {
        Step::Attr(a) if named && a.name == attr => {
            let mut arn = t.clone();
            arn.steps.pop();
            arn.steps.push(Step::Attr(Ident {
                name: "arn".into(),
                span: a.span,
            }));
            Some(Expr {
                kind: ExprKind::Traversal(arn),
                span: e.span,
            })
        }
        _ => None,
    }
}
