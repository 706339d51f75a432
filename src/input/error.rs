//! Problems that stop reading an inquiry file altogether (as opposed to a
//! rejected row), each with its message and advice: a column missing or
//! ambiguous, an empty or unreadable input, a row too long to be one.

use super::columns::keep_argument;
use super::records::MAX_RECORD_BYTES;

/// An I/O error in words, without Rust's `(os error 2)` suffix. Every
/// message about a file read or written says its reason this way.
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

/// A problem that stops reading altogether (as opposed to a rejected row).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("cannot read `{path}`: {reason}")]
    Open { path: String, reason: String },
    #[error("{} is empty: there is no header row", shown(path))]
    Empty { path: String },
    /// JSONL has no header row, so an empty file is told apart from CSV's.
    #[error("{} is empty: there is no JSON object in it", shown(path))]
    EmptyJsonl { path: String },
    /// Required fields whose columns the header lacks, every one at once.
    #[error("{}", absent_columns(missing))]
    MissingColumn {
        missing: Vec<AbsentColumn>,
        header: Vec<String>,
    },
    /// A column named by an option (`--keep`, the backtest's `--on`) rather
    /// than by a field.
    #[error("the input has no column `{column}` (asked for by {option})")]
    MissingOptionColumn {
        option: String,
        column: String,
        closest: Option<String>,
        header: Vec<String>,
    },
    #[error("{option} names an empty column")]
    EmptyColumnName { option: String },
    /// Two or more header cells match one wanted column once case and
    /// surrounding spaces are ignored; taking the first would be a guess.
    #[error(
        "{wanted} matches {} columns: {} (ignoring case and surrounding spaces)",
        columns.len(),
        quoted(columns)
    )]
    AmbiguousColumn {
        /// "field `email`" or "--keep `email`".
        wanted: String,
        columns: Vec<String>,
    },
    #[error("the first line of {} is not a JSON object: {reason}", shown(path))]
    JsonHeader { path: String, reason: String },
    #[error("cannot read `{path}` at line {line}: {reason}")]
    Read {
        path: String,
        line: u64,
        reason: String,
    },
    /// A row so long it is surely a quote never closed (CSV) or a file with
    /// no line ends (JSONL); reading on would take memory as large as the file.
    #[error(
        "{} at line {line}: the row starting there is longer than {} MB",
        shown(path),
        MAX_RECORD_BYTES >> 20
    )]
    RowTooLong { path: String, line: u64 },
    #[error(
        "the header of {} cannot be read: the quote that opens a cell on line {line} is never closed, so the whole input was read as the header",
        shown(path)
    )]
    HeaderQuote { path: String, line: u64 },
}

impl InputError {
    /// Advice for the user, when there is some.
    pub fn help(&self) -> Option<String> {
        match self {
            InputError::MissingColumn { missing, header } => Some(match &missing[..] {
                [one] => missing_column_help(
                    one.closest.as_deref(),
                    header,
                    &format!(
                        "name the column with `from \"...\"` on field `{}`, or mark it `optional`",
                        one.field
                    ),
                ),
                many => missing_columns_help(many, header),
            }),
            InputError::MissingOptionColumn {
                option,
                closest,
                header,
                ..
            } if option == "--keep" => Some(keep_help(closest.as_deref(), header)),
            InputError::MissingOptionColumn {
                option,
                closest,
                header,
                ..
            } => Some(missing_column_help(
                closest.as_deref(),
                header,
                &format!("name one of them with {option}"),
            )),
            InputError::EmptyColumnName { option } if option == "--keep" => Some(
                "give --keep column names separated by commas, with none empty, e.g. `--keep Notes,Company`".into(),
            ),
            InputError::EmptyColumnName { option } => {
                Some(format!("give {option} the name of a column of the input"))
            }
            InputError::AmbiguousColumn { .. } => Some(
                "columns are matched ignoring case and surrounding spaces, so these name the same column; rename or remove all but one".into(),
            ),
            InputError::Empty { .. } => {
                Some("an inquiry file starts with a header row naming its columns".into())
            }
            InputError::EmptyJsonl { .. } => {
                Some("a JSONL inquiry file holds one JSON object per line".into())
            }
            InputError::RowTooLong { .. } => Some(
                "in a CSV file, a quote `\"` that opens a cell and is never closed makes the rest of the file one cell: close it, or double a quote meant as text (`\"\"`); in a JSONL file, each object ends its line".into(),
            ),
            _ => None,
        }
    }
}

/// How the input is named in a message: stdin, or the path in backticks.
fn shown(path: &str) -> String {
    if path == "-" {
        "stdin".into()
    } else {
        format!("`{path}`")
    }
}

/// A required field's column that the header lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct AbsentColumn {
    pub field: String,
    pub column: String,
    /// The header cell most like it, if one is close.
    pub closest: Option<String>,
}

/// "the input has no column `source` (for field `source`)", or for several,
/// each of them.
fn absent_columns(missing: &[AbsentColumn]) -> String {
    match missing {
        [one] => format!(
            "the input has no column `{}` (for field `{}`)",
            one.column, one.field
        ),
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|m| {
                    if m.column == m.field {
                        format!("`{}`", m.column)
                    } else {
                        format!("`{}` (for field `{}`)", m.column, m.field)
                    }
                })
                .collect();
            format!(
                "the input has none of the columns of {} required fields: {}",
                many.len(),
                listed(&names)
            )
        }
    }
}

/// `a`, `b` and `c`: column names as a message lists them.
fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    listed(&names)
}

/// `a, b and c`.
fn listed(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// Advice for a `--keep` column not found, with names written as `--keep`
/// takes them: a name with a comma or a quote would otherwise be split or
/// misread when typed as shown.
fn keep_help(closest: Option<&str>, header: &[String]) -> String {
    match closest {
        Some(c) if c.contains([',', '"']) => {
            format!("did you mean `{c}`? write it `--keep {}`", keep_argument(c))
        }
        _ => {
            let mut help = missing_column_help(closest, header, "name one of them with --keep");
            let odd = header
                .iter()
                .map(|h| h.trim())
                .find(|h| h.contains([',', '"']));
            if let Some(odd) = odd {
                help.push_str(&format!(
                    " (a name with a comma or a quote goes in double quotes, its quotes doubled: `--keep {}`)",
                    keep_argument(odd)
                ));
            }
            help
        }
    }
}

/// Advice for several columns not found: the delimiter the header hides, else
/// the close names there are, and every column the input has.
fn missing_columns_help(missing: &[AbsentColumn], header: &[String]) -> String {
    if let Some(d) = hidden_delimiter(header) {
        return format!(
            "the header reads as one column, so the file is probably not comma-separated: try `--delimiter {d:?}`"
        );
    }
    let mut help = String::new();
    for m in missing {
        if let Some(c) = &m.closest {
            help.push_str(&format!("did you mean `{c}` for `{}`? ", m.column));
        }
    }
    help.push_str(&format!(
        "{}; name each field's column with `from \"...\"`, or mark the field `optional`",
        columns_there(header)
    ));
    help
}

/// "the columns are `a`, `b`": every column of the header.
fn columns_there(header: &[String]) -> String {
    if header.is_empty() {
        return "the input names no columns".into();
    }
    let names: Vec<String> = header.iter().map(|h| format!("`{}`", h.trim())).collect();
    format!("the columns are {}", names.join(", "))
}

/// Advice for a column not found: the delimiter the header hides, else the
/// closest column, else the columns there are and `otherwise`.
fn missing_column_help(closest: Option<&str>, header: &[String], otherwise: &str) -> String {
    if let Some(d) = hidden_delimiter(header) {
        return format!(
            "the header reads as one column, so the file is probably not comma-separated: try `--delimiter {d:?}`"
        );
    }
    if let Some(c) = closest {
        return format!("did you mean `{c}`?");
    }
    format!("{}; {otherwise}", columns_there(header))
}

/// The usual delimiter hidden in a header read as one cell (`a;b;c`).
fn hidden_delimiter(header: &[String]) -> Option<char> {
    match header {
        [only] => [';', '\t', '|'].into_iter().find(|&d| only.contains(d)),
        _ => None,
    }
}
