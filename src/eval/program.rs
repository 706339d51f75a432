//! The fast evaluator: a compiled [`Program`] and one inquiry in, an
//! [`Outcome`] out, with nothing allocated per row.
//!
//! Nodes are evaluated on demand (so `and`/`or` still skip what cannot change
//! the result); a node used in several places is computed once per row and
//! remembered, stamped with the row's generation so nothing is cleared between
//! rows. A text cell is folded (trimmed, lowercased) at most once per row.

use super::engine::Engine;
use super::reference::arith;
use super::text_memo::TextMemo;
use super::{decayed_points, per_unit_points, time, total_score, Outcome};
use crate::ast::{CompareOp, TextOp};
use crate::io::cells::trim;
use crate::model::Value;
use crate::program::{number_key, Earn, Node, NodeId, Program, Set, HASH_ABOVE};
use regex_automata::{Input, PatternSet};
use std::cmp::Ordering;

/// A value while evaluating: text is a reference to a cell or a constant.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val {
    Missing,
    Bool(bool),
    Num(f64),
    Date(i32),
    FieldText(u32),
    ConstText(u32),
}

/// The program with its run's as-of date, as an [`Engine`].
pub struct Fast<'p> {
    pub program: &'p Program,
    pub as_of: i32,
}

/// Per-worker buffers, reused from row to row.
pub struct Scratch {
    outcome: Outcome,
    memo: Vec<Val>,
    stamp: Vec<u32>,
    generation: u32,
    folded: Vec<String>,
    folded_stamp: Vec<u32>,
    set_hits: Vec<PatternSet>,
    /// Which members of each regex set matched this row, one bit each.
    set_bits: Vec<u64>,
    set_stamp: Vec<u32>,
    /// Regex results by cell text: one memo per regex set, one per regex.
    set_memo: Vec<TextMemo>,
    regex_memo: Vec<TextMemo>,
    /// Whether each node is worth remembering (used more than once, not trivial).
    remember: Vec<bool>,
}

impl Engine for Fast<'_> {
    type Scratch = Scratch;

    fn scratch(&self) -> Scratch {
        let p = self.program;
        let m = &p.model;
        Scratch {
            outcome: Outcome {
                score: 0.0,
                group_scores: vec![0.0; m.groups.len()],
                points: vec![0.0; m.criteria.len()],
                matched: vec![false; m.criteria.len()],
                disqualified: None,
                stage: 0,
            },
            memo: vec![Val::Missing; p.nodes.len()],
            stamp: vec![0; p.nodes.len()],
            generation: 0,
            folded: vec![String::new(); m.fields.len()],
            folded_stamp: vec![0; m.fields.len()],
            set_hits: p
                .regex_sets
                .iter()
                .map(|s| PatternSet::new(s.set.pattern_len()))
                .collect(),
            set_bits: vec![0; p.regex_sets.len()],
            set_stamp: vec![0; p.regex_sets.len()],
            set_memo: p.regex_sets.iter().map(|_| TextMemo::default()).collect(),
            regex_memo: p.regexes.iter().map(|_| TextMemo::default()).collect(),
            remember: p
                .nodes
                .iter()
                .zip(&p.uses)
                .map(|(n, &u)| u > 1 && !matches!(n, Node::Const(_) | Node::Field(_)))
                .collect(),
        }
    }

    fn evaluate<'s>(&self, values: &[Value], s: &'s mut Scratch) -> &'s Outcome {
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            s.stamp.iter_mut().for_each(|x| *x = 0);
            s.folded_stamp.iter_mut().for_each(|x| *x = 0);
            s.set_stamp.iter_mut().for_each(|x| *x = 0);
            s.generation = 1;
        }
        let cx = Ctx {
            p: self.program,
            values,
            as_of: self.as_of,
        };
        let p = self.program;
        for code in &p.criteria {
            let (matched, points) = match &code.earn {
                Earn::Fixed { condition, decay } => {
                    if cx.val(s, *condition) == Val::Bool(true) {
                        match decayed_points(code.points, decay, values, self.as_of) {
                            Some(points) => (true, points),
                            None => (false, 0.0),
                        }
                    } else {
                        (false, 0.0)
                    }
                }
                Earn::PerUnit {
                    amount,
                    cap,
                    condition,
                } => {
                    let gate = condition.is_none_or(|c| cx.val(s, c) == Val::Bool(true));
                    match (gate, cx.val(s, *amount)) {
                        (true, Val::Num(a)) => {
                            let points = per_unit_points(code.points, a, *cap);
                            (points != 0.0, points)
                        }
                        _ => (false, 0.0),
                    }
                }
            };
            s.outcome.matched[code.criterion] = matched;
            s.outcome.points[code.criterion] = points;
        }
        s.outcome.score = total_score(&p.model, &s.outcome.points, &mut s.outcome.group_scores);
        s.outcome.disqualified = None;
        for (i, &d) in p.disqualifiers.iter().enumerate() {
            if cx.val(s, d) == Val::Bool(true) {
                s.outcome.disqualified = Some(i);
                break;
            }
        }
        s.outcome.stage = if s.outcome.disqualified.is_some() {
            p.stages.len()
        } else {
            let mut stage = p.stages.len().saturating_sub(1);
            for (i, cond) in p.stages.iter().enumerate() {
                if cond.is_none_or(|c| cx.val(s, c) == Val::Bool(true)) {
                    stage = i;
                    break;
                }
            }
            stage
        };
        &s.outcome
    }
}

struct Ctx<'a> {
    p: &'a Program,
    values: &'a [Value],
    as_of: i32,
}

fn known(b: Option<bool>) -> Val {
    b.map_or(Val::Missing, Val::Bool)
}

impl Ctx<'_> {
    fn val(&self, s: &mut Scratch, id: NodeId) -> Val {
        let i = id as usize;
        if s.remember[i] {
            if s.stamp[i] == s.generation {
                return s.memo[i];
            }
            let v = self.compute(s, id);
            s.memo[i] = v;
            s.stamp[i] = s.generation;
            v
        } else {
            self.compute(s, id)
        }
    }

    /// An operand's value: a field or constant read in place, anything else
    /// through [`Ctx::val`]. Most operands are leaves, and a two-way test here
    /// predicts far better than a second trip through `compute`'s jump table.
    #[inline(always)]
    fn operand(&self, s: &mut Scratch, id: NodeId) -> Val {
        match self.p.nodes[id as usize] {
            Node::Field(f) => self.field(f),
            Node::Const(k) => self.constant(k),
            _ => self.val(s, id),
        }
    }

    #[inline]
    fn field(&self, f: usize) -> Val {
        match self.values.get(f) {
            Some(Value::Bool(b)) => Val::Bool(*b),
            Some(Value::Number(n)) => Val::Num(*n),
            Some(Value::Date(d)) => Val::Date(*d),
            Some(Value::Text(_)) => Val::FieldText(f as u32),
            Some(Value::Missing) | None => Val::Missing,
        }
    }

    #[inline]
    fn constant(&self, k: u32) -> Val {
        match &self.p.consts[k as usize].value {
            Value::Missing => Val::Missing,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(*n),
            Value::Date(d) => Val::Date(*d),
            Value::Text(_) => Val::ConstText(k),
        }
    }

    fn truth(&self, s: &mut Scratch, id: NodeId) -> Option<bool> {
        match self.val(s, id) {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn compute(&self, s: &mut Scratch, id: NodeId) -> Val {
        let p = self.p;
        match p.nodes[id as usize] {
            Node::Const(k) => self.constant(k),
            Node::Field(f) => self.field(f),
            Node::Score => Val::Num(s.outcome.score),
            Node::GroupScore(g) => Val::Num(s.outcome.group_scores[g]),
            Node::Matched(c) => Val::Bool(s.outcome.matched[c]),
            Node::AtLeast(n, args) => {
                let (mut yes, mut unknown) = (0u32, 0u32);
                for &a in p.operands(args) {
                    match self.truth(s, a) {
                        Some(true) => yes += 1,
                        Some(false) => {}
                        None => unknown += 1,
                    }
                }
                if yes >= n {
                    Val::Bool(true)
                } else if yes + unknown < n {
                    Val::Bool(false)
                } else {
                    Val::Missing
                }
            }
            Node::And(args) => {
                let mut unknown = false;
                for &a in p.operands(args) {
                    match self.truth(s, a) {
                        Some(false) => return Val::Bool(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown {
                    Val::Missing
                } else {
                    Val::Bool(true)
                }
            }
            Node::Or(args) => {
                let mut unknown = false;
                for &a in p.operands(args) {
                    match self.truth(s, a) {
                        Some(true) => return Val::Bool(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown {
                    Val::Missing
                } else {
                    Val::Bool(false)
                }
            }
            Node::DaysSince(x) => match self.operand(s, x) {
                Val::Date(d) => Val::Num((self.as_of - d) as f64),
                _ => Val::Missing,
            },
            Node::BusinessDaysSince(x) => match self.operand(s, x) {
                Val::Date(d) => {
                    Val::Num(time::business_days_between(d, self.as_of, &p.holidays) as f64)
                }
                _ => Val::Missing,
            },
            Node::Neg(x) => match self.operand(s, x) {
                Val::Num(n) => Val::Num(-n),
                _ => Val::Missing,
            },
            Node::Not(x) => known(self.truth(s, x).map(|b| !b)),
            Node::Arith(op, a, b) => match (self.operand(s, a), self.operand(s, b)) {
                (Val::Num(a), Val::Num(b)) => match arith(op, a, b) {
                    Value::Number(n) => Val::Num(n),
                    _ => Val::Missing,
                },
                _ => Val::Missing,
            },
            Node::Compare(op, a, b) => {
                let (a, b) = (self.operand(s, a), self.operand(s, b));
                if matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    if let Some(same) = self.ascii_equals(a, b) {
                        return Val::Bool(same == (op == CompareOp::Eq));
                    }
                }
                known(self.order(s, a, b).map(|o| holds(op, o)))
            }
            Node::Between(x, lo, hi) => {
                let (x, lo, hi) = (self.operand(s, x), self.operand(s, lo), self.operand(s, hi));
                let above = self.order(s, x, lo).map(|o| holds(CompareOp::Ge, o));
                let below = self.order(s, x, hi).map(|o| holds(CompareOp::Le, o));
                known(match (above, below) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                })
            }
            Node::In(x, set, negated) => self.in_set(s, x, set, negated),
            Node::TextTest(op, a, b) => self.text_test(s, op, a, b),
            Node::Matches(x, r) => self.matches(s, x, r),
            Node::IsMissing(x) => Val::Bool(self.operand(s, x) == Val::Missing),
            Node::IsPresent(x) => Val::Bool(self.operand(s, x) != Val::Missing),
        }
    }

    /// Kept out of [`Ctx::compute`] so its common arms stay small and quick.
    #[inline(never)]
    fn in_set(&self, s: &mut Scratch, x: NodeId, set: u32, negated: bool) -> Val {
        let p = self.p;
        let v = self.operand(s, x);
        let found = match (v, &p.sets[set as usize], self.ascii_cell(v)) {
            (Val::Missing, _, _) => return Val::Missing,
            // A short list against an ASCII cell: compared in place, unfolded.
            (_, Set::Texts(list, _), Some(t)) if list.len() <= HASH_ABOVE => {
                list.iter().any(|m| t.eq_ignore_ascii_case(m))
            }
            (Val::FieldText(_) | Val::ConstText(_), Set::Texts(list, hashed), _) => {
                let t = self.folded(s, v);
                if list.len() > HASH_ABOVE {
                    hashed.contains(t)
                } else {
                    list.iter().any(|m| m == t)
                }
            }
            (Val::Num(n), Set::Numbers(list, hashed), _) => {
                if list.len() > HASH_ABOVE {
                    hashed.contains(&number_key(n))
                } else {
                    list.contains(&n)
                }
            }
            (Val::Date(d), Set::Dates(list, hashed), _) => {
                if list.len() > HASH_ABOVE {
                    hashed.contains(&d)
                } else {
                    list.contains(&d)
                }
            }
            _ => false,
        };
        Val::Bool(found != negated)
    }

    /// Kept out of [`Ctx::compute`] so its common arms stay small and quick.
    #[inline(never)]
    fn text_test(&self, s: &mut Scratch, op: TextOp, a: NodeId, b: NodeId) -> Val {
        let (a, b) = (self.operand(s, a), self.operand(s, b));
        if !is_text(a) || !is_text(b) {
            return Val::Missing;
        }
        if let (Some(h), Val::ConstText(k), TextOp::StartsWith | TextOp::EndsWith) =
            (self.ascii_cell(a), b, op)
        {
            // An ASCII cell against a folded constant: compare its
            // ends in place, ignoring ASCII case, without folding it.
            let n = self.p.consts[k as usize].folded.as_deref().unwrap_or("");
            let (h, n) = (h.as_bytes(), n.as_bytes());
            let end = match op {
                TextOp::StartsWith => h.get(..n.len()),
                _ => h.len().checked_sub(n.len()).map(|i| &h[i..]),
            };
            return Val::Bool(end.is_some_and(|e| e.eq_ignore_ascii_case(n)));
        }
        self.fold_into(s, a);
        self.fold_into(s, b);
        let (h, n) = (self.folded_ref(s, a), self.folded_ref(s, b));
        Val::Bool(match op {
            TextOp::Contains => h.contains(n),
            TextOp::StartsWith => h.starts_with(n),
            TextOp::EndsWith => h.ends_with(n),
        })
    }

    /// Kept out of [`Ctx::compute`] so its common arms stay small and quick.
    #[inline(never)]
    fn matches(&self, s: &mut Scratch, x: NodeId, r: u32) -> Val {
        let p = self.p;
        let v = self.operand(s, x);
        let text = match v {
            Val::FieldText(f) => match &self.values[f as usize] {
                Value::Text(t) => t.as_str(),
                _ => return Val::Missing,
            },
            Val::ConstText(k) => match &p.consts[k as usize].value {
                Value::Text(t) => t.as_str(),
                _ => return Val::Missing,
            },
            _ => return Val::Missing,
        };
        let code = &p.regexes[r as usize];
        match (code.in_set, v) {
            (Some((set, member)), Val::FieldText(f)) if p.regex_sets[set].field == f as usize => {
                if s.set_stamp[set] != s.generation {
                    let (hits, regexes) = (&mut s.set_hits[set], &p.regex_sets[set].set);
                    // At most 64 members (compile::regexes::MAX_SET_MEMBERS).
                    s.set_bits[set] = s.set_memo[set].get_or(text, |text| {
                        hits.clear();
                        regexes.which_overlapping_matches(&Input::new(text), hits);
                        hits.iter().fold(0u64, |bits, m| bits | 1 << m.as_usize())
                    });
                    s.set_stamp[set] = s.generation;
                }
                Val::Bool(s.set_bits[set] >> member & 1 == 1)
            }
            _ => Val::Bool(
                s.regex_memo[r as usize].get_or(text, |t| u64::from(code.regex.is_match(t))) == 1,
            ),
        }
    }

    /// Orders two present values of the same kind; text compares folded.
    fn order(&self, s: &mut Scratch, a: Val, b: Val) -> Option<Ordering> {
        match (a, b) {
            (Val::Num(x), Val::Num(y)) => x.partial_cmp(&y),
            (Val::Date(x), Val::Date(y)) => Some(x.cmp(&y)),
            (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(&y)),
            (a, b) if is_text(a) && is_text(b) => {
                self.fold_into(s, a);
                self.fold_into(s, b);
                Some(self.folded_ref(s, a).cmp(self.folded_ref(s, b)))
            }
            _ => None,
        }
    }

    /// A text cell, trimmed, when it is all ASCII: then folding it is just
    /// ASCII lowercasing, and it can be compared with a folded constant in
    /// place (`eq_ignore_ascii_case`) instead of being copied and folded.
    #[inline]
    fn ascii_cell(&self, v: Val) -> Option<&str> {
        match v {
            Val::FieldText(f) => match &self.values[f as usize] {
                Value::Text(t) => Some(trim(t)).filter(|t| t.is_ascii()),
                _ => None,
            },
            _ => None,
        }
    }

    /// `cell = "constant"` (either way round) for an ASCII cell, without
    /// folding; `None` for every other pair of values.
    fn ascii_equals(&self, a: Val, b: Val) -> Option<bool> {
        let (cell, k) = match (a, b) {
            (Val::FieldText(_), Val::ConstText(k)) => (a, k),
            (Val::ConstText(k), Val::FieldText(_)) => (b, k),
            _ => return None,
        };
        let t = self.ascii_cell(cell)?;
        let folded = self.p.consts[k as usize].folded.as_deref().unwrap_or("");
        Some(t.eq_ignore_ascii_case(folded))
    }

    fn folded<'s>(&'s self, s: &'s mut Scratch, v: Val) -> &'s str {
        self.fold_into(s, v);
        self.folded_ref(s, v)
    }

    /// Fold a text cell once per row into the scratch.
    fn fold_into(&self, s: &mut Scratch, v: Val) {
        if let Val::FieldText(f) = v {
            let f = f as usize;
            if s.folded_stamp[f] == s.generation {
                return;
            }
            let buf = &mut s.folded[f];
            buf.clear();
            if let Value::Text(t) = &self.values[f] {
                let t = trim(t);
                if t.is_ascii() {
                    // Copy then lowercase in place: a memcpy and a tight loop,
                    // not a push per char.
                    buf.push_str(t);
                    buf.make_ascii_lowercase();
                } else {
                    // Full Unicode lowercasing (final sigma and all), as the
                    // reference does; rare enough to allocate.
                    buf.push_str(&t.to_lowercase());
                }
            }
            s.folded_stamp[f] = s.generation;
        }
    }

    fn folded_ref<'s>(&'s self, s: &'s Scratch, v: Val) -> &'s str {
        match v {
            Val::FieldText(f) => &s.folded[f as usize],
            Val::ConstText(k) => self.p.consts[k as usize].folded.as_deref().unwrap_or(""),
            _ => "",
        }
    }
}

fn is_text(v: Val) -> bool {
    matches!(v, Val::FieldText(_) | Val::ConstText(_))
}

fn holds(op: CompareOp, o: Ordering) -> bool {
    match op {
        CompareOp::Eq => o == Ordering::Equal,
        CompareOp::Ne => o != Ordering::Equal,
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Le => o != Ordering::Greater,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Ge => o != Ordering::Less,
    }
}
