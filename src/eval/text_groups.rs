//! Text tests grouped by the field they read: a program in, for each text
//! field, the nodes that test that field against constants only (`in`, `=`,
//! `contains`, `starts with`, `ends with`, `matches`).
//!
//! Such a node's result depends on nothing but the cell's text, and exported
//! inquiry lists repeat the same few hundred job titles, states, sources and
//! note templates row after row. So a batch computes all of a field's tests
//! for a text once and remembers the answers by the text itself
//! ([`TextMemo`]): on a repeat, every test of the field costs one hash and one
//! comparison together. The memo is exact and per worker, so results never
//! depend on it, and it switches itself off for a column whose values do not
//! repeat (emails, free notes).

use super::text_memo::TextMemo;
use crate::model::Type;
use crate::program::{Node, NodeId, Program};

/// Tests per group: two bits each (the test's [`crate::semantics::Truth`] byte) in the memo's `u64`.
pub(super) const MAX_MEMBERS: usize = 32;

/// The tests of one text field that are remembered together.
pub(super) struct TextGroup {
    pub field: usize,
    pub members: Vec<NodeId>,
    /// Regex sets over the field that some member belongs to: run once per
    /// new text, before the members.
    pub sets: Vec<usize>,
    pub memo: TextMemo,
}

/// The groups of `p`, and for each node the group it belongs to.
pub(super) fn group(p: &Program) -> (Vec<TextGroup>, Vec<Option<u32>>) {
    let mut groups: Vec<TextGroup> = Vec::new();
    let mut group_of = vec![None; p.nodes.len()];
    for (id, node) in p.nodes.iter().enumerate() {
        let Some(field) = tested_field(p, *node) else {
            continue;
        };
        let g = match groups
            .iter()
            .position(|g| g.field == field && g.members.len() < MAX_MEMBERS)
        {
            Some(g) => g,
            None => {
                groups.push(TextGroup {
                    field,
                    members: Vec::new(),
                    sets: Vec::new(),
                    memo: TextMemo::default(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        group.members.push(id as NodeId);
        if let Node::Matches(_, r) = node {
            if let Some((set, _)) = p.regexes[*r as usize].in_set {
                if p.regex_sets[set].field == field && !group.sets.contains(&set) {
                    group.sets.push(set);
                }
            }
        }
        group_of[id] = Some(g as u32);
    }
    (groups, group_of)
}

/// The text field `node` tests, if it is a test of one text field against
/// constants only.
fn tested_field(p: &Program, node: Node) -> Option<usize> {
    let operands: Vec<NodeId> = match node {
        Node::In(x, _, _) | Node::Matches(x, _) => vec![x],
        Node::TextTest(_, a, b) | Node::Compare(_, a, b) => vec![a, b],
        _ => return None,
    };
    let mut field = None;
    for a in operands {
        match p.nodes[a as usize] {
            Node::Const(_) => {}
            Node::Field(f)
                if p.model.fields[f].ty == Type::Text && field.is_none_or(|g| g == f) =>
            {
                field = Some(f)
            }
            _ => return None,
        }
    }
    field
}
