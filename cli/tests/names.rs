//! Names the configuration gives, end to end on the local cloud (a
//! service's rename on both clouds): an applied stack that gains a `name`
//! plans a replacement (AWS renames nothing), applies under exactly that
//! name, and then plans clean.

mod common;

use common::{Cloud, act, example, json_actions, json_plan};

/// The live resource at `address` of the blog stack, as stored.
fn stored_name(cloud: &serde_json::Value, address: &str, attr: &str) -> Option<String> {
    cloud["resources"]
        .as_object()?
        .values()
        .find(|r| r["tags"]["berth:address"] == address && r["tags"]["berth:stack"] == "blog-dev")
        .and_then(|r| r["attrs"][attr].as_str().map(str::to_owned))
}

#[test]
fn a_name_given_later_replaces_and_then_plans_clean() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    let derived = stored_name(&p.cloud(), "cluster.blog", "name");
    assert_eq!(derived.as_deref(), Some("blog-dev-blog"));

    p.edit(
        "main.berth",
        "cluster blog { container_insights = true }",
        "cluster blog {\n  name               = \"blog-main\"\n  container_insights = true\n}",
    );
    p.edit(
        "main.berth",
        "log_group login { retention_days = 14 }",
        "log_group login {\n  name           = \"/apps/blog/login\"\n  retention_days = 14\n}",
    );
    let plan = json_plan(p.berth(&["plan", "--format", "json"]).expect_code(0));
    let actions = json_actions(&plan);
    assert_eq!(
        actions["cluster.blog"],
        act("replace", Some("destroy_before_create"))
    );
    assert_eq!(
        actions["log_group.login"],
        act("replace", Some("destroy_before_create"))
    );

    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    let cloud = p.cloud();
    assert_eq!(
        stored_name(&cloud, "cluster.blog", "name").as_deref(),
        Some("blog-main")
    );
    assert_eq!(
        stored_name(&cloud, "log_group.login", "name").as_deref(),
        Some("/apps/blog/login")
    );
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("No changes."), "{}", run.stdout);
}

#[test]
fn a_named_target_group_keeps_its_name_until_renamed() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit(
        "main.berth",
        "target_group blog {",
        "target_group blog {\n  name = \"blog-web\"",
    );
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    assert_eq!(
        stored_name(&p.cloud(), "target_group.blog", "name").as_deref(),
        Some("blog-web")
    );
    // Another change AWS cannot make in place: with the name fixed, the new
    // group cannot coexist with the old one, and AWS refuses to delete the
    // old one while the listener, which stays, forwards to it: the plan
    // says so instead of an apply stopping half-way.
    p.edit("main.berth", "port        = 3000\n  target_type = \"ip\"\n  health_check { path = \"/health\" }\n}\n\ntarget_group login", "port        = 3001\n  target_type = \"ip\"\n  health_check { path = \"/health\" }\n}\n\ntarget_group login");
    let refused = p.berth(&["plan", "--format", "json"]);
    refused.expect_code(1);
    assert!(
        refused
            .all()
            .contains("ELBv2 refuses while listener.http forwards to it (ResourceInUse)"),
        "{}",
        refused.all()
    );
    // Renamed as well, the successor coexists and is created first.
    p.edit("main.berth", "name = \"blog-web\"", "name = \"blog-web-3001\"");
    let plan = json_plan(p.berth(&["plan", "--format", "json"]).expect_code(0));
    assert_eq!(
        json_actions(&plan)["target_group.blog"],
        act("replace", Some("create_before_destroy"))
    );
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    assert_eq!(
        stored_name(&p.cloud(), "target_group.blog", "name").as_deref(),
        Some("blog-web-3001")
    );
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

/// ELB names are case-insensitive: a load balancer renamed only in case
/// cannot be made beside its old self (DuplicateLoadBalancerName), so it
/// goes first.
#[test]
fn a_load_balancer_renamed_only_in_case_is_destroyed_before_it_is_created() {
    let p = example("blog");
    p.edit(
        "main.berth",
        "load_balancer web {",
        "load_balancer web {\n  name = \"blog-web\"",
    );
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit("main.berth", "name = \"blog-web\"", "name = \"Blog-Web\"");
    let plan = json_plan(p.berth(&["plan", "--format", "json"]).expect_code(0));
    assert_eq!(
        json_actions(&plan)["load_balancer.web"],
        act("replace", Some("destroy_before_create"))
    );
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    assert_eq!(
        stored_name(&p.cloud(), "load_balancer.web", "name").as_deref(),
        Some("Blog-Web")
    );
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}

/// A service renamed (Terraform's zero-downtime rename, with
/// `create_before_destroy`) runs beside the old one until that one goes:
/// it was destroyed first, its tasks stopped before the new service
/// existed. On both clouds.
#[test]
fn a_renamed_service_is_created_before_the_old_one_is_destroyed_on_both_clouds() {
    const STACK: &str = r#"stack "rename" { region = "us-east-1" }
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
cluster main {}
task_definition web {
  cpu    = 256
  memory = 512
  container web { image = "nginx:1.27" }
}
service web {
  name            = "web"
  cluster         = cluster.main
  task_definition = task_definition.web
  subnets         = [subnet.a]
  lifecycle { create_before_destroy = true }
}
"#;
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "the first apply");
        std::fs::write(dir.join("main.berth"), STACK.replace("\"web\"\n", "\"web-v2\"\n")).expect("write");
        let plan = json_plan(cloud.berth(dir, &["plan", "--format", "json"]).expect_code(0));
        assert_eq!(
            json_actions(&plan)["service.web"],
            act("replace", Some("create_before_destroy"))
        );
        let run = cloud.berth(dir, &["apply", "--auto-approve"]);
        run.expect_code(0);
        let out = run.all();
        let created = out.find("service.web: Creation complete");
        let destroyed = out.find("service.web: Destruction complete");
        assert!(created.is_some() && created < destroyed, "created first:\n{out}");
        cloud.berth(dir, &["plan", "--detailed-exitcode"]).expect_code(0);
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
