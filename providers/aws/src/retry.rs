//! Exponential backoff with full jitter, bounded by a deadline. Permanent
//! errors are never retried; throttling and transient ones are, until the
//! next wait would pass the deadline; unreachable endpoints get
//! [`UNREACHABLE_ATTEMPTS`] tries, as in the AWS SDKs' standard mode.

use std::future::Future;
use std::time::{Duration, Instant};

use berth_provider::{ErrorClass, ProviderError};

use crate::stats::Stats;

/// How long and how often a failed call is retried.
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

/// Tries of a call whose endpoint cannot be reached, before giving up.
pub(crate) const UNREACHABLE_ATTEMPTS: u32 = 3;

/// Runs `f` until it succeeds, fails permanently, or the deadline would be
/// passed; counts every attempt as a call of `service:op` and every retry.
pub(crate) async fn run<T, F, Fut>(
    policy: &RetryPolicy,
    stats: &Stats,
    service: &str,
    op: &str,
    mut f: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let start = Instant::now();
    let mut attempt = 0u32;
    loop {
        stats.add_calls(service, op, 1);
        let err = match f().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let gave_up = match err.class {
            ErrorClass::Permanent => true,
            ErrorClass::Unreachable => attempt + 1 >= UNREACHABLE_ATTEMPTS,
            ErrorClass::Throttling | ErrorClass::Transient => false,
        };
        if gave_up {
            return Err(err);
        }
        let wait = policy.delay(attempt);
        if start.elapsed() + wait > policy.deadline {
            return Err(err);
        }
        stats.add_retry(service, op);
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn fast() -> RetryPolicy {
        RetryPolicy {
            deadline: Duration::from_millis(300),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        }
    }

    #[test]
    fn delays_grow_and_stay_bounded() {
        let p = RetryPolicy::default();
        for attempt in 0..40 {
            let d = p.delay(attempt);
            assert!(d <= p.max_delay, "{attempt}: {d:?}");
        }
        assert!(p.delay(0) <= p.base_delay && p.delay(0) >= p.base_delay / 2);
    }

    #[tokio::test]
    async fn retries_throttling_and_counts() {
        let stats = Stats::default();
        let n = Cell::new(0);
        let out = run(&fast(), &stats, "ec2", "CreateVpc", || {
            n.set(n.get() + 1);
            let k = n.get();
            async move {
                if k < 3 {
                    Err(ProviderError::new(
                        "CreateVpc",
                        "Throttling",
                        "slow down",
                        ErrorClass::Throttling,
                    ))
                } else {
                    Ok(k)
                }
            }
        })
        .await;
        assert_eq!(out, Ok(3));
        assert_eq!(stats.calls().get("ec2:CreateVpc"), Some(&3));
        assert_eq!(stats.retries().get("ec2:CreateVpc"), Some(&2));
    }

    #[tokio::test]
    async fn an_unreachable_endpoint_gets_a_few_tries_only() {
        let stats = Stats::default();
        let err = run(&RetryPolicy::default(), &stats, "ec2", "DescribeVpcs", || async {
            Err::<(), _>(ProviderError::new(
                "DescribeVpcs",
                "DispatchFailure",
                "Connection refused",
                ErrorClass::Unreachable,
            ))
        })
        .await
        .unwrap_err();
        assert_eq!(err.class, ErrorClass::Unreachable);
        assert_eq!(
            stats.calls().get("ec2:DescribeVpcs"),
            Some(&u64::from(UNREACHABLE_ATTEMPTS))
        );
    }

    #[tokio::test]
    async fn never_retries_permanent_errors_and_stops_at_the_deadline() {
        let stats = Stats::default();
        let err = run(&fast(), &stats, "logs", "CreateLogGroup", || async {
            Err::<(), _>(ProviderError::permanent(
                "CreateLogGroup",
                "InvalidParameterException",
                "bad",
            ))
        })
        .await
        .unwrap_err();
        assert_eq!(err.code, "InvalidParameterException");
        assert_eq!(stats.calls().get("logs:CreateLogGroup"), Some(&1));
        assert!(stats.retries().is_empty());

        let start = Instant::now();
        let err = run(&fast(), &stats, "ec2", "DeleteVpc", || async {
            Err::<(), _>(ProviderError::new(
                "DeleteVpc",
                "DependencyViolation",
                "busy",
                ErrorClass::Transient,
            ))
        })
        .await
        .unwrap_err();
        assert_eq!(err.code, "DependencyViolation");
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(stats.retries().get("ec2:DeleteVpc").copied().unwrap_or(0) >= 1);
    }
}
