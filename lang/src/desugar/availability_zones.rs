//! Terraform's `data "aws_availability_zones"`, which most stacks read
//! their subnets' zones from (`data.aws_availability_zones.available.names[count.index]`):
//! berth's `availability_zones()`, the zones of the stack's region the
//! account can use. Written `data availability_zones NAME { state =
//! "available" }`, every reference to its `names` is that call; the
//! settings that say the same (`state = "available"`, the filter on
//! `opt-in-status` that leaves out Local Zones) are taken, others are
//! E0211.

use std::collections::BTreeSet;

use super::{literal, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Call, Expr, ExprKind, File, Ident, Item, Step};

/// The data kind.
pub(super) const KIND: &str = "availability_zones";

/// Takes every `data availability_zones` block out of `files` and writes
/// each reference to its `names` as `availability_zones()`.
pub(super) fn fold(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let lookups: BTreeSet<String> = super::take_data(files, KIND)
        .into_iter()
        .filter(|(_, block)| settings_say_the_same(block, diags))
        .map(|(name, _)| name)
        .collect();
    if lookups.is_empty() {
        return;
    }
    super::inline_data(files, KIND, &mut |name, rest, span| {
        if !lookups.contains(name) {
            return None;
        }
        match rest.split_first() {
            Some((Step::Attr(attr), after)) if attr.name == "names" => {
                let call = Expr {
                    kind: ExprKind::Call(Call {
                        name: Ident {
                            name: "availability_zones".into(),
                            span,
                        },
                        args: Vec::new(),
                        expand: false,
                    }),
                    span,
                };
                Some(match after {
                    [] => call,
                    steps => Expr {
                        kind: ExprKind::Postfix(Box::new(call), steps.to_vec()),
                        span,
                    },
                })
            }
            _ => super::misread((KIND, name, "names"), "a zones lookup", span, diags),
        }
    });
}

/// Whether `block` asks for what `availability_zones()` answers; E0211
/// for each setting that asks for other zones.
fn settings_say_the_same(block: &Block, diags: &mut Vec<Diagnostic>) -> bool {
    let before = diags.len();
    let takes = "`state = \"available\"` and a `filter` on `opt-in-status` = `opt-in-not-required` (the zones `availability_zones()` gives)";
    for item in &block.body {
        let ok = match item {
            Item::Attribute(a) if a.name.name == "state" => literal(&a.value) == Some("available"),
            Item::Attribute(a) if a.name.name == "all_availability_zones" => {
                matches!(a.value.kind, ExprKind::Bool(false) | ExprKind::Null)
            }
            Item::Block(b) if b.kind.name == "filter" => opt_in_not_required(b),
            _ => false,
        };
        if !ok {
            diags.push(stray(item, "a `data availability_zones`", takes));
        }
    }
    diags.len() == before
}

/// `filter { name = "opt-in-status"  values = ["opt-in-not-required"] }`.
fn opt_in_not_required(filter: &Block) -> bool {
    let setting = |name: &str| {
        filter.body.iter().find_map(|item| match item {
            Item::Attribute(a) if a.name.name == name => Some(&a.value),
            _ => None,
        })
    };
    let named = setting("name").and_then(literal) == Some("opt-in-status");
    let values = setting("values").is_some_and(|v| match &v.kind {
        ExprKind::List(items) => items.len() == 1 && literal(&items[0]) == Some("opt-in-not-required"),
        _ => false,
    });
    named && values && filter.body.len() == 2
}

#[cfg(test)]
mod tests {
    use crate::test_support::{messages, resources};

    /// Terraform's zones lookup, read as most stacks read it; it was E0590
    /// (not a lookup berth makes).
    #[test]
    fn terraforms_zones_lookup_is_the_regions_zones() {
        let terraform = resources(
            r#"
data availability_zones available {
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}
vpc main { cidr = "10.0.0.0/16" }
subnet public {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = data.availability_zones.available.names[count.index]
}
"#,
        );
        let berth = resources(
            r#"
vpc main { cidr = "10.0.0.0/16" }
subnet public {
  count = 2
  vpc   = vpc.main
  cidr  = cidrsubnet("10.0.0.0/16", 8, count.index)
  zone  = availability_zones()[count.index]
}
"#,
        );
        assert_eq!(terraform, berth);
    }

    #[test]
    fn other_zones_or_attributes_are_named() {
        let text = r#"
data availability_zones some { exclude_names = ["us-east-1e"] }
data availability_zones all {}
vpc main { cidr = "10.0.0.0/16" }
subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = data.availability_zones.all.zone_ids[0]
}
"#;
        assert_eq!(
            messages(text, super::super::CODE),
            [
                "`exclude_names` does not belong in a `data availability_zones`",
                "a zones lookup is read as its `names`",
            ]
        );
    }
}
