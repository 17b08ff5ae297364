//! Elastic Load Balancing's rules that validate, the local cloud and the
//! AWS adapter share: which protocols and attributes belong to an
//! Application Load Balancer and which to a Network Load Balancer.
//!
//! Protocols are compared in AWS's case (upper); load balancer types in
//! theirs (lower).

/// `type` of a Network Load Balancer.
pub const NETWORK: &str = "network";

/// Listener and target group protocols of an Application Load Balancer.
pub const HTTP_PROTOCOLS: &[&str] = &["HTTP", "HTTPS"];

/// Listener and target group protocols of a Network Load Balancer.
pub const NETWORK_PROTOCOLS: &[&str] = &["TCP", "UDP", "TCP_UDP", "TLS"];

/// Health check protocols of a Network Load Balancer's target group (an
/// Application Load Balancer's take `HTTP` and `HTTPS`).
pub const NETWORK_HEALTH_CHECK_PROTOCOLS: &[&str] = &["TCP", "HTTP", "HTTPS"];

/// Load balancer attributes only an Application Load Balancer has.
pub const APPLICATION_ONLY: &[&str] = &[
    "idle_timeout",
    "drop_invalid_header_fields",
    "http2",
    "desync_mitigation_mode",
    "preserve_host_header",
    "xff_header_processing",
    "client_keep_alive",
    "waf_fail_open",
    "connection_logs",
    "connection_logs_bucket",
    "connection_logs_prefix",
];

/// Load balancer attributes only a Network Load Balancer has.
pub const NETWORK_ONLY: &[&str] = &["cross_zone"];

/// Target group attributes only an HTTP or HTTPS group has.
pub const HTTP_GROUP_ONLY: &[&str] = &["slow_start", "algorithm", "stickiness", "protocol_version"];

/// Target group attributes only a TCP, UDP, TCP_UDP or TLS group has.
pub const NETWORK_GROUP_ONLY: &[&str] = &[
    "proxy_protocol_v2",
    "preserve_client_ip",
    "connection_termination",
];

/// Whether a Network Load Balancer's target group of `target_type` and
/// `protocol` keeps clients' addresses when none is said: instances and
/// UDP or TCP_UDP groups do, IP targets of TCP and TLS groups do not.
pub fn preserves_client_ip(target_type: &str, protocol: &str) -> bool {
    target_type.eq_ignore_ascii_case("instance")
        || matches!(protocol.to_ascii_uppercase().as_str(), "UDP" | "TCP_UDP")
}

/// The ALPN policies of a TLS listener.
pub const ALPN_POLICIES: &[&str] = &[
    "HTTP1Only",
    "HTTP2Only",
    "HTTP2Optional",
    "HTTP2Preferred",
    "None",
];

/// Whether `protocol` is a listener or target group protocol of either
/// type.
pub fn is_protocol(protocol: &str) -> bool {
    is_network_protocol(protocol) || HTTP_PROTOCOLS.iter().any(|p| p.eq_ignore_ascii_case(protocol))
}

/// Whether `protocol` (a listener's or a target group's) is a Network
/// Load Balancer's.
pub fn is_network_protocol(protocol: &str) -> bool {
    NETWORK_PROTOCOLS.iter().any(|p| p.eq_ignore_ascii_case(protocol))
}

/// Whether a load balancer of `type` (`application` when none) has the
/// attribute `name`.
pub fn load_balancer_has(lb_type: Option<&str>, name: &str) -> bool {
    let network = lb_type.is_some_and(|t| t.eq_ignore_ascii_case(NETWORK));
    let other_only = if network { APPLICATION_ONLY } else { NETWORK_ONLY };
    !other_only.contains(&name)
}

/// Whether a target group speaking `protocol` has the attribute `name`.
pub fn target_group_has(protocol: &str, name: &str) -> bool {
    let other_only = if is_network_protocol(protocol) {
        HTTP_GROUP_ONLY
    } else {
        NETWORK_GROUP_ONLY
    };
    !other_only.contains(&name)
}

/// The health check protocol AWS uses when none is given: `TCP` for a
/// Network Load Balancer's target group, `HTTP` for the others.
pub fn default_health_check_protocol(group_protocol: &str) -> &'static str {
    if is_network_protocol(group_protocol) {
        "TCP"
    } else {
        "HTTP"
    }
}

/// Whether a listener of `listener` protocol can forward to a target group
/// of `group` protocol (AWS's pairs: TCP to TCP or TCP_UDP, TLS to TCP or
/// TLS, UDP to UDP or TCP_UDP, TCP_UDP to TCP_UDP, HTTP and HTTPS to HTTP
/// or HTTPS).
pub fn forwards_to(listener: &str, group: &str) -> bool {
    let l = listener.to_ascii_uppercase();
    let g = group.to_ascii_uppercase();
    match l.as_str() {
        "TCP" => matches!(g.as_str(), "TCP" | "TCP_UDP"),
        "TLS" => matches!(g.as_str(), "TCP" | "TLS"),
        "UDP" => matches!(g.as_str(), "UDP" | "TCP_UDP"),
        "TCP_UDP" => g == "TCP_UDP",
        _ => HTTP_PROTOCOLS.contains(&g.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_belong_to_their_type() {
        assert!(load_balancer_has(None, "idle_timeout"));
        assert!(!load_balancer_has(None, "cross_zone"));
        assert!(!load_balancer_has(Some("network"), "idle_timeout"));
        assert!(load_balancer_has(Some("NETWORK"), "cross_zone"));
        assert!(load_balancer_has(Some("network"), "deletion_protection"));
        assert!(!target_group_has("tcp", "slow_start"));
        assert!(target_group_has("TCP", "proxy_protocol_v2"));
        assert!(!target_group_has("HTTP", "proxy_protocol_v2"));
        assert!(target_group_has("HTTP", "deregistration_delay"));
    }

    #[test]
    fn listeners_forward_to_groups_of_their_family() {
        assert!(forwards_to("TCP", "TCP_UDP"));
        assert!(forwards_to("tls", "tcp"));
        assert!(!forwards_to("UDP", "TCP"));
        assert!(!forwards_to("HTTP", "TCP"));
        assert!(!forwards_to("TCP", "HTTP"));
        assert!(forwards_to("HTTPS", "HTTP"));
        assert_eq!(default_health_check_protocol("udp"), "TCP");
        assert_eq!(default_health_check_protocol("HTTPS"), "HTTP");
    }
}
