//! ACM certificates as RequestCertificate takes them (ValidationException,
//! InvalidDomainValidationOptionsException, LimitExceededException), and
//! a validation zone ACM can find the records in.

use berth_provider::certificate::{DNS, KEY_ALGORITHMS, MAX_NAMES, valid_name, validated_as};
use berth_provider::{Kind, Value, dns};

use super::domain::unknown_value;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredResource, DesiredValue, Stack};

const CODE: &str = "E0638";

pub(super) fn check(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let names = names(r);
    for (name, span) in &names {
        if !valid_name(name) {
            diags.push(
                Diagnostic::error(CODE, format!("`{name}` is not a name ACM certifies"), *span)
                    .label("ACM refuses it (ValidationException)")
                    .help("write a fully qualified name of two labels or more, letters, digits and `-`, without the final dot, e.g. `example.com` or `*.example.com`"),
            );
        }
    }
    if names.len() > MAX_NAMES {
        diags.push(
            Diagnostic::error(CODE, format!("a certificate of {} names", names.len()), r.span)
                .label(format!(
                    "ACM certifies at most {MAX_NAMES} names in one certificate"
                ))
                .help("split the names between certificates; a listener takes more with `certificates`"),
        );
    }
    if let Some((method, span)) = super::domain::string(&r.body, "validation_method")
        && !method.eq_ignore_ascii_case(DNS)
    {
        diags.push(
            Diagnostic::error(CODE, format!("validation method `{method}`"), span)
                .label("berth validates certificates by DNS only")
                .help("write `validation_method = \"DNS\"` (or leave it out): validation by email waits on someone to open a link"),
        );
    }
    diags.extend(unknown_value(
        &r.body,
        "key_algorithm",
        "key algorithm",
        KEY_ALGORITHMS,
    ));
    zone(stack, r, &names, diags);
}

/// The names the certificate covers, each with where it is written.
fn names(r: &DesiredResource) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    let mut add = |value: &Value, span: Span| {
        if let Value::String(name) = value
            && !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            out.push((name.to_owned(), span));
        }
    };
    if let (Some(v), Some(span)) = (r.body.known("domain_name"), r.body.span("domain_name")) {
        add(v, span);
    }
    if let (Some(Value::List(items)), Some(span)) = (
        r.body.known("subject_alternative_names"),
        r.body.span("subject_alternative_names"),
    ) {
        for item in items {
            add(item, span);
        }
    }
    out
}

/// A validation zone of the stack that is private, or that some name is
/// not in: ACM looks the records up in public DNS, under each name.
fn zone(stack: &Stack, r: &DesiredResource, names: &[(String, Span)], diags: &mut Vec<Diagnostic>) {
    let (Some(DesiredValue::Ref(t)), Some(span)) =
        (r.body.value("validation_zone"), r.body.span("validation_zone"))
    else {
        return;
    };
    let Some(zone) = stack
        .resource(&t.address)
        .filter(|z| z.kind() == Kind::HostedZone)
    else {
        return;
    };
    let at = zone.body.span("name").unwrap_or(zone.span);
    if zone.body.value("vpcs").is_some() {
        diags.push(
            Diagnostic::error(CODE, "a private zone validates no certificate", span)
                .label("ACM looks the validation records up in public DNS")
                .also(
                    zone.body.span("vpcs").unwrap_or(zone.span),
                    "private to these VPCs",
                )
                .help("name the domain's public zone"),
        );
        return;
    }
    let Some(Value::String(zone_name)) = zone.body.known("name") else {
        return;
    };
    let zone_name = dns::bare(zone_name).to_ascii_lowercase();
    for (name, name_span) in names {
        let lower = name.to_ascii_lowercase();
        if valid_name(name) && !dns::within(validated_as(&lower), &zone_name) {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("`{name}` is not in the zone `{zone_name}`"),
                    *name_span,
                )
                .label("its validation record cannot be written there")
                .also(at, "the validation zone")
                .help("certify names of the zone only, or validate the others in a certificate of their own"),
            );
        }
    }
}
