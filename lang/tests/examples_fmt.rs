//! Every example validates, is already in canonical form, and a deliberately
//! messy copy of it formats back to exactly the example, comments included.

use std::path::{Path, PathBuf};

use berth_lang::fmt::format_source;
use berth_lang::{Options, analyze, load};

fn example_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root).expect("examples exist") {
        let dir = dir.expect("entry").path();
        let found = load::berth_files(&dir).unwrap_or_default();
        if !found.is_empty() {
            files.extend(found);
            continue;
        }
        // A directory of stacks (`split/network`, `split/app`).
        for stack in std::fs::read_dir(&dir).expect("readable") {
            let stack = stack.expect("entry").path();
            if stack.is_dir() {
                files.extend(load::berth_files(&stack).expect("stack has .berth files"));
            }
        }
    }
    assert!(files.len() >= 3);
    files
}

/// Scrambles layout only: indentation, alignment, trailing spaces, blank
/// lines between blocks.
fn mess_up(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = " ".repeat((i * 7) % 5);
        // `name    = value` -> `name=value` (only before any quote).
        let squeezed = match trimmed.split_once('=') {
            Some((name, rest)) if !name.contains('"') && !name.contains('{') && !name.trim().is_empty() => {
                format!("{}={}", name.trim_end(), rest.trim_start())
            }
            _ => trimmed.to_owned(),
        };
        out.push_str(&indent);
        out.push_str(&squeezed);
        out.push_str(if i % 3 == 0 { "   \n" } else { "\n" });
        if line == "}" {
            out.push_str("\n\n");
        }
    }
    out
}

#[test]
fn examples_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for name in ["blog", "microservices", "split/network", "split/app"] {
        let (sources, diags) = load::load_dir(&root.join(name)).expect("loads");
        let analysis = analyze(sources, diags, &Options::default());
        assert!(
            analysis.diagnostics.is_empty(),
            "{name}: {:?}",
            analysis.diagnostics
        );
        assert!(analysis.stack.is_some());
    }
}

#[test]
fn examples_are_canonical_and_messy_copies_format_back() {
    for path in example_files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        assert_eq!(
            format_source(&text).expect("parses"),
            text,
            "{} is not fmt-clean",
            path.display()
        );
        let messy = mess_up(&text);
        assert_ne!(messy, text);
        let formatted = format_source(&messy).expect("messy copy parses");
        assert_eq!(
            formatted,
            text,
            "messy copy of {} did not format back",
            path.display()
        );
        assert_eq!(
            format_source(&formatted).expect("parses"),
            formatted,
            "idempotent"
        );
        for comment in text.lines().filter_map(|l| l.find('#').map(|i| &l[i..])) {
            assert!(formatted.contains(comment), "comment kept: {comment}");
        }
    }
}
