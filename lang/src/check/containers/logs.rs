//! Log configuration and FireLens (E0550).

use crate::diagnostic::Diagnostic;
use crate::stack::DesiredBlock;

use super::super::domain::string;
use super::map_entry;

/// The log drivers Fargate runs.
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "awsfirelens", "splunk"];

/// The log routers FireLens has.
const FIRELENS_TYPES: &[&str] = &["fluentbit", "fluentd"];

/// A container's `log` block: one way of saying it, a driver Fargate runs,
/// the options the driver needs.
pub(super) fn logs(c: &DesiredBlock, has_router: bool, diags: &mut Vec<Diagnostic>) {
    let Some(log) = c.body.blocks("log").first() else {
        return;
    };
    if let Some(span) = c.body.span("logs") {
        diags.push(
            Diagnostic::error(
                "E0550",
                "`logs` and a `log` block say the same thing twice",
                log.span,
            )
            .label("a `log` block")
            .also(span, "and `logs`")
            .help("`logs = log_group.NAME` is the awslogs shorthand: keep one of the two"),
        );
    }
    let Some((driver, span)) = string(&log.body, "driver") else {
        return;
    };
    let option = |name: &str| {
        let in_map = |attr: &str| {
            log.body
                .known(attr)
                .and_then(|v| v.as_map())
                .is_some_and(|m| m.contains_key(name))
        };
        in_map("options") || in_map("secret_options")
    };
    let options_span = log.body.span("options").unwrap_or(log.span);
    match driver {
        "awslogs" => {
            if log.body.known("options").is_some() && !option("awslogs-group") {
                diags.push(
                    Diagnostic::error("E0550", "the awslogs driver needs an `awslogs-group` option", options_span)
                        .label("no `awslogs-group`")
                        .help("add `\"awslogs-group\" = \"/ecs/NAME\"`, or write `logs = log_group.NAME` instead of the block"),
                );
            }
        }
        "awsfirelens" if !has_router => diags.push(
            Diagnostic::error("E0550", "the awsfirelens log driver needs a FireLens container in the task", span)
                .label("no container of this task has a `firelens` block")
                .help("add a log router container, e.g. `container log_router { image = \"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable\"  firelens { type = \"fluentbit\" } }`"),
        ),
        "awsfirelens" => {}
        "splunk" => {
            for needed in ["splunk-url", "splunk-token"] {
                if log.body.known("options").is_some() && !option(needed) {
                    diags.push(
                        Diagnostic::error("E0550", format!("the splunk driver needs a `{needed}` option"), options_span)
                            .label(format!("no `{needed}`"))
                            .help("the token may come from `secret_options` (an SSM parameter or secret ARN)"),
                    );
                }
            }
        }
        other => diags.push(
            Diagnostic::error("E0550", format!("Fargate does not run the `{other}` log driver"), span)
                .label("not a Fargate log driver")
                .help(format!("Fargate runs {}", FARGATE_LOG_DRIVERS.join(", "))),
        ),
    }
}

/// A `firelens` block: a router FireLens has, a configuration file Fargate
/// can read.
pub(super) fn firelens(router: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    if let Some((kind, span)) = string(&router.body, "type")
        && !FIRELENS_TYPES.contains(&kind)
    {
        diags.push(
            Diagnostic::error("E0550", format!("`{kind}` is not a FireLens log router"), span)
                .label("unknown router type")
                .help("`type` is \"fluentbit\" or \"fluentd\""),
        );
    }
    let file_type = map_entry(&router.body, "options", "config-file-type");
    if let Some(file_type) = file_type
        && file_type != "file"
    {
        let span = router.body.span("options").unwrap_or(router.span);
        diags.push(
            Diagnostic::error(
                "E0550",
                format!("Fargate reads FireLens configuration from `file`, not `{file_type}`"),
                span,
            )
            .label("`config-file-type` Fargate does not take")
            .help("bake the configuration into the router's image and write `\"config-file-type\" = \"file\"` with its path in `config-file-value`"),
        );
    }
}
