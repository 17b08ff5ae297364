//! Elastic Load Balancing v2: Application Load Balancers, target groups and
//! listeners with their rules.
//!
//! ELBv2 has no tag filter on its Describe calls: the account's load
//! balancers and target groups are listed (paginated), then their tags read
//! with `DescribeTags` in batches of 20 ARNs (the API's limit).

mod actions;
mod listener;
mod listener_rule;
mod load_balancer;
mod settings;
mod target_group;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_elasticloadbalancingv2::types::Tag;
use berth_provider::adopt::adoption_tags;
use berth_provider::{Attrs, External, Kind, ProviderError, Resource};
use futures::future::try_join_all;

use crate::AwsProvider;
use crate::attrs::{complete, create_tags, parents, resource, str_of, tag_diff};
use crate::scope::Scope;

pub(crate) const SERVICE: &str = "elbv2";

/// Most ARNs one DescribeTags call takes.
const TAG_BATCH: usize = 20;

/// The stack's load balancers and target groups, its listeners on those
/// load balancers and on the `external` ones, and its `listener_rule`s.
pub(crate) async fn read_all(
    p: &AwsProvider,
    stack: &str,
    external: &[External],
) -> Result<Vec<Resource>, ProviderError> {
    let scope = Scope::Stack(stack);
    // Listeners wait for the stack's load balancers to be known, not for
    // their attributes nor for the target groups.
    let lbs_and_listeners = async {
        let found = load_balancer::find(p, &scope).await?;
        let own: BTreeSet<String> = found.iter().map(|f| f.arn().to_owned()).collect();
        let mut arns: BTreeSet<&str> = own.iter().map(String::as_str).collect();
        arns.extend(parents(&[], external, Kind::LoadBalancer));
        let arns: Vec<&str> = arns.into_iter().collect();
        let (lbs, listeners) = tokio::join!(
            load_balancer::read_found(p, &found),
            listener::read(p, &scope, &arns)
        );
        let mut out = lbs?;
        out.extend(listeners?);
        Ok::<_, ProviderError>((out, own))
    };
    let (lbs_and_listeners, tgs) = tokio::join!(lbs_and_listeners, target_group::read_attached(p, &scope));
    let (mut out, own) = lbs_and_listeners?;
    let (tgs, attached) = tgs?;
    out.extend(tgs);
    for rule in foreign_rules(p, stack, external, &own, &attached).await? {
        // A rule on a listener found two ways is read twice.
        if !out.iter().any(|r| r.address == rule.address) {
            out.push(rule);
        }
    }
    Ok(out)
}

/// The stack's `listener_rule`s on listeners of load balancers it does not
/// own (those on its own listeners come with them): on the listeners the
/// configuration names by ARN, and on the listeners of the load balancers
/// its target groups are attached to, where a rule forwarding to them
/// sits. The latter finds a rule whose block is gone, to delete it. No
/// call when there are neither.
async fn foreign_rules(
    p: &AwsProvider,
    stack: &str,
    external: &[External],
    own: &BTreeSet<String>,
    attached: &BTreeSet<String>,
) -> Result<Vec<Resource>, ProviderError> {
    let foreign: Vec<&str> = attached
        .iter()
        .filter(|lb| !own.contains(*lb))
        .map(String::as_str)
        .collect();
    let mut listeners: BTreeSet<String> = parents(&[], external, Kind::Listener)
        .map(str::to_owned)
        .collect();
    listeners.extend(
        listener::of_load_balancers(p, &foreign)
            .await?
            .into_iter()
            .filter_map(|l| l.listener_arn),
    );
    let listeners: Vec<&str> = listeners.iter().map(String::as_str).collect();
    listener_rule::read_under(p, stack, &listeners).await
}

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = desired.address.kind;
    let mut attrs = complete(kind, &desired.attrs);
    let tags = elb_tags(&create_tags(stack, &desired.address, &attrs));
    let computed = match kind {
        Kind::LoadBalancer => load_balancer::create(p, stack, &desired.address, &attrs, tags).await?,
        Kind::TargetGroup => target_group::create(p, stack, &desired.address, &attrs, tags).await?,
        Kind::ListenerRule => listener_rule::create(p, &attrs, tags).await?,
        _ => listener::create(p, stack, &desired.address, &attrs, tags).await?,
    };
    attrs.extend(computed);
    Ok(resource(desired.address.clone(), attrs))
}

pub(crate) async fn update(
    p: &AwsProvider,
    stack: &str,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let kind = live.address.kind;
    let mut new = complete(kind, &desired.attrs);
    let arn = identity(live)?;
    match kind {
        Kind::LoadBalancer => load_balancer::update(p, &arn, &live.attrs, &new).await?,
        Kind::TargetGroup => target_group::update(p, &arn, &live.attrs, &new).await?,
        Kind::ListenerRule => listener_rule::update(p, &arn, &live.attrs, &new).await?,
        _ => listener::update(p, stack, &live.address, &arn, &live.attrs, &new).await?,
    }
    update_tags(p, &arn, &live.attrs, &new).await?;
    for attr in kind.schema().attrs.iter().filter(|a| a.is_settled_by_cloud()) {
        if let Some(v) = live.attrs.get(attr.name) {
            new.insert(attr.name.to_owned(), v.clone());
        }
    }
    Ok(resource(live.address.clone(), new))
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let arn = identity(live)?;
    match live.address.kind {
        Kind::LoadBalancer => load_balancer::delete(p, &arn).await,
        Kind::TargetGroup => target_group::delete(p, &arn).await,
        Kind::ListenerRule => listener_rule::delete(p, &arn).await,
        _ => listener::delete(p, &arn).await,
    }
}

/// The load balancer, target group (by ARN or name), listener or listener
/// rule (by ARN) `scope` looks for, read as the stack's are.
pub(crate) async fn read_one(
    p: &AwsProvider,
    kind: Kind,
    scope: &Scope<'_>,
) -> Result<Vec<Resource>, ProviderError> {
    match kind {
        Kind::LoadBalancer => load_balancer::read(p, scope).await,
        Kind::Listener => listener::read(p, scope, &[]).await,
        Kind::ListenerRule => listener_rule::read_one(p, scope).await,
        _ => target_group::read(p, scope).await,
    }
}

/// AddTags: berth's tags on a load balancer, target group or listener it
/// adopts, and on a listener's rules.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = identity(live)?;
    // The rules first: the listener's own tags make it the stack's.
    if live.address.kind == Kind::Listener {
        listener::adopt_rules(p, stack, &arn, live).await?;
    }
    let tags = elb_tags(&adoption_tags(stack, &live.address));
    let elb = &p.clients.elb;
    p.call(SERVICE, "AddTags", || {
        elb.add_tags()
            .resource_arns(&arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

fn identity(live: &Resource) -> Result<String, ProviderError> {
    str_of(&live.attrs, "arn").map(str::to_owned).ok_or_else(|| {
        crate::errors::invalid(
            "Describe",
            format!("{} has no ARN: it was not read from AWS", live.address),
        )
    })
}

fn elb_tags(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Tags of each ARN, by DescribeTags in batches of 20, batches in parallel.
async fn tags_of(
    p: &AwsProvider,
    arns: &[String],
) -> Result<HashMap<String, Vec<(String, String)>>, ProviderError> {
    let elb = &p.clients.elb;
    let batches = arns.chunks(TAG_BATCH).map(|batch| async move {
        p.call(SERVICE, "DescribeTags", || {
            elb.describe_tags().set_resource_arns(Some(batch.to_vec())).send()
        })
        .await
    });
    let mut out = HashMap::new();
    for page in try_join_all(batches).await? {
        for d in page.tag_descriptions.unwrap_or_default() {
            let tags = d
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_owned(), t.value().unwrap_or_default().to_owned())))
                .collect();
            if let Some(arn) = d.resource_arn {
                out.insert(arn, tags);
            }
        }
    }
    Ok(out)
}

fn pairs(tags: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// AddTags / RemoveTags for a change of the user's tags.
async fn update_tags(p: &AwsProvider, arn: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (set, removed) = tag_diff(old, new);
    let elb = &p.clients.elb;
    if !set.is_empty() {
        let tags = elb_tags(&set);
        p.call(SERVICE, "AddTags", || {
            elb.add_tags()
                .resource_arns(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "RemoveTags", || {
            elb.remove_tags()
                .resource_arns(arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}
