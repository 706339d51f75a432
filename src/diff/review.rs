//! The review with outcomes (`diff --against FILE --outcome COLUMN`): does
//! the new revision pick the inquiries that convert better than the old one?
//!
//! In: both revisions and, for each compared inquiry whose outcome is known,
//! its stage and score under each revision and whether it converted. Out: a
//! [`Review`]: conversion per migration cell with a Wilson interval (and a
//! flag on a cell whose rate contradicts its move), precision and recall of
//! every stage ("this stage or a better one") under each revision, the AUC
//! of each score with DeLong's paired interval for the difference, and a
//! verdict: better, worse, or no clear difference, and why.

use crate::backtest::intervals::{paired_auc_delong, wilson, Interval, PairedAuc};
use crate::backtest::stats::{rate, two_proportion_z};
use crate::backtest::{stage_rows, StageRow, CLEAR_Z};
use crate::model::Model;
use crate::number::format_number;
use serde::Serialize;
use std::collections::HashMap;

/// One compared inquiry with a known outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    pub old_stage: usize,
    pub new_stage: usize,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    pub converted: bool,
}

/// What the outcomes say of the revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The column the outcomes were read from.
    pub outcome_column: String,
    /// Compared inquiries with a known outcome (the figures below).
    pub judged: u64,
    pub converted: u64,
    /// Compared inquiries whose outcome is still open (`--open`): in the
    /// migration matrix, left out of the figures here.
    pub open: u64,
    /// Judged inquiries with no outcome row, counted as not converted.
    pub absent_as_lost: u64,
    /// With `--outcomes FILE`: its rows, and those whose id matched no inquiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes_file: Option<OutcomesFile>,
    /// Every non-empty cell of the migration matrix, old stage by old stage.
    pub cells: Vec<Cell>,
    /// Per stage of each revision, `disqualified` last: conversion, and
    /// precision and recall of "this stage or a better one".
    pub old_stages: Vec<StageRow>,
    pub new_stages: Vec<StageRow>,
    /// AUC before and after, with the paired interval of the difference,
    /// over the judged inquiries with a score under both revisions.
    pub auc: Option<PairedAuc>,
    /// Judged inquiries left out of the AUC: no score under a revision.
    pub unscored: u64,
    pub verdict: Verdict,
}

/// The outcomes file joined on an id, counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomesFile {
    pub path: String,
    /// Data rows in it.
    pub rows: u64,
    /// Distinct ids that matched no compared inquiry.
    pub unmatched_ids: u64,
}

/// Inquiries that were in `old_stage` and are in `new_stage`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub old_stage: String,
    pub new_stage: String,
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    pub interval: Option<Interval>,
    /// Why the cell's rate contradicts its move, when it clearly does.
    pub flag: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judgement {
    Better,
    Worse,
    NoClearDifference,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub judgement: Judgement,
    /// On what grounds, in words.
    pub reason: String,
}

impl Verdict {
    /// The verdict line: `better: …`.
    pub fn line(&self) -> String {
        let word = match self.judgement {
            Judgement::Better => "better",
            Judgement::Worse => "worse",
            Judgement::NoClearDifference => "no clear difference",
        };
        format!("{word}: {}", self.reason)
    }
}

/// Counts of the revisions' stages and outcomes that are not rows.
pub struct Context<'a> {
    pub old: &'a Model,
    pub new: &'a Model,
    /// Each old stage's index in the new revision's stage names (renames
    /// followed; `disqualified` to `disqualified`), if it is there.
    pub old_stage_in_new: Vec<Option<usize>>,
    pub outcome_column: String,
    pub open: u64,
    pub absent_as_lost: u64,
    pub outcomes_file: Option<OutcomesFile>,
}

/// The review of `judged`.
pub fn review(c: &Context, judged: &[Judged]) -> Review {
    let old_names: Vec<&str> = c.old.stage_names().collect();
    let new_names: Vec<&str> = c.new.stage_names().collect();
    let mut matrix = vec![vec![[0u64; 2]; new_names.len()]; old_names.len()];
    for j in judged {
        let cell = &mut matrix[j.old_stage][j.new_stage];
        cell[0] += 1;
        cell[1] += u64::from(j.converted);
    }
    let converted = judged.iter().filter(|j| j.converted).count() as u64;
    let per_stage = |old: bool| -> Vec<[u64; 2]> {
        let len = if old {
            old_names.len()
        } else {
            new_names.len()
        };
        let mut counts = vec![[0u64; 2]; len];
        for (o, row) in matrix.iter().enumerate() {
            for (n, cell) in row.iter().enumerate() {
                let slot = &mut counts[if old { o } else { n }];
                slot[0] += cell[0];
                slot[1] += cell[1];
            }
        }
        counts
    };
    let landing = per_stage(false);
    let mut cells = Vec::new();
    for (o, row) in matrix.iter().enumerate() {
        for (n, &[inquiries, conv]) in row.iter().enumerate() {
            if inquiries == 0 {
                continue;
            }
            let flag = c.old_stage_in_new[o]
                .filter(|&at| at != n)
                .and_then(|at| contradiction(at < n, [inquiries, conv], landing[n], new_names[n]));
            cells.push(Cell {
                old_stage: old_names[o].to_string(),
                new_stage: new_names[n].to_string(),
                inquiries,
                converted: conv,
                conversion_rate: rate(conv, inquiries),
                interval: wilson(conv, inquiries),
                flag,
            });
        }
    }
    let scored: Vec<(f64, f64, bool)> = judged
        .iter()
        .filter_map(|j| Some((j.old_score?, j.new_score?, j.converted)))
        .collect();
    let unscored = judged.len() as u64 - scored.len() as u64;
    let (before, after, outcome): (Vec<f64>, Vec<f64>, Vec<bool>) = (
        scored.iter().map(|s| s.0).collect(),
        scored.iter().map(|s| s.1).collect(),
        scored.iter().map(|s| s.2).collect(),
    );
    let auc = paired_auc_delong(&before, &after, &outcome);
    let flagged = cells.iter().filter(|c| c.flag.is_some()).count() as u64;
    Review {
        outcome_column: c.outcome_column.clone(),
        judged: judged.len() as u64,
        converted,
        open: c.open,
        absent_as_lost: c.absent_as_lost,
        outcomes_file: c.outcomes_file.clone(),
        cells,
        old_stages: stage_rows(c.old, &per_stage(true), converted),
        new_stages: stage_rows(c.new, &landing, converted),
        auc,
        unscored,
        verdict: verdict(auc.as_ref(), judged.len() as u64, converted, flagged),
    }
}

/// Why a cell that moved down (`demoted`) or up contradicts its move: it
/// converts clearly better (demoted) or worse (promoted) than the rest of
/// the stage it lands in under the new revision (two-proportion z, |z| ≥
/// 1.96). `None` when it does not, or the stage has no other inquiry.
fn contradiction(demoted: bool, cell: [u64; 2], stage: [u64; 2], name: &str) -> Option<String> {
    let rest = [stage[0] - cell[0], stage[1] - cell[1]];
    let z = two_proportion_z(cell[1], cell[0], rest[1], rest[0])?;
    let clear = if demoted { z >= CLEAR_Z } else { z <= -CLEAR_Z };
    clear.then(|| {
        format!(
            "{} to \"{name}\", yet converts at {} against {} for the rest of \"{name}\"",
            if demoted { "demoted" } else { "promoted" },
            percent(rate(cell[1], cell[0])),
            percent(rate(rest[1], rest[0])),
        )
    })
}

fn percent(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{:.1}%", r * 100.0))
}

fn signed3(x: f64) -> String {
    format!("{}{x:.3}", if x >= 0.0 { "+" } else { "" })
}

/// Better or worse by the paired AUC interval: clearly better when it lies
/// above 0, clearly worse when below; the flagged cells are named too.
fn verdict(auc: Option<&PairedAuc>, judged: u64, converted: u64, flagged: u64) -> Verdict {
    let flags = match flagged {
        0 => String::new(),
        1 => "; 1 migration cell converts against its move".into(),
        n => format!("; {n} migration cells convert against their move"),
    };
    let Some(a) = auc else {
        return Verdict {
            judgement: Judgement::NoClearDifference,
            reason: format!(
                "cannot rank: {converted} of {judged} judged inquiries converted, and the AUC needs both converted and unconverted ones{flags}"
            ),
        };
    };
    let judgement = if a.interval.low > 0.0 {
        Judgement::Better
    } else if a.interval.high < 0.0 {
        Judgement::Worse
    } else {
        Judgement::NoClearDifference
    };
    let grounds = match judgement {
        Judgement::Better => "the new score ranks converted inquiries clearly higher",
        Judgement::Worse => "the new score ranks converted inquiries clearly lower",
        Judgement::NoClearDifference => "the interval of the difference includes 0",
    };
    Verdict {
        judgement,
        reason: format!(
            "{grounds} (AUC {:.3} → {:.3}, difference {} with 95% interval {} to {}){flags}",
            a.before.auc,
            a.after.auc,
            signed3(a.difference),
            signed3(a.interval.low),
            signed3(a.interval.high),
        ),
    }
}

/// Each old stage's index among the new revision's stage names, following
/// `renames` (`disqualified` maps to `disqualified`).
pub fn old_stages_in_new(
    old: &Model,
    new: &Model,
    renames: &HashMap<String, String>,
) -> Vec<Option<usize>> {
    let new_names: Vec<&str> = new.stage_names().collect();
    old.stage_names()
        .map(|s| {
            let name = renames.get(s).map_or(s, String::as_str);
            new_names.iter().position(|n| *n == name)
        })
        .collect()
}

/// `0.38` → `38%`, for reports.
pub fn share(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| {
        format!("{}%", format_number((r * 1000.0).round() / 10.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demoted_cell_converting_above_the_rest_of_its_landing_stage_is_flagged() {
        // 40 of 100 demoted leads converted; the 400 others in the landing
        // stage converted 70 (17.5%).
        let flag = contradiction(true, [100, 40], [500, 110], "inquiry").expect("flagged");
        assert_eq!(
            flag,
            "demoted to \"inquiry\", yet converts at 40.0% against 17.5% for the rest of \"inquiry\""
        );
        // Promoted leads converting above the rest: what a promotion should do.
        assert_eq!(contradiction(false, [100, 40], [500, 110], "sql"), None);
        // Close to the rest: no clear contradiction.
        assert_eq!(contradiction(true, [100, 20], [500, 90], "inquiry"), None);
        // Alone in its stage: nothing to compare with.
        assert_eq!(contradiction(true, [10, 5], [10, 5], "inquiry"), None);
    }

    #[test]
    fn the_verdict_follows_the_paired_interval() {
        // The same eight inquiries six times over: enough for a clear difference.
        let scores = [5.0, 3.0, 4.0, 1.0, 2.0, 2.0, 6.0, 0.0].repeat(6);
        let better = [9.0, 8.0, 1.0, 1.0, 7.0, 2.0, 9.0, 0.0].repeat(6);
        let converted = [true, true, false, false, true, false, true, false].repeat(6);
        let up = paired_auc_delong(&scores, &better, &converted).expect("classes");
        assert_eq!(verdict(Some(&up), 48, 24, 0).judgement, Judgement::Better);
        let down = paired_auc_delong(&better, &scores, &converted).expect("classes");
        let v = verdict(Some(&down), 48, 24, 2);
        assert_eq!(v.judgement, Judgement::Worse);
        assert!(v.line().starts_with("worse: "), "{}", v.line());
        assert!(v
            .reason
            .ends_with("2 migration cells convert against their move"));
        let same = paired_auc_delong(&scores, &scores, &converted).expect("classes");
        assert_eq!(
            verdict(Some(&same), 8, 4, 0).judgement,
            Judgement::NoClearDifference
        );
        assert_eq!(
            verdict(None, 3, 0, 0).judgement,
            Judgement::NoClearDifference
        );
    }
}
