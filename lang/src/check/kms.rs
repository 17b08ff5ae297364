//! KMS keys as CreateKey, EnableKeyRotation and CreateAlias take them:
//! a usage the key spec allows, rotation of symmetric encryption keys
//! only, alias names KMS accepts, and each alias on one key of the stack.

use std::collections::BTreeMap;

use berth_provider::{Kind, Value, kms};

use super::domain::string;
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

const CODE: &str = "E0640";

pub(super) fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    spec(r, diags);
    aliases(stack, r, diags);
}

/// The spec is KMS's, allows the usage, and rotates if asked to.
fn spec(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let written = string(&r.body, "spec");
    let spec = spec_of(r);
    let Some(usages) = kms::usages(&spec) else {
        if let Some((_, span)) = written {
            diags.push(
                Diagnostic::error(CODE, format!("KMS has no key spec `{spec}`"), span)
                    .help("`SYMMETRIC_DEFAULT`, `RSA_2048`, `RSA_3072`, `RSA_4096`, `ECC_NIST_P256`, `ECC_NIST_P384`, `ECC_NIST_P521`, `ECC_SECG_P256K1` or `HMAC_224` to `HMAC_512`"),
            );
        }
        return;
    };
    let usage = string(&r.body, "usage");
    let wanted = usage.map_or(kms::ENCRYPT.to_owned(), |(u, _)| u.to_ascii_uppercase());
    if !usages.contains(&wanted.as_str()) {
        let span = usage.or(written).map_or(r.span, |(_, s)| s);
        let allowed: Vec<String> = usages.iter().map(|u| format!("`usage = \"{u}\"`")).collect();
        let label = if usage.is_some() {
            "KMS refuses this usage for the spec"
        } else {
            "left out, the usage is `ENCRYPT_DECRYPT`"
        };
        diags.push(
            Diagnostic::error(
                CODE,
                format!("a `{spec}` key cannot be used for `{wanted}`"),
                span,
            )
            .label(label)
            .help(format!("write {}", allowed.join(" or "))),
        );
    }
    if let (Some(Value::Bool(true)), Some(span)) = (r.body.known("rotation"), r.body.span("rotation"))
        && !kms::rotates(&spec)
    {
        diags.push(
            Diagnostic::error(CODE, format!("a `{spec}` key does not rotate"), span)
                .label("KMS rotates symmetric encryption keys only")
                .help("leave `rotation` out, or use a `SYMMETRIC_DEFAULT` key"),
        );
    }
}

/// Each alias is a name KMS takes, and no other key of the stack has it.
fn aliases(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let at = |i: usize| r.body.part_span("aliases", &format!("[{i}]"));
    for (i, name) in names(r).enumerate() {
        if let Some(fault) = kms::alias_fault(name)
            && let Some(span) = at(i)
        {
            diags.push(
                Diagnostic::error(CODE, format!("KMS refuses the alias `{name}`"), span)
                    .label(fault)
                    .help("name it `alias/` then letters, digits and `/_-`, e.g. `alias/app-logs`"),
            );
        }
    }
    let earlier: BTreeMap<&str, &DesiredResource> = stack
        .resources
        .iter()
        .filter(|o| o.kind() == Kind::KmsKey)
        .take_while(|o| o.address != r.address)
        .flat_map(|o| names(o).map(move |n| (n, o)))
        .collect();
    for (i, name) in names(r).enumerate() {
        if let (Some(first), Some(span)) = (earlier.get(name), at(i)) {
            diags.push(
                Diagnostic::error(CODE, format!("two keys with the alias `{name}`"), span)
                    .label(format!("{} has it too", first.address))
                    .help("an alias names one key of the account: keep it on one"),
            );
        }
    }
}

/// A resource encrypted with a key of the stack (its `kms_key`): the
/// services berth writes take symmetric encryption keys only, and
/// CloudWatch Logs the key's ARN (AssociateKmsKey refuses an id).
pub(super) fn user(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let (Some(DesiredValue::Ref(to)), Some(span)) = (r.body.value("kms_key"), r.body.span("kms_key")) else {
        return;
    };
    if to.address.kind != Kind::KmsKey {
        return;
    }
    if r.kind() == Kind::LogGroup && to.attr == "key_id" {
        diags.push(
            Diagnostic::error(CODE, "CloudWatch Logs takes a key's ARN, not its id", span)
                .label("the key's id")
                .help(format!("write `kms_key = {}`", to.address)),
        );
    }
    let Some(key) = stack.resource(&to.address) else {
        return;
    };
    if r.kind() == Kind::LogGroup {
        logs_may_use(key, span, diags);
    }
    let spec = spec_of(key);
    if spec != kms::SYMMETRIC {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("a {} is encrypted with symmetric keys only", r.kind()),
                span,
            )
            .label(format!("{} is a `{spec}` key", to.address))
            .help("name a `SYMMETRIC_DEFAULT` key (`spec` left out)"),
        );
    }
}

/// CloudWatch Logs encrypts with a key only when its policy lets the
/// service use it: KMS's default policy (no `policy` written) does not,
/// and CreateLogGroup fails after the key was made.
fn logs_may_use(key: &DesiredResource, span: crate::source::Span, diags: &mut Vec<Diagnostic>) {
    let (label, at) = match key.body.value("policy") {
        None => (
            "KMS's default policy lets only the account's IAM principals use it",
            key.span,
        ),
        Some(DesiredValue::Known(policy)) if !kms::lets_logs_use(policy) => (
            "its policy allows no `logs.amazonaws.com` principal",
            key.body.span("policy").unwrap_or(key.span),
        ),
        Some(_) => return,
    };
    diags.push(
        Diagnostic::error(CODE, format!("CloudWatch Logs may not use {}", key.address), span)
            .label("the log group's key")
            .also(at, label)
            .help("allow the service in the key's policy: a statement with `Principal = { Service = \"logs.REGION.amazonaws.com\" }` and `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`"),
    );
}

/// The key spec of `key` as KMS spells it, KMS's default when left out.
fn spec_of(key: &DesiredResource) -> String {
    string(&key.body, "spec").map_or(kms::SYMMETRIC.to_owned(), |(s, _)| s.to_ascii_uppercase())
}

/// The aliases written for `r`, where known.
fn names(r: &DesiredResource) -> impl Iterator<Item = &str> {
    let list = match r.body.known("aliases") {
        Some(Value::List(items)) => items.as_slice(),
        _ => &[],
    };
    list.iter().filter_map(Value::as_str)
}
