//! Application Load Balancers: CreateLoadBalancer (type application, tags
//! in the call), ModifyLoadBalancerAttributes for the idle timeout,
//! SetSubnets / SetSecurityGroups on update, DeleteLoadBalancer.

use aws_sdk_elasticloadbalancingv2::types::{
    LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum, Tag,
};
use berth_provider::naming;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::{SERVICE, pairs, tags_of};
use crate::attrs::{attrs, bool_of, created_at, int_of, resource, str_list, strs_of, user_tags};
use crate::scope::Scope;
use crate::{AwsProvider, paginate};

const IDLE_TIMEOUT: &str = "idle_timeout.timeout_seconds";

fn computed(lb: &LoadBalancer) -> Attrs {
    attrs([
        ("arn", Value::from(lb.load_balancer_arn().unwrap_or_default())),
        ("name", Value::from(lb.load_balancer_name().unwrap_or_default())),
        ("dns_name", Value::from(lb.dns_name().unwrap_or_default())),
        (
            "zone_id",
            Value::from(lb.canonical_hosted_zone_id().unwrap_or_default()),
        ),
    ])
}

pub(super) async fn create(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
    tags: Vec<Tag>,
) -> Result<Attrs, ProviderError> {
    let elb = &p.clients.elb;
    let name = naming::given(a, "name")
        .map_or_else(|| naming::elb(stack, address, fastrand::u32(..)), str::to_owned);
    let groups = strs_of(a, "security_groups");
    let scheme = if bool_of(a, "internal") {
        LoadBalancerSchemeEnum::Internal
    } else {
        LoadBalancerSchemeEnum::InternetFacing
    };
    let out = p
        .call_once(SERVICE, "CreateLoadBalancer", || {
            elb.create_load_balancer()
                .name(&name)
                .r#type(LoadBalancerTypeEnum::Application)
                .scheme(scheme.clone())
                .set_subnets(Some(strs_of(a, "subnets")))
                .set_security_groups((!groups.is_empty()).then(|| groups.clone()))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let lb = out
        .load_balancers
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| crate::errors::missing("CreateLoadBalancer"))?;
    let out = computed(&lb);
    let arn = lb.load_balancer_arn.unwrap_or_default();
    let idle = int_of(a, "idle_timeout").unwrap_or(60);
    if idle != 60 {
        set_idle_timeout(p, &arn, idle).await?;
    }
    Ok(out)
}

async fn set_idle_timeout(p: &AwsProvider, arn: &str, seconds: i64) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    let attr = LoadBalancerAttribute::builder()
        .key(IDLE_TIMEOUT)
        .value(seconds.to_string())
        .build();
    p.call(SERVICE, "ModifyLoadBalancerAttributes", || {
        elb.modify_load_balancer_attributes()
            .load_balancer_arn(arn)
            .attributes(attr.clone())
            .send()
    })
    .await?;
    Ok(())
}

pub(super) async fn update(
    p: &AwsProvider,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    if old.get("subnets") != new.get("subnets") {
        p.call(SERVICE, "SetSubnets", || {
            elb.set_subnets()
                .load_balancer_arn(arn)
                .set_subnets(Some(strs_of(new, "subnets")))
                .send()
        })
        .await?;
    }
    // Left out, the groups stay what AWS chose; SetSecurityGroups would
    // strip them.
    let groups = new.get("security_groups").filter(|g| **g != Value::Null);
    if groups.is_some() && old.get("security_groups") != groups {
        p.call(SERVICE, "SetSecurityGroups", || {
            elb.set_security_groups()
                .load_balancer_arn(arn)
                .set_security_groups(Some(strs_of(new, "security_groups")))
                .send()
        })
        .await?;
    }
    if old.get("idle_timeout") != new.get("idle_timeout") {
        set_idle_timeout(p, arn, int_of(new, "idle_timeout").unwrap_or(60)).await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    p.call_unless(SERVICE, "DeleteLoadBalancer", &["LoadBalancerNotFound"], || {
        elb.delete_load_balancer().load_balancer_arn(arn).send()
    })
    .await?;
    Ok(())
}

async fn idle_timeout(p: &AwsProvider, arn: &str) -> Result<i64, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call(SERVICE, "DescribeLoadBalancerAttributes", || {
            elb.describe_load_balancer_attributes()
                .load_balancer_arn(arn)
                .send()
        })
        .await?;
    Ok(out
        .attributes()
        .iter()
        .find(|a| a.key() == Some(IDLE_TIMEOUT))
        .and_then(|a| a.value()?.parse().ok())
        .unwrap_or(60))
}

/// A load balancer `scope` looks for, with its tags and the address it
/// is read at.
pub(super) struct Found {
    lb: LoadBalancer,
    tags: Vec<(String, String)>,
    address: Address,
}

impl Found {
    /// The load balancer's ARN.
    pub(super) fn arn(&self) -> &str {
        self.lb.load_balancer_arn().unwrap_or_default()
    }
}

/// The load balancers `scope` looks for, before their attributes are
/// read: every one's tags are read for a stack's (DescribeTags, 20 a
/// call); the one named (by ARN or name) is described alone.
pub(super) async fn find(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Found>, ProviderError> {
    let elb = &p.clients.elb;
    let listed = p
        .list(SERVICE, "DescribeLoadBalancers", || {
            let req = elb.describe_load_balancers();
            let req = match scope.id() {
                Some(arn) if arn.starts_with("arn:") => req.load_balancer_arns(arn),
                Some(name) => req.names(name),
                None => req,
            };
            paginate!(req, load_balancers)
        })
        .await;
    let lbs = match listed {
        Err(e) if scope.id().is_some() && e.code == "LoadBalancerNotFound" => Vec::new(),
        listed => listed?,
    };
    let arns: Vec<String> = lbs
        .iter()
        .filter_map(|lb| lb.load_balancer_arn().map(str::to_owned))
        .collect();
    let mut tags = tags_of(p, &arns).await?;
    Ok(lbs
        .into_iter()
        .filter_map(|lb| {
            let tags = tags.remove(lb.load_balancer_arn()?)?;
            let address = scope.address(Kind::LoadBalancer, pairs(&tags))?;
            Some(Found { lb, tags, address })
        })
        .collect())
}

/// The load balancers `found`, read: DescribeLoadBalancerAttributes each
/// (the API takes one ARN a call).
pub(super) async fn read_found(p: &AwsProvider, found: &[Found]) -> Result<Vec<Resource>, ProviderError> {
    let reads = found.iter().map(|Found { lb, tags, address }| async move {
        let idle = idle_timeout(p, lb.load_balancer_arn().unwrap_or_default()).await?;
        let subnets = lb.availability_zones().iter().filter_map(|z| z.subnet_id());
        let mut a = attrs([
            ("subnets", str_list(subnets)),
            (
                "security_groups",
                str_list(lb.security_groups().iter().map(String::as_str)),
            ),
            (
                "internal",
                Value::Bool(lb.scheme() == Some(&LoadBalancerSchemeEnum::Internal)),
            ),
            ("idle_timeout", Value::Int(idle)),
            ("tags", user_tags(pairs(tags))),
        ]);
        a.extend(computed(lb));
        Ok::<_, ProviderError>(created_at(resource(address.clone(), a), lb.created_time()))
    });
    try_join_all(reads).await
}

/// The load balancers `scope` looks for, read.
pub(super) async fn read(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    read_found(p, &find(p, scope).await?).await
}
