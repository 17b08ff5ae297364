//! Listeners: CreateListener (default action: forward), then CreateRule per
//! `rule` block. Rules carry `berth:stack`, `berth:address` (the
//! listener's) and `berth:rule` (the block's label) tags, set in
//! CreateRule, so they read back by name. Updates: ModifyListener, and per
//! rule DeleteRule / ModifyRule + SetRulePriorities / CreateRule, diffed
//! against the rules AWS holds now.
//!
//! Listeners are found through the stack's load balancers
//! (`DescribeListeners` per load balancer), then kept if tagged with the
//! stack.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, Certificate, ProtocolEnum, Rule, RuleCondition, RulePriorityPair, Tag,
};
use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, ProviderError, Resource, STACK_TAG, Value};
use futures::future::try_join_all;

use super::{SERVICE, elb_tags, pairs, tags_of};
use crate::attrs::{attrs, blocks_of, i32_of, int_of, opt_str, owned, resource, str_of, user_tags};
use crate::errors::gone;
use crate::{AwsProvider, paginate};

/// Tag holding a rule's label.
pub(crate) const RULE_TAG: &str = "berth:rule";

fn forward(tg: &str) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(tg)
        .build()
}

fn conditions(rule: &Attrs) -> Vec<RuleCondition> {
    let mut out = Vec::new();
    if let Some(path) = str_of(rule, "path") {
        out.push(
            RuleCondition::builder()
                .field("path-pattern")
                .values(path)
                .build(),
        );
    }
    if let Some(host) = str_of(rule, "host") {
        out.push(RuleCondition::builder().field("host-header").values(host).build());
    }
    out
}

fn certificates(a: &Attrs) -> Option<Vec<Certificate>> {
    str_of(a, "certificate").map(|c| vec![Certificate::builder().certificate_arn(c).build()])
}

/// Declared rules by label.
fn declared(a: &Attrs) -> BTreeMap<String, Attrs> {
    blocks_of(a, "rule")
        .into_iter()
        .filter_map(|r| Some((str_of(r, "name")?.to_owned(), r.clone())))
        .collect()
}

pub(super) async fn create(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    a: &Attrs,
    tags: Vec<Tag>,
) -> Result<Attrs, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call_once(SERVICE, "CreateListener", || {
            elb.create_listener()
                .load_balancer_arn(str_of(a, "load_balancer").unwrap_or_default())
                .port(i32_of(a, "port").unwrap_or(0))
                .protocol(ProtocolEnum::from(str_of(a, "protocol").unwrap_or("HTTP")))
                .set_certificates(certificates(a))
                .set_ssl_policy(str_of(a, "ssl_policy").map(str::to_owned))
                .default_actions(super::actions::default_action(a))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let listener = out.listeners.unwrap_or_default().into_iter().next();
    let policy = listener.as_ref().and_then(ssl_policy);
    let arn = listener.and_then(|l| l.listener_arn).unwrap_or_default();
    for (name, rule) in declared(a) {
        create_rule(p, stack, address, &arn, &name, &rule).await?;
    }
    // The policy AWS chose when none was given.
    let policy = str_of(a, "ssl_policy").or(policy.as_deref()).map(str::to_owned);
    Ok(attrs([
        ("arn", Value::String(arn)),
        ("ssl_policy", opt_str(policy.as_deref())),
    ]))
}

async fn create_rule(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    listener: &str,
    name: &str,
    rule: &Attrs,
) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    let tags = elb_tags(&BTreeMap::from([
        (STACK_TAG.to_owned(), stack.to_owned()),
        (ADDRESS_TAG.to_owned(), address.to_string()),
        (RULE_TAG.to_owned(), name.to_owned()),
    ]));
    p.call_once(SERVICE, "CreateRule", || {
        elb.create_rule()
            .listener_arn(listener)
            .priority(i32_of(rule, "priority").unwrap_or(0))
            .set_conditions(Some(conditions(rule)))
            .actions(forward(str_of(rule, "forward").unwrap_or_default()))
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// The listener's non-default rules as AWS holds them, by label, with ARNs.
async fn live_rules(
    p: &AwsProvider,
    listener: &str,
) -> Result<BTreeMap<String, (String, Attrs)>, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call(SERVICE, "DescribeRules", || {
            elb.describe_rules().listener_arn(listener).send()
        })
        .await?;
    let rules: Vec<Rule> = out
        .rules
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !r.is_default().unwrap_or(false))
        .collect();
    let arns: Vec<String> = rules
        .iter()
        .filter_map(|r| r.rule_arn().map(str::to_owned))
        .collect();
    let tags = tags_of(p, &arns).await?;
    let mut out = BTreeMap::new();
    for rule in &rules {
        let Some(arn) = rule.rule_arn() else { continue };
        let priority: i64 = rule.priority().and_then(|p| p.parse().ok()).unwrap_or(0);
        let label = tags
            .get(arn)
            .and_then(|t| t.iter().find(|(k, _)| k == RULE_TAG))
            .map_or_else(|| format!("priority-{priority}"), |(_, v)| v.clone());
        let value_of = |field: &str| {
            rule.conditions()
                .iter()
                .find(|c| c.field() == Some(field))
                .and_then(|c| {
                    c.values()
                        .first()
                        .or_else(|| c.path_pattern_config().and_then(|x| x.values().first()))
                        .or_else(|| c.host_header_config().and_then(|x| x.values().first()))
                        .cloned()
                })
        };
        let target = rule.actions().iter().find_map(action_target);
        let a = attrs([
            ("name", Value::String(label.clone())),
            ("priority", Value::Int(priority)),
            ("path", opt_str(value_of("path-pattern").as_deref())),
            ("host", opt_str(value_of("host-header").as_deref())),
            ("forward", opt_str(target.as_deref())),
        ]);
        out.insert(label, (arn.to_owned(), a));
    }
    Ok(out)
}

/// An HTTPS listener's security policy; none for HTTP (moto reports its
/// default on HTTP listeners too).
fn ssl_policy(l: &aws_sdk_elasticloadbalancingv2::types::Listener) -> Option<String> {
    l.ssl_policy()
        .filter(|_| l.protocol() == Some(&ProtocolEnum::Https))
        .map(str::to_owned)
}

/// The target group a forward action sends to.
fn action_target(a: &Action) -> Option<String> {
    a.target_group_arn()
        .or_else(|| {
            a.forward_config()
                .and_then(|f| f.target_groups().first())
                .and_then(|t| t.target_group_arn())
        })
        .map(str::to_owned)
}

pub(super) async fn update(
    p: &AwsProvider,
    stack: &str,
    address: &Address,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    if [
        "port",
        "protocol",
        "certificate",
        "default",
        "ssl_policy",
        "redirect",
        "fixed_response",
    ]
    .iter()
    .any(|k| old.get(*k) != new.get(*k))
    {
        p.call(SERVICE, "ModifyListener", || {
            elb.modify_listener()
                .listener_arn(arn)
                .port(i32_of(new, "port").unwrap_or(0))
                .protocol(ProtocolEnum::from(str_of(new, "protocol").unwrap_or("HTTP")))
                .set_certificates(certificates(new))
                .set_ssl_policy(str_of(new, "ssl_policy").map(str::to_owned))
                .default_actions(super::actions::default_action(new))
                .send()
        })
        .await?;
    }
    let live = live_rules(p, arn).await?;
    let want = declared(new);
    for (name, (rule_arn, _)) in &live {
        if !want.contains_key(name) {
            p.call_unless(SERVICE, "DeleteRule", &["RuleNotFound"], || {
                elb.delete_rule().rule_arn(rule_arn).send()
            })
            .await?;
        }
    }
    for (name, rule) in &want {
        let Some((rule_arn, current)) = live.get(name) else {
            create_rule(p, stack, address, arn, name, rule).await?;
            continue;
        };
        if int_of(current, "priority") != int_of(rule, "priority") {
            let pair = RulePriorityPair::builder()
                .rule_arn(rule_arn)
                .priority(i32_of(rule, "priority").unwrap_or(0))
                .build();
            p.call(SERVICE, "SetRulePriorities", || {
                elb.set_rule_priorities().rule_priorities(pair.clone()).send()
            })
            .await?;
        }
        let same = ["path", "host", "forward"]
            .iter()
            .all(|k| current.get(*k) == rule.get(*k));
        if !same {
            p.call(SERVICE, "ModifyRule", || {
                elb.modify_rule()
                    .rule_arn(rule_arn)
                    .set_conditions(Some(conditions(rule)))
                    .actions(forward(str_of(rule, "forward").unwrap_or_default()))
                    .send()
            })
            .await?;
        }
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    p.call_unless(SERVICE, "DeleteListener", &["ListenerNotFound"], || {
        elb.delete_listener().listener_arn(arn).send()
    })
    .await?;
    Ok(())
}

/// Listeners of the load balancers `lbs` tagged with `stack`; a load
/// balancer that does not exist has none.
pub(super) async fn read_all(
    p: &AwsProvider,
    stack: &str,
    lbs: &[&str],
) -> Result<Vec<Resource>, ProviderError> {
    let elb = &p.clients.elb;
    let per_lb = lbs.iter().map(|lb| async move {
        p.list(SERVICE, "DescribeListeners", move || {
            paginate!(elb.describe_listeners().load_balancer_arn(*lb), listeners)
        })
        .await
        .or_else(|e| gone(e, "LoadBalancerNotFound"))
    });
    let listeners: Vec<_> = try_join_all(per_lb).await?.into_iter().flatten().collect();
    let arns: Vec<String> = listeners
        .iter()
        .filter_map(|l| l.listener_arn().map(str::to_owned))
        .collect();
    let tags = tags_of(p, &arns).await?;
    let reads = listeners.iter().filter_map(|l| {
        let arn = l.listener_arn()?;
        let l_tags = tags.get(arn)?;
        let address = owned(stack, Kind::Listener, pairs(l_tags))?;
        Some(async move {
            let rules = live_rules(p, arn).await?;
            let default = l.default_actions().iter().find_map(action_target);
            let certificate = l.certificates().first().and_then(|c| c.certificate_arn());
            let (redirect, fixed) = super::actions::read_blocks(l.default_actions());
            let a = attrs([
                (
                    "load_balancer",
                    Value::from(l.load_balancer_arn().unwrap_or_default()),
                ),
                ("port", Value::Int(i64::from(l.port().unwrap_or(0)))),
                (
                    "protocol",
                    Value::from(l.protocol().map_or("HTTP", |p| p.as_str())),
                ),
                ("certificate", opt_str(certificate)),
                ("default", opt_str(default.as_deref())),
                ("ssl_policy", opt_str(ssl_policy(l).as_deref())),
                ("redirect", redirect),
                ("fixed_response", fixed),
                (
                    "rule",
                    Value::List(rules.into_values().map(|(_, r)| Value::Map(r)).collect()),
                ),
                ("tags", user_tags(pairs(l_tags))),
                ("arn", Value::from(arn)),
            ]);
            Ok::<_, ProviderError>(resource(address, a))
        })
    });
    try_join_all(reads).await
}
