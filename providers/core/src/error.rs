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
    /// The request was sent and no answer says whether it took effect: a
    /// timeout or a 5xx after sending, a response lost on the way back. A
    /// create may have made the resource, so it is never simply sent
    /// again: the executor looks for the resource by its address tag first.
    /// Reads, updates and deletes are idempotent and the adapter retries
    /// them instead.
    Indeterminate,
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

    /// Whether the call may have taken effect although it failed.
    pub fn is_indeterminate(&self) -> bool {
        self.class == ErrorClass::Indeterminate
    }
}
