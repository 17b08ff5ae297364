//! The evaluated stack: what the planner receives from the language.

use std::collections::{BTreeMap, BTreeSet};

use berth_provider::{Address, Kind, Value};

use crate::source::{Span, Spanned};
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// A stack after evaluation: variables substituted, `for_each` expanded.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// The stack's name, from `stack "NAME" { }`; tags every resource.
    pub name: String,
    pub region: String,
    /// Declared resources, sorted by address (lookups rely on it).
    pub resources: Vec<DesiredResource>,
    /// Declared outputs, sorted by name.
    pub outputs: Vec<Output>,
    /// The values of the variables declared `sensitive = true`, by name,
    /// and the secrets lookups found (an SSM `SecureString`'s value), by
    /// `data.KIND.NAME.ATTR`: what no plan, message or saved plan may show.
    pub secrets: BTreeMap<String, Value>,
    /// `moved { from  to }` blocks: live resources at `from` belong at
    /// `to`.
    pub moves: Vec<Move>,
}

/// A live resource's address before and after a `moved` block. Without
/// keys, every instance moves under its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: Address,
    pub to: Address,
}

impl Stack {
    /// The resource at `address` (resources are kept in address order).
    pub fn resource(&self, address: &Address) -> Option<&DesiredResource> {
        let i = self.resources.binary_search_by(|r| r.address.cmp(address)).ok()?;
        self.resources.get(i)
    }
}

/// `output NAME { value = ... }`: a value shown after apply and by
/// `berth output`, read from the live resources it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: String,
    pub value: DesiredValue,
    /// Shown as `(sensitive)` unless asked for by name.
    pub sensitive: bool,
    pub span: Span,
}

/// One declared resource instance.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredResource {
    pub address: Address,
    /// The block's `KIND NAME` header, for diagnostics.
    pub span: Span,
    pub body: DesiredBody,
    /// Resources this one references, directly.
    pub depends_on: BTreeSet<Address>,
    /// `prevent_destroy = true`: no plan may delete or replace it.
    pub prevent_destroy: bool,
    /// What keeps its live value once the resource exists
    /// (`ignore_changes`).
    pub ignore_changes: BTreeSet<Ignored>,
}

/// What `ignore_changes` names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ignored {
    /// An attribute or block, whole (`desired_count`, `container`).
    Whole(String),
    /// One key of a map attribute (`tags["team"]`, a tag another tool
    /// writes): the other keys stay the configuration's.
    Key { attr: String, key: String },
}

impl Ignored {
    /// The attribute or block it is of.
    pub fn attr(&self) -> &str {
        match self {
            Ignored::Whole(attr) | Ignored::Key { attr, .. } => attr,
        }
    }
}

impl DesiredResource {
    pub fn kind(&self) -> Kind {
        self.address.kind
    }
}

/// Attributes and nested blocks as written (defaults are not filled in here).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DesiredBody {
    pub attrs: BTreeMap<String, Spanned<DesiredValue>>,
    pub blocks: BTreeMap<String, Vec<DesiredBlock>>,
    /// Attributes whose value came from a sensitive variable (directly,
    /// through interpolation or a function, or through another resource's
    /// attribute): masked in plans like schema-sensitive ones.
    pub sensitive: BTreeSet<String>,
    /// Where the parts of an attribute written as a map or list literal
    /// are: attribute -> path (`Statement[0].Effect`) -> span, so a rule
    /// about a part of a policy document points at that part.
    pub parts: BTreeMap<String, BTreeMap<String, Span>>,
}

impl DesiredBody {
    pub fn value(&self, name: &str) -> Option<&DesiredValue> {
        self.attrs.get(name).map(|a| &a.node)
    }

    /// The attribute's value if it is fully known before apply.
    pub fn known(&self, name: &str) -> Option<&Value> {
        match self.value(name)? {
            DesiredValue::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn span(&self, name: &str) -> Option<Span> {
        self.attrs.get(name).map(|a| a.span)
    }

    /// The span of a part of an attribute (`path` as
    /// [`berth_provider::policy::Problem::location`] writes it), or of
    /// the closest enclosing part written literally, or of the whole
    /// value.
    pub fn part_span(&self, name: &str, path: &str) -> Option<Span> {
        let parts = self.parts.get(name);
        let mut path = path;
        loop {
            if let Some(span) = parts.and_then(|p| p.get(path)) {
                return Some(*span);
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => return self.span(name),
            }
        }
    }

    pub fn blocks(&self, name: &str) -> &[DesiredBlock] {
        self.blocks.get(name).map_or(&[], Vec::as_slice)
    }
}

/// One nested block, such as `container app { }`.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredBlock {
    pub label: Option<Spanned<String>>,
    pub body: DesiredBody,
    pub span: Span,
}

/// A value that may depend on attributes known only after apply.
#[derive(Debug, Clone, PartialEq)]
pub enum DesiredValue {
    Known(Value),
    /// An attribute of another resource that only the cloud knows (an id, an
    /// ARN) until that resource exists.
    Ref(RefTarget),
    /// A string built from known text and references (interpolation).
    Concat(Vec<DesiredValue>),
    List(Vec<DesiredValue>),
    Map(BTreeMap<String, DesiredValue>),
    /// A function or operator over values known only after apply, such as
    /// `join(",", [subnet.a.id, subnet.b.id])` or `lb.web.dns_name != ""`:
    /// only in outputs, which are read after apply; computed once every
    /// argument is known.
    Call(Deferred, Vec<DesiredValue>),
}

/// What a [`DesiredValue::Call`] computes from its arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum Deferred {
    /// A function, by name.
    Function(String),
    /// `!a`, `-a`: one argument.
    Unary(UnaryOp),
    /// `a OP b`: two arguments.
    Binary(BinaryOp),
    /// `cond ? a : b`: three arguments.
    Choose,
    /// The part of a load balancer's or target group's ARN (its one
    /// argument) CloudWatch names it by: Terraform's `arn_suffix`.
    ArnSuffix,
    /// A DNS record's name (its one argument) without the root's dot:
    /// Terraform's `fqdn`.
    Fqdn,
    /// A task definition's ARN (its one argument) without `:REVISION`:
    /// Terraform's `arn_without_revision`, which IAM policies and event
    /// targets name the family by.
    WithoutRevision,
}

/// What `attr` of a resource of `kind` is computed from when it is not an
/// attribute of the kind: (the attribute read, what computes it from
/// that).
pub(crate) fn derived(kind: Kind, attr: &str) -> Option<(&'static str, Deferred)> {
    match (kind.stands_for(), attr) {
        (Kind::LoadBalancer | Kind::TargetGroup, "arn_suffix") => Some(("arn", Deferred::ArnSuffix)),
        (Kind::DnsRecord, "fqdn") => Some(("name", Deferred::Fqdn)),
        (Kind::TaskDefinition, "arn_without_revision") => Some(("arn", Deferred::WithoutRevision)),
        _ => None,
    }
}

impl Deferred {
    /// The result for `args`, all known; `Null` for a failure (the types
    /// were right at plan time wherever known, so only a live value of
    /// another shape fails, and that leaves the value empty rather than
    /// stopping the command).
    pub(crate) fn compute(&self, args: &[Value]) -> Value {
        let result = match (self, args) {
            (Deferred::Function(name), _) => crate::eval::functions::call(name, args),
            (Deferred::Unary(op), [a]) => crate::eval::operators::unary(*op, a),
            (Deferred::Binary(op), [a, b]) => crate::eval::operators::binary(*op, a, b),
            (Deferred::Choose, [cond, a, b]) => match crate::eval::operators::condition(cond) {
                Some(cond) => Ok(if cond { a.clone() } else { b.clone() }),
                None => Ok(Value::Null),
            },
            (Deferred::ArnSuffix, [Value::String(arn)]) => {
                Ok(berth_provider::arn::elb_suffix(arn).map_or(Value::Null, Value::from))
            }
            (Deferred::Fqdn, [Value::String(name)]) => Ok(Value::from(name.trim_end_matches('.'))),
            (Deferred::WithoutRevision, [Value::String(arn)]) => Ok(Value::from(
                arn.rsplit_once(':')
                    .filter(|(_, revision)| revision.parse::<u32>().is_ok())
                    .map_or(arn.as_str(), |(family, _)| family),
            )),
            _ => Ok(Value::Null),
        };
        result.unwrap_or(Value::Null)
    }
}

impl DesiredValue {
    /// Builds the most compact form: lists and maps of known values become
    /// one known value.
    pub fn list(items: Vec<DesiredValue>) -> DesiredValue {
        if items.iter().all(|i| matches!(i, DesiredValue::Known(_))) {
            DesiredValue::Known(Value::List(
                items.into_iter().filter_map(DesiredValue::into_known).collect(),
            ))
        } else {
            DesiredValue::List(items)
        }
    }

    pub fn map(entries: BTreeMap<String, DesiredValue>) -> DesiredValue {
        if entries.values().all(|v| matches!(v, DesiredValue::Known(_))) {
            DesiredValue::Known(Value::Map(
                entries
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.into_known()?)))
                    .collect(),
            ))
        } else {
            DesiredValue::Map(entries)
        }
    }

    pub fn into_known(self) -> Option<Value> {
        match self {
            DesiredValue::Known(v) => Some(v),
            _ => None,
        }
    }

    /// Every reference inside the value.
    pub fn refs(&self) -> Vec<&RefTarget> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a RefTarget>) {
        match self {
            DesiredValue::Known(_) => {}
            DesiredValue::Ref(r) => out.push(r),
            DesiredValue::Concat(items) | DesiredValue::List(items) | DesiredValue::Call(_, items) => {
                items.iter().for_each(|i| i.collect_refs(out))
            }
            DesiredValue::Map(m) => m.values().for_each(|i| i.collect_refs(out)),
        }
    }

    /// Substitutes every reference with what `lookup` knows of it
    /// ([`Value::Unknown`] when nothing yet).
    pub fn resolve(&self, lookup: &dyn Fn(&RefTarget) -> Value) -> Value {
        match self {
            DesiredValue::Known(v) => v.clone(),
            DesiredValue::Ref(r) => lookup(r),
            DesiredValue::Concat(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part.resolve(lookup) {
                        Value::String(s) => out.push_str(&s),
                        Value::Int(i) => out.push_str(&i.to_string()),
                        Value::Bool(b) => out.push_str(&b.to_string()),
                        _ => return Value::Unknown,
                    }
                }
                Value::String(out)
            }
            DesiredValue::List(items) => Value::List(items.iter().map(|i| i.resolve(lookup)).collect()),
            DesiredValue::Call(deferred, args) => {
                let args: Vec<Value> = args.iter().map(|a| a.resolve(lookup)).collect();
                if args.iter().any(Value::has_unknown) {
                    return Value::Unknown;
                }
                deferred.compute(&args)
            }
            DesiredValue::Map(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), v.resolve(lookup))).collect())
            }
        }
    }
}

/// `KIND.NAME.ATTR` of one resource instance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefTarget {
    pub address: Address,
    pub attr: String,
}

impl std::fmt::Display for RefTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.address, self.attr)
    }
}
