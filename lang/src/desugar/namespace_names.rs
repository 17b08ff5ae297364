//! A Service Connect namespace written by its name (CloudFormation's
//! `ServiceConnectConfiguration.Namespace` and `ServiceConnectDefaults
//! .Namespace` take a name, ARN or id; templates write the name), where
//! the stack makes that namespace: a reference to the `dns_namespace`,
//! which reads back as ECS answers it (its ARN), where the name would
//! plan a change on every run (E0621).

use std::collections::BTreeMap;

use super::literal;
use crate::FileId;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item, Label, Step, Traversal};

const NAMESPACE: &str = "dns_namespace";

/// Writes each Service Connect namespace of `files` named by the name of
/// one of the stack's namespaces (written, or read from it) as a
/// reference to it.
pub(super) fn fold(files: &mut [(FileId, File)]) {
    let namespaces: Vec<&Block> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == NAMESPACE)
        .collect();
    if namespaces.is_empty() {
        return;
    }
    let mut named: BTreeMap<String, String> = BTreeMap::new();
    for b in namespaces {
        let Some(Label::Ident(label)) = &b.label else {
            continue;
        };
        // Its name read by reference (Terraform's
        // `aws_service_discovery_private_dns_namespace.x.name`).
        named.insert(format!("{NAMESPACE}.{}.name", label.name), label.name.clone());
        let name = b.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == "name" => literal(&a.value),
            _ => None,
        });
        if let Some(name) = name {
            named.insert(name.trim_end_matches('.').to_owned(), label.name.clone());
        }
    }
    for block in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        match block.kind.name.as_str() {
            "cluster" => by_name(block, "service_connect_namespace", &named),
            "service" => {
                for item in &mut block.body {
                    if let Item::Block(b) = item
                        && b.kind.name == "service_connect"
                    {
                        by_name(b, "namespace", &named);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `block`'s `attr`, when it is the name of a namespace of `named`, as a
/// reference to that namespace.
fn by_name(block: &mut Block, attr: &str, named: &BTreeMap<String, String>) {
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && a.name.name == attr
            && let Some(label) = name_of(&a.value).and_then(|n| named.get(n.trim_end_matches('.')))
        {
            let span = a.value.span;
            a.value = Expr {
                kind: ExprKind::Traversal(Traversal::path(&[NAMESPACE, label], span)),
                span,
            };
        }
    }
}

/// The name `e` writes: its text, or `dns_namespace.LABEL.name` for a
/// read of a namespace's name.
fn name_of(e: &Expr) -> Option<String> {
    if let Some(text) = literal(e) {
        return Some(text.to_owned());
    }
    match &e.unwrapped().kind {
        ExprKind::Traversal(t) if t.root.name == NAMESPACE => match t.steps.as_slice() {
            [Step::Attr(label), Step::Attr(name)] if name.name == "name" => {
                Some(format!("{NAMESPACE}.{}.name", label.name))
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    const STACK: &str = r#"
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}
dns_namespace internal {
  vpc  = vpc.main
  name = "internal.local"
}
cluster main { service_connect_namespace = NAMESPACE }
task_definition api {
  cpu    = 256
  memory = 512
  container app {
    image = "nginx"
    port_mapping {
      container_port = 8080
      name           = "api"
    }
  }
}
service api {
  cluster         = cluster.main
  task_definition = task_definition.api
  subnets         = [subnet.a]
  service_connect {
    namespace = NAMESPACE
    service { port_name = "api" }
  }
}
"#;

    #[test]
    fn a_namespace_named_as_one_of_the_stacks_is_that_namespace() {
        let with = |namespace: &str| crate::test_support::resources(&STACK.replace("NAMESPACE", namespace));
        let by_reference = with("dns_namespace.internal");
        // Written, or read from the namespace (E0621 before: Terraform's
        // `aws_service_discovery_private_dns_namespace.x.name`).
        for name in [r#""internal.local""#, "dns_namespace.internal.name"] {
            let by_name = with(name);
            for address in ["cluster.main", "service.api"] {
                assert_eq!(
                    by_name.get(address),
                    by_reference.get(address),
                    "{name}: {address}"
                );
                assert!(by_name.contains_key(address));
            }
        }
    }
}
