//! ACM certificates, with RequestCertificate's and DeleteCertificate's
//! rules, validated by DNS. A certificate's validation records are ACM's
//! for its names in the account: every certificate of a name gets the same
//! CNAME (as on AWS), so a replacement is validated by the records its
//! predecessor's were. Given a `validation_zone`, berth writes the records
//! in it (a zone of the account: as record sets no stack owns, which the
//! zone's deletion meets as AWS's does; a zone listed for lookups holds
//! none here) and the certificate is issued at once, where AWS takes a
//! few minutes; without one it stays `PENDING_VALIDATION`, and no
//! listener takes it.

use std::collections::BTreeMap;

use berth_provider::attrs::{str_of, strs_of};
use berth_provider::certificate::{self, ISSUED, KEY_ALGORITHMS, MAX_NAMES, PENDING, validated_as};
use berth_provider::{Attrs, Kind, ProviderError, Value, dns};

use crate::api::fail;
use crate::ids;
use crate::sim::Sim;

const CHANGE: &str = "ChangeResourceRecordSets";

/// Requests a certificate, and validates it in its zone when it has one;
/// returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "RequestCertificate";
    sim.call(call);
    check(call, &attrs)?;
    let prefix = sim.arn("acm", "certificate/");
    let arn = sim.fresh(|rng| {
        format!(
            "{prefix}{}-{}-{}-{}-{}",
            ids::hex(rng, 8),
            ids::hex(rng, 4),
            ids::hex(rng, 4),
            ids::hex(rng, 4),
            ids::hex(rng, 12)
        )
    });
    // A name and its wildcard are validated by one record.
    let mut validated: Vec<String> = Vec::new();
    for name in certificate::names(&attrs) {
        let name = validated_as(&name).to_owned();
        if !validated.contains(&name) {
            validated.push(name);
        }
    }
    let records = validated.iter().map(|name| record_for(sim, name)).collect();
    attrs.insert("validation_records".to_owned(), Value::List(records));
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    sim.insert(&arn, Kind::Certificate, tags, attrs, false);
    set_status(sim, &arn, PENDING);
    validate(sim, &arn)?;
    Ok(arn)
}

/// A new validation zone validates the certificate there; the rest that
/// changes in place is tags.
pub(crate) fn update(sim: &mut Sim, key: &str, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    new.insert(
        "validation_records".to_owned(),
        old.get("validation_records").cloned().unwrap_or(Value::Null),
    );
    if old.get("validation_zone") != new.get("validation_zone") {
        if let Some(attrs) = sim.attrs_mut(key) {
            attrs.insert(
                "validation_zone".to_owned(),
                new.get("validation_zone").cloned().unwrap_or(Value::Null),
            );
        }
        validate(sim, key)?;
    }
    Ok(())
}

/// DeleteCertificate: refused while a listener uses it; its validation
/// records go from its zone unless another certificate validated in that
/// zone has them too.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let call = "DeleteCertificate";
    sim.call(call);
    let in_use = sim.all(Kind::Listener).any(|(_, l)| {
        str_of(&l.attrs, "certificate") == Some(key)
            || strs_of(&l.attrs, "certificates").iter().any(|c| c == key)
    });
    if in_use {
        return Err(fail(
            call,
            "ResourceInUseException",
            format!("Certificate {key} in use"),
        ));
    }
    let (zone, records) = match sim.rec(key) {
        Some(r) => (
            str_of(&r.attrs, "validation_zone").map(|z| dns::zone_id(z).to_owned()),
            validation_records(&r.attrs),
        ),
        None => {
            return Err(fail(
                call,
                "ResourceNotFoundException",
                format!("Could not find certificate {key}."),
            ));
        }
    };
    sim.remove(key);
    if let Some(zone) = zone.filter(|z| sim.rec(z).is_some()) {
        let kept: Vec<(String, String)> = sim
            .all(Kind::Certificate)
            .filter(|(_, c)| str_of(&c.attrs, "validation_zone").map(dns::zone_id) == Some(zone.as_str()))
            .flat_map(|(_, c)| validation_records(&c.attrs))
            .collect();
        for (name, _) in records.iter().filter(|r| !kept.contains(r)) {
            let id = dns::record_id(&zone, &dns::bare(name), "CNAME");
            if sim.rec(&id).is_some_and(|r| r.tags.is_empty()) {
                sim.call(CHANGE);
                sim.remove(&id);
            }
        }
    }
    Ok(())
}

/// Whether a listener may use the certificate `arn`: not one of the
/// account's that ACM has not issued.
pub(crate) fn usable(sim: &Sim, arn: &str) -> bool {
    let managed = sim
        .rec(arn)
        .filter(|r| r.kind == Kind::Certificate)
        .map(|r| r.status.as_deref() == Some(ISSUED));
    let listed = sim
        .st
        .certificates
        .iter()
        .find(|c| c.arn == arn)
        .map(|c| c.status == ISSUED);
    managed.or(listed).unwrap_or(true)
}

/// RequestCertificate's refusals.
fn check(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let names = certificate::names(attrs);
    if let Some(bad) = names.iter().find(|n| !certificate::valid_name(n)) {
        return Err(fail(
            call,
            "ValidationException",
            format!(
                "1 validation error detected: Value '{bad}' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(\\*\\.)?(((?!-)[A-Za-z0-9-]{{0,62}}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{{1,62}}[A-Za-z0-9])$"
            ),
        ));
    }
    if names.len() > MAX_NAMES {
        return Err(fail(
            call,
            "LimitExceededException",
            "The request contains too many domain names.",
        ));
    }
    let algorithm = str_of(attrs, "key_algorithm").unwrap_or("RSA_2048");
    if !KEY_ALGORITHMS.contains(&algorithm) {
        return Err(fail(
            call,
            "ValidationException",
            format!(
                "1 validation error detected: Value '{algorithm}' at 'keyAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                KEY_ALGORITHMS.join(", ")
            ),
        ));
    }
    if str_of(attrs, "validation_method").is_some_and(|m| m != certificate::DNS) {
        return Err(fail(
            call,
            "ValidationException",
            "berth's local cloud validates by DNS only",
        ));
    }
    Ok(())
}

/// The CNAME ACM validates `name` by in this account: the one another
/// certificate of the name has, or a new one.
fn record_for(sim: &mut Sim, name: &str) -> Value {
    let existing = sim
        .all(Kind::Certificate)
        .flat_map(|(_, c)| validation_records(&c.attrs))
        .find(|(n, _)| dns::bare(n) == name);
    let (record, value) = existing.unwrap_or_else(|| {
        let token = ids::hex(sim.rng, 32);
        let target = format!(
            "_{}.{}.acm-validations.aws.",
            ids::hex(sim.rng, 32),
            ids::hex(sim.rng, 10)
        );
        (format!("_{token}.{name}."), target)
    });
    Value::Map(Attrs::from([
        ("name".to_owned(), Value::String(record)),
        ("type".to_owned(), Value::String("CNAME".to_owned())),
        ("value".to_owned(), Value::String(value)),
    ]))
}

/// A certificate's validation records as (name, value) pairs.
fn validation_records(attrs: &Attrs) -> Vec<(String, String)> {
    let Some(Value::List(items)) = attrs.get("validation_records") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|r| match r {
            Value::Map(m) => Some((str_of(m, "name")?.to_owned(), str_of(m, "value")?.to_owned())),
            _ => None,
        })
        .collect()
}

fn set_status(sim: &mut Sim, key: &str, status: &str) {
    if let Some(rec) = sim.rec_mut(key) {
        rec.status = Some(status.to_owned());
    }
}

/// Writes the certificate's validation records in its zone (UPSERT), and
/// issues it when ACM would find them there: a public zone every name is
/// in. A certificate with no zone stays pending.
fn validate(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let Some(rec) = sim.rec(key) else { return Ok(()) };
    let Some(zone) = str_of(&rec.attrs, "validation_zone").map(|z| dns::zone_id(z).to_owned()) else {
        return Ok(());
    };
    let names = certificate::names(&rec.attrs);
    let records = validation_records(&rec.attrs);
    sim.call(CHANGE);
    let (zone_name, private, managed) = match sim.find(Kind::HostedZone, &zone).and_then(|k| sim.rec(&k)) {
        Some(z) => (
            str_of(&z.attrs, "name").unwrap_or_default().to_owned(),
            !strs_of(&z.attrs, "vpcs").is_empty(),
            true,
        ),
        None => match sim.st.hosted_zones.iter().find(|z| z.id == zone) {
            Some(z) => (z.name.clone(), z.private, false),
            None => {
                return Err(fail(
                    CHANGE,
                    "NoSuchHostedZone",
                    format!("No hosted zone found with ID: {zone}"),
                ));
            }
        },
    };
    let zone_name = dns::bare(&zone_name).to_ascii_lowercase();
    if let Some(outside) = names.iter().find(|n| !dns::within(validated_as(n), &zone_name)) {
        return Err(fail(
            CHANGE,
            "InvalidChangeBatch",
            format!(
                "RRSet with DNS name {}. is not permitted in zone {zone_name}. (the validation record of {outside})",
                validated_as(outside)
            ),
        ));
    }
    if managed {
        for (name, value) in records {
            let bare = dns::bare(&name);
            let id = dns::record_id(&zone, &bare, "CNAME");
            if sim.rec(&id).is_none() {
                let attrs = Attrs::from([
                    ("zone".to_owned(), Value::String(zone.clone())),
                    ("name".to_owned(), Value::String(bare)),
                    ("type".to_owned(), Value::String("CNAME".to_owned())),
                    ("records".to_owned(), Value::List(vec![Value::String(value)])),
                    ("ttl".to_owned(), Value::Int(300)),
                    ("id".to_owned(), Value::String(id.clone())),
                ]);
                sim.insert(&id, Kind::DnsRecord, BTreeMap::new(), attrs, true);
            }
        }
    }
    if private {
        return Err(fail(
            "DescribeCertificate",
            "Timeout",
            format!("certificate {key} not issued: ACM does not see records in the private zone {zone_name}"),
        ));
    }
    set_status(sim, key, ISSUED);
    Ok(())
}
