//! What taking over a part AWS makes with a VPC (its default security
//! group, main route table, default network ACL) shares: refusing one another stack or
//! address holds, setting exactly the configuration's tags, and letting
//! go by removing berth's tags.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Tag;
use berth_provider::{ADDRESS_TAG, Address, Attrs, ProviderError, STACK_TAG};

use super::{pairs, put_tags, remove_tags};
use crate::AwsProvider;
use crate::attrs::{create_tags, owned};

/// What a take-over refuses when another stack or address holds the part
/// already: both would rewrite it on every apply.
const TAKEN: &str = "AlreadyTakenOver";

/// Refuses to take over `id`, `vpc`'s `what`, holding `held` tags, for
/// `stack`'s `address` when another stack or address holds it.
fn refuse_taken(
    stack: &str,
    address: &Address,
    held: &[Tag],
    id: &str,
    vpc: &str,
    what: &str,
) -> Result<(), ProviderError> {
    let held: Vec<(&str, &str)> = pairs(held).collect();
    let tag = |key: &str| held.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let Some(holder) = tag(STACK_TAG) else {
        return Ok(());
    };
    if owned(stack, address.kind, held.iter().copied()).as_ref() == Some(address) {
        return Ok(());
    }
    let other = tag(ADDRESS_TAG).unwrap_or_default();
    Err(ProviderError::permanent(
        "CreateTags",
        TAKEN,
        format!(
            "the {what} {id} of {vpc} is taken over by stack {holder}'s {other} already: it has one owner"
        ),
    ))
}

/// Claims the part `id` of `vpc` (its `what`), holding `held` tags, for
/// `stack`'s `address` with the configuration `a`: refused when another
/// holds it, else tagged with exactly berth's tags and `a`'s.
pub(super) async fn claim(
    p: &AwsProvider,
    (stack, address, a): (&str, &Address, &Attrs),
    (id, vpc, what): (&str, &str, &str),
    held: &[Tag],
) -> Result<(), ProviderError> {
    refuse_taken(stack, address, held, id, vpc, what)?;
    set_tags(p, id, held, &create_tags(stack, address, a)).await
}

/// CreateTags of `tags`, then DeleteTags of the user's tags `held` that
/// `tags` lacks: a part let go by another stack keeps its tags.
async fn set_tags(
    p: &AwsProvider,
    id: &str,
    held: &[Tag],
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    put_tags(p, id, tags).await?;
    let stale = pairs(held)
        .map(|(k, _)| k)
        .filter(|k| !k.starts_with("aws:") && !tags.contains_key(*k));
    remove_tags(p, id, stale, &[]).await
}

/// DeleteTags of berth's tags on `id` (`gone`: the codes of a part gone
/// with its VPC, let go already).
pub(super) async fn untag(p: &AwsProvider, id: &str, gone: &[&str]) -> Result<(), ProviderError> {
    remove_tags(p, id, [STACK_TAG, ADDRESS_TAG], gone).await
}
