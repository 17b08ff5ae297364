//! The parts AWS makes with a VPC, taken over end to end on both clouds as
//! terraform-aws-modules/vpc writes them (`manage_default_security_group`
//! and `manage_default_route_table`, on by default). The default security
//! group: its rules stripped, then restated with groups allowing each
//! other, then let go by a destroy that also deletes those groups. The
//! main route table: a route out through the internet gateway for the
//! subnets without a table of their own, then none, then let go. The
//! default network ACL: AWS's allow-all entries restated (the module's
//! `default_network_acl_ingress`), then SSH denied first, then let go.

mod common;

use common::{Cloud, read_cloud, scrub};
use serde_json::Value;

/// What the module leaves in a flattened root: the VPC, and its default
/// group with no rules and the module's `Name` tag.
const STRIPPED: &str = r#"
stack "dsg" { region = "us-east-1" }

vpc this {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

default_security_group this {
  vpc_id = vpc.this.id
  tags   = { Name = "dsg-default" }
}
"#;

/// AWS's default rules restated (Terraform's `self = true`, all traffic
/// out), and a group that the default group allows in and that allows it
/// back.
const RESTATED: &str = r#"
stack "dsg" { region = "us-east-1" }

vpc this {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

default_security_group this {
  vpc_id = vpc.this.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }

  ingress {
    protocol        = "tcp"
    from_port       = 5432
    to_port         = 5432
    security_groups = [security_group.app.id]
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "dsg-default" }
}

security_group app {
  name   = "dsg-app"
  vpc_id = vpc.this.id

  ingress {
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [default_security_group.this.id]
  }
}
"#;

/// The default group of the stack's VPC as the cloud holds it: its number
/// of ingress and egress permissions (one per source), and its tags.
fn held(cloud: &Cloud, dir: &std::path::Path) -> (usize, usize, Value) {
    match cloud {
        Cloud::Aws(moto) => {
            let out = moto.python(
                "import boto3, json\n\
                 ec2 = boto3.client('ec2', region_name='us-east-1')\n\
                 vpc = [v['VpcId'] for v in ec2.describe_vpcs()['Vpcs'] if not v.get('IsDefault')][0]\n\
                 g = ec2.describe_security_groups(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}, {'Name': 'group-name', 'Values': ['default']}])['SecurityGroups'][0]\n\
                 count = lambda perms: sum(len(p.get('IpRanges', [])) + len(p.get('UserIdGroupPairs', [])) for p in perms)\n\
                 print(json.dumps([count(g['IpPermissions']), count(g['IpPermissionsEgress']), {t['Key']: t['Value'] for t in g.get('Tags', [])}]))\n",
            );
            let v: Value = serde_json::from_str(out.trim()).expect("the script's JSON");
            let n = |i: usize| v[i].as_u64().expect("a count") as usize;
            (n(0), n(1), v[2].clone())
        }
        Cloud::Local => {
            let state = read_cloud(&dir.join(".berth/local-cloud.json"));
            let resources = state["resources"].as_object().expect("resources");
            let (_, g) = resources
                .iter()
                .find(|(_, r)| r["kind"] == "default_security_group")
                .expect("the default group's record");
            let n = |d: &str| g["attrs"][d].as_array().map_or(0, Vec::len);
            (n("ingress"), n("egress"), g["tags"].clone())
        }
    }
}

#[test]
fn a_vpc_modules_default_group_is_stripped_restated_and_let_go_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        std::fs::write(dir.join("main.berth"), STRIPPED).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        if matches!(cloud, Cloud::Local) {
            insta::assert_snapshot!("default_group_take_over_text", scrub(&plan.stdout, None));
        }
        assert!(
            plan.stdout
                .contains("# default_security_group.this will be taken over"),
            "{}",
            plan.stdout
        );
        cloud.converges(dir, "the take-over");
        let (ingress, egress, tags) = held(&cloud, dir);
        assert_eq!((ingress, egress), (0, 0), "AWS's default rules are revoked");
        assert_eq!(tags["Name"], "dsg-default");
        assert_eq!(tags["berth:address"], "default_security_group.this");

        std::fs::write(dir.join("main.berth"), RESTATED).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        for line in [
            "# default_security_group.this will be updated in place",
            "Plan: 1 to add, 1 to change, 0 to destroy.",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        cloud.converges(dir, "the rules restated");
        assert_eq!(held(&cloud, dir).0, 2, "itself and the app's group");

        // The group that the default one allows goes with the stack: its
        // rule goes first, and the default group is let go, not deleted.
        let destroy = cloud.berth(dir, &["destroy", "--auto-approve"]);
        destroy.expect_code(0);
        let all = destroy.all();
        assert!(all.contains("0 changed, 3 destroyed."), "{all}");
        let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(2), "{}", plan.all());
    }
}

#[test]
fn a_default_group_left_out_of_the_configuration_is_let_go_with_its_rules() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, RESTATED, "the take-over");
        let without = RESTATED
            .split("default_security_group this")
            .next()
            .expect("the VPC")
            .to_owned()
            + "security_group app {\n  name   = \"dsg-app\"\n  vpc_id = vpc.this.id\n}\n";
        std::fs::write(dir.join("main.berth"), &without).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        assert!(
            plan.stdout
                .contains("# default_security_group.this will be let go"),
            "{}",
            plan.stdout
        );
        // Its rules show unmarked: they stay (the app group's own rule,
        // removed from it, is the one `- ingress`).
        assert!(
            plan.stdout.contains("# berth's tags go; its rules stay"),
            "{}",
            plan.stdout
        );
        assert_eq!(plan.stdout.matches("- ingress {").count(), 1, "{}", plan.stdout);
        cloud.converges(dir, "the default group let go");
        // The rule from itself and the egress rule stay; the one naming
        // the app's group went, so that group can be deleted.
        let (ingress, egress, tags) = held(&cloud, dir);
        assert_eq!((ingress, egress), (1, 1));
        assert!(tags.get("berth:stack").is_none(), "{tags}");
        assert_eq!(tags["Name"], "dsg-default");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// A public subnet without a table of its own: the VPC's main route table
/// routes it, as a Terraform root taking the table over writes it.
const MAIN_TABLE: &str = r#"
stack "main-table" { region = "us-east-1" }

vpc this { cidr_block = "10.1.0.0/16" }

internet_gateway this { vpc_id = vpc.this.id }

subnet public {
  vpc_id            = vpc.this.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

default_route_table this {
  default_route_table_id = vpc.this.default_route_table_id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = internet_gateway.this.id
  }

  timeouts {
    create = "5m"
    update = "5m"
  }

  tags = { Name = "main-table-default" }
}
"#;

/// The main route table of the stack's VPC as the cloud holds it: its
/// routes other than the VPC's `local` one, and its tags.
fn main_table(cloud: &Cloud, dir: &std::path::Path) -> (Vec<String>, Value) {
    match cloud {
        Cloud::Aws(moto) => {
            let out = moto.python(
                "import boto3, json\n\
                 ec2 = boto3.client('ec2', region_name='us-east-1')\n\
                 vpc = [v['VpcId'] for v in ec2.describe_vpcs()['Vpcs'] if not v.get('IsDefault')][0]\n\
                 t = ec2.describe_route_tables(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}, {'Name': 'association.main', 'Values': ['true']}])['RouteTables'][0]\n\
                 routes = [r['DestinationCidrBlock'] + ' ' + r['GatewayId'] for r in t['Routes'] if r.get('GatewayId', 'local') != 'local']\n\
                 print(json.dumps([routes, {x['Key']: x['Value'] for x in t.get('Tags', [])}]))\n",
            );
            let v: Value = serde_json::from_str(out.trim()).expect("the script's JSON");
            let routes = v[0]
                .as_array()
                .expect("routes")
                .iter()
                .map(|r| {
                    r.as_str()
                        .expect("a route")
                        .split(' ')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect();
            (routes, v[1].clone())
        }
        Cloud::Local => {
            let state = read_cloud(&dir.join(".berth/local-cloud.json"));
            let resources = state["resources"].as_object().expect("resources");
            let (_, t) = resources
                .iter()
                .find(|(_, r)| r["kind"] == "default_route_table")
                .expect("the main table's record");
            let routes = t["attrs"]["route"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|r| r["cidr"].as_str().unwrap_or_default().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            (routes, t["tags"].clone())
        }
    }
}

#[test]
fn a_vpc_modules_main_route_table_is_taken_over_changed_and_let_go_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        std::fs::write(dir.join("main.berth"), MAIN_TABLE).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        if matches!(cloud, Cloud::Local) {
            insta::assert_snapshot!("main_table_take_over_text", scrub(&plan.stdout, None));
        }
        cloud.converges(dir, "the take-over");
        let (routes, tags) = main_table(&cloud, dir);
        assert_eq!(routes, ["0.0.0.0/0"]);
        assert_eq!(tags["Name"], "main-table-default");
        assert_eq!(tags["berth:address"], "default_route_table.this");

        // No route but the VPC's own: the subnet reaches nothing outside.
        let start = MAIN_TABLE.find("  route {").expect("the route");
        let end = start + MAIN_TABLE[start..].find("  }\n").expect("its end") + 4;
        let without = format!("{}{}", &MAIN_TABLE[..start], &MAIN_TABLE[end..]);
        std::fs::write(dir.join("main.berth"), &without).expect("write");
        cloud.plans_one_update(dir, "default_route_table.this");
        cloud.converges(dir, "the route removed");
        assert!(main_table(&cloud, dir).0.is_empty());

        let destroy = cloud.berth(dir, &["destroy", "--auto-approve"]);
        destroy.expect_code(0);
        let all = destroy.all();
        assert!(all.contains("0 changed, 4 destroyed."), "{all}");
    }
}

/// terraform-aws-modules/vpc's default network ACL as a flattened root
/// writes it: AWS's entries restated, IPv4 and IPv6, with the module's tag
/// and its `subnet_ids` left to whatever holds them.
const ACL: &str = r#"
stack "acl" { region = "us-east-1" }

vpc this { cidr_block = "10.2.0.0/16" }

default_network_acl this {
  default_network_acl_id = vpc.this.default_network_acl_id

  # The module moves no subnet, and ignores which the ACL holds.
  subnet_ids = null

  ingress {
    rule_no    = 100
    action     = "allow"
    from_port  = 0
    to_port    = 0
    protocol   = -1
    cidr_block = "0.0.0.0/0"
    icmp_code  = null
    icmp_type  = null
  }

  ingress {
    rule_no         = 101
    action          = "allow"
    from_port       = 0
    to_port         = 0
    protocol        = "-1"
    ipv6_cidr_block = "::/0"
  }

  egress {
    rule_no    = 100
    action     = "allow"
    from_port  = 0
    to_port    = 0
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
  }

  tags = { Name = "acl-default" }

  lifecycle {
    ignore_changes = [subnet_ids]
  }
}
"#;

/// The default network ACL of the stack's VPC as the cloud holds it: its
/// ingress entries as `NUMBER ACTION`, lowest first, but AWS's last.
fn acl_ingress(cloud: &Cloud, dir: &std::path::Path) -> Vec<String> {
    match cloud {
        Cloud::Aws(moto) => {
            let out = moto.python(
                "import boto3, json\n\
                 ec2 = boto3.client('ec2', region_name='us-east-1')\n\
                 vpc = [v['VpcId'] for v in ec2.describe_vpcs()['Vpcs'] if not v.get('IsDefault')][0]\n\
                 acl = ec2.describe_network_acls(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}, {'Name': 'default', 'Values': ['true']}])['NetworkAcls'][0]\n\
                 entries = sorted((e['RuleNumber'], e['RuleAction']) for e in acl['Entries'] if not e['Egress'] and e['RuleNumber'] != 32767)\n\
                 print(json.dumps(['%d %s' % e for e in entries]))\n",
            );
            serde_json::from_str(out.trim()).expect("the script's JSON")
        }
        Cloud::Local => {
            let state = read_cloud(&dir.join(".berth/local-cloud.json"));
            let resources = state["resources"].as_object().expect("resources");
            let (_, acl) = resources
                .iter()
                .find(|(_, r)| r["kind"] == "default_network_acl")
                .expect("the ACL's record");
            let mut entries: Vec<(i64, String)> = acl["attrs"]["ingress"]
                .as_array()
                .expect("entries")
                .iter()
                .map(|e| {
                    (
                        e["rule_no"].as_i64().unwrap_or_default(),
                        e["action"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
            entries.sort();
            entries.into_iter().map(|(n, a)| format!("{n} {a}")).collect()
        }
    }
}

#[test]
fn a_vpc_modules_default_network_acl_is_taken_over_changed_and_let_go_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, ACL, "the take-over");
        assert_eq!(acl_ingress(&cloud, dir), ["100 allow", "101 allow"]);

        // SSH from anywhere denied before everything else is allowed.
        let ssh = ACL.replacen(
            "  ingress {",
            "  ingress {\n    rule_no    = 50\n    action     = \"deny\"\n    protocol   = \"tcp\"\n    from_port  = 22\n    to_port    = 22\n    cidr_block = \"0.0.0.0/0\"\n  }\n\n  ingress {",
            1,
        );
        std::fs::write(dir.join("main.berth"), &ssh).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        if matches!(cloud, Cloud::Local) {
            insta::assert_snapshot!("acl_deny_ssh_text", scrub(&plan.stdout, None));
        }
        cloud.converges(dir, "SSH denied");
        assert_eq!(acl_ingress(&cloud, dir), ["50 deny", "100 allow", "101 allow"]);

        let destroy = cloud.berth(dir, &["destroy", "--auto-approve"]);
        destroy.expect_code(0);
        let all = destroy.all();
        assert!(all.contains("0 changed, 2 destroyed."), "{all}");
    }
}
