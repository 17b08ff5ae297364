//! Turning AWS SDK errors into [`ProviderError`]s that name the API call,
//! AWS's error code and message, and say whether retrying can help.

use std::error::Error;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use berth_provider::{ErrorClass, ProviderError};

/// Failure to set up the provider (before any resource call).
#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    /// No region: none given and none in `AWS_REGION` or the profile.
    #[error("no AWS region: set `region` in the stack or AWS_REGION")]
    NoRegion,
    /// The region is not of AWS's form (`us-east-1`).
    #[error("`{0}` is not an AWS region name")]
    BadRegion(String),
}

/// The code of a call made without credentials (none found in the chain).
pub(crate) const NO_CREDENTIALS: &str = "NoCredentials";

/// Codes AWS answers when the caller's credentials have expired.
pub(crate) const EXPIRED: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "TokenRefreshRequired",
];

/// Codes AWS answers when a caller is throttled.
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "RequestThrottled",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "SlowDown",
    "EC2ThrottledException",
    "PriorRequestNotComplete",
];

/// Codes of errors that go away by themselves: server faults, and AWS's
/// eventual consistency (an id not yet visible right after its create, a
/// dependency still draining, a concurrent change).
const TRANSIENT: &[&str] = &[
    "InternalError",
    "InternalFailure",
    "InternalServerError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "ServerException",
    "RequestTimeout",
    "RequestTimeoutException",
    "InvalidVpcID.NotFound",
    "InvalidSubnetID.NotFound",
    "InvalidInternetGatewayID.NotFound",
    "InvalidRouteTableID.NotFound",
    "InvalidGroup.NotFound",
    "InvalidSecurityGroupID.NotFound",
    "DependencyViolation",
    "IncorrectState",
    "ConcurrentModification",
    "ConcurrentModificationException",
    "OperationAbortedException",
    "ResourceInUse",
    "ClusterContainsServicesException",
    // SNS: a tag change while another is under way, and tags on a topic
    // made under the name of one just deleted (a replacement), which SNS
    // asks to send again after a while.
    "ConcurrentAccess",
    "StaleTag",
    // S3: a conflicting operation on the bucket under way (a bucket of
    // that name deleted a moment ago).
    "OperationAborted",
    // EFS: a file system or mount target still being made or changed, and
    // a dependency EFS waited on too long.
    "IncorrectFileSystemLifeCycleState",
    "IncorrectMountTargetState",
    "DependencyTimeout",
    // EventBridge: a server fault, also as the code of a target a
    // PutTargets or RemoveTargets answer failed.
    "InternalException",
];

/// Codes answered with HTTP 429 that are no throttling: EFS's
/// `TooManyRequests` refuses a throughput mode change, or a decrease of
/// provisioned throughput, within 24 hours of the last one, which no retry
/// within minutes gets past.
const REFUSED_FOR_A_DAY: &[&str] = &["TooManyRequests"];

/// Codes of server faults: the request reached AWS, which failed while
/// handling it, perhaps after it took effect.
const SERVER_FAULTS: &[&str] = &[
    "InternalError",
    "InternalFailure",
    "InternalServerError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "Unavailable",
    "ServerException",
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalException",
];

/// Whether `err` leaves open whether the call took effect: it was sent (or
/// may have been) and no answer came back, or a server fault came back.
pub(crate) fn unanswered(err: &ProviderError) -> bool {
    err.class == ErrorClass::Unreachable
        || err.code == "ConnectionReset"
        || SERVER_FAULTS.contains(&err.code.as_str())
        || err.code.strip_prefix("HTTP").is_some_and(|s| s.starts_with('5'))
}

/// Classifies an error by AWS's code and the HTTP status.
pub(crate) fn classify(code: &str, message: &str, status: u16) -> ErrorClass {
    if REFUSED_FOR_A_DAY.contains(&code) {
        ErrorClass::Permanent
    } else if THROTTLING.contains(&code) || status == 429 {
        ErrorClass::Throttling
    } else if TRANSIENT.contains(&code)
        || status >= 500
        // ECS does not yet see a listener created a moment ago.
        || (code == "InvalidParameterException" && message.contains("does not have an associated load balancer"))
        // A service made under the name of one just deleted (moved to
        // another address): ECS frees the name once the old one's tasks
        // have drained.
        || (code == "InvalidParameterException" && message.contains("still Draining"))
    {
        ErrorClass::Transient
    } else {
        ErrorClass::Permanent
    }
}

/// The [`ProviderError`] for a failed SDK call `call`. EC2's errors are not
/// modelled: their code is read from the error metadata, as for every
/// service.
pub(crate) fn from_sdk<E>(call: &str, err: SdkError<E, HttpResponse>) -> ProviderError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(ctx) => {
            let status = ctx.raw().status().as_u16();
            let meta = ctx.err();
            // A bare 5xx (from a proxy, say) is named by its status.
            let code = match meta.code() {
                Some(code) => code.to_owned(),
                None if status >= 500 => format!("HTTP{status}"),
                None => "Unknown".to_owned(),
            };
            let message = match meta.message() {
                Some(m) => m.to_owned(),
                None => not_aws(ctx.raw()).unwrap_or_else(|| chain(meta)),
            };
            let class = classify(&code, &message, status);
            ProviderError::new(call, code, message, class)
        }
        SdkError::ResponseError(ctx) => {
            let status = ctx.raw().status().as_u16();
            let class = if status == 429 {
                ErrorClass::Throttling
            } else {
                ErrorClass::Transient
            };
            let message = not_aws(ctx.raw()).unwrap_or_else(|| chain(&err));
            ProviderError::new(call, format!("HTTP{status}"), message, class)
        }
        // An endpoint that accepts connections but never answers: tried as
        // often as one that cannot be reached, not until the deadline.
        SdkError::TimeoutError(_) => {
            ProviderError::new(call, "Timeout", chain(&err), ErrorClass::Unreachable)
        }
        SdkError::DispatchFailure(failure) => {
            let message = chain(&err);
            if message.contains("no credentials found") || message.contains("failed to load credentials") {
                return ProviderError::permanent(call, NO_CREDENTIALS, message);
            }
            let (code, class) = dispatch_class(failure.is_io(), failure.is_timeout(), &message);
            ProviderError::new(call, code, message, class)
        }
        _ => ProviderError::permanent(call, "RequestError", chain(&err)),
    }
}

/// What an answer that is no AWS error says: an HTML page (a proxy's or a
/// gateway's) in place of AWS's JSON or XML, which the SDK reports only as
/// a body it could not parse.
fn not_aws(raw: &HttpResponse) -> Option<String> {
    let content_type = raw.headers().get("content-type").unwrap_or_default();
    let body = raw.body().bytes().unwrap_or_default();
    let start = String::from_utf8_lossy(&body[..body.len().min(256)]).to_ascii_lowercase();
    let html = content_type.contains("html")
        || start.trim_start().starts_with("<!doctype html")
        || start.contains("<html");
    html.then(|| {
        format!(
            "the endpoint answered HTTP {} with an HTML page, not an AWS error: a proxy or gateway between berth and AWS?",
            raw.status().as_u16()
        )
    })
}

/// An error and its causes in one line (`dispatch failure: io error: ...:
/// Connection refused (os error 111)`), without the Debug dump the SDK's
/// own formatter appends. A cause that repeats its parent is left out.
fn chain(err: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.last().is_some_and(|p| p.ends_with(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// A request that failed below HTTP. One that could not connect (refused,
/// no such host, connect timeout) is tried a few times: its usual causes (a
/// wrong endpoint, no network) do not pass within minutes. A connection
/// that broke after connecting (reset, closed before the answer) is
/// transient. Anything else (credentials that cannot be loaded, a bad
/// endpoint configuration) will not pass and fails at once.
fn dispatch_class(io: bool, timeout: bool, message: &str) -> (&'static str, ErrorClass) {
    const CONNECTING: &[&str] = &["Connection refused", "tcp connect error", "dns error"];
    // hyper reports a connection closed under a request as "other".
    const BROKEN: &[&str] = &[
        "connection closed before message completed",
        "Connection reset",
        "connection reset",
        "Broken pipe",
    ];
    if timeout || CONNECTING.iter().any(|c| message.contains(c)) {
        ("DispatchFailure", ErrorClass::Unreachable)
    } else if io || BROKEN.iter().any(|c| message.contains(c)) {
        ("ConnectionReset", ErrorClass::Transient)
    } else {
        ("DispatchFailure", ErrorClass::Permanent)
    }
}

/// Nothing instead of `err` when its code is `code`: a listing under a
/// parent that does not exist (any more) lists nothing, a read of a
/// resource that is gone finds none.
pub(crate) fn gone<T: Default>(err: ProviderError, code: &str) -> Result<T, ProviderError> {
    if err.code == code {
        Ok(T::default())
    } else {
        Err(err)
    }
}

/// A request berth could not build (a required field missing).
pub(crate) fn build_error(call: &str, err: impl std::fmt::Display) -> ProviderError {
    ProviderError::permanent(call, "InvalidRequest", err.to_string())
}

/// A response without the object the call creates.
pub(crate) fn missing(call: &str) -> ProviderError {
    ProviderError::permanent(
        call,
        "MissingResponse",
        "AWS answered without the created resource",
    )
}

/// A desired resource that cannot be turned into a request.
pub(crate) fn invalid(call: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::permanent(call, "InvalidParameterValue", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsError;
    use aws_smithy_runtime_api::client::result::ConnectorError;

    #[test]
    fn broken_connections_are_transient_and_refused_ones_unreachable() {
        let failure = |e: ConnectorError| {
            from_sdk::<DescribeVpcsError>("DescribeVpcs", SdkError::dispatch_failure(e)).class
        };
        let refused = ConnectorError::io("tcp connect error: Connection refused (os error 111)".into());
        assert_eq!(failure(refused), ErrorClass::Unreachable);
        let closed = ConnectorError::other(
            "client error (SendRequest): connection closed before message completed".into(),
            None,
        );
        assert_eq!(failure(closed), ErrorClass::Transient);
        let no_credentials = ConnectorError::other("failed to load credentials".into(), None);
        assert_eq!(failure(no_credentials), ErrorClass::Permanent);
    }

    #[test]
    fn messages_are_the_cause_chain_without_debug_dumps() {
        let refused = ConnectorError::io("tcp connect error: Connection refused (os error 111)".into());
        let err = from_sdk::<DescribeVpcsError>("DescribeVpcs", SdkError::dispatch_failure(refused));
        assert_eq!(
            err.message,
            "dispatch failure: io error: tcp connect error: Connection refused (os error 111)"
        );
    }

    /// A proxy's or gateway's HTML 5xx page: it read "malformed JSON error
    /// body: ... unexpected token '<'" (ECS) or "unhandled error: Error"
    /// (ELB), which told nothing.
    #[test]
    fn an_html_page_in_place_of_an_aws_error_says_so() {
        use aws_smithy_runtime_api::http::StatusCode;
        use aws_smithy_types::body::SdkBody;
        let page = "<!DOCTYPE html><html><body>503 Service Unavailable</body></html>";
        let mut raw = HttpResponse::new(StatusCode::try_from(503).expect("a status"), SdkBody::from(page));
        raw.headers_mut().insert("content-type", "text/html");
        let err = from_sdk::<DescribeVpcsError>(
            "ListClusters",
            SdkError::response_error("malformed JSON error body", raw),
        );
        assert_eq!(err.code, "HTTP503");
        assert_eq!(
            err.message,
            "the endpoint answered HTTP 503 with an HTML page, not an AWS error: a proxy or gateway between berth and AWS?"
        );
        assert_eq!(err.class, ErrorClass::Transient);
    }

    #[test]
    fn classes() {
        assert_eq!(classify("Throttling", "", 400), ErrorClass::Throttling);
        assert_eq!(classify("RequestLimitExceeded", "", 503), ErrorClass::Throttling);
        assert_eq!(classify("Whatever", "", 429), ErrorClass::Throttling);
        assert_eq!(classify("InvalidVpcID.NotFound", "", 400), ErrorClass::Transient);
        assert_eq!(classify("DependencyViolation", "", 400), ErrorClass::Transient);
        assert_eq!(classify("StaleTag", "", 400), ErrorClass::Transient);
        assert_eq!(
            classify("IncorrectFileSystemLifeCycleState", "", 409),
            ErrorClass::Transient
        );
        assert_eq!(classify("TooManyRequests", "", 429), ErrorClass::Permanent);
        // EventBridge: another change of the rule under way, a server
        // fault; a quota reached or a setting refused are no such thing.
        assert_eq!(
            classify("ConcurrentModificationException", "", 400),
            ErrorClass::Transient
        );
        assert_eq!(classify("InternalException", "", 400), ErrorClass::Transient);
        assert_eq!(classify("LimitExceededException", "", 400), ErrorClass::Permanent);
        assert_eq!(classify("ValidationException", "", 400), ErrorClass::Permanent);
        assert_eq!(
            classify("ResourceNotFoundException", "", 400),
            ErrorClass::Permanent
        );
        assert_eq!(classify("Unknown", "", 503), ErrorClass::Transient);
        assert_eq!(classify("ValidationError", "", 400), ErrorClass::Permanent);
        assert_eq!(
            classify(
                "InvalidParameterException",
                "The target group x does not have an associated load balancer.",
                400
            ),
            ErrorClass::Transient
        );
        assert_eq!(
            classify(
                "InvalidParameterException",
                "Unable to Start a service that is still Draining.",
                400
            ),
            ErrorClass::Transient
        );
        assert_eq!(
            classify("InvalidParameterException", "other", 400),
            ErrorClass::Permanent
        );
    }
}
