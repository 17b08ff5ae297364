//! A log group's metric filters as PutMetricFilter takes them: a name once
//! per group, without `:` or `*`, a pattern within CloudWatch Logs' length,
//! and a metric with at most 3 dimensions and no default value beside
//! them.

use std::collections::BTreeMap;

use berth_provider::Value;

use super::domain::string;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::DesiredResource;

const CODE: &str = "E0654";

pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<&str, Span> = BTreeMap::new();
    for filter in r.body.blocks("metric_filter") {
        if let Some((name, span)) = string(&filter.body, "name") {
            if name.is_empty() || name.chars().count() > 512 || name.contains([':', '*']) {
                diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("CloudWatch Logs refuses the filter name `{name}`"),
                        span,
                    )
                    .label("1 to 512 characters, without `:` or `*`")
                    .help("name it with letters, digits, `-`, `_`, `.` or `/`"),
                );
            }
            if let Some(first) = names.insert(name, span) {
                diags.push(
                    Diagnostic::error(CODE, format!("two metric filters named `{name}`"), span)
                        .label("named again here")
                        .also(first, "first named here")
                        .help("a name is once per log group: give each filter its own"),
                );
            }
        }
        if let Some((pattern, span)) = string(&filter.body, "pattern")
            && pattern.chars().count() > 1024
        {
            diags.push(
                Diagnostic::error(CODE, "a filter pattern is at most 1024 characters", span)
                    .label(format!("{} characters", pattern.chars().count())),
            );
        }
        for metric in filter.body.blocks("metric_transformation") {
            let dimensions = match metric.body.known("dimensions") {
                Some(Value::Map(d)) => d.len(),
                _ => 0,
            };
            let Some(span) = metric.body.span("dimensions") else {
                continue;
            };
            if dimensions > 3 {
                diags.push(
                    Diagnostic::error(CODE, "a metric filter has at most 3 dimensions", span)
                        .label(format!("{dimensions} dimensions")),
                );
            }
            if dimensions > 0
                && let Some(default) = metric.body.span("default_value")
            {
                diags.push(
                    Diagnostic::error(CODE, "a metric with dimensions takes no default value", default)
                        .label("a default value")
                        .also(span, "beside dimensions")
                        .help("remove `default_value`: CloudWatch Logs refuses both"),
                );
            }
        }
    }
}
