//! `availability_zones()`: the zones of the stack's region, as the cloud
//! answers (AWS's DescribeAvailabilityZones, the local cloud's own) when the
//! caller has asked it, else the zones AWS documents for the region, so
//! that `validate` works offline. Plan reads the cloud, so its result stays
//! a function of the configuration and what the cloud says.

/// The zones AWS lists for `region` in most accounts; three lettered zones
/// for a region this table does not know.
pub fn documented(region: &str) -> Vec<String> {
    let letters: &str = match region {
        "us-east-1" => "abcdef",
        "us-west-1" => "ac",
        "us-east-2" | "us-west-2" | "eu-west-1" | "eu-west-2" | "eu-west-3" | "eu-central-1"
        | "eu-north-1" | "ap-south-1" | "ap-southeast-1" | "ap-southeast-2" | "ca-central-1"
        | "sa-east-1" => "abc",
        "ap-northeast-1" => "acd",
        "ap-northeast-2" => "abcd",
        _ => "abc",
    };
    letters.chars().map(|l| format!("{region}{l}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_the_region_and_a_letter() {
        assert_eq!(documented("us-east-1").len(), 6);
        assert_eq!(documented("us-west-1"), ["us-west-1a", "us-west-1c"]);
        assert_eq!(
            documented("xx-test-9"),
            ["xx-test-9a", "xx-test-9b", "xx-test-9c"]
        );
    }
}
