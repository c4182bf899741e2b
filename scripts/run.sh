#!/usr/bin/env bash
# Build dafu, generate the synthetic sample corpus and index it (each only if missing), then
# serve the search page and the JSON API. Usage: scripts/run.sh [ADDR]  (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."
addr="${1:-${DAFU_ADDR:-127.0.0.1:8080}}"
data="${DAFU_DATA:-data}"

if ! command -v cargo >/dev/null 2>&1; then
  echo "dafu needs a Rust toolchain (cargo); install it with rustup first." >&2
  exit 1
fi
cargo build --release --locked -p dafu
dafu=target/release/dafu

if [ ! -d "$data/sample" ]; then
  "$dafu" sample --out "$data/sample.tmp"
  mv "$data/sample.tmp" "$data/sample"
fi
# An index built by another version of dafu (another schema) is rebuilt from the corpus.
if [ -f "$data/index/meta.json" ] && ! "$dafu" search --index "$data/index" --limit 1 "" >/dev/null 2>&1; then
  echo "$data/index was built by another version of dafu; rebuilding it" >&2
  rm -rf "$data/index"
fi
if [ ! -f "$data/index/meta.json" ]; then
  "$dafu" index --input "$data/sample" --index "$data/index"
fi
exec "$dafu" serve --index "$data/index" --addr "$addr"
