/// How the executor should treat a failed provider call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// Throttled: retry with backoff.
    Throttling,
    /// A 5xx or an eventual-consistency error: retry with backoff.
    Transient,
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

    pub fn is_retryable(&self) -> bool {
        self.class != ErrorClass::Permanent
    }
}
