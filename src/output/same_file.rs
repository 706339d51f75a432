//! Whether two names are one file: paths and standard streams in, each
//! file's identity out, and the first output that is an input (or another
//! output) named in words, so that no command writes over what it reads.
//!
//! An existing file is known by its device and inode once symbolic links are
//! followed, so a link, a hard link or `./x` for `x` are all caught. A path
//! that does not exist yet has no inode: it is known by where it would be
//! created (its links followed, its folder made absolute), so two outputs
//! that would become one file are caught too. Only regular files can be
//! overwritten: an input that is a terminal, a pipe or a device conflicts
//! with nothing, and two outputs may share only the null device, where
//! writes vanish (results and rejects sent to one terminal or pipe would
//! interleave).

use std::path::{Path, PathBuf};

/// Symbolic links followed before giving up, as the kernel's own limit.
const MAX_LINKS: usize = 40;

/// The identity of a file, or of the file a path would create.
#[derive(Debug, Clone)]
pub struct FileId {
    key: Key,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// Device and inode of an existing file.
    Inode(u64, u64),
    /// Where a file that does not exist yet would be created (and, without
    /// inodes, where an existing one is).
    Location(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Regular,
    /// `/dev/null`: what is written there is gone, so it may be named twice.
    Null,
    /// A terminal, pipe, socket, other device or directory.
    Other,
    /// Not there yet.
    Missing,
}

impl FileId {
    /// The file `path` names (links followed), or the one it would create.
    pub fn of_path(path: &Path) -> FileId {
        match std::fs::metadata(path) {
            #[cfg(unix)]
            Ok(meta) => FileId::of_metadata(&meta),
            #[cfg(not(unix))]
            Ok(meta) => FileId {
                key: Key::Location(path.canonicalize().unwrap_or_else(|_| path.into())),
                kind: if meta.is_file() {
                    Kind::Regular
                } else {
                    Kind::Other
                },
            },
            Err(_) => FileId {
                key: Key::Location(future_location(path)),
                kind: Kind::Missing,
            },
        }
    }

    /// The file behind standard input, when it can be told.
    pub fn of_stdin() -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            stream_id(std::io::stdin().as_fd())
        }
        #[cfg(not(unix))]
        None
    }

    /// The file behind standard output, when it can be told.
    pub fn of_stdout() -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            stream_id(std::io::stdout().as_fd())
        }
        #[cfg(not(unix))]
        None
    }

    /// The file behind standard error, when it can be told.
    pub fn of_stderr() -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            stream_id(std::io::stderr().as_fd())
        }
        #[cfg(not(unix))]
        None
    }

    /// One file under both names.
    pub fn same_file(&self, other: &FileId) -> bool {
        self.key == other.key
    }

    /// A regular file: what writing over it would destroy.
    pub fn is_regular(&self) -> bool {
        self.kind == Kind::Regular
    }

    #[cfg(unix)]
    fn of_metadata(meta: &std::fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        let kind = if meta.is_file() {
            Kind::Regular
        } else if is_null(meta) {
            Kind::Null
        } else {
            Kind::Other
        };
        FileId {
            key: Key::Inode(meta.dev(), meta.ino()),
            kind,
        }
    }
}

#[cfg(unix)]
fn stream_id(fd: std::os::fd::BorrowedFd<'_>) -> Option<FileId> {
    // A duplicate of the descriptor, read and closed: the stream stays open.
    let file = std::fs::File::from(fd.try_clone_to_owned().ok()?);
    Some(FileId::of_metadata(&file.metadata().ok()?))
}

/// `/dev/null`, whatever name it was reached by.
#[cfg(unix)]
fn is_null(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/dev/null")
        .is_ok_and(|null| null.dev() == meta.dev() && null.ino() == meta.ino())
}

/// The path a write to `path` lands on: the file a symbolic link points to
/// (so the link itself survives a rename), else the path as given. Links are
/// read one by one rather than canonicalized, because a link whose file does
/// not exist yet must still be followed: `canonicalize` fails on it.
pub fn follow_links(path: &Path) -> Result<PathBuf, String> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current).map_err(|e| {
                    format!(
                        "cannot write `{}`: {}",
                        path.display(),
                        crate::output::file::reason(&e)
                    )
                })?;
                // A relative link is relative to its own folder (an absolute
                // one replaces the whole path in `join`).
                current = match current.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(format!(
        "cannot write `{}`: too many levels of symbolic links",
        path.display()
    ))
}

/// Where a file not there yet would be created: links followed, the folder
/// made absolute (as given when it cannot be: writing there fails anyway).
fn future_location(path: &Path) -> PathBuf {
    let target = follow_links(path).unwrap_or_else(|_| path.to_path_buf());
    let (Some(name), parent) = (target.file_name(), target.parent()) else {
        return target;
    };
    let dir = match parent {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match dir.canonicalize() {
        Ok(dir) => dir.join(name),
        Err(_) => target,
    }
}

/// One file a command reads or writes, with the words that name it.
#[derive(Debug, Clone)]
pub struct Role {
    /// What it is, e.g. "the input file", "the results file".
    what: String,
    /// The name the user gave (none for a standard stream).
    path: Option<String>,
    /// For an output: what to do instead, e.g. "give `-o` another path".
    fix: String,
    id: FileId,
}

/// The files a command reads and the files it writes, checked against each
/// other before anything is written.
#[derive(Debug, Default)]
pub struct Files {
    read: Vec<Role>,
    written: Vec<Role>,
}

impl Files {
    pub fn new() -> Files {
        Files::default()
    }

    /// A file read: `path`, or standard input for `-`.
    pub fn read(&mut self, what: &str, path: &str) {
        let (id, shown) = if path == "-" {
            match FileId::of_stdin() {
                Some(id) => (id, None),
                None => return,
            }
        } else {
            (FileId::of_path(Path::new(path)), Some(path.to_string()))
        };
        self.read.push(Role {
            what: what.into(),
            path: shown,
            fix: String::new(),
            id,
        });
    }

    /// A file read if it exists (a definition's examples file, say).
    pub fn read_if_present(&mut self, what: &str, path: &str) {
        if Path::new(path).exists() {
            self.read(what, path);
        }
    }

    /// A file written at `path`; `fix` says how to choose another.
    pub fn written(&mut self, what: &str, path: &Path, fix: &str) {
        self.written.push(Role {
            what: what.into(),
            path: Some(path.display().to_string()),
            fix: fix.into(),
            id: FileId::of_path(path),
        });
    }

    /// Standard output, written with `what` (the results, a report).
    pub fn written_to_stdout(&mut self, what: &str, fix: &str) {
        if let Some(id) = FileId::of_stdout() {
            self.written.push(Role {
                what: format!("stdout (where {what} go)"),
                path: None,
                fix: fix.into(),
                id,
            });
        }
    }

    /// The first output that is an input, or an earlier output, in words:
    /// "the results file `a.csv` is the input file: give `-o` another path".
    pub fn check(&self) -> Result<(), String> {
        for (i, out) in self.written.iter().enumerate() {
            for input in &self.read {
                if input.id.is_regular() && out.id.same_file(&input.id) {
                    return Err(clash(out, input));
                }
            }
            for earlier in &self.written[..i] {
                if out.id.kind != Kind::Null && out.id.same_file(&earlier.id) {
                    return Err(clash(out, earlier));
                }
            }
        }
        Ok(())
    }
}

/// "the rejects file `x` is the results file `y`: give `--rejects` another
/// path"; the other file's name only when it differs.
fn clash(out: &Role, other: &Role) -> String {
    let subject = match &out.path {
        Some(p) => format!("{} `{p}`", out.what),
        None => out.what.clone(),
    };
    let object = match &other.path {
        Some(p) if Some(p) != out.path.as_ref() => format!("{} `{p}`", other.what),
        _ => other.what.clone(),
    };
    format!("{subject} is {object}: {}", out.fix)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_and_other_names_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("in.csv");
        std::fs::write(&real, "a\n").unwrap();
        let soft = dir.path().join("soft.csv");
        std::os::unix::fs::symlink(&real, &soft).unwrap();
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&real, &hard).unwrap();
        let dotted = dir.path().join(".").join("in.csv");
        let id = FileId::of_path(&real);
        for other in [&soft, &hard, &dotted] {
            assert!(id.same_file(&FileId::of_path(other)), "{}", other.display());
        }
        let copy = dir.path().join("copy.csv");
        std::fs::copy(&real, &copy).unwrap();
        assert!(!id.same_file(&FileId::of_path(&copy)));
    }

    #[test]
    fn two_names_for_a_file_not_there_yet_are_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let future = dir.path().join("out.csv");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("out.csv", &link).unwrap();
        assert!(FileId::of_path(&future).same_file(&FileId::of_path(&link)));
        let other = dir.path().join("other.csv");
        assert!(!FileId::of_path(&future).same_file(&FileId::of_path(&other)));
    }

    #[test]
    fn an_output_that_is_an_input_is_named_with_its_fix() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "a\n").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        let mut files = Files::new();
        files.read("the input file", input.to_str().unwrap());
        files.written("the results file", &link, "give `-o` another path");
        assert_eq!(
            files.check().unwrap_err(),
            format!(
                "the results file `{}` is the input file `{}`: give `-o` another path",
                link.display(),
                input.display()
            )
        );
    }

    #[test]
    fn only_the_null_device_may_take_two_outputs() {
        let mut files = Files::new();
        files.written("the results file", Path::new("/dev/null"), "");
        files.written("the rejects file", Path::new("/dev/null"), "");
        assert_eq!(files.check(), Ok(()));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        files.written("the report", &out, "give `--html` another path");
        files.written("the rejects file", &out, "give `--rejects` another path");
        let err = files.check().unwrap_err();
        assert!(
            err.starts_with("the rejects file `") && err.contains("is the report"),
            "{err}"
        );
    }
}
