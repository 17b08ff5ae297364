//! Syntax errors in words a user understands: what the parser expected at
//! the failing position, what it found, and a hint for common mistakes.

use super::cursor::invisible_name;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Something the parser could have taken where it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expected {
    Block,
    Attribute,
    NestedBlock,
    Label,
    Equals,
    OpenBrace,
    CloseBrace,
    CloseBracket,
    CloseParen,
    /// The `:` of `cond ? a : b`.
    Colon,
    /// The `in` of a `for` expression.
    In,
    /// The `=>` of a map `for` expression.
    Arrow,
    /// A `for` expression's condition.
    If,
    Comma,
    Quote,
    Value,
    MapEntry,
    Name,
    End,
}

impl Expected {
    fn words(self) -> &'static str {
        match self {
            Expected::Block => "a block like `vpc main { ... }`",
            Expected::Attribute => "an attribute `name = value`",
            Expected::NestedBlock => "a nested block",
            Expected::Label => "a label",
            Expected::Equals => "`=`",
            Expected::OpenBrace => "`{`",
            Expected::CloseBrace => "`}`",
            Expected::CloseBracket => "`]`",
            Expected::CloseParen => "`)`",
            Expected::Colon => "`:`",
            Expected::In => "`in`",
            Expected::Arrow => "`=>`",
            Expected::If => "`if`",
            Expected::Comma => "`,`",
            Expected::Quote => "`\"`",
            Expected::Value => "a value",
            Expected::MapEntry => "a map entry `key = value`",
            Expected::Name => "a name",
            Expected::End => "the end of the value",
        }
    }
}

/// The diagnostic for a parse that failed at byte `at` of `text`.
pub(super) fn syntax_error(file: FileId, text: &str, at: usize, expected: &[Expected]) -> Diagnostic {
    let rest = &text[at..];
    let (message, help) = hint(rest, expected);
    let mut d = Diagnostic::error("E0001", message, found_span(file, text, at)).label(format!(
        "expected {}, found {}",
        list(expected),
        describe_found(rest)
    ));
    if let Some(help) = help {
        d = d.help(help);
    }
    d
}

/// One character at `at`, or a zero-width span at the end of a line or file
/// (a caret under the newline would point past the text).
pub(super) fn found_span(file: FileId, text: &str, at: usize) -> Span {
    let end = match text[at..].chars().next() {
        None | Some('\n' | '\r') => at,
        Some(c) => at + c.len_utf8(),
    };
    Span::new(file, at, end)
}

pub(super) fn describe_found(rest: &str) -> String {
    match rest.chars().next() {
        None => "end of file".to_owned(),
        Some('\n' | '\r') => "end of line".to_owned(),
        Some(c) => match char_name(c) {
            Some(name) => name,
            None => format!("`{c}`"),
        },
    }
}

/// `U+200B (ZERO WIDTH SPACE)` for a character that would print as nothing
/// or as a plain space; `None` for a visible one.
pub(super) fn char_name(c: char) -> Option<String> {
    let code = format!("U+{:04X}", u32::from(c));
    match invisible_name(c) {
        Some(name) => Some(format!("`{code}` ({name})")),
        None if c.is_whitespace() || c.is_control() => Some(format!("`{code}`")),
        None => None,
    }
}

/// The error for an invisible character the cursor skipped at `at`.
pub(super) fn invisible_error(file: FileId, at: usize, c: char) -> Diagnostic {
    let code = format!("U+{:04X}", u32::from(c));
    let name = invisible_name(c).unwrap_or("invisible character");
    Diagnostic::error(
        "E0007",
        format!("invisible character `{code}` ({name})"),
        Span::new(file, at, at + c.len_utf8()),
    )
    .label(format!("`{code}` here"))
    .help("delete it, or replace it with a plain space; it looks like whitespace but is not")
}

fn list(expected: &[Expected]) -> String {
    let words: Vec<&str> = expected.iter().map(|e| e.words()).collect();
    match words.as_slice() {
        [] => "something else".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A headline and a help line for common mistakes.
fn hint(rest: &str, expected: &[Expected]) -> (String, Option<String>) {
    let help = |h: &str| ("syntax error".to_owned(), Some(h.to_owned()));
    match rest.chars().next() {
        Some(':') => help("attributes are written `name = value`, with `=`"),
        Some('\'') => help("strings use double quotes: \"...\""),
        Some('=') if expected.first() == Some(&Expected::Label) => {
            help("attributes go inside a block: `KIND NAME { name = value }`")
        }
        None if expected.contains(&Expected::CloseBrace) => (
            "unclosed block".to_owned(),
            Some("a `}` is missing at the end of the file".to_owned()),
        ),
        None => ("unexpected end of file".to_owned(), None),
        _ => ("syntax error".to_owned(), None),
    }
}
