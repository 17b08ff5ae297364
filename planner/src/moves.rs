//! `moved { from  to }` blocks: a live resource found at a block's old
//! address is planned at its new one (compared with its new block, not
//! destroyed and made again), and apply tags it with the new address
//! before anything else touches it.

use std::collections::BTreeMap;

use berth_lang::{Move, Stack};
use berth_provider::{Address, Resource};

/// Gives the live resources `stack`'s moves name their new addresses;
/// returns each moved one's original address, by new address. A move
/// whose new address already has a live resource, or names no declared
/// instance, is left alone (done already, or not meant yet).
pub fn apply(stack: &Stack, live: &mut [Resource]) -> BTreeMap<Address, Address> {
    let mut moved: BTreeMap<Address, Address> = BTreeMap::new();
    for m in &stack.moves {
        let targets: Vec<(usize, Address)> = live
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, destination(m, &r.address)?)))
            .collect();
        for (i, to) in targets {
            if stack.resource(&to).is_none() || live.iter().any(|r| r.address == to) {
                continue;
            }
            let from = std::mem::replace(&mut live[i].address, to.clone());
            // Moved twice (a to b, b to c): from where it was first.
            let first = moved.remove(&from).unwrap_or(from);
            moved.insert(to, first);
        }
    }
    moved
}

/// Where `m` moves the resource at `at`: every instance under its key
/// when neither address has a key, else the one address named.
fn destination(m: &Move, at: &Address) -> Option<Address> {
    match (&m.from.key, &m.to.key) {
        (None, None) if at.kind == m.from.kind && at.name == m.from.name => Some(Address {
            kind: m.to.kind,
            name: m.to.name.clone(),
            key: at.key.clone(),
        }),
        _ if *at == m.from => Some(m.to.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    fn mv(from: Address, to: Address) -> Move {
        Move { from, to }
    }

    #[test]
    fn a_whole_block_moves_every_instance_under_its_key_and_one_address_moves_alone() {
        let whole = mv(Address::new(Kind::Subnet, "a"), Address::new(Kind::Subnet, "b"));
        let keyed = Address::with_key(Kind::Subnet, "a", "x");
        assert_eq!(
            destination(&whole, &keyed),
            Some(Address::with_key(Kind::Subnet, "b", "x"))
        );
        let into = mv(
            Address::new(Kind::Subnet, "a"),
            Address::with_key(Kind::Subnet, "a", "x"),
        );
        assert_eq!(
            destination(&into, &Address::new(Kind::Subnet, "a")),
            Some(Address::with_key(Kind::Subnet, "a", "x"))
        );
        assert_eq!(destination(&into, &keyed), None);
        assert_eq!(destination(&whole, &Address::new(Kind::Vpc, "a")), None);
    }
}
