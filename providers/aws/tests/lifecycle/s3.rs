//! `s3_bucket` through the real SDK against moto: a bucket with every part
//! set read back as created, each part changed in place (policy and
//! lifecycle rules removed), versioning never turned off, `force_destroy`
//! deleting every version and delete marker (and BucketNotEmpty without
//! it), a create whose answer is lost (BucketAlreadyOwnedByYou outside
//! us-east-1), buckets of another region left out, and a bucket imported
//! by name and adopted.

use std::collections::BTreeMap;

use crate::support::*;
use aws_config::Region;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketVersioningStatus, Tag, Tagging, VersioningConfiguration};
use berth_aws::AwsProvider;
use berth_provider::{ADDRESS_TAG, Address, Kind, Provider, Resource, STACK_TAG, Value};
use berth_test_support::proxy::{FaultProxy, Faults};
use futures::StreamExt;

fn bucket(name: &str, pairs: &[(&str, Value)]) -> Resource {
    desired(Kind::S3Bucket, name, pairs)
}

fn one(r: &Resource) -> BTreeMap<String, Resource> {
    [(r.address.to_string(), r.clone())].into()
}

/// A policy letting CloudFront read the bucket `name`'s objects: it names
/// the bucket's own ARN.
fn readable_by_cloudfront(name: &str) -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "CloudFrontRead",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [format!("arn:aws:s3:::{name}"), format!("arn:aws:s3:::{name}/*")],
        }],
    }))
}

/// A policy letting anyone read the bucket `name`'s objects.
fn public_read(name: &str) -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{name}/*"),
        }],
    }))
}

/// The bucket's tags as S3 holds them (none: NoSuchTagSet).
async fn raw_tags(env: &Env, name: &str) -> BTreeMap<String, String> {
    match env.raw.s3.get_bucket_tagging().bucket(name).send().await {
        Ok(out) => out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
        Err(e) => {
            assert_eq!(code(&e), "NoSuchTagSet", "{e:?}");
            BTreeMap::new()
        }
    }
}

/// The error code of a raw S3 call's error.
fn code<E: aws_sdk_s3::error::ProvideErrorMetadata>(e: &E) -> String {
    e.code().unwrap_or_default().to_owned()
}

/// The names of the account's buckets.
async fn buckets(env: &Env) -> Vec<String> {
    let out = env.raw.s3.list_buckets().send().await.expect("ListBuckets");
    out.buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect()
}

/// SDK configuration for `endpoint` in `region`.
async fn config_in(endpoint: &str, region: &'static str) -> aws_config::SdkConfig {
    sdk_config(endpoint)
        .await
        .into_builder()
        .region(Region::new(region))
        .build()
}

/// The provider for `endpoint` in `region`, with the tests' short retries.
async fn provider_in(endpoint: &str, region: &'static str) -> AwsProvider {
    provider_of(&config_in(endpoint, region).await)
}

#[tokio::test]
async fn a_bucket_with_every_part_reads_back_and_changes_in_place() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "s3-full";
    let name = "berth-s3-full-assets";
    let rules = list(vec![
        block(&[
            ("name", s("logs")),
            ("prefix", s("logs/")),
            ("expiration_days", Value::Int(365)),
            (
                "transition",
                list(vec![
                    block(&[("days", Value::Int(30)), ("storage_class", s("STANDARD_IA"))]),
                    block(&[("days", Value::Int(90)), ("storage_class", s("GLACIER"))]),
                ]),
            ),
        ]),
        block(&[
            ("name", s("uploads")),
            ("enabled", Value::Bool(false)),
            ("noncurrent_expiration_days", Value::Int(30)),
            ("abort_incomplete_upload_days", Value::Int(7)),
        ]),
    ]);
    let want = bucket(
        "assets",
        &[
            ("name", s(name)),
            ("versioning", s("Enabled")),
            ("encryption", s("AES256")),
            ("block_public_acls", Value::Bool(false)),
            ("ignore_public_acls", Value::Bool(false)),
            ("object_ownership", s("BucketOwnerPreferred")),
            ("policy", readable_by_cloudfront(name)),
            ("lifecycle_rule", rules),
            ("tags", tags(&[("team", "data")])),
        ],
    );
    let live = create(p, stack, want).await;
    assert_eq!(text(&live, "name"), name, "the given name, as written");
    assert_eq!(text(&live, "id"), name);
    assert_eq!(text(&live, "arn"), format!("arn:aws:s3:::{name}"));
    assert_eq!(text(&live, "domain_name"), format!("{name}.s3.amazonaws.com"));
    assert_eq!(
        text(&live, "regional_domain_name"),
        format!("{name}.s3.us-east-1.amazonaws.com")
    );

    // Raw SDK: every part as berth says.
    let s3 = &env.raw.s3;
    let (held, attrs) = crate::support::raw::inspect(&env.raw, &live).await;
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("s3_bucket.assets")
    );
    assert_eq!(held.get("team").map(String::as_str), Some("data"));
    assert!(!held.contains_key("berth:force_destroy"), "{held:?}");
    assert_eq!(attrs["versioning"], "Enabled");
    assert_eq!(attrs["ownership"], "BucketOwnerPreferred");
    assert_eq!(attrs["encryption"], "AES256");
    assert_eq!(
        attrs["lifecycle"],
        "logs Enabled logs/ exp=Some(365) noncurrent=None transitions=30:STANDARD_IA,90:GLACIER; \
         uploads Disabled  exp=None noncurrent=Some(30) transitions="
    );
    let out = s3
        .get_public_access_block()
        .bucket(name)
        .send()
        .await
        .expect("GetPublicAccessBlock");
    let block = out.public_access_block_configuration().expect("a block");
    assert_eq!(
        (
            block.block_public_acls(),
            block.block_public_policy(),
            block.ignore_public_acls(),
            block.restrict_public_buckets()
        ),
        (Some(false), Some(true), Some(false), Some(true))
    );
    let out = s3
        .get_bucket_policy()
        .bucket(name)
        .send()
        .await
        .expect("GetBucketPolicy");
    let policy = out.policy().unwrap_or_default();
    assert!(policy.contains(&format!("arn:aws:s3:::{name}/*")), "{policy}");
    assert_same(&read(p, stack).await, &one(&live));

    // Every part changed: policy and lifecycle rules removed, versioning
    // suspended, KMS encryption with a bucket key, ownership enforced, the
    // block all on, the tags changed, force_destroy on.
    let changed = bucket(
        "assets",
        &[
            ("name", s(name)),
            ("versioning", s("Suspended")),
            ("encryption", s("aws:kms")),
            ("kms_key", s("alias/berth-assets")),
            ("bucket_key", Value::Bool(true)),
            ("force_destroy", Value::Bool(true)),
            ("tags", tags(&[("team", "ml"), ("tier", "1")])),
        ],
    );
    let updated = p.update(stack, &live, &changed).await.expect("update");
    for key in ["id", "arn", "domain_name", "regional_domain_name", "name"] {
        assert_eq!(updated.attrs[key], live.attrs[key], "{key} kept");
    }
    assert_eq!(updated.attrs["policy"], Value::Null);
    assert_eq!(updated.attrs["lifecycle_rule"], list(vec![]));
    let err = s3
        .get_bucket_policy()
        .bucket(name)
        .send()
        .await
        .expect_err("no policy left");
    assert_eq!(code(&err.into_service_error()), "NoSuchBucketPolicy");
    let err = s3
        .get_bucket_lifecycle_configuration()
        .bucket(name)
        .send()
        .await
        .expect_err("no rules left");
    assert_eq!(code(&err.into_service_error()), "NoSuchLifecycleConfiguration");
    let out = s3
        .get_bucket_versioning()
        .bucket(name)
        .send()
        .await
        .expect("GetBucketVersioning");
    assert_eq!(out.status(), Some(&BucketVersioningStatus::Suspended));
    let out = s3
        .get_bucket_encryption()
        .bucket(name)
        .send()
        .await
        .expect("GetBucketEncryption");
    let rule = &out
        .server_side_encryption_configuration()
        .expect("a configuration")
        .rules()[0];
    let by_default = rule.apply_server_side_encryption_by_default().expect("a default");
    assert_eq!(by_default.sse_algorithm().as_str(), "aws:kms");
    assert_eq!(by_default.kms_master_key_id(), Some("alias/berth-assets"));
    assert_eq!(rule.bucket_key_enabled(), Some(true));
    let held = raw_tags(&env, name).await;
    assert_eq!(held.get("team").map(String::as_str), Some("ml"));
    assert_eq!(held.get("tier").map(String::as_str), Some("1"));
    assert_eq!(held.get("berth:force_destroy").map(String::as_str), Some("true"));
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_same(&read(p, stack).await, &one(&updated));

    // Versioning cannot go back to Disabled: refused before any call (the
    // tag change with it is not made).
    let off = with(
        with(changed.clone(), "versioning", s("Disabled")),
        "tags",
        tags(&[("team", "gone")]),
    );
    let before = p.stats();
    let err = p
        .update(stack, &updated, &off)
        .await
        .expect_err("versioning cannot be turned off");
    assert_eq!(err.call, "PutBucketVersioning", "{err}");
    assert!(err.message.contains(r#"versioning = "Suspended""#), "{err}");
    assert_eq!(err.class, berth_provider::ErrorClass::Permanent);
    assert_eq!(p.stats(), before, "no call made");
    assert_eq!(
        raw_tags(&env, name).await.get("team").map(String::as_str),
        Some("ml")
    );

    // The block relaxed with a public policy given: the block goes first
    // (moto does not refuse a public policy under the block; AWS does).
    let public = with(
        with(changed.clone(), "policy", public_read(name)),
        "block_public_policy",
        Value::Bool(false),
    );
    let public = with(public, "restrict_public_buckets", Value::Bool(false));
    let opened = p.update(stack, &updated, &public).await.expect("update");
    assert_same(&read(p, stack).await, &one(&opened));

    // Deleted (empty), and deleted again: done.
    p.delete(stack, &opened).await.expect("delete");
    p.delete(stack, &opened).await.expect("delete again");
    assert!(read(p, stack).await.is_empty());
    assert!(buckets(&env).await.is_empty());
}

#[tokio::test]
async fn force_destroy_deletes_every_version_and_delete_marker() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "s3-force";
    let live = create(
        p,
        stack,
        bucket(
            "archive",
            &[("versioning", s("Enabled")), ("force_destroy", Value::Bool(true))],
        ),
    )
    .await;
    let name = text(&live, "name");
    assert!(name.starts_with("s3-force-archive-"), "{name}");
    assert_eq!(name.len(), "s3-force-archive-".len() + 6, "6 hex digits: {name}");
    // More than one page of versions: 1003 objects, one written twice, one
    // deleted (a delete marker).
    let s3 = &env.raw.s3;
    let puts = futures::stream::iter(0..1003)
        .map(|i| {
            s3.put_object()
                .bucket(&name)
                .key(format!("logs/{i:04}"))
                .body(ByteStream::from_static(b"x"))
                .send()
        })
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await;
    assert!(puts.iter().all(Result::is_ok), "PutObject");
    s3.put_object()
        .bucket(&name)
        .key("logs/0000")
        .body(ByteStream::from_static(b"y"))
        .send()
        .await
        .expect("PutObject");
    s3.delete_object()
        .bucket(&name)
        .key("logs/0001")
        .send()
        .await
        .expect("DeleteObject");
    let out = s3
        .list_object_versions()
        .bucket(&name)
        .send()
        .await
        .expect("ListObjectVersions");
    assert_eq!(out.is_truncated(), Some(true), "more than a page");
    assert_same(&read(p, stack).await, &one(&live));

    p.delete(stack, &live).await.expect("delete");
    assert!(buckets(&env).await.is_empty());
    let stats = p.stats();
    assert!(stats["s3:DeleteObjects"].calls >= 2, "{stats:?}");
    assert!(stats["s3:ListObjectVersions"].calls >= 2, "{stats:?}");
    assert!(read(p, stack).await.is_empty());
}

#[tokio::test]
async fn a_bucket_holding_objects_is_deleted_only_with_force_destroy() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "s3-full-of";
    let live = create(p, stack, bucket("data", &[])).await;
    let name = text(&live, "name");
    for key in ["a.txt", "b/c.txt"] {
        env.raw
            .s3
            .put_object()
            .bucket(&name)
            .key(key)
            .body(ByteStream::from_static(b"data"))
            .send()
            .await
            .expect("PutObject");
    }
    let err = p
        .delete(stack, &live)
        .await
        .expect_err("a bucket holding objects");
    assert_eq!(
        (err.call.as_str(), err.code.as_str()),
        ("DeleteBucket", "BucketNotEmpty")
    );
    assert!(err.message.contains("force_destroy = true"), "{err}");
    assert_eq!(err.class, berth_provider::ErrorClass::Permanent);
    assert_eq!(buckets(&env).await, std::slice::from_ref(&name), "still there");

    // force_destroy set (a tag), then the delete takes the objects (an
    // unversioned bucket's: version `null`).
    let forced = p
        .update(
            stack,
            &live,
            &with(live.clone(), "force_destroy", Value::Bool(true)),
        )
        .await
        .expect("update");
    assert_eq!(
        raw_tags(&env, &name)
            .await
            .get("berth:force_destroy")
            .map(String::as_str),
        Some("true")
    );
    let read_back = read(p, stack).await;
    assert_same(&read_back, &one(&forced));
    p.delete(stack, &read_back["s3_bucket.data"])
        .await
        .expect("delete");
    assert!(buckets(&env).await.is_empty());
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_makes_one_bucket() {
    let Some(env) = env().await else { return };
    let stack = "s3-lost";
    // Outside us-east-1, CreateBucket of a bucket the account has is
    // answered BucketAlreadyOwnedByYou (in us-east-1, success). Every first
    // answer is lost: each call is sent again.
    let faults = Faults {
        lose_first: true,
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&env.moto.endpoint, faults).expect("proxy starts");
    let lossy = provider_in(&proxy.endpoint, "eu-west-1").await;
    let made = create(&lossy, stack, bucket("eu", &[("versioning", s("Enabled"))])).await;
    let name = text(&made, "name");
    let stats = lossy.stats();
    assert_eq!(stats["s3:CreateBucket"].calls, 2, "sent again: {stats:?}");
    assert!(proxy.stats().lost >= 2, "{:?}", proxy.stats());
    assert_eq!(buckets(&env).await, std::slice::from_ref(&name), "one bucket");
    assert_eq!(
        text(&made, "regional_domain_name"),
        format!("{name}.s3.eu-west-1.amazonaws.com")
    );
    let out = env
        .raw
        .s3
        .get_bucket_location()
        .bucket(&name)
        .send()
        .await
        .expect("GetBucketLocation");
    assert_eq!(out.location_constraint().map(|c| c.as_str()), Some("eu-west-1"));
    let eu = provider_in(&env.moto.endpoint, "eu-west-1").await;
    assert_same(&read(&eu, stack).await, &one(&made));
    // The us-east-1 provider leaves another region's bucket out, though the
    // tagging API (moto's, account wide) lists it.
    assert!(read(&env.provider, stack).await.is_empty());

    // A first CreateBucket of a name the account has is an error naming
    // the import.
    let again = bucket("eu", &[("name", s(&name))]);
    let err = eu.create(stack, &again).await.expect_err("the bucket exists");
    assert_eq!(err.code, "BucketAlreadyOwnedByYou", "{err}");
    assert!(
        err.message.contains(&format!("berth import s3_bucket.eu {name}")),
        "{err}"
    );
    // In us-east-1, S3 answers success: the same bucket.
    let east = create(
        &env.provider,
        "s3-east",
        bucket("same", &[("name", s("berth-s3-east"))]),
    )
    .await;
    let twice = env
        .provider
        .create("s3-east", &bucket("same", &[("name", s("berth-s3-east"))]))
        .await
        .expect("created again");
    assert_eq!(twice.attrs, east.attrs);

    lossy.delete(stack, &made).await.expect("delete");
    assert_eq!(buckets(&env).await, ["berth-s3-east".to_owned()]);
}

#[tokio::test]
async fn a_bucket_is_imported_by_name_and_adopted() {
    let Some(env) = env().await else { return };
    let p = &env.provider;
    let stack = "s3-import";
    let s3 = &env.raw.s3;
    let name = "legacy-assets";
    s3.create_bucket()
        .bucket(name)
        .send()
        .await
        .expect("CreateBucket");
    s3.put_bucket_versioning()
        .bucket(name)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("PutBucketVersioning");
    let tag = Tag::builder().key("team").value("ops").build().expect("tag");
    s3.put_bucket_tagging()
        .bucket(name)
        .tagging(Tagging::builder().tag_set(tag).build().expect("tagging"))
        .send()
        .await
        .expect("PutBucketTagging");

    let address = Address::new(Kind::S3Bucket, "legacy");
    let found = p
        .read_one(&address, name)
        .await
        .expect("read_one")
        .expect("the bucket");
    assert!(found.owner.is_none(), "no berth tags yet");
    let r = &found.resource;
    assert_eq!(r.address, address);
    assert_eq!(text(r, "name"), name);
    assert_eq!(r.attrs["versioning"], s("Enabled"));
    assert_eq!(r.attrs["force_destroy"], Value::Bool(false));
    assert_eq!(r.attrs["tags"], tags(&[("team", "ops")]));
    assert_eq!(r.attrs["policy"], Value::Null);
    assert_eq!(r.attrs["lifecycle_rule"], list(vec![]));
    let by_arn = p
        .read_one(&address, &format!("arn:aws:s3:::{name}"))
        .await
        .expect("read_one")
        .expect("the bucket by its ARN");
    assert_eq!(by_arn.resource, found.resource);
    assert!(
        p.read_one(&address, "nothing-here")
            .await
            .expect("read_one")
            .is_none(),
        "no such bucket"
    );

    p.adopt(stack, r).await.expect("adopt");
    let held = raw_tags(&env, name).await;
    assert_eq!(
        held.get(ADDRESS_TAG).map(String::as_str),
        Some("s3_bucket.legacy")
    );
    assert_eq!(held.get(STACK_TAG).map(String::as_str), Some(stack));
    assert_eq!(held.get("team").map(String::as_str), Some("ops"), "kept");
    assert_same(&read(p, stack).await, &one(r));
    let again = p
        .read_one(&address, name)
        .await
        .expect("read_one")
        .expect("the bucket");
    assert_eq!(
        again.owner.and_then(|o| o.stack).as_deref(),
        Some(stack),
        "berth's now"
    );

    // A bucket of another region is not imported into this one.
    let eu = provider_in(&env.moto.endpoint, "eu-west-1").await;
    let err = eu
        .read_one(&address, name)
        .await
        .expect_err("another region's bucket");
    assert_eq!(err.code, "BucketInOtherRegion", "{err}");
    assert!(err.message.contains("us-east-1"), "{err}");
}
