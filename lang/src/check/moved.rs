//! Terraform's `moved { from = KIND.OLD  to = KIND.NEW }`: a block renamed
//! (or moved into or out of `for_each`) keeps its live resource, which the
//! next apply tags with the new address, instead of destroying it and
//! creating another. `from` and `to` are addresses, not references.

use berth_provider::{Address, Kind};

use super::declare::Module;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Block, Expr, ExprKind, Item, Step, StrPart};

/// The block kind.
pub const MOVED: &str = "moved";

/// One `moved` block, its addresses read.
#[derive(Debug, Clone)]
pub struct MovedDecl {
    pub from: Address,
    pub to: Address,
    pub span: Span,
    to_span: Span,
}

/// Reads a `moved` block (E0331 for what it lacks or has too much of).
pub fn declare(block: &Block, diags: &mut Vec<Diagnostic>) -> Option<MovedDecl> {
    if let Some(label) = &block.label {
        diags.push(
            Diagnostic::error("E0331", "`moved` takes no name", label.span())
                .label("a name here")
                .help("write `moved { from = subnet.a  to = subnet.b }`"),
        );
    }
    let (mut from, mut to) = (None, None);
    for item in &block.body {
        match item {
            Item::Attribute(a) if a.name.name == "from" => {
                from = address(&a.value, diags).map(|f| (f, a.value.span))
            }
            Item::Attribute(a) if a.name.name == "to" => {
                to = address(&a.value, diags).map(|t| (t, a.value.span))
            }
            other => diags.push(
                Diagnostic::error(
                    "E0331",
                    "a `moved` block holds `from` and `to` only",
                    item_span(other),
                )
                .label("not `from` or `to`")
                .help("write `moved { from = subnet.a  to = subnet.b }`"),
            ),
        }
    }
    let (Some((from, _)), Some((to, to_span))) = (from, to) else {
        diags.push(
            Diagnostic::error("E0331", "a `moved` block needs `from` and `to`", block.kind.span)
                .label("incomplete")
                .help("write `moved { from = subnet.a  to = subnet.b }`"),
        );
        return None;
    };
    if from.kind != to.kind {
        diags.push(
            Diagnostic::error(
                "E0331",
                format!("cannot move a {} to a {}", from.kind, to.kind),
                to_span,
            )
            .label("another kind")
            .help("a move keeps the live resource: it stays of its kind"),
        );
        return None;
    }
    Some(MovedDecl {
        from,
        to,
        span: block.kind.span,
        to_span,
    })
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Attribute(a) => a.name.span,
        Item::Block(b) => b.kind.span,
    }
}

/// `KIND.NAME` or `KIND.NAME[KEY]`, KEY a string or a whole number.
fn address(expr: &Expr, diags: &mut Vec<Diagnostic>) -> Option<Address> {
    let bad = |diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::error("E0331", "not a resource address", expr.span)
                .label("expected `KIND.NAME` or `KIND.NAME[\"KEY\"]`")
                .help("`from` and `to` name blocks; they are not references"),
        );
        None
    };
    let ExprKind::Traversal(t) = &expr.kind else {
        return bad(diags);
    };
    let Ok(kind) = t.root.name.parse::<Kind>() else {
        return bad(diags);
    };
    let (name, key) = match t.steps.as_slice() {
        [Step::Attr(name)] => (name, None),
        [Step::Attr(name), Step::Index(key)] => match &key.kind {
            ExprKind::Int(n) => (name, Some(n.to_string())),
            ExprKind::String(parts) => match parts.as_slice() {
                [StrPart::Lit(s)] => (name, Some(s.clone())),
                _ => return bad(diags),
            },
            _ => return bad(diags),
        },
        _ => return bad(diags),
    };
    Some(Address {
        kind,
        name: name.name.clone(),
        key,
    })
}

/// E0331 for a move to a block the stack does not declare, or from one it
/// still declares, and for two moves of one address.
pub fn check(module: &Module<'_>, diags: &mut Vec<Diagnostic>) {
    let declared = |a: &Address| module.resources.contains_key(&(a.kind, a.name.clone()));
    let mut seen: Vec<&Address> = Vec::new();
    for m in &module.moves {
        if !declared(&m.to) {
            diags.push(
                Diagnostic::error(
                    "E0331",
                    format!("`{}` is not declared", block_of(&m.to)),
                    m.to_span,
                )
                .label("no block to move to")
                .help(format!(
                    "declare `{} {} {{ ... }}`, or remove the `moved` block",
                    m.to.kind, m.to.name
                )),
            );
        }
        // A block moved into `for_each` keeps its name (`subnet.a` to
        // `subnet.a["x"]`); otherwise the old block must be gone.
        if declared(&m.from) && m.from.name != m.to.name {
            diags.push(
                Diagnostic::error(
                    "E0331",
                    format!("`{}` is still declared", block_of(&m.from)),
                    m.span,
                )
                .label("moved from a block that is still here")
                .help("delete or rename the old block: one block holds the live resource"),
            );
        }
        if seen.contains(&&m.from) {
            diags.push(
                Diagnostic::error("E0331", format!("`{}` is moved twice", m.from), m.span)
                    .label("a second move of it")
                    .help("keep one `moved` block per address"),
            );
        }
        seen.push(&m.from);
    }
}

fn block_of(a: &Address) -> String {
    format!("{}.{}", a.kind, a.name)
}
