//! berth's planner: turns an evaluated stack and the live resources it owns
//! into a [`Plan`] (plain data), orders and executes its steps through a
//! [`berth_provider::Provider`], and renders plans for people and machines.
//! It never touches a cloud SDK.

pub mod desired;
pub mod diff;
mod duplicates;
pub mod execute;
pub mod external;
pub mod graph;
mod implicit;
mod in_use;
pub mod lock;
mod mask;
mod moves;
pub mod order;
pub mod outputs;
pub mod owned;
pub mod plan;
mod protect;
pub mod render;
pub mod saved;
mod vpc_move;

pub use diff::{Planned, Step, plan, plan_destroy};
pub use in_use::blocked_replacements;
pub use plan::{
    Action, AttrChange, Duplicate, Fingerprint, KeepReason, OutputChange, Plan, ResourceChange, Summary,
};
pub use protect::protected_destroys;
