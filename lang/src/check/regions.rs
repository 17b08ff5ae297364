//! The AWS regions a stack may name: a typo in `region` is caught by
//! `validate` rather than as a DNS error at the first API call.

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::suggest::did_you_mean;

/// AWS's regions (commercial, GovCloud and China), as of late 2026.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// An error for `region` at `span` unless AWS has such a region.
pub fn check(region: &str, span: Span) -> Option<Diagnostic> {
    if REGIONS.contains(&region) {
        return None;
    }
    let help = did_you_mean(region, REGIONS.iter().copied())
        .unwrap_or_else(|| "AWS regions look like `us-east-1` or `eu-west-3`".to_owned());
    Some(
        Diagnostic::error("E0540", format!("`{region}` is not an AWS region"), span)
            .label("unknown region")
            .help(help),
    )
}
