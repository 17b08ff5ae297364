//! The message loop: the initialize handshake, document notifications,
//! requests, and shutdown/exit as the protocol orders them.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::ExitCode;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::LogMessage;
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DocumentFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, InitializeParams, LogMessageParams, MessageType, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::documents::Documents;
use crate::error::Error;
use crate::formatting::{self, Formatted};
use crate::stack::{self, StackFiles};
use crate::{completion, definition, diagnostics, hover, quick_fix, symbols, uri};

/// What the server offers: full-text sync with open/close/save
/// notifications, go-to-definition, hover, completion (triggered by `.`),
/// whole-document formatting, document symbols and quick fixes.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on `connection` until `exit`. Returns success if the
/// client asked to shut down before exiting, failure otherwise.
pub fn run(connection: Connection) -> Result<ExitCode, Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let snippets = params
        .capabilities
        .text_document
        .and_then(|t| t.completion)
        .and_then(|c| c.completion_item)
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "berth", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        connection: &connection,
        docs: Documents::default(),
        published: HashMap::new(),
        snippets,
        shutting_down: false,
    };
    server.serve()
}

struct Server<'a> {
    connection: &'a Connection,
    docs: Documents,
    /// The URIs last given diagnostics, per stack, so that files leaving a
    /// stack (deleted, closed untitled documents) get theirs cleared.
    published: HashMap<String, BTreeSet<String>>,
    snippets: bool,
    shutting_down: bool,
}

impl Server<'_> {
    fn serve(&mut self) -> Result<ExitCode, Error> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(req) if self.shutting_down => {
                    self.reply_error(req.id, ErrorCode::InvalidRequest, "the server is shutting down")?;
                }
                Message::Request(req) if req.method == "shutdown" => {
                    self.shutting_down = true;
                    self.send(Response::new_ok(req.id, Value::Null).into())?;
                }
                Message::Request(req) => {
                    let id = req.id.clone();
                    match catch_unwind(AssertUnwindSafe(|| self.request(req))) {
                        Ok(result) => result?,
                        Err(_) => self.reply_error(id, ErrorCode::InternalError, "internal error")?,
                    }
                }
                Message::Notification(n) if n.method == "exit" => {
                    return Ok(if self.shutting_down {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    });
                }
                Message::Notification(n) => {
                    // A bug must not take the editor's server down; the
                    // panic message has gone to stderr.
                    if let Ok(result) = catch_unwind(AssertUnwindSafe(|| self.notification(n))) {
                        result?;
                    }
                }
                Message::Response(_) => {}
            }
        }
        // The client closed the stream without `exit`.
        Ok(ExitCode::from(1))
    }

    fn send(&self, message: Message) -> Result<(), Error> {
        self.connection
            .sender
            .send(message)
            .map_err(|_| Error::Disconnected)
    }

    fn reply_error(&self, id: RequestId, code: ErrorCode, message: &str) -> Result<(), Error> {
        self.send(Response::new_err(id, code as i32, message.to_owned()).into())
    }

    fn request(&mut self, req: Request) -> Result<(), Error> {
        let result = match req.method.as_str() {
            GotoDefinition::METHOD => self.with_params(&req, |s, p: GotoDefinitionParams| {
                let (files, file) = s.stack_at(&p.text_document_position_params)?;
                let position = p.text_document_position_params.position;
                definition::definition(&files, file, position).map(GotoDefinitionResponse::Scalar)
            }),
            HoverRequest::METHOD => self.with_params(&req, |s, p: HoverParams| {
                let (files, file) = s.stack_at(&p.text_document_position_params)?;
                hover::hover(&files, file, p.text_document_position_params.position)
            }),
            Completion::METHOD => self.with_params(&req, |s, p: CompletionParams| {
                let (files, file) = s.stack_at(&p.text_document_position)?;
                let items =
                    completion::completion(&files, file, p.text_document_position.position, s.snippets);
                Some(CompletionResponse::Array(items))
            }),
            Formatting::METHOD => self.with_params(&req, |s, p: DocumentFormattingParams| {
                let text = s.text_of(&p.text_document.uri)?;
                match formatting::format(&text) {
                    Formatted::Edits(edits) => Some(edits),
                    Formatted::NotFormatted(why) => {
                        // The editor shows nothing for a null answer; its
                        // log says why.
                        s.log(
                            MessageType::INFO,
                            format!("{}: {why}", p.text_document.uri.as_str()),
                        );
                        None
                    }
                }
            }),
            DocumentSymbolRequest::METHOD => self.with_params(&req, |s, p: DocumentSymbolParams| {
                let text = s.text_of(&p.text_document.uri)?;
                Some(DocumentSymbolResponse::Nested(symbols::document_symbols(&text)))
            }),
            CodeActionRequest::METHOD => self.with_params(&req, |s, p: CodeActionParams| {
                // Kinds are hierarchical: `quickfix` is wanted as itself or
                // under the empty base kind.
                let wanted = p.context.only.as_ref().is_none_or(|only| {
                    only.iter()
                        .any(|k| k.as_str().is_empty() || *k == CodeActionKind::QUICKFIX)
                });
                if !wanted {
                    return Some(Vec::new());
                }
                let text = s.text_of(&p.text_document.uri)?;
                Some(quick_fix::quick_fixes(
                    &p.text_document.uri,
                    &text,
                    &p.context.diagnostics,
                ))
            }),
            _ => {
                return self.reply_error(
                    req.id,
                    ErrorCode::MethodNotFound,
                    &format!("unsupported request {}", req.method),
                );
            }
        };
        match result {
            Ok(value) => self.send(Response::new_ok(req.id, value).into()),
            Err(message) => self.reply_error(req.id, ErrorCode::InvalidParams, &message),
        }
    }

    /// Decodes a request's parameters and runs `handler`; `None` answers null.
    fn with_params<P: DeserializeOwned, R: serde::Serialize>(
        &self,
        req: &Request,
        handler: impl FnOnce(&Self, P) -> Option<R>,
    ) -> Result<Value, String> {
        let params: P = serde_json::from_value(req.params.clone()).map_err(|e| e.to_string())?;
        serde_json::to_value(handler(self, params)).map_err(|e| e.to_string())
    }

    /// A document's text: the open document's, else the file's on disk.
    fn text_of(&self, uri: &Uri) -> Option<String> {
        match self.docs.get(uri) {
            Some(doc) => Some(doc.text.clone()),
            None => std::fs::read_to_string(uri::to_path(uri)?).ok(),
        }
    }

    /// A line in the client's log (its output panel for this server). A
    /// client gone away is noticed by the next response, so a failure to
    /// send is not reported here.
    fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        let _ = self.send(Notification::new(LogMessage::METHOD.to_owned(), params).into());
    }

    fn stack_at(&self, at: &TextDocumentPositionParams) -> Option<(StackFiles, berth_lang::FileId)> {
        let files = stack::load(&at.text_document.uri, &self.docs);
        let file = files.file_of(&at.text_document.uri)?;
        Some((files, file))
    }

    fn notification(&mut self, n: Notification) -> Result<(), Error> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(&n) {
                    let uri = p.text_document.uri;
                    self.docs.open(uri.clone(), p.text_document.text);
                    self.publish(&uri)?;
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(&n) {
                    let uri = p.text_document.uri;
                    if self.docs.change(&uri, p.content_changes) {
                        self.publish(&uri)?;
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(&n) {
                    self.publish(&p.text_document.uri)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(&n) {
                    self.docs.close(&p.text_document.uri);
                    self.publish(&p.text_document.uri)?;
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeWatchedFilesParams>(&n) {
                    let mut dirs = BTreeSet::new();
                    for change in p.changes {
                        if dirs.insert(stack_key(&change.uri, &self.docs)) {
                            self.publish(&change.uri)?;
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Analyses the stack of `changed` and publishes diagnostics for each of
    /// its files, clearing those of files no longer in it.
    fn publish(&mut self, changed: &Uri) -> Result<(), Error> {
        let key = stack_key(changed, &self.docs);
        let files = stack::load(changed, &self.docs);
        let results = diagnostics::compute(files, changed);
        let now: BTreeSet<String> = results.iter().map(|(u, _)| u.as_str().to_owned()).collect();
        let before = self.published.remove(&key).unwrap_or_default();
        for stale in before.difference(&now) {
            if let Ok(uri) = stale.parse::<Uri>() {
                self.publish_one(uri, Vec::new())?;
            }
        }
        for (uri, list) in results {
            self.publish_one(uri, list)?;
        }
        self.published.insert(key, now);
        Ok(())
    }

    fn publish_one(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) -> Result<(), Error> {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
        let n = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        self.send(n.into())
    }
}

/// The stack a URI belongs to: its directory, or the URI itself.
fn stack_key(uri: &Uri, docs: &Documents) -> String {
    let path = docs
        .get(uri)
        .and_then(|d| d.path.clone())
        .or_else(|| uri::to_path(uri));
    match path.as_deref().and_then(Path::parent) {
        Some(dir) => dir.display().to_string(),
        None => uri.as_str().to_owned(),
    }
}

/// A notification's parameters; malformed ones are ignored, as
/// notifications cannot be answered.
fn params<P: DeserializeOwned>(n: &Notification) -> Option<P> {
    serde_json::from_value(n.params.clone()).ok()
}

#[cfg(test)]
mod tests {
    use lsp_types::Position;

    use crate::documents::Documents;
    use crate::position::LineIndex;
    use crate::{completion, definition, formatting, hover, stack, symbols, uri};

    /// Every request at every position of real files, and of every prefix
    /// of them (text as it is being typed), answers without panicking.
    #[test]
    fn requests_anywhere_in_the_examples_do_not_panic() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let files = ["examples/blog/main.berth", "editors/fixtures/all.berth"];
        for name in files {
            let Ok(text) = std::fs::read_to_string(root.join(name)) else {
                continue;
            };
            for end in (0..=text.len()).filter(|e| text.is_char_boundary(*e)).step_by(53) {
                let prefix = &text[..end];
                let _ = symbols::document_symbols(prefix);
                let _ = formatting::format(prefix);
                for at in (0..=prefix.len()).step_by(29) {
                    let _ = berth_lang::syntax::at_offset(prefix, at);
                }
            }
            let dir = tempfile::tempdir().unwrap();
            let doc = uri::from_path(&dir.path().join("main.berth")).unwrap();
            let mut docs = Documents::default();
            docs.open(doc.clone(), text.clone());
            let stack = stack::load(&doc, &docs);
            let file = stack.file_of(&doc).unwrap();
            let index = LineIndex::new(&text);
            let mut answered = 0;
            for offset in (0..=text.len()).step_by(17) {
                let p: Position = index.position(offset);
                answered += usize::from(hover::hover(&stack, file, p).is_some());
                answered += usize::from(definition::definition(&stack, file, p).is_some());
                answered += completion::completion(&stack, file, p, true).len().min(1);
            }
            assert!(answered > 50, "{name}: only {answered} answers");
        }
    }
}
