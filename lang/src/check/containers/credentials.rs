//! Credential specs, a container's Active Directory authentication
//! through a gMSA: a spec that is not `credentialspecdomainless:ARN` or
//! `credentialspec:ARN` of an S3 object or SSM parameter (E0615), more
//! than one (E0616), a domain-joined spec, which needs a host joined to
//! the domain and Fargate joins none (E0617).

use crate::diagnostic::Diagnostic;
use crate::stack::DesiredBlock;

use super::settings::strings;

/// The prefix of the spec Fargate takes, and of the one it does not.
const DOMAINLESS: &str = "credentialspecdomainless";
const DOMAIN_JOINED: &str = "credentialspec";

/// `credential_specs` of the container `c`.
pub(super) fn credential_specs(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let Some(whole) = c.body.span("credential_specs") else {
        return;
    };
    let specs = strings(&c.body, "credential_specs");
    if specs.len() > 1 {
        diags.push(
            Diagnostic::error(
                "E0616",
                format!("a container takes one credential spec, not {}", specs.len()),
                whole,
            )
            .label("more than one")
            .help("ECS takes at most one ARN in `credentialSpecs`: keep the one of the domain the container joins"),
        );
    }
    for (i, spec) in specs.iter().enumerate() {
        let span = c
            .body
            .part_span("credential_specs", &format!("[{i}]"))
            .unwrap_or(whole);
        match spec.split_once(':') {
            Some((DOMAINLESS, arn)) if is_location(arn) => {}
            Some((DOMAIN_JOINED, arn)) if is_location(arn) => diags.push(
                Diagnostic::error(
                    "E0617",
                    "Fargate takes only domainless credential specs",
                    span,
                )
                .label("needs a host joined to the domain")
                .help(format!(
                    "write \"{DOMAINLESS}:{arn}\", with a CredSpec that names the Secrets Manager secret of the domain's credentials"
                )),
            ),
            _ => diags.push(
                Diagnostic::error("E0615", format!("`{spec}` is not a credential spec"), span)
                    .label("not credentialspecdomainless:ARN")
                    .help(format!(
                        "write \"{DOMAINLESS}:ARN\", ARN the S3 object (arn:aws:s3:::BUCKET/KEY) or SSM parameter (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME) holding the CredSpec file"
                    )),
            ),
        }
    }
}

/// Whether `arn` is an S3 object's or an SSM parameter's ARN, where ECS
/// reads a CredSpec file from.
fn is_location(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, "s3", "", "", object] => {
            !partition.is_empty()
                && object
                    .split_once('/')
                    .is_some_and(|(b, k)| !b.is_empty() && !k.is_empty())
        }
        ["arn", partition, "ssm", region, account, parameter] => {
            !partition.is_empty()
                && !region.is_empty()
                && !account.is_empty()
                && parameter
                    .strip_prefix("parameter/")
                    .is_some_and(|n| !n.is_empty())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credspecs_live_in_s3_objects_or_ssm_parameters() {
        assert!(is_location("arn:aws:s3:::bucket/credspec.json"));
        assert!(is_location(
            "arn:aws:ssm:us-east-1:123456789012:parameter/credspec"
        ));
        assert!(!is_location("arn:aws:s3:::bucket"));
        assert!(!is_location("arn:aws:ssm:us-east-1:123456789012:secret/x"));
        assert!(!is_location("s3://bucket/credspec.json"));
    }
}
