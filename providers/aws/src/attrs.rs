//! Reading typed values out of attribute maps, filling defaults, putting
//! sets and blocks in the canonical order, and tag helpers.

use std::collections::BTreeMap;

pub(crate) use berth_provider::attrs::{
    blocks_of, bool_of, f64_of, int_of, map_of, nulls_out, str_of, strs_of, without_nulls,
};
use berth_provider::schema;
pub(crate) use berth_provider::schema::complete;
use berth_provider::{ADDRESS_TAG, Address, Attrs, External, Kind, Resource, STACK_TAG, Value};

/// The integer attribute `key` as an `i32`, if set and in range.
pub(crate) fn i32_of(attrs: &Attrs, key: &str) -> Option<i32> {
    int_of(attrs, key).and_then(|i| i32::try_from(i).ok())
}

/// `Some(s)` as a string value, `None` as null.
pub(crate) fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

/// `Some(i)` as an integer value, `None` as null.
pub(crate) fn opt_int(i: Option<i32>) -> Value {
    i.map_or(Value::Null, |i| Value::Int(i64::from(i)))
}

/// A list of strings.
pub(crate) fn str_list<I, S>(items: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
}

/// A string map value.
pub(crate) fn str_map(map: &BTreeMap<String, String>) -> Value {
    Value::Map(
        map.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// `tags` (key/value pairs) as the SDK `Tag` of a service whose builder
/// checks that key and value are set (ECR, Cloud Map, SSM); a missing one
/// is an error of `call`.
macro_rules! checked_tags {
    ($tag:ty, $call:expr, $tags:expr) => {
        $tags
            .into_iter()
            .map(|(k, v)| <$tag>::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| crate::errors::build_error($call, e))
    };
}
pub(crate) use checked_tags;

/// `a` with the `name` and `arn` AWS gave the resource: what a create or
/// update returns.
pub(crate) fn named(mut a: Attrs, name: String, arn: String) -> Attrs {
    a.insert("name".to_owned(), Value::String(name));
    a.insert("arn".to_owned(), Value::String(arn));
    a
}

/// Builds an attribute map from pairs.
pub(crate) fn attrs<const N: usize>(pairs: [(&str, Value); N]) -> Attrs {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Puts `attrs` in the canonical form the planner compares in
/// ([`schema::canonical`]). Both `create` and `read_all` return this form,
/// so a resource reads back exactly as it was created.
pub(crate) fn canonical(kind: Kind, attrs: &mut Attrs) {
    *attrs = schema::canonical(attrs, &kind.schema().as_block());
}

/// `r` with the creation time AWS reported, if any.
pub(crate) fn created_at(mut r: Resource, at: Option<&aws_smithy_types::DateTime>) -> Resource {
    r.created = at.and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok());
    r
}

/// A resource as `create`, `update` and `read_all` return it: its
/// attributes in the canonical form of its kind.
pub(crate) fn resource(address: Address, mut attrs: Attrs) -> Resource {
    canonical(address.kind, &mut attrs);
    Resource {
        address,
        attrs,
        created: None,
    }
}

/// Where to look for the stack's children: the ARNs of the `owned`
/// parents and the ids the configuration gives for `external` ones of
/// `kind`.
pub(crate) fn parents<'a>(
    owned: &'a [Resource],
    external: &'a [External],
    kind: Kind,
) -> impl Iterator<Item = &'a str> {
    owned.iter().filter_map(|r| str_of(&r.attrs, "arn")).chain(
        external
            .iter()
            .filter(move |e| e.kind == kind)
            .map(|e| e.id.as_str()),
    )
}

/// The tags a create call carries: the user's plus berth's two.
pub(crate) fn create_tags(stack: &str, address: &Address, attrs: &Attrs) -> BTreeMap<String, String> {
    let mut tags = map_of(attrs, "tags");
    tags.insert(STACK_TAG.to_owned(), stack.to_owned());
    tags.insert(ADDRESS_TAG.to_owned(), address.to_string());
    tags
}

/// The user's tags out of all of a resource's tags: berth's and AWS's
/// reserved (`aws:`) ones left out.
pub(crate) fn user_tags<'a>(all: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    Value::Map(
        all.into_iter()
            .filter(|(k, _)| *k != STACK_TAG && *k != ADDRESS_TAG && !k.starts_with("aws:"))
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect(),
    )
}

/// The address in a resource's tags, if it belongs to `stack` and is of
/// `kind`.
pub(crate) fn owned<'a>(
    stack: &str,
    kind: Kind,
    tags: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Address> {
    let mut in_stack = false;
    let mut address = None;
    for (k, v) in tags {
        if k == STACK_TAG && v == stack {
            in_stack = true;
        } else if k == ADDRESS_TAG {
            address = v.parse::<Address>().ok();
        }
    }
    address.filter(|a| in_stack && a.kind == kind)
}

/// Refuses `call`, a create that would take over the resource that holds
/// `name` (tagged `tags`) unless it is `address` of `stack` (a create sent
/// again after a lost answer): CreateCluster answers with the ACTIVE
/// cluster of its name, PutMetricAlarm overwrites the alarm, CreateBucket
/// in us-east-1 answers with the account's bucket. Another stack's (or
/// tool's) would be taken over, then deleted by this stack's destroy.
pub(crate) fn refuse_held(
    call: &'static str,
    kind: Kind,
    stack: &str,
    address: &Address,
    name: &str,
    tags: &[(&str, &str)],
) -> Result<(), berth_provider::ProviderError> {
    if owned(stack, kind, tags.iter().copied()).as_ref() == Some(address) {
        return Ok(());
    }
    let held = tags.iter().copied().collect();
    Err(berth_provider::adopt::name_held(call, kind, name, address, &held))
}

/// Tag keys to add or change, and keys to remove, to go from `old` to `new`
/// user tags.
/// Carries the live resource's attributes `keys` (computed ones, which an
/// update in place does not change) into its updated attributes.
pub(crate) fn keep(new: &mut Attrs, old: &Attrs, keys: &[&str]) {
    for key in keys {
        if let Some(v) = old.get(*key) {
            new.insert((*key).to_owned(), v.clone());
        }
    }
}

pub(crate) fn tag_diff(old: &Attrs, new: &Attrs) -> (BTreeMap<String, String>, Vec<String>) {
    let (before, after) = (map_of(old, "tags"), map_of(new, "tags"));
    let set = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (set, removed)
}

/// A bool attribute berth keeps in a tag of its own where AWS has no field
/// for it (a zone's `force_destroy`, a repository's `force_delete`): the
/// tag is there, valued `true`, exactly when the attribute is.
pub(crate) struct FlagTag {
    pub(crate) attr: &'static str,
    pub(crate) tag: &'static str,
}

impl FlagTag {
    /// The tag among a create's `tags` when `a` sets the flag.
    pub(crate) fn create(&self, a: &Attrs, tags: &mut BTreeMap<String, String>) {
        if bool_of(a, self.attr) {
            tags.insert(self.tag.to_owned(), "true".to_owned());
        }
    }

    /// The tag into an update's `set` or `removed` when the flag changes.
    pub(crate) fn update(
        &self,
        old: &Attrs,
        new: &Attrs,
        set: &mut BTreeMap<String, String>,
        removed: &mut Vec<String>,
    ) {
        match (bool_of(old, self.attr), bool_of(new, self.attr)) {
            (false, true) => {
                set.insert(self.tag.to_owned(), "true".to_owned());
            }
            (true, false) => removed.push(self.tag.to_owned()),
            _ => {}
        }
    }

    /// Whether `key` is this flag's tag (not one of the user's).
    pub(crate) fn is(&self, key: &str) -> bool {
        key == self.tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_and_orders() {
        let given = attrs([
            ("vpc", "vpc-1".into()),
            (
                "ingress",
                Value::List(vec![
                    Value::Map(attrs([("port", Value::Int(443)), ("cidr", "0.0.0.0/0".into())])),
                    Value::Map(attrs([("port", Value::Int(80)), ("cidr", "0.0.0.0/0".into())])),
                ]),
            ),
        ]);
        let mut out = complete(Kind::SecurityGroup, &given);
        assert_eq!(out["description"], Value::from("Managed by berth"));
        assert_eq!(out["egress"], Value::List(vec![]));
        canonical(Kind::SecurityGroup, &mut out);
        let rules = blocks_of(&out, "ingress");
        assert_eq!(int_of(rules[0], "port"), Some(443), "sorted by rendering");
        assert_eq!(rules[0]["protocol"], Value::from("tcp"));
    }

    #[test]
    fn ownership_and_tags() {
        let tags = [
            ("berth:stack", "s"),
            ("berth:address", "vpc.main"),
            ("team", "a"),
            ("aws:x", "y"),
        ];
        assert_eq!(owned("s", Kind::Vpc, tags), Some(Address::new(Kind::Vpc, "main")));
        assert_eq!(owned("t", Kind::Vpc, tags), None);
        assert_eq!(owned("s", Kind::Subnet, tags), None);
        assert_eq!(
            user_tags(tags),
            Value::Map([("team".to_owned(), Value::from("a"))].into())
        );
    }
}
