//! Helpers shared by the moto tests: a provider and raw SDK clients pointed
//! at a per-test moto server, desired resources in the shape the planner
//! hands to `create`, and the blog stack of the design document.
#![allow(dead_code)]

pub mod raw;

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use berth_aws::{AwsProvider, Clients, RetryPolicy};
use berth_provider::{Address, Attrs, Kind, Provider, Resource, Value};

pub use berth_test_support::Moto;

pub const REGION: &str = "us-east-1";

/// SDK configuration for the moto server at `endpoint`.
pub async fn sdk_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "berth-tests"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

/// A moto server, the provider and raw clients on it; `None` when
/// `BERTH_SKIP_MOTO=1`.
pub struct Env {
    pub moto: Moto,
    pub provider: AwsProvider,
    pub raw: Clients,
}

pub async fn env() -> Option<Env> {
    let moto = Moto::start()?;
    let config = sdk_config(&moto.endpoint).await;
    let provider = AwsProvider::from_sdk_config(&config)
        .expect("provider")
        .with_retry_policy(RetryPolicy {
            deadline: Duration::from_secs(20),
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(2),
        });
    let raw = Clients::from_sdk_config(&config);
    Some(Env { moto, provider, raw })
}

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

/// A desired resource `kind.name` with only the given attributes (the
/// provider fills the defaults, as the planner would).
pub fn desired(kind: Kind, name: &str, pairs: &[(&str, Value)]) -> Resource {
    Resource {
        address: Address::new(kind, name),
        attrs: map(pairs),
    }
}

/// The identity value of a created resource (what references evaluate to).
pub fn id(r: &Resource) -> Value {
    r.attrs[r.address.kind.schema().identity].clone()
}

pub fn text(r: &Resource, attr: &str) -> String {
    r.attrs
        .get(attr)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `r` with `key` set to `value`, computed attributes kept (the planner
/// hands `update` the full desired attributes).
pub fn with(mut r: Resource, key: &str, value: Value) -> Resource {
    r.attrs.insert(key.to_owned(), value);
    r
}

/// Creates `desired`, checking the contract: every attribute of the schema
/// present, every computed one known.
pub async fn create(p: &AwsProvider, stack: &str, desired: Resource) -> Resource {
    let created = p
        .create(stack, &desired)
        .await
        .unwrap_or_else(|e| panic!("create {}: {e}", desired.address));
    assert_eq!(created.address, desired.address);
    for attr in desired.address.kind.schema().attrs {
        let v = created.attrs.get(attr.name);
        assert!(v.is_some(), "{}.{} missing", desired.address, attr.name);
        if attr.is_computed() {
            assert!(
                v.is_some_and(|v| *v != Value::Null && *v != Value::from("")),
                "{}.{} not computed: {v:?}",
                desired.address,
                attr.name
            );
        }
    }
    created
}

/// The blog stack of the design document, every kind once, created in
/// dependency order. Returns the created resources by address.
pub async fn apply_blog(p: &AwsProvider, stack: &str) -> BTreeMap<String, Resource> {
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
                    list(vec![s(
                        "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                    )]),
                ),
                ("tags", tags(&[("team", "web")])),
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
            ],
        ),
    )
    .await;
    [
        vpc, a, b, igw, rt, web, app, lb, blog_tg, login_tg, listener, cluster, log, role, td, service,
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
pub async fn destroy(p: &AwsProvider, stack: &str, resources: &[Resource]) {
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
        "security_group.web",
        "security_group.app",
        "load_balancer.web",
        "target_group.blog",
        "target_group.login",
        "listener.http",
        "cluster.blog",
        "log_group.login",
        "role.task_exec",
        "task_definition.login",
        "service.login",
    ]
    .iter()
    .filter_map(|a| created.get(*a).cloned())
    .collect()
}

/// read_all, by address.
pub async fn read(p: &AwsProvider, stack: &str) -> BTreeMap<String, Resource> {
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
