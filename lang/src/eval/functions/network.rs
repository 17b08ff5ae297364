//! Address arithmetic, as Terraform's, of IPv4 and IPv6 prefixes:
//! `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`. Prefixes are
//! read as Terraform reads them: host bits may be set (`10.0.0.5/24` is
//! `10.0.0.0/24`), and IPv4 octets may have leading zeros, read as decimal
//! (`010.0.0.0/8` is `10.0.0.0/8`).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use berth_provider::Value;

use super::{strings, whole};

/// A prefix: its network address (host bits cleared) as a number, its
/// length, and the width of its family's addresses (32 or 128).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Prefix {
    addr: u128,
    len: u32,
    bits: u32,
}

impl Prefix {
    /// `10.0.0.0/16`, `fd00::/56`; the error names the text.
    fn parse(text: &str) -> Result<Prefix, String> {
        let invalid = || format!("`{text}` is not a CIDR block");
        let (addr, len) = text.split_once('/').ok_or_else(invalid)?;
        let (addr, bits) = match ipv4(addr) {
            Some(a) => (u128::from(u32::from(a)), 32),
            None => {
                let a: Ipv6Addr = addr.parse().map_err(|_| invalid())?;
                (u128::from(a), 128)
            }
        };
        // Go reads the length's digits as a decimal, leading zeros and all.
        if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let len = len.trim_start_matches('0');
        let len: u32 = if len.is_empty() {
            0
        } else {
            len.parse().map_err(|_| invalid())?
        };
        if len > bits {
            return Err(invalid());
        }
        Ok(Prefix {
            addr: addr & !host_mask(len, bits),
            len,
            bits,
        })
    }

    /// The host bits of this prefix, all ones.
    fn hosts(self) -> u128 {
        host_mask(self.len, self.bits)
    }

    /// Whether `addr` is inside the prefix.
    fn contains(self, addr: u128) -> bool {
        // The mask's bits above the family's width are ones: an address
        // past the family's last one is outside.
        addr & !self.hosts() == self.addr
    }

    /// An address of the prefix's family, as Go writes it (which Terraform
    /// does): an IPv6 address that maps an IPv4 one is written as the IPv4
    /// address.
    fn address(self, addr: u128) -> String {
        if self.bits == 32 {
            return Ipv4Addr::from(addr as u32).to_string();
        }
        match ipv4_mapped(addr) {
            Some(v4) => v4.to_string(),
            None => Ipv6Addr::from(addr).to_string(),
        }
    }
}

/// Written as Go writes a network (`10.0.2.0/24`); an IPv6 network that
/// maps IPv4 addresses is written as the IPv4 one (`::ffff:10.0.0.0/104` is
/// `10.0.0.0/8`).
impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match ipv4_mapped(self.addr) {
            Some(v4) if self.bits == 128 && self.len >= 96 => write!(f, "{v4}/{}", self.len - 96),
            _ => write!(f, "{}/{}", self.address(self.addr), self.len),
        }
    }
}

/// The host bits of a prefix of `len` bits of a `bits`-wide family, all
/// ones.
fn host_mask(len: u32, bits: u32) -> u128 {
    match bits - len.min(bits) {
        128 => u128::MAX,
        host => (1u128 << host) - 1,
    }
}

/// The IPv4 address an IPv6 one maps (`::ffff:a.b.c.d`), if it does.
fn ipv4_mapped(addr: u128) -> Option<Ipv4Addr> {
    (addr >> 32 == 0xffff).then(|| Ipv4Addr::from(addr as u32))
}

/// An IPv4 address as Terraform reads one: four decimal octets, leading
/// zeros allowed.
fn ipv4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for o in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = part.trim_start_matches('0');
        *o = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

/// "IPv4" or "IPv6", for errors.
fn family(bits: u32) -> &'static str {
    if bits == 32 { "IPv4" } else { "IPv6" }
}

/// `cidrsubnet(prefix, newbits, netnum)`: the `netnum`-th subnet of
/// `prefix` with `newbits` more bits of prefix.
pub(super) fn cidrsubnet(args: &[Value]) -> Result<Value, String> {
    let usage = "`cidrsubnet(prefix, newbits, netnum)` takes a CIDR string and two whole numbers";
    let [Value::String(prefix), newbits, netnum] = args else {
        return Err(usage.into());
    };
    let (Some(newbits), Some(netnum)) = (whole(newbits), whole(netnum)) else {
        return Err(usage.into());
    };
    let net = Prefix::parse(prefix)?;
    let new_len = i64::from(net.len).saturating_add(newbits);
    if newbits < 0 || new_len > i64::from(net.bits) {
        return Err(format!("cannot add {newbits} bits to a /{} prefix", net.len));
    }
    // Checked above: 0 <= newbits <= new_len <= 128.
    let (newbits, new_len) = (newbits as u32, new_len as u32);
    let last = host_mask(net.bits - newbits, net.bits);
    if netnum < 0 || netnum as u128 > last {
        return Err(format!(
            "netnum {netnum} does not fit in {newbits} bits (0 to {last})"
        ));
    }
    let subnet = Prefix {
        // A shift by all 128 bits is of netnum 0 (newbits 0, checked).
        addr: net.addr | (netnum as u128).checked_shl(net.bits - new_len).unwrap_or(0),
        len: new_len,
        bits: net.bits,
    };
    Ok(Value::String(subnet.to_string()))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets of `prefix`, one
/// per argument, each `newbits` longer than `prefix`, each at the first
/// address after the one before that its size aligns to, as Terraform
/// allocates them (`cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)` =
/// `["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]`).
pub(super) fn cidrsubnets(args: &[Value]) -> Result<Value, String> {
    let usage = "`cidrsubnets(prefix, newbits...)` takes a CIDR string and whole numbers";
    let [Value::String(prefix), newbits @ ..] = args else {
        return Err(usage.into());
    };
    let net = Prefix::parse(prefix)?;
    let mut out = Vec::with_capacity(newbits.len());
    // The first address not yet given out; `None` past the family's last.
    let mut free = Some(net.addr);
    let mut previous: Option<Prefix> = None;
    for n in newbits {
        let n = whole(n).ok_or(usage)?;
        if n < 1 {
            return Err(format!(
                "`cidrsubnets` must extend the prefix by at least one bit, not {n}"
            ));
        }
        // Terraform's limit, whatever the family.
        if n > 32 {
            return Err(format!(
                "`cidrsubnets` may not extend a prefix by more than 32 bits, not {n}"
            ));
        }
        // 1 <= n <= 32.
        let len = net.len + n as u32;
        if len > net.bits {
            return Err(format!(
                "`cidrsubnets`: {n} more bits make a /{len} prefix, too long for an {} address",
                family(net.bits)
            ));
        }
        // `len` is at least 1: the size is at most 2^127.
        let size = 1u128 << (net.bits - len);
        let start = free
            .and_then(|f| f.checked_add(size - 1))
            .map(|end| end & !(size - 1))
            .filter(|s| net.contains(*s));
        let Some(start) = start else {
            let after = previous.map_or_else(|| prefix.clone(), |p| p.to_string());
            return Err(format!(
                "`cidrsubnets`: no room left in {net} for a /{len} subnet after {after}"
            ));
        };
        let subnet = Prefix {
            addr: start,
            len,
            bits: net.bits,
        };
        free = start.checked_add(size);
        previous = Some(subnet);
        out.push(Value::String(subnet.to_string()));
    }
    Ok(Value::List(out))
}

/// `cidrhost(prefix, hostnum)`: the address of host `hostnum` in
/// `prefix`; a negative number counts from the end (-1 is the last
/// address).
pub(super) fn cidrhost(args: &[Value]) -> Result<Value, String> {
    let usage = "`cidrhost(prefix, hostnum)` takes a CIDR string and a whole number";
    let [Value::String(prefix), hostnum] = args else {
        return Err(usage.into());
    };
    let hostnum = whole(hostnum).ok_or(usage)?;
    let net = Prefix::parse(prefix)?;
    let last = net.hosts();
    let host = if hostnum >= 0 {
        Some(hostnum as u128)
    } else {
        // -1 is the last host, -2 the one before: `!hostnum` is
        // `-hostnum - 1`, not negative.
        last.checked_sub((!hostnum) as u128)
    };
    match host.filter(|h| *h <= last) {
        Some(h) => Ok(Value::String(net.address(net.addr | h))),
        None => Err(format!(
            "a /{} prefix has no host number {hostnum} ({} hosts)",
            net.len,
            match last.checked_add(1) {
                Some(n) => n.to_string(),
                None => "2^128".into(),
            }
        )),
    }
}

/// `cidrnetmask(prefix)`: an IPv4 prefix's netmask, as an address
/// (`cidrnetmask("172.16.0.0/12")` = `"255.240.0.0"`). IPv6 prefixes have
/// none.
pub(super) fn cidrnetmask(args: &[Value]) -> Result<Value, String> {
    let [prefix] = strings(args, "cidrnetmask(prefix)")?;
    let net = Prefix::parse(prefix)?;
    let mask = !net.hosts() & host_mask(0, net.bits);
    // Go takes an IPv6 network that maps IPv4 addresses for IPv4; its
    // 128-bit mask is written as an IPv6 address.
    if net.bits == 32 || ipv4_mapped(net.addr).is_some() {
        Ok(Value::String(net.address(mask)))
    } else {
        Err(format!("IPv6 prefixes have no netmask: `{prefix}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::call_exact as call;
    use super::super::tests::{s, strs};
    use berth_provider::Value;

    fn int(n: i64) -> Value {
        Value::Int(n)
    }

    #[test]
    fn cidrsubnet_matches_terraform() {
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.0/16"), int(8), int(2)]),
            Ok(s("10.0.2.0/24"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.1.0.0/16"), int(4), int(15)]),
            Ok(s("10.1.240.0/20"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("172.16.0.0/12"), int(4), int(2)]),
            Ok(s("172.18.0.0/16"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.1.2.0/24"), int(4), int(15)]),
            Ok(s("10.1.2.240/28"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("fd00:fd12:3456:7890::/56"), int(16), int(162)]),
            Ok(s("fd00:fd12:3456:7800:a200::/72"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.0/8"), int(0), int(0)]),
            Ok(s("10.0.0.0/8"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("::/0"), int(128), int(i64::MAX)]),
            Ok(s("::7fff:ffff:ffff:ffff/128"))
        );
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), int(8), int(256)]).is_err());
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), int(8), int(-1)]).is_err());
        assert!(call("cidrsubnet", &[s("10.0.0.0/30"), int(8), int(0)]).is_err());
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), int(-1), int(0)]).is_err());
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), int(i64::MAX), int(0)]).is_err());
        assert!(call("cidrsubnet", &[s("nope"), int(8), int(0)]).is_err());
    }

    #[test]
    fn prefixes_read_as_terraform_reads_them() {
        // Host bits are dropped; leading zeros are decimal.
        assert_eq!(
            call("cidrsubnet", &[s("10.0.7.9/16"), int(8), int(1)]),
            Ok(s("10.0.1.0/24"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("010.000.0.0/016"), int(8), int(1)]),
            Ok(s("10.0.1.0/24"))
        );
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "10.0.0.256/8",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/8/8",
            "fd00::/129",
            "/8",
            "",
        ] {
            assert!(call("cidrnetmask", &[s(bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn cidrsubnets_allocates_consecutively() {
        let subnets = |prefix: &str, bits: &[i64]| {
            let mut args = vec![s(prefix)];
            args.extend(bits.iter().map(|b| int(*b)));
            call("cidrsubnets", &args)
        };
        // Terraform's documented examples.
        assert_eq!(
            subnets("10.1.0.0/16", &[4, 4, 8, 4]),
            Ok(strs(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]))
        );
        assert_eq!(
            subnets("fd00:fd12:3456:7890::/56", &[16, 16, 16, 32]),
            Ok(strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88",
            ]))
        );
        assert_eq!(
            subnets("10.0.0.0/8", &[8, 8, 8, 8]),
            Ok(strs(&[
                "10.0.0.0/16",
                "10.1.0.0/16",
                "10.2.0.0/16",
                "10.3.0.0/16"
            ]))
        );
        // A smaller block after a larger one starts where the larger ends;
        // a larger one after a smaller one skips to its next boundary.
        assert_eq!(
            subnets("10.0.0.0/16", &[8, 4]),
            Ok(strs(&["10.0.0.0/24", "10.0.16.0/20"]))
        );
        assert_eq!(
            subnets("10.0.0.0/24", &[2, 1]),
            Ok(strs(&["10.0.0.0/26", "10.0.0.128/25"]))
        );
        assert_eq!(subnets("10.0.0.0/16", &[]), Ok(strs(&[])));
        assert_eq!(
            subnets("0.0.0.0/0", &[1, 1]),
            Ok(strs(&["0.0.0.0/1", "128.0.0.0/1"]))
        );
        assert_eq!(subnets("::/0", &[1, 1]), Ok(strs(&["::/1", "8000::/1"])));
        assert_eq!(
            subnets("255.255.255.0/24", &[1, 1]),
            Ok(strs(&["255.255.255.0/25", "255.255.255.128/25"]))
        );
        let full = subnets("10.0.0.0/24", &[1, 1, 1]).expect_err("full");
        assert!(full.contains("after 10.0.0.128/25"), "{full}");
        assert!(subnets("255.255.255.0/24", &[1, 1, 1]).is_err());
        assert!(subnets("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120", &[1, 1, 1]).is_err());
        assert!(subnets("10.0.0.0/16", &[0]).is_err());
        assert!(subnets("10.0.0.0/16", &[-1]).is_err());
        assert!(subnets("10.0.0.0/16", &[17]).is_err());
        assert!(subnets("fd00::/56", &[33]).is_err());
        assert!(call("cidrsubnets", &[s("10.0.0.0/16"), s("8")]).is_err());
        assert!(call("cidrsubnets", &[]).is_err());
    }

    #[test]
    fn cidrhost_counts_from_either_end() {
        let host = |prefix: &str, n: i64| call("cidrhost", &[s(prefix), int(n)]);
        assert_eq!(host("10.12.112.0/20", 16), Ok(s("10.12.112.16")));
        assert_eq!(host("10.12.112.0/20", 268), Ok(s("10.12.113.12")));
        assert_eq!(host("10.0.0.0/8", 2), Ok(s("10.0.0.2")));
        assert_eq!(host("10.0.0.0/8", -2), Ok(s("10.255.255.254")));
        assert_eq!(host("10.0.0.0/24", 255), Ok(s("10.0.0.255")));
        assert_eq!(host("10.0.0.0/24", -256), Ok(s("10.0.0.0")));
        assert_eq!(host("10.0.0.1/32", 0), Ok(s("10.0.0.1")));
        assert_eq!(
            host("fd00:fd12:3456:7890:00a2::/72", 34),
            Ok(s("fd00:fd12:3456:7890::22"))
        );
        assert_eq!(host("::/0", -1), Ok(s("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
        assert_eq!(host("::/0", i64::MIN), Ok(s("ffff:ffff:ffff:ffff:8000::")));
        // Go writes an IPv4-mapped address as IPv4.
        assert_eq!(host("::ffff:10.0.0.0/120", 5), Ok(s("10.0.0.5")));
        assert!(host("10.0.0.0/24", 256).is_err());
        assert!(host("10.0.0.0/24", -257).is_err());
        assert!(host("10.0.0.0/32", i64::MIN).is_err());
        assert!(host("nope", 1).is_err());
        assert!(call("cidrhost", &[s("10.0.0.0/8"), s("1")]).is_err());
    }

    #[test]
    fn cidrnetmask_is_ipv4_only() {
        assert_eq!(call("cidrnetmask", &[s("172.16.0.0/12")]), Ok(s("255.240.0.0")));
        assert_eq!(call("cidrnetmask", &[s("10.0.0.0/0")]), Ok(s("0.0.0.0")));
        assert_eq!(call("cidrnetmask", &[s("10.0.0.1/32")]), Ok(s("255.255.255.255")));
        assert!(call("cidrnetmask", &[s("fd00::/56")]).is_err());
        assert!(call("cidrnetmask", &[int(1)]).is_err());
    }
}
