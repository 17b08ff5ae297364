//! Terraform's DNS validation of an ACM certificate: `aws_route53_record`s
//! made from the certificate's `domain_validation_options`, and an
//! `aws_acm_certificate_validation` that waits until ACM has issued it
//! (what `aws_acm_certificate_validation`'s documentation shows, and
//! nearly every HTTPS stack copies). berth's `certificate` writes those
//! records itself in its `validation_zone` and waits the same way
//! (CloudFormation's `DomainValidationOptions.HostedZoneId`), so both are
//! taken out: the records' zone becomes the certificate's
//! `validation_zone`, and what reads the validation's `certificate_arn`
//! (or depends on it) reads (depends on) the certificate.

use std::collections::BTreeMap;

use super::{CODE, attribute, each_child, each_expr};
use crate::FileId;
use crate::check::declare::DEPENDS_ON;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span};
use crate::syntax::ast::{Block, Expr, ExprKind, File, Ident, Item, Label, Step, Traversal};

const CERTIFICATE: &str = "certificate";
const RECORD: &str = "dns_record";
const VALIDATION: &str = "acm_certificate_validation";
/// Terraform's attribute of a certificate listing its validation records.
const OPTIONS: &str = "domain_validation_options";
/// berth's name of the same list.
const RECORDS: &str = "validation_records";
const ZONE: &str = "validation_zone";

/// Takes Terraform's validation records and validations of the stack's
/// certificates out of `files`, and writes what they said on the
/// certificates.
pub(super) fn fold(files: &mut [(FileId, File)], sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let certificates: Vec<String> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == CERTIFICATE)
        .filter_map(|b| match &b.label {
            Some(Label::Ident(name)) => Some(name.name.clone()),
            _ => None,
        })
        .collect();
    if certificates.is_empty() {
        return;
    }
    let zones = take_records(files, &certificates);
    let validations = take_validations(files, &certificates);
    let mut validated = BTreeMap::new();
    for block in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        if block.kind.name != CERTIFICATE {
            continue;
        }
        let Some(Label::Ident(name)) = &block.label else {
            continue;
        };
        let name = name.name.clone();
        let has_zone = block
            .body
            .iter()
            .any(|i| matches!(i, Item::Attribute(a) if a.name.name == ZONE));
        let zone = match zones.get(&name) {
            Some(records) if !has_zone => one_zone(records, sources, diags),
            _ => None,
        };
        if let Some(zone) = zone {
            let at = zone.span;
            block.body.push(attribute(ZONE, zone, at));
        }
        let validated_here = has_zone || zones.contains_key(&name);
        validated.insert(name, validated_here);
    }
    for (span, certificate) in validations.values() {
        if validated.get(certificate) == Some(&false) {
            diags.push(
                Diagnostic::error(CODE, "berth waits for a certificate in its `validation_zone`", *span)
                    .label("no Route 53 record of the stack validates it")
                    .help(format!(
                        "give `{CERTIFICATE}.{certificate}` a `validation_zone` (the Route 53 zone berth writes its validation records in), or write the `route53_record`s from its `{OPTIONS}`"
                    )),
            );
        }
    }
    for block in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        depend_on_certificates(block, &validations);
        each_expr(block, &mut |e| read_certificates(e, &validations));
    }
}

/// Takes out every record that reads a stack certificate's
/// `domain_validation_options`, and gives each certificate's the zone
/// expressions they were written in. A record without a zone is left for
/// the schema's checks to report.
fn take_records(files: &mut [(FileId, File)], certificates: &[String]) -> BTreeMap<String, Vec<Expr>> {
    let mut zones: BTreeMap<String, Vec<Expr>> = BTreeMap::new();
    for (_, file) in files.iter_mut() {
        let mut kept = Vec::new();
        for mut block in std::mem::take(&mut file.blocks) {
            let certificate = (block.kind.name == RECORD)
                .then(|| validated_certificate(&mut block, certificates))
                .flatten();
            let zone = block.body.iter().find_map(|item| match item {
                Item::Attribute(a) if a.name.name == "zone" || a.name.name == "zone_id" => {
                    Some(a.value.clone())
                }
                _ => None,
            });
            match (certificate, zone) {
                (Some(certificate), Some(zone)) => zones.entry(certificate).or_default().push(zone),
                _ => kept.push(block),
            }
        }
        file.blocks = kept;
    }
    zones
}

/// The stack certificate whose validation options `record` is made from.
fn validated_certificate(record: &mut Block, certificates: &[String]) -> Option<String> {
    let mut found = None;
    each_expr(record, &mut |e| {
        if found.is_none() {
            found = options_read(e, certificates);
        }
    });
    found
}

/// The certificate whose `domain_validation_options` `e` reads, anywhere in it.
fn options_read(e: &mut Expr, certificates: &[String]) -> Option<String> {
    if let ExprKind::Traversal(t) = &e.kind
        && let Some(named) = t.named()
        && !named.data
        && named.kind == CERTIFICATE
        && certificates.iter().any(|c| c == named.name)
        && matches!(past_index(named.rest).first(), Some(Step::Attr(a)) if a.name == OPTIONS)
    {
        return Some(named.name.to_owned());
    }
    let mut found = None;
    each_child(e, &mut |child| {
        if found.is_none() {
            found = options_read(child, certificates);
        }
    });
    found
}

/// Takes out every validation whose `certificate_arn` reads a stack
/// certificate; by its name, where it was written and that certificate.
/// Any other is left for the kind's check to report.
fn take_validations(
    files: &mut [(FileId, File)],
    certificates: &[String],
) -> BTreeMap<String, (Span, String)> {
    let mut out = BTreeMap::new();
    for (_, file) in files.iter_mut() {
        let mut kept = Vec::new();
        for block in std::mem::take(&mut file.blocks) {
            match validation(&block, certificates) {
                Some((name, certificate)) => {
                    let header = block
                        .label
                        .as_ref()
                        .map_or(block.kind.span, |l| block.kind.span.to(l.span()));
                    out.insert(name, (header, certificate));
                }
                None => kept.push(block),
            }
        }
        file.blocks = kept;
    }
    out
}

/// A validation's name and the certificate it validates.
fn validation(block: &Block, certificates: &[String]) -> Option<(String, String)> {
    let Some(Label::Ident(name)) = (block.kind.name == VALIDATION)
        .then_some(block.label.as_ref())
        .flatten()
    else {
        return None;
    };
    let arn = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "certificate_arn" => Some(&a.value),
        _ => None,
    })?;
    let ExprKind::Traversal(t) = &arn.kind else {
        return None;
    };
    let named = t.named()?;
    let reads_arn = matches!(past_index(named.rest), [] | [Step::Attr(_)]);
    (!named.data && named.kind == CERTIFICATE && reads_arn && certificates.iter().any(|c| c == named.name))
        .then(|| (name.name.clone(), named.name.to_owned()))
}

/// `steps` past the instance a counted certificate or validation is read
/// at (`aws_acm_certificate.this[0].arn`, terraform-aws-modules/acm's
/// `count = var.create_certificate ? 1 : 0`).
fn past_index(steps: &[Step]) -> &[Step] {
    match steps {
        [Step::Index(_), rest @ ..] => rest,
        _ => steps,
    }
}

/// The one zone `records` were written in (by their text); an E0211 for
/// records of one certificate in several zones, or in a zone that
/// changes with the record.
fn one_zone(records: &[Expr], sources: &Sources, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    let first = records.first()?;
    let text = sources.text(first.span);
    let varies = ["each.", "count."].iter().any(|p| text.contains(p));
    if let Some(other) = records.iter().find(|z| varies || sources.text(z.span) != text) {
        diags.push(
            Diagnostic::error(CODE, "berth validates a certificate in one Route 53 zone", other.span)
                .label("validation records in more than one zone")
                .help(format!(
                    "write one `{ZONE}` on the certificate (a certificate of names in several zones is one certificate per zone)"
                )),
        );
        return None;
    }
    Some(first.clone())
}

/// `block`'s `depends_on` entries naming a validation name its certificate.
fn depend_on_certificates(block: &mut Block, validations: &BTreeMap<String, (Span, String)>) {
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        if a.name.name != DEPENDS_ON {
            continue;
        }
        each_child(&mut a.value, &mut |e| {
            if let Some(certificate) = validation_read(e, validations)
                && let ExprKind::Traversal(t) = &mut e.kind
                && t.steps.len() == 1
            {
                *t = Traversal::path(&[CERTIFICATE, &certificate], t.root.span);
            }
        });
    }
}

/// The certificate of the validation `e` names, if it names one.
fn validation_read(e: &Expr, validations: &BTreeMap<String, (Span, String)>) -> Option<String> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    let named = t.named().filter(|n| !n.data && n.kind == VALIDATION)?;
    validations.get(named.name).map(|(_, c)| c.clone())
}

/// `e` with each read of a validation read from its certificate
/// (`certificate_arn` and `id` are its ARN), and each read of a
/// certificate's `domain_validation_options` read as its
/// `validation_records`.
fn read_certificates(e: &mut Expr, validations: &BTreeMap<String, (Span, String)>) {
    let certificate = validation_read(e, validations);
    if let ExprKind::Traversal(t) = &mut e.kind {
        if let Some(certificate) = certificate {
            // Past `.NAME[INDEX].ATTR`: whatever is read of the ARN, of the
            // certificate's instance of the same index (both counted alike).
            let index = match t.steps.get(1) {
                Some(step @ Step::Index(_)) => Some(step.clone()),
                _ => None,
            };
            let skip = 2 + usize::from(index.is_some());
            let more = t.steps.get(skip..).unwrap_or_default().to_vec();
            *t = Traversal::path(&[CERTIFICATE, &certificate], t.root.span);
            t.steps.extend(index);
            t.steps.push(Step::Attr(Ident {
                name: "arn".to_owned(),
                span: t.root.span,
            }));
            t.steps.extend(more);
            return;
        }
        let at = if matches!(t.steps.get(1), Some(Step::Index(_))) {
            2
        } else {
            1
        };
        if t.root.name == CERTIFICATE
            && let Some(Step::Attr(a)) = t.steps.get_mut(at)
            && a.name == OPTIONS
        {
            a.name = RECORDS.to_owned();
        }
    }
    each_child(e, &mut |child| read_certificates(child, validations));
}
