//! Places for open connections: `--max-connections` in all, and at most
//! `--max-connections-per-ip` for one client address (an IPv6 /64), counted by TCP peer
//! before any request is read. Trusted proxies carry many clients and only count in all.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::net::client::{ClientKey, TrustedProxies};

pub struct ConnectionSlots {
    max_total: usize,
    max_per_address: usize,
    trusted: Arc<TrustedProxies>,
    state: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    total: usize,
    per_address: HashMap<ClientKey, usize>,
}

/// Why a connection gets no place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Total,
    Address,
}

impl Full {
    pub fn as_str(self) -> &'static str {
        match self {
            Full::Total => "total",
            Full::Address => "per_address",
        }
    }
}

/// One open connection's place; given back when dropped.
pub struct Slot {
    slots: Arc<ConnectionSlots>,
    address: Option<ClientKey>,
}

impl ConnectionSlots {
    pub fn new(max_total: usize, max_per_address: usize, trusted: Arc<TrustedProxies>) -> Self {
        ConnectionSlots {
            max_total,
            max_per_address,
            trusted,
            state: Mutex::new(Held::default()),
        }
    }

    pub fn try_take(self: &Arc<Self>, peer: IpAddr) -> Result<Slot, Full> {
        let mut held = self.lock();
        if held.total >= self.max_total {
            return Err(Full::Total);
        }
        let address = (!self.trusted.contains(peer)).then(|| ClientKey::of(peer));
        if let Some(address) = address {
            let count = held.per_address.entry(address).or_default();
            if *count >= self.max_per_address {
                return Err(Full::Address);
            }
            *count += 1;
        }
        held.total += 1;
        Ok(Slot {
            slots: self.clone(),
            address,
        })
    }

    pub fn open(&self) -> usize {
        self.lock().total
    }

    fn lock(&self) -> MutexGuard<'_, Held> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.lock();
        held.total -= 1;
        if let Some(address) = self.address {
            if let Some(count) = held.per_address.get_mut(&address) {
                *count -= 1;
                if *count == 0 {
                    held.per_address.remove(&address);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn one_address_cannot_take_every_place() {
        let slots = Arc::new(ConnectionSlots::new(4, 2, Arc::default()));
        let first = slots.try_take(ip("192.0.2.1")).expect("first");
        let _second = slots.try_take(ip("192.0.2.1")).expect("second");
        assert_eq!(slots.try_take(ip("192.0.2.1")).err(), Some(Full::Address));
        let _third = slots.try_take(ip("192.0.2.2")).expect("another address");
        let _fourth = slots.try_take(ip("192.0.2.3")).expect("another address");
        assert_eq!(slots.try_take(ip("192.0.2.4")).err(), Some(Full::Total));
        assert_eq!(slots.open(), 4);
        drop(first);
        assert_eq!(slots.open(), 3);
        assert!(slots.try_take(ip("192.0.2.1")).is_ok());
    }

    #[test]
    fn an_ipv6_64_is_one_address_and_trusted_proxies_are_exempt() {
        let trusted = Arc::new(TrustedProxies::new(vec!["10.0.0.0/8"
            .parse()
            .expect("CIDR")]));
        let slots = Arc::new(ConnectionSlots::new(100, 1, trusted));
        let _a = slots.try_take(ip("2001:db8:1:2::a")).expect("first");
        assert_eq!(
            slots.try_take(ip("2001:db8:1:2::b")).err(),
            Some(Full::Address)
        );
        assert!(slots.try_take(ip("2001:db8:1:3::a")).is_ok());
        let proxy: Vec<Slot> = (0..5)
            .map(|_| slots.try_take(ip("10.0.0.1")).expect("a trusted proxy"))
            .collect();
        assert_eq!(slots.open(), 6);
        drop(proxy);
        assert_eq!(slots.open(), 1);
    }
}
