//! Hover: the schema docs of an attribute, nested block or block kind, and
//! what a reference refers to.

use berth_lang::FileId;
use berth_lang::syntax::ast::{ExprKind, Item, StrPart};
use berth_lang::syntax::{self, Place, Reference};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::definition::{Target, target};
use crate::position::LineIndex;
use crate::schema::{self, Entry};
use crate::stack::{Decl, StackFiles, declarations};

/// The hover at `position` of `file`.
pub fn hover(files: &StackFiles, file: FileId, position: Position) -> Option<Hover> {
    let text = files.text(file);
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let cursor = syntax::at_offset(text, offset);
    let word = cursor.name.clone()?;
    let name = text.get(word.clone())?;
    let markdown = match cursor.place {
        Place::Item if cursor.blocks.is_empty() => schema::kind_markdown(name)?,
        Place::Item => {
            let body = schema::body(&cursor.blocks)?;
            match body.entry(name)? {
                Entry::Attr(attr) => schema::attr_markdown(attr, body.name()),
                Entry::Block(block) => schema::block_markdown(block, body.name()),
                Entry::Meta(meta) => schema::meta_markdown(&meta, body.name()),
            }
        }
        Place::Value { .. } | Place::Member { .. } => reference_markdown(files, cursor.reference.as_ref()?)?,
        _ => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(index.range(word.start, word.end)),
    })
}

fn reference_markdown(files: &StackFiles, reference: &Reference) -> Option<String> {
    let steps = &reference.steps;
    match steps.as_slice() {
        [each, step, ..] if each == "each" => {
            return Some(match step.as_str() {
                "key" => {
                    "**`each.key`** — the key (or list element) of this resource's `for_each` element".into()
                }
                "value" => "**`each.value`** — the value of this resource's `for_each` element".into(),
                other => format!("`each` has `key` and `value`, not `{other}`"),
            });
        }
        [root] => return schema::kind_markdown(root),
        _ => {}
    }
    let decls = declarations(files);
    let shown = steps.iter().take(2).cloned().collect::<Vec<_>>().join(".");
    let Some(found) = target(steps, &decls) else {
        return Some(format!("`{shown}` is not declared in this stack"));
    };
    match found {
        Target::Variable(decl) => Some(variable_markdown(files, decl)),
        Target::Local(decl) => Some(format!(
            "**`local.{}`** — local declared in {}",
            decl.name,
            declared_at(files, decl)
        )),
        Target::Resource { kind, decl, attr } => {
            let place = declared_at(files, decl);
            if let Some(attr_name) = attr.filter(|_| reference.at >= 2) {
                return Some(match kind.schema().attr(attr_name) {
                    Some(a) => schema::attr_markdown(a, &shown),
                    None => format!("`{kind}` has no attribute `{attr_name}`"),
                });
            }
            let schema = kind.schema();
            Some(format!(
                "**`{shown}`** — `{kind}` declared in {place}\n\n{}\n\nEvaluates to its `{}`.",
                schema.doc, schema.identity
            ))
        }
    }
}

fn declared_at(files: &StackFiles, decl: &Decl) -> String {
    let text = files.text(decl.file);
    let line = LineIndex::new(text).position(decl.label_span.start).line + 1;
    let path = &files.sources.get(decl.file).path;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    format!("`{name}`, line {line}")
}

fn variable_markdown(files: &StackFiles, decl: &Decl) -> String {
    let mut out = format!(
        "**`var.{}`** — variable declared in {}",
        decl.name,
        declared_at(files, decl)
    );
    let text = files.text(decl.file);
    let attrs = decl
        .block
        .iter()
        .flat_map(|b| &b.body)
        .filter_map(|item| match item {
            Item::Attribute(a) => Some(a),
            Item::Block(_) => None,
        });
    for attr in attrs {
        match attr.name.name.as_str() {
            "default" => {
                let value = text.get(attr.value.span.range()).unwrap_or("");
                out.push_str(&format!("\n\ndefault: `{value}`"));
            }
            "description" => {
                if let ExprKind::String(parts) = &attr.value.kind {
                    let literal: String = parts
                        .iter()
                        .filter_map(|p| match p {
                            StrPart::Lit(s) => Some(s.as_str()),
                            StrPart::Interp(_) => None,
                        })
                        .collect();
                    out.push_str(&format!("\n\n{literal}"));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Documents;
    use crate::{stack, uri};

    /// The hover markdown where `|` is written in b.berth, next to a.berth.
    fn hover_at(marked: &str, other_file: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.berth"), other_file).unwrap();
        let b = uri::from_path(&dir.path().join("b.berth")).unwrap();
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        let position = LineIndex::new(&text).position(offset);
        let mut docs = Documents::default();
        docs.open(b.clone(), text);
        let files = stack::load(&b, &docs);
        let file = files.file_of(&b).unwrap();
        match hover(&files, file, position)?.contents {
            HoverContents::Markup(m) => Some(m.value),
            other => panic!("markdown expected, got {other:?}"),
        }
    }

    #[test]
    fn attribute_of_a_nested_block_while_typing() {
        let md = hover_at(
            "task_definition t {\n  container app {\n    health_check {\n      inter|val = 5\n",
            "",
        )
        .unwrap();
        assert!(
            md.contains("**`interval`** — attribute of `health_check`"),
            "{md}"
        );
    }

    #[test]
    fn kind_keyword_and_nested_block_name() {
        let md = hover_at("v|pc main {}", "").unwrap();
        assert!(md.contains("A virtual private cloud."), "{md}");
        let md = hover_at("task_definition t {\n  contai|ner app {}\n}", "").unwrap();
        assert!(md.contains("nested block of `task_definition`"), "{md}");
    }

    #[test]
    fn references_say_what_they_refer_to() {
        let other = "vpc main { cidr = \"10.0.0.0/16\" }\nvariable env {\n  default = \"dev\"\n  description = \"Where\"\n}\n";
        let md = hover_at("subnet s { vpc = vpc.ma|in }", other).unwrap();
        assert!(md.contains("`vpc` declared in `a.berth`, line 1"), "{md}");
        let md = hover_at("subnet s { cidr = vpc.main.ci|dr }", other).unwrap();
        assert!(
            md.contains("attribute of `vpc.main`") && md.contains("CidrBlock"),
            "{md}"
        );
        let md = hover_at("stack \"x-${var.e|nv}\" {}", other).unwrap();
        assert!(md.contains("default: `\"dev\"`") && md.contains("Where"), "{md}");
        let md = hover_at("subnet s { vpc = vpc.nop|e }", other).unwrap();
        assert!(md.contains("`vpc.nope` is not declared"), "{md}");
        assert_eq!(hover_at("# vpc.ma|in", other), None);
    }

    #[test]
    fn a_reference_in_an_unterminated_string() {
        let other = "variable env {\n  default = \"dev\"\n}\nvpc main { cidr = \"10.0.0.0/16\" }\n";
        let md = hover_at(
            "task_definition t {\n  container app {\n    image = \"app:${var.e|nv}\n",
            other,
        )
        .unwrap();
        assert!(
            md.contains("**`var.env`** — variable") && md.contains("default: `\"dev\"`"),
            "{md}"
        );
        let md = hover_at("subnet s {\n  tags = { Name = \"in-${vpc.ma|in.id} }\n}\n", other).unwrap();
        assert!(md.contains("`vpc` declared in `a.berth`, line 4"), "{md}");
    }
}
