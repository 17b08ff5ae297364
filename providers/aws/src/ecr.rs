//! ECR: private repositories named `{stack}-{name}` (lower case) unless the
//! configuration names them. CreateRepository (scanning, tag mutability,
//! encryption and tags in the call) + PutLifecyclePolicy, whose document
//! berth writes from the `lifecycle_rule` blocks, + SetRepositoryPolicy;
//! updates through PutImageScanningConfiguration, PutImageTagMutability,
//! Put/DeleteLifecyclePolicy and Set/DeleteRepositoryPolicy;
//! DescribeRepositories + ListTagsForResource + GetLifecyclePolicy +
//! GetRepositoryPolicy to read. `force_delete` lives in a tag of berth's
//! and makes DeleteRepository take the images with it.

use aws_sdk_ecr::types::{
    EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability, Repository, Tag,
};
use std::collections::BTreeMap;

use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value, policy};
use futures::future::try_join_all;
use serde_json::json;

use crate::attrs::{
    FlagTag, attrs, blocks_of, bool_of, checked_tags, complete, create_tags, created_at, int_of, resource,
    str_list, str_of, strs_of, tag_diff, user_tags,
};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "ecr";

/// A repository's `force_delete`, which ECR keeps no field for.
const FORCE: FlagTag = FlagTag {
    attr: "force_delete",
    tag: "berth:force_delete",
};

/// What GetLifecyclePolicy and DeleteLifecyclePolicy answer for a
/// repository without one.
const NO_POLICY: &str = "LifecyclePolicyNotFoundException";

/// What GetRepositoryPolicy and DeleteRepositoryPolicy answer for a
/// repository without one.
const NO_REPOSITORY_POLICY: &str = "RepositoryPolicyNotFoundException";

fn scanning(a: &Attrs) -> ImageScanningConfiguration {
    ImageScanningConfiguration::builder()
        .scan_on_push(bool_of(a, "scan_on_push"))
        .build()
}

fn mutability(a: &Attrs) -> ImageTagMutability {
    ImageTagMutability::from(str_of(a, "tag_mutability").unwrap_or("MUTABLE"))
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let call = "CreateRepository";
    let ecr = &p.clients.ecr;
    let mut a = complete(Kind::EcrRepository, &desired.attrs);
    let name = naming::given(&a, "name").map_or_else(|| naming::ecr(stack, &desired.address), str::to_owned);
    let mut tags = create_tags(stack, &desired.address, &a);
    FORCE.create(&a, &mut tags);
    let tags = checked_tags!(Tag, call, tags)?;
    let encryption = EncryptionConfiguration::builder()
        .encryption_type(EncryptionType::from(str_of(&a, "encryption").unwrap_or("AES256")))
        .set_kms_key(str_of(&a, "kms_key").map(str::to_owned))
        .build()
        .map_err(|e| build_error(call, e))?;
    let out = p
        .call_once(SERVICE, call, || {
            ecr.create_repository()
                .repository_name(&name)
                .image_scanning_configuration(scanning(&a))
                .image_tag_mutability(mutability(&a))
                .encryption_configuration(encryption.clone())
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    if let Some(policy) = lifecycle_policy(&a) {
        put_policy(p, &name, &policy).await?;
    }
    if let Some(doc) = repository_policy(&a) {
        set_repository_policy(p, &name, &doc).await?;
    }
    let repo = out.repository();
    let computed = [
        ("arn", repo.and_then(Repository::repository_arn)),
        ("url", repo.and_then(Repository::repository_uri)),
        ("registry_id", repo.and_then(Repository::registry_id)),
    ];
    for (key, value) in computed {
        a.insert(key.to_owned(), value.map_or(Value::Null, Value::from));
    }
    a.insert("name".to_owned(), Value::String(name));
    Ok(resource(desired.address.clone(), a))
}

/// The lifecycle policy document of the `lifecycle_rule` blocks, by
/// priority; none without rules.
fn lifecycle_policy(a: &Attrs) -> Option<String> {
    let mut blocks = blocks_of(a, "lifecycle_rule");
    blocks.sort_by_key(|r| int_of(r, "priority"));
    let rules: Vec<serde_json::Value> = blocks
        .into_iter()
        .map(|r| {
            let status = str_of(r, "tag_status").unwrap_or("any").to_ascii_lowercase();
            let count_type = str_of(r, "count_type").unwrap_or_default();
            let mut selection = json!({
                "tagStatus": status,
                "countType": count_type,
                "countNumber": int_of(r, "count").unwrap_or(1),
            });
            if count_type == "sinceImagePushed" {
                selection["countUnit"] = json!("days");
            }
            let prefixes = strs_of(r, "tag_prefixes");
            if !prefixes.is_empty() {
                selection["tagPrefixList"] = json!(prefixes);
            }
            let mut rule = json!({
                "rulePriority": int_of(r, "priority").unwrap_or(1),
                "selection": selection,
                "action": {"type": "expire"},
            });
            if let Some(d) = str_of(r, "description") {
                rule["description"] = json!(d);
            }
            rule
        })
        .collect();
    (!rules.is_empty()).then(|| json!({ "rules": rules }).to_string())
}

/// The `lifecycle_rule` blocks of a lifecycle policy document.
fn lifecycle_rules(text: &str) -> Value {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let rules = doc["rules"].as_array().cloned().unwrap_or_default();
    Value::List(
        rules
            .iter()
            .map(|r| {
                let s = &r["selection"];
                let prefixes = s["tagPrefixList"].as_array().cloned().unwrap_or_default();
                Value::Map(attrs([
                    (
                        "priority",
                        r["rulePriority"].as_i64().map_or(Value::Null, Value::Int),
                    ),
                    (
                        "description",
                        r["description"].as_str().map_or(Value::Null, Value::from),
                    ),
                    (
                        "tag_status",
                        Value::from(s["tagStatus"].as_str().unwrap_or("any")),
                    ),
                    (
                        "tag_prefixes",
                        str_list(prefixes.iter().filter_map(|p| p.as_str())),
                    ),
                    (
                        "count_type",
                        Value::from(s["countType"].as_str().unwrap_or_default()),
                    ),
                    ("count", s["countNumber"].as_i64().map_or(Value::Null, Value::Int)),
                ]))
            })
            .collect(),
    )
}

/// The repository policy document as ECR takes it, when one is given.
fn repository_policy(a: &Attrs) -> Option<String> {
    a.get("policy")
        .filter(|v| **v != Value::Null)
        .map(policy::to_json_text)
}

/// SetRepositoryPolicy: who else may pull or push.
async fn set_repository_policy(p: &AwsProvider, name: &str, doc: &str) -> Result<(), ProviderError> {
    let ecr = &p.clients.ecr;
    p.call(SERVICE, "SetRepositoryPolicy", || {
        ecr.set_repository_policy()
            .repository_name(name)
            .policy_text(doc)
            .send()
    })
    .await?;
    Ok(())
}

async fn put_policy(p: &AwsProvider, name: &str, policy: &str) -> Result<(), ProviderError> {
    let ecr = &p.clients.ecr;
    p.call(SERVICE, "PutLifecyclePolicy", || {
        ecr.put_lifecycle_policy()
            .repository_name(name)
            .lifecycle_policy_text(policy)
            .send()
    })
    .await?;
    Ok(())
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let ecr = &p.clients.ecr;
    let mut new = complete(Kind::EcrRepository, &desired.attrs);
    let old = &live.attrs;
    let changed = |k: &str| old.get(k) != new.get(k);
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    if changed("scan_on_push") {
        p.call(SERVICE, "PutImageScanningConfiguration", || {
            ecr.put_image_scanning_configuration()
                .repository_name(&name)
                .image_scanning_configuration(scanning(&new))
                .send()
        })
        .await?;
    }
    if changed("tag_mutability") {
        p.call(SERVICE, "PutImageTagMutability", || {
            ecr.put_image_tag_mutability()
                .repository_name(&name)
                .image_tag_mutability(mutability(&new))
                .send()
        })
        .await?;
    }
    if changed("lifecycle_rule") {
        match lifecycle_policy(&new) {
            Some(policy) => put_policy(p, &name, &policy).await?,
            None => {
                p.call_unless(SERVICE, "DeleteLifecyclePolicy", &[NO_POLICY], || {
                    ecr.delete_lifecycle_policy().repository_name(&name).send()
                })
                .await?;
            }
        }
    }
    if changed("policy") {
        match repository_policy(&new) {
            Some(doc) => set_repository_policy(p, &name, &doc).await?,
            None => {
                p.call_unless(SERVICE, "DeleteRepositoryPolicy", &[NO_REPOSITORY_POLICY], || {
                    ecr.delete_repository_policy().repository_name(&name).send()
                })
                .await?;
            }
        }
    }
    let (mut set, mut removed) = tag_diff(old, &new);
    FORCE.update(old, &new, &mut set, &mut removed);
    if !set.is_empty() {
        tag(p, &arn, set).await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            ecr.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    for key in ["arn", "url", "registry_id", "name"] {
        new.insert(key.to_owned(), old.get(key).cloned().unwrap_or(Value::Null));
    }
    Ok(resource(live.address.clone(), new))
}

/// Deletes the repository. One still holding images is refused by ECR
/// (`RepositoryNotEmptyException`) unless `force_delete`: berth deletes
/// images only when told to.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let ecr = &p.clients.ecr;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    let force = bool_of(&live.attrs, FORCE.attr);
    p.call_unless(
        SERVICE,
        "DeleteRepository",
        &["RepositoryNotFoundException"],
        || ecr.delete_repository().repository_name(name).force(force).send(),
    )
    .await?;
    Ok(())
}

/// TagResource with `tags`.
async fn tag(p: &AwsProvider, arn: &str, tags: BTreeMap<String, String>) -> Result<(), ProviderError> {
    let ecr = &p.clients.ecr;
    let tags = checked_tags!(Tag, "TagResource", tags)?;
    p.call(SERVICE, "TagResource", || {
        ecr.tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// TagResource: berth's tags on a repository it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    tag(p, arn, adoption_tags(stack, &live.address)).await
}

pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let ecr = &p.clients.ecr;
    let repos = p
        .list(SERVICE, "DescribeRepositories", || {
            paginate!(ecr.describe_repositories(), repositories)
        })
        .await?;
    let scope = Scope::Stack(stack);
    let reads = repos.iter().map(|repo| read(p, &scope, repo));
    let found: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(found.into_iter().flatten().collect())
}

/// The repository `scope` looks for, by name or ARN
/// (DescribeRepositories of that name; RepositoryNotFoundException is
/// none).
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let ecr = &p.clients.ecr;
    let id = scope.id().unwrap_or_default();
    // `arn:aws:ecr:REGION:ACCOUNT:repository/NAME`: the name may hold `/`.
    let name = id.split_once(":repository/").map_or(id, |(_, name)| name);
    let out = p
        .call_unless(
            SERVICE,
            "DescribeRepositories",
            &["RepositoryNotFoundException"],
            || ecr.describe_repositories().repository_names(name).send(),
        )
        .await?;
    match out.as_ref().and_then(|o| o.repositories().first()) {
        Some(repo) => read(p, scope, repo).await,
        None => Ok(None),
    }
}

/// The repository as a resource `scope` looks for, if it is one.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    repo: &Repository,
) -> Result<Option<Resource>, ProviderError> {
    let ecr = &p.clients.ecr;
    let (Some(arn), Some(name)) = (repo.repository_arn(), repo.repository_name()) else {
        return Ok(None);
    };
    // Listed, then deleted by its owner (another stack's destroy) before
    // its tags are read: not this stack's.
    let Some(out) = p
        .call_unless(
            SERVICE,
            "ListTagsForResource",
            &["RepositoryNotFoundException"],
            || ecr.list_tags_for_resource().resource_arn(arn).send(),
        )
        .await?
    else {
        return Ok(None);
    };
    let pairs = || {
        out.tags()
            .iter()
            .map(|t| (t.key(), t.value()))
            .filter(|(k, _)| !FORCE.is(k))
    };
    let force = out.tags().iter().any(|t| FORCE.is(t.key()));
    let Some(address) = scope.address(Kind::EcrRepository, pairs()) else {
        return Ok(None);
    };
    let policy = p
        .call_unless(SERVICE, "GetLifecyclePolicy", &[NO_POLICY], || {
            ecr.get_lifecycle_policy().repository_name(name).send()
        })
        .await?;
    let rules = policy
        .as_ref()
        .and_then(|o| o.lifecycle_policy_text())
        .map_or(Value::List(Vec::new()), lifecycle_rules);
    let access = p
        .call_unless(SERVICE, "GetRepositoryPolicy", &[NO_REPOSITORY_POLICY], || {
            ecr.get_repository_policy().repository_name(name).send()
        })
        .await?;
    let access = access
        .as_ref()
        .and_then(|o| o.policy_text())
        .map_or(Value::Null, policy::from_aws);
    let encryption = repo.encryption_configuration();
    let a = attrs([
        (
            "scan_on_push",
            Value::Bool(
                repo.image_scanning_configuration()
                    .is_some_and(|s| s.scan_on_push()),
            ),
        ),
        (
            "tag_mutability",
            Value::from(repo.image_tag_mutability().map_or("MUTABLE", |m| m.as_str())),
        ),
        (
            "encryption",
            Value::from(encryption.map_or("AES256", |e| e.encryption_type().as_str())),
        ),
        (
            "kms_key",
            encryption
                .and_then(|e| e.kms_key())
                .map_or(Value::Null, Value::from),
        ),
        ("lifecycle_rule", rules),
        ("force_delete", Value::Bool(force)),
        ("policy", access),
        ("tags", user_tags(pairs())),
        ("arn", Value::from(arn)),
        ("url", repo.repository_uri().map_or(Value::Null, Value::from)),
        ("registry_id", repo.registry_id().map_or(Value::Null, Value::from)),
        ("name", Value::from(name)),
    ]);
    Ok(Some(created_at(resource(address, a), repo.created_at())))
}
