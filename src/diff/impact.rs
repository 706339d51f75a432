//! What a revision does to real inquiries (`qualify diff --against INPUT`).
//!
//! In: the old and new checked models, their [`DefinitionDiff`], an open inquiry
//! file (read with the old revision's columns) and a decoder for the new
//! revision's columns over the same header. Out: an [`Impact`]: a stage
//! migration matrix, how many inquiries moved, the score shift, changes of
//! disqualification, match counts of the criteria that changed, and a sample
//! of moved inquiries with the criteria that made the difference.
//!
//! The file is read once, through the one file driver ([`crate::driver`]):
//! each row is decoded by each revision and scored under both by the
//! compiled programs, chunks in parallel, then counted in input order. A row
//! either revision rejects is not compared and is counted (and handed to the
//! caller, its reason saying which revision rejected it) as rejected, under
//! the same `--max-rejects` rule as `score`.
//!
//! A revision with aggregates of events reads them from its own fold of the
//! one events file (`--events`), appended after each row's fields as
//! `score --events` does ([`EventsTable::append_aggregates`]).

use super::print;
use super::review::{review, Context, Judged, OutcomesFile, Review};
use super::stage_blame;
use super::{ChangeKind, DefinitionDiff, Kind};
use crate::backtest::outcomes::{OutcomeSource, Resolved};
use crate::driver::{drive, ChunkWork, DriverError, Limits, Rejects};
use crate::eval::engine::Engine;
use crate::eval::events::{EventsTable, Folder};
use crate::eval::program::Fast;
use crate::input::{Decoder, InquiryReader, RawRow, Reject};
use crate::model::{format_score, FieldId, Model, Value};
use crate::number::format_number;
use crate::semantics::Outcome;
use serde::Serialize;
use std::collections::HashMap;

/// Which revision rejected a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectedBy {
    Old,
    New,
    Both,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RowCounts {
    /// Data rows in the input. Always `read == compared + rejected`.
    pub read: u64,
    pub compared: u64,
    pub rejected: u64,
    pub rejected_by_old_only: u64,
    pub rejected_by_new_only: u64,
    /// Rows both revisions read but whose outcome cannot be used (review only).
    #[serde(skip_serializing_if = "is_zero")]
    pub rejected_for_outcome: u64,
    /// `--max-rejects` was reached and reading stopped.
    pub stopped_early: bool,
}

/// Mean, median and the 10th and 90th percentiles (linear interpolation between
/// the closest ranks) of the scores there are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScoreStats {
    pub mean: f64,
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    /// Inquiries without a score (too large to represent), left out of the
    /// figures above; in JSON only when there are any.
    #[serde(skip_serializing_if = "is_zero")]
    pub missing: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisqualificationShift {
    /// The old revision's reason (`None`: not disqualified).
    pub old: Option<String>,
    pub new: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionShift {
    /// The name in the new revision (the old one for a removed criterion).
    pub name: String,
    /// `added`, `removed`, `renamed`, `changed`, or `affected` for a criterion
    /// whose text did not change but which matches differently (it uses a
    /// list, named condition or criterion that changed).
    pub change: String,
    /// Inquiries it matches under each revision (`None`: not in that revision).
    pub old_matches: Option<u64>,
    pub new_matches: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedInquiry {
    /// The `id` field, else `row N`.
    pub id: String,
    pub line: u64,
    pub old_stage: String,
    pub new_stage: String,
    /// `None` when missing (too large to represent).
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    /// What made the difference: criteria whose points changed, a
    /// disqualification, or the stage rules themselves.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    pub input: String,
    pub as_of: String,
    pub rows: RowCounts,
    /// Stage names of the old revision, `disqualified` last (matrix rows).
    pub old_stages: Vec<String>,
    /// Stage names of the new revision, `disqualified` last (matrix columns).
    pub new_stages: Vec<String>,
    /// `matrix[old][new]`: inquiries in old stage `old` and new stage `new`.
    pub matrix: Vec<Vec<u64>>,
    /// Inquiries whose stage changed (a renamed stage is not a change).
    pub moved: u64,
    pub old_score: ScoreStats,
    pub new_score: ScoreStats,
    pub disqualification_changes: Vec<DisqualificationShift>,
    pub criteria: Vec<CriterionShift>,
    /// The first `--show` moved inquiries, in input order.
    pub sample: Vec<MovedInquiry>,
    /// With `--outcome`: what the outcomes say of the revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// How routes moved, when either revision has routes (otherwise the
    /// impact reads as it always did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routes: Option<RouteMigration>,
}

/// Route migration, as the stage migration: old route by new route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteMigration {
    /// Route names of the old revision, then [`NO_ROUTE`] (matrix rows).
    pub old_routes: Vec<String>,
    /// Route names of the new revision, then [`NO_ROUTE`] (matrix columns).
    pub new_routes: Vec<String>,
    /// `matrix[old][new]`: inquiries on old route `old` and new route `new`.
    pub matrix: Vec<Vec<u64>>,
    /// Inquiries whose route changed (a renamed route is not a change).
    pub moved: u64,
}

/// The row and column of inquiries no route took.
pub const NO_ROUTE: &str = "(no route)";

/// A route as a matrix index: none is the last.
fn route_index(route: Option<usize>, routes: usize) -> usize {
    route.unwrap_or(routes)
}

impl Impact {
    /// Moved inquiries as a percentage of those compared.
    pub fn moved_percent(&self) -> f64 {
        if self.rows.compared == 0 {
            0.0
        } else {
            self.moved as f64 * 100.0 / self.rows.compared as f64
        }
    }

    /// Inquiries that entered or left `stage` (by name, in either revision).
    pub fn entering_or_leaving(&self, stage: &str) -> u64 {
        let mut count = 0;
        for (o, row) in self.matrix.iter().enumerate() {
            for (n, cell) in row.iter().enumerate() {
                let (old, new) = (&self.old_stages[o], &self.new_stages[n]);
                if (old == stage) != (new == stage) {
                    count += cell;
                }
            }
        }
        count
    }
}

/// Everything [`measure`] needs besides the file.
pub struct Revisions<'a> {
    pub old: &'a Model,
    pub new: &'a Model,
    pub diff: &'a DefinitionDiff,
    pub as_of: i32,
    pub as_of_label: String,
    /// How many moved inquiries to show.
    pub show: usize,
    /// Stop reading after this many rejected rows.
    pub max_rejects: Option<u64>,
    /// Each revision's aggregates, folded from the one events file
    /// (`--events`) for it; none for a revision that reads no events.
    pub old_events: Option<&'a EventsTable>,
    pub new_events: Option<&'a EventsTable>,
}

/// A revision's events joined to each inquiry: its aggregates appended
/// after its fields, as the compiled program reads them.
struct Join<'a> {
    table: &'a EventsTable,
    folder: Folder<'a>,
    id: FieldId,
}

impl<'a> Join<'a> {
    fn new(model: &'a Model, table: Option<&'a EventsTable>, as_of: i32) -> Option<Self> {
        Some(Join {
            table: table?,
            folder: Folder::new(model, as_of),
            id: model.id_field()?,
        })
    }

    fn widen(join: &Option<Self>, values: &mut Vec<Value>) {
        if let Some(j) = join {
            j.table.append_aggregates(&j.folder, j.id, values);
        }
    }
}

/// A criterion present in one or both revisions.
struct Pair {
    old: Option<usize>,
    new: Option<usize>,
    name: String,
    change: Option<ChangeKind>,
}

fn criterion_pairs(r: &Revisions) -> Vec<Pair> {
    let renames = r.diff.renames_of(Kind::Criterion);
    let changed: HashMap<&str, ChangeKind> = r
        .diff
        .changes_of(Kind::Criterion)
        .map(|c| (c.name.as_str(), c.change))
        .collect();
    // Looked up, not searched for: a large definition stays linear. The first
    // criterion of a name wins, as `Model::criterion_named` would have it.
    let mut new_ids: HashMap<&str, usize> = HashMap::new();
    for (i, c) in r.new.criteria.iter().enumerate() {
        new_ids.entry(c.name.as_str()).or_insert(i);
    }
    let mut paired = vec![false; r.new.criteria.len()];
    let mut pairs: Vec<Pair> = Vec::new();
    for (i, c) in r.old.criteria.iter().enumerate() {
        let new_name = renames.get(&c.name).unwrap_or(&c.name);
        let new = new_ids.get(new_name.as_str()).copied();
        if let Some(n) = new {
            paired[n] = true;
        }
        pairs.push(Pair {
            old: Some(i),
            new,
            name: if new.is_some() {
                new_name.clone()
            } else {
                c.name.clone()
            },
            change: changed.get(c.name.as_str()).copied(),
        });
    }
    for (i, c) in r.new.criteria.iter().enumerate() {
        if !paired[i] {
            pairs.push(Pair {
                old: None,
                new: Some(i),
                name: c.name.clone(),
                change: Some(ChangeKind::Added),
            });
        }
    }
    pairs
}

/// A row as both revisions see it, worked out on a worker thread: only
/// what the counts need, so that no row allocates (the criteria each
/// revision matched are in the chunk's flat `matched`).
enum Compared {
    Both {
        old_stage: usize,
        new_stage: usize,
        old_score: Option<f64>,
        new_score: Option<f64>,
        old_disqualified: Option<usize>,
        new_disqualified: Option<usize>,
        /// The stage changed (a renamed stage is not a change).
        moved: bool,
        /// Each revision's route as a matrix index ([`route_index`]).
        old_route: usize,
        new_route: usize,
        /// The cell the outcome is read from (the outcome, or the id to
        /// join on), when there is a review.
        key: Option<OutcomeKey>,
    },
    Rejected(Reject, RejectedBy),
}

/// Where a row's outcome is read from, and where the row is, to name it
/// when its outcome cannot be used.
struct OutcomeKey {
    row: u64,
    line: u64,
    cell: String,
}

/// A chunk as both revisions see it.
#[derive(Default)]
struct ComparedChunk {
    rows: Vec<Compared>,
    /// Per compared row, for each criterion pair: matched under the old
    /// revision, then under the new.
    matched: Vec<bool>,
    /// The first `--show` moved rows of the chunk, worked out in full: the
    /// first `--show` of the whole input are among them.
    sample: Vec<MovedInquiry>,
}

/// Decode each row with each revision's decoder and score it under both.
struct BothRevisions<'a> {
    old_decoder: Decoder,
    new_decoder: &'a Decoder,
    old_engine: Fast<'a>,
    new_engine: Fast<'a>,
    old_join: Option<Join<'a>>,
    new_join: Option<Join<'a>>,
    revisions: &'a Revisions<'a>,
    pairs: &'a [Pair],
    /// Each old stage's name in the new revision, to tell a move from a rename.
    old_stage_as_new: &'a [&'a str],
    old_stages: &'a [String],
    new_stages: &'a [String],
    /// Each old criterion's and group's index in the new revision.
    old_criterion_in_new: &'a [Option<usize>],
    old_group_in_new: &'a [Option<usize>],
    /// Keep each row's outcome cell (the reader keeps that one column).
    keep_key: bool,
}

/// A worker's buffers: each revision's values and evaluator scratch.
struct Scratch<S> {
    old_values: Vec<Value>,
    new_values: Vec<Value>,
    old: S,
    new: S,
}

impl<'a> ChunkWork for BothRevisions<'a> {
    type Scratch = Scratch<<Fast<'a> as Engine>::Scratch>;
    type Out = ComparedChunk;

    fn scratch(&self) -> Self::Scratch {
        Scratch {
            old_values: Vec::new(),
            new_values: Vec::new(),
            old: self.old_engine.scratch(),
            new: self.new_engine.scratch(),
        }
    }

    fn work(&self, rows: &[RawRow], s: &mut Self::Scratch, out: &mut ComparedChunk) {
        out.rows.clear();
        out.matched.clear();
        out.sample.clear();
        let Scratch {
            old_values,
            new_values,
            old,
            new,
        } = s;
        for raw in rows {
            let old_ok = self.old_decoder.decode(raw, old_values);
            let new_ok = self.new_decoder.decode(raw, new_values);
            let rejected = match (old_ok, new_ok) {
                (Ok(()), Ok(())) => None,
                (Err(e), Ok(())) => Some((e, RejectedBy::Old)),
                (Ok(()), Err(e)) => Some((e, RejectedBy::New)),
                (Err(e), Err(_)) => Some((e, RejectedBy::Both)),
            };
            if let Some((reject, by)) = rejected {
                out.rows.push(Compared::Rejected(*reject, by));
                continue;
            }
            Join::widen(&self.old_join, old_values);
            Join::widen(&self.new_join, new_values);
            let o = self.old_engine.evaluate(old_values, old);
            let n = self.new_engine.evaluate(new_values, new);
            for p in self.pairs {
                out.matched.push(p.old.is_some_and(|i| o.matched[i]));
                out.matched.push(p.new.is_some_and(|i| n.matched[i]));
            }
            let moved = self.old_stage_as_new[o.stage] != self.new_stages[n.stage];
            if moved && out.sample.len() < self.revisions.show {
                out.sample.push(MovedInquiry {
                    id: inquiry_id(self.revisions.new, new_values, raw.row),
                    line: raw.line,
                    old_stage: self.old_stages[o.stage].clone(),
                    new_stage: self.new_stages[n.stage].clone(),
                    old_score: o.score,
                    new_score: n.score,
                    reasons: reasons(
                        self.revisions,
                        self.pairs,
                        &stage_blame::Inquiry {
                            old_values,
                            new_values,
                            old: o,
                            new: n,
                            as_of: self.revisions.as_of,
                            old_criterion_in_new: self.old_criterion_in_new,
                            old_group_in_new: self.old_group_in_new,
                        },
                    ),
                });
            }
            out.rows.push(Compared::Both {
                old_stage: o.stage,
                new_stage: n.stage,
                old_score: o.score,
                new_score: n.score,
                old_disqualified: o.disqualified,
                new_disqualified: n.disqualified,
                moved,
                old_route: route_index(o.route, self.revisions.old.routes.len()),
                new_route: route_index(n.route, self.revisions.new.routes.len()),
                key: self.keep_key.then(|| OutcomeKey {
                    row: raw.row,
                    line: raw.line,
                    cell: self
                        .old_decoder
                        .kept(raw)
                        .into_iter()
                        .next()
                        .unwrap_or_default(),
                }),
            });
        }
    }
}

/// `reject` with its reason saying which revision rejected the row.
fn tagged(reject: Reject, by: RejectedBy) -> Reject {
    let which = match by {
        RejectedBy::Old => "the old revision",
        RejectedBy::New => "the new revision",
        RejectedBy::Both => "both revisions",
    };
    Reject {
        reason: format!("{} (rejected by {which})", reject.reason),
        ..reject
    }
}

/// Score every row of `reader` under both revisions. `on_reject` receives each
/// row either revision rejects (the first revision's reason when both do,
/// followed by which revision rejected it), in input order; `--max-rejects`
/// (`r.max_rejects`) stops the run at the row that reaches it.
///
/// With `outcomes` (the reader then keeps its one column), each row's
/// outcome is read too: a row whose outcome cannot be used is rejected, an
/// open one is compared but left out of the [`Review`], which judges the
/// rest.
pub fn measure(
    reader: InquiryReader,
    new_decoder: &Decoder,
    input_label: &str,
    r: &Revisions,
    mut outcomes: Option<&mut OutcomeSource>,
    on_reject: &mut dyn FnMut(&Reject) -> std::io::Result<()>,
) -> Result<Impact, DriverError> {
    let mut judged: Vec<Judged> = Vec::new();
    let old_stages: Vec<String> = r.old.stage_names().map(str::to_string).collect();
    let new_stages: Vec<String> = r.new.stage_names().map(str::to_string).collect();
    let stage_renames = r.diff.renames_of(Kind::Stage);
    let reason_renames = r.diff.renames_of(Kind::Disqualifier);
    let old_stage_as_new: Vec<&str> = old_stages
        .iter()
        .map(|s| stage_renames.get(s).unwrap_or(s).as_str())
        .collect();
    let pairs = criterion_pairs(r);
    let mut old_criterion_in_new = vec![None; r.old.criteria.len()];
    for p in &pairs {
        if let Some(i) = p.old {
            old_criterion_in_new[i] = p.new;
        }
    }
    let old_group_in_new =
        stage_blame::groups_in_new(r.old, r.new, &r.diff.renames_of(Kind::Group));
    let mut old_matches = vec![0u64; pairs.len()];
    let mut new_matches = vec![0u64; pairs.len()];
    let mut matrix = vec![vec![0u64; new_stages.len()]; old_stages.len()];
    let route_names = |m: &Model| -> Vec<String> {
        m.routes
            .iter()
            .map(|x| x.name.clone())
            .chain([NO_ROUTE.to_string()])
            .collect()
    };
    let (old_routes, new_routes) = (route_names(r.old), route_names(r.new));
    let route_renames = r.diff.renames_of(Kind::Route);
    let old_route_as_new: Vec<&str> = old_routes
        .iter()
        .map(|x| route_renames.get(x).unwrap_or(x).as_str())
        .collect();
    let mut route_matrix = vec![vec![0u64; new_routes.len()]; old_routes.len()];
    let mut routes_moved = 0u64;
    let mut rows = RowCounts::default();
    let (mut old_scores, mut new_scores) = (Vec::new(), Vec::new());
    let mut disqualifications: Vec<DisqualificationShift> = Vec::new();
    let mut sample = Vec::new();
    let mut moved = 0u64;
    // Both revisions run as compiled programs (the same path as `score`; the
    // engines-agree property test holds them to the reference evaluator).
    let (old_program, new_program) = (
        crate::compile::compile(r.old),
        crate::compile::compile(r.new),
    );
    let work = BothRevisions {
        old_decoder: reader.decoder().clone(),
        new_decoder,
        old_engine: Fast {
            program: &old_program,
            as_of: r.as_of,
        },
        new_engine: Fast {
            program: &new_program,
            as_of: r.as_of,
        },
        old_join: Join::new(r.old, r.old_events, r.as_of),
        new_join: Join::new(r.new, r.new_events, r.as_of),
        revisions: r,
        pairs: &pairs,
        old_stage_as_new: &old_stage_as_new,
        old_stages: &old_stages,
        new_stages: &new_stages,
        old_criterion_in_new: &old_criterion_in_new,
        old_group_in_new: &old_group_in_new,
        keep_key: outcomes.is_some(),
    };
    let limits = Limits {
        max_rejects: r.max_rejects,
        reject: on_reject,
        progress: &|_, _| {},
    };
    let run = drive(
        reader,
        &work,
        limits,
        |_, chunk: &mut ComparedChunk, rejects: &mut Rejects| {
            let mut matched = chunk.matched.chunks(2 * pairs.len().max(1));
            let mut chunk_sample = chunk.sample.drain(..);
            for item in chunk.rows.drain(..) {
                rows.read += 1;
                let (stages, o_score, n_score, o_disq, n_disq, is_moved, key) = match item {
                    Compared::Rejected(reject, by) => {
                        rows.rejected += 1;
                        match by {
                            RejectedBy::Old => rows.rejected_by_old_only += 1,
                            RejectedBy::New => rows.rejected_by_new_only += 1,
                            RejectedBy::Both => {}
                        }
                        rejects.reject(&tagged(reject, by))?;
                        continue;
                    }
                    Compared::Both {
                        old_stage,
                        new_stage,
                        old_score,
                        new_score,
                        old_disqualified,
                        new_disqualified,
                        moved,
                        key,
                        old_route,
                        new_route,
                    } => (
                        (old_stage, new_stage, old_route, new_route),
                        old_score,
                        new_score,
                        old_disqualified,
                        new_disqualified,
                        moved,
                        key,
                    ),
                };
                let (o_stage, n_stage, o_route, n_route) = stages;
                // The row's bits of criteria come in order whatever becomes of it.
                let bits = if pairs.is_empty() {
                    &[][..]
                } else {
                    matched.next().unwrap_or_default()
                };
                if let (Some(source), Some(key)) = (outcomes.as_deref_mut(), key) {
                    match source.resolve(&key.cell) {
                        Resolved::Known(converted) => judged.push(Judged {
                            old_stage: o_stage,
                            new_stage: n_stage,
                            old_score: o_score,
                            new_score: n_score,
                            converted,
                        }),
                        Resolved::Open => {}
                        Resolved::Rejected {
                            column,
                            value,
                            reason,
                        } => {
                            rows.rejected += 1;
                            rows.rejected_for_outcome += 1;
                            if is_moved {
                                // Its sample entry is not shown: a rejected row is not compared.
                                chunk_sample.next();
                            }
                            rejects.reject(&Reject {
                                row: key.row,
                                line: key.line,
                                column,
                                value,
                                reason,
                                raw: String::new(),
                            })?;
                            continue;
                        }
                    }
                }
                rows.compared += 1;
                matrix[o_stage][n_stage] += 1;
                route_matrix[o_route][n_route] += 1;
                // No route is the last row and column, whatever a route is called.
                let (o_none, n_none) = (
                    o_route + 1 == old_routes.len(),
                    n_route + 1 == new_routes.len(),
                );
                let same_route =
                    o_none == n_none && old_route_as_new[o_route] == new_routes[n_route];
                routes_moved += u64::from(!same_route);
                old_scores.push(o_score);
                new_scores.push(n_score);
                for (k, both) in bits.chunks(2).enumerate() {
                    old_matches[k] += u64::from(both[0]);
                    new_matches[k] += u64::from(both[1]);
                }
                let old_reason = reason_of(r.old, o_disq)
                    .map(|x| reason_renames.get(x).map_or(x, String::as_str));
                let new_reason = reason_of(r.new, n_disq);
                if old_reason != new_reason {
                    let (old, new) = (
                        reason_of(r.old, o_disq).map(str::to_string),
                        new_reason.map(str::to_string),
                    );
                    match disqualifications
                        .iter_mut()
                        .find(|d| d.old == old && d.new == new)
                    {
                        Some(d) => d.count += 1,
                        None => {
                            disqualifications.push(DisqualificationShift { old, new, count: 1 })
                        }
                    }
                }
                if is_moved {
                    moved += 1;
                    // The chunk's first moved rows come with their sample
                    // entry, in order.
                    if let Some(entry) = chunk_sample.next() {
                        if sample.len() < r.show {
                            sample.push(entry);
                        }
                    }
                }
            }
            Ok(())
        },
    )?;
    rows.stopped_early = run.stopped_early;
    disqualifications.sort_by(|a, b| b.count.cmp(&a.count).then(a.old.cmp(&b.old)));
    let criteria = pairs
        .iter()
        .enumerate()
        .filter_map(|(k, p)| {
            let (before, after) = (p.old.map(|_| old_matches[k]), p.new.map(|_| new_matches[k]));
            let change = match p.change {
                Some(ChangeKind::Added) => "added",
                Some(ChangeKind::Removed) => "removed",
                Some(ChangeKind::Renamed) => "renamed",
                Some(ChangeKind::Changed) => "changed",
                // Unchanged in text, but it matches differently: it refers to a
                // criterion that changed.
                None if before != after => "affected",
                None => return None,
            };
            Some(CriterionShift {
                name: p.name.clone(),
                change: change.to_string(),
                old_matches: before,
                new_matches: after,
            })
        })
        .collect();
    let review = outcomes.map(|source| {
        let context = Context {
            old: r.old,
            new: r.new,
            old_stage_in_new: super::review::old_stages_in_new(r.old, r.new, &stage_renames),
            outcome_column: source.column.clone(),
            open: source.counts.open,
            absent_as_lost: source.counts.absent_as_lost,
            outcomes_file: source.join.as_ref().map(|j| OutcomesFile {
                path: j.path.clone(),
                rows: j.rows,
                unmatched_ids: j.unmatched().len() as u64,
            }),
        };
        review(&context, &judged)
    });
    let routes = (r.old.has_routes() || r.new.has_routes()).then_some(RouteMigration {
        old_routes,
        new_routes,
        matrix: route_matrix,
        moved: routes_moved,
    });
    Ok(Impact {
        routes,
        review,
        input: input_label.to_string(),
        as_of: r.as_of_label.clone(),
        rows,
        old_stages,
        new_stages,
        matrix,
        moved,
        old_score: score_stats(old_scores),
        new_score: score_stats(new_scores),
        disqualification_changes: disqualifications,
        criteria,
        sample,
    })
}

/// The reason of disqualifier `d` of `model`, if any.
fn reason_of(model: &Model, d: Option<usize>) -> Option<&str> {
    d.map(|d| model.disqualifiers[d].reason.as_str())
}

fn inquiry_id(model: &Model, values: &[Value], row: u64) -> String {
    match model.id_field().and_then(|f| values.get(f)) {
        Some(Value::Text(t)) if !t.trim().is_empty() => t.clone(),
        Some(v) if !v.is_missing() => v.display(),
        _ => format!("row {row}"),
    }
}

/// One revision's verdict on a criterion, in words.
fn verdict(outcome: &Outcome, index: Option<usize>) -> String {
    match index {
        None => "absent".into(),
        Some(i) if !outcome.matched[i] => "no match".into(),
        Some(i) if outcome.points[i] == 0.0 => "matched".into(),
        Some(i) => crate::number::signed(outcome.points[i], format_number),
    }
}

/// The criteria whose verdict differs between the revisions, then a change of
/// disqualification, then the changed stage rules that moved the inquiry
/// ([`stage_blame`]); the stage rules when nothing else differs.
fn reasons(r: &Revisions, pairs: &[Pair], q: &stage_blame::Inquiry) -> Vec<String> {
    let (o, n) = (q.old, q.new);
    let mut out = Vec::new();
    for p in pairs {
        let (before, after) = (verdict(o, p.old), verdict(n, p.new));
        // A criterion that is absent on one side and does not match on the
        // other made no difference.
        let no_effect = |x: &str| x == "absent" || x == "no match";
        if before != after && !(no_effect(&before) && no_effect(&after)) {
            out.push(format!("{} {before} → {after}", print::quoted(&p.name)));
        }
    }
    let (old_reason, new_reason) = (o.disqualified_reason(r.old), n.disqualified_reason(r.new));
    if old_reason != new_reason {
        let describe = |x: Option<&str>| {
            x.map_or("not disqualified".to_string(), |x| {
                format!("disqualified {}", print::quoted(x))
            })
        };
        out.push(format!(
            "{} → {}",
            describe(old_reason),
            describe(new_reason)
        ));
    }
    let changed: Vec<&str> = r
        .diff
        .changes_of(Kind::Stage)
        .filter(|c| c.change == ChangeKind::Changed)
        .map(|c| c.name.as_str())
        .collect();
    for stage in stage_blame::blamed_rules(r.old, r.new, &changed, q) {
        if !out.iter().any(|x| x.contains(&print::quoted(&stage))) {
            out.push(format!(
                "the rule of stage {} changed",
                print::quoted(&stage)
            ));
        }
    }
    if out.is_empty() {
        out.push(format!(
            "the stage rules (score {} → {})",
            format_score(o.score),
            format_score(n.score)
        ));
    }
    out
}

/// Mean, median, 10th and 90th percentile of the scores there are in
/// `scores` (all zero when there are none), and how many are missing.
pub fn score_stats(scores: Vec<Option<f64>>) -> ScoreStats {
    let total = scores.len();
    let mut scores: Vec<f64> = scores.into_iter().flatten().collect();
    let missing = (total - scores.len()) as u64;
    if scores.is_empty() {
        return ScoreStats {
            missing,
            ..ScoreStats::default()
        };
    }
    let n = scores.len() as f64;
    let sum = scores.iter().sum::<f64>();
    // Scores near the largest number overflow a plain sum; each one's share
    // of the mean cannot.
    let mean = if sum.is_finite() {
        sum / n
    } else {
        scores.iter().map(|s| s / n).sum::<f64>()
    };
    scores.sort_by(f64::total_cmp);
    ScoreStats {
        mean,
        median: percentile(&scores, 0.5),
        p10: percentile(&scores, 0.1),
        p90: percentile(&scores, 0.9),
        missing,
    }
}

/// The `q` quantile of sorted, non-empty `sorted`, interpolating between ranks.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let at = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    let (lo, hi, t) = (sorted[lo], sorted[hi], at - lo as f64);
    let gap = hi - lo;
    if gap.is_finite() {
        lo + gap * t
    } else {
        // The two scores are further apart than a number can hold.
        lo * (1.0 - t) + hi * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_ranks() {
        let s = score_stats(vec![Some(40.0), Some(10.0), Some(30.0), Some(20.0)]);
        assert_eq!(s.mean, 25.0);
        assert_eq!(s.median, 25.0);
        assert_eq!(s.p10, 13.0);
        assert_eq!(s.p90, 37.0);
        let one = score_stats(vec![Some(7.0)]);
        assert_eq!((one.median, one.p10, one.p90), (7.0, 7.0, 7.0));
        assert_eq!(score_stats(vec![]), ScoreStats::default());
    }

    /// Scores at the ends of what a number holds give finite figures (a plain
    /// sum and a plain gap overflow), and missing scores are counted, not
    /// averaged.
    #[test]
    fn huge_and_missing_scores_give_finite_figures() {
        let s = score_stats(vec![Some(f64::MAX), None, Some(f64::MAX), Some(-f64::MAX)]);
        assert_eq!(s.missing, 1);
        for x in [s.mean, s.median, s.p10, s.p90] {
            assert!(x.is_finite(), "{s:?}");
        }
        assert!(s.mean > 0.0 && s.p90 == f64::MAX && s.p10 < 0.0, "{s:?}");
        let none = score_stats(vec![None, None]);
        assert_eq!((none.missing, none.mean), (2, 0.0));
    }
}
