//! Terraform settings berth does not write, taken where their value asks
//! for what berth does anyway: a VPC's `instance_tenancy = "default"`, a
//! load balancer's `ip_address_type = "ipv4"`, and the settings of
//! features berth has not written at their off value (a VPC's
//! `assign_generated_ipv6_cidr_block = false`, a subnet's `ipv6_cidr_block
//! = null`), as terraform-aws-modules/vpc writes every one of them. They
//! are checked once evaluated, so a variable or a conditional holding that
//! value is taken as the literal is; any other value is an E0211 that
//! says what berth does instead, never a setting silently dropped. Null
//! is always taken: it is the setting left out.

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBody, DesiredValue, Stack};

/// The value that restates berth's behaviour.
#[derive(Clone, Copy)]
enum Is {
    /// This text (in any case), or this bool written as text.
    Text(&'static str),
    /// An empty list or map, written so (`[]` or `{}`).
    Empty(&'static str),
    /// Either bool: berth's behaviour serves both.
    EitherBool,
    /// Null (or an empty string, as AWS's provider reads an optional
    /// name: infrablocks passes `elb_name = ""`): the feature berth does
    /// not write, left out.
    Null,
    /// The stack's region (AWS provider 6's per-resource `region`).
    StackRegion,
    /// Any value: without what it qualifies (which berth does not write
    /// either), it does nothing.
    Inert,
}

/// (block: a resource's kind, [`ANY_KIND`], or a nested block's name,
/// Terraform's setting, the value berth's behaviour is, what berth does
/// instead).
type Restated = (&'static str, &'static str, Is, &'static str);

const IPV6: &str = "IPv6 networks are not written (docs/porting.md, \"Not written yet\")";
const HOSTNAMES: &str = "resource-name hostnames are not written: instances get AWS's IP names";
const OUTPOSTS: &str = "Outposts subnets are not written";
const ROUTE_TARGETS: &str = "a route goes to an internet, NAT or transit gateway or a peering connection; other targets and IPv6 destinations are not written";
const IN_A_VPC: &str = "berth's addresses are always a VPC's";
const PROPAGATION: &str = "route propagation from virtual private gateways is not written";

/// Stands for every resource kind (not nested blocks).
const ANY_KIND: &str = "*";

/// What a stack does where AWS provider 6 takes a `region` per resource.
pub const ONE_REGION: &str = "a stack lives in one region, its `stack` block's: deploy another region's resources from a stack of their own";

const RESTATED: &[Restated] = &[
    (ANY_KIND, "region", Is::StackRegion, ONE_REGION),
    (
        "vpc",
        "instance_tenancy",
        Is::Text("default"),
        "dedicated tenancy is not written: berth's VPCs run on shared hardware",
    ),
    ("vpc", "assign_generated_ipv6_cidr_block", Is::Text("false"), IPV6),
    ("vpc", "ipv6_cidr_block", Is::Null, IPV6),
    ("vpc", "ipv6_ipam_pool_id", Is::Null, IPV6),
    ("vpc", "ipv6_netmask_length", Is::Null, IPV6),
    ("vpc", "ipv6_cidr_block_network_border_group", Is::Null, IPV6),
    (
        "vpc",
        "ipv4_ipam_pool_id",
        Is::Null,
        "IPAM pools are not written: give the VPC its `cidr`",
    ),
    (
        "vpc",
        "ipv4_netmask_length",
        Is::Null,
        "IPAM pools are not written: give the VPC its `cidr`",
    ),
    (
        "vpc",
        "enable_network_address_usage_metrics",
        Is::Text("false"),
        "network address usage metrics are not written",
    ),
    (
        "vpc",
        "enable_classiclink",
        Is::Text("false"),
        "EC2-Classic is retired",
    ),
    (
        "vpc",
        "enable_classiclink_dns_support",
        Is::Text("false"),
        "EC2-Classic is retired",
    ),
    (
        "subnet",
        "assign_ipv6_address_on_creation",
        Is::Text("false"),
        IPV6,
    ),
    ("subnet", "ipv6_cidr_block", Is::Null, IPV6),
    ("subnet", "ipv6_native", Is::Text("false"), IPV6),
    ("subnet", "enable_dns64", Is::Text("false"), IPV6),
    (
        "subnet",
        "enable_resource_name_dns_aaaa_record_on_launch",
        Is::Text("false"),
        HOSTNAMES,
    ),
    (
        "subnet",
        "enable_resource_name_dns_a_record_on_launch",
        Is::Text("false"),
        HOSTNAMES,
    ),
    (
        "subnet",
        "private_dns_hostname_type_on_launch",
        Is::Text("ip-name"),
        HOSTNAMES,
    ),
    (
        "subnet",
        "availability_zone_id",
        Is::Null,
        "berth places a subnet by its `zone` name",
    ),
    ("subnet", "customer_owned_ipv4_pool", Is::Null, OUTPOSTS),
    (
        "subnet",
        "map_customer_owned_ip_on_launch",
        Is::Text("false"),
        OUTPOSTS,
    ),
    ("subnet", "outpost_arn", Is::Null, OUTPOSTS),
    ("vpc_endpoint", "ip_address_type", Is::Text("ipv4"), IPV6),
    ("elastic_ip", "vpc", Is::Text("true"), IN_A_VPC),
    ("elastic_ip", "domain", Is::Text("vpc"), IN_A_VPC),
    // raulbeja's NAT address: it is associated with an `instance` or a
    // `network_interface` only, neither of which berth writes.
    (
        "elastic_ip",
        "associate_with_private_ip",
        Is::Inert,
        "an address is associated with an instance or network interface only, which berth does not write",
    ),
    ("route_table", "propagating_vgws", Is::Empty("[]"), PROPAGATION),
    (
        "default_route_table",
        "propagating_vgws",
        Is::Empty("[]"),
        PROPAGATION,
    ),
    ("route", "ipv6_cidr_block", Is::Null, ROUTE_TARGETS),
    ("route", "destination_prefix_list_id", Is::Null, ROUTE_TARGETS),
    ("route", "egress_only_gateway_id", Is::Null, ROUTE_TARGETS),
    ("route", "instance_id", Is::Null, ROUTE_TARGETS),
    ("route", "network_interface_id", Is::Null, ROUTE_TARGETS),
    ("route", "vpc_endpoint_id", Is::Null, ROUTE_TARGETS),
    ("route", "carrier_gateway_id", Is::Null, ROUTE_TARGETS),
    ("route", "core_network_arn", Is::Null, ROUTE_TARGETS),
    ("route", "local_gateway_id", Is::Null, ROUTE_TARGETS),
    (
        "load_balancer",
        "ip_address_type",
        Is::Text("ipv4"),
        "dual-stack load balancers are not written (docs/porting.md, \"Not written yet\")",
    ),
    (
        "load_balancer",
        "enable_tls_version_and_cipher_suite_headers",
        Is::Text("false"),
        "the TLS version and cipher suite headers are not written",
    ),
    (
        "load_balancer",
        "enable_xff_client_port",
        Is::Text("false"),
        "the client port in X-Forwarded-For is not written",
    ),
    (
        "load_balancer",
        "enable_zonal_shift",
        Is::Text("false"),
        "zonal shift (Application Recovery Controller) is not written",
    ),
    (
        "target_group",
        "load_balancing_anomaly_mitigation",
        Is::Text("off"),
        "anomaly mitigation is not written (docs/porting.md, \"Not written yet\")",
    ),
    (
        "load_balancer",
        "elb_name",
        Is::Null,
        "a service's load balancer is a target group's: Classic Load Balancers are not written",
    ),
    (
        "target_group",
        "lambda_multi_value_headers_enabled",
        Is::Text("false"),
        "Lambda targets are not written",
    ),
    (
        "target_group",
        "ip_address_type",
        Is::Text("ipv4"),
        "dual-stack target groups are not written (docs/porting.md, \"Not written yet\")",
    ),
    (
        "target_group",
        "load_balancing_cross_zone_enabled",
        Is::Text("use_load_balancer_configuration"),
        "a target group follows its load balancer's cross-zone setting (`cross_zone` of a Network group)",
    ),
    (
        "event_rule",
        "event_bus_name",
        Is::Text("default"),
        "berth writes rules on the account's default event bus (a custom bus's rules can stay in Terraform)",
    ),
    (
        "service",
        "scheduling_strategy",
        Is::Text("REPLICA"),
        "daemon services are EC2's: berth's services keep `desired_count` tasks",
    ),
    (
        "ssm_parameter",
        "overwrite",
        Is::EitherBool,
        "berth changes the parameters it manages in place (PutParameter with Overwrite); one made outside the stack is taken over with `berth import`",
    ),
    (
        "service",
        "force_new_deployment",
        Is::EitherBool,
        "berth deploys when the service or its task definition changes; `berth deploy` rolls a new image",
    ),
    (
        "service",
        "wait_for_steady_state",
        Is::Text("false"),
        "`berth apply --wait` waits for the services it changed to be steady",
    ),
    (
        "service",
        "force_delete",
        Is::EitherBool,
        "berth scales a service to 0 tasks, then deletes it",
    ),
    (
        "discovery_service",
        "force_destroy",
        Is::EitherBool,
        "berth deletes a Cloud Map service once ECS has deregistered its tasks' instances (retried while it does)",
    ),
    (
        "service",
        "iam_role",
        Is::Null,
        "ECS uses its service-linked role for a Fargate (`awsvpc`) service's load balancer",
    ),
    (
        "service",
        "sigint_rollback",
        Is::Text("false"),
        "an interrupted `berth apply --wait` leaves the deployment to ECS: `circuit_breaker { rollback = true }` rolls back one that fails",
    ),
    (
        "service",
        "triggers",
        Is::Empty("{}"),
        "berth deploys when the service or its task definition changes; `berth deploy` rolls a new image",
    ),
    (
        "task_definition",
        "ipc_mode",
        Is::Null,
        "Fargate tasks share no IPC namespace",
    ),
    (
        "security_group",
        "revoke_rules_on_delete",
        Is::Text("false"),
        "berth does not revoke a group's rules before deleting it (Terraform's flag for rules a service such as EMR adds)",
    ),
    (
        "task_definition",
        "skip_destroy",
        Is::Text("false"),
        "berth deregisters a task definition's revisions when it destroys it",
    ),
    (
        "task_definition",
        "track_latest",
        Is::Text("false"),
        "berth reads the revision its configuration made, not the family's latest",
    ),
    (
        "log_group",
        "skip_destroy",
        Is::Text("false"),
        "berth deletes what it destroys; `prevent_destroy = true` refuses a plan that would",
    ),
    (
        "role",
        "force_detach_policies",
        Is::Text("true"),
        "berth always detaches a role's policies before deleting it",
    ),
    (
        "s3_bucket",
        "acl",
        Is::Text("private"),
        "ACLs are off (`object_ownership = \"BucketOwnerEnforced\"`, S3's default): grant access in the bucket's `policy`",
    ),
    (
        "s3_bucket",
        "object_lock_enabled",
        Is::Text("false"),
        "object lock is not written yet",
    ),
    (
        "health_check",
        "enabled",
        Is::Text("true"),
        "a target group's health checks are always on (AWS turns them off only for Lambda targets)",
    ),
    (
        "kms_key",
        "bypass_policy_lockout_safety_check",
        Is::Text("false"),
        "berth keeps KMS's check that a key policy still lets its caller manage the key",
    ),
];

/// Whether `setting` of the block `block` (a resource's when `resource`)
/// is one of Terraform's that restate berth's behaviour: taken by the
/// schema check, checked once evaluated.
pub fn is_restated(block: &str, setting: &str, resource: bool) -> bool {
    (resource && setting == TAGS_ALL)
        || RESTATED
            .iter()
            .any(|(b, s, ..)| (*b == block || (resource && *b == ANY_KIND)) && *s == setting)
}

/// Terraform's computed view of a resource's tags (see [`tags_all`]).
const TAGS_ALL: &str = "tags_all";

/// Checks and takes out every restated setting of the evaluated `stack`:
/// E0211 for a value other than berth's behaviour.
pub fn check(stack: &mut Stack, diags: &mut Vec<Diagnostic>) {
    for r in &mut stack.resources {
        if r.kind() == berth_provider::Kind::TargetGroup {
            cross_zone_of_an_application_group(&mut r.body);
        }
        let kind = r.kind().keyword();
        tags_all(&mut r.body, diags);
        body(kind, true, &stack.region, &mut r.body, diags);
    }
}

/// Takes out Terraform's `tags_all` (terraformer and `terraform plan
/// -generate-config-out` write it on every resource): the provider's
/// computed view of `tags` with its `default_tags`, which berth's `tags`
/// hold once evaluated (the stack's tags merged in). One holding a tag
/// they do not is E0211: berth would not write it.
fn tags_all(body: &mut DesiredBody, diags: &mut Vec<Diagnostic>) {
    let Some(all) = body.attrs.remove(TAGS_ALL) else {
        return;
    };
    let tags = |key: &str| match body.value("tags") {
        Some(DesiredValue::Known(Value::Map(m))) => m.get(key).cloned().map(DesiredValue::Known),
        Some(DesiredValue::Map(m)) => m.get(key).cloned(),
        _ => None,
    };
    let entries: Vec<(String, DesiredValue)> = match &all.node {
        DesiredValue::Known(Value::Map(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), DesiredValue::Known(v.clone())))
            .collect(),
        DesiredValue::Map(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    };
    let extra = entries.iter().find(|(k, v)| {
        matches!(v, DesiredValue::Known(_))
            && tags(k).is_none_or(|t| matches!(t, DesiredValue::Known(_)) && t != *v)
    });
    if let Some((key, _)) = extra {
        diags.push(
            Diagnostic::error(
                "E0211",
                format!("`tags_all` holds the tag `{key}` that `tags` does not"),
                all.span,
            )
            .label("Terraform's computed view of `tags` and `default_tags`")
            .help("write the tag in `tags`, or in the stack's (or provider's) `default_tags`"),
        );
    }
}

/// Takes out an HTTP or HTTPS target group's
/// `load_balancing_cross_zone_enabled = true` (terraform-aws-modules/ecs's
/// examples write it): an Application Load Balancer spreads traffic over
/// every zone, so `true` is its configuration. A Network group's `true`
/// is not (its load balancer's default is off), and stays refused. An
/// HTTP group's `false` (alb's complete example) is berth's `cross_zone =
/// false`, which keeps each zone's traffic on its own targets.
fn cross_zone_of_an_application_group(body: &mut DesiredBody) {
    const SETTING: &str = "load_balancing_cross_zone_enabled";
    let protocol = match body.value("protocol") {
        Some(DesiredValue::Known(Value::String(p))) => p.as_str(),
        _ => "HTTP",
    };
    let on = match body.value(SETTING) {
        Some(DesiredValue::Known(Value::Bool(on))) => Some(*on),
        Some(DesiredValue::Known(Value::String(s))) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(DesiredValue::Known(Value::String(s))) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    if berth_provider::elb::is_network_protocol(protocol) {
        return;
    }
    match on {
        Some(true) => {
            body.attrs.remove(SETTING);
        }
        Some(false) if !body.attrs.contains_key("cross_zone") => {
            if let Some(mut off) = body.attrs.remove(SETTING) {
                off.node = DesiredValue::Known(Value::Bool(false));
                body.attrs.insert("cross_zone".to_owned(), off);
            }
        }
        _ => {}
    }
}

fn body(block: &str, resource: bool, region: &str, body: &mut DesiredBody, diags: &mut Vec<Diagnostic>) {
    let restated = RESTATED
        .iter()
        .filter(|(b, ..)| *b == block || (resource && *b == ANY_KIND));
    for (_, setting, is, instead) in restated {
        let Some(value) = body.attrs.remove(*setting) else {
            continue;
        };
        if !holds(&value.node, *is, region) {
            diags.push(refused(setting, *is, instead, value.span));
        }
    }
    for (name, blocks) in &mut body.blocks {
        for nested in blocks {
            self::body(name, false, region, &mut nested.body, diags);
        }
    }
}

/// Whether `value` is null or the value `is` names.
fn holds(value: &DesiredValue, is: Is, region: &str) -> bool {
    match (value, is) {
        (DesiredValue::Known(Value::Null), _) | (_, Is::Inert) => true,
        (DesiredValue::Known(Value::String(s)), Is::Null) => s.is_empty(),
        (DesiredValue::Known(Value::String(s)), Is::StackRegion) => s == region,
        (DesiredValue::Known(Value::String(s)), Is::Text(t)) => s.eq_ignore_ascii_case(t),
        (DesiredValue::Known(Value::Bool(b)), Is::Text(t)) => b.to_string() == t,
        (DesiredValue::Known(Value::List(items)), Is::Empty(_)) => items.is_empty(),
        (DesiredValue::List(items), Is::Empty(_)) => items.is_empty(),
        (DesiredValue::Known(Value::Map(entries)), Is::Empty(_)) => entries.is_empty(),
        (DesiredValue::Map(entries), Is::Empty(_)) => entries.is_empty(),
        (DesiredValue::Known(Value::Bool(_)), Is::EitherBool) => true,
        // Terraform converts a string variable's "true" or "false" to a
        // bool (ONS's `force_new_deployment = var.force_deployment`).
        (DesiredValue::Known(Value::String(s)), Is::EitherBool) => matches!(s.as_str(), "true" | "false"),
        _ => false,
    }
}

fn refused(setting: &str, is: Is, instead: &str, span: crate::source::Span) -> Diagnostic {
    let (message, label) = match is {
        Is::Text(t) => (
            format!("`{setting}` other than `{t}` is not written"),
            format!("berth's behaviour is `{t}`"),
        ),
        Is::Empty(empty) => (
            format!("`{setting}` other than `{empty}` is not written"),
            format!("berth's behaviour is `{empty}`"),
        ),
        Is::Null => (
            format!("`{setting}` is not written"),
            "only `null` or `\"\"` (left out) is taken".to_owned(),
        ),
        Is::EitherBool => (
            format!("`{setting}` takes `true` or `false`"),
            "not a bool".to_owned(),
        ),
        Is::StackRegion => (
            format!("`{setting}` other than the stack's region is not written"),
            "not the stack's region".to_owned(),
        ),
        Is::Inert => (format!("`{setting}` is not written"), "no effect here".to_owned()),
    };
    Diagnostic::error("E0211", message, span)
        .label(label)
        .help(format!("{instead}; leave `{setting}` out"))
}

#[cfg(test)]
mod tests {
    use super::RESTATED;
    use crate::test_support::resources;

    /// dceoy's alb module passes every setting from a variable, AWS's
    /// defaults where unused: zonal shift off and anomaly mitigation "off"
    /// restate berth's behaviour (they were E0201); on, they are refused.
    #[test]
    fn zonal_shift_and_anomaly_mitigation_off_are_left_out() {
        let text = |zonal: &str, mitigation: &str| {
            format!(
                "variable \"zonal\" {{ default = {zonal} }}\n\
                 variable \"mitigation\" {{ default = \"{mitigation}\" }}\n\
                 vpc main {{ cidr = \"10.0.0.0/16\" }}\n\
                 subnet a {{\n  vpc = vpc.main\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}}\n\
                 subnet b {{\n  vpc = vpc.main\n  cidr = \"10.0.2.0/24\"\n  zone = \"us-east-1b\"\n}}\n\
                 lb web {{\n  internal = true\n  subnets = [subnet.a.id, subnet.b.id]\n  enable_zonal_shift = var.zonal\n}}\n\
                 target_group web {{\n  vpc = vpc.main\n  port = 80\n  target_type = \"ip\"\n  load_balancing_anomaly_mitigation = var.mitigation\n}}\n"
            )
        };
        let module = resources(&text("false", "off"));
        let plain = resources(
            &text("false", "off")
                .replace("  enable_zonal_shift = var.zonal\n", "")
                .replace("  load_balancing_anomaly_mitigation = var.mitigation\n", ""),
        );
        assert_eq!(module, plain);
        let refused = crate::test_support::messages(&text("true", "on"), "E0211");
        assert_eq!(
            refused,
            [
                "`enable_zonal_shift` other than `false` is not written",
                "`load_balancing_anomaly_mitigation` other than `off` is not written"
            ]
        );
    }

    /// An interface endpoint with AWS's IPv4 defaults written out, as the
    /// vpc module's endpoints pass them: E0201 and E0205 before.
    #[test]
    fn an_endpoints_ipv4_defaults_are_left_out() {
        let endpoint = |settings: &str| {
            resources(&format!(
                "resource \"aws_vpc\" \"v\" {{\n  cidr_block = \"10.0.0.0/16\"\n  enable_dns_hostnames = true\n}}\n\
                 resource \"aws_vpc_endpoint\" \"sns\" {{\n  vpc_id = aws_vpc.v.id\n  service_name = \"com.amazonaws.us-east-1.sns\"\n  vpc_endpoint_type = \"Interface\"\n{settings}}}\n"
            ))
            .remove("vpc_endpoint.sns")
        };
        assert_eq!(
            endpoint(
                "  ip_address_type = \"ipv4\"\n  dns_options {\n    dns_record_ip_type = \"ipv4\"\n  }\n"
            ),
            endpoint("")
        );
    }

    /// raulbeja's NAT address names the private address it would be
    /// associated with, but no instance: E0201 before.
    #[test]
    fn an_addresss_private_ip_without_an_instance_is_left_out() {
        let eip = |setting: &str| {
            resources(&format!(
                "resource \"aws_eip\" \"nat\" {{\n  vpc = true\n  {setting}\n}}\n"
            ))
            .remove("elastic_ip.nat")
        };
        assert_eq!(eip("associate_with_private_ip = \"10.0.0.5\""), eip(""));
    }

    /// alb's complete example turns cross-zone off on an HTTP group with
    /// Terraform's `load_balancing_cross_zone_enabled = false` (E0211
    /// before, while berth's `cross_zone = false` was taken).
    #[test]
    fn an_application_groups_cross_zone_off_is_berths_cross_zone() {
        let group = |setting: &str| {
            resources(&format!(
                "vpc main {{ cidr = \"10.0.0.0/16\" }}\ntarget_group web {{\n  vpc = vpc.main\n  port = 80\n  target_type = \"ip\"\n  {setting}\n}}\n"
            ))
            .remove("target_group.web")
        };
        assert_eq!(
            group("load_balancing_cross_zone_enabled = false"),
            group("cross_zone = false")
        );
        assert_eq!(
            group("load_balancing_cross_zone_enabled = \"false\""),
            group("cross_zone = false")
        );
        assert_eq!(group("load_balancing_cross_zone_enabled = true"), group(""));
    }

    /// terraform-aws-modules/vpc's VPC, subnet, address and main table as
    /// written, features it leaves off at their off values through its
    /// variables: they were unknown attributes (E0201), and a variable
    /// holding `"default"` was not the literal (E0211). An empty string is
    /// a null, as AWS's provider reads an optional name (infrablocks'
    /// `elb_name = ""` was E0211).
    #[test]
    fn settings_at_berths_behaviour_through_variables_are_left_out() {
        let module = resources(
            r#"
variable "instance_tenancy" { default = "default" }
variable "enable_ipv6" { default = false }
variable "routes" { default = [] }
vpc this {
  cidr_block                       = "10.0.0.0/16"
  instance_tenancy                 = var.instance_tenancy
  assign_generated_ipv6_cidr_block = var.enable_ipv6
  ipv4_ipam_pool_id                = null
  enable_network_address_usage_metrics = null
}
subnet a {
  vpc_id                          = vpc.this.id
  cidr_block                      = "10.0.1.0/24"
  availability_zone               = "us-east-1a"
  availability_zone_id            = null
  assign_ipv6_address_on_creation = var.enable_ipv6
  ipv6_cidr_block                 = var.enable_ipv6 ? cidrsubnet(vpc.this.ipv6_cidr_block, 8, 1) : null
  private_dns_hostname_type_on_launch = "IP-NAME"
}
eip nat { vpc = true }
default_route_table this {
  default_route_table_id = vpc.this.default_route_table_id
  propagating_vgws       = []
  route {
    cidr_block             = "10.9.0.0/16"
    transit_gateway_id     = "tgw-0123456789abcdef0"
    egress_only_gateway_id = null
    vpc_endpoint_id        = null
    carrier_gateway_id     = ""
  }
}
"#,
        );
        let berth = resources(
            r#"
vpc this { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.this
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
elastic_ip nat {}
default_route_table this {
  vpc = vpc.this
  route {
    cidr            = "10.9.0.0/16"
    transit_gateway = "tgw-0123456789abcdef0"
  }
}
"#,
        );
        assert_eq!(module, berth);
    }

    /// hashintel's parameters all write `overwrite = true`, which berth
    /// does for its own: E0201 before.
    #[test]
    fn an_ssm_parameters_overwrite_is_left_out() {
        let parameter = |extra: &str| {
            resources(&format!(
                "resource \"aws_ssm_parameter\" \"p\" {{\n  name = \"/app/x\"\n  type = \"String\"\n  value = \"1\"\n{extra}}}\n"
            ))
        };
        assert_eq!(parameter("  overwrite = true\n"), parameter(""));
    }

    /// ONS's service passes `force_new_deployment` a string variable
    /// holding "false", which Terraform converts: E0211 "not a bool".
    #[test]
    fn a_bool_setting_given_true_or_false_as_text_is_taken() {
        let messages = |value: &str| {
            crate::test_support::messages(
                &format!(
                    "variable \"force\" {{\n  type    = string\n  default = {value}\n}}\n\
                     vpc main {{ cidr = \"10.0.0.0/16\" }}\n\
                     subnet a {{\n  vpc  = vpc.main\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}}\n\
                     cluster main {{}}\n\
                     task_definition app {{\n  cpu    = 256\n  memory = 512\n  container app {{ image = \"nginx\" }}\n}}\n\
                     service app {{\n  cluster              = cluster.main\n  task_definition      = task_definition.app\n  subnets              = [subnet.a]\n  force_new_deployment = var.force\n}}\n"
                ),
                "E0211",
            )
        };
        assert_eq!(messages("\"false\""), Vec::<String>::new());
        assert_eq!(messages("\"true\""), Vec::<String>::new());
        assert_eq!(
            messages("\"yes\""),
            ["`force_new_deployment` takes `true` or `false`"]
        );
    }

    /// terraform-aws-modules/ecs's service and task definition (AWS
    /// provider 6) as written, their optional settings at the module's
    /// defaults: `region` on every resource and lookup, and the service's
    /// and task's settings berth's behaviour restates were unknown
    /// attributes (E0201) and filters (E0591).
    #[test]
    fn provider_six_region_and_ecs_module_settings_at_their_defaults_are_left_out() {
        let module = resources(
            r#"
stack "demo" { region = "eu-west-1" }
variable "region" {
  type    = string
  default = null
}
variable "triggers" {
  type    = map(string)
  default = null
}
variable "ipc_mode" {
  type    = string
  default = null
}
data region current { region = var.region }
data subnet this {
  region = "eu-west-1"
  id     = "subnet-0123456789abcdef0"
}
ecs_cluster main { region = var.region }
ecs_task_definition app {
  region                 = var.region
  family                 = "app"
  cpu                    = 256
  memory                 = 512
  ipc_mode               = var.ipc_mode
  enable_fault_injection = false
  container app {
    image = "nginx"
    port  = 80
  }
}
ecs_service app {
  region          = data.region.current.name
  cluster         = ecs_cluster.main.arn
  task_definition = ecs_task_definition.app.arn
  subnets         = [data.subnet.this.id]
  force_delete    = true
  iam_role        = null
  sigint_rollback = false
  triggers        = var.triggers
}
"#,
        );
        let berth = resources(
            r#"
stack "demo" { region = "eu-west-1" }
data subnet this { id = "subnet-0123456789abcdef0" }
cluster main {}
task_definition app {
  family         = "app"
  cpu            = 256
  memory         = 512
  fault_injection = false
  container app {
    image = "nginx"
    port  = 80
  }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [data.subnet.this.id]
}
"#,
        );
        assert_eq!(module, berth);
        let elsewhere =
            "stack \"demo\" { region = \"eu-west-1\" }\ncluster main { region = \"us-east-1\" }\n";
        assert_eq!(
            crate::test_support::messages(elsewhere, "E0211"),
            ["`region` other than the stack's region is not written"]
        );
        let lookup =
            "stack \"demo\" { region = \"eu-west-1\" }\ndata region current { region = \"us-east-1\" }\n";
        assert_eq!(
            crate::test_support::messages(lookup, "E0591"),
            ["a lookup reads the stack's region"]
        );
    }

    #[test]
    fn no_restated_setting_is_one_berth_writes() {
        for (block, setting, ..) in RESTATED {
            if *block == super::ANY_KIND {
                for kind in berth_provider::Kind::ALL {
                    assert!(
                        kind.schema().attr(setting).is_none(),
                        "{kind}.{setting} is berth's"
                    );
                }
            } else if let Ok(kind) = block.parse::<berth_provider::Kind>() {
                assert!(
                    kind.schema().attr(setting).is_none(),
                    "{block}.{setting} is berth's"
                );
            }
        }
    }
}
