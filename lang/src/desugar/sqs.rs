//! Terraform's SQS redrive policy, `redrive_policy = jsonencode({
//! deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 4 })` on
//! the queue or in an `aws_sqs_queue_redrive_policy` (or JSON text, as
//! older stacks write it: `"{\"deadLetterTargetArn\":\"${...}\", ...}"`):
//! berth's `dead_letter_queue` and `max_receive_count`. The values stay
//! expressions (the dead-letter queue's ARN is known after apply), so the
//! policy is read before it is evaluated.

use serde_json::Value as Json;

use super::CODE;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Attribute, Expr, ExprKind, Ident, Item, StrPart};

/// The redrive policy's fields and berth's settings.
const FIELDS: [(&str, &str); 2] = [
    ("deadLetterTargetArn", "dead_letter_queue"),
    ("maxReceiveCount", "max_receive_count"),
];

/// The settings `policy` holds; what cannot be read is an E0211 in `diags`.
/// `null` or `""` is no redrive policy.
pub(super) fn redrive_policy(policy: Expr, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let span = policy.span;
    let entries = match policy.kind {
        ExprKind::Null => return Vec::new(),
        ExprKind::String(ref parts)
            if parts.is_empty() || super::literal(&policy).is_some_and(str::is_empty) =>
        {
            return Vec::new();
        }
        ExprKind::Call(call) if call.name.name == "jsonencode" && call.args.len() == 1 => {
            match call.args.into_iter().next().map(|a| a.kind) {
                Some(ExprKind::Map(entries)) => entries
                    .into_iter()
                    .map(|e| (e.key.name, e.key.span, e.value))
                    .collect(),
                _ => return vec_with(unread(span), diags),
            }
        }
        ExprKind::String(parts) => match json_text(parts, span) {
            Some(fields) => fields,
            None => return vec_with(unread(span), diags),
        },
        _ => return vec_with(unread(span), diags),
    };
    let mut items = Vec::new();
    for (field, key_span, value) in entries {
        match FIELDS.iter().find(|(f, _)| *f == field) {
            Some((_, setting)) => items.push(Item::Attribute(Attribute {
                name: Ident {
                    name: (*setting).into(),
                    span: key_span,
                },
                span: key_span.to(value.span),
                value,
            })),
            None => diags.push(
                Diagnostic::error(
                    CODE,
                    format!("`{field}` is not part of a redrive policy"),
                    key_span,
                )
                .label("SQS's redrive policy holds two fields")
                .help("a redrive policy is `deadLetterTargetArn` and `maxReceiveCount`"),
            ),
        }
    }
    items
}

/// The fields of a redrive policy written as JSON text whose values may
/// be interpolations (`"${aws_sqs_queue.dlq.arn}"`): each interpolation
/// stands in the text as a marker, and a field whose value is a marker is
/// that expression. `None` when the text is not a JSON object of them.
fn json_text(parts: Vec<StrPart>, span: Span) -> Option<Vec<(String, Span, Expr)>> {
    let mut text = String::new();
    let mut interpolated = Vec::new();
    for part in parts {
        match part {
            StrPart::Lit(s) => text.push_str(&s),
            StrPart::Interp(e) => {
                // JSON text cannot hold a NUL, so no marker is ever text.
                text.push_str(&format!("\\u0000{}", interpolated.len()));
                interpolated.push(Some(e));
            }
        }
    }
    let Ok(Json::Object(fields)) = serde_json::from_str::<Json>(&text) else {
        return None;
    };
    let mut out = Vec::new();
    for (field, value) in fields {
        let expr = match value {
            Json::String(s) => match s.strip_prefix('\0').and_then(|i| i.parse::<usize>().ok()) {
                Some(i) => interpolated.get_mut(i)?.take()?,
                None if !s.contains('\0') => Expr {
                    kind: ExprKind::String(vec![StrPart::Lit(s)]),
                    span,
                },
                None => return None,
            },
            Json::Number(n) => Expr {
                kind: ExprKind::Int(n.as_i64()?),
                span,
            },
            _ => return None,
        };
        out.push((field, span, expr));
    }
    Some(out)
}

fn unread(span: Span) -> Diagnostic {
    Diagnostic::error(CODE, "a redrive policy is read as it is written", span)
        .label("not `jsonencode({ deadLetterTargetArn = ..., maxReceiveCount = ... })`")
        .help("write `jsonencode({ ... })` here, or berth's `dead_letter_queue = sqs_queue.NAME.arn` and `max_receive_count` on the queue")
}

fn vec_with(d: Diagnostic, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    diags.push(d);
    Vec::new()
}
