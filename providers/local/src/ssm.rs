//! SSM Parameter Store: parameters put, overwritten and deleted, with
//! PutParameter's rules. The value is kept as given (AWS keeps a
//! `SecureString` encrypted; this file is the account).

use std::collections::BTreeMap;

use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::{fail, invalid};
use crate::attrs::str_of;
use crate::sim::Sim;

/// The key AWS encrypts a `SecureString` with when none is given.
const DEFAULT_KEY: &str = "alias/aws/ssm";

/// Puts a parameter named `/{stack}/{name}` unless the configuration names
/// it; returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "PutParameter";
    sim.call(call);
    let name =
        naming::given(&attrs, "name").map_or_else(|| naming::ssm_parameter(stack, address), str::to_owned);
    check_name(call, &name)?;
    check(call, &attrs)?;
    let arn = sim.arn("ssm", &format!("parameter/{}", name.trim_start_matches('/')));
    if sim.rec(&arn).is_some() {
        return Err(fail(
            call,
            "ParameterAlreadyExists",
            "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
        ));
    }
    default_key(&mut attrs);
    Ok(sim.insert_named(Kind::SsmParameter, arn, name, tags, attrs, false))
}

/// PutParameter with `Overwrite` when anything but the tags changed.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &mut Attrs) -> Result<(), ProviderError> {
    let call = "PutParameter";
    // Left out, a SecureString's key stays the one it has.
    if str_of(new, "kms_key").is_none() {
        new.insert(
            "kms_key".to_owned(),
            old.get("kms_key").cloned().unwrap_or(Value::Null),
        );
    }
    default_key(new);
    let changed = ["type", "value", "description", "kms_key", "allowed_pattern"]
        .iter()
        .any(|k| old.get(*k) != new.get(*k));
    if changed {
        sim.call(call);
        check(call, new)?;
    }
    Ok(())
}

pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteParameter");
    sim.remove(key);
    Ok(())
}

/// AWS's key for a `SecureString` given none; none for other types.
fn default_key(attrs: &mut Attrs) {
    let secure = str_of(attrs, "type") == Some("SecureString");
    match attrs.get("kms_key") {
        Some(Value::String(_)) if secure => {}
        _ if secure => {
            attrs.insert("kms_key".to_owned(), Value::from(DEFAULT_KEY));
        }
        _ => {
            attrs.insert("kms_key".to_owned(), Value::Null);
        }
    }
}

/// SSM's answer to `value` of `field` outside its `set`.
fn not_in_set(call: &str, field: &str, value: &str, set: &[&str]) -> ProviderError {
    invalid(
        Kind::SsmParameter,
        call,
        format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            set.join(", ")
        ),
    )
}

fn check_name(call: &str, name: &str) -> Result<(), ProviderError> {
    let first = name.trim_start_matches('/').to_ascii_lowercase();
    if first.starts_with("aws") || first.starts_with("ssm") {
        return Err(invalid(
            Kind::SsmParameter,
            call,
            "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).",
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_.-/".contains(c);
    if !name.chars().all(allowed) || (name.contains('/') && !name.starts_with('/')) {
        return Err(invalid(
            Kind::SsmParameter,
            call,
            "Parameter name must be a fully qualified name, or contain only a-zA-Z0-9_.-",
        ));
    }
    Ok(())
}

/// PutParameter's rules for a parameter's settings and value. Messages
/// never hold the value.
fn check(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let bad = |msg: String| Err(invalid(Kind::SsmParameter, call, msg));
    let ty = str_of(attrs, "type").unwrap_or("String");
    let types = ["SecureString", "StringList", "String"];
    if !types.contains(&ty) {
        return Err(not_in_set(call, "type", ty, &types));
    }
    let tier = str_of(attrs, "tier").unwrap_or("Standard");
    let tiers = ["Standard", "Advanced", "Intelligent-Tiering"];
    if !tiers.contains(&tier) {
        return Err(not_in_set(call, "tier", tier, &tiers));
    }
    if ty != "SecureString" && str_of(attrs, "kms_key").is_some() {
        return bad("KeyId is only allowed for SecureString parameters.".to_owned());
    }
    let value = str_of(attrs, "value").unwrap_or_default();
    if value.is_empty() {
        return bad(
            "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1".to_owned(),
        );
    }
    if tier == "Standard" && value.len() > 4096 {
        return bad("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.".to_owned());
    }
    if value.len() > 8192 {
        return bad(
            "Advanced tier parameters support a maximum parameter value of 8192 characters.".to_owned(),
        );
    }
    if let Some(pattern) = str_of(attrs, "allowed_pattern") {
        // A pattern of Java's syntax this engine lacks (look-around) is
        // not checked here; SSM would check it.
        if let Ok(re) = regex_lite::Regex::new(pattern)
            && !re.is_match(value)
        {
            return bad(format!(
                "Parameter value, cannot be validated against allowedPattern: {pattern}"
            ));
        }
    }
    Ok(())
}
