//! Checks a resource body against its kind's schema: unknown or computed
//! attributes, missing required ones, nested block names, labels and counts.

use std::collections::BTreeMap;

use berth_provider::schema::{Block as BlockSchema, Presence};

use super::declare::{LIFECYCLE, META_ATTRS, ResourceDecl};
use super::dynamic::DYNAMIC;
use super::terraform_names::Berth;
use crate::diagnostic::Diagnostic;
use crate::eval::CONTAINER_DEFINITIONS;
use crate::source::Span;
use crate::suggest::{closest, did_you_mean};
use crate::syntax::ast::{Block, ExprKind, Item, Label};
use crate::syntax::is_name;

/// An unknown attribute whose value the stack decides (`enable_zonal_shift =
/// var.enable_zonal_shift`, `try(each.value.x, null)`): Terraform's
/// modules pass every setting of a resource so, null where unused. Left
/// out when it evaluates to null, as a written `null` is (or, when the
/// stack is not evaluated for another error, when the variables alone make
/// it null); E0201 (`diag`) otherwise.
pub struct Pending {
    /// The attribute's name.
    pub name: String,
    /// Where its value is written: the span evaluation keeps.
    pub value: Span,
    /// Its value as written, for what the variables alone make of it when
    /// the stack is not evaluated.
    pub expr: crate::syntax::ast::Expr,
    pub diag: Diagnostic,
}

pub fn check_resource(decl: &ResourceDecl<'_>, diags: &mut Vec<Diagnostic>, pending: &mut Vec<Pending>) {
    let schema = decl.kind.schema().as_block();
    for block in decl.blocks() {
        check_body(block, &schema, META_ATTRS, diags, pending);
    }
}

/// Whether `e` is written as a value known as it is (a literal, or a list
/// or map of them): one that cannot turn out null.
fn is_literal(e: &crate::syntax::ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Decimal(_)
        | ExprKind::List(_)
        | ExprKind::Map(_) => true,
        ExprKind::String(parts) => parts
            .iter()
            .all(|p| matches!(p, crate::syntax::ast::StrPart::Lit(_))),
        _ => false,
    }
}

fn check_body(
    block: &Block,
    schema: &BlockSchema,
    meta: &[&str],
    diags: &mut Vec<Diagnostic>,
    pending: &mut Vec<Pending>,
) {
    let mut seen_attrs: BTreeMap<&str, Span> = BTreeMap::new();
    let mut blocks: BTreeMap<&str, Vec<&Block>> = BTreeMap::new();
    // Blocks some `dynamic` makes: how many is known only once evaluated.
    let mut repeated: Vec<&str> = Vec::new();
    // Attributes unknown ones were written for: not missing as well.
    let mut meant: Vec<&str> = Vec::new();
    for item in &block.body {
        match item {
            Item::Attribute(a) => {
                let name = a.name.name.as_str();
                if let Some(first) = seen_attrs.insert(name, a.name.span) {
                    diags.push(
                        Diagnostic::error("E0203", format!("attribute `{name}` is set twice"), a.name.span)
                            .label("set again here")
                            .also(first, "first set here")
                            .help("remove one of them"),
                    );
                    continue;
                }
                if meta.contains(&name) {
                    continue;
                }
                // Terraform's JSON of the containers: `container` blocks,
                // as many as evaluation finds.
                if meta == META_ATTRS && schema.name == "task_definition" && name == CONTAINER_DEFINITIONS {
                    repeated.push("container");
                    continue;
                }
                match schema.attr(name) {
                    Some(attr) if attr.presence == Presence::Computed => diags.push(
                        Diagnostic::error(
                            "E0202",
                            format!("`{name}` is set by AWS and cannot be written"),
                            a.name.span,
                        )
                        .label("computed attribute")
                        .help(format!(
                            "read it from other resources as `{}.NAME.{name}`",
                            schema.name
                        )),
                    ),
                    Some(_) => {}
                    None if schema.block(name).is_some() => diags.push(
                        Diagnostic::error(
                            "E0206",
                            format!("`{name}` is a block, not an attribute"),
                            a.name.span,
                        )
                        .label("written with `=`")
                        .help(format!("write `{name} {{ ... }}` without `=`")),
                    ),
                    // Terraform's, checked once evaluated.
                    None if super::restated::is_restated(schema.name, name, meta == META_ATTRS) => {}
                    // Left out, as Terraform reads null: a setting berth
                    // does not write, set by nothing (`instance = null`).
                    None if matches!(a.value.kind, crate::syntax::ast::ExprKind::Null) => {}
                    None if !is_literal(&a.value) => {
                        meant.extend(stands_for(name, schema));
                        pending.push(Pending {
                            name: name.to_owned(),
                            value: a.value.span,
                            expr: a.value.clone(),
                            diag: unknown_attr(name, a.name.span, schema, meta),
                        });
                    }
                    None => {
                        meant.extend(stands_for(name, schema));
                        diags.push(unknown_attr(name, a.name.span, schema, meta));
                    }
                }
            }
            // Checked where it is declared; only a resource's own.
            Item::Block(b) if b.kind.name == LIFECYCLE && meta == META_ATTRS => {}
            Item::Block(b) if b.kind.name == DYNAMIC => {
                let Some(d) = super::dynamic::parts(b, diags) else {
                    continue;
                };
                match schema.block(d.name) {
                    Some(nested) if nested.labelled => diags.push(
                        Diagnostic::error(
                            "E0210",
                            format!("`{}` blocks are named, so not made by `dynamic`", d.name),
                            b.kind.span,
                        )
                        .label("a named block")
                        .help(format!(
                            "write each `{} NAME {{ ... }}` block, or repeat the resource with `for_each`",
                            d.name
                        )),
                    ),
                    Some(nested) => {
                        check_body(d.content, nested, &[], diags, pending);
                        repeated.push(nested.name);
                    }
                    None => diags.push(unknown_block(d.name, b.kind.span, schema)),
                }
            }
            Item::Block(b) => {
                let name = b.kind.name.as_str();
                match schema.block(name) {
                    Some(nested) => {
                        check_label(b, nested, diags);
                        check_body(b, nested, &[], diags, pending);
                        blocks.entry(nested.name).or_default().push(b);
                    }
                    None if schema.attr(name).is_some() => diags.push(
                        Diagnostic::error(
                            "E0206",
                            format!("`{name}` is an attribute, not a block"),
                            b.kind.span,
                        )
                        .label("written as a block")
                        .help(format!("write `{name} = {{ ... }}` or `{name} = value`")),
                    ),
                    None => diags.push(unknown_block(name, b.kind.span, schema)),
                }
            }
        }
    }
    // A block turned off (`service_connect { enabled = false }`, ECS's way
    // of leaving Service Connect) needs nothing else.
    let off = schema.attr("enabled").is_some()
        && block.body.iter().any(|item| {
            matches!(item, Item::Attribute(a) if a.name.name == "enabled"
                && matches!(a.value.kind, ExprKind::Bool(false)))
        });
    for attr in schema
        .attrs
        .iter()
        .filter(|a| a.presence == Presence::Required && !off)
    {
        if !seen_attrs.contains_key(attr.name) && !meant.contains(&attr.name) {
            diags.push(
                Diagnostic::error(
                    "E0204",
                    format!("missing required attribute `{}`", attr.name),
                    header(block),
                )
                .label(format!("`{}` needs `{}`", schema.name, attr.name))
                .help(format!("add `{} = ...`: {}", attr.name, attr.doc)),
            );
        }
    }
    for nested in schema.blocks {
        let found = blocks.get(nested.name).map_or(&[][..], Vec::as_slice);
        if found.len() < nested.min && !repeated.contains(&nested.name) {
            diags.push(
                Diagnostic::error(
                    "E0207",
                    format!("`{}` needs at least one `{}` block", schema.name, nested.name),
                    header(block),
                )
                .label(format!("no `{}` block", nested.name))
                .help(format!(
                    "add `{} {}{{ ... }}`",
                    nested.name,
                    if nested.labelled { "NAME " } else { "" }
                )),
            );
        }
        if let Some(max) = nested.max
            && found.len() > max
        {
            diags.push(
                Diagnostic::error(
                    "E0207",
                    format!("`{}` takes at most {max} `{}` block", schema.name, nested.name),
                    found[max].kind.span,
                )
                .label("one too many")
                .also(found[0].kind.span, "first one here"),
            );
        }
        if nested.labelled {
            let mut labels: BTreeMap<&str, Span> = BTreeMap::new();
            for b in found {
                if let Some(Label::Ident(l)) = &b.label
                    && let Some(first) = labels.insert(&l.name, l.span)
                {
                    diags.push(
                        Diagnostic::error(
                            "E0209",
                            format!("two `{}` blocks are named `{}`", nested.name, l.name),
                            l.span,
                        )
                        .label("same name again")
                        .also(first, "first here")
                        .help("names of nested blocks are unique within their parent"),
                    );
                }
            }
        }
    }
}

/// The `KIND NAME` part of a block, where "missing" errors point.
fn header(block: &Block) -> Span {
    block
        .label
        .as_ref()
        .map_or(block.kind.span, |l| block.kind.span.to(l.span()))
}

/// The attribute an unknown `name` was written for: Terraform's name of
/// it, or a typo.
fn stands_for(name: &str, schema: &BlockSchema) -> Option<&'static str> {
    match super::terraform_names::berth_name(schema, name) {
        Some(Berth::Name(n)) => Some(n),
        Some(Berth::Note(_)) => None,
        None => closest(name, schema.attrs.iter().map(|a| a.name)),
    }
}

/// The [`Pending`] attributes some resource of `stack` holds once
/// evaluated, anywhere in its body: not null, so unknown after all.
pub fn still_unknown(stack: &crate::stack::Stack, pending: Vec<Pending>) -> Vec<Diagnostic> {
    fn holds(body: &crate::stack::DesiredBody, p: &Pending) -> bool {
        body.attrs.get(&p.name).is_some_and(|a| a.span == p.value)
            || body.blocks.values().flatten().any(|b| holds(&b.body, p))
    }
    pending
        .into_iter()
        .filter(|p| stack.resources.iter().any(|r| holds(&r.body, p)))
        .map(|p| p.diag)
        .collect()
}

fn unknown_attr(name: &str, span: Span, schema: &BlockSchema, meta: &[&str]) -> Diagnostic {
    let names = schema
        .attrs
        .iter()
        .filter(|a| a.presence != Presence::Computed)
        .map(|a| a.name);
    let all: Vec<&str> = names
        .chain(schema.blocks.iter().map(|b| b.name))
        .chain(meta.iter().copied())
        .collect();
    let d = Diagnostic::error(
        "E0201",
        format!("unknown attribute `{name}` in `{}`", schema.name),
        span,
    )
    .label("not in the schema");
    if let Some(h) = super::terraform_names::help(schema, name) {
        return d.help(h);
    }
    match did_you_mean(name, all.iter().copied()) {
        Some(h) => d.help(h),
        None => d.help(format!("`{}` takes: {}", schema.name, all.join(", "))),
    }
}

/// E0205: `name` is no nested block of `schema`, written out or made by
/// a `dynamic` block.
fn unknown_block(name: &str, span: Span, schema: &BlockSchema) -> Diagnostic {
    let d = Diagnostic::error(
        "E0205",
        format!("unknown block `{name}` in `{}`", schema.name),
        span,
    )
    .label("not a block of this kind");
    if let Some(h) = super::terraform_names::help(schema, name) {
        return d.help(h);
    }
    let names = schema.blocks.iter().map(|b| b.name);
    match did_you_mean(name, names) {
        Some(h) => d.help(h),
        None if schema.blocks.is_empty() => d.help(format!("`{}` takes no nested blocks", schema.name)),
        None => d.help(format!(
            "blocks allowed here: {}",
            schema
                .blocks
                .iter()
                .map(|b| b.name)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn check_label(block: &Block, schema: &BlockSchema, diags: &mut Vec<Diagnostic>) {
    match (&block.label, schema.labelled) {
        (Some(Label::Ident(_)), true) | (None, false) => {}
        // A name that is not a bare one (ECS takes a container `1app`) is
        // written quoted.
        (Some(l @ Label::String(_)), true) if l.text().is_some_and(|t| !t.is_empty() && !is_name(t)) => {}
        (None, true) => diags.push(
            Diagnostic::error(
                "E0208",
                format!("`{}` blocks need a name", schema.name),
                block.kind.span,
            )
            .label("name missing")
            .help(format!("write `{} NAME {{ ... }}`", schema.name)),
        ),
        (Some(l @ Label::String(e)), true) => diags.push(
            Diagnostic::error(
                "E0208",
                format!("`{}` blocks are named with a bare name", schema.name),
                e.span,
            )
            .label("a string here")
            .help(match (l.text(), schema.name) {
                (Some(_), _) => "remove the quotes",
                // CloudFormation's `Name: !Ref ServiceName`.
                (None, "container") => {
                    "write the name as text, without `${ }`; a container named from a variable is written in `container_definitions = jsonencode([{ name = var.NAME, ... }])`"
                }
                (None, _) => "write the name as text, without `${ }`",
            }),
        ),
        (Some(l), false) => diags.push(
            Diagnostic::error(
                "E0208",
                format!("`{}` blocks take no name", schema.name),
                l.span(),
            )
            .label("unexpected name")
            .help(format!("write `{} {{ ... }}`", schema.name)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{messages, resources};

    /// One real error kept the stack from being evaluated, and every
    /// setting the variables make null was reported beside it (24 E0201s
    /// beside one E0327 in terraform-aws-modules/ecs): those are left out,
    /// one the variables set is not.
    #[test]
    fn settings_the_variables_make_null_are_no_errors_beside_another() {
        let text = |zonal: &str| {
            format!(
                "variable \"enable_zonal_shift\" {{ default = {zonal} }}\n\
                 vpc main {{\n  cidr = \"10.0.0.0/16\"\n  enable_zonal_shift = var.enable_zonal_shift\n}}\n\
                 log_group app {{ retention_days = local.missing }}\n"
            )
        };
        assert!(!messages(&text("null"), "E0301").is_empty(), "the real error");
        assert_eq!(messages(&text("null"), "E0201"), Vec::<String>::new());
        assert_eq!(
            messages(&text("true"), "E0201"),
            ["unknown attribute `enable_zonal_shift` in `vpc`"]
        );
    }

    /// terraform-aws-modules/alb (v10) passes every setting of the AWS
    /// provider through variables and `each.value`, null where unused:
    /// such a setting berth does not write is left out when null, as a
    /// written `null` is (it was E0201), and unknown otherwise.
    #[test]
    fn unknown_settings_the_stack_makes_null_are_left_out() {
        let module = resources(
            r#"
variable "enable_zonal_shift" { default = null }
variable "groups" { default = { a = { port = 80 } } }
vpc main {
  cidr               = "10.0.0.0/16"
  enable_zonal_shift = var.enable_zonal_shift
}
target_group web {
  for_each                          = var.groups
  vpc                               = vpc.main
  port                              = each.value.port
  target_type                       = "ip"
  load_balancing_anomaly_mitigation = try(each.value.anomaly_mitigation, null)
}
"#,
        );
        assert_eq!(module.len(), 2, "{module:?}");
        let set = messages(
            "variable \"enable_zonal_shift\" { default = true }\nvpc main {\n  cidr = \"10.0.0.0/16\"\n  enable_zonal_shift = var.enable_zonal_shift\n}\n",
            "E0201",
        );
        assert_eq!(set, ["unknown attribute `enable_zonal_shift` in `vpc`"]);
    }
}
