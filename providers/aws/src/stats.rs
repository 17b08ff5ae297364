//! API call and retry counters, for `berth --stats`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Counts of AWS API calls and of retries, keyed `service:Operation`
/// (e.g. `ec2:CreateVpc`). Every attempt counts as a call, failed ones and
/// each page of a paginated listing included.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    inner: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    calls: BTreeMap<String, u64>,
    retries: BTreeMap<String, u64>,
}

fn key(service: &str, op: &str) -> String {
    format!("{service}:{op}")
}

impl Stats {
    fn lock(&self) -> MutexGuard<'_, Counts> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `n` calls of `service:op`.
    pub fn add_calls(&self, service: &str, op: &str, n: u64) {
        if n > 0 {
            *self.lock().calls.entry(key(service, op)).or_default() += n;
        }
    }

    /// Counts one retry of `service:op`.
    pub fn add_retry(&self, service: &str, op: &str) {
        *self.lock().retries.entry(key(service, op)).or_default() += 1;
    }

    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.lock().calls.clone()
    }

    pub fn retries(&self) -> BTreeMap<String, u64> {
        self.lock().retries.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_service_and_operation() {
        let s = Stats::default();
        s.add_calls("ec2", "CreateVpc", 1);
        s.add_calls("ec2", "CreateVpc", 2);
        s.add_calls("ecs", "ListClusters", 0);
        s.add_retry("ec2", "CreateVpc");
        assert_eq!(s.calls().get("ec2:CreateVpc"), Some(&3));
        assert!(!s.calls().contains_key("ecs:ListClusters"));
        assert_eq!(s.retries().get("ec2:CreateVpc"), Some(&1));
    }
}
