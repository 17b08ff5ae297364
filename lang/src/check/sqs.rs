//! SQS queues as CreateQueue and SetQueueAttributes take them: a FIFO
//! queue's name ends in `.fifo` (and only its does), FIFO settings on FIFO
//! queues, high throughput's two settings together, one kind of
//! encryption (a data key reuse period only with a KMS key), a redrive
//! policy's two halves, and a dead-letter queue of the stack of the same
//! type as its source.

use berth_provider::sqs::{DEDUPLICATION_SCOPES, THROUGHPUT_LIMITS, faults, name_fault};
use berth_provider::{Kind, Value};

use super::domain::{CaseSensitive, given, int, spelled, string};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

const CODE: &str = "E0644";

pub(super) fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let fifo = matches!(r.body.known("fifo"), Some(Value::Bool(true)));
    if let Some((name, span)) = string(&r.body, "name")
        && let Some(fault) = name_fault(name, fifo)
        // Length and characters are the name rule's (`check::names`),
        // which lets `.` through for `.fifo`.
        && (name.ends_with(".fifo") != fifo || name.trim_end_matches(".fifo").contains('.'))
    {
        let help = match (fifo, name.ends_with(".fifo")) {
            (true, false) => format!("name it `{name}.fifo`"),
            (false, true) => "set `fifo = true`, or name it without `.fifo`".to_owned(),
            _ => "`.` only in a FIFO queue's `.fifo`".to_owned(),
        };
        diags.push(
            Diagnostic::error(CODE, format!("SQS refuses the queue name `{name}`"), span)
                .label(fault)
                .help(help),
        );
    }
    for (attr, what, allowed) in [
        (
            "deduplication_scope",
            "deduplication scope",
            &DEDUPLICATION_SCOPES,
        ),
        (
            "fifo_throughput_limit",
            "FIFO throughput limit",
            &THROUGHPUT_LIMITS,
        ),
    ] {
        let spelling = CaseSensitive {
            service: "SQS",
            code: CODE,
            allowed,
        };
        spelled(&r.body, attr, what, &spelling, diags);
    }
    // Unknown values are told above, with the values SQS takes.
    for fault in faults(given(&r.body)) {
        let Some(span) = r.body.span(fault.attr) else {
            continue;
        };
        diags.push(
            Diagnostic::error(
                CODE,
                format!("SQS refuses `{}` ({})", fault.attr, fault.code),
                span,
            )
            .label(fault.message)
            .help(help(fault.attr)),
        );
    }
    dead_letter_type(stack, r, fifo, diags);
    if let Some((reuse, span)) = int(&r.body, "kms_data_key_reuse")
        && reuse != 300
        && r.body.value("kms_key").is_none()
    {
        diags.push(
            Diagnostic::error(CODE, "a data key reuse period without a KMS key", span)
                .label("SQS keeps it only for a queue encrypted with `kms_key`")
                .help("give `kms_key`, or leave `kms_data_key_reuse` out"),
        );
    }
}

/// What to write instead of a setting SQS refuses.
fn help(attr: &str) -> &'static str {
    match attr {
        "content_based_deduplication" | "deduplication_scope" => "set `fifo = true`, or leave it out",
        "fifo_throughput_limit" => {
            "high throughput is `deduplication_scope = \"messageGroup\"` with `fifo_throughput_limit = \"perMessageGroupId\"`"
        }
        "sqs_managed_sse" => "leave `sqs_managed_sse` out: a queue with `kms_key` is encrypted by that key",
        "dead_letter_queue" => {
            "a redrive policy is `dead_letter_queue = sqs_queue.NAME.arn` with `max_receive_count`"
        }
        _ => "give `dead_letter_queue = sqs_queue.NAME.arn` too, or leave it out",
    }
}

/// A FIFO queue's dead letters go to a FIFO queue, a standard queue's to
/// a standard one (SQS: InvalidParameterCombination).
fn dead_letter_type(stack: &Stack, r: &DesiredResource, fifo: bool, diags: &mut Vec<Diagnostic>) {
    let (Some(DesiredValue::Ref(target)), Some(span)) = (
        r.body.value("dead_letter_queue"),
        r.body.span("dead_letter_queue"),
    ) else {
        return;
    };
    if target.address.kind != Kind::SqsQueue {
        return;
    }
    if target.attr != "arn" {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("a dead-letter queue named by its `{}`", target.attr),
                span,
            )
            .label("SQS's redrive policy takes the queue's ARN")
            .help(format!("write `{}.arn`", target.address)),
        );
        return;
    }
    let Some(dlq) = stack.resource(&target.address) else {
        return;
    };
    let dlq_fifo = matches!(dlq.body.known("fifo"), Some(Value::Bool(true)));
    if dlq_fifo != fifo {
        let (this, that) = if fifo {
            ("FIFO", "standard")
        } else {
            ("standard", "FIFO")
        };
        diags.push(
            Diagnostic::error(CODE, format!("a {this} queue's dead letters to a {that} queue"), span)
                .label(format!("`{}` is a {that} queue", target.address))
                .help(format!("SQS refuses it (InvalidParameterCombination): a {this} queue's dead-letter queue is a {this} queue")),
        );
    }
}
