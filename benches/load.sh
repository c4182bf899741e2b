#!/usr/bin/env bash
# The load test with live updates (issue 8): concurrent clients send searches, exports and
# writes (POST and DELETE /api/replies) to `dafu serve` for a while; it reports the errors,
# p99 latency overall and per kind, requests per kind and the server's memory.
#
#   benches/load.sh --docs 100000 --clients 8 --duration 60      # the figures in BENCHMARKS.md
#   benches/load.sh --docs 2000 --duration 3 --debug --fresh --work target/load/ci   # CI
#
# Builds dafu (release; with --debug it builds nothing and uses target/debug/dafu, which the
# test build leaves), installs wrk from Debian's packages when it is missing, then runs
# benches/e2e/load.py. That reuses the corpus and index of its work folder (default
# target/e2e/DOCS, where `benches/e2e.sh --keep` leaves them) or samples and indexes anew; it
# ends with one `LOAD key=value …` line and exits non-zero when a request failed. Other options
# (--work, --fresh, --clients, --duration, --seed, --timeout) are passed to load.py; see its
# --help.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
args=()
for a in "$@"; do
  if [[ $a == --debug ]]; then profile=debug; else args+=("$a"); fi
done

source benches/debian.sh
command -v wrk >/dev/null || install_debian_packages benches/load.sh wrk

if [[ $profile == release ]]; then
  cargo build --release --locked -p dafu
elif [[ ! -x target/debug/dafu ]]; then
  echo "benches/load.sh: target/debug/dafu is missing; build it first (cargo build -p dafu)" >&2
  exit 1
fi
exec python3 benches/e2e/load.py --bin-dir "target/$profile" "${args[@]}"
