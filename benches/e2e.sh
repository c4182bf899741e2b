#!/usr/bin/env bash
# The end-to-end benchmark of dafu (issue 7): one command, one corpus, one run.
#
#   benches/e2e.sh --docs 100000            # the figures in BENCHMARKS.md
#   benches/e2e.sh --docs 2000 --debug --duration 2   # what CI runs, so the script cannot rot
#
# Builds dafu and the jieba baseline (release, or the debug build with --debug), installs wrk
# and GNU time from Debian's packages when they are missing, then runs benches/e2e/run.py,
# which measures sample → baseline → index → serve start-up → HTTP load and ends with one
# `E2E key=value …` line. Other options (--work, --duration, --seed, --skip-load, --keep) are
# passed to run.py; see its --help.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
args=()
for a in "$@"; do
  if [[ $a == --debug ]]; then profile=debug; else args+=("$a"); fi
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/bin/time ]] || missing+=(time)
source benches/debian.sh
install_debian_packages benches/e2e.sh "${missing[@]}"

if [[ $profile == release ]]; then
  cargo build --release --locked -p dafu -p dafu-benches --bins
else
  # The workspace's own feature set: after `cargo test --workspace` this builds nothing new.
  cargo build --workspace --all-targets --locked
fi
exec python3 benches/e2e/run.py --bin-dir "target/$profile" "${args[@]}"
