//! A task definition of the contract kit's variety with every container
//! field group berth writes: a FireLens router and the `awsfirelens`
//! driver with secret options, an `awslogs` block with more than the
//! shorthand's options, EFS (access point, IAM, transit encryption) and
//! bind volumes with mounts and `volumes_from`, exec-form and
//! `CMD-SHELL` health checks, named port mappings with an application
//! protocol and a port range, Linux parameters, labels, environment files,
//! registry credentials, kernel parameters, an App Mesh proxy, `pid_mode`,
//! ephemeral storage, restart policies (one on with ignored exit codes and
//! a period, one turned off) and version consistency turned off.

use std::collections::BTreeMap;

use berth_provider::{Kind, Resource, Value};

use crate::stack::{block, id, list, respelled, s, tags};

/// The sidecars task definition (`task_definition.v_sidecars`), in a
/// spelling `rng` picks.
pub fn sidecars(blog: &BTreeMap<String, Resource>, rng: &mut fastrand::Rng) -> Resource {
    let strs = |items: &[&str]| list(items.iter().map(|i| s(i)).collect());
    let router = block(&[
        ("name", s("log-router")),
        (
            "image",
            s("public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4"),
        ),
        ("memory_reservation", Value::Int(50)),
        (
            "firelens",
            list(vec![block(&[
                ("type", s("fluentbit")),
                ("options", tags(&[("enable-ecs-log-metadata", "true")])),
            ])]),
        ),
        (
            "log",
            list(vec![block(&[
                ("driver", s("awslogs")),
                (
                    "options",
                    tags(&[
                        ("awslogs-group", "/ecs/v-sidecars"),
                        ("awslogs-stream-prefix", "router"),
                        ("awslogs-create-group", "true"),
                    ]),
                ),
            ])]),
        ),
    ]);
    let app = block(&[
        ("name", s("app")),
        ("image", s("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")),
        (
            "port_mapping",
            list(vec![
                block(&[
                    ("container_port", Value::Int(8080)),
                    ("name", s("app-http")),
                    ("app_protocol", s("http")),
                ]),
                block(&[("container_port_range", s("9000-9010")), ("protocol", s("udp"))]),
            ]),
        ),
        (
            "log",
            list(vec![block(&[
                ("driver", s("awsfirelens")),
                (
                    "options",
                    tags(&[("Name", "datadog"), ("Host", "http-intake.logs.datadoghq.com")]),
                ),
                (
                    "secret_options",
                    tags(&[("apikey", "arn:aws:ssm:us-east-1:123456789012:parameter/datadog")]),
                ),
            ])]),
        ),
        (
            "health_check",
            list(vec![block(&[(
                "command",
                strs(&["CMD", "curl", "-f", "http://localhost:8080/"]),
            )])]),
        ),
        ("labels", tags(&[("com.datadoghq.tags.service", "app")])),
        ("start_timeout", Value::Int(30)),
        ("pseudo_terminal", Value::Bool(true)),
        ("interactive", Value::Bool(true)),
        (
            "repository_credentials",
            s("arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf"),
        ),
        (
            "credential_specs",
            strs(&["credentialspecdomainless:arn:aws:ssm:us-east-1:123456789012:parameter/corp-credspec"]),
        ),
        (
            "environment_file",
            list(vec![block(&[("value", s("arn:aws:s3:::config-bucket/app.env"))])]),
        ),
        (
            "system_control",
            list(vec![block(&[
                ("namespace", s("net.core.somaxconn")),
                ("value", s("1024")),
            ])]),
        ),
        (
            "linux",
            list(vec![block(&[
                ("init_process", Value::Bool(true)),
                ("capabilities_add", strs(&["SYS_PTRACE"])),
                ("capabilities_drop", strs(&["NET_RAW", "MKNOD"])),
            ])]),
        ),
        (
            "mount",
            list(vec![
                block(&[("source_volume", s("data")), ("container_path", s("/data"))]),
                block(&[
                    ("source_volume", s("scratch")),
                    ("container_path", s("/scratch")),
                    ("read_only", Value::Bool(true)),
                ]),
            ]),
        ),
        ("depends_on", list(vec![block(&[("container", s("log-router"))])])),
        ("version_consistency", Value::Bool(false)),
    ]);
    let backup = block(&[
        ("name", s("backup")),
        ("image", s("public.ecr.aws/docker/library/alpine:3.20")),
        ("essential", Value::Bool(false)),
        (
            "volumes_from",
            list(vec![block(&[
                ("container", s("app")),
                ("read_only", Value::Bool(true)),
            ])]),
        ),
        (
            "health_check",
            list(vec![block(&[("command", s("test -d /data"))])]),
        ),
        (
            "restart_policy",
            list(vec![block(&[
                ("ignored_exit_codes", list(vec![Value::Int(0), Value::Int(143)])),
                ("restart_attempt_period", Value::Int(60)),
            ])]),
        ),
    ]);
    let envoy = block(&[
        ("name", s("envoy")),
        (
            "image",
            s("public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"),
        ),
        ("user", s("1337")),
        (
            "restart_policy",
            list(vec![block(&[
                ("enabled", Value::Bool(false)),
                ("ignored_exit_codes", list(vec![Value::Int(1)])),
            ])]),
        ),
    ]);
    respelled(
        Kind::TaskDefinition,
        "v_sidecars",
        &[
            ("cpu", Value::Int(1024)),
            ("memory", Value::Int(2048)),
            ("execution_role", id(&blog["role.task_exec"])),
            ("pid_mode", s("task")),
            ("ephemeral_storage", Value::Int(30)),
            (
                "proxy",
                list(vec![block(&[
                    ("container", s("envoy")),
                    (
                        "properties",
                        tags(&[
                            ("AppPorts", "8080"),
                            ("IgnoredUID", "1337"),
                            ("ProxyIngressPort", "15000"),
                            ("ProxyEgressPort", "15001"),
                            ("EgressIgnoredIPs", "169.254.170.2,169.254.169.254"),
                        ]),
                    ),
                ])]),
            ),
            (
                "volume",
                list(vec![
                    block(&[
                        ("name", s("data")),
                        (
                            "efs",
                            list(vec![block(&[
                                ("file_system_id", s("fs-0a1b2c3d4e5f67890")),
                                ("transit_encryption", s("ENABLED")),
                                ("transit_encryption_port", Value::Int(2999)),
                                ("access_point", s("fsap-0123456789abcdef0")),
                                ("iam", s("ENABLED")),
                            ])]),
                        ),
                    ]),
                    block(&[("name", s("scratch"))]),
                ]),
            ),
            ("container", list(vec![router, app, backup, envoy])),
        ],
        rng,
    )
}
