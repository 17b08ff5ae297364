//! KMS keys: restored at their address after a destroy, aliases unique in
//! the account but handed to a replacement, and the rules a key's spec
//! sets on its usage and rotation.

mod common;

use berth_local::LocalCloud;
use berth_provider::{Address, ErrorClass, Kind, Provider, ProviderError, Resource, Value};
use common::*;

#[track_caller]
fn expect(result: Result<impl std::fmt::Debug, ProviderError>, call: &str, code: &str) -> ProviderError {
    let err = result.expect_err("the call should fail");
    assert_eq!((err.call.as_str(), err.code.as_str()), (call, code), "{err}");
    assert_eq!(err.class, ErrorClass::Permanent, "{err}");
    err
}

/// `kms_key.NAME` with `pairs`.
fn key(name: &str, pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::KmsKey, name, pairs)
}

fn aliases(names: &[&str]) -> Value {
    list(names.iter().map(|n| s(n)).collect())
}

fn calls(cloud: &LocalCloud, call: &str) -> u64 {
    cloud.calls().get(call).copied().unwrap_or(0)
}

async fn keys(cloud: &LocalCloud, stack: &str) -> Vec<Resource> {
    let read = cloud.read_all(stack).await.unwrap();
    read.into_iter()
        .filter(|r| r.address.kind == Kind::KmsKey)
        .collect()
}

#[tokio::test]
async fn a_destroyed_key_is_restored_at_its_address_with_its_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let config = [
        ("rotation", Value::Bool(true)),
        ("deletion_window_days", Value::Int(7)),
        ("aliases", aliases(&["alias/s-logs"])),
        ("tags", tags(&[("team", "web")])),
    ];
    let made = create(&cloud, "s", key("logs", &config)).await;
    let key_id = made.attrs["key_id"].as_str().unwrap().to_owned();
    let groups: Vec<usize> = key_id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{key_id}");
    assert_eq!(
        made.attrs["arn"],
        s(&format!("arn:aws:kms:us-east-1:123456789012:key/{key_id}"))
    );

    cloud.delete("s", &made).await.unwrap();
    assert!(cloud.read_all("s").await.unwrap().is_empty());
    assert_eq!(
        (calls(&cloud, "DeleteAlias"), calls(&cloud, "ScheduleKeyDeletion")),
        (1, 1)
    );
    // Pending deletion, the key is found neither by its id nor by the
    // alias it lost, and a second destroy finds nothing to delete.
    let address = Address::new(Kind::KmsKey, "logs");
    assert!(cloud.read_one(&address, &key_id).await.unwrap().is_none());
    expect(
        cloud.delete("s", &made).await,
        "ScheduleKeyDeletion",
        "NotFoundException",
    );

    // Applied again, reconfigured: the same key, as configured now.
    let mut again = config.to_vec();
    again.push(("description", s("the logs' key")));
    let restored = create(&cloud, "s", key("logs", &again)).await;
    assert_eq!(restored.attrs["key_id"], s(&key_id));
    assert_eq!(restored.attrs["arn"], made.attrs["arn"]);
    assert_eq!(restored.attrs["aliases"], aliases(&["alias/s-logs"]));
    assert_eq!(restored.attrs["policy"], made.attrs["policy"]);
    assert_eq!(
        cloud.read_all("s").await.unwrap(),
        std::slice::from_ref(&restored)
    );
    for (call, n) in [
        ("CreateKey", 2),
        ("CancelKeyDeletion", 1),
        ("EnableKey", 1),
        ("UpdateKeyDescription", 1),
        ("CreateAlias", 2),
        ("EnableKeyRotation", 1),
    ] {
        assert_eq!(calls(&cloud, call), n, "{call}");
    }
    // DescribeKey takes a key's id or alias, as `berth import` may give.
    for id in [key_id.as_str(), "alias/s-logs"] {
        let found = cloud.read_one(&address, id).await.unwrap();
        assert_eq!(found.map(|f| f.resource), Some(restored.clone()), "{id}");
    }

    // Another stack's key at the same address is its own.
    cloud.delete("s", &restored).await.unwrap();
    let other = create(&cloud, "t", key("logs", &config)).await;
    assert_ne!(other.attrs["key_id"], s(&key_id));
    // So is a key of another spec at this address: it cannot be restored.
    let rsa = create(
        &cloud,
        "s",
        key("logs", &[("spec", s("RSA_2048")), ("usage", s("SIGN_VERIFY"))]),
    )
    .await;
    assert_ne!(rsa.attrs["key_id"], s(&key_id));
    assert_eq!(calls(&cloud, "CancelKeyDeletion"), 1);
}

#[tokio::test]
async fn an_alias_another_stacks_key_holds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let shared = [("aliases", aliases(&["alias/shared"]))];
    let theirs = create(&cloud, "a", key("logs", &shared)).await;

    let err = expect(
        cloud.create("b", &key("logs", &shared)).await,
        "CreateAlias",
        "AlreadyExistsException",
    );
    assert!(
        err.message
            .contains("arn:aws:kms:us-east-1:123456789012:alias/shared"),
        "{err}"
    );
    // The refused create leaves no key behind.
    assert!(cloud.read_all("b").await.unwrap().is_empty());

    // Nor may an update take it.
    let mine = create(&cloud, "b", key("logs", &[])).await;
    let taking = with(
        mine.clone(),
        "aliases",
        aliases(&["alias/shared", "alias/b-logs"]),
    );
    expect(
        cloud.update("b", &mine, &taking).await,
        "CreateAlias",
        "AlreadyExistsException",
    );
    assert_eq!(keys(&cloud, "b").await, std::slice::from_ref(&mine));
    assert_eq!(keys(&cloud, "a").await, std::slice::from_ref(&theirs));

    // Destroyed, their key frees the alias.
    cloud.delete("a", &theirs).await.unwrap();
    let took = cloud.update("b", &mine, &taking).await.unwrap();
    assert_eq!(took.attrs["aliases"], aliases(&["alias/b-logs", "alias/shared"]));
}

#[tokio::test]
async fn a_replacement_takes_over_its_predecessors_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let old = create(
        &cloud,
        "s",
        key("logs", &[("aliases", aliases(&["alias/s-logs", "alias/s-old"]))]),
    )
    .await;
    // Create before destroy: the successor is made while the old key lives.
    let new = create(
        &cloud,
        "s",
        key(
            "logs",
            &[
                ("multi_region", Value::Bool(true)),
                ("aliases", aliases(&["alias/s-logs"])),
            ],
        ),
    )
    .await;
    assert_ne!(new.attrs["key_id"], old.attrs["key_id"]);
    let id = new.attrs["key_id"].as_str().unwrap();
    assert!(
        id.strip_prefix("mrk-")
            .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())),
        "{id}"
    );
    assert_eq!(calls(&cloud, "UpdateAlias"), 1);
    assert_eq!(calls(&cloud, "CreateAlias"), 2);
    let both = keys(&cloud, "s").await;
    assert_eq!(both.len(), 2);
    let was = both.iter().find(|k| k.attrs["arn"] == old.attrs["arn"]).unwrap();
    assert_eq!(was.attrs["aliases"], aliases(&["alias/s-old"]));

    // The old key goes with the alias it kept; the new one keeps its own.
    cloud.delete("s", was).await.unwrap();
    assert_eq!(calls(&cloud, "DeleteAlias"), 1);
    assert_eq!(keys(&cloud, "s").await, std::slice::from_ref(&new));

    // KMS moves an alias only between keys of one type and usage: to an
    // RSA successor, it is deleted and made again.
    let rsa = create(
        &cloud,
        "s",
        key(
            "logs",
            &[("spec", s("RSA_2048")), ("aliases", aliases(&["alias/s-logs"]))],
        ),
    )
    .await;
    assert_eq!(rsa.attrs["aliases"], aliases(&["alias/s-logs"]));
    assert_eq!(calls(&cloud, "UpdateAlias"), 1);
    assert_eq!(
        (calls(&cloud, "DeleteAlias"), calls(&cloud, "CreateAlias")),
        (2, 3)
    );
    let new = keys(&cloud, "s")
        .await
        .into_iter()
        .find(|k| k.attrs["arn"] == new.attrs["arn"]);
    assert_eq!(new.map(|k| k.attrs["aliases"].clone()), Some(aliases(&[])));
}

#[tokio::test]
async fn a_keys_spec_decides_its_usage_and_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let refused = [
        (
            vec![("spec", s("RSA_2048")), ("rotation", Value::Bool(true))],
            "EnableKeyRotation",
            "UnsupportedOperationException",
        ),
        (
            vec![("spec", s("ECC_NIST_P256")), ("usage", s("ENCRYPT_DECRYPT"))],
            "CreateKey",
            "ValidationException",
        ),
        (
            vec![("spec", s("HMAC_256")), ("usage", s("SIGN_VERIFY"))],
            "CreateKey",
            "ValidationException",
        ),
        (vec![("spec", s("AES_128"))], "CreateKey", "ValidationException"),
        (
            vec![("usage", s("DECRYPT_ONLY"))],
            "CreateKey",
            "ValidationException",
        ),
        (
            vec![("aliases", aliases(&["alias/aws/logs"]))],
            "CreateAlias",
            "ValidationException",
        ),
        (
            vec![("aliases", aliases(&["logs"]))],
            "CreateAlias",
            "ValidationException",
        ),
        (
            vec![("deletion_window_days", Value::Int(3))],
            "CreateKey",
            "ValidationException",
        ),
        (
            vec![("policy", s("{not json"))],
            "CreateKey",
            "MalformedPolicyDocumentException",
        ),
    ];
    for (pairs, call, code) in refused {
        let err = expect(cloud.create("s", &key("k", &pairs)).await, call, code);
        if pairs[0] == ("spec", s("ECC_NIST_P256")) {
            assert_eq!(
                err.message,
                "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256"
            );
        }
    }
    assert!(cloud.read_all("s").await.unwrap().is_empty());

    // What the spec allows is made; rotation stays out of reach of an
    // RSA key's update too.
    let rsa = create(&cloud, "s", key("rsa", &[("spec", s("RSA_4096"))])).await;
    create(
        &cloud,
        "s",
        key(
            "ecc",
            &[("spec", s("ECC_NIST_P384")), ("usage", s("KEY_AGREEMENT"))],
        ),
    )
    .await;
    create(
        &cloud,
        "s",
        key(
            "mac",
            &[("spec", s("HMAC_512")), ("usage", s("GENERATE_VERIFY_MAC"))],
        ),
    )
    .await;
    expect(
        cloud
            .update("s", &rsa, &with(rsa.clone(), "rotation", Value::Bool(true)))
            .await,
        "EnableKeyRotation",
        "UnsupportedOperationException",
    );
    expect(
        cloud
            .update("s", &rsa, &with(rsa.clone(), "spec", s("RSA_2048")))
            .await,
        "UpdateKeyDescription",
        "ValidationException",
    );
}

#[tokio::test]
async fn a_key_left_without_a_policy_reads_back_kmss_default_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let cloud = open(&dir);
    let made = create(&cloud, "s", key("logs", &[])).await;
    let statement = &made.attrs["policy"].as_map().unwrap()["Statement"];
    let statement = statement.as_list().unwrap()[0].as_map().unwrap();
    assert_eq!(statement["Sid"], s("Enable IAM User Permissions"));
    assert_eq!(statement["Action"], s("kms:*"));
    assert_eq!(statement["Resource"], s("*"));
    assert_eq!(
        statement["Principal"],
        Value::Map([("AWS".to_owned(), s("arn:aws:iam::123456789012:root"))].into())
    );

    // Still left out, it stays: nothing to put.
    let left_out = with(made.clone(), "policy", Value::Null);
    let same = cloud.update("s", &made, &left_out).await.unwrap();
    assert_eq!(same, made);
    assert_eq!(calls(&cloud, "PutKeyPolicy"), 0);

    // Everything else changes in place, each with its call.
    let logs_may_use = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*"],"Resource":"*"}]}"#;
    let mut desired = made.clone();
    for (k, v) in [
        ("policy", s(logs_may_use)),
        ("description", s("logs")),
        ("enabled", Value::Bool(false)),
        ("rotation", Value::Bool(true)),
        ("aliases", aliases(&["alias/s-logs"])),
    ] {
        desired = with(desired, k, v);
    }
    let changed = cloud.update("s", &made, &desired).await.unwrap();
    assert_eq!(changed.attrs["key_id"], made.attrs["key_id"]);
    assert_eq!(changed.attrs["enabled"], Value::Bool(false));
    assert_eq!(keys(&cloud, "s").await, std::slice::from_ref(&changed));
    for call in [
        "PutKeyPolicy",
        "UpdateKeyDescription",
        "DisableKey",
        "EnableKeyRotation",
        "CreateAlias",
    ] {
        assert_eq!(calls(&cloud, call), 1, "{call}");
    }
    let dropped = with(changed.clone(), "aliases", aliases(&[]));
    let dropped = cloud.update("s", &changed, &dropped).await.unwrap();
    assert_eq!(calls(&cloud, "DeleteAlias"), 1);

    // A disabled key's rotation does not change; enabled again, it may.
    let off = with(dropped.clone(), "rotation", Value::Bool(false));
    expect(
        cloud.update("s", &dropped, &off).await,
        "DisableKeyRotation",
        "KMSInvalidStateException",
    );
    let off = cloud
        .update("s", &dropped, &with(off, "enabled", Value::Bool(true)))
        .await
        .unwrap();
    assert_eq!(off.attrs["rotation"], Value::Bool(false));
    assert_eq!(calls(&cloud, "EnableKey"), 1);
}
