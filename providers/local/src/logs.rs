//! CloudWatch Logs: log groups.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::{Address, Attrs, Kind, ProviderError, Value, kms};

use crate::api::{fail, invalid};
use crate::attrs::{blocks_of, int_of, str_of};
use crate::sim::Sim;
use berth_provider::naming;

/// The retention periods AWS accepts, in days.
pub(crate) const RETENTION_DAYS: [i64; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/// A log group's metric filters, nested blocks of it.
const FILTERS: &str = "metric_filter";

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

/// A log group's metric filters as PutMetricFilter takes them: at most
/// 100, each name once, at most 512 characters without `:` or `*`, a
/// pattern of at most 1024, a metric named in a namespace, at most 3
/// dimensions and no default value beside them.
fn check_filters(attrs: &Attrs) -> Result<(), ProviderError> {
    let call = "PutMetricFilter";
    let bad = |message: String| invalid(Kind::LogGroup, call, message);
    let filters = blocks_of(attrs, FILTERS);
    if filters.len() > 100 {
        return Err(fail(
            call,
            "LimitExceededException",
            "Resource limit exceeded: a log group has at most 100 metric filters.",
        ));
    }
    let mut names = BTreeSet::new();
    for f in filters {
        let name = str_of(f, "name").unwrap_or_default();
        if name.is_empty() || name.chars().count() > 512 || name.contains([':', '*']) {
            return Err(bad(format!(
                "1 validation error detected: Value '{name}' at 'filterName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]{{1,512}}"
            )));
        }
        if !names.insert(name) {
            return Err(bad(format!("The metric filter {name} is given twice.")));
        }
        if str_of(f, "pattern").unwrap_or_default().chars().count() > 1024 {
            return Err(bad(
                "1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024".to_owned(),
            ));
        }
        for t in blocks_of(f, "metric_transformation") {
            for (field, key) in [("metricName", "name"), ("metricNamespace", "namespace")] {
                let value = str_of(t, key).unwrap_or_default();
                if value.is_empty() || value.chars().count() > 255 || value.contains([':', '*', '$']) {
                    return Err(bad(format!(
                        "1 validation error detected: Value '{value}' at 'metricTransformations.1.member.{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*$]{{1,255}}"
                    )));
                }
            }
            let dimensions = t.get("dimensions").and_then(Value::as_map).map_or(0, |d| d.len());
            if dimensions > 3 {
                return Err(bad("A metric filter has at most 3 dimensions.".to_owned()));
            }
            if dimensions > 0 && t.get("default_value").is_some_and(|v| *v != Value::Null) {
                return Err(bad(
                    "Invalid metric transformation: default value and dimensions are mutually exclusive."
                        .to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// The calls that make `new`'s metric filters of `old`'s: PutMetricFilter
/// per filter added or changed, DeleteMetricFilter per one gone.
fn put_filters(sim: &mut Sim, old: &Attrs, new: &Attrs) {
    let by_name = |a: &Attrs| -> BTreeMap<String, Attrs> {
        blocks_of(a, FILTERS)
            .into_iter()
            .map(|f| (str_of(f, "name").unwrap_or_default().to_owned(), f.clone()))
            .collect()
    };
    let (had, wanted) = (by_name(old), by_name(new));
    for (name, f) in &wanted {
        if had.get(name) != Some(f) {
            sim.call("PutMetricFilter");
        }
    }
    for _gone in had.keys().filter(|n| !wanted.contains_key(*n)) {
        sim.call("DeleteMetricFilter");
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
    check_filters(&attrs)?;
    put_filters(sim, &Attrs::new(), &attrs);
    check_retention("PutRetentionPolicy", &attrs)?;
    if int_of(&attrs, "retention_days").is_some() {
        sim.call("PutRetentionPolicy");
    }
    let arn = sim.arn("logs", &format!("log-group:{name}"));
    Ok(sim.insert_named(Kind::LogGroup, arn, name, tags, attrs, false))
}

/// Changes the retention and the KMS key of a log group.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    if old.get(FILTERS) != new.get(FILTERS) {
        check_filters(new)?;
        put_filters(sim, old, new);
    }
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
