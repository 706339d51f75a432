//! `qualify check` as a user runs it: exit codes, formats, summary lines.

use crate::support::{qualify, rules_files, stderr, stdout};

#[test]
fn every_shipped_definition_is_clean() {
    let files = rules_files();
    assert!(!files.is_empty());
    let mut args = vec!["check", "--deny", "warnings", "--as-of", "2026-11-23"];
    args.extend(files.iter().map(String::as_str));
    let out = qualify(&args);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for f in &files {
        assert!(
            text.contains(&format!("{f}: 0 errors, 0 warnings")),
            "{text}"
        );
    }
}

#[test]
fn a_file_that_cannot_be_read_is_a_usage_error_naming_it() {
    let out = qualify(&["check", "rules/no-such-file.lead"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read `rules/no-such-file.lead`: no such file"),
        "{}",
        stderr(&out)
    );
}
