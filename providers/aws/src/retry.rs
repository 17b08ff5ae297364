//! Retries of one SDK call: exponential backoff with full jitter, bounded
//! by a deadline ([`RetryPolicy`]). Permanent errors are never retried;
//! throttling and transient ones are, until the next wait would pass the
//! deadline; unreachable endpoints get [`UNREACHABLE_ATTEMPTS`] tries, as in
//! the AWS SDKs' standard mode. A call that is not idempotent
//! ([`Replay::Once`]) is never sent again after it went out and got no
//! answer: it fails as [`ErrorClass::Indeterminate`].

use std::future::Future;
use std::time::Instant;

use berth_provider::{CallStats, ErrorClass, ProviderError, RetryPolicy};

use crate::errors;

/// Whether a call may be sent again when its first sending got no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Reads, updates, deletes and creates with a client token: sending
    /// twice has the effect of sending once.
    Safe,
    /// Creates without a client token: a second sending may make a second
    /// resource.
    Once,
}

/// Tries of a call whose endpoint cannot be reached, before giving up.
pub(crate) const UNREACHABLE_ATTEMPTS: u32 = 3;

/// Runs `f` until it succeeds, fails permanently, or the deadline would be
/// passed; counts every attempt as a call of `service:op`, every retry and
/// every throttled attempt.
pub(crate) async fn run<T, F, Fut>(
    policy: &RetryPolicy,
    stats: &CallStats,
    (service, op): (&str, &str),
    replay: Replay,
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
        let mut err = match f().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if replay == Replay::Once && errors::unanswered(&err) {
            err.class = ErrorClass::Indeterminate;
            return Err(err);
        }
        let gave_up = match err.class {
            ErrorClass::Permanent => true,
            ErrorClass::Unreachable => attempt + 1 >= UNREACHABLE_ATTEMPTS,
            ErrorClass::Throttling | ErrorClass::Transient | ErrorClass::Indeterminate => false,
        };
        if err.class == ErrorClass::Throttling {
            stats.add_throttle(service, op);
        }
        if gave_up {
            return Err(tried(err, attempt + 1, start.elapsed()));
        }
        let wait = policy.delay(attempt);
        if start.elapsed() + wait > policy.deadline {
            return Err(tried(err, attempt + 1, start.elapsed()));
        }
        stats.add_retry(service, op);
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// `err`, the last of `attempts`, saying how often and how long it was
/// tried when more than once (a throttled call given up after two minutes
/// reads as one that failed at once otherwise).
fn tried(mut err: ProviderError, attempts: u32, over: std::time::Duration) -> ProviderError {
    if attempts > 1 {
        err.message = format!("{} ({attempts} attempts over {}s)", err.message, over.as_secs());
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::time::Duration;

    fn fast() -> RetryPolicy {
        RetryPolicy {
            deadline: Duration::from_millis(300),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        }
    }

    #[tokio::test]
    async fn retries_throttling_and_counts() {
        let stats = CallStats::default();
        let n = Cell::new(0);
        let out = run(&fast(), &stats, ("ec2", "CreateVpc"), Replay::Once, || {
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
        assert_eq!(stats.snapshot()["ec2:CreateVpc"].calls, 3);
        assert_eq!(stats.snapshot()["ec2:CreateVpc"].retries, 2);
        assert_eq!(stats.snapshot()["ec2:CreateVpc"].throttles, 2);
    }

    #[tokio::test]
    async fn an_unreachable_endpoint_gets_a_few_tries_only() {
        let stats = CallStats::default();
        let err = run(
            &RetryPolicy::default(),
            &stats,
            ("ec2", "DescribeVpcs"),
            Replay::Safe,
            || async {
                Err::<(), _>(ProviderError::new(
                    "DescribeVpcs",
                    "DispatchFailure",
                    "Connection refused",
                    ErrorClass::Unreachable,
                ))
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.class, ErrorClass::Unreachable);
        assert_eq!(
            stats.snapshot()["ec2:DescribeVpcs"].calls,
            u64::from(UNREACHABLE_ATTEMPTS)
        );
    }

    #[tokio::test]
    async fn never_retries_permanent_errors_and_stops_at_the_deadline() {
        let stats = CallStats::default();
        let err = run(
            &fast(),
            &stats,
            ("logs", "CreateLogGroup"),
            Replay::Once,
            || async {
                Err::<(), _>(ProviderError::permanent(
                    "CreateLogGroup",
                    "InvalidParameterException",
                    "bad",
                ))
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, "InvalidParameterException");
        assert_eq!(stats.snapshot()["logs:CreateLogGroup"].calls, 1);
        assert!(stats.snapshot().values().all(|s| s.retries == 0));

        let start = Instant::now();
        let err = run(&fast(), &stats, ("ec2", "DeleteVpc"), Replay::Safe, || async {
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
        let retries = stats.snapshot()["ec2:DeleteVpc"].retries;
        assert!(retries >= 1);
        // Given up: says how often it was tried.
        let attempts = format!("busy ({} attempts over 0s)", retries + 1);
        assert_eq!(err.message, attempts);
    }

    /// A create that went out and got a 5xx or no answer at all may have
    /// made its resource: it is not sent again. The same error on an
    /// idempotent call is retried.
    #[tokio::test]
    async fn an_unanswered_create_is_not_sent_again() {
        for (code, class) in [
            ("InternalError", ErrorClass::Transient),
            ("Timeout", ErrorClass::Unreachable),
        ] {
            let stats = CallStats::default();
            let fail =
                || async move { Err::<(), _>(ProviderError::new("CreateVpc", code, "no answer", class)) };
            let err = run(&fast(), &stats, ("ec2", "CreateVpc"), Replay::Once, fail)
                .await
                .unwrap_err();
            assert_eq!(err.class, ErrorClass::Indeterminate, "{code}");
            assert_eq!(stats.snapshot()["ec2:CreateVpc"].calls, 1, "{code}");

            let _ = run(&fast(), &stats, ("ec2", "ModifyVpcAttribute"), Replay::Safe, fail).await;
            assert!(stats.snapshot()["ec2:ModifyVpcAttribute"].calls > 1, "{code}");
        }
    }
}
