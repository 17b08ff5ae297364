//! The blocks around a cursor, from the parser's error-tolerant tree: their
//! kinds, outermost first, and the names already written in the innermost
//! one. The parser skips a broken item and keeps the rest of its body, so
//! this holds while the user is typing, as long as every block is closed.

use berth_lang::FileId;
use berth_lang::syntax::{self, MAX_ERRORS, ast};

/// The blocks enclosing a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosing {
    /// Kinds of the enclosing blocks, outermost first; empty at top level.
    pub blocks: Vec<String>,
    /// Attribute and nested block names written in the innermost block's
    /// body, except one whose name the cursor is in or just after; empty
    /// at top level.
    pub siblings: Vec<String>,
}

/// The blocks enclosing byte offset `cursor` of `text`, or `None` where the
/// tree cannot say: a block left open (its extent is a guess; the parser
/// only says where the file ended) or more errors than the parser reports
/// (it stops reading).
pub fn enclosing(text: &str, cursor: usize) -> Option<Enclosing> {
    let parsed = syntax::parse_recovering(FileId(0), text);
    let trusted =
        parsed.errors.len() < MAX_ERRORS && !parsed.errors.iter().any(|d| d.message.starts_with("unclosed"));
    if !trusted {
        return None;
    }
    let mut blocks = Vec::new();
    let mut body: &[ast::Item] = &[];
    let mut level: &[ast::Block] = &parsed.tree.blocks;
    let mut top = true;
    loop {
        let inner = level.iter().find(|b| inside_body(text, b, cursor));
        let Some(block) = inner else { break };
        blocks.push(block.kind.name.clone());
        body = &block.body;
        top = false;
        // Nested blocks only: a map or list value is no block.
        let nested: Vec<&ast::Block> = block
            .body
            .iter()
            .filter_map(|i| match i {
                ast::Item::Block(b) => Some(b),
                ast::Item::Attribute(_) => None,
            })
            .collect();
        match nested.into_iter().find(|b| inside_body(text, b, cursor)) {
            Some(b) => level = std::slice::from_ref(b),
            None => break,
        }
    }
    let siblings = if top {
        Vec::new()
    } else {
        body.iter()
            .filter_map(|item| {
                let name = match item {
                    ast::Item::Attribute(a) => &a.name,
                    ast::Item::Block(b) => &b.kind,
                };
                // As typed: the cursor is in the name or just after it.
                let at_cursor = name.span.start < cursor && cursor <= name.span.end;
                (!at_cursor).then(|| name.name.clone())
            })
            .collect()
    };
    Some(Enclosing { blocks, siblings })
}

/// Whether `cursor` is between a (closed) block's braces.
fn inside_body(text: &str, block: &ast::Block, cursor: usize) -> bool {
    let header_end = block.label.as_ref().map_or(block.kind.span.end, |l| l.span().end);
    let Some(open) = text
        .get(header_end..block.span.end)
        .and_then(|h| h.find('{'))
        .map(|i| header_end + i)
    else {
        return false;
    };
    open < cursor && cursor < block.span.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(marked: &str) -> Option<Enclosing> {
        let offset = marked.find('|').expect("a | marks the cursor");
        enclosing(&marked.replacen('|', "", 1), offset)
    }

    fn names(e: &Enclosing) -> (Vec<&str>, Vec<&str>) {
        (
            e.blocks.iter().map(String::as_str).collect(),
            e.siblings.iter().map(String::as_str).collect(),
        )
    }

    #[test]
    fn nested_blocks_and_their_names_while_an_item_is_broken() {
        let text = "task_definition t {\n  execution_role = role.x\n  container app {\n    env = { A = var.env }\n    cpu: 1\n    health_check {\n      |\n    }\n    image = \"x\"\n  }\n}\nvpc v {}\n";
        let e = at(text).unwrap();
        assert_eq!(
            names(&e),
            (vec!["task_definition", "container", "health_check"], vec![])
        );
        let e = at("task_definition t {\n  container app {\n    env = { A = var.env }\n    ima|\n    health_check {}\n    cpu = 256\n  }\n}\n").unwrap();
        // `ima` reads as the kind of a block labelled `health_check`, so
        // the name at the cursor is all that is left out.
        assert_eq!(
            names(&e),
            (vec!["task_definition", "container"], vec!["env", "cpu"])
        );
    }

    #[test]
    fn the_name_at_the_cursor_is_no_sibling() {
        let e = at("vpc main {\n  cid|r = \"x\"\n  dns_hostnames = true\n}\n").unwrap();
        assert_eq!(names(&e), (vec!["vpc"], vec!["dns_hostnames"]));
    }

    #[test]
    fn outside_bodies_and_left_open() {
        assert_eq!(at("vpc main {}\n|").unwrap().blocks, Vec::<String>::new());
        assert_eq!(at("vpc main |{}").unwrap().blocks, Vec::<String>::new());
        assert_eq!(at("vpc main {}|").unwrap().blocks, Vec::<String>::new());
        assert_eq!(at("vpc main {|}").unwrap().blocks, ["vpc"]);
        assert_eq!(at("vpc main {\n  cidr = \"x\"\n  |"), None, "left open");
    }

    /// Typing a line of real files (the line cut at the cursor, the rest of
    /// the file intact): wherever the tree answers, it finds the blocks the
    /// scan finds, and never a name the scan does not (the scan also takes
    /// a block's label, or an empty key, for a name while a line is half
    /// typed; the tree leaves out the item the parser skipped).
    #[test]
    fn agrees_with_the_scan_while_typing_real_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut compared = 0;
        for name in ["examples/blog/main.berth", "editors/fixtures/all.berth"] {
            let Ok(full) = std::fs::read_to_string(root.join(name)) else {
                continue;
            };
            for at in (0..=full.len()).filter(|a| full.is_char_boundary(*a)) {
                let end = full[at..].find('\n').map_or(full.len(), |i| at + i);
                let text = format!("{}{}", &full[..at], &full[end..]);
                let Some(tree) = enclosing(&text, at) else {
                    continue;
                };
                let scan = crate::context::scan(&text, at).cursor;
                assert_eq!(tree.blocks, scan.blocks, "{name} at {at}");
                if scan.place == crate::context::Place::Item && !tree.blocks.is_empty() {
                    let invented: Vec<_> = tree
                        .siblings
                        .iter()
                        .filter(|n| !scan.siblings.contains(n))
                        .collect();
                    assert!(invented.is_empty(), "{name} at {at}: {invented:?}");
                }
                compared += 1;
            }
        }
        assert!(compared > 1000, "only {compared} positions compared");
    }
}
