//! How long and how often a provider retries a failed call. Providers own
//! retries (the executor never re-runs a call a provider gave up on); both
//! adapters back off by this one policy.

use std::time::Duration;

/// Exponential backoff with jitter, bounded by a deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total time one call may take, retries and waits included, before its
    /// last error is returned.
    pub deadline: Duration,
    /// First wait; doubled after each failure.
    pub base_delay: Duration,
    /// Longest single wait.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Two minutes: long enough for EC2's eventual consistency and for
    /// network interfaces to drain (`DependencyViolation`) in most cases.
    fn default() -> Self {
        RetryPolicy {
            deadline: Duration::from_secs(120),
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0-based): a random duration
    /// between half and all of `base * 2^attempt`, capped at `max_delay`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.max_delay);
        let half = exp / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=jitter_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        let p = RetryPolicy::default();
        for attempt in 0..40 {
            let d = p.delay(attempt);
            assert!(d <= p.max_delay, "{attempt}: {d:?}");
        }
        assert!(p.delay(0) <= p.base_delay && p.delay(0) >= p.base_delay / 2);
        assert!(p.delay(3) >= p.base_delay * 4);
    }
}
