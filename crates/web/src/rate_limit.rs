//! Per-client limits on public form submissions, kept in memory.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// How many submissions one client may make: a burst, refilled at a steady rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: NonZeroU32,
    pub per_hour: NonZeroU32,
}

impl Default for RateLimit {
    /// Ten forms at once, then one every six minutes: far above what a person sends.
    fn default() -> Self {
        Self {
            burst: NonZeroU32::MIN.saturating_add(9),
            per_hour: NonZeroU32::MIN.saturating_add(9),
        }
    }
}

/// The limiter shared by every request.
#[derive(Clone)]
pub struct Limiter {
    inner: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("clients", &self.inner.len())
            .finish()
    }
}

/// Above this many tracked clients, forget those whose allowance is full again.
const PRUNE_ABOVE: usize = 10_000;

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        let period = Duration::from_secs(3600) / limit.per_hour.get();
        // `period` is at least 3600 s / u32::MAX > 0, so `with_period` always succeeds;
        // the fallback keeps one per second should that ever change.
        let quota = Quota::with_period(period)
            .unwrap_or(Quota::per_second(NonZeroU32::MIN))
            .allow_burst(limit.burst);
        Self {
            inner: Arc::new(DefaultKeyedRateLimiter::keyed(quota)),
        }
    }

    /// Counts one submission from `client`; `Err` holds how long until the next is allowed.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        if self.inner.len() > PRUNE_ABOVE {
            self.inner.retain_recent();
        }
        self.inner
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_per_client() {
        let limiter = Limiter::new(RateLimit {
            burst: NonZeroU32::new(2).unwrap(),
            per_hour: NonZeroU32::new(1).unwrap(),
        });
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        let wait = limiter.check(a).unwrap_err();
        assert!(wait > Duration::from_secs(3000), "{wait:?}");
        assert!(limiter.check(b).is_ok());
    }
}
