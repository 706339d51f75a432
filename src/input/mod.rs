//! Reading inquiry files, the first stage of the files pipeline
//! (input → [`crate::driver`] → [`crate::output`]): a CSV or JSONL file (or
//! stdin) in, raw rows out, each decoded into typed field values or a
//! [`Reject`] saying where and why.
//!
//! Every command that reads an inquiry list goes through this module, so they all
//! accept the same options ([`InputOptions`]), find columns the same way
//! ([`ColumnMap`]) and reject the same rows for the same reasons ([`Reject`]).
//! It knows nothing of commands, evaluation or where results go.
//!
//! Typical use:
//!
//! ```no_run
//! # fn demo(model: &qualify::model::Model, opts: &qualify::input::InputOptions) -> Result<(), qualify::input::InputError> {
//! use qualify::input::{InquiryReader, RowResult};
//! let mut reader = InquiryReader::open("inquiries.csv", opts, model, &[])?;
//! for row in reader.rows() {
//!     match row? {
//!         RowResult::Row(inquiry) => { /* inquiry.values: one Value per field */ }
//!         RowResult::Reject(reject) => { /* reject.line, reject.reason, ... */ }
//!     }
//! }
//! # Ok(()) }
//! ```

mod bytes;
pub(crate) mod cells;
mod columns;
mod decoder;
mod error;
pub(crate) mod json;
mod jsonl;
mod options;
mod ranges;
mod reader;
pub mod records;

pub use cells::{parse_cell, parse_yes_no};
pub use columns::{fold_header, keep_argument, parse_column_list, ColumnList, ColumnMap};
pub use decoder::{Decoder, Reject};
pub use error::{io_reason, AbsentColumn, InputError};
pub use options::{parse_date_arg, parse_delimiter, InputFormat, InputOptions};
pub use ranges::CsvRanges;
pub use reader::{Inquiry, InquiryReader, RawRow, RowProblem, RowResult, Rows};
pub use records::Cells;
