//! A fault-injecting HTTP proxy for the AWS provider's tests and benchmarks:
//! it sits between berth and moto on 127.0.0.1 and, per request, adds
//! latency, answers with throttling or a server error without forwarding,
//! forwards and then loses the answer, resets the connection, stalls, or
//! rewrites a JSON answer (to show what moto cannot do, such as an ECS
//! deployment rolled back by the circuit breaker).
//!
//! Plain threads and HTTP/1.1 over std's sockets: one thread per client
//! connection (the SDK keeps a few alive), one upstream connection per
//! request (sent with `Connection: close`, read to its end).

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// What the proxy does to requests. Rates are probabilities per request,
/// drawn in this order: reset, throttle, server error, lost; the rest are
/// forwarded unharmed.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Added before each request is forwarded or answered.
    pub latency: Duration,
    /// Close the connection on receiving the request, before forwarding.
    pub reset: f64,
    /// Answer with the protocol's throttling error, not forwarded.
    pub throttle: f64,
    /// Answer 503 with a server fault, not forwarded.
    pub server_error: f64,
    /// Forward, then close the connection instead of answering: the call
    /// took effect and its caller never learns it.
    pub lost: f64,
    /// Hold every connection and never answer.
    pub stall: bool,
    /// Only requests whose operation (`CreateVpc`, `DescribeServices`)
    /// starts with one of these get faults; all of them when empty.
    pub only: Vec<String>,
    /// Changes the body of forwarded JSON-protocol answers.
    pub rewrite: Option<Rewrite>,
}

/// A change to forwarded answers: given the operation and the answer's
/// body, the body to send instead, or `None` to send it as it is.
#[derive(Clone)]
pub struct Rewrite(pub Arc<RewriteFn>);

/// `(operation, body) -> new body`: see [`Rewrite`].
pub type RewriteFn = dyn Fn(&str, &str) -> Option<String> + Send + Sync;

impl std::fmt::Debug for Rewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rewrite(..)")
    }
}

/// What the proxy has seen so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    pub requests: u64,
    pub forwarded: u64,
    pub reset: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub lost: u64,
    /// The most requests being handled at one time.
    pub max_in_flight: u64,
}

/// How long the upstream server took to answer one operation's requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Upstream {
    /// Requests forwarded.
    pub requests: u64,
    /// From connecting upstream to the end of its answer, summed.
    pub time: Duration,
}

#[derive(Default)]
struct Shared {
    faults: Mutex<Faults>,
    stats: Mutex<ProxyStats>,
    upstream: Mutex<BTreeMap<String, Upstream>>,
    in_flight: AtomicU64,
    stopped: AtomicBool,
}

impl Shared {
    fn stats(&self) -> MutexGuard<'_, ProxyStats> {
        self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn faults(&self) -> Faults {
        self.faults.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A running proxy; stops accepting when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`, to use as `AWS_ENDPOINT_URL`.
    pub endpoint: String,
    port: u16,
    shared: Arc<Shared>,
}

impl FaultProxy {
    /// Starts a proxy on a free port of 127.0.0.1 in front of `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, faults: Faults) -> io::Result<FaultProxy> {
        let upstream = upstream
            .strip_prefix("http://")
            .ok_or_else(|| io::Error::other(format!("not an http:// endpoint: {upstream}")))?
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            faults: Mutex::new(faults),
            ..Shared::default()
        });
        let accept = Arc::clone(&shared);
        thread::spawn(move || {
            for client in listener.incoming() {
                if accept.stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let shared = Arc::clone(&accept);
                let upstream = upstream.clone();
                thread::spawn(move || serve(client, &upstream, &shared));
            }
        });
        Ok(FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            shared,
        })
    }

    /// Changes the faults for the requests from now on.
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    /// Requests being handled now (forwarded ones included: a killed
    /// client's request may still reach the server).
    pub fn in_flight(&self) -> u64 {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// Counts so far.
    pub fn stats(&self) -> ProxyStats {
        *self.shared.stats()
    }

    /// The upstream server's time per operation so far: where a server
    /// that answers one request at a time (moto) spends it.
    pub fn upstream(&self) -> BTreeMap<String, Upstream> {
        self.shared
            .upstream
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// One HTTP request as received.
struct Request {
    head: Vec<u8>,
    body: Vec<u8>,
    /// The AWS operation: `X-Amz-Target`'s last part, or the query's
    /// `Action`.
    operation: String,
    /// `X-Amz-Target` present: a JSON protocol (ECS, Logs, SSM).
    json: bool,
    /// EC2's query dialect, whose errors have their own shape.
    ec2: bool,
}

impl Request {
    /// The operation, or for REST protocols (Route 53), which name none,
    /// the request line's method and path.
    fn label(&self) -> String {
        if !self.operation.is_empty() {
            return self.operation.clone();
        }
        let line = self.head.split(|b| *b == b'\r').next().unwrap_or_default();
        let line = String::from_utf8_lossy(line);
        let mut words = line.split(' ');
        let method = words.next().unwrap_or_default();
        let path = words.next().unwrap_or_default();
        format!("{method} {}", path.split('?').next().unwrap_or_default())
    }
}

/// Serves the requests of one client connection until it closes.
fn serve(client: TcpStream, upstream: &str, shared: &Shared) {
    let Ok(reader) = client.try_clone() else { return };
    let mut reader = BufReader::new(reader);
    let mut client = client;
    while let Ok(Some(request)) = read_request(&mut reader) {
        if shared.stopped.load(Ordering::SeqCst) {
            return;
        }
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        {
            let mut stats = shared.stats();
            stats.requests += 1;
            stats.max_in_flight = stats.max_in_flight.max(now);
        }
        let keep = handle(&mut client, &request, upstream, shared);
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !keep {
            let _ = client.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Answers one request; `false` when the connection must be closed.
fn handle(client: &mut TcpStream, request: &Request, upstream: &str, shared: &Shared) -> bool {
    let faults = shared.faults();
    if faults.stall {
        // Hold the connection open, answering nothing, until the proxy stops.
        while !shared.stopped.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(100));
        }
        return false;
    }
    thread::sleep(faults.latency);
    let targeted = faults.only.is_empty() || faults.only.iter().any(|p| request.operation.starts_with(p));
    let roll = if targeted { fastrand::f64() } else { 1.0 };
    let mut bound = faults.reset;
    if roll < bound {
        shared.stats().reset += 1;
        return false;
    }
    bound += faults.throttle;
    if roll < bound {
        shared.stats().throttled += 1;
        return answer(client, &throttling(request)).is_ok();
    }
    bound += faults.server_error;
    if roll < bound {
        shared.stats().server_errors += 1;
        return answer(client, &server_error(request)).is_ok();
    }
    let sent = Instant::now();
    let Ok(mut response) = forward(request, upstream) else {
        return false;
    };
    {
        let mut times = shared.upstream.lock().unwrap_or_else(|p| p.into_inner());
        let op = times.entry(request.label()).or_default();
        op.requests += 1;
        op.time += sent.elapsed();
    }
    if let Some(Rewrite(rewrite)) = &faults.rewrite
        && request.json
    {
        response = rewritten(response, |body| rewrite(&request.operation, body));
    }
    shared.stats().forwarded += 1;
    if roll < bound + faults.lost {
        shared.stats().lost += 1;
        return false;
    }
    answer(client, &response).is_ok()
}

/// Reads one request; `None` at a clean end of the connection.
fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut head = Vec::new();
    let mut length = 0usize;
    let mut target = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("x-amz-target:") {
            target = line.split_once(':').map(|(_, v)| v.trim().to_owned());
        }
        // The upstream connection is used for one request only.
        if lower.starts_with("connection:") {
            continue;
        }
        if line == "\r\n" || line == "\n" {
            head.extend_from_slice(b"Connection: close\r\n\r\n");
            break;
        }
        head.extend_from_slice(line.as_bytes());
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let text = String::from_utf8_lossy(&body);
    let operation = match &target {
        Some(t) => t.rsplit('.').next().unwrap_or_default().to_owned(),
        None => text
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .unwrap_or_default()
            .to_owned(),
    };
    let ec2 = text.contains("Version=2016-11-15");
    Ok(Some(Request {
        head,
        body,
        operation,
        json: target.is_some(),
        ec2,
    }))
}

fn forward(request: &Request, upstream: &str) -> io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(&request.head)?;
    up.write_all(&request.body)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    Ok(response)
}

/// `response` with its body changed by `change`, and its length to match.
fn rewritten(response: Vec<u8>, change: impl Fn(&str) -> Option<String>) -> Vec<u8> {
    let Some(split) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return response;
    };
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let body = String::from_utf8_lossy(&response[split + 4..]).into_owned();
    let Some(body) = change(&body) else {
        return response;
    };
    let mut out: Vec<String> = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
        .map(str::to_owned)
        .collect();
    out.push(format!("Content-Length: {}", body.len()));
    format!("{}\r\n\r\n{body}", out.join("\r\n")).into_bytes()
}

fn answer(client: &mut TcpStream, response: &[u8]) -> io::Result<()> {
    client.write_all(response)?;
    client.flush()
}

fn response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: fault-proxy\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The error each protocol answers a throttled caller with.
fn throttling(request: &Request) -> Vec<u8> {
    error(
        request,
        "400 Bad Request",
        "ThrottlingException",
        "RequestLimitExceeded",
        "Throttling",
        "Rate exceeded",
    )
}

fn server_error(request: &Request) -> Vec<u8> {
    error(
        request,
        "503 Service Unavailable",
        "ServiceUnavailableException",
        "Unavailable",
        "ServiceUnavailable",
        "Service is unavailable",
    )
}

/// An error in the request's protocol: JSON (`__type`), EC2's query XML, or
/// the other query services' XML.
fn error(request: &Request, status: &str, json: &str, ec2: &str, query: &str, message: &str) -> Vec<u8> {
    if request.json {
        let body = format!(r#"{{"__type":"{json}","message":"{message}"}}"#);
        response(status, "application/x-amz-json-1.1", &body)
    } else if request.ec2 {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{ec2}</Code><Message>{message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>"
        );
        response(status, "text/xml", &body)
    } else {
        let body = format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{query}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
        );
        response(status, "text/xml", &body)
    }
}
