//! Holding a stack's lock around a run: taking it (waiting up to a timeout
//! while another run holds it), keeping it alive with heartbeats, and
//! telling a live holder from a dead one. The lock itself lives in the
//! cloud, behind [`Provider::try_lock`] and its siblings.

use std::time::{Duration, Instant};

use berth_provider::lock::now;
use berth_provider::{LockInfo, Provider, ProviderError};

/// How often a holder refreshes its lock.
pub const HEARTBEAT: Duration = Duration::from_secs(30);

/// A holder silent for longer than this seems to have died: its lock may
/// be released with `berth unlock`, never taken over silently.
pub const STALE_AFTER: Duration = Duration::from_secs(120);

/// How often a waiting run asks again.
const POLL: Duration = Duration::from_secs(2);

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds it (still, after waiting `waited`).
    #[error("{what} is locked by {}", describe(holder))]
    Held {
        /// `stack "blog-dev"`, or the local cloud's file.
        what: String,
        holder: LockInfo,
        waited: Duration,
    },
    /// The cloud could not be asked.
    #[error("cannot take the lock of {what}: {source}")]
    Cloud {
        what: String,
        #[source]
        source: ProviderError,
    },
}

/// Whether `holder` has been silent for longer than [`STALE_AFTER`].
pub fn is_stale(holder: &LockInfo) -> bool {
    holder.silent_for() > STALE_AFTER
}

/// `alice@laptop (pid 4242, berth apply, for 3m 5s, last heartbeat 12s
/// ago)`.
pub fn describe(holder: &LockInfo) -> String {
    format!(
        "{} (pid {}, `{}`, for {}, last heartbeat {} ago)",
        holder.who,
        holder.pid,
        holder.command,
        span(Duration::from_secs(now().saturating_sub(holder.started))),
        span(holder.silent_for())
    )
}

/// `1h 2m`, `3m 5s`, `12s`.
fn span(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

/// `user@host` of this process.
fn who() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{user}@{host}")
}

/// A holder for this process: a random id, `user@host`, the pid, `command`
/// and the time now.
pub fn holder(command: &str) -> LockInfo {
    let at = now();
    LockInfo {
        id: format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
        who: who(),
        pid: std::process::id(),
        command: command.to_owned(),
        started: at,
        heartbeat: at,
    }
}

/// Whether `holder` was a process of this user on this host that is no
/// longer running (known where `/proc` is; elsewhere never said).
pub fn ended_here(holder: &LockInfo) -> bool {
    let proc = std::path::Path::new("/proc");
    holder.who == who() && proc.join("self").exists() && !proc.join(holder.pid.to_string()).exists()
}

/// Whether `holder` is known to be gone: silent for too long, or a process
/// of this host that has ended.
pub fn is_dead(holder: &LockInfo) -> bool {
    is_stale(holder) || ended_here(holder)
}

/// Takes `stack`'s lock for `me`, asking again every few seconds while
/// another run holds it, for at most `timeout` (zero: fail at once); a
/// holder known to be dead ([`is_dead`]) fails it at once.
pub async fn acquire(
    provider: &dyn Provider,
    stack: &str,
    me: &LockInfo,
    timeout: Duration,
) -> Result<(), LockError> {
    let what = format!("stack {stack:?}");
    let start = Instant::now();
    loop {
        let held = provider
            .try_lock(stack, me)
            .await
            .map_err(|source| LockError::Cloud {
                what: what.clone(),
                source,
            })?;
        let Some(holder) = held else { return Ok(()) };
        let waited = start.elapsed();
        // A dead holder never releases it: waiting out the timeout (a CI
        // job's `10m`) would only delay the advice to `berth unlock`.
        if waited >= timeout || is_dead(&holder) {
            return Err(LockError::Held { what, holder, waited });
        }
        tokio::time::sleep(POLL.min(timeout - waited)).await;
    }
}

/// Refreshes `me`'s lock every [`HEARTBEAT`], for as long as it is polled;
/// returns when the lock is no longer `me`'s (released by force). Failed
/// refreshes are tried again at the next beat: a holder is declared dead
/// only after [`STALE_AFTER`], several beats later.
pub async fn keep_alive(provider: &dyn Provider, stack: &str, me: &LockInfo) {
    loop {
        tokio::time::sleep(HEARTBEAT).await;
        if let Ok(false) = provider.refresh_lock(stack, me).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_whose_process_ended_here_is_dead() {
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        let h = LockInfo {
            pid,
            ..holder("berth apply")
        };
        if std::path::Path::new("/proc/self").exists() {
            assert!(ended_here(&h) && is_dead(&h));
        }
        let elsewhere = LockInfo {
            who: "someone@elsewhere".into(),
            ..h
        };
        assert!(!is_dead(&elsewhere), "another host's process is not looked up");
    }

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(Duration::from_secs(12)), "12s");
        assert_eq!(span(Duration::from_secs(185)), "3m 5s");
        assert_eq!(span(Duration::from_secs(3720)), "1h 2m");
    }

    #[test]
    fn a_silent_holder_is_stale() {
        let mut h = holder("berth apply");
        assert!(!is_stale(&h));
        assert!(h.who.contains('@') && h.pid == std::process::id());
        assert!(!ended_here(&h), "this process runs");
        h.heartbeat -= STALE_AFTER.as_secs() + 1;
        assert!(is_stale(&h) && is_dead(&h));
        assert!(describe(&h).contains("`berth apply`"), "{}", describe(&h));
    }
}
