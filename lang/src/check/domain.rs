//! AWS's own rules, checked before apply: what AWS would reject (or what
//! would fail later at runtime) is an error with a span at `validate`.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::{Address, Kind, Value};
use ipnet::Ipv4Net;

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredBody, DesiredResource, DesiredValue, Stack};

/// Runs every domain rule over an evaluated stack.
pub fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    let cx = Context {
        stack,
        gateway_vpcs: gateway_vpcs(stack),
    };
    for r in &stack.resources {
        match r.kind() {
            Kind::Vpc => cx.vpc(r, diags),
            Kind::Subnet => cx.subnet(r, diags),
            Kind::RouteTable | Kind::DefaultRouteTable => cx.route_table(r, diags),
            Kind::DefaultNetworkAcl | Kind::NetworkAcl => super::network_acl::check(r, diags),
            Kind::SecurityGroup | Kind::DefaultSecurityGroup => cx.security_group(r, diags),
            Kind::LoadBalancer => {
                cx.load_balancer(r, diags);
                let bucket = |attr: &str| cx.target(r.body.value(attr), Kind::S3Bucket);
                super::s3::log_buckets(r, bucket, diags);
            }
            Kind::TargetGroup => cx.target_group(r, diags),
            Kind::Listener => {
                cx.listener(r, diags);
                super::actions::check(r, diags);
                super::rules::check(r, diags);
            }
            Kind::ListenerRule => super::rules::standalone(r, diags),
            Kind::SecurityGroupRule => {
                super::sg_rules::standalone(r, diags);
                let group = cx.target(r.body.value("security_group"), Kind::SecurityGroup);
                super::sg_rules::duplicates_default(group, r, diags);
            }
            Kind::LogGroup => {
                cx.log_group(r, diags);
                super::metric_filters::check(r, diags);
            }
            Kind::Role => {
                cx.role(r, diags);
                super::iam::check(r, diags);
                super::managed_policy::attached(r, diags);
            }
            Kind::ManagedPolicy => {
                super::managed_policy::check(r, diags);
                super::iam::path(r, diags);
            }
            Kind::TaskDefinition => {
                cx.task_definition(r, diags);
                super::containers::check(r, diags);
            }
            Kind::Service => {
                cx.service(r, diags);
                super::capacity::service(cx.target(r.body.value("cluster"), Kind::Cluster), r, diags);
                super::scaling::check(r, diags);
                super::discovery::registries(stack, r, diags);
                super::connect::check(stack, r, diags);
            }
            Kind::Cluster => {
                super::capacity::cluster(stack, r, diags);
                super::connect::cluster(r, diags);
                super::execute_command::check(r, diags);
            }
            Kind::InternetGateway | Kind::ElasticIp | Kind::NatGateway => {}
            Kind::VpcEndpoint => super::network::endpoint(stack, r, diags),
            Kind::EcrRepository => super::ecr::check(r, diags),
            Kind::DnsNamespace => super::discovery::namespace(r, diags),
            Kind::DiscoveryService => {
                super::discovery::service(r, diags);
                super::discovery::service_namespace(cx.stack, r, diags);
            }
            Kind::HostedZone => super::dns::zone(r, diags),
            Kind::DnsRecord => super::dns::record(stack, r, diags),
            Kind::SsmParameter => super::ssm::check(r, diags),
            Kind::MetricAlarm => super::alarms::check(stack, r, diags),
            Kind::Secret => super::secrets::check(r, diags),
            Kind::Certificate => super::certificates::check(stack, r, diags),
            Kind::KmsKey => super::kms::check(stack, r, diags),
            Kind::FlowLog => super::flow_logs::check(stack, r, diags),
            Kind::SnsTopic => super::sns::check(r, diags),
            Kind::S3Bucket => super::s3::check(r, diags),
            Kind::SqsQueue => super::sqs::check(stack, r, diags),
            Kind::EventRule => super::events::check(r, diags),
            Kind::EfsFileSystem => super::efs::file_system(stack, r, diags),
            Kind::EfsAccessPoint => super::efs::access_point(r, diags),
        }
        super::kms::user(stack, r, diags);
        super::tags::check(r, diags);
    }
    cx.overlapping_subnets(diags);
    cx.taken_over(diags);
    cx.network_acl_subnets(diags);
    cx.subnets_listed_once(Kind::NetworkAcl, ("E0649", "network ACL"), diags);
    cx.subnets_listed_once(Kind::RouteTable, ("E0650", "route table"), diags);
    cx.listener_ports(diags);
    cx.standalone_rule_priorities(diags);
    super::sg_rules::twins(stack, diags);
    super::network::shared_elastic_ips(stack, diags);
    super::names::check(stack, diags);
    super::managed_policy::names(stack, diags);
    super::connect::namespaces(stack, diags);
}

struct Context<'s> {
    stack: &'s Stack,
    /// The VPCs of the stack that have an internet gateway, found once:
    /// asking per load balancer made validate quadratic.
    gateway_vpcs: BTreeSet<Address>,
}

/// The VPCs an `internet_gateway` of the stack is attached to.
fn gateway_vpcs(stack: &Stack) -> BTreeSet<Address> {
    stack
        .resources
        .iter()
        .filter(|g| g.kind() == Kind::InternetGateway)
        .filter_map(|g| match g.body.value("vpc")? {
            DesiredValue::Ref(r) if r.address.kind == Kind::Vpc => Some(r.address.clone()),
            _ => None,
        })
        .collect()
}

/// Log retention periods CloudWatch Logs accepts.
const RETENTION_DAYS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

pub(super) fn int(body: &DesiredBody, name: &str) -> Option<(i64, Span)> {
    Some((body.known(name)?.as_int()?, body.span(name)?))
}

/// A setting's value as the providers' shared rules read it: known, or
/// [`Value::Unknown`] when given but known only after apply (a
/// dead-letter queue's ARN is still given).
pub(super) fn given<'b>(body: &'b DesiredBody) -> impl Fn(&str) -> Option<&'b Value> {
    static UNKNOWN: Value = Value::Unknown;
    move |attr| body.known(attr).or_else(|| body.value(attr).map(|_| &UNKNOWN))
}

pub(super) fn string<'b>(body: &'b DesiredBody, name: &str) -> Option<(&'b str, Span)> {
    Some((body.known(name)?.as_str()?, body.span(name)?))
}

/// E0521 when `name` of `body` is a string none of `allowed` (any case):
/// "unknown WHAT `VALUE`", labelled with what is allowed.
pub(super) fn unknown_value(
    body: &DesiredBody,
    name: &str,
    what: &str,
    allowed: &[&str],
) -> Option<Diagnostic> {
    let (value, span) = string(body, name)?;
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) {
        return None;
    }
    let list = match allowed {
        [rest @ .., last] if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => allowed.join(""),
    };
    Some(Diagnostic::error("E0521", format!("unknown {what} `{value}`"), span).label(format!("not {list}")))
}

/// What a case-sensitive service takes for one attribute: its name in
/// messages, the code of a wrong case, and the values.
pub(super) struct CaseSensitive<'a> {
    pub service: &'a str,
    pub code: &'static str,
    pub allowed: &'a [&'a str],
}

/// E0521 for a value of `name` outside the allowed ones; the service's
/// code for one of them in another case (SSM refuses `securestring`,
/// CloudWatch `average`).
pub(super) fn spelled(
    body: &DesiredBody,
    name: &str,
    what: &str,
    spelling: &CaseSensitive<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let CaseSensitive {
        service,
        code,
        allowed,
    } = spelling;
    if let Some(d) = unknown_value(body, name, what, allowed) {
        diags.push(d);
    } else if let Some((value, span)) = string(body, name)
        && let Some(right) = allowed
            .iter()
            .find(|a| **a != value && a.eq_ignore_ascii_case(value))
    {
        diags.push(
            Diagnostic::error(
                code,
                format!("{service} spells {what} `{value}` as `{right}`"),
                span,
            )
            .label(format!("{service} tells cases apart"))
            .help(format!("write `{right}`")),
        );
    }
}

/// Why `text` is not the ARN of a KMS key, `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`.
fn kms_key_arn_problem(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, partition, service, region, account, rest] = parts[..] else {
        return Some("not of the form arn:aws:kms:REGION:ACCOUNT:key/ID".to_owned());
    };
    if arn != "arn" || !partition.starts_with("aws") || service != "kms" || region.is_empty() {
        return Some("not a KMS ARN (arn:aws:kms:REGION:...)".to_owned());
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("account id `{account}` is not 12 digits"));
    }
    match rest.split_once('/') {
        Some(("key", id)) if !id.is_empty() => None,
        Some(("alias", _)) => Some("an alias, not a key".to_owned()),
        _ => Some("expected `key/ID` after the account id".to_owned()),
    }
}

/// Why `text` is not the ARN of an IAM role (`resource` = "role") or
/// managed policy ("policy"): `arn:PARTITION:iam::ACCOUNT:TYPE/NAME`, where
/// ACCOUNT is 12 digits (or `aws` for AWS's own policies).
fn iam_arn_problem(text: &str, resource: &str) -> Option<String> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, partition, service, region, account, rest] = parts[..] else {
        return Some(format!("not of the form arn:aws:iam::ACCOUNT:{resource}/NAME"));
    };
    if arn != "arn" || !partition.starts_with("aws") || service != "iam" {
        return Some("not an IAM ARN (arn:aws:iam::...)".to_owned());
    }
    if !region.is_empty() {
        return Some("IAM ARNs have no region".to_owned());
    }
    let aws_owned = resource == "policy" && account == "aws";
    if !aws_owned && (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit())) {
        return Some(format!("account id `{account}` is not 12 digits"));
    }
    match rest.split_once('/') {
        Some((kind, name)) if kind == resource && !name.is_empty() && !name.contains(char::is_whitespace) => {
            None
        }
        _ => Some(format!("expected `{resource}/NAME` after the account id")),
    }
}

/// Reports a known string given for a role reference that is not a role ARN.
fn role_arn(body: &DesiredBody, name: &str, diags: &mut Vec<Diagnostic>) {
    if let Some((text, span)) = string(body, name)
        && let Some(problem) = iam_arn_problem(text, "role")
    {
        diags.push(
            Diagnostic::error("E0517", format!("`{text}` is not a role ARN"), span)
                .label(problem)
                .help(
                    "refer to a role of the stack by itself or its ARN (`role.NAME`, `aws_iam_role.NAME.arn`; \
                     its `name`, CloudFormation's `!Ref`, is not an ARN) or write \"arn:aws:iam::123456789012:role/NAME\"",
                ),
        );
    }
}

impl<'s> Context<'s> {
    /// The declared `kind` resource a reference attribute points at (none
    /// when it points at another kind: that is a type error, reported
    /// apart).
    fn target(&self, value: Option<&DesiredValue>, kind: Kind) -> Option<&'s DesiredResource> {
        match value? {
            DesiredValue::Ref(r) if r.address.kind == kind => self.stack.resource(&r.address),
            // Named by the name it is written with (`cluster =
            // aws_ecs_cluster.this.name`, known before apply).
            DesiredValue::Known(Value::String(name)) => self.stack.resources.iter().find(|r| {
                r.kind() == kind && r.body.known("name").and_then(Value::as_str) == Some(name.as_str())
            }),
            _ => None,
        }
    }

    /// The declared `kind` resources a list-of-references attribute points at.
    fn targets(&self, value: Option<&DesiredValue>, kind: Kind) -> Vec<&'s DesiredResource> {
        match value {
            Some(DesiredValue::List(items)) => {
                items.iter().filter_map(|i| self.target(Some(i), kind)).collect()
            }
            _ => Vec::new(),
        }
    }

    fn vpc(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        if let Some((cidr, span)) = string(&r.body, "cidr")
            && let Ok(net) = cidr.parse::<Ipv4Net>()
            && !(16..=28).contains(&net.prefix_len())
        {
            diags.push(
                Diagnostic::error(
                    "E0510",
                    format!("a VPC's CIDR block must be /16 to /28, not /{}", net.prefix_len()),
                    span,
                )
                .label("prefix length out of range")
                .help("AWS rejects larger or smaller VPCs; e.g. \"10.0.0.0/16\""),
            );
        }
    }

    fn subnet(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        let Some((cidr, span)) = string(&r.body, "cidr") else {
            return;
        };
        let Ok(net) = cidr.parse::<Ipv4Net>() else { return };
        if !(16..=28).contains(&net.prefix_len()) {
            diags.push(
                Diagnostic::error(
                    "E0510",
                    format!(
                        "a subnet's CIDR block must be /16 to /28, not /{}",
                        net.prefix_len()
                    ),
                    span,
                )
                .label("prefix length out of range")
                .help("AWS rejects larger or smaller subnets; e.g. \"10.0.1.0/24\""),
            );
        }
        if let Some(vpc) = self.target(r.body.value("vpc"), Kind::Vpc)
            && let Some((vpc_cidr, vpc_span)) = string(&vpc.body, "cidr")
            && let Ok(vpc_net) = vpc_cidr.parse::<Ipv4Net>()
            && !vpc_net.contains(&net)
        {
            diags.push(
                Diagnostic::error(
                    "E0502",
                    format!("subnet {cidr} is outside its VPC's {vpc_cidr}"),
                    span,
                )
                .label("not inside the VPC's range")
                .also(vpc_span, format!("{} is {vpc_cidr}", vpc.address))
                .help("pick a range inside the VPC's CIDR block, e.g. with cidrsubnet(vpc.NAME.cidr, 8, N)"),
            );
        }
        if let Some((zone, zone_span)) = string(&r.body, "zone")
            && !zone.starts_with(&self.stack.region)
        {
            diags.push(
                Diagnostic::error(
                    "E0523",
                    format!("zone `{zone}` is not in the stack's region {}", self.stack.region),
                    zone_span,
                )
                .label("another region's zone")
                .help(format!(
                    "use a zone of {}, e.g. \"{}a\"",
                    self.stack.region, self.stack.region
                )),
            );
        } else if let Some((zone, zone_span)) = string(&r.body, "zone")
            && zone == self.stack.region
        {
            // lacework's `availability_zone = data.aws_region.current.name`:
            // AWS refuses it at CreateSubnet, half-way through an apply.
            diags.push(
                Diagnostic::error("E0523", format!("zone `{zone}` is the region, not one of its zones"), zone_span)
                    .label("a region")
                    .help(format!(
                        "name a zone of it, e.g. \"{zone}a\", or `element(availability_zones(), 0)` (Terraform's `data.aws_availability_zones`)"
                    )),
            );
        }
    }

    fn overlapping_subnets(&self, diags: &mut Vec<Diagnostic>) {
        let mut by_vpc: BTreeMap<Address, Vec<(&DesiredResource, Ipv4Net, Span)>> = BTreeMap::new();
        for r in self.stack.resources.iter().filter(|r| r.kind() == Kind::Subnet) {
            let (Some(vpc), Some((cidr, span))) = (
                self.target(r.body.value("vpc"), Kind::Vpc),
                string(&r.body, "cidr"),
            ) else {
                continue;
            };
            if let Ok(net) = cidr.parse::<Ipv4Net>() {
                by_vpc
                    .entry(vpc.address.clone())
                    .or_default()
                    .push((r, net, span));
            }
        }
        for subnets in by_vpc.values() {
            for (i, (a, net_a, span_a)) in subnets.iter().enumerate() {
                for (b, net_b, span_b) in &subnets[i + 1..] {
                    if net_a.contains(&net_b.network()) || net_b.contains(&net_a.network()) {
                        diags.push(
                            Diagnostic::error(
                                "E0503",
                                format!("subnets {} and {} overlap", a.address, b.address),
                                *span_b,
                            )
                            .label(format!("{net_b} overlaps {net_a}"))
                            .also(*span_a, format!("{} is {net_a}", a.address))
                            .help("subnets of one VPC need disjoint ranges"),
                        );
                    }
                }
            }
        }
    }

    fn route_table(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        super::network::routes(r, diags);
        let mut destinations: BTreeMap<Ipv4Net, Span> = BTreeMap::new();
        for route in r.body.blocks("route") {
            if let Some((cidr, span)) = string(&route.body, "cidr")
                && let Ok(net) = cidr.parse::<Ipv4Net>()
                && let Some(first) = destinations.insert(net, span)
            {
                diags.push(
                    Diagnostic::error("E0522", format!("two routes of {} go to {net}", r.address), span)
                        .label("same destination again")
                        .also(first, "first route here")
                        .help("a route table has one route per destination; remove one"),
                );
            }
        }
        let vpc = self.target(r.body.value("vpc"), Kind::Vpc).map(|v| &v.address);
        for subnet in self.targets(r.body.value("subnets"), Kind::Subnet) {
            let subnet_vpc = self
                .target(subnet.body.value("vpc"), Kind::Vpc)
                .map(|v| &v.address);
            if let (Some(a), Some(b), Some(span)) = (vpc, subnet_vpc, r.body.span("subnets"))
                && a != b
            {
                diags.push(
                    Diagnostic::error(
                        "E0518",
                        format!("{} is in {b}, but the route table is in {a}", subnet.address),
                        span,
                    )
                    .label("subnet of another VPC")
                    .help("a route table can only be associated with subnets of its own VPC"),
                );
            }
        }
    }

    /// E0649 for a subnet a `network_acl` of another VPC lists: a subnet
    /// uses an ACL of its VPC.
    fn network_acl_subnets(&self, diags: &mut Vec<Diagnostic>) {
        for acl in self
            .stack
            .resources
            .iter()
            .filter(|r| r.kind() == Kind::NetworkAcl)
        {
            let Some(span) = acl.body.span("subnets") else {
                continue;
            };
            let vpc = self.target(acl.body.value("vpc"), Kind::Vpc).map(|v| &v.address);
            for subnet in self.targets(acl.body.value("subnets"), Kind::Subnet) {
                let subnet_vpc = self
                    .target(subnet.body.value("vpc"), Kind::Vpc)
                    .map(|v| &v.address);
                if let (Some(a), Some(b)) = (vpc, subnet_vpc)
                    && a != b
                {
                    diags.push(
                        Diagnostic::error(
                            "E0649",
                            format!("{} is in {b}, but {} is in {a}", subnet.address, acl.address),
                            span,
                        )
                        .label("subnet of another VPC")
                        .help("a network ACL can only be used by subnets of its own VPC"),
                    );
                }
            }
        }
    }

    /// `code` for a subnet the `subnets` of two resources of `kind` list
    /// (`what`: what a subnet uses one of): each apply would move it to
    /// the other.
    fn subnets_listed_once(
        &self,
        kind: Kind,
        (code, what): (&'static str, &str),
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut first: BTreeMap<&Address, &Address> = BTreeMap::new();
        for holder in self.stack.resources.iter().filter(|r| r.kind() == kind) {
            let Some(span) = holder.body.span("subnets") else {
                continue;
            };
            for subnet in self.targets(holder.body.value("subnets"), Kind::Subnet) {
                if let Some(other) = first.insert(&subnet.address, &holder.address)
                    && other != &holder.address
                {
                    diags.push(
                        Diagnostic::error(
                            code,
                            format!("{} is listed by {other} and {}", subnet.address, holder.address),
                            span,
                        )
                        .label(format!("its second {what}"))
                        .help(format!(
                            "a subnet uses one {what}: list it in one `{kind}`'s `subnets`"
                        )),
                    );
                }
            }
        }
    }

    /// E0647 for a second `default_security_group`, `default_route_table`
    /// or `default_network_acl` of one VPC: AWS makes one of each per VPC,
    /// and two blocks would each undo the other's rules, routes or entries
    /// on every apply.
    fn taken_over(&self, diags: &mut Vec<Diagnostic>) {
        let mut first: BTreeMap<(Kind, &Address), &DesiredResource> = BTreeMap::new();
        for r in self.stack.resources.iter().filter(|r| r.kind().taken_over()) {
            let Some(DesiredValue::Ref(vpc)) = r.body.value("vpc") else {
                continue;
            };
            let Some(span) = r.body.span("vpc") else { continue };
            let (what, parts) = match r.kind() {
                Kind::DefaultRouteTable => ("main route table", "routes"),
                Kind::DefaultNetworkAcl => ("default network ACL", "entries"),
                _ => ("default security group", "rules"),
            };
            match first.get(&(r.kind(), &vpc.address)) {
                Some(other) => diags.push(
                    Diagnostic::error("E0647", format!("{} has one {what}", vpc.address), span)
                        .label("its second")
                        .help(format!(
                            "{} takes it over already: write the {parts} of both in that block",
                            other.address
                        )),
                ),
                None => {
                    first.insert((r.kind(), &vpc.address), r);
                }
            }
        }
    }

    fn security_group(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        for direction in ["ingress", "egress"] {
            for rule in r.body.blocks(direction) {
                super::sg_rules::check(direction, rule, diags);
            }
        }
    }

    fn load_balancer(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        super::load_balancer_types::load_balancer(r, diags);
        let modes = [
            ("desync_mitigation_mode", ["monitor", "defensive", "strictest"]),
            ("xff_header_processing", ["append", "preserve", "remove"]),
        ];
        for (name, allowed) in modes {
            diags.extend(unknown_value(&r.body, name, name, &allowed));
        }
        for logs in ["access_logs", "connection_logs"] {
            let bucket = format!("{logs}_bucket");
            if r.body.known(logs) == Some(&Value::Bool(true))
                && r.body.value(&bucket).is_none()
                && let Some(span) = r.body.span(logs)
            {
                let what = logs.replace('_', " ");
                diags.push(
                    Diagnostic::error("E0630", format!("{what} turned on with nowhere to go"), span)
                        .label(format!("no `{bucket}`"))
                        .help(format!("name the S3 bucket: `{bucket} = \"my-logs\"`")),
                );
            }
        }
        let subnets = self.targets(r.body.value("subnets"), Kind::Subnet);
        let Some(span) = r.body.span("subnets") else {
            return;
        };
        let zones: Vec<&str> = subnets
            .iter()
            .filter_map(|s| string(&s.body, "zone").map(|z| z.0))
            .collect();
        let mut distinct = zones.clone();
        distinct.sort();
        distinct.dedup();
        let all_known =
            zones.len() == subnets.len() && matches!(r.body.value("subnets"), Some(DesiredValue::List(_)));
        // A Network Load Balancer may live in one zone.
        if all_known && distinct.len() < 2 && !super::load_balancer_types::is_network(r) {
            let found = if distinct.is_empty() {
                "no zone".to_owned()
            } else {
                format!("only {}", distinct.join(", "))
            };
            diags.push(
                Diagnostic::error(
                    "E0505",
                    "an Application Load Balancer needs subnets in at least two availability zones",
                    span,
                )
                .label(found)
                .help("add a subnet in a second zone"),
            );
        }
        let vpcs: Vec<&Address> = subnets
            .iter()
            .filter_map(|s| self.target(s.body.value("vpc"), Kind::Vpc).map(|v| &v.address))
            .collect();
        if vpcs.windows(2).any(|w| w[0] != w[1]) {
            diags.push(
                Diagnostic::error("E0518", "a load balancer's subnets must all be in one VPC", span)
                    .label("subnets of different VPCs"),
            );
        }
        let internal = r.body.known("internal").and_then(Value::as_bool).unwrap_or(false);
        if let Some(vpc) = vpcs.first()
            && !internal
            && !self.gateway_vpcs.contains(*vpc)
        {
            diags.push(
                Diagnostic::error(
                    "E0531",
                    format!("an internet-facing load balancer needs an internet gateway in {vpc}"),
                    r.span,
                )
                .label(format!("{vpc} has no `internet_gateway`"))
                .help(format!(
                    "add `internet_gateway NAME {{ vpc = {vpc} }}`, or set `internal = true`"
                )),
            );
        }
    }

    fn target_group(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        super::health_checks::check(r, diags);
        super::load_balancer_types::target_group(r, diags);
        let types = ["instance", "ip", "lambda", "alb"];
        if let Some(d) = unknown_value(&r.body, "target_type", "target_type", &types) {
            diags.push(d.help("Fargate services need \"ip\""));
        }
        if let Some((p, span)) = string(&r.body, "protocol")
            && !berth_provider::elb::is_protocol(p)
        {
            diags.push(
                Diagnostic::error(
                    "E0521",
                    format!("protocol `{p}` is not valid for a target group"),
                    span,
                )
                .label("not HTTP, HTTPS, TCP, UDP, TCP_UDP or TLS"),
            );
        }
        let algorithms = ["round_robin", "least_outstanding_requests", "weighted_random"];
        diags.extend(unknown_value(
            &r.body,
            "algorithm",
            "load balancing algorithm",
            &algorithms,
        ));
        if let Some((seconds, span)) = int(&r.body, "slow_start")
            && (1..30).contains(&seconds)
        {
            diags.push(
                Diagnostic::error("E0521", format!("a slow start of {seconds} seconds"), span)
                    .label("ELBv2 takes 0 (off) or 30 to 900")
                    .help("write `slow_start = 30`, or leave it out"),
            );
        }
        for hc in r.body.blocks("health_check") {
            if let (Some((timeout, span)), Some((interval, _))) =
                (int(&hc.body, "timeout"), int(&hc.body, "interval"))
                && timeout >= interval
            {
                diags.push(
                    Diagnostic::error(
                        "E0521",
                        "the health check timeout must be shorter than its interval",
                        span,
                    )
                    .label(format!("{timeout}s timeout, {interval}s interval")),
                );
            }
            if let Some((path, span)) = string(&hc.body, "path")
                && !path.starts_with('/')
            {
                diags.push(
                    Diagnostic::error("E0521", "a health check path starts with `/`", span)
                        .label("no leading slash")
                        .help(format!("write \"/{path}\"")),
                );
            }
        }
    }

    fn listener(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        let secure = |p: &str| ["HTTPS", "TLS"].iter().any(|x| x.eq_ignore_ascii_case(p));
        if let Some((proto, span)) = string(&r.body, "protocol") {
            if !berth_provider::elb::is_protocol(proto) {
                diags.push(
                    Diagnostic::error(
                        "E0511",
                        format!("protocol `{proto}` is not valid on a listener"),
                        span,
                    )
                    .label("not HTTP, HTTPS, TCP, UDP, TCP_UDP or TLS"),
                );
            } else if secure(proto) && r.body.value("certificate").is_none() {
                let upper = proto.to_ascii_uppercase();
                let article = if upper == "HTTPS" { "an" } else { "a" };
                diags.push(
                    Diagnostic::error(
                        "E0511",
                        format!("{article} {upper} listener needs a certificate"),
                        span,
                    )
                    .label(format!("{upper} without `certificate`"))
                    .help("add `certificate = \"arn:aws:acm:...\"`"),
                );
            }
        }
        if string(&r.body, "protocol").is_none_or(|(p, _)| berth_provider::elb::is_protocol(p)) {
            let lb = self.target(r.body.value("load_balancer"), Kind::LoadBalancer);
            super::load_balancer_types::listener(r, lb, &self.forwarded_groups(r), diags);
        }
        let https = string(&r.body, "protocol").is_some_and(|(p, _)| secure(p));
        if let (Some(Value::List(extra)), Some(span)) =
            (r.body.known("certificates"), r.body.span("certificates"))
        {
            if !extra.is_empty() && !https {
                diags.push(
                    Diagnostic::error("E0511", "only an HTTPS or TLS listener takes certificates", span)
                        .label("this listener is not HTTPS or TLS")
                        .help("set `protocol = \"HTTPS\"` and a default `certificate`, or remove `certificates`"),
                );
            } else if extra.len() >= 25 {
                diags.push(
                    Diagnostic::error(
                        "E0511",
                        format!("{} certificates besides the default", extra.len()),
                        span,
                    )
                    .label("ELB takes at most 25 in all")
                    .help("serve more host names with fewer certificates (SANs, wildcards)"),
                );
            }
        }
        let mut priorities: BTreeMap<i64, &DesiredBlock> = BTreeMap::new();
        for rule in r.body.blocks("rule") {
            if let Some((p, span)) = int(&rule.body, "priority")
                && let Some(first) = priorities.insert(p, rule)
            {
                let name = |b: &DesiredBlock| {
                    b.label
                        .as_ref()
                        .map_or(String::new(), |l| format!(" `{}`", l.node))
                };
                diags.push(
                    Diagnostic::error(
                        "E0506",
                        format!("two rules of {} have priority {p}", r.address),
                        span,
                    )
                    .label(format!("rule{} repeats it", name(rule)))
                    .also(first.span, format!("rule{} has it", name(first)))
                    .help("priorities are unique within a listener"),
                );
            }
        }
    }

    /// E0506 for a `listener_rule` taking a priority another rule of its
    /// listener (one of the stack, or the same ARN) holds: nested or
    /// standalone.
    fn standalone_rule_priorities(&self, diags: &mut Vec<Diagnostic>) {
        let mut taken: BTreeMap<(String, i64), DesiredBlock> = BTreeMap::new();
        for r in &self.stack.resources {
            if r.kind() == Kind::Listener {
                for rule in r.body.blocks("rule") {
                    if let Some((p, _)) = int(&rule.body, "priority") {
                        taken
                            .entry((r.address.to_string(), p))
                            .or_insert_with(|| rule.clone());
                    }
                }
            }
        }
        for r in self
            .stack
            .resources
            .iter()
            .filter(|r| r.kind() == Kind::ListenerRule)
        {
            let listener = match r.body.value("listener") {
                Some(DesiredValue::Ref(t)) => t.address.to_string(),
                Some(DesiredValue::Known(Value::String(arn))) => arn.clone(),
                _ => continue,
            };
            let Some((p, span)) = int(&r.body, "priority") else {
                continue;
            };
            let rule = super::rules::as_block(r);
            match taken.get(&(listener.clone(), p)) {
                Some(first) => {
                    let name = first.label.as_ref().map_or("", |l| l.node.as_str());
                    diags.push(
                        Diagnostic::error(
                            "E0506",
                            format!("two rules of {listener} have priority {p}"),
                            span,
                        )
                        .label(format!("{} repeats it", r.address))
                        .also(first.span, format!("rule `{name}` has it"))
                        .help("priorities are unique within a listener"),
                    );
                }
                None => {
                    taken.insert((listener, p), rule);
                }
            }
        }
    }

    /// The stack's target groups a listener forwards to: by default, by
    /// weight, or through its rules.
    fn forwarded_groups(&self, r: &DesiredResource) -> Vec<&'s DesiredResource> {
        fn forwards<'b>(body: &'b DesiredBody, attr: &str) -> Vec<Option<&'b DesiredValue>> {
            let mut values = vec![body.value(attr)];
            values.extend(
                body.blocks("weighted_forward")
                    .iter()
                    .map(|w| w.body.value("target_group")),
            );
            values
        }
        let mut values = forwards(&r.body, "default");
        for rule in r.body.blocks("rule") {
            values.extend(forwards(&rule.body, "forward"));
        }
        values
            .into_iter()
            .filter_map(|v| self.target(v, Kind::TargetGroup))
            .collect()
    }

    fn log_group(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        // 0 is Terraform's "never expire", the same as leaving it out.
        if let Some((days, span)) = int(&r.body, "retention_days")
            && days != 0
            && !RETENTION_DAYS.contains(&days)
        {
            let nearest = RETENTION_DAYS
                .iter()
                .min_by_key(|d| d.abs_diff(days))
                .copied()
                .unwrap_or(1);
            diags.push(
                Diagnostic::error(
                    "E0513",
                    format!("CloudWatch Logs does not offer a {days}-day retention"),
                    span,
                )
                .label("not an allowed retention")
                .help(format!("the nearest allowed value is {nearest}")),
            );
        }
        if let Some((key, span)) = string(&r.body, "kms_key")
            && let Some(problem) = kms_key_arn_problem(key)
        {
            diags.push(
                Diagnostic::error("E0629", format!("`{key}` is not the ARN of a KMS key"), span)
                    .label(problem)
                    .help("CloudWatch Logs takes a key's ARN, `arn:aws:kms:REGION:ACCOUNT:key/ID` (not an alias)"),
            );
        }
        let classes = ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"];
        diags.extend(unknown_value(&r.body, "class", "log group class", &classes));
    }

    fn role(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        // Known ARNs, besides references to the stack's managed policies.
        let known: Vec<&Value> = match r.body.value("policies") {
            Some(DesiredValue::Known(Value::List(policies))) => policies.iter().collect(),
            Some(DesiredValue::List(items)) => items
                .iter()
                .filter_map(|i| match i {
                    DesiredValue::Known(v) => Some(v),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let policies = r
            .body
            .span("policies")
            .into_iter()
            .flat_map(|span| known.iter().filter_map(|p| p.as_str()).map(move |p| (p, span)));
        let boundary = string(&r.body, "permissions_boundary");
        for (p, span) in policies.chain(boundary) {
            if let Some(problem) = iam_arn_problem(p, "policy") {
                diags.push(
                    Diagnostic::error("E0517", format!("`{p}` is not a managed policy ARN"), span)
                        .label(problem)
                        .help(
                            "e.g. \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"",
                        ),
                );
            }
        }
    }

    fn task_definition(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        // Fargate's, and EC2's beside it (a revision either may run, as
        // ecspresso's and many modules' are registered).
        if let (Some(Value::List(items)), Some(span)) = (
            r.body.known("requires_compatibilities"),
            r.body.span("requires_compatibilities"),
        ) {
            let written: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            let fargate = written.iter().any(|c| c.eq_ignore_ascii_case("FARGATE"));
            let other = written
                .iter()
                .find(|c| !(c.eq_ignore_ascii_case("FARGATE") || fargate && c.eq_ignore_ascii_case("EC2")));
            if let Some(other) = other {
                diags.push(
                    Diagnostic::error("E0521", format!("unknown compatibility `{other}`"), span)
                        .label("berth registers task definitions for Fargate")
                        .help("write `[\"FARGATE\"]` (or `[\"EC2\", \"FARGATE\"]`) or leave it out: ECS on EC2 alone and external instances are not written"),
                );
            }
        }
        if let (Some((cpu, cpu_span)), Some((memory, mem_span))) =
            (int(&r.body, "cpu"), int(&r.body, "memory"))
        {
            match berth_provider::fargate::memory_sizes(cpu) {
                None => diags.push(
                    Diagnostic::error("E0504", format!("{cpu} is not a Fargate CPU size"), cpu_span)
                        .label("invalid cpu")
                        .help("Fargate tasks take 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units"),
                ),
                Some(allowed) if !allowed.contains(&memory) => diags.push(
                    Diagnostic::error(
                        "E0504",
                        format!("Fargate has no task size with {cpu} CPU units and {memory} MiB"),
                        mem_span,
                    )
                    .label("invalid memory for this cpu")
                    .also(cpu_span, format!("cpu is {cpu}"))
                    .help(format!(
                        "with cpu = {cpu}, memory is one of {}",
                        allowed.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                    )),
                ),
                Some(_) => {
                    // Checked: a sum too large for i64 holds numbers the
                    // range check already refuses.
                    // A container's memory is its hard limit, else its
                    // reservation (what ECS sums against the task's).
                    let reserved = |c: &crate::stack::DesiredBlock| {
                        int(&c.body, "memory")
                            .or_else(|| int(&c.body, "memory_reservation"))
                            .map(|m| m.0)
                    };
                    let containers = r.body.blocks("container");
                    let memory_sum: Option<i64> = containers
                        .iter()
                        .filter_map(reserved)
                        .try_fold(0i64, i64::checked_add);
                    if let Some(sum) = memory_sum
                        && sum > memory
                    {
                        diags.push(
                            Diagnostic::error(
                                "E0520",
                                format!("containers reserve {sum} MiB but the task has {memory} MiB"),
                                mem_span,
                            )
                            .label("less than its containers' memory")
                            .help("raise the task's memory or lower the containers'"),
                        );
                    }
                    let cpu_sum: Option<i64> = containers
                        .iter()
                        .filter_map(|c| int(&c.body, "cpu").map(|n| n.0))
                        .try_fold(0i64, i64::checked_add);
                    if let Some(sum) = cpu_sum
                        && sum > cpu
                    {
                        diags.push(
                            Diagnostic::error(
                                "E0520",
                                format!("containers reserve {sum} CPU units but the task has {cpu}"),
                                cpu_span,
                            )
                            .label("less than its containers' cpu")
                            .help("raise the task's cpu or lower the containers' (a sidecar's counts too)"),
                        );
                    }
                }
            }
        }
        if let Some((mode, span)) = string(&r.body, "network_mode")
            && !mode.eq_ignore_ascii_case("awsvpc")
        {
            diags.push(
                Diagnostic::error(
                    "E0524",
                    format!("Fargate tasks need network_mode \"awsvpc\", not \"{mode}\""),
                    span,
                )
                .label("not supported on Fargate"),
            );
        }
        let containers = r.body.blocks("container");
        let names: Vec<&str> = containers
            .iter()
            .filter_map(|c| c.label.as_ref().map(|l| l.node.as_str()))
            .collect();
        for c in containers {
            for dep in c.body.blocks("depends_on") {
                if let Some((other, span)) = string(&dep.body, "container")
                    && !names.contains(&other)
                {
                    let d = Diagnostic::error(
                        "E0516",
                        format!("no container `{other}` in this task definition"),
                        span,
                    )
                    .label("unknown container");
                    diags.push(match crate::suggest::did_you_mean(other, names.iter().copied()) {
                        Some(h) => d.help(h),
                        None => d.help(format!("containers: {}", names.join(", "))),
                    });
                }
            }
            if let Some((image, span)) = string(&c.body, "image")
                && image.trim().is_empty()
            {
                diags.push(
                    Diagnostic::error("E0529", "a container needs an image", span)
                        .label("empty image")
                        .help("e.g. `image = \"public.ecr.aws/nginx/nginx:1.27\"`"),
                );
            }
        }
        self.execution_role(r, diags);
        role_arn(&r.body, "execution_role", diags);
        role_arn(&r.body, "task_role", diags);
        if containers
            .iter()
            .all(|c| c.body.known("essential") == Some(&Value::Bool(false)))
            && !containers.is_empty()
        {
            diags.push(
                Diagnostic::error(
                    "E0516",
                    "a task definition needs at least one essential container",
                    r.span,
                )
                .label("every container has `essential = false`"),
            );
        }
    }

    /// On Fargate, ECS itself reads secrets and ships awslogs output with
    /// the task's execution role: without one, the task cannot start.
    fn execution_role(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        let has_role = r
            .body
            .value("execution_role")
            .is_some_and(|v| *v != DesiredValue::Known(Value::Null));
        if has_role {
            return;
        }
        for c in r.body.blocks("container") {
            let logs = c
                .body
                .value("logs")
                .is_some_and(|v| *v != DesiredValue::Known(Value::Null));
            let filled = |body: &DesiredBody, name: &str| match body.value(name) {
                Some(DesiredValue::Known(Value::Map(m))) => !m.is_empty(),
                Some(DesiredValue::Map(m)) => !m.is_empty(),
                _ => false,
            };
            let secrets = filled(&c.body, "secrets");
            let mut uses = vec![
                (logs, "logs", "write awslogs", c.body.span("logs")),
                (secrets, "secrets", "read secrets", c.body.span("secrets")),
            ];
            let credentials = c
                .body
                .known("repository_credentials")
                .is_some_and(|v| *v != Value::Null);
            uses.push((
                credentials,
                "repository_credentials",
                "read the registry's credentials",
                c.body.span("repository_credentials"),
            ));
            let specs = c
                .body
                .known("credential_specs")
                .and_then(Value::as_list)
                .is_some_and(|l| !l.is_empty());
            uses.push((
                specs,
                "credential_specs",
                "read the CredSpec file",
                c.body.span("credential_specs"),
            ));
            for file in c.body.blocks("environment_file") {
                uses.push((
                    true,
                    "environment_file",
                    "read environment files from S3",
                    Some(file.span),
                ));
            }
            for log in c.body.blocks("log") {
                let awslogs = log.body.known("driver") == Some(&Value::from("awslogs"));
                uses.push((awslogs, "log", "write awslogs", log.body.span("driver")));
                let secret_options = filled(&log.body, "secret_options");
                uses.push((
                    secret_options,
                    "secret_options",
                    "read secret options",
                    log.body.span("secret_options"),
                ));
            }
            for (used, name, what, span) in uses {
                if let (true, Some(span)) = (used, span) {
                    diags.push(
                        Diagnostic::error(
                            "E0526",
                            format!("`{name}` needs the task definition's `execution_role`"),
                            span,
                        )
                        .label(format!("ECS cannot {what} without one"))
                        .also(r.span, "no `execution_role` here")
                        .help("add `execution_role = role.NAME`, a role that `ecs-tasks.amazonaws.com` assumes with AmazonECSTaskExecutionRolePolicy"),
                    );
                }
            }
        }
    }

    /// A load balancer port used by two listeners: AWS refuses the second
    /// (DuplicateListener) after the rest of the stack was created.
    fn listener_ports(&self, diags: &mut Vec<Diagnostic>) {
        let mut seen: BTreeMap<(Address, i64), (&Address, Span)> = BTreeMap::new();
        for r in self.stack.resources.iter().filter(|r| r.kind() == Kind::Listener) {
            let (Some(lb), Some((port, span))) = (
                self.target(r.body.value("load_balancer"), Kind::LoadBalancer),
                int(&r.body, "port"),
            ) else {
                continue;
            };
            if let Some((first, first_span)) = seen.insert((lb.address.clone(), port), (&r.address, span)) {
                diags.push(
                    Diagnostic::error(
                        "E0519",
                        format!(
                            "{} and {first} both listen on port {port} of {}",
                            r.address, lb.address
                        ),
                        span,
                    )
                    .label("port already taken")
                    .also(first_span, format!("{first} listens here"))
                    .help("a load balancer has one listener per port: merge them with `rule` blocks"),
                );
            }
        }
    }

    /// Ports a container exposes: its `port` and its `port_mapping` blocks.
    fn container_ports(container: &DesiredBlock) -> Vec<i64> {
        let mut ports: Vec<i64> = int(&container.body, "port").map(|p| p.0).into_iter().collect();
        ports.extend(
            container
                .body
                .blocks("port_mapping")
                .iter()
                .filter_map(|m| int(&m.body, "container_port").map(|p| p.0)),
        );
        ports
    }

    fn service(&self, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
        if let Some((propagate, span)) = string(&r.body, "propagate_tags")
            && !["SERVICE", "TASK_DEFINITION", "NONE"]
                .iter()
                .any(|v| propagate.eq_ignore_ascii_case(v))
        {
            diags.push(
                Diagnostic::error(
                    "E0563",
                    format!("propagate_tags `{propagate}` is not a tag source"),
                    span,
                )
                .label("ECS answers InvalidParameterException")
                .help("write \"SERVICE\", \"TASK_DEFINITION\" or \"NONE\""),
            );
        }
        // ECS: "subnets must hold 1 to 16 subnets" (an empty list written,
        // or a `data subnets` lookup that matched nothing).
        if let (Some(Value::List(subnets)), Some(span)) = (r.body.known("subnets"), r.body.span("subnets"))
            && !(1..=16).contains(&subnets.len())
        {
            diags.push(
                Diagnostic::error("E0653", format!("a service in {} subnets", subnets.len()), span)
                    .label("ECS takes 1 to 16")
                    .help("give the service's tasks at least one subnet (a lookup of them must match some)"),
            );
        }
        if let Some((launch, span)) = string(&r.body, "launch_type")
            && !launch.eq_ignore_ascii_case("FARGATE")
        {
            diags.push(
                Diagnostic::error("E0528", format!("launch_type `{launch}` is not supported"), span)
                    .label("berth runs services on Fargate only")
                    .help("remove `launch_type` or write \"FARGATE\""),
            );
        }
        let task = self.target(r.body.value("task_definition"), Kind::TaskDefinition);
        for lb in r.body.blocks("load_balancer") {
            if let Some(tg) = self.target(lb.body.value("target_group"), Kind::TargetGroup)
                && let Some(span) = lb.body.span("target_group")
            {
                let tt = tg
                    .body
                    .known("target_type")
                    .and_then(Value::as_str)
                    .unwrap_or("instance");
                if !tt.eq_ignore_ascii_case("ip") {
                    diags.push(
                        Diagnostic::error(
                            "E0509",
                            format!(
                                "{} has target_type \"{tt}\"; Fargate services need \"ip\"",
                                tg.address
                            ),
                            span,
                        )
                        .label("tasks register by IP address")
                        .also(tg.span, "declared here")
                        .help(format!("set `target_type = \"ip\"` in {}", tg.address)),
                    );
                }
            }
            let Some(task) = task else { continue };
            let Some((container, span)) = string(&lb.body, "container") else {
                continue;
            };
            let containers = task.body.blocks("container");
            let found = containers
                .iter()
                .find(|c| c.label.as_ref().is_some_and(|l| l.node == container));
            match found {
                None => {
                    let names: Vec<&str> = containers
                        .iter()
                        .filter_map(|c| c.label.as_ref().map(|l| l.node.as_str()))
                        .collect();
                    let d = Diagnostic::error(
                        "E0507",
                        format!("{} has no container `{container}`", task.address),
                        span,
                    )
                    .label("unknown container")
                    .also(task.span, "task definition declared here");
                    diags.push(
                        match crate::suggest::did_you_mean(container, names.iter().copied()) {
                            Some(h) => d.help(h),
                            None => d.help(format!("its containers: {}", names.join(", "))),
                        },
                    );
                }
                Some(c) => {
                    let ports = Self::container_ports(c);
                    if let Some((port, port_span)) = int(&lb.body, "port")
                        && !ports.contains(&port)
                    {
                        let exposed = if ports.is_empty() {
                            "no ports".to_owned()
                        } else {
                            ports.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                        };
                        diags.push(
                            Diagnostic::error(
                                "E0508",
                                format!(
                                    "container `{container}` of {} does not expose port {port}",
                                    task.address
                                ),
                                port_span,
                            )
                            .label("port not mapped")
                            .also(c.span, format!("`{container}` exposes {exposed}"))
                            .help(format!(
                                "add `port = {port}` to the container, or use one of its ports"
                            )),
                        );
                    }
                }
            }
        }
    }
}
