//! Clusters: CreateCluster with the containerInsights setting (`enabled`,
//! `disabled` or `enhanced`), capacity providers, the default strategy,
//! the default Service Connect namespace and tags, UpdateCluster
//! (settings, the default namespace),
//! PutClusterCapacityProviders (providers and default strategy together),
//! DeleteCluster (retried while services drain).

use aws_sdk_ecs::types::{
    ClusterField, ClusterServiceConnectDefaultsRequest, ClusterSetting, ClusterSettingName, Tag,
};
use berth_provider::naming;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::connect::namespace_arn;
use super::{SERVICE, pairs, strategy};
use crate::attrs::{attrs, resource, str_list, str_of, strs_of, user_tags};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// The cluster's default capacity provider strategy blocks.
const DEFAULT_STRATEGY: &str = "default_capacity_provider_strategy";

/// Most clusters one DescribeClusters call takes.
const BATCH: usize = 100;

/// The containerInsights setting of `a`: `enabled`, `disabled` or a mode
/// (`enhanced`).
fn insights(a: &Attrs) -> ClusterSetting {
    let value = match a.get("container_insights") {
        Some(Value::Bool(true)) => "enabled",
        Some(Value::String(mode)) => mode.as_str(),
        _ => "disabled",
    };
    ClusterSetting::builder()
        .name(ClusterSettingName::ContainerInsights)
        .value(value)
        .build()
}

/// The containerInsights value read back: on and off as bools, another
/// mode as its name.
fn insights_read(value: Option<&str>) -> Value {
    match value {
        None | Some("disabled") => Value::Bool(false),
        Some("enabled") => Value::Bool(true),
        Some(mode) => Value::from(mode),
    }
}

/// The cluster's default Service Connect namespace as ECS takes it (a name
/// or ARN: an id is looked up); an empty one removes it.
async fn connect_defaults(
    p: &AwsProvider,
    call: &str,
    a: &Attrs,
) -> Result<ClusterServiceConnectDefaultsRequest, ProviderError> {
    let namespace = match str_of(a, "service_connect_namespace") {
        Some(ns) => namespace_arn(p, ns).await?,
        None => String::new(),
    };
    ClusterServiceConnectDefaultsRequest::builder()
        .namespace(namespace)
        .build()
        .map_err(|e| build_error(call, e))
}

pub(super) async fn create(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
    tags: Vec<Tag>,
) -> Result<Attrs, ProviderError> {
    let ecs = &p.clients.ecs;
    let name = naming::given(a, "name").map_or_else(|| naming::ecs(stack, address), str::to_owned);
    let default = strategy::encode("CreateCluster", a, DEFAULT_STRATEGY)?;
    let connect = match str_of(a, "service_connect_namespace") {
        Some(_) => Some(connect_defaults(p, "CreateCluster", a).await?),
        None => None,
    };
    let out = p
        .call(SERVICE, "CreateCluster", || {
            ecs.create_cluster()
                .cluster_name(&name)
                .settings(insights(a))
                .set_capacity_providers(Some(strs_of(a, "capacity_providers")))
                .set_default_capacity_provider_strategy((!default.is_empty()).then(|| default.clone()))
                .set_service_connect_defaults(connect.clone())
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out.cluster.and_then(|c| c.cluster_arn).unwrap_or_default();
    Ok(attrs([
        ("arn", Value::String(arn)),
        ("name", Value::String(name)),
    ]))
}

pub(super) async fn update(
    p: &AwsProvider,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    if old.get("container_insights") != new.get("container_insights") {
        let ecs = &p.clients.ecs;
        // UpdateCluster, as Terraform does: it takes the same settings, and
        // moto has no UpdateClusterSettings (HTTP 500).
        p.call(SERVICE, "UpdateCluster", || {
            ecs.update_cluster().cluster(arn).settings(insights(new)).send()
        })
        .await?;
    }
    if old.get("service_connect_namespace") != new.get("service_connect_namespace") {
        let ecs = &p.clients.ecs;
        let connect = connect_defaults(p, "UpdateCluster", new).await?;
        p.call(SERVICE, "UpdateCluster", || {
            ecs.update_cluster()
                .cluster(arn)
                .service_connect_defaults(connect.clone())
                .send()
        })
        .await?;
    }
    if ["capacity_providers", DEFAULT_STRATEGY]
        .iter()
        .any(|k| old.get(*k) != new.get(*k))
    {
        let ecs = &p.clients.ecs;
        // The call replaces both the list and the default strategy.
        let call = "PutClusterCapacityProviders";
        let default = strategy::encode(call, new, DEFAULT_STRATEGY)?;
        p.call(SERVICE, call, || {
            ecs.put_cluster_capacity_providers()
                .cluster(arn)
                .set_capacity_providers(Some(strs_of(new, "capacity_providers")))
                .set_default_capacity_provider_strategy(Some(default.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let ecs = &p.clients.ecs;
    p.call_unless(SERVICE, "DeleteCluster", &["ClusterNotFoundException"], || {
        ecs.delete_cluster().cluster(arn).send()
    })
    .await?;
    Ok(())
}

/// The clusters `scope` looks for: every cluster's tags are read for a
/// stack's; the one named (by name or ARN) is described alone.
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let arns = match scope.id() {
        Some(id) => vec![id.to_owned()],
        None => {
            p.list(SERVICE, "ListClusters", || {
                paginate!(ecs.list_clusters(), cluster_arns)
            })
            .await?
        }
    };
    let batches = arns.chunks(BATCH).map(|batch| {
        p.call(SERVICE, "DescribeClusters", move || {
            ecs.describe_clusters()
                .set_clusters(Some(batch.to_vec()))
                .include(ClusterField::Tags)
                .include(ClusterField::Settings)
                .send()
        })
    });
    let mut out = Vec::new();
    for page in try_join_all(batches).await? {
        for c in page.clusters() {
            if c.status() != Some("ACTIVE") {
                continue;
            }
            let Some(address) = scope.address(Kind::Cluster, pairs(c.tags())) else {
                continue;
            };
            let insights = c
                .settings()
                .iter()
                .find(|s| s.name() == Some(&ClusterSettingName::ContainerInsights))
                .and_then(ClusterSetting::value);
            let a = attrs([
                ("container_insights", insights_read(insights)),
                (
                    "service_connect_namespace",
                    c.service_connect_defaults()
                        .and_then(|d| d.namespace())
                        .filter(|ns| !ns.is_empty())
                        .map_or(Value::Null, Value::from),
                ),
                (
                    "capacity_providers",
                    str_list(c.capacity_providers().iter().map(String::as_str)),
                ),
                (
                    DEFAULT_STRATEGY,
                    strategy::decode(c.default_capacity_provider_strategy()),
                ),
                ("tags", user_tags(pairs(c.tags()))),
                ("arn", Value::from(c.cluster_arn().unwrap_or_default())),
                ("name", Value::from(c.cluster_name().unwrap_or_default())),
            ]);
            out.push(resource(address, a));
        }
    }
    Ok(out)
}
