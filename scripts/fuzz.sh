#!/usr/bin/env bash
# Builds the cargo-fuzz targets in fuzz/ (query_parser, extractor, decode, published) and runs each for a
# short time from the seed inputs in fuzz/seeds/<target>/, failing when a target crashes.
#
#   scripts/fuzz.sh [--seconds N] [--dev] [TARGET...]  (default: 20 s each, every target)
#
# --dev builds without optimisation (cargo fuzz --dev): the build takes a fraction of the time
# and the fuzzers run slower. The checks each target runs live in fuzz/checks/ and `cargo test`
# replays them over the seeds (tests/e2e/fuzz_seeds.rs), so CI needs no fuzz build.
#
# Each run starts from a fresh corpus folder under fuzz/target/fuzz-corpus/ (libFuzzer writes
# the inputs it finds into the first folder it is given; fuzz/seeds/ is only read). A crashing
# input is saved under fuzz/artifacts/<target>/ and its path printed; reproduce it from the
# checkout's root with `cargo +nightly fuzz run -O <target> <file>` (without a nightly:
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -O <target> <file>`).
#
# Toolchain: cargo-fuzz compiles with unstable rustc flags (-Zsanitizer=address and the
# sanitizer-coverage options), which only a nightly rustc accepts. When rustup has a nightly
# toolchain we use it (`cargo +nightly`). Otherwise we use the stable toolchain with
# RUSTC_BOOTSTRAP=1, which lets a stable rustc accept unstable flags: stable ships the same
# compiler and the sanitizer runtimes, so this builds the same fuzzers without downloading a
# nightly (CI machines may have stable only; both ways were tried). The fuzz crate has its own
# workspace and Cargo.lock (fuzz/Cargo.lock, kept at the versions of the main Cargo.lock), and
# the build is checked against it with --locked.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

seconds=20
mode=(-O)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:-}"; shift 2 || { echo "--seconds needs a number" >&2; exit 2; } ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --dev) mode=(--dev); shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "--seconds takes a whole number of seconds, not '$seconds'" >&2
  exit 2
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "fuzzing needs a Rust toolchain (cargo); install it with rustup first." >&2
  exit 1
fi

# libfuzzer-sys compiles libFuzzer (C++) from source.
if ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1 && ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzzing needs a C++ compiler for libFuzzer (apt-get install g++)." >&2
  exit 1
fi

toolchain=()
if command -v rustup >/dev/null 2>&1 && rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
  echo "fuzz: using the nightly toolchain"
else
  export RUSTC_BOOTSTRAP=1
  echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
fi

if ! cargo "${toolchain[@]}" fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked
fi

if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo "${toolchain[@]}" fuzz list --fuzz-dir "$root/fuzz")
fi

# Resolve against fuzz/Cargo.lock as committed: fail rather than silently update it.
cargo "${toolchain[@]}" fetch --locked --manifest-path "$root/fuzz/Cargo.toml" >/dev/null

start=$(date +%s)
cargo "${toolchain[@]}" fuzz build "${mode[@]}" --fuzz-dir "$root/fuzz"
built=$(date +%s)
echo "fuzz: built ${#targets[@]} target(s) in $((built - start)) s"

failed=()
work="$root/fuzz/target/fuzz-corpus"
mkdir -p "$work"
for target in "${targets[@]}"; do
  seeds="$root/fuzz/seeds/$target"
  if [ ! -d "$seeds" ]; then
    echo "fuzz: no seed folder $seeds" >&2
    failed+=("$target")
    continue
  fi
  corpus=$(mktemp -d "$work/$target.XXXXXX")
  log="$work/$target.log"
  artifacts="$root/fuzz/artifacts/$target"
  mkdir -p "$artifacts"
  stamp="$work/$target.started"
  touch "$stamp"
  echo "fuzz: running $target for $seconds s (log: ${log#"$root/"})"
  # -timeout: an input that takes longer than this is reported like a crash (a hang).
  if cargo "${toolchain[@]}" fuzz run "${mode[@]}" --fuzz-dir "$root/fuzz" "$target" "$corpus" "$seeds" -- \
      -max_total_time="$seconds" -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    echo "fuzz: $target passed (${runs:-?} inputs run)"
  else
    failed+=("$target")
    echo "fuzz: $target FAILED (whole log: ${log#"$root/"}):" >&2
    # The panic or sanitizer report, then libFuzzer's summary and where it saved the input.
    grep -E -A2 "panicked at|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)" "$log" | head -n 30 >&2 || true
    grep -E "^SUMMARY:|Test unit written|cargo fuzz (run|tmin)" "$log" >&2 || tail -n 30 "$log" >&2
    found=$(find "$artifacts" -type f -newer "$stamp" 2>/dev/null || true)
    if [ -n "$found" ]; then
      echo "fuzz: crashing input(s):" >&2
      echo "$found" | sed 's/^/  /' >&2
    fi
  fi
  rm -rf "$corpus"
done

echo "fuzz: ran ${#targets[@]} target(s) in $(($(date +%s) - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
