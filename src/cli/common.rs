//! Pieces shared by commands: reading a definition from a path or stdin, the
//! as-of date, terminal detection, the options several commands take
//! (`--threads`, `--rejects`), and the hint for swapped arguments.

use crate::input::io_reason;
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

/// Parse `--as-of` (YYYY-MM-DD); the default is today's local date. Read as
/// the inquiry commands read it.
pub fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    crate::input::parse_date_arg(s)
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

/// `--threads` may ask for up to this many threads per core: more than one
/// per core only take turns (the work is all computing), and each thread
/// holds chunks of rows in memory, so a count far past the cores only costs.
pub const THREADS_PER_CORE: usize = 8;

/// The cores this process may use (1 when the system does not say).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `--threads N`: from 1 to [`THREADS_PER_CORE`] per core.
pub fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads"))?;
    let cores = available_cores();
    let most = cores * THREADS_PER_CORE;
    if n == 0 {
        return Err("it takes at least 1 thread (leave `--threads` out for one per core)".into());
    }
    if n > most {
        let plural = if cores == 1 { "" } else { "s" };
        return Err(format!(
            "at most {most} threads here ({THREADS_PER_CORE} per core, {cores} core{plural}): \
             threads beyond the cores only take turns, and each holds rows in memory"
        ));
    }
    Ok(n)
}

/// `--rejects PATH`: any path but `-`. As an output `-` would be stdout,
/// where the results or the report already go; as a file name it is too
/// easily taken for stdout.
pub fn parse_rejects_path(s: &str) -> Result<std::path::PathBuf, String> {
    if s == "-" {
        return Err(
            "rejected rows go to a file, not to stdout (where the results or the \
             report go); name a file, `./-` for one called `-`"
                .into(),
        );
    }
    Ok(s.into())
}

/// Named like an inquiry list: `.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`.
pub fn looks_like_inquiries(path: &str) -> bool {
    matches!(
        extension(path).as_str(),
        "csv" | "tsv" | "jsonl" | "ndjson" | "json"
    )
}

/// A path's extension in lower case ("" when it has none).
fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// When a definition does not load: the hint that the arguments of
/// `qualify COMMAND DEFINITION INQUIRIES` look swapped, if they do (the first
/// is named like an inquiry list, or the second like a definition).
pub fn swapped_arguments(command: &str, definition: &str, inquiries: &str) -> Option<String> {
    let like_inquiries = looks_like_inquiries(definition);
    let like_definition = extension(inquiries) == "lead";
    if like_definition {
        let first = if like_inquiries {
            "looks like an inquiries file"
        } else {
            "is not a definition"
        };
        return Some(format!(
            "the first argument `{definition}` {first} and the second, `{inquiries}`, looks like a \
             definition; did you mean `qualify {command} {inquiries} {definition}`?"
        ));
    }
    like_inquiries.then(|| {
        format!(
            "the first argument `{definition}` looks like an inquiries file; `qualify {command}` \
             takes the definition first: `qualify {command} DEFINITION INQUIRIES`"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_run_from_one_to_a_few_per_core() {
        assert_eq!(parse_threads("1"), Ok(1));
        let most = available_cores() * THREADS_PER_CORE;
        assert_eq!(parse_threads(&most.to_string()), Ok(most));
        assert!(parse_threads("0").unwrap_err().contains("at least 1"));
        assert!(parse_threads(&(most + 1).to_string())
            .unwrap_err()
            .contains(&format!("at most {most} threads")));
        assert!(parse_threads("many").is_err());
    }

    #[test]
    fn swapped_arguments_are_named_only_when_they_look_swapped() {
        assert_eq!(
            swapped_arguments("score", "in.csv", "def.lead").as_deref(),
            Some(
                "the first argument `in.csv` looks like an inquiries file and the second, \
                 `def.lead`, looks like a definition; did you mean `qualify score def.lead in.csv`?"
            )
        );
        assert!(swapped_arguments("explain", "in.JSONL", "-")
            .unwrap()
            .contains("takes the definition first"));
        assert_eq!(swapped_arguments("score", "broken.lead", "in.csv"), None);
    }
}
