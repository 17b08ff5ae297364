//! The pull-request rendering, made to fit one GitHub comment: a hidden
//! marker naming the stack (so a workflow finds and updates its own
//! comment), the counts and where the plan runs, every resource destroyed
//! or replaced named up front with the attributes that force it, then the
//! changes grouped (destroyed or replaced, updated, created) as
//! ```` ```diff ```` blocks whose column 0 GitHub colours (`+` added, `-`
//! removed, `!` changed); a long diff goes in a collapsed `<details>`.
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
