//! Completion: block kinds at top level, attribute and nested block names
//! in bodies, declared names after `KIND.`, attributes after `KIND.NAME.`,
//! variables after `var.`, and references where a value goes.

use berth_lang::FileId;
use berth_lang::eval::functions;
use berth_lang::syntax::{self, Around, DATA, Place};
use berth_provider::Kind;
use berth_provider::lookup::DataKind;
use berth_provider::schema::Type;
use lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat, MarkupContent, MarkupKind, Position,
};

use crate::position::LineIndex;
use crate::schema::{self, Entry};
use crate::stack::{Decl, StackFiles, declarations};

/// The completions at `position` of `file`; `snippets` says whether the
/// client accepts snippet syntax in insert texts.
pub fn completion(
    files: &StackFiles,
    file: FileId,
    position: Position,
    snippets: bool,
) -> Vec<CompletionItem> {
    let text = files.text(file);
    let offset = LineIndex::new(text).offset(position);
    let cursor = syntax::at_offset(text, offset);
    match &cursor.place {
        Place::Item if cursor.blocks.is_empty() => kinds(snippets),
        Place::Item => body_items(&cursor, snippets),
        Place::Member { path } => members(path, &declarations(files)),
        Place::Value { attr } => values(&cursor, attr.as_deref(), &declarations(files), snippets),
        _ => Vec::new(),
    }
}

fn item(label: impl Into<String>, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        label: label.into(),
        kind: Some(kind),
        ..CompletionItem::default()
    }
}

fn markdown(value: String) -> Option<Documentation> {
    Some(Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }))
}

fn snippet(mut item: CompletionItem, snippets: bool, text: String) -> CompletionItem {
    if snippets {
        item.insert_text = Some(text);
        item.insert_text_format = Some(InsertTextFormat::SNIPPET);
    }
    item
}

/// Every block kind, as `vpc ${1:name} {\n\t$0\n}` snippets.
fn kinds(snippets: bool) -> Vec<CompletionItem> {
    let resources = Kind::ALL.iter().map(|k| (k.keyword(), k.schema().doc));
    let others = [
        ("variable", schema::VARIABLE_DOC),
        ("stack", schema::STACK_DOC),
        ("output", schema::OUTPUT_DOC),
        ("locals", schema::LOCALS_DOC),
        (DATA, schema::DATA_DOC),
    ];
    resources
        .chain(others)
        .map(|(keyword, doc)| {
            let body = if keyword == "stack" {
                format!("{keyword} \"${{1:name}}\" {{\n\t$0\n}}")
            } else if keyword == "locals" {
                format!("{keyword} {{\n\t$0\n}}")
            } else if keyword == DATA {
                format!("{keyword} ${{1:kind}} ${{2:name}} {{\n\t$0\n}}")
            } else {
                format!("{keyword} ${{1:name}} {{\n\t$0\n}}")
            };
            let it = CompletionItem {
                detail: Some(doc.to_owned()),
                documentation: schema::kind_markdown(keyword).and_then(markdown),
                ..item(keyword, CompletionItemKind::CLASS)
            };
            snippet(it, snippets, body)
        })
        .collect()
}

/// The attributes (not computed, not yet set) and nested blocks of the
/// body the cursor is in.
fn body_items(cursor: &Around, snippets: bool) -> Vec<CompletionItem> {
    let Some(body) = schema::body(&cursor.blocks) else {
        return Vec::new();
    };
    let owner = body.name();
    let used = |name: &str| cursor.siblings.iter().filter(|s| *s == name).count();
    body.entries()
        .into_iter()
        .filter_map(|entry| match entry {
            Entry::Attr(attr) if attr.is_computed() || used(attr.name) > 0 => None,
            Entry::Attr(attr) => {
                let it = CompletionItem {
                    detail: Some(attr.ty.to_string()),
                    documentation: markdown(schema::attr_markdown(attr, owner)),
                    ..item(attr.name, CompletionItemKind::PROPERTY)
                };
                Some(snippet(it, snippets, format!("{} = $0", attr.name)))
            }
            Entry::Block(block) if block.max.is_some_and(|max| used(block.name) >= max) => None,
            Entry::Block(block) => {
                let it = CompletionItem {
                    detail: Some("block".to_owned()),
                    documentation: markdown(schema::block_markdown(block, owner)),
                    ..item(block.name, CompletionItemKind::STRUCT)
                };
                let text = if block.labelled {
                    format!("{} ${{1:name}} {{\n\t$0\n}}", block.name)
                } else {
                    format!("{} {{\n\t$0\n}}", block.name)
                };
                Some(snippet(it, snippets, text))
            }
            Entry::Meta(meta) if used(meta.name) > 0 => None,
            Entry::Meta(meta) => {
                let it = CompletionItem {
                    detail: Some(meta.detail.to_owned()),
                    documentation: markdown(schema::meta_markdown(&meta, owner)),
                    ..item(meta.name, CompletionItemKind::PROPERTY)
                };
                Some(snippet(it, snippets, format!("{} = $0", meta.name)))
            }
        })
        .collect()
}

/// The next step of a reference: names after `KIND.` and `var.`,
/// attributes after `KIND.NAME.`.
fn members(path: &[String], decls: &[Decl]) -> Vec<CompletionItem> {
    match path {
        [root] if root == "var" => decls
            .iter()
            .filter(|d| d.kind == "variable")
            .map(|d| item(d.name.clone(), CompletionItemKind::VARIABLE))
            .collect(),
        [root] if root == "local" => decls
            .iter()
            .filter(|d| d.kind == "local")
            .map(|d| item(d.name.clone(), CompletionItemKind::VARIABLE))
            .collect(),
        [root] if root == "each" => ["key", "value"]
            .into_iter()
            .map(|n| item(n, CompletionItemKind::FIELD))
            .collect(),
        [root] if root == DATA => DataKind::ALL
            .iter()
            .map(|k| CompletionItem {
                detail: Some(k.doc().to_owned()),
                ..item(k.keyword(), CompletionItemKind::CLASS)
            })
            .collect(),
        [root, kind] if root == DATA => decls
            .iter()
            .filter(|d| d.kind == format!("{DATA}.{kind}"))
            .map(|d| item(d.name.clone(), CompletionItemKind::REFERENCE))
            .collect(),
        [root, kind, _name] if root == DATA => kind
            .parse::<DataKind>()
            .map(|k| {
                k.attrs()
                    .iter()
                    .map(|a| CompletionItem {
                        detail: Some(a.ty.to_string()),
                        documentation: markdown(a.doc.to_owned()),
                        ..item(a.name, CompletionItemKind::FIELD)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        [root] => match root.parse::<Kind>() {
            Ok(kind) => decls
                .iter()
                .filter(|d| d.kind == root.as_str())
                .map(|d| CompletionItem {
                    detail: Some(kind.to_string()),
                    ..item(d.name.clone(), CompletionItemKind::REFERENCE)
                })
                .collect(),
            Err(_) => Vec::new(),
        },
        [root, _name] => match root.parse::<Kind>() {
            Ok(kind) => kind
                .schema()
                .attrs
                .iter()
                .map(|attr| CompletionItem {
                    detail: Some(attr.ty.to_string()),
                    documentation: markdown(schema::attr_markdown(attr, kind.keyword())),
                    ..item(attr.name, CompletionItemKind::FIELD)
                })
                .collect(),
            Err(_) => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Where a value goes: references to resources of the kind the attribute
/// takes first, then `true`/`false` for booleans, `var`, functions and the
/// kinds (to start any reference).
fn values(cursor: &Around, attr: Option<&str>, decls: &[Decl], snippets: bool) -> Vec<CompletionItem> {
    let ty = attr.and_then(|name| match schema::body(&cursor.blocks)?.entry(name)? {
        Entry::Attr(a) => Some(a.ty),
        _ => None,
    });
    let wanted = match ty {
        Some(Type::Ref(kind)) => Some(kind),
        Some(Type::List(Type::Ref(kind)) | Type::Set(Type::Ref(kind))) => Some(*kind),
        _ => None,
    };
    let mut items = Vec::new();
    if let Some(kind) = wanted {
        items.extend(
            decls
                .iter()
                .filter(|d| d.kind == kind.keyword())
                .map(|d| CompletionItem {
                    detail: Some(format!("reference to a {kind}")),
                    sort_text: Some(format!("0{}", d.name)),
                    ..item(format!("{kind}.{}", d.name), CompletionItemKind::REFERENCE)
                }),
        );
    }
    if let Some(Type::Bool | Type::Switch(_)) = ty {
        items.extend(["true", "false"].map(|b| CompletionItem {
            sort_text: Some(format!("0{b}")),
            ..item(b, CompletionItemKind::VALUE)
        }));
    }
    if let Some(Type::Switch(modes)) = ty {
        items.extend(modes.iter().map(|m| CompletionItem {
            sort_text: Some(format!("1{m}")),
            ..item(format!("\"{m}\""), CompletionItemKind::VALUE)
        }));
    }
    items.push(item("var", CompletionItemKind::MODULE));
    items.push(item("local", CompletionItemKind::MODULE));
    items.extend(functions::NAMES.iter().map(|name| {
        snippet(
            item(*name, CompletionItemKind::FUNCTION),
            snippets,
            format!("{name}($0)"),
        )
    }));
    items.extend(
        Kind::ALL
            .iter()
            .map(|k| item(k.keyword(), CompletionItemKind::CLASS)),
    );
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::Documents;
    use crate::{stack, uri};

    fn labels_at(marked: &str, other_file: &str) -> Vec<String> {
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
        completion(&files, file, position, true)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn attributes_not_yet_set_and_not_computed() {
        let labels = labels_at("vpc main {\n  cidr = \"10.0.0.0/16\"\n  |\n}\n", "");
        assert!(labels.contains(&"dns_hostnames".to_owned()), "{labels:?}");
        assert!(!labels.contains(&"cidr".to_owned()));
        assert!(!labels.contains(&"id".to_owned()));
        assert!(labels.contains(&"for_each".to_owned()));
    }

    #[test]
    fn nested_block_bodies() {
        let labels = labels_at(
            "task_definition t {\n  container app {\n    health_check {\n      |",
            "",
        );
        assert!(labels.contains(&"interval".to_owned()), "{labels:?}");
        let labels = labels_at("task_definition t {\n  container app {\n    |", "");
        assert!(labels.contains(&"health_check".to_owned()), "{labels:?}");
        assert!(labels.contains(&"image".to_owned()), "{labels:?}");
    }

    #[test]
    fn names_across_files_while_typing() {
        let other =
            "vpc main { cidr = \"10.0.0.0/16\" }\nvpc edge { cidr = \"10.1.0.0/16\" }\nvariable env {}\n";
        assert_eq!(labels_at("subnet a {\n  vpc = vpc.|", other), ["main", "edge"]);
        let labels = labels_at("subnet a {\n  x = load_balancer.web.|", other);
        assert!(labels.contains(&"dns_name".to_owned()) && labels.contains(&"arn".to_owned()));
        assert_eq!(labels_at("stack \"s-${var.|}\" {}", other), ["env"]);
        let locals = "locals {\n  prefix = \"shop\"\n  tags = {}\n}\n";
        assert_eq!(
            labels_at("subnet a {\n  name = local.|", locals),
            ["prefix", "tags"]
        );
        let labels = labels_at("subnet a {\n  vpc = |", other);
        assert_eq!(&labels[..2], ["vpc.main", "vpc.edge"]);
    }

    #[test]
    fn after_a_dot_in_a_block_whose_brace_is_missing() {
        let other = "vpc main { cidr = \"10.0.0.0/16\" }\nvpc edge { cidr = \"10.1.0.0/16\" }\n";
        let broken =
            "subnet a {\n  cidr = \"10.0.1.0/24\"\n  vpc = vpc.|\n\nsubnet b {\n  vpc = vpc.main\n}\n";
        assert_eq!(labels_at(broken, other), ["main", "edge"]);
        let typing = "subnet a {\n  vpc = vpc.ma|\n  zone = \"a\"\n";
        assert_eq!(labels_at(typing, other), ["main", "edge"]);
    }

    #[test]
    fn attribute_names_in_a_nested_block_of_a_broken_file() {
        // A syntax error above, and every block around the cursor left open.
        let text = "vpc v {\n  cidr: \"10.0.0.0/16\"\n}\ntask_definition t {\n  cpu = [256\n  container app {\n    image = \"x\"\n    health_check {\n      command = \"true\"\n      |";
        let labels = labels_at(text, "");
        assert!(labels.contains(&"interval".to_owned()), "{labels:?}");
        assert!(!labels.contains(&"command".to_owned()), "{labels:?}");
        let labels = labels_at(
            "listener l {\n  port = 80\n  rule r {\n    prio|\n    path = \"/a\"\n",
            "",
        );
        assert!(labels.contains(&"priority".to_owned()), "{labels:?}");
        assert!(!labels.contains(&"path".to_owned()), "{labels:?}");
    }

    #[test]
    fn top_level_kinds_as_snippets() {
        let items = {
            let dir = tempfile::tempdir().unwrap();
            let b = uri::from_path(&dir.path().join("b.berth")).unwrap();
            let mut docs = Documents::default();
            docs.open(b.clone(), "vp".into());
            let files = stack::load(&b, &docs);
            completion(&files, FileId(0), Position::new(0, 2), true)
        };
        let vpc = items.iter().find(|i| i.label == "vpc").unwrap();
        assert_eq!(vpc.insert_text.as_deref(), Some("vpc ${1:name} {\n\t$0\n}"));
        assert!(items.iter().any(|i| i.label == "variable"));
        assert!(items.iter().any(|i| i.label == "stack"));
        assert!(items.iter().any(|i| i.label == "output"));
    }
}
