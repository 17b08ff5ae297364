//! ECS Service Connect as ECS takes it (a service's `service_connect`
//! block, InvalidParameterException at CreateService/UpdateService): the
//! namespace (E0621), names (E0622), the task definition's port names
//! (E0620) and protocols (E0625), names used twice in the service
//! (E0623) or in the namespace (E0624), and the proxy's logs (E0626).

use std::collections::BTreeMap;

use berth_provider::{Address, Kind, Value};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredBody, DesiredResource, DesiredValue, Stack};

use super::domain::{int, string, unknown_value};

/// A port mapping of a task definition: its `app_protocol`, if any.
struct Port<'s> {
    protocol: Option<&'s str>,
}

/// The named port mappings of the task definition `r` runs, when the
/// task definition is the stack's and every mapping's name is known.
fn ports<'s>(
    stack: &'s Stack,
    r: &DesiredResource,
) -> Option<(&'s DesiredResource, BTreeMap<&'s str, Port<'s>>)> {
    let task = match r.body.value("task_definition")? {
        DesiredValue::Ref(t) if t.address.kind == Kind::TaskDefinition => stack.resource(&t.address)?,
        _ => return None,
    };
    let mut out = BTreeMap::new();
    for mapping in task
        .body
        .blocks("container")
        .iter()
        .flat_map(|c| c.body.blocks("port_mapping"))
    {
        match mapping.body.known("name") {
            Some(Value::String(name)) => {
                let protocol = mapping.body.known("app_protocol").and_then(Value::as_str);
                out.insert(name.as_str(), Port { protocol });
            }
            // A name known at apply only: the ports cannot be told.
            None if mapping.body.value("name").is_some() => return None,
            _ => {}
        }
    }
    Some((task, out))
}

/// Whether `name` is a Cloud Map discovery name ECS takes: 1 to 64 of
/// lower-case letters, digits, `_` and `-`, not starting with `-`.
fn discovery_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Whether `name` is a client alias DNS name ECS takes: 1 to 127 of
/// lower-case letters, digits, `_`, `-` and `.`, not starting with `-`,
/// without empty labels.
fn dns_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name.split('.').all(|l| !l.is_empty())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.'))
}

/// Why `text` names no Cloud Map namespace ECS can find by it, or `None`:
/// berth takes a namespace's id (`ns-...`) or ARN
/// (`arn:PARTITION:servicediscovery:REGION:ACCOUNT:namespace/ns-...`).
fn namespace_problem(text: &str) -> Option<&'static str> {
    let id_ok = |id: &str| {
        id.strip_prefix("ns-")
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    if !text.starts_with("arn:") {
        return (!id_ok(text)).then_some(
            "not a namespace id (`ns-...`) or ARN; a name would plan a change every time, as ECS answers the ARN",
        );
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    match parts[..] {
        [_, partition, "servicediscovery", region, account, rest]
            if partition.starts_with("aws")
                && !region.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match rest.strip_prefix("namespace/") {
                Some(id) if id_ok(id) => None,
                _ => Some("a Cloud Map ARN, but not a namespace's (`namespace/ns-...`)"),
            }
        }
        _ => {
            Some("not a Cloud Map namespace ARN (`arn:aws:servicediscovery:REGION:ACCOUNT:namespace/ns-...`)")
        }
    }
}

/// The namespace a `service_connect` block joins, as a key that two
/// blocks share when they join the same one: a reference's address or the
/// id written.
fn namespace_key(block: &DesiredBlock) -> Option<String> {
    match block.body.value("namespace")? {
        DesiredValue::Ref(r) => Some(r.address.to_string()),
        DesiredValue::Known(Value::String(s)) => Some(berth_provider::schema::namespace_id(s).to_owned()),
        _ => None,
    }
}

/// The discovery name a `service` block gets in its namespace (ECS's
/// default is the port name), with where it is written.
fn discovery(service: &DesiredBlock) -> Option<(&str, Span)> {
    string(&service.body, "discovery_name").or_else(|| string(&service.body, "port_name"))
}

/// E0621 for a namespace written as something other than an id or ARN
/// (`attr` of `body`).
fn namespace_written(body: &DesiredBody, attr: &str, diags: &mut Vec<Diagnostic>) {
    if let (Some(Value::String(ns)), Some(span)) = (body.known(attr), body.span(attr))
        && let Some(why) = namespace_problem(ns)
    {
        diags.push(
            Diagnostic::error("E0621", format!("`{ns}` is not a Cloud Map namespace berth can join"), span)
                .label(why)
                .help("refer to a `dns_namespace` of the stack (`dns_namespace.NAME`), or write the namespace's ARN or id"),
        );
    }
}

/// A Service Connect namespace written by the name of one of the stack's
/// `dns_namespace`s, however the name is made (`"${stack.name}.local"`,
/// `var.ns`, CloudFormation's `!Sub "${AWS::StackName}-cluster"`): a
/// reference to that namespace, on which the resource then depends
/// (E0621 before, the message quoting the namespace's own name; before
/// that, only a name written out, or read as `dns_namespace.X.name`, was).
pub fn names_as_references(stack: &mut Stack) {
    let named: BTreeMap<String, Address> = stack
        .resources
        .iter()
        .filter(|r| r.kind() == Kind::DnsNamespace)
        .filter_map(|r| {
            let name = r.body.known("name")?.as_str()?;
            Some((name.trim_end_matches('.').to_owned(), r.address.clone()))
        })
        .collect();
    if named.is_empty() {
        return;
    }
    let reference = |body: &mut DesiredBody, attr: &str| {
        let value = body.attrs.get_mut(attr)?;
        let DesiredValue::Known(Value::String(name)) = &value.node else {
            return None;
        };
        let address = named.get(name.trim_end_matches('.'))?.clone();
        value.node = DesiredValue::Ref(crate::stack::RefTarget {
            address: address.clone(),
            attr: "arn".to_owned(),
        });
        Some(address)
    };
    for r in &mut stack.resources {
        let found = match r.kind() {
            Kind::Cluster => reference(&mut r.body, "service_connect_namespace"),
            Kind::Service => r
                .body
                .blocks
                .get_mut("service_connect")
                .and_then(|blocks| blocks.first_mut())
                .and_then(|b| reference(&mut b.body, "namespace")),
            _ => None,
        };
        r.depends_on.extend(found);
    }
}

/// Checks a cluster's default Service Connect namespace.
pub fn cluster(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    namespace_written(&r.body, "service_connect_namespace", diags);
}

/// Checks one service's `service_connect` block.
pub fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let Some(block) = r.body.blocks("service_connect").first() else {
        return;
    };
    namespace_written(&block.body, "namespace", diags);
    if let Some(log) = block.body.blocks("log").first() {
        proxy_log(stack, log, diags);
    }
    if let Some(access) = block.body.blocks("access_log").first() {
        diags.extend(unknown_value(
            &access.body,
            "format",
            "access log format",
            &["TEXT", "JSON"],
        ));
        diags.extend(unknown_value(
            &access.body,
            "include_query_parameters",
            "query parameters setting",
            &["ENABLED", "DISABLED"],
        ));
    }
    let task = ports(stack, r);
    let mut port_names: BTreeMap<&str, Span> = BTreeMap::new();
    // Each discovery name, where, and whether written (not the port name).
    let mut discovery_names: BTreeMap<&str, (Span, bool)> = BTreeMap::new();
    for service in block.body.blocks("service") {
        if let Some((port, span)) = string(&service.body, "port_name") {
            if let Some(first) = port_names.insert(port, span) {
                diags.push(
                    Diagnostic::error("E0623", format!("port `{port}` is published twice"), span)
                        .label("a second `service` block for this port")
                        .also(first, "first published here")
                        .help("ECS takes each port name once: keep one `service` block per port"),
                );
            }
            if let Some((td, named)) = &task {
                match named.get(port) {
                    None => {
                        let known: Vec<String> = named.keys().map(|n| format!("`{n}`")).collect();
                        let help = if known.is_empty() {
                            format!("give a `port_mapping` of {} a `name = \"{port}\"`", td.address)
                        } else {
                            format!(
                                "write one of {}, or name a `port_mapping` `{port}`",
                                known.join(", ")
                            )
                        };
                        diags.push(
                            Diagnostic::error(
                                "E0620",
                                format!("{} has no port mapping named `{port}`", td.address),
                                span,
                            )
                            .label("ECS answers InvalidParameterException")
                            .also(td.span, "task definition declared here")
                            .help(help),
                        );
                    }
                    Some(Port { protocol: None }) => {
                        if let Some(timeout) = service.body.blocks("timeout").first()
                            && let Some((_, at)) = int(&timeout.body, "per_request_timeout_seconds")
                        {
                            diags.push(
                                Diagnostic::error(
                                    "E0625",
                                    format!("a per-request timeout on `{port}`, a TCP port"),
                                    at,
                                )
                                .label("ECS times out requests only for HTTP, HTTP/2 and gRPC")
                                .also(span, "names a port mapping without `app_protocol`")
                                .help(format!(
                                    "give the `port_mapping` named `{port}` an `app_protocol`, or keep only `idle_timeout_seconds`"
                                )),
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some((name, span)) = string(&service.body, "discovery_name")
            && !discovery_name_ok(name)
        {
            diags.push(
                Diagnostic::error(
                    "E0622",
                    format!("`{name}` is not a discovery name ECS takes"),
                    span,
                )
                .label("Cloud Map service names are lower-case")
                .help("write 1 to 64 lower-case letters, digits, `_` and `-`, not starting with `-`"),
            );
        }
        let written = string(&service.body, "discovery_name").is_some();
        // Two blocks of one port clash by their port names: told above.
        if let Some((name, span)) = discovery(service)
            && let Some((first, first_written)) = discovery_names.insert(name, (span, written))
            && (written || first_written)
        {
            diags.push(
                Diagnostic::error("E0623", format!("discovery name `{name}` is used twice"), span)
                    .label("a second Cloud Map service of this name")
                    .also(first, "first used here")
                    .help(
                        "each `service` block needs its own `discovery_name` (left out, it is the port name)",
                    ),
            );
        }
        for alias in service.body.blocks("client_alias") {
            if let Some((name, span)) = string(&alias.body, "dns_name")
                && !dns_name_ok(name)
            {
                diags.push(
                    Diagnostic::error(
                        "E0622",
                        format!("`{name}` is not a client alias name ECS takes"),
                        span,
                    )
                    .label("not a lower-case DNS name")
                    .help(
                        "write 1 to 127 lower-case letters, digits, `_`, `-` and `.`, not starting with `-`",
                    ),
                );
            }
        }
    }
}

/// The log drivers Fargate runs.
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "awsfirelens", "splunk"];

/// E0626: the proxy's `log` block: a driver Fargate runs, awslogs with a
/// group in the stack's region.
fn proxy_log(stack: &Stack, log: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let Some((driver, span)) = string(&log.body, "driver") else {
        return;
    };
    if !FARGATE_LOG_DRIVERS.contains(&driver) {
        diags.push(
            Diagnostic::error(
                "E0626",
                format!("Fargate does not run the `{driver}` log driver"),
                span,
            )
            .label("not a Fargate log driver")
            .help(format!("Fargate runs {}", FARGATE_LOG_DRIVERS.join(", "))),
        );
        return;
    }
    if driver != "awslogs" {
        return;
    }
    let options = log.body.known("options").and_then(Value::as_map);
    let at = log.body.span("options").unwrap_or(log.span);
    // A map whose values refer to other resources is known at apply only,
    // but its keys are written: look for the group among them.
    let has_group = match log.body.value("options") {
        None => false,
        Some(DesiredValue::Map(m)) => m.contains_key("awslogs-group"),
        Some(_) => options.is_none_or(|m| m.contains_key("awslogs-group")),
    };
    if !has_group {
        diags.push(
            Diagnostic::error(
                "E0626",
                "the proxy's awslogs driver needs an `awslogs-group` option",
                at,
            )
            .label("no `awslogs-group`")
            .help("add `\"awslogs-group\" = log_group.NAME.name` (the proxy has no `logs` shorthand)"),
        );
    }
    if let Some(Value::String(region)) = options.and_then(|m| m.get("awslogs-region"))
        && *region != stack.region
    {
        diags.push(
            Diagnostic::error(
                "E0626",
                format!(
                    "`awslogs-region` is {region}, not the stack's region {}",
                    stack.region
                ),
                at,
            )
            .label("another region")
            .help(format!(
                "write \"{}\": the service sends its logs in its own region",
                stack.region
            )),
        );
    }
}

/// E0624: two services of the stack publishing one discovery name in one
/// namespace, or one the namespace already has as a `discovery_service`:
/// ECS would make a Cloud Map service that exists.
pub fn namespaces(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let mut taken: BTreeMap<(String, String), (Span, &Address)> = BTreeMap::new();
    for d in stack
        .resources
        .iter()
        .filter(|d| d.kind() == Kind::DiscoveryService)
    {
        if let Some(DesiredValue::Ref(ns)) = d.body.value("namespace")
            && let Some((name, _)) = string(&d.body, "name")
        {
            taken.insert(
                (ns.address.to_string(), name.to_ascii_lowercase()),
                (d.body.span("name").unwrap_or(d.span), &d.address),
            );
        }
    }
    for r in stack.resources.iter().filter(|r| r.kind() == Kind::Service) {
        let Some(block) = r.body.blocks("service_connect").first() else {
            continue;
        };
        if block.body.known("enabled") == Some(&Value::Bool(false)) {
            continue;
        }
        let Some(ns) = namespace_key(block) else {
            continue;
        };
        for service in block.body.blocks("service") {
            let Some((name, span)) = discovery(service) else {
                continue;
            };
            match taken.get(&(ns.clone(), name.to_owned())) {
                Some((first, owner)) if *owner != &r.address => diags.push(
                    Diagnostic::error(
                        "E0624",
                        format!("the namespace already has a service named `{name}`"),
                        span,
                    )
                    .label("ECS would make a Cloud Map service that exists")
                    .also(*first, format!("{owner} has this name"))
                    .help("give this `service` block another `discovery_name`"),
                ),
                Some(_) => {}
                None => {
                    taken.insert((ns.clone(), name.to_owned()), (span, &r.address));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMED: &str = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
dns_namespace internal {
  vpc  = vpc.main
  name = "internal.local"
}
cluster main { service_connect_namespace = NAMESPACE }
task_definition api {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port_mapping {
      container_port = 8080
      name           = "api"
    }
  }
}
service api {
  cluster         = cluster.main
  task_definition = task_definition.api
  subnets         = [subnet.a]
  service_connect {
    namespace = NAMESPACE
    service { port_name = "api" }
  }
}
"#;

    #[test]
    fn a_namespace_named_as_one_of_the_stacks_is_that_namespace() {
        let with = |namespace: &str| crate::test_support::resources(&NAMED.replace("NAMESPACE", namespace));
        let by_reference = with("dns_namespace.internal");
        // Written, or read from the namespace (E0621 before: Terraform's
        // `aws_service_discovery_private_dns_namespace.x.name`).
        for name in [r#""internal.local""#, "dns_namespace.internal.name"] {
            let by_name = with(name);
            for address in ["cluster.main", "service.api"] {
                assert_eq!(
                    by_name.get(address),
                    by_reference.get(address),
                    "{name}: {address}"
                );
                assert!(by_name.contains_key(address));
            }
        }
    }

    /// mattyboy84's cluster names its Service Connect namespace
    /// `!Sub "${AWS::StackName}-cluster"`, the stack's own namespace's name:
    /// E0621 before, only a name written out was the namespace.
    #[test]
    fn a_namespace_named_by_a_made_name_is_the_stacks() {
        let cluster = |namespace: &str| {
            crate::test_support::resources(&format!(
                "stack \"shop\" {{ region = \"us-east-1\" }}\n\
                 variable \"ns\" {{ default = \"shop-cluster\" }}\n\
                 resource \"aws_service_discovery_http_namespace\" \"d\" {{ name = \"${{stack.name}}-cluster\" }}\n\
                 resource \"aws_ecs_cluster\" \"c\" {{\n  service_connect_defaults {{ namespace = {namespace} }}\n}}\n"
            ))
            .remove("cluster.c")
            .expect("the cluster")
        };
        let reference = cluster("aws_service_discovery_http_namespace.d.arn");
        assert_eq!(cluster("\"${stack.name}-cluster\""), reference);
        assert_eq!(cluster("var.ns"), reference);
        assert_eq!(cluster("\"shop-cluster\""), reference);
    }

    #[test]
    fn namespaces_by_id_or_arn() {
        assert_eq!(namespace_problem("ns-abc123"), None);
        assert_eq!(
            namespace_problem("arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc123"),
            None
        );
        assert!(namespace_problem("internal.local").is_some());
        assert!(namespace_problem("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1").is_some());
        assert!(namespace_problem("arn:aws:ecs:us-east-1:123456789012:namespace/ns-1").is_some());
        assert!(namespace_problem("ns-").is_some());
    }

    #[test]
    fn names() {
        assert!(discovery_name_ok("api_v2-x"));
        assert!(!discovery_name_ok("-api"));
        assert!(!discovery_name_ok("Api"));
        assert!(!discovery_name_ok(&"a".repeat(65)));
        assert!(dns_name_ok("api.internal"));
        assert!(!dns_name_ok("api..internal"));
        assert!(!dns_name_ok("API"));
        assert!(!dns_name_ok(&"a".repeat(128)));
    }
}
