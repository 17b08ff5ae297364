//! What AWS accepts, `validate` accepts: each stack here is valid on AWS and
//! must analyse without a diagnostic. The refusals are the cases under
//! `tests/diagnostics/`.

use std::path::Path;

use berth_lang::{Options, Sources, analyze, diagnostic, load};

/// Analyses `text` as the only file of a stack named `test`; panics with the
/// rendered diagnostics when there are any.
fn assert_valid(what: &str, text: &str) {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("main.berth"), text.as_bytes());
    let options = Options {
        default_name: "test".into(),
        ..Options::default()
    };
    let analysis = analyze(sources, diags, &options);
    assert!(
        analysis.diagnostics.is_empty(),
        "{what} should be valid:\n{}",
        diagnostic::render(&analysis.sources, &analysis.diagnostics)
    );
    assert!(analysis.stack.is_some(), "{what}");
}

fn group_with(rules: &str) -> String {
    format!("vpc main {{ cidr = \"10.0.0.0/16\" }}\nsecurity_group web {{\n  vpc = vpc.main\n{rules}\n}}\n")
}

#[test]
fn icmp_rules_take_types_and_codes() {
    for rule in [
        // Echo request, every code.
        r#"ingress { protocol = "icmp"  from_port = 8  to_port = -1  cidr = "0.0.0.0/0" }"#,
        // Destination unreachable, fragmentation needed: type 3 code 4.
        r#"ingress { protocol = "icmp"  from_port = 3  to_port = 4  cidr = "0.0.0.0/0" }"#,
        // Type above code: not a backwards range for ICMP.
        r#"ingress { protocol = "icmp"  from_port = 11  to_port = 0  cidr = "0.0.0.0/0" }"#,
        r#"ingress { protocol = "icmp"  from_port = -1  to_port = -1  cidr = "0.0.0.0/0" }"#,
        r#"ingress { protocol = "icmp"  cidr = "0.0.0.0/0" }"#,
        r#"ingress { protocol = "ICMP"  from_port = 255  to_port = 255  cidr = "0.0.0.0/0" }"#,
    ] {
        assert_valid(rule, &group_with(rule));
    }
}

#[test]
fn tcp_and_udp_take_every_port_from_zero() {
    for rule in [
        r#"ingress { from_port = 0  to_port = 65535  cidr = "10.0.0.0/8" }"#,
        r#"ingress { protocol = "udp"  port = 0  cidr = "10.0.0.0/8" }"#,
        r#"ingress { protocol = "TCP"  port = 443  cidr = "0.0.0.0/0" }"#,
        r#"egress { protocol = "udp"  from_port = 53  to_port = 53  cidr = "0.0.0.0/0" }"#,
    ] {
        assert_valid(rule, &group_with(rule));
    }
}

#[test]
fn all_traffic_takes_terraforms_idiom() {
    for rule in [
        r#"egress { protocol = "-1"  from_port = 0  to_port = 0  cidr = "0.0.0.0/0" }"#,
        r#"egress { protocol = "-1"  from_port = -1  to_port = -1  cidr = "0.0.0.0/0" }"#,
        r#"egress { protocol = "-1"  cidr = "0.0.0.0/0" }"#,
    ] {
        assert_valid(rule, &group_with(rule));
    }
}

#[test]
fn numbers_at_the_ends_of_their_ranges() {
    assert_valid(
        "edges",
        r#"
cluster main {}
role exec {
  assume   = "ecs-tasks.amazonaws.com"
  policies = [
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws:iam::123456789012:policy/team/Mine",
    "arn:aws-us-gov:iam::123456789012:policy/Gov",
  ]
}
log_group app { retention_days = 3653 }
task_definition app {
  cpu            = 16384
  memory         = 122880
  execution_role = role.exec
  task_role      = "arn:aws:iam::123456789012:role/path/app-role"
  container app {
    image        = "nginx"
    memory       = 122880
    cpu          = 0
    port         = 65535
    stop_timeout = 120
    logs         = log_group.app
    secrets      = { KEY = "arn:aws:ssm:us-east-1:123456789012:parameter/key" }
    ulimit {
      name = "nofile"
      soft = 0
      hard = 2147483647
    }
    health_check {
      command      = "true"
      interval     = 300
      timeout      = 60
      retries      = 10
      start_period = 0
    }
  }
}
service app {
  cluster             = cluster.main
  task_definition     = task_definition.app
  subnets             = ["subnet-0123456789abcdef0"]
  desired_count       = 2147483647
  min_healthy_percent = 0
  launch_type         = "FARGATE"
}
"#,
    );
}

#[test]
fn grace_period_with_a_load_balancer() {
    assert_valid(
        "grace period",
        r#"
vpc main { cidr = "10.0.0.0/16" }
cluster main {}
target_group app {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
task_definition app {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port  = 80
  }
}
service app {
  cluster                   = cluster.main
  task_definition           = task_definition.app
  subnets                   = ["subnet-0123456789abcdef0"]
  health_check_grace_period = 2147483647
  load_balancer {
    target_group = target_group.app
    container    = "app"
    port         = 80
  }
}
"#,
    );
}

#[test]
fn subnets_of_16_to_28_and_listeners_on_distinct_ports() {
    assert_valid(
        "subnets and listeners",
        r#"
vpc main { cidr = "10.0.0.0/16" }
subnet whole {
  vpc  = vpc.main
  cidr = "10.0.0.0/17"
  zone = "us-east-1a"
}
subnet small {
  vpc  = vpc.main
  cidr = "10.0.128.0/28"
  zone = "us-east-1b"
}
internet_gateway main { vpc = vpc.main }
load_balancer web { subnets = [subnet.whole, subnet.small] }
load_balancer private {
  subnets  = [subnet.whole, subnet.small]
  internal = true
}
target_group app {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
listener http {
  load_balancer = load_balancer.web
  port          = 80
  default       = target_group.app
}
listener alt {
  load_balancer = load_balancer.web
  port          = 8080
  default       = target_group.app
}
"#,
    );
}

#[test]
fn forty_eight_tags_of_aws_lengths() {
    let mut tags: Vec<String> = (0..47).map(|i| format!("t{i} = \"x\"")).collect();
    tags.push(format!("{} = \"{}\"", "k".repeat(128), "v".repeat(256)));
    let text = format!(
        "cluster main {{\n  tags = {{ {} }}\n}}\nvpc main {{\n  cidr = \"10.0.0.0/16\"\n  tags = {{ note = \"any, chars; on EC2!\", \"kubernetes.io/role\" = \"\" }}\n}}\n",
        tags.join(", ")
    );
    assert_valid("48 tags", &text);
}

#[test]
fn descriptions_and_names_within_aws_limits() {
    let role = "r".repeat(64 - "test-".len());
    let text = format!(
        r#"
vpc main {{ cidr = "10.0.0.0/16" }}
security_group web {{
  vpc         = vpc.main
  description = "Web servers (public): 80, 443 & more [v2]"
  ingress {{
    port        = 443
    cidr        = "0.0.0.0/0"
    description = "HTTPS from anywhere"
  }}
}}
role {role} {{
  assume      = "ecs-tasks.amazonaws.com"
  description = "Runs the app.\nIAM takes line breaks and Latin-1: café"
}}
"#
    );
    assert_valid("descriptions", &text);
}

#[test]
fn log_drivers_and_firelens_fargate_runs() {
    assert_valid(
        "FireLens router, awsfirelens, awslogs with every option, splunk",
        r#"
stack "shop" { region = "us-east-1" }
role exec { assume = "ecs-tasks.amazonaws.com" }
task_definition app {
  cpu            = 512
  memory         = 1024
  execution_role = role.exec
  container log_router {
    image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
    firelens {
      type    = "fluentbit"
      options = { "enable-ecs-log-metadata" = "true", "config-file-type" = "file", "config-file-value" = "/fluent-bit/configs/parse-json.conf" }
    }
    log {
      driver  = "awslogs"
      options = { "awslogs-group" = "/ecs/firelens", "awslogs-region" = "us-east-1", "awslogs-stream-prefix" = "firelens", "awslogs-create-group" = "true" }
    }
  }
  container app {
    image = "nginx"
    log {
      driver         = "awsfirelens"
      options        = { Name = "datadog", Host = "http-intake.logs.datadoghq.com", TLS = "on" }
      secret_options = { apikey = "arn:aws:ssm:us-east-1:123456789012:parameter/datadog" }
    }
  }
  container worker {
    image = "worker"
    log {
      driver  = "awslogs"
      options = { "awslogs-group" = "/ecs/worker", "awslogs-stream-prefix" = "w", "awslogs-datetime-format" = "%Y-%m-%d %H:%M:%S", "mode" = "non-blocking", "max-buffer-size" = "25m" }
    }
  }
  container audit {
    image = "audit"
    log {
      driver         = "splunk"
      options        = { "splunk-url" = "https://splunk.example.com:8088", "splunk-format" = "json" }
      secret_options = { "splunk-token" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:splunk-AbCdEf" }
    }
  }
}
"#,
    );
}

#[test]
fn route53_zones_and_records_route53_takes() {
    assert_valid(
        "zones and records",
        r#"
vpc main { cidr = "10.0.0.0/16" }
load_balancer web { subnets = ["subnet-1", "subnet-2"] }
hosted_zone main { name = "Example.com." }
hosted_zone internal {
  name = "internal.example"
  vpcs = [vpc.main]
}
dns_record apex {
  zone = hosted_zone.main
  name = "example.com"
  type = "A"
  alias { target = load_balancer.web }
}
dns_record wildcard {
  zone    = hosted_zone.main
  name    = "*.example.com."
  type    = "cname"
  ttl     = 0
  records = ["example.com"]
}
dns_record dmarc {
  zone    = hosted_zone.main
  name    = "_dmarc.example.com"
  type    = "TXT"
  ttl     = 2147483647
  records = ["\"v=DMARC1; p=none\""]
}
dns_record elsewhere {
  zone = "Z0123456789ABCDEFGHIJ"
  name = "www.example.org"
  type = "AAAA"
  alias {
    name            = "dualstack.web-1.us-east-1.elb.amazonaws.com"
    zone_id         = "Z35SXDOTRQ7X7K"
    evaluate_health = true
  }
}
"#,
    );
}

/// Regression: an ARN built by interpolation (`"${managed_policy.x.arn}"`,
/// an account id from a variable) where a reference or an ARN goes was
/// refused as "a string", though a plain ARN string is accepted.
#[test]
fn interpolated_arns_where_references_go() {
    assert_valid(
        "interpolated policy ARNs",
        r#"
variable account { default = "123456789012" }
managed_policy read {
  document = {
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  }
}
role task {
  assume   = "ecs-tasks.amazonaws.com"
  policies = ["${managed_policy.read.arn}", "arn:aws:iam::${var.account}:policy/legacy"]
}
"#,
    );
}

#[test]
fn fractional_targets_and_step_bounds_as_cloudformation_writes_them() {
    let stack = r#"cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = ["subnet-0123456789abcdef0"]
  autoscaling {
    min_capacity = 1
    max_capacity = 4
    target_tracking cpu {
      metric = "cpu"
      target = 0.5
    }
    target_tracking memory {
      metric = "memory"
      target = 75.0
    }
    step_scaling burst {
      step {
        upper      = -0.25
        adjustment = -1
      }
      step {
        lower      = -0.25
        adjustment = 2
      }
    }
  }
}
"#;
    assert_valid("fractions", stack);
}

#[test]
fn metric_alarms_as_cloudformation_and_terraform_write_them() {
    let stack = r#"cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = ["subnet-0123456789abcdef0"]
  alarms {
    alarm_names = [metric_alarm.latency.name]
    enable      = true
    rollback    = true
  }
  autoscaling {
    min_capacity = 1
    max_capacity = 4
    step_scaling up {
      step {
        lower      = 0
        adjustment = 1
      }
    }
  }
}
metric_alarm latency {
  name                = "app: p99.9 latency (seconds)"
  metric_name         = "TargetResponseTime"
  namespace           = "AWS/ApplicationELB"
  extended_statistic  = "p99.9"
  unit                = "Seconds"
  period              = 10
  evaluation_periods  = 8640
  datapoints_to_alarm = 8640
  threshold           = 0.25
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
}
metric_alarm cpu {
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  dimensions          = { ClusterName = cluster.main.name, ServiceName = service.app.name }
  statistic           = "Maximum"
  period              = 86400
  evaluation_periods  = 7
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:ops"]
  ok_actions          = ["arn:aws:sns:eu-west-1:123456789012:ops"]
  scaling_policy { service = service.app  policy = "up" }
}
"#;
    assert_valid("alarms", stack);
}

/// Terraform's aws_sns_topic_policy names its topic's ARN; folded into the
/// topic, that is the topic reading itself, in a setting AWS changes in
/// place: berth creates the topic, then sets its policy.
#[test]
fn a_policy_reads_its_own_resource() {
    let stack = r#"
sns_topic alerts { name = "alerts" }
sns_topic_policy alerts {
  arn = sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = "SNS:Publish"
      Resource  = sns_topic.alerts.arn
    }]
  })
}
sns_topic events { display_name = "Events of ${sns_topic.events.name}" }
"#;
    assert_valid("policy naming its topic", stack);
}

/// Regression: `self = true` in a `dynamic "ingress"` block's `content`
/// was read as the group referring to itself in a cycle (E0308), where
/// the same rule written as an `ingress` block was the group's own id.
#[test]
fn a_dynamic_rules_self_is_the_group_itself() {
    let content = r#"
  dynamic "ingress" {
    for_each = [{ protocol = "-1", from_port = 0, to_port = 0 }]
    content {
      self      = true
      protocol  = ingress.value.protocol
      from_port = ingress.value.from_port
      to_port   = ingress.value.to_port
    }
  }"#;
    assert_valid("a security group's dynamic self rule", &group_with(content));
    let default_group = format!(
        "vpc main {{ cidr = \"10.0.0.0/16\" }}\ndefault_security_group main {{\n  count  = 1\n  vpc_id = vpc.main.id\n{content}\n}}\n"
    );
    assert_valid("a default group's dynamic self rule", &default_group);
}

/// ECS sends a container's awslogs to the region its options name, a
/// central log region included (AWS's FireLens examples log to two).
#[test]
fn awslogs_may_name_another_region() {
    assert_valid(
        "awslogs to eu-west-1 from a us-east-1 stack",
        r#"stack "central" { region = "us-east-1" }
task_definition app {
  cpu            = 256
  memory         = 512
  execution_role = "arn:aws:iam::123456789012:role/exec"
  container app {
    image = "nginx"
    log {
      driver  = "awslogs"
      options = { "awslogs-group" = "central", "awslogs-region" = "eu-west-1", "awslogs-stream-prefix" = "app" }
    }
  }
}
"#,
    );
}

/// Terraform converts `"true"` and `"false"` where it takes a bool, also
/// where berth takes ECS's `ENABLED`/`DISABLED` too (cloudposse's and the
/// ECS blueprints' `assign_public_ip = "false"` from a string variable).
#[test]
fn quoted_bools_where_a_switch_goes() {
    assert_valid(
        "assign_public_ip = \"false\"",
        r#"
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
ecs_service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  network_configuration {
    subnets          = ["subnet-0123456789abcdef0"]
    assign_public_ip = "false"
  }
}
"#,
    );
}

/// A setting that is null is left out, as Terraform reads it:
/// umotif-public/terraform-aws-ecs-fargate's `launch_type` beside a
/// strategy (E0560 before), and a setting berth does not write set to
/// nothing (`instance = null`, E0201 before).
#[test]
fn a_null_setting_is_a_setting_left_out() {
    assert_valid(
        "a null launch type beside a strategy",
        r#"
variable strategy { default = [{ capacity_provider = "FARGATE_SPOT", weight = 100 }] }
cluster main { capacity_providers = ["FARGATE", "FARGATE_SPOT"] }
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = ["subnet-0123456789abcdef0"]
  launch_type     = length(var.strategy) == 0 ? "FARGATE" : null
  dynamic "capacity_provider_strategy" {
    for_each = var.strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
    }
  }
}
elastic_ip nat {
  domain   = "vpc"
  instance = null
}
"#,
    );
}

#[test]
fn terraforms_slash_and_block_comments() {
    assert_valid(
        "// and /* */ comments",
        "// a line comment\n/* a block\n   comment */\nvpc main { // after the brace\n  cidr = \"10.0.0.0/16\" /* inline */\n}\nlog_group app {\n  name           = \"/app\"\n  retention_days = 28 / 2 // a division, then a comment\n}\n",
    );
}

/// Regression: `ignore_changes` naming an attribute that is also a kind
/// (`task_definition`, `load_balancer`) panicked while Terraform's names
/// were read (DevSecOpsSamples' `ignore_changes = [task_definition,
/// load_balancer]`, the README's own example).
#[test]
fn ignore_changes_naming_an_attribute_that_is_a_kind() {
    let service = |ignored: &str| {
        format!(
            "cluster c {{}}\ntask_definition t {{\n  cpu    = 256\n  memory = 512\n  container app {{ image = \"nginx\" }}\n}}\nservice s {{\n  cluster         = cluster.c\n  task_definition = task_definition.t\n  subnets         = [\"subnet-123\"]\n  {ignored}\n}}\n"
        )
    };
    assert_valid(
        "berth's",
        &service("ignore_changes = [task_definition, load_balancer, desired_count]"),
    );
    assert_valid(
        "Terraform's",
        &service("lifecycle {\n    ignore_changes = [task_definition, load_balancer]\n  }"),
    );
}

/// ECR documents no upper bound for a rule's priority; stacks Terraform
/// applied give the last `any` rule 1000 (sjansen's ambassador).
#[test]
fn lifecycle_rule_priority_of_a_thousand() {
    assert_valid(
        "priority 1000",
        "ecr_repository app {\n  lifecycle_rule {\n    priority     = 1000\n    tag_status   = \"any\"\n    count_type   = \"imageCountMoreThan\"\n    count        = 30\n  }\n}\n",
    );
}

/// Terraform 0.12's provider pin, `version = "~> 3.0"`, in nearly every
/// stack of that era (shajalahamedcse's template): E0211 before.
#[test]
fn a_provider_pinned_to_a_version() {
    assert_valid(
        "provider version",
        "provider \"aws\" {\n  region  = \"us-east-1\"\n  version = \"~> 3.0\"\n}\nvpc main { cidr = \"10.0.0.0/16\" }\n",
    );
}

/// A module written for a caller's aliased provider (qatalyst's,
/// `configuration_aliases = [aws.ecs_region]`) names it on every resource
/// and lookup: two errors each before (E0201 and E0306), none naming why.
#[test]
fn resources_naming_an_aliased_provider() {
    assert_valid(
        "provider meta-argument",
        "terraform {\n  required_providers {\n    aws = {\n      source                = \"hashicorp/aws\"\n      configuration_aliases = [aws.ecs_region]\n    }\n  }\n}\nprovider \"aws\" { region = \"us-east-1\" }\ndata \"aws_region\" \"current\" { provider = aws.ecs_region }\nresource \"aws_cloudwatch_log_group\" \"g\" {\n  provider = aws.ecs_region\n  name     = \"g-${data.aws_region.current.name}\"\n}\n",
    );
}

/// lesscode's task definition waits for the cluster it looks up:
/// `depends_on = [data.aws_ecs_cluster.ecs]` (E0333 "not `KIND.NAME`"
/// before). Lookups are read before anything is applied.
#[test]
fn depends_on_a_lookup() {
    assert_valid(
        "depends on a lookup",
        "data \"aws_vpc\" \"main\" { default = true }\nresource \"aws_cloudwatch_log_group\" \"app\" {\n  name       = \"app\"\n  depends_on = [data.aws_vpc.main]\n}\n",
    );
}

/// An empty `provider "aws" {}` (or one of settings that change nothing
/// berth does) beside the stack block says nothing more.
#[test]
fn an_empty_aws_provider_beside_the_stack_block() {
    assert_valid(
        "provider beside stack",
        "stack \"s\" { region = \"eu-west-1\" }\nprovider \"aws\" {\n  max_retries = 5\n}\nterraform {}\nvpc main { cidr = \"10.0.0.0/16\" }\n",
    );
}
