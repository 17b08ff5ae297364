//! A container's name and image as ECS takes them (E0652): RegisterTaskDefinition
//! refuses others at apply, after the plan was reviewed.

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::stack::DesiredBlock;

/// The longest name or image ECS takes.
const MAX: usize = 255;

/// Checks the name and the known image of the container `c`.
pub(super) fn name_and_image(c: &DesiredBlock, diags: &mut Vec<Diagnostic>) {
    if let Some(label) = &c.label {
        let name_char = |ch: char| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-';
        check(
            ("a container's name", "letters, digits, `_` and `-`"),
            &label.node,
            label.span,
            name_char,
            diags,
        );
    }
    if let (Some(image), Some(span)) = (
        c.body.known("image").and_then(|v| v.as_str()),
        c.body.span("image"),
    ) {
        let image_char = |ch: char| ch.is_ascii_alphanumeric() || "-_:./#@".contains(ch);
        check(
            (
                "an image",
                "letters, digits, `-`, `_`, `:`, `.`, `/`, `#` and `@`",
            ),
            image,
            span,
            image_char,
            diags,
        );
    }
}

/// E0652 unless `text` is at most 255 of the characters `allowed` takes
/// (an empty one is E0529's).
fn check(
    (what, takes): (&str, &str),
    text: &str,
    span: Span,
    allowed: impl Fn(char) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let bad = text.chars().find(|ch| !allowed(*ch));
    if text.is_empty() || (bad.is_none() && text.len() <= MAX) {
        return;
    }
    let label = match bad {
        Some(ch) => format!("`{}` is not allowed here", ch.escape_debug()),
        None => format!("{} characters, more than {MAX}", text.len()),
    };
    // ecspresso's files hold Go templates (`{{ must_env `TAG` }}`), which
    // berth does not render: they would reach ECS as text.
    let help = if text.contains("{{") {
        "`{{ ... }}` is a Go template (ecspresso's), which berth does not render: write \
         `${var.NAME}` and set it with `--var NAME=...` or `TF_VAR_NAME`"
            .to_owned()
    } else {
        format!("ECS takes 1 to {MAX} {takes}")
    };
    diags.push(
        Diagnostic::error("E0652", format!("ECS refuses {what} `{text}`"), span)
            .label(label)
            .help(help),
    );
}
