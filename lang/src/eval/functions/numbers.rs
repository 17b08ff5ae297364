//! Number functions. Arithmetic is exact decimal arithmetic, checked: a
//! result past the decimal range (about ±7.9e28) is an error, never a
//! wrapped or rounded number.

use berth_provider::{Decimal, Value};

use super::decimal;

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

#[cfg(test)]
mod tests {
    use super::super::call;
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
}
