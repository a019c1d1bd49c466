//! The language server loop: one thread reads and answers messages in order (linting a
//! Dockerfile takes about a millisecond, so every change is linted at once, without debouncing).

use super::convert;
use super::document::{Document, uri_path};
use super::transport::{self, Frame, TransportError};
use crate::lint::Registry;
use crate::lint::discover::is_dockerfile_name;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Formatting, HoverRequest, Request as _};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, DocumentFormattingParams, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeResult, LogMessageParams, MarkupContent, MarkupKind,
    MessageType, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri,
};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Why the server stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("writing to the client: {0}")]
    Write(std::io::Error),
    #[error("the client closed the connection without `shutdown` and `exit`")]
    NoShutdown,
}

/// The server's state.
pub struct Server<'r, W: Write> {
    registry: &'r Registry,
    out: W,
    docs: HashMap<Uri, Document>,
    /// Where config files are looked for when a document is not a file.
    root: PathBuf,
    initialized: bool,
    shutdown: bool,
}

impl<'r, W: Write> Server<'r, W> {
    /// A server that lints with `registry` and writes to `out`.
    pub fn new(registry: &'r Registry, out: W, root: PathBuf) -> Self {
        Server {
            registry,
            out,
            docs: HashMap::new(),
            root,
            initialized: false,
            shutdown: false,
        }
    }

    /// Serves messages read from `input` until `exit` (Ok when it followed `shutdown`).
    pub fn run(&mut self, input: &mut impl BufRead) -> Result<(), ServerError> {
        loop {
            match transport::read_frame(input)? {
                Frame::Eof => return Err(ServerError::NoShutdown),
                Frame::Invalid(resp) => {
                    transport::write_value(&mut self.out, &resp).map_err(ServerError::Write)?
                }
                Frame::Message(Message::Request(req)) => self.request(req)?,
                Frame::Message(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return if self.shutdown {
                            Ok(())
                        } else {
                            Err(ServerError::NoShutdown)
                        };
                    }
                    self.notification(n)?;
                }
                Frame::Message(Message::Response(_)) => {} // we send no requests
            }
        }
    }

    fn send(&mut self, msg: Message) -> Result<(), ServerError> {
        transport::write_message(&mut self.out, &msg).map_err(ServerError::Write)
    }

    fn reply<T: serde::Serialize>(&mut self, id: RequestId, result: T) -> Result<(), ServerError> {
        self.send(Response::new_ok(id, result).into())
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, msg: String) -> Result<(), ServerError> {
        self.send(Response::new_err(id, code as i32, msg).into())
    }

    fn request(&mut self, req: Request) -> Result<(), ServerError> {
        let Request { id, method, params } = req;
        if self.shutdown {
            return self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            );
        }
        if method == "initialize" {
            self.initialized = true;
            return self.reply(id, capabilities());
        }
        if !self.initialized {
            return self.error(
                id,
                ErrorCode::ServerNotInitialized,
                "initialize first".into(),
            );
        }
        match method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                self.reply(id, ())
            }
            CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(params) {
                Ok(p) => {
                    let actions = self.code_actions(&p);
                    self.reply(id, actions)
                }
                Err(e) => self.error(id, ErrorCode::InvalidParams, e.to_string()),
            },
            Formatting::METHOD => {
                match serde_json::from_value::<DocumentFormattingParams>(params) {
                    Ok(p) => {
                        let edits = self.formatting(&p);
                        self.reply(id, edits)
                    }
                    Err(e) => self.error(id, ErrorCode::InvalidParams, e.to_string()),
                }
            }
            HoverRequest::METHOD => match serde_json::from_value::<HoverParams>(params) {
                Ok(p) => {
                    let hover = self.hover(&p);
                    self.reply(id, hover)
                }
                Err(e) => self.error(id, ErrorCode::InvalidParams, e.to_string()),
            },
            _ => self.error(
                id,
                ErrorCode::MethodNotFound,
                format!("unknown method `{method}`"),
            ),
        }
    }

    fn notification(&mut self, n: Notification) -> Result<(), ServerError> {
        if !self.initialized {
            return Ok(()); // notifications before initialize are dropped, as the spec says
        }
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    if d.language_id == "dockerfile" || is_dockerfile_uri(&d.uri) {
                        return self.lint(d.uri, d.text, Some(d.version));
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params)
                    && self.docs.contains_key(&p.text_document.uri)
                    // full sync: the last change holds the whole text
                    && let Some(change) = p.content_changes.into_iter().last()
                    && change.range.is_none()
                {
                    let d = p.text_document;
                    return self.lint(d.uri, change.text, Some(d.version));
                }
            }
            DidSaveTextDocument::METHOD => {
                // re-lint: a config file may have changed since
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params)
                    && let Some(doc) = self.docs.get(&p.text_document.uri)
                {
                    let text = p.text.unwrap_or_else(|| doc.text.clone());
                    return self.lint(p.text_document.uri, text, None);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && self.docs.remove(&p.text_document.uri).is_some()
                {
                    return self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Lints a document's new text and publishes its diagnostics.
    fn lint(&mut self, uri: Uri, text: String, version: Option<i32>) -> Result<(), ServerError> {
        let path = uri_path(uri.as_str());
        let (doc, config_error) = Document::new(self.registry, path, text, &self.root);
        if let Some(e) = config_error {
            let params = LogMessageParams {
                typ: MessageType::ERROR,
                message: format!("dlint: config: {e} (linting with the defaults)"),
            };
            self.send(Notification::new(LogMessage::METHOD.into(), params).into())?;
        }
        let diags = doc
            .findings
            .iter()
            .map(|d| convert::diagnostic(&doc.text, &doc.lines, d))
            .collect();
        self.docs.insert(uri.clone(), doc);
        self.publish(uri, diags, version)
    }

    fn publish(
        &mut self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), ServerError> {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into())
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        convert::code_actions(uri, &doc.text, &doc.lines, &doc.ast, &doc.findings, p.range)
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    /// `dlint fmt` on the document: one edit replacing the whole text, none when it is already
    /// formatted, `None` (no change) when it does not parse.
    fn formatting(&self, p: &DocumentFormattingParams) -> Option<Vec<TextEdit>> {
        let doc = self.docs.get(&p.text_document.uri)?;
        let formatted = crate::format::format(&doc.text).ok()?;
        if formatted == doc.text {
            return Some(Vec::new());
        }
        let range = doc.lines.range(&doc.text, 0, doc.text.len());
        Some(vec![TextEdit::new(range, formatted)])
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let at = &p.text_document_position_params;
        let doc = self.docs.get(&at.text_document.uri)?;
        let offset = doc.lines.offset(&doc.text, at.position);
        let (markdown, span) = convert::hover_markdown(&doc.text, &doc.findings, offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: span.map(|(s, e)| doc.lines.range(&doc.text, s, e)),
        })
    }
}

/// True when the URI's file name is one dlint lints (`Dockerfile`, `*.Dockerfile`,
/// `Containerfile.*`, ...).
fn is_dockerfile_uri(uri: &Uri) -> bool {
    uri_path(uri.as_str())
        .as_deref()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(is_dockerfile_name)
}

/// What the server offers: full-text sync with save notifications, code actions, hover,
/// formatting.
fn capabilities() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            document_formatting_provider: Some(lsp_types::OneOf::Left(true)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "dlint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    }
}
