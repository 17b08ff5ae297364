//! The one line that says where a plan or apply runs: the local simulation
//! and its file, or AWS with its region and endpoint, so that nobody takes
//! a simulated run for a real one or one account for another.

use std::path::Path;

use crate::args::{Cloud, Global};
use crate::cloud::local_state_path;

/// Where the stack in `dir` runs: `local simulation (./.berth/local-cloud.json),
/// region us-east-1`, or `AWS account 123456789012, region us-east-1,
/// endpoint http://127.0.0.1:5000, profile ci` (the account as the cloud
/// says, when it can).
pub fn describe(global: &Global, dir: &Path, region: &str, account: Option<&str>) -> String {
    match global.cloud {
        Cloud::Local => format!(
            "local simulation ({}), region {region}",
            local_state_path(global, dir).display()
        ),
        Cloud::Aws => {
            let mut out = match account {
                Some(account) => format!("AWS account {account}, region {region}"),
                None => format!("AWS region {region}"),
            };
            if let Some(endpoint) = env("AWS_ENDPOINT_URL") {
                out.push_str(&format!(", endpoint {endpoint}"));
            }
            if let Some(profile) = env("AWS_PROFILE") {
                out.push_str(&format!(", profile {profile}"));
            }
            out
        }
    }
}

/// An environment variable, if set and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Prints the line on stderr, which keeps stdout for the plan itself.
pub fn announce(what: &str, stack: &str, place: &str) {
    say!("{what} stack {stack:?} on {place}");
}
