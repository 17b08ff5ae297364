//! Opening the cloud a command works on: the embedded local cloud or AWS.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use berth_local::LocalCloud;
use berth_provider::Provider;

use crate::args::{Cloud as CloudArg, Global};

/// The cloud a command talks to.
pub enum Cloud {
    Local(LocalCloud),
}

impl Cloud {
    /// Opens the cloud chosen by `--cloud` for the stack in `dir`.
    pub fn open(global: &Global, dir: &Path, region: &str) -> anyhow::Result<Cloud> {
        match global.cloud {
            CloudArg::Local => {
                let path = local_state_path(global, dir);
                let cloud = LocalCloud::open(&path, region)
                    .with_context(|| format!("cannot open the local cloud at {}", path.display()))?;
                Ok(Cloud::Local(cloud))
            }
            CloudArg::Aws => anyhow::bail!("--cloud aws is not available in this build yet"),
        }
    }

    pub fn provider(&self) -> &dyn Provider {
        match self {
            Cloud::Local(c) => c,
        }
    }

    /// API calls made so far, by service and operation.
    pub fn stats(&self) -> BTreeMap<String, u64> {
        match self {
            Cloud::Local(c) => c.calls(),
        }
    }
}

/// `--local-state`, else `DIR/.berth/local-cloud.json`.
pub fn local_state_path(global: &Global, dir: &Path) -> PathBuf {
    global
        .local_state
        .clone()
        .unwrap_or_else(|| dir.join(".berth").join(berth_local::DEFAULT_FILE_NAME))
}
