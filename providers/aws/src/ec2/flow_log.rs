//! VPC flow logs: CreateFlowLogs of one VPC or subnet (tagged, with a
//! ClientToken derived from the stack, the address and the request, so a
//! create sent again after a lost answer gives back the first flow log);
//! DescribeFlowLogs filtered on the stack's tag, or on the id adopted;
//! tags only in place; DeleteFlowLogs.

use aws_sdk_ec2::types::{
    Filter, FlowLog, FlowLogsResourceType, LogDestinationType, ResourceType, TrafficType, UnsuccessfulItem,
};
use berth_provider::{ADDRESS_TAG, Attrs, Kind, ProviderError, Resource, Value};

use super::{
    SERVICE, filter, finish, identity, need, pairs, scope_filter, settled, stack_filter, tag_spec,
    update_tags,
};
use crate::attrs::{attrs, complete, create_tags, i32_of, keep, opt_str, resource, str_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const CREATE: &str = "CreateFlowLogs";
const DESCRIBE: &str = "DescribeFlowLogs";
const GONE: &[&str] = &["InvalidFlowLogId.NotFound"];

/// What AWS settles when the configuration leaves it out: the log group's
/// name and ARN (AWS answers both whichever was given; moto answers the
/// one it was given) and its default record format.
const CHOSEN: [&str; 3] = ["log_group", "destination", "log_format"];

/// The resource a flow log watches: its VPC or its subnet.
fn target(a: &Attrs) -> Result<(FlowLogsResourceType, &str), ProviderError> {
    match (str_of(a, "vpc"), str_of(a, "subnet")) {
        (Some(vpc), None) => Ok((FlowLogsResourceType::Vpc, vpc)),
        (None, Some(subnet)) => Ok((FlowLogsResourceType::Subnet, subnet)),
        _ => Err(crate::errors::invalid(
            CREATE,
            "a flow log watches exactly one of `vpc` and `subnet`",
        )),
    }
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(desired.address.kind, &desired.attrs);
    let spec = tag_spec(
        ResourceType::VpcFlowLog,
        &create_tags(stack, &desired.address, &a),
    );
    let (kind, watched) = target(&a)?;
    let traffic = str_of(&a, "traffic_type").unwrap_or("ALL");
    let destination_type = str_of(&a, "destination_type").unwrap_or("cloud-watch-logs");
    let (group, destination) = (str_of(&a, "log_group"), str_of(&a, "destination"));
    let (role, format) = (str_of(&a, "iam_role"), str_of(&a, "log_format"));
    let interval = i32_of(&a, "max_aggregation_interval");
    let interval_text = interval.map(|i| i.to_string()).unwrap_or_default();
    // Every setting: AWS refuses a token sent again with another request.
    let token = p.tokens.for_create(
        stack,
        &desired.address,
        &[
            watched,
            traffic,
            destination_type,
            group.unwrap_or_default(),
            destination.unwrap_or_default(),
            role.unwrap_or_default(),
            &interval_text,
            format.unwrap_or_default(),
        ],
    );
    let ec2 = &p.clients.ec2;
    // AWS answers a resend with the flow log the unanswered attempt made
    // (the client token); moto ignores the token and refuses the resend as
    // a copy of that same flow log.
    let out = p
        .call_repeatable(SERVICE, CREATE, &["FlowLogAlreadyExists"], || {
            ec2.create_flow_logs()
                .resource_type(kind.clone())
                .resource_ids(watched)
                .traffic_type(TrafficType::from(traffic))
                .log_destination_type(LogDestinationType::from(destination_type))
                .set_log_group_name(group.map(str::to_owned))
                .set_log_destination(destination.map(str::to_owned))
                .set_deliver_logs_permission_arn(role.map(str::to_owned))
                .set_max_aggregation_interval(interval)
                .set_log_format(format.map(str::to_owned))
                .client_token(&token)
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let id = match out {
        Some(out) => {
            // CreateFlowLogs reports a failure per resource (an S3 bucket
            // that does not exist) in an answer that is no error.
            if let Some(item) = out.unsuccessful().first() {
                return Err(unsuccessful(CREATE, watched, item));
            }
            need(CREATE, out.flow_log_ids.and_then(|ids| ids.into_iter().next()))?
        }
        None => made_unanswered(p, stack, desired, watched).await?,
    };
    // Read back what AWS settled (the log group's name or ARN, the
    // default record format); one EC2 does not list yet leaves them to
    // the next read, which the plan takes as AWS's choice either way.
    let live = describe(p, filter("flow-log-id", &id))
        .await?
        .first()
        .and_then(decode);
    let computed = settled(id, &a, live, &CHOSEN);
    Ok(finish(desired, a, computed))
}

/// The flow log an unanswered CreateFlowLogs made for `desired` on
/// `watched`, found by its tags (they were in the call).
async fn made_unanswered(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
    watched: &str,
) -> Result<String, ProviderError> {
    let address = desired.address.to_string();
    let ec2 = &p.clients.ec2;
    let out = p
        .call(SERVICE, DESCRIBE, || {
            ec2.describe_flow_logs()
                .filter(stack_filter(stack))
                .filter(filter(&format!("tag:{ADDRESS_TAG}"), &address))
                .filter(filter("resource-id", watched))
                .send()
        })
        .await?;
    let found = out.flow_logs().iter().find_map(|f| f.flow_log_id());
    found.map(str::to_owned).ok_or_else(|| {
        ProviderError::permanent(
            CREATE,
            "FlowLogAlreadyExists",
            format!("{watched} already has a flow log of this configuration, and not one of {address}"),
        )
    })
}

/// The error of an `Unsuccessful` item of `call` about `id`, in AWS's
/// words (`LogDestination: BUCKET does not exist.`).
fn unsuccessful(call: &str, id: &str, item: &UnsuccessfulItem) -> ProviderError {
    let error = item.error();
    ProviderError::permanent(
        call,
        error.and_then(|e| e.code()).unwrap_or("Unsuccessful"),
        format!("{id}: {}", error.and_then(|e| e.message()).unwrap_or_default()),
    )
}

/// Only tags change in place.
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(live.address.kind, &desired.attrs);
    let old = &live.attrs;
    // Left out, AWS's choice stays.
    let chosen: Vec<&str> = CHOSEN
        .into_iter()
        .filter(|key| new.get(*key).is_none_or(|v| *v == Value::Null))
        .collect();
    keep(&mut new, old, &chosen);
    let id = identity(live)?;
    update_tags(p, &id, old, &new).await?;
    Ok(finish(live, new, attrs([("id", Value::String(id))])))
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let id = identity(live)?;
    let ec2 = &p.clients.ec2;
    let call = "DeleteFlowLogs";
    // moto fails a delete of a flow log that is gone; AWS answers it with
    // an Unsuccessful item saying so.
    let out = p
        .call_unless(SERVICE, call, GONE, || {
            ec2.delete_flow_logs().flow_log_ids(&id).send()
        })
        .await?;
    match out.as_ref().and_then(|o| o.unsuccessful().first()) {
        Some(item)
            if !item
                .error()
                .and_then(|e| e.code())
                .is_some_and(|c| GONE.contains(&c)) =>
        {
            Err(unsuccessful(call, &id, item))
        }
        _ => Ok(()),
    }
}

/// DescribeFlowLogs with `filter`, every page.
async fn describe(p: &AwsProvider, filter: Filter) -> Result<Vec<FlowLog>, ProviderError> {
    let ec2 = &p.clients.ec2;
    p.list(SERVICE, DESCRIBE, || {
        paginate!(ec2.describe_flow_logs().filter(filter.clone()), flow_logs)
    })
    .await
}

/// The berth attributes of a described flow log (tags and id aside), or
/// `None` for one of another resource than a VPC or a subnet (a network
/// interface's, a transit gateway's): not a kind berth makes.
fn decode(f: &FlowLog) -> Option<Attrs> {
    let watched = f.resource_id()?;
    let (vpc, subnet) = if watched.starts_with("vpc-") {
        (Value::from(watched), Value::Null)
    } else if watched.starts_with("subnet-") {
        (Value::Null, Value::from(watched))
    } else {
        return None;
    };
    Some(attrs([
        ("vpc", vpc),
        ("subnet", subnet),
        (
            "traffic_type",
            Value::from(f.traffic_type().map_or("ALL", |t| t.as_str())),
        ),
        (
            "destination_type",
            Value::from(
                f.log_destination_type()
                    .map_or("cloud-watch-logs", |t| t.as_str()),
            ),
        ),
        ("log_group", opt_str(f.log_group_name())),
        ("destination", opt_str(f.log_destination())),
        ("iam_role", opt_str(f.deliver_logs_permission_arn())),
        (
            "max_aggregation_interval",
            Value::Int(i64::from(f.max_aggregation_interval().unwrap_or(600))),
        ),
        ("log_format", opt_str(f.log_format())),
    ]))
}

/// The flow logs `scope` looks for: the stack's by tag, or the one
/// adopted by its id; those of VPCs and subnets only.
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let found = describe(p, scope_filter(scope, "flow-log-id")).await?;
    Ok(found
        .iter()
        .filter_map(|f| {
            let mut a = decode(f)?;
            let address = scope.address(Kind::FlowLog, pairs(f.tags()))?;
            a.insert("tags".to_owned(), user_tags(pairs(f.tags())));
            a.insert("id".to_owned(), Value::from(f.flow_log_id()?));
            Some(resource(address, a))
        })
        .collect())
}
