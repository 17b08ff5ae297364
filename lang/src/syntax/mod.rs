//! Parsing `.berth` text into the [`ast`].

pub mod ast;
mod cursor;
mod error;
mod parse;
mod string;

pub use parse::{MAX_NESTING, parse, parse_expr};
