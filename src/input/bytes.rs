//! Opening an input's bytes: a path in, a [`BufRead`] over its bytes out. A
//! regular file is mapped into memory (no copy, and its pages handed back as
//! they are read, so memory stays flat); stdin, pipes and anything that cannot
//! be mapped are read through a large buffer.

use std::io::{BufRead, BufReader, Read};

/// A file's bytes mapped into memory when the system allows it (a regular
/// file), else read through a buffer (a pipe, a FIFO, `/dev/stdin`). Mapped,
/// the parser reads the page cache itself: no copy of the file is made at
/// all, where reading copies it once into a buffer (5% of the CPU time of a
/// 1M-row run, with a second copy the csv crate's reader made).
pub(super) fn mapped_or_read(file: std::fs::File) -> Box<dyn BufRead + Send> {
    // SAFETY: the map is only read, through `Mapped`. Like every program
    // that maps its input (ripgrep does by default), a run whose file another
    // program truncates while it is read is stopped by the system (SIGBUS);
    // a file that is only appended to, or replaced by renaming, is safe.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => {
            // Only a hint: reading ahead is what the kernel does anyway.
            let _ = map.advise(memmap2::Advice::Sequential);
            Box::new(Mapped {
                map,
                pos: 0,
                released: 0,
            })
        }
        Err(_) => buffered(file),
    }
}

/// How far behind the reading position the pages of a mapped file are handed
/// back: a multiple of every page size in use (4 KiB to 64 KiB).
const RELEASE_STEP: usize = 8 << 20;

/// A mapped file read front to back. Every page the process has touched
/// counts in its resident memory until it is unmapped, so without this a run
/// over a 2.5 GB file would show 2.5 GB resident; the pages behind the reading
/// position are handed back every [`RELEASE_STEP`] bytes, which keeps a run's
/// memory flat whatever the size of the file. They stay in the system's page
/// cache (another run reads them as fast); only this process's mapping of
/// them goes.
struct Mapped {
    map: memmap2::Mmap,
    pos: usize,
    /// Bytes from the start whose pages have been handed back.
    released: usize,
}

impl Mapped {
    fn release_behind(&mut self) {
        let end = self.pos - self.pos % RELEASE_STEP;
        if end > self.released {
            // SAFETY: nothing borrows the map behind `pos` (a slice from
            // `fill_buf` ends before `consume` is called), and the mapping is
            // a read-only shared one of a file: a page touched again after
            // MADV_DONTNEED is read back from the file, not zeroed. A failure
            // only means the pages stay mapped.
            let _ = unsafe {
                self.map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    self.released,
                    end - self.released,
                )
            };
            self.released = end;
        }
    }
}

impl Read for Mapped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (&self.map[self.pos..]).read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Mapped {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.map[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.map.len());
        if self.pos - self.released >= RELEASE_STEP {
            self.release_behind();
        }
    }
}

/// Input read through a buffer large enough that each read is a big one.
pub(super) fn buffered(input: impl Read + Send + 'static) -> Box<dyn BufRead + Send> {
    Box::new(BufReader::with_capacity(1 << 17, input))
}
