#!/usr/bin/env bash
# Instructions a dafu server spends on one pass over the search list of the end-to-end
# benchmark (benches/e2e/run.py's QUERIES as the page asks: every facet, highlights, the region
# tree folded), counted by valgrind's
# callgrind: the same binary, index and requests give the same count within about 1%, whatever
# else the machine is doing, so two builds can be compared when wall-clock A/Bs are lost in
# the noise of a shared machine.
#
#   benches/instructions.sh --index DIR [--paths FILE] [--each] BINARY [BINARY...]
#
# Each binary serves the index under callgrind with instrumentation off; one warm-up pass
# over the list runs uninstrumented, then instrumentation is switched on for one pass
# (callgrind_control -i on/off), and the total is printed. Installs valgrind (Debian's
# package) when it is missing; a request that fails stops the script.
# The per-function profile stays in target/instructions/BINARY-NAME.out for callgrind_annotate.
# --paths FILE: another list of request paths, one per line (e.g. the mix benches/e2e.sh
# writes, WORK/paths-mix-c4.txt). --each: also each path's own count, after a warm request of
# it, a line "instructions=N path=P" per path (the profiles of those are not kept).
set -euo pipefail
cd "$(dirname "$0")/.."

index=""
list=""
each=""
binaries=()
while (($#)); do
  case $1 in
    --index) index=$2; shift 2 ;;
    --paths) list=$2; shift 2 ;;
    --each) each=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) binaries+=("$1"); shift ;;
  esac
done
[[ -n $index && ${#binaries[@]} -gt 0 ]] || { echo "usage: $0 --index DIR BINARY [BINARY...]" >&2; exit 2; }
source benches/debian.sh
command -v valgrind >/dev/null || install_debian_packages benches/instructions.sh valgrind

out=target/instructions
mkdir -p "$out"
paths=$out/paths.txt
if [[ -n $list ]]; then
  grep -v '^[[:space:]]*$' "$list" > "$paths"
else
  ( cd benches/e2e && python3 -c '
import run
for w in run.QUERIES:
    print(run.encoded(run.page_search(w)))
' ) > "$paths"
fi
port=$((20000 + RANDOM % 20000))

server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; true' EXIT

pass() {
  while read -r p; do curl -sf -o /dev/null "http://127.0.0.1:$port$p"; done < "$paths"
}

for bin in "${binaries[@]}"; do
  name=$(basename "$bin")
  profile=$out/$name.out
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$profile" \
    "$bin" serve --index "$index" --addr "127.0.0.1:$port" > "$out/$name.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/api/search?q=x" && break
    sleep 0.5
  done
  pass
  callgrind_control -i on "$server" > /dev/null
  pass
  callgrind_control -i off "$server" > /dev/null
  if [[ -n $each ]]; then
    # A dump writes what was counted since the last one and starts again from zero: the
    # pass's dump is kept as the profile; then, per path, one dump to clear, one request
    # counted, one dump read.
    callgrind_control -d "$server" > /dev/null
    pass_dump=$(ls -t "$profile".* | head -1)
    mv "$pass_dump" "$out/$name.pass"
    while read -r p; do
      curl -sf -o /dev/null "http://127.0.0.1:$port$p"
      callgrind_control -d "$server" > /dev/null
      callgrind_control -i on "$server" > /dev/null
      curl -sf -o /dev/null "http://127.0.0.1:$port$p"
      callgrind_control -i off "$server" > /dev/null
      callgrind_control -d "$server" > /dev/null
      dump=$(ls -t "$profile".* | head -1)
      echo "$name instructions=$(awk '/^totals:/ { print $2; exit }' "$dump") path=$p"
    done < "$paths"
    rm -f "$profile".*
  fi
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
  [[ -n $each ]] && mv "$out/$name.pass" "$profile"
  total=$(callgrind_annotate "$profile" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }')
  echo "$bin instructions=$total requests=$(wc -l < "$paths")"
done
