//! `ignore_changes = [task_definition, desired_count]`: Terraform's
//! `lifecycle { ignore_changes }`. The attributes named keep whatever they
//! are live once the resource exists (a task definition CodePipeline
//! deploys, tags another tool writes); the configuration sets them only
//! when the resource is made. The names are read as written, never
//! evaluated: bare names, strings, or `all`.

use std::collections::BTreeSet;

use berth_provider::Kind;
use berth_provider::schema::{Presence, Type};

use crate::diagnostic::Diagnostic;
use crate::stack::Ignored;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Expr, ExprKind, Step, StrPart};

/// The meta-attribute's name.
pub const IGNORE_CHANGES: &str = "ignore_changes";

/// The attributes and blocks of `kind` that `expr` names, or keys of its
/// map attributes (E0326 for a name that is none of them, or for anything
/// but a list of names).
pub fn parse(kind: Kind, expr: &Expr, diags: &mut Vec<Diagnostic>) -> BTreeSet<Ignored> {
    let settable = settable(kind);
    let whole = |n: &str| Ignored::Whole(n.to_owned());
    if name(expr).as_deref() == Some("all") {
        return settable.into_iter().map(whole).collect();
    }
    let ExprKind::List(items) = &expr.kind else {
        diags.push(
            Diagnostic::error(
                "E0326",
                "`ignore_changes` is a list of attribute names",
                expr.span,
            )
            .label("not a list")
            .help("write `ignore_changes = [task_definition]`, or `ignore_changes = all`"),
        );
        return BTreeSet::new();
    };
    let mut out = BTreeSet::new();
    for item in items {
        if let Some(key) = map_key(kind, item) {
            out.insert(key);
            continue;
        }
        let named = name(item);
        let terraforms = named
            .as_deref()
            .map(|n| terraforms(kind, n, &settable))
            .unwrap_or_default();
        match named {
            Some(n) if settable.contains(n.as_str()) => {
                out.insert(Ignored::Whole(n));
            }
            // A private zone's `vpc`, which Terraform's docs ignore so that
            // `aws_route53_zone_association`s do not fight the zone: they
            // fold into its `vpcs` here, so there is nothing to ignore.
            Some(n) if kind == Kind::HostedZone && n == "vpc" => {}
            // A service's `deployment_controller`, checked against ECS's
            // rolling deployments berth runs and not kept: it never
            // changes, so there is nothing to ignore (tarmac's module
            // ignores it beside `task_definition`).
            Some(n) if kind == Kind::Service && n == "deployment_controller" => {}
            Some(_) if !terraforms.is_empty() && terraforms.iter().all(|n| settable.contains(n)) => {
                out.extend(terraforms.into_iter().map(whole));
            }
            found => {
                let d = Diagnostic::error(
                    "E0326",
                    match &found {
                        Some(n) => format!("`{kind}` has no attribute `{n}` to ignore"),
                        None => "`ignore_changes` takes attribute names".to_owned(),
                    },
                    item.span,
                )
                .label("not an attribute or block of this kind");
                let hint = found
                    .as_deref()
                    .and_then(|n| did_you_mean(n, settable.iter().copied()));
                diags.push(d.help(hint.unwrap_or_else(|| {
                    "name whole attributes or blocks, as written in the resource (`tags`, `container`); \
                     computed ones (ids, ARNs) never change by configuration"
                        .to_owned()
                })));
            }
        }
    }
    out
}

/// What Terraform's name `name` of something of `kind` (which can set
/// `settable`) is in berth: its
/// attribute (`vpc_id`), the attributes a block of its is written as (a
/// service's `network_configuration`), or a task definition's
/// `container_definitions`, its `container` blocks.
fn terraforms(kind: Kind, name: &str, settable: &BTreeSet<&'static str>) -> Vec<&'static str> {
    if kind == Kind::TaskDefinition && name == "container_definitions" {
        return vec!["container"];
    }
    // Terraform's action and condition blocks (`desugar/listener.rs`): what
    // of them the kind has (a pipeline moves a listener's default action).
    let of_kind = |names: &[&'static str]| names.iter().copied().filter(|n| settable.contains(n)).collect();
    match (kind, name) {
        (Kind::Listener, "default_action") | (Kind::ListenerRule, "action") => return of_kind(&ACTION),
        (Kind::ListenerRule, "condition") => return of_kind(&CONDITION),
        // Terraform's tags with its provider's `default_tags`: berth's
        // `tags` hold the stack's tags too (USSBA's `ignore_changes =
        // [tags_all]`).
        (_, "tags_all") => return of_kind(&["tags"]),
        _ => {}
    }
    let flat = crate::desugar::flattened(kind.keyword(), name);
    if !flat.is_empty() {
        return flat;
    }
    match super::terraform_names::berth_name(&kind.schema().as_block(), name) {
        Some(super::terraform_names::Berth::Name(n)) => vec![n],
        _ => Vec::new(),
    }
}

/// What Terraform's `default_action` and `action` blocks are written as.
const ACTION: [&str; 6] = [
    "default",
    "forward",
    "weighted_forward",
    "forward_stickiness",
    "redirect",
    "fixed_response",
];
/// What Terraform's `condition` blocks are written as.
const CONDITION: [&str; 6] = ["paths", "hosts", "methods", "source_ips", "header", "query"];

/// Terraform's `tags["KEY"]`: one key of a map attribute of `kind`.
fn map_key(kind: Kind, expr: &Expr) -> Option<Ignored> {
    let ExprKind::Traversal(t) = &expr.kind else {
        return None;
    };
    let [Step::Index(index)] = t.steps.as_slice() else {
        return None;
    };
    let attr = kind.schema().attr(&t.root.name)?;
    let ExprKind::String(parts) = &index.kind else {
        return None;
    };
    match (attr.ty, parts.as_slice()) {
        (Type::Map(_), [StrPart::Lit(key)]) if attr.presence != Presence::Computed => Some(Ignored::Key {
            attr: attr.name.to_owned(),
            key: key.clone(),
        }),
        _ => None,
    }
}

/// A bare name (`desired_count`) or a string (`"desired_count"`).
fn name(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Traversal(t) if t.steps.is_empty() => Some(t.root.name.clone()),
        ExprKind::String(parts) => match parts.as_slice() {
            [StrPart::Lit(s)] => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// What the configuration of `kind` can set: its attributes but the
/// computed ones, and its blocks.
fn settable(kind: Kind) -> BTreeSet<&'static str> {
    let schema = kind.schema();
    schema
        .attrs
        .iter()
        .filter(|a| a.presence != Presence::Computed)
        .map(|a| a.name)
        .chain(schema.blocks.iter().map(|b| b.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(kind: Kind, text: &str) -> (BTreeSet<Ignored>, usize) {
        let expr = crate::syntax::parse_expr(text).expect("an expression");
        let mut diags = Vec::new();
        let names = parse(kind, &expr, &mut diags);
        (names, diags.len())
    }

    fn whole(name: &str) -> Ignored {
        Ignored::Whole(name.to_owned())
    }

    /// USSBA's module ignores Terraform's `tags_all` (E0326 before): the
    /// tags, stack's included.
    #[test]
    fn tags_all_is_the_tags() {
        let (names, errors) = ignored(Kind::LogGroup, "[tags_all]");
        assert_eq!(errors, 0);
        assert_eq!(names, BTreeSet::from([whole("tags")]));
    }

    /// terraform-aws-modules/alb's `ignore_changes =
    /// [tags["elasticbeanstalk:shared-elb-environment-count"]]` was E0326.
    #[test]
    fn a_services_deployment_controller_is_nothing_to_ignore() {
        let (names, errors) = ignored(Kind::Service, "[deployment_controller, task_definition]");
        assert_eq!(errors, 0);
        assert_eq!(names, BTreeSet::from([whole("task_definition")]));
    }

    #[test]
    fn a_key_of_a_map_attribute_is_ignored_alone() {
        let (names, errors) = ignored(
            Kind::LoadBalancer,
            r#"[tags["elasticbeanstalk:shared-elb-environment-count"], idle_timeout]"#,
        );
        assert_eq!(errors, 0);
        let key = Ignored::Key {
            attr: "tags".into(),
            key: "elasticbeanstalk:shared-elb-environment-count".into(),
        };
        assert_eq!(names, BTreeSet::from([key, whole("idle_timeout")]));
        assert_eq!(
            ignored(Kind::LoadBalancer, r#"[idle_timeout["x"]]"#).1,
            1,
            "not a map"
        );
    }

    /// Terraform's `ignore_changes = [default_action]` (a pipeline moves
    /// the listener's default action) names what the block is written as.
    #[test]
    fn terraforms_action_and_condition_blocks_name_what_they_are_written_as() {
        let (listener, errors) = ignored(Kind::Listener, "[default_action]");
        assert_eq!(errors, 0);
        for name in [
            "default",
            "weighted_forward",
            "forward_stickiness",
            "redirect",
            "fixed_response",
        ] {
            assert!(listener.contains(&whole(name)), "{name} in {listener:?}");
        }
        let (rule, errors) = ignored(Kind::ListenerRule, "[action, condition]");
        assert_eq!(errors, 0);
        for name in ["forward", "redirect", "paths", "hosts", "header", "query"] {
            assert!(rule.contains(&whole(name)), "{name} in {rule:?}");
        }
        assert_eq!(
            ignored(Kind::Listener, "[condition]").1,
            1,
            "a listener has no condition"
        );
    }
}
