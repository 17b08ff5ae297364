//! String functions. Positions and lengths count characters (Unicode
//! scalar values), as `length` does, where Terraform counts grapheme
//! clusters: the two differ only for combining sequences such as emoji
//! with modifiers.

use berth_provider::Value;

use super::{scalar_text, strings, whole};

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

/// `format(template, values...)`: each `%s` or `%d` replaced in order;
/// `%%` is a literal `%`.
pub(super) fn format(args: &[Value]) -> Result<Value, String> {
    let [Value::String(template), args @ ..] = args else {
        return Err("`format(template, values...)` takes a template string first".into());
    };
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd') => {
                let arg = args.next().ok_or("`format` has more placeholders than values")?;
                out.push_str(&scalar_text(arg).ok_or("`format` takes strings, numbers and booleans")?);
            }
            _ => return Err("`format` knows `%s`, `%d` and `%%`".into()),
        }
    }
    if args.next().is_some() {
        return Err("`format` has more values than placeholders".into());
    }
    Ok(Value::String(out))
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

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::super::tests::{s, strs};
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
        assert!(call("format", &[s("%q"), s("a")]).is_err());
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
}
