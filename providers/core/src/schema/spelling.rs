//! Rewrites of bodies that AWS accepts in several spellings and stores in
//! one, each named by a [`Spelling`] in the schema. Every rewrite maps all
//! spellings to the one berth shows in plans, so that Terraform's and
//! CloudFormation's idioms re-plan clean after one apply:
//! - security group rules: `from_port = 80  to_port = 80` is `port = 80`;
//!   `protocol = "6"` is `tcp`, `"all"` is `-1`; an IPv6 `cidr` is written
//!   compressed in lower case; ports of an all-traffic (`-1`) rule and
//!   ICMP's "any type, any code" (`-1`) are none, as AWS reads them back;
//! - security groups: AWS's default egress rule (all traffic to
//!   `0.0.0.0/0`, with or without the same to `::/0` that AWS adds in a
//!   VPC with IPv6) written alone is no `egress` block, which keeps it;
//!   with `egress` blocks, `default_egress` is moot (none);
//! - containers: a `host_port` equal to the mapping's `container_port` is
//!   none; a first TCP `port_mapping` with nothing else set is
//!   `port`; `port` and the mappings keep the order AWS receives them in;
//!   a `log` block for `awslogs` with only the group, a region and the
//!   container's name as stream prefix is `logs = GROUP` (validate holds
//!   the region to the stack's, which berth writes for `logs`); a
//!   `restart_policy` with `enabled = false` is none (ECS keeps a disabled
//!   policy as sent, or reports `{"enabled": false}` for none, and
//!   restarts nothing either way);
//! - roles: a trust policy letting one service assume the role (as
//!   CloudFormation writes it) is `assume = "SERVICE"`;
//! - listener rules: `path = P` is `paths = [P]` and `host = H` is
//!   `hosts = [H]` (DescribeRules answers lists); conditions and actions
//!   a rule does not use are none;
//! - listeners and rules: a `weighted_forward` to one target group is
//!   `default` / `forward` to it;
//! - hosted zones and DNS records: `example.com.` is `example.com`; a
//!   bare TXT or SPF value is the quoted string Route 53 stores.
//! - Cloud Map services: a `health_check_failure_threshold` of 1 to 10 is
//!   1 (the field is deprecated: AWS stores 1 whatever it is sent).
//! - metric alarms (and target tracking's custom metrics): a load
//!   balancer's or target group's ARN as a dimension
//!   (`LoadBalancer = load_balancer.web.arn`) is its suffix,
//!   `app/NAME/ID` or `targetgroup/NAME/ID` (Terraform's `arn_suffix`),
//!   what CloudWatch's ELB metrics are named by;
//! - load balancers: a Network Load Balancer has no `idle_timeout` or
//!   other Application Load Balancer setting, not even its default (and
//!   an Application Load Balancer no `cross_zone`);
//! - target groups: a `TCP` health check has no `path` or `matcher`, and a
//!   Network Load Balancer's group with a TCP check at berth's defaults
//!   has no `health_check` block (what it gets when none is written);
//! - ECS services: a `service_connect` block with `enabled = false` is
//!   none (what UpdateService leaves when Service Connect is turned off),
//!   and a `launch_type` beside a `capacity_provider_strategy` is none;
//!   and in it a `discovery_name` equal to its `port_name` is none (ECS's
//!   default for it);
//! - certificates: the domain name among the alternative names is none
//!   (ACM lists it there), and names are in lower case;
//! - task definitions: `requires_compatibilities = ["FARGATE"]` is none.

use super::Spelling;
use crate::{Attrs, Value};

/// Rewrites `body` to the one spelling of its kind of block.
pub(super) fn apply(spelling: Spelling, body: &mut Attrs) {
    match spelling {
        Spelling::Plain => {}
        Spelling::SecurityGroupRule => security_group_rule(body),
        Spelling::SecurityGroup => security_group(body),
        Spelling::Container => container(body),
        Spelling::Role => role(body),
        Spelling::ListenerRule => listener_rule(body),
        Spelling::Listener => one_forward(body, "default"),
        Spelling::DnsName => dns_name(body),
        Spelling::DiscoveryService => failure_threshold(body),
        Spelling::Service => {
            service_connect_off(body);
            launch_type_beside_strategy(body);
        }
        Spelling::ServiceConnectService => discovery_name(body),
        Spelling::MetricAlarm => elb_dimensions(body),
        Spelling::TargetGroup => network_health_check(body),
        Spelling::LoadBalancer => other_type_settings(body),
        Spelling::Certificate => alternative_names(body),
        Spelling::TaskDefinition => fargate_only(body),
        Spelling::EventTarget => ecs_settings_of_ecs_targets(body),
        Spelling::NetworkAclEntry => network_acl_entry(body),
        Spelling::TargetTracking => tracked_metric(body),
    }
}

/// A target-tracking policy's metric under berth's name, whichever name
/// it was written with; ELB ARNs among a custom metric's dimensions are
/// their suffixes, as an alarm's.
fn tracked_metric(policy: &mut Attrs) {
    if let Some(Value::List(custom)) = policy.get_mut("custom_metric") {
        for metric in custom {
            if let Value::Map(metric) = metric {
                elb_dimensions(metric);
            }
        }
    }
    let Some(written) = policy.get("metric").and_then(Value::as_str) else {
        return;
    };
    if let Some(short) = crate::scaling::berths_metric(written) {
        policy.insert("metric".to_owned(), Value::from(short));
    }
}

/// A network ACL entry as EC2 holds it: the protocol by name (`all` is
/// `-1`), an IPv6 range in one text, a port range only for TCP and UDP
/// and an ICMP type and code only for ICMP (EC2 ignores them otherwise;
/// for ICMP it requires both, and Terraform sends 0 for one left out).
fn network_acl_entry(entry: &mut Attrs) {
    let Some(protocol) = entry.get("protocol").and_then(Value::as_str) else {
        return;
    };
    let protocol = protocol_name(protocol);
    entry.insert("protocol".to_owned(), Value::from(protocol.as_str()));
    canonical_ipv6(entry, "cidr");
    let (ports, icmp) = match protocol.as_str() {
        "tcp" | "udp" => (true, false),
        "icmp" | "icmpv6" => (false, true),
        _ => (false, false),
    };
    for (key, keep) in [
        ("from_port", ports),
        ("to_port", ports),
        ("icmp_type", icmp),
        ("icmp_code", icmp),
    ] {
        if !keep {
            set(entry, key, Value::Null);
        } else if icmp && entry.get(key).is_none_or(|v| *v == Value::Null) {
            entry.insert(key.to_owned(), Value::Int(0));
        }
    }
}

/// A protocol as berth writes it: a name where EC2 has one for the number
/// (`6` is `tcp`), `-1` for all traffic (Terraform's `all`).
fn protocol_name(p: &str) -> String {
    if p.eq_ignore_ascii_case("all") {
        return "-1".to_owned();
    }
    PROTOCOL_NAMES
        .iter()
        .find(|(number, _)| *number == p)
        .map_or(p, |(_, name)| name)
        .to_ascii_lowercase()
}

/// `key`'s IPv6 range in one text (`2001:DB8:0::/32` is `2001:db8::/32`).
fn canonical_ipv6(body: &mut Attrs, key: &str) {
    let ipv6 = body
        .get(key)
        .and_then(Value::as_str)
        .and_then(|c| c.parse::<ipnet::Ipv6Net>().ok());
    if let Some(net) = ipv6 {
        body.insert(key.to_owned(), Value::String(net.to_string()));
    }
}

/// A target that runs no task has none of an ECS target's settings where
/// they hold what they do when left out (another value stays, for
/// validate and PutTargets to refuse).
fn ecs_settings_of_ecs_targets(target: &mut Attrs) {
    if target.get("task_definition").is_some_and(|t| *t != Value::Null) {
        return;
    }
    for (attr, unset) in &crate::events::ECS_ONLY {
        if let Some(v) = target.get_mut(*attr)
            && v == unset
        {
            *v = Value::Null;
        }
    }
}

/// A task definition's compatibilities when they are Fargate's alone,
/// what berth registers every one for, as none.
fn fargate_only(td: &mut Attrs) {
    if let Some(v) = td.get_mut("requires_compatibilities")
        && let Value::List(items) = v
        && items.len() == 1
        && items[0]
            .as_str()
            .is_some_and(|c| c.eq_ignore_ascii_case("FARGATE"))
    {
        *v = Value::Null;
    }
}

/// A certificate's alternative names without its domain name, which ACM
/// lists among them, in lower case as ACM keeps names.
fn alternative_names(cert: &mut Attrs) {
    let domain = cert
        .get("domain_name")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    if let Some(Value::List(names)) = cert.get_mut("subject_alternative_names") {
        names.retain_mut(|n| match n {
            Value::String(s) => {
                *s = s.to_ascii_lowercase();
                domain.as_deref() != Some(s.as_str())
            }
            _ => true,
        });
    }
}

/// A load balancer's body with the other type's settings unset:
/// validate refuses them written, so they are only defaults.
fn other_type_settings(lb: &mut Attrs) {
    let lb_type = lb.get("type").and_then(Value::as_str).map(str::to_owned);
    for (name, value) in lb.iter_mut() {
        if !crate::elb::load_balancer_has(lb_type.as_deref(), name) {
            *value = Value::Null;
        }
    }
}

/// A TCP health check has no path or matcher (AWS stores none); a
/// Network Load Balancer's group whose check is its default (TCP, every
/// other setting berth's default) has none written. (validate has such a
/// group's check name its protocol, so `HTTP`, the schema's default for
/// every group, is never one filled in.)
fn network_health_check(group: &mut Attrs) {
    let protocol = group.get("protocol").and_then(Value::as_str).unwrap_or("HTTP");
    let default_protocol = crate::elb::default_health_check_protocol(protocol);
    let Some(Value::List(checks)) = group.get_mut("health_check") else {
        return;
    };
    for check in checks.iter_mut() {
        if let Value::Map(check) = check
            && check.get("protocol").and_then(Value::as_str) == Some("TCP")
        {
            check.remove("path");
            check.remove("matcher");
        }
    }
    if default_protocol == "TCP" && checks.len() == 1 && checks[0].as_map().is_some_and(is_tcp_default) {
        checks.clear();
    }
}

/// Whether `check` is a TCP health check with berth's defaults.
fn is_tcp_default(check: &Attrs) -> bool {
    let schema = crate::Kind::TargetGroup.schema().as_block();
    let Some(block) = schema.blocks.iter().find(|b| b.name == "health_check") else {
        return false;
    };
    block.attrs.iter().all(|attr| {
        let value = check.get(attr.name).filter(|v| **v != Value::Null);
        match attr.name {
            "protocol" => value.and_then(Value::as_str) == Some("TCP"),
            "path" | "matcher" => value.is_none(),
            _ => value.is_none_or(|v| *v == attr.default_value()),
        }
    })
}

/// ELB ARNs among an alarm's dimensions are their suffixes.
fn elb_dimensions(alarm: &mut Attrs) {
    let Some(Value::Map(dimensions)) = alarm.get_mut("dimensions") else {
        return;
    };
    for value in dimensions.values_mut() {
        if let Value::String(text) = value
            && text.contains(":elasticloadbalancing:")
            && let Some(suffix) = crate::arn::elb_suffix(text)
        {
            *value = Value::from(suffix);
        }
    }
}

/// A `service_connect` turned off is no Service Connect.
fn service_connect_off(service: &mut Attrs) {
    if let Some(Value::List(blocks)) = service.get_mut("service_connect") {
        blocks.retain(|b| b.as_map().and_then(|m| m.get("enabled")) != Some(&Value::Bool(false)));
    }
}

/// A service with a `capacity_provider_strategy` has no launch type (ECS
/// takes one or the other, and answers none beside a strategy): berth's
/// default `FARGATE` is none there.
fn launch_type_beside_strategy(service: &mut Attrs) {
    let strategy = service
        .get("capacity_provider_strategy")
        .and_then(Value::as_list)
        .is_some_and(|s| !s.is_empty());
    if strategy && service.contains_key("launch_type") {
        service.insert("launch_type".to_owned(), Value::Null);
    }
}

/// ECS names a Service Connect service's Cloud Map service after its port
/// when no `discovery_name` is given.
fn discovery_name(service: &mut Attrs) {
    if service.get("discovery_name").is_some_and(|d| *d != Value::Null)
        && service.get("discovery_name") == service.get("port_name")
    {
        service.insert("discovery_name".to_owned(), Value::Null);
    }
}

/// `example.com.` is `example.com`: Route 53 answers names with the root's
/// dot, people write them without. An alias's target name likewise.
fn dns_name(body: &mut Attrs) {
    if let Some(Value::String(name)) = body.get_mut("name") {
        let bare = name.trim_end_matches('.');
        if bare.len() != name.len() {
            *name = bare.to_owned();
        }
    }
    let text = body
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("TXT") || t.eq_ignore_ascii_case("SPF"));
    if text && let Some(Value::List(records)) = body.get_mut("records") {
        for record in records.iter_mut() {
            if let Value::String(s) = record {
                *s = crate::dns::quoted_text(s);
            }
        }
        records.sort_by_cached_key(ToString::to_string);
        records.dedup();
    }
    if let Some(Value::List(aliases)) = body.get_mut("alias") {
        for alias in aliases {
            if let Value::Map(alias) = alias {
                dns_name(alias);
            }
        }
    }
}

/// What AWS stores of a custom health check's failure threshold: 1.
fn failure_threshold(service: &mut Attrs) {
    if let Some(v) = service.get_mut("health_check_failure_threshold")
        && v.as_int().is_some()
    {
        *v = Value::Int(1);
    }
}

/// The conditions and actions a rule may leave out.
const RULE_OPTIONAL: &[&str] = &[
    "paths",
    "hosts",
    "methods",
    "source_ips",
    "header",
    "query",
    "redirect",
    "fixed_response",
    "weighted_forward",
];

fn listener_rule(rule: &mut Attrs) {
    one_or_many(rule, "path", "paths");
    one_or_many(rule, "host", "hosts");
    one_forward(rule, "forward");
    // What a rule does not use is none, not an empty list: plans show
    // only what the rule says.
    for key in RULE_OPTIONAL {
        if let Some(v) = rule.get_mut(*key)
            && v.as_list().is_some_and(<[Value]>::is_empty)
        {
            *v = Value::Null;
        }
    }
}

/// A `weighted_forward` to a single target group is a plain forward to it
/// (`target`: `default` or `forward`): its weight decides nothing, and
/// AWS answers both alike.
fn one_forward(body: &mut Attrs, target: &str) {
    let single = match body.get("weighted_forward").and_then(Value::as_list) {
        Some([only]) => only.as_map().and_then(|b| b.get("target_group")).cloned(),
        _ => None,
    };
    if let Some(group) = single
        && body.get(target).is_none_or(|v| *v == Value::Null)
    {
        body.insert(target.to_owned(), group);
        body.insert("weighted_forward".to_owned(), Value::List(Vec::new()));
    }
}

/// A rule's patterns written `one = P`, `many = [...]` or both, as one
/// set: a lone pattern as `one`, several as `many`.
fn one_or_many(rule: &mut Attrs, one: &str, many: &str) {
    let mut all: Vec<Value> = rule
        .get(many)
        .and_then(Value::as_list)
        .unwrap_or_default()
        .to_vec();
    all.extend(rule.get(one).filter(|v| **v != Value::Null).cloned());
    all.sort_by_cached_key(|v| v.to_string());
    all.dedup_by(|a, b| a == b && !a.has_unknown());
    let (lone, several) = match <[Value; 1]>::try_from(all) {
        Ok([p]) => (p, Vec::new()),
        Err(all) => (Value::Null, all),
    };
    set(rule, one, lone);
    if !several.is_empty() || rule.contains_key(many) {
        rule.insert(many.to_owned(), Value::List(several));
    }
}

/// A trust policy that only lets one service assume the role is that
/// service, as `assume` writes it.
fn role(r: &mut Attrs) {
    let service = r.get("assume_policy").and_then(crate::policy::trusted_service);
    if let Some(service) = service {
        r.insert("assume".to_owned(), Value::String(service));
        r.insert("assume_policy".to_owned(), Value::Null);
    }
}

/// IANA protocol numbers AWS reads back by name (berth writes the
/// names; network ACL entries are sent by number).
pub const PROTOCOL_NAMES: &[(&str, &str)] = &[("6", "tcp"), ("17", "udp"), ("1", "icmp"), ("58", "icmpv6")];

fn security_group_rule(rule: &mut Attrs) {
    // Terraform's `aws_security_group_rule` spells all traffic `all`.
    let Some(protocol) = rule.get("protocol").and_then(Value::as_str).map(protocol_name) else {
        return;
    };
    rule.insert("protocol".to_owned(), Value::from(protocol.as_str()));
    canonical_ipv6(rule, "cidr");
    let int = |key: &str| rule.get(key).and_then(Value::as_int);
    let (from, to) = match int("port") {
        Some(p) => (Some(p), Some(p)),
        None => (int("from_port"), int("to_port")),
    };
    let any_icmp = |p: Option<i64>| p.is_none_or(|p| p == -1);
    let (port, from, to) = match protocol.as_str() {
        "tcp" | "udp" if from.is_some() && from == to => (from, None, None),
        "tcp" | "udp" => (None, from, to),
        "icmp" | "icmpv6" if any_icmp(from) && any_icmp(to) => (None, None, None),
        "icmp" | "icmpv6" => (None, from, to),
        // All traffic, or a protocol without ports: AWS ignores them.
        _ => (None, None, None),
    };
    let value = |i: Option<i64>| i.map_or(Value::Null, Value::Int);
    set(rule, "port", value(port));
    set(rule, "from_port", value(from));
    set(rule, "to_port", value(to));
}

/// Sets `key`, leaving it out when it was out and stays null: a partial
/// body keeps its shape.
fn set(body: &mut Attrs, key: &str, value: Value) {
    if value != Value::Null || body.contains_key(key) {
        body.insert(key.to_owned(), value);
    }
}

/// Whether `rule` lets all traffic out to `cidr`.
fn is_all_traffic_to(rule: &Value, cidr: &str) -> bool {
    let Some(rule) = rule.as_map() else {
        return false;
    };
    rule.iter().all(|(k, v)| match k.as_str() {
        "protocol" => *v == Value::from("-1"),
        "cidr" => *v == Value::from(cidr),
        _ => *v == Value::Null,
    })
}

/// AWS's default egress: all traffic to `0.0.0.0/0`, and to `::/0` too in
/// a VPC with IPv6 (where AWS adds both; without IPv6 the second lets out
/// nothing, so keeping the default is the same).
fn security_group(group: &mut Attrs) {
    const V4: &str = "0.0.0.0/0";
    const V6: &str = "::/0";
    if let Some(Value::List(egress)) = group.get_mut("egress") {
        let default = match egress.as_slice() {
            [one] => is_all_traffic_to(one, V4),
            [a, b] => {
                (is_all_traffic_to(a, V4) && is_all_traffic_to(b, V6))
                    || (is_all_traffic_to(a, V6) && is_all_traffic_to(b, V4))
            }
            _ => false,
        };
        if default {
            egress.clear();
        }
        // With rules of its own a group has no default rule to keep.
        if !egress.is_empty() {
            group.insert("default_egress".to_owned(), Value::Null);
        }
    }
}

/// A mapping's `host_port` equal to its `container_port` is none: in
/// `awsvpc` mode ECS stores the container port there whether it is sent
/// or not (validate refuses any other host port).
fn same_host_port(mapping: &mut Value) {
    if let Value::Map(m) = mapping
        && m.get("host_port").is_some_and(|h| *h != Value::Null)
        && m.get("host_port") == m.get("container_port")
    {
        m.insert("host_port".to_owned(), Value::Null);
    }
}

/// Whether a port mapping says no more than `port = N` does.
fn plain_tcp_port(mapping: &Value) -> Option<i64> {
    let m = mapping.as_map()?;
    let port = m.get("container_port")?.as_int()?;
    m.iter()
        .all(|(k, v)| match k.as_str() {
            "container_port" => true,
            "protocol" => *v == Value::Null || *v == Value::from("tcp"),
            _ => *v == Value::Null,
        })
        .then_some(port)
}

fn container(c: &mut Attrs) {
    let mut mappings = match c.get("port_mapping") {
        Some(Value::List(items)) => items.clone(),
        _ => Vec::new(),
    };
    for mapping in &mut mappings {
        same_host_port(mapping);
    }
    if let Some(port) = c.get("port").and_then(Value::as_int) {
        let mapping = [
            ("container_port".to_owned(), Value::Int(port)),
            ("protocol".to_owned(), Value::from("tcp")),
        ];
        mappings.insert(0, Value::Map(mapping.into()));
    }
    let port = mappings.first().and_then(plain_tcp_port);
    if port.is_some() {
        mappings.remove(0);
    }
    set(c, "port", port.map_or(Value::Null, Value::Int));
    if !mappings.is_empty() || c.contains_key("port_mapping") {
        c.insert("port_mapping".to_owned(), Value::List(mappings));
    }
    if c.get("logs").is_none_or(|v| *v == Value::Null)
        && let Some(group) = awslogs_group(c)
    {
        c.insert("logs".to_owned(), group);
        c.insert("log".to_owned(), Value::List(Vec::new()));
    }
    if let Some(Value::List(policies)) = c.get_mut("restart_policy") {
        policies.retain(|p| p.as_map().and_then(|m| m.get("enabled")) != Some(&Value::Bool(false)));
    }
}

/// The group of a container's `log` block when it says no more than
/// `logs = GROUP` does: driver `awslogs`, options the group and the
/// container's name as stream prefix (no region but the stack's, left
/// out), no secret options.
fn awslogs_group(c: &Attrs) -> Option<Value> {
    let [log] = c.get("log")?.as_list()? else {
        return None;
    };
    let log = log.as_map()?;
    if log.get("driver") != Some(&Value::from("awslogs")) {
        return None;
    }
    let empty =
        |v: Option<&Value>| v.is_none_or(|v| *v == Value::Null || v.as_map().is_some_and(|m| m.is_empty()));
    if !empty(log.get("secret_options")) {
        return None;
    }
    let options = log.get("options")?.as_map()?;
    let name = c.get("name")?;
    // A region is left out where it is the stack's (the configuration's
    // by evaluation, what AWS answers by the adapter): one written is
    // another region, which the shorthand would lose.
    let plain = options.get("awslogs-stream-prefix") == Some(name)
        && options
            .keys()
            .all(|k| matches!(k.as_str(), "awslogs-group" | "awslogs-stream-prefix"));
    plain.then(|| options.get("awslogs-group").cloned()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// forest6511/terraform-ecs-fargate-samples' service runs on a
    /// strategy: its plan showed berth's default `launch_type = "FARGATE"`
    /// beside it, which is never sent.
    #[test]
    fn a_strategy_leaves_no_launch_type() {
        let service = |strategy: Vec<Value>| -> Attrs {
            [
                ("launch_type".to_owned(), Value::from("FARGATE")),
                ("capacity_provider_strategy".to_owned(), Value::List(strategy)),
            ]
            .into()
        };
        let mut spot = service(vec![Value::Map(
            [("capacity_provider".to_owned(), Value::from("FARGATE_SPOT"))].into(),
        )]);
        apply(Spelling::Service, &mut spot);
        assert_eq!(spot["launch_type"], Value::Null);
        let mut plain = service(Vec::new());
        apply(Spelling::Service, &mut plain);
        assert_eq!(plain["launch_type"], Value::from("FARGATE"));
    }

    #[test]
    fn elb_arns_in_alarm_dimensions_are_their_suffixes() {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blog/73e2d6bc24d8a067";
        let mut alarm = map(&[(
            "dimensions",
            Value::Map(
                [
                    ("LoadBalancer".to_owned(), Value::from(lb)),
                    ("TargetGroup".to_owned(), Value::from(tg)),
                    ("ServiceName".to_owned(), Value::from("web")),
                    ("Other".to_owned(), Value::Unknown),
                ]
                .into(),
            ),
        )]);
        elb_dimensions(&mut alarm);
        let d = alarm["dimensions"].as_map().unwrap();
        assert_eq!(d["LoadBalancer"], Value::from("app/web/50dc6c495c0c9188"));
        assert_eq!(d["TargetGroup"], Value::from("targetgroup/blog/73e2d6bc24d8a067"));
        assert_eq!(d["ServiceName"], Value::from("web"));
        assert_eq!(d["Other"], Value::Unknown);
    }

    #[test]
    fn any_failure_threshold_is_the_one_aws_stores() {
        for written in [1, 3, 10] {
            let mut service = map(&[("health_check_failure_threshold", Value::Int(written))]);
            failure_threshold(&mut service);
            assert_eq!(service["health_check_failure_threshold"], Value::Int(1));
        }
        let mut none = map(&[("health_check_failure_threshold", Value::Null)]);
        failure_threshold(&mut none);
        assert_eq!(none["health_check_failure_threshold"], Value::Null);
    }

    #[test]
    fn an_awslogs_block_with_the_shorthand_options_is_logs() {
        let log = |options: &[(&str, &str)], secret: bool| {
            let options: Attrs = options
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
                .collect();
            let secrets: Attrs = if secret {
                [(
                    "token".to_owned(),
                    Value::from("arn:aws:ssm:us-east-1:1:parameter/t"),
                )]
                .into()
            } else {
                Attrs::new()
            };
            let mut c = map(&[
                ("name", "app".into()),
                (
                    "log",
                    Value::List(vec![Value::Map(map(&[
                        ("driver", "awslogs".into()),
                        ("options", Value::Map(options)),
                        ("secret_options", Value::Map(secrets)),
                    ]))]),
                ),
            ]);
            container(&mut c);
            c
        };
        let shorthand = log(
            &[("awslogs-group", "/ecs/app"), ("awslogs-stream-prefix", "app")],
            false,
        );
        assert_eq!(shorthand["logs"], Value::from("/ecs/app"));
        assert_eq!(shorthand["log"], Value::List(vec![]));
        for kept in [
            // A region written is another than the stack's (evaluation and
            // the adapters leave the stack's out): the shorthand would lose it.
            log(
                &[
                    ("awslogs-group", "/ecs/app"),
                    ("awslogs-region", "ap-northeast-1"),
                    ("awslogs-stream-prefix", "app"),
                ],
                false,
            ),
            log(
                &[("awslogs-group", "/ecs/app"), ("awslogs-stream-prefix", "web")],
                false,
            ),
            log(&[("awslogs-group", "/ecs/app")], false),
            log(
                &[
                    ("awslogs-group", "/ecs/app"),
                    ("awslogs-stream-prefix", "app"),
                    ("awslogs-create-group", "true"),
                ],
                false,
            ),
            log(
                &[("awslogs-group", "/ecs/app"), ("awslogs-stream-prefix", "app")],
                true,
            ),
        ] {
            assert_eq!(kept.get("logs"), None, "{kept:?}");
            assert_eq!(kept["log"].as_list().map(<[Value]>::len), Some(1));
        }
    }

    /// A restart policy turned off restarts nothing: it plans as none,
    /// whatever else it says, so turning one off (or AWS reporting
    /// `{"enabled": false}`) re-plans clean.
    #[test]
    fn a_restart_policy_turned_off_is_none() {
        let policy = |enabled: Value| {
            let mut c = map(&[(
                "restart_policy",
                Value::List(vec![Value::Map(map(&[
                    ("enabled", enabled),
                    ("ignored_exit_codes", Value::List(vec![Value::Int(0)])),
                ]))]),
            )]);
            container(&mut c);
            c["restart_policy"].as_list().map_or(0, <[Value]>::len)
        };
        assert_eq!(policy(Value::Bool(false)), 0);
        assert_eq!(policy(Value::Bool(true)), 1);
        assert_eq!(policy(Value::Null), 1, "left out, `enabled` is true");
    }

    fn map(pairs: &[(&str, Value)]) -> Attrs {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    fn rule(pairs: &[(&str, Value)]) -> Attrs {
        let mut r = map(&[
            ("port", Value::Null),
            ("from_port", Value::Null),
            ("to_port", Value::Null),
            ("protocol", "tcp".into()),
            ("cidr", "0.0.0.0/0".into()),
            ("from", Value::Null),
            ("description", Value::Null),
        ]);
        r.extend(map(pairs));
        security_group_rule(&mut r);
        r
    }

    #[test]
    fn rule_spellings_meet() {
        let port80 = rule(&[("port", Value::Int(80))]);
        assert_eq!(
            rule(&[("from_port", Value::Int(80)), ("to_port", Value::Int(80))]),
            port80
        );
        assert_eq!(
            rule(&[("port", Value::Int(80)), ("protocol", "6".into())]),
            port80
        );
        let all = rule(&[("protocol", "-1".into())]);
        assert_eq!(
            rule(&[
                ("protocol", "-1".into()),
                ("from_port", Value::Int(0)),
                ("to_port", Value::Int(0))
            ]),
            all
        );
        assert_eq!(rule(&[("protocol", "all".into())]), all);
        let v6 = rule(&[("port", Value::Int(443)), ("cidr", "2001:DB8:0:0::/32".into())]);
        assert_eq!(v6["cidr"], Value::from("2001:db8::/32"));
        assert_eq!(
            rule(&[
                ("protocol", "ALL".into()),
                ("from_port", Value::Int(0)),
                ("to_port", Value::Int(0))
            ]),
            all
        );
        let icmp = rule(&[("protocol", "icmp".into())]);
        assert_eq!(
            rule(&[
                ("protocol", "icmp".into()),
                ("from_port", Value::Int(-1)),
                ("to_port", Value::Int(-1))
            ]),
            icmp
        );
        let echo = rule(&[
            ("protocol", "icmp".into()),
            ("from_port", Value::Int(8)),
            ("to_port", Value::Int(0)),
        ]);
        assert_ne!(echo, icmp);
        assert_eq!(echo["from_port"], Value::Int(8));
        let range = rule(&[("from_port", Value::Int(0)), ("to_port", Value::Int(65535))]);
        assert_eq!(range["port"], Value::Null);
    }

    #[test]
    fn the_default_egress_rule_alone_is_none() {
        let all = Value::Map(rule(&[("protocol", "-1".into())]));
        let mut group = map(&[("egress", Value::List(vec![all.clone()]))]);
        security_group(&mut group);
        assert_eq!(group["egress"], Value::List(vec![]));
        let web = Value::Map(rule(&[("port", Value::Int(443))]));
        let mut group = map(&[("egress", Value::List(vec![all.clone(), web.clone()]))]);
        security_group(&mut group);
        assert_eq!(group["egress"].as_list().map(<[Value]>::len), Some(2));
        // With the same to `::/0` (AWS's default in a VPC with IPv6), in
        // either order; that one alone is a rule like any other.
        let all6 = Value::Map(rule(&[("protocol", "-1".into()), ("cidr", "::/0".into())]));
        for pair in [vec![all.clone(), all6.clone()], vec![all6.clone(), all]] {
            let mut group = map(&[("egress", Value::List(pair))]);
            security_group(&mut group);
            assert_eq!(group["egress"], Value::List(vec![]));
        }
        for kept in [vec![all6.clone()], vec![all6, web]] {
            let mut group = map(&[("egress", Value::List(kept.clone()))]);
            security_group(&mut group);
            assert_eq!(group["egress"], Value::List(kept));
        }
    }

    #[test]
    fn a_first_plain_tcp_mapping_is_port_and_order_is_kept() {
        let mapping = |port: i64, protocol: &str| {
            Value::Map(map(&[
                ("container_port", Value::Int(port)),
                ("protocol", protocol.into()),
            ]))
        };
        let shorthand = {
            let mut c = map(&[("port", Value::Int(5000)), ("port_mapping", Value::List(vec![]))]);
            container(&mut c);
            c
        };
        let mut long = map(&[("port_mapping", Value::List(vec![mapping(5000, "tcp")]))]);
        container(&mut long);
        assert_eq!(long, shorthand);
        assert_eq!(long["port"], Value::Int(5000));

        let mut several = map(&[(
            "port_mapping",
            Value::List(vec![mapping(53, "udp"), mapping(80, "tcp"), mapping(8080, "tcp")]),
        )]);
        container(&mut several);
        assert_eq!(several.get("port"), None, "the first one is UDP");
        assert_eq!(
            several["port_mapping"],
            Value::List(vec![mapping(53, "udp"), mapping(80, "tcp"), mapping(8080, "tcp")])
        );

        let mut both = map(&[
            ("port", Value::Int(80)),
            ("port_mapping", Value::List(vec![mapping(8080, "tcp")])),
        ]);
        container(&mut both);
        assert_eq!(both["port"], Value::Int(80));
        assert_eq!(both["port_mapping"], Value::List(vec![mapping(8080, "tcp")]));
    }

    #[test]
    fn a_network_groups_default_tcp_check_is_none_and_a_tcp_check_has_no_path() {
        let check = |pairs: &[(&str, Value)]| Value::List(vec![Value::Map(map(pairs))]);
        let aws_default = check(&[
            ("protocol", Value::from("TCP")),
            ("path", Value::from("/")),
            ("matcher", Value::from("200")),
            ("port", Value::from("traffic-port")),
            ("interval", Value::Int(30)),
            ("timeout", Value::Int(5)),
            ("healthy_threshold", Value::Int(5)),
            ("unhealthy_threshold", Value::Int(2)),
        ]);
        let mut read = map(&[
            ("protocol", Value::from("TCP")),
            ("health_check", aws_default.clone()),
        ]);
        network_health_check(&mut read);
        assert_eq!(read["health_check"], Value::List(vec![]));

        // The same check in an HTTP group is not its default.
        let mut http = map(&[("protocol", Value::from("HTTP")), ("health_check", aws_default)]);
        network_health_check(&mut http);
        let kept = http["health_check"].as_list().unwrap()[0]
            .as_map()
            .unwrap()
            .clone();
        assert_eq!(kept.get("path"), None);
        assert_eq!(kept["interval"], Value::Int(30));

        let mut slower = map(&[
            ("protocol", Value::from("UDP")),
            (
                "health_check",
                check(&[("protocol", Value::from("TCP")), ("interval", Value::Int(10))]),
            ),
        ]);
        network_health_check(&mut slower);
        assert_eq!(slower["health_check"].as_list().unwrap().len(), 1);
    }

    #[test]
    fn each_load_balancer_type_has_none_of_the_others_settings() {
        let mut nlb = map(&[
            ("type", Value::from("network")),
            ("idle_timeout", Value::Int(60)),
            ("cross_zone", Value::Bool(true)),
            ("deletion_protection", Value::Bool(true)),
        ]);
        other_type_settings(&mut nlb);
        assert_eq!(nlb["idle_timeout"], Value::Null);
        assert_eq!(nlb["cross_zone"], Value::Bool(true));
        assert_eq!(nlb["deletion_protection"], Value::Bool(true));
        let mut alb = map(&[
            ("idle_timeout", Value::Int(60)),
            ("cross_zone", Value::Bool(false)),
        ]);
        other_type_settings(&mut alb);
        assert_eq!(alb["idle_timeout"], Value::Int(60));
        assert_eq!(alb["cross_zone"], Value::Null);
    }

    #[test]
    fn a_target_running_no_task_has_no_ecs_defaults() {
        let mut topic = map(&[
            ("arn", Value::from("arn:aws:sns:us-east-1:1:alerts")),
            ("task_count", Value::Int(1)),
            ("public_ip", Value::Bool(false)),
            ("enable_execute_command", Value::Bool(true)),
        ]);
        ecs_settings_of_ecs_targets(&mut topic);
        assert_eq!(topic["task_count"], Value::Null);
        assert_eq!(topic["public_ip"], Value::Null);
        assert_eq!(topic["enable_execute_command"], Value::Bool(true));
        let mut task = map(&[
            (
                "task_definition",
                Value::from("arn:aws:ecs:us-east-1:1:task-definition/t:1"),
            ),
            ("task_count", Value::Int(1)),
        ]);
        ecs_settings_of_ecs_targets(&mut task);
        assert_eq!(task["task_count"], Value::Int(1));
    }
}
