//! Parsing `.berth` text into the [`ast`].

pub mod ast;
mod parse;

pub use parse::{MAX_NESTING, parse, parse_expr};
