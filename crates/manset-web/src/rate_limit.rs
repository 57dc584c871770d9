//! A per-address limit on how often something may be done: a sliding
//! window of one minute, in memory (each app server counts its own).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Above this many tracked addresses, idle ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// Counts attempts per address.
#[derive(Debug, Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// Records an attempt from `ip` at `now` and says whether it is within
    /// `per_minute` (0 = no limit). Refused attempts count too, so a flood
    /// stays refused.
    pub fn allow(&self, ip: IpAddr, per_minute: u32, now: Instant) -> bool {
        if per_minute == 0 {
            return true;
        }
        // A poisoned lock only means another request panicked mid-update;
        // the counts are still usable.
        let mut hits = self.hits.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if hits.len() > PRUNE_ABOVE {
            hits.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let times = hits.entry(ip).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            times.pop_front();
        }
        times.push_back(now);
        times.len() <= per_minute as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_applies_per_address_and_per_minute() {
        let limiter = RateLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!((0..5).all(|_| limiter.allow(a, 5, t0)));
        assert!(!limiter.allow(a, 5, t0));
        assert!(limiter.allow(b, 5, t0));
        assert!(limiter.allow(a, 5, t0 + Duration::from_secs(61)));
        assert!((0..100).all(|_| limiter.allow(a, 0, t0)), "0 means no limit");
    }
}
