//! Parents berth does not own. A reference-typed attribute may hold a
//! literal id, ARN or name instead of a reference (a listener on another
//! stack's load balancer, a service in a cluster made in the console); the
//! cloud lists the stack's children of such parents only under them, so
//! reading the stack needs to know them.

use std::collections::BTreeSet;

use berth_lang::Stack;
use berth_provider::External;
use berth_provider::schema::Type;

/// The resources the stack's configuration names by literal id, ARN or name
/// where a reference could stand, each once.
pub fn parents(stack: &Stack) -> Vec<External> {
    let mut out = BTreeSet::new();
    for resource in &stack.resources {
        for attr in resource.kind().schema().attrs {
            if let Type::Ref(kind) = attr.ty
                && let Some(id) = resource.body.known(attr.name).and_then(|v| v.as_str())
                && !id.is_empty()
            {
                out.insert(External {
                    kind,
                    id: id.to_owned(),
                });
            }
        }
    }
    out.into_iter().collect()
}
