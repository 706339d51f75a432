//! `qualify lsp`: a Language Server Protocol server for `.lead` files.
//!
//! In: JSON-RPC messages from an editor (over stdio with [`run_stdio`], or
//! handed to [`Server::handle`] one by one). Out: the answers and the
//! notifications the server sends: diagnostics as the text changes, hover,
//! completion, go to definition, references, rename, formatting, code actions
//! and semantic tokens. Every answer is computed from the same loading path as
//! `qualify check` ([`analysis`]), so the editor and CI agree.
//!
//! The server is synchronous: one message at a time, each answered before the
//! next is read. Every request and notification runs under `catch_unwind`, so
//! a bug answers that request with an error and the session goes on.
//!
//! Files: [`server`] (the state and the dispatch), [`capabilities`], [`position`] (offsets ↔
//! LSP positions), [`documents`] (open texts), [`analysis`] (a definition and
//! its examples file, checked), [`diagnostics`], [`symbols`] (every name's
//! declaration and uses), [`navigation`] (definition, references, rename),
//! [`hover`], [`completion`], [`formatting`], [`code_actions`],
//! [`semantic_tokens`], [`sample`] (hover counts from an inquiry file),
//! [`settings`].

pub mod analysis;
pub mod capabilities;
pub mod code_actions;
pub mod completion;
pub mod diagnostics;
pub mod documents;
pub mod formatting;
pub mod hover;
pub mod navigation;
pub mod position;
pub mod sample;
pub mod semantic_tokens;
pub mod server;
pub mod settings;
pub mod symbols;

pub use server::{guarded, Server};

use lsp_server::{Connection, Message};

/// Serve one editor session over stdin and stdout until it says `exit`,
/// starting from `settings` (the editor's own settings replace them).
/// `Err` is why the session could not run (a broken pipe, no `initialize`).
pub fn run_stdio(settings: settings::Settings) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the editor did not start a session: {e}"))?;
    let mut server = Server::default().with_settings(settings);
    let result = server.initialize(params);
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the editor did not start a session: {e}"))?;
    for message in &connection.receiver {
        if let Message::Request(request) = &message {
            match connection.handle_shutdown(request) {
                Ok(true) => break,
                Ok(false) => {}
                Err(e) => return Err(format!("the session ended badly: {e}")),
            }
        }
        for out in server.handle(message) {
            if connection.sender.send(out).is_err() {
                return Err("the editor closed the connection".into());
            }
        }
    }
    drop(connection);
    io_threads
        .join()
        .map_err(|e| format!("the session ended badly: {e}"))
}
