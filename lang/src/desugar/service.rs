//! A service's `network_configuration { subnets  security_groups
//! assign_public_ip }` (Terraform's `aws_ecs_service`): the service's own
//! `subnets`, `security_groups` and `public_ip`.

use super::{renamed, stray};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Item};

/// A service's `network_configuration { subnets  security_groups
/// assign_public_ip }`: berth's `subnets`, `security_groups` and
/// `public_ip` of the service.
pub(super) fn network_configuration(service: &mut Block, diags: &mut Vec<Diagnostic>) {
    const RENAMES: [(&str, &str); 3] = [
        ("subnets", "subnets"),
        ("security_groups", "security_groups"),
        ("assign_public_ip", "public_ip"),
    ];
    if !service
        .body
        .iter()
        .any(|item| matches!(item, Item::Block(b) if b.kind.name == "network_configuration"))
    {
        return;
    }
    for item in std::mem::take(&mut service.body) {
        match item {
            Item::Block(b) if b.kind.name == "network_configuration" => {
                for inner in b.body {
                    match inner {
                        Item::Attribute(a) => match RENAMES.iter().find(|(tf, _)| a.name.name == *tf) {
                            Some((_, berth)) => service.body.push(Item::Attribute(renamed(a, berth))),
                            None => diags.push(stray(
                                &Item::Attribute(a),
                                "a `network_configuration` block",
                                "`subnets`, `security_groups` and `assign_public_ip`",
                            )),
                        },
                        other => diags.push(stray(
                            &other,
                            "a `network_configuration` block",
                            "`subnets`, `security_groups` and `assign_public_ip`",
                        )),
                    }
                }
            }
            other => service.body.push(other),
        }
    }
}
