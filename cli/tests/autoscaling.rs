//! Service autoscaling (issue 14 §2): the blog's login service scaled by
//! Application Auto Scaling with target tracking on CPU, on the ALB's
//! requests per target and on a custom metric (the target group's response
//! time), a step policy and a scheduled action. On both
//! clouds it applies, re-plans clean, changes in place, and the scaler owns
//! `desired_count`: a count the scaler set is never reverted. On moto
//! boto3 checks the scalable target, policies and actions from outside.

mod common;

use common::{Cloud, Project, example};

const SCALED: &str = r#"  load_balancer { target_group = target_group.login  container = "app"  port = 3000 }
  autoscaling {
    min_capacity = 2
    max_capacity = 6
    target_tracking cpu {
      metric = "cpu"
      target = 60
    }
    target_tracking requests {
      metric       = "requests"
      target       = 500
      target_group = target_group.login
    }
    target_tracking latency {
      target = 0.25
      custom_metric {
        metric_name = "TargetResponseTime"
        namespace   = "AWS/ApplicationELB"
        statistic   = "Average"
        unit        = "Seconds"
        dimensions  = { TargetGroup = target_group.login.arn, LoadBalancer = load_balancer.web.arn }
      }
    }
    step_scaling burst {
      cooldown = 60
      step {
        lower      = 0
        upper      = 12.5
        adjustment = 1
      }
      step {
        lower      = 12.5
        adjustment = 3
      }
    }
    scheduled business_hours {
      schedule     = "cron(0 8 ? * MON-FRI *)"
      timezone     = "Europe/Paris"
      min_capacity = 3
    }
  }
"#;

fn scaled_blog() -> Project {
    let p = example("blog");
    p.edit(
        "main.berth",
        "  load_balancer { target_group = target_group.login  container = \"app\"  port = 3000 }\n",
        SCALED,
    );
    p
}

const DESCRIBE: &str = "import boto3,json\n\
    aas=boto3.client('application-autoscaling')\n\
    t=aas.describe_scalable_targets(ServiceNamespace='ecs')['ScalableTargets']\n\
    p=aas.describe_scaling_policies(ServiceNamespace='ecs')['ScalingPolicies']\n\
    a=aas.describe_scheduled_actions(ServiceNamespace='ecs')['ScheduledActions']\n\
    print(json.dumps({'targets':[(x['ResourceId'].split('/')[2],x['MinCapacity'],x['MaxCapacity']) for x in t],\
    'policies':sorted((x['PolicyName'],x['PolicyType']) for x in p),\
    'targets_values':sorted(x['TargetTrackingScalingPolicyConfiguration']['TargetValue'] for x in p if x['PolicyType']=='TargetTrackingScaling'),\
    'steps':[[s.get('MetricIntervalLowerBound'),s.get('MetricIntervalUpperBound')] for x in p if x['PolicyType']=='StepScaling' for s in x['StepScalingPolicyConfiguration']['StepAdjustments']],\
    'labels':sorted(x['TargetTrackingScalingPolicyConfiguration']['PredefinedMetricSpecification'].get('ResourceLabel','').split('/')[3:4] for x in p if 'PredefinedMetricSpecification' in x.get('TargetTrackingScalingPolicyConfiguration',{})),\
    'custom':[dict(c, Dimensions=sorted((d['Name'],d['Value'].split('/')[0]) for d in c['Dimensions'])) for x in p for c in [x.get('TargetTrackingScalingPolicyConfiguration',{}).get('CustomizedMetricSpecification')] if c],\
    'actions':[(x['ScheduledActionName'],x['Schedule'],x.get('Timezone')) for x in a]},sort_keys=True))\n";

#[test]
fn a_scaled_service_applies_replans_clean_and_keeps_the_scalers_count_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = scaled_blog();
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(
                seen["targets"],
                serde_json::json!([["blog-dev-login", 2, 6]]),
                "{seen}"
            );
            assert_eq!(
                seen["policies"],
                serde_json::json!([
                    ["burst", "StepScaling"],
                    ["cpu", "TargetTrackingScaling"],
                    ["latency", "TargetTrackingScaling"],
                    ["requests", "TargetTrackingScaling"]
                ])
            );
            assert_eq!(seen["labels"], serde_json::json!([[], ["targetgroup"]]), "{seen}");
            // The ELB ARNs among the dimensions are sent as their suffixes,
            // CloudWatch's names of them.
            assert_eq!(
                seen["custom"],
                serde_json::json!([{
                    "MetricName": "TargetResponseTime",
                    "Namespace": "AWS/ApplicationELB",
                    "Statistic": "Average",
                    "Unit": "Seconds",
                    "Dimensions": [["LoadBalancer", "app"], ["TargetGroup", "targetgroup"]]
                }]),
                "{seen}"
            );
            assert_eq!(
                seen["targets_values"],
                serde_json::json!([0.25, 60.0, 500.0]),
                "{seen}"
            );
            assert_eq!(
                seen["steps"],
                serde_json::json!([[0.0, 12.5], [12.5, null]]),
                "fractional bounds sent as written: {seen}"
            );
            assert_eq!(
                seen["actions"],
                serde_json::json!([["business_hours", "cron(0 8 ? * MON-FRI *)", "Europe/Paris"]])
            );
        }

        // The configuration's count changes: the scaler owns it, no change.
        p.edit("main.berth", "desired_count   = 3", "desired_count   = 5");
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "the scaler's count reverted:\n{}", plan.all());

        // Bounds, a policy's target (to a fraction: it reads back as
        // written, or the re-plan would not be clean) and the schedule
        // change in place; a policy goes.
        p.edit("main.berth", "max_capacity = 6", "max_capacity = 8");
        p.edit("main.berth", "target = 60", "target = 72.5");
        p.edit(
            "main.berth",
            "statistic   = \"Average\"",
            "statistic   = \"Maximum\"",
        );
        let text = p.read("main.berth");
        let start = text.find("    step_scaling burst {").expect("step block");
        let end = text[start..].find("\n    }\n").expect("its end") + start + 7;
        p.write("main.berth", &format!("{}{}", &text[..start], &text[end..]));
        cloud.plans_one_update(&p.dir, "service.login");
        cloud.converges(&p.dir, "the change");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(
                seen["targets"],
                serde_json::json!([["blog-dev-login", 2, 8]]),
                "{seen}"
            );
            assert_eq!(seen["policies"].as_array().map(Vec::len), Some(3), "{seen}");
            assert_eq!(
                seen["targets_values"],
                serde_json::json!([0.25, 72.5, 500.0]),
                "{seen}"
            );
            assert_eq!(seen["custom"][0]["Statistic"], "Maximum", "{seen}");
        }
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(
                seen["targets"],
                serde_json::json!([]),
                "destroy deregisters: {seen}"
            );
            // Deleted one by one, as AWS does with the target (moto keeps
            // them otherwise, with their alarms).
            assert_eq!(seen["policies"], serde_json::json!([]), "{seen}");
            assert_eq!(seen["actions"], serde_json::json!([]), "{seen}");
        }
    }
}

#[test]
fn the_local_cloud_moves_the_count_into_the_bounds_as_aws_does() {
    let p = scaled_blog();
    p.edit("main.berth", "desired_count   = 3", "desired_count   = 1");
    Cloud::Local
        .berth(&p.dir, &["apply", "--auto-approve"])
        .expect_code(0);
    let cloud = p.cloud();
    let count = cloud["resources"]
        .as_object()
        .and_then(|all| {
            all.values()
                .find(|r| r["tags"]["berth:address"] == "service.login")
                .map(|r| r["attrs"]["desired_count"].clone())
        })
        .expect("service.login in the cloud file");
    assert_eq!(
        count,
        serde_json::json!(2),
        "RegisterScalableTarget raises it to min_capacity"
    );
}

/// A step policy's alarm and an alarm on the load balancer's errors, as a
/// Terraform stack of `aws_cloudwatch_metric_alarm`s writes them, next to
/// the scaled service.
const ALARMS: &str = r#"
metric_alarm cpu_high {
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  dimensions          = { ClusterName = cluster.blog.name, ServiceName = service.login.name }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = 85.5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  description         = "login is busy"
  scaling_policy { service = service.login  policy = "burst" }
  tags = { team = "web" }
}

metric_alarm errors {
  name                = "blog-login-5xx"
  metric_name         = "HTTPCode_Target_5XX_Count"
  namespace           = "AWS/ApplicationELB"
  dimensions          = { LoadBalancer = load_balancer.web.arn, TargetGroup = target_group.login.arn }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 1
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
}
"#;

/// berth's alarms: target tracking makes its own (`TargetTracking-...`).
const DESCRIBE_ALARMS: &str = "import boto3,json\n\
    cw=boto3.client('cloudwatch')\n\
    a=[x for x in cw.describe_alarms()['MetricAlarms'] if not x['AlarmName'].startswith('TargetTracking-')]\n\
    print(json.dumps(sorted([x['AlarmName'],x['Threshold'],x.get('DatapointsToAlarm'),\
    [y.split(':policyName/')[-1] for y in x['AlarmActions']],\
    sorted(d['Name']+'='+(d['Value'].split('/')[0] if '/' in d['Value'] else '*') for d in x['Dimensions'])] for x in a)))\n";

#[test]
fn alarms_trigger_a_step_policy_and_change_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = scaled_blog();
        let text = p.read("main.berth");
        p.write("main.berth", &format!("{text}{ALARMS}"));
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        let plan = cloud.berth(&p.dir, &["plan"]);
        assert!(
            plan.all().contains("threshold") && plan.all().contains("85.5"),
            "{}",
            plan.all()
        );
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value =
                serde_json::from_str(moto.python(DESCRIBE_ALARMS).trim()).expect("json");
            assert_eq!(
                seen,
                serde_json::json!([
                    [
                        "blog-dev-cpu_high",
                        85.5,
                        2,
                        ["burst"],
                        ["ClusterName=*", "ServiceName=*"]
                    ],
                    [
                        "blog-login-5xx",
                        10.0,
                        null,
                        [],
                        ["LoadBalancer=app", "TargetGroup=targetgroup"]
                    ]
                ]),
                "the policy's ARN among the actions, read back as the block; ELB ARNs sent as the suffixes CloudWatch names them by"
            );
        }

        p.edit(
            "main.berth",
            "threshold           = 85.5",
            "threshold           = 90.25",
        );
        cloud.plans_one_update(&p.dir, "metric_alarm.cpu_high");
        cloud.converges(&p.dir, "the threshold's change");
        if let Cloud::Aws(moto) = &cloud {
            let seen = moto.python(DESCRIBE_ALARMS);
            assert!(seen.contains("90.25"), "{seen}");
        }

        // The service is replaced (a new name): its new policies have new
        // ARNs, which the alarms take (regression: moto answers a
        // DescribeScalingPolicies of `service/C/NAME` with the policies of
        // any target whose id is part of it, the deleted service's too).
        p.edit(
            "main.berth",
            "service login {\n",
            "service login {\n  name = \"blog-dev-login-v2\"\n",
        );
        let plan = cloud.berth(&p.dir, &["plan"]);
        assert!(
            plan.stdout.contains("service.login must be replaced")
                && plan
                    .stdout
                    .contains("metric_alarm.cpu_high will be updated in place"),
            "{}",
            plan.all()
        );
        cloud.converges(&p.dir, "the service's replacement");

        // The policy goes while an alarm still names it: refused before
        // any change.
        let text = p.read("main.berth");
        let start = text.find("    step_scaling burst {").expect("step block");
        let end = text[start..].find("\n    }\n").expect("its end") + start + 7;
        p.write("main.berth", &format!("{}{}", &text[..start], &text[end..]));
        let refused = cloud.berth(&p.dir, &["validate"]);
        refused.expect_code(1);
        assert!(
            refused.all().contains("E0635") && refused.all().contains("no step-scaling policy `burst`"),
            "{}",
            refused.all()
        );
        p.write("main.berth", &text);
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(DESCRIBE_ALARMS).trim(),
                "[]",
                "destroy deletes the alarms"
            );
        }
    }
}

/// aws-samples' Startup Kit fargate-service template: two services of one
/// name, one or the other by a condition, scaled by a target naming
/// whichever exists and alarmed on its step policy.
const SWAPPED: &str = r#"variable "with_alb" { default = "true" }
locals { with_alb = var.with_alb == "true" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_ecs_cluster" "c" { name = "swapped" }
resource "aws_ecs_task_definition" "t" {
  family                   = "swapped"
  cpu                      = 256
  memory                   = 512
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  container_definitions    = jsonencode([{ name = "app", image = "nginx" }])
}
resource "aws_ecs_service" "with_alb" {
  count           = local.with_alb ? 1 : 0
  name            = "web"
  cluster         = aws_ecs_cluster.c.arn
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  network_configuration { subnets = [aws_subnet.a.id] }
}
resource "aws_ecs_service" "without_alb" {
  count           = local.with_alb ? 0 : 1
  name            = "web"
  cluster         = aws_ecs_cluster.c.arn
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
  network_configuration { subnets = [aws_subnet.a.id] }
}
resource "aws_appautoscaling_target" "t" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.c.name}/${try(aws_ecs_service.with_alb[0].name, aws_ecs_service.without_alb[0].name)}"
  min_capacity       = 1
  max_capacity       = 2
}
resource "aws_appautoscaling_policy" "out" {
  name               = "ScaleOutPolicy"
  policy_type        = "StepScaling"
  resource_id        = aws_appautoscaling_target.t.resource_id
  scalable_dimension = aws_appautoscaling_target.t.scalable_dimension
  service_namespace  = aws_appautoscaling_target.t.service_namespace
  step_scaling_policy_configuration {
    adjustment_type = "ChangeInCapacity"
    step_adjustment {
      scaling_adjustment          = 1
      metric_interval_lower_bound = 0
    }
  }
}
resource "aws_cloudwatch_metric_alarm" "out" {
  alarm_name          = "swapped-cpu-high"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 2
  threshold           = 50
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_appautoscaling_policy.out.arn]
}
"#;

/// Regression: swapping the one service for the other (with_alb=false)
/// made the new service first, because the alarm on the old one's policy
/// held its delete until the alarm was moved to the new one: the local
/// cloud refused the name still in use, on every apply; moto took it and
/// deleted it with the old one (the same ARN). An alarm names by text, so
/// the old service now goes first.
#[test]
fn a_scaled_and_alarmed_service_swapped_for_one_of_its_name_goes_first_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, SWAPPED, "the first apply");
        let apply = cloud.berth(dir, &["apply", "--auto-approve", "--var", "with_alb=false"]);
        apply.expect_code(0);
        let out = apply.all();
        let deleted = out
            .find("service.with_alb[\"0\"]: Destruction complete")
            .expect("the old one deleted");
        let created = out
            .find("service.without_alb[\"0\"]: Creating...")
            .expect("the new one made");
        assert!(deleted < created, "made before the old one was gone:\n{out}");
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode", "--var", "with_alb=false"]);
        assert_eq!(plan.code, Some(0), "not clean after the swap:\n{}", plan.all());
        cloud
            .berth(dir, &["destroy", "--auto-approve", "--var", "with_alb=false"])
            .expect_code(0);
    }
}
