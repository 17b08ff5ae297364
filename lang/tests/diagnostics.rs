//! One invalid stack per file under `tests/diagnostics/`; each snapshot
//! holds the source and the rendered diagnostics.

use std::path::Path;

use berth_lang::{Options, Sources, analyze, diagnostic, load};

fn render_case(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("case file is readable");
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    let name = Path::new("diagnostics").join(path.file_name().expect("case has a name"));
    load::add_bytes(&mut sources, &mut diags, &name, &bytes);
    let options = Options {
        default_name: "test".into(),
        ..Options::default()
    };
    let analysis = analyze(sources, diags, &options);
    assert!(
        analysis.stack.is_none(),
        "{} is meant to be invalid",
        path.display()
    );
    assert!(!analysis.diagnostics.is_empty());
    let rendered = diagnostic::render(&analysis.sources, &analysis.diagnostics);
    // A carriage return is shown, so line-ending cases read as what they test.
    let source = String::from_utf8_lossy(&bytes).replace('\r', "␍");
    format!("{}\n---\n{rendered}", source.trim_end())
}

#[test]
fn every_invalid_case_renders_its_diagnostics() {
    insta::glob!("diagnostics/*.berth", |path| {
        insta::assert_snapshot!(render_case(path));
    });
}

#[test]
fn there_are_at_least_25_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    let cases = std::fs::read_dir(dir).unwrap().filter(|e| {
        e.as_ref()
            .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "berth"))
    });
    assert!(cases.count() >= 25);
}
