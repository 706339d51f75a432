//! Reading a definition named on the command line: a file, `-` for stdin, or
//! `REV:path` for the file as it was at a git revision (`git show REV:path`).
//! A revision never starts with `-`, so it can never be taken for one of
//! git's options.

use crate::input::io_reason;
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Where a revision argument points.
#[derive(Debug, PartialEq)]
pub enum Origin<'a> {
    Stdin,
    File(&'a str),
    Git { rev: &'a str, path: &'a str },
}

/// A file that exists wins over `REV:path`, so a file name with a colon in it
/// still reads as a file.
pub fn origin(arg: &str) -> Origin<'_> {
    if arg == "-" {
        return Origin::Stdin;
    }
    if Path::new(arg).exists() {
        return Origin::File(arg);
    }
    match arg.split_once(':') {
        Some((rev, path)) if !rev.is_empty() && !path.is_empty() => Origin::Git { rev, path },
        _ => Origin::File(arg),
    }
}

/// The bytes of the definition `arg` names. `Err` is phrased for the user and
/// may carry advice after a newline.
pub fn read_revision(arg: &str) -> Result<Vec<u8>, String> {
    match origin(arg) {
        Origin::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read the definition from stdin: {e}"))?;
            Ok(buf)
        }
        Origin::File(path) => {
            std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {}", io_reason(&e)))
        }
        Origin::Git { rev, path } => git_show(arg, rev, path),
    }
}

fn git_show(arg: &str, rev: &str, path: &str) -> Result<Vec<u8>, String> {
    // git would read `--output=f:x` as an option of its own (and write `f`),
    // so a revision is never allowed to look like one...
    if rev.starts_with('-') {
        return Err(format!(
            "cannot read `{arg}`: a revision cannot start with `-`\n\
             help: `REV:path` reads `path` as it was at revision `REV`, e.g. \
             `HEAD~1:rules/northwind.lead`; to read a file whose name starts with `-`, \
             write it as `./{arg}`"
        ));
    }
    // ...and `--end-of-options` tells git that what follows is a revision.
    let output = Command::new("git")
        .args(["show", "--end-of-options", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| {
            format!(
                "cannot read `{arg}`: git could not be run ({})\n\
                 help: `REV:path` reads a file as it was at a git revision; install git or give a file",
                io_reason(&e)
            )
        })?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("git failed")
        .trim()
        .trim_start_matches("fatal: ")
        .to_string();
    Err(format!(
        "cannot read `{arg}` from git: {reason}\n\
         help: `REV:path` reads `path` as it was at revision `REV` of the repository \
         you are in, e.g. `HEAD~1:rules/northwind.lead`; the path is from the repository root"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_a_file_and_a_colon_otherwise_means_git() {
        assert_eq!(origin("Cargo.toml"), Origin::File("Cargo.toml"));
        assert_eq!(
            origin("HEAD~1:rules/northwind.lead"),
            Origin::Git {
                rev: "HEAD~1",
                path: "rules/northwind.lead"
            }
        );
        assert_eq!(origin("-"), Origin::Stdin);
        assert_eq!(origin(":x"), Origin::File(":x"));
        assert_eq!(origin("nope.lead"), Origin::File("nope.lead"));
    }

    #[test]
    fn a_revision_that_looks_like_an_option_is_refused_before_git_runs() {
        let err = read_revision("--output=written-by-git:x").expect_err("refused");
        assert!(err.contains("cannot start with `-`"), "{err}");
    }
}
