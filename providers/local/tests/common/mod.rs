//! Helpers shared by the integration tests: desired resources in the shape
//! the planner hands to `create` (every non-computed attribute present,
//! defaults filled in), and a whole blog stack.
#![allow(dead_code)]

use std::collections::BTreeMap;

use berth_local::LocalCloud;
use berth_provider::schema::complete;
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

/// A desired resource `kind.name` with `pairs` and every default filled in.
pub fn desired(kind: Kind, name: &str, pairs: &[(&str, Value)]) -> Resource {
    let address = Address::new(kind, name);
    let attrs = complete(kind, &map(pairs));
    Resource { address, attrs }
}

/// A nested block instance.
pub fn block(pairs: &[(&str, Value)]) -> Value {
    Value::Map(map(pairs))
}

/// The identity value of a created resource (what references evaluate to).
pub fn id(r: &Resource) -> Value {
    r.attrs[r.address.kind.schema().identity].clone()
}

pub fn open(dir: &tempfile::TempDir) -> LocalCloud {
    LocalCloud::open(&dir.path().join(".berth/local-cloud.json"), REGION).expect("open local cloud")
}

/// Creates `desired` and checks the provider's contract on the way: the
/// result holds every desired attribute unchanged and every computed one.
pub async fn create(cloud: &LocalCloud, stack: &str, desired: Resource) -> Resource {
    let created = cloud
        .create(stack, &desired)
        .await
        .unwrap_or_else(|e| panic!("create {}: {e}", desired.address));
    assert_eq!(created.address, desired.address);
    for (k, v) in &desired.attrs {
        assert_eq!(created.attrs.get(k), Some(v), "{}.{k}", desired.address);
    }
    for attr in desired
        .address
        .kind
        .schema()
        .attrs
        .iter()
        .filter(|a| a.is_computed())
    {
        let v = created.attrs.get(attr.name);
        assert!(
            v.is_some_and(|v| *v != Value::Null && !v.has_unknown()),
            "{}.{} not computed: {v:?}",
            desired.address,
            attr.name
        );
    }
    created
}

/// The blog stack of the design document, every kind once, created in
/// dependency order. Returns the created resources by address.
pub async fn apply_blog(cloud: &LocalCloud, stack: &str) -> BTreeMap<String, Resource> {
    let mut out = BTreeMap::new();
    let vpc = create(
        cloud,
        stack,
        desired(
            Kind::Vpc,
            "main",
            &[("cidr", s("10.0.0.0/16")), ("dns_hostnames", Value::Bool(true))],
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
    let a = create(cloud, stack, subnet("public_a", "10.0.1.0/24", "us-east-1a")).await;
    let b = create(cloud, stack, subnet("public_b", "10.0.2.0/24", "us-east-1b")).await;
    let igw = create(
        cloud,
        stack,
        desired(Kind::InternetGateway, "main", &[("vpc", id(&vpc))]),
    )
    .await;
    let rt = create(
        cloud,
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
        cloud,
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
        cloud,
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
            ],
        ),
    )
    .await;
    let lb = create(
        cloud,
        stack,
        desired(
            Kind::LoadBalancer,
            "web",
            &[
                ("subnets", list(vec![id(&a), id(&b)])),
                ("security_groups", list(vec![id(&web)])),
            ],
        ),
    )
    .await;
    let tg = |name: &str| {
        desired(
            Kind::TargetGroup,
            name,
            &[
                ("vpc", id(&vpc)),
                ("port", Value::Int(3000)),
                ("target_type", s("ip")),
                ("health_check", list(vec![block(&[("path", s("/health"))])])),
            ],
        )
    };
    let blog_tg = create(cloud, stack, tg("blog")).await;
    let login_tg = create(cloud, stack, tg("login")).await;
    let listener = create(
        cloud,
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
        cloud,
        stack,
        desired(
            Kind::Cluster,
            "blog",
            &[("container_insights", Value::Bool(true))],
        ),
    )
    .await;
    let log = create(
        cloud,
        stack,
        desired(Kind::LogGroup, "login", &[("retention_days", Value::Int(14))]),
    )
    .await;
    let role = create(
        cloud,
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
                ("tags", Value::Map([("team".to_owned(), s("web"))].into())),
            ],
        ),
    )
    .await;
    let td = create(cloud, stack, task_definition("login", &role, &log, 256, 512)).await;
    let service = create(
        cloud,
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
    for r in [
        vpc, a, b, igw, rt, web, app, lb, blog_tg, login_tg, listener, cluster, log, role, td, service,
    ] {
        out.insert(r.address.to_string(), r);
    }
    out
}

/// The login task definition of the blog stack.
pub fn task_definition(name: &str, role: &Resource, log: &Resource, cpu: i64, memory: i64) -> Resource {
    desired(
        Kind::TaskDefinition,
        name,
        &[
            ("cpu", Value::Int(cpu)),
            ("memory", Value::Int(memory)),
            ("execution_role", id(role)),
            (
                "container",
                list(vec![block(&[
                    ("name", s("app")),
                    (
                        "image",
                        s("123456789012.dkr.ecr.us-east-1.amazonaws.com/login:dev"),
                    ),
                    ("port", Value::Int(3000)),
                    ("env", Value::Map([("NODE_ENV".to_owned(), s("dev"))].into())),
                    ("logs", id(log)),
                    (
                        "health_check",
                        list(vec![block(&[(
                            "command",
                            s("curl -f http://localhost:3000/health || exit 1"),
                        )])]),
                    ),
                ])]),
            ),
        ],
    )
}

/// `desired` with `key` set to `value`.
pub fn with(mut r: Resource, key: &str, value: Value) -> Resource {
    r.attrs.insert(key.to_owned(), value);
    r
}

/// A created resource turned back into a desired one named `name`: its
/// computed attributes dropped.
pub fn renamed(r: &Resource, name: &str) -> Resource {
    let mut out = r.clone();
    out.address.name = name.to_owned();
    for attr in r.address.kind.schema().attrs.iter().filter(|a| a.is_computed()) {
        out.attrs.remove(attr.name);
    }
    out
}
