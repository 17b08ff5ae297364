//! String literals: text, escapes and `${...}` interpolations.

use super::around::Spot;
use super::ast::{Expr, ExprKind, StrPart};
use super::cursor::invisible_name;
use super::error::{Expected, char_name, describe_found, found_span};
use super::parse::{Parsed, Parser};
use crate::diagnostic::Diagnostic;

impl Parser<'_> {
    /// A string literal, at its opening quote. After an error inside it the
    /// cursor moves to its end, so recovery does not take its closing quote
    /// for an opening one.
    pub(super) fn string(&mut self) -> Parsed<Expr> {
        let level = self.open.len();
        let string = self.string_parts();
        if string.is_err() {
            self.open.truncate(level);
            let bytes = self.c.text.as_bytes();
            let mut pos = self.c.pos;
            while let Some(&b) = bytes.get(pos) {
                match b {
                    b'"' => {
                        pos += 1;
                        break;
                    }
                    b'\\' => pos += 2,
                    b'\n' | b'\r' => break,
                    _ => pos += 1,
                }
            }
            // An escape at the very end can step past it.
            let pos = pos.min(bytes.len());
            self.probe_between(self.c.pos, pos, Spot::Other);
            self.c.pos = pos;
            self.c.last_end = self.c.pos;
        }
        string
    }

    fn string_parts(&mut self) -> Parsed<Expr> {
        let start = self.c.pos;
        self.c.bump(1);
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            let run = self
                .c
                .rest()
                .bytes()
                .position(|b| {
                    matches!(
                        b,
                        b'"' | b'\\' | b'$' | b'\n' | b'\r' | 0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f | 0xe2 | 0xef
                    )
                })
                .unwrap_or(self.c.rest().len());
            self.probe_text(self.c.pos, self.c.pos + run);
            text.push_str(&self.c.rest()[..run]);
            self.c.bump(run);
            let rest = self.c.rest();
            match rest.as_bytes().first() {
                Some(b'"') => {
                    self.c.bump(1);
                    break;
                }
                Some(b'\\') => {
                    self.probe_between(self.c.pos, self.c.pos + 2, Spot::Str);
                    text.push(self.escape()?);
                    self.c.bump(2);
                }
                Some(_) if rest.starts_with("${") => {
                    if !text.is_empty() {
                        parts.push(StrPart::Lit(std::mem::take(&mut text)));
                    }
                    self.open("${")?;
                    self.probe.attr = None;
                    let expr = self.expr()?;
                    self.c.skip_trivia();
                    self.close(b'}', &[Expected::CloseBrace])?;
                    parts.push(StrPart::Interp(expr));
                }
                Some(_) if rest.starts_with("$${") => {
                    text.push_str("${");
                    self.c.bump(3);
                }
                Some(b'$') => {
                    text.push('$');
                    self.c.bump(1);
                }
                None | Some(b'\n' | b'\r') => return Err(self.unterminated()),
                Some(_) => {
                    // A control, zero-width or bidirectional character is
                    // kept but reported: it hides in the text it changes.
                    let Some(c) = rest.chars().next() else {
                        return Err(self.unterminated());
                    };
                    if hides_in_strings(c) {
                        self.c.invisible.push((self.c.pos, c));
                    }
                    text.push(c);
                    self.c.bump(c.len_utf8());
                }
            }
        }
        if !text.is_empty() {
            parts.push(StrPart::Lit(text));
        }
        Ok(Expr {
            kind: ExprKind::String(parts),
            span: self.c.span_from(start),
        })
    }

    /// The character a `\` escape at the cursor stands for.
    fn escape(&self) -> Parsed<char> {
        let after = &self.c.rest()[1..];
        match after.chars().next() {
            Some('"') => Ok('"'),
            Some('\\') => Ok('\\'),
            Some('n') => Ok('\n'),
            Some('t') => Ok('\t'),
            Some('r') => Ok('\r'),
            Some('$') => Ok('$'),
            other => {
                let at = self.c.pos;
                let (span, label) = match other {
                    Some(c) if c != '\n' && c != '\r' => (
                        self.c.span_between(at, at + 1 + c.len_utf8()),
                        match char_name(c) {
                            Some(name) => format!("`\\` followed by {name} is not an escape"),
                            None => format!("`\\{c}` is not an escape"),
                        },
                    ),
                    _ => (
                        found_span(self.c.file, self.c.text, at + 1),
                        format!("expected an escape, found {}", describe_found(after)),
                    ),
                };
                Err(Diagnostic::error("E0001", "invalid escape in string", span)
                    .label(label)
                    .help(r#"valid escapes are \" \\ \n \t \r \$ and $${ for a literal ${"#))
            }
        }
    }

    /// The error for a string that reaches the end of its line or file.
    fn unterminated(&self) -> Diagnostic {
        let mut d = self.expected(&[Expected::Quote]);
        d.message = "unterminated string".to_owned();
        d.help("close the string with `\"` before the end of the line")
    }
}

/// `text` as the inside of a berth string literal that reads back as
/// exactly `text`: quotes, backslashes, line breaks, tabs and `$` escaped
/// (so no `${` starts an interpolation).
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
}

/// `text` as a berth string literal, quotes included.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    escape_into(text, &mut out);
    out.push('"');
    out
}

/// Characters reported inside a string: every invisible one except the
/// spaces (a no-break space in a description is plausible; a zero-width
/// space in an image name is a bug waiting to happen).
fn hides_in_strings(c: char) -> bool {
    invisible_name(c).is_some() && !c.is_whitespace()
}
