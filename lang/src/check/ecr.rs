//! ECR repositories as ECR takes them: a lifecycle policy's rules
//! (InvalidParameterException at PutLifecyclePolicy) and the repository's
//! settings (at CreateRepository).

use berth_provider::Value;
use berth_provider::policy::DocumentKind;

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredResource};

const CODE: &str = "E0565";

pub fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let Some(doc) = r.body.known("policy") {
        super::iam::grammar(doc, DocumentKind::Repository, &r.body, "policy", diags);
    }
    one_of(
        r.body.known("tag_mutability"),
        r.body.span("tag_mutability"),
        "tag_mutability",
        &["MUTABLE", "IMMUTABLE"],
        diags,
    );
    one_of(
        r.body.known("encryption"),
        r.body.span("encryption"),
        "encryption",
        &["AES256", "KMS"],
        diags,
    );
    let kms = matches!(r.body.known("encryption"), Some(Value::String(e)) if e.eq_ignore_ascii_case("KMS"));
    if let Some(span) = r.body.span("kms_key")
        && !kms
    {
        diags.push(
            Diagnostic::error(CODE, "a `kms_key` without `encryption = \"KMS\"`", span)
                .label("AES256 encryption takes no key")
                .help("set `encryption = \"KMS\"` or remove `kms_key`"),
        );
    }
    let rules = r.body.blocks("lifecycle_rule");
    let mut priorities: Vec<(i64, Span)> = Vec::new();
    for rule in rules {
        lifecycle_rule(rule, diags);
        if let (Some(Value::Int(p)), Some(span)) = (rule.body.known("priority"), rule.body.span("priority")) {
            if let Some((_, first)) = priorities.iter().find(|(q, _)| q == p) {
                diags.push(
                    Diagnostic::error(CODE, format!("two lifecycle rules have priority {p}"), span)
                        .label("a second time")
                        .also(*first, "first here")
                        .help("give each rule its own priority"),
                );
            }
            priorities.push((*p, span));
        }
    }
    // ECR applies rules by priority; a rule selecting any image must come
    // last, or the rules after it would never see an image.
    let any: Vec<&DesiredBlock> = rules.iter().filter(|b| tag_status(b) == "any").collect();
    let highest = priorities.iter().map(|(p, _)| *p).max();
    for rule in any {
        if let (Some(Value::Int(p)), Some(span)) = (rule.body.known("priority"), rule.body.span("priority"))
            && Some(*p) != highest
        {
            diags.push(
                Diagnostic::error(
                    CODE,
                    "a lifecycle rule for `any` tag status is not the last one",
                    span,
                )
                .label("ECR needs it to have the highest priority")
                .help("give it the highest priority number, or select `tagged` or `untagged` images"),
            );
        }
    }
}

fn tag_status(rule: &DesiredBlock) -> String {
    match rule.body.known("tag_status") {
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        _ => "any".to_owned(),
    }
}

fn lifecycle_rule(rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    one_of(
        rule.body
            .known("tag_status")
            .map(|v| match v {
                Value::String(s) => Value::String(s.to_ascii_lowercase()),
                other => other.clone(),
            })
            .as_ref(),
        rule.body.span("tag_status"),
        "tag_status",
        &["tagged", "untagged", "any"],
        diags,
    );
    one_of(
        rule.body.known("count_type"),
        rule.body.span("count_type"),
        "count_type",
        &["imageCountMoreThan", "sinceImagePushed"],
        diags,
    );
    let prefixes = matches!(rule.body.known("tag_prefixes"), Some(Value::List(l)) if !l.is_empty());
    match (tag_status(rule).as_str(), prefixes) {
        ("tagged", false) => diags.push(
            Diagnostic::error(
                CODE,
                "a lifecycle rule for tagged images without `tag_prefixes`",
                rule.span,
            )
            .label("which tags?")
            .help("add `tag_prefixes = [\"v\"]`, or select `untagged` or `any` images"),
        ),
        ("untagged" | "any", true) => diags.push(
            Diagnostic::error(
                CODE,
                "`tag_prefixes` only go with `tag_status = \"tagged\"`",
                rule.body.span("tag_prefixes").unwrap_or(rule.span),
            )
            .label("ECR refuses a prefix list here")
            .help("set `tag_status = \"tagged\"` or remove `tag_prefixes`"),
        ),
        _ => {}
    }
}

fn one_of(
    value: Option<&Value>,
    span: Option<Span>,
    name: &str,
    allowed: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    if let (Some(Value::String(v)), Some(span)) = (value, span)
        && !allowed.iter().any(|a| a.eq_ignore_ascii_case(v))
    {
        diags.push(
            Diagnostic::error(CODE, format!("{name} `{v}` is not one ECR takes"), span)
                .label("invalid value")
                .help(format!("write one of: {}", allowed.join(", "))),
        );
    }
}
