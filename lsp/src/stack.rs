//! The stack a document belongs to: every `.berth` file of its directory,
//! with open documents' unsaved text in place of what is on disk, and the
//! declarations those files make.

use std::ops::Range;
use std::path::{Path, PathBuf};

use berth_lang::syntax::{self, ast};
use berth_lang::{Diagnostic, FileId, Sources, load};
use lsp_types::Uri;

use crate::documents::Documents;
use crate::uri;

/// The files of one stack, ready to analyse.
#[derive(Debug)]
pub struct StackFiles {
    /// Every file's path and text, in path order.
    pub sources: Sources,
    /// Problems found while reading (text that is not UTF-8).
    pub load_diagnostics: Vec<Diagnostic>,
    /// Each file's URI, indexed like `sources`.
    pub uris: Vec<Uri>,
    /// The stack's name when it has no `stack` block: its directory's name.
    pub default_name: String,
}

impl StackFiles {
    /// The id of the file with this URI (compared as is, then as a path, as
    /// clients spell URIs differently).
    pub fn file_of(&self, uri: &Uri) -> Option<FileId> {
        if let Some(i) = self.uris.iter().position(|u| u == uri) {
            return Some(FileId(i));
        }
        let path = uri::to_path(uri)?;
        self.sources
            .iter()
            .find(|(_, f)| f.path == path)
            .map(|(id, _)| id)
    }

    /// The URI of a file.
    pub fn uri(&self, file: FileId) -> Option<&Uri> {
        self.uris.get(file.0)
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }
}

/// Gathers the stack of the document `uri`: the `.berth` files of its
/// directory, or the document alone when it is not a file on disk.
pub fn load(uri: &Uri, docs: &Documents) -> StackFiles {
    let mut files = StackFiles {
        sources: Sources::new(),
        load_diagnostics: Vec::new(),
        uris: Vec::new(),
        default_name: "default".to_owned(),
    };
    let path = docs
        .get(uri)
        .and_then(|d| d.path.clone())
        .or_else(|| uri::to_path(uri));
    let Some(dir) = path.as_deref().and_then(Path::parent) else {
        if let Some(doc) = docs.get(uri) {
            files.sources.add(doc.uri.as_str(), doc.text.clone());
            files.uris.push(doc.uri.clone());
        }
        return files;
    };
    if let Some(name) = dir.file_name() {
        files.default_name = name.to_string_lossy().into_owned();
    }
    for path in paths_in(dir, path.as_deref(), docs) {
        if let Some(doc) = docs.by_path(&path) {
            files.sources.add(&path, doc.text.clone());
            files.uris.push(doc.uri.clone());
        } else if path.is_file()
            && let (Ok(bytes), Some(file_uri)) = (std::fs::read(&path), uri::from_path(&path))
        {
            load::add_bytes(&mut files.sources, &mut files.load_diagnostics, &path, &bytes);
            files.uris.push(file_uri);
        }
    }
    files
}

/// The directory's `.berth` files, the open ones in it (saved or not) and
/// the document itself, sorted.
fn paths_in(dir: &Path, this: Option<&Path>, docs: &Documents) -> Vec<PathBuf> {
    let mut paths = load::berth_entries(dir).unwrap_or_default();
    paths.extend(
        docs.iter()
            .filter_map(|d| d.path.clone())
            .filter(|p| p.parent() == Some(dir) && p.extension().is_some_and(|e| e == "berth")),
    );
    paths.extend(this.map(Path::to_owned));
    paths.sort();
    paths.dedup();
    paths
}

/// A top-level named block: a resource or a variable.
#[derive(Debug, Clone)]
pub struct Decl {
    /// The block kind as written (`vpc`, `variable`; `data.vpc` for a
    /// lookup).
    pub kind: String,
    /// Its label.
    pub name: String,
    /// The file declaring it.
    pub file: FileId,
    /// Byte range of the label.
    pub label_span: Range<usize>,
    /// The parsed block, when its file parses.
    pub block: Option<ast::Block>,
}

/// Every named top-level block of the stack, from the parser's
/// error-tolerant tree: a file with syntax errors (the user is typing)
/// still contributes every block the parser recovered, even one left open.
/// Only blocks of files without errors carry their tree for checks.
pub fn declarations(files: &StackFiles) -> Vec<Decl> {
    let mut decls = Vec::new();
    for (id, file) in files.sources.iter() {
        let parsed = syntax::parse_recovering(id, &file.text);
        let sound = parsed.errors.is_empty();
        // Each local of a `locals` block is a declaration of its own.
        for block in parsed.tree.blocks.iter().filter(|b| b.kind.name == "locals") {
            decls.extend(block.body.iter().filter_map(|item| match item {
                ast::Item::Attribute(a) => Some(Decl {
                    kind: "local".to_owned(),
                    name: a.name.name.clone(),
                    file: id,
                    label_span: a.name.span.range(),
                    block: None,
                }),
                ast::Item::Block(_) => None,
            }));
        }
        decls.extend(parsed.tree.blocks.into_iter().filter_map(|block| {
            let ast::Label::Ident(label) = block.label.as_ref()? else {
                return None;
            };
            // A lookup is known by its kind: `data.vpc`.
            let kind = match &block.subkind {
                Some(subkind) => format!("{}.{}", block.kind.name, subkind.name),
                None => block.kind.name.clone(),
            };
            Some(Decl {
                kind,
                name: label.name.clone(),
                file: id,
                label_span: label.span.range(),
                block: sound.then(|| block.clone()),
            })
        }));
    }
    decls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_text_replaces_disk_and_unsaved_files_join() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.berth"), "vpc main {}\n").unwrap();
        std::fs::write(dir.path().join("b.berth"), "vpc other {}\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "no").unwrap();
        let mut docs = Documents::default();
        let b = uri::from_path(&dir.path().join("b.berth")).unwrap();
        let c = uri::from_path(&dir.path().join("c.berth")).unwrap();
        docs.open(b.clone(), "vpc edited {\n".into());
        docs.open(c.clone(), "variable env {}\n".into());
        let files = load(&b, &docs);
        assert_eq!(files.uris.len(), 3);
        assert_eq!(files.text(files.file_of(&b).unwrap()), "vpc edited {\n");
        let names: Vec<_> = declarations(&files)
            .into_iter()
            .map(|d| format!("{}.{}", d.kind, d.name))
            .collect();
        assert_eq!(names, ["vpc.main", "vpc.edited", "variable.env"]);
        let name = dir.path().file_name().unwrap().to_string_lossy();
        assert_eq!(files.default_name, name);
    }

    #[test]
    fn a_file_with_syntax_errors_still_declares_its_blocks() {
        let mut docs = Documents::default();
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        let text =
            "vpc main {\n  cidr: 1\n}\nsubnet a {\n  vpc = vpc.\n}\nstack \"s\" {}\ncluster c {\n  x =\n";
        docs.open(uri.clone(), text.into());
        let files = load(&uri, &docs);
        let decls = declarations(&files);
        let names: Vec<_> = decls.iter().map(|d| format!("{}.{}", d.kind, d.name)).collect();
        assert_eq!(
            names,
            ["vpc.main", "subnet.a", "cluster.c"],
            "even the block left open"
        );
        assert_eq!(&text[decls[1].label_span.clone()], "a");
        assert!(
            decls.iter().all(|d| d.block.is_none()),
            "no tree from a broken file"
        );
    }

    #[test]
    fn a_document_without_a_path_is_its_own_stack() {
        let mut docs = Documents::default();
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        docs.open(uri.clone(), "vpc main {}".into());
        let files = load(&uri, &docs);
        assert_eq!(files.uris, [uri]);
    }
}
