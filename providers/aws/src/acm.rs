//! ACM: public certificates validated by DNS.
//!
//! RequestCertificate (tags in the call, and an IdempotencyToken: sent
//! again after a lost answer, it gives back the certificate the first
//! sending made). With a `validation_zone`, berth then writes ACM's CNAME
//! records in that zone (UPSERT, once DescribeCertificate names them) and
//! waits, polling DescribeCertificate, until ACM has issued the
//! certificate: what uses it is made after. The zone is kept in the tag
//! `berth:validation_zone` from the request on, and reads back only once
//! the certificate is issued, so a certificate a failed or killed apply
//! left pending plans as the validation still to do.
//!
//! Read: the tagging API's certificates of the stack, and ListCertificates
//! for those requested in the last half hour the tagging API (which lags
//! on AWS) does not list yet, their tags by ListTagsForCertificate; then
//! DescribeCertificate each. Delete: DeleteCertificate (retried while ELB
//! still holds it for a listener just deleted), then the validation
//! records, unless another certificate of the account may be validated by
//! them: ACM gives every certificate of a name the same record, so a
//! replacement in the same zone keeps them (a certificate berth made
//! elsewhere says where by its zone's tag; one made by anything else is
//! counted as using them).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use aws_sdk_acm::types::{
    CertificateDetail, CertificateStatus, CertificateSummary, Filters, KeyAlgorithm, RecordType, Tag,
    ValidationMethod,
};
use aws_sdk_route53::types::{ChangeAction, ResourceRecord, ResourceRecordSet, RrType};
use berth_provider::adopt::adoption_tags;
use berth_provider::certificate::{self, ZONE_TAG, validated_as};
use berth_provider::{Attrs, Kind, ProviderError, Resource, Value, dns};
use futures::future::try_join_all;

use crate::AwsProvider;
use crate::attrs::{
    attrs, checked_tags, complete, create_tags, opt_str, resource, str_list, str_of, tag_diff, user_tags,
};
use crate::errors::{build_error, gone};
use crate::poll::Poll;
use crate::scope::Scope;
use crate::tagging::{self, Tags};

const SERVICE: &str = "acm";
const DESCRIBE: &str = "DescribeCertificate";

/// How long a create waits for ACM to issue a certificate validated in
/// its zone: ACM's own documentation allows up to half an hour.
const ISSUE_TIMEOUT: Duration = Duration::from_secs(45 * 60);

/// How long a delete waits for ELB to let go of a certificate.
const RELEASE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// How far back a certificate the tagging API does not list yet may have
/// been requested.
const LAG: Duration = Duration::from_secs(30 * 60);

pub(crate) async fn create(
    p: &AwsProvider,
    stack: &str,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let a = complete(Kind::Certificate, &desired.attrs);
    let mut tags = create_tags(stack, &desired.address, &a);
    let zone = zone_of(&a);
    if let Some(zone) = &zone {
        tags.insert(ZONE_TAG.to_owned(), zone.clone());
    }
    let names = certificate::names(&a);
    let (domain, alternatives) = names
        .split_first()
        .ok_or_else(|| build_error("RequestCertificate", "no domain name"))?;
    let algorithm = str_of(&a, "key_algorithm").unwrap_or("RSA_2048");
    let mut parts: Vec<&str> = names.iter().map(String::as_str).collect();
    parts.push(algorithm);
    // ACM's token is at most 32 word characters.
    let token = p
        .tokens
        .for_create(stack, &desired.address, &parts)
        .replace('-', "_");
    let acm = &p.clients.acm;
    let tags = checked_tags!(Tag, "RequestCertificate", tags)?;
    let out = p
        .call(SERVICE, "RequestCertificate", || {
            acm.request_certificate()
                .domain_name(domain)
                .set_subject_alternative_names((!alternatives.is_empty()).then(|| alternatives.to_vec()))
                .validation_method(ValidationMethod::Dns)
                .key_algorithm(KeyAlgorithm::from(algorithm))
                .idempotency_token(&token)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    let arn = out.certificate_arn.unwrap_or_default();
    let detail = match &zone {
        Some(zone) => validate(p, &arn, zone).await?,
        None => describe(p, &arn).await?,
    };
    Ok(resource(desired.address.clone(), done(a, &arn, detail.as_ref())))
}

/// `a` as made: its ARN and ACM's validation records.
fn done(mut a: Attrs, arn: &str, detail: Option<&CertificateDetail>) -> Attrs {
    a.insert("arn".to_owned(), Value::String(arn.to_owned()));
    a.insert(
        "validation_records".to_owned(),
        detail.map_or(Value::List(Vec::new()), |d| Value::List(records(d))),
    );
    a
}

/// The configuration's validation zone, as Route 53's bare id.
fn zone_of(a: &Attrs) -> Option<String> {
    str_of(a, "validation_zone").map(|z| dns::zone_id(z).to_owned())
}

/// Tags and the validation zone change in place: a new zone gets the
/// records, and the certificate is waited for (a pending one reads
/// without its zone, so this is also how a later apply finishes the
/// validation an earlier one could not).
pub(crate) async fn update(
    p: &AwsProvider,
    live: &Resource,
    desired: &Resource,
) -> Result<Resource, ProviderError> {
    let new = complete(Kind::Certificate, &desired.attrs);
    let old = &live.attrs;
    let arn = str_of(old, "arn").unwrap_or_default().to_owned();
    let (mut set, mut removed) = tag_diff(old, &new);
    let zone = zone_of(&new);
    let rezoned = zone_of(old) != zone;
    if rezoned {
        match &zone {
            Some(z) => {
                set.insert(ZONE_TAG.to_owned(), z.clone());
            }
            None => removed.push(ZONE_TAG.to_owned()),
        }
    }
    retag(p, &arn, set, removed).await?;
    let detail = match (&zone, rezoned) {
        (Some(zone), true) => validate(p, &arn, zone).await?,
        _ => describe(p, &arn).await?,
    };
    Ok(resource(live.address.clone(), done(new, &arn, detail.as_ref())))
}

/// Writes the certificate's validation records in `zone` once ACM names
/// them, then waits until ACM has issued it.
async fn validate(
    p: &AwsProvider,
    arn: &str,
    zone: &str,
) -> Result<Option<CertificateDetail>, ProviderError> {
    let mut poll = Poll::new(
        DESCRIBE,
        format!("certificate {arn} has no validation records"),
        Duration::from_secs(5 * 60),
        Duration::from_secs(2),
    );
    let wanted = loop {
        let detail = describe(p, arn).await?.ok_or_else(|| vanished(arn))?;
        let options = detail.domain_validation_options();
        if !options.is_empty() && options.iter().all(|o| o.resource_record().is_some()) {
            break records(&detail);
        }
        poll.pause("ACM has not named them yet").await?;
    };
    let sets = wanted
        .iter()
        .filter_map(|r| match r {
            Value::Map(m) => Some(cname(str_of(m, "name")?, str_of(m, "value")?)),
            _ => None,
        })
        .map(|set| set.map(|s| (ChangeAction::Upsert, s)))
        .collect::<Result<Vec<_>, _>>()?;
    crate::route53::change(p, zone, sets).await?;
    let mut poll = Poll::new(
        DESCRIBE,
        format!("certificate {arn} not issued: ACM has not found its validation records in zone {zone}"),
        ISSUE_TIMEOUT,
        Duration::from_secs(5),
    );
    loop {
        let detail = describe(p, arn).await?.ok_or_else(|| vanished(arn))?;
        match detail.status() {
            Some(CertificateStatus::Issued) => return Ok(Some(detail)),
            Some(CertificateStatus::PendingValidation) | None => poll.pause("PENDING_VALIDATION").await?,
            Some(other) => {
                return Err(ProviderError::permanent(
                    DESCRIBE,
                    "CertificateNotIssued",
                    format!(
                        "certificate {arn} is {}{}: ACM will not issue it; replace it (change its names, or destroy it and apply)",
                        other.as_str(),
                        detail
                            .failure_reason()
                            .map(|r| format!(" ({})", r.as_str()))
                            .unwrap_or_default()
                    ),
                ));
            }
        }
    }
}

fn vanished(arn: &str) -> ProviderError {
    ProviderError::permanent(
        DESCRIBE,
        "ResourceNotFoundException",
        format!("certificate {arn} is gone"),
    )
}

/// A CNAME record set of a validation record.
fn cname(name: &str, value: &str) -> Result<ResourceRecordSet, ProviderError> {
    let record = ResourceRecord::builder()
        .value(value)
        .build()
        .map_err(|e| build_error(crate::route53::CHANGE, e))?;
    ResourceRecordSet::builder()
        .name(name)
        .r#type(RrType::Cname)
        .ttl(300)
        .resource_records(record)
        .build()
        .map_err(|e| build_error(crate::route53::CHANGE, e))
}

/// DescribeCertificate; none when it is gone.
async fn describe(p: &AwsProvider, arn: &str) -> Result<Option<CertificateDetail>, ProviderError> {
    let acm = &p.clients.acm;
    let out = p
        .call(SERVICE, DESCRIBE, || {
            acm.describe_certificate().certificate_arn(arn).send()
        })
        .await
        .map(Some)
        .or_else(|e| gone(e, "ResourceNotFoundException"))?;
    Ok(out.and_then(|o| o.certificate))
}

async fn retag(
    p: &AwsProvider,
    arn: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<(), ProviderError> {
    let acm = &p.clients.acm;
    if !set.is_empty() {
        let tags = checked_tags!(Tag, "AddTagsToCertificate", set)?;
        p.call(SERVICE, "AddTagsToCertificate", || {
            acm.add_tags_to_certificate()
                .certificate_arn(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    if !removed.is_empty() {
        let tags = removed
            .iter()
            .map(|k| Tag::builder().key(k).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| build_error("RemoveTagsFromCertificate", e))?;
        p.call(SERVICE, "RemoveTagsFromCertificate", || {
            acm.remove_tags_from_certificate()
                .certificate_arn(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// AddTagsToCertificate: berth's tags on a certificate it adopts.
pub(crate) async fn adopt(p: &AwsProvider, stack: &str, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    retag(p, arn, adoption_tags(stack, &live.address), Vec::new()).await
}

/// DeleteCertificate, then the validation records no other certificate
/// of the account has.
pub(crate) async fn delete(p: &AwsProvider, live: &Resource) -> Result<(), ProviderError> {
    let arn = str_of(&live.attrs, "arn").unwrap_or_default();
    // The zone of a certificate still pending reads as none: its tag has it.
    let (tags, detail) = tokio::try_join!(tags_of(p, arn), describe(p, arn))?;
    let Some(detail) = detail else { return Ok(()) };
    let zone = tags.iter().find(|(k, _)| k == ZONE_TAG).map(|(_, v)| v.clone());
    release(p, arn).await?;
    if let Some(zone) = zone {
        drop_records(p, &zone, &detail).await?;
    }
    Ok(())
}

/// DeleteCertificate, sent again while ELB still holds the certificate
/// (it lets go of one a few moments after its listener is deleted).
async fn release(p: &AwsProvider, arn: &str) -> Result<(), ProviderError> {
    let acm = &p.clients.acm;
    let mut poll = Poll::new(
        "DeleteCertificate",
        format!("certificate {arn} still in use"),
        RELEASE_TIMEOUT,
        Duration::from_secs(3),
    );
    loop {
        let sent = p
            .call_unless(
                SERVICE,
                "DeleteCertificate",
                &["ResourceNotFoundException"],
                || acm.delete_certificate().certificate_arn(arn).send(),
            )
            .await;
        match sent {
            Err(e) if e.code == "ResourceInUseException" => poll.pause(&e.message).await?,
            other => return other.map(|_| ()),
        }
    }
}

/// Deletes from `zone` the validation records of `detail` that are still
/// there as ACM named them, except those of names another certificate of
/// the account (pending or issued) may be validated by there.
async fn drop_records(p: &AwsProvider, zone: &str, detail: &CertificateDetail) -> Result<(), ProviderError> {
    let names = |d: &CertificateDetail| -> Vec<String> {
        d.domain_validation_options()
            .iter()
            .map(|o| validated_as(&o.domain_name().to_ascii_lowercase()).to_owned())
            .collect()
    };
    let shared = shared_names(p, zone, &names(detail)).await?;
    let ours: Vec<(String, String)> = detail
        .domain_validation_options()
        .iter()
        .filter(|o| !shared.contains(validated_as(&o.domain_name().to_ascii_lowercase())))
        .filter_map(|o| o.resource_record())
        .map(|r| (r.name().to_owned(), r.value().to_owned()))
        .collect();
    if ours.is_empty() {
        return Ok(());
    }
    let sets = match crate::route53::record_sets(p, zone).await {
        Err(e) if e.code == "NoSuchHostedZone" => return Ok(()),
        other => other?,
    };
    let mut doomed = Vec::new();
    for (name, value) in ours {
        let found = sets.iter().find(|s| {
            s.r#type() == &RrType::Cname
                && dns::bare(s.name()).eq_ignore_ascii_case(dns::bare(&name).as_str())
                && s.resource_records().iter().any(|r| r.value() == value)
        });
        if let Some(set) = found
            && !doomed.iter().any(|(_, s)| s == set)
        {
            doomed.push((ChangeAction::Delete, set.clone()));
        }
    }
    if doomed.is_empty() {
        return Ok(());
    }
    crate::route53::change(p, zone, doomed).await
}

/// Which of `names` (as ACM validates them) another pending or issued
/// certificate of the account covers and may be validated by in `zone`:
/// berth's, by its zone's tag; any other, to be safe.
async fn shared_names(
    p: &AwsProvider,
    zone: &str,
    names: &[String],
) -> Result<BTreeSet<String>, ProviderError> {
    let covers = |c: &CertificateSummary| -> Vec<String> {
        c.domain_name()
            .into_iter()
            .chain(c.subject_alternative_name_summaries().iter().map(String::as_str))
            .map(|n| validated_as(&n.to_ascii_lowercase()).to_owned())
            .filter(|n| names.contains(n))
            .collect()
    };
    let overlapping: Vec<(String, Vec<String>)> = listed(p)
        .await?
        .iter()
        .filter_map(|c| Some((c.certificate_arn()?.to_owned(), covers(c))))
        .filter(|(_, covered)| !covered.is_empty())
        .collect();
    let checks = overlapping.into_iter().map(|(arn, covered)| async move {
        let tags = tags_of(p, &arn).await?;
        let elsewhere = tags.iter().any(|(k, v)| k == ZONE_TAG && v != zone);
        Ok::<_, ProviderError>(if elsewhere { Vec::new() } else { covered })
    });
    Ok(try_join_all(checks).await?.into_iter().flatten().collect())
}

/// ListCertificates: the account's pending and issued certificates, of
/// every key algorithm (ACM lists RSA ones only unless told).
async fn listed(p: &AwsProvider) -> Result<Vec<CertificateSummary>, ProviderError> {
    let acm = &p.clients.acm;
    let keys: Vec<KeyAlgorithm> = certificate::KEY_ALGORITHMS
        .iter()
        .map(|k| KeyAlgorithm::from(*k))
        .collect();
    let includes = Filters::builder().set_key_types(Some(keys)).build();
    p.list(SERVICE, "ListCertificates", || {
        crate::paginate!(
            acm.list_certificates()
                .certificate_statuses(CertificateStatus::PendingValidation)
                .certificate_statuses(CertificateStatus::Issued)
                .includes(includes.clone())
                .max_items(1000),
            certificate_summary_list
        )
    })
    .await
}

/// ListTagsForCertificate, as key/value pairs.
async fn tags_of(p: &AwsProvider, arn: &str) -> Result<Tags, ProviderError> {
    let acm = &p.clients.acm;
    let out = p
        .call(SERVICE, "ListTagsForCertificate", || {
            acm.list_tags_for_certificate().certificate_arn(arn).send()
        })
        .await
        .map(Some)
        .or_else(|e| gone(e, "ResourceNotFoundException"))?;
    Ok(out
        .map(|o| {
            o.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default())
}

/// The stack's certificates: those the tagging API lists, and those
/// requested lately that it does not list yet.
pub(crate) async fn read_all(p: &AwsProvider, stack: &str) -> Result<Vec<Resource>, ProviderError> {
    let (mut found, recent) = tokio::try_join!(tagging::tagged(p, stack, "acm:certificate"), listed(p))?;
    let lately = aws_smithy_types::DateTime::from(std::time::SystemTime::now() - LAG);
    let unlisted = recent
        .iter()
        .filter(|c| c.created_at().is_none_or(|at| at.secs() >= lately.secs()))
        .filter_map(|c| c.certificate_arn())
        .filter(|arn| !found.contains_key(*arn))
        .map(|arn| async move { Ok::<_, ProviderError>((arn.to_owned(), tags_of(p, arn).await?)) });
    found.extend(try_join_all(unlisted).await?);
    read(p, &Scope::Stack(stack), found).await
}

/// The certificate `scope` looks for, by ARN.
pub(crate) async fn read_one(p: &AwsProvider, scope: &Scope<'_>) -> Result<Option<Resource>, ProviderError> {
    let arn = scope.id().unwrap_or_default();
    let tags = tags_of(p, arn).await?;
    let found = HashMap::from([(arn.to_owned(), tags)]);
    Ok(read(p, scope, found).await?.into_iter().next())
}

/// The certificates among `found` that `scope` looks for, described.
async fn read(
    p: &AwsProvider,
    scope: &Scope<'_>,
    found: HashMap<String, Tags>,
) -> Result<Vec<Resource>, ProviderError> {
    let reads = found.into_iter().map(|(arn, tags)| async move {
        let Some(address) = scope.address(Kind::Certificate, tagging::pairs(&tags)) else {
            return Ok(None);
        };
        let Some(detail) = describe(p, &arn).await? else {
            return Ok(None);
        };
        Ok::<_, ProviderError>(Some(resource(address, decode(&detail, &tags))))
    });
    let read: Vec<Option<Resource>> = try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}

fn decode(detail: &CertificateDetail, tags: &Tags) -> Attrs {
    let issued = detail.status() == Some(&CertificateStatus::Issued);
    let zone = tags
        .iter()
        .find(|(k, _)| k == ZONE_TAG)
        .map(|(_, v)| v.as_str())
        .filter(|_| issued);
    let method = detail
        .domain_validation_options()
        .first()
        .and_then(|o| o.validation_method())
        .map_or(certificate::DNS, ValidationMethod::as_str);
    attrs([
        ("domain_name", opt_str(detail.domain_name())),
        (
            "subject_alternative_names",
            str_list(detail.subject_alternative_names()),
        ),
        ("validation_method", Value::from(method)),
        ("validation_zone", opt_str(zone)),
        // ACM answers `RSA-2048` where it is asked `RSA_2048`.
        (
            "key_algorithm",
            opt_str(
                detail
                    .key_algorithm()
                    .map(|k| k.as_str().replace('-', "_"))
                    .as_deref(),
            ),
        ),
        (
            "tags",
            user_tags(tagging::pairs(tags).filter(|(k, _)| *k != ZONE_TAG)),
        ),
        ("arn", opt_str(detail.certificate_arn())),
        ("validation_records", Value::List(records(detail))),
    ])
}

/// ACM's CNAME records of the certificate's names, each once (a name and
/// its wildcard share one).
fn records(detail: &CertificateDetail) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for r in detail
        .domain_validation_options()
        .iter()
        .filter_map(|o| o.resource_record())
    {
        let record = Value::Map(Attrs::from([
            ("name".to_owned(), Value::from(r.name())),
            (
                "type".to_owned(),
                Value::from(match r.r#type() {
                    RecordType::Cname => "CNAME",
                    other => other.as_str(),
                }),
            ),
            ("value".to_owned(), Value::from(r.value())),
        ]));
        if !out.contains(&record) {
            out.push(record);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use aws_sdk_acm::types::{DomainValidation, ResourceRecord as AcmRecord};

    use super::*;

    fn detail(status: CertificateStatus) -> CertificateDetail {
        let option = |name: &str| {
            DomainValidation::builder()
                .domain_name(name)
                .validation_method(ValidationMethod::Dns)
                .resource_record(
                    AcmRecord::builder()
                        .name("_x.example.com.")
                        .r#type(RecordType::Cname)
                        .value("_y.acm-validations.aws.")
                        .build()
                        .expect("record"),
                )
                .build()
                .expect("option")
        };
        CertificateDetail::builder()
            .certificate_arn("arn:aws:acm:us-east-1:1:certificate/c")
            .domain_name("example.com")
            .subject_alternative_names("example.com")
            .subject_alternative_names("*.example.com")
            .key_algorithm(KeyAlgorithm::from("RSA-2048"))
            .status(status)
            .domain_validation_options(option("example.com"))
            .domain_validation_options(option("*.example.com"))
            .build()
    }

    fn tags() -> Tags {
        vec![
            (ZONE_TAG.to_owned(), "Z1".to_owned()),
            ("team".to_owned(), "web".to_owned()),
        ]
    }

    #[test]
    fn a_pending_certificate_reads_without_its_zone_an_issued_one_with_it() {
        let pending = decode(&detail(CertificateStatus::PendingValidation), &tags());
        assert_eq!(pending.get("validation_zone"), Some(&Value::Null));
        let issued = decode(&detail(CertificateStatus::Issued), &tags());
        assert_eq!(issued.get("validation_zone"), Some(&Value::from("Z1")));
        assert_eq!(issued.get("key_algorithm"), Some(&Value::from("RSA_2048")));
        assert_eq!(
            issued.get("tags"),
            Some(&Value::Map(Attrs::from([(
                "team".to_owned(),
                Value::from("web")
            )])))
        );
    }

    #[test]
    fn a_name_and_its_wildcard_share_one_validation_record() {
        assert_eq!(records(&detail(CertificateStatus::Issued)).len(), 1);
    }
}
