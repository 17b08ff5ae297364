//! IAM customer-managed policies: a document in IAM's grammar and size
//! quota, made under `/berth/`, changed by a new default version (five at
//! most), deleted once detached and without other versions.

use std::collections::BTreeMap;

use berth_provider::policy::{self, DocumentKind, MANAGED_SIZE, MAX_VERSIONS};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::{int_of, str_of, strs_of};
use crate::iam::{check_document, detach_policy, path_of};
use crate::sim::Sim;

/// The version ids of a policy, oldest first (`v1`, `v2`, ... as numbers),
/// and the default one: kept beside the policy's attributes.
const VERSIONS: &str = "versions";
const DEFAULT: &str = "default_version";

/// The document as CreatePolicy and CreatePolicyVersion take it.
fn check(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let doc = attrs.get("document").cloned().unwrap_or(Value::Null);
    check_document(call, &doc, DocumentKind::Managed)?;
    if policy::size(&doc) > MANAGED_SIZE {
        return Err(fail(
            call,
            "LimitExceeded",
            format!("Cannot exceed quota for PolicySize: {MANAGED_SIZE}"),
        ));
    }
    Ok(())
}

/// Creates a policy named `{stack}-{name}` unless the configuration names
/// it; returns its key (ARN). Policies are global, like roles.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreatePolicy";
    sim.call(call);
    let name =
        naming::given(&attrs, "name").map_or_else(|| naming::managed_policy(stack, address), str::to_owned);
    let taken = sim
        .all(Kind::ManagedPolicy)
        .any(|(_, r)| str_of(&r.attrs, "name").is_some_and(|n| n.eq_ignore_ascii_case(&name)));
    if taken {
        return Err(fail(
            call,
            "EntityAlreadyExists",
            format!("A policy called {name} already exists. Duplicate names are not allowed."),
        ));
    }
    check(call, &attrs)?;
    let path = path_of(call, &attrs)?;
    let arn = format!("arn:aws:iam::{}:policy{path}{name}", sim.st.account);
    attrs.insert("path".to_owned(), Value::String(path));
    attrs.insert("name".to_owned(), Value::String(name));
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    attrs.insert(VERSIONS.to_owned(), Value::List(vec![Value::Int(1)]));
    attrs.insert(DEFAULT.to_owned(), Value::Int(1));
    sim.insert(&arn, Kind::ManagedPolicy, tags, attrs, true);
    Ok(arn)
}

fn versions(sim: &Sim, key: &str) -> Vec<i64> {
    sim.rec(key)
        .and_then(|r| r.attrs.get(VERSIONS))
        .and_then(Value::as_list)
        .map(|l| l.iter().filter_map(Value::as_int).collect())
        .unwrap_or_default()
}

fn set_versions(sim: &mut Sim, key: &str, versions: Vec<i64>) {
    if let Some(a) = sim.attrs_mut(key) {
        a.insert(
            VERSIONS.to_owned(),
            Value::List(versions.into_iter().map(Value::Int).collect()),
        );
    }
}

fn default_version(sim: &Sim, key: &str) -> Option<i64> {
    sim.rec(key).and_then(|r| int_of(&r.attrs, DEFAULT))
}

/// CreatePolicyVersion with SetAsDefault: refused when five exist.
fn create_version(sim: &mut Sim, key: &str, new: &Attrs) -> Result<(), ProviderError> {
    let call = "CreatePolicyVersion";
    sim.call(call);
    check(call, new)?;
    let mut all = versions(sim, key);
    if all.len() >= MAX_VERSIONS {
        return Err(fail(
            call,
            "LimitExceeded",
            format!(
                "A managed policy can have up to {MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version."
            ),
        ));
    }
    let next = all.iter().max().map_or(1, |v| v + 1);
    all.push(next);
    set_versions(sim, key, all);
    if let Some(a) = sim.attrs_mut(key) {
        a.insert(DEFAULT.to_owned(), Value::Int(next));
    }
    Ok(())
}

/// DeletePolicyVersion: refused for the default version.
fn delete_version(sim: &mut Sim, key: &str, version: i64) -> Result<(), ProviderError> {
    let call = "DeletePolicyVersion";
    sim.call(call);
    if default_version(sim, key) == Some(version) {
        return Err(fail(
            call,
            "DeleteConflict",
            "Cannot delete the default version of a policy.",
        ));
    }
    let mut all = versions(sim, key);
    all.retain(|v| *v != version);
    set_versions(sim, key, all);
    Ok(())
}

/// A new document is a new default version, the way berth's AWS adapter
/// makes it: the oldest other version deleted first when five exist.
pub(crate) fn update(sim: &mut Sim, key: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    if old.get("document") == new.get("document") {
        return Ok(());
    }
    check("CreatePolicyVersion", new)?;
    if versions(sim, key).len() >= MAX_VERSIONS {
        let default = default_version(sim, key);
        if let Some(oldest) = versions(sim, key).into_iter().find(|v| Some(*v) != default) {
            delete_version(sim, key, oldest)?;
        }
    }
    create_version(sim, key, new)
}

/// The roles a policy is attached to.
fn attached_to(sim: &Sim, arn: &str) -> Vec<String> {
    sim.all(Kind::Role)
        .filter(|(_, r)| strs_of(&r.attrs, "policies").iter().any(|p| p == arn))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Deletes a policy the way berth's AWS adapter does: detached from every
/// role (ListEntitiesForPolicy) and its other versions deleted first, so
/// that a replaced policy can go while roles still name it.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("ListEntitiesForPolicy");
    for role in attached_to(sim, key) {
        detach_policy(sim, &role, key);
    }
    let default = default_version(sim, key);
    for version in versions(sim, key).into_iter().filter(|v| Some(*v) != default) {
        delete_version(sim, key, version)?;
    }
    delete_policy(sim, key)
}

/// DeletePolicy: refused while attached or while other versions remain.
fn delete_policy(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeletePolicy";
    sim.call(call);
    if !attached_to(sim, key).is_empty() {
        return Err(fail(
            call,
            "DeleteConflict",
            "Cannot delete a policy attached to entities.",
        ));
    }
    if versions(sim, key).len() > 1 {
        return Err(fail(
            call,
            "DeleteConflict",
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        ));
    }
    sim.remove(key);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::testing::Harness;

    fn document(action: &str) -> Attrs {
        let json = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
        );
        [("document".to_owned(), policy::from_aws(&json))].into()
    }

    fn policy_with(h: &mut Harness, versions: &[i64], default: i64) {
        let list = Value::List(versions.iter().copied().map(Value::Int).collect());
        h.put(
            "p",
            Kind::ManagedPolicy,
            &[(VERSIONS, list), (DEFAULT, Value::Int(default))],
        );
    }

    #[test]
    fn a_sixth_version_is_refused_and_updates_delete_the_oldest_first() {
        let mut h = Harness::new();
        policy_with(&mut h, &[1, 2, 3, 4, 5], 5);
        let err = create_version(&mut h.sim(), "p", &document("s3:GetObject")).unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("CreatePolicyVersion", "LimitExceeded")
        );
        update(
            &mut h.sim(),
            "p",
            &document("s3:GetObject"),
            &document("s3:PutObject"),
        )
        .unwrap();
        assert_eq!(versions(&h.sim(), "p"), vec![2, 3, 4, 5, 6]);
        assert_eq!(default_version(&h.sim(), "p"), Some(6));
    }

    #[test]
    fn delete_policy_refuses_attachments_and_versions_and_delete_clears_both() {
        let mut h = Harness::new();
        policy_with(&mut h, &[1, 2], 2);
        h.put(
            "r",
            Kind::Role,
            &[("policies", Value::List(vec![Value::from("p")]))],
        );
        let err = delete_policy(&mut h.sim(), "p").unwrap_err();
        assert_eq!(err.code, "DeleteConflict");
        detach_policy(&mut h.sim(), "r", "p");
        let err = delete_policy(&mut h.sim(), "p").unwrap_err();
        assert!(err.message.contains("more than one version"), "{}", err.message);
        h.put(
            "r",
            Kind::Role,
            &[("policies", Value::List(vec![Value::from("p")]))],
        );
        delete(&mut h.sim(), "p").unwrap();
        assert!(!h.st.resources.contains_key("p"));
        assert_eq!(h.calls.get("DeletePolicyVersion"), Some(&1));
    }

    #[test]
    fn documents_are_held_to_the_grammar_and_the_size_quota() {
        let bad = [(
            "document".to_owned(),
            policy::from_aws(r#"{"Statement":[{"Effect":"Maybe"}]}"#),
        )]
        .into();
        assert_eq!(
            check("CreatePolicy", &bad).unwrap_err().code,
            "MalformedPolicyDocument"
        );
        let resources: Vec<String> = (0..300)
            .map(|i| format!("\"arn:aws:s3:::bucket-{i:04}/*\""))
            .collect();
        let json = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":[{}]}}]}}"#,
            resources.join(",")
        );
        let big = [("document".to_owned(), policy::from_aws(&json))].into();
        assert_eq!(check("CreatePolicy", &big).unwrap_err().code, "LimitExceeded");
    }

    /// Regression: a document without `Version` (as CloudFormation's inline
    /// `PolicyDocument`s often are) was taken as a managed policy, which
    /// IAM's CreatePolicy and CreatePolicyVersion refuse.
    #[test]
    fn a_managed_policy_without_the_current_version_is_refused() {
        for json in [
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        ] {
            let doc = [("document".to_owned(), policy::from_aws(json))].into();
            for call in ["CreatePolicy", "CreatePolicyVersion"] {
                let err = check(call, &doc).unwrap_err();
                assert_eq!(err.code, "MalformedPolicyDocument", "{call}: {json}");
            }
        }
    }
}
