//! `compile --to sql`: a checked model and the options in, one SQL query out
//! that gives what `qualify score` gives for every row of a table, or a
//! [`Refusal`] naming the construct the dialect cannot express exactly.
//!
//! The query is one pass over the rows, a chain of common table
//! expressions, each adding columns to the one before:
//!
//! 1. `q_src`: each field's column as text (typed columns too), the row number;
//! 2. `q_cells`: trimmed text; `q_parts`: the year, month and day of dates;
//! 3. `q_vals`: typed values (NULL when missing or bad) and folded text;
//! 4. `q_dec`: the reason the row is rejected, if it is; per-unit amounts;
//! 5. `q_crit1`, `q_crit2`, ...: criteria, a layer per depth of `matched`;
//! 6. `q_tot...`: sub-scores and the score, in the scorer's order of sums;
//! 7. the disqualifier and the stage (`q_stg`, a layer of its own when
//!    routes read it), the route, and the result columns.
//!
//! What the language means is taken from [`crate::semantics`]: the same
//! order of sums, the same decoding rules and reject reasons
//! ([`crate::input`]), the same folding of text. `tests/it/sql_engines.rs`
//! holds the query to `qualify score` on real engines.

mod arith;
mod cells;
mod dates;
mod dialect;
mod events;
mod expr;
mod function;
mod number;
mod regex;
mod text;

pub use dialect::Dialect;
pub use text::engine_lower_trusted;

use crate::ast::Span;
use crate::check::result_columns::ColumnPlan;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{days_from_date, Earning, Model};
use chrono::NaiveDate;
use expr::{group_col, matched_col, points_col, value_col, Scope, SCORE_COL};

/// One part of the query's `WITH`: its name, its new columns (name, SQL),
/// and whether it keeps every column of the part before it.
type Layer = (String, Vec<(String, String)>, bool);

/// What the query reads and how it is wrapped.
#[derive(Debug, Clone)]
pub struct SqlOptions {
    pub dialect: Dialect,
    pub source: Source,
    /// `CREATE OR REPLACE VIEW name AS ...`.
    pub view: Option<String>,
    /// The as-of date; `None` uses the engine's current date.
    pub as_of: Option<NaiveDate>,
    /// One `points: NAME` column per criterion.
    pub points: bool,
    /// Numbers as `score` writes them (text), rather than as `DOUBLE`.
    pub text_numbers: bool,
    /// Where the events come from, for a definition with an events block.
    pub events: Option<Source>,
}

/// Where the rows come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A table or view, named as SQL names it (`sales.inquiries`).
    Table(String),
    /// A CSV file read as text (DuckDB only).
    Csv(String),
}

/// A construct the dialect cannot express exactly: where, and why.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub span: Span,
    pub message: String,
}

impl Refusal {
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(Code::SqlUnsupported, self.span, self.message.clone())
            .label("no exact SQL for this")
            .help("score these inquiries with `qualify score`, or change the definition; docs/sql.md lists every limit")
    }
}

/// The SQL that reads `source`: a table as named, or (DuckDB) a CSV file read
/// as text; a CSV elsewhere is refused, naming the options.
fn source_sql(
    d: Dialect,
    source: &Source,
    csv_option: &str,
    table_option: &str,
    refusals: &mut Vec<Refusal>,
) -> String {
    match source {
        Source::Table(name) => name.clone(),
        Source::Csv(path) if d == Dialect::DuckDb => {
            format!("read_csv({}, all_varchar = true)", d.text(path))
        }
        Source::Csv(_) => {
            refusals.push(Refusal {
                span: Span::default(),
                message: format!(
                    "{csv_option} reads a file with DuckDB only; for {} load the file into a table and use {table_option}",
                    d.name()
                ),
            });
            String::new()
        }
    }
}

/// The query for `model`, or every construct it cannot express.
pub fn to_sql(model: &Model, options: &SqlOptions) -> Result<String, Vec<Refusal>> {
    let d = options.dialect;
    let mut refusals: Vec<Refusal> = Vec::new();
    let source = source_sql(d, &options.source, "--csv", "--table", &mut refusals);
    let events_source = match (&model.events, &options.events) {
        (Some(events), None) => {
            refusals.push(Refusal {
                span: events.span,
                message: format!(
                    "the definition reads the `{}` events: name their table with --events-table NAME (or, for DuckDB, a file with --events-csv PATH)",
                    events.name
                ),
            });
            None
        }
        (_, Some(src)) => Some(source_sql(
            d,
            src,
            "--events-csv",
            "--events-table",
            &mut refusals,
        )),
        (None, None) => None,
    };
    if options.text_numbers && d.shortest_double_text("x").is_none() {
        refusals.push(Refusal {
            span: Span::default(),
            message: format!(
                "--numbers text needs the engine's shortest text of a float, and {} does not always print the shortest (`2e23` as `1.9999999999999998e+23`); use --numbers double",
                d.name()
            ),
        });
    }
    let as_of = options.as_of.map(days_from_date);
    let scope = Scope {
        dialect: d,
        model,
        as_of,
        as_of_sql: as_of.map_or_else(|| d.today_days().to_string(), |a| format!("{a}")),
        holidays: crate::semantics::score::weekday_holidays(model),
    };

    // 1-4: cells, values, rejects.
    let label = match model.id_field() {
        // Trimmed, as `score` writes the id.
        Some(f) => format!(
            "NULLIF({}, '')",
            text::trim(d, &d.to_text(&d.ident(&model.fields[f].column)))
        ),
        None => d.row_number().to_string(),
    };
    let table = cells::table_sql(d, &model.fields, &mut refusals);
    let mut src = vec![("q_label".to_string(), label)];
    src.extend(table.raw);
    let (cells, parts, vals, arms) = (table.cells, table.parts, table.values, table.reject_arms);
    let rejected = if arms.is_empty() {
        d.null_of(crate::model::Type::Text)
    } else {
        format!("(CASE {} END)", arms.join(" "))
    };
    let mut dec = vec![("q_rejected".to_string(), rejected)];
    for (c, crit) in model.criteria.iter().enumerate() {
        if let Earning::PerUnit { amount, .. } = &crit.earning {
            match scope.sql(amount) {
                Ok(sql) => dec.push((format!("q_a{c}"), sql)),
                Err(r) => refusals.push(r),
            }
        }
    }

    let mut layers: Vec<Layer> = vec![
        ("q_src".into(), src, false),
        ("q_cells".into(), cells, true),
        ("q_parts".into(), parts, true),
        ("q_vals".into(), vals, true),
    ];
    // Each lead's aggregates of its events, joined in a layer of their own
    // before anything reads them.
    let mut joined: Option<(String, Vec<String>, String)> = None;
    if let (Some(_), Some(events_source)) = (&model.events, &events_source) {
        match events::events_sql(&scope, events_source, "q_vals") {
            Ok(ev) => {
                joined = Some(("q_agg".into(), ev.ctes, ev.joins));
                layers.push(("q_agg".into(), ev.cols, true));
            }
            Err(r) => refusals.extend(r),
        }
    }
    layers.push(("q_dec".into(), dec, true));

    // 5: criteria, by depth.
    let depth = criterion_depths(model);
    let deepest = depth.iter().copied().max().unwrap_or(0);
    for level in 0..=deepest {
        let mut cols = Vec::new();
        for (c, crit) in model.criteria.iter().enumerate() {
            if depth[c] != level {
                continue;
            }
            match criterion_sql(&scope, c, crit) {
                Ok(col) => cols.push(col),
                Err(r) => refusals.push(r),
            }
        }
        layers.push((format!("q_crit{level}"), cols, true));
    }

    // 6: sub-scores and the score.
    totals(&scope, &mut layers);

    // 7: the disqualifier, then the result columns.
    let mut dq_arms = Vec::new();
    for dq in &model.disqualifiers {
        match scope.sql(&dq.condition) {
            Ok(c) => dq_arms.push(format!("WHEN {c} THEN {}", d.text(&dq.reason))),
            Err(r) => refusals.push(r),
        }
    }
    let dq = if dq_arms.is_empty() {
        d.null_of(crate::model::Type::Text)
    } else {
        format!("(CASE {} END)", dq_arms.join(" "))
    };
    layers.push(("q_dq".into(), vec![("q_dq".into(), dq)], true));

    let mut stage_arms = vec![format!(
        "WHEN q_dq IS NOT NULL THEN {}",
        d.text(crate::model::DISQUALIFIED_STAGE)
    )];
    for stage in &model.stages {
        match &stage.condition {
            Some(cond) => match scope.sql(cond) {
                Ok(c) => stage_arms.push(format!("WHEN {c} THEN {}", d.text(&stage.name))),
                Err(r) => refusals.push(r),
            },
            None => stage_arms.push(format!("ELSE {}", d.text(&stage.name))),
        }
    }
    let stage_case = format!("CASE {} END", stage_arms.join(" "));
    // With routes the stage is a layer of its own, which their conditions
    // read (`stage = "sales ready"`); without, the query is as it always was.
    let (stage_sql, route_sql) = if model.has_routes() {
        layers.push((
            "q_stg".into(),
            vec![(expr::STAGE_COL.into(), stage_case)],
            true,
        ));
        let mut arms = Vec::new();
        for route in &model.routes {
            match &route.condition {
                Some(cond) => match scope.sql(cond) {
                    Ok(c) => arms.push(format!("WHEN {c} THEN {}", d.text(&route.name))),
                    Err(r) => refusals.push(r),
                },
                None => arms.push(format!("ELSE {}", d.text(&route.name))),
            }
        }
        // No route held and none is `otherwise`: NULL, the empty cell.
        let route = if arms.is_empty() {
            d.null_of(crate::model::Type::Text)
        } else {
            format!("CASE {} END", arms.join(" "))
        };
        (expr::STAGE_COL.to_string(), Some(route))
    } else {
        (stage_case, None)
    };
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let matched_names: Vec<String> = (0..model.criteria.len())
        .map(|c| {
            format!(
                "CASE WHEN {} THEN {} END",
                matched_sql(model, c),
                d.text(&model.criteria[c].name)
            )
        })
        .collect();
    let matched = if matched_names.is_empty() {
        "''".to_string()
    } else {
        format!("concat_ws('; ', {})", matched_names.join(", "))
    };
    let scored = |sql: &str| format!("CASE WHEN q_rejected IS NULL THEN {sql} END");
    let groups: Vec<String> = model.groups.iter().map(|g| g.name.clone()).collect();
    let criteria: Vec<String> = model.criteria.iter().map(|c| c.name.clone()).collect();
    let plan = ColumnPlan {
        id_field: model.id_field().is_some(),
        groups: &groups,
        criteria: &criteria,
        keep: &[],
        routes: model.has_routes(),
        points: options.points,
        why: false,
        handoff: false,
    };
    let names = plan.columns();
    let mut numbers = vec![SCORE_COL.to_string()];
    numbers.extend((0..model.groups.len()).map(group_col));
    if options.points {
        numbers.extend((0..model.criteria.len()).map(points_col));
    }
    let numbers = number_columns(d, options.text_numbers, &numbers, &mut layers);
    let mut out_cols = vec!["q_label".to_string(), scored(&numbers[0])];
    out_cols.extend(numbers[1..=model.groups.len()].iter().map(|n| scored(n)));
    out_cols.push(scored(&stage_sql));
    out_cols.push(scored("q_dq"));
    out_cols.push(scored(&matched));
    out_cols.extend(route_sql.map(|r| scored(&r)));
    out_cols.extend(numbers[1 + model.groups.len()..].iter().map(|n| scored(n)));
    let mut select: Vec<String> = out_cols
        .iter()
        .zip(&names)
        .map(|(sql, name)| format!("  {sql} AS {}", d.ident(name)))
        .collect();
    select.push(format!("  q_rejected AS {}", d.ident("rejected")));

    let mut query = String::from("WITH\n");
    let mut previous: Option<String> = None;
    for (i, (name, cols, keep)) in layers.iter().enumerate() {
        let from = previous.clone().unwrap_or_else(|| source.clone());
        let mut list: Vec<String> = Vec::new();
        // A layer with joins keeps the columns of the layer before only.
        let join = joined.as_ref().filter(|(at, _, _)| at == name);
        if let Some((_, ctes, _)) = join {
            for cte in ctes {
                query.push_str(&format!("{cte},\n"));
            }
        }
        if *keep {
            list.push(match join {
                Some(_) => format!("{from}.*"),
                None => "*".into(),
            });
        }
        list.extend(cols.iter().map(|(n, sql)| format!("{sql} AS {n}")));
        query.push_str(&format!(
            "{name} AS (\n  SELECT\n    {}\n  FROM {from}{}{}\n){}\n",
            list.join(",\n    "),
            join.map_or("", |(_, _, joins)| joins.as_str()),
            d.keep_layer(i),
            if i + 1 < layers.len() { "," } else { "" }
        ));
        previous = Some(name.clone());
    }
    query.push_str(&format!(
        "SELECT\n{}\nFROM {}",
        select.join(",\n"),
        previous.unwrap_or_default()
    ));
    Ok(match &options.view {
        Some(view) => format!("CREATE OR REPLACE VIEW {view} AS\n{query};\n"),
        None => format!("{query};\n"),
    })
}

/// The result columns of the numbers `columns` (score, sub-scores, points):
/// the `DOUBLE`s themselves, or with `text`, `score`'s text of each, read
/// from two last layers of helper columns ([`number::helpers`]).
fn number_columns(
    d: Dialect,
    text: bool,
    columns: &[String],
    layers: &mut Vec<Layer>,
) -> Vec<String> {
    if !text {
        return columns.to_vec();
    }
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for (i, x) in columns.iter().enumerate() {
        let [a, b] = number::helpers(d, x, i);
        first.extend(a);
        second.extend(b);
    }
    layers.push(("q_num".into(), first, true));
    layers.push(("q_num_digits".into(), second, true));
    columns
        .iter()
        .enumerate()
        .map(|(i, x)| number::text(d, x, i))
        .collect()
}

/// Each criterion's layer: 0 when it uses no other, else one more than the
/// deepest it uses.
fn criterion_depths(model: &Model) -> Vec<usize> {
    let mut depth = vec![0; model.criteria.len()];
    for &c in &model.evaluation_order {
        depth[c] = model.criteria[c]
            .depends_on
            .iter()
            .map(|&o| depth[o] + 1)
            .max()
            .unwrap_or(0);
    }
    depth
}

/// Whether criterion `c` matched, over its column.
pub(crate) fn matched_sql(model: &Model, c: usize) -> String {
    match model.criteria[c].earning {
        Earning::Fixed { .. } => matched_col(c),
        Earning::PerUnit { .. } | Earning::ByValue { .. } => {
            format!("coalesce({} <> 0, FALSE)", unit_col(c))
        }
    }
}

fn unit_col(c: usize) -> String {
    format!("q_u{c}")
}

/// A criterion's one column: a fixed criterion's match (its condition holds,
/// and its decay date is present), or a per-unit criterion's points (NULL
/// when it earns nothing: gate not holding, amount missing, too large).
fn criterion_sql(
    scope: &Scope,
    c: usize,
    crit: &crate::model::Criterion,
) -> Result<(String, String), Refusal> {
    let d = scope.dialect;
    match &crit.earning {
        Earning::Fixed { condition, decay } => {
            let held = format!("coalesce({}, FALSE)", scope.sql(condition)?);
            let sql = match decay {
                Some(decay) => format!("({held} AND {} IS NOT NULL)", value_col(decay.since)),
                None => held,
            };
            Ok((matched_col(c), sql))
        }
        Earning::PerUnit {
            cap,
            condition,
            decay,
            ..
        } => {
            let gate = match condition {
                Some(cond) => format!("coalesce({}, FALSE)", scope.sql(cond)?),
                None => "TRUE".into(),
            };
            let amount = format!("q_a{c}");
            let product =
                arith::arith(d, crate::ast::ArithOp::Mul, &d.double(crit.points), &amount);
            let earned = match cap {
                Some(cap) => {
                    let (hi, lo) = (d.double(cap.abs()), d.double(-cap.abs()));
                    let sign_agrees = format!("(({} > 0) = ({amount} > 0))", d.double(crit.points));
                    format!(
                        "(CASE WHEN {product} IS NULL THEN (CASE WHEN {sign_agrees} THEN {hi} ELSE {lo} END) \
                         WHEN {product} > {hi} THEN {hi} WHEN {product} < {lo} THEN {lo} ELSE {product} END)"
                    )
                }
                None => product,
            };
            // Points to fade need their date: without it the criterion is
            // unknown (NULL here: not matched, no points), as in semantics.
            let dated = match decay {
                Some(decay) => format!(" AND {} IS NOT NULL", value_col(decay.since)),
                None => String::new(),
            };
            Ok((
                unit_col(c),
                format!("(CASE WHEN {gate} AND {amount} IS NOT NULL{dated} THEN {earned} END)"),
            ))
        }
        // The entry's points (NULL for a missing value, as in semantics):
        // each key is tested as `field = key` is, so text folds the one way.
        Earning::ByValue {
            field,
            entries,
            otherwise,
        } => {
            let ty = scope.model.fields[*field].ty;
            let mut arms = format!("WHEN {} IS NULL THEN NULL", value_col(*field));
            for e in entries {
                let test = by_value_test(*field, ty, &e.key, crit.span);
                arms.push_str(&format!(
                    " WHEN {} THEN {}",
                    scope.sql(&test)?,
                    d.double(e.points)
                ));
            }
            Ok((
                unit_col(c),
                format!("(CASE {arms} ELSE {} END)", d.double(*otherwise)),
            ))
        }
    }
}

/// `field = key`, the test of one points-by-value entry.
fn by_value_test(
    field: usize,
    ty: crate::model::Type,
    key: &crate::model::Value,
    span: crate::ast::Span,
) -> crate::model::Expr {
    use crate::model::{Expr, ExprKind, Type};
    let operand = |kind, ty| Box::new(Expr { kind, ty, span });
    Expr {
        kind: ExprKind::Compare(
            crate::ast::CompareOp::Eq,
            operand(ExprKind::Field(field), ty),
            operand(ExprKind::Const(key.clone()), ty),
        ),
        ty: Type::YesNo,
        span,
    }
}

/// The points criterion `c` earned (0 unless it matched), over its column.
fn points_sql(scope: &Scope, c: usize) -> String {
    let d = scope.dialect;
    let crit = &scope.model.criteria[c];
    match &crit.earning {
        Earning::Fixed { decay: None, .. } => format!(
            "(CASE WHEN {} THEN {} ELSE {} END)",
            matched_col(c),
            d.double(crit.points),
            d.double(0.0)
        ),
        Earning::Fixed {
            decay: Some(decay), ..
        } => {
            let days = days_since(scope, decay.since);
            format!(
                "(CASE WHEN {} THEN {} ELSE {} END)",
                matched_col(c),
                arith::decayed(d, crit.points, &days, decay.half_life_days),
                d.double(0.0)
            )
        }
        Earning::PerUnit { decay: None, .. } | Earning::ByValue { .. } => {
            format!("coalesce({}, {})", unit_col(c), d.double(0.0))
        }
        // The capped points, faded from their date.
        Earning::PerUnit {
            decay: Some(decay), ..
        } => {
            let days = days_since(scope, decay.since);
            let faded = arith::decayed_sql(d, &unit_col(c), &days, decay.half_life_days);
            format!("coalesce({faded}, {})", d.double(0.0))
        }
    }
}

/// Days from field `since` to the as-of date as a double, a future date
/// counting as today (`semantics::score::decayed_points`).
fn days_since(scope: &Scope, since: usize) -> String {
    let since = value_col(since);
    scope.dialect.to_double(&format!(
        "(CASE WHEN {a} - {since} < 0 THEN 0 ELSE {a} - {since} END)",
        a = scope.as_of_sql
    ))
}

/// The most a criterion's points can be in size, when it is bounded.
fn points_bound(crit: &crate::model::Criterion) -> f64 {
    match &crit.earning {
        Earning::Fixed { .. } => crit.points.abs(),
        Earning::PerUnit { cap: Some(c), .. } => c.abs(),
        Earning::PerUnit { cap: None, .. } => f64::INFINITY,
        Earning::ByValue {
            entries, otherwise, ..
        } => entries
            .iter()
            .map(|e| e.points.abs())
            .fold(otherwise.abs(), f64::max),
    }
}

/// Sub-scores and the score, summed in the scorer's order
/// ([`crate::semantics::score::total_score`]). When the points cannot add
/// up past what a float holds, the sums are written plainly; otherwise each
/// step is a guarded sum in a layer of its own (a sum that overflows is
/// missing, and stays missing).
fn totals(scope: &Scope, layers: &mut Vec<Layer>) {
    let d = scope.dialect;
    let model = scope.model;
    let mut bound = 0.0;
    for crit in &model.criteria {
        bound += points_bound(crit);
    }
    for g in &model.groups {
        bound += g.cap.map_or(0.0, f64::abs) + g.floor.map_or(0.0, f64::abs);
    }
    let safe = bound.is_finite() && bound < f64::MAX / 4.0;
    let points: Vec<(String, String)> = (0..model.criteria.len())
        .map(|c| (points_col(c), points_sql(scope, c)))
        .collect();
    layers.push(("q_points".into(), points, true));
    // The floor lifts, then the cap lowers (semantics::score::bounded_sum;
    // a checked floor is at most the cap, so one CASE says both).
    let cap = |sum: &str, (floor, cap): (Option<f64>, Option<f64>)| {
        let mut arms = String::new();
        if let Some(c) = cap {
            arms.push_str(&format!(" WHEN {sum} > {c} THEN {c}", c = d.double(c)));
        }
        if let Some(f) = floor {
            arms.push_str(&format!(" WHEN {sum} < {f} THEN {f}", f = d.double(f)));
        }
        match arms.is_empty() {
            true => sum.to_string(),
            false => format!("(CASE{arms} ELSE {sum} END)"),
        }
    };
    // Terms of each sum: groups first, then the score.
    type Bounds = (Option<f64>, Option<f64>);
    let mut sums: Vec<(String, Vec<String>, Bounds)> = model
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            (
                group_col(g),
                group.criteria.iter().map(|&c| points_col(c)).collect(),
                (group.floor, group.cap),
            )
        })
        .collect();
    let mut score_terms: Vec<String> = (0..model.groups.len()).map(group_col).collect();
    score_terms.extend(
        (0..model.criteria.len())
            .filter(|&c| model.criteria[c].group.is_none())
            .map(points_col),
    );
    if safe {
        let groups: Vec<(String, String)> = sums
            .iter()
            .map(|(name, terms, c)| (name.clone(), cap(&plain_sum(d, terms), *c)))
            .collect();
        if !groups.is_empty() {
            layers.push(("q_groups".into(), groups, true));
        }
        layers.push((
            "q_total".into(),
            vec![(SCORE_COL.into(), plain_sum(d, &score_terms))],
            true,
        ));
        return;
    }
    sums.push((SCORE_COL.into(), score_terms, (None, None)));
    let mut step = 0;
    for (name, terms, c) in sums {
        let mut running = d.double(0.0);
        for term in terms {
            step += 1;
            let col = format!("q_sum{step}");
            layers.push((
                format!("q_step{step}"),
                vec![(
                    col.clone(),
                    arith::arith(d, crate::ast::ArithOp::Add, &running, &term),
                )],
                true,
            ));
            running = col;
        }
        layers.push((format!("q_{name}"), vec![(name, cap(&running, c))], true));
    }
}

fn plain_sum(d: Dialect, terms: &[String]) -> String {
    let mut sum = d.double(0.0);
    for t in terms {
        sum = format!("({sum} + {t})");
    }
    sum
}

#[cfg(test)]
mod tests;
