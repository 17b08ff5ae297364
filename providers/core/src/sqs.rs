//! SQS's rules that both validate and the local cloud apply to an
//! `sqs_queue`'s settings, as CreateQueue and SetQueueAttributes refuse
//! them: a queue's name, the settings only a FIFO queue has, high
//! throughput's pair of settings, one kind of encryption at a time, and a
//! redrive policy's two halves.

use crate::Value;
use crate::naming::{FIFO_SUFFIX, SQS_QUEUE_MAX};

/// A FIFO queue's deduplication scopes.
pub const DEDUPLICATION_SCOPES: [&str; 2] = ["messageGroup", "queue"];

/// A FIFO queue's throughput quotas.
pub const THROUGHPUT_LIMITS: [&str; 2] = ["perQueue", "perMessageGroupId"];

/// The settings only a FIFO queue has (a standard queue's CreateQueue
/// answers InvalidAttributeName).
pub const FIFO_ONLY: [&str; 3] = [
    "content_based_deduplication",
    "deduplication_scope",
    "fifo_throughput_limit",
];

pub use crate::fault::Fault;

/// What is wrong with `name` as the name of a queue, FIFO or not.
pub fn name_fault(name: &str, fifo: bool) -> Option<String> {
    let stem = name.strip_suffix(FIFO_SUFFIX);
    if fifo && stem.is_none() {
        return Some("a FIFO queue's name ends in `.fifo`".into());
    }
    if !fifo && stem.is_some() {
        return Some("only a FIFO queue's name ends in `.fifo`".into());
    }
    let stem = stem.unwrap_or(name);
    if stem.is_empty() || name.len() > SQS_QUEUE_MAX {
        return Some(format!("1 to {SQS_QUEUE_MAX} characters, `.fifo` included"));
    }
    if let Some(c) = stem
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_".contains(*c)))
    {
        return Some(format!("`{c}`: letters, digits, `-` and `_` only"));
    }
    None
}

/// The settings of one queue whose value SQS does not know (validate
/// tells them with the values SQS takes, in their case).
pub fn unknown_values<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let text = |attr: &str| get(attr).and_then(Value::as_str);
    for (attr, allowed) in [
        ("deduplication_scope", &DEDUPLICATION_SCOPES),
        ("fifo_throughput_limit", &THROUGHPUT_LIMITS),
    ] {
        if let Some(v) = text(attr)
            && !allowed.contains(&v)
        {
            out.push(Fault {
                attr,
                code: "InvalidAttributeValue",
                message: format!("`{v}` is not one of {}", allowed.join(", ")),
            });
        }
    }
    out
}

/// The settings of one queue SQS refuses ([`unknown_values`] apart),
/// `get` reading a setting's value (`None` when left out,
/// [`Value::Unknown`] when given but not known yet).
pub fn faults<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Vec<Fault> {
    let mut out = Vec::new();
    let fifo = matches!(get("fifo"), Some(Value::Bool(true)));
    let text = |attr: &str| get(attr).and_then(Value::as_str);
    if !fifo {
        for attr in FIFO_ONLY {
            if get(attr).is_some_and(|v| !matches!(v, Value::Null | Value::Unknown | Value::Bool(false))) {
                out.push(Fault {
                    attr,
                    code: "InvalidAttributeName",
                    message: "a FIFO queue's setting, on a standard queue".into(),
                });
            }
        }
    }
    if fifo
        && text("fifo_throughput_limit") == Some("perMessageGroupId")
        && text("deduplication_scope") == Some("queue")
    {
        out.push(Fault {
            attr: "fifo_throughput_limit",
            code: "InvalidAttributeValue",
            message: "`perMessageGroupId` needs `deduplication_scope = \"messageGroup\"`".into(),
        });
    }
    let kms = text("kms_key").is_some_and(|k| !k.is_empty());
    if kms && matches!(get("sqs_managed_sse"), Some(Value::Bool(true))) {
        out.push(Fault {
            attr: "sqs_managed_sse",
            code: "InvalidAttributeName",
            message: "one kind of encryption at a time: SQS's own keys or `kms_key`".into(),
        });
    }
    let given = |attr: &str| get(attr).is_some_and(|v| *v != Value::Null);
    match (given("dead_letter_queue"), given("max_receive_count")) {
        (true, false) => out.push(Fault {
            attr: "dead_letter_queue",
            code: "InvalidParameterValue",
            message: "a redrive policy without `max_receive_count`".into(),
        }),
        (false, true) => out.push(Fault {
            attr: "max_receive_count",
            code: "InvalidParameterValue",
            message: "a redrive policy without `dead_letter_queue`".into(),
        }),
        _ => {}
    }
    if let Some(dlq) = text("dead_letter_queue")
        && !crate::arn::is_of(dlq, "sqs")
    {
        out.push(Fault {
            attr: "dead_letter_queue",
            code: "InvalidParameterValue",
            message: format!("`{dlq}` is not an SQS queue's ARN"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn faults_of(settings: &[(&str, Value)]) -> Vec<(&'static str, &'static str)> {
        let map: BTreeMap<String, Value> = settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        unknown_values(|a| map.get(a))
            .into_iter()
            .chain(faults(|a| map.get(a)))
            .map(|f| (f.attr, f.code))
            .collect()
    }

    #[test]
    fn names_follow_the_queue_type() {
        assert_eq!(name_fault("jobs", false), None);
        assert_eq!(name_fault("jobs.fifo", true), None);
        assert!(name_fault("jobs", true).is_some());
        assert!(name_fault("jobs.fifo", false).is_some());
        assert!(name_fault("a.b", false).is_some());
        assert!(name_fault(".fifo", true).is_some());
        assert!(name_fault(&"x".repeat(81), false).is_some());
        assert_eq!(name_fault(&format!("{}.fifo", "x".repeat(75)), true), None);
    }

    #[test]
    fn settings_sqs_refuses_are_named() {
        let s = |v: &str| Value::from(v);
        assert_eq!(faults_of(&[("visibility_timeout", Value::Int(30))]), []);
        assert_eq!(
            faults_of(&[("content_based_deduplication", Value::Bool(true))]),
            [("content_based_deduplication", "InvalidAttributeName")]
        );
        assert_eq!(
            faults_of(&[("content_based_deduplication", Value::Bool(false))]),
            []
        );
        assert_eq!(
            faults_of(&[
                ("fifo", Value::Bool(true)),
                ("fifo_throughput_limit", s("perMessageGroupId")),
                ("deduplication_scope", s("queue")),
            ]),
            [("fifo_throughput_limit", "InvalidAttributeValue")]
        );
        assert_eq!(
            faults_of(&[("fifo", Value::Bool(true)), ("deduplication_scope", s("group"))]),
            [("deduplication_scope", "InvalidAttributeValue")]
        );
        assert_eq!(
            faults_of(&[
                ("kms_key", s("alias/aws/sqs")),
                ("sqs_managed_sse", Value::Bool(true))
            ]),
            [("sqs_managed_sse", "InvalidAttributeName")]
        );
        assert_eq!(
            faults_of(&[("dead_letter_queue", s("arn:aws:sqs:us-east-1:123456789012:dlq"))]),
            [("dead_letter_queue", "InvalidParameterValue")]
        );
        assert_eq!(
            faults_of(&[
                (
                    "dead_letter_queue",
                    s("https://sqs.us-east-1.amazonaws.com/123456789012/dlq")
                ),
                ("max_receive_count", Value::Int(3)),
            ]),
            [("dead_letter_queue", "InvalidParameterValue")]
        );
    }
}
