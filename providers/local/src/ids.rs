//! Random parts of ids, ARNs and names, in AWS's formats.

use fastrand::Rng;

/// `n` random lowercase hex digits.
pub(crate) fn hex(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(rng.u32(0..16), 16).unwrap_or('0'))
        .collect()
}

/// `n` random decimal digits, the first not zero.
pub(crate) fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|i| char::from_digit(rng.u32(if i == 0 { 1..10 } else { 0..10 }), 10).unwrap_or('1'))
        .collect()
}

/// A version 4 UUID in lowercase hex, e.g.
/// `1234abcd-12ab-4cd5-96ef-1234567890ab`: a KMS key's id.
pub(crate) fn uuid(rng: &mut Rng) -> String {
    // The version digit is 4; the variant digit is one of 8, 9, a, b.
    let variant = char::from_digit(rng.u32(8..12), 16).unwrap_or('8');
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        hex(rng, 3),
        hex(rng, 12)
    )
}

/// An EC2 id: `PREFIX-` and 17 hex digits, e.g. `vpc-0a1b2c3d4e5f60718`.
pub(crate) fn ec2_id(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}-{}", hex(rng, 17))
}

/// The canonical hosted zone id of load balancers of `lb_type`
/// (`application` or `network`) in `region`.
pub(crate) fn lb_zone_id(lb_type: &str, region: &str) -> String {
    let known = if lb_type == berth_provider::elb::NETWORK {
        nlb_zone_id(region)
    } else {
        alb_zone_id(region)
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    // Other regions: a stable made-up id of the same shape.
    let mut rng = seeded(&format!("{lb_type}/{region}"));
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::iter::once('Z')
        .chain((0..13).map(|_| char::from(alphabet[rng.usize(0..alphabet.len())])))
        .collect()
}

/// The canonical hosted zone id of Network Load Balancers in `region`, or
/// "" when not known here.
fn nlb_zone_id(region: &str) -> &'static str {
    match region {
        "us-east-1" => "Z26RNL4JYFTOTI",
        "us-east-2" => "ZLMOA37VPKANP",
        "us-west-1" => "Z24FKFUX50B4VW",
        "us-west-2" => "Z18D5FSROUN65G",
        "eu-west-1" => "Z2IFOLAFXWLO4F",
        "eu-west-2" => "ZD4D7Y8KGAS4G",
        "eu-central-1" => "Z3F0SRJ5LGBH90",
        "ap-northeast-1" => "Z31USIVHYNEOWT",
        "ap-southeast-1" => "ZKVM4W9LS7TM",
        "ap-southeast-2" => "ZCT6FZBF4DROD",
        _ => "",
    }
}

/// The canonical hosted zone id of Application Load Balancers in `region`,
/// or "" when not known here.
fn alb_zone_id(region: &str) -> &'static str {
    match region {
        "us-east-1" => "Z35SXDOTRQ7X7K",
        "us-east-2" => "Z3AADJGX6KTTL2",
        "us-west-1" => "Z368ELLRRE2KJ0",
        "us-west-2" => "Z1H1FL5HABSF5",
        "eu-west-1" => "Z32O12XQLNTSW2",
        "eu-west-2" => "ZHURV8PSTC4K8",
        "eu-central-1" => "Z215JYRZR1TBD5",
        "ap-northeast-1" => "Z14GRHDCWA56QT",
        "ap-southeast-1" => "Z1LMS91P8CMLE5",
        "ap-southeast-2" => "Z1GM3OXH4ZPM65",
        _ => "",
    }
}

/// The id of one of AWS's own prefix lists (`pl-` and 8 hex digits, as
/// theirs are), the same in every run for the same name.
pub(crate) fn aws_prefix_list_id(name: &str) -> String {
    format!("pl-{}", hex(&mut seeded(name), 8))
}

/// The id of the default security group AWS makes with every VPC (the
/// local cloud records it once a stack takes it over): `sg-` and 17 hex
/// digits, the same in every run for the same VPC.
pub(crate) fn default_security_group_id(vpc: &str) -> String {
    ec2_id(&mut seeded(&format!("default-group/{vpc}")), "sg")
}

/// The id of the default VPC AWS makes in `region` (see `default_vpc`).
pub(crate) fn default_vpc_id(region: &str) -> String {
    ec2_id(&mut seeded(&format!("default-vpc/{region}")), "vpc")
}

/// The id of the default VPC's subnet in `zone`.
pub(crate) fn default_subnet_id(vpc: &str, zone: &str) -> String {
    ec2_id(&mut seeded(&format!("default-subnet/{vpc}/{zone}")), "subnet")
}

/// The id of the default VPC's internet gateway.
pub(crate) fn default_gateway_id(vpc: &str) -> String {
    ec2_id(&mut seeded(&format!("default-gateway/{vpc}")), "igw")
}

/// The id of the main route table AWS makes with every VPC (recorded,
/// likewise, once taken over): `rtb-` and 17 hex digits.
pub(crate) fn main_route_table_id(vpc: &str) -> String {
    ec2_id(&mut seeded(&format!("main-route-table/{vpc}")), "rtb")
}

/// The id of the default network ACL AWS makes with every VPC (recorded,
/// likewise, once taken over): `acl-` and 17 hex digits.
pub(crate) fn default_network_acl_id(vpc: &str) -> String {
    ec2_id(&mut seeded(&format!("default-acl/{vpc}")), "acl")
}

/// A generator seeded by `text` (FNV-1a): stable made-up ids.
fn seeded(text: &str) -> Rng {
    Rng::with_seed(text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_lower_hex(s: &str) -> bool {
        s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    }

    #[test]
    fn ids_have_aws_shapes() {
        let mut rng = Rng::with_seed(7);
        let id = ec2_id(&mut rng, "vpc");
        assert_eq!(id.len(), 4 + 17);
        assert!(is_lower_hex(&id[4..]));
        let uuid = uuid(&mut rng);
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups.iter().all(|g| is_lower_hex(g)), "{uuid}");
        assert!(
            groups[2].starts_with('4') && groups[3].starts_with(['8', '9', 'a', 'b']),
            "{uuid}"
        );
        let d = digits(&mut rng, 9);
        assert_eq!(d.len(), 9);
        assert!(!d.starts_with('0'));
        assert_eq!(lb_zone_id("application", "us-east-1"), "Z35SXDOTRQ7X7K");
        assert_eq!(lb_zone_id("network", "us-east-1"), "Z26RNL4JYFTOTI");
        assert_eq!(
            lb_zone_id("application", "sa-east-9"),
            lb_zone_id("application", "sa-east-9")
        );
        assert_ne!(
            lb_zone_id("application", "sa-east-9"),
            lb_zone_id("network", "sa-east-9")
        );
        assert_eq!(lb_zone_id("network", "sa-east-9").len(), 14);
        let s3 = aws_prefix_list_id("com.amazonaws.us-east-1.s3");
        assert_eq!(s3, aws_prefix_list_id("com.amazonaws.us-east-1.s3"));
        assert_ne!(s3, aws_prefix_list_id("com.amazonaws.us-east-1.dynamodb"));
        assert_eq!(s3.len(), 3 + 8);
        let group = default_security_group_id("vpc-1");
        assert_eq!(group, default_security_group_id("vpc-1"));
        assert_ne!(group, default_security_group_id("vpc-2"));
        assert!(group.starts_with("sg-") && is_lower_hex(&group[3..]) && group.len() == 3 + 17);
    }
}
