//! Several regexes testing the same field become one multi-pattern search, run
//! once per row and cell instead of once per regex.

use crate::program::{Node, Program, RegexId, RegexSetCode};
use regex_automata::meta;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Members per set at most: the evaluator keeps one set's result for a row
/// (and remembers it per cell text) as one bit per member in a `u64`.
pub const MAX_SET_MEMBERS: usize = 64;

pub fn group_regexes(p: &mut Program) {
    let mut by_field: BTreeMap<usize, Vec<RegexId>> = BTreeMap::new();
    for node in &p.nodes {
        if let Node::Matches(x, r) = *node {
            if let Node::Field(f) = p.nodes[x as usize] {
                let list = by_field.entry(f).or_default();
                if !list.contains(&r) {
                    list.push(r);
                }
            }
        }
    }
    let groups = by_field.into_iter().flat_map(|(field, members)| {
        let chunks: Vec<Vec<RegexId>> = members
            .chunks(MAX_SET_MEMBERS)
            .map(<[RegexId]>::to_vec)
            .collect();
        chunks.into_iter().map(move |chunk| (field, chunk))
    });
    for (field, members) in groups {
        if members.len() < 2
            || members
                .iter()
                .any(|&r| p.regexes[r as usize].in_set.is_some())
        {
            continue;
        }
        let patterns: Vec<&str> = members
            .iter()
            .map(|&r| p.regexes[r as usize].pattern.as_str())
            .collect();
        // Built like the single regexes (case-insensitive, same size limit);
        // when the set cannot be built they simply stay single.
        let built = meta::Builder::new()
            .configure(
                meta::Config::new()
                    // Report every pattern that matches, not just the first.
                    .match_kind(regex_automata::MatchKind::All)
                    .nfa_size_limit(Some(1 << 22)),
            )
            .syntax(regex_automata::util::syntax::Config::new().case_insensitive(true))
            .build_many(&patterns);
        let Ok(set) = built else { continue };
        let index = p.regex_sets.len();
        for (i, &r) in members.iter().enumerate() {
            p.regexes[r as usize].in_set = Some((index, i));
        }
        p.regex_sets.push(RegexSetCode {
            field,
            set: Arc::new(set),
            members,
        });
    }
}
