//! `berth import task-definition FILE.json`: prints a `task_definition`
//! block for a task definition as ECS's JSON has it (see
//! [`crate::import::task_definition`]), formatted, with no `stack` block,
//! so it drops into any stack directory. What `validate` would refuse
//! (the rules AWS holds a Fargate task definition to) is refused here with
//! the same diagnostics.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use berth_lang::fmt::format_source;
use berth_lang::{Options, Sources, analyze, diagnostic, load};

use crate::import::task_definition::{Given, ImportError, convert};
use crate::stdout;

pub fn task_definition(file: &Path, given: &Given) -> anyhow::Result<ExitCode> {
    let json = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let imported = match convert(&json, given) {
        Ok(imported) => imported,
        Err(ImportError::Json {
            message,
            line,
            column,
        }) => {
            say!("error: {}:{line}:{column}: not JSON: {message}", file.display());
            if let Some(help) = template_help(file, &json) {
                say!("help: {help}");
            }
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            say!("error: {}: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    // The converter writes every value quoted and every name as an
    // identifier; text that does not parse is berth's bug, said as such.
    let text = &imported.text;
    let formatted = format_source(text)
        .map_err(|_| anyhow::anyhow!("berth wrote a task definition it cannot read back (a bug):\n{text}"))?;
    if let Some(problems) = problems(file, &formatted, imported.region.as_deref()) {
        say!(
            "error: {}: AWS would refuse this task definition:\n{}",
            file.display(),
            problems.rendered
        );
        // The block's `execution_role` comes from the JSON or the flag: a
        // container list (Terraform's file) never holds one.
        if problems.codes.contains(&"E0526") {
            say!("help: give the task definition's execution role with `--execution-role ARN`");
        }
        return Ok(ExitCode::from(1));
    }
    stdout::print(&formatted)?;
    Ok(ExitCode::SUCCESS)
}

/// What a file that is not JSON may be instead: ecspresso's Jsonnet, or
/// its JSON with Go templates, which berth does not render.
fn template_help(file: &Path, text: &str) -> Option<&'static str> {
    let jsonnet = file
        .extension()
        .is_some_and(|e| e == "jsonnet" || e == "libsonnet");
    (jsonnet || text.contains("{{")).then_some(
        "this looks like a template (ecspresso's Jsonnet or `{{ must_env `X` }}`), which berth does not \
         render: import what it renders to (`ecspresso render task-definition > td.json`), then write the \
         values that change as variables (`${var.image_tag}`, set with `--var` or `TF_VAR_image_tag`)",
    )
}

/// What `validate` refuses in an imported block.
struct Problems {
    /// The diagnostics as `validate` prints them.
    rendered: String,
    /// Their codes.
    codes: Vec<&'static str>,
}

/// What `validate` says of `block`, imported from `file`, in a stack of
/// `region` (the default region when unknown): the rules AWS holds a task
/// definition to live in one place, `berth_lang`'s checks, for imports as
/// for stacks. The diagnostics quote the block, named for the file.
fn problems(file: &Path, block: &str, region: Option<&str>) -> Option<Problems> {
    let stack = format!(
        "stack \"import\" {{ region = \"{}\" }}\n",
        region.unwrap_or("us-east-1")
    );
    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    load::add_bytes(
        &mut sources,
        &mut diagnostics,
        Path::new("stack.berth"),
        stack.as_bytes(),
    );
    load::add_bytes(
        &mut sources,
        &mut diagnostics,
        Path::new(&format!("{}, imported", file.display())),
        block.as_bytes(),
    );
    let options = Options {
        default_name: "import".into(),
        ..Options::default()
    };
    let analysis = analyze(sources, diagnostics, &options);
    (analysis.stack.is_none()).then(|| Problems {
        rendered: diagnostic::render(&analysis.sources, &analysis.diagnostics),
        codes: analysis.diagnostics.iter().map(|d| d.code).collect(),
    })
}
