//! Terraform's `container_definitions`: ECS's JSON of a task's containers,
//! written as `jsonencode([...])` (whose values may be references, such as
//! a log group's name or a repository's URL) or read from a file
//! (`file("containers.json")`, `templatefile(...)`), turned into the
//! `container` blocks it describes. Each JSON field is found by the AWS
//! field name the schema gives its berth attribute or block (`portMappings`
//! is `port_mapping` blocks, `healthCheck.startPeriod` a health check's
//! `start_period`), so the schema is the one table of names; a field the
//! schema has no place for is an error, never dropped.

use std::collections::BTreeMap;

use berth_provider::Value;
use berth_provider::schema::{Attr, Block as BlockSchema, Type};

use crate::diagnostic::Diagnostic;
use crate::source::{Span, Spanned};
use crate::stack::{DesiredBlock, DesiredBody, DesiredValue};

/// The task definition attribute Terraform writes its containers in.
pub const ATTR: &str = "container_definitions";

const CODE: &str = "E0332";

/// Where the JSON's parts were written: the spans of a literal's parts by
/// path (`[0].portMappings[1].hostPort`), else the whole attribute's.
pub struct Place<'a> {
    pub parts: &'a BTreeMap<String, Span>,
    pub whole: Span,
    /// Each line of the text, where it was written as a heredoc (empty
    /// otherwise): invalid JSON is pointed at its line.
    pub lines: Vec<Span>,
}

impl Place<'_> {
    fn at(&self, path: &str) -> Span {
        self.parts.get(path).copied().unwrap_or(self.whole)
    }
}

/// The containers `value` (the JSON's list, or its text) describes, each
/// value and error spanned where `place` says its part was written.
pub fn containers(
    value: DesiredValue,
    schema: &BlockSchema,
    place: &Place<'_>,
) -> Result<Vec<DesiredBlock>, Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    let span = place.whole;
    let value = match value {
        DesiredValue::Known(Value::String(text)) => {
            match super::functions::call("jsondecode", &[Value::String(text.clone())]) {
                Ok(v) => DesiredValue::Known(v),
                Err(e) => {
                    let d = error(format!("`{ATTR}` is not JSON: {e}"), span);
                    return Err(one(at_line(d, &text, place)));
                }
            }
        }
        // JSON text with values known after apply in it (a heredoc's or a
        // template's interpolations).
        DesiredValue::Concat(parts) => match super::json_text::decode(parts) {
            Ok(v) => v,
            Err(e) => return Err(one(error(format!("`{ATTR}` is not JSON: {e}"), span))),
        },
        other => other,
    };
    let Node::List(items) = node(value) else {
        return Err(one(error(format!("`{ATTR}` is a list of containers"), span)
            .help(
                "write `container_definitions = jsonencode([{ name = \"app\"  image = \"...\" }])`",
            )));
    };
    let mut out: Vec<DesiredBlock> = Vec::new();
    // Every container's unknown fields, reported together.
    let mut problems = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("[{i}]");
        let Node::Map(mut fields) = item else {
            return Err(one(error(
                "each container is a map of ECS's fields",
                place.at(&path),
            )));
        };
        let name = match take(&mut fields, "name").map(fold) {
            Some(DesiredValue::Known(Value::String(n))) => n,
            _ => {
                return Err(one(error(
                    "a container needs its `name`, known at plan time",
                    place.at(&path),
                )
                .help("add `name = \"app\"` to each container")));
            }
        };
        let label = place.at(&format!("{path}.name"));
        if out
            .iter()
            .any(|c| c.label.as_ref().is_some_and(|l| l.node == name))
        {
            return Err(one(error(format!("two containers are named `{name}`"), label)));
        }
        fields.retain(|key, _| !is_task_level(key));
        match body(schema, fields, &path, place) {
            Ok(body) => out.push(DesiredBlock {
                label: Some(Spanned::new(name, label)),
                body,
                span: place.at(&path),
            }),
            Err(errors) => problems.extend(errors.into_iter().map(|e| e.named(&name))),
        }
    }
    match problems.is_empty() {
        true => Ok(out),
        false => Err(problems),
    }
}

/// `d`, pointed also at the written line where `text` stops being JSON
/// (a heredoc's lines are the text's, when its interpolations span none).
fn at_line(d: Diagnostic, text: &str, place: &Place<'_>) -> Diagnostic {
    let Some(line) = serde_json::from_str::<serde_json::Value>(text)
        .err()
        .map(|e| e.line())
    else {
        return d;
    };
    match place.lines.get(line.wrapping_sub(1)) {
        Some(span) if place.lines.len() == text.lines().count() => {
            d.also(*span, format!("line {line} of the JSON"))
        }
        _ => d,
    }
}

fn error(message: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(CODE, message, span).label("in these container definitions")
}

/// A field's problem, named with its path once the container is known.
struct FieldError {
    path: String,
    problem: String,
    help: Option<String>,
    span: Span,
}

impl FieldError {
    fn named(self, container: &str) -> Diagnostic {
        let d = Diagnostic::error(
            CODE,
            format!("container `{container}`: `{}` {}", self.path, self.problem),
            self.span,
        )
        .label("this field");
        match self.help {
            Some(h) => d.help(h),
            None => d,
        }
    }
}

/// A JSON value with its known parts unfolded, so that a map or list is
/// one shape whether its values are known or not.
enum Node {
    Map(BTreeMap<String, Node>),
    List(Vec<Node>),
    Leaf(DesiredValue),
}

fn node(v: DesiredValue) -> Node {
    match v {
        DesiredValue::Known(Value::Map(m)) => Node::Map(
            m.into_iter()
                .map(|(k, v)| (k, node(DesiredValue::Known(v))))
                .collect(),
        ),
        DesiredValue::Known(Value::List(l)) => {
            Node::List(l.into_iter().map(|v| node(DesiredValue::Known(v))).collect())
        }
        DesiredValue::Map(m) => Node::Map(m.into_iter().map(|(k, v)| (k, node(v))).collect()),
        DesiredValue::List(l) => Node::List(l.into_iter().map(node).collect()),
        leaf => Node::Leaf(leaf),
    }
}

/// The value again, known wherever all its parts are.
fn fold(n: Node) -> DesiredValue {
    match n {
        Node::Map(m) => DesiredValue::map(m.into_iter().map(|(k, v)| (k, fold(v))).collect()),
        Node::List(l) => DesiredValue::list(l.into_iter().map(fold).collect()),
        Node::Leaf(v) => v,
    }
}

/// Task definition fields that stacks copy into each container, where
/// ECS has no such field and Terraform's provider drops them unread
/// (`"networkMode": "awsvpc"` in the Fargate examples; `network_mode`,
/// `placementConstraints` and `enableFaultInjection` in
/// ankurk91/terraform-aws-ecs-infra-demo's, `runtime_platform` in
/// Tracecat's and its `cpuArchitecture` in Boomi's: the tasks run on the
/// task definition's platform; and what DescribeTaskDefinition reports of
/// the task, pasted with it: `compatibilities` in cebartling's Datadog
/// worker), in any case, with or without underscores.
const TASK_LEVEL: [&str; 15] = [
    "networkMode",
    "requiresCompatibilities",
    "placementConstraints",
    "enableFaultInjection",
    "runtimePlatform",
    "cpuArchitecture",
    "operatingSystemFamily",
    "compatibilities",
    "requiresAttributes",
    "status",
    "revision",
    "taskDefinitionArn",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// Whether the container field `key` is one of [`TASK_LEVEL`]: the
/// task's, dropped from a container as Terraform's provider drops it.
pub fn is_task_level(key: &str) -> bool {
    let key: String = key.chars().filter(|c| *c != '_').collect();
    TASK_LEVEL.iter().any(|f| f.eq_ignore_ascii_case(&key))
}

/// `null`, `[]` and `{}`: what Terraform's modules write for a field left
/// empty (`"environment": []`, `"mountPoints": []`), which AWS stores as none.
fn is_empty(n: &Node) -> bool {
    match n {
        Node::Map(m) => m.is_empty(),
        Node::List(l) => l.is_empty(),
        Node::Leaf(v) => *v == DesiredValue::Known(Value::Null),
    }
}

/// ECS's fields that take one of a set of words: an empty string in one
/// is no setting, as the Go SDK (so ecspresso) never sends it
/// (`"appProtocol": ""`).
pub const ENUMS: [&str; 6] = [
    "ipcMode",
    "pidMode",
    "networkMode",
    "appProtocol",
    "protocol",
    "versionConsistency",
];

/// Whether the field at `path` is one of [`ENUMS`] written `""`.
fn is_empty_enum(path: &str, n: &Node) -> bool {
    let field = path.rsplit('.').next().unwrap_or(path);
    ENUMS.iter().any(|e| e.eq_ignore_ascii_case(field))
        && matches!(n, Node::Leaf(DesiredValue::Known(Value::String(s))) if s.is_empty())
}

/// Fields Fargate refuses switched on, written switched off (as
/// terraform-aws-modules/ecs's container definition writes `"privileged":
/// false` for every container): what ECS has without them.
fn is_off(path: &str, n: &Node) -> bool {
    const OFF_ON_FARGATE: [&str; 2] = ["privileged", "disableNetworking"];
    OFF_ON_FARGATE.iter().any(|f| f.eq_ignore_ascii_case(path))
        && matches!(n, Node::Leaf(DesiredValue::Known(Value::Bool(false))))
}

/// The field `name` of `fields`, taken out, in any case: Terraform's
/// provider reads container definitions case-insensitively (Go's JSON
/// decoding), and CloudFormation writes ECS's fields capitalised
/// (`Name`, `PortMappings`).
fn take(fields: &mut BTreeMap<String, Node>, name: &str) -> Option<Node> {
    let key = fields.keys().find(|k| k.eq_ignore_ascii_case(name))?.clone();
    fields.remove(&key)
}

/// Whether `attr` is written as ECS's field at `path` in a block whose AWS
/// name is `block_aws` (a health check's `healthCheck.command`), in any
/// case (see [`take`]).
fn is_field(attr: &Attr, block_aws: &str, path: &str) -> bool {
    let aws = attr.aws;
    if aws.eq_ignore_ascii_case(path) {
        return true;
    }
    let prefix = block_aws.len() + 1;
    aws.len() > prefix
        && aws
            .get(..block_aws.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(block_aws))
        && aws.as_bytes()[block_aws.len()] == b'.'
        && aws
            .get(prefix..)
            .is_some_and(|rest| rest.eq_ignore_ascii_case(path))
}

/// Fields of a container that belong elsewhere: (field, where).
const ELSEWHERE: [(&str, &str); 1] = [(
    "enableExecuteCommand",
    "ECS Exec is the service's: write `enable_execute_command = true` on the `service`",
)];

/// The help for the field `path` the block `schema` has no place for: where
/// it belongs, or the field of the block it is a typo of.
fn unknown_field_help(schema: &BlockSchema, path: &str) -> String {
    if let Some((_, elsewhere)) = ELSEWHERE.iter().find(|(f, _)| f.eq_ignore_ascii_case(path)) {
        return (*elsewhere).to_owned();
    }
    let prefix = format!("{}.", schema.aws);
    let fields = schema
        .attrs
        .iter()
        .map(|a| a.aws.strip_prefix(prefix.as_str()).unwrap_or(a.aws))
        .chain(schema.blocks.iter().map(|b| b.aws));
    let last = path.rsplit('.').next().unwrap_or(path);
    match crate::suggest::closest(last, fields) {
        Some(field) => format!("did you mean `{field}`?"),
        None => "berth writes the fields Fargate takes; convert the JSON with \
                 `berth import task-definition FILE.json` to see what it keeps"
            .into(),
    }
}

/// The block `schema` that the JSON map `fields`, at `json` in the
/// definitions, describes; else each field it has no place for (or the
/// first other problem).
fn body(
    schema: &BlockSchema,
    fields: BTreeMap<String, Node>,
    json: &str,
    place: &Place<'_>,
) -> Result<DesiredBody, Vec<FieldError>> {
    let mut out = DesiredBody::default();
    let mut unknown = Vec::new();
    let mut pending: Vec<(String, Node)> = fields.into_iter().collect();
    while let Some((path, value)) = pending.pop() {
        let span = place.at(&format!("{json}.{path}"));
        if is_empty(&value) || is_off(&path, &value) || is_empty_enum(&path, &value) {
            continue;
        }
        if let Some(attr) = schema.attrs.iter().find(|a| is_field(a, schema.aws, &path)) {
            let v = attr_value(attr, value).ok_or_else(|| {
                vec![FieldError {
                    path: path.clone(),
                    problem: "is not a list of `name` and `value` (or `valueFrom`) pairs, each name once"
                        .into(),
                    help: None,
                    span,
                }]
            })?;
            out.attrs.insert(attr.name.to_owned(), Spanned::new(v, span));
            continue;
        }
        if let Some(nested) = schema.blocks.iter().find(|b| b.aws.eq_ignore_ascii_case(&path)) {
            let items = match value {
                Node::List(items) => items
                    .into_iter()
                    .enumerate()
                    .map(|(j, n)| (format!("{json}.{path}[{j}]"), n))
                    .collect(),
                one => vec![(format!("{json}.{path}"), one)],
            };
            for (at, item) in items {
                let Node::Map(fields) = item else {
                    return Err(vec![FieldError {
                        path,
                        problem: "holds something other than maps".into(),
                        help: None,
                        span: place.at(&at),
                    }]);
                };
                let body = match body(nested, fields, &at, place) {
                    Ok(body) => body,
                    Err(errors) => {
                        unknown.extend(errors.into_iter().map(|e| FieldError {
                            path: format!("{path}.{}", e.path),
                            ..e
                        }));
                        continue;
                    }
                };
                out.blocks
                    .entry(nested.name.to_owned())
                    .or_default()
                    .push(DesiredBlock {
                        label: None,
                        body,
                        span: place.at(&at),
                    });
            }
            continue;
        }
        match value {
            // A group of fields, such as `repositoryCredentials` or a
            // Linux parameters' `capabilities`: each by its dotted path.
            Node::Map(m)
                if schema.attrs.iter().any(|a| {
                    a.aws
                        .to_ascii_lowercase()
                        .contains(&format!("{}.", path.to_ascii_lowercase()))
                }) =>
            {
                pending.extend(m.into_iter().map(|(k, v)| (format!("{path}.{k}"), v)));
            }
            _ => unknown.push(FieldError {
                help: Some(unknown_field_help(schema, &path)),
                path,
                problem: "is not a field berth writes".into(),
                span,
            }),
        }
    }
    match unknown.is_empty() {
        true => Ok(out),
        false => {
            // By path: one report, whatever order the fields came in.
            unknown.sort_by(|a, b| a.path.cmp(&b.path));
            Err(unknown)
        }
    }
}

/// A field's value as `attr` takes it: ECS's lists of `name` and `value`
/// (`environment`, `secrets`, a log's `secretOptions`) are berth's maps.
fn attr_value(attr: &Attr, value: Node) -> Option<DesiredValue> {
    match (attr.ty, value) {
        (Type::Map(_), Node::List(pairs)) => {
            let mut map = BTreeMap::new();
            for pair in pairs {
                let Node::Map(mut pair) = pair else { return None };
                let name = match take(&mut pair, "name").map(fold) {
                    Some(DesiredValue::Known(Value::String(n))) => n,
                    _ => return None,
                };
                // Other keys beside them (hashintel's `secret = false`, from
                // the objects its environment is filtered from) are dropped,
                // as Terraform's provider decodes the JSON.
                let value = take(&mut pair, "value").or_else(|| take(&mut pair, "valueFrom"))?;
                // A value left null (CloudFormation's `!Ref AWS::NoValue`,
                // a module's optional value): Terraform's provider and
                // CloudFormation register the name alone, which the
                // container gets set to the empty string.
                let value = match value {
                    Node::Leaf(DesiredValue::Known(Value::Null)) if attr.name == "env" => {
                        DesiredValue::Known(Value::from(""))
                    }
                    value => fold(value),
                };
                // ECS takes a name twice and keeps one; which, it does not say.
                if map.insert(name, value).is_some() {
                    return None;
                }
            }
            Some(DesiredValue::map(map))
        }
        // ECS's own JSON spells berth's switch `versionConsistency` as
        // `"enabled"` or `"disabled"`.
        (Type::Bool, Node::Leaf(DesiredValue::Known(Value::String(s))))
            if s == "enabled" || s == "disabled" =>
        {
            Some(DesiredValue::Known(Value::Bool(s == "enabled")))
        }
        (_, value) => Some(fold(value)),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{resources, stack};

    const BASE: &str = r#"
variable port { default = 8080 }
log_group app { retention_days = 7 }
"#;

    fn task(containers: &str) -> String {
        format!(
            "{BASE}task_definition app {{\n  cpu = 256\n  memory = 512\n  execution_role = \"arn:aws:iam::123456789012:role/exec\"\n{containers}\n}}\n"
        )
    }

    #[test]
    fn terraform_json_is_berths_container_blocks() {
        let terraform = resources(&task(
            r#"
  container_definitions = jsonencode([
    {
      "name" : "app",
      "image" : "nginx:${var.port}",
      "cpu" : 0,
      "mountPoints" : [],
      "portMappings" : [{ "containerPort" : var.port, "protocol" : "tcp" }],
      "environment" : [{ "name" : "PORT", "value" : tostring(var.port) }],
      "secrets" : [{ "name" : "KEY", "valueFrom" : "arn:aws:ssm:us-east-1:123456789012:parameter/key" }],
      "dockerLabels" : { "team" : "web" },
      "logConfiguration" : {
        "logDriver" : "awslogs",
        "options" : { "awslogs-group" : log_group.app.name },
        "secretOptions" : [{ "name" : "token", "valueFrom" : "arn:aws:ssm:us-east-1:123456789012:parameter/t" }]
      },
      "healthCheck" : { "command" : ["CMD", "true"], "startPeriod" : 10 },
      "linuxParameters" : { "capabilities" : { "add" : ["SYS_PTRACE"] } },
      "repositoryCredentials" : { "credentialsParameter" : "arn:aws:secretsmanager:us-east-1:123456789012:secret:r" },
      "dependsOn" : [{ "containerName" : "init", "condition" : "SUCCESS" }]
    },
    { "name" : "init", "image" : "busybox", "essential" : false }
  ])"#,
        ));
        let berth = resources(&task(
            r#"
  container app {
    image  = "nginx:${var.port}"
    cpu    = 0
    env    = { PORT = tostring(var.port) }
    secrets = { KEY = "arn:aws:ssm:us-east-1:123456789012:parameter/key" }
    labels = { team = "web" }
    repository_credentials = "arn:aws:secretsmanager:us-east-1:123456789012:secret:r"
    port_mapping {
      container_port = var.port
      protocol       = "tcp"
    }
    log {
      driver         = "awslogs"
      options        = { "awslogs-group" = log_group.app.name }
      secret_options = { token = "arn:aws:ssm:us-east-1:123456789012:parameter/t" }
    }
    health_check {
      command      = ["CMD", "true"]
      start_period = 10
    }
    linux { capabilities_add = ["SYS_PTRACE"] }
    depends_on {
      container = "init"
      condition = "SUCCESS"
    }
  }
  container init {
    image     = "busybox"
    essential = false
  }"#,
        ));
        assert_eq!(terraform, berth);
    }

    /// CloudFormation's `ContainerDefinitions` capitalise ECS's fields,
    /// and Terraform's provider reads any case: they were E0332 (no `name`,
    /// then each field "not a field berth writes"). The log options' own
    /// keys stay as written.
    #[test]
    fn fields_in_any_case_are_ecss() {
        let cloudformation = resources(&task(
            r#"
  container_definitions = jsonencode([{
    Name         = "app"
    Image        = "nginx"
    Essential    = true
    PortMappings = [{ ContainerPort = 80, Protocol = "tcp" }]
    Environment  = [{ Name = "MODE", Value = "prod" }]
    LogConfiguration = {
      LogDriver = "awslogs"
      Options   = { "awslogs-group" = log_group.app.name }
    }
    healthcheck = { command = ["CMD", "true"] }
  }])"#,
        ));
        let berth = resources(&task(
            r#"
  container app {
    image     = "nginx"
    essential = true
    env       = { MODE = "prod" }
    port_mapping {
      container_port = 80
      protocol       = "tcp"
    }
    log {
      driver  = "awslogs"
      options = { "awslogs-group" = log_group.app.name }
    }
    health_check { command = ["CMD", "true"] }
  }"#,
        ));
        assert_eq!(cloudformation, berth);
    }

    #[test]
    fn json_text_is_read_as_jsonencode_would_write_it() {
        let text = resources(&task(
            r#"  container_definitions = "[{\"name\": \"app\", \"image\": \"nginx\", \"environment\": [{\"name\": \"A\", \"value\": \"1\"}], \"volumesFrom\": []}]""#,
        ));
        let encoded = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx", environment = [{ name = "A", value = "1" }] }])"#,
        ));
        assert_eq!(text, encoded);
        assert_eq!(text["task_definition.app"].blocks["container"].len(), 1);
    }

    /// terraform-aws-modules/ecs's container definition writes
    /// `"privileged": false` for every container: E0332 in every service of
    /// the ECS blueprints. Switched off, it is what Fargate runs anyway.
    #[test]
    fn fields_fargate_refuses_are_taken_switched_off() {
        let off = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx", privileged = false, disableNetworking = false }])"#,
        ));
        let plain = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx" }])"#,
        ));
        assert_eq!(off, plain);
    }

    /// ecspresso's definitions write unset choices as `""`, which the Go
    /// SDK never sends: `appProtocol = ""` was E0552.
    #[test]
    fn empty_choices_are_no_setting() {
        let empty = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx", portMappings = [{ containerPort = 80, appProtocol = "", protocol = "" }] }])"#,
        ));
        let plain = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx", portMappings = [{ containerPort = 80 }] }])"#,
        ));
        assert_eq!(empty, plain);
    }

    /// aws-samples/retail-store-sample-app writes ECS's
    /// `"versionConsistency": "disabled"`: it was E0401 (a bool expected).
    #[test]
    fn version_consistency_is_taken_as_ecs_spells_it() {
        let json = |v: &str| {
            resources(&task(&format!(
                r#"  container_definitions = jsonencode([{{ name = "app", image = "nginx", versionConsistency = {v} }}])"#
            )))
        };
        assert_eq!(json(r#""disabled""#), json("false"));
        assert_eq!(json(r#""enabled""#), json("true"));
        assert_ne!(json(r#""enabled""#), json(r#""disabled""#));
    }

    /// ankurk91/terraform-aws-ecs-infra-demo (and Tracecat, its runtime
    /// platform) copies task settings into its container, which
    /// Terraform's provider drops unread: E0332, one field a run, before;
    /// cebartling's Datadog worker, DescribeTaskDefinition's
    /// `compatibilities`.
    /// lakerunner's `Value: !If [Cond, x, !Ref AWS::NoValue]`, ported:
    /// E0401 "expected a string, found a null" over the whole list.
    #[test]
    fn an_environment_value_left_null_is_the_name_alone() {
        let env = |value: &str| {
            resources(&task(&format!(
                r#"  container_definitions = jsonencode([{{ name = "app", image = "nginx", environment = [{{ name = "A", value = "1" }}, {{ name = "B", value = {value} }}] }}])"#
            )))
        };
        assert_eq!(env("null"), env("\"\""));
        // An entry's keys beside `name` and `value` (E0332 before).
        let extra = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx", environment = [{ name = "A", value = "1" }, { name = "B", secret = false, value = "" }] }])"#,
        ));
        assert_eq!(extra, env("\"\""));
    }

    #[test]
    fn task_settings_copied_into_a_container_are_dropped() {
        let copied = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx", network_mode = "awsvpc", networkMode = "awsvpc", placementConstraints = false, enableFaultInjection = false, runtime_platform = { cpuArchitecture = "ARM64" }, cpuArchitecture = "ARM64", compatibilities = ["EC2", "FARGATE"], status = "ACTIVE" }])"#,
        ));
        let plain = resources(&task(
            r#"  container_definitions = jsonencode([{ name = "app", image = "nginx" }])"#,
        ));
        assert_eq!(copied, plain);
    }

    #[test]
    fn a_sensitive_value_masks_the_containers() {
        let text = |value: &str| {
            format!(
                "variable token {{\n  default = \"s3cret\"\n  sensitive = true\n}}\n{}",
                task(&format!(
                    r#"  container_definitions = jsonencode([{{ name = "a", image = "x", environment = [{{ name = "T", value = {value} }}] }}])"#
                ))
            )
        };
        let masked = |value: &str| {
            let stack = stack(&text(value));
            let task = stack
                .resources
                .iter()
                .find(|r| r.address.to_string() == "task_definition.app");
            let container = &task.expect("the task definition").body.blocks("container")[0];
            container.body.sensitive.clone()
        };
        assert!(masked("var.token").contains("env"));
        assert!(masked("var.token").contains("image"));
        assert!(masked("\"plain\"").is_empty());
    }
}
