//! A process killed while writing leaves a whole file, every resource it
//! created recorded, and the lock free; a live process keeps others out.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use berth_local::{LocalCloud, LocalError};
use berth_provider::{Kind, Provider};
use common::*;

const CHILD_ENV: &str = "BERTH_LOCAL_TEST_CHILD_PATH";

/// Run as a child process only: creates VPCs without end.
#[tokio::test]
async fn child_writer() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let cloud = LocalCloud::open(&PathBuf::from(path), REGION).expect("child opens");
    for i in 0.. {
        let vpc = desired(Kind::Vpc, &format!("v{i}"), &[("cidr", s("10.0.0.0/16"))]);
        cloud.create("s", &vpc).await.expect("child creates");
    }
}

fn spawn_writer(path: &std::path::Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, path)
        .spawn()
        .unwrap()
}

/// The stack's resources the file holds (not the parts AWS makes with a
/// VPC, which carry no berth tags until taken over).
fn resources_in(path: &std::path::Path) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let file: serde_json::Value = serde_json::from_str(&text).expect("never a torn file");
    file["resources"]
        .as_object()
        .map(|r| r.values().filter(|r| r["tags"]["berth:stack"] == "s").count())
}

#[tokio::test]
async fn killed_writer_leaves_a_whole_file_and_frees_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cloud.json");
    let mut child = spawn_writer(&path);
    let start = Instant::now();
    while resources_in(&path).unwrap_or(0) < 20 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "child made no progress"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // While it runs, the account is locked.
    assert!(matches!(
        LocalCloud::open(&path, REGION),
        Err(LocalError::Locked { .. })
    ));
    child.kill().unwrap();
    child.wait().unwrap();

    let recorded = resources_in(&path).unwrap();
    let cloud = LocalCloud::open(&path, REGION).expect("the lock dies with the process");
    let read = cloud.read_all("s").await.unwrap();
    assert_eq!(read.len(), recorded);
    assert!(recorded >= 20);
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}
