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

/// How often clients whose allowance is full again are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        let period = Duration::from_secs(3600) / limit.per_hour.get();
        // `period` is at least 3600 s / u32::MAX > 0, so `with_period` always succeeds;
        // the fallback keeps one per second should that ever change.
        let quota = Quota::with_period(period)
            .unwrap_or(Quota::per_second(NonZeroU32::MIN))
            .allow_burst(limit.burst);
        let inner = Arc::new(DefaultKeyedRateLimiter::keyed(quota));
        // Pruning runs beside requests, not inside them; it stops when the limiter is dropped.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let weak = Arc::downgrade(&inner);
            runtime.spawn(async move {
                let mut tick = tokio::time::interval(PRUNE_EVERY);
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let Some(limiter) = weak.upgrade() else { break };
                    limiter.retain_recent();
                    limiter.shrink_to_fit();
                }
            });
        }
        Self { inner }
    }

    /// Counts one submission from `client`; `Err` holds how long until the next is allowed.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        self.inner
            .check_key(&client_key(client))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The unit a limit applies to: one IPv4 address, or one IPv6 /64 (what a single household or
/// host is given: per-address limits would let one client rotate through 2^64 of them).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
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

    #[test]
    fn an_ipv6_network_shares_one_allowance_and_mapped_addresses_count_as_ipv4() {
        let limiter = Limiter::new(RateLimit {
            burst: NonZeroU32::new(1).unwrap(),
            per_hour: NonZeroU32::new(1).unwrap(),
        });
        assert!(limiter.check("2001:db8:1:2::1".parse().unwrap()).is_ok());
        assert!(
            limiter
                .check("2001:db8:1:2:ffff::9".parse().unwrap())
                .is_err()
        );
        assert!(limiter.check("2001:db8:1:3::1".parse().unwrap()).is_ok());
        assert!(limiter.check("192.0.2.9".parse().unwrap()).is_ok());
        assert!(limiter.check("::ffff:192.0.2.9".parse().unwrap()).is_err());
    }
}
