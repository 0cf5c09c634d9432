"""Importing a full-size EFF Atlas of Surveillance file, against sqlite-utils, in one run.

    python benchmarks/eff_import.py [--rows 15135] [--repeat 3] [--seed 7]

Writes a seeded file of the Atlas's shape (its 28 columns, its 12 technologies, vendors,
up to three links per row, the dates as EFF writes them) and times, on fresh databases:
  - baseline: `sqlite-utils insert DB rows FILE --csv` (the rows, as text, nothing more)
  - ours:     `custodiet import eff-aos FILE` (every row's facts with their provenance,
              vendors resolved, records folded; `custodiet init` is not timed)
Each timing is the median of --repeat runs; the ratio is ours / baseline (goal <= 5,
moonshot <= 2). Peak RSS is the import process's own (goal < 300 MB).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CUSTODIET = shutil.which("custodiet", path=str(BIN)) or "custodiet"
SQLITE_UTILS = shutil.which("sqlite-utils", path=str(BIN)) or "sqlite-utils"
HEADER = [  # as EFF publishes it
    "AOSNUMBER", "NEWAOSNUMBER (ORI9)", "City", "County", "State", "Agency", "Type of LEA",
    "Summary", "Type of Juris", "Technology", "TECH ABV", "Vendor",
    "Link 1", "Link 1 Snapshot", "Link 1 Source", "Link 1 Type", "Link 1 Date",
    "Link 2", "Link 2 Snapshot", "Link 2 Source", "Link 2 Type", "Link 2 Date",
    "Link 3", "Link 3 Snapshot", "Link 3 Source", "Link 3 Type", "Link 3 Date",
    "Other Links",
]  # fmt: skip
TECHNOLOGIES = {  # the Atlas's twelve, with a vendor that sells each (or none)
    "Body-worn Cameras": ["Axon", "Coban", "WatchGuard", ""],
    "Automated License Plate Readers": ["Vigilant Solutions", "Flock Safety", "Selex", ""],
    "Face Recognition": ["Clearview AI", "Vigilant Solutions", ""],
    "Gunshot Detection": ["ShotSpotter", ""],
    "Camera Registry": ["Axon", ""],
    "Predictive Policing": ["PredPol", "HunchLab", ""],
    "Drones": ["DJI", ""],
    "Cell-site Simulator": ["Harris Corporation", ""],
    "Fusion Center": [""],
    "Real-Time Crime Center": ["Genetec", ""],
    "Video Analytics": ["BriefCam", ""],
    "Third-party Investigative Platforms": ["Palantir", ""],
}
STATES = ["CA", "FL", "OH", "GA", "NY", "TX", "IL", "WA", "MI", "AZ", "NJ", "MD", "VA", "CO"]
KINDS = [("Police", "Police Department", "Municipal"), ("Sheriff", "Sheriff's Office", "County")]
PLACES = ["Oak", "River", "Lake", "Cedar", "Maple", "Pine", "Hill", "Spring", "Fair", "Green"]
ENDS = ["field", "ville", "ton", " City", " Springs", "wood", "port", "dale"]


def generate(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(HEADER)
        for n in range(1, rows + 1):
            city = rng.choice(PLACES) + rng.choice(ENDS)
            state = rng.choice(STATES)
            lea, suffix, juris = rng.choice(KINDS)
            county = f"{rng.choice(PLACES)} County"
            agency = f"{city if lea == 'Police' else county.split()[0] + ' County'} {suffix}"
            tech = rng.choice(list(TECHNOLOGIES))
            vendor = rng.choice(TECHNOLOGIES[tech])
            summary = f"The {agency} uses {tech.lower()}" + (f" from {vendor}." if vendor else ".")
            links = []
            for i in range(rng.choice([1, 1, 2, 3])):
                day = f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(2012, 2023)}"
                url = f"https://news{rng.randint(1, 400)}.example.org/{state.lower()}/{n}-{i}"
                links.append([url, "", f"News {rng.randint(1, 400)}", "", day])
            links += [["", "", "", "", ""]] * (3 - len(links))
            out.writerow(
                [f"AOS{n:06d}", f"{state}{n:07d}", city, county, state, agency, lea, summary,
                 juris, tech, "", vendor, *[c for link in links for c in link], ""]
            )  # fmt: skip


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KB) of the process itself, and its output (to a file:
    a pipe read only after the process ends would stall it once the pipe is full)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        output = out.read().decode()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    return elapsed, usage.ru_maxrss, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=15135)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custodiet-eff-bench-"))
    try:
        data = work / "atlas-of-surveillance.csv"
        generate(data, args.rows, args.seed)
        size = data.stat().st_size / 2**20
        print(f"{args.rows:,} rows, {len(HEADER)} columns, {size:.1f} MB: {data}")
        env = {**os.environ, "CUSTODIET_ACTOR": "bench:editor"}
        baseline, ours, rss, facts = [], [], [], 0
        for i in range(args.repeat):
            plain = work / f"plain-{i}.db"
            baseline.append(
                run([SQLITE_UTILS, "insert", str(plain), "rows", str(data), "--csv"])[0]
            )
            url = f"sqlite:///{work / f'custodiet-{i}.db'}"
            run([CUSTODIET, "--db", url, "init"], env)
            took, peak, output = run(
                [CUSTODIET, "--db", url, "import", "eff-aos", str(data), "--release", "bench"], env
            )
            ours.append(took)
            rss.append(peak)
            found = re.search(r"([\d,]+) facts;", output)
            facts = int(found.group(1).replace(",", "")) if found else 0
            print(f"  run {i + 1}: sqlite-utils {baseline[-1]:.2f} s, custodiet {took:.2f} s, "
                  f"{peak / 1024:.0f} MB")  # fmt: skip
        b, o = statistics.median(baseline), statistics.median(ours)
        peak_mb = max(rss) / 1024
        ratio = o / b
        print(f"sqlite-utils insert --csv: {b:.2f} s ({args.rows / b:,.0f} rows/s)")
        print(f"custodiet import eff-aos:  {o:.2f} s ({facts:,} statements, {facts / o:,.0f}/s)")
        print(f"ratio ours / baseline: {ratio:.2f} (goal <= 5: {'met' if ratio <= 5 else 'MISSED'}"
              f"; moonshot <= 2: {'met' if ratio <= 2 else 'not met'})")  # fmt: skip
        print(f"peak RSS: {peak_mb:.0f} MB (goal < 300: {'met' if peak_mb < 300 else 'MISSED'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
