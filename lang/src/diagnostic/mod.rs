//! Diagnostics: what went wrong, where, and how to fix it; rendered like
//! rustc's (`path:line:col`, the source line, a caret span, a help line).

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};

use std::collections::BTreeMap;

use berth_provider::Value;

use crate::source::{FileId, Sources, Span};

mod clip;

pub use codespan_reporting::term::termcolor;

/// The non-empty strings inside `values` (numbers and booleans are too
/// short to find reliably in text), longest first (so a secret that
/// contains another is replaced whole).
pub fn secret_texts<'v>(values: impl IntoIterator<Item = &'v Value>) -> Vec<String> {
    fn collect(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if !s.is_empty() => out.push(s.clone()),
            Value::List(items) => items.iter().for_each(|i| collect(i, out)),
            Value::Map(m) => m.values().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for v in values {
        collect(v, &mut out);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out.dedup();
    out
}

/// Secrets at least this long are found anywhere in a text; shorter ones
/// only as a word of their own (a variable holding `123456` masked every
/// ARN of account `123456789012`, one holding `a` every message's `a`).
const FOUND_ANYWHERE: usize = 8;

/// Where `secret` stands in `text` (byte offsets): everywhere for a long
/// one, for a short one not inside a run of letters and digits.
fn occurrences(text: &str, secret: &str) -> Vec<usize> {
    let anywhere = secret.chars().count() >= FOUND_ANYWHERE;
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(secret)
        .map(|(at, _)| at)
        .filter(|&at| {
            anywhere
                || (!word(text[..at].chars().next_back()) && !word(text[at + secret.len()..].chars().next()))
        })
        .collect()
}

/// Whether `text` holds `secret` (see [`FOUND_ANYWHERE`]).
pub fn holds_secret(text: &str, secret: &str) -> bool {
    !occurrences(text, secret).is_empty()
}

/// `text` with each occurrence of each of `secrets` replaced by
/// `(sensitive)` (a short one's as a word of its own).
pub fn redact_text(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        let found = occurrences(&out, s);
        for at in found.into_iter().rev() {
            out.replace_range(at..at + s.len(), "(sensitive)");
        }
    }
    out
}

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

    /// Replaces the text of every sensitive value in `secrets` (their
    /// strings, however deep) with `(sensitive)` in the message, labels
    /// and help.
    pub fn redact(&mut self, secrets: &BTreeMap<String, Value>) {
        let texts = secret_texts(secrets.values());
        if texts.is_empty() {
            return;
        }
        let scrub = |s: &mut String| *s = redact_text(s, &texts);
        scrub(&mut self.message);
        scrub(&mut self.label);
        self.secondary.iter_mut().for_each(|(_, l)| scrub(l));
        if let Some(h) = &mut self.help {
            scrub(h);
        }
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

#[cfg(test)]
mod tests {
    use super::{holds_secret, redact_text};

    /// omnichat's sensitive template value `123456`, a prefix of the
    /// account id: every ARN showed `(sensitive)`; a secret `a` garbled
    /// every message quoting a text with an `a` in it.
    #[test]
    fn a_short_secret_is_found_as_a_word_a_long_one_anywhere() {
        assert!(!holds_secret("arn:aws:iam::123456789012:role/x", "123456"));
        assert!(holds_secret("postgres://app:123456@db:5432", "123456"));
        assert!(holds_secret("123456", "123456"));
        assert!(holds_secret("token-s3cr3tValue99-end", "s3cr3tValue99"));
        assert!(holds_secret("xs3cr3tValue99x", "s3cr3tValue99"));
        let secrets = ["a".to_owned()];
        assert_eq!(
            redact_text("`for_each` cannot use a sensitive variable", &secrets),
            "`for_each` cannot use (sensitive) sensitive variable"
        );
    }
}
