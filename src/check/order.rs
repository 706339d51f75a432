//! Dependency order of criteria: `matched "X"` and `at least N of (...)` make a
//! criterion depend on others. Cycles are errors naming every member; otherwise
//! the model gets an evaluation order (definition order where free to choose).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;

pub(super) fn order_criteria(model: &mut Model, diags: &mut Vec<Diagnostic>) -> Option<()> {
    let n = model.criteria.len();
    // Kahn's algorithm, always taking the earliest ready criterion: stable order.
    let mut waiting: Vec<usize> = model.criteria.iter().map(|c| c.depends_on.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (id, c) in model.criteria.iter().enumerate() {
        for &d in &c.depends_on {
            dependents[d].push(id);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(next) = ready.pop_first() {
        order.push(next);
        for &d in &dependents[next] {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.insert(d);
            }
        }
    }
    if order.len() == n {
        model.evaluation_order = order;
        return Some(());
    }
    for cycle in cycles(model, &waiting) {
        let names: Vec<String> = cycle
            .iter()
            .map(|&i| format!("\"{}\"", model.criteria[i].name))
            .collect();
        let first = cycle[0];
        let mut d = Diagnostic::error(
            Code::Cycle,
            model.criteria[first].span,
            format!("criteria depend on each other in a circle: {} → {}", names.join(" → "), names[0]),
        )
        .label("starts here")
        .help("a criterion cannot (even indirectly) depend on itself; remove one `matched` in the circle");
        for &i in &cycle[1..] {
            d = d.related(model.criteria[i].span, "part of the circle");
        }
        diags.push(d);
    }
    None
}

/// Each cycle among the criteria still waiting, found by walking dependencies
/// from the earliest criterion not yet reported.
///
/// Each step goes to the first dependency still waiting, so from any criterion
/// there is one way to walk, and it ends in one cycle (or nowhere): a walk that
/// reaches a criterion an earlier walk went through ends where that one ended,
/// and stops there. With positions on the path looked up, not searched for,
/// every criterion is walked through once, however long the chains.
fn cycles(model: &Model, waiting: &[usize]) -> Vec<Vec<usize>> {
    let n = model.criteria.len();
    let mut reported = vec![false; n];
    let mut walked = vec![false; n];
    let mut on_path: Vec<Option<usize>> = vec![None; n];
    let mut out = Vec::new();
    for start in 0..n {
        if waiting[start] == 0 || reported[start] {
            continue;
        }
        // Walk to any stuck dependency until a criterion repeats.
        let mut path = vec![start];
        on_path[start] = Some(0);
        let mut cur = start;
        while let Some(&next) = model.criteria[cur]
            .depends_on
            .iter()
            .find(|&&d| waiting[d] > 0)
        {
            if let Some(pos) = on_path[next] {
                let cycle = path[pos..].to_vec();
                if cycle.iter().all(|&c| !reported[c]) {
                    for &c in &cycle {
                        reported[c] = true;
                    }
                    let min_pos = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, &c)| c)
                        .map(|(i, _)| i)
                        .unwrap_or(0);
                    let mut rotated = cycle[min_pos..].to_vec();
                    rotated.extend_from_slice(&cycle[..min_pos]);
                    out.push(rotated);
                }
                break;
            }
            if walked[next] {
                break; // an earlier walk went on from here: nothing new
            }
            on_path[next] = Some(path.len());
            path.push(next);
            cur = next;
        }
        for &c in &path {
            on_path[c] = None;
            walked[c] = true;
        }
        reported[start] = true;
    }
    out
}
