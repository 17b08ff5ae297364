//! Hostile and unusual input, run as a user runs it: stack directories
//! with entries that cannot be read, broken variables files, huge lines,
//! and OS errors printed once.

mod common;

use std::time::{Duration, Instant};

use common::example;

const NOT_FOUND: &str = "No such file or directory (os error 2)";

/// An entry named `*.berth` that cannot be read fails the run, naming it:
/// skipping it would plan the destruction of its resources.
#[track_caller]
fn assert_fails_naming(p: &common::Project, name: &str, why: &str) {
    for cmd in ["validate", "plan", "fmt"] {
        let run = p.berth(&[cmd]);
        run.expect_code(1);
        assert!(
            run.stderr.contains(name),
            "{cmd}: {name} not named: {}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{cmd}: no {why:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{cmd}: nothing planned: {}", run.stdout);
    }
}

#[test]
fn a_dangling_symlink_is_an_error_naming_it() {
    let p = example("blog");
    std::os::unix::fs::symlink(p.path("gone/elsewhere.berth"), p.path("network.berth")).expect("symlink");
    assert_fails_naming(&p, "network.berth", NOT_FOUND);
    let run = p.berth(&["validate"]);
    assert_eq!(run.stderr.matches(NOT_FOUND).count(), 1, "{}", run.stderr);
}

#[test]
fn a_symlink_loop_is_an_error_naming_it() {
    let p = example("blog");
    std::os::unix::fs::symlink(p.path("loop.berth"), p.path("loop.berth")).expect("symlink");
    assert_fails_naming(&p, "loop.berth", "symbolic links");
}

/// Tests run as root, which reads any file whatever its mode, so the
/// unreadable `.berth` entries here are a directory and a FIFO (reading a
/// FIFO with no writer would block forever).
#[test]
fn a_berth_entry_that_is_not_a_file_is_an_error_naming_it() {
    let p = example("blog");
    std::fs::create_dir(p.path("extra.berth")).expect("dir");
    assert_fails_naming(&p, "extra.berth", "is a directory, not a file");

    let p = example("blog");
    let made = std::process::Command::new("mkfifo")
        .arg(p.path("pipe.berth"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let start = Instant::now();
    assert_fails_naming(&p, "pipe.berth", "special file");
    // A hang ceiling, not a timing assertion.
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn os_errors_are_printed_once() {
    let p = example("blog");
    let run = p.berth(&["validate", "no-such-dir"]);
    run.expect_code(1);
    assert!(run.stderr.contains("no-such-dir"), "{}", run.stderr);
    assert_eq!(run.stderr.matches(NOT_FOUND).count(), 1, "{}", run.stderr);

    let run = p.berth(&["validate", "--var-file", "missing.vars"]);
    run.expect_code(1);
    assert!(run.stderr.contains("missing.vars"), "{}", run.stderr);
    assert_eq!(run.stderr.matches(NOT_FOUND).count(), 1, "{}", run.stderr);
}

#[test]
fn a_var_file_reads_like_berth_text() {
    let p = example("blog");
    p.write(
        "qa.vars",
        "# the QA environment\nenv = \"q\\u{61}\" # not an escape\n",
    );
    // `\u` is no escape in berth: the error names the file and line.
    let run = p.berth(&["validate", "--var-file", "qa.vars"]);
    run.expect_code(1);
    assert!(run.stderr.contains("qa.vars:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("`\\u` is not an escape"), "{}", run.stderr);
    assert!(!run.stderr.contains("--var"), "{}", run.stderr);

    // End-of-line comments are comments, not part of the value.
    p.write("qa.vars", "env = \"qa\" # the QA environment\n");
    let run = p.berth(&["plan", "--var-file", "qa.vars"]);
    run.expect_code(0);
    assert!(run.stdout.contains("on stack \"blog-qa\""), "{}", run.stdout);
    p.write("qa.vars", "env = \"\\$qa\"\n");
    let run = p.berth(&["validate", "--var-file", "qa.vars"]);
    assert!(
        !run.stderr.contains("\\$"),
        "`\\$` is decoded as in a .berth file: {}",
        run.stderr
    );
}

#[test]
fn var_file_errors_name_the_file_and_line() {
    let p = example("blog");
    p.write("bad.vars", "# comment\nenv = \"qa\"\nother: 1\nthird = [1 2]\n");
    let run = p.berth(&["validate", "--var-file", "bad.vars"]);
    run.expect_code(1);
    assert!(run.stderr.contains("bad.vars:3:6"), "{}", run.stderr);
    assert!(run.stderr.contains("bad.vars:4:12"), "{}", run.stderr);
    assert!(
        run.stderr.contains("bad.vars is not a valid variables file"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--var"), "{}", run.stderr);

    p.write("bad.vars", "env = \"${var.x}\"\n");
    let run = p.berth(&["validate", "--var-file", "bad.vars"]);
    run.expect_code(1);
    assert!(run.stderr.contains("error[E0008]"), "{}", run.stderr);
    assert!(run.stderr.contains("bad.vars:1:10"), "{}", run.stderr);
}

#[test]
fn an_error_in_a_huge_one_line_file_prints_a_short_excerpt() {
    let p = example("blog");
    let filler = "a = 1 ".repeat(10 * 1024 * 1024 / 6);
    p.write("huge.berth", &format!("vpc huge {{ {filler} b: 2 {filler} }}"));
    let start = Instant::now();
    let run = p.berth(&["validate"]);
    run.expect_code(1);
    assert!(start.elapsed() < Duration::from_secs(60), "hang ceiling");
    assert!(
        run.stderr.contains("huge.berth:1:"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.contains("found `:`"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(run.stderr.len() < 1500, "{} bytes of stderr", run.stderr.len());
    assert!(run.stderr.contains('…'), "the line is cut: {}", run.stderr);
}

#[test]
fn var_file_values_the_stack_rejects_name_the_file_and_line() {
    let p = example("blog");
    p.write("qa.vars", "env = \"qa\"\n\nnope = 1\n");
    let run = p.berth(&["validate", "--var-file", "qa.vars"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("qa.vars:3 sets `nope`, which the stack does not declare"),
        "{}",
        run.stderr
    );
    // The command line wins, and is named as such.
    let run = p.berth(&["validate", "--var-file", "qa.vars", "--var", "nope=2"]);
    assert!(run.stderr.contains("--var sets `nope`"), "{}", run.stderr);
}

#[test]
fn a_var_file_value_of_the_wrong_type_names_the_file_and_line() {
    let p = example("microservices");
    p.write("zones.vars", "# zones\nzones = 3\n");
    let run = p.berth(&["validate", "--var-file", "zones.vars"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("zones.vars:2: `zones = 3` is not a map"),
        "{}",
        run.stderr
    );
}

#[test]
fn fmt_reports_every_syntax_error_of_a_file_and_leaves_it_alone() {
    let p = example("blog");
    let broken = "vpc extra {\n  cidr: \"10.1.0.0/16\"\n}\n\ncluster more {\n  container_insights 1\n}\n";
    p.write("broken.berth", broken);
    let run = p.berth(&["fmt"]);
    run.expect_code(1);
    assert!(run.stderr.contains("broken.berth:2:7"), "{}", run.stderr);
    assert!(run.stderr.contains("broken.berth:6:22"), "{}", run.stderr);
    assert!(run.stderr.contains("missing `=`"), "{}", run.stderr);
    assert_eq!(p.read("broken.berth"), broken);
}
