/// How the executor should treat a failed provider call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// Throttled: retry with backoff.
    Throttling,
    /// A 5xx or an eventual-consistency error: retry with backoff.
    Transient,
    /// The request never reached the cloud (connection refused or reset,
    /// connect timeout). The adapter retries it a few times, as the AWS SDKs
    /// do; after that it is reported, since its usual causes (a wrong
    /// endpoint, no network) do not pass within minutes.
    Unreachable,
    /// The request can never succeed as sent: do not retry.
    Permanent,
}

/// A failed call to the cloud, naming the API call and the cloud's own error
/// code and message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{call} failed: {code}: {message}")]
pub struct ProviderError {
    pub call: String,
    pub code: String,
    pub message: String,
    pub class: ErrorClass,
}

impl ProviderError {
    pub fn new(
        call: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
        class: ErrorClass,
    ) -> Self {
        ProviderError {
            call: call.into(),
            code: code.into(),
            message: message.into(),
            class,
        }
    }

    /// A permanent error: the request is wrong and retrying cannot help.
    pub fn permanent(call: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(call, code, message, ErrorClass::Permanent)
    }

    /// Whether waiting and calling again may help (throttling, 5xx,
    /// eventual consistency). Unreachable errors have had their few retries
    /// in the adapter already.
    pub fn is_retryable(&self) -> bool {
        matches!(self.class, ErrorClass::Throttling | ErrorClass::Transient)
    }
}
