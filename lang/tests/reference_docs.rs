//! docs/language.md's kind reference is generated from the schema tables;
//! this test fails when the two drift apart. Regenerate with
//! `BERTH_UPDATE_DOCS=1 cargo test -p berth-lang --test reference_docs`.

use std::fmt::Write;
use std::path::Path;

use berth_provider::Kind;
use berth_provider::lookup::DataKind;
use berth_provider::schema::{Attr, Block, Case, Literal, Order, Presence, Update};

const BEGIN: &str = "<!-- BEGIN GENERATED REFERENCE: do not edit by hand -->";
const END: &str = "<!-- END GENERATED REFERENCE -->";

fn presence(a: &Attr) -> String {
    match a.presence {
        Presence::Required => "required".into(),
        Presence::Optional => "optional".into(),
        Presence::ChosenByAws => "optional (AWS chooses when left out)".into(),
        Presence::Named => "optional (berth names it when left out)".into(),
        Presence::Computed => "computed".into(),
        Presence::Default(l) => format!(
            "default `{}`",
            match l {
                Literal::Bool(b) => b.to_string(),
                Literal::Int(i) => i.to_string(),
                Literal::Str(s) => format!("{s:?}"),
                Literal::EmptyList => "[]".into(),
                Literal::EmptyMap => "{}".into(),
            }
        ),
    }
}

fn attrs_table(out: &mut String, attrs: &[Attr], block_replaces: bool) {
    out.push_str(
        "| attribute | type | presence | on change | AWS field | description |\n|---|---|---|---|---|---|\n",
    );
    for a in attrs {
        let change = match (a.presence, a.update) {
            (Presence::Computed, _) => "—",
            (_, Update::InPlace) if !block_replaces => "update in place",
            (_, Update::InPlace) => "**forces replacement** (with its block)",
            (_, Update::Replace) => "**forces replacement**",
        };
        let sensitive = if a.sensitive {
            " Sensitive: never shown in plans."
        } else {
            ""
        };
        let case = match a.case {
            Case::AsWritten => "",
            Case::Lower => " Any case; AWS keeps it in lower case.",
            Case::Upper => " Any case; AWS keeps it in upper case.",
        };
        let unset = match a.unset {
            Some(Literal::Int(i)) => format!(" `{i}` is the same as leaving it out."),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {change} | `{}` | {}{sensitive}{case}{unset} |",
            a.name,
            a.ty,
            presence(a),
            a.aws,
            a.doc
        );
    }
}

fn block(out: &mut String, b: &Block, path: &str, replaces: bool) {
    let label = if b.labelled { " NAME" } else { "" };
    let count = match (b.min, b.max) {
        (0, None) => "any number".to_owned(),
        (min, None) => format!("at least {min}"),
        (0, Some(max)) => format!("at most {max}"),
        (min, Some(max)) => format!("{min} to {max}"),
    };
    let change = if b.update == Update::Replace {
        "; a change forces replacement"
    } else {
        ""
    };
    let order = match b.order {
        Order::Content => String::new(),
        Order::Written => "; order matters".to_owned(),
        Order::By(attr) => format!("; shown by `{attr}`"),
    };
    let implicit = if b.implicit {
        "; AWS always has one: written equal to the defaults, it is the same as none"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\n#### `{path} {}{label} {{ }}`\n\n{} ({count}{change}{order}{implicit}; AWS: `{}`)\n",
        b.name, b.doc, b.aws
    );
    attrs_table(out, b.attrs, replaces || b.update == Update::Replace);
    for nested in b.blocks {
        block(
            out,
            nested,
            &format!("{path} {}", b.name),
            replaces || b.update == Update::Replace,
        );
    }
}

fn reference() -> String {
    let mut out = String::new();
    for kind in Kind::ALL {
        let s = kind.schema();
        let _ = writeln!(
            out,
            "\n### `{kind}`\n\n{} AWS: {}. A bare reference `{kind}.NAME` means its `{}`.\n",
            s.doc, s.aws, s.identity
        );
        attrs_table(&mut out, s.attrs, false);
        for b in s.blocks {
            block(&mut out, b, kind.keyword(), false);
        }
    }
    lookups(&mut out);
    out
}

/// The `data` kinds: what each takes and exposes.
fn lookups(out: &mut String) {
    out.push_str("\n### Lookups: `data KIND NAME { }`\n");
    for kind in DataKind::ALL {
        let _ = writeln!(
            out,
            "\n#### `data {kind}`\n\nLooks up {}. `data.{kind}.NAME` alone means its `{}`.\n\n| filter | type | description |\n|---|---|---|",
            kind.doc(),
            kind.identity().name
        );
        for f in kind.filters() {
            let _ = writeln!(out, "| `{}` | {} | {} |", f.name, f.ty, f.doc);
        }
        out.push_str("\n| attribute | type | description |\n|---|---|---|\n");
        for a in kind.attrs() {
            let _ = writeln!(out, "| `{}` | {} | {} |", a.name, a.ty, a.doc);
        }
    }
}

#[test]
fn language_reference_matches_the_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/language.md");
    let doc = std::fs::read_to_string(&path).expect("docs/language.md exists");
    let (Some(start), Some(end)) = (doc.find(BEGIN), doc.find(END)) else {
        panic!("docs/language.md lacks the generated-reference markers");
    };
    let generated = reference();
    let current = &doc[start + BEGIN.len()..end];
    if std::env::var_os("BERTH_UPDATE_DOCS").is_some() {
        let updated = format!("{}{BEGIN}{generated}{}", &doc[..start], &doc[end..]);
        std::fs::write(&path, updated).expect("write docs");
        return;
    }
    assert!(
        current == generated,
        "docs/language.md is out of date: run BERTH_UPDATE_DOCS=1 cargo test -p berth-lang --test reference_docs"
    );
}
