"""Time and peak memory of `custodiet extract` on hostile inputs at growing sizes: the
curve must be a line (time in proportion to size) with memory bounded.

    python benchmarks/hostile_inputs.py [--sizes 1,10,60] [--workdir DIR]

Generated (seeded, in the work folder) for each size in MB:
  - deal-dense text: every paragraph states a deal (the extractor's worst case);
  - the same text as one JSONL line;
  - one paragraph of vendor and place names with no sentence break;
  - HTML nested 10,000 x size deep (a 1 MB page is 100,000 nested divs);
  - a .warc.gz of NUL bytes: size MB compressed (about a thousand times that inflated).
Each row gives the seconds and peak RSS of one run, seconds per MB, and for the
largest size the ratio of its time to the smallest size's, against the ratio of the
sizes (a linear curve gives about the same; start-up makes small inputs dearer).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

EXE = Path(sys.executable).parent / "custodiet"
DEAL = "The Kenyan police signed a contract with Hikvision for cameras in Nairobi in {year}."
RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def dense(path: Path, mb: float) -> None:
    with path.open("w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < mb * 1e6:
            p = DEAL.format(year=2000 + i % 25) + f" Item {i} cost ${i % 900 + 1} million.\n\n"
            f.write(p)
            size += len(p)
            i += 1


def one_line(path: Path, mb: float) -> None:
    text = path.with_suffix(".txt")
    dense(text, mb)
    body = text.read_text("utf-8")
    path.write_text(json.dumps({"id": "one", "text": body}) + "\n", encoding="utf-8")
    text.unlink()


def no_breaks(path: Path, mb: float) -> None:
    words = "Hikvision Huawei Nairobi Kenya Quito police contract cameras $5 million "
    path.write_text(words * int(mb * 1e6 / len(words)), encoding="utf-8")


def nested(path: Path, mb: float) -> None:
    depth = int(10_000 * mb)
    path.write_text("<div>" * depth + DEAL.format(year=2019) + "</div>" * depth, "utf-8")


def nul_archive(path: Path, mb: float) -> None:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\x00" * (1 << 24)
    with path.open("wb") as f:
        while f.tell() < mb * 1e6:
            f.write(squeeze.compress(chunk))
        f.write(squeeze.flush())


KINDS: dict[str, tuple[str, Callable[[Path, float], None]]] = {
    "deal-dense text": (".txt", dense),
    "one JSONL line": (".jsonl", one_line),
    "no sentence breaks": (".txt", no_breaks),
    "nested HTML": (".html", nested),
    "NUL-filled .warc.gz": (".warc.gz", nul_archive),
}


def run(path: Path) -> tuple[float, int]:
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", RSS, str(EXE), "extract", str(path), "--out", "/dev/null"],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - began, int(out.stdout.strip()) // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,10,60", help="sizes in MB, comma-separated")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="custodiet-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for kind, (suffix, make) in KINDS.items():
        times = {}
        for mb in sizes:
            path = work / f"{kind.replace(' ', '-').replace('.', '')}-{mb:g}{suffix}"
            if not path.exists():
                make(path, mb)
            seconds, rss = run(path)
            times[mb] = seconds
            print(json.dumps({"input": kind, "mb": mb, "seconds": round(seconds, 2),
                              "s_per_mb": round(seconds / mb, 2), "peak_rss_mb": rss}))  # fmt: skip
        small, large = min(sizes), max(sizes)
        print(json.dumps({"input": kind, "time_ratio": round(times[large] / times[small], 1),
                          "size_ratio": round(large / small, 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
