//! docs/aws.md lists the checks `validate` makes, one row per check with its
//! error code and the diagnostics cases that show it. This test proves each
//! row: every named case exists and its snapshot reports that code, so the
//! page states only checks that exist. It also keeps the page and
//! docs/language.md's code list naming the same AWS-rule codes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const BEGIN: &str = "<!-- BEGIN VALIDATE CHECKS -->";
const END: &str = "<!-- END VALIDATE CHECKS -->";

struct Row {
    code: String,
    cases: Vec<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of the table between the markers of docs/aws.md.
fn rows() -> Vec<Row> {
    let text = read(&root().join("docs/aws.md"));
    let start = text.find(BEGIN).expect("docs/aws.md has the begin marker") + BEGIN.len();
    let end = text.find(END).expect("docs/aws.md has the end marker");
    text[start..end]
        .lines()
        .filter(|l| l.starts_with("| E"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "a row has code, description and cases: {line}");
            let cases = cells[2]
                .split(',')
                .map(|c| c.trim().trim_matches('`').to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            Row {
                code: cells[0].to_owned(),
                cases,
            }
        })
        .collect()
}

/// AWS-rule codes (E05xx, and E06xx past them) in docs/language.md's list
/// of codes.
fn language_codes() -> BTreeSet<String> {
    read(&root().join("docs/language.md"))
        .lines()
        // A retired code keeps its row, saying why, and checks nothing.
        .filter(|l| is_aws_rule(l.trim_start_matches("| ")) && !l.contains("| (retired"))
        .flat_map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .next()
                .unwrap_or_default()
                .split(", ")
                .map(|c| c.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether `text` starts with an AWS-rule code: E05xx, or E06xx once the
/// E05 range filled up.
fn is_aws_rule(text: &str) -> bool {
    text.starts_with("E05") || text.starts_with("E06")
}

#[test]
fn every_listed_check_is_shown_by_its_cases() {
    let rows = rows();
    assert!(rows.len() >= 30, "the table was not found or lost rows");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for row in &rows {
        assert!(
            row.code.len() == 5 && is_aws_rule(&row.code),
            "{}: not an AWS-rule code",
            row.code
        );
        assert!(!row.cases.is_empty(), "{}: no case named", row.code);
        for case in &row.cases {
            let source = dir.join("diagnostics").join(format!("{case}.berth"));
            assert!(source.exists(), "{}: no case {}", row.code, source.display());
            let snapshot = dir.join("snapshots").join(format!(
                "diagnostics__every_invalid_case_renders_its_diagnostics@{case}.berth.snap"
            ));
            let text = read(&snapshot);
            assert!(
                text.contains(&format!("error[{}]", row.code)),
                "case `{case}` does not report {}",
                row.code
            );
        }
    }
}

#[test]
fn the_page_and_the_language_reference_name_the_same_codes() {
    let listed: BTreeSet<String> = rows().into_iter().map(|r| r.code).collect();
    assert_eq!(listed, language_codes());
}
