use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest_derive::Parser;

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

#[derive(Parser)]
#[grammar = "syntax/berth.pest"]
struct Grammar;

/// Deepest nesting of brackets and braces accepted. The parser recurses per
/// level, so unbounded nesting would overflow the stack on hostile input.
pub const MAX_NESTING: usize = 64;

/// Parses one file. A syntax error is reported as one diagnostic.
pub fn parse(file: FileId, text: &str) -> Result<File, Diagnostic> {
    check_nesting(file, text)?;
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|e| syntax_error(file, text, e))?;
    let root = pairs
        .next()
        .ok_or_else(|| Diagnostic::error("E0001", "empty parse", Span::new(file, 0, 0)))?;
    let b = Builder { file };
    let mut comments = Vec::new();
    collect_comments(root.clone(), &mut comments, file);
    let blocks = root
        .into_inner()
        .filter(|p| p.as_rule() == Rule::block)
        .map(|p| b.block(p))
        .collect::<Result<_, _>>()?;
    Ok(File { blocks, comments })
}

/// Parses a lone expression, as given to `--var NAME=VALUE`.
pub fn parse_expr(text: &str) -> Result<Expr, Diagnostic> {
    let file = FileId(usize::MAX);
    check_nesting(file, text)?;
    let mut pairs = Grammar::parse(Rule::expr_only, text).map_err(|e| Diagnostic {
        span: None,
        ..syntax_error(file, text, e)
    })?;
    let root = pairs
        .next()
        .ok_or_else(|| Diagnostic::global("E0001", "empty expression"))?;
    let expr = Builder::significant(root)
        .find(|p| p.as_rule() != Rule::EOI)
        .ok_or_else(|| Diagnostic::global("E0001", "empty expression"))?;
    Builder { file }.expr(expr)
}

fn check_nesting(file: FileId, text: &str) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' | '[' | '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(
                        Diagnostic::error("E0002", "nesting is too deep", Span::new(file, i, i + 1))
                            .label(format!("more than {MAX_NESTING} levels of brackets"))
                            .help("flatten the structure; no stack needs this much nesting"),
                    );
                }
            }
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn collect_comments(pair: Pair<'_, Rule>, out: &mut Vec<Span>, file: FileId) {
    for p in pair.into_inner().flatten() {
        if p.as_rule() == Rule::COMMENT {
            let s = p.as_span();
            out.push(Span::new(file, s.start(), s.end()));
        }
    }
    out.sort_by_key(|s| s.start);
    out.dedup();
}

fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let found = describe_found(text, start);
    // A zero-width span at the end of a line or file, not one over the newline.
    let end = match text[start..].chars().next() {
        _ if end > start => end,
        None | Some('\n') => start,
        Some(c) => start + c.len_utf8(),
    };
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let (message, help) = hint(text, start);
    let mut d = Diagnostic::error("E0001", message, Span::new(file, start, end))
        .label(format!("expected {expected}, found {found}"));
    if let Some(help) = help {
        d = d.help(help);
    }
    d
}

fn describe_found(text: &str, at: usize) -> String {
    match text[at..].chars().next() {
        None => "end of file".to_owned(),
        Some('\n') => "end of line".to_owned(),
        Some(c) => format!("`{c}`"),
    }
}

/// Turns what pest expected into words a user understands.
fn describe_expected(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = rules
        .iter()
        .map(|r| match r {
            Rule::EOI | Rule::block => "a block like `vpc main { ... }`",
            Rule::ident => "a name",
            Rule::label => "`=` or `{`",
            Rule::attribute | Rule::body => "an attribute `name = value` or a nested block",
            Rule::string | Rule::literal | Rule::escape | Rule::interpolation => "a string",
            Rule::number => "a number",
            Rule::boolean => "`true` or `false`",
            Rule::list => "a list `[...]`",
            Rule::map | Rule::map_entry => "a map entry `key = value`",
            Rule::name_expr | Rule::call_args => "a reference or function call",
            Rule::null => "`null`",
            _ => "a value",
        })
        .collect();
    words.sort();
    words.dedup();
    if words.contains(&"a string") && words.len() > 3 {
        return "a value".to_owned();
    }
    match words.as_slice() {
        [] => "something else".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A headline and a help line for common mistakes.
fn hint(text: &str, at: usize) -> (String, Option<String>) {
    let rest = &text[at..];
    let line_before = text[..at].rsplit('\n').next().unwrap_or("");
    if rest.starts_with(':') {
        return (
            "syntax error".into(),
            Some("attributes are written `name = value`, with `=`".into()),
        );
    }
    if rest.starts_with('\'') {
        return (
            "syntax error".into(),
            Some("strings use double quotes: \"...\"".into()),
        );
    }
    if rest.starts_with('\\') {
        return (
            "invalid escape in string".into(),
            Some(r#"valid escapes are \" \\ \n \t \r \$ and $${ for a literal ${"#.into()),
        );
    }
    if rest.is_empty() {
        return (
            "unclosed block".into(),
            Some("a `}` is missing at the end of the file".into()),
        );
    }
    if line_before.matches('"').count() % 2 == 1 && rest.starts_with('\n') {
        return (
            "unterminated string".into(),
            Some("close the string with `\"` before the end of the line".into()),
        );
    }
    ("syntax error".into(), None)
}

struct Builder {
    file: FileId,
}

impl Builder {
    fn span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn significant<'i>(p: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
        p.into_inner().filter(|p| p.as_rule() != Rule::COMMENT)
    }

    fn ident(&self, p: Pair<'_, Rule>) -> Ident {
        Ident {
            name: p.as_str().to_owned(),
            span: self.span(&p),
        }
    }

    fn block(&self, p: Pair<'_, Rule>) -> Result<Block, Diagnostic> {
        let span = self.span(&p);
        let mut inner = Self::significant(p);
        let kind = self.ident(inner.next().ok_or_else(|| self.internal(span))?);
        let mut label = None;
        let mut body = Vec::new();
        for part in inner {
            match part.as_rule() {
                Rule::label => {
                    let l = Self::significant(part)
                        .next()
                        .ok_or_else(|| self.internal(span))?;
                    label = Some(match l.as_rule() {
                        Rule::ident => Label::Ident(self.ident(l)),
                        _ => Label::String(self.expr(l)?),
                    });
                }
                Rule::body => {
                    for item in Self::significant(part) {
                        body.push(match item.as_rule() {
                            Rule::attribute => Item::Attribute(self.attribute(item)?),
                            _ => Item::Block(self.block(item)?),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(Block {
            kind,
            label,
            body,
            span,
        })
    }

    fn attribute(&self, p: Pair<'_, Rule>) -> Result<Attribute, Diagnostic> {
        let span = self.span(&p);
        let mut inner = Self::significant(p);
        let name = self.ident(inner.next().ok_or_else(|| self.internal(span))?);
        let value = self.expr(inner.next().ok_or_else(|| self.internal(span))?)?;
        Ok(Attribute { name, value, span })
    }

    fn internal(&self, span: Span) -> Diagnostic {
        Diagnostic::error("E0003", "internal parser error: unexpected tree shape", span)
            .help("please report this with the file that caused it")
    }

    fn expr(&self, p: Pair<'_, Rule>) -> Result<Expr, Diagnostic> {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::null => ExprKind::Null,
            Rule::boolean => ExprKind::Bool(p.as_str() == "true"),
            Rule::number => ExprKind::Int(p.as_str().parse().map_err(|_| {
                Diagnostic::error("E0004", "number out of range", span)
                    .label("does not fit in a 64-bit integer")
            })?),
            Rule::string => ExprKind::String(self.string_parts(p)?),
            Rule::list => ExprKind::List(
                Self::significant(p)
                    .map(|e| self.expr(e))
                    .collect::<Result<_, _>>()?,
            ),
            Rule::map => ExprKind::Map(
                Self::significant(p)
                    .map(|entry| self.map_entry(entry))
                    .collect::<Result<_, _>>()?,
            ),
            Rule::name_expr => {
                let is_call = Self::significant(p.clone())
                    .nth(1)
                    .is_some_and(|a| a.as_rule() == Rule::call_args);
                if is_call {
                    let mut inner = Self::significant(p);
                    let name = self.ident(inner.next().ok_or_else(|| self.internal(span))?);
                    let args_pair = inner.next().ok_or_else(|| self.internal(span))?;
                    let args = Self::significant(args_pair)
                        .map(|a| self.expr(a))
                        .collect::<Result<_, _>>()?;
                    ExprKind::Call(Call { name, args })
                } else {
                    ExprKind::Traversal(self.traversal(p)?)
                }
            }
            _ => return Err(self.internal(span)),
        };
        Ok(Expr { kind, span })
    }

    fn map_entry(&self, p: Pair<'_, Rule>) -> Result<MapEntry, Diagnostic> {
        let span = self.span(&p);
        let mut inner = Self::significant(p);
        let key_pair = inner.next().ok_or_else(|| self.internal(span))?;
        let key_span = self.span(&key_pair);
        let key = match key_pair.as_rule() {
            Rule::ident => MapKey {
                name: key_pair.as_str().to_owned(),
                quoted: false,
                span: key_span,
            },
            _ => {
                let parts = self.string_parts(key_pair)?;
                let name = match parts.as_slice() {
                    [] => String::new(),
                    [StrPart::Lit(s)] => s.clone(),
                    _ => {
                        return Err(
                            Diagnostic::error("E0005", "map keys cannot be interpolated", key_span)
                                .label("this key holds `${...}`")
                                .help("write the key as plain text"),
                        );
                    }
                };
                MapKey {
                    name,
                    quoted: true,
                    span: key_span,
                }
            }
        };
        let value = self.expr(inner.next().ok_or_else(|| self.internal(span))?)?;
        Ok(MapEntry { key, value })
    }

    fn traversal(&self, p: Pair<'_, Rule>) -> Result<Traversal, Diagnostic> {
        let span = self.span(&p);
        let mut inner = Self::significant(p);
        let root = self.ident(inner.next().ok_or_else(|| self.internal(span))?);
        let mut steps = Vec::new();
        for step in inner {
            let step_span = self.span(&step);
            let value = Self::significant(step.clone())
                .next()
                .ok_or_else(|| self.internal(step_span))?;
            steps.push(match step.as_rule() {
                Rule::get_attr => Step::Attr(self.ident(value)),
                _ => Step::Index(Box::new(self.expr(value)?)),
            });
        }
        Ok(Traversal { root, steps })
    }

    fn string_parts(&self, p: Pair<'_, Rule>) -> Result<Vec<StrPart>, Diagnostic> {
        let mut parts: Vec<StrPart> = Vec::new();
        let push_text = |parts: &mut Vec<StrPart>, text: &str| match parts.last_mut() {
            Some(StrPart::Lit(s)) => s.push_str(text),
            _ => parts.push(StrPart::Lit(text.to_owned())),
        };
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::literal => push_text(&mut parts, part.as_str()),
                Rule::escape => push_text(
                    &mut parts,
                    match part.as_str() {
                        "$${" => "${",
                        "\\n" => "\n",
                        "\\t" => "\t",
                        "\\r" => "\r",
                        "\\$" => "$",
                        "\\\"" => "\"",
                        _ => "\\",
                    },
                ),
                Rule::interpolation => {
                    let span = self.span(&part);
                    let inner = Self::significant(part)
                        .next()
                        .ok_or_else(|| self.internal(span))?;
                    parts.push(StrPart::Interp(self.expr(inner)?));
                }
                _ => {}
            }
        }
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> File {
        parse(FileId(0), text).unwrap_or_else(|d| panic!("{d:?}"))
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
    fn decodes_escapes_and_interpolation() {
        let f = parse_ok(r#"x y { a = "q\"\\\n$${lit} ${var.env}!" }"#);
        let Item::Attribute(a) = &f.blocks[0].body[0] else {
            panic!()
        };
        let ExprKind::String(parts) = &a.value.kind else {
            panic!()
        };
        assert_eq!(parts[0], StrPart::Lit("q\"\\\n${lit} ".into()));
        assert!(matches!(&parts[1], StrPart::Interp(e) if matches!(e.kind, ExprKind::Traversal(_))));
        assert_eq!(parts[2], StrPart::Lit("!".into()));
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
        let kinds: Vec<_> = f.blocks[0]
            .body
            .iter()
            .map(|i| match i {
                Item::Attribute(a) => std::mem::discriminant(&a.value.kind),
                Item::Block(_) => panic!(),
            })
            .collect();
        assert_eq!(kinds.len(), 7);
        let Item::Attribute(l) = &f.blocks[0].body[3] else {
            panic!()
        };
        let ExprKind::List(items) = &l.value.kind else {
            panic!()
        };
        let ExprKind::Traversal(t) = &items[2].kind else {
            panic!()
        };
        assert_eq!(t.steps.len(), 3);
        let Item::Attribute(t) = &f.blocks[0].body[6] else {
            panic!()
        };
        assert!(
            matches!(t.value.kind, ExprKind::Traversal(_)),
            "trueish is a name, not a bool"
        );
    }

    #[test]
    fn keeps_comments_with_spans() {
        let text = "# top\nvpc a { # trailing\n  cidr = \"10.0.0.0/16\" # end\n}\n";
        let f = parse_ok(text);
        let comments: Vec<&str> = f.comments.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(comments, ["# top", "# trailing", "# end"]);
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse(FileId(0), "vpc main {\n  cidr: \"10.0.0.0/16\"\n}").unwrap_err();
        assert_eq!(e.span.map(|s| s.start), Some(17), "points at the colon");
        assert!(e.help.unwrap().contains("="));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("x y {{ a = {}{} }}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse(FileId(0), &text).unwrap_err().code, "E0002");
    }
}
