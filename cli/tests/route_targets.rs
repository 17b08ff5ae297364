//! Routes to what a network reaches beyond its gateways, as Terraform's
//! `transit_gateway_id`, `vpc_peering_connection_id` and a VPN's
//! `gateway_id = "vgw-..."` write them: made elsewhere, named by id. On
//! both clouds: create, re-plan clean, add and retarget routes in place,
//! re-plan clean, destroy. On moto the transit gateway, the peering
//! connection and the virtual private gateway are real (boto3), and
//! DescribeRouteTables is read from outside.

mod common;

use common::{Cloud, act};

const STACK: &str = r#"
stack "routes" { region = "us-east-1" }

vpc main { cidr = "10.0.0.0/16" }

route_table private {
  vpc = vpc.main
  route {
    cidr            = "10.100.0.0/16"
    transit_gateway = "TGW"
  }
}
"#;

/// A second route to the peering connection, and on AWS a third to the
/// VPN's gateway.
fn more_routes(tgw: &str, pcx: &str, vgw: Option<&str>) -> String {
    let mut text = STACK.replace("TGW", tgw).replace(
        "  }\n}\n",
        &format!("  }}\n  route {{\n    cidr               = \"10.60.0.0/16\"\n    peering_connection = \"{pcx}\"\n  }}\n}}\n"),
    );
    if let Some(vgw) = vgw {
        text = text.replace(
            "  }\n}\n",
            &format!(
                "  }}\n  route {{\n    cidr    = \"192.168.0.0/16\"\n    gateway = \"{vgw}\"\n  }}\n}}\n"
            ),
        );
    }
    text
}

/// Made outside berth on moto: a transit gateway.
const TRANSIT_GATEWAY: &str = r#"
import boto3
print(boto3.client('ec2').create_transit_gateway()['TransitGateway']['TransitGatewayId'])
"#;

/// Made outside berth on moto, once the stack's VPC exists: a peering
/// connection from it to another VPC, and a virtual private gateway
/// attached to it.
const PEERING_AND_VPN: &str = r#"
import boto3
ec2 = boto3.client('ec2')
vpc = ec2.describe_vpcs(Filters=[{'Name': 'tag:berth:address', 'Values': ['vpc.main']}])['Vpcs'][0]['VpcId']
other = ec2.create_vpc(CidrBlock='10.60.0.0/16')['Vpc']['VpcId']
pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=other)['VpcPeeringConnection']['VpcPeeringConnectionId']
vgw = ec2.create_vpn_gateway(Type='ipsec.1')['VpnGateway']['VpnGatewayId']
ec2.attach_vpn_gateway(VpcId=vpc, VpnGatewayId=vgw)
print(pcx, vgw)
"#;

/// What was attached to the stack's VPC from outside goes before it: AWS
/// refuses to delete a VPC with a VPN gateway attached or a peering
/// connection (DependencyViolation).
const DETACH: &str = r#"
import boto3
ec2 = boto3.client('ec2')
vpc = ec2.describe_vpcs(Filters=[{'Name': 'tag:berth:address', 'Values': ['vpc.main']}])['Vpcs'][0]['VpcId']
for g in ec2.describe_vpn_gateways()['VpnGateways']:
    ec2.detach_vpn_gateway(VpcId=vpc, VpnGatewayId=g['VpnGatewayId'])
for c in ec2.describe_vpc_peering_connections()['VpcPeeringConnections']:
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=c['VpcPeeringConnectionId'])
"#;

/// The routes of the stack's table: destination and target, sorted.
const ROUTES: &str = r#"
import boto3
ec2 = boto3.client('ec2')
t = ec2.describe_route_tables(Filters=[{'Name': 'tag:berth:address', 'Values': ['route_table.private']}])['RouteTables'][0]
for r in sorted(t['Routes'], key=lambda r: r['DestinationCidrBlock']):
    target = r.get('TransitGatewayId') or r.get('VpcPeeringConnectionId') or r.get('GatewayId')
    print(r['DestinationCidrBlock'], target)
"#;

#[test]
fn routes_to_transit_gateways_peering_connections_and_vpn_gateways_converge() {
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        let tgw = match &cloud {
            Cloud::Aws(moto) => moto.python(TRANSIT_GATEWAY).trim().to_owned(),
            Cloud::Local => "tgw-0a1b2c3d4e5f60718".to_owned(),
        };
        cloud.apply_clean(dir, &STACK.replace("TGW", &tgw), "a route to a transit gateway");

        let (pcx, vgw) = match &cloud {
            Cloud::Aws(moto) => {
                let out = moto.python(PEERING_AND_VPN);
                let (pcx, vgw) = out.trim().split_once(' ').expect("two ids");
                (pcx.to_owned(), Some(vgw.to_owned()))
            }
            // The local cloud has no VPN gateways to route to.
            Cloud::Local => ("pcx-0a1b2c3d4e5f60718".to_owned(), None),
        };
        std::fs::write(dir.join("main.berth"), more_routes(&tgw, &pcx, vgw.as_deref())).expect("write");
        assert_eq!(
            cloud.planned(dir).into_iter().collect::<Vec<_>>(),
            vec![("route_table.private".to_owned(), act("update", None))]
        );
        cloud.converges(dir, "routes added");
        if let (Cloud::Aws(moto), Some(vgw)) = (&cloud, &vgw) {
            assert_eq!(
                moto.python(ROUTES).trim_end(),
                format!("10.0.0.0/16 local\n10.100.0.0/16 {tgw}\n10.60.0.0/16 {pcx}\n192.168.0.0/16 {vgw}")
            );
        }

        // The transit gateway's range goes through the peering connection
        // instead: ReplaceRoute, from one kind of target to another.
        let retargeted = more_routes(&tgw, &pcx, vgw.as_deref()).replace(
            &format!("transit_gateway = \"{tgw}\""),
            &format!("peering_connection = \"{pcx}\""),
        );
        cloud.apply_clean(dir, &retargeted, "a route retargeted");
        if let Cloud::Aws(moto) = &cloud {
            assert!(
                moto.python(ROUTES).contains(&format!("10.100.0.0/16 {pcx}")),
                "{}",
                moto.python(ROUTES)
            );
            moto.python(DETACH);
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
