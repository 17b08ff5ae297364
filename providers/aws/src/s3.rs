//! S3: `s3_bucket`s, with their versioning, default encryption, public
//! access block, object ownership, policy and lifecycle rules.
//!
//! Create: CreateBucket (a LocationConstraint outside us-east-1), then one
//! call per part: PutBucketTagging (berth's tags, the user's, and
//! `berth:force_destroy` when set, as S3 keeps no such field),
//! PutPublicAccessBlock, PutBucketOwnershipControls, PutBucketEncryption,
//! PutBucketVersioning (unless `Disabled`), PutBucketPolicy (when given,
//! after the public access block, which may refuse it) and
//! PutBucketLifecycleConfiguration (when there are rules). A bucket's name
//! is its identity: CreateBucket sent again after a lost answer is
//! answered BucketAlreadyOwnedByYou (us-east-1: success), which is done.
//! The calls after CreateBucket are sent again while S3 does not know the
//! new bucket yet (NoSuchBucket), as its configuration is eventually
//! consistent. Unlike other kinds' creates, CreateBucket carries no tags
//! (its `CreateBucketConfiguration.Tags` needs `s3:TagResource` besides
//! `s3:CreateBucket`, and moto drops them): a crash between CreateBucket
//! and PutBucketTagging leaves an untagged bucket, which no read finds;
//! the next create of a bucket berth names takes it (its derived name,
//! any suffix, and no berth tags) rather than draw another name. One
//! given its `name` is refused as held (AlreadyExists).
//!
//! Update: one call per part that changed (PutBucketTagging with the whole
//! set; Delete{BucketPolicy,BucketLifecycle} when none is left). S3 cannot
//! turn versioning off once it was on: `Disabled` after `Enabled` or
//! `Suspended` is refused before any call.
//!
//! Delete: DeleteBucket; with `force_destroy`, every object version and
//! delete marker first (ListObjectVersions, DeleteObjects 1000 at a time).
//!
//! To read a stack's: the tagging API's buckets of the stack, and
//! ListBuckets at the same time (names under berth's prefix for the stack,
//! in the provider's region: the tagging API lags on AWS), whose tags the
//! tagging API did not answer are read by GetBucketTagging. A bucket the
//! tagging API names that the regional listing does not hold (a given
//! name, or another region's bucket) is kept only if GetBucketLocation
//! puts it in the provider's region. Then per bucket, all at once:
//! GetBucketVersioning, GetBucketEncryption, GetPublicAccessBlock,
//! GetBucketOwnershipControls, GetBucketPolicy and
//! GetBucketLifecycleConfiguration, each configuration S3 holds none of
//! read as S3 behaves without it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::time::Duration;

use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint,
    BucketVersioningStatus, CreateBucketConfiguration, Delete, ExpirationStatus, LifecycleExpiration,
    LifecycleRule, LifecycleRuleFilter, NoncurrentVersionExpiration, ObjectIdentifier, ObjectOwnership,
    OwnershipControls, OwnershipControlsRule, PublicAccessBlockConfiguration, ServerSideEncryption,
    ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging,
    Transition, TransitionStorageClass, VersioningConfiguration,
};
use berth_provider::adopt::adoption_tags;
use berth_provider::{Address, Attrs, Kind, ProviderError, Resource, Value, naming, policy};
use futures::future::try_join_all;

use crate::attrs::{
    FlagTag, attrs, blocks_of, bool_of, canonical, checked_tags, complete, create_tags, i32_of, keep, map_of,
    opt_int, opt_str, resource, str_of, user_tags,
};
use crate::errors::{build_error, gone};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::{self, Tags};
use crate::{AwsProvider, paginate};

const SERVICE: &str = "s3";

/// The tagging API's resource type of a bucket.
const RESOURCE_TYPE: &str = "s3";

/// A bucket's `force_destroy`, which S3 keeps no field for.
const FORCE: FlagTag = FlagTag {
    attr: "force_destroy",
    tag: "berth:force_destroy",
};

/// The region S3 creates a bucket in without a LocationConstraint (and
/// whose buckets GetBucketLocation answers none for).
const US_EAST_1: &str = "us-east-1";

/// `versioning` of a bucket that never had it on.
const DISABLED: &str = "Disabled";

/// S3's default encryption, also of a bucket with no configuration.
const AES256: &str = "AES256";

/// S3's object ownership of a bucket without ownership controls.
const OBJECT_WRITER: &str = "ObjectWriter";

/// What S3 answers for a bucket that does not exist.
const NO_SUCH_BUCKET: &str = "NoSuchBucket";
/// ...for CreateBucket of a bucket the account has (outside us-east-1).
const ALREADY_OWNED: &str = "BucketAlreadyOwnedByYou";
/// ...for DeleteBucket of a bucket that holds objects.
const NOT_EMPTY: &str = "BucketNotEmpty";
/// ...for GetBucketTagging of a bucket without tags.
const NO_TAG_SET: &str = "NoSuchTagSet";
/// ...for GetBucketEncryption of a bucket without a configuration.
const NO_ENCRYPTION: &str = "ServerSideEncryptionConfigurationNotFoundError";
/// ...for GetPublicAccessBlock of a bucket without one.
const NO_ACCESS_BLOCK: &str = "NoSuchPublicAccessBlockConfiguration";
/// ...for GetBucketOwnershipControls of a bucket without them.
const NO_OWNERSHIP: &str = "OwnershipControlsNotFoundError";
/// ...for GetBucketPolicy of a bucket without one.
const NO_POLICY: &str = "NoSuchBucketPolicy";
/// ...for GetBucketLifecycleConfiguration of a bucket without rules.
const NO_LIFECYCLE: &str = "NoSuchLifecycleConfiguration";

/// What S3 may answer a call about a bucket of another region sent to
/// this region's endpoint.
const OTHER_REGION: &[&str] = &["PermanentRedirect", "AuthorizationHeaderMalformed"];

/// The most objects one DeleteObjects takes.
const DELETE_BATCH: usize = 1000;

/// The most buckets one ListBuckets page holds (the API's limit); sent, as
/// AWS answers unpaginated listings only to accounts of the default quota.
const LIST_PAGE: i32 = 10_000;

/// How long the calls after CreateBucket are sent again while S3 does not
/// know the new bucket yet.
const PROPAGATION: Duration = Duration::from_secs(2 * 60);

/// The public access block's four settings, as berth and S3 name them.
const BLOCK_ATTRS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

/// The settings PutBucketEncryption writes together.
const ENCRYPTION_ATTRS: [&str; 3] = ["encryption", "kms_key", "bucket_key"];

/// The attributes a bucket's name settles, which an update keeps.
const COMPUTED: [&str; 5] = ["name", "id", "arn", "domain_name", "regional_domain_name"];

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut a = complete(Kind::S3Bucket, &desired.attrs);
    canonical(Kind::S3Bucket, &mut a);
    let name = match naming::given(&a, "name") {
        Some(given) => given.to_owned(),
        None => match orphan(p, stack, &desired.address).await? {
            Some(orphan) => orphan,
            None => naming::s3_bucket(stack, &desired.address, fastrand::u32(..)),
        },
    };
    let call = "CreateBucket";
    let region = p.region();
    let location = (region != US_EAST_1).then(|| {
        CreateBucketConfiguration::builder()
            .location_constraint(BucketLocationConstraint::from(region))
            .build()
    });
    let s3 = &p.clients.s3;
    // CreateBucket in us-east-1 answers with the account's bucket of that
    // name: another stack's would be taken over. (A name berth draws has a
    // random suffix.)
    if naming::given(&a, "name").is_some() && list_buckets(p, Some(name.clone())).await?.contains(&name) {
        let tags = tags_of(p, &name).await?;
        let pairs: Vec<_> = tagging::pairs(&tags).collect();
        crate::attrs::refuse_held(call, Kind::S3Bucket, stack, &desired.address, &name, &pairs)?;
    }
    // A bucket's name is its identity: sent again after a lost answer,
    // CreateBucket is answered BucketAlreadyOwnedByYou (in us-east-1,
    // success), the bucket the first sending made.
    p.call_repeatable(SERVICE, call, &[ALREADY_OWNED], || {
        s3.create_bucket()
            .bucket(&name)
            .set_create_bucket_configuration(location.clone())
            .send()
    })
    .await
    .map_err(|e| already_owned(e, &name, &desired.address))?;
    let tags = bucket_tags(stack, &desired.address, &a);
    if let Err(refused) = appearing(call, || put_tagging(p, &name, &tags)).await {
        // Untagged, no plan finds it: gone again, empty, rather than left.
        let _ = p
            .call(SERVICE, "DeleteBucket", || {
                s3.delete_bucket().bucket(&name).send()
            })
            .await;
        return Err(refused);
    }
    appearing(call, || put_access_block(p, &name, &a)).await?;
    appearing(call, || put_ownership(p, &name, &a)).await?;
    appearing(call, || put_encryption(p, &name, &a)).await?;
    if versioning(&a) != DISABLED {
        appearing(call, || put_versioning(p, &name, &a)).await?;
    }
    if let Some(doc) = document(&a) {
        appearing(call, || put_policy(p, &name, &doc)).await?;
    }
    if !blocks_of(&a, "lifecycle_rule").is_empty() {
        appearing(call, || put_lifecycle(p, &name, &a)).await?;
    }
    let computed = berth_provider::s3::settled(&name, region, p.partition().await);
    Ok(resource(desired.address.clone(), with_computed(a, computed)))
}

/// A bucket berth named for `address` (its derived name, any suffix) that
/// carries no berth tags: an earlier create's, whose run ended between
/// CreateBucket and PutBucketTagging. Taken, it is not left behind.
async fn orphan(p: &AwsProvider, stack: &str, address: &Address) -> Result<Option<String>, ProviderError> {
    let drawn = naming::s3_bucket(stack, address, 0);
    let Some(prefix) = drawn.get(..drawn.len().saturating_sub(naming::SUFFIX_LEN)) else {
        return Ok(None);
    };
    let mut candidates: Vec<String> = list_buckets(p, Some(prefix.to_owned()))
        .await?
        .into_iter()
        .filter(|n| {
            n.strip_prefix(prefix).is_some_and(|rest| {
                rest.len() == naming::SUFFIX_LEN && rest.bytes().all(|b| b.is_ascii_hexdigit())
            })
        })
        .collect();
    candidates.sort();
    for name in candidates {
        let tags = tags_of(p, &name).await?;
        if !tags.iter().any(|(k, _)| k.starts_with("berth:")) {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

/// A first CreateBucket refused as a bucket the account has already: one
/// made outside berth, or by a create whose later calls failed.
fn already_owned(mut err: ProviderError, name: &str, address: &Address) -> ProviderError {
    if err.code == ALREADY_OWNED {
        err.message = format!(
            "the bucket {name} exists in this account already: `berth import {address} {name}` adopts it ({})",
            err.message
        );
    }
    err
}

/// Sends `f` again while S3 answers NoSuchBucket for a bucket just made
/// (bucket configuration is eventually consistent on AWS), for
/// [`PROPAGATION`] at most.
async fn appearing<T, F, Fut>(call: &str, f: F) -> Result<T, ProviderError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    let poll = Poll::new(
        call,
        "the new bucket unknown".to_owned(),
        PROPAGATION,
        Duration::from_secs(1),
    );
    poll.resend_while(|e| e.code == NO_SUCH_BUCKET, f).await
}

fn with_computed(mut a: Attrs, computed: [(&'static str, String); 5]) -> Attrs {
    for (key, value) in computed {
        a.insert(key.to_owned(), Value::String(value));
    }
    a
}

/// Every tag the bucket carries: the user's, berth's two, and the
/// `force_destroy` flag when set.
fn bucket_tags(stack: &str, address: &Address, a: &Attrs) -> BTreeMap<String, String> {
    let mut tags = create_tags(stack, address, a);
    FORCE.create(a, &mut tags);
    tags
}

fn versioning(a: &Attrs) -> &str {
    str_of(a, "versioning").unwrap_or(DISABLED)
}

/// The bucket policy as S3 takes it, when one is given.
fn document(a: &Attrs) -> Option<String> {
    a.get("policy")
        .filter(|v| **v != Value::Null)
        .map(policy::to_json_text)
}

/// PutBucketTagging: `tags` become the bucket's whole tag set.
async fn put_tagging(
    p: &AwsProvider,
    name: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), ProviderError> {
    let call = "PutBucketTagging";
    let set = checked_tags!(Tag, call, tags.clone())?;
    let tagging = Tagging::builder()
        .set_tag_set(Some(set))
        .build()
        .map_err(|e| build_error(call, e))?;
    let s3 = &p.clients.s3;
    p.call(SERVICE, call, || {
        s3.put_bucket_tagging()
            .bucket(name)
            .tagging(tagging.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn put_access_block(p: &AwsProvider, name: &str, a: &Attrs) -> Result<(), ProviderError> {
    let block = PublicAccessBlockConfiguration::builder()
        .block_public_acls(bool_of(a, "block_public_acls"))
        .block_public_policy(bool_of(a, "block_public_policy"))
        .ignore_public_acls(bool_of(a, "ignore_public_acls"))
        .restrict_public_buckets(bool_of(a, "restrict_public_buckets"))
        .build();
    let s3 = &p.clients.s3;
    p.call(SERVICE, "PutPublicAccessBlock", || {
        s3.put_public_access_block()
            .bucket(name)
            .public_access_block_configuration(block.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn put_ownership(p: &AwsProvider, name: &str, a: &Attrs) -> Result<(), ProviderError> {
    let call = "PutBucketOwnershipControls";
    let rule = OwnershipControlsRule::builder()
        .object_ownership(ObjectOwnership::from(
            str_of(a, "object_ownership").unwrap_or("BucketOwnerEnforced"),
        ))
        .build()
        .map_err(|e| build_error(call, e))?;
    let controls = OwnershipControls::builder()
        .rules(rule)
        .build()
        .map_err(|e| build_error(call, e))?;
    let s3 = &p.clients.s3;
    p.call(SERVICE, call, || {
        s3.put_bucket_ownership_controls()
            .bucket(name)
            .ownership_controls(controls.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn put_encryption(p: &AwsProvider, name: &str, a: &Attrs) -> Result<(), ProviderError> {
    let call = "PutBucketEncryption";
    let by_default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(ServerSideEncryption::from(
            str_of(a, "encryption").unwrap_or(AES256),
        ))
        .set_kms_master_key_id(str_of(a, "kms_key").map(str::to_owned))
        .build()
        .map_err(|e| build_error(call, e))?;
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(by_default)
        .bucket_key_enabled(bool_of(a, "bucket_key"))
        .build();
    let config = ServerSideEncryptionConfiguration::builder()
        .rules(rule)
        .build()
        .map_err(|e| build_error(call, e))?;
    let s3 = &p.clients.s3;
    p.call(SERVICE, call, || {
        s3.put_bucket_encryption()
            .bucket(name)
            .server_side_encryption_configuration(config.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// PutBucketVersioning: `Enabled` or `Suspended` (S3 knows no `Disabled`
/// status: a bucket that never had versioning on has none).
async fn put_versioning(p: &AwsProvider, name: &str, a: &Attrs) -> Result<(), ProviderError> {
    let config = VersioningConfiguration::builder()
        .status(BucketVersioningStatus::from(versioning(a)))
        .build();
    let s3 = &p.clients.s3;
    p.call(SERVICE, "PutBucketVersioning", || {
        s3.put_bucket_versioning()
            .bucket(name)
            .versioning_configuration(config.clone())
            .send()
    })
    .await?;
    Ok(())
}

async fn put_policy(p: &AwsProvider, name: &str, doc: &str) -> Result<(), ProviderError> {
    let s3 = &p.clients.s3;
    p.call(SERVICE, "PutBucketPolicy", || {
        s3.put_bucket_policy().bucket(name).policy(doc).send()
    })
    .await?;
    Ok(())
}

/// PutBucketLifecycleConfiguration of the `lifecycle_rule` blocks.
async fn put_lifecycle(p: &AwsProvider, name: &str, a: &Attrs) -> Result<(), ProviderError> {
    let call = "PutBucketLifecycleConfiguration";
    let rules = blocks_of(a, "lifecycle_rule")
        .into_iter()
        .map(|r| lifecycle_rule(call, r))
        .collect::<Result<Vec<_>, _>>()?;
    let config = BucketLifecycleConfiguration::builder()
        .set_rules(Some(rules))
        .build()
        .map_err(|e| build_error(call, e))?;
    let s3 = &p.clients.s3;
    p.call(SERVICE, call, || {
        s3.put_bucket_lifecycle_configuration()
            .bucket(name)
            .lifecycle_configuration(config.clone())
            .send()
    })
    .await?;
    Ok(())
}

/// One `lifecycle_rule` block as S3's rule: its label the rule's ID, every
/// object (an empty prefix) when it names no prefix.
fn lifecycle_rule(call: &str, r: &Attrs) -> Result<LifecycleRule, ProviderError> {
    let status = if bool_of(r, "enabled") {
        ExpirationStatus::Enabled
    } else {
        ExpirationStatus::Disabled
    };
    let filter = LifecycleRuleFilter::builder()
        .prefix(str_of(r, "prefix").unwrap_or_default())
        .build();
    let transitions: Vec<Transition> = blocks_of(r, "transition")
        .into_iter()
        .map(|t| {
            Transition::builder()
                .set_days(i32_of(t, "days"))
                .set_storage_class(str_of(t, "storage_class").map(TransitionStorageClass::from))
                .build()
        })
        .collect();
    LifecycleRule::builder()
        .set_id(str_of(r, "name").map(str::to_owned))
        .status(status)
        .filter(filter)
        .set_expiration(i32_of(r, "expiration_days").map(|d| LifecycleExpiration::builder().days(d).build()))
        .set_noncurrent_version_expiration(
            i32_of(r, "noncurrent_expiration_days")
                .map(|d| NoncurrentVersionExpiration::builder().noncurrent_days(d).build()),
        )
        .set_abort_incomplete_multipart_upload(i32_of(r, "abort_incomplete_upload_days").map(|d| {
            AbortIncompleteMultipartUpload::builder()
                .days_after_initiation(d)
                .build()
        }))
        .set_transitions((!transitions.is_empty()).then_some(transitions))
        .build()
        .map_err(|e| build_error(call, e))
}

pub(crate) async fn update(
    p: &AwsProvider,
    stack: &str,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let mut new = complete(Kind::S3Bucket, &desired.attrs);
    canonical(Kind::S3Bucket, &mut new);
    let old = &live.attrs;
    let name = str_of(old, "name").unwrap_or_default().to_owned();
    let changed = |k: &str| old.get(k) != new.get(k);
    if changed("versioning") && versioning(&new) == DISABLED {
        return Err(ProviderError::permanent(
            "PutBucketVersioning",
            "InvalidBucketState",
            format!(
                "S3 cannot turn the versioning of bucket {name} off once it was on ({}): write `versioning = \"Suspended\"` to keep no more versions",
                versioning(old)
            ),
        ));
    }
    let s3 = &p.clients.s3;
    if changed("tags") || changed(FORCE.attr) {
        put_tagging(p, &name, &bucket_tags(stack, &live.address, &new)).await?;
    }
    let block_changed = BLOCK_ATTRS.iter().any(|k| changed(k));
    // S3 refuses a public policy while the block refuses public policies:
    // a block being relaxed goes first, one being tightened last.
    let relaxed = BLOCK_ATTRS.iter().any(|k| bool_of(old, k) && !bool_of(&new, k));
    if block_changed && relaxed {
        put_access_block(p, &name, &new).await?;
    }
    if changed("policy") {
        match document(&new) {
            Some(doc) => put_policy(p, &name, &doc).await?,
            None => {
                p.call(SERVICE, "DeleteBucketPolicy", || {
                    s3.delete_bucket_policy().bucket(&name).send()
                })
                .await?;
            }
        }
    }
    if block_changed && !relaxed {
        put_access_block(p, &name, &new).await?;
    }
    if changed("object_ownership") {
        put_ownership(p, &name, &new).await?;
    }
    if ENCRYPTION_ATTRS.iter().any(|k| changed(k)) {
        put_encryption(p, &name, &new).await?;
    }
    if changed("versioning") {
        put_versioning(p, &name, &new).await?;
    }
    if changed("lifecycle_rule") {
        if blocks_of(&new, "lifecycle_rule").is_empty() {
            p.call(SERVICE, "DeleteBucketLifecycle", || {
                s3.delete_bucket_lifecycle().bucket(&name).send()
            })
            .await?;
        } else {
            put_lifecycle(p, &name, &new).await?;
        }
    }
    keep(&mut new, old, &COMPUTED);
    Ok(resource(live.address.clone(), new))
}

/// PutBucketTagging: berth's tags on a bucket it adopts, beside those it
/// has (S3 replaces the whole set).
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    let mut tags = map_of(&live.attrs, "tags");
    tags.extend(adoption_tags(stack, &live.address));
    FORCE.create(&live.attrs, &mut tags);
    put_tagging(p, name, &tags).await
}

/// Deletes the bucket; with `force_destroy`, every object version and
/// delete marker first. S3 refuses to delete a bucket that holds objects
/// (BucketNotEmpty): without `force_destroy` berth deletes none.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let s3 = &p.clients.s3;
    let name = str_of(&live.attrs, "name").unwrap_or_default();
    let force = bool_of(&live.attrs, FORCE.attr);
    // Objects written between the emptying and DeleteBucket: emptied again.
    let mut tries = 3;
    loop {
        tries -= 1;
        if force && !empty(p, name).await? {
            return Ok(());
        }
        let deleted = p
            .call_unless(SERVICE, "DeleteBucket", &[NO_SUCH_BUCKET], || {
                s3.delete_bucket().bucket(name).send()
            })
            .await;
        match deleted {
            Ok(_) => return Ok(()),
            Err(e) if e.code == NOT_EMPTY && force && tries > 0 => continue,
            Err(mut e) if e.code == NOT_EMPTY && !force => {
                e.message = format!(
                    "the bucket {name} holds objects: set `force_destroy = true` (and apply) to delete them with it, or empty it first ({})",
                    e.message
                );
                return Err(e);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Deletes every object version and delete marker of the bucket:
/// ListObjectVersions page by page, DeleteObjects (quiet) 1000 at a time.
/// `false` when the bucket is gone.
async fn empty(p: &AwsProvider, name: &str) -> Result<bool, ProviderError> {
    let s3 = &p.clients.s3;
    let (mut key, mut version): (Option<String>, Option<String>) = (None, None);
    loop {
        let page = p
            .call_unless(SERVICE, "ListObjectVersions", &[NO_SUCH_BUCKET], || {
                s3.list_object_versions()
                    .bucket(name)
                    .set_key_marker(key.clone())
                    .set_version_id_marker(version.clone())
                    .send()
            })
            .await?;
        let Some(page) = page else { return Ok(false) };
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page.delete_markers().iter().map(|m| (m.key(), m.version_id()));
        let ids = versions
            .chain(markers)
            .map(|(key, version)| {
                ObjectIdentifier::builder()
                    .set_key(key.map(str::to_owned))
                    .set_version_id(version.map(str::to_owned))
                    .build()
                    .map_err(|e| build_error("DeleteObjects", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for batch in ids.chunks(DELETE_BATCH) {
            if !delete_objects(p, name, batch).await? {
                return Ok(false);
            }
        }
        if page.is_truncated() != Some(true) {
            return Ok(true);
        }
        key = page.next_key_marker().map(str::to_owned);
        version = page.next_version_id_marker().map(str::to_owned);
    }
}

/// DeleteObjects of `batch`; an object S3 could not delete is an error
/// naming it. `false` when the bucket is gone.
async fn delete_objects(
    p: &AwsProvider,
    name: &str,
    batch: &[ObjectIdentifier],
) -> Result<bool, ProviderError> {
    let call = "DeleteObjects";
    let delete = Delete::builder()
        .set_objects(Some(batch.to_vec()))
        .quiet(true)
        .build()
        .map_err(|e| build_error(call, e))?;
    let s3 = &p.clients.s3;
    let out = p
        .call_unless(SERVICE, call, &[NO_SUCH_BUCKET], || {
            s3.delete_objects().bucket(name).delete(delete.clone()).send()
        })
        .await?;
    let Some(out) = out else { return Ok(false) };
    match out.errors().first() {
        None => Ok(true),
        Some(e) => Err(ProviderError::permanent(
            call,
            e.code().unwrap_or("Unknown"),
            format!(
                "{} of {} object(s) of bucket {name} not deleted, first {} (version {}): {}",
                out.errors().len(),
                batch.len(),
                e.key().unwrap_or_default(),
                e.version_id().unwrap_or("null"),
                e.message().unwrap_or_default()
            ),
        )),
    }
}

/// The stack's buckets (see the module's comment for how they are found).
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let (tagged, listed) = tokio::try_join!(
        tagging::tagged(p, stack, RESOURCE_TYPE),
        list_buckets(p, naming::s3_bucket_prefix(stack)),
    )?;
    let tagged: HashMap<String, Tags> = tagged
        .into_iter()
        .filter_map(|(arn, tags)| Some((name_in(&arn)?.to_owned(), tags)))
        .collect();
    // Tagged buckets the regional listing does not hold: given names, or
    // buckets of other regions.
    let placed = tagged
        .keys()
        .filter(|n| !listed.contains(*n))
        .map(|name| async move {
            let here = matches!(location(p, name).await?, Some(ref r) if r == p.region());
            Ok::<_, ProviderError>(here.then_some(name))
        });
    // Listed buckets the tagging API does not list (yet): their tags.
    let unlisted = listed
        .iter()
        .filter(|n| !tagged.contains_key(*n))
        .map(|name| async move {
            let tags = tags_of(p, name)
                .await
                .map(Some)
                .or_else(|e| gone(e, NO_SUCH_BUCKET))?;
            Ok::<_, ProviderError>(tags.map(|tags| (name.clone(), tags)))
        });
    let (placed, unlisted) = tokio::try_join!(try_join_all(placed), try_join_all(unlisted))?;
    let here: HashSet<&String> = placed.into_iter().flatten().collect();
    let mut found: Vec<(&String, &Tags)> = tagged
        .iter()
        .filter(|(name, _)| listed.contains(*name) || here.contains(name))
        .collect();
    found.extend(unlisted.iter().flatten().map(|(name, tags)| (name, tags)));
    let scope = Scope::Stack(stack);
    found.retain(|(_, tags)| scope.address(Kind::S3Bucket, tagging::pairs(tags)).is_some());
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let partition = p.partition().await;
    let reads = found
        .into_iter()
        .map(|(name, tags)| read(p, &scope, name, Some(tags), partition));
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

/// The bucket `scope` looks for, by name (or ARN, `arn:aws:s3:::NAME`):
/// none when there is no such bucket, an error when it is another
/// region's.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let id = scope.id().unwrap_or_default();
    let name = name_in(id).unwrap_or(id);
    match location(p, name).await? {
        None => return Ok(None),
        Some(region) if region != p.region() => {
            let there = if region.is_empty() {
                "another region".to_owned()
            } else {
                region
            };
            return Err(ProviderError::permanent(
                "GetBucketLocation",
                "BucketInOtherRegion",
                format!(
                    "the bucket {name} is in {there}, not in the stack's region {}",
                    p.region()
                ),
            ));
        }
        Some(_) => {}
    }
    let partition = p.partition().await;
    read(p, scope, name, None, partition).await
}

/// ListBuckets: the names of the account's buckets in the provider's
/// region that start with `prefix` (none without a prefix).
async fn list_buckets(p: &AwsProvider, prefix: Option<String>) -> Result<HashSet<String>, ProviderError> {
    let Some(prefix) = prefix else {
        return Ok(HashSet::new());
    };
    let s3 = &p.clients.s3;
    let region = p.region();
    let buckets = p
        .list(SERVICE, "ListBuckets", || {
            paginate!(
                s3.list_buckets()
                    .prefix(&prefix)
                    .bucket_region(region)
                    .max_buckets(LIST_PAGE),
                buckets
            )
        })
        .await?;
    Ok(buckets
        .into_iter()
        // AWS names each bucket's region (moto none, but filters).
        .filter(|b| b.bucket_region().is_none_or(|r| r == region))
        .filter_map(|b| b.name)
        .filter(|name| name.starts_with(&prefix))
        .collect())
}

/// GetBucketLocation: the bucket's region (empty when S3 only says it is
/// another's); none when the bucket does not exist.
async fn location(p: &AwsProvider, name: &str) -> Result<Option<String>, ProviderError> {
    let s3 = &p.clients.s3;
    let out = p
        .call(SERVICE, "GetBucketLocation", || {
            s3.get_bucket_location().bucket(name).send()
        })
        .await;
    match out {
        Ok(out) => Ok(Some(region_of(
            out.location_constraint().map(BucketLocationConstraint::as_str),
        ))),
        Err(e) if e.code == NO_SUCH_BUCKET => Ok(None),
        Err(e) if OTHER_REGION.contains(&e.code.as_str()) => Ok(Some(String::new())),
        Err(e) => Err(e),
    }
}

/// The region of a LocationConstraint: none (or empty) is us-east-1, `EU`
/// the old name of eu-west-1.
fn region_of(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => US_EAST_1.to_owned(),
        Some("EU") => "eu-west-1".to_owned(),
        Some(region) => region.to_owned(),
    }
}

/// GetBucketTagging (NoSuchTagSet: none).
async fn tags_of(p: &AwsProvider, name: &str) -> Result<Tags, ProviderError> {
    let s3 = &p.clients.s3;
    let out = p
        .call_unless(SERVICE, "GetBucketTagging", &[NO_TAG_SET], || {
            s3.get_bucket_tagging().bucket(name).send()
        })
        .await?;
    Ok(out.map_or_else(Vec::new, |o| {
        o.tag_set()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    }))
}

/// What S3 holds of one bucket's configuration.
#[derive(Debug, Default)]
struct Held {
    tags: Tags,
    versioning: Option<BucketVersioningStatus>,
    encryption: Option<ServerSideEncryptionRule>,
    block: Option<PublicAccessBlockConfiguration>,
    ownership: Option<ObjectOwnership>,
    policy: Option<String>,
    rules: Vec<LifecycleRule>,
}

/// The bucket `name` as a resource `scope` looks for, its configuration
/// read all at once (and its tags, unless the caller has them); none when
/// the bucket is gone.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    name: &str,
    tags: Option<&Tags>,
    partition: &str,
) -> Result<Option<Resource>, ProviderError> {
    let s3 = &p.clients.s3;
    let tags = async {
        match tags {
            Some(tags) => Ok(tags.clone()),
            None => tags_of(p, name).await,
        }
    };
    let versioning = p.call(SERVICE, "GetBucketVersioning", || {
        s3.get_bucket_versioning().bucket(name).send()
    });
    let encryption = p.call_unless(SERVICE, "GetBucketEncryption", &[NO_ENCRYPTION], || {
        s3.get_bucket_encryption().bucket(name).send()
    });
    let block = p.call_unless(SERVICE, "GetPublicAccessBlock", &[NO_ACCESS_BLOCK], || {
        s3.get_public_access_block().bucket(name).send()
    });
    let ownership = p.call_unless(SERVICE, "GetBucketOwnershipControls", &[NO_OWNERSHIP], || {
        s3.get_bucket_ownership_controls().bucket(name).send()
    });
    let policy = p.call_unless(SERVICE, "GetBucketPolicy", &[NO_POLICY], || {
        s3.get_bucket_policy().bucket(name).send()
    });
    let lifecycle = p.call_unless(
        SERVICE,
        "GetBucketLifecycleConfiguration",
        &[NO_LIFECYCLE],
        || s3.get_bucket_lifecycle_configuration().bucket(name).send(),
    );
    let read = tokio::try_join!(tags, versioning, encryption, block, ownership, policy, lifecycle);
    let (tags, versioning, encryption, block, ownership, policy, lifecycle) = match read {
        Ok(read) => read,
        // Deleted since it was listed (the tagging API lists deleted
        // buckets for a while).
        Err(e) if e.code == NO_SUCH_BUCKET => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(address) = scope.address(Kind::S3Bucket, tagging::pairs(&tags)) else {
        return Ok(None);
    };
    let held = Held {
        tags,
        versioning: versioning.status().cloned(),
        encryption: encryption
            .and_then(|o| o.server_side_encryption_configuration)
            .and_then(|c| c.rules.into_iter().next()),
        block: block.and_then(|o| o.public_access_block_configuration),
        ownership: ownership
            .and_then(|o| o.ownership_controls)
            .and_then(|c| c.rules.into_iter().next())
            .map(|r| r.object_ownership),
        policy: policy.and_then(|o| o.policy),
        rules: lifecycle.and_then(|o| o.rules).unwrap_or_default(),
    };
    let computed = berth_provider::s3::settled(name, p.region(), partition);
    Ok(Some(resource(address, with_computed(decode(&held), computed))))
}

/// The bucket's configuration as berth holds it, each part S3 holds none
/// of as S3 behaves without it.
fn decode(held: &Held) -> Attrs {
    let by_default = held
        .encryption
        .as_ref()
        .and_then(ServerSideEncryptionRule::apply_server_side_encryption_by_default);
    let block = |get: fn(&PublicAccessBlockConfiguration) -> Option<bool>| {
        Value::Bool(held.block.as_ref().and_then(get).unwrap_or(false))
    };
    let pairs = || tagging::pairs(&held.tags);
    attrs([
        (
            "force_destroy",
            Value::Bool(pairs().any(|(k, v)| FORCE.is(k) && v == "true")),
        ),
        (
            "versioning",
            Value::from(
                held.versioning
                    .as_ref()
                    .map_or(DISABLED, BucketVersioningStatus::as_str),
            ),
        ),
        (
            "encryption",
            Value::from(by_default.map_or(AES256, |d| d.sse_algorithm().as_str())),
        ),
        (
            "kms_key",
            opt_str(by_default.and_then(ServerSideEncryptionByDefault::kms_master_key_id)),
        ),
        (
            "bucket_key",
            Value::Bool(
                held.encryption
                    .as_ref()
                    .and_then(ServerSideEncryptionRule::bucket_key_enabled)
                    .unwrap_or(false),
            ),
        ),
        (
            "block_public_acls",
            block(PublicAccessBlockConfiguration::block_public_acls),
        ),
        (
            "block_public_policy",
            block(PublicAccessBlockConfiguration::block_public_policy),
        ),
        (
            "ignore_public_acls",
            block(PublicAccessBlockConfiguration::ignore_public_acls),
        ),
        (
            "restrict_public_buckets",
            block(PublicAccessBlockConfiguration::restrict_public_buckets),
        ),
        (
            "object_ownership",
            Value::from(
                held.ownership
                    .as_ref()
                    .map_or(OBJECT_WRITER, ObjectOwnership::as_str),
            ),
        ),
        (
            "policy",
            held.policy
                .as_deref()
                .filter(|d| !d.is_empty())
                .map_or(Value::Null, policy::from_aws),
        ),
        (
            "tags",
            user_tags(pairs().filter(|(k, _)| !k.starts_with("berth:"))),
        ),
        (
            "lifecycle_rule",
            Value::List(held.rules.iter().map(lifecycle_block).collect()),
        ),
    ])
}

/// One S3 lifecycle rule as a `lifecycle_rule` block (its ID the label).
fn lifecycle_block(rule: &LifecycleRule) -> Value {
    // A rule written outside berth may name its prefix the old way, outside
    // a filter.
    #[allow(deprecated)]
    let legacy = rule.prefix();
    let prefix = rule
        .filter()
        .and_then(LifecycleRuleFilter::prefix)
        .or(legacy)
        .filter(|p| !p.is_empty());
    let transitions = rule
        .transitions()
        .iter()
        .map(|t| {
            Value::Map(attrs([
                ("days", opt_int(t.days())),
                (
                    "storage_class",
                    opt_str(t.storage_class().map(TransitionStorageClass::as_str)),
                ),
            ]))
        })
        .collect();
    Value::Map(attrs([
        ("name", opt_str(rule.id())),
        (
            "enabled",
            Value::Bool(*rule.status() == ExpirationStatus::Enabled),
        ),
        ("prefix", opt_str(prefix)),
        (
            "expiration_days",
            opt_int(rule.expiration().and_then(LifecycleExpiration::days)),
        ),
        (
            "noncurrent_expiration_days",
            opt_int(
                rule.noncurrent_version_expiration()
                    .and_then(NoncurrentVersionExpiration::noncurrent_days),
            ),
        ),
        (
            "abort_incomplete_upload_days",
            opt_int(
                rule.abort_incomplete_multipart_upload()
                    .and_then(AbortIncompleteMultipartUpload::days_after_initiation),
            ),
        ),
        ("transition", Value::List(transitions)),
    ]))
}

/// The bucket's name in a bucket ARN (`arn:P:s3:::NAME`); none for another
/// ARN (an access point's, an object's).
fn name_in(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts[..] {
        ["arn", _, "s3", "", "", name] if !name.is_empty() && !name.contains('/') => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_come_out_of_bucket_arns_only() {
        assert_eq!(name_in("arn:aws:s3:::blog-logs-a1b2c3"), Some("blog-logs-a1b2c3"));
        assert_eq!(name_in("arn:aws-cn:s3:::logs"), Some("logs"));
        assert_eq!(name_in("arn:aws:s3:::logs/AWSLogs/x"), None, "an object");
        assert_eq!(
            name_in("arn:aws:s3:us-east-1:123456789012:accesspoint/ap"),
            None,
            "an access point"
        );
        assert_eq!(name_in("logs"), None);
    }

    #[test]
    fn location_constraints_name_regions() {
        assert_eq!(region_of(None), "us-east-1");
        assert_eq!(region_of(Some("")), "us-east-1");
        assert_eq!(region_of(Some("EU")), "eu-west-1");
        assert_eq!(region_of(Some("ap-south-1")), "ap-south-1");
    }

    #[test]
    fn a_bucket_without_configuration_reads_as_s3_behaves() {
        let a = decode(&Held {
            tags: vec![
                ("berth:stack".to_owned(), "s".to_owned()),
                ("berth:force_destroy".to_owned(), "true".to_owned()),
                ("team".to_owned(), "web".to_owned()),
            ],
            ..Held::default()
        });
        assert_eq!(a["force_destroy"], Value::Bool(true));
        assert_eq!(a["versioning"], Value::from("Disabled"));
        assert_eq!(a["encryption"], Value::from("AES256"));
        assert_eq!(a["kms_key"], Value::Null);
        assert_eq!(a["block_public_acls"], Value::Bool(false));
        assert_eq!(a["object_ownership"], Value::from("ObjectWriter"));
        assert_eq!(a["policy"], Value::Null);
        assert_eq!(a["lifecycle_rule"], Value::List(Vec::new()));
        assert_eq!(
            a["tags"],
            Value::Map(Attrs::from([("team".to_owned(), Value::from("web"))]))
        );
    }

    #[test]
    fn lifecycle_rules_go_to_s3_and_back() {
        let block = attrs([
            ("name", Value::from("expire")),
            ("enabled", Value::Bool(false)),
            ("prefix", Value::Null),
            ("expiration_days", Value::Int(90)),
            ("noncurrent_expiration_days", Value::Null),
            ("abort_incomplete_upload_days", Value::Int(7)),
            (
                "transition",
                Value::List(vec![Value::Map(attrs([
                    ("days", Value::Int(30)),
                    ("storage_class", Value::from("STANDARD_IA")),
                ]))]),
            ),
        ]);
        let rule = lifecycle_rule("Put", &block).expect("a rule");
        assert_eq!(rule.filter().and_then(LifecycleRuleFilter::prefix), Some(""));
        assert_eq!(*rule.status(), ExpirationStatus::Disabled);
        assert_eq!(lifecycle_block(&rule), Value::Map(block));
    }
}
