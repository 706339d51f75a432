//! Coverage: for every disqualifier, criterion and stage, which examples made
//! it hold and which made it not hold.
//!
//! "Not hold" includes unknown (a missing value), since that is what decides
//! the outcome. Disqualifiers and stages are judged as they are evaluated, in
//! order: one counts as made true when it decided the outcome, and as made false
//! when it was reached and did not hold. `otherwise` can only be made true.
//! The percentage counts both sides of every item (one side for `otherwise`).

use super::SuiteRun;
use crate::ast::Span;
use crate::model::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Disqualifier,
    Criterion,
    Stage,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Disqualifier => "disqualifier",
            Kind::Criterion => "criterion",
            Kind::Stage => "stage",
        }
    }
}

/// One rule and the examples (indices into [`SuiteRun::results`]) on each side.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    pub name: String,
    pub span: Span,
    pub made_true: Vec<usize>,
    /// `None` for `otherwise`, which cannot be false.
    pub made_false: Option<Vec<usize>>,
}

impl Item {
    /// Sides that need an example, and sides that have one.
    pub fn sides(&self) -> (usize, usize) {
        let needed = 1 + usize::from(self.made_false.is_some());
        let seen = usize::from(!self.made_true.is_empty())
            + usize::from(self.made_false.as_ref().is_some_and(|f| !f.is_empty()));
        (needed, seen)
    }

    pub fn covered(&self) -> bool {
        let (needed, seen) = self.sides();
        needed == seen
    }
}

#[derive(Debug, Clone)]
pub struct Coverage {
    /// Disqualifiers, criteria, stages, each in definition order.
    pub items: Vec<Item>,
}

impl Coverage {
    /// (sides covered, sides in all)
    pub fn counts(&self) -> (usize, usize) {
        self.items.iter().fold((0, 0), |(s, n), i| {
            let (needed, seen) = i.sides();
            (s + seen, n + needed)
        })
    }

    /// Percentage of sides covered; 100 for a definition with nothing to cover.
    pub fn percent(&self) -> f64 {
        let (seen, needed) = self.counts();
        if needed == 0 {
            100.0
        } else {
            100.0 * seen as f64 / needed as f64
        }
    }
}

pub fn coverage(model: &Model, run: &SuiteRun) -> Coverage {
    let mut items = Vec::new();
    for (i, d) in model.disqualifiers.iter().enumerate() {
        let mut item = Item {
            kind: Kind::Disqualifier,
            name: d.reason.clone(),
            span: d.span,
            made_true: Vec::new(),
            made_false: Some(Vec::new()),
        };
        for (e, r) in run.results.iter().enumerate() {
            match r.outcome.disqualified {
                Some(j) if j == i => item.made_true.push(e),
                Some(j) if j < i => {}
                _ => item.made_false.iter_mut().for_each(|f| f.push(e)),
            }
        }
        items.push(item);
    }
    for (c, crit) in model.criteria.iter().enumerate() {
        let mut item = Item {
            kind: Kind::Criterion,
            name: crit.name.clone(),
            span: crit.span,
            made_true: Vec::new(),
            made_false: Some(Vec::new()),
        };
        for (e, r) in run.results.iter().enumerate() {
            if r.outcome.matched[c] {
                item.made_true.push(e);
            } else {
                item.made_false.iter_mut().for_each(|f| f.push(e));
            }
        }
        items.push(item);
    }
    for (s, stage) in model.stages.iter().enumerate() {
        let mut item = Item {
            kind: Kind::Stage,
            name: stage.name.clone(),
            span: stage.span,
            made_true: Vec::new(),
            made_false: stage.condition.as_ref().map(|_| Vec::new()),
        };
        for (e, r) in run.results.iter().enumerate() {
            if r.outcome.disqualified.is_some() {
                continue;
            }
            if r.outcome.stage == s {
                item.made_true.push(e);
            } else if r.outcome.stage > s {
                item.made_false.iter_mut().for_each(|f| f.push(e));
            }
        }
        items.push(item);
    }
    Coverage { items }
}
