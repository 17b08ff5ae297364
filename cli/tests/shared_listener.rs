//! A service's stack adding its path to a platform stack's listener with a
//! `listener_rule` (Terraform's `aws_lb_listener_rule`) on the listener a
//! `data listener` finds (Terraform's `aws_lb_listener` lookup): the listener's
//! plans leave the rule alone, the rule's stack plans it clean, changes it
//! in place, deletes it once its block is gone, and destroys it, on the
//! local cloud and through the SDK against moto.

mod common;

use common::{Cloud, TwoStacks, no_change};

const PLATFORM: &str = r#"
stack "platform" { region = "us-east-1" }

vpc main { cidr = "10.0.0.0/16" }

subnet public {
  for_each = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  vpc      = vpc.main
  cidr     = each.value
  zone     = "us-east-1${each.key}"
  public   = true
}

internet_gateway main { vpc = vpc.main }

security_group web {
  vpc = vpc.main
  ingress {
    port = 80
    cidr = "0.0.0.0/0"
  }
}

load_balancer web {
  name            = "platform-web"
  subnets         = [for s in subnet.public : s.id]
  security_groups = [security_group.web]
}

listener http {
  load_balancer = load_balancer.web
  port          = 80
  fixed_response {
    status_code = 404
    body        = "no route"
  }
}

"#;

const API: &str = r#"
stack "api" { region = "us-east-1" }

# The platform's, found as Terraform's data sources would find them.
data vpc platform {
  stack   = "platform"
  address = "vpc.main"
}
data load_balancer web { name = "platform-web" }
data listener http {
  load_balancer = data.load_balancer.web
  port          = 80
}

target_group api {
  vpc         = data.vpc.platform
  port        = 8080
  target_type = "ip"
}

listener_rule api {
  listener = data.listener.http
  priority = 10
  paths    = ["/api/*"]
  forward  = target_group.api
  tags     = { team = "api" }
}
"#;

#[test]
fn a_rule_of_its_own_on_another_stacks_listener_is_left_alone_by_the_listeners_plans() {
    for cloud in Cloud::both() {
        let s = TwoStacks::new(PLATFORM, API);
        let platform = |args: &[&str]| s.on_platform(&cloud, args);
        let api = |args: &[&str]| s.on_service(&cloud, args);
        platform(&["apply", "--auto-approve"]).expect_code(0);
        let created = api(&["apply", "--auto-approve"]);
        created.expect_code(0);
        assert!(created.stdout.contains("listener_rule.api"), "{}", created.stdout);
        no_change(&api(&["plan", "--detailed-exitcode"]), "the api stack");
        no_change(
            &platform(&["plan", "--detailed-exitcode"]),
            "the platform, whose listener holds the api's rule",
        );

        // The platform changes its listener (a rule of its own): the api's
        // rule stays.
        std::fs::write(
            s.platform.join("main.berth"),
            PLATFORM.replace(
                "    body        = \"no route\"\n  }\n}",
                "    body        = \"no route\"\n  }\n  rule health {\n    priority = 1\n    path     = \"/health\"\n    fixed_response {\n      status_code = 200\n      body        = \"ok\"\n    }\n  }\n}",
            ),
        )
        .expect("edit the platform");
        platform(&["apply", "--auto-approve"]).expect_code(0);
        no_change(
            &platform(&["plan", "--detailed-exitcode"]),
            "the platform's new rule",
        );
        no_change(
            &api(&["plan", "--detailed-exitcode"]),
            "the api after the platform's apply",
        );

        // A new priority and path: changed in place.
        std::fs::write(
            s.service.join("main.berth"),
            API.replace("priority = 10", "priority = 15")
                .replace("[\"/api/*\"]", "[\"/api/*\", \"/v2/*\"]"),
        )
        .expect("edit the api");
        let plan = api(&["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
        assert!(
            plan.stdout
                .contains("# listener_rule.api will be updated in place"),
            "{}",
            plan.stdout
        );
        api(&["apply", "--auto-approve"]).expect_code(0);
        no_change(&api(&["plan", "--detailed-exitcode"]), "the api's new priority");
        no_change(
            &platform(&["plan", "--detailed-exitcode"]),
            "the platform after the api's change",
        );

        // The rule's block deleted (its target group stays): the next plan
        // still finds the rule, through the load balancer the group is
        // attached to.
        let without_rule = API.split("listener_rule api").next().unwrap_or_default();
        s.deleting_the_block_deletes(&cloud, without_rule, "listener_rule.api");

        api(&["destroy", "--auto-approve"]).expect_code(0);
        let after = api(&["plan", "--format", "json"]);
        after.expect_code(0);
        let actions = common::json_actions(&common::json_plan(&after));
        assert!(
            actions.values().all(|(action, _)| action == "create"),
            "destroy left something: {actions:?}"
        );
        no_change(
            &platform(&["plan", "--detailed-exitcode"]),
            "the platform after the api left",
        );
        platform(&["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// The api's stack given the platform's ARNs (another tool's outputs), as
/// Terraform's `data "aws_lb" { arn }` and `data "aws_lb_listener" { arn }`
/// read them: the rule goes on that listener, the load balancer's DNS
/// name is read, and an ARN nothing has is a lookup with no match.
#[test]
fn load_balancers_and_listeners_are_found_by_their_arns() {
    const OUTPUTS: &str = "output lb { value = load_balancer.web.arn }\n\
                           output listener { value = listener.http.arn }\n\
                           output dns { value = load_balancer.web.dns_name }\n";
    const API_BY_ARN: &str = r#"
stack "api" { region = "us-east-1" }
variable lb_arn {}
variable listener_arn {}

data vpc platform {
  stack   = "platform"
  address = "vpc.main"
}
data lb web { arn = var.lb_arn }
data lb_listener http { arn = var.listener_arn }

target_group api {
  vpc         = data.vpc.platform
  port        = 8080
  target_type = "ip"
}

listener_rule api {
  listener = data.lb_listener.http.arn
  priority = 10
  paths    = ["/api/*"]
  forward  = target_group.api
}

output dns { value = data.lb.web.dns_name }
output port { value = data.lb_listener.http.port }
"#;
    for cloud in Cloud::both() {
        let s = TwoStacks::new(&format!("{PLATFORM}{OUTPUTS}"), API_BY_ARN);
        s.on_platform(&cloud, &["apply", "--auto-approve"]).expect_code(0);
        let out = s.on_platform(&cloud, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("outputs JSON");
        let value = |name: &str| {
            outputs["outputs"][name]["value"]
                .as_str()
                .unwrap_or_else(|| panic!("no output {name}: {outputs}"))
                .to_owned()
        };
        let lb = format!("lb_arn={}", value("lb"));
        let listener = format!("listener_arn={}", value("listener"));
        let vars = ["--var", lb.as_str(), "--var", listener.as_str()];
        let api = |args: &[&str]| s.on_service(&cloud, &[args, &vars[..]].concat());
        api(&["apply", "--auto-approve"]).expect_code(0);
        no_change(&api(&["plan", "--detailed-exitcode"]), "the api stack by ARNs");
        let out = api(&["output", "--format", "json"]);
        out.expect_code(0);
        let api_outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("outputs JSON");
        assert_eq!(
            api_outputs["outputs"]["dns"]["value"],
            value("dns"),
            "{api_outputs}"
        );
        assert_eq!(api_outputs["outputs"]["port"]["value"], 80, "{api_outputs}");
        no_change(
            &s.on_platform(&cloud, &["plan", "--detailed-exitcode"]),
            "the platform, whose listener holds the api's rule",
        );

        let gone = value("listener").replace(":listener/app/", ":listener/app/x");
        let wrong = format!("listener_arn={gone}");
        let run = s.on_service(&cloud, &["plan", "--var", lb.as_str(), "--var", wrong.as_str()]);
        run.expect_code(1);
        assert!(run.stderr.contains("E0596"), "{}", run.stderr);

        api(&["destroy", "--auto-approve"]).expect_code(0);
        s.on_platform(&cloud, &["destroy", "--auto-approve"])
            .expect_code(0);
    }
}
