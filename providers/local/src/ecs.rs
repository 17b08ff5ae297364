//! ECS: clusters, Fargate task definitions (immutable revisions) and services.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::naming;
use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, ProviderError, STACK_TAG, Value};

use crate::api::{fail, invalid};
use crate::attrs::{blocks_of, int_of, str_of, strs_of};
use crate::model::{ACTIVE, INACTIVE};
use crate::scaling;
use crate::sim::Sim;
use crate::{connect, discovery, elb};

type Tags = BTreeMap<String, String>;

/// Creates a cluster, registers a task definition revision or creates a
/// service; returns its key (ARN).
/// A service's `availability_zone_rebalancing`.
const REBALANCING: &str = "availability_zone_rebalancing";

pub(crate) fn create(
    sim: &mut Sim,
    kind: Kind,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: Tags,
) -> Result<String, ProviderError> {
    let given = naming::given(
        &attrs,
        if kind == Kind::TaskDefinition {
            "family"
        } else {
            "name"
        },
    );
    let name = given.map_or_else(|| naming::ecs(stack, address), str::to_owned);
    match kind {
        Kind::Cluster => {
            sim.call("CreateCluster");
            let arn = sim.arn("ecs", &format!("cluster/{name}"));
            if let Some(existing) = sim.rec(&arn) {
                // CreateCluster is idempotent in AWS: the existing cluster
                // comes back. A cluster of another stack or address with the
                // same name is refused rather than shared.
                if existing.tags.get(STACK_TAG) == tags.get(STACK_TAG)
                    && existing.tags.get(ADDRESS_TAG) == tags.get(ADDRESS_TAG)
                {
                    return Ok(arn);
                }
                return Err(invalid(
                    Kind::Cluster,
                    "CreateCluster",
                    format!("Cluster name {name} is already used by another resource"),
                ));
            }
            if !matches!(
                attrs.get("container_insights"),
                None | Some(Value::Null | Value::Bool(false))
            ) {
                sim.call("UpdateClusterSettings");
            }
            check_capacity_providers("CreateCluster", &attrs)?;
            check_execute_command("CreateCluster", &attrs)?;
            if let Some(ns) = str_of(&attrs, "service_connect_namespace") {
                crate::connect::find_namespace(sim, "CreateCluster", ns)?;
            }
            check_strategy(
                "CreateCluster",
                Kind::Cluster,
                &blocks_of(&attrs, DEFAULT_STRATEGY),
                &attrs,
            )?;
            Ok(sim.insert_named(kind, arn, name, tags, attrs, false))
        }
        Kind::TaskDefinition => {
            let call = "RegisterTaskDefinition";
            sim.call(call);
            check_task_definition(call, &attrs)?;
            let last_stored = sim
                .st
                .resources
                .values()
                .filter(|r| {
                    r.kind == Kind::TaskDefinition && str_of(&r.attrs, "family") == Some(name.as_str())
                })
                .filter_map(|r| int_of(&r.attrs, "revision"))
                .max()
                .unwrap_or(0);
            let last = sim.st.families.get(&name).copied().unwrap_or(0).max(last_stored);
            let revision = last + 1;
            sim.set_family(&name, revision);
            let arn = sim.arn("ecs", &format!("task-definition/{name}:{revision}"));
            attrs.insert("family".to_owned(), Value::String(name));
            attrs.insert("revision".to_owned(), Value::Int(revision));
            attrs.insert("arn".to_owned(), Value::String(arn.clone()));
            sim.insert(&arn, kind, tags, attrs, false);
            if let Some(rec) = sim.rec_mut(&arn) {
                rec.status = Some(ACTIVE.to_owned());
            }
            Ok(arn)
        }
        _ => {
            let call = "CreateService";
            sim.call(call);
            let cluster_name = check_service(sim, call, None, &name, &attrs)?;
            store_task_definition_arn(sim, &mut attrs);
            // ECS turns rebalancing on for a new service not told otherwise.
            if !matches!(attrs.get(REBALANCING), Some(Value::Bool(_))) {
                attrs.insert(REBALANCING.to_owned(), Value::Bool(true));
            }
            scaling::apply(sim, None, &mut attrs)?;
            let arn = sim.arn("ecs", &format!("service/{cluster_name}/{name}"));
            Ok(sim.insert_named(kind, arn, name, tags, attrs, false))
        }
    }
}

/// Changes a cluster or service in place (a scaled service's desired count
/// moves into its bounds). Task definitions have nothing to change but tags
/// (the caller refuses every other change).
pub(crate) fn update(
    sim: &mut Sim,
    kind: Kind,
    key: &str,
    old: &Attrs,
    new: &mut Attrs,
) -> Result<(), ProviderError> {
    match kind {
        Kind::Cluster => {
            if old.get("container_insights") != new.get("container_insights") {
                sim.call("UpdateClusterSettings");
            }
            if old.get("execute_command") != new.get("execute_command") {
                sim.call("UpdateCluster");
                check_execute_command("UpdateCluster", new)?;
            }
            if old.get("service_connect_namespace") != new.get("service_connect_namespace") {
                let call = "UpdateCluster";
                sim.call(call);
                if let Some(ns) = str_of(new, "service_connect_namespace") {
                    crate::connect::find_namespace(sim, call, ns)?;
                }
            }
            if ["capacity_providers", DEFAULT_STRATEGY]
                .iter()
                .any(|k| old.get(*k) != new.get(*k))
            {
                let call = "PutClusterCapacityProviders";
                sim.call(call);
                check_capacity_providers(call, new)?;
                check_strategy(call, Kind::Cluster, &blocks_of(new, DEFAULT_STRATEGY), new)?;
                let kept = strs_of(new, "capacity_providers");
                let in_use = sim
                    .all(Kind::Service)
                    .filter(|(_, r)| cluster_of(sim, &r.attrs).as_deref() == Some(key))
                    .flat_map(|(_, r)| providers_of(&blocks_of(&r.attrs, "capacity_provider_strategy")))
                    .find(|p| !kept.contains(p));
                if let Some(provider) = in_use {
                    return Err(fail(
                        call,
                        "ResourceInUseException",
                        format!(
                            "The specified capacity provider {provider} is in use and cannot be removed."
                        ),
                    ));
                }
            }
        }
        Kind::Service => {
            let call = "UpdateService";
            // Left out, UpdateService keeps the service's setting.
            if !matches!(new.get(REBALANCING), Some(Value::Bool(_))) {
                new.insert(
                    REBALANCING.to_owned(),
                    old.get(REBALANCING).cloned().unwrap_or(Value::Null),
                );
            }
            if old != new {
                sim.call(call);
            }
            let name = str_of(old, "name").unwrap_or_default().to_owned();
            check_service(sim, call, Some((key, old)), &name, new)?;
            store_task_definition_arn(sim, new);
            scaling::apply(sim, Some(old), new)?;
        }
        _ => {}
    }
    Ok(())
}

/// Deletes a cluster (refused while it has services), deregisters a task
/// definition (it stays, INACTIVE) or deletes a service the way berth's AWS
/// adapter does: scaled to 0 first.
pub(crate) fn delete(sim: &mut Sim, kind: Kind, key: &str) -> Result<(), ProviderError> {
    match kind {
        Kind::Cluster => {
            let call = "DeleteCluster";
            sim.call(call);
            if sim
                .all(Kind::Service)
                .any(|(_, r)| cluster_of(sim, &r.attrs).as_deref() == Some(key))
            {
                return Err(fail(
                    call,
                    "ClusterContainsServicesException",
                    "The Cluster cannot be deleted while Services are active.",
                ));
            }
            sim.remove(key);
        }
        Kind::TaskDefinition => {
            sim.call("DeregisterTaskDefinition");
            if let Some(rec) = sim.rec_mut(key) {
                rec.status = Some(INACTIVE.to_owned());
            }
        }
        _ => {
            if sim
                .rec(key)
                .and_then(|r| int_of(&r.attrs, "desired_count"))
                .unwrap_or(0)
                > 0
            {
                sim.call("UpdateService");
                if let Some(attrs) = sim.attrs_mut(key) {
                    attrs.insert("desired_count".to_owned(), Value::Int(0));
                }
            }
            delete_service(sim, key)?;
        }
    }
    Ok(())
}

/// DeleteService without `force`: refused while the service is scaled above 0.
pub(crate) fn delete_service(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteService";
    sim.call(call);
    if sim
        .rec(key)
        .and_then(|r| int_of(&r.attrs, "desired_count"))
        .unwrap_or(0)
        > 0
    {
        return Err(invalid(
            Kind::Service,
            call,
            "The service cannot be stopped while it is scaled above 0.",
        ));
    }
    sim.remove(key);
    Ok(())
}

fn is_role_arn(text: &str) -> bool {
    text.strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(":role/"))
        .is_some_and(|(account, name)| {
            account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        })
}

fn check_task_definition(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| fail(call, "ClientException", msg);
    let cpu = int_of(attrs, "cpu").unwrap_or(0);
    let memory = int_of(attrs, "memory").unwrap_or(0);
    if !berth_provider::fargate::is_pair(cpu, memory) {
        return Err(bad(format!(
            "No Fargate configuration exists for given values: {cpu} CPU, {memory} memory. See the Amazon ECS documentation for the valid values."
        )));
    }
    if str_of(attrs, "network_mode") != Some("awsvpc") {
        return Err(bad("Fargate only supports network mode 'awsvpc'.".to_owned()));
    }
    if let Some(size) = int_of(attrs, "ephemeral_storage")
        && !(21..=200).contains(&size)
    {
        return Err(bad(format!(
            "The ephemeral storage size {size} GiB is not valid: it must be between 21 and 200 GiB."
        )));
    }
    let arch = str_of(attrs, "cpu_architecture").unwrap_or_default();
    if !arch.eq_ignore_ascii_case("X86_64") && !arch.eq_ignore_ascii_case("ARM64") {
        return Err(bad(format!("Invalid cpuArchitecture '{arch}': X86_64 or ARM64")));
    }
    let os = str_of(attrs, "os_family").unwrap_or("LINUX").to_ascii_uppercase();
    if os != "LINUX" && !os.starts_with("WINDOWS_SERVER_20") {
        return Err(bad(format!("Invalid operatingSystemFamily '{os}'.")));
    }
    if os != "LINUX" && arch.eq_ignore_ascii_case("ARM64") {
        return Err(bad(
            "Fargate supports the ARM64 CPU architecture with the LINUX operating system family only."
                .to_owned(),
        ));
    }
    if let Some(mode) = str_of(attrs, "pid_mode")
        && (!mode.eq_ignore_ascii_case("task") || os != "LINUX")
    {
        return Err(bad(format!(
            "Fargate supports pidMode 'task' on Linux only, not '{mode}' on {os}."
        )));
    }
    if let Some(proxy) = blocks_of(attrs, "proxy").first() {
        let container = str_of(proxy, "container").unwrap_or_default();
        if !blocks_of(attrs, "container")
            .iter()
            .any(|c| str_of(c, "name") == Some(container))
        {
            return Err(bad(format!(
                "The proxy configuration's container '{container}' is not a container of the task definition."
            )));
        }
    }
    for role in ["execution_role", "task_role"] {
        if let Some(arn) = str_of(attrs, role)
            && !is_role_arn(arn)
        {
            return Err(bad(format!("Role is not valid: {arn}")));
        }
    }
    let containers = blocks_of(attrs, "container");
    let names: BTreeSet<&str> = containers.iter().filter_map(|c| str_of(c, "name")).collect();
    if !containers
        .iter()
        .any(|c| c.get("essential") != Some(&Value::Bool(false)))
    {
        return Err(bad(
            "Task definition must have at least one essential container.".to_owned()
        ));
    }
    let has_exec = str_of(attrs, "execution_role").is_some();
    let routers = check_firelens(call, &containers)?;
    let volumes = check_volumes(call, attrs)?;
    let (mut cpu_sum, mut mem_sum) = (0, 0);
    for c in &containers {
        let name = str_of(c, "name").unwrap_or_default();
        if str_of(c, "image").is_none_or(str::is_empty) {
            return Err(bad(format!(
                "Container.image should not be null or empty: {name}"
            )));
        }
        cpu_sum += int_of(c, "cpu").unwrap_or(0);
        let (mem, reservation) = (int_of(c, "memory"), int_of(c, "memory_reservation"));
        mem_sum += mem.or(reservation).unwrap_or(0);
        if let (Some(m), Some(r)) = (mem, reservation)
            && r > m
        {
            return Err(bad(format!(
                "Container {name}: memoryReservation {r} must be at most memory {m}"
            )));
        }
        check_logs(call, c, has_exec, routers)?;
        check_mounts(call, c, &volumes, &names)?;
        if str_of(c, "logs").is_some() && !has_exec {
            return Err(bad(
                "Fargate requires task definition to have execution role ARN to support log driver awslogs."
                    .to_owned(),
            ));
        }
        if c.get("secrets")
            .and_then(Value::as_map)
            .is_some_and(|m| !m.is_empty())
            && !has_exec
        {
            return Err(bad(format!(
                "Container {name} uses secrets: the task definition needs an execution role ARN to read them."
            )));
        }
        if int_of(c, "stop_timeout").is_some_and(|t| !(0..=120).contains(&t)) {
            return Err(bad(format!(
                "Container {name}: stopTimeout must be at most 120 seconds"
            )));
        }
        for dep in blocks_of(c, "depends_on") {
            let other = str_of(dep, "container").unwrap_or_default();
            if other == name || !names.contains(other) {
                return Err(bad(format!(
                    "Container {name} depends on unknown container {other}"
                )));
            }
            let checked = containers
                .iter()
                .any(|o| str_of(o, "name") == Some(other) && !blocks_of(o, "health_check").is_empty());
            if str_of(dep, "condition").is_some_and(|c| c.eq_ignore_ascii_case("HEALTHY")) && !checked {
                return Err(bad(format!(
                    "Container {name} depends on {other} with condition HEALTHY, but {other} has no health check."
                )));
            }
        }
        check_ports(call, c)?;
        check_settings(call, c, has_exec)?;
        if let Some(check) = blocks_of(c, "health_check").first() {
            if let Some(Value::List(words)) = check.get("command") {
                let first = words.first().and_then(Value::as_str);
                if !matches!(first, Some("CMD" | "CMD-SHELL")) || words.len() < 2 {
                    return Err(bad(format!(
                        "Container {name}: healthCheck.command must start with CMD or CMD-SHELL and name a command"
                    )));
                }
            }
            let ranges = [
                ("interval", 30, 5, 300),
                ("timeout", 5, 2, 60),
                ("retries", 3, 1, 10),
                ("start_period", 0, 0, 300),
            ];
            for (key, default, lo, hi) in ranges {
                let v = int_of(check, key).unwrap_or(default);
                if !(lo..=hi).contains(&v) {
                    return Err(bad(format!(
                        "Container {name}: healthCheck.{key} {v} must be between {lo} and {hi}"
                    )));
                }
            }
        }
    }
    if cpu_sum > cpu || mem_sum > memory {
        return Err(bad(format!(
            "The containers reserve {cpu_sum} CPU units and {mem_sum} MiB, more than the task's {cpu} CPU and {memory} MiB."
        )));
    }
    Ok(())
}

/// The log drivers Fargate runs.
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];

/// A string-valued map attribute of `body` (a `log` block's options).
fn str_map<'a>(body: &'a Attrs, key: &str) -> BTreeMap<&'a str, &'a str> {
    body.get(key)
        .and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The task's FireLens routers, refused as AWS refuses them: more than one,
/// a type FireLens lacks, a configuration file Fargate cannot read.
fn check_firelens(call: &str, containers: &[&Attrs]) -> Result<usize, ProviderError> {
    let bad = |msg: String| fail(call, "ClientException", msg);
    let routers: Vec<&Attrs> = containers.iter().flat_map(|c| blocks_of(c, "firelens")).collect();
    if routers.len() > 1 {
        return Err(bad(
            "Only one container in a task definition can have a firelensConfiguration.".to_owned(),
        ));
    }
    for router in &routers {
        let kind = str_of(router, "type").unwrap_or_default();
        if !matches!(kind, "fluentbit" | "fluentd") {
            return Err(bad(format!(
                "Invalid firelensConfiguration type '{kind}': the valid values are fluentd and fluentbit."
            )));
        }
        if let Some(file_type) = str_map(router, "options").get("config-file-type")
            && *file_type != "file"
        {
            return Err(bad(format!(
                "Fargate only supports config-file-type 'file' for firelensConfiguration, not '{file_type}'."
            )));
        }
    }
    Ok(routers.len())
}

/// A container's `log` block, refused as AWS refuses it on Fargate.
fn check_logs(call: &str, c: &Attrs, has_exec: bool, routers: usize) -> Result<(), ProviderError> {
    let bad = |msg: String| fail(call, "ClientException", msg);
    let Some(log) = blocks_of(c, "log").first().copied() else {
        return Ok(());
    };
    let driver = str_of(log, "driver").unwrap_or_default();
    if !FARGATE_LOG_DRIVERS.contains(&driver) {
        return Err(bad(format!(
            "Log driver {driver} is not supported on Fargate: use one of {}.",
            FARGATE_LOG_DRIVERS.join(", ")
        )));
    }
    let options = str_map(log, "options");
    let secret_options = str_map(log, "secret_options");
    if driver == "awslogs" && !has_exec {
        return Err(bad(
            "Fargate requires task definition to have execution role ARN to support log driver awslogs."
                .to_owned(),
        ));
    }
    if driver == "awslogs" && !options.contains_key("awslogs-group") {
        return Err(bad(
            "The awslogs log driver requires the awslogs-group option.".to_owned()
        ));
    }
    if driver == "awsfirelens" && routers == 0 {
        return Err(bad(
            "The awsfirelens log driver requires a container with firelensConfiguration in the task definition."
                .to_owned(),
        ));
    }
    if !secret_options.is_empty() && !has_exec {
        return Err(bad(
            "The task definition needs an execution role ARN to read the log configuration's secretOptions."
                .to_owned(),
        ));
    }
    Ok(())
}

/// A container's port mappings, refused as AWS refuses them: a port and a
/// range, neither, an application protocol ECS lacks.
fn check_ports(call: &str, c: &Attrs) -> Result<(), ProviderError> {
    let name = str_of(c, "name").unwrap_or_default();
    let bad = |msg: String| fail(call, "ClientException", msg);
    for m in blocks_of(c, "port_mapping") {
        match (int_of(m, "container_port"), str_of(m, "container_port_range")) {
            (Some(_), Some(_)) => {
                return Err(bad(format!(
                    "Container {name}: a port mapping cannot have both containerPort and containerPortRange."
                )));
            }
            (None, None) => {
                return Err(bad(format!(
                    "Container {name}: a port mapping needs containerPort or containerPortRange."
                )));
            }
            _ => {}
        }
        if let Some(protocol) = str_of(m, "app_protocol")
            && !matches!(protocol, "http" | "http2" | "grpc")
        {
            return Err(bad(format!(
                "Container {name}: invalid appProtocol '{protocol}': http, http2 or grpc."
            )));
        }
    }
    Ok(())
}

/// A container's Linux and kernel parameters, environment files, registry
/// credentials and restart policy, refused as AWS refuses them on Fargate.
fn check_settings(call: &str, c: &Attrs, has_exec: bool) -> Result<(), ProviderError> {
    let name = str_of(c, "name").unwrap_or_default();
    let bad = |msg: String| fail(call, "ClientException", msg);
    for linux in blocks_of(c, "linux") {
        if let Some(cap) = strs_of(linux, "capabilities_add")
            .into_iter()
            .find(|c| c != "SYS_PTRACE")
        {
            return Err(bad(format!(
                "Container {name}: Fargate only supports adding the 'SYS_PTRACE' kernel capability, not '{cap}'."
            )));
        }
    }
    for control in blocks_of(c, "system_control") {
        let namespace = str_of(control, "namespace").unwrap_or_default();
        if !namespace.starts_with("net.") {
            return Err(bad(format!(
                "Container {name}: systemControls namespace '{namespace}' is not supported on Fargate: only net.* namespaces."
            )));
        }
    }
    let files = blocks_of(c, "environment_file");
    for file in &files {
        let value = str_of(file, "value").unwrap_or_default();
        if str_of(file, "type").unwrap_or("s3") != "s3"
            || !value.contains(":s3:::")
            || !value.ends_with(".env")
        {
            return Err(bad(format!(
                "Container {name}: environment file '{value}' must be an S3 object ARN with a .env extension."
            )));
        }
    }
    let specs = strs_of(c, "credential_specs");
    if specs.len() > 1 {
        return Err(bad(format!(
            "Container {name}: credentialSpecs can have at most one credential spec."
        )));
    }
    if let Some(spec) = specs.iter().find(|s| {
        !["credentialspec:arn:", "credentialspecdomainless:arn:"]
            .iter()
            .any(|p| s.starts_with(p))
    }) {
        return Err(bad(format!(
            "Container {name}: credential spec '{spec}' must be credentialspec:ARN or credentialspecdomainless:ARN."
        )));
    }
    for policy in blocks_of(c, "restart_policy") {
        let codes = policy
            .get("ignored_exit_codes")
            .and_then(Value::as_list)
            .map_or(0, <[Value]>::len);
        if codes > 50 {
            return Err(bad(format!(
                "Container {name}: restartPolicy.ignoredExitCodes can have at most 50 exit codes, not {codes}."
            )));
        }
        if let Some(period) = int_of(policy, "restart_attempt_period")
            && !(60..=1800).contains(&period)
        {
            return Err(bad(format!(
                "Container {name}: restartPolicy.restartAttemptPeriod {period} must be between 60 and 1800 seconds."
            )));
        }
    }
    if (!files.is_empty() || str_of(c, "repository_credentials").is_some()) && !has_exec {
        return Err(bad(format!(
            "Container {name}: environment files and repository credentials need the task definition's execution role ARN."
        )));
    }
    Ok(())
}

/// The task's volumes by name, refused as AWS refuses them: IAM
/// authorization or an access point without transit encryption, an access
/// point beside a root directory.
fn check_volumes<'a>(call: &str, attrs: &'a Attrs) -> Result<BTreeSet<&'a str>, ProviderError> {
    let bad = |msg: &str| fail(call, "ClientException", msg);
    let mut names = BTreeSet::new();
    for volume in blocks_of(attrs, "volume") {
        names.insert(str_of(volume, "name").unwrap_or_default());
        let Some(efs) = blocks_of(volume, "efs").first().copied() else {
            continue;
        };
        let enabled = |key: &str| str_of(efs, key).is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"));
        let encrypted = enabled("transit_encryption");
        if enabled("iam") && !encrypted {
            return Err(bad(
                "Transit encryption must be enabled when IAM authorization is used for an EFS volume.",
            ));
        }
        if str_of(efs, "access_point").is_some() {
            if !encrypted {
                return Err(bad(
                    "Transit encryption must be enabled when an access point is used for an EFS volume.",
                ));
            }
            if str_of(efs, "root_directory").is_some_and(|r| r != "/") {
                return Err(bad(
                    "The root directory must be omitted or set to '/' when an access point is used for an EFS volume.",
                ));
            }
        }
    }
    Ok(names)
}

/// A container's mount points and volumesFrom, refused as AWS refuses them.
fn check_mounts(
    call: &str,
    c: &Attrs,
    volumes: &BTreeSet<&str>,
    containers: &BTreeSet<&str>,
) -> Result<(), ProviderError> {
    let name = str_of(c, "name").unwrap_or_default();
    for mount in blocks_of(c, "mount") {
        let volume = str_of(mount, "source_volume").unwrap_or_default();
        if !volumes.contains(volume) {
            return Err(fail(
                call,
                "ClientException",
                format!("Invalid 'mountPoints' setting for container '{name}'. Unknown volume '{volume}'."),
            ));
        }
    }
    for from in blocks_of(c, "volumes_from") {
        let other = str_of(from, "container").unwrap_or_default();
        if other == name || !containers.contains(other) {
            return Err(fail(
                call,
                "ClientException",
                format!("Invalid 'volumesFrom' setting for container '{name}'. Unknown container '{other}'."),
            ));
        }
    }
    Ok(())
}

/// The container ports a task definition's container exposes.
fn container_ports(container: &Attrs) -> BTreeSet<i64> {
    int_of(container, "port")
        .into_iter()
        .chain(
            blocks_of(container, "port_mapping")
                .iter()
                .filter_map(|m| int_of(m, "container_port")),
        )
        .collect()
}

/// The capacity providers Fargate has.
const FARGATE_PROVIDERS: &[&str] = &["FARGATE", "FARGATE_SPOT"];

/// A cluster's default capacity provider strategy blocks.
const DEFAULT_STRATEGY: &str = "default_capacity_provider_strategy";

/// A cluster's capacity providers exist (berth's clusters have Fargate's
/// only: no Auto Scaling group providers).
/// ECS's rules for a cluster's ECS Exec configuration: a logging mode it
/// has, and a log configuration exactly with `OVERRIDE`.
fn check_execute_command(call: &str, cluster: &Attrs) -> Result<(), ProviderError> {
    let Some(exec) = blocks_of(cluster, "execute_command").into_iter().next() else {
        return Ok(());
    };
    let bad = |msg: &str| Err(invalid(Kind::Cluster, call, msg.to_owned()));
    let logging = str_of(exec, "logging").unwrap_or("DEFAULT");
    if !["DEFAULT", "NONE", "OVERRIDE"].contains(&logging) {
        return bad("Invalid value for logging: must be one of DEFAULT, NONE, OVERRIDE");
    }
    let logs = str_of(exec, "log_group").is_some() || str_of(exec, "s3_bucket").is_some();
    match (logging == "OVERRIDE", logs) {
        (true, false) => bad("logConfiguration must be specified when logging is OVERRIDE"),
        (false, true) => bad("logConfiguration can only be specified when logging is OVERRIDE"),
        _ => Ok(()),
    }
}

fn check_capacity_providers(call: &str, cluster: &Attrs) -> Result<(), ProviderError> {
    match strs_of(cluster, "capacity_providers")
        .into_iter()
        .find(|p| !FARGATE_PROVIDERS.contains(&p.as_str()))
    {
        Some(p) => Err(invalid(
            Kind::Cluster,
            call,
            format!("The specified capacity provider '{p}' does not exist."),
        )),
        None => Ok(()),
    }
}

/// The capacity providers a strategy's blocks name.
fn providers_of(strategy: &[&Attrs]) -> Vec<String> {
    strategy
        .iter()
        .filter_map(|b| str_of(b, "capacity_provider").map(str::to_owned))
        .collect()
}

/// A capacity provider strategy (a service's, or a cluster's default) as
/// ECS takes it: providers the cluster has, each once, at most one base,
/// and a weight somewhere in a service's (a default without one is taken:
/// only a task it would place fails).
fn check_strategy(call: &str, kind: Kind, strategy: &[&Attrs], cluster: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: &str| Err(invalid(kind, call, msg.to_owned()));
    if strategy.is_empty() {
        return Ok(());
    }
    let names = providers_of(strategy);
    let associated = strs_of(cluster, "capacity_providers");
    if names.iter().any(|n| !associated.contains(n)) {
        return bad(
            "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
        );
    }
    if names.iter().collect::<BTreeSet<_>>().len() != names.len() {
        return bad("The specified capacity provider strategy cannot contain duplicate capacity providers.");
    }
    if kind == Kind::Service && strategy.iter().all(|b| int_of(b, "weight").unwrap_or(0) == 0) {
        return bad(
            "The specified capacity provider strategy must contain at least one capacity provider with a weight greater than zero.",
        );
    }
    if strategy
        .iter()
        .filter(|b| int_of(b, "base").unwrap_or(0) > 0)
        .count()
        > 1
    {
        return bad("Only one capacity provider in a capacity provider strategy can have a base defined.");
    }
    Ok(())
}

/// The key of a service's cluster, given by name or ARN.
fn cluster_of(sim: &Sim, service: &Attrs) -> Option<String> {
    sim.find(Kind::Cluster, str_of(service, "cluster")?)
}

/// ECS keeps the revision a service runs by its ARN, however it was named
/// (`family`, `family:revision`): what DescribeServices answers.
fn store_task_definition_arn(sim: &Sim, attrs: &mut Attrs) {
    let arn = str_of(attrs, "task_definition")
        .and_then(|td| sim.find(Kind::TaskDefinition, td))
        .and_then(|k| sim.rec(&k))
        .and_then(|r| str_of(&r.attrs, "arn"))
        .map(str::to_owned);
    if let Some(arn) = arn {
        attrs.insert("task_definition".to_owned(), Value::String(arn));
    }
}

/// Checks a service's configuration (`own`: its key and live attributes,
/// for an update); returns its cluster's name.
fn check_service(
    sim: &Sim,
    call: &str,
    own: Option<(&str, &Attrs)>,
    name: &str,
    attrs: &Attrs,
) -> Result<String, ProviderError> {
    let bad = |msg: String| invalid(Kind::Service, call, msg);
    let cluster = str_of(attrs, "cluster").unwrap_or_default();
    let (cluster, cluster_rec) = sim.need(Kind::Cluster, cluster, call)?;
    let cluster_name = str_of(&cluster_rec.attrs, "name").unwrap_or_default().to_owned();
    let strategy = blocks_of(attrs, "capacity_provider_strategy");
    check_strategy(call, Kind::Service, &strategy, &cluster_rec.attrs)?;
    if let Some(p) = str_of(attrs, "propagate_tags")
        && !["SERVICE", "TASK_DEFINITION", "NONE"].contains(&p)
    {
        return Err(bad(format!("Invalid value for propagateTags: {p}")));
    }
    let taken = sim.all(Kind::Service).any(|(k, r)| {
        Some(k.as_str()) != own.map(|(key, _)| key)
            && cluster_of(sim, &r.attrs).as_deref() == Some(cluster.as_str())
            && str_of(&r.attrs, "name") == Some(name)
    });
    if taken {
        return Err(bad("Creation of service was not idempotent.".to_owned()));
    }
    let td = str_of(attrs, "task_definition").unwrap_or_default();
    // UpdateService is sent the task definition only when it changes (a
    // service ignoring it keeps a deregistered one, which ECS lets run).
    let kept = own.is_some_and(|(_, live)| str_of(live, "task_definition") == Some(td));
    let Some((_, td_rec)) = sim
        .find(Kind::TaskDefinition, td)
        .and_then(|k| sim.rec(&k).map(|r| (k, r)))
    else {
        return Err(fail(
            call,
            "ClientException",
            format!("Unable to describe task definition {td}."),
        ));
    };
    if td_rec.is_inactive() && !kept {
        return Err(bad(format!("TaskDefinition is inactive: {td}")));
    }
    if str_of(attrs, "launch_type") != Some("FARGATE") {
        return Err(bad(format!(
            "Launch type {} is not supported: berth runs services on FARGATE",
            str_of(attrs, "launch_type").unwrap_or_default()
        )));
    }
    let platform = str_of(attrs, "platform_version").unwrap_or_default();
    let version_ok = platform == "LATEST"
        || platform
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !version_ok {
        return Err(bad(format!(
            "The specified platform version {platform} does not exist."
        )));
    }
    if int_of(attrs, "desired_count").is_some_and(|c| c < 0) {
        return Err(bad("desiredCount must be 0 or more".to_owned()));
    }
    let subnets = strs_of(attrs, "subnets");
    if subnets.is_empty() || subnets.len() > 16 {
        return Err(bad("subnets must hold 1 to 16 subnets.".to_owned()));
    }
    let mut vpc: Option<String> = None;
    for subnet in &subnets {
        let subnet_vpc = sim
            .find(Kind::Subnet, subnet)
            .and_then(|k| sim.rec(&k))
            .and_then(|r| str_of(&r.attrs, "vpc"))
            .ok_or_else(|| {
                bad(format!(
                    "Error retrieving subnet information for [{subnet}]: The subnet ID '{subnet}' does not exist"
                ))
            })?;
        if vpc.get_or_insert_with(|| subnet_vpc.to_owned()) != subnet_vpc {
            return Err(bad("The subnets must all belong to the same VPC.".to_owned()));
        }
    }
    let groups = strs_of(attrs, "security_groups");
    if groups.len() > 5 {
        return Err(bad("At most 5 security groups are allowed.".to_owned()));
    }
    for group in &groups {
        let group_vpc = sim
            .find(Kind::SecurityGroup, group)
            .and_then(|k| sim.rec(&k))
            .and_then(|r| str_of(&r.attrs, "vpc"))
            .ok_or_else(|| {
                bad(format!(
                    "Error retrieving security group information for [{group}]: The security group '{group}' does not exist"
                ))
            })?;
        if Some(group_vpc) != vpc.as_deref() {
            return Err(bad(format!(
                "Security group {group} and the subnets belong to different networks."
            )));
        }
    }
    let min = int_of(attrs, "min_healthy_percent").unwrap_or(100);
    let max = int_of(attrs, "max_percent").unwrap_or(200);
    if !(0..=100).contains(&min) || max < 100 {
        return Err(bad(format!(
            "Invalid deployment configuration: minimumHealthyPercent {min} must be 0 to 100, maximumPercent {max} at least 100"
        )));
    }
    let balancers = blocks_of(attrs, "load_balancer");
    // ECS takes a grace period without a load balancer too: it covers
    // container health checks (and VPC Lattice's) since 2025.
    if int_of(attrs, "health_check_grace_period").is_some_and(|grace| grace < 0) {
        return Err(bad("healthCheckGracePeriodSeconds must be 0 or more".to_owned()));
    }
    if balancers.len() > 5 {
        return Err(bad("At most 5 load balancers are allowed.".to_owned()));
    }
    let containers = blocks_of(&td_rec.attrs, "container");
    for lb in balancers {
        let tg = str_of(lb, "target_group").unwrap_or_default();
        let Some(tg_key) = sim.find(Kind::TargetGroup, tg) else {
            return Err(bad(format!("Target group {tg} does not exist.")));
        };
        if elb::load_balancers_of(sim, &tg_key).is_empty() {
            return Err(bad(format!(
                "The target group with targetGroupArn {tg} does not have an associated load balancer."
            )));
        }
        let target_type = sim
            .rec(&tg_key)
            .and_then(|r| str_of(&r.attrs, "target_type"))
            .unwrap_or_default();
        if target_type != "ip" {
            return Err(bad(format!(
                "The provided target group {tg} has target type {target_type}, which is incompatible with the awsvpc network mode specified in the task definition."
            )));
        }
        let container = str_of(lb, "container").unwrap_or_default();
        let port = int_of(lb, "port").unwrap_or(0);
        let Some(c) = containers.iter().find(|c| str_of(c, "name") == Some(container)) else {
            return Err(bad(format!(
                "The container {container} does not exist in the task definition."
            )));
        };
        if !container_ports(c).contains(&port) {
            return Err(bad(format!(
                "The container {container} did not have a container port {port} defined."
            )));
        }
    }
    let ports_of = |name: &str| {
        containers
            .iter()
            .find(|c| str_of(c, "name") == Some(name))
            .map(|c| container_ports(c))
    };
    discovery::check_registries(sim, call, attrs, &ports_of)?;
    let named: BTreeMap<String, Option<String>> = containers
        .iter()
        .flat_map(|c| blocks_of(c, "port_mapping"))
        .filter_map(|m| {
            let name = str_of(m, "name")?;
            Some((name.to_owned(), str_of(m, "app_protocol").map(str::to_owned)))
        })
        .collect();
    connect::check(sim, call, own.map(|(key, _)| key), attrs, &named)?;
    Ok(cluster_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_service_refuses_a_scaled_service_and_the_provider_scales_to_zero_first() {
        let mut h = crate::sim::testing::Harness::new();
        h.put("svc", Kind::Service, &[("desired_count", Value::Int(2))]);
        let err = delete_service(&mut h.sim(), "svc").unwrap_err();
        assert_eq!(
            (err.call.as_str(), err.code.as_str()),
            ("DeleteService", "InvalidParameterException")
        );
        delete(&mut h.sim(), Kind::Service, "svc").unwrap();
        assert!(h.st.resources.is_empty());
        assert_eq!(h.calls.get("UpdateService"), Some(&1));
    }

    #[test]
    fn role_arns() {
        assert!(is_role_arn("arn:aws:iam::123456789012:role/x"));
        assert!(!is_role_arn("arn:aws:iam::aws:role/x") && !is_role_arn("role/x"));
    }
}
