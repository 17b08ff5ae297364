//! Route 53: hosted zones and the record sets in them.
//!
//! Zones: CreateHostedZone with a CallerReference derived like other
//! once-only creates' tokens (a retry after a lost answer that meets
//! `HostedZoneAlreadyExists` finds the zone it made by that reference),
//! then ChangeTagsForResource for the tags (CreateHostedZone takes none),
//! AssociateVPCWithHostedZone for a private zone's VPCs after the first
//! (and, on update, for added VPCs before DisassociateVPCFromHostedZone
//! for dropped ones), UpdateHostedZoneComment, DeleteHostedZone (after the zone's records
//! when `force_destroy`, which berth keeps in a `berth:force_destroy` tag).
//! Read: ListHostedZones + ListTagsForResources (10 zones a call) +
//! GetHostedZone.
//!
//! Records take no tags: berth writes, in the same change as each record,
//! a TXT marker `_berth-TYPE.NAME` naming the stack and address, and
//! finds the stack's records by their markers in the stack's zones and
//! in the zones the configuration names by id. CREATE makes a record
//! (failing when one of that name and type exists), UPSERT changes it,
//! DELETE removes exactly what Route 53 holds. `berth import` reads a
//! zone by its id and a record by Terraform's `ZONE_NAME_TYPE`; adopting
//! tags the zone, and writes a record's marker.

use std::collections::BTreeMap;

use aws_sdk_route53::operation::get_hosted_zone::GetHostedZoneOutput;
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZone, HostedZoneConfig, ResourceRecord,
    ResourceRecordSet, RrType, Tag, TagResourceType, Vpc, VpcRegion,
};
use berth_provider::adopt::adoption_tags;
use berth_provider::{
    ADDRESS_TAG, Address, Attrs, External, Kind, ProviderError, Resource, STACK_TAG, Value,
};
use berth_provider::{dns, naming};
use futures::future::try_join_all;

use crate::attrs::{
    FlagTag, attrs, blocks_of, bool_of, complete, create_tags, int_of, keep, owned, resource, str_list,
    str_of, strs_of, tag_diff, user_tags,
};
use crate::errors::{build_error, invalid, missing};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "route53";
pub(crate) const CHANGE: &str = "ChangeResourceRecordSets";

/// A zone's `force_destroy`, which Route 53 has no field for.
const FORCE: FlagTag = FlagTag {
    attr: "force_destroy",
    tag: "berth:force_destroy",
};

/// `name` fully qualified, with the root's dot, as Route 53 keeps names
/// (moto tells `example.com` and `example.com.` apart in UPSERTs).
fn rooted(name: &str) -> String {
    format!("{}.", dns::bare(name))
}

fn tags_of(tags: BTreeMap<String, String>) -> Vec<Tag> {
    tags.into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    match desired.address.kind {
        Kind::HostedZone => create_zone(p, stack, desired).await,
        _ => create_record(p, stack, desired).await,
    }
}

async fn create_zone(p: &AwsProvider, stack: &str, desired: &Resource) -> Result<Resource, ProviderError> {
    let call = "CreateHostedZone";
    let r53 = &p.clients.route53;
    let mut a = complete(Kind::HostedZone, &desired.attrs);
    let name = dns::bare(str_of(&a, "name").unwrap_or_default());
    let vpcs = strs_of(&a, "vpcs");
    let config = HostedZoneConfig::builder()
        .set_comment(str_of(&a, "comment").map(str::to_owned))
        .private_zone(!vpcs.is_empty())
        .build();
    // The reference names the stack's zone (the same in every run) and
    // this run's request: a zone an earlier run made and was killed
    // before tagging is found by its first part and taken, not made again.
    let zone = naming::client_token(stack, &desired.address, &[&name]);
    let reference = format!(
        "{zone}:{}",
        p.tokens.for_create(stack, &desired.address, &[&name])
    );
    let orphan = match by_reference(p, &name, |r| {
        r.strip_prefix(&zone).is_some_and(|rest| rest.starts_with(':'))
    })
    .await?
    {
        // Tagged, it is no orphan: the zone this one replaces.
        Some(id) if untagged(p, &id).await? => Some(id),
        _ => None,
    };
    let made = match orphan {
        Some(_) => None,
        None => {
            p.call_repeatable(SERVICE, call, &["HostedZoneAlreadyExists"], || {
                r53.create_hosted_zone()
                    .name(&name)
                    .caller_reference(&reference)
                    .hosted_zone_config(config.clone())
                    .set_vpc(vpcs.first().map(|v| vpc_of(p, v)))
                    .send()
            })
            .await?
        }
    };
    let id = match (made.as_ref().and_then(|o| o.hosted_zone()), orphan) {
        (Some(zone), _) => dns::zone_id(zone.id()).to_owned(),
        (None, Some(id)) => id,
        // An earlier attempt made it and its answer was lost.
        (None, None) => by_reference(p, &name, |r| r == reference)
            .await?
            .ok_or_else(|| missing("ListHostedZonesByName"))?,
    };
    associate(p, &id, &vpcs[..vpcs.len().min(1)], &vpcs).await?;
    let mut tags = create_tags(stack, &desired.address, &a);
    FORCE.create(&a, &mut tags);
    if let Err(refused) = retag(p, &id, tags, Vec::new()).await {
        // Untagged, no plan finds it (the next create would make another):
        // gone again, empty, rather than left.
        let _ = p
            .call_unless(SERVICE, "DeleteHostedZone", &["NoSuchHostedZone"], || {
                r53.delete_hosted_zone().id(&id).send()
            })
            .await;
        return Err(refused);
    }
    let servers = made
        .as_ref()
        .and_then(|o| o.delegation_set())
        .map(|d| d.name_servers().to_vec());
    let servers = match servers {
        Some(s) => s,
        None => name_servers(p, &id).await?,
    };
    a.insert("name".to_owned(), Value::String(name));
    a.insert("id".to_owned(), Value::String(id));
    a.insert(
        "name_servers".to_owned(),
        str_list(if vpcs.is_empty() { servers } else { Vec::new() }),
    );
    Ok(resource(desired.address.clone(), a))
}

/// Whether the zone `id` carries no berth tags (its create's run ended
/// before tagging it).
async fn untagged(p: &AwsProvider, id: &str) -> Result<bool, ProviderError> {
    let tags = zone_tags(p, id).await?;
    Ok(!tags
        .iter()
        .any(|t| t.key().is_some_and(|k| k.starts_with("berth:"))))
}

/// The tags of the zone `id` (ListTagsForResource).
async fn zone_tags(p: &AwsProvider, id: &str) -> Result<Vec<Tag>, ProviderError> {
    let r53 = &p.clients.route53;
    let out = p
        .call(SERVICE, "ListTagsForResource", || {
            r53.list_tags_for_resource()
                .resource_type(TagResourceType::Hostedzone)
                .resource_id(id)
                .send()
        })
        .await?;
    Ok(out
        .resource_tag_set()
        .map(|s| s.tags().to_vec())
        .unwrap_or_default())
}

/// The id of a zone named `name` whose CallerReference `made_by` takes.
async fn by_reference(
    p: &AwsProvider,
    name: &str,
    made_by: impl Fn(&str) -> bool,
) -> Result<Option<String>, ProviderError> {
    let r53 = &p.clients.route53;
    let out = p
        .call(SERVICE, "ListHostedZonesByName", || {
            r53.list_hosted_zones_by_name().dns_name(name).send()
        })
        .await?;
    Ok(out
        .hosted_zones()
        .iter()
        .find(|z| dns::bare(z.name()) == dns::bare(name) && made_by(z.caller_reference()))
        .map(|z| dns::zone_id(z.id()).to_owned()))
}

/// The name servers of a public zone (none for a private one).
async fn name_servers(p: &AwsProvider, id: &str) -> Result<Vec<String>, ProviderError> {
    let r53 = &p.clients.route53;
    let out = p
        .call(SERVICE, "GetHostedZone", || r53.get_hosted_zone().id(id).send())
        .await?;
    Ok(out
        .delegation_set()
        .map(|d| d.name_servers().to_vec())
        .unwrap_or_default())
}

/// A VPC of the stack's region as Route 53 takes it.
fn vpc_of(p: &AwsProvider, id: &str) -> Vpc {
    Vpc::builder()
        .vpc_id(id)
        .vpc_region(VpcRegion::from(p.region.as_str()))
        .build()
}

/// Moves the private zone `id` from the VPCs `before` to `after`:
/// AssociateVPCWithHostedZone for each new one first, then
/// DisassociateVPCFromHostedZone for each dropped one (a private zone
/// keeps at least one VPC).
async fn associate(
    p: &AwsProvider,
    id: &str,
    before: &[String],
    after: &[String],
) -> Result<(), ProviderError> {
    let r53 = &p.clients.route53;
    for vpc in after.iter().filter(|v| !before.contains(v)) {
        let v = vpc_of(p, vpc);
        // After an attempt without an answer, the association is there.
        p.call_repeatable(
            SERVICE,
            "AssociateVPCWithHostedZone",
            &["ConflictingDomainExists"],
            || {
                r53.associate_vpc_with_hosted_zone()
                    .hosted_zone_id(id)
                    .vpc(v.clone())
                    .send()
            },
        )
        .await?;
    }
    for vpc in before.iter().filter(|v| !after.contains(v)) {
        let v = vpc_of(p, vpc);
        p.call_repeatable(
            SERVICE,
            "DisassociateVPCFromHostedZone",
            &["VPCAssociationNotFound"],
            || {
                r53.disassociate_vpc_from_hosted_zone()
                    .hosted_zone_id(id)
                    .vpc(v.clone())
                    .send()
            },
        )
        .await?;
    }
    Ok(())
}

/// Adds `set` and removes `removed` tags of the zone `id`.
async fn retag(
    p: &AwsProvider,
    id: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    if set.is_empty() && removed.is_empty() {
        return Ok(());
    }
    let r53 = &p.clients.route53;
    let add = tags_of(set);
    p.call(SERVICE, "ChangeTagsForResource", || {
        r53.change_tags_for_resource()
            .resource_type(TagResourceType::Hostedzone)
            .resource_id(id)
            .set_add_tags((!add.is_empty()).then(|| add.clone()))
            .set_remove_tag_keys((!removed.is_empty()).then(|| removed.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// What a record set's alias points at: the load balancer's DNS name and
/// canonical hosted zone id for a `target`, or the `name` and `zone_id`
/// given.
async fn alias_of(p: &AwsProvider, alias: &Attrs) -> Result<AliasTarget, ProviderError> {
    let (name, zone) = match str_of(alias, "target") {
        Some(arn) => {
            let elb = &p.clients.elb;
            let out = p
                .call("elbv2", "DescribeLoadBalancers", || {
                    elb.describe_load_balancers().load_balancer_arns(arn).send()
                })
                .await?;
            let lb = out
                .load_balancers()
                .first()
                .ok_or_else(|| missing("DescribeLoadBalancers"))?;
            (
                lb.dns_name().unwrap_or_default().to_owned(),
                lb.canonical_hosted_zone_id().unwrap_or_default().to_owned(),
            )
        }
        None => (
            str_of(alias, "name").unwrap_or_default().to_owned(),
            str_of(alias, "zone_id").unwrap_or_default().to_owned(),
        ),
    };
    AliasTarget::builder()
        .dns_name(name)
        .hosted_zone_id(zone)
        .evaluate_target_health(bool_of(alias, "evaluate_health"))
        .build()
        .map_err(|e| build_error(CHANGE, e))
}

/// The record set berth's attributes describe.
async fn record_set(p: &AwsProvider, a: &Attrs) -> Result<ResourceRecordSet, ProviderError> {
    let mut set = ResourceRecordSet::builder()
        .name(rooted(str_of(a, "name").unwrap_or_default()))
        .r#type(RrType::from(str_of(a, "type").unwrap_or_default()));
    match blocks_of(a, "alias").first() {
        Some(alias) => set = set.alias_target(alias_of(p, alias).await?),
        None => {
            let records = strs_of(a, "records")
                .into_iter()
                .map(|v| ResourceRecord::builder().value(v).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| build_error(CHANGE, e))?;
            set = set.set_ttl(int_of(a, "ttl")).set_resource_records(Some(records));
        }
    }
    set.build().map_err(|e| build_error(CHANGE, e))
}

/// The marker of the record `name`/`kind` owned by `stack`'s `address`.
fn marker(
    stack: &str,
    address: &Address,
    name: &str,
    kind: &str,
) -> Result<ResourceRecordSet, ProviderError> {
    let value = ResourceRecord::builder()
        .value(dns::marker_value(stack, &address.to_string()))
        .build()
        .map_err(|e| build_error(CHANGE, e))?;
    ResourceRecordSet::builder()
        .name(rooted(&dns::marker_name(name, kind)))
        .r#type(RrType::Txt)
        .ttl(300)
        .resource_records(value)
        .build()
        .map_err(|e| build_error(CHANGE, e))
}

/// Sends one atomic change of `sets` to `zone`. After an attempt that got
/// no answer, `InvalidChangeBatch` means that attempt made the change.
pub(crate) async fn change(
    p: &AwsProvider,
    zone: &str,
    sets: Vec<(ChangeAction, ResourceRecordSet)>,
) -> Result<(), ProviderError> {
    let r53 = &p.clients.route53;
    let _one_at_a_time = p.dns_changes.lock().await;
    let changes = sets
        .into_iter()
        .map(|(action, set)| Change::builder().action(action).resource_record_set(set).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| build_error(CHANGE, e))?;
    let batch = ChangeBatch::builder()
        .set_changes(Some(changes))
        .build()
        .map_err(|e| build_error(CHANGE, e))?;
    p.call_repeatable(SERVICE, CHANGE, &["InvalidChangeBatch"], || {
        r53.change_resource_record_sets()
            .hosted_zone_id(zone)
            .change_batch(batch.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn create_record(p: &AwsProvider, stack: &str, desired: &Resource) -> Result<Resource, ProviderError> {
    let mut a = complete(Kind::DnsRecord, &desired.attrs);
    let zone = dns::zone_id(str_of(&a, "zone").unwrap_or_default()).to_owned();
    let name = dns::bare(str_of(&a, "name").unwrap_or_default());
    let kind = str_of(&a, "type").unwrap_or_default().to_ascii_uppercase();
    let set = record_set(p, &a).await?;
    let mark = marker(stack, &desired.address, &name, &kind)?;
    change(
        p,
        &zone,
        vec![(ChangeAction::Create, set), (ChangeAction::Create, mark)],
    )
    .await?;
    a.insert("zone".to_owned(), Value::String(zone.clone()));
    a.insert(
        "id".to_owned(),
        Value::String(dns::record_id(&zone, &name, &kind)),
    );
    Ok(resource(desired.address.clone(), a))
}

/// Zones: the comment and tags (and `force_destroy`, a tag); records:
/// UPSERT of the whole record set (zone, name and type replace).
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = live.address.kind;
    let mut new = complete(kind, &desired.attrs);
    let old = &live.attrs;
    let id = str_of(old, "id").unwrap_or_default().to_owned();
    if kind == Kind::DnsRecord {
        let set = record_set(p, &new).await?;
        let zone = str_of(old, "zone").unwrap_or_default();
        change(p, zone, vec![(ChangeAction::Upsert, set)]).await?;
    } else {
        let r53 = &p.clients.route53;
        if old.get("comment") != new.get("comment") {
            p.call(SERVICE, "UpdateHostedZoneComment", || {
                r53.update_hosted_zone_comment()
                    .id(&id)
                    .comment(str_of(&new, "comment").unwrap_or_default())
                    .send()
            })
            .await?;
        }
        associate(p, &id, &strs_of(old, "vpcs"), &strs_of(&new, "vpcs")).await?;
        let (mut set, mut removed) = tag_diff(old, &new);
        FORCE.update(old, &new, &mut set, &mut removed);
        retag(p, &id, set, removed).await?;
    }
    keep(&mut new, old, &["id", "name_servers", "zone"]);
    Ok(resource(live.address.clone(), new))
}

/// The record sets of `zone`, all of them (ListResourceRecordSets pages by
/// the next name and type).
pub(crate) async fn record_sets(
    p: &AwsProvider,
    zone: &str,
) -> Result<Vec<ResourceRecordSet>, ProviderError> {
    let r53 = &p.clients.route53;
    let mut out = Vec::new();
    let mut next: Option<(String, RrType)> = None;
    loop {
        let page = p
            .call(SERVICE, "ListResourceRecordSets", || {
                r53.list_resource_record_sets()
                    .hosted_zone_id(zone)
                    .set_start_record_name(next.as_ref().map(|(n, _)| n.clone()))
                    .set_start_record_type(next.as_ref().map(|(_, t)| t.clone()))
                    .send()
            })
            .await?;
        out.extend(page.resource_record_sets().iter().cloned());
        next = match (
            page.is_truncated(),
            page.next_record_name(),
            page.next_record_type(),
        ) {
            (true, Some(n), Some(t)) => Some((n.to_owned(), t.clone())),
            _ => return Ok(out),
        };
    }
}

/// Route 53's spelling of a name: `\052` for `*`, the root's dot.
fn unescaped(name: &str) -> String {
    dns::bare(&name.replace("\\052", "*"))
}

/// The record set of `name` and `kind` in `sets`.
fn find<'s>(sets: &'s [ResourceRecordSet], name: &str, kind: &str) -> Option<&'s ResourceRecordSet> {
    sets.iter()
        .find(|s| unescaped(s.name()) == name && s.r#type().as_str() == kind)
}

/// Deletes a record (exactly as Route 53 holds it, with its marker), or a
/// zone: its records first with `force_destroy`, else Route 53's
/// `HostedZoneNotEmpty` says what is left.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let r53 = &p.clients.route53;
    let id = str_of(&live.attrs, "id").unwrap_or_default();
    if live.address.kind == Kind::DnsRecord {
        let zone = str_of(&live.attrs, "zone").unwrap_or_default();
        let name = dns::bare(str_of(&live.attrs, "name").unwrap_or_default());
        let kind = str_of(&live.attrs, "type").unwrap_or_default();
        let sets = match record_sets(p, zone).await {
            Err(e) if e.code == "NoSuchHostedZone" => return Ok(()),
            other => other?,
        };
        let doomed: Vec<_> = [
            find(&sets, &name, kind),
            find(&sets, &dns::marker_name(&name, kind), "TXT"),
        ]
        .into_iter()
        .flatten()
        .map(|s| (ChangeAction::Delete, s.clone()))
        .collect();
        if !doomed.is_empty() {
            change(p, zone, doomed).await?;
        }
        return Ok(());
    }
    if bool_of(&live.attrs, FORCE.attr) {
        let sets = match record_sets(p, id).await {
            Err(e) if e.code == "NoSuchHostedZone" => return Ok(()),
            other => other?,
        };
        let apex = dns::bare(str_of(&live.attrs, "name").unwrap_or_default());
        let doomed: Vec<_> = sets
            .into_iter()
            .filter(|s| !(unescaped(s.name()) == apex && matches!(s.r#type(), RrType::Ns | RrType::Soa)))
            .map(|s| (ChangeAction::Delete, s))
            .collect();
        if !doomed.is_empty() {
            change(p, id, doomed).await?;
        }
    }
    p.call_unless(SERVICE, "DeleteHostedZone", &["NoSuchHostedZone"], || {
        r53.delete_hosted_zone().id(id).send()
    })
    .await
    .map_err(|mut e| {
        if e.code == "HostedZoneNotEmpty" {
            e.message = format!(
                "{} (the zone still holds records berth does not manage: delete them, or set `force_destroy = true`)",
                e.message
            );
        }
        e
    })?;
    Ok(())
}

/// The stack's zones, and its records in them and in the zones the
/// configuration names by id.
pub(crate) async fn read_all(
    p: &AwsProvider,
    stack: &str,
    external: &[External],
) -> Result<Vec<Resource>, ProviderError> {
    let r53 = &p.clients.route53;
    let zones = p
        .list(SERVICE, "ListHostedZones", || {
            paginate!(r53.list_hosted_zones(), hosted_zones)
        })
        .await?;
    let ids: Vec<String> = zones.iter().map(|z| dns::zone_id(z.id()).to_owned()).collect();
    let mut tags: BTreeMap<String, Vec<Tag>> = BTreeMap::new();
    for batch in ids.chunks(10) {
        let out = p
            .call(SERVICE, "ListTagsForResources", || {
                r53.list_tags_for_resources()
                    .resource_type(TagResourceType::Hostedzone)
                    .set_resource_ids(Some(batch.to_vec()))
                    .send()
            })
            .await?;
        for set in out.resource_tag_sets() {
            if let Some(id) = set.resource_id() {
                tags.insert(dns::zone_id(id).to_owned(), set.tags().to_vec());
            }
        }
    }
    let mine: Vec<(Address, &HostedZone, &[Tag])> = zones
        .iter()
        .filter_map(|z| {
            let t = tags.get(dns::zone_id(z.id()))?;
            let pairs = t.iter().filter_map(|t| Some((t.key()?, t.value()?)));
            owned(stack, Kind::HostedZone, pairs).map(|a| (a, z, t.as_slice()))
        })
        .collect();
    let read = mine
        .iter()
        .map(|(address, z, t)| read_zone(p, address.clone(), dns::zone_id(z.id()), t));
    let mut out: Vec<Resource> = try_join_all(read).await?;
    let mut scanned: Vec<String> = out
        .iter()
        .filter_map(|r| str_of(&r.attrs, "id").map(str::to_owned))
        .collect();
    for e in external.iter().filter(|e| e.kind == Kind::HostedZone) {
        let id = dns::zone_id(&e.id).to_owned();
        if ids.contains(&id) && !scanned.contains(&id) {
            scanned.push(id);
        }
    }
    let records = try_join_all(scanned.iter().map(|zone| read_records(p, stack, zone))).await?;
    out.extend(records.into_iter().flatten());
    Ok(out)
}

/// GetHostedZone of the zone `id` (its VPCs and name servers, which
/// ListHostedZones leaves out), read at `address`.
async fn read_zone(
    p: &AwsProvider,
    address: Address,
    id: &str,
    tags: &[Tag],
) -> Result<Resource, ProviderError> {
    let r53 = &p.clients.route53;
    let got = p
        .call(SERVICE, "GetHostedZone", || r53.get_hosted_zone().id(id).send())
        .await?;
    zone(address, &got, tags)
}

/// The zone GetHostedZone answered, with its `tags`, at `address`.
fn zone(address: Address, got: &GetHostedZoneOutput, tags: &[Tag]) -> Result<Resource, ProviderError> {
    let z = got.hosted_zone().ok_or_else(|| {
        ProviderError::permanent(
            "GetHostedZone",
            "MissingResponse",
            "AWS answered without the hosted zone",
        )
    })?;
    let id = dns::zone_id(z.id());
    let pairs = || {
        tags.iter()
            .filter_map(|t| Some((t.key()?, t.value()?)))
            .filter(|(k, _)| !FORCE.is(k))
    };
    let force = tags.iter().any(|t| t.key().is_some_and(|k| FORCE.is(k)));
    let vpcs: Vec<&str> = got.vpcs().iter().filter_map(|v| v.vpc_id()).collect();
    let private = z.config().is_some_and(|c| c.private_zone());
    let servers = got
        .delegation_set()
        .map(|d| d.name_servers().to_vec())
        .unwrap_or_default();
    let a = attrs([
        ("name", Value::from(dns::bare(z.name()))),
        (
            "comment",
            z.config()
                .and_then(|c| c.comment())
                .filter(|c| !c.is_empty())
                .map_or(Value::Null, Value::from),
        ),
        ("vpcs", if private { str_list(vpcs) } else { Value::Null }),
        ("force_destroy", Value::Bool(force)),
        ("tags", user_tags(pairs())),
        ("id", Value::from(id)),
        (
            "name_servers",
            str_list(if private { Vec::new() } else { servers }),
        ),
    ]);
    Ok(resource(address, a))
}

/// The records of `zone` whose markers name `stack`.
async fn read_records(p: &AwsProvider, stack: &str, zone: &str) -> Result<Vec<Resource>, ProviderError> {
    let sets = record_sets(p, zone).await?;
    let mut out = Vec::new();
    for m in sets.iter().filter(|s| *s.r#type() == RrType::Txt) {
        let Some((name, kind)) = dns::marked(&unescaped(m.name())) else {
            continue;
        };
        let owner = m
            .resource_records()
            .iter()
            .find_map(|v| dns::marker_owner(v.value()));
        let Some((_, address)) = owner.filter(|(s, _)| s == stack) else {
            continue;
        };
        let Ok(address) = address.parse::<Address>() else {
            continue;
        };
        let Some(set) = find(&sets, &name, &kind).filter(|_| address.kind == Kind::DnsRecord) else {
            continue;
        };
        out.push(record(zone, &name, &kind, set, address));
    }
    Ok(out)
}

/// The record set `set` of `zone`, read at `address`.
fn record(zone: &str, name: &str, kind: &str, set: &ResourceRecordSet, address: Address) -> Resource {
    let alias = set.alias_target().map(|t| {
        let block = attrs([
            ("name", Value::from(dns::bare(t.dns_name()))),
            ("zone_id", Value::from(t.hosted_zone_id())),
            ("evaluate_health", Value::Bool(t.evaluate_target_health())),
        ]);
        Value::List(vec![Value::Map(block)])
    });
    let records: Vec<&str> = set.resource_records().iter().map(|r| r.value()).collect();
    let a = attrs([
        ("zone", Value::from(zone)),
        ("name", Value::from(name)),
        ("type", Value::from(kind)),
        ("ttl", set.ttl().map_or(Value::Null, Value::Int)),
        (
            "records",
            if records.is_empty() {
                Value::Null
            } else {
                str_list(records)
            },
        ),
        ("alias", alias.unwrap_or(Value::List(Vec::new()))),
        ("id", Value::from(dns::record_id(zone, name, kind))),
    ]);
    resource(address, a)
}

/// The zone or the record `scope` looks for by its id, whatever its tags
/// or marker: GetHostedZone and ListTagsForResource, or the zone's record
/// sets for a record id (`ZONE_NAME_TYPE`).
pub(crate) async fn read_one(
    p: &AwsProvider,
    kind: Kind,
    scope: &Scope<'_>,
) -> Result<Vec<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let found = match kind {
        Kind::HostedZone => read_one_zone(p, scope, dns::zone_id(id)).await?,
        _ => read_one_record(p, scope, id).await?,
    };
    Ok(found.into_iter().collect())
}

async fn read_one_zone(
    p: &AwsProvider,
    scope: &Scope<'_>,
    id: &str,
) -> Result<Option<Resource>, ProviderError> {
    let r53 = &p.clients.route53;
    let got = p
        .call_unless(SERVICE, "GetHostedZone", &["NoSuchHostedZone"], || {
            r53.get_hosted_zone().id(id).send()
        })
        .await?;
    let Some(got) = got else {
        return Ok(None);
    };
    let tags = zone_tags(p, id).await?;
    let pairs = tags.iter().filter_map(|t| Some((t.key()?, t.value()?)));
    let Some(address) = scope.address(Kind::HostedZone, pairs) else {
        return Ok(None);
    };
    zone(address, &got, &tags).map(Some)
}

async fn read_one_record(
    p: &AwsProvider,
    scope: &Scope<'_>,
    id: &str,
) -> Result<Option<Resource>, ProviderError> {
    let Some((zone, name, kind)) = dns::record_in(id) else {
        return Err(invalid(
            "ListResourceRecordSets",
            format!("{id:?} is not a record's id: ZONE_NAME_TYPE, as in `Z0123456789_www.example.com_A`"),
        ));
    };
    let sets = record_sets(p, &zone).await?;
    let Some(set) = find(&sets, &name, &kind) else {
        return Ok(None);
    };
    let marker = find(&sets, &dns::marker_name(&name, &kind), "TXT");
    let owner = marker.and_then(|m| {
        m.resource_records()
            .iter()
            .find_map(|v| dns::marker_owner(v.value()))
    });
    let tags = owner
        .iter()
        .flat_map(|(stack, address)| [(STACK_TAG, stack.as_str()), (ADDRESS_TAG, address.as_str())]);
    let Some(address) = scope.address(Kind::DnsRecord, tags) else {
        return Ok(None);
    };
    Ok(Some(record(&zone, &name, &kind, set, address)))
}

/// Adopting a zone tags it (ChangeTagsForResource); a record, which takes
/// no tags, gets its marker (an UPSERT of the marker alone).
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let a = &live.attrs;
    if live.address.kind == Kind::HostedZone {
        let id = str_of(a, "id").unwrap_or_default();
        return retag(p, id, adoption_tags(stack, &live.address), Vec::new()).await;
    }
    let zone = str_of(a, "zone").unwrap_or_default();
    let name = str_of(a, "name").unwrap_or_default();
    let kind = str_of(a, "type").unwrap_or_default();
    let mark = marker(stack, &live.address, name, kind)?;
    change(p, zone, vec![(ChangeAction::Upsert, mark)]).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_in_route53_spelling() {
        assert_eq!(dns::zone_id("/hostedzone/Z123"), "Z123");
        assert_eq!(dns::zone_id("Z123"), "Z123");
        assert_eq!(unescaped("\\052.Example.com."), "*.example.com");
    }
}
