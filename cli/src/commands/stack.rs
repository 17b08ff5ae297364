//! Loading and analysing the stack in a directory, shared by the commands
//! that evaluate it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use berth_lang::eval::LookupFn;
use berth_lang::syntax::{self, ast};
use berth_lang::{Analysis, Diagnostic, Options, Sources, analyze_in_cloud, load};
use berth_provider::lookup::Query;

use crate::args::Vars;

/// Loads and analyses the stack in `dir` with the given variables;
/// `availability_zones()` gives the zones AWS documents for the region and
/// lookups (`data` blocks) are placeholders.
pub fn analyse(dir: &Path, vars: &Vars) -> anyhow::Result<Analysis> {
    analyse_with(dir, vars, None, None)
}

/// [`analyse`], with the zones the cloud gives the stack's region and the
/// cloud answering its lookups.
fn analyse_with(
    dir: &Path,
    vars: &Vars,
    zones: Option<Vec<String>>,
    lookup: Option<&LookupFn<'_>>,
) -> anyhow::Result<Analysis> {
    let (sources, diagnostics) = load::load_dir(dir)?;
    let settings = variables(dir, vars)?;
    let options = Options {
        vars: settings.values,
        var_origins: settings.origins,
        optional_vars: settings.optional,
        default_name: default_name(dir),
        zones,
    };
    Ok(analyze_in_cloud(sources, diagnostics, &options, lookup))
}

/// What of the cloud a stack reads while it is evaluated.
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    /// It calls `availability_zones()`.
    pub zones: bool,
    /// It has `data` blocks.
    pub lookups: bool,
}

impl Reads {
    fn of(analysis: &Analysis) -> Reads {
        Reads {
            zones: analysis.zones_read,
            lookups: analysis.lookups_read,
        }
    }
}

/// How a command reads the stack's lookups (`data` blocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookups {
    /// The cloud answers them; one that fails is an error (`plan`,
    /// `apply`, `output`).
    Read,
    /// The cloud answers them where it can (`destroy`: the stack's records
    /// in a zone it looked up are found only under that zone); when one
    /// fails (what it found was deleted), all are placeholders, so that it
    /// stops nothing.
    WhereFound,
    /// Placeholders (`unlock`: it needs only the stack's name).
    Placeholders,
}

/// The evaluated stack and the cloud it lives in, or `None` after printing
/// its diagnostics. A stack that calls `availability_zones()` or looks
/// resources up is evaluated again with what the cloud answers
/// (DescribeAvailabilityZones, the lookups' Describe calls), so a plan is
/// a function of the configuration and what the cloud says; `lookups`
/// says how its lookups are read.
pub fn evaluate_in_cloud(
    global: &crate::args::Global,
    dir: &Path,
    vars: &Vars,
    runtime: &tokio::runtime::Runtime,
    lookups: Lookups,
) -> anyhow::Result<Option<(berth_lang::Stack, crate::cloud::Cloud)>> {
    let analysis = analyse(dir, vars)?;
    let read = Reads::of(&analysis);
    let Some(stack) = analysis.stack else {
        crate::report::diagnostics(&analysis.sources, &analysis.diagnostics);
        return Ok(None);
    };
    let cloud = crate::cloud::Cloud::open(global, dir, &stack.region, runtime)?;
    let reads = Reads {
        lookups: lookups != Lookups::Placeholders && read.lookups,
        ..read
    };
    if !reads.zones && !reads.lookups {
        return Ok(Some((stack, cloud)));
    }
    if lookups == Lookups::WhereFound {
        let found = analyse_in_cloud(dir, vars, runtime, &cloud, reads)?;
        if let Some(stack) = found.stack {
            return Ok(Some((stack, cloud)));
        }
        say!(
            "warning: the stack's lookups could not all be read; they are placeholders, so resources \
             of the stack under a parent it looks up (records in a zone found by `data`) are not found"
        );
        let placeholders = Reads {
            lookups: false,
            ..reads
        };
        return Ok(in_cloud(dir, vars, runtime, &cloud, placeholders)?.map(|stack| (stack, cloud)));
    }
    Ok(in_cloud(dir, vars, runtime, &cloud, reads)?.map(|stack| (stack, cloud)))
}

/// The stack evaluated again with what `cloud` answers: its zones, for a
/// stack that calls `availability_zones()`, and its lookups; `None` after
/// printing diagnostics.
pub fn in_cloud(
    dir: &Path,
    vars: &Vars,
    runtime: &tokio::runtime::Runtime,
    cloud: &crate::cloud::Cloud,
    reads: Reads,
) -> anyhow::Result<Option<berth_lang::Stack>> {
    let analysis = analyse_in_cloud(dir, vars, runtime, cloud, reads)?;
    let Some(stack) = analysis.stack else {
        crate::report::diagnostics(&analysis.sources, &analysis.diagnostics);
        return Ok(None);
    };
    Ok(Some(stack))
}

/// The analysis of [`in_cloud`], its diagnostics not printed.
fn analyse_in_cloud(
    dir: &Path,
    vars: &Vars,
    runtime: &tokio::runtime::Runtime,
    cloud: &crate::cloud::Cloud,
    reads: Reads,
) -> anyhow::Result<Analysis> {
    let zones = match reads.zones {
        true => Some(
            runtime
                .block_on(cloud.provider().availability_zones())
                .context("cannot read the region's availability zones")?,
        ),
        false => None,
    };
    let provider = cloud.provider();
    let lookup = |query: &Query| {
        runtime
            .block_on(provider.lookup(query))
            .map_err(|e| e.to_string())
    };
    analyse_with(
        dir,
        vars,
        zones,
        reads.lookups.then_some(&lookup as &LookupFn<'_>),
    )
}

/// The account `cloud` works in, for the line saying where a run goes;
/// an error naming the call when the cloud cannot be asked (an endpoint
/// that never answers, no credentials): every later call would fail so.
pub fn account(
    runtime: &tokio::runtime::Runtime,
    cloud: &crate::cloud::Cloud,
) -> anyhow::Result<Option<String>> {
    runtime
        .block_on(cloud.provider().account())
        .context("cannot ask the cloud which account it is")
}

/// A stack without a `stack` block is named after its directory.
pub fn default_name(dir: &Path) -> String {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    abs.file_name()
        .map_or_else(|| "default".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The variables of the stack in `dir` and `vars`: their values, where
/// each one the command line does not set was set (`qa.vars:3`), for
/// diagnostics, and those set only by a file read without being named.
pub struct Settings {
    /// Each variable's text, as `--var` would give it.
    pub values: BTreeMap<String, String>,
    origins: BTreeMap<String, String>,
    /// Set by no file but those read without being named.
    pub optional: BTreeSet<String>,
}

/// Terraform's environment variables of variables: `TF_VAR_NAME`.
const ENV_PREFIX: &str = "TF_VAR_";

/// The variables of the stack in `dir`: `TF_VAR_NAME` environment
/// variables, as Terraform reads them (CI jobs pass image tags so), then
/// the variables files Terraform reads by themselves there
/// ([`auto_var_files`]), then `--var-file` settings, then `--var` ones
/// (the command line wins); also what `plan --out` saves.
pub fn variables(dir: &Path, vars: &Vars) -> anyhow::Result<Settings> {
    let mut settings = Settings {
        values: BTreeMap::new(),
        origins: BTreeMap::new(),
        optional: BTreeSet::new(),
    };
    // Like an auto file's, a variable the stack does not declare is
    // ignored: the environment holds other stacks' too.
    let env = std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    for (key, value) in env {
        if let Some(name) = key.strip_prefix(ENV_PREFIX).filter(|n| !n.is_empty()) {
            settings.optional.insert(name.to_owned());
            settings.origins.insert(name.to_owned(), key.clone());
            settings.values.insert(name.to_owned(), value);
        }
    }
    let auto = auto_var_files(dir)?;
    let files = auto
        .iter()
        .map(|f| (f, true))
        .chain(vars.var_files.iter().map(|f| (f, false)));
    for (file, optional) in files {
        for (name, value, origin) in var_file(file)? {
            match optional {
                true => settings.optional.insert(name.clone()),
                false => settings.optional.remove(&name),
            };
            settings.origins.insert(name.clone(), origin);
            settings.values.insert(name, value);
        }
    }
    for (name, value) in &vars.vars {
        settings.origins.remove(name);
        settings.optional.remove(name);
        settings.values.insert(name.clone(), value.clone());
    }
    Ok(settings)
}

/// The variables files of `dir` read without being named, in Terraform's
/// order (a later one wins): `terraform.tfvars`, `terraform.tfvars.json`,
/// then every `*.auto.tfvars` and `*.auto.tfvars.json` by name. A stack
/// ported from Terraform keeps its values where they were.
fn auto_var_files(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut auto = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_file() && (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")) {
            auto.push(path);
        }
    }
    auto.sort();
    let fixed = ["terraform.tfvars", "terraform.tfvars.json"]
        .into_iter()
        .map(|name| dir.join(name))
        .filter(|path| path.is_file());
    Ok(fixed.chain(auto).collect())
}

/// One `--var-file`, read by the language's own parser: `NAME = value`
/// attributes with the comments, strings and escapes of a `.berth` file.
/// Each value (with its `FILE:LINE`) becomes the text `--var NAME=...` would carry: a string's
/// decoded text, `null` the language's [`berth_lang::analyze::NULL_VAR`], any other value as written. Its errors are diagnostics
/// naming the file and line.
fn var_file(path: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        return json_var_file(path, &bytes);
    }
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

/// A JSON variables file (Terraform's `.tfvars.json`): one object, each
/// member a variable; a string is its text, any other value its JSON,
/// which reads as the same value in berth's syntax.
fn json_var_file(path: &Path, bytes: &[u8]) -> anyhow::Result<Vec<(String, String, String)>> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(bytes)
        .with_context(|| format!("{} is not a JSON object of variables", path.display()))?;
    let origin = path.display().to_string();
    Ok(object
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => berth_lang::analyze::NULL_VAR.to_owned(),
                other => other.to_string(),
            };
            (name, text, origin.clone())
        })
        .collect())
}

/// The `--var` text of a var-file value.
// Diagnostics are built on the cold path only; their size does not matter.
#[allow(clippy::result_large_err)]
fn var_text(text: &str, value: &ast::Expr) -> Result<String, Diagnostic> {
    let parts = match &value.kind {
        ast::ExprKind::String(parts) => parts,
        ast::ExprKind::Null => return Ok(berth_lang::analyze::NULL_VAR.to_owned()),
        _ => return Ok(text[value.span.range()].to_owned()),
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
    Ok(evaluate_or_invalid(dir, vars)?.ok().map(|(stack, _)| stack))
}

/// A stack that does not evaluate: for a report other than the terminal's.
pub struct Invalid {
    /// The stack's name as far as its files say it (see [`declared_name`]).
    pub name: String,
    /// How many problems were found.
    pub count: usize,
    /// The diagnostics as the terminal shows them, without colour.
    pub text: String,
}

/// The evaluated stack and what it reads of the cloud (see [`in_cloud`]),
/// or what is wrong with it (its diagnostics are also printed on stderr).
pub fn evaluate_or_invalid(
    dir: &Path,
    vars: &Vars,
) -> anyhow::Result<Result<(berth_lang::Stack, Reads), Invalid>> {
    let analysis = analyse(dir, vars)?;
    let reads = Reads::of(&analysis);
    if let Some(stack) = analysis.stack {
        return Ok(Ok((stack, reads)));
    }
    crate::report::diagnostics(&analysis.sources, &analysis.diagnostics);
    let given = variables(dir, vars)?.values;
    Ok(Err(Invalid {
        name: declared_name(&analysis.files, &given).unwrap_or_else(|| default_name(dir)),
        count: analysis.diagnostics.len(),
        text: berth_lang::diagnostic::render(&analysis.sources, &analysis.diagnostics),
    }))
}

/// The name a `stack` block gives, read from the syntax alone (the stack
/// did not evaluate): its literal text, with `${var.NAME}` taken from the
/// command line or the variable's literal default. `None` without a
/// `stack` block or when the name needs more than that.
fn declared_name(
    files: &[(berth_lang::FileId, ast::File)],
    given: &BTreeMap<String, String>,
) -> Option<String> {
    let blocks = || files.iter().flat_map(|(_, f)| f.blocks.iter());
    let stack = blocks().find(|b| b.kind.name == "stack")?;
    let label_text = |label: &ast::Label| match label {
        ast::Label::Ident(i) => Some(i.name.clone()),
        ast::Label::String(e) => literal(e),
    };
    let default = |name: &str| {
        let var = blocks().find(|b| {
            b.kind.name == "variable" && b.label.as_ref().and_then(label_text).as_deref() == Some(name)
        })?;
        var.body.iter().find_map(|item| match item {
            ast::Item::Attribute(a) if a.name.name == "default" => literal(&a.value),
            _ => None,
        })
    };
    let ast::Label::String(expr) = stack.label.as_ref()? else {
        return stack.label.as_ref().and_then(label_text);
    };
    let ast::ExprKind::String(parts) = &expr.kind else {
        return None;
    };
    let mut out = String::new();
    for part in parts {
        match part {
            ast::StrPart::Lit(s) => out.push_str(s),
            ast::StrPart::Interp(e) => {
                let ast::ExprKind::Traversal(t) = &e.kind else {
                    return None;
                };
                let [ast::Step::Attr(name)] = t.steps.as_slice() else {
                    return None;
                };
                if t.root.name != "var" {
                    return None;
                }
                let value = given.get(&name.name).cloned().or_else(|| default(&name.name))?;
                out.push_str(&value);
            }
        }
    }
    Some(out)
}

/// A string literal without interpolation.
fn literal(e: &ast::Expr) -> Option<String> {
    let ast::ExprKind::String(parts) = &e.kind else {
        return None;
    };
    parts
        .iter()
        .map(|p| match p {
            ast::StrPart::Lit(s) => Some(s.as_str()),
            ast::StrPart::Interp(_) => None,
        })
        .collect()
}

/// A runtime for the commands that talk to a cloud.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
