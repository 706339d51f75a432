//! The commands README.md and docs/*.md show, run as written, so the docs stay
//! true: every `qualify ...` line of an `sh` or `console` block (and
//! `cargo run --release -- ...`, run as `qualify ...`) runs in a fresh copy of
//! the files the docs name and must succeed, since the shipped definitions
//! are clean. Where the docs show what a command prints, it is compared too.
//!
//! Left out, each for a reason the test names: synopses (`qualify score
//! DEFINITION INPUT [options]`), abbreviations (`'{...}'`), git revisions
//! (`HEAD~1:rules/northwind.lead`) and install steps that write into the home
//! folder.

use crate::support::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A fenced block of a markdown file: its info string (`sh`, `console`, ``)
/// and its text.
struct Block {
    file: String,
    info: String,
    text: String,
}

fn blocks(file: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(root().join(file)).expect("read a doc");
    let mut out = Vec::new();
    let mut open: Option<(String, String, String)> = None; // fence, info, text
    for line in text.lines() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if trimmed.starts_with("```") {
                    let fence: String = trimmed.chars().take_while(|c| *c == '`').collect();
                    let info = trimmed[fence.len()..].trim().to_owned();
                    open = Some((fence, info, String::new()));
                }
            }
            Some((fence, info, body)) => {
                if trimmed == fence.as_str() {
                    out.push(Block {
                        file: file.to_owned(),
                        info: std::mem::take(info),
                        text: std::mem::take(body),
                    });
                    open = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "{file}: a fenced block is not closed");
    out
}

fn documents() -> Vec<String> {
    let mut files = vec!["README.md".to_owned(), "ARCHITECTURE.md".to_owned()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok())
        .map(|e| format!("docs/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The commands of a shell block: a line starting with `qualify` (or `$ `
/// and `qualify` in a console block) and its continuation lines (a trailing
/// `\`, or a single-quoted string still open).
fn commands(block: &Block) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in block.text.lines() {
        if let Some(cmd) = &mut current {
            cmd.push('\n');
            cmd.push_str(line);
        } else {
            let line = line.trim_start();
            let line = line.strip_prefix("$ ").unwrap_or(line);
            let line = match line.strip_prefix("cargo run --release -- ") {
                Some(rest) => format!("qualify {rest}"),
                None => line.to_owned(),
            };
            if line.starts_with("qualify ") {
                current = Some(line);
            }
        }
        if let Some(cmd) = &current {
            if !quote_open(cmd) && !cmd.ends_with('\\') {
                out.extend(current.take());
            }
        }
    }
    out.extend(current);
    out
}

/// A command read the way `sh` reads quotes and comments.
struct Words {
    /// Without comments.
    code: String,
    /// Without comments and quoted strings.
    unquoted: String,
    /// A quote is still open at the end.
    open: bool,
}

fn words(cmd: &str) -> Words {
    let mut w = Words {
        code: String::new(),
        unquoted: String::new(),
        open: false,
    };
    let mut quote = None;
    let mut comment = false;
    let mut previous = ' ';
    for c in cmd.chars() {
        if comment {
            comment = c != '\n';
        } else if let Some(q) = quote {
            quote = (c != q).then_some(q);
            w.code.push(c);
        } else if c == '\'' || c == '"' {
            quote = Some(c);
            w.code.push(c);
        } else if c == '#' && previous.is_whitespace() {
            comment = true;
        } else {
            w.code.push(c);
            w.unquoted.push(c);
        }
        previous = c;
    }
    w.open = quote.is_some();
    w
}

fn quote_open(cmd: &str) -> bool {
    words(cmd).open
}

/// Why a shown command is not run, or `None` when it runs.
fn left_out(cmd: &str) -> Option<&'static str> {
    let Words {
        code,
        unquoted: bare,
        ..
    } = words(cmd);
    if bare
        .split_whitespace()
        .any(|w| w.contains(":rules/") || w == "--since")
    {
        return Some("reads a git revision");
    }
    if bare.contains('~') || bare.contains("$HOME") {
        return Some("writes into the home folder");
    }
    let placeholder = bare
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
    if bare.contains('[') || placeholder {
        return Some("a synopsis");
    }
    if code.contains("...") {
        return Some("abbreviated");
    }
    None
}

/// A fresh folder with what the documented commands read: `rules/`, the
/// inquiries, the X Education revision and the recycle cadence's leads and
/// events of `examples/`, and as `leads.csv` the X Education sample (the
/// README's backtests name the full export, which has the same columns).
fn working_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("rules"), &dir.path().join("rules"));
    std::fs::create_dir(dir.path().join("examples")).expect("mkdir");
    for name in [
        "northwind-inquiries.csv",
        "x-education-next.lead",
        "recycle-leads.csv",
        "activity-events.csv",
    ] {
        std::fs::copy(
            root().join("examples").join(name),
            dir.path().join("examples").join(name),
        )
        .expect("copy an example");
    }
    std::fs::copy(
        root().join("tests/data/x-education-sample.csv"),
        dir.path().join("leads.csv"),
    )
    .expect("copy the sample");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("read dir")
        .filter_map(|e| e.ok())
    {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

struct Ran {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run `cmd` with `sh` in `dir`, `qualify` first on the PATH and the home
/// folder inside `dir`. Output goes to files, so a large one cannot block;
/// a generous limit guards against a hang only.
fn run(cmd: &str, dir: &Path) -> Ran {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_qualify"));
    let path = format!(
        "{}:{}",
        bin.parent().expect("the binary's folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("sh runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("`{cmd}` still runs after 5 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Ran {
        status,
        stdout: std::fs::read_to_string(out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(err_path).unwrap_or_default(),
    }
}

#[test]
fn every_command_the_docs_show_runs_as_written() {
    let mut ran = 0;
    let mut failures = Vec::new();
    for file in documents() {
        for block in blocks(&file) {
            if !matches!(block.info.as_str(), "sh" | "console") {
                continue;
            }
            for cmd in commands(&block) {
                if let Some(why) = left_out(&cmd) {
                    eprintln!("{}: not run ({why}): {cmd}", block.file);
                    continue;
                }
                let dir = working_copy();
                let out = run(&cmd, dir.path());
                ran += 1;
                if out.status != Some(0) {
                    failures.push(format!(
                        "{}: `{cmd}` exited with {:?}:\n{}",
                        block.file, out.status, out.stderr
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The README alone shows more than twenty runnable commands.
    assert!(ran >= 25, "only {ran} commands were found to run");
}

#[test]
fn the_synopsis_and_git_commands_are_recognised() {
    assert_eq!(
        left_out("qualify score DEFINITION INPUT [-o OUTPUT] [options]"),
        Some("a synopsis")
    );
    assert_eq!(
        left_out("qualify diff HEAD~1:rules/northwind.lead rules/northwind.lead"),
        Some("reads a git revision")
    );
    assert_eq!(
        left_out("qualify doc rules/northwind.lead --since HEAD~1"),
        Some("reads a git revision")
    );
    assert_eq!(
        left_out("qualify completions fish > ~/.config/fish/completions/qualify.fish"),
        Some("writes into the home folder")
    );
    assert_eq!(
        left_out("qualify explain d.lead --inquiry '{...}' --format json"),
        Some("abbreviated")
    );
    assert_eq!(
        left_out("qualify check --deny warnings rules/*.lead   # CI: ANY warning [fails] ..."),
        None
    );
    assert_eq!(
        left_out(r#"qualify backtest d.lead x.csv --on "Lead ID" --won "Closed Won""#),
        None
    );
    let block = Block {
        file: "x.md".into(),
        info: "sh".into(),
        text: "qualify explain a.lead --inquiry '{\n  \"a\": 1}'\n\
               qualify diff a \\\n  b\n\
               $ qualify test x.lead   # the definition's examples\n\
               cargo run --release -- check x.lead\n\
               cargo test --release\n"
            .into(),
    };
    assert_eq!(
        commands(&block),
        [
            "qualify explain a.lead --inquiry '{\n  \"a\": 1}'",
            "qualify diff a \\\n  b",
            "qualify test x.lead   # the definition's examples",
            "qualify check x.lead",
        ]
    );
}

/// The text of the first block of README.md whose text starts with `start`.
fn readme_block(start: &str) -> String {
    blocks("README.md")
        .into_iter()
        .find(|b| b.text.starts_with(start))
        .unwrap_or_else(|| panic!("README.md has no block starting with {start:?}"))
        .text
}

/// The one command of the README's `sh` block that contains `part`.
fn readme_command(part: &str) -> String {
    blocks("README.md")
        .iter()
        .filter(|b| b.info == "sh")
        .flat_map(commands)
        .find(|c| c.contains(part))
        .unwrap_or_else(|| panic!("README.md shows no command with {part:?}"))
}

fn same_lines(shown: &str, printed: &str, what: &str) {
    let shown: Vec<&str> = shown.lines().map(str::trim_end).collect();
    let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
    assert!(
        shown == printed,
        "README.md is out of date: {what} prints\n{}",
        printed.join("\n")
    );
}

#[test]
fn the_readme_definition_is_in_canonical_layout_and_checks() {
    let text = readme_block("definition \"Northwind universal lead definition\"");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("top.lead"), &text).expect("write");
    let fmt = run("qualify fmt - < top.lead", dir.path());
    assert_eq!(fmt.status, Some(0), "{}", fmt.stderr);
    same_lines(
        &text,
        &fmt.stdout,
        "`qualify fmt` of the definition at the top",
    );
    let check = run("qualify check --deny warnings top.lead", dir.path());
    assert_eq!(check.status, Some(0), "{}{}", check.stdout, check.stderr);
}

/// The `check` example: `budget` misspelt in the "has budget" criterion.
#[test]
fn the_readme_check_example_is_what_check_prints() {
    let dir = working_copy();
    let path = dir.path().join("rules/northwind.lead");
    let text = std::fs::read_to_string(&path).expect("read");
    let typo = text.replacen("when budget >= 10000", "when budgett >= 10000", 1);
    assert_ne!(
        typo, text,
        "rules/northwind.lead no longer has `budget >= 10000`"
    );
    std::fs::write(&path, typo).expect("write");
    let out = run("qualify check rules/northwind.lead", dir.path());
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    same_lines(
        &readme_block("qualify::unknown-field\n"),
        &format!("{}{}", out.stdout, out.stderr),
        "`qualify check` with `budgett`",
    );
}

#[test]
fn the_readme_explain_example_is_what_explain_prints() {
    let cmd = readme_command("--inquiry '{");
    let dir = working_copy();
    let out = run(&cmd, dir.path());
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    same_lines(
        &readme_block("inquiry \"N-1042\""),
        &out.stdout,
        &format!("`{cmd}`"),
    );
}

#[test]
fn the_readme_diff_example_is_what_diff_prints() {
    let cmd = readme_command("--format markdown --show 5");
    let dir = working_copy();
    let out = run(&cmd, dir.path());
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let shown = blocks("README.md")
        .into_iter()
        .find(|b| b.info == "markdown")
        .expect("README.md shows the diff as a markdown block")
        .text;
    same_lines(&shown, &out.stdout, &format!("`{cmd}`"));
}
