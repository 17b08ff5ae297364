//! `berth import task-definition`: a DescribeTaskDefinition dump becomes a
//! fmt-clean block that validates and registers, on both clouds, to the
//! same container definition; what cannot run on Fargate, bad JSON and
//! fields berth cannot express are refused with the reason.

mod common;

use std::path::{Path, PathBuf};

use common::{Cloud, Run, berth_in};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import")
        .join(name)
}

/// `dump` imported into a stack directory beside a `stack` block: what
/// `berth import` printed, and the directory, checked fmt-clean and valid
/// (the block drops into a stack as printed).
fn imported(dump: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = fixture(dump);
    let json = json.to_str().expect("utf-8 path");
    let run = berth_in(dir.path(), &["import", "task-definition", json], &[], None);
    assert_eq!(run.code, Some(0), "{dump}: {}{}", run.stdout, run.stderr);
    std::fs::write(dir.path().join("imported.berth"), &run.stdout).expect("write");
    std::fs::write(
        dir.path().join("stack.berth"),
        format!("stack \"imported\" {{ region = \"{}\" }}\n", region_of(dump)),
    )
    .expect("write");
    let fmt = berth_in(dir.path(), &["fmt", "--check"], &[], None);
    assert_eq!(fmt.code, Some(0), "{dump} is fmt-clean:\n{}", run.stdout);
    let valid = berth_in(dir.path(), &["validate"], &[], None);
    assert_eq!(valid.code, Some(0), "{dump}:\n{}\n{}", run.stdout, valid.stderr);
    (run.stdout, dir)
}

/// The region `dump` lives in (its ARN's, else its awslogs region), which
/// the stack it is imported into must be in: awslogs writes to the stack's.
fn region_of(dump: &str) -> String {
    let text = std::fs::read_to_string(fixture(dump)).expect("fixture");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let td = json.get("taskDefinition").unwrap_or(&json);
    let from_arn = td["taskDefinitionArn"].as_str().and_then(|a| a.split(':').nth(3));
    let from_logs = td["containerDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|c| c.pointer("/logConfiguration/options/awslogs-region")?.as_str());
    from_arn.or(from_logs).unwrap_or("us-east-1").to_owned()
}

/// Where `dump` reads its secrets from (`secrets`, log `secretOptions`),
/// which plans never show.
fn secrets_of(dump: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(dump)).expect("fixture");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let td = json.get("taskDefinition").unwrap_or(&json);
    let mut found = Vec::new();
    for c in td["containerDefinitions"].as_array().into_iter().flatten() {
        for list in [&c["secrets"], &c["logConfiguration"]["secretOptions"]] {
            for s in list.as_array().into_iter().flatten() {
                found.extend(s["valueFrom"].as_str().map(str::to_owned));
            }
        }
    }
    found
}

/// A copy of the stack in `dir` applied on `cloud` and re-planned clean.
fn applied(cloud: &Cloud, dir: &Path) -> tempfile::TempDir {
    let stack = tempfile::tempdir().expect("temp dir");
    for f in ["imported.berth", "stack.berth"] {
        std::fs::copy(dir.join(f), stack.path().join(f)).expect("copy");
    }
    cloud
        .berth(stack.path(), &["apply", "--auto-approve"])
        .expect_code(0);
    let plan = cloud.berth(stack.path(), &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, Some(0), "re-plans clean:\n{}", plan.stdout);
    stack
}

#[test]
fn a_described_task_definition_imports_and_registers_the_same_container() {
    let (printed, dir) = imported("describe-web.json");
    assert!(!printed.contains("stack "), "no stack block: {printed}");
    // The family is kept: berth registers new revisions of it, and what
    // names the family (`aws ecs run-task`, CI) finds them.
    assert!(
        printed
            .lines()
            .any(|l| l.split_whitespace().eq(["family", "=", "\"web-app\""])),
        "{printed}"
    );
    // AWS's "not set" values (`cpu: 0`, `essential: true`) are left out.
    assert!(
        printed.contains("image   = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2\""),
        "{printed}"
    );
    assert!(
        !printed.contains("cpu = 0") && !printed.contains("essential"),
        "{printed}"
    );
    for cloud in Cloud::both() {
        let _stack = applied(&cloud, dir.path());
        if let Cloud::Aws(moto) = &cloud {
            let got = moto.python(
                "import boto3, json\n\
                 ecs = boto3.client('ecs')\n\
                 fam = 'web-app'\n\
                 td = ecs.describe_task_definition(taskDefinition=fam)['taskDefinition']\n\
                 c = td['containerDefinitions'][0]\n\
                 print(json.dumps({'image': c['image'], 'command': c.get('command'),\n\
                   'env': sorted((e['name'], e['value']) for e in c.get('environment', [])),\n\
                   'secrets': sorted((s['name'], s['valueFrom']) for s in c.get('secrets', [])),\n\
                   'ports': [p['containerPort'] for p in c.get('portMappings', [])],\n\
                   'health': c.get('healthCheck', {}).get('command'),\n\
                   'cpu': td['cpu'], 'memory': td['memory'], 'arch': td.get('runtimePlatform', {}).get('cpuArchitecture')}))\n",
            );
            let got: serde_json::Value = serde_json::from_str(got.trim()).expect("JSON");
            assert_eq!(
                got["image"],
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2"
            );
            assert_eq!(got["command"], serde_json::json!(["node", "server.js"]));
            assert_eq!(
                got["env"],
                serde_json::json!([["GREETING", "costs $5"], ["NODE_ENV", "production"]])
            );
            assert_eq!(
                got["secrets"],
                serde_json::json!([[
                    "DB_PASSWORD",
                    "arn:aws:ssm:us-east-1:123456789012:parameter/web/db"
                ]])
            );
            assert_eq!(got["ports"], serde_json::json!([8080]));
            assert_eq!(
                got["health"],
                serde_json::json!(["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"])
            );
            assert_eq!(
                (got["cpu"].as_str(), got["memory"].as_str()),
                (Some("256"), Some("512"))
            );
            assert_eq!(got["arch"], "ARM64");
        }
    }
}

#[test]
fn what_cannot_be_imported_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("utf-8").to_owned()
    };
    let bridge = write(
        "bridge.json",
        r#"{"family":"old","networkMode":"bridge","containerDefinitions":[{"name":"a","image":"i"}]}"#,
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &bridge], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("cannot run on Fargate: network mode `bridge`"),
        "{}",
        run.stderr
    );

    let broken = write("broken.json", "{\n  \"family\": \"x\",\n  \"cpu\": \n}\n");
    let run = berth_in(dir.path(), &["import", "task-definition", &broken], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr.contains("broken.json:4:1: not JSON: "),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("template"), "{}", run.stderr);

    // ecspresso's files: Go templates outside quotes, and Jsonnet.
    let templated = write(
        "ecs-task-def.json",
        "{\n  \"family\": \"app\",\n  \"cpu\": {{ must_env `CPU` }}\n}\n",
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &templated], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr.contains("not JSON") && run.stderr.contains("ecspresso render task-definition"),
        "{}",
        run.stderr
    );
    // ecspresso's unset choices, `""`, are no setting.
    let unset = write(
        "unset.json",
        r#"{"family":"app","cpu":"256","memory":"512","ipcMode":"","pidMode":"","containerDefinitions":[{"name":"a","image":"i","portMappings":[{"containerPort":80,"appProtocol":""}],"dockerLabels":{"protocol":""}}]}"#,
    );
    let run = berth_in(
        dir.path(),
        &[
            "import",
            "task-definition",
            &unset,
            "--execution-role",
            "arn:aws:iam::123456789012:role/x",
        ],
        &[],
        None,
    );
    run.expect_code(0);
    assert!(!run.stdout.contains("app_protocol"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\"protocol\" = \"\""),
        "a label keeps its value:\n{}",
        run.stdout
    );
    let jsonnet = write("ecs-task-def.jsonnet", "{\n  family: 'app',\n}\n");
    let run = berth_in(dir.path(), &["import", "task-definition", &jsonnet], &[], None);
    run.expect_code(1);
    assert!(run.stderr.contains("Jsonnet"), "{}", run.stderr);

    let docker = write(
        "docker.json",
        r#"{"family":"files","cpu":"256","memory":"512","volumes":[{"name":"cache","dockerVolumeConfiguration":{"scope":"task","driver":"local"}}],
           "containerDefinitions":[{"name":"a","image":"i","mountPoints":[{"sourceVolume":"cache","containerPath":"/cache"}]}]}"#,
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &docker], &[], None);
    run.expect_code(1);
    let field = "volumes[0].dockerVolumeConfiguration";
    assert!(run.stderr.contains(field), "names {field}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing printed: {}", run.stdout);

    let privileged = write(
        "privileged.json",
        r#"{"family":"app","cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":"i","links":["db"]}]}"#,
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &privileged], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("cannot run on Fargate: container `app` sets `links`"),
        "{}",
        run.stderr
    );

    // What validate refuses, import refuses with the same diagnostic.
    let no_router = write(
        "no-router.json",
        r#"{"family":"app","cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":"i",
           "logConfiguration":{"logDriver":"awsfirelens","options":{"Name":"cloudwatch"}}}]}"#,
    );
    let run = berth_in(dir.path(), &["import", "task-definition", &no_router], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("error[E0550]: the awsfirelens log driver needs a FireLens container in the task"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing printed: {}", run.stdout);
}

/// `text` written as `name` in `dir` and imported: the run, which must
/// exit 1.
fn import_refused(dir: &Path, name: &str, text: &str) -> Run {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    let run = berth_in(
        dir,
        &["import", "task-definition", path.to_str().expect("utf-8")],
        &[],
        None,
    );
    run.expect_code(1);
    run
}

/// The ADOT collector's task definition as AWS publishes it checks health
/// with `["/healthcheck"]`: ECS registers it, but Docker runs only
/// `CMD`/`CMD-SHELL` checks, so the container never turns healthy. Import
/// refused it as a field berth "cannot express yet"; it now says why the
/// check never runs and what to write instead.
#[test]
fn a_health_check_docker_never_runs_is_refused_saying_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture("describe-adot-arm64.json")).expect("fixture");
    let bare = text.replace(r#"["CMD", "/healthcheck"]"#, r#"["/healthcheck"]"#);
    assert_ne!(bare, text, "the fixture holds the collector's check");
    let run = import_refused(dir.path(), "adot.json", &bare);
    assert!(
        run.stderr.contains(
            r#"containerDefinitions[1].healthCheck.command is ["/healthcheck"]: Docker runs a check only when its first word is `CMD` (exec) or `CMD-SHELL` (shell)"#
        ) && run.stderr.contains(r#"write ["CMD","/healthcheck"] in the JSON to run it"#),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("cannot express"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing printed: {}", run.stdout);
}

/// A Terraform `container_definitions` file (a JSON list of containers)
/// was refused as "not a JSON object", then as not a whole task
/// definition; it imports now with the task-level fields Terraform keeps
/// on `aws_ecs_task_definition` given on the command line, and is refused
/// without the task's size, naming the flags.
#[test]
fn a_terraform_container_definitions_file_imports_with_the_task_fields_given() {
    let dump = "terraform-container-definitions.json";
    let json = fixture(dump);
    let json = json.to_str().expect("utf-8 path");
    let dir = tempfile::tempdir().expect("temp dir");
    let run = berth_in(
        dir.path(),
        &["import", "task-definition", json, "--memory", "1024"],
        &[],
        None,
    );
    run.expect_code(1);
    assert!(
        run.stderr.contains(
            "the document is a list of 2 container definitions (Terraform's `container_definitions`), without the task's size: give --cpu"
        ),
        "{}",
        run.stderr
    );

    // Its containers log with awslogs: the role that takes, which a
    // container list never holds, is the flag's to give.
    let run = berth_in(
        dir.path(),
        &[
            "import",
            "task-definition",
            json,
            "--cpu",
            "512",
            "--memory",
            "1024",
        ],
        &[],
        None,
    );
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("help: give the task definition's execution role with `--execution-role ARN`"),
        "{}",
        run.stderr
    );

    let (family, cpu, memory) = ("shop-api", "0.5 vCPU", "1 GB");
    let role = |name: &str| format!("arn:aws:iam::123456789012:role/{name}");
    let (execution, task) = (role("shop-api-execution"), role("shop-api-task"));
    let run = berth_in(
        dir.path(),
        &[
            "import",
            "task-definition",
            json,
            "--family",
            family,
            "--cpu",
            cpu,
            "--memory",
            memory,
            "--execution-role",
            &execution,
            "--task-role",
            &task,
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    for want in [
        "task_definition shop_api {".to_owned(),
        format!("family = \"{family}\""),
        "cpu = 512".to_owned(),
        "memory = 1024".to_owned(),
        format!("execution_role = \"{execution}\""),
        format!("task_role = \"{task}\""),
    ] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == want),
            "{want}:\n{}",
            run.stdout
        );
    }
    std::fs::write(dir.path().join("imported.berth"), &run.stdout).expect("write");
    std::fs::write(
        dir.path().join("stack.berth"),
        "stack \"shop\" { region = \"us-east-1\" }\n",
    )
    .expect("write");
    // What registers is compared with the file as a whole task definition.
    let whole = dir.path().join("whole.json");
    let containers: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture(dump)).expect("fixture")).expect("JSON");
    let whole_json = serde_json::json!({
        "family": family, "cpu": cpu, "memory": memory, "containerDefinitions": containers,
    });
    std::fs::write(&whole, whole_json.to_string()).expect("write");
    let whole = whole.to_str().expect("utf-8 path");
    for cloud in Cloud::both() {
        let stack = applied(&cloud, dir.path());
        if let Cloud::Aws(moto) = &cloud {
            let script = format!("import sys; sys.argv = ['x', {whole:?}, 'us-east-1']\n{SAME_AS_DUMP}");
            assert_eq!(moto.python(&script).trim(), "same");
            let roles = moto.python(&format!(
                "import boto3\ntd = boto3.client('ecs').describe_task_definition(taskDefinition='{family}')['taskDefinition']\n\
                 print(td['executionRoleArn'], td['taskRoleArn'])\n"
            ));
            assert_eq!(roles.trim(), format!("{execution} {task}"));
        }
        cloud
            .berth(stack.path(), &["destroy", "--auto-approve"])
            .expect_code(0);
    }
}

/// Registers the container definitions, volumes and task settings of
/// `dump` on moto, as boto3 reads them, compared with the dump's modulo
/// the defaults AWS fills in and the order of unordered lists: prints
/// `same` or the differences.
const SAME_AS_DUMP: &str = r#"
import boto3, json, sys
dump = json.load(open(sys.argv[1]))
dump = dump.get('taskDefinition', dump)

def size(v, unit):
    v = str(v).strip()
    if v.lower().endswith(unit):
        return str(int(float(v[:-len(unit)]) * 1024))
    return v

dump['cpu'], dump['memory'] = size(dump['cpu'], 'vcpu'), size(dump['memory'], 'gb')
ecs = boto3.client('ecs', region_name=sys.argv[2])
fam = dump['family']
got = ecs.describe_task_definition(taskDefinition=fam)['taskDefinition']

UNORDERED = {'environment', 'secrets', 'dependsOn', 'mountPoints', 'volumesFrom', 'systemControls',
             'environmentFiles', 'ulimits', 'secretOptions', 'properties', 'ignoredExitCodes'}

def norm(v, key=None):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            x = norm(x, k)
            if x in (None, [], {}, False) or (k, x) in (('cpu', 0), ('essential', True), ('transitEncryption', 'DISABLED'), ('iam', 'DISABLED'), ('rootDirectory', '/'), ('protocol', 'tcp'), ('versionConsistency', 'enabled')):
                continue
            if k in ('hostPort', 'hostPortRange'):
                continue
            out[k] = x
        return out
    if isinstance(v, list):
        items = [norm(x) for x in v]
        return sorted(items, key=json.dumps) if key in UNORDERED else items
    return v

def by_name(items):
    return {i['name']: norm(i) for i in items}

diffs = []
a, b = by_name(dump['containerDefinitions']), by_name(got['containerDefinitions'])
if a != b:
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            diffs.append(f'container {name}:\n  dump {json.dumps(a.get(name), sort_keys=True)}\n  got  {json.dumps(b.get(name), sort_keys=True)}')
for key in ('volumes', 'proxyConfiguration', 'ephemeralStorage', 'pidMode', 'runtimePlatform', 'cpu', 'memory'):
    x, y = norm(dump.get(key)), norm(got.get(key))
    if key == 'volumes':
        x, y = sorted(x or [], key=json.dumps), sorted(y or [], key=json.dumps)
    if key == 'runtimePlatform':
        x, y = x or {'cpuArchitecture': 'X86_64', 'operatingSystemFamily': 'LINUX'}, y
    if x != y:
        diffs.append(f'{key}:\n  dump {json.dumps(x, sort_keys=True)}\n  got  {json.dumps(y, sort_keys=True)}')
print('\n'.join(diffs) if diffs else 'same')
"#;

/// Realistic DescribeTaskDefinition dumps (a FireLens log router with an
/// app logging through awsfirelens; App Mesh's Envoy and the ADOT
/// collector with a proxy configuration, exec-form health checks and
/// `HEALTHY` dependencies; EFS volumes with an access point, IAM and
/// transit encryption beside a bind mount, ephemeral storage and Linux
/// parameters) import with nothing left unexpressed, validate, apply on
/// both clouds, re-plan clean, and register on moto the same container
/// definitions as the dump, modulo AWS's defaults.
#[test]
fn realistic_dumps_import_apply_and_register_the_same_definitions() {
    same_on_both_clouds(&[
        "describe-firelens.json",
        "describe-appmesh.json",
        "describe-efs.json",
    ]);
}

/// A describe output of today with what berth once refused: a worker
/// restarted in place unless it exits 0 or 143 (SIGTERM), attempted at
/// most every 180 s, whose image tag ECS does not pin to a digest; a
/// sidecar with a restart policy at AWS's defaults and
/// `versionConsistency: "enabled"`; a one-off container whose policy is
/// turned off. It imports with the defaults left out, applies on both
/// clouds, re-plans clean, and registers what the dump says.
#[test]
fn restart_policies_and_version_consistency_import_and_register() {
    let (printed, _dir) = imported("describe-restart-worker.json");
    let lines: Vec<String> = printed
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for want in [
        "version_consistency = false",
        "ignored_exit_codes = [0, 143]",
        "restart_attempt_period = 180",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want}:\n{printed}");
    }
    // Two containers with `versionConsistency: "disabled"`, two policies
    // on (the one turned off says nothing), and AWS's defaults unwritten.
    assert_eq!(
        lines
            .iter()
            .filter(|l| *l == "version_consistency = false")
            .count(),
        2
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("restart_policy")).count(),
        2
    );
    for absent in ["fault_injection", "enabled", "restart_attempt_period = 300"] {
        assert!(!printed.contains(absent), "{absent}:\n{printed}");
    }
    same_on_both_clouds(&["describe-restart-worker.json"]);
}

/// Task definitions as other tools hand them over: the console's describe
/// output of today (`"enableFaultInjection": false`, an X-Ray daemon
/// sidecar on UDP, a digest-pinned image, a multi-line env value), AWS
/// Copilot's (a FireLens router with secret options, exec's init process,
/// SSM parameters by name), the ADOT collector beside a read-only ARM64
/// app (ephemeral storage, `drop = ALL`, ulimits, sysctls, a bind mount);
/// and RegisterTaskDefinition inputs: the ECS guide's httpd sample (quotes
/// and HTML in a shell command), ecspresso's rendered definition, a
/// Datadog agent sidecar sized in `"1 vCPU"`/`"2 GB"`, Windows on Fargate
/// (backslashes), WordPress on EFS (`$` in PHP), Splunk logging with a
/// secret token, a port range and `pidMode`. Each imports, applies on
/// both clouds, re-plans clean, and registers what the JSON says.
#[test]
fn definitions_other_tools_write_import_apply_and_register_the_same() {
    same_on_both_clouds(&[
        "describe-console-xray.json",
        "describe-copilot.json",
        "describe-adot-arm64.json",
        "register-httpd.json",
        "register-ecspresso.json",
        "register-datadog-vcpu.json",
        "register-windows-iis.json",
        "register-wordpress-efs.json",
        "register-splunk.json",
    ]);
}

/// Every dump imported, planned without showing a secret (text and
/// JSON), applied and re-planned clean on both clouds, then destroyed; on
/// moto, registered as the dump says.
fn same_on_both_clouds(dumps: &[&str]) {
    for &dump in dumps {
        let (_, dir) = imported(dump);
        let json = fixture(dump);
        let json = json.to_str().expect("utf-8 path");
        let secrets = secrets_of(dump);
        for cloud in Cloud::both() {
            for format in [&["plan"][..], &["plan", "--format", "json"]] {
                let plan = cloud.berth(dir.path(), format);
                plan.expect_code(0);
                for secret in &secrets {
                    assert!(
                        !plan.stdout.contains(secret.as_str()) && !plan.stderr.contains(secret.as_str()),
                        "{dump}: {format:?} shows {secret}"
                    );
                }
            }
            let stack = applied(&cloud, dir.path());
            if let Cloud::Aws(moto) = &cloud {
                let region = region_of(dump);
                let script = format!("import sys; sys.argv = ['x', {json:?}, {region:?}]\n{SAME_AS_DUMP}");
                let got = moto.python(&script);
                assert_eq!(got.trim(), "same", "{dump}");
            }
            cloud
                .berth(stack.path(), &["destroy", "--auto-approve"])
                .expect_code(0);
        }
    }
}

/// Regression: ECS takes a container named `1agent` (letters, digits,
/// `_` and `-`, in any order), but `berth import` wrote its block with the
/// quoted label berth then refused (E0208), so the import failed as
/// something "AWS would refuse". A name that is not a bare one is written
/// quoted and taken; the dump (a Spring app with a secret and ulimits
/// beside a Datadog agent) imports, applies on both clouds, re-plans clean
/// and registers the same containers.
#[test]
fn a_container_named_with_a_leading_digit_imports_and_registers() {
    let (printed, _dir) = imported("describe-leading-digit.json");
    assert!(printed.contains("container \"1agent\" {"), "{printed}");
    same_on_both_clouds(&["describe-leading-digit.json"]);
}
