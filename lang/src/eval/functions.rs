//! Built-in functions: `cidrsubnet`, `index`, `length`, `join`, `lower`,
//! `upper`, `format`; `availability_zones` reads the cloud and is answered
//! by the evaluator (`zones.rs`).

use std::net::Ipv4Addr;

use berth_provider::Value;
use ipnet::Ipv4Net;

/// Every function the language knows.
pub const NAMES: &[&str] = &[
    "availability_zones",
    "cidrsubnet",
    "format",
    "index",
    "join",
    "length",
    "lower",
    "upper",
];

/// Calls a function on known arguments; the error explains the misuse.
pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    match (name, args) {
        ("cidrsubnet", [Value::String(prefix), Value::Int(bits), Value::Int(num)]) => {
            cidrsubnet(prefix, *bits, *num)
        }
        ("cidrsubnet", _) => {
            Err("`cidrsubnet(prefix, newbits, netnum)` takes a CIDR string and two numbers".into())
        }
        ("index", [Value::List(items), needle]) => items
            .iter()
            .position(|i| i == needle)
            .map(|p| Value::Int(p as i64))
            .ok_or_else(|| format!("{needle} is not in the list")),
        ("index", _) => Err("`index(list, value)` takes a list and a value".into()),
        ("length", [Value::List(l)]) => Ok(Value::Int(l.len() as i64)),
        ("length", [Value::Map(m)]) => Ok(Value::Int(m.len() as i64)),
        ("length", [Value::String(s)]) => Ok(Value::Int(s.chars().count() as i64)),
        ("length", _) => Err("`length(x)` takes one list, map or string".into()),
        ("join", [Value::String(sep), Value::List(items)]) => {
            let parts: Option<Vec<String>> = items.iter().map(scalar_text).collect();
            parts
                .map(|p| Value::String(p.join(sep)))
                .ok_or_else(|| "`join` joins strings and numbers only".into())
        }
        ("join", _) => Err("`join(separator, list)` takes a string and a list".into()),
        ("lower", [Value::String(s)]) => Ok(Value::String(s.to_lowercase())),
        ("upper", [Value::String(s)]) => Ok(Value::String(s.to_uppercase())),
        ("lower" | "upper", _) => Err(format!("`{name}(text)` takes one string")),
        ("format", [Value::String(fmt), rest @ ..]) => format(fmt, rest),
        ("format", _) => Err("`format(template, values...)` takes a template string first".into()),
        _ => Err(format!("unknown function `{name}`")),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Int(_) | Value::Decimal(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    }
}

/// Replaces each `%s` or `%d` in order; `%%` is a literal `%`.
fn format(template: &str, args: &[Value]) -> Result<Value, String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd') => {
                let arg = args.next().ok_or("`format` has more placeholders than values")?;
                out.push_str(&scalar_text(arg).ok_or("`format` takes strings, numbers and booleans")?);
            }
            _ => return Err("`format` knows `%s`, `%d` and `%%`".into()),
        }
    }
    if args.next().is_some() {
        return Err("`format` has more values than placeholders".into());
    }
    Ok(Value::String(out))
}

fn cidrsubnet(prefix: &str, newbits: i64, netnum: i64) -> Result<Value, String> {
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
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

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
    }

    #[test]
    fn list_and_text_functions() {
        let l = Value::List(vec![s("a"), s("b")]);
        assert_eq!(call("index", &[l.clone(), s("b")]), Ok(Value::Int(1)));
        assert_eq!(call("length", std::slice::from_ref(&l)), Ok(Value::Int(2)));
        assert_eq!(call("join", &[s("-"), l]), Ok(s("a-b")));
        assert_eq!(call("upper", &[s("a")]), Ok(s("A")));
        assert_eq!(
            call("format", &[s("%s:%d%%"), s("x"), Value::Int(3)]),
            Ok(s("x:3%"))
        );
        assert!(call("format", &[s("%s")]).is_err());
    }
}
