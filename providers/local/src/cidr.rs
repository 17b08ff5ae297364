//! IPv4 CIDR blocks, for the VPC, subnet and route rules.

use std::net::Ipv4Addr;

/// An IPv4 CIDR block whose address has no bits outside its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    base: u32,
    pub len: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`; `None` when malformed or when host bits are set
    /// (AWS rejects `10.0.0.1/16`).
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, len) = text.split_once('/')?;
        let addr: Ipv4Addr = addr.parse().ok()?;
        let len: u8 = len.parse().ok().filter(|l| *l <= 32)?;
        let cidr = Cidr {
            base: u32::from(addr),
            len,
        };
        (cidr.base & !cidr.mask() == 0).then_some(cidr)
    }

    fn mask(self) -> u32 {
        u32::MAX.checked_shl(32 - u32::from(self.len)).unwrap_or(0)
    }

    /// Whether `other` lies entirely inside this block.
    pub fn contains(self, other: Cidr) -> bool {
        other.len >= self.len && other.base & self.mask() == self.base
    }

    /// Whether the two blocks share any address.
    pub fn overlaps(self, other: Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// The addresses of a subnet of this block that a network interface
    /// may take: AWS keeps the first four (network, router, DNS, future
    /// use) and the last (broadcast) of every subnet. Empty for blocks
    /// too small to have any (AWS's subnets are /16 to /28).
    pub fn usable(self) -> std::ops::RangeInclusive<u32> {
        let last = self.base | !self.mask();
        self.base.saturating_add(4)..=last.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        let a = Cidr::parse("10.0.1.0/24").unwrap();
        let b = Cidr::parse("10.0.1.128/25").unwrap();
        let out = Cidr::parse("10.1.0.0/24").unwrap();
        assert!(vpc.contains(a) && !vpc.contains(out) && !a.contains(vpc));
        assert!(a.overlaps(b) && b.overlaps(a) && !a.overlaps(out));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(out));
        for bad in ["10.0.0.1/16", "10.0.0.0", "10.0.0.0/33", "x/8", "10.0.0/8"] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
        let ip = |text: &str| text.parse::<Ipv4Addr>().unwrap();
        let small = Cidr::parse("10.0.1.16/28").unwrap();
        assert_eq!(
            small.usable(),
            u32::from(ip("10.0.1.20"))..=u32::from(ip("10.0.1.30"))
        );
    }
}
