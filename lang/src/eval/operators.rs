//! Terraform's operators on known values: arithmetic on numbers (a string
//! of digits converts, as Terraform converts it), comparisons, `==` and
//! `!=` on any two values (of different types they differ: `1 != "1"`),
//! and `!`, `&&`, `||` on booleans.

use berth_provider::{Decimal, Value};

use crate::stack::DesiredValue;
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// A condition's value as a boolean: `true`, `false`, or the strings
/// `"true"` and `"false"`, which HCL converts (CloudFormation's parameters
/// and Terraform's string variables hold flags so); None for anything else.
pub fn condition(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// `op value`; the error says what the operator takes.
pub fn unary(op: UnaryOp, value: &Value) -> Result<Value, String> {
    match (op, value) {
        (_, Value::Unknown) => Ok(Value::Unknown),
        (UnaryOp::Not, v) if let Some(b) = condition(v) => Ok(Value::Bool(!b)),
        (UnaryOp::Not, other) => Err(format!("`!` takes a bool, not a {}", other.type_name())),
        (UnaryOp::Neg, v) => {
            let n = number(v).ok_or_else(|| format!("`-` takes a number, not a {}", v.type_name()))?;
            Ok(Value::number(-n))
        }
    }
}

/// `lhs == null` or `lhs != null` where `lhs` is known only after apply
/// but never null (an id, text or a list or map holding one): answered
/// before apply, as Terraform's modules test an optional reference
/// (`lookup(each.value, "source_security_group_id", null) != null`).
/// None for any other operation.
pub fn against_null(op: BinaryOp, lhs: &DesiredValue, rhs: &DesiredValue) -> Option<Value> {
    let never_null = |v: &DesiredValue| {
        matches!(
            v,
            DesiredValue::Ref(_) | DesiredValue::Concat(_) | DesiredValue::List(_) | DesiredValue::Map(_)
        )
    };
    let null = |v: &DesiredValue| matches!(v, DesiredValue::Known(Value::Null));
    let one_null = (null(lhs) && never_null(rhs)) || (never_null(lhs) && null(rhs));
    match op {
        BinaryOp::Eq if one_null => Some(Value::Bool(false)),
        BinaryOp::NotEq if one_null => Some(Value::Bool(true)),
        _ => None,
    }
}

/// `lhs op rhs`; the error says what the operator takes.
pub fn binary(op: BinaryOp, lhs: &Value, rhs: &Value) -> Result<Value, String> {
    if matches!(lhs, Value::Unknown) || matches!(rhs, Value::Unknown) {
        return Ok(Value::Unknown);
    }
    let symbol = op.symbol();
    match op {
        BinaryOp::Eq => Ok(Value::Bool(lhs == rhs)),
        BinaryOp::NotEq => Ok(Value::Bool(lhs != rhs)),
        BinaryOp::And | BinaryOp::Or => match (condition(lhs), condition(rhs)) {
            (Some(a), Some(b)) => Ok(Value::Bool(if op == BinaryOp::And { a && b } else { a || b })),
            _ => Err(format!(
                "`{symbol}` takes two bools, not a {} and a {}",
                lhs.type_name(),
                rhs.type_name()
            )),
        },
        _ => {
            let (Some(a), Some(b)) = (number(lhs), number(rhs)) else {
                return Err(format!(
                    "`{symbol}` takes two numbers, not a {} and a {}",
                    lhs.type_name(),
                    rhs.type_name()
                ));
            };
            arithmetic(op, a, b)
        }
    }
}

fn arithmetic(op: BinaryOp, a: Decimal, b: Decimal) -> Result<Value, String> {
    let overflow = || format!("`{}` overflows", op.symbol());
    let n = match op {
        BinaryOp::Less => return Ok(Value::Bool(a < b)),
        BinaryOp::LessEq => return Ok(Value::Bool(a <= b)),
        BinaryOp::Greater => return Ok(Value::Bool(a > b)),
        BinaryOp::GreaterEq => return Ok(Value::Bool(a >= b)),
        BinaryOp::Add => a.checked_add(b).ok_or_else(overflow)?,
        BinaryOp::Sub => a.checked_sub(b).ok_or_else(overflow)?,
        BinaryOp::Mul => a.checked_mul(b).ok_or_else(overflow)?,
        BinaryOp::Div | BinaryOp::Rem if b.is_zero() => return Err("division by zero".to_owned()),
        BinaryOp::Div => a.checked_div(b).ok_or_else(overflow)?,
        BinaryOp::Rem => a.checked_rem(b).ok_or_else(overflow)?,
        BinaryOp::Eq | BinaryOp::NotEq | BinaryOp::And | BinaryOp::Or => {
            return Err(format!("`{}` is not arithmetic", op.symbol()));
        }
    };
    Ok(Value::number(n))
}

/// A number, or a string that spells one (Terraform converts it).
fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) => Some(*d),
        Value::String(s) => Decimal::from_str_exact(s.trim()).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: i64) -> Value {
        Value::Int(i)
    }

    /// An id known after apply is never null: `!= null` is known now.
    #[test]
    fn a_reference_is_never_null() {
        let id = DesiredValue::Ref(crate::stack::RefTarget {
            address: "security_group.alb".parse().expect("an address"),
            attr: "id".into(),
        });
        let null = DesiredValue::Known(Value::Null);
        assert_eq!(against_null(BinaryOp::Eq, &id, &null), Some(Value::Bool(false)));
        assert_eq!(against_null(BinaryOp::NotEq, &null, &id), Some(Value::Bool(true)));
        assert_eq!(against_null(BinaryOp::Eq, &id, &DesiredValue::Known(n(1))), None);
        assert_eq!(against_null(BinaryOp::Less, &id, &null), None);
    }

    #[test]
    fn arithmetic_and_comparisons_follow_terraform() {
        assert_eq!(binary(BinaryOp::Add, &n(1), &Value::from("2")), Ok(n(3)));
        assert_eq!(
            binary(BinaryOp::Div, &n(5), &n(2)),
            Ok(Value::number(Decimal::new(25, 1)))
        );
        assert_eq!(binary(BinaryOp::Rem, &n(7), &n(3)), Ok(n(1)));
        assert_eq!(binary(BinaryOp::Less, &n(2), &n(10)), Ok(Value::Bool(true)));
        assert!(binary(BinaryOp::Div, &n(1), &n(0)).is_err());
        assert!(binary(BinaryOp::Mul, &n(i64::MAX), &n(i64::MAX)).is_err());
        assert!(binary(BinaryOp::Add, &n(1), &Value::from("x")).is_err());
    }

    #[test]
    fn equality_compares_type_and_value() {
        assert_eq!(
            binary(BinaryOp::Eq, &Value::from("prod"), &Value::from("prod")),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            binary(BinaryOp::Eq, &n(1), &Value::from("1")),
            Ok(Value::Bool(false))
        );
        assert_eq!(binary(BinaryOp::NotEq, &n(1), &n(2)), Ok(Value::Bool(true)));
    }

    #[test]
    fn logic_takes_bools_and_unknowns_stay_unknown() {
        let t = Value::Bool(true);
        let f = Value::Bool(false);
        assert_eq!(binary(BinaryOp::And, &t, &f), Ok(f.clone()));
        assert_eq!(binary(BinaryOp::Or, &t, &f), Ok(t.clone()));
        assert_eq!(unary(UnaryOp::Not, &f), Ok(t.clone()));
        assert!(binary(BinaryOp::And, &t, &n(1)).is_err());
        assert_eq!(unary(UnaryOp::Neg, &n(3)), Ok(n(-3)));
        assert_eq!(binary(BinaryOp::Add, &Value::Unknown, &n(1)), Ok(Value::Unknown));
    }

    /// CloudFormation's flags are strings: HCL converts "true" and
    /// "false" where a bool goes (E0328 before, in a condition).
    #[test]
    fn the_strings_true_and_false_are_bools() {
        let s = |v: &str| Value::String(v.into());
        assert_eq!(condition(&s("true")), Some(true));
        assert_eq!(condition(&s("false")), Some(false));
        assert_eq!(condition(&s("yes")), None);
        assert_eq!(
            binary(BinaryOp::And, &s("true"), &Value::Bool(true)),
            Ok(Value::Bool(true))
        );
        assert_eq!(unary(UnaryOp::Not, &s("false")), Ok(Value::Bool(true)));
    }
}
