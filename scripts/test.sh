#!/usr/bin/env bash
# The project's test command: formatting, lints and every test of the workspace (unit,
# doc and end-to-end tests; the end-to-end tests also read ../shared/corpus when present),
# then the browser tests in tests/browser/ (scripts/setup-browser.sh installs what they need),
# and the end-to-end benchmark, the load test with live updates and the instruction count at a
# tiny size (benches/e2e.sh, benches/load.sh, benches/instructions.sh; they assert no timing,
# only that every step still runs and answers). The fuzz targets' checks run over their seeds
# inside `cargo test` (tests/e2e/fuzz_seeds.rs); fuzzing itself is `scripts/fuzz.sh`, run by
# hand for minutes per target.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "dafu needs a Rust toolchain (cargo); install it with rustup first." >&2
  exit 1
fi
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt clippy
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked

# The browser tests: headless Chromium against `dafu serve` (the debug binary).
bash scripts/setup-browser.sh
# The debug binary, built with the features the workspace's tests unify (so this reuses what
# `cargo test` built instead of building dafu's dependencies a second time).
cargo build --workspace --all-targets --locked
node --test tests/browser/*.test.mjs

# The end-to-end benchmark of BENCHMARKS.md at 2,000 replies with the debug build, so that the
# script cannot rot; its figures are not checked (timings never go in tests).
benches/e2e.sh --docs 2000 --debug --duration 2 --work target/e2e/ci

# The load test with live updates (issue 8) for a few seconds over 2,000 replies: any non-2xx
# answer or a changed reply count fails it; its figures are not checked.
benches/load.sh --docs 2000 --duration 3 --debug --fresh --work target/load/ci

# The instruction count of BENCHMARKS.md's A/Bs, on the index the load test left, so that it
# cannot rot either.
benches/instructions.sh --index target/load/ci/index target/debug/dafu
