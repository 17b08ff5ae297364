//! Helpers shared by the integration tests: the local cloud in a temp dir;
//! desired resources, the contract-checking `create` and the blog stack come
//! from berth-test-support's kit.
#![allow(dead_code)]

use berth_local::LocalCloud;
use berth_provider::{Resource, Value};

pub use berth_test_support::stack::*;

/// The local cloud in `dir`, retrying injected faults for 50 ms at most.
pub fn open(dir: &tempfile::TempDir) -> LocalCloud {
    LocalCloud::open(&dir.path().join(".berth/local-cloud.json"), REGION)
        .expect("open local cloud")
        .with_retry_policy(berth_provider::RetryPolicy {
            // Long enough for a few retries on a loaded machine (two
            // throttles and a file write each), short for faults that
            // never end.
            deadline: std::time::Duration::from_millis(750),
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(5),
        })
}

/// The blog's login task definition with `cpu` and `memory` (the kit's has
/// 256 and 512).
pub fn task_definition(name: &str, role: &Resource, log: &Resource, cpu: i64, memory: i64) -> Resource {
    let td = berth_test_support::stack::task_definition(name, role, log, "dev");
    with(with(td, "cpu", Value::Int(cpu)), "memory", Value::Int(memory))
}
