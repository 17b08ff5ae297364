//! Quick fixes (`textDocument/codeAction`) for diagnostics whose help line
//! is a "did you mean" suggestion: unknown attributes, block kinds, nested
//! blocks, references, variables, functions, containers, instance keys, and
//! CIDR blocks with host bits set.
//!
//! The fix works from the diagnostic the client sends back (its range and
//! message as `diagnostics` published them) and the document's text: the
//! misspelt name is the one the message quotes in backticks, found in the
//! text under the range. When that is ambiguous no fix is offered, since a
//! wrong edit is worse than none.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Range, TextEdit, Uri, WorkspaceEdit,
};

use crate::position::LineIndex;

/// The quick fixes for `diagnostics` (those the client has at the requested
/// range) in the document `uri` whose current text is `text`.
// `WorkspaceEdit::changes` is keyed by `Uri`; lsp-types hashes and compares
// it by its text, which never changes, whatever its inner cells cache.
#[allow(clippy::mutable_key_type)]
pub fn quick_fixes(uri: &Uri, text: &str, diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some("berth"))
        .filter_map(|d| {
            let (range, old, new) = fix(&index, text, d)?;
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), vec![TextEdit::new(range, new.clone())]);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Change `{old}` to `{new}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// What a suggestion replaces: a name, or a whole string literal.
enum Suggestion<'a> {
    /// `did you mean `NAME`?`
    Name(&'a str),
    /// `did you mean "TEXT"?`
    Literal(&'a str),
}

/// The range to replace, the text there and its replacement.
fn fix(index: &LineIndex<'_>, text: &str, d: &Diagnostic) -> Option<(Range, String, String)> {
    let suggestion = suggestion(&d.message)?;
    let start = index.offset(d.range.start);
    let end = index.offset(d.range.end);
    let under = text.get(start..end)?;
    match suggestion {
        Suggestion::Literal(new) => {
            let quoted = under.len() >= 2 && under.starts_with('"') && under.ends_with('"');
            // Only plain text goes between quotes unescaped.
            let plain = !new.contains(['"', '\\', '$', '\n']);
            (quoted && plain && under.get(1..under.len() - 1) != Some(new))
                .then(|| (d.range, under.to_owned(), format!("\"{new}\"")))
        }
        Suggestion::Name(new) => {
            let headline = d.message.lines().next().unwrap_or("");
            let names: Vec<&str> = backticked(headline).filter(|n| *n != new).collect();
            let (at, old) = misspelt(under, &names)?;
            let range = index.range(start + at, start + at + old.len());
            Some((range, old.to_owned(), new.to_owned()))
        }
    }
}

/// The suggestion ("did you mean ...?", which may follow a reason) of a
/// diagnostic message's `help:` line, if it has one.
fn suggestion(message: &str) -> Option<Suggestion<'_>> {
    let help = message
        .lines()
        .find_map(|l| {
            l.strip_prefix("help: ")?
                .split_once("did you mean ")
                .map(|(_, s)| s)
        })?
        .strip_suffix('?')?;
    if let Some(name) = help.strip_prefix('`').and_then(|h| h.strip_suffix('`')) {
        return (!name.is_empty() && !name.contains('`')).then_some(Suggestion::Name(name));
    }
    let literal = help.strip_prefix('"')?.strip_suffix('"')?;
    Some(Suggestion::Literal(literal))
}

/// The texts quoted in backticks in `line`.
fn backticked(line: &str) -> impl Iterator<Item = &str> {
    line.split('`').skip(1).step_by(2).filter(|s| !s.is_empty())
}

/// Where in `under` (the text under the diagnostic) the misspelt name is:
/// the text itself, or the one occurrence, as a whole word, of one of the
/// names the message quotes. `None` when there is none or several.
fn misspelt<'a>(under: &'a str, names: &[&str]) -> Option<(usize, &'a str)> {
    if names.contains(&under) {
        return Some((0, under));
    }
    let mut found = None;
    for name in names {
        for (at, _) in under.match_indices(name) {
            let before = under[..at].chars().next_back();
            let after = under[at + name.len()..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            if found.is_some_and(|(other, _)| other != at) {
                return None;
            }
            found = Some((at, &under[at..at + name.len()]));
        }
    }
    found
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

#[cfg(test)]
mod tests {
    use lsp_types::{CodeActionOrCommand, DiagnosticSeverity, NumberOrString, Position};

    use super::*;

    fn diagnostic(text: &str, start: usize, end: usize, message: &str) -> Diagnostic {
        let index = LineIndex::new(text);
        Diagnostic {
            range: index.range(start, end),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("E0201".into())),
            source: Some("berth".into()),
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    /// The single edit of each fix, as (range, new text).
    #[allow(clippy::mutable_key_type)] // as in `quick_fixes`
    fn edits(text: &str, diags: &[Diagnostic]) -> Vec<(Range, String)> {
        let uri: Uri = "file:///s/main.berth".parse().unwrap();
        quick_fixes(&uri, text, diags)
            .into_iter()
            .map(|a| {
                let CodeActionOrCommand::CodeAction(a) = a else {
                    panic!("a command")
                };
                assert_eq!(a.kind, Some(CodeActionKind::QUICKFIX));
                let mut changes = a.edit.unwrap().changes.unwrap();
                let edit = changes.remove(&uri).unwrap().remove(0);
                (edit.range, edit.new_text)
            })
            .collect()
    }

    #[test]
    fn an_unknown_name_is_replaced_by_the_suggestion() {
        let text = "vpc main {\n  dns_hostname = true\n}\n";
        let d = diagnostic(
            text,
            13,
            25,
            "unknown attribute `dns_hostname` in `vpc`\nnot allowed here\nhelp: did you mean `dns_hostnames`?",
        );
        let range = Range::new(Position::new(1, 2), Position::new(1, 14));
        assert_eq!(edits(text, &[d]), [(range, "dns_hostnames".to_owned())]);
    }

    #[test]
    fn the_misspelt_name_is_found_inside_a_wider_range() {
        // E0303 covers the whole reference; only the name changes.
        let text = "subnet a { vpc = vpc.mian }\n";
        let d = diagnostic(
            text,
            17,
            25,
            "no vpc named `mian`\n`vpc.mian` is not declared\nhelp: did you mean `main`?",
        );
        let range = Range::new(Position::new(0, 21), Position::new(0, 25));
        assert_eq!(edits(text, &[d]), [(range, "main".to_owned())]);
        // A quoted key: only the text between the quotes.
        let text = "x = subnet.pub[\"us-east-1x\"].id\n";
        let d = diagnostic(
            text,
            15,
            27,
            "subnet.pub has no instance `us-east-1x`\nno such key\nhelp: did you mean `us-east-1a`?",
        );
        let range = Range::new(Position::new(0, 16), Position::new(0, 26));
        assert_eq!(edits(text, &[d]), [(range, "us-east-1a".to_owned())]);
    }

    #[test]
    fn a_literal_suggestion_replaces_the_string() {
        let text = "vpc v { cidr = \"10.0.0.1/16\" }\n";
        let d = diagnostic(
            text,
            15,
            28,
            "`10.0.0.1/16` has host bits set\nhelp: did you mean \"10.0.0.0/16\"?",
        );
        let range = Range::new(Position::new(0, 15), Position::new(0, 28));
        assert_eq!(edits(text, &[d]), [(range, "\"10.0.0.0/16\"".to_owned())]);
    }

    #[test]
    fn no_fix_without_a_suggestion_or_when_the_text_changed_or_is_ambiguous() {
        let text = "vpc main {\n  banana = true\n}\n";
        let no_help = diagnostic(
            text,
            13,
            19,
            "unknown attribute `banana` in `vpc`\nhelp: allowed: cidr",
        );
        let stale = diagnostic(
            text,
            13,
            19,
            "unknown attribute `bananna` in `vpc`\nhelp: did you mean `banana`?",
        );
        let mut foreign = diagnostic(
            text,
            13,
            19,
            "unknown attribute `banana`\nhelp: did you mean `cidr`?",
        );
        foreign.source = Some("other".into());
        let twice = "x = a.b.a\n";
        let ambiguous = diagnostic(twice, 4, 9, "no `a` or `b`\nhelp: did you mean `c`?");
        assert_eq!(edits(text, &[no_help, stale, foreign]), []);
        assert_eq!(edits(twice, &[ambiguous]), []);
        // A range beyond the text (the client is behind) is no panic.
        let mut late = diagnostic(text, 13, 19, "unknown `banana`\nhelp: did you mean `bandana`?");
        late.range = Range::new(Position::new(9, 0), Position::new(9, 4));
        assert_eq!(edits(text, &[late]), []);
    }

    /// Real diagnostics of the validator, one misspelling of each sort
    /// (and a Terraform name): every fix, applied alone, makes its
    /// diagnostic go away.
    #[test]
    #[allow(clippy::mutable_key_type)] // as in `quick_fixes`
    fn each_fix_of_real_diagnostics_removes_its_diagnostic() {
        use crate::documents::Documents;
        use crate::{diagnostics, stack, uri};

        let text = "variable env { default = \"dev\" }\n\
                    vpc main {\n  cidr = \"10.0.0.0/16\"\n  dns_hostname = true\n}\n\
                    aws_cloudwatch_log_group logs {}\n\
                    subnett a {\n  vpc = vpc.main\n}\n\
                    subnet b {\n  vpc  = vpc.mian\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n  tags = { env = var.evn }\n}\n";
        // Values are checked once names resolve: the CIDR in a file alone.
        let cidr = "vpc other { cidr = \"10.1.0.1/16\" }\n";
        let dir = tempfile::tempdir().unwrap();
        let doc = uri::from_path(&dir.path().join("main.berth")).unwrap();
        let diagnose = |text: &str| {
            let mut docs = Documents::default();
            docs.open(doc.clone(), text.to_owned());
            let mut out = diagnostics::compute(stack::load(&doc, &docs), &doc);
            out.pop().map(|(_, d)| d).unwrap_or_default()
        };
        let mut fixed: Vec<String> = Vec::new();
        for text in [text, cidr] {
            let found = diagnose(text);
            for action in quick_fixes(&doc, text, &found) {
                let CodeActionOrCommand::CodeAction(action) = action else {
                    panic!("a command")
                };
                let target = action.diagnostics.unwrap().remove(0);
                let mut changes = action.edit.unwrap().changes.unwrap();
                let edit = changes.remove(&doc).unwrap().remove(0);
                let index = LineIndex::new(text);
                let range = index.offset(edit.range.start)..index.offset(edit.range.end);
                let mut after = text.to_owned();
                after.replace_range(range, &edit.new_text);
                let still = diagnose(&after);
                assert!(
                    !still.iter().any(|d| d.message == target.message),
                    "{} still reported after {:?}",
                    target.message,
                    edit.new_text
                );
                fixed.push(edit.new_text);
            }
        }
        fixed.sort();
        assert_eq!(
            fixed,
            [
                "\"10.1.0.0/16\"",
                "dns_hostnames",
                "env",
                "log_group",
                "main",
                "subnet"
            ]
        );
    }
}
