//! Other tools' spellings of berth's settings as nested blocks, rewritten
//! into berth's own in the syntax tree before any check, so a ported
//! Terraform resource keeps them as written:
//!
//! - listeners' and listener rules' actions and conditions
//!   (`default_action`, `action`, `condition`: [`listener`]);
//! - blocks grouping settings berth writes on the resource itself (a
//!   service's `network_configuration`, a load balancer's `access_logs`,
//!   a target group's `stickiness`, ...: [`flatten`]);
//! - security group rules with lists of sources (`cidr_blocks`,
//!   `security_groups`, `self`, ...: [`rules`]), and Terraform's
//!   `vpc_security_group_ingress_rule` / `egress_rule` (a
//!   `security_group_rule`);
//! - resources that only attach one thing to another
//!   (`route_table_association`, `route`, `iam_role_policy_attachment`,
//!   ...: [`attach`]; `appautoscaling_target` and its policies:
//!   [`autoscaling`]), folded into the resource they name across the
//!   stack's files;
//! - settings that restate what berth does anyway (`instance_tenancy =
//!   "default"`, `deployment_controller { type = "ECS" }`: [`defaults`]);
//! - Terraform's data sources berth names otherwise (`route53_zone`),
//!   their arguments, attributes and EC2 `filter` blocks ([`lookups`]);
//! - a service naming the stack's task definition by family
//!   ([`task_family`]), an alias record naming the stack's load balancer
//!   by its DNS name and zone ([`dns_alias`]);
//! - Terraform's resource types berth names otherwise (`lb`), Terraform's
//!   names of berth's settings (`vpc_id`, `cidr_block`, ...) and
//!   Terraform's `id` of a kind without one ([`names`]).
//!
//! [`rewrite_all`] runs them all over a stack's files; [`references`]
//! reads Terraform's spellings of references first.
//!
//! What is made keeps the spans it was written at, so every later error
//! points at the user's text. `berth fmt` works on the file as written and
//! keeps this spelling.

mod attach;
pub(crate) use attach::{is_attachment, names_its_parent};
mod attribute_blocks;
mod autoscaling;
mod availability_zones;
mod certificate_validation;
mod defaults;
mod dns_alias;
mod dynamic_rules;
mod ecr_lifecycle;
mod flatten;
pub(crate) use flatten::flattened;
mod endpoint_services;
mod listener;
mod local_file;
mod lookups;
mod names;
mod policy_document;
mod provider;
pub(crate) use provider::from_provider;
mod rules;
mod s3;
mod sqs;
mod task_family;
mod template_file;
mod time_sleep;
mod vpc_parts;
mod whole_resources;

use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span};
use crate::syntax::ast::{
    Attribute, Block, Expr, ExprKind, File, Ident, Item, Label, Step, StrPart, Traversal,
};

pub(crate) use lookups::terraform_data_kind;

const CODE: &str = "E0211";

/// Rewrites other tools' spellings in every block of `files` into
/// berth's: Terraform's resource types first (so every later rewrite
/// sees berth's kinds), then each file's nested spellings and names, then
/// what folds across files. What cannot be rewritten is an E0211 in
/// `diags` and is left out. `complete`: every file of the stack parsed,
/// so a resource not found is not in the stack.
pub fn rewrite_all(
    files: &mut [(FileId, File)],
    sources: &Sources,
    complete: bool,
    diags: &mut Vec<Diagnostic>,
) {
    provider::rewrite(files, diags);
    names::kinds(files);
    rules::vpc_rule_names(files);
    // Before the lookups: it is not one.
    availability_zones::fold(files, diags);
    lookups::rewrite(files, diags);
    for (_, file) in files.iter_mut() {
        rewrite(file, diags);
    }
    fold(files, sources, complete, diags);
}

/// Rewrites what other tools nest in every block of `file` that takes it;
/// what cannot be rewritten is an E0211 in `diags` and is left out.
fn rewrite(file: &mut File, diags: &mut Vec<Diagnostic>) {
    for block in &mut file.blocks {
        nested_nulls(block);
        attribute_blocks::resource(block, diags);
        match block.kind.name.as_str() {
            "listener" => listener::listener(block, diags),
            "listener_rule" => listener::rule(block, diags),
            "security_group" | "default_security_group" => rules::group(block, diags),
            "security_group_rule" => rules::standalone(block, diags),
            "default_route_table" | "default_network_acl" => vpc_parts::resource(block, diags),
            kind if let Some((_, direction)) = rules::VPC_RULES.iter().find(|(k, _)| *k == kind) => {
                rules::vpc_rule(block, direction);
                rules::standalone(block, diags);
            }
            "service" => {
                flatten::resource(block, diags);
                task_family::service(block);
            }
            "dns_record" => {
                flatten::resource(block, diags);
                dns_alias::record(block);
            }
            "load_balancer" => {
                flatten::resource(block, diags);
                settings_of_one_type(block);
            }
            _ => flatten::resource(block, diags),
        }
        defaults::resource(block, diags);
        names::resource(block);
    }
}

/// `block`'s nested blocks without the settings written `null`, which
/// Terraform takes as not written: a module's `regex_values =
/// path_pattern.value.regex_values` for an element that has none, once
/// `inert` wrote the element out, is no setting the rewrites must know.
fn nested_nulls(block: &mut Block) {
    for item in &mut block.body {
        if let Item::Block(nested) = item
            && nested.kind.name != crate::check::dynamic::DYNAMIC
        {
            nested
                .body
                .retain(|i| !matches!(i, Item::Attribute(a) if a.value.kind == ExprKind::Null));
            nested_nulls(nested);
        }
    }
}

/// Terraform's settings of a load balancer that AWS's provider sends for
/// one type only, the other's null (taken off once evaluated,
/// `check/load_balancer_types.rs`): `enable_cross_zone_load_balancing`
/// for a Network (or Gateway) Load Balancer only (umotif's and
/// cn-terraform's modules write `false` for every type), and an
/// Application Load Balancer's HTTP settings (terraform-aws-modules/alb
/// passes `drop_invalid_header_fields`, `true` by default, for a Network
/// one too). berth's own settings of the other type stay an error.
fn settings_of_one_type(block: &mut Block) {
    /// (Terraform's setting, whether it is a Network Load Balancer's).
    const ONE_TYPE: &[(&str, bool)] = &[
        ("enable_cross_zone_load_balancing", true),
        ("drop_invalid_header_fields", false),
        ("enable_http2", false),
        ("idle_timeout", false),
        ("client_keep_alive", false),
        ("desync_mitigation_mode", false),
        ("preserve_host_header", false),
        ("xff_header_processing_mode", false),
        ("enable_xff_client_port", false),
        ("enable_waf_fail_open", false),
        ("enable_tls_version_and_cipher_suite_headers", false),
    ];
    let written = |name: &str| {
        block.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == name => Some(a.value.clone()),
            _ => None,
        })
    };
    // An Application Load Balancer's settings are taken so only from a
    // block Terraform's name of the type says is Terraform's.
    let terraforms_type = written("load_balancer_type");
    let lb_type = terraforms_type.clone().or_else(|| written("type"));
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        let Some((_, network)) = ONE_TYPE.iter().find(|(name, _)| a.name.name == *name) else {
            continue;
        };
        if !network && terraforms_type.is_none() {
            continue;
        }
        let at = a.value.span;
        let Some(lb_type) = &lb_type else {
            // An Application Load Balancer's.
            if *network {
                a.value = Expr {
                    kind: ExprKind::Null,
                    span: at,
                };
            }
            continue;
        };
        let template = if *network {
            r#"contains(["network", "gateway"], lower(TYPE)) ? VALUE : null"#
        } else {
            r#"contains(["network", "gateway"], lower(TYPE)) ? null : VALUE"#
        };
        let Some(mut chosen) = parsed_at(template, at) else {
            continue;
        };
        let value = a.value.clone();
        put_names(&mut chosen, &[("TYPE", lb_type), ("VALUE", &value)]);
        a.value = chosen;
    }
}

/// The expression `text` (a rewrite's template, its placeholders filled
/// by [`put_names`]), every span at `at`, the block it is written for.
pub(super) fn parsed_at(text: &str, at: Span) -> Option<Expr> {
    let mut e = crate::syntax::parse_expr(text).ok()?;
    crate::syntax::template::relocate(&mut e, at);
    Some(e)
}

/// `name(args...)`, written at `at`.
pub(super) fn call_at(name: &str, args: Vec<Expr>, at: Span) -> Expr {
    Expr {
        kind: ExprKind::Call(crate::syntax::ast::Call {
            name: Ident {
                name: name.into(),
                span: at,
            },
            args,
            expand: false,
        }),
        span: at,
    }
}

/// `e` with each bare name of `names` written as its expression.
pub(super) fn put_names(e: &mut Expr, names: &[(&str, &Expr)]) {
    if let ExprKind::Traversal(t) = &e.kind
        && t.steps.is_empty()
        && let Some((_, with)) = names.iter().find(|(n, _)| *n == t.root.name)
    {
        *e = (*with).clone();
        return;
    }
    each_child(e, &mut |child| put_names(child, names));
}

/// Terraform's spellings of a reference, read as berth's before anything
/// reads references (blocks counted to one or nothing rewrite what reads
/// them): Terraform 0.11's legacy splat indexed after it, an attribute
/// read by key, and reads of whole resources ([`whole_resources`]).
pub fn references(files: &mut [(FileId, File)]) {
    let kinds: std::collections::BTreeSet<String> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.label.is_some())
        .map(|b| b.kind.name.clone())
        .collect();
    for block in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        unquoted_depends_on(block);
        each_expr(block, &mut index_after_splat);
        each_expr(block, &mut |e| attribute_by_key(e, &kinds));
    }
    whole_resources::rewrite(files);
}

/// Terraform 0.11's quoted `depends_on = ["aws_internet_gateway.gw"]`
/// (Terraform 0.12 and later take it with a warning) as the references.
fn unquoted_depends_on(block: &mut Block) {
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        let ExprKind::List(items) = &mut a.value.kind else {
            continue;
        };
        if a.name.name != crate::check::declare::DEPENDS_ON {
            continue;
        }
        for e in items {
            if let Some(text) = literal(e)
                && let Ok(mut reference) = crate::syntax::parse_expr(text)
                && matches!(&reference.kind, ExprKind::Traversal(t) if t.named().is_some())
            {
                crate::syntax::template::relocate(&mut reference, e.span);
                *e = reference;
            }
        }
    }
}

/// HCL reads `object["attr"]` as `object.attr`, and cloudposse's modules
/// read resources' attributes so, after a splat or an instance:
/// `one(aws_iam_role.exec[*]["arn"])`, `aws_lb.this[0]["arn"]`. Berth's
/// `KIND.NAME["KEY"]` picks an instance, so only the key after that is
/// an attribute. `kinds`: the kinds of the stack's blocks.
fn attribute_by_key(e: &mut Expr, kinds: &std::collections::BTreeSet<String>) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && (t.root.name == crate::syntax::DATA || kinds.contains(&t.root.name))
    {
        let instance = if t.root.name == crate::syntax::DATA { 2 } else { 1 };
        if matches!(t.steps.get(instance), Some(Step::Splat(_) | Step::Index(_)))
            && let Some(step) = t.steps.get_mut(instance + 1)
            && let Step::Index(key) = step
            && let Some(name) = literal(key).filter(|k| crate::syntax::is_name(k))
        {
            *step = Step::Attr(Ident {
                name: name.to_owned(),
                span: key.span,
            });
        }
    }
    each_child(e, &mut |child| attribute_by_key(child, kinds));
}

/// Terraform 0.11's legacy splat indexed after it,
/// `aws_subnet.public.*.id[count.index]`: the index reads the list the
/// splat makes, `(subnet.public[*].id)[count.index]`.
fn index_after_splat(e: &mut Expr) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && let Some(at) = t.steps.iter().position(|s| matches!(s, Step::Splat(_)))
        && matches!(t.steps.get(at + 1), Some(Step::Attr(_)))
        && matches!(t.steps.get(at + 2), Some(Step::Index(_)))
    {
        let rest = t.steps.split_off(at + 2);
        let list = Expr {
            kind: std::mem::replace(&mut e.kind, ExprKind::Null),
            span: e.span,
        };
        e.kind = ExprKind::Postfix(Box::new(list), rest);
    }
    each_child(e, &mut index_after_splat);
}

/// Folds Terraform's resources that attach to another into the resource
/// they name, in whichever of `files` it is: scaling targets, policies and
/// actions into their service ([`autoscaling`]), then the others
/// ([`attach`]); and Terraform's policy documents and templates into the
/// expressions that read them ([`policy_document`], [`template_file`],
/// [`local_file`]).
fn fold(files: &mut [(FileId, File)], sources: &Sources, complete: bool, diags: &mut Vec<Diagnostic>) {
    policy_document::fold(files, diags);
    template_file::fold(files, diags);
    local_file::fold(files, diags);
    endpoint_services::fold(files, diags);
    time_sleep::fold(files, diags);
    certificate_validation::fold(files, sources, diags);
    task_family::latest_revision(files);
    vpc_parts::fold(files, complete, diags);
    let mut folded = autoscaling::fold(files, complete, diags);
    folded.extend(attach::fold(files, sources, complete, diags));
    moves_of_folded(files);
    if !folded.is_empty() {
        for (_, file) in files.iter_mut() {
            for block in &mut file.blocks {
                depends_on_parents(block, &folded);
                each_expr(block, &mut |e| read_through_parents(e, &folded));
            }
        }
    }
}

/// What Terraform reads of an attachment that is its parent's: (the
/// attachment's kinds, its attribute, the parent's). A secret version's
/// `arn` and `secret_id` are its secret's ARN (oozou's container secrets
/// are `format("%s:%s::", aws_secretsmanager_secret_version.this.arn, KEY)`).
const READ_THROUGH: &[(&[&str], &str, &str)] = &[
    (&["secretsmanager_secret_version", "secret_version"], "arn", "arn"),
    (
        &["secretsmanager_secret_version", "secret_version"],
        "secret_id",
        "arn",
    ),
];

/// `e` with each read [`READ_THROUGH`] takes of a folded attachment read
/// from its parent (at the same instance, when indexed; every instance
/// through a splat).
fn read_through_parents(e: &mut Expr, folded: &Folded) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && let Some(Step::Attr(name)) = t.steps.first()
        && let Some((kind, parent)) = folded.get(&(t.root.name.clone(), name.name.clone()))
    {
        // An instance (`[0]`), or every one (`.*`, `[*]`: the secrets
        // module of shajalahamedcse's template outputs `.*.arn`).
        let index = usize::from(matches!(t.steps.get(1), Some(Step::Index(_) | Step::Splat(_))));
        let read = match t.steps.get(1 + index) {
            Some(Step::Attr(attr)) => READ_THROUGH
                .iter()
                .find(|(kinds, a, _)| kinds.contains(&t.root.name.as_str()) && *a == attr.name)
                .map(|(_, _, to)| *to),
            _ => None,
        };
        if let Some(to) = read {
            let span = t.root.span;
            let mut steps: Vec<Step> = t.steps.drain(1..).collect();
            steps[index] = Step::Attr(Ident {
                name: to.to_owned(),
                span,
            });
            *t = Traversal::path(&[kind, parent], span);
            t.steps.extend(steps);
            return;
        }
    }
    each_child(e, &mut |child| read_through_parents(child, folded));
}

/// Takes out Terraform's `moved` blocks between two addresses of kinds
/// folded into their parents (`route_table_association.public` to
/// `.public_a`): what they stood for is a setting of the parent, which
/// keeps its address, so there is nothing to move.
fn moves_of_folded(files: &mut [(FileId, File)]) {
    let folded = |b: &Block, setting: &str| {
        b.body.iter().any(|item| match item {
            Item::Attribute(a) if a.name.name == setting => match &a.value.kind {
                ExprKind::Traversal(t) => {
                    attach::is_attachment(&t.root.name) || autoscaling::is_autoscaling(&t.root.name)
                }
                _ => false,
            },
            _ => false,
        })
    };
    for (_, file) in files.iter_mut() {
        file.blocks
            .retain(|b| b.kind.name != crate::check::moved::MOVED || !(folded(b, "from") && folded(b, "to")));
    }
}

/// Whether blocks of `kind` are folded into another by their text (read
/// as written, before evaluation): Terraform's scaling resources, an
/// inline role policy (its `name` is the label of the role's block) and
/// an ECR lifecycle policy (its `policy` is read into rules). Counted to
/// one by the variables, such a block is the block itself; repeated over
/// what they decide, one block per element (`inert/folded.rs`).
pub(crate) fn folded_by_text(kind: &str) -> bool {
    autoscaling::is_autoscaling(kind)
        || matches!(
            kind,
            "iam_role_policy" | "role_policy" | "ecr_lifecycle_policy" | "lifecycle_policy"
        )
}

/// The setting of a block of `kind` read as written, before evaluation,
/// by a path through its nested blocks (every block on it): an inline
/// role policy's `name` (the label of the role's block) and a lifecycle
/// policy's `policy` (read into rules), which their folds read; a
/// service's `deployment_controller { type }`, checked against berth's
/// behaviour ([`defaults`]); a task definition's volumes' `name` (their
/// blocks' labels) and Terraform's listener actions' `type` (which block
/// they are), and a role's Terraform `inline_policy` blocks' `name`; a
/// target group's `stickiness` settings; a managed policy's `name`, which a module writes after the role the
/// policy is attached to (tmknom/terraform-aws-ecs-fargate's `name =
/// aws_iam_role.default.name`: once the attachment is folded into the
/// role, a reference that would close a cycle). A scaling resource's fold
/// reads every one.
pub(crate) fn read_by_text(kind: &str) -> &'static [&'static [&'static str]] {
    match kind {
        "iam_policy" | "managed_policy" => &[&["name"]],
        "iam_role_policy" | "role_policy" => &[&["name"]],
        "ecr_lifecycle_policy" | "lifecycle_policy" => &[&["policy"]],
        // A service's and a cluster's name, which a scalable target's
        // `resource_id` names them by (USSBA's `"service/${var.cluster_name}/${var.family}"`
        // beside `name = var.family`).
        "ecs_service" | "service" => &[&["deployment_controller", "type"], &["name"]],
        "ecs_cluster" | "cluster" => &[&["name"]],
        // A volume's name labels its block; an action's type picks its block.
        "ecs_task_definition" | "task_definition" => &[&["volume", "name"]],
        "lb_listener" | "alb_listener" | "listener" => &[&["default_action", "type"]],
        // provider 2's `condition { field = var.x  values }` picks its condition so.
        "lb_listener_rule" | "alb_listener_rule" | "listener_rule" => {
            &[&["action", "type"], &["condition", "field"]]
        }
        // An inline policy's name labels its block (Copilot's `!Join`).
        "iam_role" | "role" => &[&["inline_policy", "name"]],
        // Stickiness is checked against what berth writes (`lb_cookie`,
        // no cookie name) as written: a module passes its settings in
        // variables (`type = var.alb_sticky_cookie_type`, alb v9's `try`).
        "lb_target_group" | "alb_target_group" | "target_group" => &[
            &["stickiness", "type"],
            &["stickiness", "cookie_name"],
            &["stickiness", "enabled"],
            &["stickiness", "cookie_duration"],
        ],
        _ => &[],
    }
}

/// Folded blocks' parents, by the folded block's (kind, name).
type Folded = std::collections::BTreeMap<(String, String), (String, String)>;

/// `block`'s `depends_on` entries naming a folded block name its parent:
/// what it stood for is a setting of that resource now.
fn depends_on_parents(block: &mut Block, folded: &Folded) {
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        if a.name.name != crate::check::declare::DEPENDS_ON {
            continue;
        }
        let ExprKind::List(items) = &mut a.value.kind else {
            continue;
        };
        for e in items {
            let ExprKind::Traversal(t) = &mut e.kind else {
                continue;
            };
            let Some(Step::Attr(name)) = t.steps.first() else {
                continue;
            };
            if let Some((kind, parent)) = folded.get(&(t.root.name.clone(), name.name.clone())) {
                *t = Traversal::path(&[kind, parent], t.root.span);
            }
        }
    }
}

/// Whether `e` reads anything under `root` (`count`, `each`).
pub(crate) fn reads(e: &mut Expr, root: &str) -> bool {
    if let ExprKind::Traversal(t) = &e.kind
        && t.root.name == root
    {
        return true;
    }
    let mut found = false;
    each_child(e, &mut |child| found |= reads(child, root));
    found
}

/// Calls `f` on each expression written in `block`: its attributes' and
/// its nested blocks', and a string label.
pub(super) fn each_expr(block: &mut Block, f: &mut dyn FnMut(&mut Expr)) {
    if let Some(crate::syntax::ast::Label::String(e)) = &mut block.label {
        f(e);
    }
    for item in &mut block.body {
        match item {
            Item::Attribute(a) => f(&mut a.value),
            Item::Block(b) => each_expr(b, f),
        }
    }
}

/// Takes every `data KIND NAME { }` block of a kind that is not a lookup
/// (Terraform's policy documents and templates) out of `files`, with its
/// name; one without a bare name is left where it is, for the lookup
/// checks to report.
pub(super) fn take_data(files: &mut [(FileId, File)], kind: &str) -> Vec<(String, Block)> {
    let mut out = Vec::new();
    for (_, file) in files.iter_mut() {
        let (ours, rest): (Vec<Block>, Vec<Block>) =
            std::mem::take(&mut file.blocks).into_iter().partition(|b| {
                b.kind.name == crate::syntax::DATA
                    && b.subkind.as_ref().is_some_and(|k| k.name == kind)
                    && matches!(b.label, Some(Label::Ident(_)))
            });
        file.blocks = rest;
        out.extend(ours.into_iter().filter_map(|b| match &b.label {
            Some(Label::Ident(name)) => Some((name.name.clone(), b)),
            _ => None,
        }));
    }
    out
}

/// What a reference `data.KIND.NAME...` stands for: from the name, the
/// steps after it and the reference's span; `None` leaves it as written.
pub(super) type Inline<'a> = dyn FnMut(&str, &[Step], Span) -> Option<Expr> + 'a;

/// Replaces, in every expression of `files`, each reference
/// `data.KIND.NAME...` whose name `with` knows: `with(name, steps after
/// the name, the reference's span)` gives the expression it stands for.
pub(super) fn inline_data(files: &mut [(FileId, File)], kind: &str, with: &mut Inline<'_>) {
    for (_, file) in files.iter_mut() {
        for block in &mut file.blocks {
            each_expr(block, &mut |e| inline_data_in(e, kind, with));
        }
    }
}

/// [`inline_data`] within the expression `e`.
pub(super) fn inline_data_in(e: &mut Expr, kind: &str, with: &mut Inline<'_>) {
    if let ExprKind::Traversal(t) = &e.kind
        && t.root.name == crate::syntax::DATA
        && let [Step::Attr(k), Step::Attr(name), rest @ ..] = t.steps.as_slice()
        && k.name == kind
        && let Some(inlined) = with(&name.name, rest, e.span)
    {
        *e = inlined;
        return;
    }
    each_child(e, &mut |child| inline_data_in(child, kind, with));
}

/// E0211 for a reference to `data.KIND.NAME` reading another attribute
/// than `attr`, the one such a block is read as; the reference becomes
/// `null`, so no lookup error follows for a kind that is not one.
pub(super) fn misread(
    (kind, name, attr): (&str, &str, &str),
    what: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expr> {
    diags.push(
        Diagnostic::error(CODE, format!("{what} is read as its `{attr}`"), span)
            .label(format!("not `.{attr}`"))
            .help(format!("write `data.{kind}.{name}.{attr}`")),
    );
    Some(Expr {
        kind: ExprKind::Null,
        span,
    })
}

/// Whether references `a` and `b` name the same block (and instance:
/// the same literal key, or both `count.index` or `each.key`), whatever
/// they read of it and wherever they are written.
pub(super) fn same_block(a: &Traversal, b: &Traversal) -> bool {
    let key = |t: &Traversal| match t.named()?.rest.first() {
        Some(Step::Index(i)) => Some(literal(i).map(str::to_owned).or_else(|| path_text(i))),
        _ => None,
    };
    let named = |t: &Traversal| t.named().map(|n| (n.data, n.kind.to_owned(), n.name.to_owned()));
    named(a).is_some() && named(a) == named(b) && key(a) == key(b)
}

/// The block of `kind` whose `attr` `e` reads (`KIND.NAME.ATTR`, or
/// `KIND.NAME[KEY].ATTR`), as the reference to it.
pub(super) fn block_read(e: &Expr, kind: &str, attr: &str) -> Option<Traversal> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    let (Step::Attr(last), path) = t.steps.split_last()? else {
        return None;
    };
    let named = matches!(path, [Step::Attr(_)] | [Step::Attr(_), Step::Index(_)]);
    (t.root.name == kind && named && last.name == attr).then(|| Traversal {
        root: t.root.clone(),
        steps: path.to_vec(),
    })
}

/// `ROOT.ATTR...` written out, for a path of names only (`count.index`).
pub(super) fn path_text(e: &Expr) -> Option<String> {
    let ExprKind::Traversal(t) = &e.kind else {
        return None;
    };
    let mut text = t.root.name.clone();
    for step in &t.steps {
        let Step::Attr(a) = step else { return None };
        text.push('.');
        text.push_str(&a.name);
    }
    Some(text)
}

/// Whether `e` is the path `ROOT.ATTR` (`count.index`).
pub(crate) fn is_path(e: &Expr, root: &str, attr: &str) -> bool {
    matches!(&e.kind, ExprKind::Traversal(t)
        if t.root.name == root && matches!(t.steps.as_slice(), [Step::Attr(a)] if a.name == attr))
}

/// `e` with each `count.index` in it read as `index`.
pub(crate) fn count_index_as(e: &mut Expr, index: &Expr) {
    if is_path(e, crate::check::declare::COUNT, "index") {
        *e = index.clone();
        return;
    }
    each_child(e, &mut |child| count_index_as(child, index));
}

/// Calls `f` on each traversal in `e`, before the expressions inside it.
pub(crate) fn each_traversal(e: &mut Expr, f: &mut dyn FnMut(&mut Traversal)) {
    if let ExprKind::Traversal(t) = &mut e.kind {
        f(t);
    }
    each_child(e, &mut |child| each_traversal(child, f));
}

/// Calls `f` on each expression directly inside `e`.
pub(super) fn each_child(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    use crate::syntax::ast::ForResult;
    let steps = |steps: &mut Vec<Step>, f: &mut dyn FnMut(&mut Expr)| {
        for step in steps {
            if let Step::Index(i) = step {
                f(i);
            }
        }
    };
    match &mut e.kind {
        ExprKind::Traversal(t) => steps(&mut t.steps, f),
        ExprKind::String(parts) => parts.iter_mut().for_each(|p| {
            if let StrPart::Interp(i) = p {
                f(i);
            }
        }),
        ExprKind::List(items) => items.iter_mut().for_each(f),
        ExprKind::Map(entries) => entries.iter_mut().for_each(|m| {
            if let Some(key) = &mut m.key.computed {
                f(key);
            }
            f(&mut m.value)
        }),
        ExprKind::Call(c) => c.args.iter_mut().for_each(f),
        ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => f(inner),
        ExprKind::Binary(_, l, r) => {
            f(l);
            f(r);
        }
        ExprKind::Conditional(c, a, b) => {
            f(c);
            f(a);
            f(b);
        }
        ExprKind::For(fe) => {
            f(&mut fe.collection);
            match &mut fe.result {
                ForResult::List(v) => f(v),
                ForResult::Map { key, value, .. } => {
                    f(key);
                    f(value);
                }
            }
            if let Some(c) = &mut fe.cond {
                f(c);
            }
        }
        ExprKind::Postfix(inner, s) => {
            f(inner);
            steps(s, f);
        }
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Decimal(_) => {}
    }
}

/// Whether berth takes a block of `kind` that is not one of its kinds: a
/// Terraform resource rewritten into one, or folded into another.
pub fn takes_kind(kind: &str) -> bool {
    attach::is_attachment(kind)
        || autoscaling::is_autoscaling(kind)
        || rules::VPC_RULES.iter().any(|(k, _)| *k == kind)
}

/// The text of a string literal without interpolation.
pub(super) fn literal(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::String(parts) => match parts.as_slice() {
            [StrPart::Lit(s)] => Some(s),
            [] => Some(""),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn renamed(a: Attribute, name: &str) -> Attribute {
    Attribute {
        name: Ident {
            name: name.into(),
            span: a.name.span,
        },
        ..a
    }
}

/// `at` as berth's block `kind`, its attributes named `from` in `renames`
/// named `to`.
pub(super) fn block(kind: &str, at: Block, renames: &[(&str, &str)]) -> Item {
    let body = at
        .body
        .into_iter()
        .map(|item| match item {
            Item::Attribute(a) => match renames.iter().find(|(from, _)| a.name.name == *from) {
                Some((_, to)) => Item::Attribute(renamed(a, to)),
                None => Item::Attribute(a),
            },
            other => other,
        })
        .collect();
    Item::Block(Block {
        kind: Ident {
            name: kind.into(),
            span: at.kind.span,
        },
        subkind: None,
        label: None,
        body,
        span: at.span,
    })
}

/// The setting `name = value` made by a rewrite, named at `at`.
pub(super) fn attribute(name: &str, value: Expr, at: Span) -> Item {
    Item::Attribute(Attribute {
        name: Ident {
            name: name.into(),
            span: at,
        },
        span: at.to(value.span),
        value,
    })
}

pub(super) fn item_name(item: &Item) -> (&str, Span) {
    match item {
        Item::Attribute(a) => (&a.name.name, a.name.span),
        Item::Block(b) => (&b.kind.name, b.kind.span),
    }
}

/// How [`renamed_settings`] takes a nested block: its items, or the block
/// back when it is not one of those taken.
pub(super) type Nested<'a> = &'a mut dyn FnMut(Block, &mut Vec<Diagnostic>) -> Result<Vec<Item>, Block>;

/// The attributes of `items` named as berth names them (`renames`:
/// Terraform's name, berth's), and what `nested` makes of its blocks; an
/// E0211 for anything else, saying what `what` takes.
pub(super) fn renamed_settings(
    items: Vec<Item>,
    renames: &[(&str, &str)],
    (what, takes): (&str, &str),
    nested: Nested<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Item> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Attribute(a) => match renames.iter().find(|(tf, _)| a.name.name == *tf) {
                Some((_, berth)) => out.push(Item::Attribute(renamed(a, berth))),
                None => diags.push(stray(&Item::Attribute(a), what, takes)),
            },
            Item::Block(b) => match nested(b, diags) {
                Ok(made) => out.extend(made),
                Err(b) => diags.push(stray(&Item::Block(b), what, takes)),
            },
        }
    }
    out
}

/// Takes no nested block.
pub(super) fn no_blocks(b: Block, _: &mut Vec<Diagnostic>) -> Result<Vec<Item>, Block> {
    Err(b)
}

/// `names` as a help lists them: `` `a`, `b`, `c` ``.
pub(super) fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The label of a block made from another tool's: its `name`, which must
/// read as a bare name (E0211 otherwise; `what`: what it names, and those
/// blocks in the plural), else `own`, the block's own label.
pub(super) fn name_label(
    name: Option<Expr>,
    own: Option<Label>,
    (what, plural): (&str, &str),
    diags: &mut Vec<Diagnostic>,
) -> Option<Label> {
    let Some(n) = name else { return own };
    match literal(&n) {
        Some(text) if crate::syntax::is_name(text) => Some(Label::Ident(Ident {
            name: text.to_owned(),
            span: n.span,
        })),
        _ => {
            // A name the variables decide was settled already when they
            // have values (`inert/folded.rs`): one left is not known yet.
            let (label, help) = match literal(&n) {
                Some(_) => (
                    "not a name of letters, digits, `_` and `-`",
                    format!("berth names {plural} by their block's label"),
                ),
                None => (
                    "not known from the variables alone",
                    format!(
                        "berth names {plural} by their block's label: a name built from variables is taken once they have values (`--var`, `terraform.tfvars`) and read nothing else"
                    ),
                ),
            };
            diags.push(
                Diagnostic::error(CODE, format!("{what}'s name is written as it is"), n.span)
                    .label(label)
                    .help(help),
            );
            None
        }
    }
}

/// E0211 for `item`, which `what` does not take.
pub(super) fn stray(item: &Item, what: &str, takes: &str) -> Diagnostic {
    let (name, span) = item_name(item);
    Diagnostic::error(CODE, format!("`{name}` does not belong in {what}"), span)
        .label("not part of it")
        .help(format!("{what} takes {takes}"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::stack::DesiredValue;
    use crate::test_support::Shape;

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
load_balancer web { subnets = [subnet.a, subnet.b]  internal = true }
target_group blue {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
target_group green {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
"#;

    /// Every resource of `text` (after [`BASE`]), by address.
    fn resources(text: &str) -> BTreeMap<String, Shape> {
        crate::test_support::resources(&format!("{BASE}{text}"))
    }

    #[test]
    fn terraform_actions_and_conditions_are_berths_settings() {
        let terraform = resources(
            r#"
listener http {
  load_balancer = load_balancer.web
  port          = 80
  default_action {
    type             = "forward"
    target_group_arn = target_group.blue.arn
  }
  rule old {
    priority = 1
    action {
      type = "redirect"
      redirect {
        path        = "/new"
        status_code = "HTTP_302"
      }
    }
    condition {
      field  = "host-header"
      values = ["old.example.com"]
    }
  }
}
listener_rule api {
  listener = listener.http
  priority = 10
  action {
    type  = "forward"
    order = 1
    forward {
      target_group {
        arn    = target_group.blue.arn
        weight = 90
      }
      target_group {
        arn    = target_group.green.arn
        weight = 10
      }
      stickiness {
        enabled  = true
        duration = 600
      }
    }
  }
  condition {
    path_pattern { values = ["/api/*", "/v2/*"] }
  }
  condition {
    http_header {
      http_header_name = "X-Canary"
      values           = ["on"]
    }
  }
  condition {
    query_string {
      key   = "a"
      value = "b"
    }
  }
}
listener_rule down {
  listener = listener.http
  priority = 20
  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "down"
      status_code  = "503"
    }
  }
  condition {
    http_request_method { values = ["GET"] }
  }
  condition {
    source_ip { values = ["10.0.0.0/8"] }
  }
}
"#,
        );
        let berth = resources(
            r#"
listener http {
  load_balancer = load_balancer.web
  port          = 80
  default       = target_group.blue.arn
  rule old {
    priority = 1
    redirect {
      path        = "/new"
      status_code = "HTTP_302"
    }
    hosts = ["old.example.com"]
  }
}
listener_rule api {
  listener = listener.http
  priority = 10
  weighted_forward {
    target_group = target_group.blue.arn
    weight       = 90
  }
  weighted_forward {
    target_group = target_group.green.arn
    weight       = 10
  }
  forward_stickiness = 600
  paths              = ["/api/*", "/v2/*"]
  header {
    name   = "X-Canary"
    values = ["on"]
  }
  query {
    key   = "a"
    value = "b"
  }
}
listener_rule down {
  listener = listener.http
  priority = 20
  fixed_response {
    content_type = "text/plain"
    body         = "down"
    status_code  = 503
  }
  methods    = ["GET"]
  source_ips = ["10.0.0.0/8"]
}
"#,
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn stickiness_turned_off_is_none_and_a_variable_decides_at_plan() {
        let rule = |enabled: &str| {
            format!(
                r#"
variable sticky {{ default = false }}
listener http {{
  load_balancer = load_balancer.web
  port          = 80
  default_action {{
    type = "forward"
    forward {{
      target_group {{ arn = target_group.blue.arn }}
      stickiness {{
        enabled  = {enabled}
        duration = 60
      }}
    }}
  }}
}}
"#
            )
        };
        let stickiness = |text: &str| {
            resources(text)["listener.http"]
                .attrs
                .get("forward_stickiness")
                .cloned()
        };
        assert_eq!(stickiness(&rule("false")), None);
        assert_eq!(stickiness(&rule("var.sticky")), None);
        assert_eq!(
            stickiness(&rule("!var.sticky")),
            Some(DesiredValue::Known(berth_provider::Value::Int(60)))
        );
    }

    const SERVICE: &str = r#"
cluster main {}
security_group app { vpc = vpc.main }
task_definition app {
  cpu    = 256
  memory = 512
  container app { image = "nginx" }
}
"#;

    #[test]
    fn a_services_network_configuration_is_its_own_settings() {
        let service = |network: &str| {
            resources(&format!(
                "{SERVICE}service app {{\n  cluster = cluster.main\n  task_definition = task_definition.app\n{network}\n}}\n"
            ))
            .remove("service.app")
        };
        let terraform = service(
            "  network_configuration {\n    subnets = [subnet.a, subnet.b]\n    security_groups = [security_group.app]\n    assign_public_ip = true\n  }",
        );
        let berth = service(
            "  subnets = [subnet.a, subnet.b]\n  security_groups = [security_group.app]\n  public_ip = true",
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn what_network_configuration_does_not_take_is_named() {
        let mut file = crate::syntax::parse(
            crate::FileId(0),
            "service app {\n  network_configuration {\n    subnets = []\n    ipv6 = true\n  }\n}\n",
        )
        .expect("parses");
        let mut diags = Vec::new();
        super::rewrite(&mut file, &mut diags);
        let messages: Vec<_> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [(
                "E0211",
                "`ipv6` does not belong in a `network_configuration` block"
            )]
        );
    }

    #[test]
    fn terraform_settings_blocks_are_the_resources_own_settings() {
        let terraform = resources(
            r#"
variable sticky { default = true }
load_balancer logged {
  subnets  = [subnet.a, subnet.b]
  internal = true
  access_logs {
    bucket  = "logs"
    prefix  = "web"
    enabled = true
  }
  connection_logs {
    bucket  = "logs"
    enabled = false
  }
}
target_group day {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
  stickiness {
    type    = "lb_cookie"
    enabled = true
  }
  health_check {
    enabled = true
    path    = "/health"
  }
}
target_group hour {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
    enabled         = var.sticky
  }
}
target_group none {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
  stickiness {
    type    = "lb_cookie"
    enabled = false
  }
}
cluster main {
  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}
role app {
  assume = "ecs-tasks.amazonaws.com"
  inline_policy {
    name   = "logs-access"
    policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"
  }
}
ecr_repository app {
  image_scanning_configuration { scan_on_push = true }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:us-east-1:123456789012:key/k"
  }
}
"#,
        );
        let berth = resources(
            r#"
variable sticky { default = true }
load_balancer logged {
  subnets            = [subnet.a, subnet.b]
  internal           = true
  access_logs_bucket = "logs"
  access_logs_prefix = "web"
  access_logs        = true
  connection_logs_bucket = "logs"
  connection_logs        = false
}
target_group day {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
  stickiness  = 86400
  health_check { path = "/health" }
}
target_group hour {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
  stickiness  = 3600
}
target_group none {
  vpc         = vpc.main
  port        = 80
  target_type = "ip"
}
cluster main { container_insights = "enhanced" }
role app {
  assume = "ecs-tasks.amazonaws.com"
  policy logs-access {
    document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"
  }
}
ecr_repository app {
  scan_on_push = true
  encryption   = "KMS"
  kms_key      = "arn:aws:kms:us-east-1:123456789012:key/k"
}
"#,
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn stickiness_and_settings_berth_cannot_write_are_named() {
        let mut file = crate::syntax::parse(
            crate::FileId(0),
            "target_group t {\n  stickiness {\n    type = \"app_cookie\"\n  }\n}\n\
             cluster c {\n  setting {\n    name = \"other\"\n    value = \"x\"\n  }\n}\n",
        )
        .expect("parses");
        let mut diags = Vec::new();
        super::rewrite(&mut file, &mut diags);
        let messages: Vec<_> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                ("E0211", "berth writes load balancer cookie stickiness only"),
                ("E0211", "a cluster's one setting is `containerInsights`"),
            ]
        );
    }

    #[test]
    fn terraforms_one_rule_resources_are_security_group_rules() {
        let rules = |text: &str| {
            let mut all = resources(&format!("security_group lb {{ vpc = vpc.main }}\n{text}"));
            all.retain(|k, _| k.starts_with("security_group_rule."));
            all
        };
        let terraform = rules(
            r#"
vpc_security_group_ingress_rule https {
  security_group_id = security_group.lb.id
  cidr_ipv6         = "::/0"
  from_port         = 443
  ip_protocol       = "tcp"
  to_port           = 443
}
vpc_security_group_egress_rule out {
  security_group_id            = security_group.lb.id
  referenced_security_group_id = security_group.lb.id
  ip_protocol                  = "-1"
}
"#,
        );
        let berth = rules(
            r#"
security_group_rule https {
  type           = "ingress"
  security_group = security_group.lb.id
  cidr           = "::/0"
  from_port      = 443
  to_port        = 443
  protocol       = "tcp"
}
security_group_rule out {
  type           = "egress"
  security_group = security_group.lb.id
  from           = security_group.lb.id
  protocol       = "-1"
}
"#,
        );
        assert_eq!(terraform, berth);
        assert_eq!(terraform.len(), 2);
    }

    /// A rule whose one source is `self` known once evaluated is the group
    /// itself when `true` (it was E0211, `self` not a literal).
    #[test]
    fn a_rule_of_self_known_once_evaluated_is_from_its_group() {
        let rule = |source: &str| {
            let mut all = resources(&format!(
                "variable \"rule\" {{ default = {{ self = true }} }}\nsecurity_group app {{ vpc = vpc.main }}\nsecurity_group_rule s {{\n  security_group_id = security_group.app.id\n  type = \"ingress\"\n  protocol = \"tcp\"\n  from_port = 80\n  to_port = 80\n  {source}\n}}\n"
            ));
            all.retain(|k, _| k.starts_with("security_group_rule."));
            all
        };
        assert_eq!(
            rule("self = lookup(var.rule, \"self\", false)"),
            rule("from = security_group.app.id")
        );
    }

    /// terraform-aws-modules/alb's group lets out to its VPC alone, by a
    /// `vpc_security_group_egress_rule`: as Terraform's group, it drops
    /// AWS's allow-all rule (kept, it widened the group silently); one
    /// with `egress` blocks or `default_egress` says for itself.
    #[test]
    fn a_group_with_terraforms_egress_rules_lets_out_only_those() {
        let groups = |text: &str| {
            let mut all = resources(&format!(
                "{text}\nvpc_security_group_egress_rule vpc_only {{\n  security_group_id = security_group.lb.id\n  ip_protocol = \"-1\"\n  cidr_ipv4 = \"10.0.0.0/16\"\n}}\n"
            ));
            all.retain(|k, _| k.starts_with("security_group."));
            all
        };
        assert_eq!(
            groups("resource \"aws_security_group\" \"lb\" { vpc_id = aws_vpc.main.id }"),
            groups("security_group lb {\n  vpc = vpc.main\n  default_egress = false\n}")
        );
        assert_ne!(
            groups("security_group lb {\n  vpc = vpc.main\n  default_egress = true\n}"),
            groups("security_group lb {\n  vpc = vpc.main\n  default_egress = false\n}")
        );
    }

    /// totallymoney's shared load balancer group, named by each service's
    /// egress rule through a local map (`each.value.alb_security_group_id`)
    /// or a local: it kept AWS's allow-all rule beside the rules, where
    /// Terraform's lets out only those (`check/sg_rules.rs`).
    #[test]
    fn a_group_named_through_locals_by_terraforms_egress_rules_lets_out_only_those() {
        let groups = |rule: &str| {
            let mut all = resources(&format!(
                "resource \"aws_security_group\" \"lb\" {{ vpc_id = aws_vpc.main.id }}\n\
                 resource \"aws_security_group\" \"app\" {{ vpc_id = aws_vpc.main.id }}\n\
                 locals {{\n  lb = aws_security_group.lb.id\n  services = {{\n    web = {{ lb = aws_security_group.lb.id, port = 8080 }}\n  }}\n  \
                 defaults = {{ port = 8080 }}\n  merged = {{ for k, v in local.services : k => merge(local.defaults, v) }}\n  alias = local.services\n}}\n{rule}"
            ));
            all.retain(|k, _| k == "security_group.lb");
            all
        };
        let rule = |for_each: &str, group: &str| {
            format!(
                "resource \"aws_vpc_security_group_egress_rule\" \"out\" {{\n{for_each}  security_group_id = {group}\n  \
                 referenced_security_group_id = aws_security_group.app.id\n  ip_protocol = \"tcp\"\n  from_port = 8080\n  to_port = 8080\n}}\n"
            )
        };
        let direct = groups(&rule("", "aws_security_group.lb.id"));
        assert_eq!(groups(&rule("", "local.lb")), direct);
        assert_eq!(
            groups(&rule("  for_each = local.services\n", "each.value.lb")),
            direct
        );
        // The module's inputs merged over its defaults (totallymoney, as
        // inlined), or an alias of the map: the default kept before.
        for map in ["local.merged", "local.alias"] {
            assert_eq!(
                groups(&rule(&format!("  for_each = {map}\n"), "each.value.lb")),
                direct,
                "{map}"
            );
        }
    }

    /// Modules pass stickiness in variables (USSBA's `type =
    /// var.alb_sticky_cookie_type`, `cookie_name = var.x` holding `""`;
    /// alb v9's `cookie_name = try(stickiness.value.cookie_name, null)`):
    /// E0211 before, checked as written; now as the variables decide it.
    #[test]
    fn stickiness_settings_decided_by_variables_are_taken() {
        let group = |stickiness: &str| {
            resources(&format!(
                "variable kind {{ default = \"lb_cookie\" }}\nvariable cookie {{ default = \"\" }}\n\
                 variable sticky {{ default = {{ duration = 600 }} }}\n\
                 resource \"aws_lb_target_group\" \"web\" {{\n  vpc_id = vpc.main.id\n  port = 80\n  \
                 protocol = \"HTTP\"\n  target_type = \"ip\"\n  stickiness {{\n{stickiness}\n  }}\n}}\n"
            ))
            .remove("target_group.web")
        };
        let written = group("    type = \"lb_cookie\"\n    cookie_duration = 600");
        assert_eq!(
            group(
                "    type = var.kind\n    cookie_name = var.cookie\n    cookie_duration = try(var.sticky.duration, null)\n    enabled = var.kind == \"lb_cookie\""
            ),
            written
        );
        assert_eq!(
            group(
                "    type = var.kind\n    cookie_name = try(var.sticky.name, null)\n    cookie_duration = 600"
            ),
            written
        );
    }

    /// terraform-aws-modules/alb passes an Application Load Balancer's
    /// HTTP settings for every type (`drop_invalid_header_fields`, `true`
    /// by default): AWS's provider leaves them out of a Network one's
    /// (E0637 before); berth's own still say they are the other type's.
    #[test]
    fn a_terraform_network_load_balancer_leaves_application_settings_out() {
        let nlb = |settings: &str| {
            resources(&format!(
                "subnet c {{\n  vpc = vpc.main\n  cidr = \"10.0.3.0/24\"\n  zone = \"us-east-1a\"\n}}\n\
                 resource \"aws_lb\" \"nlb\" {{\n  load_balancer_type = \"network\"\n  internal = true\n  \
                 subnets = [subnet.c.id]\n{settings}\n}}\n"
            ))
            .remove("load_balancer.nlb")
        };
        assert_eq!(
            nlb("  drop_invalid_header_fields = true\n  enable_http2 = true\n  idle_timeout = 60"),
            nlb("")
        );
        let own = crate::test_support::messages(
            &format!(
                "{BASE}subnet c {{\n  vpc = vpc.main\n  cidr = \"10.0.3.0/24\"\n  zone = \"us-east-1a\"\n}}\n\
             load_balancer nlb {{\n  type = \"network\"\n  internal = true\n  subnets = [subnet.c]\n  drop_invalid_header_fields = true\n}}\n"
            ),
            "E0637",
        );
        assert_eq!(own.len(), 1, "{own:?}");
    }

    /// CDK's load balancer group ported with Terraform's headers lets out
    /// to its targets by an `aws_security_group_rule` of `type = "egress"`:
    /// Terraform revokes AWS's allow-all rule whichever spelling adds the
    /// rule; berth kept it (a wider group than written).
    #[test]
    fn a_terraform_egress_security_group_rule_also_drops_the_default() {
        let groups = |group: &str| {
            let mut all = resources(&format!(
                "{group}
security_group svc {{ vpc = vpc.main }}
                 resource \"aws_security_group_rule\" \"to_svc\" {{\n  type = \"egress\"\n                   security_group_id = aws_security_group.lb.id\n  protocol = \"tcp\"\n  from_port = 80\n                   to_port = 80\n  source_security_group_id = security_group.svc.id\n}}\n"
            ));
            all.retain(|k, _| k == "security_group.lb");
            all
        };
        assert_eq!(
            groups("resource \"aws_security_group\" \"lb\" { vpc_id = aws_vpc.main.id }"),
            groups("security_group lb {\n  vpc = vpc.main\n  default_egress = false\n}")
        );
    }

    #[test]
    fn a_rule_with_lists_of_sources_is_one_rule_per_source() {
        let group = |rules: &str| {
            resources(&format!(
                "variable admin {{ default = [\"10.1.0.0/16\", \"10.2.0.0/16\"] }}\n\
                 security_group lb {{ vpc = vpc.main }}\n\
                 security_group web {{\n  vpc = vpc.main\n{rules}\n}}\n"
            ))
            .remove("security_group.web")
        };
        let terraform = group(
            r#"
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["10.0.0.0/8", "192.168.0.0/16"]
    ipv6_cidr_blocks = []
    description      = "https"
  }
  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }
  ingress {
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    security_groups = [security_group.lb.id]
    prefix_list_ids = ["pl-12345678"]
  }
  egress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin
  }"#,
        );
        let berth = group(
            r#"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    description = "https"
    cidr        = "10.0.0.0/8"
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    description = "https"
    cidr        = "192.168.0.0/16"
  }
  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    from      = security_group.web
  }
  ingress {
    from_port = 80
    to_port   = 80
    protocol  = "tcp"
    from      = security_group.lb.id
  }
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    prefix_list = "pl-12345678"
  }
  egress {
    from_port = 22
    to_port   = 22
    protocol  = "tcp"
    cidr      = "10.1.0.0/16"
  }
  egress {
    from_port = 22
    to_port   = 22
    protocol  = "tcp"
    cidr      = "10.2.0.0/16"
  }"#,
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn a_rule_that_must_stay_one_takes_one_source() {
        let one = resources(
            "security_group web { vpc = vpc.main }\n\
             security_group_rule a {\n  type = \"ingress\"\n  security_group = security_group.web\n  port = 80\n  self = true\n}\n",
        );
        assert_eq!(
            one["security_group_rule.a"].attrs.get("from"),
            one["security_group_rule.a"].attrs.get("security_group")
        );
        let mut file = crate::syntax::parse(
            crate::FileId(0),
            "security_group_rule a {\n  type = \"ingress\"\n  port = 80\n  cidr_blocks = [\"10.0.0.0/8\"]\n  prefix_list_ids = [\"pl-1\"]\n}\n",
        )
        .expect("parses");
        let mut diags = Vec::new();
        super::rewrite(&mut file, &mut diags);
        let messages: Vec<_> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(messages, [("E0211", "a `security_group_rule` has one source")]);
    }

    /// welligtoncos's `moved` between two route table associations: E0331
    /// at both ends ("not a resource address"), though what they stood
    /// for is a setting of the table, which does not move.
    #[test]
    fn a_move_between_attachments_is_nothing_to_move() {
        let stack = "vpc main { cidr = \"10.0.0.0/16\" }\n\
            subnet a {\n  vpc = vpc.main\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}\n\
            route_table public { vpc = vpc.main }\n\
            route_table_association public_a {\n  subnet_id = subnet.a.id\n  route_table_id = route_table.public.id\n}\n";
        let moved = format!(
            "{stack}moved {{\n  from = route_table_association.public\n  to   = route_table_association.public_a\n}}\n"
        );
        assert_eq!(
            crate::test_support::messages(&moved, "E0331"),
            Vec::<String>::new()
        );
        assert_eq!(
            crate::test_support::resources(&moved),
            crate::test_support::resources(stack)
        );
    }
}
