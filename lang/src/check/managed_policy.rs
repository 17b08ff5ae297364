//! Customer-managed policies as IAM takes them: a document in IAM's
//! grammar within the managed policy size quota, names unique in the
//! account (given or derived alike), and roles within the quota on
//! attached policies.

use std::collections::BTreeMap;

use berth_provider::policy::{self, DocumentKind, MANAGED_SIZE, MAX_ATTACHED, MAX_ATTACHED_RAISED};
use berth_provider::{Kind, naming};

use super::iam::{document, grammar};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

/// Checks the document of a managed policy.
pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let Some((doc, span)) = document(&r.body, "document") else {
        return;
    };
    grammar(&doc, DocumentKind::Managed, &r.body, "document", diags);
    let size = policy::size(&doc);
    if size > MANAGED_SIZE {
        diags.push(
            Diagnostic::error("E0610", format!("the document of {} is too large", r.address), span)
                .label(format!("{size} characters"))
                .help(format!(
                    "IAM holds at most {MANAGED_SIZE} characters (whitespace aside) in a managed policy; split it into two policies"
                )),
        );
    }
}

/// Checks that a role attaches no more managed policies than IAM allows
/// any account: 20, the quota raised. Between IAM's default 10 and 20 it
/// depends on the account, which validate cannot see: apply reports IAM's
/// LimitExceeded there.
pub fn attached(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let count = match r.body.value("policies") {
        Some(DesiredValue::List(items)) => items.len(),
        Some(DesiredValue::Known(v)) => v.as_list().map_or(0, <[_]>::len),
        _ => 0,
    };
    if count > MAX_ATTACHED_RAISED
        && let Some(span) = r.body.span("policies")
    {
        diags.push(
            Diagnostic::error(
                "E0611",
                format!("{} attaches {count} managed policies", r.address),
                span,
            )
            .label(format!("IAM attaches at most {MAX_ATTACHED_RAISED} to a role"))
            .help(format!(
                "merge some into one managed policy or an inline `policy` block ({MAX_ATTACHED_RAISED} is the most, with the quota raised from IAM's default {MAX_ATTACHED})"
            )),
        );
    }
}

/// Reports two managed policies of the stack that would have one name in
/// IAM (which compares names without case), given or derived.
pub fn names(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &DesiredResource> = BTreeMap::new();
    for r in stack.resources.iter().filter(|r| r.kind() == Kind::ManagedPolicy) {
        let given = r
            .body
            .known("name")
            .and_then(|v| v.as_str())
            .filter(|n| !n.is_empty());
        let name = given.map_or_else(|| naming::managed_policy(&stack.name, &r.address), str::to_owned);
        match seen.get(&name.to_ascii_lowercase()) {
            Some(first) => {
                let span = given.and(r.body.span("name")).unwrap_or(r.span);
                diags.push(
                    Diagnostic::error("E0612", format!("two managed policies named `{name}`"), span)
                        .label(format!("{} has this name in IAM too", first.address))
                        .help("IAM names are unique in the account, whatever their case: give one another `name`"),
                );
            }
            None => {
                seen.insert(name.to_ascii_lowercase(), r);
            }
        }
    }
}
