//! `qualify lsp` on a definition with events: the events block and its
//! fields are symbols. An aggregate's `NAME` goes to the block, references
//! and rename reach every aggregate, `where` and example event, a `let`
//! inside a `where` stays a `let`, `lead` and `at` keep their names, and
//! hover says what the block and a field are.

use super::lsp_client::Client;
use serde_json::{json, Value};

const DEFINITION: &str = r#"definition "Events in the editor"

fields {
  id          text
  handed_off  date  optional
}

events activity {
  lead  from "Lead ID"
  type  one of "call", "email", "reply"  from "Activity Type"
  at    date
  page  text  optional
}

let pricing = "pricing"

criterion "called" +5 when count of activity where type = "call" since handed_off >= 2
criterion "read pricing" +10 when count of activity where page contains pricing in the last 14 days >= 1
criterion "replied" +20 when last activity where type = "reply" is present
criterion "pricing interest" +5 per activity where page contains pricing, at most 25, each halving every 30 days
criterion "any touch" +1 per activity, each halving every 7 days

stage "hot" when score >= 15
stage "cold" otherwise

example "two calls" {
  as of 2026-11-20
  handed_off: 2026-11-02
  events { call 2026-11-03, call 2026-11-10 page "/pricing" }
  expect matched "called", "read pricing"
}
"#;

const EXAMPLES: &str = r#"example "a reply" {
  as of 2026-11-20
  events { reply 2026-11-18 page "/home" }
  expect stage "hot"
}
"#;

struct Session {
    client: Client,
    _dir: tempfile::TempDir,
    def: String,
    examples: String,
}

fn start() -> Session {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("e.examples.lead"), EXAMPLES).expect("written");
    let root = format!("file://{}", dir.path().display());
    let mut client = Client::spawn();
    client.result(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let def = format!("{root}/e.lead");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": def, "languageId": "lead", "version": 1, "text": DEFINITION}}),
    );
    assert_eq!(
        client.diagnostics_for(&def),
        Vec::<Value>::new(),
        "checks clean"
    );
    Session {
        examples: format!("{root}/e.examples.lead"),
        def,
        client,
        _dir: dir,
    }
}

/// The position of the `nth` (from 0) `needle` on the line holding `line_has`.
fn at(uri: &str, line_has: &str, needle: &str, nth: usize) -> Value {
    let (n, line) = DEFINITION
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_has))
        .expect("the line is there");
    let col = line
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("the needle is on the line");
    json!({"textDocument": {"uri": uri}, "position": {"line": n, "character": col + 1}})
}

/// The text each location covers in DEFINITION (all locations there).
fn covered(locations: &Value, uri: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = DEFINITION.lines().collect();
    let mut out: Vec<(usize, String)> = locations
        .as_array()
        .expect("locations")
        .iter()
        .filter(|l| l["uri"] == uri)
        .map(|l| {
            let r = &l["range"];
            let line = r["start"]["line"].as_u64().unwrap_or(0) as usize;
            let (from, to) = (
                r["start"]["character"].as_u64().unwrap_or(0) as usize,
                r["end"]["character"].as_u64().unwrap_or(0) as usize,
            );
            (line, lines[line][from..to].to_string())
        })
        .collect();
    out.sort();
    out
}

fn line_of(has: &str) -> usize {
    DEFINITION
        .lines()
        .position(|l| l.contains(has))
        .expect("the line is there")
}

#[test]
fn an_aggregate_name_goes_to_the_events_block_and_finds_every_use() {
    let mut s = start();
    let def = s.def.clone();
    // From `count of activity` to `events activity`.
    let found = s.client.result(
        "textDocument/definition",
        at(&def, "criterion \"called\"", "activity", 0),
    );
    assert_eq!(
        covered(&found, &def),
        [(line_of("events activity"), "activity".to_string())]
    );
    // Every aggregate of the block, and the declaration.
    let mut refs = at(&def, "events activity", "activity", 0);
    refs["context"] = json!({"includeDeclaration": true});
    let found = s.client.result("textDocument/references", refs);
    let lines: Vec<usize> = covered(&found, &def).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        lines,
        [
            line_of("events activity"),
            line_of("criterion \"called\""),
            line_of("criterion \"read pricing\""),
            line_of("criterion \"replied\""),
            line_of("criterion \"pricing interest\""),
            line_of("criterion \"any touch\""),
        ]
    );
    // An event field inside a `where`: its declaration and both `where`s,
    // never the lead's fields.
    let mut refs = at(&def, "criterion \"replied\"", "type", 0);
    refs["context"] = json!({"includeDeclaration": true});
    let found = s.client.result("textDocument/references", refs);
    assert_eq!(
        covered(&found, &def),
        [
            (line_of("type  one of"), "type".to_string()),
            (line_of("criterion \"called\""), "type".to_string()),
            (line_of("criterion \"replied\""), "type".to_string()),
        ]
    );
    // A `let` used inside a `where` is the `let`.
    let found = s.client.result(
        "textDocument/definition",
        at(&def, "criterion \"read pricing\"", "pricing", 1),
    );
    assert_eq!(
        covered(&found, &def),
        [(line_of("let pricing"), "pricing".to_string())]
    );
    assert_eq!(s.client.shut_down(), Some(0));
}

/// Apply one file's edits (each on one line) to `text`.
fn apply(text: &str, edits: &Value) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut edits: Vec<&Value> = edits.as_array().expect("edits").iter().collect();
    let key = |e: &Value| {
        let p = &e["range"]["start"];
        (
            p["line"].as_u64().unwrap_or(0),
            p["character"].as_u64().unwrap_or(0),
        )
    };
    edits.sort_by_key(|e| std::cmp::Reverse(key(e)));
    for e in edits {
        let r = &e["range"];
        assert_eq!(r["start"]["line"], r["end"]["line"], "one line");
        let line = &mut lines[r["start"]["line"].as_u64().unwrap_or(0) as usize];
        let (from, to) = (
            r["start"]["character"].as_u64().unwrap_or(0) as usize,
            r["end"]["character"].as_u64().unwrap_or(0) as usize,
        );
        line.replace_range(from..to, e["newText"].as_str().unwrap_or(""));
    }
    lines.join("\n") + "\n"
}

#[test]
fn renaming_the_events_or_an_event_field_keeps_the_definition_checking() {
    let mut s = start();
    let (def, examples) = (s.def.clone(), s.examples.clone());
    let rename = |s: &mut Session, at: Value, to: &str| {
        let mut at = at;
        at["newName"] = json!(to);
        s.client.request("textDocument/rename", at)
    };
    // The block, from one of its aggregates.
    let edit = rename(
        &mut s,
        at(&def, "criterion \"replied\"", "activity", 0),
        "touches",
    );
    let renamed = apply(DEFINITION, &edit["result"]["changes"][&def]);
    // The block, three aggregates and two points per event (one a bare `per activity`).
    assert_eq!(renamed.matches("touches").count(), 6, "{renamed}");
    assert!(!renamed.contains("activity"), "{renamed}");
    let loaded = qualify::load::load_str("e.lead", &renamed);
    assert_eq!(loaded.error_count(), 0, "{renamed}");
    // An event field, from a `where`: the block, the `where`s and the
    // example events of both files.
    let edit = rename(
        &mut s,
        at(&def, "criterion \"read pricing\"", "page", 0),
        "url",
    );
    let changes = &edit["result"]["changes"];
    let renamed = apply(DEFINITION, &changes[&def]);
    assert!(renamed.contains("  url  text  optional"), "{renamed}");
    assert!(
        renamed.contains("where url contains pricing in"),
        "{renamed}"
    );
    assert!(
        renamed.contains("where url contains pricing, at most 25"),
        "{renamed}"
    );
    assert!(renamed.contains("2026-11-10 url \"/pricing\""), "{renamed}");
    let loaded = qualify::load::load_str("e.lead", &renamed);
    assert_eq!(loaded.error_count(), 0, "{renamed}");
    assert!(loaded.model.is_some());
    assert_eq!(
        apply(EXAMPLES, &changes[&examples]),
        EXAMPLES.replace("page \"/home\"", "url \"/home\"")
    );
    // `lead` and `at` are the names a block needs; a taken name is refused.
    for (line, needle, to, says) in [
        ("lead  from", "lead", "who", "needs its `lead`"),
        ("at    date", "at", "when", "needs its `at`"),
        ("criterion \"called\"", "type", "page", "already"),
    ] {
        let refused = rename(&mut s, at(&def, line, needle, 0), to);
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains(says),
            "{refused}"
        );
    }
    assert_eq!(s.client.shut_down(), Some(0));
}

#[test]
fn hover_says_what_the_events_block_and_an_event_field_are() {
    let mut s = start();
    let def = s.def.clone();
    let mut hover = |at: Value| {
        s.client.result("textDocument/hover", at)["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let block = hover(at(&def, "criterion \"called\"", "activity", 0));
    assert!(block.starts_with("**events** `activity`"), "{block}");
    assert!(block.contains("with 4 fields"), "{block}");
    // Three aggregates and two decayed counts of points per event.
    assert!(block.contains("read by 5 aggregates"), "{block}");
    let field = hover(at(&def, "criterion \"called\"", "type", 0));
    assert!(
        field.starts_with("**event field** of `activity`, `type`: one of"),
        "{field}"
    );
    assert!(field.contains("required"), "{field}");
    assert!(field.contains("the column \"Activity Type\""), "{field}");
    let lead = hover(at(&def, "lead  from", "lead", 0));
    assert!(lead.contains("the lead the event belongs to"), "{lead}");
    assert!(lead.contains("the column \"Lead ID\""), "{lead}");
    let page = hover(at(&def, "page  text", "page", 0));
    assert!(page.contains("optional"), "{page}");
    // A lead field keeps its own hover.
    let lead_field = hover(at(&def, "criterion \"called\"", "handed_off", 0));
    assert!(
        lead_field.starts_with("**field** `handed_off`"),
        "{lead_field}"
    );
    assert_eq!(s.client.shut_down(), Some(0));
}
