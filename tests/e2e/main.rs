//! End-to-end tests of dafu: the real HTTP router over real indexes built in temporary folders,
//! and the real `dafu` binary. One test binary, a module per feature.

mod support;

mod api_errors;
mod cli;
mod commitments;
mod golden;
mod sample_corpus;
mod seeds;
mod stats;
