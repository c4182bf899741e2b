#!/usr/bin/env bash
# The project's test command: formatting, lints and every test of the workspace (unit,
# doc and end-to-end tests; the end-to-end tests also read ../shared/corpus when present),
# then the browser tests in tests/browser/ (scripts/setup-browser.sh installs what they need).
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
