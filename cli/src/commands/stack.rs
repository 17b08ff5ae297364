//! Loading and analysing the stack in a directory, shared by the commands
//! that evaluate it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use berth_lang::syntax::{self, ast};
use berth_lang::{Analysis, Diagnostic, Options, Sources, analyze, load};

use crate::args::Vars;

/// Loads and analyses the stack in `dir` with the given variables;
/// `availability_zones()` gives the zones AWS documents for the region.
pub fn analyse(dir: &Path, vars: &Vars) -> anyhow::Result<Analysis> {
    analyse_with_zones(dir, vars, None)
}

/// [`analyse`], with the zones the cloud gives the stack's region.
fn analyse_with_zones(dir: &Path, vars: &Vars, zones: Option<Vec<String>>) -> anyhow::Result<Analysis> {
    let (sources, diagnostics) = load::load_dir(dir)?;
    let (vars, var_origins) = variables_with_origins(vars)?;
    let options = Options {
        vars,
        var_origins,
        default_name: default_name(dir),
        zones,
    };
    Ok(analyze(sources, diagnostics, &options))
}

/// The evaluated stack and the cloud it lives in, or `None` after printing
/// its diagnostics. A stack that calls `availability_zones()` is evaluated
/// again with the zones the cloud answers (DescribeAvailabilityZones), so
/// a plan is a function of the configuration and what the cloud says.
pub fn evaluate_in_cloud(
    global: &crate::args::Global,
    dir: &Path,
    vars: &Vars,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<Option<(berth_lang::Stack, crate::cloud::Cloud)>> {
    let analysis = analyse(dir, vars)?;
    let Some(stack) = analysis.stack else {
        crate::report::diagnostics(&analysis.sources, &analysis.diagnostics);
        return Ok(None);
    };
    let cloud = crate::cloud::Cloud::open(global, dir, &stack.region, runtime)?;
    if !analysis.zones_read {
        return Ok(Some((stack, cloud)));
    }
    let zones = runtime
        .block_on(cloud.provider().availability_zones())
        .context("cannot read the region's availability zones")?;
    let analysis = analyse_with_zones(dir, vars, Some(zones))?;
    let Some(stack) = analysis.stack else {
        crate::report::diagnostics(&analysis.sources, &analysis.diagnostics);
        return Ok(None);
    };
    Ok(Some((stack, cloud)))
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
    Ok(variables_with_origins(vars)?.0)
}

/// The variables, and where each one the command line does not set was
/// set (`qa.vars:3`), for diagnostics.
fn variables_with_origins(
    vars: &Vars,
) -> anyhow::Result<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let mut out = BTreeMap::new();
    let mut origins = BTreeMap::new();
    for file in &vars.var_files {
        for (name, value, origin) in var_file(file)? {
            origins.insert(name.clone(), origin);
            out.insert(name, value);
        }
    }
    for (name, value) in &vars.vars {
        origins.remove(name);
        out.insert(name.clone(), value.clone());
    }
    Ok((out, origins))
}

/// One `--var-file`, read by the language's own parser: `NAME = value`
/// attributes with the comments, strings and escapes of a `.berth` file.
/// Each value (with its `FILE:LINE`) becomes the text `--var NAME=...` would carry: a string's
/// decoded text, any other value as written. Its errors are diagnostics
/// naming the file and line.
fn var_file(path: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    let id = load::add_bytes(&mut sources, &mut diagnostics, path, &bytes);
    let text = &sources.get(id).text;
    let parsed = syntax::parse_vars(id, text);
    diagnostics.extend(parsed.errors);
    let mut values = Vec::new();
    for attr in &parsed.tree {
        match var_text(text, &attr.value) {
            Ok(value) => {
                let (line, _) = sources.line_col(id, attr.name.span.start);
                let origin = format!("{}:{line}", path.display());
                values.push((attr.name.name.clone(), value, origin));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        crate::report::diagnostics(&sources, &diagnostics);
        anyhow::bail!("{} is not a valid variables file", path.display());
    }
    Ok(values)
}

/// The `--var` text of a var-file value.
// Diagnostics are built on the cold path only; their size does not matter.
#[allow(clippy::result_large_err)]
fn var_text(text: &str, value: &ast::Expr) -> Result<String, Diagnostic> {
    let ast::ExprKind::String(parts) = &value.kind else {
        return Ok(text[value.span.range()].to_owned());
    };
    let mut out = String::new();
    for part in parts {
        match part {
            ast::StrPart::Lit(s) => out.push_str(s),
            ast::StrPart::Interp(e) => {
                return Err(Diagnostic::error(
                    "E0008",
                    "interpolation in a variables file",
                    e.span,
                )
                .label("`${...}` cannot be evaluated here")
                .help("a variables file holds plain values; write the text itself, or `$${` for a literal `${`"));
            }
        }
    }
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
