//! A setting a service refuses, as the shared rules of a service (SQS's,
//! EventBridge's) answer it to validate and to the local cloud.

/// One setting a service refuses: the attribute, the service's error code,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub attr: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl Fault {
    pub fn new(attr: &'static str, code: &'static str, message: impl Into<String>) -> Fault {
        Fault {
            attr,
            code,
            message: message.into(),
        }
    }
}
