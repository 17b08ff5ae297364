//! Persistence of the simulated account: the JSON file, its atomic
//! replacement and the advisory lock that keeps a second process out.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use berth_provider::LockInfo;

use crate::error::LocalError;
use crate::model::State;

/// The open file of one simulated account, locked for as long as it lives.
#[derive(Debug)]
pub(crate) struct Store {
    path: PathBuf,
    /// Held open so the exclusive lock lasts for the life of the store;
    /// holds the [`LockInfo`] of the run that holds it, as JSON, for the
    /// messages of runs that find it taken.
    lock: File,
    /// Modification time and length of the file as last written or read, to
    /// notice edits made by hand (drift) between operations.
    stamp: Option<(SystemTime, u64)>,
}

/// Counter making temporary file names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// Locks `path` (through `path.lock`) and loads it; a missing file is an
    /// empty account.
    pub fn open(path: &Path) -> Result<(Store, State), LocalError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| LocalError::io("create directory", dir, e))?;
        }
        let lock_path = lock_path(path);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| LocalError::io("open lock file", &lock_path, e))?;
        match lock.try_lock() {
            // Whatever it records is of a run that has ended.
            Ok(()) => lock
                .set_len(0)
                .map_err(|e| LocalError::io("clear lock file", &lock_path, e))?,
            Err(TryLockError::WouldBlock) => {
                return Err(LocalError::Locked {
                    path: path.to_owned(),
                    holder: read_holder(&lock_path),
                });
            }
            Err(TryLockError::Error(e)) => return Err(LocalError::io("lock", &lock_path, e)),
        }
        remove_stale_temp_files(path);
        let mut store = Store {
            path: path.to_owned(),
            lock,
            stamp: None,
        };
        let state = store.load()?;
        Ok((store, state))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records who holds the lock (`None`: no one in particular).
    pub fn set_holder(&mut self, holder: Option<&LockInfo>) -> Result<(), LocalError> {
        let text = holder
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| LocalError::Format {
                path: lock_path(&self.path),
                message: e.to_string(),
            })?
            .unwrap_or_default();
        let io = |e| LocalError::io("write lock file", lock_path(&self.path), e);
        self.lock.set_len(0).map_err(io)?;
        self.lock.rewind().map_err(io)?;
        self.lock.write_all(text.as_bytes()).map_err(io)?;
        self.lock.flush().map_err(io)
    }

    /// Who holds the lock, as last recorded.
    pub fn holder(&self) -> Option<LockInfo> {
        read_holder(&lock_path(&self.path))
    }

    fn current_stamp(&self) -> Option<(SystemTime, u64)> {
        let meta = fs::metadata(&self.path).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    }

    fn load(&mut self) -> Result<State, LocalError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.stamp = None;
                return Ok(State::default());
            }
            Err(e) => return Err(LocalError::io("read", &self.path, e)),
        };
        self.stamp = self.current_stamp();
        if text.trim().is_empty() {
            return Ok(State::default());
        }
        serde_json::from_str(&text).map_err(|e| LocalError::Format {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    /// Reloads the file if it changed since this store last read or wrote it
    /// (someone edited it by hand to simulate drift or inject a fault).
    pub fn reload_if_changed(&mut self, state: &mut State) -> Result<(), LocalError> {
        if self.current_stamp() != self.stamp {
            *state = self.load()?;
        }
        Ok(())
    }

    /// Replaces the file with `state` ([`Store::encode`], [`write_atomic`]).
    pub fn save(&mut self, state: &State) -> Result<(), LocalError> {
        let bytes = self.encode(state)?;
        write_atomic(&self.path, &bytes)?;
        self.wrote();
        Ok(())
    }

    /// The file's contents for `state`.
    pub fn encode(&self, state: &State) -> Result<Vec<u8>, LocalError> {
        let mut bytes = serde_json::to_vec_pretty(state).map_err(|e| LocalError::Format {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Records that this store just wrote the file, so that its own write
    /// is not taken for a hand edit.
    pub fn wrote(&mut self) {
        self.stamp = self.current_stamp();
    }
}

/// Replaces the file at `path` with `bytes` atomically: writes a temporary
/// file in the same directory, flushes it to disk, renames it over the file
/// and flushes the directory. A reader (or a process killed midway) sees the
/// old file or the new one, never a mix.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), LocalError> {
    let temp = temp_path(path);
    let written = write_synced(&temp, bytes)
        .and_then(|()| fs::rename(&temp, path).map_err(|e| LocalError::io("replace", path, e)));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Makes the rename itself durable. Not possible on every platform,
        // hence best effort.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), LocalError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| LocalError::io("create", path, e))?;
    file.write_all(bytes)
        .map_err(|e| LocalError::io("write", path, e))?;
    file.sync_all().map_err(|e| LocalError::io("flush", path, e))
}

/// Removes temporary files a killed process left behind; safe, as the lock
/// is held. The file itself is whole either way (the rename never happened).
fn remove_stale_temp_files(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The holder recorded in the lock file at `path`, if it records one.
fn read_holder(path: &Path) -> Option<LockInfo> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// `DIR/NAME.lock` for `DIR/NAME`.
pub(crate) fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

/// `DIR/.NAME.tmp-PID-N` for `DIR/NAME`.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_an_empty_account_and_saves_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/cloud.json");
        let (mut store, mut state) = Store::open(&path).unwrap();
        assert!(state.resources.is_empty());
        state.families.insert("f".into(), 3);
        store.save(&state).unwrap();
        let names: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        let mut names = names;
        names.sort();
        assert_eq!(names, ["cloud.json", "cloud.json.lock"]);
        drop(store);
        let (_store, state) = Store::open(&path).unwrap();
        assert_eq!(state.families.get("f"), Some(&3));
    }

    #[test]
    fn second_open_is_refused_while_the_first_lives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cloud.json");
        let first = Store::open(&path).unwrap();
        match Store::open(&path) {
            Err(LocalError::Locked { path: p, holder }) => {
                assert_eq!(p, path);
                assert_eq!(holder, None, "no holder recorded");
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        assert!(Store::open(&path).is_ok());
    }

    #[test]
    fn hand_edits_are_picked_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cloud.json");
        let (mut store, mut state) = Store::open(&path).unwrap();
        store.save(&state).unwrap();
        fs::write(
            &path,
            r#"{"families": {"x": 7}, "padding": "changes the length"}"#,
        )
        .unwrap();
        store.reload_if_changed(&mut state).unwrap();
        assert_eq!(state.families.get("x"), Some(&7));
    }

    #[test]
    fn bad_json_is_a_format_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cloud.json");
        fs::write(&path, "{nope").unwrap();
        assert!(matches!(Store::open(&path), Err(LocalError::Format { .. })));
    }
}
