//! `qualify fmt`: the canonical layout (snapshots), safety (same meaning, every
//! comment kept, idempotent) over every definition in the repository, and the
//! command line (in place, `--check`, stdin).

use crate::support::{qualify, root, stderr, stdout};
use qualify::fmt::format_text;
use qualify::source::SourceFile;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.lead` file under rules/ and tests/ (including test corpora that
/// other suites add later).
pub fn corpus() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "lead") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("rules"), &mut out);
    walk(&root().join("tests"), &mut out);
    out.sort();
    out
}

/// Formatting keeps the syntax tree and is idempotent.
pub fn assert_safe(name: &str, text: &str) {
    let Ok(before) = qualify::syntax::parse(&SourceFile::new(name, text)) else {
        return; // nothing to format
    };
    let once = format_text(name, text).unwrap_or_else(|e| panic!("{name}: {e:?}\n{text}"));
    let after = qualify::syntax::parse(&SourceFile::new(name, once.as_str()))
        .unwrap_or_else(|e| panic!("{name}: formatted text does not parse: {e:?}\n{once}"));
    assert_eq!(before, after, "{name}: meaning changed\n{once}");
    let twice = format_text(name, &once).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(once, twice, "{name}: not idempotent");
}

#[test]
fn every_definition_in_the_repository_formats_safely() {
    let files = corpus();
    assert!(files.len() >= 3, "{files:?}");
    for f in files {
        // The broken-case corpus holds a file that is not UTF-8: nothing to format.
        let Ok(text) = String::from_utf8(std::fs::read(&f).unwrap_or_default()) else {
            continue;
        };
        assert_safe(&f.display().to_string(), &text);
    }
}

#[test]
fn the_shipped_definitions_are_formatted() {
    let out = qualify(&["fmt", "--check", "rules/northwind.lead"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
}

/// Each file under `tests/data/fmt/` formats to its snapshot `fmt_NAME`
/// (`messy.lead`: any layout becomes canonical; `comments.lead`: every comment
/// stays in place; ...). A new file is a new case.
#[test]
fn each_layout_case_formats_to_its_snapshot() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/data/fmt"))
        .expect("tests/data/fmt")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lead"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a name");
        let formatted = format_text(&format!("{name}.lead"), &read(&path)).expect("formats");
        insta::assert_snapshot!(format!("fmt_{name}"), formatted);
    }
}

#[test]
fn long_conditions_break_before_and_or_and_lists_wrap() {
    let text = r#"definition "long"
fields {
  id text
  employees number
  kind one of "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda"
}
criterion "long" +5 when employees > 10 and employees < 100000 and kind in ["alpha", "beta", "gamma"] and not (kind = "delta" or kind = "epsilon" or kind = "zeta" or employees = 50)
stage "rest" otherwise
"#;
    let formatted = format_text("long.lead", text).expect("formats");
    assert!(
        formatted.lines().all(|l| l.chars().count() <= 100),
        "{formatted}"
    );
    insta::assert_snapshot!("fmt_long", formatted);
}

#[test]
fn check_prints_a_diff_and_fails_without_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("messy.lead");
    let original = read(&root().join("tests/data/fmt/messy.lead"));
    std::fs::write(&path, &original).expect("write");
    let p = path.to_string_lossy().to_string();
    let out = qualify(&["fmt", "--check", &p]);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out).replace(&p, "messy.lead");
    insta::assert_snapshot!("fmt_check_diff", diff);
    assert!(
        stderr(&out).contains("1 file is not formatted"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&path), original, "--check must not write");
}

#[test]
fn fmt_rewrites_in_place_and_then_has_nothing_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("messy.lead");
    let original = read(&root().join("tests/data/fmt/messy.lead"));
    std::fs::write(&path, &original).expect("write");
    let p = path.to_string_lossy().to_string();
    let out = qualify(&["fmt", &p]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = read(&path);
    assert_eq!(written, format_text("x", &original).expect("formats"));
    let again = qualify(&["fmt", "--check", &p]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn dash_formats_stdin_to_stdout() {
    let original = read(&root().join("tests/data/fmt/messy.lead"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(original.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format_text("x", &original).expect("formats")
    );
}

#[test]
fn a_syntax_error_is_reported_and_the_file_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.lead");
    let text = "definition \"x\"\nfields { id text }\ncriterion \"a\" +5 when\n";
    std::fs::write(&path, text).expect("write");
    let out = qualify(&["fmt", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("qualify::syntax"), "{}", stderr(&out));
    assert_eq!(read(&path), text);
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let out = qualify(&["fmt", "rules/no-such-file.lead"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read `rules/no-such-file.lead`: no such file"));
}

#[test]
fn a_comment_inside_one_entry_keeps_only_that_entry_as_written() {
    let text = read(&root().join("tests/data/fmt/comments_inside.lead"));
    let formatted = format_text("comments_inside.lead", &text).expect("formats");
    // The other fields are still aligned (the snapshot is in
    // each_layout_case_formats_to_its_snapshot).
    assert!(formatted.contains("\n  id  text\n"), "{formatted}");
}
