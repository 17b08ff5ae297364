//! `berth import ADDRESS ID [DIR]`: resources made outside berth (boto3 on
//! moto; on the local cloud, another stack's resources with their berth
//! tags stripped from the cloud file, as the console would leave them) are
//! adopted one by one, refused when they do not match, are owned already
//! or are of a kind not supported yet; the next plan shows only the real
//! difference, apply converges and destroy removes them. Both clouds.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Cloud, Run, json_actions, json_plan};

const APP: &str = include_str!("adopt/app.berth");
const SECOND: &str = include_str!("adopt/second.berth");

/// What the outside tool made, on moto: ids and names printed as JSON.
const MAKE: &str = r#"
import boto3, json
ec2 = boto3.client('ec2'); logs = boto3.client('logs'); iam = boto3.client('iam'); ecs = boto3.client('ecs')
vpc = ec2.create_vpc(CidrBlock='10.9.0.0/16')['Vpc']['VpcId']
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock='10.9.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock='10.9.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
sg = ec2.create_security_group(VpcId=vpc, GroupName='legacy-web', Description='legacy web')['GroupId']
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{'IpProtocol': 'tcp', 'FromPort': 80, 'ToPort': 80, 'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])
elb = boto3.client('elbv2')
lb = elb.create_load_balancer(Name='legacy-web', Subnets=[subnet, subnet_b], SecurityGroups=[sg], Scheme='internal', Type='application')['LoadBalancers'][0]['LoadBalancerArn']
tg = elb.create_target_group(Name='legacy-app', Protocol='HTTP', Port=3000, VpcId=vpc, TargetType='ip')['TargetGroups'][0]['TargetGroupArn']
logs.create_log_group(logGroupName='/legacy/app')
logs.put_retention_policy(logGroupName='/legacy/app', retentionInDays=7)
trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'ecs-tasks.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}
iam.create_role(RoleName='legacy-exec', Path='/', AssumeRolePolicyDocument=json.dumps(trust))
ecs.create_cluster(clusterName='legacy')
boto3.client('ecr').create_repository(repositoryName='legacy-repo', imageScanningConfiguration={'scanOnPush': True})
print(json.dumps({'vpc.main': vpc, 'subnet.a': subnet, 'subnet.b': subnet_b, 'security_group.web': sg,
    'load_balancer.web': lb, 'target_group.app': tg,
    'log_group.app': '/legacy/app', 'role.exec': 'legacy-exec', 'cluster.main': 'legacy',
    'ecr_repository.repo': 'legacy-repo'}))
"#;

/// What is left of the adopted resources after destroy, on moto.
const LEFT: &str = r#"
import boto3, json, sys
ids = json.loads(sys.argv[1]) if len(sys.argv) > 1 else None
ec2 = boto3.client('ec2'); logs = boto3.client('logs'); iam = boto3.client('iam'); ecs = boto3.client('ecs')
left = []
left += [v['VpcId'] for v in ec2.describe_vpcs(Filters=[{'Name': 'cidr', 'Values': ['10.9.0.0/16']}])['Vpcs']]
left += [x['LoadBalancerName'] for x in boto3.client('elbv2').describe_load_balancers()['LoadBalancers'] if x['LoadBalancerName'] == 'legacy-web']
left += [x['TargetGroupName'] for x in boto3.client('elbv2').describe_target_groups()['TargetGroups'] if x['TargetGroupName'] == 'legacy-app']
left += [g['logGroupName'] for g in logs.describe_log_groups(logGroupNamePrefix='/legacy/')['logGroups']]
left += [r['RoleName'] for r in iam.list_roles()['Roles'] if r['RoleName'] == 'legacy-exec']
left += [c['clusterName'] for c in ecs.describe_clusters(clusters=['legacy'])['clusters'] if c['status'] == 'ACTIVE']
left += [r['repositoryName'] for r in boto3.client('ecr').describe_repositories()['repositories'] if r['repositoryName'] == 'legacy-repo']
print(json.dumps(left))
"#;

/// The three stacks in one temp dir; on the local cloud they share one
/// cloud file, as stacks share one AWS account.
struct Stacks {
    _tmp: tempfile::TempDir,
    app: PathBuf,
    second: PathBuf,
    outside: PathBuf,
    cloud_file: PathBuf,
}

fn stacks() -> Stacks {
    let tmp = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).expect("stack dir");
        std::fs::write(dir.join("main.berth"), text).expect("write");
        dir
    };
    let outside = APP
        .replace("stack \"adopter\"", "stack \"outside\"")
        .replace("retention_days = 14", "retention_days = 7");
    Stacks {
        app: write("app", APP),
        second: write("second", SECOND),
        outside: write("outside", &outside),
        cloud_file: tmp.path().join("cloud.json"),
        _tmp: tmp,
    }
}

impl Stacks {
    fn berth(&self, cloud: &Cloud, dir: &Path, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let file = self.cloud_file.display().to_string();
        if matches!(cloud, Cloud::Local) {
            all.extend(["--local-state", &file]);
        }
        cloud.berth(dir, &all)
    }

    /// The resources as another tool made them, by the address they are
    /// to be adopted at: the id `berth import` takes.
    fn made_outside(&self, cloud: &Cloud) -> BTreeMap<String, String> {
        match cloud {
            Cloud::Aws(moto) => serde_json::from_str(moto.python(MAKE).trim()).expect("ids"),
            Cloud::Local => {
                self.berth(cloud, &self.outside, &["apply", "--auto-approve"])
                    .expect_code(0);
                self.strip_outside_tags()
            }
        }
    }

    /// Removes berth's tags from the `outside` stack's records, leaving
    /// them as untagged resources of the account; returns their ids.
    fn strip_outside_tags(&self) -> BTreeMap<String, String> {
        let mut cloud = common::read_cloud(&self.cloud_file);
        let mut ids = BTreeMap::new();
        for r in cloud["resources"]
            .as_object_mut()
            .expect("resources")
            .values_mut()
        {
            if r["tags"]["berth:stack"] != "outside" {
                continue;
            }
            let address = r["tags"]["berth:address"].as_str().expect("address").to_owned();
            let field = match address.split('.').next() {
                Some("log_group" | "role" | "cluster" | "ecr_repository") => "name",
                Some("load_balancer" | "target_group") => "arn",
                _ => "id",
            };
            ids.insert(address, r["attrs"][field].as_str().expect("id").to_owned());
            let tags = r["tags"].as_object_mut().expect("tags");
            tags.remove("berth:stack");
            tags.remove("berth:address");
        }
        common::write_cloud(&self.cloud_file, &cloud);
        ids
    }

    /// What destroy left of the adopted resources.
    fn left(&self, cloud: &Cloud, ids: &BTreeMap<String, String>) -> Vec<String> {
        match cloud {
            Cloud::Aws(moto) => serde_json::from_str(moto.python(LEFT).trim()).expect("left"),
            Cloud::Local => {
                let file = common::read_cloud(&self.cloud_file);
                let all = file["resources"].as_object().expect("resources");
                ids.values()
                    .filter(|id| {
                        all.values()
                            .any(|r| ["id", "name", "arn"].iter().any(|f| r["attrs"][f] == id.as_str()))
                    })
                    .cloned()
                    .collect()
            }
        }
    }
}

#[track_caller]
fn refused(run: &Run, says: &str) {
    assert_eq!(run.code, Some(1), "should be refused:\n{}", run.all());
    assert!(run.stderr.contains(says), "should say {says:?}:\n{}", run.all());
}

#[test]
fn resources_made_outside_are_adopted_replan_clean_and_are_destroyed_on_both_clouds() {
    for cloud in Cloud::both() {
        let s = stacks();
        let ids = s.made_outside(&cloud);
        let import = |address: &str, extra: &[&str]| {
            let mut args = vec!["import", address, &ids[address]];
            args.extend(extra);
            s.berth(&cloud, &s.app, &args)
        };

        // A dry run says what it would tag and changes nothing.
        let dry = import("vpc.main", &["--dry-run"]);
        dry.expect_code(0);
        assert!(
            dry.stdout.contains("Would tag vpc")
                && dry.stdout.contains(r#"berth:address = "vpc.main""#)
                && dry.stdout.contains(r#"berth:stack = "adopter""#),
            "{}",
            dry.all()
        );
        let plan = json_plan(&s.berth(&cloud, &s.app, &["plan", "--format", "json"]));
        assert_eq!(
            json_actions(&plan)["vpc.main"].0,
            "create",
            "a dry run tagged:\n{plan}"
        );

        // A subnet whose VPC the stack would still create is replaced by
        // the next apply: refused, with what forces it.
        refused(&import("subnet.a", &[]), "would replace it (vpc");
        refused(
            &s.berth(&cloud, &s.app, &["import", "vpc.nope", "vpc-1"]),
            "no block at vpc.nope; its addresses: cluster.main, ecr_repository.repo, load_balancer.web, log_group.app, role.exec, security_group.web, subnet.a, subnet.b, target_group.app, vpc.main",
        );

        for address in [
            "vpc.main",
            "subnet.a",
            "subnet.b",
            "security_group.web",
            "load_balancer.web",
            "target_group.app",
            "log_group.app",
            "role.exec",
            "cluster.main",
            "ecr_repository.repo",
        ] {
            let run = import(address, &[]);
            run.expect_code(0);
            assert!(
                run.stdout.contains(&format!("as {address}: tagged")),
                "{}",
                run.all()
            );
        }
        // The one real difference is said at import, then by the plan.
        refused(
            &import("vpc.main", &[]),
            "already has a live resource at vpc.main",
        );
        let plan = s.berth(&cloud, &s.app, &["plan", "--format", "json"]);
        assert_eq!(
            json_actions(&json_plan(&plan)),
            BTreeMap::from([("log_group.app".to_owned(), common::act("update", None))]),
            "{}",
            plan.all()
        );

        // Another stack cannot take what this one owns; a kind not
        // supported yet is refused before anything is read.
        refused(
            &s.berth(&cloud, &s.second, &["import", "vpc.main", &ids["vpc.main"]]),
            r#"berth:stack = "adopter""#,
        );
        refused(
            &s.berth(
                &cloud,
                &s.second,
                &["import", "elastic_ip.nat", "eipalloc-0123456789abcdef0"],
            ),
            "not supported yet for elastic_ip",
        );

        s.berth(&cloud, &s.app, &["apply", "--auto-approve"])
            .expect_code(0);
        let again = s.berth(&cloud, &s.app, &["plan", "--detailed-exitcode"]);
        assert_eq!(again.code, Some(0), "not converged:\n{}", again.all());

        s.berth(&cloud, &s.app, &["destroy", "--auto-approve"])
            .expect_code(0);
        assert_eq!(s.left(&cloud, &ids), Vec::<String>::new());
    }
}

#[test]
fn a_missing_id_names_the_call_on_both_clouds() {
    for cloud in Cloud::both() {
        let s = stacks();
        refused(
            &s.berth(&cloud, &s.app, &["import", "role.exec", "no-such-role"]),
            "GetRole found no role \"no-such-role\"",
        );
        refused(
            &s.berth(&cloud, &s.app, &["import", "vpc.main", "vpc-0123456789abcdef0"]),
            "DescribeVpcs found no vpc",
        );
    }
}
