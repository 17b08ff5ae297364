//! Clusters: CreateCluster with the containerInsights setting (`enabled`,
//! `disabled` or `enhanced`), capacity providers, the default strategy,
//! the default Service Connect namespace and tags, UpdateCluster
//! (settings, the default namespace),
//! PutClusterCapacityProviders (providers and default strategy together),
//! DeleteCluster (retried while services drain). ECS Exec's configuration
//! is sent with CreateCluster when written and with UpdateCluster when it
//! changes (`DEFAULT` when the block goes).

use aws_sdk_ecs::types::{
    ClusterConfiguration, ClusterField, ClusterServiceConnectDefaultsRequest, ClusterSetting,
    ClusterSettingName, ExecuteCommandConfiguration, ExecuteCommandLogConfiguration, ExecuteCommandLogging,
    Tag,
};
use berth_provider::naming;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::connect::namespace_arn;
use super::{SERVICE, pairs, strategy};
use crate::attrs::{attrs, blocks_of, bool_of, resource, str_list, str_of, strs_of, user_tags};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// The cluster's default capacity provider strategy blocks.
const DEFAULT_STRATEGY: &str = "default_capacity_provider_strategy";

/// The cluster's ECS Exec block.
const EXECUTE_COMMAND: &str = "execute_command";

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

/// The cluster's ECS Exec configuration, as the `execute_command` block
/// says (`DEFAULT` logging without one).
fn execute_command(a: &Attrs) -> ClusterConfiguration {
    let block = blocks_of(a, EXECUTE_COMMAND).into_iter().next();
    let get = |k: &str| block.and_then(|b| str_of(b, k)).map(str::to_owned);
    let flag = |k: &str| block.is_some_and(|b| bool_of(b, k));
    let logging = ExecuteCommandLogging::from(get("logging").as_deref().unwrap_or("DEFAULT"));
    let log = (get("log_group").is_some() || get("s3_bucket").is_some()).then(|| {
        ExecuteCommandLogConfiguration::builder()
            .set_cloud_watch_log_group_name(get("log_group"))
            .cloud_watch_encryption_enabled(flag("log_group_encryption"))
            .set_s3_bucket_name(get("s3_bucket"))
            .set_s3_key_prefix(get("s3_key_prefix"))
            .s3_encryption_enabled(flag("s3_encryption"))
            .build()
    });
    ClusterConfiguration::builder()
        .execute_command_configuration(
            ExecuteCommandConfiguration::builder()
                .set_kms_key_id(get("kms_key"))
                .logging(logging)
                .set_log_configuration(log)
                .build(),
        )
        .build()
}

/// The `execute_command` block of what ECS holds (none when it holds no
/// configuration; a block of defaults is the same as none: the block is
/// implicit).
fn execute_command_read(config: Option<&ClusterConfiguration>) -> Value {
    let Some(exec) = config.and_then(|c| c.execute_command_configuration()) else {
        return Value::List(Vec::new());
    };
    let log = exec.log_configuration();
    let text = |v: Option<&str>| v.filter(|s| !s.is_empty()).map_or(Value::Null, Value::from);
    let block = attrs([
        (
            "logging",
            Value::from(exec.logging().map_or("DEFAULT", |l| l.as_str())),
        ),
        ("kms_key", text(exec.kms_key_id())),
        (
            "log_group",
            text(log.and_then(|l| l.cloud_watch_log_group_name())),
        ),
        (
            "log_group_encryption",
            Value::Bool(log.is_some_and(|l| l.cloud_watch_encryption_enabled())),
        ),
        ("s3_bucket", text(log.and_then(|l| l.s3_bucket_name()))),
        ("s3_key_prefix", text(log.and_then(|l| l.s3_key_prefix()))),
        (
            "s3_encryption",
            Value::Bool(log.is_some_and(|l| l.s3_encryption_enabled())),
        ),
    ]);
    Value::List(vec![Value::Map(block)])
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
    let exec = (!blocks_of(a, EXECUTE_COMMAND).is_empty()).then(|| execute_command(a));
    refuse_held_name(p, stack, address, &name).await?;
    let out = p
        .call(SERVICE, "CreateCluster", || {
            ecs.create_cluster()
                .cluster_name(&name)
                .settings(insights(a))
                .set_capacity_providers(Some(strs_of(a, "capacity_providers")))
                .set_default_capacity_provider_strategy((!default.is_empty()).then(|| default.clone()))
                .set_service_connect_defaults(connect.clone())
                .set_configuration(exec.clone())
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

/// CreateCluster answers with the ACTIVE cluster of its name, which it
/// would hand to this stack: refused unless it is this stack's `address`.
async fn refuse_held_name(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    name: &str,
) -> Result<(), ProviderError> {
    let ecs = &p.clients.ecs;
    let out = p
        .call(SERVICE, "DescribeClusters", || {
            ecs.describe_clusters()
                .clusters(name)
                .include(ClusterField::Tags)
                .send()
        })
        .await?;
    let Some(held) = out.clusters().iter().find(|c| c.status() == Some("ACTIVE")) else {
        return Ok(());
    };
    let tags: Vec<_> = held
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?, t.value()?)))
        .collect();
    crate::attrs::refuse_held("CreateCluster", Kind::Cluster, stack, address, name, &tags)
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
    if old.get(EXECUTE_COMMAND) != new.get(EXECUTE_COMMAND) {
        let ecs = &p.clients.ecs;
        let config = execute_command(new);
        p.call(SERVICE, "UpdateCluster", || {
            ecs.update_cluster()
                .cluster(arn)
                .configuration(config.clone())
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
                .include(ClusterField::Configurations)
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
                (EXECUTE_COMMAND, execute_command_read(c.configuration())),
                ("tags", user_tags(pairs(c.tags()))),
                ("arn", Value::from(c.cluster_arn().unwrap_or_default())),
                ("name", Value::from(c.cluster_name().unwrap_or_default())),
            ]);
            out.push(resource(address, a));
        }
    }
    Ok(out)
}
