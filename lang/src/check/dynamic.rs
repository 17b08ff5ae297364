//! Terraform's `dynamic "NAME" { for_each = ... content { ... } }`: one
//! nested `NAME` block per element, whose `content` reads the element as
//! `NAME.key` and `NAME.value` (or `ITERATOR.key`/`.value` with
//! `iterator = ITERATOR`). Ported security groups write their rules so.

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, ExprKind, Item, Label, StrPart};

/// The block kind.
pub const DYNAMIC: &str = "dynamic";
/// The block inside it that is repeated.
pub const CONTENT: &str = "content";
const ATTRS: &[&str] = &["for_each", "iterator"];

/// A `dynamic` block's parts, once checked.
pub struct Dynamic<'a> {
    /// The nested block it makes (`ingress`).
    pub name: &'a str,
    /// What `content` calls the element: `iterator`, else the name.
    pub iterator: &'a str,
    pub for_each: &'a crate::syntax::ast::Expr,
    pub content: &'a Block,
}

/// Reads a `dynamic` block (E0210 for what it lacks or has too much of).
pub fn parts<'a>(block: &'a Block, diags: &mut Vec<Diagnostic>) -> Option<Dynamic<'a>> {
    let name = match &block.label {
        Some(Label::String(e)) => match &e.kind {
            ExprKind::String(parts) => match parts.as_slice() {
                [StrPart::Lit(s)] => Some(s.as_str()),
                _ => None,
            },
            _ => None,
        },
        Some(Label::Ident(i)) => Some(i.name.as_str()),
        None => None,
    };
    let Some(name) = name else {
        diags.push(
            Diagnostic::error(
                "E0210",
                "a `dynamic` block names the block it makes",
                block.kind.span,
            )
            .label("no block name")
            .help("write `dynamic \"ingress\" { for_each = ...  content { ... } }`"),
        );
        return None;
    };
    let mut for_each = None;
    let mut iterator = None;
    let mut content = None;
    for item in &block.body {
        match item {
            Item::Attribute(a) if a.name.name == "for_each" => for_each = Some(&a.value),
            Item::Attribute(a) if a.name.name == "iterator" => match &a.value.kind {
                ExprKind::Traversal(t) if t.steps.is_empty() => iterator = Some(t.root.name.as_str()),
                _ => diags.push(
                    Diagnostic::error("E0210", "`iterator` is a bare name", a.value.span)
                        .label("not a name")
                        .help("write `iterator = rule`"),
                ),
            },
            Item::Attribute(a) => diags.push(
                Diagnostic::error(
                    "E0210",
                    format!("a `dynamic` block takes no `{}`", a.name.name),
                    a.name.span,
                )
                .label("not allowed here")
                .help(format!("it takes {} and one `content` block", ATTRS.join(", "))),
            ),
            Item::Block(b) if b.kind.name == CONTENT && content.is_none() => content = Some(b),
            Item::Block(b) => diags.push(
                Diagnostic::error(
                    "E0210",
                    "a `dynamic` block holds one `content` block",
                    b.kind.span,
                )
                .label("unexpected block")
                .help("write the repeated block's attributes inside `content { ... }`"),
            ),
        }
    }
    let (Some(for_each), Some(content)) = (for_each, content) else {
        diags.push(
            Diagnostic::error(
                "E0210",
                "a `dynamic` block needs `for_each` and `content`",
                block.kind.span,
            )
            .label("incomplete")
            .help("write `dynamic \"ingress\" { for_each = ...  content { ... } }`"),
        );
        return None;
    };
    Some(Dynamic {
        name,
        iterator: iterator.unwrap_or(name),
        for_each,
        content,
    })
}

/// The iterator names of every `dynamic` block in `block`, however deep.
pub fn iterators(block: &Block) -> Vec<&str> {
    let mut out = Vec::new();
    for item in &block.body {
        if let Item::Block(b) = item {
            if b.kind.name == DYNAMIC
                && let Some(d) = parts(b, &mut Vec::new())
            {
                out.push(d.iterator);
                out.extend(iterators(d.content));
            } else {
                out.extend(iterators(b));
            }
        }
    }
    out
}
