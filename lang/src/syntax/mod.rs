//! Parsing `.berth` text into the [`ast`].

mod around;
pub mod ast;
mod cursor;
mod error;
mod parse;
mod recover;
mod string;
pub(crate) mod template;

pub use around::{Around, Place, Reference, at_offset};
pub use cursor::{invisible_name, is_name};
pub use parse::{DATA, MAX_ERRORS, MAX_NESTING, Parse, parse, parse_expr, parse_recovering, parse_vars};
pub use string::{escape_into, quote};
