//! Blocks that make nothing: a resource or lookup whose `count` is 0, or
//! whose `for_each` is empty, known from the stack's variables and locals
//! alone (`count = var.enable_vpn_gateway ? 1 : 0`). A flattened Terraform
//! module holds many, for the features its variables leave off, some of
//! kinds berth does not write (`aws_vpn_gateway`) or in spellings it does
//! not take (an IPv6 route): Terraform evaluates none of their settings,
//! and neither does berth. They are taken out before anything is checked,
//! and what reads them reads no instances: `KIND.NAME[*].ATTR` and
//! `KIND.NAME` are `[]`, `KIND.NAME[0].ATTR` fails as in Terraform (`try`
//! catches it), and `depends_on` leaves them out. A lookup counted to one
//! is the lookup itself (berth's lookups have no instances). Likewise a `dynamic`
//! block whose `for_each` the variables decide is written out: one block
//! per element (`for_each = var.service_registries != null ?
//! [var.service_registries] : []`: none), so that every later rewrite and
//! check sees what it makes, as if written so; one whose list the
//! variables decide but not its elements (`[local.network_configuration]`
//! naming a security group) is written out with each element's expression.
//! Blocks berth folds by their text into another (Terraform's scaling
//! resources) are written out as far as the variables decide them:
//! `folded.rs`.

mod chosen;
mod folded;
mod instances;
mod nulls;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use berth_provider::schema::Block as BlockSchema;
use berth_provider::{Kind, Value};

use crate::analyze::Options;
use crate::check::declare::{self, DEPENDS_ON, LOCALS};
use crate::check::dynamic::{CONTENT, DYNAMIC};
use crate::desugar::{each_child, each_expr};
use crate::source::{FileId, Sources, Span};
use crate::syntax::DATA;
use crate::syntax::ast::{
    Attribute, Block, Expr, ExprKind, File, Item, Label, MapEntry, MapKey, Step, StrPart,
};

/// A block's kind as references name it (`vpn_gateway`, `data.KIND`), and
/// its name.
pub(super) type Key = (String, String);

/// Takes the blocks that make nothing out of `files`, and rewrites what
/// reads them.
pub(crate) fn take_out(files: &mut [(FileId, File)], sources: &Sources, options: &Options) {
    // A `dynamic` block written out may hold another whose `for_each`
    // reads its element: known on the next round.
    write_out_all(files, sources, options);
    folded::settle(files, sources, options);
    chosen::write_in(files, sources, options);
    nulls::leave_out(files, sources, options);
}

/// What [`take_out`] writes out, round by round.
fn write_out_all(files: &mut [(FileId, File)], sources: &Sources, options: &Options) {
    for round in 0..NESTING {
        let Found {
            inert,
            single,
            expanded,
            known,
            counts,
            spread,
        } = find(files, sources, options);
        if inert.is_empty()
            && single.is_empty()
            && expanded.is_empty()
            && known.is_empty()
            && counts.is_empty()
            && spread.is_empty()
        {
            return;
        }
        // A block written for an element may hold a `dynamic` block over it.
        let mut wrote = !expanded.is_empty() || !spread.is_empty();
        folded::expand(files, &expanded);
        instances::write_out(files, &spread);
        for (_, file) in files.iter_mut() {
            file.blocks.retain(|b| key(b).is_none_or(|k| !inert.contains(&k)));
            for block in &mut file.blocks {
                if key(block).is_some_and(|k| single.contains(&k)) {
                    uncount(block);
                }
                if let Some(n) = key(block).and_then(|k| counts.get(&k)) {
                    count_as(block, *n);
                }
                let schema = schema_of(block);
                wrote |= write_out(block, schema, &known);
                if round == 0 {
                    drop_dependencies(block, &inert);
                    each_expr(block, &mut |e| read_nothing(e, &inert));
                }
                each_expr(block, &mut |e| read_one(e, &single));
            }
        }
        // Nothing written out: no `dynamic` block is newly decided.
        if !wrote {
            return;
        }
    }
}

/// How deep `dynamic` blocks inside written-out ones are written out.
const NESTING: usize = 4;

/// What the variables and locals alone decide.
#[derive(Default)]
struct Found {
    /// The blocks whose `count` or `for_each` makes no instance.
    inert: BTreeSet<Key>,
    /// The lookups, and the blocks folded by their text, counted to one.
    single: BTreeSet<Key>,
    /// The `for_each` of blocks folded by their text.
    expanded: folded::Expanded,
    /// The `for_each` of `dynamic` blocks.
    known: Known,
    /// The `count` of other blocks, where the variables decide it.
    counts: BTreeMap<Key, i64>,
    /// The `for_each` of resources written out per instance.
    spread: instances::Spread,
}

/// The `for_each` of `dynamic` blocks, by span and then by the
/// expression: blocks written out for each element of another share their
/// spans, each with the element's values in its expressions.
#[derive(Default)]
struct Known(HashMap<Span, Vec<(Expr, Each)>>);

impl Known {
    fn insert(&mut self, span: Span, for_each: &Expr, each: Each) {
        self.0.entry(span).or_default().push((for_each.clone(), each));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What the `dynamic` block `b` makes, if decided.
    fn of(&self, b: &Block) -> Option<&Each> {
        let for_each = repetition(b)?;
        self.0
            .get(&b.span)?
            .iter()
            .find(|(e, _)| e == for_each)
            .map(|(_, each)| each)
    }
}

/// A `dynamic` block's `for_each` as far as the variables and locals
/// decide it.
enum Each {
    /// Its value.
    Value(Value),
    /// A list whose length they decide, of elements known only with the
    /// stack (`var.awsvpc ? [local.network_configuration] : []`, the local
    /// naming a security group's id): each element's expression.
    Listed(Vec<Expr>),
    /// A map whose keys they decide, of elements known only in part
    /// (terraform-aws-modules/ecs's load balancers naming the stack's
    /// target group): each key, and its element read as
    /// `(FOR_EACH)["KEY"]`.
    Keyed(Vec<(String, Expr)>),
}

/// What the variables and locals alone decide of `files`' blocks.
fn find(files: &[(FileId, File)], sources: &Sources, options: &Options) -> Found {
    let blocks = || files.iter().flat_map(|(_, f)| &f.blocks);
    // Each repeated block, its `count` or `for_each`, and whether it is a `count`.
    let repeated: Vec<(Key, &Block, &Expr, bool)> = blocks()
        .filter_map(|b| {
            let a = repeating(b)?;
            Some((key(b)?, b, &a.value, a.name.name == "count"))
        })
        .collect();
    let mut dynamic = Vec::new();
    for b in blocks().filter(|b| key(b).is_some()) {
        dynamic_blocks(b, &mut dynamic);
    }
    if repeated.is_empty() && dynamic.is_empty() {
        return Found::default();
    }
    let known = blocks().filter(|b| matches!(b.kind.name.as_str(), "variable" | "stack" | LOCALS));
    let module = declare::collect(known, &mut Vec::new());
    let conditions: Vec<&Expr> = dynamic.iter().filter_map(|(_, e)| condition(e)).collect();
    let exprs: Vec<&Expr> = repeated
        .iter()
        .map(|(_, _, e, _)| *e)
        .chain(dynamic.iter().map(|(_, e)| *e))
        .chain(conditions.iter().copied())
        .collect();
    let mut values = crate::eval::from_variables(&module, options, sources, &exprs).into_iter();
    let counted: Vec<&Expr> = repeated.iter().filter(|r| r.3).map(|r| r.2).collect();
    let mut counts = crate::eval::counts_from_variables(&module, options, sources, &counted).into_iter();
    let alike = folded::repeated_alike(blocks(), sources);
    let mut found = Found::default();
    // Spread resources whose `for_each` holds what only AWS knows.
    let mut keyed = Vec::new();
    let mut folded_keyed = Vec::new();
    let spreads = |k: &Key, counted: bool| !counted && !k.0.starts_with("data.") && !folded::is_folded(&k.0);
    for ((k, block, for_each, counted), v) in repeated.into_iter().zip(values.by_ref()) {
        // A count reading a sensitive value is decided all the same.
        let v = match counted {
            true => counts.next().flatten(),
            false => v,
        };
        match v.map(|v| crate::eval::counted_as_number(v, counted)) {
            Some(v) if none(&v) => {
                found.inert.insert(k);
            }
            Some(Value::Int(1))
                if k.0.starts_with("data.")
                    || folded::is_folded(&k.0)
                    || (counted && on_one_parent(&k.0, block)) =>
            {
                found.single.insert(k);
            }
            Some(v @ (Value::Map(_) | Value::List(_)))
                if (folded::is_folded(&k.0) || (!counted && folded::names_parent_by_element(block)))
                    && !alike.contains(&k) =>
            {
                found.expanded.insert(k, folded::Elements::Known(v));
            }
            Some(Value::Int(n)) if counted => {
                found.counts.insert(k, n);
            }
            Some(v) if spreads(&k, counted) && instances::known(&v) && instances::wanted(block) => {
                found.spread.insert(k, instances::Repeat::Known(v));
            }
            // Not decided, or decided but for what only AWS knows.
            v if spreads(&k, counted)
                && v.as_ref().is_none_or(|v| v.has_unknown())
                && instances::wanted(block) =>
            {
                keyed.push((k, for_each));
            }
            // A folded block over a map holding values known after apply:
            // written out over its keys, if the variables decide them.
            None if folded::is_folded(&k.0) && !counted && !alike.contains(&k) => {
                folded_keyed.push((k, for_each));
            }
            _ => {}
        }
    }
    let keys = crate::eval::keys_from_variables(
        &module,
        options,
        sources,
        &keyed.iter().map(|(_, e)| *e).collect::<Vec<_>>(),
    );
    for ((k, _), keys) in keyed.into_iter().zip(keys) {
        if let Some(keys) = keys {
            found.spread.insert(k, instances::Repeat::Keyed(keys));
        }
    }
    let keys = crate::eval::keys_from_variables(
        &module,
        options,
        sources,
        &folded_keyed.iter().map(|(_, e)| *e).collect::<Vec<_>>(),
    );
    for ((k, for_each), keys) in folded_keyed.into_iter().zip(keys) {
        if let Some(keys) = keys {
            found
                .expanded
                .insert(k, folded::Elements::Keyed(keys, for_each.clone()));
        }
    }
    let each: Vec<Option<Value>> = values.by_ref().take(dynamic.len()).collect();
    let mut decided = values;
    let mut undecided = Vec::new();
    for ((span, for_each), value) in dynamic.into_iter().zip(each) {
        // Every condition is evaluated, in order, whatever its for_each.
        let chosen = condition(for_each).and_then(|_| decided.next().flatten());
        let each = match value {
            Some(v) => Some(Each::Value(v)),
            None => listed(for_each, chosen.as_ref()).map(Each::Listed),
        };
        match each {
            Some(each) => found.known.insert(span, for_each, each),
            None => undecided.push((span, for_each)),
        }
    }
    // `try([local.action.forward], [])` (mineiros' listener): the list,
    // whatever its elements hold, once its reading does not fail.
    let tried: Vec<&Expr> = undecided.iter().filter_map(|(_, e)| tried_list(e)).collect();
    let mut succeeds = crate::eval::succeeds_from_variables(&module, options, sources, &tried).into_iter();
    undecided.retain(|(span, for_each)| {
        let Some(ExprKind::List(items)) = tried_list(for_each).map(|l| &l.kind) else {
            return true;
        };
        if !succeeds.next().unwrap_or(false) {
            return true;
        }
        found.known.insert(*span, for_each, Each::Listed(items.clone()));
        false
    });
    let exprs: Vec<&Expr> = undecided.iter().map(|(_, e)| *e).collect();
    let keys = crate::eval::keys_from_variables(&module, options, sources, &exprs);
    let lengths = crate::eval::lengths_from_variables(&module, options, sources, &exprs);
    for (((span, for_each), keys), length) in undecided.into_iter().zip(keys).zip(lengths) {
        if let Some(keys) = keys {
            let pairs = keys
                .into_iter()
                .map(|k| {
                    let element = instances::element(for_each, &k);
                    (k, element)
                })
                .collect();
            found.known.insert(span, for_each, Each::Keyed(pairs));
        } else if let Some(length) = length {
            // A list of known length, its elements read by index
            // (gutozntt's `for_each = local.network_configuration`, a
            // list naming the stack's subnets).
            let items = (0..length).map(|i| indexed(for_each, i)).collect();
            found.known.insert(span, for_each, Each::Listed(items));
        }
    }
    found
}

/// `(FOR_EACH)[I]`: the element at index `i` of a list.
fn indexed(for_each: &Expr, i: usize) -> Expr {
    let span = for_each.span;
    let index = Expr {
        kind: ExprKind::Int(i64::try_from(i).unwrap_or(i64::MAX)),
        span,
    };
    Expr {
        kind: ExprKind::Postfix(
            Box::new(Expr {
                kind: ExprKind::Paren(Box::new(for_each.clone())),
                span,
            }),
            vec![Step::Index(Box::new(index))],
        ),
        span,
    }
}

/// The condition of a `for_each` written `COND ? [...] : [...]`.
fn condition(for_each: &Expr) -> Option<&Expr> {
    match &for_each.kind {
        ExprKind::Conditional(c, ..) => Some(c),
        ExprKind::Paren(inner) => condition(inner),
        _ => None,
    }
}

/// The list literal a `for_each` written `try([...], FALLBACK)` tries
/// first.
fn tried_list(for_each: &Expr) -> Option<&Expr> {
    match &for_each.kind {
        ExprKind::Call(c) if c.name.name == "try" && c.args.len() >= 2 => {
            matches!(c.args[0].kind, ExprKind::List(_)).then_some(&c.args[0])
        }
        ExprKind::Paren(inner) => tried_list(inner),
        _ => None,
    }
}

/// The elements of a `for_each` written as a list (or a conditional over
/// lists whose condition is `chosen`).
fn listed(for_each: &Expr, chosen: Option<&Value>) -> Option<Vec<Expr>> {
    match (&for_each.kind, chosen) {
        (ExprKind::List(items), _) => Some(items.clone()),
        (ExprKind::Paren(inner), _) => listed(inner, chosen),
        (ExprKind::Conditional(_, yes, no), Some(Value::Bool(b))) => listed(if *b { yes } else { no }, None),
        _ => None,
    }
}

/// Every `dynamic` block in `b` (in nested blocks and contents too), by
/// span, with its `for_each`; but those reading the element of a `dynamic`
/// block around them, known once that one is written out (`try` would
/// make such a `for_each` empty before).
fn dynamic_blocks<'a>(b: &'a Block, out: &mut Vec<(Span, &'a Expr)>) {
    dynamic_blocks_within(b, &mut Vec::new(), out);
}

/// [`dynamic_blocks`] inside the `dynamic` blocks whose iterators are
/// `around`.
fn dynamic_blocks_within<'a>(b: &'a Block, around: &mut Vec<&'a str>, out: &mut Vec<(Span, &'a Expr)>) {
    for item in &b.body {
        let Item::Block(nested) = item else { continue };
        let parts = (nested.kind.name == DYNAMIC)
            .then(|| crate::check::dynamic::parts(nested, &mut Vec::new()))
            .flatten();
        let Some(d) = parts else {
            dynamic_blocks_within(nested, around, out);
            continue;
        };
        let mut for_each = d.for_each.clone();
        if !around.iter().any(|i| crate::desugar::reads(&mut for_each, i)) {
            out.push((nested.span, d.for_each));
        }
        around.push(d.iterator);
        dynamic_blocks_within(d.content, around, out);
        around.pop();
    }
}

/// `block` (whose schema is `schema`, when berth knows it) with each
/// `dynamic` block (at any depth) whose `for_each` is `known` and empty
/// taken out, and each whose `for_each` is `known` and that makes a block
/// the schema does not hold written out: one block of its name per
/// element, its iterator's `.key` and `.value` read as the element's. The
/// rewrites of other tools' blocks then see them as if written so (a
/// module's `dynamic "runtime_platform"` over a variable is a
/// `runtime_platform` block berth takes); blocks of berth's own stay
/// `dynamic`, for the checks and the evaluator to make. Says whether it
/// took out or wrote out any.
fn write_out(block: &mut Block, schema: Option<BlockSchema>, known: &Known) -> bool {
    let mut wrote = false;
    let mut body = Vec::with_capacity(block.body.len());
    for item in std::mem::take(&mut block.body) {
        let Item::Block(b) = item else {
            body.push(item);
            continue;
        };
        let Some(value) = known.of(&b).filter(|_| b.kind.name == DYNAMIC) else {
            body.push(Item::Block(b));
            continue;
        };
        let named = crate::check::dynamic::parts(&b, &mut Vec::new()).map(|d| d.name.to_owned());
        let berths = named
            .as_deref()
            .is_some_and(|n| schema.is_some_and(|s| s.block(n).is_some() && !named_by_setting(s, n)))
            && !holds_foreign_dynamic(&b, schema);
        let empty = match value {
            Each::Value(v) => none(v),
            Each::Listed(items) => items.is_empty(),
            Each::Keyed(pairs) => pairs.is_empty(),
        };
        if empty {
            wrote = true;
            continue;
        }
        match elements(&b, value).filter(|_| !berths) {
            Some(made) => {
                wrote = true;
                body.extend(made.into_iter().map(Item::Block));
            }
            None => body.push(Item::Block(b)),
        }
    }
    block.body = body;
    for item in &mut block.body {
        if let Item::Block(nested) = item {
            let inner = match nested.kind.name.as_str() {
                DYNAMIC => crate::check::dynamic::parts(nested, &mut Vec::new())
                    .and_then(|d| schema?.block(d.name).copied()),
                // A `dynamic` block's content is the block it makes.
                CONTENT if block.kind.name == DYNAMIC => schema,
                name => schema.and_then(|s| s.block(name).copied()),
            };
            wrote |= write_out(nested, inner, known);
        }
    }
    wrote
}

/// Whether berth's named `block` of `schema` is Terraform's unnamed block
/// with a `name` setting, which `dynamic` makes (a task definition's
/// `volume`, `desugar/flatten.rs`).
pub(super) fn named_by_setting(schema: BlockSchema, block: &str) -> bool {
    schema.name == "task_definition" && block == "volume"
}

/// Whether the `dynamic` block `d` (in a block of schema `schema`) makes
/// a block of berth's that holds a `dynamic` block of one it does not take
/// (terraform-aws-modules/ecs's `dynamic "load_balancer"` holding `dynamic
/// "advanced_configuration"`, blue/green's, over its element): written out,
/// the inner one is decided, and makes nothing when the element has none.
fn holds_foreign_dynamic(d: &Block, schema: Option<BlockSchema>) -> bool {
    let Some(parts) = crate::check::dynamic::parts(d, &mut Vec::new()) else {
        return false;
    };
    let Some(inner) = schema.and_then(|s| s.block(parts.name).copied()) else {
        return false;
    };
    parts.content.body.iter().any(|item| {
        matches!(item, Item::Block(b) if b.kind.name == DYNAMIC
            && crate::check::dynamic::parts(b, &mut Vec::new()).is_some_and(|n| inner.block(n.name).is_none()))
    })
}

/// The schema of a resource block, under berth's kind or Terraform's.
fn schema_of(block: &Block) -> Option<BlockSchema> {
    let name = block.kind.name.as_str();
    let kind = crate::check::terraform_names::berth_kind(name).unwrap_or(name);
    kind.parse::<Kind>().ok().map(|k| k.schema().as_block())
}

/// One element a `dynamic` block makes a block for: its value, or the
/// expression of one known only with the stack.
#[derive(Clone, Copy)]
pub(super) enum Element<'a> {
    Value(&'a Value),
    Expr(&'a Expr),
}

/// The blocks the `dynamic` block `d` makes for `for_each`; none when it
/// is not one the checks can take (left for them to name).
fn elements(d: &Block, for_each: &Each) -> Option<Vec<Block>> {
    let parts = crate::check::dynamic::parts(d, &mut Vec::new())?;
    let index = |i: usize| Value::Int(i64::try_from(i).unwrap_or(i64::MAX));
    // A set's key is its element, as Terraform's (`toset(...)`); a list's
    // its index.
    let set = matches!(&parts.for_each.kind, ExprKind::Call(c) if c.name.name == "toset");
    let pairs: Vec<(Value, Element<'_>)> = match for_each {
        Each::Value(Value::List(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (if set { v.clone() } else { index(i) }, Element::Value(v)))
            .collect(),
        Each::Value(Value::Map(entries)) => entries
            .iter()
            .map(|(k, v)| (Value::String(k.clone()), Element::Value(v)))
            .collect(),
        Each::Listed(items) => items
            .iter()
            .enumerate()
            .map(|(i, e)| (index(i), Element::Expr(e)))
            .collect(),
        Each::Keyed(pairs) => pairs
            .iter()
            .map(|(k, e)| (Value::String(k.clone()), Element::Expr(e)))
            .collect(),
        Each::Value(_) => return None,
    };
    let (name, iterator) = (parts.name.to_owned(), parts.iterator.to_owned());
    let made = pairs
        .into_iter()
        .map(|(key, value)| {
            let mut made = parts.content.clone();
            made.kind.name = name.clone();
            made.kind.span = d.kind.span;
            each_expr(&mut made, &mut |e| bind(e, &iterator, (&key, value)));
            made
        })
        .collect();
    Some(made)
}

/// `e` with `ITERATOR.key` and `ITERATOR.value` (and what follows them)
/// read from the element.
pub(super) fn bind(e: &mut Expr, iterator: &str, (key, value): (&Value, Element<'_>)) {
    if let ExprKind::Traversal(t) = &e.kind
        && t.root.name == iterator
        && let Some(Step::Attr(which)) = t.steps.first()
        && matches!(which.name.as_str(), "key" | "value")
    {
        let element = if which.name == "key" {
            Element::Value(key)
        } else {
            value
        };
        *e = match element {
            // Steps into the element are taken here where they can be (so
            // `setting.value.name` is the text a rewrite expects), else
            // read from the element's literal.
            Element::Value(v) => {
                let (v, rest) = step_into(v, &t.steps[1..]);
                postfix(literal(v, e.span), rest)
            }
            Element::Expr(x) => {
                let (x, rest) = step_into_expr(x, &t.steps[1..]);
                postfix(x.clone(), rest)
            }
        };
        return;
    }
    each_child(e, &mut |child| bind(child, iterator, (key, value)));
}

/// `e` followed by `steps`: a reference goes on (`local.network.subnets`).
fn postfix(e: Expr, steps: &[Step]) -> Expr {
    let span = e.span;
    match e.kind {
        _ if steps.is_empty() => e,
        ExprKind::Traversal(mut t) => {
            t.steps.extend_from_slice(steps);
            Expr {
                kind: ExprKind::Traversal(t),
                span,
            }
        }
        kind => Expr {
            kind: ExprKind::Postfix(Box::new(Expr { kind, span }), steps.to_vec()),
            span,
        },
    }
}

/// The part of the expression `e` the leading `.key` steps of `steps`
/// name in its map literals, and the steps left.
fn step_into_expr<'e, 's>(mut e: &'e Expr, mut steps: &'s [Step]) -> (&'e Expr, &'s [Step]) {
    while let (Some((Step::Attr(a), rest)), ExprKind::Map(entries)) = (steps.split_first(), &e.kind) {
        let Some(entry) = entries.iter().find(|m| m.key.name == a.name) else {
            break;
        };
        e = &entry.value;
        steps = rest;
    }
    (e, steps)
}

/// The part of `v` the leading `.key`, `["key"]` and `[N]` steps of
/// `steps` name, and the steps left.
fn step_into<'v, 's>(mut v: &'v Value, mut steps: &'s [Step]) -> (&'v Value, &'s [Step]) {
    while let Some((step, rest)) = steps.split_first() {
        let next = match (step, v) {
            (Step::Attr(a), Value::Map(m)) => m.get(&a.name),
            (Step::Index(i), Value::Map(m)) => match &i.kind {
                ExprKind::String(parts) => match parts.as_slice() {
                    [StrPart::Lit(k)] => m.get(k),
                    _ => None,
                },
                _ => None,
            },
            (Step::Index(i), Value::List(items)) => match i.kind {
                ExprKind::Int(n) => usize::try_from(n).ok().and_then(|n| items.get(n)),
                _ => None,
            },
            _ => None,
        };
        let Some(next) = next else { break };
        v = next;
        steps = rest;
    }
    (v, steps)
}

/// `v` written as an expression at `span`.
pub(super) fn literal(v: &Value, span: Span) -> Expr {
    let kind = match v {
        Value::Null | Value::Unknown => ExprKind::Null,
        Value::Bool(b) => ExprKind::Bool(*b),
        Value::Int(i) => ExprKind::Int(*i),
        Value::Decimal(d) => ExprKind::Decimal(*d),
        Value::String(s) => ExprKind::String(vec![StrPart::Lit(s.clone())]),
        Value::List(items) => ExprKind::List(items.iter().map(|i| literal(i, span)).collect()),
        Value::Map(entries) => ExprKind::Map(
            entries
                .iter()
                .map(|(k, v)| MapEntry {
                    key: MapKey {
                        name: k.clone(),
                        quoted: true,
                        span,
                        computed: None,
                    },
                    value: literal(v, span),
                })
                .collect(),
        ),
    };
    Expr { kind, span }
}

/// A resource's or lookup's key; none for other blocks.
pub(super) fn key(b: &Block) -> Option<Key> {
    let Some(Label::Ident(name)) = &b.label else {
        return None;
    };
    let kind = b.kind.name.as_str();
    if kind == DATA {
        return Some((kind_key(&b.subkind.as_ref()?.name, true), name.name.clone()));
    }
    let other = matches!(kind, "variable" | "stack" | "output" | "module" | LOCALS);
    (!other).then(|| (kind_key(kind, false), name.name.clone()))
}

/// A kind as [`Key`]s name it, whichever of berth's and Terraform's names
/// the block or the reference uses (`aws_lb_target_group.x`,
/// `lb_target_group x` and `target_group.x` are one): these run before the
/// references are rewritten to berth's names.
fn kind_key(kind: &str, data: bool) -> String {
    let bare = crate::check::terraform_names::without_aws(kind);
    match data {
        true => {
            let lookup = crate::desugar::terraform_data_kind(bare).map_or(bare, |k| k.keyword());
            format!("{DATA}.{lookup}")
        }
        false => crate::check::terraform_names::berth_kind(bare)
            .unwrap_or(bare)
            .to_owned(),
    }
}

/// Whether `block`, an attachment of `kind`, names a parent that is not
/// repeated (no `[...]` on the way: `cluster_name =
/// aws_ecs_cluster.this.name`): counted to one by the variables (navjot's
/// `count = length(var.capacity_providers) > 0 ? 1 : 0`), it is the one
/// attachment of that parent.
fn on_one_parent(kind: &str, block: &Block) -> bool {
    if !crate::desugar::is_attachment(kind) {
        return false;
    }
    block.body.iter().any(|item| match item {
        Item::Attribute(a) if crate::desugar::names_its_parent(kind, &a.name.name) => {
            let mut plain = true;
            let mut named = false;
            crate::desugar::each_traversal(&mut a.value.clone(), &mut |t| {
                named |= t.named().is_some_and(|n| !n.data);
                plain &= !t
                    .steps
                    .iter()
                    .any(|s| matches!(s, Step::Index(_) | Step::Splat(_)));
            });
            named && plain
        }
        _ => false,
    })
}

/// A block's own `count` or `for_each`.
fn repetition(b: &Block) -> Option<&Expr> {
    repeating(b).map(|a| &a.value)
}

/// A block's own `count` or `for_each` attribute.
fn repeating(b: &Block) -> Option<&Attribute> {
    b.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "count" || a.name.name == "for_each" => Some(a),
        _ => None,
    })
}

/// Whether a `count` or `for_each` value makes no instance.
fn none(v: &Value) -> bool {
    match v {
        Value::Int(n) => *n == 0,
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

/// The block a reference names, and the steps after its name.
pub(super) fn named(e: &Expr) -> Option<(Key, &[Step])> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    let named = t.named()?;
    Some((
        (kind_key(named.kind, named.data), named.name.to_owned()),
        named.rest,
    ))
}

/// `e` with every reference to an `inert` block reading no instances.
fn read_nothing(e: &mut Expr, inert: &BTreeSet<Key>) {
    if let Some((k, rest)) = named(e)
        && inert.contains(&k)
    {
        let empty = Expr {
            kind: ExprKind::List(Vec::new()),
            span: e.span,
        };
        e.kind = match rest.first() {
            None | Some(Step::Splat(_)) => empty.kind,
            Some(_) => ExprKind::Postfix(Box::new(empty), rest.to_vec()),
        };
        return;
    }
    each_child(e, &mut |child| read_nothing(child, inert));
}

/// `block`'s `count` written as the number `n` the variables make it, its
/// span kept: an attachment naming `[0]` of a resource counted to one is
/// on that resource (`desugar/attach.rs`).
fn count_as(block: &mut Block, n: i64) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == "count"
        {
            a.value.kind = ExprKind::Int(n);
        }
    }
}

/// A lookup counted to one without its `count`: berth's lookups have no
/// instances (`data "aws_caller_identity" "current" { count = var.create ?
/// 1 : 0 }`), and `count.index` in it is 0.
fn uncount(block: &mut Block) {
    block
        .body
        .retain(|item| !matches!(item, Item::Attribute(a) if a.name.name == "count"));
    let zero = Expr {
        kind: ExprKind::Int(0),
        span: block.span,
    };
    each_expr(block, &mut |e| crate::desugar::count_index_as(e, &zero));
}

/// `e` with every reference to a `single` lookup read from the lookup
/// itself: `data.K.N[0].ATTR` is `data.K.N.ATTR`, `data.K.N[*].ATTR` and
/// `data.K.N` a list of the one.
fn read_one(e: &mut Expr, single: &BTreeSet<Key>) {
    let Some(after) = named(e)
        .filter(|(k, _)| single.contains(k))
        .map(|(_, rest)| rest.to_vec())
    else {
        each_child(e, &mut |child| read_one(child, single));
        return;
    };
    let span = e.span;
    let ExprKind::Traversal(t) = &mut e.kind else {
        return;
    };
    t.steps.truncate(t.steps.len() - after.len());
    let listed = match after.split_first() {
        Some((Step::Index(i), more)) if matches!(i.kind, ExprKind::Int(0)) => {
            t.steps.extend_from_slice(more);
            false
        }
        Some((Step::Splat(_), more)) => {
            t.steps.extend_from_slice(more);
            true
        }
        None => true,
        // Another index fails as Terraform's would: left as written.
        Some(_) => {
            t.steps.extend(after);
            false
        }
    };
    if listed {
        let one = Expr {
            kind: e.kind.clone(),
            span,
        };
        e.kind = ExprKind::List(vec![one]);
    }
}

/// `depends_on` of `block` without the `inert` blocks.
fn drop_dependencies(block: &mut Block, inert: &BTreeSet<Key>) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == DEPENDS_ON
            && let ExprKind::List(items) = &mut a.value.kind
        {
            items.retain(|e| named(e).is_none_or(|(k, _)| !inert.contains(&k)));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{messages, resources};

    /// navjot's capacity providers on a cluster that is not counted,
    /// themselves counted on a list the variables give: E0211 "is not
    /// repeated" when counted to one.
    #[test]
    fn an_attachment_counted_to_one_on_a_single_parent_is_the_attachment() {
        let stack = |count: &str| {
            resources(&format!(
                "variable \"providers\" {{ default = [\"FARGATE\", \"FARGATE_SPOT\"] }}\n\
                 resource \"aws_ecs_cluster\" \"this\" {{ name = \"demo\" }}\n\
                 resource \"aws_ecs_cluster_capacity_providers\" \"this\" {{\n{count}  \
                 cluster_name = aws_ecs_cluster.this.name\n  capacity_providers = var.providers\n}}\n"
            ))
        };
        assert_eq!(stack("  count = length(var.providers) > 0 ? 1 : 0\n"), stack(""));
    }

    /// terraform-aws-modules/vpc's features left off by its variables: a
    /// kind berth does not write, an IPv6 route, a counted policy document
    /// and the role reading it; what reads them reads no instances. They
    /// were unknown kinds (E0101) and settings berth does not take.
    #[test]
    fn a_block_counted_to_nothing_by_a_sensitive_value_makes_nothing() {
        // medusajs generates a secret only when none is given (E0101 on
        // the random_password before: a sensitive count was not decided).
        let text = |value: &str| {
            format!(
                "variable \"jwt_secret\" {{\n  default   = {value}\n  sensitive = true\n}}\n\
                 resource \"random_password\" \"jwt\" {{\n  count  = var.jwt_secret == null ? 1 : 0\n  length = 32\n}}\n"
            )
        };
        assert_eq!(messages(&text("\"given\""), "E0101"), Vec::<String>::new());
        assert_eq!(
            messages(&text("null"), "E0101"),
            ["unknown block kind `random_password`"]
        );
    }

    #[test]
    fn blocks_counted_to_nothing_by_variables_make_nothing_and_read_as_none() {
        let module = resources(
            r#"
variable "enable_vpn_gateway" { default = false }
variable "secondary_cidr_blocks" { default = [] }
variable "flow_log" { default = false }
locals {
  create_vpn = var.enable_vpn_gateway && true
  vpc_id     = try(vpc_ipv4_cidr_block_association.this[0].vpc_id, vpc.this.id, "")
}
vpc this { cidr_block = "10.0.0.0/16" }
vpc_ipv4_cidr_block_association this {
  count      = length(var.secondary_cidr_blocks)
  vpc_id     = vpc.this.id
  cidr_block = element(var.secondary_cidr_blocks, count.index)
}
vpn_gateway this {
  count  = local.create_vpn ? 1 : 0
  vpc_id = local.vpc_id
}
route_table public { vpc_id = local.vpc_id }
route public_ipv6 {
  count                       = local.create_vpn ? 1 : 0
  route_table_id              = route_table.public.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = "eigw-0123456789abcdef0"
}
data iam_policy_document assume {
  count = var.flow_log ? 1 : 0
  statement {
    actions = ["sts:AssumeRole"]
  }
}
role flow_log {
  count              = var.flow_log ? 1 : 0
  name_prefix        = "vpc-flow-log-"
  assume_role_policy = data.iam_policy_document.assume[0].json
}
internet_gateway this {
  vpc_id     = local.vpc_id
  depends_on = [vpn_gateway.this]
}
output "vpn_gateway_ids" { value = vpn_gateway.this[*].id }
output "vpn_count" { value = length(vpn_gateway.this) }
"#,
        );
        let berth = resources(
            r#"
vpc this { cidr = "10.0.0.0/16" }
route_table public { vpc = vpc.this }
internet_gateway this { vpc = vpc.this }
"#,
        );
        assert_eq!(module, berth);
    }

    /// The same read as Terraform writes it, with `aws_` and Terraform's
    /// type names (`aws_lb_target_group.x.*.arn`, `depends_on =
    /// [aws_cloudwatch_log_group.x]`), and a lookup counted to one read at
    /// `[0]` (`data.aws_caller_identity.current[0]`): they were E0303,
    /// E0306, E0333 and E0593.
    #[test]
    fn terraforms_names_of_blocks_counted_to_nothing_or_one_read_as_berths() {
        let module = resources(
            r#"
variable "https_ports" { default = [] }
variable "create" { default = true }
resource "aws_security_group" "off" {
  count  = length(var.https_ports)
  vpc_id = "vpc-12345678"
}
resource "aws_lb_target_group" "https" {
  count       = length(var.https_ports)
  port        = element(var.https_ports, count.index)
  protocol    = "HTTPS"
  target_type = "ip"
  vpc_id      = "vpc-12345678"
}
data "aws_caller_identity" "current" { count = var.create ? 1 : 0 }
resource "aws_cloudwatch_log_group" "always" {
  name       = "always-${data.aws_caller_identity.current[0].account_id}"
  depends_on = [aws_security_group.off, aws_lb_target_group.https]
}
output "sg_ids" { value = aws_security_group.off[*].id }
output "tg_count" { value = length(aws_lb_target_group.https) }
output "tg_arns" { value = aws_lb_target_group.https.*.arn }
output "sg" { value = try(aws_security_group.off[0].id, null) }
"#,
        );
        assert_eq!(module.len(), 1, "{module:?}");
        assert!(module.contains_key("log_group.always"), "{module:?}");
    }

    /// terraform-aws-modules' optional blocks: a `dynamic` block the
    /// variables leave empty makes nothing, whatever block it names (an
    /// unknown one was E0205); one they fill is checked.
    #[test]
    fn dynamic_blocks_emptied_by_variables_make_nothing() {
        let module = resources(
            r#"
variable "ordered_placement_strategy" { default = [] }
variable "service_registries" { default = null }
vpc this {
  cidr_block = "10.0.0.0/16"
  dynamic "ordered_placement_strategy" {
    for_each = var.ordered_placement_strategy
    content {
      type = ordered_placement_strategy.value.type
    }
  }
  dynamic "service_registries" {
    for_each = var.service_registries != null ? [var.service_registries] : []
    content {
      registry_arn = service_registries.value.arn
    }
  }
}
"#,
        );
        assert_eq!(module, resources("vpc this { cidr = \"10.0.0.0/16\" }"));
        let filled = "variable \"s\" { default = [1] }\nvpc this {\n  cidr = \"10.0.0.0/16\"\n  dynamic \"strategy\" {\n    for_each = var.s\n    content {}\n  }\n}\n";
        assert_eq!(messages(filled, "E0205"), ["unknown block `strategy` in `vpc`"]);
    }

    /// A module's `dynamic "setting"` over its variable is written out, so
    /// Terraform's `setting { name value }` rewrite reads it: it was an
    /// unknown block made by `dynamic` (E0205).
    #[test]
    fn dynamic_blocks_over_variables_are_written_out_for_the_rewrites() {
        let module = resources(
            r#"
variable "setting" { default = [{ name = "containerInsights", value = "enabled" }] }
ecs_cluster this {
  dynamic "setting" {
    for_each = var.setting
    content {
      name  = setting.value.name
      value = setting.value["value"]
    }
  }
}
"#,
        );
        assert_eq!(
            module,
            resources("cluster this { container_insights = \"enabled\" }")
        );
    }

    /// terraform-aws-modules/ecs v6 writes blue/green's `dynamic
    /// "advanced_configuration"` in every `dynamic "load_balancer"`: with
    /// none, it makes nothing (E0205 before, an unknown block of
    /// `load_balancer`), also when the element names the stack's target
    /// group, known only after apply.
    #[test]
    fn a_foreign_dynamic_block_inside_one_of_berths_is_decided_per_element() {
        let base = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port  = 80
  }
}
target_group app {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
"#;
        let module = resources(&format!(
            r#"{base}
locals {{
  lb = {{ service = {{ container_name = "app", container_port = 80, target_group_arn = target_group.app.arn, advanced_configuration = null }} }}
}}
service app {{
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
  dynamic "load_balancer" {{
    for_each = local.lb
    content {{
      container    = load_balancer.value.container_name
      port         = load_balancer.value.container_port
      target_group = load_balancer.value.target_group_arn
      dynamic "advanced_configuration" {{
        for_each = load_balancer.value.advanced_configuration != null ? [load_balancer.value.advanced_configuration] : []
        content {{
          role_arn = advanced_configuration.value.role_arn
        }}
      }}
    }}
  }}
}}
"#
        ));
        let berth = resources(&format!(
            r#"{base}
service app {{
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
  load_balancer {{
    container    = "app"
    port         = 80
    target_group = target_group.app
  }}
}}
"#
        ));
        assert_eq!(module, berth);
    }

    /// Task definition modules write their volumes as `dynamic "volume"`
    /// (Terraform's volumes are unnamed blocks with a `name`): E0210
    /// before, as if berth's named blocks were made; a set's key is its
    /// element.
    #[test]
    fn dynamic_volumes_are_written_out_as_terraforms_volumes() {
        let task = |volumes: &str| {
            resources(&format!(
                "variable volumes {{ default = [{{ name = \"data\" }}] }}\n\
                 resource \"aws_ecs_task_definition\" \"app\" {{\n  family = \"app\"\n  cpu = 256\n  memory = 512\n  \
                 network_mode = \"awsvpc\"\n  requires_compatibilities = [\"FARGATE\"]\n  \
                 container_definitions = jsonencode([{{ name = \"app\", image = \"nginx\", essential = true }}])\n{volumes}\n}}\n"
            ))
        };
        let written = task("  volume {\n    name = \"data\"\n  }\n  volume {\n    name = \"x\"\n  }");
        let dynamic = task(
            "  dynamic \"volume\" {\n    for_each = var.volumes\n    content {\n      name = volume.value.name\n    }\n  }\n  \
             dynamic \"volume\" {\n    for_each = toset([\"x\"])\n    content {\n      name = volume.key\n    }\n  }",
        );
        assert_eq!(dynamic, written);
    }

    /// terraform-aws-modules/ecs counts its account, region and subnet
    /// lookups with the module's `create`: counted to one, a lookup is the
    /// one berth makes (it was E0591, `count` not a filter, and E0593 on
    /// each `[0]`).
    #[test]
    fn lookups_counted_to_one_by_variables_are_plain_lookups() {
        let module = resources(
            r#"
variable "create" { default = true }
variable "subnet_ids" { default = ["subnet-0123456789abcdef0"] }
data caller_identity current { count = var.create ? 1 : 0 }
data subnet this {
  count = var.create ? 1 : 0
  id    = element(var.subnet_ids, count.index)
}
security_group this {
  name   = "app-${data.caller_identity.current[0].account_id}"
  vpc_id = data.subnet.this[0].vpc_id
  tags   = { Zones = join(",", data.subnet.this[*].availability_zone) }
}
"#,
        );
        let berth = resources(
            r#"
data caller_identity current {}
data subnet this { id = "subnet-0123456789abcdef0" }
security_group this {
  name = "app-${data.caller_identity.current.account_id}"
  vpc  = data.subnet.this.vpc_id
  tags = { Zones = join(",", [data.subnet.this.availability_zone]) }
}
"#,
        );
        assert_eq!(module, berth);
    }

    /// terraform-aws-modules/ecs's service: `dynamic
    /// "network_configuration"` over `[local.network_configuration]`, the
    /// local naming the module's security group. The variables decide the
    /// list's length, not its element: it is written out with the
    /// element's expression (E0205 and E0204 before).
    #[test]
    fn dynamic_blocks_of_elements_known_with_the_stack_are_written_out() {
        let module = resources(
            r#"
variable "network_mode" { default = "awsvpc" }
variable "subnet_ids" { default = ["subnet-0123456789abcdef0"] }
locals {
  network_configuration = {
    assign_public_ip = false
    security_groups  = [security_group.this.id]
    subnets          = var.subnet_ids
  }
}
security_group this { vpc = "vpc-0123456789abcdef0" }
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
ecs_service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  dynamic "network_configuration" {
    for_each = var.network_mode == "awsvpc" ? [local.network_configuration] : []
    content {
      assign_public_ip = network_configuration.value.assign_public_ip
      security_groups  = network_configuration.value.security_groups
      subnets          = network_configuration.value.subnets
    }
  }
}
"#,
        );
        let berth = resources(
            r#"
security_group this { vpc = "vpc-0123456789abcdef0" }
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  public_ip       = false
  security_groups = [security_group.this]
  subnets         = ["subnet-0123456789abcdef0"]
}
"#,
        );
        assert_eq!(module, berth);
    }

    /// gutozntt/terraform-aws-ecs-service inlined: `for_each =
    /// local.network_configuration`, the local itself a list whose element
    /// names the stack's subnet. Its length is decided, its elements read
    /// by index (E0204 and E0205 before).
    #[test]
    fn dynamic_blocks_over_a_local_list_of_elements_known_with_the_stack_are_written_out() {
        let shared = r#"
subnet a {
  vpc  = "vpc-0123456789abcdef0"
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
cluster main {}
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
"#;
        let module = resources(&format!(
            r#"{shared}
locals {{
  network_configuration = [{{ subnets = [subnet.a.id], assign_public_ip = false }}]
}}
ecs_service app {{
  cluster         = cluster.main
  task_definition = task_definition.app
  dynamic "network_configuration" {{
    for_each = local.network_configuration
    content {{
      subnets          = network_configuration.value.subnets
      assign_public_ip = network_configuration.value.assign_public_ip
    }}
  }}
}}
"#
        ));
        let berth = resources(&format!(
            r#"{shared}
service app {{
  cluster         = cluster.main
  task_definition = task_definition.app
  public_ip       = false
  subnets         = [subnet.a]
}}
"#
        ));
        assert_eq!(module, berth);
    }

    /// What the variables turn on, or what is known only once resources
    /// are, is checked as written.
    #[test]
    fn blocks_counted_by_anything_else_are_checked() {
        let on = "variable \"on\" { default = true }\nvpn_gateway this {\n  count = var.on ? 1 : 0\n}\n";
        assert_eq!(messages(on, "E0101"), ["unknown block kind `vpn_gateway`"]);
        let unknown = "vpc this { cidr = \"10.0.0.0/16\" }\n\
                       vpn_gateway this {\n  count = vpc.this.id == \"\" ? 1 : 0\n}\n";
        assert_eq!(messages(unknown, "E0101"), ["unknown block kind `vpn_gateway`"]);
        let empty = "vpn_gateway this {\n  for_each = toset([])\n}\n";
        assert_eq!(messages(empty, "E0101"), Vec::<String>::new());
    }
}
