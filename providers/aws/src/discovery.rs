//! Cloud Map: private DNS and HTTP namespaces, and the services in them.
//!
//! CreatePrivateDnsNamespace, CreateHttpNamespace and DeleteNamespace are
//! asynchronous: they answer an operation id, polled with GetOperation
//! (bounded) until it succeeds or fails; the new namespace's id is the
//! operation's target.
//! Cloud Map does not say which VPC a namespace serves (that is on the
//! Route 53 hosted zone): berth records it in the `berth:vpc` tag at
//! create, as it records the stack and address, and reads it back from
//! there. Services: CreateService (tags in the call), UpdateService for the
//! records' TTL, DeleteService. Read: ListNamespaces / ListServices +
//! ListTagsForResource, GetService for a service's namespace.

use std::time::Duration;

use aws_sdk_servicediscovery::types::{
    DnsConfig, DnsConfigChange, DnsRecord, FilterCondition, HealthCheckCustomConfig, NamespaceFilter,
    NamespaceFilterName, NamespaceProperties, NamespaceSummary, OperationStatus, OperationTargetType,
    RecordType, RoutingPolicy, ServiceChange, ServiceSummary, Tag,
};
use berth_provider::adopt::adoption_tags;
use berth_provider::{Attrs, ErrorClass, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, checked_tags, complete, create_tags, created_at, int_of, keep, resource, str_of, tag_diff,
    user_tags,
};
use crate::errors::build_error;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "servicediscovery";

/// The tag holding a namespace's VPC, which Cloud Map does not return.
const VPC_TAG: &str = "berth:vpc";

/// How long a namespace operation may take: AWS's usually take under a
/// minute (a hosted zone is made or deleted).
const OPERATION_TIMEOUT: Duration = Duration::from_secs(300);

/// Waits for the namespace operation `id` to succeed; returns its targets
/// namespace id.
async fn finished(p: &AwsProvider, id: &str) -> Result<String, ProviderError> {
    let sd = &p.clients.discovery;
    let call = "GetOperation";
    let start = std::time::Instant::now();
    let mut poll = Duration::from_millis(250);
    loop {
        let out = p
            .call(SERVICE, call, || sd.get_operation().operation_id(id).send())
            .await?;
        let op = out.operation();
        match op.and_then(|o| o.status()) {
            Some(OperationStatus::Success) => {
                let target = op
                    .and_then(|o| o.targets())
                    .and_then(|t| t.get(&OperationTargetType::Namespace));
                return Ok(target.cloned().unwrap_or_default());
            }
            Some(OperationStatus::Fail) => {
                let o = op.map(|o| (o.error_code(), o.error_message()));
                let (code, message) = o.unwrap_or_default();
                return Err(ProviderError::permanent(
                    call,
                    code.unwrap_or("OperationFailed"),
                    format!(
                        "Cloud Map operation {id} failed: {}",
                        message.unwrap_or("no reason given")
                    ),
                ));
            }
            _ if start.elapsed() + poll > OPERATION_TIMEOUT => {
                return Err(ProviderError::new(
                    call,
                    "Timeout",
                    format!(
                        "Cloud Map operation {id} not finished after {}s",
                        OPERATION_TIMEOUT.as_secs()
                    ),
                    ErrorClass::Transient,
                ));
            }
            _ => {}
        }
        tokio::time::sleep(poll).await;
        poll = (poll * 2).min(Duration::from_secs(5));
    }
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    match desired.address.kind {
        Kind::DnsNamespace => create_namespace(p, stack, desired).await,
        _ => create_service(p, stack, desired).await,
    }
}

async fn create_namespace(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let sd = &p.clients.discovery;
    let mut a = complete(Kind::DnsNamespace, &desired.attrs);
    let name = str_of(&a, "name").unwrap_or_default();
    let description = str_of(&a, "description").map(str::to_owned);
    let mut tags = create_tags(stack, &desired.address, &a);
    // Sent once: after no answer the apply looks for the namespace by its
    // tags before sending it again, and then CreatorRequestId makes AWS
    // give back the first sending's operation (moto ignores it, and would
    // refuse the name as taken).
    let token = p.tokens.for_create(stack, &desired.address, &[]);
    let operation = match str_of(&a, "type") {
        Some("HTTP") => {
            let call = "CreateHttpNamespace";
            let tags = checked_tags!(Tag, call, tags)?;
            p.call_once(SERVICE, call, || {
                sd.create_http_namespace()
                    .name(name)
                    .set_description(description.clone())
                    .creator_request_id(&token)
                    .set_tags(Some(tags.clone()))
                    .send()
            })
            .await?
            .operation_id
        }
        _ => {
            let call = "CreatePrivateDnsNamespace";
            let vpc = str_of(&a, "vpc").unwrap_or_default();
            tags.insert(VPC_TAG.to_owned(), vpc.to_owned());
            let tags = checked_tags!(Tag, call, tags)?;
            p.call_once(SERVICE, call, || {
                sd.create_private_dns_namespace()
                    .name(name)
                    .vpc(vpc)
                    .set_description(description.clone())
                    .creator_request_id(&token)
                    .set_tags(Some(tags.clone()))
                    .send()
            })
            .await?
            .operation_id
        }
    };
    let id = finished(p, operation.as_deref().unwrap_or_default()).await?;
    let got = p
        .call(SERVICE, "GetNamespace", || sd.get_namespace().id(&id).send())
        .await?;
    let ns = got.namespace();
    let zone = zone_of(ns.and_then(|n| n.properties()));
    a.insert("id".to_owned(), Value::String(id.clone()));
    a.insert(
        "arn".to_owned(),
        ns.and_then(|n| n.arn()).map_or(Value::Null, Value::from),
    );
    a.insert("hosted_zone".to_owned(), zone.map_or(Value::Null, Value::from));
    Ok(resource(desired.address.clone(), a))
}

fn dns_config(call: &str, a: &Attrs) -> Result<DnsConfig, ProviderError> {
    DnsConfig::builder()
        .routing_policy(RoutingPolicy::from(
            str_of(a, "routing_policy").unwrap_or("MULTIVALUE"),
        ))
        .dns_records(record(call, a)?)
        .build()
        .map_err(|e| build_error(call, e))
}

fn record(call: &str, a: &Attrs) -> Result<DnsRecord, ProviderError> {
    DnsRecord::builder()
        .r#type(RecordType::from(str_of(a, "dns_type").unwrap_or("A")))
        .ttl(int_of(a, "dns_ttl").unwrap_or(10))
        .build()
        .map_err(|e| build_error(call, e))
}

async fn create_service(p: &AwsProvider, stack: &str, desired: &Resource) -> Result<Resource, ProviderError> {
    let call = "CreateService";
    let sd = &p.clients.discovery;
    let mut a = complete(Kind::DiscoveryService, &desired.attrs);
    let tags = checked_tags!(Tag, call, create_tags(stack, &desired.address, &a))?;
    let dns = dns_config(call, &a)?;
    // AWS takes only 1 now (the schema's range), and keeps 1 whatever it
    // is sent; the SDK marks the field deprecated for that reason.
    #[allow(deprecated)]
    let health = int_of(&a, "health_check_failure_threshold")
        .map(|_| HealthCheckCustomConfig::builder().failure_threshold(1).build());
    // Sent once, as a namespace's create is (moto would make a second
    // service).
    let token = p.tokens.for_create(stack, &desired.address, &[]);
    let out = p
        .call_once(SERVICE, call, || {
            sd.create_service()
                .name(str_of(&a, "name").unwrap_or_default())
                .namespace_id(str_of(&a, "namespace").unwrap_or_default())
                .set_description(str_of(&a, "description").map(str::to_owned))
                .dns_config(dns.clone())
                .set_health_check_custom_config(health.clone())
                .creator_request_id(&token)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let made = out.service();
    a.insert(
        "id".to_owned(),
        made.and_then(|s| s.id()).map_or(Value::Null, Value::from),
    );
    a.insert(
        "arn".to_owned(),
        made.and_then(|s| s.arn()).map_or(Value::Null, Value::from),
    );
    Ok(resource(desired.address.clone(), a))
}

/// Tags change on both kinds; a service's TTL too (everything else
/// replaces).
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let sd = &p.clients.discovery;
    let kind = live.address.kind;
    let mut new = complete(kind, &desired.attrs);
    let old = &live.attrs;
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    if kind == Kind::DiscoveryService && old.get("dns_ttl") != new.get("dns_ttl") {
        let call = "UpdateService";
        let change = DnsConfigChange::builder()
            .dns_records(record(call, &new)?)
            .build()
            .map_err(|e| build_error(call, e))?;
        let change = ServiceChange::builder().dns_config(change).build();
        p.call(SERVICE, call, || {
            sd.update_service()
                .id(str_of(old, "id").unwrap_or_default())
                .service(change.clone())
                .send()
        })
        .await?;
    }
    let (set, removed) = tag_diff(old, &new);
    if !set.is_empty() {
        let tags = checked_tags!(Tag, "TagResource", set)?;
        p.call(SERVICE, "TagResource", || {
            sd.tag_resource()
                .resource_arn(&arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            sd.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    keep(&mut new, old, &["id", "arn", "hosted_zone"]);
    Ok(resource(live.address.clone(), new))
}

/// Deletes a service, or a namespace (and waits for its operation). Cloud
/// Map refuses while ECS still deregisters a deleted service's tasks
/// (`ResourceInUse`, retried).
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let sd = &p.clients.discovery;
    let id = str_of(&live.attrs, "id").unwrap_or_default();
    if live.address.kind == Kind::DiscoveryService {
        p.call_unless(SERVICE, "DeleteService", &["ServiceNotFound"], || {
            sd.delete_service().id(id).send()
        })
        .await?;
        return Ok(());
    }
    let out = p
        .call_unless(SERVICE, "DeleteNamespace", &["NamespaceNotFound"], || {
            sd.delete_namespace().id(id).send()
        })
        .await?;
    if let Some(op) = out.as_ref().and_then(|o| o.operation_id()) {
        finished(p, op).await?;
    }
    Ok(())
}

pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    read(p, &Scope::Stack(stack)).await
}

/// The namespaces and services `scope` looks for: the stack's by their
/// tags, or the one adopted by its id or ARN (found in the same listings:
/// Cloud Map's Get calls answer other shapes than its List calls).
pub(crate) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let sd = &p.clients.discovery;
    // Public DNS namespaces are never berth's.
    let berth_types = NamespaceFilter::builder()
        .name(NamespaceFilterName::Type)
        .condition(FilterCondition::In)
        .values("DNS_PRIVATE")
        .values("HTTP")
        .build()
        .map_err(|e| build_error("ListNamespaces", e))?;
    let only = match scope {
        Scope::One(one) => Some((one.address.kind, one.id.as_str())),
        Scope::Stack(_) => None,
    };
    let lists = |kind: Kind| only.is_none_or(|(k, _)| k == kind);
    let is =
        |id: Option<&str>, arn: Option<&str>| only.is_none_or(|(_, one)| id == Some(one) || arn == Some(one));
    let (namespaces, services) = tokio::join!(
        async {
            if !lists(Kind::DnsNamespace) {
                return Ok(Vec::new());
            }
            p.list(SERVICE, "ListNamespaces", || {
                paginate!(sd.list_namespaces().filters(berth_types.clone()), namespaces)
            })
            .await
        },
        async {
            if !lists(Kind::DiscoveryService) {
                return Ok(Vec::new());
            }
            p.list(SERVICE, "ListServices", || {
                paginate!(sd.list_services(), services)
            })
            .await
        },
    );
    let namespaces = namespaces?
        .into_iter()
        .filter(|n| is(n.id(), n.arn()))
        .map(|n| read_namespace(p, scope, n));
    let services = services?
        .into_iter()
        .filter(|s| is(s.id(), s.arn()))
        .map(|s| read_service(p, scope, s));
    let (namespaces, services) = tokio::join!(try_join_all(namespaces), try_join_all(services));
    Ok(namespaces?.into_iter().chain(services?).flatten().collect())
}

/// A DNS namespace's hosted zone, as Route 53 takes its id (moto answers
/// with `/hostedzone/` before it); none for an HTTP namespace.
fn zone_of(properties: Option<&NamespaceProperties>) -> Option<&str> {
    properties
        .and_then(|pr| pr.dns_properties())
        .and_then(|d| d.hosted_zone_id())
        .map(berth_provider::dns::zone_id)
}

/// A lookup's namespaces: ListNamespaces filtered by the type asked for
/// (Cloud Map filters by type, not name), matched on the name.
pub(crate) async fn lookup(
    p: &AwsProvider,
    f: &berth_provider::lookup::Filters,
) -> Result<Vec<Attrs>, ProviderError> {
    let sd = &p.clients.discovery;
    let by_type = match f.namespace_type.as_deref() {
        Some(kind) => Some(
            NamespaceFilter::builder()
                .name(NamespaceFilterName::Type)
                .condition(FilterCondition::Eq)
                .values(kind)
                .build()
                .map_err(|e| build_error("ListNamespaces", e))?,
        ),
        None => None,
    };
    let namespaces = p
        .list(SERVICE, "ListNamespaces", || {
            paginate!(
                sd.list_namespaces().set_filters(by_type.clone().map(|t| vec![t])),
                namespaces
            )
        })
        .await?;
    let text = |v: Option<&str>| v.map_or(Value::Null, Value::from);
    Ok(namespaces
        .iter()
        .filter(|n| f.name.as_deref().is_none_or(|want| n.name() == Some(want)))
        .map(|n| {
            let zone = zone_of(n.properties());
            attrs([
                ("id", text(n.id())),
                ("arn", text(n.arn())),
                ("name", text(n.name())),
                ("type", text(n.r#type().map(|t| t.as_str()))),
                ("hosted_zone", text(zone)),
            ])
        })
        .collect())
}

/// TagResource: berth's tags on a namespace or service it adopts; a
/// namespace's VPC (taken from its block: Cloud Map does not tell) in
/// `berth:vpc` as berth's own namespaces carry it.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let sd = &p.clients.discovery;
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    let mut tags = adoption_tags(stack, &live.address);
    if let Some(vpc) = str_of(&live.attrs, "vpc").filter(|_| live.address.kind == Kind::DnsNamespace) {
        tags.insert(VPC_TAG.to_owned(), vpc.to_owned());
    }
    let tags = checked_tags!(Tag, "TagResource", tags)?;
    p.call(SERVICE, "TagResource", || {
        sd.tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// The tags of a Cloud Map resource.
/// The tags of a listed namespace or service; none when its owner deleted
/// it since the listing (another stack's destroy): not this stack's.
async fn tags(p: &AwsProvider, arn: &str) -> Result<Vec<Tag>, ProviderError> {
    let sd = &p.clients.discovery;
    let out = p
        .call_unless(
            SERVICE,
            "ListTagsForResource",
            &["ResourceNotFoundException"],
            || sd.list_tags_for_resource().resource_arn(arn).send(),
        )
        .await?;
    Ok(out.map(|o| o.tags().to_vec()).unwrap_or_default())
}

async fn read_namespace(
    p: &AwsProvider,
    scope: &Scope<'_>,
    n: NamespaceSummary,
) -> Result<Option<Resource>, ProviderError> {
    let Some(arn) = n.arn() else { return Ok(None) };
    let tags = tags(p, arn).await?;
    let pairs = || {
        tags.iter()
            .map(|t| (t.key(), t.value()))
            .filter(|(k, _)| *k != VPC_TAG)
    };
    let Some(address) = scope.address(Kind::DnsNamespace, pairs()) else {
        return Ok(None);
    };
    let vpc = tags.iter().find(|t| t.key() == VPC_TAG).map(Tag::value);
    let zone = zone_of(n.properties());
    let a = attrs([
        ("name", n.name().map_or(Value::Null, Value::from)),
        (
            "type",
            n.r#type().map_or(Value::Null, |t| Value::from(t.as_str())),
        ),
        ("vpc", vpc.map_or(Value::Null, Value::from)),
        (
            "description",
            n.description()
                .filter(|d| !d.is_empty())
                .map_or(Value::Null, Value::from),
        ),
        ("tags", user_tags(pairs())),
        ("id", n.id().map_or(Value::Null, Value::from)),
        ("arn", Value::from(arn)),
        ("hosted_zone", zone.map_or(Value::Null, Value::from)),
    ]);
    Ok(Some(created_at(resource(address, a), n.create_date())))
}

async fn read_service(
    p: &AwsProvider,
    scope: &Scope<'_>,
    s: ServiceSummary,
) -> Result<Option<Resource>, ProviderError> {
    let sd = &p.clients.discovery;
    let (Some(arn), Some(id)) = (s.arn(), s.id()) else {
        return Ok(None);
    };
    let tags = tags(p, arn).await?;
    let pairs = || tags.iter().map(|t| (t.key(), t.value()));
    let Some(address) = scope.address(Kind::DiscoveryService, pairs()) else {
        return Ok(None);
    };
    // The summary leaves out the namespace.
    let got = p
        .call_unless(SERVICE, "GetService", &["ServiceNotFound"], || {
            sd.get_service().id(id).send()
        })
        .await?;
    let Some(full) = got.as_ref().and_then(|g| g.service()) else {
        return Ok(None);
    };
    let dns = full.dns_config();
    let rec = dns.and_then(|d| d.dns_records().first());
    let a = attrs([
        ("namespace", full.namespace_id().map_or(Value::Null, Value::from)),
        ("name", full.name().map_or(Value::Null, Value::from)),
        (
            "description",
            full.description()
                .filter(|d| !d.is_empty())
                .map_or(Value::Null, Value::from),
        ),
        ("dns_ttl", rec.map_or(Value::Null, |r| Value::Int(r.ttl()))),
        (
            "dns_type",
            rec.map_or(Value::Null, |r| Value::from(r.r#type().as_str())),
        ),
        (
            "routing_policy",
            dns.and_then(|d| d.routing_policy())
                .map_or(Value::from("MULTIVALUE"), |r| Value::from(r.as_str())),
        ),
        (
            "health_check_failure_threshold",
            #[allow(deprecated)]
            full.health_check_custom_config()
                .and_then(|h| h.failure_threshold())
                .map_or(Value::Null, |t| Value::Int(i64::from(t))),
        ),
        ("tags", user_tags(pairs())),
        ("id", Value::from(id)),
        ("arn", Value::from(arn)),
    ]);
    Ok(Some(created_at(resource(address, a), full.create_date())))
}
