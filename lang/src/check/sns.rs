//! SNS topics as CreateTopic and Subscribe take them: a FIFO topic's name
//! ends in `.fifo` (and only its does), content-based deduplication is a
//! FIFO topic's, a FIFO topic delivers to SQS queues only, and each
//! subscription's endpoint has its protocol's shape (raw delivery only
//! where SNS offers it, a role for Firehose).

use berth_provider::Value;
use berth_provider::sns::{PROTOCOLS, RAW_PROTOCOLS, endpoint_fault};

use super::domain::{string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBlock, DesiredResource};

const CODE: &str = "E0642";

pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let fifo = matches!(r.body.known("fifo"), Some(Value::Bool(true)));
    if let Some((name, span)) = string(&r.body, "name")
        && name.ends_with(".fifo") != fifo
    {
        let (label, help) = if fifo {
            (
                "a FIFO topic's name ends in `.fifo`",
                format!("name it `{name}.fifo`"),
            )
        } else {
            (
                "only a FIFO topic's name ends in `.fifo`",
                "set `fifo = true`, or name it without `.fifo`".to_owned(),
            )
        };
        diags.push(
            Diagnostic::error(CODE, format!("SNS refuses the topic name `{name}`"), span)
                .label(label)
                .help(help),
        );
    }
    if !fifo
        && let (Some(Value::Bool(true)), Some(span)) = (
            r.body.known("content_based_deduplication"),
            r.body.span("content_based_deduplication"),
        )
    {
        diags.push(
            Diagnostic::error(CODE, "content-based deduplication on a standard topic", span)
                .label("a FIFO topic's setting")
                .help("set `fifo = true`, or leave it out"),
        );
    }
    for sub in r.body.blocks.get("subscription").into_iter().flatten() {
        subscription(sub, fifo, diags);
    }
}

/// A protocol SNS knows, an endpoint of its shape, and SQS alone on a
/// FIFO topic.
fn subscription(sub: &DesiredBlock, fifo: bool, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = unknown_value(&sub.body, "protocol", "subscription protocol", &PROTOCOLS) {
        diags.push(d);
        return;
    }
    let Some((protocol, protocol_span)) = string(&sub.body, "protocol") else {
        return;
    };
    let protocol = protocol.to_ascii_lowercase();
    if fifo && protocol != "sqs" {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("a FIFO topic delivers to SQS only, not `{protocol}`"),
                protocol_span,
            )
            .label("SNS refuses this subscription")
            .help("subscribe an SQS queue, or make the topic a standard one"),
        );
    }
    if let (Some(Value::Bool(true)), Some(span)) = (
        sub.body.known("raw_message_delivery"),
        sub.body.span("raw_message_delivery"),
    ) && !RAW_PROTOCOLS.contains(&protocol.as_str())
    {
        diags.push(
            Diagnostic::error(CODE, format!("raw message delivery to `{protocol}`"), span)
                .label("SQS, HTTP(S) and Firehose subscriptions only")
                .help("leave `raw_message_delivery` out"),
        );
    }
    if protocol == "firehose" && sub.body.span("subscription_role").is_none() {
        diags.push(
            Diagnostic::error(CODE, "a Firehose subscription without a role", sub.span)
                .label("no `subscription_role`")
                .help("give the role SNS assumes to write to the stream: `subscription_role = role.NAME`"),
        );
    }
    let Some((endpoint, span)) = string(&sub.body, "endpoint") else {
        return;
    };
    let fault = endpoint_fault(&protocol, endpoint);
    if let Some(wanted) = fault {
        diags.push(
            Diagnostic::error(CODE, format!("a `{protocol}` subscription to `{endpoint}`"), span)
                .label(format!("not {wanted}"))
                .help(format!("a `{protocol}` subscription's endpoint is {wanted}")),
        );
    }
}
