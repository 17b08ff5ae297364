//! The AWS API calls and error codes behind each kind's operations.

use berth_provider::{Kind, ProviderError};

/// AWS names for one kind.
pub(crate) struct Api {
    pub create: &'static str,
    pub update: &'static str,
    pub delete: &'static str,
    pub describe: &'static str,
    /// Error code of a reference to a missing resource of this kind.
    pub not_found: &'static str,
    /// Error code of a malformed request to this kind's service.
    pub invalid: &'static str,
    /// Tagging call of the service.
    pub tag: &'static str,
}

pub(crate) fn of(kind: Kind) -> &'static Api {
    const EC2_INVALID: &str = "InvalidParameterValue";
    match kind {
        Kind::Vpc => &Api {
            create: "CreateVpc",
            update: "ModifyVpcAttribute",
            delete: "DeleteVpc",
            describe: "DescribeVpcs",
            not_found: "InvalidVpcID.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::Subnet => &Api {
            create: "CreateSubnet",
            update: "ModifySubnetAttribute",
            delete: "DeleteSubnet",
            describe: "DescribeSubnets",
            not_found: "InvalidSubnetID.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::InternetGateway => &Api {
            create: "CreateInternetGateway",
            update: "AttachInternetGateway",
            delete: "DeleteInternetGateway",
            describe: "DescribeInternetGateways",
            not_found: "InvalidInternetGatewayID.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::RouteTable => &Api {
            create: "CreateRouteTable",
            update: "CreateRoute",
            delete: "DeleteRouteTable",
            describe: "DescribeRouteTables",
            not_found: "InvalidRouteTableID.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::SecurityGroup => &Api {
            create: "CreateSecurityGroup",
            update: "AuthorizeSecurityGroupIngress",
            delete: "DeleteSecurityGroup",
            describe: "DescribeSecurityGroups",
            not_found: "InvalidGroup.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::LoadBalancer => &Api {
            create: "CreateLoadBalancer",
            update: "ModifyLoadBalancerAttributes",
            delete: "DeleteLoadBalancer",
            describe: "DescribeLoadBalancers",
            not_found: "LoadBalancerNotFound",
            invalid: "ValidationError",
            tag: "AddTags",
        },
        Kind::TargetGroup => &Api {
            create: "CreateTargetGroup",
            update: "ModifyTargetGroup",
            delete: "DeleteTargetGroup",
            describe: "DescribeTargetGroups",
            not_found: "TargetGroupNotFound",
            invalid: "ValidationError",
            tag: "AddTags",
        },
        Kind::Listener => &Api {
            create: "CreateListener",
            update: "ModifyListener",
            delete: "DeleteListener",
            describe: "DescribeListeners",
            not_found: "ListenerNotFound",
            invalid: "ValidationError",
            tag: "AddTags",
        },
        Kind::Cluster => &Api {
            create: "CreateCluster",
            update: "UpdateCluster",
            delete: "DeleteCluster",
            describe: "DescribeClusters",
            not_found: "ClusterNotFoundException",
            invalid: "InvalidParameterException",
            tag: "TagResource",
        },
        Kind::EcrRepository => &Api {
            create: "CreateRepository",
            update: "PutImageScanningConfiguration",
            delete: "DeleteRepository",
            describe: "DescribeRepositories",
            not_found: "RepositoryNotFoundException",
            invalid: "InvalidParameterException",
            tag: "TagResource",
        },
        Kind::DnsNamespace => &Api {
            create: "CreatePrivateDnsNamespace",
            update: "TagResource",
            delete: "DeleteNamespace",
            describe: "ListNamespaces",
            not_found: "NamespaceNotFound",
            invalid: "InvalidInput",
            tag: "TagResource",
        },
        Kind::DiscoveryService => &Api {
            create: "CreateService",
            update: "UpdateService",
            delete: "DeleteService",
            describe: "ListServices",
            not_found: "ServiceNotFound",
            invalid: "InvalidInput",
            tag: "TagResource",
        },
        Kind::HostedZone => &Api {
            create: "CreateHostedZone",
            update: "UpdateHostedZoneComment",
            delete: "DeleteHostedZone",
            describe: "ListHostedZones",
            not_found: "NoSuchHostedZone",
            invalid: "InvalidInput",
            tag: "ChangeTagsForResource",
        },
        Kind::DnsRecord => &Api {
            create: "ChangeResourceRecordSets",
            update: "ChangeResourceRecordSets",
            delete: "ChangeResourceRecordSets",
            describe: "ListResourceRecordSets",
            not_found: "InvalidChangeBatch",
            invalid: "InvalidInput",
            tag: "ChangeResourceRecordSets",
        },
        Kind::Secret => &Api {
            create: "CreateSecret",
            update: "UpdateSecret",
            delete: "DeleteSecret",
            describe: "ListSecrets",
            not_found: "ResourceNotFoundException",
            invalid: "InvalidParameterException",
            tag: "TagResource",
        },
        Kind::MetricAlarm => &Api {
            create: "PutMetricAlarm",
            update: "PutMetricAlarm",
            delete: "DeleteAlarms",
            describe: "DescribeAlarms",
            not_found: "ResourceNotFound",
            invalid: "ValidationError",
            tag: "TagResource",
        },
        Kind::SsmParameter => &Api {
            create: "PutParameter",
            update: "PutParameter",
            delete: "DeleteParameter",
            describe: "DescribeParameters",
            not_found: "ParameterNotFound",
            invalid: "ValidationException",
            tag: "AddTagsToResource",
        },
        Kind::LogGroup => &Api {
            create: "CreateLogGroup",
            update: "PutRetentionPolicy",
            delete: "DeleteLogGroup",
            describe: "DescribeLogGroups",
            not_found: "ResourceNotFoundException",
            invalid: "InvalidParameterException",
            tag: "TagResource",
        },
        Kind::Role => &Api {
            create: "CreateRole",
            update: "UpdateRole",
            delete: "DeleteRole",
            describe: "ListRoles",
            not_found: "NoSuchEntity",
            invalid: "ValidationError",
            tag: "TagRole",
        },
        Kind::ManagedPolicy => &Api {
            create: "CreatePolicy",
            update: "CreatePolicyVersion",
            delete: "DeletePolicy",
            describe: "ListPolicies",
            not_found: "NoSuchEntity",
            invalid: "ValidationError",
            tag: "TagPolicy",
        },
        Kind::TaskDefinition => &Api {
            create: "RegisterTaskDefinition",
            update: "RegisterTaskDefinition",
            delete: "DeregisterTaskDefinition",
            describe: "DescribeTaskDefinition",
            not_found: "ClientException",
            invalid: "ClientException",
            tag: "TagResource",
        },
        Kind::Service => &Api {
            create: "CreateService",
            update: "UpdateService",
            delete: "DeleteService",
            describe: "DescribeServices",
            not_found: "ServiceNotFoundException",
            invalid: "InvalidParameterException",
            tag: "TagResource",
        },
        Kind::ElasticIp => &Api {
            create: "AllocateAddress",
            update: "CreateTags",
            delete: "ReleaseAddress",
            describe: "DescribeAddresses",
            not_found: "InvalidAllocationID.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::NatGateway => &Api {
            create: "CreateNatGateway",
            update: "CreateTags",
            delete: "DeleteNatGateway",
            describe: "DescribeNatGateways",
            not_found: "NatGatewayNotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::VpcEndpoint => &Api {
            create: "CreateVpcEndpoint",
            update: "ModifyVpcEndpoint",
            delete: "DeleteVpcEndpoints",
            describe: "DescribeVpcEndpoints",
            not_found: "InvalidVpcEndpointId.NotFound",
            invalid: "InvalidParameter",
            tag: "CreateTags",
        },
    }
}

/// A permanent API error: the request can never succeed as sent.
pub(crate) fn fail(call: &str, code: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::permanent(call, code, message)
}

/// A malformed request to `kind`'s service.
pub(crate) fn invalid(kind: Kind, call: &str, message: impl Into<String>) -> ProviderError {
    fail(call, of(kind).invalid, message)
}
