//! The server's error type.

/// Why the language server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The client broke the protocol (e.g. no `initialize` first).
    #[error("LSP protocol error: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// Reading stdin or writing stdout failed.
    #[error("LSP transport I/O error: {0}")]
    Io(#[source] std::io::Error),
    /// A message could not be encoded or decoded.
    #[error("LSP message encoding error: {0}")]
    Json(#[from] serde_json::Error),
    /// The client went away while the server was sending to it.
    #[error("the LSP client disconnected")]
    Disconnected,
}
