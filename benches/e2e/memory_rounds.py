#!/usr/bin/env python3
"""Is the server's memory growth under load a leak? (issue 8; BENCHMARKS.md)

Runs the load of ``benches/load.sh`` (``load.lua``, the same request mix) several times in a
row against one ``dafu serve``, and after the warm-up and after each round prints the index's
segments, the server's RSS, anonymous and file-backed memory, and glibc's own totals from
``malloc_stats()`` (called in the server through gdb): the bytes its arenas hold and the bytes
in use. Anonymous memory that keeps rising while the bytes in use stay flat is memory the
allocator keeps after it was freed, not a leak.

    python3 benches/e2e/memory_rounds.py --work target/e2e/100000 --rounds 10 --duration 60

It needs the work folder of a load run (its corpus and index; the index is written to, and the
replies the rounds create are deleted after each), target/release/dafu, wrk and gdb (Debian's
``gdb``; without it the glibc columns are empty). It asserts nothing.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import load
from run import start_server

HERE = Path(__file__).resolve().parent


def malloc_totals(pid, log_path):
    """(MB held by glibc's arenas, MB in use) from malloc_stats(), which the server prints to
    its standard error (the log file); (None, None) without gdb."""
    if not shutil.which("gdb"):
        return None, None
    before = log_path.stat().st_size
    subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "call (void)malloc_stats()"],
                   capture_output=True, check=False)
    time.sleep(0.5)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        f.seek(before)
        text = f.read()
    m = re.search(r"Total \(incl\. mmap\):\s*system bytes\s*=\s*(\d+)\s*in use bytes\s*=\s*(\d+)",
                  text)
    return (int(m.group(1)) / 2**20, int(m.group(2)) / 2**20) if m else (None, None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", required=True, help="the work folder of a benches/load.sh run")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--duration", type=int, default=60, help="seconds of each round")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--bin-dir", default="target/release")
    args = ap.parse_args()

    work = Path(args.work).resolve()
    loaddir = work / "memory-rounds"
    shutil.rmtree(loaddir, ignore_errors=True)
    loaddir.mkdir()
    token = secrets.token_hex(24)
    env = dict(os.environ, NO_COLOR="1", DAFU_ADMIN_TOKEN=token, DAFU_LOG="warn",
               DAFU_LOG_FORMAT="json")
    log_path = loaddir / "server.log"
    with open(log_path, "w") as log_file:
        server, base, _ = start_server(Path(args.bin_dir) / "dafu", work / "index", env,
                                       stderr=log_file)
    try:
        load.write_inputs(base, work / "corpus", loaddir, 2020)

        def report(label, extra=""):
            m = load.memory(server.pid)
            segments = load.health(base)["segments"]
            held, in_use = malloc_totals(server.pid, log_path)
            glibc = (f"glibc held {held:6.1f} in use {in_use:6.1f}" if held is not None
                     else "glibc -")
            print(f"{label:>9}: segments {segments:>3}  RSS {m['rss_mb']:6.1f}  anon "
                  f"{m['anon_mb']:6.1f}  file {m['file_mb']:6.1f}  {glibc}  {extra}", flush=True)

        report("start")
        prefix = f"rounds-{int(time.time())}"
        for i in range(args.rounds):
            cmd = ["wrk", f"-t{args.clients}", f"-c{args.clients}", f"-d{args.duration}s",
                   "--timeout", "10s", "-s", str(HERE / "load.lua"), base, "--", str(loaddir),
                   f"{prefix}-{i}"]
            subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
            latencies, _, errors, leftovers = load.read_out(loaddir / "out.tsv")
            load.clean_up(base, token, leftovers)
            answered = sum(len(v) for v in latencies.values())
            report(f"round {i + 1}", f"({answered} requests, {len(errors)} errors)")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=120)


if __name__ == "__main__":
    sys.exit(main())
