//! Route 53: hosted zones and their record sets, with Route 53's rules and
//! error codes (`NoSuchHostedZone`, `HostedZoneNotEmpty`, `InvalidChangeBatch`
//! for a CREATE of a record that exists or a DELETE of one that does not,
//! `InvalidInput` for a record set that is neither records nor an alias).
//! Zones and records are global, as Route 53 is. A record's owner is kept
//! in the simulation's tags, where AWS needs berth's marker TXT record.

use std::collections::BTreeMap;

use berth_provider::dns::{self, ALIAS_TYPES, RECORD_TYPES};
use berth_provider::{Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, bool_of, int_of, str_of, strs_of};
use crate::sim::Sim;

const CHANGE: &str = "ChangeResourceRecordSets";

fn no_zone(call: &str, id: &str) -> ProviderError {
    fail(
        call,
        "NoSuchHostedZone",
        format!("No hosted zone found with ID: {id}"),
    )
}

fn bad_batch(message: String) -> ProviderError {
    fail(CHANGE, "InvalidChangeBatch", format!("[{message}]"))
}

/// Route 53's rules for associating `vpcs` with the private zone `name`
/// (the zone `zone`, when it exists already): each VPC exists, and serves
/// no other private zone of that name.
fn associable(
    sim: &Sim,
    call: &str,
    name: &str,
    zone: Option<&str>,
    vpcs: &[String],
) -> Result<(), ProviderError> {
    if let Some(vpc) = vpcs.iter().find(|v| sim.find(Kind::Vpc, v).is_none()) {
        return Err(fail(
            call,
            "InvalidVPCId",
            format!("The VPC ID '{vpc}' is not valid."),
        ));
    }
    let clash = sim.all(Kind::HostedZone).any(|(k, r)| {
        Some(k.as_str()) != zone
            && str_of(&r.attrs, "name") == Some(name)
            && strs_of(&r.attrs, "vpcs").iter().any(|v| vpcs.contains(v))
    });
    if clash {
        return Err(fail(
            call,
            "ConflictingDomainExists",
            format!("A hosted zone for {name}. is already associated with one of the VPCs."),
        ));
    }
    Ok(())
}

/// Creates a hosted zone; returns its key (the bare zone id).
pub(crate) fn create_zone(
    sim: &mut Sim,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateHostedZone";
    sim.call(call);
    let name = dns::bare(str_of(&attrs, "name").unwrap_or_default());
    if !dns::valid_name(&name) || name.starts_with("*.") {
        return Err(fail(
            call,
            "InvalidDomainName",
            format!("{name} is not a valid domain name."),
        ));
    }
    let vpcs = strs_of(&attrs, "vpcs");
    associable(sim, call, &name, None, &vpcs)?;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let id = sim.fresh(|rng| {
        std::iter::once('Z')
            .chain((0..20).map(|_| char::from(alphabet[rng.usize(0..alphabet.len())])))
            .collect()
    });
    let servers: Vec<Value> = if vpcs.is_empty() {
        (0..4)
            .map(|i| {
                let tld = ["com", "net", "org", "co.uk"][i];
                Value::from(format!(
                    "ns-{}.awsdns-{:02}.{tld}",
                    sim.rng.u32(1..2048),
                    sim.rng.u32(0..64)
                ))
            })
            .collect()
    } else {
        Vec::new()
    };
    attrs.insert("name".to_owned(), Value::String(name));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    attrs.insert("name_servers".to_owned(), Value::List(servers));
    sim.insert(&id, Kind::HostedZone, tags, attrs, true);
    Ok(id)
}

/// The comment changes in place (UpdateHostedZoneComment), so do a private
/// zone's VPCs (the new associated before the old are dropped, as a zone
/// keeps at least one); force_destroy is berth's own.
pub(crate) fn update_zone(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    if old.get("comment") != new.get("comment") {
        sim.call("UpdateHostedZoneComment");
    }
    let (before, after) = (strs_of(old, "vpcs"), strs_of(new, "vpcs"));
    let name = str_of(old, "name").unwrap_or_default();
    let id = str_of(old, "id").unwrap_or_default();
    for vpc in after.iter().filter(|v| !before.contains(v)) {
        let call = "AssociateVPCWithHostedZone";
        sim.call(call);
        associable(sim, call, name, Some(id), std::slice::from_ref(vpc))?;
    }
    for _ in before.iter().filter(|v| !after.contains(v)) {
        sim.call("DisassociateVPCFromHostedZone");
    }
    Ok(())
}

/// Deletes a zone. Route 53 refuses while records other than its own NS and
/// SOA are in it; with `force_destroy` berth deletes them first.
pub(crate) fn delete_zone(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteHostedZone";
    let force = sim.rec(key).is_some_and(|r| bool_of(&r.attrs, "force_destroy"));
    let records: Vec<String> = sim
        .all(Kind::DnsRecord)
        .filter(|(_, r)| str_of(&r.attrs, "zone") == Some(key))
        .map(|(k, _)| k.clone())
        .collect();
    if !records.is_empty() {
        if !force {
            sim.call(call);
            return Err(fail(
                call,
                "HostedZoneNotEmpty",
                "The specified hosted zone contains non-required resource record sets and so cannot be deleted.",
            ));
        }
        sim.call(CHANGE);
        for record in records {
            sim.remove(&record);
        }
    }
    sim.call(call);
    sim.remove(key);
    Ok(())
}

/// A record set's name, type and zone, checked against the zone: the
/// zone exists, the name is in it, the type is Route 53's.
fn placed(sim: &Sim, attrs: &Attrs) -> Result<(String, String, String), ProviderError> {
    let zone_id = str_of(attrs, "zone").unwrap_or_default();
    let (zone_id, zone) = sim
        .need(Kind::HostedZone, zone_id, CHANGE)
        .map_err(|_| no_zone(CHANGE, zone_id))?;
    let zone_name = str_of(&zone.attrs, "name").unwrap_or_default().to_owned();
    let name = dns::bare(str_of(attrs, "name").unwrap_or_default());
    let kind = str_of(attrs, "type").unwrap_or_default().to_ascii_uppercase();
    if !RECORD_TYPES.contains(&kind.as_str()) {
        return Err(fail(
            CHANGE,
            "InvalidInput",
            format!(
                "1 validation error detected: Value '{kind}' at 'changeBatch.changes.1.member.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                RECORD_TYPES.join(", ")
            ),
        ));
    }
    if !dns::valid_name(&name) || !dns::within(&name, &zone_name) {
        return Err(bad_batch(format!(
            "RRSet with DNS name {name}. is not permitted in zone {zone_name}."
        )));
    }
    if kind == "CNAME" && name == zone_name {
        return Err(bad_batch(format!(
            "RRSet of type CNAME with DNS name {name}. is not permitted at apex in zone {zone_name}."
        )));
    }
    Ok((zone_id, name, kind))
}

/// Route 53's "exactly one of an alias, or a TTL with records", and what an
/// alias may point at: a load balancer of the account, by ARN (`target`)
/// or by its DNS name and zone, or a name in one of the account's zones.
fn shaped(sim: &Sim, action: &str, name: &str, kind: &str, attrs: &mut Attrs) -> Result<(), ProviderError> {
    let alias = blocks_of(attrs, "alias").first().map(|a| (*a).clone());
    let records = strs_of(attrs, "records");
    let ttl = int_of(attrs, "ttl");
    let parts = [alias.is_some(), ttl.is_some() || !records.is_empty()];
    let expected = |found: &str| {
        fail(
            CHANGE,
            "InvalidInput",
            format!(
                "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found {found} in Change with [Action={action}, Name={name}., Type={kind}, SetIdentifier=null]"
            ),
        )
    };
    match parts {
        [true, true] => return Err(expected("more than one")),
        [false, false] => return Err(expected("none")),
        [false, true] if ttl.is_none() || records.is_empty() => return Err(expected("none")),
        _ => {}
    }
    if let Some(t) = ttl
        && !(0..=2_147_483_647).contains(&t)
    {
        return Err(fail(
            CHANGE,
            "InvalidInput",
            format!("TTL {t} is not between 0 and 2147483647."),
        ));
    }
    let Some(mut alias) = alias else { return Ok(()) };
    if !ALIAS_TYPES.contains(&kind) {
        return Err(bad_batch(format!(
            "Alias records of type {kind} are not supported."
        )));
    }
    let target = str_of(&alias, "target").map(str::to_owned);
    let (target_name, target_zone) = match target {
        Some(arn) => {
            let (_, lb) = sim.need(Kind::LoadBalancer, &arn, CHANGE)?;
            (
                dns::bare(str_of(&lb.attrs, "dns_name").unwrap_or_default()),
                str_of(&lb.attrs, "zone_id").unwrap_or_default().to_owned(),
            )
        }
        None => (
            dns::bare(str_of(&alias, "name").unwrap_or_default()),
            str_of(&alias, "zone_id").unwrap_or_default().to_owned(),
        ),
    };
    // A load balancer answers at its name with `dualstack.` before it too
    // (what CDK and the console write).
    let lb_name = target_name.strip_prefix("dualstack.").unwrap_or(&target_name);
    let to_lb = sim.all(Kind::LoadBalancer).any(|(_, r)| {
        str_of(&r.attrs, "dns_name").map(dns::bare).as_deref() == Some(lb_name)
            && str_of(&r.attrs, "zone_id") == Some(target_zone.as_str())
    });
    let to_zone = sim.rec(&target_zone).is_some_and(|z| {
        z.kind == Kind::HostedZone && dns::within(&target_name, str_of(&z.attrs, "name").unwrap_or_default())
    });
    let zone_of_ours = sim.rec(&target_zone).is_some();
    if !to_lb && !to_zone && !outside(&target_name, &target_zone, zone_of_ours) {
        return Err(bad_batch(format!(
            "Tried to create an alias that targets {target_name}., type {kind} in zone {target_zone}, but the alias target name does not lie within the target zone"
        )));
    }
    alias.insert(
        "evaluate_health".to_owned(),
        Value::Bool(bool_of(&alias, "evaluate_health")),
    );
    attrs.insert("alias".to_owned(), Value::List(vec![Value::Map(alias)]));
    Ok(())
}

/// CloudFront's hosted zone, the same in every region.
const CLOUDFRONT_ZONE: &str = "Z2FDTNDATAQYW2";

/// Whether an alias target is an AWS endpoint the simulation cannot hold:
/// a CloudFront distribution (`*.cloudfront.net` in CloudFront's zone),
/// or an endpoint of another account or service under `amazonaws.com`
/// (a load balancer, an S3 website, API Gateway) in a zone that is not
/// one of the simulation's (`zone_of_ours`).
fn outside(name: &str, zone: &str, zone_of_ours: bool) -> bool {
    match zone == CLOUDFRONT_ZONE {
        true => name.ends_with(".cloudfront.net"),
        false => !zone.is_empty() && !zone_of_ours && name.ends_with(".amazonaws.com"),
    }
}

/// The records of `zone` named `name` other than of type `kind`.
fn others<'s>(
    sim: &'s Sim,
    zone: &'s str,
    name: &'s str,
    kind: &'s str,
) -> impl Iterator<Item = String> + 's {
    sim.all(Kind::DnsRecord)
        .filter(move |(_, r)| {
            str_of(&r.attrs, "zone") == Some(zone)
                && str_of(&r.attrs, "name") == Some(name)
                && str_of(&r.attrs, "type") != Some(kind)
        })
        .filter_map(|(_, r)| str_of(&r.attrs, "type").map(str::to_owned))
}

/// Route 53's rule that a CNAME is alone at its name.
fn cname_alone(sim: &Sim, zone: &str, zone_name: &str, name: &str, kind: &str) -> Result<(), ProviderError> {
    let mut other = others(sim, zone, name, kind);
    let clash = if kind == "CNAME" {
        other.next().is_some()
    } else {
        other.any(|t| t == "CNAME")
    };
    if clash {
        return Err(bad_batch(format!(
            "RRSet of type {kind} with DNS name {name}. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone {zone_name}."
        )));
    }
    Ok(())
}

fn zone_name(sim: &Sim, zone: &str) -> String {
    sim.rec(zone)
        .and_then(|z| str_of(&z.attrs, "name"))
        .unwrap_or_default()
        .to_owned()
}

/// CREATE of a record set; fails when one of that name and type exists.
pub(crate) fn create_record(
    sim: &mut Sim,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CHANGE);
    let (zone, name, kind) = placed(sim, &attrs)?;
    shaped(sim, "CREATE", &name, &kind, &mut attrs)?;
    let id = dns::record_id(&zone, &name, &kind);
    if sim.rec(&id).is_some() {
        return Err(bad_batch(format!(
            "Tried to create resource record set [name='{name}.', type='{kind}'] but it already exists"
        )));
    }
    cname_alone(sim, &zone, &zone_name(sim, &zone), &name, &kind)?;
    attrs.insert("zone".to_owned(), Value::String(zone));
    attrs.insert("name".to_owned(), Value::String(name));
    attrs.insert("type".to_owned(), Value::String(kind));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    sim.insert(&id, Kind::DnsRecord, tags, attrs, true);
    Ok(id)
}

/// UPSERT of a record set with `new`'s values (its zone, name and type
/// stay: they replace).
pub(crate) fn update_record(sim: &mut Sim, new: &mut Attrs) -> Result<(), ProviderError> {
    sim.call(CHANGE);
    let (_, name, kind) = placed(sim, new)?;
    shaped(sim, "UPSERT", &name, &kind, new)?;
    let zone = str_of(new, "zone").unwrap_or_default().to_owned();
    cname_alone(sim, &zone, &zone_name(sim, &zone), &name, &kind)?;
    Ok(())
}

/// DELETE of the exact record set at `key`.
pub(crate) fn delete_record(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call(CHANGE);
    let Some(rec) = sim.rec(key) else {
        return Err(bad_batch(format!(
            "Tried to delete resource record set {key} but it was not found"
        )));
    };
    let zone = str_of(&rec.attrs, "zone").unwrap_or_default();
    if sim.rec(zone).is_none() {
        return Err(no_zone(CHANGE, zone));
    }
    sim.remove(key);
    Ok(())
}
