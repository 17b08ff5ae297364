//! Terraform's listener actions and rule conditions:
//!
//! - `default_action { type = "forward"  target_group_arn = X }` in a
//!   `listener` is `default = X`; `action { ... }` in a listener's `rule`
//!   or a `listener_rule` is `forward = X`;
//! - `forward { target_group { arn  weight }  stickiness { enabled  duration } }`
//!   is `weighted_forward` blocks and `forward_stickiness`;
//! - `type = "redirect"` with its `redirect { }` and `type =
//!   "fixed-response"` with its `fixed_response { }` (whose `message_body`
//!   is `body`) are berth's blocks of the same names;
//! - `condition { path_pattern { values } }` is `paths`, `host_header`
//!   `hosts`, `http_request_method` `methods`, `source_ip` `source_ips`;
//!   `http_header { http_header_name  values }` is a `header` block and
//!   `query_string { key  value }` a `query` block; AWS provider 2's
//!   `condition { field = "path-pattern"  values }` is read too.

use super::{CODE, block, item_name, literal, renamed, stray};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Attribute, Block, Expr, ExprKind, Ident, Item, Label, StrPart, Traversal};

/// A listener's default action and its rules'.
pub(super) fn listener(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    rewrite_body(block, Owner::Listener, diags);
    for item in &mut block.body {
        if let Item::Block(rule) = item
            && rule.kind.name == "rule"
        {
            rewrite_body(rule, Owner::Rule, diags);
        }
    }
}

/// A `listener_rule`'s action and conditions.
pub(super) fn rule(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    rewrite_body(block, Owner::Rule, diags);
}

/// Whose action it is: a listener's default, or a rule's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Listener,
    Rule,
}

impl Owner {
    /// Terraform's name of the action block.
    fn action_block(self) -> &'static str {
        match self {
            Owner::Listener => "default_action",
            Owner::Rule => "action",
        }
    }

    /// berth's attribute naming the target group a forward sends to.
    fn forward_attr(self) -> &'static str {
        match self {
            Owner::Listener => "default",
            Owner::Rule => "forward",
        }
    }

    /// Whether `block` is one this rewrite replaces.
    fn rewrites(self, block: &Block) -> bool {
        block.kind.name == self.action_block() || (self == Owner::Rule && block.kind.name == "condition")
    }
}

fn rewrite_body(block: &mut Block, owner: Owner, diags: &mut Vec<Diagnostic>) {
    if !block
        .body
        .iter()
        .any(|item| matches!(item, Item::Block(b) if owner.rewrites(b)))
    {
        return;
    }
    // The conditions AWS takes once a rule, by berth's attribute.
    let mut once: Vec<(&'static str, Span)> = Vec::new();
    for item in std::mem::take(&mut block.body) {
        match item {
            Item::Block(b) if b.kind.name == owner.action_block() => {
                block.body.extend(action(b, owner, diags));
            }
            Item::Block(b) if owner == Owner::Rule && b.kind.name == "condition" => {
                block.body.extend(condition(b, &mut once, diags));
            }
            other => block.body.push(other),
        }
    }
}

const ACTION_TYPES: [&str; 3] = ["forward", "redirect", "fixed-response"];

fn action(b: Block, owner: Owner, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let header = b.kind.span;
    let mut kind = None;
    let mut rest = Vec::new();
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "type" => match literal(&a.value) {
                Some(t) => kind = Some((t.to_string(), a.value.span)),
                None => {
                    diags.push(
                        Diagnostic::error(CODE, "an action's `type` is written as text", a.value.span)
                            .label("not a string literal")
                            .help("write `type = \"forward\"`, `\"redirect\"` or `\"fixed-response\"`"),
                    );
                    return Vec::new();
                }
            },
            // ELB's `Order` places an action among several; berth writes
            // one action a rule, so there is nothing to place.
            Item::Attribute(a) if a.name.name == "order" => {}
            other => rest.push(other),
        }
    }
    let Some((kind, span)) = kind else {
        diags.push(
            Diagnostic::error(CODE, format!("`{}` needs a `type`", owner.action_block()), header)
                .label("no `type`")
                .help("add `type = \"forward\"`, `\"redirect\"` or `\"fixed-response\"`"),
        );
        return Vec::new();
    };
    let what = format!("a `{kind}` action");
    match kind.as_str() {
        "forward" => forward(rest, owner, &what, diags),
        "redirect" => one_block(rest, "redirect", &what, diags)
            .map(|r| vec![block("redirect", r, &[])])
            .unwrap_or_default(),
        "fixed-response" => one_block(rest, "fixed_response", &what, diags)
            .map(|mut r| {
                r.body.iter_mut().for_each(status_as_number);
                vec![block("fixed_response", r, &[("message_body", "body")])]
            })
            .unwrap_or_default(),
        "authenticate-oidc" | "authenticate-cognito" => {
            diags.push(
                Diagnostic::error(CODE, format!("berth does not write `{kind}` actions"), span)
                    .label("an authentication action")
                    .help("keep this rule in the tool that owns it, and name its listener by ARN"),
            );
            Vec::new()
        }
        other => {
            let d = Diagnostic::error(CODE, format!("unknown action type `{other}`"), span)
                .label("not an ELB action");
            diags.push(match did_you_mean(other, ACTION_TYPES) {
                Some(h) => d.help(h),
                None => d.help("the types are `forward`, `redirect` and `fixed-response`"),
            });
            Vec::new()
        }
    }
}

/// Terraform's `fixed_response` takes its `status_code` as a string
/// (`"503"`), where berth's is a number.
fn status_as_number(item: &mut Item) {
    if let Item::Attribute(a) = item
        && a.name.name == "status_code"
        && let Some(code) = literal(&a.value).and_then(|s| s.parse::<i64>().ok())
    {
        a.value.kind = ExprKind::Int(code);
    }
}

fn forward(items: Vec<Item>, owner: Owner, what: &str, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Attribute(a) if a.name.name == "target_group_arn" => {
                out.push(Item::Attribute(renamed(a, owner.forward_attr())));
            }
            Item::Block(b) if b.kind.name == "forward" => out.extend(weighted(b, diags)),
            other => diags.push(stray(&other, what, "`target_group_arn` or a `forward { }` block")),
        }
    }
    out
}

/// `forward { target_group { arn  weight } ...  stickiness { } }`.
fn weighted(b: Block, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut out = Vec::new();
    for item in b.body {
        match item {
            Item::Block(tg) if tg.kind.name == "target_group" => {
                out.push(block("weighted_forward", tg, &[("arn", "target_group")]));
            }
            // mineiros' listener module: `dynamic "target_group" { for_each
            // = forward.value.target_group  content { arn  weight } }`.
            Item::Block(d) if is_dynamic_of(&d, "target_group") => out.push(dynamic_weighted(d)),
            Item::Block(s) if s.kind.name == "stickiness" => out.extend(stickiness(s, diags)),
            other => diags.push(stray(
                &other,
                "a `forward { }` block",
                "`target_group { arn  weight }` blocks and a `stickiness { enabled  duration }` block",
            )),
        }
    }
    out
}

/// Whether `b` is `dynamic "NAME" { }`.
fn is_dynamic_of(b: &Block, name: &str) -> bool {
    b.kind.name == crate::check::dynamic::DYNAMIC
        && matches!(&b.label, Some(Label::String(e)) if literal(e) == Some(name))
}

/// `dynamic "target_group" { ... content { arn  weight } }` as `dynamic
/// "weighted_forward"`, its content's `arn` berth's `target_group`; its
/// content still reads the element as `target_group` (an `iterator` says
/// so where none was written).
fn dynamic_weighted(mut d: Block) -> Item {
    let label_span = match &d.label {
        Some(Label::String(e)) => e.span,
        _ => d.kind.span,
    };
    let named = d
        .body
        .iter()
        .any(|i| matches!(i, Item::Attribute(a) if a.name.name == "iterator"));
    if !named {
        d.body.push(Item::Attribute(Attribute {
            name: Ident {
                name: "iterator".into(),
                span: label_span,
            },
            value: Expr {
                kind: ExprKind::Traversal(Traversal {
                    root: Ident {
                        name: "target_group".into(),
                        span: label_span,
                    },
                    steps: Vec::new(),
                }),
                span: label_span,
            },
            span: label_span,
        }));
    }
    d.label = Some(Label::String(Expr {
        kind: ExprKind::String(vec![StrPart::Lit("weighted_forward".into())]),
        span: label_span,
    }));
    let contents = d.body.iter_mut().filter_map(|item| match item {
        Item::Block(b) if b.kind.name == crate::check::dynamic::CONTENT => Some(b),
        _ => None,
    });
    for setting in contents.flat_map(|c| &mut c.body) {
        if let Item::Attribute(a) = setting
            && a.name.name == "arn"
        {
            a.name.name = "target_group".into();
        }
    }
    Item::Block(d)
}

/// `stickiness { enabled  duration }` as `forward_stickiness`: the
/// duration when enabled, nothing when not.
fn stickiness(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let mut enabled = None;
    let mut duration = None;
    let (header, whole) = (b.kind.span, b.span);
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "enabled" => enabled = Some(a.value),
            Item::Attribute(a) if a.name.name == "duration" => duration = Some(a),
            other => diags.push(stray(
                &other,
                "a `stickiness { }` block",
                "`enabled` and `duration`",
            )),
        }
    }
    let value = match enabled.map(|e| (e.kind, e.span)) {
        None | Some((ExprKind::Bool(false), _)) => return None,
        Some((ExprKind::Bool(true), _)) => duration.as_ref().map(|d| d.value.clone()),
        // Known only once evaluated: the duration, or no stickiness.
        Some((cond, span)) => duration.as_ref().map(|d| Expr {
            span: span.to(d.value.span),
            kind: ExprKind::Conditional(
                Box::new(Expr { kind: cond, span }),
                Box::new(d.value.clone()),
                Box::new(Expr {
                    kind: ExprKind::Null,
                    span: d.value.span,
                }),
            ),
        }),
    };
    let Some(value) = value else {
        diags.push(
            Diagnostic::error(CODE, "enabled stickiness needs a `duration`", header)
                .label("no `duration`")
                .help("add `duration = 3600`: the seconds a client keeps its target group"),
        );
        return None;
    };
    let name = duration.map_or(header, |d| d.name.span);
    Some(Item::Attribute(Attribute {
        name: Ident {
            name: "forward_stickiness".into(),
            span: name,
        },
        value,
        span: whole,
    }))
}

/// The one block named `name` that an action of `what` holds.
fn one_block(items: Vec<Item>, name: &str, what: &str, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let mut found = None;
    for item in items {
        match item {
            Item::Block(b) if b.kind.name == name && found.is_none() => found = Some(b),
            other => diags.push(stray(&other, what, &format!("one `{name} {{ }}` block"))),
        }
    }
    found
}

/// A condition AWS takes once a rule, holding a list of `values`:
/// Terraform's block name, berth's attribute and ELB's field name.
const LISTS: [(&str, &str, &str); 4] = [
    ("path_pattern", "paths", "path-pattern"),
    ("host_header", "hosts", "host-header"),
    ("http_request_method", "methods", "http-request-method"),
    ("source_ip", "source_ips", "source-ip"),
];

fn condition(b: Block, once: &mut Vec<(&'static str, Span)>, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut out = Vec::new();
    let mut field = None;
    let mut values = None;
    let (header, empty) = (b.kind.span, b.body.is_empty());
    for item in b.body {
        match item {
            Item::Block(c) if regex_refused(&c, diags) => {}
            Item::Block(c) => match LISTS.iter().find(|(tf, _, _)| c.kind.name == *tf) {
                Some(&(tf, attr, _)) => {
                    let span = c.kind.span;
                    if let Some(value) = values_of(c, diags) {
                        out.extend(list_condition(tf, attr, value, span, once, diags));
                    }
                }
                None if c.kind.name == "http_header" => {
                    out.push(block("header", c, &[("http_header_name", "name")]));
                }
                None if c.kind.name == "query_string" => out.push(block("query", c, &[])),
                None => {
                    let names = LISTS.iter().map(|l| l.0).chain(["http_header", "query_string"]);
                    let d =
                        Diagnostic::error(CODE, format!("unknown condition `{}`", c.kind.name), c.kind.span)
                            .label("not an ELB condition");
                    diags.push(match did_you_mean(&c.kind.name, names) {
                        Some(h) => d.help(h),
                        None => d.help(
                            "the conditions are `path_pattern`, `host_header`, `http_header`, \
                             `http_request_method`, `query_string` and `source_ip`",
                        ),
                    });
                }
            },
            Item::Attribute(a) if a.name.name == "field" => field = Some(a),
            Item::Attribute(a) if a.name.name == "values" => values = Some(a),
            other => diags.push(stray(
                &other,
                "a `condition` block",
                "one of `path_pattern { }`, `host_header { }`, `http_header { }`, \
                 `http_request_method { }`, `query_string { }` or `source_ip { }`",
            )),
        }
    }
    match (field, values) {
        (Some(f), Some(v)) => match literal(&f.value).and_then(|name| LISTS.iter().find(|l| l.2 == name)) {
            Some(&(tf, attr, _)) => out.extend(list_condition(tf, attr, v.value, f.value.span, once, diags)),
            None => diags.push(
                Diagnostic::error(CODE, "this `field` has no `values` form", f.value.span)
                    .label("not `path-pattern`, `host-header`, `http-request-method` or `source-ip`")
                    .help(
                        "write the condition as its block, e.g. `http_header { http_header_name  values }`",
                    ),
            ),
        },
        (Some(a), None) | (None, Some(a)) => diags.push(
            Diagnostic::error(CODE, "`field` and `values` go together", a.name.span)
                .label(format!("`{}` without the other", a.name.name))
                .help("write `field = \"path-pattern\"  values = [...]`, or the condition's block"),
        ),
        (None, None) if empty => diags.push(
            Diagnostic::error(CODE, "an empty `condition` block", header)
                .label("no condition")
                .help("add e.g. `path_pattern { values = [\"/api/*\"] }`"),
        ),
        (None, None) => {}
    }
    out
}

/// E0211 for ELB's regex match (`regex_values`, AWS provider 6's in
/// `host_header`, `path_pattern` and `http_header`), not written yet: the
/// one error of the condition, which is then left out.
fn regex_refused(c: &Block, diags: &mut Vec<Diagnostic>) -> bool {
    let Some(span) = c.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "regex_values" => Some(a.name.span),
        _ => None,
    }) else {
        return false;
    };
    diags.push(
        Diagnostic::error(CODE, "regex conditions are not written yet", span)
            .label(format!("ELB's RegexValues in `{}`", c.kind.name))
            .help("match with `values` (`*` and `?` wildcards), or keep the rule outside berth"),
    );
    true
}

/// The `values` of a condition block such as `path_pattern { values }`.
fn values_of(c: Block, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    let mut values = None;
    let mut stray_items = false;
    for item in c.body {
        match item {
            Item::Attribute(a) if a.name.name == "values" => values = Some(a.value),
            other => {
                stray_items = true;
                let d = stray(&other, &format!("`{}`", c.kind.name), "`values`");
                diags.push(match did_you_mean(item_name(&other).0, ["values"]) {
                    Some(h) => d.help(h),
                    None => d,
                });
            }
        }
    }
    // A misspelt `values` is the one error, not also a missing one.
    if values.is_none() && !stray_items {
        diags.push(
            Diagnostic::error(CODE, format!("`{}` needs `values`", c.kind.name), c.kind.span)
                .label("no `values`")
                .help("add `values = [...]`"),
        );
    }
    values
}

/// `attr = value`, unless the rule already has the condition (AWS takes
/// one of each list condition a rule).
fn list_condition(
    tf: &str,
    attr: &'static str,
    value: Expr,
    at: Span,
    once: &mut Vec<(&'static str, Span)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Item> {
    if let Some(&(_, first)) = once.iter().find(|(a, _)| *a == attr) {
        diags.push(
            Diagnostic::error(CODE, format!("a rule has one `{tf}` condition"), at)
                .label("another one")
                .also(first, "first here")
                .help("put every value in the first one's `values` (AWS matches any of them)"),
        );
        return None;
    }
    once.push((attr, at));
    Some(Item::Attribute(Attribute {
        name: Ident {
            name: attr.into(),
            span: at,
        },
        span: at.to(value.span),
        value,
    }))
}
