//! Secrets Manager secrets as CreateSecret and DeleteSecret take them
//! (InvalidParameterException, the delete's only at destroy): a recovery
//! window of 0 or 7 to 30 days, and a value Secrets Manager can hold. No
//! message quotes the value: it is sensitive.

use berth_provider::Value;
use berth_provider::secret::{MIN_WINDOW, VALUE_MAX};

use super::domain::string;
use crate::diagnostic::Diagnostic;
use crate::stack::DesiredResource;

const CODE: &str = "E0636";

pub(super) fn check(r: &DesiredResource, diags: &mut Vec<Diagnostic>) {
    if let (Some(Value::Int(days)), Some(span)) = (
        r.body.known("recovery_window_days"),
        r.body.span("recovery_window_days"),
    ) && (1..MIN_WINDOW).contains(days)
    {
        diags.push(
            Diagnostic::error(CODE, format!("a recovery window of {days} days"), span)
                .label("Secrets Manager keeps a deleted secret 7 to 30 days")
                .help("write 7 to 30, or 0 to delete at once"),
        );
    }
    if let Some((value, span)) = string(&r.body, "value")
        && value.len() > VALUE_MAX
    {
        diags.push(
            Diagnostic::error(CODE, "a secret value over 64 KiB", span)
                .label(format!("{} bytes", value.len()))
                .help(format!("Secrets Manager holds at most {VALUE_MAX} bytes")),
        );
    }
}
