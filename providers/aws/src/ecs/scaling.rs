//! A service's `autoscaling` block through Application Auto Scaling: the
//! scalable target (RegisterScalableTarget, DeregisterScalableTarget, which
//! takes its policies and scheduled actions with it), target-tracking and
//! step policies (PutScalingPolicy, DeleteScalingPolicy) and scheduled
//! actions (PutScheduledAction, DeleteScheduledAction), each named by its
//! block's label. Nothing here is tagged: a scalable target belongs to the
//! service whose resource id it names, and the service is found by its tags.

use std::collections::BTreeMap;

use aws_sdk_applicationautoscaling::types::{
    AdjustmentType, CustomizedMetricSpecification, MetricAggregationType, MetricDimension, MetricStatistic,
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ScalableTargetAction,
    ScalingPolicy, ScheduledAction, ServiceNamespace, StepAdjustment, StepScalingPolicyConfiguration,
    TargetTrackingScalingPolicyConfiguration,
};
use berth_provider::arn::elb_suffix;
use berth_provider::{Attrs, ProviderError, Resource, Value};
use futures::future::try_join_all;

use crate::attrs::{attrs, blocks_of, bool_of, i32_of, map_of, nulls_out, opt_int, opt_str, str_map, str_of};
use crate::errors::build_error;
use crate::{AwsProvider, paginate};

const SERVICE: &str = "application-autoscaling";

/// Most resource ids one DescribeScalableTargets call takes.
const BATCH: usize = 50;

/// Metric names as written, and Application Auto Scaling's.
const METRICS: &[(&str, MetricType)] = &[
    ("cpu", MetricType::EcsServiceAverageCpuUtilization),
    ("memory", MetricType::EcsServiceAverageMemoryUtilization),
    ("requests", MetricType::AlbRequestCountPerTarget),
];

/// The scalable target's id of the service `name` in `cluster` (a name or
/// an ARN): `service/CLUSTER/NAME`.
pub(super) fn resource_id(cluster: &str, name: &str) -> String {
    let cluster = cluster.rsplit('/').next().unwrap_or(cluster);
    format!("service/{cluster}/{name}")
}

/// The id of a service resource's scalable target.
pub(super) fn id_of(service: &Attrs) -> String {
    resource_id(
        str_of(service, "cluster").unwrap_or_default(),
        str_of(service, "name").unwrap_or_default(),
    )
}

/// The ARN of the step-scaling policy `policy` of the service `service`
/// (an ARN): DescribeScalingPolicies of its scalable target. A CloudWatch
/// alarm triggers the policy by this ARN.
pub(crate) async fn step_policy_arn(
    p: &AwsProvider,
    service: &str,
    policy: &str,
) -> Result<String, ProviderError> {
    let call = "DescribeScalingPolicies";
    // `arn:P:ecs:R:A:service/CLUSTER/NAME`: the target's id is the last part.
    let id = service.split(':').nth(5).unwrap_or(service).to_owned();
    let aas = &p.clients.autoscaling;
    let out = p
        .call(SERVICE, call, || {
            aas.describe_scaling_policies()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id(&id)
                .policy_names(policy)
                .send()
        })
        .await?;
    // The target's own: moto matches `ResourceId` as a substring (the
    // policies of `service/c/web` answer for `service/c/web2` too) and
    // keeps a deregistered target's policies.
    out.scaling_policies()
        .iter()
        .find(|found| {
            found.resource_id() == id
                && found.policy_name() == policy
                && *found.policy_type() == PolicyType::StepScaling
        })
        .map(|found| found.policy_arn().to_owned())
        .ok_or_else(|| crate::errors::invalid(call, format!("no step scaling policy `{policy}` on {id}")))
}

/// The `autoscaling` block of a service's attributes, if any.
fn block(service: &Attrs) -> Option<&Attrs> {
    blocks_of(service, "autoscaling").first().copied()
}

/// Brings the scalable target of service `id` from `old`'s `autoscaling`
/// block to `new`'s, sending only what changed.
pub(super) async fn apply(p: &AwsProvider, id: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let (old, new) = (block(old), block(new));
    let Some(new) = new else {
        if let Some(old) = old {
            deregister(p, id, old).await?;
        }
        return Ok(());
    };
    let bounds =
        |b: Option<&Attrs>| b.map(|b| (b.get("min_capacity").cloned(), b.get("max_capacity").cloned()));
    if bounds(old) != bounds(Some(new)) {
        register(p, id, new).await?;
    }
    let empty = Attrs::new();
    let old = old.unwrap_or(&empty);
    for kind in ["target_tracking", "step_scaling"] {
        let (before, after) = (labelled(old, kind), labelled(new, kind));
        for (name, policy) in &after {
            if !same(before.get(name), policy) {
                put_policy(p, id, kind, name, policy).await?;
            }
        }
        for name in before.keys().filter(|n| !after.contains_key(*n)) {
            delete_policy(p, id, name).await?;
        }
    }
    let (before, after) = (labelled(old, "scheduled"), labelled(new, "scheduled"));
    for (name, action) in &after {
        if !same(before.get(name), action) {
            put_action(p, id, name, action).await?;
        }
    }
    for name in before.keys().filter(|n| !after.contains_key(*n)) {
        delete_action(p, id, name).await?;
    }
    Ok(())
}

/// Whether a policy or action as it was (`before`) is the one wanted
/// (`after`): a setting left out and one written null are the same (a
/// `target_group` the configuration leaves null, which the read leaves
/// out: every `berth deploy` put the service's policies again, which a
/// deploy role need not be allowed to).
fn same(before: Option<&&Attrs>, after: &Attrs) -> bool {
    before.is_some_and(|b| nulls_out(&Value::Map((*b).clone())) == nulls_out(&Value::Map(after.clone())))
}

/// The labelled blocks `kind` of an `autoscaling` block, by label.
fn labelled<'a>(block: &'a Attrs, kind: &str) -> BTreeMap<&'a str, &'a Attrs> {
    blocks_of(block, kind)
        .into_iter()
        .map(|b| (str_of(b, "name").unwrap_or_default(), b))
        .collect()
}

async fn register(p: &AwsProvider, id: &str, block: &Attrs) -> Result<(), ProviderError> {
    let aas = &p.clients.autoscaling;
    p.call(SERVICE, "RegisterScalableTarget", || {
        aas.register_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(id)
            .set_min_capacity(i32_of(block, "min_capacity"))
            .set_max_capacity(i32_of(block, "max_capacity"))
            .send()
    })
    .await?;
    Ok(())
}

/// Removes the scalable target of the live service `service`, if its
/// `autoscaling` block says it has one.
pub(super) async fn remove(p: &AwsProvider, service: &Attrs) -> Result<(), ProviderError> {
    match block(service) {
        Some(held) => deregister(p, &id_of(service), held).await,
        None => Ok(()),
    }
}

/// Removes the scalable target of service `id`, after the policies and
/// scheduled actions its `autoscaling` block `held` names; any already
/// gone is fine. AWS deletes them with the target, but one by one first
/// is what Terraform's separate resources do, and moto keeps them (with
/// their alarms) otherwise.
async fn deregister(p: &AwsProvider, id: &str, held: &Attrs) -> Result<(), ProviderError> {
    for kind in ["target_tracking", "step_scaling"] {
        try_join_all(
            labelled(held, kind)
                .into_keys()
                .map(|name| delete_policy(p, id, name)),
        )
        .await?;
    }
    try_join_all(
        labelled(held, "scheduled")
            .into_keys()
            .map(|name| delete_action(p, id, name)),
    )
    .await?;
    let aas = &p.clients.autoscaling;
    // Sent again after an unanswered one that took effect, moto answers
    // ValidationException ("No scalable target found") where AWS answers
    // ObjectNotFoundException: either way it is gone.
    p.call_unless_repeated(
        SERVICE,
        "DeregisterScalableTarget",
        &["ObjectNotFoundException"],
        &["ValidationException"],
        || {
            aas.deregister_scalable_target()
                .service_namespace(ServiceNamespace::Ecs)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .resource_id(id)
                .send()
        },
    )
    .await?;
    Ok(())
}

async fn put_policy(
    p: &AwsProvider,
    id: &str,
    kind: &str,
    name: &str,
    policy: &Attrs,
) -> Result<(), ProviderError> {
    let call = "PutScalingPolicy";
    let (tracking, step) = if kind == "target_tracking" {
        (Some(tracking(p, call, policy).await?), None)
    } else {
        (None, Some(stepping(call, policy)?))
    };
    let policy_type = if tracking.is_some() {
        PolicyType::TargetTrackingScaling
    } else {
        PolicyType::StepScaling
    };
    let aas = &p.clients.autoscaling;
    p.call(SERVICE, call, || {
        aas.put_scaling_policy()
            .policy_name(name)
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(id)
            .policy_type(policy_type.clone())
            .set_target_tracking_scaling_policy_configuration(tracking.clone())
            .set_step_scaling_policy_configuration(step.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn tracking(
    p: &AwsProvider,
    call: &str,
    policy: &Attrs,
) -> Result<TargetTrackingScalingPolicyConfiguration, ProviderError> {
    let builder = TargetTrackingScalingPolicyConfiguration::builder();
    let builder = match blocks_of(policy, "custom_metric").first() {
        Some(custom) => builder.customized_metric_specification(custom_metric(call, custom)?),
        None => builder.predefined_metric_specification(predefined_metric(p, call, policy).await?),
    };
    builder
        .target_value(crate::attrs::f64_of(policy, "target").unwrap_or_default())
        .set_scale_in_cooldown(i32_of(policy, "scale_in_cooldown"))
        .set_scale_out_cooldown(i32_of(policy, "scale_out_cooldown"))
        .disable_scale_in(bool_of(policy, "disable_scale_in"))
        .build()
        .map_err(|e| build_error(call, e))
}

/// The predefined metric of `policy`, with the label of its target group
/// for `requests`.
async fn predefined_metric(
    p: &AwsProvider,
    call: &str,
    policy: &Attrs,
) -> Result<PredefinedMetricSpecification, ProviderError> {
    let metric = str_of(policy, "metric").unwrap_or_default();
    let metric = METRICS
        .iter()
        .find(|(name, _)| *name == metric)
        .map(|(_, t)| t.clone())
        .ok_or_else(|| crate::errors::invalid(call, format!("unknown metric {metric:?}")))?;
    let label = match str_of(policy, "target_group") {
        Some(tg) if metric == MetricType::AlbRequestCountPerTarget => Some(resource_label(p, tg).await?),
        _ => None,
    };
    PredefinedMetricSpecification::builder()
        .predefined_metric_type(metric)
        .set_resource_label(label)
        .build()
        .map_err(|e| build_error(call, e))
}

/// A `custom_metric` block as Application Auto Scaling takes it.
fn custom_metric(call: &str, metric: &Attrs) -> Result<CustomizedMetricSpecification, ProviderError> {
    let dimensions = map_of(metric, "dimensions")
        .into_iter()
        .map(|(name, value)| {
            MetricDimension::builder()
                .name(name)
                .value(value)
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CustomizedMetricSpecification::builder()
        .set_metric_name(str_of(metric, "metric_name").map(str::to_owned))
        .set_namespace(str_of(metric, "namespace").map(str::to_owned))
        .set_statistic(str_of(metric, "statistic").map(MetricStatistic::from))
        .set_unit(str_of(metric, "unit").map(str::to_owned))
        .set_dimensions(Some(dimensions))
        .build())
}

/// A custom metric AWS answered, as the `custom_metric` block it was
/// sent from.
fn read_custom_metric(spec: &CustomizedMetricSpecification) -> Value {
    let dimensions = spec
        .dimensions()
        .iter()
        .map(|d| (d.name().to_owned(), d.value().to_owned()))
        .collect();
    Value::Map(attrs([
        ("metric_name", opt_str(spec.metric_name())),
        ("namespace", opt_str(spec.namespace())),
        (
            "statistic",
            opt_str(spec.statistic().map(MetricStatistic::as_str)),
        ),
        ("unit", opt_str(spec.unit())),
        ("dimensions", str_map(&dimensions)),
    ]))
}

/// A double AWS answered, as the language writes it (`70`, `70.5`).
fn number(v: Option<f64>) -> Value {
    v.and_then(Value::from_f64).unwrap_or(Value::Null)
}

/// `app/LB-NAME/LB-ID/targetgroup/TG-NAME/TG-ID`: the ALB request count
/// label of target group `tg` (an ARN) behind its load balancer.
async fn resource_label(p: &AwsProvider, tg: &str) -> Result<String, ProviderError> {
    let elb = &p.clients.elb;
    let call = "DescribeTargetGroups";
    let out = p
        .call(crate::elb::SERVICE, call, || {
            elb.describe_target_groups().target_group_arns(tg).send()
        })
        .await?;
    let lb = out
        .target_groups()
        .first()
        .and_then(|g| g.load_balancer_arns().first())
        .ok_or_else(|| {
            crate::errors::invalid(
                call,
                format!("target group {tg} has no load balancer: ALBRequestCountPerTarget needs one"),
            )
        })?;
    match (elb_suffix(lb), elb_suffix(tg)) {
        (Some(lb), Some(tg)) => Ok(format!("{lb}/{tg}")),
        _ => Err(crate::errors::invalid(
            call,
            format!("cannot label {tg} behind {lb}"),
        )),
    }
}

fn stepping(call: &str, policy: &Attrs) -> Result<StepScalingPolicyConfiguration, ProviderError> {
    let steps = blocks_of(policy, "step")
        .into_iter()
        .map(|s| {
            StepAdjustment::builder()
                .set_metric_interval_lower_bound(crate::attrs::f64_of(s, "lower"))
                .set_metric_interval_upper_bound(crate::attrs::f64_of(s, "upper"))
                .set_scaling_adjustment(i32_of(s, "adjustment"))
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StepScalingPolicyConfiguration::builder()
        .adjustment_type(AdjustmentType::from(
            str_of(policy, "adjustment_type").unwrap_or("ChangeInCapacity"),
        ))
        .set_cooldown(i32_of(policy, "cooldown"))
        .metric_aggregation_type(MetricAggregationType::from(
            str_of(policy, "metric_aggregation").unwrap_or("Average"),
        ))
        .set_min_adjustment_magnitude(i32_of(policy, "min_adjustment_magnitude"))
        .set_step_adjustments(Some(steps))
        .build())
}

async fn delete_policy(p: &AwsProvider, id: &str, name: &str) -> Result<(), ProviderError> {
    let aas = &p.clients.autoscaling;
    // Resent after a lost answer, moto answers ValidationException where
    // AWS answers ObjectNotFoundException, as for the target.
    p.call_unless_repeated(
        SERVICE,
        "DeleteScalingPolicy",
        &["ObjectNotFoundException"],
        &["ValidationException"],
        || {
            aas.delete_scaling_policy()
                .policy_name(name)
                .service_namespace(ServiceNamespace::Ecs)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .resource_id(id)
                .send()
        },
    )
    .await?;
    Ok(())
}

async fn put_action(p: &AwsProvider, id: &str, name: &str, action: &Attrs) -> Result<(), ProviderError> {
    let aas = &p.clients.autoscaling;
    let bounds = ScalableTargetAction::builder()
        .set_min_capacity(i32_of(action, "min_capacity"))
        .set_max_capacity(i32_of(action, "max_capacity"))
        .build();
    p.call(SERVICE, "PutScheduledAction", || {
        aas.put_scheduled_action()
            .scheduled_action_name(name)
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(id)
            .set_schedule(str_of(action, "schedule").map(str::to_owned))
            .set_timezone(str_of(action, "timezone").map(str::to_owned))
            .scalable_target_action(bounds.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn delete_action(p: &AwsProvider, id: &str, name: &str) -> Result<(), ProviderError> {
    let aas = &p.clients.autoscaling;
    p.call_unless(
        SERVICE,
        "DeleteScheduledAction",
        &["ObjectNotFoundException"],
        || {
            aas.delete_scheduled_action()
                .scheduled_action_name(name)
                .service_namespace(ServiceNamespace::Ecs)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .resource_id(id)
                .send()
        },
    )
    .await?;
    Ok(())
}

/// Fills in the `autoscaling` block of each of `services` that has a
/// scalable target: DescribeScalableTargets by the services' ids, then the
/// namespace's policies and scheduled actions once, only if some service
/// is scaled.
pub(super) async fn read_into(p: &AwsProvider, services: &mut [Resource]) -> Result<(), ProviderError> {
    let ids: Vec<String> = services.iter().map(|s| id_of(&s.attrs)).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let aas = &p.clients.autoscaling;
    let batches = ids.chunks(BATCH).map(|batch| {
        p.list(SERVICE, "DescribeScalableTargets", move || {
            paginate!(
                aas.describe_scalable_targets()
                    .service_namespace(ServiceNamespace::Ecs)
                    .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                    .set_resource_ids(Some(batch.to_vec())),
                scalable_targets
            )
        })
    });
    let targets: BTreeMap<String, (i32, i32)> = try_join_all(batches)
        .await?
        .into_iter()
        .flatten()
        .map(|t| (t.resource_id().to_owned(), (t.min_capacity(), t.max_capacity())))
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    let (policies, actions) = tokio::join!(
        p.list(SERVICE, "DescribeScalingPolicies", || {
            paginate!(
                aas.describe_scaling_policies()
                    .service_namespace(ServiceNamespace::Ecs),
                scaling_policies
            )
        }),
        p.list(SERVICE, "DescribeScheduledActions", || {
            paginate!(
                aas.describe_scheduled_actions()
                    .service_namespace(ServiceNamespace::Ecs),
                scheduled_actions
            )
        }),
    );
    let (policies, actions) = (policies?, actions?);
    for (service, id) in services.iter_mut().zip(&ids) {
        let Some((min, max)) = targets.get(id) else {
            continue;
        };
        let mine = |r: &str| r == id;
        let arn = str_of(&service.attrs, "arn").unwrap_or_default().to_owned();
        let tracking: Vec<Value> = policies
            .iter()
            .filter(|p| mine(p.resource_id()) && *p.policy_type() == PolicyType::TargetTrackingScaling)
            .map(|p| read_tracking(p, &arn))
            .collect();
        let step: Vec<Value> = policies
            .iter()
            .filter(|p| mine(p.resource_id()) && *p.policy_type() == PolicyType::StepScaling)
            .map(read_step)
            .collect();
        let scheduled: Vec<Value> = actions
            .iter()
            .filter(|a| mine(a.resource_id()))
            .map(read_action)
            .collect();
        let block = attrs([
            ("min_capacity", Value::Int(i64::from(*min))),
            ("max_capacity", Value::Int(i64::from(*max))),
            ("target_tracking", Value::List(tracking)),
            ("step_scaling", Value::List(step)),
            ("scheduled", Value::List(scheduled)),
        ]);
        service
            .attrs
            .insert("autoscaling".to_owned(), Value::List(vec![Value::Map(block)]));
        crate::attrs::canonical(service.address.kind, &mut service.attrs);
    }
    Ok(())
}

/// A target-tracking policy of the service `service_arn`.
fn read_tracking(policy: &ScalingPolicy, service_arn: &str) -> Value {
    let config = policy.target_tracking_scaling_policy_configuration();
    let spec = config.and_then(|c| c.predefined_metric_specification());
    let metric = spec.map_or(Value::Null, |s| {
        METRICS
            .iter()
            .find(|(_, t)| t == s.predefined_metric_type())
            .map_or_else(
                || Value::from(s.predefined_metric_type().as_str()),
                |(name, _)| Value::from(*name),
            )
    });
    let custom: Vec<Value> = config
        .and_then(|c| c.customized_metric_specification())
        .map(read_custom_metric)
        .into_iter()
        .collect();
    // The label names the target group by its ARN's suffix; the ARN (in
    // the service's partition, region and account) is what the
    // configuration holds.
    let target_group = spec
        .and_then(|s| s.resource_label())
        .and_then(|l| l.split_once("/targetgroup/"))
        .map_or(Value::Null, |(_, tg)| {
            let arn: Vec<&str> = service_arn.splitn(6, ':').collect();
            match arn.as_slice() {
                [_, partition, _, region, account, _] => Value::from(format!(
                    "arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/{tg}"
                )),
                _ => Value::Null,
            }
        });
    Value::Map(attrs([
        ("name", Value::from(policy.policy_name())),
        ("metric", metric),
        ("custom_metric", Value::List(custom)),
        ("target", number(config.map(|c| c.target_value()))),
        ("target_group", target_group),
        (
            "scale_in_cooldown",
            opt_int(config.and_then(|c| c.scale_in_cooldown())),
        ),
        (
            "scale_out_cooldown",
            opt_int(config.and_then(|c| c.scale_out_cooldown())),
        ),
        (
            "disable_scale_in",
            Value::Bool(config.and_then(|c| c.disable_scale_in()).unwrap_or(false)),
        ),
    ]))
}

fn read_step(policy: &ScalingPolicy) -> Value {
    let config = policy.step_scaling_policy_configuration();
    let steps = config
        .map(|c| c.step_adjustments())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            Value::Map(attrs([
                ("lower", number(s.metric_interval_lower_bound())),
                ("upper", number(s.metric_interval_upper_bound())),
                ("adjustment", Value::Int(i64::from(s.scaling_adjustment()))),
            ]))
        })
        .collect();
    Value::Map(attrs([
        ("name", Value::from(policy.policy_name())),
        (
            "adjustment_type",
            Value::from(
                config
                    .and_then(|c| c.adjustment_type())
                    .map_or("ChangeInCapacity", |t| t.as_str()),
            ),
        ),
        ("cooldown", opt_int(config.and_then(|c| c.cooldown()))),
        (
            "metric_aggregation",
            Value::from(
                config
                    .and_then(|c| c.metric_aggregation_type())
                    .map_or("Average", |t| t.as_str()),
            ),
        ),
        (
            "min_adjustment_magnitude",
            opt_int(config.and_then(|c| c.min_adjustment_magnitude())),
        ),
        ("step", Value::List(steps)),
    ]))
}

fn read_action(action: &ScheduledAction) -> Value {
    let bounds = action.scalable_target_action();
    Value::Map(attrs([
        ("name", Value::from(action.scheduled_action_name())),
        ("schedule", Value::from(action.schedule())),
        ("min_capacity", opt_int(bounds.and_then(|b| b.min_capacity()))),
        ("max_capacity", opt_int(bounds.and_then(|b| b.max_capacity()))),
        ("timezone", action.timezone().map_or(Value::Null, Value::from)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tinker-Ware's step policy: the configuration holds its step's
    /// `upper` bound as null, the read leaves it out. Not the same, it was
    /// put again on every update of the service.
    #[test]
    fn a_step_left_unbounded_is_the_same_as_read() {
        let step = |upper: Option<Value>| {
            let mut s = attrs([("adjustment", Value::Int(1)), ("lower", Value::Int(0))]);
            if let Some(upper) = upper {
                s.insert("upper".to_owned(), upper);
            }
            attrs([
                ("adjustment_type", Value::from("ChangeInCapacity")),
                ("cooldown", Value::Int(180)),
                ("step", Value::List(vec![Value::Map(s)])),
            ])
        };
        let read = step(None);
        assert!(same(Some(&&read), &step(Some(Value::Null))));
        assert!(!same(Some(&&read), &step(Some(Value::Int(10)))));
    }
}
