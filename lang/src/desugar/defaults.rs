//! Terraform settings that restate what berth does anyway (a VPC's
//! `instance_tenancy = "default"`, a load balancer's `ip_address_type =
//! "ipv4"`, a service's `scheduling_strategy = "REPLICA"` and
//! `deployment_controller { type = "ECS" }`, ...), and Terraform's
//! `timeouts { }` blocks: taken as written and left out. Any other value
//! asks for something berth does not write, an E0211 that says so, never a
//! setting silently dropped.

use super::{CODE, literal};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Expr, ExprKind, Item};

/// (kind, Terraform's setting, the value berth's behaviour is, what berth
/// does instead of any other value).
type Restated = (&'static str, &'static str, &'static str, &'static str);

const RESTATED: &[Restated] = &[
    (
        "efs_file_system_policy",
        "bypass_policy_lockout_safety_check",
        "false",
        "berth never bypasses EFS's check that the policy does not lock out whoever sets it",
    ),
    (
        "vpc",
        "instance_tenancy",
        "default",
        "dedicated tenancy is not written: berth's VPCs run on shared hardware",
    ),
    (
        "load_balancer",
        "ip_address_type",
        "ipv4",
        "dual-stack load balancers are not written (docs/porting.md, \"Not written yet\")",
    ),
    (
        "service",
        "scheduling_strategy",
        "REPLICA",
        "daemon services are EC2's: berth's services keep `desired_count` tasks",
    ),
    (
        "service",
        "force_new_deployment",
        "false",
        "berth deploys when the service or its task definition changes; `berth deploy` rolls a new image",
    ),
    (
        "service",
        "wait_for_steady_state",
        "false",
        "`berth apply --wait` waits for the services it changed to be steady",
    ),
    (
        "security_group",
        "revoke_rules_on_delete",
        "false",
        "berth does not revoke a group's rules before deleting it (Terraform's flag for rules a service such as EMR adds)",
    ),
    (
        "task_definition",
        "skip_destroy",
        "false",
        "berth deregisters a task definition's revisions when it destroys it",
    ),
    (
        "task_definition",
        "track_latest",
        "false",
        "berth reads the revision its configuration made, not the family's latest",
    ),
    (
        "log_group",
        "skip_destroy",
        "false",
        "berth deletes what it destroys; `prevent_destroy = true` refuses a plan that would",
    ),
    (
        "role",
        "force_detach_policies",
        "true",
        "berth always detaches a role's policies before deleting it",
    ),
    (
        "s3_bucket",
        "acl",
        "private",
        "ACLs are off (`object_ownership = \"BucketOwnerEnforced\"`, S3's default): grant access in the bucket's `policy`",
    ),
    (
        "s3_bucket",
        "object_lock_enabled",
        "false",
        "object lock is not written yet",
    ),
    (
        "kms_key",
        "bypass_policy_lockout_safety_check",
        "false",
        "berth keeps KMS's check that a key policy still lets its caller manage the key",
    ),
];

/// Terraform's blocks that restate berth's behaviour: (kind, block, its
/// one setting, the value that is berth's behaviour, what berth does
/// instead of any other).
const RESTATED_BLOCKS: &[(&str, &str, &str, &str, &str)] = &[(
    "service",
    "deployment_controller",
    "type",
    "ECS",
    "CodeDeploy and external deployment controllers are not written: berth's services roll with ECS's deployments",
)];

/// Terraform's block of how long it waits for each operation of a
/// resource: berth's waits are its own (`berth apply --wait` and its
/// deadline), so the block is taken and left out.
const TIMEOUTS: &str = "timeouts";

/// Takes out of the resource `block` the settings that restate berth's
/// behaviour; reports those that ask for another.
pub(super) fn resource(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let kind = block.kind.name.clone();
    block.body.retain(|item| stays(&kind, item, diags));
}

/// Whether `item` of a resource of `kind` stays: not a `timeouts` block
/// nor a restating setting (which is checked).
fn stays(kind: &str, item: &Item, diags: &mut Vec<Diagnostic>) -> bool {
    match item {
        Item::Block(b) if b.kind.name == TIMEOUTS && b.label.is_none() => false,
        Item::Attribute(a) => match RESTATED
            .iter()
            .find(|(k, s, _, _)| *k == kind && *s == a.name.name)
        {
            Some((_, setting, default, instead)) => {
                check(
                    &a.value,
                    (setting, default),
                    instead,
                    &format!("`{setting}`"),
                    diags,
                );
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
