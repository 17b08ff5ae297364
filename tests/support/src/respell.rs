//! Respelling: a resource body written in another of the spellings AWS
//! stores alike, chosen at random from what the schema allows. Sets are
//! shuffled, case-folded strings change case, values AWS reports for
//! "unset" are written out, implicit blocks are written equal to their
//! defaults, and every [`Spelling`] gets its alternatives (Terraform's
//! `from_port`/`to_port` for `port`, protocol numbers, AWS's default egress
//! rule spelled out, `port_mapping` blocks for a container's `port`, a
//! role's whole trust policy for `assume`, `"ENABLED"` for a switch's
//! `true`).
//!
//! The property the suites check: a respelled body has the same canonical
//! form as the original, and a stack created from respelled bodies reads
//! back with no difference, on every cloud.

use berth_provider::schema::{Block, Case, Order, Spelling, Type};
use berth_provider::{Attrs, Kind, Value};
use fastrand::Rng;

/// `body` of `kind` in a spelling picked by `rng`.
pub fn respell(kind: Kind, body: &Attrs, rng: &mut Rng) -> Attrs {
    body_of(body, &kind.schema().as_block(), rng)
}

fn body_of(body: &Attrs, block: &Block, rng: &mut Rng) -> Attrs {
    let mut out = body.clone();
    for attr in block.attrs {
        let value = out.get(attr.name).cloned().unwrap_or(Value::Null);
        let new = match (value, attr.unset) {
            (Value::Null, Some(lit)) if rng.bool() => lit.into(),
            (Value::String(s), _) if attr.case != Case::AsWritten => Value::String(mixed_case(&s, rng)),
            // Docker's list form of a shell command.
            (Value::String(s), _) if attr.ty == Type::Command && rng.bool() => {
                Value::List(vec![Value::from("CMD-SHELL"), Value::String(s)])
            }
            // AWS's own words for on and off.
            (Value::Bool(on), _) if matches!(attr.ty, Type::Switch(_)) && rng.bool() => {
                Value::String(mixed_case(if on { "enabled" } else { "disabled" }, rng))
            }
            // JSON text indented, keys in the order JSON text had them.
            (Value::String(s), _) if attr.ty == Type::Json && rng.bool() => {
                serde_json::from_str::<serde_json::Value>(&s)
                    .ok()
                    .and_then(|j| serde_json::to_string_pretty(&j).ok())
                    .map_or(Value::String(s), Value::String)
            }
            (Value::List(mut items), _) if matches!(attr.ty, Type::Set(_)) => {
                rng.shuffle(&mut items);
                Value::List(items)
            }
            (v, _) => v,
        };
        if new != Value::Null || out.contains_key(attr.name) {
            out.insert(attr.name.to_owned(), new);
        }
    }
    for nested in block.blocks {
        let mut items: Vec<Value> = out
            .get(nested.name)
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .map(|i| match i {
                Value::Map(m) => Value::Map(body_of(m, nested, rng)),
                other => other.clone(),
            })
            .collect();
        if nested.implicit && items.is_empty() && rng.bool() {
            items.push(Value::Map(defaults(nested, rng)));
        }
        if nested.order != Order::Written && !nested.labelled {
            rng.shuffle(&mut items);
        }
        out.insert(nested.name.to_owned(), Value::List(items));
    }
    spelling(block.spelling, &mut out, rng);
    out
}

/// An instance of `block` with some of its attributes written at their
/// defaults.
fn defaults(block: &Block, rng: &mut Rng) -> Attrs {
    let mut out = Attrs::new();
    for attr in block.attrs.iter().filter(|a| !a.is_computed()) {
        let value = match (attr.default_value(), attr.case) {
            (Value::Null, _) => continue,
            (Value::String(s), Case::Lower | Case::Upper) => Value::String(mixed_case(&s, rng)),
            (v, _) => v,
        };
        if rng.bool() {
            out.insert(attr.name.to_owned(), value);
        }
    }
    out
}

fn mixed_case(s: &str, rng: &mut Rng) -> String {
    match rng.u8(..3) {
        0 => s.to_ascii_lowercase(),
        1 => s.to_ascii_uppercase(),
        _ => s.to_owned(),
    }
}

fn spelling(spelling: Spelling, body: &mut Attrs, rng: &mut Rng) {
    match spelling {
        Spelling::Plain => {}
        Spelling::SecurityGroupRule => rule(body, rng),
        Spelling::NetworkAclEntry => acl_entry(body, rng),
        Spelling::SecurityGroup => group(body, rng),
        Spelling::Container => container(body, rng),
        Spelling::Role => role(body, rng),
        Spelling::ListenerRule => {
            for (one, many) in [("path", "paths"), ("host", "hosts")] {
                if let Some(p) = body.get(one).filter(|p| p.as_str().is_some()).cloned()
                    && rng.bool()
                {
                    body.insert(one.to_owned(), Value::Null);
                    body.insert(many.to_owned(), Value::List(vec![p]));
                }
            }
            weighted(body, "forward", rng);
        }
        Spelling::Listener => weighted(body, "default", rng),
        // A Network Load Balancer has no HTTP settings to write at their
        // defaults: validate refuses them.
        Spelling::LoadBalancer => {}
        // Fargate's compatibility written out, as Terraform writes it.
        Spelling::TaskDefinition => {
            if rng.bool() {
                let fargate = Value::String(mixed_case("FARGATE", rng));
                body.insert("requires_compatibilities".to_owned(), Value::List(vec![fargate]));
            }
        }
        // The domain name among the alternative names, as ACM lists it.
        Spelling::Certificate => {
            let domain = body.get("domain_name").cloned();
            if let (Some(domain), Some(Value::List(names))) =
                (domain, body.get_mut("subject_alternative_names"))
                && rng.bool()
            {
                names.push(domain);
            }
        }
        // The check a TCP, UDP, TCP_UDP or TLS group gets when none is
        // written, written out.
        Spelling::TargetGroup => {
            let protocol = body.get("protocol").and_then(Value::as_str).unwrap_or("HTTP");
            if berth_provider::elb::is_network_protocol(protocol)
                && body
                    .get("health_check")
                    .and_then(Value::as_list)
                    .is_none_or(<[Value]>::is_empty)
                && rng.bool()
            {
                let check = Attrs::from([("protocol".to_owned(), Value::String(mixed_case("TCP", rng)))]);
                body.insert("health_check".to_owned(), Value::List(vec![Value::Map(check)]));
            }
        }
        // A load balancer or target group named by its ARN, not its suffix.
        Spelling::MetricAlarm => {
            if let Some(Value::Map(dimensions)) = body.get_mut("dimensions") {
                for value in dimensions.values_mut() {
                    if let Value::String(suffix) = value
                        && (suffix.starts_with("app/") || suffix.starts_with("targetgroup/"))
                        && rng.bool()
                    {
                        let resource = if suffix.starts_with("app/") {
                            "loadbalancer/"
                        } else {
                            ""
                        };
                        *suffix =
                            format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:{resource}{suffix}");
                    }
                }
            }
        }
        Spelling::DnsName => {
            // Route 53's own spelling: with the root's dot.
            if let Some(Value::String(name)) = body.get_mut("name")
                && rng.bool()
            {
                name.push('.');
            }
        }
        // A turned-off `service_connect` needs a namespace to be written:
        // the body has none to give it.
        Spelling::Service => {}
        // ECS's default discovery name written out: the port name.
        Spelling::ServiceConnectService => {
            if body.get("discovery_name").is_none_or(|d| *d == Value::Null)
                && let Some(port) = body.get("port_name").cloned()
                && rng.bool()
            {
                body.insert("discovery_name".to_owned(), port);
            }
        }
        // A target that runs no task with an ECS target's defaults written.
        Spelling::EventTarget => {
            if body.get("task_definition").is_none_or(|t| *t == Value::Null) {
                for (attr, unset) in &berth_provider::events::ECS_ONLY {
                    if *unset != Value::Null && rng.bool() {
                        body.insert((*attr).to_owned(), unset.clone());
                    }
                }
            }
        }
        // The metric under AWS's name, in any case.
        Spelling::TargetTracking => {
            let aws = body
                .get("metric")
                .and_then(Value::as_str)
                .and_then(|m| berth_provider::scaling::AWS_METRICS.iter().find(|(_, b)| *b == m))
                .map(|(aws, _)| *aws);
            if let Some(aws) = aws
                && rng.bool()
            {
                body.insert("metric".to_owned(), Value::String(mixed_case(aws, rng)));
            }
        }
        // Any threshold AWS takes: it stores 1.
        Spelling::DiscoveryService => {
            if body
                .get("health_check_failure_threshold")
                .and_then(Value::as_int)
                .is_some()
            {
                body.insert(
                    "health_check_failure_threshold".to_owned(),
                    Value::Int(i64::from(rng.u8(1..=10))),
                );
            }
        }
    }
}

/// A forward to one target group (`target`: `default` or `forward`)
/// written as a `weighted_forward` of that one group, any weight.
fn weighted(body: &mut Attrs, target: &str, rng: &mut Rng) {
    if let Some(group) = body.get(target).filter(|g| g.as_str().is_some()).cloned()
        && rng.bool()
    {
        let mut block = Attrs::new();
        block.insert("target_group".to_owned(), group);
        block.insert("weight".to_owned(), Value::Int(i64::from(rng.u16(0..1000))));
        body.insert(target.to_owned(), Value::Null);
        body.insert(
            "weighted_forward".to_owned(),
            Value::List(vec![Value::Map(block)]),
        );
    }
}

/// CloudFormation's spelling of `assume = "SERVICE"`: the whole trust
/// policy, its action as a one-element list.
fn role(r: &mut Attrs, rng: &mut Rng) {
    let Some(service) = r.get("assume").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    if rng.bool() {
        let text = berth_provider::policy::to_json_text(&berth_provider::policy::service_trust(&service))
            .replace("\"sts:AssumeRole\"", "[\"sts:AssumeRole\"]");
        r.insert("assume".to_owned(), Value::Null);
        r.insert(
            "assume_policy".to_owned(),
            berth_provider::policy::from_aws(&text),
        );
    }
}

fn int(body: &Attrs, key: &str) -> Option<i64> {
    body.get(key).and_then(Value::as_int)
}

/// A rule's or entry's protocol by its number, as EC2 answers it, now and
/// then; returns the protocol as written (lower case).
fn protocol_by_number(body: &mut Attrs, default: &str, rng: &mut Rng) -> String {
    let protocol = body
        .get("protocol")
        .and_then(Value::as_str)
        .unwrap_or(default)
        .to_ascii_lowercase();
    let number = match protocol.as_str() {
        "tcp" => Some("6"),
        "udp" => Some("17"),
        "icmp" => Some("1"),
        _ => None,
    };
    if let Some(number) = number.filter(|_| rng.bool()) {
        body.insert("protocol".to_owned(), Value::from(number));
    }
    protocol
}

fn rule(r: &mut Attrs, rng: &mut Rng) {
    let protocol = protocol_by_number(r, "tcp", rng);
    let ports = (int(r, "port"), int(r, "from_port"), int(r, "to_port"));
    let (from, to) = match (protocol.as_str(), ports) {
        ("tcp" | "udp", (Some(p), _, _)) if rng.bool() => (p, p),
        ("icmp", (None, None, None)) if rng.bool() => (-1, -1),
        ("-1", (None, None, None)) if rng.bool() => (0, 0),
        _ => return,
    };
    r.insert("port".to_owned(), Value::Null);
    r.insert("from_port".to_owned(), Value::Int(from));
    r.insert("to_port".to_owned(), Value::Int(to));
}

/// A network ACL entry as EC2 answers it (the protocol's number) or as
/// Terraform writes it (`from_port = 0`, `to_port = 0` on all traffic; an
/// ICMP type and code left out are the 0 it sends).
fn acl_entry(e: &mut Attrs, rng: &mut Rng) {
    let protocol = protocol_by_number(e, "-1", rng);
    if protocol == "-1" && rng.bool() {
        e.insert("from_port".to_owned(), Value::Int(0));
        e.insert("to_port".to_owned(), Value::Int(0));
    }
    if matches!(protocol.as_str(), "icmp" | "icmpv6") {
        for key in ["icmp_type", "icmp_code"] {
            if e.get(key).is_some_and(|v| *v == Value::Int(0)) && rng.bool() {
                e.insert(key.to_owned(), Value::Null);
            }
        }
    }
}

fn group(g: &mut Attrs, rng: &mut Rng) {
    let empty = g
        .get("egress")
        .and_then(Value::as_list)
        .is_none_or(<[Value]>::is_empty);
    if empty && rng.bool() {
        // Terraform's spelling of AWS's default egress rule.
        let all: Attrs = [
            ("protocol", Value::from("-1")),
            ("from_port", Value::Int(0)),
            ("to_port", Value::Int(0)),
            ("cidr", Value::from("0.0.0.0/0")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        g.insert("egress".to_owned(), Value::List(vec![Value::Map(all)]));
    }
}

fn container(c: &mut Attrs, rng: &mut Rng) {
    logs(c, rng);
    let Some(port) = int(c, "port") else { return };
    if !rng.bool() {
        return;
    }
    let mut mapping: Attrs = [("container_port".to_owned(), Value::Int(port))].into();
    if rng.bool() {
        mapping.insert("protocol".to_owned(), Value::from("TCP"));
    }
    let mut mappings = c
        .get("port_mapping")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .to_vec();
    mappings.insert(0, Value::Map(mapping));
    c.insert("port".to_owned(), Value::Null);
    c.insert("port_mapping".to_owned(), Value::List(mappings));
}

/// `logs = GROUP` as the `log` block it stands for (the stack's region is
/// left out by evaluation, not by the canonical form: see
/// `stack_region_logs` in the language).
fn logs(c: &mut Attrs, rng: &mut Rng) {
    let (Some(group), Some(name)) = (c.get("logs").cloned(), c.get("name").cloned()) else {
        return;
    };
    if group == Value::Null || !rng.bool() {
        return;
    }
    let options: Attrs = [
        ("awslogs-group".to_owned(), group),
        ("awslogs-stream-prefix".to_owned(), name),
    ]
    .into();
    let log: Attrs = [
        ("driver".to_owned(), Value::from("awslogs")),
        ("options".to_owned(), Value::Map(options)),
    ]
    .into();
    c.insert("logs".to_owned(), Value::Null);
    c.insert("log".to_owned(), Value::List(vec![Value::Map(log)]));
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use berth_provider::{Address, Resource};

    use crate::stack::{variety, variety_service};

    use super::*;

    /// Stand-ins for the blog stack's created resources: what the variety
    /// refers to.
    fn blog() -> BTreeMap<String, Resource> {
        [
            (Kind::Vpc, "main", "id", "vpc-1"),
            (Kind::SecurityGroup, "web", "id", "sg-1"),
            (Kind::Subnet, "public_a", "id", "subnet-a"),
            (Kind::Subnet, "public_b", "id", "subnet-b"),
            (
                Kind::Cluster,
                "blog",
                "arn",
                "arn:aws:ecs:us-east-1:123456789012:cluster/s-blog",
            ),
            (
                Kind::Role,
                "task_exec",
                "arn",
                "arn:aws:iam::123456789012:role/s-task-exec",
            ),
            (
                Kind::SnsTopic,
                "alerts",
                "arn",
                "arn:aws:sns:us-east-1:123456789012:s-alerts",
            ),
        ]
        .into_iter()
        .map(|(kind, name, key, id)| {
            let address = Address::new(kind, name);
            let attrs = [(key.to_owned(), Value::from(id))].into();
            (
                address.to_string(),
                Resource {
                    address,
                    attrs,
                    created: None,
                },
            )
        })
        .collect()
    }

    #[test]
    fn every_respelling_has_the_original_canonical_form() {
        let blog = blog();
        let mut respelled_at_all = 0;
        for seed in 0..500 {
            let mut rng = Rng::with_seed(seed);
            // `respelled` asserts the canonical forms are equal.
            let resources = variety(&blog, &mut rng);
            let mut td = resources.last().cloned().expect("a task definition");
            td.attrs.insert(
                "arn".to_owned(),
                Value::from("arn:aws:ecs:us-east-1:1:task-definition/v:1"),
            );
            variety_service(&blog, &td, &mut rng);
            let mut rng = Rng::with_seed(seed);
            let written: Attrs = resources[0].attrs.clone();
            if respell(Kind::SecurityGroup, &written, &mut rng) != written {
                respelled_at_all += 1;
            }
        }
        assert!(
            respelled_at_all > 400,
            "respelling changes the text: {respelled_at_all}"
        );
    }
}
