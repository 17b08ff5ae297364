//! Listener rules of their own (`listener_rule`, Terraform's
//! `aws_lb_listener_rule`): CreateRule on the listener `listener` names,
//! tagged with `berth:stack` and the rule's own `berth:address`. That
//! address is what tells a listener's reads and updates to leave the rule
//! alone, whichever stack owns the listener.
//!
//! ELBv2 lists rules only under their listener, and moto's tagging API
//! has no listener rules: they are found among the rules of the stack's
//! listeners and of the listeners the configuration names by ARN.

use aws_sdk_elasticloadbalancingv2::types::{Rule, Tag};
use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use super::listener::{conditions, decode_rule, describe_rules, rule_arns, set_rule_priorities};
use super::{SERVICE, pairs, tags_of};
use crate::attrs::{attrs, i32_of, resource, str_of, user_tags};
use crate::errors::gone;
use crate::scope::Scope;
use crate::tagging::Tags;
use crate::{AwsProvider, paginate};

/// Whether a rule's tags name a `listener_rule` (of any stack).
pub(super) fn is_standalone(tags: Option<&Tags>) -> bool {
    tags.into_iter()
        .flatten()
        .filter(|(k, _)| k == ADDRESS_TAG)
        .any(|(_, v)| v.parse::<Address>().is_ok_and(|a| a.kind == Kind::ListenerRule))
}

/// The listener of a rule, from the rule's ARN: AWS names a rule
/// `...:listener-rule/app/LB/LB_ID/LISTENER_ID/RULE_ID` (DescribeRules
/// answers no listener).
fn listener_of(rule_arn: &str) -> Option<String> {
    let (path, _rule) = rule_arn.rsplit_once('/')?;
    Some(path.replacen(":listener-rule/", ":listener/", 1))
}

/// CreateRule; without a `priority`, the next free one after the
/// listener's highest, as Terraform takes, tried again on a fresh read if
/// another rule took it meanwhile.
pub(super) async fn create(p: &AwsProvider, a: &Attrs, tags: Vec<Tag>) -> Result<Attrs, ProviderError> {
    let listener = str_of(a, "listener").unwrap_or_default();
    let given = i32_of(a, "priority");
    let mut taken = 0;
    loop {
        let priority = match given {
            Some(n) => n,
            None => next_free_priority(p, listener).await?,
        };
        match create_at(p, a, listener, priority, &tags).await {
            Err(e) if given.is_none() && e.code == "PriorityInUse" && taken < MAX_TAKEN => taken += 1,
            created => {
                return created.map(|arn| {
                    attrs([
                        ("arn", Value::String(arn)),
                        ("priority", Value::Int(priority.into())),
                    ])
                });
            }
        }
    }
}

/// How many times a rule without a priority tries again after another
/// rule took the one it read as free.
const MAX_TAKEN: usize = 5;

/// One past the highest priority on `listener` (1 on a listener with none).
async fn next_free_priority(p: &AwsProvider, listener: &str) -> Result<i32, ProviderError> {
    let rules = describe_rules(p, listener).await?;
    let highest = rules
        .iter()
        .filter_map(|r| r.priority()?.parse::<i32>().ok())
        .max()
        .unwrap_or(0);
    Ok(highest + 1)
}

/// CreateRule at `priority`: the new rule's ARN.
async fn create_at(
    p: &AwsProvider,
    a: &Attrs,
    listener: &str,
    priority: i32,
    tags: &[Tag],
) -> Result<String, ProviderError> {
    let elb = &p.clients.elb;
    let out = p
        .call_once(SERVICE, "CreateRule", || {
            elb.create_rule()
                .listener_arn(listener)
                .priority(priority)
                .set_conditions(Some(conditions(a)))
                .actions(super::actions::action(a, "forward"))
                .set_tags(Some(tags.to_vec()))
                .send()
        })
        .await?;
    Ok(out
        .rules
        .unwrap_or_default()
        .into_iter()
        .find_map(|r| r.rule_arn)
        .unwrap_or_default())
}

/// SetRulePriorities for a new priority, ModifyRule for new conditions or
/// a new action.
pub(super) async fn update(
    p: &AwsProvider,
    arn: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    if let Some(to) = i32_of(new, "priority")
        && i32_of(old, "priority") != Some(to)
    {
        set_rule_priorities(p, &[(arn, to)]).await?;
    }
    let settings = |a: &Attrs| -> Attrs {
        a.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "priority" | "listener" | "tags" | "arn"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    if settings(old) != settings(new) {
        p.call(SERVICE, "ModifyRule", || {
            elb.modify_rule()
                .rule_arn(arn)
                .set_conditions(Some(conditions(new)))
                .actions(super::actions::action(new, "forward"))
                .send()
        })
        .await?;
    }
    Ok(())
}

pub(super) async fn delete(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let elb = &p.clients.elb;
    p.call_unless(SERVICE, "DeleteRule", &["RuleNotFound"], || {
        elb.delete_rule().rule_arn(arn).send()
    })
    .await?;
    Ok(())
}

/// The rule `scope` names by ARN, as the stack's are read.
pub(super) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Vec<Resource>, ProviderError> {
    let Some(arn) = scope.id() else {
        return Ok(Vec::new());
    };
    let elb = &p.clients.elb;
    let rules = p
        .list(SERVICE, "DescribeRules", move || {
            paginate!(elb.describe_rules().rule_arns(arn), rules)
        })
        .await
        .or_else(|e| gone(e, "RuleNotFound"))?;
    let tags = tags_of(p, &rule_arns(&rules)).await?;
    Ok(rules
        .iter()
        .filter_map(|rule| {
            let tags = tags.get(rule.rule_arn()?).cloned().unwrap_or_default();
            let address = scope.address(Kind::ListenerRule, pairs(&tags))?;
            Some(decoded(address, rule, &tags))
        })
        .collect())
}

/// The stack's rules among those of `listeners` (DescribeRules each, then
/// DescribeTags of all of them together); a listener that no longer
/// exists has none.
pub(super) async fn read_under(
    p: &AwsProvider,
    stack: &str,
    listeners: &[&str],
) -> Result<Vec<Resource>, ProviderError> {
    let per_listener = listeners.iter().map(|l| async move {
        describe_rules(p, l)
            .await
            .or_else(|e| gone(e, "ListenerNotFound"))
    });
    let rules: Vec<Rule> = try_join_all(per_listener).await?.into_iter().flatten().collect();
    let tags = tags_of(p, &rule_arns(&rules)).await?;
    Ok(ours(stack, &rules, &tags))
}

/// Of `rules`, those tagged as the stack's `listener_rule`s, read.
pub(super) fn ours(
    stack: &str,
    rules: &[Rule],
    tags: &std::collections::HashMap<String, Tags>,
) -> Vec<Resource> {
    rules
        .iter()
        .filter_map(|rule| {
            let tags = tags.get(rule.rule_arn()?)?;
            let address = crate::attrs::owned(stack, Kind::ListenerRule, pairs(tags))?;
            Some(decoded(address, rule, tags))
        })
        .collect()
}

fn decoded(address: Address, rule: &Rule, tags: &Tags) -> Resource {
    let arn = rule.rule_arn().unwrap_or_default();
    let mut a = decode_rule(rule);
    a.insert(
        "listener".to_owned(),
        listener_of(arn).map_or(Value::Null, Value::String),
    );
    a.insert("tags".to_owned(), user_tags(pairs(tags)));
    a.insert("arn".to_owned(), Value::from(arn));
    resource(address, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_listener_is_named_by_its_arn() {
        let rule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
        assert_eq!(
            listener_of(rule).as_deref(),
            Some(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
            )
        );
    }

    #[test]
    fn only_a_rule_tagged_with_a_listener_rules_address_stands_alone() {
        let tags = |address: &str| vec![(ADDRESS_TAG.to_owned(), address.to_owned())];
        assert!(is_standalone(Some(&tags("listener_rule.api"))));
        assert!(!is_standalone(Some(&tags("listener.https"))));
        assert!(!is_standalone(None));
    }
}
