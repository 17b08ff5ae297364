//! Capacity provider strategies, a service's and a cluster's default: the
//! blocks as ECS's items and back.

use aws_sdk_ecs::types::CapacityProviderStrategyItem;
use berth_provider::{Attrs, ProviderError, Value};

use crate::attrs::{attrs, blocks_of, i32_of, str_of};
use crate::errors::build_error;

/// The `block` blocks of `a` as ECS's items (`call` names a build error).
pub(super) fn encode(
    call: &str,
    a: &Attrs,
    block: &str,
) -> Result<Vec<CapacityProviderStrategyItem>, ProviderError> {
    blocks_of(a, block)
        .into_iter()
        .map(|b| {
            CapacityProviderStrategyItem::builder()
                .set_capacity_provider(str_of(b, "capacity_provider").map(str::to_owned))
                .weight(i32_of(b, "weight").unwrap_or(0))
                .base(i32_of(b, "base").unwrap_or(0))
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect()
}

/// ECS's items as blocks.
pub(super) fn decode(items: &[CapacityProviderStrategyItem]) -> Value {
    Value::List(
        items
            .iter()
            .map(|c| {
                Value::Map(attrs([
                    ("capacity_provider", Value::from(c.capacity_provider())),
                    ("weight", Value::Int(i64::from(c.weight()))),
                    ("base", Value::Int(i64::from(c.base()))),
                ]))
            })
            .collect(),
    )
}
