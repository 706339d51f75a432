//! The facts of one alternative folded together: what each constrained value
//! can still be, which fields must be present or missing, how opaque facts
//! stand.
//!
//! In: facts ([`Fact`]), one at a time, in any order (folding is order-free:
//! bounds tighten, sets intersect, exclusions add up). Out: whether they can
//! all hold at once. A situation can be copied and extended, so the facts
//! shared by many questions are folded once (see [`super::conjunction`]).

use super::logic::{yes_no, Fact, Key, Truth};
use crate::ast::CompareOp;
use crate::model::{FieldId, Model, Type};
use crate::semantics::text::fold as fold_text;
use std::collections::HashMap;

/// Facts folded so far; borrows them (and the model) for `'a`.
#[derive(Clone)]
pub struct Situation<'a> {
    model: &'a Model,
    present: HashMap<FieldId, bool>,
    ranges: HashMap<&'a Key, Range>,
    texts: HashMap<&'a Key, (Option<Vec<String>>, Vec<String>)>,
    opaque: HashMap<&'a str, Vec<Truth>>,
}

impl<'a> Situation<'a> {
    /// No fact yet: anything can happen.
    pub fn new(model: &'a Model) -> Self {
        Situation {
            model,
            present: HashMap::new(),
            ranges: HashMap::new(),
            texts: HashMap::new(),
            opaque: HashMap::new(),
        }
    }

    /// `facts` folded, when they can all hold.
    pub fn of(model: &'a Model, facts: &'a [Fact]) -> Option<Self> {
        Situation::new(model).with(facts)
    }

    /// This situation and `facts` too, when they can all hold.
    pub fn with(&self, facts: &'a [Fact]) -> Option<Self> {
        let mut next = self.clone();
        (facts.iter().all(|f| next.add(f)) && next.possible()).then_some(next)
    }

    /// Fold one fact in; false when it asks a field to be both present and
    /// missing, or a required field to be missing (then nothing can help).
    fn add(&mut self, fact: &'a Fact) -> bool {
        match fact {
            Fact::Present(f) => self.need(Some(*f), true),
            Fact::Missing(f) => self.need(Some(*f), false),
            Fact::Cmp(k, op, v) => {
                self.ranges.entry(k).or_default().apply(*op, *v);
                self.need(k.field(), true)
            }
            Fact::NumIn(k, values, negated) => {
                let r = self.ranges.entry(k).or_default();
                if *negated {
                    r.not.extend(values.iter().copied());
                } else {
                    r.restrict(values.clone());
                }
                self.need(k.field(), true)
            }
            Fact::TextIn(k, values, negated) => {
                let model = self.model;
                let entry = self
                    .texts
                    .entry(k)
                    .or_insert_with(|| (universe(model, k), Vec::new()));
                if *negated {
                    entry.1.extend(values.iter().cloned());
                } else {
                    let allowed = match entry.0.take() {
                        None => values.clone(),
                        Some(old) => old.into_iter().filter(|v| values.contains(v)).collect(),
                    };
                    entry.0 = Some(allowed);
                }
                self.need(k.field(), true)
            }
            Fact::Opaque(id, t) => {
                self.opaque.entry(id.as_str()).or_default().push(*t);
                true
            }
        }
    }

    fn need(&mut self, f: Option<FieldId>, is: bool) -> bool {
        let Some(f) = f else { return true };
        if !is && !self.model.fields[f].optional {
            return false;
        }
        *self.present.entry(f).or_insert(is) == is
    }

    /// Whether every value can still take some value and no opaque fact is
    /// asked to be both true and false.
    fn possible(&self) -> bool {
        let ranges_ok = self.ranges.values().all(Range::any);
        let texts_ok = self.texts.values().all(|(allowed, not)| match allowed {
            None => true,
            Some(values) => values.iter().any(|v| !not.contains(v)),
        });
        let opaque_ok = self.opaque.values().all(|ts| {
            let has = |t: Truth| ts.contains(&t);
            !(has(Truth::True) && (has(Truth::False) || has(Truth::NotTrue))
                || has(Truth::False) && has(Truth::NotFalse))
        });
        ranges_ok && texts_ok && opaque_ok
    }
}

#[derive(Clone)]
struct Range {
    lo: f64,
    lo_incl: bool,
    hi: f64,
    hi_incl: bool,
    only: Option<Vec<f64>>,
    not: Vec<f64>,
}

impl Default for Range {
    /// Every number.
    fn default() -> Self {
        Range {
            lo: f64::NEG_INFINITY,
            lo_incl: false,
            hi: f64::INFINITY,
            hi_incl: false,
            only: None,
            not: Vec::new(),
        }
    }
}

impl Range {
    fn admits(&self, v: f64) -> bool {
        let above = v > self.lo || (self.lo_incl && v == self.lo);
        let below = v < self.hi || (self.hi_incl && v == self.hi);
        above && below && !self.not.contains(&v)
    }

    fn any(&self) -> bool {
        match &self.only {
            Some(values) => values.iter().any(|v| self.admits(*v)),
            // Reals: non-empty unless the bounds cross (or meet at an excluded point).
            None => {
                self.lo < self.hi
                    || (self.lo == self.hi && self.lo_incl && self.hi_incl && self.admits(self.lo))
            }
        }
    }

    fn apply(&mut self, op: CompareOp, v: f64) {
        match op {
            CompareOp::Lt | CompareOp::Le => {
                let incl = op == CompareOp::Le;
                if v < self.hi || (v == self.hi && !incl) {
                    self.hi = v;
                    self.hi_incl = incl;
                }
            }
            CompareOp::Gt | CompareOp::Ge => {
                let incl = op == CompareOp::Ge;
                if v > self.lo || (v == self.lo && !incl) {
                    self.lo = v;
                    self.lo_incl = incl;
                }
            }
            CompareOp::Eq => self.restrict(vec![v]),
            CompareOp::Ne => self.not.push(v),
        }
    }

    fn restrict(&mut self, values: Vec<f64>) {
        self.only = Some(match self.only.take() {
            None => values,
            Some(old) => old.into_iter().filter(|v| values.contains(v)).collect(),
        });
    }
}

/// Every value a text-like key can take, when the list is finite.
fn universe(model: &Model, k: &Key) -> Option<Vec<String>> {
    let Key::Field(f) = k else { return None };
    let field = &model.fields[*f];
    match (&field.one_of, field.ty) {
        (Some(values), _) => Some(values.iter().map(|v| fold_text(v)).collect()),
        (None, Type::YesNo) => Some(vec![yes_no(true), yes_no(false)]),
        _ => None,
    }
}
