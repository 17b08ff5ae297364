//! What surrounds a byte offset of a file, as the parser sees it: the
//! blocks it is in, what may be written there (an item, a label, a value, the
//! next step of a reference...), and the reference it is on. The language
//! server asks this for completion, hover and go-to-definition.
//!
//! The answer is recorded by the parser itself while it reads the file (a
//! probe at the offset, see [`Probe`]), so it holds in the half-typed text
//! the tree has no node for: `vpc.` with nothing after the dot, `x = ` with
//! no value, a list, map or block left open, a string left unterminated
//! after a `${...}`. Everything else comes from the error-tolerant tree.

use std::ops::Range;

use super::ast::{self, Ident};
use super::parse::Parser;
use crate::source::{FileId, Span};

/// What may be written at an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Where an item starts: a block kind at top level, an attribute or a
    /// nested block name in a body.
    Item,
    /// After a block kind, where its label goes.
    Label,
    /// Where an expression starts; `attr` is the attribute it is assigned to
    /// (also inside a list assigned to it; not inside a map, call or index).
    Value { attr: Option<String> },
    /// After `a.b.`: the next step of a reference whose steps so far are
    /// `path` (indexes skipped).
    Member { path: Vec<String> },
    /// Where a map key goes.
    MapKey,
    /// Inside a comment.
    Comment,
    /// Inside the literal text of a string.
    Str,
    /// Anywhere else: after a complete value in a list, inside a number, in
    /// text the parser skipped after a syntax error...
    Other,
}

/// A reference the offset is on: its `.name` steps (`["subnet", "public",
/// "id"]` for `subnet.public["a"].id`) as far as the parser read them, and
/// which of them the offset is on (or just after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub steps: Vec<String>,
    pub at: usize,
}

/// The surroundings of an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Around {
    /// What may be written there.
    pub place: Place,
    /// Kinds of the enclosing blocks, outermost first (`["task_definition",
    /// "container", "health_check"]`); empty at top level. A block left open
    /// encloses the rest of the file.
    pub blocks: Vec<String>,
    /// The part of the name before the offset that is being typed (empty
    /// between tokens).
    pub prefix: Range<usize>,
    /// The whole name the offset is in or just after, if any.
    pub name: Option<Range<usize>>,
    /// Attribute and nested block names written in the innermost enclosing
    /// block, before or after the offset, except the one being typed there;
    /// empty at top level. (An item the parser skipped as broken is not
    /// among them.)
    pub siblings: Vec<String>,
    /// The reference the offset is on, if any.
    pub reference: Option<Reference>,
}

/// The surroundings of byte offset `offset` of `text` (clamped to the text
/// and moved back to a character boundary).
pub fn at_offset(text: &str, offset: usize) -> Around {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut p = Parser::new(FileId(0), text);
    p.probe.offset = offset;
    let tree = p.file();
    let probe = p.probe;
    let found = probe.found.unwrap_or(Found {
        place: Place::Other,
        blocks: Vec::new(),
        prefix: offset..offset,
        block: None,
    });
    let in_comment = tree.comments.iter().any(|c| c.start < offset && offset <= c.end);
    let siblings = found
        .block
        .and_then(|start| block_at(&tree.blocks, start))
        .map(|b| siblings(b, offset))
        .unwrap_or_default();
    Around {
        place: if in_comment { Place::Comment } else { found.place },
        blocks: found.blocks,
        prefix: found.prefix,
        name: if in_comment { None } else { probe.name },
        siblings,
        reference: if in_comment { None } else { probe.reference },
    }
}

/// The block whose kind starts at byte `start`, at any depth.
fn block_at(blocks: &[ast::Block], start: usize) -> Option<&ast::Block> {
    blocks.iter().find_map(|b| {
        if b.kind.span.start == start {
            return Some(b);
        }
        if !(b.span.start < start && start <= b.span.end) {
            return None;
        }
        b.body.iter().find_map(|item| match item {
            ast::Item::Block(nested) => block_at(std::slice::from_ref(nested), start),
            ast::Item::Attribute(_) => None,
        })
    })
}

/// The names written in `block`'s body, except one the offset is in or just
/// after (the name being typed).
fn siblings(block: &ast::Block, offset: usize) -> Vec<String> {
    block
        .body
        .iter()
        .map(|item| match item {
            ast::Item::Attribute(a) => &a.name,
            ast::Item::Block(b) => &b.kind,
        })
        .filter(|name| !(name.span.start < offset && offset <= name.span.end))
        .map(|name| name.name.clone())
        .collect()
}

/// A reference's names: its root and its `.name` steps (indexes skipped).
fn names<'a>(root: &'a Ident, steps: &'a [ast::Step]) -> impl Iterator<Item = &'a Ident> {
    std::iter::once(root).chain(steps.iter().filter_map(|s| match s {
        ast::Step::Attr(i) => Some(i),
        ast::Step::Index(_) | ast::Step::Splat(_) => None,
    }))
}

/// The kind of place a grammar rule is at; [`Parser`] fills in the details
/// (the attribute, the blocks) when the probe is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Spot {
    Item,
    Label,
    Value,
    MapKey,
    Str,
    Other,
}

/// What the parser records about one offset while it reads the file. With
/// `offset` at `usize::MAX` (an ordinary parse) no check ever fires.
pub(super) struct Probe {
    pub offset: usize,
    /// The attribute the value being read is assigned to.
    pub attr: Option<Span>,
    pub found: Option<Found>,
    pub name: Option<Range<usize>>,
    pub reference: Option<Reference>,
}

impl Default for Probe {
    fn default() -> Self {
        Probe {
            offset: usize::MAX,
            attr: None,
            found: None,
            name: None,
            reference: None,
        }
    }
}

/// The place found, before the tree is complete.
pub(super) struct Found {
    place: Place,
    blocks: Vec<String>,
    prefix: Range<usize>,
    /// Where the innermost enclosing block's kind starts, to find its
    /// names in the finished tree.
    block: Option<usize>,
}

impl Parser<'_> {
    /// Records `spot` if the parser, about to read the next token, has
    /// reached the probe's offset: the offset is in the trivia before that
    /// token or at its start.
    pub(super) fn probe_here(&mut self, spot: Spot) {
        if self.c.pos >= self.probe.offset && self.probe.found.is_none() {
            let at = self.probe.offset;
            self.record(spot, at..at);
        }
    }

    /// Records `spot` if `name`, just read where `spot` was, holds the
    /// probe's offset or ends at it (the name being typed).
    pub(super) fn probe_name(&mut self, name: &Ident, spot: Spot) {
        let (start, end, at) = (name.span.start, name.span.end, self.probe.offset);
        if start <= at && at <= end {
            self.probe.name.get_or_insert(start..end);
            if start < at && self.probe.found.is_none() {
                self.record(spot, start..at);
            }
        }
    }

    /// Records a place after `root.steps.` (the next step of a reference),
    /// if the probe's offset is there or in the step being read.
    pub(super) fn probe_member(&mut self, root: &Ident, steps: &[ast::Step], next: Option<&Ident>) {
        if self.probe.found.is_some() {
            return;
        }
        let at = self.probe.offset;
        let prefix = match next {
            Some(n) if n.span.start < at && at <= n.span.end => n.span.start..at,
            _ if self.c.pos >= at => at..at,
            _ => return,
        };
        let path = names(root, steps).map(|n| n.name.clone()).collect();
        self.record_place(Place::Member { path }, prefix);
    }

    /// Records the reference read so far, `root.steps`, if the probe's
    /// offset is on one of its names (or just after it). Called after each
    /// step, so the last call holds every step the parser read.
    pub(super) fn probe_reference(&mut self, root: &Ident, steps: &[ast::Step]) {
        let at = self.probe.offset;
        if let Some(on) = names(root, steps).position(|n| n.span.start <= at && at <= n.span.end) {
            self.probe.reference = Some(Reference {
                steps: names(root, steps).map(|n| n.name.clone()).collect(),
                at: on,
            });
        }
    }

    /// Records a place in the literal text of a string from `from` to `to`
    /// (both ends count: the offset sits between characters).
    pub(super) fn probe_text(&mut self, from: usize, to: usize) {
        let at = self.probe.offset;
        if from <= at && at <= to && self.probe.found.is_none() {
            self.record(Spot::Str, at..at);
        }
    }

    /// Records `spot` if the probe's offset is strictly between `from` and
    /// `to`: inside a token (a number), or in text that recovery skipped
    /// after a syntax error (`Spot::Other`: the parser did not read it).
    pub(super) fn probe_between(&mut self, from: usize, to: usize, spot: Spot) {
        let at = self.probe.offset;
        if from < at && at < to && self.probe.found.is_none() {
            self.record(spot, at..at);
        }
    }

    fn record(&mut self, spot: Spot, prefix: Range<usize>) {
        let place = match spot {
            Spot::Item => Place::Item,
            Spot::Label => Place::Label,
            Spot::Value => Place::Value {
                attr: self.probe.attr.map(|s| self.c.text[s.range()].to_owned()),
            },
            Spot::MapKey => Place::MapKey,
            Spot::Str => Place::Str,
            Spot::Other => Place::Other,
        };
        self.record_place(place, prefix);
    }

    fn record_place(&mut self, place: Place, prefix: Range<usize>) {
        let text = self.c.text;
        let blocks: Vec<Span> = self.open.iter().filter_map(|o| o.block).collect();
        self.probe.found = Some(Found {
            place,
            blocks: blocks.iter().map(|s| text[s.range()].to_owned()).collect(),
            prefix,
            block: blocks.last().map(|s| s.start),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The surroundings where `|` is written (the `|` is removed), and the
    /// prefix's text.
    fn at(marked: &str) -> (Around, String) {
        let offset = marked.find('|').expect("a | marks the cursor");
        let text = marked.replacen('|', "", 1);
        let around = at_offset(&text, offset);
        let prefix = text[around.prefix.clone()].to_owned();
        (around, prefix)
    }

    fn blocks(a: &Around) -> Vec<&str> {
        a.blocks.iter().map(String::as_str).collect()
    }

    fn member(path: &[&str]) -> Place {
        Place::Member {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn value(attr: &str) -> Place {
        Place::Value {
            attr: Some(attr.to_owned()),
        }
    }

    fn reference(marked: &str) -> Option<(Vec<String>, usize)> {
        at(marked).0.reference.map(|r| (r.steps, r.at))
    }

    fn steps(names: &[&str], at: usize) -> Option<(Vec<String>, usize)> {
        Some((names.iter().map(|s| (*s).to_owned()).collect(), at))
    }

    #[test]
    fn top_level_item() {
        let (a, prefix) = at("vpc main {}\n|");
        assert_eq!((a.place, prefix.as_str()), (Place::Item, ""));
        assert!(a.blocks.is_empty());
        let (a, prefix) = at("vpc main {}\nsub|");
        assert_eq!((a.place, prefix.as_str()), (Place::Item, "sub"));
        assert_eq!(at("|").0.place, Place::Item);
    }

    #[test]
    fn inside_an_unclosed_resource_body() {
        let (a, prefix) = at("vpc main {\n  cidr = \"10.0.0.0/16\"\n  dns_h|");
        assert_eq!((&a.place, prefix.as_str()), (&Place::Item, "dns_h"));
        assert_eq!(blocks(&a), ["vpc"]);
        assert_eq!(a.siblings, ["cidr"]);
    }

    #[test]
    fn siblings_after_the_cursor_count_but_not_the_word_at_it() {
        let (a, _) = at(
            "vpc main {\n  cid|\n  dns_hostnames = true\n  tags = { a = \"b\" }\n}\nsubnet x { zone = 1 }",
        );
        assert_eq!(a.place, Place::Item);
        assert_eq!(a.siblings, ["dns_hostnames", "tags"]);
        let (a, _) = at("vpc main {\n  cid|r = \"x\"\n  dns_hostnames = true\n}\n");
        assert_eq!(a.siblings, ["dns_hostnames"]);
    }

    #[test]
    fn a_name_typed_above_a_labelled_block() {
        // `d` reads as the kind of a block labelled `rule`; that broken item
        // is skipped, so only `port` is written in the body.
        let (a, prefix) = at("listener l {\n  port = 80\n  d|\n  rule login { priority = 1 }\n}\nvpc v {}\n");
        assert_eq!((&a.place, prefix.as_str()), (&Place::Item, "d"));
        assert_eq!(blocks(&a), ["listener"]);
        assert_eq!(a.siblings, ["port"]);
    }

    #[test]
    fn nested_blocks_after_references_and_maps() {
        let text = "task_definition t {\n  execution_role = role.x\n  container app {\n    env = { A = var.env }\n    cpu: 1\n    health_check {\n      |\n    }\n  }\n}";
        let (a, _) = at(text);
        assert_eq!(a.place, Place::Item);
        assert_eq!(blocks(&a), ["task_definition", "container", "health_check"]);
        assert!(a.siblings.is_empty());
        let (a, _) = at(
            "task_definition t {\n  container app {\n    env = { A = var.env }\n    ima|\n    health_check {}\n    cpu = 256\n  }\n}\n",
        );
        assert_eq!(blocks(&a), ["task_definition", "container"]);
        assert_eq!(a.siblings, ["env", "cpu"]);
    }

    #[test]
    fn attribute_names_in_a_nested_block_of_a_broken_file() {
        // An error before the cursor, and the blocks around it left open.
        let (a, prefix) = at(
            "vpc v {\n  cidr: 1\n}\ntask_definition t {\n  cpu: 256\n  container app {\n    image = \"x\"\n    health_check {\n      inter|",
        );
        assert_eq!((&a.place, prefix.as_str()), (&Place::Item, "inter"));
        assert_eq!(blocks(&a), ["task_definition", "container", "health_check"]);
        let (a, _) = at("vpc v {\n  cidr = [1,\n}\nsubnet s {\n  |\n  zone = \"a\"\n}\n");
        assert_eq!(blocks(&a), ["subnet"]);
        assert_eq!(a.siblings, ["zone"]);
    }

    #[test]
    fn outside_bodies() {
        assert!(at("vpc main |{}").0.blocks.is_empty());
        assert!(at("vpc main {}|").0.blocks.is_empty());
        assert_eq!(blocks(&at("vpc main {|}").0), ["vpc"]);
    }

    #[test]
    fn after_a_kind_and_a_name() {
        let (a, prefix) = at("vpc main {}\nvpc.|");
        // `vpc.` at top level is not a reference.
        assert_ne!(a.place, member(&["vpc"]));
        assert_eq!(prefix, "");
        assert_eq!(at("vpc m|").0.place, Place::Label);
        assert_eq!(at("vpc |").0.place, Place::Label);
    }

    #[test]
    fn member_steps() {
        let (a, prefix) = at("subnet a {\n  vpc = vpc.|\n}");
        assert_eq!((a.place, prefix.as_str()), (member(&["vpc"]), ""));
        let (a, prefix) = at("subnet a {\n  vpc = vpc.ma|");
        assert_eq!((a.place, prefix.as_str()), (member(&["vpc"]), "ma"));
        let (a, _) = at("service s { x = load_balancer.web.| }");
        assert_eq!(a.place, member(&["load_balancer", "web"]));
        let (a, _) = at("service s { x = subnet.public[\"a\"].| }");
        assert_eq!(a.place, member(&["subnet", "public"]));
    }

    #[test]
    fn a_member_in_a_block_whose_brace_is_missing() {
        let (a, _) =
            at("vpc main {\n  cidr = \"10.0.0.0/16\"\n\nsubnet a {\n  cidr = \"10.0.1.0/24\"\n  vpc = vpc.|");
        assert_eq!(a.place, member(&["vpc"]));
        assert_eq!(blocks(&a), ["vpc", "subnet"], "the open block holds the rest");
        let (a, _) = at("subnet a {\n  vpc = vpc.|\n  zone = \"a\"\n\nsubnet b {}\n");
        assert_eq!(a.place, member(&["vpc"]));
    }

    #[test]
    fn references_inside_lists_and_interpolations() {
        let (a, _) = at("load_balancer w { subnets = [subnet.a, subnet.| ] }");
        assert_eq!(a.place, member(&["subnet"]));
        let (a, _) = at("stack \"blog-${var.|}\" {}");
        assert_eq!(a.place, member(&["var"]));
        let (a, _) = at("x y { image = \"a:${var.en|v}\" }");
        assert_eq!(a.place, member(&["var"]));
        // Unterminated, and the file ends there.
        let (a, _) = at("x y {\n  image = \"a:${var.| ");
        assert_eq!(a.place, member(&["var"]));
    }

    #[test]
    fn value_positions_know_their_attribute() {
        assert_eq!(at("subnet a { vpc = | }").0.place, value("vpc"));
        assert_eq!(at("subnet a {\n  vpc = |").0.place, value("vpc"));
        assert_eq!(
            at("subnet a {\n  vpc = |\n  zone = \"a\"\n}").0.place,
            value("vpc")
        );
        let (a, prefix) = at("load_balancer w { subnets = [subnet.a, s|");
        assert_eq!((a.place, prefix.as_str()), (value("subnets"), "s"));
        assert_eq!(at("x y { a = [{ k = 1 }, |] }").0.place, value("a"));
        assert_eq!(at("x y { a = { k = | } }").0.place, Place::Value { attr: None });
        assert_eq!(at("x y { a = f(|) }").0.place, Place::Value { attr: None });
        assert_eq!(at("x y { a = \"${|}\" }").0.place, Place::Value { attr: None });
    }

    #[test]
    fn comments_strings_and_numbers() {
        assert_eq!(at("# vpc.|\n").0.place, Place::Comment);
        assert_eq!(at("vpc m { cidr = \"10.|0\" }").0.place, Place::Str);
        assert_eq!(at("vpc m { cidr = \"10.0 |").0.place, Place::Str);
        assert_eq!(at("vpc m { cidr = \"a\\|\"b\" }").0.place, Place::Str);
        assert_eq!(at("x y { port = 30| }").0.place, Place::Other);
        assert_eq!(at("x y { a = [1 |] }").0.place, Place::Other);
        assert_eq!(at("x y { a = 1 2| }").0.place, Place::Other, "skipped as broken");
        assert_eq!(at("x y { tags = { a| } }").0.place, Place::MapKey);
        // After a string closes, a new item starts.
        let (a, _) = at("vpc m { cidr = \"x\" | }");
        assert_eq!((a.place, a.siblings), (Place::Item, vec!["cidr".to_owned()]));
        // Escaped quotes and `$${` neither end nor open anything.
        assert_eq!(at("x y { a = \"q\\\" $${no} #\" | }").0.place, Place::Item);
    }

    #[test]
    fn the_name_at_the_offset() {
        let text = "x y { a = subnet.public[\"a\"].id }";
        let name = |offset| at_offset(text, offset).name.map(|r| &text[r]);
        assert_eq!(name(6), Some("a"));
        assert_eq!(name(10), Some("subnet"));
        assert_eq!(name(16), Some("subnet"), "just after it");
        assert_eq!(name(17), Some("public"));
        assert_eq!(name(8), None);
        assert_eq!(at_offset("x y { a = \"abc\" }", 12).name, None, "text is no name");
        assert_eq!(at_offset("# abc", 3).name, None, "nor is a comment");
    }

    #[test]
    fn references_and_the_step_the_offset_is_on() {
        assert_eq!(
            reference("subnet a { vpc = v|pc.main.cidr }"),
            steps(&["vpc", "main", "cidr"], 0)
        );
        assert_eq!(
            reference("subnet a { vpc = vpc.ma|in }"),
            steps(&["vpc", "main"], 1)
        );
        assert_eq!(
            reference("x y { a = [f(subnet.public[\"a\"].i|d)] }"),
            steps(&["subnet", "public", "id"], 2)
        );
        assert_eq!(
            reference("x y { a = subnet.public[var.e|nv] }"),
            steps(&["var", "env"], 1)
        );
        assert_eq!(
            reference("stack \"blog-${va|r.env}\" {}\nx y { m = { k = \"${vpc.v.id}\" } }"),
            steps(&["var", "env"], 0)
        );
        assert_eq!(
            reference("x y { m = { k = \"${vpc.v.i|d}\" } }").map(|r| r.1),
            Some(2)
        );
    }

    #[test]
    fn not_on_a_reference() {
        assert_eq!(reference("x y { a = \"vpc.m|ain\" }"), None);
        assert_eq!(reference("x y { ab|c = vpc.main }"), None);
        assert_eq!(reference("x y { a = vpc.main } |"), None);
        assert_eq!(reference("v|pc main {}"), None);
        assert_eq!(reference("# vpc.m|ain"), None);
        assert_eq!(reference("x y { a = f|(1) }"), None, "a function is no reference");
    }

    #[test]
    fn references_in_broken_text() {
        let text = "vpc v {\n  cidr: 1\n}\nsubnet a {\n  vpc = vpc.|v\n  zone =\n}\n";
        assert_eq!(reference(text), steps(&["vpc", "v"], 1));
        // Half typed, in an unterminated string, in an unclosed list.
        assert_eq!(reference("x y { a = vpc.ma|in. }"), steps(&["vpc", "main"], 1));
        assert_eq!(reference("x y {\n  a = \"${var.e|nv}"), steps(&["var", "env"], 1));
        assert_eq!(reference("x y {\n  a = [vpc.m|ain,"), steps(&["vpc", "main"], 1));
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character() {
        let text = "x y { a = \"é\" }";
        let inside = text.find('é').unwrap() + 1;
        assert_eq!(at_offset(text, inside).place, Place::Str);
        assert_eq!(at_offset(text, 1000).place, Place::Item);
    }

    /// Every offset of odd input answers; every offset of real files, whole
    /// and with the line at the offset being typed, answers too.
    #[test]
    fn no_panic_anywhere() {
        for text in [
            "}}}]]))",
            "\"${",
            "\"${\"${",
            "a = [ { ( ",
            "é🚀 = \"é",
            "#",
            "x-",
            "-",
            "vpc a { b = -",
        ] {
            for offset in 0..=text.len() + 2 {
                let _ = at_offset(text, offset);
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let full = std::fs::read_to_string(root.join("examples/blog/main.berth")).unwrap();
        let mut references = 0;
        for at in (0..=full.len()).filter(|a| full.is_char_boundary(*a)) {
            let end = full[at..].find('\n').map_or(full.len(), |i| at + i);
            let typing = format!("{}{}", &full[..at], &full[end..]);
            references += usize::from(at_offset(&full, at).reference.is_some());
            let _ = at_offset(&typing, at);
        }
        assert!(references > 100, "only {references} offsets on a reference");
    }
}
