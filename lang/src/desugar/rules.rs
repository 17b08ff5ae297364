//! Terraform's security group rules with lists of sources. A berth rule
//! has one source (`cidr`, `from` or `prefix_list`), as each of AWS's
//! security group rules does; Terraform's `ingress` and `egress` blocks
//! list several (`cidr_blocks`, `ipv6_cidr_blocks`, `prefix_list_ids`,
//! `security_groups`, and `self = true` for the group itself). Such a
//! block is one berth rule per source: one block per element of a literal
//! list, and a `dynamic` block over any other list (a variable's CIDRs),
//! expanded when the stack is evaluated. Where one block must stay one
//! rule (a `dynamic` block's `content`, a `security_group_rule`), the
//! lists must hold one source in all.

use super::{CODE, attribute};
use crate::check::declare::COUNT;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, Expr, ExprKind, Ident, Item, Label, Step, Traversal};

/// Terraform's list of sources, and the berth attribute each element is.
pub(super) const SOURCES: [(&str, &str); 4] = [
    ("cidr_blocks", "cidr"),
    ("ipv6_cidr_blocks", "cidr"),
    ("prefix_list_ids", "prefix_list"),
    ("security_groups", "from"),
];

/// Terraform's "this group" source.
pub(super) const SELF: &str = "self";

/// What the `dynamic` blocks made here call each source.
const ITERATOR: &str = "source";

/// One source of a Terraform rule.
enum Source {
    /// `attr = expr`.
    One(&'static str, Expr),
    /// `attr` = each element of the list `expr`, known once evaluated.
    Each(&'static str, Expr),
}

fn is_rule(b: &Block) -> bool {
    b.kind.name == "ingress" || b.kind.name == "egress"
}

/// Whether `b` writes its sources as Terraform does.
fn lists_sources(b: &Block) -> bool {
    b.body.iter().any(|item| {
        matches!(item, Item::Attribute(a)
            if a.name.name == SELF || SOURCES.iter().any(|(tf, _)| a.name.name == *tf))
    })
}

/// A security group's `ingress` and `egress` blocks, one per source, and
/// the rule of each `dynamic` rule block's `content`.
pub(super) fn group(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    let me = self_reference(block);
    for mut item in std::mem::take(&mut block.body) {
        if let Item::Block(b) = &mut item
            && is_rule(b)
        {
            drop_null_sources(b);
            destination_as_from(b);
        }
        match item {
            // `self` known once evaluated (a module's dynamic block
            // written out over its variable): one rule per source, as a
            // `dynamic` block's content is.
            Item::Block(b) if is_rule(&b) && reads_self(&b) => {
                let mut d = once(b);
                super::dynamic_rules::pairs(&mut d, me.as_ref(), diags);
                block.body.push(Item::Block(d));
            }
            Item::Block(b) if is_rule(&b) && lists_sources(&b) => {
                block.body.extend(expand(b, me.as_ref(), diags));
            }
            Item::Block(mut d) if d.kind.name == crate::check::dynamic::DYNAMIC => {
                let mut pairs = false;
                for inner in &mut d.body {
                    if let Item::Block(content) = inner
                        && content.kind.name == crate::check::dynamic::CONTENT
                        && lists_sources(content)
                    {
                        if super::dynamic_rules::needs_pairs(content) {
                            pairs = true;
                        } else {
                            one_rule(content, me.as_ref(), "a `dynamic` block's `content`", diags);
                        }
                    }
                }
                if pairs {
                    super::dynamic_rules::pairs(&mut d, me.as_ref(), diags);
                }
                block.body.push(Item::Block(d));
            }
            other => block.body.push(other),
        }
    }
}

/// Whether the rule `b` writes `self` other than `true` or `false`.
fn reads_self(b: &Block) -> bool {
    b.body.iter().any(|item| {
        matches!(item, Item::Attribute(a) if a.name.name == SELF && !matches!(a.value.kind, ExprKind::Bool(_)))
    })
}

/// The rule `b` as a `dynamic` block making it once.
fn once(b: Block) -> Block {
    let at = b.kind.span;
    let content = Block {
        kind: Ident {
            name: crate::check::dynamic::CONTENT.into(),
            span: at,
        },
        ..b.clone()
    };
    let one = Expr {
        kind: ExprKind::List(vec![Expr {
            kind: ExprKind::Int(0),
            span: at,
        }]),
        span: at,
    };
    Block {
        kind: Ident {
            name: crate::check::dynamic::DYNAMIC.into(),
            span: at,
        },
        subkind: None,
        label: Some(Label::Ident(b.kind.clone())),
        body: vec![attribute("for_each", one, at), Item::Block(content)],
        span: b.span,
    }
}

/// Takes out sources written `null` (the setting left out, as
/// terraform-aws-modules writes every source of every rule, the unused
/// ones null).
fn drop_null_sources(b: &mut Block) {
    b.body.retain(|item| {
        !matches!(item, Item::Attribute(a)
            if matches!(a.value.kind, ExprKind::Null)
                && (a.name.name == SELF
                    || a.name.name == "source_security_group_id"
                    || SOURCES.iter().any(|(tf, _)| a.name.name == *tf)))
    });
}

/// A `security_group_rule` whose lists hold one source.
pub(super) fn standalone(block: &mut Block, diags: &mut Vec<Diagnostic>) {
    drop_null_sources(block);
    destination_as_from(block);
    if !lists_sources_or_one(block) || repeat_over_cidrs(block) || repeat_over_sources(block) {
        return;
    }
    // `self = true`: the source is the group the rule is on.
    let me = block.body.iter().find_map(|item| match item {
        // Terraform's name, read before `names.rs` renames it.
        Item::Attribute(a) if a.name.name == "security_group" || a.name.name == "security_group_id" => {
            Some(a.value.clone())
        }
        _ => None,
    });
    if let Some(me) = &me {
        self_read_once(block, me);
    }
    one_rule(block, me.as_ref(), "a `security_group_rule`", diags);
}

/// A rule whose one source is `self` known once evaluated
/// (terraform-aws-modules/security-group's `self = lookup(var.rules[count.index],
/// "self", true)`): `from` is the group `me` when it is `true`.
fn self_read_once(block: &mut Block, me: &Expr) {
    let others = block.body.iter().any(|item| {
        matches!(item, Item::Attribute(a)
            if a.name.name == SOURCE_GROUP || SOURCES.iter().any(|(tf, _)| a.name.name == *tf))
    });
    if others {
        return;
    }
    for item in &mut block.body {
        let Item::Attribute(a) = item else { continue };
        if a.name.name != SELF || matches!(a.value.kind, ExprKind::Bool(_)) {
            continue;
        }
        let at = a.value.span;
        let Some(mut chosen) = super::parsed_at("SELF == true ? GROUP : null", at) else {
            continue;
        };
        let group = Expr {
            span: at,
            ..me.clone()
        };
        super::put_names(&mut chosen, &[("SELF", &a.value), ("GROUP", &group)]);
        *item = attribute("from", chosen, at);
    }
}

/// Whether `b` writes its sources as Terraform does, `source_security_group_id`
/// among them.
fn lists_sources_or_one(b: &Block) -> bool {
    lists_sources(b)
        || b.body
            .iter()
            .any(|item| matches!(item, Item::Attribute(a) if a.name.name == SOURCE_GROUP))
}

/// Terraform's one other group of a `security_group_rule`.
const SOURCE_GROUP: &str = "source_security_group_id";

/// A repeated rule's instances, one per rule of `FOR_EACH` and source:
/// keyed by the rule's key (and `/` and the source's key when the rule has
/// more than one), each holding the rule's key, its value and the source.
/// `FOR_EACH` and `SOURCES` stand for the rule's `for_each` and its
/// sources, which read the rule as `berth_key` and `berth_rule`.
const PER_SOURCE: &str = r#"merge([for berth_key, berth_rule in FOR_EACH : {
    for berth_source in SOURCES :
    (length(SOURCES) > 1 ? "${berth_key}/${berth_source.key}" : berth_key) =>
    { key = berth_key, value = berth_rule, source = berth_source }
}]...)"#;

/// Each Terraform source setting of a `security_group_rule` (`SOURCE`
/// its value, `GROUP` the rule's group) as a list of `{ attr, key,
/// value }`: the berth attribute, a key known before apply, the source.
const SOURCE_LISTS: [(&str, &str); 6] = [
    (
        "cidr_blocks",
        r#"SOURCE == null ? [] : [for c in SOURCE : { attr = "cidr", key = c, value = c }]"#,
    ),
    (
        "ipv6_cidr_blocks",
        r#"SOURCE == null ? [] : [for c in SOURCE : { attr = "cidr", key = c, value = c }]"#,
    ),
    (
        "prefix_list_ids",
        r#"SOURCE == null ? [] : [for i, p in SOURCE : { attr = "prefix_list", key = "prefix_list/${i}", value = p }]"#,
    ),
    (
        "security_groups",
        r#"SOURCE == null ? [] : [for i, g in SOURCE : { attr = "from", key = "from/${i}", value = g }]"#,
    ),
    (
        SOURCE_GROUP,
        r#"SOURCE == null ? [] : [{ attr = "from", key = "from", value = SOURCE }]"#,
    ),
    (
        SELF,
        r#"SOURCE == true ? [{ attr = "from", key = "self", value = GROUP }] : []"#,
    ),
];

/// Whether the sources of `b` are one source as written: lists of at most
/// one element, `self` a literal, one other group.
fn one_source(b: &Block) -> bool {
    let mut count = 0;
    for item in &b.body {
        let Item::Attribute(a) = item else { continue };
        let name = a.name.name.as_str();
        count += match &a.value.kind {
            _ if !SOURCE_LISTS.iter().any(|(tf, _)| *tf == name) => 0,
            ExprKind::List(items) => items.len(),
            ExprKind::Bool(yes) if name == SELF => usize::from(*yes),
            _ if name == SOURCE_GROUP => 1,
            _ => 2,
        };
    }
    count <= 1
}

/// A `security_group_rule` repeated over a map of rules whose sources are
/// more than one, or known only once evaluated (terraform-aws-modules'
/// `cidr_blocks = lookup(each.value, "cidr_blocks", null)` beside
/// `source_security_group_id` and `self` alike), as the rules Terraform's
/// resource makes: one instance per rule and source ([`PER_SOURCE`]),
/// `each.value` and `each.key` read from the instance's rule, and the
/// source as berth's `cidr`, `from` or `prefix_list`. Says whether it
/// rewrote the block.
fn repeat_over_sources(block: &mut Block) -> bool {
    if one_source(block) {
        return false;
    }
    counted_as_for_each(block);
    let Some(for_each) = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "for_each" => Some(a.value.clone()),
        _ => None,
    }) else {
        return false;
    };
    let at = block.kind.span;
    let parsed = |text: &str| super::parsed_at(text, at);
    let as_rule = |mut e: Expr| {
        super::each_traversal(&mut e, &mut |t| read_from(t, &["berth_key"], &["berth_rule"]));
        e
    };
    let group = block.body.iter().find_map(|item| match item {
        Item::Attribute(a) if a.name.name == "security_group_id" || a.name.name == "security_group" => {
            Some(as_rule(a.value.clone()))
        }
        _ => None,
    });
    let mut lists = Vec::new();
    let mut attrs = std::collections::BTreeSet::new();
    for item in &block.body {
        let Item::Attribute(a) = item else { continue };
        let Some((_, text)) = SOURCE_LISTS.iter().find(|(tf, _)| a.name.name == *tf) else {
            continue;
        };
        let Some(mut list) = parsed(text) else {
            return false;
        };
        let null = Expr {
            kind: ExprKind::Null,
            span: at,
        };
        super::put_names(
            &mut list,
            &[
                ("SOURCE", &as_rule(a.value.clone())),
                ("GROUP", group.as_ref().unwrap_or(&null)),
            ],
        );
        lists.push(list);
        attrs.insert(match a.name.name.as_str() {
            "cidr_blocks" | "ipv6_cidr_blocks" => "cidr",
            "prefix_list_ids" => "prefix_list",
            _ => "from",
        });
    }
    let sources = super::call_at("concat", lists, at);
    let Some(mut per_source) = parsed(PER_SOURCE) else {
        return false;
    };
    super::put_names(&mut per_source, &[("FOR_EACH", &for_each), ("SOURCES", &sources)]);
    block.body.retain(|item| {
        !matches!(item, Item::Attribute(a)
            if a.name.name == "for_each" || SOURCE_LISTS.iter().any(|(tf, _)| a.name.name == *tf))
    });
    for item in &mut block.body {
        if let Item::Attribute(a) = item {
            super::each_traversal(&mut a.value, &mut |t| {
                read_from(t, &["each", "value", "key"], &["each", "value", "value"])
            });
        }
    }
    block.body.push(attribute("for_each", per_source, at));
    for attr in attrs {
        let Some(chosen) = parsed(&format!(
            r#"each.value.source.attr == "{attr}" ? each.value.source.value : null"#
        )) else {
            return false;
        };
        block.body.push(attribute(attr, chosen, at));
    }
    true
}

/// A counted rule (cn-terraform's `count = length(var.ports)` beside
/// `cidr_blocks = var.cidrs` and `prefix_list_ids = var.prefix_lists`)
/// as one repeated over its indexes, keyed `"0"`, `"1"`, ...: its
/// `count.index` is `each.value`.
fn counted_as_for_each(block: &mut Block) {
    let Some(i) = block
        .body
        .iter()
        .position(|item| matches!(item, Item::Attribute(a) if a.name.name == COUNT))
    else {
        return;
    };
    let Item::Attribute(count) = block.body.remove(i) else {
        return;
    };
    let at = count.value.span;
    let Some(mut for_each) = super::parsed_at(
        r#"{ for berth_index in range(COUNT) : "${berth_index}" => berth_index }"#,
        at,
    ) else {
        return;
    };
    super::put_names(&mut for_each, &[("COUNT", &count.value)]);
    let index = Expr {
        kind: ExprKind::Traversal(Traversal::path(&["each", "value"], at)),
        span: at,
    };
    for item in &mut block.body {
        if let Item::Attribute(a) = item {
            super::count_index_as(&mut a.value, &index);
        }
    }
    block.body.push(attribute("for_each", for_each, at));
}

/// `t` reading `each.key` or `each.value` (and what follows) from the
/// paths `key` and `value` instead.
fn read_from(t: &mut Traversal, key: &[&str], value: &[&str]) {
    let to = match t.steps.first() {
        Some(Step::Attr(a)) if t.root.name == "each" && a.name == "key" => key,
        Some(Step::Attr(a)) if t.root.name == "each" && a.name == "value" => value,
        _ => return,
    };
    let rest = t.steps.split_off(1);
    *t = Traversal::path(to, t.root.span);
    t.steps.extend(rest);
}

/// An egress rule's group written `to` (CloudFormation's
/// `DestinationSecurityGroupId`): berth's `from` names the other group of
/// a rule in either direction.
fn destination_as_from(rule: &mut Block) {
    let egress = rule.kind.name == "egress"
        || rule.body.iter().any(|i| matches!(i, Item::Attribute(a) if a.name.name == "type" && super::literal(&a.value) == Some("egress")));
    let has_from = rule
        .body
        .iter()
        .any(|i| matches!(i, Item::Attribute(a) if a.name.name == "from"));
    if !egress || has_from {
        return;
    }
    for item in &mut rule.body {
        if let Item::Attribute(a) = item
            && a.name.name == "to"
        {
            a.name.name = "from".into();
        }
    }
}

/// Terraform's CIDR lists of a `security_group_rule`.
const CIDR_LISTS: [&str; 2] = ["cidr_blocks", "ipv6_cidr_blocks"];

/// A counted rule's instances, one per index and CIDR: keyed by the CIDR
/// (by `INDEX/CIDR` when it counts more than one), each holding `[INDEX,
/// CIDR]`. `COUNT` and `CIDRS` stand for the rule's count and CIDRs, which
/// read the index as `berth_index` (terraform-aws-modules/security-group's
/// `split(",", lookup(var.ingress_with_cidr_blocks[count.index], ...))`).
const COUNTED: &str = r#"merge([for berth_index in range(COUNT) : {
    for cidr in toset(CIDRS) : (COUNT > 1 ? "${berth_index}/${cidr}" : cidr) => [berth_index, cidr]
}]...)"#;

/// A counted `security_group_rule` with CIDR lists (`count = var.enabled ?
/// 1 : 0`, `cidr_blocks = var.cidrs`) as the rules Terraform's makes: one
/// per index and CIDR, `for_each` over both ([`COUNTED`]), its
/// `count.index` the index and its `cidr` the CIDR.
fn repeat_counted(block: &mut Block, count: Expr, lists: Vec<Expr>) -> bool {
    let at = block.kind.span;
    let Some(mut for_each) = super::parsed_at(COUNTED, at) else {
        return false;
    };
    let mut cidrs = super::call_at("concat", lists, at);
    let berth_index = Expr {
        kind: ExprKind::Traversal(Traversal::path(&["berth_index"], at)),
        span: at,
    };
    super::count_index_as(&mut cidrs, &berth_index);
    super::put_names(&mut for_each, &[("COUNT", &count), ("CIDRS", &cidrs)]);
    let part = |i: i64| super::parsed_at(&format!("each.value[{i}]"), at);
    let (Some(index), Some(cidr)) = (part(0), part(1)) else {
        return false;
    };
    block.body.retain(|item| {
        !matches!(item, Item::Attribute(a) if CIDR_LISTS.contains(&a.name.name.as_str()) || a.name.name == SELF || a.name.name == COUNT)
    });
    for item in &mut block.body {
        if let Item::Attribute(a) = item {
            super::count_index_as(&mut a.value, &index);
        }
    }
    block.body.push(attribute("for_each", for_each, at));
    block.body.push(attribute("cidr", cidr, at));
    true
}

/// A `security_group_rule` whose sources are CIDR lists other than one
/// literal CIDR (`cidr_blocks = local.cidrs`, two CIDRs, IPv4 and IPv6
/// both) as the rules Terraform's resource makes: one instance per CIDR,
/// `for_each = toset(concat(LISTS))` and `cidr = each.value`. A rule that
/// already repeats or lists other sources is left as it is (one rule, or
/// E0211). Says whether it rewrote the block.
fn repeat_over_cidrs(block: &mut Block) -> bool {
    let says_nothing =
        |e: &Expr| matches!(&e.kind, ExprKind::Null) || matches!(&e.kind, ExprKind::List(l) if l.is_empty());
    let mut lists = Vec::new();
    let mut count = None;
    for item in &block.body {
        let Item::Attribute(a) = item else { continue };
        match a.name.name.as_str() {
            name if CIDR_LISTS.contains(&name) && !says_nothing(&a.value) => lists.push(a.value.clone()),
            name if CIDR_LISTS.contains(&name) => {}
            COUNT => count = Some(a.value.clone()),
            "for_each" | "prefix_list_ids" | "security_groups" | "source_security_group_id" => {
                return false;
            }
            SELF if !matches!(a.value.kind, ExprKind::Bool(false)) => return false,
            _ => {}
        }
    }
    let one_literal = matches!(lists.as_slice(), [e] if matches!(&e.kind, ExprKind::List(l) if l.len() == 1));
    if lists.is_empty() || one_literal {
        return false;
    }
    let at = block.kind.span;
    if let Some(count) = count {
        return repeat_counted(block, count, lists);
    }
    let call = |name: &str, args: Vec<Expr>| super::call_at(name, args, at);
    let each_value = Expr {
        kind: ExprKind::Traversal(Traversal {
            root: Ident {
                name: "each".into(),
                span: at,
            },
            steps: vec![Step::Attr(Ident {
                name: "value".into(),
                span: at,
            })],
        }),
        span: at,
    };
    block.body.retain(|item| {
        !matches!(item, Item::Attribute(a) if CIDR_LISTS.contains(&a.name.name.as_str()) || a.name.name == SELF)
    });
    block.body.push(attribute(
        "for_each",
        call("toset", vec![call("concat", lists)]),
        at,
    ));
    block.body.push(attribute("cidr", each_value, at));
    true
}

/// Terraform's one-rule resources (AWS provider 5's recommended form):
/// a `security_group_rule` of their direction.
pub(super) const VPC_RULES: [(&str, &str); 2] = [
    ("vpc_security_group_ingress_rule", "ingress"),
    ("vpc_security_group_egress_rule", "egress"),
];

/// Terraform's one-rule resources as `security_group_rule`s, in every file:
/// references to them (`aws_vpc_security_group_ingress_rule.this.id`) read
/// as berth's; an ingress and an egress rule of one name
/// (terraform-aws-modules' `this`, in its alb and ecs modules) named
/// `NAME_ingress` and `NAME_egress`, as berth has one kind for both.
pub(super) fn vpc_rule_names(files: &mut [(crate::FileId, crate::syntax::ast::File)]) {
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let declared = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter_map(|b| match &b.label {
            Some(Label::Ident(n)) if VPC_RULES.iter().any(|(k, _)| b.kind.name == *k) => Some(n.name.clone()),
            _ => None,
        });
    for name in declared {
        *seen.entry(name).or_default() += 1;
    }
    let new_name = |kind: &str, name: &str| -> Option<String> {
        let (_, direction) = VPC_RULES.iter().find(|(k, _)| *k == kind)?;
        Some(match seen.get(name) {
            Some(n) if *n > 1 => format!("{name}_{direction}"),
            _ => name.to_owned(),
        })
    };
    for block in files.iter_mut().flat_map(|(_, f)| &mut f.blocks) {
        if let Some(Label::Ident(n)) = &mut block.label
            && let Some(name) = new_name(&block.kind.name, &n.name)
        {
            n.name = name;
        }
        super::each_expr(block, &mut |e| {
            super::each_traversal(e, &mut |t| {
                if let Some(Step::Attr(n)) = t.steps.first_mut()
                    && let Some(name) = new_name(&t.root.name, &n.name)
                {
                    n.name = name;
                    t.root.name = "security_group_rule".into();
                }
            })
        });
    }
}

/// `vpc_security_group_ingress_rule` / `egress_rule`: a
/// `security_group_rule` with its `type`, settings named as berth does
/// (its `cidr_ipv4` and `cidr_ipv6` one `cidr`, the one not null, as
/// terraform-aws-modules writes both from a map of rules).
pub(super) fn vpc_rule(block: &mut Block, direction: &str) {
    const RENAMES: [(&str, &str); 6] = [
        ("security_group_id", "security_group"),
        ("cidr_ipv4", "cidr"),
        ("cidr_ipv6", "cidr"),
        ("referenced_security_group_id", "from"),
        ("prefix_list_id", "prefix_list"),
        ("ip_protocol", "protocol"),
    ];
    let at = block.kind.span;
    block.kind.name = "security_group_rule".into();
    for item in &mut block.body {
        if let Item::Attribute(a) = item
            && let Some((_, berth)) = RENAMES.iter().find(|(tf, _)| a.name.name == *tf)
        {
            *item = Item::Attribute(super::renamed(a.clone(), berth));
        }
    }
    let value = Expr {
        kind: ExprKind::String(vec![crate::syntax::ast::StrPart::Lit(direction.into())]),
        span: at,
    };
    block.body.push(attribute("type", value, at));
    super::names::one_setting(&mut block.body, |name| (name == "cidr").then_some("cidr"));
}

/// `security_group.NAME` (or `default_security_group.NAME`, with
/// `[each.key]` or `[count.index]` for a repeated group): the group
/// `block` itself.
fn self_reference(block: &Block) -> Option<Expr> {
    let Some(Label::Ident(name)) = &block.label else {
        return None;
    };
    let span = name.span;
    let ident = |name: &str| Ident {
        name: name.into(),
        span,
    };
    let path = |root: &str, attr: &str| Expr {
        kind: ExprKind::Traversal(Traversal {
            root: ident(root),
            steps: vec![Step::Attr(ident(attr))],
        }),
        span,
    };
    let meta = |name: &str| {
        block
            .body
            .iter()
            .any(|item| matches!(item, Item::Attribute(a) if a.name.name == name))
    };
    let mut steps = vec![Step::Attr(name.clone())];
    if meta("for_each") {
        steps.push(Step::Index(Box::new(path("each", "key"))));
    } else if meta("count") {
        steps.push(Step::Index(Box::new(path("count", "index"))));
    }
    Some(Expr {
        kind: ExprKind::Traversal(Traversal {
            root: ident(&block.kind.name),
            steps,
        }),
        span,
    })
}

/// The settings of `b` that are not sources, and its sources.
fn split(b: Block, me: Option<&Expr>, diags: &mut Vec<Diagnostic>) -> (Block, Vec<Source>) {
    let mut sources = Vec::new();
    let mut common = Vec::new();
    for item in b.body {
        let Item::Attribute(a) = item else {
            common.push(item);
            continue;
        };
        if let Some(&(_, attr)) = SOURCES.iter().find(|(tf, _)| a.name.name == *tf) {
            match a.value.kind {
                ExprKind::List(items) => sources.extend(items.into_iter().map(|e| Source::One(attr, e))),
                _ => sources.push(Source::Each(attr, a.value)),
            }
            continue;
        }
        if a.name.name != SELF {
            common.push(Item::Attribute(a));
            continue;
        }
        match (&a.value.kind, me) {
            (ExprKind::Bool(false), _) => {}
            (ExprKind::Bool(true), Some(me)) => sources.push(Source::One(
                "from",
                Expr {
                    span: a.value.span,
                    ..me.clone()
                },
            )),
            (ExprKind::Bool(true), None) => diags.push(
                Diagnostic::error(CODE, "`self` needs the group's name", a.name.span)
                    .label("no group to name")
                    .help("write `from = security_group.NAME`"),
            ),
            _ => diags.push(
                Diagnostic::error(CODE, "`self` is written `true` or `false`", a.value.span)
                    .label("not a literal")
                    .help("write `self = true`, or `from = security_group.NAME`"),
            ),
        }
    }
    let rest = Block { body: common, ..b };
    (rest, sources)
}

/// The rule block `b` as one rule block per source.
fn expand(b: Block, me: Option<&Expr>, diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let (rule, sources) = split(b, me, diags);
    let with = |extra: Item| {
        let mut body = rule.body.clone();
        body.push(extra);
        body
    };
    sources
        .into_iter()
        .map(|source| match source {
            Source::One(attr, e) => Item::Block(Block {
                body: with(attribute(attr, e.clone(), e.span)),
                ..rule.clone()
            }),
            Source::Each(attr, list) => {
                let at = list.span;
                let element = Expr {
                    kind: ExprKind::Traversal(Traversal {
                        root: Ident {
                            name: ITERATOR.into(),
                            span: at,
                        },
                        steps: vec![Step::Attr(Ident {
                            name: "value".into(),
                            span: at,
                        })],
                    }),
                    span: at,
                };
                let iterator = Expr {
                    kind: ExprKind::Traversal(Traversal {
                        root: Ident {
                            name: ITERATOR.into(),
                            span: at,
                        },
                        steps: Vec::new(),
                    }),
                    span: at,
                };
                let content = Block {
                    kind: Ident {
                        name: crate::check::dynamic::CONTENT.into(),
                        span: rule.kind.span,
                    },
                    body: with(attribute(attr, element, at)),
                    ..rule.clone()
                };
                Item::Block(Block {
                    kind: Ident {
                        name: crate::check::dynamic::DYNAMIC.into(),
                        span: rule.kind.span,
                    },
                    subkind: None,
                    label: Some(Label::Ident(rule.kind.clone())),
                    body: vec![
                        attribute("for_each", list, at),
                        attribute("iterator", iterator, at),
                        Item::Block(content),
                    ],
                    span: rule.span,
                })
            }
        })
        .collect()
}

/// `b` written with its one source as berth's attribute (E0211 when its
/// lists hold more, or are known only once evaluated).
fn one_rule(b: &mut Block, me: Option<&Expr>, what: &str, diags: &mut Vec<Diagnostic>) {
    let whole = b.clone();
    let (rule, mut sources) = split(whole, me, diags);
    match (sources.pop(), sources.is_empty()) {
        (Some(Source::One(attr, e)), true) => {
            let mut body = rule.body;
            body.push(attribute(attr, e.clone(), e.span));
            b.body = body;
        }
        (None, _) => b.body = rule.body,
        _ => {
            let at = b
                .body
                .iter()
                .find_map(|item| match item {
                    Item::Attribute(a) if SOURCES.iter().any(|(tf, _)| a.name.name == *tf) => Some(a.span),
                    _ => None,
                })
                .unwrap_or(b.kind.span);
            diags.push(
                Diagnostic::error(CODE, format!("{what} has one source"), at)
                    .label("more than one, or a list known only once evaluated")
                    .help(format!(
                        "{what} is one rule: write one per source, or list them in the group's own `ingress`/`egress` blocks"
                    )),
            );
        }
    }
}
