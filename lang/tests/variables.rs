//! Variables set from the command line (`--var`, `--var-file`) and what
//! evaluation makes of them.

use std::collections::BTreeMap;
use std::path::Path;

use berth_lang::{Analysis, Options, Sources, analyze, load};
use berth_provider::{Address, Kind, Value};

/// Analyses one file `main.berth` holding `text`, with `--var` settings.
fn analyse(text: &str, vars: &[(&str, &str)]) -> Analysis {
    let mut sources = Sources::new();
    let mut diags = Vec::new();
    load::add_bytes(&mut sources, &mut diags, Path::new("main.berth"), text.as_bytes());
    let options = Options {
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        default_name: "test".into(),
        ..Options::default()
    };
    analyze(sources, diags, &options)
}

/// The value `attr` of `address` in the evaluated stack.
#[track_caller]
fn known(analysis: &Analysis, address: &Address, attr: &str) -> Value {
    let stack = analysis.stack.as_ref().unwrap_or_else(|| {
        panic!("invalid stack: {:#?}", analysis.diagnostics);
    });
    let r = stack.resource(address).expect("declared");
    r.body.known(attr).cloned().expect("known value")
}

#[test]
fn a_variable_with_a_null_default_can_be_set() {
    let a = analyse(
        "variable name { default = null }\nstack \"s-${var.name}\" {}\ncluster main { container_insights = false }\n",
        &[("name", "prod")],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert_eq!(a.stack.as_ref().map(|s| s.name.as_str()), Some("s-prod"));
}

#[test]
fn a_null_default_takes_literals_as_written_and_other_text_as_a_string() {
    let text = r#"
variable days { default = null }
variable on   { default = null }
variable word { default = null }
variable text { default = null }
stack "s-${var.word}-${var.text}" {}
log_group logs { retention_days = var.days }
cluster main {
  container_insights = var.on
}
vpc main {
  cidr          = "10.0.0.0/16"
  dns_hostnames = var.on
}
"#;
    let a = analyse(
        text,
        &[
            ("days", "14"),
            ("on", "true"),
            ("word", "prod"),
            ("text", "\"quoted\""),
        ],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let logs = Address::new(Kind::LogGroup, "logs");
    assert_eq!(known(&a, &logs, "retention_days"), Value::Int(14));
    let cluster = Address::new(Kind::Cluster, "main");
    assert_eq!(known(&a, &cluster, "container_insights"), Value::Bool(true));
    assert_eq!(a.stack.as_ref().map(|s| s.name.as_str()), Some("s-prod-quoted"));
}

#[test]
fn a_variable_left_null_stays_null() {
    let a = analyse(
        "variable days { default = null }\nlog_group logs { retention_days = var.days }\n",
        &[],
    );
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let logs = Address::new(Kind::LogGroup, "logs");
    assert_eq!(known(&a, &logs, "retention_days"), Value::Null);
}
