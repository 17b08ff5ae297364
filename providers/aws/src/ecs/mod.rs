//! ECS: clusters, Fargate task definitions (immutable revisions) and
//! services.

mod cluster;
mod connect;
mod container_settings;
mod scaling;

pub(crate) use scaling::step_policy_arn;
pub(crate) mod service;
mod strategy;
mod task_definition;
mod volume;

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ecs::types::Tag;
use berth_provider::adopt::adoption_tags;
use berth_provider::schema::cluster_name;
use berth_provider::{Attrs, External, Kind, ProviderError, Resource, Value};

use crate::AwsProvider;
use crate::attrs::{complete, create_tags, parents, resource, str_of, tag_diff};
use crate::scope::Scope;
use crate::tagging;

pub(crate) const SERVICE: &str = "ecs";

/// The stack's clusters, task definitions and services. Services and
/// task definitions come from the tagging API (services wherever they
/// run, the stack's clusters or the `external` ones, named by ARN or
/// name), services also from ListServices in the stack's own clusters; a
/// task definition a service runs that the tagging API did not list
/// (registered seconds ago) is described too.
pub(crate) async fn read_all(
    p: &AwsProvider,
    stack: &str,
    external: &[External],
) -> Result<Vec<Resource>, ProviderError> {
    let scope = Scope::Stack(stack);
    let (clusters, tds, tagged) = tokio::join!(
        cluster::read(p, &scope),
        task_definition::read_all(p, stack),
        tagging::tagged(p, stack, "ecs:service"),
    );
    let (clusters, tagged) = (clusters?, tagged?);
    // One listing per cluster, however it is named (for services the
    // tagging API cannot place in a cluster).
    let parents: BTreeMap<&str, &str> = parents(&clusters, external, Kind::Cluster)
        .map(|c| (cluster_name(c), c))
        .collect();
    let parents: Vec<&str> = parents.into_values().collect();
    let own: Vec<&str> = clusters.iter().filter_map(|c| str_of(&c.attrs, "arn")).collect();
    let mut services =
        service::read_tagged(p, &scope, tagged.keys().map(String::as_str), &own, &parents).await?;
    scaling::read_into(p, &mut services).await?;
    let mut tds = tds?;
    name_revisions_by_arn(&tds, &mut services);
    let known: BTreeSet<String> = tds
        .iter()
        .filter_map(|t| str_of(&t.attrs, "arn"))
        .map(str::to_owned)
        .collect();
    let missing: BTreeSet<String> = services
        .iter()
        .filter_map(|s| str_of(&s.attrs, "task_definition"))
        .filter(|td| !known.contains(*td))
        .map(str::to_owned)
        .collect();
    let missing: Vec<String> = missing.into_iter().collect();
    // A service may name a revision by `family:revision` (moto answers as
    // it was sent): the one read is then one already read (or named
    // otherwise by another service), not a second copy of it.
    let mut seen = known;
    let extra = task_definition::read_arns(p, stack, &missing).await?;
    tds.extend(
        extra
            .into_iter()
            .filter(|t| str_of(&t.attrs, "arn").is_none_or(|arn| seen.insert(arn.to_owned()))),
    );
    let mut out = clusters;
    out.extend(tds);
    out.extend(services);
    Ok(out)
}

/// ECS answers a service's revision by its ARN; moto answers it as it was
/// sent (`family:revision`, as terraform-aws-modules/ecs sends it): a
/// revision of the stack's is named by its ARN, as AWS names it.
fn name_revisions_by_arn(tds: &[Resource], services: &mut [Resource]) {
    let arns: BTreeMap<String, &str> = tds
        .iter()
        .filter_map(|t| {
            let family = str_of(&t.attrs, "family")?;
            let revision = t.attrs.get("revision")?.as_int()?;
            Some((format!("{family}:{revision}"), str_of(&t.attrs, "arn")?))
        })
        .collect();
    for service in services {
        let arn = str_of(&service.attrs, "task_definition").and_then(|named| arns.get(named));
        if let Some(arn) = arn {
            service
                .attrs
                .insert("task_definition".to_owned(), Value::from(*arn));
        }
    }
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = desired.address.kind;
    let mut attrs = complete(kind, &desired.attrs);
    let tags = ecs_tags(&create_tags(stack, &desired.address, &attrs));
    let computed = match kind {
        Kind::Cluster => cluster::create(p, stack, &desired.address, &attrs, tags).await?,
        Kind::TaskDefinition => task_definition::create(p, stack, &desired.address, &mut attrs, tags).await?,
        _ => service::create(p, stack, &desired.address, &attrs, tags).await?,
    };
    attrs.extend(computed);
    Ok(resource(desired.address.clone(), attrs))
}

pub(crate) async fn update(
    p: &AwsProvider,
    _stack: &str,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = live.address.kind;
    let mut new = complete(kind, &desired.attrs);
    let arn = identity(live)?;
    match kind {
        Kind::Cluster => cluster::update(p, &arn, &live.attrs, &new).await?,
        Kind::TaskDefinition => task_definition::update(p, &live.attrs, &mut new)?,
        _ => service::update(p, &arn, &live.attrs, &new).await?,
    }
    update_tags(p, &arn, &live.attrs, &new).await?;
    for attr in kind.schema().attrs.iter().filter(|a| a.is_settled_by_cloud()) {
        if let Some(v) = live.attrs.get(attr.name) {
            new.insert(attr.name.to_owned(), v.clone());
        }
    }
    Ok(resource(live.address.clone(), new))
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let arn = identity(live)?;
    match live.address.kind {
        Kind::Cluster => cluster::delete(p, &arn).await,
        Kind::TaskDefinition => task_definition::delete(p, &arn).await,
        _ => service::delete(p, &arn, &live.attrs).await,
    }
}

/// The ECS resource `scope` looks for, read as the stack's are: a
/// cluster by name or ARN, a task definition by `FAMILY:REVISION`, ARN or
/// family, a service by `CLUSTER/SERVICE` or ARN (with its autoscaling).
pub(crate) async fn read_one(
    p: &AwsProvider,
    kind: Kind,
    scope: &Scope<'_>,
) -> Result<Vec<Resource>, ProviderError> {
    match kind {
        Kind::Cluster => cluster::read(p, scope).await,
        Kind::TaskDefinition => Ok(task_definition::read_one(p, scope).await?.into_iter().collect()),
        _ => {
            let mut services = service::read(p, scope, &[]).await?;
            scaling::read_into(p, &mut services).await?;
            Ok(services)
        }
    }
}

/// TagResource: berth's tags on an ECS resource it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = identity(live)?;
    let tags = ecs_tags(&adoption_tags(stack, &live.address));
    let ecs = &p.clients.ecs;
    p.call(SERVICE, "TagResource", || {
        ecs.tag_resource()
            .resource_arn(&arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

fn identity(live: &Resource) -> Result<String, ProviderError> {
    str_of(&live.attrs, "arn").map(str::to_owned).ok_or_else(|| {
        crate::errors::invalid(
            "Describe",
            format!("{} has no ARN: it was not read from AWS", live.address),
        )
    })
}

fn ecs_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or_default())))
}

/// TagResource / UntagResource for a change of the user's tags.
async fn update_tags(p: &AwsProvider, arn: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (set, removed) = tag_diff(old, new);
    let ecs = &p.clients.ecs;
    if !set.is_empty() {
        let tags = ecs_tags(&set);
        p.call(SERVICE, "TagResource", || {
            ecs.tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            ecs.untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}
