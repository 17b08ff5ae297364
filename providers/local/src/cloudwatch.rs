//! CloudWatch metric alarms, put and deleted with PutMetricAlarm's rules.
//! A `scaling_policy` block names a step-scaling policy of a service this
//! cloud holds: the alarm keeps the policy's ARN among its actions, as
//! AWS does, and the block is read back from it.

use std::collections::BTreeMap;

use berth_provider::alarm::{MISSING_DATA, OPERATORS, STATISTICS, evaluation_limit, valid_period};
use berth_provider::attrs::{blocks_of, int_of, str_of};
use berth_provider::{Address, Attrs, Kind, ProviderError, naming};

use crate::api::{fail, invalid};
use crate::sim::Sim;

const CALL: &str = "PutMetricAlarm";

/// Puts an alarm named `{stack}-{name}` unless the configuration names it;
/// returns its key (ARN). PutMetricAlarm overwrites an alarm of the same
/// name, as AWS's does: only this address's (a create sent again after a
/// lost answer); another's is refused.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CALL);
    let name =
        naming::given(&attrs, "name").map_or_else(|| naming::metric_alarm(stack, address), str::to_owned);
    check(sim, &attrs)?;
    let arn = sim.arn("cloudwatch", &format!("alarm:{name}"));
    // PutMetricAlarm would overwrite the alarm of that name: berth's AWS
    // adapter refuses another's (DescribeAlarms first), as here.
    if let Some(held) = sim.rec(&arn)
        && !held.same_address(&tags)
    {
        let held = held.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        return Err(berth_provider::adopt::name_held(
            CALL,
            Kind::MetricAlarm,
            &name,
            address,
            &held,
        ));
    }
    Ok(sim.insert_named(Kind::MetricAlarm, arn, name, tags, attrs, false))
}

/// PutMetricAlarm again when anything but the tags changed.
pub(crate) fn update(sim: &mut Sim, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let settings = |a: &Attrs| {
        let mut a = a.clone();
        a.remove("tags");
        a.remove("name");
        a.remove("arn");
        a
    };
    if settings(old) != settings(new) {
        sim.call(CALL);
        check(sim, new)?;
    }
    Ok(())
}

pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    sim.call("DeleteAlarms");
    sim.remove(key);
    Ok(())
}

fn validation(message: String) -> ProviderError {
    invalid(Kind::MetricAlarm, CALL, message)
}

/// PutMetricAlarm's rules (CloudWatch answers `ValidationError`).
fn check(sim: &Sim, a: &Attrs) -> Result<(), ProviderError> {
    let enum_value = |field: &str, set: &[&str]| match str_of(a, field) {
        Some(v) if !set.contains(&v) => Err(validation(format!(
            "1 validation error detected: Value '{v}' at '{field}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            set.join(", ")
        ))),
        _ => Ok(()),
    };
    enum_value("comparison_operator", &OPERATORS)?;
    enum_value("statistic", &STATISTICS)?;
    if let Some(v) = str_of(a, "treat_missing_data")
        && !MISSING_DATA.contains(&v)
    {
        return Err(validation(format!(
            "Option {v} is not supported. Supported options for parameter TreatMissingData are: {}",
            MISSING_DATA.join(", ")
        )));
    }
    match (str_of(a, "statistic"), str_of(a, "extended_statistic")) {
        (Some(_), Some(_)) => {
            return Err(fail(
                CALL,
                "InvalidParameterCombination",
                "Statistic and ExtendedStatistic cannot both be specified.",
            ));
        }
        (None, None) => {
            return Err(fail(
                CALL,
                "MissingParameter",
                "Either the Statistic or ExtendedStatistic parameter must be specified.",
            ));
        }
        _ => {}
    }
    let period = int_of(a, "period").unwrap_or_default();
    if !valid_period(period) {
        return Err(validation(
            "Period must be 10, 20, 30 or a multiple of 60".to_owned(),
        ));
    }
    let periods = int_of(a, "evaluation_periods").unwrap_or_default();
    let limit = evaluation_limit(period);
    if period.saturating_mul(periods) > limit {
        return Err(validation(format!(
            "The evaluation period cannot be longer than {limit} seconds"
        )));
    }
    if int_of(a, "datapoints_to_alarm").is_some_and(|m| m > periods) {
        return Err(validation(
            "DatapointsToAlarm must be less than or equal to EvaluationPeriods".to_owned(),
        ));
    }
    for policy in blocks_of(a, "scaling_policy") {
        step_policy(sim, policy)?;
    }
    Ok(())
}

/// The service a `scaling_policy` block names holds a step-scaling policy
/// of that label; the AWS adapter asks Application Auto Scaling for its
/// ARN and fails the same way when there is none.
fn step_policy(sim: &Sim, block: &Attrs) -> Result<(), ProviderError> {
    let service = str_of(block, "service").unwrap_or_default();
    let policy = str_of(block, "policy").unwrap_or_default();
    let found = sim
        .find(Kind::Service, service)
        .and_then(|key| sim.rec(&key))
        .is_some_and(|rec| {
            blocks_of(&rec.attrs, "autoscaling")
                .into_iter()
                .flat_map(|a| blocks_of(a, "step_scaling"))
                .any(|p| str_of(p, "name") == Some(policy))
        });
    if found {
        Ok(())
    } else {
        Err(validation(format!(
            "Invalid alarm action: no step scaling policy {policy} on {service}"
        )))
    }
}
