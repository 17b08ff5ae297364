//! Variables set from the command line (`--var`, `--var-file`) and what
//! evaluation makes of them and of the stack block.

use std::collections::BTreeMap;
use std::path::Path;

use berth_lang::{Analysis, Ignored, Options, Sources, analyze, load};
use berth_provider::{Address, Kind, Value};

/// Analyses one file `main.berth` holding `text`, with `--var` settings.
fn analyse(text: &str, vars: &[(&str, &str)]) -> Analysis {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("main.berth"), text.as_bytes());
    let options = Options {
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        default_name: "test".into(),
        ..Options::default()
    };
    analyze(sources, diags, &options)
}

/// The value `attr` of `address` in the evaluated stack.
#[track_caller]
fn known(analysis: &Analysis, address: &Address, attr: &str) -> Value {
    let stack = analysis.stack.as_ref().unwrap_or_else(|| {
        panic!("invalid stack: {:#?}", analysis.diagnostics);
    });
    let r = stack.resource(address).expect("declared");
    r.body.known(attr).cloned().expect("known value")
}

/// What `address` depends on in the evaluated stack, as text.
#[track_caller]
fn dependencies(analysis: &Analysis, address: &Address) -> Vec<String> {
    let stack = analysis.stack.as_ref().unwrap_or_else(|| {
        panic!("invalid stack: {:#?}", analysis.diagnostics);
    });
    let r = stack.resource(address).expect("declared");
    r.depends_on.iter().map(ToString::to_string).collect()
}

#[test]
fn a_variable_with_a_null_default_can_be_set() {
    let a = analyse(
        "variable name { default = null }\nstack \"s-${var.name}\" {}\ncluster main { container_insights = false }\n",
        &[("name", "prod")],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert_eq!(a.stack.as_ref().map(|s| s.name.as_str()), Some("s-prod"));
}

#[test]
fn a_null_default_takes_literals_as_written_and_other_text_as_a_string() {
    let text = r#"
variable days { default = null }
variable on   { default = null }
variable word { default = null }
variable text { default = null }
stack "s-${var.word}-${var.text}" {}
log_group logs { retention_days = var.days }
cluster main {
  container_insights = var.on
}
vpc main {
  cidr          = "10.0.0.0/16"
  dns_hostnames = var.on
}
"#;
    let a = analyse(
        text,
        &[
            ("days", "14"),
            ("on", "true"),
            ("word", "prod"),
            ("text", "\"quoted\""),
        ],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let logs = Address::new(Kind::LogGroup, "logs");
    assert_eq!(known(&a, &logs, "retention_days"), Value::Int(14));
    let cluster = Address::new(Kind::Cluster, "main");
    assert_eq!(known(&a, &cluster, "container_insights"), Value::Bool(true));
    assert_eq!(a.stack.as_ref().map(|s| s.name.as_str()), Some("s-prod-quoted"));
}

#[test]
fn a_variable_left_null_leaves_the_setting_out() {
    let a = analyse(
        "variable days { default = null }\nlog_group logs { retention_days = var.days }\n",
        &[],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let logs = Address::new(Kind::LogGroup, "logs");
    let stack = a.stack.as_ref().expect("valid");
    let r = stack.resource(&logs).expect("declared");
    assert!(
        r.body.value("retention_days").is_none(),
        "{:?}",
        r.body.value("retention_days")
    );
}

#[test]
fn a_declared_type_converts_command_line_text_as_terraform_does() {
    let text = r#"
variable days     { type = number }
variable insights { type = bool }
variable name     { type = string }
variable zones    { type = set(string) }
variable sizes    { type = map(number) }
variable db       { type = object({ port = number, name = optional(string) }) }
stack "s-${var.name}" {}
log_group logs { retention_days = var.days }
cluster main { container_insights = var.insights }
"#;
    let a = analyse(
        text,
        &[
            ("days", "14"),
            ("insights", "true"),
            // A string variable takes the text as it is, digits or not.
            ("name", "3"),
            ("zones", r#"["a", "b", "a"]"#),
            ("sizes", r#"{ web = "2", worker = 1 }"#),
            ("db", r#"{ port = "5432", extra = true }"#),
        ],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "logs"), "retention_days"),
        Value::Int(14)
    );
    assert_eq!(
        known(&a, &Address::new(Kind::Cluster, "main"), "container_insights"),
        Value::Bool(true)
    );
    assert_eq!(a.stack.as_ref().map(|s| s.name.as_str()), Some("s-3"));
}

#[test]
fn a_declared_type_converts_the_default_and_shapes_objects() {
    let text = r#"
variable days {
  type    = number
  default = "30"
}
variable db {
  type    = object({ port = number, name = optional(string) })
  default = { port = "5432", extra = true }
}
log_group logs {
  retention_days = var.days
  name           = "db-${var.db.port}"
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let logs = Address::new(Kind::LogGroup, "logs");
    assert_eq!(known(&a, &logs, "retention_days"), Value::Int(30));
    assert_eq!(known(&a, &logs, "name"), Value::String("db-5432".into()));
}

#[test]
fn a_value_not_of_the_declared_type_names_the_type() {
    let a = analyse(
        "variable days { type = number }\nvariable zones { type = list(string) }\nlog_group logs { retention_days = var.days }\n",
        &[("days", "two"), ("zones", "a")],
    );
    let messages: Vec<_> = a
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            ("E0311", "--var days=two is not of type `number`"),
            ("E0311", "--var zones=a is not of type `list(string)`"),
        ]
    );
}

#[test]
fn variables_and_each_value_are_indexed_by_key_and_position() {
    let text = r#"
variable zones { default = ["us-east-1a", "us-east-1b"] }
variable services {
  default = {
    web = { port = 80, days = [7, 14] }
    api = { port = 8080, days = [30] }
  }
}
log_group logs {
  for_each       = var.services
  name           = "${each.key}-${each.value.port}-${var.zones[1]}"
  retention_days = each.value["days"][0]
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let api = Address::with_key(Kind::LogGroup, "logs", "api");
    assert_eq!(
        known(&a, &api, "name"),
        Value::String("api-8080-us-east-1b".into())
    );
    assert_eq!(known(&a, &api, "retention_days"), Value::Int(30));
}

#[test]
fn the_stack_blocks_tags_go_on_every_resource_that_takes_tags_and_its_own_win() {
    let text = r#"
variable team { default = "payments" }
stack "shop" {
  tags = { Team = var.team, CostCenter = "42" }
}
vpc main { cidr = "10.0.0.0/16" }
log_group app { tags = { Team = "checkout" } }
hosted_zone site { name = "example.com" }
dns_record www {
  zone    = hosted_zone.site
  name    = "www.example.com"
  type    = "CNAME"
  records = ["example.com"]
  ttl     = 300
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let tags = |pairs: &[(&str, &str)]| {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
                .collect(),
        )
    };
    assert_eq!(
        known(&a, &Address::new(Kind::Vpc, "main"), "tags"),
        tags(&[("CostCenter", "42"), ("Team", "payments")])
    );
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "app"), "tags"),
        tags(&[("CostCenter", "42"), ("Team", "checkout")])
    );
    let stack = a.stack.as_ref().expect("valid");
    let record = stack
        .resource(&Address::new(Kind::DnsRecord, "www"))
        .expect("declared");
    assert!(
        record.body.value("tags").is_none(),
        "Route 53 records take no tags"
    );
}

/// Terraform's `default_tags { tags = { Project = local.project_name } }`:
/// E0310 before, though the local reads only constants and variables.
#[test]
fn the_stack_blocks_tags_may_read_locals_of_variables_and_constants() {
    let text = r#"
variable env { default = "dev" }
locals {
  project_name = "hello-fargate"
  common       = { Project = local.project_name, Env = var.env }
}
stack "shop" { tags = merge(local.common, { Owner = "web" }) }
vpc main { cidr = "10.0.0.0/16" }
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let tags: BTreeMap<String, Value> = [("Env", "dev"), ("Owner", "web"), ("Project", "hello-fargate")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    assert_eq!(
        known(&a, &Address::new(Kind::Vpc, "main"), "tags"),
        Value::Map(tags)
    );
    let resource = analyse(
        "locals { vpc = vpc.main.id }
stack \"shop\" { tags = { Vpc = local.vpc } }
vpc main { cidr = \"10.0.0.0/16\" }
",
        &[],
    );
    let codes: Vec<_> = resource
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(codes, [("E0310", "the stack block cannot refer to resources")]);
}

#[test]
fn terraforms_lifecycle_block_holds_prevent_destroy_and_ignore_changes() {
    let a = analyse(
        "log_group app {\n  retention_days = 7\n  lifecycle {\n    prevent_destroy = true\n    ignore_changes  = [retention_days, \"tags\"]\n  }\n}\n",
        &[],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let logs = stack
        .resource(&Address::new(Kind::LogGroup, "app"))
        .expect("declared");
    assert!(logs.prevent_destroy);
    assert_eq!(
        logs.ignore_changes.iter().map(Ignored::attr).collect::<Vec<_>>(),
        ["retention_days", "tags"]
    );
    assert!(
        logs.body.blocks.is_empty(),
        "lifecycle is no block of the log group"
    );
}

/// Terraform's names in `ignore_changes`: a block berth writes as
/// attributes (a service's `network_configuration`), an attribute under
/// Terraform's name, a task definition's `container_definitions`. They
/// were E0326.
#[test]
fn ignore_changes_takes_terraforms_names() {
    let text = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
cluster main {}
task_definition app {
  cpu            = 256
  memory         = 512
  container app { image = "nginx" }
  ignore_changes = [container_definitions]
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
  lifecycle {
    ignore_changes = [network_configuration, task_definition_arn]
  }
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let ignored = |kind, name| {
        let r = stack.resource(&Address::new(kind, name)).expect("declared");
        r.ignore_changes
            .iter()
            .map(Ignored::attr)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(ignored(Kind::TaskDefinition, "app"), ["container"]);
    assert_eq!(
        ignored(Kind::Service, "app"),
        ["public_ip", "security_groups", "subnets", "task_definition"]
    );
}

#[test]
fn terraforms_count_declares_numbered_instances_that_read_count_index() {
    let text = r#"
variable zones { default = ["us-east-1a", "us-east-1b", "us-east-1c"] }
vpc main { cidr = "10.0.0.0/16" }
subnet private {
  count = length(var.zones)
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = element(var.zones, count.index)
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let third = Address::with_key(Kind::Subnet, "private", "2");
    assert_eq!(known(&a, &third, "cidr"), Value::String("10.0.2.0/24".into()));
    assert_eq!(known(&a, &third, "zone"), Value::String("us-east-1c".into()));
    let stack = a.stack.as_ref().expect("valid");
    let subnets = stack
        .resources
        .iter()
        .filter(|r| r.kind() == Kind::Subnet)
        .count();
    assert_eq!(subnets, 3);
}

#[test]
fn conditionals_comparisons_and_arithmetic_evaluate_as_in_terraform() {
    let text = r#"
variable env { default = "prod" }
variable zones { default = ["us-east-1a", "us-east-1b"] }
vpc main { cidr = "10.0.0.0/16" }
subnet private {
  count = var.env == "prod" ? length(var.zones) : 1
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
  zone  = var.zones[count.index % length(var.zones)]
}
log_group app {
  retention_days = var.env != "prod" && true ? 7 : 30 * 3
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let second = Address::with_key(Kind::Subnet, "private", "1");
    assert_eq!(known(&a, &second, "cidr"), Value::String("10.0.11.0/24".into()));
    let logs = Address::new(Kind::LogGroup, "app");
    assert_eq!(known(&a, &logs, "retention_days"), Value::Int(90));
    let dev = analyse(text, &[("env", "dev")]);
    assert!(dev.diagnostics.is_empty(), "{:#?}", dev.diagnostics);
    let stack = dev.stack.as_ref().expect("valid");
    assert_eq!(
        stack
            .resources
            .iter()
            .filter(|r| r.kind() == Kind::Subnet)
            .count(),
        1
    );
    assert_eq!(known(&dev, &logs, "retention_days"), Value::Int(7));
}

/// Regression: `count` became a resource's meta-attribute, and nested
/// blocks lost their own `count` (an ECR lifecycle rule's).
#[test]
fn a_nested_blocks_count_is_its_own_attribute() {
    let a = analyse(
        "ecr_repository app {\n  lifecycle_rule {\n    priority   = 1\n    count_type = \"imageCountMoreThan\"\n    count      = 20\n  }\n}\n",
        &[],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let repo = stack
        .resource(&Address::new(Kind::EcrRepository, "app"))
        .expect("declared");
    let rule = &repo.body.blocks["lifecycle_rule"][0];
    assert_eq!(rule.body.known("count"), Some(&Value::Int(20)));
}

#[test]
fn terraforms_splat_reads_every_instance_or_element() {
    let text = r#"
variable services { default = [{ name = "web", port = 80 }, { name = "api", port = 8080 }] }
vpc main { cidr = "10.0.0.0/16" }
subnet private {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = element(["us-east-1a", "us-east-1b"], count.index)
}
route_table private {
  vpc     = vpc.main
  subnets = subnet.private[*].id
}
security_group web {
  vpc         = vpc.main
  description = join(",", var.services[*].name)
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let group = Address::new(Kind::SecurityGroup, "web");
    assert_eq!(known(&a, &group, "description"), Value::String("web,api".into()));
    let deps = dependencies(&a, &Address::new(Kind::RouteTable, "private"));
    assert!(deps.contains(&"subnet.private[\"1\"]".to_owned()), "{deps:?}");
}

#[test]
fn terraforms_locals_name_values_resources_read_and_depend_through() {
    let text = r#"
variable env { default = "prod" }
locals {
  prefix = "shop-${var.env}"
  tags   = { Environment = var.env, Team = "payments" }
}
locals {
  vpc_id  = vpc.main.id
  retain  = local.tags.Environment == "prod" ? 30 : 7
}
vpc main {
  cidr = "10.0.0.0/16"
  tags = local.tags
}
security_group web {
  name        = "${local.prefix}-web"
  vpc         = local.vpc_id
  description = "web"
}
log_group app { retention_days = local.retain }
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let group = Address::new(Kind::SecurityGroup, "web");
    assert_eq!(known(&a, &group, "name"), Value::String("shop-prod-web".into()));
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "app"), "retention_days"),
        Value::Int(30)
    );
    let stack = a.stack.as_ref().expect("valid");
    let web = stack.resource(&group).expect("declared");
    assert!(
        web.depends_on.contains(&Address::new(Kind::Vpc, "main")),
        "through local.vpc_id"
    );
}

#[test]
fn try_takes_the_first_argument_that_evaluates_and_can_says_whether_one_does() {
    let text = r#"
variable settings { default = { web = { days = 14 } } }
log_group web { retention_days = try(var.settings.web.days, 7) }
log_group api { retention_days = try(var.settings.api.days, 7) }
log_group flags {
  name = join("_", formatlist("%s-%s", ["a", "b"], tostring(can(var.settings.api))))
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "web"), "retention_days"),
        Value::Int(14)
    );
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "api"), "retention_days"),
        Value::Int(7)
    );
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "flags"), "name"),
        Value::String("a-false_b-false".into())
    );
}

#[test]
fn terraforms_dynamic_blocks_make_one_nested_block_per_element() {
    let text = r#"
variable rules {
  default = [{ port = 80, cidr = "0.0.0.0/0" }, { port = 443, cidr = "10.0.0.0/8" }]
}
vpc main { cidr = "10.0.0.0/16" }
security_group web {
  vpc         = vpc.main
  description = "web"
  dynamic "ingress" {
    for_each = var.rules
    content {
      port = ingress.value.port
      cidr = ingress.value.cidr
    }
  }
  dynamic "egress" {
    for_each = { https = 443 }
    iterator = out
    content {
      port        = out.value
      cidr        = "0.0.0.0/0"
      description = out.key
    }
  }
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let group = stack
        .resource(&Address::new(Kind::SecurityGroup, "web"))
        .expect("declared");
    let ports: Vec<_> = group.body.blocks["ingress"]
        .iter()
        .map(|b| b.body.known("port").cloned())
        .collect();
    assert_eq!(ports, [Some(Value::Int(80)), Some(Value::Int(443))]);
    let egress = &group.body.blocks["egress"][0].body;
    assert_eq!(egress.known("description"), Some(&Value::String("https".into())));
}

/// Terraform's splat on a single resource is a list of it, and 0.11's
/// legacy splat indexed after reads the list: E0304 and E0305 before.
#[test]
fn splats_of_single_resources_and_indexed_splats_are_terraforms() {
    let text = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet public {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = element(["us-east-1a", "us-east-1b"], count.index)
}
security_group app { vpc = vpc.main }
load_balancer web {
  internal        = true
  subnets         = [subnet.public.*.id[1], subnet.public.*.id[0]]
  security_groups = security_group.app.*.id
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let lb = stack
        .resource(&Address::new(Kind::LoadBalancer, "web"))
        .expect("declared");
    let refs = |attr: &str| format!("{:?}", lb.body.attrs[attr].node.refs());
    let subnets = refs("subnets");
    assert!(
        subnets.find("\"1\"") < subnets.find("\"0\""),
        "the second subnet first: {subnets}"
    );
    assert!(refs("security_groups").contains("app"));
    assert!(
        matches!(lb.body.attrs["security_groups"].node, berth_lang::DesiredValue::List(ref l) if l.len() == 1)
    );
}

/// HCL's legacy index (`aws_security_group.task.0.id`, infrablocks' 0.11
/// modules) is `[0]`: a syntax error before.
#[test]
fn a_legacy_dot_index_is_an_index() {
    let text = |index: &str| {
        format!(
            "vpc main {{ cidr = \"10.0.0.0/16\" }}\n\
             subnet public {{\n  count = 2\n  vpc = vpc.main\n  cidr = cidrsubnet(\"10.0.0.0/16\", 8, count.index)\n  zone = element([\"us-east-1a\", \"us-east-1b\"], count.index)\n}}\n\
             load_balancer web {{\n  internal = true\n  subnets = [subnet.public{index}.id, subnet.public[0].id]\n}}\n"
        )
    };
    let subnets = |a: &Analysis| {
        assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
        let lb = a
            .stack
            .as_ref()
            .and_then(|s| s.resource(&Address::new(Kind::LoadBalancer, "web")));
        format!("{:?}", lb.expect("declared").body.attrs["subnets"].node.refs())
    };
    assert_eq!(
        subnets(&analyse(&text(".1"), &[])),
        subnets(&analyse(&text("[1]"), &[]))
    );
}

/// Regression: a service's `dynamic "load_balancer"` made every
/// `lb.NAME` in the service (`depends_on = [lb.main]`, berth's
/// `load_balancer.main`) read as the iterator outside its content (E0302).
#[test]
fn a_dynamic_block_named_for_a_kind_leaves_references_to_that_kind_alone() {
    let text = r#"
variable enabled { default = true }
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
subnet b {
  vpc  = vpc.main
  cidr = "10.0.2.0/24"
  zone = "us-east-1b"
}
lb main {
  internal = true
  subnets  = [subnet.a.id, subnet.b.id]
}
target_group app {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port  = 80
  }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
  depends_on      = [lb.main]
  dynamic "load_balancer" {
    for_each = var.enabled ? [80] : []
    content {
      target_group = target_group.app
      container    = "app"
      port         = load_balancer.value
    }
  }
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let service = stack
        .resource(&Address::new(Kind::Service, "app"))
        .expect("declared");
    assert_eq!(service.body.blocks["load_balancer"].len(), 1);
    assert!(
        service.depends_on.iter().any(|d| d.kind == Kind::LoadBalancer),
        "{:?}",
        service.depends_on
    );
}

/// A `security_group_rule` of several CIDRs is one rule per CIDR, as
/// Terraform's resource makes them (E0211 "has one source" before); one
/// CIDR stays one rule, at the address it had.
#[test]
fn a_security_group_rule_of_several_cidrs_is_one_per_cidr() {
    let text = r#"
locals { office = ["203.0.113.0/24", "198.51.100.0/24"] }
vpc main { cidr = "10.0.0.0/16" }
security_group app { vpc = vpc.main }
security_group_rule office {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = local.office
  security_group_id = security_group.app.id
}
security_group_rule both {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = security_group.app.id
}
security_group_rule one {
  type              = "ingress"
  from_port         = 80
  to_port           = 80
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = security_group.app.id
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let rules: Vec<String> = stack
        .resources
        .iter()
        .filter(|r| r.kind() == Kind::SecurityGroupRule)
        .map(|r| format!("{} {:?}", r.address, r.body.known("cidr")))
        .collect();
    assert_eq!(
        rules,
        [
            "security_group_rule.both[\"0.0.0.0/0\"] Some(String(\"0.0.0.0/0\"))",
            "security_group_rule.both[\"::/0\"] Some(String(\"::/0\"))",
            "security_group_rule.office[\"198.51.100.0/24\"] Some(String(\"198.51.100.0/24\"))",
            "security_group_rule.office[\"203.0.113.0/24\"] Some(String(\"203.0.113.0/24\"))",
            "security_group_rule.one Some(String(\"10.0.0.0/8\"))",
        ]
    );
}

/// `stack.name` reads the stack's name (CloudFormation's
/// `AWS::StackName`); it was E0306.
#[test]
fn stack_name_reads_the_stacks_name() {
    let text = r#"
variable env { default = "dev" }
stack "web-${var.env}" { region = "us-east-1" }
log_group app { name = "/ecs/${stack.name}" }
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "app"), "name"),
        Value::String("/ecs/web-dev".into())
    );
    let wrong = analyse(
        "stack \"s\" { region = \"us-east-1\" }\nlog_group app { name = stack.region }\n",
        &[],
    );
    assert!(
        wrong.diagnostics.iter().any(|d| d.code == "E0302"),
        "{:#?}",
        wrong.diagnostics
    );
    let itself = analyse("stack \"s-${stack.name}\" { region = \"us-east-1\" }\n", &[]);
    assert!(
        itself.diagnostics.iter().any(|d| d.code == "E0310"),
        "{:#?}",
        itself.diagnostics
    );
}

/// `count` written as text, as a variable left untyped often holds it
/// (`variable "az_count" { default = "2" }`): Terraform converts it.
#[test]
fn a_count_written_as_text_is_its_number() {
    let text = r#"
variable az_count { default = "2" }
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  count = var.az_count
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = "us-east-1a"
}
subnet off {
  count = "0"
  vpc   = vpc.main
  cidr  = "10.0.9.0/24"
  zone  = "us-east-1a"
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let names: Vec<String> = stack.resources.iter().map(|r| r.address.to_string()).collect();
    assert_eq!(names, ["vpc.main", "subnet.a[\"0\"]", "subnet.a[\"1\"]"]);
}

/// A `dynamic` block over a list written out of references: its length
/// is known before apply, its elements after (E0313 before).
#[test]
fn a_dynamic_block_over_references_makes_one_block_per_element() {
    let text = r#"
vpc main { cidr = "10.0.0.0/16" }
security_group lb { vpc = vpc.main }
security_group admin { vpc = vpc.main }
security_group app {
  vpc = vpc.main
  dynamic "ingress" {
    for_each = [security_group.lb.id, security_group.admin.id]
    content {
      port        = 8080
      from        = ingress.value
      description = "source ${ingress.key}"
    }
  }
  dynamic "egress" {
    for_each = { lb = security_group.lb.id }
    content {
      port        = 443
      from        = egress.value
      description = egress.key
    }
  }
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let group = stack
        .resource(&Address::new(Kind::SecurityGroup, "app"))
        .expect("declared");
    let ingress = &group.body.blocks["ingress"];
    let sources: Vec<String> = ingress
        .iter()
        .map(|b| {
            format!(
                "{:?} {:?}",
                b.body.known("description"),
                b.body.attrs["from"].node.refs()
            )
        })
        .collect();
    assert_eq!(sources.len(), 2);
    assert!(
        sources[0].contains("source 0") && sources[0].contains("lb"),
        "{sources:?}"
    );
    assert!(
        sources[1].contains("source 1") && sources[1].contains("admin"),
        "{sources:?}"
    );
    let egress = &group.body.blocks["egress"][0].body;
    assert_eq!(egress.known("description"), Some(&Value::String("lb".into())));
    assert!(format!("{:?}", egress.attrs["from"].node.refs()).contains("lb"));
}

#[test]
fn terraforms_for_expressions_make_lists_and_maps() {
    let text = r#"
variable services {
  default = {
    web = { port = 80, public = true }
    api = { port = 8080, public = false }
    adm = { port = 9000, public = false }
  }
}
variable zones { default = ["us-east-1a", "us-east-1b"] }
locals {
  public_ports = [for name, s in var.services : s.port if s.public]
  by_port      = {for name, s in var.services : tostring(s.port) => name}
  by_access    = {for name, s in var.services : s.public ? "public" : "private" => name...}
  indexed      = [for i, zone in var.zones : "${i}:${zone}"]
}
vpc main { cidr = "10.0.0.0/16" }
subnet private {
  for_each = {for i, zone in var.zones : zone => cidrsubnet("10.0.0.0/16", 8, i)}
  vpc      = vpc.main
  cidr     = each.value
  zone     = each.key
}
route_table private {
  vpc     = vpc.main
  subnets = [for subnet in subnet.private : subnet.id]
}
security_group web {
  vpc         = vpc.main
  description = join(",", [for p in local.public_ports : "port ${p}"])
  tags = {
    indexed = join(" ", local.indexed)
    by_port = join(",", [for port, name in local.by_port : "${port}=${name}"])
    private = join(",", local.by_access.private)
  }
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let group = Address::new(Kind::SecurityGroup, "web");
    assert_eq!(known(&a, &group, "description"), Value::String("port 80".into()));
    let Value::Map(tags) = known(&a, &group, "tags") else {
        panic!("tags are a map");
    };
    assert_eq!(tags["indexed"], Value::String("0:us-east-1a 1:us-east-1b".into()));
    assert_eq!(tags["by_port"], Value::String("80=web,8080=api,9000=adm".into()));
    // Grouped keys hold their elements in the map's (sorted) order.
    assert_eq!(tags["private"], Value::String("adm,api".into()));
    let subnet = Address::with_key(Kind::Subnet, "private", "us-east-1b");
    assert_eq!(known(&a, &subnet, "cidr"), Value::String("10.0.1.0/24".into()));
    // Each instance's id, known after apply: the table waits for both.
    let deps = dependencies(&a, &Address::new(Kind::RouteTable, "private"));
    assert!(
        deps.contains(&"subnet.private[\"us-east-1a\"]".to_owned()),
        "{deps:?}"
    );
    assert!(
        deps.contains(&"subnet.private[\"us-east-1b\"]".to_owned()),
        "{deps:?}"
    );
}

#[test]
fn a_for_expressions_names_are_known_only_inside_it() {
    let text = r#"
variable ports { default = [80, 443] }
vpc main { cidr = "10.0.0.0/16" }
security_group web {
  vpc         = vpc.main
  description = join(",", [for p in var.ports : tostring(p)])
  name        = p
}
"#;
    let a = analyse(text, &[]);
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0306"], "{:#?}", a.diagnostics);
}

#[test]
fn a_for_expression_reports_what_it_cannot_iterate_or_bind() {
    let cases = [
        // A string is no collection.
        (r#"[for c in "abc" : c]"#, "E0330"),
        // The element would hide `var.`.
        ("[for var in [1] : var]", "E0329"),
        // Two elements make one key without `...`.
        (r#"{for x in ["a", "a"] : x => 1}"#, "E0314"),
        // A condition is a bool.
        ("[for x in [1] : x if x]", "E0328"),
        // An instance has only its kind's attributes.
        ("[for s in subnet.private : s.cidr_blocks]", "E0305"),
        // Ids are known only after apply: no collection to iterate.
        ("[for x in [vpc.main.id] : x.name]", "E0325"),
    ];
    for (expr, code) in cases {
        let text = format!(
            r#"
vpc main {{ cidr = "10.0.0.0/16" }}
subnet private {{
  count = 1
  vpc   = vpc.main
  cidr  = "10.0.0.0/24"
  zone  = "us-east-1a"
}}
output x {{ value = {expr} }}
"#
        );
        let a = analyse(&text, &[]);
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [code], "{expr}: {:#?}", a.diagnostics);
    }
}

#[test]
fn any_value_is_indexed_as_terraform_indexes_it() {
    let text = r#"
variable csv { default = "a,b,c" }
variable ports { default = { web = 80, api = 8080 } }
vpc main { cidr = "10.0.0.0/16" }
subnet x {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = "us-east-1a"
}
route_table main {
  vpc     = vpc.main
  subnets = [[for s in subnet.x : s.id][1]]
}
security_group web {
  vpc         = vpc.main
  description = split(",", var.csv)[1]
  tags = {
    first = [for k, v in var.ports : k][0]
    port  = tostring((var.ports).web)
    json  = jsondecode("{\"a\": {\"b\": \"deep\"}}").a.b
    all   = join(",", [{ n = "x" }, { n = "y" }][*].n)
  }
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let group = Address::new(Kind::SecurityGroup, "web");
    assert_eq!(known(&a, &group, "description"), Value::String("b".into()));
    let Value::Map(tags) = known(&a, &group, "tags") else {
        panic!("tags are a map");
    };
    assert_eq!(tags["first"], Value::String("api".into()));
    assert_eq!(tags["port"], Value::String("80".into()));
    assert_eq!(tags["json"], Value::String("deep".into()));
    assert_eq!(tags["all"], Value::String("x,y".into()));
    let deps = dependencies(&a, &Address::new(Kind::RouteTable, "main"));
    assert!(deps.contains(&"subnet.x[\"1\"]".to_owned()), "{deps:?}");

    let a = analyse("output x { value = split(\",\", \"a\")[3] }\n", &[]);
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0325"], "{:#?}", a.diagnostics);
}

/// Regression: past ten counted instances, a bare reference must list
/// them as numbers (`2` before `10`), as Terraform does, not as text.
#[test]
fn counted_instances_list_in_number_order() {
    let text = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet x {
  count = 12
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = "us-east-1a"
}
security_group web {
  vpc         = vpc.main
  description = join(" ", [for i, s in subnet.x : "${i}=${s.cidr}"])
}
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let group = Address::new(Kind::SecurityGroup, "web");
    let Value::String(description) = known(&a, &group, "description") else {
        panic!("a string");
    };
    let keys: Vec<&str> = description
        .split(' ')
        .map(|p| p.split('=').next().unwrap_or_default())
        .collect();
    let expected: Vec<String> = (0..12).map(|i| i.to_string()).collect();
    assert_eq!(keys, expected);
    assert!(
        description.starts_with("0=10.0.0.0/24 1=10.0.1.0/24 2=10.0.2.0/24"),
        "{description}"
    );
}

#[test]
fn files_are_read_next_to_the_stack_as_terraforms_file_functions_read_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.berth"),
        r#"
variable env { default = "prod" }
vpc main { cidr = "10.0.0.0/16" }
security_group web {
  vpc         = vpc.main
  description = trimspace(file("${path.module}/description.txt"))
  tags = {
    banner  = templatefile("banner.tpl", { env = var.env, ports = [80, 443] })
    present = tostring(fileexists("banner.tpl"))
    absent  = tostring(fileexists("nope.tpl"))
    encoded = filebase64("${path.module}/description.txt")
  }
}
"#,
    )
    .expect("write the stack");
    std::fs::write(dir.path().join("description.txt"), "web tier\n").expect("write");
    std::fs::write(
        dir.path().join("banner.tpl"),
        "env=${upper(env)} \"first\"=${ports[0]} $${literal} 100%%{x}\n%{ for p in ports ~}\n${p};\n%{~ endfor } %{ if env == \"prod\" }P%{ else }D%{ endif }",
    )
    .expect("write");
    let (sources, diags) = load::load_dir(dir.path()).expect("load");
    let options = Options {
        default_name: "test".into(),
        ..Options::default()
    };
    let a = analyze(sources, diags, &options);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let group = Address::new(Kind::SecurityGroup, "web");
    assert_eq!(known(&a, &group, "description"), Value::String("web tier".into()));
    let Value::Map(tags) = known(&a, &group, "tags") else {
        panic!("tags are a map");
    };
    assert_eq!(
        tags["banner"],
        Value::String("env=PROD \"first\"=80 ${literal} 100%{x}\n80;443; P".into())
    );
    assert_eq!(tags["present"], Value::String("true".into()));
    assert_eq!(tags["absent"], Value::String("false".into()));
    // cds-snc's `filebase64(...)` of a file: its bytes in base64.
    assert_eq!(tags["encoded"], Value::String("d2ViIHRpZXIK".into()));

    // A template reads only the variables it is given; a missing file and
    // an unpaired directive are errors at the call.
    for (call, label) in [
        (
            r#"templatefile("banner.tpl", { ports = [1] })"#,
            "`env` is not one of the template's variables",
        ),
        (r#"file("missing.txt")"#, "cannot read"),
        (r#"templatefile("if.tpl", {})"#, "without its `%{ endif }`"),
    ] {
        std::fs::write(dir.path().join("if.tpl"), "%{ if true }x").expect("write");
        std::fs::write(
            dir.path().join("main.berth"),
            format!("output x {{ value = {call} }}\n"),
        )
        .expect("write");
        let (sources, diags) = load::load_dir(dir.path()).expect("load");
        let a = analyze(sources, diags, &options);
        let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0316"], "{call}: {:#?}", a.diagnostics);
        assert!(
            a.diagnostics[0].label.contains(label),
            "{call}: {:#?}",
            a.diagnostics
        );
    }
}

#[test]
fn sensitive_marks_a_value_as_a_sensitive_variable_would() {
    let text = r#"
vpc main { cidr = "10.0.0.0/16" }
security_group web {
  vpc         = vpc.main
  description = sensitive("not for plans")
}
output key { value = upper(sensitive("k")) }
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let stack = a.stack.as_ref().expect("valid");
    let group = stack
        .resource(&Address::new(Kind::SecurityGroup, "web"))
        .expect("declared");
    assert!(group.body.sensitive.contains("description"));
    assert!(stack.outputs[0].sensitive);
}

/// Terraform's `variables.tf` as written: quoted names, `optional(T,
/// DEFAULT)` (the default for a missing or null attribute), `nullable`,
/// and `validation` blocks checked against the value given.
#[test]
fn terraforms_variable_declarations_are_taken_and_validated() {
    let text = r#"
variable "retention" {
  type     = number
  default  = 30
  nullable = false
  validation {
    condition     = contains([1, 7, 30, 90], var.retention)
    error_message = "Retention is 1, 7, 30 or 90 days."
  }
}
variable "service" {
  type = object({
    name = string
    cpu  = optional(number, 256)
    tags = optional(map(string), {})
  })
  default = { name = "api", cpu = null }
}
log_group logs {
  retention_days = var.retention
  name           = "${var.service.name}-${var.service.cpu}"
  tags           = var.service.tags
}
output "cpu" { value = var.service.cpu }
"#;
    let a = analyse(text, &[]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let logs = Address::new(Kind::LogGroup, "logs");
    assert_eq!(known(&a, &logs, "name"), Value::String("api-256".into()));
    assert_eq!(known(&a, &logs, "retention_days"), Value::Int(30));

    let refused = analyse(text, &[("retention", "14")]);
    let messages: Vec<_> = refused
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        messages,
        [(
            "E0335",
            "variable `retention` fails its validation",
            Some("Retention is 1, 7, 30 or 90 days.")
        )]
    );
    let null = analyse(text, &[("retention", "null")]);
    assert!(
        null.diagnostics
            .iter()
            .any(|d| d.code == "E0335" && d.message == "variable `retention` is null"),
        "{:#?}",
        null.diagnostics
    );
}

/// Terraform's legacy bare collection types (umotif-public's ecs-fargate
/// module declares its lists so): `list` is `list(any)`, `map` is
/// `map(any)`. E0323 before.
#[test]
fn bare_collection_types_are_of_any_elements() {
    let text = r#"
variable zones { type = list }
variable tags  { type = map }
log_group logs { tags = var.tags }
"#;
    let a = analyse(
        text,
        &[("zones", r#"["a", "b"]"#), ("tags", r#"{ team = "web" }"#)],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert_eq!(
        known(&a, &Address::new(Kind::LogGroup, "logs"), "tags"),
        Value::Map([("team".to_owned(), Value::from("web"))].into())
    );
}

/// HCL's object constructor keeps a key's last value (ported container
/// definitions repeat `"name"` and `"image"`, and what runs is the later
/// pair), where a `for` expression's duplicate key stays E0314.
#[test]
fn a_map_key_written_twice_holds_its_last_value() {
    let analysis = analyse(
        "log_group app {\n  name = \"app\"\n  tags = { Team = \"web\", team = \"x\", Team = \"shop\" }\n}\n",
        &[],
    );
    let tags = known(&analysis, &Address::new(Kind::LogGroup, "app"), "tags");
    let tags = tags.as_map().expect("a map");
    assert_eq!(tags.get("Team").and_then(Value::as_str), Some("shop"));
    assert_eq!(tags.len(), 2);
}

/// HCL's template of one interpolation is the value itself: Terraform
/// 0.11 stacks write lists and maps so (`"${aws_subnet.public.*.id}"`,
/// `"${var.tags}"`), where berth said it could not put a list in a string.
#[test]
fn a_string_of_one_interpolation_is_its_list_or_map() {
    let analysis = analyse(
        "variable tags { default = { Team = \"web\" } }\nlog_group app {\n  name = \"app\"\n  tags = \"${var.tags}\"\n}\n",
        &[],
    );
    let tags = known(&analysis, &Address::new(Kind::LogGroup, "app"), "tags");
    assert_eq!(
        tags.as_map().and_then(|m| m.get("Team")).and_then(Value::as_str),
        Some("web")
    );
}

/// Terraform 0.11's quoted `depends_on` entries (0.12 and later take them
/// with a warning) order by the resources they name.
#[test]
fn a_quoted_depends_on_entry_is_the_reference() {
    let analysis = analyse(
        "resource \"aws_vpc\" \"main\" { cidr_block = \"10.0.0.0/16\" }\n\
         resource \"aws_internet_gateway\" \"gw\" { vpc_id = aws_vpc.main.id }\n\
         resource \"aws_eip\" \"gw\" {\n  domain     = \"vpc\"\n  depends_on = [\"aws_internet_gateway.gw\"]\n}\n",
        &[],
    );
    let eip = Address::new(Kind::ElasticIp, "gw");
    assert_eq!(dependencies(&analysis, &eip), ["internet_gateway.gw"]);
}

/// Terraform 0.12 modules' `depends_on = [var.module_depends_on]` (every
/// mineiros-io module's resource) and a local listing resources: the
/// variable reads no resource, the local orders by the ones it lists.
/// Regression: both were E0333.
#[test]
fn a_depends_on_variable_or_local_orders_by_what_it_reads() {
    let analysis = analyse(
        "variable \"module_depends_on\" {\n  type    = any\n  default = []\n}\n\
         resource \"aws_vpc\" \"main\" { cidr_block = \"10.0.0.0/16\" }\n\
         locals { network = [aws_vpc.main] }\n\
         resource \"aws_ecs_cluster\" \"a\" {\n  name       = \"a\"\n  depends_on = [var.module_depends_on]\n}\n\
         resource \"aws_ecs_cluster\" \"b\" {\n  name       = \"b\"\n  depends_on = [local.network, var.module_depends_on]\n}\n",
        &[],
    );
    assert!(analysis.diagnostics.is_empty(), "{:#?}", analysis.diagnostics);
    assert!(dependencies(&analysis, &Address::new(Kind::Cluster, "a")).is_empty());
    assert_eq!(
        dependencies(&analysis, &Address::new(Kind::Cluster, "b")),
        ["vpc.main"]
    );
}
