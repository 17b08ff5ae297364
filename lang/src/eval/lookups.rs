//! Evaluating `data` blocks: their filters into a [`Query`], the cloud's
//! answer into the block's attributes. A lookup must find exactly one
//! resource (`subnets`: any number). Without a cloud (`validate`, `graph`,
//! the language server) each attribute is a placeholder of its type, so
//! the stack checks the same as with real values: `data.KIND.NAME.ATTR`
//! for a string or id (`pl-data...` for a prefix list's), `10.0.0.0/16` for a CIDR, an empty map for tags,
//! and for `subnets.ids` a list of one placeholder id, so a `for_each`
//! over it checks its body once; an SSM parameter's value is unknown.

use std::collections::BTreeMap;

use berth_provider::lookup::{DataKind, Filters, Matches, Query};
use berth_provider::schema::Type;
use berth_provider::{Attrs, Value};

use super::{Evaluator, header};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::DesiredValue;
use crate::syntax::ast::{Expr, Item};

/// Answers one lookup from the cloud: every match, or the cloud's error.
pub type LookupFn<'a> = dyn Fn(&Query) -> Result<Matches, String> + 'a;

/// The CIDR a lookup's placeholder holds: the most common VPC size.
const PLACEHOLDER_CIDR: &str = "10.0.0.0/16";

impl Evaluator<'_, '_> {
    /// The attributes of `data.KIND.NAME`, looked up once; `None` after a
    /// diagnostic.
    pub(super) fn lookup_value(&mut self, kind: DataKind, name: &str) -> Option<Attrs> {
        let key = (kind, name.to_owned());
        if let Some(done) = self.data.get(&key) {
            return done.clone();
        }
        let module = self.module;
        let decl = module.data.get(&key)?;
        let span = header(decl.block);
        if !self.data_busy.insert(key.clone()) {
            self.diags.push(
                Diagnostic::error("E0598", format!("`data.{kind}.{name}` filters on itself"), span)
                    .label("its filters read this lookup, directly or through others")
                    .help("filter on constants, variables or other lookups"),
            );
            self.data.insert(key, None);
            return None;
        }
        let value = self.filters(kind, decl.block).and_then(|filters| {
            let query = Query { kind, filters };
            match self.lookup {
                // The stack's region is known without a cloud.
                None if kind == DataKind::Region
                    && let Some(region) = &self.region =>
                {
                    Some(berth_provider::lookup::region_attrs(region))
                }
                // So is its partition (CloudFormation's `AWS::Partition`).
                None if kind == DataKind::Partition
                    && let Some(region) = &self.region =>
                {
                    use berth_provider::lookup::{partition_attrs, partition_of};
                    Some(partition_attrs(partition_of(region)))
                }
                // And the account ELB logs from, by region.
                None if kind == DataKind::ElbServiceAccount
                    && let Some(region) = &self.region =>
                {
                    berth_provider::lookup::elb_service_account_attrs(region)
                        .or_else(|| Some(placeholder(kind, name)))
                }
                None => Some(placeholder(kind, name)),
                Some(lookup) => self.answer(&query, lookup, name, span),
            }
        });
        let value = value.map(|found| berth_provider::lookup::with_derived(kind, found));
        self.data_busy.remove(&key);
        self.data.insert(key, value.clone());
        value
    }

    /// The secrets lookups found (an SSM `SecureString`'s value), by
    /// `data.KIND.NAME.ATTR`: no message or plan may show them.
    pub(super) fn looked_up_secrets(&self) -> Vec<(String, Value)> {
        self.data
            .iter()
            .filter_map(|((kind, name), attrs)| Some((*kind, name, attrs.as_ref()?)))
            .flat_map(|(kind, name, attrs)| {
                kind.attrs()
                    .iter()
                    .filter(move |a| kind.is_sensitive(a.name, attrs))
                    .filter_map(move |a| {
                        Some((
                            format!("data.{kind}.{name}.{}", a.name),
                            attrs.get(a.name)?.clone(),
                        ))
                    })
            })
            .collect()
    }

    /// The block's filters, evaluated (E0591 for a value of the wrong type).
    fn filters(&mut self, kind: DataKind, block: &crate::syntax::ast::Block) -> Option<Filters> {
        let mut filters = Filters::default();
        let mut ok = true;
        for item in &block.body {
            let Item::Attribute(a) = item else { continue };
            if a.name.name == crate::check::lookups::REGION {
                ok &= self.in_stack_region(&a.value);
                continue;
            }
            let Some(filter) = kind.filter(&a.name.name) else {
                continue;
            };
            let Some(DesiredValue::Known(value)) = self.expr(&a.value, None) else {
                ok = false;
                continue;
            };
            // Null is not written, as in Terraform (`id = var.vpc_id != ""
            // ? var.vpc_id : null` beside `default = ... ? true : null`).
            if value != Value::Null {
                ok &= self.set(&mut filters, filter.name, filter.ty, value, &a.value);
            }
        }
        ok.then_some(filters)
    }

    /// Whether a lookup's `region` is null or the stack's (E0591 if not):
    /// a stack reads and writes one region.
    fn in_stack_region(&mut self, expr: &Expr) -> bool {
        let value = match self.expr(expr, None) {
            Some(DesiredValue::Known(v)) => v,
            _ => return false,
        };
        if value == Value::Null || value.as_str().is_some_and(|r| Some(r) == self.region.as_deref()) {
            return true;
        }
        self.diags.push(
            Diagnostic::error("E0591", "a lookup reads the stack's region", expr.span)
                .label("not the stack's region")
                .help(crate::check::restated::ONE_REGION),
        );
        false
    }

    /// The switch filter `name` set to `on`.
    fn set_switch(filters: &mut Filters, name: &str, on: bool) {
        let slot = match name {
            "default" => &mut filters.default,
            "public" => &mut filters.public,
            _ => &mut filters.private,
        };
        *slot = Some(on);
    }

    fn set(&mut self, filters: &mut Filters, name: &str, ty: Type, value: Value, expr: &Expr) -> bool {
        let wrong = |what: &str| {
            Diagnostic::error("E0591", format!("the `{name}` filter takes {what}"), expr.span)
                .label(format!("a {}", value.type_name()))
        };
        match (ty, value.clone()) {
            (Type::Map(_), Value::Map(m)) => {
                let mut tags = BTreeMap::new();
                for (k, v) in m {
                    let Some(text) = v.as_str() else {
                        self.diags.push(wrong("a map of strings"));
                        return false;
                    };
                    tags.insert(k, text.to_owned());
                }
                filters.tags = tags;
            }
            (Type::Int, Value::Int(n)) => filters.port = Some(n),
            (Type::Bool, Value::Bool(b)) => Self::set_switch(filters, name, b),
            // EC2's `filter { values = ["true"] }`, as Terraform converts it.
            (Type::Bool, Value::String(text)) if text == "true" || text == "false" => {
                Self::set_switch(filters, name, text == "true");
            }
            (Type::String | Type::Ref(_), Value::String(text)) => {
                let slot = match name {
                    "id" => &mut filters.id,
                    "arn" => &mut filters.arn,
                    "vpc" => &mut filters.vpc,
                    "name" => &mut filters.name,
                    "family" => &mut filters.family,
                    "domain" => &mut filters.domain,
                    "stack" => &mut filters.stack,
                    "zone" => &mut filters.zone,
                    "load_balancer" => &mut filters.load_balancer,
                    "type" => &mut filters.namespace_type,
                    _ => &mut filters.address,
                };
                // Another stack's block as its Terraform text names it.
                let text = match name {
                    "address" => crate::check::terraform_names::berth_address(&text).unwrap_or(text),
                    _ => text,
                };
                *slot = Some(text);
            }
            (Type::Map(_), _) => {
                self.diags.push(wrong("a map of strings"));
                return false;
            }
            (Type::Bool, _) => {
                self.diags.push(wrong("`true` or `false`"));
                return false;
            }
            (Type::Int, _) => {
                self.diags.push(wrong("a whole number"));
                return false;
            }
            _ => {
                self.diags.push(wrong("a string"));
                return false;
            }
        }
        true
    }

    /// The cloud's answer to `query` as the block's attributes: E0596
    /// unless it found exactly one (`subnets`: the sorted ids of all),
    /// E0597 when the cloud could not answer.
    fn answer(&mut self, query: &Query, lookup: &LookupFn<'_>, name: &str, span: Span) -> Option<Attrs> {
        let kind = query.kind;
        let matches = match lookup(query) {
            Ok(m) => m,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error("E0597", format!("cannot look up `data.{kind}.{name}`"), span)
                        .label(e)
                        .help("the lookup's filters are sent to the cloud as written; check the credentials and region"),
                );
                return None;
            }
        };
        if kind.is_plural() {
            let mut ids: Vec<String> = matches
                .iter()
                .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect();
            ids.sort();
            ids.dedup();
            return Some(Attrs::from([(
                kind.identity().name.to_owned(),
                Value::List(ids.into_iter().map(Value::String).collect()),
            )]));
        }
        let [found] = matches.as_slice() else {
            let what = kind.kind().map_or(kind.keyword(), |k| k.keyword());
            let (message, label) = match matches.len() {
                0 => (
                    format!("`data.{kind}.{name}` matches no {what}"),
                    "nothing matches".to_owned(),
                ),
                n => (
                    format!("`data.{kind}.{name}` matches {n} resources, not one"),
                    format!("{n} match"),
                ),
            };
            // Another stack's resources are in the same cloud only when
            // the local cloud's file is shared.
            let shared = if matches.is_empty() && query.filters.stack.is_some() {
                "; on the local cloud, each directory has its own cloud unless every stack is run with one `--local-state FILE` (or `BERTH_LOCAL_STATE`)"
            } else {
                ""
            };
            self.diags.push(
                Diagnostic::error("E0596", message, span)
                    .label(label)
                    .help(format!(
                        "filters: {}; a lookup must find exactly one{shared}",
                        query.filters
                    )),
            );
            return None;
        };
        Some(found.clone())
    }
}

/// What `data.KIND.NAME` holds without a cloud to ask.
fn placeholder(kind: DataKind, name: &str) -> Attrs {
    // Security group rules check that a prefix list id is `pl-...`, task
    // definitions that a role is a role ARN.
    let shape = match kind {
        DataKind::PrefixList => "pl-",
        DataKind::Role => "arn:aws:iam::123456789012:role/",
        DataKind::ManagedPolicy => "arn:aws:iam::123456789012:policy/",
        DataKind::Secret => "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
        DataKind::TaskDefinition => "arn:aws:ecs:us-east-1:123456789012:task-definition/",
        _ => "",
    };
    kind.attrs()
        .iter()
        .map(|a| {
            let text = || match (kind, a.name) {
                // Checked where they go: an ARN's account is 12 digits, a
                // certificate's domain is labels of letters, digits and `-`.
                (DataKind::CallerIdentity, "account_id" | "id") => Value::from("123456789012"),
                (DataKind::HostedZone, "name") => {
                    Value::String(format!("{}.data-hosted-zone.example", name.replace('_', "-")))
                }
                _ => {
                    let shape = if a.name == kind.identity().name { shape } else { "" };
                    // An ARN is checked as one where it goes (a policy's
                    // `Resource`: a KMS key's, a log group's).
                    let shape = match a.name {
                        "arn" if shape.is_empty() => {
                            let service: String = kind.keyword().chars().filter(|c| *c != '_').collect();
                            format!("arn:aws:{service}:us-east-1:123456789012:")
                        }
                        _ => shape.to_owned(),
                    };
                    Value::String(format!("{shape}data.{kind}.{name}.{}", a.name))
                }
            };
            let value = match a.ty {
                // No check runs on a made-up value of anything.
                _ if kind.is_opaque(a.name) => Value::Unknown,
                // A made-up number would pass or fail range checks at random.
                Type::Int => Value::Unknown,
                Type::Cidr => Value::String(PLACEHOLDER_CIDR.to_owned()),
                Type::Map(_) => Value::Map(BTreeMap::new()),
                Type::List(_) | Type::Set(_) => Value::List(vec![text()]),
                _ => text(),
            };
            (a.name.to_owned(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_have_the_attributes_types() {
        let vpc = placeholder(DataKind::Vpc, "main");
        assert_eq!(vpc["id"], Value::String("data.vpc.main.id".to_owned()));
        assert_eq!(vpc["cidr"], Value::String(PLACEHOLDER_CIDR.to_owned()));
        assert_eq!(vpc["tags"], Value::Map(BTreeMap::new()));
        let subnets = placeholder(DataKind::Subnets, "private");
        assert!(matches!(&subnets["ids"], Value::List(ids) if ids.len() == 1));
        let key = placeholder(DataKind::KmsKey, "secrets");
        assert_eq!(
            key["arn"],
            Value::String("arn:aws:kmskey:us-east-1:123456789012:data.kms_key.secrets.arn".to_owned())
        );
        let list = placeholder(DataKind::PrefixList, "s3");
        assert_eq!(list["id"], Value::String("pl-data.prefix_list.s3.id".to_owned()));
        assert_eq!(list["name"], Value::String("data.prefix_list.s3.name".to_owned()));
    }
}
