//! Reading a stack's `.berth` files from a directory.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Sources, Span};

/// A stack directory that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no .berth files in {0}")]
    Empty(PathBuf),
}

/// The `.berth` files directly in `dir`, sorted by name.
pub fn berth_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "berth") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Empty(dir.to_owned()));
    }
    Ok(files)
}

/// Reads every `.berth` file of `dir`. Bytes that are not UTF-8 are
/// replaced and reported as a diagnostic at the first bad byte.
pub fn load_dir(dir: &Path) -> Result<(Sources, Vec<Diagnostic>), LoadError> {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    for path in berth_files(dir)? {
        let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
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
