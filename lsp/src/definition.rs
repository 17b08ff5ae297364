//! Go-to-definition: from a reference (`vpc.main`, `vpc.main.cidr`,
//! `subnet.public["a"]`, `var.env`) to the block that declares it, in
//! whichever file of the stack that is.

use berth_provider::Kind;
use lsp_types::{Location, Position};

use crate::context::{self, Place};
use crate::position::LineIndex;
use crate::stack::{Decl, StackFiles, declarations};
use crate::traversal;

/// A reference the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Its `.name` steps (`["vpc", "main", "cidr"]`); indexes are skipped.
    pub steps: Vec<String>,
    /// The step under the cursor.
    pub at: usize,
}

/// The reference at byte offset `offset` of `text`: from the parser's tree
/// when the item holding it parsed, else found by scanning the text (a
/// reference being typed, `vpc.`, is no node of the tree).
pub fn reference_at(text: &str, offset: usize) -> Option<Reference> {
    match traversal::reference_at(text, offset) {
        Some((steps, at)) => Some(Reference { steps, at }),
        None => scanned_reference_at(text, offset),
    }
}

/// The reference at `offset`, found by scanning the text.
pub(crate) fn scanned_reference_at(text: &str, offset: usize) -> Option<Reference> {
    let word = context::word_at(text, offset)?;
    let name = text.get(word.clone())?.to_owned();
    let after = context::steps_after(text, word.end);
    let (mut steps, at) = match context::cursor_context(text, word.start).place {
        Place::Value { .. } => (Vec::new(), 0),
        Place::Member { path } => {
            let at = path.len();
            (path, at)
        }
        _ => return None,
    };
    steps.push(name);
    steps.extend(after);
    Some(Reference { steps, at })
}

/// What a reference names.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A resource, and the attribute read from it, if any.
    Resource {
        kind: Kind,
        decl: &'a Decl,
        attr: Option<&'a str>,
    },
    /// A variable.
    Variable(&'a Decl),
}

/// The declaration a reference's first two steps name.
pub fn target<'a>(steps: &'a [String], decls: &'a [Decl]) -> Option<Target<'a>> {
    let [root, name, rest @ ..] = steps else {
        return None;
    };
    if root == "var" {
        return decls
            .iter()
            .find(|d| d.kind == "variable" && d.name == *name)
            .map(Target::Variable);
    }
    let kind: Kind = root.parse().ok()?;
    let decl = decls.iter().find(|d| d.kind == *root && d.name == *name)?;
    Some(Target::Resource {
        kind,
        decl,
        attr: rest.first().map(String::as_str),
    })
}

/// Where the reference at `position` of `file` is declared.
pub fn definition(files: &StackFiles, file: berth_lang::FileId, position: Position) -> Option<Location> {
    let text = files.text(file);
    let offset = LineIndex::new(text).offset(position);
    let reference = reference_at(text, offset)?;
    let decls = declarations(files);
    let decl = match target(&reference.steps, &decls)? {
        Target::Resource { decl, .. } | Target::Variable(decl) => decl,
    };
    let target_text = files.text(decl.file);
    let range = LineIndex::new(target_text).range(decl.label_span.start, decl.label_span.end);
    Some(Location::new(files.uri(decl.file)?.clone(), range))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(marked: &str) -> Option<Reference> {
        let offset = marked.find('|').expect("a | marks the cursor");
        reference_at(&marked.replacen('|', "", 1), offset)
    }

    fn steps(r: &Reference) -> Vec<&str> {
        r.steps.iter().map(String::as_str).collect()
    }

    #[test]
    fn finds_the_reference_and_the_step_under_the_cursor() {
        let r = reference("subnet a { vpc = v|pc.main.cidr }").unwrap();
        assert_eq!((steps(&r), r.at), (vec!["vpc", "main", "cidr"], 0));
        let r = reference("subnet a { vpc = vpc.ma|in.cidr }").unwrap();
        assert_eq!((steps(&r), r.at), (vec!["vpc", "main", "cidr"], 1));
        let r = reference("x y { a = subnet.public[\"a\"].i|d }").unwrap();
        assert_eq!((steps(&r), r.at), (vec!["subnet", "public", "id"], 2));
        let r = reference("stack \"s-${var.e|nv}\" {}").unwrap();
        assert_eq!(steps(&r), ["var", "env"]);
        // The attribute name and the block kind are not references.
        assert_eq!(reference("subnet a { v|pc = vpc.main }"), None);
        assert_eq!(reference("v|pc main {}"), None);
        assert_eq!(reference("# vpc.m|ain"), None);
    }
}

#[cfg(test)]
mod stack_tests {
    use lsp_types::Range;

    use super::*;
    use crate::documents::Documents;
    use crate::{stack, uri};

    #[test]
    fn jumps_across_files_even_when_neither_parses() {
        let dir = tempfile::tempdir().unwrap();
        // a.berth does not parse (an attribute without a value).
        std::fs::write(
            dir.path().join("a.berth"),
            "# é🚀\nvpc main {\n  cidr =\n}\nvariable env {}\n",
        )
        .unwrap();
        let b = uri::from_path(&dir.path().join("b.berth")).unwrap();
        let mut docs = Documents::default();
        docs.open(
            b.clone(),
            "subnet s {\n  vpc = vpc.main\n  zone = var.env\n  cidr = \n".into(),
        );
        let files = stack::load(&b, &docs);
        let file = files.file_of(&b).unwrap();
        let location = definition(&files, file, Position::new(1, 13)).unwrap();
        assert!(location.uri.as_str().ends_with("/a.berth"));
        assert_eq!(
            location.range,
            Range::new(Position::new(1, 4), Position::new(1, 8))
        );
        let location = definition(&files, file, Position::new(2, 13)).unwrap();
        assert_eq!(location.range.start, Position::new(4, 9));
        assert!(definition(&files, file, Position::new(3, 3)).is_none());
    }
}
