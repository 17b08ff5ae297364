//! Application Auto Scaling of a service's task count, as the AWS adapter
//! drives it from the service's `autoscaling` block: the scalable target's
//! bounds move the service's desired count into them (as
//! RegisterScalableTarget does), and policies and scheduled actions are
//! refused with AWS's `ValidationException` where AWS refuses them.

use berth_provider::alarm::STATISTICS;
use berth_provider::scaling::{ADJUSTMENT_TYPES, METRIC_AGGREGATIONS, METRICS, valid_schedule};
use berth_provider::{Attrs, Kind, ProviderError, Value};

use crate::api::fail;
use crate::attrs::{blocks_of, int_of, str_of};
use crate::elb;
use crate::sim::Sim;

const INVALID: &str = "ValidationException";

/// Checks `service`'s `autoscaling` block against `old`'s, counting the
/// calls the AWS adapter would make, and moves the desired count into the
/// bounds. A service without the block is left alone.
pub(crate) fn apply(sim: &mut Sim, old: Option<&Attrs>, service: &mut Attrs) -> Result<(), ProviderError> {
    let block = |a: &Attrs| blocks_of(a, "autoscaling").first().map(|b| (*b).clone());
    let before = old.and_then(block);
    let Some(after) = block(service) else {
        if before.is_some() {
            sim.call("DeregisterScalableTarget");
        }
        return Ok(());
    };
    let min = int_of(&after, "min_capacity").unwrap_or(0);
    let max = int_of(&after, "max_capacity").unwrap_or(0);
    let call = "RegisterScalableTarget";
    sim.call(call);
    if min > max {
        return Err(fail(
            call,
            INVALID,
            format!("Minimum capacity {min} cannot be greater than maximum capacity {max}"),
        ));
    }
    for policy in blocks_of(&after, "target_tracking") {
        check_tracking(sim, policy)?;
    }
    for policy in blocks_of(&after, "step_scaling") {
        check_step(policy)?;
    }
    for action in blocks_of(&after, "scheduled") {
        check_action(action)?;
    }
    let unchanged = before.as_ref() == Some(&after);
    if !unchanged {
        let count = int_of(service, "desired_count").unwrap_or(0);
        service.insert("desired_count".to_owned(), Value::Int(count.clamp(min, max)));
    }
    Ok(())
}

fn check_tracking(sim: &mut Sim, policy: &Attrs) -> Result<(), ProviderError> {
    let call = "PutScalingPolicy";
    sim.call(call);
    if let Some(custom) = blocks_of(policy, "custom_metric").first() {
        return check_custom_metric(policy, custom);
    }
    let metric = str_of(policy, "metric").unwrap_or_default();
    if !METRICS.contains(&metric) {
        return Err(fail(
            call,
            INVALID,
            format!("Unsupported predefined metric type {metric} for namespace ecs"),
        ));
    }
    match (metric, str_of(policy, "target_group")) {
        ("requests", None) => Err(fail(
            call,
            INVALID,
            "ResourceLabel is required for predefined metric type ALBRequestCountPerTarget".to_owned(),
        )),
        ("requests", Some(tg)) => {
            let attached = sim
                .find(Kind::TargetGroup, tg)
                .is_some_and(|k| !elb::load_balancers_of(sim, &k).is_empty());
            if attached {
                Ok(())
            } else {
                Err(fail(
                    call,
                    INVALID,
                    format!("Target group {tg} is not associated with a load balancer"),
                ))
            }
        }
        (_, Some(_)) => Err(fail(
            call,
            INVALID,
            format!("ResourceLabel is only valid for ALBRequestCountPerTarget, not {metric}"),
        )),
        (_, None) => Ok(()),
    }
}

/// A customized metric, as AWS refuses one: not alongside a predefined
/// metric or a resource label, and with one of its five statistics.
fn check_custom_metric(policy: &Attrs, custom: &Attrs) -> Result<(), ProviderError> {
    let call = "PutScalingPolicy";
    if str_of(policy, "metric").is_some() || str_of(policy, "target_group").is_some() {
        return Err(fail(
            call,
            INVALID,
            "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be given"
                .to_owned(),
        ));
    }
    let statistic = str_of(custom, "statistic").unwrap_or_default();
    if !STATISTICS.contains(&statistic) {
        return Err(fail(call, INVALID, format!("Invalid statistic {statistic}")));
    }
    Ok(())
}

fn check_step(policy: &Attrs) -> Result<(), ProviderError> {
    let call = "PutScalingPolicy";
    let kind = str_of(policy, "adjustment_type").unwrap_or_default();
    if !ADJUSTMENT_TYPES.contains(&kind) {
        return Err(fail(call, INVALID, format!("Invalid adjustment type {kind}")));
    }
    let aggregation = str_of(policy, "metric_aggregation").unwrap_or_default();
    if !METRIC_AGGREGATIONS.contains(&aggregation) {
        return Err(fail(
            call,
            INVALID,
            format!("Invalid metric aggregation type {aggregation}"),
        ));
    }
    Ok(())
}

fn check_action(action: &Attrs) -> Result<(), ProviderError> {
    let call = "PutScheduledAction";
    let schedule = str_of(action, "schedule").unwrap_or_default();
    if !valid_schedule(schedule) {
        return Err(fail(
            call,
            INVALID,
            format!("Schedule expression {schedule} is invalid: use at(...), rate(...) or cron(...)"),
        ));
    }
    if int_of(action, "min_capacity").is_none() && int_of(action, "max_capacity").is_none() {
        return Err(fail(
            call,
            INVALID,
            "ScalableTargetAction must have MinCapacity or MaxCapacity".to_owned(),
        ));
    }
    Ok(())
}
