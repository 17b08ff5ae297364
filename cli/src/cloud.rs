//! Opening the cloud a command works on: the embedded local cloud or AWS.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use berth_aws::{AwsProvider, Limits};
use berth_local::LocalCloud;
use berth_provider::{Kind, Provider, Resource};
use tokio::runtime::Runtime;

use crate::args::{Cloud as CloudArg, Global};

/// The cloud a command talks to.
pub enum Cloud {
    Local(Box<LocalCloud>),
    Aws(Box<AwsProvider>),
}

impl Cloud {
    /// Opens the cloud chosen by `--cloud` for the stack in `dir`. AWS uses
    /// the standard credential chain and `AWS_ENDPOINT_URL`; the stack's
    /// region wins over `AWS_REGION`.
    pub fn open(global: &Global, dir: &Path, region: &str, runtime: &Runtime) -> anyhow::Result<Cloud> {
        match global.cloud {
            CloudArg::Local => {
                let path = local_state_path(global, dir);
                let cloud = LocalCloud::open(&path, region)
                    .with_context(|| format!("cannot open the local cloud at {}", path.display()))?;
                Ok(Cloud::Local(Box::new(cloud)))
            }
            CloudArg::Aws => {
                let limits = Limits {
                    max_rps: global.max_rps,
                    ..Limits::default()
                };
                let aws = runtime
                    .block_on(AwsProvider::from_env(region))
                    .context("cannot configure AWS")?
                    .with_limits(limits);
                Ok(Cloud::Aws(Box::new(aws)))
            }
        }
    }

    pub fn provider(&self) -> &dyn Provider {
        match self {
            Cloud::Local(c) => c.as_ref(),
            Cloud::Aws(c) => c.as_ref(),
        }
    }

    /// Waits until every resource among `resources` is ready (an ECS
    /// service steady: as many tasks running as desired, one deployment).
    pub async fn wait_until_ready(&self, resources: &[Resource], timeout: Duration) -> anyhow::Result<()> {
        for service in resources.iter().filter(|r| r.address.kind == Kind::Service) {
            eprintln!("{}: waiting for a steady state...", service.address);
            self.provider()
                .wait_until_ready(service, timeout)
                .await
                .with_context(|| format!("{} did not reach a steady state", service.address))?;
            eprintln!("{}: steady", service.address);
        }
        Ok(())
    }
}

/// `--local-state`, else `DIR/.berth/local-cloud.json`.
pub fn local_state_path(global: &Global, dir: &Path) -> PathBuf {
    global
        .local_state
        .clone()
        .unwrap_or_else(|| dir.join(".berth").join(berth_local::DEFAULT_FILE_NAME))
}
