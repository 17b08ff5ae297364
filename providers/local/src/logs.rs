//! CloudWatch Logs: log groups.

use std::collections::BTreeMap;

use berth_provider::{Address, Attrs, Kind, ProviderError, kms};

use crate::api::{fail, invalid};
use crate::attrs::{int_of, str_of};
use crate::sim::Sim;
use berth_provider::naming;

/// The retention periods AWS accepts, in days.
pub(crate) const RETENTION_DAYS: [i64; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/// The log group classes CloudWatch Logs has.
const CLASSES: [&str; 3] = ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"];

/// CloudWatch Logs' answer to `value` of `field` outside its `set`.
fn not_in_set(
    call: &str,
    field: &str,
    value: impl std::fmt::Display,
    set: impl std::fmt::Debug,
) -> ProviderError {
    invalid(
        Kind::LogGroup,
        call,
        format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy enum value set: {set:?}"
        ),
    )
}

fn check_retention(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    match int_of(attrs, "retention_days") {
        Some(days) if !RETENTION_DAYS.contains(&days) => {
            Err(not_in_set(call, "retentionInDays", days, RETENTION_DAYS))
        }
        _ => Ok(()),
    }
}

fn check_class(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    match str_of(attrs, "class") {
        Some(class) if !CLASSES.contains(&class) => Err(not_in_set(call, "logGroupClass", class, CLASSES)),
        _ => Ok(()),
    }
}

/// CloudWatch Logs takes a KMS key by its ARN only.
fn check_kms_key(call: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    match str_of(attrs, "kms_key") {
        Some(key) if !(key.starts_with("arn:") && key.contains(":kms:") && key.contains(":key/")) => {
            Err(invalid(
                Kind::LogGroup,
                call,
                format!("Specified KMS key {key} is not a valid KMS key ARN"),
            ))
        }
        _ => Ok(()),
    }
}

/// CloudWatch Logs uses a key of the account only when its policy lets
/// the service: KMS's default policy does not.
fn check_key_use(sim: &Sim, call: &str, name: &str, attrs: &Attrs) -> Result<(), ProviderError> {
    let Some(key) = str_of(attrs, "kms_key") else {
        return Ok(());
    };
    let policy = sim
        .find(Kind::KmsKey, key)
        .and_then(|k| sim.rec(&k))
        .and_then(|r| r.attrs.get("policy"));
    match policy {
        Some(policy) if !kms::lets_logs_use(policy) => Err(invalid(
            Kind::LogGroup,
            call,
            format!(
                "The specified KMS key does not exist or is not allowed to be used with Arn '{}'",
                sim.arn("logs", &format!("log-group:{name}"))
            ),
        )),
        _ => Ok(()),
    }
}

/// Creates a log group named `/ecs/{stack}/{name}`; returns its key (ARN).
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateLogGroup";
    sim.call(call);
    let name = naming::given(&attrs, "name").map_or_else(|| naming::log_group(stack, address), str::to_owned);
    if sim.find(Kind::LogGroup, &name).is_some() {
        return Err(fail(
            call,
            "ResourceAlreadyExistsException",
            "The specified log group already exists",
        ));
    }
    check_kms_key(call, &attrs)?;
    check_key_use(sim, call, &name, &attrs)?;
    check_class(call, &attrs)?;
    check_retention("PutRetentionPolicy", &attrs)?;
    if int_of(&attrs, "retention_days").is_some() {
        sim.call("PutRetentionPolicy");
    }
    let arn = sim.arn("logs", &format!("log-group:{name}"));
    Ok(sim.insert_named(Kind::LogGroup, arn, name, tags, attrs, false))
}

/// Changes the retention and the KMS key of a log group.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    if old.get("kms_key") != new.get("kms_key") {
        let call = if str_of(new, "kms_key").is_some() {
            "AssociateKmsKey"
        } else {
            "DisassociateKmsKey"
        };
        check_kms_key(call, new)?;
        check_key_use(sim, call, str_of(new, "name").unwrap_or_default(), new)?;
        sim.call(call);
    }
    if old.get("retention_days") != new.get("retention_days") {
        check_retention("PutRetentionPolicy", new)?;
        let call = if int_of(new, "retention_days").is_some() {
            "PutRetentionPolicy"
        } else {
            "DeleteRetentionPolicy"
        };
        sim.call(call);
    }
    Ok(())
}

/// Deletes a log group.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteLogGroup");
    sim.remove(key);
    Ok(())
}
