//! Markdown building blocks that stay well-formed whatever text they hold:
//! code spans and fences longer than any backtick run inside, escaped plain
//! text and HTML, a comment that cannot be closed early.

/// Inline code, its delimiters longer than any backtick run inside.
pub(super) fn code(s: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run([s].into_iter()) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// A fenced block in `lang` (`diff`, `text`), its fence longer than any
/// backtick run inside. Trailing blanks are trimmed: GitHub shows none.
pub(super) fn fenced<'a>(lang: &str, lines: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let fence = "`".repeat(3.max(longest_backtick_run(lines.clone().into_iter()) + 1));
    let mut out = format!("{fence}{lang}\n");
    for line in lines {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

fn longest_backtick_run<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts
        .flat_map(|t| t.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Text for inside HTML (a `<summary>`).
pub(super) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Plain text that markdown shows as written: every character markdown or
/// HTML could read as syntax is backslash-escaped, and line breaks become
/// spaces so that the text stays in its paragraph.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The hidden first line a workflow finds its comment by. `>` is what ends
/// an HTML comment (`-->`, `--!>`), so none is left in the name.
pub(super) fn marker(stack: &str) -> String {
    let name: String = stack
        .chars()
        .map(|c| if c == '>' || c.is_control() { '_' } else { c })
        .collect();
    format!("<!-- berth plan: {name} -->\n")
}

/// How many characters `s` holds: GitHub's comment limit counts characters.
pub(super) fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The last resort of the size bound: `s` cut to at most `max` characters,
/// saying so when there is room.
pub(super) fn hard_cut(s: String, max: usize) -> String {
    if chars(&s) <= max {
        return s;
    }
    const TAIL: &str = "\n\n**(cut here to fit one comment)**\n";
    let keep = max.saturating_sub(chars(TAIL));
    let mut out: String = s.chars().take(keep).collect();
    if chars(&out) + chars(TAIL) <= max {
        out.push_str(TAIL);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_outlasts_backticks_inside() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn fences_outlast_backticks_inside() {
        let block = fenced("diff", ["+ ````", "- x  "]);
        assert_eq!(block, "`````diff\n+ ````\n- x\n`````\n");
    }

    #[test]
    fn escaped_text_has_no_markdown_left() {
        assert_eq!(escape("a_b *c* <d> [e](f)\nx"), r"a\_b \*c\* \<d\> \[e\](f) x");
    }

    #[test]
    fn a_marker_cannot_be_closed_early() {
        assert_eq!(marker("a-->b\nc"), "<!-- berth plan: a--_b_c -->\n");
    }

    #[test]
    fn hard_cut_keeps_the_bound() {
        for max in [0, 5, 40, 50, 100] {
            let out = hard_cut("é".repeat(80), max);
            assert!(chars(&out) <= max, "{max}: {}", chars(&out));
        }
        assert_eq!(hard_cut("short".to_owned(), 10), "short");
        assert!(hard_cut("x".repeat(100), 60).ends_with("one comment)**\n"));
    }
}
