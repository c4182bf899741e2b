#!/usr/bin/env python3
"""The end-to-end benchmark of dafu (issue 7), driven by ``benches/e2e.sh``.

In one run, on one synthetic corpus of ``--docs`` replies, it measures:

1. ``dafu sample``: how fast the corpus is generated;
2. the baseline: raw jieba-rs ``cut`` over every reply text on all cores
   (``jieba_baseline``, the physical limit of segmentation on this machine), and issue 7's
   own prototype: a tantivy index of one raw-jieba text field with positions, nothing else
   (``prototype_index``, the least an index of the text costs here);
3. ``dafu index``: MB/s of reply text, replies/s, peak RSS (GNU time), peak anonymous memory
   (sampled from /proc), index size, and the ratio of its MB/s to the baseline's (and to the
   prototype's);
4. ``dafu serve``: the time from starting the process to the first answered search;
5. HTTP load with wrk at 1 and 4 concurrent clients, for two request lists written here:
   ``search`` (1-3 word searches with every facet and highlights, the page's request: the
   region tree folded to its provinces) and
   ``mix`` (plain and filtered searches as the API answers by default, the whole region tree
   included, facets off and on, quoted phrases, commitment searches
   and an export of about 1,000 replies); p50, p99, requests/s, non-2xx responses, and the
   server's RSS and anonymous memory during the load.

It prints a table, writes ``results.json`` into the work folder and ends with one line of
``key=value`` pairs (``E2E ...``) for scripts to read. It asserts nothing about timings: a
failed step (a non-200 answer, a crash) is an error, a slow one is a number.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent

# 1-3 word queries over the vocabulary of the synthetic replies (dafu-sample's vocab.txt):
# common and rarer words, and pairs and triples that occur together or only apart.
QUERIES = [
    "人才队伍",
    "养老服务",
    "资金",
    "培训",
    "乡村振兴",
    "农村公路",
    "生态环境",
    "学前教育",
    "医疗保障",
    "垃圾分类",
    "养老服务 资金",
    "人才 培训",
    "农村公路 养护",
    "中小企业 融资",
    "学前教育 师资",
    "文化旅游 融合",
    "社区 养老",
    "垃圾分类 宣传",
    "医保 报销 比例",
    "乡村振兴 产业 人才",
    "城市更新 老旧小区 改造",
    "食品安全 监管 检查",
    "就业 创业 补贴",
    "水污染 治理 资金",
]
PHRASES = ['"取得了明显成效"', '"下一步"', '"专项资金"', '"加大宣传力度"']
COMMITMENT_QUERIES = ["培训", "资金", "养老", "2025年", "补贴 标准", "覆盖"]
# Filters of the mix, as query strings (values valid in every corpus dafu sample writes).
FILTERS = [
    "region=浙江省",
    "year=2019",
    "topic=education",
    "region=广东省&year=2018..2020",
    "assembly=cppcc&level=city",
    "has_commitments=true&topic=civil_affairs",
]


def q(params):
    return urllib.parse.urlencode(params, safe="=,.")


# The tag of progress lines on standard error (benches/e2e/load.py sets its own).
LOG_TAG = "e2e"


def log(msg):
    print(f"[{LOG_TAG}] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=True, **kw)


class MemorySampler:
    """Samples a process's VmRSS, RssAnon and RssFile (kB) every `interval` seconds in a
    thread; each sample also has `t`, its time.monotonic()."""

    def __init__(self, pid, interval=0.2):
        self.pid, self.interval = pid, interval
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _read(self):
        fields = {}
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in ("VmRSS", "RssAnon", "RssFile"):
                        fields[key] = int(value.split()[0])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            return None
        return fields if fields else None

    def _loop(self):
        while not self._stop.is_set():
            s = self._read()
            if s is None:
                return
            s["t"] = time.monotonic()
            self.samples.append(s)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def snapshot_mb(pid, key):
        """One reading of `key` (VmRSS, RssAnon) of `pid`, in MB."""
        s = MemorySampler(pid)._read() or {}
        return s.get(key, 0) / 1024

    def peak_mb(self, key):
        return max((s.get(key, 0) for s in self.samples), default=0) / 1024


def dir_bytes(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def encoded(path):
    """`path` with every non-ASCII character percent-encoded (what wrk and urllib send)."""
    return urllib.parse.quote(path, safe="/?&=,.%:+")


def get(base, path, timeout=60):
    with urllib.request.urlopen(base + encoded(path), timeout=timeout) as r:
        return r.status, r.read()


def parse_kv(line):
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)


def parse_wrk(out):
    """p50/p99 in ms, requests/s, non-2xx count and socket errors of wrk --latency output."""

    def ms(text):
        m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
        if not m:
            raise ValueError(f"wrk latency {text!r}")
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]

    res = {}
    for pct, key in (("50%", "p50_ms"), ("90%", "p90_ms"), ("99%", "p99_ms")):
        m = re.search(rf"^\s+{re.escape(pct)}\s+(\S+)", out, re.M)
        if not m:
            raise ValueError(f"no {pct} in wrk output:\n{out}")
        res[key] = ms(m.group(1))
    m = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    res["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in", out)
    res["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["socket_errors"] = sum(int(g) for g in m.groups()) if m else 0
    return res


def start_server(dafu, index, env, stderr=subprocess.DEVNULL):
    """Starts `dafu serve` on a free port; returns (process, base URL, seconds to first answer).
    The server's log (standard error) goes to `stderr` (an open file, or discarded)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(dafu), "serve", "--index", str(index), "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=env,
    )
    base = None
    for line in proc.stdout:
        m = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if m:
            base = m.group(1)
            break
    if base is None:
        proc.wait()
        raise RuntimeError(f"dafu serve exited ({proc.returncode}) without printing its address")
    probe = "/api/search?" + q({"q": QUERIES[0]})
    while True:
        try:
            status, _ = get(base, probe)
            if status == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"dafu serve exited ({proc.returncode}) before answering")
        if time.monotonic() - started > 120:
            raise RuntimeError("dafu serve did not answer within 120 s")
        time.sleep(0.005)
    # Keep draining stdout so the server never blocks on a full pipe.
    threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
    return proc, base, time.monotonic() - started


def export_filter(base):
    """A filter whose export has about 1,000 replies (the closest of a few candidates)."""
    candidates = [""]
    for f in ["region=浙江省", "region=广东省", "region=四川省", "topic=education", "topic=talent"]:
        candidates.append(f)
        for y in ("2018", "2019", "2020"):
            candidates.append(f"{f}&year={y}")
    best = None
    for c in candidates:
        path = "/api/search?" + (c + "&" if c else "") + "limit=1&facets=false&highlight=false"
        _, body = get(base, path)
        total = json.loads(body)["total"]
        if best is None or abs(total - 1000) < abs(best[1] - 1000):
            best = (c, total)
    return best


def page_search(words):
    """The search page's request for `words`: every facet, highlights, ten hits and the region
    tree folded to its provinces (the page asks for a city's places when it is opened)."""
    return "/api/search?" + q({"q": words, "limit": "10", "region_tree": "folded"})


def request_lists(base):
    """The two request lists, each path checked to answer 200."""
    search = [page_search(w) for w in QUERIES]
    flt, export_rows = export_filter(base)
    mix = []
    for i, w in enumerate(QUERIES):
        mix.append("/api/search?" + q({"q": w}))
        mix.append("/api/search?" + q({"q": w, "facets": "false", "highlight": "false"}))
        f = FILTERS[i % len(FILTERS)]
        mix.append("/api/search?" + q({"q": w}) + "&" + f)
    for p in PHRASES:
        mix.append("/api/search?" + q({"q": p}))
    for w in COMMITMENT_QUERIES:
        mix.append("/api/commitments?" + q({"q": w}))
    mix.append("/api/export?" + flt if flt else "/api/export")
    for path in search + mix:
        status, _ = get(base, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return search, mix, flt, export_rows


def load(wrk, base, paths, clients, duration, work, name, pid):
    listing = Path(work) / f"paths-{name}.txt"
    listing.write_text("\n".join(encoded(p) for p in paths) + "\n")
    cmd = [
        wrk,
        f"-t{min(clients, 2)}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(HERE / "mix.lua"),
        base,
        "--",
        str(listing),
    ]
    log("$ " + " ".join(str(c) for c in cmd))
    with MemorySampler(pid) as mem:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    res = parse_wrk(out)
    res["rss_mb"] = mem.peak_mb("VmRSS")
    res["anon_mb"] = mem.peak_mb("RssAnon")
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--work", help="work folder (default: a new folder under target/e2e)")
    ap.add_argument("--duration", type=int, default=20, help="seconds of each wrk run")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--skip-load", action="store_true", help="stop after start-up")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and index")
    args = ap.parse_args()

    bins = Path(args.bin_dir)
    dafu, baseline = bins / "dafu", bins / "jieba_baseline"
    prototype = bins / "prototype_index"
    for b in (dafu, baseline, prototype):
        if not b.exists():
            sys.exit(f"{b} is missing (benches/e2e.sh builds it)")
    wrk = shutil.which("wrk")
    if not wrk and not args.skip_load:
        sys.exit("wrk is not installed (benches/e2e.sh installs it)")
    work = Path(args.work or f"target/e2e/{args.docs}").resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    corpus, index = work / "corpus", work / "index"
    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
    r = {"docs": args.docs, "cores": os.cpu_count()}

    # 1. The corpus.
    t = time.monotonic()
    run([dafu, "sample", "--count", str(args.docs), "--seed", str(args.seed), "--out", corpus],
        stdout=subprocess.DEVNULL, env=env)
    r["sample_secs"] = time.monotonic() - t
    r["corpus_mb"] = dir_bytes(corpus) / 1e6

    # 2. The baseline: raw jieba over the same text.
    out = run([baseline, corpus], capture_output=True, text=True, env=env).stdout
    kv = parse_kv(out.strip().splitlines()[-1])
    r["text_mb"] = int(kv["baseline_bytes"]) / 1e6
    r["baseline_mb_s"] = float(kv["baseline_mb_s"])
    r["baseline_threads"] = int(kv["baseline_threads"])

    # 2b. Issue 7's prototype: one raw-jieba field, indexed with positions, nothing else.
    proto_index = work / "prototype-index"
    out = run([prototype, corpus, proto_index], capture_output=True, text=True, env=env).stdout
    kv = parse_kv(out.strip().splitlines()[-1])
    shutil.rmtree(proto_index, ignore_errors=True)
    r["prototype_secs"] = float(kv["prototype_secs"])
    r["prototype_mb_s"] = float(kv["prototype_mb_s"])
    r["prototype_ratio"] = r["prototype_mb_s"] / r["baseline_mb_s"]

    # 3. Indexing.
    timing = work / "index-time.txt"
    cmd = ["/usr/bin/time", "-f", "%e %M", "-o", str(timing), dafu, "index", "-q",
           "--input", str(corpus), "--index", str(index), "--summary", str(work / "summary.json")]
    log("$ " + " ".join(str(c) for c in cmd))
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    # /usr/bin/time's child is dafu: sample its memory, not time's.
    child = None
    while child is None and proc.poll() is None:
        try:
            kids = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            child = int(kids[0]) if kids else None
        except (FileNotFoundError, IndexError):
            pass
        if child is None:
            time.sleep(0.01)
    with MemorySampler(child or proc.pid, 0.5) as mem:
        if proc.wait() != 0:
            raise RuntimeError(f"dafu index failed ({proc.returncode})")
    wall = time.monotonic() - t
    elapsed, max_kb = timing.read_text().split()[-2:]
    summary = json.loads((work / "summary.json").read_text())
    if summary["indexed"] != args.docs or summary["skipped"]:
        raise RuntimeError(f"indexed {summary['indexed']} of {args.docs}: {summary['skipped'][:3]}")
    r["index_secs"] = float(elapsed) if float(elapsed) > 0 else wall
    r["index_mb_s"] = r["text_mb"] / r["index_secs"]
    r["index_replies_s"] = args.docs / r["index_secs"]
    r["index_ratio"] = r["index_mb_s"] / r["baseline_mb_s"]
    r["index_to_prototype"] = r["index_mb_s"] / r["prototype_mb_s"]
    r["index_peak_rss_mb"] = int(max_kb) / 1024
    r["index_peak_anon_mb"] = mem.peak_mb("RssAnon")
    r["index_size_mb"] = dir_bytes(index) / 1e6
    meta = json.loads((index / "meta.json").read_text())
    r["index_segments"] = len(meta["segments"])
    r["index_documents"] = sum(s["max_doc"] for s in meta["segments"])

    # 4. Start-up to the first answer, then 5. load.
    server, base, startup = start_server(dafu, index, env)
    try:
        r["startup_ms"] = startup * 1000
        r["serve_idle_rss_mb"] = MemorySampler.snapshot_mb(server.pid, "VmRSS")
        r["serve_idle_anon_mb"] = MemorySampler.snapshot_mb(server.pid, "RssAnon")
        if not args.skip_load:
            search, mix, flt, export_rows = request_lists(base)
            r["export_filter"] = flt or "(all)"
            r["export_rows"] = export_rows
            r["mix_requests"] = len(mix)
            for name, paths in (("search", search), ("mix", mix)):
                for clients in (1, 4):
                    res = load(wrk, base, paths, clients, args.duration, work,
                               f"{name}-c{clients}", server.pid)
                    for k, v in res.items():
                        r[f"{name}_c{clients}_{k}"] = v
            r["serve_end_rss_mb"] = MemorySampler.snapshot_mb(server.pid, "VmRSS")
            r["serve_end_anon_mb"] = MemorySampler.snapshot_mb(server.pid, "RssAnon")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    (work / "results.json").write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
    if not args.keep:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(index, ignore_errors=True)

    def fmt(v):
        return f"{v:.3f}" if isinstance(v, float) else str(v).replace(" ", "_")

    width = max(len(k) for k in r)
    for k, v in r.items():
        print(f"{k:<{width}}  {fmt(v)}")
    print("E2E " + " ".join(f"{k}={fmt(v)}" for k, v in r.items()))


if __name__ == "__main__":
    main()
