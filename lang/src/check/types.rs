//! Type checks of evaluated attribute values against the schema.

use berth_provider::schema::{Attr, Block as BlockSchema, Presence, Type};
use berth_provider::{Decimal, Kind, Value};
use ipnet::{Ipv4Net, Ipv6Net};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBody, DesiredResource, DesiredValue};

/// Terraform's conversions, made before the checks: a string of a number
/// where the schema takes a number (`interval = "30"`), and `"true"` or
/// `"false"` where it takes a bool, are that number or bool, and a bool
/// where it takes a string (a tag's value) its text; an optional
/// reference, KMS key, listener SSL policy or description written `""` is
/// left out, as AWS's provider reads it (umotif's `kms_key_id =
/// var.logs_kms_key`, `""` by default; terraformer's `ssl_policy = ""` on
/// an HTTP listener; a module's `description = var.description`, `""` by
/// default, which IAM and Cloud Map store as none).
pub fn convert_resource(resource: &mut DesiredResource) {
    let schema = resource.kind().schema().as_block();
    convert_body(&mut resource.body, &schema);
}

/// Whether `attr` holding `""` means none: an optional reference, key or
/// SSL policy, or a description with no default of berth's.
fn empty_is_none(attr: &Attr, value: &DesiredValue) -> bool {
    let names_one = matches!(attr.ty, Type::Ref(_)) || matches!(attr.name, "kms_key" | "ssl_policy");
    let described = attr.name == "description" && attr.presence == Presence::Optional;
    (names_one && attr.presence != Presence::Required || described)
        && matches!(value, DesiredValue::Known(Value::String(s)) if s.is_empty())
}

fn convert_body(body: &mut DesiredBody, schema: &BlockSchema) {
    body.attrs.retain(|name, value| {
        schema
            .attr(name)
            .is_none_or(|attr| !empty_is_none(attr, &value.node))
    });
    for (name, value) in &mut body.attrs {
        let Some(attr) = schema.attr(name) else { continue };
        match &mut value.node {
            DesiredValue::Known(v) => convert(v, attr.ty),
            DesiredValue::Ref(r) => identify(r, attr.ty),
            DesiredValue::List(items) => items.iter_mut().for_each(|i| {
                if let (DesiredValue::Ref(r), Type::List(inner) | Type::Set(inner)) = (i, attr.ty) {
                    identify(r, *inner);
                }
            }),
            // A map holding values known after apply beside others.
            DesiredValue::Map(entries) => {
                if let Type::Map(inner) = attr.ty {
                    for entry in entries.values_mut() {
                        if let DesiredValue::Known(v) = entry {
                            convert(v, *inner);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (name, blocks) in &mut body.blocks {
        if let Some(nested) = schema.block(name) {
            blocks.iter_mut().for_each(|b| convert_body(&mut b.body, nested));
        }
    }
}

/// A resource named by another of its identifiers where the schema takes
/// the resource (`namespace = aws_service_discovery_private_dns_namespace.
/// this.arn`, as terraform-aws-modules/ecs writes it): the resource, sent
/// as the identifier its API takes.
fn identify(r: &mut crate::stack::RefTarget, ty: Type) {
    let Type::Ref(kind) = ty else { return };
    let schema = r.address.kind.schema();
    if r.address.kind.stands_for() == kind
        && matches!(r.attr.as_str(), "arn" | "id" | "name")
        && schema.attr(&r.attr).is_some()
    {
        r.attr = schema.identity.to_owned();
    }
}

fn convert(v: &mut Value, ty: Type) {
    let converted = match (ty, &*v) {
        (Type::Int, Value::String(s)) => s.parse::<i64>().ok().map(Value::Int),
        (Type::Number, Value::String(s)) => s.parse::<Decimal>().ok().map(Value::number),
        (Type::Bool | Type::Switch(_), Value::String(s)) => match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        // Terraform's string of a bool (a tag `ReadOnly = var.read_only`).
        (Type::String, Value::Bool(b)) => Some(Value::String(b.to_string())),
        (Type::List(inner) | Type::Set(inner), Value::List(_)) => {
            if let Value::List(items) = v {
                items.iter_mut().for_each(|i| convert(i, *inner));
            }
            None
        }
        (Type::Map(inner), Value::Map(_)) => {
            if let Value::Map(entries) = v {
                entries.values_mut().for_each(|e| convert(e, *inner));
            }
            None
        }
        _ => None,
    };
    if let Some(c) = converted {
        *v = c;
    }
}

pub fn check_resource(resource: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    check_body(&resource.body, &resource.kind().schema().as_block(), diags);
}

fn check_body(body: &DesiredBody, schema: &BlockSchema, diags: &mut Vec<Diagnostic>) {
    // A block turned off once evaluated (`enabled = try(v.enabled, true)`
    // holding false, as terraform-aws-modules/ecs writes Service Connect)
    // needs nothing else, as one written `enabled = false` does.
    let off = matches!(
        body.attrs.get("enabled").map(|v| &v.node),
        Some(DesiredValue::Known(Value::Bool(false)))
    );
    for (name, value) in &body.attrs {
        let Some(attr) = schema.attr(name) else { continue };
        if let Err(d) = check_value(&value.node, attr.ty, value.span) {
            let doc = format!("`{name}`: {}", attr.doc);
            diags.push(if d.help.is_none() { d.help(doc) } else { d });
        } else if matches!(value.node, DesiredValue::Known(Value::Null))
            && attr.presence == Presence::Required
            && !off
        {
            diags.push(null_required(attr, value.span));
        } else if let (DesiredValue::Known(Value::String(s)), Type::Ref(kind), Presence::Required) =
            (&value.node, attr.ty, attr.presence)
            && s.trim().is_empty()
        {
            diags.push(empty_required(attr, kind, value.span));
        } else if let (DesiredValue::Known(v), Some(range)) = (&value.node, attr.range) {
            check_range(v, range, attr, value.span, diags);
        }
    }
    for (name, blocks) in &body.blocks {
        if let Some(nested) = schema.block(name) {
            blocks.iter().for_each(|b| check_body(&b.body, nested, diags));
        }
    }
}

/// A number outside what the AWS field accepts: AWS would refuse it at
/// apply time, or the SDK's 32-bit field would silently wrap it.
fn check_range(v: &Value, (lo, hi): (i64, i64), attr: &Attr, span: Span, diags: &mut Vec<Diagnostic>) {
    let n = match v {
        Value::Int(i) => Decimal::from(*i),
        Value::Decimal(d) => *d,
        _ => return,
    };
    if !(Decimal::from(lo)..=Decimal::from(hi)).contains(&n) {
        diags.push(
            Diagnostic::error("E0515", format!("`{}` = {v} is out of range", attr.name), span)
                .label(format!("not between {lo} and {hi}"))
                .help(format!("AWS's `{}` takes {lo} to {hi}", attr.aws)),
        );
    }
}

/// An empty id where one is required (a variable left empty, an
/// `--var x=` whose shell substitution failed): AWS refuses it at apply.
fn empty_required(attr: &Attr, kind: Kind, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0401",
        format!("`{}` is required and cannot be an empty string", attr.name),
        span,
    )
    .label(format!("no {kind} named"))
    .help(format!(
        "refer to a {kind} of the stack, or give the id or ARN of one"
    ))
}

fn null_required(attr: &Attr, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0401",
        format!("`{}` is required and cannot be null", attr.name),
        span,
    )
    .label("null here")
}

fn mismatch(expected: Type, found: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0401", format!("expected a {expected}, found {found}"), span).label("wrong type")
}

/// Whether the reference `r` reads the id of a `kind` (a DNS namespace's
/// `hosted_zone`: [`berth_provider::schema::NAMES_ANOTHER`]).
fn names(r: &crate::stack::RefTarget, kind: Kind) -> bool {
    berth_provider::schema::NAMES_ANOTHER
        .iter()
        .any(|(of, attr, named)| *of == r.address.kind && r.attr == *attr && *named == kind)
}

/// The static type of a computed attribute another resource exposes.
fn ref_type(kind: Kind, attr: &str) -> Option<Type> {
    kind.schema().attr(attr).map(|a| a.ty)
}

fn check_value(value: &DesiredValue, ty: Type, span: Span) -> Result<(), Diagnostic> {
    match (value, ty) {
        (DesiredValue::Known(Value::Null), _) => Ok(()),
        (DesiredValue::Known(v), _) => check_known(v, ty, span),
        (DesiredValue::Ref(r), Type::Ref(kind)) => {
            let named = r.address.kind.stands_for();
            if named == kind && r.attr == r.address.kind.schema().identity || names(r, kind) {
                Ok(())
            } else if named == kind {
                Err(mismatch(ty, &format!("`{r}`"), span)
                    .help(format!("refer to the {kind} itself: `{}`", r.address)))
            } else {
                Err(mismatch(ty, &format!("a reference to `{}`", r.address), span))
            }
        }
        (DesiredValue::Ref(r), _) => match ref_type(r.address.kind, &r.attr) {
            Some(found) if compatible(found, ty) => Ok(()),
            Some(found) => Err(mismatch(ty, &format!("`{r}` (a {found})"), span)),
            None => Ok(()),
        },
        // An interpolated string names a resource by its id or ARN, as a
        // plain string does (`"${managed_policy.read.arn}"`).
        (
            DesiredValue::Concat(_),
            Type::String
            | Type::Cidr
            | Type::AnyCidr
            | Type::Command
            | Type::Document
            | Type::Json
            | Type::Ref(_),
        ) => Ok(()),
        // A document's grammar is checked by `check::iam`; JSON text is
        // checked where it is read (an event pattern by `check::events`).
        (DesiredValue::Map(_), Type::Document | Type::Json) | (DesiredValue::List(_), Type::Json) => Ok(()),
        (DesiredValue::Concat(_), _) => Err(mismatch(ty, "a string", span)),
        (DesiredValue::List(items), Type::List(inner) | Type::Set(inner)) => {
            items.iter().try_for_each(|i| check_value(i, *inner, span))
        }
        (DesiredValue::List(items), Type::Command) => {
            items.iter().try_for_each(|i| check_value(i, Type::String, span))
        }
        (DesiredValue::List(_), _) => Err(mismatch(ty, "a list", span)),
        (DesiredValue::Map(m), Type::Map(inner)) => m.values().try_for_each(|i| check_value(i, *inner, span)),
        (DesiredValue::Map(_), _) => Err(mismatch(ty, "a map", span)),
        // Made only in outputs, which have no schema type.
        (DesiredValue::Call(..), _) => Ok(()),
    }
}

fn compatible(found: Type, expected: Type) -> bool {
    found == expected
        || matches!(
            (found, expected),
            (Type::String | Type::Cidr, Type::AnyCidr)
                | (Type::String, Type::Cidr | Type::Json)
                | (Type::Int, Type::String | Type::Number)
                | (Type::Number, Type::String)
        )
}

fn check_known(value: &Value, ty: Type, span: Span) -> Result<(), Diagnostic> {
    match (ty, value) {
        // Only the cloud can tell (an SSM parameter's value, read at plan
        // time): nothing to check before.
        (_, Value::Unknown) => Ok(()),
        (Type::Command, Value::String(_)) => Ok(()),
        (Type::Command, Value::List(items)) => {
            items.iter().try_for_each(|i| check_known(i, Type::String, span))
        }
        (Type::String, Value::String(_) | Value::Int(_) | Value::Decimal(_))
        | (Type::Int | Type::Number, Value::Int(_))
        | (Type::Number, Value::Decimal(_))
        | (Type::Bool, Value::Bool(_)) => Ok(()),
        (Type::Cidr, Value::String(s)) => check_cidr(s, span),
        (Type::AnyCidr, Value::String(s)) if s.contains(':') => check_ipv6_cidr(s, span),
        (Type::AnyCidr, Value::String(s)) => check_cidr(s, span),
        // A string names an existing resource that berth does not manage,
        // such as a VPC id or a role ARN.
        (Type::Ref(_), Value::String(_)) => Ok(()),
        (Type::List(inner) | Type::Set(inner), Value::List(items)) => {
            items.iter().try_for_each(|i| check_known(i, *inner, span))
        }
        (Type::Map(inner), Value::Map(m)) => m.values().try_for_each(|i| check_known(i, *inner, span)),
        (Type::Document, Value::Map(_) | Value::String(_)) => Ok(()),
        (Type::Json, Value::Map(_) | Value::List(_) | Value::String(_)) => Ok(()),
        (Type::Switch(_), Value::Bool(_)) => Ok(()),
        (Type::Switch(modes), Value::String(s))
            if ["enabled", "disabled"]
                .iter()
                .chain(modes)
                .any(|m| m.eq_ignore_ascii_case(s)) =>
        {
            Ok(())
        }
        (Type::Int, Value::Decimal(_)) => {
            Err(
                Diagnostic::error("E0401", format!("expected a whole number, found {value}"), span)
                    .label("has a fraction"),
            )
        }
        (_, v) => Err(mismatch(ty, &format!("a {}", v.type_name()), span)),
    }
}

/// An IPv6 block, as AWS takes it where it takes either family.
fn check_ipv6_cidr(text: &str, span: Span) -> Result<(), Diagnostic> {
    let net: Ipv6Net = text.parse().map_err(|_| {
        Diagnostic::error("E0501", format!("`{text}` is not a valid IPv6 CIDR block"), span)
            .label("invalid CIDR")
            .help("write an address and a prefix length, e.g. \"::/0\" or \"2001:db8::/32\"")
    })?;
    if net.network() != net.addr() {
        return Err(host_bits(text, &net.trunc().to_string(), span));
    }
    Ok(())
}

fn host_bits(text: &str, trunc: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0501", format!("`{text}` has host bits set"), span)
        .label("not the first address of the range")
        .help(format!("did you mean \"{trunc}\"?"))
}

fn check_cidr(text: &str, span: Span) -> Result<(), Diagnostic> {
    let invalid = || {
        Diagnostic::error("E0501", format!("`{text}` is not a valid IPv4 CIDR block"), span)
            .label("invalid CIDR")
            .help("write an address and a prefix length, e.g. \"10.0.1.0/24\"")
    };
    let net: Ipv4Net = text.parse().map_err(|_| invalid())?;
    if net.network() != net.addr() {
        return Err(host_bits(text, &net.trunc().to_string(), span));
    }
    Ok(())
}
