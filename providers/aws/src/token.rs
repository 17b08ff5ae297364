//! Client tokens: what makes a create that takes one (ECS `clientToken`,
//! EC2 `ClientToken`) idempotent. Sending a create again with its token
//! gives back what the first sending made, so the adapter may retry such a
//! create after a lost answer.

use std::hash::{BuildHasher, Hasher, RandomState};

use berth_provider::Address;

/// Tokens of one provider: one random salt per run, so a create retried
/// within the run reuses its token and a later run (after a destroy, say)
/// never gets an answer meant for an earlier one.
#[derive(Debug)]
pub(crate) struct Tokens {
    salt: RandomState,
}

impl Tokens {
    pub fn new() -> Tokens {
        Tokens {
            salt: RandomState::new(),
        }
    }

    /// 32 hex digits for the create of `address` in `stack` (AWS allows
    /// 36 ASCII characters for ECS, 64 for EC2).
    pub fn for_create(&self, stack: &str, address: &Address) -> String {
        let half = |part: u8| {
            let mut h = self.salt.build_hasher();
            h.write(stack.as_bytes());
            h.write_u8(0);
            h.write(address.to_string().as_bytes());
            h.write_u8(part);
            h.finish()
        };
        format!("{:016x}{:016x}", half(1), half(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    #[test]
    fn stable_within_a_run_distinct_per_address_and_run() {
        let (a, b) = (Tokens::new(), Tokens::new());
        let svc = Address::new(Kind::Service, "web");
        let other = Address::new(Kind::Service, "api");
        assert_eq!(a.for_create("s", &svc), a.for_create("s", &svc));
        assert_eq!(a.for_create("s", &svc).len(), 32);
        assert_ne!(a.for_create("s", &svc), a.for_create("s", &other));
        assert_ne!(a.for_create("s", &svc), a.for_create("t", &svc));
        assert_ne!(a.for_create("s", &svc), b.for_create("s", &svc));
    }
}
