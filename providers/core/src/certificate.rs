//! ACM's rules that validate, the local cloud and the AWS adapter apply to
//! a `certificate`.

use crate::attrs::{str_of, strs_of};
use crate::{Attrs, ProviderError};

/// The key algorithms RequestCertificate takes for a public certificate.
pub const KEY_ALGORITHMS: &[&str] = &["RSA_2048", "EC_prime256v1", "EC_secp384r1"];

/// The only validation method berth writes.
pub const DNS: &str = "DNS";

/// The most names one certificate covers (its domain name and the
/// alternative ones), ACM's quota at its highest.
pub const MAX_NAMES: usize = 100;

/// The tag keeping a certificate's `validation_zone`, which ACM has no
/// field for.
pub const ZONE_TAG: &str = "berth:validation_zone";

/// ACM's status of a certificate that can be used.
pub const ISSUED: &str = "ISSUED";

/// ACM's status of a certificate waiting for its validation records.
pub const PENDING: &str = "PENDING_VALIDATION";

/// ELB's `CertificateNotFound`, which it also answers for a certificate
/// ACM has not issued yet, with what to do about it.
pub fn not_issued(mut err: ProviderError) -> ProviderError {
    if err.code == "CertificateNotFound" {
        err.message.push_str(
            " (ELB takes only certificates ACM has issued: a `certificate` with a `validation_zone` is issued before the listeners that use it are made; one without is issued once its `validation_records` are in the domain's DNS)",
        );
    }
    err
}

/// Whether ACM takes `name` as a domain name: an optional `*.` first
/// label, then at least two labels of letters, digits and hyphens (not
/// first or last), 1 to 63 characters each, 253 in all.
pub fn valid_name(name: &str) -> bool {
    let rest = name.strip_prefix("*.").unwrap_or(name);
    let labels: Vec<&str> = rest.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The name ACM validates `name` by: a wildcard's parent
/// (`*.example.com` by `example.com`'s record).
pub fn validated_as(name: &str) -> &str {
    name.strip_prefix("*.").unwrap_or(name)
}

/// Every name a certificate's attributes cover, the domain name first,
/// in lower case, each once.
pub fn names(attrs: &Attrs) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let all = str_of(attrs, "domain_name")
        .map(str::to_owned)
        .into_iter()
        .chain(strs_of(attrs, "subject_alternative_names"));
    for name in all.map(|n| n.to_ascii_lowercase()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_acm_takes() {
        for good in ["example.com", "*.example.com", "a-b.example.co.uk", "x1.io"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "localhost",
            "*.com",
            "a.*.example.com",
            "-a.example.com",
            "a_b.example.com",
            "example.com.",
            "",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
        assert!(!valid_name(&format!("{}.com", "a".repeat(64))));
    }

    #[test]
    fn a_wildcard_is_validated_by_its_parents_record() {
        assert_eq!(validated_as("*.example.com"), "example.com");
        assert_eq!(validated_as("www.example.com"), "www.example.com");
    }
}
