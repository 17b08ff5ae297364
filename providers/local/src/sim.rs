//! The context every simulated API call runs in: the account's state, the
//! region, the random generator and the call counter.

use std::collections::BTreeMap;

use berth_provider::{Attrs, Kind, ProviderError, Value};
use fastrand::Rng;

use crate::api;
use crate::model::{Record, State};

/// One operation's view of the simulated cloud. It reads `st` directly
/// and changes it only through its methods, which keep what they change
/// in `undo`, so that a failed operation leaves nothing behind.
pub(crate) struct Sim<'a> {
    pub st: &'a mut State,
    pub region: &'a str,
    pub rng: &'a mut Rng,
    pub calls: &'a mut BTreeMap<String, u64>,
    pub undo: Undo,
}

/// What an operation changed, each with its value before: enough to put
/// the account back as it was.
#[derive(Debug, Default)]
pub(crate) struct Undo {
    resources: BTreeMap<String, Option<Record>>,
    families: BTreeMap<String, Option<i64>>,
    tokens: BTreeMap<String, Option<String>>,
}

impl Undo {
    /// Whether the operation changed nothing.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.families.is_empty() && self.tokens.is_empty()
    }

    /// Puts `st` back as it was before the operation.
    pub fn restore(self, st: &mut State) {
        for (key, before) in self.resources {
            match before {
                Some(rec) => st.resources.insert(key, rec),
                None => st.resources.remove(&key),
            };
        }
        for (family, before) in self.families {
            match before {
                Some(n) => st.families.insert(family, n),
                None => st.families.remove(&family),
            };
        }
        for (token, before) in self.tokens {
            match before {
                Some(key) => st.client_tokens.insert(token, key),
                None => st.client_tokens.remove(&token),
            };
        }
    }
}

impl Sim<'_> {
    /// Counts one call of the AWS API `name`.
    pub fn call(&mut self, name: &str) {
        *self.calls.entry(name.to_owned()).or_default() += 1;
    }

    /// `arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!("arn:aws:{service}:{}:{}:{resource}", self.region, self.st.account)
    }

    /// Whether the record is visible from this region (IAM is global).
    pub fn visible(&self, rec: &Record) -> bool {
        rec.region.as_deref().is_none_or(|r| r == self.region)
    }

    /// Every visible record of `kind`, by key.
    pub fn all(&self, kind: Kind) -> impl Iterator<Item = (&String, &Record)> {
        self.st
            .resources
            .iter()
            .filter(move |(_, r)| r.kind == kind && self.visible(r))
    }

    /// The key of the visible resource of `kind` whose identity value (id,
    /// ARN or, for log groups, name) is `identity`; ECS takes a cluster's
    /// name as well as its ARN. A kind that stands for `kind` is one (a
    /// VPC's default group is a security group).
    pub fn find(&self, kind: Kind, identity: &str) -> Option<String> {
        let is_kind = |r: &Record| r.kind == kind || r.kind.stands_for() == kind;
        if let Some(rec) = self.st.resources.get(identity)
            && is_kind(rec)
            && self.visible(rec)
        {
            return Some(identity.to_owned());
        }
        if kind == Kind::TaskDefinition && !identity.starts_with("arn:") {
            return self.task_definition_by_family(identity);
        }
        let field = kind.schema().identity;
        let by_name = kind == Kind::Cluster;
        self.st
            .resources
            .iter()
            .filter(|(_, r)| is_kind(r) && self.visible(r))
            .find(|(_, r)| {
                let is = |f: &str| r.attrs.get(f).and_then(|v| v.as_str()) == Some(identity);
                is(field) || (by_name && is("name"))
            })
            .map(|(k, _)| k.clone())
    }

    /// The task definition ECS names `family:revision`, or `family` alone:
    /// the family's latest ACTIVE revision.
    fn task_definition_by_family(&self, named: &str) -> Option<String> {
        let (family, revision) = match named.rsplit_once(':') {
            Some((family, revision)) => (family, Some(revision.parse::<i64>().ok()?)),
            None => (named, None),
        };
        let revision_of = |r: &Record| r.attrs.get("revision").and_then(Value::as_int);
        let of_family = self.st.resources.iter().filter(|(_, r)| {
            r.kind == Kind::TaskDefinition
                && self.visible(r)
                && r.attrs.get("family").and_then(|v| v.as_str()) == Some(family)
        });
        match revision {
            Some(revision) => of_family
                .filter(|(_, r)| revision_of(r) == Some(revision))
                .map(|(k, _)| k.clone())
                .next(),
            None => of_family
                .filter(|(_, r)| !r.is_inactive())
                .max_by_key(|(_, r)| revision_of(r))
                .map(|(k, _)| k.clone()),
        }
    }

    /// The attributes of the visible resource of `kind` with identity
    /// `identity`, or the error `call` fails with when there is none.
    pub fn need(&self, kind: Kind, identity: &str, call: &str) -> Result<(String, &Record), ProviderError> {
        self.find(kind, identity)
            .and_then(|k| self.st.resources.get(&k).map(|r| (k, r)))
            .ok_or_else(|| not_found(kind, identity, call))
    }

    /// The stored record at `key`.
    pub fn rec(&self, key: &str) -> Option<&Record> {
        self.st.resources.get(key)
    }

    /// Keeps `key`'s record as it is before its first change.
    fn touch(&mut self, key: &str) {
        if !self.undo.resources.contains_key(key) {
            let before = self.st.resources.get(key).cloned();
            self.undo.resources.insert(key.to_owned(), before);
        }
    }

    /// The stored record at `key`, to change.
    pub fn rec_mut(&mut self, key: &str) -> Option<&mut Record> {
        self.touch(key);
        self.st.resources.get_mut(key)
    }

    /// The stored attributes at `key`, to change.
    pub fn attrs_mut(&mut self, key: &str) -> Option<&mut Attrs> {
        self.rec_mut(key).map(|r| &mut r.attrs)
    }

    /// Deletes the record at `key`.
    pub fn remove(&mut self, key: &str) {
        self.touch(key);
        self.st.resources.remove(key);
    }

    /// Records the resource a create with client token `token` made.
    pub fn set_token(&mut self, token: String, key: String) {
        if !self.undo.tokens.contains_key(&token) {
            let before = self.st.client_tokens.get(&token).cloned();
            self.undo.tokens.insert(token.clone(), before);
        }
        self.st.client_tokens.insert(token, key);
    }

    /// Records the last revision registered in a task-definition family.
    pub fn set_family(&mut self, family: &str, revision: i64) {
        if !self.undo.families.contains_key(family) {
            let before = self.st.families.get(family).copied();
            self.undo.families.insert(family.to_owned(), before);
        }
        self.st.families.insert(family.to_owned(), revision);
    }

    /// A key made by `make` that no resource has yet.
    pub fn fresh(&mut self, make: impl Fn(&mut Rng) -> String) -> String {
        loop {
            let key = make(self.rng);
            if !self.st.resources.contains_key(&key) {
                return key;
            }
        }
    }

    /// Stores a new resource whose key is its ARN, with its `name` and
    /// `arn` among its attributes; returns the ARN.
    pub fn insert_named(
        &mut self,
        kind: Kind,
        arn: String,
        name: String,
        tags: BTreeMap<String, String>,
        mut attrs: Attrs,
        global: bool,
    ) -> String {
        attrs.insert("name".to_owned(), Value::String(name));
        attrs.insert("arn".to_owned(), Value::String(arn.clone()));
        self.insert(&arn, kind, tags, attrs, global);
        arn
    }

    /// Stores a new resource.
    pub fn insert(
        &mut self,
        key: &str,
        kind: Kind,
        tags: BTreeMap<String, String>,
        attrs: Attrs,
        global: bool,
    ) {
        let rec = Record {
            kind,
            region: if global {
                None
            } else {
                Some(self.region.to_owned())
            },
            tags,
            attrs,
            status: None,
            default_egress: false,
            created: Some(humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()),
        };
        self.touch(key);
        self.st.resources.insert(key.to_owned(), rec);
    }
}

/// The error AWS gives for a reference to a missing resource of `kind`.
pub(crate) fn not_found(kind: Kind, identity: &str, call: &str) -> ProviderError {
    let message = match kind {
        Kind::Vpc => format!("The vpc ID '{identity}' does not exist"),
        Kind::Subnet => format!("The subnet ID '{identity}' does not exist"),
        Kind::InternetGateway => format!("The internetGateway ID '{identity}' does not exist"),
        Kind::DefaultNetworkAcl | Kind::NetworkAcl => {
            format!("The networkAcl ID '{identity}' does not exist")
        }
        Kind::RouteTable | Kind::DefaultRouteTable => {
            format!("The routeTable ID '{identity}' does not exist")
        }
        Kind::SecurityGroup | Kind::DefaultSecurityGroup => {
            format!("The security group '{identity}' does not exist")
        }
        Kind::SecurityGroupRule => format!("The security group rule ID '{identity}' does not exist"),
        Kind::LoadBalancer => format!("Load balancer '{identity}' not found"),
        Kind::TargetGroup => format!("Target groups '{identity}' not found"),
        Kind::Listener => format!("Listener '{identity}' not found"),
        Kind::ListenerRule => format!("Rule '{identity}' not found"),
        Kind::Cluster => "Cluster not found.".to_owned(),
        Kind::LogGroup => format!("The specified log group does not exist: {identity}"),
        Kind::Role => format!("The role with name {identity} cannot be found."),
        Kind::ManagedPolicy => format!("Policy {identity} was not found."),
        Kind::TaskDefinition => format!("Unable to describe task definition {identity}."),
        Kind::Service => "Service not found.".to_owned(),
        Kind::ElasticIp => format!("The allocation ID '{identity}' does not exist"),
        Kind::NatGateway => format!("The Nat Gateway {identity} was not found"),
        Kind::VpcEndpoint => format!("The Vpc Endpoint Id '{identity}' does not exist"),
        Kind::EcrRepository => format!("The repository '{identity}' does not exist in the registry"),
        Kind::DnsNamespace => format!("Namespace {identity} not found"),
        Kind::DiscoveryService => format!("Service {identity} not found"),
        Kind::HostedZone => format!("No hosted zone found with ID: {identity}"),
        Kind::DnsRecord => format!("[Tried to delete resource record set {identity} but it was not found]"),
        Kind::SsmParameter => format!("Parameter {identity} not found."),
        Kind::MetricAlarm => format!("Alarm {identity} does not exist."),
        Kind::Secret => "Secrets Manager can't find the specified secret.".to_owned(),
        Kind::Certificate => format!("Could not find certificate {identity}."),
        Kind::KmsKey => format!("Key '{identity}' does not exist"),
        Kind::FlowLog => {
            format!("These flow log ids in the input list are not found: [TotalCount: 1] {identity}")
        }
        Kind::SnsTopic => "Topic does not exist".to_owned(),
        Kind::S3Bucket => "The specified bucket does not exist".to_owned(),
        Kind::SqsQueue => "The specified queue does not exist.".to_owned(),
        Kind::EfsFileSystem => format!("File system '{identity}' does not exist."),
        Kind::EfsAccessPoint => format!("Access point '{identity}' does not exist."),
        Kind::EventRule => format!("Rule {identity} does not exist on EventBus default."),
    };
    api::fail(call, api::of(kind).not_found, message)
}

/// A detached simulated account for unit tests of single API calls.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use berth_provider::Value;

    pub(crate) struct Harness {
        pub st: State,
        pub rng: Rng,
        pub calls: BTreeMap<String, u64>,
    }

    impl Harness {
        pub fn new() -> Self {
            Harness {
                st: State::default(),
                rng: Rng::with_seed(1),
                calls: BTreeMap::new(),
            }
        }

        pub fn sim(&mut self) -> Sim<'_> {
            Sim {
                st: &mut self.st,
                region: "us-east-1",
                rng: &mut self.rng,
                calls: &mut self.calls,
                undo: Undo::default(),
            }
        }

        /// Stores a bare record of `kind` with `attrs`, as if created.
        pub fn put(&mut self, key: &str, kind: Kind, attrs: &[(&str, Value)]) {
            let attrs = attrs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            self.sim().insert(key, kind, BTreeMap::new(), attrs, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Harness;
    use super::*;

    /// ECS takes a task definition as `family:revision` or `family` (its
    /// latest ACTIVE revision), as Terraform stacks name it.
    #[test]
    fn a_task_definition_is_found_by_family_and_revision() {
        let mut h = Harness::new();
        for revision in 1..=3 {
            let attrs = [
                ("family", Value::from("app")),
                ("revision", Value::Int(revision)),
                ("arn", Value::from(format!("arn:td/app:{revision}"))),
            ];
            h.put(&format!("app:{revision}"), Kind::TaskDefinition, &attrs);
        }
        if let Some(r) = h.st.resources.get_mut("app:3") {
            r.status = Some(crate::model::INACTIVE.to_owned());
        }
        let sim = h.sim();
        let find = |named: &str| sim.find(Kind::TaskDefinition, named);
        assert_eq!(find("app").as_deref(), Some("app:2"));
        assert_eq!(find("app:3").as_deref(), Some("app:3"));
        assert_eq!(find("arn:td/app:1").as_deref(), Some("app:1"));
        assert_eq!((find("app:4"), find("other"), find("app:x")), (None, None, None));
    }
}
