//! Two live resources with one address (a crash mid-create, an old bug, a
//! hand copy): which one berth keeps, and why. Never a guess the plan does
//! not show: the plan deletes the others, naming both copies.

use std::collections::BTreeMap;

use berth_provider::{Address, Resource, Value};

use crate::plan::{Duplicate, KeepReason};

/// Which live resource uses each id, ARN or name: every string value
/// anywhere in a resource's attributes but its own identity, to the first
/// address holding it.
pub(crate) fn users(live: &[Resource]) -> BTreeMap<String, Address> {
    fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::List(items) => items.iter().for_each(|i| strings(i, out)),
            Value::Map(m) => m.values().for_each(|i| strings(i, out)),
            _ => {}
        }
    }
    let mut index = BTreeMap::new();
    for r in live {
        let mut found = Vec::new();
        r.attrs.values().for_each(|v| strings(v, &mut found));
        let own = identity(r);
        for s in found.into_iter().filter(|s| *s != own) {
            index.entry(s.to_owned()).or_insert_with(|| r.address.clone());
        }
    }
    index
}

/// The identity value (id or ARN) of a live resource.
pub(crate) fn identity(r: &Resource) -> String {
    let field = r.address.kind.schema().identity;
    r.attrs
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// How a live copy compares with the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Fit {
    /// Whether keeping it means replacing it.
    pub replaced: bool,
    /// How many attributes differ.
    pub differences: usize,
}

/// Splits `copies` (one address, at least one) into the one to keep and
/// the others, each with what the plan says about it. Kept: one that
/// needs no replacement when others do (what an interrupted replacement
/// left: its new copy, already as configured; keeping the old one would
/// replace it again), then the one another resource uses, else the oldest
/// when the cloud tells creation times, else the one closest to the
/// configuration (`fit`).
pub(crate) fn choose(
    mut copies: Vec<Resource>,
    users: &BTreeMap<String, Address>,
    fit: impl Fn(&Resource) -> Fit,
) -> (Option<Resource>, Vec<(Resource, Duplicate)>) {
    if copies.len() < 2 {
        return (copies.pop(), Vec::new());
    }
    let used_by = |r: &Resource| users.get(&identity(r)).filter(|a| **a != r.address).cloned();
    let all_dated = copies.iter().all(|c| c.created.is_some());
    // Sort keys: not replaced first, then used, then oldest (RFC 3339
    // sorts as text), then closest; the address's id breaks ties, so the
    // choice is stable. Deleting a used copy is safe: its delete waits
    // for its users to move to the kept one (`order`).
    copies.sort_by_cached_key(|c| {
        let fit = fit(c);
        (
            fit.replaced,
            used_by(c).is_none(),
            if all_dated { c.created.clone() } else { None },
            fit.differences,
            identity(c),
        )
    });
    let mut copies = copies.into_iter();
    let Some(kept) = copies.next() else {
        return (None, Vec::new());
    };
    let rest: Vec<Resource> = copies.collect();
    let reason = match used_by(&kept) {
        Some(address) => KeepReason::UsedBy { address },
        // Kept unused while another copy is used: by the sort, that one
        // would be replaced and this one not.
        None => match rest.iter().find_map(used_by) {
            Some(used_by) => KeepReason::FinishesReplacement { used_by },
            None if all_dated => KeepReason::Oldest,
            None => KeepReason::ClosestToConfiguration,
        },
    };
    let others = rest
        .into_iter()
        .map(|c| {
            let dup = Duplicate {
                id: identity(&c),
                created: c.created.clone(),
                kept_id: identity(&kept),
                kept_created: kept.created.clone(),
                reason: reason.clone(),
            };
            (c, dup)
        })
        .collect();
    (Some(kept), others)
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    fn vpc(id: &str, created: Option<&str>) -> Resource {
        Resource {
            address: Address::new(Kind::Vpc, "main"),
            attrs: [("id".to_owned(), Value::from(id))].into(),
            created: created.map(str::to_owned),
        }
    }

    fn subnet_in(vpc: &str) -> Resource {
        Resource {
            address: Address::new(Kind::Subnet, "a"),
            attrs: [
                ("id".to_owned(), Value::from("subnet-1")),
                ("vpc".to_owned(), Value::from(vpc)),
            ]
            .into(),
            created: None,
        }
    }

    const EXACT: Fit = Fit {
        replaced: false,
        differences: 0,
    };

    #[test]
    fn keeps_the_copy_in_use_then_the_oldest_then_the_closest() {
        let a = vpc("vpc-a", Some("2026-01-02T00:00:00Z"));
        let b = vpc("vpc-b", Some("2026-01-01T00:00:00Z"));
        let live = [a.clone(), b.clone(), subnet_in("vpc-a")];
        let (kept, others) = choose(vec![a.clone(), b.clone()], &users(&live), |_| EXACT);
        assert_eq!(kept.map(|k| identity(&k)).as_deref(), Some("vpc-a"));
        assert_eq!(others.len(), 1);
        assert_eq!(others[0].1.id, "vpc-b");
        assert_eq!(
            others[0].1.reason,
            KeepReason::UsedBy {
                address: Address::new(Kind::Subnet, "a")
            }
        );

        let (kept, others) = choose(
            vec![a.clone(), b.clone()],
            &users(&[a.clone(), b.clone()]),
            |_| EXACT,
        );
        assert_eq!(kept.map(|k| identity(&k)).as_deref(), Some("vpc-b"));
        assert_eq!(others[0].1.reason, KeepReason::Oldest);
        assert_eq!(others[0].1.kept_created.as_deref(), Some("2026-01-01T00:00:00Z"));

        let (c, d) = (vpc("vpc-c", None), vpc("vpc-d", None));
        let far = |r: &Resource| Fit {
            replaced: false,
            differences: usize::from(identity(r) == "vpc-c"),
        };
        let (kept, others) = choose(vec![c, d], &BTreeMap::new(), far);
        assert_eq!(kept.map(|k| identity(&k)).as_deref(), Some("vpc-d"));
        assert_eq!(others[0].1.reason, KeepReason::ClosestToConfiguration);
    }

    /// Killed after a create-before-destroy replacement's create: the new
    /// copy is as configured, the old one (still used) would be replaced
    /// again. The plan keeps the new one and deletes the old.
    #[test]
    fn keeps_the_copy_an_interrupted_replacement_made() {
        let old = vpc("vpc-old", Some("2026-01-01T00:00:00Z"));
        let new = vpc("vpc-new", Some("2026-01-02T00:00:00Z"));
        let live = [old.clone(), new.clone(), subnet_in("vpc-old")];
        let fit = |r: &Resource| Fit {
            replaced: identity(r) == "vpc-old",
            differences: 1,
        };
        let (kept, others) = choose(vec![old.clone(), new.clone()], &users(&live), fit);
        assert_eq!(kept.map(|k| identity(&k)).as_deref(), Some("vpc-new"));
        assert_eq!(others[0].1.id, "vpc-old");
        assert_eq!(
            others[0].1.reason,
            KeepReason::FinishesReplacement {
                used_by: Address::new(Kind::Subnet, "a")
            }
        );

        // Both would be replaced: the one in use stays, as before.
        let (kept, _) = choose(vec![old, new], &users(&live), |_| Fit {
            replaced: true,
            differences: 1,
        });
        assert_eq!(kept.map(|k| identity(&k)).as_deref(), Some("vpc-old"));
    }
}
