//! Reading a stack's `.berth` files from a directory.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Sources, Span};

/// A stack directory, or one of its `.berth` files, that cannot be read.
/// A file is never skipped: a stack read without one of its files would
/// plan the destruction of that file's resources.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    // The OS error is part of the message and deliberately not a `source`,
    // so error chains print it once.
    #[error("cannot read {path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("cannot read {path}: it is {what}, not a file")]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("no .berth files in {}{}", .0.display(), terraform_hint(*.1))]
    Empty(PathBuf, usize),
}

/// What to do with a directory of Terraform's `.tf` files (`count` of them).
fn terraform_hint(count: usize) -> String {
    match count {
        0 => String::new(),
        n => format!(
            " ({n} Terraform `.tf` file{} there: berth reads their HCL as written from files named `.berth`; rename them, e.g. `for f in *.tf; do mv \"$f\" \"${{f%.tf}}.berth\"; done`)",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// Every entry of `dir` named `*.berth`, sorted, whatever it is (a file, a
/// dangling symlink, a directory...). The language server lists with this,
/// so one bad entry does not hide the others.
pub fn berth_entries(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |error| LoadError::Io {
        path: dir.to_owned(),
        error,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "berth") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The `.berth` files directly in `dir`, sorted by name. An entry named
/// `*.berth` that cannot be read as a file (a dangling symlink, a symlink
/// loop, a directory, a FIFO) is an error naming it.
pub fn berth_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let files = berth_entries(dir)?;
    for path in &files {
        check_file(path)?;
    }
    if files.is_empty() {
        let terraform = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "tf"))
                    .count()
            })
            .unwrap_or(0);
        return Err(LoadError::Empty(dir.to_owned(), terraform));
    }
    Ok(files)
}

/// Fails unless `path` (after symlinks) is a regular file: reading a FIFO
/// would block, and a directory or a broken link has nothing to read.
fn check_file(path: &Path) -> Result<(), LoadError> {
    let meta = std::fs::metadata(path).map_err(|error| LoadError::Io {
        path: path.to_owned(),
        error,
    })?;
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "a directory"
    } else {
        "a special file (a FIFO, socket or device)"
    };
    Err(LoadError::NotAFile {
        path: path.to_owned(),
        what,
    })
}

/// Reads every `.berth` file of `dir`. Bytes that are not UTF-8 are
/// replaced and reported as a diagnostic at the first bad byte.
pub fn load_dir(dir: &Path) -> Result<(Sources, Vec<Diagnostic>), LoadError> {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    for path in berth_files(dir)? {
        let bytes = std::fs::read(&path).map_err(|error| LoadError::Io {
            path: path.clone(),
            error,
        })?;
        add_bytes(&mut sources, &mut diags, &path, &bytes);
    }
    Ok((sources, diags))
}

/// Adds one file's bytes to `sources`, reporting invalid UTF-8. A UTF-8
/// byte-order mark is dropped, so columns on the first line count from the
/// first real character.
pub fn add_bytes(sources: &mut Sources, diags: &mut Vec<Diagnostic>, path: &Path, bytes: &[u8]) -> FileId {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => sources.add(path, text),
        Err(e) => {
            let at = e.valid_up_to();
            let id = sources.add(path, String::from_utf8_lossy(bytes).into_owned());
            diags.push(
                Diagnostic::error("E0006", "file is not valid UTF-8", Span::new(id, at, at + 1))
                    .label("invalid byte here")
                    .help("save the file as UTF-8"),
            );
            id
        }
    }
}
