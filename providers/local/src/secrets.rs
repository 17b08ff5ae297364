//! Secrets Manager secrets, with CreateSecret's and DeleteSecret's rules.
//! A deleted secret is kept, scheduled for deletion, for its recovery
//! window (its name taken meanwhile), unless the window is 0: as on AWS,
//! a create of that name then fails, except that berth restores a secret
//! it made itself at the same address (what `destroy` then `apply` does).
//! The value is kept as given (AWS keeps it encrypted; this file is the
//! account).

use std::collections::BTreeMap;

use berth_provider::attrs::{int_of, str_of};
use berth_provider::secret::{VALUE_MAX, valid_window};
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::ids;
use crate::model::INACTIVE;
use crate::sim::Sim;

/// Creates a secret named `{stack}/{name}` unless the configuration names
/// it, or restores the one berth made at this address and deleted within
/// its recovery window; returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateSecret";
    sim.call(call);
    check(call, &attrs)?;
    let name = naming::given(&attrs, "name").map_or_else(|| naming::secret(stack, address), str::to_owned);
    let existing = sim
        .all(Kind::Secret)
        .find(|(_, r)| str_of(&r.attrs, "name") == Some(name.as_str()))
        .map(|(k, r)| (k.clone(), r.is_inactive(), r.same_address(&tags)));
    let arn = match existing {
        Some((_, false, _)) => {
            return Err(fail(
                call,
                "ResourceExistsException",
                format!("The operation failed because the secret {name} already exists."),
            ));
        }
        Some((key, true, true)) => {
            sim.call("RestoreSecret");
            sim.call("UpdateSecret");
            sim.remove(&key);
            key
        }
        Some((_, true, false)) => {
            return Err(fail(
                call,
                "InvalidRequestException",
                "You can't create this secret because a secret with this name is already scheduled for deletion.",
            ));
        }
        None => {
            let prefix = sim.arn("secretsmanager", &format!("secret:{name}-"));
            sim.fresh(|rng| format!("{prefix}{}", ids::hex(rng, 6)))
        }
    };
    Ok(sim.insert_named(Kind::Secret, arn, name, tags, attrs, false))
}

/// UpdateSecret (description, key) and PutSecretValue (value); left out,
/// the value stays whatever it is.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    if new.get("value").is_none_or(|v| *v == Value::Null) {
        new.insert(
            "value".to_owned(),
            old.get("value").cloned().unwrap_or(Value::Null),
        );
    }
    if ["description", "kms_key"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k))
    {
        sim.call("UpdateSecret");
    }
    if old.get("value") != new.get("value") {
        sim.call("PutSecretValue");
    }
    check("UpdateSecret", new)
}

/// DeleteSecret: at once with a window of 0, else scheduled (the secret
/// stays, unread, its name taken).
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteSecret");
    let window = sim
        .rec(key)
        .and_then(|r| int_of(&r.attrs, "recovery_window_days"))
        .unwrap_or(30);
    if window == 0 {
        sim.remove(key);
    } else if let Some(rec) = sim.rec_mut(key) {
        rec.status = Some(INACTIVE.to_owned());
    }
    Ok(())
}

fn check(call: &str, a: &Attrs) -> Result<(), ProviderError> {
    let invalid = |message: String| fail(call, "InvalidParameterException", message);
    if str_of(a, "value").is_some_and(|v| v.len() > VALUE_MAX) {
        return Err(invalid("SecretString must not exceed 65536 bytes.".to_owned()));
    }
    if int_of(a, "recovery_window_days").is_some_and(|d| !valid_window(d)) {
        return Err(invalid(
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).".to_owned(),
        ));
    }
    Ok(())
}
