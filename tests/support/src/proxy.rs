//! A fault-injecting HTTP proxy for the AWS provider's tests and benchmarks:
//! it sits between berth and moto on 127.0.0.1 and, per request, adds
//! latency, answers with throttling or a server error without forwarding,
//! forwards and then loses the answer, resets the connection, stalls, or
//! rewrites a JSON answer (to show what moto cannot do, such as an ECS
//! deployment rolled back by the circuit breaker).
//!
//! It can also record the answers it forwards and then answer the same
//! requests itself ([`Replay`]): the benchmarks time a read whose answers
//! are moto's without moto's pace, as against a server that answers calls
//! in parallel.
//!
//! Plain threads and HTTP/1.1 over std's sockets: one thread per client
//! connection (the SDK keeps a few alive), one upstream connection per
//! request (sent with `Connection: close`, read to its end).

use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// Added before each (targeted) request is forwarded or answered.
    pub latency: Duration,
    /// Close the connection on receiving the request, before forwarding.
    pub reset: f64,
    /// Answer with the protocol's throttling error, not forwarded.
    pub throttle: f64,
    /// Answer 503 with a server fault, not forwarded.
    pub server_error: f64,
    /// Answer 403 AccessDenied (a role without the permission), not
    /// forwarded.
    pub denied: f64,
    /// Forward, then close the connection instead of answering: the call
    /// took effect and its caller never learns it.
    pub lost: f64,
    /// Hold every (targeted) connection and never answer.
    pub stall: bool,
    /// Only requests whose operation (`CreateVpc`, `DescribeServices`)
    /// starts with one of these get faults; all of them when empty.
    pub only: Vec<String>,
    /// Forward every targeted request, and lose the answer of the first
    /// sending of each (the same operation, service and body): a sending
    /// again is answered. Lost answers without chance, one per request.
    pub lose_first: bool,
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

/// Whether the proxy records answers or answers from its records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Replay {
    /// Forward every request (after its faults).
    #[default]
    Off,
    /// Forward, and keep each answer by its request (operation, service
    /// and body: not the signature, which changes with the time).
    Record,
    /// Answer a recorded request with its answer, after the latency,
    /// without forwarding it; forward the others (counted as `missed`).
    Answer,
}

/// What the proxy has seen so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    pub requests: u64,
    pub forwarded: u64,
    /// Answered from the records ([`Replay::Answer`]).
    pub replayed: u64,
    /// Not recorded when [`Replay::Answer`] asked for them: forwarded.
    pub missed: u64,
    pub reset: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub denied: u64,
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
    replay: Mutex<Replay>,
    /// Answers by [`Request::replay_key`].
    recorded: Mutex<HashMap<Vec<u8>, Vec<u8>>>,
    /// The requests whose first answer [`Faults::lose_first`] lost, by
    /// [`Request::replay_key`].
    lost_once: Mutex<HashSet<Vec<u8>>>,
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

    fn replay(&self) -> Replay {
        *self.replay.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn recorded(&self) -> MutexGuard<'_, HashMap<Vec<u8>, Vec<u8>>> {
        self.recorded.lock().unwrap_or_else(|p| p.into_inner())
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

    /// Records answers, answers from the records, or neither, for the
    /// requests from now on.
    pub fn set_replay(&self, replay: Replay) {
        *self.shared.replay.lock().unwrap_or_else(|p| p.into_inner()) = replay;
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
    /// S3's REST dialect, whose errors are an `<Error>` document.
    s3: bool,
    /// A REST service answering JSON (EFS), whose errors are JSON as the
    /// JSON protocols' are.
    rest_json: bool,
}

impl Request {
    /// What identifies the request whatever its time: the request line,
    /// the service it is signed for (two services may share an operation
    /// and a body), `X-Amz-Target` and the body.
    fn replay_key(&self) -> Vec<u8> {
        let head = String::from_utf8_lossy(&self.head);
        let mut lines = head.split("\r\n");
        let mut key = lines.next().unwrap_or_default().as_bytes().to_vec();
        for line in lines {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("authorization:") {
                // `Credential=KEY/DATE/REGION/SERVICE/aws4_request`
                let service = line.split('/').nth(3).unwrap_or_default();
                key.extend_from_slice(service.as_bytes());
            } else if lower.starts_with("x-amz-target:") {
                key.extend_from_slice(line.as_bytes());
            }
        }
        key.push(0);
        key.extend_from_slice(&self.body);
        key
    }

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
    let targeted = faults.only.is_empty() || faults.only.iter().any(|p| request.operation.starts_with(p));
    if faults.stall && targeted {
        // Hold the connection open, answering nothing, until the proxy stops.
        while !shared.stopped.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(100));
        }
        return false;
    }
    if targeted {
        thread::sleep(faults.latency);
    }
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
    bound += faults.denied;
    if roll < bound {
        shared.stats().denied += 1;
        let denied = error(
            request,
            "403 Forbidden",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "AccessDenied",
            "not allowed",
        );
        return answer(client, &denied).is_ok();
    }
    let replay = shared.replay();
    if replay == Replay::Answer {
        let found = shared.recorded().get(&request.replay_key()).cloned();
        if let Some(response) = found {
            shared.stats().replayed += 1;
            return answer(client, &response).is_ok();
        }
        shared.stats().missed += 1;
    }
    let sent = Instant::now();
    let Ok(mut response) = forward(request, upstream) else {
        return false;
    };
    if replay == Replay::Record {
        shared.recorded().insert(request.replay_key(), response.clone());
    }
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
    let first = || {
        shared
            .lost_once
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(request.replay_key())
    };
    if roll < bound + faults.lost || (faults.lose_first && targeted && first()) {
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
    let mut service = String::new();
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
        // `Credential=KEY/DATE/REGION/SERVICE/aws4_request`
        if lower.starts_with("authorization:") {
            service = line.split('/').nth(3).unwrap_or_default().to_owned();
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
    let operation = match operation.is_empty() {
        true => rest_operation(&service, &head).unwrap_or_default().to_owned(),
        false => operation,
    };
    let ec2 = text.contains("Version=2016-11-15");
    Ok(Some(Request {
        head,
        body,
        operation,
        json: target.is_some(),
        ec2,
        s3: service == "s3",
        rest_json: REST_JSON.contains(&service.as_str()),
    }))
}

/// The operations of REST services (which name none) that tests fault
/// on, from the request line: S3's PutBucketTagging, Route 53's
/// ChangeTagsForResource.
fn rest_operation(service: &str, head: &[u8]) -> Option<&'static str> {
    let line = head.split(|b| *b == b'\r').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split(' ');
    let method = words.next().unwrap_or_default();
    let target = words.next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match (service, method) {
        ("s3", "PUT") if query.split('&').any(|q| q == "tagging") => Some("PutBucketTagging"),
        ("route53", "POST") if path.contains("/tags/hostedzone/") => Some("ChangeTagsForResource"),
        _ => None,
    }
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

/// The error each protocol answers a throttled caller with (S3: 503
/// SlowDown).
fn throttling(request: &Request) -> Vec<u8> {
    if request.s3 {
        return s3_error("503 Slow Down", "SlowDown", "Please reduce your request rate.");
    }
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

/// The services berth calls through REST with JSON bodies (signed for
/// these names).
const REST_JSON: [&str; 1] = ["elasticfilesystem"];

/// An error in the request's protocol: JSON (`__type`), EC2's query XML,
/// S3's `<Error>` document (with the query services' code), or the other
/// query services' XML.
fn error(request: &Request, status: &str, json: &str, ec2: &str, query: &str, message: &str) -> Vec<u8> {
    if request.s3 {
        s3_error(status, query, message)
    } else if request.json || request.rest_json {
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

/// An error as S3 answers one: an `<Error>` document at the root.
fn s3_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault-proxy</RequestId></Error>"
    );
    response(status, "application/xml", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signed ECS-style request as the SDK sends it, at `date`, for
    /// `service`, with `body`.
    fn signed(date: &str, service: &str, body: &str) -> Vec<u8> {
        format!(
            "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-target: AmazonEC2ContainerServiceV20141113.DescribeServices\r\n\
             x-amz-date: {date}T120000Z\r\nauthorization: AWS4-HMAC-SHA256 Credential=testing/{date}/us-east-1/{service}/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature={date}abc\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    #[test]
    fn s3_and_efs_are_throttled_and_fail_as_they_answer() {
        let request = |s3, rest_json| Request {
            head: Vec::new(),
            body: Vec::new(),
            operation: String::new(),
            json: false,
            ec2: false,
            s3,
            rest_json,
        };
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("text");
        let slow = text(throttling(&request(true, false)));
        assert!(slow.starts_with("HTTP/1.1 503 Slow Down"), "{slow}");
        assert!(slow.contains("<Error><Code>SlowDown</Code>"), "{slow}");
        let down = text(server_error(&request(true, false)));
        assert!(down.contains("<Error><Code>ServiceUnavailable</Code>"), "{down}");
        assert!(text(throttling(&request(false, false))).contains("<ErrorResponse>"));
        let efs = text(throttling(&request(false, true)));
        assert!(efs.contains(r#""__type":"ThrottlingException""#), "{efs}");
    }

    /// An upstream that answers every request with how many it has
    /// answered before it.
    fn counting_upstream() -> (String, Arc<AtomicU64>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let count = Arc::new(AtomicU64::new(0));
        let answered = Arc::clone(&count);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut stream = stream;
                if let Ok(Some(_)) = read_request(&mut reader) {
                    let n = answered.fetch_add(1, Ordering::SeqCst);
                    let _ = answer(&mut stream, &response("200 OK", "text/plain", &n.to_string()));
                }
            }
        });
        (endpoint, count)
    }

    /// Sends `request` through the proxy; the answer's body.
    fn send(proxy: &FaultProxy, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(proxy.endpoint.trim_start_matches("http://")).expect("connect");
        stream.write_all(request).expect("send");
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("answer");
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().expect("length");
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
        String::from_utf8(body).expect("utf-8")
    }

    fn key(request: &[u8]) -> Vec<u8> {
        let mut reader = BufReader::new(request);
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("line");
            head.extend_from_slice(line.as_bytes());
            if line == "\r\n" {
                break;
            }
        }
        let mut body = Vec::new();
        reader.read_to_end(&mut body).expect("body");
        Request {
            head,
            body,
            operation: String::new(),
            json: true,
            ec2: false,
            s3: false,
            rest_json: false,
        }
        .replay_key()
    }

    #[test]
    fn a_request_signed_at_another_time_is_the_same_request() {
        let body = r#"{"cluster":"c","services":["s"]}"#;
        assert_eq!(
            key(&signed("20261201", "ecs", body)),
            key(&signed("20261202", "ecs", body))
        );
        assert_ne!(
            key(&signed("20261201", "ecs", body)),
            key(&signed("20261201", "logs", body))
        );
        assert_ne!(
            key(&signed("20261201", "ecs", body)),
            key(&signed("20261201", "ecs", r#"{"cluster":"d","services":["s"]}"#))
        );
    }

    #[test]
    fn replay_answers_recorded_requests_without_the_upstream_and_forwards_the_others() {
        let (upstream, count) = counting_upstream();
        let proxy = FaultProxy::start(&upstream, Faults::default()).expect("proxy");
        proxy.set_replay(Replay::Record);
        assert_eq!(send(&proxy, &signed("20261201", "ecs", "{}")), "0");
        proxy.set_replay(Replay::Answer);
        // Signed later: still the recorded request, answered by the proxy.
        assert_eq!(send(&proxy, &signed("20261202", "ecs", "{}")), "0");
        assert_eq!(count.load(Ordering::SeqCst), 1);
        // Never recorded: forwarded.
        assert_eq!(send(&proxy, &signed("20261202", "ecs", "{\"a\":1}")), "1");
        let stats = proxy.stats();
        assert_eq!((stats.replayed, stats.missed, stats.forwarded), (1, 1, 2));
    }
}
