//! Updates in place, replacements, drift, stack isolation and errors,
//! through the real SDK against moto.

mod support;

use aws_sdk_ec2::types::{IpPermission, IpRange};
use berth_provider::{ErrorClass, Kind, Provider, Resource, Value};
use support::*;

/// Updates `r` to `desired` and checks read_all then shows the result.
async fn update(env: &Env, stack: &str, live: &Resource, desired: Resource) -> Resource {
    let updated = env
        .provider
        .update(stack, live, &desired)
        .await
        .unwrap_or_else(|e| panic!("update {}: {e}", live.address));
    let read = read(&env.provider, stack).await;
    let key = updated.address.to_string();
    assert_eq!(read.get(&key), Some(&updated), "{key} reads back as updated");
    updated
}

#[tokio::test]
async fn updates_in_place() {
    let Some(env) = env().await else { return };
    let stack = "blog-upd";
    let mut r = apply_blog(&env.provider, stack).await;

    // Service scaled.
    let svc = r["service.login"].clone();
    let svc = update(
        &env,
        stack,
        &svc,
        with(svc.clone(), "desired_count", Value::Int(5)),
    )
    .await;
    assert_eq!(svc.attrs["desired_count"], Value::Int(5));
    let raw = env
        .raw
        .ecs
        .describe_services()
        .cluster(text(&svc, "cluster"))
        .services(text(&svc, "arn"))
        .send()
        .await
        .expect("DescribeServices");
    assert_eq!(raw.services()[0].desired_count(), 5);

    // Security group rule added (and the egress rule kept).
    let web = r["security_group.web"].clone();
    let mut ingress = web.attrs["ingress"].as_list().unwrap_or_default().to_vec();
    ingress.push(block(&[("port", Value::Int(443)), ("cidr", s("0.0.0.0/0"))]));
    let web = update(&env, stack, &web, with(web.clone(), "ingress", list(ingress))).await;
    assert_eq!(web.attrs["ingress"].as_list().map(<[Value]>::len), Some(2));

    // Web group allows itself (what the planner sends once the group has
    // an id): the rule reads back with the group's own id as its source.
    let own = id(&web);
    let mut ingress = web.attrs["ingress"].as_list().unwrap_or_default().to_vec();
    ingress.push(block(&[("port", Value::Int(7946)), ("from", own.clone())]));
    let web = update(&env, stack, &web, with(web.clone(), "ingress", list(ingress))).await;
    let sources: Vec<&Value> = web.attrs["ingress"]
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.as_map()?.get("from"))
        .collect();
    assert!(sources.contains(&&own), "{sources:?}");

    // App group: its declared egress removed goes back to AWS's default.
    let app = r["security_group.app"].clone();
    let app = update(&env, stack, &app, with(app.clone(), "egress", list(vec![]))).await;
    assert_eq!(app.attrs["egress"], list(vec![]));

    // Target group health check path.
    let tg = r["target_group.login"].clone();
    let hc = list(vec![block(&[("path", s("/ready"))])]);
    let tg = update(&env, stack, &tg, with(tg.clone(), "health_check", hc)).await;
    let raw = env
        .raw
        .elb
        .describe_target_groups()
        .target_group_arns(text(&tg, "arn"))
        .send()
        .await
        .expect("DescribeTargetGroups");
    assert_eq!(raw.target_groups()[0].health_check_path(), Some("/ready"));

    // Listener rule added, then the original removed.
    let listener = r["listener.http"].clone();
    let login = listener.attrs["rule"].as_list().unwrap_or_default()[0].clone();
    let blog_rule = block(&[
        ("name", s("blog")),
        ("priority", Value::Int(20)),
        ("path", s("/blog*")),
        ("host", Value::Null),
        ("forward", id(&r["target_group.blog"])),
    ]);
    let two = with(listener.clone(), "rule", list(vec![login, blog_rule.clone()]));
    let listener = update(&env, stack, &listener, two).await;
    assert_eq!(listener.attrs["rule"].as_list().map(<[Value]>::len), Some(2));
    let one = with(listener.clone(), "rule", list(vec![blog_rule]));
    let listener = update(&env, stack, &listener, one).await;
    let rules = listener.attrs["rule"].as_list().unwrap_or_default().to_vec();
    assert_eq!(rules.len(), 1);
    let raw = env
        .raw
        .elb
        .describe_rules()
        .listener_arn(text(&listener, "arn"))
        .send()
        .await
        .expect("DescribeRules");
    // The listener's one rule, and listener_rule.api, which the listener's
    // update leaves alone.
    assert_eq!(
        raw.rules()
            .iter()
            .filter(|r| r.is_default() != Some(true))
            .count(),
        2
    );

    // Tags and log retention.
    let log = r["log_group.login"].clone();
    let log = with(log.clone(), "retention_days", Value::Null);
    let log = update(
        &env,
        stack,
        &r["log_group.login"],
        with(log, "tags", tags(&[("team", "x")])),
    )
    .await;
    assert_eq!(log.attrs["retention_days"], Value::Null);

    // Container Insights turned off (moto has no UpdateClusterSettings: the
    // call that failed there with HTTP 500).
    let cluster = r["cluster.blog"].clone();
    let cluster = update(
        &env,
        stack,
        &cluster,
        with(cluster.clone(), "container_insights", Value::Bool(false)),
    )
    .await;
    assert_eq!(cluster.attrs["container_insights"], Value::Bool(false));

    // The stopped tasks' rule enabled, its queue target retried more.
    let stopped = r["event_rule.task_stopped"].clone();
    let mut target = stopped.attrs["target"].as_list().unwrap_or_default()[0]
        .as_map()
        .cloned()
        .unwrap_or_default();
    target.insert("maximum_retry_attempts".into(), Value::Int(10));
    let enabled = with(stopped.clone(), "state", s("ENABLED"));
    let stopped = update(
        &env,
        stack,
        &stopped,
        with(enabled, "target", list(vec![Value::Map(target)])),
    )
    .await;
    let name = text(&stopped, "name");
    let events = &env.raw.events;
    let raw = events
        .describe_rule()
        .name(&name)
        .send()
        .await
        .expect("DescribeRule");
    assert_eq!(raw.state().map(|s| s.as_str()), Some("ENABLED"));
    let raw = events
        .list_targets_by_rule()
        .rule(&name)
        .send()
        .await
        .expect("ListTargetsByRule");
    let retry = raw.targets()[0].retry_policy();
    assert_eq!(retry.and_then(|r| r.maximum_retry_attempts()), Some(10));
    assert_eq!(retry.and_then(|r| r.maximum_event_age_in_seconds()), Some(3600));

    // The whole stack still reads back as the last results.
    r.insert("event_rule.task_stopped".into(), stopped);
    r.insert("cluster.blog".into(), cluster);
    r.insert("service.login".into(), svc);
    r.insert("security_group.web".into(), web);
    r.insert("security_group.app".into(), app);
    r.insert("target_group.login".into(), tg);
    r.insert("listener.http".into(), listener);
    r.insert("log_group.login".into(), log);
    assert_same(&read(&env.provider, stack).await, &r);
}

#[tokio::test]
async fn task_definition_revision_and_target_group_replacement() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "blog-rep";
    let mut r = apply_blog(p, stack).await;

    // A new revision, the service moved to it, the old one deregistered.
    let old_td = r["task_definition.login"].clone();
    let new_td = create(
        p,
        stack,
        task_definition("login", &r["role.task_exec"], &r["log_group.login"], "v2"),
    )
    .await;
    assert_eq!(new_td.attrs["revision"], Value::Int(2));
    let both = read(p, stack).await;
    assert!(both.contains_key("task_definition.login"));
    let svc = r["service.login"].clone();
    let svc = p
        .update(stack, &svc, &with(svc.clone(), "task_definition", id(&new_td)))
        .await
        .expect("UpdateService");
    p.delete(stack, &old_td).await.expect("DeregisterTaskDefinition");
    let raw = env
        .raw
        .ecs
        .describe_task_definition()
        .task_definition(text(&old_td, "arn"))
        .send()
        .await
        .expect("DescribeTaskDefinition");
    assert_eq!(
        raw.task_definition().and_then(|t| t.status()).map(|s| s.as_str()),
        Some("INACTIVE")
    );
    r.insert("task_definition.login".into(), new_td);
    r.insert("service.login".into(), svc);

    // A target group replaced under the listener: create the new one,
    // repoint the listener, delete the old one.
    let old_tg = r["target_group.blog"].clone();
    let new_tg = create(p, stack, target_group("blog", &r["vpc.main"], "/v2/health")).await;
    assert_ne!(text(&new_tg, "name"), text(&old_tg, "name"));
    let listener = r["listener.http"].clone();
    let listener = p
        .update(stack, &listener, &with(listener.clone(), "default", id(&new_tg)))
        .await
        .expect("ModifyListener");
    p.delete(stack, &old_tg)
        .await
        .expect("DeleteTargetGroup: no ResourceInUse");
    r.insert("target_group.blog".into(), new_tg);
    r.insert("listener.http".into(), listener);
    assert_same(&read(p, stack).await, &r);
}

#[tokio::test]
async fn drift_made_outside_berth_shows_in_read_all() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "blog-drift";
    let r = apply_blog(p, stack).await;
    let svc = &r["service.login"];
    env.raw
        .ecs
        .update_service()
        .cluster(text(svc, "cluster"))
        .service(text(svc, "arn"))
        .desired_count(1)
        .send()
        .await
        .expect("UpdateService");
    let web = &r["security_group.web"];
    env.raw
        .ec2
        .revoke_security_group_ingress()
        .group_id(text(web, "id"))
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(80)
                .to_port(80)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("RevokeSecurityGroupIngress");
    let live = read(p, stack).await;
    assert_eq!(live["service.login"].attrs["desired_count"], Value::Int(1));
    assert_eq!(live["security_group.web"].attrs["ingress"], list(vec![]));
    // Everything else unchanged.
    for (addr, want) in &r {
        if addr != "service.login" && addr != "security_group.web" {
            assert_eq!(&live[addr], want, "{addr}");
        }
    }
}

#[tokio::test]
async fn two_stacks_never_see_each_other() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let a = apply_blog(p, "shop-a").await;
    let b = apply_blog(p, "shop-b").await;
    let read_a = read(p, "shop-a").await;
    let read_b = read(p, "shop-b").await;
    assert_same(&read_a, &a);
    assert_same(&read_b, &b);
    // Names do not collide (`shop-a-` and `shop-b-` prefixes) and a prefix
    // of another stack's name finds nothing.
    assert!(read(p, "shop").await.is_empty());
    destroy(p, "shop-a", &in_order(&a)).await;
    assert!(read(p, "shop-a").await.is_empty());
    assert_same(&read(p, "shop-b").await, &b);
}

#[tokio::test]
async fn aws_errors_name_the_call_and_code() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    // The log group berth would create exists already (made by hand).
    env.raw
        .logs
        .create_log_group()
        .log_group_name("/ecs/errs/app")
        .send()
        .await
        .expect("CreateLogGroup");
    let err = p
        .create("errs", &desired(Kind::LogGroup, "app", &[]))
        .await
        .expect_err("duplicate log group");
    assert_eq!(err.call, "CreateLogGroup");
    assert_eq!(err.code, "ResourceAlreadyExistsException");
    assert_eq!(err.class, ErrorClass::Permanent);
    assert!(
        err.to_string()
            .starts_with("CreateLogGroup failed: ResourceAlreadyExistsException"),
        "{err}"
    );
    assert!(
        read(p, "errs").await.is_empty(),
        "a log group without berth's tags is not the stack's"
    );

    // An EC2 error (unmodelled: its code comes from the error metadata),
    // retried as eventual consistency until a short deadline.
    let short = berth_aws::AwsProvider::from_sdk_config(&sdk_config(&env.moto.endpoint).await)
        .expect("provider")
        .with_retry_policy(berth_aws::RetryPolicy {
            deadline: std::time::Duration::from_secs(1),
            base_delay: std::time::Duration::from_millis(50),
            max_delay: std::time::Duration::from_millis(200),
        });
    let p = &short;
    let err = p
        .create(
            "errs",
            &desired(
                Kind::Subnet,
                "x",
                &[
                    ("vpc", s("vpc-00000000")),
                    ("cidr", s("10.0.0.0/24")),
                    ("zone", s("us-east-1a")),
                ],
            ),
        )
        .await
        .expect_err("subnet in a missing VPC");
    assert_eq!(err.call, "CreateSubnet");
    assert_eq!(err.code, "InvalidVpcID.NotFound");
    assert_eq!(
        err.class,
        ErrorClass::Transient,
        "eventual consistency: retried until the deadline"
    );
    assert!(p.stats()["ec2:CreateSubnet"].retries >= 1);
}

#[tokio::test]
async fn wait_for_steady_state_is_bounded() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let r = apply_blog(p, "blog-wait").await;
    // moto starts every service with MOTO_ECS_SERVICE_RUNNING=1 task
    // running: 1 of 3 is never steady.
    let svc = &r["service.login"];
    let err = p
        .wait_until_ready(svc, std::time::Duration::from_secs(1), &|_, _| {})
        .await
        .expect_err("never steady");
    assert_eq!(err.code, "Timeout");
    assert!(err.message.contains("1 of 3 tasks running"), "{err}");
    // moto's UpdateService sets the running count to the desired one.
    let one = p
        .update(
            "blog-wait",
            svc,
            &with(svc.clone(), "desired_count", Value::Int(1)),
        )
        .await
        .expect("UpdateService");
    p.wait_until_ready(&one, std::time::Duration::from_secs(30), &|_, _| {})
        .await
        .expect("1 of 1 running");
}

/// The tagging API is eventually consistent on AWS: right after a create,
/// GetResources may not list the resource yet. A read still finds the
/// stack's services in its own clusters (ListServices there too), the
/// task definition revision each runs (described by the ARN the service
/// names) and its log groups under berth's prefix (DescribeLogGroups
/// too). Here every GetResources answer is emptied, as if nothing were
/// indexed yet.
#[tokio::test]
async fn reads_find_what_the_tagging_api_does_not_list_yet() {
    use std::sync::Arc;

    use berth_aws::AwsProvider;
    use berth_test_support::proxy::{FaultProxy, Faults, Rewrite};

    let Some(env) = env().await else { return };
    let stack = "blog-lag";
    let applied = apply_blog(&env.provider, stack).await;
    let nothing_indexed =
        |op: &str, _: &str| (op == "GetResources").then(|| r#"{"ResourceTagMappingList": []}"#.to_owned());
    let faults = Faults {
        rewrite: Some(Rewrite(Arc::new(nothing_indexed))),
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lagging = AwsProvider::from_sdk_config(&sdk_config(&proxy.endpoint).await).expect("provider");
    let live = read(&lagging, stack).await;

    let running: Vec<String> = applied
        .values()
        .filter(|r| r.address.kind == Kind::Service)
        .map(|s| text(s, "task_definition"))
        .collect();
    assert!(!running.is_empty(), "the blog stack has services");
    for (key, r) in &applied {
        let expected = match r.address.kind {
            Kind::TaskDefinition => running.contains(&text(r, "arn")),
            _ => true,
        };
        if expected {
            let mut got = live.get(key).map(|l| l.attrs.clone());
            // moto's queue URLs name the host the request reached: here
            // the proxy's.
            if let Some(got) = got.as_mut().filter(|_| r.address.kind == Kind::SqsQueue) {
                let url = got.get("url").and_then(Value::as_str).unwrap_or_default();
                assert!(url.ends_with(&format!("/{}", text(r, "name"))), "{key}: {url}");
                got.insert("url".to_owned(), r.attrs["url"].clone());
            }
            assert_eq!(
                got.as_ref(),
                Some(&r.attrs),
                "{key} is read without the tagging API"
            );
        }
    }
    assert!(
        applied.keys().any(|k| k.starts_with("log_group.")),
        "the blog stack has a log group"
    );
    // With the tagging API answering, the services are back.
    assert_same(&read(&env.provider, stack).await, &applied);
}
