//! Writing what a run produces, the last stage of the files pipeline
//! ([`crate::input`] → [`crate::driver`] → output): scored rows in, CSV or
//! JSONL results out ([`results`]); rejected rows in, the rejects file out
//! ([`rejects`]); and the files themselves ([`file`]): written under a
//! temporary name and renamed into place on success, abandoned on failure
//! or on a `--max-rejects` stop ([`run_files`] holds that policy for every
//! command). [`same_file`] refuses an output that is an input.
//!
//! It knows nothing of commands: a tool that needs an extra column (the
//! `why` of `score --explain`) hands in a formatter.

pub mod file;
pub mod rejects;
pub mod results;
pub mod run_files;
pub mod same_file;
