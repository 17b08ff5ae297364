//! One rendering of the plan at a given [`Layout`]: what each group of
//! changes shows (full diffs or names) is the layout's; the order and
//! wording are fixed here. Diff lines are computed once, in [`Doc::new`],
//! so that trying layouts only joins text.

use super::super::lines::Mark;
use super::super::text::{Paint, resource};
use super::super::{action_label, counts, output_lines};
use super::MarkdownOptions;
use super::syntax::{code, escape, fenced, html_escape, marker};
use crate::plan::{Action, Plan, ResourceChange};

/// Resources whose diff is longer than this many lines go in a collapsed
/// `<details>` section of their own; shorter ones share one diff block.
const MAX_INLINE_LINES: usize = 15;

/// The changed attributes an update's name line lists before `…`.
const MAX_NAMED_ATTRIBUTES: usize = 4;

/// The groups of changes, in the order the comment shows them: the risky
/// ones first, as a reviewer reads them first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Group {
    Destructive = 0,
    Update = 1,
    Create = 2,
}

impl Group {
    pub(super) const ALL: [Group; 3] = [Group::Destructive, Group::Update, Group::Create];

    fn of(action: Action) -> Option<Group> {
        match action {
            Action::NoOp => None,
            Action::Create => Some(Group::Create),
            Action::Update => Some(Group::Update),
            Action::Replace(_) | Action::Delete => Some(Group::Destructive),
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Group::Destructive => "Destroyed or replaced",
            Group::Update => "Updated in place",
            Group::Create => "Created",
        }
    }

    /// `created resources`, completing "the diffs of 3 ...".
    fn noun(self) -> &'static str {
        match self {
            Group::Destructive => "destroyed or replaced resources",
            Group::Update => "updated resources",
            Group::Create => "created resources",
        }
    }
}

/// What a rendering shows; [`super::fit`] degrades it step by step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Layout {
    /// Per [`Group`]: how many of its resources, from the first, show
    /// their diff; the others are only named.
    pub diffs: [usize; 3],
    /// Per [`Group`]: how many of the resources without a diff are named
    /// in its section; for destroyed or replaced ones, how many the
    /// warning up front names.
    pub names: [usize; 3],
    /// The block of changing outputs, or only their count.
    pub outputs: bool,
}

/// One changing resource and its diff lines, column 0 marked.
struct Entry<'a> {
    rc: &'a ResourceChange,
    diff: Vec<String>,
}

/// The plan, ready to be rendered at any layout.
pub(super) struct Doc<'a> {
    plan: &'a Plan,
    opts: &'a MarkdownOptions,
    groups: [Vec<Entry<'a>>; 3],
    outputs: Vec<String>,
}

impl<'a> Doc<'a> {
    pub(super) fn new(plan: &'a Plan, opts: &'a MarkdownOptions) -> Self {
        let mut groups: [Vec<Entry<'a>>; 3] = Default::default();
        for rc in plan.changes() {
            if let Some(g) = Group::of(rc.action) {
                groups[g as usize].push(Entry {
                    rc,
                    diff: diff_lines(rc),
                });
            }
        }
        let outputs = output_lines(plan)
            .into_iter()
            .map(|(mark, line)| format!("{}{line}", column0(mark)))
            .collect();
        Doc {
            plan,
            opts,
            groups,
            outputs,
        }
    }

    /// Everything shown.
    pub(super) fn full(&self) -> Layout {
        let all = Group::ALL.map(|g| self.count(g));
        Layout {
            diffs: all,
            names: all,
            outputs: true,
        }
    }

    /// How many resources `g` holds.
    pub(super) fn count(&self, g: Group) -> usize {
        self.groups[g as usize].len()
    }

    /// The comment at `layout`.
    pub(super) fn render(&self, layout: &Layout) -> String {
        let plan = self.plan;
        let place = format!("stack {} ({})", code(&plan.stack), escape(&plan.region));
        let mut out = marker(&plan.stack);
        if !plan.has_changes() {
            out.push_str(&format!(
                "**No changes.** The {place} matches the configuration.\n"
            ));
            out.push_str(&self.place());
            return out;
        }
        out.push_str(&format!("**Plan:** {} on {place}\n", counts(plan)));
        out.push_str(&self.place());
        out.push_str(&self.warning(layout.names[Group::Destructive as usize]));
        for g in Group::ALL {
            out.push_str(&self.group(g, layout));
        }
        out.push_str(&self.outputs(layout.outputs));
        out.push_str(&self.left_out(layout));
        out
    }

    /// `**Where:** local simulation (...)`, when the caller said.
    fn place(&self) -> String {
        match &self.opts.place {
            Some(place) => format!("\n**Where:** {}\n", escape(place)),
            None => String::new(),
        }
    }

    /// A GitHub alert naming the first `shown` resources destroyed or
    /// replaced, with the attributes that force each replacement; or
    /// nothing when none is.
    fn warning(&self, shown: usize) -> String {
        let risky = &self.groups[Group::Destructive as usize];
        if risky.is_empty() {
            return String::new();
        }
        let mut out = String::from("\n> [!WARNING]\n> This plan destroys or replaces resources:\n");
        for e in risky.iter().take(shown) {
            let forced: Vec<String> = e.rc.forcing_replacement().map(code).collect();
            let why = if forced.is_empty() {
                String::new()
            } else {
                format!(", forced by {}", forced.join(", "))
            };
            out.push_str(&format!(
                "> - {} ({}){why}\n",
                code(&e.rc.address.to_string()),
                action_label(e.rc.action)
            ));
        }
        if shown < risky.len() {
            out.push_str(&format!(
                "> - and {} more, left out to fit one comment\n",
                risky.len() - shown
            ));
        }
        out
    }

    /// A group's heading, the diffs the layout shows, and the names
    /// standing for the others.
    fn group(&self, g: Group, layout: &Layout) -> String {
        let entries = &self.groups[g as usize];
        if entries.is_empty() {
            return String::new();
        }
        let (with_diff, without) = entries.split_at(layout.diffs[g as usize].min(entries.len()));
        let mut out = format!("\n### {} ({})\n", g.heading(), entries.len());
        let short: Vec<&str> = with_diff
            .iter()
            .filter(|e| e.diff.len() <= MAX_INLINE_LINES)
            .flat_map(|e| e.diff.iter().map(String::as_str).chain([""]))
            .collect();
        if let Some((_, lines)) = short.split_last() {
            out.push('\n');
            out.push_str(&fenced("diff", lines.iter().copied()));
        }
        for e in with_diff.iter().filter(|e| e.diff.len() > MAX_INLINE_LINES) {
            out.push('\n');
            out.push_str(&details(e));
        }
        if without.is_empty() {
            return out;
        }
        let others = if with_diff.is_empty() { "all" } else { "the other" };
        if g == Group::Destructive {
            out.push_str(&format!(
                "\nThe diffs of {others} {} are left out to fit one comment; the warning above names them.\n",
                without.len()
            ));
            return out;
        }
        out.push_str(&format!(
            "\nThe diffs of {others} {} are left out to fit one comment.\n",
            without.len()
        ));
        let shown = layout.names[g as usize].min(without.len());
        if shown == 0 {
            return out;
        }
        let mut lines: Vec<String> = without[..shown].iter().map(|e| name_line(e.rc)).collect();
        if shown < without.len() {
            lines.push(format!("  … and {} more", without.len() - shown));
        }
        out.push('\n');
        out.push_str(&fenced("diff", lines.iter().map(String::as_str)));
        out
    }

    fn outputs(&self, shown: bool) -> String {
        match (self.outputs.is_empty(), shown) {
            (true, _) => String::new(),
            (false, true) => format!(
                "\n**Changes to outputs:**\n\n{}",
                fenced("diff", self.outputs.iter().map(String::as_str))
            ),
            (false, false) => format!(
                "\n**Changes to outputs:** {} left out to fit one comment.\n",
                self.outputs.len()
            ),
        }
    }

    /// What `layout` leaves out and where to see all of it; nothing when
    /// it shows everything.
    fn left_out(&self, layout: &Layout) -> String {
        let mut missing = Vec::new();
        for g in Group::ALL {
            let n = self.count(g);
            let without = n - n.min(layout.diffs[g as usize]);
            // Destroyed or replaced resources are named up front, the
            // others where their diffs would be.
            let nameless = match g {
                Group::Destructive => n,
                _ => without,
            };
            let unnamed = nameless - nameless.min(layout.names[g as usize]);
            let noun = g.noun();
            match (without, unnamed) {
                (0, 0) => {}
                (w, u) if w == u => missing.push(format!("the diffs and names of {w} {noun}")),
                (0, u) => missing.push(format!("the names of {u} {noun}")),
                (w, 0) => missing.push(format!("the diffs of {w} {noun}")),
                (w, u) => missing.push(format!("the diffs of {w} {noun} and the names of {u} of them")),
            }
        }
        if !layout.outputs && !self.outputs.is_empty() {
            missing.push(format!("{} changing outputs", self.outputs.len()));
        }
        if missing.is_empty() {
            return String::new();
        }
        let whole = match &self.opts.full_plan {
            Some(link) if is_plain_url(link) => format!("<{link}>"),
            Some(text) => escape(text),
            None => "the JSON plan (`berth plan --format json`) or the text plan, \
                     kept as artifacts of the CI run"
                .to_owned(),
        };
        format!(
            "\n---\n\n**Left out to fit one comment** (at most {} characters): {}. \
             The whole plan: {whole}.\n",
            self.opts.max_chars,
            missing.join("; ")
        )
    }
}

/// A URL GitHub links as written inside `<...>`.
fn is_plain_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
}

/// A resource's text rendering, each line behind its diff marker.
fn diff_lines(rc: &ResourceChange) -> Vec<String> {
    resource(rc, Paint(false))
        .into_iter()
        .map(|(mark, line)| format!("{}{line}", column0(mark)))
        .collect()
}

/// The name standing for a resource's diff: `+ vpc.main`, or for an
/// update `! service.web: desired_count, image`.
fn name_line(rc: &ResourceChange) -> String {
    let address = rc.address.to_string();
    match rc.action {
        Action::Create => format!("+ {address}"),
        Action::Delete => format!("- {address}"),
        _ => {
            let names: Vec<&str> = rc.changes.iter().map(|c| c.name.as_str()).collect();
            let mut list = names[..names.len().min(MAX_NAMED_ATTRIBUTES)].join(", ");
            if names.len() > MAX_NAMED_ATTRIBUTES {
                list.push_str(", …");
            }
            format!("~ {address}: {list}")
        }
    }
}

/// The character a diff line starts with: `+` added, `-` removed, `~`
/// changed, as in the text rendering (GitHub colours `+` and `-`; a
/// changed line's `~` reads the same in the comment as in the terminal).
fn column0(mark: Mark) -> char {
    match mark {
        Mark::Add => '+',
        Mark::Remove => '-',
        Mark::Change => '~',
        Mark::Context => ' ',
    }
}

/// A collapsed section holding one resource's diff.
fn details(e: &Entry) -> String {
    format!(
        "<details><summary><code>{}</code> ({})</summary>\n\n{}\n</details>\n",
        html_escape(&e.rc.address.to_string()),
        action_label(e.rc.action),
        fenced("diff", e.diff.iter().map(String::as_str))
    )
}
