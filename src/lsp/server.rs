//! The server's state and the dispatch of each message to its handler.
//!
//! In: one [`Message`] at a time. Out: the messages to send back: the
//! response to a request, and `publishDiagnostics` for every file of a
//! definition whenever one of them opens, changes or closes.

use super::analysis::{analyze, definition_url, inputs, Analysis, FileState, Inputs};
use super::completion::Names;
use super::documents::Documents;
use super::position::{Encoding, Lines};
use super::sample::SampleCache;
use super::settings::Settings;
use super::{code_actions, completion, diagnostics, formatting, hover, navigation};
use super::{semantic_tokens, symbols};
use crate::model::days_from_date;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::rc::Rc;

/// What a handler answers: a JSON result, or an error code and message.
pub type Answer = Result<Value, (ErrorCode, String)>;

/// The state of one editor session.
pub struct Server {
    docs: Documents,
    encoding: Encoding,
    settings: Settings,
    root: Option<PathBuf>,
    /// The day examples are run at (days since 1970): today, at start.
    as_of: i32,
    /// The names of the last text that parsed, per definition: completion
    /// still knows them while the text is half-typed.
    last_names: HashMap<lsp::Url, Names>,
    sample: SampleCache,
    /// The last analysis and its inputs: hover, completion and tokens right
    /// after an edit reuse the check the edit's diagnostics came from.
    last: Option<(Inputs, Rc<Analysis>)>,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            docs: Documents::default(),
            encoding: Encoding::Utf16,
            settings: Settings::default(),
            root: None,
            as_of: days_from_date(chrono::Local::now().date_naive()),
            last_names: HashMap::new(),
            sample: SampleCache::default(),
            last: None,
        }
    }
}

/// Run `f`; a panic becomes `Err` with its message, so one request's bug
/// does not end the session.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

impl Server {
    /// The examples' date, for tests that need a fixed day.
    pub fn with_as_of(mut self, as_of: i32) -> Self {
        self.as_of = as_of;
        self
    }

    /// Settings to start with, before the editor sends its own.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Answer `initialize`: agree on the position encoding (UTF-8 when the
    /// client offers it, else UTF-16), read the settings, say what we do.
    pub fn initialize(&mut self, params: Value) -> Value {
        let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
        self.encoding = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        #[allow(deprecated)] // root_uri is what older clients send
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first().map(|f| f.uri.clone()))
            .or(params.root_uri);
        self.root = root.and_then(|u| u.to_file_path().ok());
        if let Some(options) = &params.initialization_options {
            if let Some(settings) = Settings::from_json(options, self.root.as_deref()) {
                self.settings = settings;
            }
        }
        let result = lsp::InitializeResult {
            capabilities: super::capabilities::capabilities(self.encoding),
            server_info: Some(lsp::ServerInfo {
                name: "qualify".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        serde_json::to_value(result).unwrap_or(Value::Null)
    }

    /// Handle one message; the messages to send back.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let response = match guarded(|| self.request(request)) {
                    Ok(Ok(value)) => Response::new_ok(id, value),
                    Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
                    Err(panic) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("qualify lsp failed while answering {method}: {panic}"),
                    ),
                };
                vec![Message::Response(response)]
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                guarded(|| self.notification(n)).unwrap_or_else(|panic| {
                    eprintln!("qualify lsp: failed on {method}: {panic}");
                    Vec::new()
                })
            }
            Message::Response(_) => Vec::new(),
        }
    }

    fn request(&mut self, request: Request) -> Answer {
        let p = &request.params;
        match request.method.as_str() {
            "shutdown" => Ok(Value::Null),
            "textDocument/hover" => {
                let p: lsp::HoverParams = params(p)?;
                let at = &p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, |s, a, f, offset| {
                    let counts = s.sample_counts(a);
                    json(hover::hover(a, f, offset, counts.as_ref(), s.encoding))
                })
            }
            "textDocument/completion" => {
                let p: lsp::CompletionParams = params(p)?;
                let at = &p.text_document_position;
                let def = definition_url(&at.text_document.uri);
                self.at(&at.text_document.uri, at.position, |s, a, f, offset| {
                    let parsed = a.definition.as_ref().and_then(|d| d.ast.as_ref());
                    let names = parsed
                        .map(Names::of)
                        .or_else(|| s.last_names.get(&def).cloned());
                    let names = names.unwrap_or_default();
                    json(completion::complete(
                        &f.source.text,
                        &names,
                        offset,
                        s.encoding,
                    ))
                })
            }
            "textDocument/definition" => {
                let p: lsp::GotoDefinitionParams = params(p)?;
                let at = &p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, |s, a, f, offset| {
                    json(navigation::definition(a, f, offset, s.encoding))
                })
            }
            "textDocument/references" => {
                let p: lsp::ReferenceParams = params(p)?;
                let at = &p.text_document_position;
                let with_decl = p.context.include_declaration;
                self.at(&at.text_document.uri, at.position, |s, a, f, offset| {
                    json(navigation::references(a, f, offset, with_decl, s.encoding))
                })
            }
            "textDocument/prepareRename" => {
                let p: lsp::TextDocumentPositionParams = params(p)?;
                self.at(&p.text_document.uri, p.position, |s, a, f, offset| {
                    json(navigation::prepare_rename(a, f, offset, s.encoding))
                })
            }
            "textDocument/rename" => {
                let p: lsp::RenameParams = params(p)?;
                let at = &p.text_document_position;
                self.at(&at.text_document.uri, at.position, |s, a, f, offset| {
                    let edit = navigation::rename(a, f, offset, &p.new_name, s.encoding)
                        .map_err(|e| (ErrorCode::InvalidParams, e))?;
                    json(edit)
                })
            }
            "textDocument/formatting" => {
                let p: lsp::DocumentFormattingParams = params(p)?;
                let text = self.text(&p.text_document.uri)?;
                formatting::format(&p.text_document.uri, &text, None, self.encoding)
                    .map_err(|e| (ErrorCode::RequestFailed, e))
                    .and_then(json)
            }
            "textDocument/rangeFormatting" => {
                let p: lsp::DocumentRangeFormattingParams = params(p)?;
                let text = self.text(&p.text_document.uri)?;
                formatting::format(&p.text_document.uri, &text, Some(p.range), self.encoding)
                    .map_err(|e| (ErrorCode::RequestFailed, e))
                    .and_then(json)
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = params(p)?;
                let url = p.text_document.uri.clone();
                let analysis = self.analysis(&url);
                let Some(file) = analysis.file(&url) else {
                    return Ok(Value::Array(Vec::new()));
                };
                json(code_actions::actions(file, p.range, self.encoding))
            }
            "textDocument/semanticTokens/full" => {
                let p: lsp::SemanticTokensParams = params(p)?;
                let url = p.text_document.uri.clone();
                let analysis = self.analysis(&url);
                let Some(file) = analysis.file(&url) else {
                    return Ok(Value::Null);
                };
                let names = declared(&analysis);
                let occurrences = file
                    .ast
                    .as_ref()
                    .map(|ast| symbols::occurrences(ast, &names))
                    .unwrap_or_default();
                json(semantic_tokens::tokens(
                    &file.source.text,
                    &occurrences,
                    self.encoding,
                ))
            }
            // A handler with a bug, to test that it answers an error.
            #[cfg(test)]
            "qualify/testPanic" => panic!("a bug in a handler"),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("qualify lsp does not answer {method}"),
            )),
        }
    }

    /// Run `answer` on the analysis of `url`, the file itself and the byte
    /// offset of `position` in it; null when the file is unknown.
    fn at(
        &mut self,
        url: &lsp::Url,
        position: lsp::Position,
        answer: impl FnOnce(&mut Self, &Analysis, &FileState, usize) -> Answer,
    ) -> Answer {
        let analysis = self.analysis(url);
        let Some(file) = analysis.file(url) else {
            return Ok(Value::Null);
        };
        let offset = Lines::new(&file.source.text, self.encoding).offset(position);
        answer(self, &analysis, file, offset)
    }

    /// The analysis of the definition `url` belongs to; the last one when
    /// nothing it was computed from has changed.
    fn analysis(&mut self, url: &lsp::Url) -> Rc<Analysis> {
        let inputs = inputs(&self.docs, url);
        if let Some((last, analysis)) = &self.last {
            if *last == inputs {
                return analysis.clone();
            }
        }
        let analysis = Rc::new(analyze(inputs.clone(), self.as_of));
        self.last = Some((inputs, analysis.clone()));
        analysis
    }

    fn text(&self, url: &lsp::Url) -> Result<String, (ErrorCode, String)> {
        self.docs
            .text(url)
            .ok_or_else(|| (ErrorCode::InvalidParams, format!("{url} is not open")))
    }

    fn sample_counts(&mut self, analysis: &Analysis) -> Option<super::sample::Counts> {
        let path = self.settings.sample.clone()?;
        let model = analysis.model.as_ref()?;
        let text = &analysis.definition.as_ref()?.source.text;
        Some(self.sample.counts(&path, text, model, self.as_of))
    }

    fn notification(&mut self, n: Notification) -> Vec<Message> {
        let p = n.params;
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(&p) else {
                    return Vec::new();
                };
                let url = p.text_document.uri;
                self.docs.open(url.clone(), p.text_document.text);
                self.publish(&url, None)
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(&p) else {
                    return Vec::new();
                };
                let url = p.text_document.uri;
                self.docs.change(&url, p.content_changes, self.encoding);
                self.publish(&url, None)
            }
            "textDocument/didClose" => {
                let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(&p) else {
                    return Vec::new();
                };
                let url = p.text_document.uri;
                self.docs.close(&url);
                self.publish(&url, Some(&url))
            }
            "workspace/didChangeConfiguration" => {
                if let Some(settings) = p
                    .get("settings")
                    .and_then(|s| Settings::from_json(s, self.root.as_deref()))
                {
                    self.settings = settings;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Check the definition `url` belongs to and publish the diagnostics of
    /// its open files (`closed`, just closed, gets none).
    fn publish(&mut self, url: &lsp::Url, closed: Option<&lsp::Url>) -> Vec<Message> {
        let analysis = self.analysis(url);
        if let Some(def) = &analysis.definition {
            if let Some(ast) = &def.ast {
                self.last_names.insert(def.url.clone(), Names::of(ast));
            }
        }
        let mut out: Vec<Message> = analysis
            .files()
            .filter(|f| self.docs.is_open(&f.url))
            .map(|f| publish(f.url.clone(), diagnostics::to_lsp(f, self.encoding)))
            .collect();
        if let Some(closed) = closed {
            out.push(publish(closed.clone(), Vec::new()));
        }
        out
    }
}

/// The names a definition declares (for an examples file, its definition's).
pub fn declared(analysis: &Analysis) -> symbols::Declared {
    analysis
        .definition
        .as_ref()
        .and_then(|d| d.ast.as_ref())
        .map(symbols::Declared::of)
        .unwrap_or_default()
}

fn publish(url: lsp::Url, diagnostics: Vec<lsp::Diagnostic>) -> Message {
    let params = lsp::PublishDiagnosticsParams {
        uri: url,
        diagnostics,
        version: None,
    };
    Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".into(),
        params,
    ))
}

fn params<P: DeserializeOwned>(value: &Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value.clone()).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_server::RequestId;
    use serde_json::json;

    fn ask(server: &mut Server, method: &str, params: Value) -> Response {
        let request = Request::new(RequestId::from(1), method.into(), params);
        match server.handle(Message::Request(request)).pop() {
            Some(Message::Response(r)) => r,
            other => panic!("a response expected, got {other:?}"),
        }
    }

    #[test]
    fn a_panicking_handler_answers_an_error_and_the_session_goes_on() {
        let mut server = Server::default();
        server.initialize(json!({"capabilities": {}}));
        let uri = "untitled:a.lead";
        let open = json!({"textDocument": {"uri": uri, "languageId": "lead", "version": 1,
                                           "text": "fields { budget number }"}});
        server.handle(Message::Notification(Notification::new(
            "textDocument/didOpen".into(),
            open,
        )));
        let crashed = ask(&mut server, "qualify/testPanic", Value::Null);
        let error = crashed.error.expect("an error answer");
        assert_eq!(error.code, ErrorCode::InternalError as i32);
        assert!(
            error.message.contains("a bug in a handler"),
            "{}",
            error.message
        );
        let at = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 10}});
        let hover = ask(&mut server, "textDocument/hover", at);
        assert!(hover.error.is_none(), "{:?}", hover.error);
        let text = hover.result.map(|r| r["contents"]["value"].to_string());
        assert!(text.is_some_and(|t| t.contains("budget")));
    }
}
