//! `network_acl` against a stubbed EC2 client (aws-smithy-mocks): what
//! moto drops, so the moto tests cannot reach it.

use aws_sdk_ec2::operation::create_network_acl::CreateNetworkAclOutput;
use aws_sdk_ec2::operation::create_network_acl_entry::CreateNetworkAclEntryOutput;
use aws_sdk_ec2::types::NetworkAcl;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use berth_provider::{Address, Kind, Provider, Resource, Value};

/// An ICMP entry is sent with its type and code (EC2 answers
/// MissingParameter without the type); one left out is Terraform's 0.
/// moto reads them under another name and drops them.
#[tokio::test]
async fn an_icmp_entry_is_sent_with_its_type_and_code() {
    let create = mock!(aws_sdk_ec2::Client::create_network_acl)
        .match_requests(|r| r.vpc_id() == Some("vpc-0123456789abcdef0"))
        .then_output(|| {
            CreateNetworkAclOutput::builder()
                .network_acl(
                    NetworkAcl::builder()
                        .network_acl_id("acl-0123456789abcdef0")
                        .owner_id("123456789012")
                        .build(),
                )
                .build()
        });
    let entry = mock!(aws_sdk_ec2::Client::create_network_acl_entry)
        .match_requests(|r| {
            let icmp = r.icmp_type_code();
            r.network_acl_id() == Some("acl-0123456789abcdef0")
                && r.protocol() == Some("1")
                && r.rule_number() == Some(130)
                && icmp.and_then(|i| i.r#type()) == Some(8)
                && icmp.and_then(|i| i.code()) == Some(0)
                && r.port_range().is_none()
        })
        .then_output(|| CreateNetworkAclEntryOutput::builder().build());
    let ec2 = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&create, &entry]);
    let p = super::provider(|c| c.ec2 = ec2);
    let ping = Value::Map(
        [
            ("rule_no", Value::Int(130)),
            ("action", Value::from("allow")),
            ("protocol", Value::from("icmp")),
            ("cidr", Value::from("10.0.0.0/16")),
            ("icmp_type", Value::Int(8)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    );
    let acl = Resource {
        address: Address::new(Kind::NetworkAcl, "private"),
        attrs: [
            ("vpc".to_owned(), Value::from("vpc-0123456789abcdef0")),
            ("ingress".to_owned(), Value::List(vec![ping])),
        ]
        .into(),
        created: None,
    };
    let made = p.create("s", &acl).await.expect("created");
    assert_eq!(made.attrs["id"], Value::from("acl-0123456789abcdef0"));
    assert_eq!((create.num_calls(), entry.num_calls()), (1, 1));
}
