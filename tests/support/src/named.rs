//! The contract for names the configuration gives: every named kind is
//! created under exactly the name asked for and read back with it. (A
//! name given twice is refused by `validate`; moto, unlike AWS, hands back
//! the existing load balancer, so the kit does not try.)

use std::collections::BTreeMap;

use berth_provider::{Kind, Provider, Resource, Value};

use crate::stack::{
    apply_blog, create, desired, destroy, id, in_order, list, read, s, task_definition, with,
};

/// Creates one resource of every named kind with a given name beside the
/// blog stack, checks the names read back exactly as given, then deletes
/// everything.
pub async fn named_resources_keep_their_names(p: &dyn Provider, stack: &str) {
    let blog = apply_blog(p, stack).await;
    let get = |address: &str| &blog[address];
    // Short and unique per stack: ELB names take 32 characters.
    let short: String = stack
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    let named = |r: Resource, attr: &str, name: &str| with(r, attr, s(name));
    let mut created: Vec<Resource> = Vec::new();
    let mut asked: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut add = async |r: Resource, attr: &str| {
        let name = r
            .attrs
            .get(attr)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        asked.insert(r.address.to_string(), (attr.to_owned(), name));
        let made = create(p, stack, r).await;
        created.push(made.clone());
        made
    };
    let sg = add(
        named(
            desired(Kind::SecurityGroup, "n_sg", &[("vpc", id(get("vpc.main")))]),
            "name",
            &format!("{short} web tier"),
        ),
        "name",
    )
    .await;
    let subnets = list(vec![id(get("subnet.public_a")), id(get("subnet.public_b"))]);
    add(
        named(
            desired(
                Kind::LoadBalancer,
                "n_lb",
                &[
                    ("subnets", subnets.clone()),
                    ("security_groups", list(vec![id(&sg)])),
                ],
            ),
            "name",
            &format!("{short}-front"),
        ),
        "name",
    )
    .await;
    add(
        named(
            desired(
                Kind::TargetGroup,
                "n_tg",
                &[
                    ("vpc", id(get("vpc.main"))),
                    ("port", Value::Int(3000)),
                    ("target_type", s("ip")),
                ],
            ),
            "name",
            &format!("{short}-api"),
        ),
        "name",
    )
    .await;
    let cluster = add(
        named(
            desired(Kind::Cluster, "n_cluster", &[]),
            "name",
            &format!("{short}_main"),
        ),
        "name",
    )
    .await;
    let log = add(
        named(
            desired(Kind::LogGroup, "n_logs", &[]),
            "name",
            &format!("/app/{short}/api"),
        ),
        "name",
    )
    .await;
    let role = add(
        named(
            desired(Kind::Role, "n_role", &[("assume", s("ecs-tasks.amazonaws.com"))]),
            "name",
            &format!("{short}-api-exec"),
        ),
        "name",
    )
    .await;
    let td = add(
        named(
            task_definition("n_td", &role, &log, "dev"),
            "family",
            &format!("{short}-api"),
        ),
        "family",
    )
    .await;
    add(
        named(
            desired(
                Kind::Service,
                "n_svc",
                &[
                    ("cluster", id(&cluster)),
                    ("task_definition", id(&td)),
                    ("subnets", subnets.clone()),
                    ("load_balancer", Value::List(Vec::new())),
                    ("security_groups", list(vec![id(&sg)])),
                ],
            ),
            "name",
            "api",
        ),
        "name",
    )
    .await;

    // EventBridge rules are not in moto's tagging API: one named outside
    // the stack's prefix is found by its tags alone.
    add(
        named(
            desired(Kind::EventRule, "n_rule", &[("schedule", s("rate(1 day)"))]),
            "name",
            &format!("{short}-nightly"),
        ),
        "name",
    )
    .await;

    let live = read(p, stack).await;
    for (address, (attr, name)) in &asked {
        let got = live
            .get(address)
            .unwrap_or_else(|| panic!("{address} not read back"))
            .attrs
            .get(attr.as_str())
            .and_then(Value::as_str);
        assert_eq!(got, Some(name.as_str()), "{address}.{attr}");
    }

    destroy(p, stack, &created).await;
    destroy(p, stack, &in_order(&blog)).await;
}
