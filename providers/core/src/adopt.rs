//! Adopting a live resource berth did not create (`berth import ADDRESS
//! ID`): reading it by its id whatever its tags, what it carries of
//! berth's tags already, and what berth tags besides the resource itself
//! (a listener's rules, a DNS record's marker). Every kind can be
//! adopted, on both clouds.

use std::collections::BTreeMap;

use crate::{ADDRESS_TAG, Address, Attrs, Kind, Resource, STACK_TAG, Value};

/// berth's tags a live resource carries: whose it is already, if anyone's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Owner {
    /// `berth:stack`, when set.
    pub stack: Option<String>,
    /// `berth:address`, when set.
    pub address: Option<String>,
}

impl Owner {
    /// berth's tags among `tags`; `None` when it carries neither.
    pub fn of<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<Owner> {
        let mut owner = Owner::default();
        for (k, v) in tags {
            if k == STACK_TAG {
                owner.stack = Some(v.to_owned());
            } else if k == ADDRESS_TAG {
                owner.address = Some(v.to_owned());
            }
        }
        (owner != Owner::default()).then_some(owner)
    }
}

/// A live resource read by its id: in the canonical form `read_stack`
/// returns, at the address it is to be adopted to, with the berth tags it
/// carries.
#[derive(Clone, Debug)]
pub struct Found {
    pub resource: Resource,
    pub owner: Option<Owner>,
}

/// The tags adopting a resource into `stack` sets on it.
pub fn adoption_tags(stack: &str, address: &Address) -> BTreeMap<String, String> {
    BTreeMap::from([
        (STACK_TAG.to_owned(), stack.to_owned()),
        (ADDRESS_TAG.to_owned(), address.to_string()),
    ])
}

/// The call that reads one resource by its id: named when it finds
/// nothing.
pub fn read_call(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "DescribeVpcs",
        Kind::Subnet => "DescribeSubnets",
        Kind::InternetGateway => "DescribeInternetGateways",
        Kind::RouteTable | Kind::DefaultRouteTable => "DescribeRouteTables",
        Kind::DefaultNetworkAcl | Kind::NetworkAcl => "DescribeNetworkAcls",
        Kind::SecurityGroup | Kind::DefaultSecurityGroup => "DescribeSecurityGroups",
        Kind::SecurityGroupRule => "DescribeSecurityGroupRules",
        Kind::LoadBalancer => "DescribeLoadBalancers",
        Kind::TargetGroup => "DescribeTargetGroups",
        Kind::Listener => "DescribeListeners",
        Kind::ListenerRule => "DescribeRules",
        Kind::LogGroup => "DescribeLogGroups",
        Kind::Role => "GetRole",
        Kind::ManagedPolicy => "GetPolicy",
        Kind::Cluster => "DescribeClusters",
        Kind::TaskDefinition => "DescribeTaskDefinition",
        Kind::Service => "DescribeServices",
        Kind::ElasticIp => "DescribeAddresses",
        Kind::NatGateway => "DescribeNatGateways",
        Kind::VpcEndpoint => "DescribeVpcEndpoints",
        Kind::EcrRepository => "DescribeRepositories",
        Kind::DnsNamespace => "GetNamespace",
        Kind::DiscoveryService => "GetService",
        Kind::HostedZone => "GetHostedZone",
        Kind::DnsRecord => "ListResourceRecordSets",
        Kind::SsmParameter => "DescribeParameters",
        Kind::MetricAlarm => "DescribeAlarms",
        Kind::Secret => "DescribeSecret",
        Kind::Certificate => "DescribeCertificate",
        Kind::KmsKey => "DescribeKey",
        Kind::FlowLog => "DescribeFlowLogs",
        Kind::SnsTopic => "GetTopicAttributes",
        Kind::S3Bucket => "GetBucketTagging",
        Kind::SqsQueue => "GetQueueAttributes",
        Kind::EfsFileSystem => "DescribeFileSystems",
        Kind::EfsAccessPoint => "DescribeAccessPoints",
        Kind::EventRule => "DescribeRule",
    }
}

/// The cluster and the service of the id `berth import` takes for an ECS
/// service: `CLUSTER/SERVICE`, or the service's ARN
/// (`arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE`). `None` for an
/// id that names no cluster (a bare name, or an ARN of the old format).
pub fn service_in(id: &str) -> Option<(&str, &str)> {
    let path = match id.strip_prefix("arn:") {
        Some(_) => id.split_once(":service/")?.1,
        None => id,
    };
    path.split_once('/')
        .filter(|(cluster, service)| !cluster.is_empty() && !service.is_empty() && !service.contains('/'))
}

/// The family and revision of the id `berth import` takes for a task
/// definition: `FAMILY:REVISION`, the ARN
/// (`arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`), or
/// `FAMILY` alone for its latest active revision (`None` revision).
pub fn revision_in(id: &str) -> (&str, Option<i64>) {
    let tail = id.split_once(":task-definition/").map_or(id, |(_, t)| t);
    match tail.rsplit_once(':') {
        Some((family, revision)) => match revision.parse() {
            Ok(n) => (family, Some(n)),
            Err(_) => (tail, None),
        },
        None => (tail, None),
    }
}

/// Labels the rules of a listener read by its id with the labels of the
/// declared rules of the same priority (a listener's priorities are
/// unique): a rule made outside berth carries no `berth:rule` tag and
/// reads as `priority-N`. Adopting the listener then tags each rule with
/// its label, so the next plan compares rule with rule instead of
/// deleting and creating them.
pub fn label_rules(listener: &mut Attrs, labels: &BTreeMap<i64, String>) {
    let Some(Value::List(rules)) = listener.get_mut("rule") else {
        return;
    };
    for rule in rules {
        if let Value::Map(rule) = rule
            && let Some(label) = rule
                .get("priority")
                .and_then(Value::as_int)
                .and_then(|p| labels.get(&p))
        {
            rule.insert("name".to_owned(), Value::String(label.clone()));
        }
    }
}

/// The labels of a listener's rules, by priority.
pub fn rule_labels(listener: &Attrs) -> BTreeMap<i64, String> {
    let Some(Value::List(rules)) = listener.get("rule") else {
        return BTreeMap::new();
    };
    rules
        .iter()
        .filter_map(|rule| {
            let Value::Map(rule) = rule else { return None };
            let priority = rule.get("priority")?.as_int()?;
            Some((priority, rule.get("name")?.as_str()?.to_owned()))
        })
        .collect()
}

/// Attributes AWS does not report on a resource made outside berth (berth
/// keeps them in a tag of its own): a private DNS namespace's VPC is an
/// association of its hosted zone, which Cloud Map does not return. On
/// adoption they are taken from the block, and adopting tags them.
pub fn unreported(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::DnsNamespace => &["vpc"],
        _ => &[],
    }
}

/// The refusal of `call`, a create of `kind` named `name` for `address`,
/// where a resource carrying `held` tags holds that name already (the
/// create would take it over): names the holder when it is berth's, and
/// `berth import`. Both clouds refuse alike.
pub fn name_held(
    call: &str,
    kind: Kind,
    name: &str,
    address: &Address,
    held: &BTreeMap<&str, &str>,
) -> crate::ProviderError {
    let holder = match (held.get(STACK_TAG), held.get(ADDRESS_TAG)) {
        (Some(s), Some(a)) => format!(" as {a} of stack {s}"),
        _ => String::new(),
    };
    crate::ProviderError::permanent(
        call,
        "AlreadyExists",
        format!(
            "the {kind} {name} exists already{holder}, not as this stack's {address}: \
             `berth import {address} {name}` adopts it, or give this one another `name`"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_is_whatever_berth_tags_a_resource_carries() {
        assert_eq!(Owner::of([("Name", "legacy")]), None);
        assert_eq!(
            Owner::of([("berth:stack", "other"), ("team", "x")]),
            Some(Owner {
                stack: Some("other".into()),
                address: None
            })
        );
        let address: Address = "vpc.main".parse().expect("address");
        let tags = adoption_tags("app", &address);
        assert_eq!(
            Owner::of(tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            Some(Owner {
                stack: Some("app".into()),
                address: Some("vpc.main".into())
            })
        );
    }

    #[test]
    fn ids_of_services_and_task_definitions() {
        assert_eq!(service_in("legacy/web"), Some(("legacy", "web")));
        assert_eq!(
            service_in("arn:aws:ecs:us-east-1:123456789012:service/legacy/web"),
            Some(("legacy", "web"))
        );
        assert_eq!(service_in("web"), None);
        assert_eq!(service_in("arn:aws:ecs:us-east-1:123456789012:service/web"), None);
        assert_eq!(revision_in("app:3"), ("app", Some(3)));
        assert_eq!(revision_in("app"), ("app", None));
        assert_eq!(
            revision_in("arn:aws:ecs:us-east-1:123456789012:task-definition/app:12"),
            ("app", Some(12))
        );
    }

    #[test]
    fn rules_take_the_label_of_the_declared_rule_of_their_priority() {
        let rule = |name: &str, priority: i64| {
            Value::Map(
                [
                    ("name".to_owned(), Value::from(name)),
                    ("priority".to_owned(), Value::Int(priority)),
                ]
                .into(),
            )
        };
        let mut found: Attrs = [(
            "rule".to_owned(),
            Value::List(vec![rule("priority-10", 10), rule("priority-20", 20)]),
        )]
        .into();
        label_rules(&mut found, &BTreeMap::from([(10, "login".to_owned())]));
        assert_eq!(
            found["rule"],
            Value::List(vec![rule("login", 10), rule("priority-20", 20)])
        );
        assert_eq!(
            rule_labels(&found),
            BTreeMap::from([(10, "login".to_owned()), (20, "priority-20".to_owned())])
        );
    }
}
