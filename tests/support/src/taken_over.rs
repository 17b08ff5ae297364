//! The contract for the parts AWS makes with a VPC (its default security
//! group, main route table and default network ACL): one stack's address
//! holds each at a time. Another stack's take-over is refused
//! (AlreadyTakenOver) while it is held; the same address takes it again (a
//! create whose answer was lost); once let go, another stack may take it;
//! the VPC's delete takes them with it.

use berth_provider::{Kind, Provider};

use crate::stack::{create, desired, id, read, s, tags};

/// Runs the contract on a VPC of its own in `stack`, with `other` as the
/// second stack.
pub async fn parts_have_one_owner(p: &dyn Provider, stack: &str, other: &str) {
    let vpc = create(
        p,
        stack,
        desired(Kind::Vpc, "main", &[("cidr", s("10.3.0.0/16"))]),
    )
    .await;
    for kind in [
        Kind::DefaultSecurityGroup,
        Kind::DefaultRouteTable,
        Kind::DefaultNetworkAcl,
    ] {
        let mine = create(p, stack, desired(kind, "main", &[("vpc", id(&vpc))])).await;
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
    p.delete(stack, &vpc).await.expect("the VPC goes with its parts");
    assert!(read(p, stack).await.is_empty());
}
