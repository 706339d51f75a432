//! `qualify diff`: one snapshot per kind of change, the cases that must show no
//! change, and the command line (formats, `REV:path`, errors).

use crate::support::{qualify, stderr, stdout};
use qualify::diff::render::{self, Paint};
use qualify::diff::{diff, ChangeKind, DefinitionDiff, Kind};
use qualify::load::load_str;

/// A small definition using every kind of declaration.
pub const BASE: &str = r#"
definition "Base"
version "1"

fields {
  id          text
  email       text
  title       text    optional
  size        number  optional
  budget      number  optional  from "Annual Budget"
  demo        yes/no
  demo_date   date    optional
  pages       number
  timeline    one of "now", "later"
  state       text
}

holidays [2026-12-25]

let territory = ["OH", "PA"]
let serious = budget >= 1000 and demo

disqualify "competitor" when email ends with "@rival.com"
disqualify "student"    when title contains "student"

group fit, at most 30 {
  criterion "decision maker" +20 when title matches /owner|chief/
  criterion "right size"     +10 when size between 5 and 200
}

criterion "asked for a demo" +30 when demo, halving every 30 days since demo_date
criterion "reading up"        +2 per pages, at most 10
criterion "close by"          +5 when state in territory
criterion "hot" when matched "asked for a demo" and serious

stage "sales ready" when score >= 60 and matched "hot"
stage "qualified"   when fit >= 20
stage "nurture"     otherwise

example "an owner asking for a demo" {
  title: "Owner", demo: yes, demo_date: 2026-11-01, pages: 3, budget: 5000
  as of 2026-11-02
  expect matched "decision maker", "asked for a demo"
}
"#;

/// BASE with each `(from, to)` replaced; each `from` must occur.
pub fn variant(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "`{from}` is not in the base definition"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

pub fn diff_of(old: &str, new: &str) -> DefinitionDiff {
    let old_loaded = load_str("old.lead", old);
    let new_loaded = load_str("new.lead", new);
    for l in [&old_loaded, &new_loaded] {
        assert_eq!(
            l.error_count(),
            0,
            "{:#?}\n{}",
            l.diagnostics,
            l.source.text
        );
    }
    let (Some(o), Some(n)) = (&old_loaded.ast, &new_loaded.ast) else {
        panic!("both definitions parse");
    };
    diff(o, n, "old.lead", "new.lead")
}

fn text_of(edits: &[(&str, &str)]) -> String {
    render::text(&diff_of(BASE, &variant(edits)), Paint(false))
}

fn assert_no_change(edits: &[(&str, &str)]) {
    let d = diff_of(BASE, &variant(edits));
    assert!(d.is_empty(), "{}", render::text(&d, Paint(false)));
}

#[test]
fn the_same_definition_has_no_change() {
    let d = diff_of(BASE, BASE);
    assert!(d.is_empty());
    assert!(d.sections.is_empty());
    insta::assert_snapshot!(render::text(&d, Paint(false)));
}

#[test]
fn fields_added_removed_and_changed() {
    insta::assert_snapshot!(text_of(&[
        ("  state       text\n", "  region      text  optional\n"),
        ("size        number  optional", "size        number"),
        ("from \"Annual Budget\"", "from \"Budget (USD)\""),
        (
            "one of \"now\", \"later\"",
            "one of \"now\", \"later\", \"never\""
        ),
        (
            "criterion \"close by\"          +5 when state in territory\n",
            ""
        ),
    ]));
}

#[test]
fn lists_and_named_conditions() {
    insta::assert_snapshot!(text_of(&[
        ("[\"OH\", \"PA\"]", "[\"PA\", \"MI\", \"IN\"]"),
        ("budget >= 1000 and demo", "budget >= 2000 and demo"),
    ]));
}

#[test]
fn disqualifiers_added_removed_changed_and_reordered() {
    insta::assert_snapshot!(text_of(&[
        (
            "disqualify \"competitor\" when email ends with \"@rival.com\"\ndisqualify \"student\"    when title contains \"student\"",
            "disqualify \"student\"    when title contains \"pupil\"\ndisqualify \"competitor\" when email ends with \"@rival.com\"\ndisqualify \"spam\" when email contains \"noreply\"",
        ),
    ]));
}

#[test]
fn groups_cap_membership_and_new_groups() {
    insta::assert_snapshot!(text_of(&[
        ("group fit, at most 30 {", "group fit, at most 25 {"),
        (
            "criterion \"reading up\"        +2 per pages, at most 10\n",
            "group interest {\n  criterion \"reading up\" +2 per pages, at most 10\n}\n",
        ),
    ]));
}

#[test]
fn criteria_points_conditions_decay_and_caps() {
    insta::assert_snapshot!(text_of(&[
        ("+20 when title matches /owner|chief/", "+25 when title matches /owner|chief|vp/"),
        ("halving every 30 days since demo_date", "halving every 14 days since demo_date"),
        ("+2 per pages, at most 10", "+3 per pages, at most 12"),
        ("criterion \"close by\"          +5 when state in territory\n", "criterion \"close by\"          +5 when state in territory\ncriterion \"big\" +5 when size > 100\n"),
    ]));
}

#[test]
fn a_criterion_renamed_is_a_rename_and_those_referring_to_it_do_not_change() {
    let d = diff_of(
        BASE,
        &variant(&[
            (
                "criterion \"asked for a demo\"",
                "criterion \"demo request\"",
            ),
            ("matched \"asked for a demo\"", "matched \"demo request\""),
            (
                "expect matched \"decision maker\", \"asked for a demo\"",
                "expect matched \"decision maker\", \"demo request\"",
            ),
        ]),
    );
    let changes: Vec<_> = d.changes_of(Kind::Criterion).collect();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].change, ChangeKind::Renamed);
    assert_eq!(changes[0].new_name.as_deref(), Some("demo request"));
    insta::assert_snapshot!(render::text(&d, Paint(false)));
}

#[test]
fn renamed_fields_lists_and_groups_are_followed_into_conditions() {
    insta::assert_snapshot!(text_of(&[
        (
            "budget      number  optional  from \"Annual Budget\"",
            "money       number  optional  from \"Annual Budget\""
        ),
        ("budget >= 1000", "money >= 1000"),
        ("let territory", "let home_states"),
        ("state in territory", "state in home_states"),
        ("group fit,", "group who,"),
        ("fit >= 20", "who >= 20"),
        ("budget: 5000", "money: 5000"),
    ]));
}

#[test]
fn a_renamed_criterion_whose_meaning_also_changed_is_removed_and_added() {
    let d = diff_of(
        BASE,
        &variant(&[(
            "criterion \"close by\"          +5 when state in territory",
            "criterion \"nearby\"          +6 when state in territory",
        )]),
    );
    let kinds: Vec<ChangeKind> = d.changes_of(Kind::Criterion).map(|c| c.change).collect();
    assert_eq!(kinds, vec![ChangeKind::Removed, ChangeKind::Added]);
}

#[test]
fn stages_order_thresholds_and_additions() {
    insta::assert_snapshot!(text_of(&[(
        "stage \"sales ready\" when score >= 60 and matched \"hot\"\nstage \"qualified\"   when fit >= 20\n",
        "stage \"qualified\"   when fit >= 20\nstage \"sales ready\" when score >= 55 and matched \"hot\"\nstage \"warm\" when score >= 10\n",
    )]));
}

#[test]
fn header_and_examples() {
    insta::assert_snapshot!(text_of(&[
        ("version \"1\"", "version \"2\""),
        (
            "expect matched \"decision maker\", \"asked for a demo\"",
            "expect matched \"decision maker\"\n  expect stage \"nurture\""
        ),
        ("holidays [2026-12-25]", "holidays [2026-12-25, 2026-12-26]"),
    ]));
}

#[test]
fn reordering_independent_declarations_is_no_change() {
    assert_no_change(&[
        (
            "criterion \"asked for a demo\" +30 when demo, halving every 30 days since demo_date\ncriterion \"reading up\"        +2 per pages, at most 10\n",
            "criterion \"reading up\"        +2 per pages, at most 10\ncriterion \"asked for a demo\" +30 when demo, halving every 30 days since demo_date\n",
        ),
        ("  id          text\n  email       text\n", "  email       text\n  id          text\n"),
        ("let territory = [\"OH\", \"PA\"]\n", ""),
        ("holidays [2026-12-25]\n", "holidays [2026-12-25]\nlet territory = [\"OH\", \"PA\"]\n"),
    ]);
}

#[test]
fn comments_and_whitespace_are_no_change() {
    assert_no_change(&[
        (
            "definition \"Base\"",
            "# the base\ndefinition    \"Base\"   # named\n\n\n",
        ),
        (
            "criterion \"hot\" when",
            "# why hot\ncriterion \"hot\"\n    when",
        ),
        (
            "score >= 60 and matched",
            "score >= 60 # sixty\n   and matched",
        ),
    ]);
}

#[test]
fn conditions_are_compared_after_normalisation() {
    assert_no_change(&[
        (
            "budget >= 1000 and demo",
            "(demo = yes) and not (budget < 1000)",
        ),
        ("size between 5 and 200", "200 >= size and size >= 5"),
        (
            "score >= 60 and matched \"hot\"",
            "matched \"hot\" and (score >= 60 and score >= 60)",
        ),
        ("state in territory", "not (state not in territory)"),
        (
            "title contains \"student\"",
            "title contains \"  STUDENT \"",
        ),
        ("[\"OH\", \"PA\"]", "[\"pa\", \"OH\", \"PA\"]"),
        ("one of \"now\", \"later\"", "one of \"later\", \"Now\""),
        ("fit >= 20", "not (fit < 20 or 20 > fit)"),
    ]);
    assert_no_change(&[(
        "criterion \"hot\" when matched \"asked for a demo\" and serious",
        "criterion \"hot\" when at least 2 of (serious, \"asked for a demo\")",
    )]);
}

#[test]
fn a_changed_condition_shows_old_and_new_text_as_written() {
    let text = text_of(&[(
        "score >= 60 and matched \"hot\"",
        "(score >= 60 or fit >= 25) and not matched \"hot\"",
    )]);
    insta::assert_snapshot!(text);
}

#[test]
fn the_northwind_revision_as_markdown_and_json() {
    let out = qualify(&[
        "diff",
        "rules/northwind.lead",
        "rules/revisions/northwind-next.lead",
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("northwind_markdown", stdout(&out));
    let out = qualify(&[
        "diff",
        "rules/northwind.lead",
        "rules/revisions/northwind-next.lead",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json output");
    assert_eq!(json["summary"]["added"], 3);
    assert_eq!(json["summary"]["renamed"], 2);
    insta::assert_snapshot!("northwind_json", stdout(&out));
    let out = qualify(&[
        "diff",
        "rules/northwind.lead",
        "rules/revisions/northwind-next.lead",
    ]);
    insta::assert_snapshot!("northwind_text", stdout(&out));
}

#[test]
fn a_definition_with_errors_is_reported_and_not_compared() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.lead");
    std::fs::write(&bad, BASE.replace("state in territory", "state in nowhere")).expect("write");
    let bad = bad.to_string_lossy().into_owned();
    let out = qualify(&["diff", "rules/northwind.lead", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("nowhere"), "{err}");
    assert!(
        err.contains(&format!(
            "`{bad}` has 1 error; `qualify diff` compares definitions that check cleanly"
        )),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_missing_file_is_a_usage_error_naming_it() {
    let out = qualify(&["diff", "rules/nope.lead", "rules/northwind.lead"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read `rules/nope.lead`: no such file"),
        "{}",
        stderr(&out)
    );
}

/// A throwaway git repository holding two commits of one definition.
fn repository_with_two_revisions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    std::fs::create_dir(dir.path().join("rules")).expect("mkdir");
    let file = dir.path().join("rules/base.lead");
    std::fs::write(&file, BASE).expect("write");
    git(&["add", "."]);
    git(&["commit", "-qm", "first"]);
    std::fs::write(&file, variant(&[("+5 when state", "+8 when state")])).expect("write");
    git(&["commit", "-qam", "second"]);
    dir
}

fn qualify_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the qualify binary runs")
}

#[test]
fn revisions_are_read_from_git() {
    let repo = repository_with_two_revisions();
    let out = qualify_in(
        repo.path(),
        &["diff", "HEAD~1:rules/base.lead", "rules/base.lead"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("HEAD~1:rules/base.lead → rules/base.lead"),
        "{text}"
    );
    assert!(text.contains("points: +5 → +8"), "{text}");
    let out = qualify_in(
        repo.path(),
        &["diff", "HEAD:rules/base.lead", "HEAD:rules/base.lead"],
    );
    assert!(stdout(&out).contains("no change in meaning"));
}

#[test]
fn git_failures_are_clear_errors() {
    let repo = repository_with_two_revisions();
    let out = qualify_in(
        repo.path(),
        &["diff", "HEAD~1:rules/gone.lead", "rules/base.lead"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot read `HEAD~1:rules/gone.lead` from git: path 'rules/gone.lead' does not exist in 'HEAD~1'"), "{err}");
    assert!(err.contains("help: `REV:path` reads"), "{err}");
    let out = qualify_in(
        repo.path(),
        &["diff", "nosuchrev:rules/base.lead", "rules/base.lead"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read `nosuchrev:rules/base.lead` from git: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn conditions_that_differ_in_meaning_are_changes() {
    let pairs = [
        ("budget >= 1000 and demo", "budget >= 1000 or demo"),
        ("budget >= 1000 and demo", "budget > 1000 and demo"),
        ("budget >= 1000 and demo", "budget >= 1000 and not demo"),
        ("size between 5 and 200", "size between 5 and 201"),
        ("title matches /owner|chief/", "title matches /Owner|chief/"),
        (
            "title contains \"student\"",
            "title starts with \"student\"",
        ),
        ("state in territory", "state not in territory"),
        (
            "score >= 60 and matched \"hot\"",
            "score >= 60 and matched \"close by\"",
        ),
        ("fit >= 20", "fit - 5 >= 20"),
    ];
    for (from, to) in pairs {
        let d = diff_of(BASE, &variant(&[(from, to)]));
        assert_eq!(d.summary.changed, 1, "`{from}` → `{to}` is a change");
    }
    // `at least 2` counts repeats: two of (a, a, b) is not two of (a, b).
    let d = diff_of(
        BASE,
        &variant(&[(
            "criterion \"hot\" when matched \"asked for a demo\" and serious",
            "criterion \"hot\" when at least 2 of (serious, serious, \"asked for a demo\")",
        )]),
    );
    assert_eq!(d.summary.changed, 1);
}

#[test]
fn a_revision_can_come_from_stdin() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(["diff", "-", "rules/northwind.lead"])
        .current_dir(crate::support::root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let text =
        std::fs::read_to_string(crate::support::root().join("rules/northwind.lead")).expect("read");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            text.replace("+20 when job_title", "+25 when job_title")
                .as_bytes(),
        )
        .expect("write");
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("<stdin> → rules/northwind.lead"), "{text}");
    assert!(text.contains("points: +25 → +20"), "{text}");
    let out = qualify(&["diff", "-", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out)
        .contains("only one of OLD, NEW, `--against` and `--events` can be read from stdin"));
}
