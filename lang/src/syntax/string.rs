//! String literals: text, escapes and `${...}` interpolations.

use super::ast::{Expr, ExprKind, StrPart};
use super::error::{Expected, describe_found, found_span};
use super::parse::{Parsed, Parser};
use crate::diagnostic::Diagnostic;

impl Parser<'_> {
    /// A string literal, at its opening quote.
    pub(super) fn string(&mut self) -> Parsed<Expr> {
        let start = self.c.pos;
        self.c.bump(1);
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            let run = self
                .c
                .rest()
                .bytes()
                .position(|b| matches!(b, b'"' | b'\\' | b'$' | b'\n'))
                .unwrap_or(self.c.rest().len());
            text.push_str(&self.c.rest()[..run]);
            self.c.bump(run);
            let rest = self.c.rest();
            match rest.as_bytes().first() {
                Some(b'"') => {
                    self.c.bump(1);
                    break;
                }
                Some(b'\\') => {
                    text.push(self.escape()?);
                    self.c.bump(2);
                }
                Some(_) if rest.starts_with("${") => {
                    if !text.is_empty() {
                        parts.push(StrPart::Lit(std::mem::take(&mut text)));
                    }
                    self.open("${")?;
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
                _ => return Err(self.unterminated()),
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
                    Some(c) if c != '\n' => (
                        self.c.span_between(at, at + 1 + c.len_utf8()),
                        format!("`\\{c}` is not an escape"),
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
