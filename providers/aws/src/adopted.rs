//! The IAM roles and managed policies a stack adopted outside berth's IAM
//! path: one SSM parameter each, `/berth/adopted/STACK/roles` (role names)
//! and `/berth/adopted/STACK/policies` (policy ARNs), a comma-separated
//! list. IAM cannot list roles or policies by tag, and reading the tags of
//! every one of the account on each plan costs a call each; so the readers
//! list those under `/berth/` (where berth makes its own) and read the
//! recorded ones besides. The record only says where to look: a role or a
//! policy is the stack's by its tags, as every resource is, and a recorded
//! one that is gone, or no longer tagged, is simply not read. A deleted
//! one leaves the record, and the record goes with the last one: a
//! destroyed stack leaves no parameter behind.

use aws_sdk_ssm::types::{ParameterType, Tag};
use berth_provider::{ProviderError, STACK_TAG};

use crate::AwsProvider;

const SERVICE: &str = "ssm";

/// What a record lists.
#[derive(Clone, Copy)]
pub(crate) enum Adopted {
    /// Role names.
    Roles,
    /// Managed policy ARNs (GetPolicy takes nothing else).
    Policies,
}

impl Adopted {
    fn word(self) -> &'static str {
        match self {
            Adopted::Roles => "roles",
            Adopted::Policies => "policies",
        }
    }

    /// The parameter holding `stack`'s record.
    fn parameter(self, stack: &str) -> String {
        format!("/berth/adopted/{stack}/{}", self.word())
    }
}

/// GetParameter: what is recorded for `stack`; nothing when there is no
/// record.
pub(crate) async fn recorded(
    p: &AwsProvider,
    stack: &str,
    what: Adopted,
) -> Result<Vec<String>, ProviderError> {
    let ssm = &p.clients.ssm;
    let out = p
        .call_unless(SERVICE, "GetParameter", &["ParameterNotFound"], || {
            ssm.get_parameter().name(what.parameter(stack)).send()
        })
        .await?;
    let value = out
        .and_then(|o| o.parameter)
        .and_then(|p| p.value)
        .unwrap_or_default();
    Ok(value
        .split(',')
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect())
}

/// PutParameter: records `entry` in `stack`'s record of `what`. `berth
/// import` and `apply` hold the stack's lock, so no other run writes the
/// record between the read and the write; within a run, the provider's
/// `records` lock keeps two creates (roles given a `path`) from writing
/// over each other.
pub(crate) async fn record(
    p: &AwsProvider,
    stack: &str,
    what: Adopted,
    entry: &str,
) -> Result<(), ProviderError> {
    let _one_at_a_time = p.records.lock().await;
    let mut entries = recorded(p, stack, what).await?;
    if entries.iter().any(|n| n == entry) {
        return Ok(());
    }
    entries.push(entry.to_owned());
    // The first entry makes the parameter.
    put(p, stack, what, &entries, entries.len() > 1).await
}

/// PutParameter of `entries` as `stack`'s record of `what`: made (tagged
/// with the stack) unless it `exists`.
async fn put(
    p: &AwsProvider,
    stack: &str,
    what: Adopted,
    entries: &[String],
    exists: bool,
) -> Result<(), ProviderError> {
    let value = entries.join(",");
    let ssm = &p.clients.ssm;
    // Tags may only be given when the parameter is made.
    let tag = Tag::builder()
        .key(STACK_TAG)
        .value(stack)
        .build()
        .map_err(|e| crate::errors::build_error("PutParameter", e))?;
    let description = format!("berth: {} this stack adopted outside /berth/", what.word());
    // ParameterAlreadyExists after an unanswered first write means that
    // one made it (the stack's lock keeps other runs out).
    p.call_repeatable(SERVICE, "PutParameter", &["ParameterAlreadyExists"], || {
        let put = ssm
            .put_parameter()
            .name(what.parameter(stack))
            .value(&value)
            .r#type(ParameterType::String)
            .overwrite(exists);
        let put = if exists {
            put
        } else {
            put.description(&description).tags(tag.clone())
        };
        put.send()
    })
    .await?;
    Ok(())
}

/// Takes `entry` out of `stack`'s record of `what`, after its role or
/// policy was deleted; the record goes with its last entry.
pub(crate) async fn forget(
    p: &AwsProvider,
    stack: &str,
    what: Adopted,
    entry: &str,
) -> Result<(), ProviderError> {
    let _one_at_a_time = p.records.lock().await;
    let mut entries = recorded(p, stack, what).await?;
    let before = entries.len();
    entries.retain(|n| n != entry);
    if entries.len() == before {
        return Ok(());
    }
    if !entries.is_empty() {
        return put(p, stack, what, &entries, true).await;
    }
    let ssm = &p.clients.ssm;
    p.call_unless(SERVICE, "DeleteParameter", &["ParameterNotFound"], || {
        ssm.delete_parameter().name(what.parameter(stack)).send()
    })
    .await?;
    Ok(())
}
