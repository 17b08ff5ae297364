//! Route 53 (issue 13 §8): hosted zones, public and private, and records
//! in them, plain and aliased to the load balancer. On both clouds the
//! stack applies and re-plans clean (names written with the root's dot and
//! in mixed case), a record changed outside berth plans as an update, a
//! record of another stack in a zone berth does not own is found by its
//! marker, a zone still holding a record berth does not manage refuses to
//! go until `force_destroy`, and destroy leaves nothing; on moto boto3
//! checks from outside.

mod common;

use std::path::Path;

use common::{Cloud, Project, copy_of};

fn project() -> Project {
    copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/route53"))
}

/// The zones, their records (type, name, TTL, alias target) and the load
/// balancer's DNS name, as boto3 sees them.
const DESCRIBE: &str = "import boto3,json\n\
    r53=boto3.client('route53')\n\
    lb=boto3.client('elbv2').describe_load_balancers()['LoadBalancers']\n\
    out={'lb':[l['DNSName'].lower() for l in lb]}\n\
    for z in r53.list_hosted_zones()['HostedZones']:\n\
    \x20   sets=r53.list_resource_record_sets(HostedZoneId=z['Id'])['ResourceRecordSets']\n\
    \x20   out[z['Name'].rstrip('.')]=sorted([s['Type'],s['Name'].rstrip('.'),s.get('TTL'),s.get('AliasTarget',{}).get('DNSName','').lower().rstrip('.')] for s in sets if s['Type'] not in ('NS','SOA'))\n\
    \x20   out[z['Name'].rstrip('.')+' private']=z['Config']['PrivateZone']\n\
    print(json.dumps(out,sort_keys=True))\n";

#[test]
fn zones_and_records_apply_update_and_destroy_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = project();
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "the first apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            let lb = seen["lb"][0].as_str().expect("the load balancer").to_owned();
            assert_eq!(
                seen,
                serde_json::json!({
                    "lb": [lb],
                    "example.com": [
                        ["A", "www.example.com", null, lb],
                        ["TXT", "_berth-a.www.example.com", 300, ""],
                        ["TXT", "_berth-txt.example.com", 300, ""],
                        ["TXT", "example.com", 300, ""],
                    ],
                    "example.com private": false,
                    "internal.example": [
                        ["CNAME", "db.internal.example", 60, ""],
                        ["TXT", "_berth-cname.db.internal.example", 300, ""],
                    ],
                    "internal.example private": true,
                }),
                "the alias points at the load balancer, each record has its marker"
            );
            // The TXT value written bare went in quotes, as Route 53 takes it.
            let spf = moto.python(
                "import boto3\n\
                 r53=boto3.client('route53')\n\
                 z=[z for z in r53.list_hosted_zones()['HostedZones'] if z['Name'].rstrip('.')=='example.com'][0]\n\
                 s=[s for s in r53.list_resource_record_sets(HostedZoneId=z['Id'])['ResourceRecordSets'] if s['Type']=='TXT' and s['Name']=='example.com.'][0]\n\
                 print(s['ResourceRecords'][0]['Value'])\n",
            );
            assert_eq!(spf.trim(), "\"v=spf1 -all\"");
        }

        // A record changed outside berth plans as an update, and apply puts
        // it back.
        match &cloud {
            Cloud::Aws(moto) => {
                moto.python(
                    "import boto3\n\
                     r53=boto3.client('route53')\n\
                     z=[z for z in r53.list_hosted_zones()['HostedZones'] if z['Name'].rstrip('.')=='example.com'][0]\n\
                     r53.change_resource_record_sets(HostedZoneId=z['Id'],ChangeBatch={'Changes':[{'Action':'UPSERT','ResourceRecordSet':{'Name':'example.com.','Type':'TXT','TTL':900,'ResourceRecords':[{'Value':'\"v=spf1 ~all\"'}]}}]})\n",
                );
            }
            Cloud::Local => p.edit_cloud_resource("dns_record.spf", |r| {
                r["attrs"]["ttl"] = serde_json::json!(900);
            }),
        }
        cloud.plans_one_update(&p.dir, "dns_record.spf");
        cloud.converges(&p.dir, "putting the record back");

        // A TTL changes in place (UPSERT).
        p.edit("main.berth", "ttl     = 60", "ttl     = 120");
        cloud.plans_one_update(&p.dir, "dns_record.db");
        cloud.converges(&p.dir, "the TTL change");

        // Another stack's record in this zone, which that stack names by id:
        // found by its marker there, and left alone by this stack's plans.
        let zone = zone_id(&cloud, &p, "example.com");
        let other = tempfile::tempdir().expect("temp dir");
        let other_dir = other.path();
        let state = p.cloud_path();
        let text = format!(
            "stack \"other\" {{ region = \"us-east-1\" }}\n\
             dns_record api {{\n  zone    = \"{zone}\"\n  name    = \"api.example.com\"\n  type    = \"A\"\n  ttl     = 60\n  records = [\"192.0.2.10\"]\n}}\n"
        );
        std::fs::write(other_dir.join("main.berth"), text).expect("write the other stack");
        // On the local cloud the other stack shares this stack's account file.
        let at = |args: &[&str]| {
            let mut all = match &cloud {
                Cloud::Local => vec!["--local-state", state.to_str().expect("UTF-8")],
                Cloud::Aws(_) => Vec::new(),
            };
            all.extend(args);
            cloud.berth(other_dir, &all)
        };
        at(&["apply", "--auto-approve"]).expect_code(0);
        at(&["plan", "--detailed-exitcode"]).expect_code(0);
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());

        // Destroying the zone with that record in it: Route 53 refuses.
        let run = cloud.berth(&p.dir, &["destroy", "--auto-approve"]);
        assert_ne!(run.code, Some(0), "{}", run.all());
        assert!(run.all().contains("HostedZoneNotEmpty"), "{}", run.all());
        assert!(run.all().contains("force_destroy"), "{}", run.all());
        // With force_destroy (an update in place) it goes, records and all.
        // The failed destroy deleted the zone's own records, and the stack
        // drops them: moto refuses to make again a record identical to one
        // in its change journal (`ResourceRecordAlreadyExists`, though the
        // record is gone), which AWS accepts.
        let text = p.read("main.berth");
        let kept: Vec<&str> = text
            .split("\n\n")
            .filter(|block| !block.starts_with("dns_record spf") && !block.starts_with("dns_record www"))
            .collect();
        assert_eq!(text.split("\n\n").count(), kept.len() + 2, "both records dropped");
        p.write("main.berth", &kept.join("\n\n"));
        p.edit(
            "main.berth",
            "  comment = \"the site\"",
            "  comment = \"the site\"\n  force_destroy = true",
        );
        cloud.berth(&p.dir, &["fmt"]).expect_code(0);
        cloud.converges(&p.dir, "turning force_destroy on");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
        assert!(
            plan.stdout.contains("0 to change, 0 to destroy"),
            "{}",
            plan.stdout
        );
        if let Cloud::Aws(moto) = &cloud {
            let left = moto.python(
                "import boto3\nprint(len(boto3.client('route53').list_hosted_zones()['HostedZones']))\n",
            );
            assert_eq!(left.trim(), "0", "no zone left");
        }
        // The other stack's record went with the zone: its plan makes it again.
        let plan = at(&["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
    }
}

/// The id of the stack's zone named `name`.
fn zone_id(cloud: &Cloud, p: &Project, name: &str) -> String {
    match cloud {
        Cloud::Aws(moto) => moto
            .python(&format!(
                "import boto3\n\
                 z=[z for z in boto3.client('route53').list_hosted_zones()['HostedZones'] if z['Name'].rstrip('.')=='{name}'][0]\n\
                 print(z['Id'].split('/')[-1])\n"
            ))
            .trim()
            .to_owned(),
        Cloud::Local => {
            let cloud = p.cloud();
            let resources = cloud["resources"].as_object().expect("resources");
            let (id, _) = resources
                .iter()
                .find(|(_, r)| r["kind"] == "hosted_zone" && r["attrs"]["name"] == name)
                .expect("the zone");
            id.clone()
        }
    }
}

/// A private zone's VPCs change in place (Route 53 associates and
/// disassociates them), the zone keeping its id; turning it public
/// replaces it. Both clouds; on moto boto3 reads the associations.
#[test]
fn a_private_zones_vpcs_change_in_place_on_both_clouds() {
    let stack = |vpcs: &str| {
        format!(
            "stack \"dns-vpcs\" {{ region = \"us-east-1\" }}\n\n\
             vpc a {{\n  cidr          = \"10.31.0.0/16\"\n  dns_hostnames = true\n}}\n\n\
             vpc b {{\n  cidr          = \"10.32.0.0/16\"\n  dns_hostnames = true\n}}\n\n\
             hosted_zone internal {{\n  name = \"svc.internal\"\n{vpcs}}}\n"
        )
    };
    for cloud in Cloud::both() {
        let p = project();
        let main = p.path("main.berth");
        let write = |vpcs: &str| std::fs::write(&main, stack(vpcs)).expect("write");
        write("  vpcs = [vpc.a]\n");
        cloud.converges(&p.dir, "the first apply");
        let id = zone_id(&cloud, &p, "svc.internal");

        write("  vpcs = [vpc.a, vpc.b]\n");
        cloud.plans_one_update(&p.dir, "hosted_zone.internal");
        cloud.converges(&p.dir, "adding a VPC");
        write("  vpcs = [vpc.b]\n");
        cloud.plans_one_update(&p.dir, "hosted_zone.internal");
        cloud.converges(&p.dir, "dropping a VPC");
        assert_eq!(zone_id(&cloud, &p, "svc.internal"), id, "the same zone");
        if let Cloud::Aws(moto) = &cloud {
            let seen = moto.python(&format!(
                "import boto3\n\
                 vpcs=boto3.client('route53').get_hosted_zone(Id='{id}')['VPCs']\n\
                 b=boto3.client('ec2').describe_vpcs(Filters=[{{'Name':'cidr','Values':['10.32.0.0/16']}}])['Vpcs'][0]['VpcId']\n\
                 print([v['VPCId'] == b for v in vpcs])\n"
            ));
            assert_eq!(seen.trim(), "[True]", "associated with vpc.b alone");
        }

        write("");
        let planned = cloud.planned(&p.dir);
        assert_eq!(
            planned.get("hosted_zone.internal").map(|(a, _)| a.as_str()),
            Some("replace"),
            "{planned:?}"
        );
        cloud.converges(&p.dir, "turning the zone public");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// A zone kept outside the stack, found by a `data hosted_zone` lookup by
/// name (`HostedZoneName`, as CloudFormation templates name it), holds an
/// alias to a load balancer whose name has capitals and a certificate's
/// validation records. Regressions: the lookup was refused where a zone
/// goes (E0594), the local cloud's lookups found no zone a stack made, and
/// its alias check compared the load balancer's DNS name in its case.
#[test]
fn a_looked_up_zone_takes_records_and_validations_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let zone = cloud.zone_outside(tmp.path(), "team.example.com");
        let text = r#"stack "looked-up" { region = "us-east-1" }

data hosted_zone team { name = "team.example.com." }

vpc main { cidr = "10.4.0.0/16" }

subnet a {
  vpc  = vpc.main
  cidr = "10.4.1.0/24"
  zone = "us-east-1a"
}

subnet b {
  vpc  = vpc.main
  cidr = "10.4.2.0/24"
  zone = "us-east-1b"
}

load_balancer main {
  name     = "MyServiceLoadBalancer"
  internal = true
  subnets  = [subnet.a, subnet.b]
}

dns_record api {
  zone  = data.hosted_zone.team
  name  = "api.team.example.com"
  type  = "A"
  alias { target = load_balancer.main }
}

certificate api {
  domain_name     = "api.team.example.com"
  validation_zone = data.hosted_zone.team.id
}

output zone { value = data.hosted_zone.team.id }
"#;
        std::fs::write(tmp.path().join("main.berth"), text).expect("write the stack");
        cloud.berth(tmp.path(), &["validate"]).expect_code(0);
        cloud.converges(tmp.path(), "records in a looked-up zone");
        let out = cloud.berth(tmp.path(), &["output", "--format", "json"]);
        out.expect_code(0);
        assert!(out.stdout.contains(&zone), "{}", out.stdout);
        cloud
            .berth(tmp.path(), &["destroy", "--auto-approve"])
            .expect_code(0);
        // The record is found only under the looked-up zone: destroy, which
        // read lookups as placeholders, left it on AWS (and said so nowhere).
        let after = cloud.berth(tmp.path(), &["plan", "--no-color"]);
        after.expect_code(0);
        assert!(
            after.stdout.contains("dns_record.api will be created"),
            "the record outlived destroy:\n{}",
            after.all()
        );
    }
}
