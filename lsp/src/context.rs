//! What surrounds the cursor. Whether an attribute name, a label, a value
//! or the next step of a reference goes there is found by a forgiving scan
//! of the text, which works on half-typed tokens the parser has no node for
//! (`vpc.`, an open string). The enclosing blocks and the names already used
//! in the innermost one come from the parser's error-tolerant tree (see
//! `enclosing`) wherever every block is closed, and from the scan otherwise.
//! (The file's top-level blocks come from that tree too, see
//! `stack::declarations`.)
//!
//! The scan follows the grammar's shape (`KIND LABEL? { body }` items,
//! `name = expr` attributes, expressions that are one primary: a string,
//! number, list, map, call or reference) and recovers from anything
//! unexpected by skipping it; it never fails.

use std::ops::Range;

use crate::enclosing;

/// Frames deeper than this are not opened (hostile input cannot grow the
/// scan's memory without bound; no real file nests this deep).
const MAX_FRAMES: usize = 256;

/// Where the cursor sits in the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Where an item starts: a block kind at top level, an attribute or a
    /// nested block name in a body.
    Item,
    /// After a block kind, where its label goes.
    Label,
    /// Where an expression starts; `attr` is the attribute it is assigned to
    /// (also inside a list assigned to it).
    Value { attr: Option<String> },
    /// After `a.b.`: the next step of a reference whose steps so far are
    /// `path`.
    Member { path: Vec<String> },
    /// Where a map key goes.
    MapKey,
    /// Inside a comment.
    Comment,
    /// Inside the literal text of a string.
    Str,
    /// Anywhere else (after a complete value in a list, inside a number...).
    Other,
}

/// The cursor's surroundings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// What may go at the cursor.
    pub place: Place,
    /// Kinds of the enclosing blocks, outermost first (`["task_definition",
    /// "container", "health_check"]`); empty at top level.
    pub blocks: Vec<String>,
    /// The part of the identifier before the cursor that the user is typing.
    pub prefix: Range<usize>,
    /// Attribute and nested block names written in the innermost enclosing
    /// block, except the one at the cursor (filled when `place` is `Item`).
    pub siblings: Vec<String>,
}

/// The result of scanning a file.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The surroundings of the cursor.
    pub cursor: Cursor,
}

/// Scans `text`, describing the surroundings of byte offset `cursor`.
pub fn scan(text: &str, cursor: usize) -> Scan {
    let mut s = Scanner {
        text: text.as_bytes(),
        pos: 0,
        cursor: cursor.min(text.len()),
        frames: vec![Frame::new(FrameKind::Top, 0)],
        next_id: 1,
        captured: None,
        capture_frame: None,
        cursor_token: None,
        siblings: None,
    };
    s.run();
    let mut cursor = s.captured.take().unwrap_or_else(|| Cursor {
        place: Place::Other,
        blocks: Vec::new(),
        prefix: s.cursor..s.cursor,
        siblings: Vec::new(),
    });
    if let Some(names) = s.siblings.take() {
        cursor.siblings = names;
    } else if let Some(id) = s.capture_frame
        && let Some(frame) = s.frames.iter().find(|f| f.id == id)
    {
        cursor.siblings = frame.names.clone();
    }
    Scan { cursor }
}

/// Only the cursor's surroundings: what goes at the cursor from the scan;
/// the enclosing blocks and the names written in the innermost one from the
/// parser's tree wherever it can tell (every block closed), else from the
/// scan.
pub fn cursor_context(text: &str, cursor: usize) -> Cursor {
    let mut found = scan(text, cursor).cursor;
    if let Some(tree) = enclosing::enclosing(text, cursor.min(text.len())) {
        // At top level the scan's siblings (the kinds declared) stay.
        if found.place == Place::Item && !tree.blocks.is_empty() {
            found.siblings = tree.siblings;
        }
        found.blocks = tree.blocks;
    }
    found
}

/// Whether a byte may continue an identifier.
pub fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The identifier touching byte offset `offset` (the cursor may be just
/// after it), if any.
pub fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let mut start = offset;
    while start > 0 && bytes.get(start - 1).copied().is_some_and(is_ident_byte) {
        start -= 1;
    }
    // An identifier starts with a letter or `_`; skip leading digits and dashes.
    while start < offset
        && bytes
            .get(start)
            .is_some_and(|b| !(b.is_ascii_alphabetic() || *b == b'_'))
    {
        start += 1;
    }
    let mut end = offset;
    while bytes.get(end).copied().is_some_and(is_ident_byte) {
        end += 1;
    }
    let first = bytes.get(start)?;
    (start < end && (first.is_ascii_alphabetic() || *first == b'_')).then_some(start..end)
}

/// The `.name` steps written right after byte offset `end` (skipping
/// `[...]` indexes), as in `vpc.main.id` after `vpc`.
pub fn steps_after(text: &str, end: usize) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut pos = end;
    let mut steps = Vec::new();
    loop {
        match bytes.get(pos) {
            Some(b'.') => {
                let start = pos + 1;
                let mut stop = start;
                while bytes.get(stop).copied().is_some_and(is_ident_byte) {
                    stop += 1;
                }
                if stop == start {
                    return steps;
                }
                steps.push(text.get(start..stop).unwrap_or_default().to_owned());
                pos = stop;
            }
            Some(b'[') => {
                let mut depth = 0usize;
                loop {
                    match bytes.get(pos) {
                        None | Some(b'\n') => return steps,
                        Some(b'[') => depth += 1,
                        Some(b']') => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                pos += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    pos += 1;
                }
            }
            _ => return steps,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FrameKind {
    Top,
    Block {
        kind: String,
    },
    Map,
    /// A list, call arguments, an index or an interpolation, closed by `close`.
    Seq {
        close: u8,
    },
    Str,
}

#[derive(Debug, Clone)]
enum Value {
    Expect,
    Reference(Vec<String>),
    Dot(Vec<String>),
    Done,
}

#[derive(Debug, Clone)]
enum State {
    Start,
    Head {
        name: String,
        span: Range<usize>,
    },
    Labelled {
        name: String,
        span: Range<usize>,
        label: Option<(String, Range<usize>)>,
    },
    Value {
        attr: Option<String>,
        value: Value,
    },
}

#[derive(Debug, Clone)]
struct Frame {
    kind: FrameKind,
    id: usize,
    state: State,
    /// Attribute and block names written in this body.
    names: Vec<String>,
}

impl Frame {
    fn new(kind: FrameKind, id: usize) -> Self {
        let state = match kind {
            FrameKind::Seq { .. } => State::Value {
                attr: None,
                value: Value::Expect,
            },
            _ => State::Start,
        };
        Frame {
            kind,
            id,
            state,
            names: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(Range<usize>),
    Number,
    Quote,
    Punct(u8),
    Other,
}

/// What a value step did with a token.
enum Step {
    /// Consumed; optionally opened a nested frame (and whether that frame
    /// inherits the attribute the value is assigned to).
    Took(Option<(FrameKind, bool)>),
    /// The value ended before this token.
    Ended,
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    cursor: usize,
    frames: Vec<Frame>,
    next_id: usize,
    captured: Option<Cursor>,
    /// The block whose names become the cursor's siblings.
    capture_frame: Option<usize>,
    /// Start of the identifier containing the cursor, not counted as a sibling.
    cursor_token: Option<usize>,
    /// The names of the cursor's block, once it is closed.
    siblings: Option<Vec<String>>,
}

impl Scanner<'_> {
    fn run(&mut self) {
        while self.pos < self.text.len() {
            if self.top().kind == FrameKind::Str {
                self.string_text();
                continue;
            }
            let Some(b) = self.text.get(self.pos).copied() else {
                break;
            };
            if b.is_ascii_whitespace() {
                self.pos += 1;
                continue;
            }
            if b == b'#' {
                let start = self.pos;
                let end = self.text[start..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.text.len(), |i| start + i);
                if self.captured.is_none() && start < self.cursor && self.cursor <= end {
                    self.capture_at(Place::Comment, self.cursor..self.cursor);
                }
                self.pos = end;
                continue;
            }
            let start = self.pos;
            let tok = self.lex();
            if self.captured.is_none() {
                let inside = start < self.cursor && self.cursor <= self.pos;
                match &tok {
                    Tok::Ident(r) if inside => {
                        self.cursor_token = Some(r.start);
                        self.capture(r.start..self.cursor);
                    }
                    Tok::Number if inside => self.capture_at(Place::Other, self.cursor..self.cursor),
                    _ if start >= self.cursor => self.capture(self.cursor..self.cursor),
                    _ => {}
                }
            }
            self.token(tok);
        }
        if self.captured.is_none() {
            if self.top().kind == FrameKind::Str {
                self.capture_at(Place::Str, self.cursor..self.cursor);
            } else {
                self.capture(self.cursor..self.cursor);
            }
        }
    }

    fn top(&self) -> &Frame {
        // The top-level frame is never popped.
        &self.frames[self.frames.len() - 1]
    }

    fn top_mut(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn lex(&mut self) -> Tok {
        let start = self.pos;
        let b = self.text[start];
        if b.is_ascii_alphabetic() || b == b'_' {
            let mut end = start + 1;
            while self.text.get(end).copied().is_some_and(is_ident_byte) {
                end += 1;
            }
            self.pos = end;
            return Tok::Ident(start..end);
        }
        let digits_from = if b == b'-' { start + 1 } else { start };
        if self.text.get(digits_from).is_some_and(u8::is_ascii_digit) {
            let mut end = digits_from;
            while self.text.get(end).copied().is_some_and(is_ident_byte) {
                end += 1;
            }
            self.pos = end;
            return Tok::Number;
        }
        self.pos += 1;
        match b {
            b'"' => Tok::Quote,
            b'{' | b'}' | b'[' | b']' | b'(' | b')' | b'=' | b',' | b'.' => Tok::Punct(b),
            _ => Tok::Other,
        }
    }

    /// Scans string text up to the closing quote, an interpolation or the
    /// end of the line (an unterminated string).
    fn string_text(&mut self) {
        loop {
            if self.captured.is_none() && self.pos >= self.cursor {
                self.capture_at(Place::Str, self.cursor..self.cursor);
            }
            let rest = &self.text[self.pos.min(self.text.len())..];
            match rest.first() {
                None => return,
                Some(b'"') => {
                    self.pos += 1;
                    self.pop();
                    return;
                }
                Some(b'\n') => {
                    self.pop();
                    return;
                }
                Some(b'\\') => self.pos = (self.pos + 2).min(self.text.len()),
                Some(b'$') if rest.starts_with(b"$${") => self.pos += 3,
                Some(b'$') if rest.starts_with(b"${") => {
                    self.pos += 2;
                    self.push(FrameKind::Seq { close: b'}' });
                    return;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn push(&mut self, kind: FrameKind) {
        if self.frames.len() > MAX_FRAMES {
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.frames.push(Frame::new(kind, id));
    }

    /// Closes the innermost frame (never the top level), keeping its names
    /// if they are the cursor's siblings.
    fn pop(&mut self) {
        if self.frames.len() > 1
            && let Some(frame) = self.frames.pop()
            && Some(frame.id) == self.capture_frame
        {
            self.siblings = Some(frame.names);
        }
    }

    fn capture(&mut self, prefix: Range<usize>) {
        let place = match (&self.top().kind, &self.top().state) {
            (FrameKind::Str, _) => Place::Str,
            (FrameKind::Top | FrameKind::Block { .. }, State::Start) => Place::Item,
            (
                FrameKind::Top | FrameKind::Block { .. },
                State::Value {
                    value: Value::Reference(_) | Value::Done,
                    ..
                },
            ) => Place::Item,
            (
                FrameKind::Map,
                State::Start
                | State::Value {
                    value: Value::Reference(_) | Value::Done,
                    ..
                },
            ) => Place::MapKey,
            (FrameKind::Top | FrameKind::Block { .. }, State::Head { .. }) => Place::Label,
            (
                _,
                State::Value {
                    attr,
                    value: Value::Expect,
                },
            ) => Place::Value { attr: attr.clone() },
            (
                _,
                State::Value {
                    value: Value::Dot(path),
                    ..
                },
            ) => Place::Member { path: path.clone() },
            _ => Place::Other,
        };
        if place == Place::Item {
            self.capture_frame = Some(self.top().id);
        }
        self.capture_at(place, prefix);
    }

    fn capture_at(&mut self, place: Place, prefix: Range<usize>) {
        let blocks = self
            .frames
            .iter()
            .filter_map(|f| match &f.kind {
                FrameKind::Block { kind } => Some(kind.clone()),
                _ => None,
            })
            .collect();
        self.captured = Some(Cursor {
            place,
            blocks,
            prefix,
            siblings: Vec::new(),
        });
    }

    fn ident(&self, r: &Range<usize>) -> String {
        String::from_utf8_lossy(self.text.get(r.clone()).unwrap_or_default()).into_owned()
    }

    fn note_name(&mut self, name: String, start: usize) {
        if self.cursor_token != Some(start) {
            self.top_mut().names.push(name);
        }
    }

    fn token(&mut self, tok: Tok) {
        // Each retry moves the frame to a state that consumes the token or
        // pops a frame, so this terminates.
        loop {
            let retry = match self.top().kind {
                FrameKind::Seq { close } => self.seq_token(&tok, close),
                FrameKind::Str => false,
                _ => self.body_token(&tok),
            };
            if !retry {
                return;
            }
        }
    }

    /// A token in a block body, a map or at top level; true to retry it.
    fn body_token(&mut self, tok: &Tok) -> bool {
        let state = std::mem::replace(&mut self.top_mut().state, State::Start);
        match (state, tok) {
            (State::Start, Tok::Ident(r)) => {
                self.top_mut().state = State::Head {
                    name: self.ident(r),
                    span: r.clone(),
                };
            }
            (State::Start, Tok::Quote) => {
                self.top_mut().state = State::Head {
                    name: String::new(),
                    span: self.pos..self.pos,
                };
                self.push(FrameKind::Str);
            }
            (State::Start, Tok::Punct(b'}')) => self.pop(),
            (State::Start, _) => {}
            (State::Head { name, span }, Tok::Punct(b'=')) => {
                self.note_name(name.clone(), span.start);
                let attr = (self.top().kind != FrameKind::Map).then_some(name);
                self.top_mut().state = State::Value {
                    attr,
                    value: Value::Expect,
                };
            }
            (State::Head { name, span }, Tok::Ident(r)) => {
                let label = Some((self.ident(r), r.clone()));
                self.top_mut().state = State::Labelled { name, span, label };
            }
            (State::Head { name, span }, Tok::Quote) => {
                self.top_mut().state = State::Labelled {
                    name,
                    span,
                    label: None,
                };
                self.push(FrameKind::Str);
            }
            (State::Head { name, span }, Tok::Punct(b'{')) => self.open_block(name, span),
            (State::Labelled { name, span, .. }, Tok::Punct(b'{')) => self.open_block(name, span),
            (
                State::Labelled {
                    label: Some((name, span)),
                    ..
                },
                Tok::Punct(b'='),
            ) => {
                // `cid` then `dns_hostnames = ...` on the next line: the word
                // taken for a label starts an attribute.
                self.top_mut().state = State::Head { name, span };
                return true;
            }
            (State::Head { .. } | State::Labelled { .. }, _) => return true,
            (State::Value { attr, value }, tok) => match value_step(value, tok, self.text) {
                (value, Step::Took(push)) => self.took(attr, value, push),
                (_, Step::Ended) => return true,
            },
        }
        false
    }

    /// Stores a frame's new value state and opens the frame it started. A
    /// list inherits the attribute it is assigned to.
    fn took(&mut self, attr: Option<String>, value: Value, push: Option<(FrameKind, bool)>) {
        self.top_mut().state = State::Value {
            attr: attr.clone(),
            value,
        };
        if let Some((kind, inherit)) = push {
            self.push(kind);
            if inherit {
                self.top_mut().state = State::Value {
                    attr,
                    value: Value::Expect,
                };
            }
        }
    }

    fn open_block(&mut self, kind: String, span: Range<usize>) {
        self.note_name(kind.clone(), span.start);
        self.push(FrameKind::Block { kind });
    }

    /// A token in a list, call, index or interpolation; true to retry it.
    fn seq_token(&mut self, tok: &Tok, close: u8) -> bool {
        let state = std::mem::replace(&mut self.top_mut().state, State::Start);
        let State::Value { attr, value } = state else {
            self.top_mut().state = State::Value {
                attr: None,
                value: Value::Expect,
            };
            return true;
        };
        match tok {
            Tok::Punct(b) if *b == close => {
                self.pop();
                return false;
            }
            Tok::Punct(b'}' | b']' | b')') => {
                // A bracket that does not close this frame: the frame was left
                // open (the user is typing); close it and let the parent see it.
                self.pop();
                return true;
            }
            Tok::Punct(b',') => {
                self.top_mut().state = State::Value {
                    attr,
                    value: Value::Expect,
                };
                return false;
            }
            _ => {}
        }
        let was_expecting = matches!(value, Value::Expect);
        let (value, step) = value_step(value, tok, self.text);
        match step {
            Step::Took(push) => {
                self.took(attr, value, push);
                false
            }
            Step::Ended => {
                self.top_mut().state = State::Value {
                    attr,
                    value: Value::Expect,
                };
                // A stray token where a value was expected is skipped.
                !was_expecting
            }
        }
    }
}

/// Advances an expression by one token.
fn value_step(value: Value, tok: &Tok, text: &[u8]) -> (Value, Step) {
    let open = |close: u8, inherit: bool| Step::Took(Some((FrameKind::Seq { close }, inherit)));
    match (value, tok) {
        (Value::Expect, Tok::Ident(r)) => {
            let word = text.get(r.clone()).unwrap_or_default();
            if matches!(word, b"true" | b"false" | b"null") {
                (Value::Done, Step::Took(None))
            } else {
                let name = String::from_utf8_lossy(word).into_owned();
                (Value::Reference(vec![name]), Step::Took(None))
            }
        }
        (Value::Expect, Tok::Number) => (Value::Done, Step::Took(None)),
        (Value::Expect, Tok::Quote) => (Value::Done, Step::Took(Some((FrameKind::Str, false)))),
        (Value::Expect, Tok::Punct(b'[')) => (Value::Done, open(b']', true)),
        (Value::Expect, Tok::Punct(b'(')) => (Value::Done, open(b')', false)),
        (Value::Expect, Tok::Punct(b'{')) => (Value::Done, Step::Took(Some((FrameKind::Map, false)))),
        (Value::Reference(path), Tok::Punct(b'.')) => (Value::Dot(path), Step::Took(None)),
        (Value::Reference(path), Tok::Punct(b'[')) => (Value::Reference(path), open(b']', false)),
        (Value::Reference(_), Tok::Punct(b'(')) => (Value::Done, open(b')', false)),
        (Value::Dot(mut path), Tok::Ident(r)) => {
            path.push(String::from_utf8_lossy(text.get(r.clone()).unwrap_or_default()).into_owned());
            (Value::Reference(path), Step::Took(None))
        }
        (value, _) => (value, Step::Ended),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor's surroundings where `|` is written (the `|` is removed).
    fn at(marked: &str) -> (Cursor, String) {
        let offset = marked.find('|').expect("a | marks the cursor");
        let text = marked.replacen('|', "", 1);
        let cursor = cursor_context(&text, offset);
        let prefix = text[cursor.prefix.clone()].to_owned();
        (cursor, prefix)
    }

    fn blocks(c: &Cursor) -> Vec<&str> {
        c.blocks.iter().map(String::as_str).collect()
    }

    #[test]
    fn top_level_item() {
        let (c, prefix) = at("vpc main {}\n|");
        assert_eq!(c.place, Place::Item);
        assert!(c.blocks.is_empty());
        assert_eq!(prefix, "");
        let (c, prefix) = at("vpc main {}\nsub|");
        assert_eq!((c.place, prefix.as_str()), (Place::Item, "sub"));
        let (c, _) = at("|");
        assert_eq!(c.place, Place::Item);
    }

    #[test]
    fn inside_an_unclosed_resource_body() {
        let (c, prefix) = at("vpc main {\n  cidr = \"10.0.0.0/16\"\n  dns_h|");
        assert_eq!(c.place, Place::Item);
        assert_eq!(blocks(&c), ["vpc"]);
        assert_eq!(prefix, "dns_h");
        assert_eq!(c.siblings, ["cidr"]);
    }

    #[test]
    fn siblings_after_the_cursor_count_but_not_the_word_at_it() {
        let (c, _) = at(
            "vpc main {\n  cid|\n  dns_hostnames = true\n  tags = { a = \"b\" }\n}\nsubnet x { zone = 1 }",
        );
        assert_eq!(c.place, Place::Item);
        assert_eq!(c.siblings, ["dns_hostnames", "tags"]);
    }

    #[test]
    fn the_tree_gives_names_where_the_scan_would_take_a_label() {
        // `d` typed above a labelled nested block: the scan alone would
        // take `login` for a name written in the body.
        let text = "listener l {\n  port = 80\n  d|\n  rule login { priority = 1 }\n}\nvpc v {}\n";
        let marked = text.find('|').unwrap();
        assert!(
            scan(&text.replacen('|', "", 1), marked)
                .cursor
                .siblings
                .contains(&"login".to_owned())
        );
        let (c, prefix) = at(text);
        assert_eq!((&c.place, prefix.as_str()), (&Place::Item, "d"));
        assert_eq!(blocks(&c), ["listener"]);
        assert_eq!(c.siblings, ["port"]);
    }

    #[test]
    fn nested_blocks_after_references_and_maps() {
        let text = "task_definition t {\n  execution_role = role.x\n  container app {\n    env = { A = var.env }\n    health_check {\n      |\n    }\n  }\n}";
        let (c, _) = at(text);
        assert_eq!(c.place, Place::Item);
        assert_eq!(blocks(&c), ["task_definition", "container", "health_check"]);
        assert!(c.siblings.is_empty());
    }

    #[test]
    fn after_a_kind_and_a_name() {
        let (c, prefix) = at("vpc main {}\nvpc.|");
        // `vpc.` at top level is not a reference, but typing `vpc m|` is a label.
        assert_ne!(
            c.place,
            Place::Member {
                path: vec!["vpc".into()]
            }
        );
        assert_eq!(prefix, "");
        let (c, _) = at("vpc m|");
        assert_eq!(c.place, Place::Label);
    }

    #[test]
    fn member_steps() {
        let (c, prefix) = at("subnet a {\n  vpc = vpc.|\n}");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["vpc".into()]
            }
        );
        assert_eq!(prefix, "");
        let (c, prefix) = at("subnet a {\n  vpc = vpc.ma|");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["vpc".into()]
            }
        );
        assert_eq!(prefix, "ma");
        let (c, _) = at("service s { x = load_balancer.web.| }");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["load_balancer".into(), "web".into()]
            }
        );
        let (c, _) = at("service s { x = subnet.public[\"a\"].| }");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["subnet".into(), "public".into()]
            }
        );
    }

    #[test]
    fn references_inside_lists_and_interpolations() {
        let (c, _) = at("load_balancer w { subnets = [subnet.a, subnet.| ] }");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["subnet".into()]
            }
        );
        let (c, _) = at("stack \"blog-${var.|}\" {}");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["var".into()]
            }
        );
        let (c, _) = at("x y { image = \"a:${var.en|v}\" }");
        assert_eq!(
            c.place,
            Place::Member {
                path: vec!["var".into()]
            }
        );
    }

    #[test]
    fn value_positions_know_their_attribute() {
        let (c, _) = at("subnet a { vpc = | }");
        assert_eq!(
            c.place,
            Place::Value {
                attr: Some("vpc".into())
            }
        );
        let (c, prefix) = at("load_balancer w { subnets = [subnet.a, s|");
        assert_eq!(
            c.place,
            Place::Value {
                attr: Some("subnets".into())
            }
        );
        assert_eq!(prefix, "s");
    }

    #[test]
    fn comments_strings_and_numbers() {
        assert_eq!(at("# vpc.|\n").0.place, Place::Comment);
        assert_eq!(at("vpc m { cidr = \"10.|0\" }").0.place, Place::Str);
        assert_eq!(at("vpc m { cidr = \"10.0 |").0.place, Place::Str);
        assert_eq!(at("x y { port = 30| }").0.place, Place::Other);
        assert_eq!(at("x y { tags = { a| } }").0.place, Place::MapKey);
        // After a string closes, a new item starts.
        let (c, _) = at("vpc m { cidr = \"x\" | }");
        assert_eq!(c.place, Place::Item);
        assert_eq!(c.siblings, ["cidr"]);
        // Escaped quotes and `$${` do not end or open anything.
        let (c, _) = at("x y { a = \"q\\\" $${no} #\" | }");
        assert_eq!(c.place, Place::Item);
    }

    #[test]
    fn words_and_steps() {
        let text = "x = subnet.public[\"a\"].id";
        let w = word_at(text, 5).unwrap();
        assert_eq!(&text[w.clone()], "subnet");
        assert_eq!(steps_after(text, w.end), ["public", "id"]);
        assert_eq!(word_at(text, 3), None);
        assert_eq!(word_at("abc", 3), Some(0..3));
        assert_eq!(word_at("", 0), None);
        assert_eq!(word_at("10", 1), None);
    }

    #[test]
    fn no_panic_on_odd_input() {
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
            for cursor in 0..=text.len() + 2 {
                let _ = cursor_context(text, cursor);
                let _ = word_at(text, cursor);
                let _ = steps_after(text, cursor);
            }
        }
    }
}
