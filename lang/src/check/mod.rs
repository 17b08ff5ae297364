//! Static checks on the syntax tree (declarations, schema, references) and on
//! the evaluated stack (types, AWS's domain rules).

mod actions;
mod alarms;
mod capacity;
mod certificates;
mod connect;
mod containers;
pub mod declare;
mod discovery;
mod dns;
pub mod domain;
pub mod dynamic;
mod ecr;
mod execute_command;
pub mod for_expr;
mod health_checks;
mod iam;
mod ignore_changes;
mod load_balancer_types;
pub mod locals;
pub mod lookups;
mod managed_policy;
pub mod moved;
mod names;
mod network;
pub mod refs;
pub mod regions;
mod rules;
mod scaling;
pub mod schema;
mod secrets;
mod sg_rules;
mod ssm;
pub mod tags;
pub(crate) mod terraform_names;
pub mod types;
pub mod var_type;
