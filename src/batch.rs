//! Scoring a whole inquiry file: an open reader and an engine in, scored rows
//! and rejects out, in input order, with counts.
//!
//! One thread reads raw rows in chunks; the rayon pool decodes, evaluates and
//! formats several chunks at once, each worker with its own scratch; the calling
//! thread writes the chunks' bytes in order. Memory is bounded by the chunks in
//! flight, whatever the size of the input, and chunk buffers are recycled. The
//! output does not depend on the number of threads.

use crate::eval::engine::Engine;
use crate::io::results::{ResultLayout, RowLabel, RowWriter};
use crate::io::{Decoder, InputError, InquiryReader, RawRow, Reject};
use crate::model::Value;
use rayon::prelude::*;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// Rows per chunk: large enough to amortise hand-offs, small enough to keep
/// memory flat.
pub const CHUNK_ROWS: usize = 2048;

/// Counts of a run. Always `read == scored + rejected`.
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

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("cannot write the results: {0}")]
    Output(String),
    /// The reader of the output went away (`qualify score ... | head`).
    #[error("the output was closed before the end")]
    OutputClosed,
}

/// Where a run's pieces go.
pub struct Sinks<'a> {
    pub output: &'a mut dyn Write,
    pub reject: &'a mut dyn FnMut(&Reject) -> std::io::Result<()>,
    /// Called after each batch of chunks with (bytes read, rows read).
    pub progress: &'a dyn Fn(u64, u64),
}

struct Chunk {
    rows: Vec<RawRow>,
    len: usize,
}

struct ChunkOut {
    bytes: Vec<u8>,
    rejects: Vec<Reject>,
    per_stage: Vec<u64>,
    rows: usize,
}

/// Score every row of `reader` with `engine`, writing in input order.
pub fn score_all<E: Engine>(
    mut reader: InquiryReader,
    engine: &E,
    layout: &ResultLayout,
    max_rejects: Option<u64>,
    sinks: Sinks,
) -> Result<BatchStats, BatchError> {
    let decoder = reader.decoder().clone();
    let stage_count = layout.stages.len();
    let mut stats = BatchStats {
        per_stage: vec![0; stage_count],
        ..Default::default()
    };
    let mut header = Vec::new();
    layout.write_header(&mut header);
    sinks.output.write_all(&header).map_err(out_err)?;

    let in_flight = rayon::current_num_threads().max(1) * 2;
    let bytes_read = AtomicU64::new(0);
    let (full_tx, full_rx) = mpsc::sync_channel::<Result<Chunk, InputError>>(in_flight);
    let (empty_tx, empty_rx) = mpsc::channel::<Chunk>();

    std::thread::scope(|scope| -> Result<BatchStats, BatchError> {
        // Owned here so that returning early drops it, which stops the reader
        // thread (its next send fails) before the scope joins it.
        let full_rx = full_rx;
        let bytes_read = &bytes_read;
        scope.spawn(move || loop {
            let mut chunk = empty_rx.try_recv().unwrap_or_else(|_| Chunk {
                rows: Vec::new(),
                len: 0,
            });
            chunk.len = 0;
            let mut end = false;
            while chunk.len < CHUNK_ROWS {
                if chunk.rows.len() == chunk.len {
                    chunk.rows.push(RawRow::default());
                }
                match reader.read_raw(&mut chunk.rows[chunk.len]) {
                    Ok(true) => chunk.len += 1,
                    Ok(false) => {
                        end = true;
                        break;
                    }
                    Err(e) => {
                        let _ = full_tx.send(Err(e));
                        return;
                    }
                }
            }
            bytes_read.store(reader.position(), Ordering::Relaxed);
            if chunk.len > 0 && full_tx.send(Ok(chunk)).is_err() {
                return;
            }
            if end {
                return;
            }
        });

        let mut batch: Vec<Chunk> = Vec::with_capacity(in_flight);
        let mut finished = false;
        while !finished {
            batch.clear();
            // Wait for one chunk, then take whatever else is ready, up to a batch.
            while batch.len() < in_flight {
                let next = if batch.is_empty() {
                    full_rx.recv().ok()
                } else {
                    match full_rx.try_recv() {
                        Ok(c) => Some(c),
                        Err(mpsc::TryRecvError::Empty) => break,
                        Err(mpsc::TryRecvError::Disconnected) => None,
                    }
                };
                match next {
                    Some(Ok(chunk)) => batch.push(chunk),
                    Some(Err(e)) => return Err(e.into()),
                    None => {
                        finished = true;
                        break;
                    }
                }
            }
            let outs: Vec<ChunkOut> = batch
                .par_iter()
                .map_init(
                    || (Vec::<Value>::new(), engine.scratch()),
                    |(values, scratch), chunk| {
                        process(chunk, &decoder, engine, layout, values, scratch)
                    },
                )
                .collect();
            for (out, chunk) in outs.into_iter().zip(batch.drain(..)) {
                for reject in &out.rejects {
                    (sinks.reject)(reject).map_err(|e| BatchError::Output(e.to_string()))?;
                    stats.rejected += 1;
                    if max_rejects.is_some_and(|m| stats.rejected >= m) {
                        stats.read = reject.row;
                        stats.scored = stats.read - stats.rejected;
                        stats.stopped_early = true;
                        return Ok(stats);
                    }
                }
                stats.read += out.rows as u64;
                stats.scored += (out.rows - out.rejects.len()) as u64;
                for (total, n) in stats.per_stage.iter_mut().zip(&out.per_stage) {
                    *total += n;
                }
                sinks.output.write_all(&out.bytes).map_err(out_err)?;
                let _ = empty_tx.send(chunk);
            }
            (sinks.progress)(bytes_read.load(Ordering::Relaxed), stats.read);
        }
        Ok(stats)
    })
}

fn out_err(e: std::io::Error) -> BatchError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return BatchError::OutputClosed;
    }
    BatchError::Output(crate::cli::common::io_reason(&e))
}

fn process<E: Engine>(
    chunk: &Chunk,
    decoder: &Decoder,
    engine: &E,
    layout: &ResultLayout,
    values: &mut Vec<Value>,
    scratch: &mut E::Scratch,
) -> ChunkOut {
    let mut writer = RowWriter::new(layout);
    let mut rejects = Vec::new();
    let mut per_stage = vec![0u64; layout.stages.len()];
    let id_column = layout
        .id_field
        .and_then(|f| decoder.columns().slots.get(f).copied().flatten());
    for raw in &chunk.rows[..chunk.len] {
        if let Err(reject) = decoder.decode(raw, values) {
            rejects.push(*reject);
            continue;
        }
        let outcome = engine.evaluate(values, scratch);
        per_stage[outcome.stage] += 1;
        let label = match (layout.id_field, id_column) {
            (Some(_), Some(c)) => RowLabel::Id(
                std::str::from_utf8(raw.cells.get(c).unwrap_or_default())
                    .unwrap_or_default()
                    .trim(),
            ),
            (Some(_), None) => RowLabel::Id(""),
            (None, _) => RowLabel::Row(raw.row),
        };
        writer.write(label, outcome, &raw.cells, decoder.kept_columns());
    }
    ChunkOut {
        bytes: writer.take(),
        rejects,
        per_stage,
        rows: chunk.len,
    }
}
