//! The syntax tree of a `.berth` file. Every node keeps its byte span.

use crate::source::Span;

/// A parsed file: its top-level blocks and every comment, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub blocks: Vec<Block>,
    pub comments: Vec<Span>,
}

/// `KIND LABEL { body }`, at top level or nested.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: Ident,
    /// The word between the kind and the label of a top-level block that
    /// has two (`data vpc main`: `vpc`); only `data` blocks take one.
    pub subkind: Option<Ident>,
    pub label: Option<Label>,
    pub body: Vec<Item>,
    pub span: Span,
}

/// A block's label: a name, or a string for `stack "blog-${var.env}"`.
#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    Ident(Ident),
    String(Expr),
}

impl Label {
    pub fn span(&self) -> Span {
        match self {
            Label::Ident(i) => i.span,
            Label::String(e) => e.span,
        }
    }

    /// The name it gives, when it is text written out: a bare name, or a
    /// quoted one without interpolation.
    pub fn text(&self) -> Option<&str> {
        match self {
            Label::Ident(i) => Some(&i.name),
            Label::String(e) => match &e.kind {
                ExprKind::String(parts) => match parts.as_slice() {
                    [StrPart::Lit(s)] => Some(s),
                    _ => None,
                },
                _ => None,
            },
        }
    }
}

/// One entry of a block body.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attribute(Attribute),
    Block(Block),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Attribute(a) => a.span,
            Item::Block(b) => b.span,
        }
    }
}

/// `name = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// The string literal `text`, written at `span` (a value a rewrite
    /// makes).
    pub fn text(text: &str, span: Span) -> Expr {
        Expr {
            kind: ExprKind::String(vec![StrPart::Lit(text.to_owned())]),
            span,
        }
    }

    /// What a string of one interpolation holds (Terraform 0.11's
    /// `"${aws_x.y.arn}"` is `aws_x.y.arn`), else the expression itself.
    pub fn unwrapped(&self) -> &Expr {
        match &self.kind {
            ExprKind::String(parts) => match parts.as_slice() {
                [StrPart::Interp(inner)] => inner.unwrapped(),
                _ => self,
            },
            _ => self,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction, digits kept as written (`70.50`).
    Decimal(berth_provider::Decimal),
    /// A string literal: literal text and `${...}` interpolations.
    String(Vec<StrPart>),
    List(Vec<Expr>),
    Map(Vec<MapEntry>),
    /// `KIND.NAME.ATTR`, `var.env`, `each.key`, `subnet.public["a"].id`.
    Traversal(Traversal),
    Call(Call),
    /// `(expr)`, kept so the formatter prints the grouping as written.
    Paren(Box<Expr>),
    /// `!expr`, `-expr`.
    Unary(UnaryOp, Box<Expr>),
    /// `lhs OP rhs`: arithmetic, comparison, `&&`, `||`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `cond ? then : otherwise`.
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `[for x in xs : ...]` or `{for k, v in m : KEY => VALUE}`.
    For(Box<ForExpr>),
    /// Steps read from a value that is not a name: `split(",", s)[0]`,
    /// `(var.a).key`, `[for ...][0]`; never empty.
    Postfix(Box<Expr>, Vec<Step>),
}

/// Terraform's `for` expression: `[for KEY, VALUE in COLLECTION : RESULT if
/// COND]`, where `KEY, ` and `if COND` are optional.
#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    /// The first of two names: a list's index or a map's key.
    pub key: Option<Ident>,
    /// The element's name.
    pub value: Ident,
    pub collection: Expr,
    pub result: ForResult,
    /// Elements for which it is false are left out.
    pub cond: Option<Expr>,
}

impl ForExpr {
    /// The names it binds, key first.
    pub fn names(&self) -> impl Iterator<Item = &Ident> {
        self.key.iter().chain([&self.value])
    }
}

/// What a `for` expression makes of each element.
#[derive(Debug, Clone, PartialEq)]
pub enum ForResult {
    /// `[for ... : VALUE]`: a list.
    List(Expr),
    /// `{for ... : KEY => VALUE}`: a map; with `...` after the value
    /// (`group`), each key holds the list of its values.
    Map { key: Expr, value: Expr, group: bool },
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

/// An infix operator, as Terraform has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::NotEq => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEq => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEq => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }

    /// How tightly it binds: higher first (`*` before `+` before `==`
    /// before `&&` before `||`).
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::NotEq => 3,
            BinaryOp::Less | BinaryOp::LessEq | BinaryOp::Greater | BinaryOp::GreaterEq => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 6,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    /// Text with escapes already decoded.
    Lit(String),
    Interp(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub key: MapKey,
    pub value: Expr,
}

/// A map key: a bare name, a quoted string, or computed (HCL's
/// `(expression) = value`, or a string with `${...}`), evaluated with the
/// map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapKey {
    /// The key's text; for a computed key, as written.
    pub name: String,
    pub quoted: bool,
    pub span: Span,
    /// The expression a computed key is.
    pub computed: Option<Box<Expr>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub root: Ident,
    pub steps: Vec<Step>,
}

/// The block a traversal names: `KIND.NAME` or `data.KIND.NAME`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Named<'a> {
    /// Whether it is a lookup (`data.KIND.NAME`).
    pub data: bool,
    pub kind: &'a str,
    pub name: &'a str,
    /// The steps after the name.
    pub rest: &'a [Step],
}

impl Traversal {
    /// `FIRST.SECOND...`, every name written at `span` (a reference a
    /// rewrite makes: `certificate.shop.arn`).
    pub fn path(names: &[&str], span: crate::source::Span) -> Traversal {
        let ident = |name: &str| Ident {
            name: name.to_owned(),
            span,
        };
        let (root, rest) = names.split_first().map_or(("", &[][..]), |(r, rest)| (*r, rest));
        Traversal {
            root: ident(root),
            steps: rest.iter().map(|n| Step::Attr(ident(n))).collect(),
        }
    }

    /// The block this traversal names, if its first steps are names.
    pub fn named(&self) -> Option<Named<'_>> {
        let attr = |i: usize| match self.steps.get(i) {
            Some(Step::Attr(a)) => Some(a.name.as_str()),
            _ => None,
        };
        if self.root.name == super::DATA {
            return Some(Named {
                data: true,
                kind: attr(0)?,
                name: attr(1)?,
                rest: &self.steps[2..],
            });
        }
        Some(Named {
            data: false,
            kind: &self.root.name,
            name: attr(0)?,
            rest: &self.steps[1..],
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Attr(Ident),
    Index(Box<Expr>),
    /// `[*]`, Terraform's splat: every instance of a repeated resource, or
    /// every element of a list, with the steps after it read from each.
    Splat(crate::source::Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: Ident,
    pub args: Vec<Expr>,
    /// `f(a, list...)`: the last argument's elements are arguments (HCL's
    /// expansion, as in `merge(local.maps...)`).
    pub expand: bool,
}
