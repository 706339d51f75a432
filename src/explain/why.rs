//! The compact `why` of a score: the criteria that earned points, in
//! definition order (`decision maker +20; asked for a demo +30; gone quiet -15`),
//! preceded by the disqualification when there is one.

use super::{signed, Explanation};

pub fn why(e: &Explanation) -> String {
    let mut parts = Vec::new();
    if let Some(reason) = e.reason() {
        parts.push(format!("disqualified: {reason}"));
    }
    for c in e.criteria.iter().filter(|c| c.matched) {
        if c.points == 0.0 {
            parts.push(c.name.clone());
        } else {
            parts.push(format!("{} {}", c.name, signed(c.points)));
        }
    }
    for g in &e.groups {
        if let Some(cap) = g.cap {
            if g.sum > cap {
                parts.push(format!(
                    "{} capped at {}",
                    g.name,
                    crate::model::format_number(cap)
                ));
            }
        }
    }
    parts.join("; ")
}
