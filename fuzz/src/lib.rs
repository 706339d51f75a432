//! The properties the fuzz targets check, one module per target, so each
//! target in `fuzz_targets/` is one line and a crash's stack names the
//! property that failed.
//!
//! In: the bytes libFuzzer hands a target. Out: nothing, or a panic naming
//! the property that does not hold and the input's parts that broke it.

pub mod definition;
pub mod engines;
pub mod generate;
pub mod inquiries;
pub mod known;
mod oracle_csv;
mod oracle_jsonl;
