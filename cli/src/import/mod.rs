//! `berth import`: bringing what exists outside berth into a stack.

pub mod task_definition;
