//! Aggregates of events in SQL: the events table and the model's aggregates
//! in, the parts of the query that give each lead its aggregates out (the
//! events' own chain of parts, the grouped counts and dates, and the joins
//! that bring them to the leads).
//!
//! The meaning is [`crate::semantics::events`]'s, written as SQL:
//! - an event row `score --events` would reject (a bad cell, a missing
//!   `lead` or `at`) counts for nothing; so does one dated after the as-of
//!   date;
//! - an event counts when its `where` is yes (unknown does not count);
//!   `in the last N days` keeps `as_of - at < N`, `in the last N business
//!   days` the same in business days with the definition's holidays;
//! - events join leads by `lead` = `id`, text folded as every comparison
//!   folds it;
//! - `count of` is 0 for a lead with no such events; `first` and `last` are
//!   NULL then; a decayed count sums each event's weight in whole
//!   millionths, then divides by a million (0 for no events);
//! - `since D` keeps events on or after the lead's own D, and is NULL when D
//!   is: grouped per distinct (lead, D), since D comes from the lead's row.

use super::cells;
use super::expr::{folded_col, value_col, Scope};
use super::Refusal;
use crate::model::{AggregateKind, EventWindow, Type};
use crate::semantics::events::{DECAYED_TO_NOTHING, MILLION};

/// What [`events_sql`] adds to the query.
pub struct EventsSql {
    /// Whole common table expressions (`name AS (...)`), written before the
    /// aggregates' layer, in order.
    pub ctes: Vec<String>,
    /// The aggregates' layer's columns: `q_ag{a}`, each aggregate's value
    /// (a number as `DOUBLE`, a date as a day number).
    pub cols: Vec<(String, String)>,
    /// What follows `FROM` the layer before in the aggregates' layer: the
    /// left joins of the grouped parts.
    pub joins: String,
}

/// The column holding aggregate `a`'s value for each lead.
pub fn aggregate_col(a: usize) -> String {
    format!("q_ag{a}")
}

/// The parts that give every lead of `scope.model` its aggregates, reading
/// the events from `source` (a table name or a `read_csv(...)`); `layer` is
/// the name of the lead layer the aggregates' layer reads (its values and
/// folded text).
pub fn events_sql(scope: &Scope, source: &str, layer: &str) -> Result<EventsSql, Vec<Refusal>> {
    let d = scope.dialect;
    let model = scope.model;
    let Some(events) = &model.events else {
        return Ok(EventsSql {
            ctes: Vec::new(),
            cols: Vec::new(),
            joins: String::new(),
        });
    };
    let mut refusals = Vec::new();
    // The events' own chain, as the leads' (cells, parts, values, rejects).
    let table = cells::table_sql(d, &events.fields, &mut refusals);
    let (raw, cell_cols, parts, vals, arms) = (
        table.raw,
        table.cells,
        table.parts,
        table.values,
        table.reject_arms,
    );
    // Conditions over the events' fields read the events' columns.
    let mut event_model = model.clone();
    event_model.fields = events.fields.clone();
    let event_scope = Scope {
        dialect: d,
        model: &event_model,
        as_of: scope.as_of,
        as_of_sql: scope.as_of_sql.clone(),
        holidays: scope.holidays.clone(),
    };
    let key_of = |ty: Type, f: usize| match ty {
        Type::Text => folded_col(f),
        _ => value_col(f),
    };
    let event_key = key_of(events.fields[events.lead].ty, events.lead);
    let at = value_col(events.at);
    let Some(id) = model.id_field() else {
        return Err(vec![Refusal {
            span: events.span,
            message: "events join the leads by `id`, and the definition has no `id` field".into(),
        }]);
    };
    let lead_key = key_of(model.fields[id].ty, id);
    let valid = if arms.is_empty() {
        "TRUE".to_string()
    } else {
        format!("(CASE {} END) IS NULL", arms.join(" "))
    };
    // Each part of the chain behind the engine's barrier, as the leads'
    // layers are: PostgreSQL and Spark would otherwise copy every part's
    // expressions into the next, and the copies grow exponentially.
    let cte = |name: &str, cols: &[(String, String)], from: &str, keep: bool, barrier: usize| {
        let mut list: Vec<String> = if keep { vec!["*".into()] } else { Vec::new() };
        list.extend(cols.iter().map(|(n, sql)| format!("{sql} AS {n}")));
        if list.is_empty() {
            list.push("*".into());
        }
        format!(
            "{name} AS (\n  SELECT\n    {}\n  FROM {from}{}\n)",
            list.join(",\n    "),
            d.keep_layer(barrier)
        )
    };
    // Which events count at all; the grouped parts keep only those.
    let usable = format!(
        "({valid} AND {event_key} IS NOT NULL AND {at} IS NOT NULL AND {at} <= {})",
        scope.as_of_sql
    );
    let mut ctes = vec![
        cte("q_e_src", &raw, source, false, 100),
        cte("q_e_cells", &cell_cols, "q_e_src", true, 101),
        cte("q_e_parts", &parts, "q_e_cells", true, 102),
        cte("q_e_vals", &vals, "q_e_parts", true, 103),
        cte(
            "q_e_ok",
            &[
                ("q_ekey".into(), event_key.clone()),
                ("q_eat".into(), at.clone()),
                ("q_eok".into(), usable),
            ],
            "q_e_vals",
            true,
            104,
        ),
    ];

    // Each aggregate's test of one event, before any `since`.
    let mut grouped = Vec::new();
    let mut cols = Vec::new();
    let mut joins = String::new();
    for (a, agg) in model.aggregates.iter().enumerate() {
        let filter = match &agg.filter {
            None => "TRUE".to_string(),
            Some(cond) => match event_scope.sql(cond) {
                Ok(sql) => format!("coalesce({sql}, FALSE)"),
                Err(r) => {
                    refusals.push(r);
                    continue;
                }
            },
        };
        let window = match &agg.window {
            EventWindow::All | EventWindow::Since(_) => "TRUE".to_string(),
            EventWindow::LastDays(n) => format!("({} - q_eat < {n})", scope.as_of_sql),
            EventWindow::LastBusinessDays(n) => {
                format!("({} < {n})", scope.business_days_from("q_eat"))
            }
        };
        let counted = format!("({filter} AND {window})");
        let summary = |prefix: &str| match agg.kind {
            AggregateKind::Count => format!("count(CASE WHEN {counted} THEN 1 END) AS {prefix}{a}"),
            AggregateKind::Decayed { half_life_days } => format!(
                "sum(CASE WHEN {counted} THEN {} END) AS {prefix}{a}",
                weight_millionths(scope, half_life_days)
            ),
            AggregateKind::First => {
                format!("min(CASE WHEN {counted} THEN q_eat END) AS {prefix}{a}")
            }
            AggregateKind::Last => {
                format!("max(CASE WHEN {counted} THEN q_eat END) AS {prefix}{a}")
            }
        };
        let value = |column: &str| match agg.kind {
            AggregateKind::Count => d.to_double(&format!("coalesce({column}, 0)")),
            AggregateKind::Decayed { .. } => format!(
                "({} / {})",
                d.to_double(&format!("coalesce({column}, 0)")),
                d.double(MILLION)
            ),
            AggregateKind::First | AggregateKind::Last => column.to_string(),
        };
        match &agg.window {
            EventWindow::Since(since) => {
                let since = match scope.sql(since) {
                    Ok(sql) => sql,
                    Err(r) => {
                        refusals.push(r);
                        continue;
                    }
                };
                let name = format!("q_es{a}");
                ctes.push(format!(
                    "{name} AS (\n  SELECT q_l.q_lkey, q_l.q_ld, {}\n  FROM (SELECT DISTINCT {lead_key} AS q_lkey, {since} AS q_ld FROM {layer} WHERE {lead_key} IS NOT NULL AND {since} IS NOT NULL) q_l\n  JOIN q_e_ok ON q_e_ok.q_eok AND q_e_ok.q_ekey = q_l.q_lkey AND q_e_ok.q_eat >= q_l.q_ld\n  GROUP BY q_l.q_lkey, q_l.q_ld\n)",
                    summary("q_s")
                ));
                joins.push_str(&format!(
                    "\n  LEFT JOIN {name} ON {lead_key} = {name}.q_lkey AND {since} = {name}.q_ld"
                ));
                cols.push((
                    aggregate_col(a),
                    format!(
                        "(CASE WHEN {since} IS NULL THEN NULL ELSE {} END)",
                        value(&format!("{name}.q_s{a}"))
                    ),
                ));
            }
            _ => {
                grouped.push(summary("q_c"));
                cols.push((aggregate_col(a), value(&format!("q_e_agg.q_c{a}"))));
            }
        }
    }
    if !grouped.is_empty() {
        ctes.push(format!(
            "q_e_agg AS (\n  SELECT q_ekey, {}\n  FROM q_e_ok\n  WHERE q_eok\n  GROUP BY q_ekey\n)",
            grouped.join(", ")
        ));
        joins.insert_str(
            0,
            &format!("\n  LEFT JOIN q_e_agg ON {lead_key} = q_e_agg.q_ekey"),
        );
    }
    if refusals.is_empty() {
        Ok(EventsSql { ctes, cols, joins })
    } else {
        Err(refusals)
    }
}

/// An event's weight in millionths ([`crate::semantics::events::weight_millionths`]),
/// for the event row's date `q_eat`: the same IEEE operations in the same
/// order, so the same whole number in every engine. Summed as whole numbers
/// below 2^53, the order the engine adds them in does not matter.
fn weight_millionths(scope: &Scope, half_life_days: f64) -> String {
    let d = scope.dialect;
    let days = d.to_double(&format!("({} - q_eat)", scope.as_of_sql));
    let exponent = format!("({days} / {})", d.double(half_life_days));
    format!(
        "(CASE WHEN {exponent} >= {} THEN {} ELSE floor(power({}, {exponent}) * {} + {}) END)",
        d.double(DECAYED_TO_NOTHING),
        d.double(0.0),
        d.double(0.5),
        d.double(MILLION),
        d.double(0.5),
    )
}
