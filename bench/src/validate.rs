//! Generates a stack of about 10,000 resources and prints how long parse,
//! resolve and validate take, and the peak memory (RSS).
//!
//! Run: `cargo run --release -p berth-bench --bin bench-validate [RESOURCES]`

use std::time::Instant;

use berth_bench::{peak_rss_mib, stack};
use berth_lang::{Analysis, Options, Sources, analyze};

// The same allocator as the `berth` binary, so the figures are its figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Times each stage of the front end on `text`, in milliseconds.
fn stages(text: &str) -> Vec<(&'static str, f64)> {
    use berth_lang::check::{declare, domain, refs, schema, types};
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let t = Instant::now();
    let Ok(file) = berth_lang::syntax::parse(berth_lang::FileId(0), text) else {
        return out;
    };
    out.push(("parse", ms(t)));
    let t = Instant::now();
    let module = declare::collect(file.blocks.iter(), &mut diags);
    module
        .resources
        .values()
        .for_each(|d| schema::check_resource(d, &mut diags, &mut Vec::new()));
    out.push(("declarations + schema", ms(t)));
    let t = Instant::now();
    let deps = refs::resolve(&module, &mut diags);
    out.push(("references", ms(t)));
    let options = berth_lang::Options {
        default_name: "bench".into(),
        ..Default::default()
    };
    let mut sources = berth_lang::Sources::new();
    sources.add("bench.berth", text);
    let t = Instant::now();
    let (Some(stack), _) = berth_lang::eval::evaluate(&module, &deps, &options, &sources, None, &mut diags)
    else {
        return out;
    };
    out.push(("evaluation", ms(t)));
    let t = Instant::now();
    stack
        .resources
        .iter()
        .for_each(|r| types::check_resource(r, &mut diags));
    domain::check(&stack, &mut diags);
    out.push(("types + AWS rules", ms(t)));
    out
}

fn main() {
    let wanted: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = stack(wanted);
    let (first, analysis) = timed_analyze(&text);
    let Some(stack) = analysis.stack else {
        eprintln!(
            "{}",
            berth_lang::diagnostic::render(&analysis.sources, &analysis.diagnostics)
        );
        std::process::exit(1);
    };
    let count = stack.resources.len();
    let peak = peak_rss_mib();
    drop(stack);
    // Wall time on a shared machine swings with its neighbours' load, so
    // repeated runs give a best and a median beside the first, cold run.
    let mut repeats: Vec<f64> = (0..REPEATS).map(|_| timed_analyze(&text).0).collect();
    repeats.sort_by(f64::total_cmp);
    println!("resources:              {count}");
    println!(
        "source size:            {:.1} MiB",
        text.len() as f64 / 1_048_576.0
    );
    println!("parse+resolve+validate: {first:.0} ms (first run)");
    println!(
        "  {REPEATS} more runs:          best {:.0} ms, median {:.0} ms",
        repeats[0],
        repeats[REPEATS / 2]
    );
    match peak {
        Some(mib) => println!("peak RSS:               {mib:.0} MiB"),
        None => println!("peak RSS:               unavailable (no /proc)"),
    }
    println!("by stage (one more run):");
    for (stage, ms) in stages(&text) {
        println!("  {stage:<22}{ms:.0} ms");
    }
}

/// Runs after the first one, for the best and median figures.
const REPEATS: usize = 5;

/// Analyses `text` as `berth validate` would; returns milliseconds taken.
fn timed_analyze(text: &str) -> (f64, Analysis) {
    let mut sources = Sources::new();
    sources.add("bench.berth", text);
    let start = Instant::now();
    let analysis = analyze(sources, Vec::new(), &Options::default());
    (start.elapsed().as_secs_f64() * 1000.0, analysis)
}
