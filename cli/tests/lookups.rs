//! Lookups (`data` blocks) on both clouds: every data kind reads what
//! another tool made (boto3 on moto; on the local cloud another berth
//! stack, and certificates and zones listed in the cloud file), and
//! examples/split's app stack reads the network stack next door by its
//! berth tags: apply both, re-plan clean, destroy both leaving nothing;
//! without the network the app's plan fails at the lookup's block.

mod common;

use std::path::{Path, PathBuf};

use common::{Cloud, Run, copy_of, examples};
use serde_json::{Value, json};

/// Two stack directories in one temp dir; on the local cloud they share
/// one cloud file, as stacks share one AWS account.
struct Pair {
    _tmp: tempfile::TempDir,
    first: PathBuf,
    second: PathBuf,
    cloud_file: PathBuf,
}

impl Pair {
    fn new(first: &Path, second: &Path) -> Pair {
        let tmp = tempfile::tempdir().expect("temp dir");
        let copy = |from: &Path| {
            let project = copy_of(from);
            let dir = tmp.path().join(from.file_name().expect("named"));
            std::fs::create_dir(&dir).expect("dir");
            for entry in std::fs::read_dir(&project.dir).expect("copied") {
                let path = entry.expect("entry").path();
                std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
            }
            dir
        };
        Pair {
            first: copy(first),
            second: copy(second),
            cloud_file: tmp.path().join("cloud.json"),
            _tmp: tmp,
        }
    }

    /// Two stacks of one file each, `first` and `second` its text.
    fn written(first: &str, second: &str) -> Pair {
        let tmp = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| {
            let dir = tmp.path().join(name);
            std::fs::create_dir(&dir).expect("dir");
            std::fs::write(dir.join("main.berth"), text).expect("write");
            dir
        };
        Pair {
            first: write("first", first),
            second: write("second", second),
            cloud_file: tmp.path().join("cloud.json"),
            _tmp: tmp,
        }
    }

    fn berth(&self, cloud: &Cloud, dir: &Path, args: &[&str]) -> Run {
        cloud.berth_sharing(&self.cloud_file, dir, args)
    }

    /// Applies `dir` and checks that the next plan is clean.
    #[track_caller]
    fn converges(&self, cloud: &Cloud, dir: &Path, when: &str) {
        self.berth(cloud, dir, &["apply", "--auto-approve"])
            .expect_code(0);
        let plan = self.berth(cloud, dir, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "not clean after {when}:\n{}", plan.all());
    }
}

/// How many resources carry the `berth:stack` tag `stack`, counted from
/// outside berth.
fn owned(pair: &Pair, cloud: &Cloud, stack: &str) -> usize {
    match cloud {
        Cloud::Local => common::addresses(&common::read_cloud(&pair.cloud_file), stack).values().sum(),
        Cloud::Aws(moto) => moto
            .python(&format!(
                "import boto3\n\
                 tagging = boto3.client('resourcegroupstaggingapi')\n\
                 ec2 = boto3.client('ec2')\n\
                 f = [{{'Name': 'tag:berth:stack', 'Values': ['{stack}']}}]\n\
                 n = len(ec2.describe_vpcs(Filters=f)['Vpcs']) + len(ec2.describe_subnets(Filters=f)['Subnets'])\n\
                 n += len(ec2.describe_security_groups(Filters=f)['SecurityGroups'])\n\
                 n += len(ec2.describe_internet_gateways(Filters=f)['InternetGateways'])\n\
                 n += len(ec2.describe_route_tables(Filters=f)['RouteTables'])\n\
                 elb = boto3.client('elbv2')\n\
                 n += len(elb.describe_load_balancers()['LoadBalancers']) + len(elb.describe_target_groups()['TargetGroups'])\n\
                 ecs = boto3.client('ecs')\n\
                 n += len([c for c in ecs.describe_clusters(clusters=ecs.list_clusters()['clusterArns'])['clusters'] if c['status'] == 'ACTIVE'])\n\
                 print(n)\n"
            ))
            .trim()
            .parse()
            .expect("a count"),
    }
}

#[test]
fn the_split_example_reads_the_network_stack_on_both_clouds() {
    let split = examples().join("split");
    for cloud in Cloud::both() {
        let pair = Pair::new(&split.join("network"), &split.join("app"));
        let (network, app) = (&pair.first, &pair.second);

        // Without the network, the app's lookups find nothing: the plan
        // fails at the block, naming its filters.
        let plan = pair.berth(&cloud, app, &["plan"]);
        plan.expect_code(1);
        let err = plan.stderr.as_str();
        assert!(
            err.contains("error[E0596]: `data.vpc.network` matches no vpc"),
            "{err}"
        );
        assert!(err.contains("main.berth:11:1"), "{err}");
        assert!(
            err.contains("stack = \"network-dev\", address = \"vpc.main\""),
            "{err}"
        );

        pair.converges(&cloud, network, "the network");
        pair.converges(&cloud, app, "the app on the network");
        // The network stack is not touched by the app's lookups.
        let plan = pair.berth(&cloud, network, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());
        // The service runs in both of the network's subnets.
        let out = pair.berth(&cloud, app, &["plan", "--format", "json"]);
        out.expect_code(0);

        pair.berth(&cloud, app, &["destroy", "--auto-approve"])
            .expect_code(0);
        pair.berth(&cloud, network, &["destroy", "--auto-approve"])
            .expect_code(0);
        for stack in ["app-dev", "network-dev"] {
            assert_eq!(owned(&pair, &cloud, stack), 0, "{stack} left resources");
        }
    }
}

/// A Terragrunt-like layout run from each stack's directory: each has a
/// local cloud of its own, so the app's lookup of the network finds
/// nothing and says how to share one; `BERTH_LOCAL_STATE` shares it.
#[test]
fn stacks_in_their_own_directories_share_the_local_cloud_through_the_environment() {
    let split = examples().join("split");
    let pair = Pair::new(&split.join("network"), &split.join("app"));
    let (network, app) = (&pair.first, &pair.second);
    common::berth_in(network, &["apply", "--auto-approve"], &[], None).expect_code(0);
    let plan = common::berth_in(app, &["plan"], &[], None);
    plan.expect_code(1);
    assert!(
        plan.stderr.contains("each directory has its own cloud") && plan.stderr.contains("BERTH_LOCAL_STATE"),
        "{}",
        plan.stderr
    );

    let shared = pair.cloud_file.display().to_string();
    let env = [("BERTH_LOCAL_STATE", shared.as_str())];
    common::berth_in(network, &["apply", "--auto-approve"], &env, None).expect_code(0);
    common::berth_in(app, &["apply", "--auto-approve"], &env, None).expect_code(0);
    common::berth_in(app, &["plan", "--detailed-exitcode"], &env, None).expect_code(0);
    assert!(owned(&pair, &Cloud::Local, "app-dev") > 0);
}

/// `BERTH_LOCAL_STATE=` (set to nothing, as a script's unset variable
/// leaves it) is the directory's own cloud; every command failed with "a
/// value is required for '--local-state'", a flag no one passed.
#[test]
fn an_empty_local_state_variable_is_the_directorys_own_cloud() {
    let split = examples().join("split");
    let pair = Pair::new(&split.join("network"), &split.join("app"));
    let env = [("BERTH_LOCAL_STATE", "")];
    common::berth_in(&pair.first, &["apply", "--auto-approve"], &env, None).expect_code(0);
    assert!(pair.first.join(".berth").join("local-cloud.json").exists());
}

#[test]
fn destroy_does_not_need_the_lookups() {
    let split = examples().join("split");
    let cloud = Cloud::Local;
    let pair = Pair::new(&split.join("network"), &split.join("app"));
    pair.converges(&cloud, &pair.first, "the network");
    pair.converges(&cloud, &pair.second, "the app");
    // The network's VPC loses its tags: the app's lookup finds nothing, yet
    // the app can still be destroyed.
    let mut state = common::read_cloud(&pair.cloud_file);
    for r in state["resources"]
        .as_object_mut()
        .expect("resources")
        .values_mut()
    {
        if r["tags"]["berth:address"] == "vpc.main" {
            r["tags"].as_object_mut().expect("tags").clear();
        }
    }
    common::write_cloud(&pair.cloud_file, &state);
    pair.berth(&cloud, &pair.second, &["plan"]).expect_code(1);
    let destroy = pair.berth(&cloud, &pair.second, &["destroy", "--auto-approve"]);
    destroy.expect_code(0);
    assert!(
        destroy.stderr.contains("lookups could not all be read"),
        "{}",
        destroy.all()
    );
    assert_eq!(owned(&pair, &cloud, "app-dev"), 0);
}

/// The looked-up stack: every data kind, each used by a resource or an
/// output.
const READER: &str = r#"
stack "reader" { region = "us-east-1" }

data vpc legacy { tags = { Team = "legacy" } }
data vpc made {
  tags    = { Team = "legacy" }
  default = false
}
data subnet a { vpc = data.vpc.legacy  tags = { Tier = "a" } }
data subnets all { vpc = data.vpc.legacy }
data subnets in_b {
  vpc  = data.vpc.legacy
  zone = "us-east-1b"
}
data security_group web { vpc = data.vpc.legacy  name = "legacy-web" }
# EC2's filter wildcards.
data vpc wild { tags = { Team = "leg*" } }
data security_group wild { vpc = data.vpc.wild  name = "legacy-w?b" }
data certificate site { domain = "shop.example.com" }
data hosted_zone shop { name = "shop.example.com" }

security_group app {
  vpc         = data.vpc.legacy
  description = "App tasks in the legacy VPC"
  ingress { port = 8080  from = data.security_group.web }
}

output vpc { value = data.vpc.legacy.id }
output cidr { value = data.vpc.legacy.cidr }
output subnet { value = data.subnet.a }
output zone { value = data.subnet.a.zone }
output subnets { value = data.subnets.all.ids }
output in_b { value = data.subnets.in_b.ids }
output made { value = data.vpc.made }
output group { value = data.security_group.web.id }
output wild_group { value = data.security_group.wild }
output certificate { value = data.certificate.site }
output zone_id { value = data.hosted_zone.shop.id }
output zone_name { value = data.hosted_zone.shop.name }
"#;

/// What another berth stack makes on the local cloud for the reader.
const LEGACY: &str = r#"
stack "legacy" { region = "us-east-1" }
vpc main {
  cidr = "10.9.0.0/16"
  tags = { Team = "legacy" }
}
subnet a {
  vpc  = vpc.main
  cidr = "10.9.1.0/24"
  zone = "us-east-1a"
  tags = { Tier = "a" }
}
subnet b {
  vpc  = vpc.main
  cidr = "10.9.2.0/24"
  zone = "us-east-1b"
}
security_group web {
  vpc  = vpc.main
  name = "legacy-web"
  description = "legacy web"
}
"#;

/// The same on moto, made with boto3; prints the ids.
const MAKE: &str = r#"
import boto3, json, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
ec2 = boto3.client('ec2')
vpc = ec2.create_vpc(CidrBlock='10.9.0.0/16', TagSpecifications=[{'ResourceType': 'vpc', 'Tags': [{'Key': 'Team', 'Value': 'legacy'}]}])['Vpc']['VpcId']
a = ec2.create_subnet(VpcId=vpc, CidrBlock='10.9.1.0/24', AvailabilityZone='us-east-1a', TagSpecifications=[{'ResourceType': 'subnet', 'Tags': [{'Key': 'Tier', 'Value': 'a'}]}])['Subnet']['SubnetId']
b = ec2.create_subnet(VpcId=vpc, CidrBlock='10.9.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
sg = ec2.create_security_group(VpcId=vpc, GroupName='legacy-web', Description='legacy web')['GroupId']
def cert(days):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'shop.example.com')])
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    c = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName('shop.example.com')]), critical=False)
        .sign(key, hashes.SHA256()))
    pem = c.public_bytes(serialization.Encoding.PEM)
    k = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    return boto3.client('acm').import_certificate(Certificate=pem, PrivateKey=k)['CertificateArn']
cert(30)
newest = cert(0)
zone = boto3.client('route53').create_hosted_zone(Name='shop.example.com', CallerReference='shop')['HostedZone']['Id']
boto3.client('route53').create_hosted_zone(Name='other.example.com', CallerReference='other')
print(json.dumps({'vpc': vpc, 'a': a, 'b': b, 'sg': sg, 'certificate': newest, 'zone': zone.split('/')[-1]}))
"#;

/// Ids of what the reader looks up, as made on `cloud`.
fn make_legacy(pair: &Pair, cloud: &Cloud) -> Value {
    match cloud {
        Cloud::Aws(moto) => serde_json::from_str(moto.python(MAKE).trim()).expect("ids"),
        Cloud::Local => {
            std::fs::write(pair.first.join("main.berth"), LEGACY).expect("write");
            pair.berth(cloud, &pair.first, &["apply", "--auto-approve"])
                .expect_code(0);
            let mut state = common::read_cloud(&pair.cloud_file);
            let newest = "arn:aws:acm:us-east-1:123456789012:certificate/new";
            state["certificates"] = json!([
                {"arn": "arn:aws:acm:us-east-1:123456789012:certificate/old", "region": "us-east-1",
                 "domain": "shop.example.com", "status": "ISSUED", "issued": "2026-01-01T00:00:00Z"},
                {"arn": newest, "region": "us-east-1",
                 "domain": "shop.example.com", "status": "ISSUED", "issued": "2026-06-01T00:00:00Z"},
                {"arn": "arn:aws:acm:us-east-1:123456789012:certificate/pending", "region": "us-east-1",
                 "domain": "shop.example.com", "status": "PENDING_VALIDATION", "issued": "2026-09-01T00:00:00Z"},
            ]);
            state["hosted_zones"] = json!([
                {"id": "Z0SHOP", "name": "shop.example.com.", "private": false},
                {"id": "Z0OTHER", "name": "other.example.com.", "private": false},
            ]);
            common::write_cloud(&pair.cloud_file, &state);
            let id = |address: &str| {
                state["resources"]
                    .as_object()
                    .expect("resources")
                    .values()
                    .find(|r| r["tags"]["berth:address"] == address)
                    .map(|r| r["attrs"]["id"].clone())
                    .expect("made")
            };
            json!({"vpc": id("vpc.main"), "a": id("subnet.a"), "b": id("subnet.b"),
                   "sg": id("security_group.web"), "certificate": newest, "zone": "Z0SHOP"})
        }
    }
}

#[test]
fn every_data_kind_reads_what_another_tool_made_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        for name in ["legacy", "reader"] {
            std::fs::create_dir(tmp.path().join(name)).expect("dir");
        }
        std::fs::write(tmp.path().join("reader/main.berth"), READER).expect("write");
        let pair = Pair::new(&tmp.path().join("legacy"), &tmp.path().join("reader"));
        std::fs::write(pair.second.join("main.berth"), READER).expect("write");
        let ids = make_legacy(&pair, &cloud);

        pair.converges(&cloud, &pair.second, "the reader");
        let out = pair.berth(&cloud, &pair.second, &["output", "--format", "json"]);
        out.expect_code(0);
        let parsed: Value = serde_json::from_str(&out.stdout).expect("json");
        let outputs = &parsed["outputs"];
        let mut subnets = vec![ids["a"].clone(), ids["b"].clone()];
        subnets.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
        let value = |name: &str| outputs[name]["value"].clone();
        assert_eq!(value("vpc"), ids["vpc"]);
        assert_eq!(value("cidr"), "10.9.0.0/16");
        assert_eq!(value("subnet"), ids["a"]);
        assert_eq!(value("zone"), "us-east-1a");
        assert_eq!(value("subnets"), Value::Array(subnets));
        assert_eq!(value("in_b"), json!([ids["b"]]), "the subnet in that zone");
        assert_eq!(value("made"), ids["vpc"], "not the default VPC");
        assert_eq!(value("group"), ids["sg"]);
        assert_eq!(value("wild_group"), ids["sg"], "found by `leg*` and `legacy-w?b`");
        assert_eq!(value("certificate"), ids["certificate"], "the newest issued one");
        assert_eq!(value("zone_id"), ids["zone"]);
        // As Terraform's provider gives it: a certificate or a record
        // named after the zone had `shop.example.com.` (E0638).
        assert_eq!(value("zone_name"), "shop.example.com");

        // The region's default VPC, as Terraform's `default = true` finds
        // it: moto's account has one, and so has the simulated account.
        let default = tmp.path().join("default");
        std::fs::create_dir(&default).expect("dir");
        std::fs::write(
            default.join("main.berth"),
            "stack \"default\" { region = \"us-east-1\" }\n\
             data vpc default { default = true }\n\
             output cidr { value = data.vpc.default.cidr }\n\
             data \"aws_subnets\" \"public\" {\n\
               filter {\n    name   = \"default-for-az\"\n    values = [\"true\"]\n  }\n\
               filter {\n    name   = \"map-public-ip-on-launch\"\n    values = [\"true\"]\n  }\n\
             }\n\
             data subnets private {\n  vpc = data.vpc.default.id\n  public = false\n}\n\
             output public { value = length(data.aws_subnets.public.ids) }\n\
             output private { value = length(data.subnets.private.ids) }\n",
        )
        .expect("write");
        let found = pair.berth(&cloud, &default, &["output", "--format", "json"]);
        found.expect_code(0);
        assert!(found.stdout.contains("172.31.0.0/16"), "{}", found.all());
        // EC2's `default-for-az` and `map-public-ip-on-launch` filters
        // (E0211 before): the default VPC's subnets, one a zone, all public.
        let outputs: Value = serde_json::from_str(&found.stdout).expect("json");
        let public = outputs["outputs"]["public"]["value"].as_i64().unwrap_or_default();
        assert!(public >= 2, "{}", found.stdout);
        assert_eq!(outputs["outputs"]["private"]["value"], 0, "{}", found.stdout);

        // Destroying the reader leaves what it looked up, untagged.
        pair.berth(&cloud, &pair.second, &["destroy", "--auto-approve"])
            .expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let left = moto.python(&format!(
                "import boto3\nec2 = boto3.client('ec2')\n\
                 print(len(ec2.describe_security_groups(Filters=[{{'Name': 'vpc-id', 'Values': ['{}']}}])['SecurityGroups']),\n\
                       len(ec2.describe_vpcs(Filters=[{{'Name': 'tag-key', 'Values': ['berth:stack']}}])['Vpcs']))\n",
                ids["vpc"].as_str().expect("id")
            ));
            // The default group and legacy-web stay; nothing was tagged.
            assert_eq!(left.trim(), "2 0", "{left}");
        }
    }
}

/// The reader above as Terraform writes it: `data "aws_route53_zone"`
/// and `"aws_acm_certificate"` types, EC2's `filter { name  values }`
/// blocks (`tag:KEY`, `vpc-id`, `availability-zone`, `group-name`),
/// Terraform's arguments (`vpc_id`, `private_zone`, `most_recent`) and
/// attributes (`cidr_block`, `availability_zone`, `zone_id`).
const TERRAFORM_READER: &str = r#"
stack "reader" { region = "us-east-1" }

data vpc legacy {
  filter {
    name   = "tag:Team"
    values = ["legacy"]
  }
}
data subnet a {
  vpc_id = data.vpc.legacy.id
  filter {
    name   = "tag:Tier"
    values = ["a"]
  }
}
data subnets all {
  filter {
    name   = "vpc-id"
    values = [data.vpc.legacy.id]
  }
}
data subnets in_b {
  filter {
    name   = "vpc-id"
    values = [data.vpc.legacy.id]
  }
  filter {
    name   = "availability-zone"
    values = ["us-east-1b"]
  }
}
data security_group web {
  vpc_id = data.vpc.legacy.id
  filter {
    name   = "group-name"
    values = ["legacy-web"]
  }
}
data acm_certificate site {
  domain      = "shop.example.com"
  most_recent = true
}
data route53_zone shop {
  name         = "shop.example.com"
  private_zone = false
}

output vpc { value = data.vpc.legacy.id }
output cidr { value = data.vpc.legacy.cidr_block }
output subnet { value = data.subnet.a.id }
output zone { value = data.subnet.a.availability_zone }
output subnets { value = data.subnets.all.ids }
output in_b { value = data.subnets.in_b.ids }
output group { value = data.security_group.web.id }
output certificate { value = data.acm_certificate.site.arn }
output zone_id { value = data.route53_zone.shop.zone_id }
output zone_name { value = data.route53_zone.shop.name }
"#;

#[test]
fn terraforms_data_sources_read_what_another_tool_made_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        for name in ["legacy", "reader"] {
            std::fs::create_dir(tmp.path().join(name)).expect("dir");
        }
        let pair = Pair::new(&tmp.path().join("legacy"), &tmp.path().join("reader"));
        std::fs::write(pair.second.join("main.berth"), TERRAFORM_READER).expect("write");
        let ids = make_legacy(&pair, &cloud);

        pair.converges(&cloud, &pair.second, "the reader");
        let out = pair.berth(&cloud, &pair.second, &["output", "--format", "json"]);
        out.expect_code(0);
        let parsed: Value = serde_json::from_str(&out.stdout).expect("json");
        let value = |name: &str| parsed["outputs"][name]["value"].clone();
        let mut subnets = vec![ids["a"].clone(), ids["b"].clone()];
        subnets.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
        assert_eq!(value("vpc"), ids["vpc"]);
        assert_eq!(value("cidr"), "10.9.0.0/16");
        assert_eq!(value("subnet"), ids["a"]);
        assert_eq!(value("zone"), "us-east-1a");
        assert_eq!(value("subnets"), Value::Array(subnets));
        assert_eq!(value("in_b"), json!([ids["b"]]));
        assert_eq!(value("group"), ids["sg"]);
        assert_eq!(value("certificate"), ids["certificate"]);
        assert_eq!(value("zone_id"), ids["zone"]);
        // As Terraform's provider gives it: a certificate or a record
        // named after the zone had `shop.example.com.` (E0638).
        assert_eq!(value("zone_name"), "shop.example.com");
        pair.berth(&cloud, &pair.second, &["destroy", "--auto-approve"])
            .expect_code(0);
    }
}

/// `data ssm_parameter` (Terraform's `data "aws_ssm_parameter"`): one
/// stack publishes its VPC's id and a password in SSM, another reads them
/// by name. The id is plain in plans; the password (a `SecureString`) and
/// what reads it are `(sensitive)` in every format, and the reading stack
/// applies and re-plans clean, on both clouds. A parameter nobody made is
/// the lookup's located error.
#[test]
fn ssm_parameters_another_stack_publishes_are_read_by_name_on_both_clouds() {
    const NETWORK: &str = r#"stack "network" { region = "us-east-1" }
vpc main { cidr = "10.20.0.0/16" }
ssm_parameter vpc_id {
  name  = "/network/vpc_id"
  value = vpc.main.id
}
ssm_parameter password {
  name  = "/network/db_password"
  type  = "SecureString"
  value = "CANARY-s3cr3t"
}
"#;
    const APP: &str = r#"stack "app" { region = "us-east-1" }
data ssm_parameter vpc { name = "/network/vpc_id" }
data ssm_parameter password { name = "/network/db_password" }
security_group app {
  vpc         = data.ssm_parameter.vpc.value
  description = "reads ${data.ssm_parameter.password.value}"
}
"#;
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (network, app) = (tmp.path().join("network"), tmp.path().join("app"));
        std::fs::create_dir(&network).expect("dir");
        std::fs::create_dir(&app).expect("dir");
        std::fs::write(network.join("main.berth"), NETWORK).expect("write");
        std::fs::write(app.join("main.berth"), APP).expect("write");
        let shared = tmp.path().join("cloud.json");
        let berth = |dir: &Path, args: &[&str]| cloud.berth_sharing(&shared, dir, args);

        let missing = berth(&app, &["plan"]);
        assert_eq!(missing.code, Some(1), "{}", missing.all());
        assert!(
            missing.stderr.contains("matches no ssm_parameter"),
            "{}",
            missing.all()
        );

        berth(&network, &["apply", "--auto-approve"]).expect_code(0);
        for format in ["text", "markdown", "json"] {
            let plan = berth(&app, &["plan", "--format", format]);
            plan.expect_code(0);
            assert!(
                !plan.all().contains("CANARY"),
                "{format} shows the secret:\n{}",
                plan.all()
            );
            assert!(
                plan.stdout.contains("vpc-"),
                "{format}: the VPC id is plain:\n{}",
                plan.stdout
            );
        }
        let apply = berth(&app, &["apply", "--auto-approve"]);
        apply.expect_code(0);
        assert!(!apply.all().contains("CANARY"), "{}", apply.all());
        let plan = berth(&app, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());
        berth(&app, &["destroy", "--auto-approve"]).expect_code(0);
        berth(&network, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Terraform's `aws_caller_identity`, `aws_region` and `aws_partition`,
/// as ported stacks build ARNs from them.
#[test]
fn the_caller_region_and_partition_build_arns_on_both_clouds() {
    const STACK: &str = r#"stack "context" { region = "eu-west-1" }
data caller_identity current {}
data region current {}
data partition current {}
log_group app {
  name = "/app/${data.region.current.name}/${data.caller_identity.current.account_id}"
}
output parameters {
  value = "arn:${data.partition.current.partition}:ssm:${data.region.current.region}:${data.caller_identity.current.id}:parameter/app/*"
}
output caller { value = data.caller_identity.current.arn }
"#;
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("main.berth"), STACK).expect("write the stack");
        let plan = cloud.berth(tmp.path(), &["plan"]);
        plan.expect_code(0);
        assert!(
            plan.stdout.contains(r#"name = "/app/eu-west-1/123456789012""#),
            "{}",
            plan.all()
        );
        cloud.converges(tmp.path(), "the first apply");
        let run = cloud.berth(tmp.path(), &["output", "--format", "json"]);
        run.expect_code(0);
        let outputs: Value = serde_json::from_str(&run.stdout).expect("JSON outputs");
        let value = |name: &str| {
            outputs["outputs"][name]["value"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(
            value("parameters"),
            "arn:aws:ssm:eu-west-1:123456789012:parameter/app/*",
            "{outputs:#}"
        );
        let caller = value("caller");
        assert!(
            caller.starts_with("arn:aws:") && caller.contains(":123456789012:"),
            "{outputs:#}"
        );
    }
}

/// A platform team's stack holds the cluster, the execution role, the load
/// balancer and its target group; a service team's stack runs its service
/// on them, found by name as Terraform's `data "aws_iam_role"` and
/// `aws_lb_target_group` find them, and the cluster and load balancer
/// (named by berth) by the platform stack's tags, as CloudFormation's
/// `Fn::ImportValue` finds a platform stack's exports. Both apply and
/// re-plan clean, and destroy leaving nothing, on both clouds.
#[test]
fn a_service_runs_on_a_platform_stacks_cluster_role_and_target_group_on_both_clouds() {
    const PLATFORM: &str = r#"stack "platform" { region = "us-east-1" }
vpc main { cidr = "10.40.0.0/16" }
subnet public {
  for_each = { "us-east-1a" = 1, "us-east-1b" = 2 }
  vpc      = vpc.main
  cidr     = cidrsubnet(vpc.main.cidr, 8, each.value)
  zone     = each.key
  public   = true
}
internet_gateway main { vpc = vpc.main }
route_table public {
  vpc     = vpc.main
  subnets = subnet.public
  route { cidr = "0.0.0.0/0"  gateway = internet_gateway.main }
}
security_group alb {
  vpc         = vpc.main
  description = "Public HTTP"
  ingress { port = 80  cidr = "0.0.0.0/0" }
}
load_balancer shared {
  subnets         = subnet.public
  security_groups = [security_group.alb]
}
target_group orders {
  name        = "platform-orders"
  vpc         = vpc.main
  port        = 8080
  target_type = "ip"
}
listener http {
  load_balancer = load_balancer.shared
  port          = 80
  default       = target_group.orders
}
cluster shared {}
role exec {
  name     = "platformTaskExecution"
  assume   = "ecs-tasks.amazonaws.com"
  policies = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
}
"#;
    const SERVICE: &str = r#"stack "orders" { region = "us-east-1" }
data vpc platform {
  stack   = "platform"
  address = "vpc.main"
}
data subnets public {
  stack   = "platform"
  address = "subnet.public"
}
data cluster shared {
  stack   = "platform"
  address = "cluster.shared"
}
data role exec { name = "platformTaskExecution" }
data load_balancer shared {
  stack   = "platform"
  address = "load_balancer.shared"
}
data target_group orders { name = "platform-orders" }
security_group orders {
  vpc         = data.vpc.platform
  description = "Orders tasks"
  ingress { port = data.target_group.orders.port  cidr = "10.40.0.0/16" }
}
log_group orders { retention_days = 7 }
task_definition orders {
  cpu            = 256
  memory         = 512
  execution_role = data.role.exec
  container app {
    image = "public.ecr.aws/nginx/nginx:1.27"
    port  = 8080
    logs  = log_group.orders
  }
}
service orders {
  cluster         = data.cluster.shared
  task_definition = task_definition.orders
  desired_count   = 1
  subnets         = data.subnets.public.ids
  security_groups = [security_group.orders]
  public_ip       = true
  load_balancer { target_group = data.target_group.orders  container = "app"  port = 8080 }
}
output url { value = "http://${data.load_balancer.shared.dns_name}/" }
output cluster { value = data.cluster.shared.name }
output suffixes { value = "${data.load_balancer.shared.arn_suffix} ${data.target_group.orders.arn_suffix}" }
output same_vpc { value = data.load_balancer.shared.vpc == data.vpc.platform.id }
"#;
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (platform, service) = (tmp.path().join("platform"), tmp.path().join("orders"));
        for (dir, text) in [(&platform, PLATFORM), (&service, SERVICE)] {
            std::fs::create_dir(dir).expect("dir");
            std::fs::write(dir.join("main.berth"), text).expect("write");
        }
        let shared = tmp.path().join("cloud.json");
        let berth = |dir: &Path, args: &[&str]| cloud.berth_sharing(&shared, dir, args);

        let missing = berth(&service, &["plan"]);
        assert_eq!(missing.code, Some(1), "{}", missing.all());
        assert!(missing.stderr.contains("matches no cluster"), "{}", missing.all());

        for dir in [&platform, &service] {
            berth(dir, &["apply", "--auto-approve"]).expect_code(0);
            let plan = berth(dir, &["plan", "--detailed-exitcode"]);
            assert_eq!(plan.code, Some(0), "{}", plan.all());
        }
        let out = berth(&service, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: Value = serde_json::from_str(&out.stdout).expect("JSON outputs");
        assert_eq!(
            outputs["outputs"]["cluster"]["value"], "platform-shared",
            "{outputs:#}"
        );
        let url = outputs["outputs"]["url"]["value"].as_str().unwrap_or_default();
        assert!(url.starts_with("http://platform-shared-"), "{outputs:#}");
        // Terraform's data sources' `arn_suffix` (E0593 before), what
        // CloudWatch's ELB metrics name them by.
        let suffixes = outputs["outputs"]["suffixes"]["value"]
            .as_str()
            .unwrap_or_default();
        let (lb, group) = suffixes.split_once(' ').unwrap_or_default();
        assert!(
            lb.starts_with("app/platform-shared-") && lb.split('/').count() == 3,
            "{suffixes}"
        );
        assert!(group.starts_with("targetgroup/platform-orders/"), "{suffixes}");
        // Terraform's `data.aws_lb.x.vpc_id` (E0593 before): lesscode's
        // service root finds its VPC through the shared load balancer.
        assert_eq!(outputs["outputs"]["same_vpc"]["value"], true, "{outputs:#}");

        // The service goes first, while its lookups still find the platform.
        berth(&service, &["destroy", "--auto-approve"]).expect_code(0);
        assert_eq!(owned_by(&cloud, &shared, &service, "orders"), 0);
        berth(&platform, &["destroy", "--auto-approve"]).expect_code(0);
        assert_eq!(owned_by(&cloud, &shared, &platform, "platform"), 0);
    }
}

/// `plan` of a stack whose lookups find nothing yet: it fails, naming each
/// lookup kind of `kinds`.
#[track_caller]
fn matches_none(plan: &Run, kinds: &[&str]) {
    assert_eq!(plan.code, Some(1), "{}", plan.all());
    for what in kinds {
        assert!(
            plan.stderr.contains(&format!("matches no {what}")),
            "{what}:\n{}",
            plan.all()
        );
    }
}

/// How many resources the plan of `dir` finds of its stack `stack` (none
/// after a destroy: a plan creates everything again).
fn owned_by(cloud: &Cloud, shared: &Path, dir: &Path, stack: &str) -> usize {
    let run = cloud.berth_sharing(shared, dir, &["plan", "--format", "json"]);
    let plan = common::json_plan(&run);
    let kept = plan["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|r| r["action"] != "create")
        .count();
    assert!(run.stdout.contains(stack), "{}", run.all());
    kept
}

/// Terraform's `aws_iam_policy`, `aws_ecr_repository`,
/// `aws_secretsmanager_secret` (and `_version`, read for the secret's
/// ARN), `aws_ecs_task_definition` and
/// `aws_elb_service_account` lookups, as container stacks write them: a
/// shared stack's repository, secret, task definition and policy, and
/// AWS's managed policies by ARN and by name, read by another stack that
/// applies and re-plans clean on both clouds.
#[test]
fn policies_repositories_secrets_and_task_definitions_are_looked_up_on_both_clouds() {
    const SHARED: &str = r#"stack "shared" { region = "us-east-1" }
ecr_repository app { name = "shared-app" }
secret db {
  name  = "shared/db"
  value = "CANARY-s3cr3t"
}
managed_policy read {
  name   = "shared-read"
  policy = { Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] }
}
task_definition worker {
  family = "shared-worker"
  cpu    = 256
  memory = 512
  container worker { image = "busybox" }
}
"#;
    const APP: &str = r#"stack "app" { region = "us-east-1" }
data iam_policy exec { arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }
data iam_policy ssm { name = "AmazonSSMManagedInstanceCore" }
data iam_policy read { name = "shared-read" }
data ecr_repository app { name = "shared-app" }
data secretsmanager_secret db { name = "shared/db" }
data secretsmanager_secret_version db {
  secret_id     = data.secretsmanager_secret.db.id
  version_stage = "AWSCURRENT"
}
data "aws_secretsmanager_secret_version" "token" {
  secret_id     = "shared/db"
  version_stage = "AWSCURRENT"
}
data ecs_task_definition worker { task_definition = "shared-worker" }
data elb_service_account main {}

iam_role exec {
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
  managed_policy_arns = [data.iam_policy.exec.arn, data.iam_policy.ssm.arn, data.iam_policy.read.arn]
}

task_definition app {
  cpu            = 256
  memory         = 512
  execution_role = iam_role.exec
  container app {
    image   = "${data.ecr_repository.app.repository_url}:1"
    secrets = {
      DB_PASSWORD = data.secretsmanager_secret.db.arn
      DB_VERSION  = data.secretsmanager_secret_version.db.arn
      TOKEN       = data.aws_secretsmanager_secret_version.token.arn
    }
  }
}

output secret_id { value = data.secretsmanager_secret.db.id }
output token { value = data.secretsmanager_secret_version.token.arn }

output elb { value = data.elb_service_account.main.arn }
output worker { value = "${data.ecs_task_definition.worker.family}:${data.ecs_task_definition.worker.revision}" }
output exec_path { value = data.iam_policy.exec.path }
"#;
    for cloud in Cloud::both() {
        let pair = Pair::written(SHARED, APP);
        let (shared, app) = (pair.first.clone(), pair.second.clone());
        let berth = |dir: &Path, args: &[&str]| pair.berth(&cloud, dir, args);

        matches_none(
            &berth(&app, &["plan"]),
            &["ecr_repository", "secret", "task_definition", "managed_policy"],
        );

        berth(&shared, &["apply", "--auto-approve"]).expect_code(0);
        let apply = berth(&app, &["apply", "--auto-approve"]);
        apply.expect_code(0);
        assert!(!apply.all().contains("CANARY"), "{}", apply.all());
        let plan = berth(&app, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());
        let out = berth(&app, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: Value = serde_json::from_str(&out.stdout).expect("outputs JSON");
        assert_eq!(
            outputs["outputs"]["elb"]["value"],
            "arn:aws:iam::127311923021:root"
        );
        assert_eq!(outputs["outputs"]["worker"]["value"], "shared-worker:1");
        assert_eq!(outputs["outputs"]["exec_path"]["value"], "/service-role/");
        // A version lookup by the secret's name reads the secret's ARN, as
        // Terraform's `id` of the secret is.
        let token = outputs["outputs"]["token"]["value"].as_str().expect("token");
        assert!(token.starts_with("arn:aws:secretsmanager:us-east-1:"), "{token}");
        assert_eq!(outputs["outputs"]["secret_id"]["value"], token);

        berth(&app, &["destroy", "--auto-approve"]).expect_code(0);
        berth(&shared, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// Terraform's `aws_service_discovery_dns_namespace`,
/// `aws_service_discovery_http_namespace` and `aws_sns_topic` lookups, as
/// a service stack reads a platform's namespaces and alarm topic: it
/// registers in the private namespace, notifies the topic, and re-plans
/// clean on both clouds. It was "unknown lookup" (E0581).
#[test]
fn namespaces_and_topics_are_looked_up_on_both_clouds() {
    const SHARED: &str = r#"stack "shared" { region = "us-east-1" }
vpc main {
  cidr          = "10.9.0.0/16"
  dns_hostnames = true
}
dns_namespace internal {
  name = "shared.internal"
  vpc  = vpc.main
}
dns_namespace mesh {
  name = "shared-mesh"
  type = "HTTP"
}
sns_topic alarms { name = "shared-alarms" }
"#;
    const APP: &str = r#"stack "app" { region = "us-east-1" }
data "aws_service_discovery_dns_namespace" "internal" {
  name = "shared.internal"
  type = "DNS_PRIVATE"
}
data "aws_service_discovery_http_namespace" "mesh" { name = "shared-mesh" }
data "aws_sns_topic" "alarms" { name = "shared-alarms" }

resource "aws_service_discovery_service" "api" {
  name = "api"
  dns_config {
    namespace_id = data.aws_service_discovery_dns_namespace.internal.id
    dns_records {
      ttl  = 10
      type = "A"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "app-cpu"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 1
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [data.aws_sns_topic.alarms.arn]
}

output zone { value = data.aws_service_discovery_dns_namespace.internal.hosted_zone }
output mesh { value = data.aws_service_discovery_http_namespace.mesh.arn }
output mesh_type { value = data.aws_service_discovery_http_namespace.mesh.type }
output topic { value = data.aws_sns_topic.alarms.arn }
"#;
    for cloud in Cloud::both() {
        let pair = Pair::written(SHARED, APP);
        let (shared, app) = (pair.first.clone(), pair.second.clone());
        let berth = |dir: &Path, args: &[&str]| pair.berth(&cloud, dir, args);

        matches_none(&berth(&app, &["plan"]), &["dns_namespace", "sns_topic"]);

        berth(&shared, &["apply", "--auto-approve"]).expect_code(0);
        berth(&app, &["apply", "--auto-approve"]).expect_code(0);
        let plan = berth(&app, &["plan", "--detailed-exitcode"]);
        assert_eq!(plan.code, Some(0), "{}", plan.all());
        let out = berth(&app, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: Value = serde_json::from_str(&out.stdout).expect("outputs JSON");
        let value = |name: &str| {
            outputs["outputs"][name]["value"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        // The zone's id as Route 53 takes it, without `/hostedzone/`.
        let zone = value("zone");
        assert!(!zone.is_empty() && !zone.contains('/'), "{outputs:#}");
        assert!(value("mesh").contains(":servicediscovery:"), "{outputs:#}");
        assert_eq!(value("mesh_type"), "HTTP");
        assert!(value("topic").ends_with(":shared-alarms"), "{outputs:#}");

        berth(&app, &["destroy", "--auto-approve"]).expect_code(0);
        berth(&shared, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
