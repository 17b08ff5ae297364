//! End-to-end test of `berth lsp`: spawns the real binary and speaks
//! JSON-RPC with Content-Length framing over its stdin/stdout. Every read
//! has a timeout, so a hung server fails the test instead of hanging it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(10);

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages received while waiting for something else.
    stash: VecDeque<Value>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn berth lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, incoming) = channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            incoming,
            stash: VecDeque::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to server");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns the whole response.
    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m.get("method").is_none() && m["id"] == json!(id))
    }

    /// Sends a request and returns its result, failing on an error response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The next message matching `wanted`, keeping the others for later.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.stash.iter().position(&wanted) {
            return self.stash.remove(i).expect("index in range");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .incoming
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("no message from the server within {TIMEOUT:?}: {e}"));
            if wanted(&message) {
                return message;
            }
            self.stash.push_back(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self
            .wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri));
        message["params"]["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({ "uri": uri, "languageId": "berth", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        let params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        self.request(method, params)
    }

    fn initialize(&mut self) -> Value {
        let params = json!({
            "processId": null,
            "rootUri": null,
            "capabilities": { "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } } },
        });
        let result = self.request("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// Waits for the process to end; fails after the timeout.
    fn exit_status(&mut self) -> ExitStatus {
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit within {TIMEOUT:?}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_str().expect("UTF-8 temp path").bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

fn labels(items: &Value) -> Vec<String> {
    let list = items.get("items").unwrap_or(items);
    list.as_array()
        .expect("completion items")
        .iter()
        .map(|i| i["label"].as_str().expect("label").to_owned())
        .collect()
}

fn range(line: u32, start: u32, end: u32) -> Value {
    json!({ "start": { "line": line, "character": start }, "end": { "line": line, "character": end } })
}

#[test]
fn language_server_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a_path = dir.path().join("a.berth");
    let b_path = dir.path().join("b.berth");
    std::fs::write(&a_path, "vpc main { cidr = \"10.0.0.0/16\" }\n").expect("write a.berth");
    let a = file_uri(&a_path);
    let b = file_uri(&b_path);

    let mut server = Server::start();
    let init = server.initialize();
    let caps = &init["capabilities"];
    let mut keys: Vec<&str> = caps
        .as_object()
        .expect("capabilities")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "codeActionProvider",
            "completionProvider",
            "definitionProvider",
            "documentFormattingProvider",
            "documentSymbolProvider",
            "hoverProvider",
            "textDocumentSync"
        ]
    );
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"], json!(["quickfix"]));
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["completionProvider"]["triggerCharacters"], json!(["."]));

    // An unknown attribute after non-ASCII text on the same line: the range
    // counts UTF-16 units (26), not bytes (29) or characters (25).
    let invalid =
        "vpc main {\n  cidr = \"10.0.0.0/16\"\n  tags = { note = \"é🚀\" } dns_hostname = true\n}\n";
    server.open(&a, invalid);
    let diags = server.diagnostics(&a);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0201");
    assert_eq!(diags[0]["severity"], 1);
    assert_eq!(diags[0]["source"], "berth");
    assert_eq!(diags[0]["range"], range(2, 26, 38));
    let message = diags[0]["message"].as_str().expect("message");
    assert!(
        message.starts_with("unknown attribute `dns_hostname` in `vpc`"),
        "{message}"
    );
    assert!(
        message.contains("help: did you mean `dns_hostnames`?"),
        "{message}"
    );

    let valid = "vpc main {\n  cidr          = \"10.0.0.0/16\"\n  dns_hostnames = true\n}\n\nvpc edge { cidr = \"10.1.0.0/16\" }\n";
    server.change(&a, 2, valid);
    assert_eq!(
        server.diagnostics(&a),
        Vec::<Value>::new(),
        "fixed file is cleared"
    );

    // A reference in b.berth to a block of a.berth.
    let subnet = "subnet pub {\n  vpc  = vpc.main\n  cidr = \"10.0.1.0/24\"\n  zone = \"us-east-1a\"\n}\n";
    server.open(&b, subnet);
    assert_eq!(server.diagnostics(&b), Vec::<Value>::new());
    let location = server.at("textDocument/definition", &b, 1, 14);
    assert_eq!(location["uri"], json!(a));
    assert_eq!(location["range"], range(0, 4, 8));
    let location = server.at("textDocument/definition", &b, 1, 10);
    assert_eq!(location["uri"], json!(a), "from the kind of the reference too");

    let hover = server.at("textDocument/hover", &a, 2, 5);
    let text = hover["contents"]["value"].as_str().expect("markdown hover");
    let attr = berth_provider::Kind::Vpc
        .schema()
        .attr("dns_hostnames")
        .expect("vpc.dns_hostnames");
    assert!(text.contains(attr.doc), "{text}");
    assert!(
        text.contains("EnableDnsHostnames") && text.contains("bool"),
        "{text}"
    );

    // Completion in a body being typed: attributes, not computed ones.
    server.change(
        &a,
        3,
        "vpc main {\n  \n}\n\nvpc edge { cidr = \"10.1.0.0/16\" }\n",
    );
    let items = server.at("textDocument/completion", &a, 1, 2);
    let names = labels(&items);
    assert!(names.contains(&"cidr".to_owned()), "{names:?}");
    assert!(names.contains(&"dns_hostnames".to_owned()), "{names:?}");
    assert!(!names.contains(&"id".to_owned()), "{names:?}");

    // After `vpc.` (the file does not parse): the declared VPCs.
    server.change(&b, 2, "subnet pub {\n  vpc  = vpc.\n}\n");
    let items = server.at("textDocument/completion", &b, 1, 13);
    let mut names = labels(&items);
    names.sort();
    assert_eq!(names, ["edge", "main"]);

    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    server.notify("exit", Value::Null);
    let status = server.exit_status();
    assert_eq!(status.code(), Some(0), "exit after shutdown succeeds");
}

/// Formatting, the outline and quick fixes, as an editor asks for them.
#[test]
fn formatting_symbols_and_quick_fixes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = file_uri(&dir.path().join("main.berth"));
    let mut server = Server::start();
    server.initialize();
    let doc = json!({ "uri": a });

    // A misspelt attribute: the quick fix replaces exactly the name.
    let typo = "vpc main {\ncidr=\"10.0.0.0/16\"\n  dns_hostname = true\n  tags { x = 1 }\n}\n";
    server.open(&a, typo);
    let diags = server.diagnostics(&a);
    let with_help: Vec<&Value> = diags
        .iter()
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains("did you mean")))
        .collect();
    assert_eq!(with_help.len(), 1, "{diags:?}");
    let params = json!({
        "textDocument": doc,
        "range": with_help[0]["range"],
        "context": { "diagnostics": diags },
    });
    let actions = server.request("textDocument/codeAction", params.clone());
    let actions = actions.as_array().expect("code actions");
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(actions[0]["diagnostics"], json!([with_help[0]]));
    let edits = &actions[0]["edit"]["changes"][&a];
    assert_eq!(
        edits,
        &json!([{ "range": range(2, 2, 14), "newText": "dns_hostnames" }])
    );
    // A client asking only for refactorings gets none.
    let mut only = params;
    only["context"]["only"] = json!(["refactor"]);
    assert_eq!(server.request("textDocument/codeAction", only.clone()), json!([]));
    only["context"]["only"] = json!(["quickfix"]);
    let fixes = server.request("textDocument/codeAction", only);
    assert_eq!(fixes.as_array().map(Vec::len), Some(1), "{fixes}");

    // The outline: the resource and its nested block.
    let symbols = server.request("textDocument/documentSymbol", json!({ "textDocument": doc }));
    assert_eq!(symbols[0]["name"], "main");
    assert_eq!(symbols[0]["detail"], "vpc");
    assert_eq!(symbols[0]["kind"], 23, "struct");
    assert_eq!(symbols[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    assert_eq!(symbols[0]["range"]["end"], json!({ "line": 4, "character": 1 }));
    assert_eq!(symbols[0]["selectionRange"], range(0, 4, 8));
    assert_eq!(symbols[0]["children"][0]["name"], "tags");

    // Formatting: one edit over the whole document, the `berth fmt` layout.
    let options = json!({ "tabSize": 4, "insertSpaces": true });
    let format = json!({ "textDocument": doc, "options": options });
    let edits = server.request("textDocument/formatting", format.clone());
    let formatted = berth_lang::fmt::format_source(typo).expect("formats");
    assert_eq!(
        edits,
        json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 5, "character": 0 } }, "newText": formatted }])
    );
    server.change(&a, 2, &formatted);
    server.diagnostics(&a);
    assert_eq!(
        server.request("textDocument/formatting", format.clone()),
        json!([])
    );

    // A syntax error: no edit, and the reason in the client's log.
    server.change(&a, 3, "vpc main {\n  cidr: 1\n}\n");
    server.diagnostics(&a);
    assert_eq!(server.request("textDocument/formatting", format), Value::Null);
    let log = server.wait(|m| m["method"] == "window/logMessage");
    let message = log["params"]["message"].as_str().expect("log message");
    assert!(
        message.contains("main.berth") && message.contains("not formatted: ") && message.contains("line 2:"),
        "{message}"
    );

    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_status().code(), Some(0));
}

#[test]
fn exit_without_shutdown_fails() {
    let mut server = Server::start();
    server.initialize();
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_status().code(), Some(1));
}

#[test]
fn unknown_requests_get_an_error_not_a_hang() {
    let mut server = Server::start();
    server.initialize();
    let response = server.request_raw("textDocument/rename", json!({}));
    assert_eq!(response["error"]["code"], -32601);
    let response = server.request_raw("textDocument/hover", json!({ "nonsense": 1 }));
    assert_eq!(response["error"]["code"], -32602);
    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_status().code(), Some(0));
}
