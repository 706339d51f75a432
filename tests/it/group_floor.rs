//! `group NAME, at least N, at most M`: a floor under a sub-score, said by
//! every tool that shows a group.

use crate::support::{qualify, stderr, stdout};
use qualify::load::load_str;

const DEFINITION: &str = "fields {\n  id text\n  pages number optional\n  quiet yes/no optional\n  unsubscribed yes/no optional\n}\nlet floor = -20\ngroup engagement, at least floor, at most 60 {\n  criterion \"reading up\" +2 per pages, at most 20\n  criterion \"gone quiet\" -15 when quiet\n  criterion \"unsubscribed\" -25 when unsubscribed\n}\nstage \"engaged\" when engagement >= 10\nstage \"rest\" otherwise\n";

fn scored(rows: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("d.lead");
    let input = dir.path().join("in.csv");
    std::fs::write(&def, DEFINITION).expect("write");
    std::fs::write(&input, rows).expect("write");
    let (def, input) = (def.to_string_lossy(), input.to_string_lossy());
    let mut args = vec!["score", &def, &input, "--as-of", "2026-11-23"];
    args.extend_from_slice(extra);
    let out = qualify(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn the_floor_lifts_a_sum_below_it_and_the_why_says_so() {
    let out = scored(
        "id,pages,quiet,unsubscribed\na,3,yes,yes\nb,30,no,no\nc,1,yes,no\n",
        &["--explain"],
    );
    let lines: Vec<&str> = out.lines().collect();
    // a: 6 - 15 - 25 = -34, floored at -20. b: 20 (the criterion's cap),
    // under the group's 60. c: 2 - 15 = -13, above the floor.
    assert_eq!(lines[1], "a,-20,-20,rest,,reading up; gone quiet; unsubscribed,reading up +6; gone quiet -15; unsubscribed -25; engagement floored at -20");
    assert_eq!(lines[2], "b,20,20,engaged,,reading up,reading up +20");
    assert_eq!(
        lines[3],
        "c,-13,-13,rest,,reading up; gone quiet,reading up +2; gone quiet -15"
    );
}

#[test]
fn explain_names_the_floor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("d.lead");
    std::fs::write(&def, DEFINITION).expect("write");
    let inquiry = r#"{"id": "a", "pages": "3", "quiet": "yes", "unsubscribed": "yes"}"#;
    let out = qualify(&[
        "explain",
        &def.to_string_lossy(),
        "--inquiry",
        inquiry,
        "--as-of",
        "2026-11-23",
    ]);
    let text = stdout(&out);
    assert!(text.contains("(-34 before its floor of -20)"), "{text}");
    let out = qualify(&[
        "explain",
        &def.to_string_lossy(),
        "--inquiry",
        inquiry,
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["groups"][0]["floor"], -20.0, "{json}");
    assert_eq!(json["groups"][0]["sum"], -34.0, "{json}");
}

#[test]
fn check_fmt_diff_and_doc_know_the_floor() {
    let above = load_str(
        "d.lead",
        &DEFINITION.replace("let floor = -20", "let floor = 70"),
    );
    let errors: Vec<&str> = above
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        errors,
        ["group `engagement` can be at least 70 or at most 60, not both"]
    );

    // Written cap first, formatted floor first.
    let swapped = DEFINITION.replace("at least floor, at most 60", "at most 60 , at least floor");
    let formatted = qualify::fmt::format_text("d.lead", &swapped).expect("formats");
    assert!(
        formatted.contains("group engagement, at least floor, at most 60 {\n"),
        "{formatted}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old.lead");
    let new = dir.path().join("new.lead");
    std::fs::write(&old, DEFINITION).expect("write");
    std::fs::write(
        &new,
        DEFINITION.replace("let floor = -20", "let floor = -10"),
    )
    .expect("write");
    let out = qualify(&["diff", &old.to_string_lossy(), &new.to_string_lossy()]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "  ~ group engagement\n      floor: at least floor (-20) → at least floor (-10)\n"
        ),
        "{text}"
    );

    let out = qualify(&["doc", &old.to_string_lossy()]);
    assert!(
        stdout(&out)
            .contains("The engagement sub-score counts at least -20 and at most 60 points."),
        "{}",
        stdout(&out)
    );
}
