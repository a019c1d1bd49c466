//! The language server loop: a reader thread parses messages from the client, and this
//! thread answers them in order. `didOpen` and `didSave` are linted at once; `didChange` waits
//! until the text is still ([`super::debounce`]), and any request first lints what waits, so
//! code actions and hover see the current text. Config files are watched
//! (`workspace/didChangeWatchedFiles`, registered when the client can): when one changes,
//! every open document is linted again.

use super::convert;
use super::debounce::Pending;
use super::document::{Document, uri_path};
use super::transport::{self, Frame, TransportError};
use crate::lint::Registry;
use crate::lint::discover::is_dockerfile_name;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Formatting, HoverRequest, RegisterCapability, Request as _,
};
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
use std::sync::mpsc;
use std::time::Instant;

/// The config file names whose change re-lints the open documents.
const CONFIG_FILES: &[&str] = &[
    ".dlint.yaml",
    ".dlint.yml",
    ".hadolint.yaml",
    ".hadolint.yml",
    "dlint.yaml",
    "hadolint.yaml",
];

/// Frames read ahead of the server (the reader waits when the server is this far behind).
const READ_AHEAD: usize = 64;

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
    /// Changes waiting for their lint.
    pending: Pending,
    /// Whether the client registers file watchers on request.
    can_watch: bool,
    /// The id of the next request the server sends.
    next_id: i32,
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
            pending: Pending::default(),
            can_watch: false,
            next_id: 0,
        }
    }

    /// Serves messages read from `input` (on a thread of its own) until `exit` (Ok when it
    /// followed `shutdown`). Debounced lints run when their time comes between messages.
    pub fn run<R: BufRead + Send + 'static>(&mut self, input: R) -> Result<(), ServerError> {
        let (tx, rx) = mpsc::sync_channel(READ_AHEAD);
        std::thread::spawn(move || {
            let mut input = input;
            loop {
                let frame = transport::read_frame(&mut input);
                let end = matches!(frame, Ok(Frame::Eof) | Err(_));
                if tx.send(frame).is_err() || end {
                    break;
                }
            }
        });
        loop {
            let frame = match self.pending.next_due() {
                Some(due) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                    Ok(frame) => frame,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        let due = self.pending.take_due(Instant::now());
                        self.lint_changes(due)?;
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => Ok(Frame::Eof),
                },
                None => rx.recv().unwrap_or(Ok(Frame::Eof)),
            };
            match frame? {
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

    /// Lints changes that waited, publishing with their versions.
    fn lint_changes(
        &mut self,
        changes: Vec<(Uri, super::debounce::Change)>,
    ) -> Result<(), ServerError> {
        for (uri, change) in changes {
            if self.docs.contains_key(&uri) {
                self.lint(uri, change.text, Some(change.version))?;
            }
        }
        Ok(())
    }

    fn request(&mut self, req: Request) -> Result<(), ServerError> {
        let Request { id, method, params } = req;
        // answers read the documents: what waits is linted first
        let waiting = self.pending.take_all();
        self.lint_changes(waiting)?;
        if self.shutdown {
            return self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            );
        }
        if method == "initialize" {
            self.initialized = true;
            self.can_watch = params
                .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false);
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
            "initialized" if self.can_watch => return self.watch_config_files(),
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    if d.language_id == "dockerfile" || is_dockerfile_uri(&d.uri) {
                        self.pending.remove(&d.uri);
                        return self.lint(d.uri, d.text, Some(d.version));
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                    && p.changes.iter().any(|c| is_config_uri(&c.uri))
                {
                    return self.relint_all();
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
                    self.pending
                        .push(d.uri, change.text, d.version, Instant::now());
                }
            }
            DidSaveTextDocument::METHOD => {
                // re-lint: a config file may have changed since
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params)
                    && let Some(doc) = self.docs.get(&p.text_document.uri)
                {
                    let waiting = self.pending.remove(&p.text_document.uri);
                    let (text, version) = match (p.text, waiting) {
                        (Some(t), w) => (t, w.map(|c| c.version)),
                        (None, Some(c)) => (c.text, Some(c.version)),
                        (None, None) => (doc.text.clone(), None),
                    };
                    return self.lint(p.text_document.uri, text, version);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && self.docs.remove(&p.text_document.uri).is_some()
                {
                    self.pending.remove(&p.text_document.uri);
                    return self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Asks the client to watch the config files (`client/registerCapability`); its answer is
    /// not needed.
    fn watch_config_files(&mut self) -> Result<(), ServerError> {
        let watchers: Vec<serde_json::Value> = CONFIG_FILES
            .iter()
            .map(|name| serde_json::json!({ "globPattern": format!("**/{name}") }))
            .collect();
        let params = serde_json::json!({ "registrations": [{
            "id": "dlint-config-files",
            "method": DidChangeWatchedFiles::METHOD,
            "registerOptions": { "watchers": watchers },
        }]});
        self.next_id += 1;
        let req = Request::new(
            RequestId::from(self.next_id),
            RegisterCapability::METHOD.into(),
            params,
        );
        self.send(req.into())
    }

    /// Lints every open document again (a config file changed), waiting changes included.
    fn relint_all(&mut self) -> Result<(), ServerError> {
        let waiting = self.pending.take_all();
        self.lint_changes(waiting)?;
        let open: Vec<(Uri, String)> = self
            .docs
            .iter()
            .map(|(u, d)| (u.clone(), d.text.clone()))
            .collect();
        for (uri, text) in open {
            self.lint(uri, text, None)?;
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

/// True when the URI names a config file ([`CONFIG_FILES`]).
fn is_config_uri(uri: &Uri) -> bool {
    uri.as_str()
        .rsplit('/')
        .next()
        .is_some_and(|name| CONFIG_FILES.contains(&name))
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
