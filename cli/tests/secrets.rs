//! Secret values never reach any output: plans in every format, saved plans,
//! apply's output; only their keys and `(sensitive...)` placeholders do.

mod common;

use common::{Project, Run, example, json_change, json_plan};
use serde_json::json;

const SECRET: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/db";
const CANARY: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/CANARY-s3cr3t";
const CANARY2: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/ROTATED-n3wp4ss";

/// Asserts that no part of a canary appears in `text`.
#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for needle in [CANARY, CANARY2, "CANARY", "s3cr3t", "ROTATED", "n3wp4ss"] {
        assert!(!text.contains(needle), "{what} leaks {needle:?}:\n{text}");
    }
}

#[track_caller]
fn assert_masked(what: &str, run: &Run, placeholder: &str) {
    assert_clean(what, &run.all());
    assert!(
        run.stdout.contains("DB_PASSWORD"),
        "{what}: the key shows:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(placeholder),
        "{what}: {placeholder:?} shows:\n{}",
        run.stdout
    );
}

fn plans(p: &Project, placeholder: &str) {
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert_masked(format, &run, placeholder);
    }
    let file = p.dir.parent().expect("tmp").join("secret.plan");
    let file = file.to_str().expect("utf-8");
    let run = p.berth(&["plan", "--out", file]);
    run.expect_code(0);
    assert_masked("plan --out", &run, placeholder);
    let saved = std::fs::read_to_string(file).expect("plan file");
    assert_clean("the saved plan file", &saved);
    assert!(saved.contains("DB_PASSWORD"));
}

#[test]
fn secret_values_never_show_anywhere() {
    let p = example("blog");
    p.edit("main.berth", SECRET, CANARY);
    plans(&p, "(sensitive)");

    let run = p.berth(&["apply", "--auto-approve", "--stats"]);
    run.expect_code(0);
    assert_masked("apply", &run, "(sensitive)");
    // The cloud does hold it: it is what was applied.
    assert!(
        std::fs::read_to_string(p.cloud_path())
            .expect("cloud")
            .contains(CANARY)
    );

    // Rotate the secret: the change shows, the values do not.
    p.edit("main.berth", CANARY, CANARY2);
    plans(&p, "(sensitive, changed)");
    let run = p.berth(&["plan", "--format", "json"]);
    let plan = json_plan(&run);
    let td = json_change(&plan, "task_definition.login");
    assert_eq!(td["action"], "replace");
    let container = &td["changes"][0];
    assert_eq!(container["attribute"], "container");
    assert_eq!(
        container["before"][0]["secrets"],
        json!({ "DB_PASSWORD": "(sensitive)" })
    );
    assert_eq!(
        container["after"][0]["secrets"],
        json!({ "DB_PASSWORD": "(sensitive, changed)" })
    );
    let text = p.berth(&["plan"]);
    assert!(
        text.stdout
            .contains("secrets       = { DB_PASSWORD = (sensitive, changed) }"),
        "{}",
        text.stdout
    );

    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert_masked("apply of the rotation", &run, "(sensitive, changed)");
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(0);
    assert_clean("the plan after", &run.all());

    let run = p.berth(&["destroy", "--auto-approve"]);
    run.expect_code(0);
    assert_clean("destroy", &run.all());
}

#[test]
fn secret_values_in_microservices_never_show() {
    let p = example("microservices");
    p.edit(
        "main.berth",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp",
        CANARY,
    );
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
        assert!(run.stdout.contains("SMTP_PASSWORD"));
    }
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit("main.berth", CANARY, CANARY2);
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
        assert!(run.stdout.contains("(sensitive, changed)"), "{}", run.stdout);
    }
}

/// An output marked `sensitive` prints as `(sensitive)` after apply and in
/// `berth output`, and its value is left out of the JSON form.
#[test]
fn sensitive_outputs_never_show() {
    let p = example("blog");
    p.write(
        "secret_output.berth",
        &format!(
            "variable db_secret {{ default = \"{CANARY}\" }}\noutput db_secret {{\n  value     = var.db_secret\n  sensitive = true\n}}\n"
        ),
    );
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert_clean("apply", &run.all());
    assert!(run.stdout.contains("db_secret = (sensitive)"), "{}", run.stdout);
    for format in ["text", "json"] {
        let run = p.berth(&["output", "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
    }
}
