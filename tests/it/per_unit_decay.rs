//! Decay on points per unit: `+2 per pages, at most 20, halving every 14 days
//! since last_visit`. The capped points fade; matching is decided before.

use crate::support::{qualify, stderr, stdout};

const DEFINITION: &str = "fields {\n  id text\n  pages number optional\n  last_visit date optional\n}\ncriterion \"reading up\" +2 per pages, at most 20, halving every 14 days since last_visit\nstage \"read\" when score >= 10\nstage \"rest\" otherwise\n";

fn run(args: &[&str], rows: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("d.lead");
    std::fs::write(&def, DEFINITION).expect("write");
    let input = dir.path().join("in.csv");
    std::fs::write(&input, rows).expect("write");
    let def = def.to_string_lossy().to_string();
    let input = input.to_string_lossy().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.iter_mut().for_each(|a| {
        if *a == "DEF" {
            *a = &def;
        } else if *a == "IN" {
            *a = &input;
        }
    });
    let out = qualify(&all);
    (stdout(&out), stderr(&out))
}

#[test]
fn capped_points_fade_and_a_missing_date_leaves_it_unmatched() {
    let rows = "id,pages,last_visit\na,30,2026-11-09\nb,3,2026-11-23\nc,5,\nd,0,\n";
    let (out, err) = run(
        &["score", "DEF", "IN", "--as-of", "2026-11-23", "--explain"],
        rows,
    );
    let lines: Vec<&str> = out.lines().collect();
    // a: 2 × 30 = 60, capped at 20, fourteen days later half: 10.
    assert_eq!(lines[1], "a,10,read,,reading up,reading up +10", "{err}");
    // b: 6 today, not faded.
    assert_eq!(lines[2], "b,6,rest,,reading up,reading up +6");
    // c: 10 to fade, and no date: unknown, so it does not match.
    assert_eq!(lines[3], "c,0,rest,,,");
    // d: nothing earned, so no date is needed.
    assert_eq!(lines[4], "d,0,rest,,,");
}

#[test]
fn explain_says_capped_then_faded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("d.lead");
    std::fs::write(&def, DEFINITION).expect("write");
    let def = def.to_string_lossy();
    let explain = |inquiry: &str| {
        let out = qualify(&[
            "explain",
            &def,
            "--inquiry",
            inquiry,
            "--as-of",
            "2026-11-23",
        ]);
        stdout(&out)
    };
    let text = explain(r#"{"id": "a", "pages": "30", "last_visit": "2026-11-09"}"#);
    assert!(
        text.contains("2 × 30 = 60, capped at +20, faded to +10"),
        "{text}"
    );
    assert!(
        text.contains("halving every 14 days since last_visit"),
        "{text}"
    );
    let text = explain(r#"{"id": "c", "pages": "5"}"#);
    assert!(
        text.contains("2 × 5 = 10, no date to fade the points from"),
        "{text}"
    );
}

#[test]
fn fmt_puts_the_decay_last_and_diff_sees_it() {
    let written = "fields {\n  pages number optional\n  last date optional\n  web yes/no\n}\ncriterion \"r\" +2 per pages, at most 20, halving every 14 days since last when web\nstage \"s\" otherwise\n";
    let formatted = qualify::fmt::format_text("d.lead", written).expect("formats");
    assert!(
        formatted.contains(
            "criterion \"r\" +2 per pages, at most 20 when web, halving every 14 days since last\n"
        ),
        "{formatted}"
    );
    let a = qualify::load::load_str("a", written);
    let b = qualify::load::load_str("b", &written.replace("every 14", "every 30"));
    let d = qualify::diff::diff(a.ast.as_ref().unwrap(), b.ast.as_ref().unwrap(), "a", "b");
    let text = qualify::diff::render::text(&d, qualify::diff::render::Paint(false));
    assert!(
        text.contains("decay: halving every 14 days since last → halving every 30 days since last"),
        "{text}"
    );
}
