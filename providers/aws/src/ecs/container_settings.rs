//! A container's runtime settings beside its image and command: Linux
//! parameters (`linux`), kernel parameters (`system_control`),
//! environment files and private registry credentials.

use aws_sdk_ecs::types::{
    EnvironmentFile, EnvironmentFileType, KernelCapabilities, LinuxParameters, RepositoryCredentials,
    SystemControl,
};
use berth_provider::{Attrs, ProviderError, Value};

use crate::attrs::{attrs, blocks_of, bool_of, opt_str, str_list, str_of, strs_of};
use crate::errors::build_error;

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
