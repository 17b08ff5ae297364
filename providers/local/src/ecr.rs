//! ECR: private repositories, with their scanning, tag mutability,
//! encryption, lifecycle policy and repository policy.

use std::collections::BTreeMap;

use berth_provider::policy::{self, DocumentKind};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, int_of, str_of};
use crate::sim::Sim;
use berth_provider::naming;

const INVALID: &str = "InvalidParameterException";

/// Creates a repository named `{stack}-{name}` (lower case) unless the
/// configuration names it; returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateRepository";
    sim.call(call);
    let name = naming::given(&attrs, "name").map_or_else(|| naming::ecr(stack, address), str::to_owned);
    check(call, &attrs)?;
    let arn = sim.arn("ecr", &format!("repository/{name}"));
    if sim.rec(&arn).is_some() {
        return Err(fail(
            call,
            "RepositoryAlreadyExistsException",
            format!(
                "The repository with name '{name}' already exists in the registry with id '{}'",
                sim.st.account
            ),
        ));
    }
    if !blocks_of(&attrs, "lifecycle_rule").is_empty() {
        sim.call("PutLifecyclePolicy");
    }
    repository_policy(sim, None, &attrs)?;
    let url = format!("{}.dkr.ecr.{}.amazonaws.com/{name}", sim.st.account, sim.region);
    attrs.insert("registry_id".to_owned(), Value::String(sim.st.account.clone()));
    attrs.insert("url".to_owned(), Value::String(url));
    Ok(sim.insert_named(Kind::EcrRepository, arn, name, tags, attrs, false))
}

/// Changes scanning, tag mutability, the lifecycle policy and the
/// repository policy in place.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let changed = |k: &str| old.get(k) != new.get(k);
    if changed("scan_on_push") {
        sim.call("PutImageScanningConfiguration");
    }
    if changed("tag_mutability") {
        sim.call("PutImageTagMutability");
    }
    if changed("lifecycle_rule") {
        let call = if blocks_of(new, "lifecycle_rule").is_empty() {
            "DeleteLifecyclePolicy"
        } else {
            "PutLifecyclePolicy"
        };
        sim.call(call);
    }
    repository_policy(sim, Some(old), new)?;
    check("PutLifecyclePolicy", new)
}

/// SetRepositoryPolicy (checked as ECR does: principals named) or
/// DeleteRepositoryPolicy, when the policy is new or changed.
fn repository_policy(sim: &mut Sim, old: Option<&Attrs>, new: &Attrs) -> Result<(), ProviderError> {
    let before = old.and_then(|o| o.get("policy")).filter(|v| **v != Value::Null);
    let after = new.get("policy").filter(|v| **v != Value::Null);
    match (before, after) {
        (_, Some(doc)) if before != after => {
            let call = "SetRepositoryPolicy";
            sim.call(call);
            if !policy::problems(doc, DocumentKind::Repository).is_empty() {
                return Err(fail(
                    call,
                    INVALID,
                    "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
                ));
            }
        }
        (Some(_), None) => sim.call("DeleteRepositoryPolicy"),
        _ => {}
    }
    Ok(())
}

/// Deletes a repository (it holds no images here).
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteRepository");
    sim.remove(key);
    Ok(())
}

/// ECR's rules for a repository's settings and lifecycle rules.
fn check(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| Err(fail(call, INVALID, msg));
    let mutability = str_of(attrs, "tag_mutability").unwrap_or("MUTABLE");
    if !["MUTABLE", "IMMUTABLE"].contains(&mutability) {
        return bad(format!("Invalid parameter at 'imageTagMutability': {mutability}"));
    }
    let encryption = str_of(attrs, "encryption").unwrap_or("AES256");
    if !["AES256", "KMS"].contains(&encryption) {
        return bad(format!("Invalid parameter at 'encryptionType': {encryption}"));
    }
    if encryption == "AES256" && str_of(attrs, "kms_key").is_some() {
        return bad("KMS key is only allowed with encryption type KMS".to_owned());
    }
    let rules = blocks_of(attrs, "lifecycle_rule");
    let mut priorities = Vec::new();
    for rule in &rules {
        let priority = int_of(rule, "priority").unwrap_or(0);
        if priorities.contains(&priority) {
            return bad(format!(
                "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy rule priorities must be unique: {priority}'"
            ));
        }
        priorities.push(priority);
        let status = str_of(rule, "tag_status").unwrap_or("any");
        let prefixes = matches!(rule.get("tag_prefixes"), Some(Value::List(l)) if !l.is_empty());
        let count_type = str_of(rule, "count_type").unwrap_or_default();
        if !["imageCountMoreThan", "sinceImagePushed"].contains(&count_type) {
            return bad(format!(
                "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'countType {count_type}'"
            ));
        }
        if !["tagged", "untagged", "any"].contains(&status) || (status == "tagged") != prefixes {
            return bad("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'tagPrefixList is required for tagStatus tagged, and only allowed with it'".to_owned());
        }
    }
    let highest = priorities.iter().max().copied();
    let any_not_last = rules
        .iter()
        .any(|r| str_of(r, "tag_status") == Some("any") && int_of(r, "priority") != highest);
    if any_not_last {
        return bad("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Rule with tagStatus any must have the highest rulePriority'".to_owned());
    }
    Ok(())
}
