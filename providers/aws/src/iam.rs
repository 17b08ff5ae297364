//! IAM: roles made under the path `/berth/` (or the `path` written, the
//! role's name recorded in SSM by [`adopted`] first, as an adopted one's
//! is), with a trust policy, inline policies and managed policies
//! attached. CreateRole (trust policy, tags
//! in the call) + PutRolePolicy per inline policy + AttachRolePolicy per
//! managed one; reading: ListRoles under `/berth/` and the roles the stack
//! adopted elsewhere (an adopted role keeps its path; their names are
//! recorded in SSM by [`adopted`]), then GetRole (tags, trust policy,
//! description) per role, and ListRolePolicies + GetRolePolicy and
//! ListAttachedRolePolicies for the stack's; delete removes every inline
//! policy and detaches every managed one first.
//!
//! Documents come back URL-encoded JSON ([`policy::from_aws`]); the
//! canonical form makes them equal to what was written. `policies` come
//! back sorted: IAM lists attachments in no fixed order.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::Tag;
use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::policy;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use crate::adopted::{self, Adopted};
use crate::attrs::{
    attrs, blocks_of, complete, create_tags, created_at, i32_of, keep, opt_str, resource, str_list, str_of,
    strs_of, tag_diff, user_tags,
};
use crate::errors::{build_error, gone};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "iam";
/// The path berth's roles live under unless their `path` says otherwise.
pub(crate) const PATH: &str = naming::IAM_PATH;
/// A session's longest life when none is set: one hour.
const DEFAULT_SESSION: i32 = 3600;

/// The trust policy as IAM takes it: the document written, or the one
/// `assume = "SERVICE"` stands for.
fn trust_policy(a: &Attrs) -> String {
    match a.get("assume_policy").filter(|d| **d != Value::Null) {
        Some(doc) => policy::to_json_text(doc),
        None => policy::to_json_text(&policy::service_trust(str_of(a, "assume").unwrap_or_default())),
    }
}

/// The inline policies written: name -> document as JSON text.
fn inline(a: &Attrs) -> BTreeMap<String, String> {
    blocks_of(a, "policy")
        .into_iter()
        .map(|b| {
            let doc = b.get("document").map(policy::to_json_text).unwrap_or_default();
            (str_of(b, "name").unwrap_or_default().to_owned(), doc)
        })
        .collect()
}

/// Tags as IAM's calls take them.
pub(crate) fn iam_tags(
    call: &str,
    tags: impl IntoIterator<Item = (String, String)>,
) -> Result<Vec<Tag>, ProviderError> {
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
    let policy = trust_policy(&a);
    let path = str_of(&a, "path").unwrap_or(PATH).to_owned();
    if path != PATH {
        // Recorded before the role exists: the record only says where to
        // look, and a role made but not recorded (a run killed between the
        // two) would be invisible to the next plan, which would make it
        // again and fail on the name.
        adopted::record(p, stack, Adopted::Roles, &name).await?;
    }
    let out = p
        .call_once(SERVICE, "CreateRole", || {
            iam.create_role()
                .role_name(&name)
                .path(&path)
                .assume_role_policy_document(&policy)
                .set_description(str_of(&a, "description").map(str::to_owned))
                .set_permissions_boundary(str_of(&a, "permissions_boundary").map(str::to_owned))
                .set_max_session_duration(i32_of(&a, "max_session_duration"))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out.role.map(|r| r.arn).unwrap_or_default();
    for (policy, document) in inline(&a) {
        put_policy(p, &name, &policy, &document).await?;
    }
    for policy in strs_of(&a, "policies") {
        attach(p, &name, &policy).await?;
    }
    a.insert("policies".to_owned(), sorted(strs_of(&a, "policies")));
    a.insert("path".to_owned(), Value::String(path));
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

async fn put_policy(p: &AwsProvider, role: &str, name: &str, document: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    p.call(SERVICE, "PutRolePolicy", || {
        iam.put_role_policy()
            .role_name(role)
            .policy_name(name)
            .policy_document(document)
            .send()
    })
    .await?;
    Ok(())
}

async fn delete_policy(p: &AwsProvider, role: &str, name: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    p.call_unless(SERVICE, "DeleteRolePolicy", &["NoSuchEntity"], || {
        iam.delete_role_policy().role_name(role).policy_name(name).send()
    })
    .await?;
    Ok(())
}

/// The names of the role's inline policies.
async fn inline_names(p: &AwsProvider, role: &str) -> Result<Vec<String>, ProviderError> {
    let iam = &p.clients.iam;
    p.list(SERVICE, "ListRolePolicies", || {
        paginate!(iam.list_role_policies().role_name(role), policy_names)
    })
    .await
}

/// The role's inline policies as `policy` blocks.
async fn read_inline(p: &AwsProvider, role: &str) -> Result<Value, ProviderError> {
    let iam = &p.clients.iam;
    let reads = inline_names(p, role).await?.into_iter().map(|name| async move {
        let out = p
            .call(SERVICE, "GetRolePolicy", || {
                iam.get_role_policy().role_name(role).policy_name(&name).send()
            })
            .await?;
        let block = attrs([
            ("name", Value::String(name)),
            ("document", policy::from_aws(out.policy_document())),
        ]);
        Ok::<_, ProviderError>(Value::Map(block))
    });
    Ok(Value::List(try_join_all(reads).await?))
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
    if ["assume", "assume_policy"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k))
    {
        let policy = trust_policy(&new);
        p.call(SERVICE, "UpdateAssumeRolePolicy", || {
            iam.update_assume_role_policy()
                .role_name(&name)
                .policy_document(&policy)
                .send()
        })
        .await?;
    }
    if ["description", "max_session_duration"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k))
    {
        // Both at once: moto's UpdateRole unsets what it is not sent.
        p.call(SERVICE, "UpdateRole", || {
            iam.update_role()
                .role_name(&name)
                .description(str_of(&new, "description").unwrap_or_default())
                .max_session_duration(i32_of(&new, "max_session_duration").unwrap_or(DEFAULT_SESSION))
                .send()
        })
        .await?;
    }
    if old.get("permissions_boundary") != new.get("permissions_boundary") {
        match str_of(&new, "permissions_boundary") {
            Some(boundary) => {
                p.call(SERVICE, "PutRolePermissionsBoundary", || {
                    iam.put_role_permissions_boundary()
                        .role_name(&name)
                        .permissions_boundary(boundary)
                        .send()
                })
                .await?;
            }
            None => {
                p.call(SERVICE, "DeleteRolePermissionsBoundary", || {
                    iam.delete_role_permissions_boundary().role_name(&name).send()
                })
                .await?;
            }
        }
    }
    let (before, after) = (inline(old), inline(&new));
    for (policy, document) in &after {
        if before.get(policy) != Some(document) {
            put_policy(p, &name, policy, document).await?;
        }
    }
    for policy in before.keys().filter(|k| !after.contains_key(*k)) {
        delete_policy(p, &name, policy).await?;
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
    keep(&mut new, old, &["arn", "name"]);
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

pub(crate) async fn delete(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    remove(p, name).await?;
    if str_of(&live.attrs, "path").is_some_and(|path| path != PATH) {
        adopted::forget(p, stack, Adopted::Roles, name).await?;
    }
    Ok(())
}

/// Detaches and deletes the role `name`'s policies, then the role; one
/// already gone is fine.
async fn remove(p: &AwsProvider, name: &str) -> Result<(), ProviderError> {
    let iam = &p.clients.iam;
    let policies = match attached(p, name).await {
        Ok(policies) => policies,
        Err(e) if e.code == "NoSuchEntity" => return Ok(()),
        Err(e) => return Err(e),
    };
    for policy in policies {
        detach(p, name, &policy).await?;
    }
    for policy in inline_names(p, name).await? {
        delete_policy(p, name, &policy).await?;
    }
    p.call_unless(SERVICE, "DeleteRole", &["NoSuchEntity"], || {
        iam.delete_role().role_name(name).send()
    })
    .await?;
    Ok(())
}

/// The stack's roles: those under berth's path (ListRoles with its
/// prefix, then GetRole each: the tags say whose), and those it adopted
/// outside it, by the names recorded at adoption ([`adopted`]).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let iam = &p.clients.iam;
    let (listed, recorded) = tokio::join!(
        p.list(SERVICE, "ListRoles", || {
            paginate!(iam.list_roles().path_prefix(PATH), roles)
        }),
        adopted::recorded(p, stack, Adopted::Roles),
    );
    let mut names: BTreeSet<String> = listed?.into_iter().map(|r| r.role_name).collect();
    names.extend(recorded?);
    let scope = Scope::Stack(stack);
    let reads = names.iter().map(|name| read_if_there(p, &scope, name));
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
    read_if_there(p, scope, name).await
}

/// [`read`], none when there is no role `name` (NoSuchEntity).
async fn read_if_there(
    p: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
) -> Result<Option<Resource>, ProviderError> {
    read(p, scope, name).await.or_else(|e| gone(e, "NoSuchEntity"))
}

/// GetRole, its inline and attached policies, of the role `name`, if
/// `scope` looks for it.
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
    // The canonical form reads a lone service's trust policy as `assume`.
    let trust = role
        .assume_role_policy_document()
        .map_or(Value::Null, policy::from_aws);
    let a = attrs([
        ("assume", Value::Null),
        ("assume_policy", trust),
        ("policy", read_inline(p, name).await?),
        ("policies", sorted(policies)),
        (
            "description",
            opt_str(role.description().filter(|d| !d.is_empty())),
        ),
        (
            "permissions_boundary",
            opt_str(
                role.permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn()),
            ),
        ),
        (
            "max_session_duration",
            role.max_session_duration()
                .map_or(Value::Null, |s| Value::Int(i64::from(s))),
        ),
        ("path", Value::from(role.path())),
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
    // Outside berth's path the stack's reader finds it by the record only.
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    if !arn.contains(&format!(":role{PATH}")) {
        adopted::record(p, stack, Adopted::Roles, name).await?;
    }
    Ok(())
}
