//! Attributes that something other than the configuration owns for a
//! while:
//! - container images set by `berth deploy` (CI moving a service to a new
//!   image). The deploy records, in the revision's [`DEPLOYED_TAG`], which
//!   image the configuration named at the time; as long as the
//!   configuration still names it, the live (deployed) image is the desired
//!   one, so `plan` shows nothing and `apply` reverts nothing. When the
//!   configuration names another image, that is a real change.
//! - the `desired_count` of a service with an `autoscaling` block: the
//!   scaler sets it, so the live count is the desired one.
//! - what a resource's `ignore_changes` names (Terraform's lifecycle
//!   argument): once the resource exists, its live value is the desired
//!   one, through plan and apply alike.

use std::collections::{BTreeMap, BTreeSet};

use berth_lang::{DesiredValue, Ignored};
use berth_provider::{Address, Attrs, DEPLOYED_TAG, Kind, Resource, Value};

/// `CONTAINER=IMAGE` pairs of a [`DEPLOYED_TAG`] value.
pub fn parse(tag: &str) -> BTreeMap<String, String> {
    tag.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(c, i)| (c.to_owned(), i.to_owned()))
        .collect()
}

/// The [`DEPLOYED_TAG`] value for `pairs`.
pub fn format(pairs: &BTreeMap<String, String>) -> String {
    pairs
        .iter()
        .map(|(c, i)| format!("{c}={i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The deploy's record on a live resource's tags, if any.
fn record(live: &Attrs) -> Option<&str> {
    live.get("tags")?.as_map()?.get(DEPLOYED_TAG)?.as_str()
}

/// `desired` with what another owner holds taken from `live`: for each
/// container whose configured image is the one a deploy recorded, the live
/// image, and the record itself while any container is still owned; a
/// scaled service's task count.
pub fn apply(address: &Address, desired: Attrs, live: Option<&Resource>) -> Attrs {
    let Some(live) = live else { return desired };
    match address.kind {
        Kind::TaskDefinition => deployed(desired, live),
        Kind::Service => scaled(desired, live),
        _ => desired,
    }
}

/// `pending` with what `ignored` names set to its value in `live`;
/// `None` when that changes nothing (nothing ignored, or no live resource
/// yet: a create takes the configuration).
pub fn ignoring(
    pending: &DesiredValue,
    ignored: &BTreeSet<Ignored>,
    live: Option<&Resource>,
) -> Option<DesiredValue> {
    let live = live.filter(|_| !ignored.is_empty())?;
    match pending {
        // A body all known is one value.
        DesiredValue::Known(Value::Map(attrs)) => Some(DesiredValue::Known(Value::Map(keep_live(
            attrs.clone(),
            ignored,
            Some(live),
        )))),
        DesiredValue::Map(attrs) => {
            let mut attrs = attrs.clone();
            for ignored in ignored {
                let attr = ignored.attr();
                let written = attrs.remove(attr);
                let kept = kept(ignored, written, &live.attrs);
                attrs.insert(attr.to_owned(), kept);
            }
            Some(DesiredValue::Map(attrs))
        }
        _ => None,
    }
}

/// `desired` with what `ignored` names as it is in `live`, once there is
/// one.
pub fn keep_live(mut desired: Attrs, ignored: &BTreeSet<Ignored>, live: Option<&Resource>) -> Attrs {
    if let Some(live) = live {
        for ignored in ignored {
            let attr = ignored.attr();
            let written = desired.remove(attr).map(DesiredValue::Known);
            // Known as written: known as kept.
            let kept = kept(ignored, written, &live.attrs).into_known();
            desired.insert(attr.to_owned(), kept.unwrap_or(Value::Null));
        }
    }
    desired
}

/// What the attribute `ignored` names is desired as, written `written`,
/// with `live` the resource's attributes: the live value of a whole
/// attribute; for one key of a map, the written map with that key as it is
/// live (or without it, where it is not).
fn kept(ignored: &Ignored, written: Option<DesiredValue>, live: &Attrs) -> DesiredValue {
    let live_value = |attr: &str| live.get(attr).cloned().unwrap_or(Value::Null);
    match ignored {
        Ignored::Whole(attr) => DesiredValue::Known(live_value(attr)),
        Ignored::Key { attr, key } => {
            let live_key = live
                .get(attr.as_str())
                .and_then(Value::as_map)
                .and_then(|m| m.get(key))
                .cloned();
            match written {
                Some(DesiredValue::Map(mut m)) => {
                    match live_key {
                        Some(v) => m.insert(key.clone(), DesiredValue::Known(v)),
                        None => m.remove(key),
                    };
                    DesiredValue::Map(m)
                }
                written => {
                    let mut m = match written {
                        Some(DesiredValue::Known(Value::Map(m))) => m,
                        _ => Default::default(),
                    };
                    match live_key {
                        Some(v) => m.insert(key.clone(), v),
                        None => m.remove(key),
                    };
                    DesiredValue::Known(Value::Map(m))
                }
            }
        }
    }
}

/// A scaled service's `desired_count` is the scaler's: the live one.
fn scaled(mut desired: Attrs, live: &Resource) -> Attrs {
    let autoscaled = desired
        .get("autoscaling")
        .and_then(Value::as_list)
        .is_some_and(|blocks| !blocks.is_empty());
    if autoscaled && let Some(count) = live.attrs.get("desired_count") {
        desired.insert("desired_count".to_owned(), count.clone());
    }
    desired
}

/// A task definition's images that a deploy owns: see the module's doc.
fn deployed(mut desired: Attrs, live: &Resource) -> Attrs {
    let Some(tag) = record(&live.attrs) else {
        return desired;
    };
    let recorded = parse(tag);
    let live_images = images(&live.attrs);
    let mut owned = false;
    if let Some(Value::List(containers)) = desired.get_mut("container") {
        for c in containers.iter_mut() {
            let Value::Map(c) = c else { continue };
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let configured = c.get("image").and_then(Value::as_str);
            if let (Some(was), Some(now)) = (recorded.get(&name), live_images.get(&name))
                && configured == Some(was.as_str())
            {
                c.insert("image".to_owned(), Value::from(now.as_str()));
                owned = true;
            }
        }
    }
    if owned && let Some(Value::Map(tags)) = desired.get_mut("tags") {
        tags.insert(DEPLOYED_TAG.to_owned(), Value::from(tag));
    }
    desired
}

/// Each container's image, by container name.
pub fn images(attrs: &Attrs) -> BTreeMap<String, String> {
    let Some(Value::List(containers)) = attrs.get("container") else {
        return BTreeMap::new();
    };
    containers
        .iter()
        .filter_map(|c| {
            let c = c.as_map()?;
            Some((
                c.get("name")?.as_str()?.to_owned(),
                c.get("image")?.as_str()?.to_owned(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn td(image: &str, tag: Option<&str>) -> Attrs {
        let container: BTreeMap<String, Value> = [
            ("name".to_owned(), Value::from("app")),
            ("image".to_owned(), Value::from(image)),
        ]
        .into();
        let tags: BTreeMap<String, Value> = tag
            .map(|t| (DEPLOYED_TAG.to_owned(), Value::from(t)))
            .into_iter()
            .collect();
        [
            ("container".to_owned(), Value::List(vec![Value::Map(container)])),
            ("tags".to_owned(), Value::Map(tags)),
        ]
        .into()
    }

    fn live(image: &str, tag: Option<&str>) -> Resource {
        Resource {
            address: Address::new(Kind::TaskDefinition, "web"),
            attrs: td(image, tag),
            created: None,
        }
    }

    #[test]
    fn a_deployed_image_is_desired_until_the_configuration_changes() {
        let address = Address::new(Kind::TaskDefinition, "web");
        let deployed = live("app:v2", Some("app=app:v1"));
        // The configuration still says v1: the deploy's v2 is desired.
        let out = apply(&address, td("app:v1", None), Some(&deployed));
        assert_eq!(out, td("app:v2", Some("app=app:v1")));
        // The configuration moved on to v3: it wins.
        let out = apply(&address, td("app:v3", None), Some(&deployed));
        assert_eq!(out, td("app:v3", None));
        // No deploy: nothing changes.
        let out = apply(&address, td("app:v1", None), Some(&live("app:v1", None)));
        assert_eq!(out, td("app:v1", None));
    }

    #[test]
    fn records_round_trip() {
        let pairs: BTreeMap<String, String> = [
            ("app".to_owned(), "repo/app:v1".to_owned()),
            ("sidecar".to_owned(), "envoy@sha256:ab".to_owned()),
        ]
        .into();
        assert_eq!(parse(&format(&pairs)), pairs);
    }
}
