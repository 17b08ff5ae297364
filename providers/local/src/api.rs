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
        Kind::DefaultRouteTable => &Api {
            create: "CreateTags",
            update: "CreateRoute",
            delete: "DeleteTags",
            describe: "DescribeRouteTables",
            not_found: "InvalidRouteTableID.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::DefaultSecurityGroup => &Api {
            create: "CreateTags",
            update: "AuthorizeSecurityGroupIngress",
            delete: "DeleteTags",
            describe: "DescribeSecurityGroups",
            not_found: "InvalidGroup.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        Kind::SecurityGroupRule => &Api {
            create: "AuthorizeSecurityGroupIngress",
            update: "CreateTags",
            delete: "RevokeSecurityGroupIngress",
            describe: "DescribeSecurityGroupRules",
            not_found: "InvalidSecurityGroupRuleId.NotFound",
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
        Kind::ListenerRule => &Api {
            create: "CreateRule",
            update: "ModifyRule",
            delete: "DeleteRule",
            describe: "DescribeRules",
            not_found: "RuleNotFound",
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
        Kind::KmsKey => &Api {
            create: "CreateKey",
            update: "UpdateKeyDescription",
            delete: "ScheduleKeyDeletion",
            describe: "DescribeKey",
            not_found: "NotFoundException",
            invalid: "ValidationException",
            tag: "TagResource",
        },
        Kind::Certificate => &Api {
            create: "RequestCertificate",
            update: "ChangeResourceRecordSets",
            delete: "DeleteCertificate",
            describe: "DescribeCertificate",
            not_found: "ResourceNotFoundException",
            invalid: "ValidationException",
            tag: "AddTagsToCertificate",
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
        // Only tags change in place: CreateTags is the update.
        Kind::FlowLog => &Api {
            create: "CreateFlowLogs",
            update: "CreateTags",
            delete: "DeleteFlowLogs",
            describe: "DescribeFlowLogs",
            not_found: "InvalidFlowLogId.NotFound",
            invalid: EC2_INVALID,
            tag: "CreateTags",
        },
        // SetTopicAttributes changes one setting a call; subscriptions
        // change by Subscribe, SetSubscriptionAttributes and Unsubscribe.
        Kind::SnsTopic => &Api {
            create: "CreateTopic",
            update: "SetTopicAttributes",
            delete: "DeleteTopic",
            describe: "GetTopicAttributes",
            not_found: "NotFound",
            invalid: "InvalidParameter",
            tag: "TagResource",
        },
        // S3 has no one update call: each part of a bucket is set by its
        // own Put call (`s3.rs`); the tagging call, which also carries
        // berth's `force_destroy` tag, names an update as a whole.
        Kind::S3Bucket => &Api {
            create: "CreateBucket",
            update: "PutBucketTagging",
            delete: "DeleteBucket",
            describe: "ListBuckets",
            not_found: "NoSuchBucket",
            invalid: "InvalidArgument",
            tag: "PutBucketTagging",
        },
        // SetQueueAttributes changes every setting in one call; tags
        // change by TagQueue and UntagQueue.
        Kind::SqsQueue => &Api {
            create: "CreateQueue",
            update: "SetQueueAttributes",
            delete: "DeleteQueue",
            describe: "ListQueues",
            not_found: "AWS.SimpleQueueService.NonExistentQueue",
            invalid: "InvalidParameterValue",
            tag: "TagQueue",
        },
        // UpdateFileSystem changes the throughput; the lifecycle policies,
        // the policy and the mount targets have calls of their own
        // (`efs.rs`).
        Kind::EfsFileSystem => &Api {
            create: "CreateFileSystem",
            update: "UpdateFileSystem",
            delete: "DeleteFileSystem",
            describe: "DescribeFileSystems",
            not_found: "FileSystemNotFound",
            invalid: "BadRequest",
            tag: "TagResource",
        },
        // Only tags change in place: TagResource is the update.
        Kind::EfsAccessPoint => &Api {
            create: "CreateAccessPoint",
            update: "TagResource",
            delete: "DeleteAccessPoint",
            describe: "DescribeAccessPoints",
            not_found: "AccessPointNotFound",
            invalid: "BadRequest",
            tag: "TagResource",
        },
        // PutRule is an upsert of all the rule's settings at once; its
        // targets change by PutTargets and RemoveTargets (`events.rs`).
        Kind::EventRule => &Api {
            create: "PutRule",
            update: "PutRule",
            delete: "DeleteRule",
            describe: "ListRules",
            not_found: "ResourceNotFoundException",
            invalid: "ValidationException",
            tag: "TagResource",
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
