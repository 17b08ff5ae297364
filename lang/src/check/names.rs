//! Names and descriptions as AWS takes them: the names berth derives from
//! the stack's name and each resource's address must fit AWS's lengths, and
//! descriptions must keep to the characters EC2 and IAM accept.

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
    for r in &stack.resources {
        name(stack, r, diags);
        match r.kind() {
            Kind::SecurityGroup => {
                description(&r.body, 255, ec2_char, "EC2", diags);
                for rule in ["ingress", "egress"].iter().flat_map(|d| r.body.blocks(d)) {
                    description(&rule.body, 255, ec2_char, "EC2", diags);
                }
            }
            Kind::Role => description(&r.body, 1000, iam_char, "IAM", diags),
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
    let Some((name, limit)) = naming::uncut(&stack.name, &r.address) else {
        return;
    };
    let len = name.chars().count();
    if len > limit {
        diags.push(
            Diagnostic::error(
                "E0530",
                format!("{}'s name in AWS, `{name}`, has {len} characters", r.address),
                r.span,
            )
            .label(format!("AWS allows {limit}"))
            .help("berth names it from the stack's name, the resource's name and its key: shorten one"),
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
