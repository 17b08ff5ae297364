//! Names and descriptions as AWS takes them: the names berth derives from
//! the stack's name and each resource's address must fit AWS's lengths,
//! names the configuration gives must keep to each service's rules (and not
//! be given twice where AWS wants them unique), and descriptions must keep
//! to the characters EC2 and IAM accept.

use std::collections::BTreeSet;

use berth_provider::{Kind, naming};

use super::domain::string;
use crate::diagnostic::Diagnostic;
use crate::stack::{DesiredBody, DesiredResource, Stack};

/// Checks what the stack's resources are named and described as.
pub fn check(stack: &Stack, diags: &mut Vec<Diagnostic>) {
    if let Some(first) = stack.resources.first()
        && stack.name.chars().any(char::is_control)
    {
        diags.push(
            Diagnostic::error(
                "E0530",
                format!(
                    "the stack's name {:?} has a line break or control character",
                    stack.name
                ),
                first.span,
            )
            .label("every resource is tagged with the stack's name")
            .help("AWS refuses control characters in tag values; rename the stack"),
        );
    }
    let mut seen: BTreeSet<(Kind, String, String)> = BTreeSet::new();
    for r in &stack.resources {
        name(stack, r, diags);
        if let Some(rule) = given_name_rule(r.kind())
            && let Some((prefix, span)) = string(&r.body, naming::NAME_PREFIX)
        {
            name_prefix(&r.body, prefix, span, &rule, diags);
        }
        if let Some(rule) = given_name_rule(r.kind())
            && let Some((text, span)) = string(&r.body, rule.attr)
        {
            given(text, span, &rule, diags);
            // Where AWS wants names unique (per region or account; security
            // groups per VPC, services per cluster), a name given twice
            // would make the second create fail.
            let scope = rule
                .scope
                .and_then(|s| r.body.known(s))
                .map(|v| v.to_string())
                .unwrap_or_default();
            let key = (r.kind(), rule.fold(text), scope);
            // Managed policies' names clash derived or given alike: checked
            // by `managed_policy::names`.
            if r.kind() != Kind::ManagedPolicy && !seen.insert(key) {
                diags.push(
                    Diagnostic::error("E0532", format!("two {}s named `{text}`", r.kind()), span)
                        .label("this name is already given to another one")
                        .help(format!(
                            "AWS refuses a second {} of one name{}; give each its own",
                            r.kind(),
                            rule.scope.map_or(String::new(), |s| format!(" in one {s}"))
                        )),
                );
            }
        }
        match r.kind() {
            Kind::SecurityGroup => {
                description(&r.body, 255, ec2_char, "EC2", diags);
                for rule in ["ingress", "egress"].iter().flat_map(|d| r.body.blocks(d)) {
                    description(&rule.body, 255, ec2_char, "EC2", diags);
                }
            }
            Kind::Role | Kind::ManagedPolicy => description(&r.body, 1000, iam_char, "IAM", diags),
            _ => {}
        }
    }
}

fn name(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let Some(key) = &r.address.key
        && key.chars().any(char::is_control)
    {
        diags.push(
            Diagnostic::error(
                "E0530",
                format!("the `for_each` key {key:?} has a line break or control character"),
                r.span,
            )
            .label("this instance's key")
            .help("keys become part of AWS names and tags, which refuse control characters"),
        );
        return;
    }
    let named = given_name_rule(r.kind()).is_some_and(|rule| {
        [rule.attr, naming::NAME_PREFIX].iter().any(|attr| {
            r.body
                .known(attr)
                .is_some_and(|v| *v != berth_provider::Value::Null)
        })
    });
    if named {
        return;
    }
    // A derived name longer than AWS allows is cut, with a hash of the
    // whole (`naming`); an SSM path of a stack named `aws-...` or `ssm-...`
    // starts where SSM reserves.
    if r.kind() == Kind::SsmParameter {
        let name = naming::ssm_parameter(&stack.name, &r.address);
        if let Some(problem) = ssm_reserved(&name) {
            diags.push(
                Diagnostic::error(
                    "E0530",
                    format!("{}'s name in AWS would be `{name}`", r.address),
                    r.span,
                )
                .label(problem)
                .help("berth names it `/{stack}/{name}`: give it a `name`"),
            );
        }
    }
}

/// What AWS takes as the name of one kind.
struct NameRule {
    /// `name`, or `family` for task definitions.
    attr: &'static str,
    service: &'static str,
    max: usize,
    allowed: fn(char) -> bool,
    /// The characters `allowed` takes, for the help line.
    charset: &'static str,
    /// Names AWS reserves or refuses by their start or end.
    reserved: fn(&str) -> Option<&'static str>,
    /// The attribute within which AWS wants the name unique, if not the
    /// region or account.
    scope: Option<&'static str>,
    /// IAM and ELB compare names without case.
    case_insensitive: bool,
}

impl NameRule {
    fn fold(&self, text: &str) -> String {
        if self.case_insensitive {
            text.to_ascii_lowercase()
        } else {
            text.to_owned()
        }
    }
}

fn none(_: &str) -> Option<&'static str> {
    None
}

fn elb_reserved(text: &str) -> Option<&'static str> {
    if text.starts_with('-') || text.ends_with('-') {
        Some("it may not start or end with a hyphen")
    } else if text.to_ascii_lowercase().starts_with("internal-") {
        Some("AWS reserves names starting with `internal-`")
    } else {
        None
    }
}

fn sg_reserved(text: &str) -> Option<&'static str> {
    text.to_ascii_lowercase()
        .starts_with("sg-")
        .then_some("EC2 refuses names starting with `sg-`")
}

fn log_reserved(text: &str) -> Option<&'static str> {
    text.starts_with("aws/")
        .then_some("CloudWatch Logs reserves names starting with `aws/`")
}

/// AWS's rules for the name of `kind`, for kinds that take one.
fn given_name_rule(kind: Kind) -> Option<NameRule> {
    let ecs = |attr, scope| NameRule {
        attr,
        service: "ECS",
        max: 255,
        allowed: |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        charset: "letters, digits, `-` and `_`",
        reserved: none,
        scope,
        case_insensitive: false,
    };
    let elb = NameRule {
        attr: "name",
        service: "ELB",
        max: 32,
        allowed: |c| c.is_ascii_alphanumeric() || c == '-',
        charset: "letters, digits and `-`",
        reserved: elb_reserved,
        scope: None,
        case_insensitive: true,
    };
    let iam = |max| NameRule {
        attr: "name",
        service: "IAM",
        max,
        allowed: |c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c),
        charset: "letters, digits and `+=,.@_-`",
        reserved: none,
        scope: None,
        case_insensitive: true,
    };
    Some(match kind {
        Kind::Cluster => ecs("name", None),
        Kind::Service => ecs("name", Some("cluster")),
        Kind::TaskDefinition => ecs("family", None),
        Kind::LoadBalancer | Kind::TargetGroup => elb,
        Kind::LogGroup => NameRule {
            attr: "name",
            service: "CloudWatch Logs",
            max: 512,
            allowed: |c| c.is_ascii_alphanumeric() || "._-/#".contains(c),
            charset: "letters, digits and `._-/#`",
            reserved: log_reserved,
            scope: None,
            case_insensitive: false,
        },
        Kind::Role => iam(64),
        Kind::ManagedPolicy => iam(128),
        Kind::EcrRepository => NameRule {
            attr: "name",
            service: "ECR",
            max: 256,
            allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_./".contains(c),
            charset: "lower-case letters, digits and `-_./`",
            reserved: ecr_reserved,
            scope: None,
            case_insensitive: false,
        },
        Kind::SsmParameter => NameRule {
            attr: "name",
            service: "SSM",
            max: berth_provider::naming::SSM_PARAMETER_MAX,
            allowed: |c| c.is_ascii_alphanumeric() || "_.-/".contains(c),
            charset: "letters, digits and `_.-/`",
            reserved: ssm_reserved,
            scope: None,
            case_insensitive: false,
        },
        Kind::Secret => NameRule {
            attr: "name",
            service: "Secrets Manager",
            max: 512,
            allowed: |c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c),
            charset: "letters, digits and `/_+=.@-`",
            reserved: none,
            scope: None,
            case_insensitive: false,
        },
        Kind::SnsTopic => NameRule {
            attr: "name",
            service: "SNS",
            max: 256,
            // `.` only in a FIFO topic's `.fifo` (`check::sns`).
            allowed: |c| c.is_ascii_alphanumeric() || "-_.".contains(c),
            charset: "letters, digits, `-` and `_` (and `.fifo` at the end of a FIFO topic's)",
            reserved: none,
            scope: None,
            case_insensitive: false,
        },
        Kind::EfsFileSystem => NameRule {
            attr: "creation_token",
            service: "EFS",
            max: 64,
            allowed: |c| !c.is_control(),
            charset: "any character but control characters",
            reserved: none,
            scope: None,
            case_insensitive: false,
        },
        Kind::EventRule => NameRule {
            attr: "name",
            service: "EventBridge",
            max: naming::EVENT_RULE_MAX,
            allowed: naming::event_rule_char,
            charset: "letters, digits, `.`, `-` and `_`",
            reserved: none,
            scope: None,
            case_insensitive: false,
        },
        Kind::SqsQueue => NameRule {
            attr: "name",
            service: "SQS",
            max: berth_provider::naming::SQS_QUEUE_MAX,
            // `.` only in a FIFO queue's `.fifo` (`check::sqs`).
            allowed: |c| c.is_ascii_alphanumeric() || "-_.".contains(c),
            charset: "letters, digits, `-` and `_` (and `.fifo` at the end of a FIFO queue's)",
            reserved: none,
            scope: None,
            case_insensitive: false,
        },
        Kind::S3Bucket => NameRule {
            attr: "name",
            service: "S3",
            max: 63,
            allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c),
            charset: "lower-case letters, digits, `.` and `-`",
            reserved: berth_provider::s3::name_fault,
            // Unique across AWS: twice in one stack is twice in one account.
            scope: None,
            case_insensitive: false,
        },
        Kind::MetricAlarm => NameRule {
            attr: "name",
            service: "CloudWatch",
            max: 255,
            // CloudWatch takes any text but control characters.
            allowed: |c| !c.is_control(),
            charset: "any character but control characters",
            reserved: none,
            scope: None,
            case_insensitive: false,
        },
        Kind::SecurityGroup => NameRule {
            attr: "name",
            service: "EC2",
            max: 255,
            allowed: ec2_char,
            charset: "letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`",
            reserved: sg_reserved,
            scope: Some("vpc"),
            case_insensitive: false,
        },
        _ => return None,
    })
}

/// ECR wants a repository name to start with a letter or digit and each
/// `/`-separated part to be non-empty.
fn ecr_reserved(name: &str) -> Option<&'static str> {
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        Some("ECR names start with a letter or digit")
    } else if name.split('/').any(str::is_empty) {
        Some("ECR names have no empty `/` part")
    } else {
        None
    }
}

/// SSM's rules for a parameter's path, and the paths berth keeps for
/// itself (its stacks' locks and adoption records).
fn ssm_reserved(name: &str) -> Option<&'static str> {
    let first = name.strip_prefix('/').unwrap_or(name).to_ascii_lowercase();
    if first.starts_with("aws") || first.starts_with("ssm") {
        Some("SSM reserves names starting with `aws` or `ssm`")
    } else if name.contains('/') && !name.starts_with('/') {
        Some("a name with `/` is a path and starts with `/`")
    } else if name.split('/').skip(1).any(str::is_empty) {
        Some("SSM paths have no empty `/` part")
    } else if name.matches('/').count() > 15 {
        Some("SSM paths have at most 15 levels")
    } else if name == "/berth" || name.starts_with("/berth/") {
        Some("berth keeps its stacks' locks under `/berth/`")
    } else {
        None
    }
}

/// Terraform's `name_prefix`: not beside a `name`, and with the digits
/// berth adds, a name its service takes.
fn name_prefix(
    body: &DesiredBody,
    prefix: &str,
    span: crate::source::Span,
    rule: &NameRule,
    diags: &mut Vec<Diagnostic>,
) {
    if string(body, rule.attr).is_some() {
        diags.push(
            Diagnostic::error("E0530", "a `name` and a `name_prefix`", span)
                .label("the name is given too")
                .help("keep one: `name` is the name, `name_prefix` starts a drawn one"),
        );
        return;
    }
    let room = rule.max.saturating_sub(naming::PREFIX_SUFFIX_LEN);
    let len = prefix.chars().count();
    if len > room {
        diags.push(
            Diagnostic::error(
                "E0530",
                format!("a name_prefix of {len} characters for {}", rule.service),
                span,
            )
            .label(format!("at most {room}"))
            .help(format!(
                "{} names are at most {} characters, and berth adds {} hex digits",
                rule.service,
                rule.max,
                naming::PREFIX_SUFFIX_LEN
            )),
        );
        return;
    }
    // The digits are letters and digits every service takes.
    given(
        &format!("{prefix}{}", "0".repeat(naming::PREFIX_SUFFIX_LEN)),
        span,
        rule,
        diags,
    );
}

/// A name the configuration gives, held to its service's rules.
fn given(text: &str, span: crate::source::Span, rule: &NameRule, diags: &mut Vec<Diagnostic>) {
    let len = text.chars().count();
    let problem = |message: String, label: String| Diagnostic::error("E0530", message, span).label(label);
    if len == 0 || len > rule.max {
        diags.push(
            problem(
                format!("a name of {len} characters for {}", rule.service),
                format!("{} takes 1 to {}", rule.service, rule.max),
            )
            .help(format!("{} names are 1 to {} characters", rule.service, rule.max)),
        );
    } else if let Some(c) = text.chars().find(|c| !(rule.allowed)(*c)) {
        diags.push(
            problem(
                format!("{} refuses the character {c:?} in a name", rule.service),
                "character not allowed".to_owned(),
            )
            .help(format!("{} names take {}", rule.service, rule.charset)),
        );
    } else if let Some(why) = (rule.reserved)(text) {
        diags.push(
            problem(
                format!("{} refuses the name `{text}`", rule.service),
                why.to_owned(),
            )
            .help("choose another name"),
        );
    }
}

/// Characters EC2 takes in security group and rule descriptions.
fn ec2_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c)
}

/// Characters IAM takes in a role's description.
fn iam_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}')
}

fn description(
    body: &DesiredBody,
    limit: usize,
    allowed: fn(char) -> bool,
    service: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((text, span)) = string(body, "description") else {
        return;
    };
    let len = text.chars().count();
    let bad: Option<char> = text.chars().find(|c| !allowed(*c));
    let problem = |message: String, label: String| Diagnostic::error("E0530", message, span).label(label);
    if len > limit {
        diags.push(
            problem(
                format!("a description of {len} characters"),
                format!("more than {limit}"),
            )
            .help(format!(
                "{service} takes descriptions of up to {limit} characters"
            )),
        );
    } else if let Some(c) = bad {
        diags.push(
            problem(
                format!("{service} refuses the character {c:?} in a description"),
                "character not allowed".to_owned(),
            )
            .help(allowed_name(service)),
        );
    }
}

fn allowed_name(service: &str) -> &'static str {
    if service == "IAM" {
        "IAM takes tabs, line breaks and Latin-1 printable characters"
    } else {
        "EC2 takes letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
    }
}
