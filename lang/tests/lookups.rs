//! `data` blocks: placeholders without a cloud, the cloud's answers with
//! one (here a fake), exactly one match or a located error.

use std::cell::RefCell;
use std::path::Path;

use berth_lang::eval::LookupFn;
use berth_lang::{Analysis, DesiredValue, Options, Sources, analyze, analyze_in_cloud, load};
use berth_provider::lookup::{DataKind, Matches, Query};
use berth_provider::{Address, Attrs, Kind, Value};

const TEXT: &str = r#"
data vpc shared { stack = "network"  address = "vpc.main" }
data subnets private {
  vpc  = data.vpc.shared
  tags = { Tier = "private" }
}
data security_group web { vpc = data.vpc.shared.id  name = "web" }
data prefix_list s3 { name = "com.amazonaws.us-east-1.s3" }

security_group app {
  vpc = data.vpc.shared
  ingress { port = 80  from = data.security_group.web }
  egress { port = 443  prefix_list = data.prefix_list.s3 }
}

subnet extra {
  for_each = data.subnets.private.ids
  vpc      = data.vpc.shared.id
  cidr     = cidrsubnet(data.vpc.shared.cidr, 8, 200)
  zone     = "us-east-1a"
}

output subnets { value = data.subnets.private.ids }
"#;

fn analyse(text: &str, lookup: Option<&LookupFn<'_>>) -> Analysis {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("main.berth"), text.as_bytes());
    let options = Options {
        default_name: "test".into(),
        ..Options::default()
    };
    match lookup {
        Some(lookup) => analyze_in_cloud(sources, diags, &options, Some(lookup)),
        None => analyze(sources, diags, &options),
    }
}

fn attrs(pairs: &[(&str, &str)]) -> Attrs {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect()
}

/// A cloud with one VPC, two private subnets and a group, recording what
/// it is asked.
fn cloud(asked: &RefCell<Vec<Query>>) -> impl Fn(&Query) -> Result<Matches, String> + '_ {
    move |q: &Query| {
        asked.borrow_mut().push(q.clone());
        Ok(match q.kind {
            DataKind::Vpc => vec![attrs(&[("id", "vpc-1"), ("cidr", "10.8.0.0/16")])],
            DataKind::Subnets => vec![
                attrs(&[("id", "subnet-b"), ("vpc", "vpc-1")]),
                attrs(&[("id", "subnet-a"), ("vpc", "vpc-1")]),
            ],
            DataKind::SecurityGroup => vec![attrs(&[("id", "sg-1"), ("name", "web"), ("vpc", "vpc-1")])],
            DataKind::PrefixList => vec![attrs(&[("id", "pl-1"), ("name", "com.amazonaws.us-east-1.s3")])],
            _ => Vec::new(),
        })
    }
}

#[test]
fn without_a_cloud_lookups_are_placeholders_of_their_type() {
    let a = analyse(TEXT, None);
    let stack = a.stack.unwrap_or_else(|| panic!("{:#?}", a.diagnostics));
    assert!(a.lookups_read);
    let app = stack
        .resource(&Address::new(Kind::SecurityGroup, "app"))
        .expect("app");
    assert_eq!(
        app.body.known("vpc"),
        Some(&Value::String("data.vpc.shared.id".into()))
    );
    // One placeholder subnet, so the `for_each` body is checked once.
    let extra: Vec<_> = stack
        .resources
        .iter()
        .filter(|r| r.address.name == "extra")
        .collect();
    assert_eq!(extra.len(), 1);
}

/// The stack's partition is known from its region, as its region is:
/// CloudFormation's `arn:${AWS::Partition}:iam::aws:policy/...` written
/// with `data partition` was checked as the placeholder text (E0517).
#[test]
fn without_a_cloud_the_partition_is_the_regions() {
    let policy = |region: &str| {
        let text = format!(
            "stack \"s\" {{ region = \"{region}\" }}\n\
             data partition current {{}}\n\
             role exec {{\n  assume   = \"ecs-tasks.amazonaws.com\"\n  \
             policies = [\"arn:${{data.partition.current.partition}}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"]\n}}\n"
        );
        let a = analyse(&text, None);
        let stack = a.stack.unwrap_or_else(|| panic!("{:#?}", a.diagnostics));
        let role = stack.resource(&Address::new(Kind::Role, "exec")).expect("exec");
        match role.body.known("policies") {
            Some(Value::List(p)) => p[0].as_str().unwrap_or_default().to_owned(),
            other => panic!("{other:?}"),
        }
    };
    assert!(policy("us-east-1").starts_with("arn:aws:iam::aws:policy/"));
    assert!(policy("cn-north-1").starts_with("arn:aws-cn:iam::aws:policy/"));
    assert!(policy("us-gov-west-1").starts_with("arn:aws-us-gov:iam::aws:policy/"));
}

#[test]
fn with_a_cloud_lookups_are_what_it_answers() {
    let asked = RefCell::new(Vec::new());
    let lookup = cloud(&asked);
    let a = analyse(TEXT, Some(&lookup));
    let stack = a.stack.unwrap_or_else(|| panic!("{:#?}", a.diagnostics));
    let keys: Vec<_> = stack
        .resources
        .iter()
        .filter(|r| r.address.name == "extra")
        .filter_map(|r| r.address.key.clone())
        .collect();
    assert_eq!(keys, ["subnet-a", "subnet-b"], "sorted ids");
    let extra = &stack
        .resources
        .iter()
        .find(|r| r.address.name == "extra")
        .expect("extra");
    assert_eq!(
        extra.body.known("cidr"),
        Some(&Value::String("10.8.200.0/24".into()))
    );
    let app = stack
        .resource(&Address::new(Kind::SecurityGroup, "app"))
        .expect("app");
    let rule = &app.body.blocks("ingress")[0];
    assert_eq!(rule.body.known("from"), Some(&Value::String("sg-1".into())));
    let egress = &app.body.blocks("egress")[0];
    assert_eq!(
        egress.body.known("prefix_list"),
        Some(&Value::String("pl-1".into()))
    );
    // The subnets' and the group's filters carry the VPC's id.
    let asked = asked.borrow();
    assert_eq!(asked.len(), 4, "each lookup once: {asked:?}");
    assert!(
        asked
            .iter()
            .filter(|q| matches!(q.kind, DataKind::Subnets | DataKind::SecurityGroup))
            .all(|q| q.filters.vpc.as_deref() == Some("vpc-1"))
    );
    let vpc = asked.iter().find(|q| q.kind == DataKind::Vpc).expect("vpc asked");
    assert_eq!(vpc.filters.stack.as_deref(), Some("network"));
    assert_eq!(vpc.filters.address.as_deref(), Some("vpc.main"));
    let output = &stack.outputs[0];
    assert!(matches!(&output.value, DesiredValue::Known(Value::List(ids)) if ids.len() == 2));
}

#[test]
fn a_lookup_that_matches_nothing_or_several_is_a_located_error() {
    let text = "data vpc shared { tags = { Name = \"shared\" } }\nsubnet a {\n  vpc = data.vpc.shared\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}\n";
    for (found, code, words) in [
        (0, "E0596", "matches no vpc"),
        (2, "E0596", "matches 2 resources"),
    ] {
        let lookup = move |_: &Query| Ok(vec![attrs(&[("id", "vpc-1")]); found]);
        let a = analyse(text, Some(&lookup));
        assert!(a.stack.is_none());
        let d = &a.diagnostics[0];
        assert_eq!(d.code, code);
        assert!(d.message.contains(words), "{}", d.message);
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("tags = { Name = \"shared\" }"))
        );
        let span = d.span.expect("located");
        assert_eq!(&text[span.start..span.end], "data vpc shared");
    }
    // `subnets` may find none.
    let none = |_: &Query| Ok(Vec::new());
    let a = analyse("data subnets any { tags = { A = \"b\" } }\n", Some(&none));
    assert!(a.stack.is_some(), "{:#?}", a.diagnostics);
}

#[test]
fn a_cloud_error_is_a_located_error() {
    let failing = |_: &Query| Err("AccessDenied: not allowed".to_owned());
    let a = analyse("data vpc shared { id = \"vpc-1\" }\n", Some(&failing));
    assert_eq!(a.diagnostics[0].code, "E0597");
    assert!(a.diagnostics[0].label.contains("AccessDenied"));
}

/// `data ssm_parameter`: without a cloud its value is unknown, so a use
/// that needs a shape (a CIDR) checks; with one, a `String` parameter's
/// value is plain and a `SecureString`'s is a secret: what reads it is
/// sensitive, and a message that would quote it says `(sensitive)`.
#[test]
fn an_ssm_parameters_value_is_unknown_before_a_plan_and_a_secure_one_is_secret() {
    const PARAMS: &str = r#"
data ssm_parameter cidr { name = "/network/cidr" }
data ssm_parameter password { name = "/app/db_password" }

vpc main { cidr = data.ssm_parameter.cidr.value }
vpc odd { cidr = data.ssm_parameter.password.value }
role app {
  assume      = "ecs-tasks.amazonaws.com"
  description = "db ${data.ssm_parameter.password.value}"
}
"#;
    let a = analyse(PARAMS, None);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    // A `for_each` over it checks its body once, under a key saying so.
    let zones = "data ssm_parameter zone { name = \"/network/zone\" }\n\
                 vpc main { cidr = \"10.0.0.0/16\" }\n\
                 subnet s {\n  for_each = [data.ssm_parameter.zone.value]\n  vpc = vpc.main\n  \
                 cidr = \"10.0.1.0/24\"\n  zone = each.value\n}\n";
    let a = analyse(zones, None);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);

    let lookup = |q: &Query| -> Result<Matches, String> {
        let name = q.filters.name.clone().unwrap_or_default();
        let (value, ty) = match name.as_str() {
            "/network/cidr" => ("10.1.0.0/16", "String"),
            _ => ("hunter2", "SecureString"),
        };
        let arn = format!("arn:aws:ssm:us-east-1:123456789012:parameter{name}");
        Ok(vec![attrs(&[
            ("arn", &arn),
            ("name", &name),
            ("value", value),
            ("type", ty),
        ])])
    };
    let a = analyse(PARAMS, Some(&lookup));
    let text = format!("{:?}", a.diagnostics);
    assert!(!text.contains("hunter2"), "a message quotes the secret: {text}");
    assert!(
        a.diagnostics.iter().any(|d| d.message.contains("(sensitive)")),
        "the CIDR error names the value as sensitive: {text}"
    );
    let fixed = PARAMS.replace("vpc odd { cidr = data.ssm_parameter.password.value }\n", "");
    let a = analyse(&fixed, Some(&lookup));
    let stack = a.stack.unwrap_or_else(|| panic!("{:#?}", a.diagnostics));
    let vpc = stack.resource(&Address::new(Kind::Vpc, "main")).expect("vpc");
    assert_eq!(vpc.body.known("cidr"), Some(&Value::String("10.1.0.0/16".into())));
    assert!(
        !vpc.body.sensitive.contains("cidr"),
        "a String parameter is plain"
    );
    let role = stack.resource(&Address::new(Kind::Role, "app")).expect("role");
    assert!(
        role.body.sensitive.contains("description"),
        "read from a SecureString"
    );
    assert!(
        stack
            .secrets
            .values()
            .any(|v| *v == Value::String("hunter2".into()))
    );
}

#[test]
fn a_listener_is_looked_up_by_its_load_balancer_and_port() {
    let text = r#"
data load_balancer shared { name = "platform-web" }
data listener https {
  load_balancer = data.load_balancer.shared
  port          = 443
}
vpc main { cidr = "10.0.0.0/16" }
target_group api {
  vpc         = vpc.main
  port        = 8080
  target_type = "ip"
}
listener_rule api {
  listener = data.listener.https
  priority = 10
  path     = "/api/*"
  forward  = target_group.api
}
"#;
    let asked = RefCell::new(Vec::new());
    let lookup = |q: &Query| {
        asked.borrow_mut().push(q.clone());
        Ok(match q.kind {
            DataKind::LoadBalancer => vec![attrs(&[("arn", "arn:lb"), ("name", "platform-web")])],
            DataKind::Listener => {
                let mut found = attrs(&[("arn", "arn:listener"), ("load_balancer", "arn:lb")]);
                found.insert("port".into(), Value::Int(443));
                vec![found]
            }
            _ => Vec::new(),
        })
    };
    let a = analyse(text, Some(&lookup));
    let stack = a.stack.unwrap_or_else(|| panic!("{:#?}", a.diagnostics));
    let rule = stack
        .resource(&Address::new(Kind::ListenerRule, "api"))
        .expect("the rule");
    assert_eq!(
        rule.body.known("listener"),
        Some(&Value::String("arn:listener".into()))
    );
    let asked = asked.borrow();
    let listener = asked
        .iter()
        .find(|q| q.kind == DataKind::Listener)
        .expect("listener asked");
    assert_eq!(listener.filters.load_balancer.as_deref(), Some("arn:lb"));
    assert_eq!(listener.filters.port, Some(443));

    // Without its load balancer, it would match any listener on the port.
    let a = analyse("data listener x { port = 80 }\n", None);
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0592"], "{:#?}", a.diagnostics);
}

/// "The default VPC unless one is given": Terraform leaves a filter set to
/// null out (`id = var.vpc_id != "" ? var.vpc_id : null`); it was E0591.
#[test]
fn a_filter_set_to_null_is_not_given() {
    let text = |vpc_id: &str| {
        format!(
            "variable vpc_id {{ default = \"{vpc_id}\" }}\n\
             data \"aws_vpc\" \"selected\" {{\n  id      = var.vpc_id != \"\" ? var.vpc_id : null\n  \
             default = var.vpc_id == \"\" ? true : null\n}}\n\
             output vpc {{ value = data.aws_vpc.selected.id }}\n"
        )
    };
    for (vpc_id, id, default) in [("", None, Some(true)), ("vpc-1", Some("vpc-1"), None)] {
        let asked = RefCell::new(Vec::new());
        let lookup = cloud(&asked);
        let a = analyse(&text(vpc_id), Some(&lookup));
        assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
        let asked = asked.borrow();
        let vpc = asked.iter().find(|q| q.kind == DataKind::Vpc).expect("vpc asked");
        assert_eq!(vpc.filters.id.as_deref(), id);
        assert_eq!(vpc.filters.default, default);
    }
}
