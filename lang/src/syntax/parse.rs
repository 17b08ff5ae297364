//! A recursive-descent parser over the text's bytes. The grammar is LL(1)
//! after names: one byte of lookahead (past trivia) picks every branch, so
//! nothing is parsed twice.
//!
//! ```text
//! file      = block*
//! block     = NAME label? "{" (item ","?)* "}"
//!           | "data" NAME label "{" (item ","?)* "}"  (top level: `data vpc main`)
//! item      = NAME "=" expr | block
//! label     = NAME | string
//! expr      = string | number | "true" | "false" | "null" | list | map
//!           | NAME call_args | NAME ("." NAME | "[" expr "]")*
//! list      = "[" (expr ("," expr)* ","?)? "]"
//! map       = "{" ((NAME | string) "=" expr ","?)* "}"
//! call_args = "(" (expr ("," expr)* ","?)? ")"
//! string    = '"' (text | escape | "${" expr "}")* '"'
//! ```
//!
//! Whitespace and `#` comments may appear between any two tokens, except
//! inside a string's text.
//!
//! Errors do not stop the parse: a broken item of a body is reported and
//! skipped (see [`super::recover`]), so one run reports several syntax
//! errors and the tree keeps every block, even one left open at the end of
//! the file. Recovery runs only after an error, so valid text pays nothing
//! for it beyond a stack of open brackets.

use super::around::{Probe, Spot};
use super::ast::*;
use super::cursor::{Cursor, is_ident_byte};
use super::error::{Expected, found_span, invisible_error, syntax_error};
use super::recover::unclosed_block;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// The kind of a top-level block that takes a second word: a lookup.
pub const DATA: &str = "data";

/// Terraform's header word of a resource, `resource "aws_vpc" "main" {`.
const RESOURCE: &str = "resource";

/// The type a Terraform header's first label names, as berth writes it
/// (`aws_vpc` is `vpc`; other providers' types as written).
fn type_name(label: &Label) -> Option<Ident> {
    let ident = match label {
        Label::Ident(i) => i.clone(),
        Label::String(e) => literal_name(e)?,
    };
    Some(match ident.name.strip_prefix("aws_") {
        Some(name) if !name.is_empty() => Ident {
            name: name.to_owned(),
            span: ident.span,
        },
        _ => ident,
    })
}

/// A quoted label of plain text, as the name it is (`"main"`).
fn literal_name(e: &Expr) -> Option<Ident> {
    match &e.kind {
        ExprKind::String(parts) => match parts.as_slice() {
            [StrPart::Lit(text)] if !text.is_empty() => Some(Ident {
                name: text.clone(),
                span: e.span,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Deepest nesting of brackets and braces accepted. The parser recurses per
/// level, so unbounded nesting would overflow the stack on hostile input.
pub const MAX_NESTING: usize = 64;

/// Syntax errors reported per file; past them the rest of the file is not
/// read (hostile input could otherwise produce one error per line).
pub const MAX_ERRORS: usize = 50;

pub(super) type Parsed<T> = Result<T, Diagnostic>;

/// A parse that never fails: the tree of everything that parsed and every
/// syntax error, in the order they were found.
#[derive(Debug, Clone, PartialEq)]
pub struct Parse<T> {
    pub tree: T,
    pub errors: Vec<Diagnostic>,
}

/// Parses one file, recovering from syntax errors. The formatter, the CLI
/// and the language server all read this one tree.
pub fn parse_recovering(file: FileId, text: &str) -> Parse<File> {
    let mut p = Parser::new(file, text);
    let tree = p.file();
    Parse {
        tree,
        errors: p.errors,
    }
}

/// Parses one file; its first syntax error fails the parse.
pub fn parse(file: FileId, text: &str) -> Result<File, Diagnostic> {
    let Parse { tree, errors } = parse_recovering(file, text);
    match errors.into_iter().next() {
        Some(first) => Err(first),
        None => Ok(tree),
    }
}

/// Parses a vars file (`--var-file`): `NAME = value` attributes, with the
/// comments, strings and escapes of a `.berth` file, and no blocks.
pub fn parse_vars(file: FileId, text: &str) -> Parse<Vec<Attribute>> {
    let mut p = Parser::new(file, text);
    let mut attrs = Vec::new();
    loop {
        p.c.skip_trivia();
        if p.c.at_end() {
            break;
        }
        let start = p.c.pos;
        match p.attribute() {
            Ok(attr) => attrs.push(attr),
            Err(d) => {
                p.report(d);
                p.recover(0, start);
            }
        }
        p.c.skip_trivia();
        p.c.eat(b',');
    }
    let errors = p.finish();
    Parse { tree: attrs, errors }
}

/// Parses a lone expression, as given to `--var NAME=VALUE`. Its
/// diagnostic has no span: the text is not part of any file.
pub fn parse_expr(text: &str) -> Result<Expr, Diagnostic> {
    let mut p = Parser::new(FileId(usize::MAX), text);
    p.c.skip_trivia();
    let expr = p.expr().and_then(|e| {
        p.c.skip_trivia();
        if p.c.at_end() {
            Ok(e)
        } else {
            Err(p.expected(&[Expected::End]))
        }
    });
    let expr = match p.c.invisible.first() {
        Some(&(at, c)) if expr.is_ok() => Err(invisible_error(p.c.file, at, c)),
        _ => expr,
    };
    expr.map_err(|d| Diagnostic { span: None, ..d })
}

/// Where a block starts, which decides what may follow its kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    TopLevel,
    /// In a body, where `name` could also have started an attribute.
    Body,
}

/// A bracket taken and not yet closed.
#[derive(Clone, Copy, Debug)]
pub(super) struct Open {
    /// The byte that closes it.
    pub close: u8,
    /// Offset of the opening bracket.
    pub at: usize,
    /// The kind of the block whose body it opens, if it opens one.
    pub block: Option<Span>,
}

pub(super) struct Parser<'t> {
    pub c: Cursor<'t>,
    /// Brackets open at the cursor, outermost first. After an error it also
    /// holds the brackets the failed item left open, until recovery.
    pub open: Vec<Open>,
    pub errors: Vec<Diagnostic>,
    /// The end of the file inside a block is reported once, not per level.
    pub eof_reported: bool,
    /// What to record about one offset, for [`super::at_offset`].
    pub probe: Probe,
}

impl<'t> Parser<'t> {
    pub(super) fn new(file: FileId, text: &'t str) -> Self {
        Parser {
            c: Cursor::new(file, text),
            open: Vec::new(),
            errors: Vec::new(),
            eof_reported: false,
            probe: Probe::default(),
        }
    }

    /// A whole file: its blocks, recovering from syntax errors; the errors
    /// are left in `errors`.
    pub(super) fn file(&mut self) -> File {
        let mut blocks = Vec::new();
        loop {
            self.c.skip_trivia();
            self.probe_here(Spot::Item);
            if self.c.at_end() {
                break;
            }
            let start = self.c.pos;
            let block = match self.c.ident() {
                Some(kind) => {
                    self.probe_name(&kind, Spot::Item);
                    self.block(kind, Place::TopLevel)
                }
                None => Err(self.expected(&[Expected::Block])),
            };
            match block {
                Ok(block) => blocks.push(block),
                Err(d) => {
                    self.report(d);
                    self.skip_to_top_level(start);
                }
            }
        }
        self.take_invisible();
        File {
            blocks,
            comments: std::mem::take(&mut self.c.comments),
        }
    }

    /// The syntax error at the current position.
    pub fn expected(&self, what: &[Expected]) -> Diagnostic {
        syntax_error(self.c.file, self.c.text, self.c.pos, what)
    }

    /// Records an error (after the invisible characters skipped before it).
    /// Past [`MAX_ERRORS`] the rest of the text is skipped.
    pub fn report(&mut self, d: Diagnostic) {
        self.take_invisible();
        self.errors.push(d);
        if self.errors.len() >= MAX_ERRORS {
            self.probe_between(self.c.pos, self.c.text.len() + 1, Spot::Other);
            self.c.pos = self.c.text.len();
            self.eof_reported = true;
        }
    }

    fn take_invisible(&mut self) {
        let file = self.c.file;
        let found = std::mem::take(&mut self.c.invisible);
        self.errors
            .extend(found.into_iter().map(|(at, c)| invisible_error(file, at, c)));
        if let Some(at) = self.c.unclosed_comment.take() {
            self.errors.push(
                Diagnostic::error("E0001", "unterminated comment", self.c.span_between(at, at + 2))
                    .label("no `*/` closes this comment")
                    .help("end the comment with `*/`"),
            );
        }
    }

    /// Every error, the invisible characters skipped since the last one included.
    fn finish(&mut self) -> Vec<Diagnostic> {
        self.take_invisible();
        std::mem::take(&mut self.errors)
    }

    /// Takes the opening bracket `open` (`{`, `[`, `(` or `${`), one level
    /// deeper; [`Parser::close`] leaves the level.
    pub fn open(&mut self, open: &str) -> Parsed<()> {
        if self.open.len() >= MAX_NESTING {
            return Err(Diagnostic::error(
                "E0002",
                "nesting is too deep",
                found_span(self.c.file, self.c.text, self.c.pos),
            )
            .label(format!("more than {MAX_NESTING} levels of brackets"))
            .help("flatten the structure; no stack needs this much nesting"));
        }
        let close = match open {
            "[" => b']',
            "(" => b')',
            _ => b'}',
        };
        self.open.push(Open {
            close,
            at: self.c.pos,
            block: None,
        });
        self.c.bump(open.len());
        self.c.skip_trivia();
        Ok(())
    }

    /// Takes the closing byte `close`, or fails expecting `expected`.
    pub fn close(&mut self, close: u8, expected: &[Expected]) -> Parsed<()> {
        if !self.c.eat(close) {
            return Err(self.expected(expected));
        }
        self.open.pop();
        Ok(())
    }

    /// The rest of a block whose kind has been taken.
    fn block(&mut self, kind: Ident, place: Place) -> Parsed<Block> {
        self.c.skip_trivia();
        self.probe_here(Spot::Label);
        if place == Place::Body
            && let Some(d) = self.name_alone_on_its_line(&kind)
        {
            return Err(d);
        }
        let mut label = match self.c.peek() {
            Some(b'"') => Some(Label::String(self.string()?)),
            _ => self.c.ident().map(|label| {
                self.probe_name(&label, Spot::Label);
                Label::Ident(label)
            }),
        };
        self.c.skip_trivia();
        // `data vpc main {`: the word after `data` names what the block
        // looks up; the label follows it. Terraform's headers, `resource
        // "aws_vpc" "main" {` and `data "aws_vpc" "main" {`, are the same
        // blocks as `vpc main {` and `data vpc main {`.
        let mut kind = kind;
        let mut subkind = None;
        if place == Place::TopLevel
            && (kind.name == DATA || kind.name == RESOURCE)
            && let Some(first) = label.as_ref().and_then(type_name)
            && self
                .c
                .peek()
                .is_some_and(|b| b == b'"' || b.is_ascii_alphabetic() || b == b'_')
        {
            self.probe_here(Spot::Label);
            label = match self.c.peek() {
                Some(b'"') => {
                    let second = self.string()?;
                    Some(literal_name(&second).map_or(Label::String(second), Label::Ident))
                }
                _ => self.c.ident().map(|label| {
                    self.probe_name(&label, Spot::Label);
                    Label::Ident(label)
                }),
            };
            self.c.skip_trivia();
            if kind.name == DATA {
                subkind = Some(first);
            } else {
                kind = first;
            }
        }
        self.probe_here(Spot::Other);
        if self.c.peek() != Some(b'{') {
            if place == Place::Body
                && let Some(d) = self.missing_equals(&kind, label.as_ref())
            {
                return Err(d);
            }
            return Err(self.expected(match (&label, place) {
                (Some(_), _) => &[Expected::OpenBrace],
                (None, Place::TopLevel) => &[Expected::Label, Expected::OpenBrace],
                (None, Place::Body) => &[Expected::Equals, Expected::Label, Expected::OpenBrace],
            }));
        }
        self.open("{")?;
        if let Some(open) = self.open.last_mut() {
            open.block = Some(kind.span);
        }
        let body = self.body();
        Ok(Block {
            span: self.c.span_from(kind.span.start),
            kind,
            subkind,
            label,
            body,
        })
    }

    /// Items up to and including the block's `}`. A broken item is reported
    /// and skipped; the end of the file ends the body (reported once).
    fn body(&mut self) -> Vec<Item> {
        let level = self.open.len();
        let mut items = Vec::new();
        loop {
            self.c.skip_trivia();
            self.probe_here(Spot::Item);
            match self.c.peek() {
                Some(b'}') => {
                    self.c.bump(1);
                    self.open.truncate(level - 1);
                    return items;
                }
                None => {
                    if !self.eof_reported {
                        self.eof_reported = true;
                        // An item that failed on the end of the file failed
                        // because a bracket is open: say which instead. (An
                        // unterminated string keeps its own error.)
                        let end = self.c.text.len();
                        if self.errors.last().is_some_and(|d| {
                            d.span.is_some_and(|s| s.start == end) && d.message != "unterminated string"
                        }) {
                            self.errors.pop();
                        }
                        let open = self.open.get(..level).unwrap_or(&self.open);
                        let (d, spot) = unclosed_block(self.c.file, self.c.text, open);
                        if let Some(spot) = spot {
                            self.drop_follow_on(spot);
                        }
                        self.report(d);
                    }
                    return items;
                }
                Some(_) => {}
            }
            let start = self.c.pos;
            match self.item() {
                Ok(item) => items.push(item),
                Err(d) => {
                    self.report(d);
                    self.recover(level, start);
                }
            }
            self.c.skip_trivia();
            self.c.eat(b',');
        }
    }

    /// An attribute or a nested block.
    fn item(&mut self) -> Parsed<Item> {
        let Some(name) = self.c.ident() else {
            return Err(self.expected(&[Expected::Attribute, Expected::NestedBlock, Expected::CloseBrace]));
        };
        self.probe_name(&name, Spot::Item);
        self.c.skip_trivia();
        if self.c.eat(b'=') {
            self.c.skip_trivia();
            self.probe.attr = Some(name.span);
            let value = self.expr()?;
            return Ok(Item::Attribute(Attribute {
                span: name.span.to(value.span),
                name,
                value,
            }));
        }
        Ok(Item::Block(self.block(name, Place::Body)?))
    }

    /// `name = value`, as in a vars file.
    fn attribute(&mut self) -> Parsed<Attribute> {
        let Some(name) = self.c.ident() else {
            return Err(self.expected(&[Expected::Attribute]));
        };
        self.c.skip_trivia();
        if !self.c.eat(b'=') {
            return Err(self.expected(&[Expected::Equals]));
        }
        self.c.skip_trivia();
        self.probe.attr = Some(name.span);
        let value = self.expr()?;
        Ok(Attribute {
            span: name.span.to(value.span),
            name,
            value,
        })
    }

    /// An expression starting at the current position (trivia skipped):
    /// operands joined by operators, optionally `cond ? a : b`.
    pub fn expr(&mut self) -> Parsed<Expr> {
        let cond = self.binary(1)?;
        let saved = self.save();
        self.c.skip_trivia();
        if !self.c.eat(b'?') {
            self.restore(saved);
            return Ok(cond);
        }
        self.c.skip_trivia();
        let then = self.expr()?;
        self.c.skip_trivia();
        if !self.c.eat(b':') {
            return Err(self.expected(&[Expected::Colon]));
        }
        self.c.skip_trivia();
        let otherwise = self.expr()?;
        Ok(Expr {
            span: cond.span.to(otherwise.span),
            kind: ExprKind::Conditional(Box::new(cond), Box::new(then), Box::new(otherwise)),
        })
    }

    /// Operands joined by operators binding at least as tightly as
    /// `min` (precedence climbing; all operators are left-associative).
    fn binary(&mut self, min: u8) -> Parsed<Expr> {
        let mut lhs = self.unary()?;
        loop {
            let saved = self.save();
            self.c.skip_trivia();
            let Some((op, len)) = self.binary_op().filter(|(op, _)| op.precedence() >= min) else {
                self.restore(saved);
                return Ok(lhs);
            };
            self.c.bump(len);
            self.c.skip_trivia();
            let rhs = self.binary(op.precedence() + 1)?;
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            };
        }
    }

    /// The operator next in the text, and its length.
    fn binary_op(&self) -> Option<(BinaryOp, usize)> {
        let rest = self.c.rest().as_bytes();
        let two = |b: u8| rest.get(1) == Some(&b);
        Some(match *rest.first()? {
            b'|' if two(b'|') => (BinaryOp::Or, 2),
            b'&' if two(b'&') => (BinaryOp::And, 2),
            b'=' if two(b'=') => (BinaryOp::Eq, 2),
            b'!' if two(b'=') => (BinaryOp::NotEq, 2),
            b'<' if two(b'=') => (BinaryOp::LessEq, 2),
            b'>' if two(b'=') => (BinaryOp::GreaterEq, 2),
            b'<' => (BinaryOp::Less, 1),
            b'>' => (BinaryOp::Greater, 1),
            b'+' => (BinaryOp::Add, 1),
            b'-' => (BinaryOp::Sub, 1),
            b'*' => (BinaryOp::Mul, 1),
            b'/' => (BinaryOp::Div, 1),
            b'%' => (BinaryOp::Rem, 1),
            _ => return None,
        })
    }

    /// `!x`, `-x` (a `-` before a digit is a negative number), or an operand.
    fn unary(&mut self) -> Parsed<Expr> {
        let start = self.c.pos;
        let rest = self.c.rest().as_bytes();
        let op = match rest.first() {
            Some(b'!') => UnaryOp::Not,
            Some(b'-') if !rest.get(1).is_some_and(u8::is_ascii_digit) => UnaryOp::Neg,
            _ => return self.operand(),
        };
        self.c.bump(1);
        self.c.skip_trivia();
        let inner = self.unary()?;
        Ok(Expr {
            span: self.c.span_between(start, inner.span.end),
            kind: ExprKind::Unary(op, Box::new(inner)),
        })
    }

    /// Whether the `[` next opens a splat `[*]`.
    fn splat_ahead(&self) -> bool {
        let inner = self.c.rest()[1..].trim_start();
        inner.starts_with('*') && inner[1..].trim_start().starts_with(']')
    }

    /// Where the cursor is, to step back to after looking past trivia for
    /// an operator that is not there (its comments stay unread).
    fn save(&self) -> (usize, usize, usize, usize) {
        (
            self.c.pos,
            self.c.last_end,
            self.c.comments.len(),
            self.c.invisible.len(),
        )
    }

    fn restore(&mut self, (pos, last_end, comments, invisible): (usize, usize, usize, usize)) {
        self.c.pos = pos;
        self.c.last_end = last_end;
        self.c.comments.truncate(comments);
        self.c.invisible.truncate(invisible);
    }

    /// A value, reference, call or `(expr)`, with any steps read from it.
    fn operand(&mut self) -> Parsed<Expr> {
        let start = self.c.pos;
        let base = self.primary()?;
        match base.kind {
            ExprKind::Paren(_)
            | ExprKind::List(_)
            | ExprKind::Map(_)
            | ExprKind::For(_)
            | ExprKind::Call(_) => self.postfix(start, base),
            _ => Ok(base),
        }
    }

    /// Steps written right after a value that is not a name (no space
    /// before them): `split(",", s)[0]`, `(x).key`, `[for ...][*].id`.
    fn postfix(&mut self, start: usize, base: Expr) -> Parsed<Expr> {
        let mut steps = Vec::new();
        loop {
            let rest = self.c.rest();
            match self.c.peek() {
                Some(b'.') if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') => {
                    self.c.bump(1);
                    steps.push(Step::Attr(self.name()?));
                }
                Some(b'[') => steps.push(self.bracket_step()?),
                _ => break,
            }
        }
        if steps.is_empty() {
            return Ok(base);
        }
        Ok(Expr {
            kind: ExprKind::Postfix(Box::new(base), steps),
            span: self.c.span_from(start),
        })
    }

    /// `[*]` or `[INDEX]`, at its `[`.
    fn bracket_step(&mut self) -> Parsed<Step> {
        let from = self.c.pos;
        if self.splat_ahead() {
            self.open("[")?;
            self.c.bump(1);
            self.c.skip_trivia();
            self.close(b']', &[Expected::CloseBracket])?;
            return Ok(Step::Splat(self.c.span_from(from)));
        }
        self.open("[")?;
        self.probe.attr = None;
        let index = self.expr()?;
        self.c.skip_trivia();
        self.close(b']', &[Expected::CloseBracket])?;
        Ok(Step::Index(Box::new(index)))
    }

    /// A value, reference, call or `(expr)`.
    fn primary(&mut self) -> Parsed<Expr> {
        self.probe_here(Spot::Value);
        let start = self.c.pos;
        let kind = match self.c.peek() {
            Some(b'"') => return self.string(),
            Some(b'<') if self.c.rest().starts_with("<<") => return self.heredoc(),
            Some(b'(') => {
                self.open("(")?;
                let inner = self.expr()?;
                self.c.skip_trivia();
                self.close(b')', &[Expected::CloseParen])?;
                ExprKind::Paren(Box::new(inner))
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'[') if self.for_ahead() => {
                self.open("[")?;
                ExprKind::For(Box::new(self.for_expr(b']', Expected::CloseBracket)?))
            }
            Some(b'[') => {
                // A list's elements are values of the attribute it is
                // assigned to.
                self.open("[")?;
                ExprKind::List(self.sequence(b']', Expected::CloseBracket)?)
            }
            Some(b'{') if self.for_ahead() => {
                self.open("{")?;
                ExprKind::For(Box::new(self.for_expr(b'}', Expected::CloseBrace)?))
            }
            Some(b'{') => ExprKind::Map(self.map()?),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => return self.name_expr(),
            _ => return Err(self.expected(&[Expected::Value])),
        };
        Ok(Expr {
            kind,
            span: self.c.span_from(start),
        })
    }

    /// Whether the bracket next opens a `for` expression: `for` and a name
    /// (`{ for = 1 }` is a map), comments between them as anywhere.
    fn for_ahead(&self) -> bool {
        let inner = self.c.ahead(1);
        inner.strip_prefix("for").is_some_and(|after| {
            after.starts_with(char::is_whitespace)
                && after
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        })
    }

    /// Whether the keyword `word` is next (not a longer name).
    fn keyword_ahead(&self, word: &str) -> bool {
        let rest = self.c.rest();
        rest.starts_with(word) && !rest.as_bytes().get(word.len()).is_some_and(|b| is_ident_byte(*b))
    }

    /// A name, or what was expected instead.
    fn name(&mut self) -> Parsed<Ident> {
        match self.c.ident() {
            Some(name) => Ok(name),
            None => Err(self.expected(&[Expected::Name])),
        }
    }

    /// The rest of a `for` expression after its bracket, up to and
    /// including `close`.
    fn for_expr(&mut self, close: u8, closing: Expected) -> Parsed<ForExpr> {
        self.c.bump("for".len());
        self.c.skip_trivia();
        let first = self.name()?;
        self.c.skip_trivia();
        let (key, value) = if self.c.eat(b',') {
            self.c.skip_trivia();
            (Some(first), self.name()?)
        } else {
            (None, first)
        };
        self.c.skip_trivia();
        if !self.keyword_ahead("in") {
            return Err(self.expected(&[Expected::In]));
        }
        self.c.bump("in".len());
        self.c.skip_trivia();
        let collection = self.expr()?;
        self.c.skip_trivia();
        if !self.c.eat(b':') {
            return Err(self.expected(&[Expected::Colon]));
        }
        self.c.skip_trivia();
        let result = if close == b'}' {
            let key = self.expr()?;
            self.c.skip_trivia();
            if !self.c.rest().starts_with("=>") {
                return Err(self.expected(&[Expected::Arrow]));
            }
            self.c.bump("=>".len());
            self.c.skip_trivia();
            let value = self.expr()?;
            self.c.skip_trivia();
            let group = self.c.rest().starts_with("...");
            if group {
                self.c.bump("...".len());
                self.c.skip_trivia();
            }
            ForResult::Map { key, value, group }
        } else {
            let value = self.expr()?;
            self.c.skip_trivia();
            ForResult::List(value)
        };
        let cond = if self.keyword_ahead("if") {
            self.c.bump("if".len());
            self.c.skip_trivia();
            let cond = self.expr()?;
            self.c.skip_trivia();
            Some(cond)
        } else {
            None
        };
        let expected: &[Expected] = match cond {
            Some(_) => &[closing],
            None => &[Expected::If, closing],
        };
        self.close(close, expected)?;
        Ok(ForExpr {
            key,
            value,
            collection,
            result,
            cond,
        })
    }

    fn number(&mut self) -> Parsed<ExprKind> {
        let start = self.c.pos;
        let digits = self.c.rest().as_bytes();
        let sign = usize::from(digits[0] == b'-');
        let whole = count_digits(&digits[sign..]);
        if whole == 0 {
            return Err(self.expected(&[Expected::Value]));
        }
        let mut len = sign + whole;
        // A fraction needs a digit after the dot: `1.` is not a number.
        let fraction = match digits.get(len) {
            Some(b'.') => count_digits(&digits[len + 1..]),
            _ => 0,
        };
        if fraction > 0 {
            len += 1 + fraction;
        }
        self.c.bump(len);
        self.probe_between(start, self.c.pos + 1, Spot::Other);
        // `2-1` is a subtraction; `2a` no number.
        if self.c.peek().is_some_and(|b| is_ident_byte(b) && b != b'-') {
            let end = self.c.pos + self.c.ident_len();
            let word = &self.c.text[start..end];
            return Err(
                Diagnostic::error("E0001", "syntax error", self.c.span_between(start, end))
                    .label(format!("expected a value, found `{word}`"))
                    .help("a number is digits only; a name starts with a letter or `_`"),
            );
        }
        let span = self.c.span_from(start);
        let text = &self.c.text[span.range()];
        if fraction > 0 {
            return text.parse().map(ExprKind::Decimal).map_err(|_| {
                Diagnostic::error("E0004", "number out of range", span)
                    .label("more than 28 significant digits, or out of range")
            });
        }
        text.parse().map(ExprKind::Int).map_err(|_| {
            Diagnostic::error("E0004", "number out of range", span).label("does not fit in a 64-bit integer")
        })
    }

    /// Comma-separated expressions after an opening bracket, up to and
    /// including `close`; a trailing comma is allowed.
    fn sequence(&mut self, close: u8, closing: Expected) -> Parsed<Vec<Expr>> {
        let attr = self.probe.attr;
        let mut items = Vec::new();
        loop {
            self.probe.attr = attr;
            self.probe_here(Spot::Value);
            if self.c.peek() == Some(close) {
                break;
            }
            if !self.c.peek().is_some_and(starts_value) {
                return Err(self.expected(&[Expected::Value, closing]));
            }
            items.push(self.expr()?);
            self.c.skip_trivia();
            self.probe_here(Spot::Other);
            if !self.c.eat(b',') {
                break;
            }
            self.c.skip_trivia();
        }
        self.close(close, &[Expected::Comma, closing])?;
        Ok(items)
    }

    /// A call's arguments after its `(`, to its `)`; whether the last is
    /// expanded (`f(a, list...)`).
    fn arguments(&mut self) -> Parsed<(Vec<Expr>, bool)> {
        let attr = self.probe.attr;
        let mut items = Vec::new();
        loop {
            self.probe.attr = attr;
            self.probe_here(Spot::Value);
            if self.c.peek() == Some(b')') {
                break;
            }
            if !self.c.peek().is_some_and(starts_value) {
                return Err(self.expected(&[Expected::Value, Expected::CloseParen]));
            }
            items.push(self.expr()?);
            self.c.skip_trivia();
            if self.c.rest().starts_with("...") {
                for _ in 0..3 {
                    self.c.eat(b'.');
                }
                self.c.skip_trivia();
                self.close(b')', &[Expected::CloseParen])?;
                return Ok((items, true));
            }
            self.probe_here(Spot::Other);
            if !self.c.eat(b',') {
                break;
            }
            self.c.skip_trivia();
        }
        self.close(b')', &[Expected::Comma, Expected::CloseParen])?;
        Ok((items, false))
    }

    /// `{ key = value ... }` (or `key: value`), at its `{`.
    fn map(&mut self) -> Parsed<Vec<MapEntry>> {
        self.open("{")?;
        let mut entries = Vec::new();
        loop {
            self.probe_here(Spot::MapKey);
            if self.c.peek() == Some(b'}') {
                self.close(b'}', &[])?;
                return Ok(entries);
            }
            let key = self.map_key()?;
            self.c.skip_trivia();
            // `key: value` is HCL's other spelling, the one JSON-minded
            // Terraform (`jsonencode({ "name" : "app" })`) writes.
            if !self.c.eat(b'=') && !self.c.eat(b':') {
                return Err(self.expected(&[Expected::Equals]));
            }
            self.c.skip_trivia();
            self.probe.attr = None;
            let value = self.expr()?;
            entries.push(MapEntry { key, value });
            self.c.skip_trivia();
            self.c.eat(b',');
            self.c.skip_trivia();
        }
    }

    fn map_key(&mut self) -> Parsed<MapKey> {
        if let Some(ident) = self.c.ident() {
            self.probe_name(&ident, Spot::MapKey);
            return Ok(MapKey {
                name: ident.name,
                quoted: false,
                span: ident.span,
                computed: None,
            });
        }
        if self.c.peek() == Some(b'(') {
            let key = self.expr()?;
            return Ok(self.computed_key(key, false));
        }
        if self.c.peek() != Some(b'"') {
            return Err(self.expected(&[Expected::MapEntry, Expected::CloseBrace]));
        }
        let key = self.string()?;
        let name = match &key.kind {
            ExprKind::String(parts) => match parts.as_slice() {
                [] => String::new(),
                [StrPart::Lit(s)] => s.clone(),
                _ => return Ok(self.computed_key(key, true)),
            },
            _ => String::new(),
        };
        Ok(MapKey {
            name,
            quoted: true,
            span: key.span,
            computed: None,
        })
    }

    /// The map key `key` computes (a parenthesized expression, or a
    /// `quoted` string with `${...}`), named by its text.
    fn computed_key(&self, key: Expr, quoted: bool) -> MapKey {
        MapKey {
            name: self
                .c
                .text
                .get(key.span.start..key.span.end)
                .unwrap_or_default()
                .to_owned(),
            quoted,
            span: key.span,
            computed: Some(Box::new(key)),
        }
    }

    /// A keyword literal, a function call or a reference, at its name.
    fn name_expr(&mut self) -> Parsed<Expr> {
        let Some(root) = self.c.ident() else {
            return Err(self.expected(&[Expected::Value]));
        };
        self.probe_name(&root, Spot::Value);
        let literal = match root.name.as_str() {
            "true" => Some(ExprKind::Bool(true)),
            "false" => Some(ExprKind::Bool(false)),
            "null" => Some(ExprKind::Null),
            _ => None,
        };
        if let Some(kind) = literal {
            return Ok(Expr {
                kind,
                span: root.span,
            });
        }
        let start = root.span.start;
        self.c.skip_trivia();
        if self.c.peek() == Some(b'(') {
            self.open("(")?;
            self.probe.attr = None;
            let (args, expand) = self.arguments()?;
            return Ok(Expr {
                kind: ExprKind::Call(Call {
                    name: root,
                    args,
                    expand,
                }),
                span: self.c.span_from(start),
            });
        }
        let mut steps = Vec::new();
        self.probe_reference(&root, &steps);
        loop {
            match self.c.peek() {
                // `...` groups a map `for` expression's values.
                Some(b'.') if !self.c.rest().starts_with("...") => {
                    let from = self.c.pos;
                    self.c.bump(1);
                    self.c.skip_trivia();
                    // Terraform 0.11's splat, `subnet.public.*.id`: `[*]`.
                    if self.c.peek() == Some(b'*') {
                        self.c.bump(1);
                        steps.push(Step::Splat(self.c.span_from(from)));
                        self.c.skip_trivia();
                        continue;
                    }
                    // HCL's legacy index, `aws_security_group.task.0.id`
                    // (Terraform 0.11 modules): `[0]`.
                    let digits = self.c.rest().bytes().take_while(u8::is_ascii_digit).count();
                    if digits > 0 {
                        let at = self.c.pos;
                        let index = self.c.rest()[..digits].parse::<i64>();
                        self.c.bump(digits);
                        let Ok(index) = index else {
                            return Err(self.expected(&[Expected::Name]));
                        };
                        steps.push(Step::Index(Box::new(Expr {
                            kind: ExprKind::Int(index),
                            span: self.c.span_from(at),
                        })));
                        self.c.skip_trivia();
                        continue;
                    }
                    let name = self.c.ident();
                    self.probe_member(&root, &steps, name.as_ref());
                    let Some(name) = name else {
                        return Err(self.expected(&[Expected::Name]));
                    };
                    self.probe_name(&name, Spot::Other);
                    steps.push(Step::Attr(name));
                    self.probe_reference(&root, &steps);
                }
                Some(b'[') => steps.push(self.bracket_step()?),
                _ => break,
            }
            self.c.skip_trivia();
        }
        Ok(Expr {
            kind: ExprKind::Traversal(Traversal { root, steps }),
            span: self.c.span_from(start),
        })
    }
}

/// A byte that can start an expression.
fn starts_value(b: u8) -> bool {
    matches!(b, b'"' | b'<' | b'-' | b'[' | b'{' | b'_' | b'(' | b'!') || b.is_ascii_alphanumeric()
}

/// How many ASCII digits `bytes` starts with.
fn count_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn text_of(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    fn parse_ok(text: &str) -> File {
        parse(FileId(0), text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn attr(f: &File, i: usize) -> &Attribute {
        match &f.blocks[0].body[i] {
            Item::Attribute(a) => a,
            Item::Block(b) => panic!("item {i} is block {}", b.kind.name),
        }
    }

    /// terraform-aws-modules/alb v9 comments its `for` expressions right
    /// after the bracket: E0001 ("expected `=`") before.
    #[test]
    fn a_comment_between_the_bracket_and_for_is_a_comment() {
        for text in [
            "locals {\n  r = {\n    # why\n    for k, v in var.m : k => v\n  }\n}\n",
            "locals {\n  r = [ // why\n    /* and how */ for v in var.l : v\n  ]\n}\n",
        ] {
            let f = parse_ok(text);
            assert!(matches!(attr(&f, 0).value.kind, ExprKind::For(_)), "{text}");
        }
        // A map whose first key is `for` stays a map.
        let f = parse_ok("locals {\n  m = {\n    # a map\n    for = 1\n  }\n}\n");
        assert!(matches!(attr(&f, 0).value.kind, ExprKind::Map(_)));
    }

    #[test]
    fn parses_blocks_labels_and_nested_blocks() {
        let f = parse_ok(
            r#"stack "blog-${var.env}" { region = "us-east-1" }
route_table public {
  vpc = vpc.main
  route { cidr = "0.0.0.0/0"  gateway = internet_gateway.main }
}"#,
        );
        assert_eq!(f.blocks.len(), 2);
        assert!(matches!(f.blocks[0].label, Some(Label::String(_))));
        let rt = &f.blocks[1];
        assert_eq!(rt.kind.name, "route_table");
        let Item::Block(route) = &rt.body[1] else {
            panic!("route is a block")
        };
        assert_eq!(route.kind.name, "route");
        assert_eq!(route.body.len(), 2);
    }

    #[test]
    fn map_entries_take_a_colon_as_terraform_json_writes_them() {
        let colon = parse_ok(r#"x y { a = { "name" : "app", port: 80 } }"#);
        let equals = parse_ok(r#"x y { a = { "name" = "app", port = 80 } }"#);
        let entries = |f: &File| match &attr(f, 0).value.kind {
            ExprKind::Map(entries) => entries
                .iter()
                .map(|e| (e.key.name.clone(), e.value.kind.clone()))
                .collect::<Vec<_>>(),
            other => panic!("a map, not {other:?}"),
        };
        assert_eq!(entries(&colon), entries(&equals));
        // An attribute is still written with `=` only.
        assert!(parse(FileId(0), "x y { a: 1 }").is_err());
    }

    #[test]
    fn spans_cover_the_node_and_stop_before_trivia() {
        let text = "vpc main {\n  a = foo # c\n  b = x.y [ 0 ] \n  c = f( 1 ,)\n} # end\n";
        let f = parse_ok(text);
        assert_eq!(
            text_of(text, f.blocks[0].span),
            &text[..text.find("} #").unwrap() + 1]
        );
        let spans: Vec<&str> = (0..3).map(|i| text_of(text, attr(&f, i).span)).collect();
        assert_eq!(spans, ["a = foo", "b = x.y [ 0 ]", "c = f( 1 ,)"]);
    }

    #[test]
    fn decodes_escapes_and_interpolation() {
        let f = parse_ok(r#"x y { a = "q\"\\\n$${lit} ${var.env}!" }"#);
        let ExprKind::String(parts) = &attr(&f, 0).value.kind else {
            panic!()
        };
        assert_eq!(parts[0], StrPart::Lit("q\"\\\n${lit} ".into()));
        assert!(matches!(&parts[1], StrPart::Interp(e) if matches!(e.kind, ExprKind::Traversal(_))));
        assert_eq!(parts[2], StrPart::Lit("!".into()));
    }

    #[test]
    fn a_heredoc_is_its_lines_with_their_line_breaks() {
        let f = parse_ok("x y {\n  a = <<EOT\n{ \"k\": \"\\n\" }\n  $${lit} ${var.env}\n  EOT\n  b = 1\n}\n");
        let ExprKind::String(parts) = &attr(&f, 0).value.kind else {
            panic!()
        };
        // No backslash escapes: `\\n` stays two characters.
        assert_eq!(parts[0], StrPart::Lit("{ \"k\": \"\\n\" }\n  ${lit} ".into()));
        assert!(matches!(&parts[1], StrPart::Interp(e) if matches!(e.kind, ExprKind::Traversal(_))));
        assert_eq!(parts[2], StrPart::Lit("\n".into()));
        assert_eq!(attr(&f, 1).value.kind, ExprKind::Int(1));
    }

    #[test]
    fn an_indented_heredoc_loses_the_indentation_its_lines_share() {
        let f = parse_ok("x y {\n  a = <<-EOT\n    one\n\n      two\n    EOT\n}\n");
        assert_eq!(
            attr(&f, 0).value.kind,
            ExprKind::String(vec![StrPart::Lit("one\n\n  two\n".into())])
        );
    }

    #[test]
    fn a_heredoc_ends_only_at_a_line_holding_only_its_marker() {
        let f = parse_ok("x y {\n  a = <<EOT\nEOTX\n EOT is here\nEOT\n}\n");
        assert_eq!(
            attr(&f, 0).value.kind,
            ExprKind::String(vec![StrPart::Lit("EOTX\n EOT is here\n".into())])
        );
        let e = parse(FileId(0), "x y {\n  a = <<EOT\n{}\n}\n").unwrap_err();
        assert_eq!(e.message, "unterminated heredoc");
    }

    #[test]
    fn dollar_signs_that_do_not_open_an_interpolation_are_text() {
        let f = parse_ok(r#"x y { a = "$5 $$ a$" b = "" }"#);
        assert_eq!(
            attr(&f, 0).value.kind,
            ExprKind::String(vec![StrPart::Lit("$5 $$ a$".into())])
        );
        assert_eq!(attr(&f, 1).value.kind, ExprKind::String(vec![]));
    }

    #[test]
    fn numbers_take_a_fraction_after_a_dot_and_digits() {
        let f = parse_ok("x y {\n  a = 70.50\n  b = -0.5\n  c = 3\n}");
        let decimal = |s: &str| ExprKind::Decimal(s.parse().unwrap());
        assert_eq!(attr(&f, 0).value.kind, decimal("70.50"));
        assert_eq!(attr(&f, 1).value.kind, decimal("-0.5"));
        assert_eq!(attr(&f, 2).value.kind, ExprKind::Int(3));
        assert!(parse(FileId(0), "x y { a = 1. }").is_err());
        assert!(parse(FileId(0), "x y { a = 1.5x }").is_err());
    }

    #[test]
    fn parses_values() {
        let f = parse_ok(
            r#"x y {
  n = -12
  b = false
  z = null
  l = [1, "two", subnet.public["a"].id,]
  m = { A = 1, "b-c" = true
        D = [] }
  f = cidrsubnet(vpc.main.cidr, 8, 1)
  truth = trueish
}"#,
        );
        assert_eq!(attr(&f, 0).value.kind, ExprKind::Int(-12));
        assert_eq!(attr(&f, 1).value.kind, ExprKind::Bool(false));
        assert_eq!(attr(&f, 2).value.kind, ExprKind::Null);
        let ExprKind::List(items) = &attr(&f, 3).value.kind else {
            panic!()
        };
        let ExprKind::Traversal(t) = &items[2].kind else {
            panic!()
        };
        assert_eq!(t.steps.len(), 3);
        let ExprKind::Map(entries) = &attr(&f, 4).value.kind else {
            panic!()
        };
        let keys: Vec<(&str, bool)> = entries
            .iter()
            .map(|e| (e.key.name.as_str(), e.key.quoted))
            .collect();
        assert_eq!(keys, [("A", false), ("b-c", true), ("D", false)]);
        assert!(matches!(&attr(&f, 5).value.kind, ExprKind::Call(c) if c.args.len() == 3));
        assert!(
            matches!(attr(&f, 6).value.kind, ExprKind::Traversal(_)),
            "trueish is a name, not a bool"
        );
    }

    #[test]
    fn keeps_comments_with_spans() {
        let text = "# top\nvpc a { # trailing\n  cidr = \"10.0.0.0/16\" # end\n  tags = { a = \"${x # in\n}\" }\n}\n";
        let f = parse_ok(text);
        let comments: Vec<&str> = f.comments.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(comments, ["# top", "# trailing", "# end", "# in"]);
    }

    #[test]
    fn a_hash_inside_a_string_is_text() {
        let f = parse_ok("x y { a = \"#not a comment\" }");
        assert!(f.comments.is_empty());
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse(FileId(0), "vpc main {\n  cidr: \"10.0.0.0/16\"\n}").unwrap_err();
        assert_eq!(e.span.map(|s| s.start), Some(17), "points at the colon");
        assert_eq!(e.label, "expected `=`, a label or `{`, found `:`");
        assert!(e.help.unwrap().contains("="));
    }

    #[test]
    fn syntax_errors_name_what_was_expected() {
        let cases = [
            ("x = 1", "expected a label or `{`, found `=`"),
            ("x y { a = [1 2] }", "expected `,` or `]`, found `2`"),
            ("x y { a = [1, ,] }", "expected a value or `]`, found `,`"),
            ("x y { a = f(1 2) }", "expected `,` or `)`, found `2`"),
            ("x y { a = { k 1 } }", "expected `=`, found `1`"),
            (
                "x y { a = { = 1 } }",
                "expected a map entry `key = value` or `}`, found `=`",
            ),
            ("x y { a = b. }", "expected a name, found `}`"),
            ("x y { a = b[0 }", "expected `]`, found `}`"),
            (
                "x y { a = 1 2 }",
                "expected an attribute `name = value`, a nested block or `}`, found `2`",
            ),
            ("x y { a = \"${b\" }", "expected `}`, found `\"`"),
            ("x y { a = 12ab }", "expected a value, found `12ab`"),
            // A lone `-` is a prefix operator still waiting for its value.
            ("x y { a = - }", "expected a value, found `}`"),
            ("x y { a = \"x\n\" }", "expected `\"`, found end of line"),
            ("x y { a = \"a\\qb\" }", "`\\q` is not an escape"),
            ("x y { a = \"a", "expected `\"`, found end of file"),
            ("x \"y\" z {}", "expected `{`, found `z`"),
            ("x y { a = [for s var.l : s] }", "expected `in`, found `v`"),
            ("x y { a = [for s in var.l s] }", "expected `:`, found `s`"),
            ("x y { a = {for s in var.l : s = 1} }", "expected `=>`, found `=`"),
            (
                "x y { a = [for s in var.l : s s] }",
                "expected `if` or `]`, found `s`",
            ),
            (
                "x y { a = [for s, 1 in var.l : s] }",
                "expected a name, found `1`",
            ),
        ];
        for (text, label) in cases {
            let e = parse(FileId(0), text).expect_err(text);
            assert_eq!(e.label, label, "{text}");
        }
    }

    #[test]
    fn out_of_range_numbers_have_their_own_code() {
        let e = parse(FileId(0), "x y { a = 99999999999999999999 }").unwrap_err();
        assert_eq!(e.code, "E0004");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("x y {{ a = {}{} }}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse(FileId(0), &text).unwrap_err().code, "E0002");
        let text = format!("x y {{ a = {} }}", "\"${".repeat(10_000));
        assert_eq!(parse(FileId(0), &text).unwrap_err().code, "E0002");
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
        let deep = "[".repeat(MAX_NESTING + 1);
        parse_ok(&format!("# {deep}\nx y {{ a = \"{deep}\" }}"));
    }

    fn labels(text: &str) -> Vec<String> {
        parse_recovering(FileId(0), text)
            .errors
            .into_iter()
            .map(|d| d.label)
            .collect()
    }

    #[test]
    fn recovers_and_reports_every_broken_item() {
        let text = "vpc a {\n  cidr: 1\n  b = 2\n}\nsubnet b {\n  x = [1 2]\n  y = 3\n}\ncluster c { z = }\n";
        let parsed = parse_recovering(FileId(0), text);
        assert_eq!(parsed.errors.len(), 3, "{:?}", parsed.errors);
        let kinds: Vec<&str> = parsed.tree.blocks.iter().map(|b| b.kind.name.as_str()).collect();
        assert_eq!(kinds, ["vpc", "subnet", "cluster"], "every block is in the tree");
        let names = |i: usize| -> Vec<&str> {
            parsed.tree.blocks[i]
                .body
                .iter()
                .map(|item| match item {
                    Item::Attribute(a) => a.name.name.as_str(),
                    Item::Block(b) => b.kind.name.as_str(),
                })
                .collect()
        };
        assert_eq!(names(0), ["b"], "the line after an error is read");
        assert_eq!(names(1), ["y"], "brackets left open by an error are skipped");
    }

    #[test]
    fn an_error_does_not_hide_the_next_line() {
        let parsed = parse_recovering(FileId(0), "x y {\n  a = 1 2\n  b = 1\n}\n");
        assert_eq!(parsed.errors.len(), 1);
        assert!(matches!(&parsed.tree.blocks[0].body[..], [_, Item::Attribute(b)] if b.name.name == "b"));
    }

    #[test]
    fn a_list_left_open_ends_where_the_next_item_starts() {
        let text = "x y {\n  a = [1, 2\n  b = f(1\n  c = 3\n  e = [\n    1\n  ]\n}\n";
        let parsed = parse_recovering(FileId(0), text);
        assert_eq!(parsed.errors.len(), 2, "{:?}", parsed.errors);
        let names: Vec<&str> = parsed.tree.blocks[0]
            .body
            .iter()
            .map(|item| match item {
                Item::Attribute(a) => a.name.name.as_str(),
                Item::Block(b) => b.kind.name.as_str(),
            })
            .collect();
        // `e`'s list continues on deeper lines.
        assert_eq!(names, ["c", "e"]);
    }

    #[test]
    fn a_name_typed_alone_on_its_line_is_not_the_next_lines_label() {
        let parsed = parse_recovering(FileId(0), "vpc m {\n  cid\n  dns = true\n}\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(
            parsed.errors[0].label,
            "expected `=`, a label or `{`, found end of line"
        );
        assert!(matches!(&parsed.tree.blocks[0].body[..], [Item::Attribute(a)] if a.name.name == "dns"));
    }

    #[test]
    fn a_block_left_open_is_named_where_indentation_ends_it() {
        let text = "vpc main {\n  cidr = 1\n\nsubnet a {\n  x = 1\n}\n";
        let parsed = parse_recovering(FileId(0), text);
        let [d] = &parsed.errors[..] else {
            panic!("{:?}", parsed.errors)
        };
        assert_eq!(d.span.map(|s| s.start), Some(9), "at vpc's `{{`");
        assert!(d.label.contains("`vpc main`"), "{}", d.label);
        assert_eq!(d.secondary[0].0.start, text.find("subnet").unwrap());
        assert_eq!(parsed.tree.blocks.len(), 1, "the open block is kept");
    }

    #[test]
    fn missing_equals_is_named_as_such() {
        for text in [
            "x y { a \"v\" }",
            "x y { a 80 }",
            "x y { a vpc.main }",
            "x y { a true }",
        ] {
            let parsed = parse_recovering(FileId(0), text);
            assert_eq!(parsed.errors.len(), 1, "{text}");
            assert_eq!(parsed.errors[0].message, "missing `=`", "{text}");
        }
        // A label and a `{` on the next line is still a block.
        assert!(parse(FileId(0), "x y { container app\n{ a = 1 } }").is_ok());
    }

    #[test]
    fn line_endings_and_invisible_characters() {
        let f = parse_ok("\u{feff}x y {\r\n  a = 1 # c\r  b = 2\r}\r");
        assert_eq!(f.blocks[0].body.len(), 2, "a comment ends at a lone CR");
        assert_eq!(
            labels("x y { a = \"b\rc\" }")[0],
            "expected `\"`, found end of line"
        );
        for (text, code) in [
            ("x y {\u{200b} a = 1 }", "U+200B"),
            ("x y { a\u{a0}= 1 }", "U+00A0"),
            ("x y { a = 1 }\0", "U+0000"),
            ("x y { a = \"\u{200b}\" }", "U+200B"),
        ] {
            let parsed = parse_recovering(FileId(0), text);
            assert_eq!(parsed.errors.len(), 1, "{text:?}: {:?}", parsed.errors);
            assert_eq!(parsed.errors[0].code, "E0007");
            assert!(
                parsed.errors[0].message.contains(code),
                "{}",
                parsed.errors[0].message
            );
        }
        assert!(
            parse(FileId(0), "x y { a = \"\u{a0}é—\" }").is_ok(),
            "visible text in strings is fine"
        );
    }

    #[test]
    fn errors_per_file_are_capped() {
        let text = format!("x y {{\n{}}}", "!\n".repeat(1000));
        assert_eq!(parse_recovering(FileId(0), &text).errors.len(), MAX_ERRORS);
    }

    #[test]
    fn operators_bind_as_in_terraform() {
        // Shown fully parenthesised.
        fn shape(e: &Expr) -> String {
            match &e.kind {
                ExprKind::Binary(op, l, r) => format!("({} {} {})", shape(l), op.symbol(), shape(r)),
                ExprKind::Unary(UnaryOp::Not, x) => format!("!{}", shape(x)),
                ExprKind::Unary(UnaryOp::Neg, x) => format!("-{}", shape(x)),
                ExprKind::Conditional(c, a, b) => format!("({} ? {} : {})", shape(c), shape(a), shape(b)),
                ExprKind::Paren(x) => shape(x),
                ExprKind::Int(i) => i.to_string(),
                ExprKind::Traversal(t) => t.root.name.clone(),
                _ => "?".to_owned(),
            }
        }
        for (text, want) in [
            ("1 + 2 * 3", "(1 + (2 * 3))"),
            ("1 - 2 - 3", "((1 - 2) - 3)"),
            ("a || b && !c", "(a || (b && !c))"),
            ("a == 1 ? 2 : b ? 3 : 4", "((a == 1) ? 2 : (b ? 3 : 4))"),
            ("(1 + 2) * -x", "((1 + 2) * -x)"),
            ("n - 1", "(n - 1)"),
            // As in HCL, a name may hold `-`: spaces make it a subtraction.
            ("n-1", "n-1"),
            ("2-1", "(2 - 1)"),
            ("a <= b != c > d", "((a <= b) != (c > d))"),
        ] {
            let e = parse_expr(text).unwrap_or_else(|d| panic!("{text}: {d:?}"));
            assert_eq!(shape(&e), want, "{text}");
        }
    }

    #[test]
    fn parses_a_lone_expression() {
        assert!(matches!(parse_expr(" [1, 2] ").map(|e| e.kind), Ok(ExprKind::List(l)) if l.len() == 2));
        let e = parse_expr("1 2").unwrap_err();
        assert_eq!(e.span, None);
        assert_eq!(e.label, "expected the end of the value, found `2`");
    }
}
