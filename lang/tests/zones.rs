//! `availability_zones()`: the zones the caller gives (the cloud's), else
//! the ones AWS documents for the region; the analysis says it was read.

use std::path::Path;

use berth_lang::{Analysis, Options, Sources, analyze, load};
use berth_provider::Kind;

const TEXT: &str = r#"stack "z" { region = "us-west-1" }
vpc main { cidr = "10.0.0.0/16" }
subnet az {
  for_each = availability_zones()
  vpc      = vpc.main
  cidr     = cidrsubnet("10.0.0.0/16", 8, index(availability_zones(), each.key))
  zone     = each.key
}
"#;

fn analyse(text: &str, zones: Option<Vec<String>>) -> Analysis {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("main.berth"), text.as_bytes());
    let options = Options {
        default_name: "test".into(),
        zones,
        ..Options::default()
    };
    analyze(sources, diags, &options)
}

fn subnet_keys(a: &Analysis) -> Vec<String> {
    let stack = a.stack.as_ref().unwrap_or_else(|| panic!("{:#?}", a.diagnostics));
    stack
        .resources
        .iter()
        .filter(|r| r.address.kind == Kind::Subnet)
        .filter_map(|r| r.address.key.clone())
        .collect()
}

#[test]
fn the_documented_zones_stand_in_without_a_cloud() {
    let a = analyse(TEXT, None);
    assert!(a.zones_read);
    assert_eq!(subnet_keys(&a), ["us-west-1a", "us-west-1c"]);
}

#[test]
fn the_clouds_zones_win() {
    let zones = vec!["us-west-1b".to_owned(), "us-west-1c".to_owned()];
    let a = analyse(TEXT, Some(zones.clone()));
    assert_eq!(subnet_keys(&a), zones);
}

#[test]
fn a_stack_without_the_call_does_not_read_zones() {
    let a = analyse(r#"vpc main { cidr = "10.0.0.0/16" }"#, None);
    assert!(a.stack.is_some());
    assert!(!a.zones_read);
}
