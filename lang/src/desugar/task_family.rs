//! A service naming the stack's task definition by family, as Terraform
//! stacks write it: `task_definition = aws_ecs_task_definition.app.family`
//! (ECS runs the family's latest revision) or
//! `"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"`.
//! Either is the revision the stack registers, so it is read as the task
//! definition itself: the service moves to each new revision, and reads
//! back as its ARN, not as a name that would differ on every plan.

use std::collections::BTreeMap;

use crate::FileId;
use crate::check::declare::LOCALS;
use crate::check::locals::LOCAL;
use crate::source::Span;
use crate::syntax::DATA;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Ident, Item, Label, Step, StrPart, Traversal};

const TASK_DEFINITION: &str = "task_definition";

/// Rewrites the service `block`'s `task_definition` when it names a task
/// definition of the stack by family (and revision).
pub(super) fn service(block: &mut Block) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == TASK_DEFINITION
            && let Some(named) = by_family(&a.value)
        {
            a.value = named;
        }
    }
}

/// The task definition `e` names by family, as a reference to its ARN.
fn by_family(e: &Expr) -> Option<Expr> {
    // Terraform's `id` of a task definition is its family too.
    let family = |e: &Expr| {
        super::block_read(e, TASK_DEFINITION, "family")
            .or_else(|| super::block_read(e, TASK_DEFINITION, "id"))
    };
    let named = match &e.kind {
        ExprKind::Paren(inner) => return by_family(inner),
        ExprKind::Traversal(_) => family(e)?,
        ExprKind::String(parts) => match parts.as_slice() {
            // 0.11's interpolation-only `"${aws_ecs_task_definition.app.family}"`.
            [StrPart::Interp(named)] => family(named)?,
            [
                StrPart::Interp(named),
                StrPart::Lit(colon),
                StrPart::Interp(revision),
            ] if colon == ":" => {
                let named = family(named)?;
                let revision = super::block_read(revision, TASK_DEFINITION, "revision")?;
                super::same_block(&named, &revision).then_some(named)?
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(arn_of(named, e.span))
}

/// `task_definition.NAME.arn`, written at `span`.
fn arn_of(mut td: Traversal, span: Span) -> Expr {
    td.steps.push(Step::Attr(Ident {
        name: "arn".into(),
        span,
    }));
    Expr {
        kind: ExprKind::Traversal(td),
        span,
    }
}

/// Terraform's "latest active revision" idiom: a lookup of the stack's own
/// family (`data "aws_ecs_task_definition"` with `task_definition =
/// aws_ecs_task_definition.app.family`), and a service running
/// `"${family}:${max(resource.revision, data.revision)}"`, so that a
/// revision registered outside Terraform is not rolled back. berth
/// registers the stack's revisions and moves the service to each (`berth
/// deploy` changes its image), so the lookup is the task definition
/// itself: it is taken out, a service's `task_definition` reading it names
/// the task definition, and any other read of it reads the task
/// definition's attribute.
pub(super) fn latest_revision(files: &mut [(FileId, File)]) {
    let mut own: BTreeMap<String, Traversal> = BTreeMap::new();
    for (_, file) in files.iter_mut() {
        file.blocks.retain(|block| match own_family(block) {
            Some((name, td)) => {
                own.insert(name, td);
                false
            }
            None => true,
        });
    }
    if own.is_empty() {
        return;
    }
    // Locals reading a folded lookup (`task_def_rev = max(...)`), read by
    // the service's `"${family}:${local.task_def_rev}"`, or through other
    // locals (watsonjm's `upper(var.revision) == "LATEST" ?
    // local.latest_revision : local.specific_revision`): berth registers
    // and runs the stack's revision whichever the stack would pick.
    let written: Vec<(&str, &Expr)> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == LOCALS)
        .flat_map(|b| &b.body)
        .filter_map(|item| match item {
            Item::Attribute(a) => Some((a.name.name.as_str(), &a.value)),
            Item::Block(_) => None,
        })
        .collect();
    let mut locals: BTreeMap<String, Traversal> = BTreeMap::new();
    loop {
        let found: Vec<(String, Traversal)> = written
            .iter()
            .filter(|(name, _)| !locals.contains_key(*name))
            .filter_map(|(name, value)| Some(((*name).to_owned(), lookup_read(value, &own, &locals)?)))
            .collect();
        if found.is_empty() {
            break;
        }
        locals.extend(found);
    }
    for block in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        if block.kind.name == "service" {
            for item in &mut block.body {
                if let Item::Attribute(a) = item
                    && a.name.name == TASK_DEFINITION
                    && let Some(td) = lookup_read(&a.value, &own, &locals)
                {
                    a.value = arn_of(td, a.value.span);
                }
            }
        }
        super::each_expr(block, &mut |e| read_own(e, &own));
    }
}

/// A task definition lookup whose family is a task definition's of the
/// stack: its name, and that task definition.
fn own_family(block: &Block) -> Option<(String, Traversal)> {
    let is_lookup =
        block.kind.name == DATA && block.subkind.as_ref().is_some_and(|k| k.name == TASK_DEFINITION);
    let Some(Label::Ident(name)) = block.label.as_ref().filter(|_| is_lookup) else {
        return None;
    };
    let family = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "family" => Some(&a.value),
        _ => None,
    })?;
    let td = super::block_read(family.unwrapped(), TASK_DEFINITION, "family")?;
    Some((name.name.clone(), td))
}

/// The stack's task definition of the lookup `e` reads anywhere in it,
/// itself or through one of `locals`.
fn lookup_read(
    e: &Expr,
    own: &BTreeMap<String, Traversal>,
    locals: &BTreeMap<String, Traversal>,
) -> Option<Traversal> {
    if let ExprKind::Traversal(t) = &e.kind {
        if let Some(named) = t.named().filter(|n| n.data && n.kind == TASK_DEFINITION) {
            return own.get(named.name).cloned();
        }
        if t.root.name == LOCAL
            && let Some(Step::Attr(name)) = t.steps.first()
        {
            return locals.get(&name.name).cloned();
        }
    }
    let mut found = None;
    let mut e = e.clone();
    super::each_child(&mut e, &mut |child| {
        if found.is_none() {
            found = lookup_read(child, own, locals);
        }
    });
    found
}

/// `e` with each read of a folded lookup read from its task definition.
fn read_own(e: &mut Expr, own: &BTreeMap<String, Traversal>) {
    if let ExprKind::Traversal(t) = &mut e.kind
        && let Some(named) = t.named().filter(|n| n.data && n.kind == TASK_DEFINITION)
        && let Some(td) = own.get(named.name)
    {
        let rest = named.rest.to_vec();
        *t = td.clone();
        t.steps.extend(rest);
        return;
    }
    super::each_child(e, &mut |child| read_own(child, own));
}

#[cfg(test)]
mod tests {
    use crate::stack::DesiredValue;
    use crate::test_support::resources;

    /// Terraform 0.11's `"${aws_ecs_task_definition.app.family}"` names
    /// the stack's task definition as the bare read does. Regression: it
    /// was the family's text, so a new revision never reached the service
    /// (it kept running the deregistered one, and the plan said nothing).
    #[test]
    fn an_interpolated_family_is_the_task_definition() {
        let service = |task_definition: &str| {
            resources(&format!(
                "resource \"aws_ecs_task_definition\" \"app\" {{\n  family = \"app\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  cpu = 256\n  memory = 512\n  container_definitions = jsonencode([{{ name = \"app\", image = \"nginx\" }}])\n}}\n\
                 resource \"aws_ecs_cluster\" \"main\" {{ name = \"main\" }}\n\
                 resource \"aws_vpc\" \"v\" {{ cidr_block = \"10.0.0.0/16\" }}\n\
                 resource \"aws_subnet\" \"a\" {{\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.1.0/24\"\n  availability_zone = \"us-east-1a\"\n}}\n\
                 resource \"aws_ecs_service\" \"app\" {{\n  name = \"app\"\n  cluster = aws_ecs_cluster.main.arn\n  task_definition = {task_definition}\n  launch_type = \"FARGATE\"\n  network_configuration {{ subnets = [aws_subnet.a.id] }}\n}}\n"
            ))
            .remove("service.app")
            .expect("the service")
        };
        let interpolated = service("\"${aws_ecs_task_definition.app.family}\"");
        assert!(
            matches!(interpolated.attrs["task_definition"], DesiredValue::Ref(_)),
            "{interpolated:?}"
        );
        assert_eq!(interpolated, service("aws_ecs_task_definition.app.family"));
    }

    /// The latest-revision idiom with its `max(...)` in a local (zatarain/
    /// lorentz): E0315 before, where written inline it was the task
    /// definition.
    #[test]
    fn the_latest_revision_through_a_local_is_the_task_definition() {
        let stack = |local: &str, task_definition: &str| {
            resources(&format!(
                "resource \"aws_ecs_task_definition\" \"app\" {{\n  family = \"app\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  cpu = 256\n  memory = 512\n  container_definitions = jsonencode([{{ name = \"app\", image = \"nginx\" }}])\n}}\n\
                 data \"aws_ecs_task_definition\" \"app\" {{ task_definition = aws_ecs_task_definition.app.family }}\n\
                 locals {{ {local} }}\n\
                 resource \"aws_ecs_cluster\" \"main\" {{ name = \"main\" }}\n\
                 resource \"aws_vpc\" \"v\" {{ cidr_block = \"10.0.0.0/16\" }}\n\
                 resource \"aws_subnet\" \"a\" {{\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.1.0/24\"\n  availability_zone = \"us-east-1a\"\n}}\n\
                 resource \"aws_ecs_service\" \"app\" {{\n  name = \"app\"\n  cluster = aws_ecs_cluster.main.arn\n  task_definition = {task_definition}\n  launch_type = \"FARGATE\"\n  network_configuration {{ subnets = [aws_subnet.a.id] }}\n}}\n"
            ))
            .remove("service.app")
            .expect("the service")
        };
        let max = "max(aws_ecs_task_definition.app.revision, data.aws_ecs_task_definition.app.revision)";
        assert_eq!(
            stack(
                &format!("rev = {max}"),
                "\"${aws_ecs_task_definition.app.family}:${local.rev}\""
            ),
            stack("unused = 1", "aws_ecs_task_definition.app.arn")
        );
        // watsonjm's: the idiom in a local a conditional picks (E0315
        // before), and through a second local.
        let picked = format!(
            "latest = \"${{aws_ecs_task_definition.app.family}}:${{{max}}}\"\n  \
             specific = \"${{aws_ecs_task_definition.app.family}}:3\"\n  \
             picked = upper(\"Latest\") == \"LATEST\" ? local.latest : local.specific\n  \
             again = local.picked"
        );
        for read in ["local.picked", "local.again"] {
            assert_eq!(
                stack(&picked, read),
                stack("unused = 1", "aws_ecs_task_definition.app.arn"),
                "{read}"
            );
        }
    }
}
