//! Terraform's file functions: `file(path)`, `fileexists(path)` and
//! `templatefile(path, vars)`, with paths relative to the directory of
//! the `.berth` file that calls them (`path.module` is that directory,
//! `.`). A template is text with `${...}` interpolations, as in a string:
//! it is read as one berth string, its variables bound as names.

use std::path::Path;

/// The functions that read files, which the evaluator answers.
pub const FUNCTIONS: &[&str] = &["file", "fileexists", "templatefile"];

/// `path.module` and `path.root`: the stack's directory, as Terraform
/// gives a root module's.
pub const MODULE_DIR: &str = ".";

/// The text of `path`, relative to `dir`.
pub fn read(dir: &Path, path: &str) -> Result<String, String> {
    let full = dir.join(path);
    let bytes = std::fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", full.display()))
}

/// Whether `path`, relative to `dir`, is a file.
pub fn exists(dir: &Path, path: &str) -> bool {
    dir.join(path).is_file()
}

/// A template's text as the source of a berth string literal: quotes,
/// backslashes and line breaks escaped, `${...}` and `$${` kept. Template
/// directives (`%{ if }`, `%{ for }`) are not written (`%%{` is a literal
/// `%{`).
pub fn as_string_literal(template: &str) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 2);
    out.push('"');
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                out.push('%');
                // `%%{` is the literal `%{`; a lone `%%` stays two.
                if chars.peek() != Some(&'{') {
                    out.push('%');
                }
            }
            '%' if chars.peek() == Some(&'{') => {
                return Err("template directives (`%{ if }`, `%{ for }`) are not supported: \
                            compute the text with a `for` expression and pass it in"
                    .to_owned());
            }
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_becomes_a_string_with_its_interpolations() {
        assert_eq!(
            as_string_literal("a \"${x}\" \\n\n$${y} %%{z}").as_deref(),
            Ok("\"a \\\"${x}\\\" \\\\n\\n$${y} %{z}\"")
        );
        assert!(as_string_literal("%{ if x }y%{ endif }").is_err());
    }
}
