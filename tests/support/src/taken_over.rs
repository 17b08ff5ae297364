//! The contract for the parts AWS makes with a VPC (its default security
//! group, main route table and default network ACL): one stack's address
//! holds each at a time. Another stack's take-over is refused
//! (AlreadyTakenOver) while it is held; the same address takes it again (a
//! create whose answer was lost); once let go, another stack may take it;
//! the VPC's delete takes them with it. Before any take-over, a lookup
//! finds the VPC's default group by its name, as Terraform's
//! `data "aws_security_group" { name = "default" }` does, and a group's
//! rule may name it.

use berth_provider::lookup::{DataKind, Filters, Query};
use berth_provider::{Kind, Provider, Value};

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
    p.delete(stack, &cache).await.expect("the cache's group");
    p.delete(stack, &vpc).await.expect("the VPC goes with its parts");
    assert!(read(p, stack).await.is_empty());
}
