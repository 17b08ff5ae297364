//! berth's AWS provider: [`AwsProvider`] implements
//! [`berth_provider::Provider`] over the official AWS SDK for Rust (EC2,
//! Elastic Load Balancing v2, ECS, CloudWatch Logs, IAM, KMS, SNS, S3, SQS,
//! EFS, EventBridge, ...).
//!
//! # The cloud is the state
//!
//! Every create call carries the `berth:stack` and `berth:address` tags (and
//! the stack's `tags`) in the request itself (`TagSpecifications` for EC2,
//! `Tags`/`tags` elsewhere), never in a later tagging call, so a crash at
//! any instant leaves no untagged resource. The exception is S3, whose
//! buckets are tagged by PutBucketTagging right after CreateBucket: a
//! crash between the two leaves an untagged bucket (`s3.rs`).
//! [`Provider::read_all`] finds a
//! stack's resources by those tags, one batched listing per resource type,
//! the service families in parallel:
//!
//! - EC2: `Describe{Vpcs,Subnets,InternetGateways,RouteTables,SecurityGroups,FlowLogs}`
//!   filtered on `tag:berth:stack`, paginated; VPC DNS flags by
//!   `DescribeVpcAttribute`.
//! - ELBv2: `DescribeLoadBalancers` / `DescribeTargetGroups` then
//!   `DescribeTags` in batches of 20 ARNs; listeners through
//!   `DescribeListeners` of the stack's load balancers, rules through
//!   `DescribeRules` (each rule carries a `berth:rule` tag with its label),
//!   the rules' tags of every listener read together.
//! - ECS: `ListClusters` + `DescribeClusters` (tags, settings); services
//!   and task definitions by the Resource Groups Tagging API
//!   (`GetResources` on the stack's tag, `tagging.rs`), then
//!   `DescribeServices` (tags) in batches of 10 per cluster and
//!   `DescribeTaskDefinition` (tags) per active revision.
//! - Logs: the tagging API, and `DescribeLogGroups` with prefix
//!   `/ecs/{stack}/` (`ListTagsForResource` only for a group the tagging
//!   API does not list yet).
//! - IAM: `ListRoles` under the path `/berth/` + `GetRole` (tags) per
//!   role, and `GetRole` per role the stack adopted outside that path
//!   (their names recorded in SSM: `adopted.rs`).
//! - Cloud Map: `ListNamespaces` (private DNS) and `ListServices` +
//!   `ListTagsForResource`, `GetService` for a service's namespace.
//! - Route 53: `ListHostedZones` + `ListTagsForResources` (10 a call);
//!   records by berth's TXT markers (`ListResourceRecordSets`) in those
//!   zones and in zones the configuration names by id.
//! - SSM: `DescribeParameters` filtered on the stack's tag, then
//!   `GetParameters` (10 a call) and the tagging API for addresses.
//! - ACM: the tagging API and `ListCertificates` (for certificates
//!   requested in the last half hour the tagging API does not list yet),
//!   then `DescribeCertificate` per certificate.
//! - KMS: the tagging API and `ListAliases` (for keys given an alias in
//!   the last half hour the tagging API does not list yet, their tags by
//!   `ListResourceTags`), then `DescribeKey`, `GetKeyPolicy` and
//!   `GetKeyRotationStatus` per key; keys pending deletion are gone.
//! - SNS: the tagging API and `ListTopics` (for topics under berth's name
//!   prefix for the stack that the tagging API does not list yet, their
//!   tags by `ListTagsForResource`), then `GetTopicAttributes`,
//!   `ListSubscriptionsByTopic` and `GetSubscriptionAttributes` per topic.
//! - S3: the tagging API and `ListBuckets` (names under berth's prefix for
//!   the stack in the provider's region, for buckets the tagging API does
//!   not list yet, their tags by `GetBucketTagging`; `GetBucketLocation`
//!   for a tagged bucket the listing does not hold), then
//!   `GetBucketVersioning`, `GetBucketEncryption`, `GetPublicAccessBlock`,
//!   `GetBucketOwnershipControls`, `GetBucketPolicy` and
//!   `GetBucketLifecycleConfiguration` per bucket, at once.
//! - SQS: the tagging API and `ListQueues` (for queues under berth's name
//!   prefix for the stack that the tagging API does not list yet, their
//!   tags by `ListQueueTags`; `GetQueueUrl` for a tagged queue the listing
//!   does not hold), then `GetQueueAttributes` per queue.
//! - EFS: `DescribeFileSystems` and `DescribeAccessPoints` (account wide,
//!   paginated; each description carries its tags), then
//!   `DescribeLifecycleConfiguration`, `DescribeFileSystemPolicy` and
//!   `DescribeMountTargets` per file system, with
//!   `DescribeMountTargetSecurityGroups` per available mount target.
//! - EventBridge: `ListRules` on the default bus and the tagging API (a
//!   listed rule it does not list has its tags read by
//!   `ListTagsForResource`; rules AWS services manage left out), then
//!   `ListTargetsByRule` per rule.
//!
//! Children that carry no tags are read with their parent: routes and
//! subnet associations of route tables, security group rules, listener
//! rules, an EventBridge rule's targets.
//!
//! # Attribute shapes
//!
//! `create` returns, and `read_all` reads back, exactly the shape of the
//! local provider (`berth-local`): every non-computed attribute present
//! (defaults filled, `null` when unset), nested blocks as lists of maps (a
//! labelled block's label under `name`), references as the referenced
//! resource's identity value (VPC id, role ARN, target group ARN, log group
//! name), `tags` without berth's own. Sets and blocks come in the planner's
//! canonical order. Normalisations where AWS cannot tell two spellings
//! apart are listed in `docs/aws.md`.
//!
//! # Calls, retries and statistics
//!
//! Every SDK call goes through one retry helper ([`RetryPolicy`]):
//! exponential backoff with jitter, bounded by a deadline, for throttling,
//! 5xx and eventual-consistency errors; never for permanent ones. The SDK's
//! own retries are off. [`Provider::stats`] counts calls, retries and
//! throttles per `service:Operation`. Creates without a client token are
//! never sent again after a request that got no answer (see
//! [`ErrorClass::Indeterminate`](berth_provider::ErrorClass)).

mod acm;
mod adopted;
mod attrs;
mod calls;
mod cloudwatch;
mod config;
mod discovery;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod elb;
mod errors;
mod events;
mod iam;
mod identity;
mod kms;
mod lock;
mod logs;
mod lookup;
mod managed_policy;
mod pace;
mod poll;
mod retry;
mod route53;
mod s3;
mod scope;
mod secrets;
mod sns;
mod sqs;
mod ssm;
mod tagging;
mod token;

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use berth_provider::adopt::Found;
use berth_provider::lookup::{Matches, Query};
use berth_provider::{
    Address, CallStats, External, Kind, LockInfo, OpStats, Provider, ProviderError, Resource, WaitEvents,
    naming,
};

pub use berth_provider::RetryPolicy;
pub use config::{ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, Clients};
pub use errors::AwsError;
pub use pace::Limits;

/// berth's provider for real AWS (or anything speaking its APIs, such as
/// moto, through `AWS_ENDPOINT_URL`).
#[derive(Debug)]
pub struct AwsProvider {
    region: String,
    /// `AWS_ENDPOINT_URL` or the like, when set: named in errors of
    /// requests that got no answer.
    endpoint: Option<String>,
    /// `AWS_PROFILE`, when set: named when it yields no credentials.
    profile: Option<String>,
    /// Errors keep the SDK's own details.
    verbose: bool,
    clients: Clients,
    stats: CallStats,
    retry: RetryPolicy,
    pacing: pace::Pacing,
    tokens: token::Tokens,
    /// Held across each Route 53 record change and the read it rests on:
    /// Route 53 applies one change of a zone at a time (concurrent ones
    /// answer PriorRequestNotComplete) and moto loses concurrent ones.
    dns_changes: tokio::sync::Mutex<()>,
    /// Held across each read-and-write of an SSM record of adopted roles
    /// or policies (`adopted.rs`).
    records: tokio::sync::Mutex<()>,
    /// The credentials' account and partition, once asked (`identity.rs`).
    caller: tokio::sync::OnceCell<identity::Caller>,
}

impl AwsProvider {
    /// The region the provider works in.
    pub fn region(&self) -> &str {
        &self.region
    }
}

#[async_trait]
impl Provider for AwsProvider {
    async fn read_stack(&self, stack: &str, external: &[External]) -> Result<Vec<Resource>, ProviderError> {
        let (
            net,
            lbs,
            containers,
            logs,
            roles,
            policies,
            repositories,
            discovery,
            dns,
            parameters,
            alarms,
            secrets,
            certificates,
            keys,
            topics,
            buckets,
            queues,
            files,
            rules,
        ) = tokio::join!(
            ec2::read_all(self, stack),
            elb::read_all(self, stack, external),
            ecs::read_all(self, stack, external),
            logs::read_all(self, stack),
            iam::read_all(self, stack),
            managed_policy::read_all(self, stack),
            ecr::read_all(self, stack),
            discovery::read_all(self, stack),
            route53::read_all(self, stack, external),
            ssm::read_all(self, stack),
            cloudwatch::read_all(self, stack),
            secrets::read_all(self, stack),
            acm::read_all(self, stack),
            kms::read_all(self, stack),
            sns::read_all(self, stack),
            s3::read_all(self, stack),
            sqs::read_all(self, stack),
            efs::read_all(self, stack),
            events::read_all(self, stack),
        );
        let mut out = Vec::new();
        for part in [
            net,
            lbs,
            containers,
            logs,
            roles,
            policies,
            repositories,
            discovery,
            dns,
            parameters,
            alarms,
            secrets,
            certificates,
            keys,
            topics,
            buckets,
            queues,
            files,
            rules,
        ] {
            out.extend(part?);
        }
        berth_provider::dns::alias_targets(&mut out);
        out.sort_by(|a, b| a.address.cmp(&b.address));
        Ok(out)
    }

    /// Through each kind's own reader, told to look for one id: EC2's
    /// Describe call filtered on the id, DescribeLoadBalancers /
    /// DescribeTargetGroups by ARN or name, DescribeListeners by ARN,
    /// DescribeLogGroups by name prefix, GetRole, DescribeClusters,
    /// DescribeTaskDefinition, DescribeServices (`CLUSTER/SERVICE`),
    /// DescribeRepositories, Cloud Map's listings filtered on the id,
    /// GetHostedZone, ListResourceRecordSets from the record's name,
    /// GetPolicy (by ARN, or ListPolicies for a name), DescribeKey (by key
    /// id, ARN or alias name), GetTopicAttributes (by topic ARN or name),
    /// GetBucketLocation and the bucket's reads (by bucket name or ARN),
    /// GetQueueUrl (by queue name or ARN), ListQueueTags and
    /// GetQueueAttributes, DescribeFileSystems and DescribeAccessPoints
    /// (by id or ARN), DescribeRule (by rule name or ARN),
    /// ListTagsForResource and ListTargetsByRule.
    async fn read_one(&self, address: &Address, id: &str) -> Result<Option<Found>, ProviderError> {
        let kind = address.kind;
        let one = scope::One::new(address, id);
        let scope = scope::Scope::One(&one);
        let found = match kind {
            Kind::Vpc
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::DefaultRouteTable
            | Kind::DefaultNetworkAcl
            | Kind::NetworkAcl
            | Kind::SecurityGroup
            | Kind::DefaultSecurityGroup
            | Kind::SecurityGroupRule
            | Kind::ElasticIp
            | Kind::NatGateway
            | Kind::VpcEndpoint
            | Kind::FlowLog => ec2::read_one(self, kind, &scope).await?,
            Kind::Cluster | Kind::TaskDefinition | Kind::Service => ecs::read_one(self, kind, &scope).await?,
            Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                elb::read_one(self, kind, &scope).await?
            }
            Kind::LogGroup => logs::read(self, &scope).await?,
            Kind::Role => iam::read_one(self, &scope).await?.into_iter().collect(),
            Kind::EcrRepository => ecr::read_one(self, &scope).await?.into_iter().collect(),
            Kind::DnsNamespace | Kind::DiscoveryService => discovery::read(self, &scope).await?,
            Kind::HostedZone | Kind::DnsRecord => route53::read_one(self, kind, &scope).await?,
            Kind::ManagedPolicy => managed_policy::read_one(self, &scope)
                .await?
                .into_iter()
                .collect(),
            Kind::SsmParameter => ssm::read_one(self, &scope).await?.into_iter().collect(),
            Kind::MetricAlarm => cloudwatch::read_one(self, &scope).await?.into_iter().collect(),
            Kind::Secret => secrets::read_one(self, &scope).await?.into_iter().collect(),
            Kind::Certificate => acm::read_one(self, &scope).await?.into_iter().collect(),
            Kind::KmsKey => kms::read_one(self, &scope).await?.into_iter().collect(),
            Kind::SnsTopic => sns::read_one(self, &scope).await?.into_iter().collect(),
            Kind::S3Bucket => s3::read_one(self, &scope).await?.into_iter().collect(),
            Kind::SqsQueue => sqs::read_one(self, &scope).await?.into_iter().collect(),
            Kind::EfsFileSystem => efs::file_system::read_one(self, &scope)
                .await?
                .into_iter()
                .collect(),
            Kind::EfsAccessPoint => efs::access_point::read_one(self, &scope)
                .await?
                .into_iter()
                .collect(),
            Kind::EventRule => events::read_one(self, &scope).await?.into_iter().collect(),
        };
        Ok(found.into_iter().next().map(|resource| Found {
            resource,
            owner: one.owner(),
        }))
    }

    /// The service's own tagging call: EC2 CreateTags, ELBv2 AddTags (a
    /// listener's rules too), ECS TagResource, Logs TagResource, IAM
    /// TagRole, ECR TagResource, Cloud Map TagResource, Route 53
    /// ChangeTagsForResource (a record: its marker written beside it), IAM
    /// TagPolicy, KMS TagResource, SNS TagResource, S3 PutBucketTagging (the
    /// bucket's tags and berth's), SQS TagQueue, EFS TagResource,
    /// EventBridge TagResource.
    async fn adopt(&self, stack: &str, live: &Resource) -> Result<(), ProviderError> {
        match live.address.kind {
            Kind::Vpc
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::DefaultRouteTable
            | Kind::DefaultNetworkAcl
            | Kind::NetworkAcl
            | Kind::SecurityGroup
            | Kind::DefaultSecurityGroup
            | Kind::SecurityGroupRule
            | Kind::ElasticIp
            | Kind::NatGateway
            | Kind::VpcEndpoint
            | Kind::FlowLog => ec2::adopt(self, stack, live).await,
            Kind::Cluster | Kind::TaskDefinition | Kind::Service => ecs::adopt(self, stack, live).await,
            Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                elb::adopt(self, stack, live).await
            }
            Kind::LogGroup => logs::adopt(self, stack, live).await,
            Kind::Role => iam::adopt(self, stack, live).await,
            Kind::EcrRepository => ecr::adopt(self, stack, live).await,
            Kind::DnsNamespace | Kind::DiscoveryService => discovery::adopt(self, stack, live).await,
            Kind::HostedZone | Kind::DnsRecord => route53::adopt(self, stack, live).await,
            Kind::ManagedPolicy => managed_policy::adopt(self, stack, live).await,
            Kind::SsmParameter => ssm::adopt(self, stack, live).await,
            Kind::MetricAlarm => cloudwatch::adopt(self, stack, live).await,
            Kind::Secret => secrets::adopt(self, stack, live).await,
            Kind::Certificate => acm::adopt(self, stack, live).await,
            Kind::KmsKey => kms::adopt(self, stack, live).await,
            Kind::SnsTopic => sns::adopt(self, stack, live).await,
            Kind::S3Bucket => s3::adopt(self, stack, live).await,
            Kind::SqsQueue => sqs::adopt(self, stack, live).await,
            Kind::EfsFileSystem | Kind::EfsAccessPoint => efs::adopt(self, stack, live).await,
            Kind::EventRule => events::adopt(self, stack, live).await,
        }
    }

    async fn create(&self, stack: &str, desired: &Resource) -> Result<Resource, ProviderError> {
        let made = match desired.address.kind {
            Kind::Vpc
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::DefaultRouteTable
            | Kind::DefaultNetworkAcl
            | Kind::NetworkAcl
            | Kind::SecurityGroup
            | Kind::DefaultSecurityGroup
            | Kind::SecurityGroupRule => ec2::create(self, stack, desired).await,
            Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                elb::create(self, stack, desired).await
            }
            Kind::Cluster | Kind::TaskDefinition | Kind::Service => ecs::create(self, stack, desired).await,
            Kind::LogGroup => logs::create(self, stack, desired).await,
            Kind::Role => iam::create(self, stack, desired).await,
            Kind::ManagedPolicy => managed_policy::create(self, stack, desired).await,
            Kind::ElasticIp | Kind::NatGateway => ec2::nat::create(self, stack, desired).await,
            Kind::VpcEndpoint => ec2::endpoint::create(self, stack, desired).await,
            Kind::FlowLog => ec2::flow_log::create(self, stack, desired).await,
            Kind::EcrRepository => ecr::create(self, stack, desired).await,
            Kind::DnsNamespace | Kind::DiscoveryService => discovery::create(self, stack, desired).await,
            Kind::HostedZone | Kind::DnsRecord => route53::create(self, stack, desired).await,
            Kind::SsmParameter => ssm::create(self, stack, desired).await,
            Kind::MetricAlarm => cloudwatch::create(self, stack, desired).await,
            Kind::Secret => secrets::create(self, stack, desired).await,
            Kind::Certificate => acm::create(self, stack, desired).await,
            Kind::KmsKey => kms::create(self, stack, desired).await,
            Kind::SnsTopic => sns::create(self, stack, desired).await,
            Kind::S3Bucket => s3::create(self, stack, desired).await,
            Kind::SqsQueue => sqs::create(self, stack, desired).await,
            Kind::EfsFileSystem => efs::file_system::create(self, stack, desired).await,
            Kind::EfsAccessPoint => efs::access_point::create(self, stack, desired).await,
            Kind::EventRule => events::create(self, stack, desired).await,
        };
        made.map(naming::as_kept)
    }

    async fn update(
        &self,
        stack: &str,
        live: &Resource,
        desired: &Resource,
    ) -> Result<Resource, ProviderError> {
        let made = match live.address.kind {
            Kind::Vpc
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::DefaultRouteTable
            | Kind::DefaultNetworkAcl
            | Kind::NetworkAcl
            | Kind::SecurityGroup
            | Kind::DefaultSecurityGroup
            | Kind::SecurityGroupRule => ec2::update(self, stack, live, desired).await,
            Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                elb::update(self, stack, live, desired).await
            }
            Kind::Cluster | Kind::TaskDefinition | Kind::Service => {
                ecs::update(self, stack, live, desired).await
            }
            Kind::LogGroup => logs::update(self, live, desired).await,
            Kind::Role => iam::update(self, live, desired).await,
            Kind::ManagedPolicy => managed_policy::update(self, live, desired).await,
            Kind::ElasticIp | Kind::NatGateway => ec2::nat::update(self, live, desired).await,
            Kind::VpcEndpoint => ec2::endpoint::update(self, live, desired).await,
            Kind::FlowLog => ec2::flow_log::update(self, live, desired).await,
            Kind::EcrRepository => ecr::update(self, live, desired).await,
            Kind::DnsNamespace | Kind::DiscoveryService => discovery::update(self, live, desired).await,
            Kind::HostedZone | Kind::DnsRecord => route53::update(self, live, desired).await,
            Kind::SsmParameter => ssm::update(self, live, desired).await,
            Kind::MetricAlarm => cloudwatch::update(self, live, desired).await,
            Kind::Secret => secrets::update(self, live, desired).await,
            Kind::Certificate => acm::update(self, live, desired).await,
            Kind::KmsKey => kms::update(self, stack, live, desired).await,
            Kind::SnsTopic => sns::update(self, live, desired).await,
            Kind::S3Bucket => s3::update(self, stack, live, desired).await,
            Kind::SqsQueue => sqs::update(self, live, desired).await,
            Kind::EfsFileSystem => efs::file_system::update(self, live, desired).await,
            Kind::EfsAccessPoint => efs::access_point::update(self, live, desired).await,
            Kind::EventRule => events::update(self, live, desired).await,
        };
        made.map(naming::as_kept)
    }

    async fn availability_zones(&self) -> Result<Vec<String>, ProviderError> {
        ec2::zones(self).await
    }

    async fn lookup(&self, query: &Query) -> Result<Matches, ProviderError> {
        lookup::find(self, query).await
    }

    async fn delete(&self, stack: &str, live: &Resource) -> Result<(), ProviderError> {
        match live.address.kind {
            Kind::Vpc
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::DefaultRouteTable
            | Kind::DefaultNetworkAcl
            | Kind::NetworkAcl
            | Kind::SecurityGroup
            | Kind::DefaultSecurityGroup
            | Kind::SecurityGroupRule => ec2::delete(self, live).await,
            Kind::LoadBalancer | Kind::TargetGroup | Kind::Listener | Kind::ListenerRule => {
                elb::delete(self, live).await
            }
            Kind::Cluster | Kind::TaskDefinition | Kind::Service => ecs::delete(self, live).await,
            Kind::LogGroup => logs::delete(self, live).await,
            Kind::Role => iam::delete(self, stack, live).await,
            Kind::ManagedPolicy => managed_policy::delete(self, stack, live).await,
            Kind::ElasticIp | Kind::NatGateway => ec2::nat::delete(self, live).await,
            Kind::VpcEndpoint => ec2::endpoint::delete(self, live).await,
            Kind::FlowLog => ec2::flow_log::delete(self, live).await,
            Kind::EcrRepository => ecr::delete(self, live).await,
            Kind::DnsNamespace | Kind::DiscoveryService => discovery::delete(self, live).await,
            Kind::HostedZone | Kind::DnsRecord => route53::delete(self, live).await,
            Kind::SsmParameter => ssm::delete(self, live).await,
            Kind::MetricAlarm => cloudwatch::delete(self, live).await,
            Kind::Secret => secrets::delete(self, live).await,
            Kind::Certificate => acm::delete(self, live).await,
            Kind::KmsKey => kms::delete(self, live).await,
            Kind::SnsTopic => sns::delete(self, live).await,
            Kind::S3Bucket => s3::delete(self, live).await,
            Kind::SqsQueue => sqs::delete(self, live).await,
            Kind::EfsFileSystem => efs::file_system::delete(self, live).await,
            Kind::EfsAccessPoint => efs::access_point::delete(self, live).await,
            Kind::EventRule => events::delete(self, live).await,
        }
    }

    async fn try_lock(&self, stack: &str, me: &LockInfo) -> Result<Option<LockInfo>, ProviderError> {
        lock::try_lock(self, stack, me).await
    }

    async fn read_lock(&self, stack: &str) -> Result<Option<LockInfo>, ProviderError> {
        lock::read_lock(self, stack).await
    }

    async fn refresh_lock(&self, stack: &str, me: &LockInfo) -> Result<bool, ProviderError> {
        lock::refresh_lock(self, stack, me).await
    }

    async fn release_lock(&self, stack: &str, holder: &LockInfo) -> Result<bool, ProviderError> {
        lock::release_lock(self, stack, holder).await
    }

    /// STS GetCallerIdentity, asked once per provider.
    async fn account(&self) -> Result<Option<String>, ProviderError> {
        self.caller().await.map(|c| Some(c.account.clone()))
    }

    fn stats(&self) -> BTreeMap<String, OpStats> {
        self.stats.snapshot()
    }

    /// ECS services: as many tasks running as desired and a single
    /// deployment, polled with `DescribeServices` every 5 seconds (backing
    /// off to 15), passing on the service's events; fails with code
    /// `Timeout` after `timeout`, with [`berth_provider::ROLLED_BACK`] when the deployment
    /// failed, or at once if the service is gone. Other kinds are ready once
    /// created.
    async fn wait_until_ready(
        &self,
        resource: &Resource,
        timeout: Duration,
        events: &WaitEvents<'_>,
    ) -> Result<(), ProviderError> {
        match resource.address.kind {
            Kind::Service => ecs::service::wait_for_steady_state(self, resource, timeout, events).await,
            _ => Ok(()),
        }
    }
}

/// Drives an SDK paginator to the end: `(items, pages)`, `?` on an SDK
/// error. `$field` is the page's list field.
macro_rules! paginate {
    ($req:expr, $field:ident) => {{
        let req = $req;
        async move {
            let mut pages = req.into_paginator().send();
            let mut items = Vec::new();
            let mut n = 0u64;
            while let Some(page) = pages.try_next().await? {
                n += 1;
                let found: Option<Vec<_>> = page.$field.into();
                items.extend(found.unwrap_or_default());
            }
            Ok((items, n))
        }
    }};
}
pub(crate) use paginate;
