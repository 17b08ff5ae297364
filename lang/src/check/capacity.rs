//! Capacity providers as ECS takes them for Fargate: a cluster lists the
//! Fargate providers its services may use, and a service either names a
//! `launch_type` or a `capacity_provider_strategy`, never both. AWS answers
//! `InvalidParameterException` to each mistake, at apply time, after the
//! rest of the stack was made.

use berth_provider::{Kind, Value};

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::{DesiredBlock, DesiredResource, DesiredValue, Stack};

/// The capacity providers Fargate tasks can run on.
const FARGATE_PROVIDERS: &[&str] = &["FARGATE", "FARGATE_SPOT"];

/// A cluster's `capacity_providers` are Fargate's, and its default
/// strategy is a strategy of them. A default without a weight is taken
/// (PutClusterCapacityProviders does): only a task started by it fails,
/// so it is an error when a scheduled task of the stack relies on it.
pub fn cluster(stack: &Stack, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let (Some(Value::List(names)), Some(span)) = (
        r.body.known("capacity_providers"),
        r.body.span("capacity_providers"),
    ) {
        for name in names.iter().filter_map(Value::as_str) {
            if !FARGATE_PROVIDERS.contains(&name) {
                diags.push(unknown_provider(name, span));
            }
        }
    }
    let default = r.body.blocks("default_capacity_provider_strategy");
    strategy(Some(r), default, diags);
    if let Some(first) = default.first()
        && !weighted(default)
        && let Some(task) = started_by_default(stack, r)
    {
        diags.push(
            unweighted(first.span).also(task, "a scheduled task started by the cluster's default strategy"),
        );
    }
}

/// Where an EventBridge target of the stack runs tasks on `cluster` with
/// neither a launch type nor a strategy of its own: by the default one.
fn started_by_default(stack: &Stack, cluster: &DesiredResource) -> Option<Span> {
    let on_cluster =
        |v: Option<&DesiredValue>| matches!(v, Some(DesiredValue::Ref(t)) if t.address == cluster.address);
    stack
        .resources
        .iter()
        .filter(|r| r.kind() == Kind::EventRule)
        .flat_map(|r| r.body.blocks("target"))
        .find(|t| {
            on_cluster(t.body.value("arn"))
                && t.body.value("task_definition").is_some()
                && t.body.value("launch_type").is_none()
        })
        .map(|t| t.span)
}

/// A service's `capacity_provider_strategy` blocks: Fargate's providers,
/// each once, at most one with a `base`, listed by `cluster` when the
/// stack declares it, and no `launch_type` beside them.
pub fn service(cluster: Option<&DesiredResource>, r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    let strategy_blocks = r.body.blocks("capacity_provider_strategy");
    let Some(first) = strategy_blocks.first() else {
        return;
    };
    if let Some(span) = r.body.span("launch_type") {
        diags.push(
            Diagnostic::error(
                "E0560",
                "a service takes a `launch_type` or a `capacity_provider_strategy`, not both",
                span,
            )
            .label("launch type given here")
            .also(first.span, "capacity provider strategy given here")
            .help("remove `launch_type`: the strategy decides where the tasks run"),
        );
    }
    if !weighted(strategy_blocks) {
        diags.push(unweighted(first.span));
    }
    strategy(cluster, strategy_blocks, diags);
}

/// Whether some provider of a strategy has a weight above 0, as ECS needs
/// to place a task by it.
fn weighted(strategy: &[DesiredBlock]) -> bool {
    strategy
        .iter()
        .any(|b| !matches!(b.body.known("weight"), None | Some(Value::Int(0))))
}

fn unweighted(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0561",
        "no capacity provider of the strategy has a `weight`",
        span,
    )
    .label("every weight is 0")
    .help("ECS needs a weight above 0 on at least one provider, e.g. `weight = 1`")
}

/// A strategy's blocks: Fargate's providers, each once, at most one with a
/// `base`, listed by `cluster` when the stack declares it.
fn strategy(cluster: Option<&DesiredResource>, strategy: &[DesiredBlock], diags: &mut Vec<Diagnostic>) {
    let listed: Option<Vec<&str>> = cluster.and_then(|c| match c.body.known("capacity_providers") {
        Some(Value::List(names)) => Some(names.iter().filter_map(Value::as_str).collect()),
        None => Some(Vec::new()),
        Some(_) => None,
    });
    let mut seen: Vec<&str> = Vec::new();
    let mut based: Option<&DesiredBlock> = None;
    for block in strategy {
        let Some(Value::String(name)) = block.body.known("capacity_provider") else {
            continue;
        };
        let span = block.body.span("capacity_provider").unwrap_or(block.span);
        if !FARGATE_PROVIDERS.contains(&name.as_str()) {
            diags.push(unknown_provider(name, span));
            continue;
        }
        if seen.contains(&name.as_str()) {
            diags.push(
                Diagnostic::error(
                    "E0561",
                    format!("capacity provider `{name}` is named twice"),
                    span,
                )
                .label("a second time here")
                .help("give each capacity provider one block"),
            );
        }
        seen.push(name);
        if let (Some(listed), Some(cluster)) = (&listed, cluster)
            && !listed.contains(&name.as_str())
        {
            diags.push(
                Diagnostic::error(
                    "E0562",
                    format!("{} does not list capacity provider `{name}`", cluster.address),
                    span,
                )
                .label("not associated with the cluster")
                .also(cluster.span, "cluster declared here")
                .help(format!(
                    "add \"{name}\" to `capacity_providers` of {}",
                    cluster.address
                )),
            );
        }
        if matches!(block.body.known("base"), Some(Value::Int(b)) if *b > 0) {
            if let Some(other) = based {
                diags.push(
                    Diagnostic::error(
                        "E0561",
                        "only one capacity provider of a strategy may have a `base`",
                        block.body.span("base").unwrap_or(block.span),
                    )
                    .label("a second base")
                    .also(other.body.span("base").unwrap_or(other.span), "the first base")
                    .help("keep `base` on one provider; the others share the rest by `weight`"),
                );
            }
            based = based.or(Some(block));
        }
    }
}

fn unknown_provider(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0561",
        format!("capacity provider `{name}` is not a Fargate capacity provider"),
        span,
    )
    .label("unknown capacity provider")
    .help("berth runs services on Fargate: use \"FARGATE\" or \"FARGATE_SPOT\"")
}
