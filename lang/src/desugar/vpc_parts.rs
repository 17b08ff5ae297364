//! Terraform names a VPC's main route table by the VPC's attribute that
//! holds its id (`default_route_table_id =
//! aws_vpc.main.default_route_table_id`); berth names the VPC
//! (`vpc = vpc.main`) and finds the table itself.

use super::CODE;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, ExprKind, Item, Step};

/// Each kind taken over by its VPC's id attribute, and that attribute.
const PARTS: [(&str, &str); 1] = [("default_route_table", "default_route_table_id")];

/// `block`'s Terraform reference to its VPC's attribute, as `vpc`.
pub(super) fn resource(block: &mut Block, diags: &mut Vec<Diagnostic>) {
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
                        .help("write `vpc = vpc.NAME`: berth finds the VPC's main route table"),
                );
                false
            }
        }
    });
}
