//! Hover counts: how many inquiries of a sample file each criterion,
//! disqualifier and stage takes.
//!
//! In: the `sample` setting (a CSV or JSONL inquiry file), a checked model and
//! the as-of day. Out: [`Counts`] over the first [`SAMPLE_ROWS`] rows, scored
//! by the reference evaluator (the meaning every engine is checked against),
//! read through the same reader as `score`, so a row is rejected for the same
//! reasons. The counts are kept until the definition's text or the file
//! changes, so hovering stays instant.

use crate::eval::reference;
use crate::input::{InputOptions, InquiryReader, RowResult};
use crate::model::Model;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// At most this many rows of the sample are read: hover must answer at once,
/// and a few thousand inquiries say how often a rule fires.
pub const SAMPLE_ROWS: usize = 10_000;

/// What the first rows of the sample did.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// The file name, as hover shows it.
    pub file: String,
    /// Rows scored (rejected rows not included).
    pub scored: usize,
    pub rejected: usize,
    /// Whether the file has more rows than were read.
    pub truncated: bool,
    /// Per criterion, in definition order: how many rows it matched.
    pub criteria: Vec<usize>,
    /// Per disqualifier: how many rows it disqualified (the first that held).
    pub disqualifiers: Vec<usize>,
    /// Per stage, then `disqualified`: how many rows ended there.
    pub stages: Vec<usize>,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

/// The last counts, and what they were computed from.
#[derive(Default)]
pub struct SampleCache {
    key: Option<(PathBuf, String, Option<SystemTime>, i32)>,
    counts: Counts,
}

impl SampleCache {
    pub fn counts(&mut self, path: &Path, definition: &str, model: &Model, as_of: i32) -> Counts {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let key = (path.to_path_buf(), definition.to_string(), modified, as_of);
        if self.key.as_ref() != Some(&key) {
            self.counts = count(path, model, as_of);
            self.key = Some(key);
        }
        self.counts.clone()
    }
}

/// Score the first [`SAMPLE_ROWS`] rows of `path`.
pub fn count(path: &Path, model: &Model, as_of: i32) -> Counts {
    let file = path.display().to_string();
    let mut counts = Counts {
        file: path
            .file_name()
            .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned()),
        criteria: vec![0; model.criteria.len()],
        disqualifiers: vec![0; model.disqualifiers.len()],
        stages: vec![0; model.stages.len() + 1],
        ..Counts::default()
    };
    let mut reader = match InquiryReader::open(&file, &InputOptions::default(), model, &[]) {
        Ok(reader) => reader,
        Err(e) => {
            counts.error = Some(e.to_string());
            return counts;
        }
    };
    for row in reader.rows() {
        if counts.scored + counts.rejected == SAMPLE_ROWS {
            counts.truncated = true;
            break;
        }
        match row {
            Err(e) => {
                counts.error = Some(e.to_string());
                break;
            }
            Ok(RowResult::Reject(_)) => counts.rejected += 1,
            Ok(RowResult::Row(inquiry)) => {
                let outcome = reference::evaluate(model, &inquiry.values, as_of);
                counts.scored += 1;
                for (n, matched) in counts.criteria.iter_mut().zip(&outcome.matched) {
                    *n += usize::from(*matched);
                }
                if let Some(d) = outcome.disqualified {
                    counts.disqualifiers[d] += 1;
                }
                if let Some(n) = counts.stages.get_mut(outcome.stage) {
                    *n += 1;
                }
            }
        }
    }
    counts
}

impl Counts {
    /// "12 of 200 inquiries in `sample.csv` (6%)", with what was left out.
    pub fn of(&self, n: usize) -> String {
        if let Some(e) = &self.error {
            return format!("no counts: {e}");
        }
        let share = if self.scored == 0 {
            String::new()
        } else {
            format!(" ({:.0}%)", 100.0 * n as f64 / self.scored as f64)
        };
        let mut text = format!(
            "{n} of {} in `{}`{share}",
            crate::plural::count(self.scored, "inquiry", "inquiries"),
            self.file
        );
        if self.truncated {
            text.push_str(&format!(", its first {SAMPLE_ROWS} rows"));
        }
        if self.rejected > 0 {
            text.push_str(&format!(
                "; {} rejected",
                crate::plural::count(self.rejected, "row", "rows")
            ));
        }
        text
    }
}
