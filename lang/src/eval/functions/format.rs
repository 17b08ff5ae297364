//! `format`'s verbs, as Terraform's (cty's, after Go's `fmt`): `%v` (a
//! value's own text: a string as is, a number as written, a bool, JSON
//! for lists and maps), `%#v` (JSON), `%t`, `%d`, `%b`, `%o`, `%x`, `%X`,
//! `%e`, `%E`, `%f`, `%g`, `%G`, `%s`, `%q` (a JSON string), `%%`; flags
//! `-` (pad on the right), `+` (a sign always), ` ` (a space for the
//! sign), `0` (pad numbers with zeros) and `#` (`0x`-style prefixes);
//! width and precision (`%03d`, `%-10s`, `%.2f`, `%5.1f`); and an
//! argument's position (`%[2]s`, the next verbs reading on from there).

use berth_provider::Value;

use super::{scalar_text, whole};

/// `template` with each verb replaced by its argument of `args`.
pub(super) fn format(template: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut next = 0;
    let mut used = vec![false; args.len()];
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let spec = Spec::parse(&mut chars)?;
        let at = match spec.position {
            Some(n) => n
                .checked_sub(1)
                .ok_or("`format`'s argument positions start at `%[1]`")?,
            None => next,
        };
        let arg = args.get(at).ok_or("`format` has more placeholders than values")?;
        used[at] = true;
        next = at + 1;
        out.push_str(&spec.render(arg)?);
    }
    if used.iter().any(|u| !u) {
        return Err("`format` has more values than placeholders".into());
    }
    Ok(out)
}

/// One verb with its flags, width, precision and argument position.
#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
    position: Option<usize>,
    verb: char,
}

impl Spec {
    /// The verb after a `%` (which `chars` is past).
    fn parse(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Spec, String> {
        let mut spec = Spec::default();
        while let Some(&c) = chars.peek() {
            match c {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        spec.position = position(chars)?;
        spec.width = digits(chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(digits(chars).unwrap_or(0));
        }
        if spec.position.is_none() {
            spec.position = position(chars)?;
        }
        spec.verb = chars
            .next()
            .ok_or("`format`'s template ends in the middle of a verb")?;
        Ok(spec)
    }

    /// `arg` as the verb writes it, padded to the width.
    fn render(&self, arg: &Value) -> Result<String, String> {
        let number = |v: &Value| arg_number(v).ok_or_else(|| wrong(self.verb, "a number", v));
        let integer = |v: &Value| arg_integer(v).ok_or_else(|| wrong(self.verb, "a whole number", v));
        let (body, numeric) = match self.verb {
            'v' if self.sharp => (json(arg), false),
            'v' => match arg {
                Value::String(s) => (self.truncated(s), false),
                Value::Int(_) | Value::Decimal(_) => (self.signed(arg.to_string()), true),
                Value::Bool(b) => (b.to_string(), false),
                Value::List(_) | Value::Map(_) => (json(arg), false),
                other => return Err(wrong('v', "a value", other)),
            },
            't' => match arg {
                Value::Bool(b) => (b.to_string(), false),
                Value::String(s) if s == "true" || s == "false" => (s.clone(), false),
                other => return Err(wrong('t', "a bool", other)),
            },
            'd' => (self.signed(integer(arg)?.to_string()), true),
            'b' => (self.based(integer(arg)?, 2, "0b"), true),
            'o' => (self.based(integer(arg)?, 8, "0"), true),
            'x' => (self.based(integer(arg)?, 16, "0x"), true),
            'X' => (self.based(integer(arg)?, 16, "0X").to_uppercase(), true),
            'e' | 'E' => (
                self.signed(exponent(number(arg)?, self.precision.unwrap_or(6), self.verb)),
                true,
            ),
            'f' | 'F' => (
                self.signed(format!("{:.*}", self.precision.unwrap_or(6), number(arg)?)),
                true,
            ),
            'g' | 'G' => (self.signed(self.general(arg, number(arg)?)), true),
            's' => {
                let text = scalar_text(arg).ok_or_else(|| wrong('s', "a string", arg))?;
                (self.truncated(&text), false)
            }
            'q' => {
                let text = scalar_text(arg).ok_or_else(|| wrong('q', "a string", arg))?;
                (json(&Value::String(self.truncated(&text))), false)
            }
            other => {
                return Err(format!(
                    "`format` has no verb `%{other}` (Terraform's are %v %#v %t %d %b %o %x %X %e %E %f %g %G %s %q and %%)"
                ));
            }
        };
        Ok(self.padded(body, numeric))
    }

    /// A number's text with the sign the flags ask for.
    fn signed(&self, text: String) -> String {
        if text.starts_with('-') {
            text
        } else if self.plus {
            format!("+{text}")
        } else if self.space {
            format!(" {text}")
        } else {
            text
        }
    }

    /// An integer in `radix`, with `prefix` under `#`.
    fn based(&self, n: i64, radix: u32, prefix: &str) -> String {
        let digits = match radix {
            2 => format!("{:b}", n.unsigned_abs()),
            8 => format!("{:o}", n.unsigned_abs()),
            _ => format!("{:x}", n.unsigned_abs()),
        };
        let prefix = if self.sharp { prefix } else { "" };
        let sign = if n < 0 { "-" } else { "" };
        self.signed(format!("{sign}{prefix}{digits}"))
    }

    /// `%g`: the number as written without a precision, else that many
    /// significant digits, in exponent form when the exponent is below -4
    /// or not below the precision.
    fn general(&self, arg: &Value, n: f64) -> String {
        let Some(precision) = self.precision else {
            return arg.to_string();
        };
        let precision = precision.max(1);
        let exp = if n == 0.0 {
            0
        } else {
            n.abs().log10().floor() as i64
        };
        if exp < -4 || exp >= precision as i64 {
            exponent(n, precision - 1, if self.verb == 'G' { 'E' } else { 'e' })
        } else {
            let decimals = (precision as i64 - 1 - exp).max(0) as usize;
            let text = format!("{n:.decimals$}");
            match text.contains('.') {
                true => text.trim_end_matches('0').trim_end_matches('.').to_owned(),
                false => text,
            }
        }
    }

    /// `text` cut to the precision, in characters.
    fn truncated(&self, text: &str) -> String {
        match self.precision {
            Some(p) => text.chars().take(p).collect(),
            None => text.to_owned(),
        }
    }

    /// `body` padded to the width: on the right under `-`, with zeros
    /// after the sign for a number under `0`, else with spaces on the left.
    fn padded(&self, body: String, numeric: bool) -> String {
        let len = body.chars().count();
        let Some(width) = self.width.filter(|w| *w > len) else {
            return body;
        };
        let fill = width - len;
        if self.left {
            format!("{body}{}", " ".repeat(fill))
        } else if self.zero && numeric {
            let sign = body.chars().next().filter(|c| matches!(c, '-' | '+' | ' '));
            let digits = if sign.is_some() { &body[1..] } else { &body[..] };
            format!(
                "{}{}{digits}",
                sign.map(String::from).unwrap_or_default(),
                "0".repeat(fill)
            )
        } else {
            format!("{}{body}", " ".repeat(fill))
        }
    }
}

/// `[N]`, an argument's position, when `chars` starts with it.
fn position(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Option<usize>, String> {
    if chars.peek() != Some(&'[') {
        return Ok(None);
    }
    chars.next();
    let n = digits(chars).ok_or("`format`'s `%[N]` takes a number")?;
    if chars.next() != Some(']') {
        return Err("`format`'s `%[N]` ends with `]`".into());
    }
    Ok(Some(n))
}

/// The decimal number `chars` starts with, if any.
fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
    }
    n
}

/// `n` in exponent form as Go writes it: `1.500000e+03`.
fn exponent(n: f64, precision: usize, verb: char) -> String {
    let text = format!("{n:.precision$e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let e = if verb == 'E' { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{e}{sign}{:02}", exp.abs())
}

/// A number argument, or a string that is one (Terraform converts).
fn arg_number(v: &Value) -> Option<f64> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        other => other.as_f64(),
    }
}

/// A whole number argument, or a string that is one.
fn arg_integer(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        other => whole(other),
    }
}

/// `v` as `jsonencode` writes it.
fn json(v: &Value) -> String {
    let mut out = String::new();
    super::encoding::write_json(v, &mut out);
    out
}

/// The error of a verb given what it cannot format.
fn wrong(verb: char, wants: &str, got: &Value) -> String {
    format!("`format`'s `%{verb}` takes {wants}, not a {}", got.type_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(template: &str, args: &[Value]) -> Result<String, String> {
        format(template, args)
    }

    /// cloudposse keys its policy map with `format("_#%v_", i)`: E0316
    /// before (`format` knew `%s`, `%d` and `%%` only).
    #[test]
    fn terraforms_verbs_write_what_terraform_writes() {
        let s = |t: &str| Value::String(t.into());
        let d = |t: &str| Value::number(t.parse().expect("a decimal"));
        let list = Value::List(vec![Value::Int(1), s("a")]);
        for (template, args, want) in [
            ("_#%v_", vec![Value::Int(0)], "_#0_"),
            (
                "%v %v %v",
                vec![s("x"), Value::Bool(true), list.clone()],
                r#"x true [1,"a"]"#,
            ),
            ("%#v", vec![s("x")], r#""x""#),
            (
                "%03d|%-4d|%+d|% d",
                vec![Value::Int(7), Value::Int(7), Value::Int(7), Value::Int(7)],
                "007|7   |+7| 7",
            ),
            ("%05d", vec![Value::Int(-42)], "-0042"),
            (
                "%b %o %x %X %#x",
                vec![
                    Value::Int(5),
                    Value::Int(8),
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(255),
                ],
                "101 10 ff FF 0xff",
            ),
            ("%.2f %f", vec![d("3.14159"), Value::Int(2)], "3.14 2.000000"),
            (
                "%e %.2E",
                vec![Value::Int(1500), d("0.000123")],
                "1.500000e+03 1.23E-04",
            ),
            (
                "%g %.3g %.3g",
                vec![d("1.5"), d("1234.5"), d("3.0")],
                "1.5 1.23e+03 3",
            ),
            (
                "%5s|%-5s|%.2s",
                vec![s("ab"), s("ab"), s("abc")],
                "   ab|ab   |ab",
            ),
            ("%q %t", vec![s("a\"b"), s("true")], r#""a\"b" true"#),
            ("%[2]s-%[1]s-%s", vec![s("a"), s("b")], "b-a-b"),
            ("100%%", vec![], "100%"),
            ("%d", vec![s("12")], "12"),
        ] {
            assert_eq!(f(template, &args).as_deref(), Ok(want), "{template}");
        }
    }

    #[test]
    fn a_verb_given_what_it_cannot_write_says_so() {
        let s = |t: &str| Value::String(t.into());
        let d = |t: &str| Value::number(t.parse().expect("a decimal"));
        for (template, args, error) in [
            (
                "%d",
                vec![s("x")],
                "`format`'s `%d` takes a whole number, not a string",
            ),
            (
                "%d",
                vec![d("1.5")],
                "`format`'s `%d` takes a whole number, not a number",
            ),
            (
                "%s %s",
                vec![s("x")],
                "`format` has more placeholders than values",
            ),
            (
                "%s",
                vec![s("x"), s("y")],
                "`format` has more values than placeholders",
            ),
            (
                "%y",
                vec![s("x")],
                "`format` has no verb `%y` (Terraform's are %v %#v %t %d %b %o %x %X %e %E %f %g %G %s %q and %%)",
            ),
            (
                "%[0]s",
                vec![s("x")],
                "`format`'s argument positions start at `%[1]`",
            ),
            ("%", vec![], "`format`'s template ends in the middle of a verb"),
        ] {
            assert_eq!(f(template, &args), Err(error.to_owned()), "{template}");
        }
    }
}
