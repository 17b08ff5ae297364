//! `kms_key` through the real SDK against moto: a key destroyed and
//! applied again within its window comes back (the same key, so what it
//! encrypted stays readable), a replacement takes over the aliases, an
//! alias another key holds is refused before anything is made, updates
//! in place in KMS's order, and a key imported by its alias.

use crate::support::*;
use aws_sdk_kms::types::KeyState;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};

/// KMS's account of a key: its state, description, whether it is
/// enabled and rotates, and the aliases naming it (sorted).
#[derive(Debug, PartialEq)]
struct Held {
    state: KeyState,
    description: String,
    enabled: bool,
    rotation: bool,
    aliases: Vec<String>,
}

async fn held(env: &Env, key: &str) -> Held {
    let kms = &env.raw.kms;
    let out = kms.describe_key().key_id(key).send().await.expect("DescribeKey");
    let meta = out.key_metadata().expect("metadata");
    let rotation = kms
        .get_key_rotation_status()
        .key_id(key)
        .send()
        .await
        .expect("GetKeyRotationStatus")
        .key_rotation_enabled();
    let out = kms.list_aliases().send().await.expect("ListAliases");
    let mut aliases: Vec<String> = out
        .aliases()
        .iter()
        .filter(|a| a.target_key_id() == Some(key))
        .filter_map(|a| a.alias_name().map(str::to_owned))
        .collect();
    aliases.sort();
    Held {
        state: meta.key_state().cloned().expect("state"),
        description: meta.description().unwrap_or_default().to_owned(),
        enabled: meta.enabled(),
        rotation,
        aliases,
    }
}

/// The key an alias names, as KMS says.
async fn target(env: &Env, alias: &str) -> Option<String> {
    let out = env.raw.kms.list_aliases().send().await.expect("ListAliases");
    out.aliases()
        .iter()
        .find(|a| a.alias_name() == Some(alias))
        .and_then(|a| a.target_key_id().map(str::to_owned))
}

/// A key made outside berth with `description` and the alias `alias`:
/// its id.
async fn made_by_hand(env: &Env, description: &str, alias: &str) -> String {
    let kms = &env.raw.kms;
    let out = kms
        .create_key()
        .description(description)
        .send()
        .await
        .expect("CreateKey");
    let id = out.key_metadata().expect("metadata").key_id().to_owned();
    kms.create_alias()
        .alias_name(alias)
        .target_key_id(&id)
        .send()
        .await
        .expect("CreateAlias");
    id
}

fn key(pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::KmsKey, "logs", pairs)
}

fn one(r: &Resource) -> std::collections::BTreeMap<String, Resource> {
    [(r.address.to_string(), r.clone())].into()
}

#[tokio::test]
async fn a_key_destroyed_then_applied_again_comes_back_with_its_alias() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "kms-restore";
    let alias = "alias/kms-restore-logs";
    let want = key(&[
        ("description", s("the logs")),
        ("rotation", Value::Bool(true)),
        ("deletion_window_days", Value::Int(7)),
        ("aliases", list(vec![s(alias)])),
        ("tags", tags(&[("team", "web")])),
    ]);
    let first = create(p, stack, want.clone()).await;
    let id = text(&first, "key_id");

    p.delete(stack, &first).await.expect("delete");
    let gone = held(&env, &id).await;
    assert_eq!(gone.state, KeyState::PendingDeletion);
    assert!(gone.aliases.is_empty(), "the alias goes with the key: {gone:?}");
    assert!(read(p, stack).await.is_empty(), "a key pending deletion is gone");
    // A delete sent again (after a lost answer) converges.
    p.delete(stack, &first).await.expect("delete again");

    // Applied again, described otherwise and disabled: the same key,
    // restored and brought to the configuration.
    let again = with(
        with(want.clone(), "description", s("the logs, restored")),
        "enabled",
        Value::Bool(false),
    );
    let back = create(p, stack, again).await;
    assert_eq!(text(&back, "key_id"), id, "the key is restored, not made anew");
    assert_eq!(
        held(&env, &id).await,
        Held {
            state: KeyState::Disabled,
            description: "the logs, restored".to_owned(),
            enabled: false,
            rotation: true,
            aliases: vec![alias.to_owned()],
        }
    );
    assert_same(&read(p, stack).await, &one(&back));

    // A key of another spec at the address is another key: made anew.
    p.delete(stack, &back).await.expect("delete");
    let rsa = create(
        p,
        stack,
        key(&[("spec", s("RSA_2048")), ("aliases", list(vec![s(alias)]))]),
    )
    .await;
    assert_ne!(text(&rsa, "key_id"), id);
    assert_eq!(held(&env, &id).await.state, KeyState::PendingDeletion);
    assert_eq!(target(&env, alias).await, Some(text(&rsa, "key_id")));
    assert_same(&read(p, stack).await, &one(&rsa));
}

#[tokio::test]
async fn a_replacement_takes_over_the_aliases() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "kms-replace";
    let alias = "alias/kms-replace-logs";
    let old = create(p, stack, key(&[("aliases", list(vec![s(alias)]))])).await;

    // Made before the old key goes (multi_region replaces): UpdateAlias.
    let new = create(
        p,
        stack,
        key(&[
            ("multi_region", Value::Bool(true)),
            ("aliases", list(vec![s(alias)])),
        ]),
    )
    .await;
    assert_ne!(text(&new, "key_id"), text(&old, "key_id"));
    assert_eq!(target(&env, alias).await, Some(text(&new, "key_id")));
    p.delete(stack, &old).await.expect("delete the replaced key");
    assert_eq!(
        held(&env, &text(&old, "key_id")).await.state,
        KeyState::PendingDeletion
    );
    assert_eq!(
        target(&env, alias).await,
        Some(text(&new, "key_id")),
        "the replaced key's delete leaves the alias its successor holds"
    );
    assert_same(&read(p, stack).await, &one(&new));

    // A successor of another type and usage (UpdateAlias refuses those on
    // AWS): the alias is given up and made again on it.
    let signing = create(
        p,
        stack,
        key(&[
            ("spec", s("ECC_NIST_P256")),
            ("usage", s("SIGN_VERIFY")),
            ("aliases", list(vec![s(alias)])),
        ]),
    )
    .await;
    assert_eq!(target(&env, alias).await, Some(text(&signing, "key_id")));
    p.delete(stack, &new).await.expect("delete the replaced key");
    assert_eq!(target(&env, alias).await, Some(text(&signing, "key_id")));
    let live = read(p, stack).await;
    assert_same(&live, &one(&signing));
    assert_eq!(live["kms_key.logs"].attrs["rotation"], Value::Bool(false));
}

#[tokio::test]
async fn an_alias_another_key_holds_is_refused_before_a_key_is_made() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "kms-taken";
    let kms = &env.raw.kms;
    let theirs = made_by_hand(&env, "someone else's", "alias/taken").await;

    let err = p
        .create(stack, &key(&[("aliases", list(vec![s("alias/taken")]))]))
        .await
        .expect_err("the alias is someone else's");
    assert_eq!(err.call, "CreateAlias", "{err}");
    assert!(
        err.message.contains("alias/taken") && err.message.contains(&theirs),
        "names the alias and the key holding it: {err}"
    );
    let keys = kms.list_keys().send().await.expect("ListKeys");
    assert_eq!(keys.keys().len(), 1, "no key made: {keys:?}");
    assert_eq!(target(&env, "alias/taken").await, Some(theirs));
    assert!(read(p, stack).await.is_empty());
}

#[tokio::test]
async fn updates_in_place_in_kms_order() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "kms-update";
    let live = create(
        p,
        stack,
        key(&[
            ("description", s("first")),
            ("aliases", list(vec![s("alias/kms-update-a")])),
            ("tags", tags(&[("team", "web")])),
        ]),
    )
    .await;
    let id = text(&live, "key_id");
    let doc = Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Id": "berth-test",
        "Statement": [{
            "Sid": "Root",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        }],
    }));

    // Rotation turned on and the key disabled in one apply: the rotation
    // first, as KMS refuses it on a disabled key.
    let changed = key(&[
        ("description", s("second")),
        ("rotation", Value::Bool(true)),
        ("enabled", Value::Bool(false)),
        ("deletion_window_days", Value::Int(10)),
        ("policy", doc.clone()),
        ("aliases", list(vec![s("alias/kms-update-b")])),
        ("tags", tags(&[("team", "ops")])),
    ]);
    let updated = p.update(stack, &live, &changed).await.expect("update");
    assert_eq!(
        held(&env, &id).await,
        Held {
            state: KeyState::Disabled,
            description: "second".to_owned(),
            enabled: false,
            rotation: true,
            aliases: vec!["alias/kms-update-b".to_owned()],
        }
    );
    let out = env
        .raw
        .kms
        .list_resource_tags()
        .key_id(&id)
        .send()
        .await
        .expect("ListResourceTags");
    let raw_tags: std::collections::BTreeMap<&str, &str> =
        out.tags().iter().map(|t| (t.tag_key(), t.tag_value())).collect();
    assert_eq!(raw_tags.get("team"), Some(&"ops"));
    assert_eq!(raw_tags.get("berth:deletion_window"), Some(&"10"));
    assert_eq!(raw_tags.get(STACK_TAG), Some(&stack));
    let out = env
        .raw
        .kms
        .get_key_policy()
        .key_id(&id)
        .policy_name("default")
        .send()
        .await
        .expect("GetKeyPolicy");
    assert!(out.policy().is_some_and(|d| d.contains("berth-test")), "{out:?}");
    assert_same(&read(p, stack).await, &one(&updated));

    // Enabled again with rotation off, the policy left out (the key keeps
    // it) and the default window (its tag removed).
    let back = key(&[("description", s("second"))]);
    let again = p.update(stack, &updated, &back).await.expect("update");
    assert_eq!(again.attrs["policy"], updated.attrs["policy"]);
    let now = held(&env, &id).await;
    assert!(now.enabled && !now.rotation && now.aliases.is_empty(), "{now:?}");
    let out = env
        .raw
        .kms
        .list_resource_tags()
        .key_id(&id)
        .send()
        .await
        .expect("ListResourceTags");
    assert!(
        out.tags()
            .iter()
            .all(|t| t.tag_key() != "berth:deletion_window" && t.tag_key() != "team"),
        "{out:?}"
    );
    assert_same(&read(p, stack).await, &one(&again));
}

#[tokio::test]
async fn a_key_is_imported_by_its_alias_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "kms-import";
    let kms = &env.raw.kms;
    let id = made_by_hand(&env, "made by hand", "alias/legacy").await;

    let address = Address::new(Kind::KmsKey, "legacy");
    let found = p
        .read_one(&address, "alias/legacy")
        .await
        .expect("read_one")
        .expect("the key");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(text(r, "key_id"), id);
    assert_eq!(r.attrs["description"], s("made by hand"));
    assert_eq!(r.attrs["aliases"], list(vec![s("alias/legacy")]));
    assert!(
        matches!(r.attrs["policy"], Value::Map(_)),
        "KMS's default policy: {r:?}"
    );
    assert!(
        p.read_one(&address, "alias/nothing")
            .await
            .expect("read_one")
            .is_none(),
        "an alias no key holds"
    );

    p.adopt(stack, r).await.expect("adopt");
    let out = kms
        .list_resource_tags()
        .key_id(&id)
        .send()
        .await
        .expect("ListResourceTags");
    assert!(
        out.tags()
            .iter()
            .any(|t| t.tag_key() == ADDRESS_TAG && t.tag_value() == "kms_key.legacy"),
        "{out:?}"
    );
    assert_same(&read(p, stack).await, &one(r));
}
