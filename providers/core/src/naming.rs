//! The names berth gives resources in the cloud, shared by every provider so
//! the local cloud and AWS name things alike. Deterministic
//! `{stack}-{name}[-{key}]` for kinds replaced destroy-before-create
//! (clusters, services, task-definition families, roles, managed policies, ECR repositories in
//! lower case), `/ecs/{stack}/{name}`
//! for log groups, `/{stack}/{name}` for SSM parameters, and a prefix plus 6 random hex digits for load balancers,
//! target groups and security groups, so a replacement can coexist with the
//! resource it replaces. The caller supplies the randomness.

use crate::{Address, Attrs, Value};

/// The name the configuration gives in `attr` (`name`, or a task
/// definition's `family`): used exactly as written, never sanitised, since
/// `validate` holds it to AWS's rules.
pub fn given<'a>(attrs: &'a Attrs, attr: &str) -> Option<&'a str> {
    match attrs.get(attr) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// An idempotency token (EC2's `ClientToken`: at most 64 ASCII characters)
/// for a create: the same for a retry of the same request, different for
/// another stack, address or request `parts` (a replacement's new subnet or
/// Elastic IP), so a retried create never makes a second resource.
pub fn client_token(stack: &str, address: &Address, parts: &[&str]) -> String {
    format!("berth-{:016x}", fnv(stack, address, parts))
}

/// FNV-1a of the stack, address and `parts`: stable across builds and
/// runs, unlike std's hasher.
fn fnv(stack: &str, address: &Address, parts: &[&str]) -> u64 {
    fnv_text(&format!("{stack}\u{0}{address}\u{0}{}", parts.join("\u{0}")))
}

/// FNV-1a of `text`.
fn fnv_text(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The attribute holding Terraform's `name_prefix`.
pub const NAME_PREFIX: &str = "name_prefix";

/// The name a create gives a resource whose configuration has a
/// `name_prefix` and no `name`: the prefix and 6 hex digits drawn from
/// `salt` (one per apply, so a retried create asks for the same name).
/// None when the configuration says its name or has no prefix.
pub fn from_prefix(attrs: &Attrs, stack: &str, address: &Address, salt: &str) -> Option<String> {
    if !draws_name(attrs) {
        return None;
    }
    let prefix = given(attrs, NAME_PREFIX)?;
    let drawn = u32::try_from(fnv(stack, address, &[salt]) & 0xff_ffff).unwrap_or_default();
    Some(format!("{prefix}{}", suffix(drawn)))
}

/// Whether a create draws the resource's name from its `name_prefix`:
/// the configuration has one and no `name`.
pub fn draws_name(attrs: &Attrs) -> bool {
    given(attrs, "name").is_none() && given(attrs, NAME_PREFIX).is_some()
}

/// `made` as AWS keeps it: without the `name_prefix` its name was drawn
/// from, which a read cannot know (the planner reads it from the name).
pub fn as_kept(mut made: crate::Resource) -> crate::Resource {
    made.attrs.remove(NAME_PREFIX);
    made
}

/// How many characters [`from_prefix`] adds to the prefix.
pub const PREFIX_SUFFIX_LEN: usize = 6;

/// `{stack}-{name}` or `{stack}-{name}-{key}`, unsanitised.
fn base(stack: &str, address: &Address) -> String {
    match &address.key {
        Some(key) => format!("{stack}-{}-{key}", address.name),
        None => format!("{stack}-{}", address.name),
    }
}

/// Replaces every character `allowed` rejects with `-` and cuts to `max`.
fn sanitise(text: &str, allowed: impl Fn(char) -> bool, max: usize) -> String {
    text.chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .take(max)
        .collect()
}

/// A name berth derives (deterministic, found again by it): sanitised,
/// and when longer than `max`, cut to leave room for `-` and 8 hex digits
/// of a hash of the whole, so that it fits and two names that differ only
/// past the cut stay apart (CloudFormation cuts the names it derives from
/// long logical ids so, with a random suffix).
fn fitted(text: &str, allowed: impl Fn(char) -> bool, max: usize) -> String {
    let clean: String = text.chars().map(|c| if allowed(c) { c } else { '-' }).collect();
    if clean.chars().count() <= max {
        return clean;
    }
    let hash = fnv_text(text) & 0xffff_ffff;
    let kept: String = clean.chars().take(max.saturating_sub(9)).collect();
    format!("{kept}-{hash:08x}")
}

/// How many hex digits a drawn suffix holds.
pub const SUFFIX_LEN: usize = 6;

/// Six hex digits from the low 24 bits of `random`.
fn suffix(random: u32) -> String {
    format!("{:0SUFFIX_LEN$x}", random & 0xff_ffff)
}

fn ecs_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn ecr_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || "-_./".contains(c)
}

/// ECR repository names: `{stack}-{name}` in lower case, `-`, `_`, `.` and
/// `/` kept, at most 256.
pub fn ecr(stack: &str, address: &Address) -> String {
    fitted(&base(stack, address).to_ascii_lowercase(), ecr_char, 256)
}

/// ECS cluster, service and task-definition family names: letters, digits,
/// `-` and `_`, at most 255.
pub fn ecs(stack: &str, address: &Address) -> String {
    fitted(&base(stack, address), ecs_char, 255)
}

/// IAM role names: letters, digits and `+=,.@_-`, at most 64.
pub fn role(stack: &str, address: &Address) -> String {
    fitted(&base(stack, address), iam_char, 64)
}

/// Customer-managed IAM policy names: the characters of role names, at
/// most 128.
pub fn managed_policy(stack: &str, address: &Address) -> String {
    fitted(&base(stack, address), iam_char, 128)
}

fn iam_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

fn log_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-/#".contains(c)
}

/// Log group names: `/ecs/{stack}/{name}` (plus `-{key}`); letters, digits
/// and `._-/#`, at most 512.
pub fn log_group(stack: &str, address: &Address) -> String {
    fitted(&log_group_base(stack, address), log_char, 512)
}

fn log_group_base(stack: &str, address: &Address) -> String {
    path_base("/ecs/", stack, address)
}

/// `{prefix}{stack}/{name}` or `{prefix}{stack}/{name}-{key}`, unsanitised.
fn path_base(prefix: &str, stack: &str, address: &Address) -> String {
    match &address.key {
        Some(key) => format!("{prefix}{stack}/{}-{key}", address.name),
        None => format!("{prefix}{stack}/{}", address.name),
    }
}

/// The prefix every log group of `stack` starts with.
pub fn log_group_prefix(stack: &str) -> String {
    sanitise(&format!("/ecs/{stack}/"), log_char, 512)
}

/// SSM parameter names berth derives or is given are at most this long:
/// SSM's limit of 1011 counts the ARN before the name too
/// (`arn:aws:ssm:REGION:ACCOUNT:parameter`), and this leaves room for the
/// longest region's.
pub const SSM_PARAMETER_MAX: usize = 950;

/// SSM parameter names: `/{stack}/{name}` (plus `-{key}`); letters,
/// digits and `_.-/`, at most [`SSM_PARAMETER_MAX`].
pub fn ssm_parameter(stack: &str, address: &Address) -> String {
    fitted(&ssm_parameter_base(stack, address), ssm_char, SSM_PARAMETER_MAX)
}

fn ssm_parameter_base(stack: &str, address: &Address) -> String {
    path_base("/", stack, address)
}

fn ssm_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_.-/".contains(c)
}

fn alarm_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./#:".contains(c)
}

fn secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)
}

/// Secrets Manager secret names: `{stack}/{name}` (plus `-{key}`);
/// letters, digits and `/_+=.@-`, at most 512.
pub fn secret(stack: &str, address: &Address) -> String {
    fitted(&secret_base(stack, address), secret_char, 512)
}

fn secret_base(stack: &str, address: &Address) -> String {
    path_base("", stack, address)
}

/// The IAM path berth puts the roles and managed policies it makes under
/// unless told otherwise.
pub const IAM_PATH: &str = "/berth/";

/// Why `path` is not an IAM path (`/`, `/a/b/`: starts and ends with
/// `/`, printable ASCII, at most 512 characters).
pub fn iam_path_problem(path: &str) -> Option<&'static str> {
    if !(path.starts_with('/') && path.ends_with('/')) {
        Some("an IAM path starts and ends with `/`")
    } else if path.len() > 512 {
        Some("an IAM path is at most 512 characters")
    } else if !path.chars().all(|c| ('!'..='~').contains(&c)) {
        Some("an IAM path is printable ASCII without spaces")
    } else {
        None
    }
}

/// CloudWatch alarm names: `{stack}-{name}` (plus `-{key}`); letters,
/// digits and `-_./#:`, at most 255.
pub fn metric_alarm(stack: &str, address: &Address) -> String {
    fitted(&base(stack, address), alarm_char, 255)
}

/// The prefix every alarm name berth derives for `stack` starts with.
pub fn metric_alarm_prefix(stack: &str) -> String {
    sanitise(&format!("{stack}-"), alarm_char, 255)
}

/// The suffix a FIFO topic's name ends with.
pub const FIFO_SUFFIX: &str = ".fifo";

/// SNS topic names: `{stack}-{name}` (plus `-{key}`), letters, digits,
/// `-` and `_`, at most 256 with `.fifo` for a FIFO topic.
pub fn sns_topic(stack: &str, address: &Address, fifo: bool) -> String {
    let suffix = if fifo { FIFO_SUFFIX } else { "" };
    let name = fitted(&base(stack, address), topic_char, 256 - suffix.len());
    format!("{name}{suffix}")
}

/// The prefix every topic name berth derives for `stack` starts with.
pub fn sns_topic_prefix(stack: &str) -> String {
    sanitise(&format!("{stack}-"), topic_char, 256)
}

fn topic_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_".contains(c)
}

/// SQS queue names: `{stack}-{name}` (plus `-{key}`), letters, digits,
/// `-` and `_`, at most 80 with `.fifo` for a FIFO queue.
pub fn sqs_queue(stack: &str, address: &Address, fifo: bool) -> String {
    let suffix = if fifo { FIFO_SUFFIX } else { "" };
    let name = fitted(&base(stack, address), topic_char, SQS_QUEUE_MAX - suffix.len());
    format!("{name}{suffix}")
}

/// The prefix every queue name berth derives for `stack` starts with.
pub fn sqs_queue_prefix(stack: &str) -> String {
    sanitise(&format!("{stack}-"), topic_char, SQS_QUEUE_MAX)
}

/// The longest an SQS queue's name may be, `.fifo` included.
pub const SQS_QUEUE_MAX: usize = 80;

/// EventBridge rule names: `{stack}-{name}` (plus `-{key}`), letters,
/// digits, `.`, `-` and `_`, at most 64.
pub fn event_rule(stack: &str, address: &Address) -> String {
    fitted(&base(stack, address), event_rule_char, EVENT_RULE_MAX)
}

/// The prefix every rule name berth derives for `stack` starts with.
pub fn event_rule_prefix(stack: &str) -> String {
    sanitise(&format!("{stack}-"), event_rule_char, EVENT_RULE_MAX)
}

/// Whether EventBridge takes `c` in a rule's name or a target's id.
pub fn event_rule_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-".contains(c)
}

/// The longest an EventBridge rule's name or a target's id may be.
pub const EVENT_RULE_MAX: usize = 64;

/// Load balancer and target group names: at most 32 letters, digits and
/// hyphens, not starting or ending with a hyphen: a prefix of
/// `{stack}-{name}` cut to 25 characters, `-` and 6 hex digits of `random`.
pub fn elb(stack: &str, address: &Address, random: u32) -> String {
    let mut prefix = String::new();
    for c in base(stack, address).chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if c == '-' && (prefix.is_empty() || prefix.ends_with('-')) {
            continue;
        }
        prefix.push(c);
    }
    // AWS reserves names starting with `internal-`.
    if prefix.starts_with("internal-") {
        prefix.replace_range(..9, "int-");
    }
    prefix.truncate(25);
    let prefix = prefix.trim_end_matches('-');
    let prefix = if prefix.is_empty() { "berth" } else { prefix };
    format!("{prefix}-{}", suffix(random))
}

/// An S3 bucket's name: `{stack}-{name}[-{key}]` in lower case, only
/// letters, digits and single hyphens, cut to 56 characters, and 6 hex
/// digits of `random` (bucket names are unique across AWS, so a derived
/// name must not collide with another account's; at most 63).
pub fn s3_bucket(stack: &str, address: &Address, random: u32) -> String {
    let mut prefix = bucket_chars(&base(stack, address));
    prefix.truncate(56);
    let prefix = prefix.trim_end_matches('-');
    let prefix = if prefix.is_empty() { "berth" } else { prefix };
    format!("{prefix}-{}", suffix(random))
}

/// What every bucket name berth derives in `stack` starts with (a stack
/// whose name is too long for it has none: `None`).
pub fn s3_bucket_prefix(stack: &str) -> Option<String> {
    let prefix = bucket_chars(stack);
    let prefix = prefix.trim_end_matches('-');
    (!prefix.is_empty() && prefix.len() < 56).then(|| format!("{prefix}-"))
}

/// `text` in lower case, every run of other characters than letters and
/// digits one hyphen, none leading.
fn bucket_chars(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_ascii_lowercase().chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    out
}

/// An EFS file system's creation token (its idempotency key, at most 64
/// characters): `{stack}-{name}[-{key}]` cut to 57 characters, `-` and 6
/// hex digits of `random`, so that a replacement is a new file system.
pub fn efs_creation_token(stack: &str, address: &Address, random: u32) -> String {
    let base = sanitise(&base(stack, address), |c| c.is_ascii_graphic(), 57);
    format!("{base}-{}", suffix(random))
}

/// Security group names: unique within a VPC, so `{stack}-{name}[-{key}]`
/// plus 6 hex digits of `random` lets a replacement coexist; at most 255.
pub fn security_group(stack: &str, address: &Address, random: u32) -> String {
    let base = sanitise(
        &base(stack, address),
        |c| c.is_ascii_alphanumeric() || "._-".contains(c),
        240,
    );
    format!("{base}-{}", suffix(random))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    #[test]
    fn deterministic_names_are_sanitised() {
        let a = Address::with_key(Kind::Cluster, "web", "us-east-1a");
        assert_eq!(ecs("blog-dev", &a), "blog-dev-web-us-east-1a");
        let odd = Address::with_key(Kind::Role, "exec", "a b/c");
        assert_eq!(role("s", &odd), "s-exec-a-b-c");
        assert_eq!(
            log_group("blog", &Address::new(Kind::LogGroup, "login")),
            "/ecs/blog/login"
        );
        assert_eq!(log_group_prefix("blog"), "/ecs/blog/");
        let topic = Address::new(Kind::SnsTopic, "alerts");
        assert!(sns_topic("blog.dev", &topic, true).starts_with(&sns_topic_prefix("blog.dev")));
        let fs = efs_creation_token("blog", &Address::new(Kind::EfsFileSystem, "x".repeat(100)), 1);
        assert_eq!((fs.len(), &fs[..10], &fs[58..]), (64, "blog-xxxxx", "000001"));
        let queue = Address::with_key(Kind::SqsQueue, "jobs", "eu west");
        assert_eq!(sqs_queue("blog.dev", &queue, true), "blog-dev-jobs-eu-west.fifo");
        let rule = Address::with_key(Kind::EventRule, "nightly", "a b");
        assert_eq!(event_rule("blog.dev", &rule), "blog.dev-nightly-a-b");
        assert!(event_rule("blog.dev", &rule).starts_with(&event_rule_prefix("blog.dev")));
        assert_eq!(
            event_rule("s", &Address::new(Kind::EventRule, "x".repeat(100))).len(),
            64
        );
        assert!(sqs_queue("blog.dev", &queue, false).starts_with(&sqs_queue_prefix("blog.dev")));
        let long = sqs_queue("s", &Address::new(Kind::SqsQueue, "x".repeat(100)), true);
        assert_eq!(long.len(), SQS_QUEUE_MAX);
        let param = Address::with_key(Kind::SsmParameter, "db_url", "eu west");
        assert_eq!(ssm_parameter("blog", &param), "/blog/db_url-eu-west");
        let long = Address::new(Kind::Role, "x".repeat(100));
        assert_eq!(role("s", &long).len(), 64);
    }

    #[test]
    fn elb_names_fit_aws_rules() {
        let addr = Address::new(Kind::LoadBalancer, "a_very_long_load_balancer_name");
        let name = elb("--blog--production", &addr, 0xabcdef);
        assert_eq!(name, "blog-production-a-very-lo-abcdef");
        assert!(name.len() <= 32, "{name}");
        assert_ne!(name, elb("--blog--production", &addr, 1));
        let internal = elb("internal", &Address::new(Kind::TargetGroup, "x"), 0);
        assert_eq!(internal, "int-x-000000");
        assert_eq!(
            elb("--", &Address::new(Kind::TargetGroup, "_"), u32::MAX),
            "berth-ffffff"
        );
    }

    #[test]
    fn bucket_names_fit_s3_rules() {
        let addr = Address::with_key(Kind::S3Bucket, "Access_Logs", "eu.west");
        let name = s3_bucket("Blog--Prod", &addr, 0xabcdef);
        assert_eq!(name, "blog-prod-access-logs-eu-west-abcdef");
        assert!(name.starts_with(&s3_bucket_prefix("Blog--Prod").unwrap_or_default()));
        let long = s3_bucket("s", &Address::new(Kind::S3Bucket, "x".repeat(100)), 1);
        assert_eq!(long.len(), 63, "{long}");
        assert_eq!(s3_bucket_prefix(&"s".repeat(60)), None);
    }

    /// CDK's logical ids are long: a role `myServiceWithTlsTaskDefExecutionRole`
    /// in stack `tls-network-load-balanced-fargate-service` was 78
    /// characters, refused (E0530) where AWS allows 64.
    #[test]
    fn long_derived_names_are_cut_with_a_hash_of_the_whole() {
        let stack = "tls-network-load-balanced-fargate-service";
        let role_of = |name: &str| role(stack, &Address::new(Kind::Role, name));
        let exec = role_of("myServiceWithTlsTaskDefExecutionRole");
        let task = role_of("myServiceWithTlsTaskDefTaskRole0123456789");
        assert_eq!((exec.len(), task.len()), (64, 64));
        assert!(
            exec.starts_with("tls-network-load-balanced-fargate-service-myServiceWith"),
            "{exec}"
        );
        assert_ne!(exec, task, "names that differ past the cut stay apart");
        assert_eq!(
            exec,
            role_of("myServiceWithTlsTaskDefExecutionRole"),
            "the same every run"
        );
        assert_eq!(role("s", &Address::with_key(Kind::Role, "exec", "k")), "s-exec-k");
        let queue = sqs_queue(
            stack,
            &Address::new(Kind::SqsQueue, "PublicQueueServiceEcsProcessingDeadLetterQueue"),
            true,
        );
        assert_eq!(queue.len(), SQS_QUEUE_MAX);
        assert!(
            queue.ends_with(".fifo") && queue.starts_with(&sqs_queue_prefix(stack)),
            "{queue}"
        );
        let logs = log_group(&"s".repeat(300), &Address::new(Kind::LogGroup, "x".repeat(300)));
        assert!(logs.len() == 512 && logs.starts_with("/ecs/sss"), "{logs}");
    }

    #[test]
    fn client_tokens_are_stable_and_distinct() {
        let a = Address::new(Kind::NatGateway, "a");
        let token = client_token("shop", &a, &["subnet-1", "eipalloc-1"]);
        assert_eq!(token, "berth-".to_owned() + &token[6..]);
        assert_eq!(token, client_token("shop", &a, &["subnet-1", "eipalloc-1"]));
        assert!(token.len() <= 64 && token.is_ascii(), "{token}");
        assert_ne!(token, client_token("shop", &a, &["subnet-2", "eipalloc-1"]));
        assert_ne!(token, client_token("other", &a, &["subnet-1", "eipalloc-1"]));
        let b = Address::new(Kind::NatGateway, "b");
        assert_ne!(token, client_token("shop", &b, &["subnet-1", "eipalloc-1"]));
    }

    #[test]
    fn security_group_names_carry_a_suffix() {
        let a = Address::with_key(Kind::SecurityGroup, "web", "a/b");
        assert_eq!(security_group("blog", &a, 0x12), "blog-web-a-b-000012");
    }
}
