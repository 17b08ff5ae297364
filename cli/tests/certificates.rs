//! ACM certificates validated by DNS, as Terraform writes them with
//! aws_acm_certificate, aws_route53_record and
//! aws_acm_certificate_validation: one in the stack's zone, one in a zone
//! kept outside the stack. On both clouds the stack applies (the HTTPS
//! listener made once ACM has issued its certificates), re-plans clean,
//! replaces a certificate whose names change before the old one goes, and
//! destroys cleanly: the validation records go with their certificates,
//! so the stack's zone can be deleted. On moto boto3 checks from outside
//! what ACM and Route 53 hold.

mod common;

use common::{Cloud, act, copy_of, json_plan};

/// What ACM and Route 53 hold: the account's certificates (domain, status)
/// and, per zone, its CNAME records' names.
const HELD: &str = "import boto3,json\n\
    acm=boto3.client('acm')\n\
    r53=boto3.client('route53')\n\
    certs=sorted([c['DomainName'],acm.describe_certificate(CertificateArn=c['CertificateArn'])['Certificate']['Status']] for c in acm.list_certificates()['CertificateSummaryList'])\n\
    zones={}\n\
    for z in r53.list_hosted_zones()['HostedZones']:\n\
    \x20   sets=r53.list_resource_record_sets(HostedZoneId=z['Id'])['ResourceRecordSets']\n\
    \x20   zones[z['Name']]=sorted(s['Name'] for s in sets if s['Type']=='CNAME')\n\
    print(json.dumps({'certs':certs,'zones':zones}))\n";

/// moto's validation record of `name` (one name for every certificate).
fn moto_record(name: &str) -> String {
    format!("_d930b28be6c5927595552b219965053e.{name}.")
}

/// How many CNAME records no stack owns are in the local cloud's zone
/// `zone` (named without the final dot).
fn local_cnames(p: &common::Project, zone: &str) -> usize {
    let cloud = p.cloud();
    let resources = cloud["resources"].as_object().expect("resources");
    let Some((id, _)) = resources
        .iter()
        .find(|(_, r)| r["kind"] == "hosted_zone" && r["attrs"]["name"] == zone)
    else {
        return 0;
    };
    resources
        .values()
        .filter(|r| r["kind"] == "dns_record" && r["attrs"]["zone"] == *id && r["attrs"]["type"] == "CNAME")
        .filter(|r| r["tags"].as_object().is_none_or(|t| t.is_empty()))
        .count()
}

#[test]
fn certificates_are_validated_in_their_zones_replaced_and_destroyed_on_both_clouds() {
    let stack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/certificates");
    for cloud in Cloud::both() {
        let p = copy_of(&stack);
        let outside = cloud.zone_outside(&p.dir, "partner.example.net");
        p.edit("main.berth", "OUTSIDE_ZONE", &outside);
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        let plan = cloud.berth(&p.dir, &["plan"]);
        plan.expect_code(0);
        assert!(
            plan.stdout.contains("# certificate.shop will be created"),
            "{}",
            plan.stdout
        );
        let apply = cloud.berth(&p.dir, &["apply", "--auto-approve"]);
        apply.expect_code(0);
        assert!(apply.stdout.contains(":certificate/"), "{}", apply.stdout);
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "not clean after apply:\n{}", plan.all());
        if let Cloud::Local = &cloud {
            // The domain and its wildcard share one record, which no stack
            // owns: it is the certificate's.
            assert_eq!(local_cnames(&p, "shop.example.com"), 1);
            assert_eq!(local_cnames(&p, "partner.example.net"), 1);
        }
        if let Cloud::Aws(moto) = &cloud {
            let held: serde_json::Value = serde_json::from_str(moto.python(HELD).trim()).expect("json");
            assert_eq!(
                held,
                serde_json::json!({
                    "certs": [["partner.example.net", "ISSUED"], ["shop.example.com", "ISSUED"]],
                    "zones": {
                        "shop.example.com.": [moto_record("shop.example.com")],
                        "partner.example.net.": [moto_record("partner.example.net")],
                    },
                })
            );
        }

        // A new name: a new certificate, issued and on the listener before
        // the old one goes (ACM refuses to delete one a listener holds).
        p.edit(
            "main.berth",
            "\"*.shop.example.com\"]",
            "\"*.shop.example.com\", \"api.shop.example.com\"]",
        );
        let run = cloud.berth(&p.dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        let actions = common::json_actions(&json_plan(&run));
        assert_eq!(
            actions.get("certificate.shop"),
            Some(&act("replace", Some("create_before_destroy"))),
            "{actions:?}"
        );
        assert_eq!(
            actions.get("listener.https"),
            Some(&act("update", None)),
            "{actions:?}"
        );
        cloud.converges(&p.dir, "a new name");
        if let Cloud::Local = &cloud {
            assert_eq!(local_cnames(&p, "shop.example.com"), 2);
        }
        if let Cloud::Aws(moto) = &cloud {
            let held: serde_json::Value = serde_json::from_str(moto.python(HELD).trim()).expect("json");
            // The old certificate's records stay: the new one is validated
            // by them too.
            assert_eq!(
                held["zones"]["shop.example.com."],
                serde_json::json!([
                    moto_record("api.shop.example.com"),
                    moto_record("shop.example.com")
                ])
            );
            assert_eq!(held["certs"].as_array().map(Vec::len), Some(2), "{held}");
        }

        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let held: serde_json::Value = serde_json::from_str(moto.python(HELD).trim()).expect("json");
            assert_eq!(
                held,
                serde_json::json!({"certs": [], "zones": {"partner.example.net.": []}})
            );
        }
    }
}

/// A certificate no zone validates stays pending on the local cloud (no
/// one writes its records there), and ELB refuses it as AWS does; given a
/// zone, the next apply validates it and makes the listener.
#[test]
fn a_pending_certificate_is_refused_by_listeners_until_a_zone_validates_it() {
    let stack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/certificates");
    let cloud = Cloud::Local;
    let p = copy_of(&stack);
    let outside = cloud.zone_outside(&p.dir, "partner.example.net");
    p.edit("main.berth", "OUTSIDE_ZONE", &outside);
    p.edit(
        "main.berth",
        "  validation_zone           = hosted_zone.shop\n",
        "",
    );
    let apply = cloud.berth(&p.dir, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, Some(1), "{}", apply.all());
    for what in [
        "CertificateNotFound",
        "ELB takes only certificates ACM has issued",
    ] {
        assert!(apply.all().contains(what), "{}", apply.all());
    }
    let run = cloud.berth(&p.dir, &["plan", "--format", "json"]);
    run.expect_code(0);
    let actions = common::json_actions(&json_plan(&run));
    assert_eq!(
        actions.get("listener.https"),
        Some(&act("create", None)),
        "{actions:?}"
    );
    assert!(!actions.contains_key("certificate.shop"), "{actions:?}");

    p.edit(
        "main.berth",
        "  validation_method         = \"DNS\"\n",
        "  validation_method         = \"DNS\"\n  validation_zone           = hosted_zone.shop\n",
    );
    let run = cloud.berth(&p.dir, &["plan", "--format", "json"]);
    run.expect_code(0);
    let actions = common::json_actions(&json_plan(&run));
    assert_eq!(
        actions.get("certificate.shop"),
        Some(&act("update", None)),
        "{actions:?}"
    );
    cloud.converges(&p.dir, "validated");
    cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
}
