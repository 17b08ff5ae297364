//! Terraform names a VPC's main route table and default network ACL by
//! the VPC's attribute that holds its id (`default_route_table_id =
//! aws_vpc.main.default_route_table_id`); berth names the VPC
//! (`vpc = vpc.main`) and finds the part itself. terraform-aws-modules/vpc
//! also writes the default ACL's `subnet_ids = null` and ignores changes
//! to it: berth moves no subnet between ACLs, so both are taken and left
//! out. Across files, what reads a VPC's part by the VPC's attribute
//! (`aws_vpc.main.default_security_group_id`) reads the block that takes
//! the part over.

use std::collections::BTreeMap;

use super::CODE;
use crate::FileId;
use crate::check::declare::LIFECYCLE;
use crate::check::ignore_changes::IGNORE_CHANGES;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Ident, Item, Label, Step};

/// The default ACL's subnets in Terraform: which subnets it moves to the
/// default ACL.
const SUBNET_IDS: &str = "subnet_ids";

/// Each kind taken over by its VPC's id attribute, and that attribute.
const PARTS: [(&str, &str); 2] = [
    ("default_route_table", "default_route_table_id"),
    ("default_network_acl", "default_network_acl_id"),
];

/// `block`'s Terraform reference to its VPC's attribute, as `vpc`.
pub(super) fn resource(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    if block.kind.name == "default_network_acl" {
        subnets(block, diags);
    }
    let Some((_, attr)) = PARTS.iter().find(|(kind, _)| *kind == block.kind.name) else {
        return;
    };
    block.body.retain_mut(|item| {
        let Item::Attribute(a) = item else { return true };
        if a.name.name != *attr {
            return true;
        }
        match &mut a.value.kind {
            ExprKind::Traversal(t) if matches!(t.steps.last(), Some(Step::Attr(s)) if s.name == *attr) => {
                t.steps.pop();
                a.name.name = "vpc".into();
                true
            }
            _ => {
                diags.push(
                    Diagnostic::error(CODE, format!("`{attr}` is read from the VPC"), a.value.span)
                        .label(format!("not `vpc.NAME.{attr}`"))
                        .help("write `vpc = vpc.NAME`: berth finds the VPC's part itself"),
                );
                false
            }
        }
    });
}

/// Takes out the default ACL's `subnet_ids = null` and `subnet_ids` among
/// its lifecycle's `ignore_changes`; other subnets are an E0211.
fn subnets(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    block.body.retain(|item| match item {
        Item::Attribute(a) if a.name.name == SUBNET_IDS => {
            if !matches!(a.value.kind, ExprKind::Null) {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        "subnets are not moved to the default network ACL",
                        a.value.span,
                    )
                    .label("not `null`")
                    .help(
                        "a subnet no `network_acl` lists uses its VPC's default ACL; leave `subnet_ids` out",
                    ),
                );
            }
            false
        }
        _ => true,
    });
    for item in &mut block.body {
        let Item::Block(lifecycle) = item else { continue };
        if lifecycle.kind.name != LIFECYCLE {
            continue;
        }
        for inner in &mut lifecycle.body {
            if let Item::Attribute(a) = inner
                && a.name.name == IGNORE_CHANGES
                && let ExprKind::List(names) = &mut a.value.kind
            {
                names.retain(|n| !matches!(&n.kind, ExprKind::Traversal(t) if t.root.name == SUBNET_IDS && t.steps.is_empty()));
            }
        }
    }
}

/// Terraform's attributes of a VPC naming one of its parts, and the kind
/// that takes the part over.
const VPC_ATTRS: [(&str, &str); 4] = [
    ("default_security_group_id", "default_security_group"),
    ("default_route_table_id", "default_route_table"),
    ("main_route_table_id", "default_route_table"),
    ("default_network_acl_id", "default_network_acl"),
];

/// A part's block: its name, and whether it is repeated (`count`,
/// `for_each`), so a reference keeps the VPC's index.
type Parts = BTreeMap<(&'static str, String), (String, bool)>;

/// Reads `vpc.NAME.default_security_group_id` (and the main route table's
/// and default ACL's ids) as the `id` of the block that takes that part of
/// `vpc.NAME` over, in whichever of `files`. Where none does the
/// reference is left out (`null`), an E0211 once `complete` (every file of
/// the stack is among `files`; the block may be in one not read yet).
pub(super) fn fold(files: &mut [(FileId, File)], complete: bool, diags: &mut Vec<Diagnostic>) {
    let parts = parts(files);
    let mut missing = Vec::new();
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            super::each_expr(block, &mut |e| read_part(e, &parts, &mut missing));
        }
    }
    if complete {
        diags.extend(missing);
    }
}

/// The stack's part blocks, by kind and the name of the VPC they take
/// from.
fn parts(files: &[(FileId, File)]) -> Parts {
    let mut out = Parts::new();
    for block in files.iter().flat_map(|(_, f)| &f.blocks) {
        let Some((_, kind)) = VPC_ATTRS.iter().find(|(_, k)| *k == block.kind.name) else {
            continue;
        };
        let Some(Label::Ident(name)) = &block.label else {
            continue;
        };
        let mut vpc = None;
        let mut repeated = false;
        for item in &block.body {
            let Item::Attribute(a) = item else { continue };
            match a.name.name.as_str() {
                "vpc" => vpc = vpc_name(&a.value),
                "count" | "for_each" => repeated = true,
                _ => {}
            }
        }
        if let Some(vpc) = vpc {
            out.entry((kind, vpc)).or_insert((name.name.clone(), repeated));
        }
    }
    out
}

/// The VPC `vpc.NAME`, `vpc.NAME.id` or an instance of it names.
fn vpc_name(e: &Expr) -> Option<String> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    match (t.root.name.as_str(), t.steps.first()) {
        ("vpc", Some(Step::Attr(name))) => Some(name.name.clone()),
        _ => None,
    }
}

/// `e`, and every expression in it, reading a VPC's part by the block
/// that takes it over.
fn read_part(e: &mut Expr, parts: &Parts, diags: &mut Vec<Diagnostic>) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == "vpc"
        && let Some(Step::Attr(vpc)) = t.steps.first()
        && let Some(Step::Attr(attr)) = t.steps.last()
        && let Some((_, kind)) = VPC_ATTRS.iter().find(|(a, _)| *a == attr.name)
        && t.steps.len() <= 3
    {
        let index = match t.steps.get(1) {
            Some(Step::Index(i)) if t.steps.len() == 3 => Some(i.clone()),
            _ => None,
        };
        match parts.get(&(*kind, vpc.name.clone())) {
            Some((name, repeated)) => {
                let span = attr.span;
                let ident = |n: &str| Ident { name: n.into(), span };
                let mut steps = vec![Step::Attr(ident(name))];
                if let Some(i) = index.filter(|_| *repeated) {
                    steps.push(Step::Index(i));
                }
                steps.push(Step::Attr(ident("id")));
                t.root = ident(kind);
                t.steps = steps;
            }
            None => {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("`vpc.{}.{}` is read from a `{kind}` block", vpc.name, attr.name),
                        e.span,
                    )
                    .label(format!("no `{kind}` of vpc.{}", vpc.name))
                    .help(format!(
                        "declare `{kind} NAME {{ vpc = vpc.{} }}` and write `{kind}.NAME.id`: berth takes the part over, and its blocks become all it holds (restate AWS's defaults to keep them)",
                        vpc.name
                    )),
                );
                e.kind = ExprKind::Null;
            }
        }
        return;
    }
    super::each_child(e, &mut |child| read_part(child, parts, diags));
}
