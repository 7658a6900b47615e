//! `vault lsp`: a language server (LSP 3.17 over stdio) that puts the vault in any editor:
//! diagnostics as you type, completion of partner names and front-matter values, hover cards,
//! go to definition, references, rename, symbols, and code actions that make the same edits as
//! the terminal commands. Requests are answered on this thread from the newest snapshot of the
//! index; the index itself is brought up to date on its own thread ([`indexer`]), so a request
//! never waits for a rebuild.

mod at;
mod card;
mod complete;
mod diagnostics;
mod edits;
pub mod indexer;
mod navigate;
pub mod position;
pub mod transport;
mod world;

use crate::config::{Config, CONFIG_FILE};
use crate::indexing::Indexing;
use chrono::NaiveDate;
use indexer::{Job, Setup, Snapshot};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _, ResolveCompletionItem,
    WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionProviderCapability, CompletionOptions, CompletionResponse,
    DocumentSymbolResponse, GotoDefinitionResponse, HoverProviderCapability, InitializeParams,
    InitializeResult, MessageType, OneOf, PositionEncodingKind, PrepareRenameResponse,
    RenameOptions, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url, WorkspaceSymbolResponse,
};
use position::Lines;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use transport::Incoming;
use world::{Document, Documents, Place, World};

/// How the server was started.
pub struct Options {
    /// `--vault`: else the editor's workspace folder (or the nearest folder above it holding
    /// `vault.yaml`), else the current folder's vault.
    pub vault: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    /// `--today`; else the clock, asked at every rebuild.
    pub today: Option<NaiveDate>,
    pub indexing: Indexing,
}

/// What reaches the server's loop.
enum Event {
    Client(Incoming),
    ClientGone,
    Indexed(Box<Snapshot>),
}

/// Serves one editor until it says `exit` (or goes away). The exit code is 0 after a
/// `shutdown` request, 1 otherwise, as the protocol asks.
pub fn run(options: Options) -> anyhow::Result<u8> {
    let (events_in, events) = mpsc::channel();
    let from_client = events_in.clone();
    std::thread::Builder::new()
        .name("vault-lsp-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = std::io::BufReader::new(stdin.lock());
            loop {
                match transport::read(&mut input) {
                    Ok(Some(incoming)) => {
                        if from_client.send(Event::Client(incoming)).is_err() {
                            return;
                        }
                    }
                    Ok(None) | Err(_) => {
                        let _ = from_client.send(Event::ClientGone);
                        return;
                    }
                }
            }
        })?;
    let mut out = Output;
    let Some((id, params)) = wait_for_initialize(&events, &mut out)? else {
        return Ok(1);
    };
    let place = vault_place(&options, &params)?;
    let (config, config_problem) =
        match crate::cmd::load_config(&place.canonical, options.config_file.as_deref()) {
            Ok(config) => (config, None),
            Err(error) => (Config::default(), Some(error.to_string())),
        };
    out.send(Message::Response(Response::new_ok(id, initialize_result())))?;
    if let Some(problem) = config_problem {
        out.notify::<ShowMessage>(ShowMessageParams {
            typ: MessageType::ERROR,
            message: format!("vault: the settings cannot be read, defaults used: {problem}"),
        })?;
    }
    let today = options.today;
    let today_fn = move || today.unwrap_or_else(crate::cmd::clock_today);
    let settings = match &options.config_file {
        Some(file) => world::absolute(file),
        None => place.canonical.join(CONFIG_FILE),
    };
    let (config_root, config_file) = (place.canonical.clone(), options.config_file.clone());
    let setup = Setup {
        root: place.canonical.clone(),
        settings,
        reload_settings: Box::new(move || {
            crate::cmd::load_config(&config_root, config_file.as_deref())
        }),
        config,
        today: Box::new(today_fn),
        indexing: options.indexing,
    };
    let (jobs, jobs_out) = mpsc::channel();
    indexer::start(setup, (jobs.clone(), jobs_out), events_in, Event::Indexed);
    let mut server = Server {
        place,
        docs: Documents::new(),
        jobs,
        snapshot: None,
        published: diagnostics::Published::default(),
        pending: Vec::new(),
        shutdown: false,
        today: Box::new(today_fn),
        out,
    };
    server.serve(&events)
}

/// Answers everything before `initialize` as the protocol asks; `None` when the client
/// leaves (or says `exit`) first.
fn wait_for_initialize(
    events: &mpsc::Receiver<Event>,
    out: &mut Output,
) -> anyhow::Result<Option<(RequestId, InitializeParams)>> {
    while let Ok(event) = events.recv() {
        match event {
            Event::Client(Incoming::Message(Message::Request(request))) => {
                if request.method == lsp_types::request::Initialize::METHOD {
                    match serde_json::from_value(request.params) {
                        Ok(params) => return Ok(Some((request.id, params))),
                        Err(error) => out.error(
                            request.id,
                            ErrorCode::InvalidParams,
                            format!("initialize: {error}"),
                        )?,
                    }
                } else {
                    out.error(
                        request.id,
                        ErrorCode::ServerNotInitialized,
                        "the server is not initialized yet".into(),
                    )?;
                }
            }
            Event::Client(Incoming::Message(Message::Notification(n))) if n.method == "exit" => {
                return Ok(None)
            }
            Event::Client(Incoming::Malformed { code, message, id }) => {
                out.raw(&transport::error_reply(code, message, id))?;
            }
            Event::ClientGone => return Ok(None),
            _ => {}
        }
    }
    Ok(None)
}

/// The vault: `--vault`, else the workspace folder's (the folder holding `vault.yaml` at or
/// above it, else the folder itself, read with the default settings), else the current
/// folder's.
fn vault_place(options: &Options, params: &InitializeParams) -> anyhow::Result<Place> {
    #[allow(deprecated)] // `root_uri` is what older clients send.
    let workspace = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| folder.uri.clone())
        .or_else(|| params.root_uri.clone())
        .and_then(|uri| uri.to_file_path().ok());
    let shown = match (&options.vault, workspace) {
        (Some(dir), _) => world::absolute(dir),
        (None, Some(folder)) => folder
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
            .unwrap_or(&folder)
            .to_path_buf(),
        (None, None) => world::absolute(&crate::cmd::find_root(None)?),
    };
    let canonical = shown.canonicalize().unwrap_or_else(|_| shown.clone());
    Ok(Place { shown, canonical })
}

fn initialize_result() -> Value {
    let capabilities = ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), " ".into()]),
            resolve_provider: Some(true),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "vault".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    serde_json::to_value(result).expect("the capabilities as JSON")
}

/// Messages to the editor, on stdout.
struct Output;

impl Output {
    fn send(&mut self, message: Message) -> std::io::Result<()> {
        transport::write(&mut std::io::stdout().lock(), &message)
    }

    fn raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) -> std::io::Result<()> {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )))
    }

    fn notify<N: lsp_types::notification::Notification>(
        &mut self,
        params: N::Params,
    ) -> std::io::Result<()> {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )))
    }
}

struct Server {
    place: Place,
    docs: Documents,
    jobs: mpsc::Sender<Job>,
    snapshot: Option<Box<Snapshot>>,
    published: diagnostics::Published,
    /// Requests that came before the first snapshot.
    pending: Vec<Request>,
    shutdown: bool,
    today: Box<dyn Fn() -> NaiveDate>,
    out: Output,
}

/// A request's failure: the protocol's code and a message.
type Failure = (ErrorCode, String);

impl Server {
    fn serve(&mut self, events: &mpsc::Receiver<Event>) -> anyhow::Result<u8> {
        while let Ok(event) = events.recv() {
            match event {
                Event::Indexed(snapshot) => {
                    self.snapshot = Some(snapshot);
                    self.publish_diagnostics()?;
                    for request in std::mem::take(&mut self.pending) {
                        self.answer(request)?;
                    }
                }
                Event::Client(Incoming::Message(Message::Request(request))) => {
                    if self.shutdown {
                        self.out.error(
                            request.id,
                            ErrorCode::InvalidRequest,
                            "the server is shutting down".into(),
                        )?;
                    } else if request.method == lsp_types::request::Shutdown::METHOD {
                        self.shutdown = true;
                        self.out
                            .send(Message::Response(Response::new_ok(request.id, ())))?;
                    } else if self.snapshot.is_none() {
                        self.pending.push(request);
                    } else {
                        self.answer(request)?;
                    }
                }
                Event::Client(Incoming::Message(Message::Notification(notification))) => {
                    if notification.method == "exit" {
                        return Ok(if self.shutdown { 0 } else { 1 });
                    }
                    self.notified(notification);
                }
                Event::Client(Incoming::Message(Message::Response(_))) => {}
                Event::Client(Incoming::Malformed { code, message, id }) => {
                    self.out.raw(&transport::error_reply(code, message, id))?;
                }
                Event::ClientGone => return Ok(1),
            }
        }
        Ok(1)
    }

    fn publish_diagnostics(&mut self) -> anyhow::Result<()> {
        let Some(snapshot) = &self.snapshot else {
            return Ok(());
        };
        let world = World {
            place: &self.place,
            snapshot,
            docs: &self.docs,
        };
        for params in self.published.update(&world) {
            self.out.notify::<PublishDiagnostics>(params)?;
        }
        Ok(())
    }

    /// Buffers opened, changed, saved and closed: kept here, and told to the index.
    fn notified(&mut self, notification: Notification) {
        let params = notification.params;
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return;
                };
                let doc = p.text_document;
                if let Some(rel) = self.place.rel(&doc.uri) {
                    self.buffer_changed(&rel, doc.version, &doc.text);
                    let document = Document {
                        uri: doc.uri,
                        text: doc.text,
                        version: doc.version,
                    };
                    self.docs.insert(rel, document);
                }
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let Some(rel) = self.place.rel(&p.text_document.uri) else {
                    return;
                };
                let Some(doc) = self.docs.get_mut(&rel) else {
                    return;
                };
                for change in p.content_changes {
                    doc.text = match change.range {
                        Some(range) => position::apply(&doc.text, range, &change.text),
                        None => change.text,
                    };
                }
                doc.version = p.text_document.version;
                let (version, text) = (doc.version, doc.text.clone());
                self.buffer_changed(&rel, version, &text);
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                else {
                    return;
                };
                if let Some(rel) = self.place.rel(&p.text_document.uri) {
                    let _ = self.jobs.send(Job::Saved { rel });
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                if let Some(rel) = self.place.rel(&p.text_document.uri) {
                    self.docs.remove(&rel);
                    let _ = self.jobs.send(Job::Closed { rel });
                }
            }
            _ => {}
        }
    }

    fn buffer_changed(&mut self, rel: &str, version: i32, text: &str) {
        let _ = self.jobs.send(Job::Buffer {
            rel: rel.to_string(),
            version,
            text: text.to_string(),
        });
    }

    /// Answers one request; a panic in a handler is answered as an internal error, and the
    /// server goes on.
    fn answer(&mut self, request: Request) -> anyhow::Result<()> {
        let id = request.id.clone();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.handle(&request.method, request.params)
        }));
        let response = match outcome {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("vault: {} failed; the server goes on", request.method),
            ),
        };
        self.out.send(Message::Response(response))?;
        Ok(())
    }

    fn handle(&self, method: &str, params: Value) -> Result<Value, Failure> {
        let Some(snapshot) = &self.snapshot else {
            return Err((ErrorCode::ContentModified, "not indexed yet".into()));
        };
        let world = World {
            place: &self.place,
            snapshot,
            docs: &self.docs,
        };
        let json = |value: Result<Value, serde_json::Error>| {
            value.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match method {
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                let answer = at_position(&world, &p.text_document_position, |rel, text, at| {
                    complete::complete(&world, rel, text, at).map(CompletionResponse::List)
                });
                json(serde_json::to_value(answer.flatten()))
            }
            ResolveCompletionItem::METHOD => {
                let item: lsp_types::CompletionItem = parse(params)?;
                json(serde_json::to_value(complete::resolve(&world, item)))
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                let answer =
                    at_position(&world, &p.text_document_position_params, |rel, text, at| {
                        navigate::hover(&world, rel, text, at)
                    });
                json(serde_json::to_value(answer.flatten()))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                let answer =
                    at_position(&world, &p.text_document_position_params, |rel, text, at| {
                        navigate::definition(&world, rel, text, at)
                            .map(GotoDefinitionResponse::Scalar)
                    });
                json(serde_json::to_value(answer.flatten()))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params)?;
                let declaration = p.context.include_declaration;
                let answer = at_position(&world, &p.text_document_position, |rel, text, at| {
                    navigate::partner_for(&world, rel, text, at)
                        .map(|i| navigate::references(&world, i, declaration))
                });
                json(serde_json::to_value(answer.flatten()))
            }
            PrepareRenameRequest::METHOD => {
                let p: TextDocumentPositionParams = parse(params)?;
                let answer = at_position(&world, &p, |rel, text, at| {
                    edits::prepare_rename(&world, rel, text, at).map(|(range, placeholder)| {
                        PrepareRenameResponse::RangeWithPlaceholder { range, placeholder }
                    })
                });
                json(serde_json::to_value(answer.flatten()))
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = parse(params)?;
                let answer = at_position(&world, &p.text_document_position, |rel, text, at| {
                    edits::rename(&world, rel, text, at, &p.new_name)
                });
                match answer {
                    Some(Ok(edit)) => json(serde_json::to_value(edit)),
                    Some(Err(why)) => Err((ErrorCode::RequestFailed, why)),
                    None => Err((ErrorCode::RequestFailed, "not a note of this vault".into())),
                }
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                let answer = in_document(&world, &p.text_document.uri, |rel, text| {
                    DocumentSymbolResponse::Nested(navigate::document_symbols(&world, rel, text))
                });
                json(serde_json::to_value(answer))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = parse(params)?;
                let symbols = navigate::workspace_symbols(&world, &p.query, 200);
                json(serde_json::to_value(WorkspaceSymbolResponse::Flat(symbols)))
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = parse(params)?;
                let today = (self.today)();
                let answer = in_document(&world, &p.text_document.uri, |rel, text| {
                    let at = Lines::new(text).offset(p.range.start);
                    edits::code_actions(&world, rel, text, at, today)
                        .into_iter()
                        .map(CodeActionOrCommand::CodeAction)
                        .collect::<Vec<_>>()
                });
                json(serde_json::to_value(answer.unwrap_or_default()))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("vault lsp does not answer `{method}`"),
            )),
        }
    }
}

fn parse<P: serde::de::DeserializeOwned>(params: Value) -> Result<P, Failure> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// Runs `answer` on a note of the vault: its path, text (the buffer's, else the file's) and the
/// byte offset of the position; `None` for a file outside the vault.
fn at_position<T>(
    world: &World,
    at: &TextDocumentPositionParams,
    answer: impl FnOnce(&str, &str, usize) -> T,
) -> Option<T> {
    in_document(world, &at.text_document.uri, |rel, text| {
        answer(rel, text, Lines::new(text).offset(at.position))
    })
}

fn in_document<T>(world: &World, uri: &Url, answer: impl FnOnce(&str, &str) -> T) -> Option<T> {
    let rel = world.place.rel(uri)?;
    let text = world.text(&rel)?;
    Some(answer(&rel, &text))
}
