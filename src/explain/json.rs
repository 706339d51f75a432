//! An [`Explanation`] as JSON, for a CRM to show next to the lead. Numbers are
//! numbers, dates `YYYY-MM-DD`, yes/no booleans, missing values `null` (a
//! score or sub-score too large to represent among them); every
//! fact also carries its wording (`text`) so a client can show it as is.

use super::trace::Fact;
use super::{CriterionLine, Explanation, RuleLine};
use crate::model::{date_from_days, Value};
use serde_json::{json, Value as Json};

/// A value as JSON.
pub fn value(v: &Value) -> Json {
    match v {
        Value::Missing => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => number(*n),
        Value::Text(t) => Json::String(t.clone()),
        Value::Date(d) => Json::String(date_from_days(*d).to_string()),
    }
}

/// Whole numbers without a `.0`, the way they are written in a definition;
/// `null` for a number that is not finite (JSON has no infinity or NaN).
pub fn number(n: f64) -> Json {
    if n == n.trunc() && n.abs() < 1e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

/// A score that may be missing (too large to represent): `null` then.
pub fn optional_number(n: Option<f64>) -> Json {
    n.map_or(Json::Null, number)
}

fn fact(f: &Fact) -> Json {
    let mut j = json!({ "about": f.subject(), "text": f.text() });
    let v = match f {
        Fact::Field { value: v, .. } => value(v),
        Fact::Since { value: v, days, .. } => {
            j["days"] = days.map_or(Json::Null, Json::from);
            value(v)
        }
        Fact::Score(s) | Fact::GroupScore { score: s, .. } => optional_number(*s),
        Fact::Matched { matched, .. } => Json::Bool(*matched),
        Fact::Call { value: v, .. } => value(v),
        Fact::Stage(name) => Json::from(name.as_str()),
    };
    j["value"] = v;
    j
}

fn rule(r: &RuleLine) -> Json {
    json!({
        "name": r.name,
        "rule": r.rule,
        "held": r.held.word(),
        "facts": r.facts.iter().map(fact).collect::<Vec<_>>(),
    })
}

fn criterion(c: &CriterionLine) -> Json {
    json!({
        "name": c.name,
        "group": c.group,
        "rule": c.rule,
        "held": c.held.word(),
        "matched": c.matched,
        "points": number(c.points),
        "points_as_written": number(c.nominal),
        "note": c.note,
        "facts": c.facts.iter().map(fact).collect::<Vec<_>>(),
    })
}

pub fn to_json(e: &Explanation) -> Json {
    let mut j = plain_json(e);
    // Only with routes, so explanations without them read as they did.
    if e.has_routes {
        j["routes"] = Json::Array(e.routes.iter().map(rule).collect());
        j["route"] = e.route.as_deref().map_or(Json::Null, Json::from);
    }
    if e.has_handoff {
        j["handoff"] = e.handoff.as_ref().map_or(Json::Null, |l| json!(l));
    }
    j
}

fn plain_json(e: &Explanation) -> Json {
    json!({
        "definition": e.definition,
        "version": e.version,
        "as_of": date_from_days(e.as_of).to_string(),
        "id": e.id.as_ref().map_or(Json::Null, value),
        "disqualifiers": e.disqualifiers.iter().map(rule).collect::<Vec<_>>(),
        "disqualified": e.reason(),
        "criteria": e.criteria.iter().map(criterion).collect::<Vec<_>>(),
        "groups": e.groups.iter().map(group).collect::<Vec<_>>(),
        "score": optional_number(e.score),
        "stages": e.stages.iter().map(rule).collect::<Vec<_>>(),
        "stage": e.stage,
        "why": super::why::why(e),
    })
}

/// A group's line. `floor` is there only for a group that has one, so the
/// explanations of definitions without floors read as they always have.
fn group(g: &super::GroupLine) -> Json {
    let mut line = serde_json::Map::new();
    line.insert("name".into(), json!(g.name));
    line.insert("sum".into(), optional_number(g.sum));
    if let Some(floor) = g.floor {
        line.insert("floor".into(), number(floor));
    }
    line.insert("cap".into(), g.cap.map_or(Json::Null, number));
    line.insert("score".into(), optional_number(g.score));
    Json::Object(line)
}
