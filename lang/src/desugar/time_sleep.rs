//! hashicorp/time's `time_sleep`: a pause Terraform takes after creating
//! what it depends on (AWS answers before the resource is usable: an ECS
//! capacity provider still `CREATING`), and a way to pass values through
//! the pause (`triggers`). berth orders by references and waits where AWS
//! needs it in the adapters, so a `time_sleep` makes nothing: it is taken
//! out, `time_sleep.NAME.triggers["KEY"]` (or `.triggers.KEY`, through
//! `[N]` when it is counted) reads the trigger's expression, and
//! `depends_on = [time_sleep.NAME]` depends on what it depended on.
//! hashicorp/null's `null_resource` (telia-oss/terraform-aws-ecs-fargate's
//! "service waits for the load balancer") is the same ordering device, its
//! `triggers` read alike; a provisioner on it is E0211 (`defaults.rs`).
//! Terraform 1.4's built-in `terraform_data`, which replaces it, passes on
//! its `input` (read as `.output` or `.input`); its `triggers_replace`
//! forces nothing berth writes.

use std::collections::BTreeMap;

use super::{CODE, count_index_as, each_child, each_expr, stray};
use crate::FileId;
use crate::check::declare::{COUNT, DEPENDS_ON};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item, Label, Step, StrPart};

/// The block kinds.
const KINDS: [&str; 3] = ["time_sleep", "null_resource", "terraform_data"];

/// What a `terraform_data` passes on, and the names it is read by.
const INPUT: &str = "input";
const OUTPUT: &str = "output";

/// What a `time_sleep` passes on.
struct Sleep {
    /// Its kind, one of [`KINDS`].
    kind: String,
    /// Its `triggers`, by key.
    triggers: BTreeMap<String, Expr>,
    /// A `terraform_data`'s `input`.
    input: Option<Expr>,
    /// Its own `depends_on`.
    depends_on: Vec<Expr>,
    /// Whether it has a `count`: references name an instance.
    counted: bool,
}

/// Takes every `time_sleep` out of `files` and writes what reads it as
/// what it passes on.
pub(super) fn fold(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let mut sleeps = Sleeps::new();
    for (_, file) in files.iter_mut() {
        let (ours, rest): (Vec<Block>, Vec<Block>) = std::mem::take(&mut file.blocks)
            .into_iter()
            .partition(|b| KINDS.contains(&b.kind.name.as_str()) && matches!(b.label, Some(Label::Ident(_))));
        file.blocks = rest;
        for block in ours {
            if let Some(Label::Ident(name)) = &block.label {
                let key = (block.kind.name.clone(), name.name.clone());
                if let Some(sleep) = sleep(block, diags) {
                    sleeps.insert(key, sleep);
                }
            }
        }
    }
    if sleeps.is_empty() {
        return;
    }
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            depend_through(block, &sleeps);
            each_expr(block, &mut |e| read_through(e, &sleeps, diags));
        }
    }
}

/// What `block` passes on; None, with an E0211, for what berth cannot.
fn sleep(block: Block, diags: &mut Vec<Diagnostic>) -> Option<Sleep> {
    let what = format!("a {}", block.kind.name);
    let mut sleep = Sleep {
        kind: block.kind.name,
        triggers: BTreeMap::new(),
        input: None,
        depends_on: Vec::new(),
        counted: false,
    };
    let before = diags.len();
    for item in block.body {
        match item {
            // How long Terraform waits: berth waits on AWS's answers.
            Item::Attribute(a)
                if sleep.kind == KINDS[0]
                    && matches!(a.name.name.as_str(), "create_duration" | "destroy_duration") => {}
            Item::Attribute(a) if a.name.name == COUNT => sleep.counted = true,
            Item::Attribute(a) if sleep.kind == KINDS[2] && a.name.name == INPUT => {
                sleep.input = Some(a.value)
            }
            // What replaces it when changed: it makes nothing to replace.
            Item::Attribute(a) if sleep.kind == KINDS[2] && a.name.name == "triggers_replace" => {}
            Item::Attribute(a) if a.name.name == DEPENDS_ON => match a.value.kind {
                ExprKind::List(items) => sleep.depends_on = items,
                _ => diags.push(stray(&Item::Attribute(a), &what, &takes(&sleep.kind))),
            },
            Item::Attribute(a) if sleep.kind != KINDS[2] && a.name.name == "triggers" => match a.value.kind {
                ExprKind::Map(entries) => {
                    sleep.triggers = entries.into_iter().map(|e| (e.key.name, e.value)).collect();
                }
                _ => diags.push(
                    Diagnostic::error(
                        CODE,
                        format!("a {}'s `triggers` is written as a map", sleep.kind),
                        a.value.span,
                    )
                    .label("not `{ KEY = VALUE, ... }`")
                    .help("write each trigger: `triggers = { name = aws_ecs_cluster.this.name }`"),
                ),
            },
            other => diags.push(stray(&other, &what, &takes(&sleep.kind))),
        }
    }
    (diags.len() == before).then_some(sleep)
}

/// What a block of `kind` takes.
fn takes(kind: &str) -> String {
    let own = match kind {
        "time_sleep" => "`create_duration`, `destroy_duration`, `triggers`",
        "terraform_data" => "`input`, `triggers_replace`",
        _ => "`triggers`",
    };
    format!(
        "{own}, `depends_on` and `count` (berth waits where AWS needs it; a `for_each` {kind} is not written)"
    )
}

/// `block`'s `depends_on` with each `time_sleep` replaced by what it
/// depends on.
fn depend_through(block: &mut Block, sleeps: &Sleeps) {
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        let ExprKind::List(items) = &mut a.value.kind else {
            continue;
        };
        if a.name.name != DEPENDS_ON {
            continue;
        }
        *items = std::mem::take(items)
            .into_iter()
            .flat_map(|e| match named(&e).and_then(|(key, _)| sleeps.get(&key)) {
                Some(sleep) => sleep.depends_on.clone(),
                None => vec![e],
            })
            .collect();
    }
}

/// The `time_sleep`s and `null_resource`s, by kind and name.
type Sleeps = BTreeMap<(String, String), Sleep>;

/// The `time_sleep` or `null_resource` a reference names (kind and name),
/// and the steps after its name.
fn named(e: &Expr) -> Option<((String, String), &[Step])> {
    match &e.kind {
        ExprKind::Traversal(t) => t
            .named()
            .filter(|n| !n.data && KINDS.contains(&n.kind))
            .map(|n| ((n.kind.to_owned(), n.name.to_owned()), n.rest)),
        _ => None,
    }
}

/// `e` with each read of a `time_sleep`'s trigger written as the trigger.
fn read_through(e: &mut Expr, sleeps: &Sleeps, diags: &mut Vec<Diagnostic>) {
    let Some(((kind, name), rest)) = named(e) else {
        each_child(e, &mut |child| read_through(child, sleeps, diags));
        return;
    };
    let Some(sleep) = sleeps.get(&(kind.clone(), name.clone())) else {
        return;
    };
    let (index, rest) = match rest.split_first() {
        Some((Step::Index(i), rest)) if sleep.counted => (Some(i.as_ref().clone()), rest),
        _ => (None, rest),
    };
    let trigger = match rest {
        [Step::Attr(t), key, more @ ..] if t.name == "triggers" => key_of(key)
            .and_then(|k| sleep.triggers.get(k))
            .map(|value| (value, more)),
        [Step::Attr(t), more @ ..] if [INPUT, OUTPUT].contains(&t.name.as_str()) => {
            sleep.input.as_ref().map(|value| (value, more))
        }
        _ => None,
    };
    let Some((value, more)) = trigger.filter(|_| index.is_some() == sleep.counted) else {
        let (through, label, read) = match sleep.kind == KINDS[2] {
            true => (
                "`output`",
                "not its output",
                format!("`{kind}.{name}{}.output`", instance(sleep)),
            ),
            false => (
                "`triggers`",
                "not one of its triggers",
                format!(
                    "`{kind}.{name}{}.triggers[\"KEY\"]` for one it lists",
                    instance(sleep)
                ),
            ),
        };
        diags.push(
            Diagnostic::error(CODE, format!("a {kind} is read through its {through}"), e.span)
                .label(label)
                .help(format!(
                    "berth makes nothing for a {kind}: read {read}, or the value itself"
                )),
        );
        e.kind = ExprKind::Null;
        return;
    };
    let mut value = value.clone();
    if let Some(index) = &index {
        count_index_as(&mut value, index);
    }
    let span = e.span;
    *e = if more.is_empty() {
        Expr {
            kind: ExprKind::Paren(Box::new(value)),
            span,
        }
    } else {
        Expr {
            kind: ExprKind::Postfix(Box::new(value), more.to_vec()),
            span,
        }
    };
}

/// How a reference names one instance of `sleep`: `[0]` when counted.
fn instance(sleep: &Sleep) -> &'static str {
    if sleep.counted { "[0]" } else { "" }
}

/// The key a `["KEY"]` or `.KEY` step names.
fn key_of(step: &Step) -> Option<&str> {
    match step {
        Step::Attr(a) => Some(&a.name),
        Step::Index(i) => match &i.kind {
            ExprKind::String(parts) => match parts.as_slice() {
                [StrPart::Lit(k)] => Some(k),
                _ => None,
            },
            _ => None,
        },
        Step::Splat(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{messages, resources, stack};

    /// terraform-aws-modules/ecs's cluster passes its capacity providers'
    /// names through a counted `time_sleep`: it was an unknown kind
    /// (E0101), and the capacity providers naming `[0]` of the counted
    /// cluster were "not repeated" (E0211).
    #[test]
    fn a_time_sleep_passes_its_triggers_and_dependencies_on() {
        let text = r#"
variable "create" { default = true }
log_group app { name = "/ecs/demo" }
ecs_cluster this {
  count = var.create ? 1 : 0
  name  = "demo"
}
time_sleep this {
  count           = var.create ? 1 : 0
  create_duration = "20s"
  triggers = {
    names   = join(",", ["FARGATE", "FARGATE_SPOT"])
    cluster = ecs_cluster.this[count.index].name
  }
  depends_on = [log_group.app]
}
ecs_cluster_capacity_providers this {
  count              = var.create ? 1 : 0
  cluster_name       = ecs_cluster.this[0].name
  capacity_providers = compact(split(",", time_sleep.this[0].triggers["names"]))
}
ssm_parameter cluster {
  name       = "/demo/cluster"
  type       = "String"
  value      = time_sleep.this[0].triggers.cluster
  depends_on = [time_sleep.this]
}
"#;
        let module = resources(text);
        let berth = resources(
            r#"
log_group app { name = "/ecs/demo" }
cluster this {
  count              = 1
  name               = "demo"
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}
ssm_parameter cluster {
  name  = "/demo/cluster"
  type  = "String"
  value = cluster.this[0].name
}
"#,
        );
        assert_eq!(module, berth);
        let depends_on: Vec<String> = stack(text)
            .resources
            .iter()
            .find(|r| r.address.to_string() == "ssm_parameter.cluster")
            .map(|r| r.depends_on.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        // What it reads, and what the sleep depended on.
        assert_eq!(depends_on, ["cluster.this[\"0\"]", "log_group.app"]);
    }

    /// Terraform 1.4's `terraform_data` (dod-iac's scheduled task module
    /// era) was an unknown kind (E0101), and a `depends_on` naming it a
    /// second error (E0333).
    #[test]
    fn a_terraform_data_passes_its_input_and_dependencies_on() {
        let text = r#"
log_group app { name = "/ecs/demo" }
terraform_data image {
  input            = "nginx:1.27"
  triggers_replace = [log_group.app.name]
  depends_on       = [log_group.app]
}
ssm_parameter image {
  name       = "/demo/image"
  type       = "String"
  value      = terraform_data.image.output
  depends_on = [terraform_data.image]
}
"#;
        let berth = resources(
            r#"
log_group app { name = "/ecs/demo" }
ssm_parameter image {
  name  = "/demo/image"
  type  = "String"
  value = "nginx:1.27"
}
"#,
        );
        assert_eq!(resources(text), berth);
        let depends_on: Vec<String> = stack(text)
            .resources
            .iter()
            .find(|r| r.address.to_string() == "ssm_parameter.image")
            .map(|r| r.depends_on.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        assert_eq!(depends_on, ["log_group.app"]);
        let id = "terraform_data wait {}\nssm_parameter id {\n  name  = \"/demo/id\"\n  type  = \"String\"\n  value = terraform_data.wait.id\n}\n";
        assert_eq!(
            messages(id, "E0211"),
            ["a terraform_data is read through its `output`"]
        );
    }

    #[test]
    fn a_time_sleep_read_otherwise_than_by_a_trigger_is_refused() {
        let text = "time_sleep wait { create_duration = \"30s\" }\n\
                    ssm_parameter id {\n  name  = \"/demo/id\"\n  type  = \"String\"\n  value = time_sleep.wait.id\n}\n";
        assert_eq!(
            messages(text, "E0211"),
            ["a time_sleep is read through its `triggers`"]
        );
    }

    /// telia-oss/terraform-aws-ecs-fargate orders its service after the
    /// load balancer through a `null_resource`: it was an unknown kind
    /// (E0101), and `depends_on` naming it E0333.
    #[test]
    fn a_null_resource_passes_its_triggers_and_dependencies_on() {
        let text = r#"
log_group app { name = "/ecs/demo" }
resource "null_resource" "lb_exists" {
  triggers   = { group = log_group.app.name }
  depends_on = [log_group.app]
}
ssm_parameter group {
  name       = "/demo/group"
  type       = "String"
  value      = null_resource.lb_exists.triggers["group"]
  depends_on = [null_resource.lb_exists]
}
"#;
        let berth = r#"
log_group app { name = "/ecs/demo" }
ssm_parameter group {
  name  = "/demo/group"
  type  = "String"
  value = log_group.app.name
}
"#;
        assert_eq!(resources(text), resources(berth));
    }
}
