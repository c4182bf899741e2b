//! The fuzz targets' checks (`fuzz/checks/`, the same files `scripts/fuzz.sh` fuzzes with
//! libFuzzer) over every seed input of `fuzz/seeds/<target>/` and over variants of each seed:
//! cut short at several places and with single bytes flipped. A broken promise panics, and the
//! test names the input. Real fuzzing (minutes per target, with coverage feedback and
//! AddressSanitizer) is `scripts/fuzz.sh`; this keeps the checks and the seeds honest in every
//! `cargo test`.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/checks/decode.rs"]
mod decode;
#[path = "../../fuzz/checks/extractor.rs"]
mod extractor;
#[path = "../../fuzz/checks/published.rs"]
mod published;
#[path = "../../fuzz/checks/query_parser.rs"]
mod query_parser;

/// Variants of each seed: the seed itself, this many cuts and this many one-byte flips.
const CUTS: usize = 6;
const FLIPS: usize = 6;

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a seed folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

/// The seed, cut at evenly spread places, and with bytes flipped at places picked by a fixed
/// generator (the same variants every run).
fn variants(seed: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![seed.to_vec()];
    if seed.is_empty() {
        return out;
    }
    for i in 1..=CUTS {
        out.push(seed[..seed.len() * i / (CUTS + 1)].to_vec());
    }
    let mut state = seed.len() as u64 ^ 0x9E37_79B9_7F4A_7C15;
    for _ in 0..FLIPS {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = (state >> 33) as usize % seed.len();
        let mut flipped = seed.to_vec();
        flipped[at] ^= 1 << ((state >> 29) & 7);
        out.push(flipped);
    }
    out
}

fn replay(target: &str, check: fn(&[u8])) {
    let mut inputs = 0;
    for path in seeds(target) {
        let seed = std::fs::read(&path).expect("a readable seed");
        for (i, input) in variants(&seed).into_iter().enumerate() {
            let outcome = std::panic::catch_unwind(|| check(&input));
            assert!(
                outcome.is_ok(),
                "{target}: a check failed on variant {i} of {}",
                path.display()
            );
            inputs += 1;
        }
    }
    assert!(inputs > 0);
}

#[test]
fn the_decode_checks_hold_on_the_seeds() {
    replay("decode", decode::check);
}

#[test]
fn the_extractor_checks_hold_on_the_seeds() {
    replay("extractor", extractor::check);
}

#[test]
fn the_published_file_checks_hold_on_the_seeds() {
    replay("published", published::check);
}

#[test]
fn the_query_parser_checks_hold_on_the_seeds() {
    replay("query_parser", query_parser::check);
}
