//! The schema tables, one constant per kind.

use super::types::{Attr, Block, Case, KindSchema, Literal, Order, ReplaceOrder, Spelling, Type, Update};
use crate::Kind;

const TAGS: Attr = Attr::default(
    "tags",
    Type::Map(&Type::String),
    Literal::EmptyMap,
    "Tags",
    "Extra tags. `berth:stack` and `berth:address` are always added.",
);
const ID: Attr = Attr::computed("id", Type::String, "Id", "The id AWS assigns.");
const ARN: Attr = Attr::computed("arn", Type::String, "Arn", "The resource's ARN.");
const NAME: Attr = Attr::named(
    "name",
    "Name",
    "The name in AWS, kept exactly as written (AWS cannot rename: a change replaces). Left out, berth derives one from the stack and the address.",
);
/// Terraform's `name_prefix`, on the kinds whose modules write it.
const NAME_PREFIX: Attr = Attr::optional(
    "name_prefix",
    Type::String,
    "Name",
    "Terraform's: with `name` left out, the name is this prefix and 6 random hex digits, drawn when the resource is created (a change replaces).",
)
.replaces();

const fn block(name: &'static str, attrs: &'static [Attr], aws: &'static str, doc: &'static str) -> Block {
    Block {
        name,
        labelled: false,
        min: 0,
        max: None,
        update: Update::InPlace,
        attrs,
        blocks: &[],
        aws,
        doc,
        order: Order::Content,
        implicit: false,
        spelling: Spelling::Plain,
    }
}

const VPC: KindSchema = KindSchema {
    kind: Kind::Vpc,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EC2 CreateVpc",
    doc: "A virtual private cloud.",
    attrs: &[
        Attr::required(
            "cidr",
            Type::Cidr,
            "CidrBlock",
            "The VPC's IPv4 range, /16 to /28.",
        )
        .replaces(),
        Attr::default(
            "dns_hostnames",
            Type::Bool,
            Literal::Bool(false),
            "EnableDnsHostnames",
            "Give instances public DNS names.",
        ),
        Attr::default(
            "dns_support",
            Type::Bool,
            Literal::Bool(true),
            "EnableDnsSupport",
            "Resolve DNS through the Amazon resolver.",
        ),
        TAGS,
        ID,
        ARN,
    ],
    blocks: &[],
};

const SUBNET: KindSchema = KindSchema {
    kind: Kind::Subnet,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 CreateSubnet",
    doc: "A subnet in one availability zone of a VPC.",
    attrs: &[
        Attr::required(
            "vpc",
            Type::Ref(Kind::Vpc),
            "VpcId",
            "The VPC the subnet belongs to.",
        )
        .replaces(),
        Attr::required(
            "cidr",
            Type::Cidr,
            "CidrBlock",
            "The subnet's range; inside the VPC's and overlapping no other subnet.",
        )
        .replaces(),
        Attr::required(
            "zone",
            Type::String,
            "AvailabilityZone",
            "The availability zone, e.g. `us-east-1a`.",
        )
        .replaces(),
        Attr::default(
            "public",
            Type::Bool,
            Literal::Bool(false),
            "MapPublicIpOnLaunch",
            "Give instances launched here a public IP.",
        ),
        TAGS,
        ID,
        ARN,
    ],
    blocks: &[],
};

const INTERNET_GATEWAY: KindSchema = KindSchema {
    kind: Kind::InternetGateway,
    spelling: Spelling::Plain,
    identity: "id",
    // Replaced only to move to another VPC, which has no gateway yet; the
    // old one stays until its VPC's public addresses are gone (AWS refuses
    // the detach before).
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EC2 CreateInternetGateway + AttachInternetGateway",
    doc: "An internet gateway, attached to one VPC.",
    attrs: &[
        Attr::required(
            "vpc",
            Type::Ref(Kind::Vpc),
            "AttachInternetGateway.VpcId",
            "The VPC it is attached to. Another VPC is a new gateway, made before the old one is detached and deleted: AWS detaches a gateway only once its VPC's load balancers and public IPs are gone.",
        )
        .replaces(),
        TAGS,
        ID,
        ARN,
    ],
    blocks: &[],
};

/// A route block's target attributes: a route sets exactly one.
pub const ROUTE_TARGETS: [&str; 4] = ["gateway", "nat_gateway", "transit_gateway", "peering_connection"];

/// A security group rule's source (ingress) or destination (egress)
/// attributes: a rule sets exactly one.
pub const RULE_SOURCES: [&str; 3] = ["cidr", "from", "prefix_list"];

/// A route of a route table (or of a VPC's main route table).
const ROUTE: Block = block(
    "route",
    &[
        Attr::required("cidr", Type::Cidr, "DestinationCidrBlock", "Destination range."),
        Attr::optional(
            "gateway",
            Type::Ref(Kind::InternetGateway),
            "GatewayId",
            "The internet gateway traffic goes to, or the id of a virtual private gateway (`vgw-...`, a VPN's) made elsewhere.",
        ),
        Attr::optional(
            "nat_gateway",
            Type::Ref(Kind::NatGateway),
            "NatGatewayId",
            "The NAT gateway traffic goes to: a private subnet's way out.",
        ),
        Attr::optional(
            "transit_gateway",
            Type::String,
            "TransitGatewayId",
            "The id of a transit gateway (`tgw-...`) made elsewhere (Terraform's `transit_gateway_id`).",
        ),
        Attr::optional(
            "peering_connection",
            Type::String,
            "VpcPeeringConnectionId",
            "The id of a VPC peering connection (`pcx-...`) made elsewhere (Terraform's `vpc_peering_connection_id`).",
        ),
    ],
    "EC2 CreateRoute",
    "A route to one target: exactly one of `gateway`, `nat_gateway`, `transit_gateway` and `peering_connection`.",
);

const ROUTE_TABLE: KindSchema = KindSchema {
    kind: Kind::RouteTable,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EC2 CreateRouteTable",
    doc: "A route table, its routes and the subnets associated with it.",
    attrs: &[
        Attr::required("vpc", Type::Ref(Kind::Vpc), "VpcId", "The VPC it belongs to.").replaces(),
        Attr::default(
            "subnets",
            Type::Set(&Type::Ref(Kind::Subnet)),
            Literal::EmptyList,
            "AssociateRouteTable.SubnetId",
            "Subnets associated with this table.",
        ),
        TAGS,
        ID,
    ],
    blocks: &[ROUTE],
};

/// Terraform's `aws_default_route_table`: the main route table AWS makes
/// with each VPC, taken over rather than created.
const DEFAULT_ROUTE_TABLE: KindSchema = KindSchema {
    kind: Kind::DefaultRouteTable,
    spelling: Spelling::Plain,
    identity: "id",
    // Another VPC is another table: this one is let go first.
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 DescribeRouteTables (association.main) + CreateTags",
    doc: "The main route table AWS makes with a VPC, which every subnet without a table of its own uses, \
          taken over rather than created (Terraform's `aws_default_route_table`): berth tags it and \
          makes its routes exactly the `route` blocks (none: only the VPC's `local` route). Destroyed, \
          berth lets it go: its berth tags are removed and its routes left as they are (as Terraform \
          leaves them); the table goes with its VPC. Settings that take a route table may name it (a \
          gateway endpoint's `route_tables`).",
    attrs: &[
        Attr::required(
            "vpc",
            Type::Ref(Kind::Vpc),
            "VpcId",
            "The VPC whose main route table this is (Terraform's `default_route_table_id = aws_vpc.NAME.default_route_table_id`). One per VPC.",
        )
        .replaces(),
        TAGS,
        ID,
    ],
    blocks: &[ROUTE],
};

/// A network ACL entry's settings (Terraform's `ingress` / `egress`
/// blocks of `aws_network_acl` and `aws_default_network_acl`).
const NETWORK_ACL_ENTRY_ATTRS: &[Attr] = &[
    Attr::required(
        "rule_no",
        Type::Int,
        "RuleNumber",
        "The entry's number: entries are evaluated from the lowest, the first that matches decides (1 to 32766; Terraform's `rule_no`).",
    )
    .range(1, 32_766),
    Attr::required(
        "action",
        Type::String,
        "RuleAction",
        "`allow` or `deny` (Terraform's `action`).",
    )
    .folded(Case::Lower),
    Attr::required(
        "protocol",
        Type::String,
        "Protocol",
        "`tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` (all traffic; Terraform's `all` too).",
    )
    .folded(Case::Lower),
    Attr::required(
        "cidr",
        Type::AnyCidr,
        "CidrBlock / Ipv6CidrBlock",
        "The range the entry matches, IPv4 or IPv6 (Terraform's `cidr_block` or `ipv6_cidr_block`).",
    ),
    Attr::optional(
        "from_port",
        Type::Int,
        "PortRange.From",
        "First port, TCP and UDP only.",
    )
    .range(0, 65_535),
    Attr::optional("to_port", Type::Int, "PortRange.To", "Last port, TCP and UDP only.").range(0, 65_535),
    Attr::optional(
        "icmp_type",
        Type::Int,
        "IcmpTypeCode.Type",
        "The ICMP type, ICMP only (-1 for all).",
    )
    .range(-1, 255),
    Attr::optional(
        "icmp_code",
        Type::Int,
        "IcmpTypeCode.Code",
        "The ICMP code, ICMP only (-1 for all).",
    )
    .range(-1, 255),
];

/// Terraform's `aws_default_network_acl`: the network ACL AWS makes with
/// each VPC, taken over rather than created.
const DEFAULT_NETWORK_ACL: KindSchema = KindSchema {
    kind: Kind::DefaultNetworkAcl,
    spelling: Spelling::Plain,
    identity: "id",
    // Another VPC is another ACL: this one is let go first.
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 DescribeNetworkAcls (default) + CreateTags",
    doc: "The network ACL AWS makes with a VPC, which every subnet without an ACL of its own uses, taken \
          over rather than created (Terraform's `aws_default_network_acl`): berth tags it and makes its \
          entries exactly the `ingress` and `egress` blocks (none: all traffic denied by the ACL's last \
          entry, which cannot be changed). AWS's own entries allow all traffic in and out (rule 100); \
          terraform-aws-modules/vpc restates them. Destroyed, berth lets it go: its berth tags are \
          removed and its entries left as they are; the ACL goes with its VPC.",
    attrs: &[
        Attr::required(
            "vpc",
            Type::Ref(Kind::Vpc),
            "VpcId",
            "The VPC whose default network ACL this is (Terraform's `default_network_acl_id = aws_vpc.NAME.default_network_acl_id`). One per VPC.",
        )
        .replaces(),
        TAGS,
        ID,
        ARN,
    ],
    blocks: &NETWORK_ACL_ENTRIES,
};

/// A network ACL's `ingress` and `egress` entries.
const NETWORK_ACL_ENTRIES: [Block; 2] = [
    Block {
        spelling: Spelling::NetworkAclEntry,
        order: Order::By("rule_no"),
        ..block(
            "ingress",
            NETWORK_ACL_ENTRY_ATTRS,
            "CreateNetworkAclEntry (Egress false)",
            "An inbound entry: `rule_no`, `action`, `protocol`, `cidr`, and ports for TCP and UDP.",
        )
    },
    Block {
        spelling: Spelling::NetworkAclEntry,
        order: Order::By("rule_no"),
        ..block(
            "egress",
            NETWORK_ACL_ENTRY_ATTRS,
            "CreateNetworkAclEntry (Egress true)",
            "An outbound entry, as an inbound one.",
        )
    },
];

/// Terraform's `aws_network_acl` (with `aws_network_acl_rule` and
/// `aws_network_acl_association` folded in), CloudFormation's
/// `AWS::EC2::NetworkAcl`.
const NETWORK_ACL: KindSchema = KindSchema {
    kind: Kind::NetworkAcl,
    spelling: Spelling::Plain,
    identity: "id",
    // Its subnets move to the new ACL when it is made, then this one goes.
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EC2 CreateNetworkAcl",
    doc: "A network ACL of its own, its entries and the subnets that use it (Terraform's \
          `aws_network_acl`, CloudFormation's `AWS::EC2::NetworkAcl`): stateless rules evaluated by \
          number before traffic reaches a subnet's security groups. Its entries are exactly the \
          `ingress` and `egress` blocks (none: all traffic denied by the last entry, which cannot be \
          changed). Its `subnets` are moved to it from the ACL they use (ReplaceNetworkAclAssociation); \
          a subnet taken out of the list, or every subnet when the ACL is destroyed, goes back to its \
          VPC's default network ACL, as Terraform does.",
    attrs: &[
        Attr::required("vpc", Type::Ref(Kind::Vpc), "VpcId", "The VPC it belongs to.").replaces(),
        Attr::default(
            "subnets",
            Type::Set(&Type::Ref(Kind::Subnet)),
            Literal::EmptyList,
            "ReplaceNetworkAclAssociation.SubnetId",
            "Subnets that use this ACL (Terraform's `subnet_ids`, or `network_acl_association` blocks); a subnet uses one ACL.",
        ),
        TAGS,
        ID,
        ARN,
    ],
    blocks: &NETWORK_ACL_ENTRIES,
};

const RULE_ATTRS: &[Attr] = &[
    Attr::optional(
        "port",
        Type::Int,
        "FromPort + ToPort",
        "A single port (sets from_port and to_port).",
    )
    .range(-1, 65_535),
    Attr::optional("from_port", Type::Int, "FromPort", "First port of a range.").range(-1, 65_535),
    Attr::optional("to_port", Type::Int, "ToPort", "Last port of a range.").range(-1, 65_535),
    Attr::default(
        "protocol",
        Type::String,
        Literal::Str("tcp"),
        "IpProtocol",
        "`tcp`, `udp`, `icmp`, a protocol number, or `-1` (all traffic; Terraform's `all` too).",
    )
    .folded(Case::Lower),
    Attr::optional(
        "cidr",
        Type::AnyCidr,
        "IpRanges.CidrIp / Ipv6Ranges.CidrIpv6",
        "Source (ingress) or destination (egress) range, IPv4 or IPv6 (`::/0`): Terraform's `cidr_blocks` and `ipv6_cidr_blocks`, one range per rule.",
    ),
    Attr::optional(
        "from",
        Type::Ref(Kind::SecurityGroup),
        "UserIdGroupPairs.GroupId",
        "Source or destination security group (an egress rule may write it `to`, as CloudFormation's `DestinationSecurityGroupId`).",
    ),
    Attr::optional(
        "prefix_list",
        Type::String,
        "PrefixListIds.PrefixListId",
        "Source or destination managed prefix list, by id (`pl-...`) or looked up by name (`data.prefix_list.NAME`): CloudFront's origin-facing addresses, S3's, or a team's own (Terraform's `prefix_list_ids`, one per rule).",
    ),
    Attr::optional("description", Type::String, "Description", "Rule description."),
];

/// Terraform's `aws_security_group_rule`: a rule of its own, on a group
/// this stack or another owns.
const SECURITY_GROUP_RULE: KindSchema = KindSchema {
    kind: Kind::SecurityGroupRule,
    spelling: Spelling::SecurityGroupRule,
    identity: "id",
    // The same permission cannot be authorized twice.
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress",
    doc: "A security group rule of its own (Terraform's `aws_security_group_rule` and \
          `aws_vpc_security_group_ingress_rule` / `egress_rule`, CloudFormation's \
          `AWS::EC2::SecurityGroupIngress` / `Egress`), for a group another stack or tool owns: a \
          service's stack lets its tasks reach a shared database's group. The settings of a group's \
          `ingress` / `egress` block, plus `security_group`, `type` and `tags`. A group's plans leave \
          such rules alone (they carry their own address); any change replaces the rule.",
    attrs: &[
        Attr::required(
            "security_group",
            Type::Ref(Kind::SecurityGroup),
            "GroupId",
            "The group the rule belongs to: `security_group.NAME`, a `data.security_group` or another stack's group id.",
        )
        .replaces(),
        Attr::required(
            "type",
            Type::String,
            "IsEgress",
            "`ingress` (traffic in, from the source) or `egress` (traffic out, to the destination), as Terraform's `type`.",
        )
        .folded(Case::Lower)
        .replaces(),
        RULE_ATTRS[0].replaces(),
        RULE_ATTRS[1].replaces(),
        RULE_ATTRS[2].replaces(),
        RULE_ATTRS[3].replaces(),
        RULE_ATTRS[4].replaces(),
        RULE_ATTRS[5].replaces(),
        RULE_ATTRS[6].replaces(),
        RULE_ATTRS[7].replaces(),
        TAGS,
        Attr::computed("id", Type::String, "SecurityGroupRuleId", "The rule's id (`sgr-...`)."),
    ],
    blocks: &[],
};

const SECURITY_GROUP: KindSchema = KindSchema {
    kind: Kind::SecurityGroup,
    spelling: Spelling::SecurityGroup,
    identity: "id",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EC2 CreateSecurityGroup",
    doc: "A security group and its rules. Without `egress` blocks, AWS's default allow-all egress rule is kept (CloudFormation's way) unless `default_egress = false` (Terraform's way).",
    attrs: &[
        Attr::required(
            "vpc",
            Type::Ref(Kind::Vpc),
            "VpcId",
            "The VPC it belongs to. Where Terraform's `vpc_id` is left out (the region's default VPC), write `vpc = data.vpc.default` with `data vpc default { default = true }`.",
        )
        .replaces(),
        Attr::default(
            "description",
            Type::String,
            Literal::Str("Managed by berth"),
            "Description",
            "Group description (AWS cannot change it).",
        )
        .replaces(),
        Attr::optional(
            "default_egress",
            Type::Bool,
            "RevokeSecurityGroupEgress",
            "Without `egress` blocks: `true` (or left out) keeps AWS's default rule letting all traffic out (as CloudFormation does), `false` revokes it so the group lets nothing out (as Terraform's `aws_security_group` without `egress` does). Left out, a group that an egress `security_group_rule` of its own lets all traffic out to `0.0.0.0/0` is `false`: that rule is its one (as Terraform's modules add it back). With `egress` blocks only they let traffic out, whatever this says.",
        )
        .unset_when(Literal::Bool(true)),
        TAGS,
        ID,
        ARN,
        NAME,
        NAME_PREFIX,
    ],
    blocks: &[
        Block {
            spelling: Spelling::SecurityGroupRule,
            ..block(
                "ingress",
                RULE_ATTRS,
                "AuthorizeSecurityGroupIngress",
                "An inbound rule: `port` or `from_port`/`to_port`, and `cidr` or `from`.",
            )
        },
        Block {
            spelling: Spelling::SecurityGroupRule,
            ..block(
                "egress",
                RULE_ATTRS,
                "AuthorizeSecurityGroupEgress",
                "An outbound rule: `port` or `from_port`/`to_port`, and `cidr` or `from`.",
            )
        },
    ],
};

/// Terraform's `aws_default_security_group`: the group AWS makes with
/// each VPC, which cannot be created or deleted, taken over instead.
const DEFAULT_SECURITY_GROUP: KindSchema = KindSchema {
    kind: Kind::DefaultSecurityGroup,
    spelling: Spelling::Plain,
    identity: "id",
    // Another VPC is another group: this one is let go first.
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 DescribeSecurityGroups (group-name default) + CreateTags",
    doc: "The security group AWS makes with a VPC (its `default` group), taken over rather than created \
          (Terraform's `aws_default_security_group`): berth tags it and makes its rules exactly the \
          `ingress` and `egress` blocks, so a block without rules strips AWS's default rules (all traffic \
          from the group itself in, everything out), the CIS benchmark's control. Destroyed, berth lets it \
          go: its berth tags are removed and its rules left as they are (as Terraform leaves them); the \
          group goes with its VPC. Other settings may name it where they take a security group.",
    attrs: &[
        Attr::required(
            "vpc",
            Type::Ref(Kind::Vpc),
            "VpcId",
            "The VPC whose default group this is (Terraform's `vpc_id`). One per VPC.",
        )
        .replaces(),
        TAGS,
        ID,
        ARN,
    ],
    blocks: &[
        Block {
            spelling: Spelling::SecurityGroupRule,
            ..block(
                "ingress",
                RULE_ATTRS,
                "AuthorizeSecurityGroupIngress",
                "An inbound rule, as a security group's; `from` may name this group (Terraform's `self = true`).",
            )
        },
        Block {
            spelling: Spelling::SecurityGroupRule,
            ..block(
                "egress",
                RULE_ATTRS,
                "AuthorizeSecurityGroupEgress",
                "An outbound rule, as a security group's. Without any, the group lets nothing out.",
            )
        },
    ],
};

const LOAD_BALANCER: KindSchema = KindSchema {
    kind: Kind::LoadBalancer,
    spelling: Spelling::LoadBalancer,
    identity: "arn",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "ELBv2 CreateLoadBalancer",
    doc: "An Application Load Balancer, or with `type = \"network\"` a Network Load Balancer.",
    attrs: &[
        Attr::optional(
            "type",
            Type::String,
            "Type",
            "`application` (left out) or `network` (Terraform's `load_balancer_type`). A Network Load Balancer has TCP, UDP, TCP_UDP and TLS listeners and target groups, no rules, and none of the HTTP settings below (`idle_timeout` to `connection_logs_prefix`).",
        )
        .folded(Case::Lower)
        .unset_when(Literal::Str("application"))
        .replaces(),
        Attr::required(
            "subnets",
            Type::Set(&Type::Ref(Kind::Subnet)),
            "Subnets",
            "Subnets: an Application Load Balancer's in at least two availability zones, a Network Load Balancer's in one or more.",
        ),
        Attr::chosen_by_aws(
            "security_groups",
            Type::Set(&Type::Ref(Kind::SecurityGroup)),
            "SecurityGroups",
            "Security groups of the load balancer; left out, AWS gives an Application Load Balancer the VPC's default group and a Network Load Balancer none (AWS cannot add groups to a Network Load Balancer made without any).",
        ),
        Attr::default(
            "internal",
            Type::Bool,
            Literal::Bool(false),
            "Scheme",
            "Internal (`true`) or internet-facing.",
        )
        .replaces(),
        Attr::default(
            "idle_timeout",
            Type::Int,
            Literal::Int(60),
            "idle_timeout.timeout_seconds",
            "Idle connection timeout in seconds, 1 to 4000.",
        )
        .range(1, 4000),
        Attr::optional(
            "deletion_protection",
            Type::Bool,
            "deletion_protection.enabled",
            "`true`: AWS refuses to delete the load balancer (Terraform's `enable_deletion_protection`), so `berth destroy` and a replacement fail on it until an apply sets it back to `false`.",
        )
        .unset_when(Literal::Bool(false)),
        Attr::optional(
            "drop_invalid_header_fields",
            Type::Bool,
            "routing.http.drop_invalid_header_fields.enabled",
            "`true`: drop HTTP headers whose names are not valid instead of routing them.",
        )
        .unset_when(Literal::Bool(false)),
        Attr::optional(
            "http2",
            Type::Bool,
            "routing.http2.enabled",
            "`false` turns HTTP/2 off (Terraform's `enable_http2`); left out, on.",
        )
        .unset_when(Literal::Bool(true)),
        Attr::optional(
            "desync_mitigation_mode",
            Type::String,
            "routing.http.desync_mitigation_mode",
            "How requests that may be HTTP desync attacks are handled: `monitor`, `defensive` (left out) or `strictest`.",
        )
        .folded(Case::Lower)
        .unset_when(Literal::Str("defensive")),
        Attr::optional(
            "preserve_host_header",
            Type::Bool,
            "routing.http.preserve_host_header.enabled",
            "`true`: send targets the client's `Host` header with its port unchanged.",
        )
        .unset_when(Literal::Bool(false)),
        Attr::optional(
            "xff_header_processing",
            Type::String,
            "routing.http.xff_header_processing.mode",
            "What the load balancer does with `X-Forwarded-For`: `append` (left out), `preserve` or `remove` (Terraform's `xff_header_processing_mode`).",
        )
        .folded(Case::Lower)
        .unset_when(Literal::Str("append")),
        Attr::optional(
            "client_keep_alive",
            Type::Int,
            "client_keep_alive.seconds",
            "Seconds a client connection is kept, 60 to 604800; left out, 3600.",
        )
        .unset_when(Literal::Int(3600))
        .range(60, 604_800),
        Attr::optional(
            "waf_fail_open",
            Type::Bool,
            "waf.fail_open.enabled",
            "`true`: route requests when the load balancer cannot reach AWS WAF (Terraform's `enable_waf_fail_open`).",
        )
        .unset_when(Literal::Bool(false)),
        Attr::optional(
            "access_logs",
            Type::Bool,
            "access_logs.s3.enabled",
            "`true`: write access logs to `access_logs_bucket` (Terraform's `access_logs { enabled }`; the bucket's policy must let Elastic Load Balancing write). Off when left out, even with a bucket, as in Terraform.",
        )
        .unset_when(Literal::Bool(false)),
        Attr::optional(
            "access_logs_bucket",
            Type::String,
            "access_logs.s3.bucket",
            "The S3 bucket access logs go to (Terraform's `access_logs { bucket }`).",
        )
        .unset_when(Literal::Str("")),
        Attr::optional(
            "access_logs_prefix",
            Type::String,
            "access_logs.s3.prefix",
            "The key prefix of the access logs in the bucket (Terraform's `access_logs { prefix }`); none when left out.",
        )
        .unset_when(Literal::Str("")),
        Attr::optional(
            "connection_logs",
            Type::Bool,
            "connection_logs.s3.enabled",
            "`true`: write connection logs (client TLS handshakes, mTLS) to `connection_logs_bucket` (Terraform's `connection_logs { enabled }`). Off when left out.",
        )
        .unset_when(Literal::Bool(false)),
        Attr::optional(
            "connection_logs_bucket",
            Type::String,
            "connection_logs.s3.bucket",
            "The S3 bucket connection logs go to (Terraform's `connection_logs { bucket }`).",
        )
        .unset_when(Literal::Str("")),
        Attr::optional(
            "connection_logs_prefix",
            Type::String,
            "connection_logs.s3.prefix",
            "The key prefix of the connection logs in the bucket (Terraform's `connection_logs { prefix }`).",
        )
        .unset_when(Literal::Str("")),
        Attr::optional(
            "cross_zone",
            Type::Bool,
            "load_balancing.cross_zone.enabled",
            "A Network Load Balancer's: `true` spreads traffic over the targets of every zone (Terraform's `enable_cross_zone_load_balancing`); left out, each zone's nodes send to their own zone's targets. An Application Load Balancer always spreads.",
        )
        .unset_when(Literal::Bool(false)),
        TAGS,
        ARN,
        NAME,
        NAME_PREFIX,
        Attr::computed(
            "dns_name",
            Type::String,
            "DNSName",
            "The DNS name clients connect to.",
        ),
        Attr::computed(
            "zone_id",
            Type::String,
            "CanonicalHostedZoneId",
            "Hosted zone id for alias records.",
        ),
    ],
    blocks: &[],
};

const TARGET_GROUP: KindSchema = KindSchema {
    kind: Kind::TargetGroup,
    spelling: Spelling::TargetGroup,
    identity: "arn",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "ELBv2 CreateTargetGroup",
    doc: "A target group. Fargate services need `target_type = \"ip\"`.",
    attrs: &[
        Attr::required("vpc", Type::Ref(Kind::Vpc), "VpcId", "The VPC of the targets.").replaces(),
        Attr::required("port", Type::Int, "Port", "Port the targets receive traffic on.")
            .replaces()
            .range(1, 65_535),
        Attr::default(
            "protocol",
            Type::String,
            Literal::Str("HTTP"),
            "Protocol",
            "`HTTP` or `HTTPS`; for a Network Load Balancer, `TCP`, `UDP`, `TCP_UDP` or `TLS`.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "target_type",
            Type::String,
            Literal::Str("instance"),
            "TargetType",
            "`instance`, `ip` or `lambda`.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::optional(
            "protocol_version",
            Type::String,
            "ProtocolVersion",
            "How the load balancer speaks to the targets: `HTTP1` (left out), `HTTP2` or `GRPC` (Terraform's `protocol_version`). A `GRPC` group's health check matches gRPC status codes: its `matcher` must be written. AWS cannot change it.",
        )
        .folded(Case::Upper)
        .unset_when(Literal::Str("HTTP1"))
        .replaces(),
        Attr::default(
            "deregistration_delay",
            Type::Int,
            Literal::Int(300),
            "deregistration_delay.timeout_seconds",
            "Seconds to drain a target, 0 to 3600.",
        )
        .range(0, 3600),
        Attr::optional(
            "slow_start",
            Type::Int,
            "slow_start.duration_seconds",
            "Seconds a new target takes to ramp up to its full share of requests, 30 to 900; left out (or 0), none.",
        )
        .unset_when(Literal::Int(0))
        .range(0, 900),
        Attr::optional(
            "algorithm",
            Type::String,
            "load_balancing.algorithm.type",
            "`least_outstanding_requests` or `weighted_random` (Terraform's `load_balancing_algorithm_type`); left out, `round_robin`.",
        )
        .folded(Case::Lower)
        .unset_when(Literal::Str("round_robin")),
        Attr::optional(
            "stickiness",
            Type::Int,
            "stickiness.lb_cookie.duration_seconds",
            "Seconds a load balancer cookie keeps a client on one target, 1 to 604800 (Terraform's `stickiness { type = \"lb_cookie\" cookie_duration = N }`); left out, no stickiness.",
        )
        .range(1, 604_800),
        Attr::optional(
            "cross_zone",
            Type::Bool,
            "load_balancing.cross_zone.enabled",
            "`false` keeps each zone's traffic on that zone's targets, `true` spreads it over every zone (Terraform's `load_balancing_cross_zone_enabled`); left out, the load balancer's setting (on for an Application Load Balancer).",
        ),
        Attr::optional(
            "proxy_protocol_v2",
            Type::Bool,
            "proxy_protocol_v2.enabled",
            "A TCP, UDP, TCP_UDP or TLS group's: `true` prefixes each connection with a proxy protocol v2 header carrying the client's address.",
        )
        .unset_when(Literal::Bool(false)),
        Attr::chosen_by_aws(
            "preserve_client_ip",
            Type::Bool,
            "preserve_client_ip.enabled",
            "A TCP, UDP, TCP_UDP or TLS group's: whether targets see clients' addresses rather than the load balancer's (Terraform's `preserve_client_ip`); AWS's choice when left out: on for instances and UDP or TCP_UDP groups, off for IP targets of TCP and TLS groups.",
        ),
        Attr::optional(
            "connection_termination",
            Type::Bool,
            "deregistration_delay.connection_termination.enabled",
            "A TCP, UDP, TCP_UDP or TLS group's: `true` closes a deregistered target's connections when its deregistration delay ends (Terraform's `connection_termination`).",
        )
        .unset_when(Literal::Bool(false)),
        TAGS,
        ARN,
        NAME,
        NAME_PREFIX,
    ],
    blocks: &[Block {
        max: Some(1),
        implicit: true,
        ..block(
            "health_check",
            &[
                Attr::default(
                    "path",
                    Type::String,
                    Literal::Str("/"),
                    "HealthCheckPath",
                    "Path requested (HTTP and HTTPS checks).",
                ),
                Attr::default(
                    "port",
                    Type::String,
                    Literal::Str("traffic-port"),
                    "HealthCheckPort",
                    "Port, or `traffic-port`.",
                ),
                Attr::default(
                    "protocol",
                    Type::String,
                    Literal::Str("HTTP"),
                    "HealthCheckProtocol",
                    "`HTTP` or `HTTPS`; in a TCP, UDP, TCP_UDP or TLS group also `TCP`, the check such a group gets with no `health_check` block (a block there names its protocol; a TCP check has no `path` or `matcher`).",
                )
                .folded(Case::Upper),
                Attr::default(
                    "interval",
                    Type::Int,
                    Literal::Int(30),
                    "HealthCheckIntervalSeconds",
                    "Seconds between checks, 5 to 300.",
                )
                .range(5, 300),
                Attr::default(
                    "timeout",
                    Type::Int,
                    Literal::Int(5),
                    "HealthCheckTimeoutSeconds",
                    "Seconds before a check fails, 2 to 120.",
                )
                .range(2, 120),
                Attr::default(
                    "healthy_threshold",
                    Type::Int,
                    Literal::Int(5),
                    "HealthyThresholdCount",
                    "Passes before healthy, 2 to 10.",
                )
                .range(2, 10),
                Attr::default(
                    "unhealthy_threshold",
                    Type::Int,
                    Literal::Int(2),
                    "UnhealthyThresholdCount",
                    "Failures before unhealthy, 2 to 10.",
                )
                .range(2, 10),
                Attr::default(
                    "matcher",
                    Type::String,
                    Literal::Str("200"),
                    "Matcher.HttpCode / Matcher.GrpcCode",
                    "Healthy HTTP codes, 200 to 499, e.g. `200-299`; in a `GRPC` target group, healthy gRPC status codes, 0 to 99, e.g. `0` or `0-99` (Terraform's `matcher` is both; CloudFormation's `Matcher.GrpcCode`).",
                ),
            ],
            "HealthCheck*",
            "How the load balancer checks targets.",
        )
    }],
};

const LISTENER: KindSchema = KindSchema {
    kind: Kind::Listener,
    spelling: Spelling::Listener,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "ELBv2 CreateListener",
    doc: "A listener of a load balancer: a default action (forward, redirect or fixed response) and \
          rules that match requests by path, host, header, method, query or source address.",
    attrs: &[
        Attr::required(
            "load_balancer",
            Type::Ref(Kind::LoadBalancer),
            "LoadBalancerArn",
            "The load balancer.",
        )
        .replaces(),
        Attr::required("port", Type::Int, "Port", "Port to listen on, 1 to 65535.").range(1, 65_535),
        Attr::default(
            "protocol",
            Type::String,
            Literal::Str("HTTP"),
            "Protocol",
            "`HTTP` or `HTTPS`; on a Network Load Balancer, `TCP`, `UDP`, `TCP_UDP` or `TLS`.",
        )
        .folded(Case::Upper),
        Attr::optional(
            "certificate",
            Type::Ref(Kind::Certificate),
            "Certificates.CertificateArn",
            "The `certificate` (or an ACM certificate's ARN); required for HTTPS and TLS. The default certificate, for clients that name no host (SNI).",
        ),
        Attr::default(
            "certificates",
            Type::Set(&Type::Ref(Kind::Certificate)),
            Literal::EmptyList,
            "AddListenerCertificates.Certificates",
            "More certificates of an HTTPS or TLS listener, chosen by the host name a client asks for (SNI); up to 25 with `certificate`.",
        ),
        Attr::optional(
            "default",
            Type::Ref(Kind::TargetGroup),
            "DefaultActions.forward",
            "Target group for requests no rule matches (or a `redirect` or `fixed_response` block).",
        ),
        FORWARD_STICKINESS,
        Attr::chosen_by_aws(
            "ssl_policy",
            Type::String,
            "SslPolicy",
            "Security policy of an HTTPS or TLS listener, e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`; AWS's default when left out.",
        ),
        Attr::optional(
            "alpn_policy",
            Type::String,
            "AlpnPolicy",
            "A TLS listener's ALPN policy (Terraform's `alpn_policy`): `HTTP1Only`, `HTTP2Only`, `HTTP2Optional` or `HTTP2Preferred`; left out (or `None`), none.",
        )
        .unset_when(Literal::Str("None")),
        TAGS,
        ARN,
    ],
    blocks: &[
        REDIRECT,
        FIXED_RESPONSE,
        WEIGHTED_FORWARD,
        Block {
            labelled: true,
            spelling: Spelling::ListenerRule,
            blocks: LISTENER_RULE_BLOCKS,
            ..block(
                "rule",
                LISTENER_RULE_ATTRS,
                "ELBv2 CreateRule",
                "A rule: requests matching every condition it sets (`path`/`paths`, `host`/`hosts`, \
                 `header`, `methods`, `query`, `source_ips`; at most 5 values in all) get its action: \
                 `forward`, `redirect` or `fixed_response`. Changed in place (ModifyRule, \
                 SetRulePriorities).",
            )
        },
    ],
};

/// A listener rule's priority, conditions and forward: the `rule` block's
/// attributes, which a standalone `listener_rule` has too.
const LISTENER_RULE_ATTRS: &[Attr] = &[
    Attr::required(
        "priority",
        Type::Int,
        "Priority",
        "1 to 50000; unique in the listener.",
    )
    .range(1, 50_000),
    Attr::optional(
        "path",
        Type::String,
        "Conditions.path-pattern",
        "Path pattern, e.g. `/api/login*`; the same as `paths` with one pattern.",
    ),
    Attr::default(
        "paths",
        Type::Set(&Type::String),
        Literal::EmptyList,
        "Conditions.PathPatternConfig.Values",
        "Path patterns, any of which matches (up to 128 characters each).",
    ),
    Attr::optional(
        "host",
        Type::String,
        "Conditions.host-header",
        "Host pattern, e.g. `api.example.com`; the same as `hosts` with one pattern.",
    ),
    Attr::default(
        "hosts",
        Type::Set(&Type::String),
        Literal::EmptyList,
        "Conditions.HostHeaderConfig.Values",
        "Host patterns, any of which matches (up to 128 characters each).",
    ),
    Attr::default(
        "methods",
        Type::Set(&Type::String),
        Literal::EmptyList,
        "Conditions.HttpRequestMethodConfig.Values",
        "HTTP request methods, any of which matches, in upper case (`GET`, `POST`, ...).",
    ),
    Attr::default(
        "source_ips",
        Type::Set(&Type::AnyCidr),
        Literal::EmptyList,
        "Conditions.SourceIpConfig.Values",
        "Client address ranges (CIDR, IPv4 or IPv6), any of which matches.",
    ),
    Attr::optional(
        "forward",
        Type::Ref(Kind::TargetGroup),
        "Actions.forward",
        "Target group for matching requests; or a `redirect` or `fixed_response` block.",
    ),
    FORWARD_STICKINESS,
];

/// A listener rule's condition and action blocks.
const LISTENER_RULE_BLOCKS: &[Block] = &[
    RULE_HEADER,
    RULE_QUERY,
    REDIRECT,
    FIXED_RESPONSE,
    WEIGHTED_FORWARD,
];

/// Terraform's `aws_lb_listener_rule`: a rule of its own, on a listener
/// this stack or another owns.
const LISTENER_RULE: KindSchema = KindSchema {
    kind: Kind::ListenerRule,
    spelling: Spelling::ListenerRule,
    identity: "arn",
    // Its priority stays taken on the listener until it goes.
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "ELBv2 CreateRule",
    doc: "A listener rule of its own (Terraform's `aws_lb_listener_rule`, CloudFormation's \
          `AWS::ElasticLoadBalancingV2::ListenerRule`), for a listener another stack or tool owns: \
          a service's stack adds its path to a shared load balancer. The same settings as a \
          listener's `rule` block, plus `listener` and `tags`. A listener's plans leave such rules \
          alone (they are tagged with their own address); untagged rules another tool added are \
          still read as the listener's. Changed in place (ModifyRule, SetRulePriorities); a new \
          `listener` replaces it.",
    attrs: &[
        Attr::required(
            "listener",
            Type::Ref(Kind::Listener),
            "ListenerArn",
            "The listener: `listener.NAME`, or another stack's listener ARN.",
        )
        .replaces(),
        // Terraform's is optional: left out, the provider takes the next
        // free priority after the listener's highest when it creates the
        // rule, and keeps it.
        Attr::chosen_by_aws(
            "priority",
            Type::Int,
            "Priority",
            "1 to 50000; unique in the listener. Left out, the next free priority after the \
             listener's highest when the rule is made (Terraform's choice), then kept; rules left \
             without one on the same listener made in one apply take theirs in the order they are \
             made, so give priorities where the order of overlapping conditions matters.",
        )
        .range(1, 50_000),
        LISTENER_RULE_ATTRS[1],
        LISTENER_RULE_ATTRS[2],
        LISTENER_RULE_ATTRS[3],
        LISTENER_RULE_ATTRS[4],
        LISTENER_RULE_ATTRS[5],
        LISTENER_RULE_ATTRS[6],
        LISTENER_RULE_ATTRS[7],
        LISTENER_RULE_ATTRS[8],
        TAGS,
        ARN,
    ],
    blocks: LISTENER_RULE_BLOCKS,
};

const REDIRECT: Block = Block {
    max: Some(1),
    ..block(
        "redirect",
        &[
            Attr::default(
                "protocol",
                Type::String,
                Literal::Str("#{protocol}"),
                "RedirectConfig.Protocol",
                "`HTTP`, `HTTPS` or `#{protocol}` (kept).",
            ),
            Attr::default(
                "port",
                Type::String,
                Literal::Str("#{port}"),
                "RedirectConfig.Port",
                "Port, or `#{port}` (kept).",
            ),
            Attr::default(
                "host",
                Type::String,
                Literal::Str("#{host}"),
                "RedirectConfig.Host",
                "Host, or `#{host}` (kept).",
            ),
            Attr::default(
                "path",
                Type::String,
                Literal::Str("/#{path}"),
                "RedirectConfig.Path",
                "Path, or `/#{path}` (kept).",
            ),
            Attr::default(
                "query",
                Type::String,
                Literal::Str("#{query}"),
                "RedirectConfig.Query",
                "Query, or `#{query}` (kept).",
            ),
            Attr::default(
                "status_code",
                Type::String,
                Literal::Str("HTTP_301"),
                "RedirectConfig.StatusCode",
                "`HTTP_301` (permanent) or `HTTP_302`.",
            )
            .folded(Case::Upper),
        ],
        "Actions.redirect",
        "The action: redirect, e.g. HTTP to HTTPS with `protocol = \"HTTPS\"  port = \"443\"`.",
    )
};

/// ELB's TargetGroupStickinessConfig of a forward: one attribute rather
/// than Terraform's `stickiness { enabled duration }` block, since a
/// duration is all a stickiness that is on needs and leaving it out is off.
const FORWARD_STICKINESS: Attr = Attr::optional(
    "forward_stickiness",
    Type::Int,
    "ForwardConfig.TargetGroupStickinessConfig.DurationSeconds",
    "Seconds (1 to 604800, a week) a client keeps being sent to the target group the forward first chose for it \
     (ELB's TargetGroupStickinessConfig; Terraform's `forward { stickiness { enabled duration } }`): \
     keeps a canary's users on one version. Off when left out.",
);

/// A forward to several target groups by weight: canary and blue/green
/// releases.
const WEIGHTED_FORWARD: Block = Block {
    max: Some(5),
    ..block(
        "weighted_forward",
        &[
            Attr::required(
                "target_group",
                Type::Ref(Kind::TargetGroup),
                "ForwardConfig.TargetGroups.TargetGroupArn",
                "A target group of the forward.",
            ),
            Attr::default(
                "weight",
                Type::Int,
                Literal::Int(1),
                "ForwardConfig.TargetGroups.Weight",
                "Its share of the requests, relative to the others' weights, 0 to 999.",
            )
            .range(0, 999),
        ],
        "Actions.ForwardConfig",
        "The action: forward to up to 5 target groups, each getting its `weight`'s share (e.g. 90 and 10 for a canary); the same as `default`/`forward` with one target group.",
    )
};

const FIXED_RESPONSE: Block = Block {
    max: Some(1),
    ..block(
        "fixed_response",
        &[
            Attr::required(
                "status_code",
                Type::Int,
                "FixedResponseConfig.StatusCode",
                "HTTP status, 200 to 599.",
            )
            .range(200, 599),
            Attr::default(
                "content_type",
                Type::String,
                Literal::Str("text/plain"),
                "FixedResponseConfig.ContentType",
                "`text/plain`, `text/css`, `text/html`, `application/javascript` or `application/json`.",
            ),
            Attr::optional(
                "body",
                Type::String,
                "FixedResponseConfig.MessageBody",
                "The response body, up to 1024 characters.",
            ),
        ],
        "Actions.fixed-response",
        "The action: a fixed response.",
    )
};

const RULE_HEADER: Block = block(
    "header",
    &[
        Attr::required(
            "name",
            Type::String,
            "HttpHeaderConfig.HttpHeaderName",
            "Header name, up to 40 characters.",
        ),
        Attr::required(
            "values",
            Type::Set(&Type::String),
            "HttpHeaderConfig.Values",
            "Values, any of which matches (`*` and `?` wildcards; up to 128 characters each).",
        ),
    ],
    "Conditions.http-header",
    "A header condition; several must all match.",
);

const RULE_QUERY: Block = block(
    "query",
    &[
        Attr::optional(
            "key",
            Type::String,
            "QueryStringConfig.Values.Key",
            "Query parameter name; any parameter when left out.",
        ),
        Attr::required(
            "value",
            Type::String,
            "QueryStringConfig.Values.Value",
            "Value (`*` and `?` wildcards).",
        ),
    ],
    "Conditions.query-string",
    "A query string pair; the rule matches when any of its `query` pairs does.",
);

/// One capacity provider of a strategy: a service's, or a cluster's
/// default for services that name neither a strategy nor a launch type.
const STRATEGY_ATTRS: &[Attr] = &[
    Attr::required(
        "capacity_provider",
        Type::String,
        "capacityProvider",
        "`FARGATE` or `FARGATE_SPOT`; the cluster must list it in `capacity_providers`.",
    ),
    Attr::default(
        "weight",
        Type::Int,
        Literal::Int(0),
        "weight",
        "Share of the tasks beyond `base`, relative to the other providers' weights.",
    )
    .range(0, 1000),
    Attr::default(
        "base",
        Type::Int,
        Literal::Int(0),
        "base",
        "Tasks placed on this provider first; only one provider may have a base.",
    )
    .range(0, 100_000),
];

const CLUSTER: KindSchema = KindSchema {
    kind: Kind::Cluster,
    spelling: Spelling::Plain,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "ECS CreateCluster",
    doc: "An ECS cluster.",
    attrs: &[
        Attr::default(
            "container_insights",
            Type::Switch(&["enhanced"]),
            Literal::Bool(false),
            "settings.containerInsights",
            "Turn on CloudWatch Container Insights: `true` (`enabled`), or `\"enhanced\"` for its per-task and per-container metrics (Terraform's `setting { name = \"containerInsights\" value = \"enhanced\" }`).",
        ),
        Attr::default(
            "capacity_providers",
            Type::Set(&Type::String),
            Literal::EmptyList,
            "capacityProviders",
            "Capacity providers services may name in a `capacity_provider_strategy`: `FARGATE`, `FARGATE_SPOT`.",
        ),
        Attr::optional(
            "service_connect_namespace",
            Type::Ref(Kind::DnsNamespace),
            "serviceConnectDefaults.namespace",
            "The Cloud Map namespace Service Connect uses for the cluster's services that name none (Terraform's `service_connect_defaults { namespace }`, CloudFormation's `ServiceConnectDefaults`): a `dns_namespace`, or the id or ARN of one made elsewhere. berth's own services name theirs in `service_connect`; this one serves the console's and `aws ecs create-service`'s. Removed in place (UpdateCluster with an empty namespace).",
        ),
        TAGS,
        ARN,
        NAME,
    ],
    blocks: &[
        Block {
            max: Some(20),
            ..block(
                "default_capacity_provider_strategy",
                STRATEGY_ATTRS,
                "defaultCapacityProviderStrategy",
                "Where ECS runs tasks started with neither a launch type nor a strategy: RunTask, services other tools make (Terraform's `aws_ecs_cluster_capacity_providers` `default_capacity_provider_strategy`). berth's services always name one (`launch_type` is `FARGATE` when left out). Only providers the cluster lists in `capacity_providers`.",
            )
        },
        EXECUTE_COMMAND,
    ],
};

/// Where ECS Exec sessions of a cluster's tasks are logged and what
/// encrypts them: Terraform's `configuration { execute_command_configuration
/// { ... log_configuration { ... } } }`, flattened into one block.
const EXECUTE_COMMAND: Block = Block {
    max: Some(1),
    implicit: true,
    ..block(
        "execute_command",
        &[
            Attr::default(
                "logging",
                Type::String,
                Literal::Str("DEFAULT"),
                "logging",
                "`DEFAULT` (the task definition's awslogs settings), `NONE`, or `OVERRIDE` (the destinations below).",
            )
            .folded(Case::Upper),
            Attr::optional(
                "kms_key",
                Type::String,
                "kmsKeyId",
                "The KMS key (id or ARN) that encrypts the data between the client and the container.",
            ),
            Attr::optional(
                "log_group",
                Type::Ref(Kind::LogGroup),
                "logConfiguration.cloudWatchLogGroupName",
                "With `OVERRIDE`: the log group sessions are logged to (a `log_group` or a name).",
            ),
            Attr::default(
                "log_group_encryption",
                Type::Bool,
                Literal::Bool(false),
                "logConfiguration.cloudWatchEncryptionEnabled",
                "Require the log group to be encrypted.",
            ),
            Attr::optional(
                "s3_bucket",
                Type::String,
                "logConfiguration.s3BucketName",
                "With `OVERRIDE`: the S3 bucket sessions are logged to.",
            ),
            Attr::optional(
                "s3_key_prefix",
                Type::String,
                "logConfiguration.s3KeyPrefix",
                "The prefix of the session logs' keys in `s3_bucket`.",
            ),
            Attr::default(
                "s3_encryption",
                Type::Bool,
                Literal::Bool(false),
                "logConfiguration.s3EncryptionEnabled",
                "Require the bucket to be encrypted.",
            ),
        ],
        "configuration.executeCommandConfiguration",
        "ECS Exec's logging and encryption for the cluster (`aws ecs execute-command` into its tasks).",
    )
};

const LOG_GROUP: KindSchema = KindSchema {
    kind: Kind::LogGroup,
    spelling: Spelling::Plain,
    identity: "name",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "CloudWatch Logs CreateLogGroup",
    doc: "A CloudWatch Logs log group.",
    attrs: &[
        Attr::optional(
            "retention_days",
            Type::Int,
            "PutRetentionPolicy.retentionInDays",
            "Days to keep events (1, 3, 5, 7, 14, 30, ...); never expire when left out.",
        )
        .unset_when(Literal::Int(0))
        .range(0, 3653),
        Attr::optional(
            "kms_key",
            Type::String,
            "kmsKeyId",
            "The ARN of the KMS key that encrypts the group's events (Terraform's `kms_key_id`, CloudFormation's `KmsKeyId`; its policy must let CloudWatch Logs use it); AWS's own encryption when left out. Changed in place (AssociateKmsKey, DisassociateKmsKey).",
        ),
        Attr::optional(
            "class",
            Type::String,
            "logGroupClass",
            "`STANDARD` (left out), `INFREQUENT_ACCESS` (cheaper ingestion, fewer features) or `DELIVERY` (Terraform's `log_group_class`). AWS cannot change it.",
        )
        .folded(Case::Upper)
        .unset_when(Literal::Str("STANDARD"))
        .replaces(),
        TAGS,
        ARN,
        NAME,
        NAME_PREFIX,
    ],
    blocks: &[METRIC_FILTER],
};

/// A log group's metric filter: CloudWatch Logs turns the events that
/// match its pattern into a metric (Terraform's
/// `aws_cloudwatch_log_metric_filter`, CloudFormation's
/// `AWS::Logs::MetricFilter`). Filters take no tags: they are the group's.
const METRIC_FILTER: Block = Block {
    max: Some(100),
    blocks: &[METRIC_TRANSFORMATION],
    ..block(
        "metric_filter",
        &[
            Attr::required(
                "name",
                Type::String,
                "filterName",
                "The filter's name, once per log group: at most 512 characters, without `:` or `*`.",
            ),
            Attr::default(
                "pattern",
                Type::String,
                Literal::Str(""),
                "filterPattern",
                "The events it counts, in CloudWatch Logs' filter syntax (`\"ERROR\"`, `{ $.status = 500 }`); empty, every event. At most 1024 characters.",
            ),
        ],
        "PutMetricFilter",
        "A metric made of the group's events (Terraform's `aws_cloudwatch_log_metric_filter`, folded into its log group): at most 100 per group, each sent by PutMetricFilter, removed by DeleteMetricFilter.",
    )
};

const METRIC_TRANSFORMATION: Block = Block {
    min: 1,
    max: Some(1),
    ..block(
        "metric_transformation",
        &[
            Attr::required(
                "name",
                Type::String,
                "metricName",
                "The metric's name (at most 255 characters).",
            ),
            Attr::required(
                "namespace",
                Type::String,
                "metricNamespace",
                "The metric's namespace, e.g. `App/Errors` (at most 255 characters).",
            ),
            Attr::required(
                "value",
                Type::String,
                "metricValue",
                "What each matching event adds: `\"1\"`, or a field of a JSON event (`$.latency`).",
            ),
            Attr::optional(
                "default_value",
                Type::Number,
                "defaultValue",
                "What a period without matches records (`0`); none when left out. Not with `dimensions`.",
            ),
            Attr::optional(
                "unit",
                Type::String,
                "unit",
                "The metric's unit (`Count`, `Seconds`, `Milliseconds`, `Bytes`, ...); none when left out.",
            )
            .unset_when(Literal::Str("None")),
            Attr::default(
                "dimensions",
                Type::Map(&Type::String),
                Literal::EmptyMap,
                "dimensions",
                "Up to 3 dimensions, each a field of a JSON event (`{ Service = \"$.service\" }`).",
            ),
        ],
        "metricTransformations",
        "The metric the filter writes (CloudWatch Logs takes one).",
    )
};

const ROLE: KindSchema = KindSchema {
    kind: Kind::Role,
    spelling: Spelling::Role,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "IAM CreateRole",
    doc: "An IAM role: who may assume it (`assume` or `assume_policy`), its inline policies \
          (`policy` blocks) and the managed policies attached to it.",
    attrs: &[
        Attr::optional(
            "assume",
            Type::String,
            "AssumeRolePolicyDocument",
            "Service principal allowed to assume the role, e.g. `ecs-tasks.amazonaws.com`: \
             short for a trust policy with that one statement. Exactly one of `assume` and \
             `assume_policy`.",
        ),
        Attr::optional(
            "assume_policy",
            Type::Document,
            "AssumeRolePolicyDocument",
            "The whole trust policy, for several principals or conditions: a map shaped like \
             IAM's JSON (`Version`, `Statement` with `Effect`, `Principal`, `Action`, \
             `Condition`) or a string of JSON. A policy that only lets one service assume the \
             role reads back as `assume`. Changed in place (UpdateAssumeRolePolicy).",
        ),
        Attr::default(
            "policies",
            Type::Set(&Type::Ref(Kind::ManagedPolicy)),
            Literal::EmptyList,
            "AttachRolePolicy.PolicyArn",
            "Managed policies attached to the role: the stack's (`managed_policy.NAME`) or ARNs \
             of others (`arn:aws:iam::aws:policy/...`); up to 10 (IAM's default quota).",
        ),
        Attr::optional("description", Type::String, "Description", "Role description."),
        Attr::optional(
            "permissions_boundary",
            Type::Ref(Kind::ManagedPolicy),
            "PermissionsBoundary",
            "The managed policy that bounds what the role may ever do, whatever its policies \
             grant (Terraform's `permissions_boundary`): the stack's (`managed_policy.NAME`) or an \
             ARN; many organisations refuse CreateRole without one. Changed in place \
             (PutRolePermissionsBoundary, DeleteRolePermissionsBoundary).",
        ),
        Attr::optional(
            "max_session_duration",
            Type::Int,
            "MaxSessionDuration",
            "Seconds a session of the role may last, 3600 (one hour, left out) to 43200.",
        )
        .unset_when(Literal::Int(3600))
        .range(3600, 43_200),
        Attr::chosen_by_aws(
            "path",
            Type::String,
            "Path",
            "The role's IAM path (Terraform's and CloudFormation's `path`: `/`, `/service/`); left out, berth's `/berth/`, and an adopted role keeps its own. IAM cannot move a role: a change replaces.",
        )
        .replaces(),
        TAGS,
        ARN,
        NAME,
        NAME_PREFIX,
    ],
    blocks: &[ROLE_POLICY],
};

const ROLE_POLICY: Block = Block {
    name: "policy",
    labelled: true,
    order: Order::Content,
    implicit: false,
    spelling: Spelling::Plain,
    min: 0,
    max: None,
    update: Update::InPlace,
    aws: "PutRolePolicy",
    doc: "An inline policy of the role, named by its label (PolicyName); added, changed and \
          removed in place (PutRolePolicy, DeleteRolePolicy).",
    attrs: &[Attr::required(
        "document",
        Type::Document,
        "PolicyDocument",
        "The policy: a map shaped like IAM's JSON, as Terraform's `jsonencode({ ... })` or \
         CloudFormation's `PolicyDocument` write it (`Version`, `Statement` with `Sid`, \
         `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`, `Condition`), or a string of \
         JSON. References such as `\"${log_group.app.arn}\"` may appear inside. A lone value \
         and a one-element list are the same, as are key orders.",
    )],
    blocks: &[],
};

const MANAGED_POLICY: KindSchema = KindSchema {
    kind: Kind::ManagedPolicy,
    spelling: Spelling::Plain,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "IAM CreatePolicy",
    doc: "A customer-managed IAM policy (Terraform's `aws_iam_policy`), made under the path \
          `/berth/`: one document that roles attach by naming it in `policies`. A changed \
          document is a new default version (CreatePolicyVersion; IAM keeps five, berth \
          deletes the oldest first).",
    attrs: &[
        Attr::required(
            "document",
            Type::Document,
            "PolicyDocument",
            "The policy, as a role's `policy` block takes it: a map shaped like IAM's JSON \
             (Terraform's `jsonencode({ ... })`, CloudFormation's `PolicyDocument`) or a \
             string of JSON, references allowed inside; at most 6,144 characters, whitespace \
             aside. Changed in place (a new default version).",
        ),
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What the policy is for (IAM cannot change it: a change replaces the policy).",
        )
        .replaces(),
        Attr::chosen_by_aws(
            "path",
            Type::String,
            "Path",
            "The policy's IAM path (Terraform's and CloudFormation's `path`: `/`, `/team/`); left out, berth's `/berth/`, and an adopted policy keeps its own. IAM cannot move a policy: a change replaces.",
        )
        .replaces(),
        TAGS,
        ARN,
        NAME,
        NAME_PREFIX,
    ],
    blocks: &[],
};

/// The attributes of a `logConfiguration` (a container's or the Service
/// Connect proxy's), with the docs of its options and secret options.
const fn log_attrs(options: &'static str, secret_options: &'static str) -> [Attr; 3] {
    [
        Attr::required(
            "driver",
            Type::String,
            "logDriver",
            "The log driver: `awslogs`, `awsfirelens` or `splunk` (the ones Fargate runs).",
        ),
        Attr::default(
            "options",
            Type::Map(&Type::String),
            Literal::EmptyMap,
            "options",
            options,
        ),
        Attr::default(
            "secret_options",
            Type::Map(&Type::String),
            Literal::EmptyMap,
            "secretOptions",
            secret_options,
        )
        .sensitive(),
    ]
}

const LOG_ATTRS: [Attr; 3] = log_attrs(
    "The driver's options, e.g. `\"awslogs-group\" = \"/ecs/app\"`, `\"awslogs-stream-prefix\"`, `\"awslogs-create-group\" = \"true\"`, `\"awslogs-datetime-format\"`, `\"awslogs-multiline-pattern\"`, `\"mode\" = \"non-blocking\"`; for `awsfirelens`, the output plugin's (`Name = \"cloudwatch\"`, ...). An `awslogs-region` that is the stack's may be left out (berth sends the stack's region), and an awslogs block with only the group, the stack's region and the container's name as stream prefix reads as `logs`; another region is kept and sent as written.",
    "Options read from SSM parameters or Secrets Manager ARNs (a Splunk token, a FireLens output's key), by name. Never shown; needs the task's `execution_role`.",
);

/// A container's `logConfiguration`, any driver Fargate runs.
const LOG: Block = Block {
    max: Some(1),
    ..block(
        "log",
        &LOG_ATTRS,
        "logConfiguration",
        "Where the container's output goes, for any log driver; `logs = log_group.NAME` is the awslogs shorthand.",
    )
};

/// A FireLens log router container's `firelensConfiguration`.
const FIRELENS: Block = Block {
    max: Some(1),
    ..block(
        "firelens",
        &[
            Attr::required(
                "type",
                Type::String,
                "type",
                "The log router: `fluentbit` or `fluentd`.",
            ),
            Attr::default(
                "options",
                Type::Map(&Type::String),
                Literal::EmptyMap,
                "options",
                "`enable-ecs-log-metadata` (`\"true\"`/`\"false\"`), `config-file-type` (`file` on Fargate) and `config-file-value` (the path in the image).",
            ),
        ],
        "firelensConfiguration",
        "Makes this container the task's FireLens log router; other containers send to it with `log { driver = \"awsfirelens\" }`. One per task.",
    )
};

const CONTAINER: Block = Block {
    name: "container",
    labelled: true,
    order: Order::Content,
    implicit: false,
    spelling: Spelling::Container,
    min: 1,
    max: None,
    update: Update::Replace,
    aws: "containerDefinitions",
    doc: "A container of the task.",
    attrs: &[
        Attr::required(
            "image",
            Type::String,
            "image",
            "Image reference, e.g. `repo/app:tag`.",
        ),
        Attr::optional(
            "port",
            Type::Int,
            "portMappings.containerPort",
            "Shorthand for one TCP `port_mapping`.",
        )
        .range(1, 65_535),
        Attr::optional("cpu", Type::Int, "cpu", "CPU units reserved for the container.")
            .unset_when(Literal::Int(0))
            .range(0, 16_384),
        Attr::optional("memory", Type::Int, "memory", "Hard memory limit in MiB.").range(6, 122_880),
        Attr::optional(
            "memory_reservation",
            Type::Int,
            "memoryReservation",
            "Soft memory limit in MiB.",
        )
        .range(6, 122_880),
        Attr::default(
            "essential",
            Type::Bool,
            Literal::Bool(true),
            "essential",
            "The task stops when this container stops.",
        ),
        Attr::optional(
            "command",
            Type::List(&Type::String),
            "command",
            "Overrides the image's CMD.",
        ),
        Attr::optional(
            "entrypoint",
            Type::List(&Type::String),
            "entryPoint",
            "Overrides the image's ENTRYPOINT.",
        ),
        Attr::optional(
            "working_directory",
            Type::String,
            "workingDirectory",
            "Working directory.",
        ),
        Attr::optional("user", Type::String, "user", "User to run as."),
        Attr::default(
            "readonly_root",
            Type::Bool,
            Literal::Bool(false),
            "readonlyRootFilesystem",
            "Mount the root filesystem read-only.",
        ),
        Attr::optional(
            "stop_timeout",
            Type::Int,
            "stopTimeout",
            "Seconds before the container is killed on stop, up to 120.",
        )
        .range(0, 120),
        Attr::default(
            "env",
            Type::Map(&Type::String),
            Literal::EmptyMap,
            "environment",
            "Environment variables.",
        ),
        Attr::default(
            "secrets",
            Type::Map(&Type::String),
            Literal::EmptyMap,
            "secrets",
            "Environment variables read from SSM parameters or Secrets Manager ARNs. Never shown.",
        )
        .sensitive(),
        Attr::default(
            "labels",
            Type::Map(&Type::String),
            Literal::EmptyMap,
            "dockerLabels",
            "Docker labels on the container.",
        ),
        Attr::optional(
            "start_timeout",
            Type::Int,
            "startTimeout",
            "Seconds to wait for the container's `depends_on` conditions before giving up, 2 to 120 on Fargate.",
        )
        .range(2, 120),
        Attr::default(
            "pseudo_terminal",
            Type::Bool,
            Literal::Bool(false),
            "pseudoTerminal",
            "Allocate a TTY.",
        ),
        Attr::default(
            "interactive",
            Type::Bool,
            Literal::Bool(false),
            "interactive",
            "Keep stdin open.",
        ),
        Attr::optional(
            "repository_credentials",
            Type::String,
            "repositoryCredentials.credentialsParameter",
            "The Secrets Manager secret (ARN) holding the private registry's user name and password; needs the task's `execution_role`.",
        )
        .sensitive(),
        Attr::default(
            "credential_specs",
            Type::List(&Type::String),
            Literal::EmptyList,
            "credentialSpecs",
            "Active Directory authentication through a gMSA: one `\"credentialspecdomainless:ARN\"`, ARN the S3 object or SSM parameter holding the CredSpec file (Fargate joins no domain, so `credentialspec:ARN` is refused); needs the task's `execution_role`, which reads the file.",
        ),
        Attr::optional(
            "version_consistency",
            Type::Bool,
            "versionConsistency",
            "Whether ECS resolves the image's tag to a digest when a service deploys the task definition, so every task of the deployment runs the same image (`\"enabled\"`, left out); `false` (`\"disabled\"`) runs the image the tag names when each task starts.",
        )
        .unset_when(Literal::Bool(true)),
        Attr::optional(
            "logs",
            Type::Ref(Kind::LogGroup),
            "logConfiguration (awslogs)",
            "Log group the awslogs driver writes to (stream prefix: the container name, region: the stack's). Shorthand for a `log` block with driver `awslogs` and those options; write one or the other.",
        ),
    ],
    blocks: &[
        LOG,
        FIRELENS,
        block(
            "mount",
            &[
                Attr::required(
                    "source_volume",
                    Type::String,
                    "sourceVolume",
                    "The name of a `volume` of the task.",
                ),
                Attr::required(
                    "container_path",
                    Type::String,
                    "containerPath",
                    "Where the volume appears in the container.",
                ),
                Attr::default(
                    "read_only",
                    Type::Bool,
                    Literal::Bool(false),
                    "readOnly",
                    "Mount it read-only.",
                ),
            ],
            "mountPoints",
            "A task volume mounted in the container.",
        ),
        block(
            "environment_file",
            &[
                Attr::required(
                    "value",
                    Type::String,
                    "value",
                    "The S3 object's ARN, e.g. `arn:aws:s3:::bucket/app.env`.",
                ),
                Attr::default(
                    "type",
                    Type::String,
                    Literal::Str("s3"),
                    "type",
                    "`s3`, the only type.",
                ),
            ],
            "environmentFiles",
            "A file of `NAME=VALUE` lines in S3 whose variables the container gets (`env` wins).",
        ),
        block(
            "system_control",
            &[
                Attr::required(
                    "namespace",
                    Type::String,
                    "namespace",
                    "The kernel parameter, e.g. `net.core.somaxconn` (Fargate: `net.*` only).",
                ),
                Attr::required("value", Type::String, "value", "Its value."),
            ],
            "systemControls",
            "A namespaced kernel parameter set in the container.",
        ),
        Block {
            max: Some(1),
            implicit: true,
            ..block(
                "linux",
                &[
                    Attr::default(
                        "init_process",
                        Type::Bool,
                        Literal::Bool(false),
                        "initProcessEnabled",
                        "Run an init process (PID 1) that forwards signals and reaps zombies.",
                    ),
                    Attr::default(
                        "capabilities_add",
                        Type::Set(&Type::String),
                        Literal::EmptyList,
                        "capabilities.add",
                        "Linux capabilities added to Docker's default set; Fargate adds only `SYS_PTRACE`.",
                    ),
                    Attr::default(
                        "capabilities_drop",
                        Type::Set(&Type::String),
                        Literal::EmptyList,
                        "capabilities.drop",
                        "Linux capabilities removed, e.g. `ALL`, `NET_RAW`.",
                    ),
                ],
                "linuxParameters",
                "Linux settings Fargate takes (shared memory, tmpfs, devices and swap are EC2's only).",
            )
        },
        block(
            "volumes_from",
            &[
                Attr::required(
                    "container",
                    Type::String,
                    "sourceContainer",
                    "Another container of this task, whose mounts this one gets.",
                ),
                Attr::default(
                    "read_only",
                    Type::Bool,
                    Literal::Bool(false),
                    "readOnly",
                    "Mount them read-only.",
                ),
            ],
            "volumesFrom",
            "Mounts every volume of another container of the task.",
        ),
        Block {
            order: Order::Written,
            ..block(
                "port_mapping",
                &[
                    Attr::optional(
                        "container_port",
                        Type::Int,
                        "containerPort",
                        "Port the container listens on; this or `container_port_range`.",
                    )
                    .range(1, 65_535),
                    Attr::optional(
                        "host_port",
                        Type::Int,
                        "hostPort",
                        "Only what ECS allows in `awsvpc` mode (Fargate): `container_port` itself, which is the same as leaving it out (as DescribeTaskDefinition and Terraform's container definitions write it).",
                    )
                    .range(0, 65_535),
                    Attr::optional(
                        "container_port_range",
                        Type::String,
                        "containerPortRange",
                        "Ports the container listens on, `FROM-TO` (e.g. `\"8000-8010\"`); this or `container_port`.",
                    ),
                    Attr::optional(
                        "name",
                        Type::String,
                        "name",
                        "The mapping's name, which Service Connect refers to: lower-case letters, digits, `-` and `_`, at most 64, not starting with `-`.",
                    ),
                    Attr::optional(
                        "app_protocol",
                        Type::String,
                        "appProtocol",
                        "The application protocol Service Connect sees: `http`, `http2` or `grpc`.",
                    ),
                    Attr::default(
                        "protocol",
                        Type::String,
                        Literal::Str("tcp"),
                        "protocol",
                        "`tcp` or `udp`.",
                    )
                    .folded(Case::Lower),
                ],
                "portMappings",
                "A port the container exposes, in the order written.",
            )
        },
        Block {
            max: Some(1),
            ..block(
                "health_check",
                &[
                    Attr::required(
                        "command",
                        Type::Command,
                        "healthCheck.command",
                        "The check; exit 0 means healthy. A string is run by the shell (`CMD-SHELL`); a list is Docker's form, `[\"CMD\", \"curl\", \"-f\", URL]` (exec, no shell) or `[\"CMD-SHELL\", COMMAND]` (the same as the string).",
                    ),
                    Attr::default(
                        "interval",
                        Type::Int,
                        Literal::Int(30),
                        "healthCheck.interval",
                        "Seconds between checks, 5 to 300.",
                    )
                    .range(5, 300),
                    Attr::default(
                        "timeout",
                        Type::Int,
                        Literal::Int(5),
                        "healthCheck.timeout",
                        "Seconds before a check fails, 2 to 60.",
                    )
                    .range(2, 60),
                    Attr::default(
                        "retries",
                        Type::Int,
                        Literal::Int(3),
                        "healthCheck.retries",
                        "Failures before unhealthy, 1 to 10.",
                    )
                    .range(1, 10),
                    Attr::optional(
                        "start_period",
                        Type::Int,
                        "healthCheck.startPeriod",
                        "Grace seconds after start, 0 to 300.",
                    )
                    .range(0, 300),
                ],
                "healthCheck",
                "The container's health check.",
            )
        },
        block(
            "depends_on",
            &[
                Attr::required(
                    "container",
                    Type::String,
                    "containerName",
                    "Another container of this task.",
                ),
                Attr::default(
                    "condition",
                    Type::String,
                    Literal::Str("START"),
                    "condition",
                    "`START`, `COMPLETE`, `SUCCESS` or `HEALTHY`.",
                )
                .folded(Case::Upper),
            ],
            "dependsOn",
            "Start this container after another reaches a condition.",
        ),
        Block {
            max: Some(1),
            ..block(
                "restart_policy",
                &[
                    Attr::default(
                        "enabled",
                        Type::Bool,
                        Literal::Bool(true),
                        "enabled",
                        "Whether ECS restarts the container; `false` is the same as no `restart_policy` (ECS keeps a disabled policy but restarts nothing).",
                    ),
                    Attr::default(
                        "ignored_exit_codes",
                        Type::Set(&Type::Int),
                        Literal::EmptyList,
                        "ignoredExitCodes",
                        "Exit codes after which the container is not restarted, at most 50, e.g. `[0]` to restart only failures.",
                    ),
                    Attr::default(
                        "restart_attempt_period",
                        Type::Int,
                        Literal::Int(300),
                        "restartAttemptPeriod",
                        "Seconds the container must run before it may be restarted, 60 to 1800; it is restarted at most once a period, and not at all when it exits sooner.",
                    )
                    .range(60, 1800),
                ],
                "restartPolicy",
                "Restart the container in place when it exits, instead of stopping the task (an essential container) or leaving it stopped.",
            )
        },
        block(
            "ulimit",
            &[
                Attr::required("name", Type::String, "name", "Limit name, e.g. `nofile`."),
                Attr::required("soft", Type::Int, "softLimit", "Soft limit; -1 is unlimited.")
                    .range(-1, 2_147_483_647),
                Attr::required("hard", Type::Int, "hardLimit", "Hard limit; -1 is unlimited.")
                    .range(-1, 2_147_483_647),
            ],
            "ulimits",
            "A resource limit.",
        ),
    ],
};

/// A task definition's `volumes`: an EFS file system, or a bind mount
/// (Fargate's task storage, shared by the containers that mount it).
const VOLUME: Block = Block {
    labelled: true,
    update: Update::Replace,
    blocks: &[Block {
        max: Some(1),
        ..block(
            "efs",
            &[
                Attr::required(
                    "file_system_id",
                    Type::String,
                    "fileSystemId",
                    "The EFS file system, e.g. `fs-0123456789abcdef0`.",
                ),
                Attr::optional(
                    "root_directory",
                    Type::String,
                    "rootDirectory",
                    "The directory of the file system mounted as the volume's root; `/` when left out. With an `access_point`, the access point's directory: leave it out.",
                )
                .unset_when(Literal::Str("/")),
                Attr::default(
                    "transit_encryption",
                    Type::String,
                    Literal::Str("DISABLED"),
                    "transitEncryption",
                    "`ENABLED` or `DISABLED`: encrypt the NFS traffic (required by `iam` and `access_point`).",
                )
                .folded(Case::Upper),
                Attr::optional(
                    "transit_encryption_port",
                    Type::Int,
                    "transitEncryptionPort",
                    "The port the EFS mount helper uses for encrypted traffic; chosen by ECS when left out.",
                )
                .range(1, 65_535),
                Attr::optional(
                    "access_point",
                    Type::String,
                    "authorizationConfig.accessPointId",
                    "An EFS access point, e.g. `fsap-0123456789abcdef0`.",
                ),
                Attr::default(
                    "iam",
                    Type::String,
                    Literal::Str("DISABLED"),
                    "authorizationConfig.iam",
                    "`ENABLED` to mount with the task role's IAM authorization, else `DISABLED`.",
                )
                .folded(Case::Upper),
            ],
            "efsVolumeConfiguration",
            "The volume is an EFS file system.",
        )
    }],
    ..block(
        "volume",
        &[],
        "volumes",
        "A volume containers mount with `mount`: an EFS file system with an `efs` block, else a bind mount of the task's own storage.",
    )
};

const TASK_DEFINITION: KindSchema = KindSchema {
    kind: Kind::TaskDefinition,
    spelling: Spelling::TaskDefinition,
    identity: "arn",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "ECS RegisterTaskDefinition",
    doc: "A Fargate task definition. Revisions are immutable: any change registers a new revision, services move to it, then the old one is deregistered.",
    attrs: &[
        Attr::required(
            "cpu",
            Type::Int,
            "cpu",
            "Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384; ECS's strings are taken too (`\"256\"`, `\"0.25 vCPU\"`, as CloudFormation and Terraform write them).",
        )
        .replaces()
        .range(256, 16_384),
        Attr::required(
            "memory",
            Type::Int,
            "memory",
            "Task memory in MiB; must suit `cpu` (Fargate pairs). ECS's strings are taken too (`\"512\"`, `\"0.5GB\"`, `\"2 GB\"`).",
        )
        .replaces()
        .range(512, 122_880),
        Attr::default(
            "network_mode",
            Type::String,
            Literal::Str("awsvpc"),
            "networkMode",
            "Fargate requires `awsvpc`.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::optional(
            "requires_compatibilities",
            Type::Set(&Type::String),
            "requiresCompatibilities",
            "`[\"FARGATE\"]`, as Terraform and CloudFormation write it: berth registers every task definition for Fargate, so it is the same as left out; `[\"EC2\", \"FARGATE\"]` registers it for EC2 too.",
        )
        .folded(Case::Upper),
        Attr::optional(
            "execution_role",
            Type::Ref(Kind::Role),
            "executionRoleArn",
            "Role ECS uses to pull images, read secrets and write logs.",
        )
        .replaces(),
        Attr::optional(
            "task_role",
            Type::Ref(Kind::Role),
            "taskRoleArn",
            "Role the application's code runs as.",
        )
        .replaces(),
        Attr::default(
            "cpu_architecture",
            Type::String,
            Literal::Str("X86_64"),
            "runtimePlatform.cpuArchitecture",
            "`X86_64` or `ARM64`.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "os_family",
            Type::String,
            Literal::Str("LINUX"),
            "runtimePlatform.operatingSystemFamily",
            "`LINUX`, or a Windows Server family (`WINDOWS_SERVER_2019_CORE`, `WINDOWS_SERVER_2019_FULL`, `WINDOWS_SERVER_2022_CORE`, `WINDOWS_SERVER_2022_FULL`).",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::optional(
            "pid_mode",
            Type::String,
            "pidMode",
            "`task`: the task's containers share one process namespace (Linux, platform 1.4 or later); Fargate has no `host`.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::optional(
            "ephemeral_storage",
            Type::Int,
            "ephemeralStorage.sizeInGiB",
            "GiB of task storage, 21 to 200; Fargate gives 20 when left out.",
        )
        .replaces()
        .range(21, 200),
        Attr::optional(
            "fault_injection",
            Type::Bool,
            "enableFaultInjection",
            "`true` lets the task's containers call ECS's fault injection endpoints (network blackholes, latency, packet loss, CPU and I/O stress), as AWS Fault Injection Service experiments do; left out, off.",
        )
        .unset_when(Literal::Bool(false))
        .replaces(),
        TAGS,
        ARN,
        Attr::named(
            "family",
            "family",
            "The task definition family, kept exactly as written (a change registers the new family and deregisters the old). Left out, berth derives one from the stack and the address.",
        ),
        Attr::computed("revision", Type::Int, "revision", "The revision number."),
    ],
    blocks: &[
        CONTAINER,
        VOLUME,
        Block {
            max: Some(1),
            update: Update::Replace,
            ..block(
                "proxy",
                &[
                    Attr::required(
                        "container",
                        Type::String,
                        "containerName",
                        "The container of this task that is the App Mesh proxy (Envoy).",
                    ),
                    Attr::default(
                        "type",
                        Type::String,
                        Literal::Str("APPMESH"),
                        "type",
                        "`APPMESH`, the only type.",
                    )
                    .folded(Case::Upper),
                    Attr::default(
                        "properties",
                        Type::Map(&Type::String),
                        Literal::EmptyMap,
                        "properties",
                        "The proxy's settings by name: `IgnoredUID`, `IgnoredGID`, `AppPorts`, `ProxyIngressPort`, `ProxyEgressPort`, `EgressIgnoredIPs`, `EgressIgnoredPorts`.",
                    ),
                ],
                "proxyConfiguration",
                "The App Mesh proxy configuration: which container carries the task's traffic.",
            )
        },
    ],
};

const SERVICE: KindSchema = KindSchema {
    kind: Kind::Service,
    spelling: Spelling::Service,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "ECS CreateService",
    doc: "A Fargate service keeping `desired_count` tasks of a task definition running.",
    attrs: &[
        Attr::required(
            "cluster",
            Type::Ref(Kind::Cluster),
            "cluster",
            "The cluster it runs in.",
        )
        .replaces(),
        Attr::required(
            "task_definition",
            Type::Ref(Kind::TaskDefinition),
            "taskDefinition",
            "The task definition revision to run.",
        ),
        Attr::default(
            "desired_count",
            Type::Int,
            Literal::Int(1),
            "desiredCount",
            "Number of tasks to keep running.",
        )
        .range(0, 2_147_483_647),
        Attr::default(
            "launch_type",
            Type::String,
            Literal::Str("FARGATE"),
            "launchType",
            "Only `FARGATE` is supported.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "platform_version",
            Type::String,
            Literal::Str("LATEST"),
            "platformVersion",
            "Fargate platform version.",
        ),
        Attr::required(
            "subnets",
            Type::Set(&Type::Ref(Kind::Subnet)),
            "networkConfiguration.awsvpcConfiguration.subnets",
            "Subnets the tasks run in.",
        ),
        Attr::default(
            "security_groups",
            Type::Set(&Type::Ref(Kind::SecurityGroup)),
            Literal::EmptyList,
            "networkConfiguration.awsvpcConfiguration.securityGroups",
            "Security groups of the tasks.",
        ),
        Attr::default(
            "public_ip",
            Type::Switch(&[]),
            Literal::Bool(false),
            "networkConfiguration.awsvpcConfiguration.assignPublicIp",
            "Give tasks a public IP (needed in public subnets without NAT): `true`, `false`, or ECS's `ENABLED`/`DISABLED` (CloudFormation's `AssignPublicIp`).",
        ),
        Attr::default(
            "min_healthy_percent",
            Type::Int,
            Literal::Int(100),
            "deploymentConfiguration.minimumHealthyPercent",
            "Lower bound of running tasks during a deployment.",
        )
        .range(0, 100),
        Attr::default(
            "max_percent",
            Type::Int,
            Literal::Int(200),
            "deploymentConfiguration.maximumPercent",
            "Upper bound of running tasks during a deployment.",
        )
        .range(0, 2_147_483_647),
        Attr::optional(
            "health_check_grace_period",
            Type::Int,
            "healthCheckGracePeriodSeconds",
            "Seconds to ignore load balancer, VPC Lattice and container health checks after a task starts (with or without a load balancer, as ECS takes it since 2025); 0 is none.",
        )
        .unset_when(Literal::Int(0))
        .range(0, 2_147_483_647),
        Attr::default(
            "enable_execute_command",
            Type::Bool,
            Literal::Bool(false),
            "enableExecuteCommand",
            "Allow `aws ecs execute-command` into the tasks (the task role needs the SSM messages permissions).",
        ),
        Attr::default(
            "propagate_tags",
            Type::String,
            Literal::Str("SERVICE"),
            "propagateTags",
            "Which tags the tasks get: `SERVICE`, `TASK_DEFINITION` or `NONE`.",
        )
        .folded(Case::Upper),
        Attr::default(
            "enable_ecs_managed_tags",
            Type::Bool,
            Literal::Bool(false),
            "enableECSManagedTags",
            "Tag the tasks with `aws:ecs:clusterName` and `aws:ecs:serviceName`.",
        ),
        Attr::chosen_by_aws(
            "availability_zone_rebalancing",
            Type::Switch(&[]),
            "availabilityZoneRebalancing",
            "Move tasks to a zone that has fewer than its share (`true`, `false`, or ECS's `ENABLED`/`DISABLED`). Left out, ECS's choice: on for a new service (Terraform sends `DISABLED` when left out).",
        ),
        TAGS,
        ARN,
        NAME,
    ],
    blocks: &[
        SERVICE_LOAD_BALANCER,
        SERVICE_REGISTRY,
        SERVICE_CONNECT,
        AUTOSCALING,
        Block {
            max: Some(1),
            implicit: true,
            ..block(
                "circuit_breaker",
                &[
                    Attr::default(
                        "enable",
                        Type::Bool,
                        Literal::Bool(false),
                        "enable",
                        "Stop a deployment whose tasks keep failing to start or to pass health checks.",
                    ),
                    Attr::default(
                        "rollback",
                        Type::Bool,
                        Literal::Bool(false),
                        "rollback",
                        "Roll back to the last deployment that completed when the breaker stops one.",
                    ),
                ],
                "deploymentConfiguration.deploymentCircuitBreaker",
                "The deployment circuit breaker (Terraform's `deployment_circuit_breaker`).",
            )
        },
        Block {
            max: Some(1),
            implicit: true,
            ..block(
                "alarms",
                &[
                    Attr::default(
                        "alarm_names",
                        Type::Set(&Type::String),
                        Literal::EmptyList,
                        "alarmNames",
                        "CloudWatch alarms watched during a deployment.",
                    ),
                    Attr::default(
                        "enable",
                        Type::Bool,
                        Literal::Bool(false),
                        "enable",
                        "Fail a deployment when one of the alarms goes off.",
                    ),
                    Attr::default(
                        "rollback",
                        Type::Bool,
                        Literal::Bool(false),
                        "rollback",
                        "Roll back a deployment the alarms failed.",
                    ),
                ],
                "deploymentConfiguration.alarms",
                "CloudWatch alarms that fail a deployment.",
            )
        },
        Block {
            max: Some(20),
            ..block(
                "capacity_provider_strategy",
                STRATEGY_ATTRS,
                "capacityProviderStrategy",
                "Where tasks run: on Fargate or Fargate Spot, by weight (instead of `launch_type`).",
            )
        },
    ],
};

/// Application Auto Scaling of a service's `desired_count`: the scalable
/// target and its policies and scheduled actions, kept with the service
/// they scale (they have no life of their own, and DeregisterScalableTarget
/// removes them all).
const AUTOSCALING: Block = Block {
    max: Some(1),
    blocks: &[TARGET_TRACKING, STEP_SCALING, SCHEDULED],
    ..block(
        "autoscaling",
        &[
            Attr::required(
                "min_capacity",
                Type::Int,
                "MinCapacity",
                "Fewest tasks the scaler keeps running.",
            )
            .range(0, 2_147_483_647),
            Attr::required(
                "max_capacity",
                Type::Int,
                "MaxCapacity",
                "Most tasks the scaler runs.",
            )
            .range(0, 2_147_483_647),
        ],
        "Application Auto Scaling RegisterScalableTarget (ecs:service:DesiredCount)",
        "Scales the service's task count. While the block is there the scaler owns `desired_count`: plans take the live count and never revert what the scaler set (`desired_count` is only the count the service starts with).",
    )
};

const TARGET_TRACKING: Block = Block {
    labelled: true,
    spelling: Spelling::TargetTracking,
    blocks: &[CUSTOM_METRIC],
    ..block(
        "target_tracking",
        &[
            Attr::optional(
                "metric",
                Type::String,
                "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType",
                "`cpu` (ECSServiceAverageCPUUtilization), `memory` (ECSServiceAverageMemoryUtilization) or `requests` (ALBRequestCountPerTarget); AWS's names, as CloudFormation writes them, are taken too and plan as berth's. A policy names `metric` or has a `custom_metric` block.",
            )
            .folded(Case::Lower),
            Attr::required(
                "target",
                Type::Number,
                "TargetTrackingScalingPolicyConfiguration.TargetValue",
                "The value to keep the metric at, above 0: percent for `cpu` and `memory`, requests per task for `requests`.",
            ),
            Attr::optional(
                "target_group",
                Type::Ref(Kind::TargetGroup),
                "PredefinedMetricSpecification.ResourceLabel",
                "For `requests`: the target group (of the service's load balancer) whose requests are counted.",
            ),
            Attr::default(
                "scale_in_cooldown",
                Type::Int,
                Literal::Int(300),
                "ScaleInCooldown",
                "Seconds after a scale-in before another.",
            )
            .range(0, 31_536_000),
            Attr::default(
                "scale_out_cooldown",
                Type::Int,
                Literal::Int(300),
                "ScaleOutCooldown",
                "Seconds after a scale-out before another.",
            )
            .range(0, 31_536_000),
            Attr::default(
                "disable_scale_in",
                Type::Bool,
                Literal::Bool(false),
                "DisableScaleIn",
                "Only ever scale out.",
            ),
        ],
        "PutScalingPolicy (TargetTrackingScaling)",
        "A target-tracking policy, named by its label.",
    )
};

/// A CloudWatch metric a target-tracking policy keeps at its target
/// (Terraform's `customized_metric_specification`, CloudFormation's
/// `CustomizedMetricSpecification`): a queue's backlog per task, as
/// Copilot's workers and CDK's queue processing services scale on.
const CUSTOM_METRIC: Block = Block {
    max: Some(1),
    ..block(
        "custom_metric",
        &[
            Attr::required(
                "metric_name",
                Type::String,
                "MetricName",
                "The metric, e.g. `BacklogPerTask`.",
            ),
            Attr::required(
                "namespace",
                Type::String,
                "Namespace",
                "The metric's namespace, e.g. `AWS/SQS` or the one a function publishes to.",
            ),
            Attr::required(
                "statistic",
                Type::String,
                "Statistic",
                "`Average`, `Minimum`, `Maximum`, `SampleCount` or `Sum`.",
            ),
            Attr::optional(
                "unit",
                Type::String,
                "Unit",
                "The metric's unit (`Count`, `Percent`, ...); left out, any.",
            ),
            Attr::default(
                "dimensions",
                Type::Map(&Type::String),
                Literal::EmptyMap,
                "Dimensions",
                "The metric's dimensions, e.g. `{ QueueName = sqs_queue.jobs.name }`; a load balancer or target group named by its ARN is sent as its suffix, as a `metric_alarm`'s.",
            ),
        ],
        "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification",
        "The metric the policy tracks instead of one of ECS's predefined `metric`s. Metric math (Terraform's `metrics` blocks) is not written.",
    )
};

const STEP_SCALING: Block = Block {
    labelled: true,
    blocks: &[Block {
        min: 1,
        order: Order::Written,
        ..block(
            "step",
            &[
                Attr::optional(
                    "lower",
                    Type::Number,
                    "MetricIntervalLowerBound",
                    "Lower bound of the alarm metric's distance from the threshold; none is minus infinity.",
                ),
                Attr::optional(
                    "upper",
                    Type::Number,
                    "MetricIntervalUpperBound",
                    "Upper bound; none is infinity.",
                ),
                Attr::required(
                    "adjustment",
                    Type::Int,
                    "ScalingAdjustment",
                    "Tasks to add (negative: remove), or percent, as `adjustment_type` says.",
                ),
            ],
            "StepAdjustments",
            "One step, in the order written.",
        )
    }],
    ..block(
        "step_scaling",
        &[
            Attr::default(
                "adjustment_type",
                Type::String,
                Literal::Str("ChangeInCapacity"),
                "StepScalingPolicyConfiguration.AdjustmentType",
                "`ChangeInCapacity`, `ExactCapacity` or `PercentChangeInCapacity`.",
            ),
            Attr::optional(
                "cooldown",
                Type::Int,
                "StepScalingPolicyConfiguration.Cooldown",
                "Seconds after an adjustment before another.",
            )
            .range(0, 31_536_000),
            Attr::default(
                "metric_aggregation",
                Type::String,
                Literal::Str("Average"),
                "StepScalingPolicyConfiguration.MetricAggregationType",
                "`Average`, `Minimum` or `Maximum`.",
            ),
            Attr::optional(
                "min_adjustment_magnitude",
                Type::Int,
                "StepScalingPolicyConfiguration.MinAdjustmentMagnitude",
                "With `PercentChangeInCapacity`: the fewest tasks one adjustment adds or removes.",
            )
            .range(0, 2_147_483_647),
        ],
        "PutScalingPolicy (StepScaling)",
        "A step-scaling policy, named by its label; a CloudWatch alarm made outside berth triggers it by its ARN.",
    )
};

const SCHEDULED: Block = Block {
    labelled: true,
    ..block(
        "scheduled",
        &[
            Attr::required(
                "schedule",
                Type::String,
                "Schedule",
                "`cron(MIN HOUR DAY MONTH WEEKDAY YEAR)`, `rate(N units)` or `at(yyyy-mm-ddThh:mm:ss)`.",
            ),
            Attr::optional(
                "min_capacity",
                Type::Int,
                "ScalableTargetAction.MinCapacity",
                "The minimum from then on.",
            )
            .range(0, 2_147_483_647),
            Attr::optional(
                "max_capacity",
                Type::Int,
                "ScalableTargetAction.MaxCapacity",
                "The maximum from then on.",
            )
            .range(0, 2_147_483_647),
            Attr::optional(
                "timezone",
                Type::String,
                "Timezone",
                "IANA time zone of the schedule, e.g. `Europe/Paris`. `UTC` is the same as leaving it out.",
            )
            .unset_when(Literal::Str("UTC")),
        ],
        "PutScheduledAction",
        "A scheduled change of the capacity bounds, named by its label.",
    )
};

const SERVICE_LOAD_BALANCER: Block = block(
    "load_balancer",
    &[
        Attr::required(
            "target_group",
            Type::Ref(Kind::TargetGroup),
            "targetGroupArn",
            "Target group the tasks register in.",
        ),
        Attr::required(
            "container",
            Type::String,
            "containerName",
            "Container of the task definition that receives traffic.",
        ),
        Attr::required("port", Type::Int, "containerPort", "Port of that container.").range(1, 65_535),
    ],
    "loadBalancers",
    "Registers the service's tasks with a target group.",
);

const SERVICE_REGISTRY: Block = Block {
    max: Some(1),
    ..block(
        "service_registry",
        &[
            Attr::required(
                "registry",
                Type::Ref(Kind::DiscoveryService),
                "registryArn",
                "The `discovery_service` the tasks register in.",
            ),
            Attr::optional(
                "container",
                Type::String,
                "containerName",
                "The container whose port an `SRV` record gives (Terraform's `container_name`); left out for `A` records.",
            ),
            Attr::optional(
                "port",
                Type::Int,
                "containerPort",
                "The port `SRV` records give: that container's (Terraform's `container_port`), or without `container` the port itself (ECS's and Terraform's `port`, which `awsvpc` tasks may give alone).",
            )
            .range(1, 65_535),
        ],
        "serviceRegistries",
        "Registers each task in a Cloud Map service, so other services find it by DNS (Terraform's `service_registries`).",
    )
};

/// ECS Service Connect (`serviceConnectConfiguration`): the service's
/// tasks get a proxy that finds the namespace's other services by short
/// names, and each `service` block publishes one of the task's named ports.
const SERVICE_CONNECT: Block = Block {
    max: Some(1),
    blocks: &[
        SERVICE_CONNECT_SERVICE,
        SERVICE_CONNECT_LOG,
        SERVICE_CONNECT_ACCESS_LOG,
    ],
    ..block(
        "service_connect",
        &[
            Attr::default(
                "enabled",
                Type::Bool,
                Literal::Bool(true),
                "enabled",
                "Turn Service Connect on. `false` is the same as no block: the service leaves Service Connect.",
            ),
            Attr::required(
                "namespace",
                Type::Ref(Kind::DnsNamespace),
                "namespace",
                "The Cloud Map namespace the service joins: a `dns_namespace` (private DNS, or HTTP with `type = \"HTTP\"`), or the ARN or id (`ns-...`) of one made elsewhere. Clients reach the published ports by their aliases in it.",
            ),
        ],
        "serviceConnectConfiguration",
        "ECS Service Connect (Terraform's `service_connect_configuration`): a proxy in each task that reaches the namespace's other services by name, and, per `service` block, a port of this service published to them.",
    )
};

const SERVICE_CONNECT_SERVICE: Block = Block {
    blocks: &[SERVICE_CONNECT_ALIAS, SERVICE_CONNECT_TIMEOUT],
    spelling: Spelling::ServiceConnectService,
    ..block(
        "service",
        &[
            Attr::required(
                "port_name",
                Type::String,
                "portName",
                "The `name` of a `port_mapping` of the task definition: the port published.",
            ),
            Attr::optional(
                "discovery_name",
                Type::String,
                "discoveryName",
                "The name of the Cloud Map service ECS makes for it, unique in the namespace: lower-case letters, digits, `_` and `-`, at most 64. Left out, the port name.",
            ),
            Attr::optional(
                "ingress_port_override",
                Type::Int,
                "ingressPortOverride",
                "The port the proxy listens on in the task; left out, the container port.",
            )
            .range(1, 65_535),
        ],
        "services",
        "A port of the task published in the namespace (one per `port_name`).",
    )
};

const SERVICE_CONNECT_ALIAS: Block = Block {
    max: Some(1),
    ..block(
        "client_alias",
        &[
            Attr::required("port", Type::Int, "port", "The port clients connect to.").range(1, 65_535),
            Attr::optional(
                "dns_name",
                Type::String,
                "dnsName",
                "The name clients connect to (`api`, `api.internal`): lower-case letters, digits, `_`, `-` and `.`, at most 127. Left out, `DISCOVERY_NAME.NAMESPACE`.",
            ),
        ],
        "clientAliases",
        "The name and port clients use to reach the published port (ECS takes one).",
    )
};

const SERVICE_CONNECT_TIMEOUT: Block = Block {
    max: Some(1),
    implicit: true,
    ..block(
        "timeout",
        &[
            Attr::optional(
                "idle_timeout_seconds",
                Type::Int,
                "idleTimeoutSeconds",
                "Seconds an idle connection stays open; 0 never closes it. Left out, 300 for HTTP, HTTP/2 and gRPC, 3600 for TCP.",
            )
            .range(0, 2_147_483_647),
            Attr::optional(
                "per_request_timeout_seconds",
                Type::Int,
                "perRequestTimeoutSeconds",
                "Seconds the proxy waits for a whole response; 0 is no limit. Only for ports with an `app_protocol` (not TCP).",
            )
            .range(0, 2_147_483_647),
        ],
        "timeout",
        "The proxy's timeouts for the published port.",
    )
};

const SERVICE_CONNECT_LOG_ATTRS: [Attr; 3] = log_attrs(
    "The driver's options, e.g. `\"awslogs-group\" = \"/ecs/proxy\"`, `\"awslogs-region\"`, `\"awslogs-stream-prefix\"`.",
    "Options read from SSM parameters or Secrets Manager ARNs, by name. Never shown; needs the task's `execution_role`.",
);

/// The Service Connect proxy's access log: a line per request, written
/// where its `log` block sends the proxy's output.
const SERVICE_CONNECT_ACCESS_LOG: Block = Block {
    max: Some(1),
    ..block(
        "access_log",
        &[
            Attr::required("format", Type::String, "format", "`TEXT` or `JSON`.").folded(Case::Upper),
            Attr::default(
                "include_query_parameters",
                Type::String,
                Literal::Str("DISABLED"),
                "includeQueryParameters",
                "`ENABLED` to log each request's query string, `DISABLED` to leave it out.",
            )
            .folded(Case::Upper),
        ],
        "accessLogConfiguration",
        "The proxy's access log (Terraform's `access_log_configuration`, CloudFormation's `AccessLogConfiguration`): one line per request, among the proxy's output.",
    )
};

/// The Service Connect proxy's `logConfiguration`, spelled as a
/// container's `log` block.
const SERVICE_CONNECT_LOG: Block = Block {
    max: Some(1),
    ..block(
        "log",
        &SERVICE_CONNECT_LOG_ATTRS,
        "logConfiguration",
        "Where the Service Connect proxy's output goes, spelled as a container's `log` block.",
    )
};

const ELASTIC_IP: KindSchema = KindSchema {
    kind: Kind::ElasticIp,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 AllocateAddress (domain vpc)",
    doc: "An Elastic IP address for use in a VPC, e.g. by a NAT gateway. Destroying it releases the address.",
    attrs: &[
        TAGS,
        Attr::computed(
            "id",
            Type::String,
            "AllocationId",
            "The allocation id (`eipalloc-...`).",
        ),
        Attr::computed("public_ip", Type::String, "PublicIp", "The address."),
    ],
    blocks: &[],
};

const NAT_GATEWAY: KindSchema = KindSchema {
    kind: Kind::NatGateway,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 CreateNatGateway (public connectivity)",
    doc: "A public NAT gateway in a public subnet, with an Elastic IP: private subnets route `0.0.0.0/0` to it. Created after its VPC's internet gateway and waited for until available; destroyed (and waited for) before its Elastic IP is released.",
    attrs: &[
        Attr::required(
            "subnet",
            Type::Ref(Kind::Subnet),
            "SubnetId",
            "The public subnet it lives in (one route table away from an internet gateway).",
        )
        .replaces(),
        Attr::required(
            "elastic_ip",
            Type::Ref(Kind::ElasticIp),
            "AllocationId",
            "The Elastic IP it sends traffic from.",
        )
        .replaces(),
        TAGS,
        ID,
    ],
    blocks: &[],
};

const VPC_ENDPOINT: KindSchema = KindSchema {
    kind: Kind::VpcEndpoint,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 CreateVpcEndpoint",
    doc: "A VPC endpoint, so private subnets reach an AWS service without a NAT gateway: `Gateway` (S3, DynamoDB) through route tables, `Interface` (ECR `ecr.api` and `ecr.dkr`, `logs`, `secretsmanager`, ...) through network interfaces in subnets.",
    attrs: &[
        Attr::required("vpc", Type::Ref(Kind::Vpc), "VpcId", "The VPC.").replaces(),
        Attr::required(
            "service",
            Type::String,
            "ServiceName",
            "The service's endpoint name, `com.amazonaws.REGION.SERVICE`, e.g. `com.amazonaws.us-east-1.s3`.",
        )
        .replaces(),
        Attr::default(
            "type",
            Type::String,
            Literal::Str("Gateway"),
            "VpcEndpointType",
            "`Gateway` or `Interface`.",
        )
        .replaces(),
        Attr::default(
            "route_tables",
            Type::Set(&Type::Ref(Kind::RouteTable)),
            Literal::EmptyList,
            "RouteTableIds",
            "Route tables that get a route to the service (gateway endpoints).",
        ),
        Attr::default(
            "subnets",
            Type::Set(&Type::Ref(Kind::Subnet)),
            Literal::EmptyList,
            "SubnetIds",
            "Subnets that get a network interface, one per zone (interface endpoints).",
        ),
        Attr::chosen_by_aws(
            "security_groups",
            Type::Set(&Type::Ref(Kind::SecurityGroup)),
            "SecurityGroupIds",
            "Security groups of the interfaces (interface endpoints); left out, the VPC's default group.",
        ),
        Attr::chosen_by_aws(
            "private_dns",
            Type::Bool,
            "PrivateDnsEnabled",
            "Answer the service's own DNS name with the endpoint's addresses (interface endpoints; AWS turns it on when left out). Needs the VPC's `dns_hostnames` and `dns_support`.",
        ),
        Attr::chosen_by_aws(
            "policy",
            Type::Document,
            "PolicyDocument",
            "Who may reach what through the endpoint (an IAM policy document with principals and resources, e.g. only ECR's image layer bucket `arn:aws:s3:::prod-REGION-starport-layer-bucket/*`). Left out, AWS's full-access policy; as Terraform's `policy`, removing it later keeps the one AWS holds.",
        ),
        TAGS,
        ID,
    ],
    blocks: &[],
};

const ECR_REPOSITORY: KindSchema = KindSchema {
    kind: Kind::EcrRepository,
    spelling: Spelling::Plain,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "ECR CreateRepository",
    doc: "A private ECR repository for the stack's images; a task definition names one with `\"${ecr_repository.NAME.url}:TAG\"`.",
    attrs: &[
        Attr::default(
            "scan_on_push",
            Type::Bool,
            Literal::Bool(false),
            "imageScanningConfiguration.scanOnPush",
            "Scan each image for vulnerabilities when it is pushed.",
        ),
        Attr::default(
            "tag_mutability",
            Type::String,
            Literal::Str("MUTABLE"),
            "imageTagMutability",
            "`MUTABLE`, or `IMMUTABLE` so that a tag, once pushed, always names the same image.",
        )
        .folded(Case::Upper),
        Attr::default(
            "encryption",
            Type::String,
            Literal::Str("AES256"),
            "encryptionConfiguration.encryptionType",
            "`AES256` or `KMS`.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::chosen_by_aws(
            "kms_key",
            Type::String,
            "encryptionConfiguration.kmsKey",
            "KMS key ARN for `encryption = \"KMS\"`; AWS's managed key when left out.",
        )
        .replaces(),
        Attr::default(
            "force_delete",
            Type::Bool,
            Literal::Bool(false),
            "berth:force_delete tag",
            "Delete the repository with the images it still holds (DeleteRepository `force`), as Terraform's `force_delete`; otherwise ECR refuses to delete a repository with images (`RepositoryNotEmptyException`) and `berth destroy` stops there.",
        ),
        Attr::optional(
            "policy",
            Type::Document,
            "repositoryPolicyText",
            "Who else may pull or push (Terraform's `aws_ecr_repository_policy`): an IAM policy document whose statements name principals, e.g. another account's root for `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer`. Removed in place (DeleteRepositoryPolicy).",
        ),
        TAGS,
        ARN,
        Attr::computed(
            "url",
            Type::String,
            "repositoryUri",
            "`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`, what images are pushed to.",
        ),
        Attr::computed(
            "registry_id",
            Type::String,
            "registryId",
            "The account id of the registry.",
        ),
        NAME,
    ],
    blocks: &[block(
        "lifecycle_rule",
        &[
            Attr::required(
                "priority",
                Type::Int,
                "rulePriority",
                "Rules apply from the lowest priority; unique in the repository (from 1; ECR documents no upper bound, and stacks Terraform applied use 1000).",
            )
            .range(1, i32::MAX as i64),
            Attr::optional(
                "description",
                Type::String,
                "description",
                "What the rule is for.",
            ),
            Attr::default(
                "tag_status",
                Type::String,
                Literal::Str("any"),
                "selection.tagStatus",
                "`tagged`, `untagged` or `any`.",
            )
            .folded(Case::Lower),
            Attr::default(
                "tag_prefixes",
                Type::List(&Type::String),
                Literal::EmptyList,
                "selection.tagPrefixList",
                "With `tag_status = \"tagged\"`: images with a tag starting with one of these.",
            ),
            Attr::required(
                "count_type",
                Type::String,
                "selection.countType",
                "`imageCountMoreThan` (keep the newest `count`) or `sinceImagePushed` (expire after `count` days).",
            ),
            Attr::required(
                "count",
                Type::Int,
                "selection.countNumber",
                "The count or number of days.",
            )
            .range(1, 2_147_483_647),
        ],
        "lifecyclePolicy.rules",
        "A lifecycle rule: images it selects expire. berth writes the lifecycle policy document from these blocks (PutLifecyclePolicy).",
    )],
};

const DNS_NAMESPACE: KindSchema = KindSchema {
    kind: Kind::DnsNamespace,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "Cloud Map CreatePrivateDnsNamespace / CreateHttpNamespace",
    doc: "A Cloud Map namespace: private DNS (Terraform's `aws_service_discovery_private_dns_namespace`), a private hosted zone in a VPC in which each `discovery_service` is a name, e.g. `api.internal.local`; or, with `type = \"HTTP\"` and no `vpc`, an HTTP namespace (Terraform's `aws_service_discovery_http_namespace`), found through Cloud Map's API only, as ECS Service Connect finds services.",
    attrs: &[
        Attr::required(
            "name",
            Type::String,
            "Name",
            "The domain, e.g. `internal.local`; services are found as `SERVICE.NAME`. An HTTP namespace's name need not be a domain.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::optional(
            "type",
            Type::String,
            "Type",
            "`DNS_PRIVATE` (left out) or `HTTP`.",
        )
        .folded(Case::Upper)
        .unset_when(Literal::Str("DNS_PRIVATE"))
        .replaces(),
        Attr::optional(
            "vpc",
            Type::Ref(Kind::Vpc),
            "Vpc",
            "The VPC whose resolver answers for the namespace: required for a private DNS namespace, none for an HTTP one.",
        )
        .replaces(),
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What the namespace is for.",
        )
        .replaces(),
        TAGS,
        Attr::computed("id", Type::String, "Id", "The namespace id (`ns-...`)."),
        ARN,
        Attr::computed(
            "hosted_zone",
            Type::String,
            "Properties.DnsProperties.HostedZoneId",
            "The Route 53 private hosted zone Cloud Map made (none for an HTTP namespace).",
        ),
    ],
    blocks: &[],
};

const DISCOVERY_SERVICE: KindSchema = KindSchema {
    kind: Kind::DiscoveryService,
    spelling: Spelling::DiscoveryService,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "Cloud Map CreateService",
    doc: "A Cloud Map service (Terraform's `aws_service_discovery_service`): a DNS name in a `dns_namespace` under which ECS registers the tasks of each `service` whose `service_registry` names it.",
    attrs: &[
        Attr::required(
            "namespace",
            Type::Ref(Kind::DnsNamespace),
            "NamespaceId",
            "The namespace it is a name in.",
        )
        .replaces(),
        Attr::required(
            "name",
            Type::String,
            "Name",
            "The DNS label: tasks are found at `NAME.NAMESPACE`.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What the service is for.",
        )
        .replaces(),
        Attr::default(
            "dns_ttl",
            Type::Int,
            Literal::Int(10),
            "DnsConfig.DnsRecords[].TTL",
            "Seconds resolvers cache the records (Terraform's `dns_records { ttl }`).",
        )
        .range(0, 2_147_483_647),
        Attr::default(
            "dns_type",
            Type::String,
            Literal::Str("A"),
            "DnsConfig.DnsRecords[].Type",
            "`A` (a task's IP address; what `awsvpc` tasks register), `AAAA`, or `SRV` (address and port: the `service_registry` then names a container and port).",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "routing_policy",
            Type::String,
            Literal::Str("MULTIVALUE"),
            "DnsConfig.RoutingPolicy",
            "`MULTIVALUE` (up to eight healthy records) or `WEIGHTED` (one at random).",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::optional(
            "health_check_failure_threshold",
            Type::Int,
            "HealthCheckCustomConfig.FailureThreshold",
            "Turns on custom health checks, which ECS reports from its own task health (Terraform's `health_check_custom_config { failure_threshold }`). AWS deprecated the number: it takes 1 to 10 and stores 1 whatever it is sent, so every value plans as `1` and a Terraform `failure_threshold = 3` re-plans clean.",
        )
        .replaces()
        .range(1, 10),
        TAGS,
        Attr::computed("id", Type::String, "Id", "The service id (`srv-...`)."),
        ARN,
    ],
    blocks: &[],
};

const HOSTED_ZONE: KindSchema = KindSchema {
    kind: Kind::HostedZone,
    spelling: Spelling::DnsName,
    identity: "id",
    // Route 53 holds any number of zones of one name: the successor is made
    // first, the records move to it, then the old zone goes.
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "Route 53 CreateHostedZone",
    doc: "A Route 53 hosted zone (Terraform's `aws_route53_zone`): public, or private to the `vpcs` given. Its `dns_record`s are the stack's with it.",
    attrs: &[
        Attr::required(
            "name",
            Type::String,
            "Name",
            "The domain, e.g. `example.com`; a trailing dot (`example.com.`, as Route 53 answers it) is the same name.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::optional(
            "comment",
            Type::String,
            "HostedZoneConfig.Comment",
            "What the zone is for.",
        ),
        Attr::optional(
            "vpcs",
            Type::Set(&Type::Ref(Kind::Vpc)),
            "VPC",
            "Makes the zone private, answered only inside these VPCs (in the stack's region). VPCs are associated and disassociated in place; but a zone is public or private for life: making a public zone private, or the reverse, replaces it.",
        ),
        Attr::default(
            "force_destroy",
            Type::Bool,
            Literal::Bool(false),
            "berth:force_destroy tag",
            "Delete the zone's records (all but its own NS and SOA) before the zone, as Terraform's `force_destroy`; otherwise deleting a zone that still holds records fails with Route 53's `HostedZoneNotEmpty`.",
        ),
        TAGS,
        Attr::computed(
            "id",
            Type::String,
            "Id",
            "The zone id (`Z...`, without Route 53's `/hostedzone/` prefix).",
        ),
        Attr::computed(
            "name_servers",
            Type::List(&Type::String),
            "DelegationSet.NameServers",
            "The name servers to delegate the domain to (a public zone's; none for a private zone).",
        ),
    ],
    blocks: &[],
};

const DNS_RECORD: KindSchema = KindSchema {
    kind: Kind::DnsRecord,
    spelling: Spelling::DnsName,
    identity: "id",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "Route 53 ChangeResourceRecordSets",
    doc: "A Route 53 record set (Terraform's `aws_route53_record`): `records` with a `ttl`, or an `alias` to a load balancer. Route 53 records take no tags: berth marks each with a TXT record of its own (`_berth-TYPE.NAME`) made and deleted in the same change.",
    attrs: &[
        Attr::required(
            "zone",
            Type::Ref(Kind::HostedZone),
            "HostedZoneId",
            "The `hosted_zone`, or the id (`Z...`) of a zone berth does not own, such as the private zone a `dns_namespace` comes with (`dns_namespace.NAME.hosted_zone`: the record is made after the namespace and deleted before it).",
        )
        .replaces(),
        Attr::required(
            "name",
            Type::String,
            "Name",
            "The fully qualified name, in the zone (`www.example.com`, or the zone's own name for its apex); a trailing dot is the same name.",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::required(
            "type",
            Type::String,
            "Type",
            "`A`, `AAAA`, `CAA`, `CNAME`, `MX`, `NAPTR`, `PTR`, `SPF`, `SRV` or `TXT`.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::optional(
            "ttl",
            Type::Int,
            "TTL",
            "Seconds resolvers cache the records; required with `records`, not allowed with `alias`.",
        )
        .range(0, 2_147_483_647),
        Attr::optional(
            "records",
            Type::Set(&Type::String),
            "ResourceRecords",
            "The values. A `TXT` or `SPF` value written bare (`v=spf1 -all`) is sent in double quotes, split into strings of 255 characters, as Route 53 takes it.",
        ),
        Attr::computed(
            "id",
            Type::String,
            "-",
            "`ZONE_NAME_TYPE`, as Terraform names a record.",
        ),
    ],
    blocks: &[Block {
        max: Some(1),
        ..block(
            "alias",
            &[
                Attr::optional(
                    "target",
                    Type::Ref(Kind::LoadBalancer),
                    "AliasTarget",
                    "The `load_balancer`: berth sends its DNS name and canonical hosted zone id.",
                ),
                Attr::optional(
                    "name",
                    Type::String,
                    "AliasTarget.DNSName",
                    "The DNS name of a target berth does not own (with `zone_id`).",
                )
                .folded(Case::Lower),
                Attr::optional(
                    "zone_id",
                    Type::String,
                    "AliasTarget.HostedZoneId",
                    "That target's hosted zone id.",
                ),
                Attr::default(
                    "evaluate_health",
                    Type::Bool,
                    Literal::Bool(false),
                    "AliasTarget.EvaluateTargetHealth",
                    "Answer only while the target is healthy.",
                ),
            ],
            "AliasTarget",
            "Answers with the target's addresses (Route 53's alias record): `target = load_balancer.NAME`, or `name` and `zone_id`.",
        )
    }],
};

const SSM_PARAMETER: KindSchema = KindSchema {
    kind: Kind::SsmParameter,
    spelling: Spelling::Plain,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "SSM PutParameter",
    doc: "A Systems Manager Parameter Store parameter (Terraform's `aws_ssm_parameter`): configuration or a secret a task reads through its container's `secrets = { NAME = ssm_parameter.NAME.arn }`. Its value is never shown, whatever its type.",
    attrs: &[
        Attr::default(
            "type",
            Type::String,
            Literal::Str("String"),
            "Type",
            "`String`, `StringList` (comma-separated values) or `SecureString` (encrypted with KMS).",
        ),
        Attr::required(
            "value",
            Type::String,
            "Value",
            "The value (at most 4 KB, 8 KB in the `Advanced` tier); masked like Terraform's `value`, whatever the type.",
        )
        .sensitive(),
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What the parameter holds.",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "tier",
            Type::String,
            Literal::Str("Standard"),
            "Tier",
            "`Standard` or `Advanced` (larger values, at a cost). AWS cannot move an advanced parameter back, so a change replaces.",
        )
        .replaces(),
        Attr::chosen_by_aws(
            "kms_key",
            Type::String,
            "KeyId",
            "For a `SecureString`: the KMS key (id, ARN or `alias/...`) that encrypts it; AWS's `alias/aws/ssm` when left out.",
        ),
        Attr::optional(
            "allowed_pattern",
            Type::String,
            "AllowedPattern",
            "A regular expression every value must match (`^\\d+$`).",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "data_type",
            Type::String,
            Literal::Str("text"),
            "DataType",
            "`text`, `aws:ec2:image` (an AMI id, checked by AWS) or `aws:ssm:integration`.",
        )
        .replaces(),
        TAGS,
        ARN,
        Attr::named(
            "name",
            "Name",
            "The parameter's name, a path such as `/blog/prod/db_url` (kept exactly; a change replaces). Left out, berth names it `/{stack}/{name}`.",
        ),
    ],
    blocks: &[],
};

const METRIC_ALARM: KindSchema = KindSchema {
    kind: Kind::MetricAlarm,
    spelling: Spelling::MetricAlarm,
    identity: "name",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "CloudWatch PutMetricAlarm",
    doc: "A CloudWatch alarm on one metric (Terraform's `aws_cloudwatch_metric_alarm`, CloudFormation's `AWS::CloudWatch::Alarm`): it triggers a service's step-scaling policy (a `scaling_policy` block), notifies (`alarm_actions`), or fails a deployment (the service's `alarms { alarm_names = [metric_alarm.NAME.name] }`).",
    attrs: &[
        Attr::required(
            "metric_name",
            Type::String,
            "MetricName",
            "The metric, e.g. `CPUUtilization`.",
        ),
        Attr::required(
            "namespace",
            Type::String,
            "Namespace",
            "The metric's namespace, e.g. `AWS/ECS`, `AWS/ApplicationELB`.",
        ),
        Attr::default(
            "dimensions",
            Type::Map(&Type::String),
            Literal::EmptyMap,
            "Dimensions",
            "The metric's dimensions, e.g. `{ ClusterName = cluster.main.name, ServiceName = service.web.name }` (at most 30). A load balancer or target group is named by its ARN (`LoadBalancer = load_balancer.web.arn`): berth sends the suffix CloudWatch names it by (Terraform's `arn_suffix`).",
        ),
        Attr::optional(
            "statistic",
            Type::String,
            "Statistic",
            "`SampleCount`, `Average`, `Sum`, `Minimum` or `Maximum`; or `extended_statistic`.",
        ),
        Attr::optional(
            "extended_statistic",
            Type::String,
            "ExtendedStatistic",
            "A percentile or trimmed statistic instead of `statistic`: `p99`, `p99.9`, `tm90`, ...",
        ),
        Attr::optional(
            "unit",
            Type::String,
            "Unit",
            "The metric's unit (`Percent`, `Seconds`, `Count`, ...); left out, any.",
        ),
        Attr::required(
            "period",
            Type::Int,
            "Period",
            "Seconds over which the statistic is taken: 10, 20, 30 or a multiple of 60.",
        )
        .range(1, 604_800),
        Attr::required(
            "evaluation_periods",
            Type::Int,
            "EvaluationPeriods",
            "Most recent periods compared with the threshold.",
        )
        .range(1, 100_000),
        Attr::optional(
            "datapoints_to_alarm",
            Type::Int,
            "DatapointsToAlarm",
            "Of those, how many must breach (\"M out of N\"); left out, all of them.",
        )
        .range(1, 100_000),
        Attr::required(
            "threshold",
            Type::Number,
            "Threshold",
            "The value the statistic is compared with.",
        ),
        Attr::required(
            "comparison_operator",
            Type::String,
            "ComparisonOperator",
            "`GreaterThanOrEqualToThreshold`, `GreaterThanThreshold`, `LessThanThreshold` or `LessThanOrEqualToThreshold`.",
        ),
        Attr::default(
            "treat_missing_data",
            Type::String,
            Literal::Str("missing"),
            "TreatMissingData",
            "`missing`, `ignore`, `breaching` or `notBreaching`.",
        ),
        Attr::optional(
            "description",
            Type::String,
            "AlarmDescription",
            "What the alarm watches (Terraform's `alarm_description`).",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "actions_enabled",
            Type::Bool,
            Literal::Bool(true),
            "ActionsEnabled",
            "Whether state changes run the actions.",
        ),
        Attr::default(
            "alarm_actions",
            Type::Set(&Type::String),
            Literal::EmptyList,
            "AlarmActions",
            "ARNs run when the alarm goes off (SNS topics, ...); a service's scaling policy is a `scaling_policy` block.",
        ),
        Attr::default(
            "ok_actions",
            Type::Set(&Type::String),
            Literal::EmptyList,
            "OKActions",
            "ARNs run when it returns to OK.",
        ),
        Attr::default(
            "insufficient_data_actions",
            Type::Set(&Type::String),
            Literal::EmptyList,
            "InsufficientDataActions",
            "ARNs run when data is missing.",
        ),
        TAGS,
        ARN,
        Attr::named(
            "name",
            "AlarmName",
            "The alarm's name (Terraform's `alarm_name`; kept exactly, a change replaces). Left out, berth names it `{stack}-{name}`.",
        ),
    ],
    blocks: &[block(
        "scaling_policy",
        &[
            Attr::required(
                "service",
                Type::Ref(Kind::Service),
                "-",
                "The `service` whose policy it is.",
            ),
            Attr::required(
                "policy",
                Type::String,
                "-",
                "The label of one of its `autoscaling { step_scaling NAME { } }` blocks.",
            ),
        ],
        "AlarmActions",
        "A service's step-scaling policy the alarm triggers when it goes off (Terraform's `alarm_actions = [aws_appautoscaling_policy.NAME.arn]`): berth sends the policy's ARN.",
    )],
};

const SECRET: KindSchema = KindSchema {
    kind: Kind::Secret,
    spelling: Spelling::Plain,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "Secrets Manager CreateSecret",
    doc: "A Secrets Manager secret (Terraform's `aws_secretsmanager_secret` with its `aws_secretsmanager_secret_version`, CloudFormation's `AWS::SecretsManager::Secret`): a task reads it through its container's `secrets = { NAME = secret.NAME.arn }` (or `\"${secret.NAME.arn}:KEY::\"` for one key of a JSON value). Its value is never shown.",
    attrs: &[
        Attr::chosen_by_aws(
            "value",
            Type::String,
            "SecretString",
            "The value (at most 65,536 bytes; Terraform's `secret_string`), masked like every secret. Left out, berth leaves the value to whoever puts it (a rotation, the console) and never reads it into a plan.",
        )
        .sensitive(),
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What the secret holds.",
        )
        .unset_when(Literal::Str("")),
        Attr::chosen_by_aws(
            "kms_key",
            Type::String,
            "KmsKeyId",
            "The KMS key (id, ARN or `alias/...`) that encrypts it; AWS's `aws/secretsmanager` when left out.",
        ),
        Attr::default(
            "recovery_window_days",
            Type::Int,
            Literal::Int(30),
            "DeleteSecret.RecoveryWindowInDays",
            "Days Secrets Manager keeps a deleted secret, restorable, before it is gone: 7 to 30, or 0 to delete at once (Terraform's `recovery_window_in_days`). Kept in the tag `berth:recovery_window`.",
        )
        .range(0, 30),
        TAGS,
        ARN,
        Attr::named(
            "name",
            "Name",
            "The secret's name (kept exactly; a change replaces). Left out, berth names it `{stack}/{name}`.",
        ),
        // A deleted secret's name stays taken for its recovery window:
        // modules draw theirs (medusajs's five secrets).
        NAME_PREFIX,
    ],
    blocks: &[],
};

const CERTIFICATE: KindSchema = KindSchema {
    kind: Kind::Certificate,
    spelling: Spelling::Certificate,
    identity: "arn",
    // ACM holds any number of certificates of one domain: the successor is
    // issued first, listeners move to it, then the old one goes.
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "ACM RequestCertificate",
    doc: "A public ACM certificate validated by DNS (Terraform's `aws_acm_certificate` with its `aws_acm_certificate_validation`, CloudFormation's `AWS::CertificateManager::Certificate`): for HTTPS and TLS listeners' `certificate`. With a `validation_zone`, berth writes ACM's validation records in that Route 53 zone and waits until the certificate is issued before anything that uses it is made, as CloudFormation does; without one, the records (`validation_records`) are left to whoever keeps the domain's DNS.",
    attrs: &[
        Attr::required(
            "domain_name",
            Type::String,
            "DomainName",
            "The fully qualified domain name, e.g. `example.com` or `*.example.com` (a wildcard covers one level).",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::default(
            "subject_alternative_names",
            Type::Set(&Type::String),
            Literal::EmptyList,
            "SubjectAlternativeNames",
            "More names the certificate covers (ACM's quota is 10 per certificate unless raised, at most 100); `domain_name` among them is the same as left out, as ACM lists it there.",
        )
        .replaces(),
        Attr::default(
            "validation_method",
            Type::String,
            Literal::Str("DNS"),
            "ValidationMethod",
            "`DNS`, the only method berth writes: ACM renews a DNS-validated certificate by itself while the records stay.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::optional(
            "validation_zone",
            Type::Ref(Kind::HostedZone),
            "ChangeResourceRecordSets",
            "The public Route 53 zone (a `hosted_zone`, or a zone id) berth writes the validation records in (CloudFormation's `DomainValidationOptions.HostedZoneId`): every name must be in it. The certificate's create then waits until ACM issues it (at most 45 minutes); a certificate still pending is validated by the next apply. Kept in the tag `berth:validation_zone`.",
        ),
        Attr::default(
            "key_algorithm",
            Type::String,
            Literal::Str("RSA_2048"),
            "KeyAlgorithm",
            "`RSA_2048`, `EC_prime256v1` or `EC_secp384r1`.",
        )
        .replaces(),
        TAGS,
        ARN,
        Attr::computed(
            "validation_records",
            Type::List(&Type::Map(&Type::String)),
            "DomainValidationOptions.ResourceRecord",
            "The CNAME records ACM validates the names by, each a map of `name`, `type` and `value` (Terraform's `domain_validation_options`): what to write in a DNS that is not Route 53's.",
        ),
    ],
    blocks: &[],
};

const KMS_KEY: KindSchema = KindSchema {
    kind: Kind::KmsKey,
    spelling: Spelling::Plain,
    identity: "arn",
    // A key has no name: the successor is made first, takes over the
    // aliases (UpdateAlias) and what names the key, then the old one is
    // scheduled for deletion.
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "KMS CreateKey",
    doc: "A customer managed KMS key (Terraform's `aws_kms_key` with its `aws_kms_alias`es, CloudFormation's `AWS::KMS::Key` and `AWS::KMS::Alias`): what a log group, secret, SSM parameter, repository or ECS Exec session is encrypted with (`kms_key = kms_key.NAME`, its ARN). Destroyed, it is scheduled for deletion after `deletion_window_days`; applied again at the same address within that window, berth restores it (CancelKeyDeletion) rather than make a new key, so what it encrypted stays readable.",
    attrs: &[
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What the key is for.",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "usage",
            Type::String,
            Literal::Str("ENCRYPT_DECRYPT"),
            "KeyUsage",
            "`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC` or `KEY_AGREEMENT`, as `spec` allows (Terraform's `key_usage`).",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "spec",
            Type::String,
            Literal::Str("SYMMETRIC_DEFAULT"),
            "KeySpec",
            "`SYMMETRIC_DEFAULT` (AES-256, for encryption), `RSA_2048`, `RSA_3072`, `RSA_4096`, `ECC_NIST_P256`, `ECC_NIST_P384`, `ECC_NIST_P521`, `ECC_SECG_P256K1` or `HMAC_224` to `HMAC_512` (Terraform's `customer_master_key_spec`, CloudFormation's `KeySpec`).",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "multi_region",
            Type::Bool,
            Literal::Bool(false),
            "MultiRegion",
            "A multi-Region primary key, which replicas in other Regions may share.",
        )
        .replaces(),
        Attr::default(
            "enabled",
            Type::Bool,
            Literal::Bool(true),
            "EnableKey / DisableKey",
            "Whether the key may be used (Terraform's `is_enabled`).",
        ),
        Attr::default(
            "rotation",
            Type::Bool,
            Literal::Bool(false),
            "EnableKeyRotation",
            "Rotate the key material every year (Terraform's `enable_key_rotation`); symmetric encryption keys only.",
        ),
        Attr::default(
            "deletion_window_days",
            Type::Int,
            Literal::Int(30),
            "ScheduleKeyDeletion.PendingWindowInDays",
            "Days KMS waits, the key restorable, before deleting it once destroyed: 7 to 30 (Terraform's `deletion_window_in_days`). Kept in the tag `berth:deletion_window`.",
        )
        .range(7, 30),
        Attr::chosen_by_aws(
            "policy",
            Type::Document,
            "Policy",
            "The key policy: who may use and manage the key. Left out, KMS's default policy (the account's root may do everything, so IAM policies grant use); a log group's key must let `logs.REGION.amazonaws.com` use it. Removed later, the key keeps the policy it has.",
        ),
        Attr::default(
            "aliases",
            Type::Set(&Type::String),
            Literal::EmptyList,
            "CreateAlias",
            "Names for the key, each `alias/...` (Terraform's `aws_kms_alias` blocks naming the key are folded here): letters, digits and `/_-`, at most 256 characters, not under `alias/aws/`. An alias another key holds is refused, unless that key is berth's at this address (a replacement, or a key being restored).",
        ),
        TAGS,
        ARN,
        Attr::computed(
            "key_id",
            Type::String,
            "KeyId",
            "The key's id (a UUID; Terraform's `key_id` and `id`).",
        ),
    ],
    blocks: &[],
};

const FLOW_LOG: KindSchema = KindSchema {
    kind: Kind::FlowLog,
    spelling: Spelling::Plain,
    identity: "id",
    // EC2 refuses a second flow log of one resource to one destination:
    // the old one goes first, unless the successor logs another resource
    // or to another destination (`KindSchema::replace_order`), then it is
    // made first so that no traffic goes unlogged.
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "EC2 CreateFlowLogs",
    doc: "A VPC flow log (Terraform's `aws_flow_log`, CloudFormation's `AWS::EC2::FlowLog`): the IP traffic of a VPC or a subnet, to a CloudWatch Logs log group (with a role that lets VPC Flow Logs write there) or an S3 bucket. Only its tags change in place.",
    attrs: &[
        Attr::optional(
            "vpc",
            Type::Ref(Kind::Vpc),
            "ResourceIds (ResourceType VPC)",
            "The VPC whose traffic is logged (or `subnet`).",
        )
        .replaces(),
        Attr::optional(
            "subnet",
            Type::Ref(Kind::Subnet),
            "ResourceIds (ResourceType Subnet)",
            "The subnet whose traffic is logged (or `vpc`).",
        )
        .replaces(),
        Attr::default(
            "traffic_type",
            Type::String,
            Literal::Str("ALL"),
            "TrafficType",
            "`ALL`, `ACCEPT` or `REJECT`.",
        )
        .folded(Case::Upper)
        .replaces(),
        Attr::default(
            "destination_type",
            Type::String,
            Literal::Str("cloud-watch-logs"),
            "LogDestinationType",
            "`cloud-watch-logs` or `s3` (Terraform's `log_destination_type`).",
        )
        .folded(Case::Lower)
        .replaces(),
        Attr::chosen_by_aws(
            "log_group",
            Type::Ref(Kind::LogGroup),
            "LogGroupName",
            "The log group written to (Terraform's `log_group_name`), or give its ARN as `destination`.",
        )
        .replaces(),
        Attr::chosen_by_aws(
            "destination",
            Type::String,
            "LogDestination",
            "The ARN written to: a log group's (`log_group.NAME.arn`) or an S3 bucket's, with an optional folder (`arn:aws:s3:::BUCKET/PREFIX`) (Terraform's `log_destination`).",
        )
        .replaces(),
        Attr::optional(
            "iam_role",
            Type::Ref(Kind::Role),
            "DeliverLogsPermissionArn",
            "The role VPC Flow Logs assumes (`vpc-flow-logs.amazonaws.com`) to write to a log group; none for S3 (Terraform's `iam_role_arn`).",
        )
        .replaces(),
        Attr::default(
            "max_aggregation_interval",
            Type::Int,
            Literal::Int(600),
            "MaxAggregationInterval",
            "Seconds over which a flow is aggregated into one record: 60 or 600.",
        )
        .replaces(),
        Attr::chosen_by_aws(
            "log_format",
            Type::String,
            "LogFormat",
            "The fields of a record, `${version} ${account-id} ...`; AWS's default format when left out.",
        )
        .replaces(),
        TAGS,
        ID,
    ],
    blocks: &[],
};

const SNS_TOPIC: KindSchema = KindSchema {
    kind: Kind::SnsTopic,
    spelling: Spelling::Plain,
    identity: "arn",
    replace: ReplaceOrder::DestroyBeforeCreate,
    aws: "SNS CreateTopic",
    doc: "An SNS topic and its subscriptions (Terraform's `aws_sns_topic` with its `aws_sns_topic_subscription`s and `aws_sns_topic_policy`, CloudFormation's `AWS::SNS::Topic`): where alarms send what they see (`alarm_actions = [sns_topic.NAME.arn]`), and who hears it.",
    attrs: &[
        Attr::optional(
            "display_name",
            Type::String,
            "DisplayName",
            "The name shown as an email's sender or an SMS's prefix.",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "fifo",
            Type::Bool,
            Literal::Bool(false),
            "FifoTopic",
            "A FIFO topic (Terraform's `fifo_topic`): ordered, deduplicated, to SQS queues only; its name ends in `.fifo`.",
        )
        .replaces(),
        Attr::default(
            "content_based_deduplication",
            Type::Bool,
            Literal::Bool(false),
            "ContentBasedDeduplication",
            "A FIFO topic's deduplication by a hash of the message.",
        ),
        Attr::optional(
            "kms_key",
            Type::String,
            "KmsMasterKeyId",
            "The KMS key (`kms_key.NAME`, an id, ARN or `alias/...`) that encrypts messages at rest (Terraform's `kms_master_key_id`); none when left out.",
        )
        .unset_when(Literal::Str("")),
        Attr::chosen_by_aws(
            "policy",
            Type::Document,
            "Policy",
            "Who may publish and subscribe: an IAM policy document (Terraform's `aws_sns_topic_policy`), e.g. letting `cloudwatch.amazonaws.com` or `events.amazonaws.com` publish. Left out, SNS's default (the account's owner). Removed later, the topic keeps the one it has.",
        ),
        TAGS,
        ARN,
        Attr::named(
            "name",
            "Name",
            "The topic's name (kept exactly; a change replaces). Left out, berth names it `{stack}-{name}`, with `.fifo` for a FIFO topic.",
        ),
    ],
    blocks: &[block(
        "subscription",
        &[
            Attr::required(
                "protocol",
                Type::String,
                "Subscribe.Protocol",
                "`email`, `email-json`, `http`, `https`, `sqs`, `lambda`, `sms`, `firehose` or `application`.",
            )
            .folded(Case::Lower),
            Attr::required(
                "endpoint",
                Type::String,
                "Subscribe.Endpoint",
                "Who hears it: an address, a URL, a queue's or function's ARN, a phone number. An email or HTTP subscription waits for its owner's confirmation; until then SNS holds it as pending and cannot delete it (it lapses after three days).",
            ),
            Attr::default(
                "raw_message_delivery",
                Type::Bool,
                Literal::Bool(false),
                "RawMessageDelivery",
                "Deliver the message alone, without SNS's JSON envelope (SQS, HTTP, Firehose).",
            ),
            Attr::optional(
                "filter_policy",
                Type::String,
                "FilterPolicy",
                "The messages it receives: a filter policy as JSON (`jsonencode({ severity = [\"critical\"] })`); all when left out.",
            ),
            Attr::optional(
                "subscription_role",
                Type::Ref(Kind::Role),
                "SubscriptionRoleArn",
                "The role SNS assumes to write to a Firehose stream (Terraform's `subscription_role_arn`).",
            ),
        ],
        "Subscribe",
        "One subscription of the topic (Terraform's `aws_sns_topic_subscription` blocks naming the topic are folded here).",
    )],
};

/// The most days an S3 lifecycle rule counts (its fields are 32-bit).
const DAYS_MAX: i64 = i32::MAX as i64;

const S3_BUCKET: KindSchema = KindSchema {
    kind: Kind::S3Bucket,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "S3 CreateBucket",
    doc: "An S3 bucket (Terraform's `aws_s3_bucket` with its `aws_s3_bucket_versioning`, `aws_s3_bucket_server_side_encryption_configuration`, `aws_s3_bucket_public_access_block`, `aws_s3_bucket_ownership_controls`, `aws_s3_bucket_policy` and `aws_s3_bucket_lifecycle_configuration`, CloudFormation's `AWS::S3::Bucket` and `AWS::S3::BucketPolicy`): where a load balancer writes its access logs (`access_logs_bucket = s3_bucket.NAME`), a task reads its files from. A bare reference is its name (Terraform's `id`). Destroyed, it must be empty unless `force_destroy`.",
    attrs: &[
        Attr::default(
            "force_destroy",
            Type::Bool,
            Literal::Bool(false),
            "DeleteObjects",
            "`true`: a destroy deletes every object (every version) first, as Terraform's `force_destroy`; otherwise S3 refuses to delete a bucket that holds objects (BucketNotEmpty). Kept in the tag `berth:force_destroy`.",
        ),
        Attr::default(
            "versioning",
            Type::String,
            Literal::Str("Disabled"),
            "PutBucketVersioning.Status",
            "`Enabled`, `Suspended` or `Disabled` (Terraform's `versioning_configuration { status }`). S3 cannot turn versioning off once it was on: `Suspended` then.",
        ),
        Attr::default(
            "encryption",
            Type::String,
            Literal::Str("AES256"),
            "PutBucketEncryption.SSEAlgorithm",
            "How objects are encrypted at rest: `AES256` (S3's keys, S3's default), `aws:kms` or `aws:kms:dsse` (Terraform's `sse_algorithm`).",
        ),
        Attr::optional(
            "kms_key",
            Type::String,
            "PutBucketEncryption.KMSMasterKeyID",
            "The KMS key (`kms_key.NAME`, an id, ARN or `alias/...`) of `aws:kms` encryption (Terraform's `kms_master_key_id`); S3's AWS managed key `aws/s3` when left out.",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "bucket_key",
            Type::Bool,
            Literal::Bool(false),
            "PutBucketEncryption.BucketKeyEnabled",
            "An S3 Bucket Key for `aws:kms` encryption, fewer calls to KMS (Terraform's `bucket_key_enabled`).",
        ),
        Attr::default(
            "block_public_acls",
            Type::Bool,
            Literal::Bool(true),
            "PutPublicAccessBlock.BlockPublicAcls",
            "Refuse public ACLs (Terraform's `aws_s3_bucket_public_access_block`); S3's default for a new bucket.",
        ),
        Attr::default(
            "block_public_policy",
            Type::Bool,
            Literal::Bool(true),
            "PutPublicAccessBlock.BlockPublicPolicy",
            "Refuse a bucket policy that grants public access.",
        ),
        Attr::default(
            "ignore_public_acls",
            Type::Bool,
            Literal::Bool(true),
            "PutPublicAccessBlock.IgnorePublicAcls",
            "Ignore public ACLs on the bucket and its objects.",
        ),
        Attr::default(
            "restrict_public_buckets",
            Type::Bool,
            Literal::Bool(true),
            "PutPublicAccessBlock.RestrictPublicBuckets",
            "Only AWS services and the account may use a bucket whose policy is public.",
        ),
        Attr::default(
            "object_ownership",
            Type::String,
            Literal::Str("BucketOwnerEnforced"),
            "PutBucketOwnershipControls.ObjectOwnership",
            "`BucketOwnerEnforced` (ACLs off, S3's default), `BucketOwnerPreferred` or `ObjectWriter` (Terraform's `aws_s3_bucket_ownership_controls`).",
        ),
        Attr::optional(
            "policy",
            Type::Document,
            "PutBucketPolicy",
            "Who may do what with the bucket: an IAM policy document (Terraform's `aws_s3_bucket_policy`), which may name the bucket's own `arn`. None when left out.",
        ),
        TAGS,
        Attr::computed("id", Type::String, "Bucket", "The bucket's name (Terraform's `id`)."),
        Attr::computed("arn", Type::String, "Arn", "The bucket's ARN, `arn:aws:s3:::NAME`."),
        Attr::computed(
            "domain_name",
            Type::String,
            "DomainName",
            "`NAME.s3.amazonaws.com` (Terraform's `bucket_domain_name`).",
        ),
        Attr::computed(
            "regional_domain_name",
            Type::String,
            "RegionalDomainName",
            "`NAME.s3.REGION.amazonaws.com` (Terraform's `bucket_regional_domain_name`).",
        ),
        Attr::named(
            "name",
            "Bucket",
            "The bucket's name, unique across AWS (Terraform's `bucket`; kept exactly; a change replaces). Left out, berth names it `{stack}-{name}` in lower case with 6 random hex digits.",
        ),
    ],
    blocks: &[Block {
        labelled: true,
        blocks: &[block(
            "transition",
            &[
                Attr::required(
                    "days",
                    Type::Int,
                    "Transition.Days",
                    "Days after an object's creation.",
                )
                .range(0, DAYS_MAX),
                Attr::required(
                    "storage_class",
                    Type::String,
                    "Transition.StorageClass",
                    "`STANDARD_IA`, `ONEZONE_IA`, `INTELLIGENT_TIERING`, `GLACIER_IR`, `GLACIER` or `DEEP_ARCHIVE`.",
                ),
            ],
            "Transition",
            "Moves objects to another storage class.",
        )],
        ..block(
            "lifecycle_rule",
            &[
                Attr::default(
                    "enabled",
                    Type::Bool,
                    Literal::Bool(true),
                    "Rule.Status",
                    "Whether the rule runs (Terraform's `status = \"Enabled\"`).",
                ),
                Attr::optional(
                    "prefix",
                    Type::String,
                    "Rule.Filter.Prefix",
                    "The objects it applies to, by key prefix (Terraform's `filter { prefix }`); every object when left out.",
                )
                .unset_when(Literal::Str("")),
                Attr::optional(
                    "expiration_days",
                    Type::Int,
                    "Rule.Expiration.Days",
                    "Delete objects this many days after their creation (Terraform's `expiration { days }`).",
                )
                .range(1, DAYS_MAX),
                Attr::optional(
                    "noncurrent_expiration_days",
                    Type::Int,
                    "Rule.NoncurrentVersionExpiration.NoncurrentDays",
                    "Delete an object's older versions this many days after they stop being current (Terraform's `noncurrent_version_expiration { noncurrent_days }`).",
                )
                .range(1, DAYS_MAX),
                Attr::optional(
                    "abort_incomplete_upload_days",
                    Type::Int,
                    "Rule.AbortIncompleteMultipartUpload.DaysAfterInitiation",
                    "Abort multipart uploads not finished this many days after they began (Terraform's `abort_incomplete_multipart_upload { days_after_initiation }`).",
                )
                .range(1, DAYS_MAX),
            ],
            "PutBucketLifecycleConfiguration",
            "A lifecycle rule, labelled by its id (Terraform's `rule { id }` of an `aws_s3_bucket_lifecycle_configuration`); the rules are written together, in place.",
        )
    }],
};

const SQS_QUEUE: KindSchema = KindSchema {
    kind: Kind::SqsQueue,
    spelling: Spelling::Plain,
    identity: "url",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "SQS CreateQueue",
    doc: "An SQS queue (Terraform's `aws_sqs_queue` with its `aws_sqs_queue_policy` and `aws_sqs_queue_redrive_policy`, CloudFormation's `AWS::SQS::Queue` and `AWS::SQS::QueuePolicy`): the work a worker service takes, or where a topic delivers (`endpoint = sqs_queue.NAME.arn`). A bare reference is its URL (Terraform's `id`), what a task reads in its environment.",
    attrs: &[
        Attr::default(
            "fifo",
            Type::Bool,
            Literal::Bool(false),
            "FifoQueue",
            "A FIFO queue (Terraform's `fifo_queue`): ordered and deduplicated; its name ends in `.fifo`.",
        )
        .replaces(),
        Attr::default(
            "content_based_deduplication",
            Type::Bool,
            Literal::Bool(false),
            "ContentBasedDeduplication",
            "A FIFO queue's deduplication by a hash of the message.",
        ),
        Attr::chosen_by_aws(
            "deduplication_scope",
            Type::String,
            "DeduplicationScope",
            "A FIFO queue's deduplication per `queue` (SQS's default) or per `messageGroup` (high throughput).",
        ),
        Attr::chosen_by_aws(
            "fifo_throughput_limit",
            Type::String,
            "FifoThroughputLimit",
            "A FIFO queue's throughput quota per `perQueue` (SQS's default) or per `perMessageGroupId` (high throughput, with `deduplication_scope = \"messageGroup\"`).",
        ),
        Attr::default(
            "visibility_timeout",
            Type::Int,
            Literal::Int(30),
            "VisibilityTimeout",
            "Seconds a received message stays hidden from other consumers (Terraform's `visibility_timeout_seconds`), 0 to 43,200.",
        )
        .range(0, 43_200),
        Attr::default(
            "message_retention",
            Type::Int,
            Literal::Int(345_600),
            "MessageRetentionPeriod",
            "Seconds SQS keeps a message (Terraform's `message_retention_seconds`), 60 to 1,209,600 (14 days); 4 days when left out.",
        )
        .range(60, 1_209_600),
        Attr::default(
            "max_message_size",
            Type::Int,
            Literal::Int(1_048_576),
            "MaximumMessageSize",
            "The largest message in bytes, 1,024 to 1,048,576 (1 MiB, SQS's default).",
        )
        .range(1_024, 1_048_576),
        Attr::default(
            "delay",
            Type::Int,
            Literal::Int(0),
            "DelaySeconds",
            "Seconds every message waits before it can be received (Terraform's `delay_seconds`), 0 to 900.",
        )
        .range(0, 900),
        Attr::default(
            "receive_wait_time",
            Type::Int,
            Literal::Int(0),
            "ReceiveMessageWaitTimeSeconds",
            "Seconds a receive waits for a message (long polling; Terraform's `receive_wait_time_seconds`), 0 to 20.",
        )
        .range(0, 20),
        Attr::chosen_by_aws(
            "sqs_managed_sse",
            Type::Bool,
            "SqsManagedSseEnabled",
            "Encryption at rest with SQS's own keys (Terraform's `sqs_managed_sse_enabled`). Left out, SQS's choice: on, unless `kms_key` is given.",
        ),
        Attr::optional(
            "kms_key",
            Type::String,
            "KmsMasterKeyId",
            "The KMS key (`kms_key.NAME`, an id, ARN or `alias/...`) that encrypts messages at rest (Terraform's `kms_master_key_id`), instead of SQS's own keys.",
        )
        .unset_when(Literal::Str("")),
        Attr::default(
            "kms_data_key_reuse",
            Type::Int,
            Literal::Int(300),
            "KmsDataKeyReusePeriodSeconds",
            "Seconds SQS reuses a data key of `kms_key` before asking KMS again (Terraform's `kms_data_key_reuse_period_seconds`), 60 to 86,400.",
        )
        .range(60, 86_400),
        Attr::optional(
            "dead_letter_queue",
            Type::String,
            "RedrivePolicy.deadLetterTargetArn",
            "The ARN of the queue that takes messages received `max_receive_count` times (`sqs_queue.NAME.arn`; Terraform's `redrive_policy`'s `deadLetterTargetArn`); of the same type, FIFO or standard. None when left out.",
        ),
        Attr::optional(
            "max_receive_count",
            Type::Int,
            "RedrivePolicy.maxReceiveCount",
            "How many times a message is received before it moves to `dead_letter_queue`, 1 to 1,000.",
        )
        .range(1, 1_000),
        Attr::optional(
            "policy",
            Type::Document,
            "Policy",
            "Who may send and receive: an IAM policy document (Terraform's `aws_sqs_queue_policy`), e.g. letting an SNS topic send (`sns.amazonaws.com` with `aws:SourceArn`); it may name the queue's own `arn`. None when left out: the account's owner only.",
        ),
        TAGS,
        Attr::computed("url", Type::String, "QueueUrl", "The queue's URL (Terraform's `id` and `url`), what consumers and the SDKs address it by."),
        Attr::computed("arn", Type::String, "QueueArn", "The queue's ARN, `arn:aws:sqs:REGION:ACCOUNT:NAME`."),
        Attr::named(
            "name",
            "QueueName",
            "The queue's name (kept exactly; a change replaces). Left out, berth names it `{stack}-{name}`, with `.fifo` for a FIFO queue.",
        ),
    ],
    blocks: &[],
};

const EFS_FILE_SYSTEM: KindSchema = KindSchema {
    kind: Kind::EfsFileSystem,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EFS CreateFileSystem",
    doc: "An EFS file system with its mount targets (Terraform's `aws_efs_file_system` with its `aws_efs_mount_target`s and `aws_efs_file_system_policy`, CloudFormation's `AWS::EFS::FileSystem` and `AWS::EFS::MountTarget`): storage Fargate tasks share (`volume NAME { efs { file_system_id = efs_file_system.NAME } }`). A bare reference is its id. Made, it is ready once every mount target is available. Replaced, it is a new, empty file system.",
    attrs: &[
        Attr::default(
            "encrypted",
            Type::Bool,
            Literal::Bool(false),
            "Encrypted",
            "Encrypted at rest, with `kms_key` or else EFS's AWS managed key (`aws/elasticfilesystem`).",
        )
        .replaces(),
        Attr::optional(
            "kms_key",
            Type::String,
            "KmsKeyId",
            "The KMS key (`kms_key.NAME`, an id, ARN or `alias/...`) of an encrypted file system (Terraform's `kms_key_id`); EFS's AWS managed key `aws/elasticfilesystem` when left out. EFS answers any key by its ARN: berth keeps the key as written in the tag `berth:kms_key`.",
        )
        .replaces(),
        Attr::default(
            "performance_mode",
            Type::String,
            Literal::Str("generalPurpose"),
            "PerformanceMode",
            "`generalPurpose` or `maxIO` (Regional file systems with `bursting` or `provisioned` throughput only).",
        )
        .replaces(),
        Attr::default(
            "throughput_mode",
            Type::String,
            Literal::Str("bursting"),
            "ThroughputMode",
            "`bursting`, `provisioned` (with `provisioned_throughput`) or `elastic`; changed in place (UpdateFileSystem).",
        ),
        Attr::optional(
            "provisioned_throughput",
            Type::Number,
            "ProvisionedThroughputInMibps",
            "MiB/s of a `provisioned` file system (Terraform's `provisioned_throughput_in_mibps`), 1 to 3,414; changed in place.",
        ),
        Attr::optional(
            "availability_zone",
            Type::String,
            "AvailabilityZoneName",
            "One Zone storage in this zone (Terraform's `availability_zone_name`): its one mount target must be in a subnet of that zone. Regional when left out.",
        )
        .replaces(),
        Attr::optional(
            "transition_to_ia",
            Type::String,
            "LifecyclePolicies.TransitionToIA",
            "Files not read for this long move to Infrequent Access: `AFTER_1_DAY`, `AFTER_7_DAYS`, `AFTER_14_DAYS`, `AFTER_30_DAYS`, `AFTER_60_DAYS`, `AFTER_90_DAYS`, `AFTER_180_DAYS`, `AFTER_270_DAYS` or `AFTER_365_DAYS` (Terraform's `lifecycle_policy` blocks).",
        ),
        Attr::optional(
            "transition_to_archive",
            Type::String,
            "LifecyclePolicies.TransitionToArchive",
            "Files not read for this long move to Archive (the same values as `transition_to_ia`, a longer time than it; `elastic` throughput only).",
        ),
        Attr::optional(
            "transition_to_primary_storage_class",
            Type::String,
            "LifecyclePolicies.TransitionToPrimaryStorageClass",
            "`AFTER_1_ACCESS`: a file moved to Infrequent Access comes back to Standard when read.",
        ),
        Attr::optional(
            "policy",
            Type::Document,
            "PutFileSystemPolicy",
            "Who may mount and write: an IAM policy document (Terraform's `aws_efs_file_system_policy`), which may name the file system's own `arn`. None when left out: any client that can reach a mount target.",
        ),
        TAGS,
        Attr::computed("id", Type::String, "FileSystemId", "The file system's id, `fs-...`."),
        Attr::computed("arn", Type::String, "FileSystemArn", "The file system's ARN."),
        Attr::computed(
            "dns_name",
            Type::String,
            "(built)",
            "`ID.efs.REGION.amazonaws.com`, the name tasks mount it by.",
        ),
        Attr::named(
            "creation_token",
            "CreationToken",
            "The file system's creation token, EFS's key for a create sent again (kept exactly; a change replaces). Left out, berth derives `{stack}-{name}-` and 6 random hex digits.",
        ),
    ],
    blocks: &[block(
        "mount_target",
        &[
            Attr::required(
                "subnet",
                Type::Ref(Kind::Subnet),
                "CreateMountTarget.SubnetId",
                "The subnet, at most one per zone, all in one VPC. Another subnet is another mount target: the old one is deleted, the new one made (the file system stays).",
            ),
            Attr::chosen_by_aws(
                "security_groups",
                Type::Set(&Type::Ref(Kind::SecurityGroup)),
                "SecurityGroups",
                "Up to 5 groups of the subnet's VPC that must let tasks in on NFS (TCP 2049); left out, the VPC's default group. Changed in place.",
            ),
            Attr::chosen_by_aws(
                "ip_address",
                Type::String,
                "IpAddress",
                "An address of the subnet; EFS picks one when left out. Another address is another mount target.",
            ),
        ],
        "CreateMountTarget",
        "Where tasks in one zone reach the file system (Terraform's `aws_efs_mount_target` blocks naming it are folded here); added, changed and removed with the file system in place.",
    )],
};

const EFS_ACCESS_POINT: KindSchema = KindSchema {
    kind: Kind::EfsAccessPoint,
    spelling: Spelling::Plain,
    identity: "id",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EFS CreateAccessPoint",
    doc: "An EFS access point (Terraform's `aws_efs_access_point`, CloudFormation's `AWS::EFS::AccessPoint`): a way into a file system as one POSIX user, under one directory, for tasks that name it (`access_point = efs_access_point.NAME` in a task's `efs` block, with `transit_encryption = \"ENABLED\"`). A bare reference is its id. Every setting but `tags` replaces it.",
    attrs: &[
        Attr::required(
            "file_system",
            Type::Ref(Kind::EfsFileSystem),
            "FileSystemId",
            "The file system (Terraform's `file_system_id`).",
        )
        .replaces(),
        Attr::optional(
            "posix_uid",
            Type::Int,
            "PosixUser.Uid",
            "The user every request through it runs as (Terraform's `posix_user { uid }`), with `posix_gid`.",
        )
        .replaces()
        .range(0, 4_294_967_295),
        Attr::optional(
            "posix_gid",
            Type::Int,
            "PosixUser.Gid",
            "The user's group (Terraform's `posix_user { gid }`).",
        )
        .replaces()
        .range(0, 4_294_967_295),
        Attr::default(
            "posix_secondary_gids",
            Type::Set(&Type::Int),
            Literal::EmptyList,
            "PosixUser.SecondaryGids",
            "The user's other groups (Terraform's `posix_user { secondary_gids }`).",
        )
        .replaces(),
        Attr::default(
            "root_directory",
            Type::String,
            Literal::Str("/"),
            "RootDirectory.Path",
            "The directory clients see as the root (Terraform's `root_directory { path }`); made on first use with `owner_uid`, `owner_gid` and `permissions` when it does not exist.",
        )
        .replaces(),
        Attr::optional(
            "owner_uid",
            Type::Int,
            "RootDirectory.CreationInfo.OwnerUid",
            "The owner EFS gives the root directory when it makes it (Terraform's `creation_info { owner_uid }`).",
        )
        .replaces()
        .range(0, 4_294_967_295),
        Attr::optional(
            "owner_gid",
            Type::Int,
            "RootDirectory.CreationInfo.OwnerGid",
            "The group EFS gives the root directory when it makes it.",
        )
        .replaces()
        .range(0, 4_294_967_295),
        Attr::optional(
            "permissions",
            Type::String,
            "RootDirectory.CreationInfo.Permissions",
            "The mode EFS gives the root directory when it makes it, in octal (`\"0755\"`).",
        )
        .replaces(),
        TAGS,
        Attr::computed("id", Type::String, "AccessPointId", "The access point's id, `fsap-...`."),
        Attr::computed("arn", Type::String, "AccessPointArn", "The access point's ARN."),
    ],
    blocks: &[],
};

const EVENT_RULE: KindSchema = KindSchema {
    kind: Kind::EventRule,
    spelling: Spelling::Plain,
    identity: "name",
    replace: ReplaceOrder::CreateBeforeDestroy,
    aws: "EventBridge PutRule",
    doc: "An EventBridge rule on the default event bus with its targets (Terraform's `aws_cloudwatch_event_rule` with its `aws_cloudwatch_event_target`s, CloudFormation's `AWS::Events::Rule`): a scheduled task (`schedule` and a `target` naming a cluster and a `task_definition`), or events of a pattern sent to a topic or queue. A bare reference is its name (Terraform's `id`).",
    attrs: &[
        Attr::optional(
            "schedule",
            Type::String,
            "ScheduleExpression",
            "When it runs (Terraform's `schedule_expression`): `rate(5 minutes)`, `rate(1 hour)`, `rate(1 day)` (singular for 1), or `cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR)` in UTC, one of the two days `?`. This or `event_pattern`.",
        ),
        Attr::optional(
            "event_pattern",
            Type::Json,
            "EventPattern",
            "The events it matches: a pattern as JSON (`jsonencode({ source = [\"aws.ecs\"] })`). This or `schedule`.",
        ),
        Attr::optional(
            "description",
            Type::String,
            "Description",
            "What it is for, at most 512 characters.",
        ),
        Attr::default(
            "state",
            Type::String,
            Literal::Str("ENABLED"),
            "State",
            "`ENABLED`, `DISABLED` (it matches nothing and runs nothing; Terraform's `is_enabled = false`) or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.",
        )
        .folded(Case::Upper),
        TAGS,
        Attr::computed(
            "arn",
            Type::String,
            "Arn",
            "The rule's ARN, `arn:aws:events:REGION:ACCOUNT:rule/NAME`.",
        ),
        Attr::named(
            "name",
            "Name",
            "The rule's name, letters, digits, `.`, `-` and `_`, at most 64 (kept exactly; a change replaces). Left out, berth names it `{stack}-{name}`.",
        ),
    ],
    blocks: &[Block {
        max: Some(5),
        spelling: Spelling::EventTarget,
        ..block(
            "target",
            &[
                Attr::required(
                    "id",
                    Type::String,
                    "Id",
                    "The target's id within the rule, letters, digits, `.`, `-` and `_`, at most 64 (Terraform's `target_id`; the `aws_cloudwatch_event_target`'s own name when it has none).",
                ),
                Attr::required(
                    "arn",
                    Type::String,
                    "Arn",
                    "What it starts or sends to: a cluster's ARN (`cluster.NAME.arn`) to run `task_definition` there, a topic's, a queue's or a log group's ARN.",
                ),
                Attr::optional(
                    "role",
                    Type::Ref(Kind::Role),
                    "RoleArn",
                    "The role EventBridge assumes to reach the target (Terraform's `role_arn`): one that trusts `events.amazonaws.com` and may `ecs:RunTask` the task definition and `iam:PassRole` its roles. An ECS target needs one.",
                ),
                Attr::optional(
                    "input",
                    Type::Json,
                    "Input",
                    "JSON sent instead of the event, e.g. an ECS task's overrides (`jsonencode({ containerOverrides = [{ name = \"app\", command = [\"cron\"] }] })`).",
                ),
                Attr::optional(
                    "input_path",
                    Type::String,
                    "InputPath",
                    "The part of the event sent (a JSON path such as `$.detail`); not with `input`.",
                ),
                Attr::optional(
                    "task_definition",
                    Type::Ref(Kind::TaskDefinition),
                    "EcsParameters.TaskDefinitionArn",
                    "The task definition an ECS target runs (Terraform's `ecs_target { task_definition_arn }`): a target with it is an ECS target. A new revision is sent when the task definition changes.",
                ),
                Attr::default(
                    "task_count",
                    Type::Int,
                    Literal::Int(1),
                    "EcsParameters.TaskCount",
                    "How many tasks each run starts, 1 to 10.",
                )
                .range(1, 10),
                Attr::optional(
                    "launch_type",
                    Type::String,
                    "EcsParameters.LaunchType",
                    "`FARGATE`, `EC2` or `EXTERNAL`; the cluster's default capacity provider strategy when left out.",
                )
                .folded(Case::Upper),
                Attr::optional(
                    "platform_version",
                    Type::String,
                    "EcsParameters.PlatformVersion",
                    "The Fargate platform version (`LATEST`, `1.4.0`).",
                ),
                Attr::default(
                    "subnets",
                    Type::Set(&Type::Ref(Kind::Subnet)),
                    Literal::EmptyList,
                    "EcsParameters.NetworkConfiguration.awsvpcConfiguration.Subnets",
                    "The subnets the tasks run in (Terraform's `network_configuration { subnets }`), up to 16; a Fargate task needs them.",
                ),
                Attr::default(
                    "security_groups",
                    Type::Set(&Type::Ref(Kind::SecurityGroup)),
                    Literal::EmptyList,
                    "EcsParameters.NetworkConfiguration.awsvpcConfiguration.SecurityGroups",
                    "The tasks' security groups, up to 5; the VPC's default group when left out.",
                ),
                Attr::default(
                    "public_ip",
                    Type::Switch(&[]),
                    Literal::Bool(false),
                    "EcsParameters.NetworkConfiguration.awsvpcConfiguration.AssignPublicIp",
                    "Give the tasks a public IP (Terraform's `assign_public_ip`; needed in public subnets without NAT): `true`, `false`, or ECS's `ENABLED`/`DISABLED` (CloudFormation's `AssignPublicIp`).",
                ),
                Attr::optional(
                    "propagate_tags",
                    Type::String,
                    "EcsParameters.PropagateTags",
                    "`TASK_DEFINITION`: the tasks get the task definition's tags.",
                )
                .folded(Case::Upper),
                Attr::default(
                    "enable_ecs_managed_tags",
                    Type::Bool,
                    Literal::Bool(false),
                    "EcsParameters.EnableECSManagedTags",
                    "Tag the tasks with the cluster's name and the rule's.",
                ),
                Attr::default(
                    "enable_execute_command",
                    Type::Bool,
                    Literal::Bool(false),
                    "EcsParameters.EnableExecuteCommand",
                    "Allow ECS Exec into the tasks.",
                ),
                Attr::optional(
                    "group",
                    Type::String,
                    "EcsParameters.Group",
                    "The tasks' group name.",
                ),
                Attr::optional(
                    "dead_letter_queue",
                    Type::String,
                    "DeadLetterConfig.Arn",
                    "The ARN of the SQS queue that takes the events not delivered (`sqs_queue.NAME.arn`; Terraform's `dead_letter_config { arn }`).",
                ),
                Attr::chosen_by_aws(
                    "maximum_event_age",
                    Type::Int,
                    "RetryPolicy.MaximumEventAgeInSeconds",
                    "Seconds an event is retried (Terraform's `retry_policy { maximum_event_age_in_seconds }`), 60 to 86,400; a day when left out.",
                )
                .range(60, 86_400),
                Attr::chosen_by_aws(
                    "maximum_retry_attempts",
                    Type::Int,
                    "RetryPolicy.MaximumRetryAttempts",
                    "How many times an event is retried, 0 to 185 (EventBridge's default).",
                )
                .range(0, 185),
                Attr::optional(
                    "message_group_id",
                    Type::String,
                    "SqsParameters.MessageGroupId",
                    "The message group of a FIFO queue target (Terraform's `sqs_target { message_group_id }`).",
                ),
            ],
            "PutTargets",
            "Where the rule sends what it matches, known by its `id` (Terraform's `aws_cloudwatch_event_target` blocks naming the rule are folded here): added, changed (PutTargets) and removed (RemoveTargets) with the rule in place; at most 5.",
        )
    }],
};

/// One schema per kind.
pub(super) const ALL: &[KindSchema] = &[
    VPC,
    SUBNET,
    INTERNET_GATEWAY,
    ROUTE_TABLE,
    DEFAULT_ROUTE_TABLE,
    DEFAULT_NETWORK_ACL,
    NETWORK_ACL,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    DEFAULT_SECURITY_GROUP,
    LOAD_BALANCER,
    TARGET_GROUP,
    LISTENER,
    LISTENER_RULE,
    CLUSTER,
    LOG_GROUP,
    ROLE,
    MANAGED_POLICY,
    TASK_DEFINITION,
    SERVICE,
    ELASTIC_IP,
    NAT_GATEWAY,
    VPC_ENDPOINT,
    ECR_REPOSITORY,
    DNS_NAMESPACE,
    DISCOVERY_SERVICE,
    HOSTED_ZONE,
    DNS_RECORD,
    SSM_PARAMETER,
    METRIC_ALARM,
    SECRET,
    CERTIFICATE,
    KMS_KEY,
    FLOW_LOG,
    SNS_TOPIC,
    S3_BUCKET,
    SQS_QUEUE,
    EFS_FILE_SYSTEM,
    EFS_ACCESS_POINT,
    EVENT_RULE,
];
