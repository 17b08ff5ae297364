//! Network ACL entries as EC2 takes them (CreateNetworkAclEntry): an
//! action, one number per direction, and for TCP and UDP a port range.

use std::collections::BTreeMap;

use berth_provider::Value;

use super::domain::{int, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::DesiredResource;

/// E0648 for entries EC2 refuses; an unknown action is E0521.
pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    for direction in ["ingress", "egress"] {
        let mut numbers: BTreeMap<i64, Span> = BTreeMap::new();
        for entry in r.body.blocks(direction) {
            let b = &entry.body;
            diags.extend(unknown_value(
                b,
                "action",
                "network ACL action",
                &["allow", "deny"],
            ));
            if let Some((n, span)) = int(b, "rule_no")
                && let Some(first) = numbers.insert(n, span)
            {
                diags.push(
                    Diagnostic::error(
                        "E0648",
                        format!("two {direction} entries of {} are rule {n}", r.address),
                        span,
                    )
                    .label("the same number again")
                    .also(first, "first here")
                    .help("an ACL has one entry per number and direction (NetworkAclEntryAlreadyExists); renumber one"),
                );
            }
            let protocol = b
                .known("protocol")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            let ported = matches!(protocol.as_deref(), Some("tcp" | "udp" | "6" | "17"));
            let (from, to) = (int(b, "from_port"), int(b, "to_port"));
            match (from, to) {
                (Some(from), Some(to)) if ported => {
                    diags.extend(super::sg_rules::backwards("E0648", from, to).map(|d| d.help("swap them")));
                }
                (None, _) | (_, None) if ported => {
                    if let Some(span) = b.span("protocol") {
                        diags.push(
                            Diagnostic::error("E0648", "a TCP or UDP entry needs its ports", span)
                                .label("no `from_port` and `to_port`")
                                .help("write `from_port` and `to_port` (EC2: a TCP or UDP entry takes a port range)"),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
