//! A task definition as ECS's JSON (a RegisterTaskDefinition input, or a
//! DescribeTaskDefinition output `{"taskDefinition": …}`) turned into a
//! `task_definition` block. Every field is either written in berth, known
//! to be read-only (ARN, revision, status…), empty, or named as one berth
//! cannot express yet: nothing is dropped silently.

use std::collections::BTreeMap;
use std::fmt::Write;

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
    #[error("berth cannot express these fields yet: {}", .0.join(", "))]
    Unsupported(Vec<String>),
}

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

/// The berth text (not yet formatted) of the task definition in `json`.
pub fn convert(json: &str) -> Result<String, ImportError> {
    let doc: Value = serde_json::from_str(json).map_err(|e| ImportError::Json {
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_owned(),
        line: e.line(),
        column: e.column(),
    })?;
    let Value::Object(mut doc) = doc else {
        return Err(ImportError::Shape("the document is not a JSON object".into()));
    };
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
    let mut conv = Converter::default();
    let text = conv.task(&mut td)?;
    if conv.unsupported.is_empty() {
        Ok(text)
    } else {
        Err(ImportError::Unsupported(conv.unsupported))
    }
}

#[derive(Default)]
struct Converter {
    unsupported: Vec<String>,
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// A number written as JSON number or string (`"cpu": "256"`).
fn number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
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

    fn task(&mut self, td: &mut Map<String, Value>) -> Result<String, ImportError> {
        let family = Self::take(td, "family")
            .and_then(|f| f.as_str().map(str::to_owned))
            .ok_or_else(|| ImportError::Shape("no `family`".into()))?;
        let mode = Self::take(td, "networkMode")
            .and_then(|m| m.as_str().map(str::to_owned))
            .unwrap_or_else(|| "awsvpc".to_owned());
        if !mode.eq_ignore_ascii_case("awsvpc") {
            return Err(ImportError::NotFargate(format!(
                "network mode `{mode}`: Fargate tasks use `awsvpc`"
            )));
        }
        if let Some(req) = Self::take(td, "requiresCompatibilities")
            && !strings(&req).unwrap_or_default().iter().any(|c| c == "FARGATE")
        {
            return Err(ImportError::NotFargate(format!(
                "`requiresCompatibilities` is {req}: it does not include FARGATE"
            )));
        }
        let (Some(cpu), Some(memory)) = (
            Self::take(td, "cpu").as_ref().and_then(number),
            Self::take(td, "memory").as_ref().and_then(number),
        ) else {
            return Err(ImportError::NotFargate(
                "no task-level `cpu` and `memory`: Fargate needs both".into(),
            ));
        };
        let mut out = format!(
            "task_definition {} {{\n  cpu = {cpu}\n  memory = {memory}\n",
            ident(&family)
        );
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
            match Self::take(&mut platform, "operatingSystemFamily")
                .and_then(|v| v.as_str().map(str::to_owned))
            {
                Some(os) if os != "LINUX" => self.unsupported("runtimePlatform.operatingSystemFamily".into()),
                _ => {}
            }
            self.rest(&platform, "runtimePlatform");
        }
        if let Some(tags) = Self::take(td, "tags") {
            match pairs(&tags, "value").or_else(|| {
                tags.as_array()?
                    .iter()
                    .map(|t| {
                        Some((
                            t.get("key")?.as_str()?.to_owned(),
                            t.get("value")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            }) {
                Some(tags) if !tags.is_empty() => {
                    let _ = writeln!(out, "  tags = {}", map_text(&tags));
                }
                Some(_) => {}
                None => self.unsupported("tags".into()),
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

    /// Names every field left in `obj` that is not empty.
    fn rest(&mut self, obj: &Map<String, Value>, at: &str) {
        for (k, v) in obj {
            if !is_empty(v) {
                self.unsupported(if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                });
            }
        }
    }

    fn container(&mut self, c: &mut Map<String, Value>, i: usize) -> Result<String, ImportError> {
        let at = format!("containerDefinitions[{i}]");
        let name = Self::take(c, "name")
            .and_then(|n| n.as_str().map(str::to_owned))
            .ok_or_else(|| ImportError::Shape(format!("{at} has no `name`")))?;
        let image = Self::take(c, "image")
            .and_then(|n| n.as_str().map(str::to_owned))
            .ok_or_else(|| ImportError::Shape(format!("{at} has no `image`")))?;
        let mut out = format!(
            "\n  container {} {{\n    image = {}\n",
            ident(&name),
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
        ] {
            if let Some(n) = Self::take(c, key).as_ref().and_then(number) {
                line(attr, n.to_string());
            }
        }
        for (key, attr) in [
            ("essential", "essential"),
            ("readonlyRootFilesystem", "readonly_root"),
        ] {
            if let Some(b) = Self::take(c, key).and_then(|v| v.as_bool()) {
                line(attr, b.to_string());
            }
        }
        for (key, attr) in [("workingDirectory", "working_directory"), ("user", "user")] {
            if let Some(s) = Self::take(c, key).and_then(|v| v.as_str().map(str::to_owned)) {
                line(attr, quote(&s));
            }
        }
        for (key, attr) in [("command", "command"), ("entryPoint", "entrypoint")] {
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
                    Some(m) => line(attr, map_text(&m)),
                    None => self.unsupported(format!("{at}.{key}")),
                }
            }
        }
        if let Some(Value::Object(mut logs)) = Self::take(c, "logConfiguration") {
            self.logs(&mut logs, &name, &at, &mut line);
        }
        let mut blocks = String::new();
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
        self.rest(c, &at);
        out.push_str(&blocks);
        out.push_str("  }\n");
        Ok(out)
    }

    fn logs(
        &mut self,
        logs: &mut Map<String, Value>,
        container: &str,
        at: &str,
        line: &mut impl FnMut(&str, String),
    ) {
        let driver = Self::take(logs, "logDriver").and_then(|v| v.as_str().map(str::to_owned));
        let mut options = match Self::take(logs, "options") {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        };
        if driver.as_deref() != Some("awslogs") {
            self.unsupported(format!(
                "{at}.logConfiguration (driver {})",
                driver.unwrap_or_default()
            ));
            return;
        }
        let group = Self::take(&mut options, "awslogs-group").and_then(|v| v.as_str().map(str::to_owned));
        // berth writes the container's name as the stream prefix and the
        // stack's region: other values cannot be kept.
        let prefix =
            Self::take(&mut options, "awslogs-stream-prefix").and_then(|v| v.as_str().map(str::to_owned));
        if prefix.as_deref().is_some_and(|p| p != container) {
            self.unsupported(format!(
                "{at}.logConfiguration.options.awslogs-stream-prefix (berth uses the container name)"
            ));
        }
        options.remove("awslogs-region");
        match group {
            Some(g) => line("logs", quote(&g)),
            None => self.unsupported(format!("{at}.logConfiguration.options (no awslogs-group)")),
        }
        self.rest(&options, &format!("{at}.logConfiguration.options"));
        self.rest(logs, &format!("{at}.logConfiguration"));
    }

    fn ports(&mut self, v: &Value, at: &str, line: &mut impl FnMut(&str, String), blocks: &mut String) {
        let mappings = v.as_array().cloned().unwrap_or_default();
        let mut parsed = Vec::new();
        for (j, m) in mappings.iter().enumerate() {
            let Some(Value::Object(m)) = Some(m) else { continue };
            let mut m = m.clone();
            let port = Self::take(&mut m, "containerPort").as_ref().and_then(number);
            let host = Self::take(&mut m, "hostPort").as_ref().and_then(number);
            let protocol = Self::take(&mut m, "protocol")
                .and_then(|p| p.as_str().map(str::to_lowercase))
                .unwrap_or_else(|| "tcp".to_owned());
            match port {
                Some(p) if host.is_none_or(|h| h == p) => parsed.push((p, protocol)),
                _ => self.unsupported(format!("{at}.portMappings[{j}]")),
            }
            self.rest(&m, &format!("{at}.portMappings[{j}]"));
        }
        match parsed.as_slice() {
            [(p, proto)] if proto == "tcp" => line("port", p.to_string()),
            _ => {
                for (p, proto) in parsed {
                    let _ = write!(
                        blocks,
                        "    port_mapping {{\n      container_port = {p}\n      protocol = {}\n    }}\n",
                        quote(&proto)
                    );
                }
            }
        }
    }

    fn health_check(&mut self, hc: &mut Map<String, Value>, at: &str, blocks: &mut String) {
        let command = Self::take(hc, "command")
            .and_then(|c| strings(&c))
            .unwrap_or_default();
        let shell = match command.as_slice() {
            [kind, cmd] if kind == "CMD-SHELL" => cmd.clone(),
            _ => {
                self.unsupported(format!("{at}.healthCheck.command (only CMD-SHELL)"));
                return;
            }
        };
        let _ = write!(blocks, "    health_check {{\n      command = {}\n", quote(&shell));
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
        assert!(matches!(convert(bridge), Err(ImportError::NotFargate(m)) if m.contains("bridge")));
        let ec2 = r#"{"family":"x","requiresCompatibilities":["EC2"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"a","image":"i"}]}"#;
        assert!(matches!(convert(ec2), Err(ImportError::NotFargate(m)) if m.contains("FARGATE")));
    }

    #[test]
    fn names_what_it_cannot_express_and_locates_bad_json() {
        let td = r#"{"family":"x","cpu":"256","memory":"512","volumes":[{"name":"v"}],
            "containerDefinitions":[{"name":"a","image":"i","mountPoints":[{"sourceVolume":"v"}],"volumesFrom":[]}]}"#;
        assert_eq!(
            convert(td),
            Err(ImportError::Unsupported(vec![
                "containerDefinitions[0].mountPoints".into(),
                "volumes".into()
            ]))
        );
        let Err(ImportError::Json { line, column, .. }) = convert("{\n  \"family\": ,\n}") else {
            panic!("bad JSON accepted");
        };
        assert_eq!((line, column), (2, 13));
    }
}
