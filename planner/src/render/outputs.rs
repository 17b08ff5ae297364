//! Output values for people (`Outputs:` after apply and from
//! `berth output`) and machines (`berth output --format json`). Sensitive
//! outputs are never printed, in either form.

use std::collections::BTreeMap;

use serde::Serialize;

use super::value::inline;
use crate::outputs::OutputValue;
use crate::plan::SENSITIVE;

/// `Outputs:` and one aligned `name = value` line each; empty when the
/// stack has none. A value whose resource does not exist yet reads
/// `(known after apply)`.
pub fn outputs_text(values: &[OutputValue]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let width = values.iter().map(|v| v.name.len()).max().unwrap_or(0);
    let mut out = String::from("Outputs:\n\n");
    for v in values {
        let value = if v.sensitive {
            SENSITIVE.to_owned()
        } else {
            inline(&v.value)
        };
        out.push_str(&format!("{:<width$} = {value}\n", v.name));
    }
    out
}

/// The version of `berth output --format json`'s document.
pub const OUTPUTS_FORMAT_VERSION: &str = "1.0";

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    outputs: BTreeMap<&'a str, Entry>,
}

#[derive(Serialize)]
struct Entry {
    /// Left out for sensitive outputs; `null` when not known yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<serde_json::Value>,
    sensitive: bool,
    known: bool,
}

/// `{"format_version": "1.0", "outputs": {NAME: {"value": ..., "sensitive":
/// false, "known": true}}}`, pretty-printed with a trailing newline.
pub fn outputs_json(values: &[OutputValue]) -> String {
    let outputs = values
        .iter()
        .map(|v| {
            let entry = Entry {
                value: (!v.sensitive).then(|| v.value.to_json()),
                sensitive: v.sensitive,
                known: !v.value.has_unknown(),
            };
            (v.name.as_str(), entry)
        })
        .collect();
    let doc = Document {
        format_version: OUTPUTS_FORMAT_VERSION,
        outputs,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Value;

    fn values() -> Vec<OutputValue> {
        let out = |name: &str, value: Value, sensitive| OutputValue {
            name: name.to_owned(),
            value,
            sensitive,
        };
        vec![
            out("url", Value::from("http://web-1.elb.amazonaws.com"), false),
            out("db_password", Value::from("hunter2"), true),
            out("pending", Value::Unknown, false),
        ]
    }

    #[test]
    fn text_aligns_and_never_prints_a_sensitive_value() {
        let text = outputs_text(&values());
        assert_eq!(
            text,
            "Outputs:\n\nurl         = \"http://web-1.elb.amazonaws.com\"\ndb_password = (sensitive)\npending     = (known after apply)\n"
        );
        assert_eq!(outputs_text(&[]), "");
    }

    #[test]
    fn json_leaves_sensitive_values_out() {
        let text = outputs_json(&values());
        assert!(!text.contains("hunter2"), "{text}");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(doc["outputs"]["url"]["value"], "http://web-1.elb.amazonaws.com");
        assert_eq!(doc["outputs"]["db_password"]["sensitive"], true);
        assert!(doc["outputs"]["db_password"].get("value").is_none());
        assert_eq!(doc["outputs"]["pending"]["known"], false);
    }
}
