//! The local provider's `data "local_file"` (a file next to the stack,
//! read at plan time: a container definitions JSON, a policy, a
//! certificate): not a lookup but Terraform's file functions. Every
//! reference to its `content` is `file(FILENAME)`, to its `content_base64`
//! `filebase64(FILENAME)`, and to its `filename` the name written.

use std::collections::BTreeMap;

use super::{CODE, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, File, Item, Step};

/// The data kind.
const KIND: &str = "local_file";

/// Takes every `data local_file` block out of `files` and writes each
/// reference to it as the file function it stands for.
pub(super) fn fold(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<String, Expr> = BTreeMap::new();
    for (name, block) in super::take_data(files, KIND) {
        let span = block.subkind.as_ref().map_or(block.span, |k| k.span);
        let mut filename = None;
        for item in block.body {
            match item {
                Item::Attribute(a) if a.name.name == "filename" => filename = Some(a.value),
                Item::Attribute(a) if a.name.name == crate::check::declare::DEPENDS_ON => {}
                other => diags.push(stray(&other, "a local_file", "`filename`")),
            }
        }
        match filename {
            Some(f) => {
                names.insert(name, f);
            }
            None => diags.push(
                Diagnostic::error(CODE, "a local_file without its `filename`", span)
                    .label("no `filename = ...`")
                    .help("give the file's path: `filename = \"${path.module}/NAME\"`"),
            ),
        }
    }
    if names.is_empty() {
        return;
    }
    super::inline_data(files, KIND, &mut |name, rest, span| {
        let filename = names.get(name)?;
        let call = |function: &str| super::call_at(function, vec![filename.clone()], span);
        match rest {
            [Step::Attr(attr)] => match attr.name.as_str() {
                "content" => Some(call("file")),
                "content_base64" => Some(call("filebase64")),
                "filename" => Some(filename.clone()),
                _ => misread(name, span, diags),
            },
            _ => misread(name, span, diags),
        }
    });
}

/// E0211 for a read of `data.local_file.NAME` other than its content or
/// name; the reference becomes `null`.
fn misread(name: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    diags.push(
        Diagnostic::error(CODE, "a local_file is read as its `content`", span)
            .label("not `.content`, `.content_base64` or `.filename`")
            .help(format!("write `data.local_file.{name}.content`")),
    );
    Some(Expr {
        kind: ExprKind::Null,
        span,
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// cds-snc's sre-bot reads its container definitions through a
    /// `data "local_file"`: "not a lookup kind" before.
    #[test]
    fn a_local_files_content_is_the_files_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("name.txt"), "/ecs/app").expect("write");
        let path = dir.path().join("name.txt").display().to_string();
        let stack = |read: &str| {
            resources(&format!(
                "data \"local_file\" \"name\" {{ filename = \"{path}\" }}\n\
                 log_group app {{ name = {read} }}\n"
            ))
        };
        assert_eq!(
            stack("data.local_file.name.content"),
            stack(&format!("file(\"{path}\")"))
        );
    }
}
