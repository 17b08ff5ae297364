//! Route 53's rules for names and record sets that validate, the local
//! cloud and the AWS adapter share: which record types there are, when a
//! name is in a zone, a record's id, and the owner marker berth keeps next
//! to each record it makes (records take no tags), and how an alias to
//! the stack's load balancer reads.

use crate::attrs::str_of;
use crate::{Kind, Resource, Value};

/// The record types Route 53 takes in a record set.
pub const RECORD_TYPES: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "SSHFP",
    "SVCB", "TLSA", "TXT",
];

/// The types an alias record may have: an alias answers with the target's
/// addresses (or its records, for a record in the same zone).
pub const ALIAS_TYPES: &[&str] = &[
    "A", "AAAA", "CNAME", "CAA", "MX", "NAPTR", "PTR", "SPF", "SRV", "TXT",
];

/// `name` in berth's canonical form: lower case, without the root's dot.
pub fn bare(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// An alias whose DNS name is a load balancer of the stack's reads as
/// `target = load_balancer.NAME`, as it is written: what a stack's read
/// answers on either cloud.
pub fn alias_targets(resources: &mut [Resource]) {
    let lbs: Vec<(String, Value)> = resources
        .iter()
        .filter(|r| r.address.kind == Kind::LoadBalancer)
        .filter_map(|r| Some((bare(str_of(&r.attrs, "dns_name")?), r.attrs.get("arn")?.clone())))
        .collect();
    for r in resources.iter_mut().filter(|r| r.address.kind == Kind::DnsRecord) {
        let Some(Value::List(aliases)) = r.attrs.get_mut("alias") else {
            continue;
        };
        for alias in aliases {
            let Value::Map(block) = alias else { continue };
            let name = str_of(block, "name").map(bare);
            if let Some((_, arn)) = lbs.iter().find(|(dns_name, _)| Some(dns_name) == name.as_ref()) {
                block.insert("target".to_owned(), arn.clone());
                // Left out, as a block's settings written `null` are in
                // the canonical form.
                block.remove("name");
                block.remove("zone_id");
            }
        }
    }
}

/// Whether `name` is `zone` itself or a name under it (both canonical).
pub fn within(name: &str, zone: &str) -> bool {
    name == zone || name.strip_suffix(zone).is_some_and(|head| head.ends_with('.'))
}

/// Whether `name` is a valid domain name: labels of letters, digits,
/// hyphens and underscores (and a leading `*` label), 1 to 63 characters
/// each, 255 in all.
pub fn valid_name(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    !name.is_empty()
        && name.len() <= 255
        && name.split('.').enumerate().all(|(i, label)| {
            (i == 0 && label == "*")
                || (!label.is_empty()
                    && label.len() <= 63
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        })
}

/// A TXT or SPF value as Route 53 takes it: written bare (`v=spf1 ~all`,
/// as Terraform's users write it), it is one quoted string, `"` and `\`
/// escaped, split into strings of at most 255 characters (a DNS
/// character-string's limit). A value already quoted is taken as written.
pub fn quoted_text(value: &str) -> String {
    if value.starts_with('"') {
        return value.to_owned();
    }
    let escaped: Vec<String> = value
        .chars()
        .map(|c| match c {
            '"' | '\\' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect();
    // Split between characters, never inside an escape.
    let mut strings = vec![String::new()];
    for piece in escaped {
        let last = strings.last_mut().expect("one string at least");
        if last.len() + piece.len() > 255 {
            strings.push(piece);
        } else {
            last.push_str(&piece);
        }
    }
    strings
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A record's id: `ZONE_NAME_TYPE`, as Terraform names it.
pub fn record_id(zone: &str, name: &str, kind: &str) -> String {
    format!("{zone}_{name}_{kind}")
}

/// The zone, name and type of a record id as `berth import` takes it
/// (Terraform's `ZONE_NAME_TYPE`), in canonical form: the name may hold
/// underscores (`_dmarc.example.com`), the zone id and the type do not.
/// `None` for an id without all three.
pub fn record_in(id: &str) -> Option<(String, String, String)> {
    let (zone, rest) = id.split_once('_')?;
    let (name, kind) = rest.rsplit_once('_')?;
    let zone = zone_id(zone);
    (!zone.is_empty() && !name.is_empty() && !kind.is_empty())
        .then(|| (zone.to_owned(), bare(name), kind.to_ascii_uppercase()))
}

/// A zone id without Route 53's `/hostedzone/` prefix.
pub fn zone_id(id: &str) -> &str {
    id.trim_start_matches("/hostedzone/")
}

/// The name of the TXT record that marks the record `name` of `kind` as
/// berth's: `_berth-TYPE.NAME` (a TXT record of its own name cannot sit
/// next to a CNAME, and the type in the label keeps an A and an AAAA of one
/// name apart).
pub fn marker_name(name: &str, kind: &str) -> String {
    format!("_berth-{}.{name}", kind.to_ascii_lowercase())
}

/// The record a marker's name is about: `(name, type)`.
pub fn marked(marker: &str) -> Option<(String, String)> {
    let rest = marker.strip_prefix("_berth-")?;
    let (kind, name) = rest.split_once('.')?;
    Some((name.to_owned(), kind.to_ascii_uppercase()))
}

/// The marker's value: the stack and the address, as the tags of taggable
/// resources say them, in one quoted TXT string.
pub fn marker_value(stack: &str, address: &str) -> String {
    format!(
        "\"{}={stack},{}={address}\"",
        crate::STACK_TAG,
        crate::ADDRESS_TAG
    )
}

/// The stack and address a marker's value names.
pub fn marker_owner(value: &str) -> Option<(String, String)> {
    let text = value.trim_matches('"');
    let (stack, address) = text.split_once(',')?;
    let stack = stack.strip_prefix(crate::STACK_TAG)?.strip_prefix('=')?;
    let address = address.strip_prefix(crate::ADDRESS_TAG)?.strip_prefix('=')?;
    Some((stack.to_owned(), address.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_zones() {
        assert!(within("example.com", "example.com"));
        assert!(within("www.example.com", "example.com"));
        assert!(!within("wwwexample.com", "example.com"));
        assert!(!within("example.org", "example.com"));
        assert_eq!(bare("WWW.Example.com."), "www.example.com");
        assert!(valid_name("*.example.com"));
        assert!(valid_name("_dmarc.example.com."));
        assert!(!valid_name("www..example.com"));
        assert!(!valid_name("bad name.example.com"));
    }

    #[test]
    fn record_ids_as_terraform_writes_them() {
        let parts = |z: &str, n: &str, k: &str| Some((z.to_owned(), n.to_owned(), k.to_owned()));
        assert_eq!(
            record_in("Z123_www.example.com_A"),
            parts("Z123", "www.example.com", "A")
        );
        assert_eq!(
            record_in("Z123__dmarc.Example.com._txt"),
            parts("Z123", "_dmarc.example.com", "TXT")
        );
        assert_eq!(record_in("/hostedzone/Z9_a.b_CNAME"), parts("Z9", "a.b", "CNAME"));
        assert_eq!(record_in("Z123_A"), None);
        assert_eq!(record_in("www.example.com"), None);
        assert_eq!(zone_id("/hostedzone/Z1"), "Z1");
    }

    #[test]
    fn text_values_are_quoted_as_route53_takes_them() {
        assert_eq!(quoted_text("v=spf1 ~all"), "\"v=spf1 ~all\"");
        assert_eq!(quoted_text("\"already\""), "\"already\"");
        assert_eq!(quoted_text("say \"hi\""), "\"say \\\"hi\\\"\"");
        let long = "k".repeat(300);
        assert_eq!(
            quoted_text(&long),
            format!("\"{}\" \"{}\"", "k".repeat(255), "k".repeat(45))
        );
    }

    #[test]
    fn markers_round_trip() {
        let m = marker_name("www.example.com", "AAAA");
        assert_eq!(m, "_berth-aaaa.www.example.com");
        assert_eq!(
            marked(&m),
            Some(("www.example.com".to_owned(), "AAAA".to_owned()))
        );
        let v = marker_value("shop", "dns_record.www");
        assert_eq!(
            marker_owner(&v),
            Some(("shop".to_owned(), "dns_record.www".to_owned()))
        );
        assert_eq!(marker_owner("\"v=spf1 -all\""), None);
    }
}
