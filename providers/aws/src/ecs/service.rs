//! Fargate services: CreateService (network configuration, load balancers,
//! deployment configuration with the circuit breaker and alarms, capacity
//! provider strategy, tag propagation, ECS Exec, Cloud Map service
//! registries, Service Connect), UpdateService, and a
//! delete that scales to 0 then DeleteService (force). A stack's services
//! are found by the tagging API (`ecs:service`) and ListServices in the
//! stack's own clusters, then DescribeServices (tags) in batches of 10 per
//! cluster.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_ecs::types::{
    AssignPublicIp, AvailabilityZoneRebalancing, AwsVpcConfiguration, DeploymentAlarms,
    DeploymentCircuitBreaker, DeploymentConfiguration, DeploymentRolloutState, LaunchType, LoadBalancer,
    NetworkConfiguration, PropagateTags, Service, ServiceField, ServiceRegistry, Tag,
};
use berth_provider::adopt::service_in;
use berth_provider::attrs::keep_chosen;
use berth_provider::naming;
use berth_provider::schema::cluster_name;
use berth_provider::{
    Address, Attrs, ErrorClass, Kind, ProviderError, ROLLED_BACK, Resource, Value, WaitEvents,
};
use futures::future::try_join_all;

use super::{SERVICE, connect, pairs, scaling, strategy};
use crate::attrs::{
    attrs, blocks_of, bool_of, created_at, i32_of, opt_int, resource, str_list, str_of, strs_of, user_tags,
};
use crate::errors::{build_error, gone};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// Most services one DescribeServices call takes.
const BATCH: usize = 10;

/// Most services one ListServices page holds (the API's limit; its
/// default is 10).
const LIST_PAGE: i32 = 100;

fn network(call: &str, a: &Attrs) -> Result<NetworkConfiguration, ProviderError> {
    let vpc = AwsVpcConfiguration::builder()
        .set_subnets(Some(strs_of(a, "subnets")))
        .set_security_groups(Some(strs_of(a, "security_groups")))
        .assign_public_ip(if bool_of(a, "public_ip") {
            AssignPublicIp::Enabled
        } else {
            AssignPublicIp::Disabled
        })
        .build()
        .map_err(|e| build_error(call, e))?;
    Ok(NetworkConfiguration::builder().awsvpc_configuration(vpc).build())
}

/// The deployment configuration of `a`. The circuit breaker is always
/// sent (off when there is no block), so that removing the block turns it
/// off; so are the alarms when `clear_alarms` (the block was removed).
fn deployment(call: &str, a: &Attrs, clear_alarms: bool) -> Result<DeploymentConfiguration, ProviderError> {
    let off = Attrs::new();
    let breaker = blocks_of(a, "circuit_breaker").first().copied().unwrap_or(&off);
    let breaker = DeploymentCircuitBreaker::builder()
        .enable(bool_of(breaker, "enable"))
        .rollback(bool_of(breaker, "rollback"))
        .build();
    let alarms = blocks_of(a, "alarms")
        .first()
        .copied()
        .or(clear_alarms.then_some(&off))
        .map(|b| {
            DeploymentAlarms::builder()
                .set_alarm_names(Some(strs_of(b, "alarm_names")))
                .enable(bool_of(b, "enable"))
                .rollback(bool_of(b, "rollback"))
                .build()
                .map_err(|e| build_error(call, e))
        })
        .transpose()?;
    Ok(DeploymentConfiguration::builder()
        .minimum_healthy_percent(i32_of(a, "min_healthy_percent").unwrap_or(100))
        .maximum_percent(i32_of(a, "max_percent").unwrap_or(200))
        .deployment_circuit_breaker(breaker)
        .set_alarms(alarms)
        .build())
}

fn propagate(a: &Attrs) -> PropagateTags {
    PropagateTags::from(str_of(a, "propagate_tags").unwrap_or("SERVICE"))
}

fn balancers(a: &Attrs) -> Vec<LoadBalancer> {
    blocks_of(a, "load_balancer")
        .into_iter()
        .map(|lb| {
            LoadBalancer::builder()
                .set_target_group_arn(str_of(lb, "target_group").map(str::to_owned))
                .set_container_name(str_of(lb, "container").map(str::to_owned))
                .set_container_port(i32_of(lb, "port"))
                .build()
        })
        .collect()
}

/// The `service_registry` blocks: the Cloud Map services the tasks
/// register in.
fn registries(a: &Attrs) -> Vec<ServiceRegistry> {
    blocks_of(a, "service_registry")
        .into_iter()
        .map(|r| {
            let container = str_of(r, "container");
            // A port without a container is the one the SRV records give.
            let (container_port, port) = match container {
                Some(_) => (i32_of(r, "port"), None),
                None => (None, i32_of(r, "port")),
            };
            ServiceRegistry::builder()
                .set_registry_arn(str_of(r, "registry").map(str::to_owned))
                .set_container_name(container.map(str::to_owned))
                .set_container_port(container_port)
                .set_port(port)
                .build()
        })
        .collect()
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
    let call = "CreateService";
    let net = network(call, a)?;
    let lbs = balancers(a);
    let registries = registries(a);
    let connect = connect::encode(p, call, a, false).await?;
    let deploy = deployment(call, a, false)?;
    // Empty when the service names a launch type instead.
    let strategy = strategy::encode(call, a, "capacity_provider_strategy")?;
    // ECS takes a launch type or a capacity provider strategy, not both.
    let launch = strategy
        .is_empty()
        .then(|| LaunchType::from(str_of(a, "launch_type").unwrap_or("FARGATE")));
    // With a token, a CreateService sent again after a lost answer gives
    // back the service the first one made.
    let token = p.tokens.for_create(stack, address, &[]);
    let out = p
        .call(SERVICE, "CreateService", || {
            ecs.create_service()
                .client_token(&token)
                .cluster(str_of(a, "cluster").unwrap_or_default())
                .service_name(&name)
                .task_definition(str_of(a, "task_definition").unwrap_or_default())
                .desired_count(i32_of(a, "desired_count").unwrap_or(1))
                .set_launch_type(launch.clone())
                .set_capacity_provider_strategy((!strategy.is_empty()).then(|| strategy.clone()))
                .platform_version(str_of(a, "platform_version").unwrap_or("LATEST"))
                .network_configuration(net.clone())
                .set_load_balancers((!lbs.is_empty()).then(|| lbs.clone()))
                .set_service_registries((!registries.is_empty()).then(|| registries.clone()))
                .set_service_connect_configuration(connect.clone())
                .deployment_configuration(deploy.clone())
                .set_health_check_grace_period_seconds(i32_of(a, "health_check_grace_period"))
                .propagate_tags(propagate(a))
                .enable_ecs_managed_tags(bool_of(a, "enable_ecs_managed_tags"))
                .enable_execute_command(bool_of(a, "enable_execute_command"))
                .set_availability_zone_rebalancing(rebalancing(a))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out
        .service()
        .and_then(|s| s.service_arn())
        .unwrap_or_default()
        .to_owned();
    if let Some(made) = out.service() {
        settle(p, address, &arn, made, a).await?;
    }
    let id = scaling::resource_id(str_of(a, "cluster").unwrap_or_default(), &name);
    scaling::apply(p, &id, &Attrs::new(), a).await?;
    Ok(attrs([
        ("arn", Value::String(arn)),
        ("name", Value::String(name)),
    ]))
}

/// Sends again, with UpdateService, what the CreateService answer shows was
/// not taken. ECS emulators (moto, LocalStack) drop the deployment
/// configuration, the health-check grace period, ECS Exec and the capacity
/// provider strategy on create; AWS keeps them, and then this makes no
/// call. Without it the next plan would find the service changed and
/// update it.
async fn settle(
    p: &AwsProvider,
    address: &Address,
    arn: &str,
    made: &Service,
    desired: &Attrs,
) -> Result<(), ProviderError> {
    let mut wanted = desired.clone();
    crate::attrs::canonical(Kind::Service, &mut wanted);
    let answered = decode(address.clone(), made).attrs;
    if SETTLED.iter().all(|k| answered.get(*k) == wanted.get(*k)) {
        return Ok(());
    }
    // All but the settled settings as desired, so only those are sent
    // again (the canonical form writes nested blocks otherwise).
    let mut old = desired.clone();
    for k in SETTLED {
        old.insert((*k).to_owned(), answered.get(*k).cloned().unwrap_or(Value::Null));
    }
    update(p, arn, &old, desired).await
}

/// A service's `availability_zone_rebalancing`.
const REBALANCING: &str = "availability_zone_rebalancing";

/// ECS's setting for `availability_zone_rebalancing`, when given (a
/// canonical bool).
fn rebalancing(a: &Attrs) -> Option<AvailabilityZoneRebalancing> {
    match a.get(REBALANCING) {
        Some(Value::Bool(true)) => Some(AvailabilityZoneRebalancing::Enabled),
        Some(Value::Bool(false)) => Some(AvailabilityZoneRebalancing::Disabled),
        _ => None,
    }
}

/// What an emulator may drop from a CreateService: see [`settle`].
const SETTLED: &[&str] = &[
    "health_check_grace_period",
    "min_healthy_percent",
    "max_percent",
    "circuit_breaker",
    "alarms",
    "capacity_provider_strategy",
    "enable_execute_command",
    "enable_ecs_managed_tags",
];

pub(super) async fn update(
    p: &AwsProvider,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    // A family (or `family:revision`) naming the revision the service
    // runs is no change, as the plan shows it: sent again, `app` moved the
    // service to the family's latest revision, and a deregistered `app:1`
    // failed an update of anything else.
    let mut new = new.clone();
    keep_chosen(Kind::Service, old, &mut new);
    let new = &new;
    let changed = |k: &str| old.get(k) != new.get(k);
    if changed("autoscaling") {
        scaling::apply(p, &scaling::id_of(old), old, new).await?;
    }
    let keys = [
        "task_definition",
        "desired_count",
        "platform_version",
        "subnets",
        "security_groups",
        "public_ip",
        "min_healthy_percent",
        "max_percent",
        "health_check_grace_period",
        "load_balancer",
        "service_registry",
        "service_connect",
        "circuit_breaker",
        "alarms",
        "capacity_provider_strategy",
        "enable_execute_command",
        "propagate_tags",
        "enable_ecs_managed_tags",
        REBALANCING,
    ];
    if !keys.iter().any(|k| changed(k)) {
        return Ok(());
    }
    let ecs = &p.clients.ecs;
    let call = "UpdateService";
    let net = network(call, new)?;
    let lbs = changed("load_balancer").then(|| balancers(new));
    // An empty list removes the service from its registry.
    let registries = changed("service_registry").then(|| registries(new));
    // Sent when changed; a removed block turns Service Connect off.
    let connect = match changed("service_connect") {
        true => connect::encode(p, call, new, true).await?,
        false => None,
    };
    let deploy = deployment(call, new, changed("alarms"))?;
    // A new strategy only applies to new tasks: ECS wants a new deployment.
    let strategy = changed("capacity_provider_strategy")
        .then(|| strategy::encode(call, new, "capacity_provider_strategy"))
        .transpose()?;
    let cluster = str_of(old, "cluster").unwrap_or_default();
    // The scaler owns a scaled service's count: sending it would undo a
    // scaling action taken since the plan was read.
    let count = match blocks_of(new, "autoscaling").is_empty() {
        true => Some(i32_of(new, "desired_count").unwrap_or(1)),
        false if changed("desired_count") => i32_of(new, "desired_count"),
        false => None,
    };
    // UpdateService keeps a grace period it is not given; 0 is AWS's "none".
    let grace = match i32_of(new, "health_check_grace_period") {
        None if changed("health_check_grace_period") => Some(0),
        grace => grace,
    };
    p.call(SERVICE, "UpdateService", || {
        ecs.update_service()
            .cluster(cluster)
            .service(arn)
            // Sent when it changes, as Terraform's provider: a service
            // ignoring it runs a revision since deregistered, which ECS
            // refuses to be sent again ("TaskDefinition is inactive").
            .set_task_definition(
                changed("task_definition")
                    .then(|| str_of(new, "task_definition").unwrap_or_default().to_owned()),
            )
            .set_desired_count(count)
            .platform_version(str_of(new, "platform_version").unwrap_or("LATEST"))
            .network_configuration(net.clone())
            .deployment_configuration(deploy.clone())
            .set_health_check_grace_period_seconds(grace)
            .set_load_balancers(lbs.clone())
            .set_service_registries(registries.clone())
            .set_service_connect_configuration(connect.clone())
            .set_capacity_provider_strategy(strategy.clone())
            .set_force_new_deployment(strategy.is_some().then_some(true))
            .propagate_tags(propagate(new))
            .enable_ecs_managed_tags(bool_of(new, "enable_ecs_managed_tags"))
            .enable_execute_command(bool_of(new, "enable_execute_command"))
            .set_availability_zone_rebalancing(changed(REBALANCING).then(|| rebalancing(new)).flatten())
            .send()
    })
    .await?;
    Ok(())
}

const GONE: &[&str] = &[
    "ServiceNotFoundException",
    "ServiceNotActiveException",
    "ClusterNotFoundException",
];

/// Scales the service to 0, then deletes it (`force`, so it goes even if a
/// task is still stopping). Does not wait for the tasks to stop: the
/// service drains in the background, and deleting its subnets or security
/// groups is retried (`DependencyViolation`) until the ENIs are gone.
pub(super) async fn delete(p: &AwsProvider, arn: &str, live: &Attrs) -> Result<(), ProviderError> {
    let ecs = &p.clients.ecs;
    let cluster = str_of(live, "cluster").unwrap_or_default();
    // A scaler would start tasks again while the service drains.
    scaling::remove(p, live).await?;
    if i32_of(live, "desired_count").unwrap_or(1) != 0 {
        let scaled = p
            .call_unless(SERVICE, "UpdateService", GONE, || {
                ecs.update_service()
                    .cluster(cluster)
                    .service(arn)
                    .desired_count(0)
                    .send()
            })
            .await?;
        if scaled.is_none() {
            return Ok(());
        }
    }
    p.call_unless(SERVICE, "DeleteService", GONE, || {
        ecs.delete_service()
            .cluster(cluster)
            .service(arn)
            .force(true)
            .send()
    })
    .await?;
    Ok(())
}

fn decode(address: Address, s: &Service) -> Resource {
    let vpc = s.network_configuration().and_then(|n| n.awsvpc_configuration());
    let subnets = vpc.map(|v| v.subnets()).unwrap_or_default();
    let groups = vpc.map(|v| v.security_groups()).unwrap_or_default();
    let public = vpc.and_then(|v| v.assign_public_ip()) == Some(&AssignPublicIp::Enabled);
    let deploy = s.deployment_configuration();
    let lbs = s
        .load_balancers()
        .iter()
        .map(|lb| {
            Value::Map(attrs([
                ("target_group", opt_str_owned(lb.target_group_arn())),
                ("container", opt_str_owned(lb.container_name())),
                ("port", opt_int(lb.container_port())),
            ]))
        })
        .collect();
    let registries = s
        .service_registries()
        .iter()
        .map(|r| {
            Value::Map(attrs([
                ("registry", opt_str_owned(r.registry_arn())),
                ("container", opt_str_owned(r.container_name())),
                ("port", opt_int(r.container_port().or(r.port()))),
            ]))
        })
        .collect();
    let breaker = deploy.and_then(|d| d.deployment_circuit_breaker()).map(|b| {
        Value::Map(attrs([
            ("enable", Value::Bool(b.enable())),
            ("rollback", Value::Bool(b.rollback())),
        ]))
    });
    let alarms = deploy.and_then(|d| d.alarms()).map(|a| {
        Value::Map(attrs([
            (
                "alarm_names",
                str_list(a.alarm_names().iter().map(String::as_str)),
            ),
            ("enable", Value::Bool(a.enable())),
            ("rollback", Value::Bool(a.rollback())),
        ]))
    });
    let strategy = strategy::decode(s.capacity_provider_strategy());
    // A service placed by a capacity provider strategy has no launch type
    // of its own (AWS reports none; emulators report their default).
    let launch = match s.launch_type() {
        Some(l) if s.capacity_provider_strategy().is_empty() => l.as_str(),
        _ => "FARGATE",
    };
    let a = attrs([
        ("cluster", Value::from(s.cluster_arn().unwrap_or_default())),
        (
            "task_definition",
            Value::from(s.task_definition().unwrap_or_default()),
        ),
        ("desired_count", Value::Int(i64::from(s.desired_count()))),
        ("launch_type", Value::from(launch)),
        (
            "platform_version",
            Value::from(s.platform_version().unwrap_or("LATEST")),
        ),
        ("subnets", str_list(subnets.iter().map(String::as_str))),
        ("security_groups", str_list(groups.iter().map(String::as_str))),
        ("public_ip", Value::Bool(public)),
        (
            "min_healthy_percent",
            Value::Int(i64::from(
                deploy.and_then(|d| d.minimum_healthy_percent()).unwrap_or(100),
            )),
        ),
        (
            "max_percent",
            Value::Int(i64::from(deploy.and_then(|d| d.maximum_percent()).unwrap_or(200))),
        ),
        (
            "health_check_grace_period",
            opt_int(s.health_check_grace_period_seconds()),
        ),
        ("load_balancer", Value::List(lbs)),
        ("service_registry", Value::List(registries)),
        ("service_connect", connect::decode(s)),
        ("circuit_breaker", Value::List(breaker.into_iter().collect())),
        ("alarms", Value::List(alarms.into_iter().collect())),
        ("capacity_provider_strategy", strategy),
        // Filled in by `scaling::read_into` when the service is scaled.
        ("autoscaling", Value::List(Vec::new())),
        ("enable_execute_command", Value::Bool(s.enable_execute_command())),
        (
            "propagate_tags",
            Value::from(s.propagate_tags().map_or("NONE", |t| t.as_str())),
        ),
        (
            "enable_ecs_managed_tags",
            Value::Bool(s.enable_ecs_managed_tags()),
        ),
        (
            REBALANCING,
            s.availability_zone_rebalancing().map_or(Value::Null, |r| {
                Value::Bool(*r == AvailabilityZoneRebalancing::Enabled)
            }),
        ),
        ("tags", user_tags(pairs(s.tags()))),
        ("arn", Value::from(s.service_arn().unwrap_or_default())),
        ("name", Value::from(s.service_name().unwrap_or_default())),
    ]);
    created_at(resource(address, a), s.created_at())
}

fn opt_str_owned(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

/// The services `scope` looks for: the stack's in the clusters `clusters`
/// (names or ARNs; a cluster that does not exist has none), listed by
/// ListServices, or the one adopted, named `CLUSTER/SERVICE` or by its ARN.
pub(super) async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    clusters: &[&str],
) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let one = scope.id().map(service_in);
    let clusters: Vec<&str> = match one {
        Some(Some((cluster, _))) => vec![cluster],
        Some(None) => Vec::new(),
        None => clusters.to_vec(),
    };
    let per_cluster = clusters.iter().map(|cluster| async move {
        let arns = match one.flatten() {
            Some((_, service)) => vec![service.to_owned()],
            None => p
                .list(SERVICE, "ListServices", || {
                    paginate!(
                        ecs.list_services().cluster(*cluster).max_results(LIST_PAGE),
                        service_arns
                    )
                })
                .await
                .or_else(|e| gone(e, "ClusterNotFoundException"))?,
        };
        describe_in(p, scope, cluster, &arns, one.is_some()).await
    });
    Ok(try_join_all(per_cluster).await?.into_iter().flatten().collect())
}

/// The stack's services: those the tagging API lists (`tagged`, by ARN)
/// and those ListServices lists in the stack's own clusters `own` (the
/// tagging API may not list a service created seconds ago; one call per
/// 100 services), described per cluster. With an ARN of the old form
/// (`service/NAME`, which names no cluster) the tagging API cannot place
/// a service: then every one of `parents` (own and external) is listed.
pub(super) async fn read_tagged(
    p: &AwsProvider,
    scope: &Scope<'_>,
    tagged: impl IntoIterator<Item = &str>,
    own: &[&str],
    parents: &[&str],
) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let mut by_cluster: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut old_form = false;
    for arn in tagged {
        match arn
            .split_once(":service/")
            .and_then(|(_, rest)| rest.split_once('/'))
        {
            Some((cluster, _)) => {
                by_cluster.entry(cluster).or_default().insert(arn.to_owned());
            }
            None => old_form = true,
        }
    }
    let listed_in = if old_form { parents } else { own };
    let listings = listed_in.iter().map(|cluster| async move {
        let arns = p
            .list(SERVICE, "ListServices", || {
                paginate!(
                    ecs.list_services().cluster(*cluster).max_results(LIST_PAGE),
                    service_arns
                )
            })
            .await
            .or_else(|e| gone(e, "ClusterNotFoundException"))?;
        Ok::<_, ProviderError>((cluster_name(cluster), arns))
    });
    for (cluster, arns) in try_join_all(listings).await? {
        by_cluster.entry(cluster).or_default().extend(arns);
    }
    let per_cluster = by_cluster.iter().map(|(cluster, arns)| async move {
        let arns: Vec<String> = arns.iter().cloned().collect();
        describe_in(p, scope, cluster, &arns, true).await
    });
    Ok(try_join_all(per_cluster).await?.into_iter().flatten().collect())
}

/// DescribeServices (with tags) of `arns` in `cluster`, in batches of 10:
/// the active ones `scope` looks for. With `may_be_gone`, a cluster that
/// does not exist has none.
async fn describe_in(
    p: &AwsProvider,
    scope: &Scope<'_>,
    cluster: &str,
    arns: &[String],
    may_be_gone: bool,
) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let batches = arns.chunks(BATCH).map(|batch| {
        p.call(SERVICE, "DescribeServices", move || {
            ecs.describe_services()
                .cluster(cluster)
                .set_services(Some(batch.to_vec()))
                .include(ServiceField::Tags)
                .send()
        })
    });
    let pages = match try_join_all(batches).await {
        Err(e) if may_be_gone && e.code == "ClusterNotFoundException" => Vec::new(),
        pages => pages?,
    };
    let mut out = Vec::new();
    for page in pages {
        for s in page.services() {
            if s.status() != Some("ACTIVE") {
                continue;
            }
            if let Some(address) = scope.address(Kind::Service, pairs(s.tags())) {
                out.push(decode(address, s));
            }
        }
    }
    Ok(out)
}

/// See [`Provider::wait_until_ready`](berth_provider::Provider::wait_until_ready):
/// polls DescribeServices, passes on the service events newer than the
/// wait, and stops when the deployment of the service's task definition
/// completed (steady) or failed (rolled back by the circuit breaker, or
/// stopped).
pub(crate) async fn wait_for_steady_state(
    p: &AwsProvider,
    service: &Resource,
    timeout: Duration,
    events: &WaitEvents<'_>,
) -> Result<(), ProviderError> {
    let call = "DescribeServices";
    let arn = str_of(&service.attrs, "arn").unwrap_or_default();
    let cluster = str_of(&service.attrs, "cluster").unwrap_or_default();
    let target = str_of(&service.attrs, "task_definition").unwrap_or_default();
    let ecs = &p.clients.ecs;
    // Events from just before the wait began belong to this deployment too
    // (ECS acts on UpdateService at once); a little slack covers clock skew.
    let since = SystemTime::now() - Duration::from_secs(10);
    let mut told = BTreeSet::new();
    let mut seen = false;
    let what = format!("{} not steady", service.address);
    let mut poll = Poll::new(call, what, timeout, Duration::from_secs(5));
    loop {
        let out = p
            .call(SERVICE, call, || {
                ecs.describe_services().cluster(cluster).services(arn).send()
            })
            .await;
        let out = match out {
            Ok(out) => out,
            // A read that failed through its retries (throttled, a 5xx,
            // no answer): the deployment goes on all the same, and so does
            // the wait, until its time is up.
            Err(e) if e.class != ErrorClass::Permanent => {
                poll.pause(&format!("the last {call} failed: {e}")).await?;
                continue;
            }
            Err(e) => return Err(e),
        };
        let Some(s) = out.services().first().filter(|s| s.status() == Some("ACTIVE")) else {
            return Err(ProviderError::permanent(
                call,
                "ServiceNotFoundException",
                format!("service {arn} does not exist or is not active"),
            ));
        };
        // ECS lists events newest first.
        for e in s.events().iter().rev() {
            let new = e.created_at().is_none_or(|at| at.secs() >= unix(since));
            if new && told.insert(e.id().unwrap_or_default().to_owned()) {
                events(&service.address, e.message().unwrap_or_default());
            }
        }
        match progress(s, target, &mut seen) {
            Progress::Steady => return Ok(()),
            Progress::Failed(why) => return Err(ProviderError::permanent(call, ROLLED_BACK, why)),
            Progress::Going(state) => poll.pause(&state).await?,
        }
    }
}

/// Where a service's move to a task definition stands.
enum Progress {
    Steady,
    /// Under way; how far, for a timeout's message.
    Going(String),
    /// ECS gave up on it: why, and what runs instead.
    Failed(String),
}

/// `seen` records whether a deployment of `target` was ever listed: one
/// that was and is gone, with another task definition primary, was rolled
/// back.
fn progress(s: &Service, target: &str, seen: &mut bool) -> Progress {
    let deployments = s.deployments();
    let ours = deployments.iter().find(|d| d.task_definition() == Some(target));
    *seen |= ours.is_some();
    let primary = deployments.iter().find(|d| d.status() == Some("PRIMARY"));
    let back_to = primary
        .and_then(|d| d.task_definition())
        .filter(|td| *td != target)
        .map(|td| format!("; the service runs {td} again"))
        .unwrap_or_default();
    match ours {
        Some(d) if d.rollout_state() == Some(&DeploymentRolloutState::Failed) => {
            return Progress::Failed(format!(
                "the deployment of {target} failed: {}{back_to}",
                d.rollout_state_reason().unwrap_or("no reason given")
            ));
        }
        None if *seen && !back_to.is_empty() => {
            return Progress::Failed(format!("the deployment of {target} is gone{back_to}"));
        }
        _ => {}
    }
    let (running, desired) = (s.running_count(), s.desired_count());
    if running == desired && deployments.len() <= 1 {
        Progress::Steady
    } else {
        Progress::Going(format!(
            "{running} of {desired} tasks running, {} deployments",
            deployments.len()
        ))
    }
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
