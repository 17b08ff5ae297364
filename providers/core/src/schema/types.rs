use crate::Kind;

/// The type of an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    /// A whole number.
    Int,
    /// A number that may have a fraction (`70.5`), where AWS takes a
    /// double: thresholds, target values, step bounds.
    Number,
    Bool,
    /// An IPv4 CIDR block such as `10.0.0.0/16`.
    Cidr,
    /// An IPv4 or IPv6 CIDR block (`0.0.0.0/0`, `::/0`), where AWS takes
    /// either, as security group rules do.
    AnyCidr,
    List(&'static Type),
    /// Written as a list; order does not matter and AWS may return any order.
    Set(&'static Type),
    Map(&'static Type),
    /// A reference to a resource of this kind (`vpc.main`); evaluates to the
    /// referenced resource's identity attribute.
    Ref(Kind),
    /// A command as Docker takes it: a string run by the shell, or a list
    /// (`["CMD", "curl", "-f", URL]`, `["CMD-SHELL", "curl ... || exit 1"]`).
    Command,
    /// An IAM policy document: a map shaped like its JSON (`Version`,
    /// `Statement`, ...) or a string of JSON; see [`crate::policy`].
    Document,
    /// JSON text AWS stores as given and compares by its value (an event
    /// pattern, a target's input): a string of JSON, or a map or list
    /// written as its JSON; held compact, keys sorted.
    Json,
    /// A setting AWS spells `enabled`/`disabled` that has more modes than
    /// on and off: `true`, `false` (or those two words, any case), or one of
    /// these modes (Container Insights' `enhanced`).
    Switch(&'static [&'static str]),
}

impl Type {
    /// Whether `value` (a value AWS would be sent, never null) is of this
    /// type.
    pub fn admits(&self, value: &crate::Value) -> bool {
        use crate::Value;
        match (self, value) {
            (Type::String | Type::Cidr | Type::AnyCidr | Type::Ref(_) | Type::Command, Value::String(_)) => {
                true
            }
            (Type::Command, Value::List(items)) => items.iter().all(|i| Type::String.admits(i)),
            (Type::Int | Type::Number, Value::Int(_))
            | (Type::Number, Value::Decimal(_))
            | (Type::Bool | Type::Switch(_), Value::Bool(_)) => true,
            (Type::Switch(modes), Value::String(s)) => modes.contains(&s.as_str()),
            (Type::List(inner) | Type::Set(inner), Value::List(items)) => {
                items.iter().all(|i| inner.admits(i))
            }
            (Type::Map(inner), Value::Map(map)) => map.values().all(|v| inner.admits(v)),
            (Type::Document, Value::Map(_) | Value::String(_)) => true,
            (Type::Json, Value::Map(_) | Value::List(_) | Value::String(_)) => true,
            _ => false,
        }
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Int => f.write_str("number"),
            Type::Number => f.write_str("decimal number"),
            Type::Bool => f.write_str("bool"),
            Type::Cidr => f.write_str("CIDR string"),
            Type::AnyCidr => f.write_str("IPv4 or IPv6 CIDR string"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Set(t) => write!(f, "set of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Ref(k) => write!(f, "reference to a {k}"),
            Type::Command => f.write_str("string or list of strings"),
            Type::Document => f.write_str("policy document"),
            Type::Json => f.write_str("JSON text"),
            Type::Switch(modes) => {
                f.write_str("bool")?;
                modes.iter().try_for_each(|m| write!(f, " or `\"{m}\"`"))
            }
        }
    }
}

/// A default value, as AWS applies it when the attribute is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Str(&'static str),
    EmptyList,
    EmptyMap,
}

impl From<Literal> for crate::Value {
    fn from(lit: Literal) -> Self {
        match lit {
            Literal::Bool(b) => crate::Value::Bool(b),
            Literal::Int(i) => crate::Value::Int(i),
            Literal::Str(s) => crate::Value::from(s),
            Literal::EmptyList => crate::Value::List(Vec::new()),
            Literal::EmptyMap => crate::Value::Map(Default::default()),
        }
    }
}

/// Whether an attribute must, may or cannot be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    /// Optional; when left out, AWS uses this value.
    Default(Literal),
    /// Optional; when left out, AWS picks a value of its own (a load
    /// balancer gets the VPC's default security group) and berth keeps
    /// whatever it picked rather than report it as drift.
    ChosenByAws,
    /// Optional: the resource's name in AWS, kept exactly as written; when
    /// left out berth derives one (and keeps whatever it derived rather
    /// than report it as drift). Readable through references either way.
    Named,
    /// Set by the cloud (ids, ARNs); readable through references only.
    Computed,
}

/// What changing an attribute does to the live resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// AWS can change it on the live resource.
    InPlace,
    /// AWS cannot change it: the resource is replaced.
    Replace,
}

/// How a string attribute's spellings fold into one, where AWS does not
/// tell them apart (`TCP` and `tcp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Written as given.
    AsWritten,
    /// AWS keeps it lower-case.
    Lower,
    /// AWS keeps it upper-case.
    Upper,
}

/// One attribute of a kind or of a nested block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr {
    pub name: &'static str,
    pub ty: Type,
    pub presence: Presence,
    pub update: Update,
    /// Never shown in plans, logs or JSON.
    pub sensitive: bool,
    /// The AWS API field it maps to.
    pub aws: &'static str,
    pub doc: &'static str,
    /// How spellings that AWS does not tell apart fold into one.
    pub case: Case,
    /// A value AWS reports for "not set" (a container's `cpu` of 0): it
    /// compares equal to leaving the attribute out.
    pub unset: Option<Literal>,
    /// The inclusive range of numbers the AWS field accepts, for `Int`
    /// attributes; `validate` refuses anything outside it, so no number is
    /// ever truncated into the SDK's narrower integer type.
    pub range: Option<(i64, i64)>,
}

impl Attr {
    pub const fn required(name: &'static str, ty: Type, aws: &'static str, doc: &'static str) -> Attr {
        Attr {
            name,
            ty,
            presence: Presence::Required,
            update: Update::InPlace,
            sensitive: false,
            aws,
            doc,
            case: Case::AsWritten,
            unset: None,
            range: None,
        }
    }

    pub const fn optional(name: &'static str, ty: Type, aws: &'static str, doc: &'static str) -> Attr {
        Attr {
            presence: Presence::Optional,
            ..Attr::required(name, ty, aws, doc)
        }
    }

    pub const fn default(
        name: &'static str,
        ty: Type,
        value: Literal,
        aws: &'static str,
        doc: &'static str,
    ) -> Attr {
        Attr {
            presence: Presence::Default(value),
            ..Attr::required(name, ty, aws, doc)
        }
    }

    pub const fn chosen_by_aws(name: &'static str, ty: Type, aws: &'static str, doc: &'static str) -> Attr {
        Attr {
            presence: Presence::ChosenByAws,
            ..Attr::required(name, ty, aws, doc)
        }
    }

    /// The resource's name in AWS: optional, berth's own when left out.
    /// AWS renames none of the named kinds, so a change replaces.
    pub const fn named(name: &'static str, aws: &'static str, doc: &'static str) -> Attr {
        Attr {
            presence: Presence::Named,
            update: Update::Replace,
            ..Attr::required(name, Type::String, aws, doc)
        }
    }

    pub const fn computed(name: &'static str, ty: Type, aws: &'static str, doc: &'static str) -> Attr {
        Attr {
            presence: Presence::Computed,
            ..Attr::required(name, ty, aws, doc)
        }
    }

    /// Marks the attribute as forcing replacement when changed.
    pub const fn replaces(self) -> Attr {
        Attr {
            update: Update::Replace,
            ..self
        }
    }

    /// Marks the attribute as sensitive.
    pub const fn sensitive(self) -> Attr {
        Attr {
            sensitive: true,
            ..self
        }
    }

    /// Marks a string attribute whose case AWS folds to `case`.
    pub const fn folded(self, case: Case) -> Attr {
        Attr { case, ..self }
    }

    /// Marks `value` as AWS's way of reporting the attribute unset.
    pub const fn unset_when(self, value: Literal) -> Attr {
        Attr {
            unset: Some(value),
            ..self
        }
    }

    pub fn is_computed(&self) -> bool {
        self.presence == Presence::Computed
    }

    /// Whether the cloud may settle the value when the configuration
    /// leaves it out (computed, chosen by AWS or named by berth): a
    /// reference to it is known after apply unless it is written.
    pub fn is_settled_by_cloud(&self) -> bool {
        matches!(self.presence, Presence::Computed | Presence::Named)
    }

    /// The value AWS uses when the attribute is left out: its default, or
    /// null.
    pub fn default_value(&self) -> crate::Value {
        match self.presence {
            Presence::Default(lit) => lit.into(),
            _ => crate::Value::Null,
        }
    }

    /// Sets the inclusive range of numbers the AWS field accepts.
    pub const fn range(self, lo: i64, hi: i64) -> Attr {
        Attr {
            range: Some((lo, hi)),
            ..self
        }
    }
}

/// A nested block such as `container app { }` or `ingress { }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub name: &'static str,
    /// Whether each instance is named (`container app { }`).
    pub labelled: bool,
    pub min: usize,
    pub max: Option<usize>,
    pub update: Update,
    pub attrs: &'static [Attr],
    pub blocks: &'static [Block],
    pub aws: &'static str,
    pub doc: &'static str,
    /// The order its instances are held and shown in.
    pub order: Order,
    /// AWS always holds one (a target group's health check): an instance
    /// equal to the defaults is the same as none.
    pub implicit: bool,
    /// Spellings of the block's body that mean the same to AWS.
    pub spelling: Spelling,
}

/// The order of a nested block's instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Sorted by their content (labelled ones by name): AWS keeps no order.
    Content,
    /// As written: the order matters to AWS (port mappings).
    Written,
    /// By the number in this attribute, as AWS evaluates them (network ACL
    /// entries by `rule_no`).
    By(&'static str),
}

/// Bodies that AWS accepts in several spellings and stores in one. Each
/// variant names the rewrite [`super::canonical`] applies to both the
/// configuration and what the cloud returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// One spelling only.
    Plain,
    /// A security group rule: `port` or `from_port`/`to_port`, protocol
    /// names or numbers, ports ignored for all-traffic rules.
    SecurityGroupRule,
    /// A security group: AWS's lone default egress rule is no `egress`.
    SecurityGroup,
    /// A listener: one `weighted_forward` is `default`.
    Listener,
    /// A container: `port` is its first TCP port mapping; a
    /// `restart_policy` with `enabled = false` is none.
    Container,
    /// A role: a trust policy that only lets one service assume it is
    /// `assume = "SERVICE"`.
    Role,
    /// A listener rule: `path = P` is `paths = [P]`, `host = H` is
    /// `hosts = [H]`.
    ListenerRule,
    /// A DNS name: `example.com.` (as Route 53 answers it) is
    /// `example.com`, in `name` and in an `alias` block's `name`; a bare
    /// TXT or SPF value (`v=spf1 ~all`) is the quoted string Route 53
    /// takes (`"v=spf1 ~all"`).
    DnsName,
    /// A Cloud Map service: any custom health check failure threshold is
    /// the 1 AWS stores.
    DiscoveryService,
    /// An ECS service: a `service_connect` block with `enabled = false` is
    /// none (ECS's way of leaving Service Connect).
    Service,
    /// A Service Connect `service`: a `discovery_name` equal to the
    /// `port_name` is none (ECS's default).
    ServiceConnectService,
    /// A metric alarm: a load balancer's or target group's ARN among its
    /// `dimensions` is the suffix CloudWatch names it by (`app/NAME/ID`).
    MetricAlarm,
    /// A target group: a `TCP` health check has no path or matcher, and in
    /// a TCP, UDP, TCP_UDP or TLS group one equal to the defaults is none.
    TargetGroup,
    /// A load balancer: a Network Load Balancer has none of an Application
    /// Load Balancer's settings (their defaults are not its values).
    LoadBalancer,
    /// A certificate: its domain name among its alternative names (ACM
    /// lists it there) is none.
    Certificate,
    /// A task definition: `requires_compatibilities = ["FARGATE"]` is none
    /// (berth registers for Fargate only).
    TaskDefinition,
    /// An EventBridge target: a target without `task_definition` has no
    /// ECS settings (their defaults are not its values).
    EventTarget,
    /// A network ACL entry: protocol numbers are names (`6` is `tcp`),
    /// ports only for TCP and UDP, ICMP type and code only for ICMP.
    NetworkAclEntry,
    /// A service's target-tracking policy: its metric under AWS's name
    /// (`ECSServiceAverageCPUUtilization`, CloudFormation's and Terraform's
    /// `PredefinedMetricType`) is berth's (`cpu`).
    TargetTracking,
}

impl Block {
    /// The first attribute of `attrs` (a resource's, every reference
    /// answered) whose value is not of its type, as `PATH: expected TYPE,
    /// got TYPE`; nested blocks are walked. What the language checks before
    /// evaluation may still be computed wrong at apply (a function of values
    /// known only then): sent, an SDK would drop it without a word.
    pub fn mistyped(&self, attrs: &crate::Attrs) -> Option<String> {
        for (name, value) in attrs {
            if *value == crate::Value::Null {
                continue;
            }
            if let Some(attr) = self.attr(name)
                && !attr.is_computed()
                && !attr.ty.admits(value)
            {
                return Some(format!("{name}: expected {}, got {}", attr.ty, value.type_name()));
            }
            if let (Some(nested), crate::Value::List(items)) = (self.block(name), value) {
                for item in items {
                    if let Some(found) = item.as_map().and_then(|m| nested.mistyped(m)) {
                        return Some(format!("{name}.{found}"));
                    }
                }
            }
        }
        None
    }

    pub fn attr(&self, name: &str) -> Option<&'static Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&'static Block> {
        self.blocks.iter().find(|b| b.name == name)
    }
}

/// How a replaced resource makes way for its successor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplaceOrder {
    /// Both can exist at once (names carry a unique suffix, or a new revision
    /// is registered): create the new one, repoint dependents, delete the old.
    CreateBeforeDestroy,
    /// The new one would clash with the old (same CIDR, same name): delete
    /// first, then create.
    DestroyBeforeCreate,
}

/// The schema of one resource kind.
#[derive(Debug, PartialEq, Eq)]
pub struct KindSchema {
    pub kind: Kind,
    /// The computed attribute a bare reference (`vpc.main`) evaluates to.
    pub identity: &'static str,
    pub replace: ReplaceOrder,
    pub attrs: &'static [Attr],
    pub blocks: &'static [Block],
    pub aws: &'static str,
    pub doc: &'static str,
    /// Spellings of the kind's body that mean the same to AWS.
    pub spelling: Spelling,
}

impl KindSchema {
    pub fn attr(&self, name: &str) -> Option<&'static Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&'static Block> {
        self.blocks.iter().find(|b| b.name == name)
    }

    /// Whether changing `attr` from `old` to `new` replaces the resource:
    /// its [`Update`], or the kind's own rule where AWS changes some values
    /// in place and not others. A hosted zone takes and drops VPCs in place
    /// (AssociateVPCWithHostedZone), but is public or private for life.
    /// An internet gateway found detached is attached again in place.
    pub fn forces_replacement(&self, attr: &Attr, old: &crate::Value, new: &crate::Value) -> bool {
        let none = |v: &crate::Value| v.as_list().is_none_or(<[crate::Value]>::is_empty);
        match (self.kind, attr.name) {
            (Kind::InternetGateway, "vpc") => *old != crate::Value::Null,
            (Kind::HostedZone, "vpcs") => attr.update == Update::Replace || none(old) != none(new),
            _ => attr.update == Update::Replace,
        }
    }

    /// How a resource with these desired attributes is replaced: a kind
    /// whose generated names carry a random suffix (load balancers, target
    /// groups, security groups) can create the successor first, unless the
    /// configuration fixes the name the live one has: then the two would
    /// clash, and the old one goes first (a security group's name clashes
    /// only within its VPC). A subnet can too when its new
    /// CIDR does not overlap its old one, or it moves to another VPC (CIDRs
    /// clash only within one VPC), and a Cloud Map namespace or service
    /// under another name or in another parent: what uses the old one (load
    /// balancers, ECS services) moves to the successor before the old one
    /// goes, which AWS would refuse to delete while in use.
    pub fn replace_order(&self, desired: &crate::Attrs, live: &crate::Attrs) -> ReplaceOrder {
        let moved = |attr: &str| desired.get(attr) != live.get(attr);
        let given = |attr: &str| desired.get(attr).is_some_and(|v| *v != crate::Value::Null);
        let clash_free = match self.kind {
            crate::Kind::Subnet => moved("vpc") || disjoint(desired.get("cidr"), live.get("cidr")),
            // A namespace's name is its hosted zone's; a Cloud Map service's
            // name is unique within its namespace.
            crate::Kind::DnsNamespace => moved("name") || moved("vpc"),
            crate::Kind::DiscoveryService => moved("name") || moved("namespace"),
            // An ECS service's name is unique within its cluster: one
            // renamed (Terraform's zero-downtime rename) or moved runs
            // beside the old one until that one goes.
            crate::Kind::Service => (given("name") && moved("name")) || moved("cluster"),
            // A security group's name is unique within its VPC only.
            crate::Kind::SecurityGroup => moved("vpc"),
            // EC2 refuses a second flow log of one resource to one
            // destination (FlowLogAlreadyExists; moto whatever the traffic
            // type); a destination left out of the configuration is
            // whatever AWS answered for the other one.
            crate::Kind::FlowLog => {
                ["vpc", "subnet", "destination_type"].iter().any(|a| moved(a))
                    || ["log_group", "destination"].iter().any(|a| given(a) && moved(a))
            }
            _ => false,
        };
        if clash_free {
            return ReplaceOrder::CreateBeforeDestroy;
        }
        // ELB and EC2 names are case-insensitive: `Web` clashes with `web`.
        let same_name = |a: &Attr| match (desired.get(a.name), live.get(a.name)) {
            (Some(crate::Value::String(d)), Some(crate::Value::String(l))) => d.eq_ignore_ascii_case(l),
            (Some(d), l) => *d != crate::Value::Null && Some(d) == l,
            (None, _) => false,
        };
        let fixed_name = self
            .attrs
            .iter()
            .any(|a| a.presence == Presence::Named && same_name(a));
        match self.kind {
            crate::Kind::LoadBalancer
            | crate::Kind::TargetGroup
            | crate::Kind::SecurityGroup
            | crate::Kind::S3Bucket
            | crate::Kind::SqsQueue
            | crate::Kind::EfsFileSystem
                if fixed_name =>
            {
                ReplaceOrder::DestroyBeforeCreate
            }
            _ => self.replace,
        }
    }

    /// The kind's body seen as a block, so that kinds and nested blocks can be
    /// walked by the same code.
    pub fn as_block(&self) -> Block {
        Block {
            name: self.kind.keyword(),
            labelled: true,
            min: 0,
            max: None,
            update: Update::InPlace,
            attrs: self.attrs,
            blocks: self.blocks,
            aws: self.aws,
            doc: self.doc,
            order: Order::Content,
            implicit: false,
            spelling: self.spelling,
        }
    }
}

/// Whether two CIDR blocks are known and share no address.
fn disjoint(a: Option<&crate::Value>, b: Option<&crate::Value>) -> bool {
    let net = |v: Option<&crate::Value>| v?.as_str()?.parse::<ipnet::Ipv4Net>().ok();
    match (net(a), net(b)) {
        (Some(a), Some(b)) => !a.contains(&b.network()) && !b.contains(&a.network()),
        _ => false,
    }
}
