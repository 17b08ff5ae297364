//! What the crate's unit tests share: a stack's resources as the plan and
//! the providers see them, without the spans that tell where each value
//! was written.

use std::collections::BTreeMap;
use std::path::Path;

use crate::stack::{DesiredBody, DesiredValue, Stack};
use crate::{Options, Sources, analyze, diagnostic, load};

/// A body without its spans.
#[derive(Debug, PartialEq)]
pub struct Shape {
    pub attrs: BTreeMap<String, DesiredValue>,
    pub blocks: BTreeMap<String, Vec<(Option<String>, Shape)>>,
}

fn shape(body: &DesiredBody) -> Shape {
    Shape {
        attrs: body
            .attrs
            .iter()
            .map(|(k, v)| (k.clone(), v.node.clone()))
            .collect(),
        blocks: body
            .blocks
            .iter()
            .map(|(k, bs)| {
                let bs = bs
                    .iter()
                    .map(|b| (b.label.as_ref().map(|l| l.node.clone()), shape(&b.body)))
                    .collect();
                (k.clone(), bs)
            })
            .collect(),
    }
}

/// The stack `text` (one file); panics with the rendered diagnostics when
/// it is not valid.
pub fn stack(text: &str) -> Stack {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("main.berth"), text.as_bytes());
    let options = Options {
        default_name: "test".into(),
        ..Options::default()
    };
    let analysis = analyze(sources, diags, &options);
    let rendered = diagnostic::render(&analysis.sources, &analysis.diagnostics);
    analysis.stack.unwrap_or_else(|| panic!("valid:\n{rendered}"))
}

/// Every resource of the stack `text`, by address.
pub fn resources(text: &str) -> BTreeMap<String, Shape> {
    stack(text)
        .resources
        .iter()
        .map(|r| (r.address.to_string(), shape(&r.body)))
        .collect()
}

/// The messages of the diagnostics with `code` that the stack `text` (one
/// file) is reported with.
pub fn messages(text: &str, code: &str) -> Vec<String> {
    let mut sources = Sources::new();
    sources.add("main.berth", text);
    analyze(sources, Vec::new(), &Options::default())
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}
