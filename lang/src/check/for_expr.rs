//! Terraform's `for` expressions, `[for s in var.subnets : s.cidr]` and
//! `{for k, v in var.ports : k => v if v > 0}`: the names they bind and
//! what they iterate.

use super::declare::{Module, ResourceDecl};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Expr, ExprKind, ForExpr, Step};

/// Roots a `for` expression cannot rebind: references would change
/// meaning inside it. Resource kinds may be rebound
/// (`[for subnet in var.subnets : subnet.cidr]` reads the element).
const RESERVED: &[&str] = &[
    "var",
    "each",
    super::declare::COUNT,
    super::locals::LOCAL,
    crate::syntax::DATA,
];

/// E0329 for a name that would hide a variable, a local or a lookup, or
/// the same name bound twice.
pub fn check_names(f: &ForExpr, diags: &mut Vec<Diagnostic>) {
    for name in f.names() {
        if RESERVED.contains(&name.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    "E0329",
                    format!("a `for` expression cannot name its element `{}`", name.name),
                    name.span,
                )
                .label("a reserved name")
                .help(format!("pick another name; `{}.` keeps its meaning", name.name)),
            );
        }
    }
    if let Some(key) = &f.key
        && key.name == f.value.name
    {
        diags.push(
            Diagnostic::error("E0329", format!("`{}` is bound twice", key.name), f.value.span)
                .label("the same name as the key")
                .also(key.span, "the key")
                .help("name the key and the element differently: `for k, v in ...`"),
        );
    }
}

/// The repeated resource `collection` names with a bare `KIND.NAME`
/// (`subnet.public`), whose instances a `for` expression walks one by one
/// (`s.id` reads an instance's attribute).
pub fn repeated_resource<'m, 'a>(module: &'m Module<'a>, collection: &Expr) -> Option<&'m ResourceDecl<'a>> {
    let ExprKind::Traversal(t) = &collection.kind else {
        return None;
    };
    let kind = t.root.name.parse().ok()?;
    let [Step::Attr(name)] = t.steps.as_slice() else {
        return None;
    };
    module
        .resources
        .get(&(kind, name.name.clone()))
        .filter(|decl| decl.for_each.is_some())
}
