//! Fargate task definitions: RegisterTaskDefinition (FARGATE, awsvpc,
//! tags in the call), DescribeTaskDefinition (with tags),
//! DeregisterTaskDefinition. Revisions are immutable: only tags change in
//! place; every other change registers a new revision (the planner's
//! create-before-destroy).
//!
//! Each container maps every attribute to its containerDefinitions field.
//! What `create` returns is the registered definition decoded the way
//! `read_all` decodes what AWS returns, so the two always agree:
//! - port mappings are read as `port_mapping` blocks in AWS's order (the
//!   canonical form turns a first plain TCP one into `port`);
//! - a health check's command is sent in Docker's list form (a string as
//!   `["CMD-SHELL", COMMAND]`) and read back as the list;
//! - `env` and `secrets` are maps (sent sorted by name);
//! - `logs` is sent as the awslogs group (region: the provider's, stream
//!   prefix: the container's name); every log configuration reads back as
//!   a `log` block, which the canonical form turns back into `logs` when
//!   it says no more;
//! - `firelens` is firelensConfiguration, options as a map;
//! - a container `cpu` of 0 is "unset" (the schema says so), as AWS
//!   reports unset as 0;
//! - `restart_policy` is sent as written and read with AWS's period (300)
//!   when it reports none; `version_consistency` is sent only when off
//!   (`disabled`), `fault_injection` only when on.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ecs::types::{
    ApplicationProtocol, Compatibility, ContainerCondition, ContainerDefinition, ContainerDependency,
    CpuArchitecture, FirelensConfiguration, FirelensConfigurationType, HealthCheck, KeyValuePair,
    LogConfiguration, LogDriver, NetworkMode, OsFamily, PidMode, PortMapping, ProxyConfiguration,
    ProxyConfigurationType, RuntimePlatform, Secret, Tag, TaskDefinition, TaskDefinitionField,
    TaskDefinitionStatus, TransportProtocol, Ulimit, UlimitName,
};
use berth_provider::naming;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::container_settings as settings;
use super::{SERVICE, pairs, volume};
use crate::attrs::{
    attrs, blocks_of, bool_of, created_at, i32_of, int_of, map_of, opt_int, opt_str, owned, resource,
    str_list, str_map, str_of, strs_of, user_tags,
};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::tagging;
use crate::{AwsProvider, paginate};

const CALL: &str = "RegisterTaskDefinition";

fn opt_strs(a: &Attrs, key: &str) -> Option<Vec<String>> {
    a.get(key).and_then(Value::as_list).map(|_| strs_of(a, key))
}

/// One container block as the containerDefinitions entry AWS receives.
/// What the revision is registered for: Fargate, with EC2 beside it when
/// the configuration says so.
fn compatibilities(a: &Attrs) -> Vec<Compatibility> {
    match opt_strs(a, "requires_compatibilities") {
        Some(written) if !written.is_empty() => {
            written.iter().map(|c| Compatibility::from(c.as_str())).collect()
        }
        _ => vec![Compatibility::Fargate],
    }
}

fn encode(region: &str, c: &Attrs) -> Result<ContainerDefinition, ProviderError> {
    let name = str_of(c, "name").unwrap_or_default();
    let mut mappings = Vec::new();
    if let Some(port) = i32_of(c, "port") {
        mappings.push(
            PortMapping::builder()
                .container_port(port)
                .protocol(TransportProtocol::Tcp)
                .build(),
        );
    }
    for m in blocks_of(c, "port_mapping") {
        mappings.push(
            PortMapping::builder()
                .set_container_port(i32_of(m, "container_port"))
                .set_container_port_range(str_of(m, "container_port_range").map(str::to_owned))
                .set_name(str_of(m, "name").map(str::to_owned))
                .set_app_protocol(str_of(m, "app_protocol").map(ApplicationProtocol::from))
                .protocol(TransportProtocol::from(str_of(m, "protocol").unwrap_or("tcp")))
                .build(),
        );
    }
    let environment = map_of(c, "env")
        .into_iter()
        .map(|(k, v)| KeyValuePair::builder().name(k).value(v).build())
        .collect();
    let secrets = map_of(c, "secrets")
        .into_iter()
        .map(|(k, v)| Secret::builder().name(k).value_from(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error(CALL, e))?;
    let logs = match (str_of(c, "logs"), blocks_of(c, "log").first()) {
        (Some(group), _) => Some(
            LogConfiguration::builder()
                .log_driver(LogDriver::Awslogs)
                .options("awslogs-group", group)
                .options("awslogs-region", region)
                .options("awslogs-stream-prefix", name)
                .build()
                .map_err(|e| build_error(CALL, e))?,
        ),
        (None, Some(log)) => Some(encode_log(CALL, log, region)?),
        (None, None) => None,
    };
    let firelens = match blocks_of(c, "firelens").first() {
        Some(f) => Some(
            FirelensConfiguration::builder()
                .r#type(FirelensConfigurationType::from(
                    str_of(f, "type").unwrap_or_default(),
                ))
                .set_options(non_empty(map_of(f, "options")))
                .build()
                .map_err(|e| build_error(CALL, e))?,
        ),
        None => None,
    };
    let health = match blocks_of(c, "health_check").first() {
        Some(h) => Some(
            HealthCheck::builder()
                .set_command(Some(health_command(h)))
                .interval(i32_of(h, "interval").unwrap_or(30))
                .timeout(i32_of(h, "timeout").unwrap_or(5))
                .retries(i32_of(h, "retries").unwrap_or(3))
                .set_start_period(i32_of(h, "start_period"))
                .build()
                .map_err(|e| build_error(CALL, e))?,
        ),
        None => None,
    };
    let depends = blocks_of(c, "depends_on")
        .into_iter()
        .map(|d| {
            ContainerDependency::builder()
                .container_name(str_of(d, "container").unwrap_or_default())
                .condition(ContainerCondition::from(
                    str_of(d, "condition").unwrap_or("START"),
                ))
                .build()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error(CALL, e))?;
    let ulimits = blocks_of(c, "ulimit")
        .into_iter()
        .map(|u| {
            Ulimit::builder()
                .name(UlimitName::from(str_of(u, "name").unwrap_or_default()))
                .soft_limit(i32_of(u, "soft").unwrap_or(0))
                .hard_limit(i32_of(u, "hard").unwrap_or(0))
                .build()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error(CALL, e))?;
    Ok(ContainerDefinition::builder()
        .name(name)
        .image(str_of(c, "image").unwrap_or_default())
        .set_cpu(i32_of(c, "cpu"))
        .set_memory(i32_of(c, "memory"))
        .set_memory_reservation(i32_of(c, "memory_reservation"))
        .essential(c.get("essential").and_then(Value::as_bool).unwrap_or(true))
        .set_command(opt_strs(c, "command"))
        .set_entry_point(opt_strs(c, "entrypoint"))
        .set_working_directory(str_of(c, "working_directory").map(str::to_owned))
        .set_user(str_of(c, "user").map(str::to_owned))
        .readonly_root_filesystem(bool_of(c, "readonly_root"))
        .set_stop_timeout(i32_of(c, "stop_timeout"))
        .set_port_mappings((!mappings.is_empty()).then_some(mappings))
        .set_environment(Some(environment))
        .set_secrets(Some(secrets))
        .set_log_configuration(logs)
        .set_firelens_configuration(firelens)
        .set_docker_labels(non_empty(map_of(c, "labels")))
        .set_start_timeout(i32_of(c, "start_timeout"))
        .pseudo_terminal(bool_of(c, "pseudo_terminal"))
        .interactive(bool_of(c, "interactive"))
        .set_repository_credentials(settings::encode_credentials(CALL, c)?)
        .set_credential_specs(opt_strs(c, "credential_specs").filter(|specs| !specs.is_empty()))
        .set_linux_parameters(settings::encode_linux(c))
        .set_restart_policy(settings::encode_restart_policy(CALL, c)?)
        .set_version_consistency(settings::encode_version_consistency(c))
        .set_system_controls(Some(settings::encode_system_controls(c)))
        .set_environment_files(Some(settings::encode_environment_files(CALL, c)?))
        .set_mount_points(Some(volume::encode_mounts(c)))
        .set_volumes_from(Some(volume::encode_volumes_from(c)))
        .set_health_check(health)
        .set_depends_on((!depends.is_empty()).then_some(depends))
        .set_ulimits((!ulimits.is_empty()).then_some(ulimits))
        .build())
}

/// A health check's command in Docker's list form: a string is the
/// shell's (`CMD-SHELL`).
fn health_command(h: &Attrs) -> Vec<String> {
    match h.get("command") {
        Some(Value::String(shell)) => vec!["CMD-SHELL".to_owned(), shell.clone()],
        _ => strs_of(h, "command"),
    }
}

/// A map as the SDK's, none when empty (AWS reads an absent map as empty).
fn non_empty(map: BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    (!map.is_empty()).then(|| map.into_iter().collect())
}

/// A `log` block as the logConfiguration AWS receives in `call` (a
/// container's, or a service's Service Connect proxy's).
pub(super) fn encode_log(call: &str, log: &Attrs, region: &str) -> Result<LogConfiguration, ProviderError> {
    let secret_options = map_of(log, "secret_options")
        .into_iter()
        .map(|(k, v)| Secret::builder().name(k).value_from(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error(call, e))?;
    let driver = str_of(log, "driver").unwrap_or_default();
    let mut options = map_of(log, "options");
    // Left out, the stack's region (what `decode_log` leaves out again).
    if driver == AWSLOGS {
        options
            .entry(AWSLOGS_REGION.to_owned())
            .or_insert_with(|| region.to_owned());
    }
    LogConfiguration::builder()
        .log_driver(LogDriver::from(driver))
        .set_options(non_empty(options))
        .set_secret_options((!secret_options.is_empty()).then_some(secret_options))
        .build()
        .map_err(|e| build_error(call, e))
}

/// A map the SDK returns, in berth's shape.
fn sorted(map: Option<&HashMap<String, String>>) -> Value {
    let map: BTreeMap<String, String> = map
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    str_map(&map)
}

/// The awslogs driver, and its option naming the region logs go to.
const AWSLOGS: &str = "awslogs";
const AWSLOGS_REGION: &str = "awslogs-region";

/// The region of an ARN (`arn:aws:ecs:REGION:...`).
pub(super) fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// A logConfiguration as a `log` block, an awslogs region that is
/// `region` (the stack's) left out as the configuration leaves it (the
/// canonical form turns the awslogs shorthand's back into `logs`).
pub(super) fn decode_log(l: &LogConfiguration, region: Option<&str>) -> Value {
    let secret_options: BTreeMap<String, String> = l
        .secret_options()
        .iter()
        .map(|s| (s.name().to_owned(), s.value_from().to_owned()))
        .collect();
    let mut options = sorted(l.options());
    if l.log_driver().as_str() == AWSLOGS
        && let Value::Map(m) = &mut options
        && region.is_some_and(|r| m.get(AWSLOGS_REGION).and_then(Value::as_str) == Some(r))
    {
        m.remove(AWSLOGS_REGION);
    }
    Value::Map(attrs([
        ("driver", Value::from(l.log_driver().as_str())),
        ("options", options),
        ("secret_options", str_map(&secret_options)),
    ]))
}

fn list_or_null(items: Option<&[String]>) -> Value {
    match items {
        Some(items) if !items.is_empty() => str_list(items.iter().map(String::as_str)),
        _ => Value::Null,
    }
}

/// A containerDefinitions entry in berth's shape.
fn decode(c: &ContainerDefinition, region: Option<&str>) -> Value {
    let port_mappings = c
        .port_mappings()
        .iter()
        .map(|m| {
            Value::Map(attrs([
                ("container_port", opt_int(m.container_port())),
                // AWS answers the container port (awsvpc): none once canonical.
                ("host_port", opt_int(m.host_port())),
                ("container_port_range", opt_str(m.container_port_range())),
                ("name", opt_str(m.name())),
                (
                    "app_protocol",
                    opt_str(m.app_protocol().map(ApplicationProtocol::as_str)),
                ),
                (
                    "protocol",
                    Value::from(m.protocol().map_or("tcp", |p| p.as_str())),
                ),
            ]))
        })
        .collect();
    let env: BTreeMap<String, String> = c
        .environment()
        .iter()
        .filter_map(|kv| Some((kv.name()?.to_owned(), kv.value().unwrap_or_default().to_owned())))
        .collect();
    let secrets: BTreeMap<String, String> = c
        .secrets()
        .iter()
        .map(|s| (s.name().to_owned(), s.value_from().to_owned()))
        .collect();
    let log: Vec<Value> = c
        .log_configuration()
        .map(|l| decode_log(l, region))
        .into_iter()
        .collect();
    let firelens: Vec<Value> = c
        .firelens_configuration()
        .map(|f| {
            Value::Map(attrs([
                ("type", Value::from(f.r#type().as_str())),
                ("options", sorted(f.options())),
            ]))
        })
        .into_iter()
        .collect();
    let health = c
        .health_check()
        .map(|h| {
            // The canonical form reads `["CMD-SHELL", COMMAND]` as the string.
            vec![Value::Map(attrs([
                ("command", str_list(h.command())),
                ("interval", Value::Int(i64::from(h.interval().unwrap_or(30)))),
                ("timeout", Value::Int(i64::from(h.timeout().unwrap_or(5)))),
                ("retries", Value::Int(i64::from(h.retries().unwrap_or(3)))),
                ("start_period", opt_int(h.start_period())),
            ]))]
        })
        .unwrap_or_default();
    let depends = c
        .depends_on()
        .iter()
        .map(|d| {
            Value::Map(attrs([
                ("container", Value::from(d.container_name())),
                ("condition", Value::from(d.condition().as_str())),
            ]))
        })
        .collect();
    let ulimits = c
        .ulimits()
        .iter()
        .map(|u| {
            Value::Map(attrs([
                ("name", Value::from(u.name().as_str())),
                ("soft", Value::Int(i64::from(u.soft_limit()))),
                ("hard", Value::Int(i64::from(u.hard_limit()))),
            ]))
        })
        .collect();
    Value::Map(attrs([
        ("name", Value::from(c.name().unwrap_or_default())),
        ("image", Value::from(c.image().unwrap_or_default())),
        ("port", Value::Null),
        ("cpu", Value::Int(i64::from(c.cpu()))),
        ("memory", opt_int(c.memory())),
        ("memory_reservation", opt_int(c.memory_reservation())),
        ("essential", Value::Bool(c.essential().unwrap_or(true))),
        ("command", list_or_null(c.command.as_deref())),
        ("entrypoint", list_or_null(c.entry_point.as_deref())),
        ("working_directory", opt_str(c.working_directory())),
        ("user", opt_str(c.user())),
        (
            "readonly_root",
            Value::Bool(c.readonly_root_filesystem().unwrap_or(false)),
        ),
        ("stop_timeout", opt_int(c.stop_timeout())),
        ("env", str_map(&env)),
        ("secrets", str_map(&secrets)),
        ("logs", Value::Null),
        ("log", Value::List(log)),
        ("firelens", Value::List(firelens)),
        ("labels", sorted(c.docker_labels())),
        ("start_timeout", opt_int(c.start_timeout())),
        (
            "pseudo_terminal",
            Value::Bool(c.pseudo_terminal().unwrap_or(false)),
        ),
        ("interactive", Value::Bool(c.interactive().unwrap_or(false))),
        (
            "repository_credentials",
            settings::decode_credentials(c.repository_credentials()),
        ),
        (
            "credential_specs",
            str_list(c.credential_specs().iter().map(String::as_str)),
        ),
        ("linux", settings::decode_linux(c.linux_parameters())),
        (
            "restart_policy",
            settings::decode_restart_policy(c.restart_policy()),
        ),
        (
            "version_consistency",
            settings::decode_version_consistency(c.version_consistency()),
        ),
        (
            "system_control",
            settings::decode_system_controls(c.system_controls()),
        ),
        (
            "environment_file",
            settings::decode_environment_files(c.environment_files()),
        ),
        ("mount", volume::decode_mounts(c.mount_points())),
        ("volumes_from", volume::decode_volumes_from(c.volumes_from())),
        ("port_mapping", Value::List(port_mappings)),
        ("health_check", Value::List(health)),
        ("depends_on", Value::List(depends)),
        ("ulimit", Value::List(ulimits)),
    ]))
}

/// The `proxy` block as proxyConfiguration.
fn encode_proxy(a: &Attrs) -> Result<Option<ProxyConfiguration>, ProviderError> {
    let Some(proxy) = blocks_of(a, "proxy").first().copied() else {
        return Ok(None);
    };
    let properties = map_of(proxy, "properties")
        .into_iter()
        .map(|(k, v)| KeyValuePair::builder().name(k).value(v).build())
        .collect();
    ProxyConfiguration::builder()
        .r#type(ProxyConfigurationType::from(
            str_of(proxy, "type").unwrap_or("APPMESH"),
        ))
        .container_name(str_of(proxy, "container").unwrap_or_default())
        .set_properties(Some(properties))
        .build()
        .map(Some)
        .map_err(|e| build_error(CALL, e))
}

/// proxyConfiguration as a `proxy` block.
fn decode_proxy(proxy: Option<&ProxyConfiguration>) -> Value {
    let blocks = proxy.map(|p| {
        let properties: BTreeMap<String, String> = p
            .properties()
            .iter()
            .filter_map(|kv| Some((kv.name()?.to_owned(), kv.value().unwrap_or_default().to_owned())))
            .collect();
        Value::Map(attrs([
            ("container", Value::from(p.container_name())),
            ("type", Value::from(p.r#type().map_or("APPMESH", |t| t.as_str()))),
            ("properties", str_map(&properties)),
        ]))
    });
    Value::List(blocks.into_iter().collect())
}

fn encode_all(region: &str, a: &Attrs) -> Result<Vec<ContainerDefinition>, ProviderError> {
    blocks_of(a, "container")
        .into_iter()
        .map(|c| encode(region, c))
        .collect()
}

pub(super) async fn create(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &mut Attrs,
    tags: Vec<Tag>,
) -> Result<Attrs, ProviderError> {
    let ecs = &p.clients.ecs;
    let family = naming::given(a, "family").map_or_else(|| naming::ecs(stack, address), str::to_owned);
    let containers = encode_all(p.region(), a)?;
    let volumes = volume::encode_volumes(CALL, a)?;
    let platform = RuntimePlatform::builder()
        .cpu_architecture(CpuArchitecture::from(
            str_of(a, "cpu_architecture").unwrap_or("X86_64"),
        ))
        .operating_system_family(OsFamily::from(str_of(a, "os_family").unwrap_or("LINUX")))
        .build();
    let proxy = encode_proxy(a)?;
    // Sent only when on: left out, ECS's default is off.
    let fault_injection = bool_of(a, "fault_injection");
    let out = p
        .call_once(SERVICE, CALL, || {
            ecs.register_task_definition()
                .family(&family)
                .set_requires_compatibilities(Some(compatibilities(a)))
                .network_mode(NetworkMode::from(str_of(a, "network_mode").unwrap_or("awsvpc")))
                .cpu(int_of(a, "cpu").unwrap_or(0).to_string())
                .memory(int_of(a, "memory").unwrap_or(0).to_string())
                .set_execution_role_arn(str_of(a, "execution_role").map(str::to_owned))
                .set_task_role_arn(str_of(a, "task_role").map(str::to_owned))
                .runtime_platform(platform.clone())
                .set_pid_mode(str_of(a, "pid_mode").map(PidMode::from))
                .set_proxy_configuration(proxy.clone())
                .set_container_definitions(Some(containers.clone()))
                .set_volumes(Some(volumes.clone()))
                .set_ephemeral_storage(volume::encode_ephemeral_storage(a))
                .set_enable_fault_injection(fault_injection.then_some(true))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let td = out.task_definition.ok_or_else(|| crate::errors::missing(CALL))?;
    a.insert(
        "container".to_owned(),
        Value::List(containers.iter().map(|c| decode(c, Some(p.region()))).collect()),
    );
    a.insert("volume".to_owned(), volume::decode_volumes(&volumes));
    Ok(attrs([
        ("arn", Value::from(td.task_definition_arn().unwrap_or_default())),
        ("family", Value::from(td.family().unwrap_or(family.as_str()))),
        ("revision", Value::Int(i64::from(td.revision()))),
    ]))
}

/// Only tags can change on a revision; the rest is kept as it is.
pub(super) fn update(_p: &AwsProvider, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    let schema = Kind::TaskDefinition.schema();
    let fixed = schema
        .attrs
        .iter()
        .filter(|a| !a.is_computed() && a.name != "tags")
        .map(|a| a.name)
        .chain(schema.blocks.iter().map(|b| b.name));
    for name in fixed {
        if let Some(v) = old.get(name) {
            new.insert(name.to_owned(), v.clone());
        }
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let ecs = &p.clients.ecs;
    p.call(SERVICE, "DeregisterTaskDefinition", || {
        ecs.deregister_task_definition().task_definition(arn).send()
    })
    .await?;
    Ok(())
}

fn read(address: Address, td: &TaskDefinition, tags: &[Tag]) -> Resource {
    let region = td.task_definition_arn().and_then(arn_region);
    let int = |s: Option<&str>| {
        s.and_then(|s| s.parse::<i64>().ok())
            .map_or(Value::Null, Value::Int)
    };
    let arch = td
        .runtime_platform()
        .and_then(|r| r.cpu_architecture())
        .map_or("X86_64", |a| a.as_str());
    let os = td
        .runtime_platform()
        .and_then(|r| r.operating_system_family())
        .map_or("LINUX", |o| o.as_str());
    let a = attrs([
        ("cpu", int(td.cpu())),
        ("memory", int(td.memory())),
        (
            "network_mode",
            Value::from(td.network_mode().map_or("awsvpc", |m| m.as_str())),
        ),
        // Fargate's alone is none (the canonical form); anything else shows.
        (
            "requires_compatibilities",
            match td.requires_compatibilities() {
                [] => Value::Null,
                all => str_list(all.iter().map(|c| c.as_str())),
            },
        ),
        ("execution_role", opt_str(td.execution_role_arn())),
        ("task_role", opt_str(td.task_role_arn())),
        ("cpu_architecture", Value::from(arch)),
        ("os_family", Value::from(os)),
        ("pid_mode", opt_str(td.pid_mode().map(PidMode::as_str))),
        // ECS reports the field on every revision; an answer without it
        // (moto) comes from an ECS that injects no faults.
        (
            "fault_injection",
            Value::Bool(td.enable_fault_injection().unwrap_or(false)),
        ),
        ("proxy", decode_proxy(td.proxy_configuration())),
        (
            "ephemeral_storage",
            volume::decode_ephemeral_storage(td.ephemeral_storage()),
        ),
        ("volume", volume::decode_volumes(td.volumes())),
        (
            "container",
            Value::List(
                td.container_definitions()
                    .iter()
                    .map(|c| decode(c, region))
                    .collect(),
            ),
        ),
        ("tags", user_tags(pairs(tags))),
        ("arn", Value::from(td.task_definition_arn().unwrap_or_default())),
        ("family", Value::from(td.family().unwrap_or_default())),
        ("revision", Value::Int(i64::from(td.revision()))),
    ]);
    created_at(resource(address, a), td.registered_at())
}

/// The task definition `scope` looks for, by `FAMILY:REVISION`, ARN, or
/// `FAMILY` (its latest active revision): DescribeTaskDefinition with its
/// tags; a deregistered revision is none.
pub(super) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let id = scope.id().unwrap_or_default();
    let out = p
        .call_unless(SERVICE, "DescribeTaskDefinition", &["ClientException"], || {
            ecs.describe_task_definition()
                .task_definition(id)
                .include(TaskDefinitionField::Tags)
                .send()
        })
        .await?;
    let Some(out) = out else { return Ok(None) };
    let tags = out.tags.unwrap_or_default();
    Ok(out.task_definition.and_then(|td| {
        if td.status() == Some(&TaskDefinitionStatus::Inactive) {
            return None;
        }
        let address = scope.address(Kind::TaskDefinition, pairs(&tags))?;
        Some(read(address, &td, &tags))
    }))
}

/// The family and revision of a task definition ARN
/// (`arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`).
fn family_revision(arn: &str) -> Option<(&str, &str)> {
    arn.rsplit_once(":task-definition/")?.1.rsplit_once(':')
}

/// The stack's active task definition revisions, from the tagging API's
/// `ecs:task-definition` ARNs (which keep deregistered revisions): a family
/// with one tagged revision is described at once (and dropped if
/// inactive); a family with more asks ListTaskDefinitions (ACTIVE) which
/// of them are live, then describes those.
pub(super) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let tagged = tagging::tagged(p, stack, "ecs:task-definition").await?;
    let mut families: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for arn in tagged.keys() {
        if let Some((family, _)) = family_revision(arn) {
            families.entry(family).or_default().push(arn);
        }
    }
    let per_family = families.into_iter().map(|(family, revisions)| async move {
        if revisions.len() == 1 {
            return Ok::<_, ProviderError>(revisions.into_iter().map(str::to_owned).collect());
        }
        let active = p
            .list(SERVICE, "ListTaskDefinitions", || {
                paginate!(
                    ecs.list_task_definitions()
                        .family_prefix(family)
                        .status(TaskDefinitionStatus::Active),
                    task_definition_arns
                )
            })
            .await?;
        Ok(active
            .into_iter()
            .filter(|arn| revisions.contains(&arn.as_str()))
            .collect::<Vec<String>>())
    });
    let arns: Vec<String> = try_join_all(per_family).await?.into_iter().flatten().collect();
    read_arns(p, stack, &arns).await
}

/// DescribeTaskDefinition (with tags) of each of `arns`: those active and
/// tagged with `stack`.
pub(super) async fn read_arns(
    p: &AwsProvider,
    stack: &str,
    arns: &[String],
) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let reads = arns.iter().map(|arn| async move {
        let out = p
            .call(SERVICE, "DescribeTaskDefinition", || {
                ecs.describe_task_definition()
                    .task_definition(arn)
                    .include(TaskDefinitionField::Tags)
                    .send()
            })
            .await?;
        let tags = out.tags.unwrap_or_default();
        let found = out.task_definition.and_then(|td| {
            if td.status() == Some(&TaskDefinitionStatus::Inactive) {
                return None;
            }
            let address = owned(stack, Kind::TaskDefinition, pairs(&tags))?;
            Some(read(address, &td, &tags))
        });
        Ok::<_, ProviderError>(found)
    });
    Ok(try_join_all(reads).await?.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attrs::canonical;
    use aws_sdk_ecs::types::VersionConsistency;

    #[test]
    fn containers_round_trip() {
        let c = crate::attrs::complete(
            Kind::TaskDefinition,
            &attrs([(
                "container",
                Value::List(vec![Value::Map(attrs([
                    ("name", "app".into()),
                    ("image", "nginx".into()),
                    ("port", Value::Int(3000)),
                    (
                        "env",
                        Value::Map([("B".to_owned(), "2".into()), ("A".to_owned(), "1".into())].into()),
                    ),
                    ("logs", "/ecs/s/app".into()),
                    (
                        "health_check",
                        Value::List(vec![Value::Map(attrs([(
                            "command",
                            "curl -f x || exit 1".into(),
                        )]))]),
                    ),
                    (
                        "ulimit",
                        Value::List(vec![Value::Map(attrs([
                            ("name", "nofile".into()),
                            ("soft", Value::Int(1024)),
                            ("hard", Value::Int(4096)),
                        ]))]),
                    ),
                    (
                        "restart_policy",
                        Value::List(vec![Value::Map(attrs([(
                            "ignored_exit_codes",
                            Value::List(vec![Value::Int(143), Value::Int(0)]),
                        )]))]),
                    ),
                    ("version_consistency", Value::Bool(false)),
                ]))]),
            )]),
        );
        let container = blocks_of(&c, "container")[0];
        let encoded = encode("us-east-1", container).unwrap();
        let env: Vec<_> = encoded.environment().iter().filter_map(|e| e.name()).collect();
        assert_eq!(env, ["A", "B"]);
        let opts = encoded
            .log_configuration()
            .and_then(|l| l.options())
            .cloned()
            .unwrap_or_default();
        assert_eq!(opts.get("awslogs-stream-prefix").map(String::as_str), Some("app"));
        assert_eq!(encoded.version_consistency(), Some(&VersionConsistency::Disabled));
        let policy = encoded.restart_policy();
        assert_eq!(
            policy.map(|p| (p.enabled(), p.restart_attempt_period())),
            Some((true, Some(300))),
            "on, with AWS's period when left out"
        );
        let mut back = decode(&encoded, Some("us-east-1"));
        let mut expected = Value::Map(container.clone());
        if let (Value::Map(b), Value::Map(e)) = (&mut back, &mut expected) {
            canonical_container(b);
            canonical_container(e);
        }
        assert_eq!(back, expected);
    }

    fn canonical_container(m: &mut Attrs) {
        let mut wrapper = attrs([("container", Value::List(vec![Value::Map(m.clone())]))]);
        canonical(Kind::TaskDefinition, &mut wrapper);
        if let Some(Value::Map(c)) = wrapper
            .get("container")
            .and_then(Value::as_list)
            .and_then(|l| l.first())
        {
            *m = c.clone();
        }
    }
}
