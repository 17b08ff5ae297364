//! A stack's lock: what `apply`, `destroy` and `plan --out` hold while they
//! work, so that two runs never change one stack at once. It lives in the
//! cloud (see each provider), with no set-up by the user, and records who
//! holds it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Who holds a stack's lock, as the lock records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// Random, made by the holder: a lock is released or refreshed only by
    /// the one whose id it holds.
    pub id: String,
    /// `user@host`.
    pub who: String,
    pub pid: u32,
    /// The command holding it (`berth apply`).
    pub command: String,
    /// When it was taken, in seconds since the Unix epoch.
    pub started: u64,
    /// The holder's last sign of life, in seconds since the Unix epoch.
    pub heartbeat: u64,
}

/// Seconds since the Unix epoch, now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl LockInfo {
    /// How long ago the holder last showed it is alive (zero if its clock is
    /// ahead of ours).
    pub fn silent_for(&self) -> Duration {
        Duration::from_secs(now().saturating_sub(self.heartbeat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_is_measured_from_the_last_heartbeat() {
        let info = LockInfo {
            id: "x".into(),
            who: "a@b".into(),
            pid: 1,
            command: "berth apply".into(),
            started: 0,
            heartbeat: now() - 90,
        };
        assert!(info.silent_for() >= Duration::from_secs(90));
        let ahead = LockInfo {
            heartbeat: now() + 1000,
            ..info
        };
        assert_eq!(ahead.silent_for(), Duration::ZERO);
    }
}
