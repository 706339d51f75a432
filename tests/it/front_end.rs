//! The language front end and `check` on hostile definitions: line ends,
//! comments where a keyword was expected, keywords used as names, column
//! clashes in the results, duplicate reasons and example names, and a `diff`
//! revision that looks like a git option. The files are copies of the
//! reproducers, under `tests/data/hostile/`.

use crate::support::{qualify, root, stderr};
use qualify::load::{load, Loaded};
use qualify::report::diagnostics::{to_json, JsonDiagnostic};
use std::path::{Path, PathBuf};
use std::process::Command;

fn hostile(case: &str, file: &str) -> PathBuf {
    root().join("tests/data/hostile").join(case).join(file)
}

fn load_hostile(case: &str, file: &str) -> Loaded {
    let bytes = std::fs::read(hostile(case, file)).expect("case file exists");
    load(file, bytes)
}

fn diagnostics(loaded: &Loaded) -> Vec<JsonDiagnostic> {
    loaded.located().iter().map(to_json).collect()
}

fn load_text(text: &str) -> Vec<JsonDiagnostic> {
    diagnostics(&load("t.lead", text.as_bytes().to_vec()))
}

fn errors(diags: &[JsonDiagnostic]) -> Vec<&JsonDiagnostic> {
    diags.iter().filter(|d| d.severity == "error").collect()
}

fn with_code<'a>(diags: &'a [JsonDiagnostic], code: &str) -> Vec<&'a JsonDiagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

// ------------------------------------------------------------ line ends (09)

#[test]
fn a_comment_in_a_cr_only_file_ends_at_its_line() {
    let loaded = load_hostile("09-cr-only-comment-eats-rest", "def.lead");
    assert_eq!(loaded.error_count(), 0, "{:?}", diagnostics(&loaded));
    let model = loaded.model.as_ref().expect("a model");
    let criteria: Vec<&str> = model.criteria.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(criteria, ["big"], "the criterion after the comment is kept");
    let examples: Vec<&str> = model.examples.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(examples, ["big is hot"]);
}

/// The same definition with LF, CRLF and lone-CR line ends: the same
/// diagnostics at the same lines and columns.
#[test]
fn every_line_end_gives_the_same_places() {
    let lines = [
        "fields {",
        "  x number   # the size",
        "}",
        "# a comment on its own line",
        "criterion \"big\" +10 when y > 5",
        "stage \"s\" when score >= 10",
        "stage \"t\" otherwise",
    ];
    let places = |eol: &str| -> Vec<(String, usize, usize, usize, usize)> {
        load_text(&lines.join(eol))
            .into_iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.line,
                    d.column,
                    d.end_line,
                    d.end_column,
                )
            })
            .collect()
    };
    let lf = places("\n");
    assert_eq!(
        lf.first(),
        Some(&("qualify::unknown-field".to_string(), 5, 26, 5, 27)),
        "{lf:?}"
    );
    assert_eq!(places("\r\n"), lf);
    assert_eq!(places("\r"), lf);
}

#[test]
fn fmt_reads_lone_crs_as_line_ends_and_writes_lf() {
    let text = std::fs::read_to_string(hostile("09-cr-only-comment-eats-rest", "def.lead"))
        .expect("case file");
    assert!(
        text.contains('\r') && !text.contains('\n'),
        "a CR-only file"
    );
    let from_cr = qualify::fmt::format_text("def.lead", &text).expect("formats");
    let from_lf =
        qualify::fmt::format_text("def.lead", &text.replace('\r', "\n")).expect("formats");
    assert_eq!(from_cr, from_lf);
    assert!(
        from_cr.contains("# Criteria\ncriterion \"big\""),
        "{from_cr}"
    );
}

#[test]
fn fmt_check_reports_a_file_whose_only_change_is_its_line_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lf = qualify::fmt::format_text(
        "def.lead",
        "fields {\n  x number\n}\ncriterion \"a\" +1 when x > 1\nstage \"s\" otherwise\n",
    )
    .expect("formats");
    let path = dir.path().join("def.lead");
    std::fs::write(&path, lf.replace('\n', "\r")).expect("write");
    let path_arg = path.to_string_lossy().into_owned();
    let out = qualify(&["fmt", "--check", &path_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("end in CR alone"), "{said}");
    let out = qualify(&["fmt", &path_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), lf);
}

// ------------------------------------------------------ comments in errors (15)

#[test]
fn a_comment_inside_at_least_is_named_and_never_quoted() {
    for (file, line) in [("def.lead", 4), ("def2.lead", 5)] {
        let diags = diagnostics(&load_hostile("15-comment-in-two-word-keyword", file));
        let first = diags.first().expect("an error");
        assert_eq!(
            (first.code, first.line, first.message.as_str()),
            ("qualify::syntax", line, "a comment splits `at least`"),
            "{file}"
        );
        let help = first.help.clone().unwrap_or_default();
        for comment_word in ["BANT", "note", "count"] {
            assert!(!help.contains(comment_word), "{file}: {help}");
        }
    }
}

#[test]
fn a_syntax_error_after_a_comment_names_the_token_before_the_comment() {
    let diags = load_text(
        "fields {\n  x number\n}\ncriterion \"c\" +1 when # see the BANT note\n}\nstage \"s\" otherwise\n",
    );
    let first = diags.first().expect("an error");
    assert_eq!(first.code, "qualify::syntax");
    assert!(first.message.contains("after `when`"), "{}", first.message);
    assert!(!first.message.contains("note"), "{}", first.message);
    assert_eq!((first.line, first.column), (5, 1));
}

// ------------------------------------------------- keywords used as names (6)

#[test]
fn a_keyword_as_a_field_name_says_it_is_reserved_and_how_to_keep_the_column() {
    for word in [
        "score",
        "when",
        "matched",
        "text",
        "date",
        "otherwise",
        "from",
    ] {
        let text =
            format!("fields {{\n  x number\n  {word} number optional\n}}\nstage \"s\" otherwise\n");
        let diags = load_text(&text);
        let first = diags.first().expect("an error");
        assert_eq!(
            (first.code, first.line, first.column, first.end_column),
            ("qualify::reserved-name", 3, 3, 3 + word.len()),
            "{word}: {}",
            first.message
        );
        assert_eq!(
            first.message,
            format!("`{word}` is a reserved word and cannot name a field")
        );
        let help = first.help.clone().unwrap_or_default();
        assert!(
            help.contains(&format!("number optional from \"{word}\"`")),
            "{word}: {help}"
        );
    }
}

#[test]
fn a_keyword_as_the_first_field_or_a_let_name_is_reserved_too() {
    let first_field = load_text("fields {\n  score number\n}\nstage \"s\" otherwise\n");
    assert_eq!(first_field[0].code, "qualify::reserved-name");
    let a_let = load_text("fields {\n  x number\n}\nlet when = x > 1\nstage \"s\" otherwise\n");
    assert_eq!(
        (a_let[0].code, a_let[0].message.as_str()),
        (
            "qualify::reserved-name",
            "`when` is a reserved word and cannot name a `let`"
        )
    );
}

// ------------------------------------------------------- output columns (04)

#[test]
fn a_group_named_like_a_fixed_column_is_an_error_in_check() {
    let diags = diagnostics(&load_hostile("04-output-column-clash", "group-row.lead"));
    let clashes = with_code(&diags, "qualify::output-column-clash");
    assert_eq!(clashes.len(), 1, "{diags:?}");
    assert_eq!(
        (clashes[0].severity, clashes[0].line, clashes[0].column),
        ("error", 4, 7)
    );
    for group in ["id", "Score", "STAGE", "Matched", "disQualified"] {
        let text = format!(
            "fields {{\n  x number optional\n}}\ngroup {group} {{\n  criterion \"a\" +1 when x > 0\n}}\nstage \"s\" when {group} > 0\nstage \"t\" otherwise\n"
        );
        let diags = load_text(&text);
        let clashes = with_code(&diags, "qualify::output-column-clash");
        assert_eq!(clashes.len(), 1, "{group}: {diags:?}");
        assert_eq!(clashes[0].severity, "error", "{group}");
    }
}

#[test]
fn columns_that_clash_only_with_points_or_explain_are_warnings() {
    let diags = diagnostics(&load_hostile(
        "04-output-column-clash",
        "criteria-case.lead",
    ));
    let clashes = with_code(&diags, "qualify::output-column-clash");
    assert_eq!(clashes.len(), 1, "{diags:?}");
    assert_eq!((clashes[0].severity, clashes[0].line), ("warning", 5));
    assert!(clashes[0].message.starts_with("with `--points`"));
    let why = load_text(
        "fields {\n  x number optional\n}\ngroup why {\n  criterion \"a\" +1 when x > 0\n}\nstage \"s\" when why > 0\nstage \"t\" otherwise\n",
    );
    let clashes = with_code(&why, "qualify::output-column-clash");
    assert_eq!(clashes.len(), 1, "{why:?}");
    assert_eq!(clashes[0].severity, "warning");
    assert!(clashes[0].message.starts_with("with `--explain`"));
}

#[test]
fn score_blames_the_definition_not_keep_for_a_clash_it_makes() {
    let dir = "tests/data/hostile/04-output-column-clash";
    let out = qualify(&[
        "score",
        &format!("{dir}/group-row.lead"),
        &format!("{dir}/in.csv"),
    ]);
    // Checked first: the definition has an error, so nothing is scored.
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains("--keep"), "{err}");
    assert!(err.contains("qualify::output-column-clash"), "{err}");
    assert!(err.contains("group `row`'s sub-score"), "{err}");
    let out = qualify(&[
        "score",
        &format!("{dir}/criteria-case.lead"),
        &format!("{dir}/in.csv"),
        "--points",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains("--keep"), "{err}");
    assert!(err.contains("leave out `--points`"), "{err}");
}

// ------------------------------------------------------------ duplicates (17)

#[test]
fn two_disqualifiers_with_one_reason_are_a_duplicate_pointing_at_the_first() {
    let diags = diagnostics(&load_hostile(
        "17-duplicate-disqualifier-reason",
        "new.lead",
    ));
    let dups = with_code(&diags, "qualify::duplicate");
    assert_eq!(dups.len(), 1, "{diags:?}");
    assert_eq!(
        (dups[0].severity, dups[0].line, dups[0].column),
        ("error", 5, 12)
    );
    assert_eq!(dups[0].message, "disqualifier \"a\" is declared twice");
    let loaded = load_hostile("17-duplicate-disqualifier-reason", "new.lead");
    let located = loaded.located();
    let dup = located
        .iter()
        .find(|d| d.diagnostic.code.as_str() == "qualify::duplicate")
        .expect("the duplicate");
    let related = &dup.diagnostic.related;
    assert_eq!(related.len(), 1);
    assert_eq!(loaded.source.line_col(related[0].0.start), (4, 12));
}

#[test]
fn two_examples_with_one_name_are_a_duplicate() {
    let diags = diagnostics(&load_hostile(
        "17-duplicate-disqualifier-reason",
        "exn.lead",
    ));
    let dups = with_code(&diags, "qualify::duplicate");
    assert_eq!(dups.len(), 1, "{diags:?}");
    assert_eq!((dups[0].line, dups[0].column), (8, 9));
    assert_eq!(dups[0].message, "example \"e\" is declared twice");
}

#[test]
fn two_examples_with_one_name_in_an_examples_file_are_a_duplicate() {
    let loaded = load(
        "d.lead",
        b"fields {\n  x number\n}\nstage \"s\" otherwise\n".to_vec(),
    );
    let model = loaded.model.as_ref().expect("a model");
    let file = qualify::suite::load_examples(
        model,
        "d.examples.lead",
        b"example \"e\" {\n  x: 1\n}\nexample \"e\" {\n  x: 2\n}\n".to_vec(),
    );
    let codes: Vec<&str> = file.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["qualify::duplicate"]);
}

#[test]
fn diff_refuses_revisions_with_duplicate_reasons_instead_of_pairing_them() {
    let dir = "tests/data/hostile/17-duplicate-disqualifier-reason";
    for (old, new) in [("old.lead", "new.lead"), ("exo.lead", "exn.lead")] {
        let out = qualify(&["diff", &format!("{dir}/{old}"), &format!("{dir}/{new}")]);
        assert_eq!(out.status.code(), Some(1), "{old} {new}: {}", stderr(&out));
    }
}

// ------------------------------------------------------- reserved stage (23)

#[test]
fn an_otherwise_stage_named_disqualified_is_one_error() {
    let diags = diagnostics(&load_hostile(
        "23-misleading-messages",
        "reserved-otherwise.lead",
    ));
    let errs = errors(&diags);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].code, "qualify::reserved-name");
    let help = errs[0].help.clone().unwrap_or_default();
    assert!(help.contains("otherwise"), "{help}");
}

// ------------------------------------------------------------ nesting (16)

#[test]
fn parentheses_after_a_pattern_holding_a_hash_are_bounded() {
    for depth in [qualify::syntax::MAX_NESTING + 1, 5_000] {
        let text = format!(
            "fields {{\n  email text\n}}\nlet a = email matches /#/ or {}email = \"x\"{}\nstage \"s\" when a\nstage \"t\" otherwise\n",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let diags = load_text(&text);
        assert_eq!(diags.len(), 1, "{depth}: {diags:?}");
        assert_eq!(diags[0].code, "qualify::too-deep");
        assert!(
            diags[0].message.starts_with("parentheses"),
            "{}",
            diags[0].message
        );
    }
}

// ------------------------------------------------ git revision options (11)

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.email=t@t", "-c", "user.name=t"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_revision_that_looks_like_a_git_option_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    git(dir.path(), &["init", "-q", "."]);
    std::fs::write(
        dir.path().join("d.lead"),
        "fields {\n  x number\n}\nstage \"s\" otherwise\n",
    )
    .expect("write");
    git(dir.path(), &["add", "d.lead"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    let out = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(["diff", "--", "--output=written-by-git:x", "d.lead"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("qualify runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot start with `-`"),
        "{}",
        stderr(&out)
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".git", "d.lead"]);
}
