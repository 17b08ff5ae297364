//! The example workflow (`.github/workflows/berth-plan.yml`) and the
//! composite action (`action.yml`) parse as YAML and hold what GitHub needs
//! and what the docs promise; every `berth` command they run uses flags the
//! real binary accepts.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_norway::{Mapping, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(path)).expect("file exists");
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

fn map<'a>(v: &'a Value, what: &str) -> &'a Mapping {
    v.as_mapping()
        .unwrap_or_else(|| panic!("{what} is not a mapping: {v:?}"))
}

fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or_else(|| panic!("no `{key}` in {v:?}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    get(v, key)
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v:?}"))
}

fn steps(v: &Value) -> &[Value] {
    get(v, "steps").as_sequence().expect("steps is a list")
}

/// Every step runs a script or uses an action, not both.
#[track_caller]
fn assert_steps_well_formed(steps: &[Value]) {
    assert!(!steps.is_empty());
    for step in steps {
        let run = step.get("run").is_some();
        let uses = step.get("uses").is_some();
        assert!(run != uses, "a step needs exactly one of run/uses: {step:?}");
    }
}

/// The `run` scripts of `steps`, continuation lines joined.
fn scripts(steps: &[Value]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s.get("run").and_then(Value::as_str))
        .map(|s| s.replace("\\\n", " "))
        .collect()
}

/// The `berth SUBCOMMAND --flag ...` commands in `scripts`: subcommand and
/// long flags.
fn berth_commands(scripts: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for line in scripts.iter().flat_map(|s| s.lines()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "berth") else {
            continue;
        };
        let Some(sub) = words.get(at + 1) else { continue };
        if !sub.chars().all(|c| c.is_ascii_lowercase()) {
            continue;
        }
        let flags = words[at + 2..]
            .iter()
            .filter(|w| w.starts_with("--"))
            .map(|w| w.split('=').next().unwrap_or(w).to_owned())
            .collect();
        out.push(((*sub).to_owned(), flags));
    }
    out
}

/// Each command's flags appear in the real `berth SUB --help`.
#[track_caller]
fn assert_flags_exist(commands: &[(String, Vec<String>)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (sub, flags) in commands {
        let help = common::berth_in(dir.path(), &[sub, "--help"], &[], None);
        help.expect_code(0);
        for flag in flags {
            assert!(
                help.stdout.contains(&format!("{flag} ")),
                "berth {sub} has no {flag}"
            );
        }
    }
}

#[test]
fn the_action_is_a_composite_action_with_its_inputs() {
    let action = load("action.yml");
    assert!(!str_of(&action, "name").is_empty());
    assert!(!str_of(&action, "description").is_empty());
    let inputs = map(get(&action, "inputs"), "inputs");
    for input in ["directory", "cloud", "vars", "install", "github-token"] {
        let spec = inputs.get(input).unwrap_or_else(|| panic!("no input {input}"));
        assert!(spec.get("description").is_some(), "{input} has no description");
    }
    let runs = get(&action, "runs");
    assert_eq!(str_of(runs, "using"), "composite");
    let steps = steps(runs);
    assert_steps_well_formed(steps);
    for step in steps.iter().filter(|s| s.get("run").is_some()) {
        assert_eq!(
            step.get("shell").and_then(Value::as_str),
            Some("bash"),
            "{step:?}"
        );
    }
    // Every input the steps read is declared.
    let text = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    let declared: BTreeSet<&str> = inputs.keys().filter_map(Value::as_str).collect();
    for used in text.split("inputs.").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(declared.contains(name.as_str()), "undeclared input {name}");
    }
    // It plans in markdown with a saved plan, and comments by the marker.
    let scripts = scripts(steps);
    let commands = berth_commands(&scripts);
    assert!(
        commands.iter().any(|(sub, flags)| sub == "plan"
            && ["--format", "--out", "--max-chars"]
                .iter()
                .all(|f| flags.iter().any(|g| g == f))),
        "{commands:?}"
    );
    assert!(scripts.iter().any(|s| s.contains("--format json")));
    assert!(
        scripts
            .iter()
            .any(|s| s.contains("head -n 1") && s.contains("gh api"))
    );
    assert!(
        steps.iter().any(|s| s
            .get("uses")
            .and_then(Value::as_str)
            .is_some_and(|u| u.starts_with("actions/upload-artifact@"))),
        "uploads the plan"
    );
    assert_flags_exist(&commands);
}

#[test]
fn the_workflow_plans_pull_requests_and_applies_the_saved_plan_on_main() {
    let workflow = load(".github/workflows/berth-plan.yml");
    assert!(!str_of(&workflow, "name").is_empty());
    // YAML 1.2: `on` is a key, not a boolean.
    let on = get(&workflow, "on");
    assert!(on.get("pull_request").is_some(), "{on:?}");
    let branches = get(get(on, "push"), "branches");
    assert!(
        branches
            .as_sequence()
            .is_some_and(|b| b.iter().any(|b| b.as_str() == Some("main")))
    );
    let jobs = map(get(&workflow, "jobs"), "jobs");
    assert!(!jobs.is_empty());
    for (name, job) in jobs {
        assert!(job.get("runs-on").is_some(), "{name:?} has no runs-on");
        assert_steps_well_formed(steps(job));
    }
    let plan = get(get(&workflow, "jobs"), "plan");
    assert!(str_of(plan, "if").contains("pull_request"));
    assert_eq!(str_of(get(plan, "permissions"), "pull-requests"), "write");
    assert!(
        steps(plan)
            .iter()
            .any(|s| s.get("uses").and_then(Value::as_str) == Some("./")),
        "the plan job uses the repository's action"
    );
    let apply = get(get(&workflow, "jobs"), "apply");
    assert!(str_of(apply, "if").contains("refs/heads/main"));
    let scripts = scripts(steps(apply));
    assert!(
        scripts
            .iter()
            .any(|s| s.contains("gh run download") && s.contains("--name berth-plan"))
    );
    let commands = berth_commands(&scripts);
    // The saved plan, as the action names it: nothing else is applied.
    assert!(
        scripts
            .iter()
            .any(|s| s.contains("berth apply \"$RUNNER_TEMP/plan/plan.berthplan\"")),
        "{scripts:?}"
    );
    let action = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    assert!(action.contains("--out \"$out/plan.berthplan\""));
    assert_flags_exist(&commands);
}
