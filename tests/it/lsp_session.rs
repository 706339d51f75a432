//! `qualify lsp` driven as an editor drives it: spawn, initialize, open a
//! definition and its examples file, edit, and ask for hover, completion,
//! definition, references, rename, formatting, code actions and semantic
//! tokens. The JSON answers are snapshots (paths of the temporary folder
//! replaced by `file:///TMP`).

use super::lsp_client::Client;
use serde_json::{json, Value};

const DEFINITION: &str = r#"definition "LSP test"

fields {
  id              text
  source          one of "web", "event"
  budget          number    optional    from "Annual Budget"
  demo_requested  yes/no
}

let big_budget = budgt >= 10000

criterion "has budget"       +20 when big_budget
criterion "asked for a demo" +30 when demo_requested
criterion "café visit"        +5 when source = "event"
criterion "hot"                  when at least 2 of ("has budget", "asked for a demo")
criterion "impossible"        +1 when budget < 0 and budget > 100

stage "sales ready" when matched "hot" or score >= 25
stage "nurture"     otherwise

example "a demo with money is sales ready" {
  budget: 20000, demo_requested: yes
  expect stage "sales ready"
}
"#;

const EXAMPLES: &str = r#"example "a web demo without budget" {
  source: "web", demo_requested: yes
  expect stage "nurture"
  expect matched "asked for a demo"
}
"#;

const SAMPLE: &str = "id,source,Annual Budget,demo_requested\n\
                      1,web,20000,yes\n\
                      2,event,,no\n\
                      3,web,50000,yes\n\
                      4,event,500,yes\n";

struct Session {
    client: Client,
    dir: tempfile::TempDir,
    def: String,
    examples: String,
}

impl Session {
    fn start() -> Session {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("d.examples.lead"), EXAMPLES).expect("written");
        std::fs::write(dir.path().join("sample.csv"), SAMPLE).expect("written");
        let root = format!("file://{}", dir.path().display());
        let mut client = Client::spawn();
        let init = client.result(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": {},
                "initializationOptions": {"sample": "sample.csv"}
            }),
        );
        assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
        client.notify("initialized", json!({}));
        Session {
            def: format!("{root}/d.lead"),
            examples: format!("{root}/d.examples.lead"),
            client,
            dir,
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        let uri = uri.to_string();
        self.client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "lead", "version": 1, "text": text}}),
        );
    }

    /// `text`'s JSON with the temporary folder's URL made `file:///TMP`.
    fn shown(&self, value: &Value) -> String {
        let root = format!("file://{}", self.dir.path().display());
        serde_json::to_string_pretty(value)
            .unwrap_or_default()
            .replace(&root, "file:///TMP")
    }

    fn at(&self, uri: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
    }
}

/// The UTF-16 position of the first `needle` on the line holding `line_has`.
fn find(text: &str, line_has: &str, needle: &str) -> (u32, u32) {
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_has))
        .expect("the line is there");
    let col = line.find(needle).expect("the needle is on the line");
    (n as u32, line[..col].encode_utf16().count() as u32)
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_session_answers_like_check_and_edits_by_name() {
    let mut s = Session::start();
    let (def, examples) = (s.def.clone(), s.examples.clone());
    s.open(&def, DEFINITION);
    let diagnostics = s.client.diagnostics_for(&def);
    insta::assert_snapshot!("lsp_typo_diagnostics", s.shown(&json!(diagnostics)));

    // While the definition has errors, hover shows the declaration as written.
    let (line, col) = find(DEFINITION, "let big_budget", "big_budget");
    let hover = s.client.result("textDocument/hover", s.at(&def, line, col));
    assert_eq!(
        hover["contents"]["value"],
        "**let** `big_budget`\n\n```lead\nlet big_budget = budgt >= 10000\n```\n\n\
         (the definition has errors; fix them to see more)"
    );

    // The did-you-mean fix, asked for at the typo.
    let (line, col) = find(DEFINITION, "let big_budget", "budgt");
    let actions = s.client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": def},
            "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}},
            "context": {"diagnostics": []}
        }),
    );
    insta::assert_snapshot!("lsp_did_you_mean_action", s.shown(&actions));

    // Fix the typo with a ranged edit, as an editor sends it.
    s.client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": def, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 5}},
                "text": "budget"
            }]
        }),
    );
    let fixed = DEFINITION.replace("budgt", "budget");
    let diagnostics = s.client.diagnostics_for(&def);
    assert!(
        codes(&diagnostics).contains(&"qualify::never-holds".to_string()),
        "{diagnostics:?}"
    );

    // The examples file is checked with its definition; the failing example
    // shows on the example.
    s.open(&examples, EXAMPLES);
    let failing = s.client.diagnostics_for(&examples);
    insta::assert_snapshot!("lsp_failing_example", s.shown(&json!(failing)));

    // Allowing the lint: apply the action's edit and the warning is gone.
    let (line, _) = find(&fixed, "\"impossible\"", "criterion");
    let actions = s.client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": def},
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 200}},
            "context": {"diagnostics": []}
        }),
    );
    insta::assert_snapshot!("lsp_allow_action", s.shown(&actions));
    let allow = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|a| a["title"].as_str().unwrap_or("").contains("never-holds"))
        })
        .cloned()
        .unwrap_or_default();
    let edit = &allow["edit"]["changes"][def.as_str()][0];
    s.client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": def, "version": 3},
               "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let after = codes(&s.client.diagnostics_for(&def));
    assert!(
        !after.contains(&"qualify::never-holds".to_string()),
        "{after:?}"
    );
    assert_eq!(after.len(), codes(&diagnostics).len() - 1, "{after:?}");

    // Hover: a field, a criterion with the sample's counts, a stage, a let;
    // `source` comes after a non-ASCII name on its line (UTF-16 columns).
    for (name, line_has, needle) in [
        ("lsp_hover_field", "criterion \"café visit\"", "source"),
        (
            "lsp_hover_criterion",
            "criterion \"has budget\"",
            "has budget",
        ),
        ("lsp_hover_stage", "stage \"sales ready\"", "sales ready"),
        ("lsp_hover_let", "criterion \"has budget\"", "big_budget"),
    ] {
        let (line, col) = find(&fixed, line_has, needle);
        let hover = s
            .client
            .result("textDocument/hover", s.at(&def, line, col + 1));
        insta::assert_snapshot!(name, s.shown(&hover));
    }

    // Completion inside `matched "`, typed at the end of a new line.
    let end_line = fixed.lines().count() as u32 + 1;
    s.client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": def, "version": 4},
            "contentChanges": [{
                "range": {"start": {"line": end_line, "character": 0}, "end": {"line": end_line, "character": 0}},
                "text": "stage \"late\" when matched \"as"
            }]
        }),
    );
    s.client.drain();
    let completion = s
        .client
        .result("textDocument/completion", s.at(&def, end_line - 1, 29));
    let labels: Vec<(&str, &str)> = completion
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    (
                        i["label"].as_str().unwrap_or(""),
                        i["textEdit"]["newText"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    insta::assert_snapshot!("lsp_completion_matched", format!("{labels:#?}"));
    s.client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": def, "version": 5}, "contentChanges": [{"text": fixed}]}),
    );
    s.client.drain();

    // Definition of the criterion named in `matched "hot"`; its references,
    // in the examples file too.
    let (line, col) = find(&fixed, "stage \"sales ready\"", "\"hot\"");
    let definition = s
        .client
        .result("textDocument/definition", s.at(&def, line, col + 2));
    insta::assert_snapshot!("lsp_definition", s.shown(&definition));
    let (line, col) = find(&fixed, "criterion \"asked", "asked");
    let mut at = s.at(&def, line, col);
    at["context"] = json!({"includeDeclaration": true});
    let references = s.client.result("textDocument/references", at);
    insta::assert_snapshot!("lsp_references", s.shown(&references));

    // From the examples file back to the definition.
    let (e_line, e_col) = find(EXAMPLES, "expect matched", "asked");
    let back = s
        .client
        .result("textDocument/definition", s.at(&examples, e_line, e_col));
    assert_eq!(
        back,
        definition_of(&def, &fixed, "criterion \"asked", "\"asked for a demo\"")
    );

    // Rename the criterion: every reference, in both files.
    let mut at = s.at(&def, line, col);
    at["newName"] = json!("wants a demo");
    let rename = s.client.result("textDocument/rename", at);
    let files = rename["changes"].as_object().map(|o| o.len());
    assert_eq!(files, Some(2), "{rename}");
    insta::assert_snapshot!("lsp_rename", sorted_edits(&s, &rename));
    let mut at = s.at(&def, line, col);
    at["newName"] = json!("hot");
    let taken = s.client.request("textDocument/rename", at);
    assert!(
        taken["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("already"),
        "{taken}"
    );

    // Formatting: the whole text as `qualify fmt` writes it.
    let formatting = s.client.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": def}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = qualify::fmt::format_text("d.lead", &fixed).expect("formats");
    assert_eq!(formatting[0]["newText"], json!(formatted));

    // Semantic tokens, decoded: the criterion line with the non-ASCII name.
    let tokens = s.client.result(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": def}}),
    );
    let (line, _) = find(&fixed, "criterion \"café visit\"", "criterion");
    insta::assert_snapshot!("lsp_semantic_tokens_line", decoded_line(&tokens, line));

    assert_eq!(s.client.shut_down(), Some(0));
}

/// The location `[{uri, range}]` of `needle` on the line holding `line_has`.
fn definition_of(uri: &str, text: &str, line_has: &str, needle: &str) -> Value {
    let (line, col) = find(text, line_has, needle);
    let end = col + needle.encode_utf16().count() as u32;
    json!([{"uri": uri, "range": {"start": {"line": line, "character": col},
                                  "end": {"line": line, "character": end}}}])
}

/// The rename's edits, file by file in a fixed order.
fn sorted_edits(s: &Session, rename: &Value) -> String {
    let mut files: Vec<(String, Value)> = rename["changes"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    s.shown(&json!(files))
}

/// The tokens on `line` as (column, length, type index, modifiers).
fn decoded_line(tokens: &Value, line: u32) -> String {
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    let (mut l, mut c) = (0u64, 0u64);
    let mut out = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            l += t[0];
            c = t[1];
        } else {
            c += t[1];
        }
        if l == u64::from(line) {
            out.push(format!("col {c} len {} type {} mods {}", t[2], t[3], t[4]));
        }
    }
    out.join("\n")
}

#[test]
fn a_utf8_client_gets_byte_columns() {
    let mut client = Client::spawn();
    let init = client.result(
        "initialize",
        json!({"processId": null, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.notify("initialized", json!({}));
    let uri = "untitled:u.lead";
    let text = "fields { é_x text }\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "lead", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics_for(uri);
    let start = &diagnostics[0]["range"]["start"];
    // The syntax error is at `é`: byte column 9.
    assert_eq!(
        (start["line"].as_u64(), start["character"].as_u64()),
        (Some(0), Some(9)),
        "{diagnostics:?}"
    );
    assert_eq!(client.shut_down(), Some(0));
}

/// Apply the edits of one file of a workspace edit to `text` (last first, so
/// earlier ranges stay put), counting columns in UTF-16.
fn apply(text: &str, edits: &Value) -> String {
    let mut edits: Vec<Value> = edits.as_array().cloned().unwrap_or_default();
    let at = |p: &Value| {
        (
            p["line"].as_u64().unwrap_or(0),
            p["character"].as_u64().unwrap_or(0),
        )
    };
    edits.sort_by_key(|e| std::cmp::Reverse(at(&e["range"]["start"])));
    let mut text = text.to_string();
    for e in edits {
        let offset = |p: &Value| {
            let (line, col) = at(p);
            let start: usize = text
                .split_inclusive('\n')
                .take(line as usize)
                .map(str::len)
                .sum();
            let rest = &text[start..];
            let mut units = 0;
            rest.char_indices()
                .find(|(_, c)| {
                    let past = units >= col || *c == '\n';
                    units += c.len_utf16() as u64;
                    past
                })
                .map_or(text.len(), |(i, _)| start + i)
        };
        let (from, to) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
        text.replace_range(from..to, e["newText"].as_str().unwrap_or(""));
    }
    text
}

#[test]
fn quick_fixes_repair_a_quoted_typo_and_a_missing_otherwise() {
    let mut s = Session::start();
    let def = s.def.clone();
    let text = "fields {\n  budget number optional\n}\n\
                criterion \"has budget\" +20 when budget >= 1000\n\
                stage \"hot\" when matched \"has budgte\"\n";
    s.open(&def, text);
    let diagnostics = s.client.diagnostics_for(&def);
    assert_eq!(
        codes(&diagnostics),
        ["qualify::missing-otherwise", "qualify::unknown-criterion"],
        "{diagnostics:?}"
    );
    let actions = s.client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": def},
            "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 40}},
            "context": {"diagnostics": []}
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .map(|a| a.iter().filter_map(|a| a["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        titles,
        [
            "Add the stage \"nurture\" otherwise",
            "Change to \"has budget\""
        ]
    );
    let mut fixed = text.to_string();
    for action in actions.as_array().cloned().unwrap_or_default() {
        fixed = apply(&fixed, &action["edit"]["changes"][def.as_str()]);
    }
    assert!(
        fixed.ends_with("matched \"has budget\"\nstage \"nurture\" otherwise\n"),
        "{fixed}"
    );
    s.client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": def, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(codes(&s.client.diagnostics_for(&def)), Vec::<String>::new());

    // Range formatting touches only the lines asked for.
    let messy = fixed.replace(
        "criterion \"has budget\" +20",
        "criterion   \"has budget\"   +20",
    );
    let messy = messy.replace("stage \"hot\" when", "stage   \"hot\"   when");
    s.client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": def, "version": 3}, "contentChanges": [{"text": messy}]}),
    );
    let edits = s.client.result(
        "textDocument/rangeFormatting",
        json!({
            "textDocument": {"uri": def},
            "range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 5}},
            "options": {"tabSize": 2, "insertSpaces": true}
        }),
    );
    let ranged = apply(&messy, &edits);
    assert!(ranged.contains("stage   \"hot\"   when"), "{ranged}");
    assert!(!ranged.contains("criterion   \"has budget\""), "{ranged}");

    // Rename asks first what it renames; closing the file clears its diagnostics.
    let (line, col) = find(&messy, "stage   \"hot\"", "\"has budget\"");
    let prepared = s
        .client
        .result("textDocument/prepareRename", s.at(&def, line, col + 3));
    assert_eq!(prepared["placeholder"], "has budget", "{prepared}");
    s.client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": def}}),
    );
    assert_eq!(s.client.diagnostics_for(&def), Vec::<Value>::new());
    assert_eq!(s.client.shut_down(), Some(0));
}

#[test]
fn the_sample_can_come_from_the_command_line_and_a_bad_one_says_why() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sample = dir.path().join("sample.csv");
    std::fs::write(&sample, SAMPLE).expect("written");
    let text = DEFINITION.replace("budgt", "budget");
    let (line, col) = find(&text, "criterion \"has budget\"", "has budget");
    let hover_text = |args: &[&str], options: Value| {
        let mut client = Client::spawn_with(args);
        client.result(
            "initialize",
            json!({"processId": null, "capabilities": {}, "initializationOptions": options}),
        );
        client.notify("initialized", json!({}));
        let uri = format!("file://{}/d.lead", dir.path().display());
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "lead", "version": 1, "text": text}}),
        );
        let hover = client.result(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
        );
        assert_eq!(client.shut_down(), Some(0));
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let path = sample.display().to_string();
    let from_flag = hover_text(&["--sample", &path], Value::Null);
    assert!(
        from_flag.ends_with("Sample: 2 of 4 inquiries in `sample.csv` (50%)"),
        "{from_flag}"
    );
    // The editor's setting replaces the flag: here, with a file that is not there.
    let missing = dir.path().join("gone.csv").display().to_string();
    let bad = hover_text(&["--sample", &path], json!({"sample": missing}));
    assert!(bad.contains("Sample: no counts: cannot read"), "{bad}");
    let off = hover_text(&["--sample", &path], json!({"sample": ""}));
    assert!(!off.contains("Sample"), "{off}");
}
