"""Extraction speed and memory, measured side by side with baselines in the same run.

    python benchmarks/extract_speed.py [--mb 200] [--rss-gb 2] [--repeat 3]

Generates a seeded corpus (see corpus.py), then times, on one core (taskset -c 0):
  - plain text: `custodiet extract` vs `grep -F -i -f <registry terms>`   (goal >= 0.25)
  - HTML pages: `custodiet extract` vs trafilatura.extract on every page (goal >= 10)
  - WARC.gz:    `custodiet extract` vs `zcat | grep -F -i -f <terms>`    (goal >= 0.5)
and the peak RSS of `custodiet extract` on a JSONL file of --rss-gb GB (goal < 500 MB).
grep counts matching lines (-c) so that it reads everything: with its output going to
/dev/null GNU grep would stop at the first match.
Each timing is the median of --repeat runs; ratios are throughput ours / baseline,
end to end (judged against the goals) and without our fixed start-up (about 0.3 s of
interpreter, imports and registry), which a larger corpus amortises.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus, write_jsonl

EXE = shutil.which("custodiet", path=str(Path(sys.executable).parent)) or "custodiet"
ONE_CORE = ["taskset", "-c", "0"] if shutil.which("taskset") else []
TRAFILATURA = """
import sys, pathlib, trafilatura
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.html")):
    trafilatura.extract(p.read_text("utf-8"))
"""
RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size


def timed(cmd: list[str] | str, repeat: int) -> float:
    """Median wall time of a command (a list, or a shell pipeline as a string)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            cmd,
            shell=isinstance(cmd, str),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def registry_terms(path: Path) -> Path:
    from custodiet.extract.registry import registry

    path.write_text("\n".join(sorted(registry().terms)) + "\n", "utf-8")
    return path


def compare(
    name: str,
    data: Path,
    ours: list[str],
    theirs: list[str] | str,
    goal: float,
    repeat: int,
    startup: float,
    report: Callable[[dict[str, object]], None],
) -> None:
    """Throughput end to end (judged against the goal), and without our start-up time."""
    mb = size_of(data) / 1e6
    t_ours, t_theirs = timed(ours, repeat), timed(theirs, repeat)
    ratio = t_theirs / t_ours
    report(
        {
            "input": name,
            "MB": round(mb, 1),
            "ours_MB_s": round(mb / t_ours, 1),
            "baseline_MB_s": round(mb / t_theirs, 1),
            "ratio": round(ratio, 2),
            "goal": goal,
            "met": ratio >= goal,
            "ratio_without_startup": round(t_theirs / max(t_ours - startup, 1e-9), 2),
        }
    )


def corpus(work: Path, mb: int) -> dict[str, Path]:
    """The corpus for this size, generated once per work folder."""
    marker = work / f"corpus-{mb}MB.done"
    paths = {"text": work / "text", "html": work / "html", "warc": work / "corpus.warc.gz"}
    if not marker.exists():
        print(f"generating a {mb} MB corpus in {work} …", file=sys.stderr, flush=True)
        for stale in (paths["text"], paths["html"]):
            shutil.rmtree(stale, ignore_errors=True)
        paths = write_corpus(work, mb * 1_000_000)
        marker.touch()
    return paths


def memory(
    work: Path, gb: float, extract: list[str], report: Callable[[dict[str, object]], None]
) -> None:
    print(f"generating {gb} GB of JSONL …", file=sys.stderr, flush=True)
    big = write_jsonl(work / "big.jsonl", int(gb * 1e9))
    out = subprocess.run(
        [sys.executable, "-c", RSS, *extract, str(big)], check=True, capture_output=True, text=True
    )
    rss_mb = int(out.stdout.strip()) / 1024
    report(
        {
            "input": f"jsonl {size_of(big) / 1e9:.1f} GB",
            "peak_rss_MB": round(rss_mb),
            "goal": "< 500",
            "met": rss_mb < 500,
        }
    )
    big.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=200, help="corpus size in MB of text")
    ap.add_argument("--rss-gb", type=float, default=2.0, help="size of the memory test input")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the corpus here")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="custodiet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []

    def report(row: dict[str, object]) -> None:
        rows.append(row)
        print(json.dumps(row), flush=True)

    paths = corpus(work, args.mb)
    terms = registry_terms(work / "terms.txt")
    # -c: GNU grep stops at the first match when its output is /dev/null; counting
    # makes it read every byte, as the extractor does.
    grep = ["grep", "-r", "-c", "-F", "-i", "-f", str(terms)]
    extract = [*ONE_CORE, EXE, "extract", "--out", "/dev/null"]
    empty = work / "empty.txt"
    empty.write_text("", "utf-8")
    startup = timed([*extract, str(empty)], args.repeat)
    report({"input": "start-up", "seconds": round(startup, 3)})
    compare(
        "text",
        paths["text"],
        [*extract, str(paths["text"])],
        [*ONE_CORE, *grep, str(paths["text"])],
        0.25,
        args.repeat,
        startup,
        report,
    )
    compare(
        "html",
        paths["html"],
        [*extract, str(paths["html"])],
        [*ONE_CORE, sys.executable, "-c", TRAFILATURA, str(paths["html"])],
        10.0,
        max(1, args.repeat // 3),
        startup,
        report,
    )
    zgrep = f"zcat {paths['warc']} | {' '.join(ONE_CORE)} grep -c -F -i -f {terms}"
    compare(
        "warc.gz",
        paths["warc"],
        [*extract, str(paths["warc"])],
        zgrep,
        0.5,
        args.repeat,
        startup,
        report,
    )
    if args.rss_gb > 0:
        memory(work, args.rss_gb, extract, report)
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    print(
        "\n"
        + "\n".join(
            f"{r['input']:>14}: " + ", ".join(f"{k} {v}" for k, v in r.items() if k != "input")
            for r in rows
        )
    )


if __name__ == "__main__":
    main()
