//! ECS Service Connect (issue 14 §2): a service publishing a named port of
//! its task definition in a Cloud Map namespace, with a client alias,
//! timeouts and the proxy's logs and access log. On both clouds the stack applies, the
//! service waits for its namespace, a changed client alias is an update in
//! place, and the stack destroys to nothing. The local cloud re-plans
//! clean; moto drops the configuration (docs/aws.md, "moto versus AWS"), so
//! there every plan shows the one `service_connect` change, which this
//! test pins rather than hides.

mod common;

use std::path::Path;

use common::{Cloud, Project, copy_of};

fn project() -> Project {
    copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/service_connect"))
}

const DESCRIBE: &str = "import boto3,json\n\
    ecs=boto3.client('ecs')\n\
    cs=ecs.list_clusters()['clusterArns']\n\
    arns=[s for c in cs for a in [ecs.list_services(cluster=c)['serviceArns']] if a for s in ecs.describe_services(cluster=c,services=a)['services'] if s['status']=='ACTIVE']\n\
    sd=boto3.client('servicediscovery')\n\
    print(json.dumps({'services':len(arns),'namespaces':len(sd.list_namespaces()['Namespaces'])}))\n";

/// The plan after an apply: clean on the local cloud; on moto, which keeps
/// no Service Connect configuration, the one `service_connect` change.
#[track_caller]
fn after_apply(cloud: &Cloud, dir: &Path, when: &str) {
    let plan = cloud.berth(dir, &["plan", "--detailed-exitcode"]);
    match cloud {
        Cloud::Local => assert_eq!(plan.code, Some(0), "not clean after {when}:\n{}", plan.all()),
        Cloud::Aws(_) => {
            cloud.plans_one_update(dir, "service.api");
            assert!(
                plan.stdout.contains("+ service_connect {"),
                "moto's gap is Service Connect only, after {when}:\n{}",
                plan.stdout
            );
        }
    }
}

#[test]
fn a_service_publishes_a_port_through_service_connect_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = project();
        cloud.berth(&p.dir, &["validate"]).expect_code(0);

        // The service refers to the namespace inside its block: it is
        // created after it and deleted before it.
        let graph = cloud.berth(&p.dir, &["graph"]);
        graph.expect_code(0);
        assert!(
            graph
                .stdout
                .contains("\"service.api\" -> \"dns_namespace.internal\""),
            "{}",
            graph.stdout
        );

        // A create plan shows the block as written; the other services
        // of the suite's snapshots (none has the block) show nothing new.
        let plan = cloud.berth(&p.dir, &["plan"]);
        plan.expect_code(0);
        assert!(plan.stdout.contains("service_connect"), "{}", plan.stdout);
        assert!(plan.stdout.contains("api.internal"), "{}", plan.stdout);

        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        after_apply(&cloud, &p.dir, "the apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(seen, serde_json::json!({"services": 1, "namespaces": 1}));
        }

        // Another client alias port: UpdateService, in place.
        p.edit("main.berth", "port     = 80", "port     = 8080");
        cloud.plans_one_update(&p.dir, "service.api");
        let plan = cloud.berth(&p.dir, &["plan"]);
        assert!(plan.stdout.contains("8080"), "{}", plan.stdout);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        after_apply(&cloud, &p.dir, "the new alias");

        // The proxy's access log as JSON with query strings: in place.
        p.edit(
            "main.berth",
            "access_log { format = \"TEXT\" }",
            "access_log {\n      format                   = \"JSON\"\n      include_query_parameters = \"ENABLED\"\n    }",
        );
        cloud.plans_one_update(&p.dir, "service.api");
        let plan = cloud.berth(&p.dir, &["plan"]);
        assert!(plan.stdout.contains("\"JSON\""), "{}", plan.stdout);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        after_apply(&cloud, &p.dir, "the access log");

        // Without the block the service leaves Service Connect in place.
        let text = p.read("main.berth");
        let start = text.find("  service_connect {").expect("the block");
        let end = text[start..].find("\n  }\n").expect("its end") + start + "\n  }\n".len();
        p.write("main.berth", &format!("{}{}", &text[..start], &text[end..]));
        match &cloud {
            Cloud::Local => {
                cloud.plans_one_update(&p.dir, "service.api");
                cloud.converges(&p.dir, "leaving Service Connect");
            }
            // moto kept nothing: there is nothing to leave.
            Cloud::Aws(_) => {
                let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
                assert_eq!(plan.code, Some(0), "{}", plan.all());
            }
        }

        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(seen, serde_json::json!({"services": 0, "namespaces": 0}));
        }
    }
}

/// The local cloud holds a service to ECS's rules where `validate` cannot
/// see: a namespace made outside the stack that does not exist.
#[test]
fn the_local_cloud_refuses_a_namespace_that_does_not_exist() {
    let p = project();
    p.edit(
        "main.berth",
        "namespace = dns_namespace.internal",
        "namespace = \"ns-0123456789abcdef\"",
    );
    let run = p.berth(&["apply", "--auto-approve"]);
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.stderr.contains("NamespaceNotFoundException"), "{}", run.all());
    p.berth(&["destroy", "--auto-approve"]).expect_code(0);
}

/// `berth import` of a service made outside berth takes its Service
/// Connect configuration from the reader: the adopted service plans clean.
/// On the local cloud, where the configuration is read back (moto keeps
/// none, see above).
#[test]
fn an_adopted_service_keeps_its_service_connect_configuration() {
    let p = project();
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    // The service loses berth's tags, as one made by another tool has none.
    let mut id = String::new();
    p.edit_cloud_resource("service.api", |r| {
        let cluster = r["attrs"]["cluster"].as_str().unwrap_or_default();
        let cluster = cluster.rsplit('/').next().unwrap_or_default().to_owned();
        id = format!("{cluster}/{}", r["attrs"]["name"].as_str().unwrap_or_default());
        let tags = r["tags"].as_object_mut().expect("tags");
        tags.remove("berth:stack");
        tags.remove("berth:address");
    });
    let plan = p.berth(&["plan", "--detailed-exitcode"]);
    assert!(plan.stdout.contains("1 to add"), "{}", plan.all());

    p.berth(&["import", "service.api", &id]).expect_code(0);
    let plan = p.berth(&["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, Some(0), "not clean after the import:\n{}", plan.all());

    // What differs from the adopted configuration shows in the plan.
    p.edit(
        "main.berth",
        "dns_name = \"api.internal\"",
        "dns_name = \"api.local\"",
    );
    let plan = p.berth(&["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, Some(2), "{}", plan.all());
    assert!(plan.stdout.contains("api.local"), "{}", plan.stdout);
    p.berth(&["destroy", "--auto-approve"]).expect_code(0);
}

/// Service Connect in an HTTP namespace (Terraform's
/// `aws_service_discovery_http_namespace`, the namespace ECS's console
/// makes): the stack's own, with no VPC, also the cluster's default
/// (Terraform's `service_connect_defaults`). It applies and re-plans as the
/// private DNS namespace does (moto: the one `service_connect` change);
/// on moto the namespace is HTTP and tagged and the cluster names its ARN,
/// seen from outside; the default is removed in place; destroy leaves
/// nothing.
#[test]
fn an_http_namespace_of_the_stack_serves_service_connect_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = project();
        p.edit(
            "main.berth",
            "dns_namespace internal {\n  vpc  = vpc.main\n  name = \"internal.local\"\n}",
            "dns_namespace internal {\n  type = \"HTTP\"\n  name = \"shop\"\n}",
        );
        p.edit(
            "main.berth",
            "cluster main {}",
            "cluster main { service_connect_namespace = dns_namespace.internal }",
        );
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        after_apply(&cloud, &p.dir, "the apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen = moto.python(
                "import boto3\nsd=boto3.client('servicediscovery')\n\
                 for n in sd.list_namespaces()['Namespaces']:\n\
                 \x20   tags={t['Key']:t['Value'] for t in sd.list_tags_for_resource(ResourceARN=n['Arn'])['Tags']}\n\
                 \x20   print(n['Name'], n['Type'], tags.get('berth:address'), 'berth:vpc' in tags)\n",
            );
            assert_eq!(seen.trim(), "shop HTTP dns_namespace.internal False");
            let default = moto.python(
                "import boto3\necs=boto3.client('ecs')\nsd=boto3.client('servicediscovery')\n\
                 c=ecs.describe_clusters(clusters=ecs.list_clusters()['clusterArns'])['clusters'][0]\n\
                 print(c['serviceConnectDefaults']['namespace']==sd.list_namespaces()['Namespaces'][0]['Arn'])\n",
            );
            assert_eq!(
                default.trim(),
                "True",
                "the cluster's default is the namespace's ARN"
            );
        }
        p.edit(
            "main.berth",
            "cluster main { service_connect_namespace = dns_namespace.internal }",
            "cluster main {}",
        );
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        after_apply(&cloud, &p.dir, "the default removed");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(seen, serde_json::json!({"services": 0, "namespaces": 0}));
        }
    }
}
