//! Client tokens: what makes a create that takes one (ECS `clientToken`,
//! EC2 `ClientToken`) idempotent. Sending a create again with its token
//! gives back what the first sending made, so the adapter may retry such a
//! create after a lost answer.

use berth_provider::{Address, naming};

/// Tokens of one provider: [`naming::client_token`] with a random salt per
/// run among its parts, so a create retried within the run reuses its
/// token and a later run (after a destroy, say) never gets an answer meant
/// for an earlier one.
#[derive(Debug)]
pub(crate) struct Tokens {
    salt: String,
}

impl Tokens {
    pub fn new() -> Tokens {
        Tokens {
            salt: format!("{:016x}", fastrand::u64(..)),
        }
    }

    /// The token for the create of `address` in `stack` with request
    /// `parts` (a replacement's new subnet differs from the old one's).
    pub fn for_create(&self, stack: &str, address: &Address, parts: &[&str]) -> String {
        let mut all = vec![self.salt.as_str()];
        all.extend_from_slice(parts);
        naming::client_token(stack, address, &all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    #[test]
    fn stable_within_a_run_distinct_per_address_parts_and_run() {
        let (a, b) = (Tokens::new(), Tokens::new());
        let svc = Address::new(Kind::Service, "web");
        let other = Address::new(Kind::Service, "api");
        assert_eq!(a.for_create("s", &svc, &[]), a.for_create("s", &svc, &[]));
        assert!(a.for_create("s", &svc, &[]).len() <= 36, "ECS allows 36");
        assert_ne!(a.for_create("s", &svc, &[]), a.for_create("s", &other, &[]));
        assert_ne!(a.for_create("s", &svc, &[]), a.for_create("t", &svc, &[]));
        assert_ne!(a.for_create("s", &svc, &["x"]), a.for_create("s", &svc, &["y"]));
        assert_ne!(a.for_create("s", &svc, &[]), b.for_create("s", &svc, &[]));
    }
}
