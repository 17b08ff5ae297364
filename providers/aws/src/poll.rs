//! Waiting for AWS to finish something it does in the background (a NAT
//! gateway or VPC endpoint becoming available or gone, an ECS deployment
//! settling): one pacing for every such loop, pausing 2 to 5 seconds and
//! then half as long again each time, up to 15 seconds between looks, for a
//! bounded time.

use std::time::{Duration, Instant};

use berth_provider::{ErrorClass, ProviderError};

/// The longest pause between two looks.
const MAX_PAUSE: Duration = Duration::from_secs(15);

/// The pacing and deadline of one wait. The caller looks, returns when
/// done, and otherwise calls [`Poll::pause`] with what it saw.
pub(crate) struct Poll<'a> {
    call: &'a str,
    what: String,
    timeout: Duration,
    start: Instant,
    pause: Duration,
}

impl<'a> Poll<'a> {
    /// A wait for `what` (e.g. "nat-1 not available"), looked at with
    /// `call`, of at most `timeout`, first pausing `first`.
    pub(crate) fn new(call: &'a str, what: String, timeout: Duration, first: Duration) -> Self {
        Poll {
            call,
            what,
            timeout,
            start: Instant::now(),
            pause: first,
        }
    }

    /// Pauses before the next look, after one that found `state`; fails
    /// with a transient `Timeout` error ("WHAT after Ns: STATE") when the
    /// next look would come after the deadline.
    pub(crate) async fn pause(&mut self, state: &str) -> Result<(), ProviderError> {
        if self.start.elapsed() + self.pause > self.timeout {
            return Err(ProviderError::new(
                self.call,
                "Timeout",
                format!("{} after {}s: {state}", self.what, self.timeout.as_secs()),
                ErrorClass::Transient,
            ));
        }
        tokio::time::sleep(self.pause).await;
        self.pause = (self.pause * 3 / 2).min(MAX_PAUSE);
        Ok(())
    }

    /// Sends `f` again while AWS answers it with an error `refused` picks
    /// out (one that means the call did nothing: something it names is not
    /// visible yet); past the deadline, that refusal is the error.
    pub(crate) async fn resend_while<T, F, Fut>(
        mut self,
        refused: impl Fn(&ProviderError) -> bool,
        f: F,
    ) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, ProviderError>>,
    {
        loop {
            match f().await {
                Err(e) if refused(&e) => {
                    if self.pause(&e.message).await.is_err() {
                        return Err(e);
                    }
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn pauses_grow_by_half_up_to_fifteen_seconds() {
        let start = tokio::time::Instant::now();
        let mut poll = Poll::new(
            "Describe",
            "x ready".to_owned(),
            Duration::from_secs(600),
            Duration::from_secs(8),
        );
        for _ in 0..3 {
            poll.pause("pending").await.expect("within the deadline");
        }
        // 8 + 12 + 15 seconds.
        assert_eq!(start.elapsed(), Duration::from_secs(35));
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_call_is_sent_again_and_its_last_refusal_ends_the_wait() {
        let refusal = || ProviderError::new("Put", "NoSuchBucket", "not yet", ErrorClass::Permanent);
        let sent = std::sync::atomic::AtomicU32::new(0);
        let poll = |timeout| Poll::new("Put", "x unknown".to_owned(), timeout, Duration::from_secs(1));
        let third = poll(Duration::from_secs(60))
            .resend_while(
                |e| e.code == "NoSuchBucket",
                || async {
                    match sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                        0 | 1 => Err(refusal()),
                        n => Ok(n),
                    }
                },
            )
            .await;
        assert_eq!(third.ok(), Some(2));
        let never = poll(Duration::from_secs(3))
            .resend_while(|e| e.code == "NoSuchBucket", || async { Err::<(), _>(refusal()) })
            .await;
        assert_eq!(never.map_err(|e| e.code), Err("NoSuchBucket".to_owned()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_that_never_ends_times_out_with_the_last_state() {
        let mut poll = Poll::new(
            "Describe",
            "x not ready".to_owned(),
            Duration::from_secs(30),
            Duration::from_secs(2),
        );
        let err = loop {
            if let Err(e) = poll.pause("still pending").await {
                break e;
            }
        };
        assert_eq!(err.code, "Timeout");
        assert_eq!(err.class, ErrorClass::Transient);
        assert_eq!(err.message, "x not ready after 30s: still pending");
    }
}
