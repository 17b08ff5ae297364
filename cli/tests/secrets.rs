//! Secret values never reach any output: plans in every format, saved plans,
//! apply's output; only their keys and `(sensitive...)` placeholders do.

mod common;

use common::{Cloud, Project, Run, example, json_change, json_plan};
use serde_json::json;

const SECRET: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/db";
const CANARY: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/CANARY-s3cr3t";
const CANARY2: &str = "arn:aws:ssm:us-east-1:123456789012:parameter/ROTATED-n3wp4ss";

/// Asserts that no part of a canary appears in `text`.
#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for needle in [CANARY, CANARY2, "CANARY", "s3cr3t", "ROTATED", "n3wp4ss"] {
        assert!(!text.contains(needle), "{what} leaks {needle:?}:\n{text}");
    }
}

#[track_caller]
fn assert_masked(what: &str, run: &Run, placeholder: &str) {
    assert_clean(what, &run.all());
    assert!(
        run.stdout.contains("DB_PASSWORD"),
        "{what}: the key shows:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(placeholder),
        "{what}: {placeholder:?} shows:\n{}",
        run.stdout
    );
}

fn plans(p: &Project, placeholder: &str) {
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert_masked(format, &run, placeholder);
    }
    let file = p.dir.parent().expect("tmp").join("secret.plan");
    let file = file.to_str().expect("utf-8");
    let run = p.berth(&["plan", "--out", file]);
    run.expect_code(0);
    assert_masked("plan --out", &run, placeholder);
    let saved = std::fs::read_to_string(file).expect("plan file");
    assert_clean("the saved plan file", &saved);
    assert!(saved.contains("DB_PASSWORD"));
}

#[test]
fn secret_values_never_show_anywhere() {
    let p = example("blog");
    p.edit("main.berth", SECRET, CANARY);
    plans(&p, "(sensitive)");

    let run = p.berth(&["apply", "--auto-approve", "--stats"]);
    run.expect_code(0);
    assert_masked("apply", &run, "(sensitive)");
    // The cloud does hold it: it is what was applied.
    assert!(
        std::fs::read_to_string(p.cloud_path())
            .expect("cloud")
            .contains(CANARY)
    );

    // Rotate the secret: the change shows, the values do not.
    p.edit("main.berth", CANARY, CANARY2);
    plans(&p, "(sensitive, changed)");
    let run = p.berth(&["plan", "--format", "json"]);
    let plan = json_plan(&run);
    let td = json_change(&plan, "task_definition.login");
    assert_eq!(td["action"], "replace");
    let container = &td["changes"][0];
    assert_eq!(container["attribute"], "container");
    assert_eq!(
        container["before"][0]["secrets"],
        json!({ "DB_PASSWORD": "(sensitive)" })
    );
    assert_eq!(
        container["after"][0]["secrets"],
        json!({ "DB_PASSWORD": "(sensitive, changed)" })
    );
    let text = p.berth(&["plan"]);
    // Aligned with the container's longest attribute name, whatever it is.
    assert!(
        text.stdout.lines().any(|l| {
            l.trim_start().starts_with("+ secrets ")
                && l.ends_with(" = { DB_PASSWORD = (sensitive, changed) }")
        }),
        "{}",
        text.stdout
    );

    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert_masked("apply of the rotation", &run, "(sensitive, changed)");
    let run = p.berth(&["plan", "--detailed-exitcode"]);
    run.expect_code(0);
    assert_clean("the plan after", &run.all());

    let run = p.berth(&["destroy", "--auto-approve"]);
    run.expect_code(0);
    assert_clean("destroy", &run.all());
}

#[test]
fn secret_values_in_microservices_never_show() {
    let p = example("microservices");
    p.edit(
        "main.berth",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp",
        CANARY,
    );
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
        assert!(run.stdout.contains("SMTP_PASSWORD"));
    }
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit("main.berth", CANARY, CANARY2);
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
        assert!(run.stdout.contains("(sensitive, changed)"), "{}", run.stdout);
    }
}

/// An output marked `sensitive` prints as `(sensitive)` after apply and in
/// `berth output`, and its value is left out of the JSON form.
#[test]
fn sensitive_outputs_never_show() {
    let p = example("blog");
    p.write(
        "secret_output.berth",
        &format!(
            "variable db_secret {{ default = \"{CANARY}\" }}\noutput db_secret {{\n  value     = var.db_secret\n  sensitive = true\n}}\n"
        ),
    );
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert_clean("apply", &run.all());
    assert!(run.stdout.contains("db_secret = (sensitive)"), "{}", run.stdout);
    for format in ["text", "json"] {
        let run = p.berth(&["output", "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
    }
}

/// The value of a `sensitive = true` variable, given on the command line.
const PASSWORD: &str = "CANARY-s3cr3t";

/// blog with a sensitive variable read by a container's `env` (through
/// interpolation and a function) and by an output not declared sensitive.
fn blog_with_sensitive_variable() -> Project {
    let p = example("blog");
    p.write(
        "secret.berth",
        "variable db_password { sensitive = true }\n\
         output dsn { value = \"postgres://app:${var.db_password}@db\" }\n",
    );
    p.edit(
        "main.berth",
        "env     = { NODE_ENV = var.env }",
        // upper(): a value no search for the secret's text would find.
        "env     = { NODE_ENV = var.env, DB_PASS = \"x-${var.db_password}\", DB_UP = upper(var.db_password) }",
    );
    p
}

#[test]
fn sensitive_variables_never_show_anywhere() {
    let p = blog_with_sensitive_variable();
    let var = format!("db_password={PASSWORD}");
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--var", &var, "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
        assert!(
            run.stdout.contains("DB_PASS"),
            "{format}: the key shows:\n{}",
            run.stdout
        );
    }
    let run = p.berth(&["plan", "--var", &var, "--format", "json"]);
    let plan = json_plan(&run);
    let changes = &json_change(&plan, "task_definition.login")["changes"];
    let container = changes
        .as_array()
        .and_then(|c| c.iter().find(|c| c["attribute"] == "container"))
        .expect("container change");
    assert_eq!(
        container["after"][0]["env"]["DB_PASS"], "(sensitive)",
        "{container}"
    );

    let run = p.berth(&["apply", "--auto-approve", "--var", &var]);
    run.expect_code(0);
    assert_clean("apply", &run.all());
    assert!(run.stdout.contains("dsn = (sensitive)"), "{}", run.stdout);
    // The cloud holds the real value: it is what was applied.
    let cloud = std::fs::read_to_string(p.cloud_path()).expect("cloud");
    assert!(cloud.contains(&format!("x-{PASSWORD}")));

    for format in ["text", "json"] {
        let run = p.berth(&["output", "--var", &var, "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
    }
    let run = p.berth(&["plan", "--var", &var, "--detailed-exitcode"]);
    run.expect_code(0);

    // A new value: the change shows, neither value does.
    let rotated = "db_password=ROTATED-n3wp4ss";
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--var", rotated, "--format", format]);
        run.expect_code(0);
        assert_clean(format, &run.all());
        assert!(run.stdout.contains("(sensitive, changed)"), "{}", run.stdout);
    }

    // Destroy knows nothing declared, yet masks what the cloud holds.
    let run = p.berth(&["destroy", "--auto-approve", "--var", &var]);
    run.expect_code(0);
    assert_clean("destroy", &run.all());
}

/// Regression: a sensitive variable's value in a container's `env` was
/// masked while the configuration named it, and printed in clear by the
/// plan and the apply that removed the entry (a CloudFormation condition
/// dropping a sidecar, a variable emptied): the configuration no longer
/// marked it, and the cloud held it. Each written resource now records
/// what was masked of it, and later plans mask that, on both clouds.
#[test]
fn a_sensitive_value_removed_from_a_container_stays_masked_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = blog_with_sensitive_variable();
        let var = format!("db_password={PASSWORD}");
        cloud
            .berth(&p.dir, &["apply", "--auto-approve", "--var", &var])
            .expect_code(0);
        p.edit(
            "main.berth",
            ", DB_PASS = \"x-${var.db_password}\", DB_UP = upper(var.db_password) }",
            " }",
        );
        for format in ["text", "json"] {
            let run = cloud.berth(
                &p.dir,
                &["plan", "--var", "db_password=other", "--format", format],
            );
            run.expect_code(0);
            assert_clean(format, &run.all());
            assert!(
                run.stdout.contains("DB_PASS"),
                "{format}: the key shows:\n{}",
                run.stdout
            );
        }
        let run = cloud.berth(&p.dir, &["apply", "--auto-approve", "--var", "db_password=other"]);
        run.expect_code(0);
        assert_clean("apply", &run.all());
        let run = cloud.berth(
            &p.dir,
            &["plan", "--detailed-exitcode", "--var", "db_password=other"],
        );
        assert_eq!(run.code, Some(0), "the record is no change:\n{}", run.all());
        cloud
            .berth(
                &p.dir,
                &["destroy", "--auto-approve", "--var", "db_password=other"],
            )
            .expect_code(0);
    }
}

#[test]
fn messages_never_quote_a_sensitive_value() {
    let p = example("blog");
    p.write(
        "secret.berth",
        "variable inner { sensitive = true }\n\
         subnet hidden {\n  vpc  = vpc.main\n  cidr = var.inner\n  zone = \"us-east-1a\"\n}\n",
    );
    // Outside the VPC's range: the rule names the CIDR it rejects.
    let run = p.berth(&["validate", "--var", "inner=10.99.7.0/24"]);
    run.expect_code(1);
    assert!(run.stderr.contains("E0502"), "{}", run.stderr);
    assert!(!run.stderr.contains("10.99.7"), "{}", run.stderr);
    assert!(run.stderr.contains("(sensitive)"), "{}", run.stderr);

    // A sensitive value cannot key instances: keys print in every plan.
    p.write(
        "secret.berth",
        "variable names {\n  sensitive = true\n  default   = [\"CANARY-a\"]\n}\n\
         log_group each_name {\n  for_each = var.names\n  retention_days = 1\n}\n",
    );
    let run = p.berth(&["validate"]);
    run.expect_code(1);
    assert!(run.stderr.contains("E0321"), "{}", run.stderr);
    assert_clean("validate", &run.all());
}

#[test]
fn a_saved_plan_never_holds_a_sensitive_variable_and_apply_asks_for_it_again() {
    let p = blog_with_sensitive_variable();
    let file = p.dir.parent().expect("tmp").join("secret.plan");
    let file = file.to_str().expect("utf-8");
    let var = format!("db_password={PASSWORD}");
    let run = p.berth(&["plan", "--var", &var, "--out", file]);
    run.expect_code(0);
    assert_clean("plan --out", &run.all());
    let saved = std::fs::read_to_string(file).expect("plan file");
    assert_clean("the saved plan file", &saved);
    assert!(saved.contains("\"db_password\": \"sha256:"), "{saved}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).expect("plan file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the plan file is private");
    }

    let run = p.berth(&["apply", file]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("sensitive variable `db_password`") && run.stderr.contains("give it again"),
        "{}",
        run.stderr
    );
    let run = p.berth(&["apply", file, "--var", "db_password=ROTATED-n3wp4ss"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("is not the one the plan was made with"),
        "{}",
        run.stderr
    );
    assert_clean("a refused apply", &run.all());
    assert!(!p.cloud_path().exists(), "nothing was applied");

    let run = p.berth(&["apply", file, "--var", &var]);
    run.expect_code(0);
    assert_clean("apply of the saved plan", &run.all());
    let cloud = std::fs::read_to_string(p.cloud_path()).expect("cloud");
    assert!(
        cloud.contains(&format!("x-{PASSWORD}")),
        "the real value is applied"
    );
    p.berth(&["plan", "--var", &var, "--detailed-exitcode"])
        .expect_code(0);
}

/// SSM parameters (Terraform's `aws_ssm_parameter`): a value is never
/// shown, whatever the parameter's type, nor anything read from it (an
/// output); a task reads it through `secrets`. On both clouds the stack
/// applies and re-plans clean, a rotated value and a type change update
/// in place; on moto boto3 sees the decrypted value and tags, and a value
/// changed outside berth shows as drift.
/// Writes `stack` to `dir`, plans it in every format and applies it, none
/// of them showing a canary; re-plans clean; returns `berth output`.
#[track_caller]
fn apply_masked(cloud: &Cloud, dir: &std::path::Path, stack: &str) -> Run {
    std::fs::write(dir.join("main.berth"), stack).expect("write");
    for format in ["text", "markdown", "json"] {
        let plan = cloud.berth(dir, &["plan", "--format", format]);
        plan.expect_code(0);
        assert_clean(format, &plan.all());
    }
    let apply = cloud.berth(dir, &["apply", "--auto-approve"]);
    apply.expect_code(0);
    assert_clean("apply", &apply.all());
    cloud.converges(dir, "apply");
    cloud.berth(dir, &["output"])
}

#[test]
fn ssm_parameter_values_never_show_and_changes_converge_on_both_clouds() {
    const STACK: &str = r#"stack "params" { region = "us-east-1" }

ssm_parameter db_password {
  type        = "SecureString"
  value       = "CANARY-s3cr3t"
  description = "the database password"
}

ssm_parameter db_host {
  name  = "/params/dev/db_host"
  value = "db.internal"
  tags  = { team = "web" }
}

role exec {
  assume   = "ecs-tasks.amazonaws.com"
  policies = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
}

task_definition app {
  cpu            = 256
  memory         = 512
  execution_role = role.exec
  container app {
    image   = "nginx:1.27"
    secrets = { DB_PASSWORD = ssm_parameter.db_password.arn, DB_HOST = ssm_parameter.db_host.name }
  }
}

output password { value = ssm_parameter.db_password.value }
output host { value = ssm_parameter.db_host.name }
"#;
    const SEEN: &str = "import boto3,json\n\
        s=boto3.client('ssm')\n\
        out={}\n\
        for m in s.describe_parameters()['Parameters']:\n\
        \x20   if m['Name'].startswith('/berth/'): continue\n\
        \x20   p=s.get_parameter(Name=m['Name'],WithDecryption=True)['Parameter']\n\
        \x20   t={x['Key']:x['Value'] for x in s.list_tags_for_resource(ResourceType='Parameter',ResourceId=m['Name'])['TagList']}\n\
        \x20   out[m['Name']]=[p['Type'],p['Value'],t.get('berth:address'),t.get('team')]\n\
        print(json.dumps(out,sort_keys=True))\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        let output = apply_masked(&cloud, dir, STACK);
        output.expect_code(0);
        assert_clean("output", &output.all());
        assert!(
            output.stdout.contains("password = (sensitive)"),
            "{}",
            output.stdout
        );
        assert!(
            output.stdout.contains("host     = \"/params/dev/db_host\""),
            "{}",
            output.stdout
        );
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(SEEN).trim()).expect("json");
            assert_eq!(
                seen,
                json!({
                    "/params/db_password": ["SecureString", "CANARY-s3cr3t", "ssm_parameter.db_password", null],
                    "/params/dev/db_host": ["String", "db.internal", "ssm_parameter.db_host", "web"],
                })
            );
        }

        std::fs::write(
            dir.join("main.berth"),
            STACK.replace("CANARY-s3cr3t", "ROTATED-n3wp4ss"),
        )
        .expect("write");
        cloud.plans_one_update(dir, "ssm_parameter.db_password");
        let plan = cloud.berth(dir, &["plan"]);
        assert_clean("a rotation's plan", &plan.all());
        assert!(
            plan.stdout.contains("value = (sensitive, changed)"),
            "{}",
            plan.stdout
        );
        cloud.converges(dir, "the rotation");

        let text = STACK.replace("CANARY-s3cr3t", "ROTATED-n3wp4ss").replace(
            "  value = \"db.internal\"",
            "  type  = \"SecureString\"\n  value = \"db.internal\"",
        );
        std::fs::write(dir.join("main.berth"), text).expect("write");
        cloud.plans_one_update(dir, "ssm_parameter.db_host");
        cloud.converges(dir, "the type change");

        if let Cloud::Aws(moto) = &cloud {
            moto.python(
                "import boto3\n\
                 boto3.client('ssm').put_parameter(Name='/params/db_password',Value='changed outside',Type='SecureString',Overwrite=True)\n",
            );
            cloud.plans_one_update(dir, "ssm_parameter.db_password");
            cloud.converges(dir, "the drift's repair");
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(SEEN).trim(), "{}");
        }
    }
}

/// Secrets Manager secrets as a Terraform stack writes them
/// (`aws_secretsmanager_secret` + `_version`, `recovery_window_in_days`)
/// and a task reads them (the whole value, and one JSON key of it): the
/// value never shows, a rotation converges, one left out is left alone,
/// and `destroy` then `apply` brings back the secret Secrets Manager keeps
/// for its recovery window (where Terraform fails on the taken name).
#[test]
fn secrets_manager_values_never_show_and_survive_destroy_then_apply_on_both_clouds() {
    const STACK: &str = r#"stack "vault" { region = "us-east-1" }

secret db {
  value       = "{\"user\":\"app\",\"password\":\"CANARY-s3cr3t\"}"
  description = "the database login"
  tags        = { team = "web" }
}

secret api_key {
  name                 = "vault/dev/api-key"
  recovery_window_days = 0
}

role exec {
  assume   = "ecs-tasks.amazonaws.com"
  policies = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
}

task_definition app {
  cpu            = 256
  memory         = 512
  execution_role = role.exec
  container app {
    image   = "nginx:1.27"
    secrets = { DB = secret.db.arn, DB_PASSWORD = "${secret.db.arn}:password::", API_KEY = secret.api_key.arn }
  }
}

output login { value = secret.db.value }
"#;
    const SEEN: &str = "import boto3,json\n\
        s=boto3.client('secretsmanager')\n\
        out={}\n\
        for e in s.list_secrets(IncludePlannedDeletion=True)['SecretList']:\n\
        \x20   try: v=s.get_secret_value(SecretId=e['ARN'])['SecretString']\n\
        \x20   except (s.exceptions.ResourceNotFoundException, s.exceptions.InvalidRequestException): v=None\n\
        \x20   t={x['Key']:x['Value'] for x in e.get('Tags',[])}\n\
        \x20   out[e['Name']]=[v,t.get('berth:address'),t.get('team'),'DeletedDate' in e]\n\
        print(json.dumps(out,sort_keys=True))\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        let output = apply_masked(&cloud, dir, STACK);
        assert_clean("output", &output.all());
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(SEEN).trim()).expect("json");
            assert_eq!(
                seen,
                json!({
                    "vault/db": ["{\"user\":\"app\",\"password\":\"CANARY-s3cr3t\"}", "secret.db", "web", false],
                    "vault/dev/api-key": [null, "secret.api_key", null, false],
                })
            );
        }

        let rotated = STACK.replace("CANARY-s3cr3t", "ROTATED-n3wp4ss");
        std::fs::write(dir.join("main.berth"), &rotated).expect("write");
        cloud.plans_one_update(dir, "secret.db");
        let plan = cloud.berth(dir, &["plan"]);
        assert_clean("a rotation's plan", &plan.all());
        assert!(
            plan.stdout.contains("value = (sensitive, changed)"),
            "{}",
            plan.stdout
        );
        cloud.converges(dir, "the rotation");

        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(SEEN).trim()).expect("json");
            assert_eq!(
                seen["vault/db"][3],
                json!(true),
                "kept for its recovery window: {seen}"
            );
            assert_eq!(
                seen.get("vault/dev/api-key"),
                None,
                "a window of 0 deletes at once: {seen}"
            );
        }
        // The name is still taken by the deleted secret: berth restores it.
        let again = cloud.berth(dir, &["apply", "--auto-approve"]);
        again.expect_code(0);
        assert_clean("apply after destroy", &again.all());
        cloud.converges(dir, "apply after destroy");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// A private registry's credentials secret (the ARN of a Secrets Manager
/// secret, as `secrets` name theirs) showed in plan, JSON and apply
/// output while `secrets` were masked.
#[test]
fn repository_credentials_never_show() {
    const REGISTRY: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";
    let p = example("blog");
    let image = "    image   = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/login:${var.env}\"";
    p.edit(
        "main.berth",
        image,
        &format!("{image}\n    repository_credentials = \"{REGISTRY}\""),
    );
    for format in ["text", "markdown", "json"] {
        let run = p.berth(&["plan", "--format", format]);
        run.expect_code(0);
        assert!(!run.all().contains("registry-AbCdEf"), "{format}:\n{}", run.all());
        assert!(
            run.stdout.contains("repository_credentials"),
            "{format}:\n{}",
            run.stdout
        );
    }
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert!(!run.all().contains("registry-AbCdEf"), "{}", run.all());
    p.berth(&["plan", "--detailed-exitcode"]).expect_code(0);
}
