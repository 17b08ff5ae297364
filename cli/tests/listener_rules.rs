//! Listener rules as real load balancers use them, on both clouds: several
//! values per condition, header, method, query and source-IP conditions
//! (IPv4 and IPv6), and rules that redirect or answer themselves. Create,
//! re-plan clean, change conditions and actions in place (ModifyRule, never
//! a new listener), re-plan clean, destroy leaving nothing; on moto, boto3
//! reads DescribeRules from outside.

mod common;

use common::{Cloud, act, json_plan};

const V1: &str = r#"
stack "rules" { region = "us-east-1" }

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

load_balancer web {
  subnets  = [subnet.a, subnet.b]
  internal = true
}

target_group app {
  vpc         = vpc.main
  port        = 3000
  target_type = "ip"
}

target_group api {
  vpc         = vpc.main
  port        = 8080
  target_type = "ip"
}

listener http {
  load_balancer = load_balancer.web
  port          = 80
  default       = target_group.app
  rule api {
    priority = 10
    paths    = ["/v2/*", "/api/*"]
    methods  = ["POST", "GET"]
    header {
      name   = "X-Canary"
      values = ["yes"]
    }
    forward = target_group.api
  }
  rule office {
    priority   = 20
    host       = "admin.example.com"
    source_ips = ["203.0.113.0/24", "2001:db8::/32"]
    query {
      key   = "debug"
      value = "1"
    }
    fixed_response {
      status_code = 403
      body        = "not here"
    }
  }
  rule old {
    priority = 30
    path     = "/old/*"
    redirect {
      host        = "new.example.com"
      status_code = "HTTP_302"
    }
  }
}
"#;

/// Conditions and actions changed: fewer paths and methods, a second
/// header value, another query value, a redirect turned into a forward.
fn v2() -> String {
    V1.replace(r#"paths    = ["/v2/*", "/api/*"]"#, r#"paths    = ["/api/*"]"#)
        .replace(r#"methods  = ["POST", "GET"]"#, r#"methods  = ["GET"]"#)
        .replace(r#"values = ["yes"]"#, r#"values = ["yes", "true"]"#)
        .replace(r#"value = "1""#, r#"value = "2""#)
        .replace(
            "    redirect {\n      host        = \"new.example.com\"\n      status_code = \"HTTP_302\"\n    }\n",
            "    forward  = target_group.app\n",
        )
}

/// DescribeRules, one line per rule: priority, conditions (sorted) and
/// the action's type.
const READ: &str = r#"
import boto3
elb = boto3.client('elbv2')
lb = elb.describe_load_balancers()['LoadBalancers'][0]['LoadBalancerArn']
listener = elb.describe_listeners(LoadBalancerArn=lb)['Listeners'][0]['ListenerArn']
for r in sorted(elb.describe_rules(ListenerArn=listener)['Rules'], key=lambda r: r['Priority']):
    if r['IsDefault']:
        continue
    conds = []
    for c in r['Conditions']:
        values = list(c.get('Values', []))
        for key, config in c.items():
            if key == 'HttpHeaderConfig':
                values += [config['HttpHeaderName'] + ':' + v for v in config['Values']]
            elif key == 'QueryStringConfig':
                values += [p.get('Key', '') + '=' + p['Value'] for p in config['Values']]
            elif key.endswith('Config'):
                values += config['Values']
        conds.append(c['Field'] + '=' + ','.join(sorted(values)))
    print(r['Priority'], ' '.join(sorted(conds)), r['Actions'][0]['Type'])
"#;

const LEFT: &str = r#"
import boto3
print(len(boto3.client('elbv2').describe_load_balancers()['LoadBalancers']))
"#;

#[test]
fn rule_conditions_and_actions_change_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, V1, "create");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(READ).trim_end(),
                "10 http-header=X-Canary:yes http-request-method=GET,POST path-pattern=/api/*,/v2/* forward\n\
                 20 host-header=admin.example.com query-string=debug=1 source-ip=2001:db8::/32,203.0.113.0/24 fixed-response\n\
                 30 path-pattern=/old/* redirect"
            );
        }

        std::fs::write(dir.join("main.berth"), v2()).expect("write");
        let actions = cloud.planned(dir);
        assert_eq!(
            actions.into_iter().collect::<Vec<_>>(),
            vec![("listener.http".to_owned(), act("update", None))]
        );
        cloud.apply_clean(dir, &v2(), "update");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(READ).trim_end(),
                "10 http-header=X-Canary:true,X-Canary:yes http-request-method=GET path-pattern=/api/* forward\n\
                 20 host-header=admin.example.com query-string=debug=2 source-ip=2001:db8::/32,203.0.113.0/24 fixed-response\n\
                 30 path-pattern=/old/* forward"
            );
        }

        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        assert_eq!(json_plan(&run)["summary"]["destroy"], 0, "nothing is left");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(LEFT).trim_end(), "0");
        }
    }
}

/// Regression: two rules trading priorities (10 and 20) failed on AWS's
/// API with PriorityInUse: each rule's SetRulePriorities was checked against
/// the other's old priority. The moving rules now park on free priorities
/// first; the swap applies and re-plans clean on both clouds.
#[test]
fn rules_trading_priorities_apply_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = common::example("microservices");
        cloud.converges(&p.dir, "the first apply");
        for (from, to) in [
            (
                "priority = 10  path = \"/usermgmt",
                "priority = 99  path = \"/usermgmt",
            ),
            (
                "priority = 20  path = \"/notification",
                "priority = 10  path = \"/notification",
            ),
            (
                "priority = 99  path = \"/usermgmt",
                "priority = 20  path = \"/usermgmt",
            ),
        ] {
            p.edit("main.berth", from, to);
        }
        cloud.plans_one_update(&p.dir, "listener.http");
        cloud.converges(&p.dir, "the swap");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Terraform's `aws_lb_listener_rule` without `priority`, as Terraform
/// writes it: the listener's rule block holds 10, a rule of its own 5;
/// the two without one take 11 and 12 (in the order their creates land:
/// on moto both read 10 as the highest, one is refused PriorityInUse and
/// reads again). They keep them: a changed path is one in-place update,
/// and the plans after it are clean.
#[test]
fn rules_without_a_priority_take_the_next_free_ones_on_both_clouds() {
    let rule = |name: &str, path: &str, priority: &str| {
        format!(
            "lb_listener_rule {name} {{\n  listener_arn = listener.http.arn\n{priority}  action {{\n    type             = \"forward\"\n    target_group_arn = target_group.api.arn\n  }}\n  condition {{\n    path_pattern {{ values = [\"{path}\"] }}\n  }}\n}}\n"
        )
    };
    let listener = "listener http {\n  load_balancer = load_balancer.web\n  port          = 80\n  default       = target_group.app\n  rule api {\n    priority = 10\n    path     = \"/api/*\"\n    forward  = target_group.api\n  }\n}\n";
    let head = &V1[..V1.find("listener http").expect("the listener")];
    let text = format!(
        "{head}{listener}{}{}{}",
        rule("a", "/a/*", ""),
        rule("b", "/b/*", ""),
        rule("c", "/c/*", "  priority     = 5\n")
    );
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, &text, "create");
        let before = priorities(&cloud, dir);
        assert_eq!(before["/api/*"], 10);
        assert_eq!(before["/c/*"], 5);
        let mut free = [before["/a/*"], before["/b/*"]];
        free.sort_unstable();
        assert_eq!(free, [11, 12], "{before:?}");

        std::fs::write(dir.join("main.berth"), text.replace("/a/*", "/a2/*")).expect("write");
        cloud.plans_one_update(dir, "listener_rule.a");
        cloud.converges(dir, "the new path");
        let after = priorities(&cloud, dir);
        assert_eq!(after["/a2/*"], before["/a/*"], "{after:?}");
        assert_eq!(after["/b/*"], before["/b/*"]);
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Rules of their own numbered by their keys' sorted position (navjot's
/// `100 + index(sort(keys(var.paths)), each.key)`): a key added before
/// the others takes the priority a rule moves off in the same apply.
/// Regression: the new rule was made first, and ELB refused it
/// (PriorityInUse) half-way through the apply.
#[test]
fn a_rule_takes_the_priority_another_gives_up_in_one_apply_on_both_clouds() {
    let stack = |paths: &str| {
        let head = &V1[..V1.find("listener http").expect("the listener")];
        format!(
            "{head}listener http {{\n  load_balancer = load_balancer.web\n  port          = 80\n  default       = target_group.app\n}}\n\
             variable \"paths\" {{\n  type    = map(string)\n  default = {{ {paths} }}\n}}\n\
             resource \"aws_lb_listener_rule\" \"paths\" {{\n  for_each     = var.paths\n  listener_arn = listener.http.arn\n  \
             priority     = 100 + index(sort(keys(var.paths)), each.key)\n  action {{\n    type             = \"forward\"\n    \
             target_group_arn = target_group.api.arn\n  }}\n  condition {{\n    path_pattern {{ values = [each.value] }}\n  }}\n}}\n"
        )
    };
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, &stack(r#"api = "/api/*", web = "/web/*""#), "create");
        cloud.apply_clean(
            dir,
            &stack(r#"admin = "/admin/*", api = "/api/*", web = "/web/*""#),
            "a key sorted first",
        );
        let after = priorities(&cloud, dir);
        assert_eq!(
            (after["/admin/*"], after["/api/*"], after["/web/*"]),
            (100, 101, 102),
            "{after:?}"
        );
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Each rule's priority by its path: DescribeRules on moto, the account
/// file on the local cloud.
fn priorities(cloud: &Cloud, dir: &std::path::Path) -> std::collections::BTreeMap<String, i64> {
    match cloud {
        Cloud::Aws(moto) => moto
            .python(READ)
            .lines()
            .filter_map(|line| {
                let (priority, rest) = line.split_once(' ')?;
                let path = rest.strip_prefix("path-pattern=")?.split(' ').next()?;
                Some((path.to_owned(), priority.parse().ok()?))
            })
            .collect(),
        Cloud::Local => {
            let account = common::read_cloud(&dir.join(".berth/local-cloud.json"));
            let resources = account["resources"].as_object().expect("resources");
            let mut out = std::collections::BTreeMap::new();
            for r in resources.values() {
                let attrs = &r["attrs"];
                let rules = match r["kind"].as_str() {
                    Some("listener_rule") => vec![attrs.clone()],
                    Some("listener") => attrs["rule"].as_array().cloned().unwrap_or_default(),
                    _ => continue,
                };
                for rule in rules {
                    let path = rule["path"].as_str().or_else(|| rule["paths"][0].as_str());
                    if let (Some(path), Some(p)) = (path, rule["priority"].as_i64()) {
                        out.insert(path.to_owned(), p);
                    }
                }
            }
            out
        }
    }
}
