//! A route to a NAT gateway written `gateway_id = aws_nat_gateway.X.id`
//! (or through a local, `element(...)`, a module's `var.nat_id`): AWS
//! takes a NAT gateway's id as a route's `GatewayId` and stores it as
//! `NatGatewayId`, berth's `nat_gateway`. Read once evaluated, whatever
//! the expression that names it.

use berth_provider::Kind;

use crate::stack::{DesiredValue, Stack};

/// Each route table's route whose `gateway` is a NAT gateway, as its
/// `nat_gateway`.
pub fn nat_gateways_as_gateways(stack: &mut Stack) {
    let tables = stack
        .resources
        .iter_mut()
        .filter(|r| matches!(r.kind(), Kind::RouteTable | Kind::DefaultRouteTable));
    for route in tables.flat_map(|t| t.body.blocks.get_mut("route").into_iter().flatten()) {
        let attrs = &mut route.body.attrs;
        let names_nat = matches!(attrs.get("gateway").map(|g| &g.node),
            Some(DesiredValue::Ref(r)) if r.address.kind == Kind::NatGateway);
        if names_nat
            && !attrs.contains_key("nat_gateway")
            && let Some(gateway) = attrs.remove("gateway")
        {
            attrs.insert("nat_gateway".to_owned(), gateway);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// minaroid's `route { gateway_id = var.nat_id }` (a local once
    /// inlined), and a NAT gateway named directly or by `element`: the
    /// route to the NAT gateway (E0401 before), in a table and as an
    /// `aws_route`.
    #[test]
    fn a_nat_gateway_named_as_gateway_id_is_the_routes_nat_gateway() {
        let stack = |route: &str, value: &str| {
            resources(&format!(
                "resource \"aws_vpc\" \"v\" {{ cidr_block = \"10.0.0.0/16\" }}\n\
                 resource \"aws_internet_gateway\" \"g\" {{ vpc_id = aws_vpc.v.id }}\n\
                 resource \"aws_subnet\" \"pub\" {{\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.1.0/24\"\n  availability_zone = \"us-east-1a\"\n}}\n\
                 resource \"aws_eip\" \"nat\" {{ domain = \"vpc\" }}\n\
                 resource \"aws_nat_gateway\" \"nat\" {{\n  allocation_id = aws_eip.nat.id\n  subnet_id = aws_subnet.pub.id\n}}\n\
                 locals {{ nat_id = aws_nat_gateway.nat.id }}\n\
                 resource \"aws_route_table\" \"private\" {{\n  vpc_id = aws_vpc.v.id\n  route {{\n    cidr_block = \"0.0.0.0/0\"\n    {route} = {value}\n  }}\n}}\n\
                 resource \"aws_route_table\" \"other\" {{ vpc_id = aws_vpc.v.id }}\n\
                 resource \"aws_route\" \"other\" {{\n  route_table_id = aws_route_table.other.id\n  destination_cidr_block = \"0.0.0.0/0\"\n  {route} = {value}\n}}\n"
            ))
        };
        let nat = stack("nat_gateway_id", "aws_nat_gateway.nat.id");
        for value in [
            "aws_nat_gateway.nat.id",
            "local.nat_id",
            "element([aws_nat_gateway.nat.id], 0)",
        ] {
            assert_eq!(stack("gateway_id", value), nat, "{value}");
        }
    }
}
