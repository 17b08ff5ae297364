//! Degrading a rendering until it fits the size bound: diffs give way to
//! names and names to a count, those of created resources first and of
//! destroyed or replaced ones last, each step only as far as needed. A plan
//! that fits whole is shown whole.

use super::document::{Doc, Group, Layout};
use super::syntax::{chars, hard_cut};

/// The comment for `doc` in at most `max` characters, showing as much as
/// fits.
pub(super) fn fit(doc: &Doc, max: usize) -> String {
    let fits = |layout: &Layout| -> Option<String> {
        let out = doc.render(layout);
        (chars(&out) <= max).then_some(out)
    };
    let mut layout = doc.full();
    if let Some(out) = fits(&layout) {
        return out;
    }
    // Step by step, each as far as needed: created resources lose their
    // diffs, then updated ones (the outputs go with them); then the names
    // standing for those diffs shorten; only then do destroyed or replaced
    // resources lose their diffs, and last the warning naming them shortens.
    let steps = [
        (Step::Diffs, Group::Create),
        (Step::Diffs, Group::Update),
        (Step::Names, Group::Create),
        (Step::Names, Group::Update),
        (Step::Diffs, Group::Destructive),
        (Step::Names, Group::Destructive),
    ];
    for (step, g) in steps {
        if (step, g) == (Step::Diffs, Group::Update) {
            layout.outputs = false;
        }
        let best = most(doc.count(g), |n| {
            let mut trial = layout;
            step.set(&mut trial, g, n);
            fits(&trial).is_some()
        });
        step.set(&mut layout, g, best);
        if let Some(out) = fits(&layout) {
            return out;
        }
    }
    // Only the summary and the notes are left; should even they not fit (a
    // tiny bound), cut.
    hard_cut(doc.render(&layout), max)
}

/// What a step of degrading shortens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Diffs,
    Names,
}

impl Step {
    /// Shows `n` of group `g`'s diffs or names.
    fn set(self, layout: &mut Layout, g: Group, n: usize) {
        match self {
            Step::Diffs => layout.diffs[g as usize] = n,
            Step::Names => layout.names[g as usize] = n,
        }
    }
}

/// The largest `n` in `0..=all` for which `fits(n)`, or 0; `fits` holds for
/// every `n` below one it holds for (fewer diffs or names are shorter).
fn most(all: usize, fits: impl Fn(usize) -> bool) -> usize {
    if fits(all) {
        return all;
    }
    // fits(lo) or lo == 0; !fits(hi).
    let (mut lo, mut hi) = (0, all);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::most;

    #[test]
    fn most_finds_the_largest_that_fits() {
        for all in 0..20 {
            for limit in 0..25 {
                let got = most(all, |n| n <= limit);
                assert_eq!(got, all.min(limit), "all {all}, limit {limit}");
            }
        }
    }
}
