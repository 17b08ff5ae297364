//! The berth language: parsing `.berth` files, checking them against the
//! resource schemas and AWS's rules, evaluating them into a [`Stack`],
//! rendering diagnostics, and formatting.

// Diagnostics are the error type throughout; they are built on the cold
// path only, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod analyze;
pub mod check;
mod desugar;
pub mod diagnostic;
pub mod eval;
pub mod fmt;
mod inert;
pub mod load;
pub mod source;
pub mod stack;
pub mod suggest;
pub mod syntax;
#[cfg(test)]
mod test_support;

pub use analyze::{Analysis, Options, analyze, analyze_in_cloud};
pub use diagnostic::Diagnostic;
pub use source::{FileId, Sources, Span};
pub use stack::{
    DesiredBlock, DesiredBody, DesiredResource, DesiredValue, Ignored, Move, Output, RefTarget, Stack,
};
