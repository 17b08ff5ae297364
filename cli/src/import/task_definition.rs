//! A task definition as ECS's JSON (a RegisterTaskDefinition input, or a
//! DescribeTaskDefinition output `{"taskDefinition": …}`) turned into a
//! `task_definition` block. Every field is either written in berth, known
//! to be read-only (ARN, revision, status…), empty, or named as one berth
//! cannot express yet: nothing is dropped silently.

use std::collections::BTreeMap;
use std::fmt::Write;

use berth_lang::syntax::{is_name, quote};
use berth_provider::Kind;
use serde_json::{Map, Value};

/// Why a task definition cannot be imported.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("not JSON: {message} at line {line}, column {column}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("not a task definition: {0}")]
    Shape(String),
    #[error("cannot run on Fargate: {0}")]
    NotFargate(String),
    #[error("this task definition holds what never takes effect: {0}")]
    Unrunnable(String),
    #[error("berth does not write these fields: {}", .0.join(", "))]
    Unsupported(Vec<String>),
    #[error("not fields of a task definition (RegisterTaskDefinition refuses them): {}", .0.join(", "))]
    NotFields(Vec<String>),
}

/// What `import` reads, said when the document is something else.
const WHOLE: &str = "import takes a whole task definition, as `aws ecs describe-task-definition` prints it or `aws ecs register-task-definition --cli-input-json` reads it";

/// The fields of RegisterTaskDefinition's request.
const TASK_FIELDS: &[&str] = &[
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "tags",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
    "enableFaultInjection",
];

/// Fields DescribeTaskDefinition reports that are not part of the
/// definition (ECS sets them).
const READ_ONLY: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// Container fields Fargate refuses when set (AWS's ClientException names
/// them): such a task definition runs on EC2 only.
const NOT_ON_FARGATE: &[&str] = &[
    "privileged",
    "links",
    "hostname",
    "extraHosts",
    "dnsServers",
    "dnsSearchDomains",
    "dockerSecurityOptions",
    "resourceRequirements",
    "disableNetworking",
];

/// The seconds a container must run before ECS restarts it, when its
/// restart policy leaves them out.
const DEFAULT_RESTART_ATTEMPT_PERIOD: i64 = 300;

/// A task definition turned into berth.
#[derive(Debug, PartialEq, Eq)]
pub struct Imported {
    /// The `task_definition` block, not yet formatted.
    pub text: String,
    /// The region the task definition lives in (its ARN's, else its awslogs
    /// option's), which `validate` holds region-bound options to.
    pub region: Option<String>,
}

/// The region of a task definition: its ARN's, else the first awslogs
/// region of its containers.
fn region(td: &Map<String, Value>) -> Option<String> {
    let from_arn = td
        .get("taskDefinitionArn")
        .and_then(Value::as_str)
        .and_then(|arn| arn.split(':').nth(3))
        .filter(|r| !r.is_empty());
    let from_logs = || {
        td.get("containerDefinitions")?
            .as_array()?
            .iter()
            .find_map(|c| c.pointer("/logConfiguration/options/awslogs-region")?.as_str())
    };
    from_arn.or_else(from_logs).map(str::to_owned)
}

/// Task-level fields the command line gives: a list of container
/// definitions (Terraform's `container_definitions` file) has none, and
/// they are set over a whole task definition's.
#[derive(Debug, Default)]
pub struct Given {
    pub family: Option<String>,
    /// CPU units (`256`) or vCPUs (`1 vCPU`), as Terraform's `cpu` takes it.
    pub cpu: Option<String>,
    /// MiB (`512`) or GB (`2 GB`).
    pub memory: Option<String>,
    /// The ARN of the role ECS pulls images and writes logs as.
    pub execution_role: Option<String>,
    /// The ARN of the role the containers run as.
    pub task_role: Option<String>,
}

/// The berth text of the task definition in `json`, with the fields
/// `given`.
pub fn convert(json: &str, given: &Given) -> Result<Imported, ImportError> {
    let mut doc: Value = serde_json::from_str(json).map_err(|e| ImportError::Json {
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_owned(),
        line: e.line(),
        column: e.column(),
    })?;
    drop_empty_enums(&mut doc);
    let mut doc = match doc {
        Value::Object(doc) => doc,
        Value::Array(items) if items.iter().any(|c| c.get("image").is_some()) => {
            containers_only(items, given)?
        }
        Value::Array(items) if items.iter().any(|c| c.get("Image").is_some()) => {
            return Err(ImportError::Shape(
                "the keys are CloudFormation's (`Image`, `PortMappings`), not ECS's (`image`, `portMappings`): import takes a list of container definitions as ECS's JSON writes them (with --cpu and --memory), or a whole task definition, as `aws ecs describe-task-definition` prints it".to_owned(),
            ));
        }
        _ => {
            return Err(ImportError::Shape(format!(
                "the document is not a JSON object: {WHOLE}"
            )));
        }
    };
    if doc.contains_key("ContainerDefinitions") || doc.contains_key("Properties") {
        return Err(ImportError::Shape(format!(
            "the keys are CloudFormation's (`ContainerDefinitions`, `Properties`), not ECS's: {WHOLE}"
        )));
    }
    // DescribeTaskDefinition: {"taskDefinition": {...}, "tags": [...]}.
    let described_tags = doc.remove("tags");
    let mut td = match doc.remove("taskDefinition") {
        Some(Value::Object(td)) => td,
        Some(_) => return Err(ImportError::Shape("`taskDefinition` is not an object".into())),
        None => doc,
    };
    if let Some(tags) = described_tags {
        td.entry("tags").or_insert(tags);
    }
    for (key, value) in [
        ("family", &given.family),
        ("cpu", &given.cpu),
        ("memory", &given.memory),
        ("executionRoleArn", &given.execution_role),
        ("taskRoleArn", &given.task_role),
    ] {
        if let Some(value) = value {
            td.insert(key.to_owned(), Value::String(value.clone()));
        }
    }
    let region = region(&td);
    // A document without a family (a list of containers has none): the
    // block is named after its first container, and berth derives the
    // family.
    let unnamed = first_container_name(&td).filter(|_| !td.contains_key("family"));
    let mut conv = Converter::default();
    let text = conv.task(&mut td, unnamed.as_deref())?;
    if !conv.unrunnable.is_empty() {
        return Err(ImportError::Unrunnable(conv.unrunnable.join("\n")));
    }
    if !conv.not_fields.is_empty() {
        return Err(ImportError::NotFields(conv.not_fields));
    }
    if conv.unsupported.is_empty() {
        Ok(Imported { text, region })
    } else {
        Err(ImportError::Unsupported(conv.unsupported))
    }
}

/// A list of container definitions as a task definition: `given` must
/// size it (Fargate needs a task-level `cpu` and `memory`, which Terraform
/// keeps on `aws_ecs_task_definition`, outside the file).
fn containers_only(items: Vec<Value>, given: &Given) -> Result<Map<String, Value>, ImportError> {
    let missing: Vec<&str> = [("--cpu", &given.cpu), ("--memory", &given.memory)]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(flag, _)| flag)
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Shape(format!(
            "the document is a list of {} container definitions (Terraform's `container_definitions`), without the task's size: give {} (the `cpu` and `memory` of its `aws_ecs_task_definition`), and its other fields with --family, --execution-role and --task-role",
            items.len(),
            missing.join(" and ")
        )));
    }
    Ok(Map::from_iter([(
        "containerDefinitions".to_owned(),
        Value::Array(items),
    )]))
}

/// The name of the first container of `td`.
fn first_container_name(td: &Map<String, Value>) -> Option<String> {
    td.get("containerDefinitions")?
        .as_array()?
        .first()?
        .get("name")?
        .as_str()
        .map(str::to_owned)
}

#[derive(Default)]
struct Converter {
    unsupported: Vec<String>,
    /// Top-level keys no task definition has (a typo, a service's
    /// setting), each with what it may have meant.
    not_fields: Vec<String>,
    /// Fields AWS stores but that never take effect, each with the reason.
    unrunnable: Vec<String>,
}

/// A berth identifier from a family or container name.
fn ident(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Whether `value` of the container attribute `attr` is what AWS reports
/// when it is left out (`cpu: 0`, `essential: true`, `interactive:
/// false`): the schema's default or unset value, not worth writing.
fn is_default(attr: &str, value: &Value) -> bool {
    let Some(a) = Kind::TaskDefinition
        .schema()
        .block("container")
        .and_then(|c| c.attr(attr))
    else {
        return false;
    };
    let as_json = |v: berth_provider::Value| match v {
        berth_provider::Value::Bool(b) => Some(Value::Bool(b)),
        berth_provider::Value::Int(i) => Some(serde_json::json!(i)),
        _ => None,
    };
    let unset = a.unset.map(berth_provider::Value::from).and_then(as_json);
    let default = as_json(a.default_value());
    unset.as_ref() == Some(value) || default.as_ref() == Some(value)
}

/// Closes a `mount` or `volumes_from` block, with `read_only = true` when
/// `item` (a mount point, a volumesFrom entry) says `readOnly`.
fn close_read_only(blocks: &mut String, item: &Value) {
    if item.get("readOnly").and_then(Value::as_bool) == Some(true) {
        blocks.push_str("      read_only = true\n");
    }
    blocks.push_str("    }\n");
}

/// A block label naming `name` exactly in AWS (a container, a volume): the
/// bare name when it is an identifier, else quoted.
fn label(name: &str) -> String {
    if is_name(name) {
        name.to_owned()
    } else {
        quote(name)
    }
}

/// A number written as JSON number or string (`"cpu": "256"`).
fn number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A task-level size as RegisterTaskDefinition takes it: a number (CPU
/// units, MiB), or a string with `unit` (`"1 vCPU"`, `"0.5 GB"`, any
/// case, spaced or not) that AWS converts at 1024 a unit.
fn task_size(v: &Value, unit: &str) -> Option<i64> {
    if let Some(n) = number(v) {
        return Some(n);
    }
    let s = v.as_str()?.trim();
    let split = s.len().checked_sub(unit.len())?;
    let (amount, suffix) = (s.get(..split)?, s.get(split..)?);
    if !suffix.eq_ignore_ascii_case(unit) {
        return None;
    }
    let amount: f64 = amount.trim().parse().ok()?;
    let size = amount * 1024.0;
    (size.is_finite() && size > 0.0 && size.fract() == 0.0 && size < 1e15).then_some(size as i64)
}

/// `v` without ECS's fields of a set of words written `""`, at any depth
/// but in maps of the user's own keys: the Go SDK (so ecspresso) never
/// sends one (`"ipcMode": ""`).
fn drop_empty_enums(v: &mut Value) {
    const USERS: [&str; 2] = ["dockerLabels", "options"];
    match v {
        Value::Object(o) => {
            o.retain(|k, v| {
                !(berth_lang::eval::CONTAINER_ENUMS.contains(&k.as_str()) && v.as_str() == Some(""))
            });
            o.iter_mut()
                .filter(|(k, _)| !USERS.contains(&k.as_str()))
                .for_each(|(_, v)| drop_empty_enums(v));
        }
        Value::Array(a) => a.iter_mut().for_each(drop_empty_enums),
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `[{"name": K, "value": V}]` (or `valueFrom`) as a berth map.
fn pairs(v: &Value, value_key: &str) -> Option<BTreeMap<String, String>> {
    v.as_array()?
        .iter()
        .map(|p| {
            Some((
                p.get("name")?.as_str()?.to_owned(),
                p.get(value_key)?.as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// A JSON object of strings (log options, docker labels) as a map.
fn string_map(v: &Value) -> Option<BTreeMap<String, String>> {
    v.as_object()?
        .iter()
        .map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
        .collect()
}

fn map_text(m: &BTreeMap<String, String>) -> String {
    let entries: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{} = {}", quote(k), quote(v)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

impl Converter {
    fn unsupported(&mut self, path: String) {
        self.unsupported.push(path);
    }

    /// Takes `key` from `obj`.
    fn take(obj: &mut Map<String, Value>, key: &str) -> Option<Value> {
        obj.remove(key).filter(|v| !v.is_null())
    }

    /// The block of `td`, labelled after its family, else `unnamed`.
    fn task(&mut self, td: &mut Map<String, Value>, unnamed: Option<&str>) -> Result<String, ImportError> {
        let family = Self::take(td, "family").and_then(|f| f.as_str().map(str::to_owned));
        let label = match (&family, unnamed) {
            (Some(family), _) => ident(family),
            (None, Some(container)) => ident(container),
            (None, None) => return Err(ImportError::Shape("no `family`".into())),
        };
        let mode = Self::take(td, "networkMode")
            .and_then(|m| m.as_str().map(str::to_owned))
            .unwrap_or_else(|| "awsvpc".to_owned());
        if !mode.eq_ignore_ascii_case("awsvpc") {
            return Err(ImportError::NotFargate(format!(
                "network mode `{mode}`: Fargate tasks use `awsvpc`"
            )));
        }
        let compatibilities = Self::take(td, "requiresCompatibilities");
        let written = compatibilities.as_ref().and_then(strings).unwrap_or_default();
        if let Some(req) = &compatibilities
            && !written.iter().any(|c| c == "FARGATE")
        {
            return Err(ImportError::NotFargate(format!(
                "`requiresCompatibilities` is {req}: it does not include FARGATE"
            )));
        }
        for key in ["ipcMode", "placementConstraints", "inferenceAccelerators"] {
            if let Some(v) = Self::take(td, key).filter(|v| !is_empty(v)) {
                return Err(ImportError::NotFargate(format!(
                    "`{key}` is {v}: Fargate does not support it"
                )));
            }
        }
        let (cpu, memory) = (Self::take(td, "cpu"), Self::take(td, "memory"));
        let (Some(cpu), Some(memory)) = (cpu.as_ref(), memory.as_ref()) else {
            return Err(ImportError::NotFargate(
                "no task-level `cpu` and `memory`: Fargate needs both (give them with --cpu and --memory)"
                    .into(),
            ));
        };
        let cpu = task_size(cpu, "vcpu").ok_or_else(|| {
            ImportError::Shape(format!(
                "task-level `cpu` is {cpu}: not CPU units (`256`) or vCPUs (`\"1 vCPU\"`)"
            ))
        })?;
        let memory = task_size(memory, "gb").ok_or_else(|| {
            ImportError::Shape(format!(
                "task-level `memory` is {memory}: not MiB (`512`) or GB (`\"2 GB\"`)"
            ))
        })?;
        let mut out = format!("task_definition {label} {{\n");
        if let Some(family) = &family {
            let _ = writeln!(out, "  family = {}", quote(family));
        }
        let _ = write!(out, "  cpu = {cpu}\n  memory = {memory}\n");
        // EC2's beside Fargate's is kept: the revision is registered so.
        if written.len() > 1 {
            let _ = writeln!(out, "  requires_compatibilities = {}", list(&written));
        }
        for (key, attr) in [
            ("executionRoleArn", "execution_role"),
            ("taskRoleArn", "task_role"),
        ] {
            if let Some(arn) = Self::take(td, key).and_then(|v| v.as_str().map(str::to_owned)) {
                let _ = writeln!(out, "  {attr} = {}", quote(&arn));
            }
        }
        if let Some(Value::Object(mut platform)) = Self::take(td, "runtimePlatform") {
            if let Some(arch) =
                Self::take(&mut platform, "cpuArchitecture").and_then(|v| v.as_str().map(str::to_owned))
            {
                let _ = writeln!(out, "  cpu_architecture = {}", quote(&arch));
            }
            if let Some(os) =
                Self::take(&mut platform, "operatingSystemFamily").and_then(|v| v.as_str().map(str::to_owned))
                && os != "LINUX"
            {
                let _ = writeln!(out, "  os_family = {}", quote(&os));
            }
            self.rest(&platform, "runtimePlatform");
        }
        if let Some(tags) = Self::take(td, "tags") {
            match pairs(&tags, "value")
                .or_else(|| {
                    tags.as_array()?
                        .iter()
                        .map(|t| {
                            Some((
                                t.get("key")?.as_str()?.to_owned(),
                                t.get("value")?.as_str()?.to_owned(),
                            ))
                        })
                        .collect()
                })
                // A map, as Terraform and envsubst templates write them.
                .or_else(|| string_map(&tags))
            {
                Some(mut tags) => {
                    // `aws:` tags (CloudFormation's stack name and logical
                    // id on what Copilot, CDK or a template registered) are
                    // AWS's own, read-only: no one may write them. `berth:`
                    // tags are what berth wrote on a revision it registered:
                    // the stack the block goes to writes its own.
                    tags.retain(|k, _| {
                        let k = k.to_ascii_lowercase();
                        !k.starts_with("aws:") && !k.starts_with("berth:")
                    });
                    if !tags.is_empty() {
                        let _ = writeln!(out, "  tags = {}", map_text(&tags));
                    }
                }
                None => self.unsupported("tags".into()),
            }
        }
        if let Some(mode) = Self::take(td, "pidMode").and_then(|v| v.as_str().map(str::to_owned)) {
            if mode != "task" {
                return Err(ImportError::NotFargate(format!(
                    "`pidMode` is `{mode}`: Fargate shares a process namespace within the task only"
                )));
            }
            let _ = writeln!(out, "  pid_mode = {}", quote(&mode));
        }
        // AWS reports `false` on every revision registered without it.
        match Self::take(td, "enableFaultInjection") {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => out.push_str("  fault_injection = true\n"),
            Some(_) => self.unsupported("enableFaultInjection".into()),
        }
        if let Some(Value::Object(mut proxy)) = Self::take(td, "proxyConfiguration") {
            let container =
                Self::take(&mut proxy, "containerName").and_then(|v| v.as_str().map(str::to_owned));
            let kind = Self::take(&mut proxy, "type").and_then(|v| v.as_str().map(str::to_owned));
            let properties = Self::take(&mut proxy, "properties").unwrap_or(Value::Array(Vec::new()));
            match (container, pairs(&properties, "value")) {
                (Some(container), Some(properties)) => {
                    let _ = writeln!(out, "\n  proxy {{\n    container = {}", quote(&container));
                    if let Some(kind) = kind {
                        let _ = writeln!(out, "    type = {}", quote(&kind));
                    }
                    if !properties.is_empty() {
                        let _ = writeln!(out, "    properties = {}", map_text(&properties));
                    }
                    out.push_str("  }\n");
                }
                _ => self.unsupported("proxyConfiguration".into()),
            }
            self.rest(&proxy, "proxyConfiguration");
        }
        if let Some(storage) = Self::take(td, "ephemeralStorage") {
            match storage.get("sizeInGiB").and_then(number) {
                Some(size) => {
                    let _ = writeln!(out, "  ephemeral_storage = {size}");
                }
                None => self.unsupported("ephemeralStorage".into()),
            }
        }
        if let Some(volumes) = Self::take(td, "volumes").filter(|v| !is_empty(v)) {
            for (i, v) in volumes.as_array().into_iter().flatten().enumerate() {
                match v {
                    Value::Object(v) => out.push_str(&self.volume(&mut v.clone(), i)),
                    _ => self.unsupported(format!("volumes[{i}]")),
                }
            }
        }
        let containers = Self::take(td, "containerDefinitions")
            .and_then(|c| c.as_array().cloned())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| ImportError::Shape("no `containerDefinitions`".into()))?;
        for (i, c) in containers.into_iter().enumerate() {
            let Value::Object(mut c) = c else {
                return Err(ImportError::Shape(format!(
                    "containerDefinitions[{i}] is not an object"
                )));
            };
            out.push_str(&self.container(&mut c, i)?);
        }
        for key in READ_ONLY {
            td.remove(*key);
        }
        self.rest(td, "");
        out.push_str("}\n");
        Ok(out)
    }

    /// A task volume: EFS, or a bind mount (`host` empty on Fargate).
    fn volume(&mut self, v: &mut Map<String, Value>, i: usize) -> String {
        let at = format!("volumes[{i}]");
        let Some(name) = Self::take(v, "name").and_then(|n| n.as_str().map(str::to_owned)) else {
            self.unsupported(format!("{at} (no name)"));
            return String::new();
        };
        let mut out = format!("\n  volume {} {{\n", label(&name));
        if let Some(Value::Object(mut efs)) = Self::take(v, "efsVolumeConfiguration") {
            let at = format!("{at}.efsVolumeConfiguration");
            out.push_str("    efs {\n");
            for (key, attr) in [
                ("fileSystemId", "file_system_id"),
                ("rootDirectory", "root_directory"),
                ("transitEncryption", "transit_encryption"),
            ] {
                // AWS reports the whole file system as root `/`.
                if let Some(s) = Self::take(&mut efs, key).and_then(|v| v.as_str().map(str::to_owned))
                    && !(key == "rootDirectory" && s == "/")
                {
                    let _ = writeln!(out, "      {attr} = {}", quote(&s));
                }
            }
            if let Some(port) = Self::take(&mut efs, "transitEncryptionPort")
                .as_ref()
                .and_then(number)
            {
                let _ = writeln!(out, "      transit_encryption_port = {port}");
            }
            if let Some(Value::Object(mut auth)) = Self::take(&mut efs, "authorizationConfig") {
                for (key, attr) in [("accessPointId", "access_point"), ("iam", "iam")] {
                    if let Some(s) = Self::take(&mut auth, key).and_then(|v| v.as_str().map(str::to_owned)) {
                        let _ = writeln!(out, "      {attr} = {}", quote(&s));
                    }
                }
                self.rest(&auth, &format!("{at}.authorizationConfig"));
            }
            self.rest(&efs, &at);
            out.push_str("    }\n");
        }
        // Fargate's bind mounts read back with an empty `host`; a source
        // path (an EC2 host's directory) is left for `rest` to name.
        if let Some(Value::Object(host)) = v.get("host")
            && host.is_empty()
        {
            v.remove("host");
        }
        // ECS's default, written out by DescribeTaskDefinition since EBS
        // volumes configured at launch came.
        if v.get("configuredAtLaunch") == Some(&Value::Bool(false)) {
            v.remove("configuredAtLaunch");
        }
        self.rest(v, &at);
        out.push_str("  }\n");
        out
    }

    /// Names every field left in `obj` that is not empty.
    fn rest(&mut self, obj: &Map<String, Value>, at: &str) {
        for (k, v) in obj {
            if is_empty(v) {
                continue;
            }
            match at {
                // A service's setting pasted in (`platformVersion`), or a
                // typo: RegisterTaskDefinition refuses it.
                "" if !TASK_FIELDS.contains(&k.as_str()) => {
                    let hint = match k.as_str() {
                        "platformVersion" => Some("a service's setting".to_owned()),
                        _ => berth_lang::suggest::did_you_mean(k, TASK_FIELDS.iter().copied()),
                    };
                    self.not_fields.push(match hint {
                        Some(hint) => format!("{k} ({hint})"),
                        None => k.clone(),
                    });
                }
                "" => self.unsupported(k.clone()),
                _ => self.unsupported(format!("{at}.{k}")),
            }
        }
    }

    fn container(&mut self, c: &mut Map<String, Value>, i: usize) -> Result<String, ImportError> {
        let at = format!("containerDefinitions[{i}]");
        // The task's fields copied into a container (`networkMode`,
        // DescribeTaskDefinition's `compatibilities`): ECS has no such
        // container field, and `container_definitions` drops them as
        // Terraform's provider does.
        c.retain(|key, _| !berth_lang::eval::is_task_level(key));
        let name = Self::take(c, "name")
            .and_then(|n| n.as_str().map(str::to_owned))
            .ok_or_else(|| ImportError::Shape(format!("{at} has no `name`")))?;
        let image = Self::take(c, "image")
            .and_then(|n| n.as_str().map(str::to_owned))
            .ok_or_else(|| ImportError::Shape(format!("{at} has no `image`")))?;
        for key in NOT_ON_FARGATE {
            if let Some(v) = Self::take(c, key).filter(|v| !is_empty(v) && *v != Value::Bool(false)) {
                return Err(ImportError::NotFargate(format!(
                    "container `{name}` sets `{key}` ({v}), which Fargate does not support"
                )));
            }
        }
        let mut out = format!(
            "\n  container {} {{\n    image = {}\n",
            label(&name),
            quote(&image)
        );
        let mut line = |k: &str, v: String| {
            let _ = writeln!(out, "    {k} = {v}");
        };
        for (key, attr) in [
            ("cpu", "cpu"),
            ("memory", "memory"),
            ("memoryReservation", "memory_reservation"),
            ("stopTimeout", "stop_timeout"),
            ("startTimeout", "start_timeout"),
        ] {
            if let Some(n) = Self::take(c, key).as_ref().and_then(number)
                && !is_default(attr, &serde_json::json!(n))
            {
                line(attr, n.to_string());
            }
        }
        for (key, attr) in [
            ("essential", "essential"),
            ("readonlyRootFilesystem", "readonly_root"),
            ("pseudoTerminal", "pseudo_terminal"),
            ("interactive", "interactive"),
        ] {
            if let Some(b) = Self::take(c, key).and_then(|v| v.as_bool())
                && !is_default(attr, &Value::Bool(b))
            {
                line(attr, b.to_string());
            }
        }
        // ECS resolves tags to digests unless told not to; it reports
        // `enabled` (or nothing) for the default.
        match Self::take(c, "versionConsistency")
            .as_ref()
            .and_then(Value::as_str)
        {
            None | Some("enabled") => {}
            Some("disabled") => line("version_consistency", "false".to_owned()),
            Some(_) => self.unsupported(format!("{at}.versionConsistency")),
        }
        for (key, attr) in [("workingDirectory", "working_directory"), ("user", "user")] {
            if let Some(s) = Self::take(c, key).and_then(|v| v.as_str().map(str::to_owned)) {
                line(attr, quote(&s));
            }
        }
        for (key, attr) in [
            ("command", "command"),
            ("entryPoint", "entrypoint"),
            ("credentialSpecs", "credential_specs"),
        ] {
            if let Some(v) = Self::take(c, key).filter(|v| !is_empty(v)) {
                match strings(&v) {
                    Some(items) => line(attr, list(&items)),
                    None => self.unsupported(format!("{at}.{key}")),
                }
            }
        }
        for (key, attr, value) in [
            ("environment", "env", "value"),
            ("secrets", "secrets", "valueFrom"),
        ] {
            if let Some(v) = Self::take(c, key).filter(|v| !is_empty(v)) {
                match pairs(&v, value) {
                    // A name given twice: a map keeps one of the values.
                    Some(m) if v.as_array().is_some_and(|a| a.len() != m.len()) => {
                        self.unsupported(format!("{at}.{key} (a name given twice)"));
                    }
                    Some(m) => line(attr, map_text(&m)),
                    None => self.unsupported(format!("{at}.{key}")),
                }
            }
        }
        if let Some(labels) = Self::take(c, "dockerLabels").filter(|v| !is_empty(v)) {
            match string_map(&labels) {
                Some(m) => line("labels", map_text(&m)),
                None => self.unsupported(format!("{at}.dockerLabels")),
            }
        }
        if let Some(Value::Object(mut creds)) = Self::take(c, "repositoryCredentials") {
            match Self::take(&mut creds, "credentialsParameter").and_then(|v| v.as_str().map(str::to_owned)) {
                Some(arn) => line("repository_credentials", quote(&arn)),
                None => self.unsupported(format!("{at}.repositoryCredentials")),
            }
            self.rest(&creds, &format!("{at}.repositoryCredentials"));
        }
        let mut blocks = String::new();
        if let Some(Value::Object(mut linux)) = Self::take(c, "linuxParameters") {
            self.linux(&mut linux, &name, &at, &mut blocks)?;
        }
        for (key, block, fields) in [
            (
                "environmentFiles",
                "environment_file",
                [("value", "value"), ("type", "type")],
            ),
            (
                "systemControls",
                "system_control",
                [("namespace", "namespace"), ("value", "value")],
            ),
        ] {
            for (j, item) in Self::take(c, key)
                .as_ref()
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let values: Option<Vec<(&str, &str)>> = fields
                    .iter()
                    .map(|(json, attr)| Some((*attr, item.get(*json)?.as_str()?)))
                    .collect();
                match values {
                    Some(values) => {
                        let _ = writeln!(blocks, "    {block} {{");
                        for (attr, v) in values {
                            let _ = writeln!(blocks, "      {attr} = {}", quote(v));
                        }
                        blocks.push_str("    }\n");
                    }
                    None => self.unsupported(format!("{at}.{key}[{j}]")),
                }
            }
        }
        if let Some(Value::Object(mut logs)) = Self::take(c, "logConfiguration") {
            self.logs(&mut logs, &name, &at, &mut line, &mut blocks);
        }
        if let Some(Value::Object(mut firelens)) = Self::take(c, "firelensConfiguration") {
            self.firelens(&mut firelens, &at, &mut blocks);
        }
        if let Some(v) = Self::take(c, "portMappings").filter(|v| !is_empty(v)) {
            self.ports(&v, &at, &mut line, &mut blocks);
        }
        if let Some(Value::Object(mut hc)) = Self::take(c, "healthCheck") {
            self.health_check(&mut hc, &at, &mut blocks);
        }
        if let Some(v) = Self::take(c, "dependsOn").filter(|v| !is_empty(v)) {
            for (j, d) in v.as_array().into_iter().flatten().enumerate() {
                match (
                    d.get("containerName").and_then(Value::as_str),
                    d.get("condition").and_then(Value::as_str),
                ) {
                    (Some(dep), Some(cond)) => {
                        let _ = write!(
                            blocks,
                            "    depends_on {{\n      container = {}\n      condition = {}\n    }}\n",
                            quote(dep),
                            quote(cond)
                        );
                    }
                    _ => self.unsupported(format!("{at}.dependsOn[{j}]")),
                }
            }
        }
        if let Some(v) = Self::take(c, "mountPoints").filter(|v| !is_empty(v)) {
            for (j, m) in v.as_array().into_iter().flatten().enumerate() {
                match (
                    m.get("sourceVolume").and_then(Value::as_str),
                    m.get("containerPath").and_then(Value::as_str),
                ) {
                    (Some(volume), Some(path)) => {
                        let _ = write!(
                            blocks,
                            "    mount {{\n      source_volume = {}\n      container_path = {}\n",
                            quote(volume),
                            quote(path)
                        );
                        close_read_only(&mut blocks, m);
                    }
                    _ => self.unsupported(format!("{at}.mountPoints[{j}]")),
                }
            }
        }
        if let Some(v) = Self::take(c, "volumesFrom").filter(|v| !is_empty(v)) {
            for (j, f) in v.as_array().into_iter().flatten().enumerate() {
                match f.get("sourceContainer").and_then(Value::as_str) {
                    Some(other) => {
                        let _ = write!(
                            blocks,
                            "    volumes_from {{\n      container = {}\n",
                            quote(other)
                        );
                        close_read_only(&mut blocks, f);
                    }
                    None => self.unsupported(format!("{at}.volumesFrom[{j}]")),
                }
            }
        }
        if let Some(v) = Self::take(c, "ulimits").filter(|v| !is_empty(v)) {
            for (j, u) in v.as_array().into_iter().flatten().enumerate() {
                match (
                    u.get("name").and_then(Value::as_str),
                    u.get("softLimit").and_then(number),
                    u.get("hardLimit").and_then(number),
                ) {
                    (Some(n), Some(soft), Some(hard)) => {
                        let _ = write!(
                            blocks,
                            "    ulimit {{\n      name = {}\n      soft = {soft}\n      hard = {hard}\n    }}\n",
                            quote(n)
                        );
                    }
                    _ => self.unsupported(format!("{at}.ulimits[{j}]")),
                }
            }
        }
        match Self::take(c, "restartPolicy") {
            Some(Value::Object(mut policy)) => self.restart_policy(&mut policy, &at, &mut blocks),
            Some(_) => self.unsupported(format!("{at}.restartPolicy")),
            None => {}
        }
        self.rest(c, &at);
        out.push_str(&blocks);
        out.push_str("  }\n");
        Ok(out)
    }

    /// A logConfiguration: `logs = GROUP` when it says no more than the
    /// shorthand (awslogs, the container's name as stream prefix), else a
    /// `log` block with every option.
    fn logs(
        &mut self,
        logs: &mut Map<String, Value>,
        container: &str,
        at: &str,
        line: &mut impl FnMut(&str, String),
        blocks: &mut String,
    ) {
        let at = format!("{at}.logConfiguration");
        let Some(driver) = Self::take(logs, "logDriver").and_then(|v| v.as_str().map(str::to_owned)) else {
            self.unsupported(format!("{at} (no logDriver)"));
            return;
        };
        let options = Self::take(logs, "options").unwrap_or(Value::Object(Map::new()));
        let Some(options) = string_map(&options) else {
            self.unsupported(format!("{at}.options"));
            return;
        };
        let secret_options = match Self::take(logs, "secretOptions") {
            Some(v) => match pairs(&v, "valueFrom") {
                Some(m) => m,
                None => {
                    self.unsupported(format!("{at}.secretOptions"));
                    return;
                }
            },
            None => BTreeMap::new(),
        };
        self.rest(logs, &at);
        // `logs = GROUP` writes to the stack's region: a region the JSON
        // names stays written, so that `validate` holds it to the stack's
        // (a dump of another region's task definition, pasted as is).
        let shorthand = driver == "awslogs"
            && secret_options.is_empty()
            && options.get("awslogs-stream-prefix").map(String::as_str) == Some(container)
            && options
                .keys()
                .all(|k| matches!(k.as_str(), "awslogs-group" | "awslogs-stream-prefix"));
        if let (true, Some(group)) = (shorthand, options.get("awslogs-group")) {
            line("logs", quote(group));
            return;
        }
        let _ = writeln!(blocks, "    log {{\n      driver = {}", quote(&driver));
        if !options.is_empty() {
            let _ = writeln!(blocks, "      options = {}", map_text(&options));
        }
        if !secret_options.is_empty() {
            let _ = writeln!(blocks, "      secret_options = {}", map_text(&secret_options));
        }
        blocks.push_str("    }\n");
    }

    /// linuxParameters as a `linux` block; what only EC2 runs is refused.
    fn linux(
        &mut self,
        linux: &mut Map<String, Value>,
        container: &str,
        at: &str,
        blocks: &mut String,
    ) -> Result<(), ImportError> {
        for key in ["sharedMemorySize", "tmpfs", "devices", "maxSwap", "swappiness"] {
            if let Some(v) = Self::take(linux, key).filter(|v| !is_empty(v)) {
                return Err(ImportError::NotFargate(format!(
                    "container `{container}` sets `linuxParameters.{key}` ({v}), which Fargate does not support"
                )));
            }
        }
        let at = format!("{at}.linuxParameters");
        blocks.push_str("    linux {\n");
        if let Some(init) = Self::take(linux, "initProcessEnabled").and_then(|v| v.as_bool()) {
            let _ = writeln!(blocks, "      init_process = {init}");
        }
        if let Some(Value::Object(mut caps)) = Self::take(linux, "capabilities") {
            for (key, attr) in [("add", "capabilities_add"), ("drop", "capabilities_drop")] {
                if let Some(v) = Self::take(&mut caps, key).filter(|v| !is_empty(v)) {
                    match strings(&v) {
                        Some(items) => {
                            let _ = writeln!(blocks, "      {attr} = {}", list(&items));
                        }
                        None => self.unsupported(format!("{at}.capabilities.{key}")),
                    }
                }
            }
            self.rest(&caps, &format!("{at}.capabilities"));
        }
        blocks.push_str("    }\n");
        self.rest(linux, &at);
        Ok(())
    }

    /// A restartPolicy as a `restart_policy` block, AWS's defaults (an
    /// attempt period of 300 seconds, no ignored codes) left out. A
    /// disabled policy with nothing else is what AWS may report for none:
    /// no block; one that keeps codes or a period is written with
    /// `enabled = false`, so turning it on later keeps them (berth plans a
    /// disabled policy as none either way).
    fn restart_policy(&mut self, policy: &mut Map<String, Value>, at: &str, blocks: &mut String) {
        let at = format!("{at}.restartPolicy");
        let Some(enabled) = Self::take(policy, "enabled").and_then(|v| v.as_bool()) else {
            self.unsupported(format!("{at} (no enabled)"));
            return;
        };
        let codes = match Self::take(policy, "ignoredExitCodes") {
            None => Some(Vec::new()),
            Some(v) => v
                .as_array()
                .and_then(|codes| codes.iter().map(Value::as_i64).collect()),
        };
        let Some(codes) = codes else {
            self.unsupported(format!("{at}.ignoredExitCodes"));
            return;
        };
        let period = Self::take(policy, "restartAttemptPeriod")
            .as_ref()
            .and_then(number)
            .filter(|p| *p != DEFAULT_RESTART_ATTEMPT_PERIOD);
        self.rest(policy, &at);
        if !enabled && codes.is_empty() && period.is_none() {
            return;
        }
        blocks.push_str("    restart_policy {\n");
        if !enabled {
            blocks.push_str("      enabled = false\n");
        }
        if !codes.is_empty() {
            let codes: Vec<String> = codes.iter().map(i64::to_string).collect();
            let _ = writeln!(blocks, "      ignored_exit_codes = [{}]", codes.join(", "));
        }
        if let Some(period) = period {
            let _ = writeln!(blocks, "      restart_attempt_period = {period}");
        }
        blocks.push_str("    }\n");
    }

    /// A firelensConfiguration as a `firelens` block.
    fn firelens(&mut self, firelens: &mut Map<String, Value>, at: &str, blocks: &mut String) {
        let at = format!("{at}.firelensConfiguration");
        let kind = Self::take(firelens, "type").and_then(|v| v.as_str().map(str::to_owned));
        let options = Self::take(firelens, "options").unwrap_or(Value::Object(Map::new()));
        let (Some(kind), Some(options)) = (kind, string_map(&options)) else {
            self.unsupported(at);
            return;
        };
        self.rest(firelens, &at);
        let _ = writeln!(blocks, "    firelens {{\n      type = {}", quote(&kind));
        if !options.is_empty() {
            let _ = writeln!(blocks, "      options = {}", map_text(&options));
        }
        blocks.push_str("    }\n");
    }

    fn ports(&mut self, v: &Value, at: &str, line: &mut impl FnMut(&str, String), blocks: &mut String) {
        let mappings = v.as_array().cloned().unwrap_or_default();
        let mut parsed: Vec<Vec<(&str, String)>> = Vec::new();
        for (j, m) in mappings.iter().enumerate() {
            let Value::Object(m) = m else {
                self.unsupported(format!("{at}.portMappings[{j}]"));
                continue;
            };
            let mut m = m.clone();
            let at = format!("{at}.portMappings[{j}]");
            let port = Self::take(&mut m, "containerPort").as_ref().and_then(number);
            let range = Self::take(&mut m, "containerPortRange").and_then(|v| v.as_str().map(str::to_owned));
            // awsvpc: the host port is the container's, as AWS reports it.
            let host = Self::take(&mut m, "hostPort").as_ref().and_then(number);
            let host_range = Self::take(&mut m, "hostPortRange").and_then(|v| v.as_str().map(str::to_owned));
            if host.is_some_and(|h| Some(h) != port) || host_range.is_some_and(|h| Some(&h) != range.as_ref())
            {
                self.unsupported(format!("{at}.hostPort (awsvpc maps the container's own port)"));
            }
            let mut fields = Vec::new();
            match (port, range) {
                (Some(p), _) => fields.push(("container_port", p.to_string())),
                (None, Some(r)) => fields.push(("container_port_range", quote(&r))),
                (None, None) => {
                    self.unsupported(at.clone());
                    continue;
                }
            }
            let protocol = Self::take(&mut m, "protocol")
                .and_then(|p| p.as_str().map(str::to_lowercase))
                .unwrap_or_else(|| "tcp".to_owned());
            fields.push(("protocol", quote(&protocol)));
            for (key, attr) in [("name", "name"), ("appProtocol", "app_protocol")] {
                if let Some(s) = Self::take(&mut m, key).and_then(|v| v.as_str().map(str::to_owned)) {
                    fields.push((attr, quote(&s)));
                }
            }
            self.rest(&m, &at);
            parsed.push(fields);
        }
        // One plain TCP port is the `port` shorthand.
        if let [fields] = parsed.as_slice()
            && let [("container_port", p), ("protocol", proto)] = fields.as_slice()
            && proto == "\"tcp\""
        {
            line("port", p.clone());
            return;
        }
        for fields in parsed {
            blocks.push_str("    port_mapping {\n");
            for (attr, value) in fields {
                let _ = writeln!(blocks, "      {attr} = {value}");
            }
            blocks.push_str("    }\n");
        }
    }

    fn health_check(&mut self, hc: &mut Map<String, Value>, at: &str, blocks: &mut String) {
        let command = Self::take(hc, "command")
            .and_then(|c| strings(&c))
            .unwrap_or_default();
        let command = match command.as_slice() {
            [kind, cmd] if kind == "CMD-SHELL" => quote(cmd),
            [kind, ..] if kind == "CMD" || kind == "CMD-SHELL" => list(&command),
            [none] if none == "NONE" => {
                self.unrunnable.push(format!(
                    "{at}.healthCheck.command is [\"NONE\"]: it turns off the image's HEALTHCHECK, which ECS does not run anyway; leave `healthCheck` out"
                ));
                return;
            }
            [] => {
                self.unsupported(format!("{at}.healthCheck (no command)"));
                return;
            }
            _ => {
                self.unrunnable.push(format!(
                    "{at}.healthCheck.command is {}: Docker runs a check only when its first word is `CMD` (exec) or `CMD-SHELL` (shell), so ECS never reports this container healthy; write {} in the JSON to run it, or leave `healthCheck` out",
                    Value::from(command.clone()),
                    Value::from([&["CMD".to_owned()][..], &command].concat()),
                ));
                return;
            }
        };
        let _ = write!(blocks, "    health_check {{\n      command = {command}\n");
        for (key, attr) in [
            ("interval", "interval"),
            ("timeout", "timeout"),
            ("retries", "retries"),
            ("startPeriod", "start_period"),
        ] {
            if let Some(n) = Self::take(hc, key).as_ref().and_then(number) {
                let _ = writeln!(blocks, "      {attr} = {n}");
            }
        }
        blocks.push_str("    }\n");
        self.rest(hc, &format!("{at}.healthCheck"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_fargate_cannot_run() {
        let bridge =
            r#"{"family":"x","networkMode":"bridge","containerDefinitions":[{"name":"a","image":"i"}]}"#;
        assert!(
            matches!(convert(bridge, &Given::default()), Err(ImportError::NotFargate(m)) if m.contains("bridge"))
        );
        let ec2 = r#"{"family":"x","requiresCompatibilities":["EC2"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]}"#;
        assert!(
            matches!(convert(ec2, &Given::default()), Err(ImportError::NotFargate(m)) if m.contains("FARGATE"))
        );
    }

    /// A service's `platformVersion` pasted into a task definition (or a
    /// typo) was said to be a field berth cannot express yet: it is no
    /// field of one.
    #[test]
    fn a_field_of_no_task_definition_is_said_to_be_none() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","platformVersion":"1.4.0","containerDefinitions":[{"name":"a","image":"i"}]}"#;
        assert!(
            matches!(convert(td, &Given::default()), Err(ImportError::NotFields(f)) if f == ["platformVersion (a service's setting)"])
        );
        let typo = td
            .replace("platformVersion\":\"1.4.0", "famly\":\"y")
            .replace("\"family\":\"x\",", "");
        assert!(
            matches!(convert(&typo, &Given::default()), Err(ImportError::NotFields(f)) if f == ["famly (did you mean `family`?)"]),
            "{typo}"
        );
    }

    /// The task's fields copied into a container (`networkMode` in
    /// Frankie116's Jenkins template, DescribeTaskDefinition's
    /// `compatibilities` in cebartling's Datadog worker) were fields berth
    /// "cannot express yet"; `container_definitions` drops them, as
    /// Terraform's provider does, and so does import.
    #[test]
    fn the_tasks_fields_in_a_container_are_dropped_as_container_definitions_drops_them() {
        let copied = r#"{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i","networkMode":"awsvpc","compatibilities":["EC2","FARGATE"]}]}"#;
        let Ok(Imported { text, .. }) = convert(copied, &Given::default()) else {
            panic!("converts: {:?}", convert(copied, &Given::default()).err())
        };
        assert!(!text.contains("awsvpc") && !text.contains("compatib"), "{text}");
        let unknown = copied.replace("compatibilities", "compatibility");
        assert!(
            matches!(convert(&unknown, &Given::default()), Err(ImportError::Unsupported(f)) if f == ["containerDefinitions[0].compatibility"])
        );
    }

    /// mirage-ecs registers for EC2 and Fargate: EC2 was dropped without
    /// a word, and the stack registered for Fargate alone.
    #[test]
    fn ec2_beside_fargate_stays_written() {
        let both = r#"{"family":"x","requiresCompatibilities":["EC2","FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]}"#;
        let Ok(Imported { text, .. }) = convert(both, &Given::default()) else {
            panic!("converts")
        };
        assert!(
            text.contains("requires_compatibilities = [\"EC2\", \"FARGATE\"]"),
            "{text}"
        );
        let fargate = both.replace("\"EC2\",", "");
        let Ok(Imported { text, .. }) = convert(&fargate, &Given::default()) else {
            panic!("converts")
        };
        assert!(!text.contains("requires_compatibilities"), "{text}");
    }

    /// ecspresso's test task definition logs to ap-northeast-1: `logs =
    /// GROUP` dropped the region, so pasted into a stack of another region
    /// it validated and logged there without a word.
    #[test]
    fn a_log_region_the_json_names_stays_written() {
        let td = |options: &str| {
            format!(
                r#"{{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{{"name":"bash","image":"i",
                "logConfiguration":{{"logDriver":"awslogs","options":{{{options}}}}}}}]}}"#
            )
        };
        let text = |options: &str| {
            convert(&td(options), &Given::default())
                .map(|i| i.text)
                .unwrap_or_default()
        };
        let named =
            text(r#""awslogs-group":"g","awslogs-region":"ap-northeast-1","awslogs-stream-prefix":"bash""#);
        assert!(
            named.contains(r#""awslogs-region" = "ap-northeast-1""#),
            "{named}"
        );
        let left_out = text(r#""awslogs-group":"g","awslogs-stream-prefix":"bash""#);
        assert!(left_out.contains(r#"logs = "g""#), "{left_out}");
    }

    /// RegisterTaskDefinition takes task sizes in vCPU and GB
    /// (`"1 vCPU"`, `"0.5 GB"`); import refused them as "no task-level
    /// `cpu` and `memory`".
    #[test]
    fn task_sizes_in_vcpu_and_gb_are_units_and_mib() {
        let td = |cpu: &str, memory: &str| {
            format!(
                r#"{{"family":"x","cpu":{cpu},"memory":{memory},"containerDefinitions":[{{"name":"a","image":"i"}}]}}"#
            )
        };
        for (cpu, memory, want) in [
            (r#""1 vCPU""#, r#""2 GB""#, "cpu = 1024\n  memory = 2048\n"),
            (r#""0.25 vcpu""#, r#""0.5GB""#, "cpu = 256\n  memory = 512\n"),
            (r#"4096"#, r#""30 gb""#, "cpu = 4096\n  memory = 30720\n"),
        ] {
            let got = convert(&td(cpu, memory), &Given::default()).map(|i| i.text);
            assert!(
                got.as_ref().is_ok_and(|t| t.contains(want)),
                "{cpu} {memory}: {got:?}"
            );
        }
        assert!(matches!(
            convert(&td(r#""1 core""#, r#""2 GB""#), &Given::default()),
            Err(ImportError::Shape(m)) if m.contains("`cpu` is \"1 core\"")
        ));
    }

    /// DescribeTaskDefinition reports `"enableFaultInjection": false` (and
    /// may report `versionConsistency: "enabled"`, a disabled
    /// `restartPolicy`) for what was never set: every describe output of
    /// today was refused as holding a field berth cannot express.
    #[test]
    fn defaults_aws_reports_for_what_was_never_set_are_not_fields() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","enableFaultInjection":false,
            "containerDefinitions":[{"name":"a","image":"i","versionConsistency":"enabled","restartPolicy":{"enabled":false,"ignoredExitCodes":[],"restartAttemptPeriod":300}}]}"#;
        let text = convert(td, &Given::default()).map(|i| i.text).unwrap_or_default();
        assert_eq!(
            text,
            "task_definition x {\n  family = \"x\"\n  cpu = 256\n  memory = 512\n\n  container a {\n    image = \"i\"\n  }\n}\n"
        );
    }

    /// Restart policies, version consistency and fault injection set as
    /// ECS has them (they were refused as fields berth cannot express).
    #[test]
    fn restart_policy_version_consistency_and_fault_injection() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","enableFaultInjection":true,
            "containerDefinitions":[
              {"name":"a","image":"i","versionConsistency":"disabled","restartPolicy":{"enabled":true,"ignoredExitCodes":[0, 143],"restartAttemptPeriod":60}},
              {"name":"b","image":"i","restartPolicy":{"enabled":true,"restartAttemptPeriod":300}},
              {"name":"c","image":"i","restartPolicy":{"enabled":false,"ignoredExitCodes":[1]}}]}"#;
        let text = convert(td, &Given::default()).map(|i| i.text).unwrap_or_default();
        for want in [
            "  fault_injection = true\n",
            "  container a {\n    image = \"i\"\n    version_consistency = false\n    restart_policy {\n      ignored_exit_codes = [0, 143]\n      restart_attempt_period = 60\n    }\n  }\n",
            "  container b {\n    image = \"i\"\n    restart_policy {\n    }\n  }\n",
            "  container c {\n    image = \"i\"\n    restart_policy {\n      enabled = false\n      ignored_exit_codes = [1]\n    }\n  }\n",
        ] {
            assert!(text.contains(want), "{want}\nin\n{text}");
        }
        let odd = r#"{"family":"x","cpu":"256","memory":"512","enableFaultInjection":"yes",
            "containerDefinitions":[{"name":"a","image":"i","versionConsistency":"sometimes","restartPolicy":{"enabled":true,"ignoredExitCodes":["1"],"maxRestarts":3}}]}"#;
        assert_eq!(
            convert(odd, &Given::default()),
            Err(ImportError::Unsupported(vec![
                "enableFaultInjection".into(),
                "containerDefinitions[0].versionConsistency".into(),
                "containerDefinitions[0].restartPolicy.ignoredExitCodes".into(),
            ]))
        );
    }

    /// A task definition CloudFormation registered (Copilot, CDK) carries
    /// `aws:cloudformation:*` tags; import wrote them, and validate then
    /// refused the import, as AWS refuses anyone writing `aws:` tags.
    #[test]
    fn tags_aws_set_itself_are_read_only() {
        let td = r#"{"taskDefinition":{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]},
            "tags":[{"key":"aws:cloudformation:stack-name","value":"shop"},{"key":"AWS:CloudFormation:logical-id","value":"TD"},{"key":"team","value":"web"}]}"#;
        let text = convert(td, &Given::default()).map(|i| i.text).unwrap_or_default();
        assert!(text.contains("  tags = { \"team\" = \"web\" }\n"), "{text}");
        assert!(!text.to_lowercase().contains("cloudformation"), "{text}");
    }

    /// A revision berth registered, described with its tags, carries
    /// `berth:stack` and `berth:address`: import wrote them and refused
    /// its own block (E0525, a tag reserved for berth).
    #[test]
    fn tags_berth_wrote_are_left_to_the_new_stack() {
        let td = r#"{"taskDefinition":{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]},
            "tags":[{"key":"berth:stack","value":"shop"},{"key":"berth:address","value":"task_definition.x"},{"key":"TaskType","value":"web"}]}"#;
        let text = convert(td, &Given::default()).map(|i| i.text).unwrap_or_default();
        assert!(text.contains("  tags = { \"TaskType\" = \"web\" }\n"), "{text}");
        assert!(!text.contains("berth:"), "{text}");
    }

    /// AmaliTech's envsubst template writes `tags` as a map: import said
    /// berth does not write tags.
    #[test]
    fn tags_written_as_a_map_are_taken() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}],
            "tags":{"team":"web","env":"dev"}}"#;
        let text = convert(td, &Given::default()).map(|i| i.text).unwrap_or_default();
        assert!(
            text.contains("  tags = { \"env\" = \"dev\", \"team\" = \"web\" }\n"),
            "{text}"
        );
    }

    /// A CloudFormation `ContainerDefinitions` list was "not a JSON
    /// object", though import takes a list of ECS's container definitions.
    #[test]
    fn a_cloudformation_cased_container_list_is_named_so() {
        let given = Given {
            cpu: Some("256".into()),
            memory: Some("512".into()),
            ..Given::default()
        };
        let list = r#"[{"Name":"xray","Image":"public.ecr.aws/xray/aws-xray-daemon"}]"#;
        match convert(list, &given) {
            Err(ImportError::Shape(m)) => assert!(m.contains("CloudFormation's (`Image`"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    /// An environment (or secrets) list naming a variable twice became a
    /// map holding one of the values, silently.
    #[test]
    fn a_variable_named_twice_is_named_not_dropped() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i",
            "environment":[{"name":"MODE","value":"a"},{"name":"MODE","value":"b"}]}]}"#;
        assert_eq!(
            convert(td, &Given::default()),
            Err(ImportError::Unsupported(vec![
                "containerDefinitions[0].environment (a name given twice)".into()
            ]))
        );
    }

    /// A carriage return in a value (a Windows-edited certificate) was
    /// written raw, ending the berth string mid-line.
    #[test]
    fn a_carriage_return_is_escaped() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i",
            "environment":[{"name":"PEM","value":"line1\r\nline2"}]}]}"#;
        let text = convert(td, &Given::default()).map(|i| i.text).unwrap_or_default();
        assert!(text.contains(r#""PEM" = "line1\r\nline2""#), "{text}");
    }

    /// DescribeTaskDefinition's `configuredAtLaunch: false` on every
    /// volume was "berth cannot express"; `true` (an EBS volume) still is.
    #[test]
    fn a_volume_not_configured_at_launch_is_a_bind_mount() {
        let td = |at_launch: bool| {
            format!(
                r#"{{"family":"x","cpu":"256","memory":"512","volumes":[{{"name":"v","host":{{}},"configuredAtLaunch":{at_launch}}}],
                "containerDefinitions":[{{"name":"a","image":"i","mountPoints":[{{"sourceVolume":"v","containerPath":"/v"}}]}}]}}"#
            )
        };
        let text = convert(&td(false), &Given::default())
            .map(|i| i.text)
            .unwrap_or_default();
        assert!(text.contains("volume v {"), "{text}");
        assert_eq!(
            convert(&td(true), &Given::default()),
            Err(ImportError::Unsupported(vec![
                "volumes[0].configuredAtLaunch".into()
            ]))
        );
    }

    #[test]
    fn names_what_it_cannot_express_and_locates_bad_json() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","volumes":[{"name":"v","host":{"sourcePath":"/srv"}}],
            "containerDefinitions":[{"name":"a","image":"i","mountPoints":[{"sourceVolume":"v"}],"volumesFrom":[],"privileged":false,"gpu":1}]}"#;
        assert_eq!(
            convert(td, &Given::default()),
            Err(ImportError::Unsupported(vec![
                "volumes[0].host".into(),
                "containerDefinitions[0].mountPoints[0]".into(),
                "containerDefinitions[0].gpu".into(),
            ]))
        );
        let privileged = r#"{"family":"x","cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i","privileged":true}]}"#;
        assert!(
            matches!(convert(privileged, &Given::default()), Err(ImportError::NotFargate(m)) if m.contains("privileged"))
        );
        let Err(ImportError::Json { line, column, .. }) = convert("{\n  \"family\": ,\n}", &Given::default())
        else {
            panic!("bad JSON accepted");
        };
        assert_eq!((line, column), (2, 13));
    }
}
