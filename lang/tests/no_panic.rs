//! Property tests: no input, however broken, panics the parser, resolver,
//! evaluator, validator or formatter; formatting is idempotent and keeps
//! text parseable. Failures proptest finds are saved in
//! `no_panic.proptest-regressions` beside this file and replayed by every
//! run, as are the corpus files in `tests/corpus/`. `scripts/test.sh` fixes
//! the seed (`PROPTEST_RNG_SEED`); a plain `cargo test` explores new cases.

use std::path::Path;

use berth_lang::fmt::format_source;
use berth_lang::{Options, Sources, analyze, load};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn analyse_bytes(bytes: &[u8]) {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("fuzz.berth"), bytes);
    let analysis = analyze(sources, diags, &Options::default());
    // Rendering touches every span: it must not panic either.
    let _ = berth_lang::diagnostic::render(&analysis.sources, &analysis.diagnostics);
    let text = String::from_utf8_lossy(bytes);
    if let Ok(once) = format_source(&text) {
        let twice = format_source(&once).expect("formatted text parses");
        assert_eq!(once, twice, "fmt is idempotent");
    }
}

/// Fragments of the language, so generated inputs get deep into the
/// checker instead of stopping at the first byte.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("vpc".to_owned()),
        Just("subnet".to_owned()),
        Just("service".to_owned()),
        Just("task_definition".to_owned()),
        Just("listener".to_owned()),
        Just("variable".to_owned()),
        Just("stack".to_owned()),
        Just("container".to_owned()),
        Just("rule".to_owned()),
        Just("for_each".to_owned()),
        Just("each.key".to_owned()),
        Just("var.env".to_owned()),
        Just("vpc.main".to_owned()),
        Just("vpc.main.cidr".to_owned()),
        Just("subnet.a[\"x\"].id".to_owned()),
        Just("cidrsubnet(".to_owned()),
        Just("main".to_owned()),
        Just("cidr".to_owned()),
        Just("zone".to_owned()),
        Just("port".to_owned()),
        Just("=".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just(",".to_owned()),
        Just("\n".to_owned()),
        Just("# c\n".to_owned()),
        Just("\"10.0.0.0/16\"".to_owned()),
        Just("\"${var.env}\"".to_owned()),
        Just("\"a\\\"b\"".to_owned()),
        Just("\"$${x}\"".to_owned()),
        Just("<<EOT\n".to_owned()),
        Just("<<-EOT\n".to_owned()),
        Just("EOT\n".to_owned()),
        Just("  EOT\n".to_owned()),
        Just("%{".to_owned()),
        Just("%%{".to_owned()),
        Just("${".to_owned()),
        Just("\"".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        "[a-z_]{1,8}",
        "[0-9]{1,4}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        // Integration tests have no lib.rs for proptest to find its default
        // location from; the path is relative to the package (cargo's cwd).
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/no_panic.proptest-regressions"
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(token(), 0..60)) {
        analyse_bytes(tokens.join(" ").as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        analyse_bytes(&bytes);
    }

    #[test]
    fn mutated_examples_never_panic(cut in 0usize..4000, insert in token(), which in 0usize..4) {
        let texts = [
            include_str!("../../examples/blog/main.berth"),
            include_str!("../../examples/microservices/main.berth"),
            include_str!("../../examples/microservices/network.berth"),
            include_str!("../../cli/tests/spellings/terraform_heredocs.berth"),
        ];
        let text = texts[which];
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{insert}{}", &text[..at], &text[at..]);
        analyse_bytes(mutated.as_bytes());
    }
}

#[test]
fn corpus_never_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus exists") {
        let path = entry.expect("readable").path();
        analyse_bytes(&std::fs::read(&path).expect("readable"));
        count += 1;
    }
    assert!(count > 0);
}
