//! examples/production on both clouds: it validates and is fmt-clean,
//! applies (on moto with an ACM certificate and the domain's hosted zone
//! made there with boto3; on the local cloud the zone is another stack's),
//! plans clean, and destroys leaving nothing; on moto, boto3 checks from
//! outside that the NAT gateways are deleted and the Elastic IPs released,
//! and that the site's alias record is made and deleted. On the local
//! cloud, a team's network edits between apply and destroy: a zone added,
//! a zone dropped, the VPC on a new range.

mod common;

use std::process::Command;

use common::{Cloud, example};

/// Runs `script` with boto3 against moto at `endpoint`; its stdout.
fn boto3(endpoint: &str, script: &str) -> String {
    let prelude = "import boto3,sys\n\
        kw=dict(endpoint_url=sys.argv[1],region_name='us-east-1',\
        aws_access_key_id='testing',aws_secret_access_key='testing')\n";
    let out = Command::new(berth_test_support::venv_python())
        .args(["-c", &format!("{prelude}{script}"), endpoint])
        .output()
        .expect("boto3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

const LEFT: &str = "ec2=boto3.client('ec2',**kw)\n\
    nats=[n for n in ec2.describe_nat_gateways()['NatGateways'] if n['State']!='deleted']\n\
    print(len(nats), len(ec2.describe_addresses()['Addresses']))\n";

/// Network edits: (step, from, to, a second edit of the same step).
type Edit = (
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

const EDITS: &[Edit] = &[
    (
        "a third zone",
        "\"us-east-1b\" = 2 }",
        "\"us-east-1b\" = 2, \"us-east-1c\" = 3 }",
        Some((
            "\"us-east-1b\" = 12 }",
            "\"us-east-1b\" = 12, \"us-east-1c\" = 13 }",
        )),
    ),
    (
        "the second zone dropped",
        "\"us-east-1b\" = 2, ",
        "",
        Some(("\"us-east-1b\" = 12, ", "")),
    ),
    ("the VPC on a new range", "10.40.0.0/16", "10.41.0.0/16", None),
];

#[test]
fn the_production_example_applies_replans_clean_and_destroys_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = example("production");
        let certificate = match &cloud {
            Cloud::Local => "arn:aws:acm:us-east-1:123456789012:certificate/local".to_owned(),
            Cloud::Aws(moto) => boto3(
                &moto.endpoint,
                "acm=boto3.client('acm',**kw)\n\
                 print(acm.request_certificate(DomainName='shop.example.com')['CertificateArn'])\n",
            ),
        };
        let zone = cloud.zone_outside(&p.dir, "shop.example.com");
        let vars = [
            format!("certificate_arn={certificate}"),
            format!("zone_id={zone}"),
            "domain=shop.example.com".to_owned(),
        ];
        let with_var = |args: &[&str]| {
            let mut all: Vec<&str> = args.to_vec();
            for var in &vars {
                all.extend(["--var", var.as_str()]);
            }
            cloud.berth(&p.dir, &all)
        };
        let records = format!(
            "r53=boto3.client('route53',**kw)\n\
             sets=r53.list_resource_record_sets(HostedZoneId='{zone}')['ResourceRecordSets']\n\
             print(' '.join(sorted(s['Type']+':'+s['Name'].rstrip('.') for s in sets)))\n"
        );
        with_var(&["validate"]).expect_code(0);
        cloud.berth(&p.dir, &["fmt", "--check"]).expect_code(0);
        let run = with_var(&["apply", "--auto-approve"]);
        run.expect_code(0);
        assert!(run.stdout.contains("Plan: 27 to add"), "{}", run.stdout);
        assert!(run.stdout.contains("https://shop.example.com"), "{}", run.stdout);
        let run = with_var(&["plan", "--detailed-exitcode"]);
        run.expect_code(0);
        assert!(run.stdout.starts_with("No changes."), "{}", run.stdout);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                boto3(&moto.endpoint, LEFT),
                "2 2",
                "a NAT gateway and an EIP per zone"
            );
            assert_eq!(
                boto3(&moto.endpoint, &records),
                "A:shop.example.com NS:shop.example.com SOA:shop.example.com TXT:_berth-a.shop.example.com",
                "the site's alias and berth's marker"
            );
        }
        // A team's network edits: a third zone, then the second zone
        // dropped (its subnets in use by the load balancer and the
        // service until they move off), then the whole VPC on a new range
        // (before the fixes, a dependency cycle through the NAT gateways,
        // and security groups named alike deleted while in use). On the
        // local cloud only: moto's ModifyVpcEndpoint adds no route for an
        // added route table, so the endpoint's delete then fails, and its
        // DeleteNatGateway keeps the Elastic IP associated, so a NAT
        // gateway replaced with its address fails (docs/aws.md).
        let edits = if matches!(cloud, Cloud::Local) { EDITS } else { &[] };
        for (step, from, to, also) in edits {
            p.edit("network.berth", from, to);
            if let Some((from, to)) = also {
                p.edit("network.berth", from, to);
            }
            let run = with_var(&["apply", "--auto-approve"]);
            assert_eq!(run.code, Some(0), "{step}:\n{}", run.all());
            let run = with_var(&["plan", "--detailed-exitcode"]);
            assert_eq!(run.code, Some(0), "not clean after {step}:\n{}", run.all());
        }
        with_var(&["destroy", "--auto-approve"]).expect_code(0);
        let run = with_var(&["plan", "--format", "json"]);
        run.expect_code(0);
        let plan = common::json_plan(&run);
        assert_eq!(plan["summary"]["add"], 27, "nothing of the stack is left");
        assert_eq!(plan["summary"]["destroy"], 0);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                boto3(&moto.endpoint, LEFT),
                "0 0",
                "NAT gateways deleted, EIPs released"
            );
            assert_eq!(
                boto3(&moto.endpoint, &records),
                "NS:shop.example.com SOA:shop.example.com",
                "the zone as it was before the stack"
            );
        }
    }
}
