//! The fast evaluator: a compiled [`Program`] and a batch of inquiries in, one
//! [`Outcome`] per inquiry out, with nothing allocated per row.
//!
//! It works a node at a time over up to [`BATCH`] rows, not a row at a time
//! over the nodes: each node's kind is looked at once per batch, and the loop
//! that follows is one kernel over typed columns ([`super::columns`]). A node
//! is computed when a criterion, disqualifier or stage first needs it, once
//! per batch however many share it. Text tests are computed per distinct text
//! of their field and remembered ([`super::text_groups`]). What no kernel
//! covers is computed row by row ([`super::row_ops`]).
//!
//! Without short-circuits every operand of `and`/`or` is computed for every
//! row; that cannot change a result, because nodes have no side effects and
//! three-valued logic does not depend on the order of its operands.

use super::columns::{self, Column, T};
use super::engine::Engine;
use super::row_ops::{truth, Folds, Row, Val};
use super::text_groups::{self, TextGroup};
use crate::model::Value;
use crate::program::{Earn, Node, NodeId, Program};
use crate::semantics::outcome::{by_value, fixed, per_unit, route, stage, Outcome};
use crate::semantics::score::{finite, total_scores};
use crate::semantics::text::trim;
use crate::semantics::Truth;
use regex_automata::{Input, PatternSet};

/// Rows evaluated together: enough to pay for looking at each node once,
/// few enough that a batch's columns stay in the core's cache.
pub const BATCH: usize = 256;

/// The program with its run's as-of date, as an [`Engine`].
pub struct Fast<'p> {
    pub program: &'p Program,
    pub as_of: i32,
}

/// Per-worker buffers, reused from batch to batch.
pub struct Scratch {
    outcome: Outcome,
    /// One per node, [`BATCH`] rows long.
    cols: Vec<Column>,
    /// The batch a node was last computed for.
    done: Vec<u32>,
    generation: u32,
    /// Constants and text fields: nothing to compute, ever.
    fixed: Vec<bool>,
    groups: Vec<TextGroup>,
    group_of: Vec<Option<u32>>,
    set_hits: Vec<PatternSet>,
    /// Which members of each regex set matched the text at hand, a bit each.
    set_bits: Vec<u64>,
    folds: Folds,
    /// An ASCII cell lowercased, for its field's quick `contains` tests.
    lower: String,
    /// Per criterion (definition order), per row: matched (0/1) and points.
    matched: Vec<Vec<u8>>,
    points: Vec<Vec<f64>>,
    /// Per row, and per group per row; NaN when missing, as in a column.
    score: Vec<f64>,
    group_scores: Vec<Vec<f64>>,
    /// Per row: the first disqualifier that held, and the stage (routes
    /// read it, so it is decided for the batch before they run).
    disqualified: Vec<Option<usize>>,
    stages: Vec<usize>,
}

impl Engine for Fast<'_> {
    type Scratch = Scratch;

    fn scratch(&self) -> Scratch {
        let p = self.program;
        let m = &p.model;
        let (groups, group_of) = text_groups::group(p);
        Scratch {
            outcome: Outcome {
                score: None,
                group_scores: vec![None; m.groups.len()],
                points: vec![0.0; m.criteria.len()],
                matched: vec![false; m.criteria.len()],
                disqualified: None,
                stage: 0,
                route: None,
            },
            cols: p
                .nodes
                .iter()
                .map(|&n| Column::for_node(p, n, BATCH))
                .collect(),
            done: vec![0; p.nodes.len()],
            generation: 0,
            fixed: p
                .nodes
                .iter()
                .map(|&n| {
                    matches!(n, Node::Const(_))
                        || matches!(n, Node::Field(f) if p.model.fields[f].ty == crate::model::Type::Text)
                })
                .collect(),
            groups,
            group_of,
            set_hits: p
                .regex_sets
                .iter()
                .map(|s| PatternSet::new(s.set.pattern_len()))
                .collect(),
            set_bits: vec![0; p.regex_sets.len()],
            folds: Folds::new(m.fields.len()),
            lower: String::new(),
            matched: vec![vec![0; BATCH]; m.criteria.len()],
            points: vec![vec![0.0; BATCH]; m.criteria.len()],
            score: vec![0.0; BATCH],
            group_scores: vec![vec![0.0; BATCH]; m.groups.len()],
            disqualified: vec![None; BATCH],
            stages: vec![0; BATCH],
        }
    }

    fn evaluate<'s>(&self, values: &[Value], s: &'s mut Scratch) -> &'s Outcome {
        self.run(&[values], s);
        self.emit(0, &[values], s);
        &s.outcome
    }

    fn evaluate_each(
        &self,
        rows: &[&[Value]],
        s: &mut Scratch,
        each: &mut dyn FnMut(usize, &Outcome),
    ) {
        for (b, batch) in rows.chunks(BATCH).enumerate() {
            self.run(batch, s);
            for r in 0..batch.len() {
                self.emit(r, batch, s);
                each(b * BATCH + r, &s.outcome);
            }
        }
    }
}

/// Whether row `r` of a yes/no column is true.
#[inline]
fn is_true(col: &Column, r: usize, row: &[Value]) -> bool {
    match col {
        Column::Bool(v) => v[r] == T,
        other => other.val(r, row) == Val::Bool(true),
    }
}

impl Fast<'_> {
    /// Compute criteria, scores, disqualifiers and stages for `rows`
    /// (at most [`BATCH`]).
    fn run(&self, rows: &[&[Value]], s: &mut Scratch) {
        debug_assert!(rows.len() <= BATCH);
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            s.done.iter_mut().for_each(|d| *d = 0);
            s.generation = 1;
        }
        let p = self.program;
        let n = rows.len();
        self.run_groups(s, rows);
        for code in &p.criteria {
            let c = code.criterion;
            match &code.earn {
                Earn::Fixed { condition, decay } => {
                    self.ensure(s, rows, *condition);
                    let cond = &s.cols[*condition as usize];
                    let (matched, points) = (&mut s.matched[c][..n], &mut s.points[c][..n]);
                    if let (Column::Bool(cond), None) = (cond, decay) {
                        // The usual criterion: one branch-free pass. The points
                        // are masked bit by bit (not multiplied by 0 or 1, which
                        // would give -0 for negative points).
                        let bits = code.points.to_bits();
                        for ((m, pts), &v) in matched.iter_mut().zip(points).zip(&cond[..n]) {
                            let held = u64::from(v == T);
                            *m = held as u8;
                            *pts = f64::from_bits(bits & held.wrapping_neg());
                        }
                        continue;
                    }
                    for (r, row) in rows.iter().enumerate() {
                        let held = Truth::from(is_true(cond, r, row));
                        let earned = fixed(held, code.points, decay, row, self.as_of);
                        matched[r] = u8::from(earned.truth.holds());
                        points[r] = earned.points;
                    }
                }
                Earn::PerUnit {
                    amount,
                    cap,
                    condition,
                    decay,
                } => {
                    self.ensure(s, rows, *amount);
                    if let Some(cond) = condition {
                        self.ensure(s, rows, *cond);
                    }
                    for (r, row) in rows.iter().enumerate() {
                        let gate = condition.is_none_or(|g| is_true(&s.cols[g as usize], r, row));
                        let amount = match s.cols[*amount as usize].val(r, row) {
                            Val::Num(a) => Value::Number(a),
                            _ => Value::Missing,
                        };
                        let gate = Truth::from(gate);
                        let (pts, as_of) = (code.points, self.as_of);
                        let earned = per_unit(gate, &amount, pts, *cap, decay, row, as_of);
                        s.matched[c][r] = u8::from(earned.truth.holds());
                        s.points[c][r] = earned.points;
                    }
                }
                Earn::ByValue {
                    field,
                    entries,
                    otherwise,
                } => {
                    for (r, row) in rows.iter().enumerate() {
                        let value = row.get(*field).unwrap_or(&Value::Missing);
                        let (_, earned) = by_value(value, entries, *otherwise);
                        s.matched[c][r] = u8::from(earned.truth.holds());
                        s.points[c][r] = earned.points;
                    }
                }
            }
        }
        total_scores(&p.model, &s.points, &mut s.group_scores, &mut s.score[..n]);
        for &d in &p.disqualifiers {
            self.ensure(s, rows, d);
        }
        for stage in p.stages.iter().flatten() {
            self.ensure(s, rows, *stage);
        }
        for (r, row) in rows.iter().enumerate() {
            let cols = &s.cols;
            let disqualified = p
                .disqualifiers
                .iter()
                .position(|&d| is_true(&cols[d as usize], r, row));
            s.disqualified[r] = disqualified;
            s.stages[r] = stage(disqualified.is_some(), p.stages.len(), |i| {
                p.stages[i].is_none_or(|c| is_true(&cols[c as usize], r, row))
            });
        }
        for route in p.routes.iter().flatten() {
            self.ensure(s, rows, *route);
        }
    }

    /// Fill the scratch's outcome with row `r` of the last batch run.
    fn emit(&self, r: usize, rows: &[&[Value]], s: &mut Scratch) {
        let p = self.program;
        let o = &mut s.outcome;
        for (c, (m, points)) in s.matched.iter().zip(&s.points).enumerate() {
            o.matched[c] = m[r] == 1;
            o.points[c] = points[r];
        }
        o.score = finite(s.score[r]);
        for (g, sums) in s.group_scores.iter().enumerate() {
            o.group_scores[g] = finite(sums[r]);
        }
        let row = rows[r];
        o.disqualified = s.disqualified[r];
        o.stage = s.stages[r];
        o.route = route(p.routes.len(), |i| {
            p.routes[i].is_none_or(|c| is_true(&s.cols[c as usize], r, row))
        });
    }

    /// Make sure node `id` is computed for this batch (its operands first).
    fn ensure(&self, s: &mut Scratch, rows: &[&[Value]], id: NodeId) {
        let i = id as usize;
        if s.fixed[i] || s.done[i] == s.generation {
            return;
        }
        debug_assert!(s.group_of[i].is_none(), "text tests are run first");
        let p = self.program;
        let node = p.nodes[i];
        for a in p.children(node) {
            self.ensure(s, rows, a);
        }
        self.compute(s, rows, i);
        s.done[i] = s.generation;
    }

    fn compute(&self, s: &mut Scratch, rows: &[&[Value]], i: usize) {
        let p = self.program;
        let n = rows.len();
        let node = p.nodes[i];
        let (before, rest) = s.cols.split_at_mut(i);
        let out = &mut rest[0];
        match (node, &mut *out) {
            (Node::Field(f), _) => return out.load_field(f, rows),
            (Node::Score, Column::Num(o)) => return o[..n].copy_from_slice(&s.score[..n]),
            (Node::GroupScore(g), Column::Num(o)) => {
                return o[..n].copy_from_slice(&s.group_scores[g][..n]);
            }
            (Node::Matched(c), Column::Bool(o)) => {
                for (o, &m) in o[..n].iter_mut().zip(&s.matched[c]) {
                    *o = if m == 1 { T } else { columns::F };
                }
                return;
            }
            (Node::StageIs(stage), Column::Bool(o)) => {
                for (o, &at) in o[..n].iter_mut().zip(&s.stages) {
                    *o = if at == stage { T } else { columns::F };
                }
                return;
            }
            _ => {}
        }
        if columns::kernel(p, node, before, out, n, self.as_of) {
            return;
        }
        for (r, values) in rows.iter().enumerate() {
            let row = Row {
                p,
                values,
                as_of: self.as_of,
            };
            s.folds.next_row();
            let operand = |a: NodeId| before[a as usize].val(r, values);
            let v = row.compute(node, &operand, &mut s.folds, None);
            out.store(r, v);
        }
    }

    /// Compute every text test for the batch, a row at a time (so each
    /// row's values are fetched once for all its fields), remembering each
    /// field's answers by the cell's text.
    fn run_groups(&self, s: &mut Scratch, rows: &[&[Value]]) {
        let p = self.program;
        let Scratch {
            groups,
            folds,
            set_hits,
            set_bits,
            cols,
            done,
            generation,
            lower,
            ..
        } = s;
        for (r, values) in rows.iter().enumerate() {
            let row = Row {
                p,
                values,
                as_of: self.as_of,
            };
            for group in groups.iter_mut() {
                let mut all_tests = |text: Option<&str>| -> u64 {
                    folds.next_row();
                    if let Some(text) = text {
                        for &set in &group.sets {
                            let hits = &mut set_hits[set];
                            hits.clear();
                            p.regex_sets[set]
                                .set
                                .which_overlapping_matches(&Input::new(text), hits);
                            set_bits[set] = hits.iter().fold(0u64, |b, m| b | 1 << m.as_usize());
                        }
                    }
                    let leaf = |a: NodeId| match p.nodes[a as usize] {
                        Node::Field(f) => row.field(f),
                        Node::Const(k) => row.constant(k),
                        _ => Val::Missing,
                    };
                    // An ASCII cell, trimmed once for all its quick tests.
                    let ascii = text.map(trim).filter(|t| t.is_ascii());
                    let mut made = false;
                    // Two bits per test: its truth's byte (0, 1 or 2).
                    let mut bits = 0u64;
                    for (j, &m) in group.members.iter().enumerate() {
                        let t = match (ascii, &group.quick[j]) {
                            (Some(cell), Some(q)) => Truth::from(q.holds(cell, lower, &mut made)),
                            _ => truth(row.compute(
                                p.nodes[m as usize],
                                &leaf,
                                folds,
                                Some(set_bits),
                            )),
                        };
                        bits |= u64::from(t.byte()) << (2 * j);
                    }
                    bits
                };
                let bits = match values.get(group.field) {
                    Some(Value::Text(t)) => group.memo.get_or(t, |t| all_tests(Some(t))),
                    _ => all_tests(None),
                };
                for (j, &m) in group.members.iter().enumerate() {
                    if let Column::Bool(c) = &mut cols[m as usize] {
                        c[r] = (bits >> (2 * j) & 3) as u8;
                    }
                }
            }
        }
        for group in groups.iter() {
            for &m in &group.members {
                done[m as usize] = *generation;
            }
        }
    }
}
