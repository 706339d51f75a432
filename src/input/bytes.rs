//! Opening an input's bytes: a path in, a [`BufRead`] over its bytes out. A
//! regular file is mapped into memory (no copy, and its pages handed back as
//! they are read, so memory stays flat); stdin, pipes and anything that cannot
//! be mapped are read through a large buffer. A mapped file is also handed
//! out whole ([`MappedFile`]), so its records can be parsed on several
//! threads (`super::ranges`).

use std::io::{BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

/// A file's bytes mapped into memory when the system allows it (a regular
/// file), else read through a buffer (a pipe, a FIFO, `/dev/stdin`). Mapped,
/// the parser reads the page cache itself: no copy of the file is made at
/// all, where reading copies it once into a buffer (5% of the CPU time of a
/// 1M-row run, with a second copy the csv crate's reader made). The map is
/// returned too, when there is one.
pub(super) fn mapped_or_read(
    file: std::fs::File,
) -> (Box<dyn BufRead + Send>, Option<Arc<MappedFile>>) {
    // SAFETY: the map is only read, through `MappedFile`. Like every program
    // that maps its input (ripgrep does by default), a run whose file another
    // program truncates while it is read is stopped by the system (SIGBUS);
    // a file that is only appended to, or replaced by renaming, is safe.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => {
            // Only a hint: reading ahead is what the kernel does anyway.
            let _ = map.advise(memmap2::Advice::Sequential);
            let file = Arc::new(MappedFile {
                map,
                released: Mutex::new(0),
            });
            let reader = Mapped {
                file: Arc::clone(&file),
                pos: 0,
                next_release: RELEASE_STEP,
            };
            (Box::new(reader), Some(file))
        }
        Err(_) => (buffered(file), None),
    }
}

/// How far behind the reading position the pages of a mapped file are handed
/// back: a multiple of every page size in use (4 KiB to 64 KiB).
const RELEASE_STEP: usize = 8 << 20;

/// A file mapped into memory, shared by whoever reads it.
///
/// Every page the process has touched counts in its resident memory until it
/// is unmapped, so without [`MappedFile::release_behind`] a run over a 2.5 GB
/// file would show 2.5 GB resident; the pages behind the reading position are
/// handed back every [`RELEASE_STEP`] bytes, which keeps a run's memory flat
/// whatever the size of the file. They stay in the system's page cache
/// (another run reads them as fast); only this process's mapping of them goes.
pub(crate) struct MappedFile {
    map: memmap2::Mmap,
    /// Bytes from the start whose pages have been handed back.
    released: Mutex<usize>,
}

impl MappedFile {
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// `bytes` (not empty) in an anonymous map, as if a file held them.
    #[cfg(test)]
    pub(crate) fn for_test(bytes: &[u8]) -> Self {
        let mut map = memmap2::MmapMut::map_anon(bytes.len()).expect("an anonymous map");
        map.copy_from_slice(bytes);
        MappedFile {
            map: map.make_read_only().expect("read-only"),
            released: Mutex::new(0),
        }
    }

    /// Hand back the pages before `pos`, a step at a time.
    pub(crate) fn release_behind(&self, pos: usize) {
        let end = pos.min(self.map.len());
        let end = end - end % RELEASE_STEP;
        let Ok(mut released) = self.released.lock() else {
            return;
        };
        if end > *released {
            // SAFETY: the mapping is a read-only shared one of a file: a page
            // touched again after MADV_DONTNEED is read back from the file,
            // not zeroed, so even a reader still looking behind `pos` reads
            // the same bytes. A failure only means the pages stay mapped.
            let _ = unsafe {
                self.map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    *released,
                    end - *released,
                )
            };
            *released = end;
        }
    }
}

/// A mapped file read front to back.
struct Mapped {
    file: Arc<MappedFile>,
    pos: usize,
    /// Where the pages behind are next handed back: checked here, so that
    /// consuming each record takes no lock.
    next_release: usize,
}

/// Part of a mapped file, `start..end`, read front to back; its pages are
/// not handed back (the reader of the whole file does that).
pub(crate) struct MappedRange {
    file: Arc<MappedFile>,
    pos: usize,
    end: usize,
}

impl MappedRange {
    pub(crate) fn new(file: Arc<MappedFile>, start: usize, end: usize) -> Self {
        let end = end.min(file.map.len());
        MappedRange {
            file,
            pos: start.min(end),
            end,
        }
    }
}

impl Read for Mapped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (&self.file.map[self.pos..]).read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Mapped {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.file.map[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.file.map.len());
        if self.pos >= self.next_release {
            self.file.release_behind(self.pos);
            self.next_release = self.pos - self.pos % RELEASE_STEP + RELEASE_STEP;
        }
    }
}

impl Read for MappedRange {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (&self.file.map[self.pos..self.end]).read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for MappedRange {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.file.map[self.pos..self.end])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.end);
    }
}

/// Input read through a buffer large enough that each read is a big one.
pub(super) fn buffered(input: impl Read + Send + 'static) -> Box<dyn BufRead + Send> {
    Box::new(BufReader::with_capacity(1 << 17, input))
}
