"""`custodiet publish` of the large atlas: pages per second, the site's size, and what an
incremental publish after one accepted fact rewrites.

    python benchmarks/publish_speed.py [--deployments 100000] [--merges 10000]
                                       [--repeat 1] [--workdir DIR]

Uses the atlas atlas_load.py generates (the same file, once per work folder), copied so
that the accepted fact does not change it for the other benchmarks. Each round: a full
publish into a new folder, the baseline `cp -r` of the finished site (the same bytes
written with no rendering), then a news passage ingested and its candidate accepted
(`custodiet ingest`, `custodiet review accept`) and a publish over the first one. Prints
one JSON line with the medians: pages, files, MB, seconds, pages per second, the ratio
to the copy, and the files the incremental publish wrote (goal: only those whose content
changed, a small share of the site).
"""

from __future__ import annotations

import json
import re
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
# One passage the extractor turns into one candidate, written for this benchmark.
NEWS = (
    "Kenya's national police signed a contract with Hikvision for CCTV cameras in Nairobi "
    "in 2021.\n"
)
SUMMARY = re.compile(
    r"published (?P<pages>[\d,]+) pages in (?P<files>[\d,]+) files \((?P<mb>[\d.]+) MB\).*?"
    r"in (?P<seconds>[\d.]+) s.*?(?P<written>[\d,]+) written, (?P<unchanged>[\d,]+) unchanged",
    re.S,
)


def custodiet(db: Path, *args: str) -> str:
    done = subprocess.run([CUSTODIET, "--db", str(db), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"custodiet {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def publish(db: Path, site: Path) -> dict[str, float]:
    """One publish's figures, as it prints them."""
    found = SUMMARY.search(custodiet(db, "publish", "--out", str(site)))
    if found is None:
        raise RuntimeError("custodiet publish printed no summary")
    return {k: float(v.replace(",", "")) for k, v in found.groupdict().items()}


def accept_one_fact(db: Path, work: Path) -> None:
    news = work / f"news-{time.time_ns()}.txt"
    news.write_text(NEWS, encoding="utf-8")
    custodiet(db, "ingest", str(news))
    queued = [json.loads(line) for line in custodiet(db, "review", "list", "--json").splitlines()]
    if not queued:
        raise RuntimeError("the passage gave no candidate to accept")
    custodiet(db, "review", "accept", queued[0]["id"])


def main() -> None:
    ap = atlas_arguments(__doc__.split("\n\n")[0], repeat=1)
    args = ap.parse_args()
    source = atlas_file(args.workdir, args.deployments, args.merges, "custodiet-publish-")
    work = Path(tempfile.mkdtemp(prefix="custodiet-sites-", dir=source.parent))
    rounds: list[dict[str, float]] = []
    try:
        for i in range(args.repeat):
            print(f"round {i + 1}/{args.repeat} …", file=sys.stderr)
            db = work / "atlas.db"
            shutil.copyfile(source, db)
            site = work / "site"
            shutil.rmtree(site, ignore_errors=True)
            full = publish(db, site)
            began = time.perf_counter()
            subprocess.run(["cp", "-r", str(site), str(work / "copy")], check=True)
            copy = time.perf_counter() - began
            shutil.rmtree(work / "copy")
            accept_one_fact(db, work)
            again = publish(db, site)
            rounds.append({**full, "copy_seconds": copy, "incremental_seconds": again["seconds"],
                           "incremental_written": again["written"],
                           "incremental_files": again["files"]})  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    seconds = median("seconds")
    print(
        json.dumps(
            {
                "deployments": args.deployments,
                "rounds": args.repeat,
                "pages": int(median("pages")),
                "files": int(median("files")),
                "site_mb": median("mb"),
                "seconds": round(seconds, 1),
                "pages_per_second": round(median("pages") / seconds, 1),
                "ratio_to_cp": round(seconds / median("copy_seconds"), 1),
                "incremental_seconds": round(median("incremental_seconds"), 1),
                "incremental_written": int(median("incremental_written")),
                "incremental_share": round(
                    median("incremental_written") / median("incremental_files"), 4
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
