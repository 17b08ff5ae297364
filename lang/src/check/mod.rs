//! Static checks on the syntax tree (declarations, schema, references) and on
//! the evaluated stack (types, AWS's domain rules).

pub mod declare;
pub mod domain;
pub mod refs;
pub mod schema;
pub mod types;
