//! Value formatting shared by the renderings: a one-line form ([`inline`])
//! and a line-by-line form ([`pretty`]) in berth syntax, plus the masking
//! applied to attributes flagged sensitive.

use std::borrow::Cow;

use berth_provider::Value;

use crate::plan::{SENSITIVE, SENSITIVE_CHANGED};

/// Strings longer than this (in characters) are shown on lines of their own.
const LONG_STRING: usize = 60;
/// Maps with more entries than this are shown one entry per line.
const MAX_INLINE_ENTRIES: usize = 3;
/// Lists and maps whose one-line form is wider than this are split.
const MAX_INLINE_WIDTH: usize = 70;

/// What a pretty-printed line does to the nesting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Shape {
    /// A line that neither opens nor closes anything.
    Leaf,
    /// Ends with `{`, `[` or `<<EOT`: the lines after it are one level deeper.
    Open,
    /// `}`, `]` or `EOT`: ends what the last `Open` at its depth started.
    Close,
}

/// One line of a pretty-printed value. Keys are kept apart from the text so
/// that `=` can be aligned after diffing, without alignment itself showing
/// up as a change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PLine {
    /// Nesting level, 0 for the attribute itself.
    pub depth: usize,
    /// `Some(key)` for `key = text` lines.
    pub key: Option<String>,
    /// The rest of the line (after `key = `, or the whole line).
    pub text: String,
    pub shape: Shape,
}

impl PLine {
    fn new(depth: usize, key: Option<&str>, text: impl Into<String>, shape: Shape) -> Self {
        PLine {
            depth,
            key: key.map(|k| map_key(k).into_owned()),
            text: text.into(),
            shape,
        }
    }
}

/// Whether `s` is one of the placeholders the planner puts in place of a
/// sensitive value. Those print bare, never quoted.
pub(crate) fn is_masked(s: &str) -> bool {
    s == SENSITIVE || s == SENSITIVE_CHANGED
}

/// Hides every value of an attribute flagged sensitive that the planner did
/// not already mask: a second line of defence, so that a renderer can never
/// print a secret even if one slipped through. Map keys (an environment
/// variable's name) and nulls stay, as the planner's own masking keeps them.
pub(crate) fn mask(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::String(s) if is_masked(s) => v.clone(),
        Value::List(items) => Value::List(items.iter().map(mask).collect()),
        Value::Map(m) => Value::Map(m.iter().map(|(k, x)| (k.clone(), mask(x))).collect()),
        _ => Value::String(SENSITIVE.to_owned()),
    }
}

/// The value on one line: `"text"`, `80`, `["a", "b"]`, `{ K = "v" }`,
/// `(known after apply)`, `(sensitive)`.
pub(crate) fn inline(v: &Value) -> String {
    let mut out = String::new();
    write_inline(v, &mut out);
    out
}

fn write_inline(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(_) | Value::Decimal(_) => out.push_str(&v.to_string()),
        Value::String(s) if is_masked(s) => out.push_str(s),
        Value::String(s) => out.push_str(&quote(s)),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(item, out);
            }
            out.push(']');
        }
        Value::Map(m) if m.is_empty() => out.push_str("{}"),
        Value::Map(m) => {
            out.push_str("{ ");
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&map_key(k));
                out.push_str(" = ");
                write_inline(x, out);
            }
            out.push_str(" }");
        }
        Value::Unknown => out.push_str("(known after apply)"),
    }
}

/// A string literal, escaped.
pub(crate) fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// A map key or attribute name: bare when it is an identifier, quoted
/// otherwise (`"berth:stack"`).
fn map_key(k: &str) -> Cow<'_, str> {
    let mut chars = k.chars();
    let ident = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        Cow::Borrowed(k)
    } else {
        Cow::Owned(quote(k))
    }
}

/// Whether the value reads better over several lines (and so is diffed line
/// by line): nested blocks, big maps, long or multi-line strings.
pub(crate) fn is_long(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\n') || s.chars().count() > LONG_STRING,
        Value::List(items) => items.iter().any(|i| matches!(i, Value::Map(_)) || is_long(i)) || too_wide(v),
        Value::Map(m) => m.len() > MAX_INLINE_ENTRIES || m.values().any(is_long) || too_wide(v),
        _ => false,
    }
}

fn too_wide(v: &Value) -> bool {
    inline(v).chars().count() > MAX_INLINE_WIDTH
}

/// Whether `v` is nested blocks: a non-empty list of maps.
pub(crate) fn is_blocks(v: &Value) -> bool {
    matches!(v, Value::List(items) if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Map(_))))
}

/// The attribute `name = v` over as many lines as it needs. Nested blocks
/// print as `name "label" { ... }`, one per list element; maps one entry per
/// line in key order, attributes before blocks.
pub(crate) fn pretty(name: &str, v: &Value) -> Vec<PLine> {
    let mut out = Vec::new();
    entry(name, v, 0, &mut out);
    out
}

fn entry(key: &str, v: &Value, depth: usize, out: &mut Vec<PLine>) {
    match v {
        Value::List(items) if is_blocks(v) => {
            for item in items {
                block(key, item, depth, out);
            }
        }
        Value::Map(m) if is_long(v) => {
            out.push(PLine::new(depth, Some(key), "{", Shape::Open));
            entries(m.iter().map(|(k, x)| (k.as_str(), x)), depth + 1, out);
            out.push(PLine::new(depth, None, "}", Shape::Close));
        }
        Value::List(items) if is_long(v) => {
            out.push(PLine::new(depth, Some(key), "[", Shape::Open));
            for item in items {
                out.push(PLine::new(
                    depth + 1,
                    None,
                    format!("{},", inline(item)),
                    Shape::Leaf,
                ));
            }
            out.push(PLine::new(depth, None, "]", Shape::Close));
        }
        Value::String(s) if s.contains('\n') => heredoc(key, s, depth, out),
        _ => out.push(PLine::new(depth, Some(key), inline(v), Shape::Leaf)),
    }
}

/// Entries of a map or block body: one-line ones first, then the rest, each
/// group in key order, so that the layout does not depend on map order (nor
/// on a value's length: a long ARN printed on one line keeps its place
/// when it changes to `(known after apply)`).
fn entries<'a>(items: impl Iterator<Item = (&'a str, &'a Value)>, depth: usize, out: &mut Vec<PLine>) {
    for (k, x) in laid_out(items) {
        entry(k, x, depth, out);
    }
}

/// `items` in the order [`entries`] prints them: one-line ones first,
/// then the rest, each group in the order given.
pub(crate) fn laid_out<'a>(items: impl Iterator<Item = (&'a str, &'a Value)>) -> Vec<(&'a str, &'a Value)> {
    let multi = |v: &Value| match v {
        Value::String(s) => s.contains('\n'),
        _ => is_long(v) || is_blocks(v),
    };
    let (one_line, rest): (Vec<_>, Vec<_>) = items.partition(|(_, x)| !multi(x));
    one_line.into_iter().chain(rest).collect()
}

/// The entries of a block's body that [`pretty`] prints: all but a
/// label's `name` and unset ones (null, empty lists and maps: no nested
/// blocks of a kind, no labels, noise inside a block), in key order.
pub(crate) fn block_body(m: &std::collections::BTreeMap<String, Value>) -> Vec<(&str, &Value)> {
    let label = m.get("name").and_then(Value::as_str);
    let empty = |x: &Value| match x {
        Value::Null => true,
        Value::List(items) => items.is_empty(),
        Value::Map(m) => m.is_empty(),
        _ => false,
    };
    m.iter()
        .filter(|(k, x)| (label.is_none() || k.as_str() != "name") && !empty(x))
        .map(|(k, x)| (k.as_str(), x))
        .collect()
}

/// One nested block: `kind "label" {`, its attributes, `}`. A string `name`
/// is the block's label.
fn block(kind: &str, v: &Value, depth: usize, out: &mut Vec<PLine>) {
    let Value::Map(m) = v else {
        out.push(PLine::new(depth, Some(kind), inline(v), Shape::Leaf));
        return;
    };
    let label = m.get("name").and_then(Value::as_str);
    let header = match label {
        Some(l) => format!("{} {} {{", map_key(kind), quote(l)),
        None => format!("{} {{", map_key(kind)),
    };
    out.push(PLine::new(depth, None, header, Shape::Open));
    entries(block_body(m).into_iter(), depth + 1, out);
    out.push(PLine::new(depth, None, "}", Shape::Close));
}

/// A multi-line string, one line per line of text.
fn heredoc(key: &str, s: &str, depth: usize, out: &mut Vec<PLine>) {
    out.push(PLine::new(depth, Some(key), "<<EOT", Shape::Open));
    for line in s.lines() {
        out.push(PLine::new(depth + 1, None, line, Shape::Leaf));
    }
    out.push(PLine::new(depth, None, "EOT", Shape::Close));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn inline_prints_masks_bare_and_unknowns_as_known_after_apply() {
        let v = map(&[
            ("a", SENSITIVE.into()),
            ("berth:x", Value::Unknown),
            ("c", "t".into()),
        ]);
        assert_eq!(
            inline(&v),
            r#"{ a = (sensitive), "berth:x" = (known after apply), c = "t" }"#
        );
    }

    #[test]
    fn mask_hides_everything_but_keys_and_placeholders() {
        let v = map(&[
            ("K", "secret".into()),
            ("L", SENSITIVE_CHANGED.into()),
            ("N", Value::Int(3)),
        ]);
        assert_eq!(
            inline(&mask(&v)),
            "{ K = (sensitive), L = (sensitive, changed), N = (sensitive) }"
        );
    }

    #[test]
    fn blocks_print_with_their_label_and_attributes_before_blocks() {
        let hc = Value::List(vec![map(&[("path", "/health".into())])]);
        let v = Value::List(vec![map(&[
            ("name", "app".into()),
            ("health_check", hc),
            ("port", 80.into()),
        ])]);
        let text: Vec<_> = pretty("container", &v)
            .into_iter()
            .map(|l| {
                format!(
                    "{}{}{}",
                    "  ".repeat(l.depth),
                    l.key.map(|k| k + " = ").unwrap_or_default(),
                    l.text
                )
            })
            .collect();
        assert_eq!(
            text,
            [
                "container \"app\" {",
                "  port = 80",
                "  health_check {",
                "    path = \"/health\"",
                "  }",
                "}"
            ]
        );
    }

    #[test]
    fn long_means_blocks_big_maps_and_long_strings() {
        assert!(is_long(&"x".repeat(61).into()));
        assert!(!is_long(&"x".repeat(60).into()));
        assert!(is_long(&"a\nb".into()));
        assert!(is_long(&map(&[
            ("a", 1.into()),
            ("b", 1.into()),
            ("c", 1.into()),
            ("d", 1.into())
        ])));
        assert!(!is_long(&map(&[("a", 1.into())])));
        assert!(is_long(&Value::List(vec![map(&[])])));
    }
}
