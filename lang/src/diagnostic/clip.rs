//! Long lines in diagnostics: an error in a 10 MB one-line file must not
//! print 10 MB. A diagnostic that points into a line longer than
//! [`MAX_LINE`] bytes is rendered from a view of its files holding only the
//! lines it shows, each long one cut to a window around what the diagnostic
//! points at and marked `…` where cut. Line and column numbers stay those
//! of the real file.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::files::{Error as FilesError, Files};

use super::Diagnostic;
use crate::source::{FileId, SourceFile, Sources, Span, floor_char_boundary};

/// Longest line printed whole, in bytes.
pub(super) const MAX_LINE: usize = 200;
/// Bytes kept before the first thing pointed at in a cut line.
const BEFORE: usize = 60;
const CUT: &str = "…";

/// The files of one diagnostic, as it shows them.
pub(super) struct Clipped<'s> {
    sources: &'s Sources,
    views: BTreeMap<FileId, View>,
}

/// Lines `first..` of one file, long ones cut.
struct View {
    first: usize,
    text: String,
    lines: Vec<Line>,
}

struct Line {
    /// Where the line starts in the view's text, and where its window of
    /// the original starts (after the `…`, if cut).
    view_start: usize,
    window_at: usize,
    /// The bytes of the original line shown.
    window: Range<usize>,
    /// Where the original line starts.
    line_start: usize,
}

impl<'s> Clipped<'s> {
    /// The view for `d`, or `None` when every line it points at is short.
    pub(super) fn new(sources: &'s Sources, d: &Diagnostic) -> Option<Self> {
        let long = d.spans().any(|s| {
            let file = sources.get(s.file);
            file.line_range(file.line_index(s.start))
                .is_some_and(|r| r.len() > MAX_LINE)
        });
        if !long {
            return None;
        }
        let mut by_file: BTreeMap<FileId, Vec<Span>> = BTreeMap::new();
        for s in d.spans() {
            by_file.entry(s.file).or_default().push(s);
        }
        let views = by_file
            .into_iter()
            .map(|(id, spans)| (id, View::new(sources.get(id), &spans)))
            .collect();
        Some(Clipped { sources, views })
    }

    /// Where `span` is in the view.
    pub(super) fn map(&self, span: Span) -> Range<usize> {
        match self.views.get(&span.file) {
            Some(view) => view.map(span.start)..view.map(span.end).max(view.map(span.start)),
            None => span.range(),
        }
    }

    fn view(&self, id: FileId) -> Result<&View, FilesError> {
        self.views.get(&id).ok_or(FilesError::FileMissing)
    }
}

impl View {
    fn new(file: &SourceFile, spans: &[Span]) -> View {
        let text = &file.text;
        let first = spans.iter().map(|s| file.line_index(s.start)).min().unwrap_or(0);
        let last = spans
            .iter()
            .map(|s| file.line_index(s.end))
            .max()
            .unwrap_or(first);
        let mut view = View {
            first,
            text: String::new(),
            lines: Vec::new(),
        };
        for index in first..=last {
            let Some(range) = file.line_range(index) else {
                break;
            };
            let content = text[range.clone()].trim_end_matches(['\n', '\r']);
            let end = range.start + content.len();
            let window = if content.len() <= MAX_LINE {
                range.start..end
            } else {
                let anchor = spans
                    .iter()
                    .map(|s| s.start)
                    .filter(|s| range.start <= *s && *s <= end)
                    .min()
                    .unwrap_or(range.start);
                let start = floor_char_boundary(text, anchor.saturating_sub(BEFORE).max(range.start));
                let stop = floor_char_boundary(text, (start + MAX_LINE).min(end));
                start..stop
            };
            let view_start = view.text.len();
            if window.start > range.start {
                view.text.push_str(CUT);
            }
            let window_at = view.text.len();
            view.text.push_str(&text[window.clone()]);
            if window.end < end {
                view.text.push_str(CUT);
            }
            view.text.push('\n');
            view.lines.push(Line {
                view_start,
                window_at,
                window,
                line_start: range.start,
            });
        }
        view
    }

    /// Where original offset `offset` is in the view (an offset cut away
    /// lands on the nearest edge of its line's window).
    fn map(&self, offset: usize) -> usize {
        let index = self
            .lines
            .partition_point(|l| l.line_start <= offset)
            .saturating_sub(1);
        match self.lines.get(index) {
            Some(line) => {
                line.window_at + offset.clamp(line.window.start, line.window.end) - line.window.start
            }
            None => 0,
        }
    }

    fn line(&self, index: usize) -> Result<&Line, FilesError> {
        self.lines.get(index).ok_or(FilesError::LineTooLarge {
            given: index,
            max: self.lines.len().saturating_sub(1),
        })
    }
}

impl<'a> Files<'a> for Clipped<'_> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.sources.get(id).path.display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.view(id)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let view = self.view(id)?;
        Ok(view
            .lines
            .partition_point(|l| l.view_start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, id: FileId, line_index: usize) -> Result<usize, FilesError> {
        Ok(self.view(id)?.first + line_index + 1)
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let line = self.view(id)?.line(line_index)?;
        let text = &self.sources.get(id).text;
        let offset = (line.window.start + byte_index.saturating_sub(line.window_at)).min(line.window.end);
        let offset = floor_char_boundary(text, offset);
        Ok(text[line.line_start..offset].chars().count() + 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let view = self.view(id)?;
        view.line(line_index)?;
        let start = view.lines[line_index].view_start;
        let end = view
            .lines
            .get(line_index + 1)
            .map_or(view.text.len(), |l| l.view_start);
        Ok(start..end)
    }
}
