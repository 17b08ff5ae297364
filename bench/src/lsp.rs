//! Opens the generated 10,000-resource stack in the language server (over
//! an in-memory connection, the whole request path) and prints how long
//! completion, hover and go-to-definition take near its end: each request
//! parses the document again.
//!
//! Run: `cargo run --release -p berth-bench --no-default-features --bin bench-lsp [RESOURCES]`

use std::time::Instant;

use berth_bench::stack;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 9;

struct Client {
    conn: Connection,
    next: i32,
}

impl Client {
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let sent = self
            .conn
            .sender
            .send(Request::new(id.clone(), method.to_owned(), params).into());
        if sent.is_err() {
            fail("the server stopped");
        }
        loop {
            match self.conn.receiver.recv() {
                Ok(Message::Response(r)) if r.id == id => match r.response_result {
                    Ok(result) => return result,
                    Err(e) => fail(&format!("{method}: {}", e.message)),
                },
                Ok(_) => {}
                Err(_) => fail("the server stopped"),
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        if self
            .conn
            .sender
            .send(Notification::new(method.to_owned(), params).into())
            .is_err()
        {
            fail("the server stopped");
        }
    }

    /// Waits for the diagnostics the server publishes after a change.
    fn diagnostics(&self) -> usize {
        loop {
            match self.conn.receiver.recv() {
                Ok(Message::Notification(n)) if n.method == "textDocument/publishDiagnostics" => {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
                Ok(_) => {}
                Err(_) => fail("the server stopped"),
            }
        }
    }
}

fn fail(why: &str) -> ! {
    eprintln!("{why}");
    std::process::exit(1);
}

fn main() {
    let wanted: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let (server, conn) = Connection::memory();
    let thread = std::thread::spawn(move || berth_lsp::run(server));
    let mut client = Client { conn, next: 0 };
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    // An unsaved document in a directory that does not exist: the stack is
    // this one document.
    let dir = std::env::temp_dir().join(format!("berth-bench-lsp-{}", std::process::id()));
    let uri = format!("file://{}/main.berth", dir.display());
    // The user is typing a reference at the end of a body near the end of
    // the file (so the tree holds a partial item).
    let mut text = stack(wanted);
    let at = text.rfind("  desired_count").unwrap_or(text.len() - 2);
    let typed = "  assign = vpc.";
    text.insert_str(at, &format!("{typed}\n"));
    let lines = text[..at].matches('\n').count();
    println!(
        "source:                 {:.1} MiB, {lines} lines",
        text.len() as f64 / 1_048_576.0
    );
    let t = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "berth", "version": 1, "text": text } }),
    );
    let published = client.diagnostics();
    println!(
        "open (full validation):  {:.0} ms, {published} diagnostics",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let end = typed.len();
    let cases = [
        ("completion after `vpc.`", "textDocument/completion", end),
        ("completion of a name", "textDocument/completion", 2),
        ("hover on `vpc`", "textDocument/hover", end - 2),
        ("definition of `vpc.v0`", "textDocument/definition", 0),
    ];
    for (what, method, character) in cases {
        let (line, character) = if method == "textDocument/definition" {
            // The first reference of the file: `vpc = vpc.v0` in subnet a0.
            let vpc = text.find("vpc  = vpc.v0").map_or(0, |i| i + "vpc  = vpc.v".len());
            (
                text[..vpc].matches('\n').count(),
                vpc - text[..vpc].rfind('\n').map_or(0, |n| n + 1),
            )
        } else {
            (lines, character)
        };
        let params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        let mut times: Vec<f64> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let answer = client.request(method, params.clone());
                if answer.is_null() {
                    fail(&format!("{what}: no answer"));
                }
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{:<25}median {:.1} ms, best {:.1} ms ({RUNS} runs)",
            format!("{what}:"),
            times[RUNS / 2],
            times[0]
        );
    }
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let _ = thread.join();
}
