//! How a plan reads a large stack on AWS's APIs: moto behind a proxy adding
//! latency to every call (both from the test support), a generated stack
//! applied once, then timed side by side: berth's plan (`read_stack`: by
//! tags, batched, paced) against the per-resource refresh model (one
//! Describe by id per resource, 10 at a time, as Terraform refreshes).
//! Prints seconds, API calls, calls per resource, peak calls in flight and
//! the ratio.
//!
//! Run: `cargo run --release -p berth-bench --bin bench-aws [RESOURCES] [LATENCY_MS]`
//! (needs moto: `bash tests/moto/start.sh --install`).

use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use berth_aws::{AwsProvider, Clients, Limits};
use berth_bench::stack;
use berth_lang::{Options, Sources, analyze};
use berth_planner::execute::{self, Silent};
use berth_provider::{Kind, Provider, Resource, Value};
use berth_test_support::Moto;
use berth_test_support::proxy::{FaultProxy, Faults};
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
    let faults = Faults {
        latency,
        ..Faults::default()
    };
    let proxy = FaultProxy::start(&moto.endpoint, faults).unwrap_or_else(|e| fail(&format!("proxy: {e}")));
    let config = sdk_config(&proxy.endpoint, region).await;
    let provider = AwsProvider::from_sdk_config(&config)
        .unwrap_or_else(|e| fail(&format!("provider: {e}")))
        .with_limits(Limits::default());
    (proxy, provider, Clients::from_sdk_config(&config))
}

fn fail(message: &str) -> ! {
    eprintln!("bench-aws: {message}");
    std::process::exit(1)
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
    let mut args = std::env::args().skip(1);
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
    let Some(moto) = Moto::start() else {
        fail("moto is turned off (BERTH_SKIP_MOTO)")
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("runtime: {e}")));
    runtime.block_on(async {
        let n = stack.resources.len();
        println!("resources:        {n}, {} ms added to every call", latency.as_millis());

        // Apply once (no latency: setting up is not what is measured).
        let (_setup_proxy, setup, _) = through_proxy(&moto, Duration::ZERO, &stack.region).await;
        let t = Instant::now();
        let planned = berth_planner::plan(&stack, Vec::new());
        let options = execute::Options {
            parallelism: 32,
            ..Default::default()
        };
        let report = execute::execute(&planned, &setup, options, &Silent)
            .await
            .unwrap_or_else(|e| fail(&e.to_string()));
        if !report.succeeded() {
            fail(&format!("apply failed: {:?}", report.failed().next()));
        }
        println!("apply (no latency): {:.1} s", t.elapsed().as_secs_f64());

        // berth's plan read.
        let (proxy, provider, _) = through_proxy(&moto, latency, &stack.region).await;
        let t = Instant::now();
        let live = provider
            .read_all(&stack.name)
            .await
            .unwrap_or_else(|e| fail(&format!("read: {e}")));
        let berth_secs = t.elapsed().as_secs_f64();
        let calls: u64 = provider.stats().values().map(|s| s.calls).sum();
        let peak = proxy.stats().max_in_flight;
        println!(
            "berth plan read:  {berth_secs:.2} s, {calls} calls ({:.2} per resource), peak {peak} in flight, {} resources read",
            calls as f64 / n as f64,
            live.len()
        );

        // The per-resource refresh model.
        let (proxy, _, clients) = through_proxy(&moto, latency, &stack.region).await;
        let t = Instant::now();
        let ok = stream::iter(live.iter())
            .map(|r| describe_one(&clients, r))
            .buffer_unordered(10)
            .filter(|ok| futures::future::ready(*ok))
            .count()
            .await;
        let model_secs = t.elapsed().as_secs_f64();
        let stats = proxy.stats();
        println!(
            "per-resource refresh (10 workers): {model_secs:.2} s, {} calls ({ok} answered), peak {} in flight",
            stats.requests, stats.max_in_flight
        );
        println!("ratio:            {:.1}x faster", model_secs / berth_secs);
    });
}
