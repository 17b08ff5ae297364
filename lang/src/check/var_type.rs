//! A variable's declared `type`, in Terraform's spelling (`number`,
//! `list(string)`, `map(number)`, `object({ port = number })`, the legacy
//! `"string"`), and the conversions Terraform makes to it: `"3"` is a
//! number for `type = number`, `3` a string for `type = string`.

use std::collections::BTreeMap;
use std::fmt;

use berth_provider::{Decimal, Value};

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Expr, ExprKind, StrPart};

/// A type constraint on a variable's value.
#[derive(Debug, Clone, PartialEq)]
pub enum VarType {
    Any,
    String,
    Number,
    Bool,
    /// `list(T)`, and `set(T)` whose repeated elements are dropped.
    List {
        element: Box<VarType>,
        set: bool,
    },
    Map(Box<VarType>),
    Tuple(Vec<VarType>),
    Object(BTreeMap<String, Field>),
}

/// One attribute of an `object({ ... })` type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub ty: VarType,
    /// `optional(T)`: a value without the attribute gets `null`.
    pub optional: bool,
    /// `optional(T, DEFAULT)`: what a value without the attribute, or with
    /// it `null`, gets instead (Terraform 1.3's).
    pub default: Option<Value>,
}

const PRIMITIVES: &str =
    "string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]), object({ NAME = T })";

impl VarType {
    /// Reads a `type = ...` expression (E0323 when it names no type).
    pub fn parse(expr: &Expr) -> Result<VarType, Diagnostic> {
        match &expr.kind {
            ExprKind::Traversal(t) if t.steps.is_empty() => match t.root.name.as_str() {
                "string" => Ok(VarType::String),
                "number" => Ok(VarType::Number),
                "bool" => Ok(VarType::Bool),
                "any" => Ok(VarType::Any),
                // Terraform's legacy bare collection types, still taken
                // there: `list(any)`, `map(any)`, `set(any)`.
                "list" => Ok(VarType::list(VarType::Any)),
                "map" => Ok(VarType::Map(Box::new(VarType::Any))),
                "set" => Ok(VarType::List {
                    element: Box::new(VarType::Any),
                    set: true,
                }),
                _ => Err(unknown(expr, "not a type")),
            },
            // Terraform 0.11's quoted types.
            ExprKind::String(parts) => match parts.as_slice() {
                [StrPart::Lit(s)] if s == "string" => Ok(VarType::String),
                [StrPart::Lit(s)] if s == "list" => Ok(VarType::list(VarType::Any)),
                [StrPart::Lit(s)] if s == "map" => Ok(VarType::Map(Box::new(VarType::Any))),
                _ => Err(unknown(expr, "not a type").help(
                    "write the type without quotes (`type = string`); quoted types are only \"string\", \"list\" and \"map\"",
                )),
            },
            ExprKind::Call(call) => {
                let one = || match call.args.as_slice() {
                    [arg] => Ok(arg),
                    _ => Err(unknown(expr, "takes one argument")),
                };
                match call.name.name.as_str() {
                    "list" => Ok(VarType::list(VarType::parse(one()?)?)),
                    "set" => Ok(VarType::List {
                        element: Box::new(VarType::parse(one()?)?),
                        set: true,
                    }),
                    "map" => Ok(VarType::Map(Box::new(VarType::parse(one()?)?))),
                    "tuple" => match &one()?.kind {
                        ExprKind::List(items) => {
                            items.iter().map(VarType::parse).collect::<Result<_, _>>().map(VarType::Tuple)
                        }
                        _ => Err(unknown(expr, "takes a list of types")),
                    },
                    "object" => match &one()?.kind {
                        ExprKind::Map(entries) => entries
                            .iter()
                            .map(|e| Ok((e.key.name.clone(), Field::parse(&e.value)?)))
                            .collect::<Result<_, _>>()
                            .map(VarType::Object),
                        _ => Err(unknown(expr, "takes a map of attribute types")),
                    },
                    _ => Err(unknown(expr, "not a type")),
                }
            }
            _ => Err(unknown(expr, "not a type")),
        }
    }

    fn list(element: VarType) -> VarType {
        VarType::List {
            element: Box::new(element),
            set: false,
        }
    }

    /// Whether a value of this type is written as text on the command line
    /// (`--var env=prod`), not as a `.berth` expression.
    pub fn takes_text(&self) -> bool {
        *self == VarType::String
    }

    /// `value` converted to this type as Terraform converts it; `None`
    /// when it cannot be.
    pub fn convert(&self, value: Value) -> Option<Value> {
        if matches!(value, Value::Null | Value::Unknown) {
            return Some(value);
        }
        match (self, value) {
            (VarType::Any, v) => Some(v),
            (VarType::String, Value::String(s)) => Some(Value::String(s)),
            (VarType::String, v @ (Value::Int(_) | Value::Decimal(_) | Value::Bool(_))) => {
                Some(Value::String(v.to_string()))
            }
            (VarType::Number, v @ (Value::Int(_) | Value::Decimal(_))) => Some(v),
            (VarType::Number, Value::String(s)) => Decimal::from_str_exact(s.trim()).ok().map(Value::number),
            (VarType::Bool, Value::Bool(b)) => Some(Value::Bool(b)),
            (VarType::Bool, Value::String(s)) => match s.as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            (VarType::List { element, set }, Value::List(items)) => {
                let mut out: Vec<Value> = Vec::with_capacity(items.len());
                for item in items {
                    let item = element.convert(item)?;
                    if !*set || !out.contains(&item) {
                        out.push(item);
                    }
                }
                Some(Value::List(out))
            }
            (VarType::Tuple(types), Value::List(items)) if types.len() == items.len() => types
                .iter()
                .zip(items)
                .map(|(t, v)| t.convert(v))
                .collect::<Option<_>>()
                .map(Value::List),
            (VarType::Map(element), Value::Map(entries)) => entries
                .into_iter()
                .map(|(k, v)| Some((k, element.convert(v)?)))
                .collect::<Option<_>>()
                .map(Value::Map),
            (VarType::Object(fields), Value::Map(mut entries)) => {
                let mut out = BTreeMap::new();
                for (name, field) in fields {
                    let value = match (entries.remove(name), &field.default) {
                        (None | Some(Value::Null), Some(default)) => field.ty.convert(default.clone())?,
                        (Some(v), _) => field.ty.convert(v)?,
                        (None, None) if field.optional => Value::Null,
                        (None, None) => return None,
                    };
                    out.insert(name.clone(), value);
                }
                Some(Value::Map(out))
            }
            _ => None,
        }
    }
}

/// The type as written in a stack, for messages: `list(number)`.
impl fmt::Display for VarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VarType::Any => f.write_str("any"),
            VarType::String => f.write_str("string"),
            VarType::Number => f.write_str("number"),
            VarType::Bool => f.write_str("bool"),
            VarType::List { element, set: false } => write!(f, "list({element})"),
            VarType::List { element, set: true } => write!(f, "set({element})"),
            VarType::Map(element) => write!(f, "map({element})"),
            VarType::Tuple(types) => {
                f.write_str("tuple([")?;
                for (i, t) in types.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str("])")
            }
            VarType::Object(fields) => {
                f.write_str("object({")?;
                for (i, (name, field)) in fields.iter().enumerate() {
                    let sep = if i > 0 { "," } else { "" };
                    match (field.optional, &field.default) {
                        (true, Some(d)) => write!(f, "{sep} {name} = optional({}, {d})", field.ty)?,
                        (true, None) => write!(f, "{sep} {name} = optional({})", field.ty)?,
                        (false, _) => write!(f, "{sep} {name} = {}", field.ty)?,
                    }
                }
                f.write_str(" })")
            }
        }
    }
}

impl Field {
    fn parse(expr: &Expr) -> Result<Field, Diagnostic> {
        match &expr.kind {
            ExprKind::Call(call) if call.name.name == "optional" => match call.args.as_slice() {
                [ty] => Ok(Field {
                    ty: VarType::parse(ty)?,
                    optional: true,
                    default: None,
                }),
                [ty, default] => {
                    let ty = VarType::parse(ty)?;
                    let value = crate::eval::constant(default).and_then(|v| ty.convert(v)).ok_or_else(|| {
                        unknown(default, "not a value of the type written out")
                            .help("an optional attribute's default is a constant of its type: `optional(number, 256)`")
                    })?;
                    Ok(Field {
                        ty,
                        optional: true,
                        default: Some(value),
                    })
                }
                _ => Err(unknown(expr, "takes a type and, optionally, a default")
                    .help("write `optional(number)` or `optional(number, 256)`")),
            },
            _ => Ok(Field {
                ty: VarType::parse(expr)?,
                optional: false,
                default: None,
            }),
        }
    }
}

fn unknown(expr: &Expr, label: &str) -> Diagnostic {
    Diagnostic::error("E0323", "unknown variable type", expr.span)
        .label(label)
        .help(format!("types are {PRIMITIVES}"))
}
