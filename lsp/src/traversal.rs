//! The reference under a cursor, from the parser's error-tolerant tree:
//! every reference of an item that parsed, even in a file with errors
//! elsewhere, with its steps exactly as the parser read them.

use berth_lang::FileId;
use berth_lang::syntax::{self, ast};

/// A reference's `.name` steps (indexes skipped, as `["subnet", "public",
/// "id"]` for `subnet.public["a"].id`) and which of them the cursor is on.
pub fn reference_at(text: &str, offset: usize) -> Option<(Vec<String>, usize)> {
    let parsed = syntax::parse_recovering(FileId(0), text);
    parsed.tree.blocks.iter().find_map(|b| in_block(b, offset))
}

fn in_block(block: &ast::Block, offset: usize) -> Option<(Vec<String>, usize)> {
    if offset < block.span.start || offset > block.span.end {
        return None;
    }
    if let Some(ast::Label::String(e)) = &block.label
        && let Some(found) = in_expr(e, offset)
    {
        return Some(found);
    }
    block.body.iter().find_map(|item| match item {
        ast::Item::Attribute(a) => in_expr(&a.value, offset),
        ast::Item::Block(b) => in_block(b, offset),
    })
}

fn in_expr(expr: &ast::Expr, offset: usize) -> Option<(Vec<String>, usize)> {
    if offset < expr.span.start || offset > expr.span.end {
        return None;
    }
    match &expr.kind {
        ast::ExprKind::Traversal(t) => {
            let mut names = vec![&t.root];
            for step in &t.steps {
                match step {
                    ast::Step::Attr(ident) => names.push(ident),
                    ast::Step::Index(index) => {
                        if let Some(found) = in_expr(index, offset) {
                            return Some(found);
                        }
                    }
                }
            }
            // The cursor is on a name or just after it, as while typing.
            let at = names
                .iter()
                .position(|n| n.span.start <= offset && offset <= n.span.end)?;
            Some((names.iter().map(|n| n.name.clone()).collect(), at))
        }
        ast::ExprKind::List(items) => items.iter().find_map(|e| in_expr(e, offset)),
        ast::ExprKind::Map(entries) => entries.iter().find_map(|e| in_expr(&e.value, offset)),
        ast::ExprKind::Call(call) => call.args.iter().find_map(|e| in_expr(e, offset)),
        ast::ExprKind::String(parts) => parts.iter().find_map(|p| match p {
            ast::StrPart::Interp(e) => in_expr(e, offset),
            ast::StrPart::Lit(_) => None,
        }),
        ast::ExprKind::Null | ast::ExprKind::Bool(_) | ast::ExprKind::Int(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(marked: &str) -> Option<(Vec<String>, usize)> {
        let offset = marked.find('|').expect("a | marks the cursor");
        reference_at(&marked.replacen('|', "", 1), offset)
    }

    #[test]
    fn every_place_a_reference_can_be() {
        let plain = at("subnet a { vpc = vpc.ma|in }");
        assert_eq!(plain, Some((vec!["vpc".into(), "main".into()], 1)));
        let indexed = at("x y { a = [f(subnet.public[\"a\"].i|d)] }");
        assert_eq!(
            indexed,
            Some((vec!["subnet".into(), "public".into(), "id".into()], 2))
        );
        let in_key = at("x y { a = subnet.public[var.e|nv] }");
        assert_eq!(in_key, Some((vec!["var".into(), "env".into()], 1)));
        let interpolated = at("stack \"blog-${va|r.env}\" {}\nx y { m = { k = \"${vpc.v.id}\" } }");
        assert_eq!(interpolated, Some((vec!["var".into(), "env".into()], 0)));
        let in_map = at("x y { m = { k = \"${vpc.v.i|d}\" } }");
        assert_eq!(in_map.map(|(_, i)| i), Some(2));
    }

    #[test]
    fn not_on_a_reference() {
        assert_eq!(at("x y { a = \"vpc.m|ain\" }"), None);
        assert_eq!(at("x y { ab|c = vpc.main }"), None);
        assert_eq!(at("x y { a = vpc.main } |"), None);
    }

    #[test]
    fn found_in_a_file_with_errors_elsewhere() {
        let text = "vpc v {\n  cidr: 1\n}\nsubnet a {\n  vpc = vpc.|v\n  zone =\n}\n";
        assert_eq!(at(text), Some((vec!["vpc".into(), "v".into()], 1)));
    }

    /// On real files, whole and with the line at the cursor being typed:
    /// wherever the tree finds a reference, it is the one the scan finds.
    #[test]
    fn agrees_with_the_scan_on_real_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut compared = 0;
        for name in ["examples/blog/main.berth", "editors/fixtures/all.berth"] {
            let Ok(full) = std::fs::read_to_string(root.join(name)) else {
                continue;
            };
            for at in (0..=full.len()).filter(|a| full.is_char_boundary(*a)) {
                let end = full[at..].find('\n').map_or(full.len(), |i| at + i);
                let typing = format!("{}{}", &full[..at], &full[end..]);
                for text in [full.as_str(), typing.as_str()] {
                    let Some((steps, step)) = reference_at(text, at) else {
                        continue;
                    };
                    let scanned = crate::definition::scanned_reference_at(text, at);
                    assert_eq!(
                        scanned.map(|r| (r.steps, r.at)),
                        Some((steps, step)),
                        "{name} at {at}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 500, "only {compared} references compared");
    }
}
