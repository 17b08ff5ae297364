//! `berth import ADDRESS ID [DIR]`: resources made outside berth (boto3 on
//! moto; on the local cloud, another stack's resources with their berth
//! tags stripped from the cloud file, as the console would leave them) are
//! adopted one by one, refused when they do not match or are owned
//! already; the next plan shows only the real difference, apply converges
//! and destroy removes them. Both clouds.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Cloud, Run, json_actions, json_plan};

const APP: &str = include_str!("adopt/app.berth");
const SECOND: &str = include_str!("adopt/second.berth");
const SERVICES: &str = include_str!("adopt/services.berth");
const DNS: &str = include_str!("adopt/dns.berth");

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

/// A service made outside berth on moto, as `services.berth` describes it
/// but running one task; ids printed as JSON by the address they are to
/// be adopted at.
const MAKE_SERVICES: &str = r#"
import boto3, json
ec2 = boto3.client('ec2'); elb = boto3.client('elbv2'); ecs = boto3.client('ecs'); sd = boto3.client('servicediscovery')
vpc = ec2.create_vpc(CidrBlock='10.8.0.0/16')['Vpc']['VpcId']
a = ec2.create_subnet(VpcId=vpc, CidrBlock='10.8.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']
b = ec2.create_subnet(VpcId=vpc, CidrBlock='10.8.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']
igw = ec2.create_internet_gateway()['InternetGateway']['InternetGatewayId']
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rt = ec2.create_route_table(VpcId=vpc)['RouteTable']['RouteTableId']
ec2.create_route(RouteTableId=rt, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
for s in (a, b):
    ec2.associate_route_table(RouteTableId=rt, SubnetId=s)
eip = ec2.allocate_address(Domain='vpc')['AllocationId']
nat = ec2.create_nat_gateway(SubnetId=a, AllocationId=eip)['NatGateway']['NatGatewayId']
vpce = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName='com.amazonaws.us-east-1.s3', VpcEndpointType='Gateway', RouteTableIds=[rt])['VpcEndpoint']['VpcEndpointId']
sg = ec2.create_security_group(VpcId=vpc, GroupName='legacy-lb', Description='legacy lb')['GroupId']
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{'IpProtocol': 'tcp', 'FromPort': 80, 'ToPort': 80, 'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])
lb = elb.create_load_balancer(Name='legacy-lb', Subnets=[a, b], SecurityGroups=[sg], Scheme='internet-facing', Type='application')['LoadBalancers'][0]['LoadBalancerArn']
tg = {n: elb.create_target_group(Name='legacy-' + n, Protocol='HTTP', Port=80, VpcId=vpc, TargetType='ip')['TargetGroups'][0]['TargetGroupArn'] for n in ('web', 'api')}
listener = elb.create_listener(LoadBalancerArn=lb, Protocol='HTTP', Port=80, DefaultActions=[{'Type': 'forward', 'TargetGroupArn': tg['web']}])['Listeners'][0]['ListenerArn']
elb.create_rule(ListenerArn=listener, Priority=10, Conditions=[{'Field': 'path-pattern', 'Values': ['/api/*']}], Actions=[{'Type': 'forward', 'TargetGroupArn': tg['api']}])
ecs.create_cluster(clusterName='legacy-svc')
td = ecs.register_task_definition(family='legacy-web', requiresCompatibilities=['FARGATE'], networkMode='awsvpc', cpu='256', memory='512',
    containerDefinitions=[{'name': 'web', 'image': 'nginx:1.27', 'essential': True, 'portMappings': [{'containerPort': 80, 'protocol': 'tcp'}]}])['taskDefinition']
op = sd.create_private_dns_namespace(Name='legacy.local', Vpc=vpc)['OperationId']
ns = sd.get_operation(OperationId=op)['Operation']['Targets']['NAMESPACE']
srv = sd.create_service(Name='web', NamespaceId=ns, DnsConfig={'DnsRecords': [{'Type': 'A', 'TTL': 60}], 'RoutingPolicy': 'MULTIVALUE'})['Service']
ecs.create_service(cluster='legacy-svc', serviceName='site', taskDefinition=td['taskDefinitionArn'], desiredCount=1, launchType='FARGATE',
    networkConfiguration={'awsvpcConfiguration': {'subnets': [a, b], 'securityGroups': [sg], 'assignPublicIp': 'ENABLED'}},
    loadBalancers=[{'targetGroupArn': tg['web'], 'containerName': 'web', 'containerPort': 80}],
    serviceRegistries=[{'registryArn': srv['Arn']}])
print(json.dumps({'vpc.main': vpc, 'subnet.a': a, 'subnet.b': b, 'internet_gateway.main': igw, 'route_table.public': rt,
    'elastic_ip.nat': eip, 'nat_gateway.a': nat, 'vpc_endpoint.s3': vpce, 'security_group.lb': sg,
    'load_balancer.web': lb, 'target_group.web': tg['web'], 'target_group.api': tg['api'], 'listener.http': listener,
    'cluster.main': 'legacy-svc', 'task_definition.web': 'legacy-web:%d' % td['revision'],
    'dns_namespace.internal': ns, 'discovery_service.web': srv['Id'], 'service.web': 'legacy-svc/site'}))
"#;

/// What is left of the adopted service after destroy, on moto.
const LEFT_SERVICES: &str = r#"
import boto3, json
ec2 = boto3.client('ec2'); ecs = boto3.client('ecs'); sd = boto3.client('servicediscovery')
left = [v['VpcId'] for v in ec2.describe_vpcs(Filters=[{'Name': 'cidr', 'Values': ['10.8.0.0/16']}])['Vpcs']]
left += [n['NatGatewayId'] for n in ec2.describe_nat_gateways()['NatGateways'] if n['State'] in ('pending', 'available')]
left += [e['AllocationId'] for e in ec2.describe_addresses()['Addresses']]
left += [c['clusterName'] for c in ecs.describe_clusters(clusters=['legacy-svc'])['clusters'] if c['status'] == 'ACTIVE']
left += [t for t in ecs.list_task_definitions(familyPrefix='legacy-web', status='ACTIVE')['taskDefinitionArns']]
left += [n['Name'] for n in sd.list_namespaces()['Namespaces']] + [s['Name'] for s in sd.list_services()['Services']]
print(json.dumps(left))
"#;

/// A zone, two records and a policy made outside berth on moto, as
/// `dns.berth` describes them but for the `www` record's TTL; the policy
/// outside berth's IAM path. Ids printed as JSON: the zone's with Route
/// 53's prefix, a record's as Terraform writes it (any case, the root's
/// dot), the policy by its name.
const MAKE_DNS: &str = r#"
import boto3, json
r53 = boto3.client('route53'); iam = boto3.client('iam')
zone = r53.create_hosted_zone(Name='legacy.example.com', CallerReference='legacy-1',
    HostedZoneConfig={'Comment': 'legacy site', 'PrivateZone': False})['HostedZone']['Id']
sets = [('www.legacy.example.com.', 'A', 60, '192.0.2.10'), ('_verify.legacy.example.com.', 'TXT', 60, '"legacy-site"')]
r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={'Changes': [
    {'Action': 'CREATE', 'ResourceRecordSet': {'Name': n, 'Type': t, 'TTL': ttl, 'ResourceRecords': [{'Value': v}]}}
    for n, t, ttl, v in sets]})
doc = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'logs:GetLogEvents', 'Resource': '*'}]}
iam.create_policy(PolicyName='legacy-read-logs', Path='/legacy/', PolicyDocument=json.dumps(doc),
    Description="Read the legacy site's logs")
bare = zone.split('/')[-1]
print(json.dumps({'hosted_zone.main': zone, 'dns_record.www': bare + '_www.legacy.example.com_A',
    'dns_record.verify': bare + '__verify.Legacy.example.com._txt', 'managed_policy.logs': 'legacy-read-logs'}))
"#;

/// What is left of the adopted zone and policy after destroy, on moto.
const LEFT_DNS: &str = r#"
import boto3, json
left = [z['Name'] for z in boto3.client('route53').list_hosted_zones()['HostedZones']]
left += [p['PolicyName'] for p in boto3.client('iam').list_policies(Scope='Local')['Policies']]
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
    /// The moto script making the resources outside berth, and the one
    /// listing what destroy left of them.
    make: &'static str,
    left: &'static str,
}

fn stacks() -> Stacks {
    let outside = APP
        .replace("stack \"adopter\"", "stack \"outside\"")
        .replace("retention_days = 14", "retention_days = 7");
    stacks_of(APP, &outside, MAKE, LEFT)
}

/// `services.berth`: the other tool runs one task where the block says
/// two.
fn services() -> Stacks {
    let outside = SERVICES
        .replace("stack \"adopter\"", "stack \"outside\"")
        .replace("desired_count   = 2", "desired_count   = 1");
    stacks_of(SERVICES, &outside, MAKE_SERVICES, LEFT_SERVICES)
}

/// `dns.berth`: the other tool's `www` record lives a minute where the
/// block says five.
fn dns() -> Stacks {
    let outside = DNS
        .replace("stack \"adopter\"", "stack \"outside\"")
        .replace("ttl     = 300", "ttl     = 60");
    stacks_of(DNS, &outside, MAKE_DNS, LEFT_DNS)
}

fn stacks_of(app: &str, outside: &str, make: &'static str, left: &'static str) -> Stacks {
    let tmp = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).expect("stack dir");
        std::fs::write(dir.join("main.berth"), text).expect("write");
        dir
    };
    Stacks {
        app: write("app", app),
        second: write("second", SECOND),
        outside: write("outside", outside),
        cloud_file: tmp.path().join("cloud.json"),
        make,
        left,
        _tmp: tmp,
    }
}

impl Stacks {
    fn berth(&self, cloud: &Cloud, dir: &Path, args: &[&str]) -> Run {
        cloud.berth_sharing(&self.cloud_file, dir, args)
    }

    /// The resources as another tool made them, by the address they are
    /// to be adopted at: the id `berth import` takes.
    fn made_outside(&self, cloud: &Cloud) -> BTreeMap<String, String> {
        match cloud {
            Cloud::Aws(moto) => serde_json::from_str(moto.python(self.make).trim()).expect("ids"),
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
            let id = import_id(r);
            ids.insert(address, id);
            // A rule's label is its `berth:rule` tag on AWS: made outside
            // berth, a rule has none and reads as `priority-N`.
            if let Some(rules) = r["attrs"]["rule"].as_array_mut() {
                for rule in rules {
                    rule["name"] = format!("priority-{}", rule["priority"]).into();
                }
            }
            let tags = r["tags"].as_object_mut().expect("tags");
            tags.remove("berth:stack");
            tags.remove("berth:address");
        }
        common::write_cloud(&self.cloud_file, &cloud);
        ids
    }

    /// `berth import ADDRESS ID EXTRA...` of what the other tool made.
    fn import(&self, cloud: &Cloud, ids: &BTreeMap<String, String>, address: &str, extra: &[&str]) -> Run {
        let mut args = vec!["import", address, &ids[address]];
        args.extend(extra);
        self.berth(cloud, &self.app, &args)
    }

    /// Adopts `address` as it is: a dry run tags nothing (the plan still
    /// creates it), then the import tags it and the next plan shows no
    /// change for it.
    #[track_caller]
    fn adopts_clean(&self, cloud: &Cloud, ids: &BTreeMap<String, String>, address: &str) {
        let dry = self.import(cloud, ids, address, &["--dry-run"]);
        dry.expect_code(0);
        assert!(dry.stdout.contains("Would tag"), "{}", dry.all());
        let planned = json_actions(&json_plan(&self.berth(
            cloud,
            &self.app,
            &["plan", "--format", "json"],
        )));
        assert_eq!(planned[address].0, "create", "a dry run tagged {address}");
        let run = self.import(cloud, ids, address, &[]);
        run.expect_code(0);
        assert!(
            run.stdout.contains(&format!("as {address}: tagged"))
                && run
                    .stdout
                    .contains(&format!("The next plan shows no change for {address}")),
            "{}",
            run.all()
        );
    }

    /// The next plan updates `address` alone; apply converges, and destroy
    /// leaves nothing of what was adopted.
    #[track_caller]
    fn updates_then_goes(&self, cloud: &Cloud, ids: &BTreeMap<String, String>, address: &str) {
        let plan = self.berth(cloud, &self.app, &["plan", "--format", "json"]);
        assert_eq!(
            json_actions(&json_plan(&plan)),
            BTreeMap::from([(address.to_owned(), common::act("update", None))]),
            "{}",
            plan.all()
        );
        self.berth(cloud, &self.app, &["apply", "--auto-approve"])
            .expect_code(0);
        let again = self.berth(cloud, &self.app, &["plan", "--detailed-exitcode"]);
        assert_eq!(again.code, Some(0), "not converged:\n{}", again.all());
        self.berth(cloud, &self.app, &["destroy", "--auto-approve"])
            .expect_code(0);
        assert_eq!(self.left(cloud, ids), Vec::<String>::new());
    }

    /// What destroy left of the adopted resources.
    fn left(&self, cloud: &Cloud, ids: &BTreeMap<String, String>) -> Vec<String> {
        match cloud {
            Cloud::Aws(moto) => serde_json::from_str(moto.python(self.left).trim()).expect("left"),
            Cloud::Local => {
                let file = common::read_cloud(&self.cloud_file);
                let all = file["resources"].as_object().expect("resources");
                let there: Vec<String> = all
                    .values()
                    .filter(|r| r["status"] != "INACTIVE")
                    .map(import_id)
                    .collect();
                ids.values().filter(|id| there.contains(id)).cloned().collect()
            }
        }
    }
}

/// The id `berth import` takes for a record of the local cloud, as AWS
/// would name the resource.
fn import_id(r: &serde_json::Value) -> String {
    let text = |field: &str| r["attrs"][field].as_str().unwrap_or_default().to_owned();
    match r["kind"].as_str() {
        Some("log_group" | "role" | "cluster" | "ecr_repository") => text("name"),
        Some("load_balancer" | "target_group" | "listener" | "managed_policy") => text("arn"),
        Some("task_definition") => format!("{}:{}", text("family"), r["attrs"]["revision"]),
        Some("service") => {
            let cluster = text("cluster");
            let cluster = cluster.rsplit('/').next().unwrap_or_default();
            format!("{cluster}/{}", text("name"))
        }
        _ => text("id"),
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

        // Another stack cannot take what this one owns.
        refused(
            &s.berth(&cloud, &s.second, &["import", "vpc.main", &ids["vpc.main"]]),
            r#"berth:stack = "adopter""#,
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

/// The kinds `app.berth` leaves out, one service made outside berth: each
/// is refused while its block would replace it, adopted parents first
/// (a listener's rule takes its block's label), and the next plan shows
/// the one real difference (the service's task count); a dry run tags
/// nothing; apply converges and destroy removes it all.
#[test]
fn a_whole_service_made_outside_is_adopted_kind_by_kind_on_both_clouds() {
    for cloud in Cloud::both() {
        let s = services();
        let ids = s.made_outside(&cloud);
        let import = |address: &str, extra: &[&str]| s.import(&cloud, &ids, address, extra);

        // Before their parents are the stack's, a block's references do
        // not match: the next apply would replace, so import refuses,
        // naming what forces it. So does a block that says otherwise.
        for (address, forced) in [
            ("nat_gateway.a", "(subnet"),
            ("listener.http", "(load_balancer"),
            ("service.web", "(cluster"),
            ("discovery_service.web", "(namespace"),
        ] {
            refused(&import(address, &[]), &format!("would replace it {forced}"));
        }
        refused(
            &import("task_definition.web", &["--var", "web_memory=1024"]),
            "would replace it (memory",
        );

        for address in [
            "vpc.main",
            "subnet.a",
            "subnet.b",
            "internet_gateway.main",
            "route_table.public",
            "elastic_ip.nat",
            "nat_gateway.a",
            "vpc_endpoint.s3",
            "security_group.lb",
            "load_balancer.web",
            "target_group.web",
            "target_group.api",
            "listener.http",
            "cluster.main",
            "task_definition.web",
            "dns_namespace.internal",
            "discovery_service.web",
        ] {
            s.adopts_clean(&cloud, &ids, address);
        }
        let run = import("service.web", &[]);
        run.expect_code(0);
        assert!(run.stdout.contains("desired_count"), "{}", run.all());
        s.updates_then_goes(&cloud, &ids, "service.web");
    }
}

/// Route 53 and IAM policies adopted (issue 14): a zone by its id, its
/// records by Terraform's `ZONE_NAME_TYPE` (they take no tags: adopting
/// writes berth's marker beside each), a policy outside berth's path by
/// its name (recorded, like roles, so plans read it). A record refuses
/// before its zone is the stack's; the next plan shows the one real
/// difference (a TTL); apply converges and destroy removes it all.
#[test]
fn zones_records_and_policies_made_outside_are_adopted_on_both_clouds() {
    for cloud in Cloud::both() {
        let s = dns();
        let ids = s.made_outside(&cloud);
        let import = |address: &str, extra: &[&str]| s.import(&cloud, &ids, address, extra);
        refused(&import("dns_record.www", &[]), "would replace it (zone");

        for address in ["hosted_zone.main", "dns_record.verify", "managed_policy.logs"] {
            s.adopts_clean(&cloud, &ids, address);
        }
        let run = import("dns_record.www", &[]);
        run.expect_code(0);
        assert!(run.stdout.contains("ttl"), "{}", run.all());
        refused(
            &import("dns_record.www", &[]),
            "already has a live resource at dns_record.www",
        );
        s.updates_then_goes(&cloud, &ids, "dns_record.www");
    }
}

/// The stack's roles are read without a call per role of the account
/// (issue 16): a plan reads the roles under `/berth/` and those the stack
/// adopted elsewhere, whose names `berth import` recorded. Forty roles
/// made at `/` by another tool cost no GetRole; the adopted one at `/` is
/// still read (its real difference, a description, shows). Moto only: the
/// local cloud makes no calls.
#[test]
fn a_plan_reads_the_adopted_roles_not_every_role_of_the_account() {
    let Some(moto) = berth_test_support::Moto::start() else {
        return;
    };
    moto.python(
        "import boto3, json\n\
         iam = boto3.client('iam')\n\
         trust = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'ecs-tasks.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]})\n\
         for i in range(40):\n\
         \x20   iam.create_role(RoleName='other-%d' % i, Path='/', AssumeRolePolicyDocument=trust)\n\
         iam.create_role(RoleName='legacy-exec', Path='/legacy/', AssumeRolePolicyDocument=trust)\n",
    );
    let cloud = Cloud::Aws(moto);
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        tmp.path().join("main.berth"),
        "stack \"roles\" { region = \"us-east-1\" }\n\n\
         role exec {\n  name        = \"legacy-exec\"\n  assume      = \"ecs-tasks.amazonaws.com\"\n  description = \"adopted\"\n}\n",
    )
    .expect("write");
    let get_roles = |run: &Run| -> u64 {
        run.stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("iam:GetRole "))
            .and_then(|rest| rest.split_whitespace().next())
            .map_or(0, |n| n.parse().expect("a count"))
    };
    let before = cloud.berth(tmp.path(), &["plan", "--stats"]);
    before.expect_code(0);
    assert_eq!(get_roles(&before), 0, "{}", before.all());

    cloud
        .berth(tmp.path(), &["import", "role.exec", "legacy-exec"])
        .expect_code(0);
    let after = cloud.berth(tmp.path(), &["plan", "--stats", "--format", "json"]);
    assert_eq!(
        json_actions(&json_plan(&after)),
        BTreeMap::from([("role.exec".to_owned(), common::act("update", None))]),
        "{}",
        after.all()
    );
    assert_eq!(get_roles(&after), 1, "{}", after.all());
    cloud
        .berth(tmp.path(), &["apply", "--auto-approve"])
        .expect_code(0);
    cloud.converges(tmp.path(), "the adopted role's description");
}
