//! What a run leaves on disk, decided once for every command: its results
//! file (if it writes one) and its rejects file in, each committed (renamed
//! into place) or abandoned by how the run ended, and where the rejects went
//! out.
//!
//! The rules:
//! - A failed run (a read error, a write error) commits nothing: its
//!   temporary files are dropped, so nothing looks like its outcome.
//! - The results go first: if they cannot be written, neither are the
//!   rejects.
//! - The rejects file is created at the first rejected row. It is written
//!   even with no rejects when `--rejects` names it, or when one is already
//!   there: an earlier run's rejects must not sit beside this run's results
//!   as if they were its own.
//! - A `--max-rejects` stop replaces no file of a results/rejects pair: the
//!   results are abandoned and the rejects go apart, to
//!   `REJECTS.stopped.csv` ([`super::rejects::stopped_rejects_path`]).
//!   Without a results file that the run replaces (results on stdout, a
//!   report), the rejects go to the rejects file as usual.
//! - The next finished run deletes a stopped run's rejects.
//! - When the reader of stdout goes away (`| head`), the rejects found so
//!   far are still kept.

use super::file::{AtomicFile, Committed};
use super::rejects::{rejects_writer, remove_stopped_rejects, stopped_rejects_path, write_reject};
use crate::input::Reject;
use std::path::{Path, PathBuf};

/// Where a run's rejects go.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectsPlan {
    /// The rejects file; `None`: the run writes none (a backtest without
    /// `--rejects`, which lists the first few in its report).
    pub path: Option<PathBuf>,
    /// `--rejects` named the file: it is written even with no rejects.
    pub named: bool,
    /// Where the rejects go if `--max-rejects` stops the run, when that is
    /// apart from `path` ([`RejectsPlan::apart_for`]).
    pub apart: Option<PathBuf>,
}

impl RejectsPlan {
    /// The plan for a run whose results go to `results` (`None`: stdout or a
    /// report, not a file the run replaces) and whose rejects go to `path`.
    pub fn new(results: Option<&Path>, path: Option<PathBuf>, named: bool) -> Self {
        let apart = path.as_deref().and_then(|p| Self::apart_for(results, p));
        RejectsPlan { path, named, apart }
    }

    /// Where the rejects go if `--max-rejects` stops the run: apart from the
    /// rejects file, when the results go to a file that the run replaces
    /// (and the rejects too). Results on stdout or a device are written as
    /// they come, so a stop leaves nothing to keep apart from.
    pub fn apart_for(results: Option<&Path>, rejects: &Path) -> Option<PathBuf> {
        let replaced = |p: &Path| !super::file::is_written_in_place(p);
        (results.is_some_and(replaced) && replaced(rejects)).then(|| stopped_rejects_path(rejects))
    }
}

/// A run's rejects file, created at the first rejected row.
pub struct RejectsFile {
    plan: RejectsPlan,
    writer: Option<csv::Writer<AtomicFile>>,
    /// Why the file could not be created, in words naming it.
    error: Option<String>,
}

impl RejectsFile {
    pub fn new(plan: RejectsPlan) -> Self {
        RejectsFile {
            plan,
            writer: None,
            error: None,
        }
    }

    pub fn plan(&self) -> &RejectsPlan {
        &self.plan
    }

    /// Write one rejected row (the file is created at the first).
    pub fn write(&mut self, reject: &Reject) -> std::io::Result<()> {
        let Some(path) = &self.plan.path else {
            return Ok(());
        };
        if self.writer.is_none() {
            let file = AtomicFile::create(Some(path)).map_err(|m| {
                self.error = Some(m.clone());
                std::io::Error::other(m)
            })?;
            self.writer = Some(rejects_writer(file).map_err(std::io::Error::other)?);
        }
        match self.writer.as_mut() {
            Some(w) => write_reject(w, reject).map_err(std::io::Error::other),
            None => Ok(()),
        }
    }

    /// Why the file could not be created, if that is what failed: a better
    /// message than the writer's.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

/// How a run ended, as far as its files are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// Every row was read.
    Finished,
    /// `--max-rejects` stopped it.
    Stopped,
    /// The reader of the results went away (`| head`).
    ReaderGone,
}

/// What [`finish`] left.
#[derive(Debug, Clone, PartialEq)]
pub struct Left {
    /// Where the rejects are, if a rejects file was written.
    pub rejects: Option<PathBuf>,
    /// The reader of the results went away (before or while committing).
    pub reader_gone: bool,
}

/// Commit or abandon the results (`None` when the run writes a report of
/// its own instead) and the rejects of a run that ended as `end`.
pub fn finish(
    results: Option<AtomicFile>,
    rejects: RejectsFile,
    end: RunEnd,
) -> Result<Left, String> {
    let RejectsFile { plan, writer, .. } = rejects;
    let mut writer = writer;
    let stopped = end == RunEnd::Stopped;
    let reader_gone = match (end, results) {
        (RunEnd::ReaderGone, _) => true,
        (RunEnd::Stopped, Some(out)) => {
            out.abandon();
            false
        }
        (_, Some(out)) => out.commit()? == Committed::ReaderGone,
        (_, None) => false,
    };
    let close = |w: csv::Writer<AtomicFile>| w.into_inner().map_err(|e| e.error().to_string());
    // A stopped run replaces neither file of the pair: its rejects go apart.
    if let (true, Some(apart)) = (stopped, &plan.apart) {
        let written = match writer {
            Some(w) => {
                close(w)?.commit_as(apart)?;
                Some(apart.clone())
            }
            None => None,
        };
        return Ok(Left {
            rejects: written,
            reader_gone,
        });
    }
    let Some(path) = plan.path else {
        return Ok(Left {
            rejects: None,
            reader_gone,
        });
    };
    if writer.is_none() && (plan.named || path.is_file()) && !reader_gone {
        let file = AtomicFile::create(Some(&path))?;
        writer = Some(rejects_writer(file).map_err(|e| e.to_string())?);
    }
    let written = match writer {
        Some(w) => {
            close(w)?.commit()?;
            Some(path)
        }
        None => None,
    };
    // Nor may a stopped run's rejects outlive the next finished run.
    if let (false, Some(apart)) = (stopped || reader_gone, &plan.apart) {
        remove_stopped_rejects(apart).map_err(|e| {
            format!(
                "cannot remove `{}`, the rejects of an earlier stopped run: {}",
                apart.display(),
                crate::input::io_reason(&e)
            )
        })?;
    }
    Ok(Left {
        rejects: written,
        reader_gone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn reject(row: u64) -> Reject {
        Reject {
            row,
            line: row + 1,
            column: "n".into(),
            value: "x".into(),
            reason: "not a number".into(),
            raw: "x".into(),
        }
    }

    #[test]
    fn rejects_go_apart_only_beside_a_results_file_the_run_replaces() {
        let r = Path::new("no/such/r.csv");
        assert_eq!(RejectsPlan::apart_for(None, r), None);
        assert_eq!(
            RejectsPlan::apart_for(Some(Path::new("/dev/null")), r),
            None
        );
        assert_eq!(
            RejectsPlan::apart_for(Some(Path::new("no/such/out.csv")), r),
            Some(PathBuf::from("no/such/r.stopped.csv"))
        );
    }

    /// A stop replaces neither file of the pair: the results stay as they
    /// were and the rejects go apart.
    #[test]
    fn a_stop_abandons_the_results_and_puts_the_rejects_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (out, rej) = (dir.path().join("out.csv"), dir.path().join("r.csv"));
        std::fs::write(&out, "earlier results\n").unwrap();
        std::fs::write(&rej, "earlier rejects\n").unwrap();
        let mut results = AtomicFile::create(Some(&out)).unwrap();
        results.write_all(b"new results\n").unwrap();
        let mut rejects = RejectsFile::new(RejectsPlan::new(Some(&out), Some(rej.clone()), true));
        rejects.write(&reject(2)).unwrap();
        let left = finish(Some(results), rejects, RunEnd::Stopped).unwrap();
        let apart = dir.path().join("r.stopped.csv");
        assert_eq!(left.rejects.as_deref(), Some(apart.as_path()));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier results\n");
        assert_eq!(std::fs::read_to_string(&rej).unwrap(), "earlier rejects\n");
        assert!(std::fs::read_to_string(&apart)
            .unwrap()
            .ends_with("3,2,n,x,not a number,x\n"));
        // The next finished run replaces the pair and deletes them.
        let rejects = RejectsFile::new(RejectsPlan::new(Some(&out), Some(rej.clone()), false));
        let results = AtomicFile::create(Some(&out)).unwrap();
        let left = finish(Some(results), rejects, RunEnd::Finished).unwrap();
        assert_eq!(left.rejects.as_deref(), Some(rej.as_path()));
        assert_eq!(
            std::fs::read_to_string(&rej).unwrap(),
            "line,row,column,value,reason,raw\n"
        );
        assert!(!apart.exists());
    }

    /// A named rejects file is written even when nothing was rejected; with
    /// no path (a backtest without `--rejects`) nothing is written at all.
    #[test]
    fn a_named_rejects_file_is_written_and_no_path_writes_none() {
        let dir = tempfile::tempdir().unwrap();
        let rej = dir.path().join("r.csv");
        let rejects = RejectsFile::new(RejectsPlan::new(None, Some(rej.clone()), true));
        let left = finish(None, rejects, RunEnd::Stopped).unwrap();
        assert_eq!(left.rejects.as_deref(), Some(rej.as_path()));
        assert_eq!(
            std::fs::read_to_string(&rej).unwrap(),
            "line,row,column,value,reason,raw\n"
        );
        let mut rejects = RejectsFile::new(RejectsPlan::new(None, None, true));
        rejects.write(&reject(1)).unwrap();
        let left = finish(None, rejects, RunEnd::Finished).unwrap();
        assert_eq!(left.rejects, None);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
