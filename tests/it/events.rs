//! Events and their aggregates: `check` (codes, did-you-mean, a `where`
//! naming a lead field), the streaming fold against the plain reading on
//! random events (every kind and window), replay (no event after the as-of
//! date changes anything), business-day windows across a holiday, and
//! `score --events` (counts that add up, rejected events, unknown leads,
//! the refusal without `--events`, no input overwritten).

use crate::support::{qualify, root, stderr, stdout};
use proptest::prelude::*;
use qualify::diagnostic::Code;
use qualify::eval::events::folded_values;
use qualify::load::load_str;
use qualify::model::{Model, Value};
use qualify::semantics::events::with_aggregates;

const HEAD: &str = r#"fields {
  id          text
  handed_off  date  optional
}
events activity {
  lead  from "Lead ID"
  type  one of "call", "email", "reply"
  at    date
  page  text  optional
}
holidays [2026-11-26]
"#;

/// Every aggregate kind and window the language has, in one definition.
const EVERY_AGGREGATE: &str = r#"
criterion "a" +1 when count of activity >= 1
criterion "b" +1 when count of activity where type = "call" since handed_off >= 2
criterion "c" +1 when count of activity where page contains "pricing" in the last 7 days >= 1
criterion "d" +1 when count of activity in the last 5 business days >= 2
criterion "e" +1 when days since last activity where type = "reply" < 3
criterion "f" +1 when first activity where type = "email" since handed_off is present
criterion "g" +1 when last activity in the last 3 business days is missing
criterion "h" +1 when first activity >= 2026-11-10
criterion "i" +5 per activity where page contains "pricing", at most 12, each halving every 7 days
criterion "j" -2 per activity since handed_off, each halving every 3 days
criterion "k" +1.5 per activity in the last 4 business days, each halving every 0.7 days when handed_off is present
stage "s" otherwise
"#;

fn model(rules: &str) -> Model {
    let loaded = load_str("t.lead", &format!("{HEAD}{rules}"));
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.model.expect("a model")
}

fn codes(rules: &str) -> Vec<(Code, String, Option<String>)> {
    load_str("t.lead", &format!("{HEAD}{rules}"))
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message, d.help))
        .collect()
}

fn day(d: i32) -> Value {
    // 2026-11-01 is day 20758.
    Value::Date(20_758 + d)
}

#[test]
fn check_names_what_is_wrong_with_an_aggregate() {
    let found = codes("criterion \"x\" +1 when count of activty >= 1\nstage \"s\" otherwise\n");
    assert!(
        found.iter().any(|(c, m, h)| *c == Code::UnknownEvents
            && m.contains("activty")
            && h.as_deref() == Some("did you mean `activity`?")),
        "{found:?}"
    );
    let found = codes(
        "criterion \"x\" +1 when count of activity where handed_off is present >= 1\nstage \"s\" otherwise\n",
    );
    assert!(
        found.iter().any(|(c, m, _)| *c == Code::InvalidEvents
            && m.contains("`handed_off` is a field of the lead")),
        "{found:?}"
    );
    let found = codes("criterion \"x\" +1 when count of activity where type = \"cal\" >= 1\nstage \"s\" otherwise\n");
    assert!(
        found.iter().any(|(c, _, _)| *c == Code::NotInOneOf),
        "{found:?}"
    );
    let found = codes(
        "criterion \"x\" +1 when first activity since handed_off > 3\nstage \"s\" otherwise\n",
    );
    assert!(
        found.iter().any(|(c, _, _)| *c == Code::TypeMismatch),
        "{found:?}"
    );
}

#[test]
fn an_events_block_needs_an_id_a_lead_and_a_date() {
    let text = "fields {\n  key text\n}\nevents activity {\n  lead from \"L\"\n  at date\n}\nstage \"s\" otherwise\n";
    let found: Vec<_> = load_str("t.lead", text)
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect();
    assert!(
        found
            .iter()
            .any(|(c, m)| *c == Code::InvalidEvents && m.contains("no `id` field")),
        "{found:?}"
    );
    let text = "fields {\n  id text\n}\nevents activity {\n  lead from \"L\"\n  when_ date\n}\nstage \"s\" otherwise\n";
    let found: Vec<_> = load_str("t.lead", text)
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect();
    assert!(
        found
            .iter()
            .any(|(c, m)| *c == Code::InvalidEvents && m.contains("no `at` field")),
        "{found:?}"
    );
}

/// An event: its type (0..3), day, and whether its page says pricing.
fn event(m: &Model, (ty, d, pricing): (usize, i32, Option<bool>)) -> Vec<Value> {
    let block = m.events.as_ref().expect("events");
    let mut v = vec![Value::Missing; block.fields.len()];
    v[block.field_named("type").expect("type")] =
        Value::Text(["call", "email", "reply"][ty].to_string());
    v[block.at] = day(d);
    v[block.field_named("page").expect("page")] = match pricing {
        Some(true) => Value::Text("/Pricing".into()),
        Some(false) => Value::Text("/blog".into()),
        None => Value::Missing,
    };
    v
}

fn same(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The fold the batch scorer uses gives what the plain reading gives,
    /// for every kind and window, whatever the events and their order.
    #[test]
    fn the_fold_agrees_with_the_plain_reading(
        events in proptest::collection::vec((0usize..3, -20i32..60, proptest::option::of(any::<bool>())), 0..25),
        handed_off in proptest::option::of(-5i32..40),
        as_of in 0i32..50,
    ) {
        let m = model(EVERY_AGGREGATE);
        let lead = vec![Value::Text("L-1".into()), handed_off.map_or(Value::Missing, day)];
        let events: Vec<Vec<Value>> = events.into_iter().map(|e| event(&m, e)).collect();
        let as_of = 20_758 + as_of;
        let plain = with_aggregates(&m, &lead, &events, as_of);
        let folded = folded_values(&m, &lead, &events, as_of);
        prop_assert!(same(&plain, &folded), "{plain:?}\n{folded:?}");
        let outcome = qualify::eval::reference::evaluate(&m, &plain, as_of);
        let program = qualify::compile::compile(&m);
        let fast = qualify::eval::program::Fast { program: &program, as_of };
        use qualify::eval::engine::Engine;
        let mut scratch = fast.scratch();
        prop_assert!(fast.evaluate(&folded, &mut scratch).same_bits(&outcome));
    }

    /// A decayed count is the same whatever order the events come in: whole
    /// millionths add up the same way in any order (so SQL's unordered sums agree).
    #[test]
    fn the_order_of_the_events_changes_nothing(
        events in proptest::collection::vec((0usize..3, -20i32..60, proptest::option::of(any::<bool>())), 0..25),
        seed in any::<u64>(),
    ) {
        let m = model(EVERY_AGGREGATE);
        let as_of = 20_758 + 45;
        let lead = vec![Value::Text("L-1".into()), day(3)];
        let events: Vec<Vec<Value>> = events.into_iter().map(|e| event(&m, e)).collect();
        let mut shuffled = events.clone();
        // A permutation from the seed, without another dependency.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let a = folded_values(&m, &lead, &events, as_of);
        let b = folded_values(&m, &lead, &shuffled, as_of);
        prop_assert!(a.iter().zip(&b).all(|(x, y)| match (x, y) {
            (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits(),
            _ => x == y,
        }), "{a:?}\n{b:?}");
    }

    /// The table `score --events` folds the events file into, many leads at
    /// once, with each lead's `since` dates preset from the leads file (or
    /// not), gives each lead what the plain reading gives: ids in other case
    /// or with spaces, one id on two rows with different dates, events of
    /// ids the leads lack.
    #[test]
    fn the_table_agrees_with_the_plain_reading_with_and_without_preset(
        leads in proptest::collection::vec((0usize..4, proptest::option::of(-5i32..40)), 1..6),
        events in proptest::collection::vec(
            (0usize..5, (0usize..3, -20i32..60, proptest::option::of(any::<bool>()))), 0..40),
        preset in any::<bool>(),
        as_of in 0i32..50,
    ) {
        use qualify::eval::events::{lead_key, EventsTable, Folder};
        let m = model(EVERY_AGGREGATE);
        let as_of = 20_758 + as_of;
        let block = m.events.as_ref().expect("events");
        let id = m.id_field().expect("an id");
        let leads: Vec<Vec<Value>> = leads
            .iter()
            .map(|(k, h)| vec![Value::Text(["L-1", "L-2", "l-3", "L-4"][*k].into()), h.map_or(Value::Missing, day)])
            .collect();
        let events: Vec<Vec<Value>> = events
            .iter()
            .map(|(k, e)| {
                let mut v = event(&m, *e);
                v[block.lead] = Value::Text(["l-1", " L-2", "L-3", "L-4", "X-9"][*k].into());
                v
            })
            .collect();
        let folder = Folder::new(&m, as_of);
        let mut table = EventsTable::new(false);
        if preset {
            for l in &leads {
                table.preset(&folder, l, id);
            }
            table.preset_done();
        }
        for e in &events {
            table.add(&folder, e.clone());
        }
        for l in &leads {
            let mine: Vec<Vec<Value>> = events
                .iter()
                .filter(|e| lead_key(&e[block.lead]) == lead_key(&l[id]))
                .cloned()
                .collect();
            let plain = with_aggregates(&m, l, &mine, as_of);
            let mut got = l.clone();
            table.append_aggregates(&folder, id, &mut got);
            prop_assert!(same(&plain, &got), "{plain:?}\n{got:?}");
        }
    }

    /// With the lead's `since` dates preset, the fold gives what the plain
    /// reading gives.
    #[test]
    fn the_preset_fold_agrees_with_the_plain_reading(
        events in proptest::collection::vec((0usize..3, -20i32..60, proptest::option::of(any::<bool>())), 0..25),
        handed_off in proptest::option::of(-5i32..40),
        as_of in 0i32..50,
    ) {
        let m = model(EVERY_AGGREGATE);
        let lead = vec![Value::Text("L-1".into()), handed_off.map_or(Value::Missing, day)];
        let events: Vec<Vec<Value>> = events.into_iter().map(|e| event(&m, e)).collect();
        let as_of = 20_758 + as_of;
        let plain = with_aggregates(&m, &lead, &events, as_of);
        let folded = qualify::eval::events::folded_values_preset(&m, &lead, &events, as_of);
        prop_assert!(same(&plain, &folded), "{plain:?}\n{folded:?}");
    }

    /// Replay: events dated after the as-of date change no aggregate.
    #[test]
    fn no_event_after_the_as_of_date_is_seen(
        events in proptest::collection::vec((0usize..3, -20i32..30, proptest::option::of(any::<bool>())), 0..15),
        later in proptest::collection::vec((0usize..3, 1i32..40, proptest::option::of(any::<bool>())), 1..10),
    ) {
        let m = model(EVERY_AGGREGATE);
        let as_of = 20_758 + 30;
        let lead = vec![Value::Text("L-1".into()), day(2)];
        let before: Vec<Vec<Value>> = events.into_iter().map(|e| event(&m, e)).collect();
        let mut all = before.clone();
        all.extend(later.into_iter().map(|(t, d, p)| event(&m, (t, 30 + d, p))));
        prop_assert!(same(&folded_values(&m, &lead, &before, as_of), &folded_values(&m, &lead, &all, as_of)));
        prop_assert!(same(&with_aggregates(&m, &lead, &before, as_of), &with_aggregates(&m, &lead, &all, as_of)));
    }
}

#[test]
fn a_lead_without_events_counts_zero_and_has_no_first_or_last() {
    let m = model("criterion \"x\" +1 when count of activity >= 0 and first activity is missing and last activity is missing\nstage \"s\" otherwise\n");
    let lead = vec![Value::Text("L".into()), Value::Missing];
    let values = with_aggregates(&m, &lead, &[], 20_400);
    assert_eq!(
        &values[2..],
        &[Value::Number(0.0), Value::Missing, Value::Missing]
    );
    let outcome = qualify::eval::reference::evaluate(&m, &values, 20_400);
    assert!(outcome.matched[0]);
}

/// Each event's points halve every half-life from the event's own date,
/// rounded to millionths of the per-event points' multiplier, and the
/// total is capped after the sum.
#[test]
fn each_event_decays_from_its_own_date() {
    use qualify::semantics::events::weight_millionths;
    assert_eq!(weight_millionths(0, 30.0), 1_000_000);
    assert_eq!(weight_millionths(30, 30.0), 500_000);
    assert_eq!(weight_millionths(60, 30.0), 250_000);
    // 10^6 / 2^7 = 7812.5: halves round up.
    assert_eq!(weight_millionths(7, 1.0), 7_813);
    // 0.5^(1/3) = 0.79370052...
    assert_eq!(weight_millionths(10, 30.0), 793_701);
    // 0.5^20 is 0.95 millionths, 0.5^21 is 0.48: the latter rounds to 0.
    assert_eq!(weight_millionths(20, 1.0), 1);
    assert_eq!(weight_millionths(21, 1.0), 0);
    assert_eq!(weight_millionths(10_000, 1.0), 0);

    let m = model(
        "criterion \"views\" +5 per activity where page contains \"pricing\", at most 9, each halving every 10 days\nstage \"s\" otherwise\n",
    );
    let lead = vec![Value::Text("L".into()), Value::Missing];
    let as_of = 20_758 + 40;
    // Today, 10 days ago, 20 days ago; one not on pricing; one after the as-of date.
    let events: Vec<Vec<Value>> = [
        (0, 40, Some(true)),
        (1, 30, Some(true)),
        (2, 20, Some(true)),
        (0, 40, Some(false)),
        (0, 41, Some(true)),
    ]
    .into_iter()
    .map(|e| event(&m, e))
    .collect();
    let values = with_aggregates(&m, &lead, &events, as_of);
    assert_eq!(values[2], Value::Number(1.75));
    let outcome = qualify::eval::reference::evaluate(&m, &values, as_of);
    // 5 × 1.75 = 8.75, under the cap.
    assert_eq!(outcome.score, Some(8.75));
    // Two more views today: 5 × 3.75 = 18.75, capped at 9.
    let mut more = events.clone();
    more.extend(
        [(0, 40, Some(true)), (1, 40, Some(true))]
            .into_iter()
            .map(|e| event(&m, e)),
    );
    let values = with_aggregates(&m, &lead, &more, as_of);
    assert_eq!(values[2], Value::Number(3.75));
    assert_eq!(
        qualify::eval::reference::evaluate(&m, &values, as_of).score,
        Some(9.0)
    );
    // No events: nothing earned, and the criterion is not matched.
    let values = with_aggregates(&m, &lead, &[], as_of);
    let outcome = qualify::eval::reference::evaluate(&m, &values, as_of);
    assert_eq!((outcome.score, outcome.matched[0]), (Some(0.0), false));
}

/// `each halving` needs points earned per event; said where and how.
#[test]
fn each_halving_needs_points_per_event() {
    let found = codes("criterion \"a\" +5 when handed_off is present, each halving every 7 days\nstage \"s\" otherwise\n");
    assert!(
        found
            .iter()
            .any(|(c, m, _)| *c == Code::InvalidEvents && m.contains("not earned per event")),
        "{found:?}"
    );
    let text = "fields {\n  id text\n  pages number\n}\nevents activity {\n  lead from \"L\"\n  at date\n}\ncriterion \"a\" +5 per pages, each halving every 7 days\nstage \"s\" when count of activity >= 1\nstage \"t\" otherwise\n";
    let found: Vec<_> = load_str("t.lead", text)
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message, d.help))
        .collect();
    assert!(
        found.iter().any(|(c, m, h)| *c == Code::InvalidEvents
            && m.contains("`pages` is not a list of events")
            && h.as_deref()
                .is_some_and(|h| h.contains("+5 per activity where"))),
        "{found:?}"
    );
    // A bare `per activity` counts each event; `per activity` with a
    // `where` naming a lead field is told apart.
    let m = model(
        "criterion \"a\" +1 per activity, each halving every 7 days\nstage \"s\" otherwise\n",
    );
    assert_eq!(m.aggregates.len(), 1);
    let found = codes("criterion \"a\" +1 per activity where handed_off is present, each halving every 7 days\nstage \"s\" otherwise\n");
    assert!(
        found
            .iter()
            .any(|(c, m, _)| *c == Code::InvalidEvents && m.contains("field of the lead")),
        "{found:?}"
    );
}

#[test]
fn business_day_windows_skip_weekends_and_holidays() {
    // As of Friday 2026-11-27; Thursday 26 is a holiday. The last 2 business
    // days are Wednesday 25 and Friday 27: an event on Tuesday 24 is out.
    let m = model("criterion \"x\" +1 when count of activity in the last 2 business days >= 1\nstage \"s\" otherwise\n");
    let lead = vec![Value::Text("L".into()), Value::Missing];
    let as_of = 20_758 + 26;
    let count = |d: i32| with_aggregates(&m, &lead, &[event(&m, (0, d, None))], as_of)[2].clone();
    assert_eq!(count(24), Value::Number(1.0), "Wednesday 25");
    assert_eq!(
        count(25),
        Value::Number(1.0),
        "the holiday itself, before Friday"
    );
    assert_eq!(count(23), Value::Number(0.0), "Tuesday 24");
    assert_eq!(count(26), Value::Number(1.0), "the as-of day");
    assert_eq!(count(27), Value::Number(0.0), "after the as-of day");
}

fn cadence(extra: &[&str]) -> std::process::Output {
    let r = root();
    let rules = r.join("rules/recycle-cadence.lead");
    let leads = r.join("examples/recycle-leads.csv");
    let mut args = vec![
        "score",
        rules.to_str().unwrap_or_default(),
        leads.to_str().unwrap_or_default(),
        "--as-of",
        "2026-11-20",
    ];
    args.extend_from_slice(extra);
    qualify(&args)
}

#[test]
fn score_with_events_reads_the_cadence_and_accounts_for_every_event() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rejects = dir.path().join("rejects.csv");
    // The shipped sample, and one bad row: a type the block does not list.
    let events = dir.path().join("events.csv");
    let mut sample =
        std::fs::read_to_string(root().join("examples/activity-events.csv")).expect("the sample");
    sample.push_str("L-3,fax,2026-11-11,\n");
    std::fs::write(&events, sample).expect("write the events");
    let run = |engine: &str| {
        cadence(&[
            "--events",
            events.to_str().unwrap_or_default(),
            "--engine",
            engine,
            "--rejects",
            rejects.to_str().unwrap_or_default(),
        ])
    };
    // L-3 (as of 2026-11-20): 10 for two pricing views in 14 days, and
    // 5 × (0.5^(10/30) + 0.5^(1/30)) = 8.85 as the same two views fade.
    let out = run("program");
    assert_eq!(
        out.status.code(),
        Some(3),
        "a rejected event: {}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out),
        "id,score,stage,disqualified,matched\n\
         L-1,5,back to marketing,,recent activity\n\
         L-2,20,engaged,,replied\n\
         L-3,18.85,working,,reading pricing; pricing interest\n"
    );
    let err = stderr(&out);
    assert!(
        err.contains("13 rows read = 10 used + 1 rejected + 1 after the as-of date + 1 for leads not in the input"),
        "{err}"
    );
    assert!(err.contains("line 14: column \"Activity Type\""), "{err}");
    assert!(err.contains("not in the input: L-9"), "{err}");
    assert_eq!(
        stdout(&run("reference")),
        stdout(&out),
        "the reference engine agrees"
    );
}

#[test]
fn a_definition_with_events_needs_the_events_file_and_never_writes_it() {
    let out = cadence(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--events FILE"), "{}", stderr(&out));
    let events = root().join("examples/activity-events.csv");
    let before = std::fs::read(&events).expect("the sample");
    let e = events.to_str().unwrap_or_default();
    let out = cadence(&["--events", e, "-o", e]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&events).expect("the sample"), before);
}

/// `compile --to sql` joins the events table the user names; without one,
/// the query cannot be written, and the error says which option names it.
/// (What the query gives is held to `score --events` by sql_engines.)
#[test]
fn sql_needs_the_events_table_named() {
    let rules = root().join("rules/recycle-cadence.lead");
    let sql = |extra: &[&str]| {
        let mut args = vec![
            "compile",
            rules.to_str().unwrap_or_default(),
            "--to",
            "sql",
            "--dialect",
            "postgres",
            "--table",
            "leads",
        ];
        args.extend_from_slice(extra);
        qualify(&args)
    };
    let out = sql(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("sql-unsupported") && err.contains("--events-table"),
        "{err}"
    );
    let out = sql(&["--events-table", "crm.activity"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let query = String::from_utf8_lossy(&out.stdout);
    assert!(
        query.contains("FROM crm.activity") && query.contains("GROUP BY"),
        "{query}"
    );
    let out = sql(&["--events-csv", "examples/activity-events.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--events-csv reads a file with DuckDB only"));
}

#[test]
fn a_field_read_only_by_a_since_window_is_used() {
    let found = codes("criterion \"x\" +1 when count of activity since handed_off >= 1\nstage \"s\" when score > 0\nstage \"t\" otherwise\n");
    assert!(
        !found.iter().any(|(c, _, _)| *c == Code::Unused),
        "{found:?}"
    );
}

/// `where` conditions holding aggregates holding `where`s recurse in the
/// parser as parentheses do: too many in one declaration is `too-deep`,
/// on a small stack, never an overflow.
#[test]
fn aggregates_nested_in_where_are_bounded_before_parsing() {
    let mut cond = "kind = \"call\"".to_string();
    for _ in 0..2000 {
        cond = format!("count of activity where {cond} >= 1");
    }
    let text = format!("{HEAD}criterion \"x\" +1 when {cond}\nstage \"s\" otherwise\n");
    let found = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || load_str("t.lead", &text).diagnostics)
        .expect("a thread")
        .join()
        .expect("no overflow");
    assert!(found.iter().any(|d| d.code == Code::TooDeep), "{found:?}");
    // A few are read, and told apart: an aggregate inside a `where`.
    let found = codes("criterion \"x\" +1 when count of activity where count of activity >= 1 >= 1\nstage \"s\" otherwise\n");
    assert!(
        found
            .iter()
            .any(|(c, m, _)| *c == Code::InvalidEvents && m.contains("inside a `where`")),
        "{found:?}"
    );
}

#[test]
fn an_events_block_no_aggregate_reads_is_a_warning() {
    let found = codes("stage \"s\" when handed_off is present\nstage \"t\" otherwise\n");
    assert!(
        found
            .iter()
            .any(|(c, m, _)| *c == Code::Unused && m.contains("events `activity` are never read")),
        "{found:?}"
    );
    let found = codes("stage \"s\" when count of activity >= 1 and handed_off is present\nstage \"t\" otherwise\n");
    assert!(
        !found.iter().any(|(c, _, _)| *c == Code::Unused),
        "{found:?}"
    );
}

/// Commands that score a file refuse a definition with aggregates without
/// `--events`, naming it, rather than score every lead as eventless.
#[test]
fn commands_without_events_refuse_aggregates() {
    let r = root();
    let rules = r.join("rules/recycle-cadence.lead");
    let leads = r.join("examples/recycle-leads.csv");
    let (rules, leads) = (
        rules.to_str().unwrap_or_default(),
        leads.to_str().unwrap_or_default(),
    );
    for (args, says) in [
        (vec!["diff", rules, rules, "--against", leads], "--events"),
        (vec!["doc", rules, "--against", leads], "--events"),
        (
            vec![
                "backtest",
                rules,
                leads,
                "--outcome",
                "Handed Off",
                "--won-if-present",
            ],
            "--events",
        ),
    ] {
        let out = qualify(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
}

/// `explain --events` shows each aggregate's value in the trace and lists
/// the events it counted, by date (text and JSON alike).
#[test]
fn explain_lists_the_events_each_aggregate_counted() {
    let r = root();
    let rules = r.join("rules/recycle-cadence.lead");
    let leads = r.join("examples/recycle-leads.csv");
    let events = r.join("examples/activity-events.csv");
    let args = |format: &'static str| {
        qualify(&[
            "explain",
            rules.to_str().unwrap_or_default(),
            leads.to_str().unwrap_or_default(),
            "--row",
            "1",
            "--as-of",
            "2026-11-20",
            "--events",
            events.to_str().unwrap_or_default(),
            "--format",
            format,
        ])
    };
    let text = stdout(&args("text"));
    assert!(
        text.contains("count of activity where type = \"call\" since handed_off is 4"),
        "{text}"
    );
    assert!(
        text.contains(
            "count of activity where type = \"call\" since handed_off: 4 events (2026-11-03, 2026-11-05, 2026-11-10, 2026-11-17)"
        ),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&args("json"))).expect("JSON");
    let listed = json["events"]
        .as_array()
        .and_then(|a| {
            a.iter().find(|e| {
                e["aggregate"] == "count of activity where type = \"email\" since handed_off"
            })
        })
        .map(|e| e["events"].clone());
    assert_eq!(
        listed,
        Some(serde_json::json!(["2026-11-05", "2026-11-12"]))
    );
}

/// `explain` gives each event of a per-event criterion the points it
/// earned after decay, and the criterion the decayed total.
#[test]
fn explain_gives_each_event_its_decayed_points() {
    let r = root();
    let path = |p: &str| r.join(p).to_str().unwrap_or_default().to_string();
    let args = |format: &'static str| {
        qualify(&[
            "explain",
            &path("rules/recycle-cadence.lead"),
            &path("examples/recycle-leads.csv"),
            "--id",
            "L-3",
            "--as-of",
            "2026-11-20",
            "--events",
            &path("examples/activity-events.csv"),
            "--format",
            format,
        ])
    };
    let text = stdout(&args("text"));
    // 10 days old: 5 × 0.793701; 1 day old: 5 × 0.977160; the view of
    // 2026-11-25 is after the as-of date.
    assert!(
        text.contains("activity where page contains \"pricing\", each halving every 30 days: 2 events (2026-11-10 +3.97, 2026-11-19 +4.89)"),
        "{text}"
    );
    assert!(
        text.contains("+5 per activity where page contains \"pricing\", at most 25, each halving every 30 days"),
        "{text}"
    );
    assert!(text.contains("+8.85"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&args("json"))).expect("JSON");
    let decayed = json["events"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e.get("points").is_some()))
        .cloned()
        .expect("a decayed count with points");
    assert_eq!(
        decayed["events"],
        serde_json::json!(["2026-11-10", "2026-11-19"])
    );
    assert_eq!(decayed["points"], serde_json::json!([3.968505, 4.8858]));
}

/// `score --handoff` reads the aggregates too: a brief's line on an
/// aggregate holds for the leads whose events make it true, on both engines.
#[test]
fn the_handoff_brief_reads_the_aggregates() {
    let r = root();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut text =
        std::fs::read_to_string(r.join("rules/recycle-cadence.lead")).expect("the definition");
    text.push_str(
        "\nhandoff {\n  \"Read pricing in the last 14 days\" when count of activity where page contains \"pricing\" in the last 14 days >= 1\n  \"Called {handed_off}\" when count of activity where type = \"call\" since handed_off >= 4\n}\n",
    );
    let def = dir.path().join("brief.lead");
    std::fs::write(&def, text).expect("write the definition");
    for engine in ["program", "reference"] {
        let out = qualify(&[
            "score",
            def.to_str().unwrap_or_default(),
            r.join("examples/recycle-leads.csv")
                .to_str()
                .unwrap_or_default(),
            "--events",
            r.join("examples/activity-events.csv")
                .to_str()
                .unwrap_or_default(),
            "--as-of",
            "2026-11-20",
            "--handoff",
            "--engine",
            engine,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let briefs: Vec<String> = stdout(&out)
            .lines()
            .skip(1)
            .map(|l| {
                l.rsplit(',')
                    .next()
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string()
            })
            .collect();
        assert_eq!(
            briefs,
            ["Called 2026-11-02", "", "Read pricing in the last 14 days"],
            "{engine}: {}",
            stdout(&out)
        );
    }
}
