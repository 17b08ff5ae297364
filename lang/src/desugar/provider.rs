//! Terraform's `terraform { }` and `provider "aws" { }` blocks, kept as a
//! ported root has them (`versions.tf`, `providers.tf`). berth keeps no
//! state file and needs no provider versions (its tags are its state), so
//! a `terraform` block says nothing to it; the AWS provider's `region` and
//! `default_tags { tags }` are what the `stack` block holds, so without a
//! `stack` block it stands for one (named, as a stack without one is,
//! after its directory). What would send the stack elsewhere than the
//! environment's credentials say (a `profile`, an `assume_role`, keys, an
//! `alias` for a second region) is E0211: berth deploys a stack with the
//! SDK's credentials, to one region. A resource's `provider = aws.X`
//! meta-argument is left aside: only such a block could make it mean
//! another region.

use super::{CODE, attribute, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Block, ExprKind, File, Ident, Item, Label};

const PROVIDER: &str = "provider";
const TERRAFORM: &str = "terraform";
const STACK: &str = "stack";

/// Whether `block` is the `stack` block a provider block stands for.
pub(crate) fn from_provider(block: &Block) -> bool {
    block.kind.name == STACK && block.subkind.as_ref().is_some_and(|k| k.name == PROVIDER)
}

/// Takes Terraform's `terraform` and `provider` blocks out of `files`; the
/// AWS provider's settings become the `stack` block's when the stack has
/// none.
pub(super) fn rewrite(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let has_stack = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .any(|b| b.kind.name == STACK);
    let mut made = false;
    for (_, file) in files.iter_mut() {
        let mut kept = Vec::new();
        for block in std::mem::take(&mut file.blocks) {
            match block.kind.name.as_str() {
                TERRAFORM if block.label.is_none() => {}
                PROVIDER if aws(&block) => {
                    if let Some(stack) = stack(block, has_stack || made, diags) {
                        made = true;
                        kept.push(stack);
                    }
                }
                // Other providers' (`random`, `tls`): their resources say
                // what berth makes of them.
                PROVIDER => {}
                _ => kept.push(without_provider(block)),
            }
        }
        file.blocks = kept;
    }
}

/// `block` (a resource or lookup) without Terraform's `provider = aws.X`
/// meta-argument: a module written for a caller's aliased provider
/// (`configuration_aliases`) names it on every block, and the stack has
/// one region; an aliased `provider "aws"` block, which would send the
/// stack elsewhere, is refused where it is written.
fn without_provider(mut block: Block) -> Block {
    block.body.retain(|item| {
        let Item::Attribute(a) = item else { return true };
        let aws = matches!(&a.value.kind, ExprKind::Traversal(t) if t.root.name == "aws");
        !(a.name.name == PROVIDER && aws)
    });
    block
}

/// Whether `block` is `provider "aws"`.
fn aws(block: &Block) -> bool {
    matches!(&block.label, Some(label) if label.text() == Some("aws"))
}

/// The `stack` block the provider `block` stands for; none when the stack
/// has one already (`taken`), or, with E0211, for a setting berth does not
/// take.
fn stack(block: Block, taken: bool, diags: &mut Vec<Diagnostic>) -> Option<Block> {
    let before = diags.len();
    let mut body = Vec::new();
    for item in block.body {
        match item {
            Item::Attribute(a) if a.name.name == "region" => body.push(Item::Attribute(a)),
            Item::Block(b) if b.kind.name == "default_tags" => {
                for inner in b.body {
                    match inner {
                        Item::Attribute(a) if a.name.name == "tags" => {
                            let at = a.name.span;
                            body.push(attribute("tags", a.value, at));
                        }
                        other => diags.push(stray(&other, "`default_tags`", "`tags`")),
                    }
                }
            }
            // What the SDK reads anyway, or tunes only Terraform's calls.
            Item::Attribute(a) if QUIET.contains(&a.name.name.as_str()) => {}
            other => diags.push(stray(&other, "the `aws` provider", TAKES)),
        }
    }
    if diags.len() > before {
        return None;
    }
    // `provider "aws" {}` beside a `stack` block says nothing more.
    if taken && body.is_empty() {
        return None;
    }
    if taken {
        diags.push(
            Diagnostic::error(
                CODE,
                "the stack's region and tags are given twice",
                block.kind.span,
            )
            .label("a `provider \"aws\"` beside a `stack` block (or another provider)")
            .help("keep one: the `stack` block, or one `provider \"aws\"` block"),
        );
        return None;
    }
    Some(Block {
        kind: Ident {
            name: STACK.into(),
            span: block.kind.span,
        },
        subkind: Some(Ident {
            name: PROVIDER.into(),
            span: block.kind.span,
        }),
        label: None::<Label>,
        body,
        span: block.span,
    })
}

/// Provider settings that change nothing berth does.
const QUIET: &[&str] = &[
    "skip_metadata_api_check",
    "skip_region_validation",
    "skip_credentials_validation",
    "skip_requesting_account_id",
    "max_retries",
    "retry_mode",
    // Terraform 0.12's pin of the provider's version (now in
    // `required_providers`, which berth leaves aside too).
    "version",
];

/// What an `aws` provider block may hold.
const TAKES: &str = "`region` and `default_tags { tags }` (berth deploys with the SDK's credentials from the environment, to one region: no `profile`, `assume_role`, keys or `alias`)";
