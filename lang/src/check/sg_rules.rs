//! Security group rules as EC2 takes them: a protocol, then ports whose
//! meaning depends on it (a port range for TCP and UDP, the ICMP type and
//! code for ICMP, nothing for all traffic), and one source or destination.

use berth_provider::Value;
use berth_provider::schema::RULE_SOURCES;

use super::domain::int;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredValue};

/// What a rule's `protocol` names, once AWS has lower-cased it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// TCP or UDP: ports 0 to 65535, `from_port <= to_port`.
    Ported,
    /// ICMP: `from_port` is the type, `to_port` the code, each -1 (all) to 255.
    Icmp,
    /// `-1`: every protocol and port.
    All,
}

/// Checks a `security_group_rule` as the group's `ingress` or `egress`
/// block its `type` names (E0521 for another type).
pub fn standalone(r: &crate::stack::DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let Some(d) = super::domain::unknown_value(&r.body, "type", "rule type", &["ingress", "egress"]) {
        diags.push(d);
        return;
    }
    let direction = match r.body.known("type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("egress") => "egress",
        _ => "ingress",
    };
    check(direction, &super::rules::as_block(r), diags);
}

/// Whether the rule `b` (a `security_group_rule`) lets all traffic out to
/// anywhere in IPv4: AWS's default egress rule.
fn allows_all_out(b: &crate::stack::DesiredBody) -> bool {
    let egress = b
        .known("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("egress"));
    let all = match b.known("protocol") {
        Some(Value::String(p)) => p == "-1" || p.eq_ignore_ascii_case("all"),
        Some(Value::Int(n)) => *n == -1,
        _ => false,
    };
    egress && all && b.known("cidr").and_then(Value::as_str) == Some("0.0.0.0/0")
}

/// Terraform drops AWS's default egress rule from every group it makes,
/// so modules add it back as a rule of its own (cloudposse's
/// `allow_all_egress`, terraform-aws-modules' `egress_all` among a map of
/// rules): a group of the stack without `egress` blocks or
/// `default_egress` that such a rule is on is read as Terraform's,
/// `default_egress = false`, so the rule is its one egress rule, not a
/// duplicate of AWS's (E0639 when the group says it keeps the default).
pub fn default_egress_dropped(stack: &mut crate::stack::Stack) {
    let_out_only_rules(stack, |r| allows_all_out(&r.body));
}

/// Each group of the stack without `egress` blocks or `default_egress`
/// that a `security_group_rule` `pick` accepts is on: `default_egress =
/// false`.
fn let_out_only_rules(
    stack: &mut crate::stack::Stack,
    pick: impl Fn(&crate::stack::DesiredResource) -> bool,
) {
    let groups: std::collections::BTreeSet<berth_provider::Address> = stack
        .resources
        .iter()
        .filter(|r| r.kind() == berth_provider::Kind::SecurityGroupRule && pick(r))
        .filter_map(|r| match r.body.value("security_group") {
            Some(DesiredValue::Ref(t)) if t.address.kind == berth_provider::Kind::SecurityGroup => {
                Some(t.address.clone())
            }
            _ => None,
        })
        .collect();
    for group in stack.resources.iter_mut().filter(|r| groups.contains(&r.address)) {
        if group.body.blocks("egress").is_empty() && group.body.value("default_egress").is_none() {
            let no = crate::source::Spanned::new(DesiredValue::Known(Value::Bool(false)), group.span);
            group.body.attrs.insert("default_egress".into(), no);
        }
    }
}

/// Terraform's group lets out only its rules (AWS's allow-all rule is
/// revoked; the alb module's group lets out to its VPC alone, CDK's load
/// balancer group to its targets alone): a group of the stack without
/// `egress` blocks or `default_egress` that a Terraform egress rule is on
/// (`vpc_security_group_egress_rule`, or a `security_group_rule` naming
/// its `security_group_id`) is `default_egress = false`. Read once
/// evaluated, however the rule names the group (a local, a module's
/// inputs merged over its defaults by a `for`, as totallymoney's shared
/// load balancer group reaches each service's rule). Kept, AWS's rule
/// would widen the group silently.
pub fn terraform_groups_let_out_only_their_rules(
    stack: &mut crate::stack::Stack,
    module: &crate::check::declare::Module<'_>,
    sources: &crate::source::Sources,
) {
    let terraform_rule = |r: &crate::stack::DesiredResource| {
        module
            .resources
            .get(&(r.kind(), r.address.name.clone()))
            .is_some_and(|decl| names_group_as_terraform(decl.block, sources))
    };
    let egress = |r: &crate::stack::DesiredResource| {
        r.body
            .known("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("egress"))
    };
    let_out_only_rules(stack, |r| egress(r) && terraform_rule(r));
}

/// Whether the rule `block` names its group as Terraform does, by
/// `security_group_id` as written (`aws_security_group_rule`,
/// `vpc_security_group_egress_rule`), whatever berth reads it as.
fn names_group_as_terraform(block: &crate::syntax::ast::Block, sources: &crate::source::Sources) -> bool {
    block.body.iter().any(|item| {
        matches!(item, crate::syntax::ast::Item::Attribute(a)
            if a.name.name == "security_group" && sources.text(a.name.span) == "security_group_id")
    })
}

/// E0639 for an egress `security_group_rule` letting all traffic out to
/// anywhere on a stack's `group` that says it keeps AWS's default rule
/// (`default_egress = true` beside no `egress` blocks): that rule is this
/// one, and AWS refuses it (InvalidPermission.Duplicate).
pub fn duplicates_default(
    group: Option<&crate::stack::DesiredResource>,
    r: &crate::stack::DesiredResource,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(group) = group else { return };
    let keeps_default = group.body.blocks("egress").is_empty()
        && group.body.known("default_egress").and_then(Value::as_bool) != Some(false);
    if allows_all_out(&r.body) && keeps_default {
        let name = &group.address;
        diags.push(
            Diagnostic::error(
                "E0639",
                format!("this is AWS's default egress rule, which {name} keeps"),
                r.body.span("cidr").unwrap_or(r.span),
            )
            .label("all traffic to anywhere, already on the group")
            .help(format!(
                "set `default_egress = false` on {name} (as a Terraform group drops AWS's default rule), or leave this rule out"
            )),
        );
    }
}

/// E0651 for two `security_group_rule`s that are one rule to EC2: the
/// same group, direction, protocol, ports and source (their descriptions
/// aside). EC2 refuses the second (InvalidPermission.Duplicate) and every
/// later apply tries it again (trussworks's health-check rule when the
/// health-check port is the container's).
pub fn twins(stack: &crate::stack::Stack, diags: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::BTreeMap<String, &crate::stack::DesiredResource> =
        std::collections::BTreeMap::new();
    let rules = stack
        .resources
        .iter()
        .filter(|r| r.kind() == berth_provider::Kind::SecurityGroupRule);
    for r in rules {
        let Some(key) = rule_key(&r.body) else { continue };
        match seen.get(&key) {
            Some(first) => diags.push(
                Diagnostic::error(
                    "E0651",
                    format!("{} is the same rule as {}", r.address, first.address),
                    r.span,
                )
                .label("same group, direction, protocol, ports and source")
                .help("EC2 keeps one rule for both (InvalidPermission.Duplicate): leave one out, or merge their descriptions"),
            ),
            None => {
                seen.insert(key, r);
            }
        }
    }
}

/// What makes a rule one to EC2, once every part is known: the group,
/// direction, protocol (lower case; `-1` for all), ports and source.
fn rule_key(b: &crate::stack::DesiredBody) -> Option<String> {
    let text = |name: &str| -> Option<String> {
        match b.value(name) {
            None | Some(DesiredValue::Known(Value::Null)) => Some(String::new()),
            Some(DesiredValue::Known(Value::String(s))) => Some(s.to_ascii_lowercase()),
            Some(DesiredValue::Known(v)) => Some(v.to_string()),
            Some(DesiredValue::Ref(r)) => Some(r.to_string()),
            Some(_) => None,
        }
    };
    let protocol = match text("protocol")?.as_str() {
        "all" => "-1".to_owned(),
        "" => "tcp".to_owned(),
        p => p.to_owned(),
    };
    // `port` is both ends; all traffic has no ports.
    let (from, to) = match (protocol.as_str(), text("port")?) {
        ("-1", _) => (String::new(), String::new()),
        (_, port) if !port.is_empty() => (port.clone(), port),
        _ => (text("from_port")?, text("to_port")?),
    };
    let mut key = vec![text("security_group")?, text("type")?, protocol, from, to];
    for source in RULE_SOURCES {
        key.push(text(source)?);
    }
    Some(key.join("\u{0}"))
}

/// Checks one `ingress` or `egress` block.
pub fn check(direction: &str, rule: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    let b = &rule.body;
    let has = |n: &str| b.value(n).is_some_and(|v| *v != DesiredValue::Known(Value::Null));
    // A number as CloudFormation writes it unquoted (`IpProtocol: -1`) is
    // the same protocol as its string.
    let written = match b.known("protocol") {
        Some(Value::String(p)) => Some(p.clone()),
        Some(Value::Int(n)) => Some(n.to_string()),
        _ => None,
    };
    let protocol = match written {
        Some(p) => match protocol(&p, b.span("protocol"), diags) {
            Some(p) => p,
            None => return,
        },
        // Left out (`tcp`), or known only at apply.
        _ => Protocol::Ported,
    };
    let sources = RULE_SOURCES.into_iter().filter(|s| has(s)).count();
    if sources != 1 {
        diags.push(
            Diagnostic::error(
                "E0512",
                format!("an {direction} rule needs exactly one of `cidr`, `from` and `prefix_list`"),
                rule.span,
            )
            .label(if sources == 0 {
                "none given".to_owned()
            } else {
                format!("{sources} given")
            })
            .help("`cidr = \"0.0.0.0/0\"` for an address range, `from = security_group.NAME` for a group, `prefix_list = \"pl-...\"` for a managed prefix list"),
        );
    }
    if let Some(Value::String(list)) = b.known("prefix_list")
        && !list.starts_with("pl-")
    {
        // A list's name (AWS's are `com.amazonaws.*`) is what a lookup takes.
        let name = if list.contains('.') {
            list.as_str()
        } else {
            "com.amazonaws.global.cloudfront.origin-facing"
        };
        diags.push(
            Diagnostic::error("E0512", format!("`{list}` is not the id of a prefix list"), b.span("prefix_list").unwrap_or(rule.span))
                .label("not `pl-...`")
                .help(format!("name a managed prefix list by its id, e.g. \"pl-3b927c52\", or look it up by name: `data prefix_list NAME {{ name = \"{name}\" }}` and `prefix_list = data.prefix_list.NAME`")),
        );
    }
    if has("port") && (has("from_port") || has("to_port")) {
        diags.push(
            Diagnostic::error(
                "E0512",
                format!("an {direction} rule has both `port` and a port range"),
                rule.span,
            )
            .label("ambiguous ports")
            .help("use `port` for one port, or `from_port` and `to_port` for a range"),
        );
        return;
    }
    // All traffic has no ports: AWS ignores what is written (a
    // CloudFormation rule's lone `ToPort: -1`).
    if (protocol != Protocol::All && has("from_port") != has("to_port"))
        || (protocol == Protocol::Ported && !has("port") && !has("from_port"))
    {
        diags.push(
            Diagnostic::error("E0512", format!("an {direction} rule needs ports"), rule.span)
                .label("no `port`, or an incomplete range")
                .help(
                    "add `port = 443`, or `from_port` and `to_port`, or `protocol = \"-1\"` for all traffic",
                ),
        );
        return;
    }
    let (from, to) = match (int(b, "port"), int(b, "from_port"), int(b, "to_port")) {
        (Some(p), _, _) => (p, p),
        (None, Some(f), Some(t)) => (f, t),
        _ => return,
    };
    match protocol {
        Protocol::Ported => {
            for (n, span) in [from, to] {
                if n < 0 {
                    diags.push(
                        Diagnostic::error("E0512", format!("port {n} is not a TCP or UDP port"), span)
                            .label("not between 0 and 65535")
                            .help("for every port write `from_port = 0` and `to_port = 65535`"),
                    );
                    return;
                }
            }
            diags.extend(backwards("E0512", from, to));
        }
        Protocol::Icmp => {
            for ((n, span), what) in [(from, "type"), (to, "code")] {
                if !(-1..=255).contains(&n) {
                    diags.push(
                        Diagnostic::error("E0512", format!("{n} is not an ICMP {what}"), span)
                            .label("not between -1 and 255")
                            .help("for ICMP, `from_port` is the type and `to_port` the code; -1 means all"),
                    );
                    return;
                }
            }
            if from.0 == -1 && to.0 != -1 {
                diags.push(
                    Diagnostic::error("E0512", "all ICMP types need all ICMP codes", to.1)
                        .label("a code with type -1")
                        .help("write `to_port = -1`, or name a type in `from_port`"),
                );
            }
        }
        Protocol::All => {
            // AWS ignores the ports of an all-traffic rule; berth accepts no
            // ports, Terraform's 0/0 and -1/-1, and nothing else, which
            // would read as if it limited something.
            if !matches!((from.0, to.0), (0, 0) | (-1, -1)) {
                diags.push(
                    Diagnostic::error(
                        "E0512",
                        "a rule with `protocol = \"-1\"` covers every port",
                        from.1,
                    )
                    .label("ports AWS would ignore")
                    .help(
                        "remove the ports (or write `from_port = 0` and `to_port = 0`), or name a protocol",
                    ),
                );
            }
        }
    }
}

/// Parses `protocol`, reporting what berth cannot send.
fn protocol(text: &str, span: Option<crate::source::Span>, diags: &mut Vec<Diagnostic>) -> Option<Protocol> {
    // AWS takes the names it knows and any IANA protocol number; the
    // canonical form reads 6, 17, 1 and 58 as their names. Ports of any
    // other protocol are ignored by AWS, as for all traffic.
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "tcp" | "udp" | "6" | "17" => return Some(Protocol::Ported),
        "icmp" | "icmpv6" | "1" | "58" => return Some(Protocol::Icmp),
        "-1" | "all" => return Some(Protocol::All),
        n if n.parse::<u8>().is_ok() => return Some(Protocol::All),
        _ => {}
    }
    let span = span?;
    diags.push(
        Diagnostic::error("E0512", format!("protocol `{text}` is not one AWS knows"), span)
            .label("not tcp, udp, icmp, icmpv6, -1 or a protocol number")
            .help(
                "write \"tcp\", \"udp\", \"icmp\", a protocol number (0 to 255), or \"-1\" for all traffic",
            ),
    );
    None
}

/// `code` for a port range `from`-`to` (values and spans) whose end is
/// below its start, at the end.
pub(super) fn backwards(code: &'static str, from: (i64, Span), to: (i64, Span)) -> Option<Diagnostic> {
    (from.0 > to.0).then(|| {
        Diagnostic::error(code, format!("port range {}-{} is backwards", from.0, to.0), to.1)
            .label("`to_port` is below `from_port`")
    })
}
