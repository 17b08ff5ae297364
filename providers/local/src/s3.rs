//! S3 buckets, with the rules of CreateBucket and of the calls that set a
//! bucket's parts, each answering with S3's error codes:
//! PutPublicAccessBlock, PutBucketOwnershipControls, PutBucketEncryption,
//! PutBucketVersioning, PutBucketPolicy and PutBucketLifecycleConfiguration
//! (made in that order, so that a policy meets the access block it is put
//! under), and PutBucketTagging for the tags, berth's `force_destroy` tag
//! among them.
//!
//! A bucket's name is unique across AWS: the account holds it in every
//! region, and the bucket's ARN (`arn:aws:s3:::NAME`, with neither region
//! nor account) is its key in the file. A new bucket has S3's defaults
//! (public access blocked, ACLs off, SSE-S3 encryption, versioning never
//! enabled, no policy, no lifecycle rules): a create makes only the calls
//! that set something else, an update only those of the parts that change.
//!
//! The local cloud keeps no objects: a bucket is always empty, so
//! DeleteBucket never answers BucketNotEmpty and `force_destroy` only
//! rides along.

use std::collections::BTreeMap;

use berth_provider::attrs::{blocks_of, bool_of, int_of, str_of};
use berth_provider::policy::{self, DocumentKind};
use berth_provider::s3::{
    ENCRYPTIONS, OWNERSHIPS, STORAGE_CLASSES, VERSIONING as VERSIONING_STATES, grants_public_access,
    min_transition_days, name_fault,
};
use berth_provider::schema::complete;
use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::{canonical_of, value};
use crate::model::Record;
use crate::sim::Sim;

const CREATE: &str = "CreateBucket";
const TAGGING: &str = "PutBucketTagging";
const ACCESS_BLOCK: &str = "PutPublicAccessBlock";
const OWNERSHIP: &str = "PutBucketOwnershipControls";
const ENCRYPTION: &str = "PutBucketEncryption";
const VERSIONING: &str = "PutBucketVersioning";
const POLICY: &str = "PutBucketPolicy";
const LIFECYCLE: &str = "PutBucketLifecycleConfiguration";

/// The settings PutPublicAccessBlock sets together.
const ACCESS_BLOCK_PARTS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

/// The settings PutBucketEncryption sets together.
const ENCRYPTION_PARTS: [&str; 3] = ["encryption", "kms_key", "bucket_key"];

/// The longest lifecycle rule id S3 takes, in characters.
const RULE_ID_MAX: usize = 255;

/// A bucket's ARN: S3's has neither region nor account (in the `aws`
/// partition, as every ARN the local cloud makes).
fn bucket_arn(name: &str) -> String {
    format!("arn:aws:s3:::{name}")
}

/// CreateBucket, named as the configuration says or `{stack}-{name}` with
/// 6 random hex digits, then the calls that set what differs from a new
/// bucket's defaults; returns its key (ARN).
///
/// A name the account's buckets already use is refused with
/// BucketAlreadyOwnedByYou, in every region (S3 itself answers a repeated
/// create in us-east-1 with 200 OK, for legacy reasons: refused here so
/// that no create hands back another stack's bucket). On AWS a name
/// another account holds is refused with BucketAlreadyExists, which
/// cannot happen here: the local cloud is one account.
pub(crate) fn create(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: Attrs,
    tags: BTreeMap<String, String>,
) -> Result<String, ProviderError> {
    sim.call(CREATE);
    let mut attrs = canonical_of(Kind::S3Bucket, &attrs);
    let name = match naming::given(&attrs, "name") {
        Some(name) => name.to_owned(),
        None => derived_name(sim, stack, address),
    };
    check_name(&name)?;
    let arn = bucket_arn(&name);
    if sim.rec(&arn).is_some() {
        return Err(fail(
            CREATE,
            "BucketAlreadyOwnedByYou",
            format!(
                "Your previous request to create the named bucket succeeded and you already own it: {name}"
            ),
        ));
    }
    // berth's own tags are always there: one PutBucketTagging sets them
    // with the user's and `force_destroy`.
    sim.call(TAGGING);
    let fresh = canonical_of(Kind::S3Bucket, &complete(Kind::S3Bucket, &Attrs::new()));
    settle(sim, &name, &fresh, &attrs)?;
    for (attr, value) in berth_provider::s3::settled(&name, sim.region, "aws") {
        attrs.insert(attr.to_owned(), Value::String(value));
    }
    Ok(sim.insert_named(Kind::S3Bucket, arn, name, tags, attrs, false))
}

/// A name derived from the stack and address that no bucket of the
/// account has: its random part drawn again until then.
fn derived_name(sim: &mut Sim, stack: &str, address: &Address) -> String {
    loop {
        let name = naming::s3_bucket(stack, address, sim.rng.u32(..));
        if sim.rec(&bucket_arn(&name)).is_none() {
            return name;
        }
    }
}

/// Changes a bucket in place: every part but its name (a new name is a
/// new bucket, the planner's replacement), each by its own call as it
/// changes. `force_destroy` is a tag on AWS: PutBucketTagging, unless the
/// user's tags change too (`cloud.rs` counts that one call).
pub(crate) fn update(
    sim: &mut Sim,
    key: &str,
    old: &Attrs,
    new: &mut Attrs,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let old = canonical_of(Kind::S3Bucket, old);
    *new = canonical_of(Kind::S3Bucket, new);
    let name = str_of(&old, "name").unwrap_or_default().to_owned();
    settle(sim, &name, &old, new)?;
    let retagged = sim.rec(key).is_some_and(|r| {
        let user = r.user_tags();
        user.len() != tags.len()
            || tags
                .iter()
                .any(|(k, v)| user.get(k).and_then(Value::as_str) != Some(v.as_str()))
    });
    if old.get("force_destroy") != new.get("force_destroy") && !retagged {
        sim.call(TAGGING);
    }
    Ok(())
}

/// DeleteBucket. The bucket holds no objects here, so nothing refuses it;
/// with `force_destroy` its object versions are listed first (none).
pub(crate) fn delete(sim: &mut Sim, key: &str) -> Result<(), ProviderError> {
    if sim.rec(key).is_some_and(|r| bool_of(&r.attrs, "force_destroy")) {
        sim.call("ListObjectVersions");
    }
    sim.call("DeleteBucket");
    sim.remove(key);
    Ok(())
}

/// The calls that bring the bucket `name` from `old` to `new`, each with
/// its rules, in the order they are made: the public access block before
/// the policy it judges.
fn settle(sim: &mut Sim, name: &str, old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let changed = |attrs: &[&str]| attrs.iter().any(|a| value(old, a) != value(new, a));
    if changed(&ACCESS_BLOCK_PARTS) {
        sim.call(ACCESS_BLOCK);
    }
    if changed(&["object_ownership"]) {
        sim.call(OWNERSHIP);
        check_ownership(new)?;
    }
    if changed(&ENCRYPTION_PARTS) {
        sim.call(ENCRYPTION);
        check_encryption(sim, new)?;
    }
    if changed(&["versioning"]) {
        sim.call(VERSIONING);
        check_versioning(old, new)?;
    }
    if changed(&["policy"]) {
        match value(new, "policy") {
            Value::Null => sim.call("DeleteBucketPolicy"),
            doc => {
                sim.call(POLICY);
                check_policy(name, doc, bool_of(new, "block_public_policy"))?;
            }
        }
    }
    let rules = blocks_of(new, "lifecycle_rule");
    if blocks_of(old, "lifecycle_rule") != rules {
        if rules.is_empty() {
            sim.call("DeleteBucketLifecycle");
        } else {
            sim.call(LIFECYCLE);
            check_lifecycle(&rules)?;
        }
    }
    Ok(())
}

/// S3's naming rules for a general purpose bucket.
fn check_name(name: &str) -> Result<(), ProviderError> {
    match name_fault(name) {
        Some(fault) => Err(fail(
            CREATE,
            "InvalidBucketName",
            format!("The specified bucket is not valid: `{name}` (bucket names: {fault})"),
        )),
        None => Ok(()),
    }
}

/// PutBucketOwnershipControls takes one of S3's three settings.
fn check_ownership(attrs: &Attrs) -> Result<(), ProviderError> {
    let ownership = str_of(attrs, "object_ownership").unwrap_or_default();
    if OWNERSHIPS.contains(&ownership) {
        return Ok(());
    }
    Err(fail(
        OWNERSHIP,
        "InvalidArgument",
        format!(
            "Invalid ObjectOwnership {ownership}: S3 takes {}",
            OWNERSHIPS.join(", ")
        ),
    ))
}

/// PutBucketEncryption: an algorithm S3 has; a KMS key only with KMS
/// encryption, and one of the account's the file holds, not pending
/// deletion.
fn check_encryption(sim: &Sim, attrs: &Attrs) -> Result<(), ProviderError> {
    let bad = |message: String| fail(ENCRYPTION, "InvalidArgument", message);
    let algorithm = str_of(attrs, "encryption").unwrap_or_default();
    if !ENCRYPTIONS.contains(&algorithm) {
        return Err(bad(format!(
            "Invalid SSEAlgorithm {algorithm}: S3 takes {}",
            ENCRYPTIONS.join(", ")
        )));
    }
    let Some(key) = str_of(attrs, "kms_key") else {
        return Ok(());
    };
    if algorithm == "AES256" {
        return Err(bad(
            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"
                .to_owned(),
        ));
    }
    check_kms_key(sim, key)
}

/// S3 encrypts with the key KMS finds for `key` (an id, an ARN, an alias
/// or an alias's ARN): one of the account's that the file lacks is
/// KMS.NotFoundException, one pending deletion KMS.KMSInvalidStateException.
/// Another account's key, and the AWS managed keys (`alias/aws/...`, made
/// the first time they are named), are KMS's to answer for.
fn check_kms_key(sim: &Sim, key: &str) -> Result<(), ProviderError> {
    fn keys<'a>(sim: &'a Sim, region: &'a str) -> impl Iterator<Item = (&'a String, &'a Record)> {
        sim.st
            .resources
            .iter()
            .filter(move |(_, r)| r.kind == Kind::KmsKey && r.region.as_deref() == Some(region))
    }
    let has_alias = |r: &Record, alias: &str| {
        r.attrs
            .get("aliases")
            .and_then(Value::as_list)
            .is_some_and(|l| l.iter().any(|a| a.as_str() == Some(alias)))
    };
    let found: Option<&Record> = match key.strip_prefix("arn:") {
        Some(_) => {
            // arn:PARTITION:kms:REGION:ACCOUNT:key/ID or ...:alias/NAME
            let parts: Vec<&str> = key.splitn(6, ':').collect();
            let [_, _, "kms", region, account, resource] = parts[..] else {
                return Ok(());
            };
            if account != sim.st.account {
                return Ok(());
            }
            match resource.strip_prefix("alias/") {
                Some(alias) if alias.starts_with("aws/") => return Ok(()),
                Some(alias) => keys(sim, region)
                    .find(|(_, r)| has_alias(r, &format!("alias/{alias}")))
                    .map(|(_, r)| r),
                None => sim.rec(key).filter(|r| r.kind == Kind::KmsKey),
            }
        }
        None if key.starts_with("alias/aws/") => return Ok(()),
        None if key.starts_with("alias/") => keys(sim, sim.region)
            .find(|(_, r)| has_alias(r, key))
            .map(|(_, r)| r),
        None => keys(sim, sim.region)
            .find(|(_, r)| str_of(&r.attrs, "key_id") == Some(key))
            .map(|(_, r)| r),
    };
    match found {
        Some(rec) if rec.is_inactive() => Err(fail(
            ENCRYPTION,
            "KMS.KMSInvalidStateException",
            format!(
                "{} is pending deletion.",
                str_of(&rec.attrs, "arn").unwrap_or(key)
            ),
        )),
        Some(_) => Ok(()),
        None if key.contains("alias/") => Err(fail(
            ENCRYPTION,
            "KMS.NotFoundException",
            format!("Alias {key} is not found."),
        )),
        None => Err(fail(
            ENCRYPTION,
            "KMS.NotFoundException",
            format!("Key '{key}' does not exist"),
        )),
    }
}

/// PutBucketVersioning: `Enabled` or `Suspended`, and `Disabled` only for
/// a bucket whose versioning was never on (S3 can suspend versioning,
/// never turn it off).
fn check_versioning(old: &Attrs, new: &Attrs) -> Result<(), ProviderError> {
    let status = str_of(new, "versioning").unwrap_or_default();
    if !VERSIONING_STATES.contains(&status) {
        return Err(fail(
            VERSIONING,
            "MalformedXML",
            format!(
                "The XML you provided was not well-formed or did not validate against our published schema: Status {status} is not Enabled or Suspended"
            ),
        ));
    }
    let was = str_of(old, "versioning").unwrap_or("Disabled");
    if status == "Disabled" && was != "Disabled" {
        return Err(fail(
            VERSIONING,
            "IllegalVersioningConfigurationException",
            format!(
                "The versioning configuration specified in the request is invalid: versioning once on can be Suspended, not Disabled (it is {was})"
            ),
        ));
    }
    Ok(())
}

/// PutBucketPolicy: a JSON object with statements in IAM's grammar for a
/// resource's policy, whose resources are this bucket and its objects; and no public grant while the bucket's public access block
/// refuses public policies (`block_public_policy`).
fn check_policy(name: &str, doc: &Value, block_public: bool) -> Result<(), ProviderError> {
    let malformed = |message: String| fail(POLICY, "MalformedPolicy", message);
    let Some(top) = doc.as_map() else {
        return Err(malformed(
            "Policies must be valid JSON and the first byte must be '{'".to_owned(),
        ));
    };
    if !top.contains_key("Statement") {
        return Err(malformed("Missing required field Statement".to_owned()));
    }
    if let Some(p) = policy::problems(doc, DocumentKind::Resource).first() {
        let at = p.location();
        let at = if at.is_empty() {
            String::new()
        } else {
            format!(" at {at}")
        };
        return Err(malformed(format!("Invalid policy syntax{at}: {}", p.message)));
    }
    // A `NotResource` excludes: it may name what is not the bucket's.
    for st in statements(doc) {
        for resource in strings(st.get("Resource")) {
            if !names_bucket(resource, name) {
                return Err(malformed(format!(
                    "Policy has invalid resource: {resource} is not {} nor one of its objects",
                    bucket_arn(name)
                )));
            }
        }
    }
    if block_public && grants_public_access(doc) {
        return Err(fail(
            POLICY,
            "AccessDenied",
            "Access Denied: the bucket's public access block (block_public_policy) refuses a policy that grants public access",
        ));
    }
    Ok(())
}

/// The statements of a policy (one or a list).
fn statements(doc: &Value) -> Vec<&Attrs> {
    match doc.as_map().and_then(|m| m.get("Statement")) {
        Some(Value::List(items)) => items.iter().filter_map(Value::as_map).collect(),
        Some(one) => one.as_map().into_iter().collect(),
        None => Vec::new(),
    }
}

/// The strings of a one-string-or-list value.
fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::List(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(v) => v.as_str().into_iter().collect(),
        None => Vec::new(),
    }
}

/// Whether a policy `resource` may stand in bucket `name`'s policy: `*`,
/// or an S3 ARN of the bucket or of its objects (`arn:aws:s3:::NAME/*`),
/// wildcards matching the bucket's name included. S3's other ARNs (access
/// points) are S3's to judge; other services' resources are refused.
fn names_bucket(resource: &str, name: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts[..] {
        ["arn", _, "s3", "", "", path] => {
            let bucket = path.split('/').next().unwrap_or_default();
            glob(bucket.as_bytes(), name.as_bytes())
        }
        ["arn", _, "s3", ..] => true,
        _ => false,
    }
}

/// Whether `text` matches `pattern`, whose `*` stands for any run of
/// characters and `?` for any one, as IAM matches resources.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((p, rest)) => text
            .split_first()
            .is_some_and(|(t, more)| (*p == b'?' || p == t) && glob(rest, more)),
    }
}

/// PutBucketLifecycleConfiguration: rules of ids S3 takes, each with an
/// action; expirations after a positive number of days, later than every
/// transition of the rule; transitions to a class S3 has, not before an
/// object is 30 days old for the infrequent-access classes.
fn check_lifecycle(rules: &[&Attrs]) -> Result<(), ProviderError> {
    let invalid = |message: String| fail(LIFECYCLE, "InvalidArgument", message);
    // Two rules of one id (S3's "RuleId must be unique") never get here:
    // they are two blocks of one label, which the request's own checks
    // refuse first (`attrs::normalise`, InvalidArgument too).
    for rule in rules {
        let id = str_of(rule, "name").unwrap_or_default();
        if id.chars().count() > RULE_ID_MAX {
            return Err(invalid(format!(
                "ID length should not exceed allowed limit of {RULE_ID_MAX}"
            )));
        }
        let expiration = int_of(rule, "expiration_days");
        let expirations = [
            (expiration, "'Days' for Expiration action"),
            (
                int_of(rule, "noncurrent_expiration_days"),
                "'NoncurrentDays' for NoncurrentVersionExpiration action",
            ),
            (
                int_of(rule, "abort_incomplete_upload_days"),
                "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action",
            ),
        ];
        let transitions = blocks_of(rule, "transition");
        if transitions.is_empty() && expirations.iter().all(|(days, _)| days.is_none()) {
            return Err(fail(
                LIFECYCLE,
                "InvalidRequest",
                format!("At least one action needs to be specified in a rule: {id}"),
            ));
        }
        for (days, what) in expirations {
            if days.is_some_and(|d| d <= 0) {
                return Err(invalid(format!("{what} must be a positive integer")));
            }
        }
        for transition in transitions {
            let days = int_of(transition, "days").unwrap_or_default();
            let class = str_of(transition, "storage_class").unwrap_or_default();
            if !STORAGE_CLASSES.contains(&class) {
                return Err(fail(
                    LIFECYCLE,
                    "InvalidStorageClass",
                    format!("The storage class you specified is not valid: {class}"),
                ));
            }
            // A transition may be immediate (0 days) to the classes that
            // have no minimum age.
            if days < 0 {
                return Err(invalid(
                    "'Days' in Transition action must be nonnegative".to_owned(),
                ));
            }
            if let Some(least) = min_transition_days(class).filter(|least| days < *least) {
                return Err(invalid(format!(
                    "'Days' in Transition action must be greater than or equal to {least} for storageClass '{class}'"
                )));
            }
            if expiration.is_some_and(|e| e <= days) {
                let prefix = str_of(rule, "prefix").unwrap_or_default();
                return Err(invalid(format!(
                    "'Days' in the Expiration action for filter '(prefix={prefix})' must be greater than 'Days' in the Transition action"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_resources_name_the_bucket() {
        for resource in [
            "*",
            "arn:aws:s3:::logs",
            "arn:aws:s3:::logs/*",
            "arn:aws:s3:::logs/AWSLogs/123456789012/*",
            "arn:aws:s3:::lo*",
            "arn:aws:s3:::l?gs/*",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/logs",
        ] {
            assert!(names_bucket(resource, "logs"), "{resource}");
        }
        for resource in [
            "arn:aws:s3:::other",
            "arn:aws:s3:::logs2/*",
            "arn:aws:sqs:us-east-1:123456789012:q",
            "logs",
        ] {
            assert!(!names_bucket(resource, "logs"), "{resource}");
        }
    }
}
