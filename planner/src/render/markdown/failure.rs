//! The comment for a plan that could not be made: what went wrong, and its
//! diagnostics (`file:line:col` and the source line) in a code block, so
//! that a pull request shows why instead of a stale plan.

use super::MarkdownOptions;
use super::syntax::{chars, code, escape, fenced, hard_cut, marker};

/// Renders a failed plan of `stack`: `problem` in one line (`the
/// configuration is invalid`), then `details` (diagnostics as the terminal
/// shows them, without colour) in a text block, its lines cut to fit
/// `opts.max_chars` with a note saying how many were left out.
pub fn markdown_failure(stack: &str, problem: &str, details: &str, opts: &MarkdownOptions) -> String {
    let mut head = marker(stack);
    head.push_str(&format!(
        "**Plan failed** for stack {}: {}\n",
        code(stack),
        escape(problem)
    ));
    if let Some(place) = &opts.place {
        head.push_str(&format!("\n**Where:** {}\n", escape(place)));
    }
    let lines: Vec<&str> = details.trim_end().lines().collect();
    let render = |shown: usize| {
        let mut out = head.clone();
        if lines.is_empty() {
            return out;
        }
        out.push('\n');
        let cut = lines.len() - shown;
        let note = format!("… {cut} more lines: see the CI log");
        let kept = lines[..shown].iter().copied();
        if cut == 0 {
            out.push_str(&fenced("text", kept));
        } else {
            out.push_str(&fenced("text", kept.chain([note.as_str()])));
        }
        out
    };
    let mut shown = lines.len();
    let mut out = render(shown);
    // Halving, then line by line: a long error list is rare and short.
    while chars(&out) > opts.max_chars && shown > 0 {
        let over = chars(&out) - opts.max_chars;
        shown = if over > 4096 { shown / 2 } else { shown - 1 };
        out = render(shown);
    }
    hard_cut(out, opts.max_chars)
}
