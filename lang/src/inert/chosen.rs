//! Terraform's attachments naming their parent through a local, as modules
//! that "create the role or take yours" write it (oozou's `role =
//! local.role_name`, the local `var.is_create_iam_role ?
//! aws_iam_role.this[0].name : var.exists_role_name`): the fold of an
//! attachment reads its parent by the text of the reference
//! (`desugar/attach.rs`), so the local is written in its place, the branch
//! the variables choose when it is a conditional. What it names outside
//! the stack (the other branch) stays a local, for the fold to report.

use std::collections::BTreeMap;

use crate::analyze::Options;
use crate::check::declare::{self, LOCALS};
use crate::check::locals::LOCAL;
use crate::source::{FileId, Sources};
use crate::syntax::ast::{Expr, ExprKind, File, Item, Step};

/// Each attachment's setting of `files` that is a bare `local.NAME`, written
/// as the local's reference to a resource (of the branch the variables
/// choose).
pub(super) fn write_in(files: &mut [(FileId, File)], sources: &Sources, options: &Options) {
    let locals: BTreeMap<String, Expr> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == LOCALS)
        .flat_map(|b| &b.body)
        .filter_map(|item| match item {
            Item::Attribute(a) => Some((a.name.name.clone(), a.value.clone())),
            Item::Block(_) => None,
        })
        .collect();
    // The locals attachments read, by name.
    let read: Vec<(&String, &Expr)> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| is_attachment(&b.kind.name))
        .flat_map(|b| &b.body)
        .filter_map(|item| match item {
            Item::Attribute(a) => local_read(&a.value),
            Item::Block(_) => None,
        })
        .collect::<std::collections::BTreeSet<&str>>()
        .into_iter()
        .filter_map(|n| locals.get_key_value(n))
        .map(|(n, e)| (n, e.unwrapped()))
        .collect();
    if read.is_empty() {
        return;
    }
    let conditions: Vec<&Expr> = read
        .iter()
        .filter_map(|(_, e)| match &e.kind {
            ExprKind::Conditional(cond, ..) => Some(&**cond),
            _ => None,
        })
        .collect();
    let known = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| matches!(b.kind.name.as_str(), "variable" | "stack" | LOCALS));
    let module = declare::collect(known, &mut Vec::new());
    let mut chosen = crate::eval::from_variables(&module, options, sources, &conditions).into_iter();
    // Each local read, as the resource reference it comes to.
    let mut written: BTreeMap<String, Expr> = BTreeMap::new();
    for (name, value) in read {
        let branch = match &value.kind {
            ExprKind::Conditional(_, yes, no) => match chosen.next().flatten() {
                Some(berth_provider::Value::Bool(true)) => yes.unwrapped(),
                Some(berth_provider::Value::Bool(false)) => no.unwrapped(),
                _ => continue,
            },
            _ => value,
        };
        if names_resource(branch) {
            written.insert(name.clone(), branch.clone());
        }
    }
    for block in files
        .iter_mut()
        .flat_map(|(_, f)| &mut f.blocks)
        .filter(|b| is_attachment(&b.kind.name))
    {
        for item in &mut block.body {
            if let Item::Attribute(a) = item
                && let Some(value) = local_read(&a.value).and_then(|n| written.get(n))
            {
                a.value = value.clone();
            }
        }
    }
}

/// Whether a block of `kind` (Terraform's type, with or without `aws_`) is
/// an attachment folded into its parent.
fn is_attachment(kind: &str) -> bool {
    crate::desugar::is_attachment(crate::check::terraform_names::without_aws(kind))
}

/// The name of the local `e` is, read whole.
fn local_read(e: &Expr) -> Option<&str> {
    match &e.unwrapped().kind {
        ExprKind::Traversal(t) if t.root.name == LOCAL => match t.steps.as_slice() {
            [Step::Attr(name)] => Some(&name.name),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` reads a resource (not a variable, a local, a lookup or
/// another name).
fn names_resource(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Traversal(t) => {
            let root = t.root.name.as_str();
            !matches!(
                root,
                "var" | "each" | "count" | "path" | "terraform" | LOCAL | crate::syntax::DATA
            ) && t.named().is_some()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{messages, resources};

    /// oozou's "create the role or take yours": the attachment names the
    /// role through a conditional local (E0211, "not one of the stack's
    /// `role` blocks", before).
    #[test]
    fn an_attachment_names_its_parent_through_the_local_the_variables_choose() {
        let text = |create: bool| {
            format!(
                r#"
variable "is_create_iam_role" {{ default = {create} }}
variable "exists_role_name" {{ default = "theirs" }}
resource "aws_iam_role" "exec" {{
  count              = var.is_create_iam_role ? 1 : 0
  name               = "exec"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ecs-tasks.amazonaws.com" }} }}] }})
}}
locals {{
  role_name = var.is_create_iam_role ? aws_iam_role.exec[0].name : var.exists_role_name
}}
resource "aws_iam_role_policy_attachment" "exec" {{
  role       = local.role_name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}}
"#
            )
        };
        let roles = resources(&text(true));
        let role = &roles[r#"role.exec["0"]"#];
        assert!(role.attrs.contains_key("policies"), "{role:?}");
        // Another's role stays outside the stack: the fold says so.
        assert_eq!(messages(&text(false), "E0211").len(), 1);
    }
}
