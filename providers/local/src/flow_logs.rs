//! VPC flow logs with EC2's rules. CreateFlowLogs takes one VPC or subnet
//! that exists (`InvalidVpcID.NotFound`, `InvalidSubnetID.NotFound`), a
//! traffic type of `ALL`, `ACCEPT` or `REJECT` and a destination type of
//! `cloud-watch-logs` or `s3` (`InvalidParameterValue`), an aggregation
//! interval of 60 or 600 seconds; a log group (by name or by ARN) with the
//! role VPC Flow Logs assumes, or an S3 bucket's ARN without a role
//! (`InvalidParameter`). A second flow log of the same resource, traffic
//! type and destination is refused (`FlowLogAlreadyExists`). AWS fills in
//! what was left out: its default record format, and the log group's ARN
//! given its name or its name given its ARN. A ClientToken seen before
//! returns the flow log it made. Flow logs go with their VPC or subnet:
//! they do not stop its deletion.

use std::collections::BTreeMap;

use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::{int_of, str_of};
use crate::ids;
use crate::sim::Sim;

/// The record format AWS gives a flow log created without one: version
/// 2's fields.
const DEFAULT_FORMAT: &str = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

/// The traffic a flow log may capture.
const TRAFFIC_TYPES: [&str; 3] = ["ALL", "ACCEPT", "REJECT"];

/// One of the two destination types berth's `flow_log` takes (AWS's
/// Kinesis Data Firehose one is not among them): a log group.
const CLOUD_WATCH_LOGS: &str = "cloud-watch-logs";
/// The other: an S3 bucket.
const S3: &str = "s3";

/// The aggregation intervals AWS takes, in seconds.
const INTERVALS: [i64; 2] = [60, 600];

fn bad(call: &str, message: impl Into<String>) -> ProviderError {
    fail(call, "InvalidParameter", message)
}

fn bad_value(call: &str, value: &str, param: &str, valid: &[&str]) -> ProviderError {
    fail(
        call,
        "InvalidParameterValue",
        format!(
            "Value ({value}) for parameter {param} is invalid. Valid values: {}",
            valid.join(", ")
        ),
    )
}

/// The name of the log group `arn` (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`,
/// with or without CloudWatch Logs' `:*`), if it is one.
fn log_group_in(arn: &str) -> Option<&str> {
    let mut parts = arn.strip_prefix("arn:aws:logs:")?.splitn(4, ':');
    let (region, account) = (parts.next()?, parts.next()?);
    let name = match (parts.next()?, parts.next()?) {
        ("log-group", rest) => rest.strip_suffix(":*").unwrap_or(rest),
        _ => return None,
    };
    let valid = !region.is_empty() && !account.is_empty() && !name.is_empty() && !name.contains(':');
    valid.then_some(name)
}

/// Whether `arn` is an S3 bucket's (`arn:aws:s3:::BUCKET`, with an
/// optional `/PREFIX`) and the bucket's name keeps to S3's rules.
fn is_bucket_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:aws:s3:::") else {
        return false;
    };
    let bucket = rest.split('/').next().unwrap_or_default();
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge(bucket.chars().next())
        && edge(bucket.chars().last())
}

/// The log group's name (for CloudWatch Logs) and the ARN a flow log
/// writes to, as AWS answers them, from the destination given.
fn destination(
    sim: &Sim,
    call: &str,
    attrs: &Attrs,
    s3: bool,
) -> Result<(Option<String>, String), ProviderError> {
    let (group, arn) = (str_of(attrs, "log_group"), str_of(attrs, "destination"));
    let role = str_of(attrs, "iam_role");
    if s3 {
        if group.is_some() {
            return Err(bad(
                call,
                "LogDestination type must be cloud-watch-logs if LogGroupName is provided.",
            ));
        }
        if role.is_some() {
            return Err(bad(
                call,
                "DeliverLogsPermissionArn is not applicable for s3 delivery",
            ));
        }
        let Some(arn) = arn else {
            return Err(bad(
                call,
                "LogDestination can't be empty if LogDestinationType is s3.",
            ));
        };
        if !is_bucket_arn(arn) {
            return Err(bad(
                call,
                format!("LogDestination: {arn} is not a valid S3 bucket ARN (arn:aws:s3:::BUCKET[/PREFIX])"),
            ));
        }
        return Ok((None, arn.to_owned()));
    }
    if role.is_none() {
        return Err(bad(
            call,
            "DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.",
        ));
    }
    // A log group given by name need not exist yet: VPC Flow Logs makes it
    // at the first delivery, with the role's permission.
    match (group, arn) {
        (None, None) => Err(bad(
            call,
            "LogDestination can't be empty if LogGroupName is not provided.",
        )),
        (Some(name), None) => Ok((
            Some(name.to_owned()),
            sim.arn("logs", &format!("log-group:{name}")),
        )),
        (group, Some(arn)) => {
            let Some(name) = log_group_in(arn) else {
                return Err(bad(
                    call,
                    format!("LogDestination: {arn} is not a valid CloudWatch Logs log group ARN"),
                ));
            };
            // Both given (a flow log read back holds both): AWS takes one,
            // so they must name the same log group.
            if group.is_some_and(|g| g != name) {
                return Err(bad(
                    call,
                    "Please only provide LogGroupName or only provide LogDestination.",
                ));
            }
            Ok((Some(name.to_owned()), arn.to_owned()))
        }
    }
}

/// What a flow log writes to, for comparing two: its log group's name, or
/// its bucket's ARN.
fn target(attrs: &Attrs) -> Option<&str> {
    str_of(attrs, "log_group").or_else(|| str_of(attrs, "destination"))
}

/// CreateFlowLogs; returns the key (the id).
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    mut attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    let call = "CreateFlowLogs";
    sim.call(call);
    let (kind, resource) = match (str_of(&attrs, "vpc"), str_of(&attrs, "subnet")) {
        (Some(vpc), None) => (Kind::Vpc, vpc.to_owned()),
        (None, Some(subnet)) => (Kind::Subnet, subnet.to_owned()),
        (Some(_), Some(_)) => {
            return Err(bad(
                call,
                "ResourceIds: a flow log is of one resource type, a VPC or a subnet",
            ));
        }
        (None, None) => {
            return Err(fail(
                call,
                "MissingParameter",
                "The request must contain the parameter ResourceIds",
            ));
        }
    };
    let traffic = str_of(&attrs, "traffic_type")
        .unwrap_or_default()
        .to_ascii_uppercase();
    if !TRAFFIC_TYPES.contains(&traffic.as_str()) {
        return Err(bad_value(call, &traffic, "TrafficType", &TRAFFIC_TYPES));
    }
    let destination_type = str_of(&attrs, "destination_type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ![CLOUD_WATCH_LOGS, S3].contains(&destination_type.as_str()) {
        return Err(bad_value(
            call,
            &destination_type,
            "LogDestinationType",
            &[CLOUD_WATCH_LOGS, S3],
        ));
    }
    let interval = int_of(&attrs, "max_aggregation_interval").unwrap_or_default();
    if !INTERVALS.contains(&interval) {
        return Err(bad(call, "Invalid Flow Log Max Aggregation Interval"));
    }
    let (group, arn) = destination(sim, call, &attrs, destination_type == S3)?;
    let format = str_of(&attrs, "log_format").unwrap_or(DEFAULT_FORMAT).to_owned();
    // The whole request as AWS holds it: a retry of one made by name and
    // of its read-back (name and ARN) is the same request.
    let role = str_of(&attrs, "iam_role").unwrap_or_default().to_owned();
    let interval_text = interval.to_string();
    let parts: [&str; 7] = [
        resource.as_str(),
        &traffic,
        &destination_type,
        &arn,
        &role,
        &interval_text,
        &format,
    ];
    let token = naming::client_token(stack, address, &parts);
    if let Some(key) = sim.st.client_tokens.get(&token)
        && sim.rec(key).is_some()
    {
        return Ok(key.clone());
    }
    let (resource, _) = sim.need(kind, &resource, call)?;
    let field = if kind == Kind::Vpc { "vpc" } else { "subnet" };
    let wanted = group.as_deref().unwrap_or(&arn);
    let duplicate = sim.all(Kind::FlowLog).any(|(_, r)| {
        str_of(&r.attrs, field) == Some(resource.as_str())
            && str_of(&r.attrs, "traffic_type").is_some_and(|t| t.eq_ignore_ascii_case(&traffic))
            && target(&r.attrs) == Some(wanted)
    });
    if duplicate {
        return Err(fail(
            call,
            "FlowLogAlreadyExists",
            "Error. There is an existing Flow Log with the same configuration and log destination.",
        ));
    }
    let id = sim.fresh(|rng| ids::ec2_id(rng, "fl"));
    attrs.insert(field.to_owned(), Value::String(resource));
    attrs.insert("log_group".to_owned(), group.map_or(Value::Null, Value::String));
    attrs.insert("destination".to_owned(), Value::String(arn));
    attrs.insert("log_format".to_owned(), Value::String(format));
    attrs.insert("id".to_owned(), Value::String(id.clone()));
    sim.set_token(token, id.clone());
    sim.insert(&id, Kind::FlowLog, tags, attrs, false);
    Ok(id)
}

/// DeleteFlowLogs.
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteFlowLogs");
    sim.remove(key);
    Ok(())
}

/// Deletes the flow logs of the VPC or subnet `resource`, which is being
/// deleted: AWS takes them with it rather than refusing.
pub(crate) fn go_with(sim: &mut Sim, resource: &str) {
    let logs: Vec<String> = sim
        .all(Kind::FlowLog)
        .filter(|(_, r)| {
            ["vpc", "subnet"]
                .iter()
                .any(|f| str_of(&r.attrs, f) == Some(resource))
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in logs {
        sim.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_read_as_aws_reads_them() {
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/s/flow";
        assert_eq!(log_group_in(arn), Some("/ecs/s/flow"));
        assert_eq!(log_group_in(&format!("{arn}:*")), Some("/ecs/s/flow"));
        assert_eq!(
            log_group_in("arn:aws:logs:us-east-1:123456789012:log-group:"),
            None
        );
        assert_eq!(
            log_group_in("arn:aws:logs:us-east-1:123456789012:destination:d"),
            None
        );
        assert_eq!(log_group_in("arn:aws:s3:::bucket"), None);
        assert!(is_bucket_arn("arn:aws:s3:::flow-logs"));
        assert!(is_bucket_arn("arn:aws:s3:::flow-logs/vpc/main"));
        assert!(!is_bucket_arn("flow-logs"));
        assert!(!is_bucket_arn("arn:aws:s3:::Flow_Logs"));
        assert!(!is_bucket_arn("arn:aws:s3:::ab"));
        assert!(!is_bucket_arn("arn:aws:s3:::-flow"));
    }
}
