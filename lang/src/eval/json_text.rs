//! JSON text built from known text and values known only after apply, as
//! Terraform stacks write container definitions in a heredoc or a
//! template (`"image": "${aws_ecr_repository.app.repository_url}:1"`):
//! decoded with a placeholder for each such value, which then stands
//! where its placeholder was, so everything else in the JSON is known at
//! plan time.

use std::collections::BTreeMap;

use berth_provider::Value;

use crate::stack::{Deferred, DesiredValue};

/// Opens a placeholder: a private-use character no JSON needs escaped, and
/// that text written by hand does not hold.
const OPEN: char = '\u{e000}';
/// Closes a placeholder.
const CLOSE: char = '\u{e001}';

/// The value the JSON text `parts` (known strings and values known after
/// apply, in order) decodes to; Err names what is wrong with the JSON.
pub fn decode(parts: Vec<DesiredValue>) -> Result<DesiredValue, String> {
    let mut text = String::new();
    let mut later = Vec::new();
    let mut scan = Scan::default();
    for part in flatten(parts) {
        match part {
            DesiredValue::Known(Value::String(s)) => {
                if s.contains([OPEN, CLOSE]) {
                    return Err("it holds the characters U+E000 or U+E001".to_owned());
                }
                scan.read(&s);
                text.push_str(&s);
            }
            value => {
                let placeholder = format!("{OPEN}{}{CLOSE}", later.len());
                later.push(match value {
                    // `"secrets": ${SECRETS}` of `SECRETS = jsonencode([...])`
                    // holding an ARN: the JSON it will be is the value
                    // encoded (it was kept as one string, and AWS got no
                    // secrets).
                    DesiredValue::Call(Deferred::Function(f), mut args)
                        if f == "jsonencode" && args.len() == 1 && !scan.in_string =>
                    {
                        args.remove(0)
                    }
                    value => value,
                });
                if scan.in_string {
                    text.push_str(&placeholder);
                } else {
                    // A value outside quotes (a port, a flag) is one whole
                    // JSON value: quoted, it decodes as a string that is
                    // only its placeholder.
                    text.push('"');
                    text.push_str(&placeholder);
                    text.push('"');
                }
            }
        }
    }
    let value = super::functions::call("jsondecode", &[Value::String(text)])?;
    restore(value, &later)
}

/// Nested strings of parts as one run of parts.
fn flatten(parts: Vec<DesiredValue>) -> Vec<DesiredValue> {
    parts
        .into_iter()
        .flat_map(|p| match p {
            DesiredValue::Concat(inner) => flatten(inner),
            other => vec![other],
        })
        .collect()
}

/// Whether the text read so far ends inside a JSON string.
#[derive(Default)]
struct Scan {
    in_string: bool,
    escaped: bool,
}

impl Scan {
    fn read(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                _ if self.escaped => self.escaped = false,
                '\\' if self.in_string => self.escaped = true,
                '"' => self.in_string = !self.in_string,
                _ => {}
            }
        }
    }
}

/// `value` with each placeholder replaced by the value it stands for.
fn restore(value: Value, later: &[DesiredValue]) -> Result<DesiredValue, String> {
    Ok(match value {
        Value::String(s) if s.contains(OPEN) => string(&s, later)?,
        Value::List(items) => DesiredValue::list(
            items
                .into_iter()
                .map(|v| restore(v, later))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(entries) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                if k.contains(OPEN) {
                    return Err("a key is known only after apply".to_owned());
                }
                out.insert(k, restore(v, later)?);
            }
            DesiredValue::map(out)
        }
        known => DesiredValue::Known(known),
    })
}

/// A decoded string holding placeholders: the one value it is, or the
/// string built from its text and values.
fn string(s: &str, later: &[DesiredValue]) -> Result<DesiredValue, String> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(OPEN) {
        if open > 0 {
            parts.push(DesiredValue::Known(Value::String(rest[..open].to_owned())));
        }
        let after = &rest[open + OPEN.len_utf8()..];
        let close = after.find(CLOSE).ok_or("a placeholder is cut")?;
        let value = after[..close]
            .parse::<usize>()
            .ok()
            .and_then(|i| later.get(i))
            .ok_or("a placeholder is unknown")?;
        parts.push(value.clone());
        rest = &after[close + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        parts.push(DesiredValue::Known(Value::String(rest.to_owned())));
    }
    Ok(match <[DesiredValue; 1]>::try_from(parts) {
        Ok([one]) => one,
        Err(parts) => DesiredValue::Concat(parts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::RefTarget;

    fn known(s: &str) -> DesiredValue {
        DesiredValue::Known(Value::String(s.to_owned()))
    }

    fn reference(attr: &str) -> DesiredValue {
        DesiredValue::Ref(RefTarget {
            address: "ecr_repository.app".parse().expect("an address"),
            attr: attr.to_owned(),
        })
    }

    #[test]
    fn values_known_after_apply_stand_where_they_were_written() {
        let decoded = decode(vec![
            known(r#"[{"name": "app", "image": ""#),
            reference("url"),
            known(r#":1", "port": "#),
            reference("port"),
            known(r#", "say": "\"q\" "#),
            reference("url"),
            known(r#""}]"#),
        ])
        .expect("JSON");
        let DesiredValue::List(items) = decoded else {
            panic!("{decoded:?}")
        };
        let DesiredValue::Map(fields) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(fields["name"], known("app"));
        assert_eq!(
            fields["image"],
            DesiredValue::Concat(vec![reference("url"), known(":1")])
        );
        assert_eq!(fields["port"], reference("port"));
        assert_eq!(
            fields["say"],
            DesiredValue::Concat(vec![known("\"q\" "), reference("url")])
        );
    }

    /// zatarain/lorentz's `"secrets": ${SECRETS}`, `SECRETS` a
    /// `jsonencode([...])` naming a secret the stack makes.
    #[test]
    fn an_encoded_value_known_after_apply_is_the_value_it_encodes() {
        let secrets = DesiredValue::List(vec![DesiredValue::map(BTreeMap::from([
            ("name".to_owned(), known("DB")),
            ("valueFrom".to_owned(), reference("arn")),
        ]))]);
        let encoded = DesiredValue::Call(Deferred::Function("jsonencode".to_owned()), vec![secrets.clone()]);
        let decoded = decode(vec![
            known(r#"[{"name": "app", "secrets": "#),
            encoded.clone(),
            known(r#", "note": ""#),
            encoded.clone(),
            known(r#""}]"#),
        ])
        .expect("JSON");
        let DesiredValue::List(items) = decoded else {
            panic!("{decoded:?}")
        };
        let DesiredValue::Map(fields) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(fields["secrets"], secrets);
        // Inside quotes it is text, as written.
        assert_eq!(fields["note"], encoded);
    }

    #[test]
    fn broken_json_is_an_error() {
        assert!(decode(vec![known("[{"), reference("url"), known("")]).is_err());
    }
}
