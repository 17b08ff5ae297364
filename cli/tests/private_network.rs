//! A private network end to end on both clouds: public and private subnets,
//! a NAT gateway with its Elastic IP, a route to it, S3 and Logs endpoints
//! and named resources apply, re-plan clean and destroy leaving nothing;
//! on moto, checked from outside with boto3 (NAT gateways deleted, Elastic
//! IPs released).

mod common;

use std::path::Path;
use std::process::Command;

use common::{Cloud, splice};

fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/private_network/main.berth");
    std::fs::copy(src, tmp.path().join("main.berth")).expect("copy");
    tmp
}

/// NAT gateways not `deleted` and Elastic IPs, as boto3 sees them on moto.
fn leftovers(endpoint: &str) -> String {
    let script = "import boto3,sys\n\
        ec2=boto3.client('ec2',endpoint_url=sys.argv[1],region_name='us-east-1',\
        aws_access_key_id='testing',aws_secret_access_key='testing')\n\
        nats=[n['NatGatewayId'] for n in ec2.describe_nat_gateways()['NatGateways'] if n['State']!='deleted']\n\
        eips=[a['AllocationId'] for a in ec2.describe_addresses()['Addresses']]\n\
        vpces=[e['VpcEndpointId'] for e in ec2.describe_vpc_endpoints()['VpcEndpoints'] if e['State'].lower()!='deleted']\n\
        print(len(nats), len(eips), len(vpces))\n";
    let out = Command::new(berth_test_support::venv_python())
        .args(["-c", script, endpoint])
        .output()
        .expect("boto3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn a_private_network_applies_replans_clean_and_destroys_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = project();
        let dir = tmp.path();
        cloud.berth(dir, &["validate"]).expect_code(0);
        cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        run.expect_code(0);
        assert!(run.stdout.starts_with("No changes."), "{}", run.stdout);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                leftovers(&moto.endpoint),
                "1 1 2",
                "one NAT, one EIP, two endpoints"
            );
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        let plan = common::json_plan(&run);
        assert_eq!(plan["summary"]["destroy"], 0, "nothing of the stack is left");
        assert_eq!(plan["summary"]["change"], 0);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(leftovers(&moto.endpoint), "0 0 0", "NATs deleted, EIPs released");
        }
    }
}

/// The cloud's zones, not the documented ones, key `for_each`: us-west-1
/// is documented with two zones (`a`, `c`); the local cloud has six, moto
/// its own list.
#[test]
fn availability_zones_come_from_the_cloud() {
    let text = r#"stack "zones" { region = "us-west-1" }
vpc main { cidr = "10.30.0.0/16" }
subnet az {
  for_each = availability_zones()
  vpc      = vpc.main
  cidr     = cidrsubnet("10.30.0.0/16", 8, index(availability_zones(), each.key))
  zone     = each.key
}
"#;
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("main.berth"), text).expect("write");
        let dir = tmp.path();
        cloud.berth(dir, &["validate"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--format", "json"]);
        run.expect_code(0);
        let plan = common::json_plan(&run);
        let subnets: Vec<String> = common::json_actions(&plan)
            .into_keys()
            .filter(|a| a.starts_with("subnet.az"))
            .collect();
        let expected = match &cloud {
            Cloud::Local => 6,
            Cloud::Aws(moto) => zone_count(&moto.endpoint),
        };
        assert_eq!(subnets.len(), expected, "{subnets:?}");
        cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        let run = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        run.expect_code(0);
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// The zones moto lists for us-west-1, as boto3 sees them.
fn zone_count(endpoint: &str) -> usize {
    let script = "import boto3,sys\n\
        ec2=boto3.client('ec2',endpoint_url=sys.argv[1],region_name='us-west-1',\
        aws_access_key_id='testing',aws_secret_access_key='testing')\n\
        print(len(ec2.describe_availability_zones()['AvailabilityZones']))\n";
    let out = Command::new(berth_test_support::venv_python())
        .args(["-c", script, endpoint])
        .output()
        .expect("boto3 runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

/// An endpoint's `policy` (Terraform's `aws_vpc_endpoint.policy`): written
/// as a JSON string, as `jsonencode` leaves it, it applies and re-plans
/// clean; rewritten as a map with another bucket, it changes in place; left
/// out, the full-access policy AWS gives is not drift. On moto boto3 reads
/// the policy EC2 holds.
#[test]
fn an_endpoint_policy_applies_changes_in_place_and_aws_default_is_not_drift() {
    const STACK: &str = r#"stack "endpoint-policy" { region = "us-east-1" }
vpc main { cidr = "10.8.0.0/16" }
route_table private { vpc = vpc.main }
vpc_endpoint s3 {
  vpc          = vpc.main
  service      = "com.amazonaws.us-east-1.s3"
  route_tables = [route_table.private]
  policy       = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EcrLayers\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*\"]}]}"
}
"#;
    const MAP: &str = r#"  policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = ["arn:aws:s3:::my-artifacts", "arn:aws:s3:::my-artifacts/*"]
    }]
  }
"#;
    const HELD: &str = "import boto3,json\n\
        e=boto3.client('ec2').describe_vpc_endpoints()['VpcEndpoints']\n\
        print(json.dumps([r for s in (json.loads(x['PolicyDocument'])['Statement'] for x in e if x['State'].lower()!='deleted') for st in s for r in ([st['Resource']] if isinstance(st['Resource'],str) else st['Resource'])]))\n";
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "a policy written as JSON");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(HELD).trim(),
                r#"["arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"]"#
            );
        }
        std::fs::write(dir.join("main.berth"), splice(STACK, "  policy", "\n", MAP)).expect("write");
        cloud.plans_one_update(dir, "vpc_endpoint.s3");
        cloud.converges(dir, "a policy rewritten as a map");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(HELD).trim(),
                r#"["arn:aws:s3:::my-artifacts", "arn:aws:s3:::my-artifacts/*"]"#
            );
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        cloud.apply_clean(
            dir,
            &splice(STACK, "  policy", "\n", ""),
            "an endpoint without a policy",
        );
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
