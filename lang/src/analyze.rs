//! The whole front end in one call: parse every file, check declarations,
//! schema and references, evaluate, then type and domain checks.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::{
    connect, declare, domain, families, load_balancer_types, lookups, refs, restated, route_targets, schema,
    sg_rules, types,
};
use crate::desugar;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, LookupFn};
use crate::source::{FileId, Sources};
use crate::stack::Stack;
use crate::syntax::{self, ast};

/// Everything the front end learnt about a stack.
#[derive(Debug)]
pub struct Analysis {
    pub sources: Sources,
    /// Parsed files (those without syntax errors).
    pub files: Vec<(FileId, ast::File)>,
    /// The evaluated stack, when there were no errors.
    pub stack: Option<Stack>,
    /// All errors found, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the stack calls `availability_zones()`: a caller that did not
    /// give [`Options::zones`] should ask the cloud and analyse again.
    pub zones_read: bool,
    /// Whether the stack has `data` blocks: a caller that gave no lookup
    /// (see [`analyze_in_cloud`]) got placeholders and should ask the cloud.
    pub lookups_read: bool,
}

/// Inputs of an analysis besides the sources.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--var NAME=VALUE` settings; [`NULL_VAR`] for a variables file's
    /// `null`.
    pub vars: BTreeMap<String, String>,
    /// Where variables not set on the command line were set (`qa.vars:3`
    /// for a `--var-file`), so their errors name that place, not `--var`.
    pub var_origins: BTreeMap<String, String>,
    /// Variables set only by a file read without being named
    /// (`terraform.tfvars`): one the stack does not declare is no error
    /// there, as Terraform only warns of it.
    pub optional_vars: BTreeSet<String>,
    /// Name of a stack without a `stack` block (the directory's name).
    pub default_name: String,
    /// The zones the cloud gives the stack's region, for
    /// `availability_zones()`; `None`: the zones AWS documents.
    pub zones: Option<Vec<String>>,
}

/// The setting of a variable a variables file sets to `null` (Terraform's
/// `x = null` in a `.tfvars` file: null whatever its type), where a
/// `--var x=null` is the text "null": no text a `--var` carries.
pub const NULL_VAR: &str = "\u{0}null";

/// Analyses a stack made of `sources`; `diagnostics` may already hold
/// problems found while loading them. Lookups (`data` blocks) evaluate to
/// placeholders of their type.
pub fn analyze(sources: Sources, diagnostics: Vec<Diagnostic>, options: &Options) -> Analysis {
    analyze_in_cloud(sources, diagnostics, options, None)
}

/// [`analyze`], with `lookup` answering the stack's `data` blocks.
pub fn analyze_in_cloud(
    sources: Sources,
    mut diagnostics: Vec<Diagnostic>,
    options: &Options,
    lookup: Option<&LookupFn<'_>>,
) -> Analysis {
    let mut files = Vec::new();
    // Other tools' spellings that could not be rewritten: not syntax
    // errors, but the stack is not evaluated with them.
    let mut unwritten = Vec::new();
    // Every file parsed: a resource not found in them is not in the stack.
    let mut complete = true;
    for (id, file) in sources.iter() {
        let parsed = syntax::parse_recovering(id, &file.text);
        // A file with syntax errors contributes only those: checking its
        // recovered tree would report what the broken items left out.
        if parsed.errors.is_empty() {
            files.push((id, parsed.tree));
        } else {
            complete = false;
            diagnostics.extend(parsed.errors);
        }
    }
    desugar::references(&mut files);
    crate::inert::take_out(&mut files, &sources, options);
    desugar::rewrite_all(&mut files, &sources, complete, &mut unwritten);
    let mut zones_read = false;
    let lookups_read = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .any(|b| b.kind.name == crate::syntax::DATA);
    let stack = check_and_evaluate(
        &files,
        &sources,
        options,
        lookup,
        &mut diagnostics,
        unwritten,
        &mut zones_read,
    );
    diagnostics.sort_by_key(|d| d.span.map(|s| (s.file, s.start)));
    // A resource written out per instance (`inert`) reports a problem of
    // its text once per instance: once is enough.
    let mut seen = Vec::new();
    diagnostics.retain(|d| {
        let new = !seen.contains(d);
        if new {
            seen.push(d.clone());
        }
        new
    });
    let stack = if diagnostics.is_empty() { stack } else { None };
    Analysis {
        sources,
        files,
        stack,
        diagnostics,
        zones_read,
        lookups_read,
    }
}

/// Runs every stage whose input is sound, so one run reports as much as it
/// can: schema errors do not stop evaluation, but a syntax error stops
/// reference checks (names in the broken file would all look undeclared),
/// and declaration or reference errors, or `unwritten` (other tools'
/// spellings [`desugar`] could not rewrite), stop evaluation.
fn check_and_evaluate(
    files: &[(FileId, ast::File)],
    sources: &Sources,
    options: &Options,
    lookup: Option<&LookupFn<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
    unwritten: Vec<Diagnostic>,
    zones_read: &mut bool,
) -> Option<Stack> {
    let syntax_ok = diagnostics.is_empty();
    let mut structural = unwritten;
    let module = declare::collect(files.iter().flat_map(|(_, f)| &f.blocks), &mut structural);
    let mut pending = Vec::new();
    for decl in module.resources.values() {
        schema::check_resource(decl, diagnostics, &mut pending);
    }
    // Not evaluated: every unknown attribute is one, but those the
    // variables alone make null (a module's settings berth does not write,
    // which would read as as many errors beside the one that stopped it).
    let unsettled = |diagnostics: &mut Vec<Diagnostic>, pending: Vec<schema::Pending>| {
        let exprs: Vec<&ast::Expr> = pending.iter().map(|p| &p.expr).collect();
        let values = eval::from_variables(&module, options, sources, &exprs);
        let unknown = pending
            .into_iter()
            .zip(values)
            .filter(|(_, v)| *v != Some(berth_provider::Value::Null));
        diagnostics.extend(unknown.map(|(p, _)| p.diag));
    };
    if !syntax_ok {
        diagnostics.extend(structural);
        unsettled(diagnostics, pending);
        return None;
    }
    let deps = refs::resolve(&module, &mut structural);
    let sound = structural.is_empty();
    if sound {
        lookups::check_uses(&module, diagnostics);
    }
    diagnostics.extend(structural);
    if !sound {
        unsettled(diagnostics, pending);
        return None;
    }
    let (stack, read) = eval::evaluate(&module, &deps, options, sources, lookup, diagnostics);
    *zones_read = read;
    let Some(mut stack) = stack else {
        unsettled(diagnostics, pending);
        return None;
    };
    let mut found = schema::still_unknown(&stack, pending);
    restated::check(&mut stack, &mut found);
    sg_rules::default_egress_dropped(&mut stack);
    sg_rules::terraform_groups_let_out_only_their_rules(&mut stack, &module, sources);
    connect::names_as_references(&mut stack);
    families::as_references(&mut stack);
    load_balancer_types::take_off_values(&mut stack);
    route_targets::nat_gateways_as_gateways(&mut stack);
    for r in &mut stack.resources {
        types::convert_resource(r);
        types::check_resource(r, &mut found);
    }
    domain::check(&stack, &mut found);
    // A rule that quotes a value (a CIDR) must not quote a secret.
    for d in &mut found {
        d.redact(&stack.secrets);
    }
    diagnostics.extend(found);
    Some(stack)
}
