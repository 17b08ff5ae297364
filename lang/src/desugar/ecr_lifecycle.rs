//! Terraform's `aws_ecr_lifecycle_policy`: ECR's lifecycle policy JSON,
//! as `jsonencode({ rules = [...] })` or JSON text written out (a
//! heredoc), read into the repository's `lifecycle_rule` blocks. Each
//! field is found by the AWS name the schema gives its attribute
//! (`rulePriority`, `selection.countType`), so the schema is the one table
//! of names; a field it has no place for is an error, never dropped.

use berth_provider::Kind;
use berth_provider::schema::Block as BlockSchema;
use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{CODE, literal};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Attribute, Block, Call, Expr, ExprKind, Ident, Item, StrPart};

/// The repository's block the rules are.
const BLOCK: &str = "lifecycle_rule";

/// Fields of a rule that berth writes itself: the one action ECR has,
/// and the unit of `sinceImagePushed`'s count.
const IMPLIED: [(&str, &str); 2] = [("action.type", "expire"), ("selection.countUnit", "days")];

/// A rule's fields by dotted path (`selection.countType`), each the
/// expression it is written as.
type Fields = BTreeMap<String, Expr>;

/// The `lifecycle_rule` blocks of the lifecycle policy `policy`; what
/// cannot be read is an E0211 in `diags`.
pub(super) fn rules(policy: Expr, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let span = policy.span;
    let Some(rules) = rules_of(&policy) else {
        diags.push(
            Diagnostic::error(CODE, "a lifecycle policy is read as it is written", span)
                .label("not `jsonencode({ rules = [...] })`, nor JSON text")
                .help("write `policy = jsonencode({ rules = [...] })`, or `lifecycle_rule { }` blocks on the repository"),
        );
        return Vec::new();
    };
    let Some(rules) = rules else {
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
        .into_iter()
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
fn rule_block(mut fields: Fields, schema: &BlockSchema, span: Span) -> Result<Block, Diagnostic> {
    let mut body = Vec::new();
    for attr in schema.attrs {
        if let Some(value) = fields.remove(attr.aws) {
            body.push(Item::Attribute(Attribute {
                name: Ident {
                    name: attr.name.into(),
                    span,
                },
                value,
                span,
            }));
        }
    }
    for (path, implied) in IMPLIED {
        match fields.remove(path) {
            None => {}
            Some(e) if literal(&e) == Some(implied) => {}
            Some(other) => {
                let written =
                    literal(&other).map_or_else(|| "another value".to_owned(), |s| format!("\"{s}\""));
                return Err(Diagnostic::error(
                    CODE,
                    format!("a lifecycle rule's `{path}` is `{implied}`"),
                    span,
                )
                .label(format!("{written} in this policy"))
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

/// The rules of the policy `e`: of `jsonencode({ rules = [...] })`, each
/// field as written (`countNumber = each.value.days` reads the
/// repository's element, repeated alike), or of JSON text. None when it is
/// neither; `Some(None)` when it holds no `rules` list.
fn rules_of(e: &Expr) -> Option<Option<Vec<Fields>>> {
    match &e.kind {
        ExprKind::Call(Call { name, args, .. }) if name.name == "jsonencode" => {
            let [ExprKind::Map(entries)] = args.iter().map(|a| &a.unwrapped().kind).collect::<Vec<_>>()[..]
            else {
                return None;
            };
            let rules = entries
                .iter()
                .find(|e| e.key.computed.is_none() && e.key.name == "rules");
            let Some(ExprKind::List(rules)) = rules.map(|r| &r.value.unwrapped().kind) else {
                return Some(None);
            };
            Some(rules.iter().map(written_fields).collect())
        }
        _ => {
            let json: Json = serde_json::from_str(literal(e)?).ok()?;
            let Some(rules) = json.get("rules").and_then(Json::as_array) else {
                return Some(None);
            };
            Some(rules.iter().map(|rule| json_fields(rule, e.span)).collect())
        }
    }
}

/// The fields of a rule written as an object (`{ selection = { ... } }`);
/// None for a rule that is not one.
fn written_fields(rule: &Expr) -> Option<Fields> {
    fn walk(prefix: &str, e: &Expr, out: &mut Fields) -> Option<()> {
        match &e.unwrapped().kind {
            ExprKind::Map(entries) => {
                for entry in entries {
                    if entry.key.computed.is_some() {
                        return None;
                    }
                    walk(&path(prefix, &entry.key.name), &entry.value, out)?;
                }
            }
            _ => {
                out.insert(prefix.to_owned(), e.clone());
            }
        }
        Some(())
    }
    if !matches!(rule.unwrapped().kind, ExprKind::Map(_)) {
        return None;
    }
    let mut out = Fields::new();
    walk("", rule, &mut out)?;
    Some(out)
}

/// The fields of a rule of JSON text; None for one whose fields are not
/// scalars or lists of them.
fn json_fields(rule: &Json, span: Span) -> Option<Fields> {
    fn walk(prefix: &str, value: &Json, span: Span, out: &mut Fields) -> Option<()> {
        match value {
            Json::Object(fields) => {
                for (k, v) in fields {
                    walk(&path(prefix, k), v, span, out)?;
                }
            }
            other => {
                out.insert(prefix.to_owned(), expr(other, span)?);
            }
        }
        Some(())
    }
    let mut out = Fields::new();
    walk("", rule, span, &mut out)?;
    Some(out)
}

/// `prefix.key`, or `key` at the top.
fn path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
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
