//! Scoring a whole inquiry file: an open reader and an engine in, scored rows
//! and rejects out, in input order, with counts.
//!
//! `--threads` workers (the calling thread and one helper per extra thread)
//! each take a free chunk buffer, read the next rows into it under the input's
//! lock, then decode, evaluate and format them with their own scratch. Reading
//! is about a fifth of a row's cost, so taking turns at it keeps every core
//! busy without a reading thread of its own, and there are never more busy
//! threads than cores (a preempted thread holding the input's lock would
//! stall the others). The calling thread also writes finished chunks in
//! reading order. Memory is bounded by a fixed pool of chunk buffers that
//! circulate, whatever the size of the input. The output does not depend on
//! the number of threads.

use crate::eval::engine::Engine;
use crate::eval::program::BATCH;
use crate::io::results::{ResultLayout, RowLabel, RowWriter};
use crate::io::{Decoder, InputError, InquiryReader, RawRow, Reject};
use crate::model::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Rows per chunk: large enough to amortise hand-offs and wake-ups (2048
/// rows ran 3% faster than 512 on 2 cores), small enough to keep memory flat.
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

/// Why the writing of finished chunks stopped before the end.
enum Stop {
    /// `--max-rejects` was reached: the stats say where.
    Early,
    Failed(BatchError),
}

impl<E: Into<BatchError>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Failed(e.into())
    }
}

/// Where a run's pieces go.
pub struct Sinks<'a> {
    pub output: &'a mut dyn Write,
    pub reject: &'a mut dyn FnMut(&Reject) -> std::io::Result<()>,
    /// Called after each chunk is written, with (bytes read, rows read).
    pub progress: &'a dyn Fn(u64, u64),
}

#[derive(Default)]
struct Chunk {
    rows: Vec<RawRow>,
    len: usize,
    /// The chunk's results, formatted (the buffer circulates with the chunk).
    out: Vec<u8>,
}

struct ChunkOut {
    rejects: Vec<Reject>,
    per_stage: Vec<u64>,
    rows: usize,
}

/// Score every row of `reader` with `engine`, writing in input order.
pub fn score_all<E: Engine>(
    reader: InquiryReader,
    engine: &E,
    layout: &ResultLayout,
    max_rejects: Option<u64>,
    sinks: Sinks,
) -> Result<BatchStats, BatchError> {
    let decoder = reader.decoder().clone();
    let mut header = Vec::new();
    layout.write_header(&mut header);
    sinks.output.write_all(&header).map_err(out_err)?;

    let threads = rayon::current_num_threads().max(1);
    let shared = Shared {
        input: Mutex::new(Input {
            reader,
            next_seq: 0,
            ended: false,
        }),
        // Every chunk there will ever be: whoever reads waits for one to come
        // back before it reads on, which is what keeps memory flat. Four per
        // thread let a helper run ahead while the calling thread writes; the
        // last one given back is the next one taken, so only as many as are
        // in use grow buffers.
        pool: Mutex::new(Pool {
            free: (0..threads * 4).map(|_| Chunk::default()).collect(),
            closed: false,
        }),
        returned: Condvar::new(),
        bytes_read: AtomicU64::new(0),
    };
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let worker = Worker {
        shared: &shared,
        decoder: &decoder,
        engine,
        layout,
    };

    std::thread::scope(|scope| {
        // The calling thread is one of the `threads`: it scores chunks too,
        // and writes finished ones as they come.
        for _ in 1..threads {
            let done_tx = done_tx.clone();
            scope.spawn(move || worker.help(&done_tx));
        }
        drop(done_tx);
        let mut writer = InOrder {
            stats: BatchStats {
                per_stage: vec![0; layout.stages.len()],
                ..Default::default()
            },
            waiting: BTreeMap::new(),
            next_seq: 0,
            max_rejects,
            sinks,
            shared: &shared,
        };
        let result = worker.lead(&mut writer, &done_rx);
        // However it ended, the helpers stop at their next chunk (they are
        // waited for when the scope ends).
        shared.close();
        match result {
            Ok(()) | Err(Stop::Early) => Ok(writer.stats),
            Err(Stop::Failed(e)) => Err(e),
        }
    })
}

/// What every worker shares.
struct Shared {
    input: Mutex<Input>,
    pool: Mutex<Pool>,
    /// Signalled when a chunk is given back to the pool (or it is closed).
    returned: Condvar,
    bytes_read: AtomicU64,
}

/// The empty chunks, waiting to be read into.
struct Pool {
    free: Vec<Chunk>,
    /// The run is over: no more chunks are handed out.
    closed: bool,
}

impl Shared {
    fn give_back(&self, mut chunk: Chunk) {
        chunk.out.clear();
        if let Ok(mut pool) = self.pool.lock() {
            pool.free.push(chunk);
        }
        self.returned.notify_one();
    }

    fn close(&self) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.closed = true;
        }
        if let Ok(mut input) = self.input.lock() {
            input.ended = true;
        }
        self.returned.notify_all();
    }
}

/// One thread's share of the work, and what it needs to do it.
struct Worker<'a, E: Engine> {
    shared: &'a Shared,
    decoder: &'a Decoder,
    engine: &'a E,
    layout: &'a ResultLayout,
}

impl<E: Engine> Clone for Worker<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E: Engine> Copy for Worker<'_, E> {}

impl<'a, E: Engine> Worker<'a, E> {
    /// A helper thread: take a free chunk (waiting for one if need be), read
    /// the next rows into it, score them, hand the result to the writer.
    fn help(self, done_tx: &mpsc::Sender<Done>) {
        let mut mine = Own::new(self.engine, self.layout);
        loop {
            let chunk = {
                let Ok(mut pool) = self.shared.pool.lock() else {
                    return;
                };
                loop {
                    if pool.closed {
                        return;
                    }
                    if let Some(chunk) = pool.free.pop() {
                        break chunk;
                    }
                    pool = match self.shared.returned.wait(pool) {
                        Ok(pool) => pool,
                        Err(_) => return,
                    };
                }
            };
            let Some(done) = self.score_next(chunk, &mut mine) else {
                return;
            };
            if done_tx.send(done).is_err() {
                return;
            }
        }
    }

    /// The calling thread: score chunks like a helper, and write every
    /// finished chunk (its own and the helpers') in reading order. It never
    /// waits for a free chunk: when there is none, it waits for a helper to
    /// finish one instead, and writing that frees it.
    fn lead(
        self,
        writer: &mut InOrder<'_, '_>,
        done_rx: &mpsc::Receiver<Done>,
    ) -> Result<(), Stop> {
        let mut mine = Own::new(self.engine, self.layout);
        loop {
            while let Ok(done) = done_rx.try_recv() {
                writer.accept(done)?;
            }
            let free = self.shared.pool.lock().ok().and_then(|mut p| p.free.pop());
            let Some(chunk) = free else {
                match done_rx.recv() {
                    Ok(done) => writer.accept(done)?,
                    // No helper is left, and every chunk is written.
                    Err(_) => return Ok(()),
                }
                continue;
            };
            match self.score_next(chunk, &mut mine) {
                Some(done) => writer.accept(done)?,
                None => break,
            }
        }
        // The input is read; the helpers finish their last chunks.
        for done in done_rx.iter() {
            writer.accept(done)?;
        }
        Ok(())
    }

    /// Read the next rows into `chunk` and score them; `None` (the chunk
    /// dropped) once the input has ended.
    fn score_next(&self, mut chunk: Chunk, mine: &mut Own<'a, E>) -> Option<Done> {
        let (seq, read) = fill_chunk(&self.shared.input, &mut chunk, &self.shared.bytes_read)?;
        let result = read.map(|()| {
            let out = process(&mut chunk, self.decoder, self.engine, self.layout, mine);
            (out, chunk)
        });
        Some(Done { seq, result })
    }
}

/// Writes finished chunks in reading order, counting as it goes.
struct InOrder<'s, 'k> {
    stats: BatchStats,
    /// Finished chunks that came before their turn.
    waiting: BTreeMap<u64, Result<(ChunkOut, Chunk), InputError>>,
    next_seq: u64,
    max_rejects: Option<u64>,
    sinks: Sinks<'k>,
    shared: &'s Shared,
}

impl InOrder<'_, '_> {
    /// Take a finished chunk; write it and any that were waiting for it.
    /// `Err` ends the run: a read error, a failed write, or `--max-rejects`
    /// reached.
    fn accept(&mut self, done: Done) -> Result<(), Stop> {
        self.waiting.insert(done.seq, done.result);
        while let Some(result) = self.waiting.remove(&self.next_seq) {
            self.next_seq += 1;
            let (out, chunk) = result?;
            let stats = &mut self.stats;
            for reject in &out.rejects {
                (self.sinks.reject)(reject).map_err(|e| BatchError::Output(e.to_string()))?;
                stats.rejected += 1;
                if self.max_rejects.is_some_and(|m| stats.rejected >= m) {
                    stats.read = reject.row;
                    stats.scored = stats.read - stats.rejected;
                    stats.stopped_early = true;
                    return Err(Stop::Early);
                }
            }
            stats.read += out.rows as u64;
            stats.scored += (out.rows - out.rejects.len()) as u64;
            for (total, n) in stats.per_stage.iter_mut().zip(&out.per_stage) {
                *total += n;
            }
            self.sinks.output.write_all(&chunk.out).map_err(out_err)?;
            self.shared.give_back(chunk);
        }
        (self.sinks.progress)(
            self.shared.bytes_read.load(Ordering::Relaxed),
            self.stats.read,
        );
        Ok(())
    }
}

/// A chunk scored by a worker (or the read error in its place), with its
/// place in reading order.
struct Done {
    seq: u64,
    result: Result<(ChunkOut, Chunk), InputError>,
}

/// The input, shared by the workers: whoever is free reads the next chunk.
struct Input {
    reader: InquiryReader,
    /// The number the next chunk read gets: chunks are written in this order.
    next_seq: u64,
    /// The end of the input, or a read error, was reached.
    ended: bool,
}

/// Fill `chunk` with the next rows of the input and number it. `None` once
/// the input has ended (or the lock was poisoned by a panicking worker); a
/// read error is returned in the chunk's place and ends the input.
fn fill_chunk(
    input: &Mutex<Input>,
    chunk: &mut Chunk,
    bytes_read: &AtomicU64,
) -> Option<(u64, Result<(), InputError>)> {
    let mut input = input.lock().ok()?;
    if input.ended {
        return None;
    }
    chunk.len = 0;
    while chunk.len < CHUNK_ROWS {
        if chunk.rows.len() == chunk.len {
            chunk.rows.push(RawRow::default());
        }
        match input.reader.read_raw(&mut chunk.rows[chunk.len]) {
            Ok(true) => chunk.len += 1,
            Ok(false) => {
                input.ended = true;
                break;
            }
            Err(e) => {
                input.ended = true;
                let seq = input.next_seq;
                input.next_seq += 1;
                return Some((seq, Err(e)));
            }
        }
    }
    bytes_read.store(input.reader.position(), Ordering::Relaxed);
    if chunk.len == 0 {
        return None;
    }
    let seq = input.next_seq;
    input.next_seq += 1;
    Some((seq, Ok(())))
}

fn out_err(e: std::io::Error) -> BatchError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return BatchError::OutputClosed;
    }
    BatchError::Output(crate::cli::common::io_reason(&e))
}

fn process<E: Engine>(
    chunk: &mut Chunk,
    decoder: &Decoder,
    engine: &E,
    layout: &ResultLayout,
    mine: &mut Own<'_, E>,
) -> ChunkOut {
    let Own {
        decoded,
        scratch,
        writer,
    } = mine;
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
            writer.write(label, outcome, &raw.cells, decoder.kept_columns());
        });
    }
    writer.swap_out(&mut chunk.out);
    ChunkOut {
        rejects,
        per_stage,
        rows: chunk.len,
    }
}

/// A worker's own buffers, reused from chunk to chunk.
struct Own<'l, E: Engine> {
    decoded: Decoded,
    scratch: E::Scratch,
    writer: RowWriter<'l>,
}

impl<'l, E: Engine> Own<'l, E> {
    fn new(engine: &E, layout: &'l ResultLayout) -> Self {
        Own {
            decoded: Decoded::default(),
            scratch: engine.scratch(),
            writer: RowWriter::new(layout),
        }
    }
}

/// A worker's decoded rows, reused from chunk to chunk (their text buffers too).
#[derive(Default)]
struct Decoded {
    values: Vec<Vec<Value>>,
    /// For each decoded row, its index in the chunk.
    scored: Vec<usize>,
}
