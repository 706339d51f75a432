//! The one file driver: an open reader, a tool's per-chunk work and its
//! in-order sink in; every row read once, worked on in parallel, handed to
//! the sink in input order, rejects counted against `--max-rejects`, and the
//! run's counts out. `score`, `diff --against`, `backtest` and `explain` over
//! a file all read through it, so they read, reject and stop alike.
//!
//! `--threads` workers (the calling thread and one helper per extra thread)
//! each take a free chunk buffer, read the next rows into it, then hand them
//! to the tool's [`ChunkWork`] with their own scratch. A mapped CSV file is
//! parsed by every worker at once, each its own range of bytes
//! ([`CsvRanges`]), confirmed in the file's order; stdin and JSONL are read
//! by one reader under a lock, the workers taking turns. No thread only
//! reads, so there are never more busy threads than cores (a preempted
//! thread others wait on would stall them). The calling thread also gives
//! finished chunks to the tool's sink in reading order. Memory is bounded by
//! a fixed pool of chunk buffers that circulate, whatever the size of the
//! input. The result does not depend on the number of threads.
//!
//! The work and the sink are generic parameters, not trait objects: the
//! per-row loops are the tool's own, compiled for it, and the driver adds
//! nothing per row (only per chunk).

pub mod score;

use crate::input::{CsvRanges, InputError, InquiryReader, RawRow, Reject};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

pub use score::{score_all, BatchStats, ScoreWork, Sinks};

/// Rows per chunk: large enough to amortise hand-offs and wake-ups (2048
/// rows ran 3% faster than 512 on 2 cores), small enough to keep memory flat.
pub const CHUNK_ROWS: usize = 2048;

/// What a tool does to each chunk of rows, on any worker thread.
pub trait ChunkWork: Sync {
    /// A worker's own buffers, made on its thread and reused chunk to chunk.
    type Scratch;
    /// What a chunk gives the sink. It circulates with the chunk buffer, so
    /// its allocations are reused; [`ChunkWork::work`] clears it first.
    type Out: Default + Send;
    fn scratch(&self) -> Self::Scratch;
    /// Work on `rows` (in input order) into `out`.
    fn work(&self, rows: &[RawRow], scratch: &mut Self::Scratch, out: &mut Self::Out);
}

/// The rejects policy of every command: each rejected row goes to the
/// writer in input order and is counted, and the run stops at the
/// `--max-rejects`th. A sink hands each of its rejects to [`Rejects::reject`]
/// and returns its `Err` as it is.
pub struct Rejects<'a> {
    max: Option<u64>,
    count: u64,
    write: &'a mut dyn FnMut(&Reject) -> std::io::Result<()>,
    /// The data row whose reject reached `--max-rejects`.
    stopped_at: Option<u64>,
}

impl Rejects<'_> {
    /// Write and count `reject`; `Err` when the writing fails or this was the
    /// last reject allowed (the run then stops at its row).
    pub fn reject(&mut self, reject: &Reject) -> Result<(), Stop> {
        (self.write)(reject).map_err(|e| Stop::Failed(DriverError::Output(e.to_string())))?;
        self.count += 1;
        if self.max.is_some_and(|m| self.count >= m) {
            self.stopped_at = Some(reject.row);
            return Err(Stop::MaxRejects);
        }
        Ok(())
    }

    /// Rejects so far.
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// Why a sink (or the driver) ends a run before the end of the input.
#[derive(Debug)]
pub enum Stop {
    /// `--max-rejects` was reached ([`Rejects::reject`] says so).
    MaxRejects,
    /// The sink has what it came for (`explain --row N` found its row).
    Done,
    Failed(DriverError),
}

impl<E: Into<DriverError>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Failed(e.into())
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("cannot write the results: {0}")]
    Output(String),
    /// The reader of the output went away (`qualify score ... | head`).
    #[error("the output was closed before the end")]
    OutputClosed,
}

/// Counts of a run. `read` counts every row given to the sink, up to and
/// including the one whose reject stopped the run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunStats {
    pub read: u64,
    pub rejected: u64,
    /// `--max-rejects` was reached: reading stopped at row `read`.
    pub stopped_early: bool,
    /// The sink said it was done before the end of the input.
    pub done_early: bool,
}

/// Where a run's rejects go and how many it takes, and how it reports
/// progress.
pub struct Limits<'a> {
    /// Stop at this many rejected rows (`--max-rejects`).
    pub max_rejects: Option<u64>,
    pub reject: &'a mut dyn FnMut(&Reject) -> std::io::Result<()>,
    /// Called after each chunk is taken, with (bytes read, rows read).
    pub progress: &'a dyn Fn(u64, u64),
}

/// Read every row of `reader`, work on chunks of them in parallel with
/// `work`, and give each chunk's result to `sink` in input order (the rows
/// with it, their cells as read). The sink returns `Err(Stop)` to end the
/// run; `Stop::MaxRejects` and `Stop::Done` end it without an error.
pub fn drive<W, S>(
    reader: InquiryReader,
    work: &W,
    limits: Limits,
    mut sink: S,
) -> Result<RunStats, DriverError>
where
    W: ChunkWork,
    S: FnMut(&[RawRow], &mut W::Out, &mut Rejects) -> Result<(), Stop>,
{
    let threads = rayon::current_num_threads().max(1);
    // A mapped CSV file is parsed on every thread; other input (stdin,
    // JSONL, one thread) is read by one worker at a time.
    let ranges = if threads > 1 {
        reader.into_ranges()
    } else {
        Err(Box::new(reader))
    };
    let input = match ranges {
        Ok(ranges) => Feed::Ranges(ranges),
        Err(reader) => Feed::Locked(Mutex::new(Input {
            reader: *reader,
            next_seq: 0,
            ended: false,
        })),
    };
    let shared = Shared {
        input,
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
    let (done_tx, done_rx) = mpsc::channel::<Done<W::Out>>();
    let worker = Worker {
        shared: &shared,
        work,
    };
    let Limits {
        max_rejects,
        reject,
        progress,
    } = limits;

    std::thread::scope(|scope| {
        // The calling thread is one of the `threads`: it works on chunks
        // too, and hands finished ones to the sink as they come.
        for _ in 1..threads {
            let done_tx = done_tx.clone();
            scope.spawn(move || worker.help(&done_tx));
        }
        drop(done_tx);
        let mut writer = InOrder {
            stats: RunStats::default(),
            waiting: BTreeMap::new(),
            next_seq: 0,
            rejects: Rejects {
                max: max_rejects,
                count: 0,
                write: reject,
                stopped_at: None,
            },
            sink: &mut sink,
            progress,
            shared: &shared,
        };
        let result = worker.lead(&mut writer, &done_rx);
        // However it ended, the helpers stop at their next chunk (they are
        // waited for when the scope ends).
        shared.close();
        let mut stats = writer.stats;
        stats.rejected = writer.rejects.count;
        match result {
            Ok(()) => Ok(stats),
            Err(Stop::MaxRejects) => {
                stats.read = writer.rejects.stopped_at.unwrap_or(stats.read);
                stats.stopped_early = true;
                Ok(stats)
            }
            Err(Stop::Done) => {
                stats.done_early = true;
                Ok(stats)
            }
            Err(Stop::Failed(e)) => Err(e),
        }
    })
}

/// A chunk buffer: the rows read into it, and the work's result on them.
struct Chunk<O> {
    rows: Vec<RawRow>,
    len: usize,
    out: O,
}

impl<O: Default> Default for Chunk<O> {
    fn default() -> Self {
        Chunk {
            rows: Vec::new(),
            len: 0,
            out: O::default(),
        }
    }
}

/// What every worker shares.
struct Shared<O> {
    input: Feed,
    pool: Mutex<Pool<O>>,
    /// Signalled when a chunk is given back to the pool (or it is closed).
    returned: Condvar,
    bytes_read: AtomicU64,
}

/// The empty chunks, waiting to be read into.
struct Pool<O> {
    free: Vec<Chunk<O>>,
    /// The run is over: no more chunks are handed out.
    closed: bool,
}

impl<O> Shared<O> {
    fn give_back(&self, chunk: Chunk<O>) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.free.push(chunk);
        }
        self.returned.notify_one();
    }

    fn close(&self) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.closed = true;
        }
        match &self.input {
            Feed::Locked(input) => {
                if let Ok(mut input) = input.lock() {
                    input.ended = true;
                }
            }
            Feed::Ranges(ranges) => ranges.stop(),
        }
        self.returned.notify_all();
    }
}

/// One thread's share of the work, and what it needs to do it.
struct Worker<'a, W: ChunkWork> {
    shared: &'a Shared<W::Out>,
    work: &'a W,
}

impl<W: ChunkWork> Clone for Worker<'_, W> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<W: ChunkWork> Copy for Worker<'_, W> {}

impl<W: ChunkWork> Worker<'_, W> {
    /// A helper thread: take a free chunk (waiting for one if need be), read
    /// the next rows into it, work on them, hand the result to the writer.
    fn help(self, done_tx: &mpsc::Sender<Done<W::Out>>) {
        let mut scratch = self.work.scratch();
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
            let Some(done) = self.work_next(chunk, &mut scratch) else {
                return;
            };
            if done_tx.send(done).is_err() {
                return;
            }
        }
    }

    /// The calling thread: work on chunks like a helper, and give every
    /// finished chunk (its own and the helpers') to the sink in reading
    /// order. It never waits for a free chunk: when there is none, it waits
    /// for a helper to finish one instead, and taking that frees it.
    fn lead<S>(
        self,
        writer: &mut InOrder<'_, '_, W::Out, S>,
        done_rx: &mpsc::Receiver<Done<W::Out>>,
    ) -> Result<(), Stop>
    where
        S: FnMut(&[RawRow], &mut W::Out, &mut Rejects) -> Result<(), Stop>,
    {
        let mut scratch = self.work.scratch();
        loop {
            while let Ok(done) = done_rx.try_recv() {
                writer.accept(done)?;
            }
            let free = self.shared.pool.lock().ok().and_then(|mut p| p.free.pop());
            let Some(chunk) = free else {
                match done_rx.recv() {
                    Ok(done) => writer.accept(done)?,
                    // No helper is left, and every chunk is taken.
                    Err(_) => return Ok(()),
                }
                continue;
            };
            match self.work_next(chunk, &mut scratch) {
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

    /// Read the next rows into `chunk` and work on them; `None` (the chunk
    /// dropped) once the input has ended.
    fn work_next(
        &self,
        mut chunk: Chunk<W::Out>,
        scratch: &mut W::Scratch,
    ) -> Option<Done<W::Out>> {
        let (seq, read) = fill_chunk(&self.shared.input, &mut chunk, &self.shared.bytes_read)?;
        let result = read.map(|()| {
            self.work
                .work(&chunk.rows[..chunk.len], scratch, &mut chunk.out);
            chunk
        });
        Some(Done { seq, result })
    }
}

/// Gives finished chunks to the sink in reading order, counting as it goes.
struct InOrder<'s, 'k, O, S> {
    stats: RunStats,
    /// Finished chunks that came before their turn.
    waiting: BTreeMap<u64, Result<Chunk<O>, InputError>>,
    next_seq: u64,
    rejects: Rejects<'k>,
    sink: &'k mut S,
    progress: &'k dyn Fn(u64, u64),
    shared: &'s Shared<O>,
}

impl<O, S> InOrder<'_, '_, O, S>
where
    S: FnMut(&[RawRow], &mut O, &mut Rejects) -> Result<(), Stop>,
{
    /// Take a finished chunk; hand it and any that were waiting for it to
    /// the sink. `Err` ends the run: a read error, a failed write, the sink
    /// done, or `--max-rejects` reached.
    fn accept(&mut self, done: Done<O>) -> Result<(), Stop> {
        self.waiting.insert(done.seq, done.result);
        while let Some(result) = self.waiting.remove(&self.next_seq) {
            self.next_seq += 1;
            let mut chunk = result?;
            (self.sink)(&chunk.rows[..chunk.len], &mut chunk.out, &mut self.rejects)?;
            self.stats.read += chunk.len as u64;
            self.shared.give_back(chunk);
        }
        (self.progress)(
            self.shared.bytes_read.load(Ordering::Relaxed),
            self.stats.read,
        );
        Ok(())
    }
}

/// A chunk worked on (or the read error in its place), with its place in
/// reading order.
struct Done<O> {
    seq: u64,
    result: Result<Chunk<O>, InputError>,
}

/// Where the workers get their rows.
enum Feed {
    /// One reader: whoever is free reads the next chunk, holding the lock.
    Locked(Mutex<Input>),
    /// A mapped CSV file: each worker parses a range of it on its own.
    Ranges(CsvRanges),
}

/// The input, shared by the workers: whoever is free reads the next chunk.
struct Input {
    reader: InquiryReader,
    /// The number the next chunk read gets: chunks are taken in this order.
    next_seq: u64,
    /// The end of the input, or a read error, was reached.
    ended: bool,
}

/// Fill `chunk` with the next rows of the input and number it. `None` once
/// the input has ended (or a lock was poisoned by a panicking worker); a
/// read error is returned in the chunk's place and ends the input.
fn fill_chunk<O>(
    input: &Feed,
    chunk: &mut Chunk<O>,
    bytes_read: &AtomicU64,
) -> Option<(u64, Result<(), InputError>)> {
    match input {
        Feed::Locked(input) => fill_chunk_locked(input, chunk, bytes_read),
        Feed::Ranges(ranges) => {
            let (seq, len, read) = ranges.read_chunk(&mut chunk.rows)?;
            chunk.len = len;
            bytes_read.store(ranges.position(), Ordering::Relaxed);
            Some((seq, read))
        }
    }
}

fn fill_chunk_locked<O>(
    input: &Mutex<Input>,
    chunk: &mut Chunk<O>,
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
