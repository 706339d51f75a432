//! Large and hostile definitions stay cheap to check, lint and diff: `let`
//! chains that double at each step are refused with one clear error before
//! anything is written out, and tens of thousands of stages, disqualifiers,
//! criteria or holidays cost a sweep, not a pass per pair.
//!
//! What is asserted is the result. The time limit is a hang guard only, far
//! above a normal run (the quadratic and cubic versions these guard against
//! take hours on these sizes), never a speed claim.

use qualify::compile::{compile_with, Passes};
use qualify::diagnostic::{Code, Diagnostic};
use qualify::diff::{diff, ChangeKind, Kind};
use qualify::eval::engine::Engine;
use qualify::eval::program::Fast;
use qualify::eval::reference;
use qualify::load::load_str;
use qualify::model::{Earning, Expr, ExprKind, Value};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

const HANG_GUARD: Duration = Duration::from_secs(300);

/// `f()` on its own thread; fails if it is still running after [`HANG_GUARD`].
fn guarded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(HANG_GUARD) {
        Ok(v) => v,
        Err(RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread sent nothing yet finished"),
        },
        Err(RecvTimeoutError::Timeout) => {
            panic!("{what}: still running after {HANG_GUARD:?} (hang guard)")
        }
    }
}

/// The diagnostics of checking `text` (with lints), under the hang guard.
fn diagnostics(what: &str, text: String) -> Vec<Diagnostic> {
    guarded(what, move || load_str("scale.lead", &text).diagnostics)
}

fn count(diags: &[Diagnostic], code: Code) -> usize {
    diags.iter().filter(|d| d.code == code).count()
}

/// `let l0 = x > 0`, then `let lK = lK-1 and lK-1` up to `l{n-1}`, and a
/// criterion using `l{used}`.
fn let_chain(n: usize, used: usize) -> String {
    let mut text = String::from("fields {\n  x number optional\n}\nlet l0 = x > 0\n");
    for k in 1..n {
        text += &format!("let l{k} = l{0} and l{0}\n", k - 1);
    }
    text += &format!("criterion \"c\" +1 when l{used}\nstage \"s\" otherwise\n");
    text
}

/// Parts of `lK` written out: `x > 0` is three (comparison, field,
/// number), and each step is an `and` of two copies of the one before.
fn chain_parts(k: usize) -> usize {
    (0..k).fold(3, |parts, _| 1 + 2 * parts)
}

fn nodes(e: &Expr) -> usize {
    1 + match &e.kind {
        ExprKind::And(xs) | ExprKind::Or(xs) | ExprKind::AtLeast(_, xs) => {
            xs.iter().map(nodes).sum()
        }
        ExprKind::Compare(_, l, r) | ExprKind::Arith(_, l, r) | ExprKind::TextTest(_, l, r) => {
            nodes(l) + nodes(r)
        }
        ExprKind::Not(x) | ExprKind::Neg(x) => nodes(x),
        _ => 0,
    }
}

/// The one error of a chain too large to write out, on its first `let` past
/// the limit (the ones built on it say nothing more).
fn assert_refused_at_l15(text: &str, diags: &[Diagnostic]) {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!(e.code, Code::TooLarge);
    assert!(chain_parts(14) <= 100_000 && chain_parts(15) > 100_000);
    assert_eq!(
        e.message,
        format!(
            "`l15` is too large: written out, it has {} parts (at most 100000)",
            chain_parts(15)
        )
    );
    let at = text.find("let l15 ").expect("l15 is declared") + "let ".len();
    assert_eq!((e.span.start, e.span.end), (at, at + "l15".len()));
}

#[test]
fn a_let_chain_doubling_forty_times_is_refused_at_its_first_too_large_let() {
    let text = let_chain(40, 39);
    let diags = diagnostics("40 doubling lets", text.clone());
    assert_refused_at_l15(&text, &diags);
}

#[test]
fn the_hostile_let_chain_file_gets_the_same_one_error() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/hostile/02-let-blowup/def.lead"
    ))
    .expect("the reproducer is in tests/data");
    let diags = diagnostics("24 doubling lets", text.clone());
    assert_refused_at_l15(&text, &diags);
}

#[test]
fn a_let_chain_below_the_limit_is_written_out_and_scores_right() {
    let text = let_chain(14, 13);
    let loaded = load_str("chain.lead", &text);
    assert_eq!(loaded.error_count(), 0, "{:#?}", loaded.diagnostics);
    let model = loaded.model.expect("checks");
    let Earning::Fixed { condition, .. } = &model.criteria[0].earning else {
        panic!("a fixed-points criterion");
    };
    assert_eq!(nodes(condition), chain_parts(13));
    let program = compile_with(&model, Passes::ALL);
    let fast = Fast {
        program: &program,
        as_of: 0,
    };
    let mut scratch = fast.scratch();
    for (x, matched) in [
        (Value::Number(1.0), true),
        (Value::Number(0.0), false),
        (Value::Missing, false),
    ] {
        let values = [x];
        let expected = reference::evaluate(&model, &values, 0);
        assert_eq!(expected.matched, vec![matched], "{values:?}");
        let got = fast.evaluate(&values, &mut scratch);
        assert_eq!(got.matched, expected.matched, "{values:?}");
        assert_eq!(got.score, expected.score, "{values:?}");
    }
}

/// `l12` written out is 16383 parts: forty copies fit in the definition's
/// limit, eighty do not, and that is said once.
#[test]
fn copies_of_lets_adding_up_past_the_limit_are_refused_once() {
    let with_uses = |uses: usize| {
        let mut text = let_chain(13, 12);
        for i in 1..uses {
            text += &format!("criterion \"c{i}\" +1 when l12 or x = {i}\n");
        }
        text
    };
    let fits = diagnostics("40 copies", with_uses(40));
    assert_eq!(fits.iter().filter(|d| d.is_error()).count(), 0);
    let diags = diagnostics("80 copies", with_uses(80));
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, Code::TooLarge);
    assert_eq!(
        errors[0].message,
        "written out where they are used, the `let`s of this definition add up to more than 1000000 parts"
    );
    assert_eq!(
        errors[0].label,
        "this copy of `l12` (16383 parts) goes past the limit"
    );
}

/// Stage k says `score > k`; the score is 0 or 1, so every stage after the
/// first is unreachable (covered by the first) and its threshold out of range.
#[test]
fn twenty_thousand_score_stages_are_linted_in_one_sweep() {
    let n = 20_000;
    let mut text =
        String::from("fields {\n  x number optional\n}\ncriterion \"c\" +1 when x > 0\n");
    for i in 0..n {
        text += &format!("stage \"s{i}\" when score > {i}\n");
    }
    text += "stage \"o\" otherwise\n";
    let diags = diagnostics("20,000 stages", text);
    assert_eq!(diags.iter().filter(|d| d.is_error()).count(), 0);
    assert_eq!(count(&diags, Code::UnreachableStage), n - 1);
    assert_eq!(count(&diags, Code::ThresholdOutOfRange), n - 1);
    assert_eq!(diags.len(), 2 * (n - 1));
    let last = diags
        .iter()
        .rfind(|d| d.code == Code::UnreachableStage)
        .expect("an unreachable stage");
    assert_eq!(
        last.message,
        format!("stage \"s{}\" can never be reached", n - 1)
    );
    assert_eq!(
        last.label,
        "every inquiry that meets this gets \"s0\" first"
    );
}

/// Criterion k matches `x = k`; disqualifier "everyone" (first) takes every
/// inquiry with `x` above -10⁹, and thousands more look at another field: each
/// criterion is shadowed, and "everyone" is named.
#[test]
fn thousands_of_criteria_against_thousands_of_disqualifiers_in_one_sweep() {
    let n = 5_000;
    let mut text = String::from("fields {\n  x number optional\n  t text optional\n}\n");
    text += "disqualify \"everyone\" when x > -1000000000\n";
    for i in 0..n {
        text += &format!("disqualify \"d{i}\" when t contains \"zz{i}\"\n");
    }
    for i in 0..n {
        text += &format!("criterion \"k{i}\" +1 when x = {i}\n");
    }
    text += "stage \"o\" otherwise\n";
    let diags = diagnostics("5,000 disqualifiers", text);
    let shadowed: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == Code::ShadowedByDisqualifier)
        .collect();
    assert_eq!(shadowed.len(), n);
    assert!(shadowed
        .iter()
        .all(|d| d.label == "whenever this holds, \"everyone\" holds too"));
}

fn criteria(n: usize, name: &str) -> String {
    let mut text = String::from("fields {\n  x number optional\n}\n");
    for i in 0..n {
        text += &format!("criterion \"{name}{i}\" +1 when x > {i}\n");
    }
    text + "stage \"s\" otherwise\n"
}

fn ast(text: &str) -> qualify::ast::Definition {
    qualify::syntax::parse(&qualify::source::SourceFile::new("d.lead", text)).expect("parses")
}

#[test]
fn diff_of_twenty_thousand_criteria_with_itself_an_edit_and_renames() {
    let n = 20_000;
    let base = ast(&criteria(n, "k"));
    let edited = ast(&criteria(n, "k").replace("\"k7\" +1", "\"k7\" +2"));
    let renamed = ast(&criteria(n, "r"));
    let (same, edit, renames) = guarded("diff of 20,000 criteria", move || {
        (
            diff(&base, &base, "a", "a"),
            diff(&base, &edited, "a", "b"),
            diff(&base, &renamed, "a", "b"),
        )
    });
    assert!(same.is_empty());
    let changes: Vec<_> = edit.changes_of(Kind::Criterion).collect();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].change, changes[0].name.as_str()),
        (ChangeKind::Changed, "k7")
    );
    let renamed: Vec<_> = renames.changes_of(Kind::Criterion).collect();
    assert_eq!(renamed.len(), n);
    for (i, c) in renamed.iter().enumerate() {
        assert_eq!(c.change, ChangeKind::Renamed);
        assert_eq!(c.name, format!("k{i}"));
        assert_eq!(c.new_name.as_deref(), Some(format!("r{i}").as_str()));
    }
}

#[test]
fn diff_of_twenty_thousand_holidays_with_itself_and_one_fewer() {
    let day = |i: i64| {
        (chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date") + chrono::Duration::days(i))
            .to_string()
    };
    let text = |days: std::ops::Range<i64>| {
        let dates: Vec<String> = days.map(day).collect();
        format!(
            "fields {{\n  d date optional\n}}\nholidays [{}]\ncriterion \"c\" +1 when business days since d > 3\nstage \"s\" otherwise\n",
            dates.join(", ")
        )
    };
    let all = ast(&text(0..20_000));
    let fewer = ast(&text(1..20_000));
    let (same, one_less) = guarded("diff of 20,000 holidays", move || {
        (diff(&all, &all, "a", "a"), diff(&all, &fewer, "a", "b"))
    });
    assert!(same.is_empty());
    let changes: Vec<_> = one_less.changes_of(Kind::Holiday).collect();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].change, changes[0].name.as_str()),
        (ChangeKind::Removed, day(0).as_str())
    );
}

/// Criterion k refers to criterion k+1, and the last two to each other: one
/// cycle, reported once, however many criteria lead into it.
#[test]
fn a_twenty_thousand_long_chain_into_a_cycle_is_reported_once() {
    let n = 20_000;
    let mut text = String::from("fields {\n  x number optional\n}\n");
    for i in 0..n - 1 {
        text += &format!(
            "criterion \"c{i}\" +1 when x > {i} or matched \"c{}\"\n",
            i + 1
        );
    }
    text += &format!("criterion \"c{}\" +1 when matched \"c{}\"\n", n - 1, n - 2);
    text += "stage \"s\" otherwise\n";
    let diags = diagnostics("a chain of 20,000 criteria", text);
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, Code::Cycle);
    assert_eq!(
        errors[0].message,
        format!(
            "criteria depend on each other in a circle: \"c{0}\" → \"c{1}\" → \"c{0}\"",
            n - 2,
            n - 1
        )
    );
}
