//! Network Load Balancers, as Terraform's `aws_lb` with
//! `load_balancer_type = "network"` writes them: TCP, UDP and TLS
//! listeners and target groups, a TCP health check by default, cross-zone
//! load balancing, proxy protocol, client IP preservation, connection
//! termination and a TLS listener's ALPN policy. On both clouds the stack applies,
//! re-plans clean and changes its settings in place; on moto boto3 checks
//! from outside what ELBv2 holds.

mod common;

use common::{Cloud, copy_of};

/// What ELBv2 holds: the load balancer's type and cross-zone flag, each
/// target group's protocol, health check protocol and path, and whether
/// proxy protocol is on.
const HELD: &str = "import boto3,json\n\
    elb=boto3.client('elbv2')\n\
    lb=elb.describe_load_balancers()['LoadBalancers'][0]\n\
    attrs={a['Key']:a['Value'] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=lb['LoadBalancerArn'])['Attributes']}\n\
    groups={}\n\
    for g in elb.describe_target_groups()['TargetGroups']:\n\
    \x20   ga={a['Key']:a['Value'] for a in elb.describe_target_group_attributes(TargetGroupArn=g['TargetGroupArn'])['Attributes']}\n\
    \x20   groups[g['Protocol']]=[g['HealthCheckProtocol'],g.get('HealthCheckPath'),ga.get('proxy_protocol_v2.enabled','false'),ga.get('preserve_client_ip.enabled'),ga.get('deregistration_delay.connection_termination.enabled')]\n\
    listeners=elb.describe_listeners(LoadBalancerArn=lb['LoadBalancerArn'])['Listeners']\n\
    protocols=sorted(l['Protocol'] for l in listeners)\n\
    alpn=[l.get('AlpnPolicy') for l in listeners if l['Protocol']=='TLS']\n\
    print(json.dumps({'type':lb['Type'],'cross_zone':attrs.get('load_balancing.cross_zone.enabled'),'groups':groups,'listeners':protocols,'alpn':alpn}))\n";

#[test]
fn a_network_load_balancer_applies_changes_in_place_and_replans_clean_on_both_clouds() {
    let stack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/network_load_balancer");
    for cloud in Cloud::both() {
        let p = copy_of(&stack);
        let certificate = match &cloud {
            Cloud::Local => "arn:aws:acm:us-east-1:123456789012:certificate/tls".to_owned(),
            Cloud::Aws(moto) => moto
                .python(
                    "import boto3\n\
                     print(boto3.client('acm').request_certificate(DomainName='tcp.example.com')['CertificateArn'])\n",
                )
                .trim()
                .to_owned(),
        };
        p.edit("main.berth", "CERTIFICATE", &certificate);
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        let plan = cloud.berth(&p.dir, &["plan"]);
        plan.expect_code(0);
        // A Network Load Balancer has none of an Application Load
        // Balancer's settings, not even at their defaults.
        assert!(!plan.stdout.contains("idle_timeout"), "{}", plan.stdout);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let held: serde_json::Value = serde_json::from_str(moto.python(HELD).trim()).expect("json");
            assert_eq!(
                held,
                serde_json::json!({
                    "type": "network",
                    "cross_zone": "true",
                    "groups": {
                        "TCP": ["TCP", null, "true", "true", "true"],
                        "UDP": ["TCP", null, "false", null, "false"],
                        "TLS": ["HTTP", "/healthz", "false", null, "false"],
                    },
                    "listeners": ["TCP", "TLS", "UDP"],
                    "alpn": [["HTTP2Preferred"]],
                })
            );
        }

        p.edit(
            "main.berth",
            "cross_zone          = true",
            "cross_zone          = false",
        );
        cloud.plans_one_update(&p.dir, "load_balancer.edge");
        cloud.converges(&p.dir, "cross-zone off");
        p.edit(
            "main.berth",
            "proxy_protocol_v2      = true",
            "proxy_protocol_v2      = false",
        );
        cloud.plans_one_update(&p.dir, "target_group.tcp");
        cloud.converges(&p.dir, "proxy protocol off");
        p.edit(
            "main.berth",
            "preserve_client_ip     = true",
            "preserve_client_ip     = false",
        );
        cloud.plans_one_update(&p.dir, "target_group.tcp");
        cloud.converges(&p.dir, "client addresses not preserved");
        p.edit("main.berth", "interval = 10", "interval = 30");
        cloud.plans_one_update(&p.dir, "target_group.dns");
        cloud.converges(&p.dir, "a slower health check");
        p.edit("main.berth", "TLS13-1-2-2021-06", "TLS13-1-2-Res-2021-06");
        cloud.plans_one_update(&p.dir, "listener.tls");
        cloud.converges(&p.dir, "another TLS policy");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
