//! Points-by-value criteria by entry: conversion for each entry of
//! `points by FIELD { ... }`, so a review sees whether the points follow it.
//!
//! In: one points-by-value criterion and, per inquiry, its field's value and
//! whether it converted ([`EntryCounts::add`]). Out: an [`EntryTable`]: one
//! row per keyed entry in the order written, then `otherwise` (present values
//! no key names) and `missing`, each with its count, conversions and the
//! Wilson 95% interval; rows nobody fell in are left out.

use super::intervals::{wilson, Interval};
use super::stats::rate;
use crate::model::{Earning, Model, Value};
use crate::semantics::outcome::{entry_of, Entry};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryTable {
    pub criterion: String,
    pub rows: Vec<EntryRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRow {
    /// `"API"`, `otherwise`, `missing`.
    pub entry: String,
    /// The entry's points; `None` for a missing value (it earns nothing).
    pub points: Option<f64>,
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    pub interval: Option<Interval>,
}

/// Inquiries and conversions per entry of one criterion: keyed entries,
/// then otherwise, then missing.
pub struct EntryCounts {
    pub criterion: usize,
    counts: Vec<[u64; 2]>,
}

impl EntryCounts {
    /// One per points-by-value criterion of `model`, in definition order.
    pub fn for_model(model: &Model) -> Vec<EntryCounts> {
        model
            .criteria
            .iter()
            .enumerate()
            .filter_map(|(c, crit)| match &crit.earning {
                Earning::ByValue { entries, .. } => Some(EntryCounts {
                    criterion: c,
                    counts: vec![[0; 2]; entries.len() + 2],
                }),
                _ => None,
            })
            .collect()
    }

    pub fn add(&mut self, model: &Model, values: &[Value], converted: bool) {
        let Earning::ByValue { field, entries, .. } = &model.criteria[self.criterion].earning
        else {
            return;
        };
        let n = entries.len();
        let slot = match entry_of(values.get(*field).unwrap_or(&Value::Missing), entries) {
            Entry::Listed(i) => i,
            Entry::Otherwise => n,
            Entry::Missing => n + 1,
        };
        self.counts[slot][0] += 1;
        self.counts[slot][1] += u64::from(converted);
    }

    pub fn finish(&self, model: &Model) -> EntryTable {
        let crit = &model.criteria[self.criterion];
        // Made for points-by-value criteria only ([`EntryCounts::for_model`]).
        let (entries, otherwise) = match &crit.earning {
            Earning::ByValue {
                entries, otherwise, ..
            } => (entries.as_slice(), *otherwise),
            _ => (&[][..], 0.0),
        };
        let labels = entries
            .iter()
            .map(|e| (e.key.display(), Some(e.points)))
            .chain([
                ("otherwise".to_string(), Some(otherwise)),
                ("missing".to_string(), None),
            ]);
        let rows = labels
            .zip(&self.counts)
            .filter(|(_, [n, _])| *n > 0)
            .map(|((entry, points), &[n, c])| EntryRow {
                entry,
                points,
                inquiries: n,
                converted: c,
                conversion_rate: rate(c, n),
                interval: wilson(c, n),
            })
            .collect();
        EntryTable {
            criterion: crit.name.clone(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    #[test]
    fn each_entry_counts_its_inquiries_then_otherwise_then_missing() {
        let text = r#"
fields {
  origin one of "API", "Form", "Import" optional
}
criterion "o" points by origin { "Form": 25, "API": 5 }
stage "s" otherwise
"#;
        let model = load_str("t.lead", text).model.expect("checks");
        let mut counts = EntryCounts::for_model(&model);
        assert_eq!(counts.len(), 1);
        let t = |s: &str| Value::Text(s.into());
        for (v, won) in [
            (t("form"), true),
            (t("Form"), true),
            (t("API"), false),
            (t("Import"), true),
            (Value::Missing, false),
            (t(" form "), false),
        ] {
            counts[0].add(&model, &[v], won);
        }
        let table = counts[0].finish(&model);
        let rows: Vec<(&str, Option<f64>, u64, u64)> = table
            .rows
            .iter()
            .map(|r| (r.entry.as_str(), r.points, r.inquiries, r.converted))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("\"Form\"", Some(25.0), 3, 2),
                ("\"API\"", Some(5.0), 1, 0),
                ("otherwise", Some(0.0), 1, 1),
                ("missing", None, 1, 0),
            ]
        );
        assert_eq!(table.rows[0].interval, wilson(2, 3));
    }
}
