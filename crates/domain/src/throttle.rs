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

/// What became of one sign-in attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Refused without checking the password; try again after this long.
    Refused(SignedDuration),
    /// The password was checked and is wrong.
    Wrong,
    /// The password was checked and is right.
    Right,
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

    /// Whether an attempt at `now` may check the password. A clock that went backwards counts
    /// as no time having passed, never as more waiting than the ceiling.
    pub fn gate(&self, now: Timestamp) -> Gate {
        let Some(last) = self.last_failure else {
            return Gate::Open;
        };
        let since = now.duration_since(last).max(SignedDuration::ZERO);
        let wait = self.wait();
        if since >= wait {
            Gate::Open
        } else {
            Gate::Wait(wait - since)
        }
    }

    /// One attempt at `now`: `password_is_right` runs only if the gate is open, and the new
    /// history comes back with the outcome. Store it with a conditional update (only if the
    /// history is still the one read) so parallel guesses cannot all pass one open gate.
    pub fn attempt(
        self,
        now: Timestamp,
        password_is_right: impl FnOnce() -> bool,
    ) -> (Attempt, Throttle) {
        if let Gate::Wait(wait) = self.gate(now) {
            return (Attempt::Refused(wait), self);
        }
        if password_is_right() {
            return (Attempt::Right, Throttle::default());
        }
        let forgotten = self
            .last_failure
            .is_some_and(|last| now.duration_since(last) >= FORGET_AFTER);
        let failures = if forgotten {
            1
        } else {
            self.failures.saturating_add(1)
        };
        (
            Attempt::Wrong,
            Throttle {
                failures,
                last_failure: Some(now),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn wrong(th: Throttle, at: i64) -> (Attempt, Throttle) {
        th.attempt(t(at), || false)
    }

    #[test]
    fn the_first_mistakes_cost_nothing() {
        let mut th = Throttle::default();
        for i in 0..i64::from(FREE_FAILURES) {
            let (outcome, next) = wrong(th, i);
            assert_eq!(outcome, Attempt::Wrong);
            th = next;
        }
        assert_eq!(th.wait(), SignedDuration::ZERO);
        assert_eq!(
            th.attempt(t(3), || true),
            (Attempt::Right, Throttle::default())
        );
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
    fn while_waiting_the_password_is_not_even_checked_and_the_wait_does_not_grow() {
        let th = Throttle {
            failures: 5,
            last_failure: Some(t(0)),
        };
        let (outcome, after) = th.attempt(t(1), || panic!("the password must not be checked"));
        assert_eq!(outcome, Attempt::Refused(SignedDuration::from_secs(3)));
        assert_eq!(after, th);
        // Even the right password waits.
        assert_eq!(
            th.attempt(t(2), || true).0,
            Attempt::Refused(SignedDuration::from_secs(2))
        );
        assert_eq!(th.attempt(t(4), || true).0, Attempt::Right);
    }

    #[test]
    fn a_clock_that_goes_back_does_not_lock_anyone_out_longer() {
        let th = Throttle {
            failures: 1,
            last_failure: Some(t(100)),
        };
        assert_eq!(th.gate(t(0)), Gate::Open, "one free failure never waits");
        let th = Throttle {
            failures: 40,
            last_failure: Some(t(100)),
        };
        assert_eq!(th.gate(t(0)), Gate::Wait(LONGEST_WAIT));
    }

    #[test]
    fn a_quiet_day_forgets_failures() {
        let th = Throttle {
            failures: 9,
            last_failure: Some(t(0)),
        };
        let (_, after) = wrong(th, FORGET_AFTER.as_secs());
        assert_eq!(after.failures, 1);
    }

    proptest! {
        #[test]
        fn the_wait_never_shrinks_as_failures_grow_and_never_passes_the_ceiling(n in 0u32..10_000) {
            let a = Throttle { failures: n, last_failure: None }.wait();
            let b = Throttle { failures: n.saturating_add(1), last_failure: None }.wait();
            prop_assert!(a <= b);
            prop_assert!(b <= LONGEST_WAIT);
        }

        /// Any sequence of wrong guesses, at any times (including during waits): the owner is
        /// never kept out for longer than the ceiling after the last guess, and guesses made
        /// while waiting change nothing.
        #[test]
        fn guessing_never_keeps_the_owner_out_past_the_ceiling(gaps in proptest::collection::vec(0i64..120, 1..300)) {
            let mut th = Throttle::default();
            let mut now = 0;
            for gap in gaps {
                now += gap;
                let before = th;
                let (outcome, after) = wrong(th, now);
                if let Attempt::Refused(wait) = outcome {
                    prop_assert_eq!(after, before);
                    prop_assert!(wait <= LONGEST_WAIT);
                }
                th = after;
            }
            prop_assert_eq!(th.attempt(t(now + LONGEST_WAIT.as_secs()), || true).0, Attempt::Right);
        }
    }
}
