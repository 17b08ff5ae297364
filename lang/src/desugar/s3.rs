//! Terraform's S3 blocks that berth writes its own way: a lifecycle rule
//! (`rule` of an `aws_s3_bucket_lifecycle_configuration`, or the
//! `lifecycle_rule` of a version 3 `aws_s3_bucket`) as a `lifecycle_rule`
//! labelled by its id, its one-setting blocks (`expiration { days }`,
//! `filter { prefix }`, ...) as settings; and version 3's
//! `versioning { enabled }` as `versioning`.

use super::{CODE, literal, renamed, stray};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Attribute, Block, Expr, ExprKind, Ident, Item, Label};

/// What a lifecycle rule takes, for the help of a setting it does not.
const RULE_TAKES: &str = "`id`, `status` (or `enabled`), `filter { prefix }` (or `prefix`), `expiration { days }`, `noncurrent_version_expiration { noncurrent_days }`, `abort_incomplete_multipart_upload { days_after_initiation }` and `transition { days  storage_class }`";

/// A lifecycle rule of either of Terraform's shapes as berth's
/// `lifecycle_rule ID { ... }`.
pub(super) fn lifecycle_rule(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let what = "a lifecycle rule";
    let mut id = None;
    let mut body = Vec::new();
    for item in b.body {
        match item {
            Item::Attribute(a) => match a.name.name.as_str() {
                "id" => id = Some(a.value),
                "status" => body.extend(status(a, diags)),
                "enabled" | "prefix" => body.push(Item::Attribute(a)),
                "abort_incomplete_multipart_upload_days" => {
                    body.push(Item::Attribute(renamed(a, "abort_incomplete_upload_days")));
                }
                _ => diags.push(stray(&Item::Attribute(a), what, RULE_TAKES)),
            },
            Item::Block(inner) => match inner.kind.name.as_str() {
                "transition" => body.push(Item::Block(inner)),
                "filter" => body.extend(one_setting(inner, &[("prefix", "prefix")], diags)),
                "expiration" => body.extend(one_setting(inner, &[("days", "expiration_days")], diags)),
                "noncurrent_version_expiration" => body.extend(one_setting(
                    inner,
                    &[
                        ("noncurrent_days", "noncurrent_expiration_days"),
                        ("days", "noncurrent_expiration_days"),
                    ],
                    diags,
                )),
                "abort_incomplete_multipart_upload" => body.extend(one_setting(
                    inner,
                    &[("days_after_initiation", "abort_incomplete_upload_days")],
                    diags,
                )),
                _ => diags.push(stray(&Item::Block(inner), what, RULE_TAKES)),
            },
        }
    }
    let label = rule_label(id, b.kind.span, diags)?;
    Some(Item::Block(Block {
        kind: Ident {
            name: "lifecycle_rule".into(),
            span: b.kind.span,
        },
        label: Some(label),
        body,
        ..b
    }))
}

/// Version 3's `versioning { enabled = true }`: `versioning = "Enabled"`;
/// `false` is a bucket whose versioning was never turned on, as S3's
/// default: left out.
pub(super) fn versioning(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let mut enabled = None;
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "enabled" => enabled = Some(a),
            // S3 takes MFA delete only from the root user's MFA device, which
            // berth does not hold; false is S3's default.
            Item::Attribute(a) if a.name.name == "mfa_delete" && a.value.kind == ExprKind::Bool(false) => {}
            other => diags.push(stray(&other, "a `versioning` block", "`enabled`")),
        }
    }
    let a = enabled?;
    let at = a.value.span;
    let value = match &a.value.kind {
        ExprKind::Bool(true) => Expr::text("Enabled", at),
        ExprKind::Bool(false) => return None,
        // Known once evaluated (tmknom's `enabled = var.versioning_enabled`):
        // on, or left out as `false` is.
        _ => Expr {
            kind: ExprKind::Conditional(
                Box::new(a.value.clone()),
                Box::new(Expr::text("Enabled", at)),
                Box::new(Expr {
                    kind: ExprKind::Null,
                    span: at,
                }),
            ),
            span: at,
        },
    };
    Some(Item::Attribute(Attribute {
        value,
        ..renamed(a, "versioning")
    }))
}

/// `status = "Enabled"` as `enabled = true`.
fn status(a: Attribute, diags: &mut Vec<Diagnostic>) -> Option<Item> {
    let on = match literal(&a.value) {
        Some("Enabled") => true,
        Some("Disabled") => false,
        _ => {
            diags.push(
                Diagnostic::error(
                    CODE,
                    "a lifecycle rule's status is `\"Enabled\"` or `\"Disabled\"`",
                    a.value.span,
                )
                .label("not one of them, as written")
                .help("write `enabled = ...` with a condition instead"),
            );
            return None;
        }
    };
    let span = a.value.span;
    Some(Item::Attribute(Attribute {
        value: Expr {
            kind: ExprKind::Bool(on),
            span,
        },
        ..renamed(a, "enabled")
    }))
}

/// The settings of a block of one or two settings (`expiration { days }`)
/// named as berth names them.
fn one_setting(b: Block, renames: &[(&str, &str)], diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let what = format!("a lifecycle rule's `{}` block", b.kind.name);
    let takes = super::listed(renames.iter().map(|(tf, _)| *tf));
    super::renamed_settings(b.body, renames, (&what, &takes), &mut super::no_blocks, diags)
}

/// A rule's id as its block's label: a bare name where it is one, else the
/// text quoted. Terraform's `id` is optional (AWS then draws one): berth
/// needs it, to tell rules apart across plans.
fn rule_label(id: Option<Expr>, at: crate::source::Span, diags: &mut Vec<Diagnostic>) -> Option<Label> {
    let Some(id) = id else {
        diags.push(
            Diagnostic::error(CODE, "a lifecycle rule without an `id`", at)
                .label("S3 would draw one, different on every apply")
                .help("give it `id = \"expire-logs\"`"),
        );
        return None;
    };
    match literal(&id) {
        Some(text) if crate::syntax::is_name(text) => Some(Label::Ident(Ident {
            name: text.to_owned(),
            span: id.span,
        })),
        Some(text) if !text.is_empty() => Some(Label::String(id)),
        _ => {
            diags.push(
                Diagnostic::error(CODE, "a lifecycle rule's id is written as it is", id.span)
                    .label("not text as written")
                    .help("berth labels each rule by its id: write it out"),
            );
            None
        }
    }
}
