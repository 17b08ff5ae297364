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
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn rest(&self) -> &'t str {
        &self.text[self.pos..]
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

    /// Skips whitespace and `#` comments, recording each comment's span.
    pub fn skip_trivia(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                b'#' => {
                    let start = self.pos;
                    self.pos = self.bytes[start..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(self.bytes.len(), |i| start + i);
                    self.comments.push(self.span_between(start, self.pos));
                }
                _ => return,
            }
        }
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

/// A byte that may continue a name.
pub(super) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
