//! Collects a stack's declarations from its files: variables, the `stack`
//! block, resources and outputs, rejecting unknown kinds and duplicates.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::Kind;
use berth_provider::lookup::DataKind;

use super::ignore_changes::IGNORE_CHANGES;
use super::var_type::VarType;
use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Attribute, Block, Expr, Item, Label};

/// Every declaration of a stack, across its files.
#[derive(Debug, Default)]
pub struct Module<'a> {
    pub variables: BTreeMap<String, Variable<'a>>,
    pub stack: Option<StackDecl<'a>>,
    pub resources: BTreeMap<(Kind, String), ResourceDecl<'a>>,
    pub outputs: BTreeMap<String, OutputDecl<'a>>,
    /// `data KIND NAME { FILTERS }` lookups.
    pub data: BTreeMap<(DataKind, String), DataDecl<'a>>,
    /// `locals { NAME = EXPR }`: named expressions, read as `local.NAME`.
    pub locals: BTreeMap<String, &'a Attribute>,
    /// Locals that read themselves through others (E0308): not followed.
    pub local_cycles: BTreeSet<String>,
    /// `moved { from  to }` blocks, in the order written.
    pub moves: Vec<super::moved::MovedDecl>,
    /// Kinds of blocks refused as unknown (E0101, `random_pet`): what
    /// reads them is said there, not again per reference.
    pub refused: BTreeSet<String>,
    /// Kinds of `data` blocks refused (E0590, `data "aws_s3_object"`):
    /// likewise said once.
    pub refused_lookups: BTreeSet<String>,
}

/// `data KIND NAME { FILTERS }`: a live resource berth reads at plan time
/// and never changes (see `crate::check::lookups`).
#[derive(Debug)]
pub struct DataDecl<'a> {
    pub kind: DataKind,
    pub name: String,
    pub block: &'a Block,
}

#[derive(Debug)]
pub struct Variable<'a> {
    pub block: &'a Block,
    pub default: Option<&'a Expr>,
    /// The declared `type`; without one, the default's type is the
    /// variable's.
    pub ty: Option<VarType>,
}

#[derive(Debug)]
pub struct StackDecl<'a> {
    pub block: &'a Block,
    /// Its quoted name; none for the one Terraform's `provider "aws"`
    /// block stands for (`desugar::provider`): the directory's name.
    pub name: Option<&'a Expr>,
}

/// `output NAME { value = EXPR }`: a value shown after apply and by
/// `berth output`.
#[derive(Debug)]
pub struct OutputDecl<'a> {
    pub block: &'a Block,
    pub value: &'a Expr,
    pub sensitive: Option<&'a Expr>,
}

#[derive(Debug)]
pub struct ResourceDecl<'a> {
    pub kind: Kind,
    pub name: String,
    pub block: &'a Block,
    /// `for_each`, or Terraform's `count` (then `counted`).
    pub for_each: Option<&'a Expr>,
    /// `count = N`: instances keyed `0` to `N - 1`, read as `count.index`.
    pub counted: bool,
    pub prevent_destroy: Option<&'a Expr>,
    /// Attributes and blocks whose live value stands once the resource
    /// exists (`ignore_changes`).
    pub ignore_changes: BTreeSet<crate::stack::Ignored>,
    /// The blocks written out for its other instances, each with a
    /// `for_each` of its one key (`inert/instances.rs`); `block` is the
    /// first's.
    pub instances: Vec<&'a Block>,
}

impl<'a> ResourceDecl<'a> {
    /// Its block, and those written out for its other instances.
    pub fn blocks(&self) -> impl Iterator<Item = &'a Block> + '_ {
        std::iter::once(self.block).chain(self.instances.iter().copied())
    }

    /// [`Self::blocks`], each with its `for_each` (or Terraform's `count`).
    pub fn repeated_blocks(&self) -> impl Iterator<Item = (&'a Block, Option<&'a Expr>)> + '_ {
        let instances = self.instances.iter().map(|b| (*b, find_attr(b, "for_each")));
        std::iter::once((self.block, self.for_each)).chain(instances)
    }
}

/// Meta-attributes any resource may carry besides its schema's.
pub const META_ATTRS: &[&str] = &["for_each", COUNT, "prevent_destroy", IGNORE_CHANGES, DEPENDS_ON];
/// Terraform's `depends_on = [KIND.NAME, ...]`: an order no reference
/// says (a service after the role policy its tasks need).
pub const DEPENDS_ON: &str = "depends_on";
/// Terraform's `count`, a `for_each` over `0..N`.
pub const COUNT: &str = "count";
/// Terraform's `lifecycle { prevent_destroy ignore_changes }` block, which
/// any resource may hold instead of writing those two as attributes.
pub const LIFECYCLE: &str = "lifecycle";
const LIFECYCLE_ATTRS: &[&str] = &["prevent_destroy", IGNORE_CHANGES, CREATE_BEFORE_DESTROY];
/// Terraform's `lifecycle { create_before_destroy = true }`: what berth
/// does wherever the new resource can exist beside the old, so it is
/// taken as written; it cannot be turned off.
const CREATE_BEFORE_DESTROY: &str = "create_before_destroy";
const VARIABLE_ATTRS: &[&str] = &["default", "description", "type", "sensitive", NULLABLE];
/// Terraform's `nullable = false`: the variable refuses `null`.
pub const NULLABLE: &str = "nullable";
/// Terraform's `validation { condition  error_message }` blocks of a
/// variable.
pub const VALIDATION: &str = "validation";
const VALIDATION_ATTRS: &[&str] = &["condition", "error_message"];
const STACK_ATTRS: &[&str] = &["region", "tags"];
const OUTPUT_ATTRS: &[&str] = &["value", "description", "sensitive"];
/// Block kinds that are not resources.
pub const OTHER_KINDS: &[&str] = &[
    "variable",
    "stack",
    "output",
    LOCALS,
    crate::syntax::DATA,
    super::moved::MOVED,
];
/// Terraform's `locals { }` block.
pub const LOCALS: &str = "locals";

pub fn collect<'a>(blocks: impl IntoIterator<Item = &'a Block>, diags: &mut Vec<Diagnostic>) -> Module<'a> {
    let mut module = Module::default();
    for block in blocks {
        match block.kind.name.as_str() {
            "variable" => declare_variable(&mut module, block, diags),
            "stack" => declare_stack(&mut module, block, diags),
            "output" => declare_output(&mut module, block, diags),
            LOCALS => declare_locals(&mut module, block, diags),
            super::moved::MOVED => module.moves.extend(super::moved::declare(block, diags)),
            crate::syntax::DATA => declare_data(&mut module, block, diags),
            other => match other.parse::<Kind>() {
                Ok(kind) => declare_resource(&mut module, kind, block, diags),
                Err(_) => {
                    module.refused.insert(other.to_owned());
                    diags.push(unknown_kind(block));
                }
            },
        }
    }
    module.local_cycles = super::locals::cycles(&module.locals, diags);
    super::moved::check(&module, diags);
    module
}

fn unknown_kind(block: &Block) -> Diagnostic {
    let names = Kind::ALL
        .iter()
        .map(|k| k.keyword())
        .chain(OTHER_KINDS.iter().copied());
    let d = Diagnostic::error(
        "E0101",
        format!("unknown block kind `{}`", block.kind.name),
        block.kind.span,
    )
    .label("not a resource kind");
    let known = |kind: &str| kind.parse::<Kind>().is_ok() || crate::desugar::takes_kind(kind);
    if let Some(help) = super::terraform_names::kind_help(&block.kind.name, known) {
        return d.help(help);
    }
    match did_you_mean(&block.kind.name, names) {
        Some(help) => d.help(help),
        None => d.help(format!(
            "resource kinds are: {}",
            Kind::ALL
                .iter()
                .map(|k| k.keyword())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Blocks whose name may be quoted, as Terraform writes them (`variable
/// "region"`): a ported `variables.tf` or `outputs.tf` is taken as it is.
const QUOTED_NAMES: &[&str] = &["variable", "output"];

fn ident_label<'a>(block: &'a Block, what: &str, diags: &mut Vec<Diagnostic>) -> Option<&'a str> {
    match &block.label {
        Some(Label::Ident(i)) => Some(&i.name),
        Some(l @ Label::String(_))
            if QUOTED_NAMES.contains(&block.kind.name.as_str())
                && l.text().is_some_and(crate::syntax::is_name) =>
        {
            l.text()
        }
        Some(Label::String(e)) => {
            diags.push(
                Diagnostic::error("E0103", format!("a {what} is named with a bare name"), e.span)
                    .label("a string here")
                    .help(format!(
                        "write `{} NAME {{ ... }}` without quotes",
                        block.kind.name
                    )),
            );
            None
        }
        None => {
            diags.push(
                Diagnostic::error("E0103", format!("this {what} has no name"), block.kind.span)
                    .label("name missing after the kind")
                    .help(format!("write `{} NAME {{ ... }}`", block.kind.name)),
            );
            None
        }
    }
}

/// E0201 for an attribute not in `allowed`, E0205 for a nested block not
/// in `blocks`.
fn check_attrs(block: &Block, allowed: &[&str], blocks: &[&str], diags: &mut Vec<Diagnostic>) {
    for item in &block.body {
        match item {
            Item::Block(b) if blocks.contains(&b.kind.name.as_str()) => {}
            Item::Attribute(a) if !allowed.contains(&a.name.name.as_str()) => {
                let d = Diagnostic::error(
                    "E0201",
                    format!("unknown attribute `{}` in `{}`", a.name.name, block.kind.name),
                    a.name.span,
                )
                .label("not allowed here");
                diags.push(match did_you_mean(&a.name.name, allowed.iter().copied()) {
                    Some(h) => d.help(h),
                    None => d.help(format!("allowed: {}", allowed.join(", "))),
                });
            }
            Item::Block(b) => diags.push(
                Diagnostic::error(
                    "E0205",
                    format!("`{}` takes no nested blocks", block.kind.name),
                    b.kind.span,
                )
                .label("unexpected block"),
            ),
            Item::Attribute(_) => {}
        }
    }
}

fn find_attr<'a>(block: &'a Block, name: &str) -> Option<&'a Expr> {
    block.body.iter().find_map(|i| match i {
        Item::Attribute(a) if a.name.name == name => Some(&a.value),
        _ => None,
    })
}

fn declare_variable<'a>(module: &mut Module<'a>, block: &'a Block, diags: &mut Vec<Diagnostic>) {
    check_attrs(block, VARIABLE_ATTRS, &[VALIDATION], diags);
    for item in &block.body {
        if let Item::Block(v) = item
            && v.kind.name == VALIDATION
        {
            check_attrs(v, VALIDATION_ATTRS, &[], diags);
            for attr in VALIDATION_ATTRS {
                if find_attr(v, attr).is_none() {
                    diags.push(
                        Diagnostic::error(
                            "E0204",
                            format!("missing required attribute `{attr}`"),
                            v.kind.span,
                        )
                        .label(format!("`validation` needs `{attr}`"))
                        .help("write `validation { condition = ...  error_message = \"...\" }`"),
                    );
                }
            }
        }
    }
    let Some(name) = ident_label(block, "variable", diags) else {
        return;
    };
    if let Some(prev) = module.variables.get(name) {
        diags.push(duplicate(block, prev.block, &format!("variable `{name}`")));
        return;
    }
    let ty = find_attr(block, "type").and_then(|t| VarType::parse(t).map_err(|d| diags.push(d)).ok());
    module.variables.insert(
        name.to_owned(),
        Variable {
            block,
            default: find_attr(block, "default"),
            ty,
        },
    );
}

fn declare_stack<'a>(module: &mut Module<'a>, block: &'a Block, diags: &mut Vec<Diagnostic>) {
    check_attrs(block, STACK_ATTRS, &[], diags);
    if let Some(prev) = &module.stack {
        diags.push(duplicate(block, prev.block, "`stack` block"));
        return;
    }
    match &block.label {
        Some(Label::String(name)) => {
            module.stack = Some(StackDecl {
                block,
                name: Some(name),
            });
        }
        None if crate::desugar::from_provider(block) => module.stack = Some(StackDecl { block, name: None }),
        _ => diags.push(
            Diagnostic::error("E0104", "the stack needs a quoted name", block.kind.span)
                .label("name missing")
                .help("write `stack \"my-stack\" { region = \"us-east-1\" }`"),
        ),
    }
}

fn declare_output<'a>(module: &mut Module<'a>, block: &'a Block, diags: &mut Vec<Diagnostic>) {
    check_attrs(block, OUTPUT_ATTRS, &[], diags);
    let Some(name) = ident_label(block, "output", diags) else {
        return;
    };
    if let Some(prev) = module.outputs.get(name) {
        diags.push(duplicate(block, prev.block, &format!("output `{name}`")));
        return;
    }
    let Some(value) = find_attr(block, "value") else {
        diags.push(
            Diagnostic::error("E0105", format!("output `{name}` has no value"), block.kind.span)
                .label("`value` missing")
                .help("write `value = load_balancer.web.dns_name`, or any expression"),
        );
        return;
    };
    module.outputs.insert(
        name.to_owned(),
        OutputDecl {
            block,
            value,
            sensitive: find_attr(block, "sensitive"),
        },
    );
}

fn declare_resource<'a>(module: &mut Module<'a>, kind: Kind, block: &'a Block, diags: &mut Vec<Diagnostic>) {
    let Some(name) = ident_label(block, kind.keyword(), diags) else {
        return;
    };
    let key = (kind, name.to_owned());
    if let Some(prev) = module.resources.get_mut(&key) {
        // Written out from one block, one per instance.
        if prev.block.span == block.span {
            prev.instances.push(block);
        } else {
            diags.push(duplicate(block, prev.block, &format!("{kind}.{name}")));
        }
        return;
    }
    let count = find_attr(block, COUNT);
    let for_each = find_attr(block, "for_each");
    if let (Some(_), Some(c)) = (for_each, count) {
        diags.push(
            Diagnostic::error(
                "E0313",
                "a resource takes `for_each` or `count`, not both",
                c.span,
            )
            .label("`count` beside `for_each`")
            .help("keep one: `for_each` names instances by key, `count` by number"),
        );
    }
    let counted = for_each.is_none() && count.is_some();
    let for_each = for_each.or(count);
    let lifecycle = lifecycle_block(block, diags);
    let meta = |name: &str| find_attr(block, name).or_else(|| lifecycle.and_then(|l| find_attr(l, name)));
    let prevent_destroy = meta("prevent_destroy");
    let ignore_changes = meta(IGNORE_CHANGES)
        .map(|e| super::ignore_changes::parse(kind, e, diags))
        .unwrap_or_default();
    module.resources.insert(
        key,
        ResourceDecl {
            kind,
            name: name.to_owned(),
            block,
            for_each,
            counted,
            prevent_destroy,
            ignore_changes,
            instances: Vec::new(),
        },
    );
}

/// The resource's `lifecycle` block, if it has one (E0201 for what else
/// it holds, E0203 for one of its attributes also written outside it,
/// E0207 for a second block).
fn lifecycle_block<'a>(block: &'a Block, diags: &mut Vec<Diagnostic>) -> Option<&'a Block> {
    let mut found = block.body.iter().filter_map(|i| match i {
        Item::Block(b) if b.kind.name == LIFECYCLE => Some(b),
        _ => None,
    });
    let first = found.next()?;
    for again in found {
        diags.push(
            Diagnostic::error("E0207", "a resource has one `lifecycle` block", again.kind.span)
                .label("a second one")
                .also(first.kind.span, "the first")
                .help("write both settings in one `lifecycle { }`"),
        );
    }
    check_attrs(first, LIFECYCLE_ATTRS, &[], diags);
    if let Some(value) = find_attr(first, CREATE_BEFORE_DESTROY)
        && value.kind != crate::syntax::ast::ExprKind::Bool(true)
    {
        diags.push(
            Diagnostic::error("E0334", "berth replaces create-before-destroy wherever it can", value.span)
                .label("not `true`")
                .help("a replacement is made before the old resource goes whenever AWS lets both exist (a new revision, a suffixed name); where a fixed name or CIDR clashes it goes first: remove this setting"),
        );
    }
    for name in LIFECYCLE_ATTRS {
        if let (Some(outside), Some(inside)) = (find_attr_item(block, name), find_attr_item(first, name)) {
            diags.push(
                Diagnostic::error(
                    "E0203",
                    format!("attribute `{name}` is set twice"),
                    inside.name.span,
                )
                .label("set again here")
                .also(outside.name.span, "first set here")
                .help("remove one of them"),
            );
        }
    }
    Some(first)
}

fn find_attr_item<'a>(block: &'a Block, name: &str) -> Option<&'a crate::syntax::ast::Attribute> {
    block.body.iter().find_map(|i| match i {
        Item::Attribute(a) if a.name.name == name => Some(a),
        _ => None,
    })
}

fn declare_data<'a>(module: &mut Module<'a>, block: &'a Block, diags: &mut Vec<Diagnostic>) {
    let Some(kind) = crate::check::lookups::data_kind(block, diags) else {
        if let Some(word) = &block.subkind {
            module.refused_lookups.insert(word.name.clone());
        }
        return;
    };
    let Some(name) = ident_label(block, "lookup", diags) else {
        return;
    };
    crate::check::lookups::check_filters(kind, block, diags);
    let key = (kind, name.to_owned());
    if let Some(prev) = module.data.get(&key) {
        diags.push(duplicate(block, prev.block, &format!("data.{kind}.{name}")));
        return;
    }
    module.data.insert(
        key,
        DataDecl {
            kind,
            name: name.to_owned(),
            block,
        },
    );
}

/// `locals { NAME = EXPR ... }`, any number of blocks; a name once
/// across them (E0102).
fn declare_locals<'a>(module: &mut Module<'a>, block: &'a Block, diags: &mut Vec<Diagnostic>) {
    if let Some(label) = &block.label {
        diags.push(
            Diagnostic::error("E0103", "`locals` takes no name", label.span())
                .label("a name here")
                .help("write `locals { NAME = value }`"),
        );
    }
    for item in &block.body {
        match item {
            Item::Attribute(a) => {
                if let Some(prev) = module.locals.get(&a.name.name) {
                    diags.push(
                        Diagnostic::error(
                            "E0102",
                            format!("local `{}` is declared twice", a.name.name),
                            a.name.span,
                        )
                        .label("declared again here")
                        .also(prev.name.span, "first declared here")
                        .help("rename one of them; local names are unique across all `locals` blocks"),
                    );
                    continue;
                }
                module.locals.insert(a.name.name.clone(), a);
            }
            Item::Block(b) => diags.push(
                Diagnostic::error("E0205", "`locals` takes no nested blocks", b.kind.span)
                    .label("unexpected block")
                    .help("a local is `NAME = value`; a map is written `NAME = { ... }`"),
            ),
        }
    }
}

fn duplicate(block: &Block, previous: &Block, what: &str) -> Diagnostic {
    let span = block.label.as_ref().map_or(block.kind.span, Label::span);
    let prev_span = previous.label.as_ref().map_or(previous.kind.span, Label::span);
    Diagnostic::error("E0102", format!("{what} is declared twice"), span)
        .label("declared again here")
        .also(prev_span, "first declared here")
        .help("rename one of them; names are unique per kind across all files of the stack")
}
