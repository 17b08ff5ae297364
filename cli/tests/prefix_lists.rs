//! Security group rules whose source is a managed prefix list, as
//! Terraform's `prefix_list_ids` writes them: the load balancer behind
//! CloudFront that lets in only CloudFront's origin-facing addresses. On
//! both clouds: create, re-plan clean, destroy; on moto the list is AWS's
//! own (found by name with boto3) and DescribeSecurityGroups is read from
//! outside. (moto drops a prefix list rule's description, so none is set.)

mod common;

use common::Cloud;

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
