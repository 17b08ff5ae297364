//! Lookups (`data` blocks): reads of resources berth does not own, by
//! the block's filters. EC2's DescribeVpcs, DescribeSubnets and
//! DescribeSecurityGroups with `vpc-id`, `vpc-id`, `group-name` and
//! `tag:KEY` filters (a stack's address is matched here: an address
//! without a key also matches every `for_each` instance); ACM's
//! ListCertificates (ISSUED) + DescribeCertificate for the newest; Route
//! 53's GetHostedZone by id or ListHostedZonesByName by name; EC2's
//! DescribeManagedPrefixLists by id and name; SSM's GetParameter by name,
//! decrypted (ParameterNotFound is no match); ECS's DescribeClusters,
//! IAM's GetRole and ELBv2's DescribeLoadBalancers/DescribeTargetGroups
//! by name or ARN; ELBv2's DescribeListeners of an ARN or of a load
//! balancer, matched on the port after; IAM's GetPolicy by ARN or
//! ListPolicies by name; ECR's DescribeRepositories, Secrets Manager's
//! DescribeSecret and ECS's DescribeTaskDefinition; STS's GetCallerIdentity
//! (asked once per provider) for the caller and partition; KMS's
//! DescribeKey of a key id, ARN or alias (`kms.rs`); Cloud Map's
//! ListNamespaces by type, matched on the name (`discovery.rs`); SNS's
//! ListTopics, matched on the ARN's name (`sns.rs`).

use aws_sdk_ec2::types::{Filter, Tag};
use berth_provider::lookup::{self, DataKind, Filters, Matches, Query};
use berth_provider::{ADDRESS_TAG, Attrs, ProviderError, STACK_TAG, Value, dns};

use crate::{AwsProvider, paginate};

pub(crate) async fn find(p: &AwsProvider, query: &Query) -> Result<Matches, ProviderError> {
    let f = &query.filters;
    match query.kind {
        DataKind::Vpc => vpcs(p, f).await,
        DataKind::Subnet | DataKind::Subnets => subnets(p, f).await,
        DataKind::SecurityGroup => security_groups(p, f).await,
        DataKind::Certificate => certificate(p, f).await,
        DataKind::HostedZone => hosted_zones(p, f).await,
        DataKind::PrefixList => prefix_lists(p, f).await,
        DataKind::SsmParameter => parameter(p, f).await,
        DataKind::Cluster => cluster(p, f).await,
        DataKind::KmsKey => crate::kms::lookup(p, f.id.as_deref().unwrap_or_default()).await,
        DataKind::Role => role(p, f).await,
        DataKind::ManagedPolicy => managed_policy(p, f).await,
        DataKind::EcrRepository => ecr_repository(p, f).await,
        DataKind::Secret => secret(p, f).await,
        DataKind::TaskDefinition => task_definition(p, f).await,
        DataKind::ElbServiceAccount => Ok(lookup::elb_service_account_attrs(p.region())
            .into_iter()
            .collect()),
        DataKind::LoadBalancer => load_balancer(p, f).await,
        DataKind::TargetGroup => target_group(p, f).await,
        DataKind::Listener => listener(p, f).await,
        DataKind::CallerIdentity => {
            let c = p.caller().await?;
            Ok(vec![lookup::caller_attrs(&c.account, &c.arn, &c.user_id)])
        }
        DataKind::Partition => Ok(vec![lookup::partition_attrs(&p.caller().await?.partition)]),
        DataKind::Region => Ok(vec![lookup::region_attrs(p.region())]),
        DataKind::DnsNamespace => crate::discovery::lookup(p, f).await,
        DataKind::SnsTopic => crate::sns::lookup(p, f).await,
    }
}

/// SSM's GetParameter of the name asked for, decrypted: a `SecureString`'s
/// value is read as a task reads it (the lookup marks it sensitive).
async fn parameter(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ssm = &p.clients.ssm;
    let name = f.name.as_deref().unwrap_or_default();
    let out = p
        .call_unless("ssm", "GetParameter", &["ParameterNotFound"], || {
            ssm.get_parameter().name(name).with_decryption(true).send()
        })
        .await?;
    let text = |v: Option<&str>| v.map_or(Value::Null, Value::from);
    Ok(out
        .and_then(|o| o.parameter)
        .map(|param| {
            Attrs::from([
                ("arn".to_owned(), text(param.arn())),
                ("name".to_owned(), text(param.name())),
                ("value".to_owned(), text(param.value())),
                ("type".to_owned(), text(param.r#type().map(|t| t.as_str()))),
            ])
        })
        .into_iter()
        .collect())
}

/// ECS's DescribeClusters of the name, or of another stack's clusters
/// the tagging API lists: an ACTIVE cluster (a deleted one stays INACTIVE
/// for a while, and MISSING is ECS's "no such cluster").
async fn cluster(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ecs = &p.clients.ecs;
    let clusters = match f.stack.as_deref() {
        Some(stack) => of_stack(p, stack, "ecs:cluster", f).await?,
        None => vec![f.name.clone().unwrap_or_default()],
    };
    if clusters.is_empty() {
        return Ok(Vec::new());
    }
    let out = p
        .call("ecs", "DescribeClusters", || {
            ecs.describe_clusters()
                .set_clusters(Some(clusters.clone()))
                .send()
        })
        .await?;
    Ok(out
        .clusters()
        .iter()
        .filter(|c| c.status() == Some("ACTIVE"))
        .filter(|c| f.name.as_deref().is_none_or(|n| c.cluster_name() == Some(n)))
        .map(|c| attrs([("arn", text(c.cluster_arn())), ("name", text(c.cluster_name()))]))
        .collect())
}

/// The ARNs of another stack's resources of `resource_type` at the
/// address `f` says (all of the stack's without one), by their tags.
async fn of_stack(
    p: &AwsProvider,
    stack: &str,
    resource_type: &str,
    f: &Filters,
) -> Result<Vec<String>, ProviderError> {
    let tagged = crate::tagging::tagged(p, stack, resource_type).await?;
    let mut arns: Vec<String> = tagged
        .into_iter()
        .filter(|(_, tags)| {
            let address = crate::tagging::pairs(tags)
                .find(|(k, _)| *k == berth_provider::ADDRESS_TAG)
                .map(|(_, v)| v);
            f.address_matches(address)
        })
        .map(|(arn, _)| arn)
        .collect();
    arns.sort();
    Ok(arns)
}

/// IAM's GetRole of the name (NoSuchEntity is no match).
async fn role(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let iam = &p.clients.iam;
    let name = f.name.as_deref().unwrap_or_default();
    let out = p
        .call_unless("iam", "GetRole", &["NoSuchEntity"], || {
            iam.get_role().role_name(name).send()
        })
        .await?;
    Ok(out
        .and_then(|o| o.role)
        .map(|r| {
            attrs([
                ("arn", Value::from(r.arn())),
                ("name", Value::from(r.role_name())),
            ])
        })
        .into_iter()
        .collect())
}

/// IAM's GetPolicy of the ARN (NoSuchEntity is no match), or ListPolicies
/// (AWS's and the account's) for the name.
async fn managed_policy(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let iam = &p.clients.iam;
    let found = |arn: Option<&str>, name: Option<&str>, path: Option<&str>| {
        attrs([("arn", text(arn)), ("name", text(name)), ("path", text(path))])
    };
    if let Some(arn) = f.arn.as_deref() {
        let out = p
            .call_unless("iam", "GetPolicy", &["NoSuchEntity"], || {
                iam.get_policy().policy_arn(arn).send()
            })
            .await?;
        return Ok(out
            .and_then(|o| o.policy)
            .filter(|pol| f.name.as_deref().is_none_or(|n| pol.policy_name() == Some(n)))
            .map(|pol| found(pol.arn(), pol.policy_name(), pol.path()))
            .into_iter()
            .collect());
    }
    let name = f.name.as_deref().unwrap_or_default();
    let policies = p
        .list("iam", "ListPolicies", || {
            paginate!(iam.list_policies().max_items(1000), policies)
        })
        .await?;
    Ok(policies
        .iter()
        .filter(|pol| pol.policy_name() == Some(name))
        .map(|pol| found(pol.arn(), pol.policy_name(), pol.path()))
        .collect())
}

/// ECR's DescribeRepositories of the name (RepositoryNotFoundException is
/// no match).
async fn ecr_repository(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ecr = &p.clients.ecr;
    let name = f.name.as_deref().unwrap_or_default();
    let out = p
        .call_unless(
            "ecr",
            "DescribeRepositories",
            &["RepositoryNotFoundException"],
            || ecr.describe_repositories().repository_names(name).send(),
        )
        .await?;
    Ok(out
        .iter()
        .flat_map(|o| o.repositories())
        .map(|r| {
            attrs([
                ("arn", text(r.repository_arn())),
                ("name", text(r.repository_name())),
                ("url", text(r.repository_uri())),
                ("registry_id", text(r.registry_id())),
            ])
        })
        .collect())
}

/// Secrets Manager's DescribeSecret of the ARN or name
/// (ResourceNotFoundException, or a secret scheduled for deletion, is no
/// match). The value is not read.
async fn secret(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let sm = &p.clients.secrets;
    let id =
        f.id.as_deref()
            .or(f.arn.as_deref())
            .or(f.name.as_deref())
            .unwrap_or_default();
    let out = p
        .call_unless(
            "secretsmanager",
            "DescribeSecret",
            &["ResourceNotFoundException"],
            || sm.describe_secret().secret_id(id).send(),
        )
        .await?;
    Ok(out
        .filter(|s| s.deleted_date().is_none())
        .filter(|s| f.name.as_deref().is_none_or(|n| s.name() == Some(n)))
        .filter(|s| f.arn.as_deref().is_none_or(|a| s.arn() == Some(a)))
        .map(|s| attrs([("arn", text(s.arn())), ("name", text(s.name()))]))
        .into_iter()
        .collect())
}

/// ECS's DescribeTaskDefinition of the family, `family:revision` or ARN (a
/// ClientException, ECS's answer for one it does not have, is no match).
async fn task_definition(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ecs = &p.clients.ecs;
    let named = f.family.as_deref().unwrap_or_default();
    let out = p
        .call_unless("ecs", "DescribeTaskDefinition", &["ClientException"], || {
            ecs.describe_task_definition().task_definition(named).send()
        })
        .await?;
    Ok(out
        .and_then(|o| o.task_definition)
        .map(|td| {
            attrs([
                ("arn", text(td.task_definition_arn())),
                ("family", text(td.family())),
                ("revision", Value::Int(td.revision().into())),
                ("status", text(td.status().map(|s| s.as_str()))),
            ])
        })
        .into_iter()
        .collect())
}

/// ELBv2's DescribeLoadBalancers of the name, or of another stack's the
/// tagging API lists (LoadBalancerNotFound is no
/// match).
async fn load_balancer(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let elb = &p.clients.elb;
    let arns = match (f.arn.as_deref(), f.stack.as_deref()) {
        (Some(arn), _) => Some(vec![arn.to_owned()]),
        (None, Some(stack)) => Some(of_stack(p, stack, "elasticloadbalancing:loadbalancer", f).await?),
        (None, None) => None,
    };
    if arns.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let out = p
        .call_unless(
            "elbv2",
            "DescribeLoadBalancers",
            &["LoadBalancerNotFound"],
            || {
                let call = elb.describe_load_balancers();
                match (&arns, f.name.as_deref()) {
                    (Some(arns), _) => call.set_load_balancer_arns(Some(arns.clone())),
                    (None, name) => call.names(name.unwrap_or_default()),
                }
                .send()
            },
        )
        .await?;
    Ok(out
        .iter()
        .flat_map(|o| o.load_balancers())
        .filter(|lb| {
            f.name
                .as_deref()
                .is_none_or(|n| lb.load_balancer_name() == Some(n))
        })
        .map(|lb| {
            attrs([
                ("arn", text(lb.load_balancer_arn())),
                ("name", text(lb.load_balancer_name())),
                ("dns_name", text(lb.dns_name())),
                ("zone_id", text(lb.canonical_hosted_zone_id())),
                ("vpc", text(lb.vpc_id())),
            ])
        })
        .collect())
}

/// ELBv2's DescribeTargetGroups of the name, or of another stack's the
/// tagging API lists (TargetGroupNotFound is no
/// match).
async fn target_group(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let elb = &p.clients.elb;
    let arns = match (f.arn.as_deref(), f.stack.as_deref()) {
        (Some(arn), _) => Some(vec![arn.to_owned()]),
        (None, Some(stack)) => Some(of_stack(p, stack, "elasticloadbalancing:targetgroup", f).await?),
        (None, None) => None,
    };
    if arns.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let out = p
        .call_unless("elbv2", "DescribeTargetGroups", &["TargetGroupNotFound"], || {
            let call = elb.describe_target_groups();
            match (&arns, f.name.as_deref()) {
                (Some(arns), _) => call.set_target_group_arns(Some(arns.clone())),
                (None, name) => call.names(name.unwrap_or_default()),
            }
            .send()
        })
        .await?;
    Ok(out
        .iter()
        .flat_map(|o| o.target_groups())
        .filter(|tg| {
            f.name
                .as_deref()
                .is_none_or(|n| tg.target_group_name() == Some(n))
        })
        .map(|tg| {
            attrs([
                ("arn", text(tg.target_group_arn())),
                ("name", text(tg.target_group_name())),
                ("port", tg.port().map_or(Value::Null, |n| Value::Int(n.into()))),
                ("vpc", text(tg.vpc_id())),
            ])
        })
        .collect())
}

/// ELBv2's DescribeListeners of the ARN, or of the load balancer
/// (ListenerNotFound and LoadBalancerNotFound are no match), those on the
/// port and of the load balancer asked for.
async fn listener(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let elb = &p.clients.elb;
    let lb = f.load_balancer.as_deref().unwrap_or_default();
    let listeners = p
        .list("elbv2", "DescribeListeners", || {
            let call = elb.describe_listeners();
            let call = match f.arn.as_deref() {
                Some(arn) => call.listener_arns(arn),
                None => call.load_balancer_arn(lb),
            };
            paginate!(call, listeners)
        })
        .await
        .or_else(|e| crate::errors::gone(e, "LoadBalancerNotFound"))
        .or_else(|e| crate::errors::gone(e, "ListenerNotFound"))?;
    Ok(listeners
        .iter()
        .filter(|l| f.port.is_none_or(|port| l.port().map(i64::from) == Some(port)))
        .filter(|l| {
            f.load_balancer
                .as_deref()
                .is_none_or(|lb| l.load_balancer_arn() == Some(lb))
        })
        .map(|l| {
            attrs([
                ("arn", text(l.listener_arn())),
                ("port", l.port().map_or(Value::Null, |n| Value::Int(n.into()))),
                ("protocol", text(l.protocol().map(|p| p.as_str()))),
                ("load_balancer", text(l.load_balancer_arn())),
            ])
        })
        .collect())
}

/// EC2 filters for what EC2 can filter on; the address is matched after.
fn ec2_filters(f: &Filters, id_filter: &str, extra: &[(&str, &Option<String>)]) -> Vec<Filter> {
    let one = crate::ec2::filter;
    let mut out = Vec::new();
    out.extend(f.id.as_deref().map(|id| one(id_filter, id)));
    for (name, value) in extra {
        out.extend(value.as_deref().map(|v| one(name, v)));
    }
    out.extend(f.tags.iter().map(|(k, v)| one(&format!("tag:{k}"), v)));
    out.extend(f.stack.as_deref().map(|s| one(&format!("tag:{STACK_TAG}"), s)));
    out
}

/// The tags as a map, and whether their berth address matches.
fn tags_of(tags: &[Tag], f: &Filters) -> Option<Value> {
    let address = tags
        .iter()
        .find(|t| t.key() == Some(ADDRESS_TAG))
        .and_then(Tag::value);
    f.address_matches(address).then(|| {
        Value::Map(
            tags.iter()
                .filter_map(|t| Some((t.key()?.to_owned(), Value::from(t.value().unwrap_or_default()))))
                .collect(),
        )
    })
}

fn attrs<const N: usize>(pairs: [(&str, Value); N]) -> Attrs {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn text(v: Option<&str>) -> Value {
    v.map_or(Value::Null, Value::from)
}

async fn vpcs(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ec2 = &p.clients.ec2;
    let default = f.default.map(|d| d.to_string());
    let filters = ec2_filters(f, "vpc-id", &[("is-default", &default)]);
    let vpcs = p
        .list("ec2", "DescribeVpcs", || {
            paginate!(ec2.describe_vpcs().set_filters(Some(filters.clone())), vpcs)
        })
        .await?;
    Ok(vpcs
        .iter()
        .filter_map(|v| {
            let tags = tags_of(v.tags(), f)?;
            let user = match tags {
                Value::Map(m) => Value::Map(
                    m.into_iter()
                        .filter(|(k, _)| k != STACK_TAG && k != ADDRESS_TAG)
                        .collect(),
                ),
                other => other,
            };
            Some(attrs([
                ("id", text(v.vpc_id())),
                ("cidr", text(v.cidr_block())),
                ("tags", user),
            ]))
        })
        .collect())
}

async fn subnets(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ec2 = &p.clients.ec2;
    let switch = |on: Option<bool>| on.map(|b| b.to_string());
    let filters = ec2_filters(
        f,
        "subnet-id",
        &[
            ("vpc-id", &f.vpc),
            ("availability-zone", &f.zone),
            ("default-for-az", &switch(f.default)),
            ("map-public-ip-on-launch", &switch(f.public)),
        ],
    );
    let subnets = p
        .list("ec2", "DescribeSubnets", || {
            paginate!(ec2.describe_subnets().set_filters(Some(filters.clone())), subnets)
        })
        .await?;
    Ok(subnets
        .iter()
        .filter(|s| tags_of(s.tags(), f).is_some())
        .map(|s| {
            attrs([
                ("id", text(s.subnet_id())),
                ("cidr", text(s.cidr_block())),
                ("zone", text(s.availability_zone())),
                ("vpc", text(s.vpc_id())),
            ])
        })
        .collect())
}

async fn security_groups(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ec2 = &p.clients.ec2;
    let filters = ec2_filters(f, "group-id", &[("vpc-id", &f.vpc), ("group-name", &f.name)]);
    let groups = p
        .list("ec2", "DescribeSecurityGroups", || {
            paginate!(
                ec2.describe_security_groups().set_filters(Some(filters.clone())),
                security_groups
            )
        })
        .await?;
    Ok(groups
        .iter()
        .filter(|g| tags_of(g.tags(), f).is_some())
        .map(|g| {
            attrs([
                ("id", text(g.group_id())),
                ("name", text(g.group_name())),
                ("vpc", text(g.vpc_id())),
            ])
        })
        .collect())
}

/// The newest ISSUED certificate for the domain: by when it was issued
/// (or imported), which only DescribeCertificate tells.
async fn certificate(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    use aws_sdk_acm::types::CertificateStatus;
    let acm = &p.clients.acm;
    let summaries = p
        .list("acm", "ListCertificates", || {
            paginate!(
                acm.list_certificates()
                    .certificate_statuses(CertificateStatus::Issued),
                certificate_summary_list
            )
        })
        .await?;
    let mut newest: Option<(i64, String)> = None;
    for summary in summaries {
        if f.domain
            .as_deref()
            .is_some_and(|d| summary.domain_name() != Some(d))
        {
            continue;
        }
        let Some(arn) = summary.certificate_arn() else {
            continue;
        };
        let out = p
            .call("acm", "DescribeCertificate", || {
                acm.describe_certificate().certificate_arn(arn).send()
            })
            .await?;
        let Some(cert) = out.certificate() else { continue };
        let when = cert
            .issued_at()
            .or(cert.imported_at())
            .or(cert.created_at())
            .map_or(0, |t| t.secs());
        if newest.as_ref().is_none_or(|(t, _)| when >= *t) {
            newest = Some((when, arn.to_owned()));
        }
    }
    Ok(newest
        .map(|(_, arn)| attrs([("arn", Value::from(arn.as_str()))]))
        .into_iter()
        .collect())
}

/// Route 53 is global. A zone's id is `/hostedzone/Z...`: berth shows
/// the `Z...` part, as the console does.
async fn hosted_zones(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let r53 = &p.clients.route53;
    let dotted = |n: &str| format!("{}.", n.trim_end_matches('.'));
    let short = |id: &str| dns::zone_id(id).to_owned();
    let mut zones = Vec::new();
    if let Some(id) = &f.id {
        let found = p
            .call_unless("route53", "GetHostedZone", &["NoSuchHostedZone"], || {
                r53.get_hosted_zone().id(id).send()
            })
            .await?;
        zones.extend(found.and_then(|out| out.hosted_zone().cloned()));
    } else {
        // Sorted by name from the one asked; a name's zones come first.
        let mut start = f.name.as_deref().map(dotted);
        let mut next_id: Option<String> = None;
        loop {
            let (name, id) = (start.clone(), next_id.clone());
            let out = p
                .call("route53", "ListHostedZonesByName", || {
                    r53.list_hosted_zones_by_name()
                        .set_dns_name(name.clone())
                        .set_hosted_zone_id(id.clone())
                        .send()
                })
                .await?;
            let past = f.name.as_deref().is_some_and(|n| {
                out.hosted_zones()
                    .last()
                    .is_some_and(|z| dotted(z.name()) != dotted(n))
            });
            zones.extend(out.hosted_zones().iter().cloned());
            if !out.is_truncated() || past {
                break;
            }
            start = out.next_dns_name().map(str::to_owned);
            next_id = out.next_hosted_zone_id().map(str::to_owned);
        }
    }
    Ok(zones
        .iter()
        .filter(|z| f.name.as_deref().is_none_or(|n| dotted(z.name()) == dotted(n)))
        .filter(|z| {
            f.private
                .is_none_or(|want| z.config().is_some_and(|c| c.private_zone()) == want)
        })
        .map(|z| {
            attrs([
                ("id", Value::String(short(z.id()))),
                ("name", Value::String(dns::bare(z.name()))),
            ])
        })
        .collect())
}

/// EC2's DescribeManagedPrefixLists by id and name: AWS's own lists and
/// the account's. Tags are matched here (EC2 documents no tag filter for
/// this call).
async fn prefix_lists(p: &AwsProvider, f: &Filters) -> Result<Matches, ProviderError> {
    let ec2 = &p.clients.ec2;
    let by_id = Filters {
        id: f.id.clone(),
        ..Filters::default()
    };
    let filters = ec2_filters(&by_id, "prefix-list-id", &[("prefix-list-name", &f.name)]);
    let lists = p
        .list("ec2", "DescribeManagedPrefixLists", || {
            paginate!(
                ec2.describe_managed_prefix_lists()
                    .set_filters(Some(filters.clone())),
                prefix_lists
            )
        })
        .await?;
    Ok(lists
        .iter()
        .filter(|l| {
            f.tags.iter().all(|(k, v)| {
                l.tags().iter().any(|t| {
                    t.key() == Some(k.as_str()) && t.value().is_some_and(|tv| lookup::wildcard_matches(v, tv))
                })
            })
        })
        .map(|l| {
            attrs([
                ("id", text(l.prefix_list_id())),
                ("name", text(l.prefix_list_name())),
                ("arn", text(l.prefix_list_arn())),
            ])
        })
        .collect())
}
