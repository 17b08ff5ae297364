//! Resolves every name an expression uses (`var.x`, `each.key`,
//! `KIND.NAME.ATTR`, function names) and finds reference cycles.

use std::collections::BTreeMap;

use berth_provider::Kind;
use berth_provider::schema::{Presence, Type, Update};
use petgraph::graphmap::DiGraphMap;

use super::declare::{COUNT, DEPENDS_ON, LIFECYCLE, Module, ResourceDecl};
use super::ignore_changes::IGNORE_CHANGES;
use crate::diagnostic::Diagnostic;
use crate::eval::functions;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{
    Block, Expr, ExprKind, ForExpr, ForResult, Ident, Item, Label, Step, StrPart, Traversal,
};

type Node<'a> = (Kind, &'a str);

/// Terraform's `path.module` / `path.root`: the stack's directory.
pub const PATH: &str = "path";
/// `stack.name`: the stack's name (CloudFormation's `AWS::StackName`).
pub const STACK: &str = "stack";

/// Where an expression sits, which decides the names it may use.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// A variable's default: constants only.
    Constant,
    /// The stack block: variables only.
    Stack,
    /// An output's value: variables and resources, without making a
    /// dependency (outputs are read after apply).
    Output,
    /// A lookup's filters: variables and other lookups, known at plan time.
    /// `counted`: it has a `count`, already refused (E0591), so its
    /// `count.index` is not a second error.
    Data { counted: bool },
    /// A resource body; `each` only when the resource has `for_each`.
    /// `itself`: where a reference to the resource itself is no cycle.
    Resource {
        decl: &'a ResourceDecl<'a>,
        each: bool,
        itself: Itself,
    },
}

/// Whether a place in a resource's body may refer to the resource itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Itself {
    /// No: that is a cycle.
    No,
    /// A security group rule's `from`: AWS creates the group, then lets it
    /// allow itself; a reference to another group here may close a cycle
    /// too (berth adds such rules once both groups exist).
    RuleSource,
    /// A setting AWS changes in place: berth creates the resource without
    /// it, then sets it to what reads the resource's id, ARN or name.
    InPlaceSetting,
    /// A policy document AWS changes in place (what Terraform writes as a
    /// separate policy resource): as [`Itself::InPlaceSetting`], and a
    /// reference to what another resource's create settles may close a
    /// cycle too (a queue's policy naming the topic that delivers to it).
    InPlacePolicy,
}

/// One resource referring to another.
#[derive(Debug, Clone, Copy)]
struct Edge {
    /// The first reference written.
    span: Span,
    /// Every reference along this edge may wait until after the create: a
    /// security group rule's `from`, or a policy document AWS changes in
    /// place reading what the other resource's create settles (its id,
    /// ARN, name). Such an edge may close a cycle: berth creates the resource
    /// without those rules or settings, then adds them once the other
    /// exists.
    deferrable: bool,
}

/// Checks every reference; returns each resource's direct dependencies.
/// A deferrable reference ([`Edge::deferrable`]: a security group rule
/// naming a group, a queue's policy naming a topic) to a resource that
/// (through any references) refers back is no dependency: berth creates
/// both, then adds the rule or setting.
pub fn resolve<'a>(module: &'a Module<'a>, diags: &mut Vec<Diagnostic>) -> BTreeMap<Node<'a>, Vec<Node<'a>>> {
    let before = diags.len();
    let mut r = Resolver {
        module,
        graph: DiGraphMap::new(),
        diags,
        bound: Vec::new(),
    };
    // Each local once on its own, so a problem in one nobody reads shows.
    for local in module.locals.values() {
        r.walk(&local.value, Scope::Output);
    }
    for var in module.variables.values() {
        if let Some(default) = var.default {
            r.walk(default, Scope::Constant);
        }
    }
    if let Some(stack) = &module.stack {
        if let Some(name) = stack.name {
            r.walk(name, Scope::Stack);
        }
        r.walk_body(stack.block, Scope::Stack);
    }
    for decl in module.resources.values() {
        r.graph.add_node((decl.kind, decl.name.as_str()));
        for item in decl.blocks().flat_map(|b| &b.body) {
            match item {
                // Names of the resource's own attributes, not references.
                Item::Attribute(a) if a.name.name == IGNORE_CHANGES => {}
                Item::Block(b) if b.kind.name == LIFECYCLE => {
                    let scope = Scope::Resource {
                        decl,
                        each: decl.for_each.is_some(),
                        itself: Itself::No,
                    };
                    for item in &b.body {
                        if let Item::Attribute(a) = item
                            && a.name.name != IGNORE_CHANGES
                        {
                            r.walk(&a.value, scope);
                        }
                    }
                }
                Item::Attribute(a) if a.name.name == DEPENDS_ON => {
                    if let Some(items) = dependencies(&a.value, r.diags) {
                        let scope = Scope::Resource {
                            decl,
                            each: decl.for_each.is_some(),
                            itself: Itself::No,
                        };
                        items.iter().for_each(|e| r.walk(e, scope));
                    }
                }
                Item::Attribute(a) if a.name.name == "for_each" || a.name.name == COUNT => {
                    r.walk(
                        &a.value,
                        Scope::Resource {
                            decl,
                            each: false,
                            itself: Itself::No,
                        },
                    );
                }
                Item::Attribute(a) => {
                    let scope = Scope::Resource {
                        decl,
                        each: decl.for_each.is_some(),
                        itself: if may_read_itself(decl.kind, &a.name.name) {
                            if decl
                                .kind
                                .schema()
                                .attr(&a.name.name)
                                .is_some_and(|s| s.ty == Type::Document)
                            {
                                Itself::InPlacePolicy
                            } else {
                                Itself::InPlaceSetting
                            }
                        } else {
                            Itself::No
                        },
                    };
                    r.walk(&a.value, scope);
                }
                Item::Block(b) => {
                    let scope = Scope::Resource {
                        decl,
                        each: decl.for_each.is_some(),
                        itself: Itself::No,
                    };
                    r.walk_body(b, scope);
                }
            }
        }
    }
    for decl in module.data.values() {
        let counted = decl
            .block
            .body
            .iter()
            .any(|i| matches!(i, Item::Attribute(a) if a.name.name == COUNT));
        r.walk_body(decl.block, Scope::Data { counted });
    }
    for output in module.outputs.values() {
        r.walk(output.value, Scope::Output);
        if let Some(sensitive) = output.sensitive {
            r.walk(sensitive, Scope::Constant);
        }
    }
    let Resolver { mut graph, diags, .. } = r;
    defer_closing_edges(&mut graph);
    report_cycles(&graph, diags);
    // A local read in several places is walked in each: one report each.
    let mut seen = Vec::new();
    let mut found = diags.split_off(before);
    found.retain(|d| {
        let new = !seen.contains(d);
        if new {
            seen.push(d.clone());
        }
        new
    });
    diags.extend(found);
    module
        .resources
        .values()
        .map(|d| {
            let node = (d.kind, d.name.as_str());
            (node, graph.neighbors(node).collect())
        })
        .collect()
}

/// The resources a `depends_on` lists (E0333 unless it is a list of
/// `KIND.NAME` or `KIND.NAME[KEY]`, or of lookups, `data.KIND.NAME`). A variable or a local (`var.NAME`,
/// Terraform 0.12 modules' `depends_on = [var.module_depends_on]`) is a
/// dependency on what its value reads: a variable reads no resource.
fn dependencies<'e>(value: &'e Expr, diags: &mut Vec<Diagnostic>) -> Option<&'e [Expr]> {
    let bad = |span| {
        Diagnostic::error("E0333", "`depends_on` lists resources", span)
            .label("not `KIND.NAME`")
            .help("write `depends_on = [role.task, service.app]`: the resources themselves (or a variable or local holding them), not their attributes")
    };
    let ExprKind::List(items) = &value.kind else {
        diags.push(bad(value.span));
        return None;
    };
    let mut fine = true;
    for item in items {
        let whole = matches!(&item.kind, ExprKind::Traversal(t)
            if t.root.name.parse::<Kind>().is_ok()
                && matches!(t.steps.as_slice(), [Step::Attr(_)] | [Step::Attr(_), Step::Index(_)])
            || matches!(t.root.name.as_str(), "var" | super::locals::LOCAL) && matches!(t.steps.as_slice(), [Step::Attr(_)])
            // A lookup: read before anything is applied, so waiting for
            // it is already so (lesscode's `depends_on = [data.aws_ecs_cluster.ecs]`).
            || t.root.name == crate::syntax::DATA
                && matches!(t.steps.as_slice(), [Step::Attr(_), Step::Attr(_)] | [Step::Attr(_), Step::Attr(_), Step::Index(_)]));
        // `KIND.NAME` of no kind the stack declares: a stale name of a
        // resource folded away or never written (Firecrown's module names
        // an attachment it does not declare).
        let undeclared = match &item.kind {
            ExprKind::Traversal(t) => match t.steps.as_slice() {
                [Step::Attr(name)] | [Step::Attr(name), Step::Index(_)] if !whole => {
                    Some(format!("{}.{}", t.root.name, name.name))
                }
                _ => None,
            },
            _ => None,
        };
        match undeclared {
            Some(named) => diags.push(
                Diagnostic::error(
                    "E0333",
                    format!("`depends_on` names `{named}`, which is not declared"),
                    item.span,
                )
                .label("no such resource in the stack")
                .help("name a resource the stack declares, or leave it out"),
            ),
            None if !whole => diags.push(bad(item.span)),
            None => {}
        }
        fine &= whole;
    }
    fine.then_some(items.as_slice())
}

/// Walks expressions, collecting references and diagnostics.
struct Resolver<'a, 'd> {
    module: &'a Module<'a>,
    graph: DiGraphMap<Node<'a>, Edge>,
    diags: &'d mut Vec<Diagnostic>,
    /// Names `for` expressions and `dynamic` blocks bind where the walk
    /// is, innermost last.
    bound: Vec<Bound<'a>>,
}

/// A name bound by a `for` expression or a `dynamic` block.
#[derive(Clone, Copy)]
struct Bound<'a> {
    name: &'a str,
    what: Binds,
}

/// What a bound name stands for, which decides what may follow it.
#[derive(Clone, Copy)]
enum Binds {
    /// A `for` expression's key or element: any value.
    Value,
    /// A `for` expression's element over a repeated resource's instances:
    /// `s.id` reads one instance's attribute.
    Instance(Kind),
    /// A `dynamic` block's element: `.key` and `.value`.
    Iterator,
}

impl<'a> Resolver<'a, '_> {
    fn walk_body(&mut self, block: &'a Block, scope: Scope<'a>) {
        self.walk_named(block, &block.kind.name, scope);
    }

    /// Walks `block` as a block named `name`: a `dynamic` block's
    /// `content` is the block its label names (a rule's `self = true`
    /// there is the group's own id, as in the rule block).
    fn walk_named(&mut self, block: &'a Block, name: &str, scope: Scope<'a>) {
        if block.kind.name == super::dynamic::DYNAMIC
            && let Some(d) = super::dynamic::parts(block, &mut Vec::new())
        {
            self.walk(d.for_each, scope);
            self.bound.push(Bound {
                name: d.iterator,
                what: Binds::Iterator,
            });
            self.walk_named(d.content, d.name, scope);
            self.bound.pop();
            return;
        }
        if let Some(Label::String(e)) = &block.label {
            self.walk(e, scope);
        }
        for item in &block.body {
            match item {
                // The name a `dynamic` block's content calls its element.
                Item::Attribute(a)
                    if block.kind.name == super::dynamic::DYNAMIC && a.name.name == "iterator" => {}
                Item::Attribute(a) => {
                    let scope = match scope {
                        Scope::Resource { decl, each, .. }
                            if is_group_rule_source(decl, name, &a.name.name) =>
                        {
                            Scope::Resource {
                                decl,
                                each,
                                itself: Itself::RuleSource,
                            }
                        }
                        _ => scope,
                    };
                    self.walk(&a.value, scope);
                }
                Item::Block(b) => self.walk_body(b, scope),
            }
        }
    }

    /// A local's expression in its reader's place: the names bound there
    /// are not the local's.
    fn walk_local(&mut self, expr: &'a Expr, scope: Scope<'a>) {
        let outer = std::mem::take(&mut self.bound);
        self.walk(expr, scope);
        self.bound = outer;
    }

    /// A `for` expression: its collection, then its result and condition
    /// with its names bound.
    fn for_expr(&mut self, f: &'a ForExpr, scope: Scope<'a>) {
        self.walk(&f.collection, scope);
        super::for_expr::check_names(f, self.diags);
        let shadowed = match &f.collection.kind {
            ExprKind::Traversal(t) => self.bound.iter().any(|b| b.name == t.root.name),
            _ => false,
        };
        let element = match super::for_expr::repeated_resource(self.module, &f.collection) {
            Some(decl) if !shadowed => Binds::Instance(decl.kind),
            _ => Binds::Value,
        };
        let mark = self.bound.len();
        if let Some(key) = &f.key {
            self.bound.push(Bound {
                name: &key.name,
                what: Binds::Value,
            });
        }
        self.bound.push(Bound {
            name: &f.value.name,
            what: element,
        });
        match &f.result {
            ForResult::List(value) => self.walk(value, scope),
            ForResult::Map { key, value, .. } => {
                self.walk(key, scope);
                self.walk(value, scope);
            }
        }
        if let Some(cond) = &f.cond {
            self.walk(cond, scope);
        }
        self.bound.truncate(mark);
    }

    /// A reference to a bound name: what may follow it.
    fn bound_ref(&mut self, what: Binds, t: &Traversal, span: Span) {
        let root = t.root.name.as_str();
        match what {
            Binds::Value => {}
            Binds::Iterator => {
                if !matches!(first_attr(t).map(|i| i.name.as_str()), Some("key" | "value")) {
                    self.diags.push(
                        Diagnostic::error(
                            "E0302",
                            format!("`{root}` has only `{root}.key` and `{root}.value`"),
                            span,
                        )
                        .label("not `.key` or `.value`"),
                    );
                }
            }
            Binds::Instance(kind) => {
                let mut rest = t.steps.as_slice();
                let mut read = None;
                if let Some(Step::Attr(attr)) = rest.first() {
                    self.check_attr(kind, attr);
                    rest = &rest[1..];
                    read = Some(attr.name.as_str());
                }
                if !rest.is_empty() && !is_collection(kind, read) {
                    extra_steps(span, self.diags);
                }
            }
        }
    }

    fn walk(&mut self, expr: &'a Expr, scope: Scope<'a>) {
        match &expr.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Decimal(_) => {}
            ExprKind::String(parts) => {
                for part in parts {
                    if let StrPart::Interp(e) = part {
                        self.walk(e, scope);
                    }
                }
            }
            ExprKind::List(items) => items.iter().for_each(|e| self.walk(e, scope)),
            ExprKind::For(f) => self.for_expr(f, scope),
            ExprKind::Postfix(base, steps) => {
                self.walk(base, scope);
                for step in steps {
                    if let Step::Index(e) = step {
                        self.walk(e, scope);
                    }
                }
            }
            ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => self.walk(inner, scope),
            ExprKind::Binary(_, lhs, rhs) => {
                self.walk(lhs, scope);
                self.walk(rhs, scope);
            }
            ExprKind::Conditional(cond, then, otherwise) => {
                for e in [cond, then, otherwise] {
                    self.walk(e, scope);
                }
            }
            ExprKind::Map(entries) => entries.iter().for_each(|e| {
                if let Some(key) = &e.key.computed {
                    self.walk(key, scope);
                }
                self.walk(&e.value, scope)
            }),
            ExprKind::Call(call) => {
                if !functions::NAMES.contains(&call.name.name.as_str()) {
                    let d = Diagnostic::error(
                        "E0307",
                        format!("unknown function `{}`", call.name.name),
                        call.name.span,
                    )
                    .label("no such function");
                    // Terraform 0.11's constructors, removed in 0.15.
                    let removed = match call.name.name.as_str() {
                        "map" => Some(
                            "Terraform 0.11's `map(k, v, ...)` is `{ k = v, ... }` (or `tomap({ ... })`)",
                        ),
                        "list" => {
                            Some("Terraform 0.11's `list(a, b, ...)` is `[a, b, ...]` (or `tolist([...])`)")
                        }
                        _ => None,
                    };
                    self.diags.push(
                        match (
                            removed,
                            did_you_mean(&call.name.name, functions::NAMES.iter().copied()),
                        ) {
                            (Some(h), _) => d.help(h),
                            (None, Some(h)) => d.help(h),
                            (None, None) => d.help(format!("functions: {}", functions::NAMES.join(", "))),
                        },
                    );
                }
                call.args.iter().for_each(|e| self.walk(e, scope));
            }
            ExprKind::Traversal(t) => {
                for step in &t.steps {
                    if let Step::Index(e) = step {
                        self.walk(e, scope);
                    }
                }
                self.traversal(t, expr.span, scope);
            }
        }
    }

    fn traversal(&mut self, t: &'a Traversal, span: Span, scope: Scope<'a>) {
        let root = t.root.name.as_str();
        if let Some(bound) = self.bound.iter().rev().find(|b| b.name == root) {
            self.bound_ref(bound.what, t, span);
            return;
        }
        match root {
            "var" => {
                let Some(name) = first_attr(t) else {
                    self.diags.push(
                        Diagnostic::error("E0301", "`var` needs a variable name", span)
                            .help("write `var.NAME`"),
                    );
                    return;
                };
                if matches!(scope, Scope::Constant) {
                    self.diags.push(constant_only(span));
                } else if !self.module.variables.contains_key(&name.name) {
                    let d =
                        Diagnostic::error("E0301", format!("unknown variable `{}`", name.name), name.span)
                            .label("no `variable` block declares it");
                    self.diags.push(
                        match did_you_mean(&name.name, self.module.variables.keys().map(String::as_str)) {
                            Some(h) => d.help(h),
                            None => d.help(format!(
                                "declare it: `variable {} {{ default = ... }}`",
                                name.name
                            )),
                        },
                    );
                }
            }
            super::locals::LOCAL => {
                let Some(name) = first_attr(t) else {
                    self.diags.push(
                        Diagnostic::error("E0301", "`local` needs a name", span).help("write `local.NAME`"),
                    );
                    return;
                };
                let Some(local) = self.module.locals.get(&name.name) else {
                    let d = Diagnostic::error("E0301", format!("unknown local `{}`", name.name), name.span)
                        .label("no `locals` block declares it");
                    self.diags.push(
                        match did_you_mean(&name.name, self.module.locals.keys().map(String::as_str)) {
                            Some(h) => d.help(h),
                            None => d.help(format!("declare it: `locals {{ {} = ... }}`", name.name)),
                        },
                    );
                    return;
                };
                match scope {
                    Scope::Constant => self.diags.push(constant_only(span)),
                    // The reader depends on what the local reads; a local has no
                    // `each` of its own.
                    _ if self.module.local_cycles.contains(&name.name) => {}
                    // A local of constants and variables is as good as they
                    // are (`tags = { Project = local.project }`, Terraform's
                    // `default_tags`); what else it reads is refused where
                    // it is read.
                    Scope::Stack => self.walk_local(&local.value, scope),
                    Scope::Resource { decl, .. } => {
                        let scope = Scope::Resource {
                            decl,
                            each: false,
                            itself: Itself::No,
                        };
                        self.walk_local(&local.value, scope);
                    }
                    _ => self.walk_local(&local.value, scope),
                }
            }
            PATH => {
                let wrong = || {
                    Diagnostic::error("E0302", "`path` has only `path.module` and `path.root`", span)
                        .label("not `path.module` or `path.root`")
                        .help("both are the stack's directory, which `file()` paths start from")
                };
                self.builtin(t, span, scope, &["module", "root"], wrong);
            }
            STACK => {
                if matches!(scope, Scope::Stack) {
                    self.diags.push(
                        Diagnostic::error("E0310", "the stack block cannot read its own name", span)
                            .label("`stack.name` is what this block gives"),
                    );
                    return;
                }
                let wrong = || {
                    Diagnostic::error("E0302", "`stack` has only `stack.name`", span)
                        .label("not `stack.name`")
                        .help("the stack's name, as its `stack` block gives it (CloudFormation's `AWS::StackName`); its region is `data.region.NAME.name`")
                };
                self.builtin(t, span, scope, &["name"], wrong);
            }
            COUNT => {
                let counted = match scope {
                    Scope::Resource { decl, each, .. } => each && decl.counted,
                    Scope::Data { counted } => counted,
                    _ => false,
                };
                if !counted {
                    self.diags.push(
                        Diagnostic::error(
                            "E0302",
                            "`count` is only available in a resource with `count`",
                            span,
                        )
                        .label("no `count` here")
                        .help("add `count = N` to the resource"),
                    );
                } else if first_attr(t).map(|i| i.name.as_str()) != Some("index") || t.steps.len() > 1 {
                    self.diags.push(
                        Diagnostic::error("E0302", "`count` has only `count.index`", span)
                            .label("not `count.index`"),
                    );
                }
            }
            "each" => {
                let ok_scope = matches!(scope, Scope::Resource { each: true, .. });
                let step = first_attr(t).map(|i| i.name.as_str());
                if !ok_scope {
                    self.diags.push(
                        Diagnostic::error(
                            "E0302",
                            "`each` is only available in a resource with `for_each`",
                            span,
                        )
                        .label("no `for_each` here")
                        .help("add `for_each = [...]` to the resource, or use a variable"),
                    );
                } else if !matches!(step, Some("key" | "value")) || (step == Some("key") && t.steps.len() > 1)
                {
                    self.diags.push(
                        Diagnostic::error("E0302", "`each` has only `each.key` and `each.value`", span)
                            .label("not `each.key` or `each.value`"),
                    );
                }
            }
            crate::syntax::DATA => match scope {
                Scope::Constant => self.diags.push(constant_only(span)),
                Scope::Stack => self.diags.push(
                    Diagnostic::error("E0310", "the stack block cannot refer to lookups", span)
                        .label("a lookup reference")
                        .help("use variables in the stack's name and region"),
                ),
                // A lookup's value is known at plan time: no dependency.
                _ => {
                    super::lookups::resolve(self.module, t, span, self.diags);
                }
            },
            // A `dynamic` block's element read outside its `content` (not a
            // resource of the kind it is named for: `dynamic
            // "load_balancer"` beside `depends_on = [lb.main]`).
            _ if root.parse::<Kind>().is_err()
                && matches!(scope, Scope::Resource { decl, .. } if decl.blocks().any(|b| super::dynamic::iterators(b).contains(&root))) =>
            {
                self.diags.push(
                    Diagnostic::error(
                        "E0302",
                        format!("`{root}` is only known inside its `dynamic` block's `content`"),
                        span,
                    )
                    .label("outside `content`")
                    .help("read the element in the `content { ... }` of the `dynamic` block that names it"),
                );
            }
            _ => match root.parse::<Kind>() {
                Ok(kind) => self.resource_ref(kind, t, span, scope),
                Err(_) => {
                    let names = Kind::ALL.iter().map(|k| k.keyword()).chain([
                        "var",
                        "each",
                        PATH,
                        STACK,
                        COUNT,
                        super::locals::LOCAL,
                        crate::syntax::DATA,
                    ]);
                    // Terraform's type of one of berth's kinds, of a name
                    // no block declares (a typo): say so, as E0303 does.
                    if let Some(kind) =
                        crate::check::terraform_names::berth_kind(root).and_then(|k| k.parse::<Kind>().ok())
                        && let Some(name) = first_attr(t)
                    {
                        self.undeclared(
                            kind,
                            &name.name,
                            t.root.span.to(name.span),
                            (
                                format!("aws_{root}.{}", name.name),
                                format!("resource \"aws_{root}\" \"{}\" {{ ... }}", name.name),
                            ),
                        );
                        return;
                    }
                    // A block of that kind was refused already (E0101).
                    if self.module.refused.contains(root) {
                        return;
                    }
                    let d = Diagnostic::error("E0306", format!("unknown name `{root}`"), t.root.span)
                        .label("not a variable, `each` or resource kind");
                    self.diags.push(match did_you_mean(root, names) {
                        // Terraform's attachments and scaling resources,
                        // folded into the resource they name.
                        _ if crate::desugar::takes_kind(root) => d.label("folded into the resource it attaches to").help(format!(
                            "berth writes a `{root}` as settings of the resource it names, so it has no address to read: read that resource's attributes, or name it in `depends_on`"
                        )),
                        // Terraform's `terraform.workspace`, in names.
                        _ if root == "terraform" => d.help(
                            "berth has no workspaces: each environment is a stack of its own (`stack.name` reads its name), or a variable (`var.environment`)",
                        ),
                        Some(h) => d.help(h),
                        None => d.help("references are written `KIND.NAME`, `KIND.NAME.ATTRIBUTE` or `var.NAME`; strings need quotes"),
                    });
                }
            },
        }
    }

    /// E0303: no `kind` of `name` is declared where a reference, written
    /// and declared as `(written, declaration)`, names one.
    fn undeclared(&mut self, kind: Kind, name: &str, span: Span, (written, declaration): (String, String)) {
        let d = Diagnostic::error("E0303", format!("no {kind} named `{name}`"), span)
            .label(format!("`{written}` is not declared"));
        let declared = self
            .module
            .resources
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.as_str());
        self.diags.push(match did_you_mean(name, declared) {
            Some(h) => d.help(h),
            None => d.help(format!("declare it: `{declaration}`")),
        });
    }

    /// E0305 for an attribute `kind` has not.
    fn check_attr(&mut self, kind: Kind, attr: &Ident) {
        let schema = kind.schema();
        if schema.attr(&attr.name).is_some() || crate::stack::derived(kind, &attr.name).is_some() {
            return;
        }
        let d = Diagnostic::error(
            "E0305",
            format!("`{kind}` has no attribute `{}`", attr.name),
            attr.span,
        )
        .label("unknown attribute");
        self.diags.push(
            match did_you_mean(&attr.name, schema.attrs.iter().map(|a| a.name)) {
                Some(h) => d.help(h),
                None => d.help(format!(
                    "readable attributes: {}",
                    schema.attrs.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
                )),
            },
        );
    }

    /// A built-in name of one step (`path.module`, `stack.name`): one of
    /// `steps`, else `wrong()`; not in a variable's default.
    fn builtin(
        &mut self,
        t: &Traversal,
        span: Span,
        scope: Scope<'_>,
        steps: &[&str],
        wrong: impl FnOnce() -> Diagnostic,
    ) {
        let ok = first_attr(t).is_some_and(|i| steps.contains(&i.name.as_str())) && t.steps.len() == 1;
        if matches!(scope, Scope::Constant) {
            self.diags.push(constant_only(span));
        } else if !ok {
            self.diags.push(wrong());
        }
    }

    fn resource_ref(&mut self, kind: Kind, t: &'a Traversal, span: Span, scope: Scope<'a>) {
        let Some(name) = first_attr(t) else {
            self.diags.push(
                Diagnostic::error("E0303", format!("`{kind}` needs a resource name"), span)
                    .help(format!("write `{kind}.NAME`")),
            );
            return;
        };
        let Some(target) = self.module.resources.get(&(kind, name.name.clone())) else {
            let written = (
                format!("{kind}.{}", name.name),
                format!("{kind} {} {{ ... }}", name.name),
            );
            self.undeclared(kind, &name.name, span, written);
            return;
        };
        let mut rest = &t.steps[1..];
        // `KIND.NAME[*].ATTR` is `KIND.NAME.ATTR` of a repeated resource: the
        // list of every instance's; of a single one, the list of it (as
        // Terraform makes it).
        if let Some(Step::Splat(_)) = rest.first() {
            rest = &rest[1..];
        } else if let Some(Step::Index(index)) = rest.first() {
            if target.for_each.is_none() {
                self.diags.push(
                    Diagnostic::error(
                        "E0304",
                        format!("`{kind}.{}` is not repeated with `for_each`", name.name),
                        index.span,
                    )
                    .label("cannot index a single resource")
                    .also(target.block.kind.span, "declared here without `for_each`")
                    .help("remove the `[...]`"),
                );
            }
            rest = &rest[1..];
        }
        let read = match rest.first() {
            Some(Step::Attr(attr)) => {
                self.check_attr(kind, attr);
                rest = &rest[1..];
                Some(attr.name.as_str())
            }
            _ => None,
        };
        if !rest.is_empty() && !is_collection(kind, read) {
            extra_steps(span, self.diags);
        }
        match scope {
            Scope::Resource {
                decl, itself: place, ..
            } => {
                let itself = (decl.kind, decl.name.as_str()) == (kind, name.name.as_str())
                    && settled_by_create(kind, read);
                if !(itself && place != Itself::No) {
                    let deferrable = match place {
                        Itself::No | Itself::InPlaceSetting => false,
                        Itself::RuleSource => true,
                        Itself::InPlacePolicy => settled_by_create(kind, read),
                    };
                    let (from, to) = ((decl.kind, decl.name.as_str()), (kind, name.name.as_str()));
                    match self.graph.edge_weight_mut(from, to) {
                        Some(edge) => edge.deferrable &= deferrable,
                        None => {
                            self.graph.add_edge(from, to, Edge { span, deferrable });
                        }
                    }
                }
            }
            Scope::Output => {}
            Scope::Data { .. } => self.diags.push(
                Diagnostic::error("E0595", "a lookup's filters cannot refer to the stack's resources", span)
                    .label("known only once the stack is applied")
                    .help("lookups run at plan time: filter with constants, variables or other lookups (`vpc = data.vpc.main`)"),
            ),
            Scope::Constant => self.diags.push(constant_only(span)),
            Scope::Stack => self.diags.push(
                Diagnostic::error("E0310", "the stack block cannot refer to resources", span)
                    .label("a resource reference")
                    .help("use variables in the stack's name and region"),
            ),
        }
    }
}

/// Whether attribute `attr` of the block named `block` is the `from` of a
/// security group's own `ingress` or `egress` rule.
fn is_group_rule_source(decl: &ResourceDecl<'_>, block: &str, attr: &str) -> bool {
    decl.kind.stands_for() == Kind::SecurityGroup && matches!(block, "ingress" | "egress") && attr == "from"
}

/// A setting of the resource itself that AWS changes in place and that may
/// be left out (a topic's or a bucket's `policy`): it may read what the
/// resource's create settles (its id, ARN, name), as Terraform's separate
/// policy resources do. berth creates the resource without the setting,
/// then sets it.
fn may_read_itself(kind: Kind, attr: &str) -> bool {
    kind.schema().attr(attr).is_some_and(|a| {
        a.update == Update::InPlace
            && matches!(
                a.presence,
                Presence::Optional | Presence::ChosenByAws | Presence::Default(_)
            )
    })
}

/// Whether reading `attr` (none: the resource's identity) of a resource
/// reads what its create settles, known once it exists.
fn settled_by_create(kind: Kind, attr: Option<&str>) -> bool {
    attr.is_none_or(|a| {
        kind.schema()
            .attr(a)
            .is_some_and(|a| matches!(a.presence, Presence::Computed | Presence::Named))
    })
}

fn first_attr(t: &Traversal) -> Option<&Ident> {
    match t.steps.first() {
        Some(Step::Attr(i)) => Some(i),
        _ => None,
    }
}

fn constant_only(span: Span) -> Diagnostic {
    Diagnostic::error("E0309", "a variable's default must be a constant", span)
        .label("a reference here")
        .help("defaults cannot refer to variables or resources")
}

/// Whether the attribute `attr` of `kind` is a list or map, which a
/// reference may read into (`aws_vpc.this.tags["Tier"]`,
/// `aws_lb.this.security_groups[0]`).
fn is_collection(kind: Kind, attr: Option<&str>) -> bool {
    attr.and_then(|a| kind.schema().attr(a))
        .is_some_and(|a| matches!(a.ty, Type::List(_) | Type::Set(_) | Type::Map(_)))
}

fn extra_steps(span: Span, diags: &mut Vec<Diagnostic>) {
    diags.push(
        Diagnostic::error("E0305", "this reference goes one step too far", span)
            .label("nothing to read past here")
            .help("references are `KIND.NAME`, `KIND.NAME.ATTRIBUTE` or `KIND.NAME[\"KEY\"].ATTRIBUTE`, and an element of a list or map attribute (`.tags[\"Team\"]`)"),
    );
}

/// Leaves out of `graph` the deferrable edges that would close a cycle
/// (taken in a stable order), so only other references can form one.
fn defer_closing_edges(graph: &mut DiGraphMap<Node<'_>, Edge>) {
    let mut rules: Vec<_> = graph
        .all_edges()
        .filter(|(_, _, e)| e.deferrable)
        .map(|(a, b, e)| (a, b, *e))
        .collect();
    rules.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
    for (a, b, _) in &rules {
        graph.remove_edge(*a, *b);
    }
    for (a, b, edge) in rules {
        if !petgraph::algo::has_path_connecting(&*graph, b, a, None) {
            graph.add_edge(a, b, edge);
        }
    }
}

fn report_cycles(graph: &DiGraphMap<Node<'_>, Edge>, diags: &mut Vec<Diagnostic>) {
    for scc in petgraph::algo::tarjan_scc(graph) {
        let cyclic = scc.len() > 1 || graph.contains_edge(scc[0], scc[0]);
        if !cyclic {
            continue;
        }
        let mut members = scc.clone();
        members.sort();
        // The shortest way round from the smallest member, so the message is
        // stable and names a real cycle.
        let start = members[0];
        let path = shortest_cycle(graph, start, &members);
        let text = path
            .iter()
            .chain(std::iter::once(&start))
            .map(|(k, n)| format!("{k}.{n}"))
            .collect::<Vec<_>>()
            .join(" -> ");
        let mut edges = path
            .iter()
            .zip(path.iter().skip(1).chain(std::iter::once(&start)));
        let Some((from, to)) = edges.next() else { continue };
        let Some(span) = graph.edge_weight(*from, *to).map(|e| e.span) else {
            continue;
        };
        let refers = |a: &Node<'_>, b: &Node<'_>| format!("{}.{} refers to {}.{}", a.0, a.1, b.0, b.1);
        let groups_only = path.iter().all(|(k, _)| k.stands_for() == Kind::SecurityGroup);
        let help = match path.as_slice() {
            [_] => {
                "a resource may read its own id, ARN or name only in a setting AWS changes in place (a `policy`); write this value out"
            }
            _ if groups_only => {
                "groups may allow each other through their rules' `from`, not refer to each other otherwise; remove one of these references"
            }
            _ => "resources cannot depend on each other in a circle; remove one of these references",
        };
        let mut d = Diagnostic::error("E0308", format!("reference cycle: {text}"), span)
            .label(refers(from, to))
            .help(help);
        for (a, b) in edges {
            if let Some(e) = graph.edge_weight(*a, *b) {
                d = d.also(e.span, refers(a, b));
            }
        }
        diags.push(d);
    }
}

/// Nodes of the shortest cycle through `start`, staying inside `members`.
fn shortest_cycle<'a>(
    graph: &DiGraphMap<Node<'a>, Edge>,
    start: Node<'a>,
    members: &[Node<'a>],
) -> Vec<Node<'a>> {
    let mut previous: BTreeMap<Node<'a>, Node<'a>> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        let mut next: Vec<Node<'a>> = graph.neighbors(at).filter(|n| members.contains(n)).collect();
        next.sort();
        for n in next {
            if n == start {
                let mut path = vec![at];
                while let Some(p) = previous.get(path.last().unwrap_or(&start)) {
                    path.push(*p);
                }
                path.reverse();
                if path.first() != Some(&start) {
                    path.insert(0, start);
                }
                path.dedup();
                return path;
            }
            if n != at && !previous.contains_key(&n) {
                previous.insert(n, at);
                queue.push_back(n);
            }
        }
    }
    vec![start]
}

#[cfg(test)]
mod tests {
    use crate::{Analysis, Options, Sources, analyze};
    use berth_provider::Kind;

    fn run(text: &str) -> Analysis {
        let mut sources = Sources::new();
        sources.add("main.berth", text);
        analyze(sources, Vec::new(), &Options::default())
    }

    fn codes(a: &Analysis) -> Vec<&str> {
        a.diagnostics.iter().map(|d| d.code).collect()
    }

    const VPC: &str = "vpc main { cidr = \"10.0.0.0/16\" }\n";

    /// Terraform reads into a resource's list and map attributes
    /// (`aws_vpc.this.tags["Tier"]`, `aws_lb.this.security_groups[0]`, a
    /// `for` over instances filtering on `s.tags.Tier`): E0305 before.
    #[test]
    fn a_list_or_map_attribute_is_read_into() {
        let a = run(r#"
vpc this {
  cidr = "10.0.0.0/16"
  tags = { Tier = "core" }
}
subnet all {
  for_each = { a = "public", b = "private" }
  vpc      = vpc.this
  zone     = "us-east-1${each.key}"
  cidr     = cidrsubnet("10.0.0.0/16", 8, each.key == "a" ? 1 : 2)
  tags     = { Tier = each.value }
}
security_group lb { vpc = vpc.this }
log_group tier { name = vpc.this.tags["Tier"] }
log_group public { name = join(",", [for s in subnet.all : s.tags.Tier if s.tags["Tier"] == "public"]) }
locals { groups = { for i, g in [security_group.lb.id] : i => [g] } }
log_group first { name = local.groups[0][0] }
"#);
        assert_eq!(codes(&a), Vec::<&str>::new(), "{:#?}", a.diagnostics);
        let stack = a.stack.expect("valid");
        let name = |group: &str| {
            let r = stack
                .resource(&berth_provider::Address::new(Kind::LogGroup, group))
                .expect("declared");
            r.body.known("name").cloned()
        };
        assert_eq!(name("tier"), Some(berth_provider::Value::from("core")));
        assert_eq!(name("public"), Some(berth_provider::Value::from("public")));
        assert_eq!(name("first"), None, "the group's id, known after apply");
        let a = run(&format!("{VPC}log_group x {{ name = vpc.main.cidr[0] }}\n"));
        assert_eq!(codes(&a), ["E0305"], "a CIDR is no list");
    }

    #[test]
    fn depends_on_orders_without_a_value() {
        let a = run(
            "log_group first {}\nlog_group second {\n  depends_on = [log_group.first]\n}\n\
             route_table public { vpc = vpc.main }\n\
             route_table_association a {\n  subnet_id = subnet.a.id\n  route_table_id = route_table.public.id\n}\n\
             subnet a {\n  vpc = vpc.main\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}\n\
             log_group third {\n  depends_on = [route_table_association.a]\n}\n\
             vpc main { cidr = \"10.0.0.0/16\" }\n",
        );
        assert_eq!(codes(&a), Vec::<&str>::new());
        let stack = a.stack.expect("valid");
        let of = |name: &str| {
            stack
                .resources
                .iter()
                .find(|r| r.address.name == name)
                .expect("declared")
        };
        let second = of("second");
        assert!(second.depends_on.iter().any(|d| d.name == "first"));
        assert!(!second.body.attrs.contains_key("depends_on"));
        assert!(
            of("third")
                .depends_on
                .iter()
                .any(|d| d.kind == Kind::RouteTable && d.name == "public"),
            "an attachment's dependents wait for what it was folded into"
        );
    }

    #[test]
    fn depends_on_lists_resources_themselves() {
        for value in [
            "[log_group.first.arn]",
            "log_group.first",
            // Terraform 0.11's quoted reference is one (`desugar`); other
            // text is not.
            "[\"the first log group\"]",
        ] {
            let a = run(&format!(
                "log_group first {{}}\nlog_group second {{\n  depends_on = {value}\n}}\n"
            ));
            assert_eq!(codes(&a), ["E0333"], "{value}");
        }
        // A name no block declares (Firecrown's stale attachment).
        let a = run(
            "log_group first {}\nlog_group second {\n  depends_on = [iam_role_policy_attachment.gone]\n}\n",
        );
        assert_eq!(
            a.diagnostics
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>(),
            ["`depends_on` names `iam_role_policy_attachment.gone`, which is not declared"]
        );
    }

    #[test]
    fn a_group_rule_may_name_its_own_group() {
        let a = run(&format!(
            "{VPC}security_group db {{\n  vpc = vpc.main\n  ingress {{ port = 5432  from = security_group.db }}\n}}"
        ));
        assert_eq!(codes(&a), Vec::<&str>::new());
        let stack = a.stack.expect("valid");
        let db = &stack.resources[0];
        assert!(db.depends_on.iter().all(|d| d.name != "db"), "no edge to itself");
    }

    #[test]
    fn groups_may_allow_each_other_through_rules_only() {
        let group = |name: &str, other: &str| {
            format!(
                "security_group {name} {{\n  vpc = vpc.main\n  ingress {{ port = 1  from = security_group.{other} }}\n}}\n"
            )
        };
        let a = run(&format!(
            "{VPC}{}{}",
            group("api", "worker"),
            group("worker", "api")
        ));
        assert_eq!(codes(&a), Vec::<&str>::new());
        let stack = a.stack.expect("valid");
        // One rule is left out of the dependencies: it closes the cycle.
        let deps: usize = stack
            .resources
            .iter()
            .map(|r| {
                r.depends_on
                    .iter()
                    .filter(|d| d.kind == Kind::SecurityGroup)
                    .count()
            })
            .sum();
        assert_eq!(deps, 1);

        // Three groups in a ring of rules.
        let a = run(&format!(
            "{VPC}{}{}{}",
            group("a", "b"),
            group("b", "c"),
            group("c", "a")
        ));
        assert_eq!(codes(&a), Vec::<&str>::new());

        // A rule may close a cycle with another reference (worker's
        // description); a cycle of other references stays an error.
        let a = run(&format!(
            "{VPC}{}security_group worker {{\n  vpc = vpc.main\n  description = security_group.api.id\n}}\nsecurity_group other {{\n  vpc = vpc.main\n  description = security_group.other.id\n}}\n",
            group("api", "worker")
        ));
        assert_eq!(codes(&a), ["E0308"]);
    }

    #[test]
    fn a_queues_policy_naming_the_topic_that_delivers_to_it_closes_no_cycle() {
        let stack = |policy_reads: &str| {
            format!(
                "sns_topic orders {{\n  subscription {{\n    protocol = \"sqs\"\n    endpoint = sqs_queue.orders.arn\n  }}\n}}\nsqs_queue orders {{\n  policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Action = \"sqs:SendMessage\", Principal = {{ Service = \"sns.amazonaws.com\" }}, Resource = \"*\", Condition = {{ ArnEquals = {{ \"aws:SourceArn\" = {policy_reads} }} }} }}] }})\n}}\n"
            )
        };
        let a = run(&stack("sns_topic.orders.arn"));
        assert_eq!(codes(&a), Vec::<&str>::new());
        let stack_ok = a.stack.expect("valid");
        let queue = stack_ok
            .resources
            .iter()
            .find(|r| r.address.kind == Kind::SqsQueue)
            .expect("the queue");
        // The policy waits for the topic (a later update), the topic for
        // the queue; and the policy is kept, not lost for being read later.
        assert!(queue.depends_on.is_empty(), "{:?}", queue.depends_on);
        assert!(queue.body.value("policy").is_some());
        // What the topic's create does not settle is no deferred reference.
        assert_eq!(codes(&run(&stack("sns_topic.orders.display_name"))), ["E0308"]);
    }

    #[test]
    fn naming_itself_anywhere_else_is_a_cycle() {
        let a = run(&format!(
            "{VPC}security_group db {{\n  vpc = vpc.main\n  description = security_group.db.id\n}}"
        ));
        assert_eq!(codes(&a), ["E0308"]);
    }

    #[test]
    fn an_instance_allows_itself_by_its_key_only() {
        let text = |index: &str| {
            format!(
                "{VPC}security_group db {{\n  for_each = [\"a\", \"b\"]\n  vpc = vpc.main\n  ingress {{ port = 1  from = security_group.db{index} }}\n}}"
            )
        };
        assert_eq!(codes(&run(&text("[each.key]"))), Vec::<&str>::new());
        // Instance "a" names itself; "b" names "a".
        assert_eq!(codes(&run(&text("[\"a\"]"))), ["E0319"]);
        // Both instances' report is one text at one place: said once.
        assert_eq!(codes(&run(&text(""))), ["E0319"]);
    }
}
