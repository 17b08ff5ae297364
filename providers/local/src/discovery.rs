//! Cloud Map: private DNS namespaces in a VPC and the services (DNS names)
//! in them, HTTP namespaces (no VPC, no DNS: Service Connect's), with Cloud
//! Map's rules and error codes, and the rules ECS holds a service's
//! `service_registry` to. Cloud Map's asynchronous namespace operations
//! finish at once here.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::{Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, int_of, str_of};
use crate::ids;
use crate::sim::Sim;

fn invalid(call: &str, message: String) -> ProviderError {
    fail(call, "InvalidInput", message)
}

/// Whether the namespace's attributes are an HTTP namespace's.
fn is_http(attrs: &Attrs) -> bool {
    str_of(attrs, "type") == Some("HTTP")
}

/// Creates a namespace; returns its key (id).
pub(crate) fn create_namespace(
    sim: &mut Sim,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    if is_http(&attrs) {
        create_http_namespace(sim, attrs, tags)
    } else {
        create_private_namespace(sim, attrs, tags)
    }
}

/// CreateHttpNamespace: a name unique in the region, no VPC, no zone.
fn create_http_namespace(
    sim: &mut Sim,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateHttpNamespace";
    sim.call(call);
    if str_of(&attrs, "vpc").is_some() {
        return Err(invalid(call, "An HTTP namespace takes no VPC.".to_owned()));
    }
    let name = str_of(&attrs, "name").unwrap_or_default().to_owned();
    if name.is_empty() || name.len() > 1024 || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(call, format!("Namespace name {name} is not valid.")));
    }
    if sim
        .all(Kind::DnsNamespace)
        .any(|(_, r)| is_http(&r.attrs) && str_of(&r.attrs, "name") == Some(name.as_str()))
    {
        return Err(fail(
            call,
            "NamespaceAlreadyExists",
            format!("Namespace {name} already exists"),
        ));
    }
    Ok(store_namespace(sim, attrs, tags, Value::Null))
}

/// Stores a new namespace under a fresh id with its ARN and its hosted
/// zone's id (null for HTTP); returns its key (id).
fn store_namespace(sim: &mut Sim, mut attrs: Attrs, tags: BTreeMap<String, String>, zone: Value) -> String {
    let id = sim.fresh(|rng| format!("ns-{}", ids::hex(rng, 16)));
    let arn = sim.arn("servicediscovery", &format!("namespace/{id}"));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    attrs.insert("arn".to_owned(), Value::String(arn));
    attrs.insert("hosted_zone".to_owned(), zone);
    sim.insert(&id, Kind::DnsNamespace, tags, attrs, false);
    id
}

/// CreatePrivateDnsNamespace: a domain name unique in its VPC, and a
/// private hosted zone.
fn create_private_namespace(
    sim: &mut Sim,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreatePrivateDnsNamespace";
    sim.call(call);
    let vpc = str_of(&attrs, "vpc").unwrap_or_default().to_owned();
    let (vpc, _) = sim.need(Kind::Vpc, &vpc, call)?;
    let name = str_of(&attrs, "name").unwrap_or_default().to_owned();
    let labels_ok = name
        .split('.')
        .all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if name.len() > 253 || !labels_ok {
        return Err(invalid(
            call,
            format!("Namespace name {name} is not a valid domain name."),
        ));
    }
    let taken = sim.all(Kind::DnsNamespace).any(|(_, r)| {
        !is_http(&r.attrs)
            && str_of(&r.attrs, "name") == Some(name.as_str())
            && str_of(&r.attrs, "vpc") == Some(vpc.as_str())
    });
    if taken {
        return Err(fail(
            call,
            "NamespaceAlreadyExists",
            format!("Namespace {name} already exists in {vpc}"),
        ));
    }
    attrs.insert("vpc".to_owned(), Value::String(vpc.clone()));
    let zone = format!("Z{}", ids::hex(&mut *sim.rng, 20).to_ascii_uppercase());
    // The private zone Cloud Map makes is Route 53's like any other (a
    // lookup finds it, records go in it), and no stack's: untagged.
    let zone_attrs = Attrs::from([
        ("id".to_owned(), Value::String(zone.clone())),
        ("name".to_owned(), Value::String(name.clone())),
        ("vpcs".to_owned(), Value::List(vec![Value::String(vpc)])),
        ("name_servers".to_owned(), Value::List(Vec::new())),
    ]);
    sim.insert(&zone, Kind::HostedZone, BTreeMap::new(), zone_attrs, true);
    Ok(store_namespace(sim, attrs, tags, Value::String(zone)))
}

/// Deletes a namespace; Cloud Map refuses while services are in it.
pub(crate) fn delete_namespace(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteNamespace";
    sim.call(call);
    // ECS made a Cloud Map service in it for each Service Connect port.
    if sim
        .all(Kind::DiscoveryService)
        .any(|(_, r)| str_of(&r.attrs, "namespace") == Some(key))
        || crate::connect::joined(sim, key)
    {
        return Err(fail(
            call,
            "ResourceInUse",
            format!("Namespace {key} has associated services"),
        ));
    }
    // Its zone goes with it; one still holding another's records stays
    // (Route 53 refuses to delete a zone that is not empty).
    let zone = sim
        .rec(key)
        .and_then(|r| str_of(&r.attrs, "hosted_zone"))
        .map(str::to_owned);
    if let Some(zone) = zone {
        let holds_records = sim
            .all(Kind::DnsRecord)
            .any(|(_, r)| str_of(&r.attrs, "zone") == Some(zone.as_str()));
        if holds_records {
            return Err(fail(
                call,
                "ResourceInUse",
                format!("Namespace {key}'s hosted zone {zone} holds records"),
            ));
        }
        sim.remove(&zone);
    }
    sim.remove(key);
    Ok(())
}

/// Creates a Cloud Map service in a namespace; returns its key (ARN).
pub(crate) fn create_service(
    sim: &mut Sim,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateService";
    sim.call(call);
    let namespace = str_of(&attrs, "namespace").unwrap_or_default().to_owned();
    let Some(namespace) = sim.find(Kind::DnsNamespace, &namespace) else {
        return Err(fail(
            call,
            "NamespaceNotFound",
            format!("Namespace {namespace} not found"),
        ));
    };
    if sim.rec(&namespace).is_some_and(|r| is_http(&r.attrs)) {
        return Err(invalid(
            call,
            format!("DnsConfig cannot be specified for a service in the HTTP namespace {namespace}."),
        ));
    }
    check_service(call, &attrs)?;
    let name = str_of(&attrs, "name").unwrap_or_default().to_owned();
    let taken = sim.all(Kind::DiscoveryService).any(|(_, r)| {
        str_of(&r.attrs, "namespace") == Some(namespace.as_str())
            && str_of(&r.attrs, "name") == Some(name.as_str())
    });
    if taken {
        return Err(fail(
            call,
            "ServiceAlreadyExists",
            format!("Service {name} already exists in {namespace}"),
        ));
    }
    let id = format!("srv-{}", ids::hex(&mut *sim.rng, 16));
    let arn = sim.arn("servicediscovery", &format!("service/{id}"));
    attrs.insert("namespace".to_owned(), Value::String(namespace));
    attrs.insert("id".to_owned(), Value::String(id));
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    sim.insert(&arn, Kind::DiscoveryService, tags, attrs, false);
    Ok(arn)
}

/// Only the records' TTL changes in place (UpdateService).
pub(crate) fn update_service(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    if old.get("dns_ttl") != new.get("dns_ttl") {
        sim.call("UpdateService");
    }
    check_service("UpdateService", new)
}

/// Deletes a Cloud Map service; refused while an ECS service registers in
/// it (its tasks are instances of it).
pub(crate) fn delete_service(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteService";
    sim.call(call);
    if sim
        .all(Kind::Service)
        .any(|(_, r)| registries(&r.attrs).contains(key))
    {
        return Err(fail(
            call,
            "ResourceInUse",
            format!("Service {key} has registered instances"),
        ));
    }
    sim.remove(key);
    Ok(())
}

fn check_service(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let kind = str_of(attrs, "dns_type").unwrap_or("A");
    let policy = str_of(attrs, "routing_policy").unwrap_or("MULTIVALUE");
    if !["A", "AAAA", "SRV", "CNAME"].contains(&kind) {
        return Err(invalid(call, format!("DnsRecord type {kind} is not valid.")));
    }
    if !["MULTIVALUE", "WEIGHTED"].contains(&policy) {
        return Err(invalid(call, format!("RoutingPolicy {policy} is not valid.")));
    }
    if kind == "CNAME" && policy != "WEIGHTED" {
        return Err(invalid(
            call,
            "CNAME records require the WEIGHTED routing policy.".to_owned(),
        ));
    }
    if int_of(attrs, "dns_ttl").is_some_and(|t| t < 0) {
        return Err(invalid(call, "TTL must be 0 or more.".to_owned()));
    }
    Ok(())
}

/// The ARNs of the Cloud Map services an ECS service registers in.
fn registries(attrs: &Attrs) -> BTreeSet<&str> {
    blocks_of(attrs, "service_registry")
        .into_iter()
        .filter_map(|r| str_of(r, "registry"))
        .collect()
}

/// ECS's rules for a service's `service_registry` blocks, given the
/// containers of its task definition and each container's ports: the
/// registry must exist; an `SRV` record needs a port (a container's, or
/// alone); a container named must be in the task definition, with that
/// port.
pub(crate) fn check_registries(
    sim: &Sim,
    call: &str,
    attrs: &Attrs,
    ports_of: &dyn Fn(&str) -> Option<BTreeSet<i64>>,
) -> Result<(), ProviderError> {
    let bad = |msg: String| fail(call, "InvalidParameterException", msg);
    let blocks = blocks_of(attrs, "service_registry");
    if blocks.len() > 1 {
        return Err(bad("At most one service registry is allowed.".to_owned()));
    }
    for r in blocks {
        let arn = str_of(r, "registry").unwrap_or_default();
        let Some(rec) = sim.find(Kind::DiscoveryService, arn).and_then(|k| sim.rec(&k)) else {
            return Err(bad(format!("Service registry {arn} does not exist.")));
        };
        let srv = str_of(&rec.attrs, "dns_type") == Some("SRV");
        let container = str_of(r, "container");
        let port = int_of(r, "port");
        // Without a container, the port is ECS's `port`: what `awsvpc`
        // tasks' SRV records give.
        if srv && port.is_none() {
            return Err(bad(
                "When specifying 'SRV' for the DNS record type of a service registry, you must specify either a containerName and containerPort combination or a port value.".to_owned(),
            ));
        }
        if let Some(container) = container {
            let Some(ports) = ports_of(container) else {
                return Err(bad(format!(
                    "The container {container} does not exist in the task definition."
                )));
            };
            if let Some(port) = port
                && !ports.contains(&port)
            {
                return Err(bad(format!(
                    "The container {container} did not have a container port {port} defined."
                )));
            }
        }
    }
    Ok(())
}
