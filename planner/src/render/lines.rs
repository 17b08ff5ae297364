//! The body of one resource's change as marked lines, shared by the text
//! and markdown renderings: short attributes on one line (`a = 1 -> 2`),
//! long ones (big maps, long strings) pretty-printed before and after and
//! diffed line by line with `similar`. Nested blocks are first paired block
//! by block ([`pair_blocks`]), and only the lines of a pair are diffed, so
//! that no line is ever matched across a block boundary.

use std::ops::Range;

use berth_provider::Value;
use similar::{Algorithm, DiffTag, capture_diff_slices};

use std::collections::BTreeMap;

use super::value::{PLine, Shape, block_body, inline, is_blocks, is_long, laid_out, mask, pretty};
use crate::plan::{Action, AttrChange, ResourceChange};

/// The note after a line whose change forces replacement.
pub(crate) const FORCES_REPLACEMENT: &str = "# forces replacement";

/// Unchanged lines kept on each side of a change inside a long value.
const CONTEXT: usize = 3;
/// Diffs of a long value up to this many lines show in full.
const MAX_UNTRIMMED: usize = 20;

/// What a line says happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    Add,
    Remove,
    Change,
    Context,
}

/// One line of a resource's body, ready to be laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub mark: Mark,
    pub depth: usize,
    /// `Some(key)` for `key = text` lines, whose `=` is aligned.
    pub key: Option<String>,
    pub text: String,
    pub shape: Shape,
    /// Followed by `# forces replacement`.
    pub forces_replacement: bool,
}

impl Line {
    fn from_pretty(p: PLine, mark: Mark) -> Self {
        Line {
            mark,
            depth: p.depth,
            key: p.key,
            text: p.text,
            shape: p.shape,
            forces_replacement: false,
        }
    }

    fn hidden(depth: usize, count: usize) -> Self {
        let text = format!("# ({count} unchanged lines hidden)");
        Line {
            mark: Mark::Context,
            depth,
            key: None,
            text,
            shape: Shape::Leaf,
            forces_replacement: false,
        }
    }

    /// The line without its mark or note: `key = text`, the key padded to
    /// `width`.
    pub(crate) fn content(&self, width: usize) -> String {
        match &self.key {
            Some(k) => format!("{k:<width$} = {}", self.text),
            None => self.text.clone(),
        }
    }
}

/// The body lines of one resource's change, attribute by attribute in plan
/// order.
pub(crate) fn body(rc: &ResourceChange) -> Vec<Line> {
    // A resource made or deleted has no other side to hold defaults.
    let both_sides = matches!(rc.action, Action::Update | Action::Replace(_));
    let mut lines: Vec<Line> = rc
        .changes
        .iter()
        .map(|c| match both_sides {
            true => implicit_as_defaults(rc.address.kind, c),
            false => c.clone(),
        })
        .flat_map(|c| attribute(&c))
        .collect();
    // A part AWS made with its VPC, let go: what it holds stays.
    if rc.action == Action::Delete && rc.address.kind.taken_over() {
        for line in &mut lines {
            line.mark = Mark::Context;
        }
    }
    lines
}

/// `change` with an implicit block's missing side (AWS always holds one:
/// none written, or one equal to the defaults, reads as none) as the
/// defaults it stands for, so that a health check's new path shows as
/// that path changed, not as a whole block added or removed.
fn implicit_as_defaults(kind: berth_provider::Kind, change: &AttrChange) -> AttrChange {
    let Some(block) = kind.schema().block(&change.name).filter(|b| b.implicit) else {
        return change.clone();
    };
    let none = |v: &Option<Value>| match v {
        None => true,
        Some(Value::List(items)) => items.is_empty(),
        _ => false,
    };
    let defaults = || Some(Value::List(vec![berth_provider::schema::defaults(block)]));
    let mut change = change.clone();
    match (none(&change.before), none(&change.after)) {
        (true, false) => change.before = defaults(),
        (false, true) => change.after = defaults(),
        _ => {}
    }
    change
}

/// The lines of one attribute's change.
fn attribute(change: &AttrChange) -> Vec<Line> {
    let (before, after) = if change.sensitive {
        (change.before.as_ref().map(mask), change.after.as_ref().map(mask))
    } else {
        (change.before.clone(), change.after.clone())
    };
    let mut lines = match (before, after) {
        (None, None) => Vec::new(),
        (None, Some(v)) => one_sided(&change.name, &v, Mark::Add),
        (Some(v), None) => one_sided(&change.name, &v, Mark::Remove),
        // Only the new placeholder of a secret: nothing of its past shows.
        (Some(_), Some(v)) if change.sensitive => one_sided(&change.name, &v, Mark::Change),
        (Some(b), Some(a)) if !is_long(&b) && !is_long(&a) => vec![short(&change.name, &b, &a)],
        (Some(b), Some(a)) => diffed(&change.name, &b, &a),
    };
    if change.forces_replacement {
        note_replacement(&mut lines);
    }
    lines
}

/// A value that only exists on one side, every line with the same mark.
fn one_sided(name: &str, v: &Value, mark: Mark) -> Vec<Line> {
    pretty(name, v)
        .into_iter()
        .map(|p| Line::from_pretty(p, mark))
        .collect()
}

/// `name = before -> after`, or just `name = value` if it did not change.
fn short(name: &str, before: &Value, after: &Value) -> Line {
    let (mark, text) = if before == after {
        (Mark::Context, inline(after))
    } else {
        (Mark::Change, format!("{} -> {}", inline(before), inline(after)))
    };
    Line {
        mark,
        depth: 0,
        key: Some(name.to_owned()),
        text,
        shape: Shape::Leaf,
        forces_replacement: false,
    }
}

/// A long value: both sides pretty-printed, diffed line by line (nested
/// blocks block by block first), blocks that contain a change marked
/// changed, long unchanged runs hidden.
fn diffed(name: &str, before: &Value, after: &Value) -> Vec<Line> {
    // An empty list beside blocks is no blocks: the last one removed (or
    // the first one added) shows as that block, not as `rule = []`.
    let blocks_or_none = |v: &Value| is_blocks(v) || matches!(v, Value::List(items) if items.is_empty());
    let mut lines = match (before, after) {
        (Value::List(old), Value::List(new)) if blocks_or_none(before) && blocks_or_none(after) => {
            diffed_blocks(name, old, new)
        }
        _ => diff_lines(&pretty(name, before), &pretty(name, after)),
    };
    mark_changed_openers(&mut lines);
    hide_unchanged(lines)
}

/// Two lists of nested blocks: an added block whole with `+`, a removed one
/// whole with `-`, an unchanged one unmarked, and a changed one (a pair
/// [`pair_blocks`] matched) as the line diff of its two sides. Blocks come in
/// the order of the new list; a removed block comes just before the first
/// new block paired with an old block after it, or else at the end.
fn diffed_blocks(name: &str, old: &[Value], new: &[Value]) -> Vec<Line> {
    let one = |b: &Value| pretty(name, &Value::List(vec![b.clone()]));
    let partner = pair_blocks(old, new);
    let mut paired_old = vec![false; old.len()];
    for &i in partner.iter().flatten() {
        paired_old[i] = true;
    }
    let mut lines = Vec::new();
    // Old blocks before this index are printed or paired.
    let mut next_old = 0;
    let mut flush_removed = |upto: usize, lines: &mut Vec<Line>| {
        for i in next_old..upto {
            if !paired_old[i] {
                push_all(lines, &one(&old[i]), Mark::Remove);
            }
        }
        next_old = next_old.max(upto);
    };
    for (j, block) in new.iter().enumerate() {
        let after = one(block);
        match partner[j] {
            None => push_all(&mut lines, &after, Mark::Add),
            Some(i) => {
                flush_removed(i, &mut lines);
                if old[i] == *block {
                    push_all(&mut lines, &after, Mark::Context);
                } else {
                    lines.extend(diffed_block(name, &old[i], block));
                }
            }
        }
    }
    flush_removed(old.len(), &mut lines);
    lines
}

/// A block against its old version, attribute by attribute as a
/// resource's are ([`attribute`]), its nested blocks block by block: no
/// line pairs across two attributes (an `env` entry added was printed
/// inside a `log` block removed beside it).
fn diffed_block(kind: &str, old: &Value, new: &Value) -> Vec<Line> {
    let one = |b: &Value| pretty(kind, &Value::List(vec![b.clone()]));
    let (Value::Map(o), Value::Map(n)) = (old, new) else {
        return diff_lines(&one(old), &one(new));
    };
    let after = one(new);
    let (Some(open), Some(close)) = (after.first(), after.last()) else {
        return Vec::new();
    };
    let (was, now): (BTreeMap<&str, &Value>, BTreeMap<&str, &Value>) = (
        block_body(o).into_iter().collect(),
        block_body(n).into_iter().collect(),
    );
    let mut every = was.clone();
    every.extend(now.iter().map(|(k, v)| (*k, *v)));
    let mut lines = vec![Line::from_pretty(open.clone(), Mark::Context)];
    for (key, _) in laid_out(every.into_iter()) {
        let body = match (was.get(key), now.get(key)) {
            (None, None) => Vec::new(),
            (None, Some(v)) => one_sided(key, v, Mark::Add),
            (Some(v), None) => one_sided(key, v, Mark::Remove),
            (Some(b), Some(a)) if b == a => one_sided(key, a, Mark::Context),
            (Some(bv @ Value::List(b)), Some(av @ Value::List(a))) if is_blocks(bv) && is_blocks(av) => {
                diffed_blocks(key, b, a)
            }
            (Some(b), Some(a)) => diff_lines(&pretty(key, b), &pretty(key, a)),
        };
        lines.extend(body.into_iter().map(|mut l| {
            l.depth += 1;
            l
        }));
    }
    lines.push(Line::from_pretty(close.clone(), Mark::Context));
    lines
}

/// For each new block, the index of the old block it is a version of, or
/// `None` if it is added. Labelled blocks (a string `name`) pair by label,
/// in order if a label repeats. Unlabelled blocks pair with an identical
/// block first (in order), then the rest greedily by similarity: of all
/// remaining (old, new) pairs, the one with the most equal attributes, ties
/// to the earliest old block and then the earliest new one, as long as it
/// shares at least one attribute; what stays unpaired is removed or added.
fn pair_blocks(old: &[Value], new: &[Value]) -> Vec<Option<usize>> {
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    // Labelled blocks by label, then unlabelled identical blocks.
    for same in [
        (|a: &Value, b: &Value| label(a).is_some() && label(a) == label(b)) as fn(&Value, &Value) -> bool,
        |a, b| label(a).is_none() && label(b).is_none() && a == b,
    ] {
        for (j, b) in new.iter().enumerate() {
            if partner[j].is_some() {
                continue;
            }
            if let Some(i) = (0..old.len()).find(|&i| !taken[i] && same(&old[i], b)) {
                partner[j] = Some(i);
                taken[i] = true;
            }
        }
    }
    // The other unlabelled blocks, most similar first.
    loop {
        let best = (0..old.len())
            .filter(|&i| !taken[i] && label(&old[i]).is_none())
            .flat_map(|i| {
                (0..new.len())
                    .filter(|&j| partner[j].is_none() && label(&new[j]).is_none())
                    .map(move |j| (i, j))
            })
            .map(|(i, j)| (similarity(&old[i], &new[j]), i, j))
            .filter(|&(score, _, _)| score > 0)
            .min_by_key(|&(score, i, j)| (std::cmp::Reverse(score), i, j));
        let Some((_, i, j)) = best else { break };
        partner[j] = Some(i);
        taken[i] = true;
    }
    // One block left on each side is that block changed in every setting
    // (a Service Connect `access_log` from JSON to TEXT).
    let old_left: Vec<usize> = (0..old.len())
        .filter(|&i| !taken[i] && label(&old[i]).is_none())
        .collect();
    let new_left: Vec<usize> = (0..new.len())
        .filter(|&j| partner[j].is_none() && label(&new[j]).is_none())
        .collect();
    if let ([i], [j]) = (old_left.as_slice(), new_left.as_slice()) {
        partner[*j] = Some(*i);
    }
    partner
}

/// A block's label: its `name`, if a string (as [`pretty`] prints it).
fn label(block: &Value) -> Option<&str> {
    match block {
        Value::Map(m) => m.get("name").and_then(Value::as_str),
        _ => None,
    }
}

/// How many attributes two blocks set to the same (non-null) value.
fn similarity(a: &Value, b: &Value) -> usize {
    match (a, b) {
        (Value::Map(a), Value::Map(b)) => a
            .iter()
            .filter(|(k, v)| **v != Value::Null && b.get(k.as_str()) == Some(v))
            .count(),
        _ => 0,
    }
}

/// Two pretty-printed values diffed line by line.
fn diff_lines(old: &[PLine], new: &[PLine]) -> Vec<Line> {
    let mut lines = Vec::with_capacity(old.len().max(new.len()));
    for op in capture_diff_slices(Algorithm::Patience, old, new) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(&mut lines, new, new_range, Mark::Context),
            DiffTag::Delete => push(&mut lines, old, old_range, Mark::Remove),
            DiffTag::Insert => push(&mut lines, new, new_range, Mark::Add),
            DiffTag::Replace => {
                push(&mut lines, old, old_range, Mark::Remove);
                push(&mut lines, new, new_range, Mark::Add);
            }
        }
    }
    lines
}

fn push(lines: &mut Vec<Line>, from: &[PLine], range: Range<usize>, mark: Mark) {
    lines.extend(from[range].iter().cloned().map(|p| Line::from_pretty(p, mark)));
}

fn push_all(lines: &mut Vec<Line>, from: &[PLine], mark: Mark) {
    push(lines, from, 0..from.len(), mark);
}

/// Index of the line that closes the one opened at `open`, if any.
fn closer(lines: &[Line], open: usize) -> Option<usize> {
    let depth = lines[open].depth;
    lines[open + 1..]
        .iter()
        .position(|l| l.depth == depth && l.shape == Shape::Close)
        .map(|i| open + 1 + i)
}

/// An unchanged `container "app" {` whose body changed reads as `~`.
fn mark_changed_openers(lines: &mut [Line]) {
    for i in 0..lines.len() {
        if lines[i].mark != Mark::Context || lines[i].shape != Shape::Open {
            continue;
        }
        let end = closer(lines, i).unwrap_or(lines.len());
        if lines[i + 1..end].iter().any(|l| l.mark != Mark::Context) {
            lines[i].mark = Mark::Change;
        }
    }
}

/// Replaces each run of lines [`kept`] does not keep with one
/// `# (N unchanged lines hidden)` line.
fn hide_unchanged(lines: Vec<Line>) -> Vec<Line> {
    let keep = kept(&lines);
    let mut out = Vec::with_capacity(lines.len());
    let mut hidden: Option<(usize, usize)> = None; // (depth, count)
    for (line, keep) in lines.into_iter().zip(keep) {
        if keep {
            if let Some((depth, count)) = hidden.take() {
                out.push(Line::hidden(depth, count));
            }
            out.push(line);
        } else {
            let (_, count) = hidden.get_or_insert((line.depth, 0));
            *count += 1;
        }
    }
    if let Some((depth, count)) = hidden {
        out.push(Line::hidden(depth, count));
    }
    out
}

/// Which lines [`hide_unchanged`] keeps: all of a short diff; of a long
/// one, every line that changed or gives structure (`{`, `}`) and the
/// unchanged lines within [`CONTEXT`] of a change, hiding no single line
/// alone.
fn kept(lines: &[Line]) -> Vec<bool> {
    if lines.len() <= MAX_UNTRIMMED {
        return vec![true; lines.len()];
    }
    // Changed lines, but not the `{` of a block changed inside: its own
    // changed lines bring their context.
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            !matches!(
                (lines[i].mark, lines[i].shape),
                (Mark::Context, _) | (Mark::Change, Shape::Open)
            )
        })
        .collect();
    let near = |i: usize| changed.iter().any(|&c| c.abs_diff(i) <= CONTEXT);
    let mut keep: Vec<bool> = (0..lines.len())
        .map(|i| lines[i].shape != Shape::Leaf || near(i))
        .collect();
    for i in 0..lines.len() {
        let alone = !keep[i] && (i == 0 || keep[i - 1]) && (i + 1 == lines.len() || keep[i + 1]);
        if alone {
            keep[i] = true;
        }
    }
    keep
}

/// Puts `# forces replacement` on the attribute's new top-level lines (the
/// changed block, the new value), or failing that its first changed one.
fn note_replacement(lines: &mut [Line]) {
    let top_new =
        |l: &Line| l.depth == 0 && matches!(l.mark, Mark::Add | Mark::Change) && l.shape != Shape::Close;
    let mut noted = false;
    for line in lines.iter_mut().filter(|l| top_new(l)) {
        line.forces_replacement = true;
        noted = true;
    }
    if !noted
        && let Some(first) = lines
            .iter_mut()
            .find(|l| l.mark != Mark::Context && l.shape != Shape::Close)
    {
        first.forces_replacement = true;
    }
}

/// The width to pad each line's key to so that `=` lines up among the
/// lines of the same block body (lines of equal depth under the same
/// opening line).
pub(crate) fn key_widths(lines: &[Line]) -> Vec<usize> {
    let groups = parents(lines);
    let mut widths = vec![0; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        let width = lines
            .iter()
            .zip(&groups)
            .filter(|(l, g)| l.depth == line.depth && **g == groups[i])
            .filter_map(|(l, _)| l.key.as_ref().map(|k| k.chars().count()))
            .max()
            .unwrap_or(0);
        widths[i] = width;
    }
    widths
}

/// For each line, the index of the nearest earlier line one level up (its
/// block's opening line), `None` at the top.
fn parents(lines: &[Line]) -> Vec<Option<usize>> {
    (0..lines.len())
        .map(|i| match lines[i].depth {
            0 => None,
            d => lines[..i].iter().rposition(|l| l.depth == d - 1),
        })
        .collect()
}
