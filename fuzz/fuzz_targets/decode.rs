//! Fuzz target `decode`: the checks of `fuzz/checks/decode.rs` (also replayed over the seeds by
//! `cargo test`, tests/e2e/fuzz_seeds.rs) on every input libFuzzer makes.

#![no_main]

#[path = "../checks/decode.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check(data));
