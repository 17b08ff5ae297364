//! A Service Connect namespace written by its name (CloudFormation's
//! `ServiceConnectConfiguration.Namespace` and `ServiceConnectDefaults
//! .Namespace` take a name, ARN or id; templates write the name), where
//! the stack makes that namespace: a reference to the `dns_namespace`,
//! which reads back as ECS answers it (its ARN), where the name would
//! plan a change on every run (E0621).

use std::collections::BTreeMap;

use super::literal;
use crate::FileId;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Item, Label, Traversal};

const NAMESPACE: &str = "dns_namespace";

/// Writes each Service Connect namespace of `files` named by the name of
/// one of the stack's namespaces as a reference to it.
pub(super) fn fold(files: &mut [(FileId, File)]) {
    let named: BTreeMap<String, String> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == NAMESPACE)
        .filter_map(|b| {
            let Some(Label::Ident(label)) = &b.label else {
                return None;
            };
            let name = b.body.iter().find_map(|item| match item {
                Item::Attribute(a) if a.name.name == "name" => literal(&a.value),
                _ => None,
            })?;
            Some((name.trim_end_matches('.').to_owned(), label.name.clone()))
        })
        .collect();
    if named.is_empty() {
        return;
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
            && let Some(label) = literal(&a.value).and_then(|n| named.get(n.trim_end_matches('.')))
        {
            let span = a.value.span;
            a.value = Expr {
                kind: ExprKind::Traversal(Traversal::path(&[NAMESPACE, label], span)),
                span,
            };
        }
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
        let (by_name, by_reference) = (with(r#""internal.local""#), with("dns_namespace.internal"));
        for address in ["cluster.main", "service.api"] {
            assert_eq!(by_name.get(address), by_reference.get(address), "{address}");
            assert!(by_name.contains_key(address));
        }
    }
}
