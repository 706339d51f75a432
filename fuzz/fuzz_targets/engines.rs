//! A random definition and inquiries, two engines: see `qualify_fuzz::engines`.
#![no_main]

libfuzzer_sys::fuzz_target!(|case: qualify_fuzz::generate::Case| {
    qualify_fuzz::engines::check(&case)
});
