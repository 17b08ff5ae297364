//! A `for_each` resource whose `dynamic` blocks repeat over `each.value`
//! (terraform-aws-modules/alb: a listener's `dynamic "default_action" {
//! for_each = each.value.forward != null ? [each.value.forward] : [] }`, a
//! target group's `dynamic "stickiness"`), making blocks berth takes only
//! as written out (`default_action`, `condition`, `stickiness`): what they
//! make differs by instance, so the resource is written out once per
//! instance its `for_each` makes, as far as the variables decide it. Each
//! written-out block keeps the resource's name and span and holds a
//! `for_each` of its one key (`{ "KEY" = VALUE }`), `each.key` and
//! `each.value` read as the instance's: its `dynamic` blocks are then
//! decided, and written out, as in a resource without `for_each`; and
//! `check::declare` takes the blocks as the one resource's instances, so
//! addresses (`listener.this["http"]`) and references stay Terraform's.
//! Where the variables decide the keys but a value holds what only AWS
//! knows (a listener's certificate made by the stack), each instance reads
//! its element as `(FOR_EACH)["KEY"]`, decided as far as it can be.

use std::collections::BTreeMap;

use berth_provider::Value;
use berth_provider::schema::Block as BlockSchema;

use super::{Element, Key, bind, key, literal, schema_of};
use crate::check::dynamic::DYNAMIC;
use crate::desugar::each_expr;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item, MapEntry, MapKey, Step, StrPart};

/// The resources written out per instance, with what their `for_each`
/// makes.
pub(super) type Spread = BTreeMap<Key, Repeat>;

/// What a spread resource's `for_each` is, as far as the variables decide.
pub(super) enum Repeat {
    /// Its value, keys and elements.
    Known(Value),
    /// Its keys, its elements holding what only AWS knows.
    Keyed(Vec<String>),
}

/// Whether `block` is written out per instance: a `dynamic` block in it
/// repeats over `each` to make a block berth takes only as written out.
pub(super) fn wanted(block: &Block) -> bool {
    repeats_over_each(block, schema_of(block))
}

/// Whether a `for_each` value (known in full) makes instances to write out.
pub(super) fn known(for_each: &Value) -> bool {
    !for_each.has_unknown() && pairs(for_each).is_some()
}

/// Whether a `dynamic` block in `block` (whose schema is `schema`, when
/// berth takes it) reads `each` in its `for_each` and makes blocks the
/// schema does not hold.
fn repeats_over_each(block: &Block, schema: Option<BlockSchema>) -> bool {
    block.body.iter().any(|item| {
        let Item::Block(nested) = item else {
            return false;
        };
        if nested.kind.name != DYNAMIC {
            return repeats_over_each(nested, schema.and_then(|s| s.block(&nested.kind.name).copied()));
        }
        let Some(d) = crate::check::dynamic::parts(nested, &mut Vec::new()) else {
            return false;
        };
        let inner = schema
            .filter(|s| !super::named_by_setting(*s, d.name))
            .and_then(|s| s.block(d.name).copied());
        let over_each = crate::desugar::reads(&mut d.for_each.clone(), "each");
        (over_each && inner.is_none()) || repeats_over_each(d.content, inner)
    })
}

/// Each block of `files` in `spread` written out once per instance.
pub(super) fn write_out(files: &mut [(FileId, File)], spread: &Spread) {
    for (_, file) in files.iter_mut() {
        file.blocks = std::mem::take(&mut file.blocks)
            .into_iter()
            .flat_map(|b| match key(&b).and_then(|k| spread.get(&k)) {
                Some(Repeat::Known(for_each)) => instances(b, for_each),
                Some(Repeat::Keyed(keys)) => keyed_instances(b, keys),
                None => vec![b],
            })
            .collect();
    }
}

/// The (key, value) pairs a `for_each` makes instances of: a map's
/// entries, or a set of strings' (each its own key); none for a value
/// Terraform does not repeat over.
pub(super) fn pairs(for_each: &Value) -> Option<Vec<(String, Value)>> {
    match for_each {
        Value::Map(entries) => Some(entries.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Value::List(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Some((s.clone(), v.clone())),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// `block` once per element of `for_each`, each with a `for_each` of its
/// one element and `each` read as it.
fn instances(block: Block, for_each: &Value) -> Vec<Block> {
    let Some(pairs) = pairs(for_each) else {
        return vec![block];
    };
    pairs
        .into_iter()
        .map(|(k, v)| {
            let mut made = block.clone();
            let key = Value::String(k.clone());
            each_expr(&mut made, &mut |e| bind(e, "each", (&key, Element::Value(&v))));
            set_for_each(&mut made, |span| {
                literal(&Value::Map(BTreeMap::from([(k.clone(), v.clone())])), span)
            });
            made
        })
        .collect()
}

/// `block` once per key of its `for_each`, each element read as
/// `(FOR_EACH)["KEY"]`.
fn keyed_instances(block: Block, keys: &[String]) -> Vec<Block> {
    let Some(for_each) = super::repetition(&block).cloned() else {
        return vec![block];
    };
    keys.iter()
        .map(|k| {
            let element = element(&for_each, k);
            let mut made = block.clone();
            let key = Value::String(k.clone());
            each_expr(&mut made, &mut |e| {
                bind(e, "each", (&key, Element::Expr(&element)))
            });
            set_for_each(&mut made, |span| Expr {
                kind: ExprKind::Map(vec![MapEntry {
                    key: MapKey {
                        name: k.clone(),
                        quoted: true,
                        span,
                        computed: None,
                    },
                    value: element.clone(),
                }]),
                span,
            });
            made
        })
        .collect()
}

/// The element of key `key` of `for_each`: `(FOR_EACH)["KEY"]`.
pub(super) fn element(for_each: &Expr, key: &str) -> Expr {
    let span = for_each.span;
    Expr {
        kind: ExprKind::Postfix(
            Box::new(Expr {
                kind: ExprKind::Paren(Box::new(for_each.clone())),
                span,
            }),
            vec![Step::Index(Box::new(text(key, span)))],
        ),
        span,
    }
}

/// `block`'s `for_each` replaced by what `make` makes at its span.
fn set_for_each(block: &mut Block, make: impl Fn(Span) -> Expr) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == "for_each"
        {
            a.value = make(a.value.span);
        }
    }
}

/// The string literal `s` at `span`.
fn text(s: &str, span: Span) -> Expr {
    Expr {
        kind: ExprKind::String(vec![StrPart::Lit(s.to_owned())]),
        span,
    }
}

#[cfg(test)]
mod tests {
    use berth_provider::Value;

    use crate::stack::DesiredValue;
    use crate::test_support::resources;

    /// terraform-aws-modules/alb's target groups: `dynamic "stickiness"`
    /// over `each.value.stickiness`, on for one instance only.
    #[test]
    fn dynamic_blocks_over_each_value_are_made_per_instance() {
        let text = r#"
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
variable "tgs" {
  default = {
    a = { port = 80, stickiness = { type = "lb_cookie", cookie_duration = 600 } }
    b = { port = 81, stickiness = null }
  }
}
resource "aws_lb_target_group" "this" {
  for_each    = var.tgs
  vpc_id      = aws_vpc.main.id
  port        = each.value.port
  protocol    = "HTTP"
  target_type = "ip"
  dynamic "stickiness" {
    for_each = each.value.stickiness != null ? [each.value.stickiness] : []
    content {
      type            = stickiness.value.type
      cookie_duration = stickiness.value.cookie_duration
    }
  }
}
output "arns" { value = { for k, v in aws_lb_target_group.this : k => v.arn } }
"#;
        let all = resources(text);
        let int = |n| DesiredValue::Known(Value::Int(n));
        let a = &all[r#"target_group.this["a"]"#];
        let b = &all[r#"target_group.this["b"]"#];
        assert_eq!(a.attrs.get("stickiness"), Some(&int(600)));
        assert_eq!(b.attrs.get("stickiness"), None);
        assert_eq!(b.attrs.get("port"), Some(&int(81)));
    }

    /// complete-alb's listeners hold the certificate the same root makes:
    /// the keys are known, an element only in part; each instance reads
    /// its element from the map and its dynamic blocks are still decided
    /// (E0536, no default action, before).
    #[test]
    fn elements_holding_what_only_aws_knows_are_read_per_key() {
        let text = r#"
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
locals {
  groups = {
    a = { port = 80, tags = { vpc = aws_vpc.main.id, cidr = aws_vpc.main.cidr_block }, stickiness = null }
    b = { port = 81, tags = {}, stickiness = { type = "lb_cookie", cookie_duration = 60 } }
  }
}
resource "aws_lb_target_group" "this" {
  for_each    = local.groups
  vpc_id      = aws_vpc.main.id
  port        = each.value.port
  protocol    = "HTTP"
  target_type = "ip"
  tags        = each.value.tags
  dynamic "stickiness" {
    for_each = each.value.stickiness != null ? [each.value.stickiness] : []
    content {
      type            = stickiness.value.type
      cookie_duration = stickiness.value.cookie_duration
    }
  }
}
"#;
        let all = resources(text);
        let int = |n| DesiredValue::Known(Value::Int(n));
        assert_eq!(all[r#"target_group.this["a"]"#].attrs.get("stickiness"), None);
        assert_eq!(
            all[r#"target_group.this["b"]"#].attrs.get("stickiness"),
            Some(&int(60))
        );
        assert!(matches!(
            all[r#"target_group.this["a"]"#].attrs.get("tags"),
            Some(DesiredValue::Map(_))
        ));
    }
}
