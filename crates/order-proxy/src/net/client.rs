//! Who a request comes from, as every per-client limit counts it.
//!
//! The client is the TCP peer, unless the peer is one of `--trusted-proxy`'s ranges: then
//! it is the right-most address of `X-Forwarded-For` that is not itself trusted (each
//! proxy appends the address it was connected from, so everything left of that entry
//! could have been written by the client). Without trusted proxies the header is ignored.
//! IPv6 clients are keyed by their /64, the smallest block a customer's line gets.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use axum::Extension;
use ipnet::IpNet;

pub const FORWARDED_FOR: &str = "x-forwarded-for";

/// `X-Forwarded-For` entries looked at, from the right: more hops than this is no real
/// chain of proxies, and the walk stays bounded whatever a header holds.
const MAX_FORWARDED_HOPS: usize = 16;

/// The address per-client limits count: an IPv4 address, or the /64 of an IPv6 one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    pub fn of(ip: IpAddr) -> ClientKey {
        ClientKey(match ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
            },
        })
    }

    /// The address itself, or the first address of its /64.
    pub fn addr(self) -> IpAddr {
        self.0
    }
}

/// `--trusted-proxy`: the ranges whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(ranges: Vec<IpNet>) -> Self {
        TrustedProxies(ranges)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = unmapped(ip);
        self.0.iter().any(|range| range.contains(&ip))
    }

    /// The client behind `peer`, from `X-Forwarded-For` when `peer` is trusted.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> ClientKey {
        if !self.contains(peer) {
            return ClientKey::of(peer);
        }
        let entries = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .rev()
            .flat_map(|value| value.to_str().unwrap_or("").rsplit(','));
        ClientKey::of(self.right_most_untrusted(peer, entries))
    }

    /// Walks `entries` (right to left) past trusted hops. An entry that is no address was
    /// written by the trusted hop right of it, which then counts as the client.
    fn right_most_untrusted<'a>(
        &self,
        peer: IpAddr,
        entries: impl Iterator<Item = &'a str>,
    ) -> IpAddr {
        let mut client = peer;
        for entry in entries.take(MAX_FORWARDED_HOPS) {
            let Some(ip) = parse_entry(entry) else {
                return client;
            };
            client = ip;
            if !self.contains(ip) {
                break;
            }
        }
        client
    }
}

/// `203.0.113.7`, `2001:db8::1`, and the `ip:port` / `[ipv6]:port` forms some balancers write.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|addr| addr.ip()))
        .ok()
}

fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Middleware: works out the request's [`Client`] once, for every handler after it.
pub async fn identify(
    State(trusted): State<Arc<TrustedProxies>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let key = trusted.client(peer.ip(), request.headers());
    request.extensions_mut().insert(Client(key));
    next.run(request).await
}

/// Extractor: the client of this request, as [`identify`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client(pub ClientKey);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = <Extension<Client> as FromRequestParts<S>>::Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Extension::<Client>::from_request_parts(parts, state)
            .await
            .map(|Extension(client)| client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn trusted(ranges: &[&str]) -> TrustedProxies {
        TrustedProxies::new(ranges.iter().map(|r| r.parse().expect("a CIDR")).collect())
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(FORWARDED_FOR, HeaderValue::from_str(value).expect("ascii"));
        }
        headers
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a = ClientKey::of(ip("2001:db8:1:2::a"));
        let b = ClientKey::of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        let other = ClientKey::of(ip("2001:db8:1:3::a"));
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a.addr(), ip("2001:db8:1:2::"));
        assert_ne!(
            ClientKey::of(ip("203.0.113.7")),
            ClientKey::of(ip("203.0.113.8"))
        );
        assert_eq!(
            ClientKey::of(ip("::ffff:203.0.113.7")),
            ClientKey::of(ip("203.0.113.7")),
            "an IPv4 client on a dual-stack socket is the same client"
        );
    }

    #[test]
    fn without_trusted_proxies_the_header_changes_nothing() {
        let headers = forwarded(&["198.51.100.1"]);
        let peer = ip("127.0.0.1");
        assert_eq!(
            TrustedProxies::default().client(peer, &headers),
            ClientKey::of(peer)
        );
        let untrusted_peer = ip("127.0.0.2");
        assert_eq!(
            trusted(&["127.0.0.1/32"]).client(untrusted_peer, &headers),
            ClientKey::of(untrusted_peer)
        );
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_entry() {
        let proxies = trusted(&["127.0.0.1/32", "10.0.0.0/8"]);
        let peer = ip("127.0.0.1");
        let client = |values: &[&str]| proxies.client(peer, &forwarded(values)).addr();
        assert_eq!(client(&["203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(client(&["198.51.100.1, 203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(client(&["203.0.113.7, 10.1.2.3"]), ip("203.0.113.7"));
        assert_eq!(client(&["203.0.113.7", "10.1.2.3"]), ip("203.0.113.7"));
        assert_eq!(client(&["203.0.113.7:4711"]), ip("203.0.113.7"));
        assert_eq!(client(&["[2001:db8::1]:443"]), ip("2001:db8::"));
        assert_eq!(client(&["2001:db8:0:0:1::9"]), ip("2001:db8::"));
        assert_eq!(
            client(&["10.9.9.9, 10.1.2.3"]),
            ip("10.9.9.9"),
            "all trusted: the farthest hop"
        );
        assert_eq!(client(&[]), peer, "no header: the proxy itself");
        assert_eq!(
            client(&["203.0.113.7, garbage, 10.1.2.3"]),
            ip("10.1.2.3"),
            "garbage: the trusted hop that wrote it"
        );
        assert_eq!(client(&["unknown"]), peer);
    }

    #[test]
    fn a_long_header_is_walked_only_so_far() {
        let proxies = trusted(&["10.0.0.0/8"]);
        let hops = vec!["10.0.0.1"; 1_000].join(", ");
        let header = format!("203.0.113.7, {hops}");
        assert_eq!(
            proxies
                .client(ip("10.0.0.2"), &forwarded(&[&header]))
                .addr(),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn trusted_ranges_match_mapped_addresses() {
        assert!(trusted(&["127.0.0.0/8"]).contains(ip("::ffff:127.0.0.5")));
        assert!(!trusted(&["127.0.0.0/8"]).contains(ip("::1")));
    }
}
