//! SSM Parameter Store: `ssm_parameter`s, named `/{stack}/{name}` unless
//! the configuration names them. PutParameter (tags in the call) to
//! create, PutParameter with `Overwrite` to change, AddTagsToResource /
//! RemoveTagsFromResource for tags. To read a stack's: DescribeParameters
//! filtered on the stack's tag, then GetParameters (10 a call, decrypted:
//! a changed value is drift) and the addresses from the tagging API
//! (ListTagsForResource for a parameter it does not list yet). berth's own
//! parameters under `/berth/` (locks, adoption records: `lock.rs`,
//! `adopted.rs`) carry the stack's tag too and are skipped.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ssm::types::{
    Parameter, ParameterMetadata, ParameterStringFilter, ParameterTier, ParameterType,
    ResourceTypeForTagging, Tag,
};
use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::{Attrs, Kind, ProviderError, Resource, STACK_TAG, Value};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, checked_tags, complete, create_tags, named, opt_str, resource, str_of, tag_diff, user_tags,
};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const SERVICE: &str = "ssm";

/// Names GetParameters takes in one call.
const BATCH: usize = 10;

/// Where berth keeps parameters of its own.
const BERTH_PATH: &str = "/berth/";

/// The key AWS encrypts a `SecureString` with when none is given.
const DEFAULT_KEY: &str = "alias/aws/ssm";

/// The ARN of the parameter `name` (`parameter/NAME`, without the
/// path's leading `/`): GetParameters answers with it, PutParameter not.
async fn arn_of(p: &AwsProvider, name: &str) -> Result<String, ProviderError> {
    let resource = format!("parameter/{}", name.trim_start_matches('/'));
    Ok(p.caller().await?.arn(SERVICE, p.region(), &resource))
}

/// Left out, a `SecureString`'s key stays the one AWS holds: an overwrite
/// without one would encrypt the new version with AWS's default key.
fn keep_key(old: &Attrs, new: &mut Attrs) {
    if str_of(new, "type") == Some("SecureString")
        && str_of(new, "kms_key").is_none()
        && let Some(key) = str_of(old, "kms_key")
    {
        new.insert("kms_key".to_owned(), Value::from(key));
    }
}

/// What a put returns: the desired attributes, with the key AWS encrypts
/// a `SecureString` with when none is given.
fn put_result(mut a: Attrs, name: String, arn: String) -> Attrs {
    if str_of(&a, "type") == Some("SecureString") && str_of(&a, "kms_key").is_none() {
        a.insert("kms_key".to_owned(), Value::from(DEFAULT_KEY));
    }
    named(a, name, arn)
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let call = "PutParameter";
    let ssm = &p.clients.ssm;
    let a = complete(Kind::SsmParameter, &desired.attrs);
    let name = naming::given(&a, "name")
        .map_or_else(|| naming::ssm_parameter(stack, &desired.address), str::to_owned);
    let tags = checked_tags!(Tag, call, create_tags(stack, &desired.address, &a))?;
    let arn = arn_of(p, &name).await?;
    // Not idempotent: sent again after a lost answer it would be refused
    // (ParameterAlreadyExists); the next plan reads the parameter the
    // first one made, tagged in the call.
    p.call_once(SERVICE, call, || {
        ssm.put_parameter()
            .name(&name)
            .value(str_of(&a, "value").unwrap_or_default())
            .r#type(ParameterType::from(str_of(&a, "type").unwrap_or("String")))
            .set_description(str_of(&a, "description").map(str::to_owned))
            .set_key_id(str_of(&a, "kms_key").map(str::to_owned))
            .set_allowed_pattern(str_of(&a, "allowed_pattern").map(str::to_owned))
            .tier(ParameterTier::from(str_of(&a, "tier").unwrap_or("Standard")))
            .data_type(str_of(&a, "data_type").unwrap_or("text"))
            .overwrite(false)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(resource(desired.address.clone(), put_result(a, name, arn)))
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let ssm = &p.clients.ssm;
    let mut new = complete(Kind::SsmParameter, &desired.attrs);
    let old = &live.attrs;
    keep_key(old, &mut new);
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    let changed = ["type", "value", "description", "kms_key", "allowed_pattern"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k));
    if changed {
        // Overwrite keeps what it is not sent: an empty description or
        // pattern is how one is removed. The tier and data type (which a
        // change replaces) are sent as they are, so that no account default
        // applies to the new version.
        p.call(SERVICE, "PutParameter", || {
            ssm.put_parameter()
                .name(&name)
                .value(str_of(&new, "value").unwrap_or_default())
                .r#type(ParameterType::from(str_of(&new, "type").unwrap_or("String")))
                .description(str_of(&new, "description").unwrap_or_default())
                .set_key_id(str_of(&new, "kms_key").map(str::to_owned))
                .allowed_pattern(str_of(&new, "allowed_pattern").unwrap_or_default())
                .tier(ParameterTier::from(str_of(&new, "tier").unwrap_or("Standard")))
                .data_type(str_of(&new, "data_type").unwrap_or("text"))
                .overwrite(true)
                .send()
        })
        .await?;
    }
    let (set, removed) = tag_diff(old, &new);
    if !set.is_empty() {
        add_tags(p, &name, set).await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "RemoveTagsFromResource", || {
            ssm.remove_tags_from_resource()
                .resource_type(ResourceTypeForTagging::Parameter)
                .resource_id(&name)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(resource(live.address.clone(), put_result(new, name, arn)))
}

async fn add_tags(p: &AwsProvider, name: &str, tags: BTreeMap<String, String>) -> Result<(), ProviderError> {
    let call = "AddTagsToResource";
    let ssm = &p.clients.ssm;
    let tags = checked_tags!(Tag, call, tags)?;
    p.call(SERVICE, call, || {
        ssm.add_tags_to_resource()
            .resource_type(ResourceTypeForTagging::Parameter)
            .resource_id(name)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// AddTagsToResource: berth's tags on a parameter it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    add_tags(p, name, adoption_tags(stack, &live.address)).await
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let ssm = &p.clients.ssm;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    p.call_unless(SERVICE, "DeleteParameter", &["ParameterNotFound"], || {
        ssm.delete_parameter().name(name).send()
    })
    .await?;
    Ok(())
}

/// The stack's parameters: DescribeParameters on the stack's tag; for
/// those found, their values and (from the tagging API) their addresses.
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let tag = filter(&format!("tag:{STACK_TAG}"), &[stack])?;
    let listed = describe(p, tag).await?;
    if listed.is_empty() {
        return Ok(Vec::new());
    }
    let (tagged, values) = tokio::join!(tagging::tagged(p, stack, "ssm:parameter"), values(p, &listed));
    read(p, &Scope::Stack(stack), &listed, &tagged?, &values?).await
}

/// The parameter `scope` looks for, by name or ARN. An ARN does not tell
/// `/db` from `db` (both are `parameter/db`): either is taken.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let names = match id.split_once(":parameter/") {
        Some((_, name)) => vec![format!("/{name}"), name.to_owned()],
        None => vec![id.to_owned()],
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let listed = describe(p, filter("Name", &names)?).await?;
    let values = values(p, &listed).await?;
    let found = read(p, scope, &listed, &HashMap::new(), &values).await?;
    Ok(found.into_iter().next())
}

fn filter(key: &str, values: &[&str]) -> Result<ParameterStringFilter, ProviderError> {
    ParameterStringFilter::builder()
        .key(key)
        .option("Equals")
        .set_values(Some(values.iter().map(|v| (*v).to_owned()).collect()))
        .build()
        .map_err(|e| build_error("DescribeParameters", e))
}

/// DescribeParameters with `filter`, berth's own parameters left out.
async fn describe(
    p: &AwsProvider,
    filter: ParameterStringFilter,
) -> Result<Vec<ParameterMetadata>, ProviderError> {
    let ssm = &p.clients.ssm;
    let listed = p
        .list(SERVICE, "DescribeParameters", || {
            paginate!(
                ssm.describe_parameters()
                    .parameter_filters(filter.clone())
                    .max_results(50),
                parameters
            )
        })
        .await?;
    Ok(listed
        .into_iter()
        .filter(|m| m.name().is_some_and(|n| !n.starts_with(BERTH_PATH)))
        .collect())
}

/// GetParameters, decrypted, of the parameters `listed`, by name. One
/// deleted since it was listed is missing.
async fn values(
    p: &AwsProvider,
    listed: &[ParameterMetadata],
) -> Result<HashMap<String, Parameter>, ProviderError> {
    let ssm = &p.clients.ssm;
    let names: Vec<String> = listed
        .iter()
        .filter_map(|m| m.name().map(str::to_owned))
        .collect();
    let calls = names.chunks(BATCH).map(|batch| {
        p.call(SERVICE, "GetParameters", move || {
            ssm.get_parameters()
                .set_names(Some(batch.to_vec()))
                .with_decryption(true)
                .send()
        })
    });
    let answers = try_join_all(calls).await?;
    Ok(answers
        .into_iter()
        .flat_map(|out| out.parameters.unwrap_or_default())
        .filter_map(|param| Some((param.name()?.to_owned(), param)))
        .collect())
}

/// The parameters `listed` that `scope` looks for, with their `values`;
/// tags from `tagged` (by ARN) or, when it lacks one, ListTagsForResource.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    listed: &[ParameterMetadata],
    tagged: &HashMap<String, Tags>,
    values: &HashMap<String, Parameter>,
) -> Result<Vec<Resource>, ProviderError> {
    let reads = listed.iter().filter_map(|meta| {
        let name = meta.name()?;
        let param = values.get(name)?;
        Some(async move {
            let arn = match param.arn() {
                Some(arn) => arn.to_owned(),
                None => arn_of(p, name).await?,
            };
            let tags = match tagged.get(&arn) {
                Some(tags) => tags.clone(),
                None => tags_of(p, name).await?,
            };
            let pairs = tagging::pairs(&tags);
            let Some(address) = scope.address(Kind::SsmParameter, pairs) else {
                return Ok(None);
            };
            Ok::<_, ProviderError>(Some(resource(address, decode(meta, param, &arn, &tags))))
        })
    });
    let found: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(found.into_iter().flatten().collect())
}

/// ListTagsForResource: the tags of the parameter `name`.
async fn tags_of(p: &AwsProvider, name: &str) -> Result<Tags, ProviderError> {
    let ssm = &p.clients.ssm;
    let out = p
        .call(SERVICE, "ListTagsForResource", || {
            ssm.list_tags_for_resource()
                .resource_type(ResourceTypeForTagging::Parameter)
                .resource_id(name)
                .send()
        })
        .await?;
    Ok(out
        .tag_list()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect())
}

fn decode(meta: &ParameterMetadata, param: &Parameter, arn: &str, tags: &Tags) -> Attrs {
    let ty = meta.r#type().map_or("String", ParameterType::as_str);
    // SSM keeps the key of a parameter once a `SecureString` after it
    // becomes a `String`; only a `SecureString` is encrypted with it.
    let key = match ty {
        "SecureString" => opt_str(meta.key_id()),
        _ => Value::Null,
    };
    attrs([
        ("type", Value::from(ty)),
        ("value", opt_str(param.value())),
        ("description", opt_str(meta.description())),
        (
            "tier",
            Value::from(meta.tier().map_or("Standard", ParameterTier::as_str)),
        ),
        ("kms_key", key),
        ("allowed_pattern", opt_str(meta.allowed_pattern())),
        ("data_type", Value::from(meta.data_type().unwrap_or("text"))),
        ("tags", user_tags(tagging::pairs(tags))),
        ("arn", Value::from(arn)),
        ("name", opt_str(meta.name())),
    ])
}
