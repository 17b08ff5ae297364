//! Static checks on the syntax tree (declarations, schema, references) and on
//! the evaluated stack (types, AWS's domain rules).

mod actions;
pub mod declare;
pub mod domain;
mod iam;
mod names;
mod network;
pub mod refs;
pub mod regions;
mod rules;
pub mod schema;
mod sg_rules;
mod tags;
pub mod types;
