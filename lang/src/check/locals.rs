//! Terraform's `locals { NAME = EXPR }`: named expressions read as
//! `local.NAME`. A resource that reads a local depends on what the local
//! reads (the resolver walks the local's expression in the reader's
//! place); locals that read each other in a circle are E0308.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Attribute, Expr, ExprKind, ForResult, Step, StrPart};

/// The root of a local's reference.
pub const LOCAL: &str = "local";

/// The locals that read themselves through other locals (one E0308 per
/// circle, at its first local); the resolver does not follow them.
pub fn cycles(locals: &BTreeMap<String, &Attribute>, diags: &mut Vec<Diagnostic>) -> BTreeSet<String> {
    let reads: BTreeMap<&str, BTreeSet<String>> = locals
        .iter()
        .map(|(name, a)| {
            let mut out = BTreeSet::new();
            read_locals(&a.value, &mut out);
            (name.as_str(), out)
        })
        .collect();
    let mut cyclic = BTreeSet::new();
    for start in locals.keys() {
        if cyclic.contains(start) {
            continue;
        }
        if let Some(path) = circle(start, &reads) {
            let text = path
                .iter()
                .map(|n| format!("local.{n}"))
                .collect::<Vec<_>>()
                .join(" -> ");
            if let Some(a) = locals.get(start) {
                diags.push(
                    Diagnostic::error("E0308", format!("reference cycle: {text}"), a.name.span)
                        .label("reads itself through other locals")
                        .help("break the circle: one of these locals must not read the next"),
                );
            }
            cyclic.extend(path);
        }
    }
    cyclic
}

/// A path of locals from `start` back to it, if there is one.
fn circle(start: &str, reads: &BTreeMap<&str, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in reads.get(at.as_str()).into_iter().flatten() {
            if next == start {
                let mut path = path.clone();
                path.push(start.to_owned());
                return Some(path);
            }
            if seen.insert(next.clone()) {
                let mut path = path.clone();
                path.push(next.clone());
                stack.push((next.clone(), path));
            }
        }
    }
    None
}

/// The names of the locals `expr` reads.
fn read_locals(expr: &Expr, out: &mut BTreeSet<String>) {
    match &expr.kind {
        ExprKind::Traversal(t) => {
            if t.root.name == LOCAL
                && let Some(Step::Attr(name)) = t.steps.first()
            {
                out.insert(name.name.clone());
            }
            for step in &t.steps {
                if let Step::Index(e) = step {
                    read_locals(e, out);
                }
            }
        }
        ExprKind::String(parts) => {
            for part in parts {
                if let StrPart::Interp(e) = part {
                    read_locals(e, out);
                }
            }
        }
        ExprKind::List(items) => items.iter().for_each(|e| read_locals(e, out)),
        ExprKind::Map(entries) => entries.iter().for_each(|e| {
            if let Some(key) = &e.key.computed {
                read_locals(key, out);
            }
            read_locals(&e.value, out)
        }),
        ExprKind::Call(c) => c.args.iter().for_each(|e| read_locals(e, out)),
        ExprKind::Paren(e) | ExprKind::Unary(_, e) => read_locals(e, out),
        ExprKind::Binary(_, l, r) => {
            read_locals(l, out);
            read_locals(r, out);
        }
        ExprKind::Conditional(c, a, b) => {
            for e in [c, a, b] {
                read_locals(e, out);
            }
        }
        ExprKind::Postfix(base, steps) => {
            read_locals(base, out);
            for step in steps {
                if let Step::Index(e) = step {
                    read_locals(e, out);
                }
            }
        }
        ExprKind::For(f) => {
            read_locals(&f.collection, out);
            match &f.result {
                ForResult::List(v) => read_locals(v, out),
                ForResult::Map { key, value, .. } => {
                    read_locals(key, out);
                    read_locals(value, out);
                }
            }
            f.cond.iter().for_each(|c| read_locals(c, out));
        }
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Decimal(_) => {}
    }
}
