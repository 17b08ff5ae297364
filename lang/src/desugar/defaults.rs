//! Terraform blocks that restate what berth does anyway (a service's
//! `deployment_controller { type = "ECS" }`), and Terraform's `timeouts {
//! }` blocks: taken as written and left out. Any other value asks for
//! something berth does not write, an E0211 that says so, never a setting
//! silently dropped. Restating settings (`instance_tenancy = "default"`)
//! are checked once evaluated, by [`crate::check::restated`].

use super::{CODE, literal};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Expr, ExprKind, Item};

/// Settings of Terraform's attachments that restate berth's behaviour
/// (kind, setting, the value berth's behaviour is, what berth does
/// instead): checked here, as the attachment is folded into its parent
/// before evaluation.
const RESTATED_ATTACHMENT_SETTINGS: &[(&str, &str, &str, &str)] = &[(
    "efs_file_system_policy",
    "bypass_policy_lockout_safety_check",
    "false",
    "berth never bypasses EFS's check that the policy does not lock out whoever sets it",
)];

/// Terraform's blocks that restate berth's behaviour: (kind, block, its
/// one setting, the value that is berth's behaviour, what berth does
/// instead of any other).
const RESTATED_BLOCKS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "service",
        "deployment_controller",
        "type",
        "ECS",
        "CodeDeploy and external deployment controllers are not written: berth's services roll with ECS's deployments",
    ),
    // terraform-aws-modules/vpc's endpoints: AWS's default record type.
    (
        "vpc_endpoint",
        "dns_options",
        "dns_record_ip_type",
        "ipv4",
        "IPv6 networks are not written (docs/porting.md, \"Not written yet\")",
    ),
];

/// Terraform's block of how long it waits for each operation of a
/// resource: berth's waits are its own (`berth apply --wait` and its
/// deadline), so the block is taken and left out.
const TIMEOUTS: &str = "timeouts";

/// Terraform's commands run on the machine or a host when a resource is
/// made (`local-exec`, `remote-exec`): berth runs none (E0211).
const PROVISIONER: &str = "provisioner";

/// Takes out of the resource `block` the settings that restate berth's
/// behaviour; reports those that ask for another.
pub(super) fn resource(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let kind = block.kind.name.clone();
    block.body.retain(|item| stays(&kind, item, diags));
}

/// Whether `item` of a resource of `kind` stays: not a `timeouts` block
/// nor a restating block or attachment setting (which are checked).
/// Restating settings of resources are checked once evaluated
/// ([`crate::check::restated`]).
fn stays(kind: &str, item: &Item, diags: &mut Vec<Diagnostic>) -> bool {
    match item {
        Item::Block(b) if b.kind.name == TIMEOUTS && b.label.is_none() => false,
        // One error, not one per setting inside the block as well.
        Item::Block(b) if b.kind.name == PROVISIONER => {
            diags.push(
                Diagnostic::error(CODE, "berth runs no provisioners", b.kind.span)
                    .label("a Terraform provisioner")
                    .help(
                        "berth makes resources through AWS's APIs only: run the command in the pipeline \
                         before or after `berth apply`, or leave the block out",
                    ),
            );
            false
        }
        Item::Attribute(a) => match RESTATED_ATTACHMENT_SETTINGS
            .iter()
            .find(|(k, s, ..)| *k == kind && *s == a.name.name)
        {
            Some((_, setting, default, instead)) => {
                let out = format!("`{setting}`");
                check(&a.value, (setting, default), instead, &out, diags);
                false
            }
            None => true,
        },
        Item::Block(b) => match RESTATED_BLOCKS
            .iter()
            .find(|(k, n, ..)| *k == kind && *n == b.kind.name)
        {
            Some((_, name, setting, default, instead)) => {
                for item in &b.body {
                    match item {
                        Item::Attribute(a) if a.name.name == *setting => {
                            let block = format!("the `{name}` block");
                            check(&a.value, (setting, default), instead, &block, diags);
                        }
                        other => diags.push(super::stray(
                            other,
                            &format!("a `{name}` block"),
                            &format!("`{setting}`"),
                        )),
                    }
                }
                false
            }
            None => true,
        },
    }
}

/// E0211 unless `value` of `setting` is `default` (a quoted bool, or text
/// in any case, as Terraform's provider takes them); its help says what
/// berth does `instead` and to leave `out` what holds it.
pub(super) fn check(
    value: &Expr,
    (setting, default): (&str, &str),
    instead: &str,
    out: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let same = match &value.kind {
        ExprKind::Bool(b) => b.to_string() == default,
        _ => literal(value).is_some_and(|v| v.eq_ignore_ascii_case(default)),
    };
    if !same {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("`{setting}` other than `{default}` is not written"),
                value.span,
            )
            .label(format!("berth's behaviour is `{default}`"))
            .help(format!("{instead}; leave {out} out")),
        );
    }
}
