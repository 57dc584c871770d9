//! Who sent a request: the address comment rate limits, login throttling
//! and the audit log go by.
//!
//! Directly on the internet it is the connection's peer. Behind nginx or a
//! CDN every connection comes from the proxy, so the proxy's word is taken
//! for the reader's address (`X-Forwarded-For`), but only from proxies the
//! operator names (`serve --trusted-proxy`): anyone else could write that
//! header and be a new reader on every request. The list is read from the
//! right, where our own proxies appended, skipping them: the first address
//! that is not one of ours is the client.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;

/// The client's address.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(ClientIp(client(peer, &parts.headers, state.trusted_proxies())))
    }
}

/// A network of proxies we trust: an address and how many leading bits count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Network {
    type Err = String;

    /// `10.0.0.0/8`, `2001:db8::/32`, or one address (`127.0.0.1`).
    fn from_str(text: &str) -> Result<Network, String> {
        let text = text.trim();
        let (address, prefix) = text.split_once('/').unwrap_or((text, ""));
        let address: IpAddr =
            address.parse().map_err(|_| format!("`{text}` is not an IP address or network such as 10.0.0.0/8"))?;
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() {
            most
        } else {
            prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(|| format!("`{text}`: the part after `/` must be a number of bits from 0 to {most}"))?
        };
        Ok(Network { address, prefix })
    }
}

impl Network {
    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        // Both as 128 bits, an IPv4 address in the top 32, so one mask fits.
        let (a, b) = match (self.address, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)) << 96, u128::from(u32::from(b)) << 96),
            (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b)),
            // An IPv4 peer may arrive mapped into IPv6 (::ffff:a.b.c.d).
            (IpAddr::V4(_), IpAddr::V6(b)) => return b.to_ipv4_mapped().is_some_and(|b| self.contains(IpAddr::V4(b))),
            _ => return false,
        };
        let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
        a & mask == b & mask
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// Whether the reader's browser spoke HTTPS: the site's address says so,
/// or one of our trusted proxies, which ended TLS, says so in
/// `X-Forwarded-Proto` (nobody else's word is taken).
pub fn over_https(
    base_url: &str,
    peer: Option<IpAddr>,
    forwarded_proto: Option<&axum::http::HeaderValue>,
    trusted: &[Network],
) -> bool {
    if base_url.starts_with("https://") {
        return true;
    }
    if !peer.is_some_and(|p| trusted.iter().any(|n| n.contains(p))) {
        return false;
    }
    forwarded_proto
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_taken_from_the_address_or_a_trusted_proxy_only() {
        let trusted = ["10.0.0.0/8".parse::<Network>().unwrap()];
        let https = axum::http::HeaderValue::from_static("https");
        let proto = Some(&https);
        assert!(over_https("https://haber.example", None, None, &trusted));
        assert!(over_https("http://haber.example", Some(ip("10.1.2.3")), proto, &trusted));
        assert!(!over_https("http://haber.example", Some(ip("203.0.113.9")), proto, &trusted), "a stranger's word");
        assert!(!over_https("http://haber.example", Some(ip("10.1.2.3")), None, &trusted));
    }

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        assert_eq!(client(ip("198.51.100.7"), &headers("203.0.113.9"), &[]), ip("198.51.100.7"));
    }

    #[test]
    fn behind_our_proxies_the_first_address_from_the_right_that_is_not_ours_is_the_client() {
        let ours: Vec<Network> = ["10.0.0.0/8", "127.0.0.1"].iter().map(|n| n.parse().unwrap()).collect();
        // A reader lying in the header gets the address our proxy saw.
        let lied = headers("1.2.3.4, 203.0.113.9, 10.1.2.3");
        assert_eq!(client(ip("127.0.0.1"), &lied, &ours), ip("203.0.113.9"));
        assert_eq!(client(ip("10.9.9.9"), &headers("2001:db8::5"), &ours), ip("2001:db8::5"));
        // A connection from elsewhere is its own client, header or not.
        assert_eq!(client(ip("198.51.100.7"), &lied, &ours), ip("198.51.100.7"));
        // Nothing usable in the header: the proxy itself.
        assert_eq!(client(ip("127.0.0.1"), &headers("unknown"), &ours), ip("127.0.0.1"));
        assert_eq!(client(ip("127.0.0.1"), &HeaderMap::new(), &ours), ip("127.0.0.1"));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(client(mapped, &headers("203.0.113.9"), &ours), ip("203.0.113.9"));
    }

    #[test]
    fn networks_are_read_with_clear_errors() {
        assert!("10.0.0.0/8".parse::<Network>().unwrap().contains(ip("10.200.1.1")));
        assert!(!"10.0.0.0/8".parse::<Network>().unwrap().contains(ip("11.0.0.1")));
        assert!("0.0.0.0/0".parse::<Network>().unwrap().contains(ip("8.8.8.8")));
        assert!("2001:db8::/32".parse::<Network>().unwrap().contains(ip("2001:db8:1::1")));
        assert!("10.0.0.0/33".parse::<Network>().unwrap_err().contains("0 to 32"));
        assert!("nginx".parse::<Network>().unwrap_err().contains("not an IP address"));
    }
}
