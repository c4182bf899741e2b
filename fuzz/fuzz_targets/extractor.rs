//! Fuzz target `extractor`: the checks of `fuzz/checks/extractor.rs` (also replayed over the seeds by
//! `cargo test`, tests/e2e/fuzz_seeds.rs) on every input libFuzzer makes.

#![no_main]

#[path = "../checks/extractor.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check(data));
