//! Slowing down password guessing without locking people out.
//!
//! An account's failed sign-ins are counted. The first few are free (people mistype); after
//! that each failure makes the account wait before the next attempt, doubling up to a ceiling.
//! While it waits, attempts are refused without checking the password (so guessing gains
//! nothing), and they do not extend the wait (so an attacker cannot keep the owner out for
//! longer than the ceiling). A success, or a quiet day, forgets the failures.

use jiff::{SignedDuration, Timestamp};

/// Failures allowed before any waiting.
pub const FREE_FAILURES: u32 = 3;
/// The first wait, doubled with each further failure.
pub const FIRST_WAIT: SignedDuration = SignedDuration::from_secs(2);
/// The longest wait.
pub const LONGEST_WAIT: SignedDuration = SignedDuration::from_mins(15);
/// After this long without a failure, earlier failures no longer count.
pub const FORGET_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// One account's sign-in history, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    pub failures: u32,
    pub last_failure: Option<Timestamp>,
}

/// The decision for an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Open,
    /// Refuse without checking; try again after this long.
    Wait(SignedDuration),
}

impl Throttle {
    /// How long the account must wait after its last failure.
    pub fn wait(&self) -> SignedDuration {
        let extra = self.failures.saturating_sub(FREE_FAILURES);
        if extra == 0 {
            return SignedDuration::ZERO;
        }
        let doublings = (extra - 1).min(16);
        let wait = FIRST_WAIT
            .checked_mul(1 << doublings)
            .unwrap_or(LONGEST_WAIT);
        wait.min(LONGEST_WAIT)
    }

    /// Whether an attempt at `now` may check the password.
    pub fn gate(&self, now: Timestamp) -> Gate {
        let Some(last) = self.last_failure else {
            return Gate::Open;
        };
        let since = now.duration_since(last);
        let wait = self.wait();
        if since >= wait {
            Gate::Open
        } else {
            Gate::Wait(wait - since)
        }
    }

    /// The history after a wrong password checked at `now`.
    pub fn failed(self, now: Timestamp) -> Throttle {
        let forgotten = self
            .last_failure
            .is_some_and(|last| now.duration_since(last) >= FORGET_AFTER);
        let failures = if forgotten {
            1
        } else {
            self.failures.saturating_add(1)
        };
        Throttle {
            failures,
            last_failure: Some(now),
        }
    }

    /// The history after a successful sign-in.
    pub fn succeeded(self) -> Throttle {
        Throttle::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn the_first_mistakes_cost_nothing() {
        let mut th = Throttle::default();
        for i in 0..FREE_FAILURES {
            assert_eq!(th.gate(t(i64::from(i))), Gate::Open);
            th = th.failed(t(i64::from(i)));
        }
        assert_eq!(th.wait(), SignedDuration::ZERO);
        assert_eq!(th.gate(t(3)), Gate::Open);
    }

    #[test]
    fn further_failures_double_the_wait_up_to_the_ceiling() {
        let waits: Vec<i64> = (FREE_FAILURES + 1..FREE_FAILURES + 12)
            .map(|failures| {
                Throttle {
                    failures,
                    last_failure: Some(t(0)),
                }
                .wait()
                .as_secs()
            })
            .collect();
        assert_eq!(waits, vec![2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    }

    #[test]
    fn while_waiting_attempts_are_refused_and_do_not_extend_the_wait() {
        let th = Throttle {
            failures: 5,
            last_failure: Some(t(0)),
        };
        assert_eq!(th.gate(t(1)), Gate::Wait(SignedDuration::from_secs(3)));
        // A refused attempt is not a failure: the caller does not call `failed` for it.
        assert_eq!(th.gate(t(4)), Gate::Open);
    }

    #[test]
    fn success_and_a_quiet_day_forget_failures() {
        let th = Throttle {
            failures: 9,
            last_failure: Some(t(0)),
        };
        assert_eq!(th.succeeded(), Throttle::default());
        let next_day = t(FORGET_AFTER.as_secs());
        assert_eq!(th.failed(next_day).failures, 1);
    }

    proptest! {
        #[test]
        fn the_wait_never_shrinks_as_failures_grow_and_never_passes_the_ceiling(n in 0u32..10_000) {
            let a = Throttle { failures: n, last_failure: None }.wait();
            let b = Throttle { failures: n.saturating_add(1), last_failure: None }.wait();
            prop_assert!(a <= b);
            prop_assert!(b <= LONGEST_WAIT);
        }

        #[test]
        fn an_attacker_never_keeps_the_owner_out_longer_than_the_ceiling(attempts in proptest::collection::vec(0i64..60, 1..200)) {
            // Attempts at increasing times; only attempts the gate lets through can fail.
            let mut th = Throttle::default();
            let mut now = 0;
            for gap in attempts {
                now += gap;
                if th.gate(t(now)) == Gate::Open {
                    th = th.failed(t(now));
                }
            }
            prop_assert_eq!(th.gate(t(now) + LONGEST_WAIT), Gate::Open);
        }
    }
}
