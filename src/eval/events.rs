//! Aggregates of events on the fast path: an events file's rows folded, one
//! pass, into per-lead accumulators; each lead's aggregates read from them.
//!
//! In: a checked model with an events block, decoded event rows (in any
//! order), the as-of date and, when the leads come from a file, each lead's
//! `since` dates read beforehand ([`EventsTable::preset`]). Out: an
//! [`EventsTable`] (per lead id one row of whole numbers: the events read,
//! those after the as-of date, and per aggregate only what its value needs,
//! a count, a decayed count's summed weights in millionths, or the first or
//! last date), and [`WithEvents`], an [`Engine`] that appends each lead's
//! aggregate values after its fields before the inner engine scores it.
//!
//! Which event counts is [`crate::semantics::events::counts`], the one
//! meaning; this fold is tested against its plain reading
//! ([`crate::semantics::events::reference`]), with and without the leads'
//! `since` dates preset. An aggregate's `where` reads only the event's own
//! fields, so its answer is remembered per distinct value of the fields it
//! reads (an activity type, a page): each condition is evaluated once per
//! distinct combination, not once per event.
//!
//! Memory grows with the lead ids times the aggregates, never with the
//! events, with one exception: a `since D` window needs the lead's date D,
//! and when it is not known while folding (the leads read from stdin, or
//! one lead id on two rows with different dates) the dates of the events
//! that window counts are kept for that lead.

use super::engine::Engine;
use crate::model::{AggregateKind, EventWindow, ExprKind, FieldId, Model, Value};
use crate::semantics::events::{
    event_date, since_bound, weight_millionths, with_aggregates, MILLION,
};
use crate::semantics::expr::{truth, Env};
use crate::semantics::time::business_days_between;
use crate::semantics::Outcome;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// A lead's row: the events read, then those after the as-of date, then
/// one word per aggregate, then one per `since` window (its bound).
const EVENTS: usize = 0;
const AFTER: usize = 1;
const HEAD: usize = 2;
/// A `since` bound not known (yet): the window keeps its events' dates.
const UNKNOWN: i64 = i64::MIN;
/// The lead's D is missing: the aggregate is missing, nothing to keep.
const MISSING: i64 = i64::MIN + 1;
/// Two rows of one lead id with different D: the dates are kept.
const CONFLICT: i64 = i64::MIN + 2;
/// Distinct `where` answers remembered, at most (beyond, each is evaluated).
const MEMO_LIMIT: usize = 1 << 16;

/// One lead's accumulators, outside a table (an example's events).
#[derive(Debug, Clone)]
pub struct LeadState {
    words: Vec<i64>,
    /// Per aggregate, the dates a `since` window keeps while its bound is unknown.
    dates: Vec<Vec<i32>>,
}

impl LeadState {
    /// Events read for this lead, and how many of them fell after the as-of date.
    pub fn events(&self) -> (u64, u64) {
        (self.words[EVENTS] as u64, self.words[AFTER] as u64)
    }
}

/// The fold's rules for one run: which aggregates, which as-of date, and
/// where each keeps its word in a lead's row.
pub struct Folder<'m> {
    pub model: &'m Model,
    pub as_of: i32,
    holidays: Vec<i32>,
    /// Per aggregate with a `since` window, the word of its bound.
    bound_word: Vec<Option<usize>>,
    stride: usize,
    /// The event fields the `where` conditions read, when their answers
    /// may be remembered by those fields' values (none: never).
    filter_fields: Option<Vec<FieldId>>,
}

impl<'m> Folder<'m> {
    pub fn new(model: &'m Model, as_of: i32) -> Self {
        let n = model.aggregates.len();
        let mut next = HEAD + n;
        let bound_word = model
            .aggregates
            .iter()
            .map(|a| {
                matches!(a.window, EventWindow::Since(_)).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        Folder {
            model,
            as_of,
            holidays: crate::semantics::score::weekday_holidays(model),
            bound_word,
            stride: next,
            filter_fields: filter_fields(model),
        }
    }

    /// A lead's row before any event.
    fn fresh(&self, row: &mut Vec<i64>) {
        row.extend_from_slice(&[0, 0]);
        row.extend(self.model.aggregates.iter().map(|a| row_start(a.kind)));
        row.extend(self.bound_word.iter().flatten().map(|_| UNKNOWN));
    }

    /// A lead with no events yet.
    pub fn empty(&self) -> LeadState {
        let mut words = Vec::with_capacity(self.stride);
        self.fresh(&mut words);
        LeadState {
            words,
            dates: vec![Vec::new(); self.model.aggregates.len()],
        }
    }

    /// Which aggregates' `where` conditions hold for `event` (bit per
    /// aggregate; an aggregate without one always holds).
    fn holds(&self, event: &[Value]) -> u64 {
        let env = Env::of_values(self.model, event, self.as_of, &self.holidays);
        let mut bits = 0u64;
        for (a, agg) in self.model.aggregates.iter().enumerate() {
            if agg.filter.as_ref().is_none_or(|c| truth(c, &env).holds()) {
                bits |= 1 << a;
            }
        }
        bits
    }

    /// Fold one event into a lead's row; `holds` gives the bits of
    /// [`Self::holds`] (asked at most once, and only for an event dated up
    /// to the as-of date); `keep` takes the dates a `since` window keeps
    /// while its bound is unknown, unless `complete` says every lead's
    /// bound was preset (a lead without one is never scored).
    fn fold(
        &self,
        row: &mut [i64],
        event: &[Value],
        complete: bool,
        holds: &mut dyn FnMut(&[Value]) -> u64,
        keep: &mut dyn FnMut(usize, i32),
    ) {
        row[EVENTS] += 1;
        let Some(at) = event_date(self.model, event) else {
            return;
        };
        if at > self.as_of {
            row[AFTER] += 1;
            return;
        }
        let mut bits = None;
        for (a, agg) in self.model.aggregates.iter().enumerate() {
            let in_window = match agg.window {
                EventWindow::All | EventWindow::Since(_) => true,
                EventWindow::LastDays(n) => i64::from(self.as_of) - i64::from(at) < i64::from(n),
                EventWindow::LastBusinessDays(n) => {
                    business_days_between(at, self.as_of, &self.holidays) < i64::from(n)
                }
            };
            if !in_window || *bits.get_or_insert_with(|| holds(event)) & (1 << a) == 0 {
                continue;
            }
            if let Some(w) = self.bound_word[a] {
                let bound = row[w];
                if bound == MISSING || (bound == UNKNOWN && complete) {
                    continue;
                }
                if bound == UNKNOWN || bound == CONFLICT {
                    keep(a, at);
                    continue;
                }
                if i64::from(at) < bound {
                    continue;
                }
            }
            bump(agg.kind, &mut row[HEAD + a], at, self.as_of);
        }
    }

    /// Fold one event (its values in the events block's field order) in.
    pub fn add(&self, state: &mut LeadState, event: &[Value]) {
        let LeadState { words, dates } = state;
        self.fold(
            words,
            event,
            false,
            &mut |e: &[Value]| self.holds(e),
            &mut |a: usize, at: i32| dates[a].push(at),
        );
    }

    /// Append each aggregate's value for `lead` (none: a lead with no
    /// events) to `out`, which holds the lead's values.
    pub fn finish(&self, state: Option<&LeadState>, lead: &[Value], out: &mut Vec<Value>) {
        match state {
            Some(s) => self.values(&s.words, &|a| &s.dates[a], lead, out),
            None => {
                let mut row = Vec::with_capacity(self.stride);
                self.fresh(&mut row);
                self.values(&row, &|_| &[], lead, out)
            }
        }
    }

    /// Each aggregate's value from a lead's row and the dates kept.
    fn values<'d>(
        &self,
        row: &[i64],
        dates: &dyn Fn(usize) -> &'d [i32],
        lead: &[Value],
        out: &mut Vec<Value>,
    ) {
        for (a, agg) in self.model.aggregates.iter().enumerate() {
            let v = match since_bound(self.model, agg, lead, self.as_of, &self.holidays) {
                None => Value::Missing,
                Some(Some(bound)) => match self.bound_word[a].map(|w| row[w]) {
                    // Preset from this lead's row: the word counted only
                    // events on or after it.
                    Some(preset) if preset == i64::from(bound) => value(agg.kind, row[HEAD + a]),
                    _ => {
                        let mut word = row_start(agg.kind);
                        dates(a)
                            .iter()
                            .filter(|d| **d >= bound)
                            .for_each(|&d| bump(agg.kind, &mut word, d, self.as_of));
                        value(agg.kind, word)
                    }
                },
                Some(None) => value(agg.kind, row[HEAD + a]),
            };
            out.push(v);
        }
    }

    /// A `since` bound for each such window (its word, the bound), from
    /// one lead row's values.
    fn bounds(&self, lead: &[Value]) -> Vec<(usize, i64)> {
        self.model
            .aggregates
            .iter()
            .zip(&self.bound_word)
            .filter_map(|(agg, w)| {
                let bound = match since_bound(self.model, agg, lead, self.as_of, &self.holidays) {
                    Some(Some(d)) => i64::from(d),
                    _ => MISSING,
                };
                Some(((*w)?, bound))
            })
            .collect()
    }

    /// Whether any aggregate has a `since` window (a pre-pass over the
    /// leads bounds its memory).
    pub fn has_since(&self) -> bool {
        self.bound_word.iter().any(Option::is_some)
    }
}

/// An aggregate's word before any event.
fn row_start(kind: AggregateKind) -> i64 {
    match kind {
        AggregateKind::First => i64::MAX,
        AggregateKind::Last => i64::MIN,
        AggregateKind::Count | AggregateKind::Decayed { .. } => 0,
    }
}

/// One more event, dated `at`, in an aggregate's word (as
/// [`crate::semantics::events::Tally::add`] counts it).
#[inline]
fn bump(kind: AggregateKind, word: &mut i64, at: i32, as_of: i32) {
    match kind {
        AggregateKind::Count => *word += 1,
        AggregateKind::Decayed { half_life_days } => {
            let days = i64::from(as_of) - i64::from(at);
            *word = (*word as u64).saturating_add(weight_millionths(days, half_life_days)) as i64;
        }
        AggregateKind::First => *word = (*word).min(i64::from(at)),
        AggregateKind::Last => *word = (*word).max(i64::from(at)),
    }
}

/// An aggregate's value from its word (as [`crate::semantics::events::Tally::value`]).
fn value(kind: AggregateKind, word: i64) -> Value {
    match kind {
        AggregateKind::Count => Value::Number(word as f64),
        AggregateKind::Decayed { .. } => Value::Number(word as u64 as f64 / MILLION),
        AggregateKind::First if word == i64::MAX => Value::Missing,
        AggregateKind::Last if word == i64::MIN => Value::Missing,
        AggregateKind::First | AggregateKind::Last => Value::Date(word as i32),
    }
}

/// The event fields the aggregates' `where` conditions read, when their
/// answers depend on nothing else (no more than 64 aggregates, one bit each).
fn filter_fields(model: &Model) -> Option<Vec<FieldId>> {
    fn walk(e: &crate::model::Expr, out: &mut Vec<FieldId>) -> bool {
        match &e.kind {
            ExprKind::Field(f) => out.push(*f),
            ExprKind::Score
            | ExprKind::GroupScore(_)
            | ExprKind::StageIs(_)
            | ExprKind::Matched(_)
            | ExprKind::Aggregate(_) => return false,
            _ => {}
        }
        e.children().all(|c| walk(c, out))
    }
    if model.aggregates.len() > 64 {
        return None;
    }
    let mut out = Vec::new();
    for agg in &model.aggregates {
        if let Some(f) = &agg.filter {
            if !walk(f, &mut out) {
                return None;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// The values of `fields` in `event`, as bytes that differ whenever the
/// values do (a tag per value, text with its length).
fn memo_key(fields: &[FieldId], event: &[Value], key: &mut Vec<u8>) {
    key.clear();
    for &f in fields {
        match event.get(f) {
            None | Some(Value::Missing) => key.push(0),
            Some(Value::Bool(b)) => key.extend_from_slice(&[1, u8::from(*b)]),
            Some(Value::Number(x)) => {
                key.push(2);
                key.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            Some(Value::Text(t)) => {
                key.push(3);
                key.extend_from_slice(&(t.len() as u64).to_le_bytes());
                key.extend_from_slice(t.as_bytes());
            }
            Some(Value::Date(d)) => {
                key.push(4);
                key.extend_from_slice(&d.to_le_bytes());
            }
        }
    }
}

/// A lead's id as the join compares it: text as every text comparison
/// does (case and surrounding spaces ignored), other values as they print.
pub fn lead_key(v: &Value) -> Option<String> {
    let mut key = String::new();
    lead_key_into(v, &mut key).then_some(key)
}

/// [`lead_key`] into a reused buffer; `false` for a missing id. ASCII ids
/// (the usual) are lowered in place, with no allocation.
fn lead_key_into(v: &Value, key: &mut String) -> bool {
    key.clear();
    match v {
        Value::Missing => return false,
        Value::Text(t) => {
            let t = t.trim();
            if t.is_ascii() {
                key.push_str(t);
                key.make_ascii_lowercase();
            } else {
                key.push_str(&crate::semantics::text::fold(t));
            }
        }
        other => key.push_str(&other.display()),
    }
    true
}

/// A folded lead id as the table's index keeps it: short ones (the usual)
/// inside the slot itself, so a lookup compares bytes already loaded
/// instead of following a pointer to each candidate's text.
#[derive(Debug, Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

/// The longest id kept inline (the slot, with its index, stays 32 bytes).
const INLINE: usize = 22;

impl Key {
    fn new(id: &[u8]) -> Key {
        if id.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..id.len()].copy_from_slice(id);
            Key::Inline {
                len: id.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(id.into())
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Key::Heap(b) => b,
        }
    }
}

// Hashed and compared as its bytes, so the index is searched by `&[u8]`.
impl std::borrow::Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.bytes()
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes().hash(state)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Key {}

/// Every lead's events, folded (or, for the reference engine, listed).
pub struct EventsTable {
    index: HashMap<Key, u32>,
    /// Per lead, its id as written, in the order first met (the leads
    /// file's preset ones, then the events file's): one text, each id
    /// ending at its offset (no allocation per id).
    ids: String,
    id_ends: Vec<u32>,
    /// One row of [`Folder`]'s words per lead, one after another.
    words: Vec<i64>,
    stride: usize,
    /// The dates a `since` window keeps while the lead's bound is unknown,
    /// by (lead, aggregate).
    dates: HashMap<(u32, u32), Vec<i32>>,
    /// Every lead's `since` bounds were preset: a lead without them is not
    /// in the leads file and keeps no dates.
    complete: bool,
    /// The events themselves, kept only for the reference engine.
    listed: Option<Vec<Vec<Vec<Value>>>>,
    used: Vec<AtomicBool>,
    /// Remembered `where` answers by the values of the fields they read.
    memo: HashMap<Box<[u8]>, u64>,
    key: Vec<u8>,
    lead: String,
}

impl EventsTable {
    /// An empty table; `keep_lists` keeps every event for the plain reading.
    pub fn new(keep_lists: bool) -> Self {
        EventsTable {
            index: HashMap::new(),
            ids: String::new(),
            id_ends: Vec::new(),
            words: Vec::new(),
            stride: 0,
            dates: HashMap::new(),
            complete: false,
            listed: keep_lists.then(Vec::new),
            used: Vec::new(),
            memo: HashMap::new(),
            key: Vec::new(),
            lead: String::new(),
        }
    }

    /// The row of the lead whose folded id is in `self.lead`, made when new
    /// (`written`: its id as the file writes it).
    fn row_of(&mut self, folder: &Folder, written: &Value) -> usize {
        if let Some(&i) = self.index.get(self.lead.as_bytes()) {
            return i as usize;
        }
        self.stride = folder.stride;
        let i = self.id_ends.len();
        self.index.insert(Key::new(self.lead.as_bytes()), i as u32);
        match written {
            Value::Text(t) => self.ids.push_str(t.trim()),
            other => self.ids.push_str(&other.display()),
        }
        // Past 4 GB of ids the offsets would wrap: those ids are kept
        // (listed) only as far as fits, the folding is unaffected.
        self.id_ends
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        folder.fresh(&mut self.words);
        self.used.push(AtomicBool::new(false));
        if let Some(l) = &mut self.listed {
            l.push(Vec::new());
        }
        i
    }

    /// Before any event: one lead row's `since` dates (the pre-pass over a
    /// leads file). A lead id on two rows with different dates keeps its
    /// events' dates instead.
    pub fn preset(&mut self, folder: &Folder, lead: &[Value], id: FieldId) {
        let Some(written) = lead.get(id) else {
            return;
        };
        if !lead_key_into(written, &mut self.lead) {
            return;
        }
        let i = self.row_of(folder, written);
        let row = &mut self.words[i * folder.stride..(i + 1) * folder.stride];
        for (w, bound) in folder.bounds(lead) {
            row[w] = match row[w] {
                UNKNOWN => bound,
                same if same == bound => bound,
                _ => CONFLICT,
            };
        }
    }

    /// Every lead of the leads file was preset: leads met only in the
    /// events file are never scored and keep no dates.
    pub fn preset_done(&mut self) {
        self.complete = true;
    }

    /// Fold in one decoded event row; `false` when it has no lead id.
    pub fn add(&mut self, folder: &Folder, event: Vec<Value>) -> bool {
        let Some(i) = self.fold_in(folder, &event) else {
            return false;
        };
        if let Some(l) = &mut self.listed {
            l[i].push(event);
        }
        true
    }

    /// [`Self::add`] from a borrowed row (copied only when the table keeps lists).
    pub fn add_row(&mut self, folder: &Folder, event: &[Value]) -> bool {
        match self.listed {
            Some(_) => self.add(folder, event.to_vec()),
            None => self.fold_in(folder, event).is_some(),
        }
    }

    /// Fold one event into its lead's row; the lead's index, none without a lead id.
    fn fold_in(&mut self, folder: &Folder, event: &[Value]) -> Option<usize> {
        let events = folder.model.events.as_ref()?;
        let written = event.get(events.lead)?;
        if !lead_key_into(written, &mut self.lead) {
            return None;
        }
        let i = self.row_of(folder, written);
        let stride = folder.stride;
        let EventsTable {
            words,
            dates,
            memo,
            key,
            complete,
            ..
        } = self;
        let mut holds = |e: &[Value]| match &folder.filter_fields {
            Some(fields) => {
                memo_key(fields, e, key);
                if let Some(&bits) = memo.get(key.as_slice()) {
                    return bits;
                }
                let bits = folder.holds(e);
                if memo.len() < MEMO_LIMIT {
                    memo.insert(key.as_slice().into(), bits);
                }
                bits
            }
            None => folder.holds(e),
        };
        folder.fold(
            &mut words[i * stride..(i + 1) * stride],
            event,
            *complete,
            &mut holds,
            &mut |a: usize, at: i32| dates.entry((i as u32, a as u32)).or_default().push(at),
        );
        Some(i)
    }

    /// A lead's events as read (kept only when the table keeps lists).
    pub fn events_of(&self, lead: &Value) -> &[Vec<Value>] {
        match (&self.listed, self.find(lead)) {
            (Some(lists), Some(i)) => &lists[i],
            _ => &[],
        }
    }

    fn find(&self, lead: &Value) -> Option<usize> {
        let i = *self.index.get(lead_key(lead)?.as_bytes())? as usize;
        self.used[i].store(true, Ordering::Relaxed);
        Some(i)
    }

    /// Append the aggregates of the lead whose field values `values` holds
    /// (its id in field `id`) after them: by the fold, or by the plain
    /// reading when the table keeps lists. A lead with no events gets a
    /// count of 0 and no first or last.
    pub fn append_aggregates(&self, folder: &Folder, id: FieldId, values: &mut Vec<Value>) {
        let found = values.get(id).and_then(|v| self.find(v));
        match (&self.listed, found) {
            (Some(lists), i) => {
                let events = i.map_or(&[][..], |i| &lists[i]);
                *values = with_aggregates(folder.model, values, events, folder.as_of);
            }
            (None, Some(i)) => {
                let mut tail = Vec::with_capacity(folder.model.aggregates.len());
                let row = &self.words[i * self.stride..(i + 1) * self.stride];
                let dates = |a: usize| {
                    self.dates
                        .get(&(i as u32, a as u32))
                        .map_or(&[][..], Vec::as_slice)
                };
                folder.values(row, &dates, values, &mut tail);
                values.append(&mut tail);
            }
            (None, None) => {
                let mut tail = Vec::with_capacity(folder.model.aggregates.len());
                folder.finish(None, values, &mut tail);
                values.append(&mut tail);
            }
        }
    }

    /// Lead `i`'s id as written.
    fn id(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.id_ends[i - 1] as usize
        };
        let end = self.id_ends[i] as usize;
        self.ids.get(start.min(end)..end).unwrap_or_default()
    }

    /// Counts once the leads are scored: (events used, events after the
    /// as-of date for leads that were scored, events for leads never
    /// scored), and the first few such lead ids, as the events file folds
    /// them.
    pub fn tally(&self, listed_ids: usize) -> EventCounts {
        let mut c = EventCounts::default();
        for (i, used) in self.used.iter().enumerate() {
            let events = self.words[i * self.stride + EVENTS] as u64;
            let after = self.words[i * self.stride + AFTER] as u64;
            if used.load(Ordering::Relaxed) {
                c.used += events - after;
                c.after_as_of += after;
            } else if events > 0 {
                // A preset lead never scored and without events is no
                // lead "with events".
                c.unknown_lead += events;
                c.unknown_leads += 1;
                if c.unknown_ids.len() < listed_ids {
                    c.unknown_ids.push(self.id(i).to_string());
                }
            }
        }
        c
    }
}

/// Where the events read went. With the rejected rows they add up to the
/// rows read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventCounts {
    pub used: u64,
    pub after_as_of: u64,
    pub unknown_lead: u64,
    /// Distinct lead ids with events but no lead, and the first few.
    pub unknown_leads: u64,
    pub unknown_ids: Vec<String>,
}

/// An engine that scores a lead with its aggregates: the lead's values,
/// then each aggregate's, handed to `inner`.
pub struct WithEvents<'a, E> {
    pub inner: &'a E,
    pub table: &'a EventsTable,
    pub folder: Folder<'a>,
    pub id: FieldId,
}

impl<E: Engine> WithEvents<'_, E> {
    fn widen(&self, values: &[Value], out: &mut Vec<Value>) {
        out.clear();
        out.extend_from_slice(values);
        self.table.append_aggregates(&self.folder, self.id, out);
    }
}

impl<E: Engine> Engine for WithEvents<'_, E> {
    type Scratch = (E::Scratch, Vec<Vec<Value>>);

    fn scratch(&self) -> Self::Scratch {
        (self.inner.scratch(), Vec::new())
    }

    fn evaluate<'s>(&self, values: &[Value], scratch: &'s mut Self::Scratch) -> &'s Outcome {
        let (inner, bufs) = scratch;
        if bufs.is_empty() {
            bufs.push(Vec::new());
        }
        self.widen(values, &mut bufs[0]);
        self.inner.evaluate(&bufs[0], inner)
    }

    fn evaluate_each(
        &self,
        rows: &[&[Value]],
        scratch: &mut Self::Scratch,
        each: &mut dyn FnMut(usize, &Outcome),
    ) {
        let (inner, bufs) = scratch;
        if bufs.len() < rows.len() {
            bufs.resize_with(rows.len(), Vec::new);
        }
        for (row, buf) in rows.iter().zip(bufs.iter_mut()) {
            self.widen(row, buf);
        }
        let widened: Vec<&[Value]> = bufs[..rows.len()].iter().map(Vec::as_slice).collect();
        self.inner.evaluate_each(&widened, inner, each);
    }
}

/// A lead's values and its aggregates by the fold (the fast path's
/// reading of an example's events): the events folded by a table as the
/// events file's are, each given the lead's id.
pub fn folded_values(
    model: &Model,
    lead: &[Value],
    events: &[Vec<Value>],
    as_of: i32,
) -> Vec<Value> {
    fold_one(model, lead, events, as_of, false)
}

/// [`folded_values`] with the lead's `since` dates preset first, as
/// `score --events` does when the leads come from a file.
pub fn folded_values_preset(
    model: &Model,
    lead: &[Value],
    events: &[Vec<Value>],
    as_of: i32,
) -> Vec<Value> {
    fold_one(model, lead, events, as_of, true)
}

fn fold_one(
    model: &Model,
    lead: &[Value],
    events: &[Vec<Value>],
    as_of: i32,
    preset: bool,
) -> Vec<Value> {
    let folder = Folder::new(model, as_of);
    let mut out = lead.to_vec();
    let (Some(block), Some(id)) = (&model.events, model.id_field()) else {
        let mut state = folder.empty();
        for e in events {
            folder.add(&mut state, e);
        }
        folder.finish(Some(&state), lead, &mut out);
        return out;
    };
    // One id for the lead and its events, whatever the lead's own.
    let name = Value::Text("the lead".into());
    out.resize(out.len().max(id + 1), Value::Missing);
    out[id] = name.clone();
    let mut table = EventsTable::new(false);
    if preset {
        table.preset(&folder, &out, id);
        table.preset_done();
    }
    for e in events {
        let mut e = e.clone();
        e.resize(e.len().max(block.lead + 1), Value::Missing);
        e[block.lead] = name.clone();
        table.add(&folder, e);
    }
    table.append_aggregates(&folder, id, &mut out);
    let mut values = lead.to_vec();
    values.extend_from_slice(&out[out.len() - model.aggregates.len()..]);
    values
}
