//! IAM: roles with a trust policy, inline policies and managed policies
//! attached (the stack's own must exist: `managed_policy.rs`). Documents are held to IAM's grammar
//! ([`berth_provider::policy`]) and quotas.

use std::collections::BTreeMap;

use berth_provider::policy::{self, DocumentKind};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, int_of, str_of, strs_of};
use crate::sim::Sim;
use berth_provider::naming;

/// The inline policies of a role: (name, document).
fn inline(attrs: &Attrs) -> Vec<(String, Value)> {
    blocks_of(attrs, "policy")
        .into_iter()
        .map(|b| {
            let name = str_of(b, "name").unwrap_or_default().to_owned();
            (name, b.get("document").cloned().unwrap_or(Value::Null))
        })
        .collect()
}

/// MalformedPolicyDocument for the first way `doc` breaks IAM's grammar.
pub(crate) fn check_document(call: &str, doc: &Value, kind: DocumentKind) -> Result<(), ProviderError> {
    match policy::problems(doc, kind).first() {
        Some(p) => Err(fail(call, "MalformedPolicyDocument", p.message.clone())),
        None => Ok(()),
    }
}

/// The inline policies as PutRolePolicy takes them: names, grammar, and
/// the role's quota on their size.
fn check_inline(role: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let call = "PutRolePolicy";
    let mut total = 0;
    for (name, doc) in inline(attrs) {
        if let Some(problem) = policy::name_problem(&name) {
            return Err(fail(
                call,
                "ValidationError",
                format!("The specified value for policyName is invalid: {problem}"),
            ));
        }
        check_document(call, &doc, DocumentKind::Identity)?;
        total += policy::size(&doc);
        if total > policy::INLINE_SIZE {
            return Err(fail(
                call,
                "LimitExceeded",
                format!(
                    "Maximum policy size of {} bytes exceeded for role {role}",
                    policy::INLINE_SIZE
                ),
            ));
        }
    }
    Ok(())
}

/// The trust policy: a document in IAM's grammar within its quota, or a
/// service principal.
fn check_trust(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    if let Some(doc) = attrs.get("assume_policy").filter(|d| **d != Value::Null) {
        check_document(call, doc, DocumentKind::Trust)?;
        if policy::size(doc) > policy::TRUST_SIZE {
            return Err(fail(
                call,
                "LimitExceeded",
                format!("Cannot exceed quota for ACLSizePerRole: {}", policy::TRUST_SIZE),
            ));
        }
        return Ok(());
    }
    let Some(assume) = str_of(attrs, "assume") else {
        return Err(fail(
            call,
            "ValidationError",
            "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null",
        ));
    };
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
    Ok(())
}

/// `call` (AttachRolePolicy, or the call setting a permissions boundary)
/// naming a customer-managed policy of this account that does not exist:
/// NoSuchEntity (AWS's own, `arn:aws:iam::aws:policy/...`, are taken as
/// they are).
fn check_attachable(sim: &Sim, call: &str, policies: &[String]) -> Result<(), ProviderError> {
    let own = format!("arn:aws:iam::{}:policy/", sim.st.account);
    match policies
        .iter()
        .filter(|p| p.starts_with(&own))
        .find(|p| sim.rec(p).is_none_or(|r| r.kind != Kind::ManagedPolicy))
    {
        Some(missing) => Err(fail(
            call,
            "NoSuchEntity",
            format!("Policy {missing} does not exist or is not attachable."),
        )),
        None => Ok(()),
    }
}

/// The call that changes a role's permissions boundary from `old`'s to
/// `new`'s, if it changes.
fn boundary_call(old: &Attrs, new: &Attrs) -> Option<&'static str> {
    if old.get("permissions_boundary") == new.get("permissions_boundary") {
        return None;
    }
    Some(if boundary(new).is_empty() {
        "DeleteRolePermissionsBoundary"
    } else {
        "PutRolePermissionsBoundary"
    })
}

/// The role's permissions boundary, as a list of at most one policy.
fn boundary(attrs: &Attrs) -> Vec<String> {
    str_of(attrs, "permissions_boundary")
        .map(str::to_owned)
        .into_iter()
        .collect()
}

/// Whether `arn` is a managed policy's ARN, AWS's or an account's.
fn policy_arn(arn: &str) -> bool {
    arn.strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(":policy/"))
        .is_some_and(|(account, name)| {
            (account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
                && !name.is_empty()
        })
}

fn check_role(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    check_trust(call, attrs)?;
    if let Some(boundary) = str_of(attrs, "permissions_boundary").filter(|b| !policy_arn(b)) {
        return Err(fail(
            call,
            "InvalidParameterValue",
            format!("Value ({boundary}) for parameter PermissionsBoundary is invalid."),
        ));
    }
    if let Some(seconds) = int_of(attrs, "max_session_duration").filter(|s| !(3600..=43_200).contains(s)) {
        return Err(fail(
            call,
            "ValidationError",
            format!(
                "Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200"
            ),
        ));
    }
    let policies = strs_of(attrs, "policies");
    for policy in &policies {
        let valid = policy_arn(policy);
        if !valid {
            return Err(fail(
                "AttachRolePolicy",
                "InvalidInput",
                format!("ARN {policy} is not valid."),
            ));
        }
    }
    if policies.len() > policy::MAX_ATTACHED {
        return Err(fail(
            "AttachRolePolicy",
            "LimitExceeded",
            format!(
                "Cannot exceed quota for PoliciesPerRole: {}",
                policy::MAX_ATTACHED
            ),
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

/// The IAM path a create puts a role or policy under: the one written,
/// else berth's; IAM's ValidationError for one it refuses.
pub(crate) fn path_of(call: &str, attrs: &Attrs) -> Result<String, ProviderError> {
    let path = str_of(attrs, "path").unwrap_or(naming::IAM_PATH);
    match naming::iam_path_problem(path) {
        Some(problem) => Err(fail(
            call,
            "ValidationError",
            format!("The specified value for path is invalid: {problem}"),
        )),
        None => Ok(path.to_owned()),
    }
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
    // The ARN holds the path, berth's own `/berth/` too, as AWS's does
    // (roles made before kept `role/NAME`: their ARN is their key).
    let path = path_of(call, &attrs)?;
    let arn = format!("arn:aws:iam::{}:role{path}{name}", sim.st.account);
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
    check_inline(&name, &attrs)?;
    check_attachable(sim, "AttachRolePolicy", &strs_of(&attrs, "policies"))?;
    check_attachable(sim, call, &boundary(&attrs))?;
    for _ in inline(&attrs) {
        sim.call("PutRolePolicy");
    }
    for _ in strs_of(&attrs, "policies") {
        sim.call("AttachRolePolicy");
    }
    attrs.insert("path".to_owned(), Value::String(path));
    Ok(sim.insert_named(Kind::Role, arn, name, tags, attrs, true))
}

/// Changes the trust policy, description, inline and attached policies
/// of a role.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let trust_changed = ["assume", "assume_policy"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k));
    check_role(
        if trust_changed {
            "UpdateAssumeRolePolicy"
        } else {
            "UpdateRole"
        },
        new,
    )?;
    check_inline(str_of(old, "name").unwrap_or_default(), new)?;
    check_attachable(sim, "AttachRolePolicy", &strs_of(new, "policies"))?;
    if let Some(call) = boundary_call(old, new) {
        sim.call(call);
        check_attachable(sim, call, &boundary(new))?;
    }
    if trust_changed {
        sim.call("UpdateAssumeRolePolicy");
    }
    let (before, after) = (inline(old), inline(new));
    for _ in after.iter().filter(|p| !before.contains(p)) {
        sim.call("PutRolePolicy");
    }
    for _ in before
        .iter()
        .filter(|(name, _)| !after.iter().any(|(n, _)| n == name))
    {
        sim.call("DeleteRolePolicy");
    }
    if ["description", "max_session_duration"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k))
    {
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

/// Deletes a role the way berth's AWS adapter does: its inline policies
/// deleted and managed ones detached first, then DeleteRole.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let names: Vec<String> = sim
        .rec(key)
        .map(|r| inline(&r.attrs).into_iter().map(|(n, _)| n).collect())
        .unwrap_or_default();
    for name in names {
        delete_policy(sim, key, &name);
    }
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

/// DeleteRolePolicy.
fn delete_policy(sim: &mut Sim, key: &str, name: &str) {
    sim.call("DeleteRolePolicy");
    if let Some(Value::List(policies)) = sim.attrs_mut(key).and_then(|a| a.get_mut("policy")) {
        policies.retain(|p| p.as_map().and_then(|m| m.get("name")).and_then(Value::as_str) != Some(name));
    }
}

/// DeleteRole: refused while inline policies remain or managed policies
/// are attached.
pub(crate) fn delete_role(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteRole";
    sim.call(call);
    if sim.rec(key).is_some_and(|r| !inline(&r.attrs).is_empty()) {
        return Err(fail(
            call,
            "DeleteConflict",
            "Cannot delete entity, must delete policies first.",
        ));
    }
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

    fn doc(json: &str) -> Value {
        policy::from_aws(json)
    }

    fn role(policies: Vec<(&str, Value)>) -> Attrs {
        let blocks = policies
            .into_iter()
            .map(|(name, document)| {
                Value::Map(
                    [
                        ("name".to_owned(), Value::from(name)),
                        ("document".to_owned(), document),
                    ]
                    .into(),
                )
            })
            .collect();
        [
            ("assume".to_owned(), Value::from("ecs-tasks.amazonaws.com")),
            ("policy".to_owned(), Value::List(blocks)),
        ]
        .into()
    }

    #[test]
    fn put_role_policy_holds_documents_to_iams_grammar_and_quota() {
        let good = doc(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#);
        assert!(check_inline("r", &role(vec![("read", good)])).is_ok());
        let principal =
            doc(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#);
        let err = check_inline("r", &role(vec![("read", principal)])).unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("PutRolePolicy", "MalformedPolicyDocument")
        );
        let resources: Vec<String> = (0..200)
            .map(|i| format!("\"arn:aws:s3:::bucket-{i:04}/*\""))
            .collect();
        let big = doc(&format!(
            r#"{{"Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":[{}]}}]}}"#,
            resources.join(",")
        ));
        let err = check_inline("r", &role(vec![("a", big.clone()), ("b", big)])).unwrap_err();
        assert_eq!(err.code, "LimitExceeded");

        let trust = |json: &str| {
            let mut a = Attrs::new();
            a.insert("assume_policy".to_owned(), doc(json));
            check_trust("CreateRole", &a)
        };
        let err = trust(r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#).unwrap_err();
        assert_eq!(err.code, "MalformedPolicyDocument");
        assert!(
            trust(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#)
                .is_ok()
        );
        assert_eq!(
            check_trust("CreateRole", &Attrs::new()).unwrap_err().code,
            "ValidationError"
        );
    }

    #[test]
    fn delete_role_refuses_inline_policies_and_the_provider_deletes_them_first() {
        let mut h = Harness::new();
        let good = doc(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#);
        let attrs = role(vec![("read", good)]);
        h.put("role", Kind::Role, &[("policy", attrs["policy"].clone())]);
        let err = delete_role(&mut h.sim(), "role").unwrap_err();
        assert_eq!(err.code, "DeleteConflict");
        delete(&mut h.sim(), "role").unwrap();
        assert!(!h.st.resources.contains_key("role"));
        assert_eq!(h.calls.get("DeleteRolePolicy"), Some(&1));
    }
}
