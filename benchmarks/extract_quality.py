"""Extraction quality measured held out, on the labelled sets in ../shared/eval.

    python benchmarks/extract_quality.py [--eval ../shared/eval]

For each set it prints pair-level precision, recall, F1 and technology accuracy, as the
set's own scorer (score_extract.py) computes them, for:
  - the rules alone (every pair they find);
  - the scorer trained on the other set (leave one set out);
  - the scorer trained on every passage of both sets but those of one publisher, for
    each publisher in turn (leave one source out);
  - the shipped scorer (trained on both sets: a tuned figure, for comparison only).
The held-out lines are the figures to report.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from custodiet.extract import training
from custodiet.extract.pipeline import Proposal, decide, proposals
from custodiet.extract.registry import Registry, registry
from custodiet.extract.scorer import KEEP_ALL, Scorer, shipped

SETS = ("extract-dev.jsonl", "extract-dev2.jsonl")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--eval", type=Path, default=Path(__file__).parents[1] / ".." / "shared" / "eval"
    )
    a = ap.parse_args()
    folder: Path = a.eval
    reg = registry()
    rows = {
        name: [json.loads(x) for x in (folder / name).open(encoding="utf-8") if x.strip()]
        for name in SETS
    }
    found = {
        name: {r["id"]: list(proposals(r["text"], doc_id=r["id"], reg=reg)) for r in rows[name]}
        for name in SETS
    }
    passages = {name: training.read(folder / name, reg) for name in SETS}
    publisher = {r["id"]: r.get("publisher") or r["id"] for name in SETS for r in rows[name]}

    def fitted(keep: Callable[[str], bool]) -> Scorer:
        return training.fit(_examples(passages, found, keep, reg))

    for name in SETS:
        other = next(n for n in SETS if n != name)
        in_other = {p.id for p in passages[other]}
        by_other = fitted(lambda pid, ids=in_other: pid in ids)
        sources = {publisher[pid] for pid in found[name]}
        by_source = {s: fitted(lambda pid, s=s: publisher[pid] != s) for s in sources}
        lines = [
            ("rules alone", dict.fromkeys(found[name], KEEP_ALL)),
            (f"held out: trained on {other}", dict.fromkeys(found[name], by_other)),
            (
                "held out: one source at a time",
                {pid: by_source[publisher[pid]] for pid in found[name]},
            ),
            ("shipped scorer (tuned on both)", {pid: shipped() for pid in found[name]}),
        ]
        for how, scorers in lines:
            r = _score(folder, name, found[name], scorers)
            print(
                f"{name:20} {how:38} P {r['precision']:.2f}  R {r['recall']:.2f}  "
                f"F1 {r['f1']:.2f}  tech {r['technology_accuracy']:.2f}"
            )
    return 0


def _examples(
    passages: dict[str, list[training.Passage]],
    found: dict[str, dict[str, list[Proposal]]],
    keep: Callable[[str], bool],
    reg: Registry,
) -> training.Examples:
    data = training.Examples([], [], [], 0)
    for name, items in passages.items():
        for p in items:
            if keep(p.id):
                data.positives += len(p.pairs)
                training.label(p, found[name][p.id], reg, data)
    return data


def _score(
    folder: Path, name: str, found: dict[str, list[Proposal]], scorers: dict[str, Scorer]
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as out:
            for pid, items in found.items():
                for c in decide(items, scorers[pid]):
                    out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        done = subprocess.run(
            [
                sys.executable,
                str(folder / "score_extract.py"),
                "--gold",
                str(folder / name),
                "--pred",
                str(pred),
                "--json",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[0])
    return result


if __name__ == "__main__":
    sys.exit(main())
