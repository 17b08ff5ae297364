//! `berth fmt`: the canonical layout of a `.berth` file.
//!
//! Two-space indentation; one blank line between top-level blocks; blank
//! lines inside a body kept (at most one); `=` aligned across consecutive
//! attributes; blocks, lists and maps written on one line stay on one line,
//! the others get one entry per line (lists with trailing commas). Strings
//! are kept exactly as written. Every comment is kept, own-line comments
//! before what follows them and end-of-line comments where they were.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Block, Expr, ExprKind, ForExpr, ForResult, Item, Label, MapEntry, Step, UnaryOp};
use crate::syntax::parse_recovering;

const INDENT: &str = "  ";

/// Formats one file's text. Fails only on syntax errors.
pub fn format_source(text: &str) -> Result<String, Vec<Diagnostic>> {
    format_file(FileId(0), text)
}

/// Formats the text of file `id`; fails with every syntax error (their
/// spans name `id`), since a broken file has no canonical layout.
pub fn format_file(id: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse_recovering(id, text);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    if text.contains('\r') {
        // CRLF and lone-CR line endings become `\n`. The text parsed, so no
        // string holds a `\r` (a string ends on its line) and only line
        // endings change.
        let unix = text.replace("\r\n", "\n").replace('\r', "\n");
        return format_file(id, &unix);
    }
    let file = parsed.tree;
    let mut p = Printer {
        text,
        comments: &file.comments,
        done: vec![false; file.comments.len()],
        out: String::new(),
    };
    let mut prev_end = None;
    for block in &file.blocks {
        p.leading_comments(block.span.start, 0, prev_end, true);
        p.block(block, 0);
        p.trailing_comment(block.span.end);
        p.out.push('\n');
        prev_end = Some(block.span.end);
    }
    p.leading_comments(text.len(), 0, prev_end, false);
    Ok(p.out)
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Span],
    /// Which comments are printed (or kept inside verbatim text).
    done: Vec<bool>,
    out: String,
}

impl<'a> Printer<'a> {
    fn src(&self, span: Span) -> &'a str {
        &self.text[span.range()]
    }

    fn is_multiline(&self, span: Span) -> bool {
        self.src(span).contains('\n')
    }

    /// Whether the source has an empty line between two offsets.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        let lines: Vec<&str> = self.text[from.min(to)..to].split('\n').collect();
        lines.len() >= 3 && lines[1..lines.len() - 1].iter().any(|l| l.trim().is_empty())
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str(INDENT);
        }
    }

    /// Prints comments that start before `before` on their own lines, keeping
    /// (at most one) blank line where the source had one after `prev_end`,
    /// between comments and, if `blank_before`, before `before` itself.
    fn leading_comments(&mut self, before: usize, level: usize, prev_end: Option<usize>, blank_before: bool) {
        let mut last = prev_end;
        while let Some((i, c)) = self.pending() {
            if c.start >= before {
                break;
            }
            self.blank_line_if(last, c.start);
            self.indent(level);
            self.out.push_str(self.src(c).trim_end());
            self.out.push('\n');
            self.done[i] = true;
            last = Some(c.end);
        }
        if blank_before {
            self.blank_line_if(last, before);
        }
    }

    fn blank_line_if(&mut self, from: Option<usize>, to: usize) {
        if let Some(from) = from
            && self.blank_between(from, to)
            && !self.out.ends_with("\n\n")
        {
            self.out.push('\n');
        }
    }

    /// Appends an end-of-line comment that follows `after` on its line.
    fn trailing_comment(&mut self, after: usize) {
        if let Some((i, c)) = self.pending()
            && c.start >= after
            && !self.text[after..c.start].contains('\n')
        {
            self.out.push(' ');
            self.out.push_str(self.src(c).trim_end());
            self.done[i] = true;
        }
    }

    /// Marks comments inside a span printed verbatim as printed.
    fn skip_comments_in(&mut self, span: Span) {
        for (done, c) in self.done.iter_mut().zip(self.comments) {
            if c.start >= span.start && c.end <= span.end {
                *done = true;
            }
        }
    }

    /// The first comment not printed yet.
    fn pending(&self) -> Option<(usize, Span)> {
        self.done.iter().position(|d| !d).map(|i| (i, self.comments[i]))
    }

    fn unprinted(&self) -> impl Iterator<Item = &Span> {
        self.comments
            .iter()
            .zip(&self.done)
            .filter(|(_, d)| !**d)
            .map(|(c, _)| c)
    }

    fn header(&mut self, block: &Block) {
        self.out.push_str(&block.kind.name);
        if let Some(subkind) = &block.subkind {
            self.out.push(' ');
            self.out.push_str(&subkind.name);
        }
        match &block.label {
            Some(Label::Ident(i)) => {
                self.out.push(' ');
                self.out.push_str(&i.name);
            }
            Some(Label::String(e)) => {
                self.out.push(' ');
                self.skip_comments_in(e.span);
                self.out.push_str(self.src(e.span));
            }
            None => {}
        }
    }

    fn block(&mut self, block: &Block, level: usize) {
        self.header(block);
        let one_line =
            !self.is_multiline(block.span) && block.body.iter().all(|i| matches!(i, Item::Attribute(_)));
        if block.body.is_empty() && !self.has_comment_in(block.span) {
            self.out.push_str(" {}");
            return;
        }
        if one_line {
            self.out.push_str(" { ");
            for (i, item) in block.body.iter().enumerate() {
                if i > 0 {
                    self.out.push_str("  ");
                }
                if let Item::Attribute(a) = item {
                    self.out.push_str(&a.name.name);
                    self.out.push_str(" = ");
                    self.expr(&a.value, level + 1);
                }
            }
            self.out.push_str(" }");
            return;
        }
        self.out.push_str(" {");
        let body_start = block.label.as_ref().map_or(block.kind.span.end, |l| l.span().end);
        self.trailing_comment(body_start + self.text[body_start..].find('{').map_or(0, |i| i + 1));
        self.out.push('\n');
        let widths = self.alignment(&block.body);
        let mut prev_end = None;
        for (item, width) in block.body.iter().zip(widths) {
            self.leading_comments(item.span().start, level + 1, prev_end, true);
            // Comments between an attribute's name and its value go above it.
            self.leading_comments(printed_start(item), level + 1, None, false);
            self.indent(level + 1);
            match item {
                Item::Attribute(a) => {
                    self.out.push_str(&a.name.name);
                    for _ in a.name.name.len()..width {
                        self.out.push(' ');
                    }
                    self.out.push_str(" = ");
                    self.expr(&a.value, level + 1);
                }
                Item::Block(b) => self.block(b, level + 1),
            }
            self.trailing_comment(item.span().end);
            self.out.push('\n');
            prev_end = Some(item.span().end);
        }
        self.leading_comments(block.span.end, level + 1, prev_end, false);
        self.indent(level);
        self.out.push('}');
    }

    /// Whether a comment that will print on its own line lies between
    /// `prev` and `before`: anything after what `prev` prints first but
    /// `prev`'s end-of-line comment.
    fn own_line_comment_between(&self, prev: &Item, before: usize) -> bool {
        let (from, prev) = (printed_start(prev), prev.span());
        self.unprinted().any(|c| {
            c.start > from
                && c.start < before
                && (c.start < prev.end || self.text[prev.end..c.start].contains('\n'))
        })
    }

    /// Whether an item comes out on several lines (decided by the same rules
    /// `block` and `expr` follow, so formatting twice changes nothing).
    fn prints_multiline(&self, item: &Item) -> bool {
        match item {
            Item::Block(b) => self.is_multiline(b.span) || b.body.iter().any(|i| matches!(i, Item::Block(_))),
            Item::Attribute(a) => self.expr_multiline(&a.value),
        }
    }

    fn expr_multiline(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::List(items) => {
                (!items.is_empty() && self.is_multiline(e.span))
                    || items.iter().any(|i| self.expr_multiline(i))
            }
            ExprKind::Map(entries) => {
                (!entries.is_empty() && self.is_multiline(e.span))
                    || entries.iter().any(|m| self.expr_multiline(&m.value))
            }
            ExprKind::Call(c) => c.args.iter().any(|a| self.expr_multiline(a)),
            ExprKind::Postfix(base, _) => self.expr_multiline(base),
            ExprKind::Paren(_)
            | ExprKind::Unary(..)
            | ExprKind::Binary(..)
            | ExprKind::Conditional(..)
            | ExprKind::For(_) => self.is_multiline(e.span),
            _ => false,
        }
    }

    /// `.name`, `[index]` and `[*]` as Terraform writes them.
    fn steps(&mut self, steps: &[Step], level: usize) {
        for step in steps {
            match step {
                Step::Attr(i) => {
                    self.out.push('.');
                    self.out.push_str(&i.name);
                }
                Step::Splat(_) => self.out.push_str("[*]"),
                Step::Index(ix) => {
                    self.out.push('[');
                    self.expr(ix, level);
                    self.out.push(']');
                }
            }
        }
    }

    /// `[for k, v in xs : RESULT if COND]` on one line.
    fn for_expr(&mut self, f: &ForExpr, level: usize) {
        let names: Vec<&str> = f.names().map(|n| n.name.as_str()).collect();
        self.out.push_str(match f.result {
            ForResult::List(_) => "[for ",
            ForResult::Map { .. } => "{for ",
        });
        self.out.push_str(&names.join(", "));
        self.out.push_str(" in ");
        self.expr(&f.collection, level);
        self.out.push_str(" : ");
        match &f.result {
            ForResult::List(value) => self.expr(value, level),
            ForResult::Map { key, value, group } => {
                self.expr(key, level);
                self.out.push_str(" => ");
                self.expr(value, level);
                if *group {
                    self.out.push_str("...");
                }
            }
        }
        if let Some(cond) = &f.cond {
            self.out.push_str(" if ");
            self.expr(cond, level);
        }
        self.out.push(match f.result {
            ForResult::List(_) => ']',
            ForResult::Map { .. } => '}',
        });
    }

    fn has_comment_in(&self, span: Span) -> bool {
        self.unprinted()
            .any(|c| c.start >= span.start && c.end <= span.end)
    }

    /// The name width each item's `=` aligns to: runs of attributes not
    /// broken by blank lines, comments on their own line or blocks.
    fn alignment(&self, items: &[Item]) -> Vec<usize> {
        let mut widths = vec![0; items.len()];
        let mut run: Vec<usize> = Vec::new();
        let flush = |run: &mut Vec<usize>, widths: &mut Vec<usize>| {
            let w = run
                .iter()
                .filter_map(|i| match &items[*i] {
                    Item::Attribute(a) => Some(a.name.name.len()),
                    Item::Block(_) => None,
                })
                .max()
                .unwrap_or(0);
            for i in run.drain(..) {
                widths[i] = w;
            }
        };
        for (i, item) in items.iter().enumerate() {
            let breaks = i > 0 && {
                let prev = &items[i - 1];
                self.blank_between(prev.span().end, item.span().start)
                    || self.own_line_comment_between(prev, printed_start(item))
                    || self.prints_multiline(&items[i - 1])
            };
            if breaks || matches!(item, Item::Block(_)) {
                flush(&mut run, &mut widths);
            }
            if matches!(item, Item::Attribute(_)) {
                run.push(i);
            }
        }
        flush(&mut run, &mut widths);
        widths
    }

    fn expr(&mut self, e: &Expr, level: usize) {
        match &e.kind {
            ExprKind::Null => self.out.push_str("null"),
            ExprKind::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            ExprKind::Int(i) => self.out.push_str(&i.to_string()),
            ExprKind::Decimal(d) => self.out.push_str(&d.to_string()),
            ExprKind::String(_) => {
                self.skip_comments_in(e.span);
                self.out.push_str(self.src(e.span));
            }
            ExprKind::Traversal(t) => {
                self.out.push_str(&t.root.name);
                self.steps(&t.steps, level);
            }
            ExprKind::Postfix(base, steps) => {
                self.expr(base, level);
                self.steps(steps, level);
            }
            // Across lines or around a comment, as written: the layout is
            // the author's and no comment is lost.
            ExprKind::Paren(_)
            | ExprKind::Unary(..)
            | ExprKind::Binary(..)
            | ExprKind::Conditional(..)
            | ExprKind::For(_)
                if self.is_multiline(e.span) || self.has_comment_in(e.span) =>
            {
                self.skip_comments_in(e.span);
                self.out.push_str(self.src(e.span));
            }
            ExprKind::Paren(inner) => {
                self.out.push('(');
                self.expr(inner, level);
                self.out.push(')');
            }
            ExprKind::Unary(op, inner) => {
                self.out.push(match op {
                    UnaryOp::Not => '!',
                    UnaryOp::Neg => '-',
                });
                self.expr(inner, level);
            }
            ExprKind::Binary(op, lhs, rhs) => {
                self.expr(lhs, level);
                self.out.push(' ');
                self.out.push_str(op.symbol());
                self.out.push(' ');
                self.expr(rhs, level);
            }
            ExprKind::Conditional(cond, then, otherwise) => {
                self.expr(cond, level);
                self.out.push_str(" ? ");
                self.expr(then, level);
                self.out.push_str(" : ");
                self.expr(otherwise, level);
            }
            ExprKind::For(f) => self.for_expr(f, level),
            ExprKind::Call(c) => {
                self.out.push_str(&c.name.name);
                self.out.push('(');
                for (i, a) in c.args.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(a, level);
                }
                if c.expand {
                    self.out.push_str("...");
                }
                self.out.push(')');
            }
            ExprKind::List(items) if self.is_multiline(e.span) && !items.is_empty() => {
                self.out.push_str("[\n");
                for item in items {
                    self.leading_comments(item.span.start, level + 1, None, false);
                    self.indent(level + 1);
                    self.expr(item, level + 1);
                    self.out.push(',');
                    let after = item.span.end
                        + self.text[item.span.end..e.span.end]
                            .find(',')
                            .map_or(0, |i| i + 1);
                    self.trailing_comment(after);
                    self.out.push('\n');
                }
                self.leading_comments(e.span.end, level + 1, None, false);
                self.indent(level);
                self.out.push(']');
            }
            ExprKind::List(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(item, level);
                }
                self.leading_comments(e.span.end, level + 1, None, false);
                self.out.push(']');
            }
            ExprKind::Map(entries) if self.is_multiline(e.span) && !entries.is_empty() => {
                self.out.push_str("{\n");
                let width = entries.iter().map(|m| self.key_text(m).len()).max().unwrap_or(0);
                for entry in entries {
                    // Comments before the value, even after the key, go above the entry.
                    self.leading_comments(entry.value.span.start, level + 1, None, false);
                    self.indent(level + 1);
                    let key = self.key_text(entry).to_owned();
                    self.out.push_str(&key);
                    for _ in key.len()..width {
                        self.out.push(' ');
                    }
                    self.out.push_str(" = ");
                    self.expr(&entry.value, level + 1);
                    self.trailing_comment(entry.value.span.end);
                    self.out.push('\n');
                }
                self.leading_comments(e.span.end, level + 1, None, false);
                self.indent(level);
                self.out.push('}');
            }
            ExprKind::Map(entries) => {
                if entries.is_empty() {
                    self.out.push_str("{}");
                    return;
                }
                self.out.push_str("{ ");
                for (i, entry) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let key = self.key_text(entry).to_owned();
                    self.out.push_str(&key);
                    self.out.push_str(" = ");
                    self.expr(&entry.value, level);
                }
                self.out.push_str(" }");
            }
        }
    }

    fn key_text(&self, entry: &MapEntry) -> &'a str {
        self.src(entry.key.span)
    }
}

/// Where the text printed after an item's own-line comments starts: an
/// attribute's value (comments between its name and value print above it),
/// or a block's kind.
fn printed_start(item: &Item) -> usize {
    match item {
        Item::Attribute(a) => a.value.span.start,
        Item::Block(b) => b.span.start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_source(text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn crlf_and_lone_cr_line_endings_format_like_lf() {
        let lf = "vpc main { # c\n  cidr = \"10.0.0.0/16\"\n\n  # own line\n  dns_hostnames = true\n}\n";
        let expected = fmt(lf);
        assert_eq!(fmt(&lf.replace('\n', "\r\n")), expected);
        assert_eq!(fmt(&lf.replace('\n', "\r")), expected);
    }

    /// HCL's argument expansion, `merge(local.maps...)`, was a syntax
    /// error (E0001); formatted, it keeps its `...`.
    #[test]
    fn terraform_headers_are_written_as_berth_writes_them() {
        assert_eq!(
            fmt(
                "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\ndata \"aws_vpc\" \"shared\" {}\nresource time_sleep wait {}\n"
            ),
            "vpc main {\n  cidr_block = \"10.0.0.0/16\"\n}\ndata vpc shared {}\ntime_sleep wait {}\n"
        );
    }

    #[test]
    fn an_expanded_argument_keeps_its_dots() {
        assert_eq!(
            fmt("x y {\n  a = merge( [ {a = 1}, {b = 2} ] ... )\n  b = concat(var.a, var.lists...)\n}\n"),
            "x y {\n  a = merge([{ a = 1 }, { b = 2 }]...)\n  b = concat(var.a, var.lists...)\n}\n"
        );
    }

    #[test]
    fn computed_map_keys_are_kept_as_written() {
        assert_eq!(
            fmt("x y {\n  a = { (var.k) = 1, \"${var.env}-x\" = 2 }\n}\n"),
            "x y {\n  a = { (var.k) = 1, \"${var.env}-x\" = 2 }\n}\n"
        );
    }

    #[test]
    fn canonical_layout() {
        let messy = "vpc   main{cidr=\"10.0.0.0/16\"\n      dns_hostnames=true}\ninternet_gateway main { vpc = vpc.main }";
        assert_eq!(
            fmt(messy),
            "vpc main {\n  cidr          = \"10.0.0.0/16\"\n  dns_hostnames = true\n}\ninternet_gateway main { vpc = vpc.main }\n"
        );
    }

    #[test]
    fn operators_get_one_space_around_them_unless_written_across_lines() {
        assert_eq!(
            fmt("x y {\n  a = var.n+1\n  b = var.env==\"prod\"?3:(1*2)\n  c = !var.on\n}\n"),
            "x y {\n  a = var.n + 1\n  b = var.env == \"prod\" ? 3 : (1 * 2)\n  c = !var.on\n}\n"
        );
        let across = "x y {\n  a = var.big # why\n    ? 3\n    : 1\n}\n";
        assert_eq!(fmt(across), across);
    }

    #[test]
    fn for_expressions_print_as_terraform_writes_them() {
        assert_eq!(
            fmt(
                "x y {\n  a = [ for  k,v in var.m :  v  if v>1 ]\n  b = {for s in var.l:s.name=>s.port ...}\n}\n"
            ),
            "x y {\n  a = [for k, v in var.m : v if v > 1]\n  b = {for s in var.l : s.name => s.port...}\n}\n"
        );
        let across = "x y {\n  a = [\n    for s in var.l : s # each\n  ]\n}\n";
        assert_eq!(fmt(across), across);
    }

    #[test]
    fn steps_after_a_call_or_a_list_stay_attached() {
        assert_eq!(
            fmt("x y {\n  a = split(\",\",var.s)[ 0 ]\n  b = [for s in var.l : s][*].id\n}\n"),
            "x y {\n  a = split(\",\", var.s)[0]\n  b = [for s in var.l : s][*].id\n}\n"
        );
    }

    #[test]
    fn splats_print_as_terraform_writes_them() {
        assert_eq!(
            fmt("x y { a = subnet.private[ * ].id }\n"),
            "x y { a = subnet.private[*].id }\n"
        );
        // Terraform 0.11's attribute splat is the same splat.
        assert_eq!(
            fmt("x y { a = element(subnet.private.*.id, count.index) }\n"),
            "x y { a = element(subnet.private[*].id, count.index) }\n"
        );
    }

    #[test]
    fn keeps_every_comment() {
        let src = "# head\n\n# about vpc\nvpc main { # opening\n  # inside\n  cidr = \"10.0.0.0/16\" # trailing\n\n  # last\n}\n# tail\n";
        let out = fmt(src);
        for c in [
            "# head",
            "# about vpc",
            "# opening",
            "# inside",
            "# trailing",
            "# last",
            "# tail",
        ] {
            assert_eq!(out.matches(c).count(), 1, "{c} in\n{out}");
        }
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn multiline_lists_and_maps() {
        let src = "x y {\n  l = [\n    \"a\", # first\n    \"b\"]\n  m = {\n  A = 1\n  BB = 2 }\n}\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "x y {\n  l = [\n    \"a\", # first\n    \"b\",\n  ]\n  m = {\n    A  = 1\n    BB = 2\n  }\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }

    /// Found by the property test: a comment between an attribute's name
    /// and `=` was printed inside the next list, and moved again by a
    /// second `fmt`.
    #[test]
    fn a_comment_between_a_name_and_its_value_goes_above_it() {
        let src = "lb web {\n  subnets# c\n         = [subnet.a, subnet.b]\n  security_groups = [sg.web]\n  m = {\n    key # k\n    = 1\n    kk = 2\n  }\n}\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "lb web {\n  # c\n  subnets         = [subnet.a, subnet.b]\n  security_groups = [sg.web]\n  m               = {\n    # k\n    key = 1\n    kk  = 2\n  }\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }
}
