"""Every export format of the large atlas, against `sqlite3 .dump` of the same file.

    python benchmarks/export_speed.py [--deployments 100000] [--merges 10000]
                                      [--repeat 3] [--workdir DIR]

Uses the atlas atlas_load.py generates (the same file, once per work folder). Each
format is a fresh `custodiet export` process (so its peak RSS is its own, read from the
kernel with wait4), --repeat times, interleaved with the baseline: `sqlite3 FILE .dump`
into a file. Prints one JSON line per format with the median time, the ratio to the
baseline's median, the peak RSS (goal < 1 GB) and the output's size.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas_data import atlas_arguments, atlas_file

BIN = Path(sys.executable).parent
CUSTODIET = shutil.which("custodiet", path=str(BIN)) or "custodiet"
FORMATS = ("statements-jsonl", "statements-csv", "ftm", "geojson", "csv", "parquet", "datasette")
FOLDERS = ("csv", "parquet", "datasette")
RSS_GOAL_MB = 1024
TIME = shutil.which("time", path="/usr/bin") or "/usr/bin/time"  # GNU time (Debian's time)


def run(command: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one process, the RSS as GNU time reads it: the kernel's
    figure for a child of this large Python process would count this process's memory."""
    with (
        tempfile.NamedTemporaryFile(suffix=".rss") as rss,
        Path(stdout or os.devnull).open("wb") as out,
    ):
        began = time.perf_counter()
        done = subprocess.run(
            [TIME, "-f", "%M", "-o", rss.name, *command], stdout=out, stderr=subprocess.PIPE
        )
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()}")
        return elapsed, int(Path(rss.name).read_text().split()[-1]) / 1024


def size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def main() -> None:
    ap = atlas_arguments(__doc__.split("\n\n")[0], repeat=3)
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated")
    args = ap.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    db = atlas_file(args.workdir, args.deployments, args.merges, "custodiet-export-")
    sqlite3 = shutil.which("sqlite3")
    if sqlite3 is None:
        raise SystemExit("sqlite3 (Debian's sqlite3 package) is needed for the baseline")
    out = Path(tempfile.mkdtemp(prefix="custodiet-exports-", dir=db.parent))
    times: dict[str, list[float]] = {f: [] for f in ("sqlite3 .dump", *formats)}
    rss: dict[str, float] = {}
    sizes: dict[str, int] = {}
    try:
        for i in range(args.repeat):
            print(f"round {i + 1}/{args.repeat} …", file=sys.stderr)
            dump = out / "dump.sql"
            seconds, peak = run([sqlite3, str(db), ".dump"], stdout=dump)
            times["sqlite3 .dump"].append(seconds)
            rss["sqlite3 .dump"], sizes["sqlite3 .dump"] = peak, size(dump)
            for fmt in formats:
                target = out / fmt
                if target.is_dir():
                    shutil.rmtree(target)
                target.unlink(missing_ok=True)
                command = [
                    CUSTODIET,
                    "--db",
                    str(db),
                    "export",
                    "--format",
                    fmt,
                    "--out",
                    str(target),
                ]
                seconds, peak = run(command)
                times[fmt].append(seconds)
                rss[fmt] = max(rss.get(fmt, 0.0), peak)
                sizes[fmt] = size(target)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    base = statistics.median(times["sqlite3 .dump"])
    for name, found in times.items():
        median = statistics.median(found)
        print(
            json.dumps(
                {
                    "format": name,
                    "rounds": args.repeat,
                    "seconds": round(median, 2),
                    "ratio_to_dump": round(median / base, 2),
                    "peak_rss_mb": round(rss[name]),
                    "rss_met": rss[name] < RSS_GOAL_MB,
                    "output_mb": round(sizes[name] / 2**20, 1),
                }
            )
        )


if __name__ == "__main__":
    main()
