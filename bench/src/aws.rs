//! How a plan reads a large stack on AWS's APIs: moto behind a proxy adding
//! latency to every call (both from the test support), a generated stack
//! applied once, then timed side by side: berth's plan (`read_stack`: by
//! tags, batched, paced) against the per-resource refresh model (one
//! Describe by id per resource, 10 at a time, as Terraform refreshes).
//! Prints seconds, API calls, calls per resource, peak calls in flight and
//! the ratio. Both are timed again with moto's answers recorded by the
//! proxy and replayed by it ([`Replay`]): the same calls and answers at the
//! same latency from a server that answers calls in parallel, as AWS does;
//! moto, one Python process, answers one at a time.
//!
//! The apply that sets the stack up is measured too, at the same latency
//! with `--parallelism 32`, against a model: the critical path of
//! dependent calls (the longest chain of operations through the plan's
//! dependencies, each weighted by the calls its operation makes, counted
//! in a serial apply without latency on a moto of its own) times the
//! latency, plus the total calls / 32 times the latency.
//!
//! moto runs under granian (the test support's [`Server::Fast`]): under
//! moto's own server, a Python HTTP server, that server's pace weighs on
//! every figure (docs/performance.md); `--stock-moto` measures it there
//! all the same.
//!
//! Run: `cargo run --release -p berth-bench --bin bench-aws [RESOURCES] [LATENCY_MS] [--stock-moto]`
//! (needs moto and granian: `bash tests/moto/start.sh --install-fast`).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use berth_aws::{AwsProvider, Clients, Limits};
use berth_bench::stack;
use berth_lang::{Options, Sources, analyze};
use berth_planner::Planned;
use berth_planner::execute::{self, Hook, Outcome, Silent};
use berth_planner::order::Op;
use berth_provider::{Address, Kind, Provider, Resource, Value};
use berth_test_support::proxy::{FaultProxy, Faults, Replay};
use berth_test_support::{Moto, Server};
use futures::stream::{self, StreamExt};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn sdk_config(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "berth-bench"))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

/// A proxy with `latency` in front of moto, and a provider through it.
async fn through_proxy(moto: &Moto, latency: Duration, region: &str) -> (FaultProxy, AwsProvider, Clients) {
    through_proxy_limited(moto, latency, region, Limits::default()).await
}

/// [`through_proxy`], the provider paced by `limits`.
async fn through_proxy_limited(
    moto: &Moto,
    latency: Duration,
    region: &str,
    limits: Limits,
) -> (FaultProxy, AwsProvider, Clients) {
    let proxy = start_proxy(moto, latency);
    let (provider, clients) = via(&proxy, region, limits).await;
    (proxy, provider, clients)
}

/// A proxy adding `latency` to every call, in front of moto.
fn start_proxy(moto: &Moto, latency: Duration) -> FaultProxy {
    let faults = Faults {
        latency,
        ..Faults::default()
    };
    FaultProxy::start(&moto.endpoint, faults).unwrap_or_else(|e| fail(&format!("proxy: {e}")))
}

/// A provider paced by `limits`, and SDK clients, sending to `proxy`.
async fn via(proxy: &FaultProxy, region: &str, limits: Limits) -> (AwsProvider, Clients) {
    let config = sdk_config(&proxy.endpoint, region).await;
    let provider = AwsProvider::from_sdk_config(&config)
        .unwrap_or_else(|e| fail(&format!("provider: {e}")))
        .with_limits(limits);
    (provider, Clients::from_sdk_config(&config))
}

/// The per-resource refresh model: one Describe by id per resource of
/// `live`, 10 at a time; how many were answered.
async fn refresh(clients: &Clients, live: &[Resource]) -> usize {
    stream::iter(live.iter())
        .map(|r| describe_one(clients, r))
        .buffer_unordered(10)
        .filter(|ok| futures::future::ready(*ok))
        .count()
        .await
}

/// berth's read of `stack` through `proxy` with a provider of its own,
/// timed; fails unless it reads `n` resources.
async fn timed_read(
    proxy: &FaultProxy,
    region: &str,
    stack: &str,
    n: usize,
    what: &str,
) -> (f64, AwsProvider, Vec<Resource>) {
    let (provider, _) = via(proxy, region, Limits::default()).await;
    let t = Instant::now();
    let live = provider
        .read_all(stack)
        .await
        .unwrap_or_else(|e| fail(&format!("{what}: {e}")));
    let secs = t.elapsed().as_secs_f64();
    if live.len() != n {
        fail(&format!("{what}: {} resources read of {n}", live.len()));
    }
    (secs, provider, live)
}

/// The middle of `secs`.
fn median(mut secs: Vec<f64>) -> f64 {
    secs.sort_by(f64::total_cmp);
    secs.get(secs.len() / 2).copied().unwrap_or_default()
}

/// The time the requests through `proxy` spent in moto, in all and by
/// operation, most first.
fn in_moto(proxy: &FaultProxy) -> String {
    let mut by_time: Vec<_> = proxy.upstream().into_iter().collect();
    by_time.sort_by_key(|(_, u)| std::cmp::Reverse(u.time));
    let total: f64 = by_time.iter().map(|(_, u)| u.time.as_secs_f64()).sum();
    let top: Vec<String> = by_time
        .iter()
        .map(|(op, u)| format!("{op} {:.0} ms ({})", u.time.as_secs_f64() * 1e3, u.requests))
        .collect();
    format!("{total:.2} s in moto: {}", top.join(", "))
}

/// Reads an empty stack from `moto`, through a proxy and provider of its
/// own: moto loads a service's code on its first request (seconds, which
/// AWS never takes), and this touches every service before anything is
/// timed or counted.
async fn warm_up(moto: &Moto, region: &str) {
    let (_proxy, p, _) = through_proxy(moto, Duration::ZERO, region).await;
    p.read_all("bench-warm-up")
        .await
        .unwrap_or_else(|e| fail(&format!("warm-up read: {e}")));
}

/// How many times berth's read is timed.
const READS: usize = 3;

fn fail(message: &str) -> ! {
    eprintln!("bench-aws: {message}");
    std::process::exit(1)
}

/// The calls each operation made, in an apply of one operation at a time.
struct CallsPerOp<'a> {
    provider: &'a AwsProvider,
    seen: Mutex<(u64, BTreeMap<Address, u64>)>,
}

/// `p`'s calls by operation, most first.
fn calls_by_op(p: &AwsProvider) -> String {
    let mut by_op: Vec<(u64, String)> = p.stats().into_iter().map(|(op, s)| (s.calls, op)).collect();
    by_op.sort_by(|a, b| b.cmp(a));
    let by_op: Vec<String> = by_op.iter().map(|(n, op)| format!("{op} {n}")).collect();
    by_op.join(", ")
}

fn total_calls(p: &AwsProvider) -> u64 {
    p.stats().values().map(|s| s.calls).sum()
}

impl Hook for CallsPerOp<'_> {
    fn finished(&self, _op: &Op, address: &Address, _outcome: &Outcome, _elapsed: Duration) {
        let now = total_calls(self.provider);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let before = std::mem::replace(&mut seen.0, now);
        *seen.1.entry(address.clone()).or_default() += now - before;
    }
}

/// The most calls on one chain of dependent operations of `planned`,
/// each operation weighted by `calls`.
fn critical_path(planned: &Planned, calls: &BTreeMap<Address, u64>) -> u64 {
    let deps: BTreeMap<&Address, &[Address]> = planned
        .plan
        .resources
        .iter()
        .map(|r| (&r.address, r.depends_on.as_slice()))
        .collect();
    let mut memo: BTreeMap<&Address, u64> = BTreeMap::new();
    // Addresses in an order where dependencies come first: depth-first.
    fn cost<'a>(
        a: &'a Address,
        deps: &BTreeMap<&'a Address, &'a [Address]>,
        calls: &BTreeMap<Address, u64>,
        memo: &mut BTreeMap<&'a Address, u64>,
    ) -> u64 {
        if let Some(c) = memo.get(a) {
            return *c;
        }
        let before = deps
            .get(a)
            .map(|ds| ds.iter().map(|d| cost(d, deps, calls, memo)).max().unwrap_or(0))
            .unwrap_or(0);
        let c = before + calls.get(a).copied().unwrap_or(0);
        memo.insert(a, c);
        c
    }
    deps.keys()
        .map(|a| cost(a, &deps, calls, &mut memo))
        .max()
        .unwrap_or(0)
}

fn text<'a>(r: &'a Resource, attr: &str) -> &'a str {
    r.attrs.get(attr).and_then(Value::as_str).unwrap_or_default()
}

/// One Describe by id of `r`: what a per-resource refresh costs.
async fn describe_one(c: &Clients, r: &Resource) -> bool {
    let id = text(r, "id").to_owned();
    let arn = text(r, "arn").to_owned();
    match r.address.kind {
        Kind::Vpc => c.ec2.describe_vpcs().vpc_ids(id).send().await.is_ok(),
        Kind::Subnet => c.ec2.describe_subnets().subnet_ids(id).send().await.is_ok(),
        Kind::InternetGateway => c
            .ec2
            .describe_internet_gateways()
            .internet_gateway_ids(id)
            .send()
            .await
            .is_ok(),
        Kind::RouteTable => c
            .ec2
            .describe_route_tables()
            .route_table_ids(id)
            .send()
            .await
            .is_ok(),
        Kind::SecurityGroup => c
            .ec2
            .describe_security_groups()
            .group_ids(id)
            .send()
            .await
            .is_ok(),
        Kind::LoadBalancer => c
            .elb
            .describe_load_balancers()
            .load_balancer_arns(arn)
            .send()
            .await
            .is_ok(),
        Kind::TargetGroup => c
            .elb
            .describe_target_groups()
            .target_group_arns(arn)
            .send()
            .await
            .is_ok(),
        Kind::Listener => c.elb.describe_listeners().listener_arns(arn).send().await.is_ok(),
        Kind::Cluster => c.ecs.describe_clusters().clusters(arn).send().await.is_ok(),
        Kind::TaskDefinition => c
            .ecs
            .describe_task_definition()
            .task_definition(arn)
            .send()
            .await
            .is_ok(),
        Kind::Service => c
            .ecs
            .describe_services()
            .cluster(text(r, "cluster"))
            .services(arn)
            .send()
            .await
            .is_ok(),
        Kind::LogGroup => c
            .logs
            .describe_log_groups()
            .log_group_name_prefix(text(r, "name"))
            .send()
            .await
            .is_ok(),
        Kind::Role => c.iam.get_role().role_name(text(r, "name")).send().await.is_ok(),
        // Kinds added later read like their family's.
        #[allow(unreachable_patterns)]
        _ => true,
    }
}

fn main() {
    let (flags, numbers): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let server = if flags.iter().any(|f| f == "--stock-moto") {
        Server::Stock
    } else {
        Server::Fast
    };
    let mut args = numbers.into_iter();
    let wanted: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(995);
    let latency = Duration::from_millis(args.next().and_then(|a| a.parse().ok()).unwrap_or(50));
    let mut sources = Sources::new();
    sources.add("bench.berth", stack(wanted));
    let analysis = analyze(sources, Vec::new(), &Options::default());
    let Some(stack) = analysis.stack else {
        fail(&berth_lang::diagnostic::render(
            &analysis.sources,
            &analysis.diagnostics,
        ));
    };
    let Some(moto) = Moto::start_on(server) else {
        fail("moto is turned off (BERTH_SKIP_MOTO)")
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("runtime: {e}")));
    runtime.block_on(async {
        let n = stack.resources.len();
        println!(
            "resources:        {n}, {} ms added to every call, moto under {}",
            latency.as_millis(),
            match server {
                Server::Stock => "its own server (werkzeug)",
                Server::Fast => "granian",
            }
        );

        let planned = berth_planner::plan(&stack, Vec::new());

        // The calls of each operation: applied one at a time, without
        // latency, on a moto of its own.
        let Some(counting_moto) = Moto::start_on(server) else {
            fail("moto is turned off (BERTH_SKIP_MOTO)")
        };
        warm_up(&counting_moto, &stack.region).await;
        let (counting_proxy, counting, _) = through_proxy(&counting_moto, Duration::ZERO, &stack.region).await;
        let hook = CallsPerOp {
            provider: &counting,
            seen: Mutex::new((0, BTreeMap::new())),
        };
        let serial = execute::Options {
            parallelism: 1,
            ..Default::default()
        };
        let report = execute::execute(&planned, &counting, serial, &hook)
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        if !report.succeeded() {
            fail(&format!("serial apply failed: {:?}", report.failed().next()));
        }
        let per_op = hook.seen.into_inner().unwrap_or_else(|p| p.into_inner()).1;
        let serial_apply_moto = in_moto(&counting_proxy);
        let critical = critical_path(&planned, &per_op);
        drop(counting_moto);

        // The apply that sets the stack up, measured, on a warm moto.
        warm_up(&moto, &stack.region).await;
        let (apply_proxy, applier, _) = through_proxy(&moto, latency, &stack.region).await;
        let t = Instant::now();
        let options = execute::Options {
            parallelism: 32,
            ..Default::default()
        };
        let report = execute::execute(&planned, &applier, options, &Silent)
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        if !report.succeeded() {
            fail(&format!("apply failed: {:?}", report.failed().next()));
        }
        let apply_secs = t.elapsed().as_secs_f64();
        let apply_calls = total_calls(&applier);
        let l = latency.as_secs_f64();
        let model = critical as f64 * l + apply_calls as f64 / 32.0 * l;
        println!(
            "apply (--parallelism 32): {apply_secs:.2} s, {apply_calls} calls, peak {} in flight; \
             model {model:.2} s = critical path {critical} calls x {} ms + {apply_calls} calls / 32 x {} ms ({:.2}x the model)",
            apply_proxy.stats().max_in_flight,
            latency.as_millis(),
            latency.as_millis(),
            apply_secs / model,
        );
        println!("apply's calls:    {}", calls_by_op(&applier));
        println!("moto, serial apply: {serial_apply_moto}");

        // berth's plan read, three times (each with a provider of its own):
        // every read must succeed and read every resource.
        let mut secs = Vec::new();
        let mut last = None;
        for run in 1..=READS {
            let proxy = start_proxy(&moto, latency);
            let (berth_secs, provider, live) = timed_read(&proxy, &stack.region, &stack.name, n, &format!("read {run}")).await;
            let calls = total_calls(&provider);
            let peak = proxy.stats().max_in_flight;
            println!(
                "berth plan read {run}: {berth_secs:.2} s, {calls} calls ({:.2} per resource), peak {peak} in flight, {} resources read",
                calls as f64 / n as f64,
                live.len()
            );
            secs.push(berth_secs);
            last = Some((provider, live));
        }
        let Some((provider, live)) = last else {
            fail("no read")
        };
        let berth_secs = median(secs);

        // The per-resource refresh model.
        let (proxy, _, clients) = through_proxy(&moto, latency, &stack.region).await;
        let t = Instant::now();
        let ok = refresh(&clients, &live).await;
        let model_secs = t.elapsed().as_secs_f64();
        let stats = proxy.stats();
        println!(
            "per-resource refresh (10 workers): {model_secs:.2} s, {} calls ({ok} answered), peak {} in flight",
            stats.requests, stats.max_in_flight
        );
        println!(
            "ratio:            {:.1}x faster (berth's median read, {berth_secs:.2} s)",
            model_secs / berth_secs
        );

        // Both again with moto's answers replayed by the proxy, recorded
        // first: the same calls and answers, at the same latency, from a
        // server that answers calls in parallel as AWS does, not one at a
        // time as moto's interpreter lock makes it.
        let proxy = start_proxy(&moto, latency);
        proxy.set_replay(Replay::Record);
        timed_read(&proxy, &stack.region, &stack.name, n, "recorded read").await;
        let (_, clients) = via(&proxy, &stack.region, Limits::default()).await;
        refresh(&clients, &live).await;
        proxy.set_replay(Replay::Answer);
        let mut secs = Vec::new();
        for run in 1..=READS {
            let what = format!("replayed read {run}");
            secs.push(timed_read(&proxy, &stack.region, &stack.name, n, &what).await.0);
        }
        let t = Instant::now();
        let ok = refresh(&clients, &live).await;
        let model_secs = t.elapsed().as_secs_f64();
        let replayed_secs = median(secs);
        let stats = proxy.stats();
        println!(
            "replayed answers: berth {replayed_secs:.2} s (median of {READS}), per-resource refresh {model_secs:.2} s \
             ({ok} answered): {:.1}x faster; {} answers replayed, {} not recorded (forwarded to moto)",
            model_secs / replayed_secs,
            stats.replayed,
            stats.missed
        );
        println!("berth's calls:    {}", calls_by_op(&provider));

        // moto's own time per operation: a read one call at a time, without
        // latency, so that no call waits on another in moto.
        let serial = Limits {
            max_in_flight: 1,
            ..Limits::default()
        };
        let (proxy, provider, _) = through_proxy_limited(&moto, Duration::ZERO, &stack.region, serial).await;
        let t = Instant::now();
        provider
            .read_all(&stack.name)
            .await
            .unwrap_or_else(|e| fail(&format!("serial read: {e}")));
        let serial_secs = t.elapsed().as_secs_f64();
        println!(
            "moto, one call at a time: {serial_secs:.2} s, {}",
            in_moto(&proxy)
        );
    });
}
