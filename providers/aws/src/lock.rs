//! The stack's lock: an SSM parameter, `/berth/locks/STACK`, whose value is
//! the holder's [`LockInfo`] as JSON. `PutParameter` without `Overwrite`
//! is the atomic create (one caller gets `ParameterAlreadyExists`); SSM
//! needs no set-up, standard parameters cost nothing, and the lock sits in
//! the stack's own account and region. Heartbeats overwrite the value;
//! release deletes it.

use aws_sdk_ssm::types::{ParameterType, Tag};
use berth_provider::{LockInfo, ProviderError, STACK_TAG};

use crate::AwsProvider;

const SERVICE: &str = "ssm";

/// The parameter holding `stack`'s lock.
fn name(stack: &str) -> String {
    format!("/berth/locks/{stack}")
}

fn to_json(info: &LockInfo) -> Result<String, ProviderError> {
    serde_json::to_string(info)
        .map_err(|e| ProviderError::permanent("PutParameter", "InvalidLock", e.to_string()))
}

pub(crate) async fn try_lock(
    p: &AwsProvider,
    stack: &str,
    me: &LockInfo,
) -> Result<Option<LockInfo>, ProviderError> {
    let ssm = &p.clients.ssm;
    let value = to_json(me)?;
    let tag = Tag::builder()
        .key(STACK_TAG)
        .value(stack)
        .build()
        .map_err(|e| crate::errors::build_error("PutParameter", e))?;
    // Safe to send again: a second sending of our own create fails as
    // taken, and the holder it then reads is us.
    let put = p
        .call_unless(SERVICE, "PutParameter", &["ParameterAlreadyExists"], || {
            ssm.put_parameter()
                .name(name(stack))
                .value(&value)
                .r#type(ParameterType::String)
                .description("berth: who is changing this stack")
                .overwrite(false)
                .tags(tag.clone())
                .send()
        })
        .await;
    let put = match put {
        Ok(put) => put,
        Err(e) => {
            // A create SSM made whose answers were all lost would leave
            // this run's lock behind it, refusing every later run: let it
            // go where it can (best effort: the network may be gone).
            let _ = release_lock(p, stack, me).await;
            return Err(e);
        }
    };
    if put.is_some() {
        return Ok(None);
    }
    match read_lock(p, stack).await? {
        Some(holder) if holder.id == me.id => Ok(None),
        Some(holder) => Ok(Some(holder)),
        // Released between the two calls: try again.
        None => Box::pin(try_lock(p, stack, me)).await,
    }
}

pub(crate) async fn read_lock(p: &AwsProvider, stack: &str) -> Result<Option<LockInfo>, ProviderError> {
    let ssm = &p.clients.ssm;
    let out = p
        .call_unless(SERVICE, "GetParameter", &["ParameterNotFound"], || {
            ssm.get_parameter().name(name(stack)).send()
        })
        .await?;
    let Some(value) = out.and_then(|o| o.parameter).and_then(|p| p.value) else {
        return Ok(None);
    };
    serde_json::from_str(&value).map(Some).map_err(|e| {
        ProviderError::permanent(
            "GetParameter",
            "InvalidLock",
            format!("{} does not hold a berth lock: {e}", name(stack)),
        )
    })
}

pub(crate) async fn refresh_lock(p: &AwsProvider, stack: &str, me: &LockInfo) -> Result<bool, ProviderError> {
    if read_lock(p, stack).await?.is_none_or(|holder| holder.id != me.id) {
        return Ok(false);
    }
    let ssm = &p.clients.ssm;
    let value = to_json(&LockInfo {
        heartbeat: berth_provider::lock::now(),
        ..me.clone()
    })?;
    p.call(SERVICE, "PutParameter", || {
        ssm.put_parameter()
            .name(name(stack))
            .value(&value)
            .r#type(ParameterType::String)
            .overwrite(true)
            .send()
    })
    .await?;
    Ok(true)
}

pub(crate) async fn release_lock(
    p: &AwsProvider,
    stack: &str,
    holder: &LockInfo,
) -> Result<bool, ProviderError> {
    if read_lock(p, stack).await?.is_none_or(|now| now.id != holder.id) {
        return Ok(false);
    }
    let ssm = &p.clients.ssm;
    p.call_unless(SERVICE, "DeleteParameter", &["ParameterNotFound"], || {
        ssm.delete_parameter().name(name(stack)).send()
    })
    .await?;
    Ok(true)
}
