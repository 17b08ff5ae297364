//! The names berth gives resources in AWS: the same scheme as the local
//! provider (`providers/local/src/naming.rs`, duplicated here until the two
//! share a module). Deterministic `{stack}-{name}[-{key}]` for clusters,
//! services, roles and task-definition families, `/ecs/{stack}/{name}` for
//! log groups, and a prefix plus 6 random hex digits (at most 32 characters)
//! for load balancers and target groups, so a replacement can coexist with
//! the resource it replaces.

use berth_provider::Address;

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

fn ecs_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// ECS cluster, service and task-definition family names: letters, digits,
/// `-` and `_`, at most 255.
pub(crate) fn ecs(stack: &str, address: &Address) -> String {
    sanitise(&base(stack, address), ecs_char, 255)
}

/// The prefix every task-definition family of `stack` starts with.
pub(crate) fn family_prefix(stack: &str) -> String {
    sanitise(&format!("{stack}-"), ecs_char, 255)
}

/// IAM role names: letters, digits and `+=,.@_-`, at most 64.
pub(crate) fn role(stack: &str, address: &Address) -> String {
    sanitise(
        &base(stack, address),
        |c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c),
        64,
    )
}

fn log_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-/#".contains(c)
}

/// Log group names: `/ecs/{stack}/{name}` (plus `-{key}`); letters, digits
/// and `._-/#`, at most 512.
pub(crate) fn log_group(stack: &str, address: &Address) -> String {
    let name = match &address.key {
        Some(key) => format!("/ecs/{stack}/{}-{key}", address.name),
        None => format!("/ecs/{stack}/{}", address.name),
    };
    sanitise(&name, log_char, 512)
}

/// The prefix every log group of `stack` starts with.
pub(crate) fn log_group_prefix(stack: &str) -> String {
    sanitise(&format!("/ecs/{stack}/"), log_char, 512)
}

/// Load balancer and target group names: at most 32 letters, digits and
/// hyphens, not starting or ending with a hyphen: a prefix of
/// `{stack}-{name}` cut to 25 characters, `-` and 6 random hex digits.
pub(crate) fn elb(stack: &str, address: &Address) -> String {
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
    format!("{prefix}-{:06x}", fastrand::u32(0..0x100_0000))
}

/// Security group names: unique within a VPC, so `{stack}-{name}[-{key}]`
/// plus 6 random hex digits lets a replacement coexist; at most 255.
pub(crate) fn security_group(stack: &str, address: &Address) -> String {
    let base = sanitise(
        &base(stack, address),
        |c| c.is_ascii_alphanumeric() || "._-".contains(c),
        240,
    );
    format!("{base}-{:06x}", fastrand::u32(0..0x100_0000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    #[test]
    fn names_follow_the_local_scheme() {
        let a = Address::with_key(Kind::Cluster, "web", "us-east-1a");
        assert_eq!(ecs("blog-dev", &a), "blog-dev-web-us-east-1a");
        assert_eq!(
            role("s", &Address::with_key(Kind::Role, "exec", "a b/c")),
            "s-exec-a-b-c"
        );
        assert_eq!(
            log_group("blog", &Address::new(Kind::LogGroup, "login")),
            "/ecs/blog/login"
        );
        assert_eq!(log_group_prefix("blog"), "/ecs/blog/");
        assert_eq!(family_prefix("blog dev"), "blog-dev-");
        let name = elb(
            "--blog--production",
            &Address::new(Kind::LoadBalancer, "a_very_long_name_indeed"),
        );
        assert!(
            name.len() <= 32 && !name.starts_with('-') && !name.contains("--"),
            "{name}"
        );
        assert!(!elb("internal", &Address::new(Kind::TargetGroup, "x")).starts_with("internal-"));
    }
}
