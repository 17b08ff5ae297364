//! Terraform's `aws_ecr_lifecycle_policy`: ECR's lifecycle policy JSON,
//! as `jsonencode({ rules = [...] })` or JSON text written out (a
//! heredoc), read into the repository's `lifecycle_rule` blocks. Each
//! field is found by the AWS name the schema gives its attribute
//! (`rulePriority`, `selection.countType`), so the schema is the one table
//! of names; a field it has no place for is an error, never dropped.

use berth_provider::Kind;
use berth_provider::schema::Block as BlockSchema;
use serde_json::{Map, Value as Json};

use super::{CODE, literal};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Attribute, Block, Call, Expr, ExprKind, Ident, Item, StrPart};

/// The repository's block the rules are.
const BLOCK: &str = "lifecycle_rule";

/// Fields of a rule that berth writes itself: the one action ECR has,
/// and the unit of `sinceImagePushed`'s count.
const IMPLIED: [(&str, &str); 2] = [("action.type", "expire"), ("selection.countUnit", "days")];

/// The `lifecycle_rule` blocks of the lifecycle policy `policy`; what
/// cannot be read is an E0211 in `diags`.
pub(super) fn rules(policy: Expr, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let span = policy.span;
    let Some(json) = json_of(&policy) else {
        diags.push(
            Diagnostic::error(CODE, "a lifecycle policy is read as it is written", span)
                .label("not `jsonencode({ ... })` of values written out, nor JSON text")
                .help("write `policy = jsonencode({ rules = [...] })`, or `lifecycle_rule { }` blocks on the repository"),
        );
        return Vec::new();
    };
    let Some(rules) = json.get("rules").and_then(Json::as_array) else {
        diags.push(
            Diagnostic::error(CODE, "a lifecycle policy holds its `rules`", span)
                .label("no `rules` list")
                .help("write `{ rules = [{ rulePriority = 1, selection = { ... }, action = { type = \"expire\" } }] }`"),
        );
        return Vec::new();
    };
    let Some(schema) = Kind::EcrRepository.schema().block(BLOCK).copied() else {
        return Vec::new();
    };
    rules
        .iter()
        .filter_map(|rule| match rule_block(rule, &schema, span) {
            Ok(block) => Some(Item::Block(block)),
            Err(d) => {
                diags.push(d);
                None
            }
        })
        .collect()
}

/// One rule's block.
fn rule_block(rule: &Json, schema: &BlockSchema, span: Span) -> Result<Block, Diagnostic> {
    let mut fields = Map::new();
    flatten("", rule, &mut fields);
    let mut body = Vec::new();
    for attr in schema.attrs {
        if let Some(value) = fields.remove(attr.aws) {
            body.push(Item::Attribute(Attribute {
                name: Ident {
                    name: attr.name.into(),
                    span,
                },
                value: expr(&value, span).ok_or_else(|| unread(attr.aws, span))?,
                span,
            }));
        }
    }
    for (path, implied) in IMPLIED {
        match fields.remove(path) {
            None => {}
            Some(Json::String(s)) if s == implied => {}
            Some(other) => {
                return Err(Diagnostic::error(
                    CODE,
                    format!("a lifecycle rule's `{path}` is `{implied}`"),
                    span,
                )
                .label(format!("{other} in this policy"))
                .help(format!("ECR's rules {} only", implied)));
            }
        }
    }
    if let Some(path) = fields.keys().next() {
        return Err(unread(path, span));
    }
    Ok(Block {
        kind: Ident {
            name: BLOCK.into(),
            span,
        },
        subkind: None,
        label: None,
        body,
        span,
    })
}

fn unread(path: &str, span: Span) -> Diagnostic {
    Diagnostic::error(CODE, format!("a lifecycle rule's `{path}` is not written"), span)
        .label("in this policy")
        .help("a `lifecycle_rule` takes `rulePriority`, `description`, `selection.tagStatus`, `tagPrefixList`, `countType` and `countNumber`")
}

/// `value`'s fields by dotted path (`selection.countType`); a list or a
/// scalar is one field.
fn flatten(prefix: &str, value: &Json, out: &mut Map<String, Json>) {
    match value {
        Json::Object(fields) => {
            for (k, v) in fields {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

/// A JSON scalar or list of strings as an expression.
fn expr(value: &Json, span: Span) -> Option<Expr> {
    let kind = match value {
        Json::String(s) => ExprKind::String(vec![StrPart::Lit(s.clone())]),
        Json::Number(n) => ExprKind::Int(n.as_i64()?),
        Json::Bool(b) => ExprKind::Bool(*b),
        Json::Array(items) => ExprKind::List(items.iter().map(|i| expr(i, span)).collect::<Option<_>>()?),
        Json::Null | Json::Object(_) => return None,
    };
    Some(Expr { kind, span })
}

/// The JSON `e` writes: `jsonencode(...)` of values written out, or JSON
/// text.
fn json_of(e: &Expr) -> Option<Json> {
    match &e.kind {
        ExprKind::Call(Call { name, args, .. }) if name.name == "jsonencode" => match args.as_slice() {
            [arg] => crate::eval::constant(arg).map(|v| v.to_json()),
            _ => None,
        },
        _ => serde_json::from_str(literal(e)?).ok(),
    }
}
