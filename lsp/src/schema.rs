//! The schema of whatever body the cursor is in, and the markdown shown for
//! kinds, attributes and nested blocks.

use berth_provider::Kind;
use berth_provider::schema::{Attr, Block, Literal, Presence, Update};

/// An attribute that is not part of a kind's schema: `for_each`,
/// `prevent_destroy` and `ignore_changes` on resources, and the attributes of `variable` and
/// `stack` blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// The attribute's name.
    pub name: &'static str,
    /// What it takes.
    pub detail: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// What any resource may carry besides its schema's attributes.
const RESOURCE_META: &[Meta] = &[
    Meta {
        name: "for_each",
        detail: "list or map",
        doc: "Declares one resource per element; the body reads the element as `each.key` and `each.value`, \
              and others reference one as `KIND.NAME[\"key\"]`.",
    },
    Meta {
        name: "count",
        detail: "number",
        doc: "Terraform's `count`: instances keyed `0` to `N - 1`; the body reads its number as `count.index`.",
    },
    Meta {
        name: "prevent_destroy",
        detail: "bool",
        doc: "`true`: a plan that would delete or replace it (or `berth destroy`) is refused before any change.",
    },
    Meta {
        name: "ignore_changes",
        detail: "list of attribute names, or `all`",
        doc: "Once the resource exists, these attributes keep their live value: another tool owns them.",
    },
];

const VARIABLE_ATTRS: &[Meta] = &[
    Meta {
        name: "default",
        detail: "any value",
        doc: "The value used when `--var` or a vars file does not set it.",
    },
    Meta {
        name: "description",
        detail: "string",
        doc: "What the variable is for.",
    },
    Meta {
        name: "type",
        detail: "type",
        doc: "The type values must have (`number`, `list(string)`, `map(number)`, `object({ ... })`); \
              `--var` text is converted to it.",
    },
    Meta {
        name: "sensitive",
        detail: "bool",
        doc: "Keep the value out of plans and logs.",
    },
];

const STACK_ATTRS: &[Meta] = &[
    Meta {
        name: "region",
        detail: "string",
        doc: "The AWS region the stack lives in, e.g. `us-east-1`.",
    },
    Meta {
        name: "tags",
        detail: "map of string",
        doc: "Tags on every resource that takes tags; a resource's own tag of the same key wins.",
    },
];

const OUTPUT_ATTRS: &[Meta] = &[
    Meta {
        name: "value",
        detail: "any value (required)",
        doc: "What the output shows, e.g. `\"http://${load_balancer.web.dns_name}\"`.",
    },
    Meta {
        name: "description",
        detail: "string",
        doc: "What the output is for.",
    },
    Meta {
        name: "sensitive",
        detail: "bool",
        doc: "Never print the value: it shows as `(sensitive)`.",
    },
];

/// Docs of the block kinds that are not resources.
pub const VARIABLE_DOC: &str = "An input of the stack, read as `var.NAME`; set with `--var NAME=VALUE` \
                                or a vars file, else its `default`.";
/// See [`VARIABLE_DOC`].
pub const STACK_DOC: &str =
    "The stack's name (a string, may interpolate variables) and region; at most one per stack.";
/// See [`VARIABLE_DOC`].
pub const OUTPUT_DOC: &str = "A value printed after `berth apply` and by `berth output`, read from the \
                              live resources it refers to.";
/// What a `locals` block is.
pub const LOCALS_DOC: &str =
    "Named expressions, `NAME = value`, read as `local.NAME` (Terraform's `locals`).";
/// What a `data` block is.
pub const DATA_DOC: &str = "A lookup: `data KIND NAME { FILTERS }` reads one live resource berth does not own \
                            (vpc, subnet, subnets, security_group, certificate, hosted_zone, prefix_list) at plan time; \
                            read it as `data.KIND.NAME` or `data.KIND.NAME.ATTR`.";

/// The schema of a block body.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// A resource's own body.
    Resource(Kind, Block),
    /// A nested block's body.
    Nested(&'static Block),
    /// A `variable` block.
    Variable,
    /// The `stack` block.
    Stack,
    /// An `output` block.
    Output,
}

/// Something that may be written in a body.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    /// A schema attribute.
    Attr(&'static Attr),
    /// A nested block.
    Block(&'static Block),
    /// A meta attribute.
    Meta(Meta),
}

impl Entry {
    /// The name it is written with.
    pub fn name(&self) -> &'static str {
        match self {
            Entry::Attr(a) => a.name,
            Entry::Block(b) => b.name,
            Entry::Meta(m) => m.name,
        }
    }
}

/// The body reached by the block kinds `path`, outermost first
/// (`["task_definition", "container", "health_check"]`).
pub fn body(path: &[String]) -> Option<Body> {
    let (first, nested) = path.split_first()?;
    match first.as_str() {
        "variable" if nested.is_empty() => return Some(Body::Variable),
        "stack" if nested.is_empty() => return Some(Body::Stack),
        "output" if nested.is_empty() => return Some(Body::Output),
        _ => {}
    }
    let kind: Kind = first.parse().ok()?;
    let schema = kind.schema();
    let Some((head, rest)) = nested.split_first() else {
        return Some(Body::Resource(kind, schema.as_block()));
    };
    let mut block = schema.block(head)?;
    for name in rest {
        block = block.block(name)?;
    }
    Some(Body::Nested(block))
}

impl Body {
    /// Everything that may be written in this body, attributes first.
    pub fn entries(&self) -> Vec<Entry> {
        match self {
            Body::Resource(_, block) => schema_entries(block)
                .chain(RESOURCE_META.iter().copied().map(Entry::Meta))
                .collect(),
            Body::Nested(block) => schema_entries(block).collect(),
            Body::Variable => VARIABLE_ATTRS.iter().copied().map(Entry::Meta).collect(),
            Body::Stack => STACK_ATTRS.iter().copied().map(Entry::Meta).collect(),
            Body::Output => OUTPUT_ATTRS.iter().copied().map(Entry::Meta).collect(),
        }
    }

    /// The entry written as `name`.
    pub fn entry(&self, name: &str) -> Option<Entry> {
        self.entries().into_iter().find(|e| e.name() == name)
    }

    /// The body's own name (`vpc`, `health_check`).
    pub fn name(&self) -> &'static str {
        match self {
            Body::Resource(kind, _) => kind.keyword(),
            Body::Nested(block) => block.name,
            Body::Variable => "variable",
            Body::Stack => "stack",
            Body::Output => "output",
        }
    }
}

fn schema_entries(block: &Block) -> impl Iterator<Item = Entry> + use<> {
    let attrs: &'static [Attr] = block.attrs;
    let blocks: &'static [Block] = block.blocks;
    attrs
        .iter()
        .map(Entry::Attr)
        .chain(blocks.iter().map(Entry::Block))
}

/// `default `false``, `required`, ...
pub fn presence(attr: &Attr) -> String {
    match attr.presence {
        Presence::Required => "required".to_owned(),
        Presence::Optional => "optional".to_owned(),
        Presence::ChosenByAws => "optional (AWS chooses when left out)".to_owned(),
        Presence::Named => "optional (berth names it when left out)".to_owned(),
        Presence::Default(value) => format!("optional, default `{}`", literal(value)),
        Presence::Computed => "computed by AWS (read it through references)".to_owned(),
    }
}

fn literal(value: Literal) -> String {
    match value {
        Literal::Bool(b) => b.to_string(),
        Literal::Int(n) => n.to_string(),
        Literal::Str(s) => format!("\"{s}\""),
        Literal::EmptyList => "[]".to_owned(),
        Literal::EmptyMap => "{}".to_owned(),
    }
}

/// The hover and completion text of an attribute of `owner`.
pub fn attr_markdown(attr: &Attr, owner: &str) -> String {
    let mut facts = vec![format!("`{}`", attr.ty), presence(attr)];
    if !attr.is_computed() {
        facts.push(
            match attr.update {
                Update::Replace => "forces replacement",
                Update::InPlace => "updates in place",
            }
            .to_owned(),
        );
    }
    if attr.sensitive {
        facts.push("**sensitive**".to_owned());
    }
    format!(
        "**`{}`** — attribute of `{owner}`\n\n{}\n\n{}\n\nAWS field: `{}`",
        attr.name,
        facts.join(" · "),
        attr.doc,
        attr.aws
    )
}

/// The hover and completion text of a nested block of `owner`.
pub fn block_markdown(block: &Block, owner: &str) -> String {
    let mut facts = vec![if block.labelled {
        format!("`{} NAME {{ ... }}`", block.name)
    } else {
        format!("`{} {{ ... }}`", block.name)
    }];
    facts.push(match (block.min, block.max) {
        (0, None) => "any number".to_owned(),
        (0, Some(1)) => "optional".to_owned(),
        (min, None) => format!("at least {min}"),
        (min, Some(max)) if min == max => format!("exactly {min}"),
        (min, Some(max)) => format!("{min} to {max}"),
    });
    if block.update == Update::Replace {
        facts.push("forces replacement".to_owned());
    }
    format!(
        "**`{}`** — nested block of `{owner}`\n\n{}\n\n{}\n\nAWS: `{}`",
        block.name,
        facts.join(" · "),
        block.doc,
        block.aws
    )
}

/// The hover text of a meta attribute.
pub fn meta_markdown(meta: &Meta, owner: &str) -> String {
    format!(
        "**`{}`** — attribute of `{owner}`\n\n{}\n\n{}",
        meta.name, meta.detail, meta.doc
    )
}

/// The hover and completion text of a block kind (`vpc`, `variable`).
pub fn kind_markdown(keyword: &str) -> Option<String> {
    match keyword {
        "variable" => Some(format!("**`variable`** — stack input\n\n{VARIABLE_DOC}")),
        "stack" => Some(format!("**`stack`** — the stack itself\n\n{STACK_DOC}")),
        "output" => Some(format!("**`output`** — stack output\n\n{OUTPUT_DOC}")),
        "locals" => Some(format!("**`locals`** — named expressions\n\n{LOCALS_DOC}")),
        berth_lang::syntax::DATA => Some(format!("**`data`** — lookup\n\n{DATA_DOC}")),
        _ => {
            let kind: Kind = keyword.parse().ok()?;
            let schema = kind.schema();
            Some(format!(
                "**`{kind}`** — resource kind\n\n{}\n\nAWS: `{}`\n\nReferenced as `{kind}.NAME`, which evaluates to its `{}`.",
                schema.doc, schema.aws, schema.identity
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn nested_bodies_resolve() {
        let b = body(&path(&["task_definition", "container", "health_check"])).unwrap();
        assert_eq!(b.name(), "health_check");
        assert!(b.entry("interval").is_some());
        assert!(body(&path(&["vpc", "nope"])).is_none());
        assert!(body(&path(&["nope"])).is_none());
        assert!(body(&[]).is_none());
        assert!(matches!(body(&path(&["variable"])), Some(Body::Variable)));
        let output = body(&path(&["output"])).expect("output body");
        assert!(output.entry("value").is_some() && output.entry("for_each").is_none());
        let vpc = body(&path(&["vpc"])).unwrap();
        assert!(vpc.entry("for_each").is_some());
    }

    #[test]
    fn attribute_markdown_has_every_fact() {
        let Some(Entry::Attr(attr)) = body(&path(&["vpc"])).unwrap().entry("cidr") else {
            panic!("vpc.cidr is an attribute");
        };
        let md = attr_markdown(attr, "vpc");
        for part in [
            "`CIDR string`",
            "required",
            "forces replacement",
            "CidrBlock",
            attr.doc,
        ] {
            assert!(md.contains(part), "{part} missing from {md}");
        }
        let Some(Entry::Attr(attr)) = body(&path(&["vpc"])).unwrap().entry("dns_hostnames") else {
            panic!("vpc.dns_hostnames is an attribute");
        };
        let md = attr_markdown(attr, "vpc");
        assert!(
            md.contains("default `false`") && md.contains("updates in place"),
            "{md}"
        );
    }
}
