//! String literals: text, escapes and `${...}` interpolations.

use super::around::Spot;
use super::ast::{Expr, ExprKind, StrPart};
use super::cursor::invisible_name;
use super::error::{Expected, char_name, describe_found, found_span};
use super::parse::{Parsed, Parser};
use crate::diagnostic::Diagnostic;

/// How a template's directives are written.
const DIRECTIVES_HELP: &str = "pair each `%{ if }` with `%{ endif }` and each `%{ for }` with `%{ endfor }`; write `%%{` for a literal `%{`";

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
                Some(_) if rest.starts_with("${") => self.interpolation(&mut text, &mut parts)?,
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
        let span = self.c.span_from(start);
        if parts
            .iter()
            .any(|p| matches!(p, StrPart::Lit(t) if has_directive(t)))
        {
            return self.quoted_template(&parts, span);
        }
        // Terraform's escape of a literal `%{`, as in templates.
        for part in &mut parts {
            if let StrPart::Lit(t) = part
                && t.contains("%%{")
            {
                *t = t.replace("%%{", "%{");
            }
        }
        Ok(Expr {
            kind: ExprKind::String(parts),
            span,
        })
    }

    /// A quoted string holding `%{ }` directives, rendered as Terraform
    /// renders it: as a template, from its parts
    /// written back as template text (a literal `${` as `$${`, each
    /// interpolation as its source).
    fn quoted_template(&self, parts: &[StrPart], span: crate::source::Span) -> Parsed<Expr> {
        let mut text = String::new();
        for part in parts {
            match part {
                StrPart::Lit(t) => text.push_str(&t.replace("${", "$${")),
                StrPart::Interp(e) => {
                    text.push_str("${");
                    text.push_str(self.c.text.get(e.span.range()).unwrap_or_default());
                    text.push('}');
                }
            }
        }
        super::template::expr(&text, span).map_err(|reason| {
            Diagnostic::error("E0001", "a string's template does not parse", span)
                .label(reason)
                .help(DIRECTIVES_HELP)
        })
    }

    /// A heredoc, Terraform's multi-line string, at its `<<`: `<<EOT`, the
    /// lines up to one holding only `EOT` (spaces before it allowed), with
    /// `${...}` interpolations and `$${` for a literal `${` as in quoted
    /// strings, `%%{` for a literal `%{` as in Terraform (whose `%{ }`
    /// directives are an error here), but no backslash escapes; `<<-EOT`
    /// also takes off the indentation the non-blank lines share. Every
    /// line ends with its line break, the last one's included, as in HCL.
    pub(super) fn heredoc(&mut self) -> Parsed<Expr> {
        let start = self.c.pos;
        self.c.bump(2);
        let indented = self.c.eat(b'-');
        let marker_len = self
            .c
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count();
        let marker = &self.c.rest()[..marker_len];
        if marker.is_empty() || !marker.as_bytes()[0].is_ascii_alphabetic() {
            return Err(self.heredoc_error(
                "heredoc without a marker",
                "expected a name that ends the text (`<<EOT`)",
            ));
        }
        self.c.bump(marker_len);
        let after = self.c.rest();
        let trailing = after.len() - after.trim_start_matches([' ', '\t']).len();
        self.c.bump(trailing);
        let line_break = match self.c.rest().as_bytes() {
            [b'\r', b'\n', ..] => 2,
            [b'\n', ..] => 1,
            _ => {
                return Err(self.heredoc_error(
                    "text after a heredoc's marker",
                    "the text starts on the next line",
                ));
            }
        };
        self.c.bump(line_break);
        let body_start = self.c.pos;
        let Some((body_end, end)) = heredoc_end(self.c.rest(), marker) else {
            let span = self
                .c
                .span_between(start, start + 2 + usize::from(indented) + marker_len);
            // The rest of the file is the heredoc's text: no errors of a
            // reading that takes it for attributes.
            self.c.pos = self.c.text.len();
            self.c.last_end = self.c.pos;
            self.eof_reported = true;
            return Err(Diagnostic::error("E0001", "unterminated heredoc", span)
                .label(format!("no line holds only `{marker}` after this"))
                .help(format!("end the text with a line holding only `{marker}`")));
        };
        let (body_end, end) = (body_start + body_end, body_start + end);
        let strip = if indented {
            shared_indent(&self.c.text[body_start..body_end])
        } else {
            0
        };
        let body = &self.c.text[body_start..body_end];
        if has_directive(body) {
            // Terraform renders directives in a heredoc as in a template
            // file (modules build optional JSON fields so).
            let text = unindented(body, strip);
            self.c.pos = end;
            self.c.last_end = end;
            let span = self.c.span_from(start);
            return super::template::expr(&text, span).map_err(|reason| {
                Diagnostic::error("E0001", "a heredoc's template does not parse", span)
                    .label(reason)
                    .help(DIRECTIVES_HELP)
            });
        }
        let level = self.open.len();
        let parts = self.heredoc_body(body_end, strip);
        // After an error inside, recovery goes on after the heredoc, not in
        // its text.
        if parts.is_err() {
            self.open.truncate(level);
        }
        self.c.pos = end;
        self.c.last_end = end;
        Ok(Expr {
            kind: ExprKind::String(parts?),
            span: self.c.span_from(start),
        })
    }

    /// The parts of a heredoc's text, from the cursor to `end`, each line
    /// without its first `strip` bytes of spaces or tabs.
    fn heredoc_body(&mut self, end: usize, strip: usize) -> Parsed<Vec<StrPart>> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut line_start = true;
        while self.c.pos < end {
            if line_start {
                let indent = self.c.rest()[..end - self.c.pos]
                    .bytes()
                    .take(strip)
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .count();
                self.c.bump(indent);
                line_start = false;
            }
            let rest = &self.c.rest()[..end - self.c.pos];
            let run = rest.find(['$', '%', '\n']).unwrap_or(rest.len());
            self.probe_text(self.c.pos, self.c.pos + run);
            text.push_str(&rest[..run]);
            self.c.bump(run);
            let rest = &self.c.rest()[..end - self.c.pos];
            if rest.starts_with("${") {
                self.interpolation(&mut text, &mut parts)?;
                if self.c.pos > end {
                    return Err(Diagnostic::error(
                        "E0001",
                        "interpolation runs past the heredoc's end",
                        self.c.span_between(end, self.c.pos),
                    )
                    .label("the heredoc ends before this")
                    .help("close the `${` on the heredoc's lines"));
                }
            } else if rest.starts_with("$${") {
                text.push_str("${");
                self.c.bump(3);
            } else if rest.starts_with("%%{") {
                text.push_str("%{");
                self.c.bump(3);
            } else if let Some(c @ ('$' | '%')) = rest.chars().next() {
                text.push(c);
                self.c.bump(1);
            } else if rest.starts_with('\n') {
                text.push('\n');
                self.c.bump(1);
                line_start = true;
            }
        }
        if !text.is_empty() {
            parts.push(StrPart::Lit(text));
        }
        Ok(parts)
    }

    /// A syntax error at the cursor, in a heredoc's first line.
    fn heredoc_error(&self, message: &str, label: &str) -> Diagnostic {
        let at = self.c.pos;
        Diagnostic::error("E0001", message, found_span(self.c.file, self.c.text, at))
            .label(label)
            .help("write a heredoc as `<<EOT`, its lines, then a line holding only `EOT`")
    }

    /// A `${ expr }` at the cursor, after the `text` before it, both added
    /// to `parts`.
    fn interpolation(&mut self, text: &mut String, parts: &mut Vec<StrPart>) -> Parsed<()> {
        if !text.is_empty() {
            parts.push(StrPart::Lit(std::mem::take(text)));
        }
        self.open("${")?;
        self.probe.attr = None;
        let expr = self.expr()?;
        self.c.skip_trivia();
        self.close(b'}', &[Expected::CloseBrace])?;
        parts.push(StrPart::Interp(expr));
        Ok(())
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
/// (so no `${` starts an interpolation), and `%{` written `%%{` (so none
/// starts a directive).
pub fn escape_into(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' if chars.peek() == Some(&'{') => out.push_str("%%"),
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

/// Where a heredoc's text ends in `body` (the text after its first line):
/// the start of the first line holding only `marker` (after spaces or
/// tabs), and the end of that marker.
fn heredoc_end(body: &str, marker: &str) -> Option<(usize, usize)> {
    let mut line = 0;
    loop {
        let text = &body[line..];
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        let after = &text[indent..];
        if let Some(tail) = after.strip_prefix(marker) {
            let tail = tail.trim_start_matches([' ', '\t']);
            if tail.is_empty() || tail.starts_with(['\n', '\r']) {
                return Some((line, line + indent + marker.len()));
            }
        }
        line += text.find('\n')? + 1;
    }
}

/// Whether `text` holds a `%{` directive (not the escape `%%{`).
fn has_directive(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find(['%', '$']) {
        rest = &rest[at..];
        if rest.starts_with("%%{") || rest.starts_with("$${") {
            rest = &rest[3..];
        } else if rest.starts_with("%{") {
            return true;
        } else {
            rest = &rest[1..];
        }
    }
    false
}

/// `text` with at most `strip` bytes of spaces and tabs taken off the
/// start of each line, as `heredoc_body` reads it.
fn unindented(text: &str, strip: usize) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let indent = line
                .bytes()
                .take(strip)
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            &line[indent..]
        })
        .collect()
}

/// The indentation (spaces and tabs, in bytes) every non-blank line of
/// `text` starts with: what `<<-` takes off.
fn shared_indent(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0)
}
