//! `score`'s work and sink on the driver: an engine and a result layout in;
//! each chunk decoded, evaluated a batch at a time and formatted by the
//! worker that read it, then written in input order with its rejects; the
//! counts of the run, per stage too, out.

use super::{drive, ChunkWork, DriverError, Limits, Rejects, Stop};
use crate::eval::engine::Engine;
use crate::eval::program::BATCH;
use crate::input::{Decoder, InquiryReader, RawRow, Reject};
use crate::model::Value;
use crate::output::results::{ResultLayout, RowLabel, RowWriter};
use std::io::Write;

/// Counts of a scoring run. Always `read == scored + rejected`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchStats {
    pub read: u64,
    pub scored: u64,
    pub rejected: u64,
    /// Rows per stage, indexed like [`crate::model::Model::stage_names`].
    pub per_stage: Vec<u64>,
    /// `--max-rejects` was reached: reading stopped at row `read`.
    pub stopped_early: bool,
}

/// Where a scoring run's pieces go.
pub struct Sinks<'a> {
    pub output: &'a mut dyn Write,
    pub reject: &'a mut dyn FnMut(&Reject) -> std::io::Result<()>,
    /// Called after each chunk is written, with (bytes read, rows read).
    pub progress: &'a dyn Fn(u64, u64),
}

/// Score every row of `reader` with `engine`, writing in input order.
pub fn score_all<E: Engine>(
    reader: InquiryReader,
    engine: &E,
    layout: &ResultLayout,
    max_rejects: Option<u64>,
    sinks: Sinks,
) -> Result<BatchStats, DriverError> {
    let Sinks {
        output,
        reject,
        progress,
    } = sinks;
    let mut header = Vec::new();
    layout.write_header(&mut header);
    output.write_all(&header).map_err(out_error)?;
    let work = ScoreWork {
        decoder: reader.decoder().clone(),
        engine,
        layout,
    };
    let mut per_stage = vec![0u64; layout.stages.len()];
    let limits = Limits {
        max_rejects,
        reject,
        progress,
    };
    let run = drive(
        reader,
        &work,
        limits,
        |_rows, chunk: &mut ScoredChunk, rejects: &mut Rejects| {
            for reject in &chunk.rejects {
                rejects.reject(reject)?;
            }
            for (total, n) in per_stage.iter_mut().zip(&chunk.per_stage) {
                *total += n;
            }
            output
                .write_all(&chunk.out)
                .map_err(|e| Stop::Failed(out_error(e)))?;
            Ok(())
        },
    )?;
    Ok(BatchStats {
        read: run.read,
        scored: run.read - run.rejected,
        rejected: run.rejected,
        // The stop falls inside a chunk: its rows' stages are not counted.
        per_stage,
        stopped_early: run.stopped_early,
    })
}

/// A write error of the results, a closed pipe told apart.
fn out_error(e: std::io::Error) -> DriverError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return DriverError::OutputClosed;
    }
    DriverError::Output(crate::input::io_reason(&e))
}

/// Decode, score and format a chunk.
pub struct ScoreWork<'l, E: Engine> {
    pub decoder: Decoder,
    pub engine: &'l E,
    pub layout: &'l ResultLayout,
}

/// A chunk scored: its results formatted, its rejects, its rows per stage.
#[derive(Default)]
pub struct ScoredChunk {
    out: Vec<u8>,
    rejects: Vec<Reject>,
    per_stage: Vec<u64>,
}

/// A worker's own buffers, reused from chunk to chunk.
pub struct Own<'l, E: Engine> {
    decoded: Decoded,
    scratch: E::Scratch,
    writer: RowWriter<'l>,
}

/// A worker's decoded rows, reused from chunk to chunk (their text buffers too).
#[derive(Default)]
struct Decoded {
    values: Vec<Vec<Value>>,
    /// For each decoded row, its index in the chunk.
    scored: Vec<usize>,
}

impl<'l, E: Engine> ChunkWork for ScoreWork<'l, E> {
    type Scratch = Own<'l, E>;
    type Out = ScoredChunk;

    fn scratch(&self) -> Own<'l, E> {
        Own {
            decoded: Decoded::default(),
            scratch: self.engine.scratch(),
            writer: RowWriter::new(self.layout),
        }
    }

    fn work(&self, rows: &[RawRow], mine: &mut Own<'l, E>, chunk: &mut ScoredChunk) {
        let (decoder, engine, layout) = (&self.decoder, self.engine, self.layout);
        let Own {
            decoded,
            scratch,
            writer,
        } = mine;
        chunk.rejects.clear();
        chunk.per_stage.clear();
        chunk.per_stage.resize(layout.stages.len(), 0);
        let per_stage = &mut chunk.per_stage;
        let id_column = layout
            .id_field
            .and_then(|f| decoder.columns().slots.get(f).copied().flatten());
        if decoded.values.len() < BATCH {
            decoded.values.resize_with(BATCH, Vec::new);
        }
        // Decode a batch, then score it while its values are still in the
        // core's cache; rejected rows are left out of the batch.
        let mut next = 0;
        while next < rows.len() {
            decoded.scored.clear();
            while next < rows.len() && decoded.scored.len() < BATCH {
                let values = &mut decoded.values[decoded.scored.len()];
                match decoder.decode(&rows[next], values) {
                    Ok(()) => decoded.scored.push(next),
                    Err(reject) => chunk.rejects.push(*reject),
                }
                next += 1;
            }
            let values: Vec<&[Value]> = decoded.values[..decoded.scored.len()]
                .iter()
                .map(Vec::as_slice)
                .collect();
            engine.evaluate_each(&values, scratch, &mut |k, outcome| {
                let raw = &rows[decoded.scored[k]];
                per_stage[outcome.stage] += 1;
                // A text id as decoded (kept as read, its UTF-8 already
                // checked); an id of another type as its cell reads.
                let label = match layout.id_field {
                    Some(f) => RowLabel::Id(match values[k].get(f) {
                        Some(Value::Text(id)) => id.trim(),
                        _ => id_column
                            .and_then(|c| raw.cells.get(c))
                            .and_then(|cell| std::str::from_utf8(cell).ok())
                            .unwrap_or_default()
                            .trim(),
                    }),
                    None => RowLabel::Row(raw.row),
                };
                writer.write_row(
                    label,
                    outcome,
                    values[k],
                    &raw.cells,
                    decoder.kept_columns(),
                );
            });
        }
        writer.swap_out(&mut chunk.out);
    }
}
