//! Counts of the calls a provider made, for `--stats`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// What happened to one API operation (`ec2:CreateVpc`) during a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpStats {
    /// Every attempt, failed ones and each page of a listing included.
    pub calls: u64,
    /// Attempts that were retries of a failed one.
    pub retries: u64,
    /// Failed attempts the cloud answered with throttling.
    pub throttles: u64,
}

/// Counts per `service:Operation`, shared by the calls of one provider.
#[derive(Debug, Default)]
pub struct CallStats {
    inner: Mutex<BTreeMap<String, OpStats>>,
}

impl CallStats {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, OpStats>> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn with(&self, service: &str, op: &str, f: impl FnOnce(&mut OpStats)) {
        f(self.lock().entry(format!("{service}:{op}")).or_default());
    }

    /// Adds `n` calls of `service:op`.
    pub fn add_calls(&self, service: &str, op: &str, n: u64) {
        if n > 0 {
            self.with(service, op, |s| s.calls += n);
        }
    }

    /// Counts one retry of `service:op`.
    pub fn add_retry(&self, service: &str, op: &str) {
        self.with(service, op, |s| s.retries += 1);
    }

    /// Counts one throttled attempt of `service:op`.
    pub fn add_throttle(&self, service: &str, op: &str) {
        self.with(service, op, |s| s.throttles += 1);
    }

    /// The counts so far, by `service:Operation`.
    pub fn snapshot(&self) -> BTreeMap<String, OpStats> {
        self.lock().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_service_and_operation() {
        let s = CallStats::default();
        s.add_calls("ec2", "CreateVpc", 1);
        s.add_calls("ec2", "CreateVpc", 2);
        s.add_calls("ecs", "ListClusters", 0);
        s.add_retry("ec2", "CreateVpc");
        s.add_throttle("ec2", "CreateVpc");
        let snap = s.snapshot();
        assert_eq!(
            snap.get("ec2:CreateVpc"),
            Some(&OpStats {
                calls: 3,
                retries: 1,
                throttles: 1
            })
        );
        assert!(!snap.contains_key("ecs:ListClusters"));
    }
}
