"""`custodiet scan` on a seeded corpus, beside plain `custodiet extract` in the same run.

    python benchmarks/scan_speed.py [--jsonl-mb 1100] [--warc-mb 2000] [--repeat 3]
                                    [--shard-mb 64] [--workdir DIR]

Generates (once per work folder) a JSONL file and four WARC.gz files of HTML pages from
corpus.py's seeded news, then measures, medians of --repeat runs:
  - `custodiet extract` over all of it, one process (the baseline);
  - `custodiet scan --workers 1` and `--workers 2` (a LocalCluster), into new folders:
    the overhead ratio scan(1) / extract (goal <= 1.15) and the speed-up scan(1) /
    scan(2) (goal >= 1.8 on 2 cores), and that the three find the same candidates;
  - the peak RSS of a worker when the JSONL is one shard of its whole size
    (`--shard-mb` above it; goal < 500 MB for 1 GB shards), read from the markers;
  - the WARC.gz MB a worker reads per second (from the shards' markers), for costing;
  - a scan killed (kill -9 of the command and its cluster) once half the work is done
    (the shards' seconds, as a full scan's markers count them), then the same command
    again: its time over a full scan's (goal <= 0.6).
Prints each figure and one JSON line with all of them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Corpus, html_page

EXE = shutil.which("custodiet", path=str(Path(sys.executable).parent)) or "custodiet"
WARC_FILES = 4


def write_corpus(folder: Path, jsonl_mb: int, warc_mb: int) -> list[Path]:
    """news.jsonl and pages-N.warc.gz, unless the folder holds them already."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    news = folder / f"news-{jsonl_mb}.jsonl"
    warcs = [folder / f"pages-{warc_mb}-{i}.warc.gz" for i in range(WARC_FILES)]
    if not news.exists():
        corpus = Corpus(11)
        with news.open("w", encoding="utf-8") as f:
            for i, doc in enumerate(corpus.documents(jsonl_mb << 20, 20_000, 120_000)):
                f.write(json.dumps({"id": f"d{i}", "text": "\n\n".join(doc)}) + "\n")
    corpus = Corpus(7)
    headers = [("Content-Type", "text/html; charset=utf-8")]
    for n, path in enumerate(warcs):
        if path.exists():
            continue
        with path.open("wb") as raw:
            writer = WARCWriter(raw, gzip=True)
            for i, doc in enumerate(corpus.documents((warc_mb << 20) // WARC_FILES)):
                page = html_page(doc, corpus.rng).encode()
                writer.write_record(
                    writer.create_warc_record(
                        f"https://news.example/{n}/{i}", "response", payload=io.BytesIO(page),
                        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                    )
                )  # fmt: skip
    return [news, *warcs]


def run(cmd: list[str]) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
    return seconds, done.stdout


def candidates(folder: Path) -> list[str]:
    import pyarrow.parquet as pq

    document = {"source_id", "url", "title", "published"}
    rows = [r for p in sorted((folder / "parts").glob("*.parquet"))
            for r in pq.read_table(p).to_pylist()]  # fmt: skip
    return sorted(json.dumps({k: v for k, v in r.items() if k not in document}, sort_keys=True)
                  for r in rows)  # fmt: skip


def warc_rate(folder: Path) -> float:
    """MB of WARC.gz a worker read per second, from the markers of the WARC shards."""
    plan = json.loads((folder / "scan.json").read_text())
    warcs = {s["id"] for s in plan["shards"] if s["pieces"][0][0].endswith(".warc.gz")}
    marks = [json.loads((folder / "done" / f"{sid}.json").read_text()) for sid in warcs]
    return sum(m["bytes"] for m in marks) / 1e6 / sum(m["seconds"] for m in marks)


def scan(files: list[Path], out: Path, workers: int, shard_mb: float) -> list[str]:
    shutil.rmtree(out, ignore_errors=True)
    return [EXE, "scan", *map(str, files), "--out", str(out), "--workers", str(workers),
            "--shard-mb", str(shard_mb)]  # fmt: skip


def work_done(out: Path) -> float:
    """The seconds of work in a scan folder's finished shards."""
    markers = list((out / "done").glob("*.json")) if (out / "done").is_dir() else []
    return sum(json.loads(m.read_text())["seconds"] for m in markers)


def killed_at_half(cmd: list[str], out: Path, total: float) -> float:
    """Start the scan and kill it and its cluster once half the work (`total` seconds of
    shards, as a full scan's markers count them) is done; the share it had finished."""
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # fmt: skip
    while process.poll() is None:
        if work_done(out) >= total / 2:
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait()
    time.sleep(1)  # the cluster's processes go with the session
    return work_done(out) / total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jsonl-mb", type=int, default=1100, help="the JSONL file's size")
    ap.add_argument("--warc-mb", type=int, default=2000, help="HTML in the WARC.gz files")
    ap.add_argument("--shard-mb", type=float, default=64, help="shard size for the timings")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the corpus here")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="custodiet-scan-"))
    print(f"corpus in {work} …", file=sys.stderr)
    files = write_corpus(work / "corpus", args.jsonl_mb, args.warc_mb)
    size = sum(p.stat().st_size for p in files)
    times: dict[str, list[float]] = {"extract": [], "scan1": [], "scan2": [], "resumed": []}
    same = True
    shares, peaks, rates = [], [], []
    for i in range(args.repeat):
        print(f"round {i + 1}/{args.repeat} …", file=sys.stderr)
        seconds, _ = run([EXE, "extract", *map(str, files), "--out", str(work / "x.jsonl")])
        times["extract"].append(seconds)
        found = {}
        for n in (1, 2):
            seconds, _ = run(scan(files, work / f"scan{n}", n, args.shard_mb))
            times[f"scan{n}"].append(seconds)
            found[n] = candidates(work / f"scan{n}")
        rates.append(warc_rate(work / "scan1"))
        extracted = sorted(
            json.dumps(json.loads(x), sort_keys=True) for x in (work / "x.jsonl").open()
        )
        same = same and found[1] == found[2] == extracted
        cmd = scan(files, work / "killed", 2, args.shard_mb)
        shares.append(killed_at_half(cmd, work / "killed", work_done(work / "scan2")))
        seconds, _ = run(cmd)  # the same command again
        times["resumed"].append(seconds)
        same = same and candidates(work / "killed") == found[2]
    whole = max(args.jsonl_mb + 1, 1024)
    run(scan(files, work / "whole", 2, whole))
    for marker in (work / "whole" / "done").glob("*.json"):
        peaks.append(json.loads(marker.read_text())["peak_rss_mb"])
    med = {k: statistics.median(v) for k, v in times.items()}
    result: dict[str, Any] = {
        "corpus_mb": round(size / 1e6),
        "jsonl_mb": args.jsonl_mb,
        "warc_gz_mb": round(sum(p.stat().st_size for p in files[1:]) / 1e6),
        "extract_s": round(med["extract"], 1),
        "scan_1_worker_s": round(med["scan1"], 1),
        "scan_2_workers_s": round(med["scan2"], 1),
        "overhead_1_worker": round(med["scan1"] / med["extract"], 2),
        "speedup_2_workers": round(med["scan1"] / med["scan2"], 2),
        "killed_at_share": round(statistics.median(shares), 2),
        "resumed_s": round(med["resumed"], 1),
        "resumed_over_full": round(med["resumed"] / med["scan2"], 2),
        "warc_gz_mb_per_s_per_worker": round(statistics.median(rates), 1),
        "peak_worker_rss_mb_whole_jsonl_shard": max(peaks),
        "same_candidates": same,
        "rounds": args.repeat,
    }
    for key, value in result.items():
        print(f"{key:>40}: {value}", file=sys.stderr)
    print(json.dumps(result))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
