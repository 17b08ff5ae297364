//! Lookups (`data` blocks) in the simulated account: EC2's Describe calls
//! with their filters over the stored VPCs, subnets and security groups,
//! the account's ACM certificates and Route 53 hosted zones, managed
//! prefix lists, and SSM parameters by name (any stack's). Certificates,
//! zones and prefix lists made outside berth are listed in its file
//! (`certificates`, `hosted_zones`, `prefix_lists`), as an account's would
//! be there already, beside the certificates and zones stacks made; AWS's
//! own prefix lists are built in. Clusters, roles, load balancers and
//! target groups by name, listeners by load balancer and port; KMS keys
//! by id, ARN or alias, an AWS managed key by its `alias/aws/` alias;
//! Cloud Map namespaces by name and type, SNS topics by name.

use berth_provider::attrs::{bool_of, strs_of};
use berth_provider::certificate::ISSUED;
use berth_provider::lookup::{self, DataKind, Filters, Matches, Query, wildcard_matches as wildcard};
use berth_provider::{ADDRESS_TAG, Attrs, Kind, STACK_TAG, Value, kms};

use crate::attrs::str_of;
use crate::ids::aws_prefix_list_id;
use crate::model::{ACCOUNT_ID, Record};
use crate::sim::Sim;

/// The AWS call a lookup of `kind` makes.
pub fn call(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Vpc => "DescribeVpcs",
        DataKind::Subnet | DataKind::Subnets => "DescribeSubnets",
        DataKind::SecurityGroup => "DescribeSecurityGroups",
        DataKind::Certificate => "ListCertificates",
        DataKind::HostedZone => "ListHostedZonesByName",
        DataKind::PrefixList => "DescribeManagedPrefixLists",
        DataKind::SsmParameter => "GetParameter",
        DataKind::Cluster => "DescribeClusters",
        DataKind::Role => "GetRole",
        DataKind::LoadBalancer => "DescribeLoadBalancers",
        DataKind::TargetGroup => "DescribeTargetGroups",
        DataKind::Listener => "DescribeListeners",
        DataKind::CallerIdentity | DataKind::Partition => "GetCallerIdentity",
        DataKind::Region => "DescribeRegions",
        DataKind::KmsKey => "DescribeKey",
        DataKind::ManagedPolicy => "GetPolicy",
        DataKind::EcrRepository => "DescribeRepositories",
        DataKind::Secret => "DescribeSecret",
        DataKind::TaskDefinition => "DescribeTaskDefinition",
        DataKind::ElbServiceAccount => "DescribeRegions",
        DataKind::DnsNamespace => "ListNamespaces",
        DataKind::SnsTopic => "ListTopics",
    }
}

/// Every match of `query`.
pub fn find(sim: &mut Sim, query: &Query) -> Matches {
    sim.call(call(query.kind));
    if matches!(
        query.kind,
        DataKind::Vpc | DataKind::Subnet | DataKind::Subnets | DataKind::SecurityGroup
    ) {
        crate::default_vpc::ensure(sim);
    }
    let filters = &query.filters;
    match query.kind {
        DataKind::Vpc => ec2(sim, Kind::Vpc, filters, &["id", "cidr", "tags"]),
        DataKind::Subnet | DataKind::Subnets => {
            ec2(sim, Kind::Subnet, filters, &["id", "cidr", "zone", "vpc"])
        }
        DataKind::SecurityGroup => {
            let fields = ["id", "name", "vpc"];
            let mut found = ec2(sim, Kind::SecurityGroup, filters, &fields);
            found.extend(
                crate::default_group::listed(sim)
                    .filter(|rec| ec2_matches(rec, filters))
                    .map(|rec| pick(&rec.read_attrs(), &fields)),
            );
            found
        }
        DataKind::Certificate => certificates(sim, filters),
        DataKind::HostedZone => hosted_zones(sim, filters),
        DataKind::PrefixList => prefix_lists(sim, filters),
        DataKind::SsmParameter => parameters(sim, filters),
        DataKind::Cluster => named(sim, Kind::Cluster, filters, &["arn", "name"]),
        DataKind::Role => named(sim, Kind::Role, filters, &["arn", "name"]),
        DataKind::LoadBalancer => load_balancers(sim, filters),
        DataKind::TargetGroup => named(sim, Kind::TargetGroup, filters, &["arn", "name", "port", "vpc"]),
        DataKind::Listener => listeners(sim, filters),
        DataKind::CallerIdentity => vec![lookup::caller_attrs(
            ACCOUNT_ID,
            &format!("arn:aws:iam::{ACCOUNT_ID}:user/berth"),
            LOCAL_USER_ID,
        )],
        DataKind::Region => vec![lookup::region_attrs(sim.region)],
        DataKind::Partition => vec![lookup::partition_attrs("aws")],
        DataKind::KmsKey => kms_keys(sim, filters),
        DataKind::ManagedPolicy => managed_policies(sim, filters),
        DataKind::EcrRepository => named(
            sim,
            Kind::EcrRepository,
            filters,
            &["arn", "name", "url", "registry_id"],
        ),
        DataKind::Secret => sim
            .all(Kind::Secret)
            .filter(|(_, rec)| !rec.is_inactive())
            .filter(|(_, rec)| {
                let is = |field: &str, want: &Option<String>| {
                    want.as_deref()
                        .is_none_or(|w| str_of(&rec.attrs, field) == Some(w))
                };
                // `SecretId`: either.
                let by_id = filters.id.as_deref().is_none_or(|id| {
                    str_of(&rec.attrs, "arn") == Some(id) || str_of(&rec.attrs, "name") == Some(id)
                });
                is("arn", &filters.arn) && is("name", &filters.name) && by_id
            })
            .map(|(_, rec)| pick(&rec.attrs, &["arn", "name"]))
            .collect(),
        DataKind::TaskDefinition => {
            let named = filters.family.as_deref().unwrap_or_default();
            sim.find(Kind::TaskDefinition, named)
                .and_then(|key| sim.rec(&key))
                .map(|rec| {
                    let mut found = pick(&rec.attrs, &["arn", "family", "revision"]);
                    let status = if rec.is_inactive() { "INACTIVE" } else { "ACTIVE" };
                    found.insert("status".to_owned(), Value::from(status));
                    found
                })
                .into_iter()
                .collect()
        }
        DataKind::ElbServiceAccount => lookup::elb_service_account_attrs(sim.region)
            .into_iter()
            .collect(),
        DataKind::DnsNamespace => namespaces(sim, filters),
        DataKind::SnsTopic => topics(sim, filters),
    }
}

/// The Cloud Map namespaces of the name (and type) asked for, whoever made
/// them: a private DNS namespace's type is stored left out.
fn namespaces(sim: &Sim, filters: &Filters) -> Matches {
    sim.all(Kind::DnsNamespace)
        .filter_map(|(_, rec)| {
            let mut found = pick(&rec.attrs, &["id", "arn", "name", "hosted_zone"]);
            let kind = str_of(&rec.attrs, "type").unwrap_or("DNS_PRIVATE");
            found.insert("type".to_owned(), Value::from(kind));
            let wanted = filters
                .name
                .as_deref()
                .is_none_or(|n| str_of(&rec.attrs, "name") == Some(n))
                && filters.namespace_type.as_deref().is_none_or(|t| t == kind);
            wanted.then_some(found)
        })
        .collect()
}

/// The SNS topics of the name asked for, the last part of their ARNs.
fn topics(sim: &Sim, filters: &Filters) -> Matches {
    sim.all(Kind::SnsTopic)
        .filter_map(|(_, rec)| lookup::topic_match(str_of(&rec.attrs, "arn")?, filters))
        .collect()
}

/// AWS managed policies container stacks attach, by name, with their
/// paths: what a lookup by name finds of AWS's (the local cloud keeps no
/// copy of AWS's catalog; one named by ARN is taken as it is).
const AWS_MANAGED_POLICIES: &[(&str, &str)] = &[
    ("AmazonECSTaskExecutionRolePolicy", "/service-role/"),
    ("AmazonEC2ContainerServiceRole", "/service-role/"),
    ("AmazonEC2ContainerServiceforEC2Role", "/service-role/"),
    ("AmazonEC2ContainerServiceAutoscaleRole", "/service-role/"),
    ("AmazonEC2ContainerRegistryReadOnly", "/"),
    ("AmazonEC2ContainerRegistryPowerUser", "/"),
    ("AmazonECS_FullAccess", "/"),
    ("AmazonSSMManagedInstanceCore", "/"),
    ("AmazonSSMReadOnlyAccess", "/"),
    ("AmazonS3ReadOnlyAccess", "/"),
    ("AmazonS3FullAccess", "/"),
    ("AmazonSQSFullAccess", "/"),
    ("AmazonSNSFullAccess", "/"),
    ("AmazonDynamoDBFullAccess", "/"),
    ("AmazonElasticFileSystemClientReadWriteAccess", "/"),
    ("SecretsManagerReadWrite", "/"),
    ("CloudWatchAgentServerPolicy", "/"),
    ("CloudWatchLogsFullAccess", "/"),
    ("CloudWatchFullAccess", "/"),
    ("AWSXRayDaemonWriteAccess", "/"),
    ("AWSXrayWriteOnlyAccess", "/"),
    ("AWSAppMeshEnvoyAccess", "/"),
    ("AdministratorAccess", "/"),
    ("ReadOnlyAccess", "/"),
];

/// The managed policy of the ARN or name asked for: the account's, or
/// AWS's (`arn:aws:iam::aws:policy/...`).
fn managed_policies(sim: &Sim, filters: &Filters) -> Matches {
    let wanted = |arn: &str, name: &str| {
        filters.arn.as_deref().is_none_or(|w| w == arn) && filters.name.as_deref().is_none_or(|w| w == name)
    };
    let own = sim
        .all(Kind::ManagedPolicy)
        .filter(|(_, rec)| {
            wanted(
                str_of(&rec.attrs, "arn").unwrap_or_default(),
                str_of(&rec.attrs, "name").unwrap_or_default(),
            )
        })
        .map(|(_, rec)| pick(&rec.attrs, &["arn", "name", "path"]));
    let aws_policy = |path: &str, name: &str| {
        Attrs::from([
            (
                "arn".to_owned(),
                Value::from(format!("arn:aws:iam::aws:policy{path}{name}")),
            ),
            ("name".to_owned(), Value::from(name)),
            ("path".to_owned(), Value::from(path)),
        ])
    };
    let by_arn = filters
        .arn
        .as_deref()
        .and_then(|arn| arn.strip_prefix("arn:aws:iam::aws:policy"))
        .and_then(|rest| rest.rsplit_once('/'))
        .map(|(path, name)| aws_policy(&format!("{path}/"), name));
    let by_name = AWS_MANAGED_POLICIES
        .iter()
        .map(|(name, path)| aws_policy(path, name))
        .filter(|found| {
            filters.arn.is_none()
                && wanted(
                    str_of(found, "arn").unwrap_or_default(),
                    str_of(found, "name").unwrap_or_default(),
                )
        });
    own.chain(by_arn).chain(by_name).collect()
}

/// The key of the id, ARN or alias asked for, whoever made it (a key
/// pending deletion is none, as DescribeKey's state says); an alias under
/// `alias/aws/` names the AWS managed key of that service, which AWS makes
/// the first time it is named.
fn kms_keys(sim: &Sim, filters: &Filters) -> Matches {
    let want = filters.id.as_deref().unwrap_or_default();
    let found: Matches = sim
        .all(Kind::KmsKey)
        .filter(|(_, rec)| !rec.is_inactive())
        .filter(|(_, rec)| {
            let a = &rec.attrs;
            str_of(a, "key_id") == Some(want)
                || str_of(a, "arn") == Some(want)
                || strs_of(a, "aliases").iter().any(|n| n == want)
        })
        .map(|(_, rec)| {
            let a = &rec.attrs;
            let state = if bool_of(a, "enabled") {
                "Enabled"
            } else {
                "Disabled"
            };
            let mut found = pick(a, &["arn", "description", "usage", "spec"]);
            found.insert("id".to_owned(), a.get("key_id").cloned().unwrap_or(Value::Null));
            found.insert("manager".to_owned(), Value::from("CUSTOMER"));
            found.insert("state".to_owned(), Value::from(state));
            found
        })
        .collect();
    match want.strip_prefix("alias/aws/") {
        Some(service) if found.is_empty() && !service.is_empty() => vec![managed_key(sim, service)],
        _ => found,
    }
}

/// The AWS managed key of `service` (`alias/aws/SERVICE`): its id is the
/// same in every plan, derived from the service's name (FNV-1a).
fn managed_key(sim: &Sim, service: &str) -> Attrs {
    let hash = |seed: u64| {
        service
            .bytes()
            .fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    };
    let hex = format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x8422_2325_cbf2_9ce4)
    );
    let id = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    Attrs::from([
        (
            "arn".to_owned(),
            Value::from(sim.arn("kms", &format!("key/{id}"))),
        ),
        ("id".to_owned(), Value::from(id)),
        (
            "description".to_owned(),
            Value::from(format!(
                "Default key that protects my {service} data when no other key is defined"
            )),
        ),
        ("usage".to_owned(), Value::from(kms::ENCRYPT)),
        ("spec".to_owned(), Value::from(kms::SYMMETRIC)),
        ("manager".to_owned(), Value::from("AWS")),
        ("state".to_owned(), Value::from("Enabled")),
    ])
}

/// The unique id of the simulated account's one user.
const LOCAL_USER_ID: &str = "AIDALOCALBERTHUSER0001";

/// The resources of `kind` in the region named as the filter says,
/// whoever made them (names are unique per account and region; IAM's
/// without case), or tagged as the stack and address filters say.
fn named(sim: &Sim, kind: Kind, filters: &Filters, attrs: &[&str]) -> Matches {
    sim.all(kind)
        .filter(|(_, rec)| {
            let tag = |name: &str| rec.tags.get(name).map(String::as_str);
            filters
                .arn
                .as_deref()
                .is_none_or(|want| str_of(&rec.attrs, "arn") == Some(want))
                && filters.name.as_deref().is_none_or(|want| {
                    str_of(&rec.attrs, "name").is_some_and(|n| match kind {
                        Kind::Role => n.eq_ignore_ascii_case(want),
                        _ => n == want,
                    })
                })
                && filters.stack.as_deref().is_none_or(|s| tag(STACK_TAG) == Some(s))
                && filters.address_matches(tag(ADDRESS_TAG))
        })
        .map(|(_, rec)| pick(&rec.attrs, attrs))
        .collect()
}

/// The load balancers asked for, each with its VPC (ELB answers the VPC
/// its subnets are in).
fn load_balancers(sim: &Sim, filters: &Filters) -> Matches {
    let mut found = named(
        sim,
        Kind::LoadBalancer,
        filters,
        &["arn", "name", "dns_name", "zone_id"],
    );
    for lb in &mut found {
        let vpc = str_of(lb, "arn")
            .and_then(|arn| sim.find(Kind::LoadBalancer, arn))
            .and_then(|key| sim.rec(&key))
            .and_then(|rec| crate::elb::lb_vpc(sim, &rec.attrs));
        lb.insert("vpc".to_owned(), vpc.map_or(Value::Null, Value::String));
    }
    found
}

/// The listener of the ARN, or of the load balancer on the port, asked
/// for, whoever made them.
fn listeners(sim: &Sim, filters: &Filters) -> Matches {
    sim.all(Kind::Listener)
        .filter(|(_, rec)| {
            filters
                .arn
                .as_deref()
                .is_none_or(|arn| str_of(&rec.attrs, "arn") == Some(arn))
                && filters
                    .load_balancer
                    .as_deref()
                    .is_none_or(|lb| str_of(&rec.attrs, "load_balancer") == Some(lb))
                && filters
                    .port
                    .is_none_or(|port| rec.attrs.get("port") == Some(&Value::Int(port)))
        })
        .map(|(_, rec)| pick(&rec.attrs, &["arn", "port", "protocol", "load_balancer"]))
        .collect()
}

/// The attributes `names` of a stored resource, null where it has none:
/// what a lookup answers.
fn pick(attrs: &Attrs, names: &[&str]) -> Attrs {
    names
        .iter()
        .map(|a| ((*a).to_owned(), attrs.get(*a).cloned().unwrap_or(Value::Null)))
        .collect()
}

/// The parameter of the name asked for, whoever made it.
fn parameters(sim: &Sim, filters: &Filters) -> Matches {
    sim.all(Kind::SsmParameter)
        .filter(|(_, rec)| str_of(&rec.attrs, "name") == filters.name.as_deref())
        .map(|(_, rec)| pick(&rec.attrs, &["arn", "name", "value", "type"]))
        .collect()
}

/// The stored EC2 resources of `kind` the filters match, with `attrs`.
fn ec2(sim: &Sim, kind: Kind, filters: &Filters, attrs: &[&str]) -> Matches {
    sim.all(kind)
        .filter(|(_, rec)| ec2_matches(rec, filters))
        .map(|(_, rec)| pick(&rec.read_attrs(), attrs))
        .collect()
}

fn ec2_matches(rec: &Record, filters: &Filters) -> bool {
    let attr = |name: &str| rec.attrs.get(name).and_then(Value::as_str);
    let tag = |name: &str| rec.tags.get(name).map(String::as_str);
    filters.id.as_deref().is_none_or(|id| attr("id") == Some(id))
        && filters.vpc.as_deref().is_none_or(|vpc| attr("vpc") == Some(vpc))
        && filters
            .zone
            .as_deref()
            .is_none_or(|zone| attr("zone") == Some(zone))
        && filters
            .default
            .is_none_or(|d| bool_of(&rec.attrs, crate::default_vpc::DEFAULT) == d)
        && filters.public.is_none_or(|p| bool_of(&rec.attrs, "public") == p)
        && filters
            .name
            .as_deref()
            .is_none_or(|name| attr("name").is_some_and(|n| wildcard(name, n)))
        && filters
            .tags
            .iter()
            .all(|(k, v)| tag(k).is_some_and(|t| wildcard(v, t)))
        && filters.stack.as_deref().is_none_or(|s| tag(STACK_TAG) == Some(s))
        && filters.address_matches(tag(ADDRESS_TAG))
}

/// ACM: the newest issued certificate whose domain name is the filter's,
/// among those listed in the file and those berth requested.
fn certificates(sim: &Sim, filters: &Filters) -> Matches {
    let listed = sim
        .st
        .certificates
        .iter()
        .filter(|c| c.region == sim.region && c.status == ISSUED)
        .map(|c| (c.issued.as_str(), c.domain.as_str(), c.arn.as_str()));
    let requested = sim
        .all(Kind::Certificate)
        .filter(|(_, r)| r.status.as_deref() == Some(ISSUED))
        .map(|(arn, r)| {
            (
                r.created.as_deref().unwrap_or_default(),
                str_of(&r.attrs, "domain_name").unwrap_or_default(),
                arn.as_str(),
            )
        });
    listed
        .chain(requested)
        .filter(|(_, domain, _)| filters.domain.as_deref().is_none_or(|d| *domain == d))
        .max_by(|a, b| a.0.cmp(b.0))
        .map(|(_, _, arn)| Attrs::from([("arn".to_owned(), Value::String(arn.to_owned()))]))
        .into_iter()
        .collect()
}

/// Route 53 (global): zones by id, name (with or without the final dot)
/// and privacy, among those listed in the file and those stacks made.
fn hosted_zones(sim: &Sim, filters: &Filters) -> Matches {
    let dotted = |n: &str| format!("{}.", n.trim_end_matches('.').to_ascii_lowercase());
    let listed = sim
        .st
        .hosted_zones
        .iter()
        .map(|z| (z.id.as_str(), z.name.as_str(), z.private));
    let made = sim.all(Kind::HostedZone).map(|(id, z)| {
        (
            id.as_str(),
            str_of(&z.attrs, "name").unwrap_or_default(),
            z.attrs
                .get("vpcs")
                .and_then(Value::as_list)
                .is_some_and(|v| !v.is_empty()),
        )
    });
    listed
        .chain(made)
        .filter(|(id, _, _)| filters.id.as_deref().is_none_or(|f| *id == f))
        .filter(|(_, name, _)| filters.name.as_deref().is_none_or(|n| dotted(name) == dotted(n)))
        .filter(|(_, _, private)| filters.private.is_none_or(|p| *private == p))
        .map(|(id, name, _)| {
            Attrs::from([
                ("id".to_owned(), Value::String(id.to_owned())),
                ("name".to_owned(), Value::String(berth_provider::dns::bare(name))),
            ])
        })
        .collect()
}

/// The prefix lists AWS keeps in every region (those of the services a
/// container stack reaches without a NAT, and CloudFront's origin-facing
/// addresses, the usual source of a load balancer behind CloudFront).
fn aws_prefix_lists(region: &str) -> [String; 3] {
    [
        format!("com.amazonaws.{region}.s3"),
        format!("com.amazonaws.{region}.dynamodb"),
        "com.amazonaws.global.cloudfront.origin-facing".to_owned(),
    ]
}

/// EC2's DescribeManagedPrefixLists: AWS's own lists (owner `aws`, no
/// tags) and the account's, by id, name and tags.
fn prefix_lists(sim: &Sim, filters: &Filters) -> Matches {
    let region = sim.region;
    let aws = aws_prefix_lists(region).into_iter().map(|name| {
        let id = aws_prefix_list_id(&name);
        let arn = format!("arn:aws:ec2:{region}:aws:prefix-list/{id}");
        (id, name, arn, None)
    });
    let own = sim
        .st
        .prefix_lists
        .iter()
        .filter(|l| l.region == region)
        .map(|l| {
            let arn = sim.arn("ec2", &format!("prefix-list/{}", l.id));
            (l.id.clone(), l.name.clone(), arn, Some(&l.tags))
        });
    aws.chain(own)
        .filter(|(id, name, _, tags)| {
            filters.id.as_deref().is_none_or(|want| want == id)
                && filters.name.as_deref().is_none_or(|want| wildcard(want, name))
                && filters
                    .tags
                    .iter()
                    .all(|(k, v)| tags.and_then(|t| t.get(k)).is_some_and(|t| wildcard(v, t)))
        })
        .map(|(id, name, arn, _)| {
            Attrs::from([
                ("id".to_owned(), Value::String(id)),
                ("name".to_owned(), Value::String(name)),
                ("arn".to_owned(), Value::String(arn)),
            ])
        })
        .collect()
}
