//! What a newcomer meets first: `qualify --help`, the usage line after a
//! typo, `qualify completions SHELL` and `qualify man`. Each command of the
//! command line must be reachable from all of them.

use crate::support::{qualify, stderr, stdout};

/// Every command of the command line, from clap's own definition.
fn commands() -> Vec<String> {
    qualify::cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn the_command_line_definition_is_consistent() {
    qualify::cli::command().debug_assert();
    assert!(commands().len() >= 10, "{:?}", commands());
}

#[test]
fn help_lists_every_exit_status_and_points_to_the_docs() {
    let out = qualify(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    for (code, meaning) in [
        ("0", "success"),
        ("1", "a definition has errors"),
        ("2", "usage or I/O problem"),
        ("3", "rows were rejected"),
        ("4", "a review gate failed"),
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{code} ")))
            .unwrap_or_else(|| panic!("no exit status {code} in:\n{help}"));
        assert!(line.contains(meaning), "{line}");
    }
    for doc in ["README.md", "docs/language.md"] {
        assert!(help.contains(doc), "{help}");
        assert!(
            crate::support::root().join(doc).is_file(),
            "{doc} is named but missing"
        );
    }
}

#[test]
fn the_exit_statuses_in_help_are_the_ones_the_code_uses() {
    use qualify::cli::{EXIT_FAILED, EXIT_GATE, EXIT_OK, EXIT_REJECTS, EXIT_STATUSES, EXIT_USAGE};
    let listed: Vec<&str> = EXIT_STATUSES.iter().map(|(code, _)| *code).collect();
    for code in [EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTS, EXIT_GATE] {
        assert!(
            listed.contains(&code.to_string().as_str()),
            "{code} not in {listed:?}"
        );
    }
}

/// clap's usage line after an error used to list the options given so far,
/// without brackets, as if they were required.
#[test]
fn the_usage_line_after_a_typo_shows_options_as_optional() {
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        "examples/northwind-inquiries.csv",
        "--as-of",
        "2026-11-23",
        "--treads",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("a similar argument exists: '--threads'"),
        "{err}"
    );
    assert!(
        err.contains("Usage: qualify score [OPTIONS] <DEFINITION> <INPUT>\n"),
        "{err}"
    );
    assert!(!err.contains("--as-of <"), "{err}");
}

#[test]
fn every_usage_line_after_an_error_is_the_one_help_shows() {
    for command in commands().iter().filter(|c| *c != "help") {
        let help = stdout(&qualify(&[command, "--help"]));
        let usage = help
            .lines()
            .find(|l| l.starts_with("Usage: "))
            .unwrap_or_else(|| panic!("no usage line in `{command} --help`"))
            .to_owned();
        let out = qualify(&[command, "--as-of", "2026-11-23", "--no-such-option"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = stderr(&out);
        assert!(err.contains(&format!("{usage}\n")), "{command}: {err}");
    }
}

#[test]
fn bash_completions_know_every_command() {
    let out = qualify(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let script = stdout(&out);
    assert!(script.contains("complete -F _qualify"), "{script}");
    for command in commands() {
        assert!(
            script.contains(&format!("qualify,{command})")),
            "`{command}` missing from the bash completions"
        );
    }
    // The options of a command complete too.
    assert!(script.contains("--max-rejects"), "{script}");
}

#[test]
fn completions_exist_for_every_shell_clap_knows() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = qualify(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains("backtest"), "{shell}");
    }
    let out = qualify(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("possible values"), "{}", stderr(&out));
}

#[test]
fn the_man_page_names_every_command_and_the_exit_statuses() {
    let out = qualify(&["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains("\n.TH qualify 1 "), "{page}");
    for command in commands().iter().filter(|c| *c != "help") {
        assert!(
            page.contains(&format!("qualify\\-{command}(1)")),
            "`{command}` missing from the man page"
        );
    }
    let exit = page
        .split(".SH \"EXIT STATUS\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no EXIT STATUS section:\n{page}"));
    let exit = exit.split(".SH").next().unwrap_or_default();
    for code in ["0", "1", "2", "3", "4"] {
        assert!(exit.contains(&format!("\n.TP\n\\fB{code}\\fR\n")), "{exit}");
    }
    assert!(page.contains("docs/language.md"), "{page}");
}

#[test]
fn each_command_has_its_own_man_page() {
    for command in commands().iter().filter(|c| *c != "help") {
        let out = qualify(&["man", command]);
        assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
        let page = stdout(&out);
        assert!(
            page.contains(&format!("\n.TH qualify-{command} 1 ")),
            "{page}"
        );
        assert!(page.contains("qualify(1)"), "{page}");
    }
    let page = stdout(&qualify(&["man", "score"]));
    assert!(page.contains("\\-\\-max\\-rejects"), "{page}");
    let out = qualify(&["man", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
}
