//! Masks sensitive values (schema attributes marked sensitive, such as a
//! container's `secrets`, and attributes whose value came from a variable
//! declared `sensitive = true`) before they enter a plan.

use std::collections::{BTreeMap, BTreeSet};

use berth_lang::DesiredBody;
use berth_lang::diagnostic::{holds_secret, secret_texts};
use berth_provider::Value;
use berth_provider::schema::{Attr, Block};

use crate::plan::{Plan, SENSITIVE, SENSITIVE_CHANGED};

/// The attributes of a resource body whose value came from a sensitive
/// variable, and the same for its nested blocks (by block name, over all
/// blocks of that name: masking a sibling's attribute too is the safe side).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    attrs: BTreeSet<String>,
    blocks: BTreeMap<String, Marks>,
}

/// No attribute marked.
pub static NO_MARKS: Marks = Marks {
    attrs: BTreeSet::new(),
    blocks: BTreeMap::new(),
};

impl Marks {
    /// The marks of a declared body.
    pub fn of(body: &DesiredBody) -> Marks {
        let mut marks = Marks {
            attrs: body.sensitive.clone(),
            blocks: BTreeMap::new(),
        };
        for (name, blocks) in &body.blocks {
            for b in blocks {
                let inner = Marks::of(&b.body);
                if !inner.is_empty() {
                    marks.blocks.entry(name.clone()).or_default().merge(inner);
                }
            }
        }
        marks
    }

    fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.blocks.is_empty()
    }

    /// The marks as the value of a resource's [`berth_provider::SENSITIVE_TAG`]: each
    /// marked attribute's path (`container.env`), separated by spaces;
    /// None when nothing is marked.
    pub fn to_tag(&self) -> Option<String> {
        fn paths(marks: &Marks, prefix: &str, out: &mut Vec<String>) {
            out.extend(marks.attrs.iter().map(|a| format!("{prefix}{a}")));
            for (name, inner) in &marks.blocks {
                paths(inner, &format!("{prefix}{name}."), out);
            }
        }
        let mut out = Vec::new();
        paths(self, "", &mut out);
        (!out.is_empty()).then(|| out.join(" "))
    }

    /// The marks a [`berth_provider::SENSITIVE_TAG`] value holds.
    pub fn from_tag(text: &str) -> Marks {
        let mut marks = Marks::default();
        for path in text.split_whitespace() {
            let mut at = &mut marks;
            let mut steps = path.split('.').peekable();
            while let Some(step) = steps.next() {
                if steps.peek().is_none() {
                    at.attrs.insert(step.to_owned());
                } else {
                    at = at.blocks.entry(step.to_owned()).or_default();
                }
            }
        }
        marks
    }

    /// These marks and `other`'s.
    pub fn with(&self, other: Option<&Marks>) -> Marks {
        let mut all = self.clone();
        if let Some(other) = other {
            all.merge(other.clone());
        }
        all
    }

    fn merge(&mut self, other: Marks) {
        self.attrs.extend(other.attrs);
        for (name, inner) in other.blocks {
            self.blocks.entry(name).or_default().merge(inner);
        }
    }

    /// Whether `attr` is to be masked: sensitive in the schema or marked.
    pub fn attr(&self, attr: &Attr) -> bool {
        attr.sensitive || self.attrs.contains(attr.name)
    }

    fn block(&self, name: &str) -> &Marks {
        self.blocks.get(name).unwrap_or(&NO_MARKS)
    }
}

/// Masks the sensitive parts of one attribute's before and after values
/// (`attr` for a plain attribute, `block` for a nested block). A changed
/// secret shows as changed without showing either value.
pub fn pair(
    attr: Option<&Attr>,
    block: Option<&Block>,
    marks: &Marks,
    before: Option<&Value>,
    after: Option<&Value>,
) -> (Option<Value>, Option<Value>) {
    match (attr, block) {
        (Some(a), _) if marks.attr(a) => (before.map(|b| leaf(b, None)), after.map(|v| leaf(v, before))),
        (_, Some(b)) if has_sensitive(b) || !marks.block(b.name).is_empty() => {
            let inner = marks.block(b.name);
            (
                before.map(|v| blocks(v, None, b, inner)),
                after.map(|v| blocks(v, before, b, inner)),
            )
        }
        _ => (before.cloned(), after.cloned()),
    }
}

/// The last line of defence: any string in `plan` holding the text of a
/// sensitive variable's value becomes `(sensitive)`. Masking by marks
/// covers what the configuration declares; this covers what only the cloud
/// holds (a resource being deleted, drift) and outputs.
pub fn scrub(plan: &mut Plan, secrets: &BTreeMap<String, Value>) {
    let texts = secret_texts(secrets.values());
    if texts.is_empty() {
        return;
    }
    for r in &mut plan.resources {
        for c in &mut r.changes {
            let mut hit = false;
            for v in [&mut c.before, &mut c.after].into_iter().flatten() {
                hit |= scrub_value(v, &texts);
            }
            if hit
                && [&c.before, &c.after]
                    .iter()
                    .any(|v| matches!(v, Some(Value::String(_))))
            {
                c.sensitive = true;
            }
        }
    }
    for o in &mut plan.outputs {
        let mut hit = scrub_value(&mut o.after, &texts);
        if let Some(b) = &mut o.before {
            hit |= scrub_value(b, &texts);
        }
        o.sensitive |= hit;
    }
}

/// Replaces every string of `v` that holds one of `texts`; whether any did.
fn scrub_value(v: &mut Value, texts: &[String]) -> bool {
    match v {
        Value::String(s) if texts.iter().any(|t| holds_secret(s, t)) => {
            *s = SENSITIVE.to_owned();
            true
        }
        Value::List(items) => items.iter_mut().fold(false, |hit, i| scrub_value(i, texts) | hit),
        Value::Map(m) => m.values_mut().fold(false, |hit, i| scrub_value(i, texts) | hit),
        _ => false,
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
fn blocks(v: &Value, before: Option<&Value>, schema: &Block, marks: &Marks) -> Value {
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
                body(item, prior.or(before.map(|_| &Value::Null)), schema, marks)
            })
            .collect(),
    )
}

fn body(v: &Value, before: Option<&Value>, schema: &Block, marks: &Marks) -> Value {
    let Value::Map(m) = v else { return v.clone() };
    Value::Map(
        m.iter()
            .map(|(k, x)| {
                let old = before.map(|b| b.as_map().and_then(|b| b.get(k)).unwrap_or(&Value::Null));
                let masked = match (schema.attr(k), schema.block(k)) {
                    (Some(a), _) if marks.attr(a) => leaf(x, old),
                    (_, Some(b)) if has_sensitive(b) || !marks.block(k).is_empty() => {
                        blocks(x, old, b, marks.block(k))
                    }
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

    #[test]
    fn marks_are_recorded_as_paths_and_read_back() {
        let marks = Marks {
            attrs: ["name".to_owned()].into(),
            blocks: [(
                "container".to_owned(),
                Marks {
                    attrs: ["command".to_owned(), "env".to_owned()].into(),
                    blocks: BTreeMap::new(),
                },
            )]
            .into(),
        };
        let tag = marks.to_tag().expect("marked");
        assert_eq!(tag, "name container.command container.env");
        assert_eq!(Marks::from_tag(&tag), marks);
        assert_eq!(Marks::default().to_tag(), None);
    }

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
            &NO_MARKS,
            Some(&container("arn:old")),
            Some(&container("arn:new")),
        );
        let text = format!("{before:?}{after:?}");
        assert!(!text.contains("arn:"), "{text}");
        assert!(text.contains(SENSITIVE_CHANGED));
        let (_, same) = pair(
            None,
            block,
            &NO_MARKS,
            Some(&container("arn:x")),
            Some(&container("arn:x")),
        );
        assert!(!format!("{same:?}").contains(SENSITIVE_CHANGED));
        let (_, created) = pair(None, block, &NO_MARKS, None, Some(&container("arn:x")));
        assert!(format!("{created:?}").contains(SENSITIVE) && !format!("{created:?}").contains("arn:"));
    }
}
