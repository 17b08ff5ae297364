//! The plan renderings (text, markdown, JSON) on hand-built plans.

use berth_planner::plan::{SENSITIVE, SENSITIVE_CHANGED};
use berth_planner::render::{self, RenderOptions};
use berth_planner::{
    Action, AttrChange, Duplicate, Fingerprint, KeepReason, OutputChange, Plan, ResourceChange,
};
use berth_provider::schema::ReplaceOrder::{CreateBeforeDestroy, DestroyBeforeCreate};
use berth_provider::{Address, Kind, Value};
use serde_json::Value as Json;

const PLAIN: RenderOptions = RenderOptions { color: false };
const COLOUR: RenderOptions = RenderOptions { color: true };

// --- building plans -------------------------------------------------------

fn plan(changes: Vec<ResourceChange>) -> Plan {
    Plan {
        stack: "blog-dev".to_owned(),
        region: "us-east-1".to_owned(),
        resources: changes,
        outputs: Vec::new(),
        fingerprint: Fingerprint {
            config: "c".to_owned(),
            live: "l".to_owned(),
        },
    }
}

fn rc(kind: Kind, name: &str, action: Action, changes: Vec<AttrChange>) -> ResourceChange {
    ResourceChange {
        address: Address::new(kind, name),
        action,
        changes,
        depends_on: Vec::new(),
        duplicate: None,
        moved_from: None,
    }
}

fn attr(name: &str, before: Option<Value>, after: Option<Value>) -> AttrChange {
    AttrChange {
        name: name.to_owned(),
        before,
        after,
        forces_replacement: false,
        sensitive: false,
    }
}

fn added(name: &str, v: impl Into<Value>) -> AttrChange {
    attr(name, None, Some(v.into()))
}

fn removed(name: &str, v: impl Into<Value>) -> AttrChange {
    attr(name, Some(v.into()), None)
}

fn changed(name: &str, before: impl Into<Value>, after: impl Into<Value>) -> AttrChange {
    attr(name, Some(before.into()), Some(after.into()))
}

fn forcing(mut c: AttrChange) -> AttrChange {
    c.forces_replacement = true;
    c
}

fn sensitive(mut c: AttrChange) -> AttrChange {
    c.sensitive = true;
    c
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn vpc_create() -> ResourceChange {
    rc(
        Kind::Vpc,
        "main",
        Action::Create,
        vec![
            added("arn", Value::Unknown),
            added("cidr", "10.0.0.0/16"),
            added("dns_hostnames", true),
            added("id", Value::Unknown),
            added("tags", map(&[])),
        ],
    )
}

fn service_update() -> ResourceChange {
    rc(
        Kind::Service,
        "login",
        Action::Update,
        vec![changed("desired_count", 3, 5)],
    )
}

fn target_group_replace() -> ResourceChange {
    rc(
        Kind::TargetGroup,
        "blog",
        Action::Replace(CreateBeforeDestroy),
        vec![
            forcing(changed("port", 3000, 8080)),
            changed("arn", "arn:aws:tg/blog/1", Value::Unknown),
        ],
    )
}

fn subnet_replace() -> ResourceChange {
    rc(
        Kind::Subnet,
        "a",
        Action::Replace(DestroyBeforeCreate),
        vec![forcing(changed("cidr", "10.0.1.0/24", "10.0.9.0/24"))],
    )
}

fn subnet_delete() -> ResourceChange {
    rc(
        Kind::Subnet,
        "old",
        Action::Delete,
        vec![
            removed("cidr", "10.0.3.0/24"),
            removed("id", "subnet-0abc"),
            removed("public", false),
            removed("zone", "us-east-1c"),
        ],
    )
}

fn noop(kind: Kind, name: &str) -> ResourceChange {
    rc(kind, name, Action::NoOp, Vec::new())
}

/// The mixed plan of the design's example: one of each action, in address
/// order, with unchanged resources among them.
fn mixed() -> Plan {
    plan(vec![
        noop(Kind::Cluster, "blog"),
        service_update(),
        subnet_replace(),
        subnet_delete(),
        target_group_replace(),
        vpc_create(),
    ])
}

fn container(image: &str) -> Value {
    map(&[
        ("name", "app".into()),
        ("image", image.into()),
        ("port", 3000.into()),
        ("cpu", 0.into()),
        ("env", map(&[("NODE_ENV", "dev".into())])),
        ("secrets", map(&[("DB_PASSWORD", SENSITIVE.into())])),
        ("logs", "login".into()),
        (
            "health_check",
            list(vec![map(&[(
                "command",
                "curl -f http://localhost:3000/health".into(),
            )])]),
        ),
    ])
}

const ECR: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/login";

fn task_definition_image_change() -> ResourceChange {
    rc(
        Kind::TaskDefinition,
        "login",
        Action::Replace(CreateBeforeDestroy),
        vec![forcing(changed(
            "container",
            list(vec![container(&format!("{ECR}:dev"))]),
            list(vec![container(&format!("{ECR}:qa"))]),
        ))],
    )
}

fn rule(name: &str, priority: i64, path: &str, forward: &str) -> Value {
    map(&[
        ("name", name.into()),
        ("priority", priority.into()),
        ("path", path.into()),
        ("forward", forward.into()),
    ])
}

fn listener_rule_added() -> ResourceChange {
    let login = rule("login", 10, "/api/login*", "target_group.login");
    let notify = rule("notify", 20, "/api/notify*", "target_group.notify");
    rc(
        Kind::Listener,
        "http",
        Action::Update,
        vec![changed(
            "rule",
            list(vec![login.clone()]),
            list(vec![login, notify]),
        )],
    )
}

fn for_each_subnets() -> Plan {
    let subnet = |zone: &str, cidr: &str| ResourceChange {
        address: Address::with_key(Kind::Subnet, "public", zone),
        action: Action::Create,
        changes: vec![
            added("cidr", cidr),
            added("id", Value::Unknown),
            added("zone", zone),
        ],
        depends_on: Vec::new(),
        duplicate: None,
        moved_from: None,
    };
    plan(vec![
        subnet("us-east-1a", "10.0.1.0/24"),
        subnet("us-east-1b", "10.0.2.0/24"),
    ])
}

/// A never-written secret: if it shows anywhere, masking failed.
const CANARY: &str = "hunter2-canary-7f3a";

/// Secrets as the planner hands them over: masked, with one sensitive
/// attribute whose raw values slipped through (the renderers must hide them).
fn sensitive_plan() -> Plan {
    let secrets = |v: &str| map(&[("DB_PASSWORD", v.into()), ("API_KEY", SENSITIVE.into())]);
    plan(vec![
        rc(
            Kind::TaskDefinition,
            "login",
            Action::Update,
            vec![
                sensitive(changed("secrets", secrets(SENSITIVE), secrets(SENSITIVE_CHANGED))),
                sensitive(changed("token", SENSITIVE, SENSITIVE_CHANGED)),
                sensitive(changed("leaked", "raw-before-secret", "raw-after-secret")),
                sensitive(added("new_secret", "raw-created-secret")),
            ],
        ),
        rc(
            Kind::Role,
            "gone",
            Action::Delete,
            vec![sensitive(removed("password", "raw-deleted-secret"))],
        ),
    ])
}

const RAW_SECRETS: [&str; 5] = [
    "raw-before-secret",
    "raw-after-secret",
    "raw-created-secret",
    "raw-deleted-secret",
    CANARY,
];

fn all_renderings(p: &Plan) -> [String; 4] {
    [
        render::text(p, &PLAIN),
        render::text(p, &COLOUR),
        render::markdown(p),
        render::json(p),
    ]
}

fn parse(p: &Plan) -> Json {
    serde_json::from_str(&render::json(p)).expect("valid JSON")
}

/// The text's lines that start (after indentation) with `sym `.
fn lines_marked<'a>(text: &'a str, sym: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with(&format!("{sym} ")))
        .collect()
}

// --- text -----------------------------------------------------------------

#[test]
fn text_says_what_moves_and_counts_it() {
    let mut moved = noop(Kind::Subnet, "public");
    moved.address = Address::with_key(Kind::Subnet, "public", "a");
    moved.moved_from = Some(Address::new(Kind::Subnet, "a"));
    let mut updated = rc(
        Kind::LogGroup,
        "api",
        Action::Update,
        vec![attr("retention_days", Some(Value::Int(7)), Some(Value::Int(14)))],
    );
    updated.moved_from = Some(Address::new(Kind::LogGroup, "app"));
    let p = plan(vec![updated, moved, noop(Kind::Vpc, "main")]);
    let out = render::text(&p, &PLAIN);
    insta::assert_snapshot!("text_moved", out);
    assert!(
        out.contains("Plan: 0 to add, 1 to change, 0 to destroy, 2 to move."),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&render::json(&p)).expect("json");
    assert_eq!(json["resource_changes"][1]["moved_from"], "subnet.a");
    assert!(json["resource_changes"][2].get("moved_from").is_none());
}

#[test]
fn text_shows_every_action_terraform_style() {
    let out = render::text(&mixed(), &PLAIN);
    insta::assert_snapshot!("text_mixed", out);
    assert!(out.starts_with("berth will perform the following actions on stack \"blog-dev\" (us-east-1):\n"));
    assert!(out.contains("  ~ service \"login\" {\n      ~ desired_count = 3 -> 5\n    }\n"));
    assert!(out.contains("+/- target_group \"blog\" {"));
    assert!(out.contains("-/+ subnet \"a\" {"));
    assert!(out.contains("# target_group.blog must be replaced (create before destroy)"));
    assert!(out.contains("# subnet.a must be replaced (destroy before create)"));
    assert!(out.contains("~ port = 3000 -> 8080 # forces replacement"));
    assert!(out.contains("~ arn  = \"arn:aws:tg/blog/1\" -> (known after apply)\n"));
    assert!(
        out.ends_with("\nPlan: 3 to add, 1 to change, 3 to destroy.\n"),
        "{out}"
    );
    assert!(!out.contains("cluster"), "no-op resources are skipped");
}

#[test]
fn text_aligns_equals_and_shows_computed_values_on_create() {
    let out = render::text(&plan(vec![vpc_create()]), &PLAIN);
    assert!(out.contains(
        "  + vpc \"main\" {\n      + arn           = (known after apply)\n      + cidr          = \"10.0.0.0/16\"\n      + dns_hostnames = true\n      + id            = (known after apply)\n      + tags          = {}\n    }\n"
    ), "{out}");
    assert!(out.contains("Plan: 1 to add, 0 to change, 0 to destroy."));
}

#[test]
fn text_lists_destroyed_attributes_with_minus() {
    let out = render::text(&plan(vec![subnet_delete()]), &PLAIN);
    assert!(out.contains("  # subnet.old will be destroyed\n  - subnet \"old\" {\n"));
    assert_eq!(lines_marked(&out, "-").len(), 5, "{out}");
    assert!(out.contains("      - cidr   = \"10.0.3.0/24\"\n"));
}

/// Two live VPCs tagged `vpc.main`: the plan deletes one, naming both with
/// their creation times and why the other stays; JSON carries the same.
#[test]
fn a_duplicate_deletion_names_both_copies_and_the_reason() {
    let mut extra = rc(
        Kind::Vpc,
        "main",
        Action::Delete,
        vec![removed("cidr", "10.0.0.0/16"), removed("id", "vpc-0bbb")],
    );
    extra.duplicate = Some(Duplicate {
        id: "vpc-0bbb".into(),
        created: None,
        kept_id: "vpc-0aaa".into(),
        kept_created: None,
        reason: KeepReason::UsedBy {
            address: Address::new(Kind::Subnet, "public_a"),
        },
    });
    let p = plan(vec![noop(Kind::Vpc, "main"), extra]);
    let out = render::text(&p, &PLAIN);
    insta::assert_snapshot!("text_duplicate", out);
    assert!(out.contains(
        "  # vpc.main will be destroyed\n  # duplicate: two live resources carry vpc.main; deletes vpc-0bbb (creation time unknown), keeps vpc-0aaa (creation time unknown, used by subnet.public_a)\n"
    ), "{out}");
    let json = parse(&p);
    assert_eq!(json["format_version"], "1.4");
    let dup = &json["resource_changes"][1]["duplicate"];
    assert_eq!(dup["id"], "vpc-0bbb");
    assert_eq!(dup["kept_id"], "vpc-0aaa");
    assert_eq!(dup["reason"]["kind"], "used_by");
    assert_eq!(dup["reason"]["address"], "subnet.public_a");
    assert!(json["resource_changes"][0].get("duplicate").is_none());
}

#[test]
fn text_diffs_a_container_image_change_line_by_line() {
    let out = render::text(&plan(vec![task_definition_image_change()]), &PLAIN);
    insta::assert_snapshot!("text_task_definition_image", out);
    let minus = lines_marked(&out, "-");
    let plus = lines_marked(&out, "+");
    assert_eq!(minus, [format!("          - image   = \"{ECR}:dev\"")], "{out}");
    assert_eq!(plus, [format!("          + image   = \"{ECR}:qa\"")], "{out}");
    assert!(
        out.contains("      ~ container \"app\" { # forces replacement\n"),
        "{out}"
    );
    assert!(
        out.contains("            port    = 3000\n"),
        "unchanged context is shown: {out}"
    );
    assert!(out.contains("            health_check {\n"), "{out}");
}

#[test]
fn text_shows_an_added_listener_rule_as_added_lines() {
    let out = render::text(&plan(vec![listener_rule_added()]), &PLAIN);
    insta::assert_snapshot!("text_listener_rule", out);
    assert!(lines_marked(&out, "-").is_empty(), "{out}");
    assert!(
        out.contains("      + rule \"notify\" {\n          + forward  = \"target_group.notify\"\n"),
        "{out}"
    );
    assert!(
        out.contains("        rule \"login\" {\n"),
        "the kept rule is context: {out}"
    );
}

#[test]
fn text_hides_long_unchanged_runs_of_a_long_text() {
    let policy = |effect: &str| {
        let mut lines: Vec<String> = (0..20).map(|i| format!("line {i}")).collect();
        lines[10] = format!("\"Effect\": \"{effect}\"");
        lines.join("\n")
    };
    let change = changed("policy", policy("Allow"), policy("Deny"));
    let out = render::text(
        &plan(vec![rc(Kind::Role, "task", Action::Update, vec![change])]),
        &PLAIN,
    );
    assert!(out.contains("      ~ policy = <<EOT\n"), "{out}");
    assert!(
        out.contains("          - \"Effect\": \"Allow\"\n          + \"Effect\": \"Deny\"\n"),
        "{out}"
    );
    assert!(
        out.contains("            # (7 unchanged lines hidden)\n            line 7\n"),
        "{out}"
    );
    assert!(
        out.contains("            # (6 unchanged lines hidden)\n        EOT\n"),
        "{out}"
    );
    assert!(
        out.contains("line 7") && out.contains("line 13") && !out.contains("line 6\n"),
        "{out}"
    );
}

#[test]
fn text_names_for_each_instances_by_key() {
    let out = render::text(&for_each_subnets(), &PLAIN);
    insta::assert_snapshot!("text_for_each", out);
    assert!(out.contains(
        "  # subnet.public[\"us-east-1a\"] will be created\n  + subnet \"public\" [\"us-east-1a\"] {\n"
    ));
    assert!(out.contains("  + subnet \"public\" [\"us-east-1b\"] {\n"));
}

#[test]
fn text_says_no_changes_when_nothing_changes() {
    let p = plan(vec![noop(Kind::Vpc, "main"), noop(Kind::Subnet, "a")]);
    assert_eq!(
        render::text(&p, &PLAIN),
        "No changes. Stack \"blog-dev\" matches the configuration.\n"
    );
    assert_eq!(render::text(&plan(Vec::new()), &PLAIN), render::text(&p, &PLAIN));
}

#[test]
fn text_colours_only_when_asked() {
    let plain = render::text(&mixed(), &PLAIN);
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = render::text(&mixed(), &COLOUR);
    assert!(coloured.contains("\x1b[32m+\x1b[0m"), "green +");
    assert!(coloured.contains("\x1b[31m-\x1b[0m"), "red -");
    assert!(coloured.contains("\x1b[33m~\x1b[0m"), "yellow ~");
    let stripped = strip_ansi(&coloured);
    assert_eq!(stripped, plain, "colour adds escapes and nothing else");
    assert!(render::text(&plan(Vec::new()), &COLOUR).contains('\x1b'));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('m').map_or(rest.len(), |m| i + m + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

// --- sensitive values -----------------------------------------------------

#[test]
fn sensitive_values_print_masked_and_never_raw() {
    let p = sensitive_plan();
    for out in all_renderings(&p) {
        assert!(out.contains("(sensitive"), "{out}");
        for secret in RAW_SECRETS {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
    }
    let text = render::text(&p, &PLAIN);
    insta::assert_snapshot!("text_sensitive", text);
    // A changed secret shows its new placeholder only, not `before -> after`.
    assert!(
        text.contains("      ~ token      = (sensitive, changed)\n"),
        "{text}"
    );
    assert!(text.contains("      ~ leaked     = (sensitive)\n"), "{text}");
    assert!(text.contains("      + new_secret = (sensitive)\n"), "{text}");
    assert!(text.contains("      - password = (sensitive)\n"), "{text}");
    let secret_lines: Vec<&str> = text.lines().filter(|l| l.contains("(sensitive")).collect();
    assert!(secret_lines.iter().all(|l| !l.contains("->")), "{secret_lines:?}");
}

#[test]
fn sensitive_values_stay_masked_in_json() {
    let doc = parse(&sensitive_plan());
    let changes = &doc["resource_changes"][0]["changes"];
    assert_eq!(changes[0]["after"]["DB_PASSWORD"], SENSITIVE_CHANGED);
    assert_eq!(changes[1]["before"], SENSITIVE);
    assert_eq!(
        changes[2]["before"], SENSITIVE,
        "raw values of sensitive attributes are masked"
    );
    assert_eq!(changes[2]["after"], SENSITIVE);
    assert_eq!(changes[2]["sensitive"], true);
}

// --- markdown -------------------------------------------------------------

#[test]
fn markdown_summarises_warns_and_diffs() {
    let out = render::markdown(&mixed());
    insta::assert_snapshot!("markdown_mixed", out);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("<!-- berth plan: blog-dev -->"));
    assert_eq!(
        lines.next(),
        Some("**Plan:** 3 to add, 1 to change, 3 to destroy on stack `blog-dev` (us-east-1)")
    );
    assert!(out.contains(
        "> [!WARNING]\n> This plan destroys or replaces resources:\n> - `subnet.a` (replace, destroy before create), forced by `cidr`\n> - `subnet.old` (destroy)\n> - `target_group.blog` (replace, create before destroy), forced by `port`\n"
    ), "{out}");
    assert!(
        !out.contains("`vpc.main` ("),
        "creates are not warned about: {out}"
    );
    assert!(out.contains("```diff\n"), "{out}");
    assert!(
        out.contains("\n~  ~ service \"login\" {\n~      ~ desired_count = 3 -> 5\n     }\n"),
        "{out}"
    );
    assert!(
        out.contains("\n+      + cidr          = \"10.0.0.0/16\"\n"),
        "{out}"
    );
    assert!(out.contains("\n-      - zone   = \"us-east-1c\"\n"), "{out}");
    assert!(out.contains("\n~+/- target_group \"blog\" {\n"), "{out}");
}

#[test]
fn markdown_diff_lines_start_with_a_marker_or_are_context() {
    let out = render::markdown(&mixed());
    let mut in_diff = false;
    for line in out.lines() {
        if line.starts_with("```") {
            in_diff = !in_diff;
        } else if in_diff {
            let first = line.chars().next();
            assert!(matches!(first, None | Some('+' | '-' | '~' | ' ')), "{line:?}");
        }
    }
    assert!(!in_diff, "fences are closed");
}

#[test]
fn markdown_puts_long_resources_in_details() {
    let mut task_definition = task_definition_image_change();
    task_definition.changes.push(forcing(changed("cpu", 256, 512)));
    let p = plan(vec![service_update(), task_definition]);
    let out = render::markdown(&p);
    insta::assert_snapshot!("markdown_details", out);
    let details = out.find(
        "<details><summary><code>task_definition.login</code> (replace, create before destroy)</summary>",
    );
    let closed = out.find("</details>");
    let short = out.find("~      ~ desired_count");
    // The short update is inline, not inside the replaced resource's details.
    assert!(details.is_some() && closed > details && short > closed, "{out}");
    assert!(
        out.contains(&format!("-          - image   = \"{ECR}:dev\"")),
        "{out}"
    );
    assert_eq!(out.matches("<details>").count(), 1, "{out}");
}

#[test]
fn markdown_says_no_changes() {
    let out = render::markdown(&plan(vec![noop(Kind::Vpc, "main")]));
    assert_eq!(
        out,
        "<!-- berth plan: blog-dev -->\n**No changes.** The stack `blog-dev` (us-east-1) matches the configuration.\n"
    );
}

#[test]
fn markdown_without_destruction_has_no_warning() {
    let out = render::markdown(&plan(vec![service_update(), vpc_create()]));
    assert!(!out.contains("WARNING"), "{out}");
    assert!(out.contains("```diff"), "{out}");
}

// --- json -----------------------------------------------------------------

#[test]
fn json_lists_every_resource_with_its_action() {
    let out = render::json(&mixed());
    insta::assert_snapshot!("json_mixed", out);
    assert!(out.ends_with("}\n"));
    let doc = parse(&mixed());
    assert_eq!(doc["format_version"], "1.4");
    assert_eq!(doc["stack"], "blog-dev");
    assert_eq!(doc["region"], "us-east-1");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"add": 3, "change": 1, "destroy": 3})
    );
    let resources = doc["resource_changes"].as_array().expect("array");
    let actions: Vec<(&str, &str, &Json)> = resources
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap_or("?"),
                r["action"].as_str().unwrap_or("?"),
                &r["replace_order"],
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("cluster.blog", "no_op", &Json::Null),
            ("service.login", "update", &Json::Null),
            ("subnet.a", "replace", &Json::from("destroy_before_create")),
            ("subnet.old", "delete", &Json::Null),
            (
                "target_group.blog",
                "replace",
                &Json::from("create_before_destroy")
            ),
            ("vpc.main", "create", &Json::Null),
        ]
    );
    assert_eq!(resources[0]["changes"], serde_json::json!([]));
    assert_eq!(
        resources[1]["changes"][0],
        serde_json::json!({"attribute": "desired_count", "before": 3, "after": 5,
            "forces_replacement": false, "sensitive": false, "after_unknown": false})
    );
    assert_eq!(resources[4]["changes"][0]["forces_replacement"], true);
}

#[test]
fn json_marks_unknown_values_null_and_after_unknown() {
    let doc = parse(&plan(vec![vpc_create()]));
    let changes = &doc["resource_changes"][0]["changes"];
    assert_eq!(changes[0]["attribute"], "arn");
    assert_eq!(changes[0]["before"], Json::Null);
    assert_eq!(changes[0]["after"], Json::Null);
    assert_eq!(changes[0]["after_unknown"], true);
    assert_eq!(changes[1]["after"], "10.0.0.0/16");
    assert_eq!(changes[1]["after_unknown"], false);
    let nested = plan(vec![rc(
        Kind::Service,
        "s",
        Action::Update,
        vec![changed(
            "subnets",
            list(vec!["subnet-1".into()]),
            list(vec!["subnet-1".into(), Value::Unknown]),
        )],
    )]);
    let doc = parse(&nested);
    let change = &doc["resource_changes"][0]["changes"][0];
    assert_eq!(change["after"], serde_json::json!(["subnet-1", null]));
    assert_eq!(change["after_unknown"], true);
}

#[test]
fn json_names_for_each_keys_and_nested_blocks() {
    let doc = parse(&for_each_subnets());
    let r = &doc["resource_changes"][0];
    assert_eq!(r["address"], "subnet.public[\"us-east-1a\"]");
    assert_eq!(
        (&r["kind"], &r["name"], &r["key"]),
        (&"subnet".into(), &"public".into(), &"us-east-1a".into())
    );
    let doc = parse(&plan(vec![task_definition_image_change()]));
    let after = &doc["resource_changes"][0]["changes"][0]["after"];
    assert_eq!(after[0]["image"], format!("{ECR}:qa"));
    assert_eq!(
        after[0]["health_check"][0]["command"],
        "curl -f http://localhost:3000/health"
    );
    assert_eq!(parse(&mixed())["resource_changes"][1]["key"], Json::Null);
}

// --- nested blocks, block by block ----------------------------------------

fn ingress(port: i64) -> Value {
    map(&[
        ("from", "sg-0abc".into()),
        ("port", port.into()),
        ("protocol", "tcp".into()),
    ])
}

fn security_group_update(before: Vec<Value>, after: Vec<Value>) -> Plan {
    plan(vec![rc(
        Kind::SecurityGroup,
        "services",
        Action::Update,
        vec![changed("ingress", list(before), list(after))],
    )])
}

fn listener_update(before: Vec<Value>, after: Vec<Value>) -> Plan {
    plan(vec![rc(
        Kind::Listener,
        "http",
        Action::Update,
        vec![changed("rule", list(before), list(after))],
    )])
}

/// The nested blocks of `text` whose opening line (after indentation) is
/// `opener`, each as its lines from opener to closing brace.
fn blocks_opened<'a>(text: &'a str, opener: &str) -> Vec<Vec<&'a str>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.trim_start() == opener {
            let indent = l.len() - l.trim_start().len();
            let end = lines[i + 1..]
                .iter()
                .position(|c| c.trim() == "}" && c.len() - c.trim_start().len() <= indent + 2)
                .map_or(lines.len() - 1, |j| i + 1 + j);
            out.push(lines[i..=end].to_vec());
        }
    }
    out
}

/// Whether every line between a block's opener and closer carries `sym`.
fn all_marked(block: &[&str], sym: char) -> bool {
    block[1..block.len() - 1]
        .iter()
        .all(|l| l.trim_start().starts_with(sym))
}

/// Whether no line between a block's opener and closer carries a mark.
fn unmarked(block: &[&str]) -> bool {
    block[1..block.len() - 1]
        .iter()
        .all(|l| !l.trim_start().starts_with(['+', '-', '~']))
}

#[test]
fn text_shows_a_removed_unlabelled_block_whole() {
    let out = render::text(
        &security_group_update(vec![ingress(8095), ingress(8096)], vec![ingress(8096)]),
        &PLAIN,
    );
    let gone = blocks_opened(&out, "- ingress {");
    assert_eq!(gone.len(), 1, "{out}");
    assert!(all_marked(&gone[0], '-'), "{out}");
    assert!(gone[0].iter().any(|l| l.contains("port     = 8095")), "{out}");
    let kept = blocks_opened(&out, "ingress {");
    assert_eq!(kept.len(), 1, "{out}");
    assert!(unmarked(&kept[0]), "{out}");
    assert!(kept[0].iter().any(|l| l.contains("port     = 8096")), "{out}");
    assert!(lines_marked(&out, "+").is_empty(), "{out}");
    assert!(blocks_opened(&out, "~ ingress {").is_empty(), "{out}");
}

/// Regression: removing a listener's last rule printed `+ rule = []` after
/// the removed block, and adding the first one `- rule = []` before it.
#[test]
fn text_shows_the_last_block_removed_and_the_first_added_without_an_empty_list() {
    let api = rule("api", 10, "/api/*", "target_group.web");
    for (before, after, mark) in [(vec![api.clone()], vec![], '-'), (vec![], vec![api], '+')] {
        let out = render::text(&listener_update(before, after), &PLAIN);
        let opener = format!("{mark} rule \"api\" {{");
        let block = blocks_opened(&out, &opener);
        assert_eq!(block.len(), 1, "{out}");
        assert!(all_marked(&block[0], mark), "{out}");
        assert!(!out.contains("[]"), "{out}");
        let other = if mark == '-' { "+" } else { "-" };
        assert!(lines_marked(&out, other).is_empty(), "{out}");
    }
}

#[test]
fn text_shows_an_added_labelled_block_whole_wherever_it_goes() {
    let login = rule("login", 10, "/api/login*", "target_group.login");
    let notify = rule("notify", 20, "/api/notify*", "target_group.notify");
    let admin = rule("admin", 5, "/admin*", "target_group.admin");
    let out = render::text(
        &listener_update(vec![login.clone(), notify.clone()], vec![admin, login, notify]),
        &PLAIN,
    );
    let added = blocks_opened(&out, "+ rule \"admin\" {");
    assert_eq!(added.len(), 1, "{out}");
    assert!(all_marked(&added[0], '+'), "{out}");
    assert_eq!(lines_marked(&out, "+").len(), 4, "{out}");
    assert!(lines_marked(&out, "-").is_empty(), "{out}");
    assert!(lines_marked(&out, "~").len() == 1, "only the resource: {out}");
    assert!(out.contains("        rule \"login\" {\n"), "{out}");
    assert!(out.contains("        rule \"notify\" {\n"), "{out}");
    let admin_at = out.find("rule \"admin\"");
    assert!(admin_at < out.find("rule \"login\""), "new order: {out}");
}

#[test]
fn text_diffs_a_changed_labelled_block_among_unchanged_ones() {
    let login = rule("login", 10, "/api/login*", "target_group.login");
    let orders = rule("orders", 30, "/api/orders*", "target_group.orders");
    let notify = |priority| rule("notify", priority, "/api/notify*", "target_group.notify");
    let out = render::text(
        &listener_update(
            vec![login.clone(), notify(20), orders.clone()],
            vec![login, notify(25), orders],
        ),
        &PLAIN,
    );
    assert_eq!(lines_marked(&out, "-"), ["          - priority = 20"], "{out}");
    assert_eq!(lines_marked(&out, "+"), ["          + priority = 25"], "{out}");
    assert!(
        out.contains("      ~ rule \"notify\" {\n            forward  = \"target_group.notify\"\n"),
        "{out}"
    );
    assert!(out.contains("        rule \"login\" {\n"), "{out}");
    assert!(out.contains("        rule \"orders\" {\n"), "{out}");
}

#[test]
fn text_shows_one_of_two_identical_blocks_removed() {
    let out = render::text(
        &security_group_update(vec![ingress(8095), ingress(8095)], vec![ingress(8095)]),
        &PLAIN,
    );
    let gone = blocks_opened(&out, "- ingress {");
    assert_eq!(gone.len(), 1, "{out}");
    assert!(all_marked(&gone[0], '-'), "{out}");
    let kept = blocks_opened(&out, "ingress {");
    assert_eq!(kept.len(), 1, "{out}");
    assert!(unmarked(&kept[0]), "{out}");
    assert_eq!(lines_marked(&out, "-").len(), 4, "{out}");
    assert!(lines_marked(&out, "+").is_empty(), "{out}");
    assert!(blocks_opened(&out, "~ ingress {").is_empty(), "{out}");
}

#[test]
fn text_pairs_a_changed_unlabelled_block_with_its_most_similar_one() {
    // Sorted by port, the kept 8096 rule moves from second to first.
    let out = render::text(
        &security_group_update(
            vec![ingress(8095), ingress(8096)],
            vec![ingress(8096), ingress(9095)],
        ),
        &PLAIN,
    );
    assert!(
        out.contains("        ingress {\n            from     = \"sg-0abc\"\n            port     = 8096\n"),
        "{out}"
    );
    let changed = blocks_opened(&out, "~ ingress {");
    assert_eq!(changed.len(), 1, "{out}");
    assert_eq!(lines_marked(&out, "-"), ["          - port     = 8095"], "{out}");
    assert_eq!(lines_marked(&out, "+"), ["          + port     = 9095"], "{out}");
}

/// A plan whose changes move outputs: one new, one changing, one sensitive.
fn with_outputs() -> Plan {
    let mut p = mixed();
    p.outputs = vec![
        OutputChange {
            name: "url".to_owned(),
            before: Some(Value::from("http://old.elb.amazonaws.com")),
            after: Value::Unknown,
            sensitive: false,
        },
        OutputChange {
            name: "admin_url".to_owned(),
            before: None,
            after: Value::from("http://admin.example.com"),
            sensitive: false,
        },
        OutputChange {
            name: "token".to_owned(),
            before: Some(Value::from("(sensitive)")),
            after: Value::Unknown,
            sensitive: true,
        },
    ];
    p
}

#[test]
fn output_changes_render_after_the_summary() {
    let p = with_outputs();
    insta::assert_snapshot!("text_outputs", render::text(&p, &PLAIN));
    insta::assert_snapshot!("markdown_outputs", render::markdown(&p));
    let doc: Json = serde_json::from_str(&render::json(&p)).expect("json");
    let outputs = doc["output_changes"].as_array().expect("output_changes");
    assert_eq!(outputs[0]["name"], "url");
    assert_eq!(outputs[0]["before"], "http://old.elb.amazonaws.com");
    assert_eq!(outputs[0]["after_unknown"], true);
    assert_eq!(outputs[1]["before"], Json::Null);
    assert_eq!(outputs[2]["sensitive"], true);
}

/// medusajs's second configuration: a container's env value changed while
/// its `log` block went (its stream prefix now the container's, so the
/// `logs` shorthand): the line diff of the whole container printed the new
/// env entry inside the removed `log` block, after the env map closed.
/// Each attribute of a changed block is diffed on its own.
#[test]
fn a_changed_blocks_attributes_are_diffed_each_on_its_own() {
    let env = |cors: &str| {
        map(&[
            ("ADMIN_CORS", "http://localhost:7001,http://localhost:7000".into()),
            ("AUTH_CORS", "http://localhost:7001,http://localhost:8000".into()),
            ("STORE_CORS", cors.into()),
        ])
    };
    let log = map(&[
        ("driver", "awslogs".into()),
        (
            "options",
            map(&[
                ("awslogs-group", "g".into()),
                ("awslogs-stream-prefix", "container".into()),
            ]),
        ),
    ]);
    let before = map(&[
        ("name", "backend".into()),
        ("image", "nginx".into()),
        ("env", env("http://localhost:8000")),
        ("log", list(vec![log])),
    ]);
    let after = map(&[
        ("name", "backend".into()),
        ("image", "nginx".into()),
        ("env", env("https://store.example.com")),
        ("logs", "g".into()),
    ]);
    let p = plan(vec![rc(
        Kind::TaskDefinition,
        "backend",
        Action::Replace(CreateBeforeDestroy),
        vec![forcing(changed(
            "container",
            list(vec![before]),
            list(vec![after]),
        ))],
    )]);
    let text = render::text(&p, &PLAIN);
    let added = text.find("+ STORE_CORS").expect("the new value");
    let env_closed = text[added..]
        .find('}')
        .map(|i| added + i)
        .expect("the env map closes");
    let log = text.find("- log {").expect("the log block removed");
    assert!(added < env_closed && env_closed < log, "{text}");
}

/// A target group's health check at AWS's defaults reads as none; one with
/// a new path was shown as a whole block added (and the way back as one
/// removed), every default on a `+` line. It is the path changed.
#[test]
fn an_implicit_block_from_its_defaults_shows_what_changed() {
    let block = Kind::TargetGroup
        .schema()
        .block("health_check")
        .expect("a health check block");
    let defaults = berth_provider::schema::defaults(block);
    let mut healthz = defaults.clone();
    if let Value::Map(m) = &mut healthz {
        m.insert("path".to_owned(), Value::from("/healthz"));
    }
    for (before, after) in [
        (None, Some(list(vec![healthz.clone()]))),
        (Some(list(vec![healthz.clone()])), Some(list(Vec::new()))),
    ] {
        let change = rc(
            Kind::TargetGroup,
            "web",
            Action::Update,
            vec![attr("health_check", before.clone(), after.clone())],
        );
        let out = render::text(&plan(vec![change]), &PLAIN);
        assert!(out.contains("      ~ health_check {\n"), "{out}");
        let (minus, plus) = (lines_marked(&out, "-"), lines_marked(&out, "+"));
        let paths = |lines: &[&str]| lines.iter().all(|l| l.contains("path"));
        assert!(
            minus.len() == 1 && plus.len() == 1 && paths(&minus) && paths(&plus),
            "{out}"
        );
    }
}

/// A block of which one instance is held, every setting of it changed
/// (Service Connect's `access_log` from JSON to TEXT): it was shown as a
/// second block added beside one removed.
#[test]
fn a_lone_block_changed_in_every_setting_is_one_block_changed() {
    let breaker = |on: bool| {
        list(vec![map(&[
            ("enable", Value::Bool(on)),
            ("rollback", Value::Bool(on)),
        ])])
    };
    let change = rc(
        Kind::Service,
        "web",
        Action::Update,
        vec![changed("circuit_breaker", breaker(true), breaker(false))],
    );
    let out = render::text(&plan(vec![change]), &PLAIN);
    assert!(out.contains("      ~ circuit_breaker {\n"), "{out}");
    assert_eq!(lines_marked(&out, "-").len(), 2, "{out}");
    assert_eq!(lines_marked(&out, "+").len(), 2, "{out}");
}
