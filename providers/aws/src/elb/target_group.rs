//! Target groups: CreateTargetGroup with every health-check setting given
//! explicitly (so AWS's per-type defaults never differ from berth's; a
//! `GRPC` group's matcher as `GrpcCode`; a TCP check without path or
//! matcher, which AWS refuses for it),
//! ModifyTargetGroupAttributes for the deregistration delay, slow start,
//! algorithm, cross-zone load balancing, cookie stickiness, proxy
//! protocol, client IP preservation and connection termination (all in
//! one call, only the keys of the group's protocol, only
//! when one differs from AWS's default or changes), ModifyTargetGroup for
//! health checks, DeleteTargetGroup.
//!
//! A health check is always read back as a block; the canonical form
//! (`schema::canonical`) drops it when it equals berth's defaults.

use std::collections::BTreeSet;

use aws_sdk_elasticloadbalancingv2::types::{
    Matcher, ProtocolEnum, Tag, TargetGroup, TargetGroupAttribute, TargetTypeEnum,
};
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use berth_provider::{elb, naming};
use futures::future::try_join_all;

use super::settings::{self, Setting, Table};
use super::{SERVICE, pairs, tags_of};
use crate::attrs::{attrs, blocks_of, i32_of, int_of, resource, str_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

/// berth's attributes that are ELBv2 target group attributes with a
/// default; stickiness is set apart (three keys for one attribute).
const SETTINGS: Table = &[
    (
        "deregistration_delay",
        "deregistration_delay.timeout_seconds",
        Setting::Int(300),
    ),
    ("slow_start", "slow_start.duration_seconds", Setting::Int(0)),
    (
        "algorithm",
        "load_balancing.algorithm.type",
        Setting::Str("round_robin"),
    ),
    (
        "cross_zone",
        "load_balancing.cross_zone.enabled",
        Setting::Tristate("use_load_balancer_configuration"),
    ),
    (
        "proxy_protocol_v2",
        "proxy_protocol_v2.enabled",
        Setting::Bool(false),
    ),
    (
        "preserve_client_ip",
        "preserve_client_ip.enabled",
        Setting::Chosen,
    ),
    (
        "connection_termination",
        "deregistration_delay.connection_termination.enabled",
        Setting::Bool(false),
    ),
];
const STICKY: &str = "stickiness.enabled";
/// The protocol version whose health checks match gRPC status codes.
const GRPC: &str = "GRPC";
const STICKY_TYPE: &str = "stickiness.type";
const STICKY_DURATION: &str = "stickiness.lb_cookie.duration_seconds";

/// The protocol of the group `a`.
fn protocol(a: &Attrs) -> &str {
    str_of(a, "protocol").unwrap_or("HTTP")
}

/// Every target group attribute berth sets, as ELBv2 keys and values.
fn texts(a: &Attrs) -> Vec<(&'static str, String)> {
    let has = |name: &str| elb::target_group_has(protocol(a), name);
    let mut out = settings::texts(SETTINGS, a, has);
    if !has("stickiness") {
        return out;
    }
    let duration = int_of(a, "stickiness");
    out.push((STICKY, duration.is_some().to_string()));
    if let Some(seconds) = duration {
        out.push((STICKY_TYPE, "lb_cookie".to_owned()));
        out.push((STICKY_DURATION, seconds.to_string()));
    }
    out
}

/// Whether `a` sets an attribute away from AWS's default.
fn any_set(a: &Attrs) -> bool {
    texts(a) != texts(&Attrs::new())
}

/// The health check of `a` (declared, or berth's defaults).
struct Check {
    /// A gRPC group's matcher is gRPC status codes (`GrpcCode`), every
    /// other group's HTTP codes (`HttpCode`).
    grpc: bool,
    /// A TCP check has no path or matcher.
    tcp: bool,
    path: String,
    port: String,
    protocol: String,
    interval: i32,
    timeout: i32,
    healthy: i32,
    unhealthy: i32,
    matcher: String,
}

impl Check {
    fn of(a: &Attrs) -> Check {
        let empty = Attrs::new();
        let c = blocks_of(a, "health_check").into_iter().next().unwrap_or(&empty);
        let protocol = str_of(c, "protocol").unwrap_or(elb::default_health_check_protocol(protocol(a)));
        Check {
            grpc: str_of(a, "protocol_version") == Some(GRPC),
            tcp: protocol == "TCP",
            path: str_of(c, "path").unwrap_or("/").to_owned(),
            port: str_of(c, "port").unwrap_or("traffic-port").to_owned(),
            protocol: protocol.to_owned(),
            interval: i32_of(c, "interval").unwrap_or(30),
            timeout: i32_of(c, "timeout").unwrap_or(5),
            healthy: i32_of(c, "healthy_threshold").unwrap_or(5),
            unhealthy: i32_of(c, "unhealthy_threshold").unwrap_or(2),
            matcher: str_of(c, "matcher").unwrap_or("200").to_owned(),
        }
    }

    fn read(tg: &TargetGroup) -> Check {
        Check {
            grpc: tg.protocol_version() == Some(GRPC),
            tcp: tg.health_check_protocol() == Some(&ProtocolEnum::Tcp),
            path: tg.health_check_path().unwrap_or("/").to_owned(),
            port: tg.health_check_port().unwrap_or("traffic-port").to_owned(),
            protocol: tg
                .health_check_protocol()
                .map_or("HTTP", |p| p.as_str())
                .to_owned(),
            interval: tg.health_check_interval_seconds().unwrap_or(30),
            timeout: tg.health_check_timeout_seconds().unwrap_or(5),
            healthy: tg.healthy_threshold_count().unwrap_or(5),
            unhealthy: tg.unhealthy_threshold_count().unwrap_or(2),
            matcher: tg
                .matcher()
                .and_then(|m| m.http_code().or(m.grpc_code()))
                .unwrap_or("200")
                .to_owned(),
        }
    }

    /// The matcher as ELBv2 takes it: none for a TCP check.
    fn matcher(&self) -> Option<Matcher> {
        let codes = Some(self.matcher.clone());
        let m = Matcher::builder();
        Some(if self.tcp {
            return None;
        } else if self.grpc {
            m.set_grpc_code(codes).build()
        } else {
            m.set_http_code(codes).build()
        })
    }

    /// The path as ELBv2 takes it: none for a TCP check.
    fn path(&self) -> Option<String> {
        (!self.tcp).then(|| self.path.clone())
    }

    /// The block berth reads.
    fn blocks(&self) -> Value {
        let block = attrs([
            ("path", Value::from(self.path.as_str())),
            ("port", Value::from(self.port.as_str())),
            ("protocol", Value::from(self.protocol.as_str())),
            ("interval", Value::Int(i64::from(self.interval))),
            ("timeout", Value::Int(i64::from(self.timeout))),
            ("healthy_threshold", Value::Int(i64::from(self.healthy))),
            ("unhealthy_threshold", Value::Int(i64::from(self.unhealthy))),
            ("matcher", Value::from(self.matcher.as_str())),
        ]);
        Value::List(vec![Value::Map(block)])
    }
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
    let c = Check::of(a);
    let out = p
        .call_once(SERVICE, "CreateTargetGroup", || {
            elb.create_target_group()
                .name(&name)
                .protocol(ProtocolEnum::from(protocol(a)))
                .port(i32_of(a, "port").unwrap_or(0))
                .vpc_id(str_of(a, "vpc").unwrap_or_default())
                .target_type(TargetTypeEnum::from(
                    str_of(a, "target_type").unwrap_or("instance"),
                ))
                .health_check_enabled(true)
                .set_health_check_path(c.path())
                .health_check_port(&c.port)
                .health_check_protocol(ProtocolEnum::from(c.protocol.as_str()))
                .health_check_interval_seconds(c.interval)
                .health_check_timeout_seconds(c.timeout)
                .healthy_threshold_count(c.healthy)
                .unhealthy_threshold_count(c.unhealthy)
                .set_matcher(c.matcher())
                .set_protocol_version(str_of(a, "protocol_version").map(str::to_owned))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let tg = out
        .target_groups
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| crate::errors::missing("CreateTargetGroup"))?;
    let arn = tg.target_group_arn.unwrap_or_default();
    if any_set(a) {
        set_attributes(p, &arn, a).await?;
    }
    Ok(attrs([
        ("arn", Value::String(arn)),
        ("name", Value::String(tg.target_group_name.unwrap_or(name))),
    ]))
}

/// ModifyTargetGroupAttributes with every attribute berth sets.
async fn set_attributes(p: &AwsProvider, arn: &str, a: &Attrs) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    let attributes: Vec<TargetGroupAttribute> = texts(a)
        .into_iter()
        .map(|(key, value)| TargetGroupAttribute::builder().key(key).value(value).build())
        .collect();
    p.call(SERVICE, "ModifyTargetGroupAttributes", || {
        elb.modify_target_group_attributes()
            .target_group_arn(arn)
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
    if old.get("health_check") != new.get("health_check") {
        let c = Check::of(new);
        p.call(SERVICE, "ModifyTargetGroup", || {
            elb.modify_target_group()
                .target_group_arn(arn)
                .health_check_enabled(true)
                .set_health_check_path(c.path())
                .health_check_port(&c.port)
                .health_check_protocol(ProtocolEnum::from(c.protocol.as_str()))
                .health_check_interval_seconds(c.interval)
                .health_check_timeout_seconds(c.timeout)
                .healthy_threshold_count(c.healthy)
                .unhealthy_threshold_count(c.unhealthy)
                .set_matcher(c.matcher())
                .send()
        })
        .await?;
    }
    if settings::changed(SETTINGS, old, new) || old.get("stickiness") != new.get("stickiness") {
        set_attributes(p, arn, new).await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    p.call_unless(SERVICE, "DeleteTargetGroup", &["TargetGroupNotFound"], || {
        elb.delete_target_group().target_group_arn(arn).send()
    })
    .await?;
    Ok(())
}

/// The target group attributes berth knows of a group speaking
/// `protocol`, by berth's names: stickiness only when it is on with a
/// load-balancer cookie (the only kind berth writes).
async fn read_settings(
    p: &AwsProvider,
    arn: &str,
    protocol: &str,
) -> Result<Vec<(&'static str, Value)>, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call(SERVICE, "DescribeTargetGroupAttributes", || {
            elb.describe_target_group_attributes()
                .target_group_arn(arn)
                .send()
        })
        .await?;
    let get = |key: &str| {
        out.attributes()
            .iter()
            .find(|a| a.key() == Some(key))
            .and_then(|a| a.value())
    };
    let has = |name: &str| elb::target_group_has(protocol, name);
    let mut read = settings::read(SETTINGS, get, has);
    if !has("stickiness") {
        read.push(("stickiness", Value::Null));
        return Ok(read);
    }
    let sticky = get(STICKY) == Some("true") && get(STICKY_TYPE) == Some("lb_cookie");
    let duration = get(STICKY_DURATION)
        .and_then(|d| d.parse().ok())
        .filter(|_| sticky);
    read.push(("stickiness", duration.map_or(Value::Null, Value::Int)));
    Ok(read)
}

/// The target groups `scope` looks for: every one's tags are read for a
/// stack's; the one named (by ARN or name) is described alone.
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    Ok(read_attached(p, scope).await?.0)
}

/// The target groups `scope` looks for, and the load balancers they are
/// attached to (through any listener or rule).
pub(super) async fn read_attached(
    p: &AwsProvider,
    scope: &Scope<'_>,
) -> Result<(Vec<Resource>, BTreeSet<String>), ProviderError> {
    let elb = &p.clients.elb;
    let listed = p
        .list(SERVICE, "DescribeTargetGroups", || {
            let req = elb.describe_target_groups();
            let req = match scope.id() {
                Some(arn) if arn.starts_with("arn:") => req.target_group_arns(arn),
                Some(name) => req.names(name),
                None => req,
            };
            paginate!(req, target_groups)
        })
        .await;
    let tgs = match listed {
        Err(e) if scope.id().is_some() && e.code == "TargetGroupNotFound" => Vec::new(),
        listed => listed?,
    };
    let arns: Vec<String> = tgs
        .iter()
        .filter_map(|t| t.target_group_arn().map(str::to_owned))
        .collect();
    let tags = tags_of(p, &arns).await?;
    let mut attached = BTreeSet::new();
    let reads = tgs.iter().filter_map(|tg| {
        let arn = tg.target_group_arn()?;
        let tg_tags = tags.get(arn)?;
        let address = scope.address(Kind::TargetGroup, pairs(tg_tags))?;
        attached.extend(tg.load_balancer_arns().iter().cloned());
        Some(async move {
            let protocol = tg.protocol().map_or("HTTP", |p| p.as_str());
            let settings = read_settings(p, arn, protocol).await?;
            let mut a = attrs([
                ("vpc", Value::from(tg.vpc_id().unwrap_or_default())),
                ("port", Value::Int(i64::from(tg.port().unwrap_or(0)))),
                ("protocol", Value::from(protocol)),
                (
                    "target_type",
                    Value::from(tg.target_type().map_or("instance", |t| t.as_str())),
                ),
                (
                    "protocol_version",
                    tg.protocol_version().map_or(Value::Null, Value::from),
                ),
                ("health_check", Check::read(tg).blocks()),
                ("tags", user_tags(pairs(tg_tags))),
                ("arn", Value::from(arn)),
                ("name", Value::from(tg.target_group_name().unwrap_or_default())),
            ]);
            a.extend(settings.into_iter().map(|(k, v)| (k.to_owned(), v)));
            Ok::<_, ProviderError>(resource(address, a))
        })
    });
    let read = try_join_all(reads).await?;
    Ok((read, attached))
}
