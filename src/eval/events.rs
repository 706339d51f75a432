//! Aggregates of events on the fast path: an events file's rows folded, one
//! pass, into per-lead accumulators; each lead's aggregates read from them.
//!
//! In: a checked model with an events block, decoded event rows (in any
//! order), the as-of date. Out: an [`EventsTable`] (per lead id: only what
//! the aggregates need, a count, a decayed count's summed weights and the
//! first and last dates per aggregate, and the dates an aggregate with
//! `since` keeps), and
//! [`WithEvents`], an [`Engine`] that appends each lead's aggregate values
//! after its fields before the inner engine scores it.
//!
//! Which event counts is [`crate::semantics::events::counts`], the one
//! meaning; this fold is tested against its plain reading
//! ([`crate::semantics::events::reference`]). Memory grows with the leads
//! that have events times the aggregates, and, for `since` aggregates
//! only, with the events they keep (their dates).

use super::engine::Engine;
use crate::model::{EventWindow, FieldId, Model, Value};
use crate::semantics::events::{counts, event_date, since_bound, with_aggregates, Tally};
use crate::semantics::Outcome;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// What one aggregate keeps for one lead.
#[derive(Debug, Clone)]
enum Slot {
    Tally(Tally),
    /// A `since` window needs the lead's date: the kept events' dates.
    Dates(Vec<i32>),
}

/// One lead's accumulators, one slot per aggregate.
#[derive(Debug, Clone)]
pub struct LeadState {
    slots: Vec<Slot>,
    /// Events read for this lead, and how many of them fell after the as-of date.
    pub events: u64,
    pub after_as_of: u64,
}

/// The fold's rules for one run: which aggregates, which as-of date.
pub struct Folder<'m> {
    pub model: &'m Model,
    pub as_of: i32,
    holidays: Vec<i32>,
}

impl<'m> Folder<'m> {
    pub fn new(model: &'m Model, as_of: i32) -> Self {
        Folder {
            model,
            as_of,
            holidays: crate::semantics::score::weekday_holidays(model),
        }
    }

    /// A lead with no events yet.
    pub fn empty(&self) -> LeadState {
        let slots = self
            .model
            .aggregates
            .iter()
            .map(|a| match a.window {
                EventWindow::Since(_) => Slot::Dates(Vec::new()),
                _ => Slot::Tally(Tally::default()),
            })
            .collect();
        LeadState {
            slots,
            events: 0,
            after_as_of: 0,
        }
    }

    /// Fold one event (its values in the events block's field order) in.
    pub fn add(&self, state: &mut LeadState, event: &[Value]) {
        state.events += 1;
        let Some(at) = event_date(self.model, event) else {
            return;
        };
        if at > self.as_of {
            state.after_as_of += 1;
            return;
        }
        for (agg, slot) in self.model.aggregates.iter().zip(&mut state.slots) {
            if !counts(self.model, agg, event, self.as_of, &self.holidays) {
                continue;
            }
            match slot {
                Slot::Tally(tally) => tally.add(agg.kind, at, self.as_of),
                Slot::Dates(dates) => dates.push(at),
            }
        }
    }

    /// Append each aggregate's value for `lead` (none: a lead with no
    /// events) to `out`, which holds the lead's values.
    pub fn finish(&self, state: Option<&LeadState>, lead: &[Value], out: &mut Vec<Value>) {
        for (a, agg) in self.model.aggregates.iter().enumerate() {
            let since = since_bound(self.model, agg, lead, self.as_of, &self.holidays);
            let v = match (state.map(|s| &s.slots[a]), since) {
                (_, None) => Value::Missing,
                (None, Some(_)) => Tally::default().value(agg.kind),
                (Some(Slot::Tally(tally)), Some(_)) => tally.value(agg.kind),
                (Some(Slot::Dates(dates)), Some(bound)) => {
                    let mut tally = Tally::default();
                    dates
                        .iter()
                        .filter(|d| bound.is_none_or(|b| **d >= b))
                        .for_each(|&d| tally.add(agg.kind, d, self.as_of));
                    tally.value(agg.kind)
                }
            };
            out.push(v);
        }
    }
}

/// A lead's id as the join compares it: text as every text comparison
/// does (case and surrounding spaces ignored), other values as they print.
pub fn lead_key(v: &Value) -> Option<String> {
    match v {
        Value::Missing => None,
        Value::Text(t) => Some(crate::semantics::text::fold(t)),
        other => Some(other.display()),
    }
}

/// Every lead's events, folded (or, for the reference engine, listed).
pub struct EventsTable {
    index: HashMap<String, usize>,
    /// Per lead id, in the order first met in the events file.
    ids: Vec<String>,
    folded: Vec<LeadState>,
    /// The events themselves, kept only for the reference engine.
    listed: Option<Vec<Vec<Vec<Value>>>>,
    used: Vec<AtomicBool>,
}

impl EventsTable {
    /// An empty table; `keep_lists` keeps every event for the plain reading.
    pub fn new(keep_lists: bool) -> Self {
        EventsTable {
            index: HashMap::new(),
            ids: Vec::new(),
            folded: Vec::new(),
            listed: keep_lists.then(Vec::new),
            used: Vec::new(),
        }
    }

    /// Fold in one decoded event row; `false` when it has no lead id.
    pub fn add(&mut self, folder: &Folder, event: Vec<Value>) -> bool {
        let Some(events) = &folder.model.events else {
            return false;
        };
        let Some(key) = event.get(events.lead).and_then(lead_key) else {
            return false;
        };
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.index.insert(key, self.ids.len());
                // Listed as the file writes it.
                self.ids.push(match &event[events.lead] {
                    Value::Text(t) => t.trim().to_string(),
                    other => other.display(),
                });
                self.folded.push(folder.empty());
                self.used.push(AtomicBool::new(false));
                if let Some(l) = &mut self.listed {
                    l.push(Vec::new());
                }
                self.ids.len() - 1
            }
        };
        folder.add(&mut self.folded[i], &event);
        if let Some(l) = &mut self.listed {
            l[i].push(event);
        }
        true
    }

    /// A lead's events as read (kept only when the table keeps lists).
    pub fn events_of(&self, lead: &Value) -> &[Vec<Value>] {
        match (&self.listed, self.find(lead)) {
            (Some(lists), Some(i)) => &lists[i],
            _ => &[],
        }
    }

    fn find(&self, lead: &Value) -> Option<usize> {
        let i = *self.index.get(&lead_key(lead)?)?;
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
            (None, i) => {
                let mut tail = Vec::with_capacity(folder.model.aggregates.len());
                folder.finish(i.map(|i| &self.folded[i]), values, &mut tail);
                values.append(&mut tail);
            }
        }
    }

    /// Counts once the leads are scored: (events used, events after the
    /// as-of date for leads that were scored, events for leads never
    /// scored), and the first few such lead ids, as the events file folds
    /// them.
    pub fn tally(&self, listed_ids: usize) -> EventCounts {
        let mut c = EventCounts::default();
        for (i, state) in self.folded.iter().enumerate() {
            if self.used[i].load(Ordering::Relaxed) {
                c.used += state.events - state.after_as_of;
                c.after_as_of += state.after_as_of;
            } else {
                c.unknown_lead += state.events;
                c.unknown_leads += 1;
                if c.unknown_ids.len() < listed_ids {
                    c.unknown_ids.push(self.ids[i].clone());
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
/// reading of an example's events).
pub fn folded_values(
    model: &Model,
    lead: &[Value],
    events: &[Vec<Value>],
    as_of: i32,
) -> Vec<Value> {
    let folder = Folder::new(model, as_of);
    let mut state = folder.empty();
    for e in events {
        folder.add(&mut state, e);
    }
    let mut out = lead.to_vec();
    folder.finish(Some(&state), lead, &mut out);
    out
}
