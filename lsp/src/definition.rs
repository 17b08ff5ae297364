//! Go-to-definition: from a reference (`vpc.main`, `vpc.main.cidr`,
//! `subnet.public["a"]`, `var.env`) to the block that declares it, in
//! whichever file of the stack that is.

use berth_lang::syntax;
use berth_provider::Kind;
use lsp_types::{Location, Position};

use crate::position::LineIndex;
use crate::stack::{Decl, StackFiles, declarations};

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
    /// A local, declared in a `locals` block.
    Local(&'a Decl),
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
    if root == "local" {
        return decls
            .iter()
            .find(|d| d.kind == "local" && d.name == *name)
            .map(Target::Local);
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
    let reference = syntax::at_offset(text, offset).reference?;
    let decls = declarations(files);
    let decl = match target(&reference.steps, &decls)? {
        Target::Resource { decl, .. } | Target::Variable(decl) | Target::Local(decl) => decl,
    };
    let target_text = files.text(decl.file);
    let range = LineIndex::new(target_text).range(decl.label_span.start, decl.label_span.end);
    Some(Location::new(files.uri(decl.file)?.clone(), range))
}

#[cfg(test)]
mod tests {
    use lsp_types::{Range, Uri};

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

    #[test]
    fn jumps_from_below_a_syntax_error() {
        let mut docs = Documents::default();
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        // Errors before the reference: a colon, an unclosed list, and the
        // reference itself is half typed (`.` after it) in a block left open.
        let text = "vpc main {\n  cidr: \"10.0.0.0/16\"\n}\nsecurity_group g {\n  ports = [1, 2\n}\nsubnet s {\n  vpc = vpc.main.\n";
        docs.open(uri.clone(), text.into());
        let files = stack::load(&uri, &docs);
        let file = files.file_of(&uri).unwrap();
        let location = definition(&files, file, Position::new(7, 13)).unwrap();
        assert_eq!(location.uri, uri);
        assert_eq!(
            location.range,
            Range::new(Position::new(0, 4), Position::new(0, 8))
        );
    }
}
