//! Elastic Load Balancing v2: Application and Network Load Balancers,
//! target groups, listeners with their rules, and rules of their own
//! (`listener_rule`) on any listener.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::arn::elb_suffix;
use berth_provider::elb::{self as elb_rules, NETWORK};
use berth_provider::naming;
use berth_provider::{Address, Attrs, Kind, ProviderError, Value};

use crate::api::{fail, invalid};
use crate::attrs::{blocks_of, bool_of, int_of, str_of, strs_of};
use crate::ids;
use crate::sim::Sim;

type Tags = BTreeMap<String, String>;

/// Creates a load balancer, target group, listener or listener rule;
/// returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    kind: Kind,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: Tags,
) -> Result<String, ProviderError> {
    let arn = match kind {
        Kind::LoadBalancer => {
            let call = "CreateLoadBalancer";
            sim.call(call);
            check_load_balancer(sim, call, &attrs)?;
            let name = given_or_unique_name(sim, Kind::LoadBalancer, call, stack, address, &attrs)?;
            let lb_type = lb_type(&attrs).to_owned();
            let path = if lb_type == NETWORK { "net" } else { "app" };
            let prefix = sim.arn("elasticloadbalancing", &format!("loadbalancer/{path}/{name}/"));
            let arn = sim.fresh(|rng| format!("{prefix}{}", ids::hex(rng, 16)));
            let internal = if bool_of(&attrs, "internal") {
                "internal-"
            } else {
                ""
            };
            // AWS names the two types' DNS names differently.
            let dns = if lb_type == NETWORK {
                format!(
                    "{internal}{name}-{}.elb.{}.amazonaws.com",
                    ids::hex(sim.rng, 16),
                    sim.region
                )
            } else {
                format!(
                    "{internal}{name}-{}.{}.elb.amazonaws.com",
                    ids::digits(sim.rng, 9),
                    sim.region
                )
            };
            if load_balancer_settings(&attrs) != load_balancer_settings(&Attrs::new()) {
                sim.call("ModifyLoadBalancerAttributes");
            }
            attrs.insert("name".to_owned(), Value::String(name));
            attrs.insert("dns_name".to_owned(), Value::String(dns));
            attrs.insert(
                "zone_id".to_owned(),
                Value::String(ids::lb_zone_id(&lb_type, sim.region)),
            );
            arn
        }
        Kind::TargetGroup => {
            let call = "CreateTargetGroup";
            sim.call(call);
            check_target_group(sim, call, &attrs)?;
            let name = given_or_unique_name(sim, Kind::TargetGroup, call, stack, address, &attrs)?;
            let prefix = sim.arn("elasticloadbalancing", &format!("targetgroup/{name}/"));
            let arn = sim.fresh(|rng| format!("{prefix}{}", ids::hex(rng, 16)));
            if TargetGroupSettings::of(&attrs) != TargetGroupSettings::of(&Attrs::new()) {
                sim.call("ModifyTargetGroupAttributes");
            }
            let protocol = str_of(&attrs, "protocol").unwrap_or_default();
            if elb_rules::is_network_protocol(protocol)
                && attrs.get("preserve_client_ip").is_none_or(|v| *v == Value::Null)
            {
                let target_type = str_of(&attrs, "target_type").unwrap_or_default();
                let preserve = elb_rules::preserves_client_ip(target_type, protocol);
                attrs.insert("preserve_client_ip".to_owned(), Value::Bool(preserve));
            }
            attrs.insert("name".to_owned(), Value::String(name));
            arn
        }
        Kind::ListenerRule => {
            let call = "CreateRule";
            sim.call(call);
            if attrs.get("priority").is_none_or(|v| *v == Value::Null) {
                let next = next_free_priority(sim, call, &attrs)?;
                attrs.insert("priority".to_owned(), Value::Int(next));
            }
            check_standalone_rule(sim, call, None, &attrs)?;
            let listener = str_of(&attrs, "listener").unwrap_or_default();
            let prefix = format!("{}/", listener.replacen(":listener/", ":listener-rule/", 1));
            sim.fresh(|rng| format!("{prefix}{}", ids::hex(rng, 16)))
        }
        _ => {
            let call = "CreateListener";
            sim.call(call);
            check_listener(sim, call, None, &attrs)?;
            // AWS gives an HTTPS or TLS listener its default security policy.
            if matches!(str_of(&attrs, "protocol"), Some("HTTPS" | "TLS"))
                && str_of(&attrs, "ssl_policy").is_none()
            {
                attrs.insert("ssl_policy".to_owned(), Value::from("ELBSecurityPolicy-2016-08"));
            }
            let lb = str_of(&attrs, "load_balancer").unwrap_or_default();
            let lb_path = elb_suffix(lb).unwrap_or("app/unknown/0").to_owned();
            let prefix = sim.arn("elasticloadbalancing", &format!("listener/{lb_path}/"));
            let arn = sim.fresh(|rng| format!("{prefix}{}", ids::hex(rng, 16)));
            for _ in blocks_of(&attrs, "rule") {
                sim.call("CreateRule");
            }
            arn
        }
    };
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    sim.insert(&arn, kind, tags, attrs, false);
    Ok(arn)
}

/// The name the configuration gives, refused as AWS does when another load
/// balancer or target group has it; or a generated one.
fn given_or_unique_name(
    sim: &mut Sim,
    kind: Kind,
    call: &str,
    stack: &str,
    address: &Address,
    attrs: &Attrs,
) -> Result<String, ProviderError> {
    let Some(name) = naming::given(attrs, "name") else {
        return Ok(unique_name(sim, kind, stack, address));
    };
    let taken = sim
        .all(kind)
        .any(|(_, r)| str_of(&r.attrs, "name").is_some_and(|n| n.eq_ignore_ascii_case(name)));
    if taken {
        let (code, what) = if kind == Kind::LoadBalancer {
            ("DuplicateLoadBalancerName", "load balancer")
        } else {
            ("DuplicateTargetGroupName", "target group")
        };
        return Err(fail(
            call,
            code,
            format!("A {what} with the same name '{name}' exists, but with different settings"),
        ));
    }
    Ok(name.to_owned())
}

/// A generated name no other resource of `kind` has (AWS would answer
/// DuplicateLoadBalancerName / DuplicateTargetGroupName).
fn unique_name(sim: &mut Sim, kind: Kind, stack: &str, address: &Address) -> String {
    loop {
        let name = naming::elb(stack, address, sim.rng.u32(..));
        if !sim
            .all(kind)
            .any(|(_, r)| str_of(&r.attrs, "name") == Some(name.as_str()))
        {
            return name;
        }
    }
}

/// Changes a load balancer, target group, listener or listener rule in
/// place.
pub(crate) fn update(
    sim: &mut Sim,
    kind: Kind,
    key: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let changed = |name: &str| old.get(name) != new.get(name);
    match kind {
        Kind::LoadBalancer => {
            check_load_balancer(sim, "SetSubnets", new)?;
            let old_vpc = lb_vpc(sim, old);
            if old_vpc.is_some() && old_vpc != lb_vpc(sim, new) {
                return Err(fail(
                    "SetSubnets",
                    "InvalidConfigurationRequest",
                    "The subnets of a load balancer must stay in its VPC",
                ));
            }
            for (attr, call) in [
                ("subnets", "SetSubnets"),
                ("security_groups", "SetSecurityGroups"),
            ] {
                if changed(attr) {
                    sim.call(call);
                }
            }
            if load_balancer_settings(old) != load_balancer_settings(new) {
                sim.call("ModifyLoadBalancerAttributes");
            }
        }
        Kind::TargetGroup => {
            check_target_group(sim, "ModifyTargetGroup", new)?;
            if TARGET_GROUP_SETTINGS.iter().any(|a| changed(a)) {
                sim.call("ModifyTargetGroupAttributes");
            }
            if changed("health_check") {
                sim.call("ModifyTargetGroup");
            }
        }
        Kind::ListenerRule => {
            check_standalone_rule(sim, "ModifyRule", Some(key), new)?;
            if changed("priority") {
                sim.call("SetRulePriorities");
            }
            let settings = |a: &Attrs| -> Attrs {
                a.iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "priority" | "tags"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            if settings(old) != settings(new) {
                sim.call("ModifyRule");
            }
        }
        _ => {
            check_listener(sim, "ModifyListener", Some(key), new)?;
            if [
                "port",
                "protocol",
                "certificate",
                "default",
                "forward_stickiness",
                "alpn_policy",
            ]
            .iter()
            .any(|a| changed(a))
            {
                sim.call("ModifyListener");
            }
            if changed("certificates") {
                sim.call("AddListenerCertificates");
            }
            let rules = |a: &Attrs| -> BTreeMap<String, Attrs> {
                blocks_of(a, "rule")
                    .into_iter()
                    .map(|r| (str_of(r, "name").unwrap_or_default().to_owned(), r.clone()))
                    .collect()
            };
            let (before, after) = (rules(old), rules(new));
            for (name, rule) in &after {
                match before.get(name) {
                    None => sim.call("CreateRule"),
                    Some(old_rule) if old_rule != rule => sim.call("ModifyRule"),
                    Some(_) => {}
                }
            }
            let removed = before.keys().filter(|n| !after.contains_key(*n)).count();
            for _ in 0..removed {
                sim.call("DeleteRule");
            }
        }
    }
    Ok(())
}

/// Deletes a load balancer (and, as AWS does, its listeners), a target
/// group (refused while a listener or rule forwards to it) or a listener.
pub(crate) fn delete(sim: &mut Sim, kind: Kind, key: &str) -> Result<(), ProviderError> {
    match kind {
        Kind::LoadBalancer => {
            let call = "DeleteLoadBalancer";
            sim.call(call);
            let protected = sim
                .rec(key)
                .is_some_and(|r| bool_of(&r.attrs, "deletion_protection"));
            if protected {
                return Err(fail(
                    call,
                    "OperationNotPermitted",
                    format!("Load balancer '{key}' cannot be deleted because deletion protection is enabled"),
                ));
            }
            let listeners: Vec<String> = sim
                .all(Kind::Listener)
                .filter(|(_, r)| str_of(&r.attrs, "load_balancer") == Some(key))
                .map(|(k, _)| k.clone())
                .collect();
            for listener in listeners {
                for rule in standalone_rules(sim, &listener) {
                    sim.remove(&rule);
                }
                sim.remove(&listener);
            }
        }
        Kind::TargetGroup => {
            let call = "DeleteTargetGroup";
            sim.call(call);
            if !listeners_of(sim, key).is_empty() {
                return Err(fail(
                    call,
                    "ResourceInUse",
                    format!("Target group '{key}' is currently in use by a listener or a rule"),
                ));
            }
        }
        Kind::ListenerRule => sim.call("DeleteRule"),
        // AWS deletes a listener's rules with it, those of their own too.
        _ => {
            sim.call("DeleteListener");
            for rule in standalone_rules(sim, key) {
                sim.remove(&rule);
            }
        }
    }
    sim.remove(key);
    Ok(())
}

/// Listeners forwarding to the target group, by default or through a rule
/// (a rule of their own included).
fn listeners_of(sim: &Sim, tg: &str) -> Vec<String> {
    let mut out: Vec<String> = sim
        .all(Kind::Listener)
        .filter(|(_, r)| {
            forwards_to(&r.attrs, "default").contains(&tg)
                || blocks_of(&r.attrs, "rule")
                    .iter()
                    .any(|rule| forwards_to(rule, "forward").contains(&tg))
        })
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(
        sim.all(Kind::ListenerRule)
            .filter(|(_, r)| forwards_to(&r.attrs, "forward").contains(&tg))
            .filter_map(|(_, r)| str_of(&r.attrs, "listener").map(str::to_owned)),
    );
    out
}

/// The target groups a listener's default action or a rule's action
/// (`target`: `default` or `forward`) forwards to, weighted or not.
fn forwards_to<'a>(action: &'a Attrs, target: &str) -> Vec<&'a str> {
    let mut groups: Vec<&str> = str_of(action, target).into_iter().collect();
    groups.extend(
        blocks_of(action, "weighted_forward")
            .into_iter()
            .filter_map(|w| str_of(w, "target_group")),
    );
    groups
}

/// How many actions a listener or a rule (`target`: its forward
/// attribute) has: ELB wants exactly one.
fn actions(action: &Attrs, target: &str) -> usize {
    usize::from(str_of(action, target).is_some())
        + usize::from(!blocks_of(action, "weighted_forward").is_empty())
        + blocks_of(action, "redirect").len()
        + blocks_of(action, "fixed_response").len()
}

/// A weighted forward as ELB takes it: at most 5 target groups, each once,
/// weights 0 to 999; a stickiness of 1 to 604800 seconds, on forwards only.
fn check_weights(call: &str, action: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| Err(invalid(Kind::Listener, call, msg));
    let weighted = blocks_of(action, "weighted_forward");
    if weighted.len() > 5 {
        return bad("A forward action can have at most 5 target groups".to_owned());
    }
    let groups: BTreeSet<&str> = weighted
        .iter()
        .filter_map(|w| str_of(w, "target_group"))
        .collect();
    if groups.len() != weighted.len() {
        return bad("A target group can be specified only once in a forward action".to_owned());
    }
    if let Some(w) = weighted
        .iter()
        .filter_map(|w| int_of(w, "weight"))
        .find(|w| !(0..=999).contains(w))
    {
        return bad(format!("Target group weight {w} must be between 0 and 999"));
    }
    // Stickiness is part of a forward's config: a redirect or a fixed
    // response has none.
    match int_of(action, "forward_stickiness") {
        Some(_) if blocks_of(action, "redirect").len() + blocks_of(action, "fixed_response").len() > 0 => {
            bad("Target group stickiness can be set only for a forward action".to_owned())
        }
        Some(d) if !(1..=604_800).contains(&d) => bad(format!(
            "Target group stickiness duration {d} must be between 1 and 604800 seconds"
        )),
        _ => Ok(()),
    }
}

/// Load balancers a target group is attached to through listeners.
pub(crate) fn load_balancers_of(sim: &Sim, tg: &str) -> BTreeSet<String> {
    listeners_of(sim, tg)
        .iter()
        .filter_map(|l| {
            sim.rec(l)
                .and_then(|r| str_of(&r.attrs, "load_balancer"))
                .map(str::to_owned)
        })
        .collect()
}

/// The VPC of a load balancer, through its first subnet.
pub(crate) fn lb_vpc(sim: &Sim, attrs: &Attrs) -> Option<String> {
    strs_of(attrs, "subnets")
        .first()
        .and_then(|s| sim.rec(s))
        .and_then(|r| str_of(&r.attrs, "vpc"))
        .map(str::to_owned)
}

fn check_load_balancer(sim: &Sim, call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let config = |msg: String| fail(call, "InvalidConfigurationRequest", msg);
    let mut vpc: Option<String> = None;
    let mut zones = BTreeSet::new();
    for subnet in strs_of(attrs, "subnets") {
        let Some(key) = sim.find(Kind::Subnet, &subnet) else {
            return Err(fail(
                call,
                "SubnetNotFound",
                format!("The subnet ID '{subnet}' is not valid"),
            ));
        };
        let rec = sim.rec(&key);
        let subnet_vpc = rec.and_then(|r| str_of(&r.attrs, "vpc")).unwrap_or_default();
        let zone = rec.and_then(|r| str_of(&r.attrs, "zone")).unwrap_or_default();
        if vpc.get_or_insert_with(|| subnet_vpc.to_owned()) != subnet_vpc {
            return Err(config("All subnets must belong to the same VPC".to_owned()));
        }
        if !zones.insert(zone.to_owned()) {
            return Err(config(
                "A load balancer cannot be attached to multiple subnets in the same Availability Zone"
                    .to_owned(),
            ));
        }
    }
    let lb_type = lb_type(attrs);
    let network = lb_type == NETWORK;
    // A lookup can hand over no subnet at all.
    if zones.is_empty() {
        return Err(fail(
            call,
            "ValidationError",
            "At least one subnet must be specified".to_owned(),
        ));
    }
    // A Network Load Balancer may live in one zone.
    if zones.len() < 2 && !network {
        return Err(config(
            "At least two subnets in two different Availability Zones must be specified".to_owned(),
        ));
    }
    let vpc = vpc.unwrap_or_default();
    for group in strs_of(attrs, "security_groups") {
        let group_vpc = sim
            .find(Kind::SecurityGroup, &group)
            .and_then(|k| sim.rec(&k))
            .and_then(|r| str_of(&r.attrs, "vpc"));
        match group_vpc {
            None => {
                return Err(fail(
                    call,
                    "InvalidSecurityGroup",
                    format!("Security group '{group}' does not exist"),
                ));
            }
            Some(v) if v != vpc => {
                return Err(fail(
                    call,
                    "InvalidSecurityGroup",
                    format!("Security group '{group}' does not belong to VPC '{vpc}'"),
                ));
            }
            Some(_) => {}
        }
    }
    let bad = |msg: String| Err(invalid(Kind::LoadBalancer, call, msg));
    if let Some(name) = other_types_setting(Kind::LoadBalancer, attrs, |n| {
        elb_rules::load_balancer_has(Some(lb_type), n)
    }) {
        return bad(format!(
            "Load balancer attribute '{name}' is not supported on load balancers with type '{lb_type}'"
        ));
    }
    let LoadBalancerSettings {
        idle_timeout: idle,
        desync_mitigation_mode: desync,
        xff_header_processing: xff,
        client_keep_alive: keep_alive,
        access_logs,
        access_logs_bucket,
        connection_logs,
        connection_logs_bucket,
        ..
    } = load_balancer_settings(attrs);
    if !(1..=4000).contains(&idle) {
        return bad(format!("Idle timeout {idle} must be between 1 and 4000 seconds"));
    }
    if !DESYNC_MODES.contains(&desync) {
        return bad(format!(
            "'routing.http.desync_mitigation_mode' value '{desync}' must be one of [{}]",
            DESYNC_MODES.join(", ")
        ));
    }
    if !XFF_MODES.contains(&xff) {
        return bad(format!(
            "'routing.http.xff_header_processing.mode' value '{xff}' must be one of [{}]",
            XFF_MODES.join(", ")
        ));
    }
    if !(60..=604_800).contains(&keep_alive) {
        return bad(format!(
            "'client_keep_alive.seconds' value '{keep_alive}' must be between '60-604800' inclusive"
        ));
    }
    for (on, bucket, what) in [
        (access_logs, access_logs_bucket, "access"),
        (connection_logs, connection_logs_bucket, "connection"),
    ] {
        if on && bucket.is_empty() {
            return bad(format!(
                "The value of '{what}_logs.s3.bucket' cannot be empty when {what} logs are enabled"
            ));
        }
    }
    let has_gateway = sim
        .all(Kind::InternetGateway)
        .any(|(_, r)| str_of(&r.attrs, "vpc") == Some(vpc.as_str()));
    if !bool_of(attrs, "internal") && !has_gateway {
        return Err(fail(
            call,
            "InvalidSubnet",
            format!("VPC {vpc} has no internet gateway"),
        ));
    }
    Ok(())
}

/// The type of the load balancer `attrs`: `application` unless written.
fn lb_type(attrs: &Attrs) -> &str {
    str_of(attrs, "type").unwrap_or("application")
}

/// The first attribute of `kind` that `attrs` sets away from its default
/// and that the resource, by its type or protocol, does not `have`: ELBv2
/// refuses an Application Load Balancer's attributes on a Network Load
/// Balancer and the reverse.
fn other_types_setting(kind: Kind, attrs: &Attrs, have: impl Fn(&str) -> bool) -> Option<&'static str> {
    kind.schema()
        .attrs
        .iter()
        .filter(|a| !have(a.name))
        .find(|a| {
            attrs
                .get(a.name)
                .is_some_and(|v| *v != Value::Null && *v != a.default_value())
        })
        .map(|a| a.name)
}

/// ELBv2's desync mitigation modes and X-Forwarded-For processing modes.
const DESYNC_MODES: [&str; 3] = ["monitor", "defensive", "strictest"];
const XFF_MODES: [&str; 3] = ["append", "preserve", "remove"];

/// A load balancer's attributes that ModifyLoadBalancerAttributes sets,
/// AWS's defaults filled in.
#[derive(PartialEq)]
struct LoadBalancerSettings<'a> {
    idle_timeout: i64,
    deletion_protection: bool,
    drop_invalid_header_fields: bool,
    http2: bool,
    desync_mitigation_mode: &'a str,
    preserve_host_header: bool,
    xff_header_processing: &'a str,
    client_keep_alive: i64,
    waf_fail_open: bool,
    access_logs: bool,
    access_logs_bucket: &'a str,
    access_logs_prefix: &'a str,
    connection_logs: bool,
    connection_logs_bucket: &'a str,
    connection_logs_prefix: &'a str,
    cross_zone: bool,
}

fn load_balancer_settings(attrs: &Attrs) -> LoadBalancerSettings<'_> {
    let flag = |name: &str, default: bool| attrs.get(name).and_then(Value::as_bool).unwrap_or(default);
    LoadBalancerSettings {
        idle_timeout: int_of(attrs, "idle_timeout").unwrap_or(60),
        deletion_protection: flag("deletion_protection", false),
        drop_invalid_header_fields: flag("drop_invalid_header_fields", false),
        http2: flag("http2", true),
        desync_mitigation_mode: str_of(attrs, "desync_mitigation_mode").unwrap_or("defensive"),
        preserve_host_header: flag("preserve_host_header", false),
        xff_header_processing: str_of(attrs, "xff_header_processing").unwrap_or("append"),
        client_keep_alive: int_of(attrs, "client_keep_alive").unwrap_or(3600),
        waf_fail_open: flag("waf_fail_open", false),
        access_logs: flag("access_logs", false),
        access_logs_bucket: str_of(attrs, "access_logs_bucket").unwrap_or_default(),
        access_logs_prefix: str_of(attrs, "access_logs_prefix").unwrap_or_default(),
        connection_logs: flag("connection_logs", false),
        connection_logs_bucket: str_of(attrs, "connection_logs_bucket").unwrap_or_default(),
        connection_logs_prefix: str_of(attrs, "connection_logs_prefix").unwrap_or_default(),
        cross_zone: flag("cross_zone", false),
    }
}

/// The target group attributes ModifyTargetGroupAttributes sets.
const TARGET_GROUP_SETTINGS: [&str; 8] = [
    "deregistration_delay",
    "slow_start",
    "algorithm",
    "stickiness",
    "cross_zone",
    "proxy_protocol_v2",
    "preserve_client_ip",
    "connection_termination",
];

/// ELBv2's load balancing algorithms for an Application Load Balancer.
const ALGORITHMS: [&str; 3] = ["round_robin", "least_outstanding_requests", "weighted_random"];

/// A target group's attributes that ModifyTargetGroupAttributes sets,
/// AWS's defaults filled in: a create sets them with a call of its own
/// when they differ from a bare target group's.
#[derive(PartialEq)]
struct TargetGroupSettings<'a> {
    deregistration_delay: i64,
    slow_start: i64,
    algorithm: &'a str,
    stickiness: Option<i64>,
    cross_zone: Option<bool>,
    proxy_protocol_v2: bool,
    /// AWS's choice when not set: only a setting sends it.
    preserve_client_ip: Option<bool>,
    connection_termination: bool,
}

impl<'a> TargetGroupSettings<'a> {
    fn of(attrs: &'a Attrs) -> Self {
        TargetGroupSettings {
            deregistration_delay: int_of(attrs, "deregistration_delay").unwrap_or(300),
            slow_start: int_of(attrs, "slow_start").unwrap_or(0),
            algorithm: str_of(attrs, "algorithm").unwrap_or("round_robin"),
            stickiness: int_of(attrs, "stickiness"),
            cross_zone: attrs.get("cross_zone").and_then(Value::as_bool),
            proxy_protocol_v2: bool_of(attrs, "proxy_protocol_v2"),
            preserve_client_ip: attrs.get("preserve_client_ip").and_then(Value::as_bool),
            connection_termination: bool_of(attrs, "connection_termination"),
        }
    }
}

fn check_target_group(sim: &Sim, call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| invalid(Kind::TargetGroup, call, msg);
    let vpc = str_of(attrs, "vpc").unwrap_or_default();
    if sim.find(Kind::Vpc, vpc).is_none() {
        return Err(bad(format!("The VPC ID '{vpc}' is not found")));
    }
    let port = int_of(attrs, "port").unwrap_or(0);
    if !(1..=65535).contains(&port) {
        return Err(bad(format!("Port {port} must be between 1 and 65535")));
    }
    let protocol = str_of(attrs, "protocol").unwrap_or_default();
    let network = elb_rules::is_network_protocol(protocol);
    if !elb_rules::is_protocol(protocol) {
        return Err(bad(format!(
            "Protocol '{protocol}' must be one of HTTP, HTTPS, TCP, UDP, TCP_UDP, TLS"
        )));
    }
    if let Some(name) = other_types_setting(Kind::TargetGroup, attrs, |n| {
        elb_rules::target_group_has(protocol, n)
    }) {
        return Err(bad(format!(
            "Target group attribute '{name}' is not supported for target groups with the '{protocol}' protocol"
        )));
    }
    let target_type = str_of(attrs, "target_type").unwrap_or_default();
    if !matches!(target_type, "instance" | "ip" | "lambda") {
        return Err(bad(format!(
            "Target type '{target_type}' must be one of instance, ip, lambda"
        )));
    }
    let version = str_of(attrs, "protocol_version").unwrap_or("HTTP1");
    if !matches!(version, "HTTP1" | "HTTP2" | "GRPC") {
        return Err(bad(format!(
            "Protocol version '{version}' must be one of HTTP1, HTTP2, GRPC"
        )));
    }
    let delay = int_of(attrs, "deregistration_delay").unwrap_or(300);
    if !(0..=3600).contains(&delay) {
        return Err(bad(format!(
            "Deregistration delay {delay} must be between 0 and 3600"
        )));
    }
    let slow = int_of(attrs, "slow_start").unwrap_or(0);
    if slow != 0 && !(30..=900).contains(&slow) {
        return Err(bad(format!(
            "'slow_start.duration_seconds' value '{slow}' must be 0 or between '30-900' inclusive"
        )));
    }
    let algorithm = str_of(attrs, "algorithm").unwrap_or("round_robin");
    if !ALGORITHMS.contains(&algorithm) {
        return Err(bad(format!(
            "'load_balancing.algorithm.type' value '{algorithm}' must be one of [{}]",
            ALGORITHMS.join(", ")
        )));
    }
    if let Some(seconds) = int_of(attrs, "stickiness")
        && !(1..=604_800).contains(&seconds)
    {
        return Err(bad(format!(
            "'stickiness.lb_cookie.duration_seconds' value '{seconds}' must be between '1-604800' inclusive"
        )));
    }
    if let Some(check) = blocks_of(attrs, "health_check").first() {
        let int = |k: &str, d: i64| int_of(check, k).unwrap_or(d);
        let (interval, timeout) = (int("interval", 30), int("timeout", 5));
        let ranges = [
            ("interval", interval, 5, 300),
            ("timeout", timeout, 2, 120),
            ("healthy_threshold", int("healthy_threshold", 5), 2, 10),
            ("unhealthy_threshold", int("unhealthy_threshold", 2), 2, 10),
        ];
        for (name, value, lo, hi) in ranges {
            if !(lo..=hi).contains(&value) {
                return Err(bad(format!(
                    "Health check {name} {value} must be between {lo} and {hi}"
                )));
            }
        }
        if timeout >= interval {
            return Err(bad(
                "Health check timeout must be smaller than the interval".to_owned()
            ));
        }
        let path = str_of(check, "path").unwrap_or("/");
        if !path.starts_with('/') || path.len() > 1024 {
            return Err(bad(format!("Health check path '{path}' must start with '/'")));
        }
        let hc_port = str_of(check, "port").unwrap_or("traffic-port");
        if hc_port != "traffic-port" && !hc_port.parse::<u16>().is_ok_and(|p| p > 0) {
            return Err(bad(format!(
                "Health check port '{hc_port}' must be a port number or traffic-port"
            )));
        }
        let hc_protocol =
            str_of(check, "protocol").unwrap_or(elb_rules::default_health_check_protocol(protocol));
        let allowed = if network {
            elb_rules::NETWORK_HEALTH_CHECK_PROTOCOLS
        } else {
            elb_rules::HTTP_PROTOCOLS
        };
        if !allowed.contains(&hc_protocol) {
            return Err(bad(format!(
                "Health check protocol '{hc_protocol}' must be one of {}",
                allowed.join(", ")
            )));
        }
        if hc_protocol == "TCP" {
            // A TCP check has no path or matcher: berth sends none (validate
            // refuses them written; what is here are the schema's defaults).
            return Ok(());
        }
        let matcher = str_of(check, "matcher").unwrap_or("200");
        let (field, codes) = if version == "GRPC" {
            ("GrpcCode", 0..=99)
        } else {
            ("HttpCode", 200..=499)
        };
        let codes_ok = matcher.split(',').all(|part| {
            part.split('-')
                .all(|c| c.parse::<u16>().is_ok_and(|c| codes.contains(&c)))
        });
        if !codes_ok {
            return Err(bad(format!(
                "Health check matcher {field} '{matcher}' must be codes between {} and {}",
                codes.start(),
                codes.end()
            )));
        }
    }
    Ok(())
}

/// Most condition values one rule may hold, all conditions together.
const RULE_CONDITION_VALUES: usize = 5;

/// A rule as CreateRule takes it: one action, conditions with at most
/// five values in all, each value within ELB's limits.
fn check_rule(call: &str, rule: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| invalid(Kind::Listener, call, msg);
    if actions(rule, "forward") != 1 {
        return Err(bad(
            "A rule needs exactly one action: forward, redirect or fixed-response".to_owned(),
        ));
    }
    check_weights(call, rule)?;
    let mut values: Vec<(&str, String)> = Vec::new();
    for (one, many, field) in [
        ("path", "paths", "path-pattern"),
        ("host", "hosts", "host-header"),
    ] {
        values.extend(str_of(rule, one).map(|v| (field, v.to_owned())));
        values.extend(strs_of(rule, many).into_iter().map(|v| (field, v)));
    }
    values.extend(
        strs_of(rule, "methods")
            .into_iter()
            .map(|v| ("http-request-method", v)),
    );
    values.extend(strs_of(rule, "source_ips").into_iter().map(|v| ("source-ip", v)));
    for header in blocks_of(rule, "header") {
        let name = str_of(header, "name").unwrap_or_default();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(bad(
                "The 'HttpHeaderName' value is too long; the limit is '40'".to_owned()
            ));
        }
        values.extend(strs_of(header, "values").into_iter().map(|v| ("http-header", v)));
    }
    for q in blocks_of(rule, "query") {
        values.push(("query-string", str_of(q, "value").unwrap_or_default().to_owned()));
    }
    if values.is_empty() {
        return Err(bad(format!(
            "Rule '{}' needs a condition",
            str_of(rule, "name").unwrap_or_default()
        )));
    }
    if values.len() > RULE_CONDITION_VALUES {
        return Err(bad(format!(
            "A rule can only have '{RULE_CONDITION_VALUES}' condition values"
        )));
    }
    for (field, value) in &values {
        if value.chars().count() > 128 {
            return Err(bad(format!(
                "The '{field}' value is too long; the limit is '128'"
            )));
        }
        if *field == "http-request-method"
            && !value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_')
        {
            return Err(bad(
                "The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore"
                    .to_owned(),
            ));
        }
    }
    for r in blocks_of(rule, "redirect") {
        check_redirect(call, r)?;
    }
    Ok(())
}

fn check_redirect(call: &str, r: &Attrs) -> Result<(), ProviderError> {
    let code = str_of(r, "status_code").unwrap_or_default();
    if !matches!(code, "HTTP_301" | "HTTP_302") {
        return Err(invalid(
            Kind::Listener,
            call,
            format!("Redirect status code '{code}' must be HTTP_301 or HTTP_302"),
        ));
    }
    Ok(())
}

fn check_listener(sim: &Sim, call: &str, own: Option<&str>, attrs: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| invalid(Kind::Listener, call, msg);
    let lb = str_of(attrs, "load_balancer").unwrap_or_default();
    let (lb, lb_rec) = sim.need(Kind::LoadBalancer, lb, call)?;
    let vpc = lb_vpc(sim, &lb_rec.attrs);
    let port = int_of(attrs, "port").unwrap_or(0);
    if !(1..=65535).contains(&port) {
        return Err(bad(format!("Port {port} must be between 1 and 65535")));
    }
    let taken = sim.all(Kind::Listener).any(|(k, r)| {
        Some(k.as_str()) != own
            && str_of(&r.attrs, "load_balancer") == Some(lb.as_str())
            && int_of(&r.attrs, "port") == Some(port)
    });
    if taken {
        return Err(fail(
            call,
            "DuplicateListener",
            format!("A listener already exists on port {port} of load balancer '{lb}'"),
        ));
    }
    let protocol = str_of(attrs, "protocol").unwrap_or_default();
    let lb_type = lb_type(&lb_rec.attrs);
    let network = lb_type == NETWORK;
    if network != elb_rules::is_network_protocol(protocol)
        || !(network || elb_rules::HTTP_PROTOCOLS.contains(&protocol))
    {
        return Err(fail(
            call,
            "UnsupportedProtocol",
            format!("Protocol '{protocol}' is not supported by {lb_type} load balancers"),
        ));
    }
    let secure = matches!(protocol, "HTTPS" | "TLS");
    if secure && str_of(attrs, "certificate").is_none() {
        return Err(bad(format!(
            "A certificate must be specified for {protocol} listeners"
        )));
    }
    let extra = strs_of(attrs, "certificates");
    // ELB takes only certificates ACM has issued.
    let pending = str_of(attrs, "certificate")
        .map(str::to_owned)
        .into_iter()
        .chain(extra.iter().cloned())
        .find(|c| !crate::acm::usable(sim, c));
    if let Some(arn) = pending {
        return Err(berth_provider::certificate::not_issued(fail(
            call,
            "CertificateNotFound",
            format!("Certificate '{arn}' not found"),
        )));
    }
    if !extra.is_empty() && !secure {
        return Err(bad(
            "Certificates can only be added to HTTPS and TLS listeners".to_owned()
        ));
    }
    if let Some(policy) = str_of(attrs, "alpn_policy") {
        if !elb_rules::ALPN_POLICIES.contains(&policy) {
            return Err(bad(format!(
                "ALPN policy '{policy}' must be one of {}",
                elb_rules::ALPN_POLICIES.join(", ")
            )));
        }
        if protocol != "TLS" && policy != "None" {
            return Err(bad(format!(
                "An ALPN policy is supported only on TLS listeners, not on {protocol} listeners"
            )));
        }
    }
    if network && str_of(attrs, "default").is_none() {
        return Err(bad(
            "The default action of a network load balancer's listener must forward to one target group"
                .to_owned(),
        ));
    }
    if network && !blocks_of(attrs, "rule").is_empty() {
        return Err(bad(
            "Listeners of network load balancers cannot have rules".to_owned()
        ));
    }
    if extra.len() >= 25 {
        return Err(fail(
            call,
            "TooManyCertificates",
            "You've reached the limit on the number of certificates per load balancer",
        ));
    }
    // One default action: forward, redirect or fixed response.
    if actions(attrs, "default") != 1 {
        return Err(bad(
            "A listener needs exactly one default action: forward, redirect or fixed-response".to_owned(),
        ));
    }
    check_weights(call, attrs)?;
    for r in blocks_of(attrs, "redirect") {
        check_redirect(call, r)?;
    }
    let mut targets: Vec<String> = forwards_to(attrs, "default")
        .into_iter()
        .map(str::to_owned)
        .collect();
    // Rules of their own on the listener hold their priorities too.
    let mut priorities: BTreeSet<i64> = own
        .map(|key| {
            sim.all(Kind::ListenerRule)
                .filter(|(_, r)| str_of(&r.attrs, "listener") == Some(key))
                .filter_map(|(_, r)| int_of(&r.attrs, "priority"))
                .collect()
        })
        .unwrap_or_default();
    for rule in blocks_of(attrs, "rule") {
        let priority = int_of(rule, "priority").unwrap_or(0);
        if !(1..=50000).contains(&priority) {
            return Err(bad(format!("Priority {priority} must be between 1 and 50000")));
        }
        if !priorities.insert(priority) {
            return Err(fail(
                call,
                "PriorityInUse",
                format!("Priority '{priority}' is currently in use"),
            ));
        }
        check_rule(call, rule)?;
        targets.extend(forwards_to(rule, "forward").into_iter().map(str::to_owned));
    }
    check_targets(sim, call, &lb, vpc.as_deref(), protocol, &targets)
}

/// The target groups a listener (of load balancer `lb` in `vpc`, speaking
/// `protocol`) or one of its rules forwards to: in its VPC, of a protocol
/// it can forward to, and on no other load balancer.
fn check_targets(
    sim: &Sim,
    call: &str,
    lb: &str,
    vpc: Option<&str>,
    protocol: &str,
    targets: &[String],
) -> Result<(), ProviderError> {
    let bad = |msg: String| invalid(Kind::Listener, call, msg);
    for tg in targets {
        let (tg, rec) = sim.need(Kind::TargetGroup, tg, call)?;
        if str_of(&rec.attrs, "vpc") != vpc {
            return Err(bad(format!(
                "Target group '{tg}' is not in the VPC of load balancer '{lb}'"
            )));
        }
        let group_protocol = str_of(&rec.attrs, "protocol").unwrap_or("HTTP");
        if !elb_rules::forwards_to(protocol, group_protocol) {
            return Err(bad(format!(
                "Listener protocol '{protocol}' is not supported with a target group with the target-group protocol '{group_protocol}'"
            )));
        }
        let others: Vec<String> = load_balancers_of(sim, &tg)
            .into_iter()
            .filter(|l| l != lb)
            .collect();
        if !others.is_empty() {
            return Err(fail(
                call,
                "TargetGroupAssociationLimit",
                format!(
                    "The following target groups cannot be associated with more than one load balancer: {tg}"
                ),
            ));
        }
    }
    Ok(())
}

/// A `listener_rule` as CreateRule and ModifyRule take it (`own`: its key
/// when it exists): on an existing listener of an Application Load
/// Balancer, at a priority no other rule of the listener holds.
fn check_standalone_rule(
    sim: &Sim,
    call: &str,
    own: Option<&str>,
    attrs: &Attrs,
) -> Result<(), ProviderError> {
    let listener = str_of(attrs, "listener").unwrap_or_default();
    let (listener, rec) = sim.need(Kind::Listener, listener, call)?;
    let lb = str_of(&rec.attrs, "load_balancer").unwrap_or_default().to_owned();
    let (lb, lb_rec) = sim.need(Kind::LoadBalancer, &lb, call)?;
    if lb_type(&lb_rec.attrs) == NETWORK {
        return Err(invalid(
            Kind::Listener,
            call,
            "Listeners of network load balancers cannot have rules".to_owned(),
        ));
    }
    let priority = int_of(attrs, "priority").unwrap_or(0);
    if !(1..=50000).contains(&priority) {
        return Err(invalid(
            Kind::Listener,
            call,
            format!("Priority {priority} must be between 1 and 50000"),
        ));
    }
    if rule_priorities(sim, &listener, own).contains(&priority) {
        return Err(fail(
            call,
            "PriorityInUse",
            format!("Priority '{priority}' is currently in use"),
        ));
    }
    check_rule(call, attrs)?;
    let targets: Vec<String> = forwards_to(attrs, "forward")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let protocol = str_of(&rec.attrs, "protocol").unwrap_or("HTTP").to_owned();
    check_targets(
        sim,
        call,
        &lb,
        lb_vpc(sim, &lb_rec.attrs).as_deref(),
        &protocol,
        &targets,
    )
}

/// One past the highest priority on the listener `attrs` names (1 on a
/// listener without rules): what a rule left without one takes, as
/// Terraform's provider reads it from DescribeRules.
fn next_free_priority(sim: &Sim, call: &str, attrs: &Attrs) -> Result<i64, ProviderError> {
    let listener = str_of(attrs, "listener").unwrap_or_default();
    let (listener, _) = sim.need(Kind::Listener, listener, call)?;
    Ok(rule_priorities(sim, &listener, None).last().map_or(1, |p| p + 1))
}

/// The priorities the rules of their own on `listener` hold, but `own`.
fn rule_priorities(sim: &Sim, listener: &str, own: Option<&str>) -> BTreeSet<i64> {
    let mut taken: BTreeSet<i64> = sim
        .rec(listener)
        .map(|r| {
            blocks_of(&r.attrs, "rule")
                .iter()
                .filter_map(|b| int_of(b, "priority"))
                .collect()
        })
        .unwrap_or_default();
    taken.extend(
        sim.all(Kind::ListenerRule)
            .filter(|(k, r)| Some(k.as_str()) != own && str_of(&r.attrs, "listener") == Some(listener))
            .filter_map(|(_, r)| int_of(&r.attrs, "priority")),
    );
    taken
}

/// The rules of their own on `listener`.
fn standalone_rules(sim: &Sim, listener: &str) -> Vec<String> {
    sim.all(Kind::ListenerRule)
        .filter(|(_, r)| str_of(&r.attrs, "listener") == Some(listener))
        .map(|(k, _)| k.clone())
        .collect()
}
