//! IAM customer-managed policies, made under the path `/berth/` like roles:
//! CreatePolicy (tags in the call); a changed document is
//! CreatePolicyVersion with SetAsDefault, the oldest other version deleted
//! first when IAM's five exist; delete detaches the policy from its roles
//! (a replaced policy goes while roles still name it: their update
//! attaches the new one) and deletes its other versions before
//! DeletePolicy. Reading: ListPolicies (Scope=Local, under `/berth/`) and
//! the ARNs of the policies the stack adopted outside that path (an SSM
//! record, [`adopted`]), GetPolicy (tags, description), and
//! GetPolicyVersion of the default version.

use std::collections::BTreeSet;

use aws_sdk_iam::types::{PolicyScopeType, Tag};
use berth_provider::policy::{self, MAX_VERSIONS};
use berth_provider::{Kind, ProviderError, Resource, Value, naming};
use futures::future::try_join_all;

use berth_provider::adopt::adoption_tags;

use crate::adopted::{self, Adopted};
use crate::attrs::{attrs, complete, create_tags, keep, opt_str, resource, str_of, tag_diff, user_tags};
use crate::errors::gone;
use crate::iam::{PATH, iam_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "iam";

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let iam = &p.clients.iam;
    let mut a = complete(Kind::ManagedPolicy, &desired.attrs);
    let name = naming::given(&a, "name")
        .map_or_else(|| naming::managed_policy(stack, &desired.address), str::to_owned);
    let tags = iam_tags("CreatePolicy", create_tags(stack, &desired.address, &a))?;
    let document = a.get("document").map(policy::to_json_text).unwrap_or_default();
    let path = str_of(&a, "path").unwrap_or(PATH).to_owned();
    if path != PATH {
        // Recorded before the policy exists, as a role given a path is
        // (`iam::create`): IAM answers the ARN, but a run killed before the
        // answer must still find the policy.
        let arn = p.caller().await?.arn(SERVICE, "", &format!("policy{path}{name}"));
        adopted::record(p, stack, Adopted::Policies, &arn).await?;
    }
    let out = p
        .call_once(SERVICE, "CreatePolicy", || {
            iam.create_policy()
                .policy_name(&name)
                .path(&path)
                .policy_document(&document)
                .set_description(str_of(&a, "description").map(str::to_owned))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out.policy.and_then(|p| p.arn).unwrap_or_default();
    a.insert("path".to_owned(), Value::String(path));
    a.insert("arn".to_owned(), Value::String(arn));
    a.insert("name".to_owned(), Value::String(name));
    Ok(resource(desired.address.clone(), a))
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let iam = &p.clients.iam;
    let old = &live.attrs;
    let mut new = complete(Kind::ManagedPolicy, &desired.attrs);
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    if old.get("document") != new.get("document") {
        let versions = versions(p, &arn).await?;
        if versions.len() >= MAX_VERSIONS
            && let Some(oldest) = versions
                .iter()
                .filter(|(_, default)| !default)
                .map(|(id, _)| id)
                .min_by_key(|id| version_number(id))
        {
            delete_version(p, &arn, oldest).await?;
        }
        let document = new.get("document").map(policy::to_json_text).unwrap_or_default();
        p.call(SERVICE, "CreatePolicyVersion", || {
            iam.create_policy_version()
                .policy_arn(&arn)
                .policy_document(&document)
                .set_as_default(true)
                .send()
        })
        .await?;
    }
    let (set, removed) = tag_diff(old, &new);
    if !set.is_empty() {
        let tags: Vec<Tag> = iam_tags("TagPolicy", set)?;
        p.call(SERVICE, "TagPolicy", || {
            iam.tag_policy()
                .policy_arn(&arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagPolicy", || {
            iam.untag_policy()
                .policy_arn(&arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    keep(&mut new, old, &["arn", "name"]);
    Ok(resource(live.address.clone(), new))
}

/// `v7` -> 7: IAM numbers versions in the order it made them.
fn version_number(id: &str) -> u64 {
    id.trim_start_matches('v').parse().unwrap_or(0)
}

/// The policy's versions: (id, is the default).
async fn versions(p: &AwsProvider, arn: &str) -> Result<Vec<(String, bool)>, ProviderError> {
    let iam = &p.clients.iam;
    let out = p
        .call(SERVICE, "ListPolicyVersions", || {
            iam.list_policy_versions().policy_arn(arn).send()
        })
        .await?;
    Ok(out
        .versions()
        .iter()
        .filter_map(|v| Some((v.version_id()?.to_owned(), v.is_default_version())))
        .collect())
}

async fn delete_version(p: &AwsProvider, arn: &str, id: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    p.call_unless(SERVICE, "DeletePolicyVersion", &["NoSuchEntity"], || {
        iam.delete_policy_version().policy_arn(arn).version_id(id).send()
    })
    .await?;
    Ok(())
}

pub(crate) async fn delete(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    remove(p, arn).await?;
    if str_of(&live.attrs, "path").is_some_and(|path| path != PATH) {
        adopted::forget(p, stack, Adopted::Policies, arn).await?;
    }
    Ok(())
}

/// Detaches the policy `arn` from its roles and deletes it with its
/// versions; one already gone is fine.
async fn remove(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    let roles = match p
        .list(SERVICE, "ListEntitiesForPolicy", || {
            paginate!(iam.list_entities_for_policy().policy_arn(arn), policy_roles)
        })
        .await
    {
        Ok(roles) => roles,
        Err(e) if e.code == "NoSuchEntity" => return Ok(()),
        Err(e) => return Err(e),
    };
    for role in roles.iter().filter_map(|r| r.role_name()) {
        p.call_unless(SERVICE, "DetachRolePolicy", &["NoSuchEntity"], || {
            iam.detach_role_policy().role_name(role).policy_arn(arn).send()
        })
        .await?;
    }
    for (id, _) in versions(p, arn)
        .await?
        .into_iter()
        .filter(|(_, default)| !default)
    {
        delete_version(p, arn, &id).await?;
    }
    p.call_unless(SERVICE, "DeletePolicy", &["NoSuchEntity"], || {
        iam.delete_policy().policy_arn(arn).send()
    })
    .await?;
    Ok(())
}

/// The stack's policies: those under berth's path, and those it adopted
/// outside it, by the ARNs recorded at adoption.
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let iam = &p.clients.iam;
    let (listed, recorded) = tokio::join!(
        p.list(SERVICE, "ListPolicies", || {
            paginate!(
                iam.list_policies()
                    .scope(PolicyScopeType::Local)
                    .path_prefix(PATH),
                policies
            )
        }),
        adopted::recorded(p, stack, Adopted::Policies),
    );
    let mut arns: BTreeSet<String> = listed?.into_iter().filter_map(|p| p.arn).collect();
    arns.extend(recorded?);
    let scope = Scope::Stack(stack);
    let reads = arns.iter().map(|arn| read_if_there(p, &scope, arn));
    Ok(try_join_all(reads).await?.into_iter().flatten().collect())
}

/// The policy `scope` looks for by its ARN, or by its name (ListPolicies
/// of the account's own, any path), whatever its tags.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    if id.starts_with("arn:") {
        return read_if_there(p, scope, id).await;
    }
    let iam = &p.clients.iam;
    let all = p
        .list(SERVICE, "ListPolicies", || {
            paginate!(iam.list_policies().scope(PolicyScopeType::Local), policies)
        })
        .await?;
    match all
        .iter()
        .find(|policy| policy.policy_name() == Some(id))
        .and_then(|policy| policy.arn())
    {
        Some(arn) => read_if_there(p, scope, arn).await,
        None => Ok(None),
    }
}

/// [`read`], none when there is no policy `arn` (NoSuchEntity).
async fn read_if_there(
    p: &AwsProvider,
    scope: &Scope<'_>,
    arn: &str,
) -> Result<Option<Resource>, ProviderError> {
    read(p, scope, arn).await.or_else(|e| gone(e, "NoSuchEntity"))
}

/// GetPolicy (its tags, and its description, which ListPolicies leaves
/// out) and the default version's document of the policy `arn`, if
/// `scope` looks for it.
async fn read(p: &AwsProvider, scope: &Scope<'_>, arn: &str) -> Result<Option<Resource>, ProviderError> {
    let iam = &p.clients.iam;
    let got = p
        .call(SERVICE, "GetPolicy", || iam.get_policy().policy_arn(arn).send())
        .await?;
    let Some(policy) = got.policy() else {
        return Ok(None);
    };
    let Some(version) = policy.default_version_id() else {
        return Ok(None);
    };
    let pairs = || policy.tags().iter().map(|t| (t.key(), t.value()));
    let Some(address) = scope.address(Kind::ManagedPolicy, pairs()) else {
        return Ok(None);
    };
    let out = p
        .call(SERVICE, "GetPolicyVersion", || {
            iam.get_policy_version()
                .policy_arn(arn)
                .version_id(version)
                .send()
        })
        .await?;
    let document = out
        .policy_version()
        .and_then(|v| v.document())
        .map_or(Value::Null, policy::from_aws);
    let a = attrs([
        ("document", document),
        (
            "description",
            opt_str(policy.description().filter(|d| !d.is_empty())),
        ),
        ("path", opt_str(policy.path())),
        ("tags", user_tags(pairs())),
        ("arn", Value::from(arn)),
        ("name", opt_str(policy.policy_name())),
    ]);
    Ok(Some(resource(address, a)))
}

/// TagPolicy: berth's tags on a policy it adopts; one outside berth's
/// path is recorded for the stack's reader.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    let tags = iam_tags("TagPolicy", adoption_tags(stack, &live.address))?;
    p.call(SERVICE, "TagPolicy", || {
        iam.tag_policy()
            .policy_arn(arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    if !arn.contains(&format!(":policy{PATH}")) {
        adopted::record(p, stack, Adopted::Policies, arn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_ordered_by_number_not_text() {
        let mut ids = vec!["v10", "v9", "v11"];
        ids.sort_by_key(|id| version_number(id));
        assert_eq!(ids, ["v9", "v10", "v11"]);
    }
}
