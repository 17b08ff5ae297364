//! IAM policy documents ([`crate::schema::Type::Document`]): the grammar
//! IAM holds them to, their canonical form and their JSON text.
//!
//! A document is written as a map, as Terraform's `jsonencode({ ... })`
//! and CloudFormation's `PolicyDocument` write it (`Version`, `Statement`,
//! `Effect`, `Action`, ...), or as a string of JSON. One grammar serves
//! `validate` (located diagnostics) and the local cloud
//! (`MalformedPolicyDocument`), so both refuse what IAM refuses.
//!
//! The canonical form is how a document IAM returns (URL-encoded JSON,
//! keys in its own order) compares equal to what was written: a JSON
//! string is read as its map; `Statement` is a list; the values of
//! `Action`, `NotAction`, `Resource`, `NotResource`, of each `Principal`
//! type and of each condition key are a sorted set, a lone value as a
//! plain string (IAM treats `"s3:GetObject"` and `["s3:GetObject"]`
//! alike); condition values are strings (IAM compares `true` and
//! `"true"` alike).

use std::collections::BTreeMap;

use crate::Value;

/// Which kind of policy a document is: IAM's rules differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// Attached to an identity (an inline or managed policy): statements
    /// name resources, never a principal.
    Identity,
    /// A role's trust policy: statements name principals, never
    /// resources.
    Trust,
    /// An ECR repository's policy: statements name principals (who may
    /// pull or push); a `Resource` may be left out (the repository).
    Repository,
    /// An EFS file system's policy: statements name principals; a
    /// `Resource` may be left out (the file system), as Copilot's
    /// environments write it.
    FileSystem,
    /// An SQS queue's policy: statements name principals; a `Resource` may
    /// be left out (the queue), as Terraform's documented example does
    /// (hashicorp/terraform-provider-aws#42209) and SQS takes.
    Queue,
    /// A VPC endpoint's policy: statements may name principals and
    /// resources (at most one of `Principal`/`NotPrincipal` and of
    /// `Resource`/`NotResource` each).
    Endpoint,
    /// A resource's own policy (an S3 bucket's): every statement names a
    /// principal and a resource.
    Resource,
    /// A customer-managed policy: an identity policy that CreatePolicy and
    /// CreatePolicyVersion take only in the current language version
    /// (`"Version": "2012-10-17"`), where inline and trust policies may
    /// leave `Version` out or keep `2008-10-17`.
    Managed,
}

/// One way a document breaks IAM's grammar: where (`Statement[0].Effect`)
/// and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The keys and indices leading to the faulty part; empty for the
    /// whole document.
    pub path: Vec<PathStep>,
    pub message: String,
}

/// A step into a document: a map key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

impl Problem {
    /// The path as written in messages: `Statement[0].Effect`.
    pub fn location(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                PathStep::Key(k) if out.is_empty() => out.push_str(k),
                PathStep::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                PathStep::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

/// Policy language versions IAM accepts.
pub const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];
const TOP_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];
/// Statement keys whose values are one string or a set of strings.
const SET_KEYS: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];

/// The document as a [`Value`]: a JSON string read as its map; anything
/// else as it is.
fn as_map_value(doc: &Value) -> Value {
    match doc {
        Value::String(text) => serde_json::from_str::<serde_json::Value>(text)
            .map(|j| Value::from_json(&j))
            .unwrap_or_else(|_| doc.clone()),
        _ => doc.clone(),
    }
}

/// The canonical form of a document (see the module's doc).
pub fn canonical(doc: &Value) -> Value {
    let Value::Map(top) = as_map_value(doc) else {
        return doc.clone();
    };
    let mut top = top;
    if let Some(statements) = top.get_mut("Statement") {
        let list = match std::mem::replace(statements, Value::Null) {
            Value::List(items) => items,
            one => vec![one],
        };
        *statements = Value::List(list.iter().map(statement).collect());
    }
    Value::Map(top)
}

fn statement(st: &Value) -> Value {
    let Value::Map(st) = st else { return st.clone() };
    let mut out = st.clone();
    for key in SET_KEYS {
        if let Some(v) = out.get_mut(*key) {
            *v = string_set(v, false);
        }
    }
    for key in ["Principal", "NotPrincipal"] {
        if let Some(Value::Map(types)) = out.get_mut(key) {
            for v in types.values_mut() {
                *v = string_set(v, false);
            }
        }
    }
    if let Some(Value::Map(operators)) = out.get_mut("Condition") {
        for keys in operators.values_mut() {
            if let Value::Map(keys) = keys {
                for v in keys.values_mut() {
                    *v = string_set(v, true);
                }
            }
        }
    }
    Value::Map(out)
}

/// One string or a sorted set of strings; `stringify`: numbers and bools
/// as their text, as IAM compares condition values.
fn string_set(v: &Value, stringify: bool) -> Value {
    let text = |v: &Value| match v {
        Value::Int(i) if stringify => Value::String(i.to_string()),
        Value::Bool(b) if stringify => Value::String(b.to_string()),
        other => other.clone(),
    };
    match v {
        Value::List(items) => {
            let mut items: Vec<Value> = items.iter().map(text).collect();
            items.sort_by_cached_key(|i| i.to_string());
            items.dedup_by(|a, b| a == b && !a.has_unknown());
            match <[Value; 1]>::try_from(items) {
                Ok([one]) => one,
                Err(items) => Value::List(items),
            }
        }
        other => text(other),
    }
}

/// The document as JSON text, the way IAM takes it.
pub fn to_json_text(doc: &Value) -> String {
    match doc {
        Value::String(text) => text.clone(),
        other => Value::to_json(other).to_string(),
    }
}

/// The characters of the document's JSON other than whitespace, as IAM
/// counts them against its quotas.
pub fn size(doc: &Value) -> usize {
    to_json_text(doc).chars().filter(|c| !c.is_whitespace()).count()
}

/// IAM's quota on a role's trust policy (ACLSizePerRole), in characters
/// other than whitespace.
pub const TRUST_SIZE: usize = 2048;
/// IAM's quota on all the inline policies of a role together
/// (RolePolicySize), in characters other than whitespace.
pub const INLINE_SIZE: usize = 10240;
/// IAM's quota on a managed policy's document (PolicySize), in characters
/// other than whitespace.
pub const MANAGED_SIZE: usize = 6144;
/// The versions IAM keeps of one managed policy, the default among them.
pub const MAX_VERSIONS: usize = 5;
/// IAM's default quota on the managed policies attached to one role
/// (PoliciesPerRole): what an account has until AWS raises it.
pub const MAX_ATTACHED: usize = 10;
/// The most managed policies AWS lets a role attach, its quota raised.
pub const MAX_ATTACHED_RAISED: usize = 20;

/// Why `name` is not a name IAM takes for an inline policy.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() || name.chars().count() > 128 {
        return Some(format!("{} characters, not 1 to 128", name.chars().count()));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)))
        .map(|c| format!("`{c}` is not allowed"))
}

/// A document IAM returns (JSON, URL-encoded by GetRolePolicy and
/// GetRole) as a value; text that is not JSON stays text, so a document
/// berth cannot read shows as drift rather than vanish.
pub fn from_aws(text: &str) -> Value {
    let decoded = if text.trim_start().starts_with('{') {
        text.to_owned()
    } else {
        percent_decode(text)
    };
    match serde_json::from_str::<serde_json::Value>(&decoded) {
        Ok(j) => Value::from_json(&j),
        Err(_) => Value::String(decoded),
    }
}

/// Decodes `%XX` escapes and `+`.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The trust policy letting one AWS service assume a role: what
/// `assume = "SERVICE"` stands for.
pub fn service_trust(service: &str) -> Value {
    let map =
        |pairs: Vec<(&str, Value)>| Value::Map(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    map(vec![
        ("Version", Value::from("2012-10-17")),
        (
            "Statement",
            Value::List(vec![map(vec![
                ("Effect", Value::from("Allow")),
                ("Principal", map(vec![("Service", Value::from(service))])),
                ("Action", Value::from("sts:AssumeRole")),
            ])]),
        ),
    ])
}

/// The service of a trust policy that only lets one service assume the
/// role (the canonical form of [`service_trust`]), if it is one.
pub fn trusted_service(doc: &Value) -> Option<String> {
    let doc = canonical(doc);
    let service = doc
        .as_map()?
        .get("Statement")?
        .as_list()?
        .first()?
        .as_map()?
        .get("Principal")?
        .as_map()?
        .get("Service")?
        .as_str()?
        .to_owned();
    (canonical(&service_trust(&service)) == doc).then_some(service)
}

/// Every way `doc` breaks IAM's grammar for a policy of `kind`. Parts
/// not known before apply (references) are taken on trust.
pub fn problems(doc: &Value, kind: DocumentKind) -> Vec<Problem> {
    let mut out = Vec::new();
    let doc = match doc {
        Value::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(j) => Value::from_json(&j),
            Err(e) => {
                out.push(problem(&[], format!("the text is not JSON: {e}")));
                return out;
            }
        },
        other => other.clone(),
    };
    let top = match &doc {
        Value::Map(top) => top,
        Value::Unknown => return out,
        other => {
            out.push(problem(
                &[],
                format!("a policy document is a map, not a {}", other.type_name()),
            ));
            return out;
        }
    };
    unknown_keys(top, TOP_KEYS, &[], &mut out);
    if let Some(v) = top.get("Version")
        && let Value::String(s) = v
        && !VERSIONS.contains(&s.as_str())
    {
        out.push(problem(
            &[key("Version")],
            format!("no policy version `{s}`: IAM takes \"2012-10-17\" or \"2008-10-17\""),
        ));
    }
    if kind == DocumentKind::Managed {
        match top.get("Version") {
            None => out.push(problem(
                &[],
                "a managed policy needs `Version = \"2012-10-17\"`: IAM refuses one without it (\"Policy document must be version 2012-10-17 or greater\")".to_owned(),
            )),
            Some(Value::String(s)) if s == "2008-10-17" => out.push(problem(
                &[key("Version")],
                "a managed policy is in version \"2012-10-17\": IAM refuses \"2008-10-17\" (\"Policy document must be version 2012-10-17 or greater\")".to_owned(),
            )),
            _ => {}
        }
    }
    match top.get("Statement") {
        None => out.push(problem(&[], "a policy document needs a `Statement`".to_owned())),
        Some(Value::List(items)) if items.is_empty() => out.push(problem(
            &[key("Statement")],
            "`Statement` needs at least one statement".to_owned(),
        )),
        Some(Value::List(items)) => {
            for (i, st) in items.iter().enumerate() {
                check_statement(st, &[key("Statement"), PathStep::Index(i)], kind, &mut out);
            }
        }
        Some(st) => check_statement(st, &[key("Statement")], kind, &mut out),
    }
    out
}

fn key(k: &str) -> PathStep {
    PathStep::Key(k.to_owned())
}

fn problem(path: &[PathStep], message: String) -> Problem {
    Problem {
        path: path.to_vec(),
        message,
    }
}

fn unknown_keys(map: &BTreeMap<String, Value>, known: &[&str], at: &[PathStep], out: &mut Vec<Problem>) {
    for k in map.keys().filter(|k| !known.contains(&k.as_str())) {
        let mut path = at.to_vec();
        path.push(key(k));
        let close = known.iter().find(|c| near(c, k));
        let hint = close.map_or_else(
            || format!("IAM takes {}", known.join(", ")),
            |c| format!("did you mean `{c}`?"),
        );
        out.push(problem(&path, format!("unknown key `{k}`: {hint}")));
    }
}

/// Whether `a` and `b` differ by case or at most two edits: a typo.
fn near(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (
        a.to_ascii_lowercase().chars().collect(),
        b.to_ascii_lowercase().chars().collect(),
    );
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()] <= 2
}

fn check_statement(st: &Value, at: &[PathStep], kind: DocumentKind, out: &mut Vec<Problem>) {
    let st = match st {
        Value::Map(st) => st,
        Value::Unknown => return,
        other => {
            out.push(problem(
                at,
                format!("a statement is a map, not a {}", other.type_name()),
            ));
            return;
        }
    };
    let here = |k: &str| {
        let mut path = at.to_vec();
        path.push(key(k));
        path
    };
    unknown_keys(st, STATEMENT_KEYS, at, out);
    match st.get("Effect") {
        None => out.push(problem(at, "the statement has no `Effect`".to_owned())),
        Some(Value::String(e)) if e == "Allow" || e == "Deny" => {}
        Some(Value::Unknown) => {}
        Some(e) => out.push(problem(
            &here("Effect"),
            format!("`Effect` is \"Allow\" or \"Deny\", not {e}"),
        )),
    }
    // IAM's rule; a resource's own policy (S3's, SQS's, ...) takes any
    // text (S3's documented `"Sid": "elb-log-delivery"`).
    let iam = matches!(
        kind,
        DocumentKind::Identity | DocumentKind::Trust | DocumentKind::Managed
    );
    if let Some(Value::String(sid)) = st.get("Sid")
        && iam
        && !sid.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        out.push(problem(
            &here("Sid"),
            format!("`Sid` \"{sid}\" may hold only letters and digits"),
        ));
    }
    one_of(st, "Action", "NotAction", at, true, out);
    for k in ["Action", "NotAction"] {
        for (i, action) in strings(st.get(k), &here(k), out) {
            if action != "*" && !valid_action(action) {
                out.push(problem(
                    &i,
                    format!("action `{action}` must be prefixed by a service, e.g. `s3:GetObject`"),
                ));
            }
        }
    }
    for k in ["Resource", "NotResource"] {
        for (i, resource) in strings(st.get(k), &here(k), out) {
            if resource != "*" && !resource.starts_with("arn:") {
                out.push(problem(
                    &i,
                    format!("resource `{resource}` is not an ARN (`arn:...`) or `*`"),
                ));
            }
        }
    }
    match kind {
        DocumentKind::Identity | DocumentKind::Managed => {
            for k in ["Principal", "NotPrincipal"] {
                if st.contains_key(k) {
                    out.push(problem(
                        &here(k),
                        format!("a policy attached to a role names no `{k}`: the role is the principal"),
                    ));
                }
            }
            one_of(st, "Resource", "NotResource", at, true, out);
        }
        DocumentKind::Endpoint => {
            one_of(st, "Principal", "NotPrincipal", at, false, out);
            one_of(st, "Resource", "NotResource", at, false, out);
        }
        DocumentKind::Repository | DocumentKind::FileSystem | DocumentKind::Queue => {
            one_of(st, "Principal", "NotPrincipal", at, true, out);
            one_of(st, "Resource", "NotResource", at, false, out);
        }
        DocumentKind::Resource => {
            one_of(st, "Principal", "NotPrincipal", at, true, out);
            one_of(st, "Resource", "NotResource", at, true, out);
        }
        DocumentKind::Trust => {
            one_of(st, "Principal", "NotPrincipal", at, true, out);
            for k in ["Resource", "NotResource"] {
                if st.contains_key(k) {
                    out.push(problem(
                        &here(k),
                        format!("a trust policy names no `{k}`: the role itself is the resource"),
                    ));
                }
            }
        }
    }
    for k in ["Principal", "NotPrincipal"] {
        check_principal(st.get(k), &here(k), out);
    }
    check_condition(st.get("Condition"), &here("Condition"), out);
}

/// Exactly one of `a` and `b` (or at most one when not `required`).
fn one_of(
    st: &BTreeMap<String, Value>,
    a: &str,
    b: &str,
    at: &[PathStep],
    required: bool,
    out: &mut Vec<Problem>,
) {
    match (st.contains_key(a), st.contains_key(b)) {
        (true, true) => {
            let mut path = at.to_vec();
            path.push(key(b));
            out.push(problem(
                &path,
                format!("a statement has `{a}` or `{b}`, not both"),
            ));
        }
        (false, false) if required => {
            out.push(problem(at, format!("the statement has no `{a}` (or `{b}`)")));
        }
        _ => {}
    }
}

/// The strings of a one-string-or-list value, with their paths; anything
/// else is reported.
fn strings<'v>(
    v: Option<&'v Value>,
    at: &[PathStep],
    out: &mut Vec<Problem>,
) -> Vec<(Vec<PathStep>, &'v str)> {
    let mut found = Vec::new();
    let mut one = |v: &'v Value, path: Vec<PathStep>, out: &mut Vec<Problem>| match v {
        Value::String(s) => found.push((path, s.as_str())),
        Value::Unknown => {}
        other => out.push(problem(
            &path,
            format!("expected a string, found a {}", other.type_name()),
        )),
    };
    match v {
        None => {}
        Some(Value::List(items)) if items.is_empty() => out.push(problem(
            at,
            "an empty list: IAM needs at least one value".to_owned(),
        )),
        Some(Value::List(items)) => {
            for (i, item) in items.iter().enumerate() {
                let mut path = at.to_vec();
                path.push(PathStep::Index(i));
                one(item, path, out);
            }
        }
        Some(v) => one(v, at.to_vec(), out),
    }
    found
}

/// `service:action`, the action part possibly with wildcards.
fn valid_action(action: &str) -> bool {
    action.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"*?-_".contains(&b))
    })
}

fn check_principal(v: Option<&Value>, at: &[PathStep], out: &mut Vec<Problem>) {
    match v {
        None | Some(Value::Unknown) => {}
        Some(Value::String(s)) if s == "*" => {}
        Some(Value::Map(types)) => {
            unknown_keys(types, PRINCIPAL_TYPES, at, out);
            for (t, v) in types {
                let mut path = at.to_vec();
                path.push(key(t));
                strings(Some(v), &path, out);
            }
        }
        Some(other) => out.push(problem(
            at,
            format!("a principal is `\"*\"` or a map such as {{ Service = \"ecs-tasks.amazonaws.com\" }}, not {other}"),
        )),
    }
}

fn check_condition(v: Option<&Value>, at: &[PathStep], out: &mut Vec<Problem>) {
    let operators = match v {
        None | Some(Value::Unknown) => return,
        Some(Value::Map(m)) => m,
        Some(other) => {
            out.push(problem(
                at,
                format!(
                    "`Condition` maps operators to keys and values, not a {}",
                    other.type_name()
                ),
            ));
            return;
        }
    };
    for (op, keys) in operators {
        let mut path = at.to_vec();
        path.push(key(op));
        match keys {
            Value::Map(keys) => {
                for (k, v) in keys {
                    let mut path = path.clone();
                    path.push(key(k));
                    let scalar = |v: &Value| {
                        matches!(
                            v,
                            Value::String(_) | Value::Int(_) | Value::Bool(_) | Value::Unknown
                        )
                    };
                    let ok = scalar(v) || v.as_list().is_some_and(|l| !l.is_empty() && l.iter().all(scalar));
                    if !ok {
                        out.push(problem(
                            &path,
                            "a condition value is a string, number or bool, or a list of them".to_owned(),
                        ));
                    }
                }
            }
            Value::Unknown => {}
            other => out.push(problem(
                &path,
                format!(
                    "condition `{op}` maps keys to values, not a {}",
                    other.type_name()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn terraform_and_iam_spellings_meet() {
        let written = json(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject"],
                "Resource":["arn:aws:s3:::b/*","arn:aws:s3:::a/*"],
                "Condition":{"Bool":{"aws:SecureTransport":true}}}}"#,
        );
        let read = from_aws(
            "%7B%22Statement%22%3A%5B%7B%22Resource%22%3A%5B%22arn%3Aaws%3As3%3A%3A%3Aa%2F*%22%2C%22arn%3Aaws%3As3%3A%3A%3Ab%2F*%22%5D%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Effect%22%3A%22Allow%22%2C%22Condition%22%3A%7B%22Bool%22%3A%7B%22aws%3ASecureTransport%22%3A%22true%22%7D%7D%7D%5D%2C%22Version%22%3A%222012-10-17%22%7D",
        );
        assert_eq!(canonical(&written), canonical(&read));
        assert_eq!(
            canonical(&Value::String(to_json_text(&written))),
            canonical(&written)
        );
    }

    #[test]
    fn a_lone_service_trust_is_that_service() {
        let doc = service_trust("ecs-tasks.amazonaws.com");
        assert_eq!(trusted_service(&doc).as_deref(), Some("ecs-tasks.amazonaws.com"));
        let text = to_json_text(&doc).replace("sts:AssumeRole", "sts:TagSession");
        assert_eq!(trusted_service(&from_aws(&text)), None);
    }

    /// terraform-aws-modules/alb's log bucket policy names its statements
    /// `"elb-log-delivery"`, as S3's documentation does: S3 takes it, IAM
    /// would not (the local cloud refused it after validate and plan).
    #[test]
    fn a_sid_is_held_to_iams_rule_in_iam_only() {
        let doc = |kind| {
            let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"elb-log-delivery","Effect":"Allow",
                "Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*"}]}"#;
            problems(&json(text), kind).len()
        };
        assert_eq!(doc(DocumentKind::Resource), 0);
        assert_eq!(doc(DocumentKind::Queue), 0);
        assert_eq!(doc(DocumentKind::Identity), 2, "a principal and the Sid");
    }

    #[test]
    fn the_grammar_finds_what_iam_refuses() {
        let doc = json(
            r#"{"Version":"2012-10-18","Statment":[],"Statement":[
                {"Effect":"Permit","Action":"GetObject","NotAction":"s3:*","Resource":"bucket"},
                {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
        );
        let found: Vec<String> = problems(&doc, DocumentKind::Identity)
            .iter()
            .map(|p| format!("{}: {}", p.location(), p.message))
            .collect();
        let expect = [
            "Statment: unknown key `Statment`: did you mean `Statement`?",
            "Version: no policy version",
            "Statement[0].Effect: `Effect` is",
            "Statement[0].NotAction: a statement has `Action` or `NotAction`",
            "Statement[0].Action: action `GetObject` must be prefixed",
            "Statement[0].Resource: resource `bucket` is not an ARN",
            "Statement[1].Principal: a policy attached to a role names no `Principal`",
        ];
        for e in expect {
            assert!(found.iter().any(|f| f.starts_with(e)), "{e} not in {found:#?}");
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");

        let trust = json(r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#);
        let found = problems(&trust, DocumentKind::Trust);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("no `Principal`"), "{found:?}");
        assert!(
            problems(&Value::from("{not json"), DocumentKind::Identity)[0]
                .message
                .starts_with("the text is not JSON")
        );
    }

    #[test]
    fn a_managed_policy_needs_the_current_version_where_an_inline_one_does_not() {
        let bare = json(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#);
        assert_eq!(problems(&bare, DocumentKind::Identity), vec![]);
        let found = problems(&bare, DocumentKind::Managed);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("2012-10-17 or greater"), "{found:?}");
        let old = json(
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        );
        assert_eq!(problems(&old, DocumentKind::Identity), vec![]);
        assert_eq!(problems(&old, DocumentKind::Managed)[0].location(), "Version");
        let current = json(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        );
        assert_eq!(problems(&current, DocumentKind::Managed), vec![]);
    }

    #[test]
    fn unknown_parts_are_taken_on_trust() {
        let doc = Value::Map(
            [
                ("Version".to_owned(), Value::from("2012-10-17")),
                (
                    "Statement".to_owned(),
                    Value::List(vec![Value::Map(
                        [
                            ("Effect".to_owned(), Value::from("Allow")),
                            ("Action".to_owned(), Value::from("logs:PutLogEvents")),
                            ("Resource".to_owned(), Value::Unknown),
                        ]
                        .into(),
                    )]),
                ),
            ]
            .into(),
        );
        assert_eq!(problems(&doc, DocumentKind::Identity), vec![]);
    }
}
