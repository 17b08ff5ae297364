//! A log group's metric filters (its `metric_filter` blocks): PutMetricFilter
//! makes or replaces one, DeleteMetricFilter removes one. Filters take no
//! tags: they are read as their group's, every filter of the region listed
//! by one paginated DescribeMetricFilters and sorted to the stack's groups.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudwatchlogs::types::{MetricFilter, MetricTransformation, StandardUnit};
use berth_provider::schema::canonical_block;
use berth_provider::{Attrs, Kind, ProviderError, Value};

use super::SERVICE;
use crate::attrs::{attrs, blocks_of, f64_of, nulls_out, opt_str, str_of};
use crate::errors::build_error;
use crate::{AwsProvider, paginate};

/// The attribute holding a log group's filters.
pub(super) const FILTERS: &str = "metric_filter";

/// The filters of the region's log groups (of `group` alone, when given),
/// as `metric_filter` blocks by group name.
pub(super) async fn by_group(
    p: &AwsProvider,
    group: Option<&str>,
) -> Result<HashMap<String, Vec<Value>>, ProviderError> {
    let logs = &p.clients.logs;
    let filters = p
        .list(SERVICE, "DescribeMetricFilters", || {
            paginate!(
                logs.describe_metric_filters()
                    .set_log_group_name(group.map(str::to_owned)),
                metric_filters
            )
        })
        .await?;
    let mut out: HashMap<String, Vec<Value>> = HashMap::new();
    for f in &filters {
        if let Some(group) = f.log_group_name() {
            let filters = out.entry(group.to_owned()).or_default();
            let filter = decode(f);
            // A name is once per group on AWS; moto adds a second copy
            // where a re-sent PutMetricFilter (a lost answer) replaces.
            let name = filter.as_map().and_then(|m| m.get("name")).cloned();
            filters.retain(|held| held.as_map().and_then(|m| m.get("name")) != name.as_ref());
            filters.push(filter);
        }
    }
    Ok(out)
}

/// One filter as its block.
fn decode(f: &MetricFilter) -> Value {
    let transformations = f
        .metric_transformations()
        .iter()
        .map(|t| {
            let dimensions: BTreeMap<String, Value> = t
                .dimensions()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            Value::Map(attrs([
                ("name", Value::from(t.metric_name())),
                ("namespace", Value::from(t.metric_namespace())),
                ("value", Value::from(t.metric_value())),
                (
                    "default_value",
                    t.default_value().and_then(Value::from_f64).unwrap_or(Value::Null),
                ),
                ("unit", opt_str(t.unit().map(StandardUnit::as_str))),
                ("dimensions", Value::Map(dimensions)),
            ]))
        })
        .collect();
    Value::Map(attrs([
        ("name", Value::from(f.filter_name().unwrap_or_default())),
        ("pattern", Value::from(f.filter_pattern().unwrap_or_default())),
        ("metric_transformation", Value::List(transformations)),
    ]))
}

/// The filters of `a`, by name.
fn named(a: &Attrs) -> BTreeMap<&str, &Attrs> {
    blocks_of(a, FILTERS)
        .into_iter()
        .map(|f| (str_of(f, "name").unwrap_or_default(), f))
        .collect()
}

/// A filter in the form the plan compares it in: the read holds `unit`,
/// `default_value` and `dimensions` a written filter may leave out, so
/// every filter looked changed and was put again.
fn compared(f: &Attrs) -> Value {
    let form = match Kind::LogGroup.schema().block(FILTERS) {
        Some(schema) => canonical_block(f, schema),
        None => f.clone(),
    };
    nulls_out(&Value::Map(form))
}

/// Makes the filters of group `group` those of `new`, from those of `old`:
/// PutMetricFilter for each added or changed, DeleteMetricFilter for each
/// gone. A changed filter is deleted before it is put again: AWS's
/// PutMetricFilter replaces the filter of its name, moto's adds a second.
pub(super) async fn settle(
    p: &AwsProvider,
    group: &str,
    old: &Attrs,
    new: &Attrs,
) -> Result<(), ProviderError> {
    let (had, wanted) = (named(old), named(new));
    for (name, f) in &wanted {
        match had.get(name) {
            Some(was) if compared(was) == compared(f) => continue,
            Some(_) => delete(p, group, name).await?,
            None => {}
        }
        put(p, group, name, f).await?;
    }
    for name in had.keys().filter(|n| !wanted.contains_key(*n)) {
        delete(p, group, name).await?;
    }
    Ok(())
}

/// PutMetricFilter: the filter `name` of group `group` as block `f` says.
async fn put(p: &AwsProvider, group: &str, name: &str, f: &Attrs) -> Result<(), ProviderError> {
    let call = "PutMetricFilter";
    let logs = &p.clients.logs;
    let transformations = blocks_of(f, "metric_transformation")
        .into_iter()
        .map(|t| {
            let dimensions: HashMap<String, String> = t
                .get("dimensions")
                .and_then(Value::as_map)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect();
            MetricTransformation::builder()
                .set_metric_name(str_of(t, "name").map(str::to_owned))
                .set_metric_namespace(str_of(t, "namespace").map(str::to_owned))
                .set_metric_value(str_of(t, "value").map(str::to_owned))
                .set_default_value(f64_of(t, "default_value"))
                .set_unit(str_of(t, "unit").map(StandardUnit::from))
                .set_dimensions((!dimensions.is_empty()).then_some(dimensions))
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pattern = str_of(f, "pattern").unwrap_or_default();
    p.call(SERVICE, call, || {
        logs.put_metric_filter()
            .log_group_name(group)
            .filter_name(name)
            .filter_pattern(pattern)
            .set_metric_transformations(Some(transformations.clone()))
            .send()
    })
    .await?;
    Ok(())
}

/// DeleteMetricFilter: the filter `name` of group `group` (gone already is
/// done).
async fn delete(p: &AwsProvider, group: &str, name: &str) -> Result<(), ProviderError> {
    let logs = &p.clients.logs;
    p.call_unless(
        SERVICE,
        "DeleteMetricFilter",
        &["ResourceNotFoundException"],
        || {
            logs.delete_metric_filter()
                .log_group_name(group)
                .filter_name(name)
                .send()
        },
    )
    .await?;
    Ok(())
}
