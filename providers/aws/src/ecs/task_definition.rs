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
//! - `env` and `secrets` are maps (sent sorted by name);
//! - `logs` is the awslogs group (region: the provider's, stream prefix:
//!   the container's name); another log driver reads as no `logs`;
//! - a container `cpu` of 0 is "unset" (the schema says so), as AWS
//!   reports unset as 0.

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{
    Compatibility, ContainerCondition, ContainerDefinition, ContainerDependency, CpuArchitecture,
    HealthCheck, KeyValuePair, LogConfiguration, LogDriver, NetworkMode, OsFamily, PortMapping,
    RuntimePlatform, Secret, Tag, TaskDefinition, TaskDefinitionFamilyStatus, TaskDefinitionField,
    TaskDefinitionStatus, TransportProtocol, Ulimit, UlimitName,
};
use berth_provider::naming;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::{SERVICE, pairs};
use crate::attrs::{
    attrs, blocks_of, bool_of, created_at, i32_of, int_of, map_of, opt_int, opt_str, owned, resource,
    str_list, str_map, str_of, strs_of, user_tags,
};
use crate::errors::build_error;
use crate::{AwsProvider, paginate};

const CALL: &str = "RegisterTaskDefinition";

fn opt_strs(a: &Attrs, key: &str) -> Option<Vec<String>> {
    a.get(key).and_then(Value::as_list).map(|_| strs_of(a, key))
}

/// One container block as the containerDefinitions entry AWS receives.
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
    let logs = match str_of(c, "logs") {
        Some(group) => Some(
            LogConfiguration::builder()
                .log_driver(LogDriver::Awslogs)
                .options("awslogs-group", group)
                .options("awslogs-region", region)
                .options("awslogs-stream-prefix", name)
                .build()
                .map_err(|e| build_error(CALL, e))?,
        ),
        None => None,
    };
    let health = match blocks_of(c, "health_check").first() {
        Some(h) => Some(
            HealthCheck::builder()
                .command("CMD-SHELL")
                .command(str_of(h, "command").unwrap_or_default())
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
        .set_health_check(health)
        .set_depends_on((!depends.is_empty()).then_some(depends))
        .set_ulimits((!ulimits.is_empty()).then_some(ulimits))
        .build())
}

fn list_or_null(items: Option<&[String]>) -> Value {
    match items {
        Some(items) if !items.is_empty() => str_list(items.iter().map(String::as_str)),
        _ => Value::Null,
    }
}

/// A containerDefinitions entry in berth's shape.
fn decode(c: &ContainerDefinition) -> Value {
    let port_mappings = c
        .port_mappings()
        .iter()
        .map(|m| {
            Value::Map(attrs([
                ("container_port", opt_int(m.container_port())),
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
    let logs = c
        .log_configuration()
        .filter(|l| *l.log_driver() == LogDriver::Awslogs)
        .and_then(|l| l.options()?.get("awslogs-group").cloned());
    let health = c
        .health_check()
        .map(|h| {
            let cmd = h.command();
            let command = match cmd.split_first() {
                Some((first, rest)) if first == "CMD-SHELL" => rest.join(" "),
                _ => cmd.join(" "),
            };
            vec![Value::Map(attrs([
                ("command", Value::String(command)),
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
        ("logs", opt_str(logs.as_deref())),
        ("port_mapping", Value::List(port_mappings)),
        ("health_check", Value::List(health)),
        ("depends_on", Value::List(depends)),
        ("ulimit", Value::List(ulimits)),
    ]))
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
    let platform = RuntimePlatform::builder()
        .cpu_architecture(CpuArchitecture::from(
            str_of(a, "cpu_architecture").unwrap_or("X86_64"),
        ))
        .operating_system_family(OsFamily::Linux)
        .build();
    let out = p
        .call_once(SERVICE, CALL, || {
            ecs.register_task_definition()
                .family(&family)
                .requires_compatibilities(Compatibility::Fargate)
                .network_mode(NetworkMode::from(str_of(a, "network_mode").unwrap_or("awsvpc")))
                .cpu(int_of(a, "cpu").unwrap_or(0).to_string())
                .memory(int_of(a, "memory").unwrap_or(0).to_string())
                .set_execution_role_arn(str_of(a, "execution_role").map(str::to_owned))
                .set_task_role_arn(str_of(a, "task_role").map(str::to_owned))
                .runtime_platform(platform.clone())
                .set_container_definitions(Some(containers.clone()))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let td = out.task_definition.ok_or_else(|| crate::errors::missing(CALL))?;
    a.insert(
        "container".to_owned(),
        Value::List(containers.iter().map(decode).collect()),
    );
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
    let int = |s: Option<&str>| {
        s.and_then(|s| s.parse::<i64>().ok())
            .map_or(Value::Null, Value::Int)
    };
    let arch = td
        .runtime_platform()
        .and_then(|r| r.cpu_architecture())
        .map_or("X86_64", |a| a.as_str());
    let a = attrs([
        ("cpu", int(td.cpu())),
        ("memory", int(td.memory())),
        (
            "network_mode",
            Value::from(td.network_mode().map_or("awsvpc", |m| m.as_str())),
        ),
        ("execution_role", opt_str(td.execution_role_arn())),
        ("task_role", opt_str(td.task_role_arn())),
        ("cpu_architecture", Value::from(arch)),
        (
            "container",
            Value::List(td.container_definitions().iter().map(decode).collect()),
        ),
        ("tags", user_tags(pairs(tags))),
        ("arn", Value::from(td.task_definition_arn().unwrap_or_default())),
        ("family", Value::from(td.family().unwrap_or_default())),
        ("revision", Value::Int(i64::from(td.revision()))),
    ]);
    created_at(resource(address, a), td.registered_at())
}

pub(super) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let ecs = &p.clients.ecs;
    let prefix = &naming::family_prefix(stack);
    // Every active family: a `family` the configuration gives need not
    // carry the stack's prefix, and only the tags tell. ListTaskDefinitions'
    // familyPrefix is an exact family name (on AWS as in moto).
    let families = p
        .list(SERVICE, "ListTaskDefinitionFamilies", || {
            paginate!(
                ecs.list_task_definition_families()
                    .status(TaskDefinitionFamilyStatus::Active),
                families
            )
        })
        .await?;
    let per_family = families.iter().map(|family| async move {
        let arns = p
            .list(SERVICE, "ListTaskDefinitions", || {
                paginate!(
                    ecs.list_task_definitions()
                        .family_prefix(family)
                        .status(TaskDefinitionStatus::Active),
                    task_definition_arns
                )
            })
            .await?;
        if family.starts_with(prefix.as_str()) {
            return Ok::<_, ProviderError>(arns);
        }
        // Another family: its latest revision says whose it is, so the
        // other stacks' families cost one read each, not one per revision.
        let Some(latest) = arns.last() else {
            return Ok(arns);
        };
        let out = p
            .call(SERVICE, "DescribeTaskDefinition", || {
                ecs.describe_task_definition()
                    .task_definition(latest)
                    .include(TaskDefinitionField::Tags)
                    .send()
            })
            .await?;
        let ours = owned(stack, Kind::TaskDefinition, pairs(out.tags())).is_some();
        Ok(if ours { arns } else { Vec::new() })
    });
    let arns: Vec<String> = try_join_all(per_family).await?.into_iter().flatten().collect();
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
        let mut back = decode(&encoded);
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
