//! End-to-end tests of dafu: the real HTTP router over real indexes built in temporary folders,
//! and the real `dafu` binary. One test binary, a module per feature.

mod support;

mod api_errors;
mod cli;
mod commitments;
mod crash;
mod export;
mod filters;
mod formats;
mod fuzz_seeds;
mod golden;
mod hostile_input;
mod live_updates;
mod openapi;
mod page_api;
mod query_language;
mod relevance;
mod response_shape;
mod sample_corpus;
mod seeds;
mod segments;
mod stats;
mod synonyms;
