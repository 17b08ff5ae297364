//! Terraform's `data "aws_vpc_endpoint_service"` of an AWS service
//! (`service = "ecr.api"`: terraform-aws-modules/vpc's endpoints read
//! every endpoint's `service_name` so): not a lookup berth asks AWS, but
//! AWS's own name of the service in the stack's region,
//! `com.amazonaws.REGION.SERVICE`. Every reference to its `service_name`
//! is that text, the region read from a `data region` block made for it;
//! one naming its `service_name` reads it as written.

use std::collections::BTreeMap;

use super::{CODE, stray};
use crate::FileId;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Block, Expr, ExprKind, File, Ident, Item, Label, Step, StrPart, Traversal};

/// The data kind.
const KIND: &str = "vpc_endpoint_service";
/// The `data region` block the names read the stack's region from.
const REGION: &str = "berth_vpc_endpoint_services";

/// What a lookup names: an AWS service (`ecr.api`), or a whole service
/// name as written.
enum Named {
    Service(Expr),
    ServiceName(Expr),
}

/// Takes every `data aws_vpc_endpoint_service` block out of `files` and
/// writes each reference to its `service_name` as the name it stands for.
pub(super) fn fold(files: &mut [(FileId, File)], diags: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<String, Named> = BTreeMap::new();
    let mut at = None;
    for (name, block) in super::take_data(files, KIND) {
        let span = block.subkind.as_ref().map_or(block.span, |k| k.span);
        at.get_or_insert(span);
        let mut named = None;
        for item in block.body {
            match item {
                Item::Attribute(a) if a.name.name == "service" => named = Some(Named::Service(a.value)),
                Item::Attribute(a) if a.name.name == "service_name" => {
                    named = Some(Named::ServiceName(a.value))
                }
                // Which of the service's endpoint types: the name is one.
                Item::Attribute(a) if matches!(a.name.name.as_str(), "service_type" | "depends_on") => {}
                Item::Block(b) if b.kind.name == "filter" => {}
                other => diags.push(stray(
                    &other,
                    "a vpc_endpoint_service",
                    "`service` (or `service_name`), `service_type` and `filter`",
                )),
            }
        }
        match named {
            Some(n) => {
                names.insert(name, n);
            }
            None => diags.push(
                Diagnostic::error(CODE, "a vpc_endpoint_service without its `service`", span)
                    .label("no `service = ...`")
                    .help("name the AWS service: `service = \"ecr.api\"`"),
            ),
        }
    }
    let Some(at) = at.filter(|_| !names.is_empty()) else {
        return;
    };
    if let Some((_, file)) = files.first_mut() {
        file.blocks.push(region_block(at));
    }
    super::inline_data(files, KIND, &mut |name, rest, span| {
        let named = names.get(name)?;
        match (rest, named) {
            ([Step::Attr(attr)], Named::Service(service)) if attr.name == "service_name" => {
                Some(service_name(service, span))
            }
            ([Step::Attr(attr)], Named::ServiceName(given)) if attr.name == "service_name" => {
                Some(given.clone())
            }
            ([Step::Attr(attr)], Named::Service(service)) if attr.name == "service" => Some(service.clone()),
            _ => {
                diags.push(
                    Diagnostic::error(CODE, "a vpc_endpoint_service is read as its `service_name`", span)
                        .label("not `.service_name`")
                        .help(format!("write `data.aws_{KIND}.{name}.service_name`")),
                );
                Some(Expr {
                    kind: ExprKind::Null,
                    span,
                })
            }
        }
    });
}

/// `"com.amazonaws.${data.region.REGION.name}.${service}"`.
fn service_name(service: &Expr, span: Span) -> Expr {
    let region = Expr {
        kind: ExprKind::Traversal(Traversal::path(
            &[crate::syntax::DATA, "region", REGION, "name"],
            span,
        )),
        span,
    };
    Expr {
        kind: ExprKind::String(vec![
            StrPart::Lit("com.amazonaws.".to_owned()),
            StrPart::Interp(region),
            StrPart::Lit(".".to_owned()),
            StrPart::Interp(service.clone()),
        ]),
        span,
    }
}

/// `data region REGION {}`: the stack's region.
fn region_block(span: Span) -> Block {
    let ident = |name: &str| Ident {
        name: name.to_owned(),
        span,
    };
    Block {
        kind: ident(crate::syntax::DATA),
        subkind: Some(ident("region")),
        label: Some(Label::Ident(ident(REGION))),
        body: Vec::new(),
        span,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::resources;

    /// terraform-aws-modules/vpc's vpc-endpoints: each endpoint's
    /// `service_name` from the lookup of its service (E0590, not a lookup
    /// kind, before).
    #[test]
    fn an_aws_services_name_is_its_name_in_the_stacks_region() {
        let stack = |service_name: &str| {
            resources(&format!(
                "provider \"aws\" {{ region = \"eu-west-1\" }}\n\
                 data \"aws_vpc_endpoint_service\" \"this\" {{\n  service      = \"ecr.api\"\n  service_type = \"Interface\"\n  filter {{\n    name   = \"service-type\"\n    values = [\"Interface\"]\n  }}\n}}\n\
                 resource \"aws_vpc\" \"v\" {{\n  cidr_block = \"10.0.0.0/16\"\n  enable_dns_hostnames = true\n}}\n\
                 resource \"aws_vpc_endpoint\" \"ecr\" {{\n  vpc_id = aws_vpc.v.id\n  service_name = {service_name}\n  vpc_endpoint_type = \"Interface\"\n}}\n"
            ))
            .remove("vpc_endpoint.ecr")
            .expect("the endpoint")
        };
        assert_eq!(
            stack("data.aws_vpc_endpoint_service.this.service_name"),
            stack("\"com.amazonaws.eu-west-1.ecr.api\"")
        );
    }
}
