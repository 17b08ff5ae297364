//! `berth validate`, `berth fmt` and variables, run as a user runs them.

mod common;

use common::{example, example_text};

#[test]
fn the_examples_validate() {
    for (name, stack, n) in [
        ("blog", "blog-dev", 16),
        ("microservices", "microservices-dev", 22),
    ] {
        let p = example(name);
        let run = p.berth(&["validate"]);
        run.expect_code(0);
        assert_eq!(
            run.stdout.trim(),
            format!("Valid: stack {stack:?} with {n} resources."),
            "{name}"
        );
        // As a directory argument too, from elsewhere.
        let parent = p.dir.parent().expect("parent");
        common::berth_in(parent, &["validate", name], &[], None).expect_code(0);
    }
}

/// Asserts a diagnostic in rustc's layout: `path:line:col`, a caret line
/// and a help line after the header `header`.
#[track_caller]
fn assert_diagnostic(stderr: &str, header: &str, location: &str, help: &str) {
    let start = stderr
        .find(header)
        .unwrap_or_else(|| panic!("no {header:?} in:\n{stderr}"));
    let block = &stderr[start..];
    let block = &block[..block[1..].find("\nerror").map_or(block.len(), |i| i + 1)];
    assert!(
        block.contains(&format!("─ {location}")),
        "no {location} in:\n{block}"
    );
    assert!(
        block.lines().any(|l| l.contains('│') && l.contains('^')),
        "no caret line in:\n{block}"
    );
    assert!(
        block
            .lines()
            .any(|l| l.trim_start().starts_with("= help: ") && l.contains(help)),
        "no help line with {help:?} in:\n{block}"
    );
}

#[test]
fn an_invalid_copy_reports_every_schema_error_with_spans_and_help() {
    let p = example("blog");
    p.edit("main.berth", "desired_count   = 3", "desired_cont    = 3");
    p.edit("main.berth", "retention_days = 14", "retention_dayz = 14");
    let run = p.berth(&["validate"]);
    run.expect_code(1);
    assert_diagnostic(
        &run.stderr,
        "unknown attribute `desired_cont` in `service`",
        "./main.berth:96:3",
        "did you mean `desired_count`?",
    );
    assert_diagnostic(
        &run.stderr,
        "unknown attribute `retention_dayz` in `log_group`",
        "./main.berth:",
        "did you mean `retention_days`?",
    );
    assert!(run.stderr.contains("error: 2 problems found"), "{}", run.stderr);
}

#[test]
fn an_invalid_copy_reports_every_domain_error_with_spans_and_help() {
    let p = example("blog");
    p.edit(
        "main.berth",
        "cidr   = \"10.0.2.0/24\"",
        "cidr   = \"10.1.2.0/24\"",
    );
    p.edit(
        "main.berth",
        "port          = 80\n",
        "port          = 80\n  rule dup { priority = 10  path = \"/x\"  forward = target_group.blog }\n",
    );
    let run = p.berth(&["validate"]);
    run.expect_code(1);
    assert_diagnostic(
        &run.stderr,
        "subnet 10.1.2.0/24 is outside its VPC's 10.0.0.0/16",
        "./main.berth:21:12",
        "pick a range inside the VPC's CIDR block",
    );
    assert!(run.stderr.contains("priority"), "{}", run.stderr);
    assert!(run.stderr.contains("error: 2 problems found"), "{}", run.stderr);
}

#[test]
fn an_invalid_copy_reports_a_typo_and_a_subnet_outside_its_vpc_together() {
    let p = example("blog");
    p.edit("main.berth", "desired_count   = 3", "desired_cont    = 3");
    p.edit(
        "main.berth",
        "cidr   = \"10.0.2.0/24\"",
        "cidr   = \"10.1.2.0/24\"",
    );
    let run = p.berth(&["validate"]);
    run.expect_code(1);
    assert_diagnostic(
        &run.stderr,
        "unknown attribute `desired_cont` in `service`",
        "./main.berth:96:3",
        "did you mean `desired_count`?",
    );
    assert_diagnostic(
        &run.stderr,
        "subnet 10.1.2.0/24 is outside its VPC's 10.0.0.0/16",
        "./main.berth:21:12",
        "pick a range inside the VPC's CIDR block",
    );
}

#[test]
fn a_binary_file_is_an_error_not_a_panic() {
    let p = example("blog");
    let mut bytes: Vec<u8> = (0..512u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    bytes[0] = 0xff;
    std::fs::write(p.path("junk.berth"), &bytes).expect("write");
    for args in [&["validate"][..], &["fmt", "--check"], &["plan"], &["fmt"]] {
        let run = p.berth(args);
        run.expect_code(1);
        assert!(run.stderr.contains("not valid UTF-8"), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("./junk.berth:1:1"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read(p.path("junk.berth")).expect("read"),
        bytes,
        "fmt left it alone"
    );
}

#[test]
fn fmt_check_passes_on_the_examples() {
    for name in [
        "blog",
        "microservices",
        "production",
        "split/network",
        "split/app",
    ] {
        let p = example(name);
        let run = p.berth(&["fmt", "--check"]);
        run.expect_code(0);
        assert_eq!(run.stdout, "", "{name}");
    }
}

#[test]
fn fmt_rewrites_a_messy_copy_to_the_example_keeping_comments() {
    // blog: one file with leading comments.
    let p = example("blog");
    let clean = example_text("blog", "main.berth");
    let messy = clean
        .replace("  desired_count   = 3", "    desired_count = 3")
        .replace("cidr          = \"10.0.0.0/16\"", "cidr=\"10.0.0.0/16\"")
        .replace(
            "internet_gateway main { vpc = vpc.main }",
            "internet_gateway   main{vpc=vpc.main}",
        )
        .replace("  cpu            = 256", "\tcpu = 256");
    assert_ne!(messy, clean);
    p.write("main.berth", &messy);
    let run = p.berth(&["fmt", "--check"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("main.berth"),
        "lists the file: {}",
        run.stdout
    );
    assert_eq!(p.read("main.berth"), messy, "--check changes nothing");

    p.berth(&["fmt"]).expect_code(0);
    assert_eq!(p.read("main.berth"), clean);
    assert!(
        p.read("main.berth")
            .starts_with("# The Node blog moved from Kubernetes")
    );
    p.berth(&["fmt", "--check"]).expect_code(0);

    // microservices: two files, one messy, with a comment inside a map.
    let p = example("microservices");
    let clean = example_text("microservices", "main.berth");
    let messy = clean
        .replace(
            "      NOTIFICATION_SERVICE_PORT = \"8096\"",
            "   NOTIFICATION_SERVICE_PORT=\"8096\"",
        )
        .replace("  idle_timeout    = 60", "  idle_timeout = 60   ");
    assert_ne!(messy, clean);
    p.write("main.berth", &messy);
    let run = p.berth(&["fmt", "--check"]);
    run.expect_code(1);
    assert!(run.stdout.contains("main.berth"), "{}", run.stdout);
    assert!(!run.stdout.contains("network.berth"), "{}", run.stdout);
    p.berth(&["fmt"]).expect_code(0);
    assert_eq!(p.read("main.berth"), clean);
    assert!(
        p.read("main.berth")
            .contains("# The user service sends mail through the notification service,")
    );
    assert_eq!(
        p.read("network.berth"),
        example_text("microservices", "network.berth")
    );
    p.berth(&["fmt", "--check"]).expect_code(0);
}

#[test]
fn a_var_renames_the_stack() {
    let p = example("blog");
    let run = p.berth(&["plan", "--var", "env=prod"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("berth will perform the following actions on stack \"blog-prod\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("login:prod\""), "the image follows env");
    let run = p.berth(&["validate", "--var", "env=prod"]);
    assert_eq!(run.stdout.trim(), "Valid: stack \"blog-prod\" with 16 resources.");
}

#[test]
fn a_var_file_sets_variables_and_the_command_line_wins() {
    let p = example("blog");
    p.write("qa.vars", "# the QA environment\nenv = \"qa\"\n");
    let run = p.berth(&["plan", "--var-file", "qa.vars"]);
    run.expect_code(0);
    assert!(run.stdout.contains("on stack \"blog-qa\""), "{}", run.stdout);
    let run = p.berth(&["plan", "--var-file", "qa.vars", "--var", "env=stage"]);
    assert!(run.stdout.contains("on stack \"blog-stage\""), "{}", run.stdout);

    // microservices: a map variable from a file.
    let p = example("microservices");
    p.write(
        "zones.vars",
        "zones = { \"us-east-1a\" = 1, \"us-east-1c\" = 3 }\n",
    );
    let run = p.berth(&["plan", "--var-file", "zones.vars", "--format", "json"]);
    run.expect_code(0);
    let plan = common::json_plan(&run);
    let subnets: Vec<&str> = plan["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|r| r["kind"] == "subnet")
        .map(|r| r["key"].as_str().expect("key"))
        .collect();
    assert_eq!(subnets, ["us-east-1a", "us-east-1c"]);
}

/// A variable of no type and no default is Terraform's `any`: a var
/// file's object is that object, whose elements the stack reads
/// (acidlemon's `var.config.clusters`); a plain string stays a string.
/// Regression: the object was taken as its text, E0325 at each read.
#[test]
fn an_untyped_variable_takes_a_var_files_object() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |file: &str, text: &str| std::fs::write(dir.path().join(file), text).expect("write");
    write(
        "main.berth",
        r#"stack "untyped" { region = "us-east-1" }
variable "config" {}
variable "owner" {}
resource "aws_ecs_cluster" "c" {
  for_each = var.config.clusters
  name     = "${each.value}-${var.owner}"
}
"#,
    );
    write(
        "dev.tfvars",
        "config = {\n  clusters = { a = \"dev-a\", b = \"dev-b\" }\n}\nowner = \"team\"\n",
    );
    let run = common::berth_in(dir.path(), &["plan", "--var-file", "dev.tfvars"], &[], None);
    run.expect_code(0);
    assert!(run.stdout.contains("\"dev-b-team\""), "{}", run.stdout);
    write(
        "dev.tfvars.json",
        r#"{"config": {"clusters": {"a": "json-a"}}, "owner": "ops"}"#,
    );
    let run = common::berth_in(dir.path(), &["plan", "--var-file", "dev.tfvars.json"], &[], None);
    run.expect_code(0);
    assert!(run.stdout.contains("\"json-a-ops\""), "{}", run.stdout);
}

/// Regression: `x = null` in a variables file reached a string or untyped
/// variable as the text "null" (medusajs's optional inputs, set to null
/// by its examples: a container got `ADMIN_CORS = "null"`, a policy an
/// ARN "null"). It is null, as in Terraform; `--var x=null` stays text.
#[test]
fn a_var_files_null_is_null() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |file: &str, text: &str| std::fs::write(dir.path().join(file), text).expect("write");
    write(
        "main.berth",
        r#"stack "nulls" { region = "us-east-1" }
variable "cors" { type = string }
variable "arn" {}
log_group cors { name = var.cors == null ? "cors-null" : "cors-given" }
log_group arn { name = var.arn == null ? "arn-null" : "arn-given" }
"#,
    );
    write(
        "dev.tfvars",
        "cors = null
arn  = null
",
    );
    write("dev.tfvars.json", r#"{"cors": null, "arn": null}"#);
    for file in ["dev.tfvars", "dev.tfvars.json"] {
        let run = common::berth_in(dir.path(), &["plan", "--var-file", file], &[], None);
        run.expect_code(0);
        assert!(
            run.stdout.contains("\"cors-null\"") && run.stdout.contains("\"arn-null\""),
            "{file}:\n{}",
            run.stdout
        );
    }
    let run = common::berth_in(
        dir.path(),
        &["plan", "--var", "cors=null", "--var", "arn=x"],
        &[],
        None,
    );
    run.expect_code(0);
    assert!(run.stdout.contains("\"cors-given\""), "{}", run.stdout);
}

/// Terraform reads `terraform.tfvars` and `*.auto.tfvars(.json)` of the
/// root without being told, and only warns of a value there no variable
/// takes: a stack ported with its files plans as it did.
#[test]
fn terraform_tfvars_files_of_the_directory_are_read_by_themselves() {
    let p = example("blog");
    p.write(
        "terraform.tfvars",
        "env    = \"qa\"\nregion = \"eu-west-1\" # not a variable here\n",
    );
    let run = p.berth(&["plan"]);
    run.expect_code(0);
    assert!(run.stdout.contains("on stack \"blog-qa\""), "{}", run.stdout);

    // An `.auto.tfvars` comes later, JSON too; a named file and the command line later still.
    p.write("b.auto.tfvars.json", r#"{"env": "stage"}"#);
    assert!(p.berth(&["plan"]).stdout.contains("on stack \"blog-stage\""));
    p.write("prod.tfvars", "env = \"prod\"\n");
    let run = p.berth(&["plan", "--var-file", "prod.tfvars"]);
    assert!(run.stdout.contains("on stack \"blog-prod\""), "{}", run.stdout);
    let run = p.berth(&["plan", "--var-file", "prod.tfvars", "--var", "env=dev"]);
    assert!(run.stdout.contains("on stack \"blog-dev\""), "{}", run.stdout);

    // A saved plan applies with the values of the files it was planned with.
    p.berth(&["plan", "--out", "stage.plan"]).expect_code(0);
    let run = p.berth(&["apply", "stage.plan"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("Applying stack \"blog-stage\""),
        "{}",
        run.stderr
    );

    // A file named on the command line is held to every name it sets.
    p.write("named.tfvars", "region = \"eu-west-1\"\n");
    let run = p.berth(&["validate", "--var-file", "named.tfvars"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("named.tfvars:1 sets `region`"),
        "{}",
        run.stderr
    );
}

/// Terraform's `TF_VAR_NAME` environment variables set variables (a CI
/// job's image tag), before any file or the command line; one the stack
/// does not declare is ignored, as the environment holds others.
#[test]
fn tf_var_environment_variables_set_variables_before_files() {
    let p = example("blog");
    let env = [("TF_VAR_env", "qa"), ("TF_VAR_not_declared", "x")];
    let run = p.berth_with(&["plan"], &env, None);
    run.expect_code(0);
    assert!(run.stdout.contains("on stack \"blog-qa\""), "{}", run.all());
    p.write("terraform.tfvars", "env = \"stage\"\n");
    let run = p.berth_with(&["plan"], &env, None);
    assert!(run.stdout.contains("on stack \"blog-stage\""), "{}", run.all());
    let run = p.berth_with(&["plan", "--var", "env=prod"], &env, None);
    assert!(run.stdout.contains("on stack \"blog-prod\""), "{}", run.all());
}

/// A Terraform root's `versions.tf` and `providers.tf` kept as they are:
/// the `terraform` block says nothing to berth, and without a `stack`
/// block the AWS provider's `region` and `default_tags` are the stack's,
/// named after its directory.
#[test]
fn terraform_and_provider_blocks_stand_for_the_stack_block() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("ported");
    std::fs::create_dir(&dir).expect("dir");
    let write = |file: &str, text: &str| std::fs::write(dir.join(file), text).expect("write");
    write(
        "versions.berth",
        "terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"~> 5.0\" }\n  }\n  backend \"s3\" {\n    bucket = \"state\"\n    key    = \"ported\"\n  }\n}\n",
    );
    write(
        "providers.berth",
        "variable \"region\" { default = \"eu-west-1\" }\nprovider \"aws\" {\n  region = var.region\n  default_tags {\n    tags = { Project = \"ported\" }\n  }\n}\n",
    );
    write(
        "main.berth",
        "resource \"aws_cloudwatch_log_group\" \"app\" { name = \"/ported/app\" }\n",
    );
    let run = common::berth_in(&dir, &["plan", "--format", "json"], &[], None);
    run.expect_code(0);
    let plan = common::json_plan(&run);
    assert_eq!(plan["stack"], "ported", "{plan:#}");
    assert_eq!(plan["region"], "eu-west-1", "{plan:#}");
    let changes = common::json_change(&plan, "log_group.app")["changes"]
        .as_array()
        .expect("changes")
        .clone();
    let tags = changes.iter().find(|c| c["attribute"] == "tags").expect("tags");
    assert_eq!(tags["after"]["Project"], "ported", "{changes:#?}");
}

/// A Terraform `variables.tf` and `.tfvars` ported as they are: typed
/// variables convert the file's text (`"14"` is a number).
#[test]
fn typed_variables_take_a_terraform_var_file() {
    let p = example("blog");
    p.write(
        "logs.berth",
        r#"variable retention { type = number }
variable services  { type = map(object({ days = number })) }
log_group audit {
  name           = "audit"
  retention_days = var.retention
}
log_group worker {
  name           = "worker"
  retention_days = var.services.worker.days
}
"#,
    );
    p.write(
        "prod.tfvars",
        "retention = \"14\"\nservices = {\n  worker = { days = \"30\" }\n}\n",
    );
    let run = p.berth(&["plan", "--var-file", "prod.tfvars", "--format", "json"]);
    run.expect_code(0);
    let plan = common::json_plan(&run);
    for (address, days) in [("log_group.audit", 14), ("log_group.worker", 30)] {
        let changes = common::json_change(&plan, address)["changes"]
            .as_array()
            .expect("changes");
        let retention = changes.iter().find(|c| c["attribute"] == "retention_days");
        assert_eq!(retention.map(|c| &c["after"]), Some(&days.into()), "{changes:#?}");
    }
    let run = p.berth(&[
        "validate",
        "--var-file",
        "prod.tfvars",
        "--var",
        "retention=two weeks",
    ]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("--var retention=two weeks is not of type `number`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_undeclared_var_is_an_error() {
    let p = example("blog");
    for cmd in ["validate", "plan"] {
        let run = p.berth(&[cmd, "--var", "nope=1"]);
        run.expect_code(1);
        assert!(
            run.stderr
                .contains("--var sets `nope`, which the stack does not declare"),
            "{cmd}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{cmd}: no plan: {}", run.stdout);
    }
    assert!(!p.cloud_path().exists(), "nothing touched the cloud");
}

#[test]
fn one_resource_is_counted_in_the_singular() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.berth"),
        "vpc main { cidr = \"10.0.0.0/16\" }\n",
    )
    .expect("write");
    let run = common::berth_in(dir.path(), &["validate", "."], &[], None);
    run.expect_code(0);
    assert!(run.stdout.ends_with("with 1 resource.\n"), "{}", run.stdout);
}

/// A directory of Terraform's `.tf` files said only "no .berth files":
/// the error now says how to bring them in.
#[test]
fn a_directory_of_tf_files_is_told_to_rename_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.tf"), "resource \"aws_vpc\" \"main\" {}\n").expect("write");
    let run = common::berth_in(dir.path(), &["validate"], &[], None);
    run.expect_code(1);
    assert!(
        run.stderr.contains("no .berth files in") && run.stderr.contains("1 Terraform `.tf` file there"),
        "{}",
        run.stderr
    );
}
