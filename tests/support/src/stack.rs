//! The provider contract's test kit, shared by the local and AWS suites:
//! desired resources in the shape the planner hands to `create`, a `create`
//! that checks what every provider promises, and the blog stack of the
//! design document, through any [`Provider`].

use std::collections::BTreeMap;

use berth_provider::schema::{Presence, canonical, complete};
use berth_provider::{Address, Attrs, Kind, Provider, Resource, Value};

pub const REGION: &str = "us-east-1";

pub fn s(text: &str) -> Value {
    Value::from(text)
}

pub fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

pub fn map(pairs: &[(&str, Value)]) -> Attrs {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

pub fn block(pairs: &[(&str, Value)]) -> Value {
    Value::Map(map(pairs))
}

pub fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::Map(pairs.iter().map(|(k, v)| ((*k).to_owned(), s(v))).collect())
}

/// The identity value of a created resource (what references evaluate to).
pub fn id(r: &Resource) -> Value {
    r.attrs[r.address.kind.schema().identity].clone()
}

/// `r` with `key` set to `value`, computed attributes kept (the planner
/// hands `update` the full desired attributes).
pub fn with(mut r: Resource, key: &str, value: Value) -> Resource {
    r.attrs.insert(key.to_owned(), value);
    r
}

/// A desired resource `kind.name` with `pairs` and every default filled in,
/// in canonical form: as the planner hands it to a provider.
pub fn desired(kind: Kind, name: &str, pairs: &[(&str, Value)]) -> Resource {
    Resource {
        address: Address::new(kind, name),
        attrs: canonical_attrs(kind, &complete(kind, &map(pairs))),
        created: None,
    }
}

fn canonical_attrs(kind: Kind, attrs: &Attrs) -> Attrs {
    canonical(attrs, &kind.schema().as_block())
}

/// A created resource turned back into a desired one named `name`: its
/// computed attributes dropped.
pub fn renamed(r: &Resource, name: &str) -> Resource {
    let mut out = r.clone();
    out.address.name = name.to_owned();
    for attr in r
        .address
        .kind
        .schema()
        .attrs
        .iter()
        .filter(|a| a.is_settled_by_cloud())
    {
        out.attrs.remove(attr.name);
    }
    out
}

/// Creates `desired` and checks what every provider promises: the result
/// has the same address, holds every desired attribute unchanged (desired
/// values come in the canonical shape `read_all` returns), has every schema
/// attribute, and every computed one known.
pub async fn create(p: &dyn Provider, stack: &str, desired: Resource) -> Resource {
    let created = p
        .create(stack, &desired)
        .await
        .unwrap_or_else(|e| panic!("create {}: {e}", desired.address));
    assert_eq!(created.address, desired.address);
    let schema = desired.address.kind.schema();
    // What AWS chose inside blocks (a mount target's address) is the
    // provider's too.
    let mut wanted = canonical_attrs(desired.address.kind, &desired.attrs);
    berth_provider::attrs::keep_chosen(desired.address.kind, &created.attrs, &mut wanted);
    for (k, v) in canonical_attrs(desired.address.kind, &wanted)
        .iter()
        .filter(|(k, _)| kept(k))
    {
        // A name (or another value AWS chooses) left out is the provider's.
        let chosen = schema
            .attr(k)
            .is_some_and(|a| matches!(a.presence, Presence::Named | Presence::ChosenByAws));
        if chosen && *v == Value::Null {
            continue;
        }
        assert_eq!(created.attrs.get(k), Some(v), "{}.{k}", desired.address);
    }
    for attr in schema.attrs.iter().filter(|a| kept(a.name)) {
        let v = created.attrs.get(attr.name);
        assert!(v.is_some(), "{}.{} missing", desired.address, attr.name);
        if attr.is_settled_by_cloud() {
            assert!(
                v.is_some_and(|v| *v != Value::Null && *v != Value::from("") && !v.has_unknown()),
                "{}.{} not computed: {v:?}",
                desired.address,
                attr.name
            );
        }
    }
    created
}

/// Whether AWS keeps the attribute `k` as written: not the `name_prefix`
/// a name was drawn from (the planner reads it back from the name).
fn kept(k: &str) -> bool {
    k != berth_provider::naming::NAME_PREFIX
}

/// The blog stack of the design document, every kind once, created in
/// dependency order. Returns the created resources by address.
pub async fn apply_blog(p: &dyn Provider, stack: &str) -> BTreeMap<String, Resource> {
    let vpc = create(
        p,
        stack,
        desired(
            Kind::Vpc,
            "main",
            &[
                ("cidr", s("10.0.0.0/16")),
                ("dns_hostnames", Value::Bool(true)),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let subnet = |name: &str, cidr: &str, zone: &str| {
        desired(
            Kind::Subnet,
            name,
            &[
                ("vpc", id(&vpc)),
                ("cidr", s(cidr)),
                ("zone", s(zone)),
                ("public", Value::Bool(true)),
            ],
        )
    };
    let a = create(p, stack, subnet("public_a", "10.0.1.0/24", "us-east-1a")).await;
    let b = create(p, stack, subnet("public_b", "10.0.2.0/24", "us-east-1b")).await;
    let igw = create(
        p,
        stack,
        desired(Kind::InternetGateway, "main", &[("vpc", id(&vpc))]),
    )
    .await;
    let rt = create(
        p,
        stack,
        desired(
            Kind::RouteTable,
            "public",
            &[
                ("vpc", id(&vpc)),
                ("subnets", list(vec![id(&a), id(&b)])),
                (
                    "route",
                    list(vec![block(&[("cidr", s("0.0.0.0/0")), ("gateway", id(&igw))])]),
                ),
            ],
        ),
    )
    .await;
    // Private networking: a NAT gateway in a public subnet, with its
    // Elastic IP, and a private subnet routed to it.
    let eip = create(p, stack, desired(Kind::ElasticIp, "nat", &[])).await;
    let nat = create(
        p,
        stack,
        desired(
            Kind::NatGateway,
            "a",
            &[("subnet", id(&a)), ("elastic_ip", id(&eip))],
        ),
    )
    .await;
    let private = create(
        p,
        stack,
        desired(
            Kind::Subnet,
            "private_a",
            &[
                ("vpc", id(&vpc)),
                ("cidr", s("10.0.3.0/24")),
                ("zone", s("us-east-1a")),
            ],
        ),
    )
    .await;
    let private_rt = create(
        p,
        stack,
        desired(
            Kind::RouteTable,
            "private",
            &[
                ("vpc", id(&vpc)),
                ("subnets", list(vec![id(&private)])),
                (
                    "route",
                    list(vec![block(&[
                        ("cidr", s("0.0.0.0/0")),
                        ("nat_gateway", id(&nat)),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    // The VPC's main route table taken over (terraform-aws-modules/vpc's
    // aws_default_route_table): subnets without a table of their own go
    // out through the NAT gateway.
    let main_rt = create(
        p,
        stack,
        desired(
            Kind::DefaultRouteTable,
            "main",
            &[
                ("vpc", id(&vpc)),
                (
                    "route",
                    list(vec![block(&[
                        ("cidr", s("0.0.0.0/0")),
                        ("nat_gateway", id(&nat)),
                    ])]),
                ),
                ("tags", tags(&[("Name", "blog-main")])),
            ],
        ),
    )
    .await;
    // The VPC's default network ACL taken over
    // (terraform-aws-modules/vpc's aws_default_network_acl): AWS's
    // allow-all entries restated, SSH from anywhere denied before them.
    let entry = |rule: i64, action: &str, protocol: &str, ports: Option<i64>| {
        let mut pairs = vec![
            ("rule_no", Value::Int(rule)),
            ("action", s(action)),
            ("protocol", s(protocol)),
            ("cidr", s("0.0.0.0/0")),
        ];
        if let Some(port) = ports {
            pairs.extend([("from_port", Value::Int(port)), ("to_port", Value::Int(port))]);
        }
        block(&pairs)
    };
    let acl = create(
        p,
        stack,
        desired(
            Kind::DefaultNetworkAcl,
            "main",
            &[
                ("vpc", id(&vpc)),
                (
                    "ingress",
                    list(vec![
                        entry(50, "deny", "tcp", Some(22)),
                        entry(100, "allow", "-1", None),
                    ]),
                ),
                ("egress", list(vec![entry(100, "allow", "-1", None)])),
                ("tags", tags(&[("Name", "blog-default")])),
            ],
        ),
    )
    .await;
    // The private subnet behind a network ACL of its own
    // (terraform-aws-modules/vpc's private_dedicated_network_acl): moved
    // there from the default ACL, HTTP from the VPC and return traffic in.
    let in_vpc = |rule: i64, protocol: &str, ports: Option<(i64, i64)>| {
        let mut pairs = vec![
            ("rule_no", Value::Int(rule)),
            ("action", s("allow")),
            ("protocol", s(protocol)),
            ("cidr", s("10.0.0.0/16")),
        ];
        if let Some((from, to)) = ports {
            pairs.extend([("from_port", Value::Int(from)), ("to_port", Value::Int(to))]);
        }
        block(&pairs)
    };
    let private_acl = create(
        p,
        stack,
        desired(
            Kind::NetworkAcl,
            "private",
            &[
                ("vpc", id(&vpc)),
                ("subnets", list(vec![id(&private)])),
                (
                    "ingress",
                    list(vec![
                        in_vpc(100, "tcp", Some((80, 80))),
                        block(&[
                            ("rule_no", Value::Int(110)),
                            ("action", s("allow")),
                            ("protocol", s("tcp")),
                            ("cidr", s("0.0.0.0/0")),
                            ("from_port", Value::Int(1024)),
                            ("to_port", Value::Int(65_535)),
                        ]),
                    ]),
                ),
                ("egress", list(vec![entry(100, "allow", "-1", None)])),
                ("tags", tags(&[("Name", "blog-private")])),
            ],
        ),
    )
    .await;
    let web = create(
        p,
        stack,
        desired(
            Kind::SecurityGroup,
            "web",
            &[
                ("vpc", id(&vpc)),
                (
                    "ingress",
                    list(vec![block(&[("port", Value::Int(80)), ("cidr", s("0.0.0.0/0"))])]),
                ),
            ],
        ),
    )
    .await;
    let app = create(
        p,
        stack,
        desired(
            Kind::SecurityGroup,
            "app",
            &[
                ("vpc", id(&vpc)),
                (
                    "ingress",
                    list(vec![block(&[("port", Value::Int(3000)), ("from", id(&web))])]),
                ),
                (
                    "egress",
                    list(vec![block(&[
                        ("port", Value::Int(443)),
                        ("cidr", s("0.0.0.0/0")),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    // A rule of its own on the group (Terraform's aws_security_group_rule),
    // which the group's reads and updates leave alone.
    let metrics = create(
        p,
        stack,
        desired(
            Kind::SecurityGroupRule,
            "metrics",
            &[
                ("security_group", id(&app)),
                ("type", s("ingress")),
                ("port", Value::Int(9100)),
                ("from", id(&web)),
                ("tags", tags(&[("team", "ops")])),
            ],
        ),
    )
    .await;
    // The VPC's default group taken over (terraform-aws-modules/vpc's
    // aws_default_security_group): AWS's rules stripped, one declared.
    let default_group = create(
        p,
        stack,
        desired(
            Kind::DefaultSecurityGroup,
            "main",
            &[
                ("vpc", id(&vpc)),
                (
                    "ingress",
                    list(vec![block(&[("port", Value::Int(5432)), ("from", id(&web))])]),
                ),
                ("tags", tags(&[("Name", "blog-default")])),
            ],
        ),
    )
    .await;
    // Private subnets reach S3 and CloudWatch Logs without the NAT gateway.
    let s3 = create(
        p,
        stack,
        desired(
            Kind::VpcEndpoint,
            "s3",
            &[
                ("vpc", id(&vpc)),
                ("service", s(&format!("com.amazonaws.{REGION}.s3"))),
                ("route_tables", list(vec![id(&private_rt)])),
            ],
        ),
    )
    .await;
    let logs_endpoint = create(
        p,
        stack,
        desired(
            Kind::VpcEndpoint,
            "logs",
            &[
                ("vpc", id(&vpc)),
                ("service", s(&format!("com.amazonaws.{REGION}.logs"))),
                ("type", s("Interface")),
                ("subnets", list(vec![id(&private)])),
                ("security_groups", list(vec![id(&app)])),
                ("private_dns", Value::Bool(true)),
            ],
        ),
    )
    .await;
    let lb = create(
        p,
        stack,
        desired(
            Kind::LoadBalancer,
            "web",
            &[
                ("subnets", list(vec![id(&a), id(&b)])),
                ("security_groups", list(vec![id(&web)])),
                ("idle_timeout", Value::Int(120)),
            ],
        ),
    )
    .await;
    let blog_tg = create(p, stack, target_group("blog", &vpc, "/health")).await;
    let login_tg = create(p, stack, target_group("login", &vpc, "/health")).await;
    let listener = create(
        p,
        stack,
        desired(
            Kind::Listener,
            "http",
            &[
                ("load_balancer", id(&lb)),
                ("port", Value::Int(80)),
                ("default", id(&blog_tg)),
                (
                    "rule",
                    list(vec![block(&[
                        ("name", s("login")),
                        ("priority", Value::Int(10)),
                        ("path", s("/api/login*")),
                        ("forward", id(&login_tg)),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    // A rule of its own on the listener (Terraform's aws_lb_listener_rule).
    let api_rule = create(
        p,
        stack,
        desired(
            Kind::ListenerRule,
            "api",
            &[
                ("listener", id(&listener)),
                ("priority", Value::Int(900)),
                ("paths", list(vec![s("/api/*"), s("/v2/*")])),
                ("forward", id(&login_tg)),
                ("tags", tags(&[("team", "api")])),
            ],
        ),
    )
    .await;
    // Default actions besides forward: a redirect to HTTPS, a fixed response.
    let redirect = create(
        p,
        stack,
        desired(
            Kind::Listener,
            "redirect",
            &[
                ("load_balancer", id(&lb)),
                ("port", Value::Int(8180)),
                (
                    "redirect",
                    list(vec![block(&[("protocol", s("HTTPS")), ("port", s("443"))])]),
                ),
            ],
        ),
    )
    .await;
    let fixed = create(
        p,
        stack,
        desired(
            Kind::Listener,
            "fixed",
            &[
                ("load_balancer", id(&lb)),
                ("port", Value::Int(8181)),
                (
                    "fixed_response",
                    list(vec![block(&[
                        ("status_code", Value::Int(404)),
                        ("body", s("not here")),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    let cluster = create(
        p,
        stack,
        desired(
            Kind::Cluster,
            "blog",
            &[("container_insights", Value::Bool(true))],
        ),
    )
    .await;
    let log = create(
        p,
        stack,
        desired(Kind::LogGroup, "login", &[("retention_days", Value::Int(14))]),
    )
    .await;
    let read_logs = create(
        p,
        stack,
        desired(
            Kind::ManagedPolicy,
            "read_logs",
            &[
                (
                    "document",
                    berth_provider::policy::from_aws(
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:GetLogEvents","Resource":"*"}]}"#,
                    ),
                ),
                ("description", s("Read the blog's logs")),
            ],
        ),
    )
    .await;
    let role = create(
        p,
        stack,
        desired(
            Kind::Role,
            "task_exec",
            &[
                ("assume", s("ecs-tasks.amazonaws.com")),
                (
                    "policies",
                    list(vec![
                        s("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
                        id(&read_logs),
                    ]),
                ),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let repository = create(
        p,
        stack,
        desired(
            Kind::EcrRepository,
            "login",
            &[
                ("tag_mutability", s("IMMUTABLE")),
                (
                    "lifecycle_rule",
                    list(vec![block(&[
                        ("priority", Value::Int(1)),
                        ("tag_status", s("untagged")),
                        ("count_type", s("sinceImagePushed")),
                        ("count", Value::Int(7)),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    let namespace = create(
        p,
        stack,
        desired(
            Kind::DnsNamespace,
            "internal",
            &[("vpc", id(&vpc)), ("name", s("blog.internal"))],
        ),
    )
    .await;
    let discovery = create(
        p,
        stack,
        desired(
            Kind::DiscoveryService,
            "login",
            &[
                ("namespace", id(&namespace)),
                ("name", s("login")),
                ("dns_ttl", Value::Int(30)),
            ],
        ),
    )
    .await;
    // The zone is written as Route 53 answers it, with the root's dot.
    let zone = create(
        p,
        stack,
        desired(
            Kind::HostedZone,
            "blog",
            &[
                ("name", s("blog.example.com.")),
                ("comment", s("the blog")),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let www = create(
        p,
        stack,
        desired(
            Kind::DnsRecord,
            "www",
            &[
                ("zone", id(&zone)),
                ("name", s("www.blog.example.com")),
                ("type", s("A")),
                ("alias", list(vec![block(&[("target", id(&lb))])])),
            ],
        ),
    )
    .await;
    // Validated in the zone: its create waits until ACM issues it.
    let certificate = create(
        p,
        stack,
        desired(
            Kind::Certificate,
            "blog",
            &[
                ("domain_name", s("blog.example.com")),
                ("subject_alternative_names", list(vec![s("*.blog.example.com")])),
                ("validation_zone", id(&zone)),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let https = create(
        p,
        stack,
        desired(
            Kind::Listener,
            "https",
            &[
                ("load_balancer", id(&lb)),
                ("port", Value::Int(443)),
                ("protocol", s("HTTPS")),
                ("certificate", id(&certificate)),
                (
                    "fixed_response",
                    list(vec![block(&[("status_code", Value::Int(503))])]),
                ),
            ],
        ),
    )
    .await;
    let secret = create(
        p,
        stack,
        desired(
            Kind::SsmParameter,
            "db_password",
            &[
                ("type", s("SecureString")),
                ("value", s("correct horse battery staple")),
                ("description", s("the blog's database password")),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let db = create(
        p,
        stack,
        desired(
            Kind::Secret,
            "db",
            &[
                ("value", s(r#"{"user":"blog","password":"hunter2"}"#)),
                ("description", s("the blog's database login")),
                ("recovery_window_days", Value::Int(0)),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let key = create(
        p,
        stack,
        desired(
            Kind::KmsKey,
            "logs",
            &[
                ("description", s("the blog's logs")),
                ("rotation", Value::Bool(true)),
                ("deletion_window_days", Value::Int(7)),
                ("aliases", list(vec![s(&format!("alias/{stack}-logs"))])),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let flow_role = create(
        p,
        stack,
        desired(
            Kind::Role,
            "flow_logs",
            &[("assume", s("vpc-flow-logs.amazonaws.com"))],
        ),
    )
    .await;
    let flow_log = create(
        p,
        stack,
        desired(
            Kind::FlowLog,
            "vpc",
            &[
                ("vpc", id(&vpc)),
                ("traffic_type", s("REJECT")),
                ("log_group", id(&log)),
                ("iam_role", id(&flow_role)),
                ("max_aggregation_interval", Value::Int(60)),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let topic = create(
        p,
        stack,
        desired(
            Kind::SnsTopic,
            "alerts",
            &[
                ("display_name", s("Blog alerts")),
                ("tags", tags(&[("team", "web")])),
                (
                    "subscription",
                    list(vec![block(&[
                        ("protocol", s("https")),
                        ("endpoint", s("https://hooks.example.com/sns")),
                        ("raw_message_delivery", Value::Bool(true)),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    let bucket = create(
        p,
        stack,
        desired(
            Kind::S3Bucket,
            "logs",
            &[
                ("force_destroy", Value::Bool(true)),
                ("versioning", s("Enabled")),
                ("object_ownership", s("BucketOwnerPreferred")),
                ("tags", tags(&[("team", "web")])),
                (
                    "lifecycle_rule",
                    list(vec![block(&[
                        ("name", s("expire")),
                        ("prefix", s("AWSLogs/")),
                        ("expiration_days", Value::Int(90)),
                        ("noncurrent_expiration_days", Value::Int(30)),
                        (
                            "transition",
                            list(vec![block(&[
                                ("days", Value::Int(30)),
                                ("storage_class", s("STANDARD_IA")),
                            ])]),
                        ),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    let dead_letters = create(
        p,
        stack,
        desired(
            Kind::SqsQueue,
            "dead_letters",
            &[
                ("fifo", Value::Bool(true)),
                ("message_retention", Value::Int(1_209_600)),
            ],
        ),
    )
    .await;
    let jobs = create(
        p,
        stack,
        desired(
            Kind::SqsQueue,
            "jobs",
            &[
                ("fifo", Value::Bool(true)),
                ("content_based_deduplication", Value::Bool(true)),
                ("visibility_timeout", Value::Int(120)),
                ("receive_wait_time", Value::Int(20)),
                ("dead_letter_queue", dead_letters.attrs["arn"].clone()),
                ("max_receive_count", Value::Int(5)),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let files = create(
        p,
        stack,
        desired(
            Kind::EfsFileSystem,
            "files",
            &[
                ("encrypted", Value::Bool(true)),
                ("transition_to_ia", s("AFTER_30_DAYS")),
                ("tags", tags(&[("team", "web")])),
                (
                    "mount_target",
                    list(vec![
                        block(&[("subnet", id(&a)), ("security_groups", list(vec![id(&app)]))]),
                        block(&[("subnet", id(&b)), ("security_groups", list(vec![id(&app)]))]),
                    ]),
                ),
            ],
        ),
    )
    .await;
    let uploads = create(
        p,
        stack,
        desired(
            Kind::EfsAccessPoint,
            "uploads",
            &[
                ("file_system", id(&files)),
                ("posix_uid", Value::Int(1000)),
                ("posix_gid", Value::Int(1000)),
                ("root_directory", s("/uploads")),
                ("owner_uid", Value::Int(1000)),
                ("owner_gid", Value::Int(1000)),
                ("permissions", s("0755")),
            ],
        ),
    )
    .await;
    let td = create(p, stack, task_definition("login", &role, &log, "dev")).await;
    let service = create(
        p,
        stack,
        desired(
            Kind::Service,
            "login",
            &[
                ("cluster", id(&cluster)),
                ("task_definition", id(&td)),
                ("desired_count", Value::Int(3)),
                ("subnets", list(vec![id(&a), id(&b)])),
                ("security_groups", list(vec![id(&app)])),
                ("public_ip", Value::Bool(true)),
                (
                    "load_balancer",
                    list(vec![block(&[
                        ("target_group", id(&login_tg)),
                        ("container", s("app")),
                        ("port", Value::Int(3000)),
                    ])]),
                ),
                (
                    "service_registry",
                    list(vec![block(&[("registry", id(&discovery))])]),
                ),
            ],
        ),
    )
    .await;
    let alarm = create(
        p,
        stack,
        desired(
            Kind::MetricAlarm,
            "login_cpu",
            &[
                ("metric_name", s("CPUUtilization")),
                ("namespace", s("AWS/ECS")),
                (
                    "dimensions",
                    Value::Map(
                        [
                            ("ClusterName".to_owned(), cluster.attrs["name"].clone()),
                            ("ServiceName".to_owned(), service.attrs["name"].clone()),
                        ]
                        .into(),
                    ),
                ),
                ("statistic", s("Average")),
                ("period", Value::Int(60)),
                ("evaluation_periods", Value::Int(3)),
                ("threshold", Value::number("85.5".parse().expect("a decimal"))),
                ("comparison_operator", s("GreaterThanOrEqualToThreshold")),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    let nightly = create(
        p,
        stack,
        desired(
            Kind::EventRule,
            "nightly",
            &[
                ("schedule", s("cron(0 3 * * ? *)")),
                ("description", s("the nightly report")),
                ("tags", tags(&[("team", "web")])),
                (
                    "target",
                    list(vec![
                        block(&[
                            ("id", s("report")),
                            ("arn", cluster.attrs["arn"].clone()),
                            ("role", id(&role)),
                            ("task_definition", id(&td)),
                            ("launch_type", s("FARGATE")),
                            ("subnets", list(vec![id(&a), id(&b)])),
                            ("security_groups", list(vec![id(&app)])),
                            (
                                "input",
                                s(r#"{ "containerOverrides": [{ "name": "app", "command": ["report"] }] }"#),
                            ),
                        ]),
                        block(&[("id", s("notify")), ("arn", topic.attrs["arn"].clone())]),
                    ]),
                ),
            ],
        ),
    )
    .await;
    let stopped = create(
        p,
        stack,
        desired(
            Kind::EventRule,
            "task_stopped",
            &[
                (
                    "event_pattern",
                    s(r#"{"source":["aws.ecs"],"detail-type":["ECS Task State Change"],"detail":{"lastStatus":["STOPPED"]}}"#),
                ),
                ("state", s("DISABLED")),
                (
                    "target",
                    list(vec![block(&[
                        ("id", s("keep")),
                        ("arn", dead_letters.attrs["arn"].clone()),
                        ("input_path", s("$.detail")),
                        ("message_group_id", s("tasks")),
                        ("maximum_retry_attempts", Value::Int(3)),
                        ("maximum_event_age", Value::Int(3600)),
                    ])]),
                ),
            ],
        ),
    )
    .await;
    [
        vpc,
        a,
        b,
        igw,
        rt,
        eip,
        nat,
        private,
        private_rt,
        main_rt,
        acl,
        private_acl,
        web,
        app,
        metrics,
        default_group,
        s3,
        logs_endpoint,
        lb,
        blog_tg,
        login_tg,
        listener,
        api_rule,
        redirect,
        fixed,
        cluster,
        log,
        read_logs,
        role,
        repository,
        namespace,
        discovery,
        zone,
        www,
        certificate,
        https,
        secret,
        db,
        key,
        flow_role,
        flow_log,
        topic,
        bucket,
        dead_letters,
        jobs,
        files,
        uploads,
        td,
        service,
        alarm,
        nightly,
        stopped,
    ]
    .into_iter()
    .map(|r| (r.address.to_string(), r))
    .collect()
}

pub fn target_group(name: &str, vpc: &Resource, path: &str) -> Resource {
    desired(
        Kind::TargetGroup,
        name,
        &[
            ("vpc", id(vpc)),
            ("port", Value::Int(3000)),
            ("target_type", s("ip")),
            ("deregistration_delay", Value::Int(30)),
            ("health_check", list(vec![block(&[("path", s(path))])])),
        ],
    )
}

/// The login task definition of the blog stack, image tag `tag`.
pub fn task_definition(name: &str, role: &Resource, log: &Resource, tag: &str) -> Resource {
    desired(
        Kind::TaskDefinition,
        name,
        &[
            ("cpu", Value::Int(256)),
            ("memory", Value::Int(512)),
            ("execution_role", id(role)),
            (
                "container",
                list(vec![block(&[
                    ("name", s("app")),
                    (
                        "image",
                        s(&format!(
                            "123456789012.dkr.ecr.us-east-1.amazonaws.com/login:{tag}"
                        )),
                    ),
                    ("port", Value::Int(3000)),
                    ("env", tags(&[("NODE_ENV", tag), ("A_FIRST", "1")])),
                    (
                        "secrets",
                        tags(&[("DB_PASSWORD", "arn:aws:ssm:us-east-1:123456789012:parameter/db")]),
                    ),
                    ("logs", id(log)),
                    (
                        "health_check",
                        list(vec![block(&[(
                            "command",
                            s("curl -f http://localhost:3000/health || exit 1"),
                        )])]),
                    ),
                    (
                        "ulimit",
                        list(vec![block(&[
                            ("name", s("nofile")),
                            ("soft", Value::Int(1024)),
                            ("hard", Value::Int(4096)),
                        ])]),
                    ),
                ])]),
            ),
        ],
    )
}

/// Deletes `resources` in reverse dependency order (the order they were
/// created in, reversed).
pub async fn destroy(p: &dyn Provider, stack: &str, resources: &[Resource]) {
    for r in resources.iter().rev() {
        p.delete(stack, r)
            .await
            .unwrap_or_else(|e| panic!("delete {}: {e}", r.address));
    }
}

/// The blog stack's resources in creation order.
pub fn in_order(created: &BTreeMap<String, Resource>) -> Vec<Resource> {
    [
        "vpc.main",
        "subnet.public_a",
        "subnet.public_b",
        "internet_gateway.main",
        "route_table.public",
        "elastic_ip.nat",
        "nat_gateway.a",
        "subnet.private_a",
        "route_table.private",
        "default_route_table.main",
        "default_network_acl.main",
        "network_acl.private",
        "security_group.web",
        "security_group.app",
        "security_group_rule.metrics",
        "default_security_group.main",
        "vpc_endpoint.s3",
        "vpc_endpoint.logs",
        "load_balancer.web",
        "target_group.blog",
        "target_group.login",
        "listener.http",
        "listener_rule.api",
        "cluster.blog",
        "log_group.login",
        "managed_policy.read_logs",
        "role.task_exec",
        "ecr_repository.login",
        "dns_namespace.internal",
        "discovery_service.login",
        "hosted_zone.blog",
        "dns_record.www",
        "certificate.blog",
        "listener.https",
        "ssm_parameter.db_password",
        "secret.db",
        "kms_key.logs",
        "role.flow_logs",
        "flow_log.vpc",
        "sns_topic.alerts",
        "s3_bucket.logs",
        "sqs_queue.dead_letters",
        "sqs_queue.jobs",
        "efs_file_system.files",
        "efs_access_point.uploads",
        "task_definition.login",
        "service.login",
        "metric_alarm.login_cpu",
        "event_rule.nightly",
        "event_rule.task_stopped",
    ]
    .iter()
    .filter_map(|a| created.get(*a).cloned())
    .collect()
}

/// read_all, by address.
pub async fn read(p: &dyn Provider, stack: &str) -> BTreeMap<String, Resource> {
    p.read_all(stack)
        .await
        .unwrap_or_else(|e| panic!("read_all {stack}: {e}"))
        .into_iter()
        .map(|r| (r.address.to_string(), r))
        .collect()
}

/// Asserts two sets of resources are equal, one attribute at a time so a
/// failure names it.
pub fn assert_same(read: &BTreeMap<String, Resource>, expected: &BTreeMap<String, Resource>) {
    let (a, b): (Vec<_>, Vec<_>) = (read.keys().collect(), expected.keys().collect());
    assert_eq!(a, b, "addresses");
    for (addr, want) in expected {
        let got = &read[addr];
        let keys: std::collections::BTreeSet<&String> = got.attrs.keys().chain(want.attrs.keys()).collect();
        for k in keys {
            assert_eq!(got.attrs.get(k), want.attrs.get(k), "{addr}.{k}");
        }
    }
}

/// `desired(kind, name, pairs)` written in a spelling `rng` picks
/// ([`crate::respell`]), then put in canonical form as the planner does.
/// Asserts the respelling changed nothing that matters: its canonical form
/// is the original's.
pub fn respelled(kind: Kind, name: &str, pairs: &[(&str, Value)], rng: &mut fastrand::Rng) -> Resource {
    let written = complete(kind, &map(pairs));
    let spelled = crate::respell::respell(kind, &written, rng);
    let out = Resource {
        address: Address::new(kind, name),
        attrs: canonical_attrs(kind, &complete(kind, &spelled)),
        created: None,
    };
    let original = desired(kind, name, pairs);
    assert_eq!(
        out.attrs, original.attrs,
        "{kind}.{name} respelled as {spelled:?} is not the same resource"
    );
    out
}

/// Resources on top of the blog stack whose values AWS normalises: ICMP,
/// UDP, all-traffic and port-range rules, egress rules, UDP-first and
/// several port mappings, containers without a CPU reservation, a service
/// without a load balancer, several managed policies, a Network Load
/// Balancer in one zone with TCP and UDP target groups (its listener is
/// [`variety_listener`]). Each is written in a spelling `rng` picks.
pub fn variety(blog: &BTreeMap<String, Resource>, rng: &mut fastrand::Rng) -> Vec<Resource> {
    let get = |address: &str| id(&blog[address]);
    let rule = |pairs: &[(&str, Value)]| block(pairs);
    let mapping =
        |port: i64, protocol: &str| block(&[("container_port", Value::Int(port)), ("protocol", s(protocol))]);
    let mut out = vec![
        respelled(
            Kind::SecurityGroup,
            "v_rules",
            &[
                ("vpc", get("vpc.main")),
                (
                    "ingress",
                    list(vec![
                        rule(&[("port", Value::Int(80)), ("cidr", s("10.0.0.0/8"))]),
                        rule(&[
                            ("from_port", Value::Int(0)),
                            ("to_port", Value::Int(65535)),
                            ("cidr", s("10.2.0.0/16")),
                        ]),
                        rule(&[("protocol", s("icmp")), ("cidr", s("10.3.0.0/16"))]),
                        rule(&[
                            ("protocol", s("icmp")),
                            ("from_port", Value::Int(8)),
                            ("to_port", Value::Int(0)),
                            ("cidr", s("10.4.0.0/16")),
                        ]),
                        rule(&[
                            ("protocol", s("udp")),
                            ("port", Value::Int(53)),
                            ("cidr", s("10.5.0.0/16")),
                        ]),
                        rule(&[("protocol", s("-1")), ("from", get("security_group.web"))]),
                    ]),
                ),
            ],
            rng,
        ),
        respelled(
            Kind::SecurityGroup,
            "v_egress",
            &[
                ("vpc", get("vpc.main")),
                (
                    "egress",
                    list(vec![
                        rule(&[("port", Value::Int(443)), ("cidr", s("0.0.0.0/0"))]),
                        rule(&[("protocol", s("-1")), ("cidr", s("10.0.0.0/8"))]),
                    ]),
                ),
            ],
            rng,
        ),
        respelled(
            Kind::TargetGroup,
            "v_tg",
            &[
                ("vpc", get("vpc.main")),
                ("port", Value::Int(8080)),
                ("target_type", s("ip")),
            ],
            rng,
        ),
        respelled(
            Kind::LoadBalancer,
            "v_nlb",
            &[
                ("type", s("network")),
                ("subnets", list(vec![get("subnet.public_a")])),
                ("internal", Value::Bool(true)),
                ("cross_zone", Value::Bool(true)),
            ],
            rng,
        ),
        respelled(
            Kind::TargetGroup,
            "v_tcp",
            &[
                ("vpc", get("vpc.main")),
                ("port", Value::Int(7000)),
                ("protocol", s("TCP")),
                ("target_type", s("ip")),
                ("deregistration_delay", Value::Int(30)),
                ("proxy_protocol_v2", Value::Bool(true)),
            ],
            rng,
        ),
        respelled(
            Kind::TargetGroup,
            "v_udp",
            &[
                ("vpc", get("vpc.main")),
                ("port", Value::Int(53)),
                ("protocol", s("UDP")),
                ("target_type", s("ip")),
                (
                    "health_check",
                    list(vec![block(&[
                        ("protocol", s("TCP")),
                        ("port", s("7000")),
                        ("interval", Value::Int(10)),
                    ])]),
                ),
            ],
            rng,
        ),
        respelled(
            Kind::Role,
            "v_role",
            &[
                ("assume", s("ecs-tasks.amazonaws.com")),
                (
                    "policies",
                    list(vec![
                        s("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
                        s("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
                        s("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"),
                    ]),
                ),
            ],
            rng,
        ),
        respelled(
            Kind::LogGroup,
            "v_logs",
            &[("retention_days", Value::Int(30))],
            rng,
        ),
        respelled(
            Kind::EventRule,
            "v_rule",
            &[
                (
                    "event_pattern",
                    s(
                        r#"{"source":["aws.ecs"],"detail":{"lastStatus":["STOPPED"],"group":["service:web"]}}"#,
                    ),
                ),
                ("state", s("DISABLED")),
                (
                    "target",
                    list(vec![block(&[
                        ("id", s("notify")),
                        ("arn", blog["sns_topic.alerts"].attrs["arn"].clone()),
                        ("input", s(r#"{"text":"a task stopped","level":2}"#)),
                    ])]),
                ),
            ],
            rng,
        ),
    ];
    let td = respelled(
        Kind::TaskDefinition,
        "v_td",
        &[
            ("cpu", Value::Int(512)),
            ("memory", Value::Int(1024)),
            (
                "container",
                list(vec![
                    block(&[
                        ("name", s("web")),
                        ("image", s("nginx:1.27")),
                        ("port", Value::Int(8080)),
                    ]),
                    block(&[
                        ("name", s("dns")),
                        ("image", s("coredns/coredns:1.11")),
                        ("memory", Value::Int(128)),
                        ("essential", Value::Bool(false)),
                        (
                            "port_mapping",
                            list(vec![
                                mapping(53, "udp"),
                                mapping(9153, "tcp"),
                                mapping(8081, "tcp"),
                            ]),
                        ),
                    ]),
                ]),
            ),
        ],
        rng,
    );
    out.push(td);
    out.push(crate::containers::sidecars(blog, rng));
    out
}

/// A service of the variety on `td`, the variety's created task
/// definition: no load balancer, in a spelling `rng` picks.
pub fn variety_service(
    blog: &BTreeMap<String, Resource>,
    td: &Resource,
    rng: &mut fastrand::Rng,
) -> Resource {
    respelled(
        Kind::Service,
        "v_svc",
        &[
            ("cluster", id(&blog["cluster.blog"])),
            ("task_definition", id(td)),
            (
                "subnets",
                list(vec![id(&blog["subnet.public_a"]), id(&blog["subnet.public_b"])]),
            ),
        ],
        rng,
    )
}

/// The resource at `address` among `created`.
fn made(created: &[Resource], address: &str) -> Resource {
    created
        .iter()
        .find(|r| r.address.to_string() == address)
        .cloned()
        .unwrap_or_else(|| panic!("the variety has {address}"))
}

/// A TCP listener of the variety's Network Load Balancer `nlb`, forwarding
/// to its TCP group `tcp`, in a spelling `rng` picks.
pub fn variety_listener(nlb: &Resource, tcp: &Resource, rng: &mut fastrand::Rng) -> Resource {
    respelled(
        Kind::Listener,
        "v_tcp",
        &[
            ("load_balancer", id(nlb)),
            ("port", Value::Int(7000)),
            ("protocol", s("TCP")),
            ("default", id(tcp)),
        ],
        rng,
    )
}

/// The property every provider keeps: the blog stack and the
/// [`variety`], written in spellings picked by a generator seeded with
/// `seed`, are created, read back and compared with what was asked for:
/// no difference. The stack is deleted afterwards.
pub async fn respelled_stack_reads_back_unchanged(p: &dyn Provider, stack: &str, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let blog = apply_blog(p, stack).await;
    let mut created = in_order(&blog);
    let mut asked: BTreeMap<String, Resource> = BTreeMap::new();
    for desired in variety(&blog, &mut rng) {
        asked.insert(desired.address.to_string(), desired.clone());
        created.push(create(p, stack, desired).await);
    }
    let td = made(&created, "task_definition.v_td");
    let service = variety_service(&blog, &td, &mut rng);
    asked.insert(service.address.to_string(), service.clone());
    created.push(create(p, stack, service).await);
    let nlb = made(&created, "load_balancer.v_nlb");
    let listener = variety_listener(&nlb, &made(&created, "target_group.v_tcp"), &mut rng);
    asked.insert(listener.address.to_string(), listener.clone());
    created.push(create(p, stack, listener).await);

    let read = read(p, stack).await;
    for (address, want) in &asked {
        let got = read
            .get(address)
            .unwrap_or_else(|| panic!("seed {seed}: {address} not read back"));
        let schema = want.address.kind.schema();
        for (k, v) in want.attrs.iter().filter(|(k, _)| kept(k)) {
            let chosen = schema
                .attr(k)
                .is_some_and(|a| matches!(a.presence, Presence::Named | Presence::ChosenByAws));
            if chosen && *v == Value::Null {
                continue;
            }
            assert_eq!(got.attrs.get(k), Some(v), "seed {seed}: {address}.{k}");
        }
    }
    // Dependents first: the variety's service before the blog's cluster.
    let (variety, blog): (Vec<Resource>, Vec<Resource>) = created
        .into_iter()
        .partition(|r| r.address.name.starts_with("v_"));
    destroy(p, stack, &variety).await;
    destroy(p, stack, &blog).await;
}
