//! The action of a listener (its default) or of a rule as berth writes
//! it: a forward to a target group (`default`, a rule's `forward`), a
//! forward to several by weight (`weighted_forward` blocks), a `redirect`
//! block or a `fixed_response` block, a forward sticky or not
//! (`forward_stickiness`); built into the SDK's `Action` and read back
//! from it.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, ForwardActionConfig, RedirectActionConfig,
    RedirectActionStatusCodeEnum, TargetGroupStickinessConfig, TargetGroupTuple,
};
use berth_provider::{Attrs, Value};

use crate::attrs::{attrs, blocks_of, i32_of, int_of, opt_str, str_of};

/// The action of listener or rule attributes `a`, whose target group
/// attribute is `forward`.
pub(super) fn action(a: &Attrs, forward: &str) -> Action {
    if let Some(r) = blocks_of(a, "redirect").first() {
        let config = RedirectActionConfig::builder()
            .protocol(str_of(r, "protocol").unwrap_or("#{protocol}"))
            .port(str_of(r, "port").unwrap_or("#{port}"))
            .host(str_of(r, "host").unwrap_or("#{host}"))
            .path(str_of(r, "path").unwrap_or("/#{path}"))
            .query(str_of(r, "query").unwrap_or("#{query}"))
            .status_code(RedirectActionStatusCodeEnum::from(
                str_of(r, "status_code").unwrap_or("HTTP_301"),
            ))
            .build();
        return Action::builder()
            .r#type(ActionTypeEnum::Redirect)
            .redirect_config(config)
            .build();
    }
    if let Some(f) = blocks_of(a, "fixed_response").first() {
        let config = FixedResponseActionConfig::builder()
            .status_code(int_of(f, "status_code").unwrap_or(200).to_string())
            .content_type(str_of(f, "content_type").unwrap_or("text/plain"))
            .set_message_body(str_of(f, "body").map(str::to_owned))
            .build();
        return Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(config)
            .build();
    }
    let weighted = blocks_of(a, "weighted_forward");
    let stickiness = i32_of(a, "forward_stickiness");
    // Stickiness lives in a ForwardConfig: a plain forward with one takes
    // that shape too, its one target group weighted 1.
    if !weighted.is_empty() || stickiness.is_some() {
        let groups = if weighted.is_empty() {
            vec![
                TargetGroupTuple::builder()
                    .set_target_group_arn(str_of(a, forward).map(str::to_owned))
                    .weight(1)
                    .build(),
            ]
        } else {
            weighted
                .into_iter()
                .map(|w| {
                    TargetGroupTuple::builder()
                        .set_target_group_arn(str_of(w, "target_group").map(str::to_owned))
                        .set_weight(i32_of(w, "weight"))
                        .build()
                })
                .collect()
        };
        let sticky = stickiness.map(|d| {
            TargetGroupStickinessConfig::builder()
                .enabled(true)
                .duration_seconds(d)
                .build()
        });
        return Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .forward_config(
                ForwardActionConfig::builder()
                    .set_target_groups(Some(groups))
                    .set_target_group_stickiness_config(sticky)
                    .build(),
            )
            .build();
    }
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(str_of(a, forward).unwrap_or_default())
        .build()
}

/// The target group a forward action sends everything to: its only one.
/// A forward to several by weight has none (see [`read_weighted`]).
pub(super) fn target(a: &Action) -> Option<String> {
    match a.forward_config().map(|f| f.target_groups()) {
        Some([only]) => only.target_group_arn(),
        Some([_, _, ..]) => None,
        _ => a.target_group_arn(),
    }
    .map(str::to_owned)
}

/// The `weighted_forward` blocks of a forward to several target groups.
pub(super) fn read_weighted(actions: &[Action]) -> Value {
    let groups = actions
        .iter()
        .filter_map(|a| a.forward_config())
        .map(|f| f.target_groups())
        .find(|groups| groups.len() > 1)
        .unwrap_or_default();
    Value::List(
        groups
            .iter()
            .map(|g| {
                Value::Map(attrs([
                    ("target_group", opt_str(g.target_group_arn())),
                    ("weight", Value::Int(i64::from(g.weight().unwrap_or(1)))),
                ]))
            })
            .collect(),
    )
}

/// `forward_stickiness`: the duration of a forward's stickiness when it is
/// on (ELB answers `Enabled: false` for a forward without one).
pub(super) fn read_stickiness(actions: &[Action]) -> Value {
    actions
        .iter()
        .filter_map(|a| a.forward_config()?.target_group_stickiness_config())
        .find(|s| s.enabled() == Some(true))
        .and_then(TargetGroupStickinessConfig::duration_seconds)
        .map_or(Value::Null, |d| Value::Int(i64::from(d)))
}

/// The `redirect` and `fixed_response` blocks of a listener's default
/// actions or a rule's actions, as lists of zero or one block.
pub(super) fn read_blocks(actions: &[Action]) -> (Value, Value) {
    let mut redirect = Vec::new();
    let mut fixed = Vec::new();
    for a in actions {
        if let Some(r) = a.redirect_config() {
            redirect.push(Value::Map(attrs([
                ("protocol", Value::from(r.protocol().unwrap_or("#{protocol}"))),
                ("port", Value::from(r.port().unwrap_or("#{port}"))),
                ("host", Value::from(r.host().unwrap_or("#{host}"))),
                ("path", Value::from(r.path().unwrap_or("/#{path}"))),
                ("query", Value::from(r.query().unwrap_or("#{query}"))),
                (
                    "status_code",
                    Value::from(r.status_code().map_or("HTTP_301", |s| s.as_str())),
                ),
            ])));
        }
        if let Some(f) = a.fixed_response_config() {
            let code = f.status_code().and_then(|s| s.parse::<i64>().ok());
            fixed.push(Value::Map(attrs([
                ("status_code", code.map_or(Value::Null, Value::Int)),
                (
                    "content_type",
                    Value::from(f.content_type().unwrap_or("text/plain")),
                ),
                ("body", opt_str(f.message_body().filter(|b| !b.is_empty()))),
            ])));
        }
    }
    (Value::List(redirect), Value::List(fixed))
}
