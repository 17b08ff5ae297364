//! `berth plan --format markdown` as a pull request shows it: parsed with a
//! real CommonMark + GFM parser (comrak), bounded in size on generated
//! stacks of 1,000 resources, degrading creates first and destructive
//! changes last, and still a comment when the plan fails. Also the line
//! naming where a plan runs, and shell completions.

mod common;

use std::path::Path;

use common::{Project, berth_in, example};
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};

/// The default `--max-chars`, under GitHub's comment limit of 65,536.
const DEFAULT_MAX: usize = 65_000;

// ------------------------------------------------------------ generated stacks

/// A stack of `1 + logs + groups + tasks` resources: a VPC, log groups,
/// security groups with a rule, and task definitions whose container has
/// twenty environment variables (a long diff, shown in `<details>`).
/// `logs` are numbered from `first_log`; `retention` and `image` vary them.
struct Gen {
    first_log: usize,
    logs: usize,
    groups: usize,
    tasks: usize,
    retention: u32,
    image: &'static str,
    new_logs: usize,
}

impl Gen {
    fn text(&self) -> String {
        let mut out = vec![
            "stack \"big\" { region = \"us-east-1\" }".to_owned(),
            "vpc main { cidr = \"10.0.0.0/16\" }".to_owned(),
        ];
        for i in self.first_log..self.first_log + self.logs {
            out.push(format!(
                "log_group lg{i} {{ retention_days = {} }}",
                self.retention
            ));
        }
        for i in 0..self.new_logs {
            out.push(format!("log_group new{i} {{ retention_days = 7 }}"));
        }
        for i in 0..self.groups {
            out.push(format!(
                "security_group sg{i} {{\n  vpc = vpc.main\n  ingress {{\n    port = 80\n    cidr = \"10.0.0.0/8\"\n  }}\n}}"
            ));
        }
        // Five variables name the image too, so a new image makes a diff
        // past the markdown's inline limit.
        let env: Vec<String> = (0..20)
            .map(|k| match k {
                0..5 => format!("K{k} = \"v{k} {}\"", self.image),
                _ => format!("K{k} = \"v{k}\""),
            })
            .collect();
        for i in 0..self.tasks {
            out.push(format!(
                "task_definition td{i} {{\n  cpu = 256\n  memory = 512\n  container app {{\n    image = \"{}\"\n    env = {{ {} }}\n  }}\n}}",
                self.image,
                env.join(" ")
            ));
        }
        out.join("\n\n") + "\n"
    }

    fn write(&self, p: &Project) {
        p.write("main.berth", &self.text());
    }
}

/// An empty stack directory.
fn project() -> Project {
    let p = example("blog");
    for entry in std::fs::read_dir(&p.dir).expect("dir") {
        std::fs::remove_file(entry.expect("entry").path()).expect("remove");
    }
    p
}

fn plan_markdown(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["plan", "--format", "markdown"];
    args.extend_from_slice(extra);
    let run = berth_in(dir, &args, &[], None);
    run.expect_code(0);
    run.stdout
}

// ------------------------------------------------------------ reading markdown

/// What a comment holds, as GFM parses it.
#[derive(Debug, Default)]
struct Comment {
    /// The first block's HTML, if it is an HTML block (the marker).
    first_html: Option<String>,
    /// Top-level sections: heading text and the diff blocks under it.
    sections: Vec<(String, Vec<String>)>,
    /// Every fenced block: info string and text.
    blocks: Vec<(String, String)>,
    /// Text of GFM alerts (`> [!WARNING]`).
    alerts: Vec<String>,
    /// `<details>` sections opened.
    details: usize,
}

fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn parse(md: &str) -> Comment {
    let arena = Arena::new();
    let mut options = Options::default();
    options.extension.alerts = true;
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    let root = parse_document(&arena, md, &options);
    let mut comment = Comment::default();
    for (i, node) in root.children().enumerate() {
        match &node.data().value {
            NodeValue::HtmlBlock(html) => {
                if i == 0 {
                    comment.first_html = Some(html.literal.clone());
                }
                comment.details += html.literal.matches("<details>").count();
            }
            NodeValue::Heading(_) => comment.sections.push((text_of(node), Vec::new())),
            NodeValue::CodeBlock(block) => {
                comment.blocks.push((block.info.clone(), block.literal.clone()));
                if block.info == "diff"
                    && let Some((_, diffs)) = comment.sections.last_mut()
                {
                    diffs.push(block.literal.clone());
                }
            }
            NodeValue::Alert(_) => comment.alerts.push(text_of(node)),
            _ => {}
        }
    }
    comment
}

/// How many resource diffs a section shows: their `# ADDRESS will be ...`
/// header lines.
fn diffs_shown(diffs: &[String]) -> usize {
    diffs
        .iter()
        .flat_map(|d| d.lines())
        .filter(|l| l.starts_with("   # ") && (l.contains(" will be ") || l.contains(" must be ")))
        .count()
}

/// The section whose heading starts with `title`, if any.
fn section<'c>(c: &'c Comment, title: &str) -> Option<&'c [String]> {
    c.sections
        .iter()
        .find(|(h, _)| h.starts_with(title))
        .map(|(_, d)| d.as_slice())
}

/// Every line of every diff block starts with `+`, `-`, `!` or a blank, so
/// GitHub colours it by what happens; a `+` or `-` line's own symbol, if
/// any, does not contradict it.
#[track_caller]
fn assert_diff_columns(c: &Comment) {
    let diffs: Vec<&String> = c
        .blocks
        .iter()
        .filter(|(i, _)| i == "diff")
        .map(|(_, t)| t)
        .collect();
    assert!(!diffs.is_empty(), "no diff block in {c:?}");
    for text in diffs {
        for line in text.lines() {
            let first = line.chars().next();
            assert!(
                matches!(first, None | Some('+' | '-' | '~' | ' ')),
                "column 0 of {line:?}"
            );
            // A resource's own symbol agrees with its column 0.
            let rest = line.get(1..).unwrap_or_default().trim_start();
            match (first, rest.chars().next()) {
                (Some('+'), Some(s)) => assert!(!matches!(s, '-' | '~'), "{line:?}"),
                (Some('-'), Some(s)) => assert!(!matches!(s, '+' | '~'), "{line:?}"),
                _ => {}
            }
        }
    }
}

#[track_caller]
fn assert_opens_with_marker(md: &str, c: &Comment, stack: &str) {
    let marker = format!("<!-- berth plan: {stack} -->");
    assert_eq!(md.lines().next(), Some(marker.as_str()));
    assert_eq!(c.first_html.as_deref().map(str::trim_end), Some(marker.as_str()));
}

// ------------------------------------------------------------------- tests

#[test]
fn a_thousand_creates_fit_one_comment_at_any_bound() {
    let p = project();
    let stack = Gen {
        first_log: 0,
        logs: 700,
        groups: 200,
        tasks: 99,
        retention: 7,
        image: "repo/app:v1",
        new_logs: 0,
    };
    stack.write(&p);
    let md = plan_markdown(&p.dir, &[]);
    let n = md.chars().count();
    assert!(n <= DEFAULT_MAX, "{n} characters");
    // Nearly all the room is used: creates lose their diffs one by one.
    assert!(n > 60_000, "{n} characters");
    let c = parse(&md);
    assert_opens_with_marker(&md, &c, "big");
    assert!(
        md.contains("**Plan:** 1000 to add, 0 to change, 0 to destroy on stack `big`"),
        "{md}"
    );
    assert!(md.contains("**Where:** local simulation (./.berth/local-cloud.json), region us-east-1"));
    let created = section(&c, "Created (1000)").expect("a Created section");
    let shown = diffs_shown(created);
    assert!(shown > 0 && shown < 1000, "{shown} diffs shown");
    assert!(
        md.contains(&format!("the diffs of {} created resources", 1000 - shown)),
        "{md}"
    );
    assert!(md.contains("The whole plan: the JSON plan"), "{md}");
    assert_diff_columns(&c);

    for max in [1000, 3000, 12_000, 40_000] {
        let bound = max.to_string();
        let url = "https://example.invalid/run/1";
        let md = plan_markdown(&p.dir, &["--max-chars", &bound, "--full-plan-url", url]);
        assert!(md.chars().count() <= max, "{max}: {}", md.chars().count());
        let c = parse(&md);
        assert_opens_with_marker(&md, &c, "big");
        assert!(md.contains("**Plan:** 1000 to add"), "{max}: {md}");
        assert!(md.contains(&format!("The whole plan: <{url}>.")), "{max}: {md}");
        assert!(
            c.sections.iter().any(|(h, _)| h == "Created (1000)"),
            "{max}: {md}"
        );
    }
}

#[test]
fn destructive_changes_come_first_and_lose_their_diffs_last() {
    let p = project();
    let before = Gen {
        first_log: 0,
        logs: 120,
        groups: 0,
        tasks: 30,
        retention: 7,
        image: "repo/app:v1",
        new_logs: 0,
    };
    before.write(&p);
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    // 20 log groups go, 100 change, 20 come, 30 task definitions are
    // replaced for their image.
    let after = Gen {
        first_log: 20,
        logs: 100,
        retention: 14,
        image: "repo/app:v2",
        new_logs: 20,
        ..before
    };
    after.write(&p);

    let md = plan_markdown(&p.dir, &[]);
    let c = parse(&md);
    assert_opens_with_marker(&md, &c, "big");
    let headings: Vec<&str> = c.sections.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Destroyed or replaced (50)",
            "Updated in place (100)",
            "Created (20)"
        ]
    );
    // Every deletion and replacement is named up front, replacements with
    // the attribute that forces them.
    let [alert] = c.alerts.as_slice() else {
        panic!("one alert: {c:?}")
    };
    for i in 0..20 {
        assert!(alert.contains(&format!("log_group.lg{i} (destroy)")), "{alert}");
    }
    for i in 0..30 {
        assert!(
            alert.contains(&format!(
                "task_definition.td{i} (replace, create before destroy), forced by container"
            )),
            "{alert}"
        );
    }
    assert!(c.details >= 30, "long diffs are collapsed: {}", c.details);
    assert_diff_columns(&c);

    // Shrinking the bound drops create diffs, then update diffs, then
    // destructive ones; never a later group's before an earlier one's.
    let mut seen_destructive_cut = false;
    for max in [60_000, 30_000, 15_000, 8_000, 4_000, 2_000, 1_000] {
        let md = plan_markdown(&p.dir, &["--max-chars", &max.to_string()]);
        assert!(md.chars().count() <= max, "{max}: {}", md.chars().count());
        let c = parse(&md);
        assert_opens_with_marker(&md, &c, "big");
        let shown = |title| section(&c, title).map_or(0, diffs_shown);
        let (d, u, k) = (shown("Destroyed"), shown("Updated"), shown("Created"));
        if d < 50 {
            // Not even the names of the others are left.
            assert_eq!((u, k), (0, 0), "{max}: destructive cut first? {md}");
            for title in ["Updated", "Created"] {
                assert_eq!(section(&c, title).map(<[String]>::len), Some(0), "{max}: {md}");
            }
            seen_destructive_cut = true;
        }
        if u < 100 {
            assert_eq!(k, 0, "{max}: updates cut before creates? {md}");
        }
        if (d, u, k) != (50, 100, 20) {
            assert!(md.contains("**Left out to fit one comment**"), "{max}: {md}");
        }
    }
    assert!(seen_destructive_cut, "the smallest bounds cut destructive diffs");
}

#[test]
fn a_small_plan_renders_whole_with_details_and_an_alert() {
    let p = example("blog");
    p.berth(&["apply", "--auto-approve"]).expect_code(0);
    p.edit("main.berth", "login:${var.env}", "login:${var.env}-2");
    let md = plan_markdown(&p.dir, &[]);
    assert!(!md.contains("Left out"), "{md}");
    let mut options = Options::default();
    options.extension.alerts = true;
    let html = comrak::markdown_to_html(&md, &options);
    assert!(html.contains("markdown-alert-warning"), "{html}");
    assert!(html.contains("<pre><code class=\"language-diff\">"), "{html}");
    let c = parse(&md);
    assert_eq!(c.details, 1, "the task definition's long diff: {md}");
    assert_opens_with_marker(&md, &c, "blog-dev");
    assert_diff_columns(&c);
}

#[test]
fn an_invalid_stack_is_still_a_comment_with_its_diagnostics() {
    let p = example("blog");
    p.write(
        "broken.berth",
        "log_group x {\n  retention_days = \"a week\"\n}\n",
    );
    let run = p.berth(&["plan", "--format", "markdown"]);
    run.expect_code(1);
    let md = &run.stdout;
    let c = parse(md);
    assert_opens_with_marker(md, &c, "blog-dev");
    assert!(
        md.contains("**Plan failed** for stack `blog-dev`: the configuration is invalid (1 problem)."),
        "{md}"
    );
    let [(info, text)] = c.blocks.as_slice() else {
        panic!("one code block: {md}")
    };
    assert_eq!(info, "text");
    assert!(text.contains("broken.berth:2:"), "file:line in {text}");
    // The terminal still gets them on stderr.
    assert!(run.stderr.contains("broken.berth:2:"), "{}", run.stderr);

    // The marker names the stack as the variables make it.
    let run = p.berth(&["plan", "--format", "markdown", "--var", "env=qa"]);
    run.expect_code(1);
    assert!(
        run.stdout.starts_with("<!-- berth plan: blog-qa -->\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_long_list_of_problems_is_cut_to_fit() {
    let p = example("blog");
    let broken: String = (0..300)
        .map(|i| format!("log_group x{i} {{\n  retention_days = \"a week\"\n}}\n"))
        .collect();
    p.write("broken.berth", &broken);
    let run = p.berth(&["plan", "--format", "markdown", "--max-chars", "3000"]);
    run.expect_code(1);
    let md = &run.stdout;
    assert!(md.chars().count() <= 3000, "{}", md.chars().count());
    assert!(md.contains("the configuration is invalid (300 problems)"), "{md}");
    let c = parse(md);
    let [(_, text)] = c.blocks.as_slice() else {
        panic!("one code block: {md}")
    };
    assert!(text.contains("broken.berth:2:"), "{text}");
    assert!(text.trim_end().ends_with("more lines: see the CI log"), "{text}");
}

#[test]
fn a_cloud_error_is_still_a_comment() {
    let p = example("blog");
    let env = [
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_MAX_ATTEMPTS", "1"),
    ];
    let run = p.berth_with(&["plan", "--cloud", "aws", "--format", "markdown"], &env, None);
    run.expect_code(1);
    let md = &run.stdout;
    let c = parse(md);
    assert_opens_with_marker(md, &c, "blog-dev");
    assert!(
        md.contains("**Plan failed** for stack `blog-dev`: berth could not make the plan."),
        "{md}"
    );
    assert!(
        md.contains("**Where:** AWS region us-east-1, endpoint http://127.0.0.1:9"),
        "{md}"
    );
    let [(info, text)] = c.blocks.as_slice() else {
        panic!("one code block: {md}")
    };
    assert_eq!(info, "text");
    // The run's first call, the account's, names the unreachable endpoint.
    assert!(
        text.contains("cannot ask the cloud which account it is: GetCallerIdentity failed"),
        "{text}"
    );
}

#[test]
fn an_error_after_the_plan_adds_no_second_comment() {
    let p = example("blog");
    let run = p.berth(&["plan", "--format", "markdown", "--out", "no/such/dir/plan"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout.matches("<!-- berth plan:").count(),
        1,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("**Plan:** 16 to add"), "{}", run.stdout);
    assert!(
        run.stderr.contains("error: cannot write no/such/dir/plan"),
        "{}",
        run.stderr
    );
}

#[test]
fn plan_and_apply_say_where_they_run() {
    let p = example("blog");
    let line = "stack \"blog-dev\" on local simulation (./.berth/local-cloud.json), region us-east-1";
    let run = p.berth(&["plan"]);
    run.expect_code(0);
    assert!(
        run.stderr.starts_with(&format!("Planning {line}\n")),
        "{}",
        run.stderr
    );
    let run = p.berth(&["apply", "--auto-approve"]);
    run.expect_code(0);
    assert!(
        run.stderr.starts_with(&format!("Applying {line}\n")),
        "{}",
        run.stderr
    );
    let run = p.berth(&["destroy", "--auto-approve", "--local-state", "other.json"]);
    run.expect_code(0);
    assert!(
        run.stderr.starts_with(
            "Destroying stack \"blog-dev\" on local simulation (other.json), region us-east-1\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn no_color_is_accepted_everywhere_and_plain_output_has_no_escapes() {
    let p = example("blog");
    let run = p.berth(&["--no-color", "plan"]);
    run.expect_code(0);
    let run2 = p.berth(&["plan", "--no-color"]);
    run2.expect_code(0);
    for out in [&run.stdout, &run.stderr, &run2.stdout] {
        assert!(!out.contains('\x1b'), "{out}");
    }
}

/// `berth ARGS` on a pseudo-terminal (util-linux `script`), with `NO_COLOR`
/// set to `no_color` or unset: what it printed.
fn on_a_terminal(p: &Project, args: &str, no_color: Option<&str>) -> String {
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &format!("'{}' {args}", common::BERTH), "/dev/null"])
        .current_dir(&p.dir)
        .env_remove("BERTH_CLOUD")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().expect("util-linux `script` runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_only_on_a_terminal_without_no_color() {
    let p = example("blog");
    assert!(
        on_a_terminal(&p, "plan", None).contains("\x1b["),
        "a terminal is coloured"
    );
    assert!(
        on_a_terminal(&p, "plan", Some("")).contains("\x1b["),
        "an empty NO_COLOR is unset"
    );
    assert!(!on_a_terminal(&p, "plan", Some("1")).contains("\x1b["));
    assert!(!on_a_terminal(&p, "plan --no-color", None).contains("\x1b["));
    // Diagnostics too.
    p.write(
        "broken.berth",
        "log_group x {\n  retention_days = \"a week\"\n}\n",
    );
    assert!(on_a_terminal(&p, "validate", None).contains("\x1b["));
    assert!(!on_a_terminal(&p, "--no-color validate", None).contains("\x1b["));
    assert!(!on_a_terminal(&p, "validate", Some("1")).contains("\x1b["));
}

#[test]
fn completions_name_every_subcommand() {
    let dir = tempfile::tempdir().expect("temp dir");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = berth_in(dir.path(), &["completions", shell], &[], None);
        run.expect_code(0);
        for sub in [
            "validate",
            "fmt",
            "plan",
            "apply",
            "destroy",
            "graph",
            "completions",
        ] {
            assert!(run.stdout.contains(sub), "{shell} lacks {sub}");
        }
        assert!(run.stdout.contains("max-chars"), "{shell} lacks plan's flags");
    }
    berth_in(dir.path(), &["completions", "tcsh"], &[], None).expect_code(2);
}
