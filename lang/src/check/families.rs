//! A service naming the stack's own task definition by its family through
//! a value, not a reference: `task_definition = var.family` where the task
//! definition's `family` reads the same variable (raulbeja's stack, and
//! GitHub Actions pipelines that deploy by family). Read as a name made
//! elsewhere, the service stayed on the revision it ran while the stack
//! registered and deregistered others; it is the task definition itself,
//! as `aws_ecs_task_definition.x.family` is (`desugar/task_family.rs`).

use std::collections::BTreeMap;

use berth_provider::{Address, Kind, Value};

use crate::stack::{DesiredValue, RefTarget, Stack};

/// Each service's `task_definition` that is the known family of one of
/// the stack's task definitions, as a reference to that task definition.
pub fn as_references(stack: &mut Stack) {
    let families: BTreeMap<String, Address> = stack
        .resources
        .iter()
        .filter(|r| r.kind() == Kind::TaskDefinition)
        .filter_map(|r| Some((r.body.known("family")?.as_str()?.to_owned(), r.address.clone())))
        .collect();
    if families.is_empty() {
        return;
    }
    for r in stack.resources.iter_mut().filter(|r| r.kind() == Kind::Service) {
        let Some(value) = r.body.attrs.get_mut("task_definition") else {
            continue;
        };
        let DesiredValue::Known(Value::String(named)) = &value.node else {
            continue;
        };
        let Some(address) = families.get(named) else {
            continue;
        };
        value.node = DesiredValue::Ref(RefTarget {
            address: address.clone(),
            attr: "arn".to_owned(),
        });
        r.depends_on.insert(address.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// raulbeja/https-fargate-cluster: the family and the service's
    /// task definition read one variable.
    #[test]
    fn a_service_naming_the_stacks_family_through_a_variable_is_that_task_definition() {
        let stack = |task_definition: &str| {
            resources(&format!(
                "variable \"family\" {{ default = \"web\" }}\n\
                 cluster main {{}}\n\
                 resource \"aws_ecs_task_definition\" \"web\" {{\n  family = var.family\n  cpu = 256\n  memory = 512\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  container_definitions = jsonencode([{{ name = \"web\", image = \"nginx\" }}])\n}}\n\
                 service web {{\n  cluster = cluster.main\n  task_definition = {task_definition}\n  subnets = [\"subnet-0123456789abcdef0\"]\n}}\n"
            ))
            .remove("service.web")
            .expect("the service")
        };
        assert_eq!(stack("var.family"), stack("aws_ecs_task_definition.web.arn"));
        // Another family, or a revision pinned, stays a name.
        assert_ne!(stack("\"other\""), stack("aws_ecs_task_definition.web.arn"));
        assert_ne!(stack("\"web:1\""), stack("aws_ecs_task_definition.web.arn"));
    }
}
