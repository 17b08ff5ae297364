//! Evaluates a checked module into a [`Stack`]: variable values, `for_each`
//! expansion, interpolation, functions, and references (known values are
//! inlined, ids and ARNs stay references until apply).

mod container_definitions;
pub use container_definitions::ATTR as CONTAINER_DEFINITIONS;
pub use container_definitions::ENUMS as CONTAINER_ENUMS;
pub use container_definitions::is_task_level;
mod files;
pub mod functions;
mod json_text;
mod list_shape;
mod lookups;
pub(crate) mod operators;
mod zones;

pub use lookups::LookupFn;

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::fargate;
use berth_provider::lookup::DataKind;
use berth_provider::schema::Presence;
use berth_provider::{Address, Attrs, Kind, Value};

use crate::check::declare::{LIFECYCLE, META_ATTRS, Module, ResourceDecl};
use crate::check::var_type::VarType;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span, Spanned};
use crate::stack::{Deferred, DesiredBlock, DesiredBody, DesiredResource, DesiredValue, Output, RefTarget};
use crate::syntax::ast::{Block, Expr, ExprKind, ForExpr, ForResult, Item, Step, StrPart, Traversal};
use crate::syntax::{parse_expr, template};

/// Region used when the stack block names none.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A declared resource, by kind and name (borrowed from the module).
type Node<'m> = (Kind, &'m str);

/// The instances of one evaluated resource, by `for_each` key.
type Instances = Vec<(Option<String>, DesiredBody)>;

struct Evaluator<'m, 'a> {
    module: &'m Module<'a>,
    /// The stack's files: `file()` reads next to the one that calls it.
    sources: &'m Sources,
    /// Rendering a `templatefile`: only its variables are names.
    in_template: bool,
    /// Evaluating from the variables alone, before the rewrites
    /// ([`from_variables`]): what reads a resource, under berth's or
    /// another tool's type, is unknown rather than an error, so a map
    /// holding one is known in its other parts.
    resources_unknown: bool,
    vars: BTreeMap<String, Value>,
    /// Variables declared `sensitive = true`.
    sensitive: BTreeSet<String>,
    /// Set when the expression being evaluated reads a sensitive variable,
    /// directly or through another resource's attribute: its value is
    /// sensitive too.
    tainted: bool,
    /// Evaluating an output: a function may wait for values known after
    /// apply.
    in_output: bool,
    done: BTreeMap<Node<'m>, Instances>,
    /// The resource instance being evaluated.
    current: Option<Address>,
    /// The stack's region, once its header is evaluated.
    region: Option<String>,
    /// The stack's name, once its block is read (`stack.name`).
    stack_name: Option<String>,
    /// The cloud's zones for the region, when the caller asked it.
    zones: Option<&'m [String]>,
    /// Whether `availability_zones()` was called.
    zones_read: bool,
    /// Answers lookups from the cloud; `None`: placeholders (validate).
    lookup: Option<&'m LookupFn<'m>>,
    /// Each lookup's attributes once evaluated (`None`: it failed).
    data: BTreeMap<(DataKind, String), Option<Attrs>>,
    /// Lookups being evaluated, to catch one whose filters read itself.
    data_busy: BTreeSet<(DataKind, String)>,
    /// Names bound where evaluation is (`for` expressions' elements,
    /// `dynamic` blocks' iterators), innermost last.
    bound: Vec<(String, Binding)>,
    /// Each local's value once evaluated, and whether it read a secret.
    locals: BTreeMap<String, Option<(DesiredValue, bool)>>,
    diags: &'m mut Vec<Diagnostic>,
}

/// The stack block's `tags`: Terraform's provider `default_tags`.
struct StackTags {
    tags: BTreeMap<String, Value>,
    span: Span,
}

impl StackTags {
    /// Adds the stack's tags to a resource of `kind` that takes tags; the
    /// resource's own tags win.
    fn apply(&self, kind: Kind, body: &mut DesiredBody) {
        if kind.schema().attr("tags").is_none() || self.tags.is_empty() {
            return;
        }
        let merged = match body.attrs.remove("tags") {
            None => Spanned::new(DesiredValue::Known(Value::Map(self.tags.clone())), self.span),
            Some(Spanned { node, span }) => {
                let node = match node {
                    DesiredValue::Known(Value::Map(own)) => {
                        let mut all = self.tags.clone();
                        all.extend(own);
                        DesiredValue::Known(Value::Map(all))
                    }
                    DesiredValue::Map(own) => {
                        let mut all: BTreeMap<String, DesiredValue> = self
                            .tags
                            .iter()
                            .map(|(k, v)| (k.clone(), DesiredValue::Known(v.clone())))
                            .collect();
                        all.extend(own);
                        DesiredValue::Map(all)
                    }
                    other => other,
                };
                Spanned::new(node, span)
            }
        };
        body.attrs.insert("tags".to_owned(), merged);
    }
}

/// A `--var` or var-file value as given, and where to point at.
#[derive(Clone, Copy)]
struct Given<'t> {
    name: &'t str,
    text: &'t str,
    /// The text, or `(sensitive)`.
    shown: &'t str,
    /// The var file and line, or `None` for `--var`.
    origin: Option<&'t str>,
    /// The variable's declaration.
    span: Span,
}

/// What `each` means inside one instance.
#[derive(Clone, Copy)]
struct Each<'v> {
    key: &'v Value,
    /// The element: known, or a map holding values known after apply (a
    /// `for_each` map's values may hold ids; its keys are known).
    value: &'v DesiredValue,
}

/// A `count` written as text (`count = var.az_count`, the variable
/// `"2"`) as its number, as Terraform converts it; any other value as it is.
pub(crate) fn counted_as_number(v: Value, counted: bool) -> Value {
    match v {
        Value::String(s) if counted => s.trim().parse().map_or(Value::String(s), Value::Int),
        other => other,
    }
}

/// The values of `exprs` (blocks' `count` and `for_each`) from the
/// variables and locals of `module` alone: `None` for one that reads
/// anything else (a resource, a lookup, the cloud's zones), reads a
/// sensitive variable, or fails.
/// Nothing is reported: the stack's evaluation reports it.
pub(crate) fn from_variables(
    module: &Module<'_>,
    options: &crate::Options,
    sources: &Sources,
    exprs: &[&Expr],
) -> Vec<Option<Value>> {
    with_variables(module, options, sources, exprs, false, |v| {
        v.into_known().filter(|v| !v.has_unknown())
    })
}

/// [`from_variables`] of `count`s, which may read a sensitive value:
/// their instances are numbered, which tells nothing of it (medusajs's
/// `random_password` counted on a sensitive variable being null).
pub(crate) fn counts_from_variables(
    module: &Module<'_>,
    options: &crate::Options,
    sources: &Sources,
    exprs: &[&Expr],
) -> Vec<Option<Value>> {
    with_variables(module, options, sources, exprs, true, |v| {
        v.into_known().filter(|v| !v.has_unknown())
    })
}

/// The keys of `exprs` (a resource's or a `dynamic` block's `for_each`)
/// from the variables and locals of `module` alone, where their values may
/// hold what only AWS knows (a listener's certificate made by the stack):
/// a map's keys, or a set of strings; `None` as [`from_variables`] says.
pub(crate) fn keys_from_variables(
    module: &Module<'_>,
    options: &crate::Options,
    sources: &Sources,
    exprs: &[&Expr],
) -> Vec<Option<Vec<String>>> {
    with_variables(module, options, sources, exprs, false, |v| match v {
        DesiredValue::Map(m) => Some(m.into_keys().collect()),
        DesiredValue::Known(Value::Map(m)) => Some(m.into_keys().collect()),
        DesiredValue::Known(Value::List(items)) => {
            items.into_iter().map(|i| i.as_str().map(str::to_owned)).collect()
        }
        _ => None,
    })
}

/// The length of each of `exprs` that the variables and locals of `module`
/// decide to be a list, whatever its elements hold that only AWS knows
/// (`[{ subnets = [subnet.a.id] }]` in a local).
pub(crate) fn lengths_from_variables(
    module: &Module<'_>,
    options: &crate::Options,
    sources: &Sources,
    exprs: &[&Expr],
) -> Vec<Option<usize>> {
    with_variables(module, options, sources, exprs, false, |v| match v {
        DesiredValue::List(items) => Some(items.len()),
        DesiredValue::Known(Value::List(items)) => Some(items.len()),
        _ => None,
    })
}

/// Whether each of `exprs` evaluates without failing from the variables
/// and locals of `module` alone, whatever it holds that only AWS knows: a
/// `try`'s first argument that does not fail is its value.
pub(crate) fn succeeds_from_variables(
    module: &Module<'_>,
    options: &crate::Options,
    sources: &Sources,
    exprs: &[&Expr],
) -> Vec<bool> {
    with_variables(module, options, sources, exprs, false, |_| Some(()))
        .into_iter()
        .map(|v| v.is_some())
        .collect()
}

/// What `read` makes of each of `exprs` evaluated from the variables and
/// locals of `module` alone (see [`from_variables`]); one reading a
/// sensitive value only if `secrets`.
fn with_variables<T>(
    module: &Module<'_>,
    options: &crate::Options,
    sources: &Sources,
    exprs: &[&Expr],
    secrets: bool,
    read: impl Fn(DesiredValue) -> Option<T>,
) -> Vec<Option<T>> {
    let mut scratch = Vec::new();
    // What reads the zones or a lookup is not known from variables alone.
    let mut ev = Evaluator::new(module, sources, (None, None), &mut scratch);
    ev.resources_unknown = true;
    ev.variables(options);
    // `stack.name` in a name (CloudFormation's `${AWS::StackName}`).
    let (name, _) = ev.stack_header(&options.default_name);
    ev.stack_name = Some(name);
    exprs
        .iter()
        .map(|e| {
            let before = ev.diags.len();
            ev.tainted = false;
            let value = ev.expr(e, None).and_then(&read);
            // A sensitive value stays where the evaluation marks it.
            let sensitive = std::mem::take(&mut ev.tainted);
            value.filter(|_| ev.diags.len() == before && !ev.zones_read && (secrets || !sensitive))
        })
        .collect()
}

/// Evaluates a checked module into a [`Stack`](crate::stack::Stack):
/// variables from `options` (`--var`, with where each was set), the zones
/// the cloud gives the stack's region (`None`: the zones AWS documents),
/// the cloud's answers to lookups (`None`: placeholders, see
/// `lookups.rs`), and files read next to the `sources` that name them.
/// Also says whether the stack called `availability_zones()`, so a caller
/// that has not asked the cloud yet knows it must.
pub fn evaluate(
    module: &Module<'_>,
    deps: &BTreeMap<(Kind, &str), Vec<(Kind, &str)>>,
    options: &crate::Options,
    sources: &Sources,
    lookup: Option<&LookupFn<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<crate::stack::Stack>, bool) {
    let default_name = options.default_name.as_str();
    let errors_before = diags.len();
    let mut ev = Evaluator::new(module, sources, (options.zones.as_deref(), lookup), diags);
    ev.variables(options);
    if ev.diags.len() > errors_before {
        return (None, ev.zones_read);
    }
    let (name, region) = ev.stack_header(default_name);
    let stack_tags = ev.stack_tags();
    ev.region = Some(region.clone());
    ev.stack_name = Some(name.clone());
    // Every lookup runs, read or not: a block that matches nothing fails
    // the plan wherever it is used.
    for (kind, name) in module.data.keys() {
        ev.lookup_value(*kind, name);
    }
    let mut dependencies: BTreeMap<Node<'_>, BTreeSet<Address>> = BTreeMap::new();
    let mut protected: BTreeSet<Node<'_>> = BTreeSet::new();
    for node in order(deps) {
        let Some(decl) = module.resources.get(&(node.0, node.1.to_owned())) else {
            continue;
        };
        let instances = ev.resource(decl);
        if ev.flag(decl.prevent_destroy, "prevent_destroy", "E0322") {
            protected.insert((decl.kind, decl.name.as_str()));
        }
        let depends_on: BTreeSet<Address> = deps
            .get(&node)
            .into_iter()
            .flatten()
            .flat_map(|(k, n)| ev.addresses(*k, n))
            .collect();
        let key = (decl.kind, decl.name.as_str());
        dependencies.insert(key, depends_on);
        ev.done.insert(key, instances);
    }
    let outputs = ev.outputs();
    let mut secrets: BTreeMap<String, Value> = ev
        .sensitive
        .iter()
        .filter_map(|n| Some((n.clone(), ev.vars.get(n)?.clone())))
        .collect();
    secrets.extend(ev.looked_up_secrets());
    // No message may print a sensitive value (a CIDR that fails to parse,
    // a function's error): the text stands in for it.
    for d in &mut ev.diags[errors_before..] {
        d.redact(&secrets);
    }
    // Bodies move into the stack once every reference has been evaluated.
    let mut resources = Vec::new();
    for ((kind, name), instances) in std::mem::take(&mut ev.done) {
        let Some(decl) = module.resources.get(&(kind, name.to_owned())) else {
            continue;
        };
        let depends_on = dependencies.remove(&(kind, name)).unwrap_or_default();
        let prevent_destroy = protected.contains(&(kind, name));
        for (key, mut body) in instances {
            if let Some(tags) = &stack_tags {
                tags.apply(kind, &mut body);
            }
            resources.push(DesiredResource {
                address: Address {
                    kind,
                    name: name.to_owned(),
                    key,
                },
                span: header(decl.block),
                body,
                depends_on: depends_on.clone(),
                prevent_destroy,
                ignore_changes: decl.ignore_changes.clone(),
            });
        }
    }
    resources.sort_by(|a, b| a.address.cmp(&b.address));
    let zones_read = ev.zones_read;
    let stack = (diags.len() == errors_before).then_some(crate::stack::Stack {
        name,
        region,
        resources,
        outputs,
        secrets,
        moves: module
            .moves
            .iter()
            .map(|m| crate::stack::Move {
                from: m.from.clone(),
                to: m.to.clone(),
            })
            .collect(),
    });
    (stack, zones_read)
}

/// The spans of the parts of a map or list literal, by path
/// (`Statement[0].Effect`): a map entry spans its key and value.
fn locate(expr: &Expr, at: &str, out: &mut BTreeMap<String, Span>) {
    match &expr.kind {
        ExprKind::Map(entries) => {
            for entry in entries {
                let path = if at.is_empty() {
                    entry.key.name.clone()
                } else {
                    format!("{at}.{}", entry.key.name)
                };
                out.insert(path.clone(), entry.key.span.to(entry.value.span));
                locate(&entry.value, &path, out);
            }
        }
        ExprKind::List(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("{at}[{i}]");
                out.insert(path.clone(), item.span);
                locate(item, &path, out);
            }
        }
        _ => {}
    }
}

/// Marks every attribute of `body` and of its blocks sensitive.
fn mask(body: &mut DesiredBody) {
    body.sensitive.extend(body.attrs.keys().cloned());
    body.blocks.values_mut().flatten().for_each(|b| mask(&mut b.body));
}

fn header(block: &Block) -> Span {
    block
        .label
        .as_ref()
        .map_or(block.kind.span, |l| block.kind.span.to(l.span()))
}

/// Dependencies first; the graph is acyclic (cycles were reported earlier).
fn order<'a>(deps: &BTreeMap<(Kind, &'a str), Vec<(Kind, &'a str)>>) -> Vec<(Kind, &'a str)> {
    fn visit<'a>(
        n: (Kind, &'a str),
        deps: &BTreeMap<(Kind, &'a str), Vec<(Kind, &'a str)>>,
        seen: &mut BTreeSet<(Kind, &'a str)>,
        out: &mut Vec<(Kind, &'a str)>,
    ) {
        if !seen.insert(n) {
            return;
        }
        for d in deps.get(&n).into_iter().flatten() {
            visit(*d, deps, seen, out);
        }
        out.push(n);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for n in deps.keys() {
        visit(*n, deps, &mut seen, &mut out);
    }
    out
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// An evaluator of `module` with nothing evaluated yet, the cloud's
    /// `zones` and `lookup` (each `None`: the documented zones,
    /// placeholders), reporting into `diags`.
    fn new(
        module: &'m Module<'a>,
        sources: &'m Sources,
        (zones, lookup): (Option<&'m [String]>, Option<&'m LookupFn<'m>>),
        diags: &'m mut Vec<Diagnostic>,
    ) -> Self {
        Evaluator {
            module,
            sources,
            in_template: false,
            resources_unknown: false,
            vars: BTreeMap::new(),
            sensitive: BTreeSet::new(),
            tainted: false,
            in_output: false,
            done: BTreeMap::new(),
            current: None,
            region: None,
            stack_name: None,
            zones,
            zones_read: false,
            lookup,
            data: BTreeMap::new(),
            data_busy: BTreeSet::new(),
            locals: BTreeMap::new(),
            bound: Vec::new(),
            diags,
        }
    }
}

impl Evaluator<'_, '_> {
    /// Reports `d`; nothing to evaluate to.
    fn error<T>(&mut self, d: Diagnostic) -> Option<T> {
        self.diags.push(d);
        None
    }

    fn variables(&mut self, options: &crate::Options) {
        let (overrides, origins) = (&options.vars, &options.var_origins);
        let origin = |name: &str| origins.get(name).map_or("--var", String::as_str);
        for name in overrides
            .keys()
            .filter(|n| !self.module.variables.contains_key(*n) && !options.optional_vars.contains(*n))
        {
            let d = Diagnostic::global(
                "E0311",
                format!("{} sets `{name}`, which the stack does not declare", origin(name)),
            );
            let names = self.module.variables.keys().map(String::as_str);
            self.diags.push(match crate::suggest::did_you_mean(name, names) {
                Some(h) => d.help(h),
                None => d.help("check the name against the stack's `variable` blocks"),
            });
        }
        for (name, var) in &self.module.variables {
            if self.variable_is_sensitive(var.block) {
                self.sensitive.insert(name.clone());
            }
        }
        for (name, var) in &self.module.variables {
            let default = match var.default {
                Some(expr) => match self.expr(expr, None) {
                    Some(DesiredValue::Known(v)) => self.typed_default(name, v, var.ty.as_ref(), expr.span),
                    _ => None,
                },
                None => None,
            };
            let value = match (overrides.get(name), default) {
                (Some(text), _) if text == crate::analyze::NULL_VAR => Some(Value::Null),
                (Some(text), default) => {
                    // A value that fails to parse is quoted back, unless secret.
                    let shown = match self.sensitive.contains(name) {
                        true => "(sensitive)",
                        false => text.as_str(),
                    };
                    let origin = origins.get(name).map(String::as_str);
                    let given = Given {
                        name,
                        text,
                        shown,
                        origin,
                        span: var.block.kind.span,
                    };
                    match &var.ty {
                        Some(ty) => self.typed_override(&given, ty),
                        None => self.parse_override(&given, default.as_ref()),
                    }
                }
                (None, Some(v)) => Some(v),
                // A default that failed has its own error.
                (None, None) if var.default.is_some() => None,
                (None, None) => {
                    self.diags.push(
                        Diagnostic::error(
                            "E0312",
                            format!("variable `{name}` has no value"),
                            header(var.block),
                        )
                        .label("no default")
                        .help(format!(
                            "give it a `default`, or set it with `--var {name}=VALUE`, in a `--var-file` (a Terraform `.tfvars` file is one) or as `TF_VAR_{name}` in the environment"
                        )),
                    );
                    None
                }
            };
            if let Some(v) = value {
                self.vars.insert(name.clone(), v);
            }
        }
        for (name, var) in &self.module.variables {
            if self.vars.contains_key(name) {
                self.validate_variable(name, var.block);
            }
        }
    }

    /// Terraform's `nullable = false` and `validation { condition
    /// error_message }` blocks of the variable `name`, its value known:
    /// E0335 with the block's message for a condition that is false.
    fn validate_variable(&mut self, name: &str, block: &Block) {
        let nullable = block.body.iter().find_map(|i| match i {
            Item::Attribute(a) if a.name.name == crate::check::declare::NULLABLE => Some(&a.value),
            _ => None,
        });
        let refuses_null =
            nullable.is_some() && !self.flag(nullable, crate::check::declare::NULLABLE, "E0320");
        if refuses_null && self.vars.get(name) == Some(&Value::Null) {
            self.diags.push(
                Diagnostic::error("E0335", format!("variable `{name}` is null"), header(block))
                    .label("declared `nullable = false`")
                    .help(format!("give `{name}` a value")),
            );
        }
        for v in block.body.iter().filter_map(|i| match i {
            Item::Block(b) if b.kind.name == crate::check::declare::VALIDATION => Some(b),
            _ => None,
        }) {
            let attr = |n: &str| {
                v.body.iter().find_map(|i| match i {
                    Item::Attribute(a) if a.name.name == n => Some(&a.value),
                    _ => None,
                })
            };
            let Some(condition) = attr("condition") else {
                continue;
            };
            let message = match attr("error_message").map(|e| self.expr(e, None)) {
                Some(Some(DesiredValue::Known(Value::String(m)))) => m,
                _ => "the condition is false".to_owned(),
            };
            match self.expr(condition, None) {
                Some(DesiredValue::Known(Value::Bool(true))) | None => {}
                Some(DesiredValue::Known(Value::Bool(false))) => {
                    let shown = if self.sensitive.contains(name) {
                        "(sensitive)".to_owned()
                    } else {
                        self.vars.get(name).map(ToString::to_string).unwrap_or_default()
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "E0335",
                            format!("variable `{name}` fails its validation"),
                            condition.span,
                        )
                        .label(format!("false for {shown}"))
                        .help(message),
                    );
                }
                Some(_) => self.diags.push(
                    Diagnostic::error(
                        "E0335",
                        "a validation's `condition` is `true` or `false`",
                        condition.span,
                    )
                    .label("not a boolean"),
                ),
            }
        }
    }

    /// A `--var` value: text for string variables, a berth expression
    /// (`["a", "b"]`, `3`, `true`) for the others.
    fn parse_override(&mut self, given: &Given, default: Option<&Value>) -> Option<Value> {
        let Given {
            name,
            text,
            shown,
            origin,
            span,
        } = *given;
        // Of no type and no default, a list or map written as one is that
        // value (Terraform's `variable "config" {}` set from a var file's
        // object); any other text is a string.
        if default.is_none() && text.trim_start().starts_with(['{', '[']) {
            return Some(self.untyped_override(text));
        }
        if matches!(default, None | Some(Value::String(_))) {
            return Some(Value::String(text.to_owned()));
        }
        if default == Some(&Value::Null) {
            return Some(self.untyped_override(text));
        }
        let parsed = parse_expr(text).ok().and_then(|e| match self.expr(&e, None) {
            Some(DesiredValue::Known(v)) => Some(v),
            _ => None,
        });
        match (parsed, default) {
            (Some(v), Some(d)) if v.type_name() == d.type_name() => Some(v),
            (_, Some(d)) => {
                self.diags.push(
                    Diagnostic::error(
                        "E0311",
                        match origin {
                            Some(place) => format!("{place}: `{name} = {shown}` is not a {}", d.type_name()),
                            None => format!("--var {name}={shown} is not a {}", d.type_name()),
                        },
                        span,
                    )
                    .label(format!(
                        "`{name}` is declared here with a {} default",
                        d.type_name()
                    ))
                    .help(format!(
                        "write the value as in a .berth file, e.g. --var '{name}={d}'"
                    )),
                );
                None
            }
            (v, None) => v,
        }
    }

    /// A `--var` value for a variable of a declared `type`: text for a
    /// string, a berth expression converted to the type for the others
    /// (`--var count=3`, `--var 'zones=["a"]'`).
    fn typed_override(&mut self, given: &Given, ty: &VarType) -> Option<Value> {
        let Given {
            name,
            text,
            shown,
            origin,
            span,
        } = *given;
        let value = match ty {
            VarType::String => return Some(Value::String(text.to_owned())),
            VarType::Any => return Some(self.untyped_override(text)),
            _ => self.untyped_override(text),
        };
        if let Some(v) = ty.convert(value) {
            return Some(v);
        }
        let message = match origin {
            Some(place) => format!("{place}: `{name} = {shown}` is not of type `{ty}`"),
            None => format!("--var {name}={shown} is not of type `{ty}`"),
        };
        self.diags.push(
            Diagnostic::error("E0311", message, span)
                .label(format!("`{name}` is declared here of type `{ty}`"))
                .help("write the value as in a .berth file: `3`, `true`, `[\"a\", \"b\"]`, `{ web = 2 }`"),
        );
        None
    }

    /// A variable's default, converted to its declared `type` (E0324 when
    /// it cannot be).
    fn typed_default(&mut self, name: &str, value: Value, ty: Option<&VarType>, span: Span) -> Option<Value> {
        let Some(ty) = ty else { return Some(value) };
        let shown = match self.sensitive.contains(name) {
            true => "(sensitive)".to_owned(),
            false => value.to_string(),
        };
        match ty.convert(value) {
            Some(v) => Some(v),
            None => {
                let d = Diagnostic::error(
                    "E0324",
                    format!("the default of `{name}` is not of type `{ty}`"),
                    span,
                )
                .label(format!("`{shown}`"))
                .help("change the default or the variable's `type`");
                self.diags.push(d);
                None
            }
        }
    }

    /// Whether a `variable` block says `sensitive = true` (E0320 unless it
    /// is a boolean).
    fn variable_is_sensitive(&mut self, block: &Block) -> bool {
        let expr = block.body.iter().find_map(|i| match i {
            Item::Attribute(a) if a.name.name == "sensitive" => Some(&a.value),
            _ => None,
        });
        self.flag(expr, "sensitive", "E0320")
    }

    /// A flag's value (`sensitive`, `prevent_destroy`): absent is `false`;
    /// `code` unless it is a boolean known now.
    fn flag(&mut self, expr: Option<&Expr>, name: &str, code: &'static str) -> bool {
        match expr.map(|e| (e, self.expr(e, None))) {
            None => false,
            Some((_, Some(DesiredValue::Known(Value::Bool(b))))) => b,
            Some((e, _)) => {
                self.diags.push(
                    Diagnostic::error(code, format!("`{name}` is `true` or `false`"), e.span)
                        .label("not a boolean"),
                );
                false
            }
        }
    }

    /// A `--var` value for a variable whose default is `null`, which says
    /// nothing of its type: a literal written as in a `.berth` file (`3`,
    /// `true`, `["a"]`, `{ k = "v" }`, `"text"`) is that value; any other
    /// text is a string, as for a string variable.
    fn untyped_override(&mut self, text: &str) -> Value {
        let literal = parse_expr(text).ok().filter(is_literal);
        let errors_before = self.diags.len();
        match literal.and_then(|e| self.expr(&e, None)) {
            Some(DesiredValue::Known(v)) if self.diags.len() == errors_before => v,
            _ => {
                // A literal that fails to evaluate (a duplicate map key) is
                // taken as text, like any other.
                self.diags.truncate(errors_before);
                Value::String(text.to_owned())
            }
        }
    }

    fn stack_header(&mut self, default_name: &str) -> (String, String) {
        let Some(stack) = &self.module.stack else {
            return (default_name.to_owned(), DEFAULT_REGION.to_owned());
        };
        self.tainted = false;
        let name = match stack.name.and_then(|name| self.expr(name, None)) {
            Some(DesiredValue::Known(Value::String(s))) => s,
            _ => default_name.to_owned(),
        };
        if std::mem::take(&mut self.tainted)
            && let Some(written) = stack.name
        {
            self.diags.push(not_with_a_secret(
                "the stack's name",
                written.span,
                "it tags every resource and heads every plan",
            ));
        }
        let written = stack.block.body.iter().find_map(|i| match i {
            Item::Attribute(a) if a.name.name == "region" => Some(&a.value),
            _ => None,
        });
        let region = written
            .and_then(|e| self.expr(e, None))
            .and_then(DesiredValue::into_known)
            .and_then(|v| v.as_str().map(str::to_owned));
        if let (Some(expr), Some(region)) = (written, &region)
            && let Some(unknown) = crate::check::regions::check(region, expr.span)
        {
            self.diags.push(unknown);
        }
        (name, region.unwrap_or_else(|| DEFAULT_REGION.to_owned()))
    }

    /// The stack block's `tags`, for every resource (E0401 unless a map of
    /// strings, E0321 from a sensitive variable: they print in every plan).
    fn stack_tags(&mut self) -> Option<StackTags> {
        let expr = self
            .module
            .stack
            .as_ref()?
            .block
            .body
            .iter()
            .find_map(|i| match i {
                Item::Attribute(a) if a.name.name == "tags" => Some(&a.value),
                _ => None,
            })?;
        self.tainted = false;
        let value = self.expr(expr, None);
        if std::mem::take(&mut self.tainted) {
            self.diags.push(not_with_a_secret(
                "the stack's tags",
                expr.span,
                "they tag every resource and show in every plan",
            ));
            return None;
        }
        let tags: Option<BTreeMap<String, Value>> = match value {
            Some(DesiredValue::Known(Value::Map(m))) if m.values().all(|v| v.as_str().is_some()) => Some(m),
            _ => None,
        };
        if tags.is_none() {
            self.diags.push(
                Diagnostic::error("E0401", "the stack's `tags` is a map of strings", expr.span)
                    .label("not a map of strings")
                    .help("write `tags = { Team = \"payments\" }`"),
            );
        }
        let tags = tags?;
        crate::check::tags::check_stack(&tags, expr.span, self.diags).then_some(StackTags {
            tags,
            span: expr.span,
        })
    }

    fn resource(&mut self, decl: &ResourceDecl<'_>) -> Instances {
        let mut out = Vec::new();
        for (block, for_each) in decl.repeated_blocks() {
            out.extend(self.resource_block(decl, block, for_each));
        }
        out
    }

    /// The instances one of `decl`'s blocks makes.
    fn resource_block(
        &mut self,
        decl: &ResourceDecl<'_>,
        block: &Block,
        for_each: Option<&Expr>,
    ) -> Instances {
        self.current = None;
        let Some(for_each) = for_each else {
            self.current = Some(Address::new(decl.kind, &decl.name));
            let body = self.body(block, None, true);
            return vec![(None, self.task_definition_defaults(decl.kind, body))];
        };
        self.tainted = false;
        let collection = self.expr(for_each, None);
        // A `count` keys its instances by index, which tells nothing of a
        // secret: Terraform takes a sensitive one (medusajs's
        // `count = local.create_admin_user ? 1 : 0`).
        if std::mem::take(&mut self.tainted) && !decl.counted {
            self.diags.push(not_with_a_secret(
                "`for_each`",
                for_each.span,
                "its keys name instances in every plan",
            ));
            return Vec::new();
        }
        let collection = match collection {
            Some(DesiredValue::Known(collection)) => collection,
            // A map whose keys are known, whatever its values (Terraform
            // needs only the keys): one instance per key, `each.value`
            // holding what only AWS knows yet.
            Some(DesiredValue::Map(m)) if !decl.counted => {
                let pairs = m.into_iter().map(|(k, v)| (Value::String(k), v)).collect();
                return self.instances(decl, block, for_each.span, pairs);
            }
            // Said where it failed (a condition that is not a bool).
            None => return Vec::new(),
            Some(_) => {
                let (what, help) = match decl.counted {
                    true => (
                        "`count`",
                        "use a number of constants or variables (`length(var.names)`)",
                    ),
                    false => (
                        "`for_each`",
                        "use a list or map of constants or variables (a map's values may hold ids)",
                    ),
                };
                self.diags.push(
                    Diagnostic::error(
                        "E0313",
                        format!("{what} must be known before apply"),
                        for_each.span,
                    )
                    .label("depends on a value only AWS knows")
                    .help(help),
                );
                return Vec::new();
            }
        };
        let known = |(k, v): (Value, Value)| (k, DesiredValue::Known(v));
        let pairs: Vec<(Value, Value)> = match counted_as_number(collection, decl.counted) {
            // Read by the plan (an SSM parameter's value): the body is
            // checked once, under a key that says so.
            Value::Unknown => vec![(Value::Unknown, Value::Unknown)],
            // `count = N`: instances 0 to N - 1, each.value (count.index) the number.
            Value::Int(n) if decl.counted && n >= 0 => {
                (0..n).map(|i| (Value::Int(i), Value::Int(i))).collect()
            }
            other if decl.counted => {
                self.diags.push(
                    Diagnostic::error("E0313", "`count` takes a whole number, 0 or more", for_each.span)
                        .label(format!("a {}", other.type_name())),
                );
                return Vec::new();
            }
            Value::List(items) => items.into_iter().map(|v| (v.clone(), v)).collect(),
            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            other => {
                self.diags.push(
                    Diagnostic::error(
                        "E0313",
                        format!("`for_each` takes a list or a map, not a {}", other.type_name()),
                        for_each.span,
                    )
                    .label("not a list or map"),
                );
                return Vec::new();
            }
        };
        self.instances(decl, block, for_each.span, pairs.into_iter().map(known).collect())
    }

    /// One instance of `decl` per (key, element) of the `for_each` of its
    /// `block` (at `span`), each body evaluated with them as `each`.
    fn instances(
        &mut self,
        decl: &ResourceDecl<'_>,
        block: &Block,
        span: Span,
        pairs: Vec<(Value, DesiredValue)>,
    ) -> Instances {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, (key, value)) in pairs.into_iter().enumerate() {
            let text = match key {
                Value::Unknown => Some(format!("(known at plan {i})")),
                ref known => functions::scalar_text(known),
            };
            let Some(text) = text else {
                self.diags.push(
                    Diagnostic::error(
                        "E0313",
                        format!(
                            "`for_each` keys must be strings or numbers, found a {}",
                            key.type_name()
                        ),
                        span,
                    )
                    .label("in this collection"),
                );
                continue;
            };
            if !seen.insert(text.clone()) {
                self.diags.push(
                    Diagnostic::error("E0313", format!("`for_each` lists `{text}` twice"), span)
                        .label("duplicate element")
                        .help("each element names one instance; they must be unique"),
                );
                continue;
            }
            self.current = Some(Address::with_key(decl.kind, &decl.name, &text));
            let body = self.body(
                block,
                Some(Each {
                    key: &Value::String(text.clone()),
                    value: &value,
                }),
                true,
            );
            out.push((Some(text), self.task_definition_defaults(decl.kind, body)));
        }
        out
    }

    /// A resource's body (`top`) or a nested block's: only a resource's
    /// own meta-attributes and `lifecycle` block are not attributes (a
    /// nested block may have a `count`, an ECR lifecycle rule's).
    fn body(&mut self, block: &Block, each: Option<Each<'_>>, top: bool) -> DesiredBody {
        let mut body = DesiredBody::default();
        for item in &block.body {
            match item {
                Item::Attribute(a) if top && META_ATTRS.contains(&a.name.name.as_str()) => {}
                Item::Attribute(a)
                    if top
                        && a.name.name == container_definitions::ATTR
                        && self
                            .current
                            .as_ref()
                            .is_some_and(|c| c.kind == Kind::TaskDefinition) =>
                {
                    let made = self.container_definitions(&a.value, each);
                    body.blocks
                        .entry("container".to_owned())
                        .or_default()
                        .extend(made);
                }
                Item::Block(b) if top && b.kind.name == LIFECYCLE => {}
                Item::Block(b) if b.kind.name == crate::check::dynamic::DYNAMIC => {
                    let Some(d) = crate::check::dynamic::parts(b, &mut Vec::new()) else {
                        continue;
                    };
                    let made = self.dynamic(&d, each);
                    body.blocks.entry(d.name.to_owned()).or_default().extend(made);
                }
                Item::Attribute(a) => {
                    let outer = std::mem::take(&mut self.tainted);
                    let value = match self.document_json(&a.name.name, &a.value) {
                        Some(document) => self.expr(document, each),
                        None => self.expr(&a.value, each),
                    };
                    if std::mem::replace(&mut self.tainted, outer) {
                        body.sensitive.insert(a.name.name.clone());
                    }
                    // A setting that evaluates to null is left out, as in
                    // Terraform (`launch_type = var.spot ? null : "FARGATE"`).
                    if let Some(v) = value.filter(|v| *v != DesiredValue::Known(Value::Null)) {
                        body.attrs
                            .insert(a.name.name.clone(), Spanned::new(v, a.value.span));
                        let mut parts = BTreeMap::new();
                        locate(&a.value, "", &mut parts);
                        if !parts.is_empty() {
                            body.parts.insert(a.name.name.clone(), parts);
                        }
                    }
                }
                Item::Block(b) => {
                    let label = b
                        .label
                        .as_ref()
                        .and_then(|l| Some(Spanned::new(l.text()?.to_owned(), l.span())));
                    let nested = DesiredBlock {
                        label,
                        body: self.body(b, each, false),
                        span: header(b),
                    };
                    body.blocks.entry(b.kind.name.clone()).or_default().push(nested);
                }
            }
        }
        body
    }

    /// Of a policy document or JSON text (an event pattern) written
    /// `jsonencode({ ... })` (Terraform's way, references to the stack's
    /// ARNs inside), the map itself: either is the same as a map or as its
    /// JSON, and the map may hold values known only after apply, where
    /// `jsonencode` needs them known.
    fn document_json<'e>(&self, attr: &str, value: &'e Expr) -> Option<&'e Expr> {
        let ExprKind::Call(call) = &value.kind else {
            return None;
        };
        let [arg] = call.args.as_slice() else {
            return None;
        };
        let kind = self.current.as_ref()?.kind;
        (call.name.name == "jsonencode" && is_document(&kind.schema().as_block(), attr)).then_some(arg)
    }

    /// The argument of the `jsonencode` that `value` is, written there or
    /// in the local it names (fief's `task_definition = jsonencode([...])`
    /// in `locals`, its containers naming the stack's repository): read
    /// as the JSON it would make, as written in place.
    fn encoded(&self, value: &Expr) -> Option<Expr> {
        let mut value = value;
        // A chain of locals, each naming the next, ends within their count.
        for _ in 0..=self.module.locals.len() {
            match &value.kind {
                ExprKind::Call(call) if call.name.name == "jsonencode" && call.args.len() == 1 => {
                    return Some(call.args[0].clone());
                }
                ExprKind::Paren(inner) => value = inner,
                ExprKind::Traversal(t) if t.root.name == crate::check::locals::LOCAL => {
                    let [Step::Attr(name)] = t.steps.as_slice() else {
                        return None;
                    };
                    if self.module.local_cycles.contains(&name.name) {
                        return None;
                    }
                    value = &self.module.locals.get(&name.name)?.value;
                }
                _ => return None,
            }
        }
        None
    }

    /// The containers of a task definition's `container_definitions`:
    /// `jsonencode`'s argument read as the JSON it would make (so its
    /// values may be known only after apply), else the JSON text.
    fn container_definitions(&mut self, value: &Expr, each: Option<Each<'_>>) -> Vec<DesiredBlock> {
        let encoded = self.encoded(value);
        let json_expr = encoded.as_ref().unwrap_or(value);
        let outer = std::mem::take(&mut self.tainted);
        let json = self.expr(json_expr, each);
        let tainted = std::mem::replace(&mut self.tainted, outer);
        let Some(json) = json else {
            return Vec::new();
        };
        let schema = Kind::TaskDefinition.schema().as_block();
        let Some(container) = schema.block("container") else {
            return Vec::new();
        };
        let mut parts = BTreeMap::new();
        locate(json_expr, "", &mut parts);
        let place = container_definitions::Place {
            parts: &parts,
            whole: value.span,
            lines: heredoc_lines(self.sources, json_expr.span),
        };
        match container_definitions::containers(json, container, &place) {
            // Where in the JSON a sensitive value went is not tracked:
            // every setting of the containers is masked.
            Ok(mut made) if tainted => {
                made.iter_mut().for_each(|c| mask(&mut c.body));
                made
            }
            Ok(made) => made,
            Err(diags) => {
                self.diags.extend(diags);
                Vec::new()
            }
        }
    }

    fn expr(&mut self, expr: &Expr, each: Option<Each<'_>>) -> Option<DesiredValue> {
        Some(match &expr.kind {
            ExprKind::Null => DesiredValue::Known(Value::Null),
            ExprKind::Bool(b) => DesiredValue::Known(Value::Bool(*b)),
            ExprKind::Int(i) => DesiredValue::Known(Value::Int(*i)),
            ExprKind::Decimal(d) => DesiredValue::Known(Value::number(*d)),
            ExprKind::String(parts) => self.string(parts, each)?,
            ExprKind::List(items) => {
                let mut values = Vec::new();
                for item in items {
                    match self.expr(item, each)? {
                        // Terraform 0.11 flattened a list interpolated into
                        // a list (`["${aws_subnet.app.*.id}"]`).
                        DesiredValue::List(inner) if is_interpolation(item) => values.extend(inner),
                        DesiredValue::Known(Value::List(inner)) if is_interpolation(item) => {
                            values.extend(inner.into_iter().map(DesiredValue::Known));
                        }
                        value => values.push(value),
                    }
                }
                DesiredValue::list(values)
            }
            ExprKind::Map(entries) => {
                let mut map = BTreeMap::new();
                for entry in entries {
                    let key = match &entry.key.computed {
                        Some(computed) => self.computed_key(computed, each)?,
                        None => entry.key.name.clone(),
                    };
                    let v = self.expr(&entry.value, each)?;
                    // A key written twice holds its last value, as HCL's
                    // object constructor keeps it (ported container
                    // definitions repeat `name` and `image`).
                    map.insert(key, v);
                }
                DesiredValue::map(map)
            }
            ExprKind::Call(call) if matches!(call.name.name.as_str(), "try" | "can") => {
                self.attempt(call, each, expr.span)?
            }
            // Terraform's `sensitive(value)`: the value, masked wherever it
            // goes (an attribute, an output), as a sensitive variable's is.
            ExprKind::Call(call) if call.name.name == "sensitive" => {
                let [arg] = call.args.as_slice() else {
                    return self.error(
                        Diagnostic::error("E0316", "`sensitive` failed", expr.span)
                            .label("`sensitive(value)` takes one value"),
                    );
                };
                let value = self.expr(arg, each)?;
                self.tainted = true;
                value
            }
            ExprKind::Call(call) => {
                let mut values = Vec::new();
                for arg in &call.args {
                    values.push(self.expr(arg, each)?);
                }
                if call.expand {
                    let last = call.args.last().map_or(expr.span, |a| a.span);
                    match values.pop() {
                        Some(DesiredValue::Known(Value::List(items))) => {
                            values.extend(items.into_iter().map(DesiredValue::Known));
                        }
                        Some(DesiredValue::List(items)) => values.extend(items),
                        _ => {
                            return self.error(
                                Diagnostic::error("E0316", format!("`{}` failed", call.name.name), last)
                                    .label("`...` expands a list into arguments: this is not a list"),
                            );
                        }
                    }
                }
                if files::TEMPLATES.contains(&call.name.name.as_str()) {
                    return self.template(&call.name.name, &values, expr.span);
                }
                if let Some(i) = values.iter().position(|v| !matches!(v, DesiredValue::Known(_))) {
                    if let Some(v) = list_shape::call(&call.name.name, &values) {
                        return Some(v);
                    }
                    // Outputs are read after apply: the call waits for them,
                    // as a text function's in a resource does.
                    if self.in_output || functions::AT_APPLY.contains(&call.name.name.as_str()) {
                        return Some(DesiredValue::Call(
                            Deferred::Function(call.name.name.clone()),
                            values,
                        ));
                    }
                    return self.error(
                        Diagnostic::error("E0315", format!("`{}` needs values known before apply", call.name.name), call.args[i].span)
                            .label("only AWS knows this value before apply")
                            .help("functions run at plan time; pass constants, variables or declared attributes (outputs may use any value)"),
                    );
                }
                let args: Vec<Value> = values.into_iter().filter_map(DesiredValue::into_known).collect();
                // Of a value only a plan reads (an SSM parameter's, before
                // one), the result is unknown too.
                if args.contains(&Value::Unknown) {
                    return Some(DesiredValue::Known(Value::Unknown));
                }
                if call.name.name == "availability_zones" {
                    return self.availability_zones(&args, expr.span);
                }
                if files::FUNCTIONS.contains(&call.name.name.as_str()) {
                    return self.file_function(&call.name.name, &args, expr.span);
                }
                match functions::call(&call.name.name, &args) {
                    Ok(v) => DesiredValue::Known(v),
                    Err(msg) => {
                        return self.error(
                            Diagnostic::error("E0316", format!("`{}` failed", call.name.name), expr.span)
                                .label(msg),
                        );
                    }
                }
            }
            ExprKind::Traversal(t) => self.traversal(t, expr.span, each)?,
            ExprKind::For(f) => self.for_expr(f, each)?,
            ExprKind::Postfix(base, steps) => match self.expr(base, each)? {
                DesiredValue::Known(v) => DesiredValue::Known(self.step_into(v, steps, each)?),
                pending => self.pick(pending, steps, expr.span, each)?,
            },
            ExprKind::Paren(inner) => self.expr(inner, each)?,
            ExprKind::Unary(op, inner) => match self.operands(&[inner], each)? {
                Ok(values) => self.operated(operators::unary(*op, &values[0]), expr.span)?,
                Err(args) => DesiredValue::Call(Deferred::Unary(*op), args),
            },
            ExprKind::Binary(op, lhs, rhs) => {
                let values = vec![self.expr(lhs, each)?, self.expr(rhs, each)?];
                if let Some(v) = operators::against_null(*op, &values[0], &values[1]) {
                    return Some(DesiredValue::Known(v));
                }
                match self.known_operands(values, &[lhs.span, rhs.span])? {
                    Ok(values) => self.operated(operators::binary(*op, &values[0], &values[1]), expr.span)?,
                    Err(args) => DesiredValue::Call(Deferred::Binary(*op), args),
                }
            }
            ExprKind::Conditional(cond, then, otherwise) => match self.operands(&[cond], each)? {
                Ok(values) => match (&values[0], operators::condition(&values[0])) {
                    (_, Some(true)) => self.expr(then, each)?,
                    (_, Some(false)) => self.expr(otherwise, each)?,
                    (Value::Unknown, _) => DesiredValue::Known(Value::Unknown),
                    (other, None) => {
                        return self.error(
                            Diagnostic::error("E0328", "a condition is `true` or `false`", cond.span)
                                .label(format!("a {}", other.type_name())),
                        );
                    }
                },
                Err(mut args) => {
                    args.push(self.expr(then, each)?);
                    args.push(self.expr(otherwise, each)?);
                    DesiredValue::Call(Deferred::Choose, args)
                }
            },
        })
    }

    /// Terraform's `try(a, b, ...)`, the first argument that evaluates
    /// without an error, and `can(a)`, whether it does: a missing key of a
    /// variable's map, an element past a list's end, a failing function.
    fn attempt(
        &mut self,
        call: &crate::syntax::ast::Call,
        each: Option<Each<'_>>,
        span: Span,
    ) -> Option<DesiredValue> {
        let can = call.name.name == "can";
        if can && call.args.len() != 1 {
            return self.error(
                Diagnostic::error("E0316", "`can` failed", span)
                    .label("`can(expression)` takes one argument"),
            );
        }
        for arg in &call.args {
            let before = self.diags.len();
            let value = self.expr(arg, each);
            if value.is_some() && self.diags.len() == before {
                return match can {
                    true => Some(DesiredValue::Known(Value::Bool(true))),
                    false => value,
                };
            }
            self.diags.truncate(before);
        }
        match can {
            true => Some(DesiredValue::Known(Value::Bool(false))),
            false => self.error(
                Diagnostic::error("E0316", "`try` failed", span)
                    .label("none of its arguments could be evaluated"),
            ),
        }
    }

    /// An operator's operand: a value known before apply (E0327).
    fn operand(&mut self, expr: &Expr, each: Option<Each<'_>>) -> Option<Value> {
        match self.operands(&[expr], each)? {
            Ok(mut values) => values.pop(),
            Err(_) => self.error(unknown_operand(expr.span)),
        }
    }

    /// An operator's operands: all known (`Ok`), or, in an output, which
    /// is read after apply, the values the operator waits for (`Err`);
    /// elsewhere an operand known only after apply is E0327.
    fn operands(
        &mut self,
        exprs: &[&Expr],
        each: Option<Each<'_>>,
    ) -> Option<Result<Vec<Value>, Vec<DesiredValue>>> {
        let mut values = Vec::new();
        for expr in exprs {
            values.push(self.expr(expr, each)?);
        }
        let spans: Vec<Span> = exprs.iter().map(|e| e.span).collect();
        self.known_operands(values, &spans)
    }

    /// [`Self::operands`] of values evaluated, at `spans`.
    fn known_operands(
        &mut self,
        values: Vec<DesiredValue>,
        spans: &[Span],
    ) -> Option<Result<Vec<Value>, Vec<DesiredValue>>> {
        if let Some((_, span)) = values
            .iter()
            .zip(spans)
            .find(|(v, _)| !matches!(v, DesiredValue::Known(_)))
            && !self.in_output
        {
            return self.error(unknown_operand(*span));
        }
        Some(match values.iter().all(|v| matches!(v, DesiredValue::Known(_))) {
            true => Ok(values.into_iter().filter_map(DesiredValue::into_known).collect()),
            false => Err(values),
        })
    }

    /// An operator's result, or E0328 naming the misuse.
    fn operated(&mut self, result: Result<Value, String>, span: Span) -> Option<DesiredValue> {
        match result {
            Ok(v) => Some(DesiredValue::Known(v)),
            Err(msg) => self.error(Diagnostic::error("E0328", "this operation fails", span).label(msg)),
        }
    }

    /// The directory of the file `span` is in: where `file`, `fileexists`
    /// and `templatefile` paths start.
    fn dir_of(&self, span: Span) -> std::path::PathBuf {
        self.sources
            .try_get(span.file)
            .and_then(|f| f.path.parent())
            .unwrap_or(std::path::Path::new(""))
            .to_owned()
    }

    /// `file`, `filebase64` and `fileexists`, relative to the directory of
    /// the file that calls them.
    fn file_function(&mut self, name: &str, args: &[Value], span: Span) -> Option<DesiredValue> {
        let fail = |msg: String| Diagnostic::error("E0316", format!("`{name}` failed"), span).label(msg);
        let [Value::String(path)] = args else {
            return self.error(fail(format!("`{name}(path)` takes one path")));
        };
        let dir = self.dir_of(span);
        if name == "fileexists" {
            return Some(DesiredValue::Known(Value::Bool(files::exists(&dir, path))));
        }
        let read = match name {
            "filebase64" => files::read_base64(&dir, path),
            _ => files::read(&dir, path),
        };
        match read {
            Ok(text) => Some(DesiredValue::Known(Value::String(text))),
            Err(e) => self.error(fail(e)),
        }
    }

    /// `templatefile(path, vars)` and Terraform 1.9's `templatestring(text,
    /// vars)`: the template rendered, `vars` the only names it reads. A
    /// variable known only after apply leaves the text around it as a
    /// string built from references, as an interpolation does.
    fn template(&mut self, name: &str, args: &[DesiredValue], span: Span) -> Option<DesiredValue> {
        let fail = |msg: String| Diagnostic::error("E0316", format!("`{name}` failed"), span).label(msg);
        let usage = || match name {
            "templatefile" => "`templatefile(path, { NAME = value, ... })` takes a path and a map",
            _ => "`templatestring(text, { NAME = value, ... })` takes a string and a map",
        };
        let vars: BTreeMap<String, DesiredValue> = match args.get(1) {
            Some(DesiredValue::Known(Value::Map(m))) => m
                .iter()
                .map(|(k, v)| (k.clone(), DesiredValue::Known(v.clone())))
                .collect(),
            Some(DesiredValue::Map(m)) => m.clone(),
            _ => return self.error(fail(usage().to_owned())),
        };
        let source = match args {
            [DesiredValue::Known(Value::String(s)), _] => s,
            // Of a value only a plan reads (an SSM parameter's, before
            // one), the result is unknown too.
            [DesiredValue::Known(Value::Unknown), _] => return Some(DesiredValue::Known(Value::Unknown)),
            _ => return self.error(fail(usage().to_owned())),
        };
        let text = if name == "templatefile" {
            match files::read(&self.dir_of(span), source) {
                Ok(text) => text,
                Err(e) => return self.error(fail(e)),
            }
        } else {
            source.clone()
        };
        match self.render(&text, vars) {
            Ok(value) => Some(value),
            Err(e) => self.error(fail(e)),
        }
    }

    /// A template's text with its `${...}` evaluated, `vars` the only
    /// names it may read.
    fn render(&mut self, text: &str, vars: BTreeMap<String, DesiredValue>) -> Result<DesiredValue, String> {
        let literal = template::to_string_literal(text)?;
        let expr = parse_expr(&literal).map_err(|d| format!("the template does not parse: {}", d.label))?;
        let before = self.diags.len();
        let outer = std::mem::replace(
            &mut self.bound,
            vars.into_iter().map(|(k, v)| (k, Binding::Value(v))).collect(),
        );
        let was = std::mem::replace(&mut self.in_template, true);
        let value = self.expr(&expr, None);
        self.in_template = was;
        self.bound = outer;
        let inner = self.diags.split_off(before);
        match (value, inner.first()) {
            (Some(value), None) => Ok(value),
            (_, Some(d)) => Err(format!("in the template: {} ({})", d.message, d.label)),
            (None, None) => Err("the template could not be evaluated".to_owned()),
        }
    }

    /// `availability_zones()`: the region's zones, known once the stack's
    /// region is (not in variables or the `stack` block).
    fn availability_zones(&mut self, args: &[Value], span: Span) -> Option<DesiredValue> {
        if !args.is_empty() {
            return self.error(
                Diagnostic::error("E0316", "`availability_zones` failed", span)
                    .label("`availability_zones()` takes no arguments"),
            );
        }
        let Some(region) = self.region.clone() else {
            return self.error(
                Diagnostic::error("E0316", "`availability_zones` failed", span)
                    .label("the stack's region is not known here")
                    .help("call it in a resource, a `for_each` or an output, not in a variable or the `stack` block"),
            );
        };
        self.zones_read = true;
        let zones = self
            .zones
            .map_or_else(|| zones::documented(&region), <[String]>::to_vec);
        Some(DesiredValue::Known(Value::List(
            zones.into_iter().map(Value::String).collect(),
        )))
    }

    fn string(&mut self, parts: &[StrPart], each: Option<Each<'_>>) -> Option<DesiredValue> {
        let mut out: Vec<DesiredValue> = Vec::new();
        // A part only a plan reads (an SSM parameter's value, before one)
        // leaves the whole string unknown.
        let mut unknown = false;
        for part in parts {
            let value = match part {
                StrPart::Lit(s) => DesiredValue::Known(Value::String(s.clone())),
                StrPart::Interp(e) => match self.expr(e, each)? {
                    // HCL's template of one interpolation is its value:
                    // Terraform 0.11's `"${aws_subnet.public.*.id}"` is the
                    // list.
                    whole @ (DesiredValue::List(_)
                    | DesiredValue::Map(_)
                    | DesiredValue::Known(Value::List(_) | Value::Map(_)))
                        if parts.len() == 1 =>
                    {
                        return Some(whole);
                    }
                    DesiredValue::Known(Value::Unknown) => {
                        unknown = true;
                        continue;
                    }
                    DesiredValue::Known(v) => match functions::scalar_text(&v) {
                        Some(text) => DesiredValue::Known(Value::String(text)),
                        None => {
                            return self.error(
                                Diagnostic::error(
                                    "E0317",
                                    format!("cannot put a {} inside a string", v.type_name()),
                                    e.span,
                                )
                                .label("not a string, number or bool")
                                .help("interpolate one element, or use `join(\",\", list)`"),
                            );
                        }
                    },
                    r @ (DesiredValue::Ref(_) | DesiredValue::Call(..)) => r,
                    DesiredValue::Concat(inner) => DesiredValue::Concat(inner),
                    _ => {
                        return self.error(
                            Diagnostic::error("E0317", "cannot put a list or map inside a string", e.span)
                                .label("not a string, number or bool"),
                        );
                    }
                },
            };
            match (out.last_mut(), value) {
                (Some(DesiredValue::Known(Value::String(prev))), DesiredValue::Known(Value::String(s))) => {
                    prev.push_str(&s)
                }
                (_, DesiredValue::Concat(inner)) => out.extend(inner),
                (_, v) => out.push(v),
            }
        }
        if unknown {
            return Some(DesiredValue::Known(Value::Unknown));
        }
        Some(match out.len() {
            0 => DesiredValue::Known(Value::String(String::new())),
            // One part is its value: `"${subnet.a.id}"` is the reference.
            1 => out.remove(0),
            _ => DesiredValue::Concat(out),
        })
    }

    /// The blocks a `dynamic` block makes: its `content` once per element
    /// of its `for_each` (known before apply: E0313), which reads the
    /// element as `ITERATOR.key` and `ITERATOR.value`.
    fn dynamic(
        &mut self,
        d: &crate::check::dynamic::Dynamic<'_>,
        each: Option<Each<'_>>,
    ) -> Vec<DesiredBlock> {
        let for_each = match &d.for_each.kind {
            ExprKind::For(f) => match self.for_made(f, each) {
                Some(Some(made))
                    if matches!(f.result, ForResult::Map { group: false, .. })
                        && made.iter().any(|m| matches!(m, Made::Keyless(..))) =>
                {
                    return self.dynamic_blocks(d, keyless_pairs(made), each);
                }
                Some(Some(made)) => self.for_collected(f, made),
                Some(None) => Some(DesiredValue::Known(Value::Unknown)),
                None => None,
            },
            _ => self.expr(d.for_each, each),
        };
        let pairs: Vec<(Value, DesiredValue)> = match for_each {
            Some(DesiredValue::Known(Value::List(items))) => items
                .into_iter()
                .map(|v| (v.clone(), DesiredValue::Known(v)))
                .collect(),
            Some(DesiredValue::Known(Value::Map(m))) => m
                .into_iter()
                .map(|(k, v)| (Value::String(k), DesiredValue::Known(v)))
                .collect(),
            Some(DesiredValue::Known(Value::Null)) => Vec::new(),
            Some(DesiredValue::Known(Value::Unknown)) => {
                vec![(Value::Unknown, DesiredValue::Known(Value::Unknown))]
            }
            // Elements known after apply (`[security_group.lb.id,
            // security_group.admin.id]`) in a list or map whose length is
            // known: one block each, as Terraform makes; a list's keys
            // are its indexes.
            Some(DesiredValue::List(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i64::try_from(i).unwrap_or(i64::MAX)), v))
                .collect(),
            Some(DesiredValue::Map(m)) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            None => return Vec::new(),
            Some(_) => {
                self.diags.push(
                    Diagnostic::error(
                        "E0313",
                        "a `dynamic` block's `for_each` is a list or map known before apply",
                        d.for_each.span,
                    )
                    .label("not a known list or map"),
                );
                return Vec::new();
            }
        };
        self.dynamic_blocks(d, pairs, each)
    }

    /// A dynamic block's blocks, one per (key, value) pair.
    fn dynamic_blocks(
        &mut self,
        d: &crate::check::dynamic::Dynamic<'_>,
        pairs: Vec<(Value, DesiredValue)>,
        each: Option<Each<'_>>,
    ) -> Vec<DesiredBlock> {
        let mut out = Vec::new();
        for (key, value) in pairs {
            // The element reads as `ITERATOR.key` and `ITERATOR.value`.
            let element = DesiredValue::map(BTreeMap::from([
                ("key".to_owned(), DesiredValue::Known(key)),
                ("value".to_owned(), value),
            ]));
            self.bound.push((d.iterator.to_owned(), Binding::Value(element)));
            let body = self.body(d.content, each, false);
            self.bound.pop();
            out.push(DesiredBlock {
                label: None,
                body,
                span: header(d.content),
            });
        }
        out
    }

    /// A `for` expression's list or map: its result once per element of
    /// its collection, known before apply (E0330), for which its condition
    /// holds.
    fn for_expr(&mut self, f: &ForExpr, each: Option<Each<'_>>) -> Option<DesiredValue> {
        match self.for_made(f, each)? {
            Some(made) => self.for_collected(f, made),
            None => Some(DesiredValue::Known(Value::Unknown)),
        }
    }

    /// What a `for` expression makes of each element, in order; `None`
    /// when the whole result is known only once a plan reads it.
    fn for_made(&mut self, f: &ForExpr, each: Option<Each<'_>>) -> Option<Option<Vec<Made>>> {
        let Some(elements) = self.for_elements(f, each)? else {
            return Some(None);
        };
        let mut made = Vec::new();
        for (key, element) in elements {
            let mark = self.bound.len();
            if let Some(name) = &f.key {
                self.bound
                    .push((name.name.clone(), Binding::Value(DesiredValue::Known(key))));
            }
            self.bound.push((f.value.name.clone(), element));
            let one = self.for_element(f, each);
            self.bound.truncate(mark);
            match one? {
                Made::Skipped => {}
                Made::Unknown => return Some(None),
                other => made.push(other),
            }
        }
        Some(Some(made))
    }

    /// A `for` expression's list or map from what it made of each element.
    fn for_collected(&mut self, f: &ForExpr, made: Vec<Made>) -> Option<DesiredValue> {
        let group = matches!(f.result, ForResult::Map { group: true, .. });
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Vec<DesiredValue>> = BTreeMap::new();
        for one in made {
            match one {
                Made::Skipped | Made::Unknown => {}
                Made::Keyless(_, span) => {
                    return self.error(
                        Diagnostic::error(
                            "E0330",
                            "a `for` expression's keys are strings known before apply",
                            span,
                        )
                        .label("not a known string"),
                    );
                }
                Made::Item(v) => list.push(v),
                Made::Entry(k, _) if !group && map.contains_key(&k) => {
                    let ForResult::Map { key, .. } = &f.result else {
                        return None;
                    };
                    return self.error(
                        Diagnostic::error("E0314", format!("map key `{k}` appears twice"), key.span)
                            .label("two elements make this key")
                            .help("add `...` after the value to group the elements of each key in a list"),
                    );
                }
                Made::Entry(k, v) => map.entry(k).or_default().push(v),
            }
        }
        Some(match &f.result {
            ForResult::List(_) => DesiredValue::list(list),
            _ => DesiredValue::map(
                map.into_iter()
                    .map(|(k, mut v)| match group {
                        true => (k, DesiredValue::list(v)),
                        false => (k, v.remove(0)),
                    })
                    .collect(),
            ),
        })
    }

    /// A `for` expression's collection as (key, element) pairs: a list's
    /// index or a map's key, and the element; a repeated resource's
    /// instances by key. `Some(None)`: a collection only a plan reads.
    fn for_elements(&mut self, f: &ForExpr, each: Option<Each<'_>>) -> Option<Option<Vec<(Value, Binding)>>> {
        let shadowed = matches!(&f.collection.kind, ExprKind::Traversal(t) if self.bound.iter().any(|(n, _)| *n == t.root.name));
        if let Some(decl) =
            crate::check::for_expr::repeated_resource(self.module, &f.collection).filter(|_| !shadowed)
        {
            let instances = self.done.get(&(decl.kind, decl.name.as_str()))?;
            return Some(Some(
                instances
                    .iter()
                    .filter_map(|(key, _)| {
                        let key = key.clone()?;
                        let shown = match decl.counted {
                            true => key
                                .parse()
                                .map_or_else(|_| Value::String(key.clone()), Value::Int),
                            false => Value::String(key.clone()),
                        };
                        Some((
                            shown,
                            Binding::Instance(Address::with_key(decl.kind, &decl.name, key)),
                        ))
                    })
                    .collect(),
            ));
        }
        let indexed = |items: Vec<DesiredValue>| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), Binding::Value(v)))
                .collect()
        };
        let keyed = |entries: BTreeMap<String, DesiredValue>| {
            entries
                .into_iter()
                .map(|(k, v)| (Value::String(k), Binding::Value(v)))
                .collect()
        };
        Some(Some(match self.expr(&f.collection, each)? {
            DesiredValue::Known(Value::Unknown) => return Some(None),
            DesiredValue::Known(Value::List(items)) => {
                indexed(items.into_iter().map(DesiredValue::Known).collect())
            }
            DesiredValue::Known(Value::Map(m)) => {
                keyed(m.into_iter().map(|(k, v)| (k, DesiredValue::Known(v))).collect())
            }
            DesiredValue::List(items) => indexed(items),
            DesiredValue::Map(m) => keyed(m),
            DesiredValue::Known(other) => {
                return self.error(
                    Diagnostic::error(
                        "E0330",
                        format!("a `for` expression cannot iterate a {}", other.type_name()),
                        f.collection.span,
                    )
                    .label("not a list or map")
                    .help("iterate a list, a map, or a resource repeated with `for_each` or `count`"),
                );
            }
            // Evaluated from the variables alone, which hold no resource:
            // a resource's instances are unknown, so what the `for` makes
            // is (`var.x != null ? [local.holding_such_a_for] : []` is
            // still decided).
            DesiredValue::Ref(_) if self.resources_unknown => return Some(None),
            _ => {
                let help = match self.in_output {
                    // Outputs wait for values known after apply, not for
                    // a `for` over one (its body is evaluated at plan time).
                    true => {
                        "an output may hold the value itself (`value = certificate.site.domain_validation_options`); a `for` over a value known only after apply is not written yet"
                    }
                    false => {
                        "iterate variables, locals or a repeated resource (`[for s in subnet.public : s.id]`)"
                    }
                };
                return self.error(
                    Diagnostic::error(
                        "E0330",
                        "a `for` expression must iterate a list or map known before apply",
                        f.collection.span,
                    )
                    .label("only AWS knows this value before apply")
                    .help(help),
                );
            }
        }))
    }

    /// What a `for` expression makes of the element bound now.
    fn for_element(&mut self, f: &ForExpr, each: Option<Each<'_>>) -> Option<Made> {
        if let Some(cond) = &f.cond {
            let value = self.operand(cond, each)?;
            match (&value, operators::condition(&value)) {
                (_, Some(true)) => {}
                (_, Some(false)) => return Some(Made::Skipped),
                (Value::Unknown, _) => return Some(Made::Unknown),
                (other, None) => {
                    return self.error(
                        Diagnostic::error("E0328", "a condition is `true` or `false`", cond.span)
                            .label(format!("a {}", other.type_name())),
                    );
                }
            }
        }
        match &f.result {
            ForResult::List(value) => Some(Made::Item(self.expr(value, each)?)),
            ForResult::Map { key, value, .. } => {
                let k = match self.expr(key, each)? {
                    DesiredValue::Known(Value::Unknown) => return Some(Made::Unknown),
                    DesiredValue::Known(v) => functions::scalar_text(&v),
                    _ => None,
                };
                let value = self.expr(value, each)?;
                Some(match k {
                    Some(k) => Made::Entry(k, value),
                    None => Made::Keyless(value, key.span),
                })
            }
        }
    }

    /// An element of a list or map holding values known only after apply
    /// (`[for s in subnet.x : s.id][0]`): known keys pick it; anything
    /// else reads into a value not known yet (E0325).
    fn pick(
        &mut self,
        mut value: DesiredValue,
        steps: &[Step],
        span: Span,
        each: Option<Each<'_>>,
    ) -> Option<DesiredValue> {
        for (i, step) in steps.iter().enumerate() {
            if let DesiredValue::Known(v) = value {
                return self.step_into(v, &steps[i..], each).map(DesiredValue::Known);
            }
            let key = match step {
                Step::Attr(id) => Some(Value::String(id.name.clone())),
                Step::Index(e) => self.expr(e, each)?.into_known(),
                Step::Splat(_) => None,
            };
            // A map's key written as a number (a `for` over a list's index),
            // as Terraform converts it.
            let key = match (&value, key) {
                (DesiredValue::Map(_), Some(Value::Int(n))) => Some(Value::String(n.to_string())),
                (_, key) => key,
            };
            value = match (value, key) {
                (DesiredValue::List(mut items), Some(Value::Int(n))) => {
                    match usize::try_from(n).ok().filter(|n| *n < items.len()) {
                        Some(n) => items.swap_remove(n),
                        None => {
                            return self.error(
                                Diagnostic::error("E0325", format!("no element {n} here"), span)
                                    .label(format!("the list has {} elements", items.len()))
                                    .help("elements are counted from 0"),
                            );
                        }
                    }
                }
                (DesiredValue::Map(mut entries), Some(Value::String(k))) if entries.contains_key(&k) => {
                    entries.remove(&k)?
                }
                // In an output, read after apply: an element of what a
                // function makes of values known then (`split("/",
                // repository.x.url)[0]`), as `element` or `lookup` would.
                (call @ DesiredValue::Call(..), Some(key)) if self.in_output => {
                    let function = match key {
                        Value::Int(_) => "element",
                        _ => "lookup",
                    };
                    DesiredValue::Call(
                        Deferred::Function(function.to_owned()),
                        vec![call, DesiredValue::Known(key)],
                    )
                }
                _ => {
                    return self.error(
                        Diagnostic::error("E0325", "cannot read into a value known only after apply", span)
                            .label("holds references to resources")
                            .help("index it with a number or key known before apply, or read the attribute from the resource itself"),
                    );
                }
            };
        }
        Some(value)
    }

    /// The value of a name bound by a `for` expression or a `dynamic`
    /// block, and of the steps after it.
    fn bound_value(
        &mut self,
        binding: Binding,
        t: &Traversal,
        span: Span,
        each: Option<Each<'_>>,
    ) -> Option<DesiredValue> {
        match binding {
            Binding::Value(value) => self.pick(value, &t.steps, span, each),
            Binding::Instance(address) => {
                let attr = match t.steps.first() {
                    Some(Step::Attr(a)) => Some(a.name.as_str()),
                    _ => None,
                };
                let instances = self.done.get(&(address.kind, address.name.as_str()))?;
                let (_, body) = instances.iter().find(|(k, _)| *k == address.key)?;
                self.tainted |= reads_sensitive(address.kind, body, attr);
                let body = body.clone();
                let value = instance_value(address, &body, attr);
                self.pick(value, t.steps.get(1..).unwrap_or_default(), span, each)
            }
        }
    }

    /// The text of a computed map key (`(var.key) = ...`, `"${var.env}-x" =
    /// ...`): a string or number known before apply, as Terraform's.
    fn computed_key(&mut self, key: &Expr, each: Option<Each<'_>>) -> Option<String> {
        match self.expr(key, each)? {
            DesiredValue::Known(v) if functions::scalar_text(&v).is_some() => functions::scalar_text(&v),
            DesiredValue::Known(v) => self.error(
                Diagnostic::error(
                    "E0314",
                    format!("a map key is a string, not a {}", v.type_name()),
                    key.span,
                )
                .label("not a string"),
            ),
            _ => self.error(
                Diagnostic::error("E0314", "a map key must be known before apply", key.span)
                    .label("depends on a value only AWS knows")
                    .help("compute keys from constants, variables or declared attributes"),
            ),
        }
    }

    /// A task definition's body with what ECS writes another way in
    /// berth's form: its sizes ([`task_sizes`]) and its containers' logs
    /// in the stack's region ([`stack_region_logs`]).
    fn task_definition_defaults(&self, kind: Kind, body: DesiredBody) -> DesiredBody {
        let mut body = task_sizes(kind, body);
        if let (Kind::TaskDefinition, Some(region)) = (kind, &self.region) {
            stack_region_logs(&mut body, region);
        }
        body
    }

    /// A local's value, evaluated once (none for one in a cycle, E0308).
    fn local(&mut self, name: &str) -> Option<(DesiredValue, bool)> {
        if let Some(done) = self.locals.get(name) {
            return done.clone();
        }
        if self.module.local_cycles.contains(name) {
            return None;
        }
        let attr = *self.module.locals.get(name)?;
        let outer = std::mem::take(&mut self.tainted);
        // The names bound where it is first read are not the local's.
        let bound = std::mem::take(&mut self.bound);
        let value = self.expr(&attr.value, None);
        self.bound = bound;
        let tainted = std::mem::replace(&mut self.tainted, outer);
        let done = value.map(|v| (v, tainted));
        self.locals.insert(name.to_owned(), done.clone());
        done
    }

    /// The part of a variable's (or `each.value`'s) value that `steps`
    /// name: `.port` and `["port"]` in a map or object, `[0]` in a list
    /// (E0325 when there is no such key or element).
    fn step_into(&mut self, mut value: Value, steps: &[Step], each: Option<Each<'_>>) -> Option<Value> {
        for (i, step) in steps.iter().enumerate() {
            let (key, span) = match step {
                Step::Splat(span) => {
                    // Each element, read by the steps after the splat.
                    let Value::List(items) = value else {
                        return self.error(
                            Diagnostic::error(
                                "E0325",
                                format!("cannot splat a {}", value.type_name()),
                                *span,
                            )
                            .label("not a list")
                            .help("`[*]` reads every element of a list"),
                        );
                    };
                    let rest = &steps[i + 1..];
                    let items: Option<Vec<Value>> =
                        items.into_iter().map(|v| self.step_into(v, rest, each)).collect();
                    return items.map(Value::List);
                }
                Step::Attr(id) => (Value::String(id.name.clone()), id.span),
                Step::Index(e) => match self.expr(e, each)? {
                    DesiredValue::Known(v) => (v, e.span),
                    _ => {
                        return self.error(
                            Diagnostic::error("E0325", "an index must be known before apply", e.span)
                                .label("depends on a resource"),
                        );
                    }
                },
            };
            value = match (value, &key) {
                (Value::Unknown, _) => return Some(Value::Unknown),
                (Value::Map(mut entries), Value::String(k)) => match entries.remove(k) {
                    Some(v) => v,
                    None => {
                        let keys: Vec<_> = entries.keys().map(|k| format!("`{k}`")).collect();
                        let d = Diagnostic::error("E0325", format!("no key `{k}` here"), span)
                            .label("not in the map")
                            .help(match keys.is_empty() {
                                true => "the map is empty".to_owned(),
                                false => format!("its keys are {}", keys.join(", ")),
                            });
                        return self.error(d);
                    }
                },
                (Value::List(mut items), Value::Int(i)) => {
                    match usize::try_from(*i).ok().filter(|i| *i < items.len()) {
                        Some(i) => items.swap_remove(i),
                        None => {
                            let d = Diagnostic::error("E0325", format!("no element {i} here"), span)
                                .label(format!("the list has {} elements", items.len()))
                                .help("elements are counted from 0");
                            return self.error(d);
                        }
                    }
                }
                (v, k) => {
                    let d = Diagnostic::error(
                        "E0325",
                        format!("cannot index a {} with a {}", v.type_name(), k.type_name()),
                        span,
                    )
                    .label("no such element")
                    .help("maps take `.KEY` or `[\"KEY\"]`, lists take `[NUMBER]`");
                    return self.error(d);
                }
            };
        }
        Some(value)
    }

    fn traversal(&mut self, t: &Traversal, span: Span, each: Option<Each<'_>>) -> Option<DesiredValue> {
        let step_name = |i: usize| match t.steps.get(i) {
            Some(Step::Attr(id)) => Some(id.name.as_str()),
            _ => None,
        };
        let root = t.root.name.as_str();
        if let Some((_, binding)) = self.bound.iter().rev().find(|(n, _)| n == root) {
            return self.bound_value(binding.clone(), t, span, each);
        }
        if self.in_template {
            return self.error(
                Diagnostic::error(
                    "E0301",
                    format!("`{root}` is not one of the template's variables"),
                    span,
                )
                .label("not in the map `templatefile` was given"),
            );
        }
        match root {
            crate::check::refs::PATH => Some(DesiredValue::Known(Value::from(files::MODULE_DIR))),
            crate::check::refs::STACK => self
                .stack_name
                .clone()
                .map(|n| DesiredValue::Known(Value::String(n))),
            crate::check::locals::LOCAL => {
                let (value, tainted) = self.local(step_name(0)?)?;
                self.tainted |= tainted;
                // Known keys pick into one holding references
                // (`local.network.subnets` of `{ subnets = [...],
                // security_groups = [security_group.app.id] }`).
                self.pick(value, &t.steps[1..], span, each)
            }
            "var" => {
                let name = step_name(0)?;
                if self.sensitive.contains(name) {
                    self.tainted = true;
                }
                let value = self.vars.get(name).cloned()?;
                self.step_into(value, &t.steps[1..], each)
                    .map(DesiredValue::Known)
            }
            // From variables alone, a lookup is what only the cloud knows
            // (`local.core.prefix` beside `vpc_id = data.aws_vpc.core.id`).
            crate::syntax::DATA if self.resources_unknown => Some(DesiredValue::Known(Value::Unknown)),
            crate::syntax::DATA => {
                // Reported by the resolver when it names nothing.
                let found = crate::check::lookups::resolve(self.module, t, span, &mut Vec::new())?;
                let attrs = self.lookup_value(found.kind, &found.name)?;
                self.tainted |= found.kind.is_sensitive(found.attr, &attrs);
                let value = attrs.get(found.attr).cloned().unwrap_or(Value::Null);
                // An element of what it holds (`ids[0]`); of a placeholder
                // (no cloud to ask: `validate`), its one element, whatever
                // the index.
                let steps = t.steps.get(3..).unwrap_or_default();
                if let (Some(Step::Index(_)), None, Value::List(items)) =
                    (steps.first(), &self.lookup, &value)
                {
                    return Some(DesiredValue::Known(
                        items.first().cloned().unwrap_or(Value::Unknown),
                    ));
                }
                self.step_into(value, steps, each).map(DesiredValue::Known)
            }
            // `count.index` is the instance's number, held as `each.value`.
            crate::check::declare::COUNT => Some(each?.value.clone()),
            "each" => {
                let this = each?;
                match step_name(0)? {
                    "key" => Some(DesiredValue::Known(this.key.clone())),
                    _ => self.pick(this.value.clone(), &t.steps[1..], span, each),
                }
            }
            root => {
                // The resolver passed every other name: what is left is a
                // `dynamic` block's element read outside its `content`.
                // Terraform's type names are read before the rewrites when
                // `inert` decides what the variables make.
                let bare = crate::check::terraform_names::without_aws(root);
                let kind = crate::check::terraform_names::berth_kind(bare).unwrap_or(bare);
                let Ok(kind) = kind.parse::<Kind>() else {
                    if self.resources_unknown {
                        return Some(DesiredValue::Known(Value::Unknown));
                    }
                    return self.error(
                        Diagnostic::error(
                            "E0302",
                            format!("`{root}` is only known inside its `dynamic` block's `content`"),
                            span,
                        )
                        .label("outside `content`")
                        .help(
                            "read the element in the `content { ... }` of the `dynamic` block that names it",
                        ),
                    );
                };
                let name = step_name(0)?.to_owned();
                let mut rest = &t.steps[1..];
                let mut key = None;
                // `[*]` of a repeated resource: what the bare reference is;
                // of a single one, a list of it.
                let splat = matches!(rest.first(), Some(Step::Splat(_)));
                if splat {
                    rest = &rest[1..];
                }
                if let Some(Step::Index(e)) = rest.first() {
                    key = match self.expr(e, each)? {
                        DesiredValue::Known(v) => functions::scalar_text(&v),
                        _ => None,
                    };
                    if key.is_none() {
                        return self.error(
                            Diagnostic::error(
                                "E0318",
                                "an instance key must be a string known before apply",
                                e.span,
                            )
                            .label("not a known string"),
                        );
                    }
                    rest = &rest[1..];
                }
                let attr = match rest.first() {
                    Some(Step::Attr(a)) => Some(a.name.as_str()),
                    _ => None,
                };
                if let Some(own) = self.current.clone().filter(|a| a.kind == kind && a.name == name) {
                    return self.own_reference(own, key.as_deref(), attr, span);
                }
                let Some(instances) = self.done.get(&(kind, name.as_str())) else {
                    // Only a deferrable reference (`check::refs`: a rule's
                    // `from`, a setting AWS changes in place) may name a
                    // resource evaluated later (two groups allowing each
                    // other, a queue's policy naming the topic that
                    // delivers to it): what its create settles, known once
                    // it exists.
                    let attr = attr.unwrap_or(kind.schema().identity);
                    let settled = kind
                        .schema()
                        .attr(attr)
                        .is_some_and(|a| matches!(a.presence, Presence::Computed | Presence::Named));
                    if !settled && self.resources_unknown {
                        return Some(DesiredValue::Known(Value::Unknown));
                    }
                    return settled.then(|| {
                        DesiredValue::Ref(RefTarget {
                            address: Address { kind, name, key },
                            attr: attr.to_owned(),
                        })
                    });
                };
                let has_for_each = instances.first().is_some_and(|(k, _)| k.is_some());
                match key {
                    Some(key) => {
                        let Some((_, body)) = instances.iter().find(|(k, _)| k.as_deref() == Some(&key))
                        else {
                            let keys: Vec<&str> =
                                instances.iter().filter_map(|(k, _)| k.as_deref()).collect();
                            let d = Diagnostic::error(
                                "E0318",
                                format!("{kind}.{name} has no instance `{key}`"),
                                span,
                            )
                            .label("no such key");
                            return self.error(
                                match crate::suggest::did_you_mean(&key, keys.iter().copied()) {
                                    Some(h) => d.help(h),
                                    None => d.help(format!("its keys are: {}", keys.join(", "))),
                                },
                            );
                        };
                        let address = Address::with_key(kind, &name, key);
                        self.tainted |= reads_sensitive(kind, body, attr);
                        let value = instance_value(address, body, attr);
                        self.pick(value, rest.get(1..).unwrap_or_default(), span, each)
                    }
                    None if has_for_each => {
                        let mut tainted = false;
                        let list = DesiredValue::list(
                            instances
                                .iter()
                                .map(|(k, body)| {
                                    let address = Address {
                                        kind,
                                        name: name.clone(),
                                        key: k.clone(),
                                    };
                                    tainted |= reads_sensitive(kind, body, attr);
                                    instance_value(address, body, attr)
                                })
                                .collect(),
                        );
                        self.tainted |= tainted;
                        Some(list)
                    }
                    None => {
                        let (_, body) = instances.first()?;
                        self.tainted |= reads_sensitive(kind, body, attr);
                        let value = instance_value(Address::new(kind, &name), body, attr);
                        match splat {
                            true => Some(DesiredValue::list(vec![value])),
                            false => self.pick(value, rest.get(1..).unwrap_or_default(), span, each),
                        }
                    }
                }
            }
        }
    }

    /// `KIND.NAME` inside NAME's own block, which the resolver allows only
    /// as a security group rule's `from` (the group's id) and in a setting
    /// AWS changes in place (what the create settles: id, ARN, name), known
    /// once the instance exists.
    fn own_reference(
        &mut self,
        own: Address,
        key: Option<&str>,
        attr: Option<&str>,
        span: Span,
    ) -> Option<DesiredValue> {
        let identity = own.kind.schema().identity;
        if key != own.key.as_deref() {
            let what = match own.kind {
                Kind::SecurityGroup | Kind::DefaultSecurityGroup => "a security group can allow itself",
                _ => "a resource can read itself",
            };
            let d = Diagnostic::error(
                "E0319",
                format!("{what}, not another instance of its block"),
                span,
            );
            return self.error(match &own.key {
                Some(_) => d
                    .label("not this instance")
                    .help(format!("write `{}.{}[each.key]`", own.kind, own.name)),
                None => d.label("this group has no instances"),
            });
        }
        if own.kind.stands_for() == Kind::SecurityGroup && attr.is_some_and(|a| a != identity) {
            return self.error(
                Diagnostic::error(
                    "E0319",
                    format!("a rule's source is a group's `{identity}`"),
                    span,
                )
                .label("another attribute of this group")
                .help(format!("write `{}.{}`", own.kind, own.name)),
            );
        }
        Some(DesiredValue::Ref(RefTarget {
            address: own,
            attr: attr.unwrap_or(identity).to_owned(),
        }))
    }

    /// Every output, once the resources it reads are evaluated (in name
    /// order: the module keeps them sorted).
    fn outputs(&mut self) -> Vec<Output> {
        self.current = None;
        let mut out = Vec::new();
        for (name, decl) in &self.module.outputs {
            let declared = self.flag(decl.sensitive, "sensitive", "E0320");
            self.tainted = false;
            self.in_output = true;
            let value = self.expr(decl.value, None);
            self.in_output = false;
            // An output of a sensitive variable is sensitive, declared or not.
            let sensitive = declared || std::mem::take(&mut self.tainted);
            if let Some(value) = value {
                out.push(Output {
                    name: name.clone(),
                    value,
                    sensitive,
                    span: header(decl.block),
                });
            }
        }
        out
    }

    /// Every instance address of a resource, once it is evaluated.
    fn addresses(&self, kind: Kind, name: &str) -> Vec<Address> {
        self.done
            .get(&(kind, name))
            .into_iter()
            .flatten()
            .map(|(k, _)| Address {
                kind,
                name: name.to_owned(),
                key: k.clone(),
            })
            .collect()
    }
}

/// Whether `attr`, in `block` or any block nested in it, is a policy
/// document or JSON text: a value the same as a map or as its JSON.
fn is_document(block: &berth_provider::schema::Block, attr: &str) -> bool {
    use berth_provider::schema::Type;
    block
        .attr(attr)
        .is_some_and(|a| matches!(a.ty, Type::Document | Type::Json))
        || block.blocks.iter().any(|b| is_document(b, attr))
}

/// A container's awslogs `log` block without an `awslogs-region` that is
/// the stack's: berth's adapters send the stack's region where none is
/// written, and read it back so, so that such a block reads as the
/// `logs` shorthand it says, where another region is kept and sent.
fn stack_region_logs(body: &mut DesiredBody, region: &str) {
    const REGION: &str = "awslogs-region";
    let logs = body
        .blocks
        .get_mut("container")
        .into_iter()
        .flatten()
        .flat_map(|c| c.body.blocks.get_mut("log").into_iter().flatten());
    for log in logs {
        let awslogs =
            matches!(log.body.value("driver"), Some(DesiredValue::Known(Value::String(d))) if d == "awslogs");
        let Some(options) = log.body.attrs.get_mut("options").filter(|_| awslogs) else {
            continue;
        };
        match &mut options.node {
            DesiredValue::Known(Value::Map(m)) if m.get(REGION).and_then(Value::as_str) == Some(region) => {
                m.remove(REGION);
            }
            DesiredValue::Map(m) if matches!(m.get(REGION), Some(DesiredValue::Known(Value::String(r))) if r == region) =>
            {
                m.remove(REGION);
            }
            _ => {}
        }
    }
}

/// A task definition's `cpu` and `memory` written as ECS takes them in
/// strings (`"256"`, `"0.25 vCPU"`, `"0.5GB"`: CloudFormation's and
/// Terraform's spelling) as the numbers of units and MiB they are; any
/// other string is left for the type check to refuse.
fn task_sizes(kind: Kind, mut body: DesiredBody) -> DesiredBody {
    if kind != Kind::TaskDefinition {
        return body;
    }
    let parsers = [
        ("cpu", fargate::cpu_units as fn(&str) -> Option<i64>),
        ("memory", fargate::memory_mib),
    ];
    for (name, parse) in parsers {
        if let Some(attr) = body.attrs.get_mut(name)
            && let DesiredValue::Known(Value::String(text)) = &attr.node
            && let Some(n) = parse(text)
        {
            attr.node = DesiredValue::Known(Value::Int(n));
        }
    }
    body
}

fn not_with_a_secret(what: &str, span: Span, why: &str) -> Diagnostic {
    Diagnostic::error("E0321", format!("{what} cannot use a sensitive variable"), span)
        .label("reads a variable marked `sensitive = true`")
        .help(format!("{why}; use a variable that is not sensitive"))
}

/// Whether `KIND.NAME[.ATTR]` reads a secret: an attribute the schema
/// marks sensitive (an SSM parameter's value), or a value that came from a
/// sensitive variable (a bare reference reads the identity, which never
/// does).
fn reads_sensitive(kind: Kind, body: &DesiredBody, attr: Option<&str>) -> bool {
    attr.is_some_and(|a| body.sensitive.contains(a) || kind.schema().attr(a).is_some_and(|s| s.sensitive))
}

/// What `KIND.NAME[.ATTR]` means for one instance: declared values are known
/// now; computed ones (and the bare reference, its identity) after apply.
fn instance_value(address: Address, body: &DesiredBody, attr: Option<&str>) -> DesiredValue {
    let schema = address.kind.schema();
    let attr_name = attr.unwrap_or(schema.identity);
    if let Some((from, deferred)) = crate::stack::derived(address.kind, attr_name) {
        // Known now (a record's declared name): computed now.
        return match instance_value(address, body, Some(from)) {
            DesiredValue::Known(v) => DesiredValue::Known(deferred.compute(&[v])),
            from => DesiredValue::Call(deferred, vec![from]),
        };
    }
    let Some(attr) = schema.attr(attr_name) else {
        return DesiredValue::Known(Value::Null);
    };
    // A name left out is berth's to choose: known once the resource exists.
    let named_by_berth = attr.presence == Presence::Named && body.value(attr_name).is_none();
    if attr.presence == Presence::Computed || named_by_berth {
        return DesiredValue::Ref(RefTarget {
            address,
            attr: attr_name.to_owned(),
        });
    }
    match (body.value(attr_name), attr.presence) {
        (Some(v), _) => v.clone(),
        (None, Presence::Default(lit)) => DesiredValue::Known(lit.into()),
        _ => DesiredValue::Known(Value::Null),
    }
}

/// The spans of the lines of the heredoc written at `span`, between its
/// `<<MARKER` line and its closing marker; none for other text.
fn heredoc_lines(sources: &Sources, span: Span) -> Vec<Span> {
    let Some(file) = sources.try_get(span.file) else {
        return Vec::new();
    };
    if !file.text.get(span.start..).is_some_and(|t| t.starts_with("<<")) {
        return Vec::new();
    }
    let (first, last) = (
        file.line_index(span.start) + 1,
        file.line_index(span.end.saturating_sub(1)),
    );
    (first..last)
        .filter_map(|i| file.line_range(i))
        .map(|r| Span::new(span.file, r.start, r.end.min(span.end)))
        .map(|s| {
            let text = &file.text[s.start..s.end];
            Span::new(
                s.file,
                s.start,
                s.start + text.trim_end_matches(['\n', '\r']).len(),
            )
        })
        .collect()
}

/// Whether `e` is a string of one interpolation, `"${...}"`.
fn is_interpolation(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::String(parts) if matches!(parts.as_slice(), [StrPart::Interp(_)]))
}

fn unknown_operand(span: Span) -> Diagnostic {
    Diagnostic::error("E0327", "operators need values known before apply", span)
        .label("only AWS knows this value before apply")
        .help("operators run at plan time, like functions: use constants, variables, lookups or declared attributes (outputs may use any value)")
}

/// What a name bound by a `for` expression or a `dynamic` block stands for.
#[derive(Clone)]
enum Binding {
    Value(DesiredValue),
    /// One instance of a repeated resource: `s.id` reads its attribute.
    Instance(Address),
}

/// What one element of a `for` expression makes.
enum Made {
    /// Its condition is false.
    Skipped,
    /// Its condition or key is known only once a plan reads it: so is the
    /// whole result.
    Unknown,
    Item(DesiredValue),
    /// A map entry.
    Entry(String, DesiredValue),
    /// A map entry whose key (at the span) is known only after apply: an
    /// error in a map, taken by a dynamic block, whose blocks it does not
    /// name.
    Keyless(DesiredValue, Span),
}

/// A dynamic block's elements from a `for` some of whose keys are known
/// only after apply (`{ for lb in var.lbs : lb.target_group_arn => lb }`),
/// in the order written, as Terraform plans them: the blocks are unnamed,
/// and a key not known yet reads as known after apply.
fn keyless_pairs(made: Vec<Made>) -> Vec<(Value, DesiredValue)> {
    made.into_iter()
        .filter_map(|m| match m {
            Made::Entry(k, v) => Some((Value::String(k), v)),
            Made::Keyless(v, _) | Made::Item(v) => Some((Value::Unknown, v)),
            Made::Skipped | Made::Unknown => None,
        })
        .collect()
}

/// The value an expression of constants writes (`256`, `"x"`, `[1, 2]`,
/// `{ a = true }`, in parentheses or not), read before evaluation (an
/// `optional` attribute's default, a lifecycle policy's JSON); `None` for
/// anything else.
pub(crate) fn constant(e: &Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Int(i) => Value::Int(*i),
        ExprKind::Decimal(d) => Value::number(*d),
        ExprKind::String(parts) => match parts.as_slice() {
            [] => Value::String(String::new()),
            [StrPart::Lit(s)] => Value::String(s.clone()),
            _ => return None,
        },
        ExprKind::List(items) => Value::List(items.iter().map(constant).collect::<Option<_>>()?),
        ExprKind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|en| match en.key.computed {
                    Some(_) => None,
                    None => Some((en.key.name.clone(), constant(&en.value)?)),
                })
                .collect::<Option<_>>()?,
        ),
        ExprKind::Paren(inner) => constant(inner)?,
        _ => return None,
    })
}

/// Whether `e` is a constant written out: no variable, reference or call.
fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Decimal(_) => true,
        ExprKind::String(parts) => parts.iter().all(|p| matches!(p, StrPart::Lit(_))),
        ExprKind::List(items) => items.iter().all(is_literal),
        ExprKind::Map(entries) => entries
            .iter()
            .all(|en| en.key.computed.is_none() && is_literal(&en.value)),
        _ => false,
    }
}
