//! Where results and rejects go: a path (or stdout) in, a writer out that
//! never leaves a partial file under the final name.
//!
//! A regular file (or a path that does not exist yet) is written under a
//! temporary name beside it and renamed into place by [`AtomicFile::commit`].
//! The new file gets the permissions a plain create would give (0666 less the
//! umask), or, when it replaces a file, that file's permissions and (where
//! allowed) owner. Anything else that already exists at the path —
//! `/dev/null`, a named pipe, a terminal — is written in place: renaming over
//! it would replace the device or pipe with a plain file, which for
//! `/dev/null` breaks every other program on the machine. So is a path that
//! is this process's own stdout or stderr redirected to a file
//! (`/dev/stderr` with `2>> log`): it is written through that stream, after
//! what is already there, rather than replacing the file. A symbolic link is
//! followed, so the link stays and the file it points to is replaced (or
//! created, for a link whose file does not exist yet).
//!
//! Every write error names the path the user gave, never the hidden
//! temporary name. SIGINT, SIGTERM and SIGHUP remove the temporary files not
//! yet renamed into place before the process exits (status 128 + signal).

use super::same_file::{follow_links, FileId};
use crate::input::io_reason;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use tempfile::TempPath;

const BUFFER: usize = 1 << 16;

/// A file written under a temporary name beside its final path and renamed
/// into place by [`AtomicFile::commit`]; stdout when there is no path; a
/// device or pipe written directly.
pub enum AtomicFile {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        file: BufWriter<File>,
        temp: LiveTemp,
        /// The path as the user gave it: what messages name.
        path: PathBuf,
        /// What the rename replaces: `path`, or the file its link points to.
        target: PathBuf,
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
            |e: &std::io::Error| format!("cannot write `{}`: {}", path.display(), reason(e));
        if path.is_dir() {
            return Err(format!(
                "cannot write `{}`: it is a directory",
                path.display()
            ));
        }
        if let Some(stream) = standard_stream(path) {
            return Ok(AtomicFile::InPlace {
                file: BufWriter::with_capacity(BUFFER, stream),
                path: path.to_path_buf(),
            });
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
        let target = follow_links(path)?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            let links = if target != path {
                format!(" (it links to `{}`)", target.display())
            } else {
                String::new()
            };
            return Err(format!(
                "cannot write `{}`{links}: there is no folder `{}`",
                path.display(),
                dir.display()
            ));
        }
        let existing = std::fs::metadata(&target).ok().filter(|m| m.is_file());
        let mut builder = tempfile::Builder::new();
        builder.prefix(".qualify-").suffix(".tmp");
        #[cfg(unix)]
        if existing.is_none() {
            // tempfile's default is 0600; a plain create asks for 0666 and
            // the kernel takes the umask off, which is what users expect.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        // Created and registered under the registry's lock, so a signal
        // cannot arrive between the two and miss the file.
        let (file, temp) = {
            let mut live = live_temps();
            let temp = builder.tempfile_in(dir).map_err(|e| cannot(&e))?;
            live.push(temp.path().to_path_buf());
            let (file, temp_path) = temp.into_parts();
            (file, LiveTemp(Some(temp_path)))
        };
        install_signal_cleanup();
        if let Some(meta) = existing {
            keep_owner_and_mode(&file, &meta).map_err(|e| cannot(&e))?;
        }
        Ok(AtomicFile::File {
            file: BufWriter::with_capacity(BUFFER, file),
            temp,
            path: path.to_path_buf(),
            target,
        })
    }

    /// Flush and move the file to its final name. A pipe whose reader has
    /// gone (`qualify score … | head`) is no error: it had what it wanted.
    pub fn commit(self) -> Result<Committed, String> {
        let flushed = |result: std::io::Result<()>| match result {
            Ok(()) => Ok(Committed::Written),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Committed::ReaderGone),
            Err(e) => Err(e.to_string()),
        };
        match self {
            AtomicFile::Stdout(mut w) => flushed(w.flush().map_err(|e| with_path(None, e))),
            AtomicFile::File {
                file,
                mut temp,
                path,
                target,
            } => {
                let why = |e: &std::io::Error| {
                    format!("cannot write `{}`: {}", path.display(), reason(e))
                };
                file.into_inner().map_err(|e| why(e.error()))?;
                temp.persist(&target).map_err(|e| why(&e))?;
                Ok(Committed::Written)
            }
            AtomicFile::InPlace { mut file, path } => {
                flushed(file.flush().map_err(|e| with_path(Some(&path), e)))
            }
        }
    }

    /// Flush and move the file to `other` instead of its own name: a path in
    /// the same folder as the file the original name points to, so the
    /// rename stays on one file system. Stdout, a device or a pipe is
    /// committed as it is (it has no name to choose).
    pub fn commit_as(self, other: &Path) -> Result<Committed, String> {
        match self {
            AtomicFile::File { file, mut temp, .. } => {
                let why = |e: &std::io::Error| {
                    format!("cannot write `{}`: {}", other.display(), reason(e))
                };
                file.into_inner().map_err(|e| why(e.error()))?;
                temp.persist(other).map_err(|e| why(&e))?;
                Ok(Committed::Written)
            }
            in_place => in_place.commit(),
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
            AtomicFile::File { file, temp, .. } => {
                // Unregistered and deleted first; the buffered bytes are
                // discarded, not flushed into a file about to go.
                drop(temp);
                drop(file.into_parts());
            }
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

/// Where writing to `path` means writing to a path that is in place: a
/// device, a pipe, or this process's stdout or stderr (whatever file they
/// were redirected to). Such a path has no "beside" for a rejects file.
pub fn is_written_in_place(path: &Path) -> bool {
    is_device_or_pipe(path) || standard_stream_id(path)
}

/// Whether `path` is the regular file this process's stdout or stderr was
/// redirected to (`/dev/stdout` with `> file`).
fn standard_stream_id(path: &Path) -> bool {
    let id = FileId::of_path(path);
    id.is_regular()
        && [FileId::of_stdout(), FileId::of_stderr()]
            .iter()
            .flatten()
            .any(|stream| stream.same_file(&id))
}

/// The stream to write through when `path` is this process's stdout or
/// stderr redirected to a regular file: a duplicate of its descriptor, so
/// writes go after what the stream holds already (`>>` is appended to, and
/// nothing replaces the file the shell opened).
fn standard_stream(path: &Path) -> Option<File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let id = FileId::of_path(path);
        if !id.is_regular() {
            return None;
        }
        if FileId::of_stdout().is_some_and(|s| s.same_file(&id)) {
            return Some(File::from(
                std::io::stdout().as_fd().try_clone_to_owned().ok()?,
            ));
        }
        if FileId::of_stderr().is_some_and(|s| s.same_file(&id)) {
            return Some(File::from(
                std::io::stderr().as_fd().try_clone_to_owned().ok()?,
            ));
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Give the temporary file the owner and mode of the file it will replace,
/// so replacing a results file does not change who may read it. The owner
/// is best effort: only root (or a group member, for the group) may change
/// it, and a file we cannot give away is still ours to write.
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    if let Ok(new) = file.metadata() {
        if new.uid() != old.uid() || new.gid() != old.gid() {
            // Before the mode: chown clears set-id bits.
            let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
        }
    }
    file.set_permissions(old.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, old: &std::fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(old.permissions())
}

/// A temporary file's path, listed in the process-wide registry that the
/// signal handler empties; deleted and unlisted on drop unless persisted.
pub struct LiveTemp(Option<TempPath>);

impl LiveTemp {
    /// Rename into place and unlist, under the registry's lock so a signal
    /// arriving meanwhile sees either the temporary file or none.
    fn persist(&mut self, target: &Path) -> std::io::Result<()> {
        let mut live = live_temps();
        let Some(temp) = self.0.take() else {
            return Ok(());
        };
        let name = temp.to_path_buf();
        match temp.persist(target) {
            Ok(()) => {
                live.retain(|p| *p != name);
                Ok(())
            }
            Err(e) => {
                // Still ours to delete (on drop).
                self.0 = Some(e.path);
                Err(e.error)
            }
        }
    }
}

impl Drop for LiveTemp {
    fn drop(&mut self) {
        if let Some(temp) = self.0.take() {
            let mut live = live_temps();
            live.retain(|p| **p != *temp);
            // Deleted under the lock, so the handler never finds it half gone.
            drop(temp);
        }
    }
}

/// Temporary files this process made and has not renamed or deleted yet.
static LIVE_TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live_temps() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list as valid as before.
    LIVE_TEMPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On SIGINT, SIGTERM or SIGHUP, delete the live temporary files and exit
/// with 128 + the signal (130 for Ctrl-C), as the shell reports a process
/// the signal killed. Installed with the first temporary file: a run that
/// writes only to stdout keeps the default handling.
fn install_signal_cleanup() {
    #[cfg(unix)]
    {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            // Best effort: without the handler a signal still ends the run
            // and the final name is still never half written.
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("signal-cleanup".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        // The lock is held to the end: no commit renames a
                        // file while it is being deleted.
                        let live = live_temps();
                        for path in live.iter() {
                            let _ = std::fs::remove_file(path);
                        }
                        std::process::exit(128 + signal);
                    }
                });
        });
    }
}

/// The reason in lower case, to follow "cannot write `PATH`: ".
pub(crate) fn reason(e: &std::io::Error) -> String {
    let mut text = io_reason(e);
    let mut chars = text.chars();
    if let (Some(first), Some(second)) = (chars.next(), chars.next()) {
        if first.is_ascii_uppercase() && !second.is_ascii_uppercase() {
            text[..1].make_ascii_lowercase();
        }
    }
    text
}

/// A write error that names where the bytes were going (`path`, or stdout),
/// so that whoever turns it into text needs no path of its own. The kind is
/// kept (a closed pipe must stay recognisable) except the kinds
/// [`io_reason`] replaces by fixed words, which would lose the path.
fn with_path(path: Option<&Path>, e: std::io::Error) -> std::io::Error {
    use std::io::ErrorKind;
    let kind = match e.kind() {
        ErrorKind::NotFound | ErrorKind::PermissionDenied | ErrorKind::IsADirectory => {
            ErrorKind::Other
        }
        kind => kind,
    };
    let message = match path {
        Some(path) => format!("cannot write `{}`: {}", path.display(), reason(&e)),
        None => format!("cannot write to stdout: {}", reason(&e)),
    };
    std::io::Error::new(kind, message)
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            AtomicFile::Stdout(w) => w.write(buf).map_err(|e| with_path(None, e)),
            AtomicFile::File { file, path, .. } => {
                file.write(buf).map_err(|e| with_path(Some(path), e))
            }
            AtomicFile::InPlace { file, path } => {
                file.write(buf).map_err(|e| with_path(Some(path), e))
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            AtomicFile::Stdout(w) => w.flush().map_err(|e| with_path(None, e)),
            AtomicFile::File { file, path, .. } => {
                file.flush().map_err(|e| with_path(Some(path), e))
            }
            AtomicFile::InPlace { file, path } => {
                file.flush().map_err(|e| with_path(Some(path), e))
            }
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

    /// Write errors name the user's path, never the hidden temporary name.
    #[test]
    fn a_write_error_names_the_path_not_the_temporary_file() {
        if !Path::new("/dev/full").exists() {
            return; // not Linux
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let full = || {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            BufWriter::with_capacity(BUFFER, f)
        };
        let expected = format!("cannot write `{}`: no space left on device", path.display());
        // A write large enough to go past the buffer fails in `write`...
        let mut out = AtomicFile::create(Some(&path)).unwrap();
        if let AtomicFile::File { file, .. } = &mut out {
            *file = full();
        }
        let err = out.write_all(&vec![b'x'; 2 * BUFFER]).unwrap_err();
        assert_eq!(err.to_string(), expected);
        out.abandon();
        // ...a small one when the buffer is flushed by `commit`.
        let mut out = AtomicFile::create(Some(&path)).unwrap();
        if let AtomicFile::File { file, .. } = &mut out {
            *file = full();
        }
        out.write_all(b"row,score\n").unwrap();
        assert_eq!(out.commit().unwrap_err(), expected);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_temporary_file_is_listed_until_committed_or_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let listed = |p: &Path| live_temps().iter().any(|l| l.starts_with(p));
        let out = AtomicFile::create(Some(&dir.path().join("a.csv"))).unwrap();
        assert!(listed(dir.path()));
        out.commit().unwrap();
        assert!(!listed(dir.path()));
        let out = AtomicFile::create(Some(&dir.path().join("b.csv"))).unwrap();
        assert!(listed(dir.path()));
        drop(out);
        assert!(!listed(dir.path()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
