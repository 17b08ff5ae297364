//! A position in one file's text and the tokens every grammar rule shares:
//! trivia (whitespace and comments, whose spans are kept for `fmt`), single
//! punctuation bytes and names.

use super::ast::Ident;
use crate::source::{FileId, Span};

pub(super) struct Cursor<'t> {
    pub text: &'t str,
    bytes: &'t [u8],
    pub file: FileId,
    /// Byte offset of the next unread byte; always on a char boundary,
    /// because the cursor only steps over ASCII bytes or whole runs of text.
    pub pos: usize,
    /// End of the last token taken, so a node's span stops before the trivia
    /// that follows it.
    pub last_end: usize,
    pub comments: Vec<Span>,
    /// Invisible or control characters skipped as whitespace, reported by
    /// the parser (offset and character).
    pub invisible: Vec<(usize, char)>,
    /// Where a `/*` comment opened that no `*/` closes (it runs to the
    /// end of the text), reported by the parser.
    pub unclosed_comment: Option<usize>,
}

impl<'t> Cursor<'t> {
    pub fn new(file: FileId, text: &'t str) -> Self {
        Cursor {
            text,
            bytes: text.as_bytes(),
            file,
            pos: 0,
            last_end: 0,
            comments: Vec::new(),
            invisible: Vec::new(),
            unclosed_comment: None,
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    /// The text `skip` bytes on, past whitespace and comments, without
    /// moving or recording anything: what a lookahead sees next.
    pub fn ahead(&self, skip: usize) -> &'t str {
        let mut rest = self.text.get(self.pos + skip..).unwrap_or_default();
        loop {
            rest = rest.trim_start();
            if rest.starts_with('#') || rest.starts_with("//") {
                rest = rest.find(['\n', '\r']).map_or("", |i| &rest[i..]);
            } else if let Some(inner) = rest.strip_prefix("/*") {
                rest = inner.find("*/").map_or("", |i| &inner[i + 2..]);
            } else {
                return rest;
            }
        }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Steps over `n` bytes of a token.
    pub fn bump(&mut self, n: usize) {
        self.pos += n;
        self.last_end = self.pos;
    }

    /// Takes `byte` if it is next.
    pub fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.bump(1);
        }
        found
    }

    /// Skips whitespace and comments (`#`, `//`, `/* */`), recording each
    /// comment's span.
    /// A comment ends at `\n` or `\r` (CRLF and lone-CR line endings). A
    /// byte-order mark at the start of the text is whitespace; invisible
    /// characters (NUL, zero-width and no-break spaces...) are skipped like
    /// whitespace and recorded in `invisible`, so the parser can name them
    /// and still read the rest of the file.
    pub fn skip_trivia(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                b'#' => self.line_comment(),
                // HCL's other comments, as Terraform files write them.
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => self.line_comment(),
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => self.block_comment(),
                // Only the lead bytes of the characters `invisible_name`
                // knows reach the slow path.
                0x00..=0x1f | 0x7f | 0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef => {
                    let Some(c) = self.rest().chars().next() else {
                        return;
                    };
                    if c == '\u{feff}' && self.pos == 0 {
                        self.pos += c.len_utf8();
                        continue;
                    }
                    if invisible_name(c).is_none() {
                        return;
                    }
                    self.invisible.push((self.pos, c));
                    self.pos += c.len_utf8();
                }
                _ => return,
            }
        }
    }

    /// A `#` or `//` comment, to the end of its line.
    fn line_comment(&mut self) {
        let start = self.pos;
        self.pos = self.bytes[start..]
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
            .map_or(self.bytes.len(), |i| start + i);
        self.comments.push(self.span_between(start, self.pos));
    }

    /// A `/* ... */` comment, across lines; one never closed runs to the
    /// end of the text.
    fn block_comment(&mut self) {
        let start = self.pos;
        match self.text[start + 2..].find("*/") {
            Some(i) => self.pos = start + 2 + i + 2,
            None => {
                self.pos = self.bytes.len();
                self.unclosed_comment = Some(start);
            }
        }
        self.comments.push(self.span_between(start, self.pos));
    }

    /// Takes a name (`[A-Za-z_][A-Za-z0-9_-]*`) if one starts here.
    pub fn ident(&mut self) -> Option<Ident> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') {
            return None;
        }
        let len = self.ident_len();
        self.bump(len);
        Some(Ident {
            name: self.text[start..self.pos].to_owned(),
            span: self.span_from(start),
        })
    }

    /// Length of the run of name characters starting here.
    pub fn ident_len(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| !is_ident_byte(b))
            .unwrap_or(self.bytes.len() - self.pos)
    }

    /// The span from `start` to the end of the last token taken.
    pub fn span_from(&self, start: usize) -> Span {
        self.span_between(start, self.last_end)
    }

    pub fn span_between(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }
}

/// Whether `text` is a name as written bare (a block's label, an
/// attribute): a letter or `_`, then letters, digits, `_` and `-`.
pub fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && text.bytes().all(is_ident_byte)
}

/// A byte that may continue a name.
pub(super) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The Unicode name of a character that looks like whitespace or nothing
/// at all, for diagnostics that must never print an invisible character.
pub fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "NULL",
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{1680}' => "OGHAM SPACE MARK",
        '\u{2000}'..='\u{200a}' => "SPACE",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{200e}' => "LEFT-TO-RIGHT MARK",
        '\u{200f}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202a}'..='\u{202e}' => "BIDIRECTIONAL FORMATTING CHARACTER",
        '\u{202f}' => "NARROW NO-BREAK SPACE",
        '\u{205f}' => "MEDIUM MATHEMATICAL SPACE",
        '\u{2060}' => "WORD JOINER",
        '\u{2066}'..='\u{2069}' => "BIDIRECTIONAL ISOLATE",
        '\u{3000}' => "IDEOGRAPHIC SPACE",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{7f}' => "DELETE",
        c if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') => "CONTROL CHARACTER",
        _ => return None,
    })
}
