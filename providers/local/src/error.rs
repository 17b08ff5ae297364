//! Errors of the local cloud itself (its file and its lock), as opposed to the
//! simulated AWS API errors, which are [`berth_provider::ProviderError`]s.

use std::path::PathBuf;

/// The local cloud file could not be opened, locked, read or written.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// Another process (or another [`crate::LocalCloud`] in this process) has
    /// the cloud open; `holder` says who, when it recorded it.
    #[error(
        "the local cloud {} is in use by another berth process (its lock file {}.lock is held); wait for that process to finish",
        path.display(),
        path.display()
    )]
    Locked {
        path: PathBuf,
        holder: Option<berth_provider::LockInfo>,
    },
    /// A file system operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a local cloud file (bad JSON, or values of the wrong shape).
    #[error("{} is not a valid local cloud file: {message}", path.display())]
    Format { path: PathBuf, message: String },
    /// The region given is not a region name.
    #[error("`{0}` is not an AWS region name (expected something like `us-east-1`)")]
    Region(String),
}

impl LocalError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        LocalError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
