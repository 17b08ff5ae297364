//! Saved plans (`berth plan --out FILE`): the plan plus what it was made
//! from, so `berth apply FILE` applies exactly that plan or refuses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plan::Plan;

/// Version of the saved-plan file format. 2: the directory is absolute and
/// sensitive variables are saved as salted hashes.
pub const FORMAT_VERSION: u32 = 2;

/// A plan written to a file. Holds no secret: the plan is masked, sensitive
/// `--var` settings are kept only as salted hashes, and the values to
/// apply are evaluated again from the (unchanged) configuration, with the
/// sensitive settings given again to `apply`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format_version: u32,
    /// The stack directory, absolute, so the plan applies from anywhere.
    pub dir: PathBuf,
    /// The `--var` settings of variables that are not sensitive.
    pub vars: BTreeMap<String, String>,
    /// The `--var` settings of sensitive variables, as `sha256:HEX` of
    /// `salt`, name and value: enough to check the value given again to
    /// `apply`, never the value.
    #[serde(default)]
    pub sensitive_vars: BTreeMap<String, String>,
    /// Random per plan, so equal secrets do not hash alike across plans.
    #[serde(default)]
    pub salt: String,
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
    #[error(
        "the plan was made with sensitive variable `{0}`, whose value a plan file never holds: \
         give it again with --var {0}=VALUE or --var-file"
    )]
    SensitiveMissing(String),
    #[error("the value given for sensitive variable `{0}` is not the one the plan was made with")]
    SensitiveDiffers(String),
    #[error(
        "--var {0}: a saved plan is applied with the variables it was made with; \
         only sensitive ones are given again"
    )]
    VarConflict(String),
}

impl SavedPlan {
    /// A saved plan of `plan`, made in `dir` with the `vars` settings, of
    /// which those naming a variable in `sensitive` are kept as hashes.
    pub fn new(
        dir: PathBuf,
        vars: BTreeMap<String, String>,
        sensitive: &BTreeSet<String>,
        plan: Plan,
    ) -> Self {
        let salt = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        let (secret, clear): (BTreeMap<_, _>, BTreeMap<_, _>) =
            vars.into_iter().partition(|(name, _)| sensitive.contains(name));
        let sensitive_vars = secret
            .into_iter()
            .map(|(name, value)| {
                let h = digest(&salt, &name, &value);
                (name, h)
            })
            .collect();
        SavedPlan {
            format_version: FORMAT_VERSION,
            dir,
            vars: clear,
            sensitive_vars,
            salt,
            plan,
        }
    }

    /// The settings to evaluate the stack with again: the saved ones, plus
    /// the sensitive ones taken from `given` (what `apply` was given) once
    /// each matches its hash. `given` may repeat a saved setting, not
    /// change it.
    pub fn settings(&self, given: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, Stale> {
        if self.format_version != FORMAT_VERSION {
            return Err(Stale::Version(self.format_version));
        }
        let mut out = self.vars.clone();
        for (name, value) in given {
            if self.sensitive_vars.contains_key(name) {
                continue;
            }
            if self.vars.get(name) != Some(value) {
                return Err(Stale::VarConflict(name.clone()));
            }
        }
        for (name, hash) in &self.sensitive_vars {
            let value = given
                .get(name)
                .ok_or_else(|| Stale::SensitiveMissing(name.clone()))?;
            if digest(&self.salt, name, value) != *hash {
                return Err(Stale::SensitiveDiffers(name.clone()));
            }
            out.insert(name.clone(), value.clone());
        }
        Ok(out)
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

/// `sha256:HEX` of one sensitive setting.
fn digest(salt: &str, name: &str, value: &str) -> String {
    let mut h = Sha256::new();
    for part in [salt, name, value] {
        // Length-prefixed, so no two settings hash the same text.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Fingerprint;

    fn empty_plan() -> Plan {
        Plan {
            stack: "s".into(),
            region: "us-east-1".into(),
            resources: Vec::new(),
            outputs: Vec::new(),
            fingerprint: Fingerprint {
                config: String::new(),
                live: String::new(),
            },
        }
    }

    fn settings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn keeps_sensitive_settings_as_hashes_and_checks_them_again() {
        let sensitive = BTreeSet::from(["password".to_owned()]);
        let saved = SavedPlan::new(
            PathBuf::from("/stack"),
            settings(&[("env", "prod"), ("password", "hunter2-CANARY")]),
            &sensitive,
            empty_plan(),
        );
        let text = serde_json::to_string(&saved).expect("json");
        assert!(!text.contains("hunter2") && !text.contains("CANARY"), "{text}");
        assert_eq!(saved.vars, settings(&[("env", "prod")]));

        assert_eq!(
            saved.settings(&settings(&[])),
            Err(Stale::SensitiveMissing("password".into()))
        );
        assert_eq!(
            saved.settings(&settings(&[("password", "wrong")])),
            Err(Stale::SensitiveDiffers("password".into()))
        );
        assert_eq!(
            saved.settings(&settings(&[("password", "hunter2-CANARY"), ("env", "qa")])),
            Err(Stale::VarConflict("env".into()))
        );
        assert_eq!(
            saved.settings(&settings(&[("password", "hunter2-CANARY"), ("env", "prod")])),
            Ok(settings(&[("env", "prod"), ("password", "hunter2-CANARY")]))
        );
        // Another plan of the same secret hashes it differently.
        let again = SavedPlan::new(
            PathBuf::from("/stack"),
            settings(&[("password", "hunter2-CANARY")]),
            &sensitive,
            empty_plan(),
        );
        assert_ne!(again.sensitive_vars, saved.sensitive_vars);
    }
}
