//! The names of the columns `score` writes, and which two would clash.
//!
//! In: the names a definition gives its groups and criteria, and the options
//! that add columns (`--keep`, `--points`, `--explain`). Out: the column names
//! in order, each with what puts it there, and every pair named alike.
//!
//! One list for both readers: the result writer
//! ([`crate::output::results::ResultLayout`]) writes its header from it, and
//! `check` (its `output_columns` pass) warns from it, so they cannot disagree.
//! It lives here, in the front, so that `check` need not import the output
//! stage above it.

use std::collections::hash_map::{Entry, HashMap};

/// The result columns of one run, before any row is written.
#[derive(Debug, Clone, Copy)]
pub struct ColumnPlan<'a> {
    /// The definition has an `id` field: the first column is `id`, else `row`.
    pub id_field: bool,
    pub groups: &'a [String],
    pub criteria: &'a [String],
    pub keep: &'a [String],
    /// The definition has routes: a `route` column after `matched`.
    pub routes: bool,
    /// `--points`: one column per criterion.
    pub points: bool,
    /// `--explain`: a `why` column.
    pub why: bool,
    /// `--handoff`: a last `handoff` column.
    pub handoff: bool,
}

/// What puts a column in the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnSource {
    /// Always there: `id` or `row`, `score`, `stage`, `disqualified`,
    /// `matched`; and `route` when the definition has routes.
    Fixed,
    /// The sub-score of the definition's n-th group.
    Group(usize),
    /// A `--keep` column.
    Keep,
    /// `--points`: the points of the definition's n-th criterion.
    Points(usize),
    /// `--explain`: the `why` column.
    Why,
    /// `--handoff`: the `handoff` column.
    Handoff,
}

/// Two columns named alike: the earlier, then the later, each with its source.
pub type Clash = [(String, ColumnSource); 2];

impl ColumnPlan<'_> {
    /// The column names, in order, each with what puts it there.
    pub fn sourced_columns(&self) -> Vec<(String, ColumnSource)> {
        let id = if self.id_field { "id" } else { "row" };
        let mut cols = vec![
            (id.to_string(), ColumnSource::Fixed),
            ("score".to_string(), ColumnSource::Fixed),
        ];
        cols.extend(
            (self.groups.iter().enumerate()).map(|(i, g)| (g.clone(), ColumnSource::Group(i))),
        );
        cols.extend(
            ["stage", "disqualified", "matched"].map(|c| (c.to_string(), ColumnSource::Fixed)),
        );
        if self.routes {
            cols.push(("route".to_string(), ColumnSource::Fixed));
        }
        cols.extend((self.keep.iter()).map(|k| (k.clone(), ColumnSource::Keep)));
        if self.points {
            cols.extend(
                (self.criteria.iter().enumerate())
                    .map(|(i, c)| (format!("points: {c}"), ColumnSource::Points(i))),
            );
        }
        if self.why {
            cols.push(("why".to_string(), ColumnSource::Why));
        }
        if self.handoff {
            cols.push(("handoff".to_string(), ColumnSource::Handoff));
        }
        cols
    }

    /// The column names, in order.
    pub fn columns(&self) -> Vec<String> {
        self.sourced_columns()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// Every column named like an earlier one, ignoring ASCII case (a
    /// spreadsheet or a JSON reader could not tell them apart): the earlier
    /// column, then the later one.
    pub fn clashes(&self) -> Vec<Clash> {
        let columns = self.sourced_columns();
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::new();
        for (i, (name, _)) in columns.iter().enumerate() {
            match first.entry(name.to_ascii_lowercase()) {
                Entry::Occupied(e) => out.push([columns[*e.get()].clone(), columns[i].clone()]),
                Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
        out
    }

    /// "two columns named `x`" for a clash from [`ColumnPlan::clashes`].
    pub fn clash_words(first: &str, second: &str) -> String {
        if first == second {
            format!("two columns named `{first}`")
        } else {
            format!("two columns named `{second}` and `{first}`, alike but for case")
        }
    }
}

impl ColumnSource {
    /// The `score` option that adds this column, if one does.
    pub fn option(self) -> Option<&'static str> {
        match self {
            ColumnSource::Keep => Some("--keep"),
            ColumnSource::Points(_) => Some("--points"),
            ColumnSource::Why => Some("--explain"),
            ColumnSource::Handoff => Some("--handoff"),
            ColumnSource::Fixed | ColumnSource::Group(_) => None,
        }
    }

    /// The column `name` from this source, in words: "group `row`'s sub-score".
    pub fn describe(self, plan: &ColumnPlan<'_>, name: &str) -> String {
        let nth = |names: &[String], i: usize| names.get(i).cloned().unwrap_or_default();
        match self {
            ColumnSource::Fixed => format!("the `{name}` column"),
            ColumnSource::Group(i) => format!("group `{}`'s sub-score", nth(plan.groups, i)),
            ColumnSource::Keep => format!("the `--keep` column `{name}`"),
            ColumnSource::Points(i) => format!(
                "the `--points` column of criterion \"{}\"",
                nth(plan.criteria, i)
            ),
            ColumnSource::Why => "the `--explain` column `why`".to_string(),
            ColumnSource::Handoff => "the `--handoff` column `handoff`".to_string(),
        }
    }
}
