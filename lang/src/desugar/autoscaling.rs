//! Terraform's Application Auto Scaling resources of an ECS service
//! (`aws_appautoscaling_target`, `aws_appautoscaling_policy`,
//! `aws_appautoscaling_scheduled_action`), folded into the service's
//! `autoscaling { }` block: the target's capacity bounds, each policy a
//! `target_tracking` or `step_scaling` block and each scheduled action a
//! `scheduled` block, named by its `name`.

use std::collections::{BTreeMap, BTreeSet};

use super::{CODE, literal, renamed, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{
    Attribute, Block, Expr, ExprKind, File, Ident, Item, Label, MapEntry, MapKey, Step, StrPart,
};

const TARGET: &str = "appautoscaling_target";
const POLICY: &str = "appautoscaling_policy";
const SCHEDULED: &str = "appautoscaling_scheduled_action";

/// Settings every one of them repeats that berth knows from the service:
/// (name, the only value berth takes).
const DIMENSION: [(&str, &str); 2] = [
    ("scalable_dimension", "ecs:service:DesiredCount"),
    ("service_namespace", "ecs"),
];

/// Whether `kind` is one of them.
pub(super) fn is_autoscaling(kind: &str) -> bool {
    [TARGET, POLICY, SCHEDULED].contains(&kind)
}

/// What scales: a service of the stack, or a target by name.
enum Scales {
    Service(Scaled),
    Target(String),
}

/// The instances of a service a scaling resource is on: all of them, or
/// the one it names (`aws_ecs_service.this["web"]`, as `inert/folded.rs`
/// writes out a target repeated as its service with `[each.key]`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Instance {
    All,
    Key(String),
    Index(i64),
}

impl Instance {
    /// What tells the instance from the others (`each.key`, `count.index`)
    /// and its value there; None for all of them.
    fn key(&self) -> Option<(&'static str, ExprKind)> {
        match self {
            Instance::All => None,
            Instance::Key(key) => Some(("each.key", ExprKind::String(vec![StrPart::Lit(key.clone())]))),
            Instance::Index(n) => Some(("count.index", ExprKind::Int(*n))),
        }
    }
}

/// A service, by label, and the instances of it scaled.
type Scaled = (String, Instance);

/// Folds every scaling target, policy and scheduled action of `files`
/// into its service's `autoscaling` block; E0211 for what cannot be.
/// `complete`: every file of the stack parsed.
/// Returns each folded block's service, by kind and name.
pub(super) fn fold(
    files: &mut [(FileId, File)],
    complete: bool,
    diags: &mut Vec<Diagnostic>,
) -> super::Folded {
    let mut folded = super::Folded::new();
    let mut policies = Policies::new();
    let mut taken = Vec::new();
    for (_, file) in files.iter_mut() {
        let (ours, rest) = std::mem::take(&mut file.blocks)
            .into_iter()
            .partition(|b| is_autoscaling(&b.kind.name));
        file.blocks = rest;
        taken.extend(ours);
    }
    if taken.is_empty() {
        return folded;
    }
    bounds_as_written(&mut taken, files);
    let services: Vec<String> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == "service")
        .filter_map(|b| match &b.label {
            Some(Label::Ident(i)) => Some(i.name.clone()),
            _ => None,
        })
        .collect();
    // Targets first: policies name them.
    taken.sort_by_key(|b| b.kind.name != TARGET);
    // A module's `resource_id = local.resource_id`, the local holding
    // `"service/${...}/${aws_ecs_service.this.name}"`.
    let locals: BTreeMap<String, Expr> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == crate::check::declare::LOCALS)
        .flat_map(|b| &b.body)
        .filter_map(|item| match item {
            Item::Attribute(a) => Some((a.name.name.clone(), a.value.clone())),
            Item::Block(_) => None,
        })
        .collect();
    let named = named_services(files);
    let mut targets: BTreeMap<String, Scaled> = BTreeMap::new();
    let mut blocks: BTreeMap<Scaled, Block> = BTreeMap::new();
    // What was not folded, said once: what names it says nothing more.
    let mut refused: BTreeSet<(String, String)> = BTreeSet::new();
    for block in taken {
        let own = match &block.label {
            Some(Label::Ident(i)) => (block.kind.name.clone(), i.name.clone()),
            _ => (block.kind.name.clone(), String::new()),
        };
        let Some(scales) = scales(&block, (&locals, &named), diags) else {
            refused.insert(own);
            continue;
        };
        let service = match scales {
            Scales::Service(s) => s,
            Scales::Target(t) => match targets.get(&t) {
                Some(s) => s.clone(),
                None => {
                    if !refused.contains(&(TARGET.to_owned(), t.clone())) {
                        diags.push(no_target(
                            &block,
                            &format!("`{TARGET}.{t}` is not one of the stack's"),
                        ));
                    }
                    refused.insert(own);
                    continue;
                }
            },
        };
        if let Some(Label::Ident(name)) = &block.label {
            folded.insert(
                (block.kind.name.clone(), name.name.clone()),
                ("service".to_owned(), service.0.clone()),
            );
        }
        if complete && !services.contains(&service.0) {
            diags.push(
                Diagnostic::error(
                    CODE,
                    format!("`service.{}` is not one of the stack's services", service.0),
                    block.kind.span,
                )
                .label("scales no service of this stack")
                .help("berth writes scaling on the `service` it scales, in an `autoscaling { }` block"),
            );
            refused.insert(own);
            continue;
        }
        if block.kind.name == TARGET {
            if let Some(Label::Ident(name)) = &block.label {
                targets.insert(name.name.clone(), service.clone());
            }
            if blocks.contains_key(&service) {
                diags.push(second_target(&service.0, block.kind.span));
                refused.insert(own);
                continue;
            }
            blocks.insert(service, target(block, diags));
            continue;
        }
        let Some(autoscaling) = blocks.get_mut(&service) else {
            diags.push(no_target(
                &block,
                &format!("`service.{}` has no `{TARGET}`", service.0),
            ));
            refused.insert(own);
            continue;
        };
        let made = if block.kind.name == POLICY {
            policy(block, diags)
        } else {
            scheduled(block, diags)
        };
        match &made {
            Some(Block {
                label: Some(Label::Ident(label)),
                ..
            }) if own.0 == POLICY => {
                policies.insert(own.1, (service.clone(), label.name.clone()));
            }
            Some(_) => {}
            None => {
                refused.insert(own);
            }
        }
        autoscaling.body.extend(made.map(Item::Block));
    }
    for (_, file) in files.iter_mut() {
        for service in file.blocks.iter_mut().filter(|b| b.kind.name == "service") {
            let Some(Label::Ident(name)) = &service.label else {
                continue;
            };
            let name = name.name.clone();
            let made: Vec<(Instance, Block)> = blocks
                .extract_if(.., |(s, _), _| *s == name)
                .map(|((_, instance), block)| (instance, block))
                .collect();
            let Some((_, first)) = made.first() else {
                continue;
            };
            if service
                .body
                .iter()
                .any(|i| matches!(i, Item::Block(b) if b.kind.name == "autoscaling"))
            {
                diags.push(
                    Diagnostic::error(CODE, format!("`service.{name}` scales twice"), first.kind.span)
                        .label("an `appautoscaling_target` of a service with an `autoscaling` block")
                        .help("keep one of them"),
                );
                continue;
            }
            service
                .body
                .extend(on_instances(&name, made, diags).into_iter().map(Item::Block));
        }
    }
    // A policy of a counted service is its first instance's, as Terraform
    // reads `aws_appautoscaling_target.NAME[0]`.
    let counted: Vec<String> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == "service")
        .filter(|b| {
            b.body
                .iter()
                .any(|i| matches!(i, Item::Attribute(a) if a.name.name == "count"))
        })
        .filter_map(|b| match &b.label {
            Some(Label::Ident(i)) => Some(i.name.clone()),
            _ => None,
        })
        .collect();
    for (_, file) in files.iter_mut() {
        for alarm in file.blocks.iter_mut().filter(|b| b.kind.name == "metric_alarm") {
            alarm_actions(alarm, (&policies, &refused), &counted);
        }
        for block in &mut file.blocks {
            unordered_after_refused(block, &refused);
        }
    }
    folded
}

/// A scaling policy's service and label, by the policy block's name.
type Policies = BTreeMap<String, (Scaled, String)>;

/// E0211: a second target of `service`, at `span`.
fn second_target(service: &str, span: crate::source::Span) -> Diagnostic {
    Diagnostic::error(CODE, format!("`service.{service}` has one scaling target"), span)
        .label("a second one")
        .help("keep one `appautoscaling_target` for the service, or one for each of its instances (`[each.key]`)")
}

/// The `autoscaling` blocks of the service `name` made for its
/// `instances`: the block itself when it scales every instance (or the
/// one instance `[0]` a counted service has), else one `dynamic
/// "autoscaling"` per instance, made only in that instance (`each.key ==
/// "web"`, `count.index == 1`).
fn on_instances(name: &str, instances: Vec<(Instance, Block)>, diags: &mut Vec<Diagnostic>) -> Vec<Block> {
    if let [(Instance::All | Instance::Index(0), _)] = instances.as_slice() {
        return instances.into_iter().map(|(_, block)| block).collect();
    }
    if let Some((_, all)) = instances.iter().find(|(i, _)| *i == Instance::All) {
        diags.push(second_target(name, all.kind.span));
        return Vec::new();
    }
    instances
        .into_iter()
        .map(|(instance, block)| match instance.key() {
            Some((key, is)) => only_in(block, key, is),
            None => block,
        })
        .collect()
}

/// `dynamic "autoscaling" { for_each = KEY == is ? [1] : []  content
/// { made's settings } }`.
fn only_in(made: Block, key: &str, is: ExprKind) -> Block {
    let span = made.kind.span;
    let is = Expr { kind: is, span };
    let mut for_each =
        super::parsed_at(&format!("{key} == INSTANCE ? [1] : []"), span).expect("a template that parses");
    super::put_names(&mut for_each, &[("INSTANCE", &is)]);
    let ident = |name: &str| Ident {
        name: name.into(),
        span,
    };
    let content = Block {
        kind: ident(crate::check::dynamic::CONTENT),
        ..made
    };
    Block {
        kind: ident(crate::check::dynamic::DYNAMIC),
        subkind: None,
        label: Some(Label::Ident(ident("autoscaling"))),
        span: content.span,
        body: vec![super::attribute("for_each", for_each, span), Item::Block(content)],
    }
}

/// An alarm's `alarm_actions` naming a folded policy
/// (`appautoscaling_policy.NAME.arn`, Terraform's way) as berth's
/// `scaling_policy { service  policy }` block; one naming a policy that
/// was `refused` (its error said) is left out.
fn alarm_actions(
    alarm: &mut Block,
    (policies, refused): (&Policies, &BTreeSet<(String, String)>),
    counted: &[String],
) {
    let mut made = Vec::new();
    for item in &mut alarm.body {
        let Item::Attribute(a) = item else { continue };
        if a.name.name != "alarm_actions" {
            continue;
        }
        let ExprKind::List(actions) = &mut a.value.kind else {
            continue;
        };
        actions.retain(|action| match triggered(action, policies, counted) {
            Some((service, policy)) => {
                made.push(Item::Block(scaling_policy(service, policy, action.span)));
                false
            }
            None => !names_refused(action, refused),
        });
    }
    // A list left empty said only which policies to trigger.
    if !made.is_empty() {
        alarm.body.retain(|item| {
            !matches!(item, Item::Attribute(a) if a.name.name == "alarm_actions"
                && matches!(&a.value.kind, ExprKind::List(l) if l.is_empty()))
        });
    }
    alarm.body.extend(made);
}

/// `block`'s `depends_on` without the scaling resources `refused` (their
/// error said).
fn unordered_after_refused(block: &mut Block, refused: &BTreeSet<(String, String)>) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == crate::check::declare::DEPENDS_ON
            && let ExprKind::List(items) = &mut a.value.kind
        {
            items.retain(|e| match &e.kind {
                ExprKind::Traversal(t) => match t.steps.as_slice() {
                    [Step::Attr(name)] => !refused.contains(&(t.root.name.clone(), name.name.clone())),
                    _ => true,
                },
                _ => true,
            });
        }
    }
}

/// Whether `action` reads a scaling policy that was `refused`.
fn names_refused(action: &Expr, refused: &BTreeSet<(String, String)>) -> bool {
    let mut found = false;
    super::each_traversal(&mut action.clone(), &mut |t| {
        if let (true, Some(Step::Attr(name))) = (t.root.name == POLICY, t.steps.first()) {
            found |= refused.contains(&(POLICY.to_owned(), name.name.clone()));
        }
    });
    found
}

/// What the alarm action `action` triggers, as a `scaling_policy`'s
/// `service` and `policy`: those of `appautoscaling_policy.NAME.arn`, or
/// picked by the same key from a map of them (a policy repeated over
/// instances, read by `each.key`: `inert/folded.rs`).
fn triggered(action: &Expr, policies: &Policies, counted: &[String]) -> Option<(Expr, Expr)> {
    let span = action.span;
    match &action.unwrapped().kind {
        ExprKind::Traversal(t) if t.root.name == POLICY => {
            let Some(Step::Attr(name)) = t.steps.first() else {
                return None;
            };
            let (service, label) = policies.get(&name.name)?;
            let label = Expr {
                kind: ExprKind::String(vec![StrPart::Lit(label.clone())]),
                span,
            };
            Some((service_reference(service, counted, span), label))
        }
        ExprKind::Postfix(map, steps) if matches!(steps.as_slice(), [Step::Index(_)]) => {
            let ExprKind::Map(entries) = &map.kind else {
                return None;
            };
            let (mut services, mut labels) = (Vec::new(), Vec::new());
            for entry in entries {
                let (service, label) = triggered(&entry.value, policies, counted)?;
                services.push(MapEntry {
                    key: entry.key.clone(),
                    value: service,
                });
                labels.push(MapEntry {
                    key: entry.key.clone(),
                    value: label,
                });
            }
            let pick = |entries| Expr {
                kind: ExprKind::Postfix(
                    Box::new(Expr {
                        kind: ExprKind::Map(entries),
                        span: map.span,
                    }),
                    steps.clone(),
                ),
                span,
            };
            Some((pick(services), pick(labels)))
        }
        _ => None,
    }
}

/// `service.SERVICE` at `span`: `service.SERVICE[KEY]` of the instance
/// scaled, `[0]` of a service `counted` that scales all its instances.
fn service_reference(service: &Scaled, counted: &[String], span: crate::source::Span) -> Expr {
    let steps = std::iter::once(Step::Attr(Ident {
        name: service.0.clone(),
        span,
    }))
    .chain(
        service
            .1
            .key()
            .map(|(_, key)| key)
            .or_else(|| counted.contains(&service.0).then_some(ExprKind::Int(0)))
            .map(|kind| Step::Index(Box::new(Expr { kind, span }))),
    )
    .collect();
    Expr {
        kind: ExprKind::Traversal(crate::syntax::ast::Traversal {
            root: Ident {
                name: "service".into(),
                span,
            },
            steps,
        }),
        span,
    }
}

/// `scaling_policy { service = SERVICE  policy = POLICY }` at `span`.
fn scaling_policy(service: Expr, policy: Expr, span: crate::source::Span) -> Block {
    Block {
        kind: Ident {
            name: "scaling_policy".into(),
            span,
        },
        subkind: None,
        label: None,
        body: vec![
            super::attribute("service", service, span),
            super::attribute("policy", policy, span),
        ],
        span,
    }
}

fn no_target(block: &Block, why: &str) -> Diagnostic {
    Diagnostic::error(CODE, format!("a `{}` needs its service's `{TARGET}`", block.kind.name), block.kind.span)
        .label(why.to_owned())
        .help(format!(
            "name the target: `resource_id = {TARGET}.NAME.resource_id`, where `resource_id = \"service/${{cluster.NAME.name}}/${{service.NAME.name}}\"`"
        ))
}

/// A service of the stack by the names it is written with: its label,
/// its literal `name`, and its cluster's literal `name` (when its `cluster`
/// is a cluster of the stack named so).
struct NamedService {
    label: String,
    name: String,
    cluster: Option<String>,
}

/// The stack's services written with a literal `name`.
fn named_services(files: &[(FileId, File)]) -> Vec<NamedService> {
    let blocks = || files.iter().flat_map(|(_, f)| &f.blocks);
    let literal_name = |b: &Block| {
        b.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == "name" => literal(&a.value).map(str::to_owned),
            _ => None,
        })
    };
    let label = |b: &Block| match &b.label {
        Some(Label::Ident(i)) => Some(i.name.clone()),
        _ => None,
    };
    let cluster_name = |service: &Block| {
        let cluster = service.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == "cluster" => match &a.value.unwrapped().kind {
                ExprKind::Traversal(t) if t.root.name == "cluster" => match t.steps.first() {
                    Some(Step::Attr(name)) => Some(name.name.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })?;
        blocks()
            .find(|b| b.kind.name == "cluster" && label(b).as_deref() == Some(cluster.as_str()))
            .and_then(literal_name)
    };
    blocks()
        .filter(|b| b.kind.name == "service")
        .filter_map(|b| {
            Some(NamedService {
                label: label(b)?,
                name: literal_name(b)?,
                cluster: cluster_name(b),
            })
        })
        .collect()
}

/// The service a literal `"service/CLUSTER/SERVICE"` names (as course
/// stacks write it): the one service of the stack of that literal name in
/// a cluster of that name (or in a cluster not written so).
fn literally(resource_id: &str, named: &[NamedService]) -> Option<String> {
    let [cluster, service] = resource_id
        .strip_prefix("service/")?
        .split('/')
        .collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let mut found = named
        .iter()
        .filter(|s| s.name == service && s.cluster.as_deref().is_none_or(|c| c == cluster));
    match (found.next(), found.next()) {
        (Some(only), None) => Some(only.label.clone()),
        _ => None,
    }
}

/// What `block`'s `resource_id` names: `"service/${...}/${service.NAME.name}"`
/// (or `join`ed, or `format`ted),
/// `"service/CLUSTER/SERVICE"` of a service written with those names, or
/// `appautoscaling_target.NAME.resource_id`, written there or in the
/// local it reads (`locals`, by name).
fn scales(
    block: &Block,
    (locals, named): (&BTreeMap<String, Expr>, &[NamedService]),
    diags: &mut Vec<Diagnostic>,
) -> Option<Scales> {
    let resource_id = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "resource_id" => Some(&a.value),
        _ => None,
    });
    let local = |e: &Expr| match &e.kind {
        ExprKind::Traversal(t) if t.root.name == crate::check::locals::LOCAL => match t.steps.as_slice() {
            [Step::Attr(name)] => locals.get(&name.name),
            _ => None,
        },
        _ => None,
    };
    // Terraform 0.11's `"${aws_appautoscaling_target.x.resource_id}"` too.
    let found = resource_id
        .map(|e| local(e.unwrapped()).unwrap_or(e).unwrapped())
        .and_then(|e| match &e.kind {
            ExprKind::Traversal(t) if t.root.name == TARGET => match t.steps.first() {
                Some(Step::Attr(name)) => Some(Scales::Target(name.name.clone())),
                _ => None,
            },
            ExprKind::String(parts) => match literal(e) {
                Some(text) => literally(text, named).map(|s| Scales::Service((s, Instance::All))),
                None => parts.iter().find_map(|p| match p {
                    StrPart::Interp(e) => service_in(e).map(Scales::Service),
                    StrPart::Lit(_) => None,
                }),
            },
            // CloudFormation's `!Join ['/', [service, !Ref Cluster,
            // !GetAtt Service.Name]]` ported as `join`, or `format`.
            ExprKind::Call(call) if matches!(call.name.name.as_str(), "join" | "format") => call
                .args
                .iter()
                .flat_map(|a| match &a.kind {
                    ExprKind::List(items) => items.iter().collect(),
                    _ => vec![a],
                })
                .find_map(service_in)
                .map(Scales::Service),
            _ => None,
        });
    if found.is_none() {
        diags.push(
            Diagnostic::error(CODE, format!("a `{}` names the service it scales", block.kind.name), resource_id.map_or(block.kind.span, |e| e.span))
                .label("no service of the stack here")
                .help("write `resource_id = \"service/${cluster.NAME.name}/${service.NAME.name}\"`, or a target's `resource_id`"),
        );
    }
    found
}

/// The service `e` names: `service.NAME...` (of the instance
/// `service.NAME["KEY"]` or `[N]` names), or the first of a `try` or
/// `coalesce` that names one (terraform-aws-modules/ecs's
/// `try(aws_ecs_service.this[0].name,
/// aws_ecs_service.ignore_task_definition[0].name)`, where the one
/// counted to nothing reads `[]`: `inert/`).
fn service_in(e: &Expr) -> Option<Scaled> {
    match &e.kind {
        ExprKind::Traversal(t) if t.root.name == "service" => match t.steps.as_slice() {
            [Step::Attr(name), rest @ ..] => {
                let instance = match rest.first() {
                    Some(Step::Index(i)) => match (&i.kind, literal(i)) {
                        (_, Some(key)) => Instance::Key(key.to_owned()),
                        (ExprKind::Int(n), _) => Instance::Index(*n),
                        _ => Instance::All,
                    },
                    _ => Instance::All,
                };
                Some((name.name.clone(), instance))
            }
            _ => None,
        },
        ExprKind::Call(call) if matches!(call.name.name.as_str(), "try" | "coalesce") => {
            call.args.iter().find_map(service_in)
        }
        // CloudFormation's `!If [WithAlb, A.Name, B.Name]` over two
        // services counted on that condition: the one that exists.
        ExprKind::Conditional(_, then, or) => match (service_in(then), service_in(or)) {
            (Some(one), None) | (None, Some(one)) => Some(one),
            (Some(a), Some(b)) if a == b => Some(a),
            _ => None,
        },
        _ => None,
    }
}

/// The settings of `block` other than what names the service; E0211 for
/// a dimension other than an ECS service's task count.
fn own_settings(block: Block, diags: &mut Vec<Diagnostic>) -> (Ident, Option<Label>, Vec<Item>) {
    let mut body = Vec::new();
    for item in block.body {
        match item {
            // What names the service, and an order the service keeps.
            Item::Attribute(a)
                if a.name.name == "resource_id" || a.name.name == crate::check::declare::DEPENDS_ON => {}
            // What a module passes when its variables say nothing (`region =
            // var.region`): the service's region. Tags are dropped: berth
            // tags nothing in Application Auto Scaling, whose targets
            // belong to their service (vimbiso's merged common tags).
            Item::Attribute(a) if a.name.name == "region" && says_nothing(&a.value) => {}
            Item::Attribute(a) if a.name.name == "tags" => {}
            Item::Attribute(a) if let Some((_, only)) = DIMENSION.iter().find(|(n, _)| a.name.name == *n) => {
                if literal(&a.value).is_some_and(|v| v != *only) {
                    diags.push(
                        Diagnostic::error(CODE, "berth scales an ECS service's task count", a.value.span)
                            .label(format!("not `\"{only}\"`"))
                            .help("other scalable targets are not written"),
                    );
                }
            }
            // What a lifecycle says of the tags berth does not write on a
            // scaling resource (USSBA's `ignore_changes = [tags_all]`), or
            // of an order the service's block keeps.
            Item::Block(b)
                if b.kind.name == crate::check::declare::LIFECYCLE && lifecycle_says_nothing(&b) => {}
            other => body.push(other),
        }
    }
    (block.kind, block.label, body)
}

/// Whether a scaling resource's `lifecycle` block ignores only its tags
/// and asks only for an order berth keeps anyway.
fn lifecycle_says_nothing(b: &Block) -> bool {
    b.body.iter().all(|item| match item {
        Item::Attribute(a) if a.name.name == "create_before_destroy" => true,
        Item::Attribute(a) if a.name.name == crate::check::ignore_changes::IGNORE_CHANGES => match &a.value.kind {
            ExprKind::List(items) => items.iter().all(|i| {
                matches!(&i.kind, ExprKind::Traversal(t) if t.steps.is_empty() && matches!(t.root.name.as_str(), "tags" | "tags_all"))
                    || matches!(literal(i), Some("tags" | "tags_all"))
            }),
            _ => false,
        },
        _ => false,
    })
}

/// Whether `e` is written `null` or `{}`.
fn says_nothing(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Null => true,
        ExprKind::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

/// Each read of a target's `min_capacity` or `max_capacity` (a scheduled
/// action's `scalable_target_action { min_capacity =
/// aws_appautoscaling_target.x.min_capacity }`) in `taken` and `files`,
/// as what the target writes there: the target is folded away.
fn bounds_as_written(taken: &mut [Block], files: &mut [(FileId, File)]) {
    let mut bounds: BTreeMap<(String, String), Expr> = BTreeMap::new();
    for b in taken.iter().filter(|b| b.kind.name == TARGET) {
        let Some(Label::Ident(label)) = &b.label else {
            continue;
        };
        for item in &b.body {
            if let Item::Attribute(a) = item
                && matches!(a.name.name.as_str(), "min_capacity" | "max_capacity")
            {
                bounds.insert((label.name.clone(), a.name.name.clone()), a.value.clone());
            }
        }
    }
    if bounds.is_empty() {
        return;
    }
    fn read(e: &mut Expr, bounds: &BTreeMap<(String, String), Expr>) {
        if let ExprKind::Traversal(t) = &e.kind
            && t.root.name == TARGET
            && let [Step::Attr(label), Step::Attr(attr)] = t.steps.as_slice()
            && let Some(bound) = bounds.get(&(label.name.clone(), attr.name.clone()))
        {
            *e = bound.clone();
            return;
        }
        super::each_child(e, &mut |child| read(child, bounds));
    }
    let blocks = taken
        .iter_mut()
        .chain(files.iter_mut().flat_map(|(_, f)| f.blocks.iter_mut()));
    for block in blocks {
        super::each_expr(block, &mut |e| read(e, &bounds));
    }
}

/// A scaling target's `autoscaling { min_capacity  max_capacity }`.
fn target(block: Block, diags: &mut Vec<Diagnostic>) -> Block {
    let span = block.span;
    let (kind, _, items) = own_settings(block, diags);
    let mut body = Vec::new();
    for item in items {
        match item {
            Item::Attribute(a) if a.name.name == "min_capacity" || a.name.name == "max_capacity" => {
                body.push(Item::Attribute(a));
            }
            // ECS scales with its service-linked role, whatever role is named.
            Item::Attribute(a) if a.name.name == "role_arn" => {}
            other => diags.push(stray(
                &other,
                "an `appautoscaling_target`",
                "`min_capacity`, `max_capacity` and `resource_id`",
            )),
        }
    }
    Block {
        kind: Ident {
            name: "autoscaling".into(),
            span: kind.span,
        },
        subkind: None,
        label: None,
        body,
        span,
    }
}

/// The label of a policy or scheduled action: its `name`, else its own.
fn label(name: Option<Expr>, own: Option<Label>, diags: &mut Vec<Diagnostic>) -> Option<Label> {
    super::name_label(
        name,
        own,
        ("a scaling policy", "scaling policies and actions"),
        diags,
    )
}

/// A policy's `target_tracking NAME { }` or `step_scaling NAME { }`.
fn policy(block: Block, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let span = block.span;
    let (kind, own, items) = own_settings(block, diags);
    let (mut name, mut policy_type, mut config) = (None, None, None);
    for item in items {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a.value),
            Item::Attribute(a) if a.name.name == "policy_type" => policy_type = Some(a.value),
            Item::Block(b)
                if b.kind.name == "target_tracking_scaling_policy_configuration"
                    || b.kind.name == "step_scaling_policy_configuration" =>
            {
                config = Some(b);
            }
            other => diags.push(stray(
                &other,
                "an `appautoscaling_policy`",
                "`name`, `policy_type`, `resource_id` and a `target_tracking_scaling_policy_configuration` or `step_scaling_policy_configuration` block",
            )),
        }
    }
    let label = label(name, own, diags)?;
    // Terraform's default type is step scaling.
    let tracking = match policy_type.as_ref().map(|t| (literal(t), t.span)) {
        None | Some((Some("StepScaling"), _)) => false,
        Some((Some("TargetTrackingScaling"), _)) => true,
        Some((_, at)) => {
            diags.push(
                Diagnostic::error(
                    CODE,
                    "a policy is `\"TargetTrackingScaling\"` or `\"StepScaling\"`",
                    at,
                )
                .label("not one of them, or not written as text")
                .help("predictive scaling is not written"),
            );
            return None;
        }
    };
    let Some(config) = config else {
        diags.push(
            Diagnostic::error(CODE, "a scaling policy needs its configuration", kind.span)
                .label("no configuration block")
                .help("add `target_tracking_scaling_policy_configuration { }` or `step_scaling_policy_configuration { }`"),
        );
        return None;
    };
    let expected = if tracking {
        "target_tracking_scaling_policy_configuration"
    } else {
        "step_scaling_policy_configuration"
    };
    if config.kind.name != expected {
        diags.push(
            Diagnostic::error(
                CODE,
                format!("this policy's configuration is `{expected}`"),
                config.kind.span,
            )
            .label("not the configuration of its `policy_type`")
            .help("`policy_type` left out is `\"StepScaling\"`"),
        );
        return None;
    }
    let (name, body) = if tracking {
        ("target_tracking", tracking_settings(config, diags))
    } else {
        ("step_scaling", step_settings(config, diags))
    };
    Some(Block {
        kind: Ident {
            name: name.into(),
            span: kind.span,
        },
        subkind: None,
        label: Some(label),
        body,
        span,
    })
}

/// `target_tracking_scaling_policy_configuration { }` as berth's
/// `target_tracking` settings.
fn tracking_settings(config: Block, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    const RENAMES: [(&str, &str); 4] = [
        ("target_value", "target"),
        ("scale_in_cooldown", "scale_in_cooldown"),
        ("scale_out_cooldown", "scale_out_cooldown"),
        ("disable_scale_in", "disable_scale_in"),
    ];
    let what = "a `target_tracking_scaling_policy_configuration`";
    let takes = "`target_value`, the cooldowns, `disable_scale_in`, `predefined_metric_specification` and `customized_metric_specification`";
    let mut nested = |b: Block, diags: &mut Vec<Diagnostic>| match b.kind.name.as_str() {
        "predefined_metric_specification" => Ok(metric(b, diags)),
        "customized_metric_specification" => Ok(vec![Item::Block(custom_metric(b, diags))]),
        _ => Err(b),
    };
    super::renamed_settings(config.body, &RENAMES, (what, takes), &mut nested, diags)
}

/// `predefined_metric_specification { predefined_metric_type
/// resource_label }`: berth's `metric` and `target_group`.
fn metric(spec: Block, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut out = Vec::new();
    for item in spec.body {
        match item {
            Item::Attribute(a) if a.name.name == "predefined_metric_type" => {
                match literal(&a.value).and_then(|m| berth_provider::scaling::AWS_METRICS.iter().find(|(aws, _)| *aws == m)) {
                    Some((_, berth)) => out.push(Item::Attribute(Attribute {
                        value: Expr {
                            kind: ExprKind::String(vec![StrPart::Lit((*berth).into())]),
                            span: a.value.span,
                        },
                        ..renamed(a, "metric")
                    })),
                    None => {
                        // Application Auto Scaling's 10-second metrics
                        // (CDK's integ.high-resolution-ecs-metrics).
                        let high_resolution = literal(&a.value).is_some_and(|m| m.ends_with("HighResolution"));
                        let label = match high_resolution {
                            true => "a high-resolution metric: not written yet",
                            false => "not one of ECS's predefined metrics",
                        };
                        diags.push(
                            Diagnostic::error(CODE, "berth tracks a service's CPU, memory or requests per target", a.value.span)
                                .label(label)
                                .help("write `\"ECSServiceAverageCPUUtilization\"`, `\"ECSServiceAverageMemoryUtilization\"` (1-minute metrics) or `\"ALBRequestCountPerTarget\"`"),
                        );
                    }
                }
            }
            // A module's element without one.
            Item::Attribute(a) if a.name.name == "resource_label" && says_nothing(&a.value) => {}
            // `"${aws_lb.x.arn_suffix}/${aws_lb_target_group.y.arn_suffix}"`:
            // berth builds the label from the target group.
            Item::Attribute(a) if a.name.name == "resource_label" => {
                match target_group_in(&a.value) {
                    Some(group) => out.push(Item::Attribute(Attribute {
                        value: group,
                        ..renamed(a, "target_group")
                    })),
                    None => diags.push(
                        Diagnostic::error(CODE, "a `resource_label` names the target group", a.value.span)
                            .label("no target group of the stack here")
                            .help("write `resource_label = \"${load_balancer.NAME.arn_suffix}/${target_group.NAME.arn_suffix}\"`"),
                    ),
                }
            }
            other => diags.push(stray(
                &other,
                "a `predefined_metric_specification`",
                "`predefined_metric_type` and `resource_label`",
            )),
        }
    }
    out
}

/// `customized_metric_specification { metric_name  namespace  statistic
/// unit  dimensions { name  value } }`: berth's `custom_metric` block, its
/// dimension blocks one map.
fn custom_metric(spec: Block, diags: &mut Vec<Diagnostic>) -> Block {
    const RENAMES: [(&str, &str); 4] = [
        ("metric_name", "metric_name"),
        ("namespace", "namespace"),
        ("statistic", "statistic"),
        ("unit", "unit"),
    ];
    let what = "a `customized_metric_specification`";
    let takes = "`metric_name`, `namespace`, `statistic`, `unit` and `dimensions` blocks (metric math's `metrics` blocks are not written)";
    let mut dimensions = Vec::new();
    let mut nested = |b: Block, diags: &mut Vec<Diagnostic>| {
        if b.kind.name != "dimensions" {
            return Err(b);
        }
        if let Some(entry) = dimension(b, diags) {
            dimensions.push(entry);
        }
        Ok(Vec::new())
    };
    let mut body = super::renamed_settings(spec.body, &RENAMES, (what, takes), &mut nested, diags);
    if !dimensions.is_empty() {
        let map = Expr {
            kind: ExprKind::Map(dimensions),
            span: spec.kind.span,
        };
        body.push(super::attribute("dimensions", map, spec.kind.span));
    }
    Block {
        kind: Ident {
            name: "custom_metric".into(),
            span: spec.kind.span,
        },
        subkind: None,
        label: None,
        body,
        span: spec.span,
    }
}

/// One `dimensions { name = "QueueName"  value = ... }` block as a map
/// entry; its name must be text.
fn dimension(block: Block, diags: &mut Vec<Diagnostic>) -> Option<MapEntry> {
    let mut name = None;
    let mut value = None;
    for item in block.body {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a),
            Item::Attribute(a) if a.name.name == "value" => value = Some(a.value),
            other => diags.push(stray(
                &other,
                "a metric's `dimensions` block",
                "`name` and `value`",
            )),
        }
    }
    let (Some(name), Some(value)) = (name, value) else {
        diags.push(
            Diagnostic::error(CODE, "a dimension has a `name` and a `value`", block.kind.span)
                .label("one of them is missing")
                .help("write `dimensions { name = \"QueueName\"  value = ... }`"),
        );
        return None;
    };
    let Some(key) = literal(&name.value) else {
        diags.push(
            Diagnostic::error(CODE, "a dimension's `name` is text", name.value.span)
                .label("not a string literal")
                .help("write the dimension's name, e.g. `name = \"QueueName\"`"),
        );
        return None;
    };
    Some(MapEntry {
        key: MapKey {
            name: key.to_owned(),
            quoted: true,
            span: name.value.span,
            computed: None,
        },
        value,
    })
}

/// `target_group.NAME` (or `target_group.NAME[KEY]`) of the first such
/// reference in `e`'s interpolations.
fn target_group_in(e: &Expr) -> Option<Expr> {
    let ExprKind::String(parts) = &e.kind else {
        return None;
    };
    parts.iter().find_map(|p| match p {
        StrPart::Interp(inner) => group_read(inner),
        StrPart::Lit(_) => None,
    })
}

/// The target group `e` reads: directly (`target_group.x.arn_suffix`), or
/// through a function of its ARN (vimbiso-pay's `regex("targetgroup/.+",
/// aws_lb_target_group.x.arn)[0]`, the same suffix).
fn group_read(e: &Expr) -> Option<Expr> {
    if let ExprKind::Traversal(t) = &e.kind
        && t.root.name == "target_group"
    {
        // The instance of a counted group (`aws_lb_target_group.main[0]`,
        // counted on `var.create_alb`) stays named.
        let steps = match t.steps.as_slice() {
            [name @ Step::Attr(_), index @ Step::Index(_), ..] => vec![name.clone(), index.clone()],
            [name, ..] => vec![name.clone()],
            [] => return None,
        };
        return Some(Expr {
            kind: ExprKind::Traversal(crate::syntax::ast::Traversal {
                root: t.root.clone(),
                steps,
            }),
            span: e.span,
        });
    }
    let mut found = None;
    let mut walked = e.clone();
    super::each_child(&mut walked, &mut |child| {
        if found.is_none() {
            found = group_read(child);
        }
    });
    found
}

/// `step_scaling_policy_configuration { }` as berth's `step_scaling`
/// settings and `step` blocks.
fn step_settings(config: Block, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    const RENAMES: [(&str, &str); 4] = [
        ("adjustment_type", "adjustment_type"),
        ("cooldown", "cooldown"),
        ("metric_aggregation_type", "metric_aggregation"),
        ("min_adjustment_magnitude", "min_adjustment_magnitude"),
    ];
    const STEP: [(&str, &str); 3] = [
        ("metric_interval_lower_bound", "lower"),
        ("metric_interval_upper_bound", "upper"),
        ("scaling_adjustment", "adjustment"),
    ];
    let what = "a `step_scaling_policy_configuration`";
    let takes = "`adjustment_type`, `cooldown`, `metric_aggregation_type`, `min_adjustment_magnitude` and `step_adjustment` blocks";
    let mut nested = |b: Block, _: &mut Vec<Diagnostic>| {
        if b.kind.name == "step_adjustment" {
            Ok(vec![super::block("step", b, &STEP)])
        } else {
            Err(b)
        }
    };
    super::renamed_settings(config.body, &RENAMES, (what, takes), &mut nested, diags)
}

/// A scheduled action's `scheduled NAME { schedule  timezone
/// min_capacity  max_capacity }`.
fn scheduled(block: Block, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let span = block.span;
    let (kind, own, items) = own_settings(block, diags);
    let what = "an `appautoscaling_scheduled_action`";
    let takes = "`name`, `schedule`, `timezone`, `resource_id` and `scalable_target_action`";
    let mut name = None;
    let mut body = Vec::new();
    for item in items {
        match item {
            Item::Attribute(a) if a.name.name == "name" => name = Some(a.value),
            Item::Attribute(a) if a.name.name == "schedule" || a.name.name == "timezone" => {
                body.push(Item::Attribute(a));
            }
            Item::Block(b) if b.kind.name == "scalable_target_action" => {
                for inner in b.body {
                    match inner {
                        Item::Attribute(a)
                            if a.name.name == "min_capacity" || a.name.name == "max_capacity" =>
                        {
                            body.push(Item::Attribute(a));
                        }
                        other => diags.push(stray(
                            &other,
                            "a `scalable_target_action`",
                            "`min_capacity` and `max_capacity`",
                        )),
                    }
                }
            }
            other => diags.push(stray(&other, what, takes)),
        }
    }
    Some(Block {
        kind: Ident {
            name: "scheduled".into(),
            span: kind.span,
        },
        subkind: None,
        label: Some(label(name, own, diags)?),
        body,
        span,
    })
}

#[cfg(test)]
mod tests {
    const BASE: &str = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
subnet b {
  vpc  = vpc.main
  cidr = "10.0.2.0/24"
  zone = "us-east-1b"
}
cluster main {}
load_balancer web {
  subnets  = [subnet.a, subnet.b]
  internal = true
}
target_group web {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
task_definition app {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port  = 80
  }
}
service app {
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
  load_balancer {
    target_group = target_group.web
    container    = "app"
    port         = 80
  }
"#;

    fn service(inside: &str, outside: &str) -> crate::test_support::Shape {
        crate::test_support::resources(&format!("{BASE}{inside}\n}}\n{outside}"))
            .remove("service.app")
            .expect("the service")
    }

    fn errors(outside: &str) -> Vec<String> {
        crate::test_support::messages(&format!("{BASE}}}\n{outside}"), super::CODE)
    }

    const TARGET: &str = r#"
appautoscaling_target app {
  max_capacity       = 4
  min_capacity       = 1
  resource_id        = "service/${cluster.main.name}/${service.app.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  service_namespace  = "ecs"
  role_arn           = "arn:aws:iam::123456789012:role/ecsAutoscaleRole"
}
"#;

    #[test]
    fn terraforms_scaling_resources_are_the_services_autoscaling() {
        let terraform = service(
            "",
            &format!(
                r#"{TARGET}
appautoscaling_policy requests {{
  name        = "requests"
  policy_type = "TargetTrackingScaling"
  resource_id = appautoscaling_target.app.resource_id
  target_tracking_scaling_policy_configuration {{
    predefined_metric_specification {{
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${{load_balancer.web.arn_suffix}}/${{target_group.web.arn_suffix}}"
    }}
    target_value     = 100
    disable_scale_in = true
  }}
}}
appautoscaling_policy down {{
  resource_id = appautoscaling_target.app.resource_id
  step_scaling_policy_configuration {{
    adjustment_type         = "ChangeInCapacity"
    metric_aggregation_type = "Maximum"
    step_adjustment {{
      metric_interval_upper_bound = 0
      scaling_adjustment          = -1
    }}
    step_adjustment {{
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }}
  }}
}}
appautoscaling_scheduled_action night {{
  name        = "night-low"
  resource_id = "service/${{cluster.main.name}}/${{service.app.name}}"
  schedule    = "cron(0 22 * * ? *)"
  scalable_target_action {{
    min_capacity = 1
    max_capacity = 2
  }}
}}
"#
            ),
        );
        let berth = service(
            r#"
  autoscaling {
    min_capacity = 1
    max_capacity = 4
    target_tracking requests {
      metric           = "requests"
      target_group     = target_group.web
      target           = 100
      disable_scale_in = true
    }
    step_scaling down {
      adjustment_type    = "ChangeInCapacity"
      metric_aggregation = "Maximum"
      step {
        upper      = 0
        adjustment = -1
      }
      step {
        lower      = 0
        adjustment = 1
      }
    }
    scheduled night-low {
      schedule     = "cron(0 22 * * ? *)"
      min_capacity = 1
      max_capacity = 2
    }
  }"#,
            "",
        );
        assert_eq!(terraform, berth);
    }

    /// vimbiso-pay builds the request count label with `regex()` over the
    /// two ARNs, the same suffixes `arn_suffix` reads: E0211 "a
    /// `resource_label` names the target group" before.
    #[test]
    fn a_request_label_made_with_regex_names_its_target_group() {
        let policy = |label: &str| {
            service(
                "",
                &format!(
                    "{TARGET}\nappautoscaling_policy requests {{\n  name = \"requests\"\n  policy_type = \"TargetTrackingScaling\"\n  resource_id = appautoscaling_target.app.resource_id\n  target_tracking_scaling_policy_configuration {{\n    predefined_metric_specification {{\n      predefined_metric_type = \"ALBRequestCountPerTarget\"\n      resource_label = {label}\n    }}\n    target_value = 100\n  }}\n}}\n"
                ),
            )
        };
        assert_eq!(
            policy(
                r#""${regex("app/[^/]+/[^/]+", load_balancer.web.arn)[0]}/${regex("targetgroup/.+", target_group.web.arn)[0]}""#
            ),
            policy(r#""${load_balancer.web.arn_suffix}/${target_group.web.arn_suffix}""#),
        );
    }

    /// A module's target naming its service through a local: E0211 before.
    #[test]
    fn a_targets_resource_id_may_be_a_local() {
        let terraform = service(
            "",
            r#"
locals { resource_id = "service/${cluster.main.name}/${service.app.name}" }
appautoscaling_target app {
  max_capacity = 4
  min_capacity = 1
  resource_id  = local.resource_id
}
"#,
        );
        let berth = service(
            "\n  autoscaling {\n    min_capacity = 1\n    max_capacity = 4\n  }",
            "",
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn an_alarm_triggers_a_folded_policy_by_its_label() {
        let alarm = |actions: &str| {
            crate::test_support::resources(&format!(
                "{BASE}}}\n{TARGET}\
                 appautoscaling_policy up {{\n  name = \"scale-up\"\n  resource_id = appautoscaling_target.app.resource_id\n  depends_on = [appautoscaling_target.app]\n\
                 step_scaling_policy_configuration {{\n    step_adjustment {{\n      metric_interval_lower_bound = 0\n      scaling_adjustment = 1\n    }}\n  }}\n}}\n\
                 metric_alarm high {{\n  metric_name = \"CPUUtilization\"\n  namespace = \"AWS/ECS\"\n  statistic = \"Average\"\n  period = 60\n  evaluation_periods = 2\n  threshold = 85\n  comparison_operator = \"GreaterThanOrEqualToThreshold\"\n{actions}\n}}\n"
            ))
            .remove("metric_alarm.high")
            .expect("the alarm")
        };
        let berth = alarm("  scaling_policy {\n    service = service.app\n    policy = \"scale-up\"\n  }");
        assert_eq!(alarm("  alarm_actions = [appautoscaling_policy.up.arn]"), berth);
        // Terraform 0.11's interpolation of the same.
        assert_eq!(
            alarm("  alarm_actions = [\"${appautoscaling_policy.up.arn}\"]"),
            berth
        );
    }

    /// Course stacks name the service by the literal names they gave the
    /// cluster and the service.
    #[test]
    fn a_literal_resource_id_names_the_service_written_with_those_names() {
        let named = BASE.replace("cluster main {}", "cluster main { name = \"shop\" }");
        let target = |id: &str| TARGET.replace("service/${cluster.main.name}/${service.app.name}", id);
        let scaled = |id: &str| {
            crate::test_support::resources(&format!("{named}  name = \"web\"\n}}\n{}", target(id)))
                .remove("service.app")
                .expect("the service")
        };
        assert_eq!(
            scaled("service/shop/web"),
            scaled("service/${cluster.main.name}/${service.app.name}")
        );
        let other = crate::test_support::messages(
            &format!("{named}  name = \"web\"\n}}\n{}", target("service/other/web")),
            super::CODE,
        );
        assert_eq!(other, ["a `appautoscaling_target` names the service it scales"]);
    }

    /// USSBA's and oozou's modules name the service by the variables its
    /// name is made of (`"service/${var.cluster_name}/${var.family}"`,
    /// `format(...)` beside `name = var.family`): E0211 before, twice.
    #[test]
    fn a_resource_id_of_variables_names_the_service_those_variables_name() {
        let vars = "variable cluster_name { default = \"shop\" }\nvariable family { default = \"web\" }\n";
        let named = BASE.replace("cluster main {}", "cluster main { name = var.cluster_name }");
        let target = |id: &str| TARGET.replace("\"service/${cluster.main.name}/${service.app.name}\"", id);
        let scaled = |id: &str| {
            crate::test_support::resources(&format!("{vars}{named}  name = var.family\n}}\n{}", target(id)))
                .remove("service.app")
                .expect("the service")
        };
        let interpolated = scaled("\"service/${cluster.main.name}/${service.app.name}\"");
        assert_eq!(
            scaled("\"service/${var.cluster_name}/${var.family}\""),
            interpolated
        );
        assert_eq!(
            scaled("format(\"service/%s/%s\", var.cluster_name, var.family)"),
            interpolated
        );
        // The cluster's name read from it, directly or through a local (a
        // CloudFormation `!Sub` with `!Ref ECSCluster`).
        assert_eq!(
            scaled("\"service/${cluster.main.name}/${var.family}\""),
            interpolated
        );
        let local = format!("{vars}locals {{\n  cluster = cluster.main.name\n}}\n");
        let through_local = crate::test_support::resources(&format!(
            "{local}{named}  name = var.family\n}}\n{}",
            target("\"service/${local.cluster}/${var.family}\"")
        ))
        .remove("service.app")
        .expect("the service");
        assert_eq!(through_local, interpolated);
    }

    /// A CloudFormation port's target names the imported cluster (a
    /// cluster lookup, `Fn::ImportValue`) and the service's name parameter:
    /// E0211 before.
    #[test]
    fn a_resource_id_of_a_looked_up_cluster_names_the_service_by_its_name() {
        let shared = BASE.replace(
            "cluster         = cluster.main",
            "cluster         = data.aws_ecs_cluster.shared.arn",
        );
        let scaled = |lookup: &str, id: &str| {
            crate::test_support::resources(&format!(
                "variable service_name {{ default = \"chat\" }}\n\
                 data \"aws_ecs_cluster\" \"shared\" {{\n  {lookup}\n}}\n\
                 {shared}  name = var.service_name\n}}\n{}",
                TARGET.replace("\"service/${cluster.main.name}/${service.app.name}\"", id)
            ))
            .remove("service.app")
            .expect("the service")
        };
        // By its name, and by stack and address (porting.md's
        // `Fn::ImportValue`), whose name the stack does not write.
        for lookup in [
            "cluster_name = \"shared\"",
            "stack = \"env\"\n  address = \"cluster.main\"",
        ] {
            assert_eq!(
                scaled(
                    lookup,
                    "\"service/${data.aws_ecs_cluster.shared.cluster_name}/${var.service_name}\""
                ),
                scaled(
                    lookup,
                    "\"service/${data.aws_ecs_cluster.shared.cluster_name}/${service.app.name}\""
                ),
                "{lookup}"
            );
        }
    }

    /// CloudFormation's `!If [WithAlb, ServiceWithAlb.Name, Service.Name]`
    /// over two services counted on that condition names the one that
    /// exists: E0211 before.
    #[test]
    fn a_conditional_resource_id_names_the_service_that_exists() {
        let scaled = |with_alb: bool| {
            let counted = |name: &str, count: &str| {
                BASE.split_once("service app {")
                    .map(|(_, service)| {
                        format!("service {name} {{\n  count = {count}\n  name  = \"web\"{service}}}\n")
                    })
                    .expect("the service")
            };
            let text = format!(
                "variable with_alb {{ default = {with_alb} }}\n{}{}{}{}",
                BASE.split_once("service app {").expect("the base").0,
                counted("alb", "var.with_alb ? 1 : 0"),
                counted("plain", "var.with_alb ? 0 : 1"),
                TARGET.replace(
                    "${service.app.name}",
                    "${var.with_alb ? service.alb[0].name : service.plain[0].name}"
                )
            );
            crate::test_support::resources(&text)
                .into_iter()
                .filter(|(_, r)| r.blocks.get("autoscaling").is_some_and(|a| !a.is_empty()))
                .map(|(address, _)| address)
                .collect::<Vec<_>>()
        };
        assert_eq!(scaled(true), ["service.alb[\"0\"]"]);
        assert_eq!(scaled(false), ["service.plain[\"0\"]"]);
    }

    /// USSBA's target ignores its `tags_all` in a `lifecycle` block:
    /// E0211 before ("`lifecycle` does not belong"); one that ignores the
    /// bounds still is.
    #[test]
    fn a_targets_lifecycle_on_its_tags_says_nothing() {
        let with = |lifecycle: &str| {
            TARGET.replace(
                "  max_capacity       = 4\n",
                &format!("  max_capacity       = 4\n  lifecycle {{\n    {lifecycle}\n  }}\n"),
            )
        };
        assert_eq!(errors(&with("ignore_changes = [tags_all]")), Vec::<String>::new());
        // vimbiso's target tagged with the module's common tags: berth tags
        // nothing in Application Auto Scaling (E0211 before).
        let tagged = TARGET.replace(
            "  max_capacity       = 4\n",
            "  max_capacity       = 4\n  tags = { Team = \"pay\" }\n",
        );
        assert_eq!(errors(&tagged), Vec::<String>::new());
        assert_eq!(
            errors(&with("ignore_changes = [min_capacity]")),
            ["`lifecycle` does not belong in an `appautoscaling_target`"]
        );
    }

    /// Scaling resources repeated over the instances of a repeated
    /// service, each naming its own (`aws_ecs_service.this[each.key]`),
    /// scale that instance alone, and an alarm repeated alike triggers its
    /// instance's policy: E0211 "has one scaling target" before.
    #[test]
    fn a_target_per_instance_scales_that_instance() {
        let stack = |inside: &str, outside: &str| {
            crate::test_support::resources(&format!(
                r#"
vpc main {{ cidr = "10.0.0.0/16" }}
subnet a {{
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}}
cluster main {{}}
task_definition app {{
  cpu    = 256
  memory = 512
  container app {{ image = "nginx" }}
}}
locals {{
  services = {{ web = 2, api = 4, worker = 0 }}
  scaled   = {{ for name, max in local.services : name => max if max > 0 }}
}}
service app {{
  for_each        = local.services
  cluster         = cluster.main
  task_definition = task_definition.app
  subnets         = [subnet.a]
{inside}
}}
metric_alarm high {{
  for_each            = local.scaled
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 2
  threshold           = 85
  comparison_operator = "GreaterThanOrEqualToThreshold"
{outside}
}}
"#
            ))
        };
        let terraform = stack(
            "",
            r#"  alarm_actions       = [appautoscaling_policy.up[each.key].arn]
}
appautoscaling_target app {
  for_each     = local.scaled
  resource_id  = "service/${cluster.main.name}/${service.app[each.key].name}"
  min_capacity = 1
  max_capacity = each.value
}
appautoscaling_policy up {
  for_each    = local.scaled
  name        = "up"
  resource_id = appautoscaling_target.app[each.key].resource_id
  step_scaling_policy_configuration {
    step_adjustment {
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }
  }"#,
        );
        let berth = stack(
            r#"  dynamic "autoscaling" {
    for_each = each.value > 0 ? [1] : []
    content {
      min_capacity = 1
      max_capacity = each.value
      step_scaling up {
        step {
          lower      = 0
          adjustment = 1
        }
      }
    }
  }"#,
            r#"  scaling_policy {
    service = service.app[each.key]
    policy  = "up"
  }"#,
        );
        assert_eq!(terraform, berth);
        let scaled = |instance: &str| {
            terraform[&format!("service.app[\"{instance}\"]")]
                .blocks
                .get("autoscaling")
                .map_or(0, Vec::len)
        };
        assert_eq!([scaled("web"), scaled("api"), scaled("worker")], [1, 1, 0]);
    }

    #[test]
    fn what_cannot_be_scaled_is_named() {
        assert_eq!(
            errors("appautoscaling_policy p {\n  resource_id = appautoscaling_target.none.resource_id\n}\n"),
            ["a `appautoscaling_policy` needs its service's `appautoscaling_target`"]
        );
        assert_eq!(
            errors(
                "appautoscaling_target t {\n  min_capacity = 1\n  max_capacity = 2\n  resource_id = \"table/orders\"\n}\n"
            ),
            ["a `appautoscaling_target` names the service it scales"]
        );
        assert_eq!(
            errors(&TARGET.replace("ecs:service:DesiredCount", "dynamodb:table:ReadCapacityUnits")),
            ["berth scales an ECS service's task count"]
        );
        assert_eq!(
            errors(&format!(
                "{TARGET}appautoscaling_policy p {{\n  resource_id = appautoscaling_target.app.resource_id\n  policy_type = \"TargetTrackingScaling\"\n  step_scaling_policy_configuration {{}}\n}}\n"
            )),
            ["this policy's configuration is `target_tracking_scaling_policy_configuration`"]
        );
    }
}
