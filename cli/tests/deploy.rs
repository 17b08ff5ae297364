//! `berth deploy`: CI ships a new image without the next `apply`
//! reverting it; a later change of the image in the configuration is still
//! a real change. On the local cloud and on moto.

mod common;

use std::sync::Arc;

use berth_test_support::proxy::{FaultProxy, Faults, Rewrite};
use common::{Cloud, aws_env, example};

#[test]
fn a_deployed_image_stays_until_the_configuration_changes_it() {
    for cloud in Cloud::both() {
        let p = example("blog");
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        let image = "example.com/login:build-42";
        let run = cloud.berth(&p.dir, &["deploy", "--service", "login", "--image", image]);
        run.expect_code(0);
        assert!(
            run.stdout
                .contains(&format!("Deployed {image} to service.login (container app): ")),
            "{}",
            run.stdout
        );

        // Nothing to change: plan is clean and apply reverts nothing.
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        plan.expect_code(0);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        let again = cloud.berth(
            &p.dir,
            &["deploy", "--service", "service.login", "--image", image],
        );
        again.expect_code(0);
        assert!(again.stdout.contains("already runs"), "{}", again.stdout);

        // The configuration names another image: a real change, from the
        // deployed image.
        p.edit("main.berth", "login:${var.env}\"", "login:v2\"");
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        plan.expect_code(2);
        assert!(plan.stdout.contains(image), "{}", plan.stdout);
        assert!(plan.stdout.contains("login:v2"), "{}", plan.stdout);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        cloud
            .berth(&p.dir, &["plan", "--detailed-exitcode"])
            .expect_code(0);

        let unknown = cloud.berth(&p.dir, &["deploy", "--service", "nope", "--image", image]);
        unknown.expect_code(1);
        assert!(
            unknown
                .stderr
                .contains("has no live service \"nope\" (its services: service.login)"),
            "{}",
            unknown.stderr
        );
        let container = cloud.berth(
            &p.dir,
            &[
                "deploy",
                "--service",
                "login",
                "--image",
                image,
                "--container",
                "web",
            ],
        );
        container.expect_code(1);
        assert!(
            container
                .stderr
                .contains("has no container \"web\" (its containers: app)"),
            "{}",
            container.stderr
        );
    }
}

/// What ECS answers while its circuit breaker rolls a deployment of
/// revision 2 back: that deployment FAILED, revision 1's PRIMARY again,
/// and events saying so (one from before the deploy, which `--wait` must
/// not print). moto runs no tasks: the proxy writes this into moto's
/// DescribeServices answers once the service names revision 2.
fn rolling_back(operation: &str, body: &str) -> Option<String> {
    if operation != "DescribeServices" {
        return None;
    }
    let mut answer: serde_json::Value = serde_json::from_str(body).ok()?;
    let service = answer["services"].get_mut(0)?;
    let new = service["taskDefinition"].as_str()?.to_owned();
    let old = new.strip_suffix(":2")?.to_owned() + ":1";
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    service["deployments"] = serde_json::json!([
        {"id": "ecs-svc/2", "status": "ACTIVE", "taskDefinition": new, "desiredCount": 3,
         "runningCount": 0, "pendingCount": 0, "failedTasks": 3, "rolloutState": "FAILED",
         "rolloutStateReason": "ECS deployment circuit breaker: tasks failed to start."},
        {"id": "ecs-svc/1", "status": "PRIMARY", "taskDefinition": old, "desiredCount": 3,
         "runningCount": 3, "pendingCount": 0, "rolloutState": "IN_PROGRESS"},
    ]);
    service["events"] = serde_json::json!([
        {"id": "e3", "createdAt": now, "message": "(service login) rolling back to deployment ecs-svc/1."},
        {"id": "e2", "createdAt": now, "message": "(service login) (deployment ecs-svc/2) deployment failed: tasks failed to start."},
        {"id": "e1", "createdAt": now, "message": "(service login) has started 3 tasks: (task 1) (task 2) (task 3)."},
        {"id": "e0", "createdAt": now - 3600.0, "message": "(service login) has reached a steady state."},
    ]);
    Some(answer.to_string())
}

#[test]
fn deploy_wait_prints_the_service_events_and_reports_a_rollback() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    let faults = Faults {
        rewrite: Some(Rewrite(Arc::new(rolling_back))),
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&moto.endpoint, faults).expect("proxy starts");
    let p = example("blog");
    let env = aws_env(&proxy.endpoint);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    p.berth_with(&["apply", "--auto-approve"], &env, None)
        .expect_code(0);

    let run = p.berth_with(
        &[
            "deploy",
            "--service",
            "login",
            "--image",
            "example.com/login:broken",
            "--wait",
        ],
        &env,
        None,
    );
    run.expect_code(1);
    let e1 = run
        .stderr
        .find("service.login: (service login) has started 3 tasks");
    let e3 = run
        .stderr
        .find("service.login: (service login) rolling back to deployment ecs-svc/1.");
    assert!(
        e1.is_some() && e3.is_some() && e1 < e3,
        "events, oldest first:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("has reached a steady state"),
        "an event from before the deploy:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("service.login: deployment rolled back: the deployment of ")
            && run.stderr.contains(
                ":2 failed: ECS deployment circuit breaker: tasks failed to start.; the service runs "
            ),
        "{}",
        run.stderr
    );
    // The failed revision is deregistered; the one the service runs again stays.
    let status = active_revisions(&moto);
    assert!(
        status.contains("blog-dev-login:1") && !status.contains("blog-dev-login:2"),
        "{status}"
    );
}

/// RegisterTaskDefinition's answer lost (the revision is registered):
/// deploy failed at once, where apply looks for what a create without an
/// answer made, and the next plan deleted the revision as a duplicate. It
/// finds the revision and goes on: one new revision, the service on it,
/// the old one gone, the plan clean.
#[test]
fn a_deploy_whose_registration_answer_was_lost_finds_the_revision() {
    let Some(blog) = Proxied::blog(Faults::default()) else {
        return;
    };
    let (moto, proxy) = (&blog.moto, &blog.proxy);
    proxy.set_faults(Faults {
        lose_first: true,
        only: vec!["RegisterTaskDefinition".to_owned()],
        ..Faults::default()
    });
    let image = "example.com/login:build-43";
    blog.berth(&["deploy", "--service", "login", "--image", image])
        .expect_code(0);
    assert!(proxy.stats().lost > 0, "{:?}", proxy.stats());
    let revisions = moto.python(
        "import boto3\n\
         ecs=boto3.client('ecs')\n\
         arns=ecs.list_task_definitions(familyPrefix='blog-dev-login',status='ACTIVE')['taskDefinitionArns']\n\
         print(len(arns))\n",
    );
    assert_eq!(revisions.trim(), "1", "one active revision of the login task");
    blog.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

/// Ctrl-C (or a cancelled CI job's SIGTERM) while `deploy --wait` waits:
/// the service runs the new revision already, so the deploy finishes in
/// order (the old revision deregistered, the lock released, exit 130) and
/// the next plan keeps what runs. Regression: the process stopped at
/// once, leaving both revisions, and the next apply deleted the deployed
/// one and moved the service back to the old image.
#[test]
fn a_deploy_wait_interrupted_keeps_the_deployed_revision() {
    let Some(run) = Interrupted::waiting("-INT") else {
        return;
    };
    assert_eq!(run.code, Some(130), "{}", run.seen);
    assert!(run.seen.contains("the old one is deregistered"), "{}", run.seen);
    run.blog.runs_the_second_revision_alone();
}

/// Regression: a deploy of an autoscaled service put its (unchanged)
/// scaling policies again, a policy's `target_group` left null read back
/// left out: a deploy role allowed only what docs/ci.md lists was refused
/// application-autoscaling:PutScalingPolicy. The deploy calls ECS alone.
#[test]
fn a_deploy_of_a_scaled_service_leaves_its_scaling_alone() {
    let project = example("blog");
    project.edit(
        "main.berth",
        "  load_balancer { target_group = target_group.login  container = \"app\"  port = 3000 }\n",
        "  load_balancer { target_group = target_group.login  container = \"app\"  port = 3000 }\n  \
         autoscaling {\n    min_capacity = 1\n    max_capacity = 4\n    target_tracking cpu {\n      metric = \"cpu\"\n      target = 70\n    }\n  }\n",
    );
    let Some(blog) = Proxied::applied(project, Faults::default()) else {
        return;
    };
    let scaling_calls = || {
        blog.proxy
            .upstream()
            .into_iter()
            .filter(|(operation, _)| operation.contains("Scal"))
            .map(|(operation, u)| (operation, u.requests))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = scaling_calls();
    assert!(before.contains_key("PutScalingPolicy"), "{before:?}");
    blog.berth(&[
        "deploy",
        "--service",
        "login",
        "--image",
        "example.com/login:build-43",
    ])
    .expect_code(0);
    let after: std::collections::BTreeMap<_, _> = scaling_calls()
        .into_iter()
        .filter(|(operation, _)| !operation.starts_with("Describe"))
        .collect();
    let before: std::collections::BTreeMap<_, _> = before
        .into_iter()
        .filter(|(operation, _)| !operation.starts_with("Describe"))
        .collect();
    assert_eq!(after, before, "the deploy changed the service's scaling");
    blog.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

/// The blog applied on moto, berth's calls through a fault proxy.
struct Proxied {
    moto: berth_test_support::Moto,
    proxy: FaultProxy,
    project: common::Project,
    env: Vec<(&'static str, String)>,
}

impl Proxied {
    fn blog(faults: Faults) -> Option<Proxied> {
        Proxied::applied(example("blog"), faults)
    }

    /// `project` applied on moto behind the proxy.
    fn applied(project: common::Project, faults: Faults) -> Option<Proxied> {
        let moto = berth_test_support::Moto::start()?;
        let proxy = FaultProxy::start(&moto.endpoint, faults).expect("proxy starts");
        let env = aws_env(&proxy.endpoint);
        let blog = Proxied {
            moto,
            proxy,
            project,
            env,
        };
        blog.berth(&["apply", "--auto-approve"]).expect_code(0);
        Some(blog)
    }

    /// Only login's second revision is active, and the plan is clean.
    fn runs_the_second_revision_alone(&self) {
        let active = active_revisions(&self.moto);
        assert!(
            active.contains("blog-dev-login:2") && !active.contains("blog-dev-login:1"),
            "{active}"
        );
        self.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
    }

    fn env(&self) -> Vec<(&str, &str)> {
        self.env.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    fn berth(&self, args: &[&str]) -> common::Run {
        self.project.berth_with(args, &self.env(), None)
    }

    /// `berth ARGS`, started.
    fn spawn(&self, args: &[&str]) -> std::process::Child {
        common::command(&self.project.dir, args, &self.env())
            .spawn()
            .expect("berth starts")
    }
}

/// The blog behind a proxy whose services never get steady, and `berth
/// deploy --wait` of login's second image sent a signal while it waits.
struct Interrupted {
    blog: Proxied,
    /// Its whole stderr.
    seen: String,
    code: Option<i32>,
}

impl Interrupted {
    fn waiting(signal: &str) -> Option<Interrupted> {
        let blog = Proxied::blog(Faults {
            rewrite: Some(Rewrite(Arc::new(common::never_steady))),
            ..Faults::default()
        })?;
        let child = blog.spawn(&[
            "deploy",
            "--service",
            "login",
            "--image",
            "example.com/login:2",
            "--wait",
        ]);
        let (seen, code) = common::interrupt_when(child, "waiting for a steady state", signal);
        Some(Interrupted { blog, seen, code })
    }
}

/// Killed (kill -9) while `deploy --wait` waits: both revisions are
/// left. The next plan keeps the deployed one, which the service runs,
/// and deletes the other. Regression: it measured the deployed revision
/// against the configuration's image, kept the old one and moved the
/// service back to it.
#[test]
fn a_deploy_killed_while_waiting_keeps_the_revision_the_service_runs() {
    let Some(run) = Interrupted::waiting("-KILL") else {
        return;
    };
    assert_eq!(run.code, None, "{}", run.seen);
    let active = active_revisions(&run.blog.moto);
    assert!(
        active.contains("blog-dev-login:1") && active.contains("blog-dev-login:2"),
        "{active}"
    );
    run.blog.berth(&["unlock"]).expect_code(0);
    let plan = run.blog.berth(&["plan"]);
    plan.expect_code(0);
    let kept = "keeps arn:aws:ecs:us-east-1:123456789012:task-definition/blog-dev-login:2";
    assert!(plan.stdout.contains(kept), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("0 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    run.blog.berth(&["apply", "--auto-approve"]).expect_code(0);
    run.blog.runs_the_second_revision_alone();
}

/// A deploy killed (kill -9, a CI runner's last resort) half-way is
/// finished by the next one: killed after registering, the revision it
/// registered is taken, not registered again; killed after the service
/// moved, the old revision left beside it goes. Regression: each left a
/// second live revision, and every plan after proposed deleting it.
#[test]
fn a_deploy_killed_half_way_is_finished_by_the_next() {
    let Some(blog) = Proxied::blog(Faults::default()) else {
        return;
    };
    let moto = &blog.moto;
    let deploy = |image: &str| blog.berth(&["deploy", "--service", "login", "--image", image]);
    let stalled_at = |op: &str, image: &str, until: &dyn Fn() -> bool| {
        blog.proxy.set_faults(Faults {
            stall: true,
            only: vec![op.to_owned()],
            ..Faults::default()
        });
        let mut run = blog.spawn(&["deploy", "--service", "login", "--image", image]);
        let reached = common::poll(60, until);
        let _ = run.kill();
        let _ = run.wait();
        blog.proxy.set_faults(Faults::default());
        assert!(reached, "the deploy never reached {op}");
        blog.berth(&["unlock"]).expect_code(0);
    };

    // Killed while UpdateService hangs: registered, not moved.
    stalled_at("UpdateService", "example.com/login:2", &|| {
        active_revisions(moto).lines().count() == 2
    });
    let run = deploy("example.com/login:2");
    run.expect_code(0);
    assert!(run.stdout.contains("blog-dev-login:2"), "{}", run.stdout);
    let active = active_revisions(moto);
    assert!(
        active.contains("blog-dev-login:2")
            && !active.contains("blog-dev-login:1")
            && !active.contains("blog-dev-login:3"),
        "{active}"
    );
    blog.berth(&["plan", "--detailed-exitcode"]).expect_code(0);

    // Killed while DeregisterTaskDefinition hangs: moved, the old one left.
    stalled_at("DeregisterTaskDefinition", "example.com/login:3", &|| {
        moto.python(
            "import boto3\n\
             ecs = boto3.client('ecs')\n\
             for c in ecs.list_clusters()['clusterArns']:\n\
             \x20   arns = ecs.list_services(cluster=c)['serviceArns']\n\
             \x20   print([s['taskDefinition'] for s in ecs.describe_services(cluster=c, services=arns)['services']])\n",
        )
        .contains("blog-dev-login:3")
    });
    let run = deploy("example.com/login:3");
    run.expect_code(0);
    assert!(run.stdout.contains("already runs"), "{}", run.stdout);
    let active = active_revisions(moto);
    assert!(
        active.contains("blog-dev-login:3") && !active.contains("blog-dev-login:2"),
        "{active}"
    );
    blog.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

/// The ACTIVE task definition revisions moto holds, `FAMILY:N` a line.
fn active_revisions(moto: &berth_test_support::Moto) -> String {
    moto.python(
        "import boto3\n\
         ecs = boto3.client('ecs')\n\
         for arn in sorted(ecs.list_task_definitions(status='ACTIVE')['taskDefinitionArns']):\n\
         \x20   print(arn.rsplit('/', 1)[1])\n",
    )
}
