//! Checks of `data KIND NAME { FILTERS }` blocks and of the references
//! to them (`data.KIND.NAME[.ATTR]`): the kind, the filters it takes, the
//! attribute read, and that a lookup goes only where its kind does.

use berth_provider::lookup::DataKind;
use berth_provider::schema::{Block as BlockSchema, Type};

use super::declare::Module;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::DATA;
use crate::syntax::ast::{Block, Expr, ExprKind, Item, Step, Traversal};

fn kinds() -> String {
    DataKind::ALL
        .iter()
        .map(|k| k.keyword())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kind a `data` block looks up (E0590 when it names none or one
/// that is not a lookup).
pub fn data_kind(block: &Block, diags: &mut Vec<Diagnostic>) -> Option<DataKind> {
    let Some(word) = &block.subkind else {
        diags.push(
            Diagnostic::error("E0590", "a `data` block names what it looks up", block.kind.span)
                .label("no kind after `data`")
                .help(format!("write `data KIND NAME {{ ... }}`; kinds: {}", kinds())),
        );
        return None;
    };
    match word.name.parse::<DataKind>() {
        Ok(kind) => Some(kind),
        Err(()) => {
            let d = Diagnostic::error("E0590", format!("`{}` cannot be looked up", word.name), word.span)
                .label("not a lookup kind");
            let names = DataKind::ALL.iter().map(|k| k.keyword());
            let zones = word.name.trim_start_matches("aws_") == "availability_zones";
            let remote_state = word.name == "terraform_remote_state";
            let terraform = crate::desugar::terraform_data_kind(&word.name);
            diags.push(match did_you_mean(&word.name, names) {
                _ if remote_state => d.help(
                    "berth's tags are its state: read another stack's resources with lookups by `stack` and `address` (`data vpc network { stack = \"network\"  address = \"vpc.main\" }`), and pass its plain outputs as variables (docs/porting.md)",
                ),
                // Terraform's `data "aws_availability_zones"`.
                _ if zones => d.help(
                    "the region's zones are the `availability_zones()` function: `availability_zones()[count.index]` for Terraform's `.names[count.index]`",
                ),
                _ if let Some(kind) = terraform => d.help(format!(
                    "`{}` is Terraform's name; did you mean `{kind}`?",
                    word.name
                )),
                Some(h) => d.help(h),
                None => d.help(format!("lookup kinds are: {}", kinds())),
            });
            None
        }
    }
}

/// E0591 for a filter the kind does not take (or a nested block), E0592
/// for a lookup without the filters it needs (and without a misnamed one).
pub fn check_filters(kind: DataKind, block: &Block, diags: &mut Vec<Diagnostic>) {
    let names = || kind.filters().iter().map(|f| f.name);
    let mut written = Vec::new();
    // A filter misnamed is said once, with the kind's filters: not again
    // as a lookup without filters.
    let mut misnamed = false;
    for item in &block.body {
        match item {
            Item::Attribute(a) if kind.filter(&a.name.name).is_some() => written.push(a.name.name.as_str()),
            // AWS provider 6's, checked once evaluated.
            Item::Attribute(a) if a.name.name == REGION => {}
            // Terraform's meta-arguments (a `count` the variables make 0
            // or 1 is taken before: `inert/`).
            Item::Attribute(a) if matches!(a.name.name.as_str(), "for_each" | "count" | "depends_on") => {
                diags.push(
                    Diagnostic::error(
                        "E0591",
                        format!("a lookup takes no `{}`", a.name.name),
                        a.name.span,
                    )
                    .label("not a filter")
                    .help(match a.name.name.as_str() {
                        "depends_on" => "lookups run when the plan is made, before anything is applied: a lookup cannot wait for the stack's resources; read the resource itself instead",
                        _ => "a lookup has no instances, save a `count` the variables make 0 or 1: write one lookup per value, or a lookup whose filters match them all (`data subnets`'s `ids`)",
                    }),
                );
            }
            Item::Attribute(a) => {
                misnamed = true;
                let d = Diagnostic::error(
                    "E0591",
                    format!("`data {kind}` has no filter `{}`", a.name.name),
                    a.name.span,
                )
                .label("not a filter of this lookup");
                diags.push(match did_you_mean(&a.name.name, names()) {
                    Some(h) => d.help(h),
                    None => d.help(format!("its filters: {}", names().collect::<Vec<_>>().join(", "))),
                });
            }
            Item::Block(b) => diags.push(
                Diagnostic::error(
                    "E0591",
                    format!("`data {kind}` takes no nested blocks"),
                    b.kind.span,
                )
                .label("unexpected block")
                .help("filters are attributes: `tags = { Name = \"main\" }`"),
            ),
        }
    }
    let enough = match kind {
        _ if kind.is_context() => true,
        DataKind::Certificate => written.contains(&"domain"),
        DataKind::HostedZone => written.iter().any(|w| matches!(*w, "id" | "name")),
        DataKind::Listener => written.iter().any(|w| matches!(*w, "arn" | "load_balancer")),
        _ => !written.is_empty(),
    };
    if !enough && !misnamed {
        let need = match kind {
            DataKind::Certificate => "`domain`".to_owned(),
            DataKind::HostedZone => "`id` or `name`".to_owned(),
            DataKind::Listener => "`arn`, or `load_balancer` (and `port`)".to_owned(),
            _ => format!("one of {}", names().collect::<Vec<_>>().join(", ")),
        };
        let span = block
            .label
            .as_ref()
            .map_or(block.kind.span, |l| block.kind.span.to(l.span()));
        diags.push(
            Diagnostic::error("E0592", format!("this `data {kind}` has no filter"), span)
                .label("would match whatever the account holds")
                .help(format!("give {need}")),
        );
    }
}

/// AWS provider 6's per-lookup region: taken when it is the stack's.
pub const REGION: &str = "region";

/// What `data.KIND.NAME[.ATTR]` is, once checked: the lookup and the
/// attribute read (its identity when none is written).
pub struct DataRef {
    pub kind: DataKind,
    pub name: String,
    pub attr: &'static str,
}

/// Resolves `data.KIND.NAME[.ATTR]` (E0593 when any part names nothing).
pub fn resolve(
    module: &Module<'_>,
    t: &Traversal,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<DataRef> {
    let word = |i: usize| match t.steps.get(i) {
        Some(Step::Attr(id)) => Some(id),
        _ => None,
    };
    let missing = |what: &str| {
        Diagnostic::error("E0593", format!("this lookup reference {what}"), span)
            .help("lookups are read as `data.KIND.NAME` or `data.KIND.NAME.ATTRIBUTE`")
    };
    let Some(kind_word) = word(0) else {
        diags.push(missing("names no kind").label("`data.KIND.NAME` expected"));
        return None;
    };
    let Ok(kind) = kind_word.name.parse::<DataKind>() else {
        // Its block was refused already (E0590).
        if module.refused_lookups.contains(&kind_word.name) {
            return None;
        }
        let d = Diagnostic::error(
            "E0593",
            format!("`{}` cannot be looked up", kind_word.name),
            kind_word.span,
        )
        .label("not a lookup kind");
        diags.push(
            match did_you_mean(&kind_word.name, DataKind::ALL.iter().map(|k| k.keyword())) {
                _ if let Some(kind) = crate::desugar::terraform_data_kind(&kind_word.name) => d.help(
                    format!("`{}` is Terraform's name; did you mean `{kind}`?", kind_word.name),
                ),
                Some(h) => d.help(h),
                None => d.help(format!("lookup kinds are: {}", kinds())),
            },
        );
        return None;
    };
    let Some(name) = word(1) else {
        diags.push(missing("names no lookup").label(format!("`data.{kind}.NAME` expected")));
        return None;
    };
    if !module.data.contains_key(&(kind, name.name.clone())) {
        let d = Diagnostic::error("E0593", format!("no `data {kind}` named `{}`", name.name), span)
            .label(format!("`data.{kind}.{}` is not declared", name.name));
        let names = module
            .data
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.as_str());
        diags.push(match did_you_mean(&name.name, names) {
            Some(h) => d.help(h),
            None => d.help(format!("declare it: `data {kind} {} {{ ... }}`", name.name)),
        });
        return None;
    }
    let attr = match t.steps.get(2) {
        None => kind.identity(),
        Some(Step::Attr(a)) => match kind.attr(&a.name) {
            Some(attr) => attr,
            None => {
                let names = || kind.attrs().iter().map(|a| a.name);
                let d = Diagnostic::error(
                    "E0593",
                    format!("`data {kind}` has no attribute `{}`", a.name),
                    a.span,
                )
                .label("unknown attribute");
                diags.push(match did_you_mean(&a.name, names()) {
                    Some(h) => d.help(h),
                    None => d.help(format!(
                        "its attributes: {}",
                        names().collect::<Vec<_>>().join(", ")
                    )),
                });
                return None;
            }
        },
        Some(Step::Splat(span)) => {
            diags.push(
                Diagnostic::error("E0593", "a lookup has no instances", *span)
                    .label("cannot splat a lookup")
                    .help("`data.subnets.NAME.ids` is the list of every match"),
            );
            return None;
        }
        Some(Step::Index(e)) => {
            diags.push(
                Diagnostic::error("E0593", "a lookup has no instances", e.span)
                    .label("cannot index a lookup")
                    .help("`data.subnets.NAME.ids` is the list of every match"),
            );
            return None;
        }
    };
    // An element of a list or map the lookup holds (`data.aws_subnets.
    // private.ids[0]`, Terraform's common spelling of `element(...)`).
    let indexes_a_collection = matches!(attr.ty, Type::List(_) | Type::Set(_) | Type::Map(_))
        && t.steps.len() == 4
        && matches!(t.steps[3], Step::Index(_));
    if t.steps.len() > 3 && !indexes_a_collection {
        diags.push(
            Diagnostic::error("E0593", "this lookup reference goes one step too far", span)
                .label("nothing to read past here")
                .help("lookups are read as `data.KIND.NAME`, `data.KIND.NAME.ATTRIBUTE`, or `data.KIND.NAME.ATTRIBUTE[INDEX]` for a list's element"),
        );
        return None;
    }
    Some(DataRef {
        kind,
        name: name.name.clone(),
        attr: attr.name,
    })
}

/// E0594: a lookup where the schema wants a reference to another kind
/// (`data.security_group.web` as a subnet), checked on the syntax so it
/// holds whatever the lookup finds.
pub fn check_uses(module: &Module<'_>, diags: &mut Vec<Diagnostic>) {
    for decl in module.resources.values() {
        let schema = decl.kind.schema().as_block();
        for block in decl.blocks() {
            body(module, &block.body, &schema, diags);
        }
    }
}

fn body(module: &Module<'_>, items: &[Item], schema: &BlockSchema, diags: &mut Vec<Diagnostic>) {
    for item in items {
        match item {
            Item::Attribute(a) => {
                if let Some(attr) = schema.attr(&a.name.name) {
                    value(module, &a.value, attr.ty, diags);
                }
            }
            Item::Block(b) => {
                if let Some(nested) = schema.block(&b.kind.name) {
                    body(module, &b.body, nested, diags);
                }
            }
        }
    }
}

fn value(module: &Module<'_>, expr: &Expr, expected: Type, diags: &mut Vec<Diagnostic>) {
    match (&expr.kind, expected) {
        (ExprKind::List(items), Type::List(inner) | Type::Set(inner)) => {
            items.iter().for_each(|i| value(module, i, *inner, diags))
        }
        (ExprKind::Traversal(t), _) if t.root.name == DATA => {
            let mut quiet = Vec::new();
            let Some(found) = resolve(module, t, expr.span, &mut quiet) else {
                return;
            };
            let Some(attr) = found.kind.attr(found.attr) else {
                return;
            };
            // `ids[0]`: one element of the list.
            let ty = match (attr.ty, t.steps.len() > 3) {
                (Type::List(inner) | Type::Set(inner) | Type::Map(inner), true) => *inner,
                (ty, _) => ty,
            };
            if !found.kind.is_opaque(found.attr) && !fits(ty, expected) {
                diags.push(
                    Diagnostic::error(
                        "E0594",
                        format!(
                            "expected a {expected}, found `data.{}.{}.{}` (a {})",
                            found.kind, found.name, found.attr, ty
                        ),
                        expr.span,
                    )
                    .label("a lookup of another kind")
                    .help(match found.kind.kind() {
                        Some(kind) => format!("`data {}` stands for a {kind}", found.kind),
                        None => format!("`data {}` is no resource berth references", found.kind),
                    }),
                );
            }
        }
        _ => {}
    }
}

/// Whether a lookup attribute of type `found` may stand where `expected`
/// goes: only references are told apart (an id is a string).
fn fits(found: Type, expected: Type) -> bool {
    match (found, expected) {
        (Type::Ref(a), Type::Ref(b)) => a == b,
        (_, Type::Ref(_)) => false,
        (Type::List(a), Type::List(b) | Type::Set(b)) => fits(*a, *b),
        (Type::List(_), _) => false,
        (Type::Ref(_), Type::List(_) | Type::Set(_)) => false,
        _ => true,
    }
}
