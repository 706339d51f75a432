//! "Can this hold while none of those before it does?" asked of every item of
//! a long list (stages after earlier stages, criteria against every
//! disqualifier) without redoing the earlier ones each time.
//!
//! In: the alternatives of each earlier part, pushed once ([`Conjunction::push`]).
//! Out: for a new alternatives list, the same answer as
//! `all_of([first, part₁, part₂, ...])` followed by `possible`, and `None`
//! exactly where `all_of` gives up; but the parts are folded into
//! [`Situation`]s as they come, so a question costs the same however many
//! parts came before.

use super::logic::{Alternatives, MAX_ALTERNATIVES};
use super::situation::Situation;
use crate::model::Model;

/// The parts pushed so far, folded.
pub struct Conjunction<'a> {
    /// How many alternatives `all_of` would hold after the parts before the
    /// first empty one (saturating): what decides whether it gives up.
    count: usize,
    /// A part had no alternative: the whole can never hold.
    empty: bool,
    /// A part could not be analysed: no verdict, whatever comes.
    undecided: bool,
    /// The alternatives of the product that can still happen (an impossible
    /// one stays impossible whatever is added to it). Kept only while the
    /// product is small enough for `all_of` to hold it.
    situations: Vec<Situation<'a>>,
}

impl<'a> Conjunction<'a> {
    /// No part yet: one alternative, with no fact.
    pub fn new(model: &'a Model) -> Self {
        Conjunction {
            count: 1,
            empty: false,
            undecided: false,
            situations: vec![Situation::new(model)],
        }
    }

    /// The conjunction of one part.
    pub fn of(model: &'a Model, part: Option<&'a Alternatives>) -> Self {
        let mut c = Conjunction::new(model);
        c.push(part);
        c
    }

    /// Add a part (`None`: one the analysis could not read).
    pub fn push(&mut self, part: Option<&'a Alternatives>) {
        let Some(alts) = part else {
            self.undecided = true;
            self.situations.clear();
            return;
        };
        if self.undecided || self.empty {
            return;
        }
        if alts.is_empty() {
            self.empty = true;
            self.situations.clear();
            return;
        }
        self.count = self.count.saturating_mul(alts.len());
        if self.count > MAX_ALTERNATIVES {
            // Every later question gives up (its own list has at least one
            // alternative), unless it has none at all: no situation needed.
            self.situations.clear();
            return;
        }
        self.situations = self
            .situations
            .iter()
            .flat_map(|s| alts.iter().filter_map(move |facts| s.with(facts)))
            .collect();
    }

    /// Whether `first` and every part can hold at once: `Some(possible)`, or
    /// `None` where `all_of(vec![first, parts...])` would give up.
    pub fn possible_with(&self, first: Option<&'a Alternatives>) -> Option<bool> {
        let first = first?;
        if self.undecided {
            return None;
        }
        if first.is_empty() {
            return Some(false);
        }
        if first.len().saturating_mul(self.count) > MAX_ALTERNATIVES {
            return None;
        }
        if self.empty {
            return Some(false);
        }
        Some(
            first
                .iter()
                .any(|facts| self.situations.iter().any(|s| s.with(facts).is_some())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::logic::{all_of, possible, when_not_true, when_true};

    /// Every way of asking gives what `all_of` and `possible` give, including
    /// where `all_of` gives up and where a part has no alternative.
    #[test]
    fn agrees_with_all_of_on_every_prefix() {
        let text = r#"
fields {
  x number optional
  y number
  s one of "a", "b", "c"
  t text optional
}
criterion "c" +1 when x > 0
stage "s0" when x > 5 or y < 2 or s = "a" or t contains "q"
stage "s1" when x <= 5 and x >= 5
stage "s2" when y = y or t contains "q" or t contains "r" or s != "b"
stage "s3" when yes
stage "s4" when x > 5 or x < 1 or y in [1, 2, 3] or s in ["a", "b"] or t is missing or y > 9 or x = 3 or s = "c" or y < -4
stage "s5" when s = "c" and not (t contains "q")
stage "s6" when x is missing
stage "s7" when score > 0
stage "s8" otherwise
"#;
        let loaded = crate::load::load_str("t.lead", text);
        let model = loaded.model.expect("the definition checks");
        let conds: Vec<_> = model
            .stages
            .iter()
            .filter_map(|s| s.condition.as_ref())
            .collect();
        let trues: Vec<_> = conds.iter().map(|c| when_true(&model, c)).collect();
        let nots: Vec<_> = conds.iter().map(|c| when_not_true(&model, c)).collect();
        let mut seen = [0; 3]; // gave up, cannot hold, can hold
        for order in [false, true] {
            let idx: Vec<usize> = if order {
                (0..conds.len()).rev().collect()
            } else {
                (0..conds.len()).collect()
            };
            let mut before = Conjunction::new(&model);
            for (at, &k) in idx.iter().enumerate() {
                for first in trues.iter().chain(nots.iter()) {
                    let mut parts = vec![first.clone()];
                    parts.extend(idx[..at].iter().map(|&j| nots[j].clone()));
                    let expected = all_of(parts).map(|alts| possible(&model, &alts));
                    assert_eq!(before.possible_with(first.as_ref()), expected, "at {at}");
                    seen[match expected {
                        None => 0,
                        Some(false) => 1,
                        Some(true) => 2,
                    }] += 1;
                }
                before.push(nots[k].as_ref());
            }
        }
        assert!(
            seen.iter().all(|&n| n > 0),
            "every answer is exercised: {seen:?}"
        );
    }
}
