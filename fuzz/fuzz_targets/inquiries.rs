//! Any bytes as an inquiry file: see `qualify_fuzz::inquiries`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| qualify_fuzz::inquiries::check(bytes));
