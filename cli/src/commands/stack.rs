//! Loading and analysing the stack in a directory, shared by the commands
//! that evaluate it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use berth_lang::{Analysis, Options, analyze, load, syntax};

use crate::args::Vars;

/// Loads and analyses the stack in `dir` with the given variables.
pub fn analyse(dir: &Path, vars: &Vars) -> anyhow::Result<Analysis> {
    let (sources, diagnostics) = load::load_dir(dir)?;
    let options = Options {
        vars: variables(vars)?,
        default_name: default_name(dir),
    };
    Ok(analyze(sources, diagnostics, &options))
}

/// A stack without a `stack` block is named after its directory.
fn default_name(dir: &Path) -> String {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    abs.file_name()
        .map_or_else(|| "default".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// `--var-file` settings, then `--var` ones (the command line wins); also
/// what `plan --out` saves.
pub fn variables(vars: &Vars) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for file in &vars.var_files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once('=')
                .with_context(|| format!("{}:{}: expected NAME = VALUE", file.display(), n + 1))?;
            let value = value.trim();
            // A quoted value is a string: store its text, as --var would.
            let value = match syntax::parse_expr(value) {
                Ok(e) if matches!(e.kind, syntax::ast::ExprKind::String(_)) => {
                    value[1..value.len() - 1].to_owned()
                }
                _ => value.to_owned(),
            };
            out.insert(name.trim().to_owned(), value);
        }
    }
    out.extend(vars.vars.iter().cloned());
    Ok(out)
}

/// The evaluated stack, or `None` after printing its diagnostics.
pub fn evaluate(dir: &Path, vars: &Vars) -> anyhow::Result<Option<berth_lang::Stack>> {
    let analysis = analyse(dir, vars)?;
    if analysis.stack.is_none() {
        crate::report::diagnostics(&analysis.sources, &analysis.diagnostics);
    }
    Ok(analysis.stack)
}

/// A runtime for the commands that talk to a cloud.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
