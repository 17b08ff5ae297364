//! Address arithmetic: `cidrsubnet`.

use std::net::Ipv4Addr;

use berth_provider::Value;
use ipnet::Ipv4Net;

/// `cidrsubnet(prefix, newbits, netnum)`: the `netnum`-th subnet of
/// `prefix` with `newbits` more bits of prefix.
pub(super) fn cidrsubnet(args: &[Value]) -> Result<Value, String> {
    let [Value::String(prefix), Value::Int(newbits), Value::Int(netnum)] = args else {
        return Err("`cidrsubnet(prefix, newbits, netnum)` takes a CIDR string and two numbers".into());
    };
    let (newbits, netnum) = (*newbits, *netnum);
    let net: Ipv4Net = prefix
        .parse()
        .map_err(|_| format!("`{prefix}` is not a CIDR block"))?;
    let new_len = i64::from(net.prefix_len()) + newbits;
    if !(0..=32).contains(&newbits) || new_len > 32 {
        return Err(format!(
            "cannot add {newbits} bits to a /{} prefix",
            net.prefix_len()
        ));
    }
    let count = 1i64 << newbits;
    if !(0..count).contains(&netnum) {
        return Err(format!(
            "netnum {netnum} does not fit in {newbits} bits (0 to {})",
            count - 1
        ));
    }
    let base = u32::from(net.network()) as u64;
    let offset = (netnum as u64) << (32 - new_len);
    let addr = Ipv4Addr::from((base + offset) as u32);
    Ok(Value::String(format!("{addr}/{new_len}")))
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::super::tests::s;
    use berth_provider::Value;

    #[test]
    fn cidrsubnet_matches_terraform() {
        assert_eq!(
            call("cidrsubnet", &[s("10.0.0.0/16"), Value::Int(8), Value::Int(2)]),
            Ok(s("10.0.2.0/24"))
        );
        assert_eq!(
            call("cidrsubnet", &[s("10.1.0.0/16"), Value::Int(4), Value::Int(15)]),
            Ok(s("10.1.240.0/20"))
        );
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), Value::Int(8), Value::Int(256)]).is_err());
        assert!(call("cidrsubnet", &[s("10.0.0.0/30"), Value::Int(8), Value::Int(0)]).is_err());
        assert!(call("cidrsubnet", &[s("10.0.0.0/16"), Value::Int(-1), Value::Int(0)]).is_err());
        assert!(call("cidrsubnet", &[s("nope"), Value::Int(8), Value::Int(0)]).is_err());
    }
}
