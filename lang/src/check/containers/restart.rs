//! A container's restart policy: ECS takes at most 50 ignored exit codes,
//! each a 32-bit integer (E0627); the schema's range holds the attempt
//! period.

use berth_provider::Value;

use crate::diagnostic::Diagnostic;
use crate::stack::DesiredBlock;

/// How many exit codes ECS lets a restart policy ignore.
const MAX_IGNORED: usize = 50;

/// `restart_policy` of the container `c`.
pub(super) fn restart_policy(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    for policy in c.body.blocks("restart_policy") {
        let Some(whole) = policy.body.span("ignored_exit_codes") else {
            continue;
        };
        let codes = policy
            .body
            .known("ignored_exit_codes")
            .and_then(Value::as_list)
            .unwrap_or_default();
        if codes.len() > MAX_IGNORED {
            diags.push(
                Diagnostic::error(
                    "E0627",
                    format!(
                        "a restart policy ignores at most {MAX_IGNORED} exit codes, not {}",
                        codes.len()
                    ),
                    whole,
                )
                .label("too many exit codes")
                .help("ECS's `ignoredExitCodes` takes at most 50: keep the codes the container really exits with"),
            );
        }
        for (i, code) in codes.iter().enumerate() {
            if let Some(n) = code.as_int()
                && i32::try_from(n).is_err()
            {
                let span = policy
                    .body
                    .part_span("ignored_exit_codes", &format!("[{i}]"))
                    .unwrap_or(whole);
                diags.push(
                    Diagnostic::error("E0627", format!("exit code {n} is out of range"), span)
                        .label("not a 32-bit integer")
                        .help("ECS's `ignoredExitCodes` are 32-bit integers; a process exits with 0 to 255"),
                );
            }
        }
    }
}
