//! Public ECS Fargate + ALB stacks rewritten in berth (`tests/stacks/NAME/
//! main.berth`, each naming the source it was rewritten from and what berth
//! could not express of it), run through a team's day on the local cloud
//! and through the SDK against moto: validate, apply, a clean re-plan, the
//! edits teams make (a new image, scaling, a new rule, an env var, a health
//! check path, a new subnet, a setting turned on), each applied and then
//! re-planned clean, and a destroy that leaves nothing of the stack.

mod common;

use std::path::Path;

use common::{Cloud, Project, addresses, copy_of, json_plan};

/// One edit of the stack's file: `from` replaced by `to` (once), or `to`
/// appended when `from` is empty; `what` names it in a failure.
struct Edit {
    what: &'static str,
    from: &'static str,
    to: &'static str,
}

const fn edit(what: &'static str, from: &'static str, to: &'static str) -> Edit {
    Edit { what, from, to }
}

fn stack(name: &str) -> Project {
    copy_of(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/stacks")
            .join(name),
    )
}

fn apply_edit(p: &Project, e: &Edit) {
    if e.from.is_empty() {
        p.write("main.berth", &(p.read("main.berth") + e.to));
    } else {
        p.edit("main.berth", e.from, e.to);
    }
}

/// The day: validate, the first apply, each edit applied then re-planned
/// clean, and a destroy after which the cloud holds nothing of `stack_name`.
fn day(name: &str, stack_name: &str, edits: &[Edit], cloud: &Cloud) {
    let p = stack(name);
    cloud.berth(&p.dir, &["validate"]).expect_code(0);
    cloud.converges(&p.dir, "the first apply");
    for e in edits {
        apply_edit(&p, e);
        cloud.converges(&p.dir, e.what);
    }
    destroys_everything(&p, stack_name, cloud);
}

/// Destroys the stack and checks that nothing of it is left: on the local
/// cloud by its file, on both by a plan that would create every resource
/// again (berth finds a stack's resources by their tags).
#[track_caller]
fn destroys_everything(p: &Project, stack_name: &str, cloud: &Cloud) {
    cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    if matches!(cloud, Cloud::Local) {
        let left = addresses(&p.cloud(), stack_name);
        assert!(left.is_empty(), "left after destroy: {left:?}");
    }
    let plan = json_plan(cloud.berth(&p.dir, &["plan", "--format", "json"]).expect_code(0));
    let kept: Vec<_> = plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .filter(|r| r["action"] != "create")
        .map(|r| r["address"].clone())
        .collect();
    assert!(kept.is_empty(), "still in the cloud after destroy: {kept:?}");
}

/// fumizaki/next-tstack: private subnets reaching ECR and S3 through VPC
/// endpoints, CPU target tracking.
const NEXT_TSTACK: &[Edit] = &[
    edit("a new image tag", ":latest\"", ":v1.4.2\""),
    edit(
        "the scaling bounds raised",
        "min_capacity = 1\n    max_capacity = 4",
        "min_capacity = 2\n    max_capacity = 8",
    ),
    edit(
        "an env var",
        "env = { NODE_ENV = var.environment }",
        "env = { NODE_ENV = var.environment, NEXT_PUBLIC_API_URL = \"https://api.example.com\" }",
    ),
    edit(
        "a health check path",
        "path                = \"/\"",
        "path                = \"/api/health\"",
    ),
    edit(
        "a third private subnet, in the endpoints' subnets and their group's rules",
        "{ \"ap-northeast-1a\" = \"10.0.10.0/24\", \"ap-northeast-1c\" = \"10.0.20.0/24\" }",
        "{ \"ap-northeast-1a\" = \"10.0.10.0/24\", \"ap-northeast-1c\" = \"10.0.20.0/24\", \"ap-northeast-1d\" = \"10.0.30.0/24\" }",
    ),
    edit(
        "ECS Exec turned on",
        "  public_ip           = false\n",
        "  public_ip           = false\n  enable_execute_command = true\n",
    ),
];

/// Its route table, for the third private subnet: a route table the S3
/// gateway endpoint gains (see the moto gap below).
const NEXT_TSTACK_ROUTE_TABLE: Edit = edit(
    "the third subnet's route table",
    "{ \"ap-northeast-1a\" = 0, \"ap-northeast-1c\" = 1 }",
    "{ \"ap-northeast-1a\" = 0, \"ap-northeast-1c\" = 1, \"ap-northeast-1d\" = 2 }",
);

#[test]
fn next_tstack_on_the_local_cloud() {
    let mut edits: Vec<Edit> = NEXT_TSTACK.iter().map(|e| edit(e.what, e.from, e.to)).collect();
    edits.push(NEXT_TSTACK_ROUTE_TABLE);
    day("next_tstack", "next-tstack-dev", &edits, &Cloud::Local);
}

/// On moto the day stops short of a new route table for the S3 gateway
/// endpoint, which moto cannot delete afterwards (the next test).
#[test]
fn next_tstack_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    day("next_tstack", "next-tstack-dev", NEXT_TSTACK, &Cloud::Aws(moto));
}

/// moto gap (docs/aws.md, "moto versus AWS"): ModifyVpcEndpoint's
/// AddRouteTableIds records the table without adding the endpoint's
/// prefix-list route to it, and DeleteVpcEndpoints then fails deleting
/// that route (InvalidRoute.NotFound). AWS adds the route and deletes it
/// with the endpoint. berth's destroy names the endpoint and moto's
/// answer. moto has by then deleted the routes of the tables before the
/// failing one, so the endpoint can never be deleted there; the server
/// goes with the test. A moto that adds the route fails this test.
#[test]
fn a_route_table_added_to_a_gateway_endpoint_stops_its_delete_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    let cloud = Cloud::Aws(moto);
    let p = stack("next_tstack");
    cloud.converges(&p.dir, "the first apply");
    apply_edit(&p, &NEXT_TSTACK[4]);
    apply_edit(&p, &NEXT_TSTACK_ROUTE_TABLE);
    cloud.converges(&p.dir, NEXT_TSTACK_ROUTE_TABLE.what);

    let destroy = cloud.berth(&p.dir, &["destroy", "--auto-approve"]);
    let out = destroy.all();
    assert_ne!(destroy.code, Some(0), "moto deleted the endpoint:\n{out}");
    assert!(
        out.contains("vpc_endpoint.s3: DeleteVpcEndpoints failed: InvalidRoute.NotFound"),
        "{out}"
    );
}

/// aws-samples/ecs-service-connect-yelb-sample-app: two NAT gateways, an
/// internal ALB behind a private hosted zone, Cloud Map discovery.
const YELB: &[Edit] = &[
    edit(
        "a new app server image",
        "yelb-appserver:latest\"",
        "yelb-appserver:v0.7\"",
    ),
    edit(
        "the UI scaled out",
        "desired_count   = 3\n  task_definition = task_definition.yelb_ui",
        "desired_count   = 5\n  task_definition = task_definition.yelb_ui",
    ),
    edit(
        "an app server env var",
        "RACK_ENV                = \"custom\"",
        "RACK_ENV                = \"custom\"\n      YELB_LOG_LEVEL          = \"debug\"",
    ),
    edit(
        "a UI health check path",
        "health_check {\n    interval            = 10",
        "health_check {\n    path                = \"/index.html\"\n    interval            = 10",
    ),
    edit(
        "a third private subnet",
        "",
        "\nsubnet private3 {\n  vpc  = vpc.main\n  cidr = \"10.0.128.0/19\"\n  zone = \"us-west-2c\"\n}\n",
    ),
    edit(
        "the app server in it",
        "subnets         = [subnet.private1, subnet.private2]\n  security_groups = [security_group.yelb_appserver]",
        "subnets         = [subnet.private1, subnet.private2, subnet.private3]\n  security_groups = [security_group.yelb_appserver]",
    ),
    edit(
        "it routed through the second NAT gateway",
        "subnets = [subnet.private2]",
        "subnets = [subnet.private2, subnet.private3]",
    ),
    edit(
        "Container Insights turned on",
        "cluster main { name = \"yelb-cluster\" }",
        "cluster main {\n  name               = \"yelb-cluster\"\n  container_insights = true\n}",
    ),
];

#[test]
fn yelb_on_the_local_cloud() {
    day("yelb", "yelb-serviceconnect", YELB, &Cloud::Local);
}

#[test]
fn yelb_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    day("yelb", "yelb-serviceconnect", YELB, &Cloud::Aws(moto));
}

/// aws/copilot-cli: an environment and a Load Balanced Web Service routed
/// by path, with a Cloud Map name and autoscaling.
const COPILOT: &[Edit] = &[
    edit("a new image", ":sha-1a2b3c4\"", ":sha-5d6e7f8\""),
    edit(
        "a higher scaling ceiling",
        "max_capacity = 10",
        "max_capacity = 20",
    ),
    edit(
        "a new path rule",
        "    forward  = target_group.frontend\n  }\n",
        "    forward  = target_group.frontend\n  }\n  rule frontend_api {\n    priority = 2\n    paths    = [\"/api/${var.svc}\", \"/api/${var.svc}/*\"]\n    forward  = target_group.frontend\n  }\n",
    ),
    edit(
        "an env var",
        "LOG_LEVEL                          = \"info\"",
        "LOG_LEVEL                          = \"debug\"\n      FEATURE_NEW_CHECKOUT               = \"true\"",
    ),
    edit(
        "a health check path",
        "health_check { path = \"/\" }",
        "health_check { path = \"/_healthcheck\" }",
    ),
    edit(
        "sticky sessions turned on",
        "deregistration_delay = 60\n  health_check { path",
        "deregistration_delay = 60\n  stickiness           = 86400\n  health_check { path",
    ),
    edit(
        "Copilot's tags on every resource, from the stack block",
        "stack \"${var.app}-${var.env}\" { region = \"us-east-1\" }",
        "stack \"${var.app}-${var.env}\" {\n  region = \"us-east-1\"\n  tags   = { \"copilot-application\" = var.app, \"copilot-environment\" = var.env }\n}",
    ),
];

#[test]
fn copilot_on_the_local_cloud() {
    day("copilot", "my-app-test", COPILOT, &Cloud::Local);
}

#[test]
fn copilot_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    day("copilot", "my-app-test", COPILOT, &Cloud::Aws(moto));
}

/// The canary of the Catalyst stack: a second target group and service for
/// the API's next version, and the API rule's weighted forward to both.
const CANARY_SERVICE: &str = "
target_group api_v2 {
  name                 = \"${var.name}-api-v2\"
  vpc                  = vpc.main
  port                 = 8080
  target_type          = \"ip\"
  deregistration_delay = 5
  health_check {
    path              = \"/health\"
    interval          = 10
    healthy_threshold = 2
  }
}

task_definition api_v2 {
  family         = \"${var.name}-api-v2\"
  cpu            = 256
  memory         = 512
  task_role      = role.task
  execution_role = role.task_execution
  container api {
    image = \"public.ecr.aws/nginx/nginx:1.29\"
    port_mapping { container_port = 8080 }
  }
}

service api_v2 {
  name            = \"api-v2\"
  cluster         = cluster.main
  task_definition = task_definition.api_v2
  subnets         = subnet.public
  security_groups = [security_group.tasks]
  load_balancer {
    target_group = target_group.api_v2
    container    = \"api\"
    port         = 8080
  }
}
";

const CANARY_RULE: (&str, &str) = (
    "    paths    = [\"/v1/*\"]\n    forward  = target_group.api\n",
    "    paths    = [\"/v1/*\"]\n    weighted_forward {\n      target_group = target_group.api\n      weight       = 90\n    }\n    weighted_forward {\n      target_group = target_group.api_v2\n      weight       = 10\n    }\n    forward_stickiness = 600\n",
);

/// Catalyst-Consulting-Group/terraform-aws-ecs: three services on one
/// listener by host and path, then a weighted canary.
fn catalyst(cloud: &Cloud) {
    let p = stack("catalyst");
    cloud.berth(&p.dir, &["validate"]).expect_code(0);
    cloud.converges(&p.dir, "the first apply");
    for e in [
        edit(
            "a new API image",
            "container api {\n    image     = \"public.ecr.aws/nginx/nginx:1.27\"",
            "container api {\n    image     = \"public.ecr.aws/nginx/nginx:1.28\"",
        ),
        edit(
            "the web service scaled out",
            "task_definition        = task_definition.web\n  desired_count          = 1",
            "task_definition        = task_definition.web\n  desired_count          = 3",
        ),
        edit(
            "a docs path rule",
            "  rule admin {",
            "  rule docs {\n    priority = 4\n    paths    = [\"/docs/*\"]\n    forward  = target_group.web\n  }\n  rule admin {",
        ),
        edit(
            "an admin env var",
            "    env = { APP_ENV = \"staging\" }\n  }\n}\n\nservice web",
            "    env = { APP_ENV = \"staging\", ADMIN_AUDIT_LOG = \"on\" }\n  }\n}\n\nservice web",
        ),
        edit(
            "an admin health check path",
            "${var.name}-admin\"\n  vpc                  = vpc.main\n  port                 = 8080\n  protocol             = \"HTTP\"\n  target_type          = \"ip\"\n  deregistration_delay = 5\n  health_check {\n    path              = \"/health\"",
            "${var.name}-admin\"\n  vpc                  = vpc.main\n  port                 = 8080\n  protocol             = \"HTTP\"\n  target_type          = \"ip\"\n  deregistration_delay = 5\n  health_check {\n    path              = \"/admin/health\"",
        ),
    ] {
        apply_edit(&p, &e);
        cloud.converges(&p.dir, e.what);
    }

    // The canary: its target group and service with the rule's weighted
    // forward in the same change (ECS refuses a service whose target group
    // no listener forwards to: the local cloud does, moto does not).
    apply_edit(&p, &edit("the canary's service", "", CANARY_SERVICE));
    // It converges; so do the weights moved to half and half.
    p.edit("main.berth", CANARY_RULE.0, CANARY_RULE.1);
    cloud.converges(&p.dir, "the API canary at 10 %");
    p.edit("main.berth", "weight       = 90", "weight       = 50");
    p.edit("main.berth", "weight       = 10", "weight       = 50");
    cloud.converges(&p.dir, "the API canary at half");

    // The admin service retired: its rule, service, task definition and
    // target group go in one change (the rule before the group).
    for block in [
        "target_group admin {",
        "task_definition admin {",
        "service admin {",
        "  rule admin {",
    ] {
        remove_block(&p, block);
    }
    cloud.converges(&p.dir, "the admin service retired");
    destroys_everything(&p, "catalyst-ecs", cloud);
}

/// Removes from the stack's file the block that starts with `header` (at
/// the start of a line) up to its closing brace at the same indentation.
fn remove_block(p: &Project, header: &str) {
    let text = p.read("main.berth");
    let start = text
        .find(&format!("\n{header}"))
        .unwrap_or_else(|| panic!("main.berth has no {header:?}"))
        + 1;
    let indent = &header[..header.len() - header.trim_start().len()];
    let close = format!("\n{indent}}}\n");
    let end = start + text[start..].find(&close).expect("the block closes") + close.len();
    p.write("main.berth", &(text[..start].to_owned() + &text[end..]));
}

#[test]
fn catalyst_on_the_local_cloud() {
    catalyst(&Cloud::Local);
}

#[test]
fn catalyst_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    catalyst(&Cloud::Aws(moto));
}

/// A new CIDR for the public subnet of `tests/private_network`, whose NAT
/// gateway then moves to the new subnet on the same Elastic IP.
const NAT_SUBNET_MOVED: (&str, &str) = ("cidr   = \"10.20.1.0/24\"", "cidr   = \"10.20.2.0/24\"");

/// The NAT gateway moves with its subnet, after its old self is gone (one
/// Elastic IP cannot serve two gateways): the plan says so and the local
/// cloud converges.
#[test]
fn a_nat_gateway_follows_its_subnet_to_a_new_cidr_on_the_local_cloud() {
    let cloud = Cloud::Local;
    let p = copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/private_network"));
    cloud.converges(&p.dir, "the first apply");
    p.edit("main.berth", NAT_SUBNET_MOVED.0, NAT_SUBNET_MOVED.1);
    let actions = cloud.planned(&p.dir);
    assert_eq!(
        actions.get("nat_gateway.a"),
        Some(&common::act("replace", Some("destroy_before_create"))),
        "{actions:?}"
    );
    cloud.converges(&p.dir, "the subnet's new CIDR");
    destroys_everything(&p, "privnet", &cloud);
}

/// moto gap (docs/aws.md, "moto versus AWS"): moto's DeleteNatGateway keeps
/// the gateway's Elastic IP associated, so the gateway's successor on that
/// address fails at CreateNatGateway with Resource.AlreadyAssociated (AWS
/// frees it once the gateway is deleted, which berth waits for). Destroy
/// still clears the stack. A moto that frees the address fails this test.
#[test]
fn a_nat_gateway_replaced_on_its_elastic_ip_is_refused_by_moto_alone() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    let cloud = Cloud::Aws(moto);
    let p = copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/private_network"));
    cloud.converges(&p.dir, "the first apply");
    p.edit("main.berth", NAT_SUBNET_MOVED.0, NAT_SUBNET_MOVED.1);
    let apply = cloud.berth(&p.dir, &["apply", "--auto-approve"]);
    let out = apply.all();
    assert_ne!(apply.code, Some(0), "moto freed the address:\n{out}");
    assert!(
        out.contains("nat_gateway.a: CreateNatGateway failed: Resource.AlreadyAssociated"),
        "{out}"
    );
    destroys_everything(&p, "privnet", &cloud);
}

/// The next-tstack app moved to port 8080: the container port, the
/// service's and the target group's, whose port forces a replacement.
const NEW_PORT: [(&str, &str); 3] = [
    ("port        = 3000\n", "port        = 8080\n"),
    ("container_port = 3000", "container_port = 8080"),
    ("    port         = 3000", "    port         = 8080"),
];

/// Regression: a new container port, the target group keeping its fixed
/// name, planned the group's replacement destroy-before-create under a
/// listener that stays; apply registered the new task definition, then
/// stopped at DeleteTargetGroup (ResourceInUse), the service half-moved.
/// The plan (and so apply) now refuses it before any change, naming the
/// listener and the way out; with a new name the change converges.
#[test]
fn a_new_port_for_a_target_group_of_fixed_name_under_a_listener_is_refused_by_the_plan() {
    let cloud = Cloud::Local;
    let p = stack("next_tstack");
    cloud.converges(&p.dir, "the first apply");
    for (from, to) in NEW_PORT {
        p.edit("main.berth", from, to);
    }
    for command in [&["plan"][..], &["apply", "--auto-approve"]] {
        let run = cloud.berth(&p.dir, command);
        run.expect_code(1);
        let out = run.all();
        assert!(
            out.contains("target_group.main must be replaced (port cannot change in place)")
                && out.contains("ELBv2 refuses while listener.http forwards to it (ResourceInUse)")
                && out.contains("Give target_group.main a new `name` in this change"),
            "{out}"
        );
        assert!(!out.contains("Creating..."), "{out}");
    }
    p.edit(
        "main.berth",
        "name        = \"${var.project_name}-${var.environment}-tg\"",
        "name        = \"${var.project_name}-${var.environment}-tg-8080\"",
    );
    cloud.converges(&p.dir, "the new port under a new name");
    destroys_everything(&p, "next-tstack-dev", &cloud);
}

/// Regression: a service moved to another address, keeping its name (a
/// refactor: `service web` becomes `service www`, still `name = "web"`),
/// was deleted and made again at once. On moto the delete, by the
/// name-derived ARN, took the new service with it and the plan was not
/// clean; on AWS the create meets the old service of that name. Now the old
/// one goes first, on both clouds.
#[test]
fn a_service_moved_to_a_new_address_keeping_its_name_is_deleted_before_it_is_made_again() {
    for cloud in Cloud::both() {
        let p = stack("catalyst");
        cloud.converges(&p.dir, "the first apply");
        p.edit("main.berth", "service web {", "service www {");
        let apply = cloud.berth(&p.dir, &["apply", "--auto-approve"]);
        apply.expect_code(0);
        let out = apply.all();
        let deleted = out
            .find("service.web: Destruction complete")
            .expect("the old one deleted");
        let created = out.find("service.www: Creating...").expect("the new one made");
        assert!(deleted < created, "made before the old one was gone:\n{out}");
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "not clean after the move:\n{}", plan.all());
        destroys_everything(&p, "catalyst-ecs", &cloud);
    }
}

/// bradford-hamilton/terraform-ecs-fargate: a Terraform stack kept in
/// Terraform's spelling (attribute names, attachment resources, policy
/// documents, `count` and 0.11 splats).
const TERRAFORM_FARGATE: &[Edit] = &[
    edit("a new image", "react-app:latest\"", "react-app:v2\""),
    edit(
        "a higher scaling ceiling",
        "max_capacity       = 6",
        "max_capacity       = 8",
    ),
    edit(
        "a health check path",
        "variable health_check_path { default = \"/\" }",
        "variable health_check_path { default = \"/health\" }",
    ),
    edit(
        "the alarm's threshold lowered",
        "threshold           = \"85\"",
        "threshold           = \"75\"",
    ),
];

#[test]
fn terraform_fargate_on_the_local_cloud() {
    day(
        "terraform_fargate",
        "cb-fargate",
        TERRAFORM_FARGATE,
        &Cloud::Local,
    );
}

#[test]
fn terraform_fargate_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    day(
        "terraform_fargate",
        "cb-fargate",
        TERRAFORM_FARGATE,
        &Cloud::Aws(moto),
    );
}

/// The AWS provider's documentation examples, Terraform's types kept.
const TERRAFORM_TYPES: &[Edit] = &[
    edit("a new image", "nginx/nginx:latest\"", "nginx/nginx:1.27\""),
    edit(
        "a shorter deregistration delay",
        "deregistration_delay = 30",
        "deregistration_delay = 10",
    ),
    edit(
        "longer log retention",
        "retention_in_days = 14",
        "retention_in_days = 30",
    ),
];

#[test]
fn terraform_types_on_the_local_cloud() {
    day("terraform_types", "shop", TERRAFORM_TYPES, &Cloud::Local);
}

#[test]
fn terraform_types_on_moto() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    day("terraform_types", "shop", TERRAFORM_TYPES, &Cloud::Aws(moto));
}
