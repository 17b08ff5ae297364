//! Terraform's alias record to a load balancer of the stack, written as
//! its DNS name and zone (`alias { name = aws_lb.web.dns_name  zone_id =
//! aws_lb.web.zone_id }`): berth's `alias { target = load_balancer.web }`,
//! which it reads back as such. Left as a name and a zone, the alias AWS
//! answers (the stack's load balancer) differs from them on every plan.

use crate::syntax::ast::{Block, Expr, ExprKind, Item};

const LOAD_BALANCER: &str = "load_balancer";

/// Rewrites the `alias` block of the record `block` that names a load
/// balancer of the stack by its `dns_name` and `zone_id`.
pub(super) fn record(block: &mut Block) {
    for item in &mut block.body {
        if let Item::Block(alias) = item
            && alias.kind.name == "alias"
        {
            to_target(alias);
        }
    }
}

/// `alias` with `name` and `zone_id` reading one load balancer's
/// attributes made `target = load_balancer.NAME`.
fn to_target(alias: &mut Block) {
    let read = |setting: &str, attr: &str| {
        alias.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == setting => {
                super::block_read(&a.value, LOAD_BALANCER, attr).map(|lb| (lb, a.value.span))
            }
            _ => None,
        })
    };
    let (Some((named, span)), Some((zoned, _))) = (read("name", "dns_name"), read("zone_id", "zone_id"))
    else {
        return;
    };
    if !super::same_block(&named, &zoned) {
        return;
    }
    alias
        .body
        .retain(|item| !matches!(item, Item::Attribute(a) if a.name.name == "zone_id"));
    for item in &mut alias.body {
        if let Item::Attribute(a) = item
            && a.name.name == "name"
        {
            a.name.name = "target".into();
            a.value = Expr {
                kind: ExprKind::Traversal(named.clone()),
                span,
            };
        }
    }
}
