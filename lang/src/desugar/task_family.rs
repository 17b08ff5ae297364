//! A service naming the stack's task definition by family, as Terraform
//! stacks write it: `task_definition = aws_ecs_task_definition.app.family`
//! (ECS runs the family's latest revision) or
//! `"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"`.
//! Either is the revision the stack registers, so it is read as the task
//! definition itself: the service moves to each new revision, and reads
//! back as its ARN, not as a name that would differ on every plan.

use crate::source::Span;
use crate::syntax::ast::{Block, Expr, ExprKind, Ident, Item, Step, StrPart, Traversal};

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
    let family = |e: &Expr| super::block_read(e, TASK_DEFINITION, "family");
    let named = match &e.kind {
        ExprKind::Paren(inner) => return by_family(inner),
        ExprKind::Traversal(_) => family(e)?,
        ExprKind::String(parts) => match parts.as_slice() {
            [
                StrPart::Interp(named),
                StrPart::Lit(colon),
                StrPart::Interp(revision),
            ] if colon == ":" => {
                let named = family(named)?;
                let revision = super::block_read(revision, TASK_DEFINITION, "revision")?;
                super::same_block(&named, &revision).then_some(named)?
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(arn_of(named, e.span))
}

/// `task_definition.NAME.arn`, written at `span`.
fn arn_of(mut td: Traversal, span: Span) -> Expr {
    td.steps.push(Step::Attr(Ident {
        name: "arn".into(),
        span,
    }));
    Expr {
        kind: ExprKind::Traversal(td),
        span,
    }
}
