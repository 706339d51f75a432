//! The language server sees every half-typed state of a file, so it must
//! answer on any text. In-process (the server's `handle`, no pipes), each
//! prefix of each file in `rules/` is sent as the whole document, and each
//! time the server must publish diagnostics and answer hover, completion and
//! semantic tokens without an error, within a generous bound. Then random
//! edits (random ranges, in or out of the text, random token soup) do the same.
//!
//! Which prefixes: every character boundary of the first [`EVERY_CHAR`]
//! bytes of each file (every half-typed word, text, number and comment), then
//! the end of every token ([`qualify::syntax::trivia`]'s pieces) for the
//! rest. Past the first kilobyte a prefix ending inside a token, or in the
//! blanks after it, is in a state already tried (the same token half-typed,
//! the same construct cut after a token), and trying every byte of all of
//! `rules/` (30 KB) would make the test quadratic: minutes, not seconds.

use lsp_server::{Message, Notification, Request, RequestId};
use proptest::prelude::*;
use qualify::lsp::Server;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Every character boundary is tried up to this many bytes into a file.
const EVERY_CHAR: usize = 1_000;
/// Any one answer must come within this (a debug build, on a loaded machine).
const BOUND: Duration = Duration::from_secs(10);
/// 2026-11-23, so examples give the same answers every day.
const AS_OF: i32 = 20_415;

fn server() -> Server {
    let mut server = Server::default().with_as_of(AS_OF);
    server.initialize(json!({"capabilities": {}}));
    server
}

fn notify(server: &mut Server, method: &str, params: Value) -> Vec<Message> {
    let started = Instant::now();
    let out = server.handle(Message::Notification(Notification::new(
        method.into(),
        params,
    )));
    assert!(
        started.elapsed() < BOUND,
        "{method} took {:?}",
        started.elapsed()
    );
    out
}

fn ask(server: &mut Server, method: &str, params: Value) -> Value {
    let started = Instant::now();
    let request = Request::new(RequestId::from(1), method.into(), params);
    let out = server.handle(Message::Request(request));
    assert!(
        started.elapsed() < BOUND,
        "{method} took {:?}",
        started.elapsed()
    );
    let [Message::Response(response)] = out.as_slice() else {
        panic!("{method}: one response expected, got {out:?}");
    };
    assert!(response.error.is_none(), "{method}: {:?}", response.error);
    response.result.clone().unwrap_or(Value::Null)
}

/// After an edit: diagnostics published, and every question answered.
fn answers_everything(server: &mut Server, out: &[Message], uri: &str, end: (u32, u32)) {
    let published = out.iter().any(|m| {
        matches!(m, Message::Notification(n)
            if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
    });
    assert!(published, "no diagnostics for {uri}");
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": end.0, "character": end.1}});
    ask(server, "textDocument/hover", at.clone());
    ask(server, "textDocument/completion", at);
    ask(
        server,
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
}

/// The position just past `text` (UTF-16 columns).
fn end_of(text: &str) -> (u32, u32) {
    let line = text.split('\n').count() - 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line as u32, last.encode_utf16().count() as u32)
}

/// The prefix lengths tried for `text` (see the module's doc).
fn prefix_ends(text: &str) -> Vec<usize> {
    let mut ends: Vec<usize> = (0..=text.len().min(EVERY_CHAR))
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    for piece in qualify::syntax::trivia::pieces(text) {
        ends.extend(Some(piece.end).filter(|&e| e > EVERY_CHAR));
    }
    ends.push(text.len());
    ends.sort_unstable();
    ends.dedup();
    ends
}

fn rules_texts() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(super::support::root().join("rules"))
        .expect("rules/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "lead"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(p).expect("readable"))
        })
        .collect()
}

#[test]
fn every_prefix_of_every_rules_file_gets_answers() {
    let mut server = server();
    for (name, text) in rules_texts() {
        // Untitled: the prefix alone, without its companion from disk.
        let uri = format!("untitled:{name}");
        notify(
            &mut server,
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "lead", "version": 0, "text": ""}}),
        );
        for (version, end) in prefix_ends(&text).into_iter().enumerate() {
            let prefix = &text[..end];
            let out = notify(
                &mut server,
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"text": prefix}]}),
            );
            answers_everything(&mut server, &out, &uri, end_of(prefix));
        }
    }
}

/// An examples file is checked with its definition: every line of each
/// `rules/*.examples.lead`, and every character of its first lines, typed
/// beside its whole definition (open under a path that is not on disk).
#[test]
fn every_line_of_every_examples_file_is_checked_with_its_definition() {
    let mut server = server();
    let texts = rules_texts();
    for (name, text) in &texts {
        let Some(stem) = name.strip_suffix(".examples.lead") else {
            continue;
        };
        let definition = texts
            .iter()
            .find(|(n, _)| *n == format!("{stem}.lead"))
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let def_uri = format!("file:///nowhere/{stem}.lead");
        let uri = format!("file:///nowhere/{name}");
        for (u, t) in [(&def_uri, definition.as_str()), (&uri, "")] {
            notify(
                &mut server,
                "textDocument/didOpen",
                json!({"textDocument": {"uri": u, "languageId": "lead", "version": 0, "text": t}}),
            );
        }
        let mut ends: Vec<usize> = (0..=text.len().min(300))
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        ends.extend(text.match_indices('\n').map(|(i, _)| i));
        ends.push(text.len());
        for (version, end) in ends.into_iter().enumerate() {
            let prefix = &text[..end];
            let out = notify(
                &mut server,
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version + 1},
                       "contentChanges": [{"text": prefix}]}),
            );
            answers_everything(&mut server, &out, &uri, end_of(prefix));
        }
    }
}

/// Pieces of definitions and of nonsense, for random edits.
const SOUP: &[&str] = &[
    "criterion \"x\" +5 when ",
    "stage \"s\" otherwise\n",
    "matched \"",
    "at least 2 of (",
    "\"",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "# c\n",
    "é",
    "😀",
    "\r",
    "\r\n",
    "\n",
    "budget",
    "= \"web\"",
    " in ",
    "/a|b/",
    "matches /",
    "2026-13-45",
    "1e400",
    "example \"e\" {",
    "expect stage \"",
    "let x = x",
    ",",
    "fields {",
    "}\n",
    "\\",
    "\0",
];

fn edit() -> impl Strategy<Value = (u32, u32, u32, u32, String)> {
    (
        0u32..140,
        0u32..120,
        0u32..3,
        0u32..40,
        prop::collection::vec(prop::sample::select(SOUP), 0..4),
    )
        .prop_map(|(line, col, lines, cols, soup)| (line, col, line + lines, cols, soup.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_get_answers(file in 0usize..7, edits in prop::collection::vec(edit(), 1..12)) {
        let texts = rules_texts();
        let (name, text) = &texts[file % texts.len()];
        let uri = format!("untitled:{name}");
        let mut server = server();
        notify(
            &mut server,
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "lead", "version": 0, "text": text}}),
        );
        for (version, (line, col, end_line, end_col, insert)) in edits.into_iter().enumerate() {
            let out = notify(
                &mut server,
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version + 1},
                       "contentChanges": [{"range": {
                           "start": {"line": line, "character": col},
                           "end": {"line": end_line, "character": end_col}},
                         "text": insert}]}),
            );
            answers_everything(&mut server, &out, &uri, (line, col));
            ask(&mut server, "textDocument/formatting",
                json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}));
            ask(&mut server, "textDocument/codeAction",
                json!({"textDocument": {"uri": uri},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": line, "character": col}},
                       "context": {"diagnostics": []}}));
        }
    }
}

#[test]
fn a_panic_in_a_handler_is_an_answer_not_the_end() {
    let caught = qualify::lsp::guarded(|| -> u8 { panic!("a bug in a handler") });
    assert_eq!(caught, Err("a bug in a handler".to_string()));
    // And the server answers an unknown method with an error, then goes on.
    let mut server = server();
    let out = server.handle(Message::Request(Request::new(
        RequestId::from(7),
        "qualify/unknown".into(),
        Value::Null,
    )));
    let [Message::Response(response)] = out.as_slice() else {
        panic!("one response expected, got {out:?}");
    };
    assert!(response.error.is_some());
    ask(&mut server, "shutdown", Value::Null);
}
