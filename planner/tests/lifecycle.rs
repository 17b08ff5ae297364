//! The planner against the embedded local cloud: apply, re-plan to no
//! changes, updates, replacements, drift, isolation, failures, destroy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use berth_lang::{Options, Stack, analyze, load};
use berth_local::{Fault, FaultClass, FaultOp, LocalCloud};
use berth_planner::execute::{self, Outcome, Silent};
use berth_planner::plan::Action;
use berth_planner::{Planned, plan};
use berth_provider::schema::ReplaceOrder;
use berth_provider::{Provider, RetryPolicy, Value};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// A copy of an example in a temp dir, so tests can edit it.
fn copy_example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(examples().join(name)).expect("example exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "berth") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn evaluate(dir: &Path, vars: &[(&str, &str)]) -> Stack {
    let (sources, diags) = load::load_dir(dir).expect("stack loads");
    let vars: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let analysis = analyze(
        sources,
        diags,
        &Options {
            vars,
            default_name: "test".into(),
            ..Options::default()
        },
    );
    let rendered = berth_lang::diagnostic::render(&analysis.sources, &analysis.diagnostics);
    analysis
        .stack
        .unwrap_or_else(|| panic!("stack is valid:\n{rendered}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(5),
        deadline: std::time::Duration::from_secs(5),
    }
}

fn fast() -> execute::Options {
    execute::Options {
        parallelism: 4,
        recovery: fast_policy(),
        interrupt: None,
    }
}

fn make_plan(cloud: &LocalCloud, stack: &Stack) -> Planned {
    let live = runtime().block_on(cloud.read_all(&stack.name)).expect("read_all");
    plan(stack, live)
}

fn apply(cloud: &LocalCloud, stack: &Stack) -> execute::Report {
    let planned = make_plan(cloud, stack);
    runtime()
        .block_on(execute::execute(&planned, cloud, fast(), &Silent))
        .expect("no cycle")
}

fn apply_ok(cloud: &LocalCloud, stack: &Stack) {
    let report = apply(cloud, stack);
    assert!(
        report.succeeded(),
        "apply failed: {:?}",
        report.failed().collect::<Vec<_>>()
    );
}

fn actions(planned: &Planned) -> BTreeMap<String, Action> {
    planned
        .plan
        .changes()
        .map(|c| (c.address.to_string(), c.action))
        .collect()
}

fn assert_no_changes(cloud: &LocalCloud, stack: &Stack) {
    let planned = make_plan(cloud, stack);
    assert!(
        actions(&planned).is_empty(),
        "expected no changes, got {:#?}",
        planned.plan.changes().collect::<Vec<_>>()
    );
}

fn cloud_in(dir: &Path) -> LocalCloud {
    LocalCloud::open(&dir.join(".berth/local-cloud.json"), "us-east-1")
        .expect("local cloud opens")
        .with_retry_policy(fast_policy())
}

#[test]
fn every_example_applies_then_plans_no_changes_then_destroys_to_nothing() {
    for name in ["blog", "microservices"] {
        let dir = copy_example(name);
        let cloud = cloud_in(dir.path());
        let stack = evaluate(dir.path(), &[]);
        let first = make_plan(&cloud, &stack);
        assert!(first.plan.changes().all(|c| c.action == Action::Create));
        assert_eq!(first.plan.summary().add, stack.resources.len());
        apply_ok(&cloud, &stack);
        assert_no_changes(&cloud, &stack);

        let mut empty = stack.clone();
        empty.resources.clear();
        apply_ok(&cloud, &empty);
        let left = runtime().block_on(cloud.read_all(&stack.name)).expect("read_all");
        assert!(left.is_empty(), "{name}: destroy left {left:#?}");
    }
}

/// Regression: a service named like its Cloud Map service (both
/// `usermgmt`, as teams name them) read as two resources pointing at each
/// other, and destroy failed with a cycle. Only reference attributes
/// order deletes now.
#[test]
fn a_service_named_like_its_discovery_service_is_destroyed() {
    let dir = copy_example("microservices");
    edit(
        dir.path(),
        "main.berth",
        "\nservice usermgmt {\n",
        "\nservice usermgmt {\n  name = \"usermgmt\"\n",
    );
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    apply_ok(&cloud, &stack);
    let mut empty = stack.clone();
    empty.resources.clear();
    apply_ok(&cloud, &empty);
    let left = runtime().block_on(cloud.read_all(&stack.name)).expect("read_all");
    assert!(left.is_empty(), "destroy left {left:#?}");
}

#[test]
fn desired_count_updates_in_place() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    apply_ok(&cloud, &evaluate(dir.path(), &[]));
    edit(
        dir.path(),
        "main.berth",
        "desired_count   = 3",
        "desired_count   = 5",
    );
    let stack = evaluate(dir.path(), &[]);
    let planned = make_plan(&cloud, &stack);
    assert_eq!(
        actions(&planned),
        BTreeMap::from([("service.login".to_owned(), Action::Update)])
    );
    let change = &planned.plan.changes().next().expect("one change").changes;
    assert_eq!(change.len(), 1);
    assert_eq!(change[0].name, "desired_count");
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
}

#[test]
fn an_image_tag_registers_a_new_revision_and_moves_the_service() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    apply_ok(&cloud, &evaluate(dir.path(), &[]));
    let before = runtime().block_on(cloud.read_all("blog-dev")).expect("read");
    let old_td = before
        .iter()
        .find(|r| r.address.to_string() == "task_definition.login")
        .expect("td")
        .clone();

    // Same stack name, new image tag.
    edit(dir.path(), "main.berth", "login:${var.env}", "login:${var.env}-2");
    let stack = evaluate(dir.path(), &[]);
    let planned = make_plan(&cloud, &stack);
    let acts = actions(&planned);
    assert_eq!(
        acts.get("task_definition.login"),
        Some(&Action::Replace(
            berth_provider::schema::ReplaceOrder::CreateBeforeDestroy
        ))
    );
    assert_eq!(acts.get("service.login"), Some(&Action::Update));
    assert_eq!(acts.len(), 2, "{acts:?}");
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);

    let after = runtime().block_on(cloud.read_all("blog-dev")).expect("read");
    let new_td = after
        .iter()
        .find(|r| r.address.to_string() == "task_definition.login")
        .expect("td");
    assert_eq!(
        new_td.attrs["revision"].as_int(),
        old_td.attrs["revision"].as_int().map(|r| r + 1)
    );
    let service = after
        .iter()
        .find(|r| r.address.to_string() == "service.login")
        .expect("service");
    assert_eq!(service.attrs["task_definition"], new_td.attrs["arn"]);
    assert_eq!(
        after
            .iter()
            .filter(|r| r.address.kind == berth_provider::Kind::TaskDefinition)
            .count(),
        1
    );
}

#[test]
fn a_target_group_port_change_replaces_it_create_before_destroy() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    apply_ok(&cloud, &evaluate(dir.path(), &[]));
    let old_arn = runtime()
        .block_on(cloud.read_all("blog-dev"))
        .expect("read")
        .into_iter()
        .find(|r| r.address.to_string() == "target_group.blog")
        .expect("tg")
        .attrs["arn"]
        .clone();
    edit(
        dir.path(),
        "main.berth",
        "target_group blog {\n  vpc         = vpc.main\n  port        = 3000",
        "target_group blog {\n  vpc         = vpc.main\n  port        = 8080",
    );
    let stack = evaluate(dir.path(), &[]);
    let planned = make_plan(&cloud, &stack);
    let acts = actions(&planned);
    assert_eq!(
        acts.get("target_group.blog"),
        Some(&Action::Replace(
            berth_provider::schema::ReplaceOrder::CreateBeforeDestroy
        ))
    );
    assert_eq!(
        acts.get("listener.http"),
        Some(&Action::Update),
        "the listener is repointed"
    );
    let tg = planned
        .plan
        .changes()
        .find(|c| c.address.to_string() == "target_group.blog")
        .expect("tg");
    assert!(
        tg.changes
            .iter()
            .any(|c| c.name == "port" && c.forces_replacement)
    );
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
    let live = runtime().block_on(cloud.read_all("blog-dev")).expect("read");
    let tgs: Vec<_> = live
        .iter()
        .filter(|r| r.address.to_string() == "target_group.blog")
        .collect();
    assert_eq!(tgs.len(), 1);
    assert_ne!(tgs[0].attrs["arn"], old_arn, "a new target group");
}

/// SetSubnets moves a load balancer among its VPC's subnets, never to
/// another VPC: new subnets in the same VPC update it in place, while the
/// subnets of a new VPC (the VPC replaced) replace it.
#[test]
fn a_load_balancer_is_replaced_only_when_its_subnets_leave_its_vpc() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    apply_ok(&cloud, &evaluate(dir.path(), &[]));
    let subnet_c = "subnet public_c {\n  vpc    = vpc.main\n  cidr   = \"10.0.3.0/24\"\n  zone   = \"us-east-1c\"\n  public = true\n}\n\n";
    edit(
        dir.path(),
        "main.berth",
        "subnet public_b {",
        &format!("{subnet_c}subnet public_b {{"),
    );
    edit(
        dir.path(),
        "main.berth",
        "load_balancer web {\n  subnets         = [subnet.public_a, subnet.public_b]",
        "load_balancer web {\n  subnets         = [subnet.public_b, subnet.public_c]",
    );
    let stack = evaluate(dir.path(), &[]);
    assert_eq!(
        actions(&make_plan(&cloud, &stack)).get("load_balancer.web"),
        Some(&Action::Update)
    );
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);

    edit(dir.path(), "main.berth", "10.0.0.0/16", "10.7.0.0/16");
    for (from, to) in [
        ("10.0.1.0/24", "10.7.1.0/24"),
        ("10.0.2.0/24", "10.7.2.0/24"),
        ("10.0.3.0/24", "10.7.3.0/24"),
    ] {
        edit(dir.path(), "main.berth", from, to);
    }
    let stack = evaluate(dir.path(), &[]);
    let planned = make_plan(&cloud, &stack);
    assert_eq!(
        actions(&planned).get("load_balancer.web"),
        Some(&Action::Replace(ReplaceOrder::CreateBeforeDestroy))
    );
    let lb = planned
        .plan
        .changes()
        .find(|c| c.address.to_string() == "load_balancer.web")
        .expect("load balancer");
    assert!(
        lb.changes
            .iter()
            .any(|c| c.name == "subnets" && c.forces_replacement)
    );
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
}

#[test]
fn adding_a_listener_rule_updates_the_listener() {
    let dir = copy_example("microservices");
    let cloud = cloud_in(dir.path());
    apply_ok(&cloud, &evaluate(dir.path(), &[]));
    edit(
        dir.path(),
        "main.berth",
        "  rule notification {",
        "  rule health { priority = 5  path = \"/health\"  forward = target_group.usermgmt }\n  rule notification {",
    );
    let stack = evaluate(dir.path(), &[]);
    let planned = make_plan(&cloud, &stack);
    assert_eq!(
        actions(&planned),
        BTreeMap::from([("listener.http".to_owned(), Action::Update)])
    );
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
}

#[test]
fn drift_in_the_cloud_shows_in_the_plan_and_apply_repairs_it() {
    let dir = copy_example("blog");
    let state = dir.path().join(".berth/local-cloud.json");
    let stack = evaluate(dir.path(), &[]);
    {
        let cloud = cloud_in(dir.path());
        apply_ok(&cloud, &stack);
    }
    // Someone scales the service in the console: edit the cloud directly.
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("read")).expect("json");
    let resources = json["resources"].as_object_mut().expect("resources");
    let service = resources
        .values_mut()
        .find(|r| r["tags"]["berth:address"] == "service.login")
        .expect("service in the cloud");
    service["attrs"]["desired_count"] = serde_json::json!(1);
    std::fs::write(&state, serde_json::to_string_pretty(&json).expect("json")).expect("write");

    let cloud = cloud_in(dir.path());
    let planned = make_plan(&cloud, &stack);
    assert_eq!(
        actions(&planned),
        BTreeMap::from([("service.login".to_owned(), Action::Update)])
    );
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
}

/// A load balancer declared without security groups gets the VPC's default
/// group from AWS; that is AWS's choice, not drift, and must not show in
/// every plan. Groups that are declared are still compared.
#[test]
fn security_groups_aws_chose_for_a_load_balancer_are_not_drift() {
    let dir = copy_example("blog");
    edit(
        dir.path(),
        "main.berth",
        "  security_groups = [security_group.web]\n}",
        "}",
    );
    let state = dir.path().join(".berth/local-cloud.json");
    let stack = evaluate(dir.path(), &[]);
    {
        let cloud = cloud_in(dir.path());
        apply_ok(&cloud, &stack);
    }
    let set_live_groups = |groups: serde_json::Value| {
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&state).expect("read")).expect("json");
        let resources = json["resources"].as_object_mut().expect("resources");
        let lb = resources
            .values_mut()
            .find(|r| r["tags"]["berth:address"] == "load_balancer.web")
            .expect("load balancer in the cloud");
        lb["attrs"]["security_groups"] = groups;
        std::fs::write(&state, serde_json::to_string_pretty(&json).expect("json")).expect("write");
    };
    set_live_groups(serde_json::json!(["sg-0vpcdefault"]));
    assert_no_changes(&cloud_in(dir.path()), &stack);

    edit(
        dir.path(),
        "main.berth",
        "load_balancer web {",
        "load_balancer web {\n  security_groups = [security_group.web]",
    );
    let declared = evaluate(dir.path(), &[]);
    let cloud = cloud_in(dir.path());
    assert_eq!(
        actions(&make_plan(&cloud, &declared)),
        BTreeMap::from([("load_balancer.web".to_owned(), Action::Update)])
    );
}

/// A security group whose rule allows the group itself (tasks of one
/// service talking to each other) is created, then given the rule once it
/// has an id; it plans no changes after, and a replacement's rule names the
/// new group, not the one it replaces.
#[test]
fn a_security_group_can_allow_itself() {
    let dir = copy_example("blog");
    edit(
        dir.path(),
        "main.berth",
        "  ingress { port = 3000  from = security_group.web }\n",
        "  ingress { port = 3000  from = security_group.web }\n  ingress { port = 7946  from = security_group.app }\n",
    );
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
    let group_id = |cloud: &LocalCloud| {
        let live = runtime().block_on(cloud.read_all(&stack.name)).expect("read_all");
        let app = live
            .into_iter()
            .find(|r| r.address.to_string() == "security_group.app")
            .expect("group exists");
        let id = app.attrs["id"].clone();
        let sources: Vec<Value> = app.attrs["ingress"]
            .as_list()
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.as_map()?.get("from").cloned())
            .collect();
        assert!(sources.contains(&id), "{sources:?} holds the group's own id {id}");
        id
    };
    let first = group_id(&cloud);

    edit(
        dir.path(),
        "main.berth",
        "security_group app {\n",
        "security_group app {\n  description = \"App tasks\"\n",
    );
    let replaced = evaluate(dir.path(), &[]);
    assert_eq!(
        actions(&make_plan(&cloud, &replaced)).get("security_group.app"),
        Some(&Action::Replace(ReplaceOrder::CreateBeforeDestroy))
    );
    apply_ok(&cloud, &replaced);
    assert_no_changes(&cloud, &replaced);
    assert_ne!(group_id(&cloud), first);
}

/// Outputs in plans: none change when nothing they read changes; a load
/// balancer replaced makes its URL output known only after apply, shown
/// against its current value.
#[test]
fn plans_show_outputs_whose_value_changes() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    let first = make_plan(&cloud, &stack);
    assert_eq!(first.plan.outputs.len(), 1);
    assert_eq!(first.plan.outputs[0].before, None);
    apply_ok(&cloud, &stack);
    assert!(make_plan(&cloud, &stack).plan.outputs.is_empty());

    edit(
        dir.path(),
        "main.berth",
        "load_balancer web {",
        "load_balancer web {\n  internal = true",
    );
    let replaced = make_plan(&cloud, &evaluate(dir.path(), &[]));
    let url = &replaced.plan.outputs[0];
    assert_eq!(url.name, "url");
    assert!(
        url.before
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("http://")),
        "{url:?}"
    );
    assert_eq!(url.after, Value::Unknown);
}

/// Regression: an output reading a name berth chose (left out of the
/// configuration) showed as changing to null when its resource was
/// updated in place.
#[test]
fn an_in_place_update_keeps_outputs_of_names_berth_chose() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.berth"),
        "log_group app { retention_days = 7 }\noutput name { value = log_group.app.name }\n",
    )
    .expect("write");
    let cloud = cloud_in(dir.path());
    apply_ok(&cloud, &evaluate(dir.path(), &[]));
    edit(dir.path(), "main.berth", "= 7", "= 14");
    let updated = make_plan(&cloud, &evaluate(dir.path(), &[]));
    assert_eq!(actions(&updated).get("log_group.app"), Some(&Action::Update));
    assert!(updated.plan.outputs.is_empty(), "{:?}", updated.plan.outputs);
}

/// Regression: an output reading a name berth chooses at create (a
/// CloudFormation `Outputs: Value: !Ref ECSCluster`) planned as `null`,
/// then printed the name after apply; it is known after apply.
#[test]
fn a_created_resources_chosen_name_is_an_output_known_after_apply() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.berth"),
        "cluster main {}\noutput name { value = cluster.main.name }\n",
    )
    .expect("write");
    let cloud = cloud_in(dir.path());
    let plan = make_plan(&cloud, &evaluate(dir.path(), &[]));
    assert_eq!(plan.plan.outputs.len(), 1);
    assert_eq!(plan.plan.outputs[0].after, Value::Unknown);
}

/// A module's optional setting reaching a nested block as `null` (the ECS
/// module's `cloud_watch_encryption_enabled`) was desired null where the
/// cloud reads the default back: every plan updated the cluster.
#[test]
fn a_null_setting_with_a_default_in_a_nested_block_plans_no_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.berth"),
        r#"variable "encryption" { default = null }
log_group exec { name = "/ecs/exec" }
cluster main {
  execute_command {
    logging              = "OVERRIDE"
    log_group            = log_group.exec.name
    log_group_encryption = var.encryption
  }
}
"#,
    )
    .expect("write");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
}

/// Terraform's `name_prefix`: the name is drawn with the prefix, the
/// re-plan reads the prefix from it, and another prefix replaces.
#[test]
fn a_name_prefix_starts_the_drawn_name_and_another_replaces() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.berth"),
        "role task {\n  name_prefix = \"task-\"\n  assume      = \"ecs-tasks.amazonaws.com\"\n}\n",
    )
    .expect("write");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
    let live = runtime().block_on(cloud.read_all(&stack.name)).expect("read_all");
    let name = live
        .iter()
        .find(|r| r.address.to_string() == "role.task")
        .and_then(|r| r.attrs.get("name")?.as_str().map(str::to_owned))
        .expect("the role is named");
    let digits = name.strip_prefix("task-").expect("named by its prefix");
    assert!(
        digits.len() == 6 && digits.chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
    edit(dir.path(), "main.berth", "\"task-\"", "\"app-\"");
    let replaced = make_plan(&cloud, &evaluate(dir.path(), &[]));
    assert!(
        matches!(actions(&replaced).get("role.task"), Some(Action::Replace(_))),
        "{:?}",
        actions(&replaced)
    );
}

#[test]
fn two_stacks_in_one_cloud_stay_isolated() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    let dev = evaluate(dir.path(), &[]);
    let prod = evaluate(dir.path(), &[("env", "prod")]);
    assert_ne!(dev.name, prod.name);
    apply_ok(&cloud, &dev);
    assert!(
        make_plan(&cloud, &prod)
            .plan
            .changes()
            .all(|c| c.action == Action::Create),
        "prod sees none of dev's"
    );
    apply_ok(&cloud, &prod);
    let mut nothing = prod.clone();
    nothing.resources.clear();
    apply_ok(&cloud, &nothing);
    assert!(
        runtime()
            .block_on(cloud.read_all(&prod.name))
            .expect("read")
            .is_empty()
    );
    assert_no_changes(&cloud, &dev);
}

#[test]
fn a_failing_create_stops_only_its_dependents_and_the_next_apply_finishes() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    cloud
        .add_fault(
            Fault::new(FaultOp::Create, "ClientException", FaultClass::Permanent).at("task_definition.login"),
        )
        .expect("fault");
    let report = apply(&cloud, &stack);
    let failed: Vec<String> = report.failed().map(|(_, a, _)| a.to_string()).collect();
    assert_eq!(failed, ["task_definition.login"]);
    let skipped: Vec<String> = report.skipped().map(|(_, a, _)| a.to_string()).collect();
    assert_eq!(skipped, ["service.login"]);
    assert!(
        matches!(&report.failed().next().expect("failure").2, Outcome::Failed(e) if e.code == "ClientException")
    );
    assert_eq!(
        report.done().count(),
        stack.resources.len() - 2,
        "everything else was created"
    );

    cloud.clear_faults().expect("clear");
    let planned = make_plan(&cloud, &stack);
    assert_eq!(
        actions(&planned),
        BTreeMap::from([
            ("service.login".to_owned(), Action::Create),
            ("task_definition.login".to_owned(), Action::Create)
        ])
    );
    apply_ok(&cloud, &stack);
    assert_no_changes(&cloud, &stack);
}

/// Retries have one owner: the provider retries throttling (and counts
/// it); the executor never runs the operation again.
#[test]
fn throttling_is_retried_by_the_provider_alone() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    cloud
        .add_fault(
            Fault::new(FaultOp::Create, "Throttling", FaultClass::Throttling)
                .at("cluster.blog")
                .times(3),
        )
        .expect("fault");
    let report = apply(&cloud, &stack);
    assert!(report.succeeded());
    assert_eq!(report.recoveries, 0);
    let stats = cloud.stats()["CreateCluster"];
    assert_eq!((stats.calls, stats.retries, stats.throttles), (4, 3, 3));
    assert_no_changes(&cloud, &stack);
}

/// A create or an update whose answer is lost (it took effect) is not made
/// again blindly: the executor finds what it made by the address tag and
/// goes on from there. Every apply succeeds and no address exists twice.
#[test]
fn lost_answers_make_no_duplicates() {
    let dir = copy_example("blog");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    for address in [
        "vpc.main",
        "security_group.web",
        "task_definition.login",
        "service.login",
    ] {
        cloud
            .add_fault(
                Fault::new(FaultOp::Create, "RequestTimeout", FaultClass::Lost)
                    .at(address)
                    .times(1),
            )
            .expect("fault");
    }
    let report = apply(&cloud, &stack);
    assert!(report.succeeded(), "{:?}", report.failed().collect::<Vec<_>>());
    assert_eq!(report.recoveries, 4);
    let live = runtime().block_on(cloud.read_all(&stack.name)).expect("read");
    assert_eq!(live.len(), stack.resources.len(), "one resource per address");
    assert_no_changes(&cloud, &stack);

    // An update whose answer is lost: made once, and the plan is clean.
    edit(
        dir.path(),
        "main.berth",
        "desired_count   = 3",
        "desired_count   = 4",
    );
    let stack = evaluate(dir.path(), &[]);
    cloud
        .add_fault(
            Fault::new(FaultOp::Update, "RequestTimeout", FaultClass::Lost)
                .at("service.login")
                .times(1),
        )
        .expect("fault");
    let report = apply(&cloud, &stack);
    assert!(report.succeeded(), "{:?}", report.failed().collect::<Vec<_>>());
    assert_no_changes(&cloud, &stack);
}

#[test]
fn dependents_are_created_after_what_they_reference() {
    let dir = copy_example("microservices");
    let cloud = cloud_in(dir.path());
    let stack = evaluate(dir.path(), &[]);
    let report = apply(&cloud, &stack);
    assert!(report.succeeded());
    let position = |a: &str| {
        report
            .outcomes
            .iter()
            .position(|(_, addr, _)| addr.to_string() == a)
            .expect(a)
    };
    for r in &stack.resources {
        for dep in &r.depends_on {
            assert!(
                position(&dep.to_string()) < position(&r.address.to_string()),
                "{dep} before {}",
                r.address
            );
        }
    }
}
