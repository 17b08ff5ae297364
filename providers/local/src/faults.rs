//! Fault injection: failures the simulated cloud returns on purpose, so that
//! tests can exercise retries, throttling and partial applies.

use berth_provider::{Address, ErrorClass, Kind, ProviderError};
use serde::{Deserialize, Serialize};

/// The provider operation a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultOp {
    Create,
    Update,
    Delete,
    Read,
}

/// How the failure is classed, as [`ErrorClass`] (which has no serde form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultClass {
    Throttling,
    Transient,
    Permanent,
    /// The call takes effect, then its answer is lost: it fails as
    /// [`ErrorClass::Indeterminate`]. Only `create` and `update` calls.
    Lost,
}

impl From<FaultClass> for ErrorClass {
    fn from(c: FaultClass) -> Self {
        match c {
            FaultClass::Throttling => ErrorClass::Throttling,
            FaultClass::Transient => ErrorClass::Transient,
            FaultClass::Permanent => ErrorClass::Permanent,
            FaultClass::Lost => ErrorClass::Indeterminate,
        }
    }
}

/// One injected fault, stored in the file's `faults` list:
///
/// ```json
/// { "op": "create", "address": "service.login", "kind": "service",
///   "code": "Throttling", "message": "Rate exceeded", "class": "throttling", "times": 2 }
/// ```
///
/// A call matches when its operation is `op` and, for each of `stack`,
/// `address` and `kind` that is given, the call's equals it (`read_all`
/// matches only faults without `address`). A matching fault fails the call
/// before anything changes (class `lost`: after the change is made) and
/// counts `times` down; at 0 it is spent (and stays in the file with
/// `"times": 0`). Without `times` it fires forever. The cloud retries
/// throttling and transient faults itself, as the AWS adapter retries
/// AWS's; `--stats` counts those retries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub op: FaultOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub class: FaultClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl Fault {
    /// A fault failing every `op` call with `code`, of class `class`.
    pub fn new(op: FaultOp, code: impl Into<String>, class: FaultClass) -> Self {
        Fault {
            op,
            stack: None,
            address: None,
            kind: None,
            code: code.into(),
            message: None,
            class,
            times: None,
        }
    }

    /// Only for the resource at `address` (e.g. `service.login`).
    pub fn at(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Only for resources of `kind`.
    pub fn of_kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Only for the stack `stack`.
    pub fn in_stack(mut self, stack: impl Into<String>) -> Self {
        self.stack = Some(stack.into());
        self
    }

    /// Fires `times` times, then is spent.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// With this message instead of a default one.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    fn matches(&self, op: FaultOp, stack: &str, target: Option<(Kind, &Address)>) -> bool {
        if self.op != op || self.times == Some(0) {
            return false;
        }
        if self.class == FaultClass::Lost && !matches!(op, FaultOp::Create | FaultOp::Update) {
            return false;
        }
        if self.stack.as_deref().is_some_and(|s| s != stack) {
            return false;
        }
        match target {
            None => self.address.is_none(),
            Some((kind, address)) => {
                self.kind.is_none_or(|k| k == kind)
                    && self.address.as_ref().is_none_or(|a| *a == address.to_string())
            }
        }
    }
}

/// Fires the first fault matching the call, if any: counts it down and
/// returns the error the call fails with, naming `call`.
pub(crate) fn fire(
    faults: &mut [Fault],
    op: FaultOp,
    stack: &str,
    target: Option<(Kind, &Address)>,
    call: &str,
) -> Option<ProviderError> {
    let fault = faults.iter_mut().find(|f| f.matches(op, stack, target))?;
    if let Some(times) = fault.times.as_mut() {
        *times -= 1;
    }
    let message = fault.message.clone().unwrap_or_else(|| match fault.class {
        FaultClass::Throttling => "Rate exceeded".to_owned(),
        FaultClass::Transient => "We encountered an internal error. Please try again.".to_owned(),
        FaultClass::Permanent => format!("Injected fault {}", fault.code),
        FaultClass::Lost => "the response was lost after the call took effect".to_owned(),
    });
    Some(ProviderError::new(
        call,
        fault.code.clone(),
        message,
        fault.class.into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_n_times_for_matching_calls_only() {
        let addr: Address = "service.login".parse().unwrap();
        let other: Address = "service.notify".parse().unwrap();
        let mut faults = vec![
            Fault::new(FaultOp::Create, "Throttling", FaultClass::Throttling)
                .at("service.login")
                .times(2),
        ];
        assert!(
            fire(
                &mut faults,
                FaultOp::Create,
                "s",
                Some((Kind::Service, &other)),
                "CreateService"
            )
            .is_none()
        );
        assert!(
            fire(
                &mut faults,
                FaultOp::Update,
                "s",
                Some((Kind::Service, &addr)),
                "UpdateService"
            )
            .is_none()
        );
        assert!(fire(&mut faults, FaultOp::Read, "s", None, "DescribeServices").is_none());
        for _ in 0..2 {
            let e = fire(
                &mut faults,
                FaultOp::Create,
                "s",
                Some((Kind::Service, &addr)),
                "CreateService",
            )
            .unwrap();
            assert_eq!((e.code.as_str(), e.class), ("Throttling", ErrorClass::Throttling));
            assert_eq!(e.call, "CreateService");
        }
        assert!(
            fire(
                &mut faults,
                FaultOp::Create,
                "s",
                Some((Kind::Service, &addr)),
                "CreateService"
            )
            .is_none()
        );
        assert_eq!(faults[0].times, Some(0));
    }

    #[test]
    fn parses_the_documented_json() {
        let f: Fault = serde_json::from_str(
            r#"{"op":"delete","kind":"vpc","code":"InternalError","class":"transient"}"#,
        )
        .unwrap();
        assert_eq!(f.kind, Some(Kind::Vpc));
        assert_eq!(f.times, None);
        assert_eq!(ErrorClass::from(f.class), ErrorClass::Transient);
    }
}
