//! Where results and rejects go: a path (or stdout) in, a writer out that
//! never leaves a partial file under the final name.
//!
//! A regular file (or a path that does not exist yet) is written under a
//! temporary name beside it and renamed into place by [`AtomicFile::commit`].
//! Anything else that already exists at the path — `/dev/null`, a named pipe,
//! a terminal — is written in place: renaming over it would replace the
//! device or pipe with a plain file, which for `/dev/null` breaks every other
//! program on the machine. A symbolic link is followed, so the link stays and
//! the file it points to is replaced.

use crate::cli::common::io_reason;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const BUFFER: usize = 1 << 16;

/// A file written under a temporary name beside its final path and renamed
/// into place by [`AtomicFile::commit`]; stdout when there is no path; a
/// device or pipe written directly.
pub enum AtomicFile {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        temp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
    /// An existing path that is not a regular file (a device, a FIFO).
    InPlace {
        file: BufWriter<File>,
        path: PathBuf,
    },
}

impl AtomicFile {
    pub fn create(path: Option<&Path>) -> Result<AtomicFile, String> {
        let Some(path) = path else {
            return Ok(AtomicFile::Stdout(BufWriter::with_capacity(
                BUFFER,
                std::io::stdout(),
            )));
        };
        let cannot =
            |e: &std::io::Error| format!("cannot write `{}`: {}", path.display(), io_reason(e));
        if path.is_dir() {
            return Err(format!(
                "cannot write `{}`: it is a directory",
                path.display()
            ));
        }
        if is_device_or_pipe(path) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| cannot(&e))?;
            return Ok(AtomicFile::InPlace {
                file: BufWriter::with_capacity(BUFFER, file),
                path: path.to_path_buf(),
            });
        }
        let target = final_target(path);
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(format!(
                "cannot write `{}`: there is no folder `{}`",
                path.display(),
                dir.display()
            ));
        }
        let temp = tempfile::Builder::new()
            .prefix(".qualify-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| cannot(&e))?;
        Ok(AtomicFile::File {
            temp: BufWriter::with_capacity(BUFFER, temp),
            path: target,
        })
    }

    /// Flush and move the file to its final name. A pipe whose reader has
    /// gone (`qualify score … | head`) is no error: it had what it wanted.
    pub fn commit(self) -> Result<Committed, String> {
        let why = |path: &Path, e: &std::io::Error| {
            format!("cannot write `{}`: {}", path.display(), io_reason(e))
        };
        let flushed = |result: std::io::Result<()>, what: String| match result {
            Ok(()) => Ok(Committed::Written),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Committed::ReaderGone),
            Err(e) => Err(format!("cannot write {what}: {}", io_reason(&e))),
        };
        match self {
            AtomicFile::Stdout(mut w) => flushed(w.flush(), "to stdout".into()),
            AtomicFile::File { temp, path } => {
                let temp = temp.into_inner().map_err(|e| why(&path, e.error()))?;
                temp.persist(&path).map_err(|e| why(&path, &e.error))?;
                Ok(Committed::Written)
            }
            AtomicFile::InPlace { mut file, path } => {
                flushed(file.flush(), format!("`{}`", path.display()))
            }
        }
    }

    /// Drop the temporary file (stdout, a device or a pipe is flushed: what
    /// was written there cannot be taken back).
    pub fn abandon(self) {
        match self {
            AtomicFile::Stdout(mut w) => {
                let _ = w.flush();
            }
            AtomicFile::InPlace { mut file, .. } => {
                let _ = file.flush();
            }
            AtomicFile::File { .. } => {}
        }
    }
}

/// How [`AtomicFile::commit`] ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Committed {
    Written,
    /// The reader of stdout or of a pipe went away before the last bytes.
    ReaderGone,
}

/// An existing path (a symbolic link followed) that is neither a regular
/// file nor a directory: a device such as `/dev/null`, or a named pipe.
pub fn is_device_or_pipe(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The path a rename must replace: the file a symbolic link points to (so
/// the link itself survives), else the path as given.
fn final_target(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            AtomicFile::Stdout(w) => w.write(buf),
            AtomicFile::File { temp, .. } => temp.write(buf),
            AtomicFile::InPlace { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            AtomicFile::Stdout(w) => w.flush(),
            AtomicFile::File { temp, .. } => temp.flush(),
            AtomicFile::InPlace { file, .. } => file.flush(),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return; // not a Unix-like machine
        }
        let mut out = AtomicFile::create(Some(null)).unwrap();
        assert!(matches!(out, AtomicFile::InPlace { .. }));
        out.write_all(b"row,score\n").unwrap();
        assert_eq!(out.commit().unwrap(), Committed::Written);
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(null)
            .unwrap()
            .file_type()
            .is_char_device());
    }

    #[test]
    fn a_symlink_survives_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut out = AtomicFile::create(Some(&link)).unwrap();
        out.write_all(b"new").unwrap();
        assert_eq!(out.commit().unwrap(), Committed::Written);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_missing_folder_is_named() {
        let err = AtomicFile::create(Some(Path::new("/no/such/folder/out.csv")))
            .err()
            .unwrap();
        assert!(
            err.contains("there is no folder `/no/such/folder`"),
            "{err}"
        );
    }

    #[test]
    fn a_directory_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = AtomicFile::create(Some(dir.path())).err().unwrap();
        assert!(err.contains("is a directory"), "{err}");
    }

    #[test]
    fn an_abandoned_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let mut out = AtomicFile::create(Some(&path)).unwrap();
        out.write_all(b"partial").unwrap();
        out.abandon();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
