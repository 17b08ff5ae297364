//! Security group rules whose source is a managed prefix list, as
//! Terraform's `prefix_list_ids` writes them: the load balancer behind
//! CloudFront that lets in only CloudFront's origin-facing addresses. On
//! both clouds: create, re-plan clean, destroy; on moto the list is AWS's
//! own (found by name with boto3) and DescribeSecurityGroups is read from
//! outside. (moto drops a prefix list rule's description, so none is set.)
//! And the same lists found by `data prefix_list` lookups, by name as
//! Terraform's `aws_prefix_list` finds AWS's and by tags for a team's own.

mod common;

use common::Cloud;
use serde_json::{Value, json};

/// CloudFront's origin-facing prefix list, as moto lists it.
const CLOUDFRONT: &str = r#"
import boto3
lists = boto3.client('ec2').describe_managed_prefix_lists()['PrefixLists']
print(next(p['PrefixListId'] for p in lists if p['PrefixListName'] == 'com.amazonaws.global.cloudfront.origin-facing'))
"#;

/// The prefix lists of the group's ingress rules.
const INGRESS_LISTS: &str = r#"
import boto3
ec2 = boto3.client('ec2')
g = ec2.describe_security_groups(Filters=[{'Name': 'tag:berth:address', 'Values': ['security_group.alb']}])['SecurityGroups'][0]
print(' '.join(sorted(p['PrefixListId'] for perm in g['IpPermissions'] for p in perm['PrefixListIds'])))
"#;

fn stack(list: &str) -> String {
    format!(
        r#"
stack "edge" {{ region = "us-east-1" }}

vpc main {{ cidr = "10.0.0.0/16" }}

security_group alb {{
  vpc = vpc.main
  ingress {{
    port        = 443
    prefix_list = "{list}"
  }}
  ingress {{
    port = 443
    cidr = "10.0.0.0/16"
  }}
}}
"#
    )
}

#[test]
fn a_load_balancer_behind_cloudfront_lets_in_its_prefix_list_on_both_clouds() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        let list = match &cloud {
            Cloud::Aws(moto) => moto.python(CLOUDFRONT).trim().to_owned(),
            Cloud::Local => "pl-3b927c52".to_owned(),
        };
        cloud.apply_clean(dir, &stack(&list), "a rule from a prefix list");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(INGRESS_LISTS).trim(), list);
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// A team's own prefix list (its offices), made outside berth.
const OFFICES: &str = r#"
import boto3
l = boto3.client('ec2').create_managed_prefix_list(
    PrefixListName='offices', AddressFamily='IPv4', MaxEntries=5,
    Entries=[{'Cidr': '198.51.100.0/24'}],
    TagSpecifications=[{'ResourceType': 'prefix-list', 'Tags': [{'Key': 'team', 'Value': 'web'}]}])
print(l['PrefixList']['PrefixListId'])
"#;

/// The rules' sources looked up: AWS's CloudFront list by name, the
/// team's by its tag, S3's by name for the egress to a gateway endpoint.
const LOOKED_UP: &str = r#"
stack "edge" { region = "us-east-1" }

data prefix_list cloudfront { name = "com.amazonaws.global.cloudfront.origin-facing" }
data prefix_list offices { tags = { team = "web" } }
data prefix_list s3 { name = "com.amazonaws.us-east-1.s3" }

vpc main { cidr = "10.0.0.0/16" }

security_group alb {
  vpc = vpc.main
  ingress {
    port        = 443
    prefix_list = data.prefix_list.cloudfront
  }
  ingress {
    port        = 443
    prefix_list = data.prefix_list.offices.id
  }
  egress {
    port        = 443
    prefix_list = data.prefix_list.s3
  }
}

output cloudfront { value = data.prefix_list.cloudfront.id }
output s3 { value = data.prefix_list.s3.name }
output offices { value = data.prefix_list.offices.arn }
"#;

#[test]
fn prefix_lists_are_looked_up_by_name_and_tags_on_both_clouds() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        let offices = match &cloud {
            Cloud::Aws(moto) => moto.python(OFFICES).trim().to_owned(),
            Cloud::Local => {
                // The simulated account lists a team's prefix lists in its
                // file, as it does certificates.
                let mut state = json!({});
                state["prefix_lists"] = json!([
                    {"id": "pl-0offices", "name": "offices", "region": "us-east-1", "tags": {"team": "web"}},
                    {"id": "pl-0elsewhere", "name": "offices", "region": "eu-west-1", "tags": {"team": "web"}},
                ]);
                std::fs::create_dir_all(dir.join(".berth")).expect("dir");
                common::write_cloud(&dir.join(".berth/local-cloud.json"), &state);
                "pl-0offices".to_owned()
            }
        };
        cloud.apply_clean(dir, LOOKED_UP, "rules from looked-up prefix lists");
        let out = cloud.berth(dir, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: Value = serde_json::from_str(&out.stdout).expect("json");
        let value = |name: &str| {
            outputs["outputs"][name]["value"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(value("s3"), "com.amazonaws.us-east-1.s3");
        assert!(
            value("offices").ends_with(&format!(":prefix-list/{offices}")),
            "{}",
            value("offices")
        );
        let cloudfront = value("cloudfront");
        match &cloud {
            Cloud::Aws(moto) => {
                assert_eq!(cloudfront, moto.python(CLOUDFRONT).trim());
                let mut want = [cloudfront.as_str(), offices.as_str()];
                want.sort_unstable();
                assert_eq!(moto.python(INGRESS_LISTS).trim(), want.join(" "));
            }
            Cloud::Local => {
                // AWS's own lists have ids of AWS's shape, the same each run.
                assert!(
                    cloudfront.len() == 11 && cloudfront.starts_with("pl-"),
                    "{cloudfront}"
                );
            }
        }

        // A name nothing has is the plan's error at the block.
        std::fs::write(
            dir.join("main.berth"),
            LOOKED_UP.replace("com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.s4"),
        )
        .expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(1);
        assert!(
            plan.stderr
                .contains("`data.prefix_list.s3` matches no prefix_list"),
            "{}",
            plan.all()
        );
        std::fs::write(dir.join("main.berth"), LOOKED_UP).expect("write");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
