//! Backtest: how well a definition separates the inquiries that converted from
//! those that did not.
//!
//! In: a checked [`Model`] and, one at a time, each inquiry's field values, its
//! [`Outcome`] and whether it converted ([`Tally::add`]). Out: a [`Backtest`]
//! (per stage, per disqualifier, per criterion, per score band, per field, and
//! the ROC AUC of the score), which `report::backtest` renders. Independent of
//! how the inquiries were read, so it can be tested on hand-made rows.

pub mod calibration;
pub mod dose;
pub mod entries;
pub mod input;
pub mod intervals;
pub mod outcomes;
pub mod stats;
pub mod suggest;
pub mod timing;

use crate::model::{format_exact, Earning, Model, Value};
use crate::number::format_number;
use crate::semantics::Outcome;
use calibration::Logistic;
use intervals::{auc_delong, rate_difference, wilson, Interval};
use serde::Serialize;
use stats::{fixed_band, quantile_bands, rate, roc_auc, two_proportion_z};

/// How the score is cut into bands.
#[derive(Debug, Clone, PartialEq)]
pub enum BandSpec {
    /// This many equal-sized bands by rank (10: deciles); ties share a band.
    Quantiles(usize),
    /// Fixed lower bounds, ascending: below the first, from each to the next, ...
    Fixed(Vec<f64>),
}

/// |z| at or above this is a clear difference (two-sided, 95%).
pub const CLEAR_Z: f64 = 1.96;

/// Counts gathered row by row.
pub struct Tally<'m> {
    model: &'m Model,
    inquiries: u64,
    converted: u64,
    /// Per stage (index as in [`Model::stage_names`]): inquiries, converted.
    stages: Vec<[u64; 2]>,
    /// Per disqualifier: inquiries it disqualified, converted among them.
    disqualifiers: Vec<[u64; 2]>,
    /// Per criterion: matched, converted among matched.
    criteria: Vec<[u64; 2]>,
    /// Per field: missing, converted among missing.
    missing: Vec<[u64; 2]>,
    /// Each inquiry with a score: the score and whether it converted.
    scores: Vec<(f64, bool)>,
    /// Inquiries whose score is missing (too large to represent), converted.
    unscored: [u64; 2],
    /// Per per-unit criterion (its index): each inquiry's units and outcome.
    doses: Vec<(usize, Vec<(f64, bool)>)>,
    /// Per points-by-value criterion: inquiries and conversions per entry.
    entries: Vec<entries::EntryCounts>,
}

impl<'m> Tally<'m> {
    pub fn new(model: &'m Model) -> Self {
        Tally {
            model,
            inquiries: 0,
            converted: 0,
            stages: vec![[0; 2]; model.stages.len() + 1],
            disqualifiers: vec![[0; 2]; model.disqualifiers.len()],
            criteria: vec![[0; 2]; model.criteria.len()],
            missing: vec![[0; 2]; model.fields.len()],
            scores: Vec::new(),
            unscored: [0; 2],
            doses: (0..model.criteria.len())
                .filter(|&c| {
                    let crit = &model.criteria[c];
                    matches!(crit.earning, Earning::PerUnit { .. }) && crit.points != 0.0
                })
                .map(|c| (c, Vec::new()))
                .collect(),
            entries: entries::EntryCounts::for_model(model),
        }
    }

    /// Count one inquiry: its values (one per field), its outcome, whether it converted.
    pub fn add(&mut self, values: &[Value], outcome: &Outcome, converted: bool) {
        let c = u64::from(converted);
        self.inquiries += 1;
        self.converted += c;
        bump(&mut self.stages[outcome.stage], c);
        if let Some(d) = outcome.disqualified {
            bump(&mut self.disqualifiers[d], c);
        }
        for (slot, _) in self
            .criteria
            .iter_mut()
            .zip(&outcome.matched)
            .filter(|(_, m)| **m)
        {
            bump(slot, c);
        }
        for (slot, _) in self
            .missing
            .iter_mut()
            .zip(values)
            .filter(|(_, v)| v.is_missing())
        {
            bump(slot, c);
        }
        for counts in &mut self.entries {
            counts.add(self.model, values, converted);
        }
        for (c, rows) in &mut self.doses {
            let units = outcome.points[*c] / self.model.criteria[*c].points;
            rows.push((units + 0.0, converted));
        }
        // Only numbers are ranked and banded (a NaN would have no place in
        // the order); `+ 0.0` makes a -0 score the 0 it equals.
        match outcome.score.filter(|s| s.is_finite()) {
            Some(score) => self.scores.push((score + 0.0, converted)),
            None => bump(&mut self.unscored, c),
        }
    }

    /// The figures, with the score cut into `bands`.
    pub fn finish(self, bands: &BandSpec) -> Backtest {
        let model = self.model;
        let (n, conv) = (self.inquiries, self.converted);
        let stages = stage_rows(model, &self.stages, conv);
        let disqualifiers = model
            .disqualifiers
            .iter()
            .zip(&self.disqualifiers)
            .map(|(d, &[inquiries, converted])| DisqualifierRow {
                reason: d.reason.clone(),
                inquiries,
                converted,
                conversion_rate: rate(converted, inquiries),
                interval: wilson(converted, inquiries),
            })
            .collect();
        let base = rate(conv, n);
        let criteria = model
            .criteria
            .iter()
            .zip(&self.criteria)
            .map(|(crit, &[matched, matched_converted])| {
                let (rest, rest_converted) = (n - matched, conv - matched_converted);
                let rate_matched = rate(matched_converted, matched);
                let z = two_proportion_z(matched_converted, matched, rest_converted, rest);
                CriterionRow {
                    name: crit.name.clone(),
                    group: crit.group.map(|g| model.groups[g].name.clone()),
                    points: crit.points,
                    per_unit: matches!(crit.earning, Earning::PerUnit { .. }),
                    matched,
                    matched_converted,
                    rate_matched,
                    rate_not_matched: rate(rest_converted, rest),
                    difference_interval: rate_difference(
                        matched_converted,
                        matched,
                        rest_converted,
                        rest,
                    ),
                    lift: match (rate_matched, base) {
                        (Some(r), Some(b)) if b > 0.0 => Some(r / b),
                        _ => None,
                    },
                    z,
                    verdict: Verdict::judge(crit.points, matched, n, z),
                }
            })
            .collect();
        let missing = model
            .fields
            .iter()
            .zip(&self.missing)
            .map(|(f, &[missing, missing_converted])| MissingRow {
                field: f.name.clone(),
                column: f.column.clone(),
                missing,
                missing_converted,
                rate_missing: rate(missing_converted, missing),
                rate_present: rate(conv - missing_converted, n - missing),
            })
            .collect();
        let (scores, outcomes): (Vec<f64>, Vec<bool>) = self.scores.iter().copied().unzip();
        let calibration = calibration::fit(&self.scores);
        Backtest {
            inquiries: n,
            converted: conv,
            conversion_rate: base,
            conversion_interval: wilson(conv, n),
            auc: roc_auc(&self.scores),
            auc_interval: auc_delong(&scores, &outcomes).map(|a| a.interval),
            calibration,
            stages,
            disqualifiers,
            criteria,
            bands: band_rows(&self.scores, self.unscored, bands, calibration.as_ref()),
            doses: self
                .doses
                .iter()
                .map(|(c, rows)| dose::dose(&model.criteria[*c].name, rows, 5))
                .collect(),
            entries: self.entries.iter().map(|e| e.finish(model)).collect(),
            missing,
        }
    }
}

fn bump(slot: &mut [u64; 2], converted: u64) {
    slot[0] += 1;
    slot[1] += converted;
}

/// Per stage of `model` (`disqualified` last) from its (inquiries,
/// converted) `counts`: conversion with its Wilson interval, share of the
/// `total_converted`, and precision and recall of "this stage or a better one".
pub fn stage_rows(model: &Model, counts: &[[u64; 2]], total_converted: u64) -> Vec<StageRow> {
    let ordinary = model.stages.len();
    let (mut cum_n, mut cum_c) = (0, 0);
    model
        .stage_names()
        .zip(counts)
        .enumerate()
        .map(|(i, (name, &[inquiries, converted]))| {
            // "This stage or a better one": only the ordered stages, not disqualified.
            let at_or_above = (i < ordinary).then(|| {
                cum_n += inquiries;
                cum_c += converted;
                AtOrAbove {
                    inquiries: cum_n,
                    precision: rate(cum_c, cum_n),
                    precision_interval: wilson(cum_c, cum_n),
                    recall: rate(cum_c, total_converted),
                    recall_interval: wilson(cum_c, total_converted),
                }
            });
            StageRow {
                name: name.to_string(),
                inquiries,
                converted,
                conversion_rate: rate(converted, inquiries),
                interval: wilson(converted, inquiries),
                share_of_conversions: rate(converted, total_converted),
                at_or_above,
            }
        })
        .collect()
}

/// The label of the band of inquiries without a score.
/// (No " to " in it: that word splits a band label in the HTML chart.)
pub const NO_SCORE_BAND: &str = "missing (too large)";

fn band_rows(
    scored: &[(f64, bool)],
    unscored: [u64; 2],
    spec: &BandSpec,
    fit: Option<&Logistic>,
) -> Vec<BandRow> {
    let scores: Vec<f64> = scored.iter().map(|s| s.0).collect();
    let (count, index): (usize, Vec<usize>) = match spec {
        BandSpec::Quantiles(k) => (*k.max(&1), quantile_bands(&scores, *k)),
        BandSpec::Fixed(edges) => (
            edges.len() + 1,
            scores.iter().map(|s| fixed_band(*s, edges)).collect(),
        ),
    };
    let mut rows: Vec<BandRow> = (0..count)
        .map(|b| BandRow {
            label: match spec {
                BandSpec::Quantiles(_) => String::new(),
                BandSpec::Fixed(edges) => fixed_label(edges, b),
            },
            lowest: None,
            highest: None,
            inquiries: 0,
            converted: 0,
            conversion_rate: None,
            interval: None,
            predicted: None,
        })
        .collect();
    // The fit's predicted chances, summed per band, then averaged.
    let mut predicted = vec![0.0; count];
    for (&(score, converted), &b) in scored.iter().zip(&index) {
        let row = &mut rows[b];
        predicted[b] += fit.map_or(0.0, |f| f.predict(score));
        row.inquiries += 1;
        row.converted += u64::from(converted);
        row.lowest = Some(row.lowest.map_or(score, |l: f64| l.min(score)));
        row.highest = Some(row.highest.map_or(score, |h: f64| h.max(score)));
    }
    for (row, sum) in rows.iter_mut().zip(&predicted) {
        row.conversion_rate = rate(row.converted, row.inquiries);
        row.interval = wilson(row.converted, row.inquiries);
        row.predicted = fit.and(rate(1, row.inquiries)).map(|one| sum * one);
    }
    if let BandSpec::Quantiles(_) = spec {
        // Ties leave some quantile bands empty; the rest are named by their scores.
        rows.retain(|r| r.inquiries > 0);
        for row in &mut rows {
            let (lo, hi) = (row.lowest.unwrap_or(0.0), row.highest.unwrap_or(0.0));
            row.label = if lo == hi {
                format_number(lo)
            } else {
                format!("{} to {}", format_number(lo), format_number(hi))
            };
        }
    }
    if unscored[0] > 0 {
        // Every inquiry is counted in some band, those without a score last.
        rows.push(BandRow {
            label: NO_SCORE_BAND.into(),
            lowest: None,
            highest: None,
            inquiries: unscored[0],
            converted: unscored[1],
            conversion_rate: rate(unscored[1], unscored[0]),
            interval: wilson(unscored[1], unscored[0]),
            predicted: None,
        });
    }
    rows
}

fn fixed_label(edges: &[f64], band: usize) -> String {
    match (band.checked_sub(1).map(|i| edges[i]), edges.get(band)) {
        (None, Some(hi)) => format!("below {}", format_exact(*hi)),
        (Some(lo), None) => format!("{} and above", format_exact(lo)),
        (Some(lo), Some(hi)) => format!("{} to below {}", format_exact(lo), format_exact(*hi)),
        (None, None) => "all".into(),
    }
}

/// Whether a criterion earns its points, judged from the outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Its points point the way conversion does, and the difference is clear.
    Earns,
    /// Positive points but converts clearly worse when matched (or negative
    /// points and converts clearly better).
    WrongWay,
    /// Matched and unmatched inquiries convert about the same (|z| < 1.96).
    NoClearEffect,
    NeverMatched,
    AlwaysMatched,
    /// No points: it only labels inquiries (for stages or `at least`).
    Label,
}

impl Verdict {
    fn judge(points: f64, matched: u64, inquiries: u64, z: Option<f64>) -> Verdict {
        if matched == 0 {
            Verdict::NeverMatched
        } else if matched == inquiries {
            Verdict::AlwaysMatched
        } else if points == 0.0 {
            Verdict::Label
        } else {
            match z {
                Some(z) if z.abs() >= CLEAR_Z && (z > 0.0) != (points > 0.0) => Verdict::WrongWay,
                Some(z) if z.abs() >= CLEAR_Z => Verdict::Earns,
                _ => Verdict::NoClearEffect,
            }
        }
    }

    /// In words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Earns => "earns its points",
            Verdict::WrongWay => "points the wrong way",
            Verdict::NoClearEffect => "no clear effect",
            Verdict::NeverMatched => "never matched",
            Verdict::AlwaysMatched => "always matched",
            Verdict::Label => "label (no points)",
        }
    }

    /// Whether a reviewer should look at this criterion.
    pub fn is_flag(self) -> bool {
        !matches!(self, Verdict::Earns | Verdict::Label)
    }
}

/// All figures of one backtest. Rates are fractions (0.25 = 25%); `None` when
/// there is nothing to divide by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    /// The Wilson 95% interval of the conversion rate.
    pub conversion_interval: Option<Interval>,
    /// Area under the ROC curve of the score (ties count one half), over the
    /// inquiries that have a score.
    pub auc: Option<f64>,
    /// DeLong's 95% interval of the AUC.
    pub auc_interval: Option<Interval>,
    /// A logistic fit of conversion on the score (calibration).
    pub calibration: Option<Logistic>,
    /// The definition's stages in order, then `disqualified`.
    pub stages: Vec<StageRow>,
    pub disqualifiers: Vec<DisqualifierRow>,
    pub criteria: Vec<CriterionRow>,
    /// Lowest scores first; inquiries without a score (too large to
    /// represent) in a last band of their own.
    pub bands: Vec<BandRow>,
    /// Every field, in field order.
    pub missing: Vec<MissingRow>,
    /// Each per-unit criterion's conversion by the units it counts.
    pub doses: Vec<dose::Dose>,
    /// Each points-by-value criterion's conversion per entry (left out of
    /// JSON when there is none, so older reports read the same).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<entries::EntryTable>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRow {
    pub name: String,
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    /// The Wilson 95% interval of the conversion rate.
    pub interval: Option<Interval>,
    /// This stage's converted over all converted.
    pub share_of_conversions: Option<f64>,
    /// This stage and the ones before it (absent for `disqualified`).
    pub at_or_above: Option<AtOrAbove>,
}

/// Precision and recall of "this stage or a better one".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtOrAbove {
    pub inquiries: u64,
    pub precision: Option<f64>,
    pub precision_interval: Option<Interval>,
    pub recall: Option<f64>,
    pub recall_interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisqualifierRow {
    pub reason: String,
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionRow {
    pub name: String,
    pub group: Option<String>,
    /// As written (per unit when `per_unit`).
    pub points: f64,
    pub per_unit: bool,
    pub matched: u64,
    pub matched_converted: u64,
    pub rate_matched: Option<f64>,
    pub rate_not_matched: Option<f64>,
    /// Newcombe's 95% interval of matched minus not matched conversion.
    pub difference_interval: Option<Interval>,
    /// Conversion when matched over the overall conversion rate.
    pub lift: Option<f64>,
    /// Two-proportion z of matched against not matched.
    pub z: Option<f64>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandRow {
    pub label: String,
    /// Lowest and highest score seen in the band.
    pub lowest: Option<f64>,
    pub highest: Option<f64>,
    pub inquiries: u64,
    pub converted: u64,
    pub conversion_rate: Option<f64>,
    /// The Wilson 95% interval of the band's conversion.
    pub interval: Option<Interval>,
    /// The conversion the logistic fit of the score predicts for the band:
    /// its inquiries' predicted chances, averaged.
    pub predicted: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingRow {
    pub field: String,
    pub column: String,
    pub missing: u64,
    pub missing_converted: u64,
    pub rate_missing: Option<f64>,
    pub rate_present: Option<f64>,
}
