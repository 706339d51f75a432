//! The options every inquiry-reading command shares: format, delimiter and
//! as-of date in, the format, delimiter and date to read a given path with
//! out. (The command line's face of them is `cli::args::InputArgs`.)

use crate::model::days_from_date;
use chrono::NaiveDate;
use std::path::Path;

/// How inquiry files are read: format, delimiter, as-of date. (Where rejected
/// rows go is each command's own option: what it means differs.)
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Input format (default: by extension; `.jsonl`/`.ndjson` are JSONL, the rest CSV).
    pub input_format: Option<InputFormat>,
    /// Cell delimiter of CSV input, one character (default `,`; tab for `.tsv`).
    pub delimiter: Option<u8>,
    /// Date `days since` counts from (default today).
    pub as_of: Option<NaiveDate>,
}

/// The format of an inquiry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated (or `--delimiter`) values with a header row.
    Csv,
    /// One JSON object per line; keys are column names.
    Jsonl,
}

impl InputOptions {
    /// The format to read `path` with: `--input-format`, else by extension
    /// (`-`, stdin, is CSV unless told otherwise).
    pub fn format_for(&self, path: &str) -> InputFormat {
        self.input_format
            .unwrap_or_else(|| match extension(path).as_deref() {
                Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
                _ => InputFormat::Csv,
            })
    }

    /// The CSV delimiter for `path`: `--delimiter`, else tab for `.tsv`, else `,`.
    pub fn delimiter_for(&self, path: &str) -> u8 {
        self.delimiter.unwrap_or_else(|| {
            if extension(path).as_deref() == Some("tsv") {
                b'\t'
            } else {
                b','
            }
        })
    }

    /// The as-of date (default today, local time) and the same as days since 1970.
    pub fn as_of(&self) -> (NaiveDate, i32) {
        let date = self
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        (date, days_from_date(date))
    }
}

fn extension(path: &str) -> Option<String> {
    Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// `--delimiter`: one ASCII character, or `\t` / `tab` for a tab. Not the
/// quote (it quotes cells) nor a line end (it ends rows).
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Ok(s.as_bytes()[0])
        }
        _ => Err(format!(
            "`{s}` cannot be the delimiter: it must be a single ASCII character other than the quote `\"`, CR or LF, such as `;`, `|` or `\\t`"
        )),
    }
}

/// `--as-of`: a date written YYYY-MM-DD with a four-digit year, as dates are
/// written in a definition. chrono's `%Y` alone takes `26-11-23` as the year
/// 26, and `+2026-11-23` or `2026-1-5` as well.
pub fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    super::cells::iso_digits(s)
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_delimiter_follow_the_extension_unless_told() {
        let opts = InputOptions::default();
        assert_eq!(opts.format_for("a.JSONL"), InputFormat::Jsonl);
        assert_eq!(opts.format_for("a.csv"), InputFormat::Csv);
        assert_eq!(opts.format_for("-"), InputFormat::Csv);
        assert_eq!(opts.delimiter_for("a.tsv"), b'\t');
        assert_eq!(opts.delimiter_for("a.csv"), b',');
        let told = InputOptions {
            input_format: Some(InputFormat::Csv),
            delimiter: Some(b';'),
            ..Default::default()
        };
        assert_eq!(told.format_for("a.jsonl"), InputFormat::Csv);
        assert_eq!(told.delimiter_for("a.tsv"), b';');
    }

    #[test]
    fn as_of_dates_are_written_as_in_a_definition() {
        assert_eq!(
            parse_date_arg("2026-11-23"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        );
        for bad in [
            "26-11-23",
            "+2026-11-23",
            "2026-1-05",
            " 2026-11-23",
            "2026-02-30",
        ] {
            assert!(parse_date_arg(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn delimiters_are_one_character() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("\\t"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
    }
}
