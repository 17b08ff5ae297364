//! ELBv2's attributes of load balancers and target groups: key/value
//! strings set with one Modify...Attributes call and read with the
//! Describe...Attributes call a plan makes anyway. berth names each with an
//! attribute of its own and AWS's default, so a resource left at the
//! defaults costs no Modify call and reads back as the configuration left
//! it out.

use berth_provider::{Attrs, Value};

use crate::attrs::{int_of, str_of};

/// An ELBv2 attribute: berth's attribute name, AWS's key, AWS's default.
pub(super) type Table = &'static [(&'static str, &'static str, Setting)];

/// The default of an ELBv2 attribute, as berth's value type.
#[derive(Clone, Copy)]
pub(super) enum Setting {
    Int(i64),
    Str(&'static str),
    Bool(bool),
    /// `true` or `false` when set; AWS's word for "not set" otherwise.
    Tristate(&'static str),
    /// `true` or `false`, AWS's choice when not set (sent only when set).
    Chosen,
}

impl Setting {
    /// `a`'s value of `name` as ELBv2 writes it, or this default; none
    /// for a choice left to AWS.
    fn text(self, a: &Attrs, name: &str) -> Option<String> {
        let set_bool = a.get(name).and_then(Value::as_bool);
        Some(match self {
            Setting::Int(d) => int_of(a, name).unwrap_or(d).to_string(),
            Setting::Str(d) => str_of(a, name).unwrap_or(d).to_owned(),
            Setting::Bool(d) => set_bool.unwrap_or(d).to_string(),
            Setting::Tristate(d) => set_bool.map_or_else(|| d.to_owned(), |b| b.to_string()),
            Setting::Chosen => set_bool?.to_string(),
        })
    }

    /// ELBv2's `text` as berth's value, or this default when it is not one.
    fn value(self, text: Option<&str>) -> Value {
        let bool = text.and_then(|t| t.parse::<bool>().ok());
        match self {
            Setting::Int(d) => Value::Int(text.and_then(|t| t.parse().ok()).unwrap_or(d)),
            Setting::Str(d) => Value::from(text.unwrap_or(d)),
            Setting::Bool(d) => Value::Bool(bool.unwrap_or(d)),
            Setting::Tristate(_) | Setting::Chosen => bool.map_or(Value::Null, Value::Bool),
        }
    }
}

/// Every attribute of `table` the resource `has` (an Application Load
/// Balancer's are not a Network Load Balancer's: ELBv2 refuses the
/// others' keys), as ELBv2 keys and `a`'s values.
pub(super) fn texts(table: Table, a: &Attrs, has: impl Fn(&str) -> bool) -> Vec<(&'static str, String)> {
    table
        .iter()
        .filter(|(name, _, _)| has(name))
        .filter_map(|(name, key, default)| Some((*key, default.text(a, name)?)))
        .collect()
}

/// The attributes of `table` read from ELBv2's answer (`get` of a key),
/// by berth's names; null those the resource does not `has`.
pub(super) fn read<'a>(
    table: Table,
    get: impl Fn(&str) -> Option<&'a str>,
    has: impl Fn(&str) -> bool,
) -> Vec<(&'static str, Value)> {
    table
        .iter()
        .map(|(name, key, default)| {
            let value = if has(name) {
                default.value(get(key))
            } else {
                Value::Null
            };
            (*name, value)
        })
        .collect()
}

/// Whether `old` and `new` differ in an attribute of `table`.
pub(super) fn changed(table: Table, old: &Attrs, new: &Attrs) -> bool {
    table.iter().any(|(name, _, _)| old.get(*name) != new.get(*name))
}
