//! Scoring a whole inquiry file: an open reader and an engine in, scored rows
//! and rejects out, in input order, with counts.
//!
//! One thread reads raw rows into numbered chunks; one worker per thread of
//! the current rayon pool (`--threads`) decodes, evaluates and formats whole
//! chunks, each with its own scratch; the calling thread writes finished chunks
//! in reading order as soon as the next one is ready, so no worker waits for a
//! slower neighbour. Memory is bounded by a fixed pool of chunk buffers that
//! circulate, whatever the size of the input. The
//! output does not depend on the number of threads.

use crate::eval::engine::Engine;
use crate::eval::program::BATCH;
use crate::io::results::{ResultLayout, RowLabel, RowWriter};
use crate::io::{Decoder, InputError, InquiryReader, RawRow, Reject};
use crate::model::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex};

/// Rows per chunk: large enough to amortise hand-offs, small enough to keep
/// memory flat.
pub const CHUNK_ROWS: usize = 512;

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
    /// Called after each chunk is written, with (bytes read, rows read).
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
    let mut stats = BatchStats {
        per_stage: vec![0; layout.stages.len()],
        ..Default::default()
    };
    let mut header = Vec::new();
    layout.write_header(&mut header);
    sinks.output.write_all(&header).map_err(out_err)?;

    let workers = rayon::current_num_threads().max(1);
    // Every chunk there will ever be: the reader waits for one to come back
    // before it reads on, which is what keeps memory flat.
    let pool_size = workers * 4;
    let bytes_read = AtomicU64::new(0);
    let (full_tx, full_rx) = mpsc::channel::<(u64, Result<Chunk, InputError>)>();
    let full_rx = Mutex::new(full_rx);
    let (empty_tx, empty_rx) = mpsc::channel::<Chunk>();
    let (done_tx, done_rx) = mpsc::channel::<Done>();

    std::thread::scope(|scope| -> Result<BatchStats, BatchError> {
        // Owned by this closure, so that returning early drops them: the
        // workers' sends then fail and the reader's wait for a free chunk ends.
        let done_rx = done_rx;
        let empty_tx = empty_tx;
        let bytes_read = &bytes_read;
        scope.spawn(move || read_chunks(&mut reader, pool_size, &empty_rx, &full_tx, bytes_read));
        for _ in 0..workers {
            let (full_rx, done_tx, decoder) = (&full_rx, done_tx.clone(), &decoder);
            scope.spawn(move || {
                let (mut decoded, mut scratch) = (Decoded::default(), engine.scratch());
                loop {
                    // The lock is held only to take the next chunk.
                    let next = full_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, chunk))) = next else { return };
                    let done = match chunk {
                        Ok(chunk) => {
                            let out = process(
                                &chunk,
                                decoder,
                                engine,
                                layout,
                                &mut decoded,
                                &mut scratch,
                            );
                            Done {
                                seq,
                                result: Ok((out, chunk)),
                            }
                        }
                        Err(e) => Done {
                            seq,
                            result: Err(e),
                        },
                    };
                    if done_tx.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);

        // Chunks finish in any order; they are written in reading order.
        let mut waiting: BTreeMap<u64, Result<(ChunkOut, Chunk), InputError>> = BTreeMap::new();
        let mut next_seq = 0u64;
        for done in done_rx.iter() {
            waiting.insert(done.seq, done.result);
            while let Some(result) = waiting.remove(&next_seq) {
                next_seq += 1;
                let (out, chunk) = result?;
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

/// A chunk scored by a worker (or the read error in its place), with its
/// place in reading order.
struct Done {
    seq: u64,
    result: Result<(ChunkOut, Chunk), InputError>,
}

/// The reader thread: fill chunks of rows and number them in reading order.
/// At most `pool_size` chunks are ever made; after that it waits for the
/// writer to give one back. Ends at the end of the input, at a read error
/// (sent in a chunk's place), or when the other side has gone.
fn read_chunks(
    reader: &mut InquiryReader,
    pool_size: usize,
    empty_rx: &mpsc::Receiver<Chunk>,
    full_tx: &mpsc::Sender<(u64, Result<Chunk, InputError>)>,
    bytes_read: &AtomicU64,
) {
    let mut made = 0;
    for seq in 0u64.. {
        let recycled = if made < pool_size {
            empty_rx.try_recv().ok()
        } else {
            match empty_rx.recv() {
                Ok(chunk) => Some(chunk),
                Err(_) => return,
            }
        };
        let mut chunk = recycled.unwrap_or_else(|| {
            made += 1;
            Chunk {
                rows: Vec::new(),
                len: 0,
            }
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
                    let _ = full_tx.send((seq, Err(e)));
                    return;
                }
            }
        }
        bytes_read.store(reader.position(), Ordering::Relaxed);
        if chunk.len > 0 && full_tx.send((seq, Ok(chunk))).is_err() {
            return;
        }
        if end {
            return;
        }
    }
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
    decoded: &mut Decoded,
    scratch: &mut E::Scratch,
) -> ChunkOut {
    let mut writer = RowWriter::new(layout);
    let mut rejects = Vec::new();
    let mut per_stage = vec![0u64; layout.stages.len()];
    let id_column = layout
        .id_field
        .and_then(|f| decoder.columns().slots.get(f).copied().flatten());
    let rows = &chunk.rows[..chunk.len];
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
                Err(reject) => rejects.push(*reject),
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
        });
    }
    ChunkOut {
        bytes: writer.take(),
        rejects,
        per_stage,
        rows: chunk.len,
    }
}

/// A worker's decoded rows, reused from chunk to chunk (their text buffers too).
#[derive(Default)]
struct Decoded {
    values: Vec<Vec<Value>>,
    /// For each decoded row, its index in the chunk.
    scored: Vec<usize>,
}
