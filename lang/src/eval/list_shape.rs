//! Functions that read only a list's shape, so they take lists holding
//! values AWS knows only after apply: Terraform's
//! `element(aws_subnet.private[*].id, count.index)`,
//! `concat([subnet.a.id], var.extra)`, `length(subnet.private[*].id)`,
//! `one(lb.this[*].arn)`.
//! The result holds the same values, known or not.

use berth_provider::Value;

use crate::stack::DesiredValue;

/// `name(args)` when `name` reads only the shape of lists whose shape is
/// known; `None` otherwise (the caller reports the unknown argument).
pub(super) fn call(name: &str, args: &[DesiredValue]) -> Option<DesiredValue> {
    match (name, args) {
        ("concat", lists) if !lists.is_empty() => {
            let mut out = Vec::new();
            for list in lists {
                out.extend(items(list)?);
            }
            Some(DesiredValue::list(out))
        }
        ("element", [list, DesiredValue::Known(Value::Int(i))]) if *i >= 0 => {
            let items = items(list)?;
            let len = i64::try_from(items.len()).ok().filter(|n| *n > 0)?;
            let at = usize::try_from(i % len).ok()?;
            items.into_iter().nth(at)
        }
        ("length", [list]) => {
            let n = i64::try_from(items(list)?.len()).ok()?;
            Some(DesiredValue::Known(Value::Int(n)))
        }
        // `one(lb.this[*].arn)` of a resource made when a flag says so:
        // its one element, or null for none (more is the function's own
        // error, left to it).
        ("one", [list]) => match <[DesiredValue; 1]>::try_from(items(list)?) {
            Ok([one]) => Some(one),
            Err(rest) if rest.is_empty() => Some(DesiredValue::Known(Value::Null)),
            Err(_) => None,
        },
        _ => None,
    }
}

/// The elements of a list whose shape is known.
fn items(v: &DesiredValue) -> Option<Vec<DesiredValue>> {
    match v {
        DesiredValue::List(items) => Some(items.clone()),
        DesiredValue::Known(Value::List(items)) => {
            Some(items.iter().cloned().map(DesiredValue::Known).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::RefTarget;

    fn unknown(name: &str) -> DesiredValue {
        DesiredValue::Ref(RefTarget {
            address: format!("subnet.{name}").parse().expect("an address"),
            attr: "id".into(),
        })
    }

    #[test]
    fn lists_of_unknown_values_keep_them() {
        let list = DesiredValue::List(vec![unknown("a"), unknown("b")]);
        let known = DesiredValue::Known(Value::List(vec![Value::from("x")]));
        assert_eq!(
            call("concat", &[list.clone(), known]),
            Some(DesiredValue::List(vec![
                unknown("a"),
                unknown("b"),
                DesiredValue::Known(Value::from("x"))
            ]))
        );
        assert_eq!(
            call("element", &[list.clone(), DesiredValue::Known(Value::Int(3))]),
            Some(unknown("b"))
        );
        assert_eq!(
            call("length", std::slice::from_ref(&list)),
            Some(DesiredValue::Known(Value::Int(2)))
        );
        assert_eq!(
            call("one", &[DesiredValue::List(vec![unknown("a")])]),
            Some(unknown("a"))
        );
        assert_eq!(
            call("one", &[DesiredValue::List(vec![])]),
            Some(DesiredValue::Known(Value::Null))
        );
        assert_eq!(call("one", std::slice::from_ref(&list)), None);
        assert_eq!(
            call(
                "element",
                &[DesiredValue::List(vec![]), DesiredValue::Known(Value::Int(0))]
            ),
            None
        );
        assert_eq!(call("join", &[DesiredValue::Known(Value::from(",")), list]), None);
        assert_eq!(call("concat", &[unknown("a")]), None);
    }
}
