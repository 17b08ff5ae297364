//! Lookups: `data KIND NAME { FILTERS }` blocks read resources berth does
//! not own (or another stack owns) at plan time. The language evaluates a
//! block's filters into a [`Query`]; a provider answers it with every live
//! resource that matches ([`Provider::lookup`](crate::Provider::lookup)).
//! Lookups are read-only: nothing is created, changed or tagged.

use std::collections::BTreeMap;
use std::fmt;

use crate::schema::Type;
use crate::{Attrs, Kind, Value};

/// What a `data` block looks up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataKind {
    Vpc,
    Subnet,
    /// Every subnet that matches: `ids`, possibly empty.
    Subnets,
    SecurityGroup,
    /// The newest issued ACM certificate for a domain.
    Certificate,
    HostedZone,
    /// A managed prefix list: AWS's (S3, DynamoDB, CloudFront's
    /// origin-facing addresses) or one a team keeps.
    PrefixList,
    /// An SSM parameter, by name: configuration another team or stack
    /// publishes (a VPC id, an image tag, a secret).
    SsmParameter,
    /// An ECS cluster, by name: a shared one services run in.
    Cluster,
    /// An IAM role, by name: `ecsTaskExecutionRole` and other shared roles.
    Role,
    /// A load balancer, by name.
    LoadBalancer,
    /// A target group, by name: one a platform stack routes to.
    TargetGroup,
    /// A listener, by its load balancer and port: one a service's
    /// `listener_rule` adds its path to.
    Listener,
    /// Who berth runs as: the account, for ARNs a stack writes out.
    CallerIdentity,
    /// The stack's region.
    Region,
    /// The ARN partition of the account (`aws`, `aws-cn`, `aws-us-gov`).
    Partition,
    /// A KMS key, by its id, ARN or an alias: a team's key, or an AWS
    /// managed one (`alias/aws/secretsmanager`).
    KmsKey,
    /// An IAM managed policy, by ARN or name: AWS's own
    /// (`AmazonECSTaskExecutionRolePolicy`) or a team's.
    ManagedPolicy,
    /// An ECR repository, by name: where a service's images are.
    EcrRepository,
    /// A Secrets Manager secret, by ARN or name: what a container's
    /// `secrets` read.
    Secret,
    /// An ECS task definition, by family (its latest ACTIVE revision),
    /// `family:revision` or ARN.
    TaskDefinition,
    /// The account Elastic Load Balancing writes access logs from in the
    /// stack's region, for a bucket policy.
    ElbServiceAccount,
    /// A Cloud Map namespace, by name and type: a platform's namespace a
    /// service registers in or Service Connect joins.
    DnsNamespace,
    /// An SNS topic, by name: where alarms notify.
    SnsTopic,
}

/// A filter a `data` block may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    pub name: &'static str,
    pub ty: Type,
    pub doc: &'static str,
}

/// An attribute a `data` block exposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataAttr {
    pub name: &'static str,
    pub ty: Type,
    pub doc: &'static str,
}

const ID: Filter = Filter {
    name: "id",
    ty: Type::String,
    doc: "the resource's id",
};
const TAGS: Filter = Filter {
    name: "tags",
    ty: Type::Map(&Type::String),
    doc: "tags it carries, each with this value",
};
const VPC: Filter = Filter {
    name: "vpc",
    ty: Type::Ref(Kind::Vpc),
    doc: "the VPC it is in: a reference, a `data.vpc` or an id",
};
const STACK: Filter = Filter {
    name: "stack",
    ty: Type::String,
    doc: "the berth stack that owns it (its `berth:stack` tag)",
};
const ADDRESS: Filter = Filter {
    name: "address",
    ty: Type::String,
    doc: "its address in that stack (`subnet.public`, its `berth:address` tag; `*` and `?` are wildcards)",
};
const NAME: Filter = Filter {
    name: "name",
    ty: Type::String,
    doc: "its name",
};

const ARN: Filter = Filter {
    name: "arn",
    ty: Type::String,
    doc: "its ARN (Terraform's `arn`: another tool's output)",
};
const LOAD_BALANCER: Filter = Filter {
    name: "load_balancer",
    ty: Type::Ref(Kind::LoadBalancer),
    doc: "its load balancer: a `data.load_balancer`, a reference or an ARN",
};
const PORT: Filter = Filter {
    name: "port",
    ty: Type::Int,
    doc: "the port it listens on",
};

const ZONE: Filter = Filter {
    name: "zone",
    ty: Type::String,
    doc: "its availability zone (`us-east-1a`)",
};
const DEFAULT: Filter = Filter {
    name: "default",
    ty: Type::Bool,
    doc: "only the region's default VPC (`true`) or only the others (`false`)",
};

const DEFAULT_SUBNET: Filter = Filter {
    name: "default",
    ty: Type::Bool,
    doc: "only the default subnets of their zones, the default VPC's (`true`, EC2's `default-for-az`), or only the others (`false`)",
};

const PUBLIC: Filter = Filter {
    name: "public",
    ty: Type::Bool,
    doc: "only subnets that give public IPs on launch (`true`, EC2's `map-public-ip-on-launch`), or only the others (`false`)",
};

const STRINGS: Type = Type::Map(&Type::String);
const SUBNET_IDS: Type = Type::List(&Type::Ref(Kind::Subnet));

impl DataKind {
    pub const ALL: &'static [DataKind] = &[
        DataKind::Vpc,
        DataKind::Subnet,
        DataKind::Subnets,
        DataKind::SecurityGroup,
        DataKind::Certificate,
        DataKind::HostedZone,
        DataKind::PrefixList,
        DataKind::SsmParameter,
        DataKind::Cluster,
        DataKind::Role,
        DataKind::LoadBalancer,
        DataKind::TargetGroup,
        DataKind::Listener,
        DataKind::CallerIdentity,
        DataKind::Region,
        DataKind::Partition,
        DataKind::KmsKey,
        DataKind::ManagedPolicy,
        DataKind::EcrRepository,
        DataKind::Secret,
        DataKind::TaskDefinition,
        DataKind::ElbServiceAccount,
        DataKind::DnsNamespace,
        DataKind::SnsTopic,
    ];

    /// The word after `data`.
    pub fn keyword(self) -> &'static str {
        match self {
            DataKind::Vpc => "vpc",
            DataKind::Subnet => "subnet",
            DataKind::Subnets => "subnets",
            DataKind::SecurityGroup => "security_group",
            DataKind::Certificate => "certificate",
            DataKind::HostedZone => "hosted_zone",
            DataKind::PrefixList => "prefix_list",
            DataKind::SsmParameter => "ssm_parameter",
            DataKind::Cluster => "cluster",
            DataKind::Role => "role",
            DataKind::LoadBalancer => "load_balancer",
            DataKind::TargetGroup => "target_group",
            DataKind::Listener => "listener",
            DataKind::CallerIdentity => "caller_identity",
            DataKind::Region => "region",
            DataKind::Partition => "partition",
            DataKind::KmsKey => "kms_key",
            DataKind::ManagedPolicy => "managed_policy",
            DataKind::EcrRepository => "ecr_repository",
            DataKind::Secret => "secret",
            DataKind::TaskDefinition => "task_definition",
            DataKind::ElbServiceAccount => "elb_service_account",
            DataKind::DnsNamespace => "dns_namespace",
            DataKind::SnsTopic => "sns_topic",
        }
    }

    /// What it looks up, for docs.
    pub fn doc(self) -> &'static str {
        match self {
            DataKind::Vpc => "one VPC",
            DataKind::Subnet => "one subnet",
            DataKind::Subnets => "every subnet that matches (possibly none)",
            DataKind::SecurityGroup => "one security group",
            DataKind::Certificate => "the newest issued ACM certificate for a domain",
            DataKind::HostedZone => "one Route 53 hosted zone",
            DataKind::PrefixList => {
                "one managed prefix list: AWS's (`com.amazonaws.global.cloudfront.origin-facing`, \
                 `com.amazonaws.REGION.s3`, ...) or a team's, for security group rules' `prefix_list`"
            }
            DataKind::SsmParameter => {
                "one SSM parameter, by its name: its `value` (decrypted; sensitive when the parameter \
                 is a `SecureString`, so never shown, nor anything that reads it)"
            }
            DataKind::Cluster => "one ECS cluster, by name (ACTIVE)",
            DataKind::Role => "one IAM role, by name (`ecsTaskExecutionRole`)",
            DataKind::LoadBalancer => "one load balancer, by name",
            DataKind::TargetGroup => "one target group, by name",
            DataKind::Listener => {
                "one listener, by its load balancer and port (Terraform's `aws_lb_listener` lookup)"
            }
            DataKind::CallerIdentity => {
                "who berth runs as (STS GetCallerIdentity): the account, for ARNs; takes no filter"
            }
            DataKind::Region => "the stack's region; takes no filter",
            DataKind::Partition => "the account's ARN partition and DNS suffix; takes no filter",
            DataKind::KmsKey => {
                "one KMS key, by its id, ARN or alias (a team's, or an AWS managed key's such as \
                 `alias/aws/secretsmanager`; Terraform's `aws_kms_key` lookup)"
            }
            DataKind::ManagedPolicy => {
                "one IAM managed policy, by ARN or name: AWS's (`AmazonECSTaskExecutionRolePolicy`) \
                 or the account's (Terraform's `aws_iam_policy` lookup)"
            }
            DataKind::EcrRepository => "one ECR repository, by name",
            DataKind::Secret => {
                "one Secrets Manager secret, by ARN or name (Terraform's `aws_secretsmanager_secret` \
                 lookup); its value is not read"
            }
            DataKind::TaskDefinition => {
                "one ECS task definition, by family (its latest ACTIVE revision), `family:revision` \
                 or ARN (Terraform's `aws_ecs_task_definition` lookup)"
            }
            DataKind::ElbServiceAccount => {
                "the account Elastic Load Balancing writes access logs from in the stack's region, \
                 for a bucket policy's principal; takes no filter. Regions opened since August 2022 \
                 have none (their policies name `logdelivery.elasticloadbalancing.amazonaws.com`)"
            }
            DataKind::DnsNamespace => {
                "one Cloud Map namespace, by name and type (Terraform's \
                 `aws_service_discovery_dns_namespace` and `aws_service_discovery_http_namespace` \
                 lookups)"
            }
            DataKind::SnsTopic => "one SNS topic, by name (Terraform's `aws_sns_topic` lookup)",
        }
    }

    /// Whether the block stands for every match rather than exactly one.
    pub fn is_plural(self) -> bool {
        self == DataKind::Subnets
    }

    /// The resource kind whose identity the block's identity is, where
    /// berth manages that kind: a `data.vpc.x` goes where a `vpc.x` does.
    pub fn kind(self) -> Option<Kind> {
        match self {
            DataKind::Vpc => Some(Kind::Vpc),
            DataKind::Subnet | DataKind::Subnets => Some(Kind::Subnet),
            DataKind::SecurityGroup => Some(Kind::SecurityGroup),
            DataKind::Certificate => Some(Kind::Certificate),
            DataKind::HostedZone => Some(Kind::HostedZone),
            DataKind::Cluster => Some(Kind::Cluster),
            DataKind::Role => Some(Kind::Role),
            DataKind::LoadBalancer => Some(Kind::LoadBalancer),
            DataKind::TargetGroup => Some(Kind::TargetGroup),
            DataKind::Listener => Some(Kind::Listener),
            DataKind::KmsKey => Some(Kind::KmsKey),
            DataKind::ManagedPolicy => Some(Kind::ManagedPolicy),
            DataKind::EcrRepository => Some(Kind::EcrRepository),
            DataKind::Secret => Some(Kind::Secret),
            DataKind::TaskDefinition => Some(Kind::TaskDefinition),
            DataKind::DnsNamespace => Some(Kind::DnsNamespace),
            DataKind::SnsTopic => Some(Kind::SnsTopic),
            DataKind::PrefixList
            | DataKind::SsmParameter
            | DataKind::CallerIdentity
            | DataKind::Region
            | DataKind::Partition
            | DataKind::ElbServiceAccount => None,
        }
    }

    /// Whether it describes where berth runs (the account, the region)
    /// rather than resources in it: it takes no filter and always matches
    /// exactly one.
    pub fn is_context(self) -> bool {
        matches!(
            self,
            DataKind::CallerIdentity | DataKind::Region | DataKind::Partition | DataKind::ElbServiceAccount
        )
    }

    /// The filters it takes.
    pub fn filters(self) -> &'static [Filter] {
        match self {
            DataKind::Vpc => &[ID, TAGS, DEFAULT, STACK, ADDRESS],
            DataKind::Subnet | DataKind::Subnets => {
                &[ID, TAGS, VPC, ZONE, DEFAULT_SUBNET, PUBLIC, STACK, ADDRESS]
            }
            DataKind::SecurityGroup => &[ID, TAGS, VPC, NAME, STACK, ADDRESS],
            DataKind::Certificate => &[Filter {
                name: "domain",
                ty: Type::String,
                doc: "the certificate's domain name",
            }],
            DataKind::HostedZone => &[
                ID,
                Filter {
                    name: "name",
                    ty: Type::String,
                    doc: "the zone's domain name (`example.com`, with or without the final dot)",
                },
                Filter {
                    name: "private",
                    ty: Type::Bool,
                    doc: "only private (`true`) or only public (`false`) zones",
                },
            ],
            DataKind::PrefixList => &[
                ID,
                Filter {
                    name: "name",
                    ty: Type::String,
                    doc: "the list's name (`com.amazonaws.us-east-1.s3`; Terraform's `aws_prefix_list` `name`)",
                },
                TAGS,
            ],
            DataKind::SsmParameter => &[Filter {
                name: "name",
                ty: Type::String,
                doc: "the parameter's name (`/network/vpc_id`), as GetParameter takes it",
            }],
            // Another berth stack's, by its tags (CloudFormation's
            // `Fn::ImportValue` of a platform stack's cluster or load
            // balancer, whose name berth drew).
            DataKind::Cluster => &[NAME, STACK, ADDRESS],
            DataKind::LoadBalancer | DataKind::TargetGroup => &[ARN, NAME, STACK, ADDRESS],
            DataKind::Role => &[NAME],
            DataKind::Listener => &[ARN, LOAD_BALANCER, PORT],
            DataKind::KmsKey => &[Filter {
                name: "id",
                ty: Type::String,
                doc: "the key's id, its ARN, or an alias name (`alias/...`; Terraform's `key_id`)",
            }],
            DataKind::ManagedPolicy => &[ARN, NAME],
            DataKind::Secret => &[
                ARN,
                NAME,
                Filter {
                    name: "id",
                    ty: Type::String,
                    doc: "its ARN or its name, as Secrets Manager's `SecretId` takes either (Terraform's \
                          `secret_id`)",
                },
            ],
            DataKind::EcrRepository => &[NAME],
            DataKind::TaskDefinition => &[Filter {
                name: "family",
                ty: Type::String,
                doc: "the family (its latest ACTIVE revision), `family:revision`, or the ARN \
                      (Terraform's `task_definition`)",
            }],
            DataKind::DnsNamespace => &[
                NAME,
                Filter {
                    name: "type",
                    ty: Type::String,
                    doc: "`DNS_PRIVATE`, `DNS_PUBLIC` or `HTTP` (any, left out)",
                },
            ],
            DataKind::SnsTopic => &[NAME],
            DataKind::CallerIdentity
            | DataKind::Region
            | DataKind::Partition
            | DataKind::ElbServiceAccount => &[],
        }
    }

    /// The filter named `name`.
    pub fn filter(self, name: &str) -> Option<&'static Filter> {
        self.filters().iter().find(|f| f.name == name)
    }

    /// The attributes it exposes; the first is its identity, what
    /// `data.KIND.NAME` alone means.
    pub fn attrs(self) -> &'static [DataAttr] {
        match self {
            DataKind::Vpc => &[
                DataAttr {
                    name: "id",
                    ty: Type::Ref(Kind::Vpc),
                    doc: "the VPC's id",
                },
                DataAttr {
                    name: "cidr",
                    ty: Type::Cidr,
                    doc: "its primary IPv4 CIDR block",
                },
                DataAttr {
                    name: "tags",
                    ty: STRINGS,
                    doc: "its tags",
                },
            ],
            DataKind::Subnet => &[
                DataAttr {
                    name: "id",
                    ty: Type::Ref(Kind::Subnet),
                    doc: "the subnet's id",
                },
                DataAttr {
                    name: "cidr",
                    ty: Type::Cidr,
                    doc: "its IPv4 CIDR block",
                },
                DataAttr {
                    name: "zone",
                    ty: Type::String,
                    doc: "its availability zone",
                },
                DataAttr {
                    name: "vpc",
                    ty: Type::Ref(Kind::Vpc),
                    doc: "its VPC's id",
                },
            ],
            DataKind::Subnets => &[DataAttr {
                name: "ids",
                ty: SUBNET_IDS,
                doc: "the ids of every match, sorted",
            }],
            DataKind::SecurityGroup => &[
                DataAttr {
                    name: "id",
                    ty: Type::Ref(Kind::SecurityGroup),
                    doc: "the group's id",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "vpc",
                    ty: Type::Ref(Kind::Vpc),
                    doc: "its VPC's id",
                },
            ],
            DataKind::Certificate => &[DataAttr {
                name: "arn",
                ty: Type::Ref(Kind::Certificate),
                doc: "the certificate's ARN",
            }],
            DataKind::HostedZone => &[
                DataAttr {
                    name: "id",
                    ty: Type::Ref(Kind::HostedZone),
                    doc: "the zone's id (`Z...`, without `/hostedzone/`)",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its domain name, without the final dot (`example.com`, as Terraform's provider gives it)",
                },
            ],
            DataKind::PrefixList => &[
                DataAttr {
                    name: "id",
                    ty: Type::String,
                    doc: "the list's id (`pl-...`), what a rule's `prefix_list` takes",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "arn",
                    ty: Type::String,
                    doc: "its ARN",
                },
            ],
            DataKind::SsmParameter => &[
                DataAttr {
                    name: "arn",
                    ty: Type::String,
                    doc: "the parameter's ARN, what a container's `secrets` takes",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "value",
                    ty: Type::String,
                    doc: "its value, decrypted; sensitive for a `SecureString`",
                },
                DataAttr {
                    name: "type",
                    ty: Type::String,
                    doc: "`String`, `StringList` or `SecureString`",
                },
            ],
            DataKind::Cluster => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::Cluster),
                    doc: "the cluster's ARN, what a service's `cluster` takes",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
            ],
            DataKind::Role => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::Role),
                    doc: "the role's ARN, what a task definition's `execution_role` or `task_role` takes",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
            ],
            DataKind::LoadBalancer => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::LoadBalancer),
                    doc: "the load balancer's ARN",
                },
                DataAttr {
                    name: "arn_suffix",
                    ty: Type::String,
                    doc: "the end of its ARN (`app/NAME/ID`, `targetgroup/NAME/ID`: Terraform's `arn_suffix`), what CloudWatch's ELB metrics name it by, as alarms' dimensions and a scaling policy's `resource_label` write it",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "dns_name",
                    ty: Type::String,
                    doc: "its DNS name",
                },
                DataAttr {
                    name: "zone_id",
                    ty: Type::String,
                    doc: "its canonical hosted zone's id, for alias records",
                },
                DataAttr {
                    name: "vpc",
                    ty: Type::Ref(Kind::Vpc),
                    doc: "its VPC's id (Terraform's `vpc_id`), for a service's groups and target groups beside it",
                },
            ],
            DataKind::TargetGroup => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::TargetGroup),
                    doc: "the target group's ARN, what a service's `load_balancer` block's `target_group` takes",
                },
                DataAttr {
                    name: "arn_suffix",
                    ty: Type::String,
                    doc: "the end of its ARN (`app/NAME/ID`, `targetgroup/NAME/ID`: Terraform's `arn_suffix`), what CloudWatch's ELB metrics name it by, as alarms' dimensions and a scaling policy's `resource_label` write it",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "port",
                    ty: Type::Int,
                    doc: "the port its targets take traffic on",
                },
                DataAttr {
                    name: "vpc",
                    ty: Type::Ref(Kind::Vpc),
                    doc: "its VPC's id",
                },
            ],
            DataKind::Listener => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::Listener),
                    doc: "the listener's ARN, what a `listener_rule`'s `listener` takes",
                },
                DataAttr {
                    name: "port",
                    ty: Type::Int,
                    doc: "the port it listens on",
                },
                DataAttr {
                    name: "protocol",
                    ty: Type::String,
                    doc: "its protocol (`HTTP`, `HTTPS`, ...)",
                },
                DataAttr {
                    name: "load_balancer",
                    ty: Type::Ref(Kind::LoadBalancer),
                    doc: "its load balancer's ARN",
                },
            ],
            DataKind::CallerIdentity => &[
                DataAttr {
                    name: "account_id",
                    ty: Type::String,
                    doc: "the account's id (`123456789012`)",
                },
                DataAttr {
                    name: "id",
                    ty: Type::String,
                    doc: "the account's id too, as Terraform's `aws_caller_identity` has it",
                },
                DataAttr {
                    name: "arn",
                    ty: Type::String,
                    doc: "the ARN of the user or assumed role berth runs as",
                },
                DataAttr {
                    name: "user_id",
                    ty: Type::String,
                    doc: "the unique id of that user or role session",
                },
            ],
            DataKind::Region => &[
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "the region's name (`eu-west-1`)",
                },
                DataAttr {
                    name: "region",
                    ty: Type::String,
                    doc: "the same, as Terraform 6's `aws_region` names it",
                },
                DataAttr {
                    name: "id",
                    ty: Type::String,
                    doc: "the same again",
                },
            ],
            DataKind::KmsKey => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::KmsKey),
                    doc: "the key's ARN, what a log group's, secret's or parameter's `kms_key` takes",
                },
                DataAttr {
                    name: "id",
                    ty: Type::String,
                    doc: "its key id (Terraform's `id` and `key_id`)",
                },
                DataAttr {
                    name: "description",
                    ty: Type::String,
                    doc: "its description",
                },
                DataAttr {
                    name: "usage",
                    ty: Type::String,
                    doc: "`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, ... (Terraform's `key_usage`)",
                },
                DataAttr {
                    name: "spec",
                    ty: Type::String,
                    doc: "`SYMMETRIC_DEFAULT`, `RSA_2048`, ... (Terraform's `customer_master_key_spec`)",
                },
                DataAttr {
                    name: "manager",
                    ty: Type::String,
                    doc: "`CUSTOMER`, or `AWS` for an AWS managed key (Terraform's `key_manager`)",
                },
                DataAttr {
                    name: "state",
                    ty: Type::String,
                    doc: "`Enabled`, `Disabled`, ... (Terraform's `key_state`; a key pending deletion is no match)",
                },
            ],
            DataKind::ManagedPolicy => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::ManagedPolicy),
                    doc: "the policy's ARN, what a role's `policies` takes",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "path",
                    ty: Type::String,
                    doc: "its path (`/service-role/`)",
                },
            ],
            DataKind::EcrRepository => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::EcrRepository),
                    doc: "the repository's ARN",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "url",
                    ty: Type::String,
                    doc: "its URL, what an image names before `:TAG` (Terraform's `repository_url`)",
                },
                DataAttr {
                    name: "registry_id",
                    ty: Type::String,
                    doc: "the account id of its registry",
                },
            ],
            DataKind::Secret => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::Secret),
                    doc: "the secret's ARN, what a container's `secrets` take",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
            ],
            DataKind::TaskDefinition => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::TaskDefinition),
                    doc: "the revision's ARN, what a service's `task_definition` takes",
                },
                DataAttr {
                    name: "family",
                    ty: Type::String,
                    doc: "its family",
                },
                DataAttr {
                    name: "revision",
                    ty: Type::Int,
                    doc: "its revision number",
                },
                DataAttr {
                    name: "status",
                    ty: Type::String,
                    doc: "`ACTIVE` or `INACTIVE`",
                },
                DataAttr {
                    name: "arn_without_revision",
                    ty: Type::String,
                    doc: "its ARN without `:REVISION` (Terraform's), the family's, as IAM policies name it",
                },
            ],
            DataKind::ElbServiceAccount => &[
                DataAttr {
                    name: "arn",
                    ty: Type::String,
                    doc: "the account's root ARN, a bucket policy's `AWS` principal",
                },
                DataAttr {
                    name: "id",
                    ty: Type::String,
                    doc: "the account id",
                },
            ],
            DataKind::DnsNamespace => &[
                DataAttr {
                    name: "id",
                    ty: Type::Ref(Kind::DnsNamespace),
                    doc: "the namespace's id (`ns-...`), what a `discovery_service`'s or a service's \
                          Service Connect `namespace` takes",
                },
                DataAttr {
                    name: "arn",
                    ty: Type::String,
                    doc: "its ARN",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
                DataAttr {
                    name: "type",
                    ty: Type::String,
                    doc: "`DNS_PRIVATE`, `DNS_PUBLIC` or `HTTP`",
                },
                DataAttr {
                    name: "hosted_zone",
                    ty: Type::Ref(Kind::HostedZone),
                    doc: "the Route 53 hosted zone of a DNS namespace (none for an HTTP one)",
                },
            ],
            DataKind::SnsTopic => &[
                DataAttr {
                    name: "arn",
                    ty: Type::Ref(Kind::SnsTopic),
                    doc: "the topic's ARN, what an alarm's actions take",
                },
                DataAttr {
                    name: "name",
                    ty: Type::String,
                    doc: "its name",
                },
            ],
            DataKind::Partition => &[
                DataAttr {
                    name: "partition",
                    ty: Type::String,
                    doc: "`aws`, `aws-cn` or `aws-us-gov`, the second field of ARNs",
                },
                DataAttr {
                    name: "dns_suffix",
                    ty: Type::String,
                    doc: "the partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`)",
                },
                DataAttr {
                    name: "id",
                    ty: Type::String,
                    doc: "the partition again",
                },
            ],
        }
    }

    /// Whether attribute `attr` may hold any value, whatever its type says:
    /// an SSM parameter's value (an id, a CIDR, a list as text). It goes
    /// wherever a value of its shape does, and before a plan asks the cloud
    /// it is unknown.
    pub fn is_opaque(self, attr: &str) -> bool {
        self == DataKind::SsmParameter && attr == "value"
    }

    /// Whether attribute `attr` of the match `found` holds a secret: an
    /// SSM parameter's value when it is a `SecureString`.
    pub fn is_sensitive(self, attr: &str, found: &Attrs) -> bool {
        self == DataKind::SsmParameter
            && attr == "value"
            && found.get("type").and_then(crate::Value::as_str) == Some("SecureString")
    }

    /// The attribute named `name`.
    pub fn attr(self, name: &str) -> Option<&'static DataAttr> {
        self.attrs().iter().find(|a| a.name == name)
    }

    /// The attribute `data.KIND.NAME` alone stands for.
    pub fn identity(self) -> &'static DataAttr {
        &self.attrs()[0]
    }
}

impl fmt::Display for DataKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

impl std::str::FromStr for DataKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        DataKind::ALL.iter().copied().find(|k| k.keyword() == s).ok_or(())
    }
}

/// `found`, a match of a lookup of `kind`, with the attributes berth
/// derives from the others: a load balancer's or target group's
/// `arn_suffix`, a task definition's `arn_without_revision`, from its ARN.
pub fn with_derived(kind: DataKind, mut found: Attrs) -> Attrs {
    if kind == DataKind::TaskDefinition {
        let family = found
            .get("arn")
            .and_then(Value::as_str)
            .and_then(|arn| arn.rsplit_once(':'))
            .map_or(Value::Null, |(family, _)| Value::from(family));
        found.insert("arn_without_revision".to_owned(), family);
    }
    if matches!(kind, DataKind::LoadBalancer | DataKind::TargetGroup) {
        let suffix = found
            .get("arn")
            .and_then(Value::as_str)
            .and_then(crate::arn::elb_suffix)
            .map_or(Value::Null, Value::from);
        found.insert("arn_suffix".to_owned(), suffix);
    }
    found
}

/// A `data` block's evaluated filters: what a provider looks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Filters {
    pub id: Option<String>,
    /// The ARN it must have (load balancers, target groups, listeners).
    pub arn: Option<String>,
    /// Tags the resource must carry, each with this value.
    pub tags: BTreeMap<String, String>,
    /// The VPC id it must be in.
    pub vpc: Option<String>,
    pub name: Option<String>,
    pub domain: Option<String>,
    pub private: Option<bool>,
    /// The availability zone it must be in.
    pub zone: Option<String>,
    /// Whether it must be (or must not be) the region's default VPC, or a
    /// default subnet of its zone (one of the default VPC's).
    pub default: Option<bool>,
    /// Whether a subnet must (or must not) give public IPs on launch.
    pub public: Option<bool>,
    /// The `berth:stack` tag it must carry.
    pub stack: Option<String>,
    /// Its `berth:address` in that stack: `subnet.public` also matches
    /// every `for_each` instance `subnet.public["KEY"]`, and `*` and `?`
    /// are EC2's wildcards (`subnet.Public*`).
    pub address: Option<String>,
    /// The load balancer's ARN a listener must be of.
    pub load_balancer: Option<String>,
    /// The port a listener must listen on.
    pub port: Option<i64>,
    /// A task definition's family, `family:revision` or ARN.
    pub family: Option<String>,
    /// A Cloud Map namespace's type (`DNS_PRIVATE`, `DNS_PUBLIC`, `HTTP`).
    pub namespace_type: Option<String>,
}

impl Filters {
    /// Whether a resource tagged `berth:address = found` matches
    /// [`Filters::address`].
    pub fn address_matches(&self, found: Option<&str>) -> bool {
        match (&self.address, found) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(want), Some(found)) => {
                found == want
                    || found
                        .strip_prefix(want.as_str())
                        .is_some_and(|rest| rest.starts_with('['))
                    // `subnet.public*`, as tag values take EC2's wildcards.
                    || (want.contains(['*', '?']) && wildcard_matches(want, found))
            }
        }
    }
}

impl fmt::Display for Filters {
    /// The filters as they would be written, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let quoted = |name: &str, v: &Option<String>| v.as_ref().map(|v| format!("{name} = {v:?}"));
        parts.extend(quoted("id", &self.id));
        parts.extend(quoted("arn", &self.arn));
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("{k} = {v:?}")).collect();
            parts.push(format!("tags = {{ {} }}", tags.join(", ")));
        }
        parts.extend(quoted("vpc", &self.vpc));
        parts.extend(quoted("name", &self.name));
        parts.extend(quoted("domain", &self.domain));
        parts.extend(self.private.map(|p| format!("private = {p}")));
        parts.extend(quoted("zone", &self.zone));
        parts.extend(self.default.map(|d| format!("default = {d}")));
        parts.extend(quoted("stack", &self.stack));
        parts.extend(quoted("address", &self.address));
        parts.extend(quoted("load_balancer", &self.load_balancer));
        parts.extend(self.port.map(|p| format!("port = {p}")));
        parts.extend(quoted("family", &self.family));
        parts.extend(quoted("type", &self.namespace_type));
        f.write_str(&parts.join(", "))
    }
}

/// Whether `value` matches an EC2 filter value, where `*` stands for any
/// text and `?` for one character: lookups' tag values and names.
pub fn wildcard_matches(pattern: &str, value: &str) -> bool {
    wildmatch::WildMatch::new(pattern).matches(value)
}

/// The DNS suffix of service endpoints in ARN partition `partition`.
pub fn dns_suffix(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        _ => "amazonaws.com",
    }
}

/// The ARN partition of `region` (`cn-north-1` is in `aws-cn`), as every
/// account there has it.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// The attributes of a `data region` in `region`.
pub fn region_attrs(region: &str) -> Attrs {
    ["name", "region", "id"]
        .into_iter()
        .map(|a| (a.to_owned(), Value::from(region)))
        .collect()
}

/// The attributes of a `data partition` for `partition`.
pub fn partition_attrs(partition: &str) -> Attrs {
    Attrs::from([
        ("partition".to_owned(), Value::from(partition)),
        ("id".to_owned(), Value::from(partition)),
        ("dns_suffix".to_owned(), Value::from(dns_suffix(partition))),
    ])
}

/// The accounts Elastic Load Balancing writes access logs from, by region
/// (AWS's table for regions opened before August 2022).
const ELB_ACCOUNTS: &[(&str, &str)] = &[
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-south-1", "718504428378"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ca-central-1", "985666609251"),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
    ("eu-central-1", "054676820928"),
    ("eu-north-1", "897822967062"),
    ("eu-south-1", "635631232127"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-gov-east-1", "190560391635"),
    ("us-gov-west-1", "048591011584"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
];

/// The attributes of a `data elb_service_account` in `region`; none in a
/// region without one.
pub fn elb_service_account_attrs(region: &str) -> Option<Attrs> {
    let (_, account) = ELB_ACCOUNTS.iter().find(|(r, _)| *r == region)?;
    let arn = format!("arn:{}:iam::{account}:root", partition_of(region));
    Some(Attrs::from([
        ("arn".to_owned(), Value::from(arn)),
        ("id".to_owned(), Value::from(*account)),
    ]))
}

/// The SNS topic of the ARN `arn` when its name (the ARN's last part) is
/// the one `f` asks for: its `arn` and `name`.
pub fn topic_match(arn: &str, f: &Filters) -> Option<Attrs> {
    let name = arn.rsplit(':').next()?;
    f.name.as_deref().is_none_or(|want| want == name).then(|| {
        Attrs::from([
            ("arn".to_owned(), Value::from(arn)),
            ("name".to_owned(), Value::from(name)),
        ])
    })
}

/// The attributes of a `data caller_identity`.
pub fn caller_attrs(account: &str, arn: &str, user_id: &str) -> Attrs {
    Attrs::from([
        ("account_id".to_owned(), Value::from(account)),
        ("id".to_owned(), Value::from(account)),
        ("arn".to_owned(), Value::from(arn)),
        ("user_id".to_owned(), Value::from(user_id)),
    ])
}

/// One lookup a provider answers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Query {
    pub kind: DataKind,
    pub filters: Filters,
}

/// What a provider found for a query: each match's attributes, named as
/// [`DataKind::attrs`] says (a `subnets` query answers with what a
/// `subnet` one would, one entry per subnet).
pub type Matches = Vec<Attrs>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_without_a_key_matches_every_instance() {
        let filters = Filters {
            address: Some("subnet.private".to_owned()),
            ..Filters::default()
        };
        assert!(filters.address_matches(Some("subnet.private")));
        assert!(filters.address_matches(Some("subnet.private[\"a\"]")));
        assert!(!filters.address_matches(Some("subnet.private_b")));
        assert!(!filters.address_matches(None));
        assert!(Filters::default().address_matches(None));
        // CloudFormation's subnets of one kind, `PublicSubnet1`, `PublicSubnet2`.
        let wild = Filters {
            address: Some("subnet.PublicSubnet*".to_owned()),
            ..Filters::default()
        };
        assert!(wild.address_matches(Some("subnet.PublicSubnet1")));
        assert!(!wild.address_matches(Some("subnet.PrivateSubnet1")));
    }

    #[test]
    fn every_kind_has_an_identity_and_filters() {
        for kind in DataKind::ALL {
            assert_eq!(kind.keyword().parse::<DataKind>(), Ok(*kind));
            assert_eq!(kind.filters().is_empty(), kind.is_context(), "{kind}");
            assert!(kind.attr(kind.identity().name).is_some());
        }
    }
}
