//! Terraform's "attributes as blocks": a security group's, route table's
//! or network ACL's rules written as a list of objects (`ingress = [{
//! from_port = 80 ... }]`, `egress = []`), as its provider documents them
//! beside the nested blocks. Each object is the block it stands for; an
//! empty list is no rules, and on a security group `egress = []` lets
//! nothing out (`default_egress = false`), as Terraform means it. A
//! security group's list that is not written out (`ingress =
//! var.ingress_rules`, as modules pass it) is a `dynamic` block over it,
//! each setting read with `lookup` (a list left out is empty, `self`
//! false), whose sources then make one rule each.

use super::CODE;
use super::dynamic_rules::Build;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Attribute, Block, Expr, ExprKind, Item, Label, MapEntry, StrPart};

/// A security group rule's settings in Terraform's object, and what one
/// left out is.
const RULE_SETTINGS: [(&str, Default); 9] = [
    ("description", Default::Null),
    ("from_port", Default::Null),
    ("to_port", Default::Null),
    ("protocol", Default::Null),
    ("cidr_blocks", Default::Empty),
    ("ipv6_cidr_blocks", Default::Empty),
    ("prefix_list_ids", Default::Empty),
    ("security_groups", Default::Empty),
    ("self", Default::False),
];

/// What a setting left out of a rule's object is.
#[derive(Clone, Copy)]
enum Default {
    Null,
    Empty,
    False,
}

/// The kinds whose rules Terraform takes as attributes, and those rules.
const LISTS: [(&str, &[&str]); 6] = [
    ("security_group", &["ingress", "egress"]),
    ("default_security_group", &["ingress", "egress"]),
    ("route_table", &["route"]),
    ("default_route_table", &["route"]),
    ("network_acl", &["ingress", "egress"]),
    ("default_network_acl", &["ingress", "egress"]),
];

/// Rewrites `block`'s rules written as lists of objects into blocks; a
/// list that is not written out (`ingress = var.rules`) is an E0211.
pub(super) fn resource(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let Some((_, names)) = LISTS.iter().find(|(kind, _)| *kind == block.kind.name) else {
        return;
    };
    let written = block
        .body
        .iter()
        .any(|i| matches!(i, Item::Attribute(a) if names.contains(&a.name.name.as_str())));
    if !written {
        return;
    }
    let group = block.kind.name == "security_group";
    let groups = group || block.kind.name == "default_security_group";
    for item in std::mem::take(&mut block.body) {
        match item {
            Item::Attribute(a) if names.contains(&a.name.name.as_str()) => {
                if groups && !matches!(a.value.kind, ExprKind::List(_)) {
                    block.body.push(dynamic(a));
                } else {
                    block.body.extend(rules(a, group, diags));
                }
            }
            other => block.body.push(other),
        }
    }
}

/// The blocks of one `NAME = [{ ... }, ...]` attribute.
fn rules(a: Attribute, group: bool, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let name = a.name;
    let ExprKind::List(objects) = a.value.kind else {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("`{} = ...` takes its rules written out, `[{{ ... }}, ...]`", name.name),
                a.value.span,
            )
            .label("not a list written out")
            .help(format!(
                "write each rule as its own `{0} {{ }}` block, or `dynamic \"{0}\" {{ for_each = ...  content {{ ... }} }}` over this list",
                name.name
            )),
        );
        return Vec::new();
    };
    if objects.is_empty() && group && name.name == "egress" {
        let no = Expr {
            kind: ExprKind::Bool(false),
            span: a.value.span,
        };
        return vec![super::attribute("default_egress", no, name.span)];
    }
    objects
        .into_iter()
        .filter_map(|object| match object.kind {
            ExprKind::Map(entries) => Some(Item::Block(Block {
                kind: name.clone(),
                subkind: None,
                label: None,
                body: entries.into_iter().filter_map(|e| setting(e, diags)).collect(),
                span: object.span,
            })),
            _ => {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("a rule of `{}` is an object", name.name),
                        object.span,
                    )
                    .label("not `{ ... }`")
                    .help("write the rule's settings in braces, `{ from_port = 80, ... }`"),
                );
                None
            }
        })
        .collect()
}

/// `dynamic "NAME" { for_each = LIST  content { SETTING =
/// lookup(NAME.value, "SETTING", LEFT_OUT) ... } }` of a security group's
/// rules given as a list `a` that is not written out.
fn dynamic(a: Attribute) -> Item {
    let b = Build { at: a.value.span };
    let name = a.name.name.as_str();
    let settings = RULE_SETTINGS
        .iter()
        .map(|(setting, left_out)| {
            let left_out = match left_out {
                Default::Null => b.expr(ExprKind::Null),
                Default::Empty => b.list(Vec::new()),
                Default::False => b.expr(ExprKind::Bool(false)),
            };
            let key = b.expr(ExprKind::String(vec![StrPart::Lit((*setting).into())]));
            let value = b.call("lookup", vec![b.path(name, &["value"]), key, left_out]);
            b.attribute(setting, value)
        })
        .collect();
    let content = Block {
        kind: b.ident(crate::check::dynamic::CONTENT),
        subkind: None,
        label: None,
        body: settings,
        span: a.span,
    };
    Item::Block(Block {
        kind: b.ident("dynamic"),
        subkind: None,
        label: Some(Label::Ident(a.name)),
        body: vec![b.attribute("for_each", a.value), Item::Block(content)],
        span: a.span,
    })
}

/// One setting of a rule's object; a computed key is an E0211.
fn setting(entry: MapEntry, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    if entry.key.computed.is_some() {
        diags.push(
            Diagnostic::error(CODE, "a rule's setting is named as written", entry.key.span)
                .label("a computed name")
                .help("write the setting's name, e.g. `from_port = 80`"),
        );
        return None;
    }
    Some(super::attribute(&entry.key.name, entry.value, entry.key.span))
}
