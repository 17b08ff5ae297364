//! Formatting (`textDocument/formatting`) through `berth fmt`'s formatter,
//! so the editor and the CLI agree on the layout to the byte.

use berth_lang::fmt;
use lsp_types::TextEdit;

use crate::position::LineIndex;

/// What formatting a document gives.
#[derive(Debug, PartialEq)]
pub enum Formatted {
    /// The edits to apply: none when the text is already formatted, else
    /// one replacing the whole document (the formatter works on the whole
    /// file; a minimal diff would buy nothing the client cannot do).
    Edits(Vec<TextEdit>),
    /// The file has syntax errors and so no canonical layout: why, for the
    /// client's log.
    NotFormatted(String),
}

/// Formats `text`, the document's current content.
pub fn format(text: &str) -> Formatted {
    match fmt::format_source(text) {
        Ok(formatted) if formatted == text => Formatted::Edits(Vec::new()),
        Ok(formatted) => {
            let index = LineIndex::new(text);
            Formatted::Edits(vec![TextEdit::new(index.range(0, text.len()), formatted)])
        }
        Err(errors) => {
            let index = LineIndex::new(text);
            let first = errors.first().map_or_else(String::new, |d| match d.span {
                Some(span) => {
                    let at = index.position(span.start);
                    format!(": line {}:{}: {}", at.line + 1, at.character + 1, d.message)
                }
                None => format!(": {}", d.message),
            });
            let count = errors.len();
            let plural = if count == 1 { "" } else { "s" };
            Formatted::NotFormatted(format!("not formatted: {count} syntax error{plural}{first}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range};

    use super::*;

    #[test]
    fn the_whole_document_is_replaced_by_the_formatted_text() {
        let text = "vpc main {\ncidr=\"10.0.0.0/16\"\n    dns_hostnames = true }\n# é🚀";
        let Formatted::Edits(edits) = format(text) else {
            panic!("not formatted")
        };
        assert_eq!(edits.len(), 1);
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(0, 0), Position::new(3, 5))
        );
        assert_eq!(
            Ok(edits[0].new_text.clone()),
            fmt::format_source(text).map_err(|_| ())
        );
        assert!(edits[0].new_text.contains("  cidr          = \"10.0.0.0/16\"\n"));
    }

    #[test]
    fn formatted_text_gives_no_edit() {
        let text = "vpc main {\n  cidr = \"10.0.0.0/16\"\n}\n";
        assert_eq!(format(text), Formatted::Edits(Vec::new()));
    }

    #[test]
    fn syntax_errors_give_no_edit_and_a_reason() {
        let Formatted::NotFormatted(why) = format("vpc main {\n  cidr: 1\n}\n") else {
            panic!("a broken file was formatted")
        };
        assert!(why.starts_with("not formatted: 1 syntax error: line 2:"), "{why}");
    }
}
