//! Application and Network Load Balancers: CreateLoadBalancer (tags in the
//! call), ModifyLoadBalancerAttributes for the idle timeout, deletion
//! protection, routing and cross-zone settings (all in one call, only the
//! keys of the load balancer's type, only when one differs from AWS's
//! default or changes), SetSubnets / SetSecurityGroups on update,
//! DeleteLoadBalancer.

use aws_sdk_elasticloadbalancingv2::types::{
    LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum, Tag,
};
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use berth_provider::{elb, naming};
use futures::future::try_join_all;

use super::settings::{self, Setting, Table};
use super::{SERVICE, pairs, tags_of};
use crate::attrs::{attrs, bool_of, created_at, resource, str_list, str_of, strs_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// berth's attributes that are ELBv2 load balancer attributes.
const SETTINGS: Table = &[
    ("idle_timeout", "idle_timeout.timeout_seconds", Setting::Int(60)),
    (
        "deletion_protection",
        "deletion_protection.enabled",
        Setting::Bool(false),
    ),
    (
        "drop_invalid_header_fields",
        "routing.http.drop_invalid_header_fields.enabled",
        Setting::Bool(false),
    ),
    ("http2", "routing.http2.enabled", Setting::Bool(true)),
    (
        "desync_mitigation_mode",
        "routing.http.desync_mitigation_mode",
        Setting::Str("defensive"),
    ),
    (
        "preserve_host_header",
        "routing.http.preserve_host_header.enabled",
        Setting::Bool(false),
    ),
    (
        "xff_header_processing",
        "routing.http.xff_header_processing.mode",
        Setting::Str("append"),
    ),
    (
        "client_keep_alive",
        "client_keep_alive.seconds",
        Setting::Int(3600),
    ),
    ("waf_fail_open", "waf.fail_open.enabled", Setting::Bool(false)),
    ("access_logs", "access_logs.s3.enabled", Setting::Bool(false)),
    ("access_logs_bucket", "access_logs.s3.bucket", Setting::Str("")),
    ("access_logs_prefix", "access_logs.s3.prefix", Setting::Str("")),
    (
        "connection_logs",
        "connection_logs.s3.enabled",
        Setting::Bool(false),
    ),
    (
        "connection_logs_bucket",
        "connection_logs.s3.bucket",
        Setting::Str(""),
    ),
    (
        "connection_logs_prefix",
        "connection_logs.s3.prefix",
        Setting::Str(""),
    ),
    (
        "cross_zone",
        "load_balancing.cross_zone.enabled",
        Setting::Bool(false),
    ),
];

/// Whether a load balancer of `a`'s type has the attribute `name`.
fn has(a: &Attrs) -> impl Fn(&str) -> bool + '_ {
    move |name| elb::load_balancer_has(str_of(a, "type"), name)
}

fn computed(lb: &LoadBalancer) -> Attrs {
    attrs([
        ("arn", Value::from(lb.load_balancer_arn().unwrap_or_default())),
        ("name", Value::from(lb.load_balancer_name().unwrap_or_default())),
        ("dns_name", Value::from(lb.dns_name().unwrap_or_default())),
        (
            "zone_id",
            Value::from(lb.canonical_hosted_zone_id().unwrap_or_default()),
        ),
    ])
}

pub(super) async fn create(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
    tags: Vec<Tag>,
) -> Result<Attrs, ProviderError> {
    let elb = &p.clients.elb;
    let name = naming::given(a, "name")
        .map_or_else(|| naming::elb(stack, address, fastrand::u32(..)), str::to_owned);
    let groups = strs_of(a, "security_groups");
    let scheme = if bool_of(a, "internal") {
        LoadBalancerSchemeEnum::Internal
    } else {
        LoadBalancerSchemeEnum::InternetFacing
    };
    let out = p
        .call_once(SERVICE, "CreateLoadBalancer", || {
            elb.create_load_balancer()
                .name(&name)
                .r#type(LoadBalancerTypeEnum::from(
                    str_of(a, "type").unwrap_or("application"),
                ))
                .scheme(scheme.clone())
                .set_subnets(Some(strs_of(a, "subnets")))
                .set_security_groups((!groups.is_empty()).then(|| groups.clone()))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let lb = out
        .load_balancers
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| crate::errors::missing("CreateLoadBalancer"))?;
    let out = computed(&lb);
    let arn = lb.load_balancer_arn.unwrap_or_default();
    if settings::texts(SETTINGS, a, has(a)) != settings::texts(SETTINGS, &Attrs::new(), has(a)) {
        set_attributes(p, &arn, a).await?;
    }
    Ok(out)
}

/// ModifyLoadBalancerAttributes with every attribute berth sets.
async fn set_attributes(p: &AwsProvider, arn: &str, a: &Attrs) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    let attributes: Vec<LoadBalancerAttribute> = settings::texts(SETTINGS, a, has(a))
        .into_iter()
        .map(|(key, value)| LoadBalancerAttribute::builder().key(key).value(value).build())
        .collect();
    p.call(SERVICE, "ModifyLoadBalancerAttributes", || {
        elb.modify_load_balancer_attributes()
            .load_balancer_arn(arn)
            .set_attributes(Some(attributes.clone()))
            .send()
    })
    .await?;
    Ok(())
}

pub(super) async fn update(
    p: &AwsProvider,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    if old.get("subnets") != new.get("subnets") {
        p.call(SERVICE, "SetSubnets", || {
            elb.set_subnets()
                .load_balancer_arn(arn)
                .set_subnets(Some(strs_of(new, "subnets")))
                .send()
        })
        .await?;
    }
    // Left out, the groups stay what AWS chose; SetSecurityGroups would
    // strip them.
    let groups = new.get("security_groups").filter(|g| **g != Value::Null);
    if groups.is_some() && old.get("security_groups") != groups {
        p.call(SERVICE, "SetSecurityGroups", || {
            elb.set_security_groups()
                .load_balancer_arn(arn)
                .set_security_groups(Some(strs_of(new, "security_groups")))
                .send()
        })
        .await?;
    }
    if settings::changed(SETTINGS, old, new) {
        set_attributes(p, arn, new).await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    p.call_unless(SERVICE, "DeleteLoadBalancer", &["LoadBalancerNotFound"], || {
        elb.delete_load_balancer().load_balancer_arn(arn).send()
    })
    .await?;
    Ok(())
}

/// The load balancer attributes berth knows of a load balancer of
/// `lb_type`, by berth's names.
async fn read_settings(
    p: &AwsProvider,
    arn: &str,
    lb_type: &str,
) -> Result<Vec<(&'static str, Value)>, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call(SERVICE, "DescribeLoadBalancerAttributes", || {
            elb.describe_load_balancer_attributes()
                .load_balancer_arn(arn)
                .send()
        })
        .await?;
    let get = |key: &str| {
        out.attributes()
            .iter()
            .find(|a| a.key() == Some(key))
            .and_then(|a| a.value())
    };
    Ok(settings::read(SETTINGS, get, |name| {
        elb::load_balancer_has(Some(lb_type), name)
    }))
}

/// A load balancer `scope` looks for, with its tags and the address it
/// is read at.
pub(super) struct Found {
    lb: LoadBalancer,
    tags: Vec<(String, String)>,
    address: Address,
}

impl Found {
    /// The load balancer's ARN.
    pub(super) fn arn(&self) -> &str {
        self.lb.load_balancer_arn().unwrap_or_default()
    }
}

/// The load balancers `scope` looks for, before their attributes are
/// read: every one's tags are read for a stack's (DescribeTags, 20 a
/// call); the one named (by ARN or name) is described alone.
pub(super) async fn find(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Found>, ProviderError> {
    let elb = &p.clients.elb;
    let listed = p
        .list(SERVICE, "DescribeLoadBalancers", || {
            let req = elb.describe_load_balancers();
            let req = match scope.id() {
                Some(arn) if arn.starts_with("arn:") => req.load_balancer_arns(arn),
                Some(name) => req.names(name),
                None => req,
            };
            paginate!(req, load_balancers)
        })
        .await;
    let lbs = match listed {
        Err(e) if scope.id().is_some() && e.code == "LoadBalancerNotFound" => Vec::new(),
        listed => listed?,
    };
    let arns: Vec<String> = lbs
        .iter()
        .filter_map(|lb| lb.load_balancer_arn().map(str::to_owned))
        .collect();
    let mut tags = tags_of(p, &arns).await?;
    Ok(lbs
        .into_iter()
        .filter_map(|lb| {
            let tags = tags.remove(lb.load_balancer_arn()?)?;
            let address = scope.address(Kind::LoadBalancer, pairs(&tags))?;
            Some(Found { lb, tags, address })
        })
        .collect())
}

/// The load balancers `found`, read: DescribeLoadBalancerAttributes each
/// (the API takes one ARN a call).
pub(super) async fn read_found(p: &AwsProvider, found: &[Found]) -> Result<Vec<Resource>, ProviderError> {
    let reads = found.iter().map(|Found { lb, tags, address }| async move {
        let lb_type = lb.r#type().map_or("application", |t| t.as_str());
        let read = read_settings(p, lb.load_balancer_arn().unwrap_or_default(), lb_type).await?;
        let subnets = lb.availability_zones().iter().filter_map(|z| z.subnet_id());
        let mut a = attrs([
            ("subnets", str_list(subnets)),
            (
                "security_groups",
                str_list(lb.security_groups().iter().map(String::as_str)),
            ),
            (
                "internal",
                Value::Bool(lb.scheme() == Some(&LoadBalancerSchemeEnum::Internal)),
            ),
            ("type", Value::from(lb_type)),
            ("tags", user_tags(pairs(tags))),
        ]);
        a.extend(read.into_iter().map(|(k, v)| (k.to_owned(), v)));
        a.extend(computed(lb));
        Ok::<_, ProviderError>(created_at(resource(address.clone(), a), lb.created_time()))
    });
    try_join_all(reads).await
}

/// The load balancers `scope` looks for, read.
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    read_found(p, &find(p, scope).await?).await
}
