//! berth's provider contract.
//!
//! Everything the planner and the language need to know about resources,
//! without touching any cloud SDK: the [`Kind`]s berth manages, their
//! [`schema`]s, the attribute [`Value`] model, resource [`Address`]es and the
//! [`Provider`] trait that cloud adapters implement.

mod address;
pub mod adopt;
pub mod alarm;
pub mod arn;
pub mod attrs;
pub mod certificate;
pub mod dns;
pub mod efs;
pub mod elb;
mod error;
pub mod events;
pub mod fargate;
pub mod fault;
mod kind;
pub mod kms;
pub mod lock;
pub mod lookup;
pub mod naming;
pub mod policy;
mod provider;
pub mod retry;
pub mod s3;
pub mod scaling;
pub mod schema;
pub mod secret;
pub mod sns;
pub mod sqs;
mod stats;
mod tags;
mod value;

pub use address::{Address, AddressParseError};
pub use error::{ErrorClass, ProviderError};
pub use kind::{Kind, UnknownKind};
pub use lock::LockInfo;
pub use provider::{External, Provider, ROLLED_BACK, Resource, WaitEvents};
pub use retry::RetryPolicy;
pub use rust_decimal::Decimal;
pub use stats::{CallStats, OpStats};
pub use tags::{ADDRESS_TAG, DEPLOYED_TAG, SENSITIVE_TAG, STACK_TAG};
pub use value::{Attrs, Value};
