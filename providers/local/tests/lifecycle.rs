//! Create/read round trips, formats, persistence, locking and isolation.

mod common;

use berth_local::{LocalCloud, LocalError};
use berth_provider::{Kind, Provider, Value};
use common::*;

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[tokio::test]
async fn every_kind_reads_back_exactly_as_created() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let created = apply_blog(&cloud, "blog-dev").await;
    let kinds: std::collections::BTreeSet<Kind> = created.values().map(|r| r.address.kind).collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "the fixture covers every kind");
    let read = cloud.read_all("blog-dev").await.unwrap();
    let mut expected: Vec<_> = created.into_values().collect();
    expected.sort_by(|a, b| a.address.cmp(&b.address));
    assert_eq!(read, expected);
    // Sorted by address.
    let addresses: Vec<_> = read.iter().map(|r| r.address.clone()).collect();
    let mut sorted = addresses.clone();
    sorted.sort();
    assert_eq!(addresses, sorted);
}

#[tokio::test]
async fn ids_arns_and_names_have_aws_formats() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "blog-dev").await;
    let get = |addr: &str, attr: &str| r[addr].attrs[attr].as_str().unwrap().to_owned();
    for (addr, prefix) in [
        ("vpc.main", "vpc-"),
        ("subnet.public_a", "subnet-"),
        ("internet_gateway.main", "igw-"),
        ("route_table.public", "rtb-"),
        ("security_group.web", "sg-"),
        ("flow_log.vpc", "fl-"),
    ] {
        let id = get(addr, "id");
        let hex = id.strip_prefix(prefix).unwrap_or_else(|| panic!("{addr}: {id}"));
        assert!(is_hex(hex, 17), "{addr}: {id}");
    }
    let vpc = get("vpc.main", "id");
    assert_eq!(
        get("vpc.main", "arn"),
        format!("arn:aws:ec2:us-east-1:123456789012:vpc/{vpc}")
    );

    let lb_name = get("load_balancer.web", "name");
    assert!(
        lb_name.starts_with("blog-dev-web-") && lb_name.len() <= 32,
        "{lb_name}"
    );
    assert!(is_hex(&lb_name["blog-dev-web-".len()..], 6), "{lb_name}");
    let lb_arn = get("load_balancer.web", "arn");
    let prefix = format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{lb_name}/");
    assert!(
        lb_arn.starts_with(&prefix) && is_hex(&lb_arn[prefix.len()..], 16),
        "{lb_arn}"
    );
    let dns = get("load_balancer.web", "dns_name");
    let rest = dns.strip_prefix(&format!("{lb_name}-")).unwrap();
    let (digits, domain) = rest.split_once('.').unwrap();
    assert!(
        digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()),
        "{dns}"
    );
    assert_eq!(domain, "us-east-1.elb.amazonaws.com");
    assert_eq!(get("load_balancer.web", "zone_id"), "Z35SXDOTRQ7X7K");

    let tg_name = get("target_group.login", "name");
    assert!(tg_name.starts_with("blog-dev-login-") && tg_name.len() <= 32);
    assert!(get("target_group.login", "arn").starts_with(&format!(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{tg_name}/"
    )));
    let listener = get("listener.http", "arn");
    let lb_path = lb_arn.split_once(":loadbalancer/").unwrap().1;
    let tail = listener
        .strip_prefix(&format!(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/{lb_path}/"
        ))
        .unwrap_or_else(|| panic!("{listener}"));
    assert!(is_hex(tail, 16), "{listener}");

    assert_eq!(get("cluster.blog", "name"), "blog-dev-blog");
    assert_eq!(
        get("cluster.blog", "arn"),
        "arn:aws:ecs:us-east-1:123456789012:cluster/blog-dev-blog"
    );
    assert_eq!(
        get("service.login", "arn"),
        "arn:aws:ecs:us-east-1:123456789012:service/blog-dev-blog/blog-dev-login"
    );
    assert_eq!(get("task_definition.login", "family"), "blog-dev-login");
    assert_eq!(r["task_definition.login"].attrs["revision"], Value::Int(1));
    assert_eq!(
        get("task_definition.login", "arn"),
        "arn:aws:ecs:us-east-1:123456789012:task-definition/blog-dev-login:1"
    );
    assert_eq!(get("log_group.login", "name"), "/ecs/blog-dev/login");
    assert_eq!(
        get("log_group.login", "arn"),
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/blog-dev/login"
    );
    assert_eq!(
        get("role.task_exec", "arn"),
        "arn:aws:iam::123456789012:role/berth/blog-dev-task_exec"
    );
    assert_eq!(get("sns_topic.alerts", "name"), "blog-dev-alerts");
    assert_eq!(
        get("sns_topic.alerts", "arn"),
        "arn:aws:sns:us-east-1:123456789012:blog-dev-alerts"
    );
    // A queue's URL is its identity; a FIFO queue's name ends in `.fifo`.
    for (addr, name) in [
        ("sqs_queue.dead_letters", "blog-dev-dead_letters.fifo"),
        ("sqs_queue.jobs", "blog-dev-jobs.fifo"),
    ] {
        assert_eq!(get(addr, "name"), name);
        assert_eq!(
            get(addr, "url"),
            format!("https://sqs.us-east-1.amazonaws.com/123456789012/{name}")
        );
        assert_eq!(
            get(addr, "arn"),
            format!("arn:aws:sqs:us-east-1:123456789012:{name}")
        );
    }
    assert_eq!(
        get("sqs_queue.jobs", "dead_letter_queue"),
        get("sqs_queue.dead_letters", "arn")
    );
    // A file system's id is EC2's shape, its DNS name the region's; its
    // mount targets hold the addresses EFS chose in their subnets.
    let fs = get("efs_file_system.files", "id");
    assert!(is_hex(fs.strip_prefix("fs-").unwrap_or_default(), 17), "{fs}");
    assert_eq!(
        get("efs_file_system.files", "arn"),
        format!("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/{fs}")
    );
    assert_eq!(
        get("efs_file_system.files", "dns_name"),
        format!("{fs}.efs.us-east-1.amazonaws.com")
    );
    let token = get("efs_file_system.files", "creation_token");
    let suffix = token
        .strip_prefix("blog-dev-files-")
        .unwrap_or_else(|| panic!("{token}"));
    assert!(is_hex(suffix, 6), "{token}");
    let mounts = r["efs_file_system.files"].attrs["mount_target"]
        .as_list()
        .unwrap();
    let app = r["security_group.app"].attrs["id"].clone();
    let mut subnets = Vec::new();
    for m in mounts.iter().filter_map(Value::as_map) {
        let subnet = m["subnet"].as_str().unwrap();
        let prefix = match subnet {
            s if s == get("subnet.public_a", "id") => "10.0.1.",
            s if s == get("subnet.public_b", "id") => "10.0.2.",
            other => panic!("mount target in {other}"),
        };
        let ip = m["ip_address"].as_str().unwrap();
        let host: u32 = ip.strip_prefix(prefix).and_then(|h| h.parse().ok()).unwrap_or(0);
        assert!((4..=254).contains(&host), "{ip} in {subnet}");
        assert_eq!(m["security_groups"], Value::List(vec![app.clone()]));
        subnets.push(subnet);
    }
    assert_eq!(subnets.len(), 2);
    let point = get("efs_access_point.uploads", "id");
    assert!(
        is_hex(point.strip_prefix("fsap-").unwrap_or_default(), 17),
        "{point}"
    );
    assert_eq!(
        get("efs_access_point.uploads", "arn"),
        format!("arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/{point}")
    );
    assert_eq!(get("efs_access_point.uploads", "file_system"), fs);
    // A rule's name is its identity, in its ARN after `rule/`.
    for (addr, name) in [
        ("event_rule.nightly", "blog-dev-nightly"),
        ("event_rule.task_stopped", "blog-dev-task_stopped"),
    ] {
        assert_eq!(get(addr, "name"), name);
        assert_eq!(
            get(addr, "arn"),
            format!("arn:aws:events:us-east-1:123456789012:rule/{name}")
        );
    }
    // A bucket's name is unique across AWS: 6 random hex digits follow.
    let bucket = get("s3_bucket.logs", "name");
    let suffix = bucket
        .strip_prefix("blog-dev-logs-")
        .unwrap_or_else(|| panic!("{bucket}"));
    assert!(is_hex(suffix, 6), "{bucket}");
    assert_eq!(get("s3_bucket.logs", "id"), bucket);
    assert_eq!(get("s3_bucket.logs", "arn"), format!("arn:aws:s3:::{bucket}"));
    assert_eq!(
        get("s3_bucket.logs", "domain_name"),
        format!("{bucket}.s3.amazonaws.com")
    );
    assert_eq!(
        get("s3_bucket.logs", "regional_domain_name"),
        format!("{bucket}.s3.us-east-1.amazonaws.com")
    );
}

#[tokio::test]
async fn ids_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir).with_seed(42);
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..50 {
        let vpc = create(
            &cloud,
            "s",
            desired(Kind::Vpc, &format!("v{i}"), &[("cidr", s("10.0.0.0/16"))]),
        )
        .await;
        assert!(ids.insert(id(&vpc).as_str().unwrap().to_owned()));
    }
}

#[tokio::test]
async fn state_survives_reopen_and_tags_are_set_at_create() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let cloud = open(&dir);
        apply_blog(&cloud, "blog-dev").await;
        cloud.read_all("blog-dev").await.unwrap()
    };
    let cloud = open(&dir);
    assert_eq!(cloud.read_all("blog-dev").await.unwrap(), before);
    let role = before
        .iter()
        .find(|r| r.address.to_string() == "role.task_exec")
        .unwrap();
    assert_eq!(
        role.attrs["tags"],
        Value::Map([("team".to_owned(), s("web"))].into())
    );
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(".berth/local-cloud.json")).unwrap())
            .unwrap();
    let arn = role.attrs["arn"].as_str().unwrap();
    let tags = &file["resources"][arn]["tags"];
    assert_eq!(tags["berth:stack"], "blog-dev");
    assert_eq!(tags["berth:address"], "role.task_exec");
    assert_eq!(tags["team"], "web");
}

#[tokio::test]
async fn a_second_open_is_refused_while_the_first_is_alive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cloud.json");
    let first = LocalCloud::open(&path, REGION).unwrap();
    let err = LocalCloud::open(&path, REGION).unwrap_err();
    assert!(
        matches!(&err, LocalError::Locked { path: p, .. } if *p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains(&path.display().to_string()), "{err}");
    drop(first);
    LocalCloud::open(&path, REGION).unwrap();
}

#[tokio::test]
async fn stacks_are_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let a = apply_blog(&cloud, "a").await;
    let b = apply_blog(&cloud, "b").await;
    let read_a = cloud.read_all("a").await.unwrap();
    assert_eq!(read_a.len(), a.len());
    assert!(read_a.iter().all(|r| a.values().any(|x| x == r)));
    assert_eq!(cloud.read_all("b").await.unwrap().len(), b.len());
    assert!(cloud.read_all("c").await.unwrap().is_empty());
    // Stack b cannot touch a's resources: they are not found from b.
    let err = cloud.delete("b", &a["log_group.login"]).await.unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    assert_eq!(cloud.read_all("a").await.unwrap().len(), a.len());
}

#[tokio::test]
async fn regions_are_isolated_but_iam_and_route53_are_global() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cloud.json");
    {
        let cloud = LocalCloud::open(&path, REGION).unwrap();
        apply_blog(&cloud, "s").await;
    }
    let west = LocalCloud::open(&path, "us-west-2").unwrap();
    let mut kinds: Vec<String> = west
        .read_all("s")
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.address.kind.to_string())
        .collect();
    kinds.sort();
    // Two roles: the tasks' and the flow log's.
    assert_eq!(
        kinds,
        ["dns_record", "hosted_zone", "managed_policy", "role", "role"]
    );
}

#[tokio::test]
async fn saves_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    apply_blog(&cloud, "s").await;
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join(".berth"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["local-cloud.json", "local-cloud.json.lock"]);
}

#[tokio::test]
async fn drift_edited_in_the_file_shows_in_read_all() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let path = dir.path().join(".berth/local-cloud.json");
    let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let arn = r["service.login"].attrs["arn"].as_str().unwrap().to_owned();
    file["resources"][&arn]["attrs"]["desired_count"] = serde_json::json!(1);
    // A longer file, so the change is seen even on coarse timestamps.
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap() + "\n\n").unwrap();
    let read = cloud.read_all("s").await.unwrap();
    let service = read.iter().find(|x| x.address.kind == Kind::Service).unwrap();
    assert_eq!(service.attrs["desired_count"], Value::Int(1));
}

#[tokio::test]
async fn updates_in_place_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let live = &r["service.login"];
    let mut desired = live.clone();
    desired.attrs.insert("desired_count".into(), Value::Int(5));
    desired
        .attrs
        .insert("tags".into(), Value::Map([("env".to_owned(), s("dev"))].into()));
    let updated = cloud.update("s", live, &desired).await.unwrap();
    assert_eq!(updated.attrs["desired_count"], Value::Int(5));
    assert_eq!(updated.attrs["arn"], live.attrs["arn"]);
    let read = cloud.read_all("s").await.unwrap();
    assert!(read.contains(&updated));
    let calls = cloud.calls();
    assert_eq!(calls.get("UpdateService"), Some(&1));
    assert_eq!(calls.get("TagResource"), Some(&1));
    assert_eq!(calls.get("CreateVpc"), Some(&1));
}

#[tokio::test]
async fn destroy_in_reverse_order_empties_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let order = [
        "event_rule.task_stopped",
        "event_rule.nightly",
        "metric_alarm.login_cpu",
        "service.login",
        "task_definition.login",
        "efs_access_point.uploads",
        "efs_file_system.files",
        "sqs_queue.jobs",
        "sqs_queue.dead_letters",
        "s3_bucket.logs",
        "sns_topic.alerts",
        "flow_log.vpc",
        "role.flow_logs",
        "kms_key.logs",
        "secret.db",
        "ssm_parameter.db_password",
        "discovery_service.login",
        "dns_namespace.internal",
        "listener.https",
        "certificate.blog",
        "dns_record.www",
        "hosted_zone.blog",
        "ecr_repository.login",
        "role.task_exec",
        "managed_policy.read_logs",
        "log_group.login",
        "cluster.blog",
        "listener.fixed",
        "listener.redirect",
        "listener.http",
        "target_group.login",
        "target_group.blog",
        "load_balancer.web",
        "vpc_endpoint.logs",
        "vpc_endpoint.s3",
        "default_security_group.main",
        "security_group.app",
        "security_group.web",
        "network_acl.private",
        "default_network_acl.main",
        "default_route_table.main",
        "route_table.private",
        "subnet.private_a",
        "nat_gateway.a",
        "elastic_ip.nat",
        "route_table.public",
        "internet_gateway.main",
        "subnet.public_a",
        "subnet.public_b",
        "vpc.main",
    ];
    for addr in order {
        cloud
            .delete("s", &r[addr])
            .await
            .unwrap_or_else(|e| panic!("{addr}: {e}"));
    }
    assert!(cloud.read_all("s").await.unwrap().is_empty());
}

/// Every kind, and values AWS normalises, written in spellings picked at
/// random (three seeds), read back with no difference.
#[tokio::test]
async fn respelled_stacks_read_back_unchanged() {
    for seed in 1..=3 {
        let dir = tempfile::tempdir().unwrap();
        let cloud = open(&dir);
        respelled_stack_reads_back_unchanged(&cloud, "spelled", seed).await;
    }
}

#[tokio::test]
async fn a_vpcs_default_parts_have_one_owner() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    berth_test_support::taken_over::parts_have_one_owner(&cloud, "parts", "other-parts").await;
}

#[tokio::test]
async fn named_resources_keep_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    berth_test_support::named::named_resources_keep_their_names(&cloud, "named-dev").await;
    assert!(cloud.read_all("named-dev").await.unwrap().is_empty());
}

/// How many `call`s the cloud made since its counts were `before`.
fn made_since(cloud: &LocalCloud, before: &std::collections::BTreeMap<String, u64>, call: &str) -> u64 {
    let count = |calls: &std::collections::BTreeMap<String, u64>| calls.get(call).copied().unwrap_or(0);
    count(&cloud.calls()) - count(before)
}

/// An event rule's settings change by PutRule, its targets by id: those
/// gone by one RemoveTargets, the new and changed ones by one PutTargets;
/// what is read back is what the update returned.
#[tokio::test]
async fn event_rules_change_in_place_targets_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let r = apply_blog(&cloud, "s").await;
    let live = &r["event_rule.nightly"];
    let targets = live.attrs["target"].as_list().unwrap().to_vec();
    let id_of = |t: &Value| t.as_map().unwrap()["id"].as_str().unwrap().to_owned();
    let report = targets.iter().find(|t| id_of(t) == "report").unwrap().clone();

    // The schedule and the report's task count change; the notify target
    // goes and a queue takes its place.
    let mut report = report.as_map().unwrap().clone();
    report.insert("task_count".into(), Value::Int(2));
    let queue = block(&[
        ("id", s("queue")),
        ("arn", r["sqs_queue.jobs"].attrs["arn"].clone()),
        ("message_group_id", s("reports")),
        ("maximum_retry_attempts", Value::Int(0)),
    ]);
    let desired = with(
        with(live.clone(), "schedule", s("cron(30 4 * * ? *)")),
        "target",
        list(vec![Value::Map(report), queue]),
    );
    let before = cloud.calls();
    let updated = cloud.update("s", live, &desired).await.unwrap();
    let made = |call: &str| made_since(&cloud, &before, call);
    assert_eq!(
        (made("PutRule"), made("RemoveTargets"), made("PutTargets")),
        (1, 1, 1)
    );
    assert_eq!(updated.attrs["schedule"], s("cron(30 4 * * ? *)"));
    assert_eq!(updated.attrs["arn"], live.attrs["arn"]);
    let mut ids: Vec<String> = updated.attrs["target"]
        .as_list()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    ids.sort();
    assert_eq!(ids, ["queue", "report"]);
    let read = cloud.read_all("s").await.unwrap();
    assert!(read.contains(&updated));

    // The targets alone: no PutRule; the tags alone: TagResource only.
    let before = cloud.calls();
    let fewer = with(updated.clone(), "target", list(targets[..1].to_vec()));
    let updated = cloud.update("s", &updated, &fewer).await.unwrap();
    let made = |call: &str| made_since(&cloud, &before, call);
    assert_eq!(made("PutRule"), 0);
    assert_eq!(updated.attrs["target"], list(targets[..1].to_vec()));
    let before = cloud.calls();
    let tagged = with(updated.clone(), "tags", tags(&[("team", "data")]));
    let updated = cloud.update("s", &updated, &tagged).await.unwrap();
    let made = |call: &str| made_since(&cloud, &before, call);
    assert_eq!(
        (
            made("PutRule"),
            made("PutTargets"),
            made("RemoveTargets"),
            made("TagResource")
        ),
        (0, 0, 0, 1)
    );
    assert!(cloud.read_all("s").await.unwrap().contains(&updated));
}
