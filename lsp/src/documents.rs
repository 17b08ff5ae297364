//! The documents the client has open, with their unsaved text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use crate::position::LineIndex;
use crate::uri;

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The URI exactly as the client sent it.
    pub uri: Uri,
    /// The file's path, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// The current text, as the client has it.
    pub text: String,
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    by_uri: HashMap<String, Document>,
}

impl Documents {
    /// Records a newly opened document.
    pub fn open(&mut self, uri: Uri, text: String) {
        let path = uri::to_path(&uri);
        self.by_uri
            .insert(uri.as_str().to_owned(), Document { uri, path, text });
    }

    /// Applies edits to an open document: a change without a range replaces
    /// the whole text, one with a range replaces that range. Returns false
    /// if the document is not open.
    pub fn change(&mut self, uri: &Uri, changes: Vec<TextDocumentContentChangeEvent>) -> bool {
        let Some(doc) = self.by_uri.get_mut(uri.as_str()) else {
            return false;
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&doc.text);
                    let start = index.offset(range.start);
                    let end = index.offset(range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        true
    }

    /// Forgets a closed document.
    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.by_uri.remove(uri.as_str())
    }

    /// An open document.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.by_uri.get(uri.as_str())
    }

    /// The open document at `path`.
    pub fn by_path(&self, path: &Path) -> Option<&Document> {
        self.by_uri.values().find(|d| d.path.as_deref() == Some(path))
    }

    /// Every open document.
    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.by_uri.values()
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range};

    use super::*;

    #[test]
    fn full_and_ranged_changes() {
        let mut docs = Documents::default();
        let uri: Uri = "file:///s/a.berth".parse().unwrap();
        docs.open(uri.clone(), "vpc main {}\n".into());
        assert_eq!(
            docs.get(&uri).unwrap().path.as_deref(),
            Some(Path::new("/s/a.berth"))
        );
        let ranged = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 4), Position::new(0, 8))),
            range_length: None,
            text: "é".into(),
        };
        assert!(docs.change(&uri, vec![ranged]));
        assert_eq!(docs.get(&uri).unwrap().text, "vpc é {}\n");
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "x".into(),
        };
        assert!(docs.change(&uri, vec![full]));
        assert_eq!(docs.get(&uri).unwrap().text, "x");
        assert!(docs.close(&uri).is_some());
        assert!(!docs.change(&uri, Vec::new()));
    }
}
