//! Diagnostics: what went wrong, where, and how to fix it; rendered like
//! rustc's (`path:line:col`, the source line, a caret span, a help line).

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};

use crate::source::{FileId, Sources, Span};

mod clip;

pub use codespan_reporting::term::termcolor;

/// One problem found in a stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `E0201`, documented in docs/language.md.
    pub code: &'static str,
    pub message: String,
    /// Where it is; `None` for problems outside any file (a bad `--var`).
    pub span: Option<Span>,
    pub label: String,
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            span: Some(span),
            label: String::new(),
            secondary: Vec::new(),
            help: None,
        }
    }

    /// A problem that no source span locates.
    pub fn global(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            span: None,
            ..Self::error(code, message, Span::default())
        }
    }

    /// The text under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Another place that explains the problem.
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Every span the diagnostic points at, primary first.
    fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.span
            .into_iter()
            .chain(self.secondary.iter().map(|(s, _)| *s))
    }

    /// The codespan form, with each span passed through `map`.
    fn to_codespan(&self, map: &dyn Fn(Span) -> std::ops::Range<usize>) -> cs::Diagnostic<FileId> {
        let mut labels: Vec<_> = self
            .span
            .iter()
            .map(|s| cs::Label::primary(s.file, map(*s)).with_message(&self.label))
            .collect();
        labels.extend(
            self.secondary
                .iter()
                .map(|(span, text)| cs::Label::secondary(span.file, map(*span)).with_message(text)),
        );
        let mut d = cs::Diagnostic::error()
            .with_code(self.code)
            .with_message(&self.message)
            .with_labels(labels);
        if let Some(help) = &self.help {
            d = d.with_notes(vec![format!("help: {help}")]);
        }
        d
    }
}

/// Renders diagnostics as plain text (no colour), as in snapshots and logs.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    emit(sources, diagnostics, &mut out);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// Renders diagnostics to a terminal writer (coloured if the writer is).
pub fn emit(sources: &Sources, diagnostics: &[Diagnostic], out: &mut dyn term::termcolor::WriteColor) {
    let config = Config::default();
    for d in diagnostics {
        // Writing to a terminal or a Vec can only fail on I/O, which the
        // caller cannot act on better than by losing the text.
        let _ = match clip::Clipped::new(sources, d) {
            Some(clipped) => term::emit(out, &config, &clipped, &d.to_codespan(&|s| clipped.map(s))),
            None => term::emit(
                out,
                &config,
                &SourcesAdapter(sources),
                &d.to_codespan(&|s| s.range()),
            ),
        };
    }
}

struct SourcesAdapter<'a>(&'a Sources);

impl<'a> Files<'a> for SourcesAdapter<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.0.get(id).path.display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.0.get(id);
        file.line_range(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: file.line_starts().len() - 1,
        })
    }
}
