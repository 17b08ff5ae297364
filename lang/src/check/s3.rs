//! S3 buckets as S3 takes their settings: known values, a KMS key only
//! with KMS encryption, a policy S3's public access block lets through,
//! lifecycle rules that do something and move objects when S3 allows; and
//! a load balancer writing access logs only to a bucket S3 encrypts with
//! its own keys (Elastic Load Balancing cannot use a KMS key).

use berth_provider::Value;
use berth_provider::policy::DocumentKind;
use berth_provider::s3::{
    ENCRYPTIONS, OWNERSHIPS, STORAGE_CLASSES, VERSIONING, grants_public_access, min_transition_days,
};

use super::domain::{int, string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBlock, DesiredResource};

const CODE: &str = "E0643";

const ACTIONS: [&str; 3] = [
    "expiration_days",
    "noncurrent_expiration_days",
    "abort_incomplete_upload_days",
];

pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    diags.extend(unknown_value(
        &r.body,
        "versioning",
        "versioning state",
        &VERSIONING,
    ));
    diags.extend(unknown_value(&r.body, "encryption", "encryption", &ENCRYPTIONS));
    diags.extend(unknown_value(
        &r.body,
        "object_ownership",
        "object ownership",
        &OWNERSHIPS,
    ));
    let encryption = string(&r.body, "encryption").map_or("AES256", |(e, _)| e);
    if encryption == "AES256"
        && let Some(span) = r.body.span("kms_key")
    {
        diags.push(
            Diagnostic::error(CODE, "a KMS key for S3-managed encryption", span)
                .label("`encryption` is `AES256`, which takes no key")
                .help("set `encryption = \"aws:kms\"`, or leave `kms_key` out"),
        );
    }
    policy(r, diags);
    for rule in r.body.blocks("lifecycle_rule") {
        lifecycle_rule(rule, diags);
    }
}

/// A policy of IAM's grammar, and not public while the bucket blocks
/// public policies (S3 answers PutBucketPolicy with AccessDenied).
fn policy(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let (Some(value), Some(span)) = (r.body.value("policy"), r.body.span("policy")) else {
        return;
    };
    if let Some(doc) = r.body.known("policy") {
        super::iam::grammar(doc, DocumentKind::Resource, &r.body, "policy", diags);
    }
    // Who it lets in is known before the ARNs it names (often the
    // bucket's own).
    let doc = value.resolve(&|_| Value::Unknown);
    let blocks = !matches!(r.body.known("block_public_policy"), Some(Value::Bool(false)));
    if blocks && grants_public_access(&doc) {
        diags.push(
            Diagnostic::error(CODE, "a public bucket policy while public policies are blocked", span)
                .label("allows everyone (`*`) without a condition")
                .help("S3 refuses it (AccessDenied): set `block_public_policy = false` if the bucket is meant to be public, or name the principals"),
        );
    }
}

/// A rule with an action, and transitions S3 takes: known classes, the
/// infrequent-access ones after 30 days, and expiration after every
/// transition (the days' bounds are the schema's).
fn lifecycle_rule(rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let transitions = rule.body.blocks("transition");
    if transitions.is_empty() && ACTIONS.iter().all(|a| rule.body.span(a).is_none()) {
        diags.push(
            Diagnostic::error(CODE, "a lifecycle rule that does nothing", rule.span)
                .label("no expiration, transition or abort of uploads")
                .help("S3 refuses it (InvalidRequest): give it `expiration_days`, `noncurrent_expiration_days`, `abort_incomplete_upload_days` or a `transition`"),
        );
    }
    let mut last_move = None;
    for t in transitions {
        diags.extend(unknown_value(
            &t.body,
            "storage_class",
            "storage class",
            &STORAGE_CLASSES,
        ));
        let (Some((class, _)), Some((days, span))) = (string(&t.body, "storage_class"), int(&t.body, "days"))
        else {
            continue;
        };
        if let Some(min) = min_transition_days(class)
            && days < min
        {
            diags.push(
                Diagnostic::error(CODE, format!("a move to {class} after {days} days"), span)
                    .label(format!("S3 moves objects to {class} after {min} days at least"))
                    .help(format!("write `days = {min}` or more")),
            );
        }
        last_move = last_move.max(Some(days));
    }
    if let (Some((expires, span)), Some(last)) = (int(&rule.body, "expiration_days"), last_move)
        && expires <= last
    {
        diags.push(
            Diagnostic::error(CODE, format!("objects expire after {expires} days, before their last move"), span)
                .label(format!("a transition moves them after {last} days"))
                .help("S3 refuses it (InvalidArgument): expire them later than every transition, or drop the transition"),
        );
    }
}

/// A load balancer's access or connection logs go to a bucket encrypted
/// with S3's keys: Elastic Load Balancing cannot write with a KMS key, and
/// refuses the attribute (InvalidConfigurationRequest, "Access Denied for
/// bucket").
pub(super) fn log_buckets<'s>(
    lb: &DesiredResource,
    bucket: impl Fn(&str) -> Option<&'s DesiredResource>,
    diags: &mut Vec<Diagnostic>,
) {
    for attr in ["access_logs_bucket", "connection_logs_bucket"] {
        let (Some(target), Some(span)) = (bucket(attr), lb.body.span(attr)) else {
            continue;
        };
        if let Some((encryption, _)) = string(&target.body, "encryption")
            && encryption != "AES256"
        {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("load balancer logs to a bucket encrypted with `{encryption}`"),
                    span,
                )
                .label("Elastic Load Balancing writes logs only to buckets encrypted with S3's keys")
                .also(target.span, "this bucket uses KMS")
                .help("give the log bucket `encryption = \"AES256\"` (S3-managed keys)"),
            );
        }
    }
}
