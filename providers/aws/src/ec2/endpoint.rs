//! VPC endpoints: CreateVpcEndpoint (tagged, with a ClientToken derived
//! from the stack, the address and the request, so a create sent again
//! after a recovery found nothing never makes a second endpoint on AWS),
//! waited for until `available`;
//! ModifyVpcEndpoint adds and removes route tables, subnets and security
//! groups and sets private DNS; DeleteVpcEndpoints, waited for until the
//! endpoint is gone so its network interfaces no longer hold the subnets
//! and groups deleted after it.

use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_ec2::types::{ResourceType, State, VpcEndpointType};
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value, policy};

use super::{SERVICE, finish, identity, need, pairs, settled, stack_filter, tag_spec, update_tags};
use crate::attrs::{attrs, complete, create_tags, resource, str_list, str_of, strs_of, user_tags};
use crate::errors::gone;
use crate::poll::Poll;
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const WAIT: Duration = Duration::from_secs(15 * 60);
const GONE: &[&str] = &["InvalidVpcEndpointId.NotFound"];

/// What AWS picks when the configuration leaves it out: the VPC's default
/// security group, private DNS on, the full-access policy.
const CHOSEN: [&str; 3] = ["security_groups", "private_dns", "policy"];

/// The policy document as EC2 takes it, when one is given.
fn document(a: &Attrs) -> Option<String> {
    a.get("policy")
        .filter(|v| **v != Value::Null)
        .map(policy::to_json_text)
}

fn opt_bool(a: &Attrs, key: &str) -> Option<bool> {
    match a.get(key) {
        Some(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(desired.address.kind, &desired.attrs);
    let tags = create_tags(stack, &desired.address, &a);
    let spec = tag_spec(ResourceType::VpcEndpoint, &tags);
    let vpc = str_of(&a, "vpc").unwrap_or_default();
    let service = str_of(&a, "service").unwrap_or_default();
    let kind = str_of(&a, "type").unwrap_or("Gateway");
    let (tables, subnets, groups) = (
        strs_of(&a, "route_tables"),
        strs_of(&a, "subnets"),
        strs_of(&a, "security_groups"),
    );
    let mut parts = vec![vpc.to_owned(), service.to_owned(), kind.to_owned()];
    parts.extend(subnets.iter().cloned());
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let token = p.tokens.for_create(stack, &desired.address, &parts);
    let interface = kind == "Interface";
    let ec2 = &p.clients.ec2;
    let call = "CreateVpcEndpoint";
    // Sent once: after no answer the apply looks for the endpoint by its
    // tags before sending it again (moto ignores the client token and
    // would make a second endpoint; AWS answers a resend with the first).
    let out = p
        .call_once(SERVICE, call, || {
            ec2.create_vpc_endpoint()
                .vpc_id(vpc)
                .service_name(service)
                .vpc_endpoint_type(VpcEndpointType::from(kind))
                .set_route_table_ids((!tables.is_empty()).then(|| tables.clone()))
                .set_subnet_ids((!subnets.is_empty()).then(|| subnets.clone()))
                .set_security_group_ids((!groups.is_empty()).then(|| groups.clone()))
                .set_private_dns_enabled(opt_bool(&a, "private_dns").filter(|_| interface))
                .set_policy_document(document(&a))
                .client_token(&token)
                .tag_specifications(spec.clone())
                .send()
        })
        .await?;
    let endpoint = out.vpc_endpoint.ok_or_else(|| crate::errors::missing(call))?;
    let id = need(call, endpoint.vpc_endpoint_id)?;
    wait(p, &id, false).await?;
    // Read back what AWS chose (default security group, private DNS,
    // the full-access policy).
    let live = describe(p, &id).await?.map(|e| decode(&e));
    let computed = settled(id, &a, live, &CHOSEN);
    Ok(finish(desired, a, computed))
}

async fn describe(
    p: &AwsProvider,
    id: &str,
) -> Result<Option<aws_sdk_ec2::types::VpcEndpoint>, ProviderError> {
    let ec2 = &p.clients.ec2;
    let out = p
        .call_unless(SERVICE, "DescribeVpcEndpoints", GONE, || {
            ec2.describe_vpc_endpoints().vpc_endpoint_ids(id).send()
        })
        .await?;
    Ok(out.and_then(|o| o.vpc_endpoints.unwrap_or_default().into_iter().next()))
}

/// Polls until the endpoint is `available` (or, with `gone`, deleted).
async fn wait(p: &AwsProvider, id: &str, gone: bool) -> Result<(), ProviderError> {
    let what = format!("{id} still not {}", if gone { "deleted" } else { "available" });
    let mut poll = Poll::new("DescribeVpcEndpoints", what, WAIT, Duration::from_secs(2));
    loop {
        let state = describe(p, id).await?.and_then(|e| e.state().map(state_name));
        match state.as_deref() {
            None | Some("deleted") if gone => return Ok(()),
            Some("available") if !gone => return Ok(()),
            Some("failed" | "rejected" | "deleted") | None => {
                return Err(ProviderError::permanent(
                    "CreateVpcEndpoint",
                    "VpcEndpointFailed",
                    format!("{id} is {}", state.as_deref().unwrap_or("gone")),
                ));
            }
            Some(now) => poll.pause(now).await?,
        }
    }
}

/// An endpoint's state in lower case: AWS's documentation capitalises the
/// values the SDK knows (`Available`), while the wire (and moto) carries
/// `available`, which the SDK keeps as an unknown variant.
fn state_name(state: &State) -> String {
    state.as_str().to_ascii_lowercase()
}

/// Added and removed items of a set attribute.
fn change(old: &Attrs, new: &Attrs, key: &str) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let before: BTreeSet<String> = strs_of(old, key).into_iter().collect();
    let after: BTreeSet<String> = strs_of(new, key).into_iter().collect();
    let add: Vec<String> = after.difference(&before).cloned().collect();
    let remove: Vec<String> = before.difference(&after).cloned().collect();
    (
        (!add.is_empty()).then_some(add),
        (!remove.is_empty()).then_some(remove),
    )
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = live.address.kind;
    let mut new = complete(kind, &desired.attrs);
    let old = &live.attrs;
    let id = identity(live)?;
    // Left out, AWS's choice stays.
    for key in CHOSEN {
        if new.get(key).is_none_or(|v| *v == Value::Null) {
            new.insert(key.to_owned(), old.get(key).cloned().unwrap_or(Value::Null));
        }
    }
    let (add_tables, remove_tables) = change(old, &new, "route_tables");
    let (add_subnets, remove_subnets) = change(old, &new, "subnets");
    let (add_groups, remove_groups) = change(old, &new, "security_groups");
    let dns = (old.get("private_dns") != new.get("private_dns"))
        .then(|| opt_bool(&new, "private_dns"))
        .flatten();
    let policy = (old.get("policy") != new.get("policy"))
        .then(|| document(&new))
        .flatten();
    let any = [
        &add_tables,
        &remove_tables,
        &add_subnets,
        &remove_subnets,
        &add_groups,
        &remove_groups,
    ]
    .iter()
    .any(|c| c.is_some())
        || dns.is_some()
        || policy.is_some();
    if any {
        let ec2 = &p.clients.ec2;
        p.call(SERVICE, "ModifyVpcEndpoint", || {
            ec2.modify_vpc_endpoint()
                .vpc_endpoint_id(&id)
                .set_add_route_table_ids(add_tables.clone())
                .set_remove_route_table_ids(remove_tables.clone())
                .set_add_subnet_ids(add_subnets.clone())
                .set_remove_subnet_ids(remove_subnets.clone())
                .set_add_security_group_ids(add_groups.clone())
                .set_remove_security_group_ids(remove_groups.clone())
                .set_private_dns_enabled(dns)
                .set_policy_document(policy.clone())
                .send()
        })
        .await?;
    }
    update_tags(p, &id, old, &new).await?;
    let computed = attrs([("id", Value::String(id))]);
    Ok(finish(live, new, computed))
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let id = identity(live)?;
    let ec2 = &p.clients.ec2;
    let call = "DeleteVpcEndpoints";
    // moto answers a delete sent again, after one that took effect but
    // went unanswered, by failing to remove the gateway endpoint's routes
    // a second time: that means the first one deleted it.
    let out = p
        .call_repeatable(SERVICE, call, &["InvalidRoute.NotFound"], || {
            ec2.delete_vpc_endpoints().vpc_endpoint_ids(&id).send()
        })
        .await?;
    // DeleteVpcEndpoints reports failures per endpoint instead of failing.
    if let Some(item) = out.as_ref().and_then(|o| o.unsuccessful().first()) {
        let error = item.error();
        let code = error.and_then(|e| e.code()).unwrap_or("Unsuccessful");
        if !GONE.contains(&code) {
            let message = error.and_then(|e| e.message()).unwrap_or_default();
            return Err(ProviderError::permanent(call, code, format!("{id}: {message}")));
        }
    }
    wait(p, &id, true).await
}

/// The berth attributes of a described endpoint (tags and id aside).
fn decode(e: &aws_sdk_ec2::types::VpcEndpoint) -> Attrs {
    let interface = e.vpc_endpoint_type() == Some(&VpcEndpointType::Interface);
    let groups: Vec<&str> = e.groups().iter().filter_map(|g| g.group_id()).collect();
    attrs([
        ("vpc", Value::from(e.vpc_id().unwrap_or_default())),
        ("service", Value::from(e.service_name().unwrap_or_default())),
        (
            "type",
            Value::from(e.vpc_endpoint_type().map_or("Gateway", |t| t.as_str())),
        ),
        ("route_tables", str_list(e.route_table_ids().iter().cloned())),
        ("subnets", str_list(e.subnet_ids().iter().cloned())),
        (
            "security_groups",
            if interface {
                str_list(groups)
            } else {
                Value::List(Vec::new())
            },
        ),
        (
            "private_dns",
            Value::Bool(e.private_dns_enabled().unwrap_or(false)),
        ),
        (
            "policy",
            e.policy_document().map_or(Value::Null, policy::from_aws),
        ),
    ])
}

/// The endpoints `scope` looks for: the stack's by tag, or the one
/// adopted by its id.
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let ec2 = &p.clients.ec2;
    // By id, not by a filter on it: emulators know no `vpc-endpoint-id`
    // filter, and AWS answers an unknown id with NotFound either way.
    let endpoints = p
        .list(SERVICE, "DescribeVpcEndpoints", || {
            let req = ec2.describe_vpc_endpoints();
            let req = match scope {
                Scope::Stack(stack) => req.filters(stack_filter(stack)),
                Scope::One(one) => req.vpc_endpoint_ids(&one.id),
            };
            paginate!(req, vpc_endpoints)
        })
        .await
        .or_else(|e| gone(e, "InvalidVpcEndpointId.NotFound"))?;
    Ok(endpoints
        .iter()
        .filter(|e| {
            !matches!(
                e.state().map(state_name).as_deref(),
                Some("deleted" | "deleting" | "failed" | "rejected")
            )
        })
        .filter_map(|e| {
            let address = scope.address(Kind::VpcEndpoint, pairs(e.tags()))?;
            let mut a = decode(e);
            a.insert("tags".to_owned(), user_tags(pairs(e.tags())));
            a.insert("id".to_owned(), Value::from(e.vpc_endpoint_id()?));
            Some(resource(address, a))
        })
        .collect())
}
