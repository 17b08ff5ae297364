//! `efs_file_system` and `efs_access_point` through the real SDK against
//! moto: a file system with lifecycle policies, a policy naming its own
//! ARN (added by an update) and two mount targets, read back as created
//! and changed in place (lifecycle changed then removed, a mount target's
//! groups changed, one moved to another subnet, one removed, tags), with
//! an access point; mount targets whose address and groups EFS chooses; a
//! create whose answers are lost; a creation token another file system
//! holds; and a file system and access point imported by id or ARN and
//! adopted. moto lacks UpdateFileSystem and DeleteFileSystemPolicy: the
//! stubbed tests cover them.

use std::collections::BTreeMap;

use crate::support::*;
use aws_sdk_efs::types::Tag;
use berth_aws::AwsProvider;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};
use berth_test_support::proxy::{FaultProxy, Faults};

/// A VPC with a subnet in each of three zones and two security groups:
/// moto's CreateMountTarget looks subnets and groups up in its EC2.
struct Net {
    a: Resource,
    b: Resource,
    c: Resource,
    web: Resource,
    app: Resource,
}

async fn network(p: &AwsProvider, stack: &str) -> Net {
    let vpc = create(
        p,
        stack,
        desired(Kind::Vpc, "main", &[("cidr", s("10.0.0.0/16"))]),
    )
    .await;
    let subnet = |name: &str, cidr: &str, zone: &str| {
        desired(
            Kind::Subnet,
            name,
            &[("vpc", id(&vpc)), ("cidr", s(cidr)), ("zone", s(zone))],
        )
    };
    let group = |name: &str| desired(Kind::SecurityGroup, name, &[("vpc", id(&vpc))]);
    Net {
        a: create(p, stack, subnet("a", "10.0.1.0/24", "us-east-1a")).await,
        b: create(p, stack, subnet("b", "10.0.2.0/24", "us-east-1b")).await,
        c: create(p, stack, subnet("c", "10.0.3.0/24", "us-east-1c")).await,
        web: create(p, stack, group("web")).await,
        app: create(p, stack, group("app")).await,
    }
}

fn file_system(name: &str, pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::EfsFileSystem, name, pairs)
}

/// A `mount_target` block in `subnet` behind `groups`, at `ip` when
/// given.
fn target(subnet: &Resource, ip: Option<&str>, groups: &[&Resource]) -> Value {
    let mut pairs = vec![("subnet", id(subnet))];
    if let Some(ip) = ip {
        pairs.push(("ip_address", s(ip)));
    }
    if !groups.is_empty() {
        pairs.push(("security_groups", list(groups.iter().map(|g| id(g)).collect())));
    }
    block(&pairs)
}

/// The stack's EFS resources as read_all finds them, by address.
async fn read_efs(p: &AwsProvider, stack: &str) -> BTreeMap<String, Resource> {
    read(p, stack)
        .await
        .into_iter()
        .filter(|(_, r)| matches!(r.address.kind, Kind::EfsFileSystem | Kind::EfsAccessPoint))
        .collect()
}

fn many(rs: &[&Resource]) -> BTreeMap<String, Resource> {
    rs.iter().map(|r| (r.address.to_string(), (*r).clone())).collect()
}

/// The file system's tags as EFS holds them.
async fn raw_tags(env: &Env, fs: &str) -> BTreeMap<String, String> {
    let out = env
        .raw
        .efs
        .describe_file_systems()
        .file_system_id(fs)
        .send()
        .await
        .expect("DescribeFileSystems");
    out.file_systems()[0]
        .tags()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

/// The file system's transitions as EFS holds them (`ia=AFTER_30_DAYS`).
async fn transitions(env: &Env, fs: &str) -> Vec<String> {
    raw::efs_transitions(&env.raw.efs, fs).await
}

/// The file system's mount targets as EFS holds them, by subnet: the
/// address and the groups.
async fn raw_targets(env: &Env, fs: &str) -> BTreeMap<String, (String, Vec<String>)> {
    let efs = &env.raw.efs;
    let out = efs
        .describe_mount_targets()
        .file_system_id(fs)
        .send()
        .await
        .expect("DescribeMountTargets");
    let mut found = BTreeMap::new();
    for t in out.mount_targets() {
        let groups = efs
            .describe_mount_target_security_groups()
            .mount_target_id(t.mount_target_id())
            .send()
            .await
            .expect("DescribeMountTargetSecurityGroups");
        let mut groups = groups.security_groups().to_vec();
        groups.sort();
        found.insert(
            t.subnet_id().to_owned(),
            (t.ip_address().unwrap_or_default().to_owned(), groups),
        );
    }
    found
}

/// The ids of `groups`, sorted.
fn ids(groups: &[&Resource]) -> Vec<String> {
    let mut out: Vec<String> = groups.iter().map(|g| text(g, "id")).collect();
    out.sort();
    out
}

/// A policy letting the account's roles mount and write the file system
/// `arn` through a mount target.
fn mountable(arn: &str) -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Mount",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            "Resource": arn,
            "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
        }],
    }))
}

#[tokio::test]
async fn a_file_system_with_mount_targets_reads_back_and_changes_in_place() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "efs-std";
    let net = network(p, stack).await;
    let settings = [
        ("encrypted", Value::Bool(true)),
        ("throughput_mode", s("elastic")),
        ("transition_to_ia", s("AFTER_30_DAYS")),
        ("transition_to_archive", s("AFTER_90_DAYS")),
        ("transition_to_primary_storage_class", s("AFTER_1_ACCESS")),
        ("tags", tags(&[("team", "web"), ("tier", "1")])),
        (
            "mount_target",
            list(vec![
                target(&net.a, Some("10.0.1.10"), &[&net.app]),
                target(&net.b, Some("10.0.2.10"), &[&net.app, &net.web]),
            ]),
        ),
    ];
    let files = create(p, stack, file_system("files", &settings)).await;
    let fs = text(&files, "id");
    assert!(fs.starts_with("fs-"), "{fs}");
    assert_eq!(
        text(&files, "arn"),
        format!("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/{fs}")
    );
    assert_eq!(
        text(&files, "dns_name"),
        format!("{fs}.efs.us-east-1.amazonaws.com")
    );
    let token = text(&files, "creation_token");
    assert!(
        token.starts_with("efs-std-files-") && token.len() == 20,
        "{token}"
    );
    let held = raw_tags(&env, &fs).await;
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("efs_file_system.files")
    );
    assert_eq!(
        held.get("berth:kms_key").map(String::as_str),
        Some(""),
        "EFS's own key, recorded"
    );
    assert_eq!(held.get("tier").map(String::as_str), Some("1"));
    assert_eq!(
        transitions(&env, &fs).await,
        [
            "ia=AFTER_30_DAYS",
            "archive=AFTER_90_DAYS",
            "primary=AFTER_1_ACCESS"
        ]
    );
    assert_eq!(
        raw_targets(&env, &fs).await,
        BTreeMap::from([
            (text(&net.a, "id"), ("10.0.1.10".to_owned(), ids(&[&net.app]))),
            (
                text(&net.b, "id"),
                ("10.0.2.10".to_owned(), ids(&[&net.app, &net.web]))
            ),
        ])
    );
    let uploads = create(
        p,
        stack,
        desired(
            Kind::EfsAccessPoint,
            "uploads",
            &[
                ("file_system", id(&files)),
                ("posix_uid", Value::Int(1000)),
                ("posix_gid", Value::Int(1000)),
                ("posix_secondary_gids", list(vec![Value::Int(27), Value::Int(4)])),
                ("root_directory", s("/uploads")),
                ("owner_uid", Value::Int(1000)),
                ("owner_gid", Value::Int(1000)),
                ("permissions", s("0755")),
                ("tags", tags(&[("team", "web")])),
            ],
        ),
    )
    .await;
    assert!(text(&uploads, "id").starts_with("fsap-"), "{uploads:?}");
    assert_same(&read_efs(p, stack).await, &many(&[&files, &uploads]));

    // The policy naming the file system's own ARN, added by an update (as
    // the executor does once the ARN is known).
    let arn = text(&files, "arn");
    let policed = p
        .update(stack, &files, &with(files.clone(), "policy", mountable(&arn)))
        .await
        .expect("update");
    let out = env
        .raw
        .efs
        .describe_file_system_policy()
        .file_system_id(&fs)
        .send()
        .await
        .expect("DescribeFileSystemPolicy");
    let policy = out.policy().unwrap_or_default();
    assert!(
        policy.contains("ClientMount") && policy.contains(&arn),
        "{policy}"
    );
    assert_same(&read_efs(p, stack).await, &many(&[&policed, &uploads]));

    // Other transitions, the first mount target behind the web group only,
    // the second moved to subnet c at an address EFS picks, other tags:
    // in place.
    let changed = [
        ("encrypted", Value::Bool(true)),
        ("throughput_mode", s("elastic")),
        ("transition_to_ia", s("AFTER_7_DAYS")),
        ("policy", mountable(&arn)),
        ("tags", tags(&[("team", "ops")])),
        (
            "mount_target",
            list(vec![
                target(&net.a, Some("10.0.1.10"), &[&net.web]),
                target(&net.c, None, &[&net.app]),
            ]),
        ),
    ];
    let updated = p
        .update(stack, &policed, &file_system("files", &changed))
        .await
        .expect("update");
    assert_eq!(text(&updated, "id"), fs, "the same file system");
    assert_eq!(text(&updated, "creation_token"), token, "kept");
    assert_eq!(transitions(&env, &fs).await, ["ia=AFTER_7_DAYS"]);
    let targets = raw_targets(&env, &fs).await;
    let mut subnets = [text(&net.a, "id"), text(&net.c, "id")];
    subnets.sort();
    assert_eq!(
        targets.keys().collect::<Vec<_>>(),
        subnets.iter().collect::<Vec<_>>()
    );
    assert_eq!(
        targets[&text(&net.a, "id")],
        ("10.0.1.10".to_owned(), ids(&[&net.web])),
        "the same mount target, other groups"
    );
    let (ip, groups) = &targets[&text(&net.c, "id")];
    assert!(ip.starts_with("10.0.3."), "{ip}");
    assert_eq!(groups, &ids(&[&net.app]));
    let c_block = updated.attrs["mount_target"]
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_map)
        .find(|b| b["subnet"] == id(&net.c))
        .cloned();
    assert_eq!(
        c_block.map(|b| b["ip_address"].clone()),
        Some(s(ip)),
        "the address EFS picked"
    );
    let held = raw_tags(&env, &fs).await;
    assert_eq!(held.get("team").map(String::as_str), Some("ops"));
    assert!(!held.contains_key("tier"), "{held:?}");
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack), "kept");
    assert!(held.contains_key("berth:kms_key"), "kept");
    assert_same(&read_efs(p, stack).await, &many(&[&updated, &uploads]));

    // Every transition off, the first mount target removed; the access
    // point's tags changed.
    let fewer = [
        ("encrypted", Value::Bool(true)),
        ("throughput_mode", s("elastic")),
        ("policy", mountable(&arn)),
        ("tags", tags(&[("team", "ops")])),
        ("mount_target", list(vec![target(&net.c, None, &[&net.app])])),
    ];
    let fewer = p
        .update(stack, &updated, &file_system("files", &fewer))
        .await
        .expect("update");
    assert!(transitions(&env, &fs).await.is_empty());
    assert_eq!(
        raw_targets(&env, &fs).await.keys().collect::<Vec<_>>(),
        [&text(&net.c, "id")]
    );
    let retagged = p
        .update(
            stack,
            &uploads,
            &with(uploads.clone(), "tags", tags(&[("owner", "ops")])),
        )
        .await
        .expect("update");
    let out = env
        .raw
        .efs
        .describe_access_points()
        .access_point_id(text(&uploads, "id"))
        .send()
        .await
        .expect("DescribeAccessPoints");
    let ap_tags: BTreeMap<&str, &str> = out.access_points()[0]
        .tags()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(ap_tags.get("owner"), Some(&"ops"));
    assert!(!ap_tags.contains_key("team"), "{ap_tags:?}");
    assert_eq!(ap_tags.get(STACK_TAG), Some(&stack), "kept");
    assert_same(&read_efs(p, stack).await, &many(&[&fewer, &retagged]));

    // Deleted (the access point first, as the graph orders it); a delete
    // sent again is done.
    for r in [&retagged, &fewer] {
        p.delete(stack, r).await.expect("delete");
        p.delete(stack, r).await.expect("delete again");
    }
    assert!(read_efs(p, stack).await.is_empty());
    let out = env
        .raw
        .efs
        .describe_file_systems()
        .send()
        .await
        .expect("DescribeFileSystems");
    assert!(out.file_systems().is_empty(), "{out:?}");
    let stats = p.stats();
    assert_eq!(stats["elasticfilesystem:DeleteMountTarget"].calls, 3, "{stats:?}");
    assert_eq!(stats["elasticfilesystem:CreateMountTarget"].calls, 3, "{stats:?}");
    assert_eq!(
        stats["elasticfilesystem:ModifyMountTargetSecurityGroups"].calls, 1,
        "{stats:?}"
    );
}

/// Mount targets left to EFS: the address and the groups it picked (moto
/// picks none, AWS the VPC's default group) read back as created, and an
/// update with the blocks unchanged leaves them be.
#[tokio::test]
async fn mount_targets_keep_what_efs_chose() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "efs-chosen";
    let net = network(p, stack).await;
    let blocks = list(vec![target(&net.a, None, &[]), target(&net.b, None, &[])]);
    let desired = file_system(
        "shared",
        &[("creation_token", s("shared-files")), ("mount_target", blocks)],
    );
    let made = p.create(stack, &desired).await.expect("create");
    assert_eq!(text(&made, "creation_token"), "shared-files", "as given");
    assert_eq!(made.attrs["encrypted"], Value::Bool(false));
    assert_eq!(made.attrs["kms_key"], Value::Null);
    let fs = text(&made, "id");
    assert!(
        !raw_tags(&env, &fs).await.contains_key("berth:kms_key"),
        "not encrypted"
    );
    let targets = raw_targets(&env, &fs).await;
    for block in made.attrs["mount_target"].as_list().unwrap_or_default() {
        let block = block.as_map().expect("a block");
        let subnet = block["subnet"].as_str().unwrap_or_default();
        assert_eq!(block["ip_address"], s(&targets[subnet].0), "{block:?}");
        assert_eq!(
            block["security_groups"],
            list(targets[subnet].1.iter().map(|g| s(g)).collect())
        );
    }
    assert_same(&read_efs(p, stack).await, &many(&[&made]));

    let before = p.stats();
    let kept = p.update(stack, &made, &desired).await.expect("update");
    assert_eq!(kept, made, "nothing to change");
    let after = p.stats();
    for call in [
        "CreateMountTarget",
        "DeleteMountTarget",
        "ModifyMountTargetSecurityGroups",
    ] {
        let key = format!("elasticfilesystem:{call}");
        assert_eq!(
            after.get(&key).map(|s| s.calls),
            before.get(&key).map(|s| s.calls),
            "{call}"
        );
    }
    p.delete(stack, &made).await.expect("delete");
    assert!(read_efs(p, stack).await.is_empty());
}

/// Every first answer lost: CreateFileSystem sent again is answered
/// FileSystemAlreadyExists and the file system of the token, this stack's,
/// is taken; CreateMountTarget sent again is answered MountTargetConflict,
/// which after the lost answer means it was made. One file system, one
/// mount target.
#[tokio::test]
async fn lost_create_answers_make_one_file_system() {
    let Some(env) = env().await else { return };
    let stack = "efs-lost";
    let net = network(&env.provider, stack).await;
    let faults = Faults {
        lose_first: true,
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lossy = provider_of(&sdk_config(&proxy.endpoint).await);
    let made = create(
        &lossy,
        stack,
        file_system(
            "files",
            &[(
                "mount_target",
                list(vec![target(&net.a, Some("10.0.1.20"), &[&net.app])]),
            )],
        ),
    )
    .await;
    let stats = lossy.stats();
    assert_eq!(stats["elasticfilesystem:CreateFileSystem"].calls, 2, "{stats:?}");
    assert_eq!(stats["elasticfilesystem:CreateMountTarget"].calls, 2, "{stats:?}");
    assert!(proxy.stats().lost >= 2, "{:?}", proxy.stats());
    let out = env
        .raw
        .efs
        .describe_file_systems()
        .send()
        .await
        .expect("DescribeFileSystems");
    assert_eq!(out.file_systems().len(), 1, "one file system");
    let fs = text(&made, "id");
    assert_eq!(out.file_systems()[0].file_system_id(), fs);
    assert_eq!(raw_targets(&env, &fs).await.len(), 1, "one mount target");
    assert_same(&read_efs(&env.provider, stack).await, &many(&[&made]));
}

/// A creation token another file system holds (not the stack's) is
/// refused, naming it and how to adopt it.
#[tokio::test]
async fn a_creation_token_another_file_system_holds_is_refused() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let out = env
        .raw
        .efs
        .create_file_system()
        .creation_token("taken")
        .send()
        .await
        .expect("CreateFileSystem");
    let theirs = out.file_system_id().to_owned();
    let err = p
        .create(
            "efs-taken",
            &file_system("files", &[("creation_token", s("taken"))]),
        )
        .await
        .expect_err("refused");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("CreateFileSystem", "FileSystemAlreadyExists")
    );
    assert!(
        err.message
            .contains(&format!("berth import efs_file_system.files {theirs}")),
        "{err}"
    );
    let out = env
        .raw
        .efs
        .describe_file_systems()
        .send()
        .await
        .expect("DescribeFileSystems");
    assert_eq!(out.file_systems().len(), 1, "none made");
}

#[tokio::test]
async fn a_file_system_and_an_access_point_are_imported_by_id_or_arn_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "efs-import";
    let net = network(p, stack).await;
    let efs = &env.raw.efs;
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().expect("a tag");
    let out = efs
        .create_file_system()
        .creation_token("legacy")
        .performance_mode(aws_sdk_efs::types::PerformanceMode::MaxIo)
        .tags(tag("team", "ops"))
        .send()
        .await
        .expect("CreateFileSystem");
    let fs = out.file_system_id().to_owned();
    let arn = out.file_system_arn().unwrap_or_default().to_owned();
    efs.create_mount_target()
        .file_system_id(&fs)
        .subnet_id(text(&net.b, "id"))
        .security_groups(text(&net.web, "id"))
        .send()
        .await
        .expect("CreateMountTarget");
    let out = efs
        .create_access_point()
        .client_token("legacy-ap")
        .file_system_id(&fs)
        .root_directory(aws_sdk_efs::types::RootDirectory::builder().path("/data").build())
        .tags(tag("team", "ops"))
        .send()
        .await
        .expect("CreateAccessPoint");
    let ap = out.access_point_id().unwrap_or_default().to_owned();
    let ap_arn = out.access_point_arn().unwrap_or_default().to_owned();

    let fs_address = Address::new(Kind::EfsFileSystem, "legacy");
    let found = p
        .read_one(&fs_address, &fs)
        .await
        .expect("read_one")
        .expect("the file system");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(text(r, "creation_token"), "legacy");
    assert_eq!(r.attrs["performance_mode"], s("maxIO"));
    assert_eq!(r.attrs["tags"], tags(&[("team", "ops")]));
    let blocks = r.attrs["mount_target"].as_list().unwrap_or_default();
    assert_eq!(blocks.len(), 1, "{r:?}");
    let by_arn = p
        .read_one(&fs_address, &arn)
        .await
        .expect("read_one")
        .expect("the file system");
    assert_eq!(by_arn.resource, found.resource, "by ARN");
    for nothing in ["fs-00000000", "nothing"] {
        assert!(
            p.read_one(&fs_address, nothing)
                .await
                .expect("read_one")
                .is_none(),
            "{nothing}"
        );
    }

    let ap_address = Address::new(Kind::EfsAccessPoint, "legacy");
    let found_ap = p
        .read_one(&ap_address, &ap_arn)
        .await
        .expect("read_one")
        .expect("the access point");
    let a = &found_ap.resource;
    assert_eq!(a.attrs["file_system"], s(&fs));
    assert_eq!(a.attrs["root_directory"], s("/data"));
    assert_eq!(a.attrs["posix_uid"], Value::Null);
    assert_eq!(text(a, "id"), ap);
    assert!(
        p.read_one(&ap_address, "fsap-00000000")
            .await
            .expect("read_one")
            .is_none()
    );

    p.adopt(stack, r).await.expect("adopt");
    p.adopt(stack, a).await.expect("adopt");
    let held = raw_tags(&env, &fs).await;
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("efs_file_system.legacy")
    );
    assert_eq!(held.get("team").map(String::as_str), Some("ops"));
    assert!(!held.contains_key("berth:kms_key"), "not encrypted: {held:?}");
    assert_same(&read_efs(p, stack).await, &many(&[r, a]));
}
