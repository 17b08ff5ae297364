//! IAM: roles assumed by an AWS service, made under the path `/berth/`,
//! with managed policies attached. CreateRole (trust policy for the
//! service principal, tags in the call) + AttachRolePolicy per policy;
//! reading: ListRoles (every path: an adopted role keeps its own), then
//! GetRole (tags, trust policy, description) per role and
//! ListAttachedRolePolicies for the stack's; delete detaches every policy
//! first.
//!
//! `policies` come back sorted: IAM lists attachments in no fixed order.

use std::collections::BTreeSet;

use aws_sdk_iam::types::Tag;
use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::{Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, complete, create_tags, created_at, opt_str, resource, str_list, str_of, strs_of, tag_diff,
    user_tags,
};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "iam";
/// The path every berth role lives under.
pub(crate) const PATH: &str = "/berth/";

/// The trust policy letting `service` assume the role.
fn trust_policy(service: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": service },
            "Action": "sts:AssumeRole"
        }]
    })
    .to_string()
}

/// Decodes `%XX` escapes (IAM returns policy documents URL-encoded).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The service principal of a trust policy berth wrote, or the document's
/// text when it is anything else (so a hand edit shows as drift).
fn assumed_service(document: &str) -> String {
    let text = if document.trim_start().starts_with('{') {
        document.to_owned()
    } else {
        percent_decode(document)
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return text;
    };
    let statements = json.get("Statement").and_then(|s| s.as_array());
    if let Some([st]) = statements.map(Vec::as_slice) {
        let allow = st.get("Effect").and_then(|e| e.as_str()) == Some("Allow");
        let action = st.get("Action");
        let assume = action.and_then(|a| a.as_str()) == Some("sts:AssumeRole")
            || action
                .and_then(|a| a.as_array())
                .is_some_and(|a| a.len() == 1 && a[0] == "sts:AssumeRole");
        let service = st.get("Principal").and_then(|p| p.get("Service"));
        let service = service.and_then(|s| s.as_str()).or_else(|| {
            service
                .and_then(|s| s.as_array())
                .filter(|a| a.len() == 1)
                .and_then(|a| a[0].as_str())
        });
        if let (true, true, Some(service)) = (allow, assume, service) {
            return service.to_owned();
        }
    }
    text
}

fn iam_tags(call: &str, tags: impl IntoIterator<Item = (String, String)>) -> Result<Vec<Tag>, ProviderError> {
    tags.into_iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect()
}

fn sorted(mut policies: Vec<String>) -> Value {
    policies.sort();
    policies.dedup();
    str_list(policies)
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let iam = &p.clients.iam;
    let mut a = complete(Kind::Role, &desired.attrs);
    let name = naming::given(&a, "name").map_or_else(|| naming::role(stack, &desired.address), str::to_owned);
    let tags = iam_tags("CreateRole", create_tags(stack, &desired.address, &a))?;
    let policy = trust_policy(str_of(&a, "assume").unwrap_or_default());
    let out = p
        .call_once(SERVICE, "CreateRole", || {
            iam.create_role()
                .role_name(&name)
                .path(PATH)
                .assume_role_policy_document(&policy)
                .set_description(str_of(&a, "description").map(str::to_owned))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out.role.map(|r| r.arn).unwrap_or_default();
    for policy in strs_of(&a, "policies") {
        attach(p, &name, &policy).await?;
    }
    a.insert("policies".to_owned(), sorted(strs_of(&a, "policies")));
    a.insert("arn".to_owned(), Value::String(arn));
    a.insert("name".to_owned(), Value::String(name));
    Ok(resource(desired.address.clone(), a))
}

async fn attach(p: &AwsProvider, name: &str, policy: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    p.call(SERVICE, "AttachRolePolicy", || {
        iam.attach_role_policy().role_name(name).policy_arn(policy).send()
    })
    .await?;
    Ok(())
}

async fn attached(p: &AwsProvider, name: &str) -> Result<Vec<String>, ProviderError> {
    let iam = &p.clients.iam;
    let policies = p
        .list(SERVICE, "ListAttachedRolePolicies", || {
            paginate!(
                iam.list_attached_role_policies().role_name(name),
                attached_policies
            )
        })
        .await?;
    Ok(policies.into_iter().filter_map(|p| p.policy_arn).collect())
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let iam = &p.clients.iam;
    let old = &live.attrs;
    let mut new = complete(Kind::Role, &desired.attrs);
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    if old.get("assume") != new.get("assume") {
        let policy = trust_policy(str_of(&new, "assume").unwrap_or_default());
        p.call(SERVICE, "UpdateAssumeRolePolicy", || {
            iam.update_assume_role_policy()
                .role_name(&name)
                .policy_document(&policy)
                .send()
        })
        .await?;
    }
    if old.get("description") != new.get("description") {
        p.call(SERVICE, "UpdateRole", || {
            iam.update_role()
                .role_name(&name)
                .description(str_of(&new, "description").unwrap_or_default())
                .send()
        })
        .await?;
    }
    let now: BTreeSet<String> = attached(p, &name).await?.into_iter().collect();
    let want: BTreeSet<String> = strs_of(&new, "policies").into_iter().collect();
    for policy in want.difference(&now) {
        attach(p, &name, policy).await?;
    }
    for policy in now.difference(&want) {
        detach(p, &name, policy).await?;
    }
    let (set, removed) = tag_diff(old, &new);
    if !set.is_empty() {
        let tags = iam_tags("TagRole", set)?;
        p.call(SERVICE, "TagRole", || {
            iam.tag_role()
                .role_name(&name)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagRole", || {
            iam.untag_role()
                .role_name(&name)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    new.insert("policies".to_owned(), sorted(strs_of(&new, "policies")));
    for key in ["arn", "name"] {
        if let Some(v) = old.get(key) {
            new.insert(key.to_owned(), v.clone());
        }
    }
    Ok(resource(live.address.clone(), new))
}

async fn detach(p: &AwsProvider, name: &str, policy: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    p.call_unless(SERVICE, "DetachRolePolicy", &["NoSuchEntity"], || {
        iam.detach_role_policy().role_name(name).policy_arn(policy).send()
    })
    .await?;
    Ok(())
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    let policies = match attached(p, name).await {
        Ok(policies) => policies,
        Err(e) if e.code == "NoSuchEntity" => return Ok(()),
        Err(e) => return Err(e),
    };
    for policy in policies {
        detach(p, name, &policy).await?;
    }
    p.call_unless(SERVICE, "DeleteRole", &["NoSuchEntity"], || {
        iam.delete_role().role_name(name).send()
    })
    .await?;
    Ok(())
}

pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let iam = &p.clients.iam;
    // Every role, not only those under berth's path: a name the
    // configuration gives need not start with the stack's, an adopted role
    // keeps the path it was made with, and only the tags tell.
    let roles = p
        .list(SERVICE, "ListRoles", || paginate!(iam.list_roles(), roles))
        .await?;
    let scope = Scope::Stack(stack);
    let reads = roles.iter().map(|r| read(p, &scope, r.role_name.as_str()));
    Ok(try_join_all(reads).await?.into_iter().flatten().collect())
}

/// The role `scope` looks for by its name or ARN (GetRole), whatever its
/// path and tags.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    // `arn:aws:iam::ACCOUNT:role/PATH/NAME`: the name is the last part.
    let name = match id.strip_prefix("arn:") {
        Some(_) => id.rsplit('/').next().unwrap_or(id),
        None => id,
    };
    match read(p, scope, name).await {
        Err(e) if e.code == "NoSuchEntity" => Ok(None),
        found => found,
    }
}

/// GetRole and ListAttachedRolePolicies of the role `name`, if `scope`
/// looks for it.
async fn read(p: &AwsProvider, scope: &Scope<'_>, name: &str) -> Result<Option<Resource>, ProviderError> {
    let iam = &p.clients.iam;
    let out = p
        .call(SERVICE, "GetRole", || iam.get_role().role_name(name).send())
        .await?;
    let Some(role) = out.role else { return Ok(None) };
    let pairs = || role.tags().iter().map(|t| (t.key(), t.value()));
    let Some(address) = scope.address(Kind::Role, pairs()) else {
        return Ok(None);
    };
    let policies = attached(p, name).await?;
    let assume = role
        .assume_role_policy_document()
        .map(assumed_service)
        .unwrap_or_default();
    let a = attrs([
        ("assume", Value::String(assume)),
        ("policies", sorted(policies)),
        (
            "description",
            opt_str(role.description().filter(|d| !d.is_empty())),
        ),
        ("tags", user_tags(pairs())),
        ("arn", Value::from(role.arn())),
        ("name", Value::from(role.role_name())),
    ]);
    Ok(Some(created_at(resource(address, a), Some(role.create_date()))))
}

/// TagRole: berth's tags on a role it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    let tags = iam_tags("TagRole", adoption_tags(stack, &live.address))?;
    p.call(SERVICE, "TagRole", || {
        iam.tag_role().role_name(name).set_tags(Some(tags.clone())).send()
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_policies_round_trip() {
        let doc = trust_policy("ecs-tasks.amazonaws.com");
        assert_eq!(assumed_service(&doc), "ecs-tasks.amazonaws.com");
        let encoded = doc.replace('{', "%7B").replace('}', "%7D").replace('"', "%22");
        assert_eq!(assumed_service(&encoded), "ecs-tasks.amazonaws.com");
        let other =
            r#"{"Statement":[{"Effect":"Deny","Principal":{"Service":"x"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(assumed_service(other), other);
    }
}
