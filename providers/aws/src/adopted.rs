//! The names of the roles a stack adopted outside berth's IAM path: an SSM
//! parameter, `/berth/adopted/STACK/roles`, a comma-separated list. IAM
//! cannot list roles by tag, and reading the tags of every role of the
//! account on each plan costs a call per role; so the role reader lists
//! the roles under `/berth/` (where berth makes its own) and reads the
//! recorded names besides. The record only says where to look: a role is
//! the stack's by its tags, as every resource is, and a recorded role that
//! is gone, or no longer tagged, is simply not read.

use aws_sdk_ssm::types::{ParameterType, Tag};
use berth_provider::{ProviderError, STACK_TAG};

use crate::AwsProvider;

const SERVICE: &str = "ssm";

/// The parameter holding `stack`'s adopted role names.
fn name(stack: &str) -> String {
    format!("/berth/adopted/{stack}/roles")
}

/// GetParameter: the role names recorded for `stack`; none when there is
/// no record.
pub(crate) async fn roles(p: &AwsProvider, stack: &str) -> Result<Vec<String>, ProviderError> {
    let ssm = &p.clients.ssm;
    let out = p
        .call_unless(SERVICE, "GetParameter", &["ParameterNotFound"], || {
            ssm.get_parameter().name(name(stack)).send()
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

/// PutParameter: records `role` among `stack`'s adopted roles. `berth
/// import` holds the stack's lock, so no other run writes the record
/// between the read and the write.
pub(crate) async fn record_role(p: &AwsProvider, stack: &str, role: &str) -> Result<(), ProviderError> {
    let mut names = roles(p, stack).await?;
    if names.iter().any(|n| n == role) {
        return Ok(());
    }
    names.push(role.to_owned());
    let value = names.join(",");
    let ssm = &p.clients.ssm;
    let exists = names.len() > 1;
    // Tags may only be given when the parameter is made.
    let tag = Tag::builder()
        .key(STACK_TAG)
        .value(stack)
        .build()
        .map_err(|e| crate::errors::build_error("PutParameter", e))?;
    p.call(SERVICE, "PutParameter", || {
        let put = ssm
            .put_parameter()
            .name(name(stack))
            .value(&value)
            .r#type(ParameterType::String)
            .overwrite(exists);
        let put = if exists {
            put
        } else {
            put.description("berth: roles this stack adopted outside /berth/")
                .tags(tag.clone())
        };
        put.send()
    })
    .await?;
    Ok(())
}
