//! Routes end to end: `check` (names, places, did-you-mean), the `route`
//! column of `score` (CSV and JSONL, only with routes), examples, `explain`,
//! `fmt`, the lints, `diff` and `diff --against`, and the SQL target's
//! columns. The engines' agreement on routes is `engines_agree` and
//! `score_props` over `arbitrary`, whose definitions have routes.

use crate::support::{qualify, root, stderr, stdout};
use qualify::diagnostic::Code;
use qualify::load::load_str;

const FIELDS: &str = r#"fields {
  id         text
  employees  number  optional
  state      text    optional
  spam       yes/no  optional
}
let east = ["NY", "MA"]
disqualify "spam" when spam
criterion "big" +50 when employees > 1000
criterion "eastern" +10 when state in east
stage "sales ready" when score >= 50
stage "nurture" otherwise
"#;

fn with_routes(routes: &str) -> String {
    format!("{FIELDS}{routes}")
}

fn codes(text: &str) -> Vec<(Code, String, Option<String>)> {
    load_str("t.lead", text)
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message, d.help))
        .collect()
}

/// A file in a fresh directory, for commands that read files.
fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

const INQUIRIES: &str = "id,employees,state,spam\n\
a,5000,NY,no\n\
b,20,MA,no\n\
c,20,TX,no\n\
d,5000,TX,yes\n";

#[test]
fn an_unknown_stage_in_a_route_is_an_error_with_the_closest_name() {
    let text =
        with_routes("route \"East\" when stage = \"sales redy\"\nroute \"Rest\" otherwise\n");
    let found = codes(&text);
    let unknown = found
        .iter()
        .find(|(c, ..)| *c == Code::UnknownStage)
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(unknown.1, "unknown stage \"sales redy\"");
    assert_eq!(unknown.2.as_deref(), Some("did you mean \"sales ready\"?"));
    // In a list too, and `disqualified` is a stage a route may name.
    let text = with_routes("route \"E\" when stage in [\"disqualified\", \"nurtur\"]\n");
    assert!(codes(&text).iter().any(|(c, m, h)| *c == Code::UnknownStage
        && m.contains("nurtur")
        && h.as_deref() == Some("did you mean \"nurture\"?")));
}

#[test]
fn stage_is_only_for_routes_and_only_compared_with_names() {
    for rule in [
        "criterion \"x\" +1 when stage = \"nurture\"\n",
        "disqualify \"x\" when stage = \"nurture\"\n",
        "stage \"x\" when stage = \"nurture\"\n",
    ] {
        let found = codes(&with_routes(rule));
        assert!(
            found.iter().any(|(c, ..)| *c == Code::StageOutsideRoute),
            "{rule}: {found:?}"
        );
    }
    for cond in ["stage", "stage = state", "stage > \"a\"", "stage in [1, 2]"] {
        let found = codes(&with_routes(&format!("route \"r\" when {cond}\n")));
        assert!(
            found.iter().any(|(c, ..)| *c == Code::TypeMismatch),
            "{cond}: {found:?}"
        );
    }
    let twice = with_routes("route \"r\" when spam\nroute \"r\" otherwise\n");
    assert!(codes(&twice).iter().any(|(c, ..)| *c == Code::Duplicate));
}

#[test]
fn a_field_may_still_be_called_route() {
    let text =
        "fields {\n  route text\n}\ncriterion \"c\" +1 when route = \"x\"\nstage \"s\" otherwise\n";
    let loaded = load_str("t.lead", text);
    assert!(loaded.model.is_some(), "{:?}", loaded.diagnostics);
}

#[test]
fn score_writes_the_route_after_matched_only_when_there_are_routes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(&dir, "in.csv", INQUIRIES);
    let plain = write(&dir, "plain.lead", FIELDS);
    let routed = write(
        &dir,
        "routed.lead",
        &with_routes(
            "route \"Data\" when stage = \"disqualified\"\n\
             route \"Enterprise\" when stage = \"sales ready\" and employees > 1000\n\
             route \"East\" when state in east\n",
        ),
    );
    let out = qualify(&["score", &plain, &input, "--as-of", "2026-12-01"]);
    assert_eq!(
        stdout(&out).lines().next(),
        Some("id,score,stage,disqualified,matched")
    );
    let out = qualify(&["score", &routed, &input, "--as-of", "2026-12-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched,route\n\
         a,60,sales ready,,big; eastern,Enterprise\n\
         b,10,nurture,,eastern,East\n\
         c,0,nurture,,,\n\
         d,50,disqualified,spam,big,Data\n"
    );
    let out = qualify(&[
        "score",
        &routed,
        &input,
        "--as-of",
        "2026-12-01",
        "--format",
        "jsonl",
    ]);
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows[0]["route"], "Enterprise");
    assert_eq!(rows[2]["route"], serde_json::Value::Null);
}

#[test]
fn examples_expect_a_route_and_say_which_one_they_got() {
    let text = with_routes(
        "route \"East\" when state in east\n\
         route \"Inside\" otherwise\n\
         example \"east\" { state: \"NY\"\n expect route \"East\" }\n\
         example \"wrong\" { state: \"TX\"\n expect route \"East\" }\n\
         example \"unknown\" { expect route \"Eats\" }\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(&dir, "ex.lead", &text);
    let out = qualify(&["test", &file, "--as-of", "2026-12-01"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success());
    assert!(all.contains("did you mean \"East\"?"), "{all}");
    let fixed = text.replace("expect route \"Eats\"", "expect route \"Inside\"");
    let file = write(&dir, "ex2.lead", &fixed);
    let out = qualify(&["test", &file, "--as-of", "2026-12-01"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("route \"Inside\""), "{all}");
    assert!(all.contains("1 failed"), "{all}");
}

#[test]
fn explain_shows_the_route_and_why_earlier_ones_did_not_hold() {
    let out = qualify(&[
        "explain",
        "rules/x-education-2026.lead",
        "tests/data/x-education-sample.csv",
        "--row",
        "2",
        "--as-of",
        "2026-12-01",
    ]);
    let text = stdout(&out);
    let route = text
        .split("\nroute ")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(route.starts_with("\"Centre counsellors\""), "{route}");
    assert!(
        route.contains("Senior counsellors       no")
            && route.contains(
                "(stage is \"marketing qualified\"; \"working professional\" not matched)"
            ),
        "{route}"
    );
    // A definition without routes explains as it did: no route section.
    let out = qualify(&[
        "explain",
        "rules/x-education.lead",
        "tests/data/x-education-sample.csv",
        "--row",
        "2",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(json.get("route").is_none() && json.get("routes").is_none());
}

#[test]
fn fmt_aligns_routes_as_a_block_and_keeps_comments() {
    let text = with_routes(
        "# who calls\nroute  \"Enterprise team\"   when employees>1000 # big ones\nroute \"East\" when stage in [\"sales ready\"]   and state in east\nroute \"Inside sales\" otherwise\n",
    );
    let formatted = qualify::fmt::format_text("t.lead", &text).expect("formats");
    assert!(
        formatted.contains(
            "# who calls\nroute \"Enterprise team\" when employees > 1000  # big ones\nroute \"East\"            when stage in [\"sales ready\"] and state in east\nroute \"Inside sales\"    otherwise\n"
        ),
        "{formatted}"
    );
    assert_eq!(
        qualify::fmt::format_text("t.lead", &formatted).expect("again"),
        formatted
    );
}

#[test]
fn lints_find_unreachable_routes_and_a_missing_otherwise() {
    let warn = |routes: &str, code: Code| -> Vec<String> {
        load_str("t.lead", &with_routes(routes))
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| d.message)
            .collect()
    };
    let covered = "route \"East\" when state in east\nroute \"NY\" when state = \"NY\"\nroute \"R\" otherwise\n";
    assert_eq!(
        warn(covered, Code::UnreachableRoute),
        ["route \"NY\" can never be reached"]
    );
    let after = "route \"R\" otherwise\nroute \"Late\" when spam\n";
    assert_eq!(
        warn(after, Code::UnreachableRoute),
        ["route \"Late\" can never be reached"]
    );
    assert!(warn(after, Code::NoRoute).is_empty());
    assert_eq!(
        warn("route \"East\" when state in east\n", Code::NoRoute).len(),
        1
    );
    assert!(warn(
        "route \"East\" when state in east # allow: no-route\n",
        Code::NoRoute
    )
    .is_empty());
    // A field read only by a route is used; `stage = "a"` and `!= "a"` do not cover each other.
    let fine = "route \"a\" when stage = \"nurture\" and spam\nroute \"b\" when stage != \"nurture\"\nroute \"c\" otherwise\n";
    assert!(warn(fine, Code::UnreachableRoute).is_empty());
    assert!(warn(fine, Code::Unused).is_empty());
}

#[test]
fn diff_lists_routes_and_the_impact_has_a_route_migration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(&dir, "in.csv", INQUIRIES);
    let old = write(
        &dir,
        "old.lead",
        &with_routes("route \"East\" when state in east\nroute \"Inside\" otherwise\n"),
    );
    let new = write(
        &dir,
        "new.lead",
        &with_routes(
            "route \"Enterprise\" when employees > 1000\nroute \"East\" when state in [\"NY\"]\nroute \"Inside\" otherwise\n",
        ),
    );
    let out = qualify(&["diff", &old, &new]);
    let text = stdout(&out);
    assert!(text.contains("routes\n"), "{text}");
    assert!(
        text.contains("+ route \"Enterprise\" when employees > 1000"),
        "{text}"
    );
    assert!(text.contains("~ route \"East\""), "{text}");
    let out = qualify(&[
        "diff",
        &old,
        &new,
        "--against",
        &input,
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let routes = &json["impact"]["routes"];
    assert_eq!(
        routes["old_routes"],
        serde_json::json!(["East", "Inside", "(no route)"])
    );
    assert_eq!(
        routes["new_routes"],
        serde_json::json!(["Enterprise", "East", "Inside", "(no route)"])
    );
    // a: East → Enterprise; b (MA): East → Inside; c, d: Inside → Enterprise (d) / Inside (c).
    assert_eq!(
        routes["matrix"],
        serde_json::json!([[1, 0, 1, 0], [1, 0, 1, 0], [0, 0, 0, 0]])
    );
    assert_eq!(routes["moved"], 3);
    let out = qualify(&[
        "diff",
        &old,
        &new,
        "--against",
        &input,
        "--as-of",
        "2026-12-01",
    ]);
    assert!(
        stdout(&out).contains("3 of 4 inquiries (75%) change route"),
        "{}",
        stdout(&out)
    );
    // Without routes on either side, no route migration at all.
    let plain = write(&dir, "plain.lead", FIELDS);
    let out = qualify(&[
        "diff",
        &plain,
        &plain,
        "--against",
        &input,
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(json["impact"].get("routes").is_none(), "{json}");
}

#[test]
fn the_sql_target_names_the_route_column_as_score_does() {
    let out = qualify(&[
        "compile",
        "rules/x-education-2026.lead",
        "--to",
        "sql",
        "--dialect",
        "duckdb",
        "--table",
        "leads",
        "--as-of",
        "2026-12-01",
    ]);
    let sql = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sql.contains("q_stg AS ("), "{sql}");
    assert!(sql.contains("AS \"route\""), "{sql}");
    let plain = qualify(&[
        "compile",
        "rules/x-education.lead",
        "--to",
        "sql",
        "--dialect",
        "duckdb",
        "--table",
        "leads",
    ]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert!(!stdout(&plain).contains("route"));
    assert!(root().join("rules/x-education-2026.lead").is_file());
}
