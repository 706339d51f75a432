//! Inquiry input and result output: files in, typed rows (or rejects) out, and
//! scored rows written back as CSV or JSONL.
//!
//! Every command that reads an inquiry list goes through this module, so they all
//! accept the same options ([`InputOptions`]), find columns the same way
//! ([`ColumnMap`]) and reject the same rows for the same reasons ([`Reject`]).
//!
//! Typical use:
//!
//! ```no_run
//! # fn demo(model: &qualify::model::Model, opts: &qualify::io::InputOptions) -> Result<(), qualify::io::InputError> {
//! use qualify::io::{InquiryReader, RowResult};
//! let mut reader = InquiryReader::open("inquiries.csv", opts, model, &[])?;
//! for row in reader.rows() {
//!     match row? {
//!         RowResult::Row(inquiry) => { /* inquiry.values: one Value per field */ }
//!         RowResult::Reject(reject) => { /* reject.line, reject.reason, ... */ }
//!     }
//! }
//! # Ok(()) }
//! ```

pub(crate) mod cells;
mod columns;
mod decoder;
mod input;
mod input_error;
pub(crate) mod json;
mod jsonl;
mod options;
pub mod output_file;
mod reader;
pub mod records;
pub mod rejects;
pub mod results;
pub mod same_file;

pub use cells::{parse_cell, parse_yes_no};
pub use columns::{fold_header, keep_argument, parse_column_list, ColumnList, ColumnMap};
pub use decoder::{Decoder, Reject};
pub use input_error::{AbsentColumn, InputError};
pub use options::{parse_date_arg, InputFormat, InputOptions};
pub use reader::{Inquiry, InquiryReader, RawRow, RowProblem, RowResult, Rows};
pub use records::Cells;
