//! Terraform's file functions: `file(path)`, `filebase64(path)`,
//! `fileexists(path)` and `templatefile(path, vars)`, with paths relative to the directory of
//! the `.berth` file that calls them (`path.module` is that directory,
//! `.`). A template (`template.rs`) is read as one berth string, its
//! variables bound as names.

use std::path::Path;

/// The functions that read files, which the evaluator answers.
pub const FUNCTIONS: &[&str] = &["file", "filebase64", "fileexists"];

/// The functions that render a template (`templatefile` reads it from a
/// file), which the evaluator answers: their variables may be known only
/// after apply.
pub const TEMPLATES: &[&str] = &["templatefile", "templatestring"];

/// `path.module` and `path.root`: the stack's directory, as Terraform
/// gives a root module's.
pub const MODULE_DIR: &str = ".";

/// The text of `path`, relative to `dir`.
pub fn read(dir: &Path, path: &str) -> Result<String, String> {
    let full = dir.join(path);
    let bytes = std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", full.display()))
}

/// The bytes of `path`, relative to `dir`, in standard padded base64
/// (Terraform's `filebase64`, for files that are not text: a CA bundle in
/// DER, an archive).
pub fn read_base64(dir: &Path, path: &str) -> Result<String, String> {
    use base64::Engine;
    let full = dir.join(path);
    let bytes = std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Whether `path`, relative to `dir`, is a file.
pub fn exists(dir: &Path, path: &str) -> bool {
    dir.join(path).is_file()
}
