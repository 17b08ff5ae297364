//! Validates a generated 10 MB file written on one line, with an error near
//! its end, and prints how long the report takes and how much of the
//! source it prints (issue 11: well under a second, a few hundred bytes).
//!
//! Run: `cargo run --release -p berth-bench --no-default-features --bin bench-long-line [MIB]`

use std::time::Instant;

use berth_bench::{PER_GROUP, peak_rss_mib, stack};
use berth_lang::{Options, Sources, analyze, diagnostic};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bytes of source per generated resource, about (see `bench/src/lib.rs`).
const BYTES_PER_RESOURCE: usize = 115;

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let resources = mib * 1_048_576 / BYTES_PER_RESOURCE / PER_GROUP * PER_GROUP;
    // A generated stack with its newlines turned into spaces (items may be
    // separated by either), as a minifier or a generator would write it.
    let many = stack(resources).replace('\n', " ");
    // A few resources and one long value: a 10 MB tag.
    let long_value = format!(
        "vpc v {{ cidr = \"10.0.0.0/16\" tags = {{ blob = \"{}\" }} }} subnet s {{ vpc = vpc.v cidr = \"10.0.1.0/24\" zone = \"us-east-1a\" }}",
        "x".repeat(many.len())
    );
    let syntax = " vpc broken { cidr: \"10.9.0.0/16\" }";
    let schema = " vpc broken { cidrr = \"10.9.0.0/16\" }";
    let cases = [
        ("stack, syntax error", &many, syntax, RUNS),
        ("stack, schema error", &many, schema, 3),
        ("long tag, schema error", &long_value, schema, RUNS),
    ];
    println!(
        "one line of {:.1} MiB ({} resources), or of {:.1} MiB (2 resources, a 10 MB tag)",
        many.len() as f64 / 1_048_576.0,
        resources + 4,
        long_value.len() as f64 / 1_048_576.0
    );
    for (what, line, error, runs) in cases {
        // The error goes about a thousand bytes before the end of the line.
        let cut = line.len() - 1000;
        let cut = (cut..line.len())
            .find(|&i| line[i..].starts_with(" subnet") || line[i..].starts_with(" vpc"))
            .unwrap_or(line.len());
        let text = format!("{}{error}{}", &line[..cut], &line[cut..]);
        let mut times: Vec<(f64, usize, usize)> = (0..runs).map(|_| validate(&text)).collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (median, printed, errors) = times[runs / 2];
        println!(
            "{:<24}median {median:.0} ms, best {:.0} ms ({runs} runs); {errors} errors, report {printed} bytes",
            format!("{what}:"),
            times[0].0
        );
    }
    if let Some(mib) = peak_rss_mib() {
        println!("peak RSS:               {mib:.0} MiB");
    }
}

const RUNS: usize = 5;

/// What `berth validate` does with one file: analyse, then render the
/// diagnostics. Returns the milliseconds taken, the report's length and
/// the number of errors.
fn validate(text: &str) -> (f64, usize, usize) {
    let start = Instant::now();
    let mut sources = Sources::new();
    sources.add("long.berth", text);
    let analysis = analyze(sources, Vec::new(), &Options::default());
    let report = diagnostic::render(&analysis.sources, &analysis.diagnostics);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if analysis.diagnostics.is_empty() {
        eprintln!("expected an error, the file validated");
        std::process::exit(1);
    }
    (ms, report.len(), analysis.diagnostics.len())
}
