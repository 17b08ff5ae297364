//! Document symbols (`textDocument/documentSymbol`): the outline of one
//! file from the parser's error-tolerant tree, so a file being typed still
//! has one.

use berth_lang::FileId;
use berth_lang::syntax::{self, ast};
use lsp_types::{DocumentSymbol, SymbolKind};

use crate::position::LineIndex;

/// The file's top-level blocks (the stack, variables, outputs, resources),
/// each with its nested blocks as children.
pub fn document_symbols(text: &str) -> Vec<DocumentSymbol> {
    let parsed = syntax::parse_recovering(FileId(0), text);
    let index = LineIndex::new(text);
    parsed
        .tree
        .blocks
        .iter()
        .map(|b| symbol(&index, text, b, top_level_kind(&b.kind.name)))
        .collect()
}

/// How a top-level block shows in an outline.
fn top_level_kind(kind: &str) -> SymbolKind {
    match kind {
        "stack" => SymbolKind::MODULE,
        "variable" => SymbolKind::VARIABLE,
        "output" => SymbolKind::PROPERTY,
        // Resources, and kinds the checker will reject: still blocks.
        _ => SymbolKind::STRUCT,
    }
}

#[allow(deprecated)] // `deprecated` must be named to build the struct.
fn symbol(index: &LineIndex<'_>, text: &str, block: &ast::Block, kind: SymbolKind) -> DocumentSymbol {
    // Named by its label (`main`, `"blog-${var.env}"`); a block without
    // one (`health_check`, a stack left unnamed) by its kind.
    let (name, detail, selection) = match &block.label {
        Some(label) => {
            let span = label.span();
            let written = text.get(span.start..span.end).unwrap_or(&block.kind.name);
            let name = match label {
                ast::Label::Ident(i) => i.name.clone(),
                ast::Label::String(_) => written.to_owned(),
            };
            (name, Some(block.kind.name.clone()), span)
        }
        None => (block.kind.name.clone(), None, block.kind.span),
    };
    let children: Vec<DocumentSymbol> = block
        .body
        .iter()
        .filter_map(|item| match item {
            ast::Item::Block(b) => Some(symbol(index, text, b, SymbolKind::OBJECT)),
            ast::Item::Attribute(_) => None,
        })
        .collect();
    // The selection must lie inside the range, even for a block the parser
    // recovered oddly.
    let start = block.span.start.min(selection.start);
    let end = block.span.end.max(selection.end);
    DocumentSymbol {
        // An empty name is invalid in the protocol (an empty string label).
        name: if name.trim().is_empty() {
            block.kind.name.clone()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: index.range(start, end),
        selection_range: index.range(selection.start, selection.end),
        children: (!children.is_empty()).then_some(children),
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range};

    use super::*;

    fn outline(symbols: &[DocumentSymbol], depth: usize, out: &mut Vec<String>) {
        for s in symbols {
            let detail = s.detail.as_deref().unwrap_or("-");
            out.push(format!("{}{} {detail} {:?}", "  ".repeat(depth), s.name, s.kind));
            outline(s.children.as_deref().unwrap_or_default(), depth + 1, out);
        }
    }

    #[test]
    fn top_level_blocks_with_nested_blocks_as_children() {
        let text = "stack \"blog-${var.env}\" {}\n\nvariable env { default = \"dev\" }\n\n\
                    service web {\n  cluster = cluster.main\n  load_balancer {\n    port = 80\n    \
                    health_check { path = \"/\" }\n  }\n}\n\noutput url { value = \"x\" }\n";
        let symbols = document_symbols(text);
        let mut lines = Vec::new();
        outline(&symbols, 0, &mut lines);
        assert_eq!(
            lines,
            [
                "\"blog-${var.env}\" stack Module",
                "env variable Variable",
                "web service Struct",
                "  load_balancer - Object",
                "    health_check - Object",
                "url output Property",
            ]
        );
        let web = &symbols[2];
        assert_eq!(web.range, Range::new(Position::new(4, 0), Position::new(10, 1)));
        assert_eq!(
            web.selection_range,
            Range::new(Position::new(4, 8), Position::new(4, 11))
        );
        let lb = &web.children.as_ref().unwrap()[0];
        assert_eq!(lb.selection_range.start, Position::new(6, 2));
    }

    #[test]
    fn a_file_being_typed_still_has_an_outline() {
        let text = "vpc main {\n  cidr: 1\n}\nsubnet a {\n  vpc = vpc.\n}\ncluster c {\n  x =\n";
        let names: Vec<String> = document_symbols(text).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["main", "a", "c"]);
        for end in (0..=text.len()).filter(|e| text.is_char_boundary(*e)) {
            for s in document_symbols(&text[..end]) {
                assert!(s.range.start <= s.selection_range.start && s.selection_range.end <= s.range.end);
            }
        }
    }
}
