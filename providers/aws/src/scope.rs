//! Which resources a reader returns: a stack's, found by their tags, or
//! the one resource `berth import` adopts, found by its id whatever its
//! tags. Both go through the same per-kind reader, so an adopted resource
//! reads exactly as the stack's resources do.

use std::sync::Mutex;

use berth_provider::adopt::Owner;
use berth_provider::{Address, Kind};

use crate::attrs::owned;

/// What a reader looks for.
pub(crate) enum Scope<'a> {
    /// Every resource tagged with this stack, at its tagged address.
    Stack(&'a str),
    /// The resource AWS knows by an id, at the address it is adopted to.
    One(&'a One),
}

/// The resource `berth import` reads, and the berth tags the reader saw
/// on it.
pub(crate) struct One {
    pub id: String,
    pub address: Address,
    owner: Mutex<Option<Owner>>,
}

impl One {
    pub fn new(address: &Address, id: &str) -> One {
        One {
            id: id.to_owned(),
            address: address.clone(),
            owner: Mutex::new(None),
        }
    }

    /// berth's tags on the resource read, if it carries any.
    pub fn owner(&self) -> Option<Owner> {
        self.owner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Scope<'_> {
    /// The address a resource of `kind` with `tags` is read at, or `None`
    /// when it is not one this scope looks for.
    pub fn address<'t>(
        &self,
        kind: Kind,
        tags: impl IntoIterator<Item = (&'t str, &'t str)>,
    ) -> Option<Address> {
        match self {
            Scope::Stack(stack) => owned(stack, kind, tags),
            Scope::One(one) => {
                *one.owner.lock().unwrap_or_else(|p| p.into_inner()) = Owner::of(tags);
                Some(one.address.clone())
            }
        }
    }

    /// The id looked for, when reading one resource.
    pub fn id(&self) -> Option<&str> {
        match self {
            Scope::Stack(_) => None,
            Scope::One(one) => Some(&one.id),
        }
    }
}
