//! The rejects file: rejected rows in, one CSV line per row out, saying
//! where and why; and where that file goes.
//!
//! Columns: `line` (of the input), `row` (data row number), `column`, `value`,
//! `reason`, `raw` (the whole row as read).

use super::file::is_written_in_place;
use super::same_file::follow_links;
use crate::input::Reject;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

pub const REJECTS_HEADER: [&str; 6] = ["line", "row", "column", "value", "reason", "raw"];

/// Append `reject` as one CSV record to `out`.
pub fn write_reject<W: Write>(out: &mut csv::Writer<W>, reject: &Reject) -> csv::Result<()> {
    out.write_record([
        reject.line.to_string().as_str(),
        reject.row.to_string().as_str(),
        &reject.column,
        &reject.value,
        &reject.reason,
        &reject.raw,
    ])
}

/// A CSV writer for a rejects file, its header written.
pub fn rejects_writer<W: Write>(out: W) -> csv::Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(REJECTS_HEADER)?;
    Ok(w)
}

/// Where rejects go when `--rejects` does not say: beside a results file
/// (`OUTPUT.rejects.csv`), else (`output` is `None` for stdout, or a device,
/// a pipe, stdout or stderr by name, which have no "beside")
/// `qualify-rejects.csv` in the working folder.
pub fn default_rejects_path(output: Option<&Path>) -> PathBuf {
    match output {
        Some(out) if !is_written_in_place(out) => {
            let mut name = out.as_os_str().to_owned();
            name.push(".rejects.csv");
            PathBuf::from(name)
        }
        _ => PathBuf::from("qualify-rejects.csv"),
    }
}

/// Where a run stopped by `--max-rejects` puts its rejects, so that the
/// results and rejects files of the last finished run stay a pair:
/// `NAME.stopped.EXT` beside the file `rejects` names (its links followed,
/// so the file can be renamed there from beside it), e.g.
/// `out.csv.rejects.csv` → `out.csv.rejects.stopped.csv`.
pub fn stopped_rejects_path(rejects: &Path) -> PathBuf {
    let target = follow_links(rejects).unwrap_or_else(|_| rejects.to_path_buf());
    let Some(stem) = target.file_stem() else {
        let mut name = target.into_os_string();
        name.push(".stopped");
        return PathBuf::from(name);
    };
    let mut name = stem.to_owned();
    name.push(".stopped");
    if let Some(ext) = target.extension() {
        name.push(".");
        name.push(ext);
    }
    target.with_file_name(name)
}

/// Delete the rejects a stopped run left at `path`, once a later run has
/// finished: they no longer say anything about the files beside them. Only
/// a regular file that starts with the rejects header is deleted, so a
/// file of the user's that happens to have the name is left alone. True
/// when one was deleted.
pub fn remove_stopped_rejects(path: &Path) -> std::io::Result<bool> {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(false);
    }
    let mut first = String::new();
    std::io::BufReader::new(std::fs::File::open(path)?).read_line(&mut first)?;
    if first.trim_end() != REJECTS_HEADER.join(",") {
        return Ok(false);
    }
    std::fs::remove_file(path)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_go_beside_the_output() {
        assert_eq!(
            default_rejects_path(Some(Path::new("out/s.csv"))),
            PathBuf::from("out/s.csv.rejects.csv")
        );
        assert_eq!(
            default_rejects_path(None),
            PathBuf::from("qualify-rejects.csv")
        );
        assert_eq!(
            default_rejects_path(Some(Path::new("/dev/null"))),
            PathBuf::from("qualify-rejects.csv")
        );
    }

    #[test]
    fn a_stopped_run_names_its_rejects_apart() {
        assert_eq!(
            stopped_rejects_path(Path::new("no/such/out.csv.rejects.csv")),
            PathBuf::from("no/such/out.csv.rejects.stopped.csv")
        );
        assert_eq!(
            stopped_rejects_path(Path::new("no/such/rejects")),
            PathBuf::from("no/such/rejects.stopped")
        );
    }

    #[test]
    fn only_a_rejects_file_is_removed_as_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("r.stopped.csv");
        std::fs::write(&ours, "line,row,column,value,reason,raw\n3,2,n,x,bad,x\n").unwrap();
        assert!(remove_stopped_rejects(&ours).unwrap());
        assert!(!ours.exists());
        let theirs = dir.path().join("notes.stopped.csv");
        std::fs::write(&theirs, "my own notes\n").unwrap();
        assert!(!remove_stopped_rejects(&theirs).unwrap());
        assert!(theirs.exists());
        assert!(!remove_stopped_rejects(&dir.path().join("none.csv")).unwrap());
    }
}
