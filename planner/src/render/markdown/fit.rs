//! Degrading a rendering until it fits the size bound: diffs give way to
//! names, those of created resources first and of destroyed ones last, as
//! few as need to; then the lists of names shorten in the same order. A
//! plan that fits whole is shown whole.

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
    // Step by step, as many as fit: the diffs of created resources, then of
    // updated ones (the outputs go with them), then of destroyed or
    // replaced ones; then the names standing for them, in the same order.
    for g in [Group::Create, Group::Update, Group::Destructive] {
        if g == Group::Update {
            layout.outputs = false;
        }
        layout.diffs[g as usize] = most(doc.count(g), |n| {
            let mut trial = layout;
            trial.diffs[g as usize] = n;
            fits(&trial).is_some()
        });
        if let Some(out) = fits(&layout) {
            return out;
        }
    }
    for g in [Group::Create, Group::Update, Group::Destructive] {
        layout.names[g as usize] = most(doc.count(g), |n| {
            let mut trial = layout;
            trial.names[g as usize] = n;
            fits(&trial).is_some()
        });
        if let Some(out) = fits(&layout) {
            return out;
        }
    }
    // Only the summary and the notes are left; should even they not fit (a
    // tiny bound), cut.
    hard_cut(doc.render(&layout), max)
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
