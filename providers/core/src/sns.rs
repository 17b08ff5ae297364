//! SNS's rules that both validate and the local cloud apply to an
//! `sns_topic`'s subscriptions: the protocols SNS delivers by, which of
//! them deliver raw messages, and the shape of each one's endpoint.

use crate::arn;

/// The protocols SNS delivers by.
pub const PROTOCOLS: [&str; 9] = [
    "email",
    "email-json",
    "http",
    "https",
    "sqs",
    "lambda",
    "sms",
    "firehose",
    "application",
];

/// The protocols that can deliver a message without SNS's JSON envelope.
pub const RAW_PROTOCOLS: [&str; 4] = ["sqs", "http", "https", "firehose"];

/// What an endpoint of `protocol` is, when `endpoint` is not one.
pub fn endpoint_fault(protocol: &str, endpoint: &str) -> Option<&'static str> {
    let fits = match protocol {
        "email" | "email-json" => endpoint
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && !domain.is_empty() && !endpoint.contains(' ')),
        "http" => endpoint.starts_with("http://"),
        "https" => endpoint.starts_with("https://"),
        "sqs" => arn::is_of(endpoint, "sqs"),
        "lambda" => arn::is_of(endpoint, "lambda"),
        "firehose" => arn::is_of(endpoint, "firehose"),
        "application" => arn::is_of(endpoint, "sns") && endpoint.contains(":endpoint/"),
        "sms" => is_phone_number(endpoint),
        _ => true,
    };
    if fits {
        return None;
    }
    Some(match protocol {
        "email" | "email-json" => "an email address",
        "http" => "an http:// URL",
        "https" => "an https:// URL",
        "sqs" => "an SQS queue's ARN",
        "lambda" => "a Lambda function's ARN",
        "firehose" => "a Firehose delivery stream's ARN",
        "application" => "a platform application endpoint's ARN",
        _ => "a phone number in E.164 format",
    })
}

/// An E.164 phone number: `+` (optional) and up to 15 digits, the first
/// not 0.
fn is_phone_number(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text);
    (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_have_their_protocols_shape() {
        for (protocol, endpoint) in [
            ("email", "ops@example.com"),
            ("email-json", "ops@example.com"),
            ("http", "http://example.com/hook"),
            ("https", "https://example.com/hook"),
            ("sqs", "arn:aws:sqs:us-east-1:123456789012:q"),
            ("lambda", "arn:aws:lambda:us-east-1:123456789012:function:f"),
            (
                "firehose",
                "arn:aws:firehose:us-east-1:123456789012:deliverystream/s",
            ),
            (
                "application",
                "arn:aws:sns:us-east-1:123456789012:endpoint/GCM/app/1",
            ),
            ("sms", "+15555550100"),
        ] {
            assert_eq!(endpoint_fault(protocol, endpoint), None, "{protocol} {endpoint}");
        }
        for (protocol, endpoint) in [
            ("email", "ops"),
            ("http", "https://example.com"),
            ("https", "http://example.com"),
            ("sqs", "https://sqs.us-east-1.amazonaws.com/123456789012/q"),
            ("lambda", "arn:aws:sqs:us-east-1:123456789012:q"),
            ("firehose", "s"),
            ("application", "arn:aws:sns:us-east-1:123456789012:topic"),
            ("sms", "+0123"),
            ("sms", "555-0100"),
        ] {
            assert!(
                endpoint_fault(protocol, endpoint).is_some(),
                "{protocol} {endpoint}"
            );
        }
    }
}
