//! How large `let` conditions become once written out, and limits on it.
//!
//! In: the `let`s of a definition (through [`Scope`]). Out: for each `let`
//! condition, how many parts (nodes of the checked condition) it stands for
//! once the `let`s it uses are written out, worked out without writing them
//! out; and a running count of the parts copied into conditions.
//!
//! Every use of a `let` is a copy of it in the model, so a `let` that uses
//! another twice is twice its size, and a chain of such `let`s doubles at each
//! step: forty of them would stand for a trillion parts. The checker refuses a
//! `let` past [`MAX_LET_PARTS`] and a definition whose copies add up past
//! [`MAX_COPIED_PARTS`], before copying anything, so checking stays quick and
//! small whatever the text says, and nothing after the checker (compiler,
//! evaluators, explanations, lints) ever sees a condition that large.

use super::Scope;
use crate::ast::{self, LetValue};
use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};

/// Most parts one `let` condition may stand for, written out. Real ones have
/// tens; a hundred thousand is far past any definition people write.
pub const MAX_LET_PARTS: usize = 100_000;

/// Most parts the copies of `let`s may add up to in one definition (about a
/// hundred megabytes of conditions).
pub const MAX_COPIED_PARTS: usize = 1_000_000;

/// The sizes, worked out once per definition, and the parts copied so far.
#[derive(Default)]
pub struct Inlining {
    sizes: OnceCell<HashMap<String, LetSize>>,
    copied: Cell<usize>,
    over: Cell<bool>,
}

/// One `let` condition's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LetSize {
    /// Parts once written out (saturating).
    pub parts: usize,
    /// Whether it is too large although every `let` it uses directly is not:
    /// the one to report (those built on it are too large because of it).
    pub first_too_large: bool,
}

impl LetSize {
    pub fn too_large(self) -> bool {
        self.parts > MAX_LET_PARTS
    }
}

impl Inlining {
    /// The size of the `let` condition `name` (`None` for anything else).
    pub fn size(&self, scope: &Scope<'_>, name: &str) -> Option<LetSize> {
        self.sizes.get_or_init(|| sizes(scope)).get(name).copied()
    }

    /// Count `parts` more copied parts; false once the definition's total is
    /// past [`MAX_COPIED_PARTS`].
    pub fn copy(&self, parts: usize) -> bool {
        let total = self.copied.get().saturating_add(parts);
        self.copied.set(total);
        total <= MAX_COPIED_PARTS
    }

    /// True the first time it is asked (so the total is reported once).
    pub fn first_time_over(&self) -> bool {
        !self.over.replace(true)
    }
}

/// One `let` condition's own parts and the `let` conditions it names.
struct Body<'a> {
    own: usize,
    uses: Vec<&'a str>,
}

/// Every `let` condition's size, in one pass over the `let`s in dependency
/// order (no recursion across `let`s, so a long chain cannot overflow the
/// stack). A `let` in a cycle counts the use that closes it as one part; the
/// cycle itself is reported where it is resolved.
fn sizes(scope: &Scope<'_>) -> HashMap<String, LetSize> {
    let bodies: HashMap<&str, Body<'_>> = scope
        .lets
        .iter()
        .filter_map(|(name, decl)| match &decl.value {
            LetValue::Condition(e) => {
                let mut body = Body {
                    own: 0,
                    uses: Vec::new(),
                };
                tally(scope, e, &mut body);
                Some((name.as_str(), body))
            }
            LetValue::List(_) => None,
        })
        .collect();
    let mut names: Vec<&str> = bodies.keys().copied().collect();
    names.sort_unstable(); // the same walk every run
    let mut out: HashMap<String, LetSize> = HashMap::new();
    // The `let`s on the current path: a use of one of them closes a cycle.
    let mut open: HashSet<&str> = HashSet::new();
    for &root in &names {
        if out.contains_key(root) {
            continue;
        }
        open.insert(root);
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let body = &bodies[top.0];
            if let Some(&used) = body.uses.get(top.1) {
                top.1 += 1;
                if !out.contains_key(used) && open.insert(used) {
                    stack.push((used, 0));
                }
                continue;
            }
            let mut parts = body.own;
            let mut any_used_too_large = false;
            for used in &body.uses {
                // A use still open closes a cycle: one part, as written.
                let size = out.get(*used).map_or(1, |s| s.parts);
                any_used_too_large |= size > MAX_LET_PARTS;
                parts = parts.saturating_add(size.saturating_sub(1));
            }
            let name = top.0;
            out.insert(
                name.to_string(),
                LetSize {
                    parts,
                    first_too_large: parts > MAX_LET_PARTS && !any_used_too_large,
                },
            );
            open.remove(name);
            stack.pop();
        }
    }
    out
}

/// Count the parts of `e` as the checker will build them (parentheses are not
/// parts) and note the `let` conditions it names.
fn tally<'a>(scope: &Scope<'a>, e: &'a ast::Expr, body: &mut Body<'a>) {
    use ast::ExprKind as A;
    if !matches!(e.kind, A::Paren(_)) {
        body.own += 1;
    }
    if let A::Name(n) = &e.kind {
        let is_condition = scope.field_id(n).is_none()
            && matches!(
                scope.lets.get(n).map(|d| &d.value),
                Some(LetValue::Condition(_))
            );
        if is_condition {
            body.uses.push(n.as_str());
        }
    }
    for x in e.children() {
        tally(scope, x, body);
    }
}
