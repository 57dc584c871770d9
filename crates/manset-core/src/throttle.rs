//! How long a guesser waits: the delays between failed attempts at a secret
//! (a password, a two-factor code), growing with each failure in a row, and
//! never a lock-out that someone else can cause.
//!
//! Failures are counted per key. The login counts two: the account's address
//! tried from one client address ([`PER_ACCOUNT_AND_ADDRESS`]), so a stranger
//! failing elsewhere never delays the member, and the client address across
//! every account ([`PER_ADDRESS`]), so one address cannot spray a common
//! password over the whole newsroom. The store counts; this module only says
//! what a count means.
//!
//! Invariant: no I/O and no clock; a wait is a pure function of the count.

/// The rule for one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures in a row that cost no wait.
    pub free: u32,
    /// Seconds to wait after the first failure beyond the free ones; each
    /// further failure doubles it.
    pub first_wait: i64,
    /// The longest wait, however many failures.
    pub max_wait: i64,
    /// Failures are forgotten after this many seconds without one.
    pub forget_after: i64,
}

/// One account's address tried from one client address: five free
/// attempts, then 2 s, 4 s, 8 s … up to 15 minutes between attempts.
pub const PER_ACCOUNT_AND_ADDRESS: Policy = Policy { free: 5, first_wait: 2, max_wait: 15 * 60, forget_after: 3600 };

/// One client address across every account: twenty free failures, then
/// 2 s doubling up to 5 minutes. Shorter than the per-account cap because
/// behind a proxy that was not named with `--trusted-proxy` the whole
/// newsroom shares one address.
pub const PER_ADDRESS: Policy = Policy { free: 20, first_wait: 2, max_wait: 5 * 60, forget_after: 3600 };

impl Policy {
    /// Seconds to wait before the next attempt after `failures` failures in
    /// a row.
    pub fn wait_after(&self, failures: u32) -> i64 {
        if failures < self.free {
            return 0;
        }
        // 2^40 seconds is far past any cap; the shift cannot overflow.
        let doublings = (failures - self.free).min(40);
        self.first_wait.saturating_mul(1 << doublings).min(self.max_wait)
    }

    /// The failures still remembered at `now` of `failures` counted up to
    /// `last_failure` (both in seconds).
    pub fn remembered(&self, failures: u32, last_failure: i64, now: i64) -> u32 {
        if now - last_failure >= self.forget_after { 0 } else { failures }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_failures_are_free_then_waits_double_up_to_the_cap() {
        let p = PER_ACCOUNT_AND_ADDRESS;
        let waits: Vec<i64> = (0..=16).map(|n| p.wait_after(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
        assert_eq!(p.wait_after(u32::MAX), 900);
        assert_eq!(PER_ADDRESS.wait_after(19), 0);
        assert_eq!(PER_ADDRESS.wait_after(20), 2);
        assert_eq!(PER_ADDRESS.wait_after(30), 300);
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_hour() {
        let p = PER_ACCOUNT_AND_ADDRESS;
        assert_eq!(p.remembered(9, 1000, 1000 + 3599), 9);
        assert_eq!(p.remembered(9, 1000, 1000 + 3600), 0);
    }
}
