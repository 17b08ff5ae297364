//! A `dynamic "ingress"` (or `"egress"`) block of a security group whose
//! `content` writes its sources as Terraform modules do: lists known only
//! once evaluated (`cidr_blocks = compact(split(",", lookup(ingress.value,
//! "cidr_blocks", "")))`) and `self` as an expression
//! (`lookup(ingress.value, "self", null)`), as terraform-aws-modules/vpc
//! writes its default security group. A berth rule has one source, so the
//! block becomes a `dynamic` block over every pair of an element and one
//! of its sources:
//!
//! ```text
//! dynamic "ingress" {
//!   for_each = flatten([for ingress in [for k, v in FOR_EACH : { key = k, value = v }] : concat(
//!     [for s in CIDR_BLOCKS : { rule = ingress, cidr = s, from = null, prefix_list = null, self = false }],
//!     ...
//!     tobool(SELF) == true ? [{ rule = ingress, cidr = null, ..., self = true }] : [],
//!   )])
//!   iterator = source
//!   content {
//!     (its other settings, reading `ingress.` as `source.value.rule.`)
//!     cidr        = source.value.cidr
//!     prefix_list = source.value.prefix_list
//!     from        = source.value.self ? GROUP : source.value.from
//!   }
//! }
//! ```
//!
//! An element listing no source makes no rule (AWS takes none without
//! one). `tobool` reads `self` as Terraform converts it: a module's
//! `list(map(string))` holds `"true"`.

use super::CODE;
use super::rules::{SELF, SOURCES};
use crate::check::dynamic::{CONTENT, parts};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{
    Attribute, BinaryOp, Block, Call, Expr, ExprKind, ForExpr, ForResult, Ident, Item, MapEntry, MapKey,
    Step, Traversal,
};

/// What the rewritten block calls each pair.
const PAIR: &str = "source";
/// What the pair's inner `for` calls each source of a list.
const EACH: &str = "source_element";
/// The pair's keys besides `rule` and `self`: berth's sources.
const KEYS: [&str; 3] = ["cidr", "from", "prefix_list"];

/// Whether the `content` of a dynamic rule block lists sources that one
/// rule cannot hold: a list not written out, more than one source, or
/// `self` not written `true` or `false`.
pub(super) fn needs_pairs(content: &Block) -> bool {
    let mut count = 0;
    for item in &content.body {
        let Item::Attribute(a) = item else { continue };
        if SOURCES.iter().any(|(tf, _)| a.name.name == *tf) {
            match &a.value.kind {
                ExprKind::List(items) => count += items.len(),
                _ => return true,
            }
        } else if a.name.name == SELF {
            match a.value.kind {
                ExprKind::Bool(true) => count += 1,
                ExprKind::Bool(false) => {}
                _ => return true,
            }
        }
    }
    count > 1
}

/// Rewrites the dynamic rule block `d` of the group `me` (its own
/// reference) into one over pairs of an element and a source.
pub(super) fn pairs(d: &mut Block, me: Option<&Expr>, diags: &mut Vec<Diagnostic>) {
    let Some(dynamic) = parts(d, &mut Vec::new()) else {
        return;
    };
    let iterator = dynamic.iterator.to_owned();
    let for_each = dynamic.for_each.clone();
    let Some(at) = d
        .body
        .iter()
        .position(|i| matches!(i, Item::Block(b) if b.kind.name == CONTENT))
    else {
        return;
    };
    let Item::Block(content) = &mut d.body[at] else {
        return;
    };
    let span = content.span;
    let b = Build { at: span };
    let mut lists = Vec::new();
    let mut body = Vec::new();
    let mut self_expr = None;
    for item in std::mem::take(&mut content.body) {
        match item {
            Item::Attribute(a) if a.name.name == SELF => self_expr = Some(a),
            Item::Attribute(a) => match SOURCES.iter().find(|(tf, _)| a.name.name == *tf) {
                Some((_, key)) => lists.push(b.each_source(&iterator, key, a.value)),
                None => body.push(Item::Attribute(a)),
            },
            other => body.push(other),
        }
    }
    let mut from = b.path(PAIR, &["value", "from"]);
    if let Some(s) = self_expr {
        let pair = b.list(vec![b.pair(&iterator, None)]);
        match (&s.value.kind, me) {
            (ExprKind::Bool(false), _) => {}
            (ExprKind::Bool(true), Some(_)) => lists.push(pair),
            (_, Some(_)) => {
                let when = b.eq(
                    b.call("tobool", vec![s.value.clone()]),
                    b.expr(ExprKind::Bool(true)),
                );
                lists.push(b.cond(when, pair, b.list(Vec::new())));
            }
            (_, None) => diags.push(
                Diagnostic::error(CODE, "`self` needs the group's name", s.name.span)
                    .label("no group to name")
                    .help("write `from = security_group.NAME`"),
            ),
        }
        if let Some(me) = me {
            from = b.cond(b.path(PAIR, &["value", "self"]), me.clone(), from);
        }
    }
    for item in &mut body {
        if let Item::Attribute(a) = item {
            rebase(&mut a.value, &iterator);
        }
    }
    for key in KEYS {
        let value = if key == "from" {
            from.clone()
        } else {
            b.path(PAIR, &["value", key])
        };
        body.push(b.attribute(key, value));
    }
    content.body = body;
    let elements = b.for_list(
        Some("k"),
        "v",
        for_each,
        b.map(vec![("key", b.path("k", &[])), ("value", b.path("v", &[]))]),
    );
    let pairs = b.call(
        "flatten",
        vec![b.for_list(None, &iterator, elements, b.call("concat", lists))],
    );
    d.body.retain(
        |i| !matches!(i, Item::Attribute(a) if a.name.name == "for_each" || a.name.name == "iterator"),
    );
    d.body.insert(0, b.attribute("iterator", b.path(PAIR, &[])));
    d.body.insert(0, b.attribute("for_each", pairs));
}

/// `e` with the element read through the pair: `ITERATOR.REST` is
/// `source.value.rule.REST`.
fn rebase(e: &mut Expr, iterator: &str) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == iterator
    {
        let span = t.root.span;
        t.root.name = PAIR.into();
        let step = |name: &str| {
            Step::Attr(Ident {
                name: name.into(),
                span,
            })
        };
        t.steps.splice(0..0, [step("value"), step("rule")]);
    }
    super::each_child(e, &mut |child| rebase(child, iterator));
}

/// Builds expressions, all at one span (the `content` they replace).
pub(super) struct Build {
    pub(super) at: Span,
}

impl Build {
    pub(super) fn expr(&self, kind: ExprKind) -> Expr {
        Expr { kind, span: self.at }
    }

    pub(super) fn ident(&self, name: &str) -> Ident {
        Ident {
            name: name.into(),
            span: self.at,
        }
    }

    pub(super) fn path(&self, root: &str, steps: &[&str]) -> Expr {
        self.expr(ExprKind::Traversal(Traversal {
            root: self.ident(root),
            steps: steps.iter().map(|s| Step::Attr(self.ident(s))).collect(),
        }))
    }

    pub(super) fn call(&self, name: &str, args: Vec<Expr>) -> Expr {
        self.expr(ExprKind::Call(Call {
            name: self.ident(name),
            args,
            expand: false,
        }))
    }

    pub(super) fn list(&self, items: Vec<Expr>) -> Expr {
        self.expr(ExprKind::List(items))
    }

    fn map(&self, entries: Vec<(&str, Expr)>) -> Expr {
        self.expr(ExprKind::Map(
            entries
                .into_iter()
                .map(|(key, value)| MapEntry {
                    key: MapKey {
                        name: key.into(),
                        quoted: false,
                        span: self.at,
                        computed: None,
                    },
                    value,
                })
                .collect(),
        ))
    }

    fn eq(&self, a: Expr, b: Expr) -> Expr {
        self.expr(ExprKind::Binary(BinaryOp::Eq, Box::new(a), Box::new(b)))
    }

    fn cond(&self, when: Expr, then: Expr, otherwise: Expr) -> Expr {
        self.expr(ExprKind::Conditional(
            Box::new(when),
            Box::new(then),
            Box::new(otherwise),
        ))
    }

    fn for_list(&self, key: Option<&str>, value: &str, collection: Expr, result: Expr) -> Expr {
        self.expr(ExprKind::For(Box::new(ForExpr {
            key: key.map(|k| self.ident(k)),
            value: self.ident(value),
            collection,
            result: ForResult::List(result),
            cond: None,
        })))
    }

    pub(super) fn attribute(&self, name: &str, value: Expr) -> Item {
        Item::Attribute(Attribute {
            name: self.ident(name),
            value,
            span: self.at,
        })
    }

    /// `{ rule = ITERATOR, cidr, from, prefix_list, self }`: the pair of
    /// the element and one source, `key` = `value` (none: `self`).
    fn pair(&self, iterator: &str, source: Option<(&str, Expr)>) -> Expr {
        let null = || self.expr(ExprKind::Null);
        let mut entries = vec![("rule", self.path(iterator, &[]))];
        for key in KEYS {
            let value = match &source {
                Some((k, v)) if *k == key => v.clone(),
                _ => null(),
            };
            entries.push((key, value));
        }
        entries.push(("self", self.expr(ExprKind::Bool(source.is_none()))));
        self.map(entries)
    }

    /// `[for s in LIST : PAIR]`: a pair for each source of a Terraform
    /// list, as berth's `key`.
    fn each_source(&self, iterator: &str, key: &str, list: Expr) -> Expr {
        let element = self.path(EACH, &[]);
        self.for_list(None, EACH, list, self.pair(iterator, Some((key, element))))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// terraform-aws-modules/vpc's default group, as the module writes it:
    /// its lists and `self` known only once evaluated were "a `dynamic`
    /// block's `content` has one source" and "`self` is written `true` or
    /// `false`" (E0211).
    #[test]
    fn a_modules_dynamic_rules_are_one_rule_per_element_and_source() {
        let module = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
variable "ingress" {
  type = list(map(string))
  default = [
    { self = true },
    { cidr_blocks = "10.0.0.0/8,192.168.0.0/16", from_port = 443, to_port = 443, protocol = "tcp" },
    { security_groups = "sg-0123456789abcdef0", self = "false", protocol = "tcp", from_port = 80, to_port = 80 },
    { description = "no source: no rule" },
  ]
}
default_security_group this {
  count  = 1
  vpc_id = vpc.main.id
  dynamic "ingress" {
    for_each = var.ingress
    iterator = rule
    content {
      self            = lookup(rule.value, "self", null)
      cidr_blocks     = compact(split(",", lookup(rule.value, "cidr_blocks", "")))
      security_groups = compact(split(",", lookup(rule.value, "security_groups", "")))
      from_port       = lookup(rule.value, "from_port", 0)
      to_port         = lookup(rule.value, "to_port", 0)
      protocol        = lookup(rule.value, "protocol", "-1")
      description     = "rule ${rule.key}"
    }
  }
}
"#,
        );
        // Each pair's other sources are null, as a rule's unset ones.
        let berth = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
default_security_group this {
  count = 1
  vpc   = vpc.main
  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr        = null
    prefix_list = null
    from        = default_security_group.this[count.index]
    description = "rule 0"
  }
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr        = "10.0.0.0/8"
    prefix_list = null
    from        = null
    description = "rule 1"
  }
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr        = "192.168.0.0/16"
    prefix_list = null
    from        = null
    description = "rule 1"
  }
  ingress {
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr        = null
    prefix_list = null
    from        = "sg-0123456789abcdef0"
    description = "rule 2"
  }
}
"#,
        );
        assert_eq!(module, berth);
    }
}
