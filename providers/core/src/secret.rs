//! Secrets Manager's rules that both validate and the local cloud apply to
//! a `secret`.

/// The most bytes a secret's value holds.
pub const VALUE_MAX: usize = 65_536;

/// The shortest recovery window DeleteSecret takes, in days.
pub const MIN_WINDOW: i64 = 7;

/// Whether DeleteSecret takes a recovery window of `days`: 7 to 30, or
/// berth's 0 (ForceDeleteWithoutRecovery).
pub fn valid_window(days: i64) -> bool {
    days == 0 || (MIN_WINDOW..=30).contains(&days)
}
