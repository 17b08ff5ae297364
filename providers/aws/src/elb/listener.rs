//! Listeners: CreateListener (default action: forward, redirect or fixed
//! response), then CreateRule per `rule` block (conditions in their typed
//! configs, one action). Rules carry `berth:stack`, `berth:address` (the
//! listener's) and `berth:rule` (the block's label) tags, set in
//! CreateRule, so they read back by name. Updates: ModifyListener, and per
//! rule DeleteRule / ModifyRule / CreateRule, diffed against the rules AWS
//! holds now, and one SetRulePriorities for every moved rule (two when
//! rules trade priorities: they park on free ones first).
//!
//! Listeners are found through the stack's load balancers
//! (`DescribeListeners` per load balancer), then kept if tagged with the
//! stack.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    Certificate, HostHeaderConditionConfig, HttpHeaderConditionConfig, HttpRequestMethodConditionConfig,
    Listener, PathPatternConditionConfig, ProtocolEnum, QueryStringConditionConfig, QueryStringKeyValuePair,
    Rule, RuleCondition, RulePriorityPair, SourceIpConditionConfig, Tag,
};
use berth_provider::certificate;
use berth_provider::schema::Presence;
use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, ProviderError, Resource, STACK_TAG, Value, elb};
use futures::future::try_join_all;

use super::{SERVICE, elb_tags, pairs, tags_of};
use crate::attrs::{
    attrs, blocks_of, i32_of, int_of, opt_str, resource, str_list, str_of, strs_of, user_tags, without_nulls,
};
use crate::errors::gone;
use crate::scope::Scope;
use crate::tagging::Tags;
use crate::{AwsProvider, paginate};

/// Tag holding a rule's label.
pub(crate) const RULE_TAG: &str = "berth:rule";

/// A rule's patterns: `one` and `many` together.
fn patterns(rule: &Attrs, one: &str, many: &str) -> Vec<String> {
    let mut all = strs_of(rule, many);
    all.extend(str_of(rule, one).map(str::to_owned));
    all
}

/// The conditions of a rule, each in its typed config (the `Values` of
/// path and host conditions take one value only).
pub(super) fn conditions(rule: &Attrs) -> Vec<RuleCondition> {
    let mut out = Vec::new();
    let field = |name: &str| RuleCondition::builder().field(name);
    let paths = patterns(rule, "path", "paths");
    if !paths.is_empty() {
        let config = PathPatternConditionConfig::builder()
            .set_values(Some(paths))
            .build();
        out.push(field("path-pattern").path_pattern_config(config).build());
    }
    let hosts = patterns(rule, "host", "hosts");
    if !hosts.is_empty() {
        let config = HostHeaderConditionConfig::builder()
            .set_values(Some(hosts))
            .build();
        out.push(field("host-header").host_header_config(config).build());
    }
    for header in blocks_of(rule, "header") {
        let config = HttpHeaderConditionConfig::builder()
            .set_http_header_name(str_of(header, "name").map(str::to_owned))
            .set_values(Some(strs_of(header, "values")))
            .build();
        out.push(field("http-header").http_header_config(config).build());
    }
    let methods = strs_of(rule, "methods");
    if !methods.is_empty() {
        let config = HttpRequestMethodConditionConfig::builder()
            .set_values(Some(methods))
            .build();
        out.push(
            field("http-request-method")
                .http_request_method_config(config)
                .build(),
        );
    }
    let pairs: Vec<QueryStringKeyValuePair> = blocks_of(rule, "query")
        .into_iter()
        .map(|q| {
            QueryStringKeyValuePair::builder()
                .set_key(str_of(q, "key").map(str::to_owned))
                .set_value(str_of(q, "value").map(str::to_owned))
                .build()
        })
        .collect();
    if !pairs.is_empty() {
        let config = QueryStringConditionConfig::builder()
            .set_values(Some(pairs))
            .build();
        out.push(field("query-string").query_string_config(config).build());
    }
    let ips = strs_of(rule, "source_ips");
    if !ips.is_empty() {
        let config = SourceIpConditionConfig::builder().set_values(Some(ips)).build();
        out.push(field("source-ip").source_ip_config(config).build());
    }
    out
}

/// A rule's conditions as attributes, the way `conditions` writes them.
fn read_conditions(rule: &Rule) -> Vec<(&'static str, Value)> {
    let (mut paths, mut hosts, mut methods, mut ips) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut headers, mut query) = (Vec::new(), Vec::new());
    for c in rule.conditions() {
        let plain = c.values().to_vec();
        match c.field().unwrap_or_default() {
            "path-pattern" => {
                paths.extend(plain);
                paths.extend(
                    c.path_pattern_config()
                        .map(|x| x.values().to_vec())
                        .unwrap_or_default(),
                );
            }
            "host-header" => {
                hosts.extend(plain);
                hosts.extend(
                    c.host_header_config()
                        .map(|x| x.values().to_vec())
                        .unwrap_or_default(),
                );
            }
            "http-header" => {
                if let Some(h) = c.http_header_config() {
                    headers.push(Value::Map(attrs([
                        ("name", opt_str(h.http_header_name())),
                        ("values", str_list(h.values().iter().cloned())),
                    ])));
                }
            }
            "http-request-method" => {
                methods.extend(
                    c.http_request_method_config()
                        .map(|x| x.values().to_vec())
                        .unwrap_or_default(),
                );
            }
            "query-string" => {
                for pair in c.query_string_config().map(|x| x.values()).unwrap_or_default() {
                    query.push(Value::Map(attrs([
                        ("key", opt_str(pair.key())),
                        ("value", opt_str(pair.value())),
                    ])));
                }
            }
            "source-ip" => {
                ips.extend(
                    c.source_ip_config()
                        .map(|x| x.values().to_vec())
                        .unwrap_or_default(),
                );
            }
            _ => {}
        }
    }
    vec![
        ("path", Value::Null),
        ("paths", str_list(paths)),
        ("host", Value::Null),
        ("hosts", str_list(hosts)),
        ("methods", str_list(methods)),
        ("source_ips", str_list(ips)),
        ("header", Value::List(headers)),
        ("query", Value::List(query)),
    ]
}

fn certificates(a: &Attrs) -> Option<Vec<Certificate>> {
    str_of(a, "certificate").map(|c| vec![Certificate::builder().certificate_arn(c).build()])
}

fn certificate_list(arns: &[String]) -> Vec<Certificate> {
    arns.iter()
        .map(|c| Certificate::builder().certificate_arn(c).build())
        .collect()
}

/// Adds the SNI certificates `arns` to listener `arn`.
async fn add_certificates(p: &AwsProvider, arn: &str, arns: &[String]) -> Result<(), ProviderError> {
    if arns.is_empty() {
        return Ok(());
    }
    let elb = &p.clients.elb;
    p.call(SERVICE, "AddListenerCertificates", || {
        elb.add_listener_certificates()
            .listener_arn(arn)
            .set_certificates(Some(certificate_list(arns)))
            .send()
    })
    .await
    .map_err(certificate::not_issued)?;
    Ok(())
}

/// The certificates of HTTPS listener `arn` other than its default one
/// (`default`): DescribeListenerCertificates lists them all.
async fn extra_certificates(
    p: &AwsProvider,
    arn: &str,
    default: Option<&str>,
) -> Result<Value, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call(SERVICE, "DescribeListenerCertificates", || {
            elb.describe_listener_certificates().listener_arn(arn).send()
        })
        .await?;
    let extra = out
        .certificates()
        .iter()
        .filter(|c| !c.is_default().unwrap_or(false))
        .filter_map(|c| c.certificate_arn())
        .filter(|c| Some(*c) != default);
    Ok(str_list(extra))
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
                .set_alpn_policy(str_of(a, "alpn_policy").map(|p| vec![p.to_owned()]))
                .default_actions(super::actions::action(a, "default"))
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await
        .map_err(certificate::not_issued)?;
    let listener = out.listeners.unwrap_or_default().into_iter().next();
    let policy = listener.as_ref().and_then(ssl_policy);
    let arn = listener.and_then(|l| l.listener_arn).unwrap_or_default();
    add_certificates(p, &arn, &strs_of(a, "certificates")).await?;
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

/// The tags of the listener's rule labelled `name`.
fn rule_tags(stack: &str, address: &Address, name: &str) -> Vec<Tag> {
    elb_tags(&BTreeMap::from([
        (STACK_TAG.to_owned(), stack.to_owned()),
        (ADDRESS_TAG.to_owned(), address.to_string()),
        (RULE_TAG.to_owned(), name.to_owned()),
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
    let tags = rule_tags(stack, address, name);
    p.call_once(SERVICE, "CreateRule", || {
        elb.create_rule()
            .listener_arn(listener)
            .priority(i32_of(rule, "priority").unwrap_or(0))
            .set_conditions(Some(conditions(rule)))
            .actions(super::actions::action(rule, "forward"))
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
    let rules = describe_rules(p, listener).await?;
    let tags = tags_of(p, &rule_arns(&rules)).await?;
    Ok(decode_rules(&rules, &tags))
}

/// DescribeRules: the listener's non-default rules (the API takes one
/// listener a call, or rules by ARN).
pub(super) async fn describe_rules(p: &AwsProvider, listener: &str) -> Result<Vec<Rule>, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call(SERVICE, "DescribeRules", || {
            elb.describe_rules().listener_arn(listener).send()
        })
        .await?;
    Ok(out
        .rules
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !r.is_default().unwrap_or(false))
        .collect())
}

pub(super) fn rule_arns(rules: &[Rule]) -> Vec<String> {
    rules
        .iter()
        .filter_map(|r| r.rule_arn().map(str::to_owned))
        .collect()
}

/// `rules` by label (their `berth:rule` tag in `tags`, or
/// `priority-N`), with ARNs; rules of their own (`listener_rule`, tagged
/// with their own address) are not the listener's.
fn decode_rules(rules: &[Rule], tags: &HashMap<String, Tags>) -> BTreeMap<String, (String, Attrs)> {
    let mut out = BTreeMap::new();
    for rule in rules {
        let Some(arn) = rule.rule_arn() else { continue };
        let tags = tags.get(arn);
        if super::listener_rule::is_standalone(tags) {
            continue;
        }
        let mut a = decode_rule(rule);
        let label = tags
            .and_then(|t| t.iter().find(|(k, _)| k == RULE_TAG))
            .map_or_else(
                || format!("priority-{}", int_of(&a, "priority").unwrap_or(0)),
                |(_, v)| v.clone(),
            );
        a.insert("name".to_owned(), Value::String(label.clone()));
        out.insert(label, (arn.to_owned(), a));
    }
    out
}

/// A rule's priority, conditions and action, in the canonical form the
/// configuration's rules take, so that an update compares like with like.
pub(super) fn decode_rule(rule: &Rule) -> Attrs {
    let priority: i64 = rule.priority().and_then(|p| p.parse().ok()).unwrap_or(0);
    let target = rule.actions().iter().find_map(super::actions::target);
    let (redirect, fixed) = super::actions::read_blocks(rule.actions());
    let mut a = attrs([
        ("priority", Value::Int(priority)),
        ("forward", opt_str(target.as_deref())),
        ("weighted_forward", super::actions::read_weighted(rule.actions())),
        (
            "forward_stickiness",
            super::actions::read_stickiness(rule.actions()),
        ),
        ("redirect", redirect),
        ("fixed_response", fixed),
    ]);
    a.extend(read_conditions(rule).into_iter().map(|(k, v)| (k.to_owned(), v)));
    match Kind::Listener.schema().block("rule") {
        Some(block) => berth_provider::schema::canonical(&a, block),
        None => a,
    }
}

/// Whether `l` speaks TLS to clients (HTTPS or TLS): it has certificates
/// and a security policy.
fn secure(l: &Listener) -> bool {
    matches!(l.protocol(), Some(ProtocolEnum::Https | ProtocolEnum::Tls))
}

/// An HTTPS or TLS listener's security policy; none for the others (moto
/// reports its default on HTTP listeners too).
fn ssl_policy(l: &Listener) -> Option<String> {
    l.ssl_policy().filter(|_| secure(l)).map(str::to_owned)
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
    // What AWS chose (the SSL policy) and the configuration leaves out is
    // kept: nothing to modify.
    let kept = |k: &str| {
        new.get(k).is_none_or(|v| *v == Value::Null)
            && Kind::Listener
                .schema()
                .attr(k)
                .is_some_and(|a| a.presence == Presence::ChosenByAws)
    };
    let modified = [
        "port",
        "protocol",
        "certificate",
        "default",
        "ssl_policy",
        "alpn_policy",
        "redirect",
        "fixed_response",
        "weighted_forward",
        "forward_stickiness",
    ]
    .iter()
    .any(|k| old.get(*k) != new.get(*k) && !kept(k));
    // The protocol only when it changes: AWS keeps it otherwise (moto
    // refuses TLS, UDP and TCP_UDP in ModifyListener, even unchanged).
    let protocol = (old.get("protocol") != new.get("protocol"))
        .then(|| ProtocolEnum::from(str_of(new, "protocol").unwrap_or("HTTP")));
    // A TLS listener's ALPN policy only when it changes (`None` to drop it).
    let alpn = (old.get("alpn_policy") != new.get("alpn_policy"))
        .then(|| vec![str_of(new, "alpn_policy").unwrap_or("None").to_owned()]);
    if modified {
        p.call(SERVICE, "ModifyListener", || {
            elb.modify_listener()
                .listener_arn(arn)
                .port(i32_of(new, "port").unwrap_or(0))
                .set_protocol(protocol.clone())
                .set_certificates(certificates(new))
                .set_ssl_policy(str_of(new, "ssl_policy").map(str::to_owned))
                .set_alpn_policy(alpn.clone())
                .default_actions(super::actions::action(new, "default"))
                .send()
        })
        .await
        .map_err(certificate::not_issued)?;
    }
    let (before, after) = (strs_of(old, "certificates"), strs_of(new, "certificates"));
    // AWS keeps the SNI certificates through a ModifyListener; moto drops
    // them, so after one they are all added again (a no-op on AWS).
    let added: Vec<String> = after
        .iter()
        .filter(|c| modified || !before.contains(c))
        .cloned()
        .collect();
    let removed: Vec<String> = before.iter().filter(|c| !after.contains(c)).cloned().collect();
    add_certificates(p, arn, &added).await?;
    if !removed.is_empty() {
        p.call(SERVICE, "RemoveListenerCertificates", || {
            elb.remove_listener_certificates()
                .listener_arn(arn)
                .set_certificates(Some(certificate_list(&removed)))
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
    set_priorities(p, &live, &want).await?;
    for (name, rule) in &want {
        let Some((rule_arn, current)) = live.get(name) else {
            create_rule(p, stack, address, arn, name, rule).await?;
            continue;
        };
        // Both sides are canonical: every key but the label and priority
        // is the rule's conditions and action; a null one is left out
        // (a declared block holds none).
        let (current, declared) = (without_nulls(current), without_nulls(rule));
        let same = declared
            .keys()
            .chain(current.keys())
            .filter(|k| !matches!(k.as_str(), "name" | "priority"))
            .all(|k| current.get(k) == declared.get(k));
        if !same {
            p.call(SERVICE, "ModifyRule", || {
                elb.modify_rule()
                    .rule_arn(rule_arn)
                    .set_conditions(Some(conditions(rule)))
                    .actions(super::actions::action(rule, "forward"))
                    .send()
            })
            .await?;
        }
    }
    Ok(())
}

/// Highest priority a listener rule may have.
const MAX_PRIORITY: i32 = 50_000;

/// Moves the listener's rules (`live`, by label) to the priorities `want`
/// declares, in one SetRulePriorities. ELBv2 refuses a priority another
/// rule still holds (moto even within one call), so when a rule takes the
/// priority of another (two rules swapped), every moving rule first parks
/// on a priority no rule holds or wants.
async fn set_priorities(
    p: &AwsProvider,
    live: &BTreeMap<String, (String, Attrs)>,
    want: &BTreeMap<String, Attrs>,
) -> Result<(), ProviderError> {
    let moves: Vec<(&str, i32)> = want
        .iter()
        .filter_map(|(name, rule)| {
            let (rule_arn, current) = live.get(name)?;
            let to = i32_of(rule, "priority")?;
            (i32_of(current, "priority") != Some(to)).then_some((rule_arn.as_str(), to))
        })
        .collect();
    if moves.is_empty() {
        return Ok(());
    }
    let held: BTreeSet<i32> = live
        .iter()
        .filter(|(name, _)| want.contains_key(*name))
        .filter_map(|(_, (_, current))| i32_of(current, "priority"))
        .collect();
    if moves.iter().any(|(_, to)| held.contains(to)) {
        let wanted: BTreeSet<i32> = want.values().filter_map(|r| i32_of(r, "priority")).collect();
        let free = (1..=MAX_PRIORITY)
            .rev()
            .filter(|n| !held.contains(n) && !wanted.contains(n));
        let parked: Vec<(&str, i32)> = moves.iter().map(|(rule_arn, _)| *rule_arn).zip(free).collect();
        set_rule_priorities(p, &parked).await?;
    }
    set_rule_priorities(p, &moves).await
}

/// One SetRulePriorities with every (rule, priority) of `pairs`.
pub(super) async fn set_rule_priorities(p: &AwsProvider, pairs: &[(&str, i32)]) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    let pairs: Vec<RulePriorityPair> = pairs
        .iter()
        .map(|(rule_arn, priority)| {
            RulePriorityPair::builder()
                .rule_arn(*rule_arn)
                .priority(*priority)
                .build()
        })
        .collect();
    // Sent again after an answer that was lost, the move may be done
    // already: moto (unlike ELBv2, which refuses a priority another rule
    // holds) refuses a priority the rule itself holds.
    p.call_repeatable(SERVICE, "SetRulePriorities", &["PriorityInUse"], || {
        elb.set_rule_priorities()
            .set_rule_priorities(Some(pairs.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// Tags the rules of an adopted listener (its own tags are set by the
/// caller): each rule AWS holds gets `berth:rule` = the label `live`
/// gives the rule of its priority ([`berth_provider::adopt::label_rules`]).
pub(super) async fn adopt_rules(
    p: &AwsProvider,
    stack: &str,
    arn: &str,
    live: &Resource,
) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    let labels = berth_provider::adopt::rule_labels(&live.attrs);
    for (rule_arn, current) in live_rules(p, arn).await?.into_values() {
        let Some(label) = int_of(&current, "priority").and_then(|n| labels.get(&n)) else {
            continue;
        };
        let tags = rule_tags(stack, &live.address, label);
        p.call(SERVICE, "AddTags", || {
            elb.add_tags()
                .resource_arns(&rule_arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
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

/// The listeners of the load balancers `lbs`, whoever owns them
/// (DescribeListeners per load balancer; one that does not exist has
/// none).
pub(super) async fn of_load_balancers(p: &AwsProvider, lbs: &[&str]) -> Result<Vec<Listener>, ProviderError> {
    let elb = &p.clients.elb;
    let per_lb = lbs.iter().map(|lb| async move {
        p.list(SERVICE, "DescribeListeners", move || {
            paginate!(elb.describe_listeners().load_balancer_arn(*lb), listeners)
        })
        .await
        .or_else(|e| gone(e, "LoadBalancerNotFound"))
    });
    Ok(try_join_all(per_lb).await?.into_iter().flatten().collect())
}

/// A listener of the stack, as read.
struct Ours<'a> {
    l: &'a Listener,
    address: Address,
    tags: &'a Tags,
    rules: Vec<Rule>,
}

/// The listeners `scope` looks for: the stack's, among those of the load
/// balancers `lbs` (one that does not exist has none), or the one adopted,
/// by its ARN; for the stack, its `listener_rule`s on them too.
pub(super) async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    lbs: &[&str],
) -> Result<Vec<Resource>, ProviderError> {
    let elb = &p.clients.elb;
    let listeners: Vec<_> = match scope.id() {
        Some(arn) => p
            .list(SERVICE, "DescribeListeners", move || {
                paginate!(elb.describe_listeners().listener_arns(arn), listeners)
            })
            .await
            .or_else(|e| gone(e, "ListenerNotFound"))?,
        None => of_load_balancers(p, lbs).await?,
    };
    // Each with its ARN (AWS always gives one), so that `arns` lines up.
    let listeners: Vec<Listener> = listeners
        .into_iter()
        .filter(|l| l.listener_arn().is_some())
        .collect();
    let arns: Vec<String> = listeners
        .iter()
        .filter_map(|l| l.listener_arn().map(str::to_owned))
        .collect();
    // Their tags and their rules at once: a listener's rules are read
    // before its tags say it is the stack's (a listener of another stack on
    // an external load balancer costs a DescribeRules for nothing), which
    // takes a round trip off the longest chain of a plan's reads.
    // A Network Load Balancer's listeners have no rules: no call for them.
    let rules_of = |l| async move {
        let l: &Listener = l;
        if l.protocol().is_some_and(|p| elb::is_network_protocol(p.as_str())) {
            Ok(Vec::new())
        } else {
            describe_rules(p, l.listener_arn().unwrap_or_default()).await
        }
    };
    let (tags, rules) = tokio::join!(tags_of(p, &arns), try_join_all(listeners.iter().map(rules_of)));
    let (tags, rules) = (tags?, rules?);
    let ours: Vec<Ours<'_>> = listeners
        .iter()
        .zip(rules)
        .filter_map(|(l, rules)| {
            let tags = tags.get(l.listener_arn()?)?;
            let address = scope.address(Kind::Listener, pairs(tags))?;
            Some(Ours {
                l,
                address,
                tags,
                rules,
            })
        })
        .collect();
    // All of their rules' tags at once (20 ARNs a call), not a DescribeTags
    // per listener.
    let all: Vec<String> = ours.iter().flat_map(|o| rule_arns(&o.rules)).collect();
    let rule_tags = tags_of(p, &all).await?;
    // The stack's rules of their own on its listeners (Terraform's
    // `aws_lb_listener_rule` on the stack's own listener).
    let standalone = match scope {
        Scope::Stack(stack) => ours
            .iter()
            .flat_map(|o| super::listener_rule::ours(stack, &o.rules, &rule_tags))
            .collect(),
        Scope::One(_) => Vec::new(),
    };
    let reads = ours.into_iter().map(|o| {
        let (l, address, l_tags) = (o.l, o.address, o.tags);
        let rules = decode_rules(&o.rules, &rule_tags);
        async move {
            let arn = l.listener_arn().unwrap_or_default();
            let default = l.default_actions().iter().find_map(super::actions::target);
            let certificate = l.certificates().first().and_then(|c| c.certificate_arn());
            // Only HTTPS and TLS listeners have more: no call for the others.
            let extra = if secure(l) {
                extra_certificates(p, arn, certificate).await?
            } else {
                Value::List(Vec::new())
            };
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
                ("certificates", extra),
                ("default", opt_str(default.as_deref())),
                (
                    "weighted_forward",
                    super::actions::read_weighted(l.default_actions()),
                ),
                (
                    "forward_stickiness",
                    super::actions::read_stickiness(l.default_actions()),
                ),
                ("ssl_policy", opt_str(ssl_policy(l).as_deref())),
                (
                    "alpn_policy",
                    opt_str(
                        l.alpn_policy()
                            .first()
                            .map(String::as_str)
                            .filter(|p| *p != "None"),
                    ),
                ),
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
        }
    });
    let mut out = try_join_all(reads).await?;
    out.extend(standalone);
    Ok(out)
}
