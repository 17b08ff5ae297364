//! Terraform names a VPC's main route table and default network ACL by
//! the VPC's attribute that holds its id (`default_route_table_id =
//! aws_vpc.main.default_route_table_id`); berth names the VPC
//! (`vpc = vpc.main`) and finds the part itself. terraform-aws-modules/vpc
//! also writes the default ACL's `subnet_ids = null` and ignores changes
//! to it: berth moves no subnet between ACLs, so both are taken and left
//! out.

use super::CODE;
use crate::check::declare::LIFECYCLE;
use crate::check::ignore_changes::IGNORE_CHANGES;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, ExprKind, Item, Step};

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
                    .help("every subnet berth makes uses its VPC's default ACL; leave `subnet_ids` out"),
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
