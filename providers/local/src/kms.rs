//! KMS keys, with CreateKey's, the alias calls' and ScheduleKeyDeletion's
//! rules ([`berth_provider::kms`]). A key has no name: its aliases name
//! it, each held by one key of the account and region. Destroyed, a key
//! loses its aliases (berth deletes them, so a successor may take them)
//! and is kept, scheduled for deletion, for its window: a create at the
//! same address restores it (CancelKeyDeletion), keeping its id and ARN,
//! so that what it encrypted stays readable. A replacement, made while its
//! predecessor still lives, takes over the predecessor's aliases
//! (UpdateAlias; DeleteAlias and CreateAlias when the two keys are of
//! types KMS moves no alias between). Keys are not deleted when their
//! window ends: the file keeps no clock.

use std::collections::BTreeMap;

use berth_provider::attrs::{bool_of, int_of, str_of, strs_of};
use berth_provider::kms::{self, WINDOW};
use berth_provider::policy;
use berth_provider::schema::Update;
use berth_provider::{Attrs, Kind, ProviderError, Value};

use crate::api::{fail, invalid};
use crate::ids;
use crate::model::INACTIVE;
use crate::sim::Sim;

const CREATE: &str = "CreateKey";

/// The longest description KMS takes, in characters.
const DESCRIPTION_MAX: usize = 8192;

/// The longest key policy KMS takes, in characters of its JSON text.
const POLICY_MAX: usize = 32_768;

/// Creates a key, or restores the one berth made at this address and
/// scheduled for deletion (of the same spec, usage and regionality; the
/// newest, when a replaced one is pending too), set as configured; gives
/// it its aliases. Returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CREATE);
    check(CREATE, &attrs)?;
    let want = strs_of(&attrs, "aliases");
    let deleted = sim
        .all(Kind::KmsKey)
        .filter(|(_, r)| r.is_inactive() && r.same_address(&tags) && same_material(&r.attrs, &attrs))
        .max_by(|(_, a), (_, b)| a.created.cmp(&b.created))
        .map(|(k, r)| (k.clone(), r.attrs.clone()));
    let (key, had) = match deleted {
        Some((key, old)) => {
            restore(sim, &key, &old, attrs, tags)?;
            (key, strs_of(&old, "aliases"))
        }
        None => (make(sim, attrs, tags)?, Vec::new()),
    };
    aliases(sim, &key, &had, &want)?;
    Ok(key)
}

/// Whether a deleted key's immutable attributes are the configured ones:
/// only then is restoring it what the configuration asks for.
fn same_material(deleted: &Attrs, attrs: &Attrs) -> bool {
    Kind::KmsKey
        .schema()
        .attrs
        .iter()
        .filter(|a| a.update == Update::Replace && !a.is_computed())
        .all(|a| deleted.get(a.name) == attrs.get(a.name))
}

/// A new key: an id (`mrk-` and 32 hex digits for a multi-Region key, a
/// UUID otherwise), KMS's default policy unless one is given; then
/// rotation and state as configured.
fn make(sim: &mut Sim, mut attrs: Attrs, tags: BTreeMap<String, String>) -> Result<String, ProviderError> {
    let prefix = sim.arn("kms", "key/");
    let multi = bool_of(&attrs, "multi_region");
    let arn = sim.fresh(|rng| {
        let id = if multi {
            format!("mrk-{}", ids::hex(rng, 32))
        } else {
            ids::uuid(rng)
        };
        format!("{prefix}{id}")
    });
    let id = arn.strip_prefix(&prefix).unwrap_or(&arn).to_owned();
    if attrs.get("policy").is_none_or(|p| *p == Value::Null) {
        attrs.insert("policy".to_owned(), default_policy(&sim.st.account));
    }
    attrs.insert("arn".to_owned(), Value::String(arn.clone()));
    attrs.insert("key_id".to_owned(), Value::String(id));
    // CreateKey makes an enabled key that does not rotate, with the
    // description and policy given.
    let mut made = attrs.clone();
    made.insert("enabled".to_owned(), Value::Bool(true));
    made.insert("rotation".to_owned(), Value::Bool(false));
    settle(sim, &made, &attrs)?;
    sim.insert(&arn, Kind::KmsKey, tags, attrs, false);
    Ok(arn)
}

/// CancelKeyDeletion, which leaves the key disabled, and EnableKey (a
/// disabled key's rotation cannot change: it is disabled again last when
/// configured so), then the calls that set it as configured; a policy left
/// out keeps the one it has.
fn restore(
    sim: &mut Sim,
    key: &str,
    old: &Attrs,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    sim.call("CancelKeyDeletion");
    sim.call("EnableKey");
    if attrs.get("policy").is_none_or(|p| *p == Value::Null) {
        let kept = old
            .get("policy")
            .cloned()
            .unwrap_or_else(|| default_policy(&sim.st.account));
        attrs.insert("policy".to_owned(), kept);
    }
    for computed in ["arn", "key_id"] {
        attrs.insert(
            computed.to_owned(),
            old.get(computed).cloned().unwrap_or(Value::Null),
        );
    }
    let mut enabled = old.clone();
    enabled.insert("enabled".to_owned(), Value::Bool(true));
    settle(sim, &enabled, &attrs)?;
    // The window is a tag on AWS: one TagResource sets it with the rest.
    let retagged = sim.rec(key).is_some_and(|r| r.tags != tags) || window_changed(old, &attrs);
    if retagged {
        sim.call("TagResource");
    }
    if let Some(rec) = sim.rec_mut(key) {
        rec.status = None;
        rec.attrs = attrs;
        rec.tags = tags;
    }
    Ok(())
}

/// Changes a key in place: the same rules as CreateKey's, then
/// UpdateKeyDescription, PutKeyPolicy, rotation, state and aliases as they
/// change (tags: `cloud.rs`).
pub(crate) fn update(sim: &mut Sim, key: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    check("UpdateKeyDescription", new)?;
    settle(sim, old, new)?;
    // The window is a tag on AWS (`cloud.rs` counts the user's).
    if window_changed(old, new) {
        sim.call("TagResource");
    }
    aliases(sim, key, &strs_of(old, "aliases"), &strs_of(new, "aliases"))
}

/// Whether the deletion window changes: on AWS, berth's tag for it.
fn window_changed(old: &Attrs, new: &Attrs) -> bool {
    old.get("deletion_window_days") != new.get("deletion_window_days")
}

/// The calls that bring a key's description, policy, rotation and state
/// from `old` to `new`: EnableKey first and DisableKey last, as KMS
/// refuses to change the rotation of a disabled key
/// (KMSInvalidStateException).
fn settle(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let changed = |k: &str| old.get(k) != new.get(k);
    let (was, is) = (bool_of(old, "enabled"), bool_of(new, "enabled"));
    if changed("description") {
        sim.call("UpdateKeyDescription");
    }
    if changed("policy") {
        sim.call("PutKeyPolicy");
    }
    if is && !was {
        sim.call("EnableKey");
    }
    if changed("rotation") {
        let call = if bool_of(new, "rotation") {
            "EnableKeyRotation"
        } else {
            "DisableKeyRotation"
        };
        sim.call(call);
        if !was && !is {
            let arn = str_of(old, "arn").unwrap_or_default();
            return Err(fail(
                call,
                "KMSInvalidStateException",
                format!("{arn} is disabled."),
            ));
        }
    }
    if was && !is {
        sim.call("DisableKey");
    }
    Ok(())
}

/// Gives the key at `key` the aliases of `want` it lacks, and deletes
/// those of `had` it no longer wants. Aliases are the account's names: one
/// another key holds is refused, unless that key is berth's at the same
/// address (the key this one replaces), which loses it: UpdateAlias when
/// KMS lets the alias move between the two, else DeleteAlias and
/// CreateAlias.
fn aliases(sim: &mut Sim, key: &str, had: &[String], want: &[String]) -> Result<(), ProviderError> {
    let Some((tags, mine)) = sim.rec(key).map(|r| (r.tags.clone(), r.attrs.clone())) else {
        return Ok(());
    };
    for name in want.iter().filter(|a| !had.contains(a)) {
        let holder = sim
            .all(Kind::KmsKey)
            .find(|(k, r)| k.as_str() != key && strs_of(&r.attrs, "aliases").contains(name))
            .map(|(k, r)| (k.clone(), r.same_address(&tags), movable(&r.attrs, &mine)));
        match holder {
            None => sim.call("CreateAlias"),
            Some((predecessor, true, movable)) => {
                if movable {
                    sim.call("UpdateAlias");
                } else {
                    sim.call("DeleteAlias");
                    sim.call("CreateAlias");
                }
                if let Some(attrs) = sim.attrs_mut(&predecessor) {
                    let left = strs_of(attrs, "aliases")
                        .into_iter()
                        .filter(|a| a != name)
                        .map(Value::String)
                        .collect();
                    attrs.insert("aliases".to_owned(), Value::List(left));
                }
            }
            Some((_, false, _)) => {
                sim.call("CreateAlias");
                return Err(fail(
                    "CreateAlias",
                    "AlreadyExistsException",
                    format!("An alias with the name {} already exists", sim.arn("kms", name)),
                ));
            }
        }
    }
    for _ in had.iter().filter(|a| !want.contains(a)) {
        sim.call("DeleteAlias");
    }
    Ok(())
}

/// Whether UpdateAlias may move an alias from the key with attributes
/// `from` to the one with `to`.
fn movable(from: &Attrs, to: &Attrs) -> bool {
    kms::alias_movable(spec_and_usage(from), spec_and_usage(to))
}

/// A key's spec and usage, KMS's defaults where left out.
fn spec_and_usage(a: &Attrs) -> (&str, &str) {
    (
        str_of(a, "spec").unwrap_or(kms::SYMMETRIC),
        str_of(a, "usage").unwrap_or(kms::ENCRYPT),
    )
}

/// DeleteAlias for each of the key's aliases (freed at once, as berth
/// frees them on AWS), then ScheduleKeyDeletion: the key stays, unread,
/// restorable by a create at its address.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    let aliases = sim
        .rec(key)
        .map(|r| strs_of(&r.attrs, "aliases"))
        .unwrap_or_default();
    for _ in &aliases {
        sim.call("DeleteAlias");
    }
    sim.call("ScheduleKeyDeletion");
    if let Some(rec) = sim.rec_mut(key) {
        rec.status = Some(INACTIVE.to_owned());
        rec.attrs.insert("aliases".to_owned(), Value::List(Vec::new()));
    }
    Ok(())
}

/// The key policy KMS gives a key created without one: the account's root
/// may do everything with it, so IAM policies decide who uses it.
fn default_policy(account: &str) -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
            "Action": "kms:*",
            "Resource": "*",
        }],
    }))
}

/// The rules CreateKey holds a key's configuration to, or `call` (an
/// update's) those parts it changes; rotation, a policy and aliases answer
/// as the calls that set them.
fn check(call: &str, a: &Attrs) -> Result<(), ProviderError> {
    let bad = |message: String| invalid(Kind::KmsKey, call, message);
    let spec = str_of(a, "spec").unwrap_or(kms::SYMMETRIC);
    let usage = str_of(a, "usage").unwrap_or(kms::ENCRYPT);
    let Some(allowed) = kms::usages(spec) else {
        return Err(bad(format!(
            "1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set"
        )));
    };
    if !kms::USAGES.contains(&usage) {
        return Err(bad(format!(
            "1 validation error detected: Value '{usage}' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            kms::USAGES.join(", ")
        )));
    }
    if !allowed.contains(&usage) {
        return Err(bad(format!(
            "KeyUsage {usage} is not compatible with KeySpec {spec}"
        )));
    }
    if bool_of(a, "rotation") && !kms::rotates(spec) {
        return Err(fail(
            "EnableKeyRotation",
            "UnsupportedOperationException",
            "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage.",
        ));
    }
    if str_of(a, "description").is_some_and(|d| d.chars().count() > DESCRIPTION_MAX) {
        return Err(bad(format!(
            "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to {DESCRIPTION_MAX}"
        )));
    }
    if let Some(days) = int_of(a, "deletion_window_days").filter(|d| !WINDOW.contains(d)) {
        return Err(bad(format!(
            "1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between {} and {}",
            WINDOW.start(),
            WINDOW.end()
        )));
    }
    if let Some(doc) = a.get("policy").filter(|p| **p != Value::Null) {
        check_policy(if call == CREATE { CREATE } else { "PutKeyPolicy" }, doc)?;
    }
    for name in strs_of(a, "aliases") {
        if let Some(fault) = kms::alias_fault(&name) {
            return Err(fail(
                "CreateAlias",
                "ValidationException",
                format!("Alias {name} is not valid: {fault}"),
            ));
        }
    }
    Ok(())
}

/// A key policy is a JSON object within KMS's length.
fn check_policy(call: &str, doc: &Value) -> Result<(), ProviderError> {
    let text = policy::to_json_text(doc);
    let object = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|j| j.is_object());
    if !object {
        return Err(fail(
            call,
            "MalformedPolicyDocumentException",
            "The key policy is not a JSON object.",
        ));
    }
    if text.chars().count() > POLICY_MAX {
        return Err(invalid(
            Kind::KmsKey,
            call,
            format!(
                "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to {POLICY_MAX}"
            ),
        ));
    }
    Ok(())
}
