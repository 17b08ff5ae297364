//! The names the provider gives resources in AWS. Deterministic names
//! (`{stack}-{name}`, plus `-{key}` for `for_each` instances) for kinds that
//! are replaced destroy-before-create; a truncated prefix plus a random
//! suffix for load balancers and target groups, so that a replacement can
//! coexist with the resource it replaces.

use berth_provider::Address;
use fastrand::Rng;

use crate::ids;

/// `{stack}-{name}` or `{stack}-{name}-{key}`, unsanitised.
fn base(stack: &str, address: &Address) -> String {
    match &address.key {
        Some(key) => format!("{stack}-{}-{key}", address.name),
        None => format!("{stack}-{}", address.name),
    }
}

/// Replaces every character `allowed` rejects with `-` and cuts to `max`.
fn sanitise(text: &str, allowed: impl Fn(char) -> bool, max: usize) -> String {
    text.chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .take(max)
        .collect()
}

/// ECS cluster, service and task-definition family names: letters, digits,
/// `-` and `_`, at most 255.
pub(crate) fn ecs(stack: &str, address: &Address) -> String {
    sanitise(
        &base(stack, address),
        |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        255,
    )
}

/// IAM role names: letters, digits and `+=,.@_-`, at most 64.
pub(crate) fn role(stack: &str, address: &Address) -> String {
    sanitise(
        &base(stack, address),
        |c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c),
        64,
    )
}

/// Log group names: `/ecs/{stack}/{name}` (plus `-{key}`); letters, digits
/// and `._-/#`, at most 512.
pub(crate) fn log_group(stack: &str, address: &Address) -> String {
    let name = match &address.key {
        Some(key) => format!("/ecs/{stack}/{}-{key}", address.name),
        None => format!("/ecs/{stack}/{}", address.name),
    };
    sanitise(&name, |c| c.is_ascii_alphanumeric() || "._-/#".contains(c), 512)
}

/// Load balancer and target group names: at most 32 letters, digits and
/// hyphens, not starting or ending with a hyphen: a prefix of
/// `{stack}-{name}` cut to 25 characters, `-` and 6 random hex digits.
pub(crate) fn elb(rng: &mut Rng, stack: &str, address: &Address) -> String {
    let mut prefix = String::new();
    for c in base(stack, address).chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if c == '-' && (prefix.is_empty() || prefix.ends_with('-')) {
            continue;
        }
        prefix.push(c);
    }
    // AWS reserves names starting with `internal-`.
    if prefix.starts_with("internal-") {
        prefix.replace_range(..9, "int-");
    }
    prefix.truncate(25);
    let prefix = prefix.trim_end_matches('-');
    let prefix = if prefix.is_empty() { "berth" } else { prefix };
    format!("{prefix}-{}", ids::hex(rng, 6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    #[test]
    fn deterministic_names_are_sanitised() {
        let a = Address::with_key(Kind::Cluster, "web", "us-east-1a");
        assert_eq!(ecs("blog-dev", &a), "blog-dev-web-us-east-1a");
        let odd = Address::with_key(Kind::Role, "exec", "a b/c");
        assert_eq!(role("s", &odd), "s-exec-a-b-c");
        assert_eq!(
            log_group("blog", &Address::new(Kind::LogGroup, "login")),
            "/ecs/blog/login"
        );
        let long = Address::new(Kind::Role, "x".repeat(100));
        assert_eq!(role("s", &long).len(), 64);
    }

    #[test]
    fn elb_names_fit_aws_rules() {
        let mut rng = Rng::with_seed(1);
        let addr = Address::new(Kind::LoadBalancer, "a_very_long_load_balancer_name");
        let name = elb(&mut rng, "--blog--production", &addr);
        assert!(name.len() <= 32, "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        assert!(
            !name.starts_with('-') && !name.ends_with('-') && !name.contains("--"),
            "{name}"
        );
        assert_ne!(name, elb(&mut rng, "--blog--production", &addr));
        let internal = elb(&mut rng, "internal", &Address::new(Kind::TargetGroup, "x"));
        assert!(!internal.starts_with("internal-"), "{internal}");
    }
}
