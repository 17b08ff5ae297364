//! Terraform's template syntax, for `templatefile` and strings (heredocs
//! and quoted) with directives: text with `${...}` interpolations, `%{ if }` / `%{ else }` /
//! `%{ endif }` and `%{ for x in xs }` / `%{ endfor }` directives, `~`
//! strip markers and the `$${` / `%%{` escapes. A template becomes the
//! source of one berth string literal, an `if` a conditional and a `for` a
//! `for` expression joined, so the evaluator runs it as any expression.

use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, ForResult, MapEntry, Step, StrPart};

/// A template's text or one of its `${ }` / `%{ }` tags.
enum Piece {
    Text(String),
    Tag {
        directive: bool,
        body: String,
        strip_before: bool,
        strip_after: bool,
    },
}

/// What a template is made of, directives paired.
enum Node {
    Text(String),
    Interp(String),
    If(String, Vec<Node>, Vec<Node>),
    /// `NAMES in COLLECTION`, split at `in`.
    For(String, String, Vec<Node>),
}

/// The source of a berth string literal that evaluates as `template` does.
pub fn to_string_literal(template: &str) -> Result<String, String> {
    let pieces = strip(lex(template)?);
    let mut at = 0;
    let (nodes, end) = nodes(&pieces, &mut at)?;
    match end {
        None => Ok(literal(&nodes)),
        Some(word) => Err(format!("`%{{ {word} }}` without its opening directive")),
    }
}

/// A heredoc's or quoted string's text holding directives as the
/// expression it stands for, every part of it at `span` (the string's),
/// as its text was rewritten.
pub(crate) fn expr(template: &str, span: Span) -> Result<Expr, String> {
    let literal = to_string_literal(template)?;
    let mut expr = super::parse_expr(&literal).map_err(|d| d.label)?;
    relocate(&mut expr, span);
    Ok(expr)
}

/// `e` with every span in it at `span`.
pub(crate) fn relocate(e: &mut Expr, span: Span) {
    e.span = span;
    let steps = |steps: &mut Vec<Step>| {
        for step in steps {
            match step {
                Step::Attr(a) => a.span = span,
                Step::Index(i) => relocate(i, span),
                Step::Splat(s) => *s = span,
            }
        }
    };
    match &mut e.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Decimal(_) => {}
        ExprKind::String(parts) => parts.iter_mut().for_each(|p| {
            if let StrPart::Interp(i) = p {
                relocate(i, span);
            }
        }),
        ExprKind::List(items) => items.iter_mut().for_each(|i| relocate(i, span)),
        ExprKind::Map(entries) => entries.iter_mut().for_each(|MapEntry { key, value }| {
            key.span = span;
            if let Some(k) = &mut key.computed {
                relocate(k, span);
            }
            relocate(value, span);
        }),
        ExprKind::Traversal(t) => {
            t.root.span = span;
            steps(&mut t.steps);
        }
        ExprKind::Call(c) => {
            c.name.span = span;
            c.args.iter_mut().for_each(|a| relocate(a, span));
        }
        ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => relocate(inner, span),
        ExprKind::Binary(_, l, r) => {
            relocate(l, span);
            relocate(r, span);
        }
        ExprKind::Conditional(c, a, b) => [c, a, b].into_iter().for_each(|x| relocate(x, span)),
        ExprKind::For(f) => {
            if let Some(k) = &mut f.key {
                k.span = span;
            }
            f.value.span = span;
            relocate(&mut f.collection, span);
            match &mut f.result {
                ForResult::List(v) => relocate(v, span),
                ForResult::Map { key, value, .. } => {
                    relocate(key, span);
                    relocate(value, span);
                }
            }
            if let Some(c) = &mut f.cond {
                relocate(c, span);
            }
        }
        ExprKind::Postfix(inner, s) => {
            relocate(inner, span);
            steps(s);
        }
    }
}

fn lex(template: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while let Some(rest) = template.get(i..).filter(|r| !r.is_empty()) {
        let escapes = [("$${", "${"), ("%%{", "%{")];
        if let Some((escape, literal)) = escapes.into_iter().find(|(e, _)| rest.starts_with(e)) {
            text.push_str(literal);
            i += escape.len();
            continue;
        }
        let directive = rest.starts_with("%{");
        if directive || rest.starts_with("${") {
            let close = closing_brace(template, i + 2)?;
            let mut inner = &template[i + 2..close];
            let strip_before = inner.starts_with('~');
            if strip_before {
                inner = &inner[1..];
            }
            let strip_after = inner.ends_with('~');
            if strip_after {
                inner = &inner[..inner.len() - 1];
            }
            out.push(Piece::Text(std::mem::take(&mut text)));
            out.push(Piece::Tag {
                directive,
                body: inner.trim().to_owned(),
                strip_before,
                strip_after,
            });
            i = close + 1;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        text.push(c);
        i += c.len_utf8();
    }
    out.push(Piece::Text(text));
    Ok(out)
}

/// The `}` closing the tag whose body starts at `from`, past nested braces
/// and quoted strings.
fn closing_brace(template: &str, from: usize) -> Result<usize, String> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in template[from..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string && depth == 0 => return Ok(from + i),
            '}' if !in_string => depth -= 1,
            _ => {}
        }
    }
    Err("a `${` or `%{` is never closed".to_owned())
}

/// Applies the `~` markers: whitespace next to a marked side of a tag goes.
fn strip(mut pieces: Vec<Piece>) -> Vec<Piece> {
    for i in 0..pieces.len() {
        let (before, after) = match &pieces[i] {
            Piece::Tag {
                strip_before,
                strip_after,
                ..
            } => (*strip_before, *strip_after),
            Piece::Text(_) => continue,
        };
        if before && let Some(Piece::Text(t)) = i.checked_sub(1).and_then(|p| pieces.get_mut(p)) {
            t.truncate(t.trim_end().len());
        }
        if after && let Some(Piece::Text(t)) = pieces.get_mut(i + 1) {
            *t = t.trim_start().to_owned();
        }
    }
    pieces
}

/// Nodes up to the end or to the closing directive (`else`, `endif`,
/// `endfor`) it returns.
fn nodes(pieces: &[Piece], at: &mut usize) -> Result<(Vec<Node>, Option<String>), String> {
    let mut out = Vec::new();
    while let Some(piece) = pieces.get(*at) {
        *at += 1;
        let (directive, body) = match piece {
            Piece::Text(t) if t.is_empty() => continue,
            Piece::Text(t) => {
                out.push(Node::Text(t.clone()));
                continue;
            }
            Piece::Tag { directive, body, .. } => (*directive, body.as_str()),
        };
        if !directive {
            out.push(Node::Interp(body.to_owned()));
            continue;
        }
        let (word, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        match word {
            "if" => {
                let (then, end) = nodes(pieces, at)?;
                let otherwise = match end.as_deref() {
                    Some("else") => match nodes(pieces, at)? {
                        (otherwise, Some(end)) if end == "endif" => otherwise,
                        _ => return Err("`%{ else }` without its `%{ endif }`".to_owned()),
                    },
                    Some("endif") => Vec::new(),
                    _ => return Err("`%{ if }` without its `%{ endif }`".to_owned()),
                };
                out.push(Node::If(rest.trim().to_owned(), then, otherwise));
            }
            "for" => {
                let Some((names, collection)) = rest.split_once(" in ") else {
                    return Err(format!("`%{{ {body} }}` is not `%{{ for NAME in COLLECTION }}`"));
                };
                match nodes(pieces, at)? {
                    (inner, Some(end)) if end == "endfor" => {
                        out.push(Node::For(
                            names.trim().to_owned(),
                            collection.trim().to_owned(),
                            inner,
                        ));
                    }
                    _ => return Err("`%{ for }` without its `%{ endfor }`".to_owned()),
                }
            }
            "else" | "endif" | "endfor" if rest.trim().is_empty() => return Ok((out, Some(word.to_owned()))),
            _ => return Err(format!("`%{{ {body} }}` is not a template directive")),
        }
    }
    Ok((out, None))
}

/// `nodes` as a berth string literal.
fn literal(nodes: &[Node]) -> String {
    let mut out = String::from("\"");
    for node in nodes {
        match node {
            Node::Text(t) => crate::syntax::escape_into(t, &mut out),
            Node::Interp(e) => out.push_str(&format!("${{{e}}}")),
            Node::If(cond, then, otherwise) => out.push_str(&format!(
                "${{({cond}) ? {} : {}}}",
                literal(then),
                literal(otherwise)
            )),
            Node::For(names, collection, body) => out.push_str(&format!(
                "${{join(\"\", [for {names} in ({collection}) : {}])}}",
                literal(body)
            )),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_interpolations_become_one_string() {
        assert_eq!(
            to_string_literal("a \"${x}\" \\n\n$${y} %%{z}").as_deref(),
            Ok("\"a \\\"${x}\\\" \\\\n\\n\\${y} %%{z}\"")
        );
    }

    #[test]
    fn directives_become_a_conditional_and_a_joined_for() {
        assert_eq!(
            to_string_literal("%{ if on }yes%{ else }no%{ endif }").as_deref(),
            Ok("\"${(on) ? \"yes\" : \"no\"}\"")
        );
        assert_eq!(
            to_string_literal("%{ for k, v in env ~}\n${k}=${v}\n%{~ endfor }").as_deref(),
            Ok("\"${join(\"\", [for k, v in (env) : \"${k}=${v}\"])}\"")
        );
    }

    #[test]
    fn unpaired_or_unknown_directives_are_errors() {
        for bad in [
            "%{ if x }a",
            "a%{ endif }",
            "%{ for x }a%{ endfor }",
            "%{ while x }",
            "${ x",
        ] {
            assert!(to_string_literal(bad).is_err(), "{bad}");
        }
    }
}
