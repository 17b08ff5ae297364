//! Resource schemas: for every [`Kind`], its attributes and nested blocks with
//! their types, presence, defaults, update behaviour, sensitivity and the AWS
//! field each maps to. The validator, the planner, the docs and the editors'
//! language server all read these tables.

mod canonical;
mod complete;
mod kinds;
mod spelling;
mod types;

pub use canonical::{canonical, canonical_block, cluster_name, defaults, namespace_id};
pub use complete::complete;
pub use kinds::{ROUTE_TARGETS, RULE_SOURCES};
pub use spelling::PROTOCOL_NAMES;
pub use types::{
    Attr, Block, Case, KindSchema, Literal, Order, Presence, ReplaceOrder, Spelling, Type, Update,
};

use crate::Kind;

/// Computed attributes that are the id of a resource of another kind, made
/// with their own and no stack's: (kind, attribute, the kind it names). A
/// DNS namespace's `hosted_zone`, the private zone Cloud Map makes, which
/// records go in (`zone = dns_namespace.NAME.hosted_zone`): such a record
/// points at the namespace, made after it and deleted before it.
pub const NAMES_ANOTHER: &[(Kind, &str, Kind)] = &[(Kind::DnsNamespace, "hosted_zone", Kind::HostedZone)];

/// The schema of `kind`.
pub fn of(kind: Kind) -> &'static KindSchema {
    kinds::ALL
        .iter()
        .find(|s| s.kind == kind)
        .expect("kinds::ALL has one schema per Kind (checked by a test)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_schema() {
        for kind in Kind::ALL {
            assert_eq!(kinds::ALL.iter().filter(|s| s.kind == kind).count(), 1, "{kind}");
        }
    }

    /// zatarain/lorentz's encoded secrets computed at apply: a string where
    /// the container's map goes was dropped by the SDK, the container
    /// registered without its secrets.
    #[test]
    fn a_value_of_the_wrong_type_is_found_in_a_nested_block() {
        use crate::{Attrs, Value};
        let container: Attrs = [
            ("name".to_owned(), Value::from("api")),
            ("image".to_owned(), Value::from("nginx")),
            ("secrets".to_owned(), Value::from("[{\"name\":\"DB\"}]")),
        ]
        .into();
        let mut td: Attrs = [("cpu".to_owned(), Value::Int(256))].into();
        td.insert("container".to_owned(), Value::List(vec![Value::Map(container)]));
        let block = of(Kind::TaskDefinition).as_block();
        assert_eq!(
            block.mistyped(&td).as_deref(),
            Some("container.secrets: expected map of string, got string")
        );
        td.remove("container");
        assert_eq!(block.mistyped(&td), None);
    }

    #[test]
    fn route_targets_and_rule_sources_are_their_blocks_attributes() {
        let route = of(Kind::RouteTable).block("route").expect("route block");
        let rule = of(Kind::SecurityGroup).block("ingress").expect("ingress block");
        for (block, names) in [(route, &ROUTE_TARGETS[..]), (rule, &RULE_SOURCES[..])] {
            for name in names {
                assert!(block.attr(name).is_some(), "{}.{name}", block.name);
            }
        }
    }

    #[test]
    fn identity_attribute_is_computed_or_named() {
        for kind in Kind::ALL {
            let schema = of(kind);
            let attr = schema.attr(schema.identity).unwrap_or_else(|| panic!("{kind}"));
            assert!(
                matches!(attr.presence, Presence::Computed | Presence::Named),
                "{kind}.{}",
                schema.identity
            );
        }
    }

    #[test]
    fn names_are_unique_within_a_body() {
        fn check(what: &str, attrs: &[Attr], blocks: &[Block]) {
            let mut names: Vec<&str> = attrs
                .iter()
                .map(|a| a.name)
                .chain(blocks.iter().map(|b| b.name))
                .collect();
            let len = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), len, "duplicate names in {what}");
            for b in blocks {
                check(b.name, b.attrs, b.blocks);
            }
        }
        for kind in Kind::ALL {
            check(kind.keyword(), of(kind).attrs, of(kind).blocks);
        }
    }

    #[test]
    fn subnets_and_named_groups_are_made_before_their_old_selves_go_unless_the_two_would_clash() {
        let subnet = |vpc: &str, cidr: &str| -> crate::Attrs {
            [
                ("vpc", crate::Value::from(vpc)),
                ("cidr", crate::Value::from(cidr)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
        };
        let order =
            |desired: &crate::Attrs, live: &crate::Attrs| of(Kind::Subnet).replace_order(desired, live);
        let live = subnet("vpc-1", "10.0.1.0/24");
        assert_eq!(
            order(&subnet("vpc-1", "10.0.3.0/24"), &live),
            ReplaceOrder::CreateBeforeDestroy
        );
        assert_eq!(
            order(&subnet("vpc-2", "10.0.1.0/24"), &live),
            ReplaceOrder::CreateBeforeDestroy
        );
        // Same CIDR (a new zone), a wider or a narrower one: they overlap.
        for cidr in ["10.0.1.0/24", "10.0.0.0/16", "10.0.1.128/25"] {
            assert_eq!(
                order(&subnet("vpc-1", cidr), &live),
                ReplaceOrder::DestroyBeforeCreate,
                "{cidr}"
            );
        }
        let group = |vpc: &str| -> crate::Attrs {
            [
                ("vpc", crate::Value::from(vpc)),
                ("name", crate::Value::from("prod-api")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
        };
        let sg = |desired: &crate::Attrs| of(Kind::SecurityGroup).replace_order(desired, &group("vpc-1"));
        // A name given stays: it clashes in its VPC, not in another one.
        assert_eq!(sg(&group("vpc-1")), ReplaceOrder::DestroyBeforeCreate);
        assert_eq!(sg(&group("vpc-2")), ReplaceOrder::CreateBeforeDestroy);
        // ELB and EC2 names are case-insensitive: a name changed only in
        // case still clashes with the live one.
        let lb = |name: &str| -> crate::Attrs { [("name".to_owned(), crate::Value::from(name))].into() };
        for kind in [Kind::LoadBalancer, Kind::TargetGroup, Kind::SecurityGroup] {
            let order = |name: &str| of(kind).replace_order(&lb(name), &lb("blog-web"));
            assert_eq!(order("Blog-Web"), ReplaceOrder::DestroyBeforeCreate, "{kind}");
            assert_eq!(order("blog-api"), ReplaceOrder::CreateBeforeDestroy, "{kind}");
        }
        let named = |kind: Kind, parent: &str, name: &str| -> ReplaceOrder {
            let attrs = |parent: &str, name: &str| -> crate::Attrs {
                [("namespace", parent), ("vpc", parent), ("name", name)]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), crate::Value::from(v)))
                    .collect()
            };
            of(kind).replace_order(&attrs(parent, name), &attrs("p-1", "api"))
        };
        for kind in [Kind::DiscoveryService, Kind::DnsNamespace] {
            assert_eq!(
                named(kind, "p-1", "api"),
                ReplaceOrder::DestroyBeforeCreate,
                "{kind}"
            );
            assert_eq!(
                named(kind, "p-1", "mail"),
                ReplaceOrder::CreateBeforeDestroy,
                "{kind}"
            );
            assert_eq!(
                named(kind, "p-2", "api"),
                ReplaceOrder::CreateBeforeDestroy,
                "{kind}"
            );
        }
        let mut unknown = subnet("vpc-1", "10.0.3.0/24");
        unknown.insert("cidr".to_owned(), crate::Value::Unknown);
        assert_eq!(order(&unknown, &live), ReplaceOrder::DestroyBeforeCreate);
    }

    /// A service renamed (Terraform's zero-downtime rename with
    /// `create_before_destroy`) or moved to another cluster runs beside
    /// the old one: it was destroyed first, its tasks stopped before the
    /// new service existed.
    #[test]
    fn a_service_renamed_or_moved_is_made_before_the_old_one_goes() {
        let service = |cluster: &str, name: Option<&str>| -> crate::Attrs {
            std::iter::once(("cluster", cluster))
                .chain(name.map(|n| ("name", n)))
                .map(|(k, v)| (k.to_owned(), crate::Value::from(v)))
                .collect()
        };
        let live = service("c-1", Some("web"));
        let order = |desired: &crate::Attrs| of(Kind::Service).replace_order(desired, &live);
        assert_eq!(
            order(&service("c-1", Some("web"))),
            ReplaceOrder::DestroyBeforeCreate
        );
        assert_eq!(
            order(&service("c-1", Some("web-v2"))),
            ReplaceOrder::CreateBeforeDestroy
        );
        assert_eq!(
            order(&service("c-2", Some("web"))),
            ReplaceOrder::CreateBeforeDestroy
        );
        assert_eq!(
            order(&service("c-1", None)),
            ReplaceOrder::DestroyBeforeCreate,
            "berth's name"
        );
    }

    #[test]
    fn a_flow_log_like_its_predecessor_in_ec2s_eyes_goes_after_it() {
        let flow = |pairs: &[(&str, &str)], interval: i64| -> crate::Attrs {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), crate::Value::from(*v)))
                .chain([("max_aggregation_interval".to_owned(), crate::Value::Int(interval))])
                .collect()
        };
        // What AWS answers: both the group's name and its ARN.
        let live = flow(
            &[
                ("vpc", "vpc-1"),
                ("traffic_type", "ALL"),
                ("log_group", "flow"),
                ("destination", "arn:aws:logs:us-east-1:1:log-group:flow"),
            ],
            600,
        );
        let order = |desired: &crate::Attrs| of(Kind::FlowLog).replace_order(desired, &live);
        let same = [("vpc", "vpc-1"), ("traffic_type", "ALL"), ("log_group", "flow")];
        assert_eq!(order(&flow(&same, 60)), ReplaceOrder::DestroyBeforeCreate);
        let rejects = [
            ("vpc", "vpc-1"),
            ("traffic_type", "REJECT"),
            ("log_group", "flow"),
        ];
        assert_eq!(order(&flow(&rejects, 600)), ReplaceOrder::DestroyBeforeCreate);
        let subnet = [
            ("subnet", "subnet-1"),
            ("traffic_type", "ALL"),
            ("log_group", "flow"),
        ];
        assert_eq!(order(&flow(&subnet, 600)), ReplaceOrder::CreateBeforeDestroy);
        let elsewhere = [("vpc", "vpc-1"), ("traffic_type", "ALL"), ("log_group", "audit")];
        assert_eq!(order(&flow(&elsewhere, 600)), ReplaceOrder::CreateBeforeDestroy);
    }
}
