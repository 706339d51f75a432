//! Which changed stage rules moved one inquiry (`diff --against`'s "what
//! made the difference").
//!
//! In: both revisions, one inquiry's values and outcome under each. Out: the
//! names of the stages whose rule change changed that inquiry's stage.
//!
//! A rule is blamed by a counterfactual: the inquiry as the new revision
//! scores it (score, sub-scores, matches, disqualification), staged by the
//! new rules except that one stage keeps its old rule. When that lands the
//! inquiry in another stage than it is in, the rule change moved it. An
//! inquiry whose new score is below both the old and the new threshold is
//! therefore never blamed on that threshold. When no single rule moves it
//! but all the changed rules together do, all of them are named.

use crate::model::{Model, Value};
use crate::semantics::expr::{truth, Env};
use crate::semantics::outcome::stage;
use crate::semantics::score::weekday_holidays;
use crate::semantics::Outcome;
use std::collections::HashMap;

/// One inquiry under both revisions.
pub struct Inquiry<'a> {
    pub old_values: &'a [Value],
    pub new_values: &'a [Value],
    pub old: &'a Outcome,
    pub new: &'a Outcome,
    /// Days since 1970 that `days since` counts to.
    pub as_of: i32,
    /// Each old criterion's index in the new revision, if it is there.
    pub old_criterion_in_new: &'a [Option<usize>],
    /// Each old group's index in the new revision, if it is there.
    pub old_group_in_new: &'a [Option<usize>],
}

/// Names of the stages in `changed` (present in both revisions with a
/// changed rule) whose rule change moved `q`, in the new revision's order.
pub fn blamed_rules(old: &Model, new: &Model, changed: &[&str], q: &Inquiry) -> Vec<String> {
    let changed: Vec<&str> = new
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .filter(|s| changed.contains(s) && old.stages.iter().any(|o| o.name == *s))
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let staging = Staging::new(old, new, q);
    let alone: Vec<String> = changed
        .iter()
        .filter(|s| staging.stage_with_old_rules(&[s]) != q.new.stage)
        .map(|s| s.to_string())
        .collect();
    if !alone.is_empty() || staging.stage_with_old_rules(&changed) == q.new.stage {
        return alone;
    }
    changed.iter().map(|s| s.to_string()).collect()
}

/// The new revision's view of an inquiry, ready to stage it by either
/// revision's rules.
struct Staging<'a> {
    old: &'a Model,
    new: &'a Model,
    q: &'a Inquiry<'a>,
    /// The new matches, in the old revision's criterion order (a criterion
    /// the new revision lacks keeps its old match).
    old_matched: Vec<bool>,
    /// The new sub-scores, in the old revision's group order.
    old_groups: Vec<Option<f64>>,
    old_holidays: Vec<i32>,
    new_holidays: Vec<i32>,
}

impl<'a> Staging<'a> {
    fn new(old: &'a Model, new: &'a Model, q: &'a Inquiry<'a>) -> Staging<'a> {
        let old_matched = q
            .old_criterion_in_new
            .iter()
            .enumerate()
            .map(|(i, n)| n.map_or(q.old.matched[i], |j| q.new.matched[j]))
            .collect();
        let old_groups = q
            .old_group_in_new
            .iter()
            .enumerate()
            .map(|(i, n)| n.map_or(q.old.group_scores[i], |j| q.new.group_scores[j]))
            .collect();
        Staging {
            old,
            new,
            q,
            old_matched,
            old_groups,
            old_holidays: weekday_holidays(old),
            new_holidays: weekday_holidays(new),
        }
    }

    /// The stage of the inquiry under the new rules, the stages named in
    /// `old_rules` keeping their old rule.
    fn stage_with_old_rules(&self, old_rules: &[&str]) -> usize {
        let (old, new, q) = (self.old, self.new, self.q);
        let new_env = Env {
            model: new,
            values: q.new_values,
            as_of: q.as_of,
            holidays: &self.new_holidays,
            matched: &q.new.matched,
            score: q.new.score,
            group_scores: &q.new.group_scores,
            stage: None,
        };
        let old_env = Env {
            model: old,
            values: q.old_values,
            matched: &self.old_matched,
            group_scores: &self.old_groups,
            stage: None,
            holidays: &self.old_holidays,
            ..new_env
        };
        stage(q.new.disqualified.is_some(), new.stages.len(), |s| {
            let rule = &new.stages[s];
            let (condition, env) = match old_rules.contains(&rule.name.as_str()) {
                true => match old.stages.iter().find(|o| o.name == rule.name) {
                    Some(o) => (&o.condition, &old_env),
                    None => (&rule.condition, &new_env),
                },
                false => (&rule.condition, &new_env),
            };
            condition.as_ref().is_none_or(|c| truth(c, env).holds())
        })
    }
}

/// Each old group's index in the new revision, by name (after `renames`).
pub fn groups_in_new(
    old: &Model,
    new: &Model,
    renames: &HashMap<String, String>,
) -> Vec<Option<usize>> {
    old.groups
        .iter()
        .map(|g| {
            let name = renames.get(&g.name).unwrap_or(&g.name);
            new.groups.iter().position(|n| &n.name == name)
        })
        .collect()
}
