use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::schema::{self, KindSchema};

/// A kind of resource berth manages. Each has a [`KindSchema`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Vpc,
    Subnet,
    InternetGateway,
    RouteTable,
    DefaultRouteTable,
    DefaultNetworkAcl,
    NetworkAcl,
    SecurityGroup,
    SecurityGroupRule,
    DefaultSecurityGroup,
    LoadBalancer,
    TargetGroup,
    Listener,
    ListenerRule,
    Cluster,
    LogGroup,
    Role,
    ManagedPolicy,
    TaskDefinition,
    Service,
    ElasticIp,
    NatGateway,
    VpcEndpoint,
    EcrRepository,
    DnsNamespace,
    DiscoveryService,
    HostedZone,
    DnsRecord,
    SsmParameter,
    MetricAlarm,
    Secret,
    Certificate,
    KmsKey,
    FlowLog,
    SnsTopic,
    S3Bucket,
    SqsQueue,
    EfsFileSystem,
    EfsAccessPoint,
    EventRule,
}

/// The name given is not a resource kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown resource kind `{0}`")]
pub struct UnknownKind(pub String);

impl Kind {
    /// Every kind, in the order the reference documents them.
    pub const ALL: [Kind; 40] = [
        Kind::Vpc,
        Kind::Subnet,
        Kind::InternetGateway,
        Kind::RouteTable,
        Kind::DefaultRouteTable,
        Kind::DefaultNetworkAcl,
        Kind::NetworkAcl,
        Kind::SecurityGroup,
        Kind::SecurityGroupRule,
        Kind::DefaultSecurityGroup,
        Kind::LoadBalancer,
        Kind::TargetGroup,
        Kind::Listener,
        Kind::ListenerRule,
        Kind::Cluster,
        Kind::LogGroup,
        Kind::Role,
        Kind::ManagedPolicy,
        Kind::TaskDefinition,
        Kind::Service,
        Kind::ElasticIp,
        Kind::NatGateway,
        Kind::VpcEndpoint,
        Kind::EcrRepository,
        Kind::DnsNamespace,
        Kind::DiscoveryService,
        Kind::HostedZone,
        Kind::DnsRecord,
        Kind::SsmParameter,
        Kind::MetricAlarm,
        Kind::Secret,
        Kind::Certificate,
        Kind::KmsKey,
        Kind::FlowLog,
        Kind::SnsTopic,
        Kind::S3Bucket,
        Kind::SqsQueue,
        Kind::EfsFileSystem,
        Kind::EfsAccessPoint,
        Kind::EventRule,
    ];

    /// The keyword that declares this kind in a `.berth` file.
    pub const fn keyword(self) -> &'static str {
        match self {
            Kind::Vpc => "vpc",
            Kind::Subnet => "subnet",
            Kind::InternetGateway => "internet_gateway",
            Kind::RouteTable => "route_table",
            Kind::DefaultRouteTable => "default_route_table",
            Kind::DefaultNetworkAcl => "default_network_acl",
            Kind::NetworkAcl => "network_acl",
            Kind::SecurityGroup => "security_group",
            Kind::SecurityGroupRule => "security_group_rule",
            Kind::DefaultSecurityGroup => "default_security_group",
            Kind::LoadBalancer => "load_balancer",
            Kind::TargetGroup => "target_group",
            Kind::Listener => "listener",
            Kind::ListenerRule => "listener_rule",
            Kind::Cluster => "cluster",
            Kind::LogGroup => "log_group",
            Kind::Role => "role",
            Kind::ManagedPolicy => "managed_policy",
            Kind::TaskDefinition => "task_definition",
            Kind::Service => "service",
            Kind::ElasticIp => "elastic_ip",
            Kind::NatGateway => "nat_gateway",
            Kind::VpcEndpoint => "vpc_endpoint",
            Kind::EcrRepository => "ecr_repository",
            Kind::DnsNamespace => "dns_namespace",
            Kind::DiscoveryService => "discovery_service",
            Kind::HostedZone => "hosted_zone",
            Kind::DnsRecord => "dns_record",
            Kind::SsmParameter => "ssm_parameter",
            Kind::MetricAlarm => "metric_alarm",
            Kind::Secret => "secret",
            Kind::Certificate => "certificate",
            Kind::KmsKey => "kms_key",
            Kind::FlowLog => "flow_log",
            Kind::SnsTopic => "sns_topic",
            Kind::S3Bucket => "s3_bucket",
            Kind::SqsQueue => "sqs_queue",
            Kind::EfsFileSystem => "efs_file_system",
            Kind::EfsAccessPoint => "efs_access_point",
            Kind::EventRule => "event_rule",
        }
    }

    /// The kind a reference to this one stands for where a setting takes
    /// a reference: a VPC's default security group is a security group,
    /// its main route table a route table.
    pub const fn stands_for(self) -> Kind {
        match self {
            Kind::DefaultSecurityGroup => Kind::SecurityGroup,
            Kind::DefaultRouteTable => Kind::RouteTable,
            kind => kind,
        }
    }

    /// Whether AWS makes resources of this kind itself (a VPC's default
    /// group, main route table and default network ACL, with the VPC):
    /// berth's create takes one over and its delete lets it go.
    pub const fn taken_over(self) -> bool {
        matches!(
            self,
            Kind::DefaultSecurityGroup | Kind::DefaultRouteTable | Kind::DefaultNetworkAcl
        )
    }

    /// The schema of this kind.
    pub fn schema(self) -> &'static KindSchema {
        schema::of(self)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.keyword() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(kind.keyword().parse::<Kind>(), Ok(kind));
        }
        assert!("vpcs".parse::<Kind>().is_err());
    }
}
