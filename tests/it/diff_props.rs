//! Property tests of `qualify diff`: a definition compared with itself, with a
//! re-laid-out copy of itself (whitespace reflowed, comments added, independent
//! declarations reordered) or with its conditions rewritten into equivalent
//! forms reports no change; a change of points is always reported.

use crate::diff::{diff_of, BASE};
use crate::support::root;
use proptest::prelude::*;
use qualify::ast::{
    Amount, CompareOp, CriterionBody, Definition, Expr, ExprKind, Item, LetValue, Span, StageRule,
};
use qualify::diff::render::{self, Paint};
use qualify::diff::{diff, ChangeKind, Kind};
use qualify::load::load_str;

/// The shipped definitions, their revisions, and the test base.
fn corpus() -> Vec<(String, String)> {
    let mut files = vec![("base".to_string(), BASE.to_string())];
    for dir in ["rules", "rules/revisions"] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
            .expect("folder exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "lead"))
            // Companion example files hold only examples, not a definition.
            .filter(|p| {
                !p.to_string_lossy()
                    .ends_with(qualify::suite::EXAMPLES_SUFFIX)
            })
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("readable");
            files.push((p.display().to_string(), text));
        }
    }
    files
}

fn parsed(text: &str) -> Definition {
    let loaded = load_str("x.lead", text);
    assert_eq!(loaded.error_count(), 0, "{:#?}\n{text}", loaded.diagnostics);
    loaded.ast.expect("parses")
}

/// Pieces of definition text: tokens that must stay as they are, and the gaps
/// (whitespace and comments) between them, which are layout.
enum Piece<'a> {
    Token(&'a str),
    Gap,
}

const PUNCTUATION: &[char] = &['{', '}', '[', ']', '(', ')', ',', ':'];

fn lex(text: &str) -> Vec<Piece<'_>> {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    let mut last_word = "";
    let end_of = |k: usize| bytes.get(k).map_or(text.len(), |(at, _)| *at);
    while i < bytes.len() {
        let (start, c) = bytes[i];
        if c.is_whitespace() || c == '#' {
            while i < bytes.len() && (bytes[i].1.is_whitespace() || bytes[i].1 == '#') {
                if bytes[i].1 == '#' {
                    while i < bytes.len() && bytes[i].1 != '\n' {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            pieces.push(Piece::Gap);
        } else if c == '"' || (c == '/' && last_word == "matches") {
            i += 1;
            while i < bytes.len() && bytes[i].1 != c {
                i += if bytes[i].1 == '\\' { 2 } else { 1 };
            }
            i += 1;
            pieces.push(Piece::Token(&text[start..end_of(i)]));
            last_word = "";
        } else if PUNCTUATION.contains(&c) {
            i += 1;
            pieces.push(Piece::Token(&text[start..end_of(i)]));
            last_word = "";
        } else {
            while i < bytes.len() {
                let d = bytes[i].1;
                if d.is_whitespace() || d == '#' || d == '"' || PUNCTUATION.contains(&d) {
                    break;
                }
                i += 1;
            }
            last_word = &text[start..end_of(i)];
            pieces.push(Piece::Token(last_word));
        }
    }
    pieces
}

const LAYOUTS: &[&str] = &[
    " ",
    "  ",
    "\n",
    "\n\n    ",
    "\t",
    " # a comment, # with a hash\n",
    "\n# a whole line of comment \"quoted\"\n  ",
];

// `missing` also starts `missing when` and `missing values`.
const TWO_WORD_STARTS: &[&str] = &[
    "at", "one", "as", "agreed", "missing", "points", "count", "in", "the",
];

/// The same tokens with other whitespace and comments between them. Where two
/// tokens touched, they may touch or not; where they did not, they still do not.
fn reflow(text: &str, choices: &[u8]) -> String {
    let mut out = String::new();
    let mut n = 0usize;
    let mut pick = || {
        n += 1;
        choices.get(n % choices.len().max(1)).copied().unwrap_or(0) as usize
    };
    let mut gap_before = true;
    let mut last = "";
    for piece in lex(text) {
        match piece {
            Piece::Gap => {
                // Two-word keywords (`at most`, `one of`, `as of`, `agreed by`,
                // `missing when`) take whitespace between their words, not comments.
                let layouts = if TWO_WORD_STARTS.contains(&last) {
                    &LAYOUTS[..5]
                } else {
                    LAYOUTS
                };
                out.push_str(layouts[pick() % layouts.len()]);
                gap_before = true;
            }
            Piece::Token(t) => {
                // A function's name and its `(` touch (`min(`): a gap would
                // make the name a value.
                let call = t == "("
                    && !gap_before
                    && last.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
                last = t;
                let touches_punctuation = t.starts_with(PUNCTUATION) || out.ends_with(PUNCTUATION);
                if !gap_before && touches_punctuation && !call && pick().is_multiple_of(2) {
                    out.push_str(LAYOUTS[pick() % LAYOUTS.len()]);
                }
                out.push_str(t);
                gap_before = false;
            }
        }
    }
    out.push('\n');
    out
}

/// The items in another order, keeping disqualifiers among themselves and
/// stages (and routes) among themselves in order (their order means something); the fields
/// of a `fields` block shuffled too. Comments between items are dropped.
fn reorder(text: &str, keys: &[u8]) -> String {
    let def = parsed(text);
    let slice = |s: Span| &text[s.start..s.end];
    let mut items: Vec<(usize, &Item, String)> = def
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item_text = match item {
                Item::Fields(block) => {
                    let mut fields: Vec<(usize, &str)> = block
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(j, f)| (j, slice(f.span)))
                        .collect();
                    fields.sort_by_key(|(j, _)| {
                        keys.get(j % keys.len().max(1)).copied().unwrap_or(0) as usize * 1000 + j
                    });
                    let lines: Vec<&str> = fields.into_iter().map(|(_, t)| t).collect();
                    format!("fields {{\n{}\n}}", lines.join("\n"))
                }
                other => slice(other.span()).to_string(),
            };
            (i, item, item_text)
        })
        .collect();
    items.sort_by_key(|(i, _, _)| {
        keys.get((i * 7 + 3) % keys.len().max(1))
            .copied()
            .unwrap_or(0) as usize
            * 1000
            + i
    });
    // Put stages back in their original relative order, likewise
    // disqualifiers and routes.
    for is_kind in [
        (|item: &Item| matches!(item, Item::Stage(_))) as fn(&Item) -> bool,
        |item: &Item| matches!(item, Item::Disqualify(_)),
        |item: &Item| matches!(item, Item::Route(_)),
    ] {
        let slots: Vec<usize> = (0..items.len()).filter(|&k| is_kind(items[k].1)).collect();
        let mut in_order: Vec<(usize, &Item, String)> =
            slots.iter().map(|&k| items[k].clone()).collect();
        in_order.sort_by_key(|(i, _, _)| *i);
        for (slot, entry) in slots.into_iter().zip(in_order) {
            items[slot] = entry;
        }
    }
    items
        .into_iter()
        .map(|(_, _, t)| t)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Rewrite every condition into an equivalent form, steered by `choices`.
fn rewrite_definition(def: &mut Definition, choices: &[u8]) {
    let mut n = 0usize;
    let mut next = || {
        n += 1;
        choices.get(n % choices.len().max(1)).copied().unwrap_or(0)
    };
    let mut visit = |e: &mut Expr| rewrite(e, &mut next, true);
    for item in &mut def.items {
        match item {
            // A `let` naming a number is a value (points, a cap), not a condition;
            // so is one computing a number (`round(x / 60)`, `a * b`).
            Item::Let(l) => {
                if let LetValue::Condition(e) = &mut l.value {
                    let computed = matches!(e.kind, ExprKind::Call(..) | ExprKind::Arith(..));
                    if e.literal_number().is_none() && !computed {
                        visit(e)
                    }
                }
            }
            Item::Disqualify(d) => visit(&mut d.condition),
            Item::Criterion(c) => criterion_conditions(c, &mut visit),
            Item::Group(g) => g
                .criteria
                .iter_mut()
                .for_each(|c| criterion_conditions(c, &mut visit)),
            Item::Stage(s) | Item::Route(s) => {
                if let StageRule::When(e) = &mut s.rule {
                    visit(e)
                }
            }
            _ => {}
        }
    }
}

fn criterion_conditions(c: &mut qualify::ast::Criterion, visit: &mut impl FnMut(&mut Expr)) {
    match &mut c.body {
        CriterionBody::When { condition, .. } => visit(condition),
        CriterionBody::PerUnit { condition, .. } => {
            if let Some(e) = condition {
                visit(e)
            }
        }
        CriterionBody::ByValue { .. } => {}
    }
}

fn wrap(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn flipped(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        same => same,
    }
}

fn negated(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Ge => CompareOp::Lt,
    }
}

/// One meaning-preserving rewrite at each node, chosen by `next`. Values (not
/// conditions) only get parentheses.
fn rewrite(e: &mut Expr, next: &mut impl FnMut() -> u8, condition: bool) {
    match &mut e.kind {
        ExprKind::And(items) | ExprKind::Or(items) => {
            items.iter_mut().for_each(|i| rewrite(i, next, true));
            let by = next() as usize % items.len().max(1);
            items.rotate_left(by);
            if next().is_multiple_of(3) {
                if let Some(first) = items.first().cloned() {
                    items.push(first); // `a and a` is `a`
                }
            }
        }
        ExprKind::Compare(op, l, r) => {
            rewrite(l, next, false);
            rewrite(r, next, false);
            match next() % 3 {
                0 => {
                    *op = flipped(*op);
                    std::mem::swap(l, r);
                }
                1 => {
                    // not (a < b) is a >= b
                    let inner = wrap(ExprKind::Compare(negated(*op), l.clone(), r.clone()));
                    *e = wrap(ExprKind::Not(Box::new(wrap(ExprKind::Paren(Box::new(
                        inner,
                    ))))));
                }
                _ => {}
            }
        }
        ExprKind::Not(inner) => rewrite(inner, next, true),
        ExprKind::Paren(inner) => rewrite(inner, next, condition),
        ExprKind::In { negated, .. } if next().is_multiple_of(2) => {
            *negated = !*negated;
            let inner = std::mem::replace(e, wrap(ExprKind::Bool(true)));
            *e = wrap(ExprKind::Not(Box::new(wrap(ExprKind::Paren(Box::new(
                inner,
            ))))));
        }
        _ => {}
    }
    if next().is_multiple_of(4) {
        let inner = std::mem::replace(e, wrap(ExprKind::Bool(true)));
        *e = wrap(ExprKind::Paren(Box::new(inner)));
    }
    if condition && next().is_multiple_of(5) {
        let inner = std::mem::replace(e, wrap(ExprKind::Bool(true)));
        *e = wrap(ExprKind::Not(Box::new(wrap(ExprKind::Not(Box::new(
            inner,
        ))))));
    }
}

/// Every condition and amount of `def`, in a fixed order.
fn conditions_mut(def: &mut Definition) -> Vec<&mut Expr> {
    let mut out: Vec<&mut Expr> = Vec::new();
    for item in &mut def.items {
        match item {
            Item::Let(l) => {
                // A `let` that names a number (`let strong = 25`, used as
                // points) is a value, not a condition to rewrite.
                if let LetValue::Condition(e) = &mut l.value {
                    if e.literal_number().is_none() {
                        out.push(e)
                    }
                }
            }
            Item::Disqualify(d) => out.push(&mut d.condition),
            Item::Criterion(c) => push_criterion(c, &mut out),
            Item::Group(g) => g
                .criteria
                .iter_mut()
                .for_each(|c| push_criterion(c, &mut out)),
            Item::Stage(s) | Item::Route(s) => {
                if let StageRule::When(e) = &mut s.rule {
                    out.push(e)
                }
            }
            _ => {}
        }
    }
    out
}

fn push_criterion<'a>(c: &'a mut qualify::ast::Criterion, out: &mut Vec<&'a mut Expr>) {
    match &mut c.body {
        CriterionBody::When { condition, .. } => out.push(condition),
        CriterionBody::PerUnit {
            amount, condition, ..
        } => {
            out.push(amount);
            if let Some(e) = condition {
                out.push(e)
            }
        }
        CriterionBody::ByValue { .. } => {}
    }
}

fn assert_same_meaning(name: &str, old: &str, new: &str) {
    let d = diff_of(old, new);
    assert!(
        d.is_empty(),
        "{name}: a layout-only change was reported:\n{}\n--- new text ---\n{new}",
        render::text(&d, Paint(false))
    );
}

fn tokens(text: &str) -> Vec<&str> {
    lex(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Token(t) => Some(t),
            Piece::Gap => None,
        })
        .collect()
}

#[test]
fn the_variations_really_change_the_text() {
    let reflowed = reflow(BASE, &[5, 6, 3]);
    assert!(reflowed.contains("# a comment"), "{reflowed}");
    assert_eq!(tokens(&reflowed), tokens(BASE));
    let moved = reorder(BASE, &[200, 3, 100, 7, 50, 1, 9]);
    assert_ne!(tokens(&moved), tokens(BASE));
    let stages: Vec<usize> = ["\"sales ready\"", "\"qualified\"", "\"nurture\""]
        .iter()
        .map(|s| moved.find(&format!("stage {s}")).expect("stage kept"))
        .collect();
    assert!(stages.windows(2).all(|w| w[0] < w[1]), "{moved}");
}

/// Printing a condition and parsing it again gives the same syntax tree
/// (spans aside): the printer keeps what was written, parentheses included.
#[test]
fn printed_conditions_parse_to_the_same_tree() {
    for (name, text) in corpus() {
        let mut original = parsed(&text);
        let mut edits: Vec<(Span, String)> = conditions_mut(&mut original)
            .iter()
            .map(|e| (e.span, qualify::diff::print::expr(e)))
            .collect();
        edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
        let mut new_text = text.clone();
        for (span, replacement) in edits {
            new_text.replace_range(span.start..span.end, &format!("{replacement}\n"));
        }
        assert_ne!(new_text, text, "{name}");
        assert_eq!(parsed(&new_text), original, "{name}:\n{new_text}");
    }
}

/// Nothing random here: each definition of the corpus once.
#[test]
fn a_definition_compared_with_itself_has_no_change() {
    for (name, text) in corpus() {
        assert_same_meaning(&name, &text, &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn reflowed_whitespace_and_comments_are_no_change(choices in prop::collection::vec(any::<u8>(), 1..64)) {
        for (name, text) in corpus() {
            assert_same_meaning(&name, &text, &reflow(&text, &choices));
        }
    }

    #[test]
    fn reordered_independent_declarations_are_no_change(
        keys in prop::collection::vec(any::<u8>(), 1..32),
        choices in prop::collection::vec(any::<u8>(), 1..32),
    ) {
        for (name, text) in corpus() {
            let moved = reorder(&text, &keys);
            assert_same_meaning(&name, &text, &moved);
            assert_same_meaning(&name, &text, &reflow(&moved, &choices));
        }
    }

    #[test]
    fn equivalent_conditions_are_no_change(choices in prop::collection::vec(any::<u8>(), 1..64)) {
        for (name, text) in corpus() {
            let old = parsed(&text);
            let mut new = old.clone();
            rewrite_definition(&mut new, &choices);
            let d = diff(&old, &new, "old", "new");
            prop_assert!(d.is_empty(), "{name}: {}\n{new:#?}", render::text(&d, Paint(false)));
        }
    }

    /// The condition printer: each condition rewritten, printed back into the
    /// text in place of the original and parsed again means the same.
    #[test]
    fn printed_conditions_read_back_the_same(choices in prop::collection::vec(any::<u8>(), 1..64)) {
        for (name, text) in corpus() {
            let mut original = parsed(&text);
            let spans: Vec<Span> = conditions_mut(&mut original).iter().map(|e| e.span).collect();
            let mut rewritten = original.clone();
            rewrite_definition(&mut rewritten, &choices);
            let printed: Vec<String> = conditions_mut(&mut rewritten)
                .iter()
                .map(|e| qualify::diff::print::expr(e))
                .collect();
            prop_assert_eq!(spans.len(), printed.len());
            let mut edits: Vec<(Span, String)> = spans.into_iter().zip(printed).collect();
            edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
            let mut new_text = text.clone();
            for (span, replacement) in edits {
                // An expression's span can run on over the whitespace and
                // comments after it; end the printed text with a newline so
                // what follows stays apart.
                new_text.replace_range(span.start..span.end, &format!("{replacement}\n"));
            }
            assert_same_meaning(&name, &text, &new_text);
        }
    }

    #[test]
    fn a_change_of_points_is_always_reported(pick in any::<prop::sample::Index>(), delta in 1..50i32) {
        for (name, text) in corpus() {
            let old = parsed(&text);
            let mut new = old.clone();
            let criteria: Vec<&mut qualify::ast::Criterion> = new
                .items
                .iter_mut()
                .flat_map(|item| match item {
                    Item::Criterion(c) => vec![c],
                    Item::Group(g) => g.criteria.iter_mut().collect(),
                    _ => vec![],
                })
                // Points written as numbers (a named one changes with its `let`).
                .filter(|c| c.points.as_ref().is_some_and(|p| matches!(p.value, Amount::Literal(_))))
                .collect();
            let count = criteria.len();
            let Some(c) = criteria.into_iter().nth(pick.index(count.max(1))) else { continue };
            let target = c.name.value.clone();
            if let Some(p) = &mut c.points {
                if let Amount::Literal(n) = p.value {
                    p.value = Amount::Literal(n + f64::from(delta));
                }
            }
            let d = diff(&old, &new, "old", "new");
            let changes: Vec<_> = d.changes_of(Kind::Criterion).collect();
            prop_assert_eq!(changes.len(), 1, "{}", name);
            prop_assert_eq!(changes[0].change, ChangeKind::Changed);
            prop_assert_eq!(&changes[0].name, &target);
            prop_assert_eq!(&changes[0].details[0].aspect, "points");
        }
    }
}
