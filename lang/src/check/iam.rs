//! A role as IAM takes it: exactly one of `assume` and `assume_policy`;
//! its trust policy and inline policies in IAM's policy grammar (the one
//! [`berth_provider::policy`] holds, which the local cloud enforces too);
//! inline policy names IAM accepts; the quotas on document sizes.

use berth_provider::Value;
use berth_provider::policy::{self, DocumentKind, INLINE_SIZE, TRUST_SIZE};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBody, DesiredResource, DesiredValue};

/// E0530: a role's or managed policy's `path` IAM refuses.
pub(super) fn path(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let (Some(Value::String(path)), Some(span)) = (r.body.known("path"), r.body.span("path"))
        && let Some(problem) = berth_provider::naming::iam_path_problem(path)
    {
        diags.push(
            Diagnostic::error("E0530", format!("`{path}` is not an IAM path"), span)
                .label(problem)
                .help("write `/` (IAM's root, Terraform's default) or `/a/b/`"),
        );
    }
}

/// Checks the trust policy and inline policies of a role.
pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    trust(r, diags);
    path(r, diags);
    let mut total = 0;
    for block in r.body.blocks("policy") {
        if let Some(label) = &block.label
            && let Some(problem) = policy::name_problem(&label.node)
        {
            diags.push(
                Diagnostic::error(
                    "E0581",
                    format!("`{}` is not an inline policy name", label.node),
                    label.span,
                )
                .label(problem)
                .help("IAM takes 1 to 128 letters, digits and `+=,.@_-`"),
            );
        }
        if let Some((doc, span)) = document(&block.body, "document") {
            grammar(&doc, DocumentKind::Identity, &block.body, "document", diags);
            total += policy::size(&doc);
            if total > INLINE_SIZE {
                diags.push(
                    Diagnostic::error("E0582", format!("the inline policies of {} are too large", r.address), span)
                        .label(format!("{total} characters so far"))
                        .help(format!(
                            "IAM holds at most {INLINE_SIZE} characters (whitespace aside) of inline policies per role; move some into a managed policy"
                        )),
                );
            }
        }
    }
}

fn trust(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let written = |name: &str| {
        r.body
            .value(name)
            .is_some_and(|v| *v != DesiredValue::Known(Value::Null))
    };
    match (written("assume"), written("assume_policy")) {
        (false, false) => diags.push(
            Diagnostic::error("E0580", format!("{} has no trust policy", r.address), r.span)
                .label("no `assume` or `assume_policy`")
                .help("set `assume = \"ecs-tasks.amazonaws.com\"`, or the whole trust policy as `assume_policy = { ... }`"),
        ),
        (true, true) => {
            let span = r.body.span("assume").unwrap_or(r.span);
            diags.push(
                Diagnostic::error("E0580", format!("{} has two trust policies", r.address), span)
                    .label("`assume_policy` is set too")
                    .help("`assume = \"SERVICE\"` is short for a whole trust policy: keep one of them"),
            );
        }
        _ => {}
    }
    if let Some((doc, span)) = document(&r.body, "assume_policy") {
        grammar(&doc, DocumentKind::Trust, &r.body, "assume_policy", diags);
        let size = policy::size(&doc);
        if size > TRUST_SIZE {
            diags.push(
                Diagnostic::error(
                    "E0582",
                    format!("the trust policy of {} is too large", r.address),
                    span,
                )
                .label(format!("{size} characters"))
                .help(format!(
                    "IAM holds at most {TRUST_SIZE} characters (whitespace aside) in a trust policy"
                )),
            );
        }
    }
}

/// A document attribute as a value, references unknown, with its span.
pub(super) fn document(body: &DesiredBody, name: &str) -> Option<(Value, Span)> {
    let value = body.value(name)?.resolve(&|_| Value::Unknown);
    (value != Value::Null).then_some((value, body.span(name)?))
}

/// Reports each way `doc`, attribute `name` of `body`, breaks IAM's
/// grammar, at the part written wrong where it is written literally.
pub(super) fn grammar(
    doc: &Value,
    kind: DocumentKind,
    body: &DesiredBody,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) {
    // A value of another type is a type error, reported apart.
    if !matches!(doc, Value::Map(_) | Value::String(_)) {
        return;
    }
    // Who checks the document at apply, what it is to them, and how.
    let (service, what, answer) = match kind {
        DocumentKind::Identity | DocumentKind::Managed => ("IAM", "policy", "answer MalformedPolicyDocument"),
        DocumentKind::Trust => ("IAM", "trust policy", "answer MalformedPolicyDocument"),
        DocumentKind::Endpoint => ("EC2", "endpoint policy", "refuse CreateVpcEndpoint"),
        DocumentKind::Repository => ("ECR", "repository policy", "refuse SetRepositoryPolicy"),
        DocumentKind::FileSystem => ("EFS", "file system policy", "refuse PutFileSystemPolicy"),
        DocumentKind::Queue => ("SQS", "queue policy", "refuse SetQueueAttributes"),
        DocumentKind::Resource => ("S3", "bucket policy", "answer MalformedPolicy"),
    };
    for p in policy::problems(doc, kind) {
        let location = p.location();
        let Some(span) = body.part_span(name, &location) else {
            continue;
        };
        let at = match location {
            l if l.is_empty() => format!("in this {what}"),
            l => format!("at `{l}`"),
        };
        diags.push(
            Diagnostic::error(
                "E0583",
                format!("{service} would refuse this {what}: {}", p.message),
                span,
            )
            .label(at)
            .help(format!(
                "{service} would {answer} at apply; see the IAM JSON policy reference"
            )),
        );
    }
}
