//! S3's rules that both validate and the local cloud apply to an
//! `s3_bucket`: bucket names, the values of its settings, lifecycle rules'
//! actions and transitions, and which policies a public access block
//! refuses.

use crate::Value;

/// The versioning states of a bucket (`Disabled`: never turned on).
pub const VERSIONING: [&str; 3] = ["Enabled", "Suspended", "Disabled"];

/// Server-side encryption algorithms.
pub const ENCRYPTIONS: [&str; 3] = ["AES256", "aws:kms", "aws:kms:dsse"];

/// Object ownership settings.
pub const OWNERSHIPS: [&str; 3] = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"];

/// Storage classes a lifecycle rule can move objects to.
pub const STORAGE_CLASSES: [&str; 6] = [
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
];

/// The attributes a bucket's name settles: `name`, `id`, `arn` (in
/// `partition`), and its domain names (the regional one in `region`).
pub fn settled(name: &str, region: &str, partition: &str) -> [(&'static str, String); 5] {
    let domain = if partition == "aws-cn" {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    [
        ("name", name.to_owned()),
        ("id", name.to_owned()),
        ("arn", format!("arn:{partition}:s3:::{name}")),
        ("domain_name", format!("{name}.s3.{domain}")),
        ("regional_domain_name", format!("{name}.s3.{region}.{domain}")),
    ]
}

/// Why S3 refuses `name` as a bucket's name (InvalidBucketName), if it
/// does.
pub fn name_fault(name: &str) -> Option<&'static str> {
    const PREFIXES: [&str; 3] = ["xn--", "sthree-", "amzn-s3-demo-"];
    const SUFFIXES: [&str; 4] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"];
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !(3..=63).contains(&name.len()) {
        Some("3 to 63 characters")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        Some("lower-case letters, digits, dots and hyphens only")
    } else if !edge(name.chars().next()) || !edge(name.chars().last()) {
        Some("begins and ends with a letter or a digit")
    } else if name.contains("..") {
        Some("no two dots in a row")
    } else if name.parse::<std::net::Ipv4Addr>().is_ok() {
        Some("not shaped like an IP address")
    } else if PREFIXES.iter().any(|p| name.starts_with(p)) {
        Some("not starting with `xn--`, `sthree-` or `amzn-s3-demo-`")
    } else if SUFFIXES.iter().any(|s| name.ends_with(s)) {
        Some("not ending in `-s3alias`, `--ol-s3`, `.mrap` or `--x-s3`")
    } else {
        None
    }
}

/// The fewest days before objects may move to `storage_class`, where S3
/// sets one (the infrequent-access classes bill 30 days at least).
pub fn min_transition_days(storage_class: &str) -> Option<i64> {
    matches!(storage_class, "STANDARD_IA" | "ONEZONE_IA").then_some(30)
}

/// Whether a bucket policy grants public access as S3's public access
/// block judges it: a statement allowing everyone (`"*"`, or `"AWS":
/// "*"`) without a condition. A block with `block_public_policy` refuses
/// such a policy (AccessDenied).
pub fn grants_public_access(policy: &Value) -> bool {
    let doc = crate::policy::canonical(policy);
    let statements = match doc.as_map().and_then(|m| m.get("Statement")) {
        Some(Value::List(items)) => items.clone(),
        Some(one @ Value::Map(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    statements.iter().filter_map(Value::as_map).any(|st| {
        let everyone = |v: &Value| match v {
            Value::String(s) => s == "*",
            Value::List(items) => items.iter().any(|i| *i == Value::from("*")),
            _ => false,
        };
        let allows = st.get("Effect") == Some(&Value::from("Allow"));
        let anyone = match st.get("Principal") {
            Some(Value::Map(m)) => m.get("AWS").is_some_and(everyone),
            Some(p) => everyone(p),
            None => false,
        };
        allows && anyone && !st.contains_key("Condition")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_attributes_follow_the_partition() {
        let [_, id, arn, domain, regional] = settled("logs", "cn-north-1", "aws-cn");
        assert_eq!(id.1, "logs");
        assert_eq!(arn.1, "arn:aws-cn:s3:::logs");
        assert_eq!(domain.1, "logs.s3.amazonaws.com.cn");
        assert_eq!(regional.1, "logs.s3.cn-north-1.amazonaws.com.cn");
        let [_, _, arn, domain, _] = settled("logs", "us-east-1", "aws");
        assert_eq!(
            (arn.1.as_str(), domain.1.as_str()),
            ("arn:aws:s3:::logs", "logs.s3.amazonaws.com")
        );
    }

    #[test]
    fn bucket_names_follow_s3() {
        for good in ["logs", "blog-prod-logs-abcdef", "a.b.c", "123"] {
            assert_eq!(name_fault(good), None, "{good}");
        }
        for bad in [
            "ab",
            "Logs",
            "-logs",
            "logs-",
            "a..b",
            "10.0.0.1",
            "xn--logs",
            "logs-s3alias",
            "a_b",
        ] {
            assert!(name_fault(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn a_policy_is_public_when_it_allows_everyone_unconditionally() {
        let statement = |principal: Value, condition: bool| {
            let mut st: std::collections::BTreeMap<String, Value> = [
                ("Effect".to_owned(), Value::from("Allow")),
                ("Principal".to_owned(), principal),
                ("Action".to_owned(), Value::from("s3:GetObject")),
                ("Resource".to_owned(), Value::from("arn:aws:s3:::logs/*")),
            ]
            .into();
            if condition {
                st.insert(
                    "Condition".to_owned(),
                    Value::Map(
                        [(
                            "Bool".to_owned(),
                            Value::Map([("aws:SecureTransport".to_owned(), Value::from("true"))].into()),
                        )]
                        .into(),
                    ),
                );
            }
            Value::Map([("Statement".to_owned(), Value::List(vec![Value::Map(st)]))].into())
        };
        let aws = |who: &str| Value::Map([("AWS".to_owned(), Value::from(who))].into());
        assert!(grants_public_access(&statement(Value::from("*"), false)));
        assert!(grants_public_access(&statement(aws("*"), false)));
        assert!(!grants_public_access(&statement(aws("*"), true)));
        assert!(!grants_public_access(&statement(
            aws("arn:aws:iam::123456789012:root"),
            false
        )));
    }
}
