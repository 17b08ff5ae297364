//! IAM: roles assumed by AWS services, with managed policies attached.

use std::collections::BTreeMap;

use berth_provider::{Address, Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{str_of, strs_of};
use crate::sim::Sim;
use berth_provider::naming;

/// Most managed policies one role can have attached.
const MAX_POLICIES: usize = 10;

fn check_role(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let assume = str_of(attrs, "assume").unwrap_or_default();
    let principal_ok = assume.contains('.')
        && assume
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !principal_ok {
        return Err(fail(
            call,
            "MalformedPolicyDocument",
            format!("Invalid principal in policy: \"SERVICE\":\"{assume}\""),
        ));
    }
    let policies = strs_of(attrs, "policies");
    for policy in &policies {
        let valid = policy
            .strip_prefix("arn:aws:iam::")
            .and_then(|rest| rest.split_once(":policy/"))
            .is_some_and(|(account, name)| {
                (account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
                    && !name.is_empty()
            });
        if !valid {
            return Err(fail(
                "AttachRolePolicy",
                "InvalidInput",
                format!("ARN {policy} is not valid."),
            ));
        }
    }
    if policies.len() > MAX_POLICIES {
        return Err(fail(
            "AttachRolePolicy",
            "LimitExceeded",
            format!("Cannot exceed quota for PoliciesPerRole: {MAX_POLICIES}"),
        ));
    }
    if str_of(attrs, "description").is_some_and(|d| d.chars().count() > 1000) {
        return Err(fail(
            call,
            "ValidationError",
            "The description must be at most 1000 characters",
        ));
    }
    Ok(())
}

/// Creates a role named `{stack}-{name}` and attaches its policies; returns
/// its key (ARN). Roles are global: visible from every region.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateRole";
    sim.call(call);
    let name = naming::given(&attrs, "name").map_or_else(|| naming::role(stack, address), str::to_owned);
    let arn = format!("arn:aws:iam::{}:role/{name}", sim.st.account);
    let taken = sim
        .all(Kind::Role)
        .any(|(k, r)| *k == arn || str_of(&r.attrs, "name").is_some_and(|n| n.eq_ignore_ascii_case(&name)));
    if taken {
        return Err(fail(
            call,
            "EntityAlreadyExists",
            format!("Role with name {name} already exists."),
        ));
    }
    check_role(call, &attrs)?;
    for _ in strs_of(&attrs, "policies") {
        sim.call("AttachRolePolicy");
    }
    attrs.insert("name".to_owned(), Value::String(name));
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    sim.insert(&arn, Kind::Role, tags, attrs, true);
    Ok(arn)
}

/// Changes the trust policy, description and attached policies of a role.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    check_role("UpdateRole", new)?;
    if old.get("assume") != new.get("assume") {
        sim.call("UpdateAssumeRolePolicy");
    }
    if old.get("description") != new.get("description") {
        sim.call("UpdateRole");
    }
    let (before, after) = (strs_of(old, "policies"), strs_of(new, "policies"));
    for _ in after.iter().filter(|p| !before.contains(p)) {
        sim.call("AttachRolePolicy");
    }
    for _ in before.iter().filter(|p| !after.contains(p)) {
        sim.call("DetachRolePolicy");
    }
    Ok(())
}

/// Deletes a role the way berth's AWS adapter does: its policies detached
/// first, then DeleteRole.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    for policy in sim
        .rec(key)
        .map(|r| strs_of(&r.attrs, "policies"))
        .unwrap_or_default()
    {
        detach_policy(sim, key, &policy);
    }
    delete_role(sim, key)
}

/// DetachRolePolicy.
pub(crate) fn detach_policy(sim: &mut Sim, key: &str, policy: &str) {
    sim.call("DetachRolePolicy");
    if let Some(Value::List(policies)) = sim.attrs_mut(key).and_then(|a| a.get_mut("policies")) {
        policies.retain(|p| p.as_str() != Some(policy));
    }
}

/// DeleteRole: refused while managed policies are attached.
pub(crate) fn delete_role(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteRole";
    sim.call(call);
    if sim
        .rec(key)
        .is_some_and(|r| !strs_of(&r.attrs, "policies").is_empty())
    {
        return Err(fail(
            call,
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    sim.remove(key);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testing::Harness;

    #[test]
    fn delete_role_refuses_attached_policies_and_the_provider_detaches_first() {
        let mut h = Harness::new();
        let policies = Value::List(vec![
            Value::from("arn:aws:iam::aws:policy/A"),
            Value::from("arn:aws:iam::aws:policy/B"),
        ]);
        h.put("role", Kind::Role, &[("policies", policies)]);
        let err = delete_role(&mut h.sim(), "role").unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("DeleteRole", "DeleteConflict")
        );
        assert!(h.st.resources.contains_key("role"));
        delete(&mut h.sim(), "role").unwrap();
        assert!(!h.st.resources.contains_key("role"));
        assert_eq!(h.calls.get("DetachRolePolicy"), Some(&2));
    }
}
