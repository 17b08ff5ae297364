//! `berth fmt [DIR] [--check]`: rewrite files in the canonical layout, or
//! with `--check` list those that would change and exit 1.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use berth_lang::{Sources, fmt::format_file, load};

use crate::{report, stdout};

pub fn run(dir: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let mut changed = Vec::new();
    let mut sources = Sources::new();
    let mut errors = Vec::new();
    for path in load::berth_files(dir)? {
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let before = errors.len();
        let id = load::add_bytes(&mut sources, &mut errors, &path, &bytes);
        if errors.len() > before {
            continue;
        }
        let text = &sources.get(id).text;
        match format_file(id, text) {
            Ok(formatted) if formatted != *text => {
                if !check {
                    std::fs::write(&path, formatted)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
                changed.push(path);
            }
            Ok(_) => {}
            Err(ds) => errors.extend(ds),
        }
    }
    for path in &changed {
        stdout::print(&format!("{}\n", path.display()))?;
    }
    if !errors.is_empty() {
        report::diagnostics(&sources, &errors);
        return Ok(ExitCode::from(1));
    }
    Ok(if check && !changed.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
