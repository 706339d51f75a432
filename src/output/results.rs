//! Scored rows out: one line per inquiry, as CSV or JSONL.
//!
//! Columns, in order: the definition's `id` field (else `row`, the 1-based data
//! row number), `score`, one per group (its sub-score), `stage`, `disqualified`
//! (the reason, empty if none), `matched` (criterion names in definition order,
//! joined with `; `), `route` when the definition has routes (the first that
//! held, empty if none; null in JSONL), then the `--keep` columns as read, then with `--points`
//! one `points: NAME` column per criterion. JSONL has the same keys, with
//! `matched` an array and `disqualified` null when none. A missing score or
//! sub-score (too large to represent) is an empty cell, or `null` in JSONL.

pub use crate::check::result_columns::{Clash, ColumnPlan, ColumnSource};
use crate::input::Cells;
use crate::model::{Model, Value};
use crate::semantics::Outcome;
use std::io::Write;

/// Output format of scored rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
}

/// How each scored row is written; shared by all workers.
#[derive(Debug, Clone)]
pub struct ResultLayout {
    pub format: OutputFormat,
    /// Whether the first column is the `id` field (else the row number).
    pub id_field: Option<usize>,
    pub groups: Vec<String>,
    pub stages: Vec<String>,
    pub reasons: Vec<String>,
    pub criteria: Vec<String>,
    /// Route names; none: no `route` column.
    pub routes: Vec<String>,
    pub keep: Vec<String>,
    pub points: bool,
    /// `score --explain`: a `why` column, and what writes it.
    pub why: Option<WhyText>,
    /// `score --handoff`: a last `handoff` column, and what writes it.
    pub handoff: Option<HandoffText>,
}

/// What writes the `handoff` column of a row from its outcome and values
/// (the tool hands in [`crate::semantics::handoff::text`] with its as-of date).
#[derive(Clone)]
pub struct HandoffText(std::sync::Arc<WriteHandoff>);

type WriteHandoff = dyn Fn(&Outcome, &[Value], &mut String) + Send + Sync;

impl HandoffText {
    pub fn new(write: impl Fn(&Outcome, &[Value], &mut String) + Send + Sync + 'static) -> Self {
        HandoffText(std::sync::Arc::new(write))
    }
}

impl std::fmt::Debug for HandoffText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HandoffText")
    }
}

/// What writes the `why` column of a row from its outcome: handed in by the
/// tool (`score --explain` gives `explain`'s wording), so that the results
/// writer does not depend on the tools above it. Called once per row, and
/// only when the column is asked for.
#[derive(Clone)]
pub struct WhyText(std::sync::Arc<WriteWhy>);

/// Writes a row's `why` text from its outcome into the string given.
type WriteWhy = dyn Fn(&Outcome, &mut String) + Send + Sync;

impl WhyText {
    pub fn new(write: impl Fn(&Outcome, &mut String) + Send + Sync + 'static) -> Self {
        WhyText(std::sync::Arc::new(write))
    }
}

impl std::fmt::Debug for WhyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WhyText")
    }
}

impl ResultLayout {
    pub fn new(model: &Model, format: OutputFormat, keep: Vec<String>, points: bool) -> Self {
        ResultLayout {
            format,
            id_field: model.id_field(),
            groups: model.groups.iter().map(|g| g.name.clone()).collect(),
            stages: model.stage_names().map(str::to_string).collect(),
            reasons: model
                .disqualifiers
                .iter()
                .map(|d| d.reason.clone())
                .collect(),
            criteria: model.criteria.iter().map(|c| c.name.clone()).collect(),
            routes: model.routes.iter().map(|r| r.name.clone()).collect(),
            keep,
            points,
            why: None,
            handoff: None,
        }
    }

    /// Add the `handoff` column, written by `handoff`.
    pub fn with_handoff(mut self, handoff: HandoffText) -> Self {
        self.handoff = Some(handoff);
        self
    }

    /// Add the `why` column (`decision maker +20; asked for a demo +30`),
    /// written by `why`.
    pub fn with_why(mut self, why: WhyText) -> Self {
        self.why = Some(why);
        self
    }

    /// The columns as [`ColumnPlan`] names them (one list for `score` and
    /// `check`).
    pub fn plan(&self) -> ColumnPlan<'_> {
        ColumnPlan {
            id_field: self.id_field.is_some(),
            groups: &self.groups,
            criteria: &self.criteria,
            keep: &self.keep,
            routes: !self.routes.is_empty(),
            points: self.points,
            why: self.why.is_some(),
            handoff: self.handoff.is_some(),
        }
    }

    /// The column names, in order.
    pub fn columns(&self) -> Vec<String> {
        self.plan().columns()
    }

    /// The header line (CSV only; JSONL has none).
    pub fn write_header(&self, out: &mut Vec<u8>) {
        if self.format == OutputFormat::Csv {
            let mut w = RowWriter::new(self);
            let cols = self.columns();
            for c in &cols {
                w.csv_field(c.as_bytes());
            }
            w.end_csv_record();
            out.extend_from_slice(&w.take());
        }
    }
}

/// The label of a row: its id as read, or its row number.
pub enum RowLabel<'a> {
    Id(&'a str),
    Row(u64),
}

/// Formats rows into a byte buffer, reusing its scratch space.
///
/// CSV fields are written straight into the buffer: the csv crate's own
/// writer core decides whether a field needs quotes (`should_quote`, the same
/// test `csv::Writer` makes) and quotes the rare ones that do, so the bytes are
/// exactly what `csv::Writer` writes, without its per-field bookkeeping.
pub struct RowWriter<'l> {
    layout: &'l ResultLayout,
    /// The csv crate's writer core, configured like the output (`,`, `\n`).
    csv: csv_core::Writer,
    /// The output, CSV or JSONL.
    out: Vec<u8>,
    num: String,
    joined: Vec<u8>,
    /// The `why` column's text, reused from row to row.
    why: String,
    first_field: bool,
    /// Stage names and reasons as CSV fields, quoted here once, not per row.
    stage_fields: Vec<Vec<u8>>,
    reason_fields: Vec<Vec<u8>>,
    route_fields: Vec<Vec<u8>>,
    /// No criterion name needs quotes, so neither does any `; ` join of them.
    names_plain: bool,
    /// Each criterion's name after `; `, for joining matched names.
    joiners: Vec<Joiner>,
}

impl<'l> RowWriter<'l> {
    pub fn new(layout: &'l ResultLayout) -> Self {
        let mut w = RowWriter {
            layout,
            csv: csv_core::WriterBuilder::new()
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build(),
            out: Vec::with_capacity(1 << 16),
            num: String::new(),
            joined: Vec::new(),
            why: String::new(),
            first_field: true,
            stage_fields: Vec::new(),
            reason_fields: Vec::new(),
            route_fields: Vec::new(),
            names_plain: false,
            joiners: layout.criteria.iter().map(|c| Joiner::new(c)).collect(),
        };
        w.stage_fields = layout.stages.iter().map(|t| w.field_bytes(t)).collect();
        w.reason_fields = layout.reasons.iter().map(|t| w.field_bytes(t)).collect();
        w.route_fields = layout.routes.iter().map(|t| w.field_bytes(t)).collect();
        w.names_plain = !w.csv.should_quote(b"; ")
            && layout
                .criteria
                .iter()
                .all(|c| !w.csv.should_quote(c.as_bytes()));
        w
    }

    /// `text` as one CSV field, quoted if it needs to be.
    fn field_bytes(&mut self, text: &str) -> Vec<u8> {
        let saved = std::mem::take(&mut self.out);
        self.first_field = true;
        self.csv_field(text.as_bytes());
        self.first_field = true;
        std::mem::replace(&mut self.out, saved)
    }

    /// Swap the bytes written so far into `buf`, and go on writing into
    /// `buf`'s old allocation (emptied): a batch run circulates its buffers
    /// rather than growing a new one per chunk.
    pub fn swap_out(&mut self, buf: &mut Vec<u8>) {
        self.first_field = true;
        std::mem::swap(&mut self.out, buf);
        self.out.clear();
    }

    /// The bytes written so far (the writer is left empty).
    pub fn take(&mut self) -> Vec<u8> {
        self.first_field = true;
        std::mem::take(&mut self.out)
    }

    /// Write one scored row.
    pub fn write(&mut self, label: RowLabel, outcome: &Outcome, cells: &Cells, kept: &[usize]) {
        self.write_row(label, outcome, &[], cells, kept)
    }

    /// Write one scored row whose values are at hand (for `--handoff`).
    pub fn write_row(
        &mut self,
        label: RowLabel,
        outcome: &Outcome,
        values: &[Value],
        cells: &Cells,
        kept: &[usize],
    ) {
        let layout = self.layout;
        match layout.format {
            OutputFormat::Csv => {
                match label {
                    RowLabel::Id(id) => self.csv_field(id.as_bytes()),
                    RowLabel::Row(r) => self.csv_number_int(r),
                }
                self.csv_optional(outcome.score);
                for g in &outcome.group_scores {
                    self.csv_optional(*g);
                }
                self.csv_separator();
                self.out
                    .extend_from_slice(&self.stage_fields[outcome.stage]);
                self.csv_separator();
                if let Some(d) = outcome.disqualified {
                    self.out.extend_from_slice(&self.reason_fields[d]);
                }
                if self.names_plain {
                    self.csv_separator();
                    join_matched(&mut self.out, &self.joiners, outcome);
                } else {
                    let mut joined = std::mem::take(&mut self.joined);
                    joined.clear();
                    join_matched(&mut joined, &self.joiners, outcome);
                    self.csv_field(&joined);
                    self.joined = joined;
                }
                if !layout.routes.is_empty() {
                    self.csv_separator();
                    if let Some(r) = outcome.route {
                        self.out.extend_from_slice(&self.route_fields[r]);
                    }
                }
                for &k in kept {
                    self.csv_field(cells.get(k).unwrap_or_default());
                }
                if layout.points {
                    for p in &outcome.points {
                        self.csv_number(*p);
                    }
                }
                if let Some(why) = &layout.why {
                    (why.0)(outcome, &mut self.why);
                    let text = std::mem::take(&mut self.why);
                    self.csv_field(text.as_bytes());
                    self.why = text;
                }
                if let Some(handoff) = &layout.handoff {
                    self.why.clear();
                    (handoff.0)(outcome, values, &mut self.why);
                    let text = std::mem::take(&mut self.why);
                    self.csv_field(text.as_bytes());
                    self.why = text;
                }
                self.end_csv_record();
            }
            OutputFormat::Jsonl => {
                self.out.push(b'{');
                match label {
                    RowLabel::Id(id) => {
                        self.json_key("id");
                        json_string(&mut self.out, id);
                    }
                    RowLabel::Row(r) => {
                        self.json_key("row");
                        let _ = write!(self.out, "{r}");
                    }
                }
                self.json_key("score");
                self.json_optional(outcome.score);
                for (g, name) in layout.groups.iter().enumerate() {
                    self.json_key(name);
                    self.json_optional(outcome.group_scores[g]);
                }
                self.json_key("stage");
                json_string(&mut self.out, &layout.stages[outcome.stage]);
                self.json_key("disqualified");
                match outcome.disqualified {
                    Some(d) => json_string(&mut self.out, &layout.reasons[d]),
                    None => self.out.extend_from_slice(b"null"),
                }
                self.json_key("matched");
                self.out.push(b'[');
                let mut first = true;
                for (c, name) in layout.criteria.iter().enumerate() {
                    if outcome.matched[c] {
                        if !first {
                            self.out.push(b',');
                        }
                        first = false;
                        json_string(&mut self.out, name);
                    }
                }
                self.out.push(b']');
                if !layout.routes.is_empty() {
                    self.json_key("route");
                    match outcome.route {
                        Some(r) => json_string(&mut self.out, &layout.routes[r]),
                        None => self.out.extend_from_slice(b"null"),
                    }
                }
                for (name, &k) in layout.keep.iter().zip(kept) {
                    self.json_key(name);
                    let cell = cells.get(k).unwrap_or_default();
                    json_string(&mut self.out, &String::from_utf8_lossy(cell));
                }
                if layout.points {
                    for (name, p) in layout.criteria.iter().zip(&outcome.points) {
                        self.json_key(&format!("points: {name}"));
                        self.json_number(*p);
                    }
                }
                if let Some(why) = &layout.why {
                    (why.0)(outcome, &mut self.why);
                    self.json_key("why");
                    json_string(&mut self.out, &self.why);
                }
                if let Some(handoff) = &layout.handoff {
                    self.why.clear();
                    (handoff.0)(outcome, values, &mut self.why);
                    self.json_key("handoff");
                    json_string(&mut self.out, &self.why);
                }
                self.out.extend_from_slice(b"}\n");
                self.first_field = true;
            }
        }
    }

    fn csv_separator(&mut self) {
        if !self.first_field {
            self.out.push(b',');
        }
        self.first_field = false;
    }

    fn csv_field(&mut self, bytes: &[u8]) {
        self.csv_separator();
        if !self.csv.should_quote(bytes) {
            self.out.extend_from_slice(bytes);
            return;
        }
        self.out.push(b'"');
        let mut input = bytes;
        let mut chunk = [0u8; 256];
        loop {
            let (result, read, written) = csv_core::quote(input, &mut chunk, b'"', b'\\', true);
            self.out.extend_from_slice(&chunk[..written]);
            input = &input[read..];
            if result == csv_core::WriteResult::InputEmpty {
                break;
            }
        }
        self.out.push(b'"');
    }

    /// A number never needs quotes (digits, `-`, `.`, `e`). One that is not
    /// finite is missing: an empty cell, never `inf` or `NaN`.
    fn csv_number(&mut self, n: f64) {
        self.csv_separator();
        if n.is_finite() {
            self.num.clear();
            push_number(&mut self.num, n);
            self.out.extend_from_slice(self.num.as_bytes());
        }
    }

    /// A score or sub-score: empty when missing.
    fn csv_optional(&mut self, n: Option<f64>) {
        self.csv_number(n.unwrap_or(f64::NAN));
    }

    fn csv_number_int(&mut self, n: u64) {
        self.csv_separator();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    fn end_csv_record(&mut self) {
        self.out.push(b'\n');
        self.first_field = true;
    }

    fn json_key(&mut self, key: &str) {
        if !self.first_field {
            self.out.push(b',');
        }
        self.first_field = false;
        json_string(&mut self.out, key);
        self.out.push(b':');
    }

    /// A number; `null` when it is not finite (missing), which JSON has no
    /// other way to say.
    fn json_number(&mut self, n: f64) {
        if n.is_finite() {
            self.num.clear();
            push_number(&mut self.num, n);
            self.out.extend_from_slice(self.num.as_bytes());
        } else {
            self.out.extend_from_slice(b"null");
        }
    }

    fn json_optional(&mut self, n: Option<f64>) {
        self.json_number(n.unwrap_or(f64::NAN));
    }
}

/// Numbers as results print them (the one formatter, in [`crate::number`]).
use crate::number::push_number;

/// The names of the criteria `outcome` matched, in definition order, joined
/// with `; `.
fn join_matched(out: &mut Vec<u8>, joiners: &[Joiner], outcome: &Outcome) {
    let mut matched = joiners
        .iter()
        .zip(&outcome.matched)
        .filter_map(|(j, &m)| m.then_some(j));
    if let Some(first) = matched.next() {
        out.extend_from_slice(first.name());
    }
    for next in matched {
        next.push(out);
    }
}

/// Room for `; ` and a name in one fixed-size copy.
const JOINER: usize = 32;

/// `; NAME`, padded to [`JOINER`] bytes when it fits. A row names a dozen
/// criteria; copying a fixed 32 bytes and cutting back the padding is a
/// couple of instructions, where copying exactly the name's length is a
/// call to `memcpy` each.
struct Joiner {
    text: Vec<u8>,
    padded: Option<[u8; JOINER]>,
}

impl Joiner {
    fn new(name: &str) -> Self {
        let text = [b"; ", name.as_bytes()].concat();
        let padded = (text.len() <= JOINER).then(|| {
            let mut p = [0u8; JOINER];
            p[..text.len()].copy_from_slice(&text);
            p
        });
        Joiner { text, padded }
    }

    fn name(&self) -> &[u8] {
        &self.text[2..]
    }

    #[inline]
    fn push(&self, out: &mut Vec<u8>) {
        match &self.padded {
            Some(p) => {
                out.extend_from_slice(p);
                out.truncate(out.len() - (JOINER - self.text.len()));
            }
            None => out.extend_from_slice(&self.text),
        }
    }
}

fn json_string(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes exactly as JSON requires; writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Missing scores and sub-scores, and any number that is not finite,
    /// are written as an empty CSV cell and a JSON `null`: never `inf` or
    /// `NaN`, which no CSV or JSON reader takes for a number.
    #[test]
    fn missing_and_non_finite_numbers_are_empty_or_null() {
        let outcome = Outcome {
            score: None,
            group_scores: vec![None, Some(3.0)],
            points: vec![f64::INFINITY, f64::NAN],
            matched: vec![false, false],
            disqualified: None,
            stage: 0,
            route: None,
        };
        let mut l = layout(&["a", "b"], "s", "r");
        l.groups = vec!["fit".into(), "interest".into()];
        l.points = true;
        let mut w = RowWriter::new(&l);
        w.write(RowLabel::Row(1), &outcome, &Cells::default(), &[]);
        assert_eq!(String::from_utf8(w.take()).unwrap(), "1,,,3,s,,,,\n");
        l.format = OutputFormat::Jsonl;
        let mut w = RowWriter::new(&l);
        w.write(RowLabel::Row(1), &outcome, &Cells::default(), &[]);
        let line = String::from_utf8(w.take()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(json["score"], serde_json::Value::Null);
        assert_eq!(json["fit"], serde_json::Value::Null);
        assert_eq!(json["interest"], 3);
        assert_eq!(json["points: a"], serde_json::Value::Null);
        assert_eq!(json["points: b"], serde_json::Value::Null);
    }

    fn layout(criteria: &[&str], stage: &str, reason: &str) -> ResultLayout {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ResultLayout {
            format: OutputFormat::Csv,
            id_field: None,
            groups: vec![],
            stages: strings(&[stage, "nurture"]),
            reasons: strings(&[reason]),
            criteria: strings(criteria),
            routes: vec![],
            keep: vec![],
            points: false,
            why: None,
            handoff: None,
        }
    }

    /// Stage names, reasons and matched names written from the fields quoted
    /// once up front read back as the same text, whether or not they need
    /// quotes; and with all-plain names the `matched` join is written unquoted.
    #[test]
    fn precomputed_fields_read_back_as_written() {
        let outcome = |stage, disqualified| Outcome {
            score: Some(0.0),
            group_scores: vec![],
            points: vec![0.0; 2],
            matched: vec![true, true],
            disqualified,
            stage,
            route: None,
        };
        let cases = [
            (["web, form", "say \"hi\""], "ready, now", "a \"bad\" fit"),
            (["web", "demo"], "ready", "competitor"),
        ];
        for (criteria, stage, reason) in cases {
            let layout = layout(&criteria, stage, reason);
            let mut w = RowWriter::new(&layout);
            w.write(
                RowLabel::Row(1),
                &outcome(0, Some(0)),
                &Cells::default(),
                &[],
            );
            w.write(RowLabel::Row(2), &outcome(1, None), &Cells::default(), &[]);
            let bytes = w.take();
            let mut rows = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
            let joined = criteria.join("; ");
            assert_eq!(
                rows[0].iter().collect::<Vec<_>>(),
                ["1", "0", stage, reason, &joined]
            );
            assert_eq!(
                rows[1].iter().collect::<Vec<_>>(),
                ["2", "0", "nurture", "", &joined]
            );
            let quoted = bytes.iter().filter(|&&b| b == b'"').count();
            assert_eq!(
                quoted == 0,
                criteria == ["web", "demo"],
                "{}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    /// Matched names join in definition order, whatever their length: short
    /// ones go through the padded copy, long ones (over 30 bytes) do not.
    #[test]
    fn matched_names_join_in_order_short_and_long() {
        let names = [
            "a",
            "gone quiet",
            "twenty-eight bytes long name",
            "a name of thirty-one bytes here",
            "Ünïcödé",
            "x",
        ];
        let joiners: Vec<Joiner> = names.iter().map(|n| Joiner::new(n)).collect();
        for mask in 0u32..(1 << names.len()) {
            let matched: Vec<bool> = (0..names.len()).map(|i| mask >> i & 1 == 1).collect();
            let outcome = Outcome {
                score: Some(0.0),
                group_scores: vec![],
                points: vec![0.0; names.len()],
                matched: matched.clone(),
                disqualified: None,
                stage: 0,
                route: None,
            };
            let mut out = b"before,".to_vec();
            join_matched(&mut out, &joiners, &outcome);
            let expected: Vec<&str> = names
                .iter()
                .zip(&matched)
                .filter_map(|(n, &m)| m.then_some(*n))
                .collect();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("before,{}", expected.join("; "))
            );
        }
    }
}
