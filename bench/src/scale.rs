//! Plan, apply and re-plan a generated stack on the embedded local cloud,
//! and print how long each takes, the operations per second of the apply
//! and the peak memory (RSS). The executor schedules on completion events;
//! this shows it stays linear as stacks grow.
//!
//! Run: `cargo run --release -p berth-bench --bin bench-scale [RESOURCES]`

use std::collections::BTreeMap;
use std::time::Instant;

use berth_bench::{peak_rss_mib, stack};
use berth_lang::{Options, Sources, analyze};
use berth_local::LocalCloud;
use berth_planner::execute::{self, Silent};
use berth_provider::Provider;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let wanted: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000);
    let mut sources = Sources::new();
    sources.add("bench.berth", stack(wanted));
    let analysis = analyze(sources, Vec::new(), &Options::default());
    let Some(stack) = analysis.stack else {
        eprintln!(
            "{}",
            berth_lang::diagnostic::render(&analysis.sources, &analysis.diagnostics)
        );
        std::process::exit(1);
    };
    let dir = std::env::temp_dir().join(format!("berth-bench-scale-{}", std::process::id()));
    let cloud = match LocalCloud::open(&dir.join("local-cloud.json"), &stack.region) {
        Ok(c) => c.with_seed(1),
        Err(e) => {
            eprintln!("cannot open a local cloud in {}: {e}", dir.display());
            std::process::exit(1);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("no runtime: {e}");
            std::process::exit(1);
        }
    };
    let secs = |t: Instant| t.elapsed().as_secs_f64();
    let plan = |label: &str| {
        let t = Instant::now();
        let live = runtime.block_on(cloud.read_all(&stack.name)).unwrap_or_default();
        let planned = berth_planner::plan(&stack, live);
        println!(
            "{label:<24}{:.2} s ({} changes)",
            secs(t),
            planned.plan.changes().count()
        );
        planned
    };
    println!("resources:              {}", stack.resources.len());
    let planned = plan("plan (empty cloud):");
    let t = Instant::now();
    let options = execute::Options {
        parallelism: 32,
        ..Default::default()
    };
    let report = match runtime.block_on(execute::execute(&planned, &cloud, options, &Silent)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let took = secs(t);
    let ops = report.outcomes.len();
    println!(
        "apply:                  {took:.2} s ({ops} operations, {:.0} a second, {} failed)",
        ops as f64 / took,
        report.failed().count()
    );
    plan("re-plan:");
    let calls: BTreeMap<String, u64> = cloud.stats().into_iter().map(|(k, v)| (k, v.calls)).collect();
    println!("simulated API calls:    {}", calls.values().sum::<u64>());
    match peak_rss_mib() {
        Some(mib) => println!("peak RSS:               {mib:.0} MiB"),
        None => println!("peak RSS:               unavailable (no /proc)"),
    }
    drop(cloud);
    let _ = std::fs::remove_dir_all(&dir);
}
