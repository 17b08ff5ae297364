//! A route to a NAT gateway written `gateway_id = aws_nat_gateway.X.id`:
//! AWS takes a NAT gateway's id as a route's `GatewayId` (minaroid's
//! route table module writes it so), and stores it as `NatGatewayId`,
//! berth's `nat_gateway`.

use crate::syntax::ast::{Block, ExprKind, Item};

/// Each route of `block` (a route table's `route` blocks, or Terraform's
/// own `aws_route`) whose `gateway_id` names a NAT gateway, as its
/// `nat_gateway_id`.
pub(super) fn nat_gateway_targets(block: &mut Block) {
    match block.kind.name.as_str() {
        "route" => nat_gateway_target(block),
        "route_table" | "default_route_table" => {
            for item in &mut block.body {
                if let Item::Block(route) = item
                    && route.kind.name == "route"
                {
                    nat_gateway_target(route);
                }
            }
        }
        _ => {}
    }
}

fn nat_gateway_target(route: &mut Block) {
    for item in &mut route.body {
        if let Item::Attribute(a) = item
            && matches!(a.name.name.as_str(), "gateway_id" | "gateway")
            && matches!(&a.value.unwrapped().kind, ExprKind::Traversal(t)
                if matches!(t.root.name.as_str(), "nat_gateway" | "aws_nat_gateway"))
        {
            a.name.name = "nat_gateway_id".into();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// minaroid's `route { gateway_id = aws_nat_gateway.nat.id }` is the
    /// route to the NAT gateway (E0401 before), in a table and as an
    /// `aws_route`.
    #[test]
    fn a_nat_gateway_named_as_gateway_id_is_the_routes_nat_gateway() {
        let stack = |route: &str| {
            resources(&format!(
                "resource \"aws_vpc\" \"v\" {{ cidr_block = \"10.0.0.0/16\" }}\n\
                 resource \"aws_internet_gateway\" \"g\" {{ vpc_id = aws_vpc.v.id }}\n\
                 resource \"aws_subnet\" \"pub\" {{\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.1.0/24\"\n  availability_zone = \"us-east-1a\"\n}}\n\
                 resource \"aws_eip\" \"nat\" {{ domain = \"vpc\" }}\n\
                 resource \"aws_nat_gateway\" \"nat\" {{\n  allocation_id = aws_eip.nat.id\n  subnet_id = aws_subnet.pub.id\n}}\n\
                 resource \"aws_route_table\" \"private\" {{\n  vpc_id = aws_vpc.v.id\n  route {{\n    cidr_block = \"0.0.0.0/0\"\n    {route} = aws_nat_gateway.nat.id\n  }}\n}}\n\
                 resource \"aws_route_table\" \"other\" {{ vpc_id = aws_vpc.v.id }}\n\
                 resource \"aws_route\" \"other\" {{\n  route_table_id = aws_route_table.other.id\n  destination_cidr_block = \"0.0.0.0/0\"\n  {route} = aws_nat_gateway.nat.id\n}}\n"
            ))
        };
        assert_eq!(stack("gateway_id"), stack("nat_gateway_id"));
    }
}
