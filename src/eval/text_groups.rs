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
use crate::ast::{CompareOp, TextOp};
use crate::model::{Type, Value};
use crate::program::{Node, NodeId, Program};
use memchr::memmem::Finder;

/// Tests per group: two bits each (the test's [`crate::semantics::Truth`] byte) in the memo's `u64`.
pub(super) const MAX_MEMBERS: usize = 32;

/// The tests of one text field that are remembered together.
pub(super) struct TextGroup {
    pub field: usize,
    pub members: Vec<NodeId>,
    /// Per member, the test as a [`Quick`] when it is one of the field
    /// against a text constant; `None` for the rest (patterns, lists).
    pub quick: Vec<Option<Quick>>,
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
                    quick: Vec::new(),
                    sets: Vec::new(),
                    memo: TextMemo::default(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        group.members.push(id as NodeId);
        group.quick.push(Quick::of(p, *node, field));
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

/// A test of a field's cell against one text constant, run on an ASCII cell
/// without the general row evaluator: no dispatch per test, no copy of the
/// cell per test, and `contains` by a searcher built once per run. Every
/// answer is what [`super::row_ops`] gives (the truth tables and the
/// engines-agree property test hold them to it): an ASCII cell's fold is
/// its ASCII lowercasing, and the constant is folded already.
pub(super) enum Quick {
    StartsWith(Box<[u8]>),
    EndsWith(Box<[u8]>),
    Contains(Box<Finder<'static>>),
    /// `=` (or `!=` when the flag is set).
    Equals(Box<[u8]>, bool),
}

impl Quick {
    /// The quick form of `node`, a test of `field`, if it has one.
    pub(super) fn of(p: &Program, node: Node, field: usize) -> Option<Quick> {
        let text = |k: NodeId| match p.nodes[k as usize] {
            Node::Const(c) => match &p.consts[c as usize] {
                crate::program::Constant {
                    value: Value::Text(_),
                    folded: Some(f),
                } => Some(f.as_bytes().into()),
                _ => None,
            },
            _ => None,
        };
        let is_field = |a: NodeId| matches!(p.nodes[a as usize], Node::Field(f) if f == field);
        match node {
            Node::TextTest(op, a, b) if is_field(a) => {
                let needle: Box<[u8]> = text(b)?;
                Some(match op {
                    TextOp::StartsWith => Quick::StartsWith(needle),
                    TextOp::EndsWith => Quick::EndsWith(needle),
                    TextOp::Contains => {
                        Quick::Contains(Box::new(Finder::new(&needle).into_owned()))
                    }
                })
            }
            Node::Compare(op @ (CompareOp::Eq | CompareOp::Ne), a, b) => {
                let k = match (is_field(a), is_field(b)) {
                    (true, false) => b,
                    (false, true) => a,
                    _ => return None,
                };
                Some(Quick::Equals(text(k)?, op == CompareOp::Ne))
            }
            _ => None,
        }
    }

    /// Whether the test holds for `cell`, a trimmed ASCII cell. `lower`
    /// holds its ASCII lowercasing once `made` is set (made here on first
    /// need, so a row's `contains` tests share one copy).
    #[inline]
    pub(super) fn holds(&self, cell: &str, lower: &mut String, made: &mut bool) -> bool {
        let h = cell.as_bytes();
        match self {
            Quick::StartsWith(n) => h.get(..n.len()).is_some_and(|e| e.eq_ignore_ascii_case(n)),
            Quick::EndsWith(n) => h
                .len()
                .checked_sub(n.len())
                .is_some_and(|i| h[i..].eq_ignore_ascii_case(n)),
            Quick::Contains(finder) => {
                if !*made {
                    lower.clear();
                    lower.push_str(cell);
                    lower.make_ascii_lowercase();
                    *made = true;
                }
                finder.find(lower.as_bytes()).is_some()
            }
            Quick::Equals(n, negated) => h.eq_ignore_ascii_case(n) != *negated,
        }
    }
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
