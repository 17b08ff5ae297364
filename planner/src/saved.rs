//! Saved plans (`berth plan --out FILE`): the plan plus what it was made
//! from, so `berth apply FILE` applies exactly that plan or refuses.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::plan::Plan;

/// Version of the saved-plan file format.
pub const FORMAT_VERSION: u32 = 1;

/// A plan written to a file. Holds no secret: the plan is masked, and the
/// values to apply are evaluated again from the (unchanged) configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format_version: u32,
    /// The stack directory, as given to `plan`.
    pub dir: PathBuf,
    /// The `--var` settings the plan was made with.
    pub vars: BTreeMap<String, String>,
    pub plan: Plan,
}

/// Why a saved plan cannot be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Stale {
    #[error("the plan file has format version {0}; this berth reads version {FORMAT_VERSION}")]
    Version(u32),
    #[error("the configuration changed since the plan was made; run `berth plan` again")]
    Config,
    #[error("the live state of stack {0:?} changed since the plan was made; run `berth plan` again")]
    Live(String),
    #[error("the plan no longer matches what berth would do now; run `berth plan` again")]
    Plan,
}

impl SavedPlan {
    pub fn new(dir: PathBuf, vars: BTreeMap<String, String>, plan: Plan) -> Self {
        SavedPlan {
            format_version: FORMAT_VERSION,
            dir,
            vars,
            plan,
        }
    }

    /// Checks that `fresh`, planned now from the same directory and
    /// variables, is the saved plan.
    pub fn check(&self, fresh: &Plan) -> Result<(), Stale> {
        if self.format_version != FORMAT_VERSION {
            return Err(Stale::Version(self.format_version));
        }
        if self.plan.fingerprint.config != fresh.fingerprint.config {
            return Err(Stale::Config);
        }
        if self.plan.fingerprint.live != fresh.fingerprint.live {
            return Err(Stale::Live(fresh.stack.clone()));
        }
        if self.plan != *fresh {
            return Err(Stale::Plan);
        }
        Ok(())
    }
}
