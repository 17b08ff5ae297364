//! A container's runtime settings beside its image and command: Linux
//! parameters (`linux`), kernel parameters (`system_control`),
//! environment files, private registry credentials, the restart policy
//! and version consistency.

use aws_sdk_ecs::types::{
    ContainerRestartPolicy, EnvironmentFile, EnvironmentFileType, KernelCapabilities, LinuxParameters,
    RepositoryCredentials, SystemControl, VersionConsistency,
};
use berth_provider::{Attrs, ProviderError, Value};

use crate::attrs::{attrs, blocks_of, bool_of, i32_of, opt_str, str_list, str_of, strs_of};
use crate::errors::{build_error, invalid};

/// AWS's restart attempt period when a policy leaves it out.
const RESTART_ATTEMPT_PERIOD: i32 = 300;

/// The `linux` block as linuxParameters; none when it is left out.
pub(super) fn encode_linux(c: &Attrs) -> Option<LinuxParameters> {
    let linux = blocks_of(c, "linux").first().copied()?;
    let (add, drop) = (
        strs_of(linux, "capabilities_add"),
        strs_of(linux, "capabilities_drop"),
    );
    let capabilities = (!add.is_empty() || !drop.is_empty()).then(|| {
        KernelCapabilities::builder()
            .set_add(Some(add))
            .set_drop(Some(drop))
            .build()
    });
    Some(
        LinuxParameters::builder()
            .init_process_enabled(bool_of(linux, "init_process"))
            .set_capabilities(capabilities)
            .build(),
    )
}

/// linuxParameters as a `linux` block (the canonical form drops one equal
/// to the defaults).
pub(super) fn decode_linux(linux: Option<&LinuxParameters>) -> Value {
    let blocks = linux.map(|l| {
        let caps = l.capabilities();
        Value::Map(attrs([
            (
                "init_process",
                Value::Bool(l.init_process_enabled().unwrap_or(false)),
            ),
            (
                "capabilities_add",
                str_list(caps.map(|c| c.add()).unwrap_or_default()),
            ),
            (
                "capabilities_drop",
                str_list(caps.map(|c| c.drop()).unwrap_or_default()),
            ),
        ]))
    });
    Value::List(blocks.into_iter().collect())
}

/// `system_control` blocks as systemControls.
pub(super) fn encode_system_controls(c: &Attrs) -> Vec<SystemControl> {
    blocks_of(c, "system_control")
        .into_iter()
        .map(|s| {
            SystemControl::builder()
                .set_namespace(str_of(s, "namespace").map(str::to_owned))
                .set_value(str_of(s, "value").map(str::to_owned))
                .build()
        })
        .collect()
}

/// systemControls as `system_control` blocks.
pub(super) fn decode_system_controls(controls: &[SystemControl]) -> Value {
    Value::List(
        controls
            .iter()
            .map(|s| {
                Value::Map(attrs([
                    ("namespace", opt_str(s.namespace())),
                    ("value", opt_str(s.value())),
                ]))
            })
            .collect(),
    )
}

/// `environment_file` blocks as environmentFiles.
pub(super) fn encode_environment_files(call: &str, c: &Attrs) -> Result<Vec<EnvironmentFile>, ProviderError> {
    blocks_of(c, "environment_file")
        .into_iter()
        .map(|f| {
            EnvironmentFile::builder()
                .value(str_of(f, "value").unwrap_or_default())
                .r#type(EnvironmentFileType::from(str_of(f, "type").unwrap_or("s3")))
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect()
}

/// environmentFiles as `environment_file` blocks.
pub(super) fn decode_environment_files(files: &[EnvironmentFile]) -> Value {
    Value::List(
        files
            .iter()
            .map(|f| {
                Value::Map(attrs([
                    ("value", Value::from(f.value())),
                    ("type", Value::from(f.r#type().as_str())),
                ]))
            })
            .collect(),
    )
}

/// `repository_credentials` as repositoryCredentials.
pub(super) fn encode_credentials(
    call: &str,
    c: &Attrs,
) -> Result<Option<RepositoryCredentials>, ProviderError> {
    str_of(c, "repository_credentials")
        .map(|arn| {
            RepositoryCredentials::builder()
                .credentials_parameter(arn)
                .build()
                .map_err(|e| build_error(call, e))
        })
        .transpose()
}

/// repositoryCredentials as `repository_credentials`.
pub(super) fn decode_credentials(credentials: Option<&RepositoryCredentials>) -> Value {
    opt_str(credentials.map(RepositoryCredentials::credentials_parameter))
}

/// The `restart_policy` block as restartPolicy, as written (a disabled
/// one too: ECS keeps it); none when it is left out.
pub(super) fn encode_restart_policy(
    call: &str,
    c: &Attrs,
) -> Result<Option<ContainerRestartPolicy>, ProviderError> {
    let Some(policy) = blocks_of(c, "restart_policy").first().copied() else {
        return Ok(None);
    };
    // validate holds the codes to 32 bits (E0627); one that is not would
    // wrap into another code.
    let codes = policy
        .get("ignored_exit_codes")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_int)
        .map(|code| {
            i32::try_from(code)
                .map_err(|_| invalid(call, format!("exit code {code} is not a 32-bit integer")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    ContainerRestartPolicy::builder()
        .enabled(policy.get("enabled").and_then(Value::as_bool).unwrap_or(true))
        .set_ignored_exit_codes(Some(codes))
        .restart_attempt_period(i32_of(policy, "restart_attempt_period").unwrap_or(RESTART_ATTEMPT_PERIOD))
        .build()
        .map(Some)
        .map_err(|e| build_error(call, e))
}

/// restartPolicy as a `restart_policy` block, AWS's period when it reports
/// none (the canonical form drops a disabled one).
pub(super) fn decode_restart_policy(policy: Option<&ContainerRestartPolicy>) -> Value {
    let blocks = policy.map(|p| {
        Value::Map(attrs([
            ("enabled", Value::Bool(p.enabled())),
            (
                "ignored_exit_codes",
                Value::List(
                    p.ignored_exit_codes()
                        .iter()
                        .map(|code| Value::Int(i64::from(*code)))
                        .collect(),
                ),
            ),
            (
                "restart_attempt_period",
                Value::Int(i64::from(
                    p.restart_attempt_period().unwrap_or(RESTART_ATTEMPT_PERIOD),
                )),
            ),
        ]))
    });
    Value::List(blocks.into_iter().collect())
}

/// `version_consistency = false` as versionConsistency `disabled`; true,
/// ECS's default, is left out as before the field existed.
pub(super) fn encode_version_consistency(c: &Attrs) -> Option<VersionConsistency> {
    (c.get("version_consistency") == Some(&Value::Bool(false))).then_some(VersionConsistency::Disabled)
}

/// versionConsistency as `version_consistency`: only `disabled` is false
/// (ECS reports `enabled`, or nothing, for the default).
pub(super) fn decode_version_consistency(v: Option<&VersionConsistency>) -> Value {
    Value::Bool(v != Some(&VersionConsistency::Disabled))
}
