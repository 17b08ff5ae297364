//! The pull-request rendering, made to fit one GitHub comment: a hidden
//! marker naming the stack (so a workflow finds and updates its own
//! comment), the counts and where the plan runs, every resource destroyed
//! or replaced named up front with the attributes that force it, then the
//! changes grouped (destroyed or replaced, updated, created) as
//! ```` ```diff ```` blocks whose column 0 is the change (`+` added, `-`
//! removed, `~` changed); a long diff goes in a collapsed `<details>`.
//!
//! When the whole plan does not fit [`MarkdownOptions::max_chars`], the
//! rendering degrades in steps ([`fit`]) and says what it left out and where
//! to see all of it.

mod document;
mod failure;
mod fit;
mod syntax;

use crate::plan::Plan;

pub use failure::markdown_failure;

/// The default bound on a comment's length: under GitHub's 65,536
/// characters, with room for what a workflow adds around it.
pub const DEFAULT_MAX_CHARS: usize = 65_000;

/// How to render a plan for a pull request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Where the plan runs (`local simulation (.berth/local-cloud.json)`, or
    /// the AWS region and endpoint), shown under the counts.
    pub place: Option<String>,
    /// The comment never has more characters than this.
    pub max_chars: usize,
    /// Where the whole plan can be seen when some of it is left out (the
    /// CI run's artifacts); a plain `https://` URL becomes a link.
    pub full_plan: Option<String>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            place: None,
            max_chars: DEFAULT_MAX_CHARS,
            full_plan: None,
        }
    }
}

/// Renders `plan` as GitHub-flavoured markdown for a pull request comment,
/// with the default options.
pub fn markdown(plan: &Plan) -> String {
    markdown_with(plan, &MarkdownOptions::default())
}

/// Renders `plan` for a pull request comment of at most `opts.max_chars`
/// characters.
pub fn markdown_with(plan: &Plan, opts: &MarkdownOptions) -> String {
    fit::fit(&document::Doc::new(plan, opts), opts.max_chars)
}

#[cfg(test)]
mod tests {
    use berth_provider::{Address, Kind, Value};

    use super::*;
    use crate::plan::{Action, AttrChange, Fingerprint, OutputChange, ResourceChange};

    fn attr(name: &str, before: Option<i64>, after: Option<i64>) -> AttrChange {
        AttrChange {
            name: name.to_owned(),
            before: before.map(Value::from),
            after: after.map(Value::from),
            forces_replacement: false,
            sensitive: false,
        }
    }

    fn rc(name: String, action: Action) -> ResourceChange {
        let changes = match action {
            Action::Create => (0..8).map(|i| attr(&format!("a{i}"), None, Some(i))).collect(),
            Action::Delete => (0..8).map(|i| attr(&format!("a{i}"), Some(i), None)).collect(),
            _ => vec![attr("retention_days", Some(7), Some(14))],
        };
        ResourceChange {
            address: Address::new(Kind::LogGroup, name),
            action,
            changes,
            depends_on: Vec::new(),
            duplicate: None,
            moved_from: None,
        }
    }

    /// 200 creates, 200 updates, 50 deletes and 10 changing outputs.
    fn big() -> Plan {
        let mut resources = Vec::new();
        for i in 0..200 {
            resources.push(rc(format!("new{i:03}"), Action::Create));
            resources.push(rc(format!("upd{i:03}"), Action::Update));
        }
        for i in 0..50 {
            resources.push(rc(format!("old{i:03}"), Action::Delete));
        }
        let outputs = (0..10)
            .map(|i| OutputChange {
                name: format!("out{i}"),
                before: None,
                after: Value::from(i),
                sensitive: false,
            })
            .collect();
        Plan {
            stack: "big".to_owned(),
            region: "us-east-1".to_owned(),
            resources,
            outputs,
            fingerprint: Fingerprint {
                config: String::new(),
                live: String::new(),
            },
        }
    }

    fn with_max(max_chars: usize) -> MarkdownOptions {
        MarkdownOptions {
            max_chars,
            ..MarkdownOptions::default()
        }
    }

    #[test]
    fn every_bound_holds_and_the_marker_survives() {
        let plan = big();
        let whole = markdown_with(&plan, &with_max(usize::MAX));
        assert!(!whole.contains("Left out"), "{whole}");
        for max in (1000..whole.chars().count()).step_by(1499) {
            let out = markdown_with(&plan, &with_max(max));
            assert!(out.chars().count() <= max, "{max}: {}", out.chars().count());
            assert!(
                out.starts_with("<!-- berth plan: big -->\n**Plan:** 200 to add"),
                "{out}"
            );
            assert!(
                out.contains("**Left out to fit one comment** (at most"),
                "{max}: {out}"
            );
        }
    }

    #[test]
    fn outputs_give_way_with_the_updates_diffs() {
        let plan = big();
        let whole = markdown_with(&plan, &with_max(usize::MAX)).chars().count();
        // Just short of the whole: only some creates lose their diffs.
        let out = markdown_with(&plan, &with_max(whole - 200));
        assert!(out.contains("**Changes to outputs:**\n\n```diff"), "{out}");
        assert!(out.contains(" created resources. The whole plan"), "{out}");
        assert!(!out.contains("updated resources"), "{out}");
        // Far short: the outputs are counted, not shown.
        let out = markdown_with(&plan, &with_max(6000));
        assert!(out.contains("**Changes to outputs:** 10 left out"), "{out}");
        assert!(out.contains("10 changing outputs"), "{out}");
    }

    #[test]
    fn a_tiny_bound_still_holds() {
        let plan = big();
        for max in [0, 10, 100, 500] {
            let out = markdown_with(&plan, &with_max(max));
            assert!(out.chars().count() <= max, "{max}: {out}");
        }
        let failed = markdown_failure("big", "it broke", &"line\n".repeat(10_000), &with_max(1000));
        assert!(failed.chars().count() <= 1000, "{failed}");
        assert!(failed.contains("more lines: see the CI log"), "{failed}");
    }
}
