//! Pieces shared by commands: reading a definition from a path or stdin, the
//! as-of date, terminal detection.

use crate::load::{load, Loaded};
use crate::model::days_from_date;
use chrono::NaiveDate;
use std::io::{IsTerminal, Read};

/// Read and check the definition at `path` (`-` is stdin). `Err` is an I/O
/// problem, already phrased for the user.
pub fn load_path(path: &str) -> Result<Loaded, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read the definition from stdin: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {}", io_reason(&e)))?
    };
    let name = if path == "-" { "<stdin>" } else { path };
    Ok(load(name, bytes))
}

/// An I/O error in words, without Rust's `(os error 2)` suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Parse `--as-of` (YYYY-MM-DD); the default is today's local date. Read as
/// the inquiry commands read it.
pub fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    crate::io::parse_date_arg(s)
}

pub fn as_of_days(as_of: Option<NaiveDate>) -> (NaiveDate, i32) {
    let date = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    (date, days_from_date(date))
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Print a problem with the command itself (not with a definition).
pub fn usage_error(message: &str) -> i32 {
    eprintln!("error: {message}");
    super::EXIT_USAGE
}

/// Read the definition a path names (`x.lead`, or its examples file
/// `x.examples.lead`) and its companion examples file when there is one.
pub fn load_suite(path: &str) -> Result<crate::suite::Suite, String> {
    use crate::suite::{companion_path, definition_path, load_examples, Suite};
    let definition = load_path(&definition_path(path))?;
    let companion = match (companion_path(&definition_path(path)), &definition.model) {
        (Some(cpath), Some(model)) => match std::fs::read(&cpath) {
            Ok(bytes) => Some(load_examples(model, &cpath, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("cannot read `{cpath}`: {}", io_reason(&e))),
        },
        _ => None,
    };
    Ok(Suite {
        definition,
        companion,
    })
}

/// Write `text` to stdout. A closed pipe (`qualify test ... | head`) is not an
/// error worth a panic: the reader has seen all it wanted.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}
