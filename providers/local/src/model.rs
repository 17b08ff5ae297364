//! The persisted model of the simulated account: every resource of every
//! stack and region, the task-definition revision counters and the faults.

use std::collections::BTreeMap;

use berth_provider::{ADDRESS_TAG, Address, Attrs, Kind, STACK_TAG, Value};
use serde::{Deserialize, Serialize};

use crate::faults::Fault;

/// Version of the file format, written as `version`.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The simulated account id, used in every ARN.
pub const ACCOUNT_ID: &str = "123456789012";

/// The whole simulated account, as stored in the file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct State {
    #[serde(default = "format_version")]
    pub version: u32,
    #[serde(default = "account_id")]
    pub account: String,
    /// Every resource, keyed by its id (EC2) or ARN (everything else).
    #[serde(default)]
    pub resources: BTreeMap<String, Record>,
    /// Last revision registered per task-definition family; revisions are
    /// never reused, even after deregistration.
    #[serde(default)]
    pub families: BTreeMap<String, i64>,
    /// ClientTokens of creates that take one (CreateNatGateway), to the
    /// resource each made: a retried create returns it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub client_tokens: BTreeMap<String, String>,
    /// Injected faults.
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// ACM certificates of the account made elsewhere, for lookups (those
    /// berth requests are `resources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    /// Route 53 hosted zones of the account made elsewhere, for lookups
    /// (those stacks make are `resources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosted_zones: Vec<HostedZone>,
    /// Managed prefix lists a team keeps, for lookups: berth makes none
    /// (AWS's own lists are built in, `lookup.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<PrefixList>,
}

/// An ACM certificate, as ListCertificates and DescribeCertificate tell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Certificate {
    pub arn: String,
    pub region: String,
    /// Its domain name.
    pub domain: String,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`, ...
    pub status: String,
    /// When it was issued (RFC 3339): the newest one wins a lookup.
    #[serde(default)]
    pub issued: String,
}

/// A Route 53 hosted zone (a global service).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HostedZone {
    /// `Z...`, without `/hostedzone/`.
    pub id: String,
    /// Its domain name.
    pub name: String,
    #[serde(default)]
    pub private: bool,
}

/// A customer-managed prefix list of the account (EC2's
/// DescribeManagedPrefixLists).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PrefixList {
    /// `pl-...`.
    pub id: String,
    pub name: String,
    pub region: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

fn account_id() -> String {
    ACCOUNT_ID.to_owned()
}

impl Default for State {
    fn default() -> Self {
        State {
            version: FORMAT_VERSION,
            account: account_id(),
            resources: BTreeMap::new(),
            families: BTreeMap::new(),
            client_tokens: BTreeMap::new(),
            faults: Vec::new(),
            certificates: Vec::new(),
            hosted_zones: Vec::new(),
            prefix_lists: Vec::new(),
        }
    }
}

/// One resource as the simulated cloud holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Record {
    pub kind: Kind,
    /// The region it lives in; absent for global services (IAM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// All tags, the berth ones included.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Every attribute of the kind's schema except `tags`, computed ones
    /// included, as plain JSON values.
    #[serde(with = "plain")]
    pub attrs: Attrs,
    /// Task definitions: `ACTIVE` or `INACTIVE` (deregistered); secrets
    /// and KMS keys: `INACTIVE` while scheduled for deletion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Security groups: AWS's default allow-all egress rule is present.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default_egress: bool,
    /// When it was created (RFC 3339, seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// Status of a registered task definition.
pub(crate) const ACTIVE: &str = "ACTIVE";
/// Status of a deregistered task definition, or of a secret or KMS key
/// scheduled for deletion: kept, never read.
pub(crate) const INACTIVE: &str = "INACTIVE";

impl Record {
    pub fn stack(&self) -> Option<&str> {
        self.tags.get(STACK_TAG).map(String::as_str)
    }

    pub fn address(&self) -> Option<Address> {
        self.tags.get(ADDRESS_TAG).and_then(|a| a.parse().ok())
    }

    pub fn is_inactive(&self) -> bool {
        self.status.as_deref() == Some(INACTIVE)
    }

    /// Whether berth made this resource for the stack and address that
    /// `tags` (a create's) name: a deleted one it may restore, a live one
    /// being replaced.
    pub fn same_address(&self, tags: &BTreeMap<String, String>) -> bool {
        [STACK_TAG, ADDRESS_TAG]
            .iter()
            .all(|k| self.tags.get(*k).is_some_and(|v| tags.get(*k) == Some(v)))
    }

    /// The user's tags: all tags but the berth ones.
    pub fn user_tags(&self) -> BTreeMap<String, Value> {
        self.tags
            .iter()
            .filter(|(k, _)| k.as_str() != STACK_TAG && k.as_str() != ADDRESS_TAG)
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect()
    }

    /// The attributes as `read_all` returns them: stored ones plus `tags`.
    pub fn read_attrs(&self) -> Attrs {
        let mut attrs = self.attrs.clone();
        attrs.insert("tags".to_owned(), Value::Map(self.user_tags()));
        attrs
    }
}

/// Attribute values stored as plain JSON (`"x"`, `3`, `true`, `[..]`,
/// `{..}`, `null`) so that the file is easy to read and to edit by hand.
pub(crate) mod plain {
    use berth_provider::{Attrs, Value};
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value as Json;

    pub fn serialize<S: Serializer>(attrs: &Attrs, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(attrs.iter().map(|(k, v)| (k, v.to_json())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Attrs, D::Error> {
        let map = std::collections::BTreeMap::<String, Json>::deserialize(d)?;
        Ok(map.into_iter().map(|(k, v)| (k, Value::from_json(&v))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_plain_json() {
        let v = Value::Map(
            [
                (
                    "a".to_owned(),
                    Value::List(vec![Value::Int(3), Value::Bool(true), Value::Null]),
                ),
                ("b".to_owned(), Value::from("x")),
            ]
            .into(),
        );
        let json = v.to_json();
        assert_eq!(json.to_string(), r#"{"a":[3,true,null],"b":"x"}"#);
        assert_eq!(Value::from_json(&json), v);
        let fraction = Value::number("1.5".parse().unwrap());
        assert_eq!(fraction.to_json(), serde_json::json!(1.5));
        assert_eq!(Value::from_json(&serde_json::json!(1.5)), fraction);
    }
}
