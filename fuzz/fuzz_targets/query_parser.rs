//! Fuzz target `query_parser`: the checks of `fuzz/checks/query_parser.rs` (also replayed over the seeds by
//! `cargo test`, tests/e2e/fuzz_seeds.rs) on every input libFuzzer makes.

#![no_main]

#[path = "../checks/query_parser.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check(data));
