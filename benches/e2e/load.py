#!/usr/bin/env python3
"""The load test with live updates (issue 8), driven by ``benches/load.sh``.

``--clients`` concurrent clients (wrk, one thread and one keep-alive connection each,
``benches/e2e/load.lua``) send a mix of searches, exports and live updates for ``--duration``
seconds to ``dafu serve`` over an index of ``--docs`` synthetic replies, the server started with
an admin token. Per cycle of 100 requests a client sends 89 searches (the e2e benchmark's mix:
plain and filtered searches, facets off and on, quoted phrases, commitment searches), 3 exports
of about 1,000 replies (CSV and NDJSON) and 8 writes: 3 ``POST /api/replies`` of a new reply,
2 of a replacement of a reply the index holds, and 3 ``DELETE /api/replies/{id}`` of a reply
this client created.

The corpus and the index are reused when the work folder holds them (``benches/e2e.sh --keep``
leaves them in ``target/e2e/N``, this script's default), otherwise sampled and indexed. The
writes leave the index as they found it: replacements send the reply's own record again, and
the replies created and not deleted in the run are deleted after it (the run checks the count).

It reports the errors (answers other than 2xx, write answers that do not name their reply,
requests without an answer, wrk's socket errors and timeouts), p50/p90/p99 latency overall and
per kind (search, export, write), requests per kind, and the server's RSS, anonymous and
file-backed memory when idle, at the start of the load, at its peak (sampled every second) and
at its end. It prints a table, writes ``load-results.json`` into the work folder and ends with
one ``LOAD key=value ...`` line. It exits non-zero when there were errors, never because of a
timing or a memory figure.
"""

import argparse
import json
import math
import os
import random
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import run as e2e
from run import MemorySampler, encoded, get, log, parse_wrk, request_lists, start_server

e2e.LOG_TAG = "load"
HERE = Path(__file__).resolve().parent

# A cycle of 100 requests of one client, shuffled (seeded) into plan.txt: ~8% writes.
PLAN = {"search": 89, "export": 3, "new": 3, "replace": 2, "delete": 3}
# How the kinds of the plan are reported.
GROUP = {"search": "search", "export": "export", "new": "write", "replace": "write",
         "delete": "write"}
# Reply records prepared for the writes (each client cycles through them from its own place).
RECORDS = 256


def percentile(sorted_values, p):
    """Nearest-rank percentile of a sorted list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def call(base, method, path, body=None, token=None, timeout=60):
    """(status, body) of one request; an HTTP error status is returned, not raised."""
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/x-ndjson"
        body = body.encode()
    req = urllib.request.Request(base + encoded(path), data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def health(base):
    status, body = get(base, "/api/health")
    if status != 200:
        raise RuntimeError(f"/api/health answered {status}")
    return json.loads(body)


class HealthPoller:
    """Reads /api/health every `interval` seconds in a thread: the index's segments,
    documents and bytes on disk while the writes go on (not counted in the load's figures)."""

    def __init__(self, base, interval=5.0):
        self.base, self.interval = base, interval
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        t0 = time.monotonic()
        while not self._stop.wait(self.interval):
            try:
                h = health(self.base)
            except (OSError, RuntimeError, ValueError):
                continue
            self.samples.append({"t": round(time.monotonic() - t0, 1), "replies": h["replies"],
                                 "documents": h["documents"], "segments": h["segments"],
                                 "index_mb": round(h["index_bytes"] / 1e6, 1)})

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def memory(pid):
    """RSS, anonymous and file-backed resident memory of `pid` (MB), and how much of the
    file-backed part maps index files (`index_files_mb`) or files already deleted (segments
    merged away but still mapped: `deleted_files_mb`), from /proc/PID/status and smaps."""
    m = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                m[{"VmRSS": "rss_mb", "RssAnon": "anon_mb", "RssFile": "file_mb"}[key]] = (
                    int(value.split()[0]) / 1024)
    index_kb = deleted_kb = 0
    path = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if not parts[0].endswith(":"):  # a mapping's header: address perms offset dev inode [path]
                path = " ".join(parts[5:]) if len(parts) > 5 else None
            elif parts[0] == "Rss:" and path and path.startswith("/"):
                kb = int(parts[1])
                if path.endswith("(deleted)"):
                    deleted_kb += kb
                elif "/index/" in path:
                    index_kb += kb
    m["index_files_mb"] = index_kb / 1024
    m["deleted_files_mb"] = deleted_kb / 1024
    return m


def cpu_ticks(pid):
    """utime + stime of `pid`, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def machine_ticks():
    """(busy, total) clock ticks of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, already counted in user
    return total - idle, total


def corpus_files(corpus):
    return sorted(corpus.rglob("*.jsonl"))


def count_lines(files):
    n = 0
    for path in files:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 24), b""):
                n += chunk.count(b"\n")
    return n


def prepare_index(args, dafu, work, env, r):
    """The corpus and index of the work folder, made when missing."""
    corpus, index = work / "corpus", work / "index"
    files = corpus_files(corpus) if corpus.is_dir() else []
    if files:
        n = count_lines(files)
        if n != args.docs:
            sys.exit(f"{corpus} holds {n} replies, not --docs {args.docs}: pass another --work "
                     "(or delete it)")
        log(f"reusing the corpus in {corpus} ({n} replies)")
        r["corpus"] = "reused"
    else:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(index, ignore_errors=True)
        t = time.monotonic()
        e2e.run([dafu, "sample", "--count", str(args.docs), "--seed", str(args.seed),
                 "--out", corpus], stdout=subprocess.DEVNULL, env=env)
        r["corpus"] = "sampled"
        r["sample_secs"] = time.monotonic() - t
    meta = index / "meta.json"
    if meta.exists() and json.loads(meta.read_text()).get("segments"):
        log(f"reusing the index in {index}")
        r["index"] = "reused"
    else:
        shutil.rmtree(index, ignore_errors=True)
        summary = work / "load-index-summary.json"
        t = time.monotonic()
        e2e.run([dafu, "index", "-q", "--input", corpus, "--index", index,
                 "--summary", summary], stdout=subprocess.DEVNULL, env=env)
        r["index"] = "built"
        r["index_secs"] = time.monotonic() - t
        s = json.loads(summary.read_text())
        if s["indexed"] != args.docs or s["skipped"]:
            raise RuntimeError(f"indexed {s['indexed']} of {args.docs}: {s['skipped'][:3]}")
    return corpus, index


def write_inputs(base, corpus, loaddir, seed):
    """The files load.lua reads (see its header); returns (searches, exports, export filter,
    export rows, new records, replacement records)."""
    _, mix, flt, export_rows = request_lists(base)
    searches = [p for p in mix if not p.startswith("/api/export")]
    csv = "/api/export?" + flt if flt else "/api/export"
    exports = [csv, csv + ("&" if flt else "?") + "format=ndjson"]
    new, replace = [], []
    with open(corpus_files(corpus)[0], encoding="utf-8") as f:
        for i, line in enumerate(f):
            if len(new) == RECORDS and len(replace) == RECORDS:
                break
            line = line.rstrip("\n")
            record = json.loads(line)
            if i % 2 == 0 and len(new) < RECORDS:
                record["id"] = "__ID__"
                # A new reply, not a copy of the one the corpus holds: its text differs.
                record["text"] += "\n（办理编号：__ID__）"
                new.append(json.dumps(record, ensure_ascii=False))
            elif i % 2 == 1 and len(replace) < RECORDS:
                replace.append(f"{record['id']}\t{line}")
    plan = [kind for kind, n in PLAN.items() for _ in range(n)]
    random.Random(seed).shuffle(plan)
    (loaddir / "plan.txt").write_text("\n".join(plan) + "\n")
    (loaddir / "search.txt").write_text("\n".join(encoded(p) for p in searches) + "\n")
    (loaddir / "export.txt").write_text("\n".join(encoded(p) for p in exports) + "\n")
    (loaddir / "new.jsonl").write_text("\n".join(new) + "\n", encoding="utf-8")
    (loaddir / "replace.tsv").write_text("\n".join(replace) + "\n", encoding="utf-8")
    return searches, exports, flt, export_rows, new, replace


def warm_up(base, token, prefix, exports, new_record):
    """One of each export and one write of each kind, before the load's start is measured, so
    that it includes the writer the first write opens."""
    for path in exports:
        status, _ = get(base, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    reply = f"{prefix}-warmup"
    for method, path, body in (("POST", "/api/replies", new_record.replace("__ID__", reply, 1)),
                               ("DELETE", f"/api/replies/{reply}", None)):
        status, answer = call(base, method, path, body, token)
        if status != 200:
            raise RuntimeError(f"{method} {path} answered {status}: {answer[:300]!r}")


def run_wrk(wrk, base, args, loaddir, prefix, env, pid, poller):
    cmd = [wrk, f"-t{args.clients}", f"-c{args.clients}", f"-d{args.duration}s",
           "--timeout", f"{args.timeout}s", "--latency", "-s", str(HERE / "load.lua"), base,
           "--", str(loaddir), prefix]
    log("$ " + " ".join(str(c) for c in cmd))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server0, (busy0, total0) = cpu_ticks(pid), machine_ticks()
    with MemorySampler(pid, 1.0) as mem, poller:
        t = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server1, (busy1, total1) = cpu_ticks(pid), machine_ticks()
    (loaddir / "wrk.txt").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0 or proc.stderr.strip():
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {
        "wall_secs": wall,
        "client_cpu_secs": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "server_cpu_secs": (server1 - server0) / tick,
        # All cores' busy time (of every process on the machine), and what it could have been.
        "machine_busy_secs": (busy1 - busy0) / tick,
        "machine_cpu_secs": (total1 - total0) / tick,
    }
    cpu["other_cpu_secs"] = max(
        0.0, cpu["machine_busy_secs"] - cpu["server_cpu_secs"] - cpu["client_cpu_secs"])
    return parse_wrk(proc.stdout), mem.samples, cpu


def read_out(path):
    """What load.lua's done() wrote: per-kind latencies (ms) and statuses, errors, leftovers."""
    latencies, statuses, errors, leftovers = {}, {}, [], []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if parts[0] == "R":
            _, _, kind, status, micros = parts
            latencies.setdefault(kind, []).append(int(micros) / 1000)
            statuses.setdefault(kind, {}).setdefault(status, 0)
            statuses[kind][status] += 1
        elif parts[0] == "E":
            _, thread, rid, kind, status, what = (parts + [""] * 6)[:6]
            errors.append({"thread": int(thread), "request_id": rid, "kind": kind,
                           "status": int(status), "what": what})
        elif parts[0] == "L":
            leftovers.append(parts[2])
    return latencies, statuses, errors, list(dict.fromkeys(leftovers))


def clean_up(base, token, leftovers):
    """Deletes the replies the load left; returns those that could not be deleted."""
    time.sleep(1)  # a write still on the wire when wrk stopped is committed meanwhile
    remaining = []
    for reply in leftovers:
        for _ in range(3):
            status, _ = call(base, "DELETE", f"/api/replies/{reply}", token=token)
            if status in (200, 404):
                status, _ = get_status(base, f"/api/replies/{reply}")
                if status == 404:
                    break
            time.sleep(1)
        else:
            remaining.append(reply)
    return remaining


def get_status(base, path):
    return call(base, "GET", path)


def log_lines(path, request_ids):
    """The server's log lines at WARN or ERROR, and every line naming one of `request_ids`."""
    warnings, named = [], {rid: [] for rid in request_ids}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            warnings.append(line)
            continue
        if entry.get("level") in ("WARN", "ERROR"):
            warnings.append(line)
        for rid in named:
            if rid in line:
                named[rid].append(line)
    return warnings, named


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=int, default=60, help="seconds of load")
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--work", help="work folder (default: target/e2e/DOCS, where benches/e2e.sh "
                    "--keep leaves its corpus and index)")
    ap.add_argument("--fresh", action="store_true",
                    help="delete the work folder's corpus and index first (sample and index anew)")
    ap.add_argument("--seed", type=int, default=2020, help="seed of the corpus and of the plan")
    ap.add_argument("--timeout", type=int, default=10,
                    help="seconds after which wrk counts a request as timed out (an error)")
    args = ap.parse_args()

    dafu = Path(args.bin_dir) / "dafu"
    if not dafu.exists():
        sys.exit(f"{dafu} is missing (benches/load.sh builds it)")
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is not installed (benches/load.sh installs it)")
    work = Path(args.work or f"target/e2e/{args.docs}").resolve()
    if args.fresh:
        for sub in ("corpus", "index"):
            shutil.rmtree(work / sub, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    loaddir = work / "load"
    shutil.rmtree(loaddir, ignore_errors=True)
    loaddir.mkdir()
    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
    r = {"docs": args.docs, "clients": args.clients, "duration_secs": args.duration,
         "cores": os.cpu_count()}

    corpus, index = prepare_index(args, dafu, work, env, r)

    token = secrets.token_hex(24)
    prefix = f"load-{int(time.time())}"
    serve_env = dict(env, DAFU_ADMIN_TOKEN=token, DAFU_LOG="info,tantivy=warn",
                     DAFU_LOG_FORMAT="json")
    server_log = loaddir / "server.log"
    with open(server_log, "w") as log_file:
        server, base, startup = start_server(dafu, index, serve_env, stderr=log_file)
    stopped = None
    try:
        r["startup_ms"] = startup * 1000
        idle = memory(server.pid)
        h0 = health(base)
        searches, exports, flt, export_rows, new, _ = write_inputs(base, corpus, loaddir,
                                                                     args.seed)
        r["export_filter"] = flt or "(all)"
        r["export_rows"] = export_rows
        r["search_paths"] = len(searches)
        warm_up(base, token, prefix, exports, new[0])
        start = memory(server.pid)
        h_start = health(base)
        poller = HealthPoller(base)
        wrk_res, samples, cpu = run_wrk(wrk, base, args, loaddir, prefix,
                                        dict(env, DAFU_ADMIN_TOKEN=token), server.pid, poller)
        end = memory(server.pid)
        latencies, statuses, errors, leftovers = read_out(loaddir / "out.tsv")
        remaining = clean_up(base, token, leftovers)
        h1 = health(base)
        time.sleep(5)
        settled = memory(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            stopped = server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            stopped = "killed (no exit within 120 s of SIGINT)"

    # Per kind and per reported group.
    groups = {}
    for kind, values in latencies.items():
        groups.setdefault(GROUP.get(kind, kind), []).extend(values)
    groups["all"] = [v for values in latencies.values() for v in values]
    answered = len(groups["all"])
    for name in ("all", "search", "export", "write", "new", "replace", "delete"):
        values = sorted(groups.get(name) or latencies.get(name) or [])
        r[f"{name}_requests"] = len(values)
        r[f"{name}_per_sec"] = len(values) / cpu["wall_secs"]
        for p in (50, 90, 99):
            r[f"{name}_p{p}_ms"] = percentile(values, p)
        r[f"{name}_max_ms"] = values[-1] if values else 0.0
    error_kinds = {}
    for e in errors:
        error_kinds[GROUP.get(e["kind"], e["kind"])] = error_kinds.get(
            GROUP.get(e["kind"], e["kind"]), 0) + 1
    for name in ("search", "export", "write"):
        r[f"{name}_errors"] = error_kinds.get(name, 0)
    r["answer_errors"] = len(errors)
    r["socket_errors"] = wrk_res["socket_errors"]
    r["errors"] = len(errors) + wrk_res["socket_errors"]
    r["write_share"] = r["write_requests"] / answered if answered else 0.0
    r["statuses"] = statuses
    r["wrk_requests"] = wrk_res["requests"]
    r["wrk_p99_ms"] = wrk_res["p99_ms"]
    r.update(cpu)

    # Memory: idle (after start-up), start (after the warm-up), peak (sampled every second
    # during the load), end (right after it) and settled (after the clean-up and 5 s idle).
    for name, m in (("idle", idle), ("start", start), ("end", end), ("settled", settled)):
        for key in ("rss_mb", "anon_mb", "file_mb"):
            r[f"{name}_{key}"] = m[key]
    for key, field in (("rss_mb", "VmRSS"), ("anon_mb", "RssAnon"), ("file_mb", "RssFile")):
        r[f"peak_{key}"] = max([s.get(field, 0) / 1024 for s in samples] + [start[key], end[key]])
    for name, m in (("start", start), ("end", end)):
        r[f"{name}_index_files_mb"] = m["index_files_mb"]
        r[f"{name}_deleted_files_mb"] = m["deleted_files_mb"]
    # The anonymous memory of the load's first and last tenth (the mean of their samples):
    # growth from one to the other is growth under a steady load, not the warm-up.
    tenth = max(1, len(samples) // 10)
    if samples:
        r["anon_first_tenth_mb"] = sum(s["RssAnon"] for s in samples[:tenth]) / tenth / 1024
        r["anon_last_tenth_mb"] = sum(s["RssAnon"] for s in samples[-tenth:]) / tenth / 1024
    r["rss_growth_mb"] = end["rss_mb"] - start["rss_mb"]
    r["anon_growth_mb"] = end["anon_mb"] - start["anon_mb"]

    # The index before and after (the clean-up leaves as many replies as before the load).
    r["replies_before"] = h_start["replies"]
    r["replies_after"] = h1["replies"]
    r["segments_before"] = h_start["segments"]
    r["segments_peak"] = max([s["segments"] for s in poller.samples]
                             + [h_start["segments"], h1["segments"]])
    r["segments_after"] = h1["segments"]
    r["index_mb_before"] = h_start["index_bytes"] / 1e6
    r["index_mb_after"] = h1["index_bytes"] / 1e6
    r["leftovers_deleted"] = len(leftovers) - len(remaining)
    consistent = h0["replies"] == h_start["replies"] == h1["replies"] and not remaining
    r["consistent"] = consistent
    r["server_exit"] = stopped

    warnings, named = log_lines(server_log, [e["request_id"] for e in errors[:20]])
    r["server_log_warnings"] = len(warnings)
    kinds = warning_kinds(warnings)
    details = {
        "errors": errors[:50],
        "server_log_of_errors": named,
        "server_log_warnings": warnings[:50],
        "server_log_warning_kinds": kinds,
        "leftovers_not_deleted": remaining,
        "health_samples": poller.samples,
        "memory_samples": [
            {"t": round(s["t"] - samples[0]["t"], 1), "rss_mb": round(s["VmRSS"] / 1024, 1),
             "anon_mb": round(s["RssAnon"] / 1024, 1), "file_mb": round(s["RssFile"] / 1024, 1)}
            for s in samples
        ],
        "memory": {"idle": idle, "start": start, "end": end, "settled": settled},
        "health_before": h_start,
        "health_after": h1,
        "wrk": (loaddir / "wrk.txt").read_text(),
    }
    (work / "load-results.json").write_text(
        json.dumps({"results": r, "details": details}, indent=2, ensure_ascii=False) + "\n")

    print_report(r, errors, named, kinds, warnings, remaining, work)
    failed = r["errors"] > 0 or not consistent or stopped not in (0, None)
    if failed:
        sys.exit(1)


def warning_kinds(warnings):
    """How many times the server logged each message at WARN or ERROR (messages that name
    segments are counted under their text without the names)."""
    kinds = {}
    for line in warnings:
        try:
            entry = json.loads(line)
            fields = entry.get("fields", {})
            text = f"{entry.get('level')} {entry.get('target')}: {fields.get('message', '')}"
        except (json.JSONDecodeError, AttributeError):
            text = line
        text = text.split(", committed_ids")[0]
        if "segment_ids: [" in text:
            text = text.split("segment_ids: [")[0] + "segment_ids: […]"
        kinds[text[:200]] = kinds.get(text[:200], 0) + 1
    return kinds


def print_report(r, errors, named, kinds, warnings, remaining, work):
    def fmt(v):
        if isinstance(v, float):
            return f"{v:.3f}"
        if isinstance(v, dict):
            return json.dumps(v, separators=(",", ":"))
        return str(v).replace(" ", "_")

    print(f"\nload: {r['docs']} replies, {r['clients']} clients, {r['duration_secs']} s "
          f"({r['cores']} cores; server {r['server_cpu_secs']:.1f} CPU s, wrk "
          f"{r['client_cpu_secs']:.1f} CPU s, other processes {r['other_cpu_secs']:.1f} CPU s "
          f"of {r['machine_cpu_secs']:.1f})")
    print(f"{'kind':<9} {'requests':>8} {'per s':>7} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8}")
    for name in ("all", "search", "export", "write", "new", "replace", "delete"):
        errs = r["errors"] if name == "all" else r.get(f"{name}_errors", "")
        label = name if name in ("all", "search", "export", "write") else f"  {name}"
        print(f"{label:<9} {r[f'{name}_requests']:>8} {r[f'{name}_per_sec']:>7.1f} {errs!s:>6} "
              f"{r[f'{name}_p50_ms']:>8.1f} {r[f'{name}_p90_ms']:>8.1f} "
              f"{r[f'{name}_p99_ms']:>8.1f} {r[f'{name}_max_ms']:>8.1f}")
    print(f"\n{'memory MB':<10} {'idle':>8} {'start':>8} {'peak':>8} {'end':>8} {'settled':>8}")
    for key, label in (("rss_mb", "RSS"), ("anon_mb", "anonymous"), ("file_mb", "file")):
        print(f"{label:<10} {r[f'idle_{key}']:>8.1f} {r[f'start_{key}']:>8.1f} "
              f"{r[f'peak_{key}']:>8.1f} {r[f'end_{key}']:>8.1f} {r[f'settled_{key}']:>8.1f}")
    print(f"\nindex: {r['replies_before']} → {r['replies_after']} replies, "
          f"{r['segments_before']} → {r['segments_after']} segments "
          f"(at most {r['segments_peak']} during the load), "
          f"{r['index_mb_before']:.1f} → {r['index_mb_after']:.1f} MB; "
          f"{r['leftovers_deleted']} replies left by the load deleted after it")
    if errors or r["socket_errors"]:
        print(f"\n{r['errors']} errors ({r['socket_errors']} socket errors or timeouts):")
        for e in errors[:20]:
            print(f"  {e['request_id']} {e['kind']} {e['status']}: {e['what'][:200]}")
            for line in named.get(e["request_id"], [])[:5]:
                print(f"    server: {line[:300]}")
    if warnings:
        print(f"\nthe server logged {len(warnings)} warnings or errors:")
        for text, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {n:>5} × {text}")
    if remaining:
        print(f"\nnot deleted after the load: {remaining[:10]}")
    if not r["consistent"]:
        print("\nthe index does not hold as many replies after the load as before it")
    print(f"\nresults: {work / 'load-results.json'}")
    skip = {"statuses"}
    print("LOAD " + " ".join(f"{k}={fmt(v)}" for k, v in r.items() if k not in skip))


if __name__ == "__main__":
    main()
