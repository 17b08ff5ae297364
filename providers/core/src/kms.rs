//! KMS's rules that both validate and the local cloud apply to a
//! `kms_key`: which usages a key spec allows, which keys rotate, the
//! names an alias may take, and whether CloudWatch Logs may use a key.

use crate::Value;

/// The shortest and longest pending window ScheduleKeyDeletion takes, in
/// days.
pub const WINDOW: std::ops::RangeInclusive<i64> = 7..=30;

/// The key spec KMS makes when none is given: AES-256 for encryption.
pub const SYMMETRIC: &str = "SYMMETRIC_DEFAULT";

/// The usage KMS gives a key when none is given.
pub const ENCRYPT: &str = "ENCRYPT_DECRYPT";
const SIGN: &str = "SIGN_VERIFY";
const MAC: &str = "GENERATE_VERIFY_MAC";
const AGREE: &str = "KEY_AGREEMENT";

/// Every usage KMS knows (its KeyUsage enum).
pub const USAGES: [&str; 4] = [ENCRYPT, SIGN, MAC, AGREE];

/// The usages `spec` allows, or `None` when KMS knows no such spec.
pub fn usages(spec: &str) -> Option<&'static [&'static str]> {
    Some(match spec {
        SYMMETRIC => &[ENCRYPT],
        "RSA_2048" | "RSA_3072" | "RSA_4096" => &[ENCRYPT, SIGN],
        "ECC_NIST_P256" | "ECC_NIST_P384" | "ECC_NIST_P521" => &[SIGN, AGREE],
        "ECC_SECG_P256K1" | "ECC_NIST_EDWARDS25519" | "ML_DSA_44" | "ML_DSA_65" | "ML_DSA_87" => &[SIGN],
        "HMAC_224" | "HMAC_256" | "HMAC_384" | "HMAC_512" => &[MAC],
        "SM2" => &[ENCRYPT, SIGN, AGREE],
        _ => return None,
    })
}

/// Whether KMS rotates keys of `spec` automatically: symmetric encryption
/// keys only.
pub fn rotates(spec: &str) -> bool {
    spec == SYMMETRIC
}

/// Whether UpdateAlias may move an alias from a key of `from` (spec,
/// usage) to one of `to`: KMS moves one only between keys of one type
/// (symmetric, HMAC or asymmetric) and one usage.
pub fn alias_movable(from: (&str, &str), to: (&str, &str)) -> bool {
    let family = |spec: &str| {
        if spec == SYMMETRIC {
            0
        } else if spec.starts_with("HMAC_") {
            1
        } else {
            2
        }
    };
    family(from.0) == family(to.0) && from.1 == to.1
}

/// The longest alias name, `alias/` included.
pub const ALIAS_MAX: usize = 256;

/// Why CreateAlias refuses `name`, if it does.
pub fn alias_fault(name: &str) -> Option<&'static str> {
    let Some(rest) = name.strip_prefix("alias/") else {
        return Some("an alias name starts with `alias/`");
    };
    if rest.is_empty() {
        return Some("an alias needs a name after `alias/`");
    }
    if rest.starts_with("aws/") {
        return Some("`alias/aws/` is reserved for AWS managed keys");
    }
    if name.len() > ALIAS_MAX {
        return Some("an alias name has at most 256 characters");
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
    {
        return Some("an alias name has letters, digits and `/_-` only");
    }
    None
}

/// Whether a key policy lets CloudWatch Logs use the key, as CreateLogGroup
/// and AssociateKmsKey need: a statement allowing the service
/// `logs.amazonaws.com` or `logs.REGION.amazonaws.com`, or anyone (`*`).
/// KMS's default policy (the account's root alone) does not; parts known
/// only after apply are taken on trust.
pub fn lets_logs_use(policy: &Value) -> bool {
    if policy.has_unknown() {
        return true;
    }
    let doc = crate::policy::canonical(policy);
    let statements = doc
        .as_map()
        .and_then(|d| d.get("Statement"))
        .and_then(Value::as_list)
        .unwrap_or_default();
    statements.iter().filter_map(Value::as_map).any(|st| {
        let allows = st.get("Effect").and_then(Value::as_str) == Some("Allow");
        let logs = |v: &Value| {
            v.as_str()
                .is_some_and(|p| p == "*" || (p.starts_with("logs.") && p.contains(".amazonaws.com")))
        };
        let any = |v: &Value| match v {
            Value::List(items) => items.iter().any(logs),
            one => logs(one),
        };
        let principal = match st.get("Principal") {
            Some(Value::Map(types)) => ["Service", "AWS"].iter().filter_map(|t| types.get(*t)).any(any),
            Some(one) => any(one),
            None => false,
        };
        allows && principal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_symmetric_keys_rotate_and_encrypt_alone() {
        assert!(rotates(SYMMETRIC));
        assert!(!rotates("RSA_2048"));
        assert_eq!(usages(SYMMETRIC), Some(&["ENCRYPT_DECRYPT"][..]));
        assert!(usages("ECC_NIST_P256").is_some_and(|u| !u.contains(&"ENCRYPT_DECRYPT")));
        assert_eq!(usages("AES_128"), None);
    }

    #[test]
    fn aliases_move_only_between_keys_of_one_type_and_usage() {
        let symmetric = (SYMMETRIC, ENCRYPT);
        assert!(alias_movable(symmetric, symmetric));
        assert!(!alias_movable(symmetric, ("RSA_4096", SIGN)));
        assert!(alias_movable(("RSA_2048", SIGN), ("RSA_4096", SIGN)));
        assert!(!alias_movable(("RSA_2048", ENCRYPT), ("RSA_4096", SIGN)));
        assert!(!alias_movable(("HMAC_256", MAC), ("RSA_4096", MAC)));
    }

    #[test]
    fn logs_use_keys_whose_policy_names_them() {
        let policy = |principal: serde_json::Value| {
            Value::from_json(&serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [
                    { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" }, "Action": "kms:*", "Resource": "*" },
                    { "Effect": "Allow", "Principal": principal, "Action": ["kms:Encrypt*", "kms:Decrypt*"], "Resource": "*" },
                ],
            }))
        };
        assert!(lets_logs_use(&policy(
            serde_json::json!({ "Service": "logs.us-east-1.amazonaws.com" })
        )));
        assert!(lets_logs_use(&policy(
            serde_json::json!({ "Service": ["ecs.amazonaws.com", "logs.amazonaws.com"] })
        )));
        assert!(lets_logs_use(&policy(serde_json::json!("*"))));
        assert!(!lets_logs_use(&policy(
            serde_json::json!({ "Service": "ecs.amazonaws.com" })
        )));
        assert!(!lets_logs_use(&policy(
            serde_json::json!({ "AWS": "arn:aws:iam::123456789012:role/app" })
        )));
        let text = Value::String(
            r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"logs.eu-west-1.amazonaws.com"},"Action":"kms:*","Resource":"*"}}"#.to_owned(),
        );
        assert!(lets_logs_use(&text));
    }

    #[test]
    fn alias_names_follow_kms() {
        assert_eq!(alias_fault("alias/app-logs"), None);
        assert_eq!(alias_fault("alias/team/app_1"), None);
        assert!(alias_fault("app-logs").is_some());
        assert!(alias_fault("alias/").is_some());
        assert!(alias_fault("alias/aws/ebs").is_some());
        assert!(alias_fault("alias/has space").is_some());
        assert!(alias_fault(&format!("alias/{}", "a".repeat(251))).is_some());
        assert_eq!(alias_fault(&format!("alias/{}", "a".repeat(250))), None);
    }
}
