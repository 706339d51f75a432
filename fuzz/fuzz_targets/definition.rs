//! Any bytes as a definition: see `qualify_fuzz::definition`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| qualify_fuzz::definition::check(bytes));
