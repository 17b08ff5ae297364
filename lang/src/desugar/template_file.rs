//! Terraform's `data "template_file"` (the template provider's, which
//! older stacks render container definitions and policies with): not a
//! lookup but a template rendered at plan time. Written `data
//! template_file NAME { template = ...  vars = { ... } }`, every reference
//! to its `rendered` is `templatestring(TEMPLATE, VARS)`, Terraform's own
//! replacement for it, so `file(...)` templates, `${...}` and `%{ }`
//! directives render as `templatefile` renders them.

use std::collections::BTreeMap;

use super::{CODE, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item, MapEntry, MapKey, Step};

/// The data kind.
pub(super) const KIND: &str = "template_file";

/// Takes every `data template_file` block out of `files` and writes each
/// reference to its `rendered` as the template rendered.
pub(super) fn fold(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let mut templates: BTreeMap<String, (Expr, Expr)> = super::take_data(files, KIND)
        .into_iter()
        .filter_map(|(name, block)| Some((name, template(block, diags)?)))
        .collect();
    if templates.is_empty() {
        return;
    }
    // A template's vars may read another's `rendered` (zatarain/lorentz
    // renders each container with one, the list with a third): each round
    // inlines one more level; a chain is no longer than the templates.
    for _ in 1..templates.len() {
        let before = templates.clone();
        for (template, vars) in templates.values_mut() {
            for e in [template, vars] {
                super::inline_data_in(e, KIND, &mut |name, rest, span| match rest {
                    [Step::Attr(attr)] if attr.name == "rendered" => {
                        before.get(name).map(|t| rendered(t, span))
                    }
                    _ => None,
                });
            }
        }
    }
    super::inline_data(files, KIND, &mut |name, rest, span| {
        let template = templates.get(name)?;
        match rest {
            [Step::Attr(attr)] if attr.name == "rendered" => Some(rendered(template, span)),
            _ => super::misread((KIND, name, "rendered"), "a template", span, diags),
        }
    });
}

/// `templatestring(TEMPLATE, VARS)` of a template and its variables,
/// written at `span`.
fn rendered((template, vars): &(Expr, Expr), span: crate::source::Span) -> Expr {
    super::call_at("templatestring", vec![template.clone(), vars.clone()], span)
}

/// A `vars { NAME = VALUE }` block as the map `{ NAME = VALUE }`.
fn block_map(b: Block, diags: &mut Vec<Diagnostic>) -> Expr {
    let mut entries = Vec::new();
    for item in b.body {
        match item {
            Item::Attribute(a) => entries.push(MapEntry {
                key: MapKey {
                    name: a.name.name,
                    quoted: false,
                    span: a.name.span,
                    computed: None,
                },
                value: a.value,
            }),
            other => diags.push(stray(
                &other,
                "a template_file's `vars`",
                "`NAME = VALUE` settings",
            )),
        }
    }
    Expr {
        kind: ExprKind::Map(entries),
        span: b.span,
    }
}

/// The template `block` renders and its variables (an empty map when it
/// has none).
fn template(block: Block, diags: &mut Vec<Diagnostic>) -> Option<(Expr, Expr)> {
    let span = block.span;
    let mut template = None;
    let mut vars = None;
    let before = diags.len();
    for item in block.body {
        match item {
            Item::Attribute(a) if a.name.name == "template" => template = Some(a.value),
            Item::Attribute(a) if a.name.name == "vars" => vars = Some(a.value),
            // Terraform 0.11's `vars { NAME = VALUE }`.
            Item::Block(b) if b.kind.name == "vars" && b.label.is_none() => vars = Some(block_map(b, diags)),
            other => diags.push(stray(
                &other,
                "a template_file",
                "`template` and `vars` (a repeated template is not written: call `templatefile` where it is read)",
            )),
        }
    }
    let Some(template) = template else {
        diags.push(
            Diagnostic::error(
                CODE,
                "a template_file without its `template`",
                block.subkind.map_or(span, |k| k.span),
            )
            .label("no `template = ...`")
            .help("give the template's text: `template = file(\"${path.module}/NAME.tpl\")`"),
        );
        return None;
    };
    if diags.len() > before {
        return None;
    }
    let vars = vars.unwrap_or(Expr {
        kind: ExprKind::Map(Vec::new()),
        span,
    });
    Some((template, vars))
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// Terraform 0.11's `vars { NAME = VALUE }` block (traveloka's
    /// module) is the `vars = { ... }` map; it was E0211, then E0593 where
    /// `rendered` was read.
    #[test]
    fn a_vars_block_is_the_vars_map() {
        let with = |vars: &str| {
            resources(&format!(
                "data template_file name {{\n  template = \"app-$${{env}}\"\n  {vars}\n}}\n\
                 log_group app {{ name = data.template_file.name.rendered }}\n"
            ))
        };
        let block = with("vars {\n    env = \"dev\"\n  }");
        assert_eq!(block, with("vars = { env = \"dev\" }"));
        let name = &block["log_group.app"].attrs["name"];
        assert_eq!(
            *name,
            crate::stack::DesiredValue::Known(berth_provider::Value::from("app-dev"))
        );
    }

    /// A template whose vars read other templates' `rendered`, two levels
    /// deep (zatarain/lorentz's containers, each its own template_file):
    /// E0593 "`template_file` cannot be looked up" before.
    #[test]
    fn a_template_reading_another_templates_rendered_renders_it() {
        let stack = resources(
            "data template_file env { template = \"$${env}\"\n vars = { env = \"dev\" } }\n\
             data template_file app {\n  template = \"$${env}-app\"\n  vars = { env = data.template_file.env.rendered }\n}\n\
             data template_file name {\n  template = \"/ecs/$${app}\"\n  vars = { app = data.template_file.app.rendered }\n}\n\
             log_group app { name = data.template_file.name.rendered }\n",
        );
        assert_eq!(
            stack["log_group.app"].attrs["name"],
            crate::stack::DesiredValue::Known(berth_provider::Value::from("/ecs/dev-app"))
        );
    }
}
