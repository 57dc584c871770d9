//! How much the server takes on at once, and how long it waits.
//!
//! Readers (GET, HEAD) and writers (everything that carries a body) have
//! request slots of their own, so a crowd of slow writers — a thousand POSTs
//! that trickle their bodies a byte at a time — can fill only the writers'
//! slots: pages go on being made for readers. A request beyond its kind's
//! slots is answered 503 at once, with `Retry-After`, rather than queued.
//! A body must arrive within `body_grace` plus its length at
//! `body_min_rate`; one that falls behind is cut off with 408 and its slot
//! freed. Connections per client address are counted by [`Connections`]
//! where they are accepted.
//!
//! Invariant: no request holds a slot longer than its body's deadline plus
//! the handler's own time; nothing a client sends decides how long that is
//! beyond the rate it actually keeps.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};

use crate::AppState;
use crate::error::WebError;

/// How much the server takes on at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Reading requests (GET, HEAD, OPTIONS) handled at the same time.
    pub concurrent_requests: usize,
    /// Requests with a body (forms, uploads) handled at the same time, apart
    /// from the readers'.
    pub concurrent_writes: usize,
    /// Time every body gets, whatever its size.
    pub body_grace: Duration,
    /// Bytes a second a body must keep up after the grace.
    pub body_min_rate: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            concurrent_requests: 1024,
            concurrent_writes: 256,
            body_grace: Duration::from_secs(10),
            // 32 kbit/s: slower than any phone network still in use.
            body_min_rate: 4 * 1024,
        }
    }
}

/// The request slots of one server.
#[derive(Clone)]
pub(crate) struct Slots {
    reads: Arc<Semaphore>,
    writes: Arc<Semaphore>,
    limits: Limits,
}

impl Slots {
    pub(crate) fn new(limits: Limits) -> Slots {
        Slots {
            reads: Arc::new(Semaphore::new(limits.concurrent_requests.max(1))),
            writes: Arc::new(Semaphore::new(limits.concurrent_writes.max(1))),
            limits,
        }
    }
}

/// Takes a slot of the request's kind (or answers 503), and puts its body on
/// a clock (or answers 408 when it falls behind).
pub(crate) async fn admit(State((state, slots)): State<(AppState, Slots)>, request: Request, next: Next) -> Response {
    let reading = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let pool = if reading { &slots.reads } else { &slots.writes };
    let Ok(_permit) = Arc::clone(pool).try_acquire_owned() else {
        return overloaded();
    };
    if reading {
        return next.run(request).await;
    }
    let expired = Arc::new(AtomicBool::new(false));
    let (parts, body) = request.into_parts();
    let snapshot = crate::Snapshot::of(&parts.extensions, &state);
    let timed = TimedBody::new(body, slots.limits, Arc::clone(&expired));
    let response = next.run(Request::from_parts(parts, Body::new(timed))).await;
    if !expired.load(Ordering::Relaxed) {
        return response;
    }
    tracing::info!("a request body arrived too slowly: cut off");
    let mut response = crate::error::themed(&snapshot, WebError::TooSlow.into_response()).await;
    // What is left of the body is not worth reading.
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer when every slot of a kind is taken: short, cheap, and saying
/// when to come back.
pub(crate) fn overloaded() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        "Site şu anda çok yoğun; lütfen birkaç saniye sonra yeniden deneyin.\n\
         The site is very busy; please try again in a few seconds.\n",
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A request body that must keep to a deadline: `grace` from the start,
/// plus the time its bytes so far would take at `min_rate`.
struct TimedBody {
    inner: Body,
    started: Instant,
    received: u64,
    grace: Duration,
    min_rate: u64,
    deadline: Pin<Box<Sleep>>,
    expired: Arc<AtomicBool>,
}

impl TimedBody {
    fn new(inner: Body, limits: Limits, expired: Arc<AtomicBool>) -> TimedBody {
        let started = Instant::now();
        TimedBody {
            inner,
            started,
            received: 0,
            grace: limits.body_grace,
            min_rate: limits.body_min_rate.max(1),
            deadline: Box::pin(tokio::time::sleep_until(started + limits.body_grace)),
            expired,
        }
    }

    fn due(&self) -> Instant {
        let earned = Duration::from_secs_f64(self.received as f64 / self.min_rate as f64);
        self.started + self.grace + earned.min(Duration::from_secs(24 * 3600))
    }
}

impl http_body::Body for TimedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            if let Some(Ok(data)) = frame.as_ref().map(|f| f.as_ref().map(http_body::Frame::data_ref)) {
                this.received += data.map_or(0, |d| d.len() as u64);
                let due = this.due();
                this.deadline.as_mut().reset(due);
            }
            return Poll::Ready(frame);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.expired.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new(TooSlow))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the request body arrived more slowly than the server accepts")]
struct TooSlow;

/// Open connections per client address, counted where they are accepted.
/// Addresses of trusted proxies are not limited: every reader behind them
/// shares their address.
#[derive(Clone)]
pub struct Connections {
    per_address: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    exempt: Arc<dyn Fn(IpAddr) -> bool + Send + Sync>,
}

/// One accepted connection; the count goes down when it is dropped.
pub struct Connection {
    address: IpAddr,
    open: Option<Arc<Mutex<HashMap<IpAddr, usize>>>>,
}

impl Connections {
    /// At most `per_address` connections from one address, except those
    /// for which `exempt` says yes (the site's trusted proxies).
    pub fn new(per_address: usize, exempt: impl Fn(IpAddr) -> bool + Send + Sync + 'static) -> Connections {
        Connections { per_address: per_address.max(1), open: Arc::default(), exempt: Arc::new(exempt) }
    }

    /// The connection from `address`, or `None` when that address already
    /// has its share open.
    pub fn admit(&self, address: IpAddr) -> Option<Connection> {
        if (self.exempt)(address) {
            return Some(Connection { address, open: None });
        }
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(address).or_insert(0);
        if *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(Connection { address, open: Some(Arc::clone(&self.open)) })
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let Some(open) = &self.open else { return };
        let mut open = open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_earns_time_by_the_bytes_it_brings() {
        let limits = Limits { body_grace: Duration::from_secs(10), body_min_rate: 1000, ..Limits::default() };
        let mut body = TimedBody::new(Body::empty(), limits, Arc::default());
        assert_eq!(body.due() - body.started, Duration::from_secs(10));
        body.received = 5000;
        assert_eq!(body.due() - body.started, Duration::from_secs(15));
        body.received = u64::MAX;
        assert!(body.due() - body.started <= Duration::from_secs(24 * 3600 + 10), "never unbounded");
    }

    #[test]
    fn one_address_gets_its_share_of_connections_and_proxies_are_not_counted() {
        let proxy: IpAddr = [10, 0, 0, 1].into();
        let connections = Connections::new(2, move |ip| ip == proxy);
        let (a, b): (IpAddr, IpAddr) = ([192, 0, 2, 1].into(), [192, 0, 2, 2].into());
        let first = connections.admit(a).expect("one");
        let second = connections.admit(a).expect("two");
        assert!(connections.admit(a).is_none(), "a third from the same address waits");
        assert!(connections.admit(b).is_some(), "another address is not affected");
        let behind_proxy: Vec<_> =
            (0..10).map(|_| connections.admit(proxy).expect("the proxy is not limited")).collect();
        drop(first);
        assert!(connections.admit(a).is_some(), "a closed connection frees its place");
        drop((second, behind_proxy));
        assert!(connections.open.lock().unwrap().get(&proxy).is_none());
    }
}
