//! The contract for the parts AWS makes with a VPC (its default security
//! group, main route table and default network ACL): one stack's address
//! holds each at a time. Another stack's take-over is refused
//! (AlreadyTakenOver) while it is held; the same address takes it again (a
//! create whose answer was lost); once let go, another stack may take it;
//! the VPC's delete takes them with it. Before any take-over, a lookup
//! finds the VPC's default group by its name, as Terraform's
//! `data "aws_security_group" { name = "default" }` does, and a group's
//! rule may name it. A subnet, likewise, uses one route table and one
//! network ACL, which another of the stack's may take and another stack's
//! may not.

use berth_provider::lookup::{DataKind, Filters, Query};
use berth_provider::{Kind, Provider, Resource, Value};

use crate::stack::{block, create, desired, id, list, read, s, tags};

/// Runs the contract on a VPC of its own in `stack`, with `other` as the
/// second stack.
pub async fn parts_have_one_owner(p: &dyn Provider, stack: &str, other: &str) {
    let vpc = create(
        p,
        stack,
        desired(Kind::Vpc, "main", &[("cidr", s("10.3.0.0/16"))]),
    )
    .await;
    let query = Query {
        kind: DataKind::SecurityGroup,
        filters: Filters {
            name: Some("default".to_owned()),
            vpc: id(&vpc).as_str().map(str::to_owned),
            ..Filters::default()
        },
    };
    let found = p.lookup(&query).await.expect("the lookup");
    assert_eq!(found.len(), 1, "the VPC's default group: {found:?}");
    let default = found[0]["id"].clone();
    assert!(
        default.as_str().is_some_and(|g| g.starts_with("sg-")),
        "{default:?}"
    );
    let allowed = desired(
        Kind::SecurityGroup,
        "cache",
        &[
            ("vpc", id(&vpc)),
            (
                "ingress",
                list(vec![block(&[
                    ("port", Value::Int(6379)),
                    ("from", default.clone()),
                ])]),
            ),
        ],
    );
    let cache = create(p, stack, allowed).await;
    for kind in [
        Kind::DefaultSecurityGroup,
        Kind::DefaultRouteTable,
        Kind::DefaultNetworkAcl,
    ] {
        let mine = create(p, stack, desired(kind, "main", &[("vpc", id(&vpc))])).await;
        if kind == Kind::DefaultSecurityGroup {
            assert_eq!(mine.attrs["id"], default, "the group the lookup found");
        }
        let theirs = desired(kind, "main", &[("vpc", id(&vpc))]);
        let err = p
            .create(other, &theirs)
            .await
            .expect_err("another stack's take-over is refused");
        assert_eq!(err.code, "AlreadyTakenOver", "{kind}: {err}");
        assert!(read(p, other).await.is_empty(), "{kind}: nothing taken");

        let retagged = desired(
            kind,
            "main",
            &[("vpc", id(&vpc)), ("tags", tags(&[("team", "net")]))],
        );
        let again = p
            .create(stack, &retagged)
            .await
            .expect("taken again by its holder");
        assert_eq!(again.attrs["id"], mine.attrs["id"], "{kind}");
        assert_eq!(read(p, stack).await[&format!("{kind}.main")], again, "{kind}");

        p.delete(stack, &again).await.expect("let go");
        let taken = p.create(other, &theirs).await.expect("taken by the other stack");
        assert_eq!(taken.attrs["id"], mine.attrs["id"], "{kind}");
        // The holder's tags went with it: the other stack's alone are set.
        assert_eq!(taken.attrs["tags"], tags(&[]), "{kind}");
        assert_eq!(read(p, other).await[&format!("{kind}.main")], taken, "{kind}");
        p.delete(other, &taken).await.expect("let go");
    }
    subnets_have_one_table_and_acl(p, (stack, other), &vpc).await;
    p.delete(stack, &cache).await.expect("the cache's group");
    p.delete(stack, &vpc).await.expect("the VPC goes with its parts");
    assert!(read(p, stack).await.is_empty());
}

/// A subnet uses one route table and one network ACL: a table or ACL of
/// the stack takes it from another of the stack's (an apply moving it
/// changes both, in either order); one of `other` stack's is refused
/// (Resource.AlreadyAssociated), as AWS refuses another table's subnet.
async fn subnets_have_one_table_and_acl(p: &dyn Provider, (stack, other): (&str, &str), vpc: &Resource) {
    let subnet = create(
        p,
        stack,
        desired(
            Kind::Subnet,
            "a",
            &[
                ("vpc", id(vpc)),
                ("cidr", s("10.3.1.0/24")),
                ("zone", s("us-east-1a")),
            ],
        ),
    )
    .await;
    for kind in [Kind::RouteTable, Kind::NetworkAcl] {
        let holding = |name: &str| {
            desired(
                kind,
                name,
                &[("vpc", id(vpc)), ("subnets", list(vec![id(&subnet)]))],
            )
        };
        let first = create(p, stack, holding("first")).await;
        let err = p
            .create(other, &holding("theirs"))
            .await
            .expect_err("another stack's takes no subnet of this one");
        assert_eq!(err.code, "Resource.AlreadyAssociated", "{kind}: {err}");
        let second = create(p, stack, holding("second")).await;
        let live = read(p, stack).await;
        assert_eq!(
            live[&format!("{kind}.first")].attrs["subnets"],
            list(vec![]),
            "{kind}"
        );
        assert_eq!(
            live[&format!("{kind}.second")].attrs["subnets"],
            list(vec![id(&subnet)]),
            "{kind}"
        );
        for r in [&second, &first] {
            p.delete(stack, r).await.expect("deleted");
        }
        // What a refused create left behind (on AWS, the made table) goes.
        for r in read(p, other).await.values() {
            p.delete(other, r).await.expect("the refused one's remains");
        }
    }
    p.delete(stack, &subnet).await.expect("the subnet");
}
