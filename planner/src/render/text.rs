//! The terminal rendering, shaped after Terraform's so that it reads
//! familiar in a terminal and in a pull request.

use super::lines::{self, FORCES_REPLACEMENT, Line, Mark};
use super::value::{Shape, quote};
use super::{RenderOptions, counts, heading, output_lines, symbol, title};
use crate::plan::{Action, Plan, ResourceChange};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Renders `plan` for a terminal: every changing resource with its
/// attribute changes, then `Plan: N to add, N to change, N to destroy.`;
/// or one line saying there is nothing to do. Colour only with
/// `opts.color`.
pub fn text(plan: &Plan, opts: &RenderOptions) -> String {
    let paint = Paint(opts.color);
    if !plan.has_changes() {
        return format!(
            "{}\n",
            paint.bold(&format!(
                "No changes. Stack {} matches the configuration.",
                quote(&plan.stack)
            ))
        );
    }
    let mut out = format!(
        "berth will perform the following actions on stack {} ({}):\n",
        quote(&plan.stack),
        plan.region
    );
    for rc in plan.changes() {
        out.push('\n');
        for (_, line) in resource(rc, paint) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&paint.bold(&format!("Plan: {}.", counts(plan))));
    out.push('\n');
    let outputs = output_lines(plan);
    if !outputs.is_empty() {
        out.push_str("\nChanges to Outputs:\n");
        for (_, line) in outputs {
            // The symbol is the line's first non-blank character.
            let (indent, rest) = line.split_at(2);
            let (sym, rest) = rest.split_at(1);
            out.push_str(&format!("{indent}{}{rest}\n", paint.symbol(sym)));
        }
    }
    out
}

/// One resource's lines, each with what it shows happening (the markdown
/// rendering marks its column 0 with it).
pub(crate) fn resource(rc: &ResourceChange, paint: Paint) -> Vec<(Mark, String)> {
    let body = lines::body(rc);
    let mut out = vec![(
        Mark::Context,
        paint.bold(&format!("  # {} {}", rc.address, heading(rc))),
    )];
    if let Some(d) = &rc.duplicate {
        out.push((
            Mark::Context,
            format!("  # {}", super::duplicate_note(&rc.address, d)),
        ));
    }
    if let Some(note) = super::let_go_note(rc) {
        out.push((Mark::Context, format!("  # {note}")));
    }
    let header = format!(
        "{} {}",
        paint.symbol(&format!("{:>3}", symbol(rc.action))),
        title(&rc.address)
    );
    if body.is_empty() {
        out.push((header_mark(rc.action), format!("{header} {{}}")));
        return out;
    }
    out.push((header_mark(rc.action), format!("{header} {{")));
    let widths = lines::key_widths(&body);
    for (line, width) in body.iter().zip(widths) {
        out.push((line.mark, body_line(line, width, paint)));
    }
    out.push((Mark::Context, "    }".to_owned()));
    out
}

/// How a resource's header line reads as a diff line.
fn header_mark(action: Action) -> Mark {
    match action {
        Action::Create => Mark::Add,
        Action::Delete => Mark::Remove,
        Action::NoOp => Mark::Context,
        Action::Update | Action::Replace(_) => Mark::Change,
    }
}

/// `      ~ key = text # forces replacement`, indented by depth. Closing
/// braces carry no symbol, as in Terraform.
fn body_line(line: &Line, width: usize, paint: Paint) -> String {
    let sym = match (line.shape, line.mark) {
        (Shape::Close, _) | (_, Mark::Context) => " ",
        (_, Mark::Add) => "+",
        (_, Mark::Remove) => "-",
        (_, Mark::Change) => "~",
    };
    let mut out = format!(
        "{}{} {}",
        " ".repeat(6 + 4 * line.depth),
        paint.symbol(sym),
        line.content(width)
    );
    if line.forces_replacement {
        out.push(' ');
        out.push_str(&paint.paint(RED, FORCES_REPLACEMENT));
    }
    out
}

/// Adds ANSI colour, or does nothing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Paint(pub bool);

impl Paint {
    fn paint(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("{code}{s}{RESET}")
        } else {
            s.to_owned()
        }
    }

    fn bold(self, s: &str) -> String {
        self.paint(BOLD, s)
    }

    /// Colours each character of a symbol: `+` green, `-` red, `~` yellow.
    fn symbol(self, sym: &str) -> String {
        sym.chars()
            .map(|c| match c {
                '+' => self.paint(GREEN, "+"),
                '-' => self.paint(RED, "-"),
                '~' => self.paint(YELLOW, "~"),
                c => c.to_string(),
            })
            .collect()
    }
}
