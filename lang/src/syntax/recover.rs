//! What the parser does after a syntax error: skip the broken item to where
//! the next one starts (the next line, or the end of the brackets it left
//! open), and explain the two mistakes that otherwise point at the wrong
//! place: a missing `=` and a missing `}`.

use super::around::Spot;
use super::ast::{Ident, Label};
use super::error::{Expected, syntax_error};
use super::parse::{Open, Parser};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Longest block header quoted in a message.
const MAX_HEADER: usize = 60;

impl Parser<'_> {
    /// Skips the rest of an item of a body whose brackets reach `level`,
    /// after an error: to the end of its line once the brackets the item
    /// opened are closed again, or to the body's `}`. Strings and comments
    /// are skipped whole, so brackets in them do not count.
    pub(super) fn recover(&mut self, level: usize, item_start: usize) {
        let text = self.c.text;
        let bytes = text.as_bytes();
        let mut pos = self.c.pos;
        // The error was found at the first token of a later line: a value
        // missing at the end of the previous one, or a list, map or call
        // left open there (the line is indented no deeper than the item's).
        // That token starts the next item.
        if pos > item_start
            && starts_line(bytes, pos)
            && (self.open.len() <= level || indent(bytes, pos) <= indent(bytes, item_start))
        {
            self.open.truncate(level);
            return;
        }
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'\n' | b'\r' => {
                    pos += 1;
                    if self.open.len() <= level {
                        break;
                    }
                }
                b'#' => pos = line_end(bytes, pos),
                b'"' => pos = string_end(bytes, pos),
                b'{' | b'[' | b'(' => {
                    let close = match b {
                        b'{' => b'}',
                        b'[' => b']',
                        _ => b')',
                    };
                    self.open.push(Open {
                        close,
                        at: pos,
                        block: None,
                    });
                    pos += 1;
                }
                b'}' | b']' | b')' => {
                    let abandoned = self.open.get(level..).unwrap_or_default();
                    match abandoned.iter().rposition(|o| o.close == b) {
                        Some(i) => {
                            self.open.truncate(level + i);
                            pos += 1;
                        }
                        // The body's own `}`: it ends the body.
                        None if b == b'}' => break,
                        None => pos += 1,
                    }
                }
                _ => pos += 1,
            }
        }
        self.open.truncate(level);
        if pos == item_start {
            // Always move on, so no error repeats at one place.
            pos += text[pos..].chars().next().map_or(0, char::len_utf8);
        }
        self.probe_between(self.c.pos, pos, Spot::Other);
        self.c.pos = pos;
        self.c.last_end = pos;
    }

    /// Skips to the next line that starts with a name in its first column,
    /// where a formatted file starts its next top-level block.
    pub(super) fn skip_to_top_level(&mut self, item_start: usize) {
        self.open.clear();
        let bytes = self.c.text.as_bytes();
        let mut pos = self.c.pos;
        if pos == item_start || !starts_top_level(bytes, pos) {
            loop {
                pos = line_end(bytes, pos);
                if pos >= bytes.len() {
                    break;
                }
                pos += 1;
                if starts_top_level(bytes, pos) {
                    break;
                }
            }
        }
        let pos = pos.min(bytes.len());
        self.probe_between(self.c.pos, pos, Spot::Other);
        self.c.pos = pos;
        self.c.last_end = self.c.pos;
    }

    /// Forgets the syntax errors found from the line of `spot` on, where
    /// indentation says a bracket left open should have been closed: that
    /// text was read inside the bracket, so its errors (`vpc main {` read
    /// as a map entry) follow from the missing bracket, one mistake
    /// reported once. Errors within a string stand on their own and stay.
    pub(super) fn drop_follow_on(&mut self, spot: usize) {
        let bytes = self.c.text.as_bytes();
        let line = bytes[..spot]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        self.errors.retain(|d| {
            let structural =
                d.code == "E0001" && matches!(d.message.as_str(), "syntax error" | "missing `=`");
            !(structural && d.span.is_some_and(|s| s.start >= line))
        });
    }

    /// `cid` typed alone on a line above `dns_hostnames = true`: without this
    /// check `dns_hostnames` would be read as `cid`'s label.
    pub(super) fn name_alone_on_its_line(&self, name: &Ident) -> Option<Diagnostic> {
        let between = self.c.text.get(name.span.end..self.c.pos)?;
        if !between.contains(['\n', '\r']) || self.c.peek() == Some(b'{') {
            return None;
        }
        let rest = self.c.rest();
        let word = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                .len();
        let after = rest[word..].trim_start_matches([' ', '\t']);
        if word == 0 || !after.starts_with('=') {
            return None;
        }
        let d = syntax_error(
            self.c.file,
            self.c.text,
            name.span.end,
            &[Expected::Equals, Expected::Label, Expected::OpenBrace],
        );
        Some(d.help(format!("give `{}` a value: `{} = value`", name.name, name.name)))
    }

    /// `cidr "10.0.0.0/16"`, `port 80` or `vpc vpc.main` in a body: an
    /// attribute whose `=` is missing, not a block whose `{` is.
    pub(super) fn missing_equals(&self, name: &Ident, label: Option<&Label>) -> Option<Diagnostic> {
        let next = self.c.peek();
        let text = self.c.text;
        let value = match label {
            Some(Label::String(s)) => s.span.range(),
            Some(Label::Ident(i)) => {
                let literal = matches!(i.name.as_str(), "true" | "false" | "null");
                let continues = matches!(next, Some(b'.' | b'[' | b'(')) && i.span.end == self.c.pos;
                if !literal && !continues {
                    return None;
                }
                i.span.start..i.span.end + reference_len(&text[i.span.end..])
            }
            None if next.is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'[')) => {
                self.c.pos..self.c.pos + token_len(self.c.rest())
            }
            None => return None,
        };
        let written = &text[value.clone()];
        let example = if written.len() <= 40 { written } else { "value" };
        Some(
            Diagnostic::error(
                "E0001",
                "missing `=`",
                Span::new(self.c.file, value.start, value.end),
            )
            .label(format!("expected `=` between `{}` and this value", name.name))
            .help(format!("write `{} = {example}`", name.name)),
        )
    }
}

/// Length of the rest of a reference (`.main.id`, `["a"]`) up to the end
/// of its line or the first space.
fn reference_len(rest: &str) -> usize {
    rest.find([' ', '\t', '\n', '\r', '#']).unwrap_or(rest.len())
}

/// The diagnostic for a file that ends inside blocks (`open`, the brackets
/// still open): the bracket most likely left open, found by indentation,
/// and the line its closing bracket should precede (whose first token's
/// offset comes with it, when indentation finds one).
pub(super) fn unclosed_block(file: FileId, text: &str, open: &[Open]) -> (Diagnostic, Option<usize>) {
    let innermost = open.last().map_or(0, |o| o.at);
    // Everything before the outermost open bracket closed properly.
    let from = open.first().map_or(0, |o| o.at);
    let (at, spot) = by_indentation(text, from).unwrap_or((innermost, None));
    let (open_char, close) = match text.as_bytes().get(at) {
        Some(b'[') => ('[', ']'),
        Some(b'(') => ('(', ')'),
        _ => ('{', '}'),
    };
    let header = header_of(text, at);
    let what = match (open_char, header.as_deref()) {
        ('[', _) => "list",
        ('(', _) => "call",
        (_, Some(h)) if h.ends_with('=') => "map",
        _ => "block",
    };
    let name = match header.as_deref() {
        Some(h) => format!("`{}`", h.trim_end_matches('=').trim_end()),
        None => format!("this `{open_char}`"),
    };
    let mut d = Diagnostic::error("E0001", format!("unclosed {what}"), Span::new(file, at, at + 1))
        .label(format!("the {what} {name} opens here and is never closed"));
    match spot {
        Some(spot) => {
            let end = spot + token_len(&text[spot..]);
            d = d
                .also(
                    Span::new(file, spot, end),
                    format!("less indented than {name}: its `{close}` probably belongs before this line"),
                )
                .help(format!("add `{close}` to close {name} before this line"));
        }
        None => {
            d = d
                .also(Span::new(file, text.len(), text.len()), "the file ends inside it")
                .help(format!("add `{close}` to close {name}"));
        }
    }
    (d, spot)
}

/// Reads the file line by line, pairing each opening bracket with the first
/// later line indented no deeper than the bracket's line: a closing bracket
/// there closes it, anything else means it was left open. Starts at the
/// line of offset `from`. Returns the first such bracket and that line's
/// first token, or the innermost bracket still open at the end without a
/// line.
fn by_indentation(text: &str, from: usize) -> Option<(usize, Option<usize>)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut line = text[..from].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    while line < bytes.len() {
        let end = line_end(bytes, line);
        let first = line
            + bytes[line..end]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
        let indent = first - line;
        if first < end && bytes[first] != b'#' {
            if let Some(&(open_indent, brace)) = stack.last()
                && indent <= open_indent
                && !matches!(bytes[first], b'}' | b']' | b')')
            {
                return Some((brace, Some(first)));
            }
            let mut pos = first;
            while pos < end {
                match bytes[pos] {
                    b'#' => break,
                    b'"' => {
                        pos = string_end(bytes, pos);
                        continue;
                    }
                    b'{' | b'[' | b'(' => stack.push((indent, pos)),
                    b'}' | b']' | b')' => {
                        stack.pop();
                    }
                    _ => {}
                }
                pos += 1;
            }
        }
        line = end + usize::from(end < bytes.len());
        // `\r\n` is one line end.
        if bytes.get(end) == Some(&b'\r') && bytes.get(line) == Some(&b'\n') {
            line += 1;
        }
    }
    stack.last().map(|&(_, brace)| (brace, None))
}

/// `vpc main` for the `{` at `at`: its line's text before it, if any.
fn header_of(text: &str, at: usize) -> Option<String> {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let header = text[line_start..at].trim();
    if header.is_empty() {
        return None;
    }
    Some(match header.char_indices().nth(MAX_HEADER) {
        Some((cut, _)) => format!("{}…", &header[..cut]),
        None => header.to_owned(),
    })
}

/// Length of the name or character at the start of `rest`.
fn token_len(rest: &str) -> usize {
    let name = rest
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        .count();
    if name > 0 {
        name
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

/// Offset of the `\n` or `\r` ending the line at `pos`, or the end.
fn line_end(bytes: &[u8], pos: usize) -> usize {
    bytes
        .get(pos..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
        .map_or(bytes.len(), |i| pos + i)
}

/// Offset just past the string starting at `pos` (its closing quote), or
/// its line's end for an unterminated one.
fn string_end(bytes: &[u8], pos: usize) -> usize {
    let mut i = pos + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return i + 1,
            b'\\' => i += 2,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether only spaces and tabs stand between the line's start and `pos`.
fn starts_line(bytes: &[u8], pos: usize) -> bool {
    bytes[..pos]
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .is_none_or(|&b| b == b'\n' || b == b'\r')
}

/// The spaces and tabs that start the line holding `pos`.
fn indent(bytes: &[u8], pos: usize) -> usize {
    let start = bytes[..pos]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    bytes[start..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

/// Whether a name starts in the first column at `pos`.
fn starts_top_level(bytes: &[u8], pos: usize) -> bool {
    (pos == 0 || matches!(bytes.get(pos - 1), Some(b'\n' | b'\r')))
        && bytes
            .get(pos)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
}
