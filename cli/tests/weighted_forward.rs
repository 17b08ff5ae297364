//! Weighted forwards (issue 13 §5, the seeds' canary releases): the blog's
//! listener sends 90 % of its default traffic to the blog and 10 % to a
//! canary, and a rule splits the login path. On both clouds it applies,
//! re-plans clean, shifts the weights in place and goes back to a plain
//! forward; on moto boto3 checks the listener's and the rule's
//! ForwardConfig from outside.

mod common;

use common::{Cloud, Project, example};

const CANARY: &str = r#"listener http {
  load_balancer = load_balancer.web
  port          = 80
  weighted_forward {
    target_group = target_group.blog
    weight       = 90
  }
  weighted_forward {
    target_group = target_group.canary
    weight       = 10
  }
  rule login {
    priority = 10
    path     = "/api/login*"
    weighted_forward {
      target_group = target_group.login
      weight       = 3
    }
    weighted_forward {
      target_group = target_group.canary
      weight       = 1
    }
  }
}

target_group canary {
  vpc         = vpc.main
  port        = 3000
  target_type = "ip"
  health_check { path = "/health" }
}
"#;

fn canary_blog() -> Project {
    let p = example("blog");
    let text = p.read("main.berth");
    let start = text.find("listener http {").expect("the blog's listener");
    let end = text[start..].find("\n}\n").expect("its end") + start + 3;
    p.write(
        "main.berth",
        &format!("{}{CANARY}{}", &text[..start], &text[end..]),
    );
    p
}

const WEIGHTS: &str = "import boto3,json\n\
    elb=boto3.client('elbv2')\n\
    names={g['TargetGroupArn']:g['TargetGroupName'].split('-')[2] for g in elb.describe_target_groups()['TargetGroups']}\n\
    def split(actions):\n\
    \x20   f=actions[0].get('ForwardConfig',{}).get('TargetGroups',[])\n\
    \x20   return sorted((names[t['TargetGroupArn']],t.get('Weight')) for t in f)\n\
    lb=elb.describe_load_balancers()['LoadBalancers'][0]['LoadBalancerArn']\n\
    l=elb.describe_listeners(LoadBalancerArn=lb)['Listeners'][0]\n\
    rules=[r for r in elb.describe_rules(ListenerArn=l['ListenerArn'])['Rules'] if not r['IsDefault']]\n\
    print(json.dumps({'default':split(l['DefaultActions']),'rule':split(rules[0]['Actions'])}))\n";

#[test]
fn weighted_forwards_apply_shift_in_place_and_replan_clean_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = canary_blog();
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(WEIGHTS).trim()).expect("json");
            assert_eq!(
                seen,
                serde_json::json!({
                    "default": [["blog", 90], ["canary", 10]],
                    "rule": [["canary", 1], ["login", 3]],
                })
            );
        }

        // The canary grows: an update in place, not a new listener.
        p.edit("main.berth", "weight       = 90", "weight       = 50");
        p.edit("main.berth", "weight       = 10", "weight       = 50");
        cloud.plans_one_update(&p.dir, "listener.http");
        cloud.converges(&p.dir, "the shift");

        // One target group left in a weighted forward is a plain forward.
        let text = p.read("main.berth");
        let start = text
            .find("  weighted_forward {\n    target_group = target_group.canary")
            .expect("canary");
        let end = text[start..].find("  }\n").expect("its end") + start + 4;
        p.write("main.berth", &format!("{}{}", &text[..start], &text[end..]));
        cloud.converges(&p.dir, "one target group");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
