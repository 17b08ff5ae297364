//! Masks sensitive values (schema attributes marked sensitive, such as a
//! container's `secrets`) before they enter a plan.

use berth_provider::Value;
use berth_provider::schema::{Attr, Block};

use crate::plan::{SENSITIVE, SENSITIVE_CHANGED};

/// Masks the sensitive parts of one attribute's before and after values
/// (`attr` for a plain attribute, `block` for a nested block). A changed
/// secret shows as changed without showing either value.
pub fn pair(
    attr: Option<&Attr>,
    block: Option<&Block>,
    before: Option<&Value>,
    after: Option<&Value>,
) -> (Option<Value>, Option<Value>) {
    match (attr, block) {
        (Some(a), _) if a.sensitive => (before.map(|b| leaf(b, None)), after.map(|v| leaf(v, before))),
        (_, Some(b)) if has_sensitive(b) => (
            before.map(|v| blocks(v, None, b)),
            after.map(|v| blocks(v, before, b)),
        ),
        _ => (before.cloned(), after.cloned()),
    }
}

/// Whether anything in `block` is sensitive.
pub fn has_sensitive(block: &Block) -> bool {
    block.attrs.iter().any(|a| a.sensitive) || block.blocks.iter().any(has_sensitive)
}

/// A sensitive value. Maps keep their keys (an environment variable's name
/// is not secret); every value is hidden.
fn leaf(v: &Value, before: Option<&Value>) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, x)| {
                    let changed = before.is_some_and(|b| b.as_map().and_then(|b| b.get(k)) != Some(x));
                    (k.clone(), hidden(changed))
                })
                .collect(),
        ),
        _ => hidden(before.is_some_and(|b| b != v)),
    }
}

fn hidden(changed: bool) -> Value {
    Value::String(if changed { SENSITIVE_CHANGED } else { SENSITIVE }.to_owned())
}

/// Masks nested blocks (a list of maps), pairing each with its previous
/// version by name (labelled blocks) or position.
fn blocks(v: &Value, before: Option<&Value>, schema: &Block) -> Value {
    let Value::List(items) = v else { return v.clone() };
    let previous = before.and_then(Value::as_list).unwrap_or(&[]);
    let name_of = |b: &Value| b.as_map().and_then(|m| m.get("name")).cloned();
    Value::List(
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let prior = match name_of(item) {
                    Some(name) => previous.iter().find(|b| name_of(b).as_ref() == Some(&name)),
                    None => previous.get(i),
                };
                body(item, prior.or(before.map(|_| &Value::Null)), schema)
            })
            .collect(),
    )
}

fn body(v: &Value, before: Option<&Value>, schema: &Block) -> Value {
    let Value::Map(m) = v else { return v.clone() };
    Value::Map(
        m.iter()
            .map(|(k, x)| {
                let old = before.map(|b| b.as_map().and_then(|b| b.get(k)).unwrap_or(&Value::Null));
                let masked = match (schema.attr(k), schema.block(k)) {
                    (Some(a), _) if a.sensitive => leaf(x, old),
                    (_, Some(b)) if has_sensitive(b) => blocks(x, old, b),
                    _ => x.clone(),
                };
                (k.clone(), masked)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    fn container(secret: &str) -> Value {
        let secrets = Value::Map([("DB".to_owned(), Value::from(secret))].into());
        Value::List(vec![Value::Map(
            [
                ("name".to_owned(), Value::from("app")),
                ("secrets".to_owned(), secrets),
            ]
            .into(),
        )])
    }

    #[test]
    fn hides_secret_values_and_tells_when_they_change() {
        let schema = Kind::TaskDefinition.schema();
        let block = schema.block("container");
        let (before, after) = pair(
            None,
            block,
            Some(&container("arn:old")),
            Some(&container("arn:new")),
        );
        let text = format!("{before:?}{after:?}");
        assert!(!text.contains("arn:"), "{text}");
        assert!(text.contains(SENSITIVE_CHANGED));
        let (_, same) = pair(None, block, Some(&container("arn:x")), Some(&container("arn:x")));
        assert!(!format!("{same:?}").contains(SENSITIVE_CHANGED));
        let (_, created) = pair(None, block, None, Some(&container("arn:x")));
        assert!(format!("{created:?}").contains(SENSITIVE) && !format!("{created:?}").contains("arn:"));
    }
}
