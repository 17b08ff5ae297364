//! A private network end to end on both clouds: public and private subnets,
//! a NAT gateway with its Elastic IP, a route to it, S3 and Logs endpoints
//! and named resources apply, re-plan clean and destroy leaving nothing;
//! on moto, checked from outside with boto3 (NAT gateways deleted, Elastic
//! IPs released).

mod common;

use std::collections::BTreeMap;
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

/// Private subnets behind a network ACL of their own, as
/// terraform-aws-modules/vpc writes one (`private_dedicated_network_acl`):
/// its inbound entries as counted `network_acl_rule` blocks reading a list
/// with `lookup(..., null)`, one subnet by `subnet_ids` and one by a
/// `network_acl_association`.
const ACL: &str = r#"
stack "acl" { region = "us-east-1" }

vpc this { cidr_block = "10.0.0.0/16" }

subnet a {
  vpc_id            = vpc.this.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "a" }
}

subnet b {
  vpc_id            = vpc.this.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
  tags              = { Name = "b" }
}

locals {
  private_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "10.0.0.0/16" },
    { rule_number = 110, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "6", cidr_block = "0.0.0.0/0" },
  ]
}

network_acl private {
  vpc_id     = vpc.this.id
  subnet_ids = [subnet.a.id]

  egress {
    protocol   = "-1"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = { Name = "private" }
}

network_acl_rule private_inbound {
  count = length(local.private_inbound_acl_rules)

  network_acl_id = network_acl.private.id

  egress          = false
  rule_number     = local.private_inbound_acl_rules[count.index]["rule_number"]
  rule_action     = local.private_inbound_acl_rules[count.index]["rule_action"]
  from_port       = lookup(local.private_inbound_acl_rules[count.index], "from_port", null)
  to_port         = lookup(local.private_inbound_acl_rules[count.index], "to_port", null)
  icmp_code       = lookup(local.private_inbound_acl_rules[count.index], "icmp_code", null)
  icmp_type       = lookup(local.private_inbound_acl_rules[count.index], "icmp_type", null)
  protocol        = local.private_inbound_acl_rules[count.index]["protocol"]
  cidr_block      = lookup(local.private_inbound_acl_rules[count.index], "cidr_block", null)
  ipv6_cidr_block = lookup(local.private_inbound_acl_rules[count.index], "ipv6_cidr_block", null)
}

network_acl_association b {
  network_acl_id = network_acl.private.id
  subnet_id      = subnet.b.id
}
"#;

/// Which ACL each subnet of the stack's VPC uses, by the subnet's `Name`:
/// the ACL's `Name`, or `default`; and the custom ACLs' entries (AWS's
/// last ones left out).
fn acls_of(cloud: &Cloud, dir: &Path) -> (BTreeMap<String, String>, usize) {
    match cloud {
        Cloud::Aws(moto) => {
            let out = moto.python(
                "import boto3, json\n\
                 ec2 = boto3.client('ec2', region_name='us-east-1')\n\
                 vpc = [v['VpcId'] for v in ec2.describe_vpcs()['Vpcs'] if not v.get('IsDefault')][0]\n\
                 name = lambda tags: {t['Key']: t['Value'] for t in tags or []}.get('Name')\n\
                 subnets = {s['SubnetId']: name(s.get('Tags')) for s in ec2.describe_subnets(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}])['Subnets']}\n\
                 acls = ec2.describe_network_acls(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}])['NetworkAcls']\n\
                 uses = {subnets[a['SubnetId']]: ('default' if acl['IsDefault'] else name(acl.get('Tags'))) for acl in acls for a in acl['Associations']}\n\
                 entries = sum(1 for acl in acls if not acl['IsDefault'] for e in acl['Entries'] if e['RuleNumber'] != 32767)\n\
                 print(json.dumps([uses, entries]))\n",
            );
            let v: serde_json::Value = serde_json::from_str(out.trim()).expect("the script's JSON");
            let uses = v[0]
                .as_object()
                .expect("uses")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("a name").to_owned()))
                .collect();
            (uses, v[1].as_u64().expect("a count") as usize)
        }
        Cloud::Local => {
            let state = common::read_cloud(&dir.join(".berth/local-cloud.json"));
            let resources = state["resources"].as_object().expect("resources");
            let name = |r: &serde_json::Value| r["tags"]["Name"].as_str().unwrap_or_default().to_owned();
            let acls: Vec<&serde_json::Value> = resources
                .values()
                .filter(|r| r["kind"] == "network_acl")
                .collect();
            let uses = resources
                .iter()
                .filter(|(_, r)| r["kind"] == "subnet")
                .map(|(id, subnet)| {
                    let acl = acls
                        .iter()
                        .find(|acl| {
                            acl["attrs"]["subnets"]
                                .as_array()
                                .is_some_and(|s| s.contains(&id.as_str().into()))
                        })
                        .map_or_else(|| "default".to_owned(), |acl| name(acl));
                    (name(subnet), acl)
                })
                .collect();
            let entries = acls
                .iter()
                .map(|acl| {
                    ["ingress", "egress"]
                        .map(|d| acl["attrs"][d].as_array().map_or(0, Vec::len))
                        .iter()
                        .sum::<usize>()
                })
                .sum();
            (uses, entries)
        }
    }
}

fn uses(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(s, a)| ((*s).to_owned(), (*a).to_owned()))
        .collect()
}

#[test]
fn a_network_acl_takes_its_subnets_and_gives_them_back_to_the_default_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        std::fs::write(dir.join("main.berth"), ACL).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        if matches!(cloud, Cloud::Local) {
            insta::assert_snapshot!("network_acl_create_text", common::scrub(&plan.stdout, None));
        }
        cloud.converges(dir, "the ACL's create");
        let (held, entries) = acls_of(&cloud, dir);
        assert_eq!(held, uses(&[("a", "private"), ("b", "private")]));
        assert_eq!(entries, 3, "two inbound entries and one outbound");

        // Its association taken out: subnet b goes back to the default ACL.
        let without = ACL.split("network_acl_association b").next().expect("the rest");
        std::fs::write(dir.join("main.berth"), without).expect("write");
        cloud.plans_one_update(dir, "network_acl.private");
        cloud.converges(dir, "the association taken out");
        assert_eq!(
            acls_of(&cloud, dir).0,
            uses(&[("a", "private"), ("b", "default")])
        );

        // The ACL destroyed: its subnet goes back too, and stays.
        let subnets_only = without.split("locals {").next().expect("the network");
        std::fs::write(dir.join("main.berth"), subnets_only).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        assert!(
            plan.stdout.contains("Plan: 0 to add, 0 to change, 1 to destroy."),
            "{}",
            plan.all()
        );
        cloud.converges(dir, "the ACL destroyed");
        assert_eq!(
            acls_of(&cloud, dir),
            (uses(&[("a", "default"), ("b", "default")]), 0)
        );
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Two route tables of a stack, a subnet associated with the first.
fn tables(holder: &str) -> String {
    format!(
        r#"
stack "rtb" {{ region = "us-east-1" }}

vpc this {{ cidr = "10.0.0.0/16" }}

subnet a {{
  vpc  = vpc.this
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}}

route_table one {{
  vpc     = vpc.this
  subnets = {one}
}}

route_table two {{
  vpc     = vpc.this
  subnets = {two}
}}
"#,
        one = if holder == "one" { "[subnet.a]" } else { "[]" },
        two = if holder == "two" { "[subnet.a]" } else { "[]" },
    )
}

/// A subnet moved from one table of the stack to another in one apply
/// (terraform-aws-modules/vpc's private tables when `single_nat_gateway`
/// changes): whichever table's update runs first, the subnet ends in the
/// new one. It was AssociateRouteTable before the old association was
/// removed: Resource.AlreadyAssociated on the local cloud (as on AWS),
/// the apply half done.
#[test]
fn a_subnet_moves_between_the_stacks_route_tables_in_one_apply_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, &tables("one"), "the subnet in table one");
        cloud.apply_clean(dir, &tables("two"), "the subnet moved to table two");
        cloud.apply_clean(dir, &tables("one"), "the subnet moved back");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
