//! Diagnostics from the real validator, mapped to LSP diagnostics for every
//! file of a stack.

use berth_lang::{Options, analyze};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Uri,
};

use crate::position::LineIndex;
use crate::stack::StackFiles;

/// Analyses a stack and returns the diagnostics of each of its files, an
/// empty list for files without problems (so the client clears them). A
/// diagnostic that no span locates is attached at the start of `changed`.
pub fn compute(files: StackFiles, changed: &Uri) -> Vec<(Uri, Vec<Diagnostic>)> {
    let options = Options {
        default_name: files.default_name.clone(),
        ..Options::default()
    };
    let uris = files.uris;
    let analysis = analyze(files.sources, files.load_diagnostics, &options);
    let texts: Vec<&str> = analysis.sources.iter().map(|(_, f)| f.text.as_str()).collect();
    let indexes: Vec<LineIndex<'_>> = texts.iter().map(|t| LineIndex::new(t)).collect();
    let home = uris.iter().position(|u| u == changed).unwrap_or(0);
    let mut out: Vec<(Uri, Vec<Diagnostic>)> = uris.iter().map(|u| (u.clone(), Vec::new())).collect();
    for d in &analysis.diagnostics {
        let (file, range) = match d.span {
            Some(span) => match indexes.get(span.file.0) {
                Some(index) => (span.file.0, index.range(span.start, span.end)),
                None => continue,
            },
            None => (home, Range::default()),
        };
        let related: Vec<_> = d
            .secondary
            .iter()
            .filter_map(|(span, label)| {
                Some(DiagnosticRelatedInformation {
                    location: Location::new(
                        uris.get(span.file.0)?.clone(),
                        indexes.get(span.file.0)?.range(span.start, span.end),
                    ),
                    message: label.clone(),
                })
            })
            .collect();
        let diagnostic = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(d.code.to_owned())),
            source: Some("berth".to_owned()),
            message: message(d),
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        };
        if let Some((_, list)) = out.get_mut(file) {
            list.push(diagnostic);
        }
    }
    out
}

/// The message, the label under the caret (when it adds something) and the
/// help line, one per line.
fn message(d: &berth_lang::Diagnostic) -> String {
    let mut text = d.message.clone();
    if !d.label.is_empty() && d.label != d.message {
        text.push('\n');
        text.push_str(&d.label);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

#[cfg(test)]
mod tests {
    use lsp_types::Position;

    use super::*;
    use crate::documents::Documents;
    use crate::{stack, uri};

    #[test]
    fn spans_map_to_utf16_ranges_in_the_right_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.berth"),
            "vpc main {\n  cidr = \"10.0.0.0/16\"\n}\n",
        )
        .unwrap();
        let b = uri::from_path(&dir.path().join("b.berth")).unwrap();
        let mut docs = Documents::default();
        docs.open(
            b.clone(),
            "# café 🚀\nsubnet s { vpc = vpc.main\n cidr = \"10.0.1.0/24\"\n zone = \"us-east-1a\"\n dns_hostname = true }\n"
                .into(),
        );
        let out = compute(stack::load(&b, &docs), &b);
        assert_eq!(out.len(), 2);
        let (a_uri, a) = &out[0];
        assert!(a_uri.as_str().ends_with("/a.berth") && a.is_empty(), "{out:?}");
        let (_, b_diags) = &out[1];
        assert_eq!(b_diags.len(), 1, "{b_diags:?}");
        let d = &b_diags[0];
        assert_eq!(d.code, Some(NumberOrString::String("E0201".into())));
        assert_eq!(d.range.start, Position::new(4, 1));
        assert_eq!(d.range.end, Position::new(4, 13));
        assert_eq!(d.source.as_deref(), Some("berth"));
        assert!(
            d.message
                .starts_with("unknown attribute `dns_hostname` in `subnet`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn secondary_labels_become_related_information() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.berth"),
            "vpc main { cidr = \"10.0.0.0/16\" }\n",
        )
        .unwrap();
        let b = uri::from_path(&dir.path().join("b.berth")).unwrap();
        let mut docs = Documents::default();
        docs.open(b.clone(), "vpc main { cidr = \"10.1.0.0/16\" }\n".into());
        let out = compute(stack::load(&b, &docs), &b);
        let d = &out[1].1[0];
        assert_eq!(d.code, Some(NumberOrString::String("E0102".into())));
        let related = d.related_information.as_ref().unwrap();
        assert!(related[0].location.uri.as_str().ends_with("/a.berth"));
        assert_eq!(related[0].location.range.start, Position::new(0, 4));
    }
}
