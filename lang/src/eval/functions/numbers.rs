//! Number functions. Arithmetic is exact decimal arithmetic, checked: a
//! result past the decimal range (about ±7.9e28) is an error, never a
//! wrapped or rounded number.

use std::cmp::Ordering;

use berth_provider::{Decimal, Value};

use super::{decimal, whole};

/// Terraform's cap on `range`'s length: the list is built in memory, and
/// `range` is meant for small lists of indexes.
const RANGE_MAX: usize = 1024;

/// The numbers of a call, or the error naming `usage`.
fn numbers(args: &[Value], usage: &str) -> Result<Vec<Decimal>, String> {
    args.iter()
        .map(|a| decimal(a).ok_or_else(|| format!("`{usage}` takes numbers, not a {}", a.type_name())))
        .collect()
}

/// The one number of a call of `name(number)`.
fn one_number(args: &[Value], name: &str) -> Result<Decimal, String> {
    match args {
        [a] => decimal(a).ok_or_else(|| format!("`{name}(number)` takes a number, not a {}", a.type_name())),
        _ => Err(format!("`{name}(number)` takes one number")),
    }
}

/// `abs(number)`.
pub(super) fn abs(args: &[Value]) -> Result<Value, String> {
    Ok(Value::number(one_number(args, "abs")?.abs()))
}

/// `ceil(number)`: the closest whole number not below.
pub(super) fn ceil(args: &[Value]) -> Result<Value, String> {
    Ok(Value::number(one_number(args, "ceil")?.ceil()))
}

/// `floor(number)`: the closest whole number not above.
pub(super) fn floor(args: &[Value]) -> Result<Value, String> {
    Ok(Value::number(one_number(args, "floor")?.floor()))
}

/// `min(numbers...)`.
pub(super) fn min(args: &[Value]) -> Result<Value, String> {
    let ns = numbers(args, "min(numbers...)")?;
    ns.into_iter()
        .min()
        .map(Value::number)
        .ok_or_else(|| "`min(numbers...)` takes at least one number".into())
}

/// `max(numbers...)`.
pub(super) fn max(args: &[Value]) -> Result<Value, String> {
    let ns = numbers(args, "max(numbers...)")?;
    ns.into_iter()
        .max()
        .map(Value::number)
        .ok_or_else(|| "`max(numbers...)` takes at least one number".into())
}

/// `sum(list)`: the total of a list of numbers.
pub(super) fn sum(args: &[Value]) -> Result<Value, String> {
    let [Value::List(items)] = args else {
        return Err("`sum(list)` takes one list of numbers".into());
    };
    if items.is_empty() {
        return Err("`sum` cannot sum an empty list".into());
    }
    let mut total = Decimal::ZERO;
    for n in numbers(items, "sum(list)")? {
        total = total.checked_add(n).ok_or("`sum` overflows")?;
    }
    Ok(Value::number(total))
}

/// `range(end)`, `range(start, end)`, `range(start, end, step)`: the
/// numbers from `start` (default 0) towards `end`, excluded, by `step`
/// (default 1, or -1 when `end` is below `start`).
pub(super) fn range(args: &[Value]) -> Result<Value, String> {
    let ns = numbers(args, "range(start, end, step)")?;
    let one = Decimal::ONE;
    let (start, end, step) = match ns[..] {
        [end] => (Decimal::ZERO, end, if end < Decimal::ZERO { -one } else { one }),
        [start, end] => (start, end, if end < start { -one } else { one }),
        [start, end, step] => (start, end, step),
        _ => return Err("`range` takes one, two or three numbers: `range(start, end, step)`".into()),
    };
    if step.is_zero() {
        return Err("`range` step must not be zero".into());
    }
    let down = step < Decimal::ZERO;
    if down && end > start {
        return Err("`range` end must be below start when the step is negative".into());
    }
    if !down && end < start {
        return Err("`range` end must be above start when the step is positive".into());
    }
    let mut out = Vec::new();
    let mut n = start;
    while if down { n > end } else { n < end } {
        if out.len() >= RANGE_MAX {
            return Err(format!(
                "`range` would make more than {RANGE_MAX} numbers; bring start and end closer or take a larger step"
            ));
        }
        out.push(Value::number(n));
        n = match n.checked_add(step) {
            Some(next) => next,
            // Past the decimal range is past `end` too.
            None => break,
        };
    }
    Ok(Value::List(out))
}

/// `signum(number)`: -1, 0 or 1, the sign of a whole number (Terraform's
/// takes whole numbers only).
pub(super) fn signum(args: &[Value]) -> Result<Value, String> {
    let n = one_number(args, "signum")?;
    if !n.fract().is_zero() {
        return Err(format!("`signum` takes a whole number, not {n}"));
    }
    Ok(Value::Int(match n.cmp(&Decimal::ZERO) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

/// `pow(base, exponent)`: `base` to the power `exponent`. A whole exponent
/// gives the exact result (beyond the 28 decimal places of the language's
/// numbers, rounded); a fractional one goes through binary floating
/// point, as all of Terraform's do (`pow(2, 0.5)` = `1.4142135623730951`).
pub(super) fn pow(args: &[Value]) -> Result<Value, String> {
    let usage = "`pow(base, exponent)` takes two numbers";
    let [base, exponent] = args else {
        return Err(usage.into());
    };
    let Some(b) = decimal(base) else {
        return Err(usage.into());
    };
    let out_of_range = || format!("`pow({base}, {exponent})` is out of the range of numbers");
    match (whole(exponent), base.as_f64(), exponent.as_f64()) {
        (Some(e), _, _) => exact_pow(b, e).map(Value::number).ok_or_else(out_of_range),
        (None, Some(b), Some(e)) => Value::from_f64(b.powf(e)).ok_or_else(out_of_range),
        _ => Err(usage.into()),
    }
}

/// `base` to a whole power by squaring; `None` past the decimal range (or
/// for 0 to a negative power).
fn exact_pow(base: Decimal, exponent: i64) -> Option<Decimal> {
    let mut base = if exponent < 0 {
        Decimal::ONE.checked_div(base)?
    } else {
        base
    };
    let mut n = exponent.unsigned_abs();
    let mut acc = Decimal::ONE;
    while n > 0 {
        if n & 1 == 1 {
            acc = acc.checked_mul(base)?;
        }
        n >>= 1;
        // A square is only taken when a later bit needs it: its overflow
        // is the result's.
        if n > 0 {
            base = base.checked_mul(base)?;
        }
    }
    Some(acc)
}

/// `parseint(string, base)`: the whole number the string spells in `base`
/// (2 to 62), with an optional sign: digits, then letters, `a` to `z` for
/// 10 to 35 in either case up to base 36; above it, `A` to `Z` are 36 to
/// 61 (`parseint("FF", 16)` = `255`, `parseint("-1010", 2)` = `-10`).
pub(super) fn parseint(args: &[Value]) -> Result<Value, String> {
    let usage = "`parseint(text, base)` takes a string and a whole number";
    let [text, base] = args else {
        return Err(usage.into());
    };
    let Value::String(text) = text else {
        return Err(format!("`parseint` parses a string, not a {}", text.type_name()));
    };
    let base = whole(base).ok_or(usage)?;
    if !(2..=62).contains(&base) {
        return Err(format!("`parseint` base must be from 2 to 62, not {base}"));
    }
    // 2 <= base <= 62.
    let base = base as u32;
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let invalid = || format!("`parseint` cannot read \"{text}\" as a base {base} whole number");
    if digits.is_empty() {
        return Err(invalid());
    }
    let too_big = || format!("`parseint`: \"{text}\" is out of the range of numbers");
    let mut n: i128 = 0;
    for c in digits.chars() {
        let d = digit_value(c, base).ok_or_else(invalid)?;
        n = n
            .checked_mul(i128::from(base))
            .and_then(|n| n.checked_add(i128::from(d)))
            .ok_or_else(too_big)?;
    }
    let n = if negative { -n } else { n };
    Decimal::try_from_i128_with_scale(n, 0)
        .map(Value::number)
        .map_err(|_| too_big())
}

/// The value of a digit in `base`, as Go's `big.Int` reads digits.
fn digit_value(c: char, base: u32) -> Option<u32> {
    let v = match c {
        '0'..='9' => u32::from(c) - u32::from('0'),
        'a'..='z' => u32::from(c) - u32::from('a') + 10,
        'A'..='Z' if base <= 36 => u32::from(c) - u32::from('A') + 10,
        'A'..='Z' => u32::from(c) - u32::from('A') + 36,
        _ => return None,
    };
    (v < base).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::super::call_exact as call;
    use super::super::tests::{list, num, s};
    use berth_provider::Value;

    fn nums(items: &[&str]) -> Value {
        list(&items.iter().map(|i| num(i)).collect::<Vec<_>>())
    }

    #[test]
    fn abs_ceil_floor() {
        assert_eq!(call("abs", &[num("-12.4")]), Ok(num("12.4")));
        assert_eq!(
            call("abs", &[Value::Int(i64::MIN)]),
            Ok(num("9223372036854775808"))
        );
        assert_eq!(call("ceil", &[num("5.1")]), Ok(Value::Int(6)));
        assert_eq!(call("ceil", &[num("-5.1")]), Ok(Value::Int(-5)));
        assert_eq!(call("floor", &[num("4.9")]), Ok(Value::Int(4)));
        assert_eq!(call("floor", &[Value::Int(5)]), Ok(Value::Int(5)));
        assert!(call("abs", &[s("1")]).is_err());
        assert!(call("floor", &[]).is_err());
    }

    #[test]
    fn min_max_sum() {
        assert_eq!(
            call("min", &[Value::Int(12), Value::Int(54), num("3.5")]),
            Ok(num("3.5"))
        );
        assert_eq!(
            call("max", &[Value::Int(12), Value::Int(54), num("3.5")]),
            Ok(Value::Int(54))
        );
        assert!(call("min", &[]).is_err());
        assert!(call("max", &[Value::Int(1), s("2")]).is_err());
        assert_eq!(call("sum", &[nums(&["10", "13", "6", "4.5"])]), Ok(num("33.5")));
        assert!(call("sum", &[nums(&[])]).is_err());
        assert!(call("sum", &[list(&[s("1")])]).is_err());
        let huge = list(&vec![num("70000000000000000000000000000"); 2]);
        assert!(call("sum", &[huge]).is_err());
    }

    #[test]
    fn range_like_terraform() {
        let r = |args: &[&str]| call("range", &args.iter().map(|a| num(a)).collect::<Vec<_>>());
        assert_eq!(r(&["3"]), Ok(nums(&["0", "1", "2"])));
        assert_eq!(r(&["1", "4"]), Ok(nums(&["1", "2", "3"])));
        assert_eq!(r(&["1", "8", "2"]), Ok(nums(&["1", "3", "5", "7"])));
        assert_eq!(
            r(&["1", "4", "0.5"]),
            Ok(nums(&["1", "1.5", "2", "2.5", "3", "3.5"]))
        );
        assert_eq!(r(&["4", "1"]), Ok(nums(&["4", "3", "2"])));
        assert_eq!(r(&["10", "5", "-2"]), Ok(nums(&["10", "8", "6"])));
        assert_eq!(r(&["-3"]), Ok(nums(&["0", "-1", "-2"])));
        assert_eq!(r(&["0"]), Ok(nums(&[])));
        assert!(r(&["1", "4", "0"]).is_err());
        assert!(r(&["1", "4", "-1"]).is_err());
        assert!(r(&["4", "1", "1"]).is_err());
        assert!(r(&["2000"]).is_err());
        assert!(r(&["1", "2", "3", "4"]).is_err());
        assert!(r(&[]).is_err());
        assert_eq!(
            r(&["1024"]).map(|l| l.as_list().map(<[Value]>::len)),
            Ok(Some(1024))
        );
        let top = "79228162514264337593543950335";
        assert_eq!(r(&[top, top]), Ok(nums(&[])));
        assert!(r(&["79228162514264337593543950000", top, "1"]).is_ok());
    }

    #[test]
    fn signum_of_whole_numbers() {
        assert_eq!(call("signum", &[Value::Int(-13)]), Ok(Value::Int(-1)));
        assert_eq!(call("signum", &[Value::Int(0)]), Ok(Value::Int(0)));
        assert_eq!(call("signum", &[Value::Int(344)]), Ok(Value::Int(1)));
        assert_eq!(
            call("signum", &[num("-99999999999999999999")]),
            Ok(Value::Int(-1))
        );
        assert!(call("signum", &[num("0.5")]).is_err());
        assert!(call("signum", &[s("1")]).is_err());
    }

    #[test]
    fn pow_exact_for_whole_exponents() {
        let pow = |b: &str, e: &str| call("pow", &[num(b), num(e)]);
        assert_eq!(pow("3", "2"), Ok(Value::Int(9)));
        assert_eq!(pow("4", "0"), Ok(Value::Int(1)));
        assert_eq!(pow("0", "0"), Ok(Value::Int(1)));
        assert_eq!(pow("2", "-2"), Ok(num("0.25")));
        assert_eq!(pow("10", "-3"), Ok(num("0.001")));
        assert_eq!(pow("-2", "3"), Ok(Value::Int(-8)));
        assert_eq!(pow("1.5", "2"), Ok(num("2.25")));
        assert_eq!(pow("2", "62"), Ok(Value::Int(1 << 62)));
        assert_eq!(pow("2", "64"), Ok(num("18446744073709551616")));
        assert_eq!(pow("1", "99999999999999999999"), Ok(Value::Int(1)));
        assert_eq!(pow("4", "0.5"), Ok(Value::Int(2)));
        assert_eq!(pow("2", "0.5"), Ok(num("1.4142135623730951")));
        assert!(pow("2", "100").is_err());
        assert!(pow("0", "-1").is_err());
        assert!(pow("-8", "0.5").is_err());
        assert!(pow("10", "99999999999999999999").is_err());
        assert!(call("pow", &[num("2")]).is_err());
        assert!(call("pow", &[s("2"), num("2")]).is_err());
    }

    #[test]
    fn parseint_reads_bases_2_to_62() {
        let parse = |t: &str, b: i64| call("parseint", &[s(t), Value::Int(b)]);
        assert_eq!(parse("100", 10), Ok(Value::Int(100)));
        assert_eq!(parse("FF", 16), Ok(Value::Int(255)));
        assert_eq!(parse("ff", 16), Ok(Value::Int(255)));
        assert_eq!(parse("-10", 16), Ok(Value::Int(-16)));
        assert_eq!(parse("+1010", 2), Ok(Value::Int(10)));
        assert_eq!(parse("zz", 36), Ok(Value::Int(1295)));
        assert_eq!(parse("Zz", 62), Ok(Value::Int(61 * 62 + 35)));
        assert_eq!(parse("0007", 8), Ok(Value::Int(7)));
        assert_eq!(parse("ffffffffffffffff", 16), Ok(num("18446744073709551615")));
        for (bad, base) in [
            ("12", 2),
            ("0x10", 16),
            ("", 10),
            ("-", 10),
            ("1_000", 10),
            (" 1", 10),
            ("1.5", 10),
            ("Z", 35),
        ] {
            assert!(parse(bad, base).is_err(), "{bad:?} in base {base}");
        }
        assert!(parse("1", 1).is_err());
        assert!(parse("1", 63).is_err());
        assert!(parse(&"f".repeat(40), 16).is_err());
        assert!(call("parseint", &[Value::Int(10), Value::Int(10)]).is_err());
        assert!(call("parseint", &[s("10")]).is_err());
    }
}
