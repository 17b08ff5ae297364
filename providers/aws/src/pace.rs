//! How fast berth calls AWS. Real AWS throttles per API with token buckets;
//! a plan that sends hundreds of calls at once gets throttled and then
//! spends its time backing off. Every attempt of every call passes here:
//! - at most [`Limits::max_in_flight`] calls at once (64 by default: a plan's
//!   reads go out together; AWS's per-API token buckets start well above);
//! - optionally, a hard cap on calls per second over the whole run
//!   (`--max-rps`), spread evenly;
//! - per service, an adaptive rate, as in the AWS SDKs' adaptive retry
//!   mode: none until AWS throttles, then halved on every throttle and
//!   raised step by step on every success, until it is lifted again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

/// Limits set by the caller.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Calls in flight at once.
    pub max_in_flight: usize,
    /// Calls per second over the whole run, if capped.
    pub max_rps: Option<f64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_in_flight: 64,
            max_rps: None,
        }
    }
}

/// The rate a service starts at after its first throttle, in calls per
/// second.
const FIRST_THROTTLED_RATE: f64 = 20.0;
/// The lowest adaptive rate.
const MIN_RATE: f64 = 1.0;
/// Raised by this much per successful call once throttled...
const RATE_STEP: f64 = 0.5;
/// ...and lifted altogether above this.
const UNLIMITED_ABOVE: f64 = 200.0;

/// Evenly spaced slots at `rate` calls per second.
#[derive(Debug)]
struct Slots {
    rate: f64,
    next: Instant,
}

impl Slots {
    fn new(rate: f64) -> Slots {
        Slots {
            rate,
            next: Instant::now(),
        }
    }

    /// Takes the next free slot; the caller waits until it comes.
    fn take(&mut self) -> Instant {
        let slot = self.next.max(Instant::now());
        self.next = slot + Duration::from_secs_f64(1.0 / self.rate);
        slot
    }
}

/// The pacing state shared by all calls of one provider.
#[derive(Debug)]
pub(crate) struct Pacing {
    in_flight: Semaphore,
    cap: Option<Mutex<Slots>>,
    /// Services AWS has throttled, with their current rate.
    adaptive: Mutex<HashMap<String, Slots>>,
}

impl Pacing {
    pub(crate) fn new(limits: Limits) -> Pacing {
        Pacing {
            in_flight: Semaphore::new(limits.max_in_flight.max(1)),
            cap: limits
                .max_rps
                .filter(|r| *r > 0.0)
                .map(|r| Mutex::new(Slots::new(r))),
            adaptive: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for `service`'s turn: its adaptive rate, the run's cap, then a
    /// free place among the calls in flight (held until the permit drops).
    pub(crate) async fn permit(&self, service: &str) -> Option<SemaphorePermit<'_>> {
        let service_slot = lock(&self.adaptive).get_mut(service).map(Slots::take);
        if let Some(slot) = service_slot {
            tokio::time::sleep_until(slot).await;
        }
        if let Some(cap) = &self.cap {
            let slot = lock(cap).take();
            tokio::time::sleep_until(slot).await;
        }
        self.in_flight.acquire().await.ok()
    }

    /// AWS throttled a call of `service`: halve its rate.
    pub(crate) fn throttled(&self, service: &str) {
        lock(&self.adaptive)
            .entry(service.to_owned())
            .and_modify(|slots| slots.rate = (slots.rate / 2.0).max(MIN_RATE))
            .or_insert_with(|| Slots::new(FIRST_THROTTLED_RATE));
    }

    /// A call of `service` went through: raise its rate a step, lifting it
    /// once it is high enough.
    pub(crate) fn succeeded(&self, service: &str) {
        let mut adaptive = lock(&self.adaptive);
        if let Some(slots) = adaptive.get_mut(service) {
            slots.rate += RATE_STEP;
            if slots.rate > UNLIMITED_ABOVE {
                adaptive.remove(service);
            }
        }
    }

    /// `service`'s adaptive rate, if AWS has throttled it.
    #[cfg(test)]
    fn rate(&self, service: &str) -> Option<f64> {
        lock(&self.adaptive).get(service).map(|s| s.rate)
    }
}

/// A poisoned lock still holds usable pacing state.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_cap_spaces_calls_evenly() {
        let pacing = Pacing::new(Limits {
            max_in_flight: 32,
            max_rps: Some(4.0),
        });
        let start = Instant::now();
        for _ in 0..9 {
            drop(pacing.permit("ec2").await);
        }
        // The first call goes at once, the other eight a quarter second apart.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn no_more_than_the_limit_in_flight() {
        let pacing = Pacing::new(Limits {
            max_in_flight: 2,
            max_rps: None,
        });
        let a = pacing.permit("ec2").await;
        let b = pacing.permit("ecs").await;
        assert!(a.is_some() && b.is_some());
        let third = tokio::time::timeout(Duration::from_secs(60), pacing.permit("iam")).await;
        assert!(third.is_err(), "a third call waits for a place");
        drop(a);
        assert!(pacing.permit("iam").await.is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_slows_one_service_until_successes_lift_it() {
        let pacing = Pacing::new(Limits::default());
        assert_eq!(pacing.rate("ecs"), None, "no limit before AWS throttles");
        pacing.throttled("ecs");
        assert_eq!(pacing.rate("ecs"), Some(FIRST_THROTTLED_RATE));
        pacing.throttled("ecs");
        assert_eq!(pacing.rate("ecs"), Some(FIRST_THROTTLED_RATE / 2.0));
        assert_eq!(pacing.rate("ec2"), None, "other services keep their pace");

        let start = Instant::now();
        for _ in 0..3 {
            drop(pacing.permit("ecs").await);
        }
        assert_eq!(start.elapsed(), Duration::from_millis(200), "10 calls a second");

        for _ in 0..1000 {
            pacing.succeeded("ecs");
        }
        assert_eq!(pacing.rate("ecs"), None, "lifted after enough successes");
        for _ in 0..100 {
            pacing.throttled("ecs");
        }
        assert_eq!(pacing.rate("ecs"), Some(MIN_RATE));
    }
}
