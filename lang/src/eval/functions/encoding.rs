//! Encodings: `jsonencode`, `jsondecode`, `base64encode`, `base64decode`,
//! and the hashes `md5`, `sha1`, `sha256`, `base64sha256`.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use berth_provider::{Decimal, Value};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::strings;

/// `jsonencode(value)`: the value as compact JSON, as Terraform writes it:
/// no spaces, object keys sorted, numbers exactly as written.
pub(super) fn jsonencode(args: &[Value]) -> Result<Value, String> {
    let [v] = args else {
        return Err("`jsonencode(value)` takes one value".into());
    };
    let mut out = String::new();
    write_json(v, &mut out);
    Ok(Value::String(out))
}

/// Written by hand rather than through `serde_json`, which would turn
/// fractions into `f64`s and escape strings differently from Terraform.
/// Recursion is bounded by the parser's nesting limit and `jsondecode`'s.
pub(super) fn write_json(v: &Value, out: &mut String) {
    match v {
        // Unknowns never get here (`call` answers unknown first); were one
        // to, null is what JSON has for "no value".
        Value::Null | Value::Unknown => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Decimal(d) => out.push_str(&d.normalize().to_string()),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            // A `BTreeMap` iterates in key order: the keys come out sorted.
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string as Go's encoder writes it, which Terraform uses: `<`, `>`,
/// `&`, U+2028 and U+2029 escaped as `\uXXXX` too, so output stays
/// byte-identical to Terraform's (a policy or a hash compared with a
/// Terraform-made one matches).
fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                // Writing to a `String` cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `jsondecode(string)`: the value a JSON text spells.
pub(super) fn jsondecode(args: &[Value]) -> Result<Value, String> {
    let [text] = strings(args, "jsondecode(text)")?;
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("`jsondecode` got invalid JSON: {e}"))?;
    from_json(&json)
}

/// Like `Value::from_json`, but a number past the language's range is an
/// error rather than a null.
fn from_json(j: &serde_json::Value) -> Result<Value, String> {
    Ok(match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => {
                // serde_json spells a number it holds as an `f64` by its
                // shortest decimal, which reads back exactly (`0.1`).
                let text = n.to_string();
                let d = Decimal::from_str_exact(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .map_err(|_| format!("`jsondecode`: the number {text} is out of range"))?;
                Value::number(d)
            }
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::List(items.iter().map(from_json).collect::<Result<_, _>>()?)
        }
        serde_json::Value::Object(m) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), from_json(v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// `base64encode(string)`: the string's UTF-8 bytes in standard, padded
/// base64.
pub(super) fn base64encode(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "base64encode(text)")?;
    Ok(Value::String(STANDARD.encode(s)))
}

/// `base64decode(string)`: the text that standard, padded base64 encodes;
/// it must be UTF-8, as the language's strings are.
pub(super) fn base64decode(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "base64decode(text)")?;
    let bytes = STANDARD
        .decode(s)
        .map_err(|e| format!("`base64decode` got invalid base64: {e}"))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| "`base64decode`: the decoded bytes are not UTF-8 text".into())
}

/// A digest in lower-case hexadecimal, as Terraform writes hashes.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a `String` cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `md5(string)`: the MD5 hash of the string's UTF-8 bytes, in hex.
pub(super) fn md5(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "md5(text)")?;
    Ok(Value::String(hex(&Md5::digest(s))))
}

/// `sha1(string)`: the SHA-1 hash of the string's UTF-8 bytes, in hex.
pub(super) fn sha1(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "sha1(text)")?;
    Ok(Value::String(hex(&Sha1::digest(s))))
}

/// `sha256(string)`: the SHA-256 hash of the string's UTF-8 bytes, in hex.
pub(super) fn sha256(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "sha256(text)")?;
    Ok(Value::String(hex(&Sha256::digest(s))))
}

/// `base64sha256(string)`: the SHA-256 hash of the string's UTF-8 bytes,
/// its 32 bytes in standard base64 (not the base64 of the hex digest).
pub(super) fn base64sha256(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "base64sha256(text)")?;
    Ok(Value::String(STANDARD.encode(Sha256::digest(s))))
}

#[cfg(test)]
mod tests {
    use super::super::call_exact as call;
    use super::super::tests::{list, map, num, s, strs};
    use berth_provider::Value;

    #[test]
    fn jsonencode_is_compact_with_sorted_keys() {
        assert_eq!(
            call("jsonencode", &[map(&[("b", Value::Int(1)), ("a", s("x"))])]),
            Ok(s("{\"a\":\"x\",\"b\":1}"))
        );
        assert_eq!(
            call(
                "jsonencode",
                &[list(&[
                    num("0.1"),
                    num("-2.50"),
                    Value::Bool(false),
                    Value::Null,
                    strs(&[]),
                    map(&[])
                ])]
            ),
            Ok(s("[0.1,-2.5,false,null,[],{}]"))
        );
        assert_eq!(
            call("jsonencode", &[num("123456789012345678901234567.8")]),
            Ok(s("123456789012345678901234567.8"))
        );
        assert_eq!(call("jsonencode", &[s("hello")]), Ok(s("\"hello\"")));
        assert!(call("jsonencode", &[]).is_err());
    }

    #[test]
    fn jsonencode_escapes_like_terraform() {
        assert_eq!(
            call("jsonencode", &[s("<a & b>\"\\\n\t\u{1}\u{2028}é")]),
            Ok(s(r#""\u003ca \u0026 b\u003e\"\\\n\t\u0001\u2028é""#))
        );
    }

    #[test]
    fn jsondecode_reads_json() {
        assert_eq!(
            call(
                "jsondecode",
                &[s(r#"{"hello": "world", "n": [1, 0.1, 1e3, true, null]}"#)]
            ),
            Ok(map(&[
                ("hello", s("world")),
                (
                    "n",
                    list(&[
                        Value::Int(1),
                        num("0.1"),
                        Value::Int(1000),
                        Value::Bool(true),
                        Value::Null
                    ])
                ),
            ]))
        );
        assert_eq!(call("jsondecode", &[s("true")]), Ok(Value::Bool(true)));
        assert_eq!(
            call("jsondecode", &[s("18446744073709551615")]),
            Ok(num("18446744073709551615"))
        );
        assert!(call("jsondecode", &[s("1e300")]).is_err());
        assert!(call("jsondecode", &[s("{")]).is_err());
        assert!(call("jsondecode", &[s(&"[".repeat(10_000))]).is_err());
        assert!(call("jsondecode", &[Value::Int(1)]).is_err());
    }

    #[test]
    fn json_round_trips() {
        let v = map(&[("a", list(&[num("1.5"), s("<x>")])), ("b", Value::Null)]);
        let text = call("jsonencode", std::slice::from_ref(&v)).expect("encodes");
        assert_eq!(call("jsondecode", &[text]), Ok(v));
    }

    #[test]
    fn base64() {
        assert_eq!(
            call("base64encode", &[s("Hello World")]),
            Ok(s("SGVsbG8gV29ybGQ="))
        );
        assert_eq!(
            call("base64decode", &[s("SGVsbG8gV29ybGQ=")]),
            Ok(s("Hello World"))
        );
        assert_eq!(call("base64encode", &[s("")]), Ok(s("")));
        assert!(call("base64decode", &[s("SGVsbG8gV29ybGQ")]).is_err());
        assert!(call("base64decode", &[s("not base64!")]).is_err());
        // 0xff 0xfe is not UTF-8.
        assert!(call("base64decode", &[s("//4=")]).is_err());
        assert!(call("base64encode", &[Value::Int(1)]).is_err());
    }

    #[test]
    fn hashes_in_hex_and_base64() {
        assert_eq!(
            call("md5", &[s("hello world")]),
            Ok(s("5eb63bbbe01eeed093cb22bb8f5acdc3"))
        );
        assert_eq!(
            call("sha1", &[s("hello world")]),
            Ok(s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"))
        );
        assert_eq!(
            call("sha256", &[s("hello world")]),
            Ok(s(
                "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
            ))
        );
        assert_eq!(
            call("base64sha256", &[s("hello world")]),
            Ok(s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="))
        );
        assert_eq!(
            call("sha256", &[s("")]),
            Ok(s(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ))
        );
        assert!(call("md5", &[Value::Int(1)]).is_err());
        assert!(call("sha256", &[]).is_err());
    }
}
