//! `berth graph`: the stack's dependency graph in Graphviz DOT.

use std::fmt::Write;

use berth_lang::Stack;

/// DOT text: one node per declared resource, an edge from each resource to
/// every resource it references.
pub fn dot(stack: &Stack) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {:?} {{", stack.name);
    let _ = writeln!(out, "  rankdir = \"RL\";");
    let _ = writeln!(out, "  node [shape = box];");
    for r in &stack.resources {
        let _ = writeln!(out, "  {:?};", r.address.to_string());
    }
    for r in &stack.resources {
        for dep in &r.depends_on {
            let _ = writeln!(out, "  {:?} -> {:?};", r.address.to_string(), dep.to_string());
        }
    }
    out.push_str("}\n");
    out
}
