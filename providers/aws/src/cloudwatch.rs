//! CloudWatch metric alarms: PutMetricAlarm (tags in the call) to create
//! and, whole, to change; TagResource / UntagResource for tags;
//! DeleteAlarms. A `scaling_policy` block is the ARN of a service's
//! step-scaling policy among the alarm actions: DescribeScalingPolicies
//! finds it on put, and reading turns such an ARN back into the block
//! (the policy's ARN names its service's cluster and name).
//!
//! To read a stack's: the tagging API's alarms of the stack, and
//! DescribeAlarms of berth's name prefix at the same time (the tagging API
//! lags on AWS: an alarm under the prefix it does not list yet has its
//! tags read by ListTagsForResource); alarms the tagging API lists outside
//! the prefix (named by the configuration) by DescribeAlarms of their
//! names, 100 a call.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudwatch::types::{
    AlarmType, ComparisonOperator, Dimension, MetricAlarm, StandardUnit, Statistic, Tag,
};
use berth_provider::adopt::adoption_tags;
use berth_provider::naming;
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value};
use futures::future::try_join_all;

use crate::attrs::{
    attrs, blocks_of, bool_of, complete, create_tags, f64_of, i32_of, map_of, named, opt_int, opt_str,
    resource, str_list, str_map, str_of, strs_of, tag_diff, user_tags,
};
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const SERVICE: &str = "cloudwatch";

/// Names DescribeAlarms takes in one call, and alarms in one page.
const BATCH: usize = 100;

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(Kind::MetricAlarm, &desired.attrs);
    let name = naming::given(&a, "name")
        .map_or_else(|| naming::metric_alarm(stack, &desired.address), str::to_owned);
    let tags = cw_tags(create_tags(stack, &desired.address, &a));
    // PutMetricAlarm overwrites an alarm of the same name: sent again after
    // a lost answer, it puts the same alarm; another's it would take over.
    let held = describe(p, Names::These(std::slice::from_ref(&name))).await?;
    if let Some(arn) = held.first().and_then(|alarm| alarm.alarm_arn()) {
        let tags = tags_of(p, arn).await?;
        let pairs: Vec<_> = tagging::pairs(&tags).collect();
        crate::attrs::refuse_held(
            "PutMetricAlarm",
            Kind::MetricAlarm,
            stack,
            &desired.address,
            &name,
            &pairs,
        )?;
    }
    put(p, &name, &a, Some(tags)).await?;
    let arn = arn_of(p, &name).await?;
    Ok(resource(desired.address.clone(), named(a, name, arn)))
}

pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let cw = &p.clients.cloudwatch;
    let new = complete(Kind::MetricAlarm, &desired.attrs);
    let old = &live.attrs;
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    let settings = |a: &Attrs| {
        let mut a = a.clone();
        ["tags", "name", "arn"].iter().for_each(|k| _ = a.remove(*k));
        a
    };
    if settings(old) != settings(&new) {
        // PutMetricAlarm replaces the whole alarm (what it is not sent is
        // reset) and ignores tags for an existing one.
        put(p, &name, &new, None).await?;
    }
    let (set, removed) = tag_diff(old, &new);
    if !set.is_empty() {
        tag(p, &arn, set).await?;
    }
    if !removed.is_empty() {
        p.call(SERVICE, "UntagResource", || {
            cw.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(removed.clone()))
                .send()
        })
        .await?;
    }
    Ok(resource(live.address.clone(), named(new, name, arn)))
}

/// TagResource: berth's tags on an alarm it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    tag(p, arn, adoption_tags(stack, &live.address)).await
}

pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let cw = &p.clients.cloudwatch;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    p.call_unless(SERVICE, "DeleteAlarms", &["ResourceNotFound"], || {
        cw.delete_alarms().alarm_names(name).send()
    })
    .await?;
    Ok(())
}

/// The stack's alarms (see the module's comment for how they are found).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let prefix = naming::metric_alarm_prefix(stack);
    let (tagged, prefixed) = tokio::join!(
        tagging::tagged(p, stack, "cloudwatch:alarm"),
        describe(p, Names::Prefix(&prefix))
    );
    let (tagged, mut alarms) = (tagged?, prefixed?);
    let elsewhere: Vec<String> = tagged
        .keys()
        .filter_map(|arn| name_in(arn))
        .filter(|name| !name.starts_with(&prefix))
        .map(str::to_owned)
        .collect();
    let named = elsewhere
        .chunks(BATCH)
        .map(|batch| describe(p, Names::These(batch)));
    alarms.extend(try_join_all(named).await?.into_iter().flatten());
    read(p, &Scope::Stack(stack), alarms, &tagged).await
}

/// The alarm `scope` looks for, by name or ARN.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let name = name_in(id).unwrap_or(id).to_owned();
    let alarms = describe(p, Names::These(&[name])).await?;
    Ok(read(p, scope, alarms, &HashMap::new()).await?.into_iter().next())
}

/// Which alarms DescribeAlarms lists.
enum Names<'a> {
    Prefix(&'a str),
    These(&'a [String]),
}

/// DescribeAlarms of metric alarms, paginated.
async fn describe(p: &AwsProvider, names: Names<'_>) -> Result<Vec<MetricAlarm>, ProviderError> {
    let cw = &p.clients.cloudwatch;
    let (prefix, listed) = match names {
        Names::Prefix(prefix) => (Some(prefix.to_owned()), None),
        Names::These(names) => (None, Some(names.to_vec())),
    };
    p.list(SERVICE, "DescribeAlarms", || {
        paginate!(
            cw.describe_alarms()
                .set_alarm_name_prefix(prefix.clone())
                .set_alarm_names(listed.clone())
                .alarm_types(AlarmType::MetricAlarm)
                .max_records(BATCH as i32),
            metric_alarms
        )
    })
    .await
}

/// The alarms `scope` looks for among `alarms`; tags from `tagged` (by
/// ARN) or, when it lacks one, ListTagsForResource.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    alarms: Vec<MetricAlarm>,
    tagged: &HashMap<String, Tags>,
) -> Result<Vec<Resource>, ProviderError> {
    let reads = alarms.into_iter().map(|alarm| async move {
        let Some(arn) = alarm.alarm_arn().map(str::to_owned) else {
            return Ok(None);
        };
        let tags = match tagged.get(&arn) {
            Some(tags) => tags.clone(),
            None => tags_of(p, &arn).await?,
        };
        let Some(address) = scope.address(Kind::MetricAlarm, tagging::pairs(&tags)) else {
            return Ok(None);
        };
        Ok::<_, ProviderError>(Some(resource(address, decode(&alarm, &arn, &tags))))
    });
    let found: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(found.into_iter().flatten().collect())
}

async fn tags_of(p: &AwsProvider, arn: &str) -> Result<Tags, ProviderError> {
    let cw = &p.clients.cloudwatch;
    let out = p
        .call(SERVICE, "ListTagsForResource", || {
            cw.list_tags_for_resource().resource_arn(arn).send()
        })
        .await?;
    Ok(out
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
        .collect())
}

async fn tag(p: &AwsProvider, arn: &str, tags: BTreeMap<String, String>) -> Result<(), ProviderError> {
    let cw = &p.clients.cloudwatch;
    let tags = cw_tags(tags);
    p.call(SERVICE, "TagResource", || {
        cw.tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// PutMetricAlarm of the whole alarm `a`, with `tags` when it is new.
async fn put(p: &AwsProvider, name: &str, a: &Attrs, tags: Option<Vec<Tag>>) -> Result<(), ProviderError> {
    let cw = &p.clients.cloudwatch;
    let mut actions = strs_of(a, "alarm_actions");
    for block in blocks_of(a, "scaling_policy") {
        let service = str_of(block, "service").unwrap_or_default();
        let policy = str_of(block, "policy").unwrap_or_default();
        actions.push(crate::ecs::step_policy_arn(p, service, policy).await?);
    }
    let dimensions: Vec<Dimension> = map_of(a, "dimensions")
        .into_iter()
        .map(|(name, value)| Dimension::builder().name(name).value(value).build())
        .collect();
    p.call(SERVICE, "PutMetricAlarm", || {
        cw.put_metric_alarm()
            .alarm_name(name)
            .set_alarm_description(str_of(a, "description").map(str::to_owned))
            .actions_enabled(bool_of(a, "actions_enabled"))
            .set_alarm_actions(Some(actions.clone()))
            .set_ok_actions(Some(strs_of(a, "ok_actions")))
            .set_insufficient_data_actions(Some(strs_of(a, "insufficient_data_actions")))
            .metric_name(str_of(a, "metric_name").unwrap_or_default())
            .namespace(str_of(a, "namespace").unwrap_or_default())
            .set_statistic(str_of(a, "statistic").map(Statistic::from))
            .set_extended_statistic(str_of(a, "extended_statistic").map(str::to_owned))
            .set_dimensions(Some(dimensions.clone()))
            .set_period(i32_of(a, "period"))
            .set_unit(str_of(a, "unit").map(StandardUnit::from))
            .set_evaluation_periods(i32_of(a, "evaluation_periods"))
            .set_datapoints_to_alarm(i32_of(a, "datapoints_to_alarm"))
            .set_threshold(f64_of(a, "threshold"))
            .comparison_operator(ComparisonOperator::from(
                str_of(a, "comparison_operator").unwrap_or_default(),
            ))
            .treat_missing_data(str_of(a, "treat_missing_data").unwrap_or("missing"))
            .set_tags(tags.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// `(service ARN, policy name)` of a scaling policy's ARN
/// (`arn:P:autoscaling:R:A:scalingPolicy:ID:resource/ecs/service/CLUSTER/NAME:policyName/POLICY`);
/// `None` for any other action.
fn scaling_policy_of(action: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = action.split(':').collect();
    match parts[..] {
        [
            "arn",
            partition,
            "autoscaling",
            region,
            account,
            "scalingPolicy",
            _,
            resource,
            policy,
        ] => {
            let service = resource.strip_prefix("resource/ecs/")?;
            let policy = policy.strip_prefix("policyName/")?;
            Some((
                format!("arn:{partition}:ecs:{region}:{account}:{service}"),
                policy.to_owned(),
            ))
        }
        _ => None,
    }
}

/// The alarm's name in its ARN (`arn:P:cloudwatch:R:A:alarm:NAME`; a name
/// may hold `:` itself).
fn name_in(arn: &str) -> Option<&str> {
    arn.splitn(7, ':').nth(6).filter(|_| arn.contains(":alarm:"))
}

/// CloudWatch's tags (its builder checks nothing: the keys and values
/// were checked by `validate`).
fn cw_tags(tags: BTreeMap<String, String>) -> Vec<Tag> {
    tags.into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

async fn arn_of(p: &AwsProvider, name: &str) -> Result<String, ProviderError> {
    Ok(p.caller()
        .await?
        .arn(SERVICE, p.region(), &format!("alarm:{name}")))
}

fn decode(alarm: &MetricAlarm, arn: &str, tags: &Tags) -> Attrs {
    let (policies, actions): (Vec<_>, Vec<_>) = alarm
        .alarm_actions()
        .iter()
        .map(|a| (a, scaling_policy_of(a)))
        .partition(|(_, policy)| policy.is_some());
    let policies = policies
        .into_iter()
        .filter_map(|(_, policy)| policy)
        .map(|(service, policy)| {
            Value::Map(attrs([
                ("service", Value::from(service)),
                ("policy", Value::from(policy)),
            ]))
        })
        .collect();
    let dimensions: BTreeMap<String, String> = alarm
        .dimensions()
        .iter()
        .filter_map(|d| Some((d.name()?.to_owned(), d.value()?.to_owned())))
        .collect();
    attrs([
        ("metric_name", opt_str(alarm.metric_name())),
        ("namespace", opt_str(alarm.namespace())),
        ("dimensions", str_map(&dimensions)),
        ("statistic", opt_str(alarm.statistic().map(Statistic::as_str))),
        ("extended_statistic", opt_str(alarm.extended_statistic())),
        ("unit", opt_str(alarm.unit().map(StandardUnit::as_str))),
        ("period", opt_int(alarm.period())),
        ("evaluation_periods", opt_int(alarm.evaluation_periods())),
        ("datapoints_to_alarm", opt_int(alarm.datapoints_to_alarm())),
        (
            "threshold",
            alarm.threshold().and_then(Value::from_f64).unwrap_or(Value::Null),
        ),
        (
            "comparison_operator",
            opt_str(alarm.comparison_operator().map(ComparisonOperator::as_str)),
        ),
        (
            "treat_missing_data",
            Value::from(alarm.treat_missing_data().unwrap_or("missing")),
        ),
        ("description", opt_str(alarm.alarm_description())),
        (
            "actions_enabled",
            Value::Bool(alarm.actions_enabled().unwrap_or(true)),
        ),
        (
            "alarm_actions",
            str_list(actions.into_iter().map(|(a, _)| a.as_str())),
        ),
        ("ok_actions", str_list(alarm.ok_actions())),
        (
            "insufficient_data_actions",
            str_list(alarm.insufficient_data_actions()),
        ),
        ("scaling_policy", Value::List(policies)),
        ("tags", user_tags(tagging::pairs(tags))),
        ("arn", Value::from(arn)),
        ("name", opt_str(alarm.alarm_name())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scaling_policy_arn_names_its_service_and_policy() {
        let arn = "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:6d8f-11:resource/ecs/service/blog/web:policyName/burst";
        assert_eq!(
            scaling_policy_of(arn),
            Some((
                "arn:aws:ecs:eu-west-1:123456789012:service/blog/web".to_owned(),
                "burst".to_owned()
            ))
        );
        assert_eq!(scaling_policy_of("arn:aws:sns:eu-west-1:123456789012:ops"), None);
    }

    #[test]
    fn an_alarm_name_comes_whole_out_of_its_arn() {
        assert_eq!(
            name_in("arn:aws:cloudwatch:eu-west-1:1:alarm:a:b c"),
            Some("a:b c")
        );
        assert_eq!(name_in("arn:aws:logs:eu-west-1:1:log-group:x"), None);
    }
}
