//! String functions. Positions and lengths count characters (Unicode
//! scalar values), as `length` does, where Terraform counts grapheme
//! clusters: the two differ only for combining sequences such as emoji
//! with modifiers.

use std::fmt::Write as _;

use berth_provider::Value;
use regex::{Captures, Regex, RegexBuilder};

use super::{scalar_text, strings, whole};

/// The most spaces `indent` adds in all: the text is built in memory.
const INDENT_MAX: usize = 1 << 24;

/// The most memory a compiled `regex` pattern may take: far above any
/// pattern written by hand, and a bound on the time compiling takes.
const REGEX_SIZE_MAX: usize = 1 << 20;

/// `lower(s)`.
pub(super) fn lower(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "lower(text)")?;
    Ok(Value::String(s.to_lowercase()))
}

/// `upper(s)`.
pub(super) fn upper(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "upper(text)")?;
    Ok(Value::String(s.to_uppercase()))
}

/// `join(separator, lists...)`: the elements of every list, in order,
/// joined with `separator`.
pub(super) fn join(args: &[Value]) -> Result<Value, String> {
    let usage = "`join(separator, list)` takes a string and a list";
    let [Value::String(sep), lists @ ..] = args else {
        return Err(usage.into());
    };
    if lists.is_empty() {
        return Err(usage.into());
    }
    let mut parts = Vec::new();
    for l in lists {
        let Value::List(items) = l else {
            return Err(usage.into());
        };
        for item in items {
            parts.push(scalar_text(item).ok_or("`join` joins strings and numbers only")?);
        }
    }
    Ok(Value::String(parts.join(sep)))
}

/// `format(template, values...)`: each verb replaced by its value, as
/// Terraform's ([`super::format`]).
pub(super) fn format(args: &[Value]) -> Result<Value, String> {
    let [Value::String(template), args @ ..] = args else {
        return Err("`format(template, values...)` takes a template string first".into());
    };
    super::format::format(template, args).map(Value::String)
}

/// `formatlist(template, values...)`: `format` once per element of the
/// list arguments (all of one length), a scalar argument repeated.
pub(super) fn formatlist(args: &[Value]) -> Result<Value, String> {
    let [template, rest @ ..] = args else {
        return Err("`formatlist(template, values...)` takes a template string first".into());
    };
    let lengths: Vec<usize> = rest
        .iter()
        .filter_map(|a| match a {
            Value::List(l) => Some(l.len()),
            _ => None,
        })
        .collect();
    let Some(&n) = lengths.first() else {
        return Err("`formatlist` needs at least one list (use `format` for single values)".into());
    };
    if lengths.iter().any(|&l| l != n) {
        return Err("`formatlist` takes lists of one length".into());
    }
    (0..n)
        .map(|i| {
            let mut one = vec![template.clone()];
            one.extend(rest.iter().map(|a| match a {
                Value::List(l) => l[i].clone(),
                other => other.clone(),
            }));
            format(&one)
        })
        .collect::<Result<_, _>>()
        .map(Value::List)
}

/// `split(separator, string)`: the pieces between separators, empty ones
/// included (`split(",", "a,,b")` = `["a", "", "b"]`).
pub(super) fn split(args: &[Value]) -> Result<Value, String> {
    let [sep, s] = strings(args, "split(separator, text)")?;
    let pieces: Vec<Value> = if sep.is_empty() {
        // Go's `strings.Split`, which Terraform calls, cuts an empty
        // separator between characters, with no empty ends.
        s.chars().map(|c| Value::String(c.into())).collect()
    } else {
        s.split(sep).map(|p| Value::String(p.into())).collect()
    };
    Ok(Value::List(pieces))
}

/// `replace(string, substring, replacement)`: every occurrence of a plain
/// substring replaced.
pub(super) fn replace(args: &[Value]) -> Result<Value, String> {
    let [s, from, to] = strings(args, "replace(text, substring, replacement)")?;
    // Terraform reads `/.../` as a regular expression; replacing it as
    // plain text would silently do something else.
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        return Err(format!(
            "`replace` takes a plain substring: regular expressions such as `{from}` are not supported"
        ));
    }
    Ok(Value::String(s.replace(from, to)))
}

/// `trimprefix(string, prefix)`: the string without `prefix` once at its
/// start.
pub(super) fn trimprefix(args: &[Value]) -> Result<Value, String> {
    let [s, prefix] = strings(args, "trimprefix(text, prefix)")?;
    Ok(Value::String(s.strip_prefix(prefix).unwrap_or(s).into()))
}

/// `trimsuffix(string, suffix)`: the string without `suffix` once at its
/// end.
pub(super) fn trimsuffix(args: &[Value]) -> Result<Value, String> {
    let [s, suffix] = strings(args, "trimsuffix(text, suffix)")?;
    Ok(Value::String(s.strip_suffix(suffix).unwrap_or(s).into()))
}

/// `trimspace(string)`: the string without whitespace at either end.
pub(super) fn trimspace(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "trimspace(text)")?;
    // Rust's and Go's whitespace are both Unicode's White_Space.
    Ok(Value::String(s.trim().into()))
}

/// `substr(string, offset, length)`: `length` characters from `offset`; a
/// negative offset counts from the end, a negative length (`-1`) takes the
/// rest, and a length past the end stops there.
pub(super) fn substr(args: &[Value]) -> Result<Value, String> {
    let usage = "`substr(text, offset, length)` takes a string and two whole numbers";
    let [Value::String(s), offset, length] = args else {
        return Err(usage.into());
    };
    let (Some(offset), Some(length)) = (whole(offset), whole(length)) else {
        return Err(usage.into());
    };
    let chars = s.chars().count() as i64;
    // An offset before the start starts at the start, as Terraform's does.
    let start = if offset < 0 {
        chars.saturating_add(offset).max(0)
    } else {
        offset
    };
    if start >= chars {
        return Ok(Value::String(String::new()));
    }
    let take = if length < 0 {
        chars - start
    } else {
        length.min(chars - start)
    };
    // Both are within `0..=chars` here, which came from a `usize`.
    let out: String = s.chars().skip(start as usize).take(take as usize).collect();
    Ok(Value::String(out))
}

/// `title(string)`: the first letter of each word in upper case.
pub(super) fn title(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "title(text)")?;
    let mut out = String::with_capacity(s.len());
    let mut after_separator = true;
    for c in s.chars() {
        if after_separator {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        after_separator = separates_words(c);
    }
    Ok(Value::String(out))
}

/// Go's `strings.Title` word boundaries, which Terraform's `title` uses:
/// letters, digits and `_` are inside words; other ASCII characters and
/// Unicode spaces separate them; other Unicode characters are inside.
fn separates_words(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    !c.is_alphanumeric() && c.is_whitespace()
}

/// `startswith(string, prefix)`.
pub(super) fn startswith(args: &[Value]) -> Result<Value, String> {
    let [s, prefix] = strings(args, "startswith(text, prefix)")?;
    Ok(Value::Bool(s.starts_with(prefix)))
}

/// `endswith(string, suffix)`.
pub(super) fn endswith(args: &[Value]) -> Result<Value, String> {
    let [s, suffix] = strings(args, "endswith(text, suffix)")?;
    Ok(Value::Bool(s.ends_with(suffix)))
}

/// `strcontains(string, substring)`.
pub(super) fn strcontains(args: &[Value]) -> Result<Value, String> {
    let [s, part] = strings(args, "strcontains(text, substring)")?;
    Ok(Value::Bool(s.contains(part)))
}

/// `chomp(string)`: the string without the newlines (`\n`, `\r\n` and
/// `\r`) at its end.
pub(super) fn chomp(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "chomp(text)")?;
    Ok(Value::String(s.trim_end_matches(['\r', '\n']).into()))
}

/// `trim(string, cutset)`: the string without any of the characters of
/// `cutset` at either end (`trim("?!hello?!", "!?")` = `"hello"`).
pub(super) fn trim(args: &[Value]) -> Result<Value, String> {
    let [s, cutset] = strings(args, "trim(text, cutset)")?;
    Ok(Value::String(s.trim_matches(|c| cutset.contains(c)).into()))
}

/// `strrev(string)`: the characters in reverse order. A character keeps
/// the combining marks, variation selectors and emoji modifiers after it,
/// and emoji joined by zero-width joiners, `\r\n` and flags stay whole:
/// the common cases of the grapheme clusters Terraform reverses.
pub(super) fn strrev(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "strrev(text)")?;
    let mut clusters: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    // Regional indicators in the cluster being built: they pair into flags.
    let mut indicators = 0;
    for (at, c) in s.char_indices() {
        let joins = match previous {
            None => false,
            Some(p) => {
                extends_cluster(c)
                    || p == '\u{200D}'
                    || (p == '\r' && c == '\n')
                    || (regional_indicator(p) && regional_indicator(c) && indicators % 2 == 1)
            }
        };
        if !joins {
            if at > start {
                clusters.push(&s[start..at]);
            }
            start = at;
            indicators = 0;
        }
        if regional_indicator(c) {
            indicators += 1;
        }
        previous = Some(c);
    }
    if start < s.len() {
        clusters.push(&s[start..]);
    }
    Ok(Value::String(clusters.into_iter().rev().collect()))
}

/// Characters that continue the character before them: combining marks,
/// variation selectors, zero-width joiners, emoji modifiers and tags.
fn extends_cluster(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// The letters of flags: two make one.
fn regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

/// `indent(spaces, string)`: the string with `spaces` spaces added at the
/// start of every line but the first.
pub(super) fn indent(args: &[Value]) -> Result<Value, String> {
    let usage = "`indent(spaces, text)` takes a whole number and a string";
    let [spaces, Value::String(s)] = args else {
        return Err(usage.into());
    };
    let spaces = whole(spaces).ok_or(usage)?;
    if spaces < 0 {
        return Err(format!("`indent` cannot indent by {spaces} spaces"));
    }
    let lines = s.matches('\n').count();
    if lines == 0 {
        return Ok(Value::String(s.clone()));
    }
    let spaces = usize::try_from(spaces)
        .ok()
        .filter(|n| n.saturating_mul(lines) <= INDENT_MAX)
        .ok_or_else(|| format!("`indent` would add more than {INDENT_MAX} spaces"))?;
    Ok(Value::String(
        s.replace('\n', &format!("\n{}", " ".repeat(spaces))),
    ))
}

/// A pattern compiled, with what its matches answer.
struct Pattern {
    re: Regex,
    groups: Groups,
}

/// What a match answers, by the pattern's capture groups.
enum Groups {
    /// No groups: the matched text.
    None,
    /// Unnamed groups: the list of their texts.
    Unnamed,
    /// Named groups: the map of their names to their texts.
    Named,
}

impl Pattern {
    /// The pattern in Go's syntax (RE2's, which Terraform uses and the
    /// regex crate follows); unnamed and named groups may not mix.
    fn compile(pattern: &str, name: &str) -> Result<Pattern, String> {
        let re = RegexBuilder::new(&ascii_perl_classes(pattern))
            .size_limit(REGEX_SIZE_MAX)
            .build()
            .map_err(|e| format!("`{name}`: invalid regular expression: {e}"))?;
        let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
        let named = names.iter().filter(|n| n.is_some()).count();
        let groups = match (named, names.len() - named) {
            (0, 0) => Groups::None,
            (0, _) => Groups::Unnamed,
            (_, 0) => Groups::Named,
            _ => {
                return Err(format!(
                    "`{name}`: a pattern cannot mix named and unnamed capture groups"
                ));
            }
        };
        Ok(Pattern { re, groups })
    }

    /// What a match answers: a group that took no part is null.
    fn answer(&self, caps: &Captures<'_>) -> Value {
        let text = |i: usize| {
            caps.get(i)
                .map_or(Value::Null, |m| Value::String(m.as_str().into()))
        };
        match self.groups {
            Groups::None => text(0),
            Groups::Unnamed => Value::List((1..caps.len()).map(text).collect()),
            Groups::Named => Value::Map(
                self.re
                    .capture_names()
                    .enumerate()
                    .filter_map(|(i, n)| Some((n?.to_owned(), text(i))))
                    .collect(),
            ),
        }
    }
}

/// Go's `\d`, `\s`, `\w` and `\b` (and their negations) are ASCII-only
/// where the regex crate's are Unicode: the pattern with them spelled out
/// as ASCII, so that `\d` does not match `٣` as it does not in Terraform.
/// Inside a class, the replacement nests as a class (`[\d_]` is
/// `[[0-9]_]`).
fn ascii_perl_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push(c);
            break;
        };
        match e {
            'd' => out.push_str("[0-9]"),
            'D' => out.push_str("[^0-9]"),
            'w' => out.push_str("[0-9A-Za-z_]"),
            'W' => out.push_str("[^0-9A-Za-z_]"),
            's' => out.push_str(r"[\t\n\f\r\x20]"),
            'S' => out.push_str(r"[^\t\n\f\r\x20]"),
            'b' => out.push_str(r"(?-u:\b)"),
            'B' => out.push_str(r"(?-u:\B)"),
            e => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}

/// `regex(pattern, string)`: the first match of `pattern` in the string:
/// the matched text, the list of its capture groups' texts, or the map of
/// its named groups' texts (a group that took no part is null). No match
/// is an error.
pub(super) fn regex(args: &[Value]) -> Result<Value, String> {
    let [pattern, s] = strings(args, "regex(pattern, text)")?;
    let pattern = Pattern::compile(pattern, "regex")?;
    let caps = pattern.re.captures(s).ok_or(
        "`regex`: the pattern matches no part of the text (`regexall` answers an empty list instead)",
    )?;
    Ok(pattern.answer(&caps))
}

/// `regexall(pattern, string)`: every match, not overlapping, each
/// answered as `regex` answers one; an empty list for none.
pub(super) fn regexall(args: &[Value]) -> Result<Value, String> {
    let [pattern, s] = strings(args, "regexall(pattern, text)")?;
    let pattern = Pattern::compile(pattern, "regexall")?;
    Ok(Value::List(
        pattern
            .re
            .captures_iter(s)
            .map(|caps| pattern.answer(&caps))
            .collect(),
    ))
}

/// `urlencode(string)`: the string percent-encoded for a URL's query, as
/// Go's `url.QueryEscape`, which Terraform uses: letters, digits and
/// `-_.~` stay, a space is `+`, every other UTF-8 byte is `%XX`.
pub(super) fn urlencode(args: &[Value]) -> Result<Value, String> {
    let [s] = strings(args, "urlencode(text)")?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            // Writing to a `String` cannot fail.
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::super::call_exact as call;
    use super::super::tests::{map, s, strs};
    use berth_provider::Value;

    #[test]
    fn formatlist_formats_each_element() {
        let list = Value::List(vec![Value::from("a"), Value::from("b")]);
        assert_eq!(
            call("formatlist", &[Value::from("%s-%s"), Value::from("x"), list]),
            Ok(Value::List(vec![Value::from("x-a"), Value::from("x-b")]))
        );
        assert!(call("formatlist", &[Value::from("%s"), Value::from("x")]).is_err());
    }

    #[test]
    fn case_join_and_format() {
        assert_eq!(call("upper", &[s("a")]), Ok(s("A")));
        assert_eq!(call("lower", &[s("AbC")]), Ok(s("abc")));
        assert!(call("lower", &[Value::Int(1)]).is_err());
        assert_eq!(call("join", &[s("-"), strs(&["a", "b"])]), Ok(s("a-b")));
        assert_eq!(
            call("join", &[s(","), strs(&["a"]), strs(&["b", "c"])]),
            Ok(s("a,b,c"))
        );
        assert!(call("join", &[s(",")]).is_err());
        assert!(call("join", &[s(","), Value::List(vec![Value::Null])]).is_err());
        assert_eq!(
            call("format", &[s("%s:%d%%"), s("x"), Value::Int(3)]),
            Ok(s("x:3%"))
        );
        assert!(call("format", &[s("%s")]).is_err());
        assert!(call("format", &[s("%s"), s("a"), s("b")]).is_err());
        assert!(call("format", &[s("%y"), s("a")]).is_err());
    }

    #[test]
    fn split_keeps_empty_pieces() {
        assert_eq!(call("split", &[s(","), s("a,,b")]), Ok(strs(&["a", "", "b"])));
        assert_eq!(call("split", &[s(","), s("")]), Ok(strs(&[""])));
        assert_eq!(call("split", &[s(", "), s("a, b")]), Ok(strs(&["a", "b"])));
        assert_eq!(call("split", &[s(""), s("ab")]), Ok(strs(&["a", "b"])));
        assert_eq!(call("split", &[s(""), s("")]), Ok(strs(&[])));
        assert!(call("split", &[s("a,b")]).is_err());
    }

    #[test]
    fn replace_is_plain_text_only() {
        assert_eq!(
            call("replace", &[s("1 + 2 + 3"), s("+"), s("-")]),
            Ok(s("1 - 2 - 3"))
        );
        assert_eq!(call("replace", &[s("a/b"), s("/"), s("-")]), Ok(s("a-b")));
        let err = call("replace", &[s("hello"), s("/l+/"), s("L")]).expect_err("regex");
        assert!(err.contains("regular expressions"), "{err}");
        assert!(call("replace", &[s("a"), s("a")]).is_err());
    }

    #[test]
    fn trims() {
        assert_eq!(call("trimprefix", &[s("helloworld"), s("hello")]), Ok(s("world")));
        assert_eq!(call("trimprefix", &[s("hellohello"), s("hello")]), Ok(s("hello")));
        assert_eq!(call("trimprefix", &[s("world"), s("hello")]), Ok(s("world")));
        assert_eq!(call("trimsuffix", &[s("helloworld"), s("world")]), Ok(s("hello")));
        assert_eq!(call("trimspace", &[s("  hello\n\t\u{a0}")]), Ok(s("hello")));
        assert!(call("trimspace", &[Value::Null]).is_err());
    }

    #[test]
    fn substr_counts_characters_from_either_end() {
        let hw = s("hello world");
        let sub = |o: i64, l: i64| call("substr", &[hw.clone(), Value::Int(o), Value::Int(l)]);
        assert_eq!(sub(1, 4), Ok(s("ello")));
        assert_eq!(sub(-5, -1), Ok(s("world")));
        assert_eq!(sub(6, 10), Ok(s("world")));
        assert_eq!(sub(0, 0), Ok(s("")));
        assert_eq!(sub(20, 2), Ok(s("")));
        assert_eq!(sub(-20, 5), Ok(s("hello")));
        assert_eq!(sub(i64::MIN, i64::MAX), Ok(hw.clone()));
        assert_eq!(sub(i64::MAX, -1), Ok(s("")));
        assert_eq!(
            call("substr", &[s("🤔🤷"), Value::Int(0), Value::Int(1)]),
            Ok(s("🤔"))
        );
        assert!(call("substr", &[hw, Value::Int(0)]).is_err());
    }

    #[test]
    fn title_uses_gos_word_boundaries() {
        assert_eq!(call("title", &[s("hello world")]), Ok(s("Hello World")));
        assert_eq!(call("title", &[s("web-api_v2 x.y")]), Ok(s("Web-Api_v2 X.Y")));
        assert_eq!(call("title", &[s("élan vital")]), Ok(s("Élan Vital")));
    }

    #[test]
    fn predicates() {
        assert_eq!(call("startswith", &[s("hello"), s("he")]), Ok(Value::Bool(true)));
        assert_eq!(call("startswith", &[s("hello"), s("")]), Ok(Value::Bool(true)));
        assert_eq!(call("endswith", &[s("hello"), s("he")]), Ok(Value::Bool(false)));
        assert_eq!(call("strcontains", &[s("hello"), s("ll")]), Ok(Value::Bool(true)));
        assert!(call("strcontains", &[s("hello"), Value::Int(1)]).is_err());
    }

    #[test]
    fn chomp_trim_strrev() {
        assert_eq!(call("chomp", &[s("hello\n\r\n\r")]), Ok(s("hello")));
        assert_eq!(call("chomp", &[s("a\nb\n")]), Ok(s("a\nb")));
        assert_eq!(call("chomp", &[s("hello ")]), Ok(s("hello ")));
        assert_eq!(call("trim", &[s("?!hello?!"), s("!?")]), Ok(s("hello")));
        assert_eq!(call("trim", &[s("foobar"), s("far")]), Ok(s("oob")));
        assert_eq!(call("trim", &[s("  hi  "), s("")]), Ok(s("  hi  ")));
        assert!(call("trim", &[s("a")]).is_err());
        assert_eq!(call("strrev", &[s("hello")]), Ok(s("olleh")));
        assert_eq!(call("strrev", &[s("")]), Ok(s("")));
        // Combining marks, joined emoji, flags and CRLF stay whole.
        assert_eq!(call("strrev", &[s("ae\u{301}b")]), Ok(s("be\u{301}a")));
        assert_eq!(
            call("strrev", &[s("x\u{1F469}\u{200D}\u{1F4BB}y")]),
            Ok(s("y\u{1F469}\u{200D}\u{1F4BB}x"))
        );
        assert_eq!(
            call("strrev", &[s("\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}\u{1F1EE}")]),
            Ok(s("\u{1F1EE}\u{1F1E9}\u{1F1EA}\u{1F1EB}\u{1F1F7}"))
        );
        assert_eq!(call("strrev", &[s("a\r\nb")]), Ok(s("b\r\na")));
        assert_eq!(call("strrev", &[s("\u{301}a")]), Ok(s("a\u{301}")));
    }

    #[test]
    fn indent_pads_all_lines_but_the_first() {
        assert_eq!(
            call("indent", &[Value::Int(2), s("[\n  foo,\n  bar,\n]\n")]),
            Ok(s("[\n    foo,\n    bar,\n  ]\n  "))
        );
        assert_eq!(call("indent", &[Value::Int(4), s("one line")]), Ok(s("one line")));
        assert_eq!(
            call("indent", &[Value::Int(i64::MAX), s("one line")]),
            Ok(s("one line"))
        );
        assert!(call("indent", &[Value::Int(i64::MAX), s("a\nb")]).is_err());
        assert!(call("indent", &[Value::Int(-1), s("a\nb")]).is_err());
        assert!(call("indent", &[s("2"), s("a\nb")]).is_err());
    }

    #[test]
    fn regex_answers_by_capture_groups() {
        let re = |p: &str, t: &str| call("regex", &[s(p), s(t)]);
        assert_eq!(re("[a-z]+", "53453453.345345aaabbbccc23454"), Ok(s("aaabbbccc")));
        assert_eq!(
            re(r"(\d\d\d\d)-(\d\d)-(\d\d)", "2019-02-01"),
            Ok(strs(&["2019", "02", "01"]))
        );
        assert_eq!(
            re(
                "^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?",
                "https://terraform.io/docs/"
            ),
            Ok(map(&[("authority", s("terraform.io")), ("scheme", s("https"))]))
        );
        assert_eq!(re("(a)|(b)", "b"), Ok(Value::List(vec![Value::Null, s("b")])));
        assert_eq!(re("(?<x>a)?b", "b"), Ok(map(&[("x", Value::Null)])));
        let err = re("[a-z]+", "123").expect_err("no match");
        assert!(err.contains("matches no part"), "{err}");
        assert!(re("(?P<x>a)(b)", "ab").expect_err("mixed").contains("mix"));
        assert!(
            re("(", "a")
                .expect_err("invalid")
                .contains("invalid regular expression")
        );
        assert!(call("regex", &[s("a")]).is_err());
    }

    #[test]
    fn regex_classes_are_ascii_as_in_go() {
        let re = |p: &str, t: &str| call("regex", &[s(p), s(t)]);
        assert_eq!(re(r"\d+", "x٣12"), Ok(s("12")));
        assert_eq!(re(r"\w+", "é_b1"), Ok(s("_b1")));
        assert_eq!(re(r"[\w.]+", "é_b.1"), Ok(s("_b.1")));
        assert_eq!(re(r"[^\d]+", "12ab3"), Ok(s("ab")));
        assert_eq!(re(r"\S+", "\u{a0}ab c"), Ok(s("\u{a0}ab")));
        assert_eq!(re(r"\bb", "éb b"), Ok(s("b")));
        assert_eq!(re(r"\\d", r"a\d"), Ok(s(r"\d")));
        assert_eq!(re(r"\pL+", "1été"), Ok(s("été")));
    }

    #[test]
    fn regexall_answers_every_match() {
        let all = |p: &str, t: &str| call("regexall", &[s(p), s(t)]);
        assert_eq!(all("[a-z]+", "1234abcd5678efgh9"), Ok(strs(&["abcd", "efgh"])));
        assert_eq!(all("[a-z]+", "123456789"), Ok(strs(&[])));
        assert_eq!(
            all(r"(\w)=(\d)", "a=1 b=2"),
            Ok(Value::List(vec![strs(&["a", "1"]), strs(&["b", "2"])]))
        );
        // Go's empty matches: none right after a match.
        assert_eq!(all("a*", "baaac"), Ok(strs(&["", "aaa", ""])));
        assert!(all("(", "a").is_err());
    }

    #[test]
    fn urlencode_is_gos_query_escape() {
        assert_eq!(call("urlencode", &[s("Hello World!")]), Ok(s("Hello+World%21")));
        assert_eq!(call("urlencode", &[s("☃")]), Ok(s("%E2%98%83")));
        assert_eq!(
            call("urlencode", &[s("a-b_c.d~e/f?g=h&i+j")]),
            Ok(s("a-b_c.d~e%2Ff%3Fg%3Dh%26i%2Bj"))
        );
        assert!(call("urlencode", &[Value::Int(1)]).is_err());
    }
}
