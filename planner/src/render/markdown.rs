//! The pull-request rendering: a summary line, a warning listing what is
//! destroyed or replaced, and the text rendering as ```` ```diff ```` blocks
//! whose column 0 GitHub colours (`+` added, `-` removed, `!` changed).

use super::lines::Mark;
use super::text::{Paint, resource};
use super::{action_label, counts, output_lines};
use crate::plan::{Action, Plan, ResourceChange};

/// Resources whose rendering is longer than this many lines go in a
/// collapsed `<details>` section of their own.
const MAX_INLINE_LINES: usize = 15;

/// Renders `plan` as GitHub-flavoured markdown for a pull request comment.
pub fn markdown(plan: &Plan) -> String {
    let place = format!("stack {} ({})", code(&plan.stack), plan.region);
    if !plan.has_changes() {
        return format!("**No changes.** The {place} matches the configuration.\n");
    }
    let mut out = format!("**Plan:** {} on {place}\n", counts(plan));
    out.push_str(&warning(plan));
    let rendered: Vec<(&ResourceChange, Vec<String>)> =
        plan.changes().map(|rc| (rc, diff_lines(rc))).collect();
    let short: Vec<&str> = rendered
        .iter()
        .filter(|(_, lines)| lines.len() <= MAX_INLINE_LINES)
        .flat_map(|(_, lines)| lines.iter().map(String::as_str).chain([""]))
        .collect();
    if !short.is_empty() {
        out.push('\n');
        out.push_str(&fenced(&short[..short.len() - 1]));
    }
    for (rc, lines) in rendered
        .iter()
        .filter(|(_, lines)| lines.len() > MAX_INLINE_LINES)
    {
        out.push('\n');
        out.push_str(&details(rc, lines));
    }
    let outputs: Vec<String> = output_lines(plan)
        .into_iter()
        .map(|(mark, line)| format!("{}{line}", marker(mark)))
        .collect();
    if !outputs.is_empty() {
        out.push_str("\n**Changes to outputs:**\n\n");
        out.push_str(&fenced(&outputs.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

/// A GitHub alert naming every resource destroyed or replaced, or nothing.
fn warning(plan: &Plan) -> String {
    let risky: Vec<&ResourceChange> = plan
        .changes()
        .filter(|rc| matches!(rc.action, Action::Delete | Action::Replace(_)))
        .collect();
    if risky.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n> [!WARNING]\n> This plan destroys or replaces resources:\n");
    for rc in risky {
        out.push_str(&format!(
            "> - {} ({})\n",
            code(&rc.address.to_string()),
            action_label(rc.action)
        ));
    }
    out
}

/// A resource's text rendering, each line behind its diff marker.
fn diff_lines(rc: &ResourceChange) -> Vec<String> {
    resource(rc, Paint(false))
        .into_iter()
        .map(|(mark, line)| format!("{}{line}", marker(mark)))
        .collect()
}

fn marker(mark: Mark) -> char {
    match mark {
        Mark::Add => '+',
        Mark::Remove => '-',
        Mark::Change => '!',
        Mark::Context => ' ',
    }
}

/// A collapsed section holding one resource's diff.
fn details(rc: &ResourceChange, lines: &[String]) -> String {
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    format!(
        "<details><summary><code>{}</code> ({})</summary>\n\n{}\n</details>\n",
        html_escape(&rc.address.to_string()),
        action_label(rc.action),
        fenced(&lines)
    )
}

/// A ```` ```diff ```` block, its fence longer than any backtick run inside.
fn fenced(lines: &[&str]) -> String {
    let fence = "`".repeat(3.max(longest_backtick_run(lines.iter().copied()) + 1));
    let mut out = format!("{fence}diff\n");
    for line in lines {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

/// Inline code, its delimiters longer than any backtick run inside.
fn code(s: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run([s].into_iter()) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

fn longest_backtick_run<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts
        .flat_map(|t| t.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
