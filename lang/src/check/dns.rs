//! Route 53 as Route 53 takes it: a zone's domain name (InvalidDomainName
//! at CreateHostedZone), and a record set's shape and place
//! (InvalidInput and InvalidChangeBatch at ChangeResourceRecordSets).

use berth_provider::dns::{self, ALIAS_TYPES, RECORD_TYPES};
use berth_provider::{Kind, Value};

use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredResource, DesiredValue, Stack};

/// The help every "not a domain name" diagnostic gives.
const NAME_HELP: &str = "write labels of letters, digits, `-` and `_` (at most 63 each, 255 in all) joined by `.`, e.g. `example.com`";

/// E0600: a zone name that is not a domain name (or a wildcard).
pub fn zone(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let (Some(Value::String(name)), Some(span)) = (r.body.known("name"), r.body.span("name")) else {
        return;
    };
    if !dns::valid_name(name) || name.starts_with('*') {
        diags.push(
            Diagnostic::error("E0600", format!("`{name}` is not a domain name"), span)
                .label("Route 53 refuses this zone name (InvalidDomainName)")
                .help(NAME_HELP),
        );
    }
}

/// E0601-E0606: a record set Route 53 refuses.
pub fn record(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let kind = match r.body.known("type") {
        Some(Value::String(t)) => Some(t.to_ascii_uppercase()),
        _ => None,
    };
    if let (Some(t), Some(span)) = (&kind, r.body.span("type"))
        && !RECORD_TYPES.contains(&t.as_str())
    {
        diags.push(
            Diagnostic::error(
                "E0601",
                format!("record type `{t}` is not one Route 53 takes"),
                span,
            )
            .label("invalid type")
            .help(format!("write one of: {}", RECORD_TYPES.join(", "))),
        );
    }
    shape(r, kind.as_deref(), diags);
    place(stack, r, kind.as_deref(), diags);
}

/// E0602: neither or both of `records` and `alias`, or `records` without a
/// `ttl`; E0603: an alias with a `ttl` (Route 53 takes the target's);
/// E0604: an alias that is not exactly a `target` or a `name` with a
/// `zone_id`, or of a type no alias can have.
fn shape(r: &DesiredResource, kind: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let alias = r.body.blocks("alias").first();
    let records = r.body.value("records").is_some();
    match (alias, records) {
        (Some(a), true) => diags.push(
            Diagnostic::error("E0602", "a record with both `records` and an `alias`", a.span)
                .label("an alias answers with its target's addresses")
                .also(r.body.span("records").unwrap_or(r.span), "records here")
                .help("keep one of them"),
        ),
        (None, false) => diags.push(
            Diagnostic::error("E0602", "a record with neither `records` nor an `alias`", r.span)
                .label("Route 53 needs something to answer")
                .help("add `records = [\"...\"]` and a `ttl`, or an `alias { target = load_balancer.NAME }` block"),
        ),
        (None, true) if r.body.value("ttl").is_none() => diags.push(
            Diagnostic::error("E0602", "`records` without a `ttl`", r.body.span("records").unwrap_or(r.span))
                .label("Route 53 needs a TTL with records")
                .help("add `ttl = 300`"),
        ),
        _ => {}
    }
    let Some(alias) = alias else { return };
    if let Some(span) = r.body.span("ttl") {
        diags.push(
            Diagnostic::error("E0603", "an alias record with a `ttl`", span)
                .label("an alias takes its target's TTL")
                .also(alias.span, "alias here")
                .help("remove `ttl`"),
        );
    }
    let target = alias.body.value("target").is_some();
    let name = alias.body.value("name").is_some();
    let zone = alias.body.value("zone_id").is_some();
    let wrong = match (target, name, zone) {
        (true, false, false) | (false, true, true) => None,
        (true, _, _) => Some("an alias with both a `target` and a `name` or `zone_id`"),
        (false, true, false) => Some("an alias `name` without its `zone_id`"),
        (false, false, true) => Some("an alias `zone_id` without its `name`"),
        (false, false, false) => Some("an alias without a target"),
    };
    if let Some(message) = wrong {
        diags.push(
            Diagnostic::error("E0604", message, alias.span)
                .label("Route 53 needs the target's DNS name and hosted zone id")
                .help("write `target = load_balancer.NAME`, or `name` and `zone_id` of a target berth does not own"),
        );
    }
    if let (Some(t), Some(span)) = (kind, r.body.span("type"))
        && RECORD_TYPES.contains(&t)
        && !ALIAS_TYPES.contains(&t)
    {
        diags.push(
            Diagnostic::error("E0604", format!("an alias record of type `{t}`"), span)
                .label("Route 53 makes no alias of this type")
                .also(alias.span, "alias here")
                .help("an alias to a load balancer is an `A` (or `AAAA`) record"),
        );
    }
}

/// E0605: a CNAME at the zone's apex; E0606: a name that is not a domain
/// name, or outside its zone (when the zone is the stack's and its name is
/// known).
fn place(stack: &Stack, r: &DesiredResource, kind: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let (Some(Value::String(name)), Some(span)) = (r.body.known("name"), r.body.span("name")) else {
        return;
    };
    if !dns::valid_name(name) {
        diags.push(
            Diagnostic::error("E0606", format!("`{name}` is not a domain name"), span)
                .label("Route 53 refuses this record name")
                .help(NAME_HELP),
        );
        return;
    }
    let zone = match r.body.value("zone") {
        Some(DesiredValue::Ref(t)) if t.address.kind == Kind::HostedZone => stack.resource(&t.address),
        _ => None,
    };
    let Some(zone) = zone else { return };
    let Some(Value::String(zone_name)) = zone.body.known("name") else {
        return;
    };
    let (name, zone_name) = (dns::bare(name), dns::bare(zone_name));
    let at = zone.body.span("name").unwrap_or(zone.span);
    if !dns::within(&name, &zone_name) {
        diags.push(
            Diagnostic::error(
                "E0606",
                format!("`{name}` is not in the zone `{zone_name}`"),
                span,
            )
            .label("Route 53 refuses a record outside its zone (InvalidChangeBatch)")
            .also(at, "the zone")
            .help(format!(
                "write the fully qualified name, e.g. `www.{zone_name}`, or `{zone_name}` for the apex"
            )),
        );
    } else if kind == Some("CNAME") && name == zone_name {
        diags.push(
            Diagnostic::error(
                "E0605",
                format!("a CNAME record at the apex of `{zone_name}`"),
                span,
            )
            .label("the apex holds the zone's SOA and NS records, and a CNAME must be alone")
            .also(at, "the zone")
            .help("use an `A` record with an `alias` at the apex"),
        );
    }
}
