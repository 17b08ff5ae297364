//! berth's embedded simulated AWS cloud.
//!
//! [`LocalCloud`] implements [`berth_provider::Provider`] over a simulated
//! account kept in one JSON file (by default `DIR/.berth/local-cloud.json`,
//! chosen by the CLI). It follows AWS's rules closely enough that a stack
//! which applies here is likely to apply on AWS: ids and ARNs in AWS's
//! formats, names owned by the provider, `DependencyViolation` when deleting
//! a VPC that still has subnets, immutable task-definition revisions, and the
//! other rules listed in the crate's modules (`ec2`, `elb`, `ecs`, `logs`,
//! `iam`). Each simulated API error is a [`berth_provider::ProviderError`]
//! naming the AWS call and AWS's error code.
//!
//! # Operations
//!
//! Each provider operation is all-or-nothing: it changes the account in
//! place, keeping what it touches in an undo log that puts it back if the
//! operation fails, and it returns only once the file holds its change
//! (temporary file, fsync, rename), so a killed process leaves either the
//! old file or the new one, and every resource a `create` made is in the
//! file. Operations finishing while a write is under way are saved together
//! by the next write (group commit), which keeps large applies linear. A sibling lock file
//! (`local-cloud.json.lock`) is held for the life of the [`LocalCloud`]; a
//! second open fails at once with [`LocalError::Locked`], naming the holder
//! the lock file records (the stack lock of the `Provider` trait: the run
//! holding it writes itself there). The file is re-read
//! before an operation whenever it changed on disk, so hand edits (drift,
//! faults) take effect immediately.
//!
//! # File format (version 1)
//!
//! ```json
//! {
//!   "version": 1,
//!   "account": "123456789012",
//!   "resources": {
//!     "vpc-0a1b2c3d4e5f60718": {
//!       "kind": "vpc",
//!       "region": "us-east-1",
//!       "tags": { "berth:address": "vpc.main", "berth:stack": "blog-dev", "team": "web" },
//!       "attrs": { "arn": "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718",
//!                  "cidr": "10.0.0.0/16", "dns_hostnames": true, "dns_support": true,
//!                  "id": "vpc-0a1b2c3d4e5f60718" }
//!     },
//!     "arn:aws:ecs:us-east-1:123456789012:task-definition/blog-dev-login:2": {
//!       "kind": "task_definition", "region": "us-east-1", "tags": { ... },
//!       "attrs": { "family": "blog-dev-login", "revision": 2, ... },
//!       "status": "ACTIVE"
//!     }
//!   },
//!   "families": { "blog-dev-login": 2 },
//!   "faults": [
//!     { "op": "create", "address": "service.login", "code": "ThrottlingException",
//!       "class": "throttling", "times": 2 }
//!   ]
//! }
//! ```
//!
//! - `resources`: a map sorted by key, the resource's id (EC2 kinds) or ARN
//!   (all others). `kind` is the berth keyword; `region` is absent for IAM
//!   roles (global); `tags` are all tags, the `berth:stack` and
//!   `berth:address` ones included; `attrs` are every attribute of the kind's
//!   schema except `tags`, computed ones included, as plain JSON (strings,
//!   integers, booleans, `null` for an unset optional attribute, nested
//!   blocks as lists of objects, a labelled block's label under `name`).
//!   `read_all` returns `attrs` plus `tags` (without the berth tags) as they
//!   are: edit a value here and the next plan shows drift.
//! - `created`: when the resource was made (RFC 3339), shown when two
//!   resources carry one address.
//! - `status`: task definitions, `ACTIVE` or `INACTIVE` (deregistered;
//!   kept, as AWS keeps them, but never returned by `read_all`); secrets
//!   and KMS keys, `INACTIVE` while scheduled for deletion (likewise kept
//!   and unread, until a create at their address restores them).
//! - `default_egress`: security groups only, `true` while AWS's default
//!   allow-all egress rule is in place. A group declared without `egress`
//!   blocks has that rule, yet reads back with `egress = []`, as declared:
//!   berth treats "no egress blocks" as "AWS's default", so the rule is
//!   recorded here rather than as an egress entry that would show as drift.
//! - `families`: the last revision registered per task-definition family;
//!   revision numbers are never reused.
//! - `faults`: see [`Fault`].
//!
//! Attributes hold references as the referenced resource's identity value
//! (a subnet's `vpc` is the VPC's id, a service's `task_definition` the task
//! definition's ARN, a container's `logs` the log group's name).

mod acm;
mod api;
mod attrs;
mod cidr;
mod cloud;
mod cloudwatch;
mod connect;
mod default_acl;
mod default_group;
mod default_vpc;
mod discovery;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod elb;
mod endpoint;
mod error;
mod events;
mod faults;
mod flow_logs;
mod iam;
mod ids;
mod kms;
mod logs;
mod lookup;
mod main_table;
mod managed_policy;
mod model;
mod names;
mod nat;
mod network_acl;
mod route53;
mod s3;
mod scaling;
mod secrets;
mod sim;
mod sns;
mod sqs;
mod ssm;
mod store;

pub use cloud::LocalCloud;
pub use error::LocalError;
pub use faults::{Fault, FaultClass, FaultOp};
pub use model::ACCOUNT_ID;

/// The name of the file that holds a local cloud, inside `.berth/`.
pub const DEFAULT_FILE_NAME: &str = "local-cloud.json";
