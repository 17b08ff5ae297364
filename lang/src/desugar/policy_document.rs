//! Terraform's `data "aws_iam_policy_document"`: not a lookup but a
//! policy document built from blocks. Written `data iam_policy_document
//! NAME { statement { ... } }`, every reference to its `json` (or
//! `minified_json`) is the document itself, `jsonencode({ Version,
//! Statement = [...] })`, so it may hold references to the stack's
//! resources as any policy document does.

use std::collections::BTreeMap;

use super::{CODE, literal, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{
    Block, Call, Expr, ExprKind, File, ForExpr, ForResult, Ident, Item, MapEntry, MapKey, Step, StrPart,
};

/// The data kind.
pub(super) const KIND: &str = "iam_policy_document";

/// A statement's settings that are lists or strings of IAM's own, as
/// (Terraform's name, IAM's key).
const STATEMENT: [(&str, &str); 6] = [
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
];

/// Takes every `data iam_policy_document` block out of `files` and writes
/// each reference to its JSON as the document.
pub(super) fn fold(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let taken = super::take_data(files, KIND);
    if taken.is_empty() {
        return;
    }
    let declared: Vec<String> = taken.iter().map(|(name, _)| name.clone()).collect();
    let read: BTreeMap<String, Document> = taken
        .into_iter()
        .filter_map(|(name, block)| Some((name, document(block, diags)?)))
        .collect();
    let documents: BTreeMap<String, Expr> = read
        .iter()
        .filter_map(|(name, doc)| Some((name.clone(), doc.expr(&read, &mut Vec::new(), diags)?)))
        .collect();
    super::inline_data(files, KIND, &mut |name, rest, span| {
        let Some(document) = documents.get(name) else {
            // A document with an error of its own: what reads it says
            // nothing more (it was "cannot be looked up").
            return declared.iter().any(|d| d == name).then_some(Expr {
                kind: ExprKind::Null,
                span,
            });
        };
        let counted = read.get(name).is_some_and(|d| d.counted);
        let rest = match rest {
            [Step::Index(_), after @ ..] if counted => after,
            _ => rest,
        };
        match rest {
            [Step::Attr(attr)] if attr.name == "json" || attr.name == "minified_json" => Some(Expr {
                kind: ExprKind::Call(Call {
                    name: Ident {
                        name: "jsonencode".into(),
                        span,
                    },
                    args: vec![document.clone()],
                    expand: false,
                }),
                span,
            }),
            _ => super::misread((KIND, name, "json"), "a policy document", span, diags),
        }
    });
}

fn text(s: &str, span: Span) -> Expr {
    Expr {
        kind: ExprKind::String(vec![StrPart::Lit(s.into())]),
        span,
    }
}

fn entry(key: &str, value: Expr) -> MapEntry {
    MapEntry {
        key: MapKey {
            name: key.into(),
            quoted: true,
            span: value.span,
            computed: None,
        },
        value,
    }
}

fn map(entries: Vec<MapEntry>, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Map(entries),
        span,
    }
}

/// A policy document as its block writes it, before the documents it
/// names are read.
struct Document {
    version: Expr,
    id: Option<Expr>,
    /// Runs of written statements and the lists `dynamic` blocks make, in
    /// order.
    lists: Vec<Expr>,
    /// The documents of `source_policy_documents`, by name, whose
    /// statements come first.
    sources: Vec<(String, Span)>,
    /// Written with a `count` (its instances alike): read as
    /// `data.iam_policy_document.NAME[0].json` too.
    counted: bool,
    span: Span,
}

impl Document {
    /// The map IAM's JSON is: the sources' statements (but those whose
    /// `sid` one of this document's statements has, as Terraform overrides
    /// them), then its own. `seen`: the documents being read, for a cycle.
    fn expr(
        &self,
        all: &BTreeMap<String, Document>,
        seen: &mut Vec<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Expr> {
        let own_sids: Vec<&str> = self.lists.iter().flat_map(sids).collect();
        let mut lists = Vec::new();
        for (name, span) in &self.sources {
            if seen.contains(name) {
                diags.push(
                    Diagnostic::error(CODE, "policy documents name each other as their sources", *span)
                        .label(format!("`{name}` is being read"))
                        .help("break the cycle of `source_policy_documents`"),
                );
                return None;
            }
            let Some(source) = all.get(name) else {
                diags.push(
                    Diagnostic::error(CODE, format!("no `data {KIND}` named `{name}`"), *span)
                        .label("not a policy document of the stack")
                        .help(format!("declare `data {KIND} {name} {{ ... }}`")),
                );
                return None;
            };
            seen.push(name.clone());
            let read = source.statement_lists(all, seen, diags);
            seen.pop();
            lists.extend(read?.into_iter().map(|l| without_sids(l, &own_sids)));
        }
        lists.extend(self.lists.iter().cloned());
        let statements = match <[Expr; 1]>::try_from(lists) {
            Ok([one]) => one,
            Err(lists) if lists.is_empty() => list(Vec::new(), self.span),
            Err(lists) => Expr {
                kind: ExprKind::Call(Call {
                    name: Ident {
                        name: "concat".into(),
                        span: self.span,
                    },
                    args: lists,
                    expand: false,
                }),
                span: self.span,
            },
        };
        let mut entries = vec![entry("Version", self.version.clone())];
        entries.extend(self.id.clone().map(|i| entry("Id", i)));
        entries.push(entry("Statement", statements));
        Some(map(entries, self.span))
    }

    /// Its statements, its sources' included, as lists.
    fn statement_lists(
        &self,
        all: &BTreeMap<String, Document>,
        seen: &mut Vec<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Expr>> {
        let doc = self.expr(all, seen, diags)?;
        let ExprKind::Map(entries) = doc.kind else {
            return None;
        };
        let statements = entries.into_iter().find(|e| e.key.name == "Statement")?.value;
        Some(match statements.kind {
            ExprKind::Call(Call { args, .. }) => args,
            _ => vec![statements],
        })
    }
}

/// The `Sid`s written as text in a list of statements.
fn sids(list: &Expr) -> Vec<&str> {
    match &list.kind {
        ExprKind::List(items) => items.iter().filter_map(sid).collect(),
        _ => Vec::new(),
    }
}

fn sid(statement: &Expr) -> Option<&str> {
    match &statement.kind {
        ExprKind::Map(entries) => entries
            .iter()
            .find(|e| e.key.name == "Sid")
            .and_then(|e| literal(&e.value)),
        _ => None,
    }
}

/// `list` without the statements whose `Sid` is one of `sids`.
fn without_sids(mut list: Expr, sids: &[&str]) -> Expr {
    if let ExprKind::List(items) = &mut list.kind {
        items.retain(|s| sid(s).is_none_or(|id| !sids.contains(&id)));
    }
    list
}

/// The document `block` writes.
fn document(block: Block, diags: &mut Vec<Diagnostic>) -> Option<Document> {
    let span = block.span;
    let mut version = text("2012-10-17", block.kind.span);
    let mut id = None;
    let mut sources = Vec::new();
    let mut lists: Vec<Expr> = Vec::new();
    let mut written: Vec<Expr> = Vec::new();
    let before = diags.len();
    // A module's document counted as the role reading it is (`count =
    // var.enable_flow_log ? 1 : 0`; counted to nothing, it is taken out
    // first): every instance is the one document, unless it reads
    // `count.index`.
    let mut counted = false;
    let reads_index = reads_count_index(&block);
    for item in block.body {
        match item {
            Item::Attribute(a) if a.name.name == "count" && !reads_index => counted = true,
            Item::Attribute(a) if a.name.name == "version" => version = a.value,
            Item::Attribute(a) if a.name.name == "policy_id" => id = Some(a.value),
            Item::Attribute(a) if a.name.name == "source_policy_documents" => sources = source_names(a.value, diags),
            // AWS provider 3's one source, before `source_policy_documents`.
            Item::Attribute(a) if a.name.name == "source_json" => {
                let one = Expr {
                    span: a.value.span,
                    kind: ExprKind::List(vec![a.value]),
                };
                sources = source_names(one, diags);
            }
            Item::Block(b) if b.kind.name == "statement" => written.extend(statement(b, diags)),
            Item::Block(b) if is_dynamic_statement(&b) => {
                if !written.is_empty() {
                    lists.push(list(std::mem::take(&mut written), span));
                }
                lists.extend(dynamic_statements(b, diags));
            }
            other => diags.push(stray(
                &other,
                "a policy document",
                "`version`, `policy_id`, `source_policy_documents` (or `source_json`), `statement` blocks and `dynamic \"statement\"` blocks (`override_policy_documents` is not written)",
            )),
        }
    }
    if diags.len() > before {
        return None;
    }
    if !written.is_empty() || lists.is_empty() {
        lists.push(list(written, span));
    }
    Some(Document {
        version,
        id,
        lists,
        sources,
        counted,
        span,
    })
}

/// Whether `block` reads `count.index` anywhere.
fn reads_count_index(block: &Block) -> bool {
    let mut found = false;
    let mut copy = block.clone();
    super::each_expr(&mut copy, &mut |e| found |= super::reads(e, "count"));
    found
}

/// The names of the documents `source_policy_documents = [...]` lists:
/// each `data.iam_policy_document.NAME.json` (E0211 for anything else,
/// whose statements are not known before apply).
fn source_names(list: Expr, diags: &mut Vec<Diagnostic>) -> Vec<(String, Span)> {
    let ExprKind::List(items) = list.kind else {
        diags.push(
            Diagnostic::error(
                CODE,
                "`source_policy_documents` is a list of documents written out",
                list.span,
            )
            .label("not a list")
            .help(format!("write `[data.{KIND}.NAME.json, ...]`")),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            ExprKind::Traversal(t)
                if t.root.name == crate::syntax::DATA
                    && matches!(t.steps.as_slice(), [Step::Attr(k), Step::Attr(_), Step::Attr(j)]
                        if k.name == KIND && (j.name == "json" || j.name == "minified_json")) =>
            {
                if let Some(Step::Attr(name)) = t.steps.get(1) {
                    out.push((name.name.clone(), item.span));
                }
            }
            _ => diags.push(
                Diagnostic::error(CODE, "a source policy document is one of the stack's", item.span)
                    .label(format!("not `data.{KIND}.NAME.json`"))
                    .help("write the statements in a `data iam_policy_document` block, and name its `.json` here"),
            ),
        }
    }
    out
}

fn list(items: Vec<Expr>, span: Span) -> Expr {
    Expr {
        kind: ExprKind::List(items),
        span,
    }
}

/// Whether `b` is `dynamic "statement" { }`.
fn is_dynamic_statement(b: &Block) -> bool {
    b.kind.name == crate::check::dynamic::DYNAMIC
        && b.label.as_ref().and_then(|l| l.text()) == Some("statement")
}

/// `dynamic "statement" { for_each  iterator  content { ... } }`: `[for
/// KEY, VALUE in FOR_EACH : STATEMENT]`, the iterator's `.key` and
/// `.value` read as the `for`'s names.
fn dynamic_statements(b: Block, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    let span = b.span;
    let (mut for_each, mut iterator, mut content) = (None, None, None);
    for item in b.body {
        match item {
            Item::Attribute(a) if a.name.name == "for_each" => for_each = Some(a.value),
            Item::Attribute(a) if a.name.name == "iterator" => iterator = Some(a.value),
            Item::Block(c) if c.kind.name == crate::check::dynamic::CONTENT => content = Some(c),
            other => diags.push(stray(
                &other,
                "a `dynamic \"statement\"` block",
                "`for_each`, `iterator` and a `content` block",
            )),
        }
    }
    let iterator = match iterator {
        None => "statement".to_owned(),
        Some(e) => match &e.kind {
            ExprKind::Traversal(t) if t.steps.is_empty() => t.root.name.clone(),
            _ => {
                diags.push(
                    Diagnostic::error(CODE, "a `dynamic` block's `iterator` is a name", e.span)
                        .label("not a bare name")
                        .help("write `iterator = stmt`"),
                );
                return None;
            }
        },
    };
    let (Some(for_each), Some(content)) = (for_each, content) else {
        diags.push(
            Diagnostic::error(CODE, "a `dynamic \"statement\"` needs `for_each` and `content`", span)
                .label("incomplete")
                .help("write `dynamic \"statement\" { for_each = var.statements  content { actions = statement.value.actions ... } }`"),
        );
        return None;
    };
    let (key, value) = (format!("{iterator}_key"), format!("{iterator}_value"));
    let mut made = statement(content, diags)?;
    rebind(&mut made, &iterator, (&key, &value));
    let name = |n: &str| Ident {
        name: n.to_owned(),
        span,
    };
    Some(Expr {
        kind: ExprKind::For(Box::new(ForExpr {
            key: Some(name(&key)),
            value: name(&value),
            collection: for_each,
            result: ForResult::List(made),
            cond: None,
        })),
        span,
    })
}

/// `e` with `ITERATOR.key` read as `key` and `ITERATOR.value` as `value`.
fn rebind(e: &mut Expr, iterator: &str, (key, value): (&str, &str)) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && t.root.name == iterator
        && let Some(Step::Attr(first)) = t.steps.first()
        && let Some(name) = match first.name.as_str() {
            "key" => Some(key),
            "value" => Some(value),
            _ => None,
        }
    {
        t.root.name = name.to_owned();
        t.steps.remove(0);
    }
    super::each_child(e, &mut |child| rebind(child, iterator, (key, value)));
}

/// One `statement { }` as IAM's statement.
fn statement(block: Block, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    let span = block.span;
    let mut entries = Vec::new();
    let mut effect = false;
    let mut principals: [Vec<(String, Expr)>; 2] = [Vec::new(), Vec::new()];
    let mut conditions: Vec<(String, String, Expr)> = Vec::new();
    for item in block.body {
        match item {
            Item::Attribute(a) => match STATEMENT.iter().find(|(tf, _)| a.name.name == *tf) {
                Some((tf, iam)) => {
                    effect |= *tf == "effect";
                    entries.push(entry(iam, a.value));
                }
                None => diags.push(stray(
                    &Item::Attribute(a),
                    "a policy statement",
                    "`sid`, `effect`, `actions`, `resources` (and their `not_`), `principals` and `condition`",
                )),
            },
            Item::Block(b) if b.kind.name == "principals" || b.kind.name == "not_principals" => {
                let which = usize::from(b.kind.name == "not_principals");
                let (mut kind, mut ids) = (None, None);
                for inner in b.body {
                    match inner {
                        Item::Attribute(a) if a.name.name == "type" => kind = literal(&a.value).map(str::to_owned),
                        Item::Attribute(a) if a.name.name == "identifiers" => ids = Some(a.value),
                        other => diags.push(stray(&other, "`principals`", "`type` and `identifiers`")),
                    }
                }
                match (kind, ids) {
                    (Some(kind), Some(ids)) => principals[which].push((kind, ids)),
                    _ => diags.push(
                        Diagnostic::error(CODE, "a principal has a `type` written as text and its `identifiers`", b.kind.span)
                            .label("incomplete")
                            .help("write `principals { type = \"Service\"  identifiers = [\"ecs-tasks.amazonaws.com\"] }`"),
                    ),
                }
            }
            Item::Block(b) if b.kind.name == "condition" => {
                let (mut test, mut variable, mut values) = (None, None, None);
                for inner in b.body {
                    match inner {
                        Item::Attribute(a) if a.name.name == "test" => test = literal(&a.value).map(str::to_owned),
                        Item::Attribute(a) if a.name.name == "variable" => {
                            variable = literal(&a.value).map(str::to_owned);
                        }
                        Item::Attribute(a) if a.name.name == "values" => values = Some(a.value),
                        other => diags.push(stray(&other, "a `condition`", "`test`, `variable` and `values`")),
                    }
                }
                match (test, variable, values) {
                    (Some(t), Some(v), Some(values)) => conditions.push((t, v, values)),
                    _ => diags.push(
                        Diagnostic::error(CODE, "a condition has `test` and `variable` written as text, and `values`", b.kind.span)
                            .label("incomplete")
                            .help("write `condition { test = \"StringEquals\"  variable = \"aws:SourceAccount\"  values = [\"123456789012\"] }`"),
                    ),
                }
            }
            other => diags.push(stray(
                &other,
                "a policy statement",
                "`sid`, `effect`, `actions`, `resources` (and their `not_`), `principals` and `condition`",
            )),
        }
    }
    // Terraform's default.
    if !effect {
        entries.push(entry("Effect", text("Allow", span)));
    }
    for (key, list) in ["Principal", "NotPrincipal"].into_iter().zip(principals) {
        if !list.is_empty() {
            entries.push(entry(key, principal(list, span)));
        }
    }
    if !conditions.is_empty() {
        let mut by_test: Vec<(String, Vec<MapEntry>)> = Vec::new();
        for (test, variable, values) in conditions {
            match by_test.iter_mut().find(|(t, _)| *t == test) {
                Some((_, vars)) => vars.push(entry(&variable, values)),
                None => by_test.push((test, vec![entry(&variable, values)])),
            }
        }
        let tests = by_test
            .into_iter()
            .map(|(test, vars)| entry(&test, map(vars, span)))
            .collect();
        entries.push(entry("Condition", map(tests, span)));
    }
    Some(map(entries, span))
}

/// `Principal`: `"*"` for Terraform's `type = "*"`, else the identifiers
/// of each type, those of one type written in several blocks joined.
fn principal(list: Vec<(String, Expr)>, span: Span) -> Expr {
    if list.iter().any(|(kind, _)| kind == "*") {
        return text("*", span);
    }
    let mut by_type: Vec<(String, Vec<Expr>)> = Vec::new();
    for (kind, ids) in list {
        match by_type.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, all)) => all.push(ids),
            None => by_type.push((kind, vec![ids])),
        }
    }
    let entries = by_type
        .into_iter()
        .map(|(kind, mut lists)| {
            let value = if lists.len() == 1 {
                lists.remove(0)
            } else {
                Expr {
                    kind: ExprKind::Call(Call {
                        name: Ident {
                            name: "concat".into(),
                            span,
                        },
                        args: lists,
                        expand: false,
                    }),
                    span,
                }
            };
            entry(&kind, value)
        })
        .collect();
    map(entries, span)
}

#[cfg(test)]
mod tests {
    use berth_provider::Value;

    use crate::stack::DesiredValue;

    fn document(data: &str) -> DesiredValue {
        let stack = crate::test_support::resources(&format!(
            "{data}\necr_repository r {{ policy = data.iam_policy_document.d.json }}\n"
        ));
        stack["ecr_repository.r"].attrs["policy"].clone()
    }

    fn errors(text: &str) -> Vec<String> {
        crate::test_support::messages(text, super::CODE)
    }

    #[test]
    fn statements_are_iams_json() {
        let written = document(
            r#"data iam_policy_document d {
  statement {
    actions = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::222222222222:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}"#,
        );
        let expected = crate::test_support::resources(
            r#"ecr_repository r {
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Action    = ["s3:GetObject"]
      Resource  = ["*"]
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] }
      Condition = { Bool = { "aws:SecureTransport" = ["true"] } }
    }]
  }
}
"#,
        )["ecr_repository.r"]
            .attrs["policy"]
            .clone();
        assert_eq!(written, expected);
    }

    #[test]
    fn anyone_is_a_star() {
        let DesiredValue::Known(Value::Map(doc)) = document(
            "data iam_policy_document d {\n  statement {\n    actions = [\"s3:GetObject\"]\n    resources = [\"*\"]\n    principals {\n      type = \"*\"\n      identifiers = [\"*\"]\n    }\n  }\n}\n",
        ) else {
            panic!("a known document");
        };
        let text = format!("{doc:?}");
        assert!(text.contains("\"Principal\": String(\"*\")"), "{text}");
    }

    #[test]
    fn what_is_not_a_document_is_named() {
        assert_eq!(
            errors(
                "data iam_policy_document d {\n  override_policy_documents = []\n  statement { actions = [\"s3:*\"] }\n}\n"
            ),
            ["`override_policy_documents` does not belong in a policy document"]
        );
        assert_eq!(
            errors(
                "data iam_policy_document d {\n  statement {\n    actions = [\"s3:*\"]\n    resources = [\"*\"]\n  }\n}\nmanaged_policy p { document = data.iam_policy_document.d.id }\n"
            ),
            ["a policy document is read as its `json`"]
        );
        // What reads a document with an error of its own says nothing
        // more: it was E0593, "`iam_policy_document` cannot be looked up".
        let broken = "data iam_policy_document d {\n  override_json = \"{}\"\n  statement { actions = [\"s3:*\"] }\n}\nmanaged_policy p { document = data.iam_policy_document.d.json }\n";
        assert_eq!(
            errors(broken),
            ["`override_json` does not belong in a policy document"]
        );
        assert_eq!(
            crate::test_support::messages(broken, "E0593"),
            Vec::<String>::new()
        );
    }

    /// AWS provider 3's `source_json` (tmknom's book) is its one
    /// `source_policy_documents`.
    #[test]
    fn source_json_is_one_source_document() {
        let stack = |sources: &str| {
            crate::test_support::resources(&format!(
                "data iam_policy_document base {{\n  statement {{\n    actions = [\"logs:PutLogEvents\"]\n    resources = [\"*\"]\n  }}\n}}\n\
                 data iam_policy_document app {{\n  {sources}\n  statement {{\n    actions = [\"s3:GetObject\"]\n    resources = [\"*\"]\n  }}\n}}\n\
                 managed_policy app {{ document = data.iam_policy_document.app.json }}\n"
            ))
        };
        assert_eq!(
            stack("source_json = data.iam_policy_document.base.json"),
            stack("source_policy_documents = [data.iam_policy_document.base.json]")
        );
    }

    /// terraform-aws-modules/vpc counts its flow log's documents as the
    /// role reading them (`count = var.enable_flow_log ? 1 : 0`) and reads
    /// `[0].json`: "`count` does not belong in a policy document" (E0211).
    /// A document reading `count.index` stays refused.
    #[test]
    fn a_counted_document_is_read_through_its_instance() {
        let statement = "statement {\n    actions = [\"s3:*\"]\n    resources = [\"*\"]\n  }";
        let policy = |data: &str, read: &str| {
            crate::test_support::resources(&format!(
                "{data}\nmanaged_policy p {{ document = data.iam_policy_document.d{read}.json }}\n"
            ))["managed_policy.p"]
                .attrs["document"]
                .clone()
        };
        assert_eq!(
            policy(
                &format!(
                    "variable \"on\" {{ default = true }}\n\
                     data iam_policy_document d {{\n  count = var.on ? 1 : 0\n  {statement}\n}}"
                ),
                "[0]"
            ),
            policy(&format!("data iam_policy_document d {{\n  {statement}\n}}"), "")
        );
        assert_eq!(
            errors(&format!(
                "data iam_policy_document d {{\n  count = 2\n  policy_id = \"p-${{count.index}}\"\n  {statement}\n}}\n"
            )),
            ["`count` does not belong in a policy document"]
        );
    }

    /// Terraform's `source_policy_documents`: the source's statements
    /// first, those whose `sid` the document's own statements have left
    /// out; the result the same as the document written whole.
    #[test]
    fn a_source_documents_statements_come_first_unless_overridden_by_sid() {
        let merged = crate::test_support::resources(
            r#"
data iam_policy_document base {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}
data iam_policy_document app {
  source_policy_documents = [data.iam_policy_document.base.json]
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::app/*"]
  }
}
managed_policy app { document = data.iam_policy_document.app.json }
"#,
        );
        let whole = crate::test_support::resources(
            r#"
data iam_policy_document app {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::app/*"]
  }
}
managed_policy app { document = data.iam_policy_document.app.json }
"#,
        );
        assert_eq!(merged, whole);
    }

    #[test]
    fn documents_that_are_each_others_source_are_refused() {
        let messages = crate::test_support::messages(
            r#"
data iam_policy_document a {
  source_policy_documents = [data.iam_policy_document.b.json]
}
data iam_policy_document b {
  source_policy_documents = [data.iam_policy_document.a.json]
}
managed_policy a { document = data.iam_policy_document.a.json }
"#,
            "E0211",
        );
        assert!(
            messages
                .iter()
                .any(|m| m == "policy documents name each other as their sources"),
            "{messages:?}"
        );
    }
}
