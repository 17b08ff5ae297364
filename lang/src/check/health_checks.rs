//! A target group's protocol version and what its health check matches:
//! HTTP codes (200 to 499), or gRPC status codes (0 to 99) in a `GRPC`
//! group, where berth's default matcher (`200`) means nothing, so the
//! matcher must be written (E0631).

use berth_provider::Value;

use super::domain::{string, unknown_value};
use crate::diagnostic::Diagnostic;
use crate::stack::DesiredResource;

const VERSIONS: [&str; 3] = ["HTTP1", "HTTP2", "GRPC"];

/// E0521 for a protocol version ELBv2 lacks; E0631 for a matcher whose
/// codes the group's version does not take, or a `GRPC` group without one.
pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = unknown_value(&r.body, "protocol_version", "protocol version", &VERSIONS) {
        diags.push(d);
        return;
    }
    let version = string(&r.body, "protocol_version");
    let grpc = version.is_some_and(|(v, _)| v.eq_ignore_ascii_case("GRPC"));
    let matcher = r.body.blocks("health_check").first().and_then(|hc| {
        let span = hc.body.span("matcher")?;
        Some((hc.body.known("matcher"), span))
    });
    match (matcher, version) {
        (None, Some((_, span))) if grpc => diags.push(
            Diagnostic::error("E0631", "a gRPC target group's health check needs a `matcher`", span)
                .label("the default matcher, HTTP 200, is no gRPC status")
                .help("add `health_check { matcher = \"0\" }` (gRPC OK), or \"0-99\" for any status; AWS's own default is \"12\" (UNIMPLEMENTED) on the path /AWS.ALB/healthcheck"),
        ),
        (Some((Some(Value::String(codes)), span)), _) => {
            let (what, range) = if grpc {
                ("gRPC status codes", 0..=99)
            } else {
                ("HTTP codes", 200..=499)
            };
            if !codes_within(codes, &range) {
                diags.push(
                    Diagnostic::error("E0631", format!("`{codes}` is not a matcher of {what}"), span)
                        .label(format!("{what} are {} to {}", range.start(), range.end()))
                        .help(if grpc {
                            "write codes, ranges or both, e.g. \"0\", \"0-99\" or \"0,12\""
                        } else {
                            "write codes, ranges or both, e.g. \"200\", \"200-299\" or \"200,302\"; gRPC codes need `protocol_version = \"GRPC\"`"
                        }),
                );
            }
        }
        _ => {}
    }
}

/// Whether `codes` (`200`, `200-299`, `200,302`) are all within `range`.
fn codes_within(codes: &str, range: &std::ops::RangeInclusive<u16>) -> bool {
    codes.split(',').all(|part| {
        let bounds: Vec<&str> = part.split('-').collect();
        bounds.len() <= 2
            && bounds
                .iter()
                .all(|c| c.trim().parse::<u16>().is_ok_and(|c| range.contains(&c)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_single_ranges_or_lists() {
        let http = 200..=499;
        for ok in ["200", "200-299", "200,302", "200-204,301"] {
            assert!(codes_within(ok, &http), "{ok}");
        }
        for bad in ["0", "500", "200-", "abc", "200-300-400", ""] {
            assert!(!codes_within(bad, &http), "{bad}");
        }
        assert!(codes_within("0-99", &(0..=99)));
        assert!(!codes_within("200", &(0..=99)));
    }
}
