//! ECS Service Connect: the rules ECS holds a service's
//! `serviceConnectConfiguration` to at CreateService and UpdateService,
//! with its error codes (NamespaceNotFoundException for a namespace that
//! does not exist, InvalidParameterException for the rest: port names,
//! client aliases, timeouts, discovery names, the proxy's log driver).

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::schema::namespace_id;
use berth_provider::{Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, int_of, str_of};
use crate::sim::Sim;

/// The `service_connect` block of a service's attributes, when turned on.
fn block(attrs: &Attrs) -> Option<&Attrs> {
    blocks_of(attrs, "service_connect")
        .into_iter()
        .find(|b| b.get("enabled") != Some(&Value::Bool(false)))
}

/// The key (id) of the namespace a service joins through Service Connect.
pub(crate) fn namespace_of(attrs: &Attrs) -> Option<&str> {
    block(attrs)
        .and_then(|b| str_of(b, "namespace"))
        .map(namespace_id)
}

/// The discovery names a Service Connect block publishes (each its port
/// name unless given).
fn discovery_names(block: &Attrs) -> Vec<&str> {
    blocks_of(block, "service")
        .into_iter()
        .filter_map(|s| str_of(s, "discovery_name").or_else(|| str_of(s, "port_name")))
        .collect()
}

/// Checks a service's Service Connect configuration against ECS's rules.
/// The key of the namespace `written` names (by id or ARN), or ECS's error.
pub(crate) fn find_namespace(sim: &Sim, call: &str, written: &str) -> Result<String, ProviderError> {
    sim.find(Kind::DnsNamespace, namespace_id(written))
        .ok_or_else(|| {
            fail(
                call,
                "NamespaceNotFoundException",
                format!("The namespace {written} was not found."),
            )
        })
}

/// `ports` holds the task definition's named port mappings, each with its
/// `app_protocol` (`None` for TCP); `own` is the service's key on update.
pub(crate) fn check(
    sim: &Sim,
    call: &str,
    own: Option<&str>,
    attrs: &Attrs,
    ports: &BTreeMap<String, Option<String>>,
) -> Result<(), ProviderError> {
    let bad = |msg: String| fail(call, "InvalidParameterException", msg);
    let Some(connect) = block(attrs) else {
        return Ok(());
    };
    let namespace = find_namespace(sim, call, str_of(connect, "namespace").unwrap_or_default())?;
    for log in blocks_of(connect, "log") {
        let driver = str_of(log, "driver").unwrap_or_default();
        if !["awslogs", "awsfirelens", "splunk"].contains(&driver) {
            return Err(bad(format!(
                "The Service Connect log driver {driver} is not supported on Fargate."
            )));
        }
        let group = log
            .get("options")
            .and_then(Value::as_map)
            .is_some_and(|o| o.contains_key("awslogs-group"));
        if driver == "awslogs" && !group {
            return Err(bad(
                "The awslogs log driver of Service Connect needs the awslogs-group option.".to_owned(),
            ));
        }
    }
    for access in blocks_of(connect, "access_log") {
        let format = str_of(access, "format").unwrap_or_default();
        if !["TEXT", "JSON"].contains(&format) {
            return Err(bad(format!(
                "Invalid access log format {format}: use TEXT or JSON."
            )));
        }
    }
    let mut seen = BTreeSet::new();
    for service in blocks_of(connect, "service") {
        let port = str_of(service, "port_name").unwrap_or_default();
        let Some(protocol) = ports.get(port) else {
            return Err(bad(format!(
                "Service Connect port name {port} is not defined in the task definition's port mappings."
            )));
        };
        if !seen.insert(port) {
            return Err(bad(format!(
                "Service Connect port name {port} is used by more than one service."
            )));
        }
        let aliases = blocks_of(service, "client_alias");
        if aliases.len() > 1 {
            return Err(bad("At most one client alias is allowed per service.".to_owned()));
        }
        for alias in aliases {
            if !int_of(alias, "port").is_some_and(|p| (1..=65_535).contains(&p)) {
                return Err(bad("The client alias port must be 1 to 65535.".to_owned()));
            }
        }
        let per_request = blocks_of(service, "timeout")
            .into_iter()
            .any(|t| int_of(t, "per_request_timeout_seconds").is_some());
        if per_request && protocol.is_none() {
            return Err(bad(format!(
                "perRequestTimeoutSeconds is not supported for port {port}: its appProtocol is TCP."
            )));
        }
    }
    let mine = discovery_names(connect);
    if mine.iter().collect::<BTreeSet<_>>().len() != mine.len() {
        return Err(bad("Service Connect discovery names must be unique.".to_owned()));
    }
    let taken = sim.all(Kind::Service).find_map(|(k, r)| {
        let theirs = block(&r.attrs)?;
        (Some(k.as_str()) != own && namespace_of(&r.attrs) == Some(namespace.as_str()))
            .then(|| discovery_names(theirs))?
            .into_iter()
            .find(|n| mine.contains(n))
            .map(str::to_owned)
    });
    if let Some(name) = taken {
        return Err(bad(format!(
            "The discovery name {name} is already used in namespace {namespace}."
        )));
    }
    Ok(())
}

/// Whether a service of the account joins namespace `key` through Service
/// Connect (ECS made Cloud Map services in it, so it cannot be deleted).
pub(crate) fn joined(sim: &Sim, key: &str) -> bool {
    sim.all(Kind::Service)
        .any(|(_, r)| namespace_of(&r.attrs) == Some(key))
}
